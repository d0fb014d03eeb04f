"""Compare our txaio with the original, on asyncio and on Twisted: ``hatch run bench:compare``.

The driver makes two virtual environments with the Python running it (cached
under ``benchmarks/.venvs/``): one with the original ``txaio==26.6.1`` and
Twisted, one with our four distributions (built from ``packages/``, rebuilt
when their sources change) and the same Twisted. It starts one worker of
``suite.py`` per environment and framework and runs every benchmark in rounds,
alternating which side goes first, so machine noise hits both alike. Each
round keeps the best of several repetitions; the table shows the best round.
Figures go to ``benchmarks/results/latest.json`` (or ``--json PATH``).

``--callgrind`` runs the workers under ``valgrind --tool=callgrind`` and
reports instructions per operation instead of nanoseconds: slow, but its
ratios repeat exactly. Targets are printed for reading, never enforced: a
benchmark run fails only when a benchmark crashes.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import hashlib
import json
import os
import platform
import select
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from statistics import median
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SUITE = HERE / "suite.py"
OUR_DISTRIBUTIONS = ("txaio-core", "txaio-asyncio", "txaio-twisted", "txaio")
ORIGINAL_VERSION = "26.6.1"
FRAMEWORKS = ("asyncio", "twisted")
SIDES = ("ours", "original")
#: Under callgrind the original cancels this many random calls of the N pending.
ORIGINAL_CANCEL_CAP_CALLGRIND = 100
CANCEL_KEYS = ("timer_cancel_1e3", "timer_cancel_1e4", "timer_cancel_1e5", "timer_cancel_1e6")


# -- what to run ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    """One row of the table: a suite benchmark, its floor, and its sizes per profile."""

    key: str
    label: str
    bench: str
    sizes: dict[str, int]  # profile -> operations (or pending calls) per repetition
    bare: str | None = None
    unit: str = "time"  # "time" (ns or Ir per op) or "bytes" (per call)
    max_reps: int | None = None
    max_rounds: dict[str, int] = field(default_factory=dict)  # profile -> at most
    skip: frozenset[tuple[str, str]] = frozenset()  # (profile, side) pairs not run


def _sizes(full: int, quick: int, smoke: int, callgrind: int) -> dict[str, int]:
    return {"full": full, "quick": quick, "smoke": smoke, "callgrind": callgrind}


# Sizes: a repetition of a small operation lasts a few milliseconds, so that
# the best of many repetitions finds a quiet moment on a busy machine.
CASES: tuple[Case, ...] = (
    Case(
        "future_cycle",
        "future cycle",
        "future_cycle",
        _sizes(2_000, 2_000, 1_000, 2_000),
        bare="future_cycle_bare",
    ),
    Case(
        "reject_cycle",
        "reject cycle",
        "reject_cycle",
        _sizes(2_000, 2_000, 1_000, 2_000),
        bare="reject_cycle_bare",
    ),
    Case("as_future", "as_future(plain fn)", "as_future", _sizes(5_000, 5_000, 1_000, 2_000)),
    Case("gather10", "gather of 10 resolved", "gather10", _sizes(1_000, 1_000, 1_000, 1_000)),
    Case(
        "call_later_cancel",
        "call_later + cancel",
        "call_later_cancel",
        _sizes(2_000, 2_000, 1_000, 2_000),
        bare="call_later_cancel_bare",
    ),
    Case(
        "timer_schedule",
        "batched: schedule/call",
        "timer_schedule",
        _sizes(100_000, 30_000, 1_000, 10_000),
        max_reps=3,
    ),
    Case(
        "timer_cancel_1e3",
        "batched: cancel, N=10^3",
        "timer_cancel",
        _sizes(1_000, 1_000, 1_000, 1_000),
        bare="timer_cancel_bare",
    ),
    Case(
        "timer_cancel_1e4",
        "batched: cancel, N=10^4",
        "timer_cancel",
        _sizes(10_000, 10_000, 0, 10_000),
        bare="timer_cancel_bare",
        max_reps=3,
    ),
    Case(
        "timer_cancel_1e5",
        "batched: cancel, N=10^5",
        "timer_cancel",
        _sizes(100_000, 100_000, 0, 100_000),
        bare="timer_cancel_bare",
        max_reps=1,
    ),
    Case(
        "timer_cancel_1e6",
        "batched: cancel, N=10^6",
        "timer_cancel",
        _sizes(1_000_000, 1_000_000, 0, 0),
        bare="timer_cancel_bare",
        max_reps=1,
        max_rounds={"full": 3, "quick": 1},
        # Scheduling 10^6 calls in the original alone takes seconds: full mode only.
        skip=frozenset({("quick", "original")}),
    ),
    Case(
        "timer_fire",
        "batched: fire/call",
        "timer_fire",
        _sizes(100_000, 30_000, 1_000, 10_000),
        max_reps=3,
    ),
    Case(
        "timer_bytes",
        "batched: bytes/pending call",
        "timer_bytes",
        _sizes(100_000, 30_000, 1_000, 10_000),
        unit="bytes",
        max_reps=1,
        max_rounds={"full": 1, "quick": 1},
    ),
    Case(
        "log_filtered",
        "log below level",
        "log_filtered",
        _sizes(20_000, 20_000, 1_000, 10_000),
        bare="log_filtered_bare",
    ),
    Case("log_emitted", "log emitted", "log_emitted", _sizes(1_000, 500, 100, 1_000)),
)


@dataclass(frozen=True)
class Profile:
    """How hard to try: rounds per case, repetitions per round, cancel time budget."""

    name: str
    rounds: int
    reps: int
    cancel_budget_ns: int
    import_runs: int


PROFILES = {
    "full": Profile("full", rounds=5, reps=15, cancel_budget_ns=1_500_000_000, import_runs=7),
    "quick": Profile("quick", rounds=3, reps=7, cancel_budget_ns=250_000_000, import_runs=3),
    "smoke": Profile("smoke", rounds=1, reps=1, cancel_budget_ns=50_000_000, import_runs=1),
    # Instruction counts do not vary: one round; the second repetition is the warm one.
    "callgrind": Profile("callgrind", rounds=1, reps=2, cancel_budget_ns=0, import_runs=1),
}


@dataclass(frozen=True)
class Target:
    """A goal of the issue, stated on the figures of one run."""

    text: str
    case: str
    kind: str  # "ours/original", "ours/bare", "flat", "no_twisted"
    limit: float
    frameworks: tuple[str, ...] = FRAMEWORKS


TARGETS: tuple[Target, ...] = (
    Target("future cycle <= 1.3x bare asyncio", "future_cycle", "ours/bare", 1.3, ("asyncio",)),
    Target("future cycle <= 1.1x bare Twisted", "future_cycle", "ours/bare", 1.1, ("twisted",)),
    Target(
        "future cycle <= 0.6x original (asyncio)",
        "future_cycle",
        "ours/original",
        0.6,
        ("asyncio",),
    ),
    Target("batched cancel flat 10^3..10^6 (<= 1.5x)", "timer_cancel", "flat", 1.5),
    Target("batched cancel >= 50x cheaper at 10^4", "timer_cancel_1e4", "ours/original", 1 / 50),
    Target("batched schedule <= 0.5x original", "timer_schedule", "ours/original", 0.5),
    Target("bytes per pending call <= 0.5x original", "timer_bytes", "ours/original", 0.5),
    Target("filtered log <= 1.2x empty call", "log_filtered", "ours/bare", 1.2),
    Target("emitted log <= 0.7x original", "log_emitted", "ours/original", 0.7),
    Target("gather of 10 <= 0.7x original", "gather10", "ours/original", 0.7),
    Target("as_future no slower than original", "as_future", "ours/original", 1.0),
    Target("reject cycle no slower than original", "reject_cycle", "ours/original", 1.0),
    Target("import + use_asyncio: no Twisted", "import", "no_twisted", 0.0, ("asyncio",)),
    Target(
        "import + use_asyncio no slower than original",
        "import",
        "ours/original",
        1.0,
        ("asyncio",),
    ),
)


# -- virtual environments ---------------------------------------------------------------------


def _progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _venv_python(venv: Path) -> Path:
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
    return stamp if _venv_python(venv).exists() else {}


def _write_stamp(venv: Path, stamp: dict[str, Any]) -> None:
    (venv / "bench-stamp.json").write_text(json.dumps(stamp, indent=1))


def _new_venv(venv: Path) -> Path:
    shutil.rmtree(venv, ignore_errors=True)
    _run([sys.executable, "-m", "venv", venv], f"creating {venv}")
    return _venv_python(venv)


def ensure_original(cache: Path, twisted: str | None) -> tuple[Path, str]:
    """Return the Python of the original's environment and its Twisted version."""
    venv = cache / f"original-{ORIGINAL_VERSION}-py{sys.version_info[0]}{sys.version_info[1]}"
    want = {"txaio": ORIGINAL_VERSION, "twisted_spec": twisted}
    stamp = _read_stamp(venv)
    python = _venv_python(venv)
    if {k: stamp.get(k) for k in want} != want:
        _progress(f"bench: creating {venv} (txaio=={ORIGINAL_VERSION})")
        python = _new_venv(venv)
        _pip(python, f"txaio=={ORIGINAL_VERSION}", f"Twisted=={twisted}" if twisted else "Twisted")
        stamp = {**want, "twisted": _installed_version(python, "Twisted")}
        _write_stamp(venv, stamp)
    return python, str(stamp["twisted"])


