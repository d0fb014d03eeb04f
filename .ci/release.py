"""Release one distribution: set its next calendar version and fold its news into its changelog.

Usage (through Hatch, from the repository root)::

    hatch run release:bump txaio-core             # do it
    hatch run release:bump txaio-core --dry-run   # only show what it would do

The next version is ``YY.M.N`` for the current month: N goes up by one after
a release in the same month and starts at 1 in a new month. The new version
is set with ``hatch version`` in the package's folder (hatchling rewrites its
``_version.py``; Hatch must be on PATH) and towncrier, run for that package
only, moves the package's news fragments into its ``CHANGELOG.md``
(removing the fragments with ``git rm``). No other package is touched.
Nothing is committed or tagged: the command prints the commands for that.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import TextIO

import check_requirements
from monorepo import ROOT, Package, get_package, next_version


def towncrier(package: Package, version: str, today: date, *, draft: bool) -> str:
    """Run towncrier for ``package`` alone and return what it printed.

    With ``draft`` nothing is written. Raises RuntimeError with towncrier's
    output when it fails.
    """
    command = [
        sys.executable,
        "-m",
        "towncrier",
        "build",
        "--version",
        version,
        "--date",
        today.isoformat(),
        "--draft" if draft else "--yes",
    ]
    done = subprocess.run(command, cwd=package.folder, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"towncrier failed for {package.dist}:\n{done.stdout}{done.stderr}")
    return done.stdout


def bump(
    dist: str,
    *,
    today: date,
    dry_run: bool,
    root: Path = ROOT,
    out: TextIO = sys.stdout,
) -> str:
    """Release ``dist`` as of ``today`` (or describe it with ``dry_run``); return the new version.

    Raises KeyError for an unknown distribution, ValueError for a version that
    cannot be followed on ``today``, RuntimeError when Hatch or towncrier fails
    (the version file is then as it was).
    """
    package = get_package(dist, root)
    current = package.read_version()
    new = next_version(current, today)
    fragments = package.fragments()
    rel = package.folder.relative_to(root)

    def say(line: str = "") -> None:
        print(line, file=out)

    prefix = "would " if dry_run else ""
    say(f"{dist}: {current} -> {new}")
    say(
        f"{prefix}write {package.version_file.relative_to(root)} "
        f"with `hatch version {new}` in {rel}"
    )
    if fragments:
        say(f"{prefix}fold {len(fragments)} news fragment(s) into {rel}/CHANGELOG.md:")
        for fragment in fragments:
            say(f"  {fragment.relative_to(root)}")
    else:
        say(f"no news fragments in {rel}/newsfragments: the entry says 'No significant changes.'")

    if dry_run:
        say(f"\nchangelog entry for {dist} {new}:")
        say(towncrier(package, new, today, draft=True).rstrip())
        say("\ndry run: nothing was changed")
        return new

    before = package.version_file.read_bytes()
    try:
        old = package.set_version(new)
        if old != current:
            raise RuntimeError(f"hatch version read {old} for {dist}, the file says {current}")
        towncrier(package, new, today, draft=False)
    except RuntimeError:
        package.version_file.write_bytes(before)
        raise
    broken = check_requirements.problems(root)
    for message in broken:
        say(f"warning: {message}")
    say("\nnext steps:")
    say(f'  git add {rel} && git commit -m "Release {dist} {new}" -- {rel}')
    say(f"  git tag {dist}-{new}")
    say(f"  hatch run release:build {dist}")
    return new


def main(argv: list[str] | None = None) -> int:
    """Parse the command line, run it, and return the exit status."""
    parser = argparse.ArgumentParser(prog="release", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    bump_parser = commands.add_parser("bump", help="set the next version and build the changelog")
    bump_parser.add_argument("dist", help="distribution to release, e.g. txaio-core")
    bump_parser.add_argument("--dry-run", action="store_true", help="show, change nothing")
    bump_parser.add_argument(
        "--date",
        type=date.fromisoformat,
        default=None,
        help="release date YYYY-MM-DD (default: today)",
    )
    args = parser.parse_args(argv)
    try:
        bump(args.dist, today=args.date or date.today(), dry_run=args.dry_run)
    except (KeyError, ValueError, RuntimeError) as error:
        print(f"error: {error.args[0] if error.args else error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
