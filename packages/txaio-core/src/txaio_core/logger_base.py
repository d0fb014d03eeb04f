"""Shared machinery of txaio loggers: levels, and no-op methods below the level.

A logger's level methods (``info``, ``debug``...) are instance attributes:
each is either the backend's emitting function for that level or the
module-level :func:`no_op`, rebound whenever the level changes. So a call
below the level costs one call of an empty function, with no level test.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import Any

from txaio_core.interfaces import ILogger, log_levels
from txaio_core.levels import check_level, is_enabled

__all__ = ["LevelRegistry", "LevelledLogger", "no_op"]

#: The level methods of a logger, most severe first ("none" is not a method).
LEVEL_METHODS: tuple[str, ...] = tuple(log_levels[1:])


def no_op(*args: Any, **kwargs: Any) -> None:
    """Do nothing: what a level method becomes when its level is filtered out."""


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

        Raises :class:`ValueError` listing the valid levels for an unknown one.
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

    Subclasses implement :meth:`_make_emitter`, returning the function that
    emits one level's events; this class binds it, or :func:`no_op`, to each
    level method according to the logger's level.
    """

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

    def __init__(self, namespace: str, registry: LevelRegistry, level: str | None = None) -> None:
        self.namespace = namespace
        self._registry = registry
        self._own_level: str | None = None
        if level is None:
            registry.follow(self)
        else:
            self.set_log_level(level)

    @property
    def log_level(self) -> str:
        """The level in force for this logger (its own, or the global one)."""
        return self._own_level if self._own_level is not None else self._registry.level

    def set_log_level(self, level: str, keep: bool = True) -> None:
        """Give this logger a level of its own.

        With ``keep`` (the default) later global level changes leave it alone;
        with ``keep=False`` it goes on following the global level. Raises
        :class:`ValueError` listing the valid levels for an unknown one.
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
            emitter = self._make_emitter(name) if is_enabled(name, level) else no_op
            setattr(self, name, emitter)

    def _make_emitter(self, level: str) -> Callable[..., None]:
        """Return the function that emits this logger's events at ``level``."""
        raise NotImplementedError
