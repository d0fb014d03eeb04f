"""Failure formatting works for any exception, even one whose __str__ raises."""

from __future__ import annotations

import pytest

from txaio_core import (
    FailedFuture,
    IFailedFuture,
    capture_failure,
    describe_exception,
    failure_format_traceback,
    failure_message,
    failure_traceback,
    safe_str,
)


class UnprintableError(Exception):
    def __str__(self) -> str:
        raise RuntimeError("no text for you")

    def __repr__(self) -> str:
        raise RuntimeError("no repr either")


def _raise_value_error() -> None:
    raise ValueError("the text")


def _captured(function: object) -> FailedFuture:
    try:
        function()  # type: ignore[operator]
    except Exception:
        return capture_failure()
    raise AssertionError("function did not raise")


def test_message_is_type_colon_text() -> None:
    assert failure_message(_captured(_raise_value_error)) == "ValueError: the text"


def test_message_of_an_exception_without_text_keeps_colon_and_space() -> None:
    # As the manual documents: "{ExceptionName}: {message}", even when empty.
    assert failure_message(capture_failure(KeyError())) == "KeyError: "


def test_message_survives_a_raising_str() -> None:
    message = failure_message(capture_failure(UnprintableError()))
    assert message.startswith("UnprintableError: <unprintable UnprintableError object")
    assert safe_str(UnprintableError()).startswith("<unprintable")
    assert describe_exception(UnprintableError()).startswith("UnprintableError: ")


def test_traceback_object_is_the_real_one() -> None:
    fail = _captured(_raise_value_error)
    tb = failure_traceback(fail)
    assert tb is not None
    assert tb is fail.value.__traceback__
    while tb.tb_next is not None:
        tb = tb.tb_next
    assert tb.tb_frame.f_code.co_name == "_raise_value_error"


def test_formatted_traceback_names_the_raising_function_and_the_error() -> None:
    text = failure_format_traceback(_captured(_raise_value_error))
    assert text.startswith("Traceback (most recent call last):")
    assert "_raise_value_error" in text
    assert text.rstrip().endswith("ValueError: the text")


def test_formatted_traceback_survives_a_raising_str() -> None:
    def raise_unprintable() -> None:
        raise UnprintableError

    text = failure_format_traceback(_captured(raise_unprintable))
    assert "raise_unprintable" in text
    assert "UnprintableError" in text
    assert repr(_captured(raise_unprintable)).startswith("<FailedFuture UnprintableError")


def test_failure_of_an_exception_never_raised_has_no_traceback() -> None:
    fail = capture_failure(OSError("never raised"))
    assert failure_traceback(fail) is None
    assert failure_format_traceback(fail) == "OSError: never raised\n"


def test_failed_future_is_an_ifailedfuture_with_value_type_and_tb() -> None:
    fail = _captured(_raise_value_error)
    assert isinstance(fail, IFailedFuture)
    assert isinstance(fail.value, ValueError)
    assert fail.type is ValueError
    assert fail.tb is fail.value.__traceback__


def test_a_foreign_ifailedfuture_is_formatted_through_its_value() -> None:
    class Foreign(IFailedFuture):
        def __init__(self, value: BaseException) -> None:
            self._value = value

        @property
        def value(self) -> BaseException:
            return self._value

    error = _captured(_raise_value_error).value
    foreign = Foreign(error)
    assert failure_message(foreign) == "ValueError: the text"
    assert failure_traceback(foreign) is error.__traceback__
    assert "_raise_value_error" in failure_format_traceback(foreign)


def test_capture_outside_an_except_block_says_so() -> None:
    with pytest.raises(RuntimeError, match="inside an 'except' block"):
        capture_failure()


def test_capture_of_a_non_exception_names_the_argument() -> None:
    with pytest.raises(TypeError, match="exception must be an exception instance, not str"):
        capture_failure("boom")  # type: ignore[arg-type]
