"""config.loop and with_config on Twisted: one global reactor."""

from __future__ import annotations

from typing import Any, cast

import pytest
from twisted.internet.task import Clock

import txaio_twisted
from tests.support.harness_twisted import TwistedHarness


def _configured_loop() -> Any:
    """The reactor set on the module's config, or None: without taking the global one."""
    return cast(txaio_twisted.Config, txaio_twisted.config).configured_loop


def test_with_config_refuses_a_second_reactor(harness: TwistedHarness) -> None:
    with pytest.raises(RuntimeError, match="one global reactor"):
        txaio_twisted.with_config(loop=Clock())
    assert txaio_twisted.config.loop is harness.loop


def test_with_config_with_the_same_reactor_is_fine(harness: TwistedHarness) -> None:
    api = txaio_twisted.with_config(loop=harness.loop)
    assert api.config is txaio_twisted.config


def test_with_config_chooses_the_reactor_when_none_is_chosen() -> None:
    clock = Clock()
    with txaio_twisted.replace_loop(None):
        api = txaio_twisted.with_config(loop=clock)
        assert _configured_loop() is clock
        calls: list[str] = []
        api.call_later(2, calls.append, "ran")
        clock.advance(2)
        assert calls == ["ran"]


def test_replace_loop_restores_the_previous_setting() -> None:
    before = _configured_loop()
    clock = Clock()
    with txaio_twisted.replace_loop(clock) as installed:
        assert installed is clock
        assert txaio_twisted.config.loop is clock
    assert _configured_loop() is before


class _DuckReactor:
    def __init__(self) -> None:
        self.clock = Clock()

    def callLater(self, delay: float, func: Any, *args: Any, **kwargs: Any) -> Any:
        return self.clock.callLater(delay, func, *args, **kwargs)

    def seconds(self) -> float:
        return self.clock.seconds()


def test_config_loop_takes_any_ireactortime_like_object() -> None:
    duck = _DuckReactor()
    with txaio_twisted.replace_loop(duck):
        calls: list[str] = []
        txaio_twisted.call_later(1, calls.append, "ran")
        duck.clock.advance(1)
        assert calls == ["ran"]


@pytest.mark.parametrize("bad", [object(), 42, "reactor"])
def test_config_loop_rejects_a_non_reactor(bad: object) -> None:
    before = _configured_loop()
    with pytest.raises(TypeError, match="IReactorTime"):
        txaio_twisted.config.loop = bad
    assert _configured_loop() is before


def test_call_later_returns_the_idelayedcall(harness: TwistedHarness) -> None:
    # Typed Any: mypy cannot read zope.interface methods (no ``self``).
    handle: Any = txaio_twisted.call_later(3, lambda: None)
    assert handle in harness.loop.getDelayedCalls()
    assert handle.getTime() == 3
    assert handle.active()
    handle.cancel()
    assert not handle.active()


def test_cancelling_sleep_cancels_its_delayed_call(harness: TwistedHarness) -> None:
    failures: list[Any] = []
    future = txaio_twisted.sleep(5)
    txaio_twisted.add_callbacks(future, None, failures.append)
    assert len(harness.loop.getDelayedCalls()) == 1
    txaio_twisted.cancel(future)
    assert harness.loop.getDelayedCalls() == []
    assert len(failures) == 1
    assert type(failures[0].value).__name__ == "CancelledError"


def test_a_batched_timer_follows_the_reactor_in_use(harness: TwistedHarness) -> None:
    # Made before the reactor is replaced (as a factory may make it), it still
    # schedules on the replacement: the time and the delayed calls are looked up on use.
    timer = txaio_twisted.make_batched_timer(1.0)
    replacement = Clock()
    replacement.advance(100)
    calls: list[float] = []
    with txaio_twisted.replace_loop(replacement):
        timer.call_later(0.5, lambda: calls.append(replacement.seconds()))
        assert len(replacement.getDelayedCalls()) == 1
        assert harness.loop.getDelayedCalls() == []
        replacement.advance(1.0)
    assert calls == [101.0]
