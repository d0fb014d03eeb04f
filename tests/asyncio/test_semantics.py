"""Where asyncio legitimately differs from Twisted (docs/design.md), and asyncio extras."""

from __future__ import annotations

import asyncio
import os
from typing import Any

import pytest

import txaio_asyncio as api
from tests.support.harness_asyncio import AsyncioHarness


def test_every_callback_gets_the_original_result(harness: AsyncioHarness) -> None:
    seen: list[Any] = []
    future = api.create_future()

    def record_and_change(value: Any) -> str:
        seen.append(value)
        return "changed"

    api.add_callbacks(future, record_and_change, None)
    api.add_callbacks(future, lambda value: seen.append(value), None)
    api.resolve(future, "original")
    harness.run_until_idle()
    assert seen == ["original", "original"]


def test_errback_returning_a_value_does_not_cancel_the_error(harness: AsyncioHarness) -> None:
    seen: list[str] = []
    future = api.create_future()
    api.add_callbacks(future, None, lambda fail: "handled")
    api.add_callbacks(future, lambda v: seen.append("callback"), lambda f: seen.append("errback"))
    api.reject(future, RuntimeError("x"))
    harness.run_until_idle()
    assert seen == ["errback"]


def test_callbacks_run_on_the_next_iteration(harness: AsyncioHarness) -> None:
    seen: list[Any] = []
    future = api.create_future_success(1)
    api.add_callbacks(future, seen.append, None)
    assert seen == []
    harness.run_until_idle()
    assert seen == [1]


def test_raising_callback_goes_to_the_loop_exception_handler(harness: AsyncioHarness) -> None:
    def callback(value: Any) -> None:
        raise ZeroDivisionError("in callback")

    api.add_callbacks(api.create_future_success(1), callback, None)
    harness.run_until_idle()
    assert [type(error) for error in harness.reported] == [ZeroDivisionError]
    assert "in callback" in harness.reported_text[0]
    assert "Traceback" in harness.reported_text[0]


def test_errback_traceback_is_the_one_of_the_raise(harness: AsyncioHarness) -> None:
    def raiser() -> None:
        raise ValueError("here")

    texts: list[str] = []
    future = api.create_future()
    api.add_callbacks(future, None, lambda fail: texts.append(api.failure_format_traceback(fail)))
    try:
        raiser()
    except ValueError:
        api.reject(future)
    harness.run_until_idle()
    assert "raiser" in texts[0]
    # No frame of the backend itself: the traceback is the raise's own. (Compare
    # package directories, not names: an unpacked sdist's path holds the name.)
    assert os.path.dirname(api.__file__) not in texts[0]


def test_cancel_passes_the_message(harness: AsyncioHarness) -> None:
    future = api.create_future()
    api.cancel(future, msg="stop it")
    with pytest.raises(asyncio.CancelledError, match="stop it"):
        future.result()


def test_canceller_not_run_when_resolved(harness: AsyncioHarness) -> None:
    calls: list[Any] = []
    future = api.create_future(canceller=calls.append)
    api.resolve(future, 1)
    harness.run_until_idle()
    assert calls == []


def test_create_future_error_without_argument_inside_except(harness: AsyncioHarness) -> None:
    error = KeyError("current")
    try:
        raise error
    except KeyError:
        future = api.create_future_error()
    assert future.exception() is error
    with pytest.raises(RuntimeError, match="except"):
        api.create_future_error()


def test_as_future_runs_coroutine_as_task_on_the_loop(harness: AsyncioHarness) -> None:
    async def coroutine() -> int:
        return 1

    task = api.as_future(coroutine)
    assert isinstance(task, asyncio.Task)
    assert task.get_loop() is harness.loop
    harness.run_until_idle()
    assert task.result() == 1


def test_as_future_async_generator_error_says_await(harness: AsyncioHarness) -> None:
    async def generator() -> Any:
        yield 1

    with pytest.raises(TypeError, match="'yield' where 'await' was meant"):
        api.as_future(generator)


def test_call_later_returns_timer_handle_and_passes_kwargs(harness: AsyncioHarness) -> None:
    calls: list[Any] = []
    handle = api.call_later(2, lambda *a, **k: calls.append((a, k)), 1, 2, key="word")
    assert isinstance(handle, asyncio.TimerHandle)
    harness.advance(1.5)
    assert calls == []
    harness.advance(0.5)
    assert calls == [((1, 2), {"key": "word"})]


