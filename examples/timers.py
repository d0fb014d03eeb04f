"""call_later and sleep: delayed calls, cancelling one, and waiting in a coroutine.

python examples/timers.py --framework asyncio
python examples/timers.py --framework twisted
"""

from __future__ import annotations

from typing import Any

import txaio
from _demo import now, run, select_framework

select_framework()


async def main() -> None:
    start = now()
    fired: list[str] = []

    def ring(name: str, after: float) -> None:
        on_time = now() - start >= after - 0.001  # loop clocks may round by a millisecond
        fired.append(name)
        print(f"{name} fired (not before its delay: {on_time})")

    txaio.call_later(0.03, ring, "third", 0.03)
    txaio.call_later(0.01, ring, "first", 0.01)
    txaio.call_later(0.02, ring, name="second", after=0.02)  # keyword arguments work too
    cancelled = txaio.call_later(0.015, ring, "cancelled", 0.015)
    cancelled.cancel()
    print("scheduled four calls and cancelled one")

    await txaio.sleep(0.05)  # sleep returns a future; coroutines await it on both frameworks
    print(f"after sleeping 0.05 s, fired in order: {', '.join(fired)}")

    waited: Any = txaio.sleep(0.01)
    print(f"sleep returns a future: {txaio.is_future(waited)}")
    await waited
    print("done")


run(main)
