"""txaio_asyncio (skeleton while the foundation is laid)."""

from txaio_asyncio._version import __version__

__all__ = ["__version__"]
