"""Misuses of the API, as a table: each raises a clear exception on both backends.

Every row gives the misuse, the exception type it must raise, and words its
message must contain: the argument's name and what was expected. The rows run on
asyncio and on Twisted. Misuses of the facade's process-wide selection run in a
subprocess each, since a process selects one framework once.
"""

from __future__ import annotations

import asyncio
import dataclasses
import math
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from tests.reliability.backends import BACKENDS, harness_factory
from tests.support.harness import Harness


def _noop(*args: Any) -> None:
    """A valid callback."""


async def _async_generator() -> Any:
    yield 1


def _already_called_types(backend: str) -> tuple[type[BaseException], ...]:
    """The native "already called" error of each framework (or a subclass of it)."""
    if backend == "asyncio":
        return (asyncio.InvalidStateError,)
    from twisted.internet.defer import AlreadyCalledError

    return (AlreadyCalledError,)


@dataclasses.dataclass(frozen=True)
class Misuse:
    """One row: ``action(harness)`` must raise ``expected`` with ``words`` in its message."""

    name: str
    action: Callable[[Harness], object]
    expected: type[BaseException] | Callable[[str], tuple[type[BaseException], ...]]
    words: tuple[str, ...]

    def expected_types(self, backend: str) -> tuple[type[BaseException], ...]:
        if isinstance(self.expected, type):
            return (self.expected,)
        return self.expected(backend)


def _resolved(h: Harness) -> Any:
    return h.api.create_future_success(1)


def _timer(h: Harness) -> Any:
    return h.api.make_batched_timer(1.0)


def _reject_outside_except(h: Harness) -> None:
    h.api.reject(h.api.create_future())


