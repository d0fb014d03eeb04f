"""Running a snippet in a fresh interpreter: a process can select only one framework."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest


def run_snippet(code: str, *, env: dict[str, str] | None = None) -> str:
    """Run ``code`` in a fresh interpreter; return its stdout, failing the test if it fails."""
    done = subprocess.run(
        [sys.executable, "-W", "error", "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=120,
    )
    if done.returncode != 0:
        pytest.fail(f"snippet failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    return done.stdout


def twisted_installed() -> bool:
    """Return whether Twisted and the Twisted backend can be imported here."""
    try:
        import twisted  # noqa: F401
        import txaio_twisted  # noqa: F401
    except ImportError:
        return False
    return True


needs_twisted = pytest.mark.skipif(
    not twisted_installed(), reason="needs Twisted and txaio-twisted"
)

#: The frameworks available here, for parametrising tests over them.
FRAMEWORKS = [
    "asyncio",
    pytest.param("twisted", marks=needs_twisted),
]