def test_sleep_cancelled_stays_cancelled(harness: AsyncioHarness) -> None:
    future = api.sleep(1)
    api.cancel(future)
    harness.advance(2)
    assert future.cancelled()


def test_batched_timer_on_the_loop_clock_reports_errors(harness: AsyncioHarness) -> None:
    timer = api.make_batched_timer(1.0)
    calls: list[str] = []

    def fails() -> None:
        raise OSError("timer call failed")

    timer.call_later(0.5, fails)
    timer.call_later(0.5, calls.append, "second")
    harness.advance(0.4)
    assert calls == []
    harness.advance(0.7)
    assert calls == ["second"]
    assert [type(error) for error in harness.reported] == [OSError]
    assert "fails" in harness.reported_text[0]


def test_batched_timer_bad_arguments(harness: AsyncioHarness) -> None:
    with pytest.raises(ValueError, match="bucket_seconds"):
        api.make_batched_timer(0)
    with pytest.raises(TypeError, match="chunk_size"):
        api.make_batched_timer(1, chunk_size="many")  # type: ignore[arg-type]


def test_gather_runs_coroutines(harness: AsyncioHarness) -> None:
    async def value(x: int) -> int:
        return x

    gathered = api.gather([value(1), api.create_future_success(2)])
    harness.run_until_idle()
    assert gathered.result() == [1, 2]


def test_gather_of_done_futures_is_done_at_once(harness: AsyncioHarness) -> None:
    gathered = api.gather([api.create_future_success(i) for i in range(3)])
    assert gathered.result() == [0, 1, 2]


def test_cancelling_gather_cancels_its_futures(harness: AsyncioHarness) -> None:
    futures = [api.create_future(), api.create_future()]
    gathered = api.gather(futures)
    api.cancel(gathered)
    harness.run_until_idle()
    assert all(future.cancelled() for future in futures)


def test_gather_unconsumed_keeps_each_failure_its_own(harness: AsyncioHarness) -> None:
    """Without consume_exceptions the gather fails with the first failure; the
    children's failures stay theirs, reported when nobody handles them."""
    futures = [api.create_future(), api.create_future()]
    gathered = api.gather(futures, consume_exceptions=False)
    api.reject(futures[0], RuntimeError("first"))
    harness.run_until_idle()
    api.reject(futures[1], RuntimeError("second"))
    harness.run_until_idle()
    assert str(gathered.exception()) == "first"
    del futures, gathered
    harness.collect_garbage()
    assert sorted(str(error) for error in harness.reported) == ["first", "second"]


def test_gather_unconsumed_failure_is_reported_when_the_gather_is_unhandled(
    harness: AsyncioHarness,
) -> None:
    handled: list[str] = []
    futures = [api.create_future(), api.create_future()]
    gathered = api.gather(futures, consume_exceptions=False)
    api.add_callbacks(futures[0], None, lambda fail: handled.append(str(fail.value)))
    api.reject(futures[0], RuntimeError("first"))
    api.resolve(futures[1], 2)
    harness.run_until_idle()
    assert handled == ["first"]
    del futures, gathered
    harness.collect_garbage()
    assert [str(error) for error in harness.reported] == ["first"]


def test_gather_consumed_failures_are_not_reported(harness: AsyncioHarness) -> None:
    futures = [api.create_future(), api.create_future()]
    gathered = api.gather(futures, consume_exceptions=True)
    api.reject(futures[0], RuntimeError("first"))
    api.resolve(futures[1], 2)
    harness.run_until_idle()
    results = gathered.result()
    assert str(results[0].value) == "first"
    assert results[1] == 2
    del futures, gathered, results
    harness.collect_garbage()
    assert harness.reported == []


def test_gather_already_failed_with_consume_false(harness: AsyncioHarness) -> None:
    error = KeyError("early")
    gathered = api.gather([api.create_future_error(error)], consume_exceptions=False)
    assert gathered.exception() is error


def test_is_future_accepts_tasks(harness: AsyncioHarness) -> None:
    async def nothing() -> None:
        return None

    task = harness.loop.create_task(nothing())
    assert api.is_future(task)
    harness.run_until_idle()
