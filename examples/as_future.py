"""as_future: treat plain functions, failing functions and coroutines alike.

python examples/as_future.py --framework asyncio
python examples/as_future.py --twisted
"""

from __future__ import annotations

from typing import Any

import txaio
from _demo import run, select_framework

select_framework()


def add(a: int, b: int, *, scale: int = 1) -> int:
    return (a + b) * scale


def fail(reason: str) -> None:
    raise ValueError(reason)


async def fetch(key: str) -> str:
    await txaio.sleep(0.01)  # a future of either framework can be awaited
    return f"value of {key}"


def already_a_future(value: Any) -> Any:
    return txaio.create_future_success(value)


def show(label: str, future: Any) -> Any:
    """Print what ``future`` gives once it is done; return it."""

    def on_value(value: Any) -> Any:
        print(f"{label}: value {value!r} (from a future: {txaio.is_future(future)})")
        return value

    def on_error(fail: txaio.IFailedFuture) -> None:
        print(f"{label}: error {txaio.failure_message(fail)}")
        # returning None handles the error

    txaio.add_callbacks(future, on_value, on_error)
    return future


def main() -> Any:
    return txaio.gather(
        [
            show("plain function", txaio.as_future(add, 1, 2, scale=10)),
            show("raising function", txaio.as_future(fail, "bad input")),
            show("function returning a future", txaio.as_future(already_a_future, "as is")),
            show("async function", txaio.as_future(fetch, "answer")),
        ]
    )


run(main)
