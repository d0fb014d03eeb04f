"""Contract: config.loop and with_config()."""

from __future__ import annotations

from typing import Any

from tests.support.contract_check import assert_satisfies_contract
from tests.support.harness import Harness


def test_config_loop_is_the_loop_in_use(harness: Harness) -> None:
    assert harness.api.config.loop is harness.loop


def test_framework_flags_name_the_backend(harness: Harness) -> None:
    assert harness.api.using_twisted is (harness.name == "twisted")
    assert harness.api.using_asyncio is (harness.name == "asyncio")


def test_api_satisfies_the_contract(harness: Harness) -> None:
    assert_satisfies_contract(harness.api)


def test_with_config_returns_an_api_satisfying_the_contract(harness: Harness) -> None:
    configured = harness.api.with_config(loop=harness.loop)
    assert_satisfies_contract(configured)
    assert configured.using_twisted is harness.api.using_twisted
    assert configured.config.loop is harness.loop


def test_with_config_api_schedules_on_its_loop(harness: Harness) -> None:
    configured = harness.api.with_config(loop=harness.loop)
    calls: list[str] = []
    configured.call_later(1.0, calls.append, "ran")
    harness.advance(1.0)
    assert calls == ["ran"]


def test_with_config_api_creates_and_resolves_futures(harness: Harness) -> None:
    configured = harness.api.with_config(loop=harness.loop)
    results: list[Any] = []
    future = configured.create_future()
    assert configured.is_future(future)
    assert harness.api.is_future(future)
    configured.add_callbacks(future, results.append, None)
    configured.resolve(future, "value")
    harness.run_until_idle()
    assert results == ["value"]
    assert configured.is_called(future)


def test_with_config_api_sleeps_on_its_loop(harness: Harness) -> None:
    configured = harness.api.with_config(loop=harness.loop)
    results: list[Any] = []
    configured.add_callbacks(configured.sleep(3), results.append, None)
    harness.advance(2.9)
    assert results == []
    harness.advance(0.1)
    harness.run_until_idle()
    assert results == [None]


def test_with_config_api_batched_timer_uses_its_loop(harness: Harness) -> None:
    configured = harness.api.with_config(loop=harness.loop)
    timer = configured.make_batched_timer(1.0)
    calls: list[str] = []
    timer.call_later(0.5, calls.append, "ran")
    harness.advance(1.0)
    assert calls == ["ran"]


def test_with_config_without_loop_returns_a_working_api(harness: Harness) -> None:
    configured = harness.api.with_config()
    assert_satisfies_contract(configured)
    assert configured.is_future(configured.create_future())
