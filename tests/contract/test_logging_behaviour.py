"""Contract: the logging behaviour both frameworks share, point by point (issue 13).

Each test runs on asyncio and on Twisted. Where the output is compared, the
expected text is written out in full, so a test passing on both backends shows
that both write the same thing. Scenarios that call ``start_logging`` run in
a fresh interpreter (see :mod:`tests.contract.logging_scenario`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.contract.logging_scenario import run_scenario
from tests.support.harness import Harness

LEVELS = ("none", "critical", "error", "warn", "info", "debug", "trace")
NOTE = "[txaio: could not format the message: "
_STAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:[+-]\d{4})? ", re.MULTILINE)


def entries(text: str) -> list[str]:
    """Return the log entries of ``text``: each line's message, continuation lines included."""
    pieces = _STAMP.split(text)
    assert pieces[0] == "", f"output does not start with a timestamp: {text[:80]!r}"
    return [piece.removesuffix("\n") for piece in pieces[1:]]


@pytest.fixture
def global_level(harness: Harness) -> Iterator[str]:
    """The global log level before the test; restored after it."""
    before: str = harness.api.get_global_log_level()
    yield before
    harness.api.set_global_log_level(before)


# 1. emit(level, message, **fields) ------------------------------------------------


def test_emit_logs_at_a_named_level_filtered_like_the_level_methods(
    harness: Harness, tmp_path: Path
) -> None:
    result = run_scenario(
        harness,
        tmp_path,
        """
        out = io.StringIO()
        api.start_logging(out=out, level="info")
        log = api.make_logger()
        log.emit("info", "emitted {n}", n=1)
        log.emit("debug", "hidden debug")
        log.emit("trace", "hidden trace")
        log.emit("none", "never")
        event = {"worker": "w1", "text": "ready"}
        log.emit("warn", "{worker}: {text} ({log_system})", log_system="router",
                 cb_namespace="crossbar.worker", **event)
        log.emit("error", "error {n}", n=2)
        quiet = api.make_logger(level="error")
        quiet.emit("warn", "quiet warn")
        quiet.emit("critical", "quiet critical")
        result["text"] = out.getvalue()
        """,
    )
    assert entries(result["text"]) == [
        "emitted 1",
        "w1: ready (router)",
        "error 2",
        "quiet critical",
    ]


# 2. one exception class for an unknown level ----------------------------------------


def _unknown_level_calls(api: Any) -> dict[str, Callable[[], object]]:
    return {
        "start_logging": lambda: api.start_logging(level="loud"),
        "set_global_log_level": lambda: api.set_global_log_level("loud"),
        "make_logger": lambda: api.make_logger(level="loud"),
        "set_log_level": lambda: api.make_logger().set_log_level("loud"),
    }


def test_an_unknown_level_raises_one_class_both_value_error_and_runtime_error(
    harness: Harness, global_level: str
) -> None:
    raised: dict[str, BaseException] = {}
    for name, call in _unknown_level_calls(harness.api).items():
        with pytest.raises(RuntimeError) as caught:
            call()
        raised[name] = caught.value
    classes = {type(error) for error in raised.values()}
    assert len(classes) == 1, f"one exception class for every unknown level: {classes}"
    for name, error in raised.items():
        assert isinstance(error, ValueError), name
        assert isinstance(error, RuntimeError), name
        assert "Invalid log level" in str(error), name
        assert "'loud'" in str(error), name
        for level in LEVELS:
            assert repr(level) in str(error), f"{name} should list {level!r}"
    assert harness.api.get_global_log_level() == global_level


# 4. log_failure= writes the traceback after the message ------------------------------


def test_log_failure_writes_the_traceback_after_the_message(
    harness: Harness, tmp_path: Path
) -> None:
    result = run_scenario(
        harness,
        tmp_path,
        """
        out = io.StringIO()
        api.start_logging(out=out, level="info")
        log = api.make_logger()
        def hop():
            raise ValueError("fox spotted")
        try:
            hop()
        except ValueError:
            fail = api.create_failure()
        log.error("hop failed: {log_failure.value}", log_failure=fail)
        log.info("after")
        result["text"] = out.getvalue()
        """,
    )
    first, second = entries(result["text"])
    message, *traceback_lines = first.splitlines()
    assert message == "hop failed: fox spotted"
    assert traceback_lines[0] == "Traceback (most recent call last):"
    assert any("in hop" in line for line in traceback_lines)
    assert traceback_lines[-1].endswith("ValueError: fox spotted")
    assert second == "after"


