"""A portable library: a request that is retried when it fails or times out.

Written with the txaio API only, so it runs unmodified on asyncio and on
Twisted; ``test_retrying.py`` next to it tests it on both with the txaio pytest
plugin (``pytest examples/``). Not a demo script: ``examples/run_all.py`` runs
only the scripts directly in ``examples/``.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import txaio

__all__ = ["GaveUp", "request_with_retry"]


class GaveUp(Exception):
    """Every attempt failed or timed out; ``errors`` holds what each one ended with."""

    def __init__(self, errors: list[BaseException]) -> None:
        super().__init__(f"gave up after {len(errors)} attempts; the last: {errors[-1]!r}")
        self.errors = errors


def _check_positive(name: str, value: object, *, integer: bool = False) -> None:
    wrong_type = isinstance(value, bool) or not isinstance(value, int if integer else (int, float))
    if wrong_type or not isinstance(value, (int, float)):
        expected = "an int" if integer else "a number"
        raise TypeError(f"{name} must be {expected}, got {type(value).__name__} {value!r}")
    if not math.isfinite(value) or value <= 0:
        raise ValueError(f"{name} must be > 0, got {value!r}")


def request_with_retry(
    send: Callable[[], Any], *, attempts: int = 3, timeout: float = 1.0, backoff: float = 0.5
) -> Any:
    """Call ``send()`` until one of its answers arrives within ``timeout`` seconds.

    ``send`` returns a future (or a plain value, or is a coroutine function).
    An attempt that fails, or has no answer after ``timeout`` seconds (then its
    future is cancelled), is retried after ``backoff`` seconds, doubling each
    time, at most ``attempts`` times in all. Returns a future of the first
    answer, which fails with :class:`GaveUp` when every attempt failed.
    Raises :class:`TypeError` / :class:`ValueError` for a bad argument.
    """
    if not callable(send):
        raise TypeError(f"send must be callable, got {type(send).__name__} {send!r}")
    _check_positive("attempts", attempts, integer=True)
    _check_positive("timeout", timeout)
    _check_positive("backoff", backoff)
    result = txaio.create_future()
    errors: list[BaseException] = []

    def attempt() -> None:
        answer = txaio.as_future(send)
        timed_out = [False]

        def give_up_waiting() -> None:
            timed_out[0] = True
            txaio.cancel(answer)

        timer = txaio.call_later(timeout, give_up_waiting)

        def answered(value: Any) -> None:
            timer.cancel()
            txaio.resolve(result, value)

        def failed(failure: txaio.IFailedFuture) -> None:
            if timed_out[0]:
                errors.append(TimeoutError(f"no answer within {timeout} s"))
            else:
                timer.cancel()
                errors.append(failure.value)
            if len(errors) == attempts:
                txaio.reject(result, GaveUp(errors))
            else:
                txaio.call_later(backoff * 2 ** (len(errors) - 1), attempt)

        # Both handlers return None: on Twisted that ends the failure, as it should.
        txaio.add_callbacks(answer, answered, failed)

    attempt()
    return result
