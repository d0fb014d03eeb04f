"""A fake clock and scheduler for driving framework-free code deterministically.

``FakeScheduler.clock`` and ``FakeScheduler.schedule`` have the shapes a
:class:`txaio_core.BatchedTimer` wants (``loop.time`` / ``loop.call_later``),
and ``report_error`` records what it is given together with the exception
being handled at that moment. Time only moves in :meth:`FakeScheduler.advance`,
which runs every due call at its own scheduled time, in time order.

The fake is strict where real frameworks are: cancelling a call twice, or after
it ran, fails the test (Twisted raises ``AlreadyCancelled`` / ``AlreadyCalled``).
"""

from __future__ import annotations

import heapq
import itertools
import sys
from collections.abc import Callable
from dataclasses import dataclass, field


class FakeDelayedCall:
    """One real delayed call of the fake scheduler."""

    def __init__(self, when: float, func: Callable[[], object]) -> None:
        self.when = when
        self.func = func
        self.cancelled = False
        self.called = False

    def cancel(self) -> None:
        """Cancel the call; fail loudly when it is already cancelled or called."""
        assert not self.cancelled, "delayed call cancelled twice"
        assert not self.called, "delayed call cancelled after it ran"
        self.cancelled = True

    def active(self) -> bool:
        """Return whether the call is still waiting to run."""
        return not (self.cancelled or self.called)


@dataclass
class Report:
    """One call of ``report_error``: the exception, and what was being handled then."""

    error: BaseException
    handling: BaseException | None


@dataclass
class FakeScheduler:
    """A clock that moves only when told to, and the delayed calls on it.

    ``early`` makes every delayed call with a delay of at least twice ``early``
    fire that many seconds before its time, as asyncio may within its clock
    resolution (shorter ones fire on time, so a call that reschedules itself
    until it is due cannot spin forever on a clock that only moves when told to).
    """

    now: float = 0.0
    early: float = 0.0
    reports: list[Report] = field(default_factory=list)
    #: Every delayed call ever scheduled, in order.
    scheduled: list[FakeDelayedCall] = field(default_factory=list)
    #: (time, number of the delayed call) of every delayed call that ran.
    fired: list[tuple[float, int]] = field(default_factory=list)
    _queue: list[tuple[float, int, FakeDelayedCall]] = field(default_factory=list)
    _sequence: itertools.count[int] = field(default_factory=itertools.count)

    def clock(self) -> float:
        """Return the current fake time in seconds."""
        return self.now

    def schedule(self, delay: float, func: Callable[[], object]) -> FakeDelayedCall:
        """Schedule ``func`` to run ``delay`` seconds from now; return its handle."""
        assert delay >= 0, f"negative delay {delay!r} given to the scheduler"
        early = self.early if delay >= 2 * self.early else 0.0
        call = FakeDelayedCall(self.now + delay - early, func)
        self.scheduled.append(call)
        heapq.heappush(self._queue, (call.when, next(self._sequence), call))
        return call

    def report_error(self, error: BaseException) -> None:
        """Record ``error`` and the exception being handled (it should be the same)."""
        self.reports.append(Report(error, sys.exc_info()[1]))

    def active_calls(self) -> list[FakeDelayedCall]:
        """Return the delayed calls still waiting to run, soonest first."""
        return sorted((c for c in self.scheduled if c.active()), key=lambda c: c.when)

    def advance(self, seconds: float) -> None:
        """Move time forward by ``seconds``, running each due call at its own time."""
        assert seconds >= 0
        self.run_until(self.now + seconds)

    def run_until(self, target: float) -> None:
        """Move time forward to ``target``, running each due call at its own time."""
        queue = self._queue
        while queue and queue[0][0] <= target:
            when, _, call = heapq.heappop(queue)
            if not call.active():
                continue
            self.now = max(self.now, when)
            call.called = True
            self.fired.append((self.now, self.scheduled.index(call)))
            call.func()
        self.now = max(self.now, target)

    def run_all(self, limit: int = 1_000_000) -> None:
        """Run every delayed call, moving time as far as needed (at most ``limit`` calls)."""
        for _ in range(limit):
            live = [entry for entry in self._queue if entry[2].active()]
            if not live:
                return
            self.run_until(min(entry[0] for entry in live))
        raise AssertionError("delayed calls keep scheduling more delayed calls")
