"""``with_config``: the txaio API as an object, and ``LoopMixin`` for classes.

Twisted has one global reactor, so the object shares the module's one
configuration; its attributes are the very functions of the module.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from txaio_core.interfaces import IFailedFuture, ILogger
from txaio_core.timing import perf_counter_ns, time_ns
from txaio_twisted import _failures, _futures, _gather, _logging, _timers
from txaio_twisted._config import check_reactor_time, config

if TYPE_CHECKING:
    from txaio_core.contract import BackendConfig

__all__ = ["LoopMixin", "TwistedApi", "with_config"]


class _Functions:
    """The backend's functions, shared by :class:`TwistedApi` and :class:`LoopMixin`."""

    create_future = staticmethod(_futures.create_future)
    create_future_success = staticmethod(_futures.create_future_success)
    create_future_error = staticmethod(_futures.create_future_error)
    create_failure = staticmethod(_failures.create_failure)
    as_future = staticmethod(_futures.as_future)
    is_future = staticmethod(_futures.is_future)
    is_called = staticmethod(_futures.is_called)
    resolve = staticmethod(_futures.resolve)
    reject = staticmethod(_futures.reject)
    cancel = staticmethod(_futures.cancel)
    add_callbacks = staticmethod(_futures.add_callbacks)
    gather = staticmethod(_gather.gather)
    call_later = staticmethod(_timers.call_later)
    sleep = staticmethod(_timers.sleep)
    make_batched_timer = staticmethod(_timers.make_batched_timer)
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


class TwistedApi(_Functions):
    """The txaio API bound to the backend's configuration, as ``with_config`` returns it."""

    using_twisted = True
    using_asyncio = False
    IFailedFuture = IFailedFuture
    ILogger = ILogger

    #: The configuration in use: Twisted's one, shared with the module.
    config: BackendConfig = config

    @staticmethod
    def with_config(loop: Any = None) -> TwistedApi:
        """See :func:`with_config`."""
        return with_config(loop)

    def __repr__(self) -> str:
        return f"<txaio_twisted.TwistedApi loop={config.configured_loop!r}>"


_api = TwistedApi()


def with_config(loop: Any = None) -> TwistedApi:
    """Return the txaio API as an object, using ``loop`` as the reactor.

    Without ``loop`` (or with the reactor already in use) it just returns the
    API. If no reactor was chosen yet, ``loop`` becomes the one. Raises
    :class:`RuntimeError` for a different reactor than the one in use: Twisted
    has a single global reactor. Raises :class:`TypeError` when ``loop`` is not
    an ``IReactorTime`` provider.
    """
    if loop is not None:
        check_reactor_time(loop, "loop")
        current = config.configured_loop
        if current is None:
            config.loop = loop
        elif current is not loop:
            raise RuntimeError(
                "Twisted has one global reactor: txaio already uses "
                f"{current!r} and cannot use {loop!r} as well; pass the same reactor "
                "or none (txaio_twisted.config.loop sets it for everything)"
            )
    return _api


class LoopMixin(_Functions):
    """A mixin giving a class the txaio functions as methods: ``self.create_future()``.

    Kept for code written against ``txaio.tx.LoopMixin``; the methods are the
    module's functions (static), so ``self.resolve(f, v)`` is ``txaio.resolve(f, v)``.
    """

    __slots__ = ()
