"""Logging on asyncio: namespaces, the line format, stdlib interplay, never raising."""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Iterator
from typing import Any

import pytest

import txaio_asyncio as api
from txaio_asyncio import _logging
from txaio_core import no_op

LINE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d (.*)$")


@pytest.fixture
def out() -> Iterator[io.StringIO]:
    """A text stream that logging was started on, at level "info"; undone afterwards."""
    stream = io.StringIO()
    root_level = logging.getLogger().level
    api.start_logging(out=stream, level="info")
    try:
        yield stream
    finally:
        _logging._stop_logging()
        logging.getLogger().setLevel(root_level)


def messages(stream: io.StringIO | io.BytesIO) -> list[str]:
    value = stream.getvalue()
    text = value.decode("utf-8") if isinstance(value, bytes) else value
    found = []
    for line in text.splitlines():
        match = LINE.match(line)
        assert match, line
        found.append(match.group(1))
    return found


class Service:
    class_log = api.make_logger()

    def __init__(self) -> None:
        self.log = api.make_logger()


def test_namespace_is_the_calling_class_or_module() -> None:
    assert Service.class_log.namespace == f"{__name__}.Service"  # type: ignore[attr-defined]
    assert Service().log.namespace == f"{__name__}.Service"  # type: ignore[attr-defined]
    assert api.make_logger().namespace == __name__  # type: ignore[attr-defined]


def test_line_format_and_fields(out: io.StringIO) -> None:
    log = api.make_logger()
    log.info("hello {who} at {log_level}", who="world")
    log.info("time is a number: {ok}", ok=True)
    assert messages(out) == ["hello world at info", "time is a number: True"]


def test_log_time_is_passed(out: io.StringIO) -> None:
    log = api.make_logger()
    log.info("{log_time:.0f}")
    assert messages(out)[0].isdigit()


def test_levels_filter_and_filtered_methods_are_no_op(out: io.StringIO) -> None:
    log = api.make_logger()
    assert log.debug is no_op
    assert log.trace is no_op
    log.debug("hidden")
    log.warn("shown {n}", n=1)
    api.set_global_log_level("debug")
    assert api.get_global_log_level() == "debug"
    assert log.debug is not no_op
    log.debug("now shown")
    log.trace("still hidden")
    assert messages(out) == ["shown 1", "now shown"]


def test_own_level_is_kept(out: io.StringIO) -> None:
    log = api.make_logger(level="error")
    log.warn("hidden")
    log.error("shown")
    api.set_global_log_level("trace")
    log.info("still hidden")
    assert messages(out) == ["shown"]


def test_level_none_silences(out: io.StringIO) -> None:
    log = api.make_logger()
    api.set_global_log_level("none")
    log.critical("silenced")
    assert messages(out) == []


def test_unknown_levels_are_value_errors_listing_the_valid_ones() -> None:
    for call in (
        lambda: api.start_logging(out=io.StringIO(), level="loud"),
        lambda: api.set_global_log_level("loud"),
        lambda: api.make_logger(level="loud"),
    ):
        with pytest.raises(ValueError, match="'critical', 'error', 'warn', 'info'"):
            call()


def test_binary_stream_gets_utf8(tmp_path: Any) -> None:
    stream = io.BytesIO()
    try:
        api.start_logging(out=stream, level="info")
        api.make_logger().info("héllo {x}", x="wörld")
    finally:
        _logging._stop_logging()
    assert messages(stream) == ["héllo wörld"]


def test_start_logging_again_with_the_same_stream_changes_the_level(out: io.StringIO) -> None:
    api.start_logging(out=out, level="debug")
    api.make_logger().debug("once")
    api.start_logging(level="error")
    api.make_logger().warn("filtered")
    assert messages(out) == ["once"]
    assert api.get_global_log_level() == "error"
    handlers = [h for h in logging.getLogger().handlers if isinstance(h, _logging._LineHandler)]
    assert len(handlers) == 1


