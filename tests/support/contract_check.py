"""Check a backend (module or ``with_config`` object) against the core's contract.

Backend tests call :func:`assert_satisfies_contract`::

    from tests.support.contract_check import assert_satisfies_contract
    import txaio_asyncio

    def test_module_satisfies_contract() -> None:
        assert_satisfies_contract(txaio_asyncio)
"""

from __future__ import annotations

import inspect
import types
from collections.abc import Callable
from typing import Any

import txaio_core
from txaio_core.contract import BACKEND_ATTRIBUTES, BACKEND_FUNCTIONS, BACKEND_NAMES, Backend

__all__ = [
    "ATTRIBUTE_VALUES",
    "assert_satisfies_contract",
    "conforming_backend",
    "contract_problems",
]

_P = inspect.Parameter
_POSITIONAL = (_P.POSITIONAL_ONLY, _P.POSITIONAL_OR_KEYWORD)


def conforming_backend() -> Any:
    """Return a fake backend module built from the :class:`Backend` protocol.

    Every function takes exactly the protocol's parameters and returns None;
    the values are those of :data:`ATTRIBUTE_VALUES`. Tests of the checker
    break one name of it at a time.
    """
    missing = set(BACKEND_ATTRIBUTES) - set(ATTRIBUTE_VALUES)
    assert not missing, f"give the fake backend a value for {sorted(missing)}"
    module: Any = types.ModuleType("fake_backend")
    for name in BACKEND_ATTRIBUTES:
        setattr(module, name, ATTRIBUTE_VALUES[name])
    for name in BACKEND_FUNCTIONS:
        setattr(module, name, _function_like(name))
    return module


#: A valid value for each attribute of the contract, for :func:`conforming_backend`.
ATTRIBUTE_VALUES: dict[str, object] = {
    "using_twisted": False,
    "using_asyncio": True,
    "config": types.SimpleNamespace(loop=None),
    "IFailedFuture": txaio_core.IFailedFuture,
    "ILogger": txaio_core.ILogger,
}


def _function_like(name: str) -> Callable[..., None]:
    """A function named ``name`` with the signature of ``Backend.name`` (without ``self``)."""

    def function(*args: Any, **kwargs: Any) -> None:
        return None

    function.__name__ = function.__qualname__ = name
    function.__signature__ = inspect.Signature(_protocol_parameters(name))  # type: ignore[attr-defined]
    return function


def _protocol_parameters(name: str) -> list[inspect.Parameter]:
    """The parameters of the protocol's method ``name``, without ``self``."""
    return list(inspect.signature(getattr(Backend, name)).parameters.values())[1:]


def _signature_problems(name: str, func: Any) -> list[str]:
    wanted = _protocol_parameters(name)
    try:
        params = list(inspect.signature(func).parameters.values())
    except (TypeError, ValueError):
        # Some builtins have no signature; only a parameterless contract fits them blindly.
        return [] if not wanted else [f"{name}: signature cannot be inspected"]
    by_name = {p.name: p for p in params}
    positional = [p for p in params if p.kind in _POSITIONAL]
    kinds = {p.kind for p in params}
    problems: list[str] = []
    for index, want in enumerate(p for p in wanted if p.kind in _POSITIONAL):
        have = positional[index] if index < len(positional) else None
        if have is None and {_P.VAR_POSITIONAL, _P.VAR_KEYWORD} <= kinds and not positional:
            continue  # a fully generic (*args, **kwargs) wrapper accepts anything
        if have is None or have.name != want.name:
            got = repr(have.name) if have is not None else "nothing"
            problems.append(
                f"{name}: positional parameter {index} must be {want.name!r}, got {got}"
            )
            continue
        if have.kind is not want.kind:
            problems.append(f"{name}: {want.name!r} must be {want.kind.description}")
        if want.default is not _P.empty and have.default is _P.empty:
            problems.append(f"{name}: {want.name!r} must be optional")
    for want in wanted:
        if want.kind in (_P.VAR_POSITIONAL, _P.VAR_KEYWORD) and want.kind not in kinds:
            problems.append(f"{name}: must accept {want.kind.description} (like {want})")
        elif want.kind is _P.KEYWORD_ONLY:
            have = by_name.get(want.name)
            if have is None and _P.VAR_KEYWORD not in kinds:
                problems.append(f"{name}: must accept keyword {want.name!r}")
            elif have is not None and want.default is not _P.empty and have.default is _P.empty:
                problems.append(f"{name}: {want.name!r} must be optional")
    wanted_names = {p.name for p in wanted}
    for have in params:
        required = have.default is _P.empty and have.kind not in (_P.VAR_POSITIONAL, _P.VAR_KEYWORD)
        if required and have.name not in wanted_names:
            problems.append(f"{name}: extra required parameter {have.name!r}")
    return problems


def contract_problems(api: Any) -> list[str]:
    """Return every way ``api`` falls short of :class:`txaio_core.contract.Backend`."""
    problems = [f"missing {name!r}" for name in BACKEND_NAMES if not hasattr(api, name)]
    for name in BACKEND_FUNCTIONS:
        if not hasattr(api, name):
            continue
        value = getattr(api, name)
        if not callable(value):
            problems.append(f"{name}: must be callable, got {type(value).__name__}")
        else:
            problems.extend(_signature_problems(name, value))
    for flag in ("using_twisted", "using_asyncio"):
        if hasattr(api, flag) and not isinstance(getattr(api, flag), bool):
            problems.append(f"{flag}: must be a bool")
    flags = [getattr(api, flag, None) for flag in ("using_twisted", "using_asyncio")]
    if None not in flags and flags[0] == flags[1]:
        problems.append("exactly one of using_twisted and using_asyncio must be True")
    if hasattr(api, "config") and not hasattr(api.config, "loop"):
        problems.append("config: must have a 'loop' attribute")
    for name, base in (
        ("IFailedFuture", txaio_core.IFailedFuture),
        ("ILogger", txaio_core.ILogger),
    ):
        value = getattr(api, name, None)
        if value is not None and not (isinstance(value, type) and issubclass(value, base)):
            problems.append(f"{name}: must be txaio_core.{name} (or a subclass)")
    return problems


def assert_satisfies_contract(api: Any) -> None:
    """Fail with every problem listed unless ``api`` has each name in ``BACKEND_NAMES``.

    Each function must accept the protocol's parameters: the same positional
    names in the same order and kinds, optional where the protocol's are, ``*args``
    / ``**kwargs`` where it has them, and no extra required parameter.
    """
    problems = contract_problems(api)
    assert not problems, "backend does not satisfy txaio_core.contract.Backend:\n  " + "\n  ".join(
        problems
    )
