"""Importing a framework's backend, with an ImportError that says how to install it."""

from __future__ import annotations

import importlib
from types import ModuleType

__all__ = ["BACKEND_MODULES", "FRAMEWORKS", "load_backend"]

#: The module that implements each framework's side of the txaio API.
BACKEND_MODULES: dict[str, str] = {"asyncio": "txaio_asyncio", "twisted": "txaio_twisted"}
FRAMEWORKS: tuple[str, ...] = tuple(BACKEND_MODULES)

_DISTRIBUTIONS = {"asyncio": "txaio-asyncio", "twisted": "txaio-twisted"}
_DISPLAY_NAMES = {"asyncio": "asyncio", "twisted": "Twisted"}
# Top-level packages a backend needs besides itself and txaio_core: missing one
# of these is an installation problem, not a bug in the backend.
_FRAMEWORK_PACKAGES = {"asyncio": ("asyncio",), "twisted": ("twisted", "zope")}


def load_backend(framework: str) -> ModuleType:
    """Import and return the backend module of ``framework`` ("asyncio" or "twisted").

    Raises :class:`ValueError` for another framework name, and :class:`ImportError`
    naming the ``pip install txaio[...]`` that fixes it when the backend or its
    framework is not installed. Any other import failure propagates unchanged.
    """
    module_name = BACKEND_MODULES.get(framework)
    if module_name is None:
        raise ValueError(f"framework must be one of {FRAMEWORKS}, got {framework!r}")
    try:
        return importlib.import_module(module_name)
    except ModuleNotFoundError as error:
        missing = (error.name or "").split(".")[0]
        if missing not in (module_name, "txaio_core", *_FRAMEWORK_PACKAGES[framework]):
            raise
        raise ImportError(missing_backend_message(framework, missing), name=module_name) from error


def missing_backend_message(framework: str, missing: str) -> str:
    """Return the message saying what is missing to use ``framework`` and how to install it."""
    what = (
        f"its backend, the {_DISTRIBUTIONS[framework]} distribution,"
        if missing == BACKEND_MODULES[framework]
        else f"{missing!r}, which its backend needs,"
    )
    return (
        f"txaio cannot use {_DISPLAY_NAMES[framework]}: {what} is not installed. "
        f"Install it with: pip install txaio[{framework}]"
    )
