"""Canaries: the private asyncio internals txaio_asyncio reads, checked on this interpreter.

Each test fails, naming the internal and the txaio_asyncio function that reads
it, the day an interpreter changes it; that function then needs a new version
branch. Run on every interpreter of the test matrix.
"""

from __future__ import annotations

import asyncio
import gc
import platform
import sys
import threading
import warnings
from collections.abc import Callable, Iterator
from typing import Any

import pytest

INTERPRETER = f"{platform.python_implementation()} {platform.python_version()}"


def changed(internal: str, reader: str, what: str) -> str:
    """Return the failure message of a canary: which internal changed, and who reads it."""
    return (
        f"asyncio internal {internal} changed on {INTERPRETER}: {what}. "
        f"txaio_asyncio's {reader} reads it and needs a version branch for this interpreter."
    )


def in_new_thread(action: Callable[[], Any]) -> tuple[Any, list[str]]:
    """Run ``action`` in a new thread; return its result (or the exception it raised)
    and the warnings it emitted."""
    outcome: list[Any] = []
    emitted: list[str] = []

    def run() -> None:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                outcome.append(action())
            except Exception as error:
                outcome.append(error)
        emitted.extend(f"{w.category.__name__}: {w.message}" for w in caught)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    return outcome[0], emitted


@pytest.fixture
def loop() -> Iterator[asyncio.AbstractEventLoop]:
    """A new event loop whose exception handler reports into ``loop.reported``."""
    made = asyncio.new_event_loop()
    reported: list[dict[str, Any]] = []
    made.set_exception_handler(lambda _loop, context: reported.append(context))
    made.reported = reported  # type: ignore[attr-defined]
    yield made
    made.close()


def test_get_running_loop_is_none_without_a_running_loop_and_the_loop_within_one() -> None:
    reader = "running_loop (txaio_asyncio/_config.py)"
    internal = "asyncio.events._get_running_loop()"
    get_running: Callable[[], Any] | None = getattr(asyncio.events, "_get_running_loop", None)
    assert get_running is not None, changed(internal, reader, "it no longer exists")
    assert get_running() is None, changed(internal, reader, "no None without a running loop")

    async def inside() -> Any:
        return get_running()

    fresh = asyncio.new_event_loop()
    try:
        assert fresh.run_until_complete(inside()) is fresh, changed(
            internal, reader, "it does not return the running loop"
        )
    finally:
        fresh.close()


async def _raise_value_error() -> None:
    raise ValueError("task failed")


def _done_futures(loop: asyncio.AbstractEventLoop) -> dict[str, asyncio.Future[Any]]:
    resolved = loop.create_future()
    resolved.set_result(1)
    failed = loop.create_future()
    failed.set_exception(KeyError("failed"))
    cancelled = loop.create_future()
    cancelled.cancel()
    task = loop.create_task(_raise_value_error())
    loop.run_until_complete(asyncio.wait([task]))
    return {"resolved": resolved, "failed": failed, "cancelled": cancelled, "failed task": task}


EXCEPTION_READER = "held_exception (txaio_asyncio/_futures.py)"


def held_exception(future: Any) -> Any:
    """Return ``future._exception``: what the canaries below check."""
    return future._exception


def _future_classes() -> list[type[Any]]:
    # asyncio.Future is the C future where the _asyncio accelerator exists (CPython),
    # the Python one otherwise (PyPy); the Python one exists everywhere.
    python_future = getattr(asyncio.futures, "_PyFuture", asyncio.futures.Future)
    return list(dict.fromkeys([asyncio.Future, python_future]))


@pytest.mark.parametrize("future_class", _future_classes(), ids=lambda cls: cls.__module__)
def test_future_exception_attribute_holds_the_outcome_of_every_kind_of_future(
    loop: asyncio.AbstractEventLoop, future_class: type[Any]
) -> None:
    internal = f"{future_class.__module__}.Future._exception"
    future = future_class(loop=loop)
    assert hasattr(future, "_exception"), changed(internal, EXCEPTION_READER, "no such attribute")
    assert held_exception(future) is None, changed(
        internal, EXCEPTION_READER, "not None while pending"
    )
    error = KeyError("failed")
    future.set_exception(error)
    assert held_exception(future) is error, changed(
        internal, EXCEPTION_READER, "not the exception of a failed future"
    )
    future.exception()  # retrieved: nothing to report when it goes


