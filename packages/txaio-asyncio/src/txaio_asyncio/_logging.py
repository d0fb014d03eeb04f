"""Logging on asyncio: txaio loggers on top of the stdlib ``logging`` module.

The policy (levels, categories, formatting, never raising, ``start_logging``'s
rules) is txaio-core's; this module turns a log call into a stdlib record and
writes records as lines. Each txaio logger sends its events, already
formatted, to its stdlib logger (``_logger``, named after the namespace), so an
application that configures ``logging`` itself sees them. The txaio level is
the only filter: records go straight to the handlers (``Logger.handle``), so
the stdlib levels cannot hide an event txaio lets through.
:func:`start_logging` adds one handler to the root logger, which also prints
the records of libraries that use ``logging`` directly.
"""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Callable, Mapping
from typing import IO, Any

from txaio_core.failure import failure_format_traceback, safe_str
from txaio_core.interfaces import ILogger
from txaio_core.levels import check_level
from txaio_core.log_categories import LogCategories, resolve_message
from txaio_core.log_format import (
    append_failure,
    format_message,
    format_with_positionals,
    message_text,
    with_note,
)
from txaio_core.log_output import LogOutput, report_broken_log_call
from txaio_core.log_support import caller_namespace, guess_stream_needs_encoding
from txaio_core.logger_base import LevelledLogger, LevelRegistry

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
        super().__init__(namespace, _registry, level)

    def _make_emitter(self, level: str) -> Callable[..., None]:
        target = self._logger
        stdlib_level = STDLIB_LEVELS[level]
        namespace = self.namespace
        trace = level == "trace"

        def emit(message: object = None, /, *args: Any, **fields: Any) -> None:
            try:
                message = resolve_message(message, fields, _categories)
                # The keys of the original's Twisted events, so messages format alike.
                fields["log_logger"] = target
                fields["log_level"] = level
                fields["log_namespace"] = namespace
                fields["log_source"] = None
                fields["log_format"] = message
                fields["log_time"] = time.time()
                if trace:
                    fields["txaio_trace"] = True
                if args:
                    text = format_with_positionals(message, args)
                else:
                    text = format_message(message, fields)
                failure = fields.get("log_failure")
                if failure is not None:
                    text = append_failure(text, failure, failure_format_traceback)
                target.handle(
                    target.makeRecord(namespace, stdlib_level, "(txaio)", 0, text, (), None)
                )
            except Exception as problem:
                report_broken_log_call(problem, message)

        emit.__name__ = level
        emit.__qualname__ = f"Logger.{level}"
        return emit

    def __repr__(self) -> str:
        return f"<txaio_asyncio.Logger {self.namespace!r} level={self.log_level!r}>"


def make_logger(level: str | None = None, logger: logging.Logger | None = None) -> ILogger:
    """Return a logger named after the calling class (in a method or class body) or module.

    With ``level`` the logger keeps that level; without, it follows the global
    level. ``logger`` is the stdlib logger to send events to (default: the one
    named after the namespace). Raises
    :class:`~txaio_core.levels.InvalidLogLevelError` for an unknown level and
    :class:`TypeError` when ``logger`` is not a :class:`logging.Logger`.
    """
    if level is not None:
        check_level(level)
    if logger is not None and not isinstance(logger, logging.Logger):
        raise TypeError(f"logger must be a logging.Logger or None, not {type(logger).__name__}")
    return Logger(caller_namespace(sys._getframe(1)), level, logger)


def set_global_log_level(level: str) -> None:
    """Set the level of every logger that has no level of its own.

    Raises :class:`~txaio_core.levels.InvalidLogLevelError` listing the valid levels.
    """
    _registry.set_level(level)
    if _handler is not None:
        logging.getLogger().setLevel(STDLIB_LEVELS[level])


def get_global_log_level() -> str:
    """Return the global log level."""
    return _registry.level


def add_log_categories(categories: Mapping[str, str]) -> None:
    """Register message formats: a log call with ``log_category=key`` uses ``categories[key]``.

    Raises :class:`TypeError` unless ``categories`` maps strings to strings.
    """
    _categories.add(categories)


class _LineFormatter(logging.Formatter):
    """``2024-01-21T01:02:03 message``: the line format of the original txaio on asyncio."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(message)s", datefmt="%Y-%m-%dT%H:%M:%S")
        self._second = -1
        self._stamp = ""

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:
        """Return the record's local time to the second, formatting each second only once."""
        # strftime is most of the cost of an emitted line, and busy servers log
        # many lines per second: reuse the text while the second is the same.
        second = int(record.created)
        if second != self._second:
            self._stamp = super().formatTime(record, datefmt)
            self._second = second
        return self._stamp

    def format(self, record: logging.LogRecord) -> str:
        try:
            return super().format(record)
        except Exception as problem:
            # A record of another library whose message cannot be formatted.
            note = f"{type(problem).__name__}: {safe_str(problem)} (from {record.name!r})"
            text = with_note(message_text(record.msg), note)
            return f"{self.formatTime(record, self.datefmt)} {text}"


class _LineHandler(logging.Handler):
    """Writes one formatted line per record to a text or binary stream (UTF-8)."""

    def __init__(self, out: IO[Any]) -> None:
        super().__init__(logging.NOTSET)
        self.out = out
        self.binary = guess_stream_needs_encoding(out, default=False)
        self._flush = getattr(out, "flush", None)
        self.setFormatter(_LineFormatter())

    def emit(self, record: logging.LogRecord) -> None:
        try:
            line = self.format(record) + "\n"
            if self.binary:
                self.out.write(line.encode("utf-8"))
            else:
                self.out.write(line)
            if self._flush is not None:
                self._flush()
        except Exception:
            self.handleError(record)


def _begin(stream: IO[Any]) -> None:
    global _handler
    _handler = _LineHandler(stream)
    root = logging.getLogger()
    root.addHandler(_handler)
    root.setLevel(STDLIB_LEVELS[_registry.level])


def start_logging(out: IO[Any] | None = None, level: str = "info") -> None:
    """Write every log event, one timestamped line each, to ``out`` (default ``sys.stdout``).

    ``out`` is a text stream, or a binary one (then lines are UTF-8). Sets the
    global level to ``level``; records of the stdlib ``logging`` module at that
    level or above are written too. Calling it again with the same stream, or
    with ``out`` None, only changes the level. Raises :class:`RuntimeError` when
    logging already goes to another stream,
    :class:`~txaio_core.levels.InvalidLogLevelError` listing the valid levels
    for an unknown ``level``, :class:`TypeError` when ``out`` has no ``write``.
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
