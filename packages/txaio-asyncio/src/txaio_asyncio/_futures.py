"""Futures: making them on the API's event loop, and operating on existing ones.

The functions that make a future take the API object first:
:class:`~txaio_asyncio.AsyncioApi` has them as its methods, so each uses that
API's loop. The operations on existing futures need no loop of their own.
"""

from __future__ import annotations

import sys
from asyncio import AbstractEventLoop, CancelledError, Future, InvalidStateError, iscoroutine
from asyncio import isfuture as _isfuture
from collections.abc import Callable
from functools import partial
from operator import attrgetter
from types import AsyncGeneratorType
from typing import TYPE_CHECKING, Any, NoReturn

from txaio_asyncio._config import running_loop, thread_loop
from txaio_core.checks import (
    UNSET,
    AlreadyResolvedError,
    already_done_message,
    check_callable,
    exception_of,
)
from txaio_core.failure import FailedFuture
from txaio_core.interfaces import IFailedFuture

if TYPE_CHECKING:
    from txaio_asyncio._api import AsyncioApi

# ``callable`` under another name: the checks below are for callers that ignore
# the type hints, and mypy would otherwise call them unreachable.
is_callable: Callable[[object], bool] = callable

#: The exception of a done asyncio future, None when it has a result or was
#: cancelled, read without marking it retrieved (``future.exception()`` does, and
#: then asyncio no longer reports an unhandled failure). Raises AttributeError
#: for a future-like object of another library. It reads the private
#: ``Future._exception``, the same on every interpreter tested (CPython
#: 3.10-3.15, C and Python futures; PyPy 3.11); canary:
#: tests/asyncio/test_internals.py. A C-level getter: it runs on every callback.
held_exception: Callable[[Future[Any]], BaseException | None] = attrgetter("_exception")

__all__ = [
    "AlreadyResolved",
    "add_callbacks",
    "as_exception",
    "as_future",
    "cancel",
    "create_future",
    "create_future_error",
    "create_future_success",
    "failure_of",
    "is_called",
    "is_future",
    "peek_exception",
    "refuse_non_future",
    "refuse_second_outcome",
    "reject",
    "resolve",
    "run_canceller",
]


def create_future(
    api: AsyncioApi,
    result: Any = UNSET,
    error: Any = UNSET,
    canceller: Callable[[Any], object] | None = None,
) -> Future[Any]:
    """Return a new future of the loop, resolved with ``result`` or failed with ``error``.

    ``error`` is an exception, an :class:`IFailedFuture`, or None for the
    exception being handled. ``canceller(future)`` runs when the future is
    cancelled. Raises :class:`ValueError` when both ``result`` and ``error`` are
    given, :class:`TypeError` for a bad ``error`` or a non-callable ``canceller``.
    """
    # Inlined loop lookup (see AsyncioApi.current_loop()): the hottest call of the API.
    loop: AbstractEventLoop | None = api.config.loop
    if loop is None:
        loop = running_loop()
        if loop is None:
            loop = thread_loop()
    future = loop.create_future()
    if result is not UNSET:
        if error is not UNSET:
            raise ValueError("create_future() takes a result or an error, not both")
        future.set_result(result)
    elif error is not UNSET:
        future.set_exception(as_exception(error, "create_future"))
    if canceller is not None:
        if not is_callable(canceller):
            check_callable(canceller, "canceller", allow_none=True)
        future.add_done_callback(partial(run_canceller, canceller))
    return future


def create_future_success(api: AsyncioApi, result: Any) -> Future[Any]:
    """Return a new future of the loop, already resolved with ``result``."""
    loop: AbstractEventLoop | None = api.config.loop
    if loop is None:
        loop = running_loop()
        if loop is None:
            loop = thread_loop()
    future = loop.create_future()
    future.set_result(result)
    return future


def create_future_error(
    api: AsyncioApi, error: BaseException | IFailedFuture | None = None
) -> Future[Any]:
    """Return a new future of the loop, already failed with ``error``.

    ``error`` is an exception, an :class:`IFailedFuture`, or None for the
    exception being handled (then call it inside an ``except`` block, else
    :class:`RuntimeError`); anything else raises :class:`TypeError`.
    """
    exception = as_exception(error, "create_future_error")
    future = api.current_loop().create_future()
    future.set_exception(exception)
    return future


