"""txaio_core stands alone: importing it pulls in no framework."""

import subprocess
import sys


def test_import_core_imports_no_framework() -> None:
    code = (
        "import sys, txaio_core\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] in ('asyncio', 'twisted'))\n"
        "print(','.join(loaded))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
