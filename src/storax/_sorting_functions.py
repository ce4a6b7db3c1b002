"""Sorting functions (spec chapter "Sorting Functions"): argsort, sort.

Both return new storage. Sorts are stable unless ``stable=False``; NaNs sort as the
largest values (last ascending, first descending).
"""

from __future__ import annotations

import builtins
from typing import Any

from . import _dtypes
from ._array_object import Array, _wrap
from ._backends import _numpy as _npb
from ._manipulation_functions import _as_array, _axis
from ._searching_functions import _ORDERED, _check_bool

np = _npb.np_

__all__ = ["argsort", "sort"]


def _argsort(v: Any, axis: int, descending: builtins.bool, stable: builtins.bool) -> Any:
    kind: Any = "stable" if stable else None
    if not descending:
        return np.argsort(v, axis=axis, kind=kind)
    # Stable descending order: sort the reversed array ascending, reverse the result and
    # map the indices back, so that equal elements keep their original order.
    n = v.shape[axis]
    rev = np.flip(np.argsort(np.flip(v, axis), axis=axis, kind=kind), axis)
    return (n - 1) - rev


def _check(x: Any, axis: Any, descending: Any, stable: Any, func: str) -> tuple[Array, int]:
    """Validate the arguments; return ``x`` as an Array and the axis (-1 for a 0-d array)."""
    x = _as_array(x, func)
    _dtypes.check_category(x.dtype, _ORDERED, func)
    _check_bool(descending, func, "descending")
    _check_bool(stable, func, "stable")
    if x.ndim == 0:
        # Note: a 0-d array sorts to itself (NumPy accepts axis -1 and 0 for it).
        if _axis(axis, 1, func) != 0:
            raise IndexError(f"{func}: axis {axis} is out of bounds for 0 dimensions")
        return x, -1
    return x, _axis(axis, x.ndim, func)


def argsort(
    x: Array,
    /,
    *,
    axis: int = -1,
    descending: builtins.bool = False,
    stable: builtins.bool = True,
) -> Array:
    """https://data-apis.org/array-api/latest/API_specification/generated/array_api.argsort.html"""
    x, ax = _check(x, axis, descending, stable, "argsort")
    if ax == -1:
        return _wrap(np.zeros((), dtype=_dtypes.int64))
    return _wrap(_argsort(x._value, ax, descending, stable).astype(_dtypes.int64, copy=False))


def sort(
    x: Array,
    /,
    *,
    axis: int = -1,
    descending: builtins.bool = False,
    stable: builtins.bool = True,
) -> Array:
    """https://data-apis.org/array-api/latest/API_specification/generated/array_api.sort.html"""
    x, ax = _check(x, axis, descending, stable, "sort")
    v = x._value
    if ax == -1:
        return _wrap(v.copy())
    if not descending:
        kind: Any = "stable" if stable else None
        return _wrap(np.sort(v, axis=ax, kind=kind))
    return _wrap(np.take_along_axis(v, _argsort(v, ax, True, stable), axis=ax))