def ensure_ours(cache: Path, twisted: str) -> Path:
    """Return the Python of our environment, (re)installing what changed."""
    venv = cache / f"ours-py{sys.version_info[0]}{sys.version_info[1]}"
    stamp = _read_stamp(venv)
    python = _venv_python(venv)
    if not stamp:
        _progress(f"bench: creating {venv}")
        python = _new_venv(venv)
        _pip(python, "hatchling>=1.27")
        stamp = {}
    if stamp.get("twisted") != twisted:
        _pip(python, f"Twisted=={twisted}")
        stamp["twisted"] = twisted
        _write_stamp(venv, stamp)
    digest = _our_sources_digest()
    if stamp.get("sources") != digest:
        _progress("bench: installing our four distributions from packages/")
        paths = [ROOT / "packages" / dist for dist in OUR_DISTRIBUTIONS]
        _pip(python, "--no-deps", "--no-build-isolation", "--force-reinstall", *paths)
        stamp["sources"] = digest
        _write_stamp(venv, stamp)
    return python


# -- workers ----------------------------------------------------------------------------------


class BenchmarkError(Exception):
    """A worker failed to start, crashed, or a benchmark raised."""


def _child_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["PYTHONHASHSEED"] = "0"  # fixed hashing: identical instruction counts run to run
    return env


