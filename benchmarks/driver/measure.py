"""Interleaved rounds: every case on both sides (and its floor), the import probe apart."""

from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from statistics import median
from typing import Any

from driver.callgrind import Callgrind, CallgrindError, instructions
from driver.plan import SIDES, Case, Profile
from driver.workers import HERE, BenchmarkError, BenchmarkSkipped, Worker, child_env

IMPORT_CASE = Case("import", "import txaio; use_asyncio()", "import", {})


@dataclass
class Row:
    """The figures of one case on one framework: per side, the best of each round."""

    case: Case
    framework: str
    rounds: dict[str, list[float]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
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
            "skipped": self.skipped,
            **self.extra,
        }


def measure_case(case: Case, framework: str, workers: dict[str, Worker], profile: Profile) -> Row:
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
            done = (*row.errors, *row.skipped)
            if worker is None or any(e.startswith(side + ":") for e in done):
                continue
            options: dict[str, Any] = {"cancel_budget_ns": profile.cancel_budget_ns}
            if profile.original_cancel_cap is not None and side == "original":
                # No time budget under callgrind: cap the original's O(N) cancels instead.
                options["cancel_cap"] = profile.original_cancel_cap
            try:
                figures = worker.run(bench, n, reps, options)
            except BenchmarkError as error:
                row.errors.append(f"{side}: {error}")
                continue
            except BenchmarkSkipped as skipped:
                row.skipped.append(f"{side}: {skipped}")
                continue
            row.rounds.setdefault(side, []).append(min(figures))
    return row


def measure_import(pythons: dict[str, Path], profile: Profile, cg_dir: Path | None) -> Row:
    """Time ``import txaio; txaio.use_asyncio()`` in fresh interpreters, interleaved."""
    row = Row(IMPORT_CASE, "asyncio")
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
    meter = None
    if cg_dir:
        meter = Callgrind(cg_dir, f"import-{side}")
        for old in cg_dir.glob(f"{meter.out.name}*"):
            old.unlink()
        command = [*meter.command(), *command, "--exact"]
    done = subprocess.run(
        command, capture_output=True, text=True, cwd=HERE, env=child_env(), check=False
    )
    if done.returncode != 0:
        raise BenchmarkError(f"import probe failed:\n{done.stderr[-2000:]}")
    probe = json.loads(done.stdout.strip().splitlines()[-1])
    try:
        figure = float(instructions(meter.first_dump()) if meter else probe["ns"])
    except CallgrindError as error:
        raise BenchmarkError(str(error)) from error
    return figure, bool(probe["twisted_imported"])
