"""txaio on asyncio: native ``asyncio.Future`` objects behind the txaio API.

Every name of :data:`txaio_core.BACKEND_NAMES` is defined here, at top level;
the ``txaio`` facade copies them once when asyncio is selected. They use
``config.loop`` when it is set, else the loop running in the calling thread,
else that thread's event loop. :func:`with_config` returns an independent API
object with the same names, bound to a loop of its own.

Importing this module never imports Twisted. It imports the futures; gather,
the timers, failures, logging and the clocks are imported on first use of one
of their names (``txaio_asyncio._api.ON_FIRST_USE``).
"""

from __future__ import annotations

from asyncio import Future
from typing import TYPE_CHECKING

from txaio_asyncio import _config
from txaio_asyncio._api import ON_FIRST_USE, AsyncioApi
from txaio_asyncio._config import Config, check_loop, replace_loop
from txaio_asyncio._futures import (
    AlreadyResolved,
    add_callbacks,
    cancel,
    is_called,
    is_future,
    reject,
    resolve,
)
from txaio_core.failure import FailedFuture
from txaio_core.interfaces import IFailedFuture, ILogger, log_levels

if TYPE_CHECKING:
    from txaio_core.contract import BackendConfig

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
# reads ``config.loop`` when called. Those of ON_FIRST_USE are taken from it the
# same way on first use (see __getattr__ below).
create_future = _default_api.create_future
create_future_success = _default_api.create_future_success
create_future_error = _default_api.create_future_error
as_future = _default_api.as_future


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
    from txaio_asyncio._logging import Logger, guess_stream_needs_encoding
    from txaio_asyncio._version import __version__

    gather = _default_api.gather
    call_later = _default_api.call_later
    sleep = _default_api.sleep
    make_batched_timer = _default_api.make_batched_timer
    create_failure = _default_api.create_failure
    failure_message = _default_api.failure_message
    failure_traceback = _default_api.failure_traceback
    failure_format_traceback = _default_api.failure_format_traceback
    make_logger = _default_api.make_logger
    start_logging = _default_api.start_logging
    set_global_log_level = _default_api.set_global_log_level
    get_global_log_level = _default_api.get_global_log_level
    add_log_categories = _default_api.add_log_categories
    time_ns = _default_api.time_ns
    perf_counter_ns = _default_api.perf_counter_ns
else:

    def __getattr__(name: str) -> object:
        """Import a name of :data:`~txaio_asyncio._api.ON_FIRST_USE`, ``Logger``,
        ``guess_stream_needs_encoding`` or ``__version__`` on first use.

        Each module imported costs start-up time, and many programs use only
        some of these. An API function is the default API object's, as the
        others are. Raises :class:`AttributeError` for any other missing name.
        """
        if name in ON_FIRST_USE:
            value = getattr(_default_api, name)
        elif name in ("Logger", "guess_stream_needs_encoding"):
            from txaio_asyncio import _logging

            value = getattr(_logging, name)
        elif name == "__version__":
            from txaio_asyncio._version import __version__ as value
        else:
            raise AttributeError(f"module 'txaio_asyncio' has no attribute {name!r}")
        globals()[name] = value
        return value

    def __dir__() -> list[str]:
        """Return the module's names, the ones not imported yet included."""
        return sorted({*globals(), *__all__})
