"""The eight artefacts: metadata, contents, sdist round trip, reproducible wheels."""

from __future__ import annotations

import email.parser
import importlib.metadata
import os
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tests.packaging._ci import monorepo

pytestmark = pytest.mark.packaging

DISTS = ("txaio-core", "txaio-asyncio", "txaio-twisted", "txaio")
Built = dict[str, dict[str, Path]]
#: All that building a package needs: the front end and the backend, the latter at
#: the version that built ``built``'s artefacts so the rebuilt wheel can be compared.
BUILDER = ("build>=1.2", f"hatchling=={importlib.metadata.version('hatchling')}")


def _wheel_metadata(wheel: Path) -> email.message.Message:
    with zipfile.ZipFile(wheel) as archive:
        (name,) = (n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
        return email.parser.HeaderParser().parsestr(archive.read(name).decode("utf-8"))


def _normal(requirement: str) -> tuple[str, str, str]:
    parsed = Requirement(requirement)
    return canonicalize_name(parsed.name), str(parsed.specifier), str(parsed.marker)


def _sdist_members(sdist: Path) -> list[tarfile.TarInfo]:
    with tarfile.open(sdist) as archive:
        return archive.getmembers()


def _unpack(sdist: Path, into: Path) -> Path:
    with tarfile.open(sdist) as archive:
        archive.extractall(into, filter="data")
    (folder,) = into.iterdir()
    return folder


def _build(source: Path, outdir: Path, *options: str, epoch: str | None = None) -> None:
    env = dict(os.environ, PIP_NO_INDEX="1")
    if epoch is not None:
        env["SOURCE_DATE_EPOCH"] = epoch
    subprocess.run(
        [sys.executable, "-m", "build", "--no-isolation", *options, "--outdir", str(outdir)],
        cwd=source,
        env=env,
        capture_output=True,
        check=True,
    )


def test_eight_artefacts_are_built(built: Built) -> None:
    names = sorted(path.name for kinds in built.values() for path in kinds.values())
    versions = {dist: monorepo.get_package(dist).read_version() for dist in DISTS}
    expected = []
    for dist in DISTS:
        stem = dist.replace("-", "_")
        expected += [f"{stem}-{versions[dist]}.tar.gz", f"{stem}-{versions[dist]}-py3-none-any.whl"]
    assert names == sorted(expected)


def test_twine_check_strict_passes(built: Built) -> None:
    artefacts = [str(path) for kinds in built.values() for path in kinds.values()]
    done = subprocess.run(
        [sys.executable, "-m", "twine", "check", "--strict", *artefacts],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.count("PASSED") == 8


def test_check_wheel_contents_finds_nothing(built: Built) -> None:
    wheels = [str(kinds["wheel"]) for kinds in built.values()]
    done = subprocess.run(
        [sys.executable, "-m", "check_wheel_contents", *wheels],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.parametrize("dist", DISTS)
def test_wheel_metadata(built: Built, dist: str) -> None:
    metadata = _wheel_metadata(built[dist]["wheel"])
    project = monorepo.get_package(dist).pyproject["project"]

    assert metadata["Name"] == dist
    assert metadata["License-Expression"] == "MIT"
    assert metadata["Requires-Python"] == ">=3.10"
    urls = {url.split(",", 1)[0] for url in metadata.get_all("Project-URL", [])}
    assert {"Homepage", "Source", "Changelog", "Issues"} <= urls
    classifiers = metadata.get_all("Classifier", [])
    for minor in (10, 11, 12, 13, 14, 15):
        assert f"Programming Language :: Python :: 3.{minor}" in classifiers
    assert "Programming Language :: Python :: Implementation :: PyPy" in classifiers
    expected = {_normal(text) for text in project.get("dependencies", [])}
    for extra, texts in project.get("optional-dependencies", {}).items():
        expected |= {_normal(f"{text}; extra == '{extra}'") for text in texts}
    found = {_normal(text) for text in metadata.get_all("Requires-Dist", [])}
    assert found == expected
    assert set(metadata.get_all("Provides-Extra", [])) == set(
        project.get("optional-dependencies", {})
    )


def test_facade_extras_match_the_original_txaio(built: Built) -> None:
    metadata = _wheel_metadata(built["txaio"]["wheel"])
    assert {"asyncio", "twisted", "all"} <= set(metadata.get_all("Provides-Extra", []))


@pytest.mark.parametrize("dist", DISTS)
def test_wheel_holds_only_the_module_and_its_metadata(built: Built, dist: str) -> None:
    module = monorepo.get_package(dist).version_file.parent.name
    with zipfile.ZipFile(built[dist]["wheel"]) as archive:
        names = archive.namelist()
    tops = {name.split("/", 1)[0] for name in names}
    assert tops == {
        module,
        f"{dist.replace('-', '_')}-{monorepo.get_package(dist).read_version()}.dist-info",
    }
    assert f"{module}/py.typed" in names
    assert not any("tests" in name.split("/") or name.endswith(".pyc") for name in names)


@pytest.mark.parametrize("dist", DISTS)
def test_sdist_holds_what_rebuilding_and_testing_need(built: Built, dist: str) -> None:
    members = _sdist_members(built[dist]["sdist"])
    names = {member.name.split("/", 1)[1] for member in members if "/" in member.name}
    for needed in ("LICENSE", "README.md", "CHANGELOG.md", "pyproject.toml", "PKG-INFO"):
        assert needed in names
    assert {"tests/__init__.py", "tests/conftest.py", "tests/support/harness.py"} <= names
    testpaths = monorepo.get_package(dist).pyproject["tool"]["pytest"]["ini_options"]["testpaths"]
    for folder in testpaths:
        assert f"{folder}/__init__.py" in names
    assert not any(name.startswith("tests/packaging") for name in names)
    assert not any("__pycache__" in name or name.endswith(".pyc") for name in names)
    assert all(member.isfile() or member.isdir() for member in members), "links in sdist"


def _offline_prefix() -> list[str]:
    """Return ``unshare -n`` (no network at all) where it works here, else nothing."""
    unshare = shutil.which("unshare")
    if unshare and subprocess.run([unshare, "-n", "true"], capture_output=True).returncode == 0:
        return [unshare, "-n"]
    return []


@pytest.fixture(scope="module")
def only_hatchling(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return the python of a fresh venv holding only hatchling and build (and their needs)."""
    venv = tmp_path_factory.mktemp("builder") / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "-q", *BUILDER],
        capture_output=True,
        check=True,
    )
    return python


@pytest.mark.parametrize("dist", DISTS)
def test_unpacked_sdist_rebuilds_offline_with_only_hatchling_to_the_same_artefacts(
    built: Built, dist: str, tmp_path: Path, only_hatchling: Path
) -> None:
    source = _unpack(built[dist]["sdist"], tmp_path / "unpacked")
    command = [str(only_hatchling), "-m", "build", "--no-isolation", "--outdir"]

    done = subprocess.run(
        [*_offline_prefix(), *command, str(tmp_path / "again")],
        cwd=source,
        env=dict(os.environ, PIP_NO_INDEX="1"),
        capture_output=True,
        text=True,
        check=False,
    )

    assert done.returncode == 0, done.stdout + done.stderr

    sdist, wheel = built[dist]["sdist"], built[dist]["wheel"]
    assert (tmp_path / "again" / wheel.name).read_bytes() == wheel.read_bytes()
    again = _sdist_members(tmp_path / "again" / sdist.name)
    assert [m.name for m in again] == [m.name for m in _sdist_members(sdist)]


@pytest.mark.parametrize("dist", DISTS)
def test_wheels_are_reproducible_with_source_date_epoch(dist: str, tmp_path: Path) -> None:
    folder = monorepo.get_package(dist).folder
    for run, epoch in (("a", "1700000000"), ("b", "1700000000"), ("c", "1800000000")):
        _build(folder, tmp_path / run, "--wheel", epoch=epoch)
    (a,), (b,), (c,) = (sorted((tmp_path / run).glob("*.whl")) for run in "abc")

    assert a.read_bytes() == b.read_bytes()
    assert a.read_bytes() != c.read_bytes(), "SOURCE_DATE_EPOCH is ignored"


def test_a_forced_include_from_outside_the_package_does_not_survive_the_round_trip(
    tmp_path: Path,
) -> None:
    """Why the packages ship tests through a symlink: forced includes break sdist rebuilds."""
    project = tmp_path / "repo" / "packages" / "demo"
    (project / "src" / "demo").mkdir(parents=True)
    (project / "src" / "demo" / "__init__.py").write_text("")
    (tmp_path / "repo" / "tests").mkdir()
    (tmp_path / "repo" / "tests" / "test_demo.py").write_text("def test(): pass\n")
    (project / "pyproject.toml").write_text(
        '[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n'
        '[project]\nname = "demo"\nversion = "1"\n'
        '[tool.hatch.build.targets.sdist.force-include]\n"../../tests" = "tests"\n'
    )
    _build(project, tmp_path / "first", "--sdist")
    source = _unpack(next((tmp_path / "first").glob("*.tar.gz")), tmp_path / "unpacked")
    assert (source / "tests" / "test_demo.py").is_file()

    with pytest.raises(subprocess.CalledProcessError) as failed:
        _build(source, tmp_path / "again", "--sdist")

    assert b"Forced include not found" in failed.value.stderr + failed.value.stdout


def test_each_package_folder_builds_on_its_own_with_hatch(tmp_path: Path) -> None:
    hatch = shutil.which("hatch")
    if hatch is None:
        pytest.skip("hatch is not on PATH")
    folder = monorepo.get_package("txaio-core").folder
    env = {k: v for k, v in os.environ.items() if not k.startswith("HATCH_ENV_")}
    done = subprocess.run(
        [hatch, "build", str(tmp_path)], cwd=folder, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert sorted(p.suffix for p in tmp_path.iterdir()) == [".gz", ".whl"]
