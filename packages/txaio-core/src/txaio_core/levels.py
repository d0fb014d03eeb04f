"""Log levels: their order and their validation."""

from __future__ import annotations

from txaio_core.interfaces import log_levels

__all__ = ["LEVEL_RANK", "check_level", "is_enabled"]

#: Rank of each level: a message is emitted when its rank is at most the
#: rank of the logger's level ("none" is 0, so nothing is emitted).
LEVEL_RANK: dict[str, int] = {name: rank for rank, name in enumerate(log_levels)}


def check_level(level: object, argument: str = "level") -> str:
    """Return ``level`` if it names a log level.

    Raises :class:`ValueError` naming ``argument`` and listing the valid levels.
    """
    if isinstance(level, str) and level in LEVEL_RANK:
        return level
    raise ValueError(
        f"{argument} must be one of {', '.join(repr(n) for n in log_levels)}; got {level!r}"
    )


def is_enabled(message_level: str, logger_level: str) -> bool:
    """Return whether a message at ``message_level`` passes a logger set to ``logger_level``."""
    return 0 < LEVEL_RANK[message_level] <= LEVEL_RANK[logger_level]
