"""The interfaces of the txaio API, as in the original ``txaio.interfaces``.

They are defined once in :mod:`txaio_core.interfaces`; this module re-exports them.
:class:`IFuture` (new) is the type of the futures the API returns, for annotations.
"""

from __future__ import annotations

from txaio_core.interfaces import IBatchedTimer, IFailedFuture, IFuture, ILogger, log_levels

__all__ = ["IBatchedTimer", "IFailedFuture", "IFuture", "ILogger", "log_levels"]
