"""Rendering log messages: PEP 3101 formatting that never raises."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from txaio_core.failure import safe_str

__all__ = ["format_message", "safe_repr"]


def safe_repr(obj: object) -> str:
    """Return ``repr(obj)``, or a description of the problem when that raises."""
    try:
        return repr(obj)
    except Exception as problem:
        return (
            f"<unrepresentable {type(obj).__name__} object: repr() raised {type(problem).__name__}>"
        )


def format_message(message: object, fields: Mapping[str, Any]) -> str:
    """Return ``message`` formatted with ``fields`` (PEP 3101, like ``str.format``).

    Never raises: when formatting fails (a missing key, a format spec that does
    not apply, a field whose ``__str__`` raises, a message that is not text) the
    result is a line that says so, with the message and the problem.
    """
    if isinstance(message, bytes):
        message = message.decode("utf-8", "replace")
    if not isinstance(message, str):
        return safe_str(message)
    try:
        return message.format_map(fields)
    except Exception as problem:
        return (
            f"Unable to format log message {safe_repr(message)}: "
            f"{type(problem).__name__}: {safe_str(problem)}"
        )
