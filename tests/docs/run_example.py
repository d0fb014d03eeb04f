"""Run one documentation example on one framework: ``python run_example.py FRAMEWORK``.

Reads the example's code on standard input. Unless told ``--selects``, it
selects FRAMEWORK first, as the application would. It runs the code, then the
event loop until nothing is left to run (no ready callbacks, no pending
delayed calls), so callbacks and timers the example set up happen as they
would in an application. Unhandled errors that the frameworks log (asyncio's
exception handler, Twisted's "Unhandled error in Deferred") go to standard
error, which the check requires to be empty.
"""

from __future__ import annotations

import asyncio
import gc
import sys
from typing import Any, cast

import txaio

LIMIT_SECONDS = 30.0


def _asyncio_idle(loop: asyncio.AbstractEventLoop) -> float | None:
    """Return None when ``loop`` has nothing left, else seconds to its next work."""
    # The base event loop's queues: the only way to see whether work is pending.
    ready: Any = getattr(loop, "_ready", ())
    scheduled: Any = getattr(loop, "_scheduled", [])
    if ready:
        return 0.0
    live = [handle for handle in scheduled if not handle.cancelled()]
    if not live:
        return None
    due: float = min(handle.when() for handle in live)
    return max(0.0, due - loop.time())


def _execute(code: str, namespace: dict[str, Any]) -> bool:
    """Run ``code``; return False when it ended the program itself (``task.react``)."""
    try:
        exec(compile(code, "<example>", "exec"), namespace)
    except SystemExit as ended:
        if ended.code not in (None, 0):
            raise
        return False
    return True


def run_asyncio(code: str, select: bool) -> None:
    """Run ``code`` on a fresh asyncio loop until the loop is idle."""
    if select:
        txaio.use_asyncio()
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    namespace: dict[str, Any] = {"__name__": "__main__"}
    if not _execute(code, namespace):
        return
    deadline = loop.time() + LIMIT_SECONDS
    while (wait := _asyncio_idle(loop)) is not None and loop.time() < deadline:
        loop.run_until_complete(asyncio.sleep(wait))
    del namespace
    gc.collect()
    loop.run_until_complete(asyncio.sleep(0))
    loop.close()


def run_twisted(code: str, select: bool) -> None:
    """Run ``code``, then the reactor until no delayed call is pending."""
    from twisted.internet import reactor as installed
    from twisted.logger import ILogObserver, formatEvent, globalLogPublisher

    def report_errors(event: dict[str, Any]) -> None:
        failure = event.get("log_failure")
        if failure is not None:
            # start_logging() may have redirected sys.stderr into the log itself.
            stream = sys.__stderr__ or sys.stderr
            stream.write(f"{formatEvent(event)}\n{failure.getTraceback()}\n")

    reactor: Any = installed  # Twisted's module-level reactor is not typed as one
    globalLogPublisher.addObserver(cast(ILogObserver, report_errors))
    if select:
        txaio.use_twisted()
    namespace: dict[str, Any] = {"__name__": "__main__"}
    if not _execute(code, namespace):
        return
    if not any(call.active() for call in reactor.getDelayedCalls()):
        gc.collect()  # nothing scheduled: no need to run (and log the stop of) the reactor
        return
    started = reactor.seconds()

    def stop_when_idle() -> None:
        pending = [call for call in reactor.getDelayedCalls() if call.active()]
        if not pending or reactor.seconds() - started > LIMIT_SECONDS:
            reactor.stop()
            return
        due = min(call.getTime() for call in pending) - reactor.seconds()
        reactor.callLater(max(0.0, due) + 0.001, stop_when_idle)

    reactor.callWhenRunning(stop_when_idle)
    reactor.run()
    del namespace
    gc.collect()


def main(argv: list[str]) -> int:
    """Run the example read from standard input; return the exit status."""
    framework = argv[0]
    select = "--selects" not in argv[1:]
    code = sys.stdin.read()
    if framework == "twisted":
        run_twisted(code, select)
    else:
        run_asyncio(code, select)
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
