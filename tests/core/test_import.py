"""txaio_core stands alone: importing it pulls in no framework."""

import subprocess
import sys
from pathlib import Path


def test_import_core_imports_no_framework() -> None:
    code = (
        "import sys, txaio_core\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] in ('asyncio', 'twisted'))\n"
        "print(','.join(loaded))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_every_public_name_comes_from_its_public_module() -> None:
    # txaio_core imports each name of __all__ on first use; mypy reads the
    # `if TYPE_CHECKING:` imports instead, so both must name the same objects.
    import ast
    import importlib

    import txaio_core

    tree = ast.parse(Path(txaio_core.__file__).read_text(encoding="utf-8"))
    (block,) = (
        node
        for node in tree.body
        if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING"
    )
    typed = {
        alias.asname or alias.name: f"{node.module}.{alias.name}"
        for node in block.body
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
    }
    assert sorted(typed) == sorted(txaio_core.__all__)
    for name, where in typed.items():
        module, _, attribute = where.rpartition(".")
        assert getattr(txaio_core, name) is getattr(importlib.import_module(module), attribute)
    namespace: dict[str, object] = {}
    exec("from txaio_core import *", namespace)
    assert set(namespace) - {"__builtins__"} == set(txaio_core.__all__)
