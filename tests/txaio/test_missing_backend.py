"""Selecting a framework whose backend is not installed says which install fixes it."""

from __future__ import annotations

import pytest

from tests.txaio._subprocess import needs_twisted, run_snippet

# Each case makes a module unimportable (as if not installed) before selecting.
CASES = [
    ("twisted", "txaio_twisted", "txaio-twisted distribution"),
    # The backend is installed but Twisted is not.
    pytest.param("twisted", "twisted", "'twisted'", marks=needs_twisted),
    ("asyncio", "txaio_asyncio", "txaio-asyncio distribution"),
]


@pytest.mark.parametrize(("framework", "blocked", "named"), CASES)
def test_missing_backend_raises_import_error_naming_the_pip_install(
    framework: str, blocked: str, named: str
) -> None:
    run_snippet(
        f"""
        import sys
        sys.modules["{blocked}"] = None  # the import system now refuses it
        import txaio
        try:
            txaio.use_{framework}()
        except ImportError as error:
            message = str(error)
        else:
            raise AssertionError("no ImportError")
        assert "pip install txaio[{framework}]" in message, message
        assert "{named}" in message, message
        assert txaio._explicit_framework is None
        assert txaio.using_{framework} is False
        """
    )


def test_after_a_failed_twisted_selection_asyncio_can_still_be_selected() -> None:
    run_snippet(
        """
        import sys
        sys.modules["txaio_twisted"] = None
        import txaio
        try:
            txaio.use_twisted()
        except ImportError:
            pass
        txaio.use_asyncio()
        assert txaio._explicit_framework == "asyncio"
        """
    )


def test_importing_txaio_tx_without_the_backend_names_the_pip_install() -> None:
    run_snippet(
        """
        import sys
        sys.modules["txaio_twisted"] = None
        try:
            import txaio.tx
        except ImportError as error:
            assert "pip install txaio[twisted]" in str(error), error
        else:
            raise AssertionError("no ImportError")
        """
    )