def test_future_exception_attribute_of_loop_futures_and_tasks(
    loop: asyncio.AbstractEventLoop,
) -> None:
    futures = _done_futures(loop)
    held = {kind: held_exception(future) for kind, future in futures.items()}
    assert held["resolved"] is None, changed(
        "Future._exception", EXCEPTION_READER, "not None for a resolved future"
    )
    assert held["cancelled"] is None, changed(
        "Future._exception", EXCEPTION_READER, "not None for a cancelled future"
    )
    assert isinstance(held["failed"], KeyError), changed(
        "Future._exception", EXCEPTION_READER, "not the exception of a failed future"
    )
    assert isinstance(held["failed task"], ValueError), changed(
        "Task._exception", EXCEPTION_READER, "not the exception of a failed task"
    )
    futures["failed"].exception()
    futures["failed task"].exception()


def _collect_until_reported(loop: Any) -> None:
    for _ in range(5):  # what one collection frees can leave more garbage behind
        gc.collect()
        if loop.reported:
            return


@pytest.mark.parametrize("future_class", _future_classes(), ids=lambda cls: cls.__module__)
@pytest.mark.parametrize("retrieve", [False, True], ids=["read _exception", "call exception()"])
def test_reading_future_exception_leaves_an_unhandled_failure_reported(
    loop: Any, future_class: type[Any], *, retrieve: bool
) -> None:
    future = future_class(loop=loop)
    future.set_exception(KeyError("never handled"))
    if retrieve:
        future.exception()  # the control: a retrieved exception is not reported
    else:
        held_exception(future)
    del future
    _collect_until_reported(loop)
    reported = [context.get("exception") for context in loop.reported]
    if retrieve:
        assert reported == []
    else:
        assert len(reported) == 1, changed(
            f"{future_class.__module__}.Future._exception",
            EXCEPTION_READER,
            "reading it marks the exception as retrieved, or the failure is not reported",
        )
        assert isinstance(reported[0], KeyError)


@pytest.mark.skipif(sys.version_info >= (3, 14), reason="read before Python 3.14 only")
def test_standard_policy_keeps_the_thread_loop_in_local_loop() -> None:
    reader = "loop_set_in_policy (txaio_asyncio/_config.py)"
    internal = "asyncio policy._local._loop"

    def set_and_read() -> tuple[Any, Any, Any]:
        policy = asyncio.get_event_loop_policy()
        before = getattr(getattr(policy, "_local", None), "_loop", "missing")
        made = asyncio.new_event_loop()
        asyncio.set_event_loop(made)
        try:
            return before, made, policy._local._loop  # type: ignore[attr-defined]
        finally:
            asyncio.set_event_loop(None)
            made.close()

    (before, made, after), emitted = in_new_thread(set_and_read)
    assert before is None, changed(internal, reader, f"{before!r} in a thread with no loop set")
    assert after is made, changed(internal, reader, "not the loop set for the thread")
    assert emitted == []


@pytest.mark.skipif(sys.version_info < (3, 14), reason="relied on from Python 3.14")
def test_get_event_loop_raises_without_a_loop_set_and_does_not_warn() -> None:
    reader = "thread_loop (txaio_asyncio/_config.py)"
    internal = "asyncio.get_event_loop() (public, 3.14+ behaviour)"
    outcome, emitted = in_new_thread(asyncio.get_event_loop)
    assert isinstance(outcome, RuntimeError), changed(
        internal, reader, f"{outcome!r} instead of RuntimeError in a thread with no loop set"
    )
    assert emitted == [], changed(internal, reader, f"it warns: {emitted}")

    def set_and_get() -> tuple[Any, Any]:
        made = asyncio.new_event_loop()
        asyncio.set_event_loop(made)
        try:
            return made, asyncio.get_event_loop()
        finally:
            asyncio.set_event_loop(None)
            made.close()

    (made, got), emitted = in_new_thread(set_and_get)
    assert got is made, changed(internal, reader, "not the loop set for the thread")
    assert emitted == [], changed(internal, reader, f"it warns: {emitted}")
