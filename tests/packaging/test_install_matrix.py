"""Each audience's install line, from the built wheels, in a fresh virtual environment.

The wheels of the four distributions come from this session's build (pinned
by URL in a constraints file, so no same-named release on the registry can
stand in for them); Twisted and the test tools come from the registry. Lines
without Twisted install with ``--no-index``: they need nothing else. After the
set of installed distributions is checked, the sdists of the packages on
that line run their own tests (the relevant part of the suite) from the
unpacked sdist against the installed packages, as the README tells packagers.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tarfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tests.packaging._ci import REPO, monorepo

pytestmark = pytest.mark.packaging

Built = dict[str, dict[str, Path]]


@dataclass(frozen=True)
class Line:
    """One audience: what it installs, what must then be there, whose sdist tests run there."""

    requirement: str
    ours: frozenset[str]
    twisted: bool
    sdists: tuple[str, ...]
    #: Siblings the sdists' tests need besides the line itself: the backends' tests
    #: run on the txaio pytest plugin, which the ``txaio`` distribution ships.
    test_siblings: tuple[str, ...] = ()


CORE, ASYNCIO, TWISTED, FACADE = "txaio-core", "txaio-asyncio", "txaio-twisted", "txaio"
LINES = {
    "core": Line(CORE, frozenset({CORE}), False, (CORE,)),
    "asyncio-backend": Line(ASYNCIO, frozenset({CORE, ASYNCIO}), False, (ASYNCIO,), (FACADE,)),
    "asyncio": Line(FACADE, frozenset({CORE, ASYNCIO, FACADE}), False, (FACADE,)),
    "twisted-backend": Line(TWISTED, frozenset({CORE, TWISTED}), True, (TWISTED,), (FACADE,)),
    "twisted": Line(
        f"{FACADE}[twisted]", frozenset({CORE, ASYNCIO, TWISTED, FACADE}), True, (FACADE,)
    ),
    "all": Line(f"{FACADE}[all]", frozenset({CORE, ASYNCIO, TWISTED, FACADE}), True, ()),
    "twisted-backend-oldest": Line(
        TWISTED, frozenset({CORE, TWISTED}), True, (TWISTED,), (FACADE,)
    ),
}


def _oldest_twisted() -> str:
    """Return the lower bound txaio-twisted declares on Twisted (``22.10.0``)."""
    for text in monorepo.get_package(TWISTED).pyproject["project"]["dependencies"]:
        requirement = Requirement(text)
        if canonicalize_name(requirement.name) == "twisted":
            (bound,) = (s.version for s in requirement.specifier if s.operator == ">=")
            return bound
    raise AssertionError("txaio-twisted does not require Twisted")


#: What runs from an unpacked sdist, where not all of its testpaths: the facade's
#: sdist also ships tests/reliability (load, fuzz and differential tests, minutes
#: long), which the normal suite runs on every Python; here only the facade's
#: own tests run, to keep the matrix within a few minutes.
SDIST_PATHS = {FACADE: ("tests/txaio",)}

#: The test group of every package (they are equal); installed from the registry.
TEST_GROUP = f"{REPO / 'packages' / 'txaio-core' / 'pyproject.toml'}:test"


def _pip(python: Path, *args: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "-q", *args],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, f"pip install {' '.join(args)}:\n{done.stdout}{done.stderr}"


def _run(python: Path, code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(python), "-c", code], capture_output=True, text=True, check=False, cwd="/"
    )


def _installed(python: Path) -> dict[str, str]:
    listing = _run(
        python,
        "import importlib.metadata as m, json\n"
        "print(json.dumps({d.metadata['Name']: d.version for d in m.distributions()}))",
    )
    assert listing.returncode == 0, listing.stderr
    return {canonicalize_name(k): v for k, v in json.loads(listing.stdout).items()}


def _pytest(python: Path, cwd: Path, *args: str) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "TXAIO_PACKAGING_TESTS")}
    done = subprocess.run(
        [str(python), "-m", "pytest", "-q", "-p", "no:cacheprovider", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    tail = "\n".join(done.stdout.splitlines()[-25:])
    assert done.returncode == 0, f"pytest {' '.join(args)} in {cwd}:\n{tail}\n{done.stderr}"


@pytest.fixture(scope="session")
def constraints(built: Built, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A pip constraints file pinning each of our distributions to its built wheel."""
    path = tmp_path_factory.mktemp("constraints") / "wheels.txt"
    path.write_text(
        "".join(f"{dist} @ {kinds['wheel'].as_uri()}\n" for dist, kinds in built.items()),
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize("audience", list(LINES))
def test_install_line(audience: str, built: Built, constraints: Path, tmp_path: Path) -> None:
    line = LINES[audience]
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    wheel_dir = str(next(iter(built.values()))["wheel"].parent)
    offline = [] if line.twisted else ["--no-index", "--find-links", wheel_dir]

    pins = []
    if audience.endswith("-oldest"):
        if sys.version_info >= (3, 12):
            pytest.skip(f"the oldest Twisted, {_oldest_twisted()}, predates this Python")
        pins = [f"Twisted=={_oldest_twisted()}"]

    _pip(python, *offline, "-c", str(constraints), line.requirement, *pins)

    installed = _installed(python)
    versions = {dist: monorepo.get_package(dist).read_version() for dist in built}
    ours = {name: v for name, v in installed.items() if name.startswith("txaio")}
    assert ours == {dist: versions[dist] for dist in line.ours}
    assert ("twisted" in installed) is line.twisted
    if pins:
        assert installed["twisted"] == _oldest_twisted()
    if not line.twisted:
        assert set(installed) == set(line.ours), "an asyncio line installs nothing else"
        imported = _run(python, "import twisted")
        assert imported.returncode != 0
        assert "No module named 'twisted'" in imported.stderr
    where = _run(python, "import txaio_core; print(txaio_core.__file__)")
    assert str(venv) in where.stdout

    if not line.sdists:
        return
    if line.test_siblings:
        _pip(
            python,
            "--no-index",
            "--find-links",
            wheel_dir,
            "-c",
            str(constraints),
            *line.test_siblings,
        )
    _pip(python, "--group", TEST_GROUP)
    assert ("twisted" in _installed(python)) is line.twisted, "test tools pulled in Twisted"
    for dist in line.sdists:
        with tarfile.open(built[dist]["sdist"]) as archive:
            archive.extractall(tmp_path / "sdists", filter="data")
        unpacked = tmp_path / "sdists" / built[dist]["sdist"].name.removesuffix(".tar.gz")
        _pytest(python, unpacked, *SDIST_PATHS.get(dist, ()))
