"""Callbacks that record what they receive, for tests of futures."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

__all__ = ["recording"]

_T = TypeVar("_T")


def recording(seen: list[Any], tag: object = None) -> Callable[[_T], _T]:
    """Return a callback (or errback) that appends its argument to ``seen`` and returns it.

    With ``tag`` it appends ``(tag, argument)``, so one list can record several
    callbacks in the order they ran.
    """

    def record(value: _T) -> _T:
        seen.append(value if tag is None else (tag, value))
        return value

    return record
