"""Functions beyond the standard that NumPy users reach for (``nansum``, ``median``,
``quantile``, ``bincount``, ``pad``...), written once with storax's own functions, so every
backend has them; NumPy's semantics, storax's validation and error style.
"""

from __future__ import annotations

import builtins
import math
from typing import Any

from . import _dtypes
from ._array_object import Array
from ._backends import is_host_value
from ._creation_functions import _int_arg
from ._device_dtypes import default_int, narrowed
from ._manipulation_functions import _as_array, _axis, _reduction_axes
from ._searching_functions import _check_bool

__all__ = [
    "bincount",
    "median",
    "nanargmax",
    "nanargmin",
    "nancumsum",
    "nanmax",
    "nanmean",
    "nanmedian",
    "nanmin",
    "nanprod",
    "nanquantile",
    "nanstd",
    "nansum",
    "nanvar",
    "pad",
    "quantile",
]

_NUMERIC = "numeric"


def _ew() -> Any:
    from . import _elementwise_functions

    return _elementwise_functions


def _st() -> Any:
    from . import _statistical_functions

    return _statistical_functions


def _concrete(x: Array) -> builtins.bool:
    """Whether ``x`` holds data (not a tracer of ``jax.jit``): data checks can run."""
    from ._backends import traced_backend

    return not x._backend.caps.traced or traced_backend(x._value) is None


def _prepare(x: Any, axis: Any, keepdims: Any, category: str, func: str) -> tuple[Array, Any]:
    x = _as_array(x, func)
    _dtypes.check_category(x.dtype, category, func)
    _check_bool(keepdims, func, "keepdims")
    return x, _reduction_axes(axis, x.ndim, func)


def _nan_filled(x: Array, fill: Any) -> Array:
    """``x`` with NaNs replaced by ``fill`` (integer and bool data have none)."""
    if x.dtype.kind not in "fc":
        return x
    from ._searching_functions import where

    return where(_ew().isnan(x), fill, x)


def _not_nan_count(x: Array, axes: Any, keepdims: builtins.bool) -> Array:
    from ._statistical_functions import sum as _sum

    valid = _ew().logical_not(_ew().isnan(x))
    return _sum(valid, axis=axes, dtype=default_int(x._backend), keepdims=keepdims)


# ----------------------------------------------------------------- nan-reductions


def nansum(
    x: Array, /, *, axis: Any = None, dtype: Any = None, keepdims: builtins.bool = False
) -> Array:
    """The sum of ``x`` over ``axis``, NaNs counting as zero (NumPy's ``nansum``).

    Examples
    --------
    >>> import storax as sx
    >>> sx.nansum(sx.asarray([1.0, float("nan"), 2.0]))
    tensor(3.)
    """
    x, ax = _prepare(x, axis, keepdims, "any", "nansum")
    return _st().sum(_nan_filled(x, 0), axis=ax, dtype=dtype, keepdims=keepdims)


def nanprod(
    x: Array, /, *, axis: Any = None, dtype: Any = None, keepdims: builtins.bool = False
) -> Array:
    """The product of ``x`` over ``axis``, NaNs counting as one (NumPy's ``nanprod``).

    Examples
    --------
    >>> import storax as sx
    >>> sx.nanprod(sx.asarray([3.0, float("nan"), 2.0]))
    tensor(6.)
    """
    x, ax = _prepare(x, axis, keepdims, "any", "nanprod")
    return _st().prod(_nan_filled(x, 1), axis=ax, dtype=dtype, keepdims=keepdims)


def nanmean(
    x: Array, /, *, axis: Any = None, dtype: Any = None, keepdims: builtins.bool = False
) -> Array:
    """The mean of the non-NaN elements of ``x`` (NaN where there are none).

    Examples
    --------
    >>> import storax as sx
    >>> sx.nanmean(sx.asarray([1.0, float("nan"), 2.0]))
    tensor(1.5)
    """
    x, ax = _prepare(x, axis, keepdims, "any", "nanmean")
    if x.dtype.kind not in "fc":
        return _st().mean(x, axis=ax, dtype=dtype, keepdims=keepdims)
    if dtype is not None:
        x = _cast(x, _dtypes.check_dtype(dtype, "nanmean"))
    total = _st().sum(_nan_filled(x, 0), axis=ax, keepdims=keepdims)
    n = _not_nan_count(x, ax, keepdims)
    from ._backends import quiet

    with quiet():  # an all-NaN slice is NaN (0 / 0), without a warning
        return _ew().divide(
            total, _cast(n, total.dtype if total.dtype.kind == "f" else _real(total.dtype))
        )


