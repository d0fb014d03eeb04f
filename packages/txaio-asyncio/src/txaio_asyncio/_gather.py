"""gather(): one future for the outcomes of many."""

from __future__ import annotations

from asyncio import AbstractEventLoop, CancelledError, Future, iscoroutine
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from txaio_asyncio._futures import failure_of, is_future, peek_exception
from txaio_core.failure import FailedFuture

if TYPE_CHECKING:
    from txaio_asyncio._api import AsyncioApi

__all__ = ["gather", "gather_on"]


def first_error(child: Future[Any]) -> BaseException | None:
    """Return the error a done ``child`` fails the gather with, or None when it has a result.

    The child's exception is not marked as retrieved: it stays the child's own
    failure (reported unless something else handles it), while the gather fails
    with a failure of its own. A cancelled child fails the gather with a
    :class:`asyncio.CancelledError`.
    """
    if child.cancelled():
        return CancelledError()
    return peek_exception(child)


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
            # Cancelled, or already failed by an earlier failure. A later failure
            # stays the child's own, reported unless something else handles it.
            return
        if not self.consume:
            error = first_error(child)
            if error is not None:
                outer.set_exception(error)
                # The inputs are no longer needed: let each go (and report its
                # own failure) when nothing else holds it.
                self.futures = []
                return
        self.pending -= 1
        if self.pending == 0:
            self.finish()

    def finish(self) -> None:
        """Resolve ``outer`` with the outcomes, in input order.

        With ``consume`` a failure takes its place as an IFailedFuture, and so
        counts as handled; without, every input has a result by now.
        """
        results: list[Any] = []
        append = results.append
        for future in self.futures:
            # exception() rather than a raising result(): a raised exception
            # would gain this frame in its traceback.
            try:
                error = future.exception()
            except CancelledError:
                append(failure_of(future))
                continue
            if error is None:
                append(future.result())
            else:
                append(FailedFuture(type(error), error, error.__traceback__))
        self.outer.set_result(results)

    def outer_done(self, outer: Future[list[Any]]) -> None:
        """Done-callback of ``outer``: cancelling the gather cancels what it waits for."""
        if outer.cancelled():
            for future in self.futures:
                future.cancel()


def gather(
    api: AsyncioApi, futures: Iterable[Any], consume_exceptions: bool = True
) -> Future[list[Any]]:
    """Return a future of the list of the outcomes of ``futures``, in input order.

    With ``consume_exceptions`` (the default) each failure takes its place in
    the list as an :class:`IFailedFuture`; otherwise the first failure fails the
    returned future. Coroutines are run as tasks. Cancelling the returned
    future cancels the futures it waits for. Raises :class:`TypeError` when
    ``futures`` is not iterable or holds something that is not a future.
    """
    return gather_on(api.current_loop(), futures, consume_exceptions)


def gather_on(
    loop: AbstractEventLoop, futures: Iterable[Any], consume_exceptions: bool = True
) -> Future[list[Any]]:
    """Return a future, on ``loop``, of the list of the outcomes of ``futures``, in order.

    With ``consume_exceptions`` each failure takes its place in the list as an
    :class:`IFailedFuture` (and counts as handled); without, the first failure
    fails the returned future, and every failed input keeps its own failure
    (asyncio reports it unless something else handles it).
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
        elif not consume_exceptions and not outer.done():
            error = first_error(item)
            if error is not None:
                outer.set_exception(error)
    if outer.done():
        gathering.futures = []  # failed at once: see _Gathering.child_done
    elif pending == 0:
        gathering.finish()
    else:
        gathering.pending = pending
        outer.add_done_callback(gathering.outer_done)
    return outer
