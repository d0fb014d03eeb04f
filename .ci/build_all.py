"""Build the sdist and the wheel of every distribution (8 artefacts) into one folder.

Usage: ``python .ci/build_all.py [--outdir DIR] [--check] [DIST ...]``
(``hatch run release:build``). Each package is built with
``python -m build --no-isolation``: the sdist first, then the wheel from the
unpacked sdist, so every build also proves that the sdist rebuilds. Needs
only hatchling and build installed, no network. ``--check`` then runs
``twine check --strict`` on every artefact and ``check-wheel-contents`` on
the wheels. Earlier artefacts of the built distributions in DIR are removed
first; other files are left alone.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

from monorepo import ROOT, get_package, packages


def artefact_stem(dist: str) -> str:
    """Return the file name prefix of ``dist``'s artefacts (``txaio-core`` -> ``txaio_core-``)."""
    return dist.replace("-", "_") + "-"


def build(dists: list[str], outdir: Path) -> list[Path]:
    """Build each of ``dists`` into ``outdir`` and return the artefacts made, sdists first.

    Raises RuntimeError with the build's output when a build fails.
    """
    outdir.mkdir(parents=True, exist_ok=True)
    made: list[Path] = []
    for dist in dists:
        package = get_package(dist)
        for old in outdir.glob(artefact_stem(dist) + "*"):
            if old.name.endswith((".whl", ".tar.gz")):
                old.unlink()
        command = [sys.executable, "-m", "build", "--no-isolation", "--outdir", str(outdir)]
        done = subprocess.run(
            [*command, str(package.folder)], capture_output=True, text=True, check=False
        )
        if done.returncode != 0:
            raise RuntimeError(f"building {dist} failed:\n{done.stdout}{done.stderr}")
        made += sorted(outdir.glob(artefact_stem(dist) + "*.tar.gz"))
        made += sorted(outdir.glob(artefact_stem(dist) + "*.whl"))
    return made


def check(artefacts: list[Path]) -> None:
    """Run twine check --strict on all and check-wheel-contents on the wheels.

    Raises subprocess.CalledProcessError when a check fails (its output is shown).
    """
    subprocess.run(
        [sys.executable, "-m", "twine", "check", "--strict", *map(str, artefacts)], check=True
    )
    wheels = [str(a) for a in artefacts if a.suffix == ".whl"]
    subprocess.run([sys.executable, "-m", "check_wheel_contents", *wheels], check=True)


def main(argv: list[str] | None = None) -> int:
    """Parse the command line, build, optionally check, and return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("dists", nargs="*", help="distributions to build (default: all four)")
    parser.add_argument("--outdir", type=Path, default=ROOT / "dist", help="default: dist/")
    parser.add_argument("--check", action="store_true", help="run twine and check-wheel-contents")
    args = parser.parse_args(argv)
    dists = args.dists or list(packages())
    started = time.monotonic()
    try:
        made = build(dists, args.outdir.resolve())
        if args.check:
            check(made)
    except (KeyError, RuntimeError, subprocess.CalledProcessError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    for artefact in made:
        print(artefact)
    print(f"built {len(made)} artefacts in {time.monotonic() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
