"""Soak: cycle futures, callbacks and timers for a while on each backend; memory must stay flat.

Each cycle creates 100 futures with callbacks and errbacks, resolves half and
rejects half, schedules and cancels 50 ``call_later`` timers and 200 batched
calls, fires a few real ones, and gathers everything. Cycles run back to back on
a real event loop (asyncio) or the real reactor (Twisted) until the time is up.
Memory (``tracemalloc``'s traced total after a full collection, and RSS) is
taken after a warm-up and at the end; the run fails when the traced memory grew
by more than ``--limit-kib``. Where there is no tracemalloc (PyPy) only RSS is
shown and the growth is not checked.

Usage::

    python benchmarks/soak.py                      # both backends, 60 s each
    python benchmarks/soak.py --seconds 10 --backend asyncio

Each backend runs in its own process (the Twisted reactor cannot be restarted,
and one backend's memory must not blur the other's).
"""

from __future__ import annotations

import argparse
import gc
import os
import subprocess
import sys
import time
from types import ModuleType
from typing import Any

FUTURES_PER_CYCLE = 100
TIMERS_PER_CYCLE = 50
BATCHED_PER_CYCLE = 200
WARM_UP_SECONDS = 3.0


def _noop(*args: object) -> None:
    """What the cancelled timers would have run."""


def _rss_kib() -> int:
    """Return the resident set size in KiB (0 where /proc is absent)."""
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 1024
    except OSError:
        return 0


def _tracemalloc() -> ModuleType | None:
    """Return the tracemalloc module, or None where the interpreter has none (PyPy)."""
    try:
        import tracemalloc
    except ImportError:
        return None
    return tracemalloc