def _real(d: Any) -> Any:
    return _dtypes.float32 if d == _dtypes.complex64 else _dtypes.float64


def _cast(x: Array, d: Any) -> Array:
    from ._data_type_functions import astype

    return x if x.dtype == d else astype(x, d)


def _correction(correction: Any, ddof: Any, func: str) -> Any:
    """``correction``, or NumPy's ``ddof`` where that is given instead."""
    if ddof is None:
        return correction
    if correction != 0.0:
        raise TypeError(f"{func}: give correction or ddof, not both")
    return ddof


def _nanvariance(x: Any, axis: Any, correction: Any, keepdims: Any, dtype: Any, func: str) -> Array:
    x, ax = _prepare(x, axis, keepdims, "any", func)
    if isinstance(correction, builtins.bool) or not isinstance(correction, (int, float)):
        raise TypeError(
            f"{func}: correction must be an int or a float, got {type(correction).__name__}"
        )
    if dtype is not None:
        d = _dtypes.check_dtype(dtype, func)
        if d.kind not in "fc":
            raise TypeError(f"{func}: dtype must be a floating-point dtype, got {d}")
        x = _cast(x, d)
    if x.dtype.kind not in "fc":
        f = _st().std if func == "nanstd" else _st().var
        return f(x, axis=ax, correction=correction, keepdims=keepdims)
    from ._backends import quiet
    from ._searching_functions import where

    ew = _ew()
    valid = ew.logical_not(ew.isnan(x))
    n = _not_nan_count(x, ax, True)
    with quiet():
        mean = ew.divide(
            _st().sum(where(valid, x, 0), axis=ax, keepdims=True),
            _cast(n, _real(x.dtype) if x.dtype.kind == "c" else x.dtype),
        )
        dev = where(valid, ew.subtract(x, mean), 0)
        sq = ew.abs(dev) if x.dtype.kind == "c" else dev
        ss = _st().sum(ew.multiply(sq, sq), axis=ax, keepdims=keepdims)
        count = _not_nan_count(x, ax, keepdims)
        denom = ew.maximum(ew.subtract(_cast(count, ss.dtype), float(correction)), 0.0)
        r = ew.divide(ss, denom)
        return ew.sqrt(r) if func == "nanstd" else r


def nanvar(
    x: Array,
    /,
    *,
    axis: Any = None,
    correction: int | float = 0.0,
    keepdims: builtins.bool = False,
    dtype: Any = None,
    ddof: int | float | None = None,
) -> Array:
    """The variance of the non-NaN elements of ``x`` (``correction`` as in :func:`var`).

    NumPy's keywords are taken too, as xarray passes them: ``ddof`` is ``correction``,
    ``dtype`` the floating-point dtype to compute and return the variance in.

    Examples
    --------
    >>> import storax as sx
    >>> sx.nanvar(sx.asarray([1.0, float("nan"), 3.0]))
    tensor(1.)
    """
    return _nanvariance(x, axis, _correction(correction, ddof, "nanvar"), keepdims, dtype, "nanvar")


def nanstd(
    x: Array,
    /,
    *,
    axis: Any = None,
    correction: int | float = 0.0,
    keepdims: builtins.bool = False,
    dtype: Any = None,
    ddof: int | float | None = None,
) -> Array:
    """The standard deviation of the non-NaN elements of ``x`` (NumPy's ``ddof`` and
    ``dtype`` taken, as by :func:`nanvar`).

    Examples
    --------
    >>> import storax as sx
    >>> sx.nanstd(sx.asarray([1.0, float("nan"), 3.0]))
    tensor(1.)
    """
    return _nanvariance(x, axis, _correction(correction, ddof, "nanstd"), keepdims, dtype, "nanstd")


