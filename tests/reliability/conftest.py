"""Fixtures of the reliability tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.runtime import collect_garbage, freeze_heap, unfreeze_heap


@pytest.fixture
def frozen_heap() -> Iterator[None]:
    """Move everything alive now out of the collector's sight for the test's duration.

    The tests here collect garbage after every program so that unhandled
    failures are reported; with the (large) heap of pytest, Hypothesis and
    Twisted frozen, each collection looks only at what the program made (on
    CPython; PyPy cannot freeze, and its collections see everything).
    """
    collect_garbage()
    freeze_heap()
    try:
        yield
    finally:
        unfreeze_heap()
