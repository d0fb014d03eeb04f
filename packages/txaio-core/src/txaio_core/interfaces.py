"""The abstract interfaces shared by every txaio backend.

These are :class:`abc.ABC` classes, as in the original txaio, so that a backend
can ``register`` a foreign class (Twisted's ``Failure``) without inheriting;
:class:`IFuture`, the type of the futures the API returns, is a protocol that
``asyncio.Future`` and Twisted's ``Deferred`` both satisfy as they are.

``IFuture`` is defined with the contract (:mod:`txaio_core.contract`) and
``IBatchedTimer`` with its implementation (:mod:`txaio_core.batched_timer`);
both are imported from there on first use, as names of this module: a
program that never asks for them does not pay for importing them.
"""

from __future__ import annotations

import abc
from types import TracebackType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from txaio_core.batched_timer import IBatchedTimer
    from txaio_core.contract import IFuture

__all__ = ["IBatchedTimer", "IFailedFuture", "IFuture", "ILogger", "log_levels"]

#: The log levels, most severe first. ``"none"`` silences a logger entirely.
log_levels: list[str] = ["none", "critical", "error", "warn", "info", "debug", "trace"]


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


ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None]


if not TYPE_CHECKING:

    def __getattr__(name: str) -> object:
        """Import ``IFuture`` or ``IBatchedTimer`` from its module on first use.

        Raises :class:`AttributeError` for any other missing name.
        """
        if name == "IFuture":
            from txaio_core.contract import IFuture as value
        elif name == "IBatchedTimer":
            from txaio_core.batched_timer import IBatchedTimer as value
        else:
            raise AttributeError(f"module 'txaio_core.interfaces' has no attribute {name!r}")
        globals()[name] = value
        return value
