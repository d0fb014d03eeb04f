"""gather: wait for several futures; results come back in input order.

python examples/gather.py --framework asyncio
python examples/gather.py --framework twisted
"""

from __future__ import annotations

from typing import Any

import txaio
from _demo import run, select_framework

select_framework()


def settle_later(delay: float, value: Any) -> Any:
    """Return a future that settles after ``delay`` seconds, failing if ``value`` is an error."""
    future = txaio.create_future()
    if isinstance(value, Exception):
        txaio.call_later(delay, txaio.reject, future, value)
    else:
        txaio.call_later(delay, txaio.resolve, future, value)
    return future


def describe(outcome: Any) -> str:
    if isinstance(outcome, txaio.IFailedFuture):
        return f"failure {txaio.failure_message(outcome)}"
    return repr(outcome)


def main() -> Any:
    done = txaio.create_future()
    # The last settles first: the list still follows the input order.
    futures = [
        settle_later(0.03, "first"),
        settle_later(0.02, KeyError("second")),
        settle_later(0.01, "third"),
    ]

    def report_consumed(outcomes: list[Any]) -> list[Any]:
        print("consume_exceptions=True gives a plain list, failures in place:")
        for outcome in outcomes:
            print(f"  {describe(outcome)}")
        not_consumed()
        return outcomes

    def not_consumed() -> None:
        futures = [settle_later(0.01, "fine"), settle_later(0.02, RuntimeError("boom"))]
        gathered = txaio.gather(futures, consume_exceptions=False)
        txaio.add_callbacks(gathered, unexpected, report_not_consumed)

    def unexpected(outcomes: list[Any]) -> list[Any]:
        print(f"unexpected success: {outcomes!r}")
        txaio.resolve(done, None)
        return outcomes

    def report_not_consumed(fail: txaio.IFailedFuture) -> None:
        print("consume_exceptions=False fails with the first failure:")
        print(f"  {txaio.failure_message(fail)}")
        txaio.resolve(done, None)

    txaio.add_callbacks(txaio.gather(futures), report_consumed, None)
    return done


run(main)
