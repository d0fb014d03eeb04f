"""Futures on Twisted: Deferreds, Failures, and where Twisted differs from asyncio."""

from __future__ import annotations

import traceback
from types import TracebackType
from typing import Any, cast

import pytest
from twisted.internet.defer import AlreadyCalledError, CancelledError, Deferred
from twisted.python.failure import Failure

import txaio_twisted as tx_api
from tests.support.harness_twisted import TwistedHarness
from txaio_core import FailedFuture, IFailedFuture


def _outcome(future: Deferred[Any]) -> list[Any]:
    """Collect the outcome of ``future`` (consuming a failure)."""
    seen: list[Any] = []
    future.addBoth(seen.append)
    return seen


def raise_value_error(message: str = "boom") -> None:
    raise ValueError(message)


# --- creating futures and failures -------------------------------------------


def test_create_future_is_a_plain_deferred() -> None:
    future = tx_api.create_future()
    assert type(future) is Deferred
    assert not future.called


def test_create_future_with_result_or_error() -> None:
    assert _outcome(tx_api.create_future(result=3)) == [3]
    assert _outcome(tx_api.create_future(result=None)) == [None]
    failed = _outcome(tx_api.create_future(error=KeyError("k")))
    assert isinstance(failed[0], Failure)
    assert isinstance(failed[0].value, KeyError)


def test_create_future_refuses_a_non_callable_canceller() -> None:
    with pytest.raises(TypeError, match="canceller"):
        tx_api.create_future(canceller="no")  # type: ignore[arg-type]


def test_create_failure_is_a_failure_and_an_ifailedfuture() -> None:
    try:
        raise_value_error()
    except ValueError:
        fail = tx_api.create_failure()
    assert isinstance(fail, IFailedFuture)
    assert isinstance(fail.value, ValueError)
    # mypy takes Failure and IFailedFuture for incompatible: test the first untyped.
    assert isinstance(cast(object, fail), Failure)


def test_create_failure_of_a_non_exception_raises_type_error() -> None:
    with pytest.raises(TypeError, match="exception"):
        tx_api.create_failure("text")  # type: ignore[arg-type]


# --- resolve, reject, cancel ---------------------------------------------------


def test_reject_with_an_exception_gives_a_failure() -> None:
    future = tx_api.create_future()
    seen = _outcome(future)
    tx_api.reject(future, RuntimeError("it failed"))
    assert isinstance(seen[0], Failure)
    assert str(seen[0].value) == "it failed"


def test_reject_with_a_failure_passes_it_through() -> None:
    fail = tx_api.create_failure(ValueError("x"))
    future = tx_api.create_future()
    seen = _outcome(future)
    tx_api.reject(future, fail)
    assert seen == [fail]


def test_reject_with_a_foreign_ifailedfuture_keeps_value_and_traceback() -> None:
    try:
        raise_value_error("foreign")
    except ValueError as error:
        foreign = FailedFuture(ValueError, error, error.__traceback__)
    future = tx_api.create_future()
    seen = _outcome(future)
    tx_api.reject(future, foreign)
    assert seen[0].value is foreign.value
    assert "raise_value_error" in tx_api.failure_format_traceback(seen[0])


def test_cancel_runs_the_canceller_and_fails_with_cancelled_error() -> None:
    cancelled: list[Deferred[Any]] = []
    future = tx_api.create_future(canceller=cancelled.append)
    seen = _outcome(future)
    tx_api.cancel(future, msg="ignored on Twisted")
    assert cancelled == [future]
    assert isinstance(seen[0].value, CancelledError)
    assert tx_api.is_called(future)


def test_is_future_and_is_called() -> None:
    future = tx_api.create_future()
    assert tx_api.is_future(future)
    assert not tx_api.is_future(42)
    assert not tx_api.is_called(future)
    tx_api.resolve(future, 1)
    assert tx_api.is_called(future)


