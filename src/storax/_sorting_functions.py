"""Sorting functions (spec chapter "Sorting Functions"): argsort, sort.

Both return new storage. Sorts are stable unless ``stable=False``; NaNs sort as the
largest values (last ascending, first descending).
"""

from __future__ import annotations

import builtins
from typing import Any

from . import _dtypes
from ._array_object import Array
from ._backends import wrap as _wrap
from ._device_dtypes import index_dtype
from ._manipulation_functions import _as_array, _axis
from ._searching_functions import _ORDERED, _check_bool

__all__ = ["argsort", "sort"]

_ORDERED_DTYPES = _dtypes.CATEGORIES[_ORDERED]


def _argsort(xp: Any, v: Any, axis: int, descending: builtins.bool, stable: builtins.bool) -> Any:
    if not descending:
        return xp.argsort(v, axis=axis, stable=stable)
    # Stable descending order: sort the reversed array ascending, reverse the result and
    # map the indices back, so that equal elements keep their original order.
    n = v.shape[axis]
    rev = xp.flip(xp.argsort(xp.flip(v, axis=axis), axis=axis, stable=stable), axis=axis)
    return (n - 1) - rev


def _argsort_kernel(
    xp: Any, v: Any, axis: int, descending: builtins.bool, stable: builtins.bool, dtype: Any
) -> Any:
    return _argsort(xp, v, axis, descending, stable).astype(dtype, copy=False)


def _sort_descending_kernel(xp: Any, v: Any, axis: int, stable: builtins.bool) -> Any:
    # Stable descending order of values: sort the reversed array ascending, reverse back
    # (equal elements keep their original order, NaNs come first).
    return xp.flip(xp.sort(xp.flip(v, axis=axis), axis=axis, stable=stable), axis=axis)


# backend name -> its composite kernels (one compiled kernel per call on JAX, instead of
# a dispatch per step; called eagerly with the hot-path kernels on NumPy)
_KERNELS: dict[str, tuple[Any, Any]] = {}


def _kernels(backend: Any) -> tuple[Any, Any]:
    k = _KERNELS.get(backend.name)
    if k is None:
        k = _KERNELS[backend.name] = (
            backend.composite(_argsort_kernel, ("axis", "descending", "stable", "dtype")),
            backend.composite(_sort_descending_kernel, ("axis", "stable")),
        )
    return k


def _check(x: Any, axis: Any, descending: Any, stable: Any, func: str) -> tuple[Array, int]:
    """Validate the arguments; return ``x`` as an Array and the axis (-1 for a 0-d array)."""
    if (
        isinstance(x, Array)
        and type(descending) is builtins.bool
        and type(stable) is builtins.bool
        and type(axis) is int
        and x.dtype in _ORDERED_DTYPES
    ):
        ndim = x.ndim
        if ndim and -ndim <= axis < ndim:  # the common call: every check in one test
            return x, axis if axis >= 0 else axis + ndim
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
    xp = x._backend.xp
    if ax == -1:
        return _wrap(xp.zeros_like(x._value, dtype=index_dtype(x._backend)))
    kernel = _kernels(x._backend)[0]
    return _wrap(
        kernel(
            x._value, axis=ax, descending=builtins.bool(descending),
            stable=builtins.bool(stable), dtype=index_dtype(x._backend),
        )
    )  # fmt: skip


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
        return x._new(v.copy())
    sort_ = x._backend.kx.sort
    if not descending:
        return x._new(sort_(v, axis=ax, stable=stable))
    return x._new(_kernels(x._backend)[1](v, axis=ax, stable=builtins.bool(stable)))
