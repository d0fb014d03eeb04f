"""Static proof, for mypy only, that the module and ``with_config`` satisfy the contract."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import txaio_asyncio
    from txaio_core.contract import Backend

    _module: Backend = txaio_asyncio
    _configured: Backend = txaio_asyncio.with_config()