MISUSES: list[Misuse] = [
    # add_callbacks
    Misuse(
        "add_callbacks: callback not callable",
        lambda h: h.api.add_callbacks(h.api.create_future(), 42, None),
        TypeError,
        ("callback", "callable"),
    ),
    Misuse(
        "add_callbacks: errback not callable",
        lambda h: h.api.add_callbacks(h.api.create_future(), None, "oops"),
        TypeError,
        ("errback", "callable"),
    ),
    Misuse(
        "add_callbacks: errback not callable beside a callback",
        lambda h: h.api.add_callbacks(h.api.create_future(), _noop, 3.5),
        TypeError,
        ("errback", "callable"),
    ),
    Misuse(
        "add_callbacks: both None",
        lambda h: h.api.add_callbacks(h.api.create_future(), None, None),
        ValueError,
        ("callback", "errback", "None"),
    ),
    Misuse(
        "add_callbacks: not a future",
        lambda h: h.api.add_callbacks(42, _noop, None),
        TypeError,
        ("future",),
    ),
    # resolve / reject / cancel
    Misuse(
        "reject: error is a string",
        lambda h: h.api.reject(h.api.create_future(), "it broke"),
        TypeError,
        ("error", "exception"),
    ),
    Misuse(
        "reject: error is an exception class",
        lambda h: h.api.reject(h.api.create_future(), ValueError),
        TypeError,
        ("error", "exception"),
    ),
    Misuse(
        "reject: no error outside an except block",
        _reject_outside_except,
        RuntimeError,
        ("except",),
    ),
    Misuse(
        "resolve: future already resolved",
        lambda h: h.api.resolve(_resolved(h), 2),
        _already_called_types,
        ("already",),
    ),
    Misuse(
        "reject: future already resolved",
        lambda h: h.api.reject(_resolved(h), ValueError("late")),
        _already_called_types,
        ("already",),
    ),
    Misuse(
        "resolve: not a future",
        lambda h: h.api.resolve("not a future", 1),
        TypeError,
        ("future",),
    ),
    # creating futures and failures
    Misuse(
        "create_failure: outside an except block",
        lambda h: h.api.create_failure(),
        RuntimeError,
        ("except",),
    ),
    Misuse(
        "create_failure: not an exception",
        lambda h: h.api.create_failure("text"),
        TypeError,
        ("exception",),
    ),
    Misuse(
        "create_future: result and error",
        lambda h: h.api.create_future(result=1, error=ValueError("x")),
        ValueError,
        ("result", "error"),
    ),
    Misuse(
        "create_future: error is a string",
        lambda h: h.api.create_future(error="it broke"),
        TypeError,
        ("error", "exception"),
    ),
    Misuse(
        "create_future: canceller not callable",
        lambda h: h.api.create_future(canceller="cancel me"),
        TypeError,
        ("canceller", "callable"),
    ),
    Misuse(
        "create_future_error: error is a number",
        lambda h: h.api.create_future_error(12),
        TypeError,
        ("error", "exception"),
    ),
    # call_later and sleep
    Misuse(
        "call_later: negative delay",
        lambda h: h.api.call_later(-1, _noop),
        ValueError,
        ("delay", ">= 0"),
    ),
    Misuse(
        "call_later: NaN delay",
        lambda h: h.api.call_later(math.nan, _noop),
        ValueError,
        ("delay", "finite"),
    ),
    Misuse(
        "call_later: infinite delay",
        lambda h: h.api.call_later(math.inf, _noop),
        ValueError,
        ("delay", "finite"),
    ),
    Misuse(
        "call_later: delay is a string",
        lambda h: h.api.call_later("5", _noop),
        TypeError,
        ("delay", "number"),
    ),
    Misuse(
        "call_later: delay is a bool",
        lambda h: h.api.call_later(True, _noop),
        TypeError,
        ("delay", "number"),
    ),
    Misuse(
        "call_later: function not callable",
        lambda h: h.api.call_later(1, "later"),
        TypeError,
        ("fun", "callable"),
    ),
    Misuse("sleep: negative delay", lambda h: h.api.sleep(-0.5), ValueError, ("delay", ">= 0")),
    Misuse("sleep: NaN delay", lambda h: h.api.sleep(math.nan), ValueError, ("delay", "finite")),
    # batched timers
    Misuse(
        "make_batched_timer: bucket_seconds 0",
        lambda h: h.api.make_batched_timer(0),
        ValueError,
        ("bucket_seconds", "> 0"),
    ),
    Misuse(
        "make_batched_timer: bucket_seconds negative",
        lambda h: h.api.make_batched_timer(-2.0),
        ValueError,
        ("bucket_seconds", "> 0"),
    ),
    Misuse(
        "make_batched_timer: bucket_seconds NaN",
        lambda h: h.api.make_batched_timer(math.nan),
        ValueError,
        ("bucket_seconds",),
    ),
    Misuse(
        "make_batched_timer: chunk_size 0",
        lambda h: h.api.make_batched_timer(1.0, chunk_size=0),
        ValueError,
        ("chunk_size", ">= 1"),
    ),
    Misuse(
        "make_batched_timer: chunk_size a float",
        lambda h: h.api.make_batched_timer(1.0, chunk_size=2.5),
        TypeError,
        ("chunk_size", "int"),
    ),
    Misuse(
        "batched call_later: negative delay",
        lambda h: _timer(h).call_later(-3, _noop),
        ValueError,
        ("delay", ">= 0"),
    ),
    Misuse(
        "batched call_later: function not callable",
        lambda h: _timer(h).call_later(1, None),
        TypeError,
        ("func", "callable"),
    ),
    # gather
    Misuse(
        "gather: not iterable",
        lambda h: h.api.gather(42),
        TypeError,
        ("futures", "iterable"),
    ),
    Misuse(
        "gather: an element is not a future",
        lambda h: h.api.gather([h.api.create_future(), "nope"]),
        TypeError,
        ("futures", "future"),
    ),
    # as_future
    Misuse(
        "as_future: not callable",
        lambda h: h.api.as_future("run me"),
        TypeError,
        ("fun", "callable"),
    ),
    Misuse(
        "as_future: an async generator function",
        lambda h: h.api.as_future(_async_generator),
        TypeError,
        ("async generator",),
    ),
    # logging
    Misuse(
        "make_logger: unknown level",
        lambda h: h.api.make_logger(level="loud"),
        ValueError,
        ("level", "'debug'", "'loud'"),
    ),
    Misuse(
        "set_global_log_level: unknown level",
        lambda h: h.api.set_global_log_level("verbose"),
        ValueError,
        ("level", "'trace'", "'verbose'"),
    ),
    Misuse(
        "logger.set_log_level: unknown level",
        lambda h: h.api.make_logger().set_log_level("WARN"),
        ValueError,
        ("level", "'warn'"),
    ),
    Misuse(
        "start_logging: unknown level",
        lambda h: h.api.start_logging(level="chatty"),
        ValueError,
        ("level", "'info'", "'chatty'"),
    ),
    Misuse(
        "add_log_categories: not a mapping",
        lambda h: h.api.add_log_categories(["AP100"]),
        TypeError,
        ("categories",),
    ),
    # with_config
    Misuse(
        "with_config: not a loop or reactor",
        lambda h: h.api.with_config(loop="my loop"),
        TypeError,
        ("loop",),
    ),
]


