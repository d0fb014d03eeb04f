"""Log categories: message formats registered under a name, used with ``log_category=``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["LogCategories", "check_categories", "resolve_message"]


def check_categories(categories: object) -> dict[str, str]:
    """Return ``categories`` as a dict if it is a ``Mapping`` of strings to strings.

    Raises :class:`TypeError` naming ``categories`` and the first entry that is
    not a string-to-string pair.
    """
    if not isinstance(categories, Mapping):
        raise TypeError(
            "categories must be a mapping of category names (str) to message formats (str), "
            f"not {type(categories).__name__}"
        )
    checked: dict[str, str] = {}
    for key, value in categories.items():
        if not isinstance(key, str) or not isinstance(value, str):
            raise TypeError(
                "categories must map category names (str) to message formats (str); "
                f"got {key!r:.80}: {type(value).__name__}"
            )
        checked[key] = value
    return checked


class LogCategories:
    """The categories registered with one backend's ``add_log_categories``."""

    def __init__(self) -> None:
        self._formats: dict[str, str] = {}

    def add(self, categories: object) -> None:
        """Register every format of ``categories`` (a ``Mapping[str, str]``), all or none.

        Raises :class:`TypeError` as ``check_categories`` does.
        """
        self._formats.update(check_categories(categories))

    def format_for(self, category: object, message: object) -> object:
        """Return the format registered for ``category``, else ``message``.

        A category that is not a string (even an unhashable one) is never a
        registered one: the answer is ``message``. Never raises.
        """
        if isinstance(category, str):
            return self._formats.get(category, message)
        return message

    def clear(self) -> None:
        """Forget every registered category."""
        self._formats.clear()


def resolve_message(message: object, fields: dict[str, Any], categories: LogCategories) -> object:
    """Return the message a log call writes, taking ``format=`` and ``log_category=`` into account.

    Without a positional message, a ``format=`` keyword is the message (the
    original txaio's parameter name) and is removed from ``fields``. A
    registered ``log_category`` replaces the message. Never raises.
    """
    if message is None and "format" in fields:
        message = fields.pop("format")
    category = fields.get("log_category")
    if category is not None:
        return categories.format_for(category, message)
    return message