def test_start_logging_to_another_stream_is_refused(out: io.StringIO) -> None:
    second = io.StringIO()
    with pytest.raises(RuntimeError, match=r"already goes to .*out="):
        api.start_logging(out=second, level="debug")
    assert api.get_global_log_level() == "info"
    api.make_logger().info("once")
    assert messages(out) == ["once"]
    assert second.getvalue() == ""


def test_stdlib_records_appear(out: io.StringIO) -> None:
    logging.getLogger("some.library").warning("stdlib %s", "message")
    logging.getLogger("some.library").debug("below the level")
    assert messages(out) == ["stdlib message"]


def test_other_libraries_records_that_cannot_be_formatted_keep_their_text() -> None:
    record = logging.LogRecord("some.library", logging.WARNING, "x.py", 1, "%d items", ("x",), None)
    stream = io.StringIO()
    _logging._LineHandler(stream).emit(record)
    (line,) = messages(stream)
    assert line.startswith("%d items [txaio: could not format the message: TypeError")
    assert "'some.library'" in line


def test_other_libraries_exceptions_are_written_with_their_traceback(out: io.StringIO) -> None:
    try:
        raise KeyError("lost key")
    except KeyError:
        logging.getLogger("some.library").exception("lookup failed")
    (line,) = messages(io.StringIO(out.getvalue().split("\n", 1)[0]))
    assert line == "lookup failed"
    assert "Traceback (most recent call last):" in out.getvalue()
    assert "KeyError: 'lost key'" in out.getvalue()


def test_the_stdlib_logger_is_kept_as_underscore_logger() -> None:
    target = logging.getLogger("txaio.test.kept")
    assert api.make_logger(logger=target)._logger is target  # type: ignore[attr-defined]
    assert api.make_logger()._logger is logging.getLogger(__name__)  # type: ignore[attr-defined]


def test_warn_goes_to_stdlib_warning() -> None:
    records: list[logging.LogRecord] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record)

    target = logging.getLogger("txaio.test.warn")
    handler = Collect()
    target.addHandler(handler)
    target.propagate = False
    try:
        log = api.make_logger(logger=target)
        log.warn("careful")
        log.critical("very")
    finally:
        target.removeHandler(handler)
    assert [(r.levelno, r.getMessage()) for r in records] == [
        (logging.WARNING, "careful"),
        (logging.CRITICAL, "very"),
    ]


def test_log_categories(out: io.StringIO) -> None:
    api.add_log_categories({"TEST-CAT": "category says {what}"})
    api.make_logger().info("ignored", log_category="TEST-CAT", what="hi")
    assert messages(out) == ["category says hi"]
    with pytest.raises(TypeError, match="categories"):
        api.add_log_categories({"bad": 1})  # type: ignore[dict-item]


class BrokenStr:
    def __str__(self) -> str:
        raise RuntimeError("no str for you")


def test_log_call_never_raises(out: io.StringIO) -> None:
    log = api.make_logger()
    log.info("missing {key}")
    log.info("broken {x}", x=BrokenStr())
    loose: Any = log  # calls outside ILogger's signature, as untyped code makes them
    loose.info("positional {0}", "arg")
    loose.info("conflict", message="given twice")
    lines = messages(out)
    assert (
        lines[0] == "missing {key} [txaio: could not format the message: no field 'key' was given]"
    )
    assert lines[1].startswith("broken {x} [txaio: could not format the message: RuntimeError")
    assert "no str for you" in lines[1]
    assert lines[2].startswith("positional {0} [txaio: could not format the message: ")
    assert "('arg',)" in lines[2]
    assert lines[3] == "conflict"


def test_start_logging_needs_a_stream() -> None:
    with pytest.raises(TypeError, match="out"):
        api.start_logging(out=42)  # type: ignore[arg-type]


def test_make_logger_rejects_non_stdlib_logger() -> None:
    with pytest.raises(TypeError, match="logger"):
        api.make_logger(logger="name")  # type: ignore[arg-type]


def test_guess_stream_needs_encoding() -> None:
    assert api.guess_stream_needs_encoding(io.BytesIO()) is True
    assert api.guess_stream_needs_encoding(io.StringIO()) is False
    assert api.guess_stream_needs_encoding(object()) is True
    assert api.guess_stream_needs_encoding(object(), default=False) is False
