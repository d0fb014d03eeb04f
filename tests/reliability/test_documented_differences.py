"""One test per row of "Framework differences" in docs/design.md.

The differential test keeps to the manual's portable rules; what lies outside
them differs between the frameworks by design. Each test here pins one such
difference on both backends, so the table stays true.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.reliability.backends import harness_factory
from tests.support.harness import Harness


@pytest.fixture
def on_asyncio() -> Iterator[Harness]:
    with harness_factory("asyncio")() as made:
        yield made


@pytest.fixture
def on_twisted() -> Iterator[Harness]:
    with harness_factory("twisted")() as made:
        yield made


def settle(harness: Harness) -> None:
    harness.run_until_idle()
    harness.collect_garbage()
    harness.run_until_idle()


class Boom(Exception):
    """An error raised on purpose."""


def chain_of_two(harness: Harness, first: Any) -> list[object]:
    """Resolve a future with 1 through ``first`` then a recording callback; return what it saw."""
    seen: list[object] = []
    future = harness.api.create_future()
    harness.api.add_callbacks(future, first, None)
    harness.api.add_callbacks(future, seen.append, None)
    harness.api.resolve(future, 1)
    harness.run_until_idle()
    return seen


# -- callback chaining -------------------------------------------------------------


def test_callback_chaining_asyncio_every_callback_gets_the_original(on_asyncio: Harness) -> None:
    assert chain_of_two(on_asyncio, lambda value: value + 1) == [1]


def test_callback_chaining_twisted_passes_the_return_value_on(on_twisted: Harness) -> None:
    assert chain_of_two(on_twisted, lambda value: value + 1) == [2]


# -- a callback that returns a future ------------------------------------------------


def test_returned_future_asyncio_ignores_it(on_asyncio: Harness) -> None:
    seen = chain_of_two(on_asyncio, lambda value: on_asyncio.api.create_future_success("inner"))
    assert seen == [1]


def test_returned_future_twisted_waits_for_it_and_passes_its_result(on_twisted: Harness) -> None:
    seen = chain_of_two(on_twisted, lambda value: on_twisted.api.create_future_success("inner"))
    assert seen == ["inner"]


# -- errback return ------------------------------------------------------------------


def errback_then_both(harness: Harness, errback: Any) -> list[str]:
    """Fail a future through ``errback`` then a recording pair; return what the pair saw."""
    seen: list[str] = []
    future = harness.api.create_future()
    harness.api.add_callbacks(future, None, errback)
    harness.api.add_callbacks(
        future,
        lambda value: seen.append(f"callback {value!r}"),
        lambda fail: seen.append(f"errback {type(fail.value).__name__}"),
    )
    harness.api.reject(future, Boom("x"))
    harness.run_until_idle()
    return seen


def test_errback_return_asyncio_the_error_stays(on_asyncio: Harness) -> None:
    assert errback_then_both(on_asyncio, lambda fail: "recovered") == ["errback Boom"]


def test_errback_return_twisted_a_value_cancels_the_error(on_twisted: Harness) -> None:
    assert errback_then_both(on_twisted, lambda fail: "recovered") == ["callback 'recovered'"]


# -- a callback that raises ------------------------------------------------------------


def raise_then_both(harness: Harness) -> list[str]:
    seen: list[str] = []

    def raising(value: object) -> object:
        raise Boom("from callback")

    future = harness.api.create_future()
    harness.api.add_callbacks(future, raising, None)
    harness.api.add_callbacks(
        future,
        lambda value: seen.append(f"callback {value!r}"),
        lambda fail: seen.append(f"errback {fail.value}"),
    )
    harness.api.resolve(future, 1)
    settle(harness)
    return seen


def test_raising_callback_asyncio_reports_it_and_later_callbacks_get_the_value(
    on_asyncio: Harness,
) -> None:
    assert raise_then_both(on_asyncio) == ["callback 1"]
    assert [str(error) for error in on_asyncio.reported] == ["from callback"]


def test_raising_callback_twisted_hands_the_error_to_later_errbacks(on_twisted: Harness) -> None:
    assert raise_then_both(on_twisted) == ["errback from callback"]
    assert on_twisted.reported == []


# -- when a callback runs ----------------------------------------------------------------


def runs_inside_resolve(harness: Harness) -> tuple[list[int], list[int]]:
    seen: list[int] = []
    future = harness.api.create_future()
    harness.api.add_callbacks(future, seen.append, None)
    harness.api.resolve(future, 1)
    during = list(seen)
    harness.run_until_idle()
    return during, seen


def test_callback_timing_asyncio_runs_on_the_next_iteration(on_asyncio: Harness) -> None:
    assert runs_inside_resolve(on_asyncio) == ([], [1])


def test_callback_timing_twisted_runs_inside_resolve(on_twisted: Harness) -> None:
    assert runs_inside_resolve(on_twisted) == ([1], [1])


def test_callback_timing_twisted_runs_inside_add_callbacks_when_called(
    on_twisted: Harness,
) -> None:
    seen: list[int] = []
    on_twisted.api.add_callbacks(on_twisted.api.create_future_success(3), seen.append, None)
    assert seen == [3]


# -- unhandled failure report --------------------------------------------------------------


def test_unhandled_report_asyncio_raising_callback_reported_at_once(on_asyncio: Harness) -> None:
    future = on_asyncio.api.create_future()
    on_asyncio.api.add_callbacks(future, lambda value: 1 / 0, None)
    on_asyncio.api.resolve(future, 1)
    on_asyncio.run_until_idle()
    assert [type(error) for error in on_asyncio.reported] == [ZeroDivisionError]


def test_unhandled_report_twisted_raising_callback_reported_at_collection(
    on_twisted: Harness,
) -> None:
    future = on_twisted.api.create_future()
    on_twisted.api.add_callbacks(future, lambda value: 1 / 0, None)
    on_twisted.api.resolve(future, 1)
    on_twisted.run_until_idle()
    assert on_twisted.reported == []
    del future
    on_twisted.collect_garbage()
    assert [type(error) for error in on_twisted.reported] == [ZeroDivisionError]
    assert "Unhandled error in Deferred" in on_twisted.reported_text[0]


def test_unhandled_report_asyncio_never_retrieved_at_collection(on_asyncio: Harness) -> None:
    future = on_asyncio.api.create_future_error(Boom("nobody looks"))
    on_asyncio.run_until_idle()
    assert on_asyncio.reported == []
    del future
    on_asyncio.collect_garbage()
    assert [str(error) for error in on_asyncio.reported] == ["nobody looks"]
    assert "never retrieved" in on_asyncio.reported_text[0]


# -- an errback that returns its failure (the portable rule) --------------------------------


def errback_returns_failure(harness: Harness) -> list[str]:
    seen: list[str] = []

    def errback(fail: Any) -> Any:
        seen.append(str(fail.value))
        return fail

    future = harness.api.create_future()
    harness.api.add_callbacks(future, None, errback)
    harness.api.reject(future, Boom("passed on"))
    del future
    settle(harness)
    return seen


def test_returned_failure_asyncio_is_handled(on_asyncio: Harness) -> None:
    assert errback_returns_failure(on_asyncio) == ["passed on"]
    assert on_asyncio.reported == []


def test_returned_failure_twisted_is_reported_as_unhandled(on_twisted: Harness) -> None:
    assert errback_returns_failure(on_twisted) == ["passed on"]
    assert [str(error) for error in on_twisted.reported] == ["passed on"]


# -- call_later returns ------------------------------------------------------------------


def test_call_later_asyncio_returns_a_timer_handle(on_asyncio: Harness) -> None:
    import asyncio

    assert isinstance(on_asyncio.api.call_later(1, print), asyncio.TimerHandle)


def test_call_later_twisted_returns_an_idelayedcall(on_twisted: Harness) -> None:
    from twisted.internet.interfaces import IDelayedCall

    assert IDelayedCall.providedBy(on_twisted.api.call_later(1, print))


def test_call_later_cancel_twice_asyncio_does_nothing(on_asyncio: Harness) -> None:
    calls: list[str] = []
    handle = on_asyncio.api.call_later(1, calls.append, "cancelled")
    handle.cancel()
    handle.cancel()
    fired = on_asyncio.api.call_later(1, calls.append, "fired")
    on_asyncio.advance(2)
    fired.cancel()
    assert calls == ["fired"]
    assert handle.cancelled()
    assert on_asyncio.reported == []


def test_call_later_cancel_twice_twisted_raises(on_twisted: Harness) -> None:
    from twisted.internet.error import AlreadyCalled, AlreadyCancelled

    handle = on_twisted.api.call_later(1, print)
    handle.cancel()
    with pytest.raises(AlreadyCancelled):
        handle.cancel()
    fired = on_twisted.api.call_later(1, lambda: None)
    on_twisted.advance(2)
    with pytest.raises(AlreadyCalled):
        fired.cancel()


# -- with_config(loop=other) ---------------------------------------------------------------


def test_with_config_asyncio_gives_an_api_on_that_loop(on_asyncio: Harness) -> None:
    import asyncio

    other = asyncio.new_event_loop()
    try:
        api = on_asyncio.api.with_config(loop=other)
        future = api.create_future()
        assert future.get_loop() is other
        results: list[int] = []
        api.add_callbacks(future, results.append, None)
        api.resolve(future, 9)
        other.run_until_complete(api.sleep(0))
        assert results == [9]
        assert on_asyncio.api.create_future().get_loop() is on_asyncio.loop
    finally:
        other.close()


def test_with_config_twisted_refuses_another_reactor(on_twisted: Harness) -> None:
    from twisted.internet.task import Clock

    with pytest.raises(RuntimeError, match="reactor"):
        on_twisted.api.with_config(loop=Clock())


# -- resolve on an already-called future -----------------------------------------------------


def test_already_called_asyncio_raises_invalid_state_error(on_asyncio: Harness) -> None:
    import asyncio

    with pytest.raises(asyncio.InvalidStateError):
        on_asyncio.api.resolve(on_asyncio.api.create_future_success(1), 2)


def test_already_called_twisted_raises_already_called_error(on_twisted: Harness) -> None:
    from twisted.internet.defer import AlreadyCalledError

    with pytest.raises(AlreadyCalledError):
        on_twisted.api.resolve(on_twisted.api.create_future_success(1), 2)


# -- a cancelled future nobody handles -------------------------------------------------------


def cancel_unhandled(harness: Harness) -> list[str]:
    future = harness.api.create_future()
    harness.api.cancel(future)
    del future
    settle(harness)
    return [type(error).__name__ for error in harness.reported]


def test_cancelled_unhandled_asyncio_reports_nothing(on_asyncio: Harness) -> None:
    assert cancel_unhandled(on_asyncio) == []


def test_cancelled_unhandled_twisted_reports_cancelled_error(on_twisted: Harness) -> None:
    assert cancel_unhandled(on_twisted) == ["CancelledError"]


# -- handlers added to a future after gather(consume_exceptions=True) delivered its list -------


def errback_after_gather(harness: Harness) -> list[str]:
    seen: list[str] = []
    child = harness.api.create_future()
    harness.api.gather([child], consume_exceptions=True)
    harness.api.reject(child, Boom("child"))
    settle(harness)
    harness.api.add_callbacks(
        child,
        lambda value: seen.append(f"callback {value!r}"),
        lambda fail: seen.append(f"errback {fail.value}"),
    )
    settle(harness)
    return seen


def test_after_consuming_gather_asyncio_later_errbacks_see_the_error(on_asyncio: Harness) -> None:
    assert errback_after_gather(on_asyncio) == ["errback child"]


def test_after_consuming_gather_twisted_later_callbacks_get_none(on_twisted: Harness) -> None:
    assert errback_after_gather(on_twisted) == ["callback None"]
