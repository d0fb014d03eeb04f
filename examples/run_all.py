"""Run every example on asyncio and on Twisted and show that they print the same lines.

    python examples/run_all.py              # every example
    python examples/run_all.py gather ...   # only the examples named

Each example runs in its own process per framework (a process selects one
framework). Exits 1 if any example fails or prints differently on the two.
"""

from __future__ import annotations

import argparse
import difflib
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
FRAMEWORKS = ("asyncio", "twisted")


def examples(selected: list[str]) -> list[Path]:
    """Return the example scripts, all of them or those named in ``selected``."""
    found = sorted(
        path
        for path in HERE.glob("*.py")
        if not path.name.startswith("_") and path != Path(__file__).resolve()
    )
    if not selected:
        return found
    by_name = {path.stem: path for path in found}
    unknown = [name for name in selected if name.removesuffix(".py") not in by_name]
    if unknown:
        raise SystemExit(f"no such example: {', '.join(unknown)}; have: {', '.join(by_name)}")
    return [by_name[name.removesuffix(".py")] for name in selected]


def run_example(path: Path, framework: str) -> subprocess.CompletedProcess[str]:
    """Run one example on one framework and return the finished process."""
    return subprocess.run(
        [sys.executable, str(path), "--framework", framework],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=HERE,
    )


def main(argv: list[str] | None = None) -> int:
    """Run the examples; return 0 when every one succeeded with identical output."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("example", nargs="*", help="names of examples to run (default: all)")
    chosen = examples(parser.parse_args(argv).example)
    identical = 0
    for path in chosen:
        runs = {framework: run_example(path, framework) for framework in FRAMEWORKS}
        outputs = {framework: done.stdout for framework, done in runs.items()}
        failed = [framework for framework, done in runs.items() if done.returncode != 0]
        same = not failed and outputs["asyncio"] == outputs["twisted"]
        verdict = "same output on asyncio and twisted" if same else "DIFFERENT"
        print(f"=== {path.name}: {verdict}")
        if same:
            identical += 1
            print(_indent(outputs["asyncio"]))
            continue
        for framework in failed:
            done = runs[framework]
            print(f"--- {framework} exited with {done.returncode}; its stderr:")
            print(_indent(done.stderr))
        diff = difflib.unified_diff(
            outputs["asyncio"].splitlines(),
            outputs["twisted"].splitlines(),
            "asyncio",
            "twisted",
            lineterm="",
        )
        print(_indent("\n".join(diff)))
    print(f"identical on asyncio and twisted: {identical}/{len(chosen)} examples")
    return 0 if identical == len(chosen) else 1


def _indent(text: str) -> str:
    return "\n".join(f"    {line}" for line in text.rstrip("\n").splitlines())


if __name__ == "__main__":
    sys.exit(main())
