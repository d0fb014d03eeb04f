"""Where log lines go: ``start_logging``'s rules, and the last-resort line of a broken log call."""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from typing import Any

from txaio_core.failure import safe_str
from txaio_core.levels import check_level
from txaio_core.log_format import message_text

__all__ = ["LogOutput", "report_broken_log_call"]


def report_broken_log_call(problem: BaseException, message: object = None) -> None:
    """Write one line about a log call that failed to ``sys.__stderr__``; never raise.

    A log call must not raise into the application, nor may its failure
    vanish. The interpreter's original standard error is used because
    ``sys.stderr`` may itself feed the log (Twisted redirects it there).
    """
    try:
        stream = sys.__stderr__
        if stream is None:
            return
        text = message_text(message)
        if len(text) > 200:
            text = text[:197] + "..."
        stream.write(
            f"txaio: a log call failed: {type(problem).__name__}: {safe_str(problem)} "
            f"(message: {text!r})\n"
        )
        stream.flush()
    except Exception:
        pass


class LogOutput:
    """The one stream a backend's ``start_logging`` writes to, once started.

    The rules, the same on every backend: the first call starts the output
    (on ``out``, or the backend's default stream); a later call with the same
    stream, or with none, only changes the level; a later call with another
    stream is refused.
    """

    def __init__(self) -> None:
        self.stream: Any = None
        self._lock = threading.Lock()

    @property
    def started(self) -> bool:
        """Whether the output has been started."""
        return self.stream is not None

    def start(
        self,
        out: Any,
        level: str,
        *,
        default: Callable[[], Any],
        begin: Callable[[Any], None],
        set_level: Callable[[str], None],
        means_default: Callable[[Any], bool] = lambda out: False,
    ) -> None:
        """Apply ``start_logging(out, level)``.

        ``default()`` gives the stream when ``out`` is None (or
        ``means_default(out)``); ``begin(stream)`` starts the backend's output,
        once; ``set_level(level)`` sets the global level (before ``begin`` on
        the first call). Raises :class:`~txaio_core.levels.InvalidLogLevelError`
        for an unknown level, :class:`TypeError` when ``out`` has no ``write()``,
        and :class:`RuntimeError` when the output already goes to another stream.
        """
        check_level(level)
        if out is not None and not callable(getattr(out, "write", None)):
            raise TypeError(f"out must be a text or binary stream, not {type(out).__name__}")
        given = None if out is None or means_default(out) else out
        with self._lock:
            if self.stream is None:
                stream = default() if given is None else given
                set_level(level)
                begin(stream)
                self.stream = stream
                return
            if given is not None and given is not self.stream:
                raise RuntimeError(
                    f"start_logging(): logging already goes to {self.stream!r:.80}, not to "
                    f"out={out!r:.80}; call it again with the same stream (or out=None) "
                    "to change the level"
                )
        set_level(level)

    def stop(self) -> Any:
        """Forget the stream (for tests); return it, or None when not started."""
        with self._lock:
            stream, self.stream = self.stream, None
        return stream
