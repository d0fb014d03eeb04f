"""Tests of ``retrying.py``, once on asyncio and once on Twisted (``pytest examples/``).

Every test here is marked for the txaio pytest plugin, which runs it as
``test_x[asyncio]`` and ``test_x[twisted]`` with txaio selected for that
framework. Most run on the plugin's fake clock (``txaio_clock``); the last one
sends real requests over loopback TCP.
"""

from __future__ import annotations

import asyncio
import importlib
from collections.abc import Callable
from typing import Any

import pytest
from retrying import GaveUp, request_with_retry

import txaio
from txaio.pytest_plugin import FakeClock

pytestmark = pytest.mark.txaio


def scripted(*outcomes: Any) -> tuple[Callable[[], Any], list[Any]]:
    """Return a ``send`` whose n-th call gives ``outcomes[n]``, and the futures it made.

    An exception fails that attempt at once, ``None`` never answers, anything
    else is the answer.
    """
    made: list[Any] = []

    def send() -> Any:
        outcome = outcomes[len(made)]
        if isinstance(outcome, BaseException):
            future = txaio.create_future_error(outcome)
        elif outcome is None:
            future = txaio.create_future()
        else:
            future = txaio.create_future_success(outcome)
        made.append(future)
        return future

    return send, made


def outcome_of(future: Any) -> list[Any]:
    """Return a list that receives the future's result, or its error, once it is done."""
    seen: list[Any] = []
    txaio.add_callbacks(future, seen.append, lambda failure: seen.append(failure.value))
    return seen


def test_the_first_answer_is_the_result(txaio_clock: FakeClock) -> None:
    send, made = scripted("pong")
    seen = outcome_of(request_with_retry(send))
    txaio_clock.advance(0)
    assert seen == ["pong"]
    assert len(made) == 1


def test_a_failed_attempt_is_retried_after_the_backoff(txaio_clock: FakeClock) -> None:
    send, made = scripted(ConnectionError("refused"), ConnectionError("refused"), "pong")
    seen = outcome_of(request_with_retry(send, attempts=3, backoff=0.5))
    txaio_clock.advance(0.49)
    assert len(made) == 1
    txaio_clock.advance(0.01)
    assert len(made) == 2
    txaio_clock.advance(0.99)  # the second backoff is twice the first
    assert len(made) == 2
    txaio_clock.advance(0.01)
    assert seen == ["pong"]


def test_an_attempt_without_an_answer_is_cancelled_after_the_timeout(
    txaio_clock: FakeClock,
) -> None:
    send, made = scripted(None, "pong")
    seen = outcome_of(request_with_retry(send, timeout=2.0, backoff=0.5))
    txaio_clock.advance(1.9)
    assert seen == []
    txaio_clock.advance(0.1)
    assert txaio.is_called(made[0]), "the unanswered attempt is cancelled"
    txaio_clock.advance(0.5)
    assert seen == ["pong"]


async def test_it_gives_up_after_the_last_attempt(txaio_clock: FakeClock) -> None:
    send, made = scripted(None, ConnectionError("refused"), None)
    start = txaio_clock.now()
    with pytest.raises(GaveUp) as raised:
        await request_with_retry(send, attempts=3, timeout=1.0, backoff=0.5)
    # 1 s timeout, 0.5 s backoff, a failure at once, 1 s backoff, 1 s timeout
    assert txaio_clock.now() - start == 3.5
    assert [type(error) for error in raised.value.errors] == [
        TimeoutError,
        ConnectionError,
        TimeoutError,
    ]
    assert len(made) == 3


@pytest.mark.parametrize(
    ("arguments", "error", "message"),
    [
        ({"attempts": 0}, ValueError, "attempts must be > 0, got 0"),
        ({"attempts": 2.5}, TypeError, "attempts must be an int, got float 2.5"),
        ({"timeout": -1}, ValueError, "timeout must be > 0, got -1"),
        ({"backoff": "1"}, TypeError, "backoff must be a number, got str '1'"),
    ],
)
def test_bad_arguments_are_refused(arguments: dict[str, Any], error: type, message: str) -> None:
    with pytest.raises(error, match=message):
        request_with_retry(lambda: None, **arguments)


def _twisted(module: str) -> Any:
    """Import a Twisted module, untyped: parts of Twisted's API have no annotations."""
    return importlib.import_module(module)


async def _ask_over_tcp(framework: str, port: int) -> bytes:
    """Send one request line to the loopback server and return the answer line."""
    if framework == "asyncio":
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        try:
            writer.write(b"ping\n")
            line = await reader.readline()
        finally:
            writer.close()
        if not line.endswith(b"\n"):
            raise ConnectionError("the server closed the connection without an answer")
        return line
    from twisted.internet.protocol import Protocol

    class Ask(Protocol):
        def __init__(self) -> None:
            self.answer: Any = txaio.create_future()

        def connectionMade(self) -> None:
            transport: Any = self.transport
            transport.write(b"ping\n")

        def dataReceived(self, data: bytes) -> None:
            txaio.resolve(self.answer, data)
            transport: Any = self.transport
            transport.loseConnection()

        def connectionLost(self, reason: Any = None) -> None:
            if not txaio.is_called(self.answer):
                error = ConnectionError("the server closed the connection without an answer")
                txaio.reject(self.answer, error)

    endpoints = _twisted("twisted.internet.endpoints")
    reactor = _twisted("twisted.internet.reactor")
    protocol = Ask()
    client_endpoint = endpoints.TCP4ClientEndpoint(reactor, "127.0.0.1", port)
    await endpoints.connectProtocol(client_endpoint, protocol)
    answer: bytes = await protocol.answer
    return answer


async def _serve_pong_once(framework: str) -> tuple[int, Any]:
    """Start a loopback server that drops its first request and answers the others.

    Returns the port and a function that stops the server.
    """
    connections = [0]
    if framework == "asyncio":

        async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            connections[0] += 1
            await reader.readline()
            if connections[0] > 1:
                writer.write(b"pong\n")
            writer.close()

        server = await asyncio.start_server(handle, "127.0.0.1", 0)
        return server.sockets[0].getsockname()[1], server.close
    from twisted.internet.protocol import Factory, Protocol

    class Pong(Protocol):
        def connectionMade(self) -> None:
            connections[0] += 1

        def dataReceived(self, data: bytes) -> None:
            transport: Any = self.transport
            if connections[0] > 1:
                transport.write(b"pong\n")
            transport.loseConnection()

    endpoints = _twisted("twisted.internet.endpoints")
    reactor = _twisted("twisted.internet.reactor")
    server_endpoint = endpoints.TCP4ServerEndpoint(reactor, 0, interface="127.0.0.1")
    port = await server_endpoint.listen(Factory.forProtocol(Pong))
    return port.getHost().port, port.stopListening


async def test_over_real_loopback_tcp_a_dropped_connection_is_retried(
    txaio_framework: str,
) -> None:
    port, close = await _serve_pong_once(txaio_framework)
    attempts: list[int] = []

    def send() -> Any:
        attempts.append(port)
        return _ask_over_tcp(txaio_framework, port)

    try:
        answer = await request_with_retry(send, timeout=5.0, backoff=0.01)
    finally:
        await txaio.as_future(close)
    assert answer == b"pong\n"
    assert len(attempts) == 2, "the first connection was dropped, the second answered"
