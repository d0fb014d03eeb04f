"""What the test scaffolding needs from the interpreter, on CPython and on PyPy alike.

PyPy has no ``tracemalloc``, no ``gc.freeze()`` and no ``sys.getrefcount``, and its
``gc.collect()`` returns None rather than a count: the helpers here hide that.
"""

from __future__ import annotations

import gc
import importlib.util
import sys
from types import TracebackType
from typing import Any

ON_PYPY = sys.implementation.name == "pypy"


def collect_garbage(max_collections: int = 5) -> None:
    """Collect until a collection finds nothing more, at most ``max_collections`` times.

    What one collection frees can leave more garbage behind. On PyPy a
    collection is a full one and ``gc.collect()`` returns None: one is enough.
    """
    for _ in range(max_collections):
        if not gc.collect():
            return


def freeze_heap() -> None:
    """Move everything alive now out of the collector's sight (CPython's ``gc.freeze()``).

    Only makes later collections cheaper; PyPy has no such thing, and nothing
    is done there.
    """
    freeze = getattr(gc, "freeze", None)
    if freeze is not None:
        freeze()


def unfreeze_heap() -> None:
    """Undo :func:`freeze_heap`."""
    unfreeze = getattr(gc, "unfreeze", None)
    if unfreeze is not None:
        unfreeze()


class HeapMeter:
    """Bytes the Python heap holds, while in a ``with`` block.

    On CPython: ``tracemalloc``'s traced memory (started on entering, stopped on
    leaving). On PyPy, which has no ``tracemalloc``: after a full collection,
    the memory its GC holds for live objects (``gc.get_stats()``), which counts
    PyPy's own, smaller, object sizes.
    """

    def __init__(self) -> None:
        self._tracing = importlib.util.find_spec("_tracemalloc") is not None
        self.peak_seen = 0

    def __enter__(self) -> HeapMeter:
        if self._tracing:
            import tracemalloc

            tracemalloc.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._tracing:
            import tracemalloc

            tracemalloc.stop()

    def used(self) -> int:
        """Return the bytes held now; also updates :attr:`peak_seen`."""
        if self._tracing:
            import tracemalloc

            now, peak = tracemalloc.get_traced_memory()
        else:
            gc.collect()
            stats: Any = gc.get_stats()  # PyPy's: one object, not per-generation dicts
            # The public attributes are formatted text ("7.3MB"); ``_s`` has the numbers.
            now = peak = int(getattr(stats, "_s", stats).total_gc_memory)
        self.peak_seen = max(self.peak_seen, peak)
        return int(now)
