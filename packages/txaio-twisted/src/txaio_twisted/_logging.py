"""Logging on ``twisted.logger``: txaio loggers as Twisted events, and the text output.

The policy (levels, categories, formatting, never raising, ``start_logging``'s
rules) is txaio-core's; this module turns a log call into a ``twisted.logger``
event with exactly the keys the original txaio's events had, and writes events
as lines. A txaio logger emits through a ``twisted.logger.Logger`` (its
``_logger``): a plain one gets the event built directly, any other (a subclass,
a stand-in) gets every call through its own ``emit`` / ``failure``.
:func:`start_logging` begins Twisted's global logging with one observer that
writes every txaio event (already filtered by its logger) and every other
Twisted event (``twisted.logger.Logger``, legacy ``twisted.python.log``) at or
above the current global level.
"""

from __future__ import annotations

import math
import sys
import time
import weakref
from collections.abc import Callable, Iterator, Mapping
from datetime import datetime
from typing import IO, Any, cast

from twisted.logger import ILogObserver, LoggingFile, LogLevel, formatEvent, globalLogBeginner
from twisted.logger import Logger as TwistedLogger
from twisted.python.failure import Failure

from txaio_core.levels import check_level, is_enabled, level_name
from txaio_core.log_categories import LogCategories, resolve_message
from txaio_core.log_format import (
    append_failure,
    escape_braces,
    format_message,
    format_with_positionals,
    with_note,
)
from txaio_core.log_output import LogOutput, report_broken_log_call
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

#: The Twisted level each txaio level is emitted at ("trace" is debug marked ``txaio_trace``).
TO_TWISTED: dict[str, LogLevel] = {
    "critical": LogLevel.critical,
    "error": LogLevel.error,
    "warn": LogLevel.warn,
    "info": LogLevel.info,
    "debug": LogLevel.debug,
    "trace": LogLevel.debug,
}
_FROM_TWISTED: dict[LogLevel, str] = {
    value: key for key, value in TO_TWISTED.items() if key != "trace"
}

_registry = LevelRegistry("info")
_categories = LogCategories()
_output = LogOutput()
_time = time.time
#: The Twisted loggers txaio loggers emit through: their events are already filtered.
_txaio_emitters: weakref.WeakSet[Any] = weakref.WeakSet()

Send = Callable[[Any, LogLevel, object, dict[str, Any]], None]


def _send(
    twisted_logger: TwistedLogger, level: LogLevel, message: object, fields: dict[str, Any]
) -> None:
    """Emit ``fields`` as ``twisted_logger.emit(level, message, **fields)`` would (unchecked)."""
    fields["log_logger"] = twisted_logger
    fields["log_level"] = level
    fields["log_namespace"] = twisted_logger.namespace
    fields["log_source"] = twisted_logger.source
    fields["log_format"] = message
    fields["log_time"] = _time()
    if "log_trace" in fields:
        fields["log_trace"].append((twisted_logger, twisted_logger.observer))
    cast("Callable[[dict[str, Any]], None]", twisted_logger.observer)(fields)


def _send_through_emit(
    twisted_logger: Any, level: LogLevel, message: object, fields: dict[str, Any]
) -> None:
    twisted_logger.emit(level, message, **fields)


class Logger(LevelledLogger):
    """A txaio logger on ``twisted.logger``: see :class:`txaio_core.ILogger`.

    Made by :func:`make_logger`. Besides the level methods it offers
    :meth:`failure`, :meth:`emit` and :meth:`set_log_level`; ``_logger`` is the
    ``twisted.logger.Logger`` it emits through.
    """

    def __init__(
        self,
        level: str | None = None,
        logger: Any = None,
        namespace: str | None = None,
        observer: Any = None,
    ) -> None:
        if not logger:
            raise AssertionError(
                "Should not be instantiated directly: txaio loggers come from make_logger()"
            )
        if namespace is None:
            namespace = caller_namespace(sys._getframe(1))
        if not isinstance(logger, TwistedLogger):
            if not callable(logger):
                raise TypeError(
                    f"logger must be a twisted.logger.Logger or a class making one, "
                    f"not {type(logger).__name__}"
                )
            logger = logger(observer=observer, namespace=namespace)
        self._logger: Any = logger
        try:
            _txaio_emitters.add(logger)
        except TypeError:  # not weakly referenceable or not hashable: events get filtered
            pass
        super().__init__(namespace, _registry, level)

    def _make_emitter(self, level: str) -> Callable[..., None]:
        twisted_logger = self._logger
        twisted_level = TO_TWISTED[level]
        trace = level == "trace"
        send: Send = _send if type(twisted_logger) is TwistedLogger else _send_through_emit

        def emit(message: object = None, /, *args: Any, **fields: Any) -> None:
            try:
                message = resolve_message(message, fields, _categories)
                if args:
                    message = escape_braces(format_with_positionals(message, args))
                if trace:
                    fields["txaio_trace"] = True
                send(twisted_logger, twisted_level, message, fields)
            except Exception as problem:
                report_broken_log_call(problem, message)

        emit.__name__ = level
        return emit

    def failure(
        self,
        message: object = None,
        /,
        failure: Any = None,
        level: object = "critical",
        **fields: Any,
    ) -> None:
        """Log ``failure`` (default: the exception being handled) with its traceback.

        ``level`` is a txaio level name or a Twisted ``LogLevel``; filtered by
        the logger's level. ``message`` is formatted with ``fields`` and
        ``log_failure`` (the failure); the traceback follows it in the output.
        Never raises.
        """
        try:
            name = level_name(level)
            if not is_enabled(name, self._log_level):
                return
            if failure is None:
                if sys.exc_info()[1] is None:
                    raise RuntimeError(
                        "Logger.failure() without a failure must be called inside an 'except' block"
                    )
                failure = Failure()  # type: ignore[no-untyped-call]
            message = resolve_message(message, fields, _categories)
            if name == "trace":
                fields["txaio_trace"] = True
            logger = self._logger
            if type(logger) is TwistedLogger:
                fields["log_failure"] = failure
                _send(logger, TO_TWISTED[name], message, fields)
            else:
                logger.failure(message, failure, TO_TWISTED[name], **fields)
        except Exception as problem:
            report_broken_log_call(problem, message)

    def __repr__(self) -> str:
        return f"<txaio_twisted.Logger {self.namespace!r} level={self.log_level!r}>"


