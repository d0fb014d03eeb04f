"""The benchmark program: the same file runs against the original txaio and against ours.

It uses only the public ``txaio`` API and the bare frameworks, so ``compare.py``
runs it unchanged in two virtual environments. Modes:

* ``--serve --framework asyncio|twisted``: a worker that answers benchmark
  requests, one JSON line each on stdin, with one JSON line each on the file
  descriptor that was standard output at start-up (Twisted's ``start_logging``
  replaces ``sys.stdout``; the saved descriptor keeps the channel clean). The
  protocol is described in ``driver/workers.py``; a measurement this
  interpreter cannot take (bytes per call without tracemalloc, on PyPy) is
  answered with ``{"skipped": reason}``.
* ``--run NAME --framework ... [--n N] [--reps R]``: one benchmark, printed as JSON.

A benchmark times only its measured sections through a *meter*: the wall-clock
meter adds ``perf_counter_ns`` differences; the callgrind meter brackets each
section with ``os.getpgrp()`` / ``os.getppid()``, which ``compare.py --callgrind``
turns into "zero counters" / "dump counters" triggers, so every dump holds the
instructions of exactly one measured section.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import io
import json
import os
import random
import sys
import time
import traceback
from collections.abc import Callable
from typing import Any

# -- settings -------------------------------------------------------------------------------

#: Width of a batched-timer bucket and the delay of every call: with the fake
#: clock frozen at 0 while scheduling, every call lands in ONE bucket.
BUCKET_SECONDS = 10.0
TIMER_DELAY = 1.0
#: asyncio runs callbacks on the next loop iteration: ops are done in batches of
#: this size, each batch followed by one iteration, and the batch is the unit timed.
BATCH = 1000
#: Wall-clock budget for cancelling the calls of one timer: the original removes
#: from a list (O(N) per cancel), so at 10^5..10^6 pending it is cut off and the
#: figure is the cost per cancel of those done.
CANCEL_BUDGET_NS = 1_500_000_000


# -- meters -----------------------------------------------------------------------------------


class WallMeter:
    """Adds up the wall-clock nanoseconds of the measured sections of one repetition."""

    exact = False

    def __init__(self, budget_ns: int = CANCEL_BUDGET_NS, cap: int | None = None) -> None:
        #: How long, and how many calls, the batched cancel benchmark may cancel.
        self.budget_ns = budget_ns
        self.cap = cap
        self.ns = 0
        self.segments = 0
        self._t0 = 0

    def start(self) -> None:
        """Open a measured section."""
        self._t0 = time.perf_counter_ns()

    def stop(self) -> None:
        """Close the measured section opened by :meth:`start`."""
        self.ns += time.perf_counter_ns() - self._t0
        self.segments += 1


class CallgrindMeter(WallMeter):
    """Marks measured sections for callgrind: ``getpgrp`` zeroes, ``getppid`` dumps."""

    exact = True

    def start(self) -> None:
        """Open a measured section (callgrind zeroes its counters here)."""
        os.getpgrp()
        super().start()

    def stop(self) -> None:
        """Close the section (callgrind dumps the instructions since the zero)."""
        super().stop()
        os.getppid()


Meter = WallMeter

# -- the two worlds ---------------------------------------------------------------------------


class Tick:
    """A callable that counts its calls; the function every timer calls."""

    __slots__ = ("count",)

    def __init__(self) -> None:
        self.count = 0

    def __call__(self) -> None:
        self.count += 1


class TimerRig:
    """A txaio batched timer on a clock the benchmark controls, starting at 0."""

    def __init__(self, timer: Any, advance: Callable[[float], None], close: Callable[[], None]):
        self.timer = timer
        self.advance = advance
        self.close = close


class FakeClockLoop(asyncio.SelectorEventLoop):
    """An asyncio loop whose ``time()`` only moves when the benchmark says so."""

    now = 0.0

    def time(self) -> float:
        """Return the fake time."""
        return self.now


class AsyncioWorld:
    """txaio on asyncio, on a fresh loop set as the current one."""

    name = "asyncio"

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        asyncio.set_event_loop(self.loop)
        import txaio

        txaio.use_asyncio()
        txaio.config.loop = self.loop
        self.txaio = txaio

    def spin(self) -> None:
        """Run exactly one iteration of the loop: the callbacks that are ready run."""
        self.loop.call_soon(self.loop.stop)
        self.loop.run_forever()

    def timer_rig(self, chunk_size: int = 100) -> TimerRig:
        """Return a batched timer on a loop with a fake clock (``with_config(loop=)``)."""
        loop = FakeClockLoop()
        timer = self.txaio.with_config(loop=loop).make_batched_timer(BUCKET_SECONDS, chunk_size)

        def advance(seconds: float) -> None:
            loop.now += seconds
            loop.call_soon(loop.stop)
            loop.run_forever()

        return TimerRig(timer, advance, loop.close)

    def bare_create(self) -> Any:
        """Return a bare framework future."""
        return self.loop.create_future()


class TwistedWorld:
    """txaio on Twisted, with the default reactor installed but not running."""

    name = "twisted"

    def __init__(self) -> None:
        from twisted.internet import reactor

        import txaio

        txaio.use_twisted()
        self.reactor: Any = reactor
        self.txaio = txaio

    def spin(self) -> None:
        """Run the reactor's due calls once (drops cancelled delayed calls)."""
        self.reactor.runUntilCurrent()

    def timer_rig(self, chunk_size: int = 100) -> TimerRig:
        """Return a batched timer on a ``task.Clock`` given as ``txaio.config.loop``."""
        from twisted.internet import task

        clock = task.Clock()
        config, saved = self.txaio.config, self.txaio.config.loop
        # The original looks the loop up on every call: keep the clock until close().
        config.loop = clock

        def close() -> None:
            config.loop = saved

        try:
            timer = self.txaio.make_batched_timer(BUCKET_SECONDS, chunk_size)
        except BaseException:
            close()
            raise
        return TimerRig(timer, clock.advance, close)


