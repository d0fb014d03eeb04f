"""The logging policy in txaio-core, without a framework: formatting, categories, output."""

from __future__ import annotations

import io
import types
from typing import Any

import pytest

from txaio_core import FailedFuture, InvalidLogLevelError, capture_failure, failure_format_traceback
from txaio_core.levels import level_name
from txaio_core.log_categories import LogCategories, check_categories, resolve_message
from txaio_core.log_format import (
    MessageFields,
    append_failure,
    escape_braces,
    format_message,
    format_with_positionals,
    message_text,
    with_note,
)
from txaio_core.log_output import LineWriter, LogOutput, TimeStamps, report_broken_log_call
from txaio_core.logger_base import LevelledLogger, LevelRegistry, make_emitter, no_op

NOTE = "[txaio: could not format the message: "


def test_a_message_is_formatted_with_its_fields() -> None:
    assert format_message("hello {who}", {"who": "world"}) == "hello world"
    assert format_message(b"caf\xc3\xa9 {n}", {"n": 1}) == "caf\u00e9 1"
    assert format_message(None, {}) == ""
    assert format_message(42, {}) == "42"


def test_a_one_line_message_that_cannot_be_formatted_gets_the_note_on_its_line() -> None:
    assert format_message("a {b} c", {}) == f"a {{b}} c {NOTE}no field 'b' was given]"


def test_a_multi_line_message_keeps_its_lines_and_gets_the_note_after_them() -> None:
    text = format_message("line {one}\n  line two\n", {})
    assert text == f"line {{one}}\n  line two\n{NOTE}no field 'one' was given]"


def test_a_long_problem_is_cut_short() -> None:
    text = with_note("message", "x" * 1000)
    assert len(text) < 300
    assert text.endswith("...]")


def test_positional_arguments_are_shown_not_formatted() -> None:
    text = format_with_positionals("value {0}", (42, "x"))
    assert text.startswith(f"value {{0}} {NOTE}log calls take keyword fields only")
    assert text.endswith("(42, 'x')]")
    assert format_message(escape_braces(text), {}) == text


def test_message_text_of_anything() -> None:
    assert message_text("text") == "text"
    assert message_text(None) == ""
    assert message_text(bytearray(b"\xff")) == "\ufffd"
    assert message_text(3.5) == "3.5"


def test_message_fields_give_the_level_name() -> None:
    fields = MessageFields({"log_level": object(), "n": 1}, "warn")
    assert format_message("{log_level} {n}", fields) == "warn 1"
    assert len(fields) == 2
    assert sorted(fields) == ["log_level", "n"]


def _failure() -> FailedFuture:
    try:
        raise ValueError("bad {value}")
    except ValueError:
        return capture_failure()


def test_append_failure_writes_the_traceback_after_the_text() -> None:
    text = append_failure("it failed", _failure(), failure_format_traceback)
    first, second, *_, last = text.splitlines()
    assert (first, second) == ("it failed", "Traceback (most recent call last):")
    assert last == "ValueError: bad {value}"


def test_append_failure_of_an_exception_or_of_something_else() -> None:
    exception = _failure().value
    assert append_failure("", exception, failure_format_traceback).endswith("bad {value}")
    assert append_failure("m", "text", failure_format_traceback) == (
        "m\n(log_failure is not a failure: 'text')"
    )


def test_append_failure_when_the_traceback_formatter_raises() -> None:
    def broken(fail: Any) -> str:
        raise RuntimeError("formatter broke")

    text = append_failure("m", _failure(), broken)
    assert (
        text
        == "m\n(the traceback of log_failure could not be formatted: RuntimeError: formatter broke)"
    )


def test_categories_are_a_mapping_of_strings() -> None:
    categories = LogCategories()
    categories.add(types.MappingProxyType({"AP1": "format {x}"}))
    assert categories.format_for("AP1", "message") == "format {x}"
    assert categories.format_for("AP2", "message") == "message"
    assert categories.format_for(["AP1"], "message") == "message"
    assert categories.format_for(1, "message") == "message"
    for bad in (["AP1"], {"AP1": 1}, {1: "format"}):
        with pytest.raises(TypeError, match="categories"):
            check_categories(bad)
    with pytest.raises(TypeError):
        categories.add({"AP3": "fine", "AP4": 4})
    assert categories.format_for("AP3", "message") == "message", "all or nothing"


def test_resolve_message_takes_format_and_category() -> None:
    categories = LogCategories()
    categories.add({"AP1": "category"})
    fields: dict[str, Any] = {"format": "keyword {x}", "x": 1}
    assert resolve_message(None, fields, categories) == "keyword {x}"
    assert "format" not in fields
    fields = {"format": "a field", "log_category": "AP1"}
    assert resolve_message("given", fields, categories) == "category"
    assert fields["format"] == "a field"


