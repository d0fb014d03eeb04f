"""txaio: write one code base that runs unmodified on Twisted or on asyncio.

Select the framework once per process with :func:`use_asyncio` or
:func:`use_twisted` (or ``import txaio.with_asyncio`` / ``import txaio.with_twisted``).
Selection binds every API name of this module to the chosen backend's own
function, so a call such as ``txaio.create_future()`` goes straight to the
backend (a name the backend imports on first use is bound on first use). Until
then every API name raises :class:`RuntimeError` saying how to select a
framework.
"""

from __future__ import annotations

import threading
from types import ModuleType
from typing import TYPE_CHECKING, Any, NoReturn

# What resolving or rejecting an already resolved or failed future raises on both
# frameworks (also the framework's own asyncio.InvalidStateError / AlreadyCalledError,
# and a RuntimeError): `except txaio.AlreadyResolvedError` is portable.
from txaio_core.checks import AlreadyResolvedError as AlreadyResolvedError

# In the original txaio's order, which `from txaio import *` users may rely on.
__all__ = (  # noqa: RUF022
    "with_config",
    "using_twisted",
    "using_asyncio",
    "use_twisted",
    "use_asyncio",
    "config",
    "create_future",
    "create_future_success",
    "create_future_error",
    "create_failure",
    "as_future",
    "is_future",
    "reject",
    "resolve",
    "cancel",
    "add_callbacks",
    "gather",
    "is_called",
    "call_later",
    "failure_message",
    "failure_traceback",
    "failure_format_traceback",
    "make_batched_timer",
    "make_logger",
    "start_logging",
    "set_global_log_level",
    "get_global_log_level",
    "add_log_categories",
    "IFailedFuture",
    "ILogger",
    "sleep",
    "time_ns",
    "perf_counter_ns",
)

# The names a backend provides, bound from it at selection: all of ``__all__`` but
# the two selectors. tests/txaio/test_selection.py checks that they are exactly
# ``txaio_core.contract.BACKEND_NAMES``; reading them here spares importing the
# contract's protocol class with txaio.
_API_NAMES = tuple(name for name in __all__ if name not in ("use_twisted", "use_asyncio"))

_USAGE = (
    "To use txaio, you must first select a framework with txaio.use_asyncio() or "
    "txaio.use_twisted() (or `import txaio.with_asyncio` / `import txaio.with_twisted`)"
)


def _not_selected(*args: Any, **kwargs: Any) -> NoReturn:
    """Stand in for every API name until a framework is selected.

    Always raises :class:`RuntimeError` explaining how to select a framework.
    """
    raise RuntimeError(_USAGE)


class _UnselectedConfig:
    """``txaio.config`` before selection: a loop set here is handed to the chosen backend."""

    def __init__(self) -> None:
        self.loop: Any = None

    def __repr__(self) -> str:
        return f"<txaio config before framework selection: loop={self.loop!r}>"


#: The selected framework: ``None`` until one is selected, then ``"asyncio"`` or
#: ``"twisted"``. Outside the documented API, but libraries (Autobahn, zlmdb)
#: read it to decide whether they still have to select one.
_explicit_framework: str | None = None

if TYPE_CHECKING:
    # Every public name bound here is a name of the contract (a test checks it);
    # helpers are private.
    import txaio_asyncio as _txaio_asyncio
    import txaio_twisted as _txaio_twisted
    from txaio_core.contract import Backend as _Backend
    from txaio_core.contract import BackendConfig as _BackendConfig
    from txaio_core.interfaces import IFailedFuture, ILogger

    # mypy checks both backend modules against the contract here.
    _asyncio_backend: _Backend = _txaio_asyncio
    _twisted_backend: _Backend = _txaio_twisted

    # The API names as they are once a framework is selected, typed by the contract.
    _selected: _Backend = _asyncio_backend
    using_twisted: bool
    using_asyncio: bool
    config: _BackendConfig
    with_config = _selected.with_config
    create_future = _selected.create_future
    create_future_success = _selected.create_future_success
    create_future_error = _selected.create_future_error
    create_failure = _selected.create_failure
    as_future = _selected.as_future
    is_future = _selected.is_future
    is_called = _selected.is_called
    resolve = _selected.resolve
    reject = _selected.reject
    cancel = _selected.cancel
    add_callbacks = _selected.add_callbacks
    gather = _selected.gather
    call_later = _selected.call_later
    sleep = _selected.sleep
    make_batched_timer = _selected.make_batched_timer
    failure_message = _selected.failure_message
    failure_traceback = _selected.failure_traceback
    failure_format_traceback = _selected.failure_format_traceback
    make_logger = _selected.make_logger
    start_logging = _selected.start_logging
    set_global_log_level = _selected.set_global_log_level
    get_global_log_level = _selected.get_global_log_level
    add_log_categories = _selected.add_log_categories
    time_ns = _selected.time_ns
    perf_counter_ns = _selected.perf_counter_ns
else:
    using_twisted = False
    using_asyncio = False
    config = _UnselectedConfig()
    globals().update(
        dict.fromkeys(
            (n for n in _API_NAMES if n not in ("using_twisted", "using_asyncio", "config")),
            _not_selected,
        )
    )

if TYPE_CHECKING:
    from txaio import interfaces as interfaces
    from txaio._version import __version__

    #: The original txaio's name for the version string.
    version = __version__
