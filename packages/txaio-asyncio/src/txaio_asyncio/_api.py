"""The API object: every backend function, bound to one configuration.

The module ``txaio_asyncio`` exposes the bound methods of one default instance,
whose :class:`Config` is the module's ``config``; :func:`with_config` makes
independent instances with a loop of their own. Operations that need no loop
(resolving, adding callbacks, logging...) are the same plain functions on both.
"""

from __future__ import annotations

from asyncio import AbstractEventLoop, Future, TimerHandle, iscoroutine
from collections.abc import Callable, Iterable
from functools import partial
from types import AsyncGeneratorType
from typing import TYPE_CHECKING, Any

from txaio_asyncio import _futures, _logging
from txaio_asyncio._futures import as_exception, is_callable, run_canceller
from txaio_asyncio._gather import gather as _gather
from txaio_asyncio._loops import Config, check_loop, running_loop, thread_loop
from txaio_core import (
    BackendConfig,
    IFailedFuture,
    ILogger,
    failure_format_traceback,
    failure_message,
    failure_traceback,
    perf_counter_ns,
    time_ns,
)
from txaio_core import IFailedFuture as AnyFailure
from txaio_core.checks import UNSET, check_callable, delay_seconds

if TYPE_CHECKING:
    from txaio_core.batched_timer import BatchedTimer

__all__ = ["AsyncioApi"]


def _set_result_unless_done(future: Future[Any], result: Any) -> None:
    if not future.done():
        future.set_result(result)


