"""txaio on Twisted: the Twisted backend of txaio, usable on its own.

Every name of :data:`txaio_core.contract.BACKEND_NAMES` is defined here, at
top level, as a plain function or value; ``txaio.use_twisted()`` copies them
into ``txaio``. Futures are plain ``Deferred`` objects and failures plain
``Failure`` objects. Importing this module does not import
``twisted.internet.reactor``, nor does reading ``config.loop`` (``None``
until then): the reactor is taken by the first call that needs it
(``call_later``, ``sleep``, a batched timer), unless ``config.loop`` was
set (any ``IReactorTime`` provider, such as ``twisted.internet.task.Clock``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from twisted.internet.defer import (
    Deferred,
    DeferredList,
    ensureDeferred,
    fail,
    maybeDeferred,
    succeed,
)
from twisted.internet.interfaces import IReactorTime
from twisted.logger import ILogObserver, LogLevel, formatEvent, formatTime, globalLogBeginner
from twisted.python.failure import Failure

from txaio_core.batched_timer import BatchedTimer
from txaio_core.interfaces import IFailedFuture, ILogger, log_levels
from txaio_core.timing import perf_counter_ns, time_ns
from txaio_twisted import _config
from txaio_twisted._api import LoopMixin, TwistedApi, with_config
from txaio_twisted._config import Config, replace_loop
from txaio_twisted._failures import (
    create_failure,
    failure_format_traceback,
    failure_message,
    failure_traceback,
)
from txaio_twisted._futures import (
    AlreadyResolved,
    add_callbacks,
    as_future,
    cancel,
    create_future,
    create_future_error,
    create_future_success,
    is_called,
    is_future,
    reject,
    resolve,
)
from txaio_twisted._gather import gather
from txaio_twisted._logging import (
    Logger,
    LogWriter,
    add_log_categories,
    get_global_log_level,
    guess_stream_needs_encoding,
    make_logger,
    set_global_log_level,
    start_logging,
)
from txaio_twisted._timers import call_later, make_batched_timer, sleep

if TYPE_CHECKING:
    from txaio_core.contract import BackendConfig as _BackendConfig

#: The backend's one configuration (Twisted has one global reactor): set
#: ``config.loop`` to use a given reactor or ``IReactorTime`` provider.
config: _BackendConfig = _config.config

#: True: this backend runs on Twisted.
using_twisted = True
#: False: this backend does not run on asyncio.
using_asyncio = False

# Kept from txaio.tx for code that imports them from there: _TxApi is what
# with_config returned.
_TxApi = TwistedApi

__all__ = [
    "AlreadyResolved",
    "BatchedTimer",
    "Config",
    "Deferred",
    "DeferredList",
    "Failure",
    "IFailedFuture",
    "ILogObserver",
    "ILogger",
    "IReactorTime",
    "LogLevel",
    "LogWriter",
    "Logger",
    "LoopMixin",
    "TwistedApi",
    "__version__",
    "add_callbacks",
    "add_log_categories",
    "as_future",
    "call_later",
    "cancel",
    "config",
    "create_failure",
    "create_future",
    "create_future_error",
    "create_future_success",
    "ensureDeferred",
    "fail",
    "failure_format_traceback",
    "failure_message",
    "failure_traceback",
    "formatEvent",
    "formatTime",
    "gather",
    "get_global_log_level",
    "globalLogBeginner",
    "guess_stream_needs_encoding",
    "is_called",
    "is_future",
    "log_levels",
    "make_batched_timer",
    "make_logger",
    "maybeDeferred",
    "perf_counter_ns",
    "reject",
    "replace_loop",
    "resolve",
    "set_global_log_level",
    "sleep",
    "start_logging",
    "succeed",
    "time_ns",
    "using_asyncio",
    "using_twisted",
    "with_config",
]


if TYPE_CHECKING:
    from txaio_twisted._version import __version__
else:

    def __getattr__(name: str) -> object:
        """Import ``__version__`` on first use: each module imported costs start-up time.

        Raises :class:`AttributeError` for any other missing name.
        """
        if name != "__version__":
            raise AttributeError(f"module 'txaio_twisted' has no attribute {name!r}")
        from txaio_twisted._version import __version__

        globals()[name] = __version__
        return __version__