def test_level_name_takes_names_and_constants_with_a_name() -> None:
    assert level_name("warn") == "warn"
    assert level_name(types.SimpleNamespace(name="debug")) == "debug"
    for bad in ("WARN", types.SimpleNamespace(name="none"), None, 3):
        with pytest.raises(InvalidLogLevelError):
            level_name(bad)


class Collecting(LevelledLogger):
    """A logger whose deliveries are collected as (level, message, fields)."""

    def __init__(self, registry: LevelRegistry, level: str | None = None) -> None:
        self.delivered: list[tuple[str, object, dict[str, Any]]] = []
        super().__init__("test", registry, LogCategories(), level)

    def _deliverer(self, level: str) -> Any:
        return lambda message, fields: self.delivered.append((level, message, fields))


def test_level_methods_below_the_level_are_no_op_and_emit_follows_them() -> None:
    registry = LevelRegistry("info")
    log = Collecting(registry)
    assert log.debug is no_op
    assert log._log_level == "info"
    log.emit("debug", "hidden")
    log.emit("info", "shown {n}", n=1)
    log.set_log_level("trace", keep=False)
    log.emit("trace", "traced")
    registry.set_level("error")
    log.emit("warn", "hidden again")
    assert log._log_level == "error"
    assert log.delivered == [
        ("info", "shown {n}", {"n": 1}),
        ("trace", "traced", {"txaio_trace": True}),
    ]


def test_an_emitter_never_raises_and_reports_what_went_wrong(
    capfd: pytest.CaptureFixture[str],
) -> None:
    def broken(message: object, fields: dict[str, Any]) -> None:
        raise RuntimeError("delivery broke")

    emit = make_emitter("info", LogCategories(), broken)
    assert emit.__name__ == "info"
    emit("the message {x}", x=1)
    Collecting(LevelRegistry("info")).emit("bogus", "unknown level")
    err = capfd.readouterr().err
    assert (
        "txaio: a log call failed: RuntimeError: delivery broke (message: 'the message {x}')" in err
    )
    assert "Invalid log level 'bogus' for log.emit()" in err


def test_report_broken_log_call_survives_a_broken_stderr(monkeypatch: pytest.MonkeyPatch) -> None:
    class Broken(io.StringIO):
        def write(self, text: str) -> int:
            raise OSError("closed")

    monkeypatch.setattr("sys.__stderr__", Broken())
    report_broken_log_call(RuntimeError("x"), "message")
    monkeypatch.setattr("sys.__stderr__", None)
    report_broken_log_call(RuntimeError("x"), "message")


def test_time_stamps_are_per_second_local_times() -> None:
    stamps = TimeStamps(with_offset=False)
    first = stamps.text(86400.25)
    assert first.startswith(("1970-01-01T", "1970-01-02T"))
    assert len(first) == len("1970-01-02T00:00:00")
    assert stamps.text(86400.75) == first
    assert stamps.text(86401.0) != first
    assert len(TimeStamps(with_offset=True).text(86400)) == len("1970-01-02T00:00:00+0000")
    for bad in (None, "86400", True, float("nan"), float("inf"), 1e300):
        assert stamps.text(bad) == "-"


def test_line_writer_writes_text_or_utf8() -> None:
    text, binary = io.StringIO(), io.BytesIO()
    LineWriter(text).write("caf\u00e9")
    LineWriter(binary).write("caf\u00e9 \udcff")
    assert text.getvalue() == "caf\u00e9\n"
    assert binary.getvalue() == b"caf\xc3\xa9 \\udcff\n"


def test_log_output_rules() -> None:
    output = LogOutput()
    begun: list[object] = []
    levels: list[str] = []
    first, second, default = io.StringIO(), io.StringIO(), io.StringIO()

    def start(out: object, level: str = "info") -> None:
        output.start(
            out, level, default=lambda: default, begin=begun.append, set_level=levels.append
        )

    with pytest.raises(InvalidLogLevelError):
        start(first, "loud")
    with pytest.raises(TypeError, match="out"):
        start(42)
    assert not output.started
    start(first, "debug")
    start(None, "error")
    start(first, "warn")
    with pytest.raises(RuntimeError, match="already goes to"):
        start(second, "trace")
    assert begun == [first]
    assert levels == ["debug", "error", "warn"]
    assert output.stop() is first
    start(None)
    assert begun == [first, default]
