"""The fake clock behind the ``txaio_clock`` fixture, the same on both frameworks."""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

__all__ = ["FakeClock", "IdleOnFakeClock", "WaitTimedOut", "run_on_fake_clock"]


class IdleOnFakeClock(Exception):
    """The test waits for something no timer will bring while time is fake."""


class WaitTimedOut(Exception):
    """The test's future did not finish within the test's timeout."""


class FakeClock:
    """A deterministic clock: time moves only when :meth:`advance` moves it.

    ``txaio.call_later``, ``txaio.sleep`` and batched timers all run on it. Each
    framework's driver supplies the three primitives; this class adds the
    argument checks and the rule that :meth:`advance` belongs to plain test
    code: while the plugin waits for an ``async def`` test or a returned future,
    it moves the clock itself, to each next timer in turn.
    """

    def __init__(
        self,
        *,
        now: Callable[[], float],
        next_due: Callable[[], float | None],
        run_until_idle: Callable[[], None],
        advance_to: Callable[[float], None],
    ) -> None:
        self._now = now
        self._next_due = next_due
        self._run_until_idle = run_until_idle
        self._advance_to = advance_to
        #: True while the plugin waits for the test's future (then it drives the clock).
        self.driven_by_plugin = False

    def now(self) -> float:
        """Return the fake time, in seconds."""
        return self._now()

    def next_due(self) -> float | None:
        """Return when the next pending timer is due, or ``None`` when none is pending."""
        return self._next_due()

    def run_until_idle(self) -> None:
        """Run every callback that is ready now, without moving the clock.

        Raises :class:`RuntimeError` while the plugin is waiting for the test.
        """
        self._check_not_driven("run_until_idle")
        self._run_until_idle()

    def advance(self, seconds: float = 0.0) -> None:
        """Move the clock forward by ``seconds``, running everything that comes due, in order.

        The clock stops at each due time on the way, so a timer sees the time it
        was due at and timers scheduled on the way run in their turn. Raises
        :class:`TypeError` / :class:`ValueError` for a ``seconds`` that is not a
        finite number >= 0, and :class:`RuntimeError` when called from an
        ``async def`` test (there the plugin moves the clock by itself).
        """
        if isinstance(seconds, bool) or not isinstance(seconds, (int, float)):
            raise TypeError(f"seconds must be a number, got {type(seconds).__name__} {seconds!r}")
        if not math.isfinite(seconds) or seconds < 0:
            raise ValueError(f"seconds must be a finite number >= 0, got {seconds!r}")
        self._check_not_driven("advance")
        self._run_until_idle()
        target = self._now() + seconds
        while True:
            due = self._next_due()
            if due is None or due > target:
                break
            self._advance_to(max(due, self._now()))
            self._run_until_idle()
        self._advance_to(target)
        self._run_until_idle()

    @contextmanager
    def driven(self) -> Iterator[None]:
        """Mark the clock as driven by the plugin (:meth:`advance` refused) inside the block."""
        previous = self.driven_by_plugin
        self.driven_by_plugin = True
        try:
            yield
        finally:
            self.driven_by_plugin = previous

    def _check_not_driven(self, method: str) -> None:
        if self.driven_by_plugin:
            raise RuntimeError(
                f"txaio_clock.{method}() cannot be called while the txaio plugin waits for "
                "the test (an async def test, or a future the test returned): there the "
                "plugin moves the fake clock itself, to each next timer; call "
                f"txaio_clock.{method}() from a plain test function instead"
            )


def run_on_fake_clock(clock: FakeClock, done: Callable[[], bool], timeout: float) -> bool:
    """Run ``clock``'s callbacks and jump to each next timer until ``done()`` is true.

    Returns True when ``done()`` became true, False when ``timeout`` seconds of
    real time passed first. Raises :class:`IdleOnFakeClock` when nothing is
    ready and no timer is pending while ``done()`` is still false: what the test
    waits for (real I/O, a thread, another loop) will never come on the fake clock.
    """
    deadline = time.monotonic() + timeout
    with clock.driven():
        while True:
            clock._run_until_idle()
            if done():
                return True
            if time.monotonic() >= deadline:
                return False
            due = clock.next_due()
            if due is None:
                raise IdleOnFakeClock(
                    "the test waits for something no timer will bring, and the fake clock "
                    "has nothing left to run: with txaio_clock time is fake and only timers "
                    "and callbacks run, so a test that waits for real I/O (sockets, "
                    "subprocesses, threads) must not use txaio_clock"
                )
            clock._advance_to(max(due, clock.now()))