def _nanextremum(x: Any, axis: Any, keepdims: Any, func: str) -> Array:
    x, ax = _prepare(x, axis, keepdims, "real-valued or boolean", func)
    reduce = _st().max if func == "nanmax" else _st().min
    if x.dtype.kind != "f":
        return reduce(x, axis=ax, keepdims=keepdims)
    from ._searching_functions import where
    from ._utility_functions import all as _all

    fill = -math.inf if func == "nanmax" else math.inf
    r = reduce(_nan_filled(x, fill), axis=ax, keepdims=keepdims)
    # an all-NaN slice is NaN (NumPy also warns "All-NaN slice encountered")
    return where(_all(_ew().isnan(x), axis=ax, keepdims=keepdims), math.nan, r)


def nanmax(x: Array, /, *, axis: Any = None, keepdims: builtins.bool = False) -> Array:
    """The maximum of ``x`` ignoring NaNs (NaN for an all-NaN slice).

    Examples
    --------
    >>> import storax as sx
    >>> sx.nanmax(sx.asarray([1.0, float("nan"), 2.0]))
    tensor(2.)
    """
    return _nanextremum(x, axis, keepdims, "nanmax")


def nanmin(x: Array, /, *, axis: Any = None, keepdims: builtins.bool = False) -> Array:
    """The minimum of ``x`` ignoring NaNs (NaN for an all-NaN slice).

    Examples
    --------
    >>> import storax as sx
    >>> sx.nanmin(sx.asarray([1.0, float("nan"), 2.0]))
    tensor(1.)
    """
    return _nanextremum(x, axis, keepdims, "nanmin")


def _nanarg(x: Any, axis: Any, keepdims: Any, func: str) -> Array:
    from ._searching_functions import argmax, argmin
    from ._utility_functions import all as _all
    from ._utility_functions import any as _any

    x = _as_array(x, func)
    _dtypes.check_category(x.dtype, "real-valued", func)
    _check_bool(keepdims, func, "keepdims")
    ax = None if axis is None else _axis(axis, x.ndim, func)
    if x.dtype.kind != "f":
        return (argmax if func == "nanargmax" else argmin)(x, axis=ax, keepdims=keepdims)
    nan = _ew().isnan(x)
    if _concrete(x) and builtins.bool(_any(_all(nan, axis=ax))):
        raise ValueError(f"{func}: all-NaN slice encountered")
    fill = -math.inf if func == "nanargmax" else math.inf
    f = argmax if func == "nanargmax" else argmin
    return f(_nan_filled(x, fill), axis=ax, keepdims=keepdims)


def nanargmax(x: Array, /, *, axis: int | None = None, keepdims: builtins.bool = False) -> Array:
    """The index of the maximum ignoring NaNs; ValueError for an all-NaN slice.

    Examples
    --------
    >>> import storax as sx
    >>> sx.nanargmax(sx.asarray([1.0, float("nan"), 2.0]))
    tensor(2)
    """
    return _nanarg(x, axis, keepdims, "nanargmax")


def nanargmin(x: Array, /, *, axis: int | None = None, keepdims: builtins.bool = False) -> Array:
    """The index of the minimum ignoring NaNs; ValueError for an all-NaN slice.

    Examples
    --------
    >>> import storax as sx
    >>> sx.nanargmin(sx.asarray([1.0, float("nan"), 2.0]))
    tensor(0)
    """
    return _nanarg(x, axis, keepdims, "nanargmin")


def nancumsum(
    x: Array,
    /,
    *,
    axis: int | None = None,
    dtype: Any = None,
    include_initial: builtins.bool = False,
) -> Array:
    """The cumulative sum with NaNs counting as zero (as :func:`cumulative_sum`).

    Examples
    --------
    >>> import storax as sx
    >>> sx.nancumsum(sx.asarray([1.0, float("nan"), 2.0]))
    tensor([1., 1., 3.])
    """
    x = _as_array(x, "nancumsum")
    _dtypes.check_category(x.dtype, "any", "nancumsum")
    return _st().cumulative_sum(
        _nan_filled(x, 0), axis=axis, dtype=dtype, include_initial=include_initial
    )


