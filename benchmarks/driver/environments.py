"""The two virtual environments the workers run in, cached under ``benchmarks/.venvs/``.

One holds the original txaio and Twisted; the other our four distributions,
built from ``packages/`` and reinstalled whenever their sources change, with
the same Twisted. Both use the interpreter running the driver.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
OUR_DISTRIBUTIONS = ("txaio-core", "txaio-asyncio", "txaio-twisted", "txaio")


def progress(message: str) -> None:
    """Print a progress line on standard error."""
    print(message, file=sys.stderr, flush=True)


def _tag() -> str:
    # "py311" on CPython (the names caches already have), "pypy311" on PyPy.
    name = "py" if sys.implementation.name == "cpython" else sys.implementation.name
    return f"{name}{sys.version_info[0]}{sys.version_info[1]}"


def venv_python(venv: Path) -> Path:
    """Return the interpreter of the virtual environment ``venv``."""
    return venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def _run(command: list[str | Path], what: str) -> str:
    done = subprocess.run(
        [str(c) for c in command], capture_output=True, text=True, check=False, cwd=ROOT
    )
    if done.returncode != 0:
        raise SystemExit(f"{what} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def _pip(python: Path, *args: str | Path) -> None:
    _run(
        [python, "-m", "pip", "install", "--disable-pip-version-check", "-q", *args],
        f"pip install {' '.join(map(str, args))}",
    )


def _installed_version(python: Path, distribution: str) -> str:
    code = f"import importlib.metadata as m; print(m.version({distribution!r}))"
    return _run([python, "-c", code], f"reading the version of {distribution}").strip()


def _our_sources_digest() -> str:
    digest = hashlib.sha256()
    for dist in OUR_DISTRIBUTIONS:
        base = ROOT / "packages" / dist
        files = [base / "pyproject.toml", *sorted((base / "src").rglob("*"))]
        for path in files:
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(ROOT)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


def _read_stamp(venv: Path) -> dict[str, Any]:
    try:
        stamp: dict[str, Any] = json.loads((venv / "bench-stamp.json").read_text())
    except (OSError, ValueError):
        return {}
    return stamp if venv_python(venv).exists() else {}


def _write_stamp(venv: Path, stamp: dict[str, Any]) -> None:
    (venv / "bench-stamp.json").write_text(json.dumps(stamp, indent=1))


def _new_venv(venv: Path) -> Path:
    shutil.rmtree(venv, ignore_errors=True)
    _run([sys.executable, "-m", "venv", venv], f"creating {venv}")
    return venv_python(venv)


def ensure_original(cache: Path, version: str, twisted: str | None) -> tuple[Path, str]:
    """Return the Python of the original's environment and its Twisted version.

    Exits with pip's output when an installation fails.
    """
    venv = cache / f"original-{version}-{_tag()}"
    want = {"txaio": version, "twisted_spec": twisted}
    stamp = _read_stamp(venv)
    python = venv_python(venv)
    if {k: stamp.get(k) for k in want} != want:
        progress(f"bench: creating {venv} (txaio=={version})")
        python = _new_venv(venv)
        _pip(python, f"txaio=={version}", f"Twisted=={twisted}" if twisted else "Twisted")
        stamp = {**want, "twisted": _installed_version(python, "Twisted")}
        _write_stamp(venv, stamp)
    return python, str(stamp["twisted"])


def ensure_ours(cache: Path, twisted: str) -> Path:
    """Return the Python of our environment, (re)installing what changed.

    Exits with pip's output when an installation fails.
    """
    venv = cache / f"ours-{_tag()}"
    stamp = _read_stamp(venv)
    python = venv_python(venv)
    if not stamp:
        progress(f"bench: creating {venv}")
        python = _new_venv(venv)
        _pip(python, "hatchling>=1.27")
        stamp = {}
    if stamp.get("twisted") != twisted:
        _pip(python, f"Twisted=={twisted}")
        stamp["twisted"] = twisted
        _write_stamp(venv, stamp)
    digest = _our_sources_digest()
    if stamp.get("sources") != digest:
        progress("bench: installing our four distributions from packages/")
        paths = [ROOT / "packages" / dist for dist in OUR_DISTRIBUTIONS]
        _pip(python, "--no-deps", "--no-build-isolation", "--force-reinstall", *paths)
        stamp["sources"] = digest
        _write_stamp(venv, stamp)
    return python
