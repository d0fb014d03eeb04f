"""Fixtures of the reliability tests."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest


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
