"""Sphinx configuration of the txaio documentation site (``hatch run docs:build``).

The build needs no network: references to the Python standard library and to
Twisted are resolved from a short committed table (``_ext/external_refs.py``)
instead of downloaded intersphinx inventories.
"""

from __future__ import annotations

import sys
from importlib.metadata import version as _version
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE / "_ext"))

project = "txaio"
author = "The txaio monorepo authors"
copyright = "the txaio monorepo authors"
release = _version("txaio")
version = release

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "external_refs",
    "txaio_docs",
]

source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
root_doc = "index"
exclude_patterns = ["_build", "_ext", "Thumbs.db", ".DS_Store"]

myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3

nitpicky = True
# Names in the backends' docstrings that the reference documents under the
# ``txaio`` name or not at all (backend internals); rendered as plain text.
nitpick_ignore = [
    ("py:func", "check_loop"),
    ("py:meth", "current_loop"),
    ("py:class", "Logger"),
    ("py:class", "AnyFailure"),
    ("py:attr", "loop"),
    # The protocol of what BatchedTimer's ``schedule`` returns; not re-exported.
    ("py:class", "txaio_core.batched_timer.Cancellable"),
]
# Private names (``_Bucket``, a ``_Loop`` type variable, ``_make_emitter``) show
# up in signatures and docstrings of public objects; they are not documented.
nitpick_ignore_regex = [(r"py:.*", r"(.*\.)?_[A-Za-z]\w*")]

autodoc_member_order = "bysource"
autodoc_typehints = "signature"
autodoc_typehints_format = "short"
autodoc_preserve_defaults = True

html_theme = "furo"
html_title = f"txaio {release}"
html_static_path: list[str] = []
html_show_sourcelink = False
