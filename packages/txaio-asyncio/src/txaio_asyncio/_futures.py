"""Operations on existing futures: they need no event loop of their own."""

from __future__ import annotations

import sys
from asyncio import CancelledError, Future
from asyncio import isfuture as _isfuture
from collections.abc import Callable
from typing import Any

from txaio_core import FailedFuture, IFailedFuture, capture_failure
from txaio_core._checks import check_callable

# ``callable`` under another name: the checks below are for callers that ignore
# the type hints, and mypy would otherwise call them unreachable.
is_callable: Callable[[object], bool] = callable

__all__ = [
    "add_callbacks",
    "as_exception",
    "cancel",
    "create_failure",
    "failure_of",
    "is_called",
    "is_future",
    "reject",
    "resolve",
    "run_canceller",
]


def create_failure(exception: BaseException | None = None) -> IFailedFuture:
    """Return an :class:`IFailedFuture` for ``exception``, or for the exception being handled.

    Without an argument it must be called inside an ``except`` block, and captures
    the current exception with its traceback; elsewhere it raises :class:`RuntimeError`.
    Raises :class:`TypeError` when ``exception`` is not an exception instance.
    """
    return capture_failure(exception)


def is_future(obj: object) -> bool:
    """Return whether ``obj`` is an asyncio future (a ``Future``, a ``Task`` or alike)."""
    return isinstance(obj, Future) or _isfuture(obj)


def is_called(future: Future[Any]) -> bool:
    """Return whether ``future`` is done: resolved, failed or cancelled."""
    return future.done()


def resolve(future: Future[Any], result: Any = None) -> None:
    """Resolve ``future`` with ``result``.

    Raises :class:`asyncio.InvalidStateError` when the future is already done.
    """
    future.set_result(result)


def as_exception(error: object, argument: str = "error") -> BaseException:
    """Return the exception that ``error`` stands for.

    ``error`` may be None (the exception being handled: then this must be called
    inside an ``except`` block, else :class:`RuntimeError`), an exception instance
    or an :class:`IFailedFuture`; anything else raises :class:`TypeError` naming
    ``argument``.
    """
    if error is None:
        current = sys.exc_info()[1]
        if current is None:
            raise RuntimeError(
                f"{argument} is None, which means 'the exception being handled', but no "
                "exception is being handled here: call this inside an 'except' block or "
                "pass the exception"
            )
        return current
    if isinstance(error, BaseException):
        return error
    if isinstance(error, IFailedFuture):
        return error.value
    raise TypeError(
        f"{argument} must be None, an exception instance or an IFailedFuture, "
        f"not {type(error).__name__} {error!r:.80}"
    )


def reject(future: Future[Any], error: BaseException | IFailedFuture | None = None) -> None:
    """Fail ``future`` with ``error``.

    ``error`` is an exception, an :class:`IFailedFuture`, or None for the exception
    being handled (then this must be called inside an ``except`` block, else
    :class:`RuntimeError`). Raises :class:`TypeError` naming ``error`` for anything
    else, and :class:`asyncio.InvalidStateError` when the future is already done.
    """
    future.set_exception(as_exception(error))


def cancel(future: Future[Any], msg: str | None = None) -> None:
    """Cancel ``future`` (with ``msg`` as the cancellation message, when given).

    The canceller passed to ``create_future`` then runs with the future; errbacks
    receive a failure whose ``value`` is a :class:`asyncio.CancelledError`.
    Cancelling a future that is already done does nothing.
    """
    if msg is None:
        future.cancel()
    else:
        future.cancel(msg)


def run_canceller(canceller: Callable[[Any], object], future: Future[Any]) -> None:
    """Done-callback: call ``canceller(future)`` if the future was cancelled."""
    if future.cancelled():
        canceller(future)


def failure_of(future: Future[Any]) -> FailedFuture | None:
    """Return the failure of a done ``future``, or None when it has a result.

    A cancelled future's failure holds a :class:`asyncio.CancelledError`.
    """
    if future.cancelled():
        try:
            future.result()
        except CancelledError as cancelled:
            return FailedFuture(type(cancelled), cancelled, cancelled.__traceback__)
    error = future.exception()
    if error is None:
        return None
    return FailedFuture(type(error), error, error.__traceback__)


def add_callbacks(
    future: Future[Any],
    callback: Callable[[Any], Any] | None,
    errback: Callable[[IFailedFuture], Any] | None,
) -> Future[Any]:
    """Call ``callback(result)`` or ``errback(failure)`` once ``future`` is done; return it.

    Either may be None, not both (:class:`ValueError`); one that is neither None nor
    callable raises :class:`TypeError`. They run on the loop's next iteration, and
    each gets the future's own outcome (asyncio has no chaining). The errback gets
    an :class:`IFailedFuture` with the exception and its original traceback; a
    cancelled future's errback gets a :class:`asyncio.CancelledError` failure. A
    callback or errback that raises is reported by the loop's exception handler.
    """
    # The done-callbacks below run on the loop (asyncio runs done-callbacks with
    # ``call_soon``). When a callback or errback raises, the exception leaves the
    # done-callback and asyncio reports it, with its traceback, through the loop's
    # exception handler: nothing is swallowed. They are closures made right here:
    # a closure costs a third of a ``functools.partial`` and saves a call.
    if callback is not None and errback is not None:
        if not is_callable(callback):
            check_callable(callback, "callback", allow_none=True)
        if not is_callable(errback):
            check_callable(errback, "errback", allow_none=True)

        def on_done(done: Future[Any]) -> None:
            try:
                error = done.exception()
            except CancelledError:
                errback(failure_of(done))  # type: ignore[arg-type]
                return
            if error is None:
                callback(done.result())
            else:
                errback(FailedFuture(type(error), error, error.__traceback__))

    elif callback is not None:
        if not is_callable(callback):
            check_callable(callback, "callback", allow_none=True)

        def on_done(done: Future[Any]) -> None:
            if not done.cancelled() and done.exception() is None:
                callback(done.result())

    elif errback is not None:
        if not is_callable(errback):
            check_callable(errback, "errback", allow_none=True)

        def on_done(done: Future[Any]) -> None:
            failure = failure_of(done)
            if failure is not None:
                errback(failure)

    else:
        raise ValueError("add_callbacks needs a callback or an errback; both are None")
    future.add_done_callback(on_done)
    return future
