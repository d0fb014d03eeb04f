"""The reactor txaio uses: taken from ``twisted.internet`` on first use, or set by the user."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from twisted.internet.interfaces import IReactorTime

__all__ = ["Config", "check_reactor_time", "config", "replace_loop"]


def check_reactor_time(loop: object, argument: str = "config.loop") -> None:
    """Raise :class:`TypeError` naming ``argument`` unless ``loop`` is an ``IReactorTime``."""
    if IReactorTime.providedBy(loop):
        return
    if callable(getattr(loop, "callLater", None)) and callable(getattr(loop, "seconds", None)):
        return
    raise TypeError(
        f"{argument} must be a Twisted reactor or another IReactorTime provider "
        f"(with callLater() and seconds()), not {type(loop).__name__} {loop!r:.80}"
    )


class Config:
    """The configuration of the Twisted backend: only the reactor, as ``loop``.

    :attr:`loop` is ``None`` until it is set or a call needs the reactor
    (``call_later``, ``sleep``, a batched timer): that call takes the global
    ``twisted.internet.reactor`` (see ``Config.reactor()``), so neither importing txaio
    nor reading ``config.loop`` fixes the choice of reactor. Any ``IReactorTime``
    provider will do, such as ``twisted.internet.task.Clock`` in tests.
    """

    __slots__ = ("_loop",)

    def __init__(self) -> None:
        self._loop: Any = None

    @property
    def loop(self) -> Any:
        """The reactor in use, or ``None`` while none was set or needed yet."""
        return self._loop

    @loop.setter
    def loop(self, loop: Any) -> None:
        if loop is not None:
            check_reactor_time(loop)
        self._loop = loop

    @property
    def configured_loop(self) -> Any:
        """The reactor in use, or ``None`` when none was set or taken yet (as :attr:`loop`)."""
        return self._loop

    def reactor(self) -> Any:
        """Return the reactor to use now, taking ``twisted.internet.reactor`` if none is set.

        Importing ``twisted.internet.reactor`` installs the default reactor unless
        one was installed first; the reactor taken stays in :attr:`loop`.
        """
        loop = self._loop
        if loop is None:
            loop = self._loop = _global_reactor()
        return loop

    def __repr__(self) -> str:
        return f"<txaio_twisted.Config loop={self._loop!r}>"


def _global_reactor() -> Any:
    # Imported here, not at module import: users may install another reactor first.
    from twisted.internet import reactor

    return reactor


#: The one configuration of the Twisted backend (Twisted has one global reactor).
config = Config()


@contextmanager
def replace_loop(loop: Any) -> Iterator[Any]:
    """Use ``loop`` as the reactor inside the ``with`` block; yield it.

    Afterwards the previous setting comes back (including "not chosen yet").
    Raises :class:`TypeError` when ``loop`` is not an ``IReactorTime`` provider.
    """
    previous = config.configured_loop
    config.loop = loop
    try:
        yield loop
    finally:
        config.loop = previous
