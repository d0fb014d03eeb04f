"""The configuration: which event loop an API call uses (the configured one, the running one,
or the thread's), the module's ``config`` and ``replace_loop``."""

from __future__ import annotations

import asyncio
import sys
import threading
from asyncio import AbstractEventLoop
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from txaio_core.contract import BackendConfig

__all__ = [
    "LOOP_METHODS",
    "Config",
    "check_loop",
    "config",
    "replace_loop",
    "running_loop",
    "thread_loop",
]

#: The loop running in the calling thread, or None. ``asyncio.get_running_loop()``
#: raises when there is none; this C function (the one ``asyncio`` itself calls
#: first in ``get_event_loop()``, and exported for third-party loops) returns
#: None instead, so the common "no running loop" case costs no exception.
#: Canary: tests/asyncio/test_internals.py.
running_loop: Callable[[], AbstractEventLoop | None] = asyncio.events._get_running_loop


#: The loop methods the API calls: an object that has them all is taken for a loop
#: (a test double such as ``unittest.mock.Mock()`` included, as the original allows).
LOOP_METHODS: tuple[str, ...] = (
    "call_later",
    "create_future",
    "create_task",
    "time",
    "call_exception_handler",
)


def check_loop(loop: object, argument: str = "loop") -> AbstractEventLoop | None:
    """Return ``loop`` if it is None, an asyncio event loop, or has the loop methods we use.

    Anything with every method of :data:`LOOP_METHODS` passes (a duck-typed or
    mock loop); anything else raises :class:`TypeError` naming ``argument``.
    """
    if loop is None or isinstance(loop, AbstractEventLoop):
        return loop
    if isinstance(loop, type):
        # A loop class has the methods too, unbound: a likely slip for an instance.
        problem = "a class, not an instance"
    else:
        missing = [name for name in LOOP_METHODS if not callable(getattr(loop, name, None))]
        if not missing:
            return loop  # type: ignore[return-value]
        problem = f"it lacks {', '.join(missing)}"
    raise TypeError(
        f"{argument} must be an asyncio event loop (or an object with its "
        f"{', '.join(LOOP_METHODS)} methods) or None, not {type(loop).__name__} "
        f"{loop!r:.80}: {problem}"
    )


class Config:
    """The configuration of an API: ``loop`` is the event loop to use, or None.

    With ``loop`` None, each call uses the loop running in the calling thread,
    or else that thread's event loop. Assigning anything that is neither None
    nor a loop (see :func:`check_loop`) to ``loop`` raises :class:`TypeError`.
    """

    # A slot keeps ``config.loop`` -- read on every future created -- a C-level read;
    # only assignment goes through the Python-level check below.
    __slots__ = ("loop",)

    # Typed Any, as in the contract's BackendConfig: the setter checks the type.
    loop: Any

    def __init__(self, loop: AbstractEventLoop | None = None) -> None:
        self.loop = loop

    def __setattr__(self, name: str, value: Any) -> None:
        if name == "loop":
            value = check_loop(value, "config.loop")
        object.__setattr__(self, name, value)

    def __repr__(self) -> str:
        return f"<txaio_asyncio.Config loop={self.loop!r}>"


#: The module's configuration: set ``config.loop`` to make every call use that loop.
config: BackendConfig = Config()


@contextmanager
def replace_loop(loop: Any) -> Iterator[Any]:
    """Use ``loop`` as the module's event loop inside the ``with`` block; yield it.

    Afterwards the previous ``config.loop`` comes back (``None`` included), also
    when the block raises. Raises :class:`TypeError` naming ``config.loop``
    when ``loop`` is neither None nor an event loop.
    """
    previous = config.loop
    config.loop = loop
    try:
        yield loop
    finally:
        config.loop = previous


def _first_loop_of_thread() -> AbstractEventLoop:
    # No loop was set for the calling thread.
    if threading.current_thread() is not threading.main_thread():
        raise RuntimeError(
            f"There is no event loop in thread {threading.current_thread().name!r}: "
            "run one, call asyncio.set_event_loop(), or set txaio.config.loop "
            "(or use with_config(loop=...))"
        )
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    return loop


if sys.version_info >= (3, 14):

    def thread_loop() -> AbstractEventLoop:
        """Return the calling thread's event loop, used when no loop is running.

        In the main thread, when no loop was ever set, a new loop is created and
        set as the thread's loop (what ``asyncio.get_event_loop()`` did before
        Python 3.12). In other threads without a loop, raises
        :class:`RuntimeError` saying how to fix it.
        """
        # From 3.14 ``get_event_loop()`` raises when no loop is set, creates none
        # and does not warn: the public API says all we need, and the policy
        # system (deprecated in 3.14, gone in 3.16) is left alone.
        try:
            return asyncio.get_event_loop()
        except RuntimeError:
            return _first_loop_of_thread()

else:

    def thread_loop() -> AbstractEventLoop:
        """Return the calling thread's event loop, used when no loop is running.

        In the main thread, when no loop was ever set, a new loop is created and
        set as the thread's loop (what ``asyncio.get_event_loop()`` did before
        Python 3.12), without the DeprecationWarning Python 3.12 and 3.13 emit
        for that. In other threads without a loop, raises :class:`RuntimeError`
        saying how to fix it.
        """
        # Before 3.14 ``get_event_loop()`` creates a loop when none is set (3.12
        # and 3.13 warn as they do), so ask the policy what is set instead.
        policy = asyncio.get_event_loop_policy()
        loop = loop_set_in_policy(policy)
        if loop is _UNKNOWN:
            # A foreign policy: it knows best.
            found: AbstractEventLoop = policy.get_event_loop()
            return found
        if loop is None:
            return _first_loop_of_thread()
        return loop  # type: ignore[no-any-return]


def loop_set_in_policy(policy: object) -> Any:
    """Return the loop the standard event loop ``policy`` holds for the calling thread.

    Returns None when none was set, and :data:`_UNKNOWN` for a policy of another
    kind. Used before Python 3.14 only: the standard policies keep the loop in
    the private ``policy._local._loop``, and reading it is the only way to learn
    "no loop set yet" without ``policy.get_event_loop()`` creating one (and
    warning, on 3.12 and 3.13). Canary: tests/asyncio/test_internals.py.
    """
    return getattr(getattr(policy, "_local", None), "_loop", _UNKNOWN)


_UNKNOWN: Any = object()
