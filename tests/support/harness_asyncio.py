"""The asyncio harness: a real selector event loop whose clock is fake.

``FakeClockLoop.time()`` returns a settable time, so timers come due only when
a test moves the clock; ``advance`` and ``run_until_idle`` run loop iterations
(``call_soon(stop)`` + ``run_forever()``: one iteration, never blocking) until
nothing is ready or due. Errors the loop reports go to ``reported``.

With ``TXAIO_CONTRACT_VIA_FACADE=asyncio`` the harness drives the ``txaio``
facade (after ``txaio.use_asyncio()``) instead of ``txaio_asyncio`` itself.
"""

from __future__ import annotations

import asyncio
import os
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import txaio_asyncio
from tests.support.runtime import collect_garbage

_MAX_COLLECTIONS = 5


class FakeClockLoop(asyncio.SelectorEventLoop):
    """A selector event loop whose ``time()`` moves only when told to."""

    def __init__(self) -> None:
        super().__init__()
        self.fake_time = 0.0

    def time(self) -> float:
        """Return the fake time, in seconds."""
        return self.fake_time

    def _has_work_due(self) -> bool:
        # The loop's own queues: ready callbacks, and live timers due by now.
        if self._ready:  # type: ignore[attr-defined]
            return True
        return any(
            not handle.cancelled() and handle.when() <= self.fake_time
            for handle in self._scheduled  # type: ignore[attr-defined]
        )

    def run_until_idle(self) -> None:
        """Run loop iterations until nothing is ready or due at the current fake time."""
        for _ in range(100_000):
            if not self._has_work_due():
                return
            self.call_soon(self.stop)
            self.run_forever()
        raise RuntimeError("the loop never became idle: a callback keeps rescheduling itself")

    def _next_due(self) -> float | None:
        """Return when the next live timer is due, or None when there is none."""
        return min(
            (
                handle.when()
                for handle in self._scheduled  # type: ignore[attr-defined]
                if not handle.cancelled()
            ),
            default=None,
        )

    def advance(self, seconds: float) -> None:
        """Move the fake clock forward by ``seconds``, one due time at a time.

        The clock stops at each timer's due time on the way and runs what is
        due then (as the Twisted harness does), so a timer sees the time it was
        due at, and timers scheduled on the way (a batched timer's next chunk)
        run in their turn.
        """
        if seconds < 0:
            raise ValueError(f"seconds must be >= 0, got {seconds!r}")
        self.run_until_idle()
        target = self.fake_time + seconds
        while True:
            due = self._next_due()
            if due is None or due > target:
                break
            self.fake_time = max(self.fake_time, due)
            self.run_until_idle()
        self.fake_time = target
        self.run_until_idle()


class AsyncioHarness:
    """The :class:`tests.support.harness.Harness` of the asyncio backend."""

    name = "asyncio"

    def __init__(self, api: Any, loop: FakeClockLoop) -> None:
        self.api = api
        self.loop = loop
        self.reported: list[BaseException] = []
        self.reported_text: list[str] = []
        loop.set_exception_handler(self._capture)

    def _capture(self, loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
        message = str(context.get("message", "error reported by the loop"))
        error = context.get("exception")
        if not isinstance(error, BaseException):
            error = RuntimeError(message)
            text = message
        else:
            text = message + "\n" + "".join(traceback.format_exception(error))
        self.reported.append(error)
        self.reported_text.append(text)

    def run_until_idle(self) -> None:
        """Run every callback that is ready now, repeatedly, without moving the clock."""
        self.loop.run_until_idle()

    def advance(self, seconds: float) -> None:
        """Move the fake clock forward by ``seconds``, running everything that comes due."""
        self.loop.advance(seconds)

    def now(self) -> float:
        """Return the fake clock's current time in seconds."""
        return self.loop.time()

    def collect_garbage(self) -> None:
        """Force garbage collection so unhandled failed futures get reported.

        Collects until a collection finds nothing more (at most a few times):
        what one collection frees can leave more garbage behind.
        """
        collect_garbage(_MAX_COLLECTIONS)
        self.loop.run_until_idle()


def _facade() -> Any:
    import txaio  # the facade is optional here: import it only when asked for

    txaio.use_asyncio()
    return txaio


@contextmanager
def make_harness() -> Iterator[AsyncioHarness]:
    """Yield a harness on a fresh fake-clock loop installed as ``api.config.loop``.

    Restores the previous ``config.loop`` and global log level afterwards, and
    closes the loop.
    """
    api: Any = _facade() if os.environ.get("TXAIO_CONTRACT_VIA_FACADE") == "asyncio" else None
    if api is None:
        api = txaio_asyncio
    loop = FakeClockLoop()
    previous_loop = api.config.loop
    previous_level = api.get_global_log_level()
    api.config.loop = loop
    harness = AsyncioHarness(api, loop)
    try:
        yield harness
    finally:
        api.config.loop = previous_loop
        api.set_global_log_level(previous_level)
        try:
            loop.run_until_idle()
            for task in asyncio.all_tasks(loop):
                task.cancel()
            loop.run_until_idle()
        finally:
            loop.close()
