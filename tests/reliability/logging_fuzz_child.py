"""The logging fuzz, run in a child process per backend (``start_logging`` is per process).

Usage: ``python -m tests.reliability.logging_fuzz_child <asyncio|twisted> <examples>``.
It starts logging to a string stream at level "trace", makes log calls with
arbitrary messages, format strings and keyword arguments (Hypothesis), then the
named awkward cases, and prints one JSON object: how many calls were made, which
raised, which wrote nothing to the stream (a lost message), and the line each
awkward case rendered.
"""

from __future__ import annotations

import importlib
import io
import json
import sys
import warnings
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st


class StrRaises:
    """An object whose ``__str__`` and ``__format__`` raise."""

    def __str__(self) -> str:
        raise RuntimeError("__str__ is broken")

    def __format__(self, spec: str) -> str:
        raise RuntimeError("__format__ is broken")


class ReprRaises:
    """An object whose ``__repr__`` raises."""

    def __repr__(self) -> str:
        raise RuntimeError("__repr__ is broken")


class BothRaise(StrRaises, ReprRaises):
    """An object whose ``__str__``, ``__format__`` and ``__repr__`` all raise."""


_pieces = st.sampled_from(
    [
        "{",
        "}",
        "{x}",
        "{x!r}",
        "{x!s}",
        "{x!a}",
        "{x!z}",
        "{x:>10}",
        "{x:d}",
        "{x:.3f}",
        "{x:{y}}",
        "{0}",
        "{}",
        "{x.real}",
        "{x[0]}",
        "{x[key]}",
        "{log_level}",
        "{log_time}",
        "{log_namespace}",
        "{{",
        "}}",
        "{missing}",
        "%s",
    ]
)
formats = st.lists(st.one_of(_pieces, st.text(max_size=6)), max_size=8).map("".join)
messages = st.one_of(formats, formats, st.binary(max_size=12), st.integers(), st.none())
_values = st.one_of(
    st.integers(),
    st.floats(),
    st.text(max_size=8),
    st.binary(max_size=8),
    st.none(),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
    st.builds(StrRaises),
    st.builds(ReprRaises),
    st.builds(BothRaise),
)
_keys = st.one_of(
    st.sampled_from(
        ["x", "y", "key", "log_level", "log_time", "log_category", "log_failure", "log_format"]
    ),
    st.from_regex(r"[a-z_][a-z0-9_]{0,8}", fullmatch=True).filter(lambda k: k != "message"),
)
fields = st.dictionaries(_keys, _values, max_size=4)
levels = st.sampled_from(["critical", "error", "warn", "info", "debug", "trace"])

AWKWARD_CASES: dict[str, tuple[object, dict[str, Any]]] = {
    "missing key": ("value is {missing_key}", {}),
    "format spec does not apply": ("count {n:d}", {"n": "three"}),
    "__str__ raises": ("object {obj}", {"obj": StrRaises()}),
    "__repr__ raises": ("object {obj!r}", {"obj": ReprRaises()}),
    "bytes message": (b"raw \xff bytes {x}", {"x": 1}),
    "unbalanced brace": ("oops { here", {}),
}


def main(backend_name: str, examples: int) -> None:
    warnings.simplefilter("error")
    # Twisted's start_logging redirects sys.stdout into the log: keep the real one.
    report_to = sys.stdout
    backend: Any = importlib.import_module(f"txaio_{backend_name}")
    out = io.StringIO()
    backend.start_logging(out=out, level="trace")
    logger = backend.make_logger()
    raised: list[str] = []
    silent: list[str] = []
    calls = 0

    @settings(
        max_examples=examples,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(level=levels, message=messages, kwargs=fields)
    def fuzz(level: str, message: object, kwargs: dict[str, Any]) -> None:
        nonlocal calls
        calls += 1
        start = len(out.getvalue())
        try:
            getattr(logger, level)(message, **kwargs)
        except Exception as problem:
            raised.append(f"{level}({message!r:.60}) raised {type(problem).__name__}")
        if len(out.getvalue()) == start:
            silent.append(f"{level}({message!r:.60}, **{sorted(kwargs)}) wrote nothing")

    fuzz()
    rendered: dict[str, str] = {}
    for name, (message, kwargs) in AWKWARD_CASES.items():
        start = len(out.getvalue())
        calls += 1
        try:
            logger.error(message, **kwargs)
        except Exception as problem:
            raised.append(f"{name}: raised {type(problem).__name__}")
        rendered[name] = out.getvalue()[start:]
    summary = {"calls": calls, "raised": raised, "silent": silent[:20], "rendered": rendered}
    json.dump(summary, report_to)
    report_to.flush()


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
