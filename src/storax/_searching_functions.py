"""Searching functions (spec chapter "Searching Functions").

Every result is new storage; index results have the default index dtype (int64).
"""

from __future__ import annotations

import builtins
from typing import Any, Literal

from . import _dtypes
from ._array_object import Array
from ._backends import check_same_device
from ._backends import host as _host
from ._backends import wrap as _wrap
from ._device_dtypes import index_dtype, promoted
from ._manipulation_functions import (
    _as_array,
    _axis,
    _index_range,
    _maybe_array,
    _reduction_axes,
)
from ._names import reduced as _reduced
from ._names import resolve_axes as _resolve_axes

__all__ = ["argmax", "argmin", "count_nonzero", "nonzero", "searchsorted", "where"]

_PY_SCALARS = (builtins.bool, int, float, complex)
# Note: the spec asks for real-valued inputs where an order is needed; storax also takes
# booleans (as NumPy does: ``argmax(mask)`` finds the first True) but not complex numbers,
# whose order the standard leaves unspecified.
_ORDERED = "real-valued or boolean"


def _check_bool(value: Any, func: str, name: str) -> builtins.bool:
    if not isinstance(value, builtins.bool):
        raise TypeError(f"{func}: {name} must be a bool, got {type(value).__name__}")
    return value


def _check_scalar(value: Any, dtype: Any, func: str) -> None:
    """A Python scalar used with an array of ``dtype`` (the spec's scalar-mixing rules)."""
    t = type(value)
    if t is builtins.bool:
        if dtype.kind != "b":
            raise TypeError(f"{func}: a bool scalar needs a boolean array, got {dtype}")
        return
    if dtype.kind == "b":
        raise TypeError(f"{func}: a {t.__name__} scalar cannot be used with a boolean array")
    if t is int and dtype.kind in "iu":
        low, high = _dtypes.int_range(dtype)
        if not low <= value <= high:
            raise OverflowError(f"{func}: {value} does not fit in {dtype}")
    # Note: a float (complex) scalar with an integer (real) array promotes as in NumPy.


def _arg_reduce(x: Array, axis: Any, keepdims: Any, func: str) -> Array:
    x = _as_array(x, func)
    _dtypes.check_category(x.dtype, _ORDERED, func)
    _check_bool(keepdims, func, "keepdims")
    ax = None if axis is None else _axis(_resolve_axes(x, axis, func), x.ndim, func)
    if x.size == 0 and (ax is None or x.shape[ax] == 0):
        raise ValueError(f"{func}: cannot search an empty array (shape {x.shape})")
    backend = x._backend
    # ``kx``: on JAX the jitted kernel (one dispatch, no jax.numpy argument handling).
    r = getattr(backend.kx, func)(x._value, axis=ax, keepdims=keepdims)
    index = index_dtype(backend)
    if r.dtype != index:  # a 32-bit index on a 64-bit device (torch, JAX without x64)
        r = backend.xp.asarray(r, dtype=index)
    return _reduced(x, x._new(r), None if ax is None else (ax,), keepdims)


def argmax(x: Array, /, *, axis: int | None = None, keepdims: builtins.bool = False) -> Array:
    """https://data-apis.org/array-api/latest/API_specification/generated/array_api.argmax.html"""
    return _arg_reduce(x, axis, keepdims, "argmax")


def argmin(x: Array, /, *, axis: int | None = None, keepdims: builtins.bool = False) -> Array:
    """https://data-apis.org/array-api/latest/API_specification/generated/array_api.argmin.html"""
    return _arg_reduce(x, axis, keepdims, "argmin")


def count_nonzero(x: Array, /, *, axis: Any = None, keepdims: builtins.bool = False) -> Array:
    """https://data-apis.org/array-api/latest/API_specification/generated/array_api.count_nonzero.html"""
    x = _as_array(x, "count_nonzero")
    _check_bool(keepdims, "count_nonzero", "keepdims")
    axes = (
        None
        if axis is None
        else _reduction_axes(_resolve_axes(x, axis, "count_nonzero"), x.ndim, "count_nonzero")
    )
    backend = x._backend
    kx = backend.kx
    if axes is None and not keepdims:  # (NumPy: straight to its C count, a 0-d array)
        r = kx.count_nonzero(x._value)
    else:
        r = kx.count_nonzero(x._value, axis=axes, keepdims=keepdims)
    idx = index_dtype(backend)
    if getattr(r, "dtype", None) != idx:
        r = backend.xp.asarray(r, dtype=idx)
    return _reduced(x, x._new(r), axes, keepdims)


