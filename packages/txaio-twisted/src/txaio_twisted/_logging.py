"""Logging on ``twisted.logger``: txaio loggers as Twisted events, and the text output.

The policy is txaio-core's. Here a log call becomes a ``twisted.logger`` event
with exactly the original's keys, through the logger's ``twisted.logger.Logger``
(``_logger``): built directly for a plain one, through its own ``emit`` /
``failure`` for any other. :func:`start_logging` installs one observer writing
txaio events (already filtered) and other Twisted events (new and legacy) at or
above the global level.
"""

from __future__ import annotations

import sys
import time
import weakref
from collections.abc import Callable, Mapping
from typing import IO, Any, cast

from twisted.logger import ILogObserver, LoggingFile, LogLevel, formatEvent, globalLogBeginner
from twisted.logger import Logger as TwistedLogger
from twisted.python.failure import Failure

from txaio_core.interfaces import ILogger
from txaio_core.levels import check_level, is_enabled, level_name
from txaio_core.log_categories import LogCategories, resolve_message
from txaio_core.log_format import MessageFields, append_failure, format_message, with_note
from txaio_core.log_output import LineWriter, LogOutput, TimeStamps, report_broken_log_call
from txaio_core.log_support import caller_namespace, guess_stream_needs_encoding
from txaio_core.logger_base import Deliver, LevelledLogger, LevelRegistry
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
_FROM_TWISTED: dict[LogLevel, str] = {TO_TWISTED[name]: name for name in list(TO_TWISTED)[:5]}

# As the original: a twisted.logger.Logger counts as an ILogger.
ILogger.register(TwistedLogger)

_registry = LevelRegistry("info")
_categories = LogCategories()
_output = LogOutput()
_time = time.time
#: The Twisted loggers txaio loggers emit through: their events are already filtered.
_txaio_emitters: weakref.WeakSet[Any] = weakref.WeakSet()


def _deliver_directly(twisted_logger: TwistedLogger, level: LogLevel) -> Deliver:
    """Deliver as ``twisted_logger.emit(level, message, **fields)`` would, minus its checks."""

    def deliver(message: object, fields: dict[str, Any]) -> None:
        fields["log_logger"] = twisted_logger
        fields["log_level"] = level
        fields["log_namespace"] = twisted_logger.namespace
        fields["log_source"] = twisted_logger.source
        fields["log_format"] = message
        fields["log_time"] = _time()
        if "log_trace" in fields:
            fields["log_trace"].append((twisted_logger, twisted_logger.observer))
        cast("Callable[[dict[str, Any]], None]", twisted_logger.observer)(fields)

    return deliver


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
        if isinstance(logger, TwistedLogger):
            namespace = logger.namespace
        elif namespace is None:
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
        super().__init__(namespace, _registry, _categories, level)

    def _deliverer(self, level: str) -> Deliver:
        logger, twisted_level = self._logger, TO_TWISTED[level]
        if type(logger) is TwistedLogger:
            return _deliver_directly(logger, twisted_level)
        return lambda message, fields: logger.emit(twisted_level, message, **fields)

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
            if type(self._logger) is TwistedLogger:
                fields["log_failure"] = failure
                getattr(self, name)(message, **fields)
            else:
                message = resolve_message(message, fields, _categories)
                self._logger.failure(message, failure, TO_TWISTED[name], **fields)
        except Exception as problem:
            report_broken_log_call(problem, message)

    def __repr__(self) -> str:
        return f"<txaio_twisted.Logger {self.namespace!r} level={self.log_level!r}>"


def make_logger(level: str | None = None, logger: Any = None, observer: Any = None) -> Logger:
    """Return a :class:`Logger` named after the calling class or module.

    With ``level`` the logger keeps that level; without, it follows the global
    level. ``logger`` is a ``twisted.logger.Logger`` to emit through, or a class
    (any callable) called as ``logger(observer=observer, namespace=...)`` to make
    one. Raises ``InvalidLogLevelError`` for an unknown ``level``.
    """
    if level is not None:
        check_level(level)
    namespace = caller_namespace(sys._getframe(1))
    return Logger(level, TwistedLogger if logger is None else logger, namespace, observer)


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
        text = format_message(event.get("log_format"), MessageFields(event, _event_level(event)))
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
        self._registry = registry
        self._lines = LineWriter(out)
        self._stamps = TimeStamps(with_offset=True)

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
        self._lines.write(f"{self._stamps.text(event.get('log_time'))} {text}")


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

    ``out`` is a text or binary stream (UTF-8); standard output and error are
    redirected into the log. Called again with the same stream or ``out`` None
    (or the redirected ``sys.stdout``), it only changes the level. Raises
    :class:`RuntimeError` when logging already goes to another stream,
    ``InvalidLogLevelError`` for an unknown level, :class:`TypeError` when
    ``out`` has no ``write()``.
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
    """Set the level of every logger without one of its own; ``InvalidLogLevelError`` if unknown."""
    _registry.set_level(level)


def get_global_log_level() -> str:
    """Return the global log level."""
    return _registry.level


def add_log_categories(categories: Mapping[str, str]) -> None:
    """Register formats for ``log_category=``; :class:`TypeError` unless str to str."""
    _categories.add(categories)
