"""Statistical functions (spec chapter "Statistical Functions").

Every function returns new storage: reductions return 0-d arrays (never Python
scalars) when reducing over every axis, and honour ``keepdims``.
"""

from __future__ import annotations

import builtins
from typing import Any

from . import _dtypes
from ._array_object import Array
from ._backends import quiet
from ._backends import wrap as _wrap
from ._device_dtypes import default_float, default_int, default_uint, requested, widest
from ._manipulation_functions import _as_array, _axis, _reduction_axes
from ._names import reduced as _reduced
from ._names import resolve_axes as _resolve_axes
from ._searching_functions import _ORDERED, _check_bool

__all__ = [
    "cumulative_prod",
    "cumulative_sum",
    "max",
    "mean",
    "min",
    "prod",
    "std",
    "sum",
    "var",
]

# Note: the spec asks for numeric data; storax also takes booleans (they count as 0 and 1),
# as NumPy does: ``sum(mask)`` and ``mean(mask)`` are common idioms.
_SUMMABLE = "any"


def _accumulation_dtype(x: Array, dtype: Any, func: str) -> Any:
    """The dtype of sum/prod/cumulative_*: ``dtype`` if given, else the spec's rule."""
    d = x.dtype
    if dtype is not None:
        out = _dtypes.check_dtype(dtype, func)
        if d.kind == "c" and out.kind != "c":
            raise TypeError(
                f"{func}: cannot accumulate {d} data in {out} (drops the imaginary part)"
            )
        return requested(out, x, func)
    # Integer data accumulate in the default integer dtype (int64; int32 on a device
    # without 64-bit types), or in the widest unsigned dtype for unsigned data ("the
    # default unsigned integer dtype" of the spec), so small integer types do not
    # overflow; floating-point data keep their dtype. Booleans count in the default
    # integer dtype, as in NumPy.
    if d.kind == "b" or d.kind == "i":
        di = default_int(x._backend)
        return di if d.itemsize < di.itemsize else d
    if d.kind == "u":
        return default_uint(x._backend)
    return d


def _prepare(x: Any, axis: Any, keepdims: Any, category: str, func: str) -> Any:
    """Validate a reduction's arguments; return ``x`` as an Array and the normalised axes."""
    x = _as_array(x, func)
    _dtypes.check_category(x.dtype, category, func)
    _check_bool(keepdims, func, "keepdims")
    return x, _reduction_axes(_resolve_axes(x, axis, func), x.ndim, func)


def _count(shape: tuple[int, ...], axes: tuple[int, ...] | None) -> int:
    n = 1
    for i, s in enumerate(shape):
        if axes is None or i in axes:
            n *= s
    return n


def sum(
    x: Array, /, *, axis: Any = None, dtype: Any = None, keepdims: builtins.bool = False
) -> Array:
    """https://data-apis.org/array-api/latest/API_specification/generated/array_api.sum.html"""
    if axis is None and dtype is None and keepdims is False:
        # The common call ``sum(x)``: the family's array-level reduction, where it has one;
        # else nothing to validate but the data's dtype.
        try:
            whole = x._array_reductions
        except AttributeError:  # not an Array: the general path's error
            whole = None
        if whole is not None and (r := whole["sum"](x)) is not None:
            return r
    if (
        axis is None
        and dtype is None
        and keepdims is False
        and isinstance(x, Array)
        and x._names is None
    ):
        d = x.dtype
        if d.kind not in "fc":
            _dtypes.check_category(d, _SUMMABLE, "sum")
            d = _accumulation_dtype(x, None, "sum")
        return x._new(x._backend.kx.sum(x._value, axis=None, dtype=d, keepdims=False))
    x, ax = _prepare(x, axis, keepdims, _SUMMABLE, "sum")
    d = _accumulation_dtype(x, dtype, "sum")
    return _reduced(
        x, x._new(x._backend.kx.sum(x._value, axis=ax, dtype=d, keepdims=keepdims)), ax, keepdims
    )


def prod(
    x: Array, /, *, axis: Any = None, dtype: Any = None, keepdims: builtins.bool = False
) -> Array:
    """https://data-apis.org/array-api/latest/API_specification/generated/array_api.prod.html"""
    if axis is None and dtype is None and keepdims is False:
        r = _whole(x, "prod")
        if r is not None:
            return r
    x, ax = _prepare(x, axis, keepdims, _SUMMABLE, "prod")
    d = _accumulation_dtype(x, dtype, "prod")
    return _reduced(
        x, x._new(x._backend.kx.prod(x._value, axis=ax, dtype=d, keepdims=keepdims)), ax, keepdims
    )


def _whole(x: Any, func: str) -> Any:
    """The family's array-level reduction ``func`` of every element of ``x`` (see
    ``Array._array_reductions``), or None (not an Array, or not served)."""
    try:
        whole = x._array_reductions
    except AttributeError:
        return None
    return None if whole is None else whole[func](x)