class Callgrind:
    """Where the worker's counter dumps go, and how to read them."""

    def __init__(self, directory: Path, label: str) -> None:
        self.out = directory / f"callgrind.{label}.out"
        self.seen = 0

    def command(self) -> list[str]:
        """Return the valgrind prefix that zeroes at getpgrp() and dumps at getppid()."""
        return [
            "valgrind",
            "--tool=callgrind",
            f"--callgrind-out-file={self.out}",
            "--zero-before=getpgrp",
            "--dump-before=getppid",
        ]

    def take(self, segments: int) -> int:
        """Return the instructions of the next ``segments`` dumps."""
        total = 0
        for _ in range(segments):
            self.seen += 1
            total += _callgrind_instructions(Path(f"{self.out}.{self.seen}"))
        return total

    def check_all_taken(self) -> None:
        """Raise when there are more dumps than measured sections (a stray getppid())."""
        if Path(f"{self.out}.{self.seen + 1}").exists():
            raise BenchmarkError("unexpected callgrind dump: something else called getppid()")


def _callgrind_instructions(path: Path) -> int:
    try:
        text = path.read_text()
    except OSError as error:
        raise BenchmarkError(f"callgrind dump missing: {path}") from error
    for line in text.splitlines():
        if line.startswith(("summary:", "totals:")):
            return int(line.split()[1])
    raise BenchmarkError(f"no instruction count in {path}")


