"""The txaio pytest plugin, tested by running pytest on small test files (``pytester``).

Each test writes a test file a library author could write, runs pytest on it
in this process, and checks the outcome of every run of every test.
"""

from __future__ import annotations

import sys
from typing import Any

import pytest

import txaio
from txaio_core.contract import BACKEND_NAMES

pytest_plugins = ["pytester"]

pytest.importorskip("twisted")
pytest.importorskip("txaio_twisted")

# pytester's in-process runs forget the modules a run imported; Twisted cannot
# be imported twice (its adapter registry is global), so everything the runs
# use is imported here, once.
from twisted.internet import endpoints, reactor  # noqa: E402, F401
from twisted.protocols import basic  # noqa: E402, F401

import txaio.pytest_plugin.asyncio_driver  # noqa: E402
import txaio.pytest_plugin.twisted_driver  # noqa: E402

HEADER = """
import asyncio
import pytest
import txaio

pytestmark = pytest.mark.txaio
"""


def run(pytester: pytest.Pytester, source: str, *args: str) -> pytest.RunResult:
    """Write ``source`` (after the common imports and module mark) as a test file and run it."""
    pytester.makepyfile(HEADER + source)
    return pytester.runpytest("-p", "no:cacheprovider", "-v", "-rs", *args)


def outcomes(result: pytest.RunResult) -> dict[str, str]:
    """Return each test id's outcome word (PASSED, FAILED, SKIPPED, ERROR) from ``-v`` output."""
    found: dict[str, str] = {}
    for line in result.outlines:
        name, _, rest = line.partition(" ")
        if "::" in name and rest.split(" ")[0] in ("PASSED", "FAILED", "SKIPPED", "ERROR"):
            found[name.split("::", 1)[1]] = rest.split(" ")[0]
    return found


def test_a_marked_test_runs_once_per_framework_with_txaio_selected(
    pytester: pytest.Pytester,
) -> None:
    result = run(
        pytester,
        """
def test_selected(txaio_framework):
    assert txaio.using_asyncio is (txaio_framework == "asyncio")
    assert txaio.using_twisted is (txaio_framework == "twisted")
    assert txaio._explicit_framework == txaio_framework
    assert txaio.is_future(txaio.create_future())
""",
    )
    assert outcomes(result) == {
        "test_selected[asyncio]": "PASSED",
        "test_selected[twisted]": "PASSED",
    }


def test_the_mark_works_on_a_test_a_class_and_a_module(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_marks="""
import pytest
import txaio

def test_unmarked():
    assert txaio._explicit_framework is None

@pytest.mark.txaio
def test_function():
    assert txaio._explicit_framework is not None

@pytest.mark.txaio
class TestClass:
    def test_method(self, txaio_framework):
        assert txaio._explicit_framework == txaio_framework
""",
        test_module="""
import pytest
import txaio

pytestmark = pytest.mark.txaio

def test_in_module(txaio_framework):
    assert txaio._explicit_framework == txaio_framework
""",
    )
    result = pytester.runpytest("-p", "no:cacheprovider", "-v")
    assert outcomes(result) == {
        "test_unmarked": "PASSED",
        "test_function[asyncio]": "PASSED",
        "test_function[twisted]": "PASSED",
        "TestClass::test_method[asyncio]": "PASSED",
        "TestClass::test_method[twisted]": "PASSED",
        "test_in_module[asyncio]": "PASSED",
        "test_in_module[twisted]": "PASSED",
    }


