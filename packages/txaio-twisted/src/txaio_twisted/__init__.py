"""txaio_twisted (skeleton while the foundation is laid)."""

from txaio_twisted._version import __version__

__all__ = ["__version__"]
