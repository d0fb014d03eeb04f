"""Requirements between the siblings, towncrier per package, and what each sdist's tests are."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from packaging.utils import canonicalize_name

from tests.packaging._ci import REPO, check_requirements, copy_repo, monorepo, set_version_file

pytestmark = pytest.mark.packaging

DISTS = ("txaio-core", "txaio-asyncio", "txaio-twisted", "txaio")


def test_the_four_distributions_are_found() -> None:
    assert sorted(monorepo.packages()) == sorted(DISTS)


def test_every_sibling_requirement_follows_the_policy_and_admits_the_current_version() -> None:
    assert check_requirements.problems() == []


def test_the_siblings_require_each_other_as_documented() -> None:
    required = {
        (dist, where, canonicalize_name(req.name))
        for dist, where, req in check_requirements.sibling_requirements()
    }
    assert required == {
        ("txaio-asyncio", "dependencies", "txaio-core"),
        ("txaio-twisted", "dependencies", "txaio-core"),
        ("txaio", "dependencies", "txaio-core"),
        ("txaio", "dependencies", "txaio-asyncio"),
        ("txaio", "extra asyncio", "txaio-asyncio"),
        ("txaio", "extra twisted", "txaio-twisted"),
        ("txaio", "extra all", "txaio-asyncio"),
        ("txaio", "extra all", "txaio-twisted"),
    }


def _require_core(root: Path, dist: str, specifier: str) -> None:
    """Rewrite ``dist``'s requirement on txaio-core in the copy at ``root``."""
    path = root / "packages" / dist / "pyproject.toml"
    text, count = re.subn(r'"txaio-core[^"]*"', f'"txaio-core{specifier}"', path.read_text())
    assert count == 1
    path.write_text(text, encoding="utf-8")


def test_a_release_that_breaks_a_capped_requirement_is_caught(tmp_path: Path) -> None:
    root = copy_repo(tmp_path / "repo")
    core = monorepo.get_package("txaio-core", root).read_version()
    _require_core(root, "txaio-asyncio", f">={core},<99")
    set_version_file(monorepo.get_package("txaio-core", root), "99.1.1")

    found = check_requirements.problems(root)

    assert any("txaio-asyncio (dependencies)" in m and "no cap" in m for m in found)
    assert any("does not admit txaio-core 99.1.1" in m for m in found)


def test_a_lower_bound_above_the_sibling_version_is_caught(tmp_path: Path) -> None:
    root = copy_repo(tmp_path / "repo")
    core = monorepo.get_package("txaio-core", root).read_version()
    _require_core(root, "txaio-twisted", ">=99.1.1")

    found = check_requirements.problems(root)

    assert len(found) == 1
    assert "txaio-twisted (dependencies) requires txaio-core>=99.1.1" in found[0]
    assert f"does not admit txaio-core {core}" in found[0]


def test_an_exact_pin_is_refused(tmp_path: Path) -> None:
    root = copy_repo(tmp_path / "repo")
    core = monorepo.get_package("txaio-core", root).read_version()
    _require_core(root, "txaio", f"=={core}")

    found = check_requirements.problems(root)

    assert len(found) == 1
    assert "single lower bound" in found[0]


@pytest.mark.parametrize("dist", DISTS)
def test_versions_are_calendar_versions_in_one_place(dist: str) -> None:
    package = monorepo.get_package(dist)
    monorepo.parse_calver(package.read_version())
    assert package.pyproject["project"]["dynamic"] == ["version"]
    assert "version" not in package.pyproject["project"]


@pytest.mark.parametrize("dist", DISTS)
def test_towncrier_draft_works_for_every_package(dist: str) -> None:
    package = monorepo.get_package(dist)
    done = subprocess.run(
        [sys.executable, "-m", "towncrier", "build", "--draft"],
        cwd=package.folder,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert re.search(rf"^## {re.escape(package.read_version())} \(", done.stdout, re.M)
    assert set(package.fragment_types) >= {"feature", "bugfix", "removal", "doc", "misc"}


@pytest.mark.parametrize("dist", DISTS)
def test_existing_fragments_have_known_types(dist: str) -> None:
    package = monorepo.get_package(dist)
    for fragment in package.fragments():
        # <+name or issue>.<type>[.<counter>][.md]
        parts = fragment.name.removesuffix(".md").split(".")
        if parts[-1].isdigit():
            parts.pop()
        assert len(parts) >= 2, fragment
        assert parts[-1] in package.fragment_types, fragment


def _shipped_test_dirs(dist: str) -> set[str]:
    include = monorepo.get_package(dist).pyproject["tool"]["hatch"]["build"]["targets"]["sdist"]
    return {
        pattern.removeprefix("/tests/")
        for pattern in include["include"]
        if pattern.startswith("/tests/") and not pattern.endswith(".py")
    }


#: Test folders that test the repository itself, not an installed package.
# Folders whose tests need the repository itself: packaging (builds it), compat
# (downloads the original's test suite), docs (reads the pages under docs/).
REPOSITORY_ONLY = {"packaging", "compat", "docs"}


def test_every_test_folder_ships_in_some_sdist() -> None:
    folders = {p.name for p in (REPO / "tests").iterdir() if (p / "__init__.py").is_file()}
    shipped = set().union(*(_shipped_test_dirs(dist) for dist in DISTS))
    assert folders - shipped - REPOSITORY_ONLY == set(), "add the folder to an sdist's include"
    assert "packaging" not in shipped


@pytest.mark.parametrize("dist", DISTS)
def test_sdist_pytest_settings_match_the_repository_settings(dist: str) -> None:
    top = monorepo.load_toml(REPO / "pyproject.toml")["tool"]["pytest"]["ini_options"]
    ours = dict(monorepo.get_package(dist).pyproject["tool"]["pytest"]["ini_options"])
    testpaths = ours.pop("testpaths")
    assert ours == {k: v for k, v in top.items() if k != "testpaths"}
    shipped = _shipped_test_dirs(dist)
    assert {path.removeprefix("tests/") for path in testpaths} <= shipped
    own = {"txaio-core": "core", "txaio-asyncio": "asyncio", "txaio-twisted": "twisted"}
    assert f"tests/{own.get(dist, 'txaio')}" in testpaths
