"""Contract: call_later, sleep and batched timers run on the backend's clock, never early."""

from __future__ import annotations

import math
from typing import Any

import pytest

from tests.support.harness import Harness


def test_call_later_runs_with_args_and_kwargs_once_due(harness: Harness) -> None:
    calls: list[tuple[tuple[Any, ...], dict[str, Any]]] = []

    def record(*args: Any, **kwargs: Any) -> None:
        calls.append((args, kwargs))

    harness.api.call_later(2.0, record, 1, "two", key="word")
    harness.advance(1.5)
    assert calls == []
    harness.advance(0.5)
    assert calls == [((1, "two"), {"key": "word"})]
    harness.advance(10)
    assert len(calls) == 1


def test_call_later_zero_delay_runs_without_moving_the_clock(harness: Harness) -> None:
    calls: list[float] = []
    harness.api.call_later(0, lambda: calls.append(harness.now()))
    start = harness.now()
    harness.run_until_idle()
    assert calls == [start]


def test_call_later_returns_a_cancellable_handle(harness: Harness) -> None:
    calls: list[str] = []
    handle = harness.api.call_later(1.0, calls.append, "ran")
    handle.cancel()
    harness.advance(5)
    assert calls == []


def test_call_later_calls_run_in_due_order(harness: Harness) -> None:
    calls: list[str] = []
    harness.api.call_later(3, calls.append, "third")
    harness.api.call_later(1, calls.append, "first")
    harness.api.call_later(2, calls.append, "second")
    harness.advance(3)
    assert calls == ["first", "second", "third"]


@pytest.mark.parametrize(
    ("delay", "error"),
    [(-1, ValueError), (math.nan, ValueError), (math.inf, ValueError), ("soon", TypeError)],
)
def test_call_later_rejects_a_bad_delay(harness: Harness, delay: Any, error: type) -> None:
    with pytest.raises(error, match="delay"):
        harness.api.call_later(delay, lambda: None)


def test_call_later_rejects_a_non_callable(harness: Harness) -> None:
    with pytest.raises(TypeError, match="callable"):
        harness.api.call_later(1, "not callable")


def test_sleep_resolves_after_the_delay(harness: Harness) -> None:
    api = harness.api
    results: list[Any] = []
    future = api.sleep(2.5)
    assert api.is_future(future)
    api.add_callbacks(future, results.append, None)
    harness.advance(2.4)
    assert results == []
    assert not api.is_called(future)
    harness.advance(0.1)
    harness.run_until_idle()
    assert results == [None]


def test_sleep_rejects_a_negative_delay(harness: Harness) -> None:
    with pytest.raises(ValueError, match="delay"):
        harness.api.sleep(-1)


@pytest.mark.parametrize("bucket_seconds", [0.25, 1.0, 3.0])
def test_batched_timer_never_runs_a_call_early(harness: Harness, bucket_seconds: float) -> None:
    timer = harness.api.make_batched_timer(bucket_seconds)
    ran_at: dict[float, float] = {}
    start = harness.now()
    delays = [0.0, 0.001, 0.1, 0.25, 0.5, 0.999, 1.0, 1.7, 2.0, 3.3, 6.01]
    for delay in delays:
        timer.call_later(delay, lambda d=delay: ran_at.setdefault(d, harness.now()))
    harness.advance(0.0)
    step = bucket_seconds / 4
    while len(ran_at) < len(delays) and harness.now() - start < 20:
        harness.advance(step)
    assert sorted(ran_at) == sorted(delays)
    for delay, when in ran_at.items():
        assert when >= start + delay, f"call due at {delay} ran early, at {when - start}"
        # at most one bucket late, plus the advance step granularity
        assert when <= start + delay + bucket_seconds + step + 1e-9


def test_batched_timer_passes_args_and_kwargs(harness: Harness) -> None:
    timer = harness.api.make_batched_timer(1.0)
    calls: list[tuple[tuple[Any, ...], dict[str, Any]]] = []
    timer.call_later(0.5, lambda *a, **k: calls.append((a, k)), 1, 2, key="word")
    harness.advance(1.0)
    assert calls == [((1, 2), {"key": "word"})]


def test_batched_timer_cancelled_call_does_not_run(harness: Harness) -> None:
    timer = harness.api.make_batched_timer(1.0)
    calls: list[str] = []
    kept = timer.call_later(0.5, calls.append, "kept")
    dropped = timer.call_later(0.5, calls.append, "dropped")
    dropped.cancel()
    dropped.cancel()  # cancelling twice is harmless
    harness.advance(2.0)
    assert calls == ["kept"]
    assert kept is not dropped


def test_batched_timer_runs_a_due_bucket_in_chunks(harness: Harness) -> None:
    timer = harness.api.make_batched_timer(1.0, chunk_size=3)
    calls: list[int] = []
    for number in range(10):
        timer.call_later(0.5, calls.append, number)
    harness.advance(0.999)
    assert calls == []
    harness.advance(0.001)
    assert calls == [0, 1, 2], "only the first chunk runs when the bucket comes due"
    harness.advance(1.0)
    assert calls == list(range(10)), "the other chunks run within one more bucket width"


def test_batched_timer_reports_a_raising_call_and_runs_the_others(harness: Harness) -> None:
    timer = harness.api.make_batched_timer(1.0)
    calls: list[str] = []

    def explode_in_batched_timer() -> None:
        raise ValueError("batched boom")

    timer.call_later(0.3, calls.append, "before")
    timer.call_later(0.3, explode_in_batched_timer)
    timer.call_later(0.3, calls.append, "after")
    harness.advance(1.0)
    assert calls == ["before", "after"]
    assert [type(error) for error in harness.reported] == [ValueError]
    assert str(harness.reported[0]) == "batched boom"
    assert "explode_in_batched_timer" in harness.reported_text[0]
    assert "batched boom" in harness.reported_text[0]


@pytest.mark.parametrize(
    ("args", "error", "argument"),
    [
        ((0,), ValueError, "bucket_seconds"),
        ((-1.0,), ValueError, "bucket_seconds"),
        (("1",), TypeError, "bucket_seconds"),
        ((1.0, 0), ValueError, "chunk_size"),
        ((1.0, 2.5), TypeError, "chunk_size"),
    ],
)
def test_make_batched_timer_rejects_bad_arguments(
    harness: Harness, args: tuple[Any, ...], error: type, argument: str
) -> None:
    with pytest.raises(error, match=argument):
        harness.api.make_batched_timer(*args)
