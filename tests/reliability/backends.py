"""Access to both backends' harnesses for the reliability tests."""

from __future__ import annotations

import gc
import importlib
from collections.abc import Callable, Iterator
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


@pytest.fixture
def frozen_heap() -> Iterator[None]:
    """Move everything alive now out of the collector's sight for the test's duration.

    The tests here collect garbage after every program so that unhandled
    failures are reported; with the (large) heap of pytest, Hypothesis and
    Twisted frozen, each collection looks only at what the program made.
    """
    gc.collect()
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()
