"""Test helpers for code that uses txaio."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TypeVar

import txaio

__all__ = ["replace_loop"]

_Loop = TypeVar("_Loop")


@contextmanager
def replace_loop(new_loop: _Loop) -> Iterator[_Loop]:
    """Make ``new_loop`` txaio's event loop (or reactor) for the ``with`` block.

    Yields ``new_loop``, e.g. a Twisted ``task.Clock`` whose ``advance()`` fires
    ``txaio.call_later`` calls, or an asyncio loop. The previous loop is put back
    when the block ends, also when it raises.
    """
    config = txaio.config
    previous = config.loop
    config.loop = new_loop
    try:
        yield new_loop
    finally:
        config.loop = previous
