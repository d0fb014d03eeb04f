"""Compare our txaio with the original, on asyncio and on Twisted: ``hatch run bench:compare``.

The driver makes two virtual environments with the Python running it (cached
under ``benchmarks/.venvs/``): one with the original txaio and Twisted, one
with our four distributions (built from ``packages/``, rebuilt when their
sources change) and the same Twisted. It starts one worker of ``suite.py`` per
environment and framework and runs every case of ``plan.toml`` in rounds,
alternating which side goes first, so machine noise hits both alike. Each
round keeps the best of several repetitions; the table shows the best round.
Every figure goes to ``benchmarks/results/latest.json`` (or ``--json PATH``);
a complete full or quick run also writes the summary ``benchmarks/results.json``
(committed; ``--smoke``, ``--callgrind`` and narrowed runs leave it alone).

``--callgrind`` runs the workers under ``valgrind --tool=callgrind`` and
reports instructions per operation instead of nanoseconds: slow, but its
ratios repeat exactly. Targets are printed for reading, never enforced: a
benchmark run fails only when a benchmark crashes.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import platform
import sys
import time
from pathlib import Path
from typing import Any

from driver.callgrind import callgrind_dir
from driver.environments import ensure_original, ensure_ours, progress
from driver.measure import Row, measure_case, measure_import
from driver.plan import FRAMEWORKS, SIDES, Case, Plan, Profile, load_plan
from driver.report import (
    evaluate_targets,
    full_report,
    print_table,
    print_targets,
    results_summary,
)
from driver.workers import BenchmarkError, Worker

HERE = Path(__file__).resolve().parent
RESULTS_FILE = HERE / "results.json"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Parse the command line."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer rounds (minutes)")
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


def _profile(args: argparse.Namespace, plan: Plan) -> Profile:
    modes = {"callgrind": args.callgrind, "smoke": args.smoke, "quick": args.quick}
    name = next((mode for mode, chosen in modes.items() if chosen), "full")
    profile = plan.profiles[name]
    return dataclasses.replace(
        profile, rounds=args.rounds or profile.rounds, reps=args.reps or profile.reps
    )


def _measure_framework(
    framework: str,
    pythons: dict[str, Path],
    cases: list[Case],
    profile: Profile,
    logs: Path,
    cg_dir: Path | None,
    about: dict[str, Any],
) -> list[Row]:
    workers: dict[str, Worker] = {}
    startup_errors = []
    for side, python in pythons.items():
        try:
            workers[side] = Worker(side, python, framework, logs, cg_dir)
            about[f"{side}/{framework}"] = workers[side].about
        except BenchmarkError as error:
            startup_errors.append(f"{side}: {error}")
    rows = []
    try:
        for case in cases:
            started = time.monotonic()
            row = measure_case(case, framework, workers, profile)
            progress(f"bench: {framework} {case.key} ({time.monotonic() - started:.1f}s)")
            row.errors[:0] = startup_errors
            rows.append(row)
    finally:
        for worker in workers.values():
            worker.close()
    return rows


def main(argv: list[str] | None = None) -> int:
    """Run the comparison; return 1 when a benchmark crashed, else 0."""
    args = parse_args(argv)
    plan = load_plan()
    profile = _profile(args, plan)
    frameworks = args.framework or list(FRAMEWORKS)
    sides = args.side or list(SIDES)
    cases = [
        c
        for c in plan.cases
        if c.sizes[profile.name] > 0 and (not args.only or any(o in c.key for o in args.only))
    ]
    want_import = not args.only or any(o in "import" for o in args.only)
    json_path = args.json or HERE / "results" / (
        "callgrind.json" if args.callgrind else "latest.json"
    )
    logs = json_path.parent
    logs.mkdir(parents=True, exist_ok=True)

    original_python, twisted = ensure_original(args.venv_dir, plan.original, args.twisted)
    pythons = {"ours": ensure_ours(args.venv_dir, twisted), "original": original_python}
    pythons = {side: pythons[side] for side in sides}
    unit = "Ir" if args.callgrind else "ns"
    progress(
        f"bench: {profile.name} mode, {profile.rounds} round(s) x best of {profile.reps}, "
        f"{platform.python_implementation()} {platform.python_version()}, Twisted {twisted}"
    )

    rows: list[Row] = []
    about: dict[str, Any] = {}
    with callgrind_dir(args.callgrind) as cg_dir:
        for framework in frameworks:
            rows += _measure_framework(framework, pythons, cases, profile, logs, cg_dir, about)
        if want_import:
            progress("bench: import txaio; txaio.use_asyncio()")
            rows.append(measure_import(pythons, profile, cg_dir))

    print_table(rows, unit)
    verdicts = evaluate_targets(rows, plan.targets)
    print_targets(verdicts)
    if profile.name == "smoke":
        print("\nsmoke run: every benchmark ran; its sizes are too small for the figures to count")
    meta = {
        "mode": profile.name,
        "unit": unit,
        "rounds": profile.rounds,
        "reps": profile.reps,
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "twisted": twisted,
        "original": plan.original,
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform()},
        "workers": about,
    }
    json_path.write_text(json.dumps(full_report(rows, verdicts, meta), indent=1))
    print(f"\nfigures written to {json_path}")
    failed = any(row.errors for row in rows)
    complete = not (args.only or args.framework or args.side)
    if profile.name in ("full", "quick") and complete and not failed:
        summary = results_summary(rows, plan.original, profile.name)
        RESULTS_FILE.write_text(json.dumps(summary, indent=1) + "\n")
        print(f"summary written to {RESULTS_FILE}")
    elif profile.name in ("full", "quick"):
        print(f"{RESULTS_FILE.name} left as it was: not a complete run without errors")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
