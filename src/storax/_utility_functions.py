"""Utility functions (spec chapter "Utility Functions"): all, any, diff.

Every function returns new storage.
"""

from __future__ import annotations

import builtins
from typing import Any

from . import _dtypes
from ._array_object import Array
from ._backends import check_same_device
from ._backends import wrap as _wrap
from ._device_dtypes import promoted
from ._manipulation_functions import _as_array, _axis, _int, _maybe_array, _reduction_axes
from ._names import reduced as _reduced
from ._names import resolve_axes as _resolve_axes
from ._searching_functions import _check_bool, _check_scalar

__all__ = ["all", "any", "diff"]

_PY_SCALARS = (builtins.bool, int, float, complex)


def _logical_reduce(x: Any, axis: Any, keepdims: Any, func: str) -> Array:
    x = _as_array(x, func)
    _check_bool(keepdims, func, "keepdims")
    ax = _reduction_axes(_resolve_axes(x, axis, func), x.ndim, func)
    v = x._value
    if v.dtype.kind == "c":
        # Note: jax.numpy's all/any read only the real part of complex numbers; a complex
        # number is true when it is non-zero, so compare with zero first.
        v = v != 0
    return _reduced(
        x, x._new(getattr(x._backend.kx, func)(v, axis=ax, keepdims=keepdims)), ax, keepdims
    )


def all(x: Array, /, *, axis: Any = None, keepdims: builtins.bool = False) -> Array:
    """https://data-apis.org/array-api/latest/API_specification/generated/array_api.all.html"""
    return _logical_reduce(x, axis, keepdims, "all")


def any(x: Array, /, *, axis: Any = None, keepdims: builtins.bool = False) -> Array:
    """https://data-apis.org/array-api/latest/API_specification/generated/array_api.any.html"""
    return _logical_reduce(x, axis, keepdims, "any")


def _edge(value: Any, x: Array, axis: int, name: str) -> Any:
    """``prepend``/``append`` as a backend value shaped like ``x`` off ``axis``."""
    value = _maybe_array(value, "diff")
    if isinstance(value, Array):
        check_same_device(x, value, "diff")
        v = value._value
        if v.ndim != x.ndim or builtins.any(
            a != b for i, (a, b) in enumerate(zip(v.shape, x.shape, strict=True)) if i != axis
        ):
            raise ValueError(
                f"diff: {name} has shape {v.shape}, which does not match x's shape "
                f"{x.shape} off axis {axis}"
            )
        return v
    if type(value) in _PY_SCALARS:
        # Note: as in NumPy, a scalar stands for one slice of that value along the axis.
        _check_scalar(value, x.dtype, "diff")
        shape = list(x.shape)
        shape[axis] = 1
        d = promoted(_dtypes.weak_result_type(x.dtype, value), x._backend, x.device, "diff")
        return x._backend.xp.full(shape, value, dtype=d)
    raise TypeError(f"diff: {name} must be an array or a Python scalar, got {type(value).__name__}")


def diff(
    x: Array,
    /,
    n: int = 1,
    axis: int = -1,
    *,
    prepend: Array | None = None,
    append: Array | None = None,
) -> Array:
    """https://data-apis.org/array-api/latest/API_specification/generated/array_api.diff.html"""
    # Note: the spec makes ``axis`` and ``n`` keyword-only; storax also takes them
    # positionally in NumPy's order (``diff(x, 2)``, ``diff(x, 1, 0)``).
    x = _as_array(x, "diff")
    # Note: the spec asks for numeric data; as NumPy, storax also takes booleans, whose
    # difference is "not equal" (True where neighbours differ).
    if x.ndim == 0:
        raise ValueError("diff: x must have at least one dimension")
    ax = _axis(axis, x.ndim, "diff")
    n = _int(n, "diff", "n")
    if n < 0:
        raise ValueError(f"diff: n must be non-negative, got {n}")
    parts = [x._value]
    if prepend is not None:
        parts.insert(0, _edge(prepend, x, ax, "prepend"))
    if append is not None:
        parts.append(_edge(append, x, ax, "append"))
    xp = x._backend.xp
    if len(parts) > 1 and builtins.any(p.dtype != x.dtype for p in parts):
        # Note: prepend/append of another dtype promote with x (the spec leaves it open).
        d = x.dtype
        for p in parts:
            d = _dtypes.promote(d, p.dtype, func="diff")
        d = promoted(d, x._backend, x.device, "diff")
        parts = [p.astype(d) for p in parts]
    v = parts[0] if len(parts) == 1 else xp.concatenate(parts, axis=ax)
    # Note: NumPy and JAX loop n times; from n = the axis length on, the result is empty.
    return _wrap(xp.diff(v, n=builtins.min(n, v.shape[ax]), axis=ax))
