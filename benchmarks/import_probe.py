"""Time ``import txaio; txaio.use_asyncio()`` in this fresh interpreter.

Kept apart from ``suite.py`` so nothing but the interpreter's own start-up is
imported before txaio. Prints one JSON line: the nanoseconds taken and which
Twisted modules, if any, came along. With ``--exact`` the step is bracketed by
``os.getpgrp()`` / ``os.getppid()`` for ``compare.py --callgrind``.
"""

import os
import sys
import time

exact = "--exact" in sys.argv[1:]
if exact:
    os.getpgrp()
start = time.perf_counter_ns()
import txaio  # noqa: E402

txaio.use_asyncio()
took = time.perf_counter_ns() - start
if exact:
    os.getppid()
twisted = sorted(m for m in sys.modules if m == "twisted" or m.startswith("twisted."))
sys.stdout.write(
    '{"ns": %d, "twisted_imported": %s, "twisted": %r}\n'  # noqa: UP031 (no json import here)
    % (took, "true" if twisted else "false", twisted[:3])
)
