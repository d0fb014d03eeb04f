"""The benchmarks chart: the results file's schema is enforced, the bars show its figures."""

from __future__ import annotations

import copy
import importlib.util
import sys
import xml.etree.ElementTree as ElementTree
from types import ModuleType
from typing import Any

import pytest

from tests.docs.pages import REPOSITORY

# Documentation checks: the matrix runs them on its first entry only.
pytestmark = pytest.mark.docs


def _load_chart_module() -> ModuleType:
    path = REPOSITORY / "docs" / "_ext" / "benchmark_chart.py"
    spec = importlib.util.spec_from_file_location("benchmark_chart", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


chart = _load_chart_module()
SVG = "{http://www.w3.org/2000/svg}"

SAMPLE: dict[str, Any] = {
    "generated": "2026-12-01T12:00:00Z",
    "python": "3.12.8",
    "implementation": "CPython",
    "original": "26.6.1",
    "machine": "a test machine",
    "results": [
        {"benchmark": "future_cycle", "framework": "asyncio", "unit": "ns",
         "ours": 500.0, "original": 1000.0, "bare": 250.0},
        {"benchmark": "import", "framework": "asyncio", "unit": "ns",
         "ours": 2e7, "original": None, "bare": None},
        {"benchmark": "future_cycle", "framework": "twisted", "unit": "ns",
         "ours": 800.0, "original": 1600.0, "bare": None},
    ],
}  # fmt: skip


def bars(svg: str) -> list[tuple[str, float]]:
    """Return (tooltip, width) of each bar of the chart, the legend's squares left out."""
    root = ElementTree.fromstring(svg)
    found = []
    for rect in root.iter(f"{SVG}rect"):
        title = rect.find(f"{SVG}title")
        if title is not None:
            found.append((title.text or "", float(rect.attrib["width"])))
    return found


def test_each_figure_is_one_bar_scaled_to_the_longest_of_its_benchmark() -> None:
    report = chart.load(SAMPLE)
    drawn = bars(chart.svg(report, "asyncio"))
    assert [title.split(":")[0] for title, _ in drawn] == ["ours", "original", "bare", "ours"]
    (_, ours), (_, original), (_, bare), (_, alone) = drawn
    assert ours == pytest.approx(original / 2)
    assert bare == pytest.approx(original / 4)
    assert alone == pytest.approx(original)  # a benchmark's longest bar is full length
    assert "(ours 0.50" in drawn[1][0]


def test_each_framework_gets_its_own_chart_and_the_table_has_every_row() -> None:
    report = chart.load(SAMPLE)
    assert report.frameworks() == ["asyncio", "twisted"]
    assert len(bars(chart.svg(report, "twisted"))) == 2
    table = chart.table(report)
    assert len(table) == 2 + len(SAMPLE["results"])
    assert "| future_cycle | twisted | 800 ns | 1.6 µs |" in table[-1]


@pytest.mark.parametrize(
    ("change", "complaint"),
    [
        (lambda data: data.pop("machine"), "machine"),
        (lambda data: data["results"][0].update(unit="ms"), "unit"),
        (lambda data: data["results"][0].update(framework="trio"), "framework"),
        (lambda data: data["results"][0].update(ours=-1), "ours"),
        (lambda data: data["results"][0].update(original="fast"), "original"),
        (lambda data: data["results"].clear(), "empty"),
    ],
)
def test_a_file_off_the_schema_is_refused_with_what_is_wrong(change: Any, complaint: str) -> None:
    data = copy.deepcopy(SAMPLE)
    change(data)
    with pytest.raises((ValueError, KeyError), match=complaint):
        chart.load(data)
