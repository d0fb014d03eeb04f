"""Check that every changed package comes with a news fragment of its own.

``towncrier check`` compares the whole repository against one fragment
folder; here each distribution is checked on its own: a change under
``packages/<dist>/src/`` needs an added or changed fragment under
``packages/<dist>/newsfragments/`` in the same comparison. A change of the
version file alone (a release) needs none. A fragment whose type towncrier
does not know is an error too, since towncrier would silently skip it.

Usage: ``python .ci/check_newsfragments.py [--base REF]``. The comparison is
from the merge base of REF and HEAD to HEAD; REF defaults to ``origin/main``
when it exists, else ``main``. Exit status 1 when a fragment is missing or
misnamed, 2 when git cannot make the comparison.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from monorepo import ROOT, Package, packages


@dataclass(frozen=True)
class Change:
    """One changed file: git's status letter (A, M, D, ...) and its repository-relative path."""

    status: str
    path: PurePosixPath


def fragment_type(name: str, types: tuple[str, ...]) -> str | None:
    """Return the towncrier type of a fragment file name, or None when it has no known type.

    Names are ``<issue or +name>.<type>[.<counter>][.md]``, e.g. ``+timer.bugfix.md``.
    """
    parts = name.removesuffix(".md").split(".")
    if len(parts) >= 3 and parts[-1].isdigit():
        parts = parts[:-1]
    if len(parts) >= 2 and parts[-1] in types:
        return parts[-1]
    return None


def problems(changes: list[Change], known: dict[str, Package], root: Path = ROOT) -> list[str]:
    """Return one message per package changed without a fragment and per misnamed fragment."""
    messages: list[str] = []
    for dist, package in known.items():
        folder = PurePosixPath(package.folder.relative_to(root).as_posix())
        src = folder / "src"
        fragments = folder / package.fragments_dir.relative_to(package.folder).as_posix()
        version_file = folder / package.version_file.relative_to(package.folder).as_posix()
        changed_src = [c for c in changes if src in c.path.parents and c.path != version_file]
        added = [
            c
            for c in changes
            if c.path.parent == fragments and c.status != "D" and not c.path.name.startswith(".")
        ]
        valid = [c for c in added if fragment_type(c.path.name, package.fragment_types)]
        for change in added:
            if change not in valid:
                messages.append(
                    f"{change.path}: not a news fragment name; expected "
                    f"<name>.<type>.md with type one of {', '.join(package.fragment_types)}"
                )
        if changed_src and not valid:
            listed = ", ".join(str(c.path) for c in changed_src[:3])
            more = f" and {len(changed_src) - 3} more" if len(changed_src) > 3 else ""
            messages.append(
                f"{dist}: {listed}{more} changed without a news fragment; add one as "
                f"{fragments}/<name>.<type>.md (type: {', '.join(package.fragment_types)})"
            )
    return messages


def _git(root: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"git {' '.join(args)} failed: {done.stderr.strip()}")
    return done.stdout


def default_base(root: Path = ROOT) -> str:
    """Return ``origin/main`` when that ref exists, else ``main``."""
    try:
        _git(root, "rev-parse", "--verify", "--quiet", "origin/main")
    except RuntimeError:
        return "main"
    return "origin/main"


def changes_since(base: str, root: Path = ROOT) -> list[Change]:
    """Return the files changed from the merge base of ``base`` and HEAD to HEAD.

    Raises RuntimeError when git cannot resolve ``base`` or compare.
    """
    merge_base = _git(root, "merge-base", base, "HEAD").strip()
    listing = _git(root, "diff", "--name-status", "--no-renames", merge_base, "HEAD")
    changes = []
    for line in listing.splitlines():
        status, _, path = line.partition("\t")
        changes.append(Change(status=status[:1], path=PurePosixPath(path)))
    return changes


def main(argv: list[str] | None = None) -> int:
    """Parse the command line, run the check, print the outcome and return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", default=None, help="ref to compare with (default: main)")
    args = parser.parse_args(argv)
    base = args.base or default_base()
    try:
        changes = changes_since(base)
    except RuntimeError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    found = problems(changes, packages())
    for message in found:
        print(f"error: {message}", file=sys.stderr)
    if found:
        return 1
    print(f"news fragments: {len(changes)} changed file(s) since {base}, every package covered")
    return 0


if __name__ == "__main__":
    sys.exit(main())
