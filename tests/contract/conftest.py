"""The contract fixture: every test here runs once on asyncio and once on Twisted."""

from __future__ import annotations

import importlib
from collections.abc import Iterator

import pytest

from tests.support.harness import Harness

BACKENDS = ("asyncio", "twisted")


@pytest.fixture(params=BACKENDS)
def harness(request: pytest.FixtureRequest) -> Iterator[Harness]:
    """A backend on a fake clock; skipped when that backend is not installed."""
    name: str = request.param
    pytest.importorskip(f"txaio_{name}")
    if name == "twisted":
        pytest.importorskip("twisted")
    module = importlib.import_module(f"tests.support.harness_{name}")
    with module.make_harness() as made:
        yield made
