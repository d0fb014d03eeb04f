"""The interfaces of the txaio API, as in the original ``txaio.interfaces``.

They are defined once in :mod:`txaio_core.interfaces`; this module re-exports them.
"""

from __future__ import annotations

from txaio_core.interfaces import IBatchedTimer, IFailedFuture, ILogger, log_levels

__all__ = ["IBatchedTimer", "IFailedFuture", "ILogger", "log_levels"]
