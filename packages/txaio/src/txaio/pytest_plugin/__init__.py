"""The txaio pytest plugin: one test, both frameworks, one run.

Registered through the ``pytest11`` entry point and inert unless used: only
tests marked ``@pytest.mark.txaio`` (on the test, its class or its module) are
touched. Each such test runs once per framework, as ``test_x[asyncio]`` and
``test_x[twisted]``, with txaio selected for that framework (through
:func:`txaio.testutil.use_framework`) and restored afterwards. See the README
section "Testing a portable library" for the whole story; the fixtures are:

- ``txaio_framework``: "asyncio" or "twisted";
- ``txaio_loop``: the asyncio loop or the Twisted reactor (or ``Clock``) of the test;
- ``txaio_clock``: a fake clock (:class:`txaio.pytest_plugin.clock.FakeClock`);
- ``txaio_reports``: the errors the framework reported (then they do not fail the test).

The modules of this package are building blocks of the plugin; the marker,
the options and the fixtures are its interface.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from typing import Any, Protocol

import pytest

from txaio.pytest_plugin import heap
from txaio.pytest_plugin.clock import FakeClock, IdleOnFakeClock, WaitTimedOut
from txaio.pytest_plugin.options import (
    FRAMEWORKS,
    MARKER_HELP,
    MarkerError,
    check_frameworks,
    marker_timeout,
    selected_frameworks,
)
from txaio.pytest_plugin.reports import Reports

__all__ = [
    "FakeClock",
    "Reports",
    "pytest_addoption",
    "pytest_configure",
    "pytest_generate_tests",
    "pytest_pycollect_makeitem",
    "pytest_pyfunc_call",
    "txaio_clock",
    "txaio_framework",
    "txaio_loop",
    "txaio_reports",
]


class Driver(Protocol):
    """What the plugin needs of a framework's driver (asyncio_driver, twisted_driver)."""

    framework: str
    loop: Any
    clock: FakeClock | None
    reports: Reports

    def wait(self, awaitable: Any, timeout: float) -> Any: ...
    def settle(self) -> None: ...
    def check_clean(self) -> list[str]: ...
    def close(self) -> None: ...


_DRIVER = pytest.StashKey[Driver]()

_UNMARKED = (
    "the {fixture} fixture works only in tests marked @pytest.mark.txaio "
    "(on the test, its class, or the module's pytestmark)"
)


def pytest_addoption(parser: pytest.Parser) -> None:
    """Add ``--txaio-framework`` and the ini option ``txaio_frameworks``."""
    group = parser.getgroup("txaio", "txaio: run marked tests on asyncio and Twisted")
    group.addoption(
        "--txaio-framework",
        action="append",
        dest="txaio_framework",
        metavar="NAME",
        help="run @pytest.mark.txaio tests only on this framework (asyncio or twisted; "
        "may be given twice). Default: the ini option txaio_frameworks, else both.",
    )
    parser.addini(
        "txaio_frameworks",
        type="args",
        default=list(FRAMEWORKS),
        help="frameworks @pytest.mark.txaio tests run on (default: asyncio twisted)",
    )


def pytest_configure(config: pytest.Config) -> None:
    """Declare the ``txaio`` marker and check the framework options."""
    config.addinivalue_line("markers", MARKER_HELP)
    check_frameworks(config)


def _is_marked(collector: pytest.Collector, obj: object) -> bool:
    if collector.get_closest_marker("txaio") is not None:
        return True
    own = getattr(obj, "pytestmark", ())
    return any(getattr(mark, "name", None) == "txaio" for mark in own)


