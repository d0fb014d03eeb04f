"""The release scripts under .ci/, imported as modules for testing, and shared test helpers."""

from __future__ import annotations

import importlib
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
CI_DIR = REPO / ".ci"
if str(CI_DIR) not in sys.path:
    sys.path.insert(0, str(CI_DIR))

monorepo = importlib.import_module("monorepo")
release = importlib.import_module("release")
build_all = importlib.import_module("build_all")
check_requirements = importlib.import_module("check_requirements")
check_newsfragments = importlib.import_module("check_newsfragments")

_GIT_IDENTITY = ["-c", "user.name=Packaging Tests", "-c", "user.email=packaging@example.invalid"]


def git(root: Path, *args: str) -> str:
    """Run git in ``root`` with a fixed identity and return its output; raise on failure."""
    done = subprocess.run(
        ["git", *_GIT_IDENTITY, *args], cwd=root, capture_output=True, text=True, check=True
    )
    return done.stdout


def copy_repo(target: Path) -> Path:
    """Copy the four packages (and .ci) into a fresh git repository at ``target``; return it.

    The copy has one commit on branch ``main``, so tests can change it freely.
    """
    shutil.copytree(
        REPO / "packages",
        target / "packages",
        symlinks=True,
        ignore=shutil.ignore_patterns("__pycache__", "dist"),
    )
    shutil.copytree(CI_DIR, target / ".ci", ignore=shutil.ignore_patterns("__pycache__"))
    git(target, "init", "-q", "-b", "main")
    git(target, "add", "-A")
    git(target, "commit", "-q", "-m", "start")
    return target


def tree_digest(root: Path) -> dict[str, bytes]:
    """Return every regular file under ``root`` (symlinks not followed) with its content."""
    return {
        str(path.relative_to(root)): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file() and not path.is_symlink() and ".git" not in path.parts
    }


def set_version_file(package: Any, version: str) -> None:
    """Put ``package``'s copy at ``version`` by editing its version file (test set-up only).

    Releases set versions through ``hatch version``; tests that only need a
    starting point write the file, which is much faster.
    """
    path = package.version_file
    current = f'__version__ = "{package.read_version()}"'
    path.write_text(path.read_text().replace(current, f'__version__ = "{version}"'))
