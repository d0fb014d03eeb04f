"""failure_message / failure_traceback / failure_format_traceback, on every backend."""

from __future__ import annotations

import pytest

from tests.support.harness import Harness


class UnprintableError(Exception):
    def __str__(self) -> str:
        raise RuntimeError("__str__ is broken")


def deep_raiser() -> None:
    raise IndexError("out of range here")


def test_message_is_type_and_text(harness: Harness) -> None:
    fail = harness.api.create_failure(KeyError("k"))
    assert harness.api.failure_message(fail) == "KeyError: 'k'"


def test_format_traceback_names_the_raising_frame(harness: Harness) -> None:
    try:
        deep_raiser()
    except IndexError:
        fail = harness.api.create_failure()
    text = harness.api.failure_format_traceback(fail)
    assert isinstance(text, str)
    assert "deep_raiser" in text
    assert "IndexError" in text
    assert "out of range here" in text


def test_traceback_is_available(harness: Harness) -> None:
    try:
        deep_raiser()
    except IndexError:
        fail = harness.api.create_failure()
    assert harness.api.failure_traceback(fail) is not None


@pytest.mark.parametrize("raise_it", [True, False])
def test_unprintable_exception_never_raises(harness: Harness, raise_it: bool) -> None:
    error = UnprintableError()
    if raise_it:
        try:
            raise error
        except UnprintableError:
            fail = harness.api.create_failure()
    else:
        fail = harness.api.create_failure(error)
    message = harness.api.failure_message(fail)
    assert "UnprintableError" in message
    assert "UnprintableError" in harness.api.failure_format_traceback(fail)
