"""The directives of the txaio site, and a check that the reference is complete.

- ``txaio-api NAME``: the reference entry of one API name of ``txaio`` that a
  backend provides: the portable signature and summary from the contract
  (``txaio_core.contract.Backend``), then what it does on asyncio and on
  Twisted, from each backend's own docstring.
- ``txaio-design-section HEADING``: one section of ``docs/design.md``, so that
  a page can show it without copying it.
- ``txaio-news-draft PACKAGE``: the unreleased news fragments of a package,
  grouped by type, as its next changelog entry will list them.
- ``txaio-benchmark-chart``: the chart and the table of ``benchmarks/results.json``.

At the end of reading, every name in the ``__all__`` of the modules listed in
:data:`DOCUMENTED_MODULES` must be described somewhere; a missing one is a
warning (an error in ``hatch run docs:build``).
"""

from __future__ import annotations

import importlib
import inspect
import json
import re
import sys
from pathlib import Path
from typing import Any, ClassVar

import benchmark_chart
from docutils import nodes
from docutils.statemachine import StringList
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

REPOSITORY = Path(__file__).resolve().parents[2]
DESIGN = REPOSITORY / "docs" / "design.md"
RESULTS = REPOSITORY / "benchmarks" / "results.json"

#: Modules whose whole ``__all__`` the reference must describe.
DOCUMENTED_MODULES = ("txaio", "txaio.testutil", "txaio.interfaces", "txaio_core")

BACKENDS = (("asyncio", "txaio_asyncio"), ("Twisted", "txaio_twisted"))

logger = logging.getLogger(__name__)


def _docstring(obj: object) -> list[str]:
    text = inspect.getdoc(obj)
    return text.splitlines() if text else []


def _portable_signature(name: str) -> str:
    """Return ``name``'s parameters as the contract declares them, defaults from asyncio."""
    from txaio_core.contract import Backend

    declared = inspect.signature(getattr(Backend, name))
    implementation = getattr(importlib.import_module("txaio_asyncio"), name)
    parts = []
    for parameter in list(declared.parameters.values())[1:]:  # without ``self``
        text = parameter.name
        if parameter.kind is parameter.VAR_POSITIONAL:
            text = "*" + text
        elif parameter.kind is parameter.VAR_KEYWORD:
            text = "**" + text
        elif parameter.default is not parameter.empty:
            default = inspect.signature(implementation).parameters[parameter.name].default
            text += f"={'<unset>' if repr(default) == '<unset>' else repr(default)}"
        parts.append(text)
    return f"{name}({', '.join(parts)})"


class ApiEntry(SphinxDirective):
    """Describe one backend-provided name of ``txaio``."""

    required_arguments = 1
    has_content = False

    def run(self) -> list[nodes.Node]:
        """Return the nodes of the entry; raise an error for an unknown name."""
        from txaio_core.contract import Backend

        name = self.arguments[0]
        if name not in Backend.__annotations__ and not callable(getattr(Backend, name, None)):
            raise self.error(f"{name!r} is not declared by txaio_core.contract.Backend")
        backends = {label: importlib.import_module(module) for label, module in BACKENDS}
        member = getattr(Backend, name, None)
        lines: list[str] = []
        if callable(member) and not isinstance(member, type):
            lines += [f".. py:function:: {_portable_signature(name)}", "   :module: txaio", ""]
            summary = _docstring(member)
        else:
            kind = "class" if name.startswith("I") else "data"
            lines += [f".. py:{kind}:: {name}", "   :module: txaio", ""]
            summary = []
        lines += [f"   {line}" for line in summary] + [""]
        for label, module in backends.items():
            obj = getattr(module, name)
            if isinstance(obj, type) and name.startswith("I"):
                body = [
                    f"The class :class:`txaio_core.{name}` (``{module.__name__}.{name}``).",
                ]
            elif isinstance(obj, bool):
                body = [f"``{obj}``"]
            else:
                body = _docstring(obj if callable(obj) else type(obj))
            lines += [f"   .. rubric:: On {label} (``{module.__name__}``)", ""]
            lines += [f"   {line}" for line in body] + [""]
        return self.parse_rst(lines)

    def parse_rst(self, lines: list[str]) -> list[nodes.Node]:
        """Return the nodes of ``lines`` parsed as reStructuredText."""
        container = nodes.container()
        self.state.nested_parse(
            StringList(lines, source=f"<txaio-api {self.arguments[0]}>"), 0, container
        )
        return list(container.children)


def _section(markdown: str, heading: str) -> list[str]:
    """Return the lines of the section whose heading starts with ``heading``, without it."""
    lines = markdown.splitlines()
    for index, line in enumerate(lines):
        match = re.match(r"(#+) (.*)", line)
        if match and match.group(2).startswith(heading):
            level = len(match.group(1))
            body: list[str] = []
            for following in lines[index + 1 :]:
                deeper = re.match(r"(#+) ", following)
                if deeper and len(deeper.group(1)) <= level:
                    break
                body.append(following)
            return body
    raise ValueError(f"docs/design.md has no section whose heading starts with {heading!r}")


