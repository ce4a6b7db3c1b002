"""Per-device dtypes: what a backend's devices support, and the defaults that follow.

A backend module says which dtypes its devices hold (``supported_dtypes``, ``x64``). On a
device without 64-bit types (JAX with ``STORAX_JAX_X64=0``) the default integer and index
dtype is int32, the default real float32 and the default complex complex64, whatever
``set_default_dtype`` chose; asking for a 64-bit dtype there raises a TypeError naming the
function, the device and the dtype.
"""

from __future__ import annotations

from typing import Any

from . import _dtypes
from ._config import settings


def index_dtype(backend: Any) -> _dtypes.DType:
    """The default integer (and index) dtype on ``backend``'s devices."""
    return _dtypes.int64 if backend.x64 else _dtypes.int32


def default_uint(backend: Any) -> _dtypes.DType:
    """The widest unsigned dtype on ``backend`` (sums of unsigned data accumulate in it)."""
    return _dtypes.uint64 if backend.x64 else _dtypes.uint32


def default_float(backend: Any) -> _dtypes.DType:
    return settings.default_float if backend.x64 else _dtypes.float32


def default_complex(backend: Any) -> _dtypes.DType:
    return settings.default_complex if backend.x64 else _dtypes.complex64


def check_supported(dtype: Any, backend: Any, device: Any, func: str) -> None:
    """Raise TypeError when ``backend``'s ``device`` does not support ``dtype``."""
    if not backend.x64 and dtype not in backend.supported_dtypes:
        where = device if device is not None else backend.default_device()
        raise TypeError(
            f"{func}: dtype {dtype} is not supported on device {where}{backend.unsupported_note}"
        )
