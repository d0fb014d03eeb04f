"""The batched timer, driven by a fake clock: when calls run, cancelling, errors, memory."""

from __future__ import annotations

import math
import random
import weakref
from collections.abc import Callable
from typing import Any
from unittest.mock import patch

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.core.fakeclock import FakeScheduler
from tests.support.runtime import ON_PYPY, HeapMeter, collect_garbage
from txaio_core import BatchedCall, BatchedTimer, IBatchedTimer, batched_timer


def make_timer(
    bucket_seconds: float = 1.0, chunk_size: int = 100, **scheduler: Any
) -> tuple[BatchedTimer, FakeScheduler]:
    fake = FakeScheduler(**scheduler)
    timer = BatchedTimer(
        bucket_seconds,
        chunk_size,
        clock=fake.clock,
        schedule=fake.schedule,
        report_error=fake.report_error,
    )
    return timer, fake


class Recorder:
    """Records (time, label) for each call it receives."""

    def __init__(self, fake: FakeScheduler) -> None:
        self.fake = fake
        self.calls: list[tuple[float, object]] = []

    def __call__(self, label: object = None) -> None:
        self.calls.append((self.fake.now, label))

    @property
    def labels(self) -> list[object]:
        return [label for _, label in self.calls]


# -- arguments ---------------------------------------------------------------


@pytest.mark.parametrize("bucket_seconds", [0, -1, 0.0, math.nan, math.inf])
def test_bucket_seconds_must_be_positive_and_finite(bucket_seconds: float) -> None:
    with pytest.raises(ValueError, match="bucket_seconds"):
        make_timer(bucket_seconds)


def test_bucket_seconds_must_be_a_number() -> None:
    with pytest.raises(TypeError, match="bucket_seconds"):
        make_timer("1")  # type: ignore[arg-type]


@pytest.mark.parametrize("chunk_size", [0, -5])
def test_chunk_size_must_be_at_least_one(chunk_size: int) -> None:
    with pytest.raises(ValueError, match="chunk_size"):
        make_timer(1.0, chunk_size)


@pytest.mark.parametrize("chunk_size", [1.5, "10", True, None])
def test_chunk_size_must_be_an_int(chunk_size: object) -> None:
    with pytest.raises(TypeError, match="chunk_size"):
        make_timer(1.0, chunk_size)  # type: ignore[arg-type]


@pytest.mark.parametrize("argument", ["clock", "schedule", "report_error"])
def test_hooks_must_be_callable(argument: str) -> None:
    fake = FakeScheduler()
    hooks: dict[str, Any] = {
        "clock": fake.clock,
        "schedule": fake.schedule,
        "report_error": fake.report_error,
    }
    hooks[argument] = 42
    with pytest.raises(TypeError, match=f"{argument} must be a callable"):
        BatchedTimer(1.0, **hooks)


@pytest.mark.parametrize("delay", [-0.001, -1, math.nan, math.inf, -math.inf])
def test_delay_must_be_finite_and_not_negative(delay: float) -> None:
    timer, fake = make_timer()
    with pytest.raises(ValueError, match="delay"):
        timer.call_later(delay, print)
    assert fake.scheduled == []


@pytest.mark.parametrize("delay", ["1", None, [1]])
def test_delay_must_be_a_number(delay: object) -> None:
    timer, _ = make_timer()
    with pytest.raises(TypeError, match="delay"):
        timer.call_later(delay, print)  # type: ignore[arg-type]


@pytest.mark.parametrize("func", [None, 42, "print"])
def test_func_must_be_callable(func: object) -> None:
    timer, fake = make_timer()
    with pytest.raises(TypeError, match="func must be a callable"):
        timer.call_later(1, func)  # type: ignore[arg-type]
    assert fake.scheduled == []
    assert timer.pending() == 0


def test_is_an_ibatchedtimer_with_its_settings() -> None:
    timer, _ = make_timer(2.5, 7)
    assert isinstance(timer, IBatchedTimer)
    assert timer.bucket_seconds == 2.5
    assert timer.chunk_size == 7


# -- when calls run ----------------------------------------------------------


def test_a_call_runs_with_its_arguments_at_the_end_of_its_bucket() -> None:
    timer, fake = make_timer(1.0)
    seen: list[tuple[float, tuple[Any, ...], dict[str, Any]]] = []

    def record(*args: Any, **kwargs: Any) -> None:
        seen.append((fake.now, args, kwargs))

    timer.call_later(0.5, record, 1, 2, key="value")
    timer.call_later(0.5, record)
    fake.advance(0.99)
    assert seen == []
    fake.advance(0.01)
    assert seen == [(1.0, (1, 2), {"key": "value"}), (1.0, (), {})]