# --- callbacks: the documented differences from asyncio -------------------------


def test_callbacks_chain_each_gets_the_previous_return_value() -> None:
    # Twisted chains: unlike asyncio, the second callback sees the first's return value.
    # The manual's advice is therefore to return the argument unchanged.
    future = tx_api.create_future()
    seen: list[Any] = []
    tx_api.add_callbacks(future, lambda value: value * 2, None)
    tx_api.add_callbacks(future, seen.append, None)
    tx_api.resolve(future, 21)
    assert seen == [42]


def test_callbacks_that_return_their_argument_behave_like_asyncio() -> None:
    future = tx_api.create_future()
    seen: list[Any] = []

    def first(value: Any) -> Any:
        seen.append(("first", value))
        return value

    def second(value: Any) -> Any:
        seen.append(("second", value))
        return value

    tx_api.add_callbacks(future, first, None)
    tx_api.add_callbacks(future, second, None)
    tx_api.resolve(future, "v")
    assert seen == [("first", "v"), ("second", "v")]


def test_an_errback_returning_a_value_cancels_the_error_for_later_callbacks() -> None:
    future = tx_api.create_future()
    later: list[Any] = []
    tx_api.add_callbacks(future, None, lambda fail: "recovered")
    tx_api.add_callbacks(future, later.append, None)
    tx_api.reject(future, RuntimeError("gone"))
    assert later == ["recovered"]


def test_an_errback_returning_its_failure_keeps_the_error() -> None:
    future = tx_api.create_future()
    later: list[Any] = []
    tx_api.add_callbacks(future, None, lambda fail: fail)
    tx_api.add_callbacks(future, None, later.append)
    tx_api.reject(future, RuntimeError("kept"))
    assert str(later[0].value) == "kept"


def test_callbacks_run_synchronously_inside_resolve() -> None:
    future = tx_api.create_future()
    seen: list[Any] = []
    tx_api.add_callbacks(future, seen.append, None)
    tx_api.resolve(future, 1)
    assert seen == [1]  # no loop iteration needed


def test_callbacks_on_a_called_future_run_inside_add_callbacks() -> None:
    future = tx_api.create_future_success("done")
    seen: list[Any] = []
    tx_api.add_callbacks(future, seen.append, None)
    assert seen == ["done"]


def test_a_raising_callback_becomes_a_failure_for_later_errbacks() -> None:
    future = tx_api.create_future()
    errors: list[Any] = []
    tx_api.add_callbacks(future, lambda value: raise_value_error("in callback"), None)
    tx_api.add_callbacks(future, None, errors.append)
    tx_api.resolve(future, 1)
    assert str(errors[0].value) == "in callback"
    assert "raise_value_error" in tx_api.failure_format_traceback(errors[0])


def test_an_unhandled_failure_is_reported_at_garbage_collection(harness: TwistedHarness) -> None:
    def make_and_drop() -> None:
        future = tx_api.create_future()
        tx_api.add_callbacks(future, lambda value: raise_value_error("nobody listens"), None)
        tx_api.resolve(future, 1)

    make_and_drop()
    harness.collect_garbage()
    assert [str(error) for error in harness.reported] == ["nobody listens"]
    assert "Unhandled error in Deferred" in harness.reported_text[0]
    assert "raise_value_error" in harness.reported_text[0]


# --- failures -------------------------------------------------------------------


def test_failure_message() -> None:
    assert tx_api.failure_message(tx_api.create_failure(ValueError("bad"))) == "ValueError: bad"
    assert tx_api.failure_message(tx_api.create_failure(CancelledError())) == "CancelledError: "


