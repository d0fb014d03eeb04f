"""Charts of ``benchmarks/results.json``: hand-written SVG, no plotting library.

``hatch run bench:compare`` writes the file; the docs build reads it with
:func:`load` and draws one chart per framework with :func:`svg`. Each
benchmark is a group of up to three bars, ours, the original txaio's and the
bare framework's time per operation, scaled to the longest of the group, so a
shorter bar is faster whatever the benchmark's own scale.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from typing import Any

FRAMEWORKS = ("asyncio", "twisted")
SERIES = (
    ("ours", "this txaio", "#1f77b4"),
    ("original", "txaio {original}", "#9a9a9a"),
    ("bare", "bare framework", "#e39b2d"),
)

WIDTH = 760
LABEL_WIDTH = 230
BAR_HEIGHT = 12
BAR_GAP = 2
GROUP_GAP = 14
FIGURE_WIDTH = 150
TIMES = "\u00d7"  # the multiplication sign of "0.62x"
NONE = "\u2013"  # an en dash: no figure


@dataclass(frozen=True)
class Row:
    """One benchmark on one framework: nanoseconds per operation."""

    benchmark: str
    framework: str
    ours: float
    original: float | None
    bare: float | None

    def value(self, series: str) -> float | None:
        """Return the figure of ``series`` (``ours``, ``original`` or ``bare``)."""
        figure: float | None = getattr(self, series)
        return figure


@dataclass(frozen=True)
class Report:
    """The whole results file."""

    generated: str
    python: str
    implementation: str
    original: str
    machine: str
    rows: tuple[Row, ...]

    def frameworks(self) -> list[str]:
        """Return the frameworks that have rows, asyncio first."""
        return [name for name in FRAMEWORKS if any(row.framework == name for row in self.rows)]


def _number(item: dict[str, Any], key: str, *, optional: bool) -> float | None:
    value = item[key]
    if value is None and optional:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
        raise ValueError(f"results[].{key} must be a positive number, not {value!r}")
    return float(value)


def load(data: Any) -> Report:
    """Return the :class:`Report` of the parsed JSON ``data``.

    Raises :class:`ValueError` (or :class:`KeyError` for a missing key) when
    ``data`` does not follow the schema ``hatch run bench:compare`` writes.
    """
    if not isinstance(data, dict):
        raise ValueError(f"the top level must be an object, not {type(data).__name__}")
    header = {
        key: data[key] for key in ("generated", "python", "implementation", "original", "machine")
    }
    for key, value in header.items():
        if not isinstance(value, str):
            raise ValueError(f"{key} must be a string, not {value!r}")
    rows = []
    for item in data["results"]:
        if item["framework"] not in FRAMEWORKS:
            raise ValueError(f"results[].framework must be one of {FRAMEWORKS}: {item!r}")
        if item["unit"] != "ns":
            raise ValueError(f"results[].unit must be 'ns', not {item['unit']!r}")
        ours = _number(item, "ours", optional=False)
        assert ours is not None
        rows.append(
            Row(
                str(item["benchmark"]),
                item["framework"],
                ours,
                _number(item, "original", optional=True),
                _number(item, "bare", optional=True),
            )
        )
    if not rows:
        raise ValueError("results is empty")
    return Report(rows=tuple(rows), **header)


def describe(report: Report) -> str:
    """Return one sentence saying where and when the figures were measured."""
    return (
        f"Measured {report.generated} on {report.machine}, {report.implementation} "
        f"{report.python}, against txaio {report.original}: time per operation, "
        "shorter is faster."
    )


def _figure(ns: float) -> str:
    if ns >= 1_000_000:
        return f"{ns / 1_000_000:.3g} ms"
    if ns >= 1_000:
        return f"{ns / 1_000:.3g} µs"
    return f"{ns:.3g} ns"


def _ratio(ours: float, other: float) -> str:
    """Return ``ours / other`` as ``0.62x``, with two significant digits when tiny."""
    ratio = ours / other
    return f"{ratio:.2f}{TIMES}" if ratio >= 0.1 else f"{ratio:.2g}{TIMES}"


def svg(report: Report, framework: str) -> str:
    """Return the SVG chart (a string) of ``report``'s rows for ``framework``."""
    rows = [row for row in report.rows if row.framework == framework]
    legend_height = 28
    group_heights = [
        sum(1 for key, _, _ in SERIES if row.value(key) is not None) * (BAR_HEIGHT + BAR_GAP)
        for row in rows
    ]
    height = legend_height + 24 + sum(group_heights) + GROUP_GAP * len(rows) + 8
    bar_room = WIDTH - LABEL_WIDTH - FIGURE_WIDTH
    title = f"txaio on {framework}: time per operation (shorter is faster)"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'width="100%" role="img" aria-label="{escape(title)}" '
        'font-family="sans-serif" font-size="12" fill="currentColor">',
        f"<title>{escape(title)}</title>",
        f'<text x="0" y="14" font-weight="bold" font-size="14">{escape(title)}</text>',
    ]
    x = 0
    for _key, label, colour in SERIES:
        text = label.format(original=report.original)
        parts.append(f'<rect x="{x}" y="22" width="12" height="12" fill="{colour}"/>')
        parts.append(f'<text x="{x + 16}" y="32">{escape(text)}</text>')
        x += 24 + 7 * len(text)
    y = legend_height + 24
    for row, group_height in zip(rows, group_heights, strict=True):
        longest = max(v for key, _, _ in SERIES if (v := row.value(key)) is not None)
        parts.append(
            f'<text x="0" y="{y + group_height / 2 + 4:.1f}">{escape(row.benchmark)}</text>'
        )
        for key, _label, colour in SERIES:
            value = row.value(key)
            if value is None:
                continue
            length = max(1.0, bar_room * value / longest)
            note = _figure(value)
            if key != "ours":
                note += f"  (ours {_ratio(row.ours, value)})"
            parts.append(
                f'<rect x="{LABEL_WIDTH}" y="{y}" width="{length:.1f}" height="{BAR_HEIGHT}" '
                f'fill="{colour}"><title>{escape(key)}: {escape(note)}</title></rect>'
            )
            parts.append(
                f'<text x="{LABEL_WIDTH + length + 4:.1f}" y="{y + BAR_HEIGHT - 2}" '
                f'font-size="11">{escape(note)}</text>'
            )
            y += BAR_HEIGHT + BAR_GAP
        y += GROUP_GAP
    parts.append("</svg>")
    return "\n".join(parts)


def table(report: Report) -> list[str]:
    """Return a Markdown table of every row, with the ratios ours/original and ours/bare."""

    def ratio(ours: float, other: float | None) -> str:
        return NONE if other is None else _ratio(ours, other)

    lines = [
        "| benchmark | framework | ours | original | bare | ours/original | ours/bare |",
        "|---|---|--:|--:|--:|--:|--:|",
    ]
    for row in report.rows:
        original = NONE if row.original is None else _figure(row.original)
        bare = NONE if row.bare is None else _figure(row.bare)
        lines.append(
            f"| {row.benchmark} | {row.framework} | {_figure(row.ours)} | {original} | {bare} "
            f"| {ratio(row.ours, row.original)} | {ratio(row.ours, row.bare)} |"
        )
    return lines
