"""Argument checks with messages that name the argument and what was expected."""

from __future__ import annotations

import math
from typing import Any

__all__ = ["check_callable", "check_delay", "check_positive_int", "check_positive_seconds"]


def check_callable(value: object, argument: str, *, allow_none: bool = False) -> None:
    """Raise :class:`TypeError` unless ``value`` is callable (or ``None`` when allowed)."""
    if value is None and allow_none:
        return
    if not callable(value):
        expected = "a callable or None" if allow_none else "a callable"
        raise TypeError(f"{argument} must be {expected}, not {type(value).__name__} {value!r:.80}")


def _real(value: Any, argument: str, expected: str) -> float:
    if isinstance(value, bool):
        # True is an int, but never meant as one second.
        raise TypeError(f"{argument} must be {expected}, not bool {value!r}")
    if not isinstance(value, (int, float)):
        try:
            return float(value.__float__())
        except Exception:
            raise TypeError(f"{argument} must be {expected}, not {type(value).__name__}") from None
    return float(value)


def check_delay(value: object, argument: str = "delay") -> float:
    """Return ``value`` as seconds if it is a finite number ``>= 0``.

    Raises :class:`TypeError` for a non-number and :class:`ValueError` for a
    negative, NaN or infinite delay, naming ``argument``.
    """
    seconds = _real(value, argument, "a number of seconds")
    if not (0.0 <= seconds < math.inf):
        raise ValueError(f"{argument} must be a finite number of seconds >= 0, got {value!r}")
    return seconds


def check_positive_seconds(value: object, argument: str) -> float:
    """Return ``value`` if it is a finite number ``> 0``; else TypeError/ValueError naming it."""
    seconds = _real(value, argument, "a number of seconds")
    if not (0.0 < seconds < math.inf):
        raise ValueError(f"{argument} must be a finite number of seconds > 0, got {value!r}")
    return seconds


def check_positive_int(value: object, argument: str) -> int:
    """Return ``value`` if it is an int ``>= 1``; else TypeError/ValueError naming it."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{argument} must be an int >= 1, not {type(value).__name__}")
    if value < 1:
        raise ValueError(f"{argument} must be an int >= 1, got {value!r}")
    return value