def make_logger(level: str | None = None, logger: Any = None, observer: Any = None) -> Logger:
    """Return a :class:`Logger` named after the calling class or module.

    Made in a class body (``log = make_logger()``) or a method its namespace
    is ``module.Class``; elsewhere the calling module's name. With ``level`` the
    logger keeps that level whatever the global level; without it, it follows
    the global level. ``logger`` is a ``twisted.logger.Logger`` to emit through,
    or a class (or any callable) called as ``logger(observer=..., namespace=...)``
    to make one; ``observer`` is the observer for a new one. Raises
    :class:`~txaio_core.levels.InvalidLogLevelError` for an unknown ``level``.
    """
    if level is not None:
        check_level(level)
    namespace = caller_namespace(sys._getframe(1))
    return Logger(level, TwistedLogger if logger is None else logger, namespace, observer)


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


class _OwnEventFields(Mapping[str, Any]):
    """A txaio event's fields as its message sees them: ``log_level`` is the txaio level name."""

    __slots__ = ("_event", "_level")

    def __init__(self, event: dict[str, Any], level: str) -> None:
        self._event = event
        self._level = level

    def __getitem__(self, key: str) -> Any:
        if key == "log_level":
            return self._level
        return self._event[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._event)

    def __len__(self) -> int:
        return len(self._event)


def _is_txaio_event(event: dict[str, Any]) -> bool:
    try:
        return event.get("log_logger") in _txaio_emitters
    except TypeError:
        return False


def _event_level(event: dict[str, Any]) -> str:
    if event.get("txaio_trace"):
        return "trace"
    return _FROM_TWISTED.get(event.get("log_level"), "info")  # type: ignore[arg-type]


def _event_text(event: dict[str, Any], own: bool) -> str:
    """Return the text of ``event``: its message, then the failure's traceback if any."""
    if own:
        text = format_message(event.get("log_format"), _OwnEventFields(event, _event_level(event)))
    else:
        text = formatEvent(event)
    failure = event.get("log_failure")
    if failure is not None:
        text = append_failure(text, failure, failure_format_traceback)
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
        self._second: int | None = None
        self._stamp = "-"

    def _time_stamp(self, when: object) -> str:
        # Formatting the time is much of the cost of a line: do it once per second.
        if type(when) is not float or not math.isfinite(when):
            return format_time(when)
        second = math.floor(when)
        if second != self._second:
            self._stamp = format_time(when)
            self._second = second
        return self._stamp

    def __call__(self, event: dict[str, Any]) -> None:
        """Write ``event`` if its level passes."""
        own = _is_txaio_event(event)
        if not own and not is_enabled(_event_level(event), self._registry.level):
            return
        try:
            text = _event_text(event, own)
        except Exception as problem:
            # Twisted would drop an observer that raises: say what went wrong instead.
            text = with_note("(a log event)", f"{type(problem).__name__}: {problem!s:.100}")
        line = f"{self._time_stamp(event.get('log_time'))} {text}\n"
        out = self.out
        if self._binary:
            out.write(line.encode("utf-8", "backslashreplace"))
        else:
            out.write(line)
        flush = getattr(out, "flush", None)
        if flush is not None:
            flush()


_writer: LogWriter | None = None


def _default_stream() -> Any:
    # sys.stdout after a start_logging feeds the log: writing the log there would loop.
    stdout = sys.stdout
    if stdout is None or isinstance(stdout, LoggingFile):
        return sys.__stdout__
    return stdout


def _begin(stream: Any) -> None:
    global _writer
    _writer = LogWriter(stream)
    globalLogBeginner.beginLoggingTo([cast(ILogObserver, _writer)])


def start_logging(out: IO[Any] | None = None, level: str = "info") -> None:
    """Begin Twisted's global logging to ``out`` (default: ``sys.stdout``) at ``level``.

    ``out`` is a text stream, or a binary one (then lines are UTF-8). Standard
    output and error are redirected into the log, as Twisted does. Calling it
    again with the same stream, or with ``out`` None (or the redirected
    ``sys.stdout``), only changes the level. Raises :class:`RuntimeError` when
    logging already goes to another stream,
    :class:`~txaio_core.levels.InvalidLogLevelError` listing the valid levels
    for an unknown ``level`` and :class:`TypeError` when ``out`` has no ``write()``.
    """
    _output.start(
        out,
        level,
        default=_default_stream,
        begin=_begin,
        set_level=set_global_log_level,
        means_default=lambda given: isinstance(given, LoggingFile),
    )


def set_global_log_level(level: str) -> None:
    """Set the level of every logger without a level of its own, and of the output.

    Raises :class:`~txaio_core.levels.InvalidLogLevelError` listing the valid levels.
    """
    _registry.set_level(level)


def get_global_log_level() -> str:
    """Return the global log level."""
    return _registry.level


def add_log_categories(categories: Mapping[str, str]) -> None:
    """Register message formats: an event with ``log_category=key`` uses ``categories[key]``.

    Raises :class:`TypeError` unless ``categories`` maps strings to strings.
    """
    _categories.add(categories)
