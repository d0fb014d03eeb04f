"""The contract harness on Twisted: a ``task.Clock`` reactor and captured failure logs.

``api`` is ``txaio_twisted``, or the ``txaio`` facade after ``use_twisted()``
when the environment variable ``TXAIO_CONTRACT_VIA_FACADE`` is ``"twisted"``.
Errors Twisted reports (logged failures, "Unhandled error in Deferred" at
garbage collection, batched timer errors) are captured from ``twisted.logger``.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from twisted.internet.task import Clock
from twisted.logger import formatEvent, globalLogBeginner, globalLogPublisher

import txaio_twisted
from tests.support.runtime import collect_garbage

__all__ = ["TwistedHarness", "make_harness"]

_MAX_COLLECTIONS = 5


@dataclass
class TwistedHarness:
    """A Twisted backend bound to a ``task.Clock``; see ``tests.support.harness.Harness``."""

    api: Any
    loop: Clock
    name: str = "twisted"
    reported: list[BaseException] = field(default_factory=list)
    reported_text: list[str] = field(default_factory=list)
    _previous_text: str = ""

    def observe(self, event: dict[str, Any]) -> None:
        """Record the failure of a Twisted log event, if it carries one."""
        failure = event.get("log_failure")
        text = formatEvent(event)
        if failure is None:
            self._previous_text = text
            return
        if not text:
            # Twisted logs "Unhandled error in Deferred:" as one event, then the
            # failure as a second event without text of its own.
            text = self._previous_text
        self._previous_text = ""
        self.reported.append(failure.value)
        self.reported_text.append(f"{text}\n{txaio_twisted.failure_format_traceback(failure)}")

    def run_until_idle(self) -> None:
        """Run the calls due now; Deferred callbacks already ran synchronously."""
        self.loop.advance(0)

    def advance(self, seconds: float) -> None:
        """Move the clock to now + ``seconds``, one due call time at a time."""
        clock = self.loop
        target = clock.seconds() + seconds
        while True:
            due = [call.getTime() for call in clock.getDelayedCalls()]
            step_to = min(due, default=target)
            if step_to > target:
                step_to = target
            self._advance_to(step_to)
            if step_to >= target and not any(
                call.getTime() <= target for call in clock.getDelayedCalls()
            ):
                return

    def _advance_to(self, when: float) -> None:
        clock = self.loop
        clock.advance(max(0.0, when - clock.seconds()))
        if clock.seconds() < when:
            # Float rounding left the clock a hair short of a due call.
            clock.rightNow = when
            clock.advance(0)

    def now(self) -> float:
        """Return the clock's time in seconds."""
        return self.loop.seconds()

    def collect_garbage(self) -> None:
        """Collect garbage, so unhandled failed Deferreds log their errors now.

        Collects until a collection finds nothing more (at most a few times):
        what one collection frees can leave more garbage behind.
        """
        collect_garbage(_MAX_COLLECTIONS)


def _api() -> Any:
    if os.environ.get("TXAIO_CONTRACT_VIA_FACADE") == "twisted":
        import txaio

        txaio.use_twisted()
        return txaio
    return txaio_twisted


@contextmanager
def make_harness() -> Iterator[TwistedHarness]:
    """Yield a :class:`TwistedHarness`; restore the reactor setting and observers after."""
    api = _api()
    clock = Clock()
    previous = txaio_twisted.config.configured_loop  # type: ignore[attr-defined]
    api.config.loop = clock
    harness = TwistedHarness(api=api, loop=clock)
    # Until logging begins, Twisted's log beginner keeps the last 65536 events
    # (failures, their tracebacks, the frames and the Deferreds these hold) and
    # lets them go at random later moments, inside other tests. Detached while
    # the harness runs, it keeps nothing of this test.
    buffering: Any = getattr(globalLogBeginner, "_temporaryObserver", None)
    if buffering is not None:
        globalLogPublisher.removeObserver(buffering)
    globalLogPublisher.addObserver(harness.observe)
    try:
        yield harness
    finally:
        # Failed Deferreds of this test are reported now rather than at some
        # random later moment (inside another test, or inside CPython's compiler,
        # which trips CPython 3.11 up). The young generations hold them; a full
        # collection would cost ~0.15 s per test.
        gc.collect(1)
        globalLogPublisher.removeObserver(harness.observe)
        if globalLogBeginner._temporaryObserver is buffering and buffering is not None:
            globalLogPublisher.addObserver(buffering)
        txaio_twisted.config.loop = previous
