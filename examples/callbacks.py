"""Callbacks and errbacks: the same code on asyncio futures and Twisted Deferreds.

python examples/callbacks.py --framework asyncio
python examples/callbacks.py --framework twisted
"""

from __future__ import annotations

from typing import Any

import txaio
from _demo import run, select_framework

select_framework()


def on_value(value: Any) -> Any:
    print(f"callback got {value!r}")
    return value  # always return the argument: Twisted passes it to the next callback


def on_error(fail: txaio.IFailedFuture) -> txaio.IFailedFuture:
    print(f"errback got {txaio.failure_message(fail)}")
    print(f"  an IFailedFuture: {isinstance(fail, txaio.IFailedFuture)}")
    print(f"  .value is the exception: {type(fail.value).__name__}")
    return fail  # returning the failure keeps the error for later errbacks


def divide(a: int, b: int) -> float:
    return a / b


def main() -> Any:
    resolved = txaio.create_future()
    txaio.add_callbacks(resolved, on_value, on_error)
    txaio.resolve(resolved, 42)

    rejected = txaio.create_future()
    txaio.add_callbacks(rejected, on_value, on_error)
    txaio.reject(rejected, RuntimeError("it failed"))

    try:
        divide(1, 0)
    except ZeroDivisionError:
        captured = txaio.create_failure()  # the exception being handled, with its traceback
    from_failure = txaio.create_future(error=captured)
    txaio.add_callbacks(from_failure, on_value, on_error)

    already = txaio.create_future_success("ready")
    txaio.add_callbacks(already, on_value, None)

    def report(outcomes: list[Any]) -> None:
        print(f"futures settled: {len(outcomes)}")
        for outcome in outcomes:
            if isinstance(outcome, txaio.IFailedFuture):
                print(f"  failed: {txaio.failure_message(outcome)}")
                if isinstance(outcome.value, ZeroDivisionError):
                    where = "divide" in txaio.failure_format_traceback(outcome)
                    print(f"  its traceback shows where it was raised: {where}")
            else:
                print(f"  value: {outcome!r}")

    everything = txaio.gather([resolved, rejected, from_failure, already])
    return txaio.add_callbacks(everything, report, None)


run(main)
