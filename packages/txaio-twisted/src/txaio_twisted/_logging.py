"""Logging on ``twisted.logger``: txaio loggers, levels, and the text output.

A txaio logger emits ``twisted.logger`` events (``trace`` as ``debug`` marked
``txaio_trace``); its level methods below its level are :func:`txaio_core.no_op`.
:func:`start_logging` begins Twisted's global logging with one observer that
writes every txaio event (already filtered by its logger) and every other
Twisted event (``twisted.logger.Logger``, legacy ``twisted.python.log``) at or
above the current global level.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import IO, Any, cast

from twisted.logger import (
    ILogObserver,
    LoggingFile,
    LogLevel,
    formatEvent,
    globalLogBeginner,
)
from twisted.logger import Logger as TwistedLogger
from twisted.python.failure import Failure

from txaio_core.failure import safe_str
from txaio_core.interfaces import IFailedFuture
from txaio_core.levels import check_level, is_enabled
from txaio_core.log_format import format_message
from txaio_core.log_support import caller_namespace, guess_stream_needs_encoding
from txaio_core.logger_base import LevelledLogger, LevelRegistry
from txaio_twisted._failures import failure_format_traceback

__all__ = [
    "LogWriter",
    "Logger",
    "add_log_categories",
    "get_global_log_level",
    "guess_stream_needs_encoding",
    "make_logger",
    "set_global_log_level",
    "start_logging",
]

#: The Twisted level each txaio level is emitted at.
TO_TWISTED: dict[str, LogLevel] = {
    "critical": LogLevel.critical,
    "error": LogLevel.error,
    "warn": LogLevel.warn,
    "info": LogLevel.info,
    "debug": LogLevel.debug,
    "trace": LogLevel.debug,
}
_FROM_TWISTED: dict[LogLevel, str] = {
    LogLevel.critical: "critical",
    LogLevel.error: "error",
    LogLevel.warn: "warn",
    LogLevel.info: "info",
    LogLevel.debug: "debug",
}

_registry = LevelRegistry("info")
_categories: dict[str, str] = {}
_time = time.time


def _report_broken_log_call(problem: BaseException) -> None:
    # A log call must never raise into application code, but nor may the
    # problem vanish: say so on stderr, which is still there when logging is not.
    try:
        sys.__stderr__.write(  # type: ignore[union-attr]
            f"txaio: a log call failed: {type(problem).__name__}: {safe_str(problem)}\n"
        )
    except Exception:
        pass


def _send(
    twisted_logger: TwistedLogger,
    level: str,
    message: object,
    fields: dict[str, Any],
) -> None:
    """Emit one event at txaio ``level`` through ``twisted_logger``'s observer."""
    category = fields.get("log_category")
    if category is not None and type(category) is str:
        category_format = _categories.get(category)
        if category_format is not None:
            message = category_format
    fields["log_logger"] = twisted_logger
    fields["log_level"] = TO_TWISTED[level]
    fields["log_namespace"] = twisted_logger.namespace
    fields["log_source"] = twisted_logger.source
    fields["log_format"] = message
    fields["log_time"] = _time()
    fields["txaio_level"] = level
    if level == "trace":
        fields["txaio_trace"] = True
    cast("Callable[[dict[str, Any]], None]", twisted_logger.observer)(fields)