@pytest.hookimpl(tryfirst=True)
def pytest_pycollect_makeitem(collector: pytest.Collector, name: str, obj: object) -> None:
    """Make ``txaio_framework`` the first fixture of every marked test.

    Selecting the framework before the test's other fixtures lets those use
    txaio too. Returns None: pytest collects the test as usual.
    """
    if not isinstance(collector, (pytest.Module, pytest.Class)):
        return
    if not collector.istestfunction(obj, name) or not _is_marked(collector, obj):
        return
    pytest.mark.usefixtures("txaio_framework")(obj)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Parametrize every marked test with the selected frameworks ([asyncio], [twisted])."""
    if metafunc.definition.get_closest_marker("txaio") is None:
        return
    try:
        marker_timeout(metafunc.definition)  # bad marker arguments fail at collection
    except MarkerError as error:
        problem = str(error)
    else:
        problem = ""
    if problem:
        pytest.fail(problem, pytrace=False)
    frameworks = selected_frameworks(metafunc.config)
    metafunc.parametrize("txaio_framework", frameworks, indirect=True, ids=frameworks)


def _make_driver(framework: str, *, fake_clock: bool) -> Driver:
    if framework == "asyncio":
        from txaio.pytest_plugin.asyncio_driver import AsyncioDriver

        return AsyncioDriver(fake_clock=fake_clock)
    from txaio.pytest_plugin.twisted_driver import TwistedDriver

    return TwistedDriver(fake_clock=fake_clock)


@pytest.fixture
def txaio_framework(request: pytest.FixtureRequest) -> Iterator[str]:
    """The framework this run of a ``@pytest.mark.txaio`` test is on: "asyncio" or "twisted".

    Selects it for ``txaio`` and sets ``txaio.config.loop`` to the test's loop
    (``txaio_loop``) for the test, and restores both afterwards, also when the
    test fails. Skips the test, saying what to install, when the framework or
    its backend is missing.
    """
    framework: str | None = getattr(request, "param", None)
    if framework is None:
        pytest.fail(_UNMARKED.format(fixture="txaio_framework"), pytrace=False)
    from txaio import _load_backend
    from txaio.testutil import use_framework

    try:
        backend = _load_backend(framework)
    except ImportError as error:
        pytest.skip(str(error))
    config = backend.config
    # Twisted's config.loop would import (and so install) the default reactor.
    previous_loop = config.configured_loop if framework == "twisted" else config.loop
    previous_level = backend.get_global_log_level()
    # Everything alive now moves out of the collector's sight until the test
    # ends, so the collections that bring unhandled failures to light look only
    # at what the test made (milliseconds instead of a tenth of a second).
    heap.freeze()
    try:
        driver = _make_driver(framework, fake_clock="txaio_clock" in request.fixturenames)
    except BaseException:
        heap.unfreeze()
        raise
    request.node.stash[_DRIVER] = driver
    try:
        with use_framework(framework):
            config.loop = driver.loop
            try:
                yield framework
            finally:
                try:
                    # What the test's objects report as they go goes to this test.
                    driver.settle()
                finally:
                    config.loop = previous_loop
                    backend.set_global_log_level(previous_level)
    finally:
        try:
            driver.close()
        finally:
            del request.node.stash[_DRIVER]
            heap.unfreeze()
    reports = driver.reports
    if reports.texts and not reports.claimed:
        pytest.fail(reports.failure_text(framework), pytrace=False)


def _driver(request: pytest.FixtureRequest, fixture: str) -> Driver:
    driver: Driver | None = request.node.stash.get(_DRIVER, None)
    if driver is None:
        pytest.fail(_UNMARKED.format(fixture=fixture), pytrace=False)
    return driver


@pytest.fixture
def txaio_loop(txaio_framework: str, request: pytest.FixtureRequest) -> Any:
    """The test's asyncio event loop, or Twisted reactor (a ``task.Clock`` with ``txaio_clock``)."""
    return _driver(request, "txaio_loop").loop


@pytest.fixture
def txaio_clock(txaio_framework: str, request: pytest.FixtureRequest) -> FakeClock:
    """A fake clock for ``call_later``, ``sleep`` and batched timers: see ``FakeClock``.

    ``txaio_clock.advance(seconds)`` runs everything that comes due, in order;
    while the plugin waits for an ``async def`` test (or a returned future) it
    jumps the clock to each next timer by itself.
    """
    clock = _driver(request, "txaio_clock").clock
    if clock is None:
        pytest.fail(
            "txaio_clock must be an argument of the test or of one of its fixtures, not "
            "requested with request.getfixturevalue(): the test's loop is chosen first",
            pytrace=False,
        )
    return clock


@pytest.fixture
def txaio_reports(txaio_framework: str, request: pytest.FixtureRequest) -> Reports:
    """The errors the framework reported during the test; asking for it means checking them."""
    reports = _driver(request, "txaio_reports").reports
    reports.claimed = True
    return reports


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem: pytest.Function) -> bool | None:
    """Run a marked test on its framework; wait for what it returns; fail on unhandled errors.

    Returns True when it ran the test, None (pytest runs it) for other tests.
    """
    driver = pyfuncitem.stash.get(_DRIVER, None)
    if driver is None:
        return None
    function = pyfuncitem.obj
    arguments = {name: pyfuncitem.funcargs[name] for name in pyfuncitem._fixtureinfo.argnames}
    timeout = marker_timeout(pyfuncitem)
    try:
        result = function(**arguments)
        if result is not None:
            if not (inspect.isawaitable(result) or _is_future(result)):
                pytest.fail(
                    f"a @pytest.mark.txaio test returns None, a future or a coroutine, "
                    f"not {type(result).__name__} {result!r:.80}",
                    pytrace=False,
                )
            stuck = _wait(driver, result, timeout)
            if stuck:
                pytest.fail(stuck, pytrace=False)
        driver.settle()
    except BaseException:
        driver.settle()
        if driver.reports.texts and not driver.reports.claimed:
            pyfuncitem.add_report_section(
                "call", "txaio reports", driver.reports.failure_text(driver.framework)
            )
            driver.reports.clear()
        raise
    finally:
        left = driver.check_clean()
    if left:
        pytest.fail(
            f"the test left behind in the {driver.framework} reactor (now cleaned up): "
            + "; ".join(left),
            pytrace=False,
        )
    reports = driver.reports
    if reports.texts and not reports.claimed:
        text = reports.failure_text(driver.framework)
        reports.clear()
        pytest.fail(text, pytrace=False)
    return True


def _wait(driver: Driver, result: object, timeout: float) -> str | None:
    """Wait for the test's future; return why it failed to finish, or None."""
    try:
        driver.wait(result, timeout)
    except WaitTimedOut as error:
        return f"{error} (the limit is set by @pytest.mark.txaio(timeout=...), default 30 s)"
    except IdleOnFakeClock as error:
        return str(error)
    return None


def _is_future(value: object) -> bool:
    import txaio

    try:
        return bool(txaio.is_future(value))
    except RuntimeError:
        return False
