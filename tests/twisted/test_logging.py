"""Logging on Twisted: the events txaio loggers emit and what start_logging writes."""

from __future__ import annotations

import io
import subprocess
import sys
import textwrap
import time
from typing import Any, cast
from unittest import mock

import pytest
from twisted.logger import ILogObserver, LogLevel, formatEvent
from twisted.logger import Logger as TwistedLogger
from twisted.python.failure import Failure

import txaio_twisted
from txaio_core import LevelRegistry, no_op


def _events(level: str | None = None) -> tuple[txaio_twisted.Logger, list[dict[str, Any]]]:
    events: list[dict[str, Any]] = []
    log = txaio_twisted.make_logger(level=level, observer=events.append)
    return log, events


def raise_key_error() -> None:
    raise KeyError("missing")


TWISTED_KEYS = {"log_format", "log_level", "log_logger", "log_namespace", "log_source", "log_time"}


def test_events_carry_twisted_fields_and_the_callers_fields() -> None:
    log, events = _events("info")
    before = time.time()
    log.info("hello {who}", who="world")
    (event,) = events
    assert set(event) == TWISTED_KEYS | {"who"}, "exactly the keys of the original's events"
    assert event["who"] == "world"
    assert event["log_format"] == "hello {who}"
    assert event["log_level"] is LogLevel.info
    assert event["log_namespace"] == __name__
    assert event["log_logger"] is log._logger
    assert event["log_source"] is None
    assert event["log_time"] >= before


def test_trace_is_emitted_as_debug_marked_as_trace() -> None:
    log, events = _events("trace")
    log.trace("fine detail")
    log.debug("detail")
    assert set(events[0]) == TWISTED_KEYS | {"txaio_trace"}
    assert events[0]["log_level"] is LogLevel.debug
    assert events[0]["txaio_trace"] is True
    assert set(events[1]) == TWISTED_KEYS
    assert events[1]["log_level"] is LogLevel.debug


def test_emit_and_failure_events_carry_only_the_original_keys() -> None:
    log, events = _events("trace")
    log.emit("info", "from a worker", log_system="worker-1", cb_namespace="crossbar.worker")
    log.emit("trace", "traced")
    log.failure("failed", failure=txaio_twisted.create_failure(ValueError("x")))
    assert set(events[0]) == TWISTED_KEYS | {"log_system", "cb_namespace"}
    assert set(events[1]) == TWISTED_KEYS | {"txaio_trace"}
    assert set(events[2]) == TWISTED_KEYS | {"log_failure"}


def test_a_positional_argument_gives_an_event_whose_format_renders_the_note() -> None:
    log, events = _events("info")
    log.info("value {0}", 42)  # type: ignore[call-arg]
    (event,) = events
    assert set(event) == TWISTED_KEYS
    assert formatEvent(event).startswith("value {0} [txaio: could not format the message: ")
    assert "(42,)" in formatEvent(event)


def test_methods_below_the_level_are_the_empty_function() -> None:
    log, events = _events("warn")
    assert log.info is no_op
    assert log.debug is no_op
    assert log.trace is no_op
    assert log.warn is not no_op
    log.info("dropped")
    assert events == []


def test_set_log_level_rebinds_the_methods() -> None:
    log, events = _events("error")
    log.set_log_level("debug")
    log.debug("now shown")
    assert [event["log_format"] for event in events] == ["now shown"]
    assert log.log_level == "debug"


def test_a_logger_without_level_follows_the_global_level() -> None:
    before = txaio_twisted.get_global_log_level()
    try:
        log, events = _events()
        txaio_twisted.set_global_log_level("debug")
        log.debug("shown")
        txaio_twisted.set_global_log_level("info")
        log.debug("hidden")
        assert [event["log_format"] for event in events] == ["shown"]
    finally:
        txaio_twisted.set_global_log_level(before)


def test_failure_logs_the_current_exception_with_its_failure() -> None:
    log, events = _events("info")
    try:
        raise_key_error()
    except KeyError:
        log.failure("it went wrong: {log_failure.value}")
    (event,) = events
    assert isinstance(event["log_failure"], Failure)
    assert event["log_level"] is LogLevel.critical


