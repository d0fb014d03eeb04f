"""What every example shares: picking the framework from the command line, and running.

An example calls :func:`select_framework` first (so class bodies may call
``txaio.make_logger()``), then :func:`run` with its ``main`` function. ``main``
may return a plain value, a future or a coroutine; :func:`run` drives the
framework's event loop until that is done and exits non-zero if it failed.
"""

from __future__ import annotations

import argparse
import asyncio
import re
import sys
from collections.abc import Callable
from typing import Any

import txaio

__all__ = ["now", "run", "select_framework", "show_log"]


def select_framework(argv: list[str] | None = None) -> str:
    """Select the framework named on the command line (asyncio by default) and return it.

    Accepts ``--framework asyncio|twisted``, ``--asyncio`` or ``--twisted``.
    """
    parser = argparse.ArgumentParser(description="Run this txaio example.")
    choice = parser.add_mutually_exclusive_group()
    choice.add_argument("--framework", choices=("asyncio", "twisted"), default="asyncio")
    choice.add_argument("--asyncio", dest="framework", action="store_const", const="asyncio")
    choice.add_argument("--twisted", dest="framework", action="store_const", const="twisted")
    framework: str = parser.parse_args(argv).framework
    if framework == "twisted":
        txaio.use_twisted()
    else:
        txaio.use_asyncio()
    return framework


def now() -> float:
    """Return the current time of txaio's event loop (or reactor), in seconds."""
    if txaio.using_twisted:
        from twisted.internet import reactor

        seconds: float = reactor.seconds()  # type: ignore[misc,unused-ignore]
        return seconds
    loop_time: float = txaio.config.loop.time()
    return loop_time


def run(main: Callable[[], Any]) -> None:
    """Run the event loop until ``main()``'s outcome is known; exit 1 if it failed."""
    if txaio.using_twisted:
        from twisted.internet import task

        # react() runs the reactor until the Deferred fires, then exits the process.
        task.react(lambda _reactor: txaio.as_future(main))
    else:
        loop = asyncio.new_event_loop()
        txaio.config.loop = loop
        try:
            loop.run_until_complete(txaio.as_future(main))
            # asyncio runs callbacks on the iteration after a future completes:
            # let the ones already scheduled run, as Twisted has run them already.
            loop.call_soon(loop.stop)
            loop.run_forever()
        finally:
            loop.close()
    sys.stdout.flush()


_TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d\S*\s")


def show_log(text: str) -> None:
    """Print the log lines in ``text`` without their timestamps, so runs compare equal.

    Writes to the real standard output: on Twisted, ``start_logging`` may have
    redirected ``sys.stdout`` into the log.
    """
    stdout = sys.__stdout__ or sys.stdout
    for line in text.splitlines():
        stdout.write(f"log: {_TIMESTAMP.sub('', line)}\n")
    stdout.flush()
