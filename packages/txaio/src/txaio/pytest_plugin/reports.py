"""The errors a framework reported during a test, and how they fail it."""

from __future__ import annotations

from collections.abc import Callable

__all__ = ["Reports"]


class Reports:
    """Every error the framework's own error reporting received during one test.

    That is asyncio's loop exception handler ("exception was never retrieved",
    a callback that raised, ...) and Twisted's logged failures ("Unhandled error
    in Deferred", ``log.failure``, a batched timer call that raised). The
    ``txaio_reports`` fixture is this object: a test that asks for it checks the
    reports itself, and they no longer fail it.
    """

    def __init__(self, settle: Callable[[], None]) -> None:
        #: The reported exceptions, in order.
        self.errors: list[BaseException] = []
        #: The formatted text of each report (what was said, and the traceback).
        self.texts: list[str] = []
        #: True once the test took responsibility for the reports.
        self.claimed = False
        self._settle = settle

    def add(self, error: BaseException, text: str) -> None:
        """Record one report: the exception and its formatted text."""
        self.errors.append(error)
        self.texts.append(text)

    def collect(self) -> None:
        """Run what is ready, collect garbage, and run again, so pending reports arrive.

        An unhandled failed future is reported only when it is garbage collected
        (asyncio's "exception was never retrieved", Twisted's "Unhandled error in
        Deferred"); call this before looking at :attr:`errors` to see those.
        """
        self._settle()

    def clear(self) -> None:
        """Forget the reports seen so far."""
        self.errors.clear()
        self.texts.clear()

    def failure_text(self, framework: str) -> str:
        """Return the message that fails a test because of these reports."""
        count = len(self.texts)
        plural = "s" if count != 1 else ""
        head = (
            f"{framework} reported {count} unhandled error{plural} during the test "
            "(a test that expects them can take the txaio_reports fixture and check them):"
        )
        body = "\n\n".join(f"--- report {n} ---\n{text}" for n, text in enumerate(self.texts, 1))
        return f"{head}\n\n{body}"
