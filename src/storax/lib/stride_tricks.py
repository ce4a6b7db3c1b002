"""Views by stride arithmetic beyond the standard: ``sliding_window_view`` (NumPy's)."""

from __future__ import annotations

import builtins
from typing import Any

from .._array_object import Array
from .._core._layout import Layout
from .._manipulation_functions import _as_array, _axis

__all__ = ["sliding_window_view"]


def _ints(v: Any, func: str, what: str) -> tuple[int, ...]:
    items = v if isinstance(v, (tuple, list)) else (v,)
    out = []
    for n in items:
        if isinstance(n, builtins.bool) or not hasattr(n, "__index__"):
            raise TypeError(f"{func}: {what} must be integers, got {type(n).__name__}")
        out.append(n.__index__())
    return tuple(out)


def sliding_window_view(x: Array, window_shape: Any, axis: Any = None) -> Array:
    """A view of every window of ``window_shape`` over ``axis`` (NumPy's semantics).

    The windows are new trailing dimensions; ``axis=None`` slides over every axis
    (``window_shape`` then has one entry per dimension), an axis may repeat. The result
    shares ``x``'s storage and, as every self-overlapping view, is read-only when windows
    overlap.

    Examples
    --------
    >>> import storax as sx
    >>> w = sx.lib.stride_tricks.sliding_window_view(sx.arange(5), 3)
    >>> w.shape, w.stride()
    ((3, 3), (1, 1))
    >>> w[1]
    tensor([1, 2, 3])
    """
    func = "sliding_window_view"
    x = _as_array(x, func)
    window = _ints(window_shape, func, "window_shape entries")
    if builtins.any(w < 0 for w in window):
        raise ValueError(f"{func}: window_shape cannot contain negative values, got {window}")
    if axis is None:
        if len(window) != x.ndim:
            raise ValueError(
                f"{func}: window_shape {window} needs one entry per dimension of the "
                f"{x.ndim}-D array when axis is None"
            )
        axes: tuple[int, ...] = tuple(range(x.ndim))
    else:
        axes = tuple(_axis(a, x.ndim, func) for a in _ints(axis, func, "axis entries"))
        if len(axes) != len(window):
            raise ValueError(f"{func}: window_shape {window} and axis {axis} differ in length")
    lay = x.layout()
    shape = list(lay.shape)
    for a, w in zip(axes, window, strict=True):
        if shape[a] < w:
            raise ValueError(
                f"{func}: window {w} is larger than the {shape[a]} elements of axis {a}"
            )
        shape[a] -= w - 1
    strides = (*lay.strides, *(lay.strides[a] for a in axes))
    return x._strided_view(Layout((*shape, *window), strides, lay.offset))
