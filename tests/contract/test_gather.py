"""gather(): one future for many, on every backend."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.callbacks import recording
from tests.support.harness import Harness


def outcome(harness: Harness, future: Any) -> tuple[str, Any]:
    seen: list[tuple[str, Any]] = []
    harness.api.add_callbacks(
        future,
        recording(seen, "result"),
        recording(seen, "failure"),
    )
    harness.run_until_idle()
    assert len(seen) == 1, seen
    return seen[0]


def test_results_in_input_order(harness: Harness) -> None:
    futures = [harness.api.create_future() for _ in range(3)]
    gathered = harness.api.gather(futures)
    harness.run_until_idle()
    assert not harness.api.is_called(gathered)
    for value, future in zip((3, 1, 2), reversed(futures), strict=True):
        harness.api.resolve(future, value)
    assert outcome(harness, gathered) == ("result", [2, 1, 3])


def test_result_is_a_plain_list(harness: Harness) -> None:
    gathered = harness.api.gather([harness.api.create_future_success(i) for i in range(4)])
    kind, value = outcome(harness, gathered)
    assert kind == "result"
    assert type(value) is list
    assert value == [0, 1, 2, 3]


def test_empty(harness: Harness) -> None:
    assert outcome(harness, harness.api.gather([])) == ("result", [])


def test_consumed_failures_are_in_place(harness: Harness) -> None:
    error = RuntimeError("second failed")
    futures = [
        harness.api.create_future_success("a"),
        harness.api.create_future_error(error),
        harness.api.create_future(),
    ]
    gathered = harness.api.gather(futures, consume_exceptions=True)
    harness.api.resolve(futures[2], "c")
    kind, value = outcome(harness, gathered)
    assert kind == "result"
    assert value[0] == "a"
    assert value[2] == "c"
    assert isinstance(value[1], harness.api.IFailedFuture)
    assert value[1].value is error
    assert harness.api.failure_message(value[1]) == "RuntimeError: second failed"
    del futures, gathered, value
    harness.collect_garbage()
    assert error not in harness.reported


def test_unconsumed_failure_fails_the_gather(harness: Harness) -> None:
    error = ValueError("first failure")
    futures = [harness.api.create_future(), harness.api.create_future()]
    gathered = harness.api.gather(futures, consume_exceptions=False)
    harness.api.reject(futures[1], error)
    kind, fail = outcome(harness, gathered)
    assert kind == "failure"
    assert fail.value is error
    harness.api.resolve(futures[0], "late")
    harness.run_until_idle()


def test_gather_accepts_any_iterable(harness: Harness) -> None:
    gathered = harness.api.gather(harness.api.create_future_success(i) for i in range(2))
    assert outcome(harness, gathered) == ("result", [0, 1])


def test_non_iterable_is_type_error(harness: Harness) -> None:
    with pytest.raises(TypeError, match="futures"):
        harness.api.gather(42)


def test_element_that_is_not_a_future_is_type_error(harness: Harness) -> None:
    with pytest.raises(TypeError, match="futures"):
        harness.api.gather([harness.api.create_future_success(1), 2])