class Logger(LevelledLogger):
    """A txaio logger on ``twisted.logger``: see :class:`txaio_core.ILogger`.

    Besides the level methods it offers :meth:`failure` (log a ``Failure``
    with its traceback), :meth:`emit` (log at a level given by name) and
    :meth:`set_log_level`. A level set on the logger itself survives changes
    of the global level.
    """

    def __init__(
        self,
        namespace: str,
        level: str | None = None,
        logger: Any = None,
        observer: Any = None,
        registry: LevelRegistry = _registry,
    ) -> None:
        if logger is None or isinstance(logger, type):
            factory = TwistedLogger if logger is None else logger
            logger = factory(namespace=namespace, observer=observer)
        self._twisted_logger: TwistedLogger = logger
        super().__init__(namespace, registry, level)

    def _make_emitter(self, level: str) -> Callable[..., None]:
        twisted_logger = self._twisted_logger

        def emit(message: object = None, /, **fields: Any) -> None:
            try:
                _send(twisted_logger, level, message, fields)
            except Exception as problem:
                _report_broken_log_call(problem)

        emit.__name__ = level
        return emit

    def emit(self, level: str, message: object = None, /, **fields: Any) -> None:
        """Log ``message`` at ``level`` (a txaio level name) if the logger's level allows."""
        try:
            if is_enabled(check_level(level), self.log_level):
                _send(self._twisted_logger, level, message, fields)
        except Exception as problem:
            _report_broken_log_call(problem)

    def failure(
        self,
        message: object = None,
        /,
        failure: IFailedFuture | None = None,
        level: str = "critical",
        **fields: Any,
    ) -> None:
        """Log ``failure`` (default: the exception being handled) with its traceback.

        ``message`` is formatted with ``fields`` and ``log_failure`` (the
        failure); the traceback follows it in the output. Never raises.
        """
        try:
            if not is_enabled(check_level(level), self.log_level):
                return
            if failure is None:
                if sys.exc_info()[1] is None:
                    raise RuntimeError(
                        "Logger.failure() without a failure must be called inside an 'except' block"
                    )
                failure = Failure()  # type: ignore[no-untyped-call, assignment]
            fields["log_failure"] = failure
            _send(self._twisted_logger, level, message, fields)
        except Exception as problem:
            _report_broken_log_call(problem)

    def __repr__(self) -> str:
        return f"<txaio_twisted.Logger {self.namespace!r} level={self.log_level!r}>"


def make_logger(level: str | None = None, logger: Any = None, observer: Any = None) -> Logger:
    """Return a :class:`Logger` named after the calling class or module.

    Made in a class body (``log = make_logger()``) or a method its namespace
    is ``module.Class``; elsewhere the calling module's name. With ``level`` the
    logger keeps that level whatever the global level; without it, it follows
    the global level. ``logger`` may be a ``twisted.logger.Logger`` (class or
    instance) to emit through, ``observer`` the observer for a new one.
    Raises :class:`ValueError` listing the valid levels for an unknown ``level``.
    """
    if level is not None:
        check_level(level)
    namespace = caller_namespace(sys._getframe(1))
    return Logger(namespace, level=level, logger=logger, observer=observer)


def format_time(when: object) -> str:
    """Return ``when`` (seconds since the epoch) as local ISO 8601 time, ``"-"`` if unknown.

    Like ``twisted.logger.formatTime``, without the ``utcfromtimestamp`` that
    older Twisted releases call and Python 3.12 deprecates.
    """
    if isinstance(when, bool) or not isinstance(when, (int, float)):
        return "-"
    try:
        return datetime.fromtimestamp(when).astimezone().strftime("%Y-%m-%dT%H:%M:%S%z")
    except (OverflowError, OSError, ValueError):
        return "-"


def _event_text(event: dict[str, Any]) -> str:
    """Return the text of ``event``: its message, then the failure's traceback if any."""
    if "txaio_level" in event:
        log_format = event.get("log_format")
        text = "" if log_format is None else format_message(log_format, event)
    else:
        text = formatEvent(event)
    failure = event.get("log_failure")
    if failure is not None:
        if isinstance(failure, IFailedFuture):
            traceback_text = failure_format_traceback(failure).rstrip("\n")
        else:
            traceback_text = f"(log_failure is not a failure: {safe_str(failure)})"
        text = f"{text}\n{traceback_text}" if text else traceback_text
    return text