class Worker:
    """One ``suite.py --serve`` process: a side (ours/original) on one framework."""

    def __init__(
        self, side: str, python: Path, framework: str, logs: Path, cg_dir: Path | None
    ) -> None:
        self.side, self.framework = side, framework
        self.callgrind = Callgrind(cg_dir, f"{side}-{framework}") if cg_dir else None
        self.log_path = logs / f"worker-{side}-{framework}.log"
        command = [str(python), str(SUITE), "--serve", "--framework", framework]
        if self.callgrind:
            command = [*self.callgrind.command(), *command, "--exact"]
        self.timeout = 7200.0 if self.callgrind else 900.0
        self._log = self.log_path.open("w")
        self.proc = subprocess.Popen(
            command,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._log,
            text=True,
            cwd=HERE,
            env=_child_env(),
        )
        hello = self._read()
        if "error" in hello:
            self.close()
            raise BenchmarkError(f"{side}/{framework} worker failed to start:\n{hello['error']}")
        self.about: dict[str, Any] = hello["about"]

    def _read(self) -> dict[str, Any]:
        assert self.proc.stdout is not None
        ready, _, _ = select.select([self.proc.stdout], [], [], self.timeout)
        line = self.proc.stdout.readline() if ready else ""
        if not line:
            self.proc.kill()
            raise BenchmarkError(
                f"{self.side}/{self.framework} worker died or hung; see {self.log_path}"
            )
        reply: dict[str, Any] = json.loads(line)
        return reply

    def run(self, bench: str, n: int, reps: int, options: dict[str, Any]) -> list[float]:
        """Run ``bench`` and return its figure per operation for each repetition."""
        assert self.proc.stdin is not None
        request = {"bench": bench, "n": n, "reps": reps, **options}
        self.proc.stdin.write(json.dumps(request) + "\n")
        self.proc.stdin.flush()
        reply = self._read()
        if "error" in reply:
            raise BenchmarkError(f"{self.side}/{self.framework} {bench}:\n{reply['error']}")
        figures = []
        for rep in reply["reps"]:
            if "bytes" in rep:
                figures.append(rep["bytes"] / rep["ops"])
            elif self.callgrind:
                figures.append(self.callgrind.take(rep["segments"]) / rep["ops"])
            else:
                figures.append(rep["ns"] / rep["ops"])
        if self.callgrind:
            self.callgrind.check_all_taken()
        return figures

    def close(self) -> None:
        """Stop the worker."""
        if self.proc.stdin:
            with contextlib.suppress(OSError):
                self.proc.stdin.close()
        try:
            self.proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self._log.close()


# -- measuring --------------------------------------------------------------------------------


@dataclass
class Row:
    """The figures of one case on one framework: per side, the best of each round."""

    case: Case
    framework: str
    rounds: dict[str, list[float]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)

    def best(self, side: str) -> float | None:
        """Return the best figure of ``side`` over all rounds, or None."""
        values = self.rounds.get(side)
        return min(values) if values else None

    def ratio(self, side: str, floor: str) -> float | None:
        """Return best(side) / best(floor), or None when either is missing."""
        a, b = self.best(side), self.best(floor)
        return a / b if a is not None and b else None

    def as_json(self) -> dict[str, Any]:
        """Return the row for the JSON report."""
        paired = [
            o / r
            for o, r in zip(
                self.rounds.get("ours", []), self.rounds.get("original", []), strict=False
            )
            if r
        ]
        return {
            "case": self.case.key,
            "label": self.case.label,
            "framework": self.framework,
            "best": {side: self.best(side) for side in self.rounds},
            "rounds": self.rounds,
            "ours/original": self.ratio("ours", "original"),
            "ours/bare": self.ratio("ours", "bare"),
            "median_paired_ours/original": median(paired) if paired else None,
            "errors": self.errors,
            **self.extra,
        }


