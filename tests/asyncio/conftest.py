"""Fixtures of the asyncio backend's own tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.harness_asyncio import AsyncioHarness, make_harness


@pytest.fixture
def harness() -> Iterator[AsyncioHarness]:
    """``txaio_asyncio`` on a fresh fake-clock loop."""
    with make_harness() as made:
        yield made
