"""Indexing functions (spec chapter "Indexing Functions"): take, take_along_axis.

Both return new storage (a gather), never a view.
"""

from __future__ import annotations

from typing import Any

from ._array_object import Array, _wrap
from ._backends import _numpy as _npb
from ._manipulation_functions import _as_array, _axis

np = _npb.np_

__all__ = ["take", "take_along_axis"]


def _indices(indices: Any, func: str) -> Any:
    """The backend value of an integer index array (a storax array or NumPy data)."""
    if isinstance(indices, Array):
        v = indices._value
    elif isinstance(indices, (_npb.ndarray, _npb.generic, list, tuple, int)):
        # Note: like NumPy, storax also takes NumPy arrays, lists and ints as indices.
        v = np.asarray(indices)
        if v.size == 0 and v.dtype.kind == "f":
            v = v.astype(np.intp)
    else:
        raise TypeError(f"{func}: indices must be an integer array, got {type(indices).__name__}")
    if v.dtype.kind not in "iu":
        raise TypeError(f"{func}: indices must have an integer data type, got {v.dtype}")
    return v


def _gather_error(e: IndexError, func: str) -> IndexError:
    return IndexError(f"{func}: {e}")


def take(x: Array, indices: Any, /, *, axis: int | None = None) -> Array:
    """https://data-apis.org/array-api/latest/API_specification/generated/array_api.take.html"""
    x = _as_array(x, "take")
    idx = _indices(indices, "take")
    # Note: the spec asks for one-dimensional indices; like NumPy, storax accepts any
    # number of index dimensions (they replace ``axis`` in the result's shape).
    if axis is None:
        if x.ndim > 1:
            raise ValueError(f"take: axis is required for a {x.ndim}-dimensional array")
        # Note: a 0-d ``x`` (unspecified by the standard) is treated as NumPy does: flattened.
        ax = 0
        v = x._value.reshape(-1)
    else:
        ax = _axis(axis, x.ndim, "take")
        v = x._value
    try:
        return _wrap(np.take(v, idx, axis=ax))
    except IndexError as e:
        raise _gather_error(e, "take") from None


def take_along_axis(x: Array, indices: Any, /, *, axis: int = -1) -> Array:
    """https://data-apis.org/array-api/latest/API_specification/generated/array_api.take_along_axis.html"""
    x = _as_array(x, "take_along_axis")
    idx = _indices(indices, "take_along_axis")
    ax = _axis(axis, x.ndim, "take_along_axis")
    if idx.ndim != x.ndim:
        raise ValueError(
            f"take_along_axis: indices must have as many dimensions as x ({x.ndim}), got {idx.ndim}"
        )
    try:
        return _wrap(np.take_along_axis(x._value, idx, axis=ax))
    except IndexError as e:
        raise _gather_error(e, "take_along_axis") from None
    except ValueError as e:
        raise ValueError(f"take_along_axis: {e}") from None
