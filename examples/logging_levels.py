"""Structured logging with txaio loggers: levels, fields and failures.

python examples/logging_levels.py --framework asyncio
python examples/logging_levels.py --framework twisted
"""

from __future__ import annotations

import io

import txaio
from _demo import run, select_framework, show_log

select_framework()


class Bunny:
    log = txaio.make_logger()  # named after the class; follows the global level

    def hop(self, times: int = 1) -> None:
        self.log.trace("Bunny.hop(times={times})", times=times)
        self.log.debug("Hopping {times} times.", times=times)
        self.log.info("{who} hopped {times} times", who="Jack", times=times)
        try:
            raise RuntimeError("Fox spotted!")
        except RuntimeError:
            fail = txaio.create_failure()
            self.log.error(txaio.failure_message(fail))


def main() -> None:
    out = io.StringIO()
    txaio.start_logging(out=out, level="debug")
    jack = Bunny()
    jack.hop(42)  # trace is below "debug": that line is not written

    txaio.set_global_log_level("warn")
    jack.hop(1)  # only the error gets through now
    chatty = txaio.make_logger(level="trace")  # a logger with a level of its own
    chatty.info("global level is now {level}", level=txaio.get_global_log_level())
    chatty.trace("chatty keeps its own level: {level}", level="trace")

    # A log call never raises: a bad format is still reported, not lost.
    chatty.info("a field that is missing: {nothing}")
    show_log(out.getvalue())


run(main)
