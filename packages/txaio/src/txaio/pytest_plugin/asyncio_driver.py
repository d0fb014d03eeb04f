"""How the txaio pytest plugin runs a test on asyncio.

Every test gets a loop of its own, made current with ``asyncio.set_event_loop``
and set as ``txaio.config.loop``, and closed after the test: a real event loop,
or (with ``txaio_clock``) :class:`FakeClockLoop`, a real selector loop whose
``time()`` moves only when the fake clock moves it. Everything the loop's
exception handler receives is recorded as a report.
"""

from __future__ import annotations

import asyncio
import traceback
from collections.abc import Awaitable
from typing import Any

from txaio.pytest_plugin.clock import FakeClock, WaitTimedOut, run_on_fake_clock
from txaio.pytest_plugin.heap import collect_garbage
from txaio.pytest_plugin.reports import Reports

__all__ = ["AsyncioDriver", "FakeClockLoop"]

_MAX_IDLE_ROUNDS = 100_000


class FakeClockLoop(asyncio.SelectorEventLoop):
    """A selector event loop whose ``time()`` moves only when :attr:`fake_time` is set."""

    def __init__(self) -> None:
        super().__init__()
        self.fake_time = 0.0

    def time(self) -> float:
        """Return the fake time, in seconds."""
        return self.fake_time

    def _has_work_due(self) -> bool:
        if self._ready:  # type: ignore[attr-defined]
            return True
        return any(
            not handle.cancelled() and handle.when() <= self.fake_time
            for handle in self._scheduled  # type: ignore[attr-defined]
        )

    def run_until_idle(self) -> None:
        """Run loop iterations until nothing is ready or due at the current fake time.

        Raises :class:`RuntimeError` when the loop never becomes idle.
        """
        for _ in range(_MAX_IDLE_ROUNDS):
            if not self._has_work_due():
                return
            self.call_soon(self.stop)
            self.run_forever()
        raise RuntimeError("the loop never became idle: a callback keeps rescheduling itself")

    def next_due(self) -> float | None:
        """Return when the next live timer is due, or None when there is none."""
        return min(
            (
                handle.when()
                for handle in self._scheduled  # type: ignore[attr-defined]
                if not handle.cancelled()
            ),
            default=None,
        )

    def advance_to(self, when: float) -> None:
        """Set the fake time to ``when`` (never backwards) without running anything."""
        self.fake_time = max(self.fake_time, when)

    def make_clock(self) -> FakeClock:
        """Return a :class:`FakeClock` that drives this loop."""
        return FakeClock(
            now=self.time,
            next_due=self.next_due,
            run_until_idle=self.run_until_idle,
            advance_to=self.advance_to,
        )

    def advance(self, seconds: float) -> None:
        """Move the fake time forward by ``seconds``, running what comes due, in order.

        Raises what :meth:`FakeClock.advance` raises.
        """
        self.make_clock().advance(seconds)


class AsyncioDriver:
    """One test's asyncio loop: runs it, waits on it, records what it reports."""

    framework = "asyncio"

    def __init__(self, *, fake_clock: bool, make_current: bool = True) -> None:
        self.clock: FakeClock | None = None
        self._current = make_current
        self.loop: asyncio.AbstractEventLoop
        if fake_clock:
            fake = FakeClockLoop()
            self.loop = fake
            self.clock = fake.make_clock()
        else:
            self.loop = asyncio.new_event_loop()
        self.reports = Reports(self.settle)
        self.loop.set_exception_handler(self._record)
        if make_current:
            asyncio.set_event_loop(self.loop)

    def _record(self, loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
        message = str(context.get("message") or "error reported by the asyncio loop")
        error = context.get("exception")
        lines = [message]
        for key in ("future", "task", "handle"):
            if key in context:
                lines.append(f"{key}: {context[key]!r:.300}")
        if isinstance(error, BaseException):
            lines.append("".join(traceback.format_exception(error)).rstrip())
        else:
            error = RuntimeError(message)
        self.reports.add(error, "\n".join(lines))

    def _run_ready(self) -> None:
        if isinstance(self.loop, FakeClockLoop):
            self.loop.run_until_idle()
            return
        for _ in range(3):
            self.loop.call_soon(self.loop.stop)
            self.loop.run_forever()

    def settle(self) -> None:
        """Run what is ready, collect garbage, run again: pending reports arrive."""
        if self.loop.is_closed():
            return
        self._run_ready()
        collect_garbage()
        self._run_ready()

    def wait(self, awaitable: Awaitable[Any], timeout: float) -> Any:
        """Drive the loop until ``awaitable`` is done; return its result or raise its error.

        Raises :class:`WaitTimedOut` after ``timeout`` seconds (then the awaitable
        is cancelled), :class:`txaio.pytest_plugin.clock.IdleOnFakeClock` when on
        the fake clock nothing is left to run, and :class:`TypeError` when
        ``awaitable`` is not something asyncio can wait for.
        """
        task = asyncio.ensure_future(awaitable, loop=self.loop)
        if self.clock is not None:
            try:
                finished = run_on_fake_clock(self.clock, task.done, timeout)
            except BaseException:
                self._cancel(task)
                raise
        else:
            self.loop.run_until_complete(asyncio.wait([task], timeout=timeout))
            finished = task.done()
        if not finished:
            self._cancel(task)
            raise WaitTimedOut(f"the test did not finish within {timeout:g} s")
        return task.result()

    def _cancel(self, task: asyncio.Future[Any]) -> None:
        task.cancel()
        if isinstance(self.loop, FakeClockLoop):
            self.loop.run_until_idle()
        else:
            self.loop.run_until_complete(asyncio.wait([task], timeout=1.0))
        if task.done() and not task.cancelled():
            task.exception()  # retrieved: the timeout is the error to report

    def check_clean(self) -> list[str]:
        """Return what the test left behind that would leak into other tests: nothing.

        The loop is the test's own and is closed afterwards, so leftovers are
        cancelled by :meth:`close` rather than reported.
        """
        return []

    def close(self) -> None:
        """Cancel the tasks still pending, close the loop and unset it as the current one.

        Garbage is not collected here: call :meth:`settle` first to see late reports.
        """
        loop = self.loop
        try:
            pending = [task for task in asyncio.all_tasks(loop) if not task.done()]
            for task in pending:
                task.cancel()
            if pending:
                if isinstance(loop, FakeClockLoop):
                    loop.run_until_idle()
                else:
                    loop.run_until_complete(asyncio.wait(pending, timeout=1.0))
            loop.run_until_complete(loop.shutdown_asyncgens())
        finally:
            loop.close()
            if self._current:
                asyncio.set_event_loop(None)
