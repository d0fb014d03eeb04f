"""Test helpers for code that uses txaio.

:func:`replace_loop` swaps the loop (or reactor) txaio uses. :func:`use_framework`
selects a framework for the duration of a test, whatever the process selected
before: the one-framework-per-process rule of :func:`txaio.use_asyncio` /
:func:`txaio.use_twisted` stays for applications, and this is the one documented
way around it, for tests only (the txaio pytest plugin uses it).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

import txaio
from txaio import _load_backend

__all__ = ["FRAMEWORKS", "replace_loop", "use_framework"]

# The frameworks txaio can use, each the name of a backend (documented in docs/api/testutil.rst).
FRAMEWORKS: tuple[str, ...] = tuple(txaio._BACKEND_MODULES)

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
    backend = _load_backend(framework) if framework is not None else None
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


@contextmanager
def use_framework(framework: str) -> Iterator[str]:
    """Select ``framework`` ("asyncio" or "twisted") for txaio inside the ``with`` block.

    For tests only. Inside the block every ``txaio`` API name is the backend's,
    ``txaio.using_asyncio`` / ``txaio.using_twisted`` say which one is in use, and
    ``txaio.use_asyncio()`` / ``txaio.use_twisted()`` raise :class:`RuntimeError`
    (the test selects the framework, not the code under test). When the block
    ends, also by an exception, txaio is exactly as before: unselected, or
    selected for the other framework. Blocks may nest. Not thread-safe: txaio's
    selection is process-wide. Yields ``framework``.

    Raises :class:`ValueError` for an unknown framework name and
    :class:`ImportError` (saying what to install) when its backend is missing.
    """
    bindings = txaio._backend_bindings(framework)
    namespace = vars(txaio)
    # ``txaio.aio`` / ``txaio.tx`` may not be attributes yet: those are removed again.
    saved: dict[str, Any] = {name: namespace[name] for name in bindings if name in namespace}
    added = [name for name in bindings if name not in namespace]
    saved_framework = txaio._explicit_framework
    saved_pin = txaio._selection_pinned_by
    with txaio._selection_lock:
        namespace.update(bindings)
        txaio._explicit_framework = framework
        txaio._selection_pinned_by = f"txaio.testutil.use_framework({framework!r}) is in effect"
    try:
        yield framework
    finally:
        with txaio._selection_lock:
            namespace.update(saved)
            for name in added:
                del namespace[name]
            txaio._explicit_framework = saved_framework
            txaio._selection_pinned_by = saved_pin