def test_unmarked_tests_are_left_alone(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
import asyncio
import txaio

def test_nothing_selected():
    assert txaio._explicit_framework is None
    assert not txaio.using_asyncio and not txaio.using_twisted

async def test_async_without_the_mark():
    pass
"""
    )
    result = pytester.runpytest("-p", "no:cacheprovider", "-v")
    assert outcomes(result) == {
        "test_nothing_selected": "PASSED",
        "test_async_without_the_mark": "FAILED",
    }
    result.stdout.fnmatch_lines(["*async def functions are not natively supported*"])


@pytest.mark.parametrize(
    ("args", "ini", "expected"),
    [
        (("--txaio-framework=asyncio",), "", ["test_x[asyncio]"]),
        (("--txaio-framework", "twisted"), "", ["test_x[twisted]"]),
        (("--txaio-framework=twisted,asyncio",), "", ["test_x[asyncio]", "test_x[twisted]"]),
        ((), "txaio_frameworks = twisted", ["test_x[twisted]"]),
        (("--txaio-framework=asyncio",), "txaio_frameworks = twisted", ["test_x[asyncio]"]),
    ],
)
def test_the_option_and_the_ini_setting_restrict_the_frameworks(
    pytester: pytest.Pytester, args: tuple[str, ...], ini: str, expected: list[str]
) -> None:
    pytester.makeini(f"[pytest]\n{ini}\n")
    result = run(pytester, "def test_x():\n    pass\n", *args)
    assert outcomes(result) == dict.fromkeys(expected, "PASSED")


@pytest.mark.parametrize(
    ("args", "ini", "message"),
    [
        (("--txaio-framework=trio",), "", "--txaio-framework: unknown framework 'trio'"),
        ((), "txaio_frameworks = asyncio curio", "txaio_frameworks: unknown framework 'curio'"),
    ],
)
def test_an_unknown_framework_name_is_a_usage_error(
    pytester: pytest.Pytester, args: tuple[str, ...], ini: str, message: str
) -> None:
    pytester.makeini(f"[pytest]\n{ini}\n")
    result = run(pytester, "def test_x():\n    pass\n", *args)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    assert message in result.stderr.str()
    assert "expected one of: asyncio, twisted" in result.stderr.str()


def test_a_framework_that_is_not_installed_is_skipped_with_the_reason(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "txaio_twisted", None)
    result = run(pytester, "def test_x():\n    pass\n")
    assert outcomes(result) == {"test_x[asyncio]": "PASSED", "test_x[twisted]": "SKIPPED"}
    result.stdout.fnmatch_lines(["*txaio cannot use Twisted*pip install txaio[[]twisted[]]*"])


def _selection_state() -> dict[str, Any]:
    state = {name: vars(txaio)[name] for name in BACKEND_NAMES}
    state["_explicit_framework"] = txaio._explicit_framework
    state["_selection_pinned_by"] = txaio._selection_pinned_by
    return state


def test_selection_and_loop_are_restored_after_each_test_even_when_it_fails(
    pytester: pytest.Pytester,
) -> None:
    before = _selection_state()
    result = run(
        pytester,
        """
@pytest.fixture
def broken_teardown():
    yield
    raise RuntimeError("teardown fails")

def test_fails(txaio_framework, txaio_loop):
    assert txaio.config.loop is txaio_loop
    raise AssertionError("the test fails")

def test_teardown_fails(broken_teardown):
    pass

async def test_async_fails():
    await txaio.sleep(0)
    raise AssertionError("async fails")
""",
    )
    assert outcomes(result) == {
        "test_fails[asyncio]": "FAILED",
        "test_fails[twisted]": "FAILED",
        "test_teardown_fails[asyncio]": "ERROR",
        "test_teardown_fails[twisted]": "ERROR",
        "test_async_fails[asyncio]": "FAILED",
        "test_async_fails[twisted]": "FAILED",
    }
    assert _selection_state() == before


def test_a_test_that_selects_a_framework_itself_gets_a_clear_error(
    pytester: pytest.Pytester,
) -> None:
    result = run(
        pytester,
        """
def test_selects():
    txaio.use_asyncio()
""",
    )
    assert outcomes(result) == {
        "test_selects[asyncio]": "FAILED",
        "test_selects[twisted]": "FAILED",
    }
    result.stdout.fnmatch_lines(
        ["*txaio.use_asyncio() was called while txaio.testutil.use_framework*"]
    )


def test_the_fixtures_outside_a_marked_test_get_a_clear_error(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
def test_clock_unmarked(txaio_clock):
    pass
"""
    )
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*the txaio_framework fixture works only in tests marked*"])