# 5. a message that cannot be formatted is written whole, with one note ---------------


UNFORMATTABLE = """
class BrokenStr:
    def __str__(self):
        raise RuntimeError("no str")

class BrokenFormat:
    def __format__(self, spec):
        raise RuntimeError("no format")

out = io.StringIO()
api.start_logging(out=out, level="info")
log = api.make_logger()
log.info("missing {key} here")
log.info("broken {x}", x=BrokenStr())
log.info("broken {x}", x=BrokenFormat())
log.info("unbalanced { brace")
log.info("unbalanced } brace")
log.info("positional {0} field")
log.info("auto {} field")
log.info("value {0}", 42)
log.info("no fields, but arguments", 1, "two")
log.info("first line {missing}\\nsecond line\\n  third, indented")
result["text"] = out.getvalue()
"""


def test_a_message_that_cannot_be_formatted_is_written_whole_with_one_note(
    harness: Harness, tmp_path: Path
) -> None:
    result = run_scenario(harness, tmp_path, UNFORMATTABLE)
    positional = "a positional field ({0} or {}); log messages take keyword fields only]"
    assert entries(result["text"]) == [
        f"missing {{key}} here {NOTE}no field 'key' was given]",
        f"broken {{x}} {NOTE}RuntimeError: no str]",
        f"broken {{x}} {NOTE}RuntimeError: no format]",
        f"unbalanced {{ brace {NOTE}ValueError: expected '}}' before end of string]",
        f"unbalanced }} brace {NOTE}ValueError: Single '}}' encountered in format string]",
        f"positional {{0}} field {NOTE}{positional}",
        f"auto {{}} field {NOTE}{positional}",
        f"value {{0}} {NOTE}log calls take keyword fields only; positional arguments given: (42,)]",
        f"no fields, but arguments {NOTE}log calls take keyword fields only; "
        "positional arguments given: (1, 'two')]",
        "first line {missing}\nsecond line\n  third, indented\n"
        f"{NOTE}no field 'missing' was given]",
    ]
    assert result["stderr"] == ""


def test_a_logged_traceback_with_braces_stays_readable(harness: Harness, tmp_path: Path) -> None:
    # The source file makes the traceback show source lines, braces included.
    (tmp_path / "braces_module.py").write_text(
        "import json\n"
        "def explode(payload):\n"
        '    raise KeyError(f"no {{entry}} in {json.dumps(payload)}")\n',
        encoding="utf-8",
    )
    result = run_scenario(
        harness,
        tmp_path,
        f"""
        sys.path.insert(0, {str(tmp_path)!r})
        import braces_module
        out = io.StringIO()
        api.start_logging(out=out, level="debug")
        log = api.make_logger()
        try:
            braces_module.explode({{"a": [1, 2]}})
        except KeyError:
            fail = api.create_failure()
        log.critical(api.failure_format_traceback(fail))
        log.info("next")
        result["text"] = out.getvalue()
        """,
    )
    logged, following = entries(result["text"])
    lines = logged.splitlines()
    assert lines[0] == "Traceback (most recent call last):"
    source = '    raise KeyError(f"no {{entry}} in {json.dumps(payload)}")'
    assert source in lines, "the source line is written as it is, braces and all"
    assert lines[-2].endswith("""KeyError: 'no {entry} in {"a": [1, 2]}'""")
    assert lines[-1].startswith(NOTE), "one short note after the traceback"
    assert following == "next"


# 6. no call on a logger ever raises ------------------------------------------------


