"""with_config: code that takes its event loop as a parameter.

A library keeps ``self._txa = txaio.with_config(loop=loop)`` and calls
``self._txa.create_future()`` and so on. On asyncio each worker below runs on a
loop of its own, in its own thread; Twisted has one reactor, so there every
worker gets the reactor (``with_config`` refuses any other).

    python examples/multiloop.py --framework asyncio
    python examples/multiloop.py --framework twisted
"""

from __future__ import annotations

import asyncio
import threading
from typing import Any

import txaio
from _demo import run, select_framework

select_framework()


class Counter:
    """A small library object that uses whatever loop it is given."""

    def __init__(self, name: str, loop: Any = None) -> None:
        self.name = name
        self._txa = txaio.with_config(loop=loop)

    def count_to(self, n: int) -> Any:
        """Return a future of the list 1..n, counted one tick at a time."""
        done = self._txa.create_future()
        counted: list[int] = []

        def tick() -> None:
            counted.append(len(counted) + 1)
            if len(counted) == n:
                self._txa.resolve(done, counted)
            else:
                self._txa.call_later(0.001, tick)

        self._txa.call_later(0.001, tick)
        return done


def on_own_asyncio_loops(names: list[str], n: int) -> dict[str, Any]:
    results: dict[str, Any] = {}

    def worker(name: str) -> None:
        loop = asyncio.new_event_loop()
        try:
            results[name] = loop.run_until_complete(Counter(name, loop).count_to(n))
        finally:
            loop.close()

    threads = [threading.Thread(target=worker, args=(name,)) for name in names]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def main() -> Any:
    names = ["alpha", "beta", "gamma"]
    done = txaio.create_future()

    def report(results: dict[str, Any]) -> None:
        for name in names:
            print(f"{name} counted {results[name]}")
        txaio.resolve(done, None)

    if txaio.using_asyncio:
        report(on_own_asyncio_loops(names, 3))
    else:
        from twisted.internet import reactor

        counters = [Counter(name, reactor) for name in names]
        counts = txaio.gather([counter.count_to(3) for counter in counters])
        txaio.add_callbacks(
            counts, lambda lists: report(dict(zip(names, lists, strict=True))), None
        )
    return done


run(main)