def as_future(api: AsyncioApi, fun: Callable[..., Any], *args: Any, **kwargs: Any) -> Future[Any]:
    """Call ``fun(*args, **kwargs)`` and return a future of its outcome.

    A returned future is returned as it is; a coroutine (from an ``async def``)
    is run as a task on the loop; any other value gives a resolved future. An
    exception raised by the call -- wrong arguments included -- gives a failed
    future, never an exception here. Raises :class:`TypeError` when ``fun`` is
    not callable or is an async generator function (``yield`` where ``await``
    was meant).
    """
    if not is_callable(fun):
        check_callable(fun, "fun")
    try:
        value = fun(*args, **kwargs)
    except Exception as error:
        failed = api.current_loop().create_future()
        failed.set_exception(error)
        return failed
    if isinstance(value, Future):
        return value
    if iscoroutine(value):
        return api.current_loop().create_task(value)
    if isinstance(value, AsyncGeneratorType):
        raise TypeError(
            f"as_future() got an async generator function, {fun!r:.80}: does it use "
            "'yield' where 'await' was meant?"
        )
    future = api.current_loop().create_future()
    future.set_result(value)
    return future


def is_future(obj: object) -> bool:
    """Return whether ``obj`` is an asyncio future (a ``Future``, a ``Task`` or alike)."""
    return isinstance(obj, Future) or _isfuture(obj)


def is_called(future: Future[Any]) -> bool:
    """Return whether ``future`` is done: resolved, failed or cancelled.

    Raises :class:`TypeError` naming ``future`` when it is not a future.
    """
    try:
        return future.done()
    except AttributeError:
        refuse_non_future("is_called", future)


def resolve(future: Future[Any], result: Any = None) -> None:
    """Resolve ``future`` with ``result``.

    Does nothing when the future was cancelled (a producer racing a cancel).
    Raises ``AlreadyResolved`` (an :class:`asyncio.InvalidStateError`
    and a RuntimeError) when it is already resolved or failed, and
    :class:`TypeError` naming ``future`` when it is not a future.
    """
    # The checks live in the ``except`` branches: the happy path is one C call.
    try:
        future.set_result(result)
    except AttributeError:
        refuse_non_future("resolve", future)
    except InvalidStateError:
        refuse_second_outcome("resolve", future)


def as_exception(error: object, operation: str) -> BaseException:
    """Return the exception that ``error`` stands for in ``operation`` (see :func:`exception_of`).

    Raises :class:`RuntimeError` for None outside an ``except`` block, and
    :class:`txaio_core.checks.InvalidErrorArgument` (a TypeError and a
    RuntimeError) for anything but None, an exception or an IFailedFuture.
    """
    return exception_of(error, operation)[0]


class AlreadyResolved(AlreadyResolvedError, InvalidStateError):
    """Resolving or rejecting a future that is already resolved or failed.

    Both :class:`asyncio.InvalidStateError` and the portable
    :class:`txaio_core.checks.AlreadyResolvedError` (a RuntimeError).
    """


def reject(future: Future[Any], error: BaseException | IFailedFuture | None = None) -> None:
    """Fail ``future`` with ``error``.

    ``error`` is an exception, an :class:`IFailedFuture`, or None for the exception
    being handled (then this must be called inside an ``except`` block, else
    :class:`RuntimeError`). Raises :class:`TypeError` naming ``error`` for anything
    else, or naming ``future`` when it is not a future. Does nothing when the
    future was cancelled; raises ``AlreadyResolved`` (an
    :class:`asyncio.InvalidStateError`) when it is already resolved or failed.
    """
    exception = as_exception(error, "reject")
    try:
        future.set_exception(exception)
    except AttributeError:
        refuse_non_future("reject", future)
    except InvalidStateError:
        refuse_second_outcome("reject", future)


def cancel(future: Future[Any], msg: str | None = None) -> None:
    """Cancel ``future`` (with ``msg`` as the cancellation message, when given).

    The canceller passed to ``create_future`` then runs with the future; errbacks
    receive a failure whose ``value`` is a :class:`asyncio.CancelledError`.
    Cancelling a future that is already done does nothing at all. Raises
    :class:`TypeError` naming ``future`` when it is not a future.
    """
    try:
        done = future.done()
    except AttributeError:
        refuse_non_future("cancel", future)
    # Not even ``future.cancel()`` on a done future: on CPython it would mark a
    # failure as retrieved, and an unhandled error would go unreported.
    if not done:
        if msg is None:
            future.cancel()
        else:
            future.cancel(msg)


def refuse_non_future(operation: str, future: object) -> NoReturn:
    """Raise the error of ``operation(future, ...)`` after an AttributeError (call in ``except``).

    Something that is not a future gets a :class:`TypeError` naming ``future``,
    raised from the AttributeError; for a real future, the AttributeError is
    re-raised (a bug elsewhere, not bad input).
    """
    if is_future(future):
        raise  # called from an ``except`` block: this re-raises its AttributeError
    raise TypeError(
        f"{operation}(): future must be an asyncio future (a Future or a Task), "
        f"not {type(future).__name__} {future!r:.80}"
    ) from sys.exc_info()[1]


