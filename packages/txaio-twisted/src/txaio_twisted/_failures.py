"""Failures on Twisted: ``twisted.python.failure.Failure`` as txaio's ``IFailedFuture``."""

from __future__ import annotations

import sys
from types import TracebackType
from typing import Any, cast

from twisted.python.failure import Failure

from txaio_core import failure as core_failure
from txaio_core.checks import exception_of
from txaio_core.interfaces import IFailedFuture

__all__ = [
    "as_failure",
    "create_failure",
    "failure_format_traceback",
    "failure_message",
    "failure_traceback",
]

IFailedFuture.register(Failure)

# Twisted before 24.x cleans a Failure (drops its traceback, and the exception's
# __traceback__) once a Deferred's callback chain ends in it. Failures made here
# keep the real traceback under this attribute, which cleaning preserves.
_KEPT_TRACEBACK = "_txaio_traceback"


def _new_failure(
    value: BaseException, tb: TracebackType | None, exc_type: type[BaseException] | None = None
) -> Failure:
    fail = Failure(value, exc_type or type(value), tb)  # type: ignore[no-untyped-call]
    if tb is not None:
        setattr(fail, _KEPT_TRACEBACK, tb)
    return fail


def create_failure(exception: BaseException | None = None) -> IFailedFuture:
    """Return a :class:`~twisted.python.failure.Failure` for ``exception``.

    Without ``exception`` it wraps the exception being handled, so it must run
    inside an ``except`` block; otherwise it raises :class:`RuntimeError`.
    With one it uses that exception's own traceback. Raises :class:`TypeError`
    when ``exception`` is not an exception instance.
    """
    if exception is None:
        exc_type, value, tb = sys.exc_info()
        if value is None:
            raise RuntimeError(
                "create_failure() without an exception must be called inside an "
                "'except' block; pass the exception to wrap it explicitly"
            )
        return cast(IFailedFuture, _new_failure(value, tb, exc_type))
    if not isinstance(exception, BaseException):
        raise TypeError(
            f"exception must be an exception instance or None, not "
            f"{type(exception).__name__} {exception!r:.80}"
        )
    return cast(IFailedFuture, _new_failure(exception, exception.__traceback__))


def as_failure(error: object, function: str = "reject") -> Failure:
    """Return ``error`` as a :class:`Failure` to fail a Deferred with in ``function``.

    ``error`` may be a ``Failure`` (returned as it is), an exception, another
    :class:`IFailedFuture`, or ``None`` for the exception being handled
    (:class:`RuntimeError` outside an ``except`` block). Anything else raises
    :class:`txaio_core.checks.InvalidErrorArgument` (a TypeError and a
    RuntimeError) naming what was given; see :func:`txaio_core.checks.exception_of`.
    """
    if isinstance(error, Failure):
        return error
    value, tb = exception_of(error, function)
    return _new_failure(value, tb)


def failure_message(fail: IFailedFuture) -> str:
    """Return ``"ExcType: text"`` for the failure: one line fit for a user. Never raises."""
    return core_failure.failure_message(fail)


def failure_traceback(fail: IFailedFuture) -> TracebackType | None:
    """Return the traceback of the failure, or ``None`` when it has none. Never raises.

    Given something that is not a failure it returns ``None``; given a bare
    exception, that exception's traceback.

    This is the real traceback object while Twisted still holds it (or when the
    failure was made by txaio); once Twisted has cleaned the failure, it is
    Twisted's stand-in that :mod:`traceback` formats the same way.
    """
    given: object = fail  # typed IFailedFuture, but callers may pass anything
    if not isinstance(given, IFailedFuture):
        return core_failure.failure_traceback(fail)  # a bare exception's, or None
    tb: Any = getattr(fail, "tb", None)
    if tb is None:
        tb = getattr(fail, _KEPT_TRACEBACK, None)
    if tb is None:
        tb = getattr(getattr(fail, "value", fail), "__traceback__", None)
    twisted_failure: object = fail
    if tb is None and isinstance(twisted_failure, Failure):
        tb = twisted_failure.getTracebackObject()  # type: ignore[no-untyped-call]
    return cast("TracebackType | None", tb)


def failure_format_traceback(fail: IFailedFuture) -> str:
    """Return the failure's traceback formatted as Python prints it. Never raises.

    Given something that is not a failure, it returns a line saying what it got.
    """
    given: object = fail  # typed IFailedFuture, but callers may pass anything
    if not isinstance(given, IFailedFuture):
        return core_failure.failure_format_traceback(fail)  # a bare exception, or no failure
    try:
        return core_failure.failure_format_traceback(_Traced(fail))
    except Exception:
        twisted_failure: object = fail
        if isinstance(twisted_failure, Failure):
            try:
                return twisted_failure.getTraceback()
            except Exception as problem:
                return f"<unformattable failure: {type(problem).__name__}>\n"
        return f"<unformattable failure {type(fail).__name__}>\n"


class _Traced(IFailedFuture):
    """A view of a failure whose ``tb`` is the best traceback we can find."""

    __slots__ = ("_fail", "tb")

    def __init__(self, fail: IFailedFuture) -> None:
        self._fail = fail
        self.tb = failure_traceback(fail)

    @property
    def value(self) -> BaseException:
        """The exception instance."""
        return self._fail.value
