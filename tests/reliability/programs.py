"""Random txaio programs, the interpreter that runs one on a harness, and its trace.

A *program* is a list of operations over the public API (see the ``Op`` classes).
:func:`run_program` runs it against a :class:`~tests.support.harness.Harness` and
returns a :class:`Trace` of everything a user can observe: which callback ran with
which value, which errback saw which error, what each API call raised, which
canceller ran, when each timer fired, and what the framework reported as an
unhandled error. The same program must give the same trace on every backend.

Programs follow the portable rules of the manual ("Callbacks and Errbacks"):

* a handler returns its argument (a callback may also return a future already
  resolved with its argument, which Twisted unwraps to the same value);
* a handler that raises is the last one added to its future, and such a future
  is gathered no more (Twisted would hand the raised error to later handlers,
  asyncio reports it and goes on: see "Framework differences" in docs/design.md);
* a future gathered with ``consume_exceptions=True`` takes no more handlers (on
  Twisted the gather has consumed its error);
* a ``call_later`` handle is cancelled only while pending (the native handles
  differ on a second cancel);
* ``resolve``, ``reject`` and ``cancel`` target futures made by ``create_future``
  (and its helpers), as the manual defines them; the error for one that is
  already called is each framework's own, recorded as "AlreadyCalled".

The trace is compared step by step (one step = one operation and everything it
sets off); within a step, events are grouped by future (callbacks of one future
keep their order) because the moment a callback runs differs by design. The
unhandled-error reports are compared as a sorted list once the program has ended
and garbage has been collected, because *when* they are reported differs by
design; garbage of earlier programs is collected, and its reports dropped, before
a program starts. Reports of an error that an errback saw and passed on (by returning it,
as the portable rule asks) are left out: Twisted reports such a failure as
unhandled, asyncio does not. So are reports of a ``CancelledError``: Twisted
reports a cancelled Deferred nobody handles, asyncio does not. Both differences
have their own tests (tests/reliability/test_documented_differences.py).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from typing import Any, Literal

from hypothesis import strategies as st

from tests.support.harness import Harness

# -- errors the programs raise ---------------------------------------------------


class ProgramError(Exception):
    """An error raised on purpose by a generated program."""


#: Errors are made in turn from these classes, so traces mix exception types.
ERROR_TYPES: tuple[type[Exception], ...] = (ProgramError, ValueError, RuntimeError)


def describe(exc: BaseException) -> str:
    """Return ``"Type: text"`` for an exception, as a trace records it."""
    try:
        text = str(exc)
    except Exception:
        text = "<str() raised>"
    return f"{type(exc).__name__}: {text}"


# -- operations ------------------------------------------------------------------

FutureKind = Literal[
    "plain", "result", "error", "success_helper", "error_helper", "canceller", "sleep"
]
CallbackKind = Literal["return", "raise", "return_future"]
ErrbackKind = Literal["return", "raise"]
RejectHow = Literal["exception", "except_block", "failure"]
AsFutureKind = Literal[
    "value", "raise", "future", "coroutine", "coroutine_raise", "coroutine_sleep"
]


@dataclasses.dataclass(frozen=True)
class NewFuture:
    """Create a future: plain, pre-resolved, pre-failed, with a canceller, or ``sleep``."""

    kind: FutureKind
    value: int
    delay: float = 0.0


@dataclasses.dataclass(frozen=True)
class AddHandlers:
    """``add_callbacks(future, callback, errback)``; at least one handler is given."""

    target: int
    callback: CallbackKind | None
    errback: ErrbackKind | None


@dataclasses.dataclass(frozen=True)
class Resolve:
    """``resolve(future, value)`` (also on a future that is already called)."""

    target: int
    value: int


@dataclasses.dataclass(frozen=True)
class Reject:
    """``reject(future, ...)`` with an exception, inside ``except``, or with a failure."""

    target: int
    how: RejectHow


@dataclasses.dataclass(frozen=True)
class Cancel:
    """``cancel(future)`` (also on a future that is already called)."""

    target: int


@dataclasses.dataclass(frozen=True)
class Gather:
    """``gather(futures, consume_exceptions)``; the result is a new future."""

    targets: tuple[int, ...]
    consume_exceptions: bool


@dataclasses.dataclass(frozen=True)
class AsFuture:
    """``as_future(func, value, key=...)`` over a plain, raising or coroutine function."""

    kind: AsFutureKind
    value: int
    target: int = 0
    delay: float = 0.0


@dataclasses.dataclass(frozen=True)
class CallLater:
    """``call_later(delay, func, tag)``; the handle joins the program's timers."""

    delay: float