def refuse_second_outcome(operation: str, future: Future[Any]) -> None:
    """Handle ``resolve``/``reject`` of a ``future`` that is already done (call in ``except``).

    A cancelled future ignores it: a producer racing a cancel is common and
    harmless. A resolved or failed one raises ``AlreadyResolved`` (an
    :class:`asyncio.InvalidStateError`) saying so.
    """
    if future.cancelled():
        return
    failed = peek_exception(future) is not None
    raise AlreadyResolved(already_done_message(operation, failed, future)) from None


def peek_exception(future: Future[Any]) -> BaseException | None:
    """Return the exception of a done ``future``; None when it has a result or was cancelled.

    Unlike ``future.exception()`` this does not mark the exception as retrieved,
    so asyncio still reports it ("exception was never retrieved") unless
    something else handles it.
    """
    try:
        exception = held_exception(future)
    except AttributeError:
        # A future-like object of another library: asking is the only way.
        return None if future.cancelled() else future.exception()
    return exception


def run_canceller(canceller: Callable[[Any], object], future: Future[Any]) -> None:
    """Done-callback: call ``canceller(future)`` if the future was cancelled."""
    if future.cancelled():
        canceller(future)


def failure_of(future: Future[Any]) -> FailedFuture | None:
    """Return the failure of a done ``future``, or None when it has a result.

    A cancelled future's failure holds a :class:`asyncio.CancelledError`. This
    marks the exception as retrieved: call it only to handle the failure.
    """
    try:
        error = future.exception()
    except CancelledError as cancelled:
        return FailedFuture(type(cancelled), cancelled, cancelled.__traceback__)
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
    callable raises :class:`TypeError`, and so does a ``future`` that is not a
    future. They run on the loop's next iteration, and each gets the future's own
    outcome (asyncio has no chaining). The errback gets an :class:`IFailedFuture`
    with the exception and its original traceback; a cancelled future's errback
    gets a :class:`asyncio.CancelledError` failure. Only an errback handles a
    failure: with a callback alone, a failed future is still reported unless
    something else handles it. A callback or errback that raises is reported by
    the loop's exception handler.
    """
    # The done-callbacks (the ``_when_done_*`` functions below, bound to the
    # handlers) run on the loop: asyncio runs done-callbacks with ``call_soon``.
    # When a callback or errback raises, the exception leaves the done-callback
    # and asyncio reports it, with its traceback, through the loop's exception
    # handler: nothing is swallowed. Binding a module function to the handler
    # costs less than making a closure (no cells, no new function object).
    on_done: Callable[[Future[Any]], None]
    if callback is not None:
        if not is_callable(callback):
            check_callable(callback, "callback", allow_none=True)
        if errback is not None:
            if not is_callable(errback):
                check_callable(errback, "errback", allow_none=True)
            on_done = _bind_both((callback, errback))
        else:
            on_done = _bind_callback_only(callback)
    elif errback is not None:
        if not is_callable(errback):
            check_callable(errback, "errback", allow_none=True)
        on_done = _bind_errback_only(errback)
    else:
        raise ValueError("add_callbacks needs a callback or an errback; both are None")
    try:
        future.add_done_callback(on_done)
    except AttributeError:
        refuse_non_future("add_callbacks", future)
    return future


def _when_done_callback_only(callback: Callable[[Any], Any], done: Future[Any]) -> None:
    # A callback alone does not handle a failure: peek at the outcome without
    # marking an exception as retrieved (see peek_exception), so asyncio still
    # reports it unless an errback elsewhere takes it.
    try:
        error = held_exception(done)
    except AttributeError:
        error = peek_exception(done)
    if error is None:
        try:
            result = done.result()
        except CancelledError:
            return
        callback(result)


def _when_done_both(
    handlers: tuple[Callable[[Any], Any], Callable[[IFailedFuture], Any]], done: Future[Any]
) -> None:
    try:
        error = held_exception(done)
    except AttributeError:
        error = peek_exception(done)
    if error is None:
        try:
            result = done.result()
        except CancelledError as cancelled:
            handlers[1](FailedFuture(type(cancelled), cancelled, cancelled.__traceback__))
            return
        handlers[0](result)
    else:
        done.exception()  # the errback handles it: mark it as retrieved
        handlers[1](FailedFuture(type(error), error, error.__traceback__))


def _when_done_errback_only(errback: Callable[[IFailedFuture], Any], done: Future[Any]) -> None:
    try:
        error = done.exception()
    except CancelledError as cancelled:
        errback(FailedFuture(type(cancelled), cancelled, cancelled.__traceback__))
        return
    if error is not None:
        errback(FailedFuture(type(error), error, error.__traceback__))


# ``function.__get__(handler)`` is the bound method ``function(handler, done)``.
_Binder = Callable[[Any], Callable[[Future[Any]], None]]
_bind_callback_only: _Binder = _when_done_callback_only.__get__
_bind_both: _Binder = _when_done_both.__get__
_bind_errback_only: _Binder = _when_done_errback_only.__get__
