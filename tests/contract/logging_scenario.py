"""Running a logging scenario in a fresh interpreter, on the harness's backend and API.

``start_logging`` changes process-wide state for good (Twisted's global log
beginner, stdlib logging's handlers), so contract tests that start logging run
their scenario in a new interpreter, through the same API (backend module or
facade) as the harness.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

from tests.support.harness import Harness

__all__ = ["run_scenario"]

_PREAMBLE = """\
import io, json, sys
if {facade!r}:
    import txaio as api
    api.use_{name}()
else:
    import importlib
    api = importlib.import_module("txaio_{name}")
result = {{}}
"""

_EPILOGUE = """
with open({path!r}, "w", encoding="utf-8") as results_file:
    json.dump(result, results_file)
"""


def run_scenario(harness: Harness, tmp_path: Path, body: str) -> dict[str, Any]:
    """Run ``body`` in a new interpreter with ``api`` like the harness's; return ``result``."""
    results = tmp_path / "result.json"
    facade = harness.api.__name__ == "txaio"
    script = (
        _PREAMBLE.format(facade=facade, name=harness.name)
        + textwrap.dedent(body)
        + _EPILOGUE.format(path=str(results))
    )
    completed = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    loaded: dict[str, Any] = json.loads(results.read_text(encoding="utf-8"))
    loaded["stderr"] = completed.stderr
    return loaded
