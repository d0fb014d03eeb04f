"""txaio_core.checks: the argument decisions both backends share."""

from __future__ import annotations

import math
import sys

import pytest

from txaio_core import FailedFuture
from txaio_core.checks import (
    UNSET,
    AlreadyResolvedError,
    InvalidErrorArgument,
    already_done_message,
    delay_seconds,
    exception_of,
)


@pytest.mark.parametrize("delay", [0, 0.0, 1, 2.5, 10**6])
def test_delay_seconds_returns_a_valid_delay(delay: float) -> None:
    assert delay_seconds(delay) == delay


@pytest.mark.parametrize(
    ("delay", "error", "message"),
    [
        (True, TypeError, "delay must be a number of seconds, not bool True"),
        (False, TypeError, "delay must be a number of seconds, not bool False"),
        ("1", TypeError, "delay must be a number of seconds, not str"),
        (None, TypeError, "delay must be a number of seconds, not NoneType"),
        (-1, ValueError, "delay must be a finite number of seconds >= 0, got -1"),
        (math.nan, ValueError, "got nan"),
        (math.inf, ValueError, "got inf"),
    ],
)
def test_delay_seconds_refuses_a_bad_delay(
    delay: object, error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        delay_seconds(delay)


def test_exception_of_an_exception_is_it_with_its_traceback() -> None:
    try:
        raise ValueError("x")
    except ValueError as caught:
        error = caught
    assert exception_of(error, "reject") == (error, error.__traceback__)


def test_exception_of_none_is_the_exception_being_handled() -> None:
    try:
        raise KeyError("k")
    except KeyError:
        value, tb = exception_of(None, "reject")
        assert value is sys.exc_info()[1]
        assert tb is sys.exc_info()[2]


def test_exception_of_none_outside_an_except_block_says_so() -> None:
    with pytest.raises(RuntimeError, match=r"reject\(\): error is None, .* 'except' block"):
        exception_of(None, "reject")


def test_exception_of_a_failure_is_its_value_and_its_traceback() -> None:
    try:
        raise OSError("disk")
    except OSError as caught:
        error = caught
    failure = FailedFuture(OSError, error, None)
    assert exception_of(failure, "reject") == (error, error.__traceback__)


def test_exception_of_anything_else_is_a_type_error_and_a_runtime_error() -> None:
    with pytest.raises(InvalidErrorArgument) as info:
        exception_of(3, "create_future", "error")
    assert isinstance(info.value, TypeError)
    assert isinstance(info.value, RuntimeError)
    assert str(info.value) == (
        "create_future(): error must be None, an exception instance or an IFailedFuture, not int 3"
    )


def test_already_done_message_names_the_operation_and_the_state() -> None:
    assert already_done_message("resolve", True, "<f>") == (
        "resolve(): the future is already done (failed); "
        "a future can be resolved or rejected once: '<f>'"
    )
    assert "(resolved)" in already_done_message("reject", False, None)
    assert issubclass(AlreadyResolvedError, RuntimeError)


def test_unset_is_one_named_sentinel() -> None:
    assert repr(UNSET) == "<unset>"
    assert UNSET is not None
