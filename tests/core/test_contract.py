"""The backend contract is declared once, and the checker backends use enforces it."""

from __future__ import annotations

import ast
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

import pytest

import txaio_core
from tests.support.contract_check import (
    assert_satisfies_contract,
    conforming_backend,
    contract_problems,
)
from txaio_core import contract
from txaio_core.contract import (
    BACKEND_ATTRIBUTES,
    BACKEND_FUNCTIONS,
    BACKEND_NAMES,
    Backend,
    declared_names,
)


def _declared_in_source() -> tuple[list[str], list[str]]:
    """The attributes and methods of ``class Backend``, read from the source with ``ast``."""
    tree = ast.parse(Path(contract.__file__).read_text(encoding="utf-8"))
    (backend,) = (n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "Backend")
    attributes = [
        n.target.id
        for n in backend.body
        if isinstance(n, ast.AnnAssign) and isinstance(n.target, ast.Name)
    ]
    methods = [n.name for n in backend.body if isinstance(n, ast.FunctionDef)]
    return attributes, methods


def test_backend_names_are_read_off_the_protocol() -> None:
    attributes, methods = _declared_in_source()
    assert list(BACKEND_ATTRIBUTES) == attributes
    assert list(BACKEND_FUNCTIONS) == methods
    assert BACKEND_NAMES == BACKEND_ATTRIBUTES + BACKEND_FUNCTIONS
    assert len(set(BACKEND_NAMES)) == len(BACKEND_NAMES)


def test_declared_names_ignore_private_members_and_base_classes() -> None:
    class Base(Protocol):
        inherited: int

        def base_method(self) -> None: ...

    class Derived(Base, Protocol):
        value: str

        def method(self) -> None: ...

        def _helper(self) -> None: ...

    assert declared_names(Derived) == (("value",), ("method",))


def test_core_exports_the_contract() -> None:
    assert txaio_core.BACKEND_NAMES is BACKEND_NAMES
    assert txaio_core.Backend is Backend


def test_the_fake_backend_has_every_name_of_the_protocol() -> None:
    module = conforming_backend()
    assert {name for name in vars(module) if not name.startswith("_")} == set(BACKEND_NAMES)


def test_a_conforming_backend_passes() -> None:
    assert_satisfies_contract(conforming_backend())


def test_an_api_object_with_bound_methods_passes() -> None:
    module = conforming_backend()

    class Api:
        def __init__(self) -> None:
            for name in BACKEND_NAMES:
                setattr(self, name, getattr(module, name))

        def call_later(self, delay: float, fun: Callable[..., Any], *args: Any, **kw: Any) -> Any:
            return None

    assert_satisfies_contract(Api())


def test_missing_names_are_all_listed() -> None:
    module = conforming_backend()
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
    module = conforming_backend()
    setattr(module, name, function)
    problems = contract_problems(module)
    assert any(name in problem and expected in problem for problem in problems), problems


def test_flags_config_and_interfaces_are_checked() -> None:
    module: Any = conforming_backend()
    module.using_twisted = True
    module.config = object()
    module.IFailedFuture = Exception
    problems = "\n".join(contract_problems(module))
    assert "exactly one of using_twisted and using_asyncio" in problems
    assert "config: must have a 'loop' attribute" in problems
    assert "IFailedFuture: must be txaio_core.IFailedFuture" in problems
