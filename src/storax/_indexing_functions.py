"""Indexing functions (spec chapter "Indexing Functions"): take, take_along_axis.

Both return new storage (a gather), never a view.
"""

from __future__ import annotations

from typing import Any

from . import _dtypes
from ._array_object import Array
from ._backends import check_same_device, is_host_value
from ._backends import host as _host
from ._backends import wrap as _wrap
from ._device_dtypes import index_dtype
from ._manipulation_functions import _as_array, _axis

__all__ = ["take", "take_along_axis"]


def _indices(x: Array, indices: Any, func: str) -> Any:
    """The backend value of an integer index array (a storax array or NumPy data)."""
    xp = x._backend.xp
    if isinstance(indices, Array):
        check_same_device(x, indices, func)
        v = indices._value
    elif is_host_value(indices) or isinstance(indices, (list, tuple, int)):
        # Note: like NumPy, storax also takes NumPy arrays, lists and ints as indices.
        v = _host.xp.asarray(indices)
        if v.size == 0 and v.dtype.kind == "f":
            v = v.astype(_dtypes.int64)
        if not x._backend.caps.host_native and v.dtype.kind in "iu":
            if v.dtype not in x._backend.supported_dtypes:
                # a device without 64-bit types: an index beyond int32 is out of bounds
                # for any axis there; the others move in the index dtype
                v = _host_narrowed(v, x, func)
            v = xp.asarray(v)
    else:
        raise TypeError(f"{func}: indices must be an integer array, got {type(indices).__name__}")
    if v.dtype.kind not in "iu":
        raise TypeError(f"{func}: indices must have an integer data type, got {v.dtype}")
    return v


def _host_narrowed(v: Any, x: Array, func: str) -> Any:
    """Host integer indices ``v`` in ``x``'s device index dtype (IndexError when one does
    not fit: it is out of bounds for every axis there)."""
    d = index_dtype(x._backend)
    if v.size:
        low, high = _dtypes.int_range(d)
        lo, hi = int(v.min()), int(v.max())
        if lo < low or hi > high:
            bad = lo if lo < low else hi
            raise IndexError(f"{func}: index {bad} is out of bounds for {x.device} ({d} indices)")
    return v.astype(d)


def _gather_kernel(xp: Any, v: Any, idx: Any, axis: int, along: bool, dtype: Any) -> Any:
    """``take`` (``take_along_axis`` when ``along``) with negative indices wrapped, and the
    indices' (min, max) for the bounds check: one compiled kernel on JAX."""
    n = v.shape[axis]
    if idx.size:
        bounds = xp.stack([xp.min(idx), xp.max(idx)])
    else:
        bounds = xp.zeros(2, dtype=idx.dtype)
    if idx.dtype.kind == "i":
        idx = idx.astype(dtype)
        idx = xp.where(idx < 0, idx + n, idx)
    out = xp.take_along_axis(v, idx, axis=axis) if along else xp.take(v, idx, axis=axis)
    return out, bounds


_GATHER: dict[str, Any] = {}


def _checked_gather(x: Array, v: Any, idx: Any, ax: int, along: bool, func: str) -> Array:
    """The gather on a backend that clamps indices (JAX), raising IndexError for an index
    out of bounds as NumPy does (reading the bounds is a synchronisation point; inside a
    traced function the indices are unknown: they are only wrapped)."""
    backend = x._backend
    kernel = _GATHER.get(backend.name)
    if kernel is None:
        kernel = _GATHER[backend.name] = backend.composite(
            _gather_kernel, ("axis", "along", "dtype")
        )
    out, bounds = kernel(v, idx, axis=ax, along=along, dtype=index_dtype(backend))
    if not (backend.is_tracer(idx) or backend.is_tracer(v)):
        n = v.shape[ax]
        lo, hi = backend.tolist(bounds)
        if lo < -n or hi >= n:
            bad = lo if lo < -n else hi
            raise IndexError(f"{func}: index {bad} is out of bounds for an axis of size {n}")
    return x._new(out)  # (the kernel's array, of x's family: ~half the generic wrap)


def take(x: Array, indices: Any, /, *, axis: int | None = None) -> Array:
    """https://data-apis.org/array-api/latest/API_specification/generated/array_api.take.html"""
    x = _as_array(x, "take")
    idx = _indices(x, indices, "take")
    # Note: the spec asks for one-dimensional indices; like NumPy, storax accepts any
    # number of index dimensions (they replace ``axis`` in the result's shape).
    if axis is None:
        if x.ndim > 1:
            raise ValueError(f"take: axis is required for a {x.ndim}-dimensional array")
        # Note: a 0-d ``x`` (unspecified by the standard) is treated as NumPy does: flattened.
        ax = 0
        v = x._value
        if v.ndim != 1:  # (an eager JAX reshape costs ~40 us even when it has nothing to do)
            v = v.reshape(-1)
    else:
        ax = _axis(axis, x.ndim, "take")
        v = x._value
    xp = x._backend.xp
    if not x._backend.caps.clamps_indices:  # the backend raises IndexError itself
        try:
            return _wrap(xp.take(v, idx, axis=ax))
        except IndexError as e:
            raise IndexError(f"take: {e}") from None
    return _checked_gather(x, v, idx, ax, False, "take")


def take_along_axis(x: Array, indices: Any, /, *, axis: int = -1) -> Array:
    """https://data-apis.org/array-api/latest/API_specification/generated/array_api.take_along_axis.html"""
    x = _as_array(x, "take_along_axis")
    idx = _indices(x, indices, "take_along_axis")
    ax = _axis(axis, x.ndim, "take_along_axis")
    if idx.ndim != x.ndim:
        raise ValueError(
            f"take_along_axis: indices must have as many dimensions as x ({x.ndim}), got {idx.ndim}"
        )
    for i, (a, b) in enumerate(zip(x.shape, idx.shape, strict=True)):
        if i != ax and a != b and a != 1 and b != 1:
            raise ValueError(
                f"take_along_axis: indices of shape {idx.shape} do not broadcast with x of "
                f"shape {x.shape} off axis {ax}"
            )
    xp = x._backend.xp
    if not x._backend.caps.clamps_indices:
        try:
            return _wrap(xp.take_along_axis(x._value, idx, axis=ax))
        except IndexError as e:
            raise IndexError(f"take_along_axis: {e}") from None
        except ValueError as e:
            raise ValueError(f"take_along_axis: {e}") from None
    return _checked_gather(x, x._value, idx, ax, True, "take_along_axis")