class DesignSection(SphinxDirective):
    """Show one section of docs/design.md (parsed as Markdown)."""

    required_arguments = 1
    final_argument_whitespace = True

    def run(self) -> list[nodes.Node]:
        """Return the section's nodes; raise an error when the section is missing."""
        self.env.note_dependency(str(DESIGN))
        try:
            body = _section(DESIGN.read_text(encoding="utf-8"), self.arguments[0])
        except ValueError as missing:
            raise self.error(str(missing)) from None
        container = nodes.container()
        self.state.nested_parse(StringList(body, source=str(DESIGN)), 0, container)
        return list(container.children)


def news_draft(package: Path) -> list[str]:
    """Return Markdown lines listing ``package``'s unreleased news fragments by type.

    Types come from the package's ``[tool.towncrier]`` settings, in their order;
    a type with ``showcontent = false`` is counted, not quoted, as in a release.
    """
    settings = tomllib.loads((package / "pyproject.toml").read_text(encoding="utf-8"))
    towncrier: dict[str, Any] = settings["tool"]["towncrier"]
    folder = package / towncrier.get("directory", "newsfragments")
    fragments = sorted(path for path in folder.glob("*.md") if path.is_file())
    lines: list[str] = []
    for kind in towncrier["type"]:
        mine = [path for path in fragments if kind["directory"] in path.name.split(".")[1:-1]]
        if not mine:
            continue
        lines += [f"**{kind['name']}**", ""]
        if not kind.get("showcontent", True):
            lines += [f"- {len(mine)} change(s) not listed one by one.", ""]
            continue
        for path in mine:
            text = path.read_text(encoding="utf-8").strip().splitlines()
            lines.append(f"- {text[0]}")
            lines += [f"  {line}" if line else "" for line in text[1:]]
        lines.append("")
    return lines or ["No unreleased changes."]


class NewsDraft(SphinxDirective):
    """List a package's unreleased news fragments."""

    required_arguments = 1

    def run(self) -> list[nodes.Node]:
        """Return the draft's nodes."""
        package = REPOSITORY / self.arguments[0]
        if not (package / "pyproject.toml").is_file():
            raise self.error(f"{self.arguments[0]} is not a package folder")
        self.env.note_dependency(str(package / "pyproject.toml"))
        container = nodes.container()
        self.state.nested_parse(StringList(news_draft(package)), 0, container)
        return list(container.children)


class BenchmarkChart(SphinxDirective):
    """Draw benchmarks/results.json: an SVG chart per framework, then the table."""

    option_spec: ClassVar[dict[str, Any]] = {}

    def run(self) -> list[nodes.Node]:
        """Return the chart and table nodes; stop the build if the file is missing or bad."""
        self.env.note_dependency(str(RESULTS))
        if not RESULTS.is_file():
            return self.refuse(
                f"{RESULTS.relative_to(REPOSITORY)} is missing: the benchmarks page draws it. "
                "Write it with `hatch run bench:compare` and commit it (the docs build runs "
                "no benchmark)."
            )
        try:
            report = benchmark_chart.load(json.loads(RESULTS.read_text(encoding="utf-8")))
        except (ValueError, KeyError, TypeError) as bad:
            return self.refuse(
                f"{RESULTS.relative_to(REPOSITORY)} does not follow the schema that "
                f"`hatch run bench:compare` writes: {bad!r}"
            )
        result: list[nodes.Node] = [nodes.paragraph(text=benchmark_chart.describe(report))]
        for framework in report.frameworks():
            svg = benchmark_chart.svg(report, framework)
            result.append(nodes.raw("", svg, format="html"))
        container = nodes.container()
        self.state.nested_parse(StringList(benchmark_chart.table(report)), 0, container)
        return result + list(container.children)

    def refuse(self, message: str) -> list[nodes.Node]:
        """Report ``message`` as an error (the build fails) and return no nodes."""
        logger.error(message, location=self.get_location())
        return []


def check_reference(app: Sphinx, env: BuildEnvironment) -> None:
    """Warn about every name of a documented module's ``__all__`` that no page describes."""
    described = set(env.get_domain("py").objects)  # type: ignore[attr-defined]
    for module_name in DOCUMENTED_MODULES:
        module = importlib.import_module(module_name)
        for name in module.__all__:
            if f"{module_name}.{name}" not in described:
                logger.warning(
                    "the API reference does not describe %s.%s (it is in %s.__all__)",
                    module_name,
                    name,
                    module_name,
                )


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the directives and the completeness check; return the metadata."""
    app.add_directive("txaio-api", ApiEntry)
    app.add_directive("txaio-design-section", DesignSection)
    app.add_directive("txaio-news-draft", NewsDraft)
    app.add_directive("txaio-benchmark-chart", BenchmarkChart)
    app.connect("env-check-consistency", check_reference)
    sys.modules.setdefault("txaio_docs", sys.modules[__name__])
    return {"parallel_read_safe": True, "parallel_write_safe": True}