def test_failure_traceback_is_a_real_traceback_even_after_twisted_cleans_the_failure() -> None:
    future = tx_api.create_future()
    try:
        raise_value_error("late")
    except ValueError:
        tx_api.reject(future)  # no errback yet: older Twisted cleans the failure now
    errors: list[Any] = []
    tx_api.add_callbacks(future, None, errors.append)
    tb = tx_api.failure_traceback(errors[0])
    assert isinstance(tb, TracebackType)
    names = [frame.name for frame in traceback.extract_tb(tb)]
    assert names[-1] == "raise_value_error"


def test_failure_traceback_of_a_callback_error_added_late_still_formats() -> None:
    future = tx_api.create_future()
    tx_api.add_callbacks(future, lambda value: raise_value_error("from callback"), None)
    tx_api.resolve(future, 1)
    errors: list[Any] = []
    tx_api.add_callbacks(future, None, errors.append)
    tb = tx_api.failure_traceback(errors[0])
    assert tb is not None
    assert traceback.extract_tb(tb)[-1].name == "raise_value_error"


def test_failure_format_traceback_looks_like_python() -> None:
    try:
        raise_value_error("formatted")
    except ValueError:
        fail = tx_api.create_failure()
    text = tx_api.failure_format_traceback(fail)
    assert text.startswith("Traceback (most recent call last):")
    assert "in raise_value_error" in text
    assert text.rstrip().endswith("ValueError: formatted")


def test_failure_format_traceback_survives_a_broken_str() -> None:
    class Broken(Exception):
        def __str__(self) -> str:
            raise RuntimeError("no")

    text = tx_api.failure_format_traceback(tx_api.create_failure(Broken()))
    assert "Broken" in text
    assert tx_api.failure_message(tx_api.create_failure(Broken())).startswith("Broken")


# --- as_future ----------------------------------------------------------------


def test_as_future_of_a_returned_failure_is_a_failed_deferred() -> None:
    fail = tx_api.create_failure(KeyError("k"))
    assert _outcome(tx_api.as_future(lambda: fail)) == [fail]


def test_as_future_runs_a_coroutine_function() -> None:
    waiting: Deferred[int] = Deferred()

    async def times_ten(x: int) -> int:
        return (await waiting) * x

    future = tx_api.as_future(times_ten, 10)
    seen = _outcome(future)
    assert seen == []
    waiting.callback(4)
    assert seen == [40]


def test_as_future_of_a_non_callable_raises() -> None:
    with pytest.raises(TypeError, match="fun"):
        tx_api.as_future(42)  # type: ignore[arg-type]


# --- gather ---------------------------------------------------------------------


def test_gather_gives_the_plain_list_of_values_in_order() -> None:
    a, b, c = tx_api.create_future(), tx_api.create_future(), tx_api.create_future()
    seen = _outcome(tx_api.gather([a, b, c]))
    tx_api.resolve(c, 3)
    tx_api.resolve(a, 1)
    assert seen == []
    tx_api.resolve(b, 2)
    assert seen == [[1, 2, 3]]


def test_gather_consuming_exceptions_puts_failures_in_place(harness: TwistedHarness) -> None:
    a, b = tx_api.create_future(), tx_api.create_future()
    seen = _outcome(tx_api.gather([a, b]))
    tx_api.reject(a, RuntimeError("first failed"))
    tx_api.resolve(b, "b")
    assert isinstance(seen[0][0], Failure)
    assert str(seen[0][0].value) == "first failed"
    assert seen[0][1] == "b"
    del a, b, seen
    harness.collect_garbage()
    assert harness.reported == [], "consumed failures are not reported as unhandled"


def test_gather_without_consuming_fails_with_the_first_failure() -> None:
    a, b = tx_api.create_future(), tx_api.create_future()
    seen = _outcome(tx_api.gather([a, b], consume_exceptions=False))
    tx_api.reject(b, RuntimeError("b failed"))
    assert isinstance(seen[0], Failure)
    assert str(seen[0].value) == "b failed"
    tx_api.resolve(a, 1)
    assert len(seen) == 1
    # not consumed: the failure stays in its own Deferred too
    assert str(_outcome(b)[0].value) == "b failed"


