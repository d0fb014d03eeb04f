"""Details the original txaio's own test suite relies on, alike on both backends.

Each was found by running that suite against this txaio (``hatch run compat:original``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.support.harness import Harness
from txaio_core.checks import AlreadyResolvedError, InvalidErrorArgument


@pytest.mark.parametrize("error", [object(), "text", 3])
def test_reject_with_a_non_error_raises_a_type_error_that_is_a_runtime_error(
    harness: Harness, error: object
) -> None:
    future = harness.api.create_future()
    with pytest.raises(TypeError, match=r"reject\(\): error must be None, an exception") as info:
        harness.api.reject(future, error)
    raised: BaseException = info.value
    # The original raised RuntimeError: `except RuntimeError` keeps working.
    assert isinstance(raised, RuntimeError)
    assert isinstance(raised, InvalidErrorArgument)
    assert not harness.api.is_called(future)


def test_create_future_error_with_a_non_error_is_refused_alike(harness: Harness) -> None:
    with pytest.raises(RuntimeError, match=r"create_future_error\(\): error must be None"):
        harness.api.create_future_error("text")


def _failure_of_cancelled_future(harness: Harness) -> Any:
    future = harness.api.create_future()
    failures: list[Any] = []
    harness.api.add_callbacks(future, None, failures.append)
    harness.api.cancel(future)
    harness.run_until_idle()
    assert len(failures) == 1
    return failures[0]


def test_failure_message_keeps_colon_and_space_when_the_text_is_empty(harness: Harness) -> None:
    assert harness.api.failure_message(_failure_of_cancelled_future(harness)) == (
        "CancelledError: "
    )
    assert harness.api.failure_message(harness.api.create_failure(KeyError())) == "KeyError: "


@pytest.mark.parametrize("first", ["resolve", "reject"])
@pytest.mark.parametrize("second", ["resolve", "reject"])
def test_a_second_outcome_raises_one_portable_error(
    harness: Harness, first: str, second: str
) -> None:
    def outcome(operation: str, future: Any) -> None:
        if operation == "resolve":
            harness.api.resolve(future, 1)
        else:
            harness.api.reject(future, ValueError("no"))

    future = harness.api.create_future()
    outcome(first, future)
    state = "resolved" if first == "resolve" else "failed"
    with pytest.raises(AlreadyResolvedError, match=rf"{second}\(\): .*already done \({state}\)"):
        outcome(second, future)
    harness.api.add_callbacks(future, None, lambda failure: None)  # handles the failure
    harness.run_until_idle()


def test_a_second_outcome_is_also_the_frameworks_own_error(harness: Harness) -> None:
    if harness.name == "asyncio":
        import asyncio

        own: type[BaseException] = asyncio.InvalidStateError
    else:
        from twisted.internet.defer import AlreadyCalledError

        own = AlreadyCalledError
    future = harness.api.create_future()
    harness.api.resolve(future, 1)
    with pytest.raises(own) as info:
        harness.api.resolve(future, 2)
    raised: BaseException = info.value
    assert isinstance(raised, RuntimeError)
    harness.run_until_idle()


def test_cancel_from_the_futures_own_canceller_runs_it_once(harness: Harness) -> None:
    runs: list[object] = []
    pending: list[Any] = []

    def cancel_everything(future: Any) -> None:
        # A session's canceller cancels every pending future, this one included.
        runs.append(future)
        for each in pending:
            harness.api.cancel(each)

    future = harness.api.create_future(canceller=cancel_everything)
    other = harness.api.create_future()
    pending += [future, other]
    failures: list[Any] = []
    harness.api.add_callbacks(future, None, failures.append)
    harness.api.add_callbacks(other, None, failures.append)
    harness.api.cancel(future)
    harness.run_until_idle()
    assert runs == [future]
    assert [type(failure.value).__name__ for failure in failures] == ["CancelledError"] * 2


@pytest.mark.parametrize("delay", [True, False])
def test_a_bool_delay_is_refused_by_every_timer_with_one_message(
    harness: Harness, delay: bool
) -> None:
    timer = harness.api.make_batched_timer(1)
    messages: list[str] = []
    schedules: list[Callable[[], object]] = [
        lambda: harness.api.call_later(delay, print),
        lambda: harness.api.sleep(delay),
        lambda: timer.call_later(delay, print),
    ]
    for schedule in schedules:
        with pytest.raises(TypeError, match="delay must be a number of seconds, not bool") as info:
            schedule()
        messages.append(str(info.value))
    assert len(set(messages)) == 1
    assert timer.pending() == 0


@pytest.mark.parametrize("interrupt", [KeyboardInterrupt, SystemExit])
@pytest.mark.parametrize("chunk_size", [10, 2])
def test_an_interrupt_in_a_batched_call_keeps_the_rest_of_its_bucket(
    harness: Harness, interrupt: type[BaseException], chunk_size: int
) -> None:
    ran: list[str] = []

    def stop() -> None:
        ran.append("stop")
        raise interrupt()

    timer = harness.api.make_batched_timer(1, chunk_size)
    timer.call_later(0.5, ran.append, "a")
    timer.call_later(0.5, stop)
    for name in "bcde":
        timer.call_later(0.5, ran.append, name)
    with pytest.raises(interrupt):
        harness.advance(1)
    assert ran == ["a", "stop"]
    assert timer.pending() == 4
    harness.advance(1)  # the next opportunity, and a bucket width for later chunks
    assert ran == ["a", "stop", "b", "c", "d", "e"]
    assert timer.pending() == 0
    harness.advance(5)
    assert ran == ["a", "stop", "b", "c", "d", "e"]


def test_an_interrupt_in_the_last_call_of_a_bucket_leaves_nothing_behind(
    harness: Harness,
) -> None:
    def stop() -> None:
        raise KeyboardInterrupt

    timer = harness.api.make_batched_timer(1)
    ran: list[int] = []
    timer.call_later(0.5, ran.append, 1)
    timer.call_later(0.5, stop)
    with pytest.raises(KeyboardInterrupt):
        harness.advance(1)
    assert ran == [1]
    assert timer.pending() == 0
    harness.advance(5)
    assert ran == [1]


@pytest.mark.parametrize("given", ["not a failure", None, 3])
def test_failure_functions_given_a_non_failure_say_what_they_got(
    harness: Harness, given: object
) -> None:
    message = harness.api.failure_message(given)
    assert message == f"not a failure: {type(given).__name__} {given!r}"
    assert harness.api.failure_traceback(given) is None
    assert harness.api.failure_format_traceback(given) == f"{message}\n"


def test_failure_functions_given_an_unprintable_non_failure_still_answer(
    harness: Harness,
) -> None:
    class Unprintable:
        def __repr__(self) -> str:
            raise RuntimeError("no repr")

    message = harness.api.failure_message(Unprintable())
    assert message == "not a failure: Unprintable <repr() raised RuntimeError>"
    assert harness.api.failure_traceback(Unprintable()) is None
