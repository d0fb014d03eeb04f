"""The release command: next calendar version, changelog for one package, nothing else touched."""

from __future__ import annotations

import io
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from tests.packaging._ci import (
    REPO,
    copy_repo,
    git,
    monorepo,
    release,
    set_version_file,
    tree_digest,
)

pytestmark = pytest.mark.packaging

NOV = date(2026, 11, 25)


@pytest.mark.parametrize(
    ("current", "today", "expected"),
    [
        ("26.11.1", date(2026, 11, 25), "26.11.2"),
        ("26.11.9", date(2026, 11, 30), "26.11.10"),
        ("26.11.3", date(2026, 12, 1), "26.12.1"),
        ("26.9.2", date(2026, 11, 3), "26.11.1"),
        ("26.12.4", date(2027, 1, 2), "27.1.1"),
    ],
)
def test_next_version_counts_within_a_month_and_restarts_in_a_new_one(
    current: str, today: date, expected: str
) -> None:
    assert monorepo.next_version(current, today) == expected


def test_next_version_refuses_a_version_from_a_later_month() -> None:
    with pytest.raises(ValueError, match=r"26\.12\.1 is from a later month"):
        monorepo.next_version("26.12.1", NOV)


@pytest.mark.parametrize("bad", ["26.11", "26.13.1", "26.11.0", "2026.11.1", "26.011.1", "x"])
def test_parse_calver_names_the_bad_version(bad: str) -> None:
    with pytest.raises(ValueError, match=r"not a calendar version YY\.M\.N"):
        monorepo.parse_calver(bad)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A throwaway git copy of the packages at version 26.11.1, without news fragments."""
    root = copy_repo(tmp_path / "repo")
    for package in monorepo.packages(root).values():
        set_version_file(package, "26.11.1")
        for fragment in package.fragments():
            fragment.unlink()
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "known state", "--allow-empty")
    return root


def _fragment(root: Path, dist: str, name: str, text: str) -> None:
    package = monorepo.get_package(dist, root)
    (package.fragments_dir / name).write_text(text + "\n", encoding="utf-8")
    git(root, "add", str(package.fragments_dir / name))
    git(root, "commit", "-q", "-m", f"fragment {name}")


def _bump(root: Path, dist: str, today: date, *, dry_run: bool = False) -> tuple[str, str]:
    out = io.StringIO()
    version = release.bump(dist, today=today, dry_run=dry_run, root=root, out=out)
    return version, out.getvalue()


def _others(root: Path, dist: str) -> dict[str, bytes]:
    return {
        name: content
        for name, content in tree_digest(root / "packages").items()
        if not name.startswith(dist + "/")
    }


def test_bump_sets_the_version_and_folds_the_fragments_into_that_changelog(repo: Path) -> None:
    _fragment(repo, "txaio-core", "+timer.feature.md", "`BatchedTimer` gained a thing.")
    _fragment(repo, "txaio-core", "+levels.bugfix.md", "`check_level` names the argument.")
    _fragment(repo, "txaio-core", "+tidy.misc.md", "Internal tidying.")
    others_before = _others(repo, "txaio-core")

    version, out = _bump(repo, "txaio-core", NOV)

    core = monorepo.get_package("txaio-core", repo)
    assert version == "26.11.2"
    assert core.read_version() == "26.11.2"
    assert "txaio-core: 26.11.1 -> 26.11.2" in out
    changelog = core.changelog.read_text(encoding="utf-8")
    entry = changelog.split("<!-- towncrier release notes start -->", 1)[1]
    assert "## 26.11.2 (2026-11-25)" in entry
    assert "### Features" in entry
    assert "`BatchedTimer` gained a thing." in entry
    assert "### Bug fixes" in entry
    assert "`check_level` names the argument." in entry
    assert core.fragments() == []
    assert _others(repo, "txaio-core") == others_before


def test_several_releases_in_a_month_count_up_newest_entry_first(repo: Path) -> None:
    _fragment(repo, "txaio-asyncio", "+one.feature.md", "First change.")
    assert _bump(repo, "txaio-asyncio", NOV)[0] == "26.11.2"
    git(repo, "commit", "-q", "-a", "-m", "release 26.11.2")
    _fragment(repo, "txaio-asyncio", "+two.bugfix.md", "Second change.")
    assert _bump(repo, "txaio-asyncio", date(2026, 11, 28))[0] == "26.11.3"

    changelog = monorepo.get_package("txaio-asyncio", repo).changelog.read_text(encoding="utf-8")
    newer = changelog.index("## 26.11.3 (2026-11-28)")
    older = changelog.index("## 26.11.2 (2026-11-25)")
    assert newer < changelog.index("Second change.") < older < changelog.index("First change.")


def test_month_rollover_starts_again_at_one(repo: Path) -> None:
    twisted = monorepo.get_package("txaio-twisted", repo)
    set_version_file(twisted, "26.11.3")
    _fragment(repo, "txaio-twisted", "+rollover.removal.md", "`old_name` is gone.")

    version, _ = _bump(repo, "txaio-twisted", date(2026, 12, 1))

    assert version == "26.12.1"
    assert twisted.read_version() == "26.12.1"
    assert "## 26.12.1 (2026-12-01)" in twisted.changelog.read_text(encoding="utf-8")


def test_a_package_without_fragments_is_released_with_no_significant_changes(
    repo: Path,
) -> None:
    version, out = _bump(repo, "txaio", NOV)

    assert version == "26.11.2"
    assert "no news fragments" in out
    entry = monorepo.get_package("txaio", repo).changelog.read_text(encoding="utf-8")
    assert "## 26.11.2 (2026-11-25)\n\nNo significant changes." in entry


def test_dry_run_shows_the_plan_and_changes_nothing(repo: Path) -> None:
    _fragment(repo, "txaio-core", "+dry.doc.md", "Documented the dry run.")
    before = tree_digest(repo)

    version, out = _bump(repo, "txaio-core", NOV, dry_run=True)

    assert version == "26.11.2"
    assert tree_digest(repo) == before
    assert "would write packages/txaio-core/src/txaio_core/_version.py" in out
    assert "packages/txaio-core/newsfragments/+dry.doc.md" in out
    assert "## 26.11.2 (2026-11-25)" in out
    assert "Documented the dry run." in out
    assert "nothing was changed" in out


def test_unknown_distribution_is_named_with_the_known_ones(repo: Path) -> None:
    with pytest.raises(KeyError, match=r"unknown distribution 'txaio-foo'.*txaio-core"):
        _bump(repo, "txaio-foo", NOV)


def test_command_line_dry_run_on_the_real_repository() -> None:
    core = monorepo.get_package("txaio-core")
    before = core.version_file.read_bytes()
    expected = monorepo.next_version(core.read_version(), date(2099, 1, 5))

    done = subprocess.run(
        [sys.executable, ".ci/release.py", "bump", "txaio-core", "--dry-run", "--date=2099-01-05"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )

    assert done.returncode == 0, done.stderr
    assert f"-> {expected}" in done.stdout
    assert core.version_file.read_bytes() == before


def test_command_line_reports_an_unknown_distribution() -> None:
    done = subprocess.run(
        [sys.executable, ".ci/release.py", "bump", "nope", "--dry-run"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1
    assert "unknown distribution 'nope'" in done.stderr


def test_a_failing_towncrier_leaves_the_version_as_it_was(repo: Path) -> None:
    core = monorepo.get_package("txaio-core", repo)
    core.changelog.unlink()
    core.changelog.mkdir()  # towncrier cannot write a directory

    with pytest.raises(RuntimeError, match="towncrier failed for txaio-core"):
        _bump(repo, "txaio-core", NOV)

    assert core.read_version() == "26.11.1"


def test_without_hatch_on_path_the_bump_fails_and_changes_nothing(
    repo: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _fragment(repo, "txaio-core", "+kept.feature.md", "Still here.")
    before = tree_digest(repo)
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))

    with pytest.raises(RuntimeError, match="`hatch` is not on PATH"):
        _bump(repo, "txaio-core", NOV)

    assert tree_digest(repo) == before
