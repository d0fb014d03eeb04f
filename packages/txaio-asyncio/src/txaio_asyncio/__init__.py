"""txaio on asyncio: native ``asyncio.Future`` objects behind the txaio API.

Every name of :data:`txaio_core.BACKEND_NAMES` is defined here, at top level;
the ``txaio`` facade copies them once when asyncio is selected. They use
``config.loop`` when it is set, else the loop running in the calling thread,
else that thread's event loop. :func:`with_config` returns an independent API
object with the same names, bound to a loop of its own.

Importing this module never imports Twisted.
"""

from __future__ import annotations

from asyncio import Future
from typing import TYPE_CHECKING

from txaio_asyncio import _config
from txaio_asyncio._api import AsyncioApi
from txaio_asyncio._config import Config, check_loop, replace_loop
from txaio_asyncio._failures import (
    create_failure,
    failure_format_traceback,
    failure_message,
    failure_traceback,
)
from txaio_asyncio._futures import (
    AlreadyResolved,
    add_callbacks,
    cancel,
    is_called,
    is_future,
    reject,
    resolve,
)
from txaio_asyncio._logging import (
    Logger,
    add_log_categories,
    get_global_log_level,
    guess_stream_needs_encoding,
    make_logger,
    set_global_log_level,
    start_logging,
)
from txaio_core.contract import BackendConfig
from txaio_core.failure import FailedFuture
from txaio_core.interfaces import IFailedFuture, ILogger, log_levels
from txaio_core.timing import perf_counter_ns, time_ns

__all__ = [
    "AlreadyResolved",
    "AsyncioApi",
    "Config",
    "FailedFuture",
    "Future",
    "IFailedFuture",
    "ILogger",
    "Logger",
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
    "failure_format_traceback",
    "failure_message",
    "failure_traceback",
    "gather",
    "get_global_log_level",
    "guess_stream_needs_encoding",
    "is_called",
    "is_future",
    "log_levels",
    "make_batched_timer",
    "make_logger",
    "perf_counter_ns",
    "reject",
    "replace_loop",
    "resolve",
    "set_global_log_level",
    "sleep",
    "start_logging",
    "time_ns",
    "using_asyncio",
    "using_twisted",
    "with_config",
]

using_twisted = False
using_asyncio = True

#: The module's configuration: set ``config.loop`` to make every call use that loop.
config: BackendConfig = _config.config

_default_api = AsyncioApi(config)

# The functions that need a loop are bound methods of the default API object:
# one code path shared with with_config(), and no dispatch at call time; each
# reads ``config.loop`` when called.
create_future = _default_api.create_future
create_future_success = _default_api.create_future_success
create_future_error = _default_api.create_future_error
as_future = _default_api.as_future
gather = _default_api.gather
call_later = _default_api.call_later
sleep = _default_api.sleep
make_batched_timer = _default_api.make_batched_timer


def with_config(loop: object = None) -> AsyncioApi:
    """Return a new, independent API object bound to ``loop`` (an asyncio event loop).

    It has every name of this module's API and leaves the module's ``config``
    alone, so several loops in several threads can each have their own. With
    ``loop`` None it uses the running loop, or the thread's. An object with the
    loop methods the API uses (a mock loop, say) is accepted too. Raises
    :class:`TypeError` naming ``loop`` for anything else.
    """
    return AsyncioApi(Config(check_loop(loop)))


# Compatibility names of the original ``txaio.aio`` module (re-exported by the
# facade as ``txaio.aio``): ``Future`` is ``asyncio.Future``; ``FailedFuture`` is
# the IFailedFuture errbacks receive; ``log_levels`` lists the levels, most severe
# first; ``guess_stream_needs_encoding`` tells binary streams from text ones.

if TYPE_CHECKING:
    from txaio_asyncio._version import __version__
else:

    def __getattr__(name: str) -> object:
        """Import ``__version__`` on first use: each module imported costs start-up time.

        Raises :class:`AttributeError` for any other missing name.
        """
        if name != "__version__":
            raise AttributeError(f"module 'txaio_asyncio' has no attribute {name!r}")
        from txaio_asyncio._version import __version__

        globals()[name] = __version__
        return __version__
