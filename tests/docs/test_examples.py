"""Every code example of the guide, the getting-started page and the README runs.

Each runs in a fresh interpreter per framework (a process selects one
framework) and must exit cleanly, print nothing on standard error, and print
the output shown under it on the page (timestamps of log lines aside).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.docs.pages import REPOSITORY, Example, all_examples, examples, pages

# Documentation checks: the matrix runs them on its first entry only.
pytestmark = pytest.mark.docs

HARNESS = Path(__file__).resolve().parent / "run_example.py"
_TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d\S*\s", re.MULTILINE)


def _twisted_installed() -> bool:
    try:
        import twisted  # noqa: F401
        import txaio_twisted  # noqa: F401
    except ImportError:
        return False
    return True


def _cases() -> list[object]:
    cases: list[object] = []
    for example in all_examples():
        for framework in example.frameworks:
            marks = []
            if framework == "twisted" and not _twisted_installed():
                marks.append(pytest.mark.skip(reason="needs Twisted and txaio-twisted"))
            cases.append(
                pytest.param(example, framework, marks=marks, id=f"{example.name}-{framework}")
            )
    return cases


def run(example: Example, framework: str) -> subprocess.CompletedProcess[str]:
    """Run ``example`` on ``framework`` in a fresh interpreter; return the finished process."""
    command = [sys.executable, "-W", "error", str(HARNESS), framework]
    if example.selects:
        command.append("--selects")
    return subprocess.run(
        command,
        input=example.code,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=REPOSITORY,
        env={**os.environ, "PYTHONPATH": str(REPOSITORY)},
    )


@pytest.mark.parametrize(("example", "framework"), _cases())
def test_example_runs_and_prints_what_the_page_shows(example: Example, framework: str) -> None:
    done = run(example, framework)
    assert done.returncode == 0, f"{example.name} failed on {framework}:\n{done.stderr}"
    assert done.stderr == "", f"{example.name} wrote to stderr on {framework}:\n{done.stderr}"
    if example.output is not None:
        assert _TIMESTAMP.sub("", done.stdout) == example.output


def test_every_guide_page_has_checked_examples() -> None:
    guide = [page for page in pages() if page.parent.name == "guide" and page.stem != "index"]
    assert guide, "no guide pages found"
    without = [page.name for page in guide if not examples(page)]
    assert without == []


def test_every_example_that_prints_shows_its_output() -> None:
    silent = [e.name for e in all_examples() if e.output is None and "print(" in e.code]
    assert silent == []
