"""Test helpers for code that uses txaio."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TypeVar

import txaio
from txaio._backends import load_backend

__all__ = ["replace_loop"]

_Loop = TypeVar("_Loop")


@contextmanager
def replace_loop(new_loop: _Loop) -> Iterator[_Loop]:
    """Make ``new_loop`` txaio's event loop (or reactor) for the ``with`` block.

    Yields ``new_loop``, e.g. a Twisted ``task.Clock`` whose ``advance()`` fires
    ``txaio.call_later`` calls, or an asyncio loop. The previous loop is put back
    when the block ends, also when it raises. Once a framework is selected this
    is the selected backend's ``replace_loop``: on Twisted, with no reactor set
    before, ``txaio.config.loop`` is ``None`` again afterwards and the global
    reactor was never imported.
    """
    config = txaio.config
    framework = txaio._explicit_framework
    backend = load_backend(framework) if framework is not None else None
    if backend is not None and config is backend.config:
        # The backend's own: on Twisted it neither takes nor pins the global reactor.
        # (A test may have patched txaio.config: then that is what gets the loop.)
        with backend.replace_loop(new_loop) as loop:
            yield loop
        return
    previous = config.loop
    config.loop = new_loop
    try:
        yield new_loop
    finally:
        config.loop = previous
