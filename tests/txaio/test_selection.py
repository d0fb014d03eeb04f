"""Selecting a framework: one binding at selection time, once per process."""

from __future__ import annotations

import pytest

from tests.txaio._subprocess import FRAMEWORKS, needs_twisted, run_snippet

# The original txaio 26.x's __all__, in its order.
ORIGINAL_ALL = (
    "with_config",
    "using_twisted",
    "using_asyncio",
    "use_twisted",
    "use_asyncio",
    "config",
    "create_future",
    "create_future_success",
    "create_future_error",
    "create_failure",
    "as_future",
    "is_future",
    "reject",
    "resolve",
    "cancel",
    "add_callbacks",
    "gather",
    "is_called",
    "call_later",
    "failure_message",
    "failure_traceback",
    "failure_format_traceback",
    "make_batched_timer",
    "make_logger",
    "start_logging",
    "set_global_log_level",
    "get_global_log_level",
    "add_log_categories",
    "IFailedFuture",
    "ILogger",
    "sleep",
    "time_ns",
    "perf_counter_ns",
)


def test_all_is_exactly_the_originals() -> None:
    import txaio
    from txaio_core.contract import BACKEND_NAMES

    assert txaio.__all__ == ORIGINAL_ALL
    assert set(txaio.__all__) == {*BACKEND_NAMES, "use_asyncio", "use_twisted"}


def test_before_selection_every_api_call_raises_runtime_error_saying_how_to_select() -> None:
    run_snippet(
        """
        import txaio
        assert txaio._explicit_framework is None
        assert txaio.using_asyncio is False and txaio.using_twisted is False
        assert txaio.config.loop is None
        skip = {"use_asyncio", "use_twisted", "using_asyncio", "using_twisted", "config"}
        for name in set(txaio.__all__) - skip:
            try:
                getattr(txaio, name)()
            except RuntimeError as error:
                assert "txaio.use_asyncio()" in str(error), error
                assert "txaio.use_twisted()" in str(error), error
            else:
                raise AssertionError(f"{name} did not raise before selection")
        """
    )


def test_importing_txaio_imports_no_framework() -> None:
    out = run_snippet(
        """
        import sys, txaio, txaio.interfaces, txaio.testutil
        print(sorted(m for m in sys.modules if m.split(".")[0] in ("twisted", "txaio_twisted")))
        """
    )
    assert out.strip() == "[]"


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_selection_binds_every_api_name_to_the_backends_own_object(framework: str) -> None:
    run_snippet(
        f"""
        import txaio, txaio_{framework} as backend
        from txaio_core.contract import BACKEND_NAMES
        txaio.use_{framework}()
        for name in BACKEND_NAMES:
            assert getattr(txaio, name) is getattr(backend, name), name
        assert txaio._explicit_framework == "{framework}"
        assert txaio.using_{framework} is True
        other = "twisted" if "{framework}" == "asyncio" else "asyncio"
        assert getattr(txaio, "using_" + other) is False
        assert txaio.config is backend.config
        from txaio import *  # every name of __all__ exists
        """
    )


def test_names_the_backend_imports_on_first_use_are_bound_on_first_use() -> None:
    run_snippet(
        """
        import sys, txaio
        txaio.use_asyncio()
        assert "txaio_asyncio._logging" not in sys.modules
        assert "make_logger" not in vars(txaio)
        import txaio_asyncio._logging
        assert txaio.make_logger is txaio_asyncio._logging.make_logger
        assert vars(txaio)["make_logger"] is txaio.make_logger
        from txaio import call_later
        assert call_later is txaio.call_later is txaio_asyncio.call_later
        """
    )


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_selecting_the_same_framework_again_changes_nothing(framework: str) -> None:
    run_snippet(
        f"""
        import txaio
        txaio.use_{framework}()
        create_future = txaio.create_future
        txaio.use_{framework}()
        assert txaio.create_future is create_future
        assert txaio._explicit_framework == "{framework}"
        """
    )


@needs_twisted
@pytest.mark.parametrize(("first", "second"), [("asyncio", "twisted"), ("twisted", "asyncio")])
def test_selecting_the_other_framework_afterwards_raises_runtime_error(
    first: str, second: str
) -> None:
    run_snippet(
        f"""
        import txaio
        txaio.use_{first}()
        try:
            txaio.use_{second}()
        except RuntimeError as error:
            assert "{first}" in str(error) and "{second}" in str(error), error
        else:
            raise AssertionError("switching frameworks did not raise")
        assert txaio._explicit_framework == "{first}"
        assert txaio.using_{first} is True and txaio.using_{second} is False
        """
    )


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_import_time_selection(framework: str) -> None:
    run_snippet(
        f"""
        import txaio.with_{framework}
        import txaio
        assert txaio._explicit_framework == "{framework}"
        assert txaio.using_{framework} is True
        assert txaio.is_future(txaio.create_future())
        """
    )


MAKE_LOOP = {
    "asyncio": "import asyncio; loop = asyncio.new_event_loop()",
    "twisted": "from twisted.internet.task import Clock; loop = Clock()",
}


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_a_loop_set_before_selection_is_kept(framework: str) -> None:
    run_snippet(
        f"""
        import txaio
        {MAKE_LOOP[framework]}
        txaio.config.loop = loop
        txaio.use_{framework}()
        assert txaio.config.loop is loop
        fired = []
        txaio.call_later(0, fired.append, "on the loop set early")
        if txaio.using_twisted:
            loop.advance(0)
        else:
            loop.run_until_complete(txaio.sleep(0))
        assert fired == ["on the loop set early"], fired
        """
    )


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_mock_patch_replaces_config_and_restores_it(framework: str) -> None:
    run_snippet(
        f"""
        from unittest import mock
        import txaio
        txaio.use_{framework}()
        selected = txaio.config
        with mock.patch("txaio.config") as patched:
            assert txaio.config is patched
        assert txaio.config is selected
        with mock.patch("txaio.sleep") as sleep:
            txaio.sleep(1)
        sleep.assert_called_once_with(1)
        """
    )
