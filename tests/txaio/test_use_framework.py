"""txaio.testutil.use_framework: a framework for a ``with`` block, then txaio as before."""

from __future__ import annotations

from typing import Any

import pytest

import txaio
import txaio_asyncio
from txaio.testutil import use_framework
from txaio_core.contract import BACKEND_NAMES


def snapshot() -> dict[str, Any]:
    state = {name: vars(txaio)[name] for name in BACKEND_NAMES}
    state["_explicit_framework"] = txaio._explicit_framework
    return state


def test_selects_asyncio_inside_and_restores_after() -> None:
    before = snapshot()
    with use_framework("asyncio") as name:
        assert name == "asyncio"
        assert txaio.using_asyncio
        assert not txaio.using_twisted
        assert txaio._explicit_framework == "asyncio"
        assert txaio.create_future is txaio_asyncio.create_future
        assert txaio.config is txaio_asyncio.config
    assert snapshot() == before


def test_nested_blocks_restore_in_turn() -> None:
    pytest.importorskip("txaio_twisted")
    before = snapshot()
    with use_framework("asyncio"):
        inside_asyncio = snapshot()
        with use_framework("twisted"):
            assert txaio.using_twisted
        assert snapshot() == inside_asyncio
    assert snapshot() == before


def test_restores_when_the_block_raises() -> None:
    before = snapshot()
    with pytest.raises(KeyError), use_framework("asyncio"):
        raise KeyError("inside")
    assert snapshot() == before


@pytest.mark.parametrize("select", [txaio.use_asyncio, txaio.use_twisted])
def test_selecting_a_framework_inside_is_refused(select: Any) -> None:
    before = snapshot()
    with use_framework("asyncio"), pytest.raises(RuntimeError, match="must not select"):
        select()
    assert snapshot() == before


def test_an_unknown_framework_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="framework must be one of"), use_framework("trio"):
        pass
