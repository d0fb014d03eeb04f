"""Failures on asyncio: ``txaio_core.FailedFuture`` as txaio's ``IFailedFuture``."""

from __future__ import annotations

from txaio_core.failure import (
    capture_failure,
    failure_format_traceback,
    failure_message,
    failure_traceback,
)
from txaio_core.interfaces import IFailedFuture

__all__ = [
    "create_failure",
    "failure_format_traceback",
    "failure_message",
    "failure_traceback",
]


def create_failure(exception: BaseException | None = None) -> IFailedFuture:
    """Return an :class:`IFailedFuture` for ``exception``, or for the exception being handled.

    Without an argument it must be called inside an ``except`` block, and captures
    the current exception with its traceback; elsewhere it raises :class:`RuntimeError`.
    Raises :class:`TypeError` when ``exception`` is not an exception instance.
    """
    return capture_failure(exception)