# ------------------------------------------------------------------- quantiles

_METHODS = ("linear", "lower", "higher", "nearest", "midpoint")


def _quantile(
    x: Any, q: Any, axis: Any, method: Any, keepdims: Any, ignore_nan: builtins.bool, func: str
) -> Array:
    from ._creation_functions import asarray
    from ._indexing_functions import take_along_axis
    from ._manipulation_functions import expand_dims, moveaxis, reshape
    from ._searching_functions import where
    from ._sorting_functions import sort
    from ._utility_functions import any as _any

    ew = _ew()
    x, ax = _prepare(x, axis, keepdims, "real-valued", func)
    if method not in _METHODS:
        raise ValueError(f"{func}: method must be one of {_METHODS}, got {method!r}")
    if x.dtype.kind != "f":
        # NumPy: the quantiles of integers are float64 (float32 without 64-bit types)
        x = _cast(x, narrowed(_dtypes.float64, x._backend))
    qa = q if isinstance(q, Array) else asarray(q, dtype=x.dtype, device=x.device)
    if qa.dtype.kind != "f" and qa.dtype.kind not in "iu":
        raise TypeError(f"{func}: q must be real numbers, got {qa.dtype}")
    if qa.ndim > 1:
        raise ValueError(f"{func}: q must be a scalar or 1-D, got {qa.ndim} dimensions")
    qa = _cast(qa, x.dtype)
    if _concrete(x):
        if builtins.bool(_any(ew.logical_or(ew.less(qa, 0), ew.greater(qa, 1)))):
            raise ValueError(f"{func}: quantiles must be in the range [0, 1]")
    axes = tuple(range(x.ndim)) if ax is None else ax
    if x.size == 0 and builtins.any(x.shape[a] == 0 for a in axes):
        raise ValueError(f"{func}: cannot take quantiles of an empty slice (shape {x.shape})")
    rest = [a for a in range(x.ndim) if a not in axes]
    v = moveaxis(x, axes, tuple(range(-len(axes), 0))) if axes else x
    n = 1
    for a in axes:
        n *= x.shape[a]
    v = reshape(v, (*(x.shape[a] for a in rest), n))
    s = sort(v, axis=-1)  # NaNs sort last
    if ignore_nan:
        count = _cast(_not_nan_count(s, (-1,), True), x.dtype)
    else:
        count = asarray(float(n), dtype=x.dtype, device=x.device)
    qs = reshape(qa, (-1,))  # (k,)
    pos = ew.multiply(qs, ew.subtract(count, 1.0))  # (..., k)
    pos = ew.maximum(pos, 0.0)
    lo_f = ew.floor(pos)
    hi_f = ew.ceil(pos)
    last = float(n - 1)
    index = default_int(s._backend)
    lo_i = _cast(ew.minimum(lo_f, last), index)
    hi_i = _cast(ew.minimum(hi_f, last), index)
    shape = (*s.shape[:-1], qs.shape[0])
    from ._manipulation_functions import broadcast_to

    lo_i, hi_i = broadcast_to(lo_i, shape), broadcast_to(hi_i, shape)
    a, b = take_along_axis(s, lo_i, axis=-1), take_along_axis(s, hi_i, axis=-1)
    t = ew.subtract(pos, lo_f)
    if method == "linear":
        diff = ew.subtract(b, a)
        r = where(
            ew.greater_equal(t, 0.5),
            ew.subtract(b, ew.multiply(diff, ew.subtract(1.0, t))),
            ew.add(a, ew.multiply(diff, t)),
        )
    elif method == "lower":
        r = a
    elif method == "higher":
        r = b
    elif method == "midpoint":
        r = ew.divide(ew.add(a, b), 2.0)
    else:  # nearest: halves to the even index, as NumPy
        r = take_along_axis(
            s,
            broadcast_to(_cast(ew.minimum(ew.round(pos), last), default_int(s._backend)), shape),
            axis=-1,
        )
    if ignore_nan:
        r = where(ew.equal(count, 0.0), math.nan, r)
    else:
        r = where(ew.isnan(s[..., -1:]), math.nan, r)
    if keepdims:
        for a_ in sorted(axes):
            r = expand_dims(r, axis=a_)
    r = moveaxis(r, -1, 0)  # the q axis first, as NumPy
    if qa.ndim == 0:
        r = r[0]
    return r