@pytest.fixture(params=BACKENDS)
def harness(request: pytest.FixtureRequest) -> Iterator[Harness]:
    with harness_factory(request.param)() as made:
        yield made


@pytest.mark.parametrize("misuse", MISUSES, ids=[m.name for m in MISUSES])
def test_misuse_raises_a_clear_exception(harness: Harness, misuse: Misuse) -> None:
    expected = misuse.expected_types(harness.name)
    with pytest.raises(expected) as raised:
        misuse.action(harness)
    message = str(raised.value)
    missing = [word for word in misuse.words if word.lower() not in message.lower()]
    assert not missing, f"{type(raised.value).__name__}({message!r}) does not mention {missing}"


# -- the facade, one process each ------------------------------------------------


def _run_python(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


FACADE_MISUSES = {
    "api before a framework is selected": """
        import txaio
        try:
            txaio.create_future()
        except RuntimeError as e:
            assert "use_asyncio" in str(e) and "use_twisted" in str(e), e
            print("ok")
    """,
    "use_twisted after use_asyncio": """
        import txaio
        txaio.use_asyncio()
        try:
            txaio.use_twisted()
        except RuntimeError as e:
            assert "asyncio" in str(e) and "twisted" in str(e), e
            print("ok")
    """,
    "use_asyncio after use_twisted": """
        import txaio
        txaio.use_twisted()
        try:
            txaio.use_asyncio()
        except RuntimeError as e:
            assert "asyncio" in str(e) and "twisted" in str(e), e
            print("ok")
    """,
    "start_logging twice with different streams (asyncio)": """
        import io, txaio
        txaio.use_asyncio()
        txaio.start_logging(out=io.StringIO(), level="info")
        try:
            txaio.start_logging(out=io.StringIO(), level="info")
        except RuntimeError as e:
            assert "start_logging" in str(e) and "out" in str(e), e
            print("ok")
    """,
    "start_logging twice with different streams (twisted)": """
        import io, sys, txaio
        txaio.use_twisted()
        txaio.start_logging(out=io.StringIO(), level="info")
        try:
            txaio.start_logging(out=io.StringIO(), level="info")
        except RuntimeError as e:
            assert "start_logging" in str(e) and "out" in str(e), e
            # Twisted's start_logging redirects sys.stdout into the log.
            print("ok", file=sys.__stdout__)
    """,
    "with_config given a non-loop on the facade (asyncio)": """
        import txaio
        txaio.use_asyncio()
        try:
            txaio.with_config(loop=object())
        except TypeError as e:
            assert "loop" in str(e), e
            print("ok")
    """,
    "with_config given a non-reactor on the facade (twisted)": """
        import txaio
        txaio.use_twisted()
        try:
            txaio.with_config(loop=object())
        except TypeError as e:
            assert "loop" in str(e), e
            print("ok")
    """,
}


@pytest.mark.parametrize("code", FACADE_MISUSES.values(), ids=list(FACADE_MISUSES))
def test_facade_misuse_raises_a_clear_exception(code: str) -> None:
    pytest.importorskip("txaio")
    if "twisted" in code:
        pytest.importorskip("twisted")
        pytest.importorskip("txaio_twisted")
    result = _run_python(code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok", (result.stdout, result.stderr)
