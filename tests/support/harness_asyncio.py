"""The asyncio harness outside the plugin's fixtures: ``txaio_asyncio`` on a fake clock.

Built on the txaio pytest plugin's asyncio driver: a fresh
:class:`~txaio.pytest_plugin.asyncio_driver.FakeClockLoop` (a real selector
loop whose ``time()`` moves only with the fake clock) installed as
``txaio_asyncio.config.loop``, and every error the loop reports recorded.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import txaio_asyncio
from tests.support.harness import DriverHarness
from txaio.pytest_plugin.asyncio_driver import AsyncioDriver, FakeClockLoop

__all__ = ["AsyncioHarness", "FakeClockLoop", "make_harness"]

#: The harness of the asyncio backend's own tests.
AsyncioHarness = DriverHarness


@contextmanager
def make_harness() -> Iterator[DriverHarness]:
    """Yield a harness on a fresh fake-clock loop installed as ``txaio_asyncio.config.loop``.

    Restores the previous ``config.loop`` and global log level afterwards, and
    closes the loop.
    """
    api = txaio_asyncio
    driver = AsyncioDriver(fake_clock=True, make_current=False)
    assert driver.clock is not None
    previous_loop = api.config.loop
    previous_level = api.get_global_log_level()
    api.config.loop = driver.loop
    reports = driver.reports
    try:
        yield DriverHarness("asyncio", api, driver.loop, driver.clock, lambda: reports)
    finally:
        api.config.loop = previous_loop
        api.set_global_log_level(previous_level)
        driver.close()
