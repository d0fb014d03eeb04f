"""gather(): one future for the outcomes of many."""

from __future__ import annotations

from asyncio import AbstractEventLoop, Future, iscoroutine
from collections.abc import Iterable
from typing import Any

from txaio_asyncio._futures import failure_of, is_future

__all__ = ["gather"]


class _Gathering:
    """Collects the outcomes of ``futures`` into ``outer`` once all are done."""

    __slots__ = ("consume", "futures", "outer", "pending")

    def __init__(self, outer: Future[list[Any]], futures: list[Future[Any]], consume: bool) -> None:
        self.outer = outer
        self.futures = futures
        self.consume = consume
        self.pending = 0

    def child_done(self, child: Future[Any]) -> None:
        """Done-callback of each input future."""
        outer = self.outer
        if outer.done():
            # Cancelled, or already failed by an earlier failure: only mark the
            # outcome as retrieved, so asyncio does not log it as never retrieved.
            if not child.cancelled():
                child.exception()
            return
        if not self.consume:
            failure = failure_of(child)
            if failure is not None:
                outer.set_exception(failure.value)
                return
        self.pending -= 1
        if self.pending == 0:
            self.finish()

    def finish(self) -> None:
        """Resolve ``outer`` with the outcomes, in input order."""
        results: list[Any] = []
        append = results.append
        for future in self.futures:
            if future.cancelled() or future.exception() is not None:
                append(failure_of(future))
            else:
                append(future.result())
        self.outer.set_result(results)

    def outer_done(self, outer: Future[list[Any]]) -> None:
        """Done-callback of ``outer``: cancelling the gather cancels what it waits for."""
        if outer.cancelled():
            for future in self.futures:
                future.cancel()


def gather(
    loop: AbstractEventLoop, futures: Iterable[Any], consume_exceptions: bool = True
) -> Future[list[Any]]:
    """Return a future, on ``loop``, of the list of the outcomes of ``futures``, in order.

    With ``consume_exceptions`` each failure takes its place in the list as an
    :class:`IFailedFuture`; without, the first failure fails the returned future.
    Coroutines are run as tasks on ``loop``. Cancelling the returned future
    cancels the futures it waits for. Raises :class:`TypeError` when ``futures``
    is not iterable or holds something that is neither a future nor a coroutine.
    """
    try:
        items = list(futures)
    except TypeError:
        raise TypeError(
            f"futures must be an iterable of futures, not {type(futures).__name__}"
        ) from None
    for index, item in enumerate(items):
        if not is_future(item):
            if iscoroutine(item):
                items[index] = loop.create_task(item)
            else:
                raise TypeError(
                    f"futures[{index}] must be a future or a coroutine, "
                    f"not {type(item).__name__} {item!r:.80}"
                )
    outer: Future[list[Any]] = loop.create_future()
    gathering = _Gathering(outer, items, bool(consume_exceptions))
    child_done = gathering.child_done
    pending = 0
    for item in items:
        if not item.done():
            pending += 1
            item.add_done_callback(child_done)
        elif not consume_exceptions:
            failure = failure_of(item)  # also marks the outcome as retrieved
            if failure is not None and not outer.done():
                outer.set_exception(failure.value)
    if pending == 0:
        if not outer.done():
            gathering.finish()
    else:
        gathering.pending = pending
        outer.add_done_callback(gathering.outer_done)
    return outer
