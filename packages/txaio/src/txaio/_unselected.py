"""What the txaio API is before a framework is selected."""

from __future__ import annotations

from typing import Any, NoReturn

__all__ = ["USAGE", "UnselectedConfig", "not_selected"]

USAGE = (
    "To use txaio, you must first select a framework with txaio.use_asyncio() or "
    "txaio.use_twisted() (or `import txaio.with_asyncio` / `import txaio.with_twisted`)"
)


def not_selected(*args: Any, **kwargs: Any) -> NoReturn:
    """Stand in for every API name until a framework is selected.

    Always raises :class:`RuntimeError` explaining how to select a framework.
    """
    raise RuntimeError(USAGE)


class UnselectedConfig:
    """``txaio.config`` before selection: a loop set here is handed to the chosen backend."""

    def __init__(self) -> None:
        self.loop: Any = None

    def __repr__(self) -> str:
        return f"<txaio config before framework selection: loop={self.loop!r}>"
