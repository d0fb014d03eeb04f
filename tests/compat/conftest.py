"""pytest configuration for running the ORIGINAL txaio's test suite against this txaio.

``tests/compat/run_original.py`` copies this file over the original's own
``conftest.py`` (which selects frameworks through private names) in a
temporary copy of its ``tests/``, and runs pytest there once per framework
with ``TXAIO_COMPAT_FRAMEWORK`` set. It selects the framework only with the
public ``txaio.use_asyncio()`` / ``txaio.use_twisted()``, and offers the
fixtures the original's tests use:

* ``framework``: the selected backend module (``txaio.aio`` or ``txaio.tx``),
  its test ids suffixed with the framework's name;
* ``framework_aio`` / ``framework_tx``: the same, for tests written for one
  framework: a test for the other framework belongs to the other run, and is
  deselected in this one;
* ``framework_uninitialized``: ``None``. A selected framework cannot be
  unselected through the public API; the only test of the original that asks
  for it returns at once when Twisted is installed, as it is here.

Tests whose ids are listed in the file named by ``TXAIO_COMPAT_EXCLUSIONS``
(written by the runner from ``tests/compat/exclusions.txt``) are deselected;
every outcome is written as JSON to ``TXAIO_COMPAT_REPORT``.

In this repository's own suite ``TXAIO_COMPAT_FRAMEWORK`` is unset, and this
file does nothing.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from types import ModuleType

import pytest

FRAMEWORK_VARIABLE = "TXAIO_COMPAT_FRAMEWORK"
EXCLUSIONS_VARIABLE = "TXAIO_COMPAT_EXCLUSIONS"
REPORT_VARIABLE = "TXAIO_COMPAT_REPORT"
FRAMEWORKS = ("asyncio", "twisted")

_framework = os.environ.get(FRAMEWORK_VARIABLE)
# Outcome per test id ("passed", "failed" or "skipped: reason"), and the
# exclusions that matched a collected test.
_outcomes: dict[str, str] = {}
_excluded: list[str] = []


def _backend() -> ModuleType:
    """Return the backend module selected for this run, as the original's fixtures do."""
    import txaio

    # The original's fixtures return txaio.aio / txaio.tx: attributes once selected.
    module: ModuleType = vars(txaio)["aio" if _framework == "asyncio" else "tx"]
    return module


def read_excluded_ids(path: Path) -> set[str]:
    """Return the test ids listed in ``path``, one per line (the runner writes it)."""
    return {line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()}


if _framework is not None:
    if _framework not in FRAMEWORKS:
        raise pytest.UsageError(
            f"{FRAMEWORK_VARIABLE} must be one of {FRAMEWORKS}, got {_framework!r}"
        )

    def pytest_configure(config: pytest.Config) -> None:
        """Select the run's framework, once, through the public API."""
        import txaio

        if _framework == "asyncio":
            txaio.use_asyncio()
        else:
            txaio.use_twisted()

    @pytest.fixture(params=[_framework])
    def framework() -> ModuleType:
        """The selected backend module, for tests of the original that run on both."""
        return _backend()

    @pytest.fixture
    def framework_aio() -> ModuleType:
        """The asyncio backend module (tests asking for it run in the asyncio run only)."""
        return _backend()

    @pytest.fixture
    def framework_tx() -> ModuleType:
        """The Twisted backend module (tests asking for it run in the Twisted run only)."""
        return _backend()

    @pytest.fixture
    def framework_uninitialized() -> None:
        """Nothing: a selected framework cannot be unselected through the public API."""
        return

    def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
        """Deselect the other framework's tests and the listed exclusions."""
        other = "framework_tx" if _framework == "asyncio" else "framework_aio"
        path = os.environ.get(EXCLUSIONS_VARIABLE)
        exclusions = read_excluded_ids(Path(path)) if path else set()
        kept: list[pytest.Item] = []
        deselected: list[pytest.Item] = []
        for item in items:
            fixtures: list[str] = list(getattr(item, "fixturenames", ()))
            if other in fixtures:
                deselected.append(item)
            elif item.nodeid in exclusions or item.nodeid.split("[")[0] in exclusions:
                deselected.append(item)
                _excluded.append(item.nodeid)
            else:
                kept.append(item)
        if deselected:
            config.hook.pytest_deselected(items=deselected)
            items[:] = kept

    def pytest_runtest_logreport(report: pytest.TestReport) -> None:
        """Record each test's outcome: failed in any phase, else passed or skipped."""
        if report.failed:
            _outcomes[report.nodeid] = "failed"
        elif report.skipped:
            _outcomes.setdefault(report.nodeid, f"skipped: {_skip_reason(report)}")
        elif report.when == "call":
            _outcomes.setdefault(report.nodeid, "passed")

    def pytest_sessionfinish(session: pytest.Session) -> None:
        """Write the outcomes and the exclusions applied to the report file."""
        path = os.environ.get(REPORT_VARIABLE)
        if path:
            report = {"framework": _framework, "outcomes": _outcomes, "excluded": _excluded}
            Path(path).write_text(json.dumps(report, indent=1), encoding="utf-8")


def _skip_reason(report: pytest.TestReport) -> str:
    longrepr = report.longrepr
    if isinstance(longrepr, tuple) and len(longrepr) == 3:
        return str(longrepr[2])
    return str(longrepr)
