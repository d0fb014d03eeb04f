"""Patterns from Autobahn's own test suite, which must keep working on this txaio.

Each test reproduces, in a few lines, what an Autobahn test does with txaio.
"""

from __future__ import annotations

import pytest

from tests.txaio._subprocess import FRAMEWORKS, needs_twisted, run_snippet


@needs_twisted
def test_a_batched_timer_made_earlier_schedules_on_the_clock_of_replace_loop() -> None:
    # autobahn.websocket.test.test_websocket_frame.TestPing: the factory makes its
    # batched timer in setUp, the test then swaps in a Clock and expects the
    # auto-ping timeout on it.
    run_snippet(
        """
        import txaio
        from twisted.internet.task import Clock
        from txaio.testutil import replace_loop
        txaio.use_twisted()
        timer = txaio.make_batched_timer(1)
        fired = []
        with replace_loop(Clock()) as clock:
            timer.call_later(5, fired.append, "timeout")
            assert len(clock.calls) == 1, clock.calls
            clock.advance(6)
            assert fired == ["timeout"], fired
        """
    )


def test_a_batched_timer_made_earlier_schedules_on_the_loop_of_replace_loop() -> None:
    run_snippet(
        """
        import asyncio, txaio
        from txaio.testutil import replace_loop
        txaio.use_asyncio()
        timer = txaio.make_batched_timer(0.01)
        fired = []
        loop = asyncio.new_event_loop()
        try:
            with replace_loop(loop):
                timer.call_later(0.01, fired.append, "timeout")
                loop.run_until_complete(asyncio.sleep(0.05))
        finally:
            loop.close()
        assert fired == ["timeout"], fired
        """
    )


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_replace_loop_accepts_a_mock_loop(framework: str) -> None:
    # autobahn.asyncio.test.test_wamp_runner: `with replace_loop(Mock()) as loop:`
    run_snippet(
        f"""
        from unittest.mock import Mock
        import txaio
        from txaio.testutil import replace_loop
        txaio.use_{framework}()
        with replace_loop(Mock()) as loop:
            assert txaio.config.loop is loop
        txaio.config.loop = Mock()
        """
    )
