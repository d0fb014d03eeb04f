"""The code examples of the documentation pages, as the docs check runs them.

Every ``python`` code block of a page under ``docs/guide/``, of
``docs/getting-started.md`` and of ``README.md`` is an example. The ``text``
block that follows it (only blank lines between) is the output it must print.
A MyST comment (or, in the README, an HTML comment) right before the block
restricts where it runs::

    % example: twisted                 runs on Twisted only
    % example: asyncio, selects        runs on asyncio only, and selects it itself
    <!-- example: twisted -->          the same, where ``%`` comments would show

Without one it runs on both frameworks and must print the same on both.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[2]
FRAMEWORKS = ("asyncio", "twisted")
FLAGS = frozenset((*FRAMEWORKS, "selects"))

_FENCE = re.compile(r"^(`{3,})\s*(\S*)\s*$")
_MARK = re.compile(r"^(?:%|<!--)\s*example:\s*(.*?)\s*(?:-->)?$")


@dataclass(frozen=True)
class Example:
    """One code example and the output it must print."""

    page: Path
    line: int
    code: str
    output: str | None
    frameworks: tuple[str, ...]
    selects: bool

    @property
    def name(self) -> str:
        """Return ``page:line``, the example's place, for test ids and messages."""
        return f"{self.page.relative_to(REPOSITORY)}:{self.line}"


def pages() -> list[Path]:
    """Return the pages whose examples are checked, in a stable order."""
    guide = sorted((REPOSITORY / "docs" / "guide").glob("*.md"))
    return [REPOSITORY / "README.md", REPOSITORY / "docs" / "getting-started.md", *guide]


def _blocks(text: str) -> list[tuple[int, str, str, str | None]]:
    """Return (line, info, body, mark) of every fenced block of a Markdown text."""
    lines = text.splitlines()
    found: list[tuple[int, str, str, str | None]] = []
    index = 0
    while index < len(lines):
        opening = _FENCE.match(lines[index])
        if not opening:
            index += 1
            continue
        fence, info = opening.groups()
        start = index
        index += 1
        body: list[str] = []
        while index < len(lines) and lines[index].strip() != fence:
            body.append(lines[index])
            index += 1
        index += 1
        mark = None
        before = start - 1
        if before >= 0 and (matched := _MARK.match(lines[before])):
            mark = matched.group(1)
        found.append((start + 1, info, "\n".join(body) + "\n", mark))
    return found


def examples(page: Path) -> list[Example]:
    """Return the examples of ``page``; raise ValueError for a malformed mark."""
    text = page.read_text(encoding="utf-8")
    blocks = _blocks(text)
    lines = text.splitlines()
    found: list[Example] = []
    for position, (line, info, body, mark) in enumerate(blocks):
        if info != "python":
            if mark is not None:
                raise ValueError(f"{page}:{line}: '% example:' must precede a python block")
            continue
        flags = {flag.strip() for flag in (mark or "").split(",") if flag.strip()}
        unknown = flags - FLAGS
        if unknown:
            raise ValueError(f"{page}:{line}: unknown example flags {sorted(unknown)}")
        frameworks = tuple(f for f in FRAMEWORKS if f in flags) or FRAMEWORKS
        output = None
        if position + 1 < len(blocks):
            next_line, next_info, next_body, _ = blocks[position + 1]
            closing = line + body.count("\n")  # 0-based index of this block's closing fence
            between = lines[closing + 1 : next_line - 1]
            if next_info == "text" and all(not gap.strip() for gap in between):
                output = next_body
        found.append(Example(page, line, body, output, frameworks, "selects" in flags))
    return found


def all_examples() -> list[Example]:
    """Return the examples of every checked page."""
    return [example for page in pages() for example in examples(page)]
