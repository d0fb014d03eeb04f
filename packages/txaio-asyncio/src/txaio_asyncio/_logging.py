"""Logging on asyncio: txaio loggers on top of the stdlib ``logging`` module.

Each txaio logger sends its events, already formatted, to the stdlib logger of
its namespace, so an application that configures ``logging`` itself sees them.
The txaio level is the only filter: a level method below it is :func:`no_op`,
and emitted records go straight to the handlers (``Logger.handle``), so the
stdlib levels cannot hide an event txaio lets through.
:func:`start_logging` adds one handler to the root logger, which also prints
the records of libraries that use ``logging`` directly.
"""

from __future__ import annotations

import logging
import sys
import threading
import time
from collections.abc import Callable
from typing import IO, Any

from txaio_core import ILogger, LevelledLogger, LevelRegistry, check_level, format_message
from txaio_core.failure import safe_str
from txaio_core.log_support import caller_namespace, guess_stream_needs_encoding

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
_categories: dict[str, str] = {}
_started_lock = threading.Lock()
_handler: _LineHandler | None = None


class Logger(LevelledLogger):
    """A txaio logger on asyncio; its events go to the stdlib logger ``namespace``."""

    def __init__(
        self, namespace: str, level: str | None = None, target: logging.Logger | None = None
    ) -> None:
        self._target = target if target is not None else logging.getLogger(namespace)
        super().__init__(namespace, _registry, level)

    def _make_emitter(self, level: str) -> Callable[..., None]:
        target = self._target
        stdlib_level = STDLIB_LEVELS[level]
        namespace = self.namespace

        # The message is taken positionally only, so ``message=`` can be a field.
        def emit(*args: Any, **kwargs: Any) -> None:
            message: object = args[0] if args else kwargs.get("message", "")
            try:
                kwargs["log_time"] = time.time()
                kwargs["log_level"] = level
                category = kwargs.get("log_category")
                if category is not None:
                    message = _category_format(category, message)
                if len(args) > 1:
                    text = _format_with_positionals(message, args[1:], kwargs)
                else:
                    text = format_message(message, kwargs)
                record = target.makeRecord(namespace, stdlib_level, "(txaio)", 0, text, (), None)
                target.handle(record)
            except Exception as problem:  # a log call never raises into the application
                _write_error_line(target, namespace, stdlib_level, message, problem)

        emit.__name__ = level
        emit.__qualname__ = f"Logger.{level}"
        return emit

    def __repr__(self) -> str:
        return f"<txaio_asyncio.Logger {self.namespace!r} level={self.log_level!r}>"


def _format_with_positionals(message: object, args: tuple[Any, ...], fields: dict[str, Any]) -> str:
    if not isinstance(message, str):
        return format_message(message, fields)
    try:
        return message.format(*args, **fields)
    except Exception as problem:
        return (
            f"Unable to format log message {message!r}: "
            f"{type(problem).__name__}: {safe_str(problem)}"
        )


def _category_format(category: object, message: object) -> object:
    """Return the format registered for ``category``, else ``message``.

    Raises :class:`TypeError` naming ``log_category`` when it cannot be a key.
    """
    try:
        return _categories.get(category, message)  # type: ignore[call-overload]
    except TypeError:
        raise TypeError(
            f"log_category must be a category name (str), not {type(category).__name__}"
        ) from None


def _write_error_line(
    target: logging.Logger, namespace: str, stdlib_level: int, message: object, problem: Exception
) -> None:
    """Log one line saying which log call failed and why, in place of its message.

    A log call is never lost: when even this line cannot be written, the problem
    goes to ``sys.stderr``.
    """
    try:
        text = (
            f"Unable to log message {safe_str(message)!r:.200}: "
            f"{type(problem).__name__}: {safe_str(problem)}"
        )
        record = target.makeRecord(namespace, stdlib_level, "(txaio)", 0, text, (), None)
        target.handle(record)
    except Exception as second:
        try:
            sys.stderr.write(
                f"txaio: a log call failed: {type(problem).__name__}: {safe_str(problem)}, "
                f"then {type(second).__name__}: {safe_str(second)}\n"
            )
        except Exception:
            pass


def make_logger(level: str | None = None, logger: logging.Logger | None = None) -> ILogger:
    """Return a logger named after the calling class (in a method or class body) or module.

    With ``level`` the logger keeps that level; without, it follows the global
    level. ``logger`` is the stdlib logger to send events to (default: the one
    named after the namespace). Raises :class:`ValueError` for an unknown level
    and :class:`TypeError` when ``logger`` is not a :class:`logging.Logger`.
    """
    if level is not None:
        check_level(level)
    if logger is not None and not isinstance(logger, logging.Logger):
        raise TypeError(f"logger must be a logging.Logger or None, not {type(logger).__name__}")
    return Logger(caller_namespace(sys._getframe(1)), level, logger)


def set_global_log_level(level: str) -> None:
    """Set the level of every logger that has no level of its own.

    Raises :class:`ValueError` listing the valid levels for an unknown one.
    """
    _registry.set_level(level)
    if _handler is not None:
        logging.getLogger().setLevel(STDLIB_LEVELS[level])


def get_global_log_level() -> str:
    """Return the global log level."""
    return _registry.level


def add_log_categories(categories: dict[str, str]) -> None:
    """Register message formats: a log call with ``log_category=key`` uses ``categories[key]``.

    Raises :class:`TypeError` unless ``categories`` maps strings to strings.
    """
    if not isinstance(categories, dict) or not all(
        isinstance(key, str) and isinstance(value, str) for key, value in categories.items()
    ):
        raise TypeError("categories must be a dict mapping category names (str) to formats (str)")
    _categories.update(categories)


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
            return (
                f"{self.formatTime(record, self.datefmt)} Unable to format log record "
                f"{safe_str(record.msg)!r} from {record.name!r}: "
                f"{type(problem).__name__}: {safe_str(problem)}"
            )


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


def start_logging(out: IO[Any] | None = None, level: str = "info") -> None:
    """Write every log event, one timestamped line each, to ``out`` (default ``sys.stdout``).

    ``out`` is a text stream, or a binary one (then lines are UTF-8). Sets the
    global level to ``level``; records of the stdlib ``logging`` module at that
    level or above are written too. Calling it again with the same stream, or
    with ``out`` None, only changes the level. Raises :class:`RuntimeError` when
    logging already goes to another stream, :class:`ValueError` listing the valid
    levels for an unknown ``level``, :class:`TypeError` when ``out`` has no ``write``.
    """
    global _handler
    check_level(level)
    stream = sys.stdout if out is None else out
    if not callable(getattr(stream, "write", None)):
        raise TypeError(f"out must be a writable stream, not {type(stream).__name__}")
    with _started_lock:
        if _handler is None:
            _handler = _LineHandler(stream)
            logging.getLogger().addHandler(_handler)
        elif out is not None and out is not _handler.out:
            raise RuntimeError(
                f"start_logging(): logging already goes to {_handler.out!r:.80}, not to "
                f"out={out!r:.80}; call it again with the same stream (or out=None) "
                "to change the level"
            )
    set_global_log_level(level)


def _stop_logging() -> None:
    """Undo :func:`start_logging` (for tests): remove the handler, back to level "info"."""
    global _handler
    with _started_lock:
        if _handler is not None:
            logging.getLogger().removeHandler(_handler)
            _handler = None
    _registry.set_level("info")
