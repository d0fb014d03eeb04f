"""Logging interoperability: txaio loggers next to stdlib and framework-native logging.

Once ``txaio.start_logging`` runs, stdlib ``logging`` records and the framework's
own log events (Twisted's ``twisted.logger`` and legacy ``twisted.python.log``)
go to the same place as txaio's.

    python examples/logging_interop.py --framework asyncio
    python examples/logging_interop.py --framework twisted
"""

from __future__ import annotations

import io
import logging

import txaio
from _demo import run, select_framework, show_log

select_framework()


def existing_stdlib_code() -> None:
    log = logging.getLogger("roy")
    log.warning("Python stdlib message: %s", "txaio was here")


def existing_native_code() -> None:
    """Code written for the framework itself, not for txaio."""
    if txaio.using_twisted:
        from twisted.logger import Logger
        from twisted.python import log as legacy

        Logger(namespace="native").warn("native message: {what}", what="hello")
        legacy.msg("legacy message: hello")
    else:
        logging.getLogger("native").warning("native message: %s", "hello")
        logging.getLogger("legacy").warning("legacy message: hello")


def main() -> None:
    out = io.StringIO()
    txaio.start_logging(out=out, level="info")
    log = txaio.make_logger()
    log.info("txaio message: {what}", what="hello")
    existing_stdlib_code()
    existing_native_code()
    show_log(out.getvalue())


run(main)