def _traced_kib() -> int | None:
    """Return the traced memory in KiB after a full collection, or None without tracemalloc."""
    gc.collect()
    tracemalloc = _tracemalloc()
    if tracemalloc is None or not tracemalloc.is_tracing():
        return None
    return int(tracemalloc.get_traced_memory()[0] // 1024)


def one_cycle(api: Any, timer: Any, counters: dict[str, int]) -> Any:
    """Start one cycle of work; return a future that fires when it is all done."""

    def callback(value: Any) -> Any:
        counters["callbacks"] += 1
        return value

    def errback(fail: Any) -> None:
        counters["errbacks"] += 1
        # Returning None ends the error on Twisted; asyncio counts it handled.

    futures = []
    for _ in range(FUTURES_PER_CYCLE):
        future = api.create_future()
        api.add_callbacks(future, callback, errback)
        futures.append(future)
    for number, future in enumerate(futures):
        if number % 2:
            api.resolve(future, number)
        else:
            api.reject(future, ValueError(number))
    for handle in [api.call_later(60, _noop) for _ in range(TIMERS_PER_CYCLE)]:
        handle.cancel()
    for call in [timer.call_later(60, _noop, n) for n in range(BATCHED_PER_CYCLE)]:
        call.cancel()
    fired = api.create_future()
    api.call_later(0, api.resolve, fired, "fired")
    batched = api.create_future()
    timer.call_later(0, api.resolve, batched, "batched")
    slept = api.sleep(0)
    coroutine_result = api.as_future(_coroutine, counters)
    counters["cycles"] += 1
    return api.gather([*futures, fired, batched, slept, coroutine_result])


async def _coroutine(counters: dict[str, int]) -> int:
    counters["coroutines"] += 1
    return 1


def soak_asyncio(seconds: float) -> dict[str, Any]:
    import asyncio

    import txaio_asyncio

    loop = asyncio.new_event_loop()
    api: Any = txaio_asyncio.with_config(loop=loop)
    timer = api.make_batched_timer(0.001, chunk_size=50)
    counters = dict.fromkeys(("cycles", "callbacks", "errbacks", "coroutines"), 0)
    figures: dict[str, Any] = {}
    try:
        start = time.monotonic()
        while time.monotonic() - start < WARM_UP_SECONDS:
            loop.run_until_complete(one_cycle(api, timer, counters))
        figures["traced_start_kib"], figures["rss_start_kib"] = _traced_kib(), _rss_kib()
        start = time.monotonic()
        while time.monotonic() - start < seconds:
            loop.run_until_complete(one_cycle(api, timer, counters))
        figures["elapsed"] = time.monotonic() - start
        figures["traced_end_kib"], figures["rss_end_kib"] = _traced_kib(), _rss_kib()
    finally:
        loop.close()
    return {**counters, **figures}


def soak_twisted(seconds: float) -> dict[str, Any]:
    from twisted.internet import reactor as installed

    reactor: Any = installed  # zope interfaces, not classes: mypy cannot follow them

    import txaio_twisted

    api: Any = txaio_twisted
    timer = api.make_batched_timer(0.001, chunk_size=50)
    counters = dict.fromkeys(("cycles", "callbacks", "errbacks", "coroutines"), 0)
    figures: dict[str, Any] = {}
    phase = {"name": "warm-up", "start": time.monotonic()}
    errors: list[str] = []

    def next_cycle(result: object = None) -> None:
        elapsed = time.monotonic() - phase["start"]  # type: ignore[operator]
        if phase["name"] == "warm-up" and elapsed >= WARM_UP_SECONDS:
            figures["traced_start_kib"], figures["rss_start_kib"] = _traced_kib(), _rss_kib()
            phase.update(name="soak", start=time.monotonic())
        elif phase["name"] == "soak" and elapsed >= seconds:
            figures["elapsed"] = elapsed
            figures["traced_end_kib"], figures["rss_end_kib"] = _traced_kib(), _rss_kib()
            reactor.stop()
            return
        done = one_cycle(api, timer, counters)
        # Each cycle starts from the reactor, not from inside the previous one's callbacks.
        api.add_callbacks(done, lambda _: reactor.callLater(0, next_cycle), on_error)

    def on_error(fail: Any) -> None:
        errors.append(api.failure_format_traceback(fail))
        reactor.stop()

    reactor.callWhenRunning(next_cycle)
    reactor.run()
    if errors:
        raise RuntimeError("a soak cycle failed:\n" + errors[0])
    return {**counters, **figures}


def run_one(backend: str, seconds: float, limit_kib: int) -> int:
    """Soak ``backend`` in this process, print the figures; return the exit status."""
    tracemalloc = _tracemalloc()
    if tracemalloc is not None:
        tracemalloc.start()
    figures = soak_asyncio(seconds) if backend == "asyncio" else soak_twisted(seconds)
    start, end = figures["traced_start_kib"], figures["traced_end_kib"]
    if start is None or end is None:
        flat = True
        traced = f"traced memory skipped (no tracemalloc on {sys.implementation.name})"
        verdict = "not checked"
    else:
        flat = end - start <= limit_kib
        traced = f"traced memory {start} KiB -> {end} KiB ({end - start:+d} KiB)"
        verdict = "flat" if flat else f"GROWING (limit {limit_kib} KiB)"
    print(
        f"{backend}: {figures['cycles']} cycles in {figures['elapsed']:.1f} s "
        f"({figures['callbacks']} callbacks, {figures['errbacks']} errbacks, "
        f"{figures['coroutines']} coroutines); {traced}, "
        f"RSS {figures['rss_start_kib']} KiB -> {figures['rss_end_kib']} KiB: {verdict}",
        flush=True,
    )
    return 0 if flat else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60.0, help="soak time per backend")
    parser.add_argument("--backend", choices=["asyncio", "twisted", "both"], default="both")
    parser.add_argument(
        "--limit-kib", type=int, default=512, help="allowed growth of traced memory"
    )
    options = parser.parse_args()
    if options.backend != "both":
        return run_one(options.backend, options.seconds, options.limit_kib)
    status = 0
    for backend in ("asyncio", "twisted"):
        command = [
            sys.executable,
            __file__,
            "--backend",
            backend,
            "--seconds",
            str(options.seconds),
            "--limit-kib",
            str(options.limit_kib),
        ]
        status |= subprocess.run(command, check=False).returncode
    return status


if __name__ == "__main__":
    sys.exit(main())
