"""Where log lines go: ``start_logging``'s rules, writing a line, and the last-resort line.

Both backends write the same lines: the local time to the second (with the
UTC offset on Twisted, as the original did), a space, the message.
"""

from __future__ import annotations

import math
import sys
import threading
from collections.abc import Callable
from typing import Any

from txaio_core.failure import safe_str
from txaio_core.levels import check_level
from txaio_core.log_format import message_text
from txaio_core.log_support import guess_stream_needs_encoding

__all__ = ["LineWriter", "LogOutput", "TimeStamps", "report_broken_log_call"]


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


class TimeStamps:
    """Local ISO 8601 times to the second, each second formatted only once.

    Formatting the time is much of the cost of writing a line, and busy
    servers write many lines per second.
    """

    def __init__(self, with_offset: bool) -> None:
        self._format = "%Y-%m-%dT%H:%M:%S%z" if with_offset else "%Y-%m-%dT%H:%M:%S"
        self._cached: tuple[int, str] = (-(2**63), "-")

    def text(self, when: object) -> str:
        """Return ``when`` (seconds since the epoch) as text; ``"-"`` when it is not a time."""
        if type(when) is not float and type(when) is not int:
            return "-"
        if not math.isfinite(when):
            return "-"
        second = math.floor(when)
        cached = self._cached
        if cached[0] == second:
            return cached[1]
        # Imported here, once a line is written: ``datetime`` costs more to import
        # than the rest of txaio, and many programs never write a line.
        from datetime import datetime

        try:
            text = datetime.fromtimestamp(second).astimezone().strftime(self._format)
        except (OverflowError, OSError, ValueError):
            return "-"
        self._cached = (second, text)
        return text


class LineWriter:
    """Writes lines to a text stream, or UTF-8 to a binary one, flushing after each."""

    def __init__(self, out: Any) -> None:
        self.out = out
        self._binary = guess_stream_needs_encoding(out, default=False)
        self._flush = getattr(out, "flush", None)

    def write(self, line: str) -> None:
        """Write ``line`` and a newline; raises what the stream raises."""
        if self._binary:
            self.out.write(f"{line}\n".encode("utf-8", "backslashreplace"))
        else:
            self.out.write(f"{line}\n")
        if self._flush is not None:
            self._flush()
