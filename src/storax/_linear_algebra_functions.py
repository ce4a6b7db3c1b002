"""Linear algebra functions of the main namespace (spec chapter "Linear Algebra Functions")."""

from __future__ import annotations

from ._array_object import Array, _wrap

__all__ = ["matrix_transpose"]


def matrix_transpose(x: Array, /) -> Array:
    """https://data-apis.org/array-api/latest/API_specification/generated/array_api.matrix_transpose.html

    A view: the last two axes swapped.
    """
    if not isinstance(x, Array):
        raise TypeError(f"matrix_transpose: expected a storax array, got {type(x).__name__}")
    if x.ndim < 2:
        raise ValueError(f"matrix_transpose: expected at least 2 dimensions, got {x.ndim}")
    return _wrap(x._value.swapaxes(-1, -2))
