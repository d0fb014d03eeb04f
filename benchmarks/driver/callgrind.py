"""Instruction counts: the valgrind prefix for a worker and the reading of its dumps.

A worker marks each measured section with ``os.getpgrp()`` (callgrind zeroes
its counters there) and ``os.getppid()`` (callgrind dumps them), so dump *k*
holds the instructions of the *k*-th measured section.
"""

from __future__ import annotations

import contextlib
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path


class CallgrindError(Exception):
    """A dump is missing, unreadable, or there is one more than measured sections."""


def instructions(path: Path) -> int:
    """Return the instruction count of one callgrind dump.

    Raises CallgrindError when the dump is missing or has no count.
    """
    try:
        text = path.read_text()
    except OSError as error:
        raise CallgrindError(f"callgrind dump missing: {path}") from error
    for line in text.splitlines():
        if line.startswith(("summary:", "totals:")):
            return int(line.split()[1])
    raise CallgrindError(f"no instruction count in {path}")


class Callgrind:
    """Where one process's counter dumps go, and how to read them in order."""

    def __init__(self, directory: Path, label: str) -> None:
        self.out = directory / f"callgrind.{label}.out"
        self.seen = 0

    def command(self) -> list[str]:
        """Return the valgrind prefix that zeroes at getpgrp() and dumps at getppid()."""
        return [
            "valgrind",
            "--tool=callgrind",
            f"--callgrind-out-file={self.out}",
            "--zero-before=getpgrp",
            "--dump-before=getppid",
        ]

    def first_dump(self) -> Path:
        """Return the path of the first dump."""
        return Path(f"{self.out}.1")

    def take(self, segments: int) -> int:
        """Return the instructions of the next ``segments`` dumps."""
        total = 0
        for _ in range(segments):
            self.seen += 1
            total += instructions(Path(f"{self.out}.{self.seen}"))
        return total

    def check_all_taken(self) -> None:
        """Raise CallgrindError when there are more dumps than measured sections."""
        if Path(f"{self.out}.{self.seen + 1}").exists():
            raise CallgrindError("unexpected callgrind dump: something else called getppid()")


@contextlib.contextmanager
def callgrind_dir(enabled: bool) -> Iterator[Path | None]:
    """Yield a scratch folder for dumps when ``enabled``, else None.

    Exits with an installation hint when valgrind is absent.
    """
    if not enabled:
        yield None
        return
    if shutil.which("valgrind") is None:
        raise SystemExit(
            "--callgrind needs valgrind, which is not installed.\n"
            "On Debian or Ubuntu: apt-get install valgrind"
        )
    with tempfile.TemporaryDirectory(prefix="txaio-callgrind-") as directory:
        yield Path(directory)
