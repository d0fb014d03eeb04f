"""Differential test: random programs over the public API behave the same on both backends.

Hypothesis draws programs (see :mod:`tests.reliability.programs`); each runs on
asyncio and on Twisted, each on a fake clock, and the two traces must be equal.
A difference is a bug in a backend, to be fixed there, not here.

How many programs: the total is the ``max_examples`` of the Hypothesis profile in
force (``TXAIO_HYPOTHESIS_PROFILE``: dev 100, ci 10,000, nightly 100,000), split
over :data:`SHARDS` independent tests so that ``pytest -n 2`` uses both cores.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings

from tests.reliability.backends import BACKENDS, harness_factory
from tests.reliability.programs import (
    AddHandlers,
    Advance,
    BatchedCall,
    CallLater,
    Gather,
    MakeBatchedTimer,
    NewFuture,
    Op,
    Reject,
    Resolve,
    Trace,
    programs,
    run_program,
)
from tests.support.runtime import collect_garbage, freeze_heap

SHARDS = 4
TOTAL_PROGRAMS: int = settings().max_examples
PROGRAMS_PER_SHARD = max(1, TOTAL_PROGRAMS // SHARDS)

pytestmark = [
    pytest.mark.slow,
    pytest.mark.usefixtures("frozen_heap"),
    # Hypothesis checks that the PRNG it registers has referrers with
    # gc.get_referrers(), which from CPython 3.14 does not see frozen objects:
    # with the heap frozen (above) it warns that its own PRNG is unreferenced.
    pytest.mark.filterwarnings(
        "ignore:It looks like `register_random` was passed:hypothesis.errors.HypothesisWarning"
    ),
]


def traces_of(program: list[Op]) -> dict[str, Trace]:
    """Run ``program`` once on each backend, each in a fresh harness."""
    traces: dict[str, Trace] = {}
    # Each program's collections must look only at what the program made: the
    # heap that Hypothesis grows while it generates examples goes out of the
    # collector's sight first (the frozen_heap fixture thaws it after the test).
    collect_garbage(1)
    freeze_heap()
    for name in BACKENDS:
        with harness_factory(name)() as harness:
            traces[name] = run_program(harness, program)
    return traces


def assert_same_behaviour(program: list[Op]) -> None:
    """Fail, showing the first difference, unless both backends trace ``program`` alike."""
    traces = traces_of(program)
    on_asyncio, on_twisted = traces["asyncio"], traces["twisted"]
    assert on_asyncio == on_twisted, (
        "asyncio (first) and Twisted (second) differ at "
        + on_asyncio.first_difference(on_twisted)
        + f"\nasyncio: {on_asyncio}\ntwisted: {on_twisted}"
    )


@pytest.mark.parametrize("shard", range(SHARDS))
@settings(max_examples=PROGRAMS_PER_SHARD)
@given(program=programs)
def test_random_programs_behave_the_same(shard: int, program: list[Op]) -> None:
    assert_same_behaviour(program)


def test_interpreter_sees_callbacks_errbacks_timers_and_reports() -> None:
    """The trace is not vacuous: it holds what the program made happen, on each backend."""
    full: list[Op] = [
        NewFuture("plain", 0),
        AddHandlers(0, "return", "return"),
        Resolve(0, 7),
        NewFuture("plain", 0),
        AddHandlers(1, None, "return"),
        Reject(1, "exception"),
        NewFuture("error", 0),
        Gather((0, 2), consume_exceptions=True),
        AddHandlers(3, "return", None),
        CallLater(1.0),
        MakeBatchedTimer(0.5, 2),
        BatchedCall(0, 0.25, raises=True),
        Advance(2.0),
    ]
    for name, trace in traces_of(full).items():
        events = [event for step in trace.steps for _, events in step for event in events]
        assert ("callback", "h0", "7") in events, name
        assert any(event[:2] == ("errback", "h2") for event in events), name
        assert ("callback", "h3", "[7, Failure(ValueError: e1)]") in events, name
        assert any(event[1:] == ("call_later", "0") for event in events), name
        assert any(event[1:] == ("batched", "0") for event in events), name
        assert "RuntimeError: e2" in trace.reports, name
