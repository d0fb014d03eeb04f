"""The API object: every backend function, bound to one configuration.

The module ``txaio_asyncio`` exposes the bound methods of one default instance,
whose :class:`Config` is the module's ``config``; :func:`with_config` makes
independent instances with a loop of their own. Operations that need a loop
are the functions of ``_futures``, ``_gather`` and ``_timers`` that take the
API object first, as methods here; operations that need no loop (resolving,
adding callbacks, logging...) are the same plain functions on both.
"""

from __future__ import annotations

from asyncio import AbstractEventLoop

from txaio_asyncio import _failures, _futures, _gather, _logging, _timers
from txaio_asyncio._config import Config, check_loop, running_loop, thread_loop
from txaio_core.contract import BackendConfig
from txaio_core.interfaces import IFailedFuture, ILogger
from txaio_core.timing import perf_counter_ns, time_ns

__all__ = ["AsyncioApi"]


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

    # The operations that need a loop are module functions taking the API first:
    # here they are methods, so each call uses this object's loop.
    create_future = _futures.create_future
    create_future_success = _futures.create_future_success
    create_future_error = _futures.create_future_error
    as_future = _futures.as_future
    gather = _gather.gather
    call_later = _timers.call_later
    sleep = _timers.sleep
    make_batched_timer = _timers.make_batched_timer

    # The operations that need no loop are shared, unchanged, with the module.
    create_failure = staticmethod(_failures.create_failure)
    is_future = staticmethod(_futures.is_future)
    is_called = staticmethod(_futures.is_called)
    resolve = staticmethod(_futures.resolve)
    reject = staticmethod(_futures.reject)
    cancel = staticmethod(_futures.cancel)
    add_callbacks = staticmethod(_futures.add_callbacks)
    failure_message = staticmethod(_failures.failure_message)
    failure_traceback = staticmethod(_failures.failure_traceback)
    failure_format_traceback = staticmethod(_failures.failure_format_traceback)
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
