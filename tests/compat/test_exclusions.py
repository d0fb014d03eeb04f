"""The exclusions of ``hatch run compat:original``: only the allowed kinds, each in the README."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.compat.run_original import (
    ALLOWED_KINDS,
    EXCLUSIONS_FILE,
    RunResult,
    read_exclusions,
)

README = Path(__file__).resolve().parents[2] / "README.md"


def _readme_reasons() -> list[str]:
    text = README.read_text(encoding="utf-8")
    block = re.search(
        r"<!-- compat-exclusions:start -->\n(.*?)<!-- compat-exclusions:end -->", text, re.S
    )
    assert block is not None, "README lacks the compat-exclusions block"
    return [
        line[2:].split(" (`")[0] for line in block.group(1).splitlines() if line.startswith("- ")
    ]


def test_every_exclusion_is_of_an_allowed_kind() -> None:
    exclusions = read_exclusions()
    assert exclusions
    assert {exclusion.kind for exclusion in exclusions} <= set(ALLOWED_KINDS)


def test_readme_lists_exactly_the_exclusions_reasons() -> None:
    reasons = sorted({exclusion.reason for exclusion in read_exclusions()})
    assert sorted(_readme_reasons()) == reasons


def test_readme_names_every_excluded_test() -> None:
    text = README.read_text(encoding="utf-8")
    for exclusion in read_exclusions():
        assert f"`{exclusion.test_id.split('::')[-1]}`" in text


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ("test_a.py::test_b", "expected 'TEST_ID KIND REASON'"),
        ("test_a.py::test_b flaky It fails sometimes.", "kind 'flaky' may not be excluded"),
        (
            "test_a.py::test_b private-name Why.\ntest_a.py::test_b private-name Why.",
            "listed twice",
        ),
    ],
)
def test_a_wrong_exclusions_file_is_refused(tmp_path: Path, line: str, problem: str) -> None:
    path = tmp_path / "exclusions.txt"
    path.write_text(f"# a comment\n\n{line}\n", encoding="utf-8")
    with pytest.raises(ValueError, match=re.escape(problem)):
        read_exclusions(path)


def test_the_repository_file_is_the_default() -> None:
    assert read_exclusions() == read_exclusions(EXCLUSIONS_FILE)


def test_summary_counts_a_broken_run_as_a_failure() -> None:
    result = RunResult("asyncio", returncode=4)
    assert result.failed() == 1
    assert result.summary() == "asyncio 0 passed, 1 failed, 0 excluded"


def test_summary_counts_outcomes() -> None:
    result = RunResult(
        "twisted",
        returncode=0,
        outcomes={"a": "passed", "b": "passed", "c": "skipped: no module"},
        excluded=["d"],
    )
    assert result.summary() == (
        "twisted 2 passed, 0 failed, 1 excluded, 1 skipped by the original itself"
    )
