"""The benchmark driver behind ``compare.py``, one module per concern.

``plan`` loads what to run (``benchmarks/plan.toml``), ``environments`` makes
the two virtual environments, ``workers`` speaks the line protocol of
``suite.py --serve``, ``callgrind`` reads instruction counts, ``measure``
interleaves the rounds, ``report`` prints and writes the figures. Only the
standard library is used (``tomli`` on Python 3.10).
"""
