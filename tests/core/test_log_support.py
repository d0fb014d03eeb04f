"""Logger names and stream kinds, as both backends' loggers see them."""

from __future__ import annotations

import io
import sys
from types import FrameType

from txaio_core.log_support import caller_namespace, guess_stream_needs_encoding


def _frame() -> FrameType:
    return sys._getframe(1)


class Owner:
    body_frame = sys._getframe(0)

    def method(self) -> FrameType:
        return sys._getframe(0)

    @classmethod
    def factory(cls) -> FrameType:
        return sys._getframe(0)


def test_a_method_or_class_body_names_the_class() -> None:
    expected = f"{__name__}.Owner"
    assert caller_namespace(Owner().method()) == expected
    assert caller_namespace(Owner.factory()) == expected
    assert caller_namespace(Owner.body_frame) == expected


def test_a_plain_function_or_no_frame_names_the_module_or_default() -> None:
    assert caller_namespace(_frame()) == __name__
    assert caller_namespace(None) == "txaio"
    assert caller_namespace(None, default="app") == "app"


def test_stream_kinds() -> None:
    assert guess_stream_needs_encoding(io.StringIO()) is False
    assert guess_stream_needs_encoding(io.BytesIO()) is True

    class Moded:
        mode = "wb"

    class Encoded:
        encoding = "utf-8"

    assert guess_stream_needs_encoding(Moded()) is True
    assert guess_stream_needs_encoding(Encoded()) is False
    assert guess_stream_needs_encoding(object()) is True
    assert guess_stream_needs_encoding(object(), default=False) is False
