"""What a library author's ``mypy`` sees of the txaio API: checked by ``hatch run types:check``.

Nothing here runs (pytest collects no ``check_*`` file): each ``assert_type``
is a test that mypy runs, and each ``type: ignore`` marks an error mypy must
report (``warn_unused_ignores`` fails the check when the error goes away).
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from twisted.internet.defer import Deferred

import txaio
from txaio.interfaces import IFailedFuture, IFuture

if TYPE_CHECKING:
    from typing_extensions import assert_type


def futures_have_the_portable_type() -> None:
    assert_type(txaio.create_future(), IFuture[Any])
    assert_type(txaio.create_future_success(1), IFuture[Any])
    assert_type(txaio.create_future_error(), IFuture[Any])
    assert_type(txaio.as_future(print), IFuture[Any])
    assert_type(txaio.gather([]), IFuture[list[Any]])
    assert_type(txaio.sleep(1), IFuture[None])
    assert_type(txaio.add_callbacks(txaio.create_future(), None, None), IFuture[Any])
    assert_type(txaio.with_config().create_future(), IFuture[Any])


def both_frameworks_futures_are_portable_futures(
    future: asyncio.Future[int], deferred: Deferred[int]
) -> None:
    portables: list[IFuture[int]] = [future, deferred]
    assert_type(portables, list[IFuture[int]])


async def awaiting_a_future_gives_its_result(future: IFuture[int]) -> None:
    assert_type(await future, int)
    assert_type(await txaio.sleep(0), None)


def what_only_one_framework_offers_is_an_error(future: IFuture[Any]) -> None:
    future.add_done_callback(print)  # type: ignore[attr-defined]  # asyncio only
    future.addCallback(print)  # type: ignore[attr-defined]  # Twisted only
    txaio.sleep("1")  # type: ignore[arg-type]


def other_api_types() -> None:
    assert_type(txaio.create_failure(), IFailedFuture)
    assert_type(txaio.failure_message(txaio.create_failure()), str)
    assert_type(txaio.is_future(object()), bool)
    assert_type(txaio.time_ns(), int)