class LogWriter:
    """The observer :func:`start_logging` installs: lines of text on ``out``.

    Each line is the event's time and its text (and a failure's traceback).
    Events of txaio loggers are written as they come (their logger filtered
    them); other events only at or above the global level. ``out`` may take
    text or bytes (UTF-8 is written to binary streams).
    """

    def __init__(self, out: IO[Any], registry: LevelRegistry = _registry) -> None:
        self.out = out
        self._binary = guess_stream_needs_encoding(out, default=False)
        self._registry = registry

    def __call__(self, event: dict[str, Any]) -> None:
        """Write ``event`` if its level passes."""
        if "txaio_level" not in event:
            if event.get("txaio_trace"):
                level = "trace"
            else:
                level = _FROM_TWISTED.get(event.get("log_level"), "info")  # type: ignore[arg-type]
            if not is_enabled(level, self._registry.level):
                return
        try:
            text = _event_text(event)
        except Exception as problem:
            # Twisted would drop an observer that raises: say what went wrong instead.
            text = f"Unable to format a log event: {type(problem).__name__}: {safe_str(problem)}"
        line = f"{format_time(event.get('log_time'))} {text}\n"
        out = self.out
        if self._binary:
            out.write(line.encode("utf-8", "backslashreplace"))
        else:
            out.write(line)
        flush = getattr(out, "flush", None)
        if flush is not None:
            flush()


_writer: LogWriter | None = None


def _stream(out: object) -> Any:
    """Return ``out``, or ``None`` for "the default": a stream Twisted redirected into the log.

    Writing the log into such a stream (``sys.stdout`` after :func:`start_logging`)
    would feed it back into the log forever.
    """
    if out is None or isinstance(out, LoggingFile):
        return None
    return out


def start_logging(out: IO[Any] | None = None, level: str = "info") -> None:
    """Begin Twisted's global logging to ``out`` (default: ``sys.stdout``) at ``level``.

    ``out`` is a text stream, or a binary one (then lines are UTF-8). Standard
    output and error are redirected into the log, as Twisted does. Calling it
    again with the same stream, or with ``out`` None, only changes the level.
    Raises :class:`RuntimeError` when logging already goes to another stream,
    :class:`ValueError` listing the valid levels for an unknown ``level`` and
    :class:`TypeError` when ``out`` has no ``write()``.
    """
    global _writer
    check_level(level)
    if out is not None and not callable(getattr(out, "write", None)):
        raise TypeError(f"out must be a text or binary stream, not {type(out).__name__}")
    stream = _stream(out)
    if _writer is not None:
        if stream is not None and stream is not _writer.out:
            raise RuntimeError(
                f"start_logging(): logging already goes to {_writer.out!r:.80}, not to "
                f"out={out!r:.80}; call it again with the same stream (or out=None) "
                "to change the level"
            )
        set_global_log_level(level)
        return
    if stream is None:
        stream = _stream(sys.stdout) or sys.__stdout__
    _writer = LogWriter(stream)
    set_global_log_level(level)
    globalLogBeginner.beginLoggingTo([cast(ILogObserver, _writer)])


def set_global_log_level(level: str) -> None:
    """Set the level of every logger without a level of its own, and of the output.

    Raises :class:`ValueError` listing the valid levels for an unknown one.
    """
    _registry.set_level(level)


def get_global_log_level() -> str:
    """Return the global log level."""
    return _registry.level


def add_log_categories(categories: dict[str, str]) -> None:
    """Register message formats: an event with ``log_category=key`` uses ``categories[key]``.

    Raises :class:`TypeError` unless ``categories`` maps strings to strings.
    """
    if not isinstance(categories, Mapping):
        raise TypeError(
            f"categories must be a dict of category -> format, not {type(categories).__name__}"
        )
    for key, value in categories.items():
        if not isinstance(key, str) or not isinstance(value, str):
            raise TypeError(f"categories must map str to str; got {key!r}: {type(value).__name__}")
    _categories.update(categories)