def measure_case(
    case: Case,
    framework: str,
    workers: dict[str, Worker],
    profile: Profile,
) -> Row:
    """Run ``case`` in interleaved rounds on both sides (and the floor, if any)."""
    row = Row(case, framework)
    n = case.sizes[profile.name]
    reps = min(profile.reps, case.max_reps or profile.reps)
    rounds = min(profile.rounds, case.max_rounds.get(profile.name, profile.rounds))
    plan = [(side, workers.get(side), case.bench) for side in SIDES]
    if case.bare:
        # The floor is the same code in either environment: run it in ours when we have it.
        plan.append(("bare", workers.get("ours") or workers.get("original"), case.bare))
    plan = [step for step in plan if (profile.name, step[0]) not in case.skip]
    for round_index in range(rounds):
        shift = round_index % len(plan)  # who goes first changes every round
        for side, worker, bench in plan[shift:] + plan[:shift]:
            if worker is None or any(e.startswith(side + ":") for e in row.errors):
                continue
            options: dict[str, Any] = {"cancel_budget_ns": profile.cancel_budget_ns}
            if profile.name == "callgrind" and side == "original":
                # No time budget under callgrind: cap the original's O(N) cancels instead.
                options["cancel_cap"] = ORIGINAL_CANCEL_CAP_CALLGRIND
            try:
                figures = worker.run(bench, n, reps, options)
            except BenchmarkError as error:
                row.errors.append(f"{side}: {error}")
                continue
            row.rounds.setdefault(side, []).append(min(figures))
    return row


def measure_import(pythons: dict[str, Path], profile: Profile, cg_dir: Path | None) -> Row:
    """Time ``import txaio; txaio.use_asyncio()`` in fresh interpreters, interleaved."""
    case = Case("import", "import txaio; use_asyncio()", "import", {})
    row = Row(case, "asyncio")
    twisted_seen: dict[str, bool] = {}
    for side, python in pythons.items():
        _import_once(python, None, side)  # warm the bytecode and file caches
    for round_index in range(profile.rounds):
        order = list(pythons.items())
        if round_index % 2:
            order.reverse()
        for side, python in order:
            try:
                runs = [_import_once(python, cg_dir, side) for _ in range(profile.import_runs)]
            except BenchmarkError as error:
                row.errors.append(f"{side}: {error}")
                continue
            row.rounds.setdefault(side, []).append(min(figure for figure, _ in runs))
            twisted_seen[side] = any(seen for _, seen in runs)
    row.extra["twisted_imported"] = twisted_seen
    return row


def _import_once(python: Path, cg_dir: Path | None, side: str) -> tuple[float, bool]:
    command = [str(python), str(HERE / "import_probe.py")]
    out = None
    if cg_dir:
        out = cg_dir / f"callgrind.import-{side}.out"
        for old in cg_dir.glob(f"{out.name}*"):
            old.unlink()
        command = [*Callgrind(cg_dir, f"import-{side}").command(), *command, "--exact"]
    done = subprocess.run(
        command, capture_output=True, text=True, cwd=HERE, env=_child_env(), check=False
    )
    if done.returncode != 0:
        raise BenchmarkError(f"import probe failed:\n{done.stderr[-2000:]}")
    probe = json.loads(done.stdout.strip().splitlines()[-1])
    figure = float(_callgrind_instructions(Path(f"{out}.1")) if out else probe["ns"])
    return figure, bool(probe["twisted_imported"])


# -- reporting --------------------------------------------------------------------------------


def _figure(value: float | None, kind: str, unit: str) -> str:
    if value is None:
        return "-"
    if kind == "import" and unit == "ns":
        return f"{value / 1e6:,.2f} ms"
    if kind == "bytes":
        return f"{value:,.0f} B"
    return f"{value:,.0f}" if value >= 100 else f"{value:,.1f}"


def _ratio(value: float | None) -> str:
    return "-" if value is None else (f"{value:.3f}" if value < 0.1 else f"{value:.2f}")


