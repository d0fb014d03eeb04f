"""Run the original txaio's own test suite against this txaio, once per framework.

    hatch run compat:original [PYTEST ARGS ...]

Downloads the sdist of txaio==26.6.1 from the package registry with
``pip download`` into a temporary folder (never into this repository: the
original's code is run, never copied), replaces its ``tests/conftest.py``
with ours (``tests/compat/conftest.py``: selection through the public API
only), and runs its ``tests/`` with pytest in this environment, where our four
distributions are installed from this checkout: first with asyncio selected,
then with Twisted, each in its own process. Tests listed in
``tests/compat/exclusions.txt`` are left out; only the kinds in
:data:`ALLOWED_KINDS` may be listed, and each listed test must exist.

The last line is ``compat: P passed, F failed, X excluded (asyncio ..., twisted ...)``.
Exits 0 when nothing failed, 1 when a test failed (or the exclusions file is
wrong), 2 when the sdist could not be downloaded (no network, say).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

ORIGINAL = "txaio==26.6.1"
HERE = Path(__file__).resolve().parent
EXCLUSIONS_FILE = HERE / "exclusions.txt"
FRAMEWORKS = ("asyncio", "twisted")

#: The only kinds of test that may be excluded, with what each means.
ALLOWED_KINDS: dict[str, str] = {
    "private-name": "imports a private class of the original (_LogObserver, _TxaioFileHandler)",
    "early-batched-timer": "asserts that a batched timer fires a call early",
    "merged-batched-error": (
        "asserts that a raising batched call raises one merged RuntimeError out of its bucket"
    ),
    "release-tooling": "tests the original's release tooling",
}


@dataclass(frozen=True)
class Exclusion:
    """One line of the exclusions file: a test id, its kind and why it is left out."""

    test_id: str
    kind: str
    reason: str


def read_exclusions(path: Path = EXCLUSIONS_FILE) -> list[Exclusion]:
    """Return the exclusions listed in ``path``.

    Each line is ``TEST_ID KIND REASON...``; blank lines and ``#`` comments are
    ignored. Raises :class:`ValueError` naming the line when a line lacks a
    kind or reason, its kind is not in :data:`ALLOWED_KINDS`, or a test id is
    listed twice.
    """
    exclusions: list[Exclusion] = []
    seen: set[str] = set()
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        text = line.strip()
        if not text or text.startswith("#"):
            continue
        parts = text.split(None, 2)
        if len(parts) < 3:
            raise ValueError(f"{path.name}:{number}: expected 'TEST_ID KIND REASON', got {text!r}")
        test_id, kind, reason = parts
        if kind not in ALLOWED_KINDS:
            raise ValueError(
                f"{path.name}:{number}: kind {kind!r} may not be excluded; "
                f"the allowed kinds are {', '.join(ALLOWED_KINDS)}"
            )
        if test_id in seen:
            raise ValueError(f"{path.name}:{number}: {test_id!r} is listed twice")
        seen.add(test_id)
        exclusions.append(Exclusion(test_id, kind, reason))
    return exclusions


@dataclass
class RunResult:
    """The outcomes of one framework's run."""

    framework: str
    returncode: int
    outcomes: dict[str, str] = field(default_factory=dict)
    excluded: list[str] = field(default_factory=list)

    def count(self, outcome: str) -> int:
        """Return how many tests had ``outcome`` ("passed", "failed" or "skipped")."""
        return sum(1 for value in self.outcomes.values() if value.split(":")[0] == outcome)

    def failed(self) -> int:
        """Return the number of failed tests, counting a broken run as one failure."""
        failures = self.count("failed")
        if failures == 0 and self.returncode not in (0, 5):
            return 1  # pytest itself failed (a collection error, say)
        return failures

    def summary(self) -> str:
        """Return ``"asyncio 60 passed, 0 failed, 3 excluded"`` (and the skips, if any)."""
        text = (
            f"{self.framework} {self.count('passed')} passed, {self.failed()} failed, "
            f"{len(self.excluded)} excluded"
        )
        skipped = self.count("skipped")
        return f"{text}, {skipped} skipped by the original itself" if skipped else text


