"""The module names existing code imports: txaio.tx, txaio.aio, interfaces, testutil."""

from __future__ import annotations

import pytest

from tests.txaio._subprocess import FRAMEWORKS, needs_twisted, run_snippet


@pytest.mark.parametrize(
    ("alias", "framework"),
    [("aio", "asyncio"), pytest.param("tx", "twisted", marks=needs_twisted)],
)
def test_backend_modules_keep_their_original_names_and_do_not_select(
    alias: str, framework: str
) -> None:
    run_snippet(
        f"""
        import txaio.{alias}
        import txaio, txaio_{framework}
        assert txaio.{alias} is txaio_{framework}
        from txaio import {alias}
        assert {alias} is txaio_{framework}
        assert txaio._explicit_framework is None
        txaio.use_{framework}()
        assert txaio.{alias}.config is txaio.config
        """
    )


def test_interfaces_are_the_core_ones() -> None:
    import txaio.interfaces
    import txaio_core.interfaces

    for name in ("IFailedFuture", "ILogger", "IBatchedTimer", "log_levels"):
        assert getattr(txaio.interfaces, name) is getattr(txaio_core.interfaces, name)
    assert txaio.interfaces.log_levels == [
        "none",
        "critical",
        "error",
        "warn",
        "info",
        "debug",
        "trace",
    ]


@needs_twisted
def test_replace_loop_with_a_twisted_clock_runs_call_later_and_restores_on_error() -> None:
    run_snippet(
        """
        import txaio
        from twisted.internet.task import Clock
        from txaio.testutil import replace_loop
        txaio.use_twisted()
        before = txaio.config.loop
        clock, fired = Clock(), []
        try:
            with replace_loop(clock) as loop:
                assert loop is clock and txaio.config.loop is clock
                txaio.call_later(5, fired.append, "fired")
                clock.advance(4)
                assert fired == []
                clock.advance(1)
                assert fired == ["fired"]
                raise ValueError("the body fails")
        except ValueError:
            pass
        assert txaio.config.loop is before
        """
    )


def test_replace_loop_with_an_asyncio_loop_and_restores_on_error() -> None:
    run_snippet(
        """
        import asyncio, txaio
        from txaio.testutil import replace_loop
        txaio.use_asyncio()
        before = txaio.config.loop
        loop = asyncio.new_event_loop()
        try:
            with replace_loop(loop) as replaced:
                assert replaced is loop and txaio.config.loop is loop
                future = txaio.create_future()
                assert future.get_loop() is loop
                raise ValueError("the body fails")
        except ValueError:
            pass
        finally:
            loop.close()
        assert txaio.config.loop is before
        """
    )


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_replace_loop_patches_whatever_config_is_current(framework: str) -> None:
    run_snippet(
        f"""
        from unittest import mock
        import txaio
        from txaio.testutil import replace_loop
        txaio.use_{framework}()
        with mock.patch("txaio.config") as patched:
            patched.loop = "old"
            with replace_loop("new"):
                assert txaio.config.loop == "new"
            assert patched.loop == "old"
        """
    )
