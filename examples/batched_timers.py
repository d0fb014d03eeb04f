"""make_batched_timer: many timeouts served by a few real delayed calls.

Calls are grouped into buckets of ``bucket_seconds``; a call never fires early,
at most about one bucket late. Handy for per-connection timeouts on big servers.

    python examples/batched_timers.py --framework asyncio
    python examples/batched_timers.py --framework twisted
"""

from __future__ import annotations

import txaio
from _demo import now, run, select_framework

select_framework()


async def main() -> None:
    timer = txaio.make_batched_timer(0.05, chunk_size=2)
    start = now()
    early: list[str] = []
    fired: list[str] = []

    def timeout(name: str, delay: float) -> None:
        if now() - start < delay:
            early.append(name)
        fired.append(name)

    delays = {"conn-1": 0.01, "conn-2": 0.02, "conn-3": 0.03, "conn-4": 0.06, "conn-5": 0.07}
    handles = {
        name: timer.call_later(delay, timeout, name, delay) for name, delay in delays.items()
    }
    handles["conn-3"].cancel()  # the connection answered in time
    print(f"scheduled {len(delays)} timeouts, cancelled conn-3")

    await txaio.sleep(0.25)
    print(f"fired: {', '.join(sorted(fired))}")
    print(f"fired before their delay: {len(early)}")


run(main)