def _extremum(x: Array, axis: Any, keepdims: Any, func: str) -> Array:
    # Note: the spec asks for real-valued data; storax also takes booleans, as NumPy does.
    x, ax = _prepare(x, axis, keepdims, _ORDERED, func)
    if x.size == 0 and _count(x.shape, ax) == 0:
        # Note: an empty reduction has no maximum/minimum; storax raises (as NumPy does)
        # rather than return a sentinel.
        raise ValueError(f"{func}: cannot reduce an empty array (shape {x.shape}) over {axis}")
    r = x._new(getattr(x._backend.kx, func)(x._value, axis=ax, keepdims=keepdims))
    return _reduced(x, r, ax, keepdims)


def max(x: Array, /, *, axis: Any = None, keepdims: builtins.bool = False) -> Array:
    """https://data-apis.org/array-api/latest/API_specification/generated/array_api.max.html"""
    if axis is None and keepdims is False:  # (``_whole`` inlined: the common call)
        try:
            whole = x._array_reductions
        except AttributeError:  # not an Array: the general path's error
            whole = None
        if whole is not None and (r := whole["max"](x)) is not None:
            return r
    return _extremum(x, axis, keepdims, "max")


def min(x: Array, /, *, axis: Any = None, keepdims: builtins.bool = False) -> Array:
    """https://data-apis.org/array-api/latest/API_specification/generated/array_api.min.html"""
    if axis is None and keepdims is False:  # (``_whole`` inlined: the common call)
        try:
            whole = x._array_reductions
        except AttributeError:  # not an Array: the general path's error
            whole = None
        if whole is not None and (r := whole["min"](x)) is not None:
            return r
    return _extremum(x, axis, keepdims, "min")


# Composite computations run as one kernel: on JAX, jitted (one dispatch instead of one
# per operation); on NumPy, called directly.
_COMPOSITES: dict[tuple[str, str], Any] = {}


def _composite(backend: Any, func: Any, static: tuple[str, ...]) -> Any:
    key = (backend.name, func.__name__)
    kernel = _COMPOSITES.get(key)
    if kernel is None:
        kernel = _COMPOSITES[key] = backend.composite(func, static)
    return kernel


def _mean(xp: Any, v: Any, axes: tuple[int, ...] | None, keepdims: builtins.bool) -> Any:
    n = _count(v.shape, axes)
    if n == 0:
        with quiet():
            # An empty mean is NaN (0 / 0), without NumPy's "mean of empty slice" warning.
            return xp.divide(xp.sum(v, axis=axes, keepdims=keepdims), n)
    return xp.divide(xp.sum(v, axis=axes, keepdims=keepdims), n)


def _mean_as(
    xp: Any, v: Any, axes: tuple[int, ...] | None, keepdims: builtins.bool, dtype: Any, wide: Any
) -> Any:
    """The mean of integer or boolean data, computed in ``wide`` (the widest float on the
    device: float64 where there is one), returned as ``dtype``."""
    return xp.asarray(_mean(xp, v.astype(wide), axes, keepdims), dtype=dtype)


def mean(
    x: Array, /, *, axis: Any = None, keepdims: builtins.bool = False, dtype: Any = None
) -> Array:
    """https://data-apis.org/array-api/latest/API_specification/generated/array_api.mean.html

    ``dtype`` (beyond the standard, as NumPy's): compute and return the mean in that
    floating-point dtype.
    """
    # Note: the spec asks for floating-point data and allows integers, whose mean has the
    # default real floating-point dtype; storax accepts them and booleans (as NumPy does).
    if axis is None and dtype is None and keepdims is False and isinstance(x, Array):
        # The common call ``mean(x)`` of floating-point data: nothing else to validate.
        whole = x._array_reductions
        if whole is not None and (r := whole["mean"](x)) is not None:
            return r
        v = x._value
        if v.dtype.kind in "fc" and x._names is None:
            return x._new(_composite(x._backend, _mean, ("axes", "keepdims"))(v, None, False))
    x, ax = _prepare(x, axis, keepdims, _SUMMABLE, "mean")
    if dtype is not None:
        d = _dtypes.check_dtype(dtype, "mean")
        if d.kind not in "fc":
            raise TypeError(f"mean: dtype must be a floating-point dtype, got {d}")
        if x.dtype.kind == "c" and d.kind != "c":
            raise TypeError(f"mean: cannot compute the mean of {x.dtype} data in {d}")
        requested(d, x, "mean")
        if d != x.dtype:
            from ._data_type_functions import astype

            x = astype(x, d)
    backend = x._backend
    v = x._value
    if v.dtype.kind in "biu":
        kernel = _composite(backend, _mean_as, ("axes", "keepdims", "dtype", "wide"))
        dev = x.device  # (a device may lack float64: torch's MPS)
        r = kernel(v, ax, keepdims, default_float(backend, dev), widest("f", backend, dev))
        return _reduced(x, x._new(r), ax, keepdims)
    r = x._new(_composite(backend, _mean, ("axes", "keepdims"))(v, ax, keepdims))
    return _reduced(x, r, ax, keepdims)