def print_table(rows: list[Row], unit: str) -> None:
    """Print the figures and ratios of every row."""
    header = ("benchmark", "framework", "ours", "original", "bare", "ours/orig", "ours/bare")
    lines = [header]
    for row in rows:
        kind = "import" if row.case.key == "import" else row.case.unit
        lines.append(
            (
                row.case.label,
                row.framework,
                *(_figure(row.best(side), kind, unit) for side in (*SIDES, "bare")),
                _ratio(row.ratio("ours", "original")),
                _ratio(row.ratio("ours", "bare")),
            )
        )
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    print(f"\nper operation, best round ({unit}; bytes per call; import: the whole step)")
    for index, line in enumerate(lines):
        cells = [line[0].ljust(widths[0]), line[1].ljust(widths[1])]
        cells += [cell.rjust(width) for cell, width in zip(line[2:], widths[2:], strict=True)]
        print("  ".join(cells))
        if index == 0:
            print("  ".join("-" * width for width in widths))
    for row in rows:
        for error in row.errors:
            first = error.strip().splitlines()
            print(f"ERROR {row.case.key} [{row.framework}] {first[0]} ... {first[-1]}")


def evaluate_targets(rows: list[Row]) -> list[dict[str, Any]]:
    """Return each target with the figure of this run and whether it was met."""
    by_key = {(row.case.key, row.framework): row for row in rows}
    verdicts = []
    for target in TARGETS:
        for framework in target.frameworks:
            value: float | None
            extra: dict[str, float] = {}
            if target.kind == "flat":
                bests = [
                    by_key[(key, framework)].best("ours")
                    for key in CANCEL_KEYS
                    if (key, framework) in by_key
                ]
                present = [b for b in bests if b is not None]
                value = max(present) / min(present) if len(present) >= 2 else None
                met = value is not None and value <= target.limit
                floors = [
                    by_key[(key, framework)].best("bare")
                    for key in CANCEL_KEYS
                    if (key, framework) in by_key
                ]
                floor_present = [f for f in floors if f is not None]
                if len(floor_present) >= 2:
                    extra["floor max/min"] = max(floor_present) / min(floor_present)
            elif target.kind == "no_twisted":
                row = by_key.get((target.case, framework))
                seen = row.extra.get("twisted_imported", {}).get("ours") if row else None
                value = None if seen is None else float(seen)
                met = seen is False
            else:
                row = by_key.get((target.case, framework))
                value = row.ratio(*target.kind.split("/")) if row else None
                met = value is not None and value <= target.limit
            verdicts.append(
                {
                    "target": target.text,
                    "framework": framework,
                    "kind": target.kind,
                    "limit": target.limit,
                    "value": value,
                    "met": met if value is not None else None,
                    **extra,
                }
            )
    return verdicts


def print_targets(verdicts: list[dict[str, Any]]) -> None:
    """Print each target, the figure reached and met / MISSED / n/a."""
    print("\ntargets (read, never enforced)")
    for v in verdicts:
        if v["kind"] == "no_twisted":
            shown = "-" if v["value"] is None else ("Twisted imported" if v["value"] else "none")
        elif v["kind"] == "flat":
            shown = "-" if v["value"] is None else f"max/min {v['value']:.2f}"
            if "floor max/min" in v:
                shown += f" (the floor's: {v['floor max/min']:.2f})"
        else:
            shown = "-" if v["value"] is None else f"{v['kind']} {_ratio(v['value'])}"
        status = {True: "met", False: "MISSED", None: "n/a"}[v["met"]]
        print(f"  {status:6}  {v['target']} [{v['framework']}]: {shown}")


# -- main -------------------------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Parse the command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="about a minute, fewer rounds")
    parser.add_argument(
        "--smoke", action="store_true", help="tiny sizes, one round: checks that all runs"
    )
    parser.add_argument(
        "--callgrind", action="store_true", help="instructions per op under valgrind (slow)"
    )
    parser.add_argument("--rounds", type=int, help="rounds per benchmark (default by mode)")
    parser.add_argument("--reps", type=int, help="repetitions per round (default by mode)")
    parser.add_argument("--only", action="append", default=[], help="run cases whose key has this")
    parser.add_argument("--framework", choices=FRAMEWORKS, action="append", help="default: both")
    parser.add_argument("--side", choices=SIDES, action="append", help="default: both")
    parser.add_argument("--twisted", help="Twisted version for both environments (default newest)")
    parser.add_argument("--json", type=Path, help="default: benchmarks/results/latest.json")
    parser.add_argument(
        "--venv-dir", type=Path, default=HERE / ".venvs", help="where the two venvs are cached"
    )
    return parser.parse_args(argv)