def nonzero(x: Array, /) -> tuple[Array, ...]:
    """https://data-apis.org/array-api/latest/API_specification/generated/array_api.nonzero.html"""
    x = _as_array(x, "nonzero")
    if x.ndim == 0:
        raise ValueError("nonzero: a zero-dimensional array has no indices")
    xp = x._backend.xp
    # Note: NumPy returns the index arrays of an N-d input as rows of one (N, n) array, so
    # they would share a storage; storax's results are new storages, one each, on every
    # backend (docs/views.md), hence the copy for more than one row.
    index = index_dtype(x._backend)
    if x.ndim == 1:
        (i,) = xp.nonzero(x._value)
        return (x._new(i if i.dtype == index else i.astype(index)),)
    return tuple(x._new(i.astype(index, copy=True)) for i in xp.nonzero(x._value))


def searchsorted(
    x1: Array,
    x2: Any,
    /,
    *,
    side: Literal["left", "right"] = "left",
    sorter: Array | None = None,
) -> Array:
    """https://data-apis.org/array-api/latest/API_specification/generated/array_api.searchsorted.html"""
    x1 = _as_array(x1, "searchsorted")
    _dtypes.check_category(x1.dtype, _ORDERED, "searchsorted")
    if x1.ndim != 1:
        raise ValueError(f"searchsorted: x1 must be one-dimensional, got shape {x1.shape}")
    if side not in ("left", "right"):
        raise ValueError(f"searchsorted: side must be 'left' or 'right', got {side!r}")
    xp = x1._backend.xp
    a = x1._value
    x2 = _maybe_array(x2, "searchsorted")
    if isinstance(x2, Array):
        check_same_device(x1, x2, "searchsorted")
        _dtypes.check_category(x2.dtype, _ORDERED, "searchsorted")
        v = x2._value
        if v.dtype != a.dtype:
            d = _dtypes.promote(a.dtype, v.dtype, func="searchsorted")
            d = promoted(d, x1._backend, x1.device, "searchsorted")
            if a.dtype != d:  # (an eager JAX astype costs even when it has nothing to do)
                a = a.astype(d, copy=False)
            if v.dtype != d:
                v = v.astype(d, copy=False)
    elif type(x2) in _PY_SCALARS:
        # Note: Python scalars are accepted in both API versions (2025.12 added them).
        if type(x2) is complex:
            raise TypeError("searchsorted: complex values have no order")
        _check_scalar(x2, a.dtype, "searchsorted")
        # Note: as a 0-d array of x1's dtype, so that uint64 values beyond int64 reach JAX
        # (which reads a Python int as int64) intact.
        v = x2 if type(x2) is not int else xp.asarray(_host.xp.asarray(x2, dtype=a.dtype))
    else:
        raise TypeError(
            f"searchsorted: x2 must be an array or a real scalar, got {type(x2).__name__}"
        )
    s = None
    if sorter is not None:
        sorter = _as_array(sorter, "searchsorted")
        check_same_device(x1, sorter, "searchsorted")
        s = sorter._value
        if s.dtype.kind not in "iu":
            raise TypeError(f"searchsorted: sorter must have an integer dtype, got {s.dtype}")
        if s.shape != a.shape:
            raise ValueError(f"searchsorted: sorter has shape {s.shape}, x1 has {a.shape}")
        n = a.shape[0]
        # Inside a jitted function the range is unknown: wrap, unchecked.
        lo, hi = (_index_range(xp, s) or (-1, 0)) if s.size else (0, 0)
        if lo < -n or hi >= n:
            raise IndexError("searchsorted: sorter holds an out-of-range index")
        if lo < 0:
            # Note: negative sorter indices count from the end, as indices do elsewhere
            # (NumPy rejects them, jax.numpy would clamp them).
            s = s.astype(index_dtype(x1._backend))
            s = xp.where(s < 0, s + n, s)
    backend = x1._backend
    kernel = _SEARCHSORTED.get(backend.name)
    if kernel is None:
        kernel = _SEARCHSORTED[backend.name] = backend.composite(
            _searchsorted_kernel, ("side", "dtype")
        )
    return x1._new(kernel(a, v, s, side=side, dtype=index_dtype(backend)))


# backend name -> searchsorted and the cast to the index dtype as one kernel (jax.numpy's
# result is int32: on JAX one compiled call instead of two eager ones)
_SEARCHSORTED: dict[str, Any] = {}


def _searchsorted_kernel(xp: Any, a: Any, v: Any, s: Any, *, side: str, dtype: Any) -> Any:
    return xp.asarray(xp.searchsorted(a, v, side=side, sorter=s), dtype=dtype)


_ABSENT: Any = object()


