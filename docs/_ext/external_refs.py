"""Links to the Python standard library and Twisted without downloading inventories.

The build runs without network, so intersphinx cannot fetch ``objects.inv``.
This table lists the outside names our pages and docstrings refer to; a
reference to one becomes a link to its page, and a reference to an outside
name missing here stays unresolved, which the nitpicky build reports.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx.addnodes import pending_xref
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

PYTHON = "https://docs.python.org/3/library/"
TWISTED = "https://docs.twisted.org/en/stable/api/"


def _exception(name: str) -> str:
    return f"{PYTHON}exceptions.html#{name}"


#: Fully qualified name -> URL. Built-in exceptions are also found by their bare name.
TARGETS: dict[str, str] = {
    **{
        name: _exception(name)
        for name in (
            "BaseException",
            "Exception",
            "RuntimeError",
            "TypeError",
            "ValueError",
            "KeyError",
            "ImportError",
            "AttributeError",
            "ZeroDivisionError",
        )
    },
    "abc.ABC": f"{PYTHON}abc.html#abc.ABC",
    "asyncio.Future": f"{PYTHON}asyncio-future.html#asyncio.Future",
    "asyncio.Task": f"{PYTHON}asyncio-task.html#asyncio.Task",
    "asyncio.TimerHandle": f"{PYTHON}asyncio-eventloop.html#asyncio.TimerHandle",
    "asyncio.AbstractEventLoop": f"{PYTHON}asyncio-eventloop.html#asyncio.AbstractEventLoop",
    "asyncio.CancelledError": f"{PYTHON}asyncio-exceptions.html#asyncio.CancelledError",
    "asyncio.InvalidStateError": f"{PYTHON}asyncio-exceptions.html#asyncio.InvalidStateError",
    "logging": f"{PYTHON}logging.html#module-logging",
    "logging.Logger": f"{PYTHON}logging.html#logging.Logger",
    "traceback": f"{PYTHON}traceback.html#module-traceback",
    "typing.Protocol": f"{PYTHON}typing.html#typing.Protocol",
    "types.TracebackType": f"{PYTHON}types.html#types.TracebackType",
    "collections.abc.Callable": f"{PYTHON}collections.abc.html#collections.abc.Callable",
    "collections.abc.Mapping": f"{PYTHON}collections.abc.html#collections.abc.Mapping",
    "collections.abc.Iterable": f"{PYTHON}collections.abc.html#collections.abc.Iterable",
    "collections.abc.Iterator": f"{PYTHON}collections.abc.html#collections.abc.Iterator",
    "typing.Any": f"{PYTHON}typing.html#typing.Any",
    "twisted.internet.defer.Deferred": f"{TWISTED}twisted.internet.defer.Deferred.html",
    "twisted.internet.defer.ensureDeferred": (
        f"{TWISTED}twisted.internet.defer.html#ensureDeferred"
    ),
    "twisted.internet.defer.AlreadyCalledError": (
        f"{TWISTED}twisted.internet.defer.AlreadyCalledError.html"
    ),
    "twisted.internet.task.Clock": f"{TWISTED}twisted.internet.task.Clock.html",
    "twisted.internet.interfaces.IDelayedCall": (
        f"{TWISTED}twisted.internet.interfaces.IDelayedCall.html"
    ),
    "twisted.internet.interfaces.IReactorTime": (
        f"{TWISTED}twisted.internet.interfaces.IReactorTime.html"
    ),
    "twisted.python.failure.Failure": f"{TWISTED}twisted.python.failure.Failure.html",
    "twisted.logger.Logger": f"{TWISTED}twisted.logger.Logger.html",
}

#: Short names that Python's own type annotations render (``Any``, ``Callable``).
ALIASES: dict[str, str] = {
    "Any": "typing.Any",
    "Callable": "collections.abc.Callable",
    "Iterable": "collections.abc.Iterable",
    "Iterator": "collections.abc.Iterator",
    "TracebackType": "types.TracebackType",
    "Protocol": "typing.Protocol",
}


def resolve_external(
    app: Sphinx, env: BuildEnvironment, node: pending_xref, contnode: nodes.TextElement
) -> nodes.reference | None:
    """Return a link for a Python reference to a listed outside name, else None."""
    if node.get("refdomain") != "py":
        return None
    target = str(node.get("reftarget", ""))
    url = TARGETS.get(ALIASES.get(target, target))
    if url is None:
        return None
    reference = nodes.reference("", "", internal=False, refuri=url, reftitle=target)
    reference += contnode
    return reference


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the resolver; return the extension's metadata."""
    app.connect("missing-reference", resolve_external)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