@dataclasses.dataclass(frozen=True)
class CancelCall:
    """Cancel a pending ``call_later`` handle (nothing when it is no longer pending)."""

    target: int


@dataclasses.dataclass(frozen=True)
class MakeBatchedTimer:
    """``make_batched_timer(bucket_seconds, chunk_size)``."""

    bucket_seconds: float
    chunk_size: int


@dataclasses.dataclass(frozen=True)
class BatchedCall:
    """``timer.call_later(delay, func)`` on a batched timer; ``func`` may raise."""

    timer: int
    delay: float
    raises: bool


@dataclasses.dataclass(frozen=True)
class CancelBatched:
    """Cancel a batched call (a second cancel is allowed and does nothing)."""

    target: int


@dataclasses.dataclass(frozen=True)
class Advance:
    """Move the fake clock forward."""

    seconds: float


Op = (
    NewFuture
    | AddHandlers
    | Resolve
    | Reject
    | Cancel
    | Gather
    | AsFuture
    | CallLater
    | CancelCall
    | MakeBatchedTimer
    | BatchedCall
    | CancelBatched
    | Advance
)

# -- the generator ---------------------------------------------------------------

_refs = st.integers(min_value=0, max_value=7)
_values = st.integers(min_value=0, max_value=9)
# Multiples of 1/4 are exact in binary, so clock arithmetic is exact on both loops.
_delays = st.sampled_from([0.0, 0.25, 0.5, 1.0, 1.5, 2.0, 3.75])
_advances = st.sampled_from([0.0, 0.25, 0.5, 1.0, 2.5, 10.0])
_handler_pairs: list[tuple[CallbackKind | None, ErrbackKind | None]] = [
    (cb, eb)
    for cb in (None, "return", "raise", "return_future")
    for eb in (None, "return", "raise")
    if (cb, eb) != (None, None)
]

_new_future = st.builds(
    NewFuture,
    kind=st.sampled_from(
        ["plain", "result", "error", "success_helper", "error_helper", "canceller", "sleep"]
    ),
    value=_values,
    delay=_delays,
)
_add_handlers = st.builds(
    lambda target, pair: AddHandlers(target, pair[0], pair[1]),
    _refs,
    st.sampled_from(_handler_pairs),
)

operations: st.SearchStrategy[Op] = st.one_of(
    _new_future,
    _new_future,
    _add_handlers,
    _add_handlers,
    _add_handlers,
    st.builds(Resolve, target=_refs, value=_values),
    st.builds(Resolve, target=_refs, value=_values),
    st.builds(Reject, target=_refs, how=st.sampled_from(["exception", "except_block", "failure"])),
    st.builds(Reject, target=_refs, how=st.sampled_from(["exception", "except_block", "failure"])),
    st.builds(Cancel, target=_refs),
    st.builds(
        Gather,
        targets=st.lists(_refs, max_size=4).map(tuple),
        consume_exceptions=st.booleans(),
    ),
    st.builds(
        AsFuture,
        kind=st.sampled_from(
            ["value", "raise", "future", "coroutine", "coroutine_raise", "coroutine_sleep"]
        ),
        value=_values,
        target=_refs,
        delay=_delays,
    ),
    st.builds(CallLater, delay=_delays),
    st.builds(CancelCall, target=_refs),
    st.builds(
        MakeBatchedTimer,
        bucket_seconds=st.sampled_from([0.25, 0.5, 1.0]),
        chunk_size=st.sampled_from([1, 2, 3, 100]),
    ),
    st.builds(BatchedCall, timer=_refs, delay=_delays, raises=st.booleans()),
    st.builds(BatchedCall, timer=_refs, delay=_delays, raises=st.just(False)),
    st.builds(CancelBatched, target=_refs),
    st.builds(Advance, seconds=_advances),
)

#: Random programs: what the differential test draws.
programs: st.SearchStrategy[list[Op]] = st.lists(operations, min_size=1, max_size=24)


# -- the trace -------------------------------------------------------------------

Event = tuple[str, ...]
Step = tuple[tuple[str, tuple[Event, ...]], ...]


@dataclasses.dataclass(frozen=True)
class Trace:
    """What one program did, in a form that compares equal across backends."""

    #: One entry per operation: its events grouped by channel, channels sorted.
    steps: tuple[Step, ...]
    #: The unhandled-error reports, ``"Type: text"``, sorted.
    reports: tuple[str, ...]

    def first_difference(self, other: Trace) -> str:
        """Return a readable account of where this trace and ``other`` part ways."""
        for index, (mine, theirs) in enumerate(zip(self.steps, other.steps, strict=False)):
            if mine != theirs:
                return f"step {index}:\n  {mine}\n  {theirs}"
        if len(self.steps) != len(other.steps):
            return f"step count {len(self.steps)} != {len(other.steps)}"
        return f"reports:\n  {self.reports}\n  {other.reports}"


