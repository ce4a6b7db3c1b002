"""Statistical functions (spec chapter "Statistical Functions")."""

from __future__ import annotations

import builtins
from typing import Any

from . import _dtypes
from ._array_object import Array, _wrap
from ._backends import _numpy as _npb
from ._config import settings

np = _npb.np_

__all__ = ["mean", "sum"]


def _reduce_axis(x: Array, axis: Any, func: str) -> Any:
    if axis is None:
        return None
    n = x.ndim
    axes = axis if isinstance(axis, tuple) else (axis,)
    out = []
    for a in axes:
        if isinstance(a, builtins.bool) or not isinstance(a, int):
            raise TypeError(f"{func}: axis must be an int or a tuple of ints")
        if not -n <= a < n:
            raise IndexError(f"{func}: axis {a} is out of bounds for {n} dimensions")
        out.append(a % n)
    if len(set(out)) != len(out):
        raise ValueError(f"{func}: repeated axis")
    return tuple(out)


def _sum_dtype(x: Array, dtype: Any, func: str) -> Any:
    if dtype is not None:
        return _dtypes.check_dtype(dtype, func)
    d = x.dtype
    # Note: integer sums accumulate in the default integer dtype (uint64 for unsigned).
    if d.kind == "i":
        return settings.default_int if d.itemsize < 8 else d
    if d.kind == "u":
        return _dtypes.uint64
    return d


def sum(
    x: Array, /, *, axis: Any = None, dtype: Any = None, keepdims: builtins.bool = False
) -> Array:
    """https://data-apis.org/array-api/latest/API_specification/generated/array_api.sum.html"""
    if not isinstance(x, Array):
        raise TypeError(f"sum: expected a storax array, got {type(x).__name__}")
    _dtypes.check_category(x.dtype, "numeric", "sum")
    ax = _reduce_axis(x, axis, "sum")
    d = _sum_dtype(x, dtype, "sum")
    return _wrap(np.sum(x._value, axis=ax, dtype=d, keepdims=keepdims))


def mean(x: Array, /, *, axis: Any = None, keepdims: builtins.bool = False) -> Array:
    """https://data-apis.org/array-api/latest/API_specification/generated/array_api.mean.html"""
    if not isinstance(x, Array):
        raise TypeError(f"mean: expected a storax array, got {type(x).__name__}")
    _dtypes.check_category(x.dtype, "floating-point", "mean")
    ax = _reduce_axis(x, axis, "mean")
    return _wrap(np.mean(x._value, axis=ax, keepdims=keepdims))
