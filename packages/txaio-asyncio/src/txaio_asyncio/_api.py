"""The API object: every backend function, bound to one configuration.

The module ``txaio_asyncio`` exposes the bound methods of one default instance,
whose :class:`Config` is the module's ``config``; :func:`with_config` makes
independent instances with a loop of their own. Operations that need a loop
are the functions of ``_futures``, ``_gather`` and ``_timers`` that take the
API object first, as methods here; operations that need no loop (resolving,
adding callbacks, logging...) are the same plain functions on both.

Only the futures are imported with the backend: gather, the timers, failures,
logging and the clocks are imported on first use (see :data:`ON_FIRST_USE`),
so that ``import txaio; txaio.use_asyncio()`` costs no more than the original
txaio's, however little of the API a program uses.
"""

from __future__ import annotations

from asyncio import AbstractEventLoop
from typing import TYPE_CHECKING, Any

from txaio_asyncio import _futures
from txaio_asyncio._config import Config, check_loop, running_loop, thread_loop
from txaio_core.interfaces import IFailedFuture, ILogger

if TYPE_CHECKING:
    from txaio_asyncio import _failures, _gather, _logging, _timers
    from txaio_core import timing
    from txaio_core.contract import BackendConfig

__all__ = ["ON_FIRST_USE", "AsyncioApi"]

#: The API functions imported on first use: each name, its module, and whether it
#: needs a loop (then it takes the API object first and is a method of
#: :class:`AsyncioApi`; otherwise it is the same plain function on both).
ON_FIRST_USE: dict[str, tuple[str, bool]] = {
    "gather": ("txaio_asyncio._gather", True),
    "call_later": ("txaio_asyncio._timers", True),
    "sleep": ("txaio_asyncio._timers", True),
    "make_batched_timer": ("txaio_asyncio._timers", True),
    "create_failure": ("txaio_asyncio._failures", False),
    "failure_message": ("txaio_asyncio._failures", False),
    "failure_traceback": ("txaio_asyncio._failures", False),
    "failure_format_traceback": ("txaio_asyncio._failures", False),
    "make_logger": ("txaio_asyncio._logging", False),
    "start_logging": ("txaio_asyncio._logging", False),
    "set_global_log_level": ("txaio_asyncio._logging", False),
    "get_global_log_level": ("txaio_asyncio._logging", False),
    "add_log_categories": ("txaio_asyncio._logging", False),
    "time_ns": ("txaio_core.timing", False),
    "perf_counter_ns": ("txaio_core.timing", False),
}


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

    # The operations that need no loop are shared, unchanged, with the module.
    is_future = staticmethod(_futures.is_future)
    is_called = staticmethod(_futures.is_called)
    resolve = staticmethod(_futures.resolve)
    reject = staticmethod(_futures.reject)
    cancel = staticmethod(_futures.cancel)
    add_callbacks = staticmethod(_futures.add_callbacks)

    if TYPE_CHECKING:
        # What the _OnFirstUse attributes below become on first use, as mypy must see it.
        gather = _gather.gather
        call_later = _timers.call_later
        sleep = _timers.sleep
        make_batched_timer = _timers.make_batched_timer
        create_failure = staticmethod(_failures.create_failure)
        failure_message = staticmethod(_failures.failure_message)
        failure_traceback = staticmethod(_failures.failure_traceback)
        failure_format_traceback = staticmethod(_failures.failure_format_traceback)
        make_logger = staticmethod(_logging.make_logger)
        start_logging = staticmethod(_logging.start_logging)
        set_global_log_level = staticmethod(_logging.set_global_log_level)
        get_global_log_level = staticmethod(_logging.get_global_log_level)
        add_log_categories = staticmethod(_logging.add_log_categories)
        time_ns = staticmethod(timing.time_ns)
        perf_counter_ns = staticmethod(timing.perf_counter_ns)

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


class _OnFirstUse:
    """A class attribute of :class:`AsyncioApi` whose function is imported on first use.

    Read once (on the class or on an instance), it imports the function's module
    and puts the function itself in its place, so later look-ups are ordinary
    ones. A descriptor rather than ``AsyncioApi.__getattr__``: a class with
    ``__getattr__`` makes every attribute read of its instances slower, and
    ``api.config`` is read on each future made.
    """

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def __get__(self, instance: object, owner: type) -> Any:
        module, needs_loop = ON_FIRST_USE[self.name]
        from importlib import import_module

        function = getattr(import_module(module), self.name)
        setattr(owner, self.name, function if needs_loop else staticmethod(function))
        return getattr(owner if instance is None else instance, self.name)


if not TYPE_CHECKING:
    for _name in ON_FIRST_USE:
        setattr(AsyncioApi, _name, _OnFirstUse(_name))
    del _name