# -- the interpreter -------------------------------------------------------------


def _render(value: object) -> str:
    """Return a backend-neutral rendering of a value a callback received."""
    if isinstance(value, list):
        return "[" + ", ".join(_render(item) for item in value) + "]"
    inner = getattr(value, "value", None)
    if isinstance(inner, BaseException):
        return f"Failure({describe(inner)})"
    if value is None or isinstance(value, (int, str)):
        return repr(value)
    return f"<{type(value).__name__}>"


#: Each framework's own "this future already has its outcome" error (a documented
#: difference); the trace records either as "AlreadyCalled".
_ALREADY_CALLED_NAMES = {"InvalidStateError", "AlreadyCalledError"}


def _neutral_name(problem: BaseException) -> str:
    if any(cls.__name__ in _ALREADY_CALLED_NAMES for cls in type(problem).__mro__):
        return "AlreadyCalled"
    return type(problem).__name__


def _time(seconds: float) -> str:
    return f"{seconds:.6f}"


def _next_due(loop: Any) -> float | None:
    """Return when the loop's next live timer is due (None when it has none)."""
    if hasattr(loop, "getDelayedCalls"):  # a Twisted IReactorTime
        times = [call.getTime() for call in loop.getDelayedCalls() if call.active()]
    else:  # an asyncio loop: its heap of TimerHandles
        times = [handle.when() for handle in loop._scheduled if not handle.cancelled()]
    return min(times, default=None)


def advance_stepwise(harness: Harness, seconds: float) -> None:
    """Advance the clock by ``seconds``, stopping at each timer's due time on the way.

    So every timer runs with the clock at its own due time on every backend, as on
    a real loop, whatever a harness's ``advance`` does with one long jump.
    """
    target = harness.now() + seconds
    while True:
        due = _next_due(harness.loop)
        if due is None or due > target:
            break
        harness.advance(max(0.0, due - harness.now()))
        if harness.now() < due:  # float rounding left the clock a hair short
            harness.advance(due - harness.now())
    harness.advance(max(0.0, target - harness.now()))


#: How far :meth:`_Interpreter.finish` advances the clock: past the longest delay
#: a program draws plus two widths of the widest batched-timer bucket.
_DRAIN_SECONDS = 10.0

#: How often :meth:`_Interpreter.finish` collects garbage and lets reports go, at most.
_MAX_REPORT_ROUNDS = 10


