"""The figures of one run: the table, the targets, the full JSON and ``results.json``."""

from __future__ import annotations

import datetime
import os
import platform
from typing import Any

from driver.measure import Row
from driver.plan import SIDES, Target


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
    """Print the figures and ratios of every row, then its errors and skips."""
    header = ("benchmark", "framework", "ours", "original", "bare", "ours/orig", "ours/bare")
    lines: list[tuple[str, ...]] = [header]
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
        for skipped in row.skipped:
            print(f"skipped {row.case.key} [{row.framework}] {skipped}")


def _verdict(target: Target, framework: str, by_key: dict[tuple[str, str], Row]) -> dict[str, Any]:
    value: float | None
    extra: dict[str, float] = {}
    rows = [by_key[(key, framework)] for key in target.cases if (key, framework) in by_key]
    if target.kind == "flat":
        present = [b for b in (row.best("ours") for row in rows) if b is not None]
        value = max(present) / min(present) if len(present) >= 2 else None
        met = value is not None and value <= target.limit
        floors = [f for f in (row.best("bare") for row in rows) if f is not None]
        if len(floors) >= 2:
            extra["floor max/min"] = max(floors) / min(floors)
    elif target.kind == "no_twisted":
        seen = rows[0].extra.get("twisted_imported", {}).get("ours") if rows else None
        value = None if seen is None else float(seen)
        met = seen is False
    else:
        side, floor = target.kind.split("/")
        value = rows[0].ratio(side, floor) if rows else None
        met = value is not None and value <= target.limit
    return {
        "target": target.text,
        "framework": framework,
        "kind": target.kind,
        "limit": target.limit,
        "value": value,
        "met": met if value is not None else None,
        **extra,
    }


def evaluate_targets(rows: list[Row], targets: tuple[Target, ...]) -> list[dict[str, Any]]:
    """Return each target with the figure of this run and whether it was met."""
    by_key = {(row.case.key, row.framework): row for row in rows}
    return [_verdict(t, framework, by_key) for t in targets for framework in t.frameworks]


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


def _now() -> str:
    return datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")


def full_report(
    rows: list[Row], verdicts: list[dict[str, Any]], meta: dict[str, Any]
) -> dict[str, Any]:
    """Return everything of the run: settings, every round of every row, the targets."""
    return {
        "meta": {"date": _now(), **meta},
        "rows": [row.as_json() for row in rows],
        "targets": verdicts,
    }


def machine() -> str:
    """Return a short description of this machine: CPUs, architecture, system."""
    return f"{os.cpu_count()} CPUs, {platform.machine()}, {platform.system()}"


def results_summary(rows: list[Row], original: str, mode: str) -> dict[str, Any]:
    """Return the committed summary (``benchmarks/results.json``) of a wall-clock run.

    ``results`` holds the nanoseconds per operation of every timed row (the
    import row: one whole ``import txaio; txaio.use_asyncio()``); ``bare`` is
    the framework alone doing the same where the suite measures it. Bytes per
    pending call go to ``memory``, in the same shape with ``"unit": "bytes"``.
    """
    timed: list[dict[str, Any]] = []
    memory: list[dict[str, Any]] = []
    for row in rows:
        bytes_row = row.case.unit == "bytes"
        entry = {
            "benchmark": row.case.label,
            "framework": row.framework,
            "unit": "bytes" if bytes_row else "ns",
            "ours": row.best("ours"),
            "original": row.best("original"),
            "bare": row.best("bare"),
        }
        if entry["ours"] is not None:
            (memory if bytes_row else timed).append(entry)
    return {
        "generated": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "original": original,
        "machine": machine(),
        "mode": mode,
        "results": timed,
        "memory": memory,
    }
