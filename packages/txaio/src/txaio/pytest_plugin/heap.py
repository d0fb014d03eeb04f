"""The garbage collector as the plugin uses it, on CPython and on PyPy alike."""

from __future__ import annotations

import gc
from collections.abc import Callable

__all__ = ["collect_garbage", "freeze", "unfreeze"]

#: At most this many collections: what one frees can leave more garbage behind.
_MAX_COLLECTIONS = 5

#: Move everything alive now out of the collector's sight (CPython's ``gc.freeze()``),
#: so later collections look only at what a test made. PyPy has none: nothing is done.
freeze: Callable[[], None] = getattr(gc, "freeze", lambda: None)

#: Undo :func:`freeze`.
unfreeze: Callable[[], None] = getattr(gc, "unfreeze", lambda: None)


def collect_garbage() -> None:
    """Collect until a collection finds nothing more, so pending reports arrive now.

    Returns None. On PyPy ``gc.collect()`` returns None (a full collection): one is done.
    """
    for _ in range(_MAX_COLLECTIONS):
        if not gc.collect():
            return