class _Interpreter:
    """Runs one program on one harness; see :func:`run_program`."""

    def __init__(self, harness: Harness) -> None:
        self.harness = harness
        self.api = harness.api
        self.futures: list[Any] = []
        self.resolvable: list[int] = []
        # Futures that got a raising handler, by id(): they take no more handlers.
        self.sealed: dict[int, Any] = {}
        self.calls: list[Any] = []
        self.call_pending: list[bool] = []
        self.batched_timers: list[Any] = []
        self.batched_calls: list[Any] = []
        self.events: list[tuple[str, Event]] = []
        self.passed_on: set[str] = set()
        self.handler_count = 0
        self.error_count = 0

    # helpers

    def record(self, channel: str, *event: str) -> None:
        self.events.append((channel, event))

    def new_error(self) -> Exception:
        number = self.error_count
        self.error_count += 1
        return ERROR_TYPES[number % len(ERROR_TYPES)](f"e{number}")

    def pick(self, pool: list[Any], ref: int) -> int | None:
        return ref % len(pool) if pool else None

    def add_future(self, future: Any, *, made_by_create_future: bool = False) -> int:
        self.futures.append(future)
        if made_by_create_future:
            self.resolvable.append(len(self.futures) - 1)
        return len(self.futures) - 1

    def pick_resolvable(self, ref: int) -> Any | None:
        """The manual defines resolve/reject/cancel on futures from ``create_future`` only."""
        index = self.pick(self.resolvable, ref)
        return None if index is None else self.futures[self.resolvable[index]]

    def take_step(self) -> Step:
        grouped: dict[str, list[Event]] = {}
        for channel, event in self.events:
            grouped.setdefault(channel, []).append(event)
        self.events.clear()
        if "timers" in grouped:
            # Two timers due at the same instant may run in either order on asyncio.
            grouped["timers"].sort()
        return tuple((channel, tuple(grouped[channel])) for channel in sorted(grouped))

    # handlers

    def make_callback(self, fid: int, kind: CallbackKind) -> Callable[[Any], Any]:
        hid = self.handler_count
        self.handler_count += 1
        channel = f"future {fid}"
        api = self.api

        def callback(value: Any) -> Any:
            self.record(channel, "callback", f"h{hid}", _render(value))
            if kind == "raise":
                raise ProgramError(f"h{hid} raised")
            if kind == "return_future":
                return api.create_future_success(value)
            return value

        return callback

    def make_errback(self, fid: int, kind: ErrbackKind) -> Callable[[Any], Any]:
        hid = self.handler_count
        self.handler_count += 1
        channel = f"future {fid}"
        api = self.api

        def errback(fail: Any) -> Any:
            text = describe(fail.value)
            self.record(channel, "errback", f"h{hid}", text, api.failure_message(fail))
            if kind == "raise":
                raise ProgramError(f"h{hid} raised")
            self.passed_on.add(text)
            return fail

        return errback

    # operations

    def run(self, op: Op) -> None:
        method: Callable[[Any], None] = getattr(self, "op_" + type(op).__name__)
        try:
            method(op)
        except Exception as problem:
            self.record("op", "raised", _neutral_name(problem))

    def op_NewFuture(self, op: NewFuture) -> None:
        api = self.api
        if op.kind == "plain":
            self.add_future(api.create_future(), made_by_create_future=True)
        elif op.kind == "result":
            self.add_future(api.create_future(result=op.value), made_by_create_future=True)
        elif op.kind == "success_helper":
            self.add_future(api.create_future_success(op.value), made_by_create_future=True)
        elif op.kind == "error":
            self.add_future(api.create_future(error=self.new_error()), made_by_create_future=True)
        elif op.kind == "error_helper":
            self.add_future(api.create_future_error(self.new_error()), made_by_create_future=True)
        elif op.kind == "sleep":
            self.add_future(api.sleep(op.delay))
        else:
            fid = len(self.futures)
            futures = self.futures

            def canceller(future: Any) -> None:
                self.record(f"future {fid}", "canceller", str(future is futures[fid]))

            self.add_future(api.create_future(canceller=canceller), made_by_create_future=True)

    def op_AddHandlers(self, op: AddHandlers) -> None:
        fid = self.pick(self.futures, op.target)
        if fid is None or id(self.futures[fid]) in self.sealed:
            return
        callback = None if op.callback is None else self.make_callback(fid, op.callback)
        errback = None if op.errback is None else self.make_errback(fid, op.errback)
        if op.callback == "raise" or op.errback == "raise":
            self.sealed[id(self.futures[fid])] = self.futures[fid]
        returned = self.api.add_callbacks(self.futures[fid], callback, errback)
        self.record("op", "add_callbacks returned its future", str(returned is self.futures[fid]))

    def op_Resolve(self, op: Resolve) -> None:
        future = self.pick_resolvable(op.target)
        if future is not None:
            self.api.resolve(future, op.value)

    def op_Reject(self, op: Reject) -> None:
        future = self.pick_resolvable(op.target)
        if future is None:
            return
        api, error = self.api, self.new_error()
        if op.how == "exception":
            api.reject(future, error)
            return
        try:
            raise error
        except Exception:
            if op.how == "except_block":
                api.reject(future)
            else:
                api.reject(future, api.create_failure())

    def op_Cancel(self, op: Cancel) -> None:
        future = self.pick_resolvable(op.target)
        if future is not None:
            self.api.cancel(future)

    def op_Gather(self, op: Gather) -> None:
        chosen: list[Any] = []
        for ref in op.targets:
            fid = self.pick(self.futures, ref)
            if fid is not None and id(self.futures[fid]) not in self.sealed:
                chosen.append(self.futures[fid])
        if op.consume_exceptions:
            # On Twisted the gather's errback ends each child's error (a documented
            # difference): the children take no more handlers.
            self.sealed.update((id(future), future) for future in chosen)
        self.add_future(self.api.gather(chosen, consume_exceptions=op.consume_exceptions))

    def op_AsFuture(self, op: AsFuture) -> None:
        api, value = self.api, op.value
        error = self.new_error()
        func: Callable[..., Any]
        if op.kind == "value":

            def func(argument: int, *, key: str) -> str:
                return f"{argument}{key}"

        elif op.kind == "raise":

            def func(argument: int, *, key: str) -> str:
                raise error

        elif op.kind == "future":
            fid = self.pick(self.futures, op.target)
            returned = self.futures[fid] if fid is not None else api.create_future_success(value)

            def func(argument: int, *, key: str) -> Any:
                return returned

        elif op.kind == "coroutine":

            async def func(argument: int, *, key: str) -> str:
                return f"{argument}{key}"

        elif op.kind == "coroutine_raise":

            async def func(argument: int, *, key: str) -> str:
                raise error

        else:
            delay = op.delay

            async def func(argument: int, *, key: str) -> str:
                await api.sleep(delay)
                return f"{argument}{key}"

        self.add_future(api.as_future(func, value, key="k"))

    def op_CallLater(self, op: CallLater) -> None:
        tag = len(self.calls)
        harness = self.harness

        def fire(number: int, *, label: str) -> None:
            self.call_pending[number] = False
            self.record("timers", _time(harness.now()), label, str(number))

        self.calls.append(self.api.call_later(op.delay, fire, tag, label="call_later"))
        self.call_pending.append(True)

    def op_CancelCall(self, op: CancelCall) -> None:
        number = self.pick(self.calls, op.target)
        if number is not None and self.call_pending[number]:
            self.call_pending[number] = False
            self.calls[number].cancel()

    def op_MakeBatchedTimer(self, op: MakeBatchedTimer) -> None:
        timer = self.api.make_batched_timer(op.bucket_seconds, chunk_size=op.chunk_size)
        self.batched_timers.append(timer)

    def op_BatchedCall(self, op: BatchedCall) -> None:
        index = self.pick(self.batched_timers, op.timer)
        if index is None:
            return
        tag = len(self.batched_calls)
        harness = self.harness
        error = self.new_error() if op.raises else None

        def fire(number: int) -> None:
            self.record("timers", _time(harness.now()), "batched", str(number))
            if error is not None:
                raise error

        self.batched_calls.append(self.batched_timers[index].call_later(op.delay, fire, tag))

    def op_CancelBatched(self, op: CancelBatched) -> None:
        number = self.pick(self.batched_calls, op.target)
        if number is not None:
            self.batched_calls[number].cancel()

    def op_Advance(self, op: Advance) -> None:
        self.drive(lambda: advance_stepwise(self.harness, op.seconds))

    # the whole program

    def drive(self, action: Callable[[], None]) -> None:
        # An error escaping the loop's own run is a bug worth a trace entry, not a crash.
        try:
            action()
        except Exception as problem:
            self.record("loop", "raised", describe(problem))

    def steps(self, program: list[Op]) -> Iterator[Step]:
        for op in program:
            self.run(op)
            self.drive(self.harness.run_until_idle)
            yield self.take_step()

    def finish(self) -> tuple[str, ...]:
        """Run the program to quiescence, forget it, collect garbage, return the reports.

        Unhandled failures are reported when their future is garbage collected,
        on both frameworks; a future that a pending timer still holds (a
        ``sleep`` under a gather, a batched call) is not garbage yet. So, like a
        real program that runs to its end, the clock first advances past every
        timer a program can make (callbacks this runs go into the last step).
        """
        self.drive(lambda: advance_stepwise(self.harness, _DRAIN_SECONDS))
        self.drive(self.harness.run_until_idle)
        self.futures.clear()
        self.resolvable.clear()
        self.sealed.clear()
        self.calls.clear()
        self.batched_calls.clear()
        self.batched_timers.clear()
        reports: list[str] = []
        harness = self.harness
        for _ in range(_MAX_REPORT_ROUNDS):
            harness.collect_garbage()
            if not harness.reported:
                break
            # The harness holds each reported exception, and its traceback holds
            # frames that may hold futures: a real application's logger keeps
            # none of them. Let them go, and collect what that frees.
            reports.extend(describe(error) for error in harness.reported)
            harness.reported.clear()
            harness.reported_text.clear()
        return tuple(
            sorted(
                text
                for text in reports
                if text not in self.passed_on and not text.startswith("CancelledError:")
            )
        )


def run_program(harness: Harness, program: list[Op]) -> Trace:
    """Run ``program`` on ``harness`` and return its :class:`Trace`.

    The trace depends on ``program`` alone: garbage that earlier programs left
    is collected first, and what it reports is not part of this trace.
    """
    harness.collect_garbage()
    harness.reported.clear()
    harness.reported_text.clear()
    interpreter = _Interpreter(harness)
    steps = tuple(interpreter.steps(program))
    reports = interpreter.finish()
    leftover = interpreter.take_step()
    if leftover:
        steps += (leftover,)
    return Trace(steps, reports)
