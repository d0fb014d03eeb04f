"""Load and concurrency: a million cancelled batched calls leave nothing; threads stay apart."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from typing import Any

import pytest

from tests.reliability.backends import BACKENDS, harness_factory
from tests.reliability.programs import advance_stepwise
from tests.support.runtime import HeapMeter, collect_garbage

MILLION = 1_000_000
#: What may stay allocated after a million calls were scheduled and cancelled.
LEFTOVER_LIMIT = 256 * 1024

pytestmark = pytest.mark.slow


def _noop(number: int) -> None:
    """The function the batched calls would run."""


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_million_cancelled_batched_calls_give_their_memory_back(
    backend: str, record_property: Callable[[str, object], None]
) -> None:
    with harness_factory(backend)() as harness:
        timer = harness.api.make_batched_timer(1.0, chunk_size=1000)
        collect_garbage()
        with HeapMeter() as heap:
            before = heap.used()
            # Delays over 100 seconds: a hundred buckets, ten thousand calls each.
            calls = [
                timer.call_later(number % 100 + 0.5, _noop, number) for number in range(MILLION)
            ]
            scheduled = heap.used()
            for call in calls:
                call.cancel()
            del calls, call
            collect_garbage()
            after = heap.used()
            peak = heap.peak_seen
        advance_stepwise(harness, 200)
        harness.run_until_idle()
    record_property("bytes_while_scheduled", scheduled - before)
    record_property("bytes_after_cancel", after - before)
    record_property("peak_bytes", peak - before)
    print(
        f"{backend}: {MILLION} batched calls took {scheduled - before} bytes; "
        f"after cancelling all: {after - before} bytes (peak {peak - before})"
    )
    assert scheduled - before > MILLION * 50, "the calls did not take memory: a broken test"
    assert after - before < LEFTOVER_LIMIT, (
        f"{after - before} bytes stay allocated after cancelling {MILLION} batched calls "
        f"(they took {scheduled - before} bytes)"
    )


def test_cancelled_batched_calls_never_run() -> None:
    """The cheap counterpart of the memory test, on both backends and a clock that moves."""
    for backend in BACKENDS:
        with harness_factory(backend)() as harness:
            ran: list[int] = []
            timer = harness.api.make_batched_timer(0.5, chunk_size=7)
            calls = [timer.call_later(n % 10 * 0.25, ran.append, n) for n in range(1000)]
            for call in calls[::2]:
                call.cancel()
            advance_stepwise(harness, 10)
            assert sorted(ran) == list(range(1, 1000, 2)), backend


THREADS = 8
ROUNDS = 50


def _thread_body(index: int, results: dict[int, list[Any]], errors: list[str]) -> None:
    """Each thread: its own loop, its own API from ``with_config``, its own futures and timers."""
    import txaio_asyncio

    loop = asyncio.new_event_loop()
    me = threading.get_ident()
    seen: list[Any] = []

    def check_place(what: str) -> None:
        if threading.get_ident() != me:
            errors.append(f"thread {index}: {what} ran in another thread")
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is not loop:
            errors.append(f"thread {index}: {what} ran on another loop")

    try:
        api: Any = txaio_asyncio.with_config(loop=loop)
        timer = api.make_batched_timer(0.001, chunk_size=3)

        async def body() -> None:
            for number in range(ROUNDS):
                tag = (index, number)
                future = api.create_future()
                if future.get_loop() is not loop:
                    errors.append(f"thread {index}: create_future used another loop")

                def callback(value: Any) -> Any:
                    check_place("callback")
                    seen.append(value)
                    return value

                api.add_callbacks(future, callback, None)
                api.call_later(0, api.resolve, future, ("resolved", *tag))
                api.call_later(0, check_place, "call_later")
                timer.call_later(0, check_place, "batched call")
                timer.call_later(0, seen.append, ("batched", *tag))
                failed = api.create_future_error(ValueError(repr(tag)))
                api.add_callbacks(
                    failed, None, lambda fail: seen.append(("errback", str(fail.value)))
                )
                gathered = await api.gather([future, api.as_future(lambda t=tag: t)])
                seen.append(("gathered", *gathered))
                await api.sleep(0)
            # Batched calls run when their bucket (one millisecond) is due: wait for them.
            for _ in range(5000):
                if sum(1 for item in seen if item[0] == "batched") == ROUNDS:
                    break
                await api.sleep(0.001)

        loop.run_until_complete(body())
    except Exception as problem:
        errors.append(f"thread {index}: {type(problem).__name__}: {problem}")
    finally:
        loop.close()
    results[index] = seen


def test_with_config_loops_in_eight_threads_stay_apart() -> None:
    """Eight threads, each with its own asyncio loop through ``with_config``.

    No result crosses threads and no call runs on another thread's loop. asyncio
    only: on Twisted ``with_config`` with another reactor raises by design (one
    global reactor per process; see "Framework differences" in docs/design.md).
    The loops are real, but every delay is zero or a millisecond.
    """
    pytest.importorskip("txaio_asyncio")
    results: dict[int, list[Any]] = {}
    errors: list[str] = []
    threads = [
        threading.Thread(target=_thread_body, args=(index, results, errors))
        for index in range(THREADS)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert sorted(results) == list(range(THREADS))
    for index, seen in results.items():
        resolved = [item for item in seen if item[0] == "resolved"]
        batched = [item for item in seen if item[0] == "batched"]
        gathered = [item for item in seen if item[0] == "gathered"]
        assert resolved == [("resolved", index, n) for n in range(ROUNDS)]
        assert sorted(batched) == [("batched", index, n) for n in range(ROUNDS)]
        assert gathered == [("gathered", ("resolved", index, n), (index, n)) for n in range(ROUNDS)]
        errbacks = sorted(item[1] for item in seen if item[0] == "errback")
        assert errbacks == sorted(repr((index, n)) for n in range(ROUNDS))
