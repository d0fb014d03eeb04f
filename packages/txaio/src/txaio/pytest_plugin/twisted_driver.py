"""How the txaio pytest plugin runs a test on Twisted.

Real I/O: the global reactor (whichever is installed; the default one unless
your conftest installs another first) is driven by the plugin, one
``reactor.iterate()`` at a time, only while it waits for the test's Deferred.
``reactor.run()`` is never called, so ``reactor.running`` is False: threads
(``deferToThread``, ``callInThread``, host name resolution) and
``callWhenRunning`` do not work; loopback TCP with IP addresses, UDP, timers and
``callFromThread`` do. The reactor is shared by every test of the process, so a
test that leaves a delayed call or a connection or port behind fails, and what
it left is cleaned up (as trial does).

Fake clock (``txaio_clock``): a ``twisted.internet.task.Clock`` is the test's
reactor for timers; the global reactor is not touched.

Everything Twisted logs with a failure (``log.failure``, "Unhandled error in
Deferred", ...) is recorded as a report.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Awaitable, Callable, Generator
from typing import Any, cast

from twisted.internet.defer import Deferred
from twisted.internet.task import Clock
from twisted.logger import formatEvent, globalLogBeginner, globalLogPublisher
from twisted.python.failure import Failure

from txaio.pytest_plugin.clock import FakeClock, WaitTimedOut, run_on_fake_clock
from txaio.pytest_plugin.heap import collect_garbage
from txaio.pytest_plugin.reports import Reports

__all__ = ["TwistedDriver"]

# Seconds the reactor may take to finish closing what a test closed.
_CLOSING_GRACE = 1.0


def _next_call(clock: Clock) -> float | None:
    calls = cast(list[Any], clock.getDelayedCalls())
    return min((call.getTime() for call in calls), default=None)


def _advance_clock_to(clock: Clock, when: float) -> None:
    clock.advance(max(0.0, when - clock.seconds()))
    if clock.seconds() < when:
        # Float rounding left the clock a hair short of a due call.
        clock.rightNow = when
        clock.advance(0)


class TwistedDriver:
    """One test's Twisted side: the reactor or a ``Clock``, and the failures Twisted logs."""

    framework = "twisted"

    def __init__(self, *, fake_clock: bool) -> None:
        self.clock: FakeClock | None = None
        self.loop: Any
        if fake_clock:
            fake = Clock()
            self.loop = fake
            self.clock = FakeClock(
                now=fake.seconds,
                next_due=lambda: _next_call(fake),
                run_until_idle=lambda: fake.advance(0),
                advance_to=lambda when: _advance_clock_to(fake, when),
            )
            # The global reactor is not the test's, but what a test leaves in it
            # leaks into other tests all the same: checked when it is in use.
            self._reactor: Any = sys.modules.get("twisted.internet.reactor")
        else:
            from twisted.internet import reactor  # the installed one, or the default

            self.loop = self._reactor = reactor
        self.reports = Reports(self.settle)
        self._previous_text = ""
        self._before = self._reactor_state()
        # Until logging begins, Twisted's log beginner keeps the last 65536 events
        # (and the failures, frames and Deferreds they hold) and lets them go at
        # random later moments. Detached while the test runs, it keeps none of it.
        self._buffering: Any = getattr(globalLogBeginner, "_temporaryObserver", None)
        if self._buffering is not None:
            globalLogPublisher.removeObserver(self._buffering)
        self._observer = cast(Any, self._observe)
        globalLogPublisher.addObserver(self._observer)

    def _observe(self, event: dict[str, Any]) -> None:
        failure = event.get("log_failure")
        text = formatEvent(event)
        if failure is None:
            self._previous_text = text
            return
        if not text:
            # "Unhandled error in Deferred:" comes as one event, its failure as the next.
            text = self._previous_text
        self._previous_text = ""
        self.reports.add(failure.value, f"{text}\n{failure.getTraceback()}".strip())

    def _reactor_state(self) -> tuple[set[Any], set[Any]]:
        reactor = self._reactor
        if reactor is None:
            return set(), set()
        selectables = set(reactor.getReaders()) | set(reactor.getWriters())
        return set(reactor.getDelayedCalls()), selectables

    def _run_ready(self) -> None:
        if self.clock is not None:
            self.clock._run_until_idle()
        else:
            self.loop.iterate(0)

    def settle(self) -> None:
        """Run what is due now, collect garbage, run again: pending reports arrive."""
        self._run_ready()
        collect_garbage()
        self._run_ready()

    def wait(self, awaitable: Awaitable[Any], timeout: float) -> Any:
        """Drive the reactor (or the fake clock) until ``awaitable`` is done.

        ``awaitable`` is a Deferred or a coroutine. Returns its result or raises
        its error; raises :class:`WaitTimedOut` after ``timeout`` seconds (the
        Deferred is cancelled), :class:`txaio.pytest_plugin.clock.IdleOnFakeClock`
        when on the fake clock nothing is left to run, and :class:`TypeError` for
        anything else.
        """
        if self.clock is not None:
            with self.clock.driven():  # a coroutine starts running right here
                deferred = _as_deferred(awaitable)
        else:
            deferred = _as_deferred(awaitable)
        outcome: list[Any] = []
        deferred.addBoth(outcome.append)
        try:
            if self.clock is not None:
                finished = run_on_fake_clock(self.clock, lambda: bool(outcome), timeout)
            else:
                finished = self._iterate_until(lambda: bool(outcome), timeout)
        except BaseException:
            deferred.cancel()
            raise
        if not finished:
            deferred.cancel()
            raise WaitTimedOut(f"the test did not finish within {timeout:g} s")
        result = outcome[0]
        if isinstance(result, Failure):
            result.raiseException()
        return result

    def _iterate_until(self, done: Callable[[], bool], timeout: float) -> bool:
        reactor = self._reactor
        deadline = time.monotonic() + timeout
        while not done():
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return False
            next_call = reactor.timeout()
            reactor.iterate(remaining if next_call is None else min(next_call, remaining))
        return True

    def check_clean(self) -> list[str]:
        """Clean up what the test left in the shared reactor; return what that was.

        Delayed calls still pending are cancelled; ports are stopped and
        connections aborted. Returns one line per leftover. (On the fake clock the
        ``Clock`` is the test's own; the global reactor is checked if imported.)
        """
        if self._reactor is None:
            return []
        # Connections the test closed may need a few more iterations to go.
        self._iterate_until(lambda: not any(self._leftovers()), _CLOSING_GRACE)
        calls, selectables = self._leftovers()
        left: list[str] = []
        for call in calls:
            left.append(f"a pending delayed call: {call}")
            call.cancel()
        for selectable in selectables:
            left.append(f"an open port or connection: {selectable!r}")
            _close(selectable)
        if left:
            self._iterate_until(lambda: not self._leftovers()[1], _CLOSING_GRACE)
        return left

    def _leftovers(self) -> tuple[list[Any], list[Any]]:
        calls_before, selectables_before = self._before
        calls, selectables = self._reactor_state()
        pending = [call for call in calls - calls_before if call.active()]
        return pending, list(selectables - selectables_before)

    def close(self) -> None:
        """Stop recording Twisted's log (call :meth:`settle` first to see late reports)."""
        globalLogPublisher.removeObserver(self._observer)
        buffering = cast(Any, self._buffering)
        if buffering is not None and globalLogBeginner._temporaryObserver is buffering:
            globalLogPublisher.addObserver(cast(Any, buffering))


def _as_deferred(awaitable: Awaitable[Any]) -> Deferred[Any]:
    if isinstance(awaitable, Deferred):
        return awaitable
    if isinstance(awaitable, Generator) or hasattr(awaitable, "cr_frame"):
        return Deferred.fromCoroutine(awaitable)  # type: ignore[arg-type]
    raise TypeError(
        f"on Twisted the test must return a Deferred or be an async def, "
        f"not return {type(awaitable).__name__} {awaitable!r:.80}"
    )


def _close(selectable: Any) -> None:
    try:
        if hasattr(selectable, "stopListening"):
            selectable.stopListening()
        elif hasattr(selectable, "abortConnection"):
            selectable.abortConnection()
        elif hasattr(selectable, "loseConnection"):
            selectable.loseConnection()
    except Exception:
        pass