class AsyncioApi:
    """The txaio API on asyncio, using the event loop of its ``config``.

    With ``config.loop`` None, each call uses the loop running in the calling
    thread, or else that thread's event loop.
    """

    __slots__ = ("config",)

    using_twisted = False
    using_asyncio = True
    IFailedFuture = IFailedFuture
    ILogger = ILogger

    # The operations that need no loop are shared, unchanged, with the module.
    create_failure = staticmethod(_futures.create_failure)
    is_future = staticmethod(_futures.is_future)
    is_called = staticmethod(_futures.is_called)
    resolve = staticmethod(_futures.resolve)
    reject = staticmethod(_futures.reject)
    cancel = staticmethod(_futures.cancel)
    add_callbacks = staticmethod(_futures.add_callbacks)
    failure_message = staticmethod(failure_message)
    failure_traceback = staticmethod(failure_traceback)
    failure_format_traceback = staticmethod(failure_format_traceback)
    make_logger = staticmethod(_logging.make_logger)
    start_logging = staticmethod(_logging.start_logging)
    set_global_log_level = staticmethod(_logging.set_global_log_level)
    get_global_log_level = staticmethod(_logging.get_global_log_level)
    add_log_categories = staticmethod(_logging.add_log_categories)
    time_ns = staticmethod(time_ns)
    perf_counter_ns = staticmethod(perf_counter_ns)

    def __init__(self, config: BackendConfig) -> None:
        self.config = config

    def __repr__(self) -> str:
        return f"<txaio_asyncio.AsyncioApi loop={self.config.loop!r}>"

    def with_config(self, loop: AbstractEventLoop | None = None) -> AsyncioApi:
        """Return a new, independent API object bound to ``loop``.

        With ``loop`` None the new object uses the running loop, or the thread's.
        An object with the loop methods the API uses (a mock loop, say) is accepted
        too. Raises :class:`TypeError` naming ``loop`` for anything else.
        """
        return AsyncioApi(Config(check_loop(loop)))

    def current_loop(self) -> AbstractEventLoop:
        """Return the event loop this API uses for a call made now."""
        loop: AbstractEventLoop | None = self.config.loop
        if loop is None:
            loop = running_loop()
            if loop is None:
                loop = thread_loop()
        return loop

    def create_future(
        self,
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
        # Inlined loop lookup (see current_loop()): this is the hottest call of the API.
        loop: AbstractEventLoop | None = self.config.loop
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

    def create_future_success(self, result: Any) -> Future[Any]:
        """Return a new future of the loop, already resolved with ``result``."""
        loop: AbstractEventLoop | None = self.config.loop
        if loop is None:
            loop = running_loop()
            if loop is None:
                loop = thread_loop()
        future = loop.create_future()
        future.set_result(result)
        return future

    def create_future_error(self, error: BaseException | AnyFailure | None = None) -> Future[Any]:
        """Return a new future of the loop, already failed with ``error``.

        ``error`` is an exception, an :class:`IFailedFuture`, or None for the
        exception being handled (then call it inside an ``except`` block, else
        :class:`RuntimeError`); anything else raises :class:`TypeError`.
        """
        exception = as_exception(error, "create_future_error")
        future = self.current_loop().create_future()
        future.set_exception(exception)
        return future

    def as_future(self, fun: Callable[..., Any], *args: Any, **kwargs: Any) -> Future[Any]:
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
            failed = self.current_loop().create_future()
            failed.set_exception(error)
            return failed
        if isinstance(value, Future):
            return value
        if iscoroutine(value):
            return self.current_loop().create_task(value)
        if isinstance(value, AsyncGeneratorType):
            raise TypeError(
                f"as_future() got an async generator function, {fun!r:.80}: does it use "
                "'yield' where 'await' was meant?"
            )
        future = self.current_loop().create_future()
        future.set_result(value)
        return future

    def gather(self, futures: Iterable[Any], consume_exceptions: bool = True) -> Future[list[Any]]:
        """Return a future of the list of the outcomes of ``futures``, in input order.

        With ``consume_exceptions`` (the default) each failure takes its place in
        the list as an :class:`IFailedFuture`; otherwise the first failure fails the
        returned future. Coroutines are run as tasks. Cancelling the returned
        future cancels the futures it waits for. Raises :class:`TypeError` when
        ``futures`` is not iterable or holds something that is not a future.
        """
        return _gather(self.current_loop(), futures, consume_exceptions)

    def call_later(
        self, delay: float, fun: Callable[..., Any], *args: Any, **kwargs: Any
    ) -> TimerHandle:
        """Call ``fun(*args, **kwargs)`` after ``delay`` seconds; return its ``TimerHandle``.

        The handle's ``cancel()`` withdraws the call. Raises :class:`TypeError` when
        ``fun`` is not callable or ``delay`` not a number (a bool is not one),
        :class:`ValueError` when ``delay`` is negative, NaN or infinite.
        """
        delay = delay_seconds(delay)
        if not is_callable(fun):
            check_callable(fun, "fun")
        if kwargs:
            return self.current_loop().call_later(delay, partial(fun, *args, **kwargs))
        return self.current_loop().call_later(delay, fun, *args)

    def sleep(self, delay: float) -> Future[None]:
        """Return a future resolved with None after ``delay`` seconds.

        Raises :class:`TypeError` / :class:`ValueError` for a bad ``delay``.
        """
        seconds = delay_seconds(delay)
        loop = self.current_loop()
        future: Future[None] = loop.create_future()
        loop.call_later(seconds, _set_result_unless_done, future, None)
        return future

    def make_batched_timer(self, bucket_seconds: float, chunk_size: int = 100) -> BatchedTimer:
        """Return a :class:`txaio_core.BatchedTimer` on the loop's clock.

        The timer looks the loop up (as :meth:`current_loop` does) each time it
        reads the clock or schedules a bucket, so a timer made before
        ``config.loop`` changes -- ``txaio.testutil.replace_loop()`` in a test --
        runs on the new loop. Its calls run in buckets of ``bucket_seconds``,
        ``chunk_size`` at a time; a call that raises is reported through the
        loop's exception handler. Raises :class:`TypeError` / :class:`ValueError`
        naming a bad argument.
        """
        # Imported here: most programs never make one, and every import slows start-up.
        from txaio_core.batched_timer import BatchedTimer

        config = self.config
        current_loop = self.current_loop

        # clock() runs on every timer.call_later(): the loop lookup is inlined.
        def clock() -> float:
            loop: AbstractEventLoop | None = config.loop
            if loop is None:
                loop = running_loop()
                if loop is None:
                    loop = thread_loop()
            return loop.time()

        def schedule(delay: float, func: Callable[[], None]) -> TimerHandle:
            return current_loop().call_later(delay, func)

        def report_error(error: BaseException) -> None:
            current_loop().call_exception_handler(
                {"message": "Exception in a call of a txaio batched timer", "exception": error}
            )

        return BatchedTimer(
            bucket_seconds,
            chunk_size,
            clock=clock,
            schedule=schedule,
            report_error=report_error,
        )
