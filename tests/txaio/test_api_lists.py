"""Every list of API names kept beside the contract, for mypy's sake, matches the contract.

The one list is :class:`txaio_core.contract.Backend` (``BACKEND_NAMES`` is read
off it). What must also be written out, because mypy reads no computed list:

- ``txaio.__all__``: tests/txaio/test_selection.py (the original's names and order, and
  exactly the contract's names plus the two selectors);
- the facade's ``if TYPE_CHECKING:`` bindings: here;
- each backend's ``__all__`` and top-level names: tests/asyncio/test_module.py,
  tests/twisted/test_module.py (``assert_satisfies_contract``); its API object's
  methods: each backend's ``_contract_check.py``, checked by mypy.
"""

from __future__ import annotations

import ast
from pathlib import Path

import txaio
from txaio_core.contract import BACKEND_NAMES


def _type_checking_block(tree: ast.Module) -> ast.If:
    """The ``if TYPE_CHECKING:`` block that binds the API (the one defining ``_selected``)."""
    (block,) = (
        node
        for node in tree.body
        if isinstance(node, ast.If)
        and isinstance(node.test, ast.Name)
        and node.test.id == "TYPE_CHECKING"
        and "_selected" in ast.unparse(node)
    )
    return block


def _public_names_bound_in(block: ast.If) -> list[str]:
    names: list[str] = []
    for node in block.body:
        if isinstance(node, ast.Assign):
            names.extend(t.id for t in node.targets if isinstance(t, ast.Name))
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.append(node.target.id)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names.extend((a.asname or a.name).split(".")[0] for a in node.names)
    return [name for name in names if not name.startswith("_")]


def test_the_facades_static_bindings_are_the_contracts_names() -> None:
    tree = ast.parse(Path(txaio.__file__).read_text(encoding="utf-8"))
    bound = _public_names_bound_in(_type_checking_block(tree))
    assert len(bound) == len(set(bound)), "a name is bound twice"
    assert set(bound) == set(BACKEND_NAMES)
