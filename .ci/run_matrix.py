"""Run the whole test suite over every interpreter of the Hatch test matrix that is present.

The driver asks Hatch for the matrix (``hatch env show --json``), finds each
entry's interpreter (see :func:`find_interpreter`), runs the entries it found
one by one with ``hatch test`` and names every entry it skipped, then runs the
asyncio-only environment. Exit status: 0 when every entry that ran passed and
at least one matrix entry ran.

Usage: ``hatch run matrix:test [pytest args...]``
(``bash .ci/install_interpreters.sh`` first provides CPython 3.14, 3.15 and
PyPy 3.11 where missing.)
"""

from __future__ import annotations

import glob
import json
import os
import shutil
import subprocess
import sys
import time


def _runs(executable: str) -> bool:
    try:
        probe = subprocess.run([executable, "-c", "pass"], capture_output=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return probe.returncode == 0


def _pyenv_roots() -> list[str]:
    roots = [os.environ.get("PYENV_ROOT", ""), os.path.expanduser("~/.pyenv")]
    return list(dict.fromkeys(root for root in roots if root))


def find_interpreter(command: str) -> str | None:
    """Return the path of a working ``command`` (e.g. ``python3.14``, ``pypy3.11``), or None.

    PATH comes first; after it, every pyenv version's own ``bin`` folder, and
    the folder of the one that runs is put on PATH for Hatch. Hatch looks for
    interpreters on PATH only, and pyenv's shims there run only the versions
    made active (``pyenv global``/``local``), so an installed but inactive
    pyenv version is invisible to Hatch: https://github.com/pypa/hatch/issues/800
    """
    on_path = shutil.which(command)
    if on_path is not None and _runs(on_path):
        return on_path
    for root in _pyenv_roots():
        for candidate in sorted(glob.glob(os.path.join(root, "versions", "*", "bin", command))):
            if _runs(candidate):
                os.environ["PATH"] = os.pathsep.join(
                    [os.path.dirname(candidate), os.environ.get("PATH", "")]
                )
                return candidate
    return None


def interpreter_command(python: str) -> str:
    """Return the executable Hatch looks for: ``3.14`` -> ``python3.14``; ``pypy3.11`` as is."""
    return python if python.startswith("pypy") else f"python{python}"


def _matrix() -> list[tuple[str, str, dict[str, str]]]:
    shown = subprocess.run(
        ["hatch", "env", "show", "--json"], capture_output=True, text=True, check=True
    )
    entries = []
    for name, config in json.loads(shown.stdout).items():
        if name.startswith("hatch-test."):
            python = str(config.get("python", ""))
            entries.append((name, python, _variables(name, python)))
    return entries


def _variables(env_name: str, python: str) -> dict[str, str]:
    # "hatch-test.py3.11-oldest" -> {"py": "3.11", "twisted": "oldest"};
    # "hatch-test.pypy3.11-newest" -> {"py": "pypy3.11", "twisted": "newest"}
    suffix = env_name.split(".", 1)[1]
    _, _, twisted = suffix.partition(python + "-") if python else ("", "", suffix)
    variables = {"py": python} if python else {}
    if twisted:
        variables["twisted"] = twisted
    return variables


# What the entries after the first run when no arguments are given. The first
# entry present (the newest CPython) runs the whole suite; the others leave out
# the slow tests (load, fuzz, differential programs: seconds each, the same
# pure-Python logic everywhere) and the documentation checks (the pages' text
# does not change with the interpreter), which keeps the matrix inside CI's
# time. Arguments given on the command line go to every entry unchanged.
LATER_ENTRIES = ["-m", "not slow and not docs"]


def main(argv: list[str]) -> int:
    """Run every present matrix entry and the asyncio-only suite; return the exit status."""
    results: list[tuple[str, str]] = []
    first = True
    for name, python, variables in _matrix():
        command = interpreter_command(python)
        if python and find_interpreter(command) is None:
            print(f"== {name}: SKIPPED, no working {command} on PATH or in pyenv", flush=True)
            results.append((name, f"SKIPPED (no {command})"))
            continue
        includes = [arg for key, value in variables.items() for arg in ("-i", f"{key}={value}")]
        print(f"== {name}", flush=True)
        started = time.monotonic()
        selection = argv or ([] if first else LATER_ENTRIES)
        first = False
        code = subprocess.call(["hatch", "test", *includes, *selection])
        status = "passed" if code == 0 else f"FAILED (exit {code})"
        results.append((name, f"{status} in {time.monotonic() - started:.0f}s"))
    print("== asyncio-only (no Twisted installed)", flush=True)
    started = time.monotonic()
    code = subprocess.call(["hatch", "run", "asyncio-only:test", *(argv or LATER_ENTRIES)])
    status = "passed" if code == 0 else f"FAILED (exit {code})"
    results.append(("asyncio-only", f"{status} in {time.monotonic() - started:.0f}s"))

    print("\n== Summary")
    for name, status in results:
        print(f"  {name:32} {status}")
    ran = [status for _, status in results if not status.startswith("SKIPPED")]
    failed = [status for status in ran if not status.startswith("passed")]
    if len(ran) <= 1:
        print("no test-matrix interpreter was found", file=sys.stderr)
        return 1
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
