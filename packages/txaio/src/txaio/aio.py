"""``txaio.aio``, the original name of the asyncio backend: it *is* :mod:`txaio_asyncio`.

Importing it does not select asyncio, as with the original txaio. Because
``txaio.aio`` is the very module ``txaio_asyncio`` (not a copy), names set or
patched on one are seen through the other. Raises :class:`ImportError` naming
``pip install txaio[asyncio]`` when the asyncio backend is not installed.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from txaio import _load_backend

if TYPE_CHECKING:
    from txaio_asyncio import *  # noqa: F403
else:
    sys.modules[__name__] = _load_backend("asyncio")