@pytest.mark.parametrize(
    ("mark", "message"),
    [
        ("@pytest.mark.txaio(5)", "takes only keyword arguments"),
        ("@pytest.mark.txaio(timout=5)", "unknown argument timout"),
        ("@pytest.mark.txaio(timeout=0)", "must be a finite number of seconds > 0, got 0"),
        ("@pytest.mark.txaio(timeout='1')", "must be a finite number of seconds > 0, got '1'"),
    ],
)
def test_bad_marker_arguments_are_a_clear_error(
    pytester: pytest.Pytester, mark: str, message: str
) -> None:
    pytester.makepyfile(f"import pytest\n\n{mark}\ndef test_x():\n    pass\n")
    result = pytester.runpytest("-p", "no:cacheprovider")
    assert result.ret != pytest.ExitCode.OK
    assert message in result.stdout.str() + result.stderr.str()


def test_the_fake_clock_runs_call_later_sleep_and_batched_timers_in_order(
    pytester: pytest.Pytester,
) -> None:
    result = run(
        pytester,
        """
def test_clock(txaio_clock, txaio_loop):
    assert txaio.config.loop is txaio_loop
    seen = []
    start = txaio_clock.now()
    txaio.call_later(3, lambda: seen.append(("call_later", txaio_clock.now() - start)))
    txaio.add_callbacks(
        txaio.sleep(1), lambda _: seen.append(("sleep", txaio_clock.now() - start)), None
    )
    timer = txaio.make_batched_timer(1.0)
    timer.call_later(1.5, lambda: seen.append(("batched", txaio_clock.now() - start)))
    txaio_clock.advance(0.999)
    assert seen == []
    txaio_clock.advance(9)
    assert seen == [("sleep", 1.0), ("batched", 2.0), ("call_later", 3.0)]
    assert txaio_clock.now() - start == 9.999

def test_bad_advance(txaio_clock):
    with pytest.raises(ValueError, match="seconds must be a finite number >= 0, got -1"):
        txaio_clock.advance(-1)
    with pytest.raises(TypeError, match="seconds must be a number"):
        txaio_clock.advance("1")
""",
    )
    assert set(outcomes(result).values()) == {"PASSED"}
    assert len(outcomes(result)) == 4


def test_async_tests_await_txaio_futures(pytester: pytest.Pytester) -> None:
    result = run(
        pytester,
        """
async def test_real_time(txaio_framework):
    await txaio.sleep(0.01)
    assert await txaio.gather([txaio.create_future_success(1), txaio.sleep(0.01)]) == [1, None]
    future = txaio.create_future()
    txaio.call_later(0.01, txaio.resolve, future, "done")
    assert await future == "done"
    if txaio_framework == "twisted":
        from twisted.internet import defer, reactor, task
        assert await task.deferLater(reactor, 0.01, lambda: "deferred") == "deferred"
    else:
        assert await asyncio.sleep(0.01, "native") == "native"

async def test_on_the_fake_clock_time_jumps_to_each_timer(txaio_clock):
    start = txaio_clock.now()
    await txaio.sleep(3600)
    assert txaio_clock.now() - start == 3600
    results = await txaio.gather([txaio.sleep(5), txaio.sleep(2)])
    assert results == [None, None]
    assert txaio_clock.now() - start == 3605

async def test_advance_inside_an_async_test_is_refused(txaio_clock):
    with pytest.raises(RuntimeError, match="moves the fake clock itself"):
        txaio_clock.advance(1)

async def test_failure_inside(txaio_framework):
    await txaio.create_future_error(KeyError("the key"))
""",
    )
    assert outcomes(result) == {
        "test_real_time[asyncio]": "PASSED",
        "test_real_time[twisted]": "PASSED",
        "test_on_the_fake_clock_time_jumps_to_each_timer[asyncio]": "PASSED",
        "test_on_the_fake_clock_time_jumps_to_each_timer[twisted]": "PASSED",
        "test_advance_inside_an_async_test_is_refused[asyncio]": "PASSED",
        "test_advance_inside_an_async_test_is_refused[twisted]": "PASSED",
        "test_failure_inside[asyncio]": "FAILED",
        "test_failure_inside[twisted]": "FAILED",
    }
    assert result.stdout.str().count("KeyError: 'the key'") >= 2