World = AsyncioWorld | TwistedWorld

# -- benchmarks -------------------------------------------------------------------------------
# Each takes (world, meter, n), times its hot part through the meter and returns
# the number of operations done; a "_bare" twin does the same with the framework alone.


def _identity(result: Any) -> Any:
    return result


def _swallow(fail: Any) -> None:
    return None


def _batches(n: int) -> int:
    return max(1, n // BATCH)


def future_cycle(w: World, m: Meter, n: int) -> int:
    """``create_future`` + ``add_callbacks`` + ``resolve``, until the callback ran."""
    t = w.txaio
    cb = _identity
    if isinstance(w, AsyncioWorld):
        spin = w.spin
        batches = _batches(n)
        for _ in range(batches):
            m.start()
            for _ in range(BATCH):
                f = t.create_future()
                t.add_callbacks(f, cb, None)
                t.resolve(f, 1)
            spin()
            m.stop()
        return batches * BATCH
    m.start()
    for _ in range(n):
        f = t.create_future()
        t.add_callbacks(f, cb, None)
        t.resolve(f, 1)
    m.stop()
    return n


def _bare_done(fut: Any) -> Any:
    return fut.result()


def future_cycle_bare(w: World, m: Meter, n: int) -> int:
    """The floor: ``loop.create_future`` / ``Deferred`` with the framework's own calls."""
    if isinstance(w, AsyncioWorld):
        create, spin, cb = w.loop.create_future, w.spin, _bare_done
        batches = _batches(n)
        for _ in range(batches):
            m.start()
            for _ in range(BATCH):
                f = create()
                f.add_done_callback(cb)
                f.set_result(1)
            spin()
            m.stop()
        return batches * BATCH
    from twisted.internet.defer import Deferred

    cb2 = _identity
    m.start()
    for _ in range(n):
        d: Any = Deferred()
        d.addCallbacks(cb2)
        d.callback(1)
    m.stop()
    return n


_ERROR = RuntimeError("benchmark rejection")


def reject_cycle(w: World, m: Meter, n: int) -> int:
    """``create_future`` + ``add_callbacks(errback)`` + ``reject(f, exc)``, until it ran."""
    t = w.txaio
    eb, error = _swallow, _ERROR
    if isinstance(w, AsyncioWorld):
        spin = w.spin
        batches = _batches(n)
        for _ in range(batches):
            m.start()
            for _ in range(BATCH):
                f = t.create_future()
                t.add_callbacks(f, None, eb)
                t.reject(f, error)
            spin()
            m.stop()
        return batches * BATCH
    m.start()
    for _ in range(n):
        f = t.create_future()
        t.add_callbacks(f, None, eb)
        t.reject(f, error)
    m.stop()
    return n


def _bare_failed(fut: Any) -> Any:
    return fut.exception()


def reject_cycle_bare(w: World, m: Meter, n: int) -> int:
    """The floor of the reject cycle: ``set_exception`` / ``Deferred.errback``."""
    error = _ERROR
    if isinstance(w, AsyncioWorld):
        create, spin, cb = w.loop.create_future, w.spin, _bare_failed
        batches = _batches(n)
        for _ in range(batches):
            m.start()
            for _ in range(BATCH):
                f = create()
                f.add_done_callback(cb)
                f.set_exception(error)
            spin()
            m.stop()
        return batches * BATCH
    from twisted.internet.defer import Deferred

    eb = _swallow
    m.start()
    for _ in range(n):
        d: Any = Deferred()
        d.addCallbacks(_identity, eb)
        d.errback(error)
    m.stop()
    return n


def _plain(x: Any) -> Any:
    return x


def as_future(w: World, m: Meter, n: int) -> int:
    """``as_future`` of a plain function returning a value."""
    t = w.txaio
    fn = _plain
    m.start()
    for _ in range(n):
        t.as_future(fn, 1)
    m.stop()
    return n


def gather10(w: World, m: Meter, n: int) -> int:
    """``gather`` of 10 resolved futures, until the gather's result is there."""
    t = w.txaio
    batches = _batches(n)
    for _ in range(batches):
        inputs = [[t.create_future_success(i) for i in range(10)] for _ in range(BATCH)]
        gather = t.gather
        m.start()
        results = [gather(futures) for futures in inputs]
        if isinstance(w, AsyncioWorld):
            is_called, last, spins = t.is_called, results[-1], 0
            while not is_called(last):
                w.spin()
                spins += 1
                if spins > 10:
                    raise RuntimeError("gather did not finish in 10 loop iterations")
        m.stop()
    return batches * BATCH


def _noop() -> None:
    return None


def call_later_cancel(w: World, m: Meter, n: int) -> int:
    """``call_later(1.0, f)`` then ``cancel()`` on the handle."""
    t = w.txaio
    fn = _noop
    batches = _batches(n)
    for _ in range(batches):
        m.start()
        for _ in range(BATCH):
            t.call_later(1.0, fn).cancel()
        m.stop()
        w.spin()  # let the framework drop the cancelled calls (not timed)
    return batches * BATCH


def call_later_cancel_bare(w: World, m: Meter, n: int) -> int:
    """The floor: ``loop.call_later`` / ``reactor.callLater`` then ``cancel()``."""
    call_later = w.loop.call_later if isinstance(w, AsyncioWorld) else w.reactor.callLater
    fn = _noop
    batches = _batches(n)
    for _ in range(batches):
        m.start()
        for _ in range(BATCH):
            call_later(1.0, fn).cancel()
        m.stop()
        w.spin()
    return batches * BATCH


def _check_one_bucket(w: World, rig: TimerRig) -> None:
    # A benchmark that silently ran on the real clock would measure nothing useful.
    tick = Tick()
    handle = rig.timer.call_later(TIMER_DELAY, tick)
    rig.advance(BUCKET_SECONDS * 3)
    if tick.count != 1:
        raise RuntimeError(
            f"the batched timer on {w.name} did not use the fake clock "
            f"(txaio.with_config(loop=) on asyncio, txaio.config.loop on Twisted)"
        )
    handle.cancel()


def timer_schedule(w: World, m: Meter, n: int) -> int:
    """Batched timer: ``call_later`` of ``n`` calls into one bucket, per call."""
    rig = w.timer_rig()
    try:
        _check_one_bucket(w, rig)
        call_later, tick, delay = rig.timer.call_later, Tick(), TIMER_DELAY
        handles: list[Any] = [None] * n
        m.start()
        for i in range(n):
            handles[i] = call_later(delay, tick)
        m.stop()
        for h in handles:
            h.cancel()
    finally:
        rig.close()
    return n


def _cancel_all(m: Meter, handles: list[Any]) -> int:
    """Cancel ``handles`` in their order, within the meter's cap and time budget."""
    if m.cap is not None:
        handles = handles[: m.cap]
    if m.exact:
        m.start()
        for h in handles:
            h.cancel()
        m.stop()
        return len(handles)
    # Sections grow from 8 cancels while they stay short, so a slow cancel (the
    # original's, O(N)) stops soon after the budget and a fast one is timed in
    # long sections.
    done, step, n = 0, 8, len(handles)
    while done < n and m.ns < m.budget_ns:
        todo = handles[done : done + step]
        before = m.ns
        m.start()
        for h in todo:
            h.cancel()
        m.stop()
        done += len(todo)
        if step < 4096 and (m.ns - before) * 32 < m.budget_ns:
            step *= 2
    return done


def timer_cancel(w: World, m: Meter, n: int) -> int:
    """Batched timer: ``n`` calls pending in one bucket, cancelled in random order."""
    rig = w.timer_rig()
    try:
        _check_one_bucket(w, rig)
        call_later, tick, delay = rig.timer.call_later, Tick(), TIMER_DELAY
        handles = [call_later(delay, tick) for _ in range(n)]
        random.Random(n).shuffle(handles)
        return _cancel_all(m, handles)
    finally:
        rig.close()


class _Flag:
    """The floor of a cancel: an object whose ``cancel()`` clears one slot."""

    __slots__ = ("armed", "tick")

    def __init__(self, tick: Tick) -> None:
        self.tick: Tick | None = tick
        self.armed = True

    def cancel(self) -> None:
        self.armed = False
        self.tick = None


def timer_cancel_bare(w: World, m: Meter, n: int) -> int:
    """The floor: ``n`` small objects, each told ``cancel()`` in random order.

    It costs what any O(1) cancel must: reaching each handle. At 10^5..10^6
    handles in random order, that is mostly cache misses, which grow with ``n``.
    """
    tick = Tick()
    handles = [_Flag(tick) for _ in range(n)]
    random.Random(n).shuffle(handles)
    return _cancel_all(m, handles)


def timer_fire(w: World, m: Meter, n: int) -> int:
    """Batched timer: ``n`` due calls fired (chunks of 100, fake clock), per call."""
    rig = w.timer_rig()
    try:
        _check_one_bucket(w, rig)
        tick = Tick()
        call_later, delay, advance = rig.timer.call_later, TIMER_DELAY, rig.advance
        handles = [call_later(delay, tick) for _ in range(n)]
        limit = n + 100
        m.start()
        steps = 0
        while tick.count < n and steps < limit:
            advance(BUCKET_SECONDS)
            steps += 1
        m.stop()
        if tick.count != n:
            raise RuntimeError(f"{tick.count} of {n} calls fired")
        del handles
    finally:
        rig.close()
    return n


class Unavailable(Exception):
    """This interpreter cannot take the measurement; the message says why."""


def timer_bytes(w: World, n: int) -> dict[str, int]:
    """Batched timer: bytes allocated per pending call (tracemalloc), ``n`` calls.

    Raises Unavailable where tracemalloc is missing (PyPy).
    """
    try:
        import tracemalloc
    except ImportError as error:
        raise Unavailable(f"no tracemalloc on {sys.implementation.name}") from error
    rig = w.timer_rig()
    try:
        _check_one_bucket(w, rig)
        call_later, tick, delay = rig.timer.call_later, Tick(), TIMER_DELAY
        handles: list[Any] = [None] * n  # allocated before tracing: not counted
        gc.collect()
        tracemalloc.start()
        before = tracemalloc.get_traced_memory()[0]
        for i in range(n):
            handles[i] = call_later(delay, tick)
        after = tracemalloc.get_traced_memory()[0]
        tracemalloc.stop()
        for h in handles:
            h.cancel()
    finally:
        rig.close()
    return {"ops": n, "bytes": after - before}


class _EmptyLogger:
    """The floor of a filtered log call: a method that does nothing, same arguments."""

    def debug(self, message: str, **kwargs: Any) -> None:
        return None


_LOG_STREAM = io.StringIO()
_LOGGERS: dict[str, Any] = {}


def _logger(w: World) -> Any:
    # Every logging benchmark runs after start_logging, so they share one configuration.
    if "log" not in _LOGGERS:
        w.txaio.start_logging(out=_LOG_STREAM, level="info")
        w.txaio.set_global_log_level("info")
        _LOGGERS["log"] = w.txaio.make_logger()
    return _LOGGERS["log"]


def log_filtered(w: World, m: Meter, n: int) -> int:
    """``log.debug(...)`` with the level at info: the call is filtered out."""
    log = _logger(w)
    loops = max(1, n // 10)
    m.start()
    for _ in range(loops):
        log.debug("hello {name}", name="world")
        log.debug("hello {name}", name="world")
        log.debug("hello {name}", name="world")
        log.debug("hello {name}", name="world")
        log.debug("hello {name}", name="world")
        log.debug("hello {name}", name="world")
        log.debug("hello {name}", name="world")
        log.debug("hello {name}", name="world")
        log.debug("hello {name}", name="world")
        log.debug("hello {name}", name="world")
    m.stop()
    return loops * 10


def log_filtered_bare(w: World, m: Meter, n: int) -> int:
    """The floor: the same call on an object whose ``debug`` is an empty method."""
    _logger(w)
    log = _EmptyLogger()
    loops = max(1, n // 10)
    m.start()
    for _ in range(loops):
        log.debug("hello {name}", name="world")
        log.debug("hello {name}", name="world")
        log.debug("hello {name}", name="world")
        log.debug("hello {name}", name="world")
        log.debug("hello {name}", name="world")
        log.debug("hello {name}", name="world")
        log.debug("hello {name}", name="world")
        log.debug("hello {name}", name="world")
        log.debug("hello {name}", name="world")
        log.debug("hello {name}", name="world")
    m.stop()
    return loops * 10


def log_emitted(w: World, m: Meter, n: int) -> int:
    """``log.info(...)`` at level info, written to an in-memory text stream."""
    log = _logger(w)
    _LOG_STREAM.seek(0)
    _LOG_STREAM.truncate()
    m.start()
    for _ in range(n):
        log.info("hello {name}", name="world")
    m.stop()
    written = _LOG_STREAM.getvalue()
    if "hello world" not in written:
        raise RuntimeError(f"log.info wrote nothing usable to the stream: {written[:200]!r}")
    _LOG_STREAM.seek(0)
    _LOG_STREAM.truncate()
    return n


TIMED: dict[str, Callable[[Any, Meter, int], int]] = {
    f.__name__: f
    for f in (
        future_cycle,
        future_cycle_bare,
        reject_cycle,
        reject_cycle_bare,
        as_future,
        gather10,
        call_later_cancel,
        call_later_cancel_bare,
        timer_schedule,
        timer_cancel,
        timer_cancel_bare,
        timer_fire,
        log_filtered,
        log_filtered_bare,
        log_emitted,
    )
}
BENCHMARKS = (*TIMED, "timer_bytes")

# -- running ----------------------------------------------------------------------------------


def describe() -> dict[str, Any]:
    """Return what this interpreter runs: versions, and whether it is our txaio."""
    from importlib import metadata

    def version(dist: str) -> str | None:
        try:
            return metadata.version(dist)
        except metadata.PackageNotFoundError:
            return None

    return {
        "python": sys.version.split()[0],
        "txaio": version("txaio"),
        "twisted": version("Twisted"),
        "ours": version("txaio-core") is not None,
    }


def run_benchmark(
    world: World,
    name: str,
    n: int,
    reps: int,
    exact: bool,
    budget_ns: int = CANCEL_BUDGET_NS,
    cap: int | None = None,
) -> dict[str, Any]:
    """Run benchmark ``name`` ``reps`` times with size ``n``; return each repetition's figures."""
    if name == "timer_bytes":
        return {"reps": [timer_bytes(world, n) for _ in range(reps)]}
    bench = TIMED[name]
    results = []
    for _ in range(reps):
        gc.collect()
        meter = CallgrindMeter(budget_ns, cap) if exact else WallMeter(budget_ns, cap)
        ops = bench(world, meter, n)
        results.append({"ops": ops, "ns": meter.ns, "segments": meter.segments})
    return {"reps": results}


def make_world(framework: str) -> World:
    """Return the world for ``framework`` ("asyncio" or "twisted")."""
    if framework == "asyncio":
        return AsyncioWorld()
    if framework == "twisted":
        return TwistedWorld()
    raise ValueError(f"framework must be 'asyncio' or 'twisted', not {framework!r}")


def serve(framework: str, exact: bool) -> None:
    """Answer JSON requests ``{"bench", "n", "reps"}`` from stdin, one line each."""
    channel = os.fdopen(os.dup(1), "w", buffering=1)

    def reply(message: dict[str, Any]) -> None:
        channel.write(json.dumps(message) + "\n")
        channel.flush()

    try:
        world = make_world(framework)
    except Exception:
        reply({"error": traceback.format_exc(), "about": describe()})
        return
    reply({"ready": True, "about": describe()})
    for line in sys.stdin:
        if not line.strip():
            continue
        request = json.loads(line)
        try:
            budget = request.get("cancel_budget_ns") or CANCEL_BUDGET_NS
            bench, n, reps = request["bench"], request["n"], request["reps"]
            cap = request.get("cancel_cap")
            reply(run_benchmark(world, bench, n, reps, exact, budget, cap))
        except Unavailable as why:
            reply({"skipped": str(why)})
        except Exception:
            reply({"error": traceback.format_exc()})


def main(argv: list[str] | None = None) -> None:
    """Parse the command line and run the mode it names."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--framework", choices=("asyncio", "twisted"), default="asyncio")
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--serve", action="store_true", help="answer requests from stdin")
    mode.add_argument("--run", choices=BENCHMARKS, help="run one benchmark and print JSON")
    mode.add_argument("--list", action="store_true", help="list the benchmarks")
    parser.add_argument("--n", type=int, default=10_000, help="operations per repetition")
    parser.add_argument("--reps", type=int, default=3, help="repetitions")
    parser.add_argument("--exact", action="store_true", help="mark sections for callgrind")
    parser.add_argument("--cancel-cap", type=int, help="cancel at most this many timer calls")
    args = parser.parse_args(argv)
    if args.list:
        print("\n".join(BENCHMARKS))
    elif args.serve:
        serve(args.framework, args.exact)
    else:
        world = make_world(args.framework)
        try:
            result = run_benchmark(
                world, args.run, args.n, args.reps, args.exact, cap=args.cancel_cap
            )
        except Unavailable as why:
            result = {"skipped": str(why)}
        for rep in result.get("reps", []):
            if "ns" in rep:
                rep["ns_per_op"] = rep["ns"] / rep["ops"]
        out = sys.__stdout__  # Twisted may have replaced sys.stdout
        assert out is not None
        out.write(json.dumps({"about": describe(), **result}, indent=1) + "\n")


if __name__ == "__main__":
    main()
