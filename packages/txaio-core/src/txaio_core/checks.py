"""Decisions both backends share about their arguments: public, for backend builders.

* argument checks whose messages name the argument and what was expected
  (:func:`check_callable`, :func:`check_delay` and friends);
* :func:`delay_seconds`, the one fast delay check of ``call_later``, ``sleep``
  and the batched timer's ``call_later``;
* :func:`exception_of`, what ``reject(future, error)`` and ``create_future(error=...)``
  make of ``error`` (an exception, a failure, or None for the exception being
  handled), with one set of messages;
* :class:`AlreadyResolvedError` and :func:`already_done_message`, for resolving
  or rejecting a future a second time;
* :data:`UNSET`, the "argument not given" default.

Nothing here imports a framework.
"""

from __future__ import annotations

import math
import sys
from types import TracebackType
from typing import Any

from txaio_core.interfaces import IFailedFuture

__all__ = [
    "UNSET",
    "AlreadyResolvedError",
    "InvalidErrorArgument",
    "already_done_message",
    "check_callable",
    "check_delay",
    "check_positive_int",
    "check_positive_seconds",
    "delay_seconds",
    "exception_of",
]

_INF = math.inf


class _Unset:
    """The type of :data:`UNSET`."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "<unset>"


#: The default of arguments such as ``create_future``'s ``result`` and ``error``:
#: "not given", distinct from ``None``.
UNSET: Any = _Unset()


def check_callable(value: object, argument: str, *, allow_none: bool = False) -> None:
    """Return None if ``value`` is callable (or ``None`` when allowed).

    Raises :class:`TypeError` naming ``argument`` and what it got otherwise.
    """
    if value is None and allow_none:
        return
    if not callable(value):
        expected = "a callable or None" if allow_none else "a callable"
        raise TypeError(f"{argument} must be {expected}, not {type(value).__name__} {value!r:.80}")


def _real(value: Any, argument: str, expected: str) -> float:
    if isinstance(value, bool):
        # True is an int, but never meant as one second.
        raise TypeError(f"{argument} must be {expected}, not bool {value!r}")
    if not isinstance(value, (int, float)):
        try:
            return float(value.__float__())
        except Exception:
            raise TypeError(f"{argument} must be {expected}, not {type(value).__name__}") from None
    return float(value)


def check_delay(value: object, argument: str = "delay") -> float:
    """Return ``value`` as seconds if it is a finite number ``>= 0``.

    Raises :class:`TypeError` for a non-number (a bool is not a number of
    seconds) and :class:`ValueError` for a negative, NaN or infinite delay,
    naming ``argument``.
    """
    seconds = _real(value, argument, "a number of seconds")
    if not (0.0 <= seconds < _INF):
        raise ValueError(f"{argument} must be a finite number of seconds >= 0, got {value!r}")
    return seconds


def delay_seconds(delay: Any) -> float:
    """Return ``delay`` when it is a valid delay; else what :func:`check_delay` makes of it.

    The fast path of every ``call_later``-like function: a plain number in
    range costs two comparisons and two identity tests (bools are refused).
    Raises :class:`TypeError` / :class:`ValueError` naming ``delay``, as
    :func:`check_delay` does.
    """
    try:
        if 0.0 <= delay < _INF and delay is not True and delay is not False:
            return delay  # type: ignore[no-any-return]
    except TypeError:
        pass
    return check_delay(delay)


def check_positive_seconds(value: object, argument: str) -> float:
    """Return ``value`` if it is a finite number ``> 0``; else TypeError/ValueError naming it."""
    seconds = _real(value, argument, "a number of seconds")
    if not (0.0 < seconds < _INF):
        raise ValueError(f"{argument} must be a finite number of seconds > 0, got {value!r}")
    return seconds


def check_positive_int(value: object, argument: str) -> int:
    """Return ``value`` if it is an int ``>= 1``; else TypeError/ValueError naming it."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{argument} must be an int >= 1, not {type(value).__name__}")
    if value < 1:
        raise ValueError(f"{argument} must be an int >= 1, got {value!r}")
    return value


class InvalidErrorArgument(TypeError, RuntimeError):
    """An ``error`` argument that is neither None, an exception nor an IFailedFuture.

    A :class:`TypeError`, and a :class:`RuntimeError` too: the original txaio
    raised ``RuntimeError`` for it, and ``except RuntimeError`` keeps working.
    """


def exception_of(
    error: object, operation: str, argument: str = "error"
) -> tuple[BaseException, TracebackType | None]:
    """Return the exception that ``error`` stands for, with its traceback.

    ``error`` may be an exception instance (its own ``__traceback__``), an
    :class:`IFailedFuture` (its value and traceback), or None: the exception
    being handled, so the caller must be inside an ``except`` block, else
    :class:`RuntimeError` saying so. Anything else raises
    :class:`InvalidErrorArgument` (a TypeError and a RuntimeError) naming
    ``operation``, ``argument`` and what was given.
    """
    if isinstance(error, BaseException):
        return error, error.__traceback__
    if error is None:
        current = sys.exc_info()[1]
        if current is None:
            raise RuntimeError(
                f"{operation}(): {argument} is None, which means 'the exception being "
                "handled', but no exception is being handled here: call it inside an "
                "'except' block or pass the exception"
            )
        return current, current.__traceback__
    if isinstance(error, IFailedFuture):
        value = error.value
        tb = getattr(error, "tb", None)
        return value, value.__traceback__ if tb is None else tb
    raise InvalidErrorArgument(
        f"{operation}(): {argument} must be None, an exception instance or an "
        f"IFailedFuture, not {type(error).__name__} {error!r:.80}"
    )


class AlreadyResolvedError(RuntimeError):
    """Resolving or rejecting a future that is already resolved or failed.

    The portable base: each backend raises a subclass that is also the
    framework's own error (``asyncio.InvalidStateError``,
    ``twisted.internet.defer.AlreadyCalledError``), so one ``except
    txaio.AlreadyResolvedError`` (or ``except RuntimeError``) catches it on
    both, and existing ``except`` clauses for the framework's error still work.
    """


def already_done_message(operation: str, failed: bool, future: object) -> str:
    """Return the message of resolving or rejecting a ``future`` that is already done.

    Names ``operation`` ("resolve", "reject") and whether the future was
    resolved or ``failed``.
    """
    state = "failed" if failed else "resolved"
    return (
        f"{operation}(): the future is already done ({state}); a future can be "
        f"resolved or rejected once: {future!r:.120}"
    )
