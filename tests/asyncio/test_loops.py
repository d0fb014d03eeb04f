"""Which loop the API uses: config.loop, the running loop, the thread's loop; with_config."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import threading
from typing import Any
from unittest.mock import Mock

import pytest

import txaio_asyncio
from tests.support.callbacks import recording
from tests.support.harness_asyncio import AsyncioHarness, FakeClockLoop


def test_config_loop_is_used(harness: AsyncioHarness) -> None:
    future = txaio_asyncio.create_future()
    assert type(future) is asyncio.Future
    assert future.get_loop() is harness.loop
    assert txaio_asyncio.sleep(1).get_loop() is harness.loop
    assert txaio_asyncio.gather([]).get_loop() is harness.loop


def test_config_loop_rejects_non_loops() -> None:
    with pytest.raises(TypeError, match="loop"):
        txaio_asyncio.config.loop = "not a loop"
    assert txaio_asyncio.config.loop is None


def test_config_loop_rejects_an_object_without_the_loop_methods() -> None:
    with pytest.raises(TypeError, match=r"config\.loop .*lacks call_later"):
        txaio_asyncio.config.loop = object()
    assert txaio_asyncio.config.loop is None


class DuckLoop:
    """Not an AbstractEventLoop, but it has every loop method the API calls."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.call_later = self.loop.call_later
        self.create_future = self.loop.create_future
        self.create_task = self.loop.create_task
        self.time = self.loop.time
        self.call_exception_handler = self.loop.call_exception_handler


def test_config_loop_accepts_mock_and_duck_typed_loops() -> None:
    mock = Mock()
    duck = DuckLoop()
    try:
        txaio_asyncio.config.loop = mock
        assert txaio_asyncio.config.loop is mock
        assert txaio_asyncio.create_future() is mock.create_future.return_value
        txaio_asyncio.config.loop = duck
        assert txaio_asyncio.create_future().get_loop() is duck.loop
    finally:
        txaio_asyncio.config.loop = None
        duck.loop.close()


def test_with_config_accepts_a_mock_loop() -> None:
    mock = Mock()
    api = txaio_asyncio.with_config(loop=mock)
    assert api.config.loop is mock
    api.call_later(1, print)
    mock.call_later.assert_called_once_with(1, print)


def test_batched_timer_follows_config_loop_set_after_it_was_made() -> None:
    first, second = FakeClockLoop(), FakeClockLoop()
    second.fake_time = 100.0
    fired: list[str] = []
    try:
        txaio_asyncio.config.loop = first
        timer = txaio_asyncio.make_batched_timer(1)
        txaio_asyncio.config.loop = second
        timer.call_later(5, fired.append, "on the second loop")
        first.advance(10)
        assert fired == []
        second.advance(6)
        assert fired == ["on the second loop"]
    finally:
        txaio_asyncio.config.loop = None
        first.close()
        second.close()


def test_batched_timer_of_with_config_keeps_its_own_loop(harness: AsyncioHarness) -> None:
    own = FakeClockLoop()
    fired: list[str] = []
    try:
        timer = txaio_asyncio.with_config(loop=own).make_batched_timer(1)
        timer.call_later(2, fired.append, "own loop")
        harness.advance(5)
        assert fired == []
        own.advance(3)
        assert fired == ["own loop"]
    finally:
        own.close()


def test_running_loop_is_used_when_none_configured() -> None:
    async def main() -> Any:
        return txaio_asyncio.create_future().get_loop(), asyncio.get_running_loop()

    made_on, running = asyncio.run(main())
    assert made_on is running


NO_LOOP_PROGRAM = """
import asyncio, sys, threading, warnings
import txaio_asyncio
future = txaio_asyncio.create_future()
loop = future.get_loop()
assert loop is asyncio.get_event_loop()  # it is the thread's loop; none running
assert txaio_asyncio.create_future().get_loop() is loop
txaio_asyncio.resolve(future, 'ok')
assert loop.run_until_complete(future) == 'ok'
errors = []
def in_thread():
    try:
        txaio_asyncio.create_future()
    except RuntimeError as error:
        errors.append(str(error))
thread = threading.Thread(target=in_thread)
thread.start()
thread.join()
assert errors and 'config.loop' in errors[0], errors
loop.close()
print('ok')
"""


def test_thread_loop_without_deprecation_warning() -> None:
    out = subprocess.run(
        [sys.executable, "-W", "error", "-c", NO_LOOP_PROGRAM],
        capture_output=True,
        text=True,
        check=False,
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "ok"


def test_with_config_is_independent(harness: AsyncioHarness) -> None:
    other = asyncio.new_event_loop()
    try:
        api = txaio_asyncio.with_config(loop=other)
        assert api.config.loop is other
        assert api.create_future().get_loop() is other
        assert api.create_future_success(1).get_loop() is other
        assert api.as_future(lambda: 1).get_loop() is other
        assert api.using_asyncio
        assert not api.using_twisted
        assert txaio_asyncio.config.loop is harness.loop
        assert txaio_asyncio.create_future().get_loop() is harness.loop
        nested = api.with_config(loop=harness.loop)
        assert nested.create_future().get_loop() is harness.loop
    finally:
        other.close()


@pytest.mark.parametrize("bad", ["loop", 42, object(), asyncio.SelectorEventLoop])
def test_with_config_rejects_non_loops(bad: Any) -> None:
    with pytest.raises(TypeError, match="loop"):
        txaio_asyncio.with_config(loop=bad)


def test_several_loops_in_several_threads() -> None:
    results: dict[int, list[Any]] = {}

    def worker(index: int) -> None:
        loop = asyncio.new_event_loop()
        api = txaio_asyncio.with_config(loop=loop)
        seen: list[Any] = []
        future = api.create_future()
        api.add_callbacks(future, recording(seen), None)
        api.call_later(0, api.resolve, future, index)
        loop.run_until_complete(api.sleep(0))
        loop.run_until_complete(future)
        loop.close()
        results[index] = seen

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == {i: [i] for i in range(4)}
