"""The abstract interfaces shared by every txaio backend.

These are :class:`abc.ABC` classes, as in the original txaio, so that a backend
can ``register`` a foreign class (Twisted's ``Failure``) without inheriting;
:class:`IFuture`, the type of the futures the API returns, is a protocol that
``asyncio.Future`` and Twisted's ``Deferred`` both satisfy as they are.
"""

from __future__ import annotations

import abc
from collections.abc import Callable, Generator
from types import TracebackType
from typing import Any, Protocol, TypeVar

__all__ = ["IBatchedTimer", "IFailedFuture", "IFuture", "ILogger", "log_levels"]

_T_co = TypeVar("_T_co", covariant=True)

#: The log levels, most severe first. ``"none"`` silences a logger entirely.
log_levels: list[str] = ["none", "critical", "error", "warn", "info", "debug", "trace"]


class IFuture(Protocol[_T_co]):
    """A future of the selected framework: an ``asyncio.Future`` or a Twisted ``Deferred``.

    The type that ``txaio.create_future()`` and the other functions returning a
    future are declared to return, so that code written for both frameworks is
    type-checked against what both futures offer: it can be awaited (giving a
    ``_T_co``) and cancelled. Pass it to the ``txaio`` functions for everything
    else. It is a static type only: test an object with ``txaio.is_future()``.
    """

    def __await__(self) -> Generator[Any, None, _T_co]:
        """Wait for the outcome: return the result or raise the error."""
        ...

    def cancel(self) -> object:
        """Cancel the future (see ``txaio.cancel()``, which also takes a message)."""
        ...


class IFailedFuture(abc.ABC):
    """What an errback receives: an error together with its traceback.

    Rely only on :attr:`value` and on the ``txaio.failure_*`` functions; other
    attributes differ between asyncio and Twisted.
    """

    @property
    @abc.abstractmethod
    def value(self) -> BaseException:
        """The exception instance, as the second item of ``sys.exc_info()``."""


class ILogger(abc.ABC):
    """The methods of a logger made by ``txaio.make_logger()``.

    Every method takes a PEP 3101 format string and keyword arguments; the
    keys ``log_time`` and ``log_level`` are added to those arguments.
    """

    @abc.abstractmethod
    def critical(self, message: str, **kwargs: Any) -> None:
        """Log a critical-level message."""

    @abc.abstractmethod
    def error(self, message: str, **kwargs: Any) -> None:
        """Log an error-level message."""

    @abc.abstractmethod
    def warn(self, message: str, **kwargs: Any) -> None:
        """Log a warning-level message."""

    @abc.abstractmethod
    def info(self, message: str, **kwargs: Any) -> None:
        """Log an info-level message."""

    @abc.abstractmethod
    def debug(self, message: str, **kwargs: Any) -> None:
        """Log a debug-level message."""

    @abc.abstractmethod
    def trace(self, message: str, **kwargs: Any) -> None:
        """Log a trace-level message."""


class IBatchedTimer(abc.ABC):
    """A timer that groups many delayed calls into a few real ones.

    Made by ``txaio.make_batched_timer()``; see :class:`txaio_core.BatchedTimer`.
    """

    @abc.abstractmethod
    def call_later(
        self, delay: float, func: Callable[..., object], *args: Any, **kwargs: Any
    ) -> Any:
        """Call ``func(*args, **kwargs)`` no sooner than ``delay`` seconds from now.

        Returns a handle with a ``cancel()`` method.
        """


ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None]
