"""The Twisted harness outside the plugin's fixtures: ``txaio_twisted`` on a ``task.Clock``.

Built on the txaio pytest plugin's Twisted driver: errors Twisted reports
(logged failures, "Unhandled error in Deferred" at garbage collection, batched
timer errors) are recorded from ``twisted.logger``.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

import txaio_twisted
from tests.support.harness import DriverHarness
from txaio.pytest_plugin.twisted_driver import TwistedDriver

__all__ = ["TwistedHarness", "make_harness"]

#: The harness of the Twisted backend's own tests.
TwistedHarness = DriverHarness


@contextmanager
def make_harness() -> Iterator[DriverHarness]:
    """Yield a harness; restore the reactor setting and Twisted's log observers after."""
    api = txaio_twisted
    driver = TwistedDriver(fake_clock=True)
    assert driver.clock is not None
    previous = txaio_twisted.config.configured_loop  # type: ignore[attr-defined]
    api.config.loop = driver.loop
    reports = driver.reports
    try:
        yield DriverHarness("twisted", api, driver.loop, driver.clock, lambda: reports)
    finally:
        # Failed Deferreds of this test are reported now rather than at some
        # random later moment (inside another test, or inside CPython's compiler,
        # which trips CPython 3.11 up). The young generations hold them; a full
        # collection would cost ~0.15 s per test.
        gc.collect(1)
        driver.close()
        txaio_twisted.config.loop = previous
