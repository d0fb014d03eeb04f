"""Timers: ``call_later``, ``sleep`` and batched timers on the API's event loop.

Each function takes the API object first: :class:`~txaio_asyncio.AsyncioApi`
has them as its methods, so each call uses that API's loop.
"""

from __future__ import annotations

from asyncio import AbstractEventLoop, Future, TimerHandle
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any

from txaio_asyncio._config import running_loop, thread_loop
from txaio_asyncio._futures import is_callable
from txaio_core.checks import check_callable, delay_seconds

if TYPE_CHECKING:
    from txaio_asyncio._api import AsyncioApi
    from txaio_core.batched_timer import BatchedTimer

__all__ = ["call_later", "make_batched_timer", "sleep"]


def call_later(
    api: AsyncioApi, delay: float, fun: Callable[..., Any], *args: Any, **kwargs: Any
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
        return api.current_loop().call_later(delay, partial(fun, *args, **kwargs))
    return api.current_loop().call_later(delay, fun, *args)


def _set_result_unless_done(future: Future[Any], result: Any) -> None:
    if not future.done():
        future.set_result(result)


def sleep(api: AsyncioApi, delay: float) -> Future[None]:
    """Return a future resolved with None after ``delay`` seconds.

    Raises :class:`TypeError` / :class:`ValueError` for a bad ``delay``.
    """
    seconds = delay_seconds(delay)
    loop = api.current_loop()
    future: Future[None] = loop.create_future()
    loop.call_later(seconds, _set_result_unless_done, future, None)
    return future


def make_batched_timer(
    api: AsyncioApi, bucket_seconds: float, chunk_size: int = 100
) -> BatchedTimer:
    """Return a :class:`txaio_core.BatchedTimer` on the loop's clock.

    The timer looks the loop up (as ``current_loop()`` does) each time it
    reads the clock or schedules a bucket, so a timer made before
    ``config.loop`` changes -- ``txaio.testutil.replace_loop()`` in a test --
    runs on the new loop. Its calls run in buckets of ``bucket_seconds``,
    ``chunk_size`` at a time; a call that raises is reported through the
    loop's exception handler. Raises :class:`TypeError` / :class:`ValueError`
    naming a bad argument.
    """
    # Imported here: most programs never make one, and every import slows start-up.
    from txaio_core.batched_timer import BatchedTimer

    config = api.config
    current_loop = api.current_loop

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