def quantile(
    x: Array,
    /,
    q: Any,
    *,
    axis: Any = None,
    method: str = "linear",
    keepdims: builtins.bool = False,
) -> Array:
    """The ``q``-th quantiles (``q`` in [0, 1], a scalar or 1-D) of ``x`` over ``axis``.

    ``method`` is one of NumPy's ``"linear"`` (the default), ``"lower"``, ``"higher"``,
    ``"nearest"``, ``"midpoint"``. A slice with a NaN has NaN quantiles (see
    :func:`nanquantile`). For 1-D ``q`` the quantiles are along a new first axis.

    Examples
    --------
    >>> import storax as sx
    >>> sx.quantile(sx.asarray([1.0, 2.0, 3.0, 4.0]), 0.25)
    tensor(1.75)
    """
    return _quantile(x, q, axis, method, keepdims, False, "quantile")


def nanquantile(
    x: Array,
    /,
    q: Any,
    *,
    axis: Any = None,
    method: str = "linear",
    keepdims: builtins.bool = False,
) -> Array:
    """:func:`quantile` of the non-NaN elements (NaN for an all-NaN slice).

    Examples
    --------
    >>> import storax as sx
    >>> sx.nanquantile(sx.asarray([1.0, float("nan"), 3.0]), 0.5)
    tensor(2.)
    """
    return _quantile(x, q, axis, method, keepdims, True, "nanquantile")


def median(x: Array, /, *, axis: Any = None, keepdims: builtins.bool = False) -> Array:
    """The median over ``axis`` (NaN for a slice with a NaN).

    Examples
    --------
    >>> import storax as sx
    >>> sx.median(sx.asarray([3.0, 1.0, 2.0, 10.0]))
    tensor(2.5)
    """
    return _quantile(x, 0.5, axis, "linear", keepdims, False, "median")


def nanmedian(x: Array, /, *, axis: Any = None, keepdims: builtins.bool = False) -> Array:
    """The median of the non-NaN elements over ``axis``.

    Examples
    --------
    >>> import storax as sx
    >>> sx.nanmedian(sx.asarray([3.0, float("nan"), 1.0]))
    tensor(2.)
    """
    return _quantile(x, 0.5, axis, "linear", keepdims, True, "nanmedian")


# -------------------------------------------------------------------- bincount


def bincount(x: Array, /, weights: Any = None, *, minlength: int = 0) -> Array:
    """The number of occurrences of each value in the non-negative integers ``x`` (1-D);
    with ``weights``, their sums (float64, as NumPy). The length is ``max(x) + 1`` or
    ``minlength``, whichever is larger, so it is read from the data (no ``jax.jit``).

    Examples
    --------
    >>> import storax as sx
    >>> sx.bincount(sx.asarray([0, 1, 1, 3]))
    tensor([1, 2, 0, 1])
    """
    from ._creation_functions import arange
    from ._indexing_functions import take
    from ._searching_functions import searchsorted
    from ._sorting_functions import argsort, sort
    from ._statistical_functions import cumulative_sum
    from ._statistical_functions import max as _max
    from ._statistical_functions import min as _min
    from ._utility_functions import diff

    x = _as_array(x, "bincount")
    _dtypes.check_category(x.dtype, "integer", "bincount")
    if x.ndim != 1:
        raise ValueError(f"bincount: expected a 1-D array, got {x.ndim} dimensions")
    if isinstance(minlength, builtins.bool) or not isinstance(minlength, int):
        raise TypeError(f"bincount: minlength must be an int, got {type(minlength).__name__}")
    if minlength < 0:
        raise ValueError(f"bincount: minlength must be non-negative, got {minlength}")
    if not _concrete(x):
        raise ValueError("bincount: the length of the result depends on the data (not traceable)")
    if x.size and int(_min(x)) < 0:
        raise ValueError("bincount: the input must be non-negative")
    n = builtins.max(int(_max(x)) + 1 if x.size else 0, minlength)
    if x.dtype.kind == "u" and x.dtype.itemsize < default_int(x._backend).itemsize:
        x = _cast(x, default_int(x._backend))
    edges = searchsorted(sort(x), arange(n + 1, dtype=x.dtype, device=x.device), side="left")
    if weights is None:
        return diff(edges)
    w = _as_array(weights, "bincount", like=x)
    if tuple(w.shape) != tuple(x.shape):
        raise ValueError(f"bincount: weights must have the shape of x {x.shape}, got {w.shape}")
    if w.dtype.kind == "c":
        raise TypeError(f"bincount: weights must be real, got {w.dtype}")
    w = _cast(take(w, argsort(x, stable=True)), narrowed(_dtypes.float64, w._backend))
    totals = cumulative_sum(w, include_initial=True)
    return diff(take(totals, edges))


