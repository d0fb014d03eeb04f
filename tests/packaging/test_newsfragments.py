"""The per-package news fragment check that .ci/run runs on branches."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.packaging._ci import (
    REPO,
    check_newsfragments,
    copy_repo,
    git,
    monorepo,
    set_version_file,
)

pytestmark = pytest.mark.packaging


@pytest.fixture
def branch(tmp_path: Path) -> Path:
    """A git copy of the packages on a branch ``work`` started from ``main``."""
    root = copy_repo(tmp_path / "repo")
    git(root, "checkout", "-q", "-b", "work")
    return root


def _change(root: Path, relative: str, text: str = "# changed\n") -> None:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as handle:
        handle.write(text)
    git(root, "add", relative)
    git(root, "commit", "-q", "-m", f"change {relative}")


def _problems(root: Path) -> list[str]:
    found: list[str] = check_newsfragments.problems("main", monorepo.packages(root), root)
    return found


def test_no_change_needs_no_fragment(branch: Path) -> None:
    assert _problems(branch) == []


def test_a_source_change_without_a_fragment_is_reported_for_that_package(branch: Path) -> None:
    _change(branch, "packages/txaio-core/src/txaio_core/levels.py")

    found = _problems(branch)

    assert len(found) == 1
    assert found[0].startswith("txaio-core: packages/txaio-core/src/txaio_core/levels.py changed")
    assert "packages/txaio-core/newsfragments/<name>.<type>.md" in found[0]


def test_a_fragment_in_another_package_does_not_count(branch: Path) -> None:
    _change(branch, "packages/txaio-core/src/txaio_core/levels.py")
    _change(branch, "packages/txaio-asyncio/newsfragments/+x.feature.md", "Something.\n")

    found = _problems(branch)

    assert [message.split(":")[0] for message in found] == ["txaio-core"]


def test_a_fragment_in_the_same_package_satisfies_the_check(branch: Path) -> None:
    _change(branch, "packages/txaio-twisted/src/txaio_twisted/__init__.py")
    _change(branch, "packages/txaio-twisted/newsfragments/+x.bugfix.md", "Fixed.\n")

    assert _problems(branch) == []


def test_a_release_changing_only_the_version_file_needs_no_fragment(branch: Path) -> None:
    set_version_file(monorepo.get_package("txaio", branch), "26.12.1")
    git(branch, "commit", "-q", "-a", "-m", "release")

    assert _problems(branch) == []


def test_changes_outside_src_need_no_fragment(branch: Path) -> None:
    _change(branch, "packages/txaio/README.md")

    assert _problems(branch) == []


def test_a_misnamed_fragment_is_reported(branch: Path) -> None:
    _change(branch, "packages/txaio/src/txaio/__init__.py")
    _change(branch, "packages/txaio/newsfragments/+x.feat.md", "Wrong type.\n")

    found = _problems(branch)

    assert len(found) == 1
    assert found[0].startswith("txaio: ")
    assert "Invalid news fragment name: +x.feat.md" in found[0]


def test_a_misnamed_fragment_alone_is_reported(branch: Path) -> None:
    _change(branch, "packages/txaio-core/newsfragments/+x.md", "No type.\n")

    found = _problems(branch)

    assert len(found) == 1
    assert found[0].startswith("txaio-core: packages/txaio-core/newsfragments/+x.md changed")
    assert "Invalid news fragment name: +x.md" in found[0]


def test_a_release_folding_the_fragments_into_the_changelog_passes(branch: Path) -> None:
    package = monorepo.get_package("txaio-asyncio", branch)
    set_version_file(package, "26.12.1")
    for fragment in package.fragments():
        git(branch, "rm", "-q", str(fragment))
    with package.changelog.open("a", encoding="utf-8") as handle:
        handle.write("\n## 26.12.1 (2026-12-01)\n\nNo significant changes.\n")
    git(branch, "commit", "-q", "-a", "-m", "release")

    assert _problems(branch) == []


def test_command_line_against_head_passes() -> None:
    done = subprocess.run(
        [sys.executable, ".ci/check_newsfragments.py", "--base", "HEAD"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "every package changed since HEAD has its own" in done.stdout


def test_command_line_reports_an_unknown_base() -> None:
    done = subprocess.run(
        [sys.executable, ".ci/check_newsfragments.py", "--base", "no-such-ref"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2
    assert "no-such-ref" in done.stderr