def test_cancelling_a_gather_cancels_the_pending_futures(harness: TwistedHarness) -> None:
    done = tx_api.create_future_success(1)
    pending = tx_api.create_future()
    gathered = tx_api.gather([done, pending])
    seen = _outcome(gathered)
    tx_api.cancel(gathered)
    assert pending.called
    assert isinstance(seen[0].value, CancelledError)
    del pending, gathered
    harness.collect_garbage()
    assert harness.reported == []


def test_gather_of_the_same_deferred_twice() -> None:
    future = tx_api.create_future()
    seen = _outcome(tx_api.gather([future, future]))
    tx_api.resolve(future, "x")
    assert seen == [["x", "x"]]


def test_gather_of_the_same_failed_deferred_twice_has_the_failure_at_both_places(
    harness: TwistedHarness,
) -> None:
    future = tx_api.create_future(error=RuntimeError("e0"))
    seen = _outcome(tx_api.gather([future, future]))
    assert [str(fail.value) for fail in seen[0]] == ["e0", "e0"]
    del future, seen
    harness.collect_garbage()
    assert harness.reported == [], "the gather consumed the failure"


def test_a_consuming_gather_that_never_finishes_leaves_the_failure_reported(
    harness: TwistedHarness,
) -> None:
    failed = tx_api.create_future(error=RuntimeError("never delivered"))
    never = tx_api.create_future()
    tx_api.gather([failed, never])
    del failed, never
    harness.collect_garbage()
    assert [str(error) for error in harness.reported] == ["never delivered"]


def test_resolve_after_cancelling_a_gather_is_ignored() -> None:
    child = tx_api.create_future()
    gathered = tx_api.gather([child])
    _outcome(gathered)
    tx_api.cancel(gathered)
    tx_api.resolve(child, 1)
    tx_api.resolve(child, 2)
    assert _outcome(child) == [None]  # its CancelledError, which the gather caused, is ended


def test_resolve_and_reject_after_cancel_are_ignored() -> None:
    future = tx_api.create_future()
    seen = _outcome(future)
    tx_api.cancel(future)
    tx_api.resolve(future, "late")
    tx_api.resolve(future, "later")
    tx_api.reject(future, RuntimeError("late failure"))
    assert len(seen) == 1
    assert isinstance(seen[0].value, CancelledError)


def test_resolve_twice_raises_already_called() -> None:
    future = tx_api.create_future_success(1)
    with pytest.raises(AlreadyCalledError, match="already"):
        tx_api.resolve(future, 2)
    with pytest.raises(AlreadyCalledError, match="already"):
        tx_api.reject(future, RuntimeError("late"))


def test_a_second_outcome_names_the_operation_and_the_state() -> None:
    failed = tx_api.create_future(error=RuntimeError("x"))
    _outcome(failed)  # handle it; the Deferred then holds None, its chain's result
    resolved = tx_api.create_future_success(1)
    with pytest.raises(AlreadyCalledError, match=r"reject\(\): .*already done \(resolved\)"):
        tx_api.reject(resolved, RuntimeError("late"))
    still_failed = tx_api.create_future(error=RuntimeError("y"))
    with pytest.raises(AlreadyCalledError, match=r"resolve\(\): .*already done \(failed\)"):
        tx_api.resolve(still_failed, 2)
    _outcome(still_failed)


@pytest.mark.parametrize("function", ["resolve", "reject", "cancel"])
def test_operations_on_a_non_future_raise_type_error(function: str) -> None:
    with pytest.raises(TypeError, match="future must be a Deferred"):
        getattr(tx_api, function)("not a future", ValueError("x"))


def test_add_callbacks_on_a_non_future_raises_type_error() -> None:
    with pytest.raises(TypeError, match="future must be a Deferred"):
        tx_api.add_callbacks(42, print, None)  # type: ignore[arg-type]