else:

    def __getattr__(name: str) -> object:
        """Return an API name the selected backend imports on first use, or import
        ``txaio.interfaces`` or the version on first use, not with txaio.

        ``txaio.interfaces`` is an attribute as in the original, and so are
        ``__version__`` and ``version``; each module imported costs start-up
        time. Raises :class:`AttributeError` for any other missing name.
        """
        if name in _API_NAMES and _explicit_framework is not None:
            # A name the selected backend imports on first use (see _select).
            value = getattr(_load_backend(_explicit_framework), name)
            globals()[name] = value
            return value
        if name == "interfaces":
            from importlib import import_module

            # Importing the submodule makes it this module's attribute.
            return import_module("txaio.interfaces")
        if name not in ("__version__", "version"):
            raise AttributeError(f"module 'txaio' has no attribute {name!r}")
        from txaio._version import __version__

        globals().update(__version__=__version__, version=__version__)
        return __version__


_selection_lock = threading.Lock()
# The original's name of each framework's backend module, as an attribute of txaio.
_SUBMODULES = {"asyncio": "aio", "twisted": "tx"}

#: The module that implements each framework's side of the txaio API.
_BACKEND_MODULES = {"asyncio": "txaio_asyncio", "twisted": "txaio_twisted"}
_DISTRIBUTIONS = {"asyncio": "txaio-asyncio", "twisted": "txaio-twisted"}
_DISPLAY_NAMES = {"asyncio": "asyncio", "twisted": "Twisted"}
# Top-level packages a backend needs besides itself and txaio_core: missing one
# of these is an installation problem, not a bug in the backend.
_FRAMEWORK_PACKAGES = {"asyncio": ("asyncio",), "twisted": ("twisted", "zope")}

#: Set by :func:`txaio.testutil.use_framework` while it has selected a framework
#: for a test: why ``use_asyncio()`` / ``use_twisted()`` must not be called now.
_selection_pinned_by: str | None = None


def use_asyncio() -> None:
    """Select asyncio for this process; selecting it again does nothing.

    Raises :class:`RuntimeError` when Twisted was selected already, and
    :class:`ImportError` naming ``pip install txaio[asyncio]`` when the asyncio
    backend is not installed.
    """
    _select("asyncio")


def use_twisted() -> None:
    """Select Twisted for this process; selecting it again does nothing.

    Raises :class:`RuntimeError` when asyncio was selected already, and
    :class:`ImportError` naming ``pip install txaio[twisted]`` when Twisted or
    the Twisted backend is not installed.
    """
    _select("twisted")


def _select(framework: str) -> None:
    global _explicit_framework
    with _selection_lock:
        if _selection_pinned_by is not None:
            raise RuntimeError(
                f"txaio.use_{framework}() was called while {_selection_pinned_by}: code "
                "under test must not select a framework (the test selects it)"
            )
        if _explicit_framework == framework:
            return
        if _explicit_framework is not None:
            raise RuntimeError(
                f"txaio already uses {_explicit_framework!r} in this process and cannot "
                f"switch to {framework!r}: a process can select only one framework"
            )
        bindings = _backend_bindings(framework, everything=False)
        namespace = globals()
        early_config = namespace["config"]
        if isinstance(early_config, _UnselectedConfig) and early_config.loop is not None:
            # A loop set before selection is kept rather than silently dropped.
            bindings["config"].loop = early_config.loop
        namespace.update(bindings)
        _explicit_framework = framework
        # The names the backend imports on first use: __getattr__ takes each from
        # it then, so that selecting imports no more than the backend itself does.
        for name in _API_NAMES:
            if name not in bindings:
                namespace.pop(name, None)


def _load_backend(framework: str) -> ModuleType:
    """Import and return the backend module of ``framework`` ("asyncio" or "twisted").

    Raises :class:`ValueError` for another framework name, and :class:`ImportError`
    naming the ``pip install txaio[...]`` that fixes it when the backend or its
    framework is not installed. Any other import failure propagates unchanged.
    """
    module_name = _BACKEND_MODULES.get(framework)
    if module_name is None:
        raise ValueError(f"framework must be one of {tuple(_BACKEND_MODULES)}, got {framework!r}")
    from importlib import import_module

    try:
        return import_module(module_name)
    except ModuleNotFoundError as error:
        missing = (error.name or "").split(".")[0]
        if missing not in (module_name, "txaio_core", *_FRAMEWORK_PACKAGES[framework]):
            raise
        raise ImportError(_missing_backend_message(framework, missing), name=module_name) from error


def _missing_backend_message(framework: str, missing: str) -> str:
    """Return the message saying what is missing to use ``framework`` and how to install it."""
    what = (
        f"its backend, the {_DISTRIBUTIONS[framework]} distribution,"
        if missing == _BACKEND_MODULES[framework]
        else f"{missing!r}, which its backend needs,"
    )
    return (
        f"txaio cannot use {_DISPLAY_NAMES[framework]}: {what} is not installed. "
        f"Install it with: pip install txaio[{framework}]"
    )


def _backend_bindings(framework: str, everything: bool = True) -> dict[str, Any]:
    """Return the API names of ``framework``'s backend, by name.

    With ``everything`` False, only those the backend has defined already: a
    backend may import some of its modules on first use of one of their names
    (``txaio_asyncio`` does; its ``dir()`` lists them). Raises what
    :func:`_load_backend` raises, and :class:`ImportError` when the backend
    lacks a name of the contract (a version mismatch).
    """
    backend = _load_backend(framework)
    provided = set(dir(backend))
    missing = [name for name in _API_NAMES if name not in provided]
    if missing:
        raise ImportError(
            f"{backend.__name__} does not provide {', '.join(missing)}, which the txaio "
            "backend contract requires: its version does not match txaio's"
        )
    if everything:
        bindings = {name: getattr(backend, name) for name in _API_NAMES}
    else:
        defined = vars(backend)
        bindings = {name: defined[name] for name in _API_NAMES if name in defined}
    # The original's ``txaio.aio`` / ``txaio.tx`` is an attribute once selected.
    bindings[_SUBMODULES[framework]] = backend
    return bindings
