"""Fixtures of the Twisted backend's own tests: a ``task.Clock`` reactor and captured errors."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

pytest.importorskip("twisted")
pytest.importorskip("txaio_twisted")

from tests.support.harness_twisted import TwistedHarness, make_harness


@pytest.fixture
def harness() -> Iterator[TwistedHarness]:
    """``txaio_twisted`` on a ``task.Clock``, with errors Twisted reports captured."""
    with make_harness() as harness:
        yield harness
