"""The module satisfies the contract, keeps txaio.tx's names, and imports no reactor."""

from __future__ import annotations

import subprocess
import sys

import pytest
from twisted.internet.defer import Deferred, DeferredList
from twisted.python.failure import Failure

import txaio_twisted
from txaio_core import BACKEND_NAMES, IFailedFuture, ILogger


def test_backend_names_are_plain_functions_or_values() -> None:
    api = txaio_twisted.with_config()
    for name in BACKEND_NAMES:
        if name in ("config", "with_config"):
            continue
        assert getattr(api, name) is getattr(txaio_twisted, name), name


def test_flags_and_interfaces() -> None:
    assert txaio_twisted.using_twisted is True
    assert txaio_twisted.using_asyncio is False
    assert txaio_twisted.IFailedFuture is IFailedFuture
    assert txaio_twisted.ILogger is ILogger
    assert issubclass(Failure, IFailedFuture)


def test_all_lists_every_public_name() -> None:
    public = {name for name in vars(txaio_twisted) if not name.startswith("_")}
    modules = {name for name in public if type(getattr(txaio_twisted, name)) is type(sys)}
    leaks = {"annotations", "TYPE_CHECKING"}  # from the __future__ and typing imports
    assert set(txaio_twisted.__all__) - {"__version__"} == public - modules - leaks
    assert set(BACKEND_NAMES) <= set(txaio_twisted.__all__)


@pytest.mark.parametrize(
    "name",
    [
        "Deferred",
        "DeferredList",
        "Failure",
        "IFailedFuture",
        "ILogObserver",
        "ILogger",
        "IReactorTime",
        "LogLevel",
        "Logger",
        "LoopMixin",
        "ensureDeferred",
        "fail",
        "formatEvent",
        "formatTime",
        "globalLogBeginner",
        "guess_stream_needs_encoding",
        "log_levels",
        "maybeDeferred",
        "succeed",
        "_TxApi",
    ],
)
def test_names_kept_from_txaio_tx(name: str) -> None:
    assert hasattr(txaio_twisted, name)


def test_twisted_names_are_twisted_objects() -> None:
    assert txaio_twisted.Deferred is Deferred
    assert txaio_twisted.DeferredList is DeferredList
    assert txaio_twisted.Failure is Failure
    assert txaio_twisted.log_levels == [
        "none",
        "critical",
        "error",
        "warn",
        "info",
        "debug",
        "trace",
    ]


def _run(code: str) -> str:
    completed = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    return completed.stdout.strip()


def test_import_does_not_import_the_reactor() -> None:
    out = _run(
        "import sys, txaio_twisted\n"
        "txaio_twisted.create_future(); txaio_twisted.make_logger()\n"
        "print('twisted.internet.reactor' in sys.modules)"
    )
    assert out == "False"


def test_a_reactor_installed_first_is_the_one_used() -> None:
    out = _run(
        "import txaio_twisted\n"
        "from twisted.internet import selectreactor\n"
        "selectreactor.install()\n"
        "from twisted.internet import reactor\n"
        "txaio_twisted.call_later(1, print)\n"
        "print(type(txaio_twisted.config.loop).__name__, txaio_twisted.config.loop is reactor)"
    )
    assert out == "SelectReactor True"


def test_the_reactor_is_taken_on_first_use() -> None:
    out = _run(
        "import sys, txaio_twisted\n"
        "print(txaio_twisted.config.configured_loop)\n"
        "txaio_twisted.call_later(1, print)\n"
        "from twisted.internet import reactor\n"
        "print(txaio_twisted.config.configured_loop is reactor)"
    )
    assert out.splitlines() == ["None", "True"]
