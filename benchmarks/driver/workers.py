"""The driver's side of the worker protocol of ``suite.py --serve``.

The worker prints one JSON line when ready (``{"ready": true, "about": {...}}``
or ``{"error": "..."}``), then answers each request line
``{"bench", "n", "reps", "cancel_budget_ns", "cancel_cap"?}`` with one line:
``{"reps": [{"ops", "ns", "segments"} or {"ops", "bytes"}, ...]}``, or
``{"error": traceback}``, or ``{"skipped": reason}`` when the interpreter cannot
take that measurement (tracemalloc on PyPy).
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import subprocess
from pathlib import Path
from typing import Any

from driver.callgrind import Callgrind, CallgrindError

HERE = Path(__file__).resolve().parents[1]
SUITE = HERE / "suite.py"


class BenchmarkError(Exception):
    """A worker failed to start, crashed, or a benchmark raised."""


class BenchmarkSkipped(Exception):
    """The worker cannot take this measurement on its interpreter; the reason is the message."""


def child_env() -> dict[str, str]:
    """Return the environment of a worker: ours removed, fixed hashing."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["PYTHONHASHSEED"] = "0"  # fixed hashing: identical instruction counts run to run
    return env


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
            env=child_env(),
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
        """Run ``bench`` and return its figure per operation for each repetition.

        Raises BenchmarkError when the benchmark fails, BenchmarkSkipped when
        the worker cannot take it.
        """
        assert self.proc.stdin is not None
        request = {"bench": bench, "n": n, "reps": reps, **options}
        self.proc.stdin.write(json.dumps(request) + "\n")
        self.proc.stdin.flush()
        reply = self._read()
        if "error" in reply:
            raise BenchmarkError(f"{self.side}/{self.framework} {bench}:\n{reply['error']}")
        if "skipped" in reply:
            raise BenchmarkSkipped(str(reply["skipped"]))
        try:
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
        except CallgrindError as error:
            raise BenchmarkError(f"{self.side}/{self.framework} {bench}: {error}") from error
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
