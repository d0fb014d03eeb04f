"""Cost of scheduling and cancelling batched calls, and memory per pending call.

Runs txaio_core's BatchedTimer on a fake clock (no sleeping, no framework) and,
given ``--original-python``, the original txaio 26.6.1 batched timer driven by
``twisted.internet.task.Clock`` in that interpreter, for comparison::

    hatch run python benchmarks/batched_cancel.py
    hatch run python benchmarks/batched_cancel.py --original-python /tmp/core/orig/bin/python

Cancelling is timed over ALL N pending calls, both with every call in one
bucket and with the calls spread over N/100 buckets at random (so a bucket's
handles lie scattered over memory), and in two orders:

* ``scheduled``: the order the calls were made in, as a server's timeouts are
  mostly cleared;
* ``random``: the worst order for the memory hierarchy. The "floor" column
  times only reaching each handle in that same order (``handle.cancel``
  without the call): what touching N scattered objects costs, which no timer
  can avoid and which grows about fivefold from 10^3 to 10^6 objects as the
  caches and the TLB run out. "cancel-floor" is the timer's own work.

The verdict lines check the cost per cancel is the same from the smallest to
the largest N within +-50 %: the whole cost in scheduling order, the timer's
own work in random order (the whole cost is printed too). The original cancels
in O(N) per call, so for it only a sample of the calls is cancelled (the
per-call figure is what matters) and its runs stop at 10^5 unless
``--original-max`` says otherwise.
"""

from __future__ import annotations

import argparse
import gc
import json
import random
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

CALLS_PER_BUCKET = 100  # in the "many buckets" layout
ORDERS = ("scheduled", "random")
TOLERANCE = 0.5  # the largest deviation from the mean cost allowed by the flatness check
ORIGINAL_SAMPLE = 2_000  # calls cancelled per run of the original timer


def noop() -> None:
    """The scheduled function: shared by every call, so it costs no memory per call."""


class FakeDelayedCall:
    """A real delayed call of the fake scheduler: only ``cancel`` is needed here."""

    __slots__ = ("cancelled",)

    def __init__(self) -> None:
        self.cancelled = False

    def cancel(self) -> None:
        self.cancelled = True


class FakeScheduler:
    """A clock standing still at 0, and a scheduler that only hands out handles."""

    def clock(self) -> float:
        return 0.0

    def schedule(self, delay: float, func: Callable[[], None]) -> FakeDelayedCall:
        return FakeDelayedCall()


def make_ours(bucket_seconds: float, use_twisted_clock: bool) -> Any:
    """Return a txaio_core BatchedTimer on the fake clock (or on Twisted's Clock)."""
    try:
        from txaio_core import BatchedTimer
    except ImportError:
        sys.path.insert(0, str(Path(__file__).parents[1] / "packages" / "txaio-core" / "src"))
        from txaio_core import BatchedTimer
    if use_twisted_clock:
        from twisted.internet.task import Clock

        clock = Clock()
        return BatchedTimer(
            bucket_seconds, 100, clock=clock.seconds, schedule=clock.callLater, report_error=print
        )
    fake = FakeScheduler()
    return BatchedTimer(
        bucket_seconds, 100, clock=fake.clock, schedule=fake.schedule, report_error=print
    )


def make_original(bucket_seconds: float, use_twisted_clock: bool) -> Any:
    """Return txaio 26.6.1's batched timer on a fresh twisted.internet.task.Clock."""
    from twisted.internet.task import Clock

    import txaio

    txaio.use_twisted()
    txaio.config.loop = Clock()
    return txaio.make_batched_timer(bucket_seconds, chunk_size=100)


