"""Contract: loggers, levels, start_logging and the output they produce.

``start_logging`` changes process-wide state for good (Twisted's global log
beginner, stdlib logging's handlers), so every test that starts logging runs
its scenario in a fresh interpreter, on the same backend and through the same
API (backend module or facade) as the harness.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.contract.logging_scenario import run_scenario
from tests.support.harness import Harness


@pytest.fixture
def global_level(harness: Harness) -> Iterator[str]:
    """The global log level before the test; restored after it."""
    before: str = harness.api.get_global_log_level()
    yield before
    harness.api.set_global_log_level(before)


def test_make_logger_names_the_calling_module(harness: Harness) -> None:
    log = harness.api.make_logger()
    assert isinstance(log, harness.api.ILogger)
    assert log.namespace == __name__


def test_make_logger_in_a_class_body_names_the_class(harness: Harness) -> None:
    class Hopper:
        log = harness.api.make_logger()

        def hop(self) -> Any:
            return self.log

    assert Hopper.log.namespace == f"{__name__}.{Hopper.__qualname__}"
    assert Hopper().hop() is Hopper.log, "a class attribute logger is the same for every instance"


class Carrot:
    def make(self, api: Any) -> Any:
        return api.make_logger()

    @classmethod
    def make_from_class(cls, api: Any) -> Any:
        return api.make_logger()


def test_make_logger_in_a_method_names_the_class(harness: Harness) -> None:
    assert Carrot().make(harness.api).namespace == f"{__name__}.Carrot"
    assert Carrot.make_from_class(harness.api).namespace == f"{__name__}.Carrot"


def test_make_logger_rejects_an_unknown_level(harness: Harness) -> None:
    with pytest.raises(ValueError, match="'trace'"):
        harness.api.make_logger(level="loud")


def test_set_and_get_global_log_level(harness: Harness, global_level: str) -> None:
    for level in ("none", "critical", "error", "warn", "info", "debug", "trace"):
        harness.api.set_global_log_level(level)
        assert harness.api.get_global_log_level() == level


def test_set_global_log_level_rejects_an_unknown_level(harness: Harness, global_level: str) -> None:
    with pytest.raises(ValueError, match=r"'none'.*'critical'.*'trace'"):
        harness.api.set_global_log_level("verbose")
    assert harness.api.get_global_log_level() == global_level


def test_filtered_and_emitted_log_calls_return_none(harness: Harness, global_level: str) -> None:
    log = harness.api.make_logger(level="none")
    for method in (log.critical, log.error, log.warn, log.info, log.debug, log.trace):
        assert method("nothing {x}", x=1) is None


def test_start_logging_writes_text_at_the_level(harness: Harness, tmp_path: Path) -> None:
    result = run_scenario(
        harness,
        tmp_path,
        """
        out = io.StringIO()
        api.start_logging(out=out, level="info")
        log = api.make_logger()
        log.critical("critical {n}", n=1)
        log.error("error {n}", n=2)
        log.warn("warn {n}", n=3)
        log.info("info {n}", n=4)
        log.debug("debug {n}", n=5)
        log.trace("trace {n}", n=6)
        result["text"] = out.getvalue()
        result["level"] = api.get_global_log_level()
        """,
    )
    text = result["text"]
    for shown in ("critical 1", "error 2", "warn 3", "info 4"):
        assert shown in text
    assert "debug 5" not in text
    assert "trace 6" not in text
    assert result["level"] == "info"
    lines = [line for line in text.splitlines() if line.endswith("info 4")]
    assert len(lines) == 1


def test_start_logging_writes_utf8_to_a_binary_stream(harness: Harness, tmp_path: Path) -> None:
    result = run_scenario(
        harness,
        tmp_path,
        """
        out = io.BytesIO()
        api.start_logging(out=out, level="debug")
        log = api.make_logger()
        log.debug("caf\\u00e9 {n}", n=7)
        result["bytes"] = list(out.getvalue())
        """,
    )
    written = bytes(result["bytes"]).decode("utf-8")
    assert "caf\u00e9 7" in written


def test_start_logging_at_trace_shows_trace(harness: Harness, tmp_path: Path) -> None:
    result = run_scenario(
        harness,
        tmp_path,
        """
        out = io.StringIO()
        api.start_logging(out=out, level="trace")
        log = api.make_logger()
        log.trace("tracing {n}", n=8)
        log.debug("debugging {n}", n=9)
        result["text"] = out.getvalue()
        """,
    )
    assert "tracing 8" in result["text"]
    assert "debugging 9" in result["text"]


def test_global_level_changes_apply_to_existing_loggers(harness: Harness, tmp_path: Path) -> None:
    result = run_scenario(
        harness,
        tmp_path,
        """
        out = io.StringIO()
        api.start_logging(out=out, level="info")
        log = api.make_logger()
        log.debug("early debug")
        api.set_global_log_level("debug")
        log.debug("later debug")
        api.set_global_log_level("error")
        log.warn("quiet warn")
        log.error("loud error")
        api.set_global_log_level("none")
        log.critical("silenced critical")
        result["text"] = out.getvalue()
        """,
    )
    text = result["text"]
    assert "early debug" not in text
    assert "later debug" in text
    assert "quiet warn" not in text
    assert "loud error" in text
    assert "silenced critical" not in text


def test_a_logger_level_survives_global_level_changes(harness: Harness, tmp_path: Path) -> None:
    result = run_scenario(
        harness,
        tmp_path,
        """
        out = io.StringIO()
        api.start_logging(out=out, level="info")
        quiet = api.make_logger(level="warn")
        chatty = api.make_logger(level="debug")
        quiet.info("quiet info 1")
        quiet.warn("quiet warn 1")
        chatty.debug("chatty debug 1")
        api.set_global_log_level("trace")
        quiet.info("quiet info 2")
        chatty.trace("chatty trace 2")
        api.set_global_log_level("none")
        chatty.debug("chatty debug 3")
        quiet.error("quiet error 3")
        result["text"] = out.getvalue()
        """,
    )
    text = result["text"]
    assert "quiet info 1" not in text
    assert "quiet warn 1" in text
    assert "chatty debug 1" in text
    assert "quiet info 2" not in text
    assert "chatty trace 2" not in text
    assert "chatty debug 3" in text
    assert "quiet error 3" in text


def test_start_logging_again_changes_only_the_level(harness: Harness, tmp_path: Path) -> None:
    result = run_scenario(
        harness,
        tmp_path,
        """
        out = io.StringIO()
        api.start_logging(out=out, level="info")
        log = api.make_logger()
        log.debug("debug before")
        api.start_logging(out=out, level="debug")
        log.debug("debug after same stream")
        api.start_logging(level="error")
        log.warn("warn after out=None")
        log.error("error after out=None")
        result["level"] = api.get_global_log_level()
        result["text"] = out.getvalue()
        """,
    )
    text = result["text"]
    assert "debug before" not in text
    assert text.count("debug after same stream") == 1
    assert "warn after out=None" not in text
    assert text.count("error after out=None") == 1
    assert result["level"] == "error"


def test_start_logging_to_another_stream_is_refused(harness: Harness, tmp_path: Path) -> None:
    result = run_scenario(
        harness,
        tmp_path,
        """
        first = io.StringIO()
        second = io.StringIO()
        api.start_logging(out=first, level="info")
        try:
            api.start_logging(out=second, level="debug")
        except RuntimeError as error:
            result["error"] = str(error)
        api.make_logger().info("only once")
        result["level"] = api.get_global_log_level()
        result["first"] = first.getvalue()
        result["second"] = second.getvalue()
        """,
    )
    assert "already" in result["error"]
    assert result["level"] == "info"
    assert result["first"].count("only once") == 1
    assert result["second"] == ""


def test_start_logging_rejects_an_unknown_level(harness: Harness, tmp_path: Path) -> None:
    result = run_scenario(
        harness,
        tmp_path,
        """
        try:
            api.start_logging(out=io.StringIO(), level="loud")
        except ValueError as error:
            result["error"] = str(error)
        out = io.StringIO()
        api.start_logging(out=out, level="info")
        api.make_logger().info("still starts")
        result["text"] = out.getvalue()
        """,
    )
    for level in ("none", "critical", "error", "warn", "info", "debug", "trace"):
        assert repr(level) in result["error"]
    assert "still starts" in result["text"]


def test_log_categories_give_the_message_format(harness: Harness, tmp_path: Path) -> None:
    result = run_scenario(
        harness,
        tmp_path,
        """
        out = io.StringIO()
        api.start_logging(out=out, level="info")
        api.add_log_categories({"TX100": "category message {count}"})
        api.make_logger().info(log_category="TX100", count=42)
        result["text"] = out.getvalue()
        """,
    )
    assert "category message 42" in result["text"]


def test_a_log_call_never_raises(harness: Harness, tmp_path: Path) -> None:
    result = run_scenario(
        harness,
        tmp_path,
        """
        class BrokenStr:
            def __str__(self):
                raise RuntimeError("no str for you")
            def __repr__(self):
                raise RuntimeError("no repr either")

        out = io.StringIO()
        api.start_logging(out=out, level="debug")
        log = api.make_logger()
        raised = []
        calls = [
            lambda: log.info("missing {key}"),
            lambda: log.info("positional {0}"),
            lambda: log.info("spec {x:d}", x="text"),
            lambda: log.info("broken {x}", x=BrokenStr()),
            lambda: log.info("unclosed {x", x=1),
            lambda: log.info(None),
            lambda: log.info(12345),
            lambda: log.info("conflict", message="given twice"),
            lambda: log.error("attribute {x.nope}", x=1),
        ]
        for call in calls:
            try:
                call()
            except BaseException as error:
                raised.append(repr(error))
        log.info("after the bad ones")
        result["raised"] = raised
        result["text"] = out.getvalue()
        """,
    )
    assert result["raised"] == []
    text = result["text"]
    assert "after the bad ones" in text
    for fragment in ("missing {key}", "positional {0}", "spec {x:d}", "broken {x}", "12345"):
        assert fragment in text, f"{fragment!r} should be reported in the output"
