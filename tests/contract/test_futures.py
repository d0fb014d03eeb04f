"""Creating, resolving, rejecting and cancelling futures, on every backend."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.harness import Harness


def outcome(harness: Harness, future: Any) -> tuple[str, Any]:
    """Return ("result", value) or ("failure", IFailedFuture) once ``future`` is done."""
    seen: list[tuple[str, Any]] = []

    def on_result(value: Any) -> Any:
        seen.append(("result", value))
        return value

    def on_failure(fail: Any) -> Any:
        seen.append(("failure", fail))
        return fail

    harness.api.add_callbacks(future, on_result, on_failure)
    harness.run_until_idle()
    assert len(seen) == 1, seen
    return seen[0]


def test_create_future_is_pending_future(harness: Harness) -> None:
    future = harness.api.create_future()
    assert harness.api.is_future(future)
    assert not harness.api.is_called(future)
    harness.api.resolve(future, "value")
    assert outcome(harness, future) == ("result", "value")


def test_is_future_rejects_other_objects(harness: Harness) -> None:
    assert not harness.api.is_future(42)
    assert not harness.api.is_future(None)
    assert not harness.api.is_future(lambda: None)


def test_create_future_with_result_is_already_resolved(harness: Harness) -> None:
    future = harness.api.create_future(result=7)
    assert harness.api.is_called(future)
    assert outcome(harness, future) == ("result", 7)
    assert outcome(harness, harness.api.create_future(result=None)) == ("result", None)


def test_create_future_with_error_is_already_failed(harness: Harness) -> None:
    error = RuntimeError("broken")
    future = harness.api.create_future(error=error)
    assert harness.api.is_called(future)
    kind, fail = outcome(harness, future)
    assert kind == "failure"
    assert fail.value is error


def test_create_future_with_result_and_error_is_value_error(harness: Harness) -> None:
    with pytest.raises(ValueError, match="both"):
        harness.api.create_future(result=1, error=RuntimeError("x"))


def test_create_future_success_and_error(harness: Harness) -> None:
    assert outcome(harness, harness.api.create_future_success("ok")) == ("result", "ok")
    error = KeyError("k")
    kind, fail = outcome(harness, harness.api.create_future_error(error))
    assert (kind, fail.value) == ("failure", error)


def test_resolve_with_none_by_default(harness: Harness) -> None:
    future = harness.api.create_future()
    harness.api.resolve(future)
    assert outcome(harness, future) == ("result", None)


def test_reject_with_exception(harness: Harness) -> None:
    future = harness.api.create_future()
    error = ValueError("bad value")
    harness.api.reject(future, error)
    assert harness.api.is_called(future)
    kind, fail = outcome(harness, future)
    assert (kind, fail.value) == ("failure", error)


def test_reject_with_failed_future(harness: Harness) -> None:
    error = ValueError("wrapped")
    fail = harness.api.create_failure(error)
    future = harness.api.create_future()
    harness.api.reject(future, fail)
    kind, got = outcome(harness, future)
    assert (kind, got.value) == ("failure", error)


def test_reject_without_error_inside_except_uses_current_exception(harness: Harness) -> None:
    future = harness.api.create_future()
    try:
        raise OSError("disk on fire")
    except OSError as error:
        caught = error
        harness.api.reject(future)
    kind, fail = outcome(harness, future)
    assert (kind, fail.value) == ("failure", caught)


def test_reject_without_error_outside_except_is_runtime_error(harness: Harness) -> None:
    future = harness.api.create_future()
    with pytest.raises(RuntimeError, match="except"):
        harness.api.reject(future)
    assert not harness.api.is_called(future)


@pytest.mark.parametrize("bad", [42, "text", RuntimeError, object(), [ValueError()]])
def test_reject_with_something_else_is_type_error_naming_error(harness: Harness, bad: Any) -> None:
    future = harness.api.create_future()
    with pytest.raises(TypeError, match="error") as info:
        harness.api.reject(future, bad)
    assert type(bad).__name__ in str(info.value)
    assert not harness.api.is_called(future)


def test_create_failure_inside_except_captures_exception(harness: Harness) -> None:
    try:
        raise ZeroDivisionError("no")
    except ZeroDivisionError as error:
        caught = error
        fail = harness.api.create_failure()
    assert isinstance(fail, harness.api.IFailedFuture)
    assert fail.value is caught
    assert "test_create_failure_inside_except" in harness.api.failure_format_traceback(fail)


def test_create_failure_with_exception_wraps_it(harness: Harness) -> None:
    error = LookupError("missing")
    fail = harness.api.create_failure(error)
    assert isinstance(fail, harness.api.IFailedFuture)
    assert fail.value is error
    assert harness.api.failure_message(fail) == "LookupError: missing"


def test_create_failure_outside_except_is_a_clear_error(harness: Harness) -> None:
    with pytest.raises(RuntimeError, match="except"):
        harness.api.create_failure()


def test_cancel_runs_canceller_with_the_future_and_fails_it(harness: Harness) -> None:
    cancelled: list[Any] = []
    future = harness.api.create_future(canceller=cancelled.append)
    harness.api.cancel(future)
    harness.run_until_idle()
    assert cancelled == [future]
    assert harness.api.is_called(future)
    kind, fail = outcome(harness, future)
    assert kind == "failure"
    assert type(fail.value).__name__ == "CancelledError"


def test_cancel_with_message(harness: Harness) -> None:
    future = harness.api.create_future()
    harness.api.cancel(future, msg="no longer wanted")
    kind, fail = outcome(harness, future)
    assert kind == "failure"
    assert type(fail.value).__name__ == "CancelledError"


def test_unhandled_failure_is_reported_when_collected(harness: Harness) -> None:
    error = RuntimeError("nobody listens")
    future = harness.api.create_future()
    harness.api.reject(future, error)
    del future
    harness.collect_garbage()
    assert error in harness.reported