def test_a_returned_future_is_waited_for(pytester: pytest.Pytester) -> None:
    result = run(
        pytester,
        """
def test_resolves_later_on_the_clock(txaio_clock):
    future = txaio.create_future()
    txaio.call_later(10, txaio.resolve, future, "late")
    return future

def test_resolves_later_in_real_time():
    future = txaio.create_future()
    txaio.call_later(0.01, txaio.resolve, future, "late")
    return future

def test_fails_later():
    future = txaio.create_future()
    txaio.call_later(0.01, txaio.reject, future, LookupError("failed later"))
    return future

def test_returns_something_else():
    return 42
""",
    )
    assert outcomes(result) == {
        "test_resolves_later_on_the_clock[asyncio]": "PASSED",
        "test_resolves_later_on_the_clock[twisted]": "PASSED",
        "test_resolves_later_in_real_time[asyncio]": "PASSED",
        "test_resolves_later_in_real_time[twisted]": "PASSED",
        "test_fails_later[asyncio]": "FAILED",
        "test_fails_later[twisted]": "FAILED",
        "test_returns_something_else[asyncio]": "FAILED",
        "test_returns_something_else[twisted]": "FAILED",
    }
    assert result.stdout.str().count("LookupError: failed later") >= 2
    result.stdout.fnmatch_lines(["*returns None, a future or a coroutine, not int 42*"])


LOOPBACK = """
async def echo_on_asyncio(message):
    async def upper(reader, writer):
        writer.write((await reader.readline()).upper())
        await writer.drain()
        writer.close()
        await writer.wait_closed()

    server = await asyncio.start_server(upper, "127.0.0.1", 0)
    try:
        port = server.sockets[0].getsockname()[1]
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        try:
            writer.write(message)
            return await reader.readline()
        finally:
            writer.close()
    finally:
        server.close()

async def echo_on_twisted(message):
    from twisted.internet import reactor
    from twisted.internet.endpoints import TCP4ClientEndpoint, TCP4ServerEndpoint, connectProtocol
    from twisted.internet.protocol import Factory
    from twisted.protocols.basic import LineReceiver

    class Upper(LineReceiver):
        delimiter = b"\\n"

        def lineReceived(self, line):
            self.sendLine(line.upper())

    class Client(LineReceiver):
        delimiter = b"\\n"

        def __init__(self):
            self.answer = txaio.create_future()
            self.closed = txaio.create_future()

        def lineReceived(self, line):
            txaio.resolve(self.answer, line + b"\\n")

        def connectionLost(self, reason):
            txaio.resolve(self.closed, None)

    server = TCP4ServerEndpoint(reactor, 0, interface="127.0.0.1")
    port = await server.listen(Factory.forProtocol(Upper))
    client = Client()
    await connectProtocol(TCP4ClientEndpoint(reactor, "127.0.0.1", port.getHost().port), client)
    client.transport.write(message)
    answer = await client.answer
    client.transport.loseConnection()
    await client.closed
    await port.stopListening()
    return answer

async def test_loopback_echo(txaio_framework, txaio_loop):
    echo = echo_on_asyncio if txaio_framework == "asyncio" else echo_on_twisted
    answer = await echo(b"ping\\n")
    assert answer == b"PING\\n"
    # the library under test would use txaio's timers on the same loop meanwhile
    await txaio.sleep(0)
"""


def test_real_loopback_tcp_works_on_both(pytester: pytest.Pytester) -> None:
    result = run(pytester, LOOPBACK)
    assert outcomes(result) == {
        "test_loopback_echo[asyncio]": "PASSED",
        "test_loopback_echo[twisted]": "PASSED",
    }


def test_real_io_on_the_fake_clock_is_a_clear_error(pytester: pytest.Pytester) -> None:
    result = run(
        pytester,
        LOOPBACK.replace("(txaio_framework, txaio_loop)", "(txaio_framework, txaio_clock)"),
    )
    assert outcomes(result) == {
        "test_loopback_echo[asyncio]": "FAILED",
        "test_loopback_echo[twisted]": "FAILED",
    }
    assert result.stdout.str().count("must not use txaio_clock") == 2


