"""The API reference describes every public name, and nothing that is not one.

The reference pages list names explicitly (grouped by topic), so a name added
to an ``__all__`` without an entry fails here; the docs build checks the same
for the rendered site (``docs/_ext/txaio_docs.py``, a warning, so an error).
"""

from __future__ import annotations

import inspect
import re
from collections import Counter
from pathlib import Path

import pytest

import txaio
import txaio.interfaces
import txaio.testutil
import txaio_core
from tests.docs.pages import REPOSITORY

# Documentation checks: the matrix runs them on its first entry only.
pytestmark = pytest.mark.docs

API = REPOSITORY / "docs" / "api"


def directives(page: Path, *kinds: str) -> list[str]:
    """Return the arguments of the ``.. KIND:: NAME`` directives of ``page``, in order."""
    pattern = re.compile(rf"^\.\. (?:{'|'.join(map(re.escape, kinds))}):: (\S+)\s*$", re.M)
    return pattern.findall(page.read_text(encoding="utf-8"))


def test_the_txaio_page_has_one_entry_per_name_of_txaio_all() -> None:
    names = directives(API / "txaio.rst", "txaio-api", "autofunction")
    assert [name for name, count in Counter(names).items() if count > 1] == []
    assert sorted(names) == sorted(txaio.__all__)


def test_the_interfaces_page_has_one_entry_per_name_of_its_all() -> None:
    names = directives(API / "interfaces.rst", "py:class", "py:data")
    assert sorted(names) == sorted(txaio.interfaces.__all__)


def test_the_testutil_page_documents_the_module_and_its_members() -> None:
    page = (API / "testutil.rst").read_text(encoding="utf-8")
    assert ".. automodule:: txaio.testutil\n   :members:" in page
    assert all(inspect.getdoc(getattr(txaio.testutil, name)) for name in txaio.testutil.__all__)


def test_the_core_page_documents_txaio_core_all() -> None:
    page = (API / "core.rst").read_text(encoding="utf-8")
    assert ".. automodule:: txaio_core\n   :members:\n   :imported-members:" in page
    # autodoc describes the classes and functions of __all__ from their
    # docstrings; plain values have none there, so the page describes each.
    values = sorted(
        name
        for name in txaio_core.__all__
        if not (inspect.isclass(getattr(txaio_core, name)) or callable(getattr(txaio_core, name)))
    )
    assert sorted(directives(API / "core.rst", "py:data")) == values
    undocumented = [
        name
        for name in txaio_core.__all__
        if name not in values and not inspect.getdoc(getattr(txaio_core, name))
    ]
    assert undocumented == []
