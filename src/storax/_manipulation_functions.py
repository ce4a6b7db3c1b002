"""Manipulation functions (spec chapter "Manipulation Functions").

View-returning functions (permute_dims, expand_dims, squeeze, broadcast_to, reshape when
the layout allows, unstack, moveaxis) share the input's storage.
"""

from __future__ import annotations

import builtins
import operator
from typing import Any

from ._array_object import Array, _wrap
from ._backends import _numpy as _npb
from ._config import settings

np = _npb.np_

__all__ = [
    "broadcast_arrays",
    "broadcast_to",
    "expand_dims",
    "permute_dims",
    "reshape",
    "squeeze",
]


def _check_array(x: Any, func: str) -> None:
    if not isinstance(x, Array):
        raise TypeError(f"{func}: expected a storax array, got {type(x).__name__}")


def _axis(a: Any, ndim: int, func: str) -> int:
    if isinstance(a, builtins.bool):
        raise TypeError(f"{func}: axis must be an int, got bool")
    try:
        i = operator.index(a)
    except TypeError:
        raise TypeError(f"{func}: axis must be an int, got {type(a).__name__}") from None
    if not -ndim <= i < ndim:
        raise IndexError(f"{func}: axis {i} is out of bounds for {ndim} dimensions")
    return i % ndim


def _axes(axis: Any, ndim: int, func: str) -> tuple[int, ...]:
    axes = tuple(_axis(a, ndim, func) for a in (axis if isinstance(axis, tuple) else (axis,)))
    if len(set(axes)) != len(axes):
        raise ValueError(f"{func}: repeated axis in {axis}")
    return axes


def permute_dims(x: Array, /, axes: tuple[int, ...]) -> Array:
    """https://data-apis.org/array-api/latest/API_specification/generated/array_api.permute_dims.html"""
    _check_array(x, "permute_dims")
    if not isinstance(axes, (tuple, list)):
        raise TypeError("permute_dims: axes must be a tuple of ints")
    n = x.ndim
    ax = tuple(_axis(a, n, "permute_dims") for a in axes) if n else tuple(axes)
    if sorted(ax) != list(range(n)):
        raise ValueError(f"permute_dims: {tuple(axes)} is not a permutation of {n} axes")
    return _wrap(x._value.transpose(ax))


def reshape(x: Array, /, shape: tuple[int, ...], *, copy: builtins.bool | None = None) -> Array:
    """https://data-apis.org/array-api/latest/API_specification/generated/array_api.reshape.html"""
    _check_array(x, "reshape")
    if isinstance(shape, int):
        shape = (shape,)
    if not isinstance(shape, (tuple, list)):
        raise TypeError(f"reshape: shape must be a tuple of ints, got {type(shape).__name__}")
    dims = []
    for d in shape:
        if isinstance(d, builtins.bool):
            raise TypeError("reshape: shape entries must be integers")
        dims.append(operator.index(d))
    if builtins.sum(d == -1 for d in dims) > 1 or builtins.any(d < -1 for d in dims):
        raise ValueError(f"reshape: invalid shape {tuple(shape)}")
    try:
        if copy:
            return _wrap(np.reshape(x._value, dims, copy=True))
        return _wrap(np.reshape(x._value, dims, copy=copy))
    except ValueError as e:
        raise ValueError(f"reshape: cannot reshape {x.shape} into {tuple(shape)}: {e}") from None


def expand_dims(x: Array, /, axis: Any = 0) -> Array:
    """https://data-apis.org/array-api/latest/API_specification/generated/array_api.expand_dims.html"""
    _check_array(x, "expand_dims")
    if isinstance(axis, tuple) and settings.api_version == "2024.12":
        raise TypeError("expand_dims: a tuple of axes needs API version 2025.12")
    axes = axis if isinstance(axis, tuple) else (axis,)
    n = x.ndim + len(axes)
    norm = _axes(tuple(axes), n, "expand_dims")
    return _wrap(np.expand_dims(x._value, norm))


def squeeze(x: Array, /, axis: Any) -> Array:
    """https://data-apis.org/array-api/latest/API_specification/generated/array_api.squeeze.html"""
    _check_array(x, "squeeze")
    axes = _axes(axis, x.ndim, "squeeze")
    for a in axes:
        if x.shape[a] != 1:
            raise ValueError(f"squeeze: axis {a} has size {x.shape[a]}, not 1")
    return _wrap(np.squeeze(x._value, axes))


def broadcast_to(x: Array, /, shape: tuple[int, ...]) -> Array:
    """https://data-apis.org/array-api/latest/API_specification/generated/array_api.broadcast_to.html

    The result is a read-only view (stride 0 along broadcast axes).
    """
    _check_array(x, "broadcast_to")
    try:
        return _wrap(np.broadcast_to(x._value, tuple(shape)))
    except ValueError as e:
        raise ValueError(f"broadcast_to: cannot broadcast {x.shape} to {tuple(shape)}") from e


def broadcast_arrays(*arrays: Array) -> Any:
    """https://data-apis.org/array-api/latest/API_specification/generated/array_api.broadcast_arrays.html"""
    for a in arrays:
        _check_array(a, "broadcast_arrays")
    try:
        shape = np.broadcast_shapes(*(a.shape for a in arrays))
    except ValueError as e:
        raise ValueError(f"broadcast_arrays: {e}") from None
    out = [broadcast_to(a, shape) for a in arrays]
    # Note: 2024.12 returns a list, 2025.12 a tuple.
    return out if settings.api_version == "2024.12" else tuple(out)
