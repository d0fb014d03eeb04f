"""Batched timers: very many delayed calls served by a few real ones.

A :class:`BatchedTimer` rounds each call's due time *up* to the end of a
bucket of ``bucket_seconds`` and keeps one real delayed call per bucket, so a
server with a million pending timeouts has only a handful of entries in its
event loop. It knows no framework: a backend hands it a clock, a function
that schedules one real delayed call, and a hook that reports errors.

Guarantees:

* a call never runs before its delay has elapsed (buckets round up, and a
  bucket whose real call comes early is put off until it is due);
* a call runs at most one bucket after it is due, plus the spreading of
  chunks: a due bucket runs ``chunk_size`` calls at a time, its chunks spread
  evenly over one bucket width so a huge batch never blocks the loop;
* cancelling is O(1) (amortised) and idempotent; cancelling the last pending
  call of a bucket cancels the bucket's real delayed call and frees it;
* a call that raises does not stop the others: each error is passed to
  ``report_error`` from inside its ``except`` block, with its own traceback;
* a ``KeyboardInterrupt`` or ``SystemExit`` from a call propagates, and the
  calls of its bucket that had not run yet run at the next opportunity, as
  the frameworks' own timers keep theirs: none is lost, none runs twice.

Memory: a pending call costs one small slotted :class:`BatchedCall` and one
slot of its bucket's list; no closure is made per call. A cancelled call lets
go of its callable and arguments at once; its handle leaves the bucket's list
when the bucket runs, empties, or holds more cancelled calls than pending ones
(plus a slack of 64).
"""

from __future__ import annotations

import abc
import math
from collections.abc import Callable
from typing import Any, Protocol

from txaio_core.checks import (
    check_callable,
    check_positive_int,
    check_positive_seconds,
    delay_seconds,
)

__all__ = ["BatchedCall", "BatchedTimer", "Cancellable", "IBatchedTimer"]

_ceil = math.ceil
# Creating handles without running a Python-level __init__ saves a third of the
# cost of scheduling; call_later fills the slots itself.
_new_object = object.__new__

# A waiting bucket whose list holds more cancelled calls than pending ones plus
# this many is compacted by that cancel: amortised O(1), and small buckets never bother.
_COMPACT_SLACK = 64
# Compaction reads every handle in a bucket's list, and when a bucket's calls were
# made far apart those handles lie scattered over memory. Copying a slice first is
# a tight C loop that touches this many handles at once, so their cache misses
# overlap instead of coming one by one in the slower Python loop that follows
# (with a million calls over ten thousand buckets, cancelling them all in random
# order costs a third less). 256 handles fit in the L1 cache.
_COMPACT_BLOCK = 256


class Cancellable(Protocol):
    """A real delayed call as a framework returns it: something with ``cancel()``."""

    def cancel(self) -> object:
        """Cancel the delayed call."""


class BatchedCall:
    """The handle of one pending batched call; :meth:`cancel` withdraws it."""

    # One small object per pending call, and no closure: memory per call matters
    # when a server holds a million of them. ``_bucket`` is None once the call
    # has run or been cancelled.
    __slots__ = ("_args", "_bucket", "_func", "_kwargs")

    _func: Callable[..., object] | None
    _args: tuple[Any, ...]
    _kwargs: dict[str, Any] | None
    _bucket: _Bucket | None

    def cancel(self) -> None:
        """Withdraw the call if it has not run yet; calling it again does nothing."""
        bucket = self._bucket
        if bucket is None:
            return
        self._bucket = None
        # Let go of the callable and its arguments at once: the caller may keep
        # the handle long after cancelling it.
        self._func = self._kwargs = None
        self._args = ()
        dead = bucket.dead + 1
        bucket.dead = dead
        size = len(bucket)
        if dead == size:
            bucket.timer._discard(bucket)
        elif 2 * dead > size + _COMPACT_SLACK and bucket.next_index < 0:
            bucket.compact()

    def active(self) -> bool:
        """Return whether the call is still pending (neither run nor cancelled)."""
        return self._bucket is not None

    def __repr__(self) -> str:
        state = "pending" if self._bucket is not None else "done"
        return f"<BatchedCall {state} {self._func!r}>"


