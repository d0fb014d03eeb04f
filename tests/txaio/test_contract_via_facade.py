"""The contract tests, run through the ``txaio`` facade once per framework.

A process can select only one framework, so each run is its own pytest process;
the harnesses then hand the tests the ``txaio`` module instead of the backend.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.txaio._subprocess import FRAMEWORKS

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_contract_suite_passes_through_the_facade(framework: str) -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "tests/contract",
            "-k",
            framework,
            "-p",
            "no:cacheprovider",
            "-q",
        ],
        cwd=ROOT,
        env={**os.environ, "TXAIO_CONTRACT_VIA_FACADE": framework},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout[-6000:] + done.stderr[-3000:]
    assert " passed" in done.stdout, done.stdout[-2000:]
