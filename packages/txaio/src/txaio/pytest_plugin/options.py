"""The plugin's settings: which frameworks marked tests run on, and each test's timeout."""

from __future__ import annotations

import math

import pytest

__all__ = [
    "DEFAULT_TIMEOUT",
    "FRAMEWORKS",
    "MARKER_HELP",
    "MarkerError",
    "check_frameworks",
    "marker_timeout",
    "selected_frameworks",
]

#: The frameworks, in the order their runs of a test appear.
FRAMEWORKS: tuple[str, ...] = ("asyncio", "twisted")

#: Seconds a marked test may wait for its future before it fails.
DEFAULT_TIMEOUT = 30.0

MARKER_HELP = (
    "txaio(timeout=30.0): run the test once per framework (asyncio, twisted) with txaio "
    "selected for it; fail it when its future is not done after `timeout` seconds"
)

_MARKER_ARGUMENTS = ("timeout",)


class MarkerError(ValueError):
    """A ``@pytest.mark.txaio`` with arguments it does not take."""


def _check_names(names: list[str], where: str) -> list[str]:
    unknown = [name for name in names if name not in FRAMEWORKS]
    if unknown:
        raise pytest.UsageError(
            f"{where}: unknown framework {', '.join(map(repr, unknown))}; "
            f"expected one of: {', '.join(FRAMEWORKS)}"
        )
    if not names:
        raise pytest.UsageError(f"{where}: no framework given; expected {' or '.join(FRAMEWORKS)}")
    return names


def check_frameworks(config: pytest.Config) -> None:
    """Raise :class:`pytest.UsageError` naming the option when it names an unknown framework."""
    selected_frameworks(config)


def selected_frameworks(config: pytest.Config) -> list[str]:
    """Return the frameworks marked tests run on, in :data:`FRAMEWORKS` order.

    ``--txaio-framework`` wins over the ini option ``txaio_frameworks``. Raises
    :class:`pytest.UsageError` for an unknown or missing name.
    """
    given: list[str] | None = config.getoption("txaio_framework", None)
    if given:
        names = [part.strip() for value in given for part in value.split(",") if part.strip()]
        chosen = _check_names(names, "--txaio-framework")
    else:
        from_ini = list(config.getini("txaio_frameworks"))
        chosen = _check_names(from_ini, "ini option txaio_frameworks")
    return [name for name in FRAMEWORKS if name in chosen]


def marker_timeout(node: pytest.Item) -> float:
    """Return the timeout of a marked test: the closest ``txaio(timeout=...)``, else 30 s.

    Raises :class:`MarkerError` for positional marker arguments, an
    unknown keyword, or a timeout that is not a finite number > 0.
    """
    for mark in node.iter_markers("txaio"):
        where = f"{node.nodeid}: @pytest.mark.txaio"
        if mark.args:
            raise MarkerError(
                f"{where} takes only keyword arguments ({', '.join(_MARKER_ARGUMENTS)}), "
                f"got {mark.args!r}"
            )
        unknown = sorted(set(mark.kwargs) - set(_MARKER_ARGUMENTS))
        if unknown:
            raise MarkerError(
                f"{where} got unknown argument {', '.join(unknown)}; "
                f"it takes: {', '.join(_MARKER_ARGUMENTS)}"
            )
        if "timeout" in mark.kwargs:
            timeout = mark.kwargs["timeout"]
            if (
                isinstance(timeout, bool)
                or not isinstance(timeout, (int, float))
                or not math.isfinite(timeout)
                or timeout <= 0
            ):
                raise MarkerError(
                    f"{where}(timeout=...) must be a finite number of seconds > 0, got {timeout!r}"
                )
            return float(timeout)
    return DEFAULT_TIMEOUT
