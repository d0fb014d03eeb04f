"""Static proof, for mypy only, that the module and ``with_config`` satisfy the contract."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import txaio_twisted
    from txaio_core.contract import Backend

    _module: Backend = txaio_twisted
    _configured: Backend = txaio_twisted.with_config()
