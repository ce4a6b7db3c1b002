"""Per-device dtypes: what a backend's devices support, and the defaults that follow.

A backend module says which dtypes its devices hold (``supported_dtypes``, ``x64``). On a
device without 64-bit types (JAX with ``STORAX_JAX_X64=0``) the default integer and index
dtype is int32, the default real float32 and the default complex complex64, whatever
``set_default_dtype`` chose; the widest type of each kind (what sums of small integers
accumulate in, what storax computes intermediate results in) is the 32-bit one; asking
for a 64-bit dtype there raises a TypeError naming the function, the device and the dtype;
a 64-bit floating result of type promotion is computed in the 32-bit type, a 64-bit
integer one raises (``promoted``).
"""

from __future__ import annotations

from typing import Any

from . import _dtypes
from ._backends import NARROW, check_supported, promoted
from ._config import settings

__all__ = [
    "check_supported", "default_complex", "default_float", "default_int", "default_uint",
    "index_dtype", "narrowed", "promoted", "requested", "widest",
]  # fmt: skip

_WIDEST = {"i": _dtypes.int64, "u": _dtypes.uint64, "f": _dtypes.float64, "c": _dtypes.complex128}


def index_dtype(backend: Any) -> _dtypes.DType:
    """The default integer (and index) dtype on ``backend``'s devices."""
    return settings.default_int if backend.x64 else _dtypes.int32


default_int = index_dtype


def default_uint(backend: Any) -> _dtypes.DType:
    """The widest unsigned dtype on ``backend`` (sums of unsigned data accumulate in it)."""
    return _dtypes.uint64 if backend.x64 else _dtypes.uint32


def default_float(backend: Any) -> _dtypes.DType:
    return settings.default_float if backend.x64 else _dtypes.float32


def default_complex(backend: Any) -> _dtypes.DType:
    return settings.default_complex if backend.x64 else _dtypes.complex64


def widest(kind: str, backend: Any) -> _dtypes.DType:
    """The widest dtype of ``kind`` (``"i"``, ``"u"``, ``"f"`` or ``"c"``) on ``backend``:
    what storax computes intermediate results in (float64 where there is one)."""
    d = _WIDEST[kind]
    return d if backend.x64 else NARROW[d]


def narrowed(dtype: Any, backend: Any) -> Any:
    """``dtype``, or its 32-bit type on a backend whose devices have no 64-bit types (for
    dtypes storax chooses itself: defaults and intermediates, never a requested one)."""
    if backend.x64:
        return dtype
    return NARROW.get(dtype, dtype)


def requested(dtype: Any, x: Any, func: str) -> Any:
    """A dtype the caller asked for (``dtype=``, ``astype``) for a result on ``x``'s device:
    checked against what the device holds."""
    backend = x._backend
    if not backend.x64:
        check_supported(dtype, backend, x.device, func)
    return dtype
