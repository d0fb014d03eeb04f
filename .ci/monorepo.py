"""What the release scripts know about the monorepo: its four distributions and their versions.

Each distribution lives in ``packages/<dist>/`` with its own ``pyproject.toml``;
its version is written once, in the file named by ``[tool.hatch.version] path``
(``src/<module>/_version.py``, a single ``__version__ = "YY.M.N"`` line), read
here and changed only through ``hatch version``.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib  # type: ignore[import-not-found,no-redef,unused-ignore]

ROOT = Path(__file__).resolve().parent.parent

_CALVER = re.compile(r"(?P<year>\d{2})\.(?P<month>[1-9]|1[0-2])\.(?P<n>[1-9]\d*)")
_VERSION_LINE = re.compile(r'^__version__ = "(?P<version>[^"]*)"$', re.M)


@dataclass(frozen=True)
class Package:
    """One distribution of the monorepo, located by its folder."""

    dist: str
    folder: Path
    pyproject: dict[str, Any]

    @property
    def version_file(self) -> Path:
        """Return the file holding ``__version__`` (``[tool.hatch.version] path``)."""
        return self.folder / str(self.pyproject["tool"]["hatch"]["version"]["path"])

    @property
    def fragments_dir(self) -> Path:
        """Return the folder of this package's towncrier news fragments."""
        return self.folder / str(self.pyproject["tool"]["towncrier"]["directory"])

    @property
    def changelog(self) -> Path:
        """Return this package's ``CHANGELOG.md``."""
        return self.folder / str(self.pyproject["tool"]["towncrier"]["filename"])

    @property
    def fragment_types(self) -> tuple[str, ...]:
        """Return the news fragment types towncrier accepts for this package."""
        return tuple(t["directory"] for t in self.pyproject["tool"]["towncrier"]["type"])

    def read_version(self) -> str:
        """Return the version written in the version file.

        Raises ValueError when the file has no single ``__version__ = "..."`` line.
        """
        found = _VERSION_LINE.findall(self.version_file.read_text(encoding="utf-8"))
        if len(found) != 1:
            raise ValueError(
                f"{self.version_file}: expected exactly one line "
                f'`__version__ = "YY.M.N"`, found {len(found)}'
            )
        return str(found[0])

    def set_version(self, version: str) -> str:
        """Set the version through ``hatch version`` (hatchling rewrites the version file).

        Returns the version Hatch reports as the old one. Raises ValueError for
        a version that is not ``YY.M.N``, RuntimeError when Hatch is not on
        PATH or fails.
        """
        parse_calver(version)
        hatch = shutil.which("hatch")
        if hatch is None:
            raise RuntimeError("`hatch` is not on PATH: the version is set with `hatch version`")
        done = subprocess.run(
            [hatch, "version", version],
            cwd=self.folder,
            capture_output=True,
            text=True,
            check=False,
            env=_outside_hatch_env(),
        )
        old = re.search(r"^Old: (\S+)$", done.stdout + done.stderr, re.M)
        if done.returncode != 0 or old is None:
            raise RuntimeError(
                f"hatch version {version} failed for {self.dist}:\n{done.stdout}{done.stderr}"
            )
        return old[1]

    def fragments(self) -> list[Path]:
        """Return this package's news fragment files (hidden files such as .gitkeep excluded)."""
        if not self.fragments_dir.is_dir():
            return []
        return sorted(
            p for p in self.fragments_dir.iterdir() if p.is_file() and not p.name.startswith(".")
        )


def _outside_hatch_env() -> dict[str, str]:
    # Run inside `hatch run`, a nested Hatch would otherwise take the outer
    # environment's variables as its own.
    return {k: v for k, v in os.environ.items() if not k.startswith(("HATCH_ENV", "HATCH_PROJECT"))}


def load_toml(path: Path) -> dict[str, Any]:
    """Return the parsed TOML file at ``path``."""
    with path.open("rb") as handle:
        parsed: dict[str, Any] = tomllib.load(handle)
    return parsed


def packages(root: Path = ROOT) -> dict[str, Package]:
    """Return the distributions under ``root/packages``, by distribution name."""
    found: dict[str, Package] = {}
    for pyproject_path in sorted((root / "packages").glob("*/pyproject.toml")):
        pyproject = load_toml(pyproject_path)
        dist = pyproject["project"]["name"]
        found[dist] = Package(dist=dist, folder=pyproject_path.parent, pyproject=pyproject)
    return found


def get_package(dist: str, root: Path = ROOT) -> Package:
    """Return the distribution named ``dist``.

    Raises KeyError naming the known distributions when there is none of that name.
    """
    known = packages(root)
    if dist not in known:
        raise KeyError(f"unknown distribution {dist!r}; expected one of: {', '.join(known)}")
    return known[dist]


def parse_calver(version: str) -> tuple[int, int, int]:
    """Return ``(YY, M, N)`` of a calendar version ``YY.M.N``.

    Raises ValueError for anything else (leading zeros, month outside 1-12, N < 1).
    """
    match = _CALVER.fullmatch(version)
    if match is None:
        raise ValueError(f"version {version!r} is not a calendar version YY.M.N (e.g. 26.11.1)")
    return int(match["year"]), int(match["month"]), int(match["n"])


def next_version(current: str, today: date) -> str:
    """Return the version that follows ``current`` when releasing on ``today``.

    In the month of ``current`` N goes up by one; in a later month N starts
    again at 1. Raises ValueError when ``current`` is not ``YY.M.N`` or lies in
    a month after ``today`` (a wrong clock or a hand-edited version).
    """
    year, month, n = parse_calver(current)
    this_month = (today.year % 100, today.month)
    if this_month < (year, month):
        raise ValueError(
            f"current version {current} is from a later month than today ({today.isoformat()})"
        )
    if this_month == (year, month):
        return f"{year}.{month}.{n + 1}"
    return f"{this_month[0]}.{this_month[1]}.1"