def download_original(folder: Path) -> Path:
    """Download the original's sdist into ``folder``, unpack it, return its ``tests/``.

    Raises :class:`ConnectionError` saying so when ``pip download`` fails.
    """
    command = [
        sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
        "--no-binary", ":all:", "--dest", str(folder), ORIGINAL,
    ]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    archives = sorted(folder.glob("txaio-*.tar.gz"))
    if done.returncode != 0 or not archives:
        detail = (done.stderr or done.stdout).strip().splitlines()[-3:]
        raise ConnectionError(
            f"could not download the sdist of {ORIGINAL} from the package registry "
            f"(no network?): {' / '.join(detail) or 'pip found nothing'}"
        )
    with tarfile.open(archives[0]) as archive:
        if sys.version_info >= (3, 12):
            archive.extractall(folder, filter="data")
        else:
            for member in archive.getmembers():
                if member.name.startswith(("/", "..")) or ".." in Path(member.name).parts:
                    raise ValueError(f"unsafe path in the sdist: {member.name!r}")
            archive.extractall(folder)  # paths checked above
    tests = next(folder.glob("txaio-*/tests"))
    shutil.copyfile(HERE / "conftest.py", tests / "conftest.py")
    # Our own pytest settings, not the original's (its pyproject sits above tests/).
    (tests / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
    return tests


def run_framework(
    framework: str, tests: Path, excluded_ids: Path, pytest_args: list[str]
) -> RunResult:
    """Run the original's ``tests`` with ``framework`` selected; return the outcomes."""
    report = tests / f"report-{framework}.json"
    env = dict(os.environ)
    env.update(
        TXAIO_COMPAT_FRAMEWORK=framework,
        TXAIO_COMPAT_EXCLUSIONS=str(excluded_ids),
        TXAIO_COMPAT_REPORT=str(report),
        PYTHONDONTWRITEBYTECODE="1",
    )
    print(f"\n== the original's tests on {framework}", flush=True)
    command = [
        sys.executable, "-m", "pytest", "-c", str(tests / "pytest.ini"),
        "--rootdir", str(tests), "-p", "no:cacheprovider", "-p", "no:xdist",
        "-q", "-rfEs", *pytest_args, str(tests),
    ]  # fmt: skip
    done = subprocess.run(command, cwd=tests, env=env, check=False)
    result = RunResult(framework, done.returncode)
    if report.exists():
        data = json.loads(report.read_text(encoding="utf-8"))
        result.outcomes = dict(data["outcomes"])
        result.excluded = list(data["excluded"])
    return result


def main(argv: list[str]) -> int:
    """Run both frameworks and print the summary line; return the exit status."""
    try:
        exclusions = read_exclusions()
    except ValueError as problem:
        print(f"compat: bad exclusions file: {problem}")
        return 1
    with tempfile.TemporaryDirectory(prefix="txaio-compat-") as temporary:
        folder = Path(temporary)
        try:
            tests = download_original(folder)
        except ConnectionError as problem:
            print(f"compat: {problem}")
            return 2
        excluded_ids = folder / "excluded-ids.txt"
        excluded_ids.write_text("".join(f"{e.test_id}\n" for e in exclusions), encoding="utf-8")
        results = [run_framework(name, tests, excluded_ids, argv) for name in FRAMEWORKS]
    status = 0
    applied = {test_id.split("[")[0] for result in results for test_id in result.excluded}
    unused = [e.test_id for e in exclusions if e.test_id not in applied]
    if unused and not argv:
        print(f"compat: excluded tests that do not exist in the original: {', '.join(unused)}")
        status = 1
    passed = sum(result.count("passed") for result in results)
    failed = sum(result.failed() for result in results)
    excluded = sum(len(result.excluded) for result in results)
    if failed:
        status = 1
    details = ", ".join(result.summary() for result in results)
    print(f"compat: {passed} passed, {failed} failed, {excluded} excluded ({details})")
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