def test_unhandled_errors_fail_the_test_with_their_traceback(pytester: pytest.Pytester) -> None:
    result = run(
        pytester,
        """
def test_failure_nobody_handles():
    future = txaio.create_future()
    txaio.reject(future, ValueError("nobody handles me"))

def raising_callback(value):
    raise ZeroDivisionError("raised in a callback")

def test_callback_that_raises(txaio_framework):
    future = txaio.create_future()
    txaio.add_callbacks(future, raising_callback, None)
    if txaio_framework == "twisted":
        future.addErrback(lambda failure: txaio.reject(txaio.create_future(), failure))
    txaio.resolve(future, 1)

def test_reports_taken_over(txaio_reports):
    future = txaio.create_future()
    txaio.reject(future, ValueError("expected"))
    del future
    txaio_reports.collect()
    assert [str(error) for error in txaio_reports.errors] == ["expected"]
""",
    )
    assert outcomes(result) == {
        "test_failure_nobody_handles[asyncio]": "FAILED",
        "test_failure_nobody_handles[twisted]": "FAILED",
        "test_callback_that_raises[asyncio]": "FAILED",
        "test_callback_that_raises[twisted]": "FAILED",
        "test_reports_taken_over[asyncio]": "PASSED",
        "test_reports_taken_over[twisted]": "PASSED",
    }
    text = result.stdout.str()
    assert "asyncio reported 1 unhandled error during the test" in text
    assert "twisted reported 1 unhandled error during the test" in text
    assert "exception was never retrieved" in text
    assert "Unhandled error in Deferred" in text
    assert text.count("ValueError: nobody handles me") >= 2
    assert text.count("in raising_callback") >= 2
    assert text.count("ZeroDivisionError: raised in a callback") >= 2


def test_a_future_that_never_resolves_fails_after_the_timeout(pytester: pytest.Pytester) -> None:
    result = run(
        pytester,
        """
@pytest.mark.txaio(timeout=0.2)
def test_returns_a_pending_future():
    return txaio.create_future()

@pytest.mark.txaio(timeout=0.2)
async def test_awaits_forever():
    await txaio.create_future()

@pytest.mark.txaio(timeout=0.5)
async def test_finishes_in_time():
    await txaio.sleep(0.01)

async def test_on_the_clock_waits_for_nothing(txaio_clock):
    await txaio.create_future()
""",
    )
    assert outcomes(result) == {
        "test_returns_a_pending_future[asyncio]": "FAILED",
        "test_returns_a_pending_future[twisted]": "FAILED",
        "test_awaits_forever[asyncio]": "FAILED",
        "test_awaits_forever[twisted]": "FAILED",
        "test_finishes_in_time[asyncio]": "PASSED",
        "test_finishes_in_time[twisted]": "PASSED",
        "test_on_the_clock_waits_for_nothing[asyncio]": "FAILED",
        "test_on_the_clock_waits_for_nothing[twisted]": "FAILED",
    }
    text = result.stdout.str()
    assert text.count("the test did not finish within 0.2 s") == 4
    assert text.count("waits for something no timer will bring") == 2


def test_a_twisted_test_that_leaves_the_reactor_dirty_fails(pytester: pytest.Pytester) -> None:
    result = run(
        pytester,
        """
def test_leaves_a_call(txaio_framework):
    txaio.call_later(60, lambda: None)

def test_after_it(txaio_framework, txaio_loop):
    if txaio_framework == "twisted":
        assert not txaio_loop.getDelayedCalls()
""",
    )
    assert outcomes(result) == {
        "test_leaves_a_call[asyncio]": "PASSED",
        "test_leaves_a_call[twisted]": "FAILED",
        "test_after_it[asyncio]": "PASSED",
        "test_after_it[twisted]": "PASSED",
    }
    result.stdout.fnmatch_lines(["*left behind in the twisted reactor*a pending delayed call*"])
