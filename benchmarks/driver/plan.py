"""What to run and what to read the figures against, loaded from ``benchmarks/plan.toml``."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib  # type: ignore[import-not-found,no-redef,unused-ignore]

PLAN_FILE = Path(__file__).resolve().parent.parent / "plan.toml"
FRAMEWORKS = ("asyncio", "twisted")
SIDES = ("ours", "original")
PROFILE_NAMES = ("full", "quick", "smoke", "callgrind")
TARGET_KINDS = ("ours/original", "ours/bare", "flat", "no_twisted")


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


@dataclass(frozen=True)
class Profile:
    """How hard to try: rounds per case, repetitions per round, cancel time budget."""

    name: str
    rounds: int
    reps: int
    cancel_budget_ns: int
    import_runs: int
    original_cancel_cap: int | None = None


@dataclass(frozen=True)
class Target:
    """A goal, stated on the figures of one run."""

    text: str
    kind: str  # one of TARGET_KINDS
    limit: float
    cases: tuple[str, ...]  # one case, or the cases a "flat" target compares
    frameworks: tuple[str, ...] = FRAMEWORKS


@dataclass(frozen=True)
class Plan:
    """The whole of ``plan.toml``."""

    original: str
    profiles: dict[str, Profile]
    cases: tuple[Case, ...]
    targets: tuple[Target, ...]


class PlanError(ValueError):
    """``plan.toml`` does not say what the driver needs."""


def _case(entry: dict[str, Any]) -> Case:
    sizes = dict(entry["sizes"])
    if set(sizes) != set(PROFILE_NAMES):
        raise PlanError(f"case {entry['key']}: sizes must name exactly {PROFILE_NAMES}")
    skip = set()
    for pair in entry.get("skip", []):
        profile, _, side = pair.partition(":")
        if profile not in PROFILE_NAMES or side not in SIDES:
            raise PlanError(f"case {entry['key']}: skip {pair!r} is not 'profile:side'")
        skip.add((profile, side))
    unit = entry.get("unit", "time")
    if unit not in ("time", "bytes"):
        raise PlanError(f"case {entry['key']}: unit must be 'time' or 'bytes', not {unit!r}")
    return Case(
        key=entry["key"],
        label=entry["label"],
        bench=entry.get("bench", entry["key"]),
        sizes=sizes,
        bare=entry.get("bare"),
        unit=unit,
        max_reps=entry.get("max_reps"),
        max_rounds=dict(entry.get("max_rounds", {})),
        skip=frozenset(skip),
    )


def _target(entry: dict[str, Any], known: set[str]) -> Target:
    kind = entry["kind"]
    if kind not in TARGET_KINDS:
        raise PlanError(f"target {entry['text']!r}: kind must be one of {TARGET_KINDS}")
    cases = tuple(entry["cases"]) if "cases" in entry else (entry["case"],)
    unknown = [c for c in cases if c not in known]
    if unknown:
        raise PlanError(f"target {entry['text']!r}: unknown case(s) {unknown}")
    frameworks = tuple(entry.get("frameworks", FRAMEWORKS))
    if not set(frameworks) <= set(FRAMEWORKS):
        raise PlanError(f"target {entry['text']!r}: frameworks must be among {FRAMEWORKS}")
    return Target(entry["text"], kind, float(entry["limit"]), cases, frameworks)


def load_plan(path: Path = PLAN_FILE) -> Plan:
    """Return the plan in ``path``.

    Raises PlanError naming the entry that is missing a field or holds a wrong value.
    """
    with path.open("rb") as handle:
        data = tomllib.load(handle)
    try:
        profiles = {name: Profile(name=name, **data["profiles"][name]) for name in PROFILE_NAMES}
        cases = tuple(_case(entry) for entry in data["case"])
        known = {case.key for case in cases} | {"import"}
        targets = tuple(_target(entry, known) for entry in data["target"])
        return Plan(str(data["original"]), profiles, cases, targets)
    except (KeyError, TypeError) as error:
        raise PlanError(f"{path}: missing or malformed entry: {error}") from error
