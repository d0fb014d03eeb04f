"""Log levels: their order, their validation, and the error for an unknown one."""

from __future__ import annotations

from txaio_core.interfaces import log_levels

__all__ = ["LEVEL_RANK", "InvalidLogLevelError", "check_level", "is_enabled", "level_name"]

#: Rank of each level: a message is emitted when its rank is at most the
#: rank of the logger's level ("none" is 0, so nothing is emitted).
LEVEL_RANK: dict[str, int] = {name: rank for rank, name in enumerate(log_levels)}


class InvalidLogLevelError(ValueError, RuntimeError):
    """An unknown log level was given.

    Both a :class:`ValueError` (it is a bad value) and a :class:`RuntimeError`
    (what the original txaio raised from ``start_logging``), so ``except``
    clauses written for either keep working.
    """


def check_level(level: object, argument: str = "level") -> str:
    """Return ``level`` if it names a log level.

    Raises :class:`InvalidLogLevelError` naming ``argument``, saying "Invalid
    log level" and listing the valid levels.
    """
    if isinstance(level, str) and level in LEVEL_RANK:
        return level
    valid = ", ".join(repr(name) for name in log_levels)
    raise InvalidLogLevelError(f"Invalid log level {level!r} for {argument}; valid are: {valid}")


def level_name(level: object, argument: str = "level") -> str:
    """Return the txaio name of ``level``: a level name, or a constant whose ``name`` is one.

    Accepts Twisted's ``LogLevel`` constants (``LogLevel.warn.name == "warn"``)
    without importing Twisted. Raises :class:`InvalidLogLevelError` otherwise.
    """
    if isinstance(level, str):
        return check_level(level, argument)
    name = getattr(level, "name", None)
    if isinstance(name, str) and name in LEVEL_RANK and name != "none":
        return name
    return check_level(level, argument)


def is_enabled(message_level: str, logger_level: str) -> bool:
    """Return whether a message at ``message_level`` passes a logger set to ``logger_level``."""
    return 0 < LEVEL_RANK[message_level] <= LEVEL_RANK[logger_level]
