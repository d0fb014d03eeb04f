"""txaio (skeleton while the foundation is laid)."""

from txaio._version import __version__

__all__ = ["__version__"]
