"""The logging fuzz, run in a child process per backend (``start_logging`` is per process).

Usage: ``python -m tests.reliability.logging_fuzz_child <asyncio|twisted> <examples>``.
It starts logging to a string stream at level "trace", registers log categories
(from a read-only ``Mapping``), makes log calls with arbitrary messages, format
strings, positional and keyword arguments, categories (registered, unknown, not
strings) and logged tracebacks with braces in them, through the level methods
and ``emit`` (Hypothesis), then the named awkward cases, and prints one JSON
object: how many calls were made, which raised, which wrote nothing to the
stream (a lost message), and the text each awkward case rendered.
"""

from __future__ import annotations

import importlib
import io
import json
import sys
import types
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
_categories = st.one_of(
    st.sampled_from(["CAT-PLAIN", "CAT-FIELD", "CAT-BRACES", "CAT-UNKNOWN", ""]),
    st.integers(),
    st.none(),
    st.lists(st.text(max_size=3), max_size=2),
    st.tuples(st.text(max_size=3)),
    st.binary(max_size=4),
)
CATEGORIES = types.MappingProxyType(
    {
        "CAT-PLAIN": "a category message",
        "CAT-FIELD": "category with {x}",
        "CAT-BRACES": "category { unbalanced",
    }
)
_keys = st.one_of(
    st.sampled_from(
        ["x", "y", "key", "log_level", "log_time", "log_category", "log_failure", "log_format"]
    ),
    st.from_regex(r"[a-z_][a-z0-9_]{0,8}", fullmatch=True).filter(lambda k: k != "message"),
)
fields = st.dictionaries(_keys, _values, max_size=4)
with_category = st.builds(lambda f, c: {**f, "log_category": c}, fields, _categories)
call_fields = st.one_of(fields, with_category)
positionals = st.one_of(st.just(()), st.lists(_values, min_size=1, max_size=3).map(tuple))
#: Text for an exception whose traceback is logged as a message: braces likely.
exception_texts = st.one_of(
    st.none(),
    st.lists(
        st.sampled_from(["{", "}", "{x}", "{0}", '{"a": 1}', "}}", "text", " "]), max_size=6
    ).map("".join),
)
levels = st.sampled_from(["critical", "error", "warn", "info", "debug", "trace"])


def raise_with_braces(text: str) -> None:
    """Raise an exception whose text, and this source line, have braces: {"like": this}."""
    raise ValueError(f"{{braces}} {text}")


AWKWARD_CASES: dict[str, tuple[object, tuple[Any, ...], dict[str, Any]]] = {
    "missing key": ("value is {missing_key}", (), {}),
    "format spec does not apply": ("count {n:d}", (), {"n": "three"}),
    "__str__ raises": ("object {obj}", (), {"obj": StrRaises()}),
    "__repr__ raises": ("object {obj!r}", (), {"obj": ReprRaises()}),
    "bytes message": (b"raw \xff bytes {x}", (), {"x": 1}),
    "unbalanced brace": ("oops { here", (), {}),
    "positional field": ("value {0}", (), {}),
    "positional arguments": ("value {0} and {1}", (42, "text"), {}),
    "Mapping category": ("ignored", (), {"log_category": "CAT-FIELD", "x": "mapped"}),
    "category with a broken format": ("ignored", (), {"log_category": "CAT-BRACES"}),
    "non-string category": ("number category {x}", (), {"log_category": 7, "x": 1}),
    "unhashable category": ("list category {x}", (), {"log_category": ["CAT-FIELD"], "x": 2}),
}


def _failure_with_braces(backend: Any, text: str) -> Any:
    try:
        raise_with_braces(text)
    except ValueError:
        return backend.create_failure()
    raise AssertionError("unreachable")


def main(backend_name: str, examples: int) -> None:
    warnings.simplefilter("error")
    # Twisted's start_logging redirects sys.stdout into the log: keep the real one.
    report_to = sys.stdout
    backend: Any = importlib.import_module(f"txaio_{backend_name}")
    out = io.StringIO()
    backend.start_logging(out=out, level="trace")
    backend.add_log_categories(CATEGORIES)
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
    @given(
        level=levels,
        message=messages,
        args=positionals,
        kwargs=call_fields,
        exception_text=exception_texts,
        through_emit=st.booleans(),
    )
    def fuzz(
        level: str,
        message: object,
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
        exception_text: str | None,
        through_emit: bool,
    ) -> None:
        nonlocal calls
        calls += 1
        if exception_text is not None:
            # The manual's idiom: a traceback as the message, the failure as a field.
            fail = _failure_with_braces(backend, exception_text)
            message = backend.failure_format_traceback(fail)
            kwargs = {**kwargs, "log_failure": fail}
        start = len(out.getvalue())
        call = f"{level}({message!r:.60}, *{len(args)} args, **{sorted(kwargs)})"
        try:
            if through_emit:
                logger.emit(level, message, *args, **kwargs)
            else:
                getattr(logger, level)(message, *args, **kwargs)
        except Exception as problem:
            raised.append(f"{call} raised {type(problem).__name__}")
        if len(out.getvalue()) == start:
            silent.append(f"{call} wrote nothing")

    fuzz()
    rendered: dict[str, str] = {}
    awkward = dict(AWKWARD_CASES)
    fail = _failure_with_braces(backend, '{"key": [1, 2]} and {unclosed')
    awkward["traceback with braces"] = (backend.failure_format_traceback(fail), (), {})
    for name, (message, args, kwargs) in awkward.items():
        start = len(out.getvalue())
        calls += 1
        try:
            logger.error(message, *args, **kwargs)
        except Exception as problem:
            raised.append(f"{name}: raised {type(problem).__name__}")
        rendered[name] = out.getvalue()[start:]
    summary = {"calls": calls, "raised": raised, "silent": silent[:20], "rendered": rendered}
    json.dump(summary, report_to)
    report_to.flush()


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