def delays(count: int, layout: str) -> list[float]:
    """Delays putting ``count`` calls in one bucket, or ~100 per bucket in random order."""
    if layout == "one":
        return [3600.5] * count
    buckets = max(1, count // CALLS_PER_BUCKET)
    rng = random.Random(count)
    return [rng.randrange(buckets) + 10.5 for _ in range(count)]


def measure(
    make: Callable[[], Any], count: int, layout: str, order: str, sample: int | None
) -> dict[str, float]:
    """Schedule ``count`` calls, then cancel all (or ``sample``) of them in ``order``."""
    timer = make()
    waits = delays(count, layout)
    handles: list[Any] = [None] * count
    call_later = timer.call_later
    gc.collect()
    gc.disable()
    try:
        start = time.perf_counter_ns()
        for index, delay in enumerate(waits):
            handles[index] = call_later(delay, noop)
        scheduled = time.perf_counter_ns()
        if order == "random":
            random.Random(1).shuffle(handles)
        victims = handles if sample is None else handles[: min(sample, count)]
        before_touch = time.perf_counter_ns()
        for handle in victims:
            handle.cancel  # noqa: B018 -- reach each handle, without cancelling: the floor
        before_cancel = time.perf_counter_ns()
        for handle in victims:
            handle.cancel()
        cancelled = time.perf_counter_ns()
    finally:
        gc.enable()
    return {
        "schedule_ns": (scheduled - start) / count,
        "cancel_ns": (cancelled - before_cancel) / len(victims),
        "floor_ns": (before_cancel - before_touch) / len(victims),
    }


def bytes_per_pending_call(make: Callable[[], Any], count: int = 100_000) -> float | None:
    """Traced memory added per pending call (handle and bookkeeping), one bucket, no args.

    Returns None where the interpreter has no tracemalloc (PyPy).
    """
    try:
        import tracemalloc
    except ImportError:
        return None
    timer = make()
    handles: list[Any] = [None] * count
    timer.call_later(3600.5, noop)  # the bucket itself is not a per-call cost
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        for index in range(count):
            handles[index] = timer.call_later(3600.5, noop)
        after = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    return (after - before) / count


def run(
    impl: str, sizes: list[int], repeat: int, twisted_clock: bool, max_n: int
) -> dict[str, Any]:
    """Measure one implementation; return the best (lowest) figure of at least ``repeat`` runs."""
    factory = make_ours if impl == "ours" else make_original

    def make() -> Any:
        return factory(1.0, twisted_clock)

    sample = None if impl == "ours" else ORIGINAL_SAMPLE
    results: dict[str, Any] = {"impl": impl, "rows": []}
    # The original's sampled cancels are only fair in random order: in scheduling
    # order its sample would be the calls at the front of each bucket's list.
    for order in ORDERS if impl == "ours" else ("random",):
        for layout in ("one", "many"):
            for count in sizes:
                if impl == "original" and count > max_n:
                    continue
                best: dict[str, float] = {}
                # Small sizes are quick: repeat them more, so a preempted run cannot set the figure.
                for _ in range(max(repeat, min(200, 2_000_000 // count))):
                    figures = measure(make, count, layout, order, sample)
                    for key, value in figures.items():
                        best[key] = min(best.get(key, value), value)
                results["rows"].append({"order": order, "layout": layout, "n": count, **best})
    results["bytes_per_call"] = bytes_per_pending_call(make)
    return results


def flatness(costs: list[float]) -> tuple[float, float]:
    """Return max/min and the largest deviation from the mean of per-call costs."""
    mean = sum(costs) / len(costs)
    return max(costs) / min(costs), max(abs(cost / mean - 1) for cost in costs)


def print_table(results: dict[str, Any], clock: str) -> list[str]:
    """Print one implementation's figures; return its flatness verdict lines."""
    print(f"\n== {results['impl']} ({clock}) ==")
    print(
        f"{'order':<11}{'layout':<13}{'N':>10}{'schedule ns/call':>18}{'cancel ns/call':>16}"
        f"{'floor ns/call':>15}{'cancel-floor':>14}"
    )
    verdicts = []
    for order in ORDERS:
        for layout in ("one", "many"):
            rows = [row for row in results["rows"] if row["order"] == order]
            rows = [row for row in rows if row["layout"] == layout]
            name = "one bucket" if layout == "one" else f"{CALLS_PER_BUCKET}/bucket"
            for row in rows:
                print(
                    f"{order:<11}{name:<13}{row['n']:>10,}{row['schedule_ns']:>18.0f}"
                    f"{row['cancel_ns']:>16.0f}{row['floor_ns']:>15.0f}"
                    f"{row['cancel_ns'] - row['floor_ns']:>14.0f}"
                )
            if len(rows) < 2:
                continue
            whole = [row["cancel_ns"] for row in rows]
            own = [row["cancel_ns"] - row["floor_ns"] for row in rows]
            checked = ("cancel", whole) if order == "scheduled" else ("cancel-floor", own)
            for label, costs in (("cancel", whole), ("cancel-floor", own)):
                ratio, deviation = flatness(costs)
                print(
                    f"{'':<24}{label} flatness: max/min = {ratio:.2f},"
                    f" largest deviation from the mean = {deviation:.0%}"
                )
            ratio, deviation = flatness(checked[1])
            verdict = "PASS" if deviation <= TOLERANCE else "FAIL"
            verdicts.append(
                f"{verdict}  {order} order, {name}: {checked[0]} per call from"
                f" N={rows[0]['n']:,} to N={rows[-1]['n']:,} within {deviation:.0%} of the mean"
                f" (allowed {TOLERANCE:.0%})"
            )
    if results["bytes_per_call"] is None:
        print(f"bytes per pending call: skipped (no tracemalloc on {sys.implementation.name})")
    else:
        print(f"bytes per pending call (no args, tracemalloc): {results['bytes_per_call']:.1f}")
    return verdicts


def compare(ours: dict[str, Any], original: dict[str, Any]) -> None:
    def row(results: dict[str, Any], layout: str, count: int) -> dict[str, float] | None:
        for entry in results["rows"]:
            if (entry["order"], entry["layout"], entry["n"]) == ("random", layout, count):
                return dict(entry)
        return None

    print("\n== ours vs original txaio 26.6.1 ==")
    for count in (1_000, 10_000, 100_000):
        mine, theirs = row(ours, "one", count), row(original, "one", count)
        if mine is None or theirs is None:
            continue
        schedule = mine["schedule_ns"] / theirs["schedule_ns"]
        cheaper = theirs["cancel_ns"] / mine["cancel_ns"]
        print(
            f"N={count:>7,} one bucket, random order: schedule {schedule:.2f}x"
            f" the original's, cancel {cheaper:.0f}x cheaper"
        )
    if ours["bytes_per_call"] is None or original["bytes_per_call"] is None:
        print("bytes per pending call: skipped (no tracemalloc on this interpreter)")
        return
    ratio = ours["bytes_per_call"] / original["bytes_per_call"]
    print(
        f"bytes per pending call: {ours['bytes_per_call']:.0f} vs {original['bytes_per_call']:.0f}"
        f" ({ratio:.2f}x)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000,1000000")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--impl", choices=["ours", "original"], default="ours")
    parser.add_argument(
        "--twisted-clock", action="store_true", help="drive ours by Twisted's Clock"
    )
    parser.add_argument("--original-python", help="an interpreter with txaio==26.6.1 and Twisted")
    parser.add_argument("--original-max", type=int, default=100_000)
    parser.add_argument("--json", action="store_true", help="print the results as JSON only")
    options = parser.parse_args()
    sizes = [int(size) for size in options.sizes.split(",")]
    twisted_clock = options.twisted_clock or options.impl == "original"
    results = run(options.impl, sizes, options.repeat, twisted_clock, options.original_max)
    if options.json:
        print(json.dumps(results))
        return
    clock = "twisted.internet.task.Clock" if twisted_clock else "fake clock"
    print(
        f"Python {sys.version.split()[0]}; best of >= {options.repeat} runs (more for small N);"
        f" cancel orders: {', '.join(ORDERS)}"
    )
    verdicts = print_table(results, clock)
    if options.original_python:
        command = [options.original_python, __file__, "--impl", "original", "--json"]
        command += ["--sizes", options.sizes, "--repeat", str(options.repeat)]
        command += ["--original-max", str(options.original_max)]
        output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
        original = json.loads(output)
        print_table(original, f"twisted.internet.task.Clock, {ORIGINAL_SAMPLE} cancels per run")
        compare(results, original)
    if verdicts:
        print("\n== cost per cancel, the same at every N? ==")
        print("\n".join(verdicts))


if __name__ == "__main__":
    main()