# ------------------------------------------------------------------------ pad

_PAD_MODES = ("constant", "edge", "reflect", "symmetric", "wrap")


def _pad_widths(pad_width: Any, ndim: int) -> list[tuple[int, int]]:
    def as_int(v: Any) -> int:
        v = _int_arg(v, "pad", "a pad width")
        if v < 0:
            raise ValueError(f"pad: pad widths must be non-negative, got {v}")
        return int(v)

    if isinstance(pad_width, Array) or is_host_value(pad_width):
        pad_width = pad_width.tolist()
    if isinstance(pad_width, (int, builtins.bool)) or not isinstance(pad_width, (list, tuple)):
        w = as_int(pad_width)
        return [(w, w)] * ndim
    items = list(pad_width)
    if len(items) == 1 and isinstance(items[0], (list, tuple)):
        items = items * ndim
    if items and not isinstance(items[0], (list, tuple)):
        if len(items) == 1:
            return [(as_int(items[0]),) * 2] * ndim
        if len(items) == 2:
            return [(as_int(items[0]), as_int(items[1]))] * ndim
        raise ValueError(f"pad: pad_width {pad_width!r} does not fit {ndim} dimensions")
    if len(items) != ndim:
        raise ValueError(f"pad: pad_width has {len(items)} entries for {ndim} dimensions")
    out = []
    for item in items:
        pair = list(item)
        if len(pair) == 1:
            pair = pair * 2
        if len(pair) != 2:
            raise ValueError(f"pad: each pad width must be (before, after), got {item!r}")
        out.append((as_int(pair[0]), as_int(pair[1])))
    return out


def _pad_index(i: int, n: int, mode: str) -> int:
    """The source index of padded position ``i`` (relative to the first element)."""
    if mode == "edge":
        return builtins.min(builtins.max(i, 0), n - 1)
    if mode == "wrap":
        return i % n
    if mode == "reflect":
        if n == 1:
            return 0
        p = 2 * (n - 1)
        j = i % p
        return j if j < n else p - j
    p = 2 * n  # symmetric
    j = i % p
    return j if j < n else p - 1 - j


def pad(x: Array, pad_width: Any, /, *, mode: str = "constant", constant_values: Any = 0) -> Array:
    """Pad ``x`` with ``pad_width`` elements (an int, ``(before, after)``, or one pair
    per axis) in one of NumPy's modes ``"constant"``, ``"edge"``, ``"reflect"``,
    ``"symmetric"``, ``"wrap"``.

    Examples
    --------
    >>> import storax as sx
    >>> sx.pad(sx.asarray([1, 2, 3]), (1, 2), mode="edge")
    tensor([1, 1, 2, 3, 3, 3])
    """
    from ._creation_functions import asarray, full
    from ._indexing_functions import take
    from ._manipulation_functions import concat

    x = _as_array(x, "pad")
    if mode not in _PAD_MODES:
        raise ValueError(f"pad: mode must be one of {_PAD_MODES}, got {mode!r}")
    widths = _pad_widths(pad_width, x.ndim)
    if mode == "constant":
        values = constant_values
        if isinstance(values, Array) or is_host_value(values):
            values = values.tolist()
        pairs = _pad_widths_values(values, x.ndim)
    for axis, (before, after) in enumerate(widths):
        if not before and not after:
            continue
        n = x.shape[axis]
        if mode == "constant":
            vb, va = pairs[axis]
            parts = []
            for count, value in ((before, vb), (after, va)):
                shape = list(x.shape)
                shape[axis] = count
                parts.append(
                    full(tuple(shape), _fill(value, x.dtype), dtype=x.dtype, device=x.device)
                )
            x = concat([parts[0], x, parts[1]], axis=axis)
            continue
        if n == 0:
            raise ValueError(f"pad: cannot pad an empty axis {axis} in mode {mode!r}")
        idx = [_pad_index(i, n, mode) for i in range(-before, n + after)]
        x = take(x, asarray(idx, dtype=default_int(x._backend), device=x.device), axis=axis)
    return x


