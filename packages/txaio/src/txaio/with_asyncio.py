"""Importing this module selects asyncio: ``import txaio.with_asyncio``.

Raises what :func:`txaio.use_asyncio` raises.
"""

from __future__ import annotations

import txaio

__all__ = ["txaio"]

txaio.use_asyncio()