def test_failure_with_an_explicit_failure_and_level() -> None:
    log, events = _events("info")
    fail = txaio_twisted.create_failure(ValueError("given"))
    log.failure("oops", failure=fail, level="warn")
    log.failure("hidden", failure=fail, level="debug")
    assert [event["log_format"] for event in events] == ["oops"]
    assert events[0]["log_failure"] is fail
    assert events[0]["log_level"] is LogLevel.warn


def test_failure_outside_except_without_failure_does_not_raise(
    capfd: pytest.CaptureFixture[str],
) -> None:
    log, events = _events("info")
    log.failure("no exception here")
    assert events == []
    assert "inside an 'except' block" in capfd.readouterr().err


def test_emit_logs_at_a_named_level() -> None:
    log, events = _events("info")
    log.emit("warn", "by name {n}", n=1)
    log.emit("debug", "filtered")
    log.emit("bogus", "bad level is reported, not raised")
    assert [event["log_format"] for event in events] == ["by name {n}"]


def test_make_logger_wraps_a_given_twisted_logger() -> None:
    events: list[dict[str, Any]] = []
    observer = cast(ILogObserver, events.append)
    twisted_logger = TwistedLogger(namespace="given.namespace", observer=observer)
    log = txaio_twisted.make_logger(level="info", logger=twisted_logger)
    log.info("through it")
    assert log.namespace == "given.namespace"
    assert events[0]["log_namespace"] == "given.namespace"
    assert events[0]["log_logger"] is twisted_logger


class RecordingLogger(TwistedLogger):
    """A ``twisted.logger.Logger`` subclass that overrides ``emit`` and records each call."""

    def __init__(self, namespace: str | None = None, observer: Any = None) -> None:
        super().__init__(namespace=namespace, observer=observer)
        self.calls: list[tuple[LogLevel, object, list[str]]] = []

    def emit(self, level: LogLevel, format: str | None = None, **kwargs: Any) -> None:
        self.calls.append((level, format, sorted(kwargs)))
        super().emit(level, format, **kwargs)


def test_a_twisted_logger_subclass_sees_every_call_through_its_emit() -> None:
    events: list[dict[str, Any]] = []
    log = txaio_twisted.make_logger(level="trace", logger=RecordingLogger, observer=events.append)
    twisted_logger = log._logger
    assert isinstance(twisted_logger, RecordingLogger)
    assert twisted_logger.namespace == __name__
    log.info("info {n}", n=1)
    log.trace("trace")
    log.emit("warn", "by name", log_system="s")
    try:
        raise_key_error()
    except KeyError:
        log.failure("failed")
    assert twisted_logger.calls == [
        (LogLevel.info, "info {n}", ["n"]),
        (LogLevel.debug, "trace", ["txaio_trace"]),
        (LogLevel.warn, "by name", ["log_system"]),
        (LogLevel.critical, "failed", ["log_failure"]),
    ]
    assert len(events) == 4
    assert all(event["log_logger"] is twisted_logger for event in events)


def test_a_stand_in_logger_is_called_like_the_twisted_logger_class() -> None:
    factory = mock.Mock()
    log = txaio_twisted.make_logger(level="debug", logger=factory, observer="the observer")
    factory.assert_called_once_with(observer="the observer", namespace=__name__)
    stand_in = factory.return_value
    assert log._logger is stand_in
    log.info("via stand-in {x}", x=1)
    log.debug("debug")
    log.trace("filtered")
    fail = txaio_twisted.create_failure(ValueError("x"))
    log.failure("failed", failure=fail)
    log.emit("warn", "emitted")
    assert stand_in.mock_calls == [
        mock.call.emit(LogLevel.info, "via stand-in {x}", x=1),
        mock.call.emit(LogLevel.debug, "debug"),
        mock.call.failure("failed", fail, LogLevel.critical),
        mock.call.emit(LogLevel.warn, "emitted"),
    ]