def _profile(args: argparse.Namespace) -> Profile:
    name = (
        "callgrind"
        if args.callgrind
        else "smoke"
        if args.smoke
        else "quick"
        if args.quick
        else "full"
    )
    profile = PROFILES[name]
    return Profile(
        name,
        rounds=args.rounds or profile.rounds,
        reps=args.reps or profile.reps,
        cancel_budget_ns=profile.cancel_budget_ns,
        import_runs=profile.import_runs,
    )


@contextlib.contextmanager
def _callgrind_dir(enabled: bool) -> Iterator[Path | None]:
    if not enabled:
        yield None
        return
    if shutil.which("valgrind") is None:
        raise SystemExit(
            "--callgrind needs valgrind, which is not installed.\n"
            "On Debian or Ubuntu: apt-get install valgrind"
        )
    with tempfile.TemporaryDirectory(prefix="txaio-callgrind-") as directory:
        yield Path(directory)


def main(argv: list[str] | None = None) -> int:
    """Run the comparison; return 1 when a benchmark crashed, else 0."""
    args = parse_args(argv)
    profile = _profile(args)
    frameworks = args.framework or list(FRAMEWORKS)
    sides = args.side or list(SIDES)
    cases = [
        c
        for c in CASES
        if c.sizes[profile.name] > 0 and (not args.only or any(o in c.key for o in args.only))
    ]
    want_import = not args.only or any(o in "import" for o in args.only)
    json_path = args.json or HERE / "results" / (
        "callgrind.json" if args.callgrind else "latest.json"
    )
    logs = json_path.parent
    logs.mkdir(parents=True, exist_ok=True)

    original_python, twisted = ensure_original(args.venv_dir, args.twisted)
    pythons = {"ours": ensure_ours(args.venv_dir, twisted), "original": original_python}
    pythons = {side: pythons[side] for side in sides}
    unit = "Ir" if args.callgrind else "ns"
    _progress(
        f"bench: {profile.name} mode, {profile.rounds} round(s) x best of {profile.reps}, "
        f"Python {platform.python_version()}, Twisted {twisted}"
    )

    rows: list[Row] = []
    about: dict[str, Any] = {}
    with _callgrind_dir(args.callgrind) as cg_dir:
        for framework in frameworks:
            workers: dict[str, Worker] = {}
            startup_errors = []
            for side, python in pythons.items():
                try:
                    workers[side] = Worker(side, python, framework, logs, cg_dir)
                    about[f"{side}/{framework}"] = workers[side].about
                except BenchmarkError as error:
                    startup_errors.append(f"{side}: {error}")
            try:
                for case in cases:
                    started = time.monotonic()
                    row = measure_case(case, framework, workers, profile)
                    _progress(f"bench: {framework} {case.key} ({time.monotonic() - started:.1f}s)")
                    row.errors[:0] = startup_errors
                    rows.append(row)
            finally:
                for worker in workers.values():
                    worker.close()
        if want_import:
            _progress("bench: import txaio; txaio.use_asyncio()")
            rows.append(measure_import(pythons, profile, cg_dir))

    print_table(rows, unit)
    verdicts = evaluate_targets(rows)
    print_targets(verdicts)
    if profile.name == "smoke":
        print("\nsmoke run: every benchmark ran; its sizes are too small for the figures to count")
    report = {
        "meta": {
            "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
            "mode": profile.name,
            "unit": unit,
            "rounds": profile.rounds,
            "reps": profile.reps,
            "python": platform.python_version(),
            "twisted": twisted,
            "original": ORIGINAL_VERSION,
            "machine": {"cpus": os.cpu_count(), "platform": platform.platform()},
            "workers": about,
        },
        "rows": [row.as_json() for row in rows],
        "targets": verdicts,
    }
    json_path.write_text(json.dumps(report, indent=1))
    print(f"\nfigures written to {json_path}")
    return 1 if any(row.errors for row in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
