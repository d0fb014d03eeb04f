"""Interfaces, log levels and time helpers of the core."""

from __future__ import annotations

import time

import pytest

from txaio_core import (
    LEVEL_RANK,
    IBatchedTimer,
    IFailedFuture,
    ILogger,
    InvalidLogLevelError,
    check_level,
    is_enabled,
    log_levels,
    perf_counter_ns,
    time_ns,
)


def test_levels_are_ordered_most_severe_first() -> None:
    assert log_levels == ["none", "critical", "error", "warn", "info", "debug", "trace"]
    assert [LEVEL_RANK[name] for name in log_levels] == list(range(7))


@pytest.mark.parametrize("level", ["none", "critical", "error", "warn", "info", "debug", "trace"])
def test_every_level_is_valid(level: str) -> None:
    assert check_level(level) == level


@pytest.mark.parametrize("level", ["warning", "INFO", "", None, 3])
def test_an_unknown_level_lists_the_valid_ones(level: object) -> None:
    with pytest.raises(
        InvalidLogLevelError, match=r"Invalid log level .*'none', 'critical'.*'trace'"
    ):
        check_level(level)


def test_an_unknown_level_is_both_a_value_error_and_a_runtime_error() -> None:
    with pytest.raises(ValueError, match="Invalid log level"):
        check_level("loud")
    with pytest.raises(RuntimeError, match="Invalid log level"):
        check_level("loud")


def test_a_message_passes_at_or_above_the_logger_level() -> None:
    assert is_enabled("error", "info")
    assert is_enabled("info", "info")
    assert not is_enabled("debug", "info")
    assert not is_enabled("critical", "none")


@pytest.mark.parametrize("interface", [IFailedFuture, ILogger, IBatchedTimer])
def test_interfaces_are_abstract(interface: type) -> None:
    with pytest.raises(TypeError, match="abstract"):
        interface()


def test_a_foreign_class_can_be_registered_as_ifailedfuture() -> None:
    class Foreign:
        value = ValueError("x")

    IFailedFuture.register(Foreign)
    assert isinstance(Foreign(), IFailedFuture)


def test_ilogger_declares_one_method_per_level() -> None:
    assert ILogger.__abstractmethods__ == frozenset(log_levels[1:])


def test_time_ns_is_wall_clock_nanoseconds() -> None:
    before = time.time_ns()
    now = time_ns()
    assert isinstance(now, int)
    assert before <= now <= time.time_ns()


def test_perf_counter_ns_is_monotonic_nanoseconds() -> None:
    first = perf_counter_ns()
    second = perf_counter_ns()
    assert isinstance(first, int)
    assert first <= second
