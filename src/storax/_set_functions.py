"""Set functions (spec chapter "Set Functions"): isin and the unique_* family.

Results are new storage. NaNs are distinct from one another (value equality), signed
zeros are one value; unique values come out sorted.
"""

from __future__ import annotations

import builtins
from typing import Any, NamedTuple

from . import _dtypes
from ._array_object import Array
from ._backends import check_same_device
from ._backends import wrap as _wrap
from ._device_dtypes import index_dtype, promoted
from ._manipulation_functions import _as_array, _maybe_array
from ._searching_functions import _check_scalar

__all__ = ["isin", "unique_all", "unique_counts", "unique_inverse", "unique_values"]

_PY_SCALARS = (builtins.bool, int, float, complex)


class UniqueAllResult(NamedTuple):
    """Result of :func:`unique_all`."""

    values: Array
    indices: Array
    inverse_indices: Array
    counts: Array


class UniqueCountsResult(NamedTuple):
    """Result of :func:`unique_counts`."""

    values: Array
    counts: Array


class UniqueInverseResult(NamedTuple):
    """Result of :func:`unique_inverse`."""

    values: Array
    inverse_indices: Array


def _index(x: Array, v: Any) -> Array:
    """Indices and counts in the default index dtype of ``x``'s device."""
    return _wrap(x._backend.xp.asarray(v, dtype=index_dtype(x._backend)))


def unique_all(x: Array, /) -> UniqueAllResult:
    """https://data-apis.org/array-api/latest/API_specification/generated/array_api.unique_all.html"""
    x = _as_array(x, "unique_all")
    xp = x._backend.xp
    r = xp.unique_all(x._value)
    inv = xp.reshape(r.inverse_indices, x.shape)
    return UniqueAllResult(
        _wrap(r.values), _index(x, r.indices), _index(x, inv), _index(x, r.counts)
    )


def unique_counts(x: Array, /) -> UniqueCountsResult:
    """https://data-apis.org/array-api/latest/API_specification/generated/array_api.unique_counts.html"""
    x = _as_array(x, "unique_counts")
    xp = x._backend.xp
    r = xp.unique_counts(x._value)
    return UniqueCountsResult(_wrap(r.values), _index(x, r.counts))


def unique_inverse(x: Array, /) -> UniqueInverseResult:
    """https://data-apis.org/array-api/latest/API_specification/generated/array_api.unique_inverse.html"""
    x = _as_array(x, "unique_inverse")
    xp = x._backend.xp
    r = xp.unique_inverse(x._value)
    inv = xp.reshape(r.inverse_indices, x.shape)
    return UniqueInverseResult(_wrap(r.values), _index(x, inv))


def unique_values(x: Array, /) -> Array:
    """https://data-apis.org/array-api/latest/API_specification/generated/array_api.unique_values.html"""
    x = _as_array(x, "unique_values")
    # Note: sorted, like the other unique_* functions (NumPy >= 2.3's unique_values is
    # unordered; scikit-learn relies on sorted classes). NaNs are distinct, as the spec asks.
    return _wrap(x._backend.xp.unique(x._value, equal_nan=False))


def isin(x1: Any, x2: Any, /, *, invert: builtins.bool = False) -> Array:
    """https://data-apis.org/array-api/latest/API_specification/generated/array_api.isin.html"""
    if not isinstance(invert, builtins.bool):
        raise TypeError(f"isin: invert must be a bool, got {type(invert).__name__}")
    x1, x2 = _maybe_array(x1, "isin"), _maybe_array(x2, "isin")
    a1, a2 = isinstance(x1, Array), isinstance(x2, Array)
    if not (a1 or a2):
        raise TypeError("isin: at least one of x1 and x2 must be an array")
    for val, is_arr, other, name in ((x1, a1, x2, "x1"), (x2, a2, x1, "x2")):
        if is_arr:
            continue
        if type(val) not in _PY_SCALARS:
            raise TypeError(f"isin: {name} must be an array or a Python scalar")
        _check_scalar(val, other.dtype, "isin")
    # Note: the spec asks for integer arrays; storax, like NumPy, compares any dtypes by
    # value equality (NaN is in nothing).
    if a1 and a2:
        check_same_device(x1, x2, "isin")
    arr = x1 if a1 else x2
    backend = arr._backend
    xp = backend.xp

    def scalar_dtype(other: Array, v: Any) -> Any:
        return promoted(_dtypes.weak_result_type(other.dtype, v), backend, arr.device, "isin")

    v1 = x1._value if a1 else xp.asarray(x1, dtype=scalar_dtype(x2, x1))
    v2 = x2._value if a2 else xp.asarray(x2, dtype=scalar_dtype(x1, x2))
    if v1.dtype != v2.dtype:
        d = promoted(_dtypes.promote(v1.dtype, v2.dtype, func="isin"), backend, arr.device, "isin")
        v1, v2 = v1.astype(d, copy=False), v2.astype(d, copy=False)
    return _wrap(xp.isin(v1, v2, invert=invert))
