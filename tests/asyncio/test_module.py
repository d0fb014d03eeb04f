"""The module as a whole: the contract, compatibility names, independence from Twisted."""

from __future__ import annotations

import asyncio
import subprocess
import sys

import txaio_asyncio
import txaio_core


def test_flags_and_interfaces() -> None:
    assert txaio_asyncio.using_asyncio is True
    assert txaio_asyncio.using_twisted is False
    assert txaio_asyncio.IFailedFuture is txaio_core.IFailedFuture
    assert txaio_asyncio.ILogger is txaio_core.ILogger
    assert txaio_asyncio.config.loop is None


def test_compatibility_names_of_txaio_aio() -> None:
    assert txaio_asyncio.Future is asyncio.Future
    assert txaio_asyncio.FailedFuture is txaio_core.FailedFuture
    assert txaio_asyncio.log_levels == [
        "none",
        "critical",
        "error",
        "warn",
        "info",
        "debug",
        "trace",
    ]


def test_all_lists_what_the_module_defines() -> None:
    for name in txaio_asyncio.__all__:
        assert hasattr(txaio_asyncio, name), name
    for name in txaio_core.BACKEND_NAMES:
        assert name in txaio_asyncio.__all__, name


def test_import_never_imports_twisted() -> None:
    code = (
        "import sys, txaio_asyncio\n"
        "f = txaio_asyncio.create_future_success(1)\n"
        "txaio_asyncio.make_logger().info('x')\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'twisted'))\n"
    )
    out = subprocess.run(
        [sys.executable, "-W", "error", "-c", code], capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "[]"


def test_modules_of_first_use_names_are_imported_on_first_use() -> None:
    code = (
        "import sys, txaio_asyncio\n"
        "first = sorted(m for m in sys.modules if m.startswith('txaio_asyncio.'))\n"
        "api = txaio_asyncio.with_config()\n"
        "made = api.make_logger(), api.gather([]), txaio_asyncio.sleep\n"
        "from txaio_asyncio import _gather, _logging, _timers\n"
        "assert txaio_asyncio.make_logger is _logging.make_logger\n"
        "assert api.make_logger is _logging.make_logger\n"
        "assert txaio_asyncio.sleep.__func__ is _timers.sleep\n"
        "assert txaio_asyncio.with_config().gather.__func__ is _gather.gather\n"
        "assert set(txaio_asyncio.__all__) <= set(dir(txaio_asyncio))\n"
        "print(first)\n"
    )
    out = subprocess.run(
        [sys.executable, "-W", "error", "-c", code], capture_output=True, text=True, check=True
    )
    loaded = ["txaio_asyncio._api", "txaio_asyncio._config", "txaio_asyncio._futures"]
    assert out.stdout.strip() == repr(loaded)
