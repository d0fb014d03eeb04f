"""txaio-core: the framework-neutral heart of txaio.

Importing it imports neither asyncio nor Twisted. It holds the interfaces, the
log levels, the backend contract, failure formatting, the batched timer and the
time helpers that both backends build on, and the logging policy both backends
share (``levels``, ``log_categories``, ``log_format``, ``log_output``,
``logger_base``); pure-logic code may use it directly.

Every name below is imported from its module on first use, not with the
package: a backend imports the public modules it needs, and each module
imported costs start-up time.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

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
else:
    # The module each name of ``__all__`` comes from.
    _HOMES = {
        "__version__": "_version",
        "BatchedCall": "batched_timer",
        "BatchedTimer": "batched_timer",
        **dict.fromkeys(("BACKEND_NAMES", "Backend", "BackendConfig"), "contract"),
        **dict.fromkeys(
            (
                "FailedFuture",
                "capture_failure",
                "describe_exception",
                "failure_format_traceback",
                "failure_message",
                "failure_traceback",
                "safe_str",
            ),
            "failure",
        ),
        **dict.fromkeys(
            ("IBatchedTimer", "IFailedFuture", "IFuture", "ILogger", "log_levels"), "interfaces"
        ),
        **dict.fromkeys(
            ("LEVEL_RANK", "InvalidLogLevelError", "check_level", "is_enabled"), "levels"
        ),
        "LogCategories": "log_categories",
        "format_message": "log_format",
        "safe_repr": "log_format",
        "LogOutput": "log_output",
        **dict.fromkeys(("LevelledLogger", "LevelRegistry", "no_op"), "logger_base"),
        "perf_counter_ns": "timing",
        "time_ns": "timing",
    }

    def __getattr__(name: str) -> object:
        """Import ``name`` (one of ``__all__``) from its module on first use.

        Raises :class:`AttributeError` for any other missing name (a submodule
        not imported yet included: the import system then imports it).
        """
        home = _HOMES.get(name)
        if home is None:
            raise AttributeError(f"module 'txaio_core' has no attribute {name!r}")
        from importlib import import_module

        value = getattr(import_module(f"txaio_core.{home}"), name)
        globals()[name] = value
        return value

    def __dir__() -> list[str]:
        """Return the module's names, the ones not imported yet included."""
        return sorted({*globals(), *__all__})
