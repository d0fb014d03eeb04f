"""Shared machinery of txaio loggers: levels, no-op methods below the level, ``emit``.

A logger's level methods (``info``, ``debug``...) are instance attributes:
each is either the backend's emitting function for that level or the
module-level :func:`no_op`, rebound whenever the level changes. So a call
below the level costs one call of an empty function, with no level test.
:meth:`LevelledLogger.emit` goes through the same bound methods, so it is
filtered exactly as they are.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import Any

from txaio_core.interfaces import ILogger, log_levels
from txaio_core.levels import check_level, is_enabled, level_name
from txaio_core.log_categories import LogCategories
from txaio_core.log_format import escape_braces, format_with_positionals
from txaio_core.log_output import report_broken_log_call

__all__ = ["Deliver", "LevelRegistry", "LevelledLogger", "make_emitter", "no_op"]

#: What a backend does with one log call once the policy is applied: it gets the
#: message (a PEP 3101 format, or a non-string to write as text) and the call's
#: fields (``txaio_trace=True`` added on trace), and emits them.
Deliver = Callable[[object, dict[str, Any]], None]

#: The level methods of a logger, most severe first ("none" is not a method).
LEVEL_METHODS: tuple[str, ...] = tuple(log_levels[1:])


def no_op(*args: Any, **kwargs: Any) -> None:
    """Do nothing: what a level method becomes when its level is filtered out."""


def make_emitter(level: str, categories: LogCategories, deliver: Deliver) -> Callable[..., None]:
    """Return the level method for ``level``: applies the shared policy, then ``deliver``.

    The method takes the message positionally (so ``message=`` is a field like
    any other), or as ``format=`` (the original's name); ``log_category=`` picks
    a registered format; positional arguments after the message are not
    formatted but shown in a note (see
    :func:`txaio_core.log_format.format_with_positionals`). It never raises:
    whatever goes wrong is reported by
    :func:`txaio_core.log_output.report_broken_log_call`.
    """
    trace = level == "trace"
    format_for = categories.format_for

    def emit(message: object = None, /, *args: Any, **fields: Any) -> None:
        try:
            if message is None and "format" in fields:
                message = fields.pop("format")
            category = fields.get("log_category")
            if category is not None:
                message = format_for(category, message)
            if args:
                message = escape_braces(format_with_positionals(message, args))
            if trace:
                fields["txaio_trace"] = True
            deliver(message, fields)
        except Exception as problem:  # a log call never raises into the application
            report_broken_log_call(problem, message)

    emit.__name__ = emit.__qualname__ = level
    return emit


class LevelRegistry:
    """The global log level of one backend, and the loggers that follow it."""

    def __init__(self, level: str = "info") -> None:
        self._level = check_level(level)
        self._followers: weakref.WeakSet[LevelledLogger] = weakref.WeakSet()

    @property
    def level(self) -> str:
        """The current global level."""
        return self._level

    def set_level(self, level: str) -> None:
        """Set the global level and rebind every logger without a level of its own.

        Raises :class:`~txaio_core.levels.InvalidLogLevelError` (a ``ValueError``
        and a ``RuntimeError``) listing the valid levels for an unknown one.
        """
        self._level = check_level(level)
        for logger in list(self._followers):
            logger._bind_level_methods(self._level)

    def follow(self, logger: LevelledLogger) -> None:
        """Make ``logger`` follow the global level from now on."""
        self._followers.add(logger)
        logger._bind_level_methods(self._level)

    def unfollow(self, logger: LevelledLogger) -> None:
        """Stop ``logger`` following the global level."""
        self._followers.discard(logger)


class LevelledLogger(ILogger):
    """Base of the backends' loggers.

    Subclasses implement :meth:`_deliverer`, returning what delivers one
    level's calls to the framework; this class wraps it in the shared policy
    (``make_emitter``) and binds the result, or :func:`no_op`, to each
    level method according to the logger's level. ``_log_level`` is the level
    in force (the name the original txaio's loggers kept there).
    """

    _log_level: str

    # The class-level methods below only satisfy ILogger: __init__ shadows each
    # with an instance attribute (the level's emitter, or no_op) at once.
    def critical(self, message: str, **kwargs: Any) -> None:
        """Log a critical-level message."""

    def error(self, message: str, **kwargs: Any) -> None:
        """Log an error-level message."""

    def warn(self, message: str, **kwargs: Any) -> None:
        """Log a warning-level message."""

    def info(self, message: str, **kwargs: Any) -> None:
        """Log an info-level message."""

    def debug(self, message: str, **kwargs: Any) -> None:
        """Log a debug-level message."""

    def trace(self, message: str, **kwargs: Any) -> None:
        """Log a trace-level message."""

    def __init__(
        self,
        namespace: str,
        registry: LevelRegistry,
        categories: LogCategories,
        level: str | None = None,
    ) -> None:
        self.namespace = namespace
        self._registry = registry
        self._categories = categories
        self._own_level: str | None = None
        if level is None:
            registry.follow(self)
        else:
            self.set_log_level(level)

    @property
    def log_level(self) -> str:
        """The level in force for this logger (its own, or the global one)."""
        return self._log_level

    def emit(
        self, level: object = None, message: object = None, /, *args: Any, **fields: Any
    ) -> None:
        """Log ``message`` at ``level`` as the level method of that name would.

        ``level`` is a level name (or a constant whose ``name`` is one, such as
        Twisted's ``LogLevel.warn``). Filtered by the logger's level like the
        level methods. Never raises: an unknown level is reported on standard
        error.
        """
        try:
            name = level_name(level, "log.emit()")
            if name != "none":
                getattr(self, name)(message, *args, **fields)
        except Exception as problem:
            report_broken_log_call(problem, message)

    def set_log_level(self, level: str, keep: bool = True) -> None:
        """Give this logger a level of its own.

        With ``keep`` (the default) later global level changes leave it alone;
        with ``keep=False`` it goes on following the global level (from the
        next global change on). Raises
        :class:`~txaio_core.levels.InvalidLogLevelError` listing the valid levels
        for an unknown one.
        """
        check_level(level)
        if keep:
            self._own_level = level
            self._registry.unfollow(self)
        else:
            self._own_level = None
            self._registry.follow(self)
        self._bind_level_methods(level)

    def _bind_level_methods(self, level: str) -> None:
        for name in LEVEL_METHODS:
            if is_enabled(name, level):
                setattr(self, name, make_emitter(name, self._categories, self._deliverer(name)))
            else:
                setattr(self, name, no_op)
        self._log_level = level

    def _deliverer(self, level: str) -> Deliver:
        """Return what delivers this logger's calls at ``level`` to the framework."""
        raise NotImplementedError
