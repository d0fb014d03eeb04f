"""Callbacks and errbacks, on every backend (callbacks return their argument)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.callbacks import recording
from tests.support.harness import Harness


def raise_value_error() -> None:
    raise ValueError("raised here")


def test_callback_gets_result(harness: Harness) -> None:
    seen: list[Any] = []
    future = harness.api.create_future()
    harness.api.add_callbacks(future, recording(seen), None)
    harness.api.resolve(future, 5)
    harness.run_until_idle()
    assert seen == [5]


def test_add_callbacks_returns_the_future(harness: Harness) -> None:
    future = harness.api.create_future()
    assert harness.api.add_callbacks(future, lambda v: v, None) is future
    harness.api.resolve(future, 1)
    harness.run_until_idle()


def test_callbacks_on_already_resolved_future_run(harness: Harness) -> None:
    seen: list[Any] = []
    future = harness.api.create_future_success("done")
    harness.api.add_callbacks(future, recording(seen), None)
    harness.run_until_idle()
    assert seen == ["done"]


def test_several_callbacks_all_see_the_result(harness: Harness) -> None:
    seen: list[tuple[str, Any]] = []
    future = harness.api.create_future()
    for name in ("first", "second", "third"):
        harness.api.add_callbacks(future, recording(seen, name), None)
    harness.api.resolve(future, 3)
    harness.run_until_idle()
    assert seen == [("first", 3), ("second", 3), ("third", 3)]


def test_errback_gets_failure_with_real_traceback(harness: Harness) -> None:
    failures: list[Any] = []
    future = harness.api.create_future()
    harness.api.add_callbacks(future, None, recording(failures))
    try:
        raise_value_error()
    except ValueError:
        harness.api.reject(future)
    harness.run_until_idle()
    assert len(failures) == 1
    fail = failures[0]
    assert isinstance(fail, harness.api.IFailedFuture)
    assert isinstance(fail.value, ValueError)
    assert harness.api.failure_message(fail) == "ValueError: raised here"
    text = harness.api.failure_format_traceback(fail)
    assert "raise_value_error" in text
    assert 'raise ValueError("raised here")' in text
    assert harness.api.failure_traceback(fail) is not None


def test_callback_not_called_on_failure_and_errback_not_on_success(harness: Harness) -> None:
    calls: list[str] = []

    def callback(value: Any) -> Any:
        calls.append("callback")
        return value

    def errback(fail: Any) -> Any:
        calls.append("errback")
        return fail

    ok = harness.api.create_future()
    bad = harness.api.create_future()
    for future in (ok, bad):
        harness.api.add_callbacks(future, callback, errback)
    harness.api.resolve(ok, 1)
    harness.api.reject(bad, RuntimeError("x"))
    harness.run_until_idle()
    assert sorted(calls) == ["callback", "errback"]


def test_cancelled_future_reaches_errback(harness: Harness) -> None:
    failures: list[Any] = []
    future = harness.api.create_future()
    harness.api.add_callbacks(future, None, recording(failures))
    harness.api.cancel(future)
    harness.run_until_idle()
    assert len(failures) == 1
    assert type(failures[0].value).__name__ == "CancelledError"


def test_both_none_is_value_error(harness: Harness) -> None:
    future = harness.api.create_future()
    with pytest.raises(ValueError, match="callback"):
        harness.api.add_callbacks(future, None, None)


@pytest.mark.parametrize("which", ["callback", "errback"])
def test_non_callable_is_type_error_naming_it(harness: Harness, which: str) -> None:
    future = harness.api.create_future()
    args: dict[str, Any] = {"callback": lambda v: v, "errback": lambda f: f}
    args[which] = 42
    with pytest.raises(TypeError, match=which):
        harness.api.add_callbacks(future, args["callback"], args["errback"])


def reported_messages(harness: Harness) -> list[str]:
    return [f"{type(error).__name__}: {error}" for error in harness.reported]


# The raised exceptions are made inside the callbacks: a test that kept one in a
# local would keep its traceback, hence (on Twisted) the failed Deferred, alive.


def test_raising_callback_is_reported_with_traceback(harness: Harness) -> None:
    def callback(value: Any) -> Any:
        raise KeyError("callback blew up")

    future = harness.api.create_future()
    harness.api.add_callbacks(future, callback, None)
    harness.api.resolve(future, 1)
    harness.run_until_idle()
    del future
    harness.collect_garbage()
    assert reported_messages(harness) == ["KeyError: 'callback blew up'"]
    assert "in callback" in harness.reported_text[0]


def test_raising_errback_is_reported(harness: Harness) -> None:
    def errback(fail: Any) -> Any:
        raise LookupError("errback blew up")

    future = harness.api.create_future()
    harness.api.add_callbacks(future, None, errback)
    harness.api.reject(future, RuntimeError("original"))
    harness.run_until_idle()
    del future
    harness.collect_garbage()
    assert reported_messages(harness) == ["LookupError: errback blew up"]
    assert "in errback" in harness.reported_text[0]
