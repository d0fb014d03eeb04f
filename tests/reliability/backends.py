"""Access to both backends' harnesses for the reliability tests."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from contextlib import AbstractContextManager

import pytest

from tests.support.harness import Harness

BACKENDS = ("asyncio", "twisted")

HarnessFactory = Callable[[], AbstractContextManager[Harness]]


def harness_factory(name: str) -> HarnessFactory:
    """Return ``make_harness`` of backend ``name``; skip the test when it is not installed."""
    pytest.importorskip(f"txaio_{name}")
    if name == "twisted":
        pytest.importorskip("twisted")
    module = importlib.import_module(f"tests.support.harness_{name}")
    factory: HarnessFactory = module.make_harness
    return factory