def test_no_call_on_a_logger_raises_at_any_level(harness: Harness, tmp_path: Path) -> None:
    result = run_scenario(
        harness,
        tmp_path,
        """
        class Broken:
            def __str__(self):
                raise RuntimeError("str")
            __repr__ = __format__ = __str__

        out = io.StringIO()
        api.start_logging(out=out, level="info")
        calls = [
            lambda log, m: m("value {0}", 42),
            lambda log, m: m("value {0}"),
            lambda log, m: m("missing {key}"),
            lambda log, m: m("broken {x}", x=Broken()),
            lambda log, m: m(Broken()),
            lambda log, m: m("unbalanced {"),
            lambda log, m: m(None),
            lambda log, m: m(),
            lambda log, m: m(b"\\xff bytes {x}", x=1),
            lambda log, m: m("category", log_category=["unhashable"]),
            lambda log, m: m("failure", log_failure="not a failure"),
            lambda log, m: m("message", "too", "many", "args", x=1),
            lambda log, m: log.emit("bogus", "unknown level"),
            lambda log, m: log.emit(None),
            lambda log, m: log.emit(),
        ]
        raised = []
        for global_level in ("none", "critical", "error", "warn", "info", "debug", "trace"):
            api.set_global_log_level(global_level)
            for own_level in (None, "none", "info", "trace"):
                log = api.make_logger(level=own_level)
                for name in ("critical", "error", "warn", "info", "debug", "trace"):
                    for index, call in enumerate(calls):
                        try:
                            call(log, getattr(log, name))
                        except BaseException as error:
                            raised.append(f"{global_level}/{own_level}/{name}/{index}: {error!r}")
        result["raised"] = raised[:10]
        """,
    )
    assert result["raised"] == []


# 7. interop: the framework's own logging appears, following the global level --------


INTEROP = {
    "asyncio": """
        import logging
        out = io.StringIO()
        api.start_logging(out=out, level="info")
        stdlib = logging.getLogger("some.library")
        stdlib.info("stdlib info %s", "shown")
        stdlib.debug("stdlib debug hidden")
        api.set_global_log_level("debug")
        stdlib.debug("stdlib debug shown")
        api.set_global_log_level("warn")
        stdlib.info("stdlib info hidden")
        result["text"] = out.getvalue()
    """,
    "twisted": """
        from twisted.logger import Logger
        from twisted.python import log as legacy
        out = io.StringIO()
        api.start_logging(out=out, level="info")
        plain = Logger(namespace="some.library")
        plain.info("twisted info {what}", what="shown")
        plain.debug("twisted debug hidden")
        legacy.msg("legacy message shown")
        api.set_global_log_level("debug")
        plain.debug("twisted debug shown")
        api.set_global_log_level("warn")
        plain.info("twisted info hidden")
        legacy.msg("legacy message hidden")
        result["text"] = out.getvalue()
    """,
}


def test_the_frameworks_own_log_records_appear_following_the_global_level(
    harness: Harness, tmp_path: Path
) -> None:
    result = run_scenario(harness, tmp_path, INTEROP[harness.name])
    written = entries(result["text"])
    shown = [entry for entry in written if "shown" in entry]
    assert len(shown) == (2 if harness.name == "asyncio" else 3)
    assert not [entry for entry in written if "hidden" in entry]


# 8-10. what the framework's own logging sees of a txaio logger -----------------------


def _framework_logger_class(harness: Harness) -> type:
    if harness.name == "asyncio":
        import logging

        return logging.Logger
    from twisted.logger import Logger

    return Logger


def test_a_logger_keeps_the_original_underscore_attributes(
    harness: Harness, global_level: str
) -> None:
    follower = harness.api.make_logger()
    own = harness.api.make_logger(level="error")
    harness.api.set_global_log_level("debug")
    assert follower._log_level == "debug"
    assert own._log_level == "error"
    harness.api.set_global_log_level("warn")
    assert follower._log_level == "warn"
    assert own._log_level == "error"
    framework_logger: Any = follower._logger
    name = framework_logger.name if harness.name == "asyncio" else framework_logger.namespace
    assert isinstance(framework_logger, _framework_logger_class(harness))
    assert name == follower.namespace == __name__


