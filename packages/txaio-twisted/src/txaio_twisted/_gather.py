"""gather(): one Deferred for the outcomes of many."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Any

from twisted.internet.defer import Deferred
from twisted.python.failure import Failure

from txaio_twisted._futures import cancel

__all__ = ["gather"]

_NO_KEYWORDS: Mapping[str, Any] = MappingProxyType({})


def _end_error(_: Failure) -> None:
    """Errback that ends a failure the gather has delivered in its list."""


class _Gathering:
    """Collects the outcomes of ``futures`` into ``gathered``.

    Each distinct Deferred gets one callback pair, which fills every position
    where it was listed: a second pair on the same Deferred would get what the
    first one returned (Twisted chains callbacks), not the Deferred's outcome.
    """

    __slots__ = ("cancelling", "consume", "failed", "futures", "gathered", "remaining", "values")

    def __init__(self, futures: list[Deferred[Any]], consume: bool) -> None:
        self.futures = futures
        self.consume = consume
        self.values: list[Any] = [None] * len(futures)
        self.remaining = 0
        self.cancelling = False
        # Positions of the failed futures, whose failures a consuming gather
        # ends once it has delivered them.
        self.failed: list[list[int]] = []
        self.gathered: Deferred[list[Any]] = Deferred(self.cancel_pending)

    def start(self) -> Deferred[list[Any]]:
        """Add the callbacks to the futures; return the gathered Deferred."""
        gathered = self.gathered
        if not self.futures:
            gathered.callback(self.values)
            return gathered
        positions: dict[int, list[int]] = {}
        distinct: list[Deferred[Any]] = []
        for index, future in enumerate(self.futures):
            slots = positions.get(id(future))
            if slots is None:
                positions[id(future)] = [index]
                distinct.append(future)
            else:
                slots.append(index)
        self.remaining = len(distinct)
        on_value, on_failure = self.on_value, self.on_failure
        for future in distinct:
            args = (positions[id(future)],)
            future.addCallbacks(on_value, on_failure, args, _NO_KEYWORDS, args, _NO_KEYWORDS)
            if gathered.called:
                break  # failed (or cancelled) already: the rest is not needed
        return gathered

    def on_value(self, value: Any, slots: list[int]) -> Any:
        """Callback of each distinct future: record ``value``, pass it on."""
        if not self.gathered.called:
            values = self.values
            for index in slots:
                values[index] = value
            self.remaining -= 1
            if self.remaining == 0:
                self.finish()
        return value

    def on_failure(self, fail: Failure, slots: list[int]) -> Failure | None:
        """Errback of each distinct future; returns ``None`` only for a consumed failure."""
        if self.cancelling:
            # The gather was cancelled and cancelled this future: its
            # CancelledError, which we caused, is ended here.
            return None
        if self.gathered.called:
            return fail  # the gather failed already: this failure stays the future's own
        if not self.consume:
            # Not consumed: the failure stays in its own Deferred (reported
            # there unless handled) and fails the gather too.
            self.futures = []
            self.gathered.errback(fail)
            return fail
        values = self.values
        for index in slots:
            values[index] = fail
        self.failed.append(slots)
        self.remaining -= 1
        if self.remaining == 0:
            self.finish()
        # Kept until the gather delivers it: a gather that never finishes
        # leaves the failure unhandled, and so reported.
        return fail

    def finish(self) -> None:
        """Resolve the gathered Deferred; then end the failures it delivered."""
        futures, failed = self.futures, self.failed
        self.futures, self.failed = [], []
        self.gathered.callback(self.values)
        for slots in failed:
            futures[slots[0]].addErrback(_end_error)

    def cancel_pending(self, _: Deferred[list[Any]]) -> None:
        """Canceller of the gathered Deferred: cancel the futures not yet done.

        The gathered Deferred then fails with ``CancelledError``.
        """
        self.cancelling = True
        futures, self.futures = self.futures, []
        for future in futures:
            if not future.called:
                cancel(future)


def gather(
    futures: Iterable[Deferred[Any]], consume_exceptions: bool = True
) -> Deferred[list[Any]]:
    """Return a Deferred of the list of the outcomes of ``futures``, in their order.

    A Deferred listed more than once has its outcome at each of its positions.
    With ``consume_exceptions`` (the default) a failed future contributes its
    ``Failure`` to the list, and once the list is delivered the failure is
    ended (its Deferred goes on with ``None``). Without it the first failure
    fails the gathered Deferred and stays in its own Deferred too (each is
    reported unless handled). Cancelling the result cancels the futures not
    yet done. Raises :class:`TypeError` for a non-iterable or an element that
    is not a Deferred.
    """
    try:
        pending = list(futures)
    except TypeError:
        raise TypeError(
            f"gather(): futures must be an iterable of Deferreds, not {type(futures).__name__}"
        ) from None
    for index, future in enumerate(pending):
        if not isinstance(future, Deferred):
            raise TypeError(
                f"gather(): futures[{index}] must be a Deferred, not "
                f"{type(future).__name__} {future!r:.80}"
            )
    return _Gathering(pending, bool(consume_exceptions)).start()
