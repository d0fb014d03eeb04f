"""Rendering log messages: PEP 3101 formatting that never raises.

A message that cannot be formatted (a missing field, a field whose
``__str__`` or ``__format__`` raises, an unbalanced brace, a positional
field) is written as its own text, whole, followed by one short note saying
what could not be formatted. So a traceback logged as a message stays
readable even when it contains braces.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from txaio_core.failure import safe_str
from txaio_core.interfaces import IFailedFuture

__all__ = [
    "MessageFields",
    "append_failure",
    "escape_braces",
    "format_message",
    "format_with_positionals",
    "message_text",
    "safe_repr",
    "with_note",
]

_NOTE_LIMIT = 200


def safe_repr(obj: object) -> str:
    """Return ``repr(obj)``, or a description of the problem when that raises."""
    try:
        return repr(obj)
    except Exception as problem:
        return (
            f"<unrepresentable {type(obj).__name__} object: repr() raised {type(problem).__name__}>"
        )


def message_text(message: object) -> str:
    """Return ``message`` as text: a string as is, bytes decoded as UTF-8, None as ``""``.

    Anything else is its ``str()`` (or a description when that raises). Never raises.
    """
    if isinstance(message, str):
        return message
    if message is None:
        return ""
    if isinstance(message, (bytes, bytearray)):
        return bytes(message).decode("utf-8", "replace")
    return safe_str(message)


def with_note(text: str, note: str) -> str:
    """Return ``text`` followed by ``note`` saying why it was not formatted.

    The note goes on the same line for a one-line text, on a line of its own
    after a multi-line one (a traceback keeps its shape).
    """
    note = note.replace("\n", " ")
    if len(note) > _NOTE_LIMIT:
        note = note[: _NOTE_LIMIT - 3] + "..."
    marker = f"[txaio: could not format the message: {note}]"
    if "\n" in text:
        return f"{text.rstrip(chr(10))}\n{marker}"
    return f"{text} {marker}" if text else marker


def _describe(problem: Exception) -> str:
    if type(problem) is KeyError and len(problem.args) == 1:
        return f"no field {safe_repr(problem.args[0])} was given"
    if type(problem) is ValueError and "positional fields" in str(problem):
        # What str.format_map says of "{0}" or "{}".
        return "a positional field ({0} or {}); log messages take keyword fields only"
    return f"{type(problem).__name__}: {safe_str(problem)}"


def format_message(message: object, fields: Mapping[str, Any]) -> str:
    """Return ``message`` formatted with ``fields`` (PEP 3101, like ``str.format_map``).

    Bytes are decoded as UTF-8 first; None is the empty message; other
    non-strings are written as their ``str()`` unformatted. Never raises: when
    formatting fails the result is the message's own text followed by one
    short note naming the problem (see ``with_note``).
    """
    if type(message) is not str:
        if isinstance(message, (bytes, bytearray)):
            message = message_text(message)
        else:
            return message_text(message)
    try:
        return message.format_map(fields)
    except Exception as problem:
        return with_note(message, _describe(problem))


class MessageFields(Mapping[str, Any]):
    """An event's fields as its message sees them: ``log_level`` is the txaio level name.

    For frameworks whose events carry their own level object (Twisted's
    ``LogLevel``), so that ``"{log_level}"`` writes ``info`` on every framework.
    """

    __slots__ = ("_fields", "_level")

    def __init__(self, fields: Mapping[str, Any], level: str) -> None:
        self._fields = fields
        self._level = level

    def __getitem__(self, key: str) -> Any:
        if key == "log_level":
            return self._level
        return self._fields[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._fields)

    def __len__(self) -> int:
        return len(self._fields)


def format_with_positionals(message: object, args: tuple[Any, ...]) -> str:
    """Return the text written for a log call given positional arguments after its message.

    Log calls take keyword fields only: the message is written unformatted,
    with a note showing the arguments. Never raises.
    """
    shown = safe_repr(args)
    return with_note(
        message_text(message),
        f"log calls take keyword fields only; positional arguments given: {shown}",
    )


def escape_braces(text: str) -> str:
    """Return ``text`` as a PEP 3101 format that renders as ``text`` itself."""
    return text.replace("{", "{{").replace("}", "}}")


def append_failure(
    text: str, failure: object, format_traceback: Callable[[IFailedFuture], str]
) -> str:
    """Return ``text`` followed, on the next lines, by the traceback of ``failure``.

    ``failure`` is the ``log_failure`` field of a log call: an
    :class:`IFailedFuture` (formatted with ``format_traceback``), an exception
    (its own traceback), or anything else (a line saying it is not a failure).
    Never raises.
    """
    try:
        if isinstance(failure, IFailedFuture):
            details = format_traceback(failure)
        elif isinstance(failure, BaseException):
            details = "".join(
                traceback.format_exception(type(failure), failure, failure.__traceback__)
            )
        else:
            details = f"(log_failure is not a failure: {safe_repr(failure)})"
    except Exception as problem:
        details = (
            f"(the traceback of log_failure could not be formatted: "
            f"{type(problem).__name__}: {safe_str(problem)})"
        )
    details = details.rstrip("\n")
    return f"{text}\n{details}" if text else details