def _pad_widths_values(values: Any, ndim: int) -> list[tuple[Any, Any]]:
    if not isinstance(values, (list, tuple)):
        return [(values, values)] * ndim
    items = list(values)
    if items and not isinstance(items[0], (list, tuple)):
        if len(items) == 1:
            return [(items[0], items[0])] * ndim
        if len(items) == 2:
            return [(items[0], items[1])] * ndim
    if len(items) == 1:
        items = items * ndim
    if len(items) != ndim:
        raise ValueError(f"pad: constant_values has {len(items)} entries for {ndim} dimensions")
    return [(p[0], p[-1]) for p in items]


def _fill(value: Any, d: Any) -> Any:
    if isinstance(value, complex) and d.kind != "c":
        raise TypeError(f"pad: cannot pad {d} data with a complex value")
    if d.kind in "iu":
        return int(value)
    if d.kind == "b":
        return builtins.bool(value)
    return value


# ------------------------------------------------------- helpers for NumPy's protocol


def _isclose(a: Array, b: Array, *, rtol: float, atol: float, equal_nan: builtins.bool) -> Array:
    """NumPy's ``isclose``: ``|a - b| <= atol + rtol * |b|`` (infinities equal to
    themselves, NaNs equal only with ``equal_nan``)."""
    from ._searching_functions import where

    ew = _ew()
    if a.dtype.kind not in "fc":
        a = _cast(a, narrowed(_dtypes.float64, a._backend))
    if b.dtype.kind not in "fc":
        b = _cast(b, narrowed(_dtypes.float64, b._backend))
    from ._backends import quiet

    with quiet():
        finite = ew.logical_and(ew.isfinite(a), ew.isfinite(b))
        close = ew.less_equal(ew.abs(ew.subtract(a, b)), ew.add(atol, ew.multiply(rtol, ew.abs(b))))
        r = where(finite, close, ew.equal(a, b))
    if equal_nan:
        r = ew.logical_or(r, ew.logical_and(ew.isnan(a), ew.isnan(b)))
    return r


def _nan_to_num(x: Array, *, nan: float, posinf: Any, neginf: Any) -> Array:
    from ._searching_functions import where

    if x.dtype.kind != "f":
        from ._creation_functions import asarray

        return asarray(x, copy=True)
    ew = _ew()
    from ._data_type_functions import finfo

    info = finfo(x.dtype)
    hi = info.max if posinf is None else posinf
    lo = info.min if neginf is None else neginf
    r = where(ew.isnan(x), float(nan), x)
    r = where(ew.logical_and(ew.isinf(r), ew.greater(r, 0)), float(hi), r)
    return where(ew.logical_and(ew.isinf(r), ew.less(r, 0)), float(lo), r)