class _Bucket(list[BatchedCall]):
    """The calls due by one bucket's end, and the real delayed call that runs them.

    The bucket *is* the list of its calls: a cancel then reaches one object,
    not a bucket and its list. Once a server holds a million calls spread over
    many buckets, each object a cancel reaches is likely a cache miss.
    """

    __slots__ = (
        "dead",
        "delayed_call",
        "due",
        "key",
        "next_index",
        "spacing",
        "started",
        "timer",
    )

    def __init__(self, timer: BatchedTimer, key: int, due: float) -> None:
        self.timer = timer
        self.key = key
        self.due = due
        super().__init__()
        # Calls in the list that have run or been cancelled (compaction drops
        # them while the bucket waits): the bucket is empty when all are dead.
        self.dead = 0
        self.next_index = -1  # -1 until the bucket starts running its chunks
        self.started = 0.0  # when the first chunk ran
        self.spacing = 0.0  # seconds between the starts of two chunks
        self.delayed_call: Cancellable | None = None

    # A bucket is one particular batch, not a value: equal only to itself, and
    # hashable so that the timer can keep a set of running buckets.
    def __eq__(self, other: object) -> bool:
        return self is other

    def __ne__(self, other: object) -> bool:
        return self is not other

    def __hash__(self) -> int:  # type: ignore[override]  # list declares __hash__ = None
        return id(self)

    def compact(self) -> None:
        """Drop cancelled calls from the list, giving their slots back."""
        kept: list[BatchedCall] = []
        for start in range(0, len(self), _COMPACT_BLOCK):
            block = self[start : start + _COMPACT_BLOCK]  # brings the handles into cache
            kept += [call for call in block if call._bucket is self]
        self[:] = kept
        self.dead = 0

    def __call__(self) -> None:
        """Run when the real delayed call fires: start, or continue, the chunks."""
        timer = self.timer
        self.delayed_call = None
        if self.next_index < 0:
            now = timer._clock()
            if now < self.due:
                # The loop fired early (asyncio allows its clock resolution): wait.
                self.delayed_call = timer._schedule(self.due - now, self)
                return
            timer._start(self)
            self.compact()
            self.next_index = 0
            self.started = now
            chunks = _ceil(len(self) / timer._chunk_size)
            self.spacing = timer._bucket_seconds / chunks if chunks else 0.0
        start = self.next_index
        chunk_size = timer._chunk_size
        stop = min(start + chunk_size, len(self))
        finished = stop == len(self)
        self.next_index = stop
        if not finished:
            # Chunk k starts at started + k * spacing: the last one starts less
            # than one bucket width after the first, however late the loop is.
            next_start = self.started + (stop // chunk_size) * self.spacing
            self.delayed_call = timer._schedule(max(0.0, next_start - timer._clock()), self)
        else:
            timer._finish(self)
        report_error = timer._report_error
        # A copy of the chunk: a call may cancel the bucket's last other call,
        # and discarding the bucket empties its list.
        chunk = self[start:stop]
        for position, call in enumerate(chunk):
            if call._bucket is not self:
                continue  # cancelled after the bucket started
            func, args, kwargs = call._func, call._args, call._kwargs
            call._bucket = None
            call._func = call._kwargs = None
            call._args = ()
            self.dead += 1
            try:
                if kwargs is None:
                    func(*args)  # type: ignore[misc]
                else:
                    func(*args, **kwargs)  # type: ignore[misc]
            except Exception as error:
                report_error(error)
            except BaseException:
                # KeyboardInterrupt, SystemExit: they propagate, but the calls
                # of this chunk that have not run yet are kept for later.
                self._resume_at(start + position + 1, stop, finished, chunk[position + 1 :])
                raise
        if finished:
            self.clear()

    def _resume_at(self, index: int, stop: int, finished: bool, rest: list[BatchedCall]) -> None:
        """Run the calls from ``index`` on at the next opportunity (a call raised past us)."""
        timer = self.timer
        if not any(call._bucket is self for call in rest):
            if finished:
                self.clear()
            return
        self.next_index = index
        if finished:
            timer._running.add(self)
        elif self.delayed_call is not None:
            self.delayed_call.cancel()  # the next chunk: it now follows these calls
        self.delayed_call = timer._schedule(0.0, self)


class IBatchedTimer(abc.ABC):
    """A timer that groups many delayed calls into a few real ones.

    Made by ``txaio.make_batched_timer()``; see :class:`txaio_core.BatchedTimer`.
    """

    @abc.abstractmethod
    def call_later(
        self, delay: float, func: Callable[..., object], *args: Any, **kwargs: Any
    ) -> Any:
        """Call ``func(*args, **kwargs)`` no sooner than ``delay`` seconds from now.

        Returns a handle with a ``cancel()`` method.
        """


class BatchedTimer(IBatchedTimer):
    """Delayed calls grouped into buckets of ``bucket_seconds``.

    ``clock`` returns the current time in seconds; ``schedule(delay, func)``
    schedules one real delayed call and returns something with ``cancel()``
    (``loop.call_later`` or ``reactor.callLater`` fit); ``report_error(exc)``
    is called inside the ``except`` block of every call that raised.

    Raises :class:`ValueError` or :class:`TypeError` naming the argument when
    ``bucket_seconds`` is not a finite number ``> 0`` or ``chunk_size`` is not
    an int ``>= 1``, and :class:`TypeError` when ``clock``, ``schedule`` or
    ``report_error`` is not callable.
    """

    __slots__ = (
        "_bucket_seconds",
        "_buckets",
        "_chunk_size",
        "_clock",
        "_report_error",
        "_running",
        "_schedule",
    )

    def __init__(
        self,
        bucket_seconds: float,
        chunk_size: int = 100,
        *,
        clock: Callable[[], float],
        schedule: Callable[[float, Callable[[], None]], Cancellable],
        report_error: Callable[[BaseException], object],
    ) -> None:
        self._bucket_seconds = check_positive_seconds(bucket_seconds, "bucket_seconds")
        self._chunk_size = check_positive_int(chunk_size, "chunk_size")
        check_callable(clock, "clock")
        check_callable(schedule, "schedule")
        check_callable(report_error, "report_error")
        self._clock = clock
        self._schedule = schedule
        self._report_error = report_error
        # Buckets that have not started running, by key (their end / bucket_seconds).
        self._buckets: dict[int, _Bucket] = {}
        # Buckets part-way through their chunks.
        self._running: set[_Bucket] = set()

    @property
    def bucket_seconds(self) -> float:
        """The width of one bucket, in seconds."""
        return self._bucket_seconds

    @property
    def chunk_size(self) -> int:
        """How many calls a due bucket runs at a time."""
        return self._chunk_size

    def pending(self) -> int:
        """Return how many calls have neither run nor been cancelled."""
        buckets = (*self._buckets.values(), *self._running)
        return sum(len(bucket) - bucket.dead for bucket in buckets)

    def call_later(
        self, delay: float, func: Callable[..., object], *args: Any, **kwargs: Any
    ) -> BatchedCall:
        """Call ``func(*args, **kwargs)`` once ``delay`` seconds have passed.

        Returns a :class:`BatchedCall` handle with ``cancel()``. Raises
        :class:`TypeError` when ``func`` is not callable or ``delay`` is not a
        number (a bool is not one: see ``txaio_core.checks.delay_seconds``),
        :class:`ValueError` when ``delay`` is negative, NaN or infinite.
        """
        delay = delay_seconds(delay)
        if not callable(func):
            check_callable(func, "func")  # type: ignore[unreachable]
        now = self._clock()
        due = now + delay
        key = _ceil(due / self._bucket_seconds)
        try:
            bucket = self._buckets[key]  # cheaper than .get() when, as mostly, it is there
        except KeyError:
            bucket = self._open_bucket(key, now, due)
        else:
            if due > bucket.due:
                # Float rounding can put a due time a hair past its bucket's end.
                bucket.due = due
        call: BatchedCall = _new_object(BatchedCall)
        call._func = func
        call._args = args
        call._kwargs = kwargs or None
        call._bucket = bucket
        bucket.append(call)
        return call

    def cancel_all(self) -> None:
        """Cancel every pending call of this timer, including those of running buckets."""
        for bucket in (*self._buckets.values(), *self._running):
            for call in bucket[:]:  # a copy: cancelling compacts or empties the list
                if call._bucket is bucket:
                    call.cancel()

    def _open_bucket(self, key: int, now: float, due: float) -> _Bucket:
        bucket = _Bucket(self, key, max(key * self._bucket_seconds, due))
        self._buckets[key] = bucket
        bucket.delayed_call = self._schedule(bucket.due - now, bucket)
        return bucket

    def _start(self, bucket: _Bucket) -> None:
        if self._buckets.get(bucket.key) is bucket:
            del self._buckets[bucket.key]
        self._running.add(bucket)

    def _finish(self, bucket: _Bucket) -> None:
        self._running.discard(bucket)

    def _discard(self, bucket: _Bucket) -> None:
        """Forget a bucket with no live call left, and cancel its real delayed call."""
        if self._buckets.get(bucket.key) is bucket:
            del self._buckets[bucket.key]
        self._running.discard(bucket)
        delayed_call = bucket.delayed_call
        bucket.delayed_call = None
        bucket.clear()
        if delayed_call is not None:
            delayed_call.cancel()
