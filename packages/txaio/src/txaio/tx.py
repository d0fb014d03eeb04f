"""``txaio.tx``, the original name of the Twisted backend: it *is* :mod:`txaio_twisted`.

Importing it does not select Twisted, as with the original txaio. Because
``txaio.tx`` is the very module ``txaio_twisted`` (not a copy), names set or
patched on one are seen through the other. Raises :class:`ImportError` naming
``pip install txaio[twisted]`` when Twisted or its backend is not installed.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from txaio import _load_backend

if TYPE_CHECKING:
    from txaio_twisted import *  # noqa: F403
else:
    sys.modules[__name__] = _load_backend("twisted")
