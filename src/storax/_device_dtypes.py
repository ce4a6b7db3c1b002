"""Per-device dtypes: what a backend's devices support, and the defaults that follow.

A backend module says which dtypes its devices hold (``supported_dtypes``, ``x64``). On a
device without 64-bit types (JAX with ``STORAX_JAX_X64=0``) the default integer and index
dtype is int32, the default real float32 and the default complex complex64, whatever
``set_default_dtype`` chose; the widest type of each kind (what sums of small integers
accumulate in, what storax computes intermediate results in) is the 32-bit one; asking
for a 64-bit dtype there raises a TypeError naming the function, the device and the dtype;
a 64-bit floating result of type promotion is computed in the 32-bit type, a 64-bit
integer one raises (``promoted``).

A device may also lack only the 64-bit floating-point types its backend holds elsewhere
(torch's MPS: no float64, no complex128; ``backend.device_dtypes(device)``). There the
same rules apply to those types: the default real and complex floating dtypes are float32
and complex64, intermediates are computed in them, an explicit float64 raises.
"""

from __future__ import annotations

from typing import Any

from . import _dtypes
from ._backends import NARROW, check_supported, lacks, narrowed_for, promoted
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


def default_float(backend: Any, device: Any = None) -> _dtypes.DType:
    """The default real floating dtype on ``backend``'s ``device`` (None: its default)."""
    return narrowed(settings.default_float, backend, device)


def default_complex(backend: Any, device: Any = None) -> _dtypes.DType:
    """The default complex floating dtype on ``backend``'s ``device`` (None: its default)."""
    return narrowed(settings.default_complex, backend, device)


def widest(kind: str, backend: Any, device: Any = None) -> _dtypes.DType:
    """The widest dtype of ``kind`` (``"i"``, ``"u"``, ``"f"`` or ``"c"``) on ``backend``'s
    ``device``: what storax computes intermediate results in (float64 where there is one)."""
    return narrowed(_WIDEST[kind], backend, device)


def narrowed(dtype: Any, backend: Any, device: Any = None) -> Any:
    """``dtype``, or its 32-bit type on a device without that 64-bit type (for dtypes
    storax chooses itself: defaults and intermediates, never a requested one)."""
    if backend.x64 and dtype not in NARROW:
        return dtype
    return narrowed_for(dtype, backend, device)


def requested(dtype: Any, x: Any, func: str) -> Any:
    """A dtype the caller asked for (``dtype=``, ``astype``) for a result on ``x``'s device:
    checked against what the device holds."""
    backend = x._backend
    if not backend.x64 or lacks(dtype, backend, x.device):
        check_supported(dtype, backend, x.device, func)
    return dtype
