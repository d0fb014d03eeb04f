"""The harness through which contract tests drive a backend deterministically.

Each backend supplies one implementation (``tests/support/harness_asyncio.py``
and ``tests/support/harness_twisted.py``). Contract tests use only what is
declared here, so every test runs unchanged on asyncio and on Twisted.
"""

from __future__ import annotations

from typing import Any, Protocol


class Harness(Protocol):
    """A backend bound to a fake clock, with its error reports captured."""

    #: "asyncio" or "twisted".
    name: str
    #: The backend module (``txaio_asyncio`` / ``txaio_twisted``), or the ``txaio``
    #: facade, with its ``config.loop`` set to the harness's fake-clock loop for
    #: the duration of the test (and restored afterwards).
    api: Any
    #: The fake-clock loop / reactor that ``api`` uses.
    loop: Any
    #: Every error reported to the framework's own error reporting during the
    #: test (asyncio's loop exception handler, Twisted's logged failures and
    #: "Unhandled error in Deferred"), as the exception objects, in order.
    reported: list[BaseException]
    #: The formatted text of each of those reports (with the traceback), same order.
    reported_text: list[str]

    def run_until_idle(self) -> None:
        """Run every callback that is ready now, repeatedly, without moving the clock."""

    def advance(self, seconds: float) -> None:
        """Move the fake clock forward by ``seconds``, running everything that comes due."""

    def now(self) -> float:
        """Return the fake clock's current time in seconds."""

    def collect_garbage(self) -> None:
        """Force garbage collection so unhandled failed futures get reported."""
