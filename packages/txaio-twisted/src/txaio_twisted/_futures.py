"""Futures on Twisted: plain ``Deferred`` objects, created, resolved and combined."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from types import AsyncGeneratorType, CoroutineType
from typing import Any

from twisted.internet.defer import AlreadyCalledError, Deferred, ensureDeferred, fail, succeed
from twisted.python.failure import Failure

from txaio_core.checks import UNSET, AlreadyResolvedError, already_done_message, check_callable
from txaio_core.interfaces import IFailedFuture
from txaio_twisted._failures import as_failure

__all__ = [
    "AlreadyResolved",
    "add_callbacks",
    "as_future",
    "cancel",
    "create_future",
    "create_future_error",
    "create_future_success",
    "is_called",
    "is_future",
    "reject",
    "resolve",
]


# Marks a Deferred that cancel() cancelled: resolve/reject then ignore it.
_CANCELLED = "_txaio_cancelled"


class AlreadyResolved(AlreadyResolvedError, AlreadyCalledError):
    """Resolving or rejecting a Deferred that is already resolved or failed.

    Both ``twisted.internet.defer.AlreadyCalledError`` and the portable
    :class:`txaio_core.checks.AlreadyResolvedError` (a RuntimeError).
    """


def create_future(
    result: Any = UNSET,
    error: Any = UNSET,
    canceller: Callable[[Any], object] | None = None,
) -> Deferred[Any]:
    """Return a new :class:`~twisted.internet.defer.Deferred`.

    With ``result`` it is already resolved, with ``error`` (an exception or an
    ``IFailedFuture``) already failed; ``canceller(deferred)`` runs when it is
    cancelled. Raises :class:`ValueError` when both ``result`` and ``error``
    are given, :class:`TypeError` for a ``canceller`` that is not callable.
    """
    if canceller is None and result is UNSET and error is UNSET:
        return Deferred()
    if result is not UNSET and error is not UNSET:
        raise ValueError("create_future(): give result or error, not both")
    check_callable(canceller, "canceller", allow_none=True)
    future: Deferred[Any] = Deferred(canceller)  # type: ignore[arg-type]
    if error is not UNSET:
        future.errback(as_failure(error, "create_future"))
    elif result is not UNSET:
        future.callback(result)
    return future


def create_future_success(result: Any) -> Deferred[Any]:
    """Return a Deferred already resolved with ``result``."""
    future: Deferred[Any] = Deferred()
    future.callback(result)
    return future


def create_future_error(error: Any = None) -> Deferred[Any]:
    """Return a Deferred already failed with ``error``.

    ``error`` is an exception, an ``IFailedFuture``, or ``None`` for the
    exception being handled (:class:`RuntimeError` outside an ``except``
    block); anything else raises :class:`TypeError`.
    """
    future: Deferred[Any] = Deferred()
    future.errback(as_failure(error, "create_future_error"))
    return future


def as_future(fun: Callable[..., Any], *args: Any, **kwargs: Any) -> Deferred[Any]:
    """Call ``fun(*args, **kwargs)`` and return a Deferred of its outcome.

    A Deferred returned by ``fun`` is returned as it is; a coroutine (from an
    ``async def`` function) runs through :func:`~twisted.internet.defer.ensureDeferred`;
    so does any other awaitable; a plain value gives a resolved Deferred and an
    exception raised by the call (wrong arguments included) a failed one.
    Raises :class:`TypeError` when ``fun`` is not callable or returns an async
    generator (which cannot be awaited).
    """
    if not callable(fun):
        check_callable(fun, "fun")  # type: ignore[unreachable]
    try:
        result = fun(*args, **kwargs)
    except Exception:
        future: Deferred[Any] = Deferred()
        future.errback(as_failure(None, "as_future"))
        return future
    if isinstance(result, Deferred):
        return result
    result_type = type(result)
    if result_type is CoroutineType:
        return ensureDeferred(result)
    if result_type is AsyncGeneratorType:
        raise TypeError(
            f"as_future(): {fun!r:.80} returned an async generator, which cannot be "
            "awaited; pass a coroutine function (async def without yield) or a plain one"
        )
    if isinstance(result, Failure):
        return fail(result)
    if hasattr(result_type, "__await__"):
        return ensureDeferred(_awaited(result))
    return succeed(result)


async def _awaited(awaitable: Awaitable[Any]) -> Any:
    return await awaitable


def is_future(obj: Any) -> bool:
    """Return whether ``obj`` is a :class:`~twisted.internet.defer.Deferred`."""
    return isinstance(obj, Deferred)


def is_called(future: Deferred[Any]) -> bool:
    """Return whether ``future`` has been resolved, failed or cancelled."""
    return bool(future.called)


def resolve(future: Deferred[Any], result: Any = None) -> None:
    """Resolve ``future`` with ``result``, running its callbacks now.

    Does nothing when :func:`cancel` cancelled it (a producer racing a cancel),
    however often. Raises ``AlreadyResolved`` (an ``AlreadyCalledError``
    and a RuntimeError) when it is already resolved or failed, and
    :class:`TypeError` naming ``future`` when it is not a Deferred.
    """
    try:
        future.callback(result)
    except AttributeError:
        _check_future(future, "resolve")
        raise
    except AlreadyCalledError:
        _refuse_second_outcome(future, "resolve")


def _refuse_second_outcome(future: Deferred[Any], operation: str) -> None:
    """Handle ``operation`` on a ``future`` that already has an outcome (call in ``except``).

    A Deferred that txaio cancelled ignores it, every time: a producer racing a
    cancel is common and harmless. A resolved or failed one raises
    ``AlreadyResolved`` saying which, and naming ``operation``.
    """
    if getattr(future, _CANCELLED, False):
        # Twisted swallows only the first outcome after a cancel: forget the
        # second and later ones here.
        return
    failed = isinstance(future.result, Failure)
    raise AlreadyResolved(already_done_message(operation, failed, future)) from None


def _check_future(future: object, function: str) -> None:
    """Raise :class:`TypeError` naming ``future`` unless it is a Deferred."""
    if not isinstance(future, Deferred):
        raise TypeError(
            f"{function}(): future must be a Deferred, not {type(future).__name__} {future!r:.80}"
        ) from None


def reject(future: Deferred[Any], error: Any = None) -> None:
    """Fail ``future`` with ``error``, running its errbacks now.

    ``error`` may be an exception, an ``IFailedFuture`` (a ``Failure``), or
    ``None`` to use the exception being handled; outside an ``except`` block
    that raises :class:`RuntimeError`, and any other value :class:`TypeError`.
    Does nothing when :func:`cancel` cancelled it; raises ``AlreadyResolved``
    (an ``AlreadyCalledError``) when it is already resolved or failed.
    """
    failure = as_failure(error)
    try:
        future.errback(failure)
    except AttributeError:
        _check_future(future, "reject")
        raise
    except AlreadyCalledError:
        _refuse_second_outcome(future, "reject")


def cancel(future: Deferred[Any], msg: str | None = None) -> None:
    """Cancel ``future``: run its canceller, then fail it with ``CancelledError``.

    A Deferred that already has an outcome is left alone; once cancelled,
    :func:`resolve` and :func:`reject` ignore it (a producer racing a cancel is
    harmless), as on asyncio. Cancelling it again, from its own canceller
    too, does nothing. ``msg`` is accepted for compatibility with
    asyncio; Twisted's ``CancelledError`` has no message. Raises
    :class:`TypeError` when ``future`` is not a Deferred.
    """
    _check_future(future, "cancel")
    # Once is enough: a canceller that cancels every pending future of a
    # session, this one included, must not run again (and again...).
    if not future.called and not getattr(future, _CANCELLED, False):
        setattr(future, _CANCELLED, True)
        future.cancel()


def add_callbacks(
    future: Deferred[Any],
    callback: Callable[[Any], Any] | None,
    errback: Callable[[IFailedFuture], Any] | None,
) -> Deferred[Any]:
    """Add ``callback`` and/or ``errback`` to ``future``; return ``future``.

    On Twisted callbacks *chain*: each gets what the previous one returned, and
    an errback that returns a value (not a failure) ends the error for the
    callbacks after it. Make callbacks and errbacks return their argument to
    behave the same on asyncio. A callback added to a Deferred that already
    has its outcome runs at once, inside this call.

    Raises :class:`ValueError` when both are ``None`` and :class:`TypeError`
    when one is neither ``None`` nor callable.
    """
    # addCallback/addErrback when one side is None: Twisted then skips building
    # the pass-through half, which is most of the cost of a future cycle.
    try:
        if errback is None:
            if callback is None:
                raise ValueError("add_callbacks(): callback and errback cannot both be None")
            if not callable(callback):
                check_callable(callback, "callback", allow_none=True)  # type: ignore[unreachable]
            future.addCallback(callback)
        elif callback is None:
            if not callable(errback):
                check_callable(errback, "errback", allow_none=True)  # type: ignore[unreachable]
            future.addErrback(errback)  # type: ignore[call-overload]  # Failure is an IFailedFuture
        else:
            if not callable(callback):
                check_callable(callback, "callback", allow_none=True)  # type: ignore[unreachable]
            if not callable(errback):
                check_callable(errback, "errback", allow_none=True)  # type: ignore[unreachable]
            future.addCallbacks(callback, errback)
    except AttributeError:
        _check_future(future, "add_callbacks")
        raise
    return future
