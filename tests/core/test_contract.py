"""The backend contract is declared once, and the checker backends use enforces it."""

from __future__ import annotations

import types
from collections.abc import Callable, Iterable
from typing import Any

import pytest

import txaio_core
from tests.support.contract_check import (
    assert_satisfies_contract,
    contract_problems,
    protocol_members,
)
from txaio_core.contract import BACKEND_NAMES, Backend


def test_backend_names_are_exactly_the_protocol_members() -> None:
    assert len(BACKEND_NAMES) == len(set(BACKEND_NAMES)), "BACKEND_NAMES has duplicates"
    assert set(BACKEND_NAMES) == protocol_members(Backend)


def test_core_exports_the_contract() -> None:
    assert txaio_core.BACKEND_NAMES is BACKEND_NAMES
    assert txaio_core.Backend is Backend


def _conforming_backend() -> Any:
    """A module with every contract name, each accepting the protocol's parameters."""
    module: Any = types.ModuleType("fake_backend")
    module.using_twisted = False
    module.using_asyncio = True
    module.config = types.SimpleNamespace(loop=None)
    module.IFailedFuture = txaio_core.IFailedFuture
    module.ILogger = txaio_core.ILogger

    def with_config(loop: Any = None) -> Any:
        return module

    def create_future(result: Any = None, error: Any = None, canceller: Any = None) -> Any:
        return None

    def create_future_success(result: Any) -> Any:
        return None

    def create_future_error(error: Any = None) -> Any:
        return None

    def create_failure(exception: BaseException | None = None) -> Any:
        return None

    def as_future(fun: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        return None

    def is_future(obj: Any) -> bool:
        return False

    def is_called(future: Any) -> bool:
        return False

    def resolve(future: Any, result: Any = None) -> None:
        pass

    def reject(future: Any, error: Any = None) -> None:
        pass

    def cancel(future: Any, msg: str | None = None) -> None:
        pass

    def add_callbacks(future: Any, callback: Any, errback: Any) -> Any:
        return future

    def gather(futures: Iterable[Any], consume_exceptions: bool = True) -> Any:
        return None

    def call_later(delay: float, fun: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        return None

    def sleep(delay: float) -> Any:
        return None

    def make_batched_timer(bucket_seconds: float, chunk_size: int = 100) -> Any:
        return None

    def make_logger(level: str | None = None, logger: Any = None) -> Any:
        return None

    def start_logging(out: Any = None, level: str = "info") -> None:
        pass

    def set_global_log_level(level: str) -> None:
        pass

    def get_global_log_level() -> str:
        return "info"

    def add_log_categories(categories: dict[str, str]) -> None:
        pass

    for function in (
        with_config,
        create_future,
        create_future_success,
        create_future_error,
        create_failure,
        as_future,
        is_future,
        is_called,
        resolve,
        reject,
        cancel,
        add_callbacks,
        gather,
        call_later,
        sleep,
        make_batched_timer,
        make_logger,
        start_logging,
        set_global_log_level,
        get_global_log_level,
        add_log_categories,
    ):
        setattr(module, function.__name__, function)
    module.failure_message = txaio_core.failure_message
    module.failure_traceback = txaio_core.failure_traceback
    module.failure_format_traceback = txaio_core.failure_format_traceback
    module.time_ns = txaio_core.time_ns
    module.perf_counter_ns = txaio_core.perf_counter_ns
    return module


def test_a_conforming_backend_passes() -> None:
    assert_satisfies_contract(_conforming_backend())


def test_an_api_object_with_bound_methods_passes() -> None:
    module = _conforming_backend()

    class Api:
        def __init__(self) -> None:
            for name in BACKEND_NAMES:
                setattr(self, name, getattr(module, name))

        def call_later(self, delay: float, fun: Callable[..., Any], *args: Any, **kw: Any) -> Any:
            return None

    assert_satisfies_contract(Api())


def test_missing_names_are_all_listed() -> None:
    module = _conforming_backend()
    del module.gather
    del module.sleep
    with pytest.raises(AssertionError) as caught:
        assert_satisfies_contract(module)
    assert "missing 'gather'" in str(caught.value)
    assert "missing 'sleep'" in str(caught.value)


@pytest.mark.parametrize(
    ("name", "function", "expected"),
    [
        ("call_later", lambda delay, fun: None, "must accept"),
        ("call_later", lambda when, fun, *a, **k: None, "must be 'delay'"),
        ("resolve", lambda future, result: None, "'result' must be optional"),
        ("gather", lambda futures, consume_exceptions=True, extra=None, *, more: None, "'more'"),
        ("sleep", lambda: None, "must be 'delay'"),
        ("reject", 42, "must be callable"),
    ],
)
def test_signature_mismatches_are_reported(name: str, function: Any, expected: str) -> None:
    module = _conforming_backend()
    setattr(module, name, function)
    problems = contract_problems(module)
    assert any(name in problem and expected in problem for problem in problems), problems


def test_flags_config_and_interfaces_are_checked() -> None:
    module: Any = _conforming_backend()
    module.using_twisted = True
    module.config = object()
    module.IFailedFuture = Exception
    problems = "\n".join(contract_problems(module))
    assert "exactly one of using_twisted and using_asyncio" in problems
    assert "config: must have a 'loop' attribute" in problems
    assert "IFailedFuture: must be txaio_core.IFailedFuture" in problems