def _numpy_adapters() -> dict[str, Any]:
    """NumPy-signature front ends of these functions, for ``__array_function__``."""
    from ._numpy_protocols import Fallback, as_array

    def given(v: Any) -> builtins.bool:
        return v is not None and type(v).__name__ != "_NoValueType"

    def plain(*vs: Any) -> None:
        if builtins.any(given(v) for v in vs):
            raise Fallback

    def ax(axis: Any) -> Any:
        return tuple(axis) if isinstance(axis, list) else axis

    def flag(v: Any) -> builtins.bool:
        return builtins.bool(v) if given(v) else False

    def red(f: Any, takes_dtype: builtins.bool) -> Any:
        def impl(like, a, axis=None, dtype=None, out=None, keepdims=None, initial=None, where=None):
            plain(initial, where)
            kw = {"dtype": dtype} if takes_dtype else {}
            return f(as_array(a, like), axis=ax(axis), keepdims=flag(keepdims), **kw)

        return impl

    def ext_(f: Any) -> Any:
        def impl(like, a, axis=None, out=None, keepdims=None, initial=None, where=None):
            plain(initial, where)
            return f(as_array(a, like), axis=ax(axis), keepdims=flag(keepdims))

        return impl

    def meanlike(f: Any) -> Any:
        def impl(like, a, axis=None, dtype=None, out=None, keepdims=None, *, where=None):
            plain(where)
            x = as_array(a, like)
            if x.dtype.kind in "biu" and dtype is None:
                dtype = narrowed(_dtypes.float64, x._backend)
            return f(x, axis=ax(axis), dtype=dtype, keepdims=flag(keepdims))

        return impl

    def varlike(f: Any) -> Any:
        def impl(
            like,
            a,
            axis=None,
            dtype=None,
            out=None,
            ddof=0,
            keepdims=None,
            *,
            where=None,
            mean=None,
            correction=None,
        ):
            plain(where, mean)
            x = as_array(a, like)
            if x.dtype.kind in "biu":
                x = _cast(x, narrowed(_dtypes.float64, x._backend))
            c = correction if given(correction) else ddof
            r = f(x, axis=ax(axis), correction=c, keepdims=flag(keepdims))
            return r if dtype is None else _cast(r, _dtypes.check_dtype(dtype, "numpy"))

        return impl

    def arg(f: Any) -> Any:
        def impl(like, a, axis=None, out=None, *, keepdims=None):
            x = as_array(a, like)
            if axis is None:
                from ._manipulation_functions import reshape

                x, axis = reshape(x, (-1,)), 0
            return f(x, axis=axis, keepdims=flag(keepdims))

        return impl

    def cum(like, a, axis=None, dtype=None, out=None):
        x = as_array(a, like)
        if axis is None:
            from ._manipulation_functions import reshape

            x, axis = reshape(x, (-1,)), 0
        return nancumsum(x, axis=axis, dtype=dtype)

    def med(f: Any) -> Any:
        def impl(like, a, axis=None, out=None, overwrite_input=False, keepdims=False):
            return f(as_array(a, like), axis=ax(axis), keepdims=builtins.bool(keepdims))

        return impl

    def quant(f: Any, scale: float) -> Any:
        def impl(
            like,
            a,
            q,
            axis=None,
            out=None,
            overwrite_input=False,
            method="linear",
            keepdims=False,
            *,
            weights=None,
            interpolation=None,
        ):
            plain(weights, interpolation)
            x = as_array(a, like)
            qa = q if type(q) in (int, float) else as_array(q, like)
            if scale != 1:
                qa = _ew().divide(qa, scale) if isinstance(qa, Array) else qa / scale
            return f(x, qa, axis=ax(axis), method=method, keepdims=builtins.bool(keepdims))

        return impl

    def binc(like, x, /, weights=None, minlength=0):
        w = None if weights is None else as_array(weights, like)
        return bincount(as_array(x, like), w, minlength=minlength)

    def pad_(like, array, pad_width, mode="constant", **kwargs):
        if not isinstance(mode, str) or set(kwargs) - {"constant_values"}:
            raise Fallback
        return pad(as_array(array, like), pad_width, mode=mode, **kwargs)

    return {
        "nansum": red(nansum, True),
        "nanprod": red(nanprod, True),
        "nanmax": ext_(nanmax),
        "nanmin": ext_(nanmin),
        "nanmean": meanlike(nanmean),
        "nanstd": varlike(nanstd),
        "nanvar": varlike(nanvar),
        "nanargmax": arg(nanargmax),
        "nanargmin": arg(nanargmin),
        "nancumsum": cum,
        "median": med(median),
        "nanmedian": med(nanmedian),
        "quantile": quant(quantile, 1),
        "nanquantile": quant(nanquantile, 1),
        "percentile": quant(quantile, 100),
        "nanpercentile": quant(nanquantile, 100),
        "bincount": binc,
        "pad": pad_,
    }