def test_rounding_is_up_never_down() -> None:
    # The original txaio rounds down and runs this call at t=0; we never run early.
    timer, fake = make_timer(1.0)
    record = Recorder(fake)
    fake.advance(0.3)
    timer.call_later(0.5, record, "a")  # due at 0.8
    timer.call_later(0.7, record, "b")  # due at exactly 1.0, the end of the same bucket
    fake.advance(0.49)
    assert record.calls == []
    fake.advance(0.21)
    assert record.calls == [(1.0, "a"), (1.0, "b")]


def test_zero_delay_runs_at_the_next_bucket_boundary_or_now_if_on_one() -> None:
    timer, fake = make_timer(1.0)
    record = Recorder(fake)
    timer.call_later(0, record, "on a boundary")
    fake.advance(0)
    assert record.calls == [(0.0, "on a boundary")]
    fake.advance(0.25)
    timer.call_later(0, record, "inside a bucket")
    fake.advance(1)
    assert record.calls[1] == (1.0, "inside a bucket")


def test_one_real_delayed_call_per_bucket() -> None:
    timer, fake = make_timer(1.0)
    for index in range(3000):
        timer.call_later(index % 3 + 0.5, print)
    assert len(fake.scheduled) == 3
    assert [call.when for call in fake.scheduled] == [1.0, 2.0, 3.0]
    assert timer.pending() == 3000


def test_calls_of_a_bucket_run_in_the_order_they_were_scheduled() -> None:
    timer, fake = make_timer(10.0, chunk_size=7)
    record = Recorder(fake)
    delays = [random.Random(5).uniform(0, 10) for _ in range(50)]
    for index, delay in enumerate(delays):
        timer.call_later(delay, record, index)
    fake.advance(20)
    assert record.labels == list(range(50))


def test_a_bucket_runs_in_chunks_spread_over_one_bucket_width() -> None:
    timer, fake = make_timer(1.0, chunk_size=100)
    record = Recorder(fake)
    for index in range(1000):
        timer.call_later(0.5, record, index)
    fake.advance(10)
    assert record.labels == list(range(1000))
    times = sorted({when for when, _ in record.calls})
    assert times == pytest.approx([1.0 + k / 10 for k in range(10)])
    for when in times:
        assert sum(1 for t, _ in record.calls if t == when) == 100
    # Each real delayed call ran one chunk: the loop is never blocked by all 1000.
    assert len(fake.fired) == 10


def test_a_bucket_that_fires_early_waits_until_it_is_due() -> None:
    # asyncio may run a timer up to its clock resolution early.
    timer, fake = make_timer(1.0, early=0.01)
    record = Recorder(fake)
    timer.call_later(0.5, record, "x")
    fake.advance(0.995)
    assert record.calls == []
    fake.advance(0.005)
    assert record.calls == [(1.0, "x")]


def test_late_chunks_catch_up_and_never_drift_past_one_bucket() -> None:
    timer, fake = make_timer(1.0, chunk_size=1)
    record = Recorder(fake)
    for index in range(4):
        timer.call_later(1.0, record, index)
    fake.run_until(3.0)  # the loop was busy: everything is late
    fake.run_all()
    assert record.calls[0] == (1.0, 0)
    assert [when for when, _ in record.calls] == pytest.approx([1.0, 1.25, 1.5, 1.75])


def test_a_call_scheduled_from_a_running_call_is_not_run_early() -> None:
    timer, fake = make_timer(1.0, chunk_size=2)
    record = Recorder(fake)

    def reschedule(label: int) -> None:
        record(label)
        if label < 3:
            timer.call_later(0, reschedule, label + 1)

    timer.call_later(1, reschedule, 0)
    fake.run_all()
    assert record.calls == [(1.0, 0), (1.0, 1), (1.0, 2), (1.0, 3)]
    assert timer.pending() == 0


