"""Packaging tests: collected only when asked for, with the artefacts built once per session.

They build distributions and virtual environments, so the normal suite (run
in parallel on several Pythons) leaves them out: they are collected only with
``TXAIO_PACKAGING_TESTS=1`` or a ``-m`` expression naming ``packaging``, as
``hatch run packaging:test`` does. They need the tools of the Hatch
environment ``packaging`` (towncrier, build, hatchling, twine,
check-wheel-contents, pip).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest


def _enabled(config: pytest.Config) -> bool:
    markexpr = str(config.getoption("markexpr", default="") or "")
    return os.environ.get("TXAIO_PACKAGING_TESTS") == "1" or "packaging" in markexpr


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    """Skip this folder's test modules unless packaging tests were asked for."""
    if collection_path.name.startswith("test_") and not _enabled(config):
        return True
    return None


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Path]]:
    """Build all eight artefacts once; return ``{dist: {"sdist": path, "wheel": path}}``."""
    from tests.packaging import _ci

    outdir = tmp_path_factory.mktemp("dist")
    made = _ci.build_all.build(list(_ci.monorepo.packages()), outdir)
    result: dict[str, dict[str, Path]] = {}
    for dist in _ci.monorepo.packages():
        stem = _ci.build_all.artefact_stem(dist)
        (sdist,) = (a for a in made if a.name.startswith(stem) and a.name.endswith(".tar.gz"))
        (wheel,) = (a for a in made if a.name.startswith(stem) and a.name.endswith(".whl"))
        result[dist] = {"sdist": sdist, "wheel": wheel}
    return result
