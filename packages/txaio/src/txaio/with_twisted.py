"""Importing this module selects Twisted: ``import txaio.with_twisted``.

Raises what :func:`txaio.use_twisted` raises.
"""

from __future__ import annotations

import txaio

__all__ = ["txaio"]

txaio.use_twisted()
