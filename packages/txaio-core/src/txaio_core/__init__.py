"""txaio-core: the framework-neutral heart of txaio.

Importing it imports neither asyncio nor Twisted. It holds the interfaces, the
log levels, the backend contract, failure formatting, the batched timer and the
time helpers that both backends build on, and the logging policy both backends
share (``levels``, ``log_categories``, ``log_format``, ``log_output``,
``logger_base``); pure-logic code may use it directly.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from txaio_core.contract import BACKEND_NAMES, Backend, BackendConfig
from txaio_core.failure import (
    FailedFuture,
    capture_failure,
    describe_exception,
    failure_format_traceback,
    failure_message,
    failure_traceback,
    safe_str,
)
from txaio_core.interfaces import IBatchedTimer, IFailedFuture, IFuture, ILogger, log_levels
from txaio_core.levels import LEVEL_RANK, InvalidLogLevelError, check_level, is_enabled
from txaio_core.log_categories import LogCategories
from txaio_core.log_format import format_message, safe_repr
from txaio_core.log_output import LogOutput
from txaio_core.logger_base import LevelledLogger, LevelRegistry, no_op
from txaio_core.timing import perf_counter_ns, time_ns

__all__ = [
    "BACKEND_NAMES",
    "LEVEL_RANK",
    "Backend",
    "BackendConfig",
    "BatchedCall",
    "BatchedTimer",
    "FailedFuture",
    "IBatchedTimer",
    "IFailedFuture",
    "IFuture",
    "ILogger",
    "InvalidLogLevelError",
    "LevelRegistry",
    "LevelledLogger",
    "LogCategories",
    "LogOutput",
    "__version__",
    "capture_failure",
    "check_level",
    "describe_exception",
    "failure_format_traceback",
    "failure_message",
    "failure_traceback",
    "format_message",
    "is_enabled",
    "log_levels",
    "no_op",
    "perf_counter_ns",
    "safe_repr",
    "safe_str",
    "time_ns",
]

if TYPE_CHECKING:
    from txaio_core._version import __version__
    from txaio_core.batched_timer import BatchedCall, BatchedTimer
else:

    def __getattr__(name: str) -> object:
        """Import ``__version__`` and the batched timer on first use, not with the package.

        ``import txaio`` and the backends need neither; each module imported costs
        start-up time. Raises :class:`AttributeError` for any other missing name.
        """
        if name == "__version__":
            from txaio_core._version import __version__ as value
        elif name in ("BatchedCall", "BatchedTimer"):
            from txaio_core import batched_timer

            value = getattr(batched_timer, name)
        else:
            raise AttributeError(f"module 'txaio_core' has no attribute {name!r}")
        globals()[name] = value
        return value
