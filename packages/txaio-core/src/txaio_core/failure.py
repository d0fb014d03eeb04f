"""Failures that work without any framework: capture, message, traceback.

Every function here copes with exceptions whose ``__str__`` or ``__repr__``
raises: formatting a failure must never raise a second error.
"""

from __future__ import annotations

import sys
import traceback
from types import TracebackType

from txaio_core.interfaces import IFailedFuture

__all__ = [
    "FailedFuture",
    "capture_failure",
    "describe_exception",
    "failure_format_traceback",
    "failure_message",
    "failure_traceback",
    "safe_str",
]


def safe_str(obj: object) -> str:
    """Return ``str(obj)``, or a description of the problem when that raises."""
    try:
        return str(obj)
    except Exception as problem:
        return f"<unprintable {type(obj).__name__} object: str() raised {type(problem).__name__}>"


def describe_exception(exc: BaseException) -> str:
    """Return ``"ExcType: text"`` for ``exc`` (just ``"ExcType"`` when the text is empty)."""
    text = safe_str(exc)
    name = type(exc).__name__
    return f"{name}: {text}" if text else name


class FailedFuture(IFailedFuture):
    """An exception with its traceback: the framework-free :class:`IFailedFuture`."""

    __slots__ = ("_traceback", "_type", "_value")

    def __init__(
        self,
        type_: type[BaseException],
        value: BaseException,
        traceback: TracebackType | None,
    ) -> None:
        self._type = type_
        self._value = value
        self._traceback = traceback

    @property
    def value(self) -> BaseException:
        """The exception instance."""
        return self._value

    @property
    def type(self) -> type[BaseException]:
        """The exception's class."""
        return self._type

    @property
    def tb(self) -> TracebackType | None:
        """The traceback of the exception."""
        return self._traceback

    def __repr__(self) -> str:
        return f"<FailedFuture {describe_exception(self._value)}>"

    __str__ = __repr__


def capture_failure(exception: BaseException | None = None) -> FailedFuture:
    """Return a :class:`FailedFuture` for ``exception`` or for the exception being handled.

    With no argument this must run inside an ``except`` block; otherwise it
    raises :class:`RuntimeError`. With an exception it uses that exception's
    own ``__traceback__``. Raises :class:`TypeError` for a non-exception.
    """
    if exception is None:
        exc_type, exc_value, exc_tb = sys.exc_info()
        if exc_value is None or exc_type is None:
            raise RuntimeError(
                "create_failure() without an exception must be called inside an "
                "'except' block; pass the exception to wrap it explicitly"
            )
        return FailedFuture(exc_type, exc_value, exc_tb)
    if not isinstance(exception, BaseException):
        raise TypeError(f"exception must be an exception instance, not {type(exception).__name__}")
    return FailedFuture(type(exception), exception, exception.__traceback__)


def _exception_in(fail: object) -> BaseException | None:
    """Return the exception a failure (or a bare exception) holds; None for anything else."""
    # A failure first: Twisted's Failure is itself a BaseException.
    if isinstance(fail, BaseException) and not isinstance(fail, IFailedFuture):
        return fail
    try:
        value = fail.value  # type: ignore[attr-defined]
    except Exception:
        return None
    return value if isinstance(value, BaseException) else None


def _not_a_failure(fail: object) -> str:
    """Return a line saying that ``fail``, given where a failure was expected, is none."""
    try:
        shown = repr(fail)
    except Exception as problem:
        shown = f"<repr() raised {type(problem).__name__}>"
    return f"not a failure: {type(fail).__name__} {shown:.80}"


def failure_message(fail: IFailedFuture) -> str:
    """Return ``"ExcType: text"`` for the failure: one line fit for a user. Never raises.

    The colon and space are there even when the text is empty
    (``"CancelledError: "``). A bare exception gives the same; anything else
    gives a line saying what it is (``"not a failure: str 'boom'"``).
    """
    exc = _exception_in(fail)
    if exc is None:
        return _not_a_failure(fail)
    return f"{type(exc).__name__}: {safe_str(exc)}"


def failure_traceback(fail: IFailedFuture) -> TracebackType | None:
    """Return the traceback object of the failure; ``None`` when it has none. Never raises.

    Something that is not a failure has none: ``None``.
    """
    exc = _exception_in(fail)
    if exc is None:
        return None
    given: object = fail  # typed IFailedFuture, but callers may pass a bare exception
    tb: TracebackType | None = None if exc is given else getattr(fail, "tb", None)
    if tb is None:
        tb = exc.__traceback__
    return tb


def failure_format_traceback(fail: IFailedFuture) -> str:
    """Return the failure's traceback formatted as Python prints it. Never raises.

    A bare exception is formatted the same way; anything else gives a line
    saying what it is (``"not a failure: int 3"``).
    """
    exc = _exception_in(fail)
    if exc is None:
        return _not_a_failure(fail) + "\n"
    tb = failure_traceback(fail)
    try:
        return "".join(traceback.format_exception(type(exc), exc, tb))
    except Exception as problem:
        lines = traceback.format_tb(tb) if tb is not None else []
        return (
            "Traceback (most recent call last):\n"
            + "".join(lines)
            + f"{type(exc).__name__}: <unformattable: {type(problem).__name__}>\n"
        )
