"""No error is ever lost: each reaches the framework's own error reporting, with its traceback.

On asyncio that is the loop's exception handler (at once for a raising callback,
"exception was never retrieved" when an unhandled failed future is collected);
on Twisted it is "Unhandled error in Deferred" when the Deferred is collected, or
a logged failure. The harness captures both as ``reported`` / ``reported_text``;
each test finds its error there together with the name of the function that
raised it, which only a real traceback contains.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.reliability.backends import BACKENDS, harness_factory
from tests.reliability.programs import advance_stepwise
from tests.support.harness import Harness


class Boom(Exception):
    """The error the tests raise; its message is unique per test."""


@pytest.fixture(params=BACKENDS)
def harness(request: pytest.FixtureRequest) -> Iterator[Harness]:
    with harness_factory(request.param)() as made:
        yield made


def settle(harness: Harness) -> None:
    """Run what is ready, then collect garbage so unhandled failures are reported."""
    harness.run_until_idle()
    harness.collect_garbage()
    harness.run_until_idle()


def assert_reported(harness: Harness, message: str, raiser: str) -> None:
    """Assert ``Boom(message)`` was reported exactly once, with ``raiser`` in its traceback."""
    found = [
        text
        for error, text in zip(harness.reported, harness.reported_text, strict=True)
        if isinstance(error, Boom) and str(error) == message
    ]
    assert len(found) == 1, (
        f"Boom({message!r}) reported {len(found)} times; reports: {harness.reported_text}"
    )
    assert raiser in found[0], f"the report has no traceback through {raiser}: {found[0]}"


def raising_callback(value: object) -> Any:
    raise Boom(f"callback got {value!r}")


def raising_errback(fail: Any) -> Any:
    raise Boom(f"errback got {type(fail.value).__name__}")


def raising_function() -> Any:
    raise Boom("as_future function")


def test_callback_that_raises_is_reported(harness: Harness) -> None:
    future = harness.api.create_future()
    harness.api.add_callbacks(future, raising_callback, None)
    harness.api.resolve(future, 5)
    del future
    settle(harness)
    assert_reported(harness, "callback got 5", "raising_callback")


def test_errback_that_raises_is_reported(harness: Harness) -> None:
    future = harness.api.create_future()
    harness.api.add_callbacks(future, None, raising_errback)
    harness.api.reject(future, KeyError("k"))
    del future
    settle(harness)
    assert_reported(harness, "errback got KeyError", "raising_errback")


def test_failed_future_nobody_handles_is_reported(harness: Harness) -> None:
    future = harness.api.as_future(raising_function)
    del future
    settle(harness)
    assert_reported(harness, "as_future function", "raising_function")


def test_future_rejected_in_except_block_nobody_handles_is_reported(harness: Harness) -> None:
    def failing_step() -> None:
        raise Boom("rejected in except")

    future = harness.api.create_future()
    try:
        failing_step()
    except Boom:
        harness.api.reject(future)
    del future
    settle(harness)
    assert_reported(harness, "rejected in except", "failing_step")


def test_failure_passing_only_callbacks_is_reported(harness: Harness) -> None:
    """A failed future that has callbacks but no errback is still unhandled."""
    seen: list[object] = []
    future = harness.api.as_future(raising_function)
    harness.api.add_callbacks(future, seen.append, None)
    del future
    settle(harness)
    assert seen == []
    assert_reported(harness, "as_future function", "raising_function")


def test_batched_call_that_raises_is_reported_and_the_bucket_goes_on(harness: Harness) -> None:
    ran: list[str] = []

    def raising_batched_call() -> None:
        ran.append("raiser")
        raise Boom("batched call")

    timer = harness.api.make_batched_timer(1.0, chunk_size=10)
    timer.call_later(0.5, ran.append, "before")
    timer.call_later(0.5, raising_batched_call)
    timer.call_later(0.5, ran.append, "after")
    advance_stepwise(harness, 2.0)
    settle(harness)
    assert ran == ["before", "raiser", "after"]
    assert_reported(harness, "batched call", "raising_batched_call")


def test_several_raising_batched_calls_are_each_reported(harness: Harness) -> None:
    def raising_batched_call(number: int) -> None:
        raise Boom(f"batched call {number}")

    timer = harness.api.make_batched_timer(0.5, chunk_size=2)
    for number in range(5):
        timer.call_later(0.25, raising_batched_call, number)
    advance_stepwise(harness, 5.0)
    settle(harness)
    for number in range(5):
        assert_reported(harness, f"batched call {number}", "raising_batched_call")


def test_handled_failure_is_not_reported(harness: Harness) -> None:
    """The other side of the coin: an errback that consumes the error leaves nothing to say.

    The errback returns None, which on Twisted ends the error; on asyncio any
    errback handles it. (Returning the failure differs: see the documented
    differences.)
    """
    handled: list[str] = []
    future = harness.api.as_future(raising_function)
    harness.api.add_callbacks(future, None, lambda fail: handled.append(str(fail.value)))
    del future
    settle(harness)
    assert handled == ["as_future function"]
    assert not [error for error in harness.reported if isinstance(error, Boom)]