def test_logger_keeps_the_original_attributes_and_constructor() -> None:
    import inspect

    import txaio.tx

    assert txaio.tx.Logger is txaio_twisted.Logger
    parameters = inspect.signature(txaio.tx.Logger).parameters
    assert [(p.name, p.default) for p in parameters.values()] == [
        ("level", None),
        ("logger", None),
        ("namespace", None),
        ("observer", None),
    ]
    with pytest.raises(AssertionError, match="instantiated directly"):
        txaio.tx.Logger()
    with pytest.raises(AssertionError, match="instantiated directly"):
        txaio.tx.Logger(level="info")
    events: list[dict[str, Any]] = []
    log = txaio.tx.Logger(
        level="info", logger=TwistedLogger, namespace="given", observer=events.append
    )
    wrapped: Any = log._logger
    assert isinstance(wrapped, TwistedLogger)
    assert wrapped.namespace == "given"
    assert issubclass(TwistedLogger, txaio_twisted.ILogger), "registered, as in the original"
    assert log._log_level == "info"
    log.info("made directly")
    assert [event["log_namespace"] for event in events] == ["given"]


def test_an_observer_that_raises_does_not_reach_the_caller(
    capfd: pytest.CaptureFixture[str],
) -> None:
    def broken(event: dict[str, Any]) -> None:
        raise RuntimeError("observer broke")

    log = txaio_twisted.make_logger(level="info", observer=broken)
    log.info("still fine")
    assert "observer broke" in capfd.readouterr().err


# --- LogWriter: the observer start_logging installs ------------------------------


def _write(event: dict[str, Any], level: str = "info", binary: bool = False) -> str:
    out: Any = io.BytesIO() if binary else io.StringIO()
    writer = txaio_twisted.LogWriter(out, LevelRegistry(level))
    event.setdefault("log_time", 0.0)
    writer(event)
    value = out.getvalue()
    return value.decode("utf-8") if binary else value  # type: ignore[no-any-return]


def test_writer_filters_plain_twisted_events_by_the_global_level() -> None:
    event = {"log_format": "plain {n}", "n": 1, "log_level": LogLevel.debug}
    assert _write(dict(event), "info") == ""
    assert _write(dict(event), "debug").endswith(" plain 1\n")


def test_writer_writes_txaio_events_its_logger_let_through() -> None:
    out = io.StringIO()
    writer = txaio_twisted.LogWriter(out, LevelRegistry("error"))
    log = txaio_twisted.make_logger(level="trace", observer=writer)
    log.debug("own {n} at {log_level}", n=2)
    log.trace("traced at {log_level}")
    lines = out.getvalue().splitlines()
    assert lines[0].endswith(" own 2 at debug")
    assert lines[1].endswith(" traced at trace")


def test_writer_filters_a_twisted_event_that_only_looks_like_a_txaio_one() -> None:
    event = {"log_format": "imitation", "log_level": LogLevel.debug, "txaio_level": "debug"}
    assert _write(event, "error") == ""


def test_writer_treats_marked_trace_as_trace() -> None:
    event = {"log_format": "marked", "log_level": LogLevel.debug, "txaio_trace": True}
    assert _write(dict(event), "debug") == ""
    assert "marked" in _write(dict(event), "trace")


def test_writer_appends_the_traceback_of_a_failure() -> None:
    try:
        raise_key_error()
    except KeyError:
        fail = Failure()  # type: ignore[no-untyped-call]
    text = _write({"log_format": "failed", "log_level": LogLevel.critical, "log_failure": fail})
    assert "failed\nTraceback (most recent call last):" in text
    assert "in raise_key_error" in text
    assert "KeyError: 'missing'" in text


def test_writer_writes_utf8_to_binary_streams() -> None:
    text = _write({"log_format": "caf\u00e9", "log_level": LogLevel.info}, binary=True)
    assert text.endswith(" caf\u00e9\n")


def test_writer_starts_lines_with_the_event_time() -> None:
    text = _write({"log_format": "timed", "log_level": LogLevel.info, "log_time": 86400.0})
    assert text.startswith("1970-01-02T")