RECORDING_LOGGER = {
    "asyncio": """
        import logging
        seen = []
        class Recorder(logging.Handler):
            def emit(self, record):
                seen.append([record.levelname, record.getMessage()])
        given = logging.getLogger("given.logger")
        given.propagate = False
        given.addHandler(Recorder())
        def summary():
            return seen
    """,
    "twisted": """
        from twisted.logger import Logger
        seen = []
        class Given(Logger):
            def emit(self, level, format=None, **fields):
                seen.append([level.name, format])
        given = Given(namespace="given.logger", observer=lambda event: None)
        def summary():
            return seen
    """,
}


def test_a_given_framework_logger_receives_every_call(harness: Harness, tmp_path: Path) -> None:
    result = run_scenario(
        harness,
        tmp_path,
        RECORDING_LOGGER[harness.name]
        + """
        log = api.make_logger(level="debug", logger=given)
        log.info("info {n}", n=1)
        log.debug("debug")
        log.trace("filtered trace")
        log.emit("warn", "emitted")
        log.emit("trace", "filtered emit")
        result["seen"] = summary()
        """,
    )
    if harness.name == "asyncio":
        expected = [["INFO", "info 1"], ["DEBUG", "debug"], ["WARNING", "emitted"]]
    else:
        expected = [["info", "info {n}"], ["debug", "debug"], ["warn", "emitted"]]
    assert result["seen"] == expected


# 11. emit follows a level set with keep=False -----------------------------------------


def test_emit_follows_a_level_set_without_keep(harness: Harness, tmp_path: Path) -> None:
    result = run_scenario(
        harness,
        tmp_path,
        """
        out = io.StringIO()
        api.start_logging(out=out, level="info")
        log = api.make_logger(level="error")
        log.set_log_level("debug", keep=False)
        log.emit("debug", "emitted debug")
        log.debug("method debug")
        api.set_global_log_level("info")
        log.emit("debug", "hidden after the global change")
        log.emit("info", "info after the global change")
        result["level"] = log._log_level
        result["text"] = out.getvalue()
        """,
    )
    assert entries(result["text"]) == [
        "emitted debug",
        "method debug",
        "info after the global change",
    ]
    assert result["level"] == "info"


# The shared message fields, categories and the format= keyword ----------------------


def test_messages_see_the_same_fields_on_both_frameworks(harness: Harness, tmp_path: Path) -> None:
    result = run_scenario(
        harness,
        tmp_path,
        """
        out = io.StringIO()
        api.start_logging(out=out, level="trace")
        log = api.make_logger()
        log.info("{log_level} {log_namespace} {log_source} {log_format}")
        log.trace("trace {txaio_trace}")
        log.debug("time {ok}", ok=isinstance(0.0, float))
        log.info(format="keyword format {n}", n=3)
        log.info("{log_time:.0f}")
        log.warn("at {log_level}")
        result["text"] = out.getvalue()
        """,
    )
    written = entries(result["text"])
    assert written[:4] == [
        "info __main__ None {log_level} {log_namespace} {log_source} {log_format}",
        "trace True",
        "time True",
        "keyword format 3",
    ]
    assert written[4].isdigit()
    assert written[5] == "at warn"


def test_categories_accept_any_mapping_and_ignore_categories_that_are_not_strings(
    harness: Harness, tmp_path: Path
) -> None:
    result = run_scenario(
        harness,
        tmp_path,
        """
        import types
        out = io.StringIO()
        api.start_logging(out=out, level="info")
        api.add_log_categories(types.MappingProxyType({"AP100": "category {n}"}))
        errors = []
        for bad in (["AP100"], {"AP101": 1}, {2: "format"}):
            try:
                api.add_log_categories(bad)
            except TypeError as error:
                errors.append(str(error))
        log = api.make_logger()
        log.info("ignored {n}", log_category="AP100", n=1)
        log.info("unknown category {n}", log_category="AP999", n=2)
        log.info("number category {n}", log_category=100, n=3)
        log.info("list category {n}", log_category=["AP100"], n=4)
        log.info(log_category="AP100", n=5)
        log.info(log_category="AP101", n=6)
        result["errors"] = errors
        result["text"] = out.getvalue()
        """,
    )
    assert entries(result["text"]) == [
        "category 1",
        "unknown category 2",
        "number category 3",
        "list category 4",
        "category 5",
        "",
    ]
    assert len(result["errors"]) == 3
    assert all("categories" in error for error in result["errors"])
