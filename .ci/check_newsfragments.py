"""Check that every changed package comes with a news fragment of its own.

Two steps: git says which packages changed (a file under
``packages/<dist>/src/`` other than its version file, or under its fragment
folder); then ``towncrier check``, with that package's configuration, says
whether the comparison adds a fragment to that package's folder and whether
every fragment there has a name towncrier knows. A fragment in another
package does not count; a release changing only the version file needs none.

Usage: ``python .ci/check_newsfragments.py [--base REF]``. The comparison is
from the merge base of REF and HEAD to HEAD; REF defaults to ``origin/main``
when it exists, else ``main``. Exit status 1 when a package fails its check,
2 when git cannot make the comparison.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path, PurePosixPath

from monorepo import ROOT, Package, packages


def _git(root: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=False)
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


def merge_base(base: str, root: Path = ROOT) -> str:
    """Return the commit where HEAD left ``base``.

    Raises RuntimeError naming ``base`` when git cannot resolve it.
    """
    return _git(root, "merge-base", base, "HEAD").strip()


def changed_files(since: str, root: Path = ROOT) -> list[PurePosixPath]:
    """Return the repository-relative paths that differ between ``since`` and HEAD.

    Raises RuntimeError when git cannot compare.
    """
    listing = _git(root, "diff", "--name-only", "--no-renames", since, "HEAD")
    return [PurePosixPath(line) for line in listing.splitlines() if line]


def _relative(path: Path, root: Path) -> PurePosixPath:
    return PurePosixPath(path.relative_to(root).as_posix())


def changed_packages(
    files: list[PurePosixPath], known: dict[str, Package], root: Path = ROOT
) -> dict[str, list[PurePosixPath]]:
    """Return, per package that needs a check, its changed files (sources first).

    A package needs a check when a file under its ``src/`` other than its
    version file changed, or a fragment was added or changed in its folder
    (a fragment removed by a release needs no check of its own).
    """
    result: dict[str, list[PurePosixPath]] = {}
    for dist, package in known.items():
        src = _relative(package.folder / "src", root)
        fragments = _relative(package.fragments_dir, root)
        version_file = _relative(package.version_file, root)
        sources = [f for f in files if src in f.parents and f != version_file]
        news = [f for f in files if f.parent == fragments and (root / f).exists()]
        if sources or news:
            result[dist] = sources + news
    return result


def towncrier_check(package: Package, since: str, root: Path = ROOT) -> str | None:
    """Run ``towncrier check`` for ``package`` against ``since``; return None or why it failed."""
    # From the repository root: towncrier resolves git's root-relative paths
    # against its working directory, and reads the package's config via --dir.
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "towncrier",
            "check",
            "--compare-with",
            since,
            "--dir",
            package.folder,
        ],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode == 0:
        return None
    errors = [line for line in done.stderr.splitlines() if line.startswith("Error: ")]
    if errors:
        return errors[0].removeprefix("Error: ")
    said = [line for line in (done.stdout + done.stderr).splitlines() if line.strip()]
    return said[-1] if said else f"exit status {done.returncode}"


def problems(base: str, known: dict[str, Package], root: Path = ROOT) -> list[str]:
    """Return one message per changed package whose ``towncrier check`` fails.

    Raises RuntimeError when git cannot compare with ``base``.
    """
    since = merge_base(base, root)
    messages: list[str] = []
    for dist, changed in changed_packages(changed_files(since, root), known, root).items():
        package = known[dist]
        reason = towncrier_check(package, since, root)
        if reason is None:
            continue
        listed = ", ".join(str(path) for path in changed[:3])
        more = f" and {len(changed) - 3} more" if len(changed) > 3 else ""
        fragments = _relative(package.fragments_dir, root)
        messages.append(
            f"{dist}: {listed}{more} changed; towncrier check: {reason} "
            f"A change needs a news fragment {fragments}/<name>.<type>.md "
            f"(type: {', '.join(package.fragment_types)})"
        )
    return messages


def main(argv: list[str] | None = None) -> int:
    """Parse the command line, run the check, print the outcome and return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", default=None, help="ref to compare with (default: main)")
    args = parser.parse_args(argv)
    base = args.base or default_base()
    try:
        found = problems(base, packages())
    except RuntimeError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    for message in found:
        print(f"error: {message}", file=sys.stderr)
    if found:
        return 1
    print(f"news fragments: every package changed since {base} has its own")
    return 0


if __name__ == "__main__":
    sys.exit(main())
