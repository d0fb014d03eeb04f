"""The version of txaio: the one place it is written."""

__version__ = "26.11.1"
