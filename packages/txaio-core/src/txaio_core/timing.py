"""Time helpers kept for compatibility with txaio: nanosecond clocks."""

from __future__ import annotations

import time

__all__ = ["perf_counter_ns", "time_ns"]

#: Wall-clock time in integer nanoseconds since the epoch.
time_ns = time.time_ns
#: A monotonic high-resolution counter in integer nanoseconds.
perf_counter_ns = time.perf_counter_ns