@given(
    bucket_seconds=st.sampled_from([0.001, 0.1, 1.0, 7.5, 60.0]),
    chunk_size=st.integers(1, 20),
    steps=st.lists(
        st.tuples(
            st.floats(0, 200, allow_nan=False),  # delay of a new call
            st.floats(0, 50, allow_nan=False),  # clock advance before it
            st.booleans(),  # cancel it later?
        ),
        max_size=60,
    ),
)
def test_calls_run_after_their_delay_and_at_most_a_bucket_plus_spreading_late(
    bucket_seconds: float, chunk_size: int, steps: list[tuple[float, float, bool]]
) -> None:
    timer, fake = make_timer(bucket_seconds, chunk_size)
    ran: dict[int, float] = {}
    due: dict[int, float] = {}
    cancelled: set[int] = set()
    handles: list[BatchedCall] = []

    def run(label: int) -> None:
        assert label not in ran, "a call ran twice"
        ran[label] = fake.now

    for label, (delay, advance, cancel) in enumerate(steps):
        fake.advance(advance)
        due[label] = fake.now + delay
        handles.append(timer.call_later(delay, run, label))
        if cancel and label % 2:
            handles[label // 2].cancel()
            if label // 2 not in ran:
                cancelled.add(label // 2)
    fake.run_all()
    assert fake.reports == []
    assert set(ran) == set(due) - cancelled
    for label, when in ran.items():
        assert when >= due[label], "ran before its delay elapsed"
        assert when < due[label] + 2 * bucket_seconds + 1e-9, "ran more than a bucket late"
    assert timer.pending() == 0
    assert [call for call in fake.scheduled if call.active()] == []


_operations = st.one_of(
    st.tuples(st.just("schedule"), st.sampled_from([0.2, 0.7, 1.5, 3.0]), st.booleans()),
    st.tuples(st.just("cancel"), st.integers(0, 10_000), st.booleans()),
    st.tuples(st.just("advance"), st.sampled_from([0.05, 0.3, 1.0]), st.booleans()),
)


@pytest.mark.slow
@pytest.mark.parametrize("slack", [0, 3, 64])
@given(chunk_size=st.integers(1, 5), operations=st.lists(_operations, max_size=150))
def test_pending_and_what_runs_match_a_model_under_heavy_cancelling(
    slack: int, chunk_size: int, operations: list[tuple[str, float, bool]]
) -> None:
    """Schedule into a few buckets, cancel (also from running calls), advance: check every step.

    A small compaction slack makes buckets compact after a handful of cancels,
    so short examples reach the paths a server reaches with thousands.
    """
    timer, fake = make_timer(1.0, chunk_size)
    handles: list[BatchedCall] = []
    due: list[float] = []
    ran: list[int] = []
    cancelled: set[int] = set()

    def cancel(label: int) -> None:
        handles[label].cancel()
        if label not in ran:
            cancelled.add(label)

    def run(label: int, victim: int | None) -> None:
        assert label not in ran, "ran twice"
        assert label not in cancelled, "ran after it was cancelled"
        assert fake.now >= due[label], "ran before its delay elapsed"
        ran.append(label)
        if victim is not None:
            cancel(victim)  # a running call cancels another one

    with patch.object(batched_timer, "_COMPACT_SLACK", slack):
        for kind, value, flag in operations:
            if kind == "schedule":
                label = len(handles)
                # Some calls cancel an earlier one when they run.
                victim = label // 2 if flag and label else None
                due.append(fake.now + value)
                handles.append(timer.call_later(value, run, label, victim))
            elif kind == "cancel" and handles:
                cancel(int(value) % len(handles))
            elif kind == "advance":
                fake.advance(value)
            assert timer.pending() == len(handles) - len(ran) - len(cancelled)
        fake.run_all()
    assert fake.reports == []
    assert sorted(ran) == sorted(set(range(len(handles))) - cancelled)
    assert timer.pending() == 0
    assert fake.active_calls() == []
    # Calls in the same bucket (every delay here is > 0, so the same key means
    # the same bucket) run in the order they were made.
    by_bucket: dict[int, list[int]] = {}
    for label in ran:
        by_bucket.setdefault(math.ceil(due[label]), []).append(label)
    assert all(labels == sorted(labels) for labels in by_bucket.values())


# -- cancelling --------------------------------------------------------------


def test_cancel_withdraws_the_call_and_is_idempotent() -> None:
    timer, fake = make_timer(1.0)
    record = Recorder(fake)
    keep = timer.call_later(0.5, record, "keep")
    drop = timer.call_later(0.5, record, "drop")
    assert drop.active()
    drop.cancel()
    drop.cancel()
    assert not drop.active()
    assert keep.active()
    assert fake.scheduled[0].active(), "the bucket still has a call"
    fake.advance(1)
    assert record.labels == ["keep"]
    assert not keep.active()
    keep.cancel()  # after it ran: nothing happens
    assert record.labels == ["keep"]


def test_cancelling_the_last_call_of_a_bucket_cancels_its_real_delayed_call() -> None:
    timer, fake = make_timer(1.0)
    first = timer.call_later(0.5, print)
    second = timer.call_later(0.6, print)
    other = timer.call_later(1.5, print)
    bucket_call, other_call = fake.scheduled
    first.cancel()
    assert bucket_call.active()
    second.cancel()
    assert bucket_call.cancelled
    assert other_call.active()
    assert timer.pending() == 1
    # A new call in the same bucket gets a new real delayed call.
    again = timer.call_later(0.5, print)
    assert len(fake.scheduled) == 3
    again.cancel()
    other.cancel()
    assert fake.active_calls() == []


def test_cancelling_a_later_call_from_a_running_call() -> None:
    timer, fake = make_timer(1.0, chunk_size=2)
    record = Recorder(fake)
    handles: list[BatchedCall] = []

    def cancel_some(label: int) -> None:
        record(label)
        handles[1].cancel()  # same chunk, not run yet
        handles[4].cancel()  # a later chunk

    handles.append(timer.call_later(1, cancel_some, 0))
    handles.extend(timer.call_later(1, record, label) for label in range(1, 6))
    fake.run_all()
    assert record.labels == [0, 2, 3, 5]


@pytest.mark.parametrize(
    "chunk_size",
    [1, 100],
    ids=["the rest is in later chunks", "the rest is in the running chunk"],
)
def test_a_running_call_may_cancel_everything_left_in_its_bucket(chunk_size: int) -> None:
    timer, fake = make_timer(1.0, chunk_size=chunk_size)
    record = Recorder(fake)
    handles: list[BatchedCall] = []

    def cancel_rest(label: int) -> None:
        record(label)
        for handle in handles[1:]:
            handle.cancel()

    handles.append(timer.call_later(1, cancel_rest, 0))
    handles.extend(timer.call_later(1, record, label) for label in range(1, 4))
    fake.advance(1)
    assert record.labels == [0]
    assert fake.reports == []
    assert fake.active_calls() == [], "a later chunk's real delayed call is cancelled too"
    assert timer.pending() == 0
    fake.run_all()
    assert record.labels == [0]


def test_cancel_all_in_buckets_big_enough_to_compact_while_cancelling() -> None:
    timer, fake = make_timer(1.0)
    record = Recorder(fake)
    for label in range(1000):
        timer.call_later(0.5 + label % 3, record, label)
    timer.cancel_all()
    assert timer.pending() == 0
    assert fake.active_calls() == []
    fake.run_all()
    assert record.labels == []


def test_cancel_all_cancels_waiting_and_running_buckets() -> None:
    timer, fake = make_timer(1.0, chunk_size=1)
    record = Recorder(fake)
    for label in range(3):
        timer.call_later(1, record, label)
    for label in range(3, 6):
        timer.call_later(5, record, label)
    fake.advance(1)  # the first bucket is running, one chunk done
    assert timer.pending() == 5
    timer.cancel_all()
    assert timer.pending() == 0
    assert fake.active_calls() == []
    fake.advance(10)
    assert record.labels == [0]


def test_the_survivors_of_heavy_cancelling_run_in_order() -> None:
    timer, fake = make_timer(1.0, chunk_size=50)
    record = Recorder(fake)
    handles = [timer.call_later(0.5, record, label) for label in range(5000)]
    order = list(range(5000))
    random.Random(7).shuffle(order)
    survivors = sorted(order[:300])
    for label in order[300:]:
        handles[label].cancel()
    assert timer.pending() == 300
    fake.run_all()
    assert record.labels == survivors
    assert [when for when, _ in record.calls] == pytest.approx(
        [1.0 + (i // 50) / 6 for i in range(300)]
    )


def test_heavy_cancelling_in_a_bucket_part_way_through_its_chunks() -> None:
    timer, fake = make_timer(1.0, chunk_size=10)
    record = Recorder(fake)
    handles = [timer.call_later(0.5, record, label) for label in range(200)]
    fake.advance(1 + 4.5 / 20)  # the bucket has run 5 of its 20 chunks
    assert record.labels == list(range(50))
    later = list(range(50, 200))
    random.Random(5).shuffle(later)
    for label in later[:100]:
        handles[label].cancel()
    assert timer.pending() == 50
    fake.run_all()
    assert record.labels == list(range(50)) + sorted(later[100:])
    assert timer.pending() == 0


class Payload:
    """An argument that a weak reference can watch."""


def test_a_cancelled_handle_lets_go_of_its_arguments() -> None:
    timer, _ = make_timer()
    payload = Payload()
    watch = weakref.ref(payload)
    handle = timer.call_later(1, print, payload)
    del payload
    collect_garbage()
    assert watch() is not None, "the pending call holds its argument"
    handle.cancel()
    collect_garbage()
    assert watch() is None, "the cancelled handle (still alive) let go of its argument"
    assert timer.pending() == 0


def test_repr_says_whether_pending() -> None:
    timer, fake = make_timer()
    handle = timer.call_later(1, print)
    assert repr(handle).startswith("<BatchedCall pending <built-in function print>")
    fake.advance(1)
    assert repr(handle).startswith("<BatchedCall done")


# -- errors ------------------------------------------------------------------


def test_every_error_is_reported_with_its_own_traceback_and_the_rest_still_run() -> None:
    timer, fake = make_timer(1.0, chunk_size=10)
    record = Recorder(fake)

    def fail_with_key() -> None:
        raise KeyError("first")

    def fail_with_value() -> None:
        raise ValueError("second")

    timer.call_later(1, record, "before")
    timer.call_later(1, fail_with_key)
    timer.call_later(1, record, "between")
    timer.call_later(1, fail_with_value)
    timer.call_later(1, record, "after")
    fake.advance(1)
    assert record.labels == ["before", "between", "after"]
    errors = [report.error for report in fake.reports]
    assert [type(error) for error in errors] == [KeyError, ValueError]
    # Reported from inside the except block, so frameworks can capture it with its traceback.
    assert all(report.handling is report.error for report in fake.reports)
    for error, function in zip(errors, ("fail_with_key", "fail_with_value"), strict=True):
        tb = error.__traceback__
        assert tb is not None
        while tb.tb_next is not None:
            tb = tb.tb_next
        assert tb.tb_frame.f_code.co_name == function


def test_errors_in_several_chunks_are_all_reported() -> None:
    timer, fake = make_timer(1.0, chunk_size=2)

    def fail(label: int) -> None:
        raise RuntimeError(label)

    for label in range(5):
        timer.call_later(1, fail, label)
    fake.run_all()
    assert [report.error.args for report in fake.reports] == [(n,) for n in range(5)]


# -- memory ------------------------------------------------------------------


def test_a_pending_call_is_one_small_slotted_object() -> None:
    timer, fake = make_timer()
    handle = timer.call_later(1, print)
    assert not hasattr(handle, "__dict__")
    assert len(fake.scheduled) == 1, "no real delayed call (and no closure) per call"


def _bytes_per_pending_call(count: int, func: Callable[..., object]) -> float:
    timer, _ = make_timer()
    handles: list[BatchedCall | None] = [None] * count
    timer.call_later(1, func)  # open the bucket before measuring
    with HeapMeter() as heap:
        before = heap.used()
        for index in range(count):
            handles[index] = timer.call_later(1, func)
        after = heap.used()
    return (after - before) / count


def test_memory_per_pending_call_is_small() -> None:
    # CPython: a 4-slot object (64 bytes with its GC header) plus one list slot,
    # ~72 bytes. PyPy keeps an object's slots in an array of their own: 96 bytes
    # measured on PyPy 7.3.19 (with its GC's own figures; see HeapMeter).
    limit = 112 if ON_PYPY else 80
    assert _bytes_per_pending_call(20_000, print) <= limit


@pytest.mark.skipif(
    ON_PYPY,
    reason="PyPy's GC figures move by whole arena pages (~100 KB seen), coarser than the "
    "bounds here; tests/reliability/test_load.py checks the same at a million calls",
)
@pytest.mark.parametrize("scattered", [False, True], ids=["one bucket", "many buckets"])
def test_cancelled_calls_give_their_memory_back_while_their_bucket_waits(
    scattered: bool,
) -> None:
    timer, _ = make_timer()
    keep = timer.call_later(0.5, print)  # opens the first bucket before measuring
    count = 20_000
    rng = random.Random(3)
    delays = [rng.randrange(100) + 0.5 if scattered else 0.5 for _ in range(count)]
    with HeapMeter() as heap:
        before = heap.used()
        handles = [timer.call_later(delay, print) for delay in delays]
        scheduled = heap.used()
        survivors = handles[::1000]
        rng.shuffle(handles)
        for handle in handles:
            if handle not in survivors:
                handle.cancel()
        del handles, handle
        after = heap.used()
    assert timer.pending() == 1 + len(survivors)
    # What is left is the survivors and, per bucket, at most about as many
    # cancelled handles again plus a small slack: not the 20,000 cancelled ones.
    assert scheduled - before > count * 64
    # (64 is the slack below which a bucket does not bother to compact.)
    buckets_left = len(survivors) + 1
    limit = buckets_left * (64 + 3) * 80 if scattered else 20_000
    assert after - before < limit
    keep.cancel()
