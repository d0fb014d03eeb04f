"""Run the whole test suite over every interpreter of the Hatch test matrix that is present.

``hatch test --all`` aborts when a matrix entry's interpreter is missing and
Hatch may not download one, so this driver asks Hatch for the matrix, keeps
the entries whose CPython is installed (skipping the others with a note),
runs each with ``hatch test``, then runs the asyncio-only environment.
Exit status: 0 when every entry that ran passed and at least one ran.

Usage: ``hatch run matrix:test [pytest args...]``
"""

from __future__ import annotations

import glob
import json
import os
import shutil
import subprocess
import sys
import time


def _runnable(command: str) -> bool:
    path = shutil.which(command)
    if path is None:
        return False
    try:
        probe = subprocess.run([path, "-c", "pass"], capture_output=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return probe.returncode == 0


def _expose_pyenv_interpreters() -> None:
    """Put pyenv's real interpreter directories on PATH for versions its shims hide."""
    roots = [os.environ.get("PYENV_ROOT", ""), os.path.expanduser("~/.pyenv")]
    extra: list[str] = []
    for root in filter(None, roots):
        for bindir in sorted(glob.glob(os.path.join(root, "versions", "3.*", "bin"))):
            version = os.path.basename(os.path.dirname(bindir))
            minor = ".".join(version.split(".")[:2])
            if not _runnable(f"python{minor}") and os.path.exists(
                os.path.join(bindir, f"python{minor}")
            ):
                extra.append(bindir)
    if extra:
        os.environ["PATH"] = os.pathsep.join([*extra, os.environ.get("PATH", "")])


def _matrix() -> list[tuple[str, str, dict[str, str]]]:
    shown = subprocess.run(
        ["hatch", "env", "show", "--json"], capture_output=True, text=True, check=True
    )
    entries = []
    for name, config in json.loads(shown.stdout).items():
        if name.startswith("hatch-test."):
            python = str(config.get("python", ""))
            variables = dict(part.split("=", 1) for part in _variables(name))
            entries.append((name, python, variables))
    return entries


def _variables(env_name: str) -> list[str]:
    # "hatch-test.py3.11-oldest" -> ["py=3.11", "twisted=oldest"]
    suffix = env_name.split(".", 1)[1]
    python, _, twisted = suffix.partition("-")
    parts = [f"py={python[2:]}"]
    if twisted:
        parts.append(f"twisted={twisted}")
    return parts


def main(argv: list[str]) -> int:
    """Run every present matrix entry and the asyncio-only suite; return the exit status."""
    _expose_pyenv_interpreters()
    results: list[tuple[str, str]] = []
    for name, python, variables in _matrix():
        if python and not _runnable(f"python{python}"):
            print(f"== {name}: SKIPPED, no python{python} on PATH", flush=True)
            results.append((name, "skipped"))
            continue
        includes = [arg for key, value in variables.items() for arg in ("-i", f"{key}={value}")]
        print(f"== {name}", flush=True)
        started = time.monotonic()
        code = subprocess.call(["hatch", "test", *includes, *argv])
        status = "passed" if code == 0 else f"FAILED (exit {code})"
        results.append((name, f"{status} in {time.monotonic() - started:.0f}s"))
    print("== asyncio-only (no Twisted installed)", flush=True)
    code = subprocess.call(["hatch", "run", "asyncio-only:test", *argv])
    results.append(("asyncio-only", "passed" if code == 0 else f"FAILED (exit {code})"))

    print("\n== Summary")
    for name, status in results:
        print(f"  {name:32} {status}")
    ran = [status for _, status in results if status != "skipped"]
    failed = [status for status in ran if not status.startswith("passed")]
    if len(ran) <= 1:
        print("no test-matrix interpreter was found", file=sys.stderr)
        return 1
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
