"""Timers on Twisted: delayed calls on the configured reactor's clock."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from twisted.internet.defer import Deferred
from twisted.internet.interfaces import IDelayedCall
from twisted.logger import Logger

from txaio_core.batched_timer import BatchedTimer
from txaio_core.checks import check_callable, delay_seconds
from txaio_twisted._config import config

__all__ = ["call_later", "make_batched_timer", "sleep"]

_timer_log = Logger(namespace="txaio_twisted.batched_timer")


def call_later(delay: float, fun: Callable[..., Any], *args: Any, **kwargs: Any) -> IDelayedCall:
    """Call ``fun(*args, **kwargs)`` after ``delay`` seconds on the reactor.

    Returns the reactor's ``IDelayedCall`` (with ``cancel()``, ``active()``,
    ``getTime()``). Raises :class:`TypeError` when ``delay`` is not a number or
    ``fun`` not callable, :class:`ValueError` for a negative, NaN or infinite
    ``delay``.
    """
    delay = delay_seconds(delay)
    if not callable(fun):
        check_callable(fun, "fun")  # type: ignore[unreachable]
    loop = config._loop
    if loop is None:
        loop = config.reactor()
    return loop.callLater(delay, fun, *args, **kwargs)  # type: ignore[no-any-return]


def sleep(delay: float) -> Deferred[None]:
    """Return a Deferred that resolves with ``None`` after ``delay`` seconds.

    Cancelling it cancels the underlying delayed call. Raises
    :class:`TypeError`/:class:`ValueError` for a bad ``delay``, like
    :func:`call_later`.
    """
    delay = delay_seconds(delay)

    def stop_timer(_: Deferred[None]) -> None:
        if delayed_call.active():
            delayed_call.cancel()

    future: Deferred[None] = Deferred(stop_timer)
    delayed_call = config.reactor().callLater(delay, future.callback, None)
    return future


def _report_timer_error(error: BaseException) -> None:
    # Called by BatchedTimer inside its ``except`` block, so failure() finds
    # the exception and its traceback by itself.
    _timer_log.failure("Error in a batched timer call")


def _reactor_seconds() -> float:
    loop = config._loop
    if loop is None:
        loop = config.reactor()
    return loop.seconds()  # type: ignore[no-any-return]


def _reactor_call_later(delay: float, func: Callable[[], None]) -> IDelayedCall:
    loop = config._loop
    if loop is None:
        loop = config.reactor()
    return loop.callLater(delay, func)  # type: ignore[no-any-return]


def make_batched_timer(bucket_seconds: float, chunk_size: int = 100) -> BatchedTimer:
    """Return a :class:`txaio_core.BatchedTimer` on the reactor's clock.

    The timer uses whichever reactor ``config.loop`` is when it reads the time
    or schedules a bucket (taking the global reactor then if none is set), so
    a timer made before a test replaces the reactor with a ``task.Clock`` runs
    on that clock. Its calls are grouped into
    buckets ``bucket_seconds`` wide and run ``chunk_size`` at a time; a call
    that raises is logged through ``twisted.logger`` (critical, with its
    traceback) and the others still run. Raises
    :class:`TypeError`/:class:`ValueError` naming a bad argument.
    """
    return BatchedTimer(
        bucket_seconds,
        chunk_size,
        clock=_reactor_seconds,
        schedule=_reactor_call_later,
        report_error=_report_timer_error,
    )
