"""The backend contract: what every txaio backend provides, written once.

A backend is a module (``txaio_asyncio``, ``txaio_twisted``) whose top-level
names satisfy :class:`Backend`; the object returned by its ``with_config``
satisfies the same protocol. The ``txaio`` facade binds exactly the names in
:data:`BACKEND_NAMES` from the selected backend, once, at selection time.
Modules can satisfy a :class:`typing.Protocol`, so ``mypy`` checks each
backend against this declaration, and a test compares the runtime signatures.

:class:`Backend` is the one list of the API: :data:`BACKEND_NAMES` is read off
it, not written beside it. Functions that return a future are declared to
return an :class:`IFuture`, which both frameworks' futures satisfy, so a
library's ``mypy`` sees the same type on either. It is defined here, with the
declarations that use it, and is a name of :mod:`txaio_core.interfaces` too
(imported from here on first use: the backends do not import this module).
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Iterable
from types import TracebackType
from typing import Any, Protocol, TypeVar

from txaio_core import interfaces as _interfaces

__all__ = [
    "BACKEND_ATTRIBUTES",
    "BACKEND_FUNCTIONS",
    "BACKEND_NAMES",
    "Backend",
    "BackendConfig",
    "IFuture",
    "declared_names",
]

_T_co = TypeVar("_T_co", covariant=True)


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


class BackendConfig(Protocol):
    """The mutable configuration of a backend: today only the event loop."""

    loop: Any


class Backend(Protocol):
    """Everything a backend offers; see the txaio manual for the semantics."""

    using_twisted: bool
    using_asyncio: bool
    config: BackendConfig

    IFailedFuture: type[_interfaces.IFailedFuture]
    ILogger: type[_interfaces.ILogger]

    def with_config(self, loop: Any = None) -> Backend:
        """Return an API object like this one, bound to ``loop``."""
        ...

    def create_future(
        self, result: Any = ..., error: Any = ..., canceller: Callable[[Any], object] | None = ...
    ) -> IFuture[Any]:
        """Return a new native future, resolved or failed when asked."""
        ...

    def create_future_success(self, result: Any) -> IFuture[Any]:
        """Return a future already resolved with ``result``."""
        ...

    def create_future_error(self, error: Any = ...) -> IFuture[Any]:
        """Return a future already failed with ``error``."""
        ...

    def create_failure(self, exception: BaseException | None = ...) -> _interfaces.IFailedFuture:
        """Return an :class:`IFailedFuture` for ``exception`` or the one being handled."""
        ...

    def as_future(self, fun: Callable[..., Any], *args: Any, **kwargs: Any) -> IFuture[Any]:
        """Call ``fun`` and return a future of its outcome."""
        ...

    def is_future(self, obj: Any) -> bool:
        """Return whether ``obj`` is a future of this backend."""
        ...

    def is_called(self, future: Any) -> bool:
        """Return whether ``future`` has a result or an error."""
        ...

    def resolve(self, future: Any, result: Any = ...) -> None:
        """Resolve ``future`` with ``result``."""
        ...

    def reject(self, future: Any, error: Any = ...) -> None:
        """Fail ``future`` with ``error`` (or the exception being handled)."""
        ...

    def cancel(self, future: Any, msg: str | None = ...) -> None:
        """Cancel ``future``, running its canceller."""
        ...

    def add_callbacks(
        self,
        future: Any,
        callback: Callable[[Any], Any] | None,
        errback: Callable[[_interfaces.IFailedFuture], Any] | None,
    ) -> IFuture[Any]:
        """Add a callback and/or an errback to ``future``; return ``future``."""
        ...

    def gather(self, futures: Iterable[Any], consume_exceptions: bool = ...) -> IFuture[list[Any]]:
        """Return a future of the list of the outcomes of ``futures``."""
        ...

    def call_later(self, delay: float, fun: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """Call ``fun`` after ``delay`` seconds; return the framework's handle."""
        ...

    def sleep(self, delay: float) -> IFuture[None]:
        """Return a future resolved after ``delay`` seconds."""
        ...

    def make_batched_timer(
        self, bucket_seconds: float, chunk_size: int = ...
    ) -> _interfaces.IBatchedTimer:
        """Return a batched timer on this backend's clock."""
        ...

    def failure_message(self, fail: _interfaces.IFailedFuture) -> str:
        """Return ``"ExcType: text"`` for ``fail``."""
        ...

    def failure_traceback(self, fail: _interfaces.IFailedFuture) -> TracebackType | None:
        """Return the traceback object of ``fail``."""
        ...

    def failure_format_traceback(self, fail: _interfaces.IFailedFuture) -> str:
        """Return the formatted traceback of ``fail``."""
        ...

    def make_logger(self, level: str | None = ..., logger: Any = ...) -> _interfaces.ILogger:
        """Return a logger named after the calling class or module."""
        ...

    def start_logging(self, out: Any = ..., level: str = ...) -> None:
        """Start writing log events to ``out`` at ``level``."""
        ...

    def set_global_log_level(self, level: str) -> None:
        """Set the level of every logger that has no level of its own."""
        ...

    def get_global_log_level(self) -> str:
        """Return the global log level."""
        ...

    def add_log_categories(self, categories: dict[str, str]) -> None:
        """Register message formats selected by ``log_category=``."""
        ...

    def time_ns(self) -> int:
        """Return wall-clock time in nanoseconds."""
        ...

    def perf_counter_ns(self) -> int:
        """Return a monotonic counter in nanoseconds."""
        ...


def declared_names(protocol: type) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Return the attributes and the methods a protocol class declares, each in source order.

    Attributes are the annotated names of the class body; methods its public
    functions. Names from base classes are not included.
    """
    # The class's own annotations (Python 3.10+ does not inherit them here).
    attributes = tuple(getattr(protocol, "__annotations__", {}))
    methods = tuple(
        name
        for name, value in vars(protocol).items()
        if not name.startswith("_") and callable(value) and name not in attributes
    )
    return attributes, methods


#: What every backend defines, as :class:`Backend` declares it: the values (the
#: flags, ``config``, the interface classes), then the functions.
BACKEND_ATTRIBUTES, BACKEND_FUNCTIONS = declared_names(Backend)
#: The names every backend module defines and the facade binds: :class:`Backend`'s.
BACKEND_NAMES: tuple[str, ...] = BACKEND_ATTRIBUTES + BACKEND_FUNCTIONS
