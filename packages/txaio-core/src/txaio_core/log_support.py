"""Helpers both backends' logging needs: logger names and stream kinds."""

from __future__ import annotations

import io
from inspect import CO_OPTIMIZED
from types import FrameType
from typing import Any

__all__ = ["caller_namespace", "guess_stream_needs_encoding"]


def caller_namespace(frame: FrameType | None, default: str = "txaio") -> str:
    """Return the name a logger made in ``frame`` gets.

    ``module.Class`` for a class body or a method (a function whose first
    parameter is ``self`` or ``cls``), otherwise the module's ``__name__``;
    ``default`` when there is no frame.
    """
    if frame is None:
        return default
    code = frame.f_code
    if code.co_flags & CO_OPTIMIZED:
        first_names = code.co_varnames[: min(code.co_argcount, 1)]
        if first_names and first_names[0] in ("self", "cls"):
            first = frame.f_locals.get(first_names[0])
            owner = first if isinstance(first, type) else type(first)
            return f"{owner.__module__}.{owner.__qualname__}"
    else:
        # A class body keeps __module__ and __qualname__ among its locals.
        qualname = frame.f_locals.get("__qualname__")
        class_module = frame.f_locals.get("__module__")
        if isinstance(qualname, str) and isinstance(class_module, str):
            return f"{class_module}.{qualname}"
    return str(frame.f_globals.get("__name__", default))


def guess_stream_needs_encoding(fileobj: Any, default: bool = True) -> bool:
    """Return whether ``fileobj`` takes bytes (True) rather than text (False).

    Decided by its type (the ``io`` text or binary classes), its ``mode`` or
    its ``encoding``; ``default`` when none of them tells.
    """
    if isinstance(fileobj, io.TextIOBase):
        return False
    if isinstance(fileobj, (io.RawIOBase, io.BufferedIOBase)):
        return True
    mode = getattr(fileobj, "mode", None)
    if isinstance(mode, str):
        return "b" in mode
    if isinstance(getattr(fileobj, "encoding", None), str):
        return False
    return default
