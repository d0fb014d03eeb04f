"""Facade details the original txaio's own test suite relies on (``hatch run compat:original``)."""

from __future__ import annotations

import pytest

from tests.txaio._subprocess import FRAMEWORKS, needs_twisted, run_snippet


@pytest.mark.parametrize(
    ("alias", "framework"),
    [("aio", "asyncio"), pytest.param("tx", "twisted", marks=needs_twisted)],
)
def test_selecting_makes_the_backend_module_an_attribute_of_txaio(
    alias: str, framework: str
) -> None:
    run_snippet(
        f"""
        import sys
        import txaio
        assert "txaio.{alias}" not in sys.modules
        txaio.use_{framework}()
        import txaio_{framework}
        assert txaio.{alias} is txaio_{framework}
        assert txaio.{alias}.create_future is txaio.create_future
        """
    )


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_already_resolved_error_is_one_portable_name(framework: str) -> None:
    run_snippet(
        f"""
        import txaio, txaio_core.checks
        assert txaio.AlreadyResolvedError is txaio_core.checks.AlreadyResolvedError
        assert issubclass(txaio.AlreadyResolvedError, RuntimeError)
        txaio.use_{framework}()
        future = txaio.create_future()
        txaio.resolve(future, 1)
        try:
            txaio.resolve(future, 2)
        except txaio.AlreadyResolvedError as error:
            assert "already done (resolved)" in str(error)
        else:
            raise AssertionError("resolving twice did not raise")
        """
    )


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_testutil_replace_loop_puts_back_an_unset_loop(framework: str) -> None:
    loop = (
        "__import__('twisted.internet.task').internet.task.Clock()"
        if framework == "twisted"
        else "__import__('asyncio').new_event_loop()"
    )
    run_snippet(
        f"""
        import sys
        import txaio
        from txaio.testutil import replace_loop
        txaio.use_{framework}()
        assert txaio.config.loop is None
        new = {loop}
        with replace_loop(new) as replaced:
            assert replaced is new
            assert txaio.config.loop is new
        assert txaio.config.loop is None
        assert "twisted.internet.reactor" not in sys.modules
        """
    )


@needs_twisted
def test_twisted_reactor_is_taken_by_the_first_call_that_needs_it_not_by_reading_config() -> None:
    run_snippet(
        """
        import sys
        import txaio
        txaio.use_twisted()
        assert txaio.config.loop is None
        assert txaio.with_config().config.loop is None
        assert "twisted.internet.reactor" not in sys.modules
        txaio.call_later(1, lambda: None).cancel()
        from twisted.internet import reactor
        assert txaio.config.loop is reactor
        """
    )


@needs_twisted
@pytest.mark.parametrize(
    "needs_reactor",
    [
        "txaio.sleep(1).cancel()",
        "txaio.make_batched_timer(1).call_later(1, print).cancel()",
    ],
)
def test_twisted_sleep_and_batched_timers_take_the_reactor_when_they_need_it(
    needs_reactor: str,
) -> None:
    run_snippet(
        f"""
        import sys
        import txaio
        txaio.use_twisted()
        txaio.make_batched_timer(1)
        assert "twisted.internet.reactor" not in sys.modules
        {needs_reactor}
        from twisted.internet import reactor
        assert txaio.config.loop is reactor
        """
    )
