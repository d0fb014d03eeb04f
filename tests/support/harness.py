"""The harness through which backend tests drive a backend deterministically.

Contract tests get it from the ``harness`` fixture of ``tests/contract/conftest.py``,
built on the txaio pytest plugin (``txaio_framework``, ``txaio_clock``,
``txaio_loop``, ``txaio_reports``); the backend suites and the reliability
tests get it from ``make_harness()`` of ``tests/support/harness_asyncio.py`` /
``harness_twisted.py``, built on the plugin's drivers. Tests use only what
:class:`Harness` declares, so a test runs unchanged on asyncio and on Twisted.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from txaio.pytest_plugin.clock import FakeClock
from txaio.pytest_plugin.reports import Reports


class Harness(Protocol):
    """A backend bound to a fake clock, with its error reports captured."""

    #: "asyncio" or "twisted".
    name: str
    #: The ``txaio`` facade selected for the framework (contract tests), or the
    #: backend module (backend suites, reliability), with ``config.loop`` set to
    #: the harness's fake-clock loop for the duration of the test.
    api: Any
    #: The fake-clock loop / reactor that ``api`` uses.
    loop: Any

    @property
    def reported(self) -> list[BaseException]:
        """Every error reported to the framework's own error reporting, in order."""

    @property
    def reported_text(self) -> list[str]:
        """The formatted text of each of those reports (with the traceback), same order."""

    def run_until_idle(self) -> None:
        """Run every callback that is ready now, repeatedly, without moving the clock."""

    def advance(self, seconds: float) -> None:
        """Move the fake clock forward by ``seconds``, running everything that comes due."""

    def now(self) -> float:
        """Return the fake clock's current time in seconds."""

    def collect_garbage(self) -> None:
        """Force garbage collection so unhandled failed futures get reported."""


class DriverHarness:
    """A :class:`Harness` made of a plugin driver's fake clock and reports.

    ``reports`` is called when a test first looks at the reports: in contract
    tests it requests the ``txaio_reports`` fixture, so a test that checks the
    reports takes them over and any other test fails on an unexpected one.
    """

    def __init__(
        self, name: str, api: Any, loop: Any, clock: FakeClock, reports: Callable[[], Reports]
    ) -> None:
        self.name = name
        self.api = api
        self.loop = loop
        self._clock = clock
        self._reports = reports

    @property
    def reported(self) -> list[BaseException]:
        """Every error reported to the framework's own error reporting, in order."""
        return self._reports().errors

    @property
    def reported_text(self) -> list[str]:
        """The formatted text of each of those reports (with the traceback), same order."""
        return self._reports().texts

    def run_until_idle(self) -> None:
        """Run every callback that is ready now, repeatedly, without moving the clock."""
        self._clock.run_until_idle()

    def advance(self, seconds: float) -> None:
        """Move the fake clock forward by ``seconds``, running everything that comes due."""
        self._clock.advance(seconds)

    def now(self) -> float:
        """Return the fake clock's current time in seconds."""
        return self._clock.now()

    def collect_garbage(self) -> None:
        """Force garbage collection so unhandled failed futures get reported."""
        self._reports().collect()
