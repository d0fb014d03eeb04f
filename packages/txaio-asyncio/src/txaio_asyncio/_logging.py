"""Logging on asyncio: txaio loggers on top of the stdlib ``logging`` module.

The policy (levels, categories, formatting, never raising, ``start_logging``'s
rules, the line format) is txaio-core's; this module turns a log call into a
stdlib record, already formatted, sent straight to the handlers of the logger's
stdlib logger (``_logger``), so the stdlib levels cannot hide an event txaio
lets through. :func:`start_logging` adds one handler to the root logger, which
also writes the records of libraries that use ``logging`` directly.
"""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Mapping
from typing import IO, Any

from txaio_core.failure import failure_format_traceback, safe_str
from txaio_core.interfaces import ILogger
from txaio_core.levels import check_level
from txaio_core.log_categories import LogCategories
from txaio_core.log_format import append_failure, format_message, message_text, with_note
from txaio_core.log_output import LineWriter, LogOutput, TimeStamps
from txaio_core.log_support import caller_namespace, guess_stream_needs_encoding
from txaio_core.logger_base import Deliver, LevelledLogger, LevelRegistry

__all__ = [
    "Logger",
    "add_log_categories",
    "get_global_log_level",
    "guess_stream_needs_encoding",
    "make_logger",
    "set_global_log_level",
    "start_logging",
]

#: The stdlib level of each txaio level; "trace" is below DEBUG.
STDLIB_LEVELS: dict[str, int] = {
    "none": logging.CRITICAL + 10,
    "critical": logging.CRITICAL,
    "error": logging.ERROR,
    "warn": logging.WARNING,
    "info": logging.INFO,
    "debug": logging.DEBUG,
    "trace": 5,
}

_registry = LevelRegistry("info")
_categories = LogCategories()
_output = LogOutput()
_handler: _LineHandler | None = None


class Logger(LevelledLogger):
    """A txaio logger on asyncio; its events go to the stdlib logger ``_logger``."""

    def __init__(
        self, namespace: str, level: str | None = None, logger: logging.Logger | None = None
    ) -> None:
        self._logger = logger if logger is not None else logging.getLogger(namespace)
        super().__init__(namespace, _registry, _categories, level)

    def _deliverer(self, level: str) -> Deliver:
        target = self._logger
        stdlib_level = STDLIB_LEVELS[level]
        namespace = self.namespace

        def deliver(message: object, fields: dict[str, Any]) -> None:
            # The keys of the original's Twisted events, so messages format alike.
            fields["log_logger"] = target
            fields["log_level"] = level
            fields["log_namespace"] = namespace
            fields["log_source"] = None
            fields["log_format"] = message
            fields["log_time"] = time.time()
            text = format_message(message, fields)
            failure = fields.get("log_failure")
            if failure is not None:
                text = append_failure(text, failure, failure_format_traceback)
            target.handle(target.makeRecord(namespace, stdlib_level, "(txaio)", 0, text, (), None))

        return deliver

    def __repr__(self) -> str:
        return f"<txaio_asyncio.Logger {self.namespace!r} level={self.log_level!r}>"


def make_logger(level: str | None = None, logger: logging.Logger | None = None) -> ILogger:
    """Return a logger named after the calling class (in a method or class body) or module.

    With ``level`` the logger keeps that level; without, it follows the global
    level. ``logger`` is the stdlib logger to send events to (default: the one
    named after the namespace). Raises ``InvalidLogLevelError`` for an unknown
    level, :class:`TypeError` when ``logger`` is not a :class:`logging.Logger`.
    """
    if level is not None:
        check_level(level)
    if logger is not None and not isinstance(logger, logging.Logger):
        raise TypeError(f"logger must be a logging.Logger or None, not {type(logger).__name__}")
    return Logger(caller_namespace(sys._getframe(1)), level, logger)


def set_global_log_level(level: str) -> None:
    """Set the level of every logger without one of its own; ``InvalidLogLevelError`` if unknown."""
    _registry.set_level(level)
    if _handler is not None:
        logging.getLogger().setLevel(STDLIB_LEVELS[level])


def get_global_log_level() -> str:
    """Return the global log level."""
    return _registry.level


def add_log_categories(categories: Mapping[str, str]) -> None:
    """Register formats for ``log_category=``; :class:`TypeError` unless str to str."""
    _categories.add(categories)


def _record_text(record: logging.LogRecord) -> str:
    try:
        text = record.getMessage()
    except Exception as problem:  # another library's record whose %-arguments do not fit
        note = f"{type(problem).__name__}: {safe_str(problem)} (from {record.name!r})"
        text = with_note(message_text(record.msg), note)
    if record.exc_info and record.exc_info[1] is not None:
        text = append_failure(text, record.exc_info[1], failure_format_traceback)
    return text


class _LineHandler(logging.Handler):
    """Writes ``2024-01-21T01:02:03 message`` per record: the original's asyncio lines."""

    def __init__(self, out: IO[Any]) -> None:
        super().__init__(logging.NOTSET)
        self.out = out
        self._lines = LineWriter(out)
        self._stamps = TimeStamps(with_offset=False)

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self._lines.write(f"{self._stamps.text(record.created)} {_record_text(record)}")
        except Exception:
            self.handleError(record)


def _begin(stream: IO[Any]) -> None:
    global _handler
    _handler = _LineHandler(stream)
    logging.getLogger().addHandler(_handler)
    logging.getLogger().setLevel(STDLIB_LEVELS[_registry.level])


def start_logging(out: IO[Any] | None = None, level: str = "info") -> None:
    """Write every log event as a timestamped line to ``out`` (default ``sys.stdout``).

    ``out`` is a text or binary stream (UTF-8). Records of the stdlib
    ``logging`` module at ``level`` or above are written too. Called again with
    the same stream or ``out`` None, it only changes the level. Raises
    :class:`RuntimeError` when logging already goes to another stream,
    ``InvalidLogLevelError`` for an unknown level, :class:`TypeError` when
    ``out`` has no ``write``.
    """
    _output.start(
        out, level, default=lambda: sys.stdout, begin=_begin, set_level=set_global_log_level
    )


def _stop_logging() -> None:
    """Undo :func:`start_logging` (for tests): remove the handler, back to level "info"."""
    global _handler
    _output.stop()
    if _handler is not None:
        logging.getLogger().removeHandler(_handler)
        _handler = None
    _registry.set_level("info")
