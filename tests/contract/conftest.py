"""The contract fixture: every test here runs once on asyncio and once on Twisted.

Every test module in this folder is marked ``@pytest.mark.txaio`` (by
:func:`pytest_collectstart` below), so the txaio pytest plugin runs each test
as ``test_x[asyncio]`` and ``test_x[twisted]`` with ``txaio`` selected for that
framework; a framework that is not installed is skipped with the reason. The
``harness`` fixture drives ``txaio`` on the plugin's fake clock and takes the
``txaio_reports`` fixture: the errors the framework reports are the tests' to
check (``harness.reported``), they do not fail a test by themselves. (Many
contract tests end with an errback that returns its failure, the portable
rule, which Twisted logs as "Unhandled error in Deferred" at garbage collection:
see docs/design.md, "Framework differences".)
"""

from __future__ import annotations

from typing import Any

import pytest

import txaio
from tests.support.harness import DriverHarness, Harness
from txaio.pytest_plugin.clock import FakeClock
from txaio.pytest_plugin.reports import Reports


def pytest_collectstart(collector: pytest.Collector) -> None:
    """Mark every test module of the contract suite for the txaio plugin."""
    if isinstance(collector, pytest.Module):
        collector.add_marker(pytest.mark.txaio)


@pytest.fixture
def harness(
    txaio_framework: str, txaio_clock: FakeClock, txaio_loop: Any, txaio_reports: Reports
) -> Harness:
    """``txaio`` selected for the test's framework, on the plugin's fake clock."""
    return DriverHarness(txaio_framework, txaio, txaio_loop, txaio_clock, lambda: txaio_reports)