@pytest.mark.parametrize(
    ("stream", "binary"),
    [(io.StringIO(), False), (io.BytesIO(), True), (sys.__stderr__, False)],
)
def test_guess_stream_needs_encoding(stream: Any, binary: bool) -> None:
    assert txaio_twisted.guess_stream_needs_encoding(stream) is binary


# --- start_logging, in a fresh interpreter ----------------------------------------


def _run(body: str) -> str:
    script = "import io, sys, txaio_twisted as api\n" + textwrap.dedent(body)
    completed = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=False
    )
    assert completed.returncode == 0, completed.stderr
    return completed.stdout


def test_start_logging_shows_plain_twisted_and_legacy_events_by_level() -> None:
    out = _run(
        """
        from twisted.logger import Logger
        from twisted.python import log as legacy
        buffer = io.StringIO()
        api.start_logging(out=buffer, level="info")
        Logger(namespace="plain").info("plain info")
        Logger(namespace="plain").debug("plain debug")
        legacy.msg("legacy message")
        try:
            raise KeyError("legacy trouble")
        except KeyError as error:
            legacy.err(error, "legacy why")
        api.set_global_log_level("debug")
        Logger(namespace="plain").debug("plain debug later")
        sys.__stdout__.write(buffer.getvalue())
        """
    )
    assert "plain info" in out
    assert "plain debug\n" not in out
    assert "legacy message" in out
    assert "legacy why\nTraceback (most recent call last):" in out
    assert "KeyError: 'legacy trouble'" in out
    assert "plain debug later" in out


def test_start_logging_defaults_to_stdout_and_redirects_print() -> None:
    out = _run(
        """
        api.start_logging()
        print("printed after start")
        api.make_logger().info("logged {n}", n=3)
        """
    )
    lines = out.splitlines()
    assert any(line.endswith(" printed after start") for line in lines)
    assert any(line.endswith(" logged 3") for line in lines)


def test_start_logging_reports_unhandled_deferred_errors_with_traceback() -> None:
    out = _run(
        """
        import gc
        buffer = io.StringIO()
        api.start_logging(out=buffer)
        def explode(value):
            raise ValueError("nobody handled me")
        def lose():
            d = api.create_future()
            api.add_callbacks(d, explode, None)
            api.resolve(d, 1)
        lose()
        gc.collect()
        sys.__stdout__.write(buffer.getvalue())
        """
    )
    assert "Unhandled error in Deferred" in out
    assert "in explode" in out
    assert "ValueError: nobody handled me" in out


def test_logger_failure_output_has_the_traceback() -> None:
    out = _run(
        """
        buffer = io.StringIO()
        api.start_logging(out=buffer)
        class Bunny:
            log = api.make_logger()
            def hop(self):
                try:
                    raise RuntimeError("Fox spotted!")
                except RuntimeError:
                    self.log.failure("hop failed: {log_failure.value}")
        Bunny().hop()
        sys.__stdout__.write(buffer.getvalue())
        """
    )
    assert "hop failed: Fox spotted!" in out
    assert "in hop" in out
    assert "RuntimeError: Fox spotted!" in out


def test_batched_timer_errors_are_logged_with_traceback() -> None:
    out = _run(
        """
        from twisted.internet.task import Clock
        clock = Clock()
        api.config.loop = clock
        buffer = io.StringIO()
        api.start_logging(out=buffer)
        def explode():
            raise KeyError("timer trouble")
        timer = api.make_batched_timer(1.0)
        timer.call_later(0.5, explode)
        clock.advance(1.0)
        sys.__stdout__.write(buffer.getvalue())
        """
    )
    assert "Error in a batched timer call" in out
    assert "in explode" in out
    assert "KeyError: 'timer trouble'" in out


def test_start_logging_again_to_the_redirected_stdout_is_like_none() -> None:
    out = _run(
        """
        api.start_logging(level="info")
        api.start_logging(out=sys.stdout, level="debug")  # sys.stdout now feeds the log
        api.make_logger().debug("no loop, level changed")
        """
    )
    assert out.count("no loop, level changed") == 1
