"""as_future(): any function's outcome as a future, on every backend."""

from __future__ import annotations

from collections.abc import AsyncIterator
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


def test_plain_function_return_value(harness: Harness) -> None:
    future = harness.api.as_future(lambda a, b, c=0: a + b + c, 1, 2, c=3)
    assert harness.api.is_future(future)
    assert outcome(harness, future) == ("result", 6)


def test_plain_function_exception_gives_failed_future(harness: Harness) -> None:
    def fails() -> None:
        raise ArithmeticError("never raised to the caller")

    future = harness.api.as_future(fails)
    kind, fail = outcome(harness, future)
    assert kind == "failure"
    assert isinstance(fail.value, ArithmeticError)
    assert "fails" in harness.api.failure_format_traceback(fail)


def test_returned_future_is_passed_through(harness: Harness) -> None:
    inner = harness.api.create_future()
    assert harness.api.as_future(lambda: inner) is inner
    harness.api.resolve(inner, "inner")
    harness.run_until_idle()


def test_coroutine_function_is_run(harness: Harness) -> None:
    async def double(value: int) -> int:
        return value * 2

    future = harness.api.as_future(double, 21)
    assert harness.api.is_future(future)
    assert outcome(harness, future) == ("result", 42)


def test_coroutine_function_awaiting_a_future(harness: Harness) -> None:
    gate = harness.api.create_future()

    async def waits() -> Any:
        return await gate

    future = harness.api.as_future(waits)
    harness.run_until_idle()
    assert not harness.api.is_called(future)
    harness.api.resolve(gate, "opened")
    assert outcome(harness, future) == ("result", "opened")


def test_coroutine_function_raising_gives_failed_future(harness: Harness) -> None:
    async def fails() -> None:
        raise KeyError("inside")

    kind, fail = outcome(harness, harness.api.as_future(fails))
    assert kind == "failure"
    assert isinstance(fail.value, KeyError)


def test_coroutine_function_with_wrong_arguments_gives_failed_future(harness: Harness) -> None:
    async def needs_one(value: int) -> int:
        return value

    kind, fail = outcome(harness, harness.api.as_future(needs_one))
    assert kind == "failure"
    assert isinstance(fail.value, TypeError)


def test_async_generator_function_is_a_clear_error(harness: Harness) -> None:
    async def generator() -> AsyncIterator[int]:
        yield 1

    with pytest.raises((TypeError, RuntimeError), match="await"):
        harness.api.as_future(generator)