def where(condition: Array, x1: Any = _ABSENT, x2: Any = _ABSENT, /) -> Any:
    """https://data-apis.org/array-api/latest/API_specification/generated/array_api.where.html

    ``where(condition)`` alone (beyond the standard, as NumPy's) is ``nonzero(condition)``.
    """
    try:
        whole = condition._array_where  # a family's one-call kernel (None: not served)
    except AttributeError:  # not an Array
        whole = None
    if whole is not None and (r := whole(condition, x1, x2)) is not None:
        return r
    family = type(condition)
    a1, a2 = type(x1) is family, type(x2) is family
    if (
        (a1 or a2)
        and (a1 or type(x1) is float)
        and (a2 or type(x2) is float)
        and isinstance(condition, Array)
        and condition._backend.caps.single_device
    ):
        # The common calls: arrays of one family (one device), x1 and x2 of one dtype, or
        # a floating-point array and a Python float (which takes the array's dtype):
        # nothing to promote or check but the shapes (the kernel broadcasts).
        v1 = x1._value if a1 else x1
        v2 = x2._value if a2 else x2
        if (v1.dtype == v2.dtype) if (a1 and a2) else (v1 if a1 else v2).dtype.kind in "fc":
            try:
                return condition._new(condition._backend.kx.where(condition._value, v1, v2))
            except Exception:
                pass  # shapes that do not broadcast: the general path's error
    if x1 is _ABSENT and x2 is _ABSENT:
        # Note: the spec requires x1 and x2; NumPy's one-argument form (scikit-learn's
        # roc_curve calls it) is nonzero, and the standard does not ask for an error.
        return nonzero(condition)
    if x1 is _ABSENT or x2 is _ABSENT:
        raise TypeError("where: either both or neither of x1 and x2 must be given")
    condition = _as_array(condition, "where")
    c = condition._value
    # Note: the spec says condition *should* be boolean; like NumPy, storax takes any dtype
    # and uses its truth value.
    x1, x2 = _maybe_array(x1, "where"), _maybe_array(x2, "where")
    a1, a2 = isinstance(x1, Array), isinstance(x2, Array)
    if not (a1 or a2):
        raise TypeError("where: at least one of x1 and x2 must be an array")
    for other, val, is_arr, name in ((x2, x1, a1, "x1"), (x1, x2, a2, "x2")):
        if is_arr:
            continue
        if type(val) not in _PY_SCALARS:
            raise TypeError(f"where: {name} must be an array or a Python scalar")
        _check_scalar(val, other.dtype, "where")
    for other, is_arr in ((x1, a1), (x2, a2)):
        if is_arr:
            check_same_device(condition, other, "where")
    v1 = x1._value if a1 else x1
    v2 = x2._value if a2 else x2
    if a1 and a2 and x1.dtype != x2.dtype:
        d = _dtypes.promote(x1.dtype, x2.dtype, func="where")
        d = promoted(d, condition._backend, condition.device, "where")
        v1, v2 = v1.astype(d, copy=False), v2.astype(d, copy=False)
    try:
        return _wrap(condition._backend.xp.where(c, v1, v2))
    except ValueError:
        shapes = [getattr(o, "shape", ()) for o in (condition, x1, x2)]
        raise ValueError(f"where: shapes {shapes} are not broadcast-compatible") from None


def top_k(
    x: Array,
    k: int,
    /,
    *,
    axis: int = -1,
    mode: Literal["largest", "smallest"] = "largest",
) -> tuple[Array, Array]:
    """The ``k`` largest (or smallest) elements along ``axis`` and their indices (draft,
    2026.12: data-apis/array-api#722).

    The values come in order (descending for ``"largest"``); NaN orders above every
    number (as in ``sort``), ties by lowest index, so the result equals the first ``k``
    entries of a stable ``sort``/``argsort``. It costs a partial sort, not a full one.
    """
    x = _as_array(x, "top_k")
    _dtypes.check_category(x.dtype, _ORDERED, "top_k")
    if isinstance(k, builtins.bool) or not isinstance(k, int):
        raise TypeError(f"top_k: k must be an int, got {type(k).__name__}")
    if mode not in ("largest", "smallest"):
        raise ValueError(f"top_k: mode must be 'largest' or 'smallest', got {mode!r}")
    # Note: a 0-d array is treated as one element along axis -1 or 0 (as in sort).
    ndim = builtins.max(x.ndim, 1)
    ax = _axis(axis, ndim, "top_k")
    n = x.shape[ax] if x.ndim else 1
    if not 0 <= k <= n:
        raise ValueError(
            f"top_k: k must be in [0, {n}] for axis {axis} of shape {x.shape}, got {k}"
        )
    v = x._value
    if x.ndim == 0:
        v = v.reshape((1,))
    vals, idx = x._backend.top_k(v, k, ax, mode == "largest")
    idx = idx.astype(index_dtype(x._backend), copy=False)
    if x.ndim == 0 and k == 1:
        vals, idx = vals.reshape(()), idx.reshape(())
    return _wrap(vals), _wrap(idx)