def _variance(
    xp: Any,
    v: Any,
    axes: tuple[int, ...] | None,
    correction: int | float,
    keepdims: builtins.bool,
    dtype: Any,
    root: builtins.bool,
    inplace: builtins.bool = False,
) -> Any:
    n = _count(v.shape, axes)
    with quiet():
        dev = v - _mean(xp, v, axes, True)
        if dev.dtype.kind == "c":
            sq = dev.real * dev.real + dev.imag * dev.imag
        elif inplace and dev.ndim:
            sq = xp.multiply(dev, dev, out=dev)  # squares into the temporary, as NumPy
        else:
            sq = dev * dev
        ss = xp.sum(sq, axis=axes, keepdims=keepdims)
        # As NumPy: more correction than elements divides by zero (inf, or NaN for 0/0).
        r = xp.asarray(xp.divide(ss, builtins.max(n - correction, 0)), dtype=dtype)
        return xp.sqrt(r) if root else r


def _var(x: Array, axis: Any, correction: Any, keepdims: Any, func: str) -> Any:
    # Note: the spec asks for real floating-point data; as NumPy, storax also takes
    # integers and booleans (the result has the default real floating-point dtype) and
    # complex numbers (the variance of a complex array is real: the mean of |x - mean|**2).
    x, ax = _prepare(x, axis, keepdims, "any", func)
    if isinstance(correction, builtins.bool) or not isinstance(correction, (int, float)):
        raise TypeError(
            f"{func}: correction must be an int or a float, got {type(correction).__name__}"
        )
    if type(correction) is int and not -(2**63) <= correction < 2**63:
        correction = float(correction)  # beyond int64 (a kernel argument): the same result
    v = x._value
    if v.dtype.kind in "biu":
        out_dtype = default_float(x._backend)
        v = v.astype(widest("f", x._backend))
    elif v.dtype.kind == "c":
        out_dtype = _dtypes.float32 if v.dtype == _dtypes.complex64 else _dtypes.float64
    else:
        out_dtype = v.dtype
    static = ("axes", "correction", "keepdims", "dtype", "root", "inplace")
    backend = x._backend
    kernel = _composite(backend, _variance, static)
    inplace = backend.caps.inplace_kernels
    r = _wrap(kernel(v, ax, correction, keepdims, out_dtype, func == "std", inplace))
    return _reduced(x, r, ax, keepdims)


def var(
    x: Array,
    /,
    *,
    axis: Any = None,
    correction: int | float = 0.0,
    keepdims: builtins.bool = False,
) -> Array:
    """https://data-apis.org/array-api/latest/API_specification/generated/array_api.var.html"""
    return _var(x, axis, correction, keepdims, "var")


def std(
    x: Array,
    /,
    *,
    axis: Any = None,
    correction: int | float = 0.0,
    keepdims: builtins.bool = False,
) -> Array:
    """https://data-apis.org/array-api/latest/API_specification/generated/array_api.std.html"""
    return _var(x, axis, correction, keepdims, "std")


def _cumulative(x: Array, axis: Any, dtype: Any, include_initial: Any, func: str) -> Array:
    x = _as_array(x, func)
    _dtypes.check_category(x.dtype, _SUMMABLE, func)
    _check_bool(include_initial, func, "include_initial")
    if axis is None:
        if x.ndim != 1:
            raise ValueError(f"{func}: axis is required for a {x.ndim}-dimensional array")
        ax = 0
    else:
        ax = _axis(_resolve_axes(x, axis, func), x.ndim, func)
    d = _accumulation_dtype(x, dtype, func)
    impl = getattr(x._backend.kx, func)
    r = _wrap(impl(x._value, axis=ax, dtype=d, include_initial=include_initial))
    return _reduced(x, r, None, True)  # every dim stays


def cumulative_sum(
    x: Array,
    /,
    *,
    axis: int | None = None,
    dtype: Any = None,
    include_initial: builtins.bool = False,
) -> Array:
    """https://data-apis.org/array-api/latest/API_specification/generated/array_api.cumulative_sum.html"""
    return _cumulative(x, axis, dtype, include_initial, "cumulative_sum")


def cumulative_prod(
    x: Array,
    /,
    *,
    axis: int | None = None,
    dtype: Any = None,
    include_initial: builtins.bool = False,
) -> Array:
    """https://data-apis.org/array-api/latest/API_specification/generated/array_api.cumulative_prod.html"""
    return _cumulative(x, axis, dtype, include_initial, "cumulative_prod")
