"""A log call never raises: fuzzed messages and arguments on both backends.

Each backend runs in a child process (``start_logging`` may run once per process)
that logs to a string stream at level "trace"; see
:mod:`tests.reliability.logging_fuzz_child`. The fuzz size follows the Hypothesis
profile but stays modest (at most 2,000 calls per backend).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings

from tests.reliability.backends import BACKENDS

EXAMPLES = min(2_000, max(200, settings().max_examples // 5))
ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow


def run_fuzz(backend: str) -> dict[str, Any]:
    """Run the child for ``backend`` and return its JSON summary."""
    pytest.importorskip(f"txaio_{backend}")
    if backend == "twisted":
        pytest.importorskip("twisted")
    result = subprocess.run(
        [sys.executable, "-m", "tests.reliability.logging_fuzz_child", backend, str(EXAMPLES)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-4000:]
    summary: dict[str, Any] = json.loads(result.stdout)
    return summary


@pytest.fixture(scope="module", params=BACKENDS)
def fuzz_summary(request: pytest.FixtureRequest) -> dict[str, Any]:
    return run_fuzz(request.param)


def test_no_log_call_raises(fuzz_summary: dict[str, Any]) -> None:
    assert fuzz_summary["calls"] >= EXAMPLES
    assert fuzz_summary["raised"] == []


def test_no_log_call_is_lost(fuzz_summary: dict[str, Any]) -> None:
    """At level "trace" every call writes a line: its message, or an error line about it."""
    assert fuzz_summary["silent"] == []


@pytest.mark.parametrize(
    ("case", "words"),
    [
        ("missing key", ["value is {missing_key}", "missing_key"]),
        ("format spec does not apply", ["count {n:d}"]),
        ("__str__ raises", ["object {obj}"]),
        ("__repr__ raises", ["object {obj!r}"]),
        ("unbalanced brace", ["oops { here"]),
        ("positional field", ["value {0}", "positional field"]),
        ("positional arguments", ["value {0} and {1}", "(42, 'text')"]),
        ("category with a broken format", ["category { unbalanced"]),
    ],
)
def test_a_message_that_cannot_be_formatted_is_one_clear_error_line(
    fuzz_summary: dict[str, Any], case: str, words: list[str]
) -> None:
    """The line names the message that failed (and the problem); it is not dropped."""
    line = fuzz_summary["rendered"][case]
    assert line.strip(), f"{case}: nothing was written"
    for word in words:
        assert word in line, f"{case}: {line!r} does not contain {word!r}"
    assert line.count("[txaio: could not format the message: ") == 1, "one note"


@pytest.mark.parametrize(
    ("case", "text"),
    [
        ("bytes message", "raw \ufffd bytes 1"),
        ("Mapping category", "category with mapped"),
        ("non-string category", "number category 1"),
        ("unhashable category", "list category 2"),
    ],
)
def test_bytes_and_categories_from_a_mapping_or_not_strings_are_formatted(
    fuzz_summary: dict[str, Any], case: str, text: str
) -> None:
    line = fuzz_summary["rendered"][case]
    assert line.rstrip("\n").endswith(f" {text}"), f"{case}: {line!r}"


def test_a_logged_traceback_with_braces_is_written_whole(fuzz_summary: dict[str, Any]) -> None:
    written = fuzz_summary["rendered"]["traceback with braces"]
    assert "Traceback (most recent call last):" in written
    assert 'raise ValueError(f"{{braces}} {text}")' in written, "the source line, braces and all"
    assert 'ValueError: {braces} {"key": [1, 2]} and {unclosed' in written
    assert written.count("[txaio: could not format the message: ") == 1
