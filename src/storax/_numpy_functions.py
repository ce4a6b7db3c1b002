"""storax implementations of NumPy functions for NEP 18 (``np.sum(x)``, ``np.concatenate``):
NumPy's signatures and dtype rules, computed with storax's functions on the arrays' backend.

Each implementation takes ``like`` (the first storax argument) and then NumPy's arguments.
It raises ``Fallback`` (or TypeError) for arguments it does not compute natively, and the
call then goes through the host (``_numpy_protocols``). ``out=`` is handled by the
dispatcher for the functions registered with ``out=True``.
"""

from __future__ import annotations

import builtins
from typing import Any

from . import _creation_functions as cr
from . import _data_type_functions as dt
from . import _dtypes, linalg
from . import _elementwise_functions as _ew_chapter
from . import _extension_functions as ext
from . import _indexing_functions as ix
from . import _linear_algebra_functions as la
from . import _manipulation_functions as mf
from . import _searching_functions as se
from . import _sorting_functions as so
from . import _statistical_functions as st
from . import _utility_functions as ut
from ._array_object import Array
from ._device_dtypes import narrowed
from ._numpy_protocols import Fallback, Refused, _np, as_array, implements

ew: Any = _ew_chapter  # generated functions (a table), typed loosely
_NV: Any = None  # NumPy's "no value" sentinel is recognised by its type name


def _given(v: Any) -> builtins.bool:
    """Whether a NumPy keyword was passed (not None and not NumPy's ``<no value>``)."""
    return v is not None and type(v).__name__ != "_NoValueType"


def _flag(v: Any) -> builtins.bool:
    return builtins.bool(v) if _given(v) else False


def _plain(*values: Any) -> None:
    """Keywords storax does not compute natively (``where=``, ``initial=``, ``order='F'``)."""
    for v in values:
        if _given(v):
            raise Fallback


def _axis(axis: Any) -> Any:
    return tuple(axis) if isinstance(axis, list) else axis


def _dtype(dtype: Any) -> Any:
    return None if dtype is None else _dtypes.check_dtype(dtype, "numpy")


# ------------------------------------------------------------------ reductions


def _sum_dtype(x: Array, dtype: Any) -> Any:
    """NumPy's accumulation dtype (bool and small ints in the default int, as storax)."""
    return _dtype(dtype)


@implements("sum", out=True)
def _sum(like, a, axis=None, dtype=None, keepdims=_NV, initial=_NV, where=_NV):
    _plain(initial, where)
    x = as_array(a, like)
    return st.sum(x, axis=_axis(axis), dtype=_sum_dtype(x, dtype), keepdims=_flag(keepdims))


@implements("prod", out=True)
def _prod(like, a, axis=None, dtype=None, keepdims=_NV, initial=_NV, where=_NV):
    _plain(initial, where)
    x = as_array(a, like)
    return st.prod(x, axis=_axis(axis), dtype=_sum_dtype(x, dtype), keepdims=_flag(keepdims))


@implements("mean", out=True)
def _mean(like, a, axis=None, dtype=None, keepdims=_NV, *, where=_NV):
    _plain(where)
    x = as_array(a, like)
    if x.dtype.kind in "biu" and dtype is None:
        # NumPy: the mean of integers is float64 (float32 without 64-bit types)
        dtype = narrowed(_dtypes.float64, x._backend)
    return st.mean(x, axis=_axis(axis), dtype=_dtype(dtype), keepdims=_flag(keepdims))


def _variance(
    func: Any, a: Any, like: Array, axis: Any, dtype: Any, ddof: Any, keepdims: Any
) -> Any:
    x = as_array(a, like)
    if x.dtype.kind in "biu":
        x = dt.astype(x, narrowed(_dtypes.float64, x._backend))
    r = func(x, axis=_axis(axis), correction=ddof, keepdims=_flag(keepdims))
    return r if dtype is None else dt.astype(r, _dtype(dtype))


@implements("std", out=True)
def _std(
    like, a, axis=None, dtype=None, ddof=0, keepdims=_NV, *, where=_NV, mean=_NV, correction=_NV
):
    _plain(where, mean)
    ddof = correction if _given(correction) else ddof
    return _variance(st.std, a, like, axis, dtype, ddof, keepdims)


@implements("var", out=True)
def _var(
    like, a, axis=None, dtype=None, ddof=0, keepdims=_NV, *, where=_NV, mean=_NV, correction=_NV
):
    _plain(where, mean)
    ddof = correction if _given(correction) else ddof
    return _variance(st.var, a, like, axis, dtype, ddof, keepdims)


def _extremum(func: Any) -> Any:
    def impl(like, a, axis=None, keepdims=_NV, initial=_NV, where=_NV):
        _plain(initial, where)
        return func(as_array(a, like), axis=_axis(axis), keepdims=_flag(keepdims))

    return impl


implements("max", "amax", out=True)(_extremum(st.max))
implements("min", "amin", out=True)(_extremum(st.min))


def _logical_reduction(func: Any) -> Any:
    def impl(like, a, axis=None, keepdims=_NV, *, where=_NV):
        _plain(where)
        return func(as_array(a, like), axis=_axis(axis), keepdims=_flag(keepdims))

    return impl


implements("all", out=True)(_logical_reduction(ut.all))
implements("any", out=True)(_logical_reduction(ut.any))


def _arg_extremum(func: Any) -> Any:
    def impl(like, a, axis=None, *, keepdims=_NV):
        x = as_array(a, like)
        if axis is None:
            x = mf.reshape(x, (-1,))
            axis = 0
        return func(x, axis=axis, keepdims=_flag(keepdims))

    return impl


implements("argmax", out=True)(_arg_extremum(se.argmax))
implements("argmin", out=True)(_arg_extremum(se.argmin))


def _cumulative(func: Any) -> Any:
    def impl(like, a, axis=None, dtype=None):
        x = as_array(a, like)
        if axis is None:
            x, axis = mf.reshape(x, (-1,)), 0
        return func(x, axis=axis, dtype=_dtype(dtype))

    return impl


implements("cumsum", "cumulative_sum", out=True)(_cumulative(st.cumulative_sum))
implements("cumprod", "cumulative_prod", out=True)(_cumulative(st.cumulative_prod))


@implements("count_nonzero")
def _count_nonzero(like, a, axis=None, *, keepdims=False):
    return se.count_nonzero(as_array(a, like), axis=_axis(axis), keepdims=keepdims)


# ----------------------------------------------------------------- extensions

for _name, _impl in ext._numpy_adapters().items():
    implements(_name, out=True)(_impl)


# ------------------------------------------------------------- array creation


def _like_dtype(dtype: Any, x: Array, func: str) -> Any:
    """The dtype of a ``*_like`` result; a structured dtype is refused (see Refused)."""
    if dtype is not None and getattr(_np().dtype(dtype), "names", None) is not None:
        raise Refused(f"numpy.{func}: storax arrays have no structured dtypes ({dtype})")
    return _dtype(dtype) or x.dtype


def _like_shape(x: Array, shape: Any) -> tuple[int, ...]:
    if shape is None:
        return tuple(x.shape)
    return (shape,) if isinstance(shape, int) else tuple(shape)


@implements("zeros_like")
def _zeros_like(like, a, dtype=None, order="K", subok=True, shape=None, *, device=None):
    x = as_array(a, like)
    d = _like_dtype(dtype, x, "zeros_like")
    return cr.zeros(_like_shape(x, shape), dtype=d, device=x.device)


@implements("ones_like")
def _ones_like(like, a, dtype=None, order="K", subok=True, shape=None, *, device=None):
    x = as_array(a, like)
    d = _like_dtype(dtype, x, "ones_like")
    return cr.ones(_like_shape(x, shape), dtype=d, device=x.device)


@implements("empty_like")
def _empty_like(like, prototype, dtype=None, order="K", subok=True, shape=None, *, device=None):
    x = as_array(prototype, like)
    d = _like_dtype(dtype, x, "empty_like")
    return cr.empty(_like_shape(x, shape), dtype=d, device=x.device)


@implements("full_like")
def _full_like(like, a, fill_value, dtype=None, order="K", subok=True, shape=None, *, device=None):
    x = as_array(a, like)
    d = _like_dtype(dtype, x, "full_like")
    if isinstance(fill_value, Array) or not isinstance(fill_value, (int, float, complex)):
        fill_value = as_array(fill_value, like)
        if fill_value.ndim:
            raise Fallback
        fill_value = fill_value.item()
    fill = _cast_scalar(fill_value, d)
    return cr.full(_like_shape(x, shape), fill, dtype=d, device=x.device)


def _cast_scalar(value: Any, d: Any) -> Any:
    """A Python scalar cast to dtype ``d``'s kind, as NumPy casts a fill value."""
    k = d.kind
    if k == "b":
        return builtins.bool(value)
    if k in "iu":
        if isinstance(value, complex):
            value = value.real
        return int(value)
    if k == "f":
        return float(value.real if isinstance(value, complex) else value)
    return complex(value)


@implements("copy")
def _copy(like, a, order="K", subok=False):
    return cr.asarray(as_array(a, like), copy=True)


@implements("asarray", "asanyarray", "array")
def _asarray_like(like, a, dtype=None, *args, **kwargs):
    # reached only with ``like=storax_array`` (NEP 35)
    raise Fallback


# ---------------------------------------------------------------- manipulation


def _arrays(like: Array, seq: Any) -> list[Array]:
    if isinstance(seq, Array):
        return list(mf.unstack(seq, axis=0))
    return [as_array(a, like) for a in seq]


def _common(arrays: list[Array], dtype: Any) -> list[Array]:
    if dtype is not None:
        d = _dtype(dtype)
        return [a if a.dtype == d else dt.astype(a, d) for a in arrays]
    target = arrays[0].dtype
    for a in arrays[1:]:
        target = _promote(target, a.dtype)
    return [a if a.dtype == target else dt.astype(a, target) for a in arrays]


def _promote(d1: Any, d2: Any) -> Any:
    from ._backends import host

    return host.xp.promote_types(d1, d2)


@implements("concatenate", "concat", out=True)
def _concatenate(like, arrays, axis=0, out=None, *, dtype=None, casting="same_kind"):
    xs = _common(_arrays(like, arrays), dtype)
    if axis is None:
        xs = [mf.reshape(a, (-1,)) for a in xs]
        axis = 0
    return mf.concat(xs, axis=axis)


@implements("stack", out=True)
def _stack(like, arrays, axis=0, out=None, *, dtype=None, casting="same_kind"):
    return mf.stack(_common(_arrays(like, arrays), dtype), axis=axis)


def _atleast(x: Array, n: int) -> Array:
    if x.ndim >= n:
        return x
    if n == 1:
        return mf.reshape(x, (1,))
    if n == 2:
        return mf.reshape(x, (1, *x.shape) if x.ndim == 1 else (1, 1))
    if x.ndim == 0:
        return mf.reshape(x, (1, 1, 1))
    if x.ndim == 1:
        return mf.reshape(x, (1, x.shape[0], 1))
    return mf.expand_dims(x, axis=-1)


def _make_atleast(n: int) -> Any:
    def impl(like, *arys):
        out = [_atleast(as_array(a, like), n) for a in arys]
        return out[0] if len(out) == 1 else tuple(out)

    return impl


for _n in (1, 2, 3):
    implements(f"atleast_{_n}d")(_make_atleast(_n))


@implements("vstack", "row_stack")
def _vstack(like, tup, *, dtype=None, casting="same_kind"):
    return mf.concat(_common([_atleast(a, 2) for a in _arrays(like, tup)], dtype), axis=0)


@implements("hstack")
def _hstack(like, tup, *, dtype=None, casting="same_kind"):
    xs = _common([_atleast(a, 1) for a in _arrays(like, tup)], dtype)
    return mf.concat(xs, axis=0 if xs[0].ndim == 1 else 1)


@implements("column_stack")
def _column_stack(like, tup):
    xs = [a if a.ndim >= 2 else mf.reshape(_atleast(a, 1), (-1, 1)) for a in _arrays(like, tup)]
    return mf.concat(_common(xs, None), axis=1)


@implements("dstack")
def _dstack(like, tup):
    return mf.concat(_common([_atleast(a, 3) for a in _arrays(like, tup)], None), axis=2)


@implements("reshape")
def _reshape(like, a, /, shape=None, order="C", *, newshape=None, copy=None):
    if order != "C":
        raise Fallback
    shape = newshape if shape is None else shape
    shape = (shape,) if isinstance(shape, int) else tuple(shape)
    return mf.reshape(as_array(a, like), shape, copy=copy)


@implements("ravel")
def _ravel(like, a, order="C"):
    if order not in ("C", "K", "A"):
        raise Fallback
    return mf.reshape(as_array(a, like), (-1,))


@implements("transpose", "permute_dims")
def _transpose(like, a, axes=None):
    x = as_array(a, like)
    axes = tuple(range(x.ndim))[::-1] if axes is None else tuple(axes)
    return mf.permute_dims(x, axes)


@implements("swapaxes")
def _swapaxes(like, a, axis1, axis2):
    return as_array(a, like).transpose(axis1, axis2)


@implements("matrix_transpose", "numpy.linalg.matrix_transpose")
def _matrix_transpose(like, x, /):
    return la.matrix_transpose(as_array(x, like))


@implements("moveaxis")
def _moveaxis(like, a, source, destination):
    return mf.moveaxis(as_array(a, like), source, destination)


@implements("squeeze")
def _squeeze(like, a, axis=None):
    x = as_array(a, like)
    if axis is None:
        axis = tuple(i for i, s in enumerate(x.shape) if s == 1)
    return mf.squeeze(x, axis=_axis(axis))


@implements("expand_dims")
def _expand_dims(like, a, axis):
    x = as_array(a, like)
    if isinstance(axis, (tuple, list)):
        n = x.ndim + len(axis)
        for ax in sorted(a_ % n for a_ in axis):
            x = mf.expand_dims(x, axis=ax)
        return x
    return mf.expand_dims(x, axis=axis)


@implements("broadcast_to")
def _broadcast_to(like, array, shape, subok=False):
    shape = (shape,) if isinstance(shape, int) else tuple(shape)
    return mf.broadcast_to(as_array(array, like), shape)


@implements("broadcast_arrays")
def _broadcast_arrays(like, *args, subok=False):
    return tuple(mf.broadcast_arrays(*[as_array(a, like) for a in args]))


@implements("flip")
def _flip(like, m, axis=None):
    return mf.flip(as_array(m, like), axis=_axis(axis))


@implements("roll")
def _roll(like, a, shift, axis=None):
    if isinstance(shift, list):
        shift = tuple(shift)
    return mf.roll(as_array(a, like), shift, axis=_axis(axis))


@implements("tile")
def _tile(like, A, reps):
    reps = (reps,) if isinstance(reps, int) else tuple(reps)
    return mf.tile(as_array(A, like), reps)


@implements("repeat")
def _repeat(like, a, repeats, axis=None):
    x = as_array(a, like)
    if axis is None:
        x, axis = mf.reshape(x, (-1,)), 0
    if not isinstance(repeats, int):
        repeats = as_array(repeats, like)
        if repeats.ndim == 0:
            repeats = int(repeats)
    return mf.repeat(x, repeats, axis=axis)


@implements("take", out=True)
def _take(like, a, indices, axis=None, out=None, mode="raise"):
    if mode != "raise":
        raise Fallback
    x = as_array(a, like)
    if axis is None:
        x, axis = mf.reshape(x, (-1,)), 0
    idx = as_array(indices, like)
    if idx.ndim != 1:
        raise Fallback
    return ix.take(x, idx, axis=axis)


@implements("take_along_axis")
def _take_along_axis(like, arr, indices, axis=-1):
    x = as_array(arr, like)
    if axis is None:
        x, axis = mf.reshape(x, (-1,)), 0
    return ix.take_along_axis(x, as_array(indices, like), axis=axis)


@implements("diff")
def _diff(like, a, n=1, axis=-1, prepend=_NV, append=_NV):
    x = as_array(a, like)
    kw = {}
    if _given(prepend):
        kw["prepend"] = (
            mf.broadcast_to(as_array(prepend, like), _edge(x, axis))
            if _scalarish(prepend)
            else as_array(prepend, like)
        )
    if _given(append):
        kw["append"] = (
            mf.broadcast_to(as_array(append, like), _edge(x, axis))
            if _scalarish(append)
            else as_array(append, like)
        )
    xs = _common([x, *kw.values()], None)
    kw = dict(zip(kw, xs[1:], strict=True))
    return ut.diff(xs[0], axis=axis, n=n, **kw)


def _scalarish(v: Any) -> builtins.bool:
    return getattr(v, "ndim", 0) == 0 and not isinstance(v, (list, tuple))


def _edge(x: Array, axis: int) -> tuple[int, ...]:
    shape = list(x.shape)
    shape[axis] = 1
    return tuple(shape)


@implements("where")
def _where(like, condition, x=_NV, y=_NV):
    if not _given(x) and not _given(y):
        return tuple(se.nonzero(as_array(condition, like)))
    c = as_array(condition, like)
    if c.dtype != _dtypes.bool:
        c = dt.astype(c, _dtypes.bool)
    a = x if type(x) in (builtins.bool, int, float, complex) else as_array(x, like)
    b = y if type(y) in (builtins.bool, int, float, complex) else as_array(y, like)
    if isinstance(a, Array) and isinstance(b, Array):
        a, b = _common([a, b], None)
    return se.where(c, a, b)


@implements("nonzero")
def _nonzero(like, a):
    return tuple(se.nonzero(as_array(a, like)))


@implements("argwhere")
def _argwhere(like, a):
    x = as_array(a, like)
    if x.ndim == 0:
        raise Fallback
    return mf.stack(list(se.nonzero(x)), axis=-1)


@implements("flatnonzero")
def _flatnonzero(like, a):
    return se.nonzero(mf.reshape(as_array(a, like), (-1,)))[0]


@implements("clip", out=True)
def _clip(like, a, a_min=_NV, a_max=_NV, out=None, *, min=_NV, max=_NV, **kwargs):
    if kwargs:
        raise Fallback
    lo = min if _given(min) else a_min
    hi = max if _given(max) else a_max
    x = as_array(a, like)
    bounds = [
        None if not _given(b) else b if type(b) in (int, float) else as_array(b, like)
        for b in (lo, hi)
    ]
    return ew.clip(x, *bounds)


@implements("round", "around", out=True)
def _round(like, a, decimals=0, out=None):
    x = as_array(a, like)
    if decimals == 0:
        return ew.round(x)
    if x.dtype.kind not in "fc":
        raise Fallback
    scale = 10.0**decimals
    return ew.divide(ew.round(ew.multiply(x, scale)), scale)


@implements("real")
def _real(like, val):
    return ew.real(as_array(val, like))


@implements("imag")
def _imag(like, val):
    x = as_array(val, like)
    return ew.imag(x) if x.dtype.kind == "c" else cr.zeros_like(x)


@implements("sort")
def _sort(like, a, axis=-1, kind=None, order=None, *, stable=None):
    _plain(order)
    x = as_array(a, like)
    if axis is None:
        x, axis = mf.reshape(x, (-1,)), -1
    return so.sort(x, axis=axis, stable=kind == "stable" or builtins.bool(stable))


@implements("argsort")
def _argsort(like, a, axis=-1, kind=None, order=None, *, stable=None):
    _plain(order)
    x = as_array(a, like)
    if axis is None:
        x, axis = mf.reshape(x, (-1,)), -1
    return so.argsort(x, axis=axis, stable=True)


@implements("searchsorted")
def _searchsorted(like, a, v, side="left", sorter=None):
    s = None if sorter is None else as_array(sorter, like)
    if isinstance(v, (int, float)):
        v = cr.asarray(v, dtype=as_array(a, like).dtype, device=like.device)
    x1, x2 = _common([as_array(a, like), as_array(v, like)], None)
    return se.searchsorted(x1, x2, side=side, sorter=s)


@implements("isin")
def _isin(like, element, test_elements, assume_unique=False, invert=False, *, kind=None):
    x1, x2 = _common([as_array(element, like), as_array(test_elements, like)], None)
    return ix_isin(x1, mf.reshape(x2, (-1,)), invert=invert)


def ix_isin(x1: Array, x2: Array, invert: builtins.bool) -> Array:
    from ._set_functions import isin

    return isin(x1, x2, invert=invert)


@implements("tril")
def _tril(like, m, k=0):
    return cr.tril(as_array(m, like), k=k)


@implements("triu")
def _triu(like, m, k=0):
    return cr.triu(as_array(m, like), k=k)


@implements("meshgrid")
def _meshgrid(like, *xi, copy=True, sparse=False, indexing="xy"):
    if sparse:
        raise Fallback
    return tuple(cr.meshgrid(*[as_array(a, like) for a in xi], indexing=indexing))


@implements("split")
def _split(like, ary, indices_or_sections, axis=0):
    x = as_array(ary, like)
    if isinstance(indices_or_sections, int) and x.shape[axis] % indices_or_sections:
        raise ValueError("array split does not result in an equal division")
    return _array_split(like, x, indices_or_sections, axis)


@implements("array_split")
def _array_split(like, ary, indices_or_sections, axis=0):
    x = as_array(ary, like)
    n = x.shape[axis]
    if isinstance(indices_or_sections, int):
        k = indices_or_sections
        if k <= 0:
            raise ValueError("number sections must be larger than 0.")
        each, extra = divmod(n, k)
        bounds = [0]
        for i in range(k):
            bounds.append(bounds[-1] + each + (1 if i < extra else 0))
    else:
        bounds = [0, *(builtins.min(builtins.max(int(i), 0), n) for i in indices_or_sections), n]
    key: list[Any] = [slice(None)] * x.ndim
    parts = []
    for lo, hi in zip(bounds[:-1], bounds[1:], strict=True):
        key[axis % x.ndim] = slice(lo, builtins.max(lo, hi))
        parts.append(x[tuple(key)])
    return parts


# ---------------------------------------------------------------- linear algebra


@implements("dot", out=True)
def _dot(like, a, b, out=None):
    x1, x2 = _common([as_array(a, like), as_array(b, like)], None)
    if x1.ndim == 0 or x2.ndim == 0:
        return ew.multiply(x1, x2)
    if x2.ndim > 2:
        raise Fallback
    return la.matmul(x1, x2)


@implements("vdot")
def _vdot(like, a, b, /):
    x1, x2 = _common([as_array(a, like), as_array(b, like)], None)
    return la.vecdot(mf.reshape(x1, (-1,)), mf.reshape(x2, (-1,)))


@implements("inner")
def _inner(like, a, b, /):
    x1, x2 = _common([as_array(a, like), as_array(b, like)], None)
    if x1.ndim == 0 or x2.ndim == 0:
        return ew.multiply(x1, x2)
    return la.tensordot(x1, x2, axes=([x1.ndim - 1], [x2.ndim - 1]))


@implements("outer", out=True)
def _outer(like, a, b, out=None):
    x1, x2 = _common([as_array(a, like), as_array(b, like)], None)
    return linalg.outer(mf.reshape(x1, (-1,)), mf.reshape(x2, (-1,)))


@implements("tensordot")
def _tensordot(like, a, b, axes=2):
    x1, x2 = _common([as_array(a, like), as_array(b, like)], None)
    if isinstance(axes, (list, tuple)):
        axes = tuple(tuple(ax) if isinstance(ax, (list, tuple)) else (ax,) for ax in axes)
    return la.tensordot(x1, x2, axes=axes)


@implements("trace", out=True)
def _trace(like, a, offset=0, axis1=0, axis2=1, dtype=None, out=None):
    x = as_array(a, like)
    x = mf.moveaxis(x, (axis1, axis2), (-2, -1))
    return linalg.trace(x, offset=offset, dtype=_dtype(dtype))


@implements("diagonal")
def _diagonal(like, a, offset=0, axis1=0, axis2=1):
    x = mf.moveaxis(as_array(a, like), (axis1, axis2), (-2, -1))
    return linalg.diagonal(x, offset=offset)


@implements("numpy.linalg.norm")
def _norm(like, x, ord=None, axis=None, keepdims=False):
    a = as_array(x, like)
    if a.dtype.kind in "biu":
        a = dt.astype(a, narrowed(_dtypes.float64, a._backend))
    if axis is None and ord is None:
        return linalg.vector_norm(a, keepdims=keepdims)
    if isinstance(axis, int) or (axis is None and a.ndim == 1):
        return linalg.vector_norm(a, axis=axis, ord=2 if ord is None else ord, keepdims=keepdims)
    axis = (-2, -1) if axis is None else tuple(axis)
    if len(axis) == 2 and ord in (
        None,
        "fro",
        "nuc",
        1,
        -1,
        2,
        -2,
        builtins.float("inf"),
        -builtins.float("inf"),
    ):
        m = mf.moveaxis(a, axis, (-2, -1))
        r = linalg.matrix_norm(m, ord="fro" if ord is None else ord, keepdims=keepdims)
        return mf.moveaxis(r, (-2, -1), axis) if keepdims else r
    raise Fallback


def _float(a: Array) -> Array:
    return dt.astype(a, narrowed(_dtypes.float64, a._backend)) if a.dtype.kind in "biu" else a


@implements("numpy.linalg.inv")
def _inv(like, a):
    return linalg.inv(_float(as_array(a, like)))


@implements("numpy.linalg.det")
def _det(like, a):
    return linalg.det(_float(as_array(a, like)))


@implements("numpy.linalg.slogdet")
def _slogdet(like, a):
    return linalg.slogdet(_float(as_array(a, like)))


@implements("numpy.linalg.solve")
def _solve(like, a, b):
    x1, x2 = _common([_float(as_array(a, like)), _float(as_array(b, like))], None)
    return linalg.solve(x1, x2)


@implements("numpy.linalg.cholesky")
def _cholesky(like, a, /, *, upper=False):
    return linalg.cholesky(_float(as_array(a, like)), upper=upper)


@implements("numpy.linalg.eigh")
def _eigh(like, a, UPLO="L"):
    if UPLO != "L":
        raise Fallback
    return linalg.eigh(_float(as_array(a, like)))


@implements("numpy.linalg.eigvalsh")
def _eigvalsh(like, a, UPLO="L"):
    if UPLO != "L":
        raise Fallback
    return linalg.eigvalsh(_float(as_array(a, like)))


@implements("numpy.linalg.svd")
def _svd(like, a, full_matrices=True, compute_uv=True, hermitian=False):
    x = _float(as_array(a, like))
    if not compute_uv:
        return linalg.svdvals(x)
    if hermitian:
        raise Fallback
    return linalg.svd(x, full_matrices=full_matrices)


@implements("numpy.linalg.qr")
def _qr(like, a, mode="reduced"):
    if mode not in ("reduced", "complete"):
        raise Fallback
    return linalg.qr(_float(as_array(a, like)), mode=mode)


@implements("numpy.linalg.pinv")
def _pinv(like, a, rcond=None, hermitian=False, *, rtol=_NV):
    if hermitian or rcond is not None:
        raise Fallback
    return linalg.pinv(_float(as_array(a, like)), rtol=rtol if _given(rtol) else None)


@implements("numpy.linalg.matrix_rank")
def _matrix_rank(like, A, tol=None, hermitian=False, *, rtol=None):
    x = as_array(A, like)
    if tol is not None or hermitian or x.ndim < 2:
        raise Fallback
    return linalg.matrix_rank(_float(x), rtol=rtol)


@implements("numpy.linalg.matrix_power")
def _matrix_power(like, a, n):
    return linalg.matrix_power(as_array(a, like), n)


# ------------------------------------------------------------- comparisons, info


@implements("isclose")
def _isclose(like, a, b, rtol=1e-05, atol=1e-08, equal_nan=False):
    return ext._isclose(
        as_array(a, like), as_array(b, like), rtol=rtol, atol=atol, equal_nan=equal_nan
    )


@implements("allclose")
def _allclose(like, a, b, rtol=1e-05, atol=1e-08, equal_nan=False):
    close = ext._isclose(
        as_array(a, like), as_array(b, like), rtol=rtol, atol=atol, equal_nan=equal_nan
    )
    return builtins.bool(ut.all(close))


@implements("array_equal")
def _array_equal(like, a1, a2, equal_nan=False):
    x1, x2 = as_array(a1, like), as_array(a2, like)
    if tuple(x1.shape) != tuple(x2.shape):
        return False
    eq = ew.equal(x1, x2)
    if equal_nan and x1.dtype.kind in "fc" and x2.dtype.kind in "fc":
        eq = ew.logical_or(eq, ew.logical_and(ew.isnan(x1), ew.isnan(x2)))
    return builtins.bool(ut.all(eq))


@implements("nan_to_num")
def _nan_to_num(like, x, copy=True, nan=0.0, posinf=None, neginf=None):
    return ext._nan_to_num(as_array(x, like), nan=nan, posinf=posinf, neginf=neginf)


@implements("shape")
def _shape(like, a):
    return tuple(as_array(a, like).shape)


@implements("ndim")
def _ndim(like, a):
    return as_array(a, like).ndim


@implements("size")
def _size(like, a, axis=None):
    x = as_array(a, like)
    return x.size if axis is None else x.shape[axis]


@implements("result_type")
def _result_type(like, *arrays_and_dtypes):
    from ._backends import host

    return host.xp.result_type(*[a.dtype if isinstance(a, Array) else a for a in arrays_and_dtypes])


@implements("iscomplexobj")
def _iscomplexobj(like, x):
    return as_array(x, like).dtype.kind == "c"


@implements("isrealobj")
def _isrealobj(like, x):
    return as_array(x, like).dtype.kind != "c"


@implements("unique_values")
def _unique_values(like, x):
    from ._set_functions import unique_values

    return unique_values(as_array(x, like))


@implements("linspace")
def _linspace(
    like, start, stop, num=50, endpoint=True, retstep=False, dtype=None, axis=0, *, device=None
):
    if (
        retstep
        or axis != 0
        or isinstance(start, Array)
        and start.ndim
        or isinstance(stop, Array)
        and stop.ndim
    ):
        raise Fallback
    lo, hi = (float(v) if not isinstance(v, complex) else v for v in (start, stop))
    return cr.linspace(
        lo,
        hi,
        num,
        dtype=_dtype(dtype) or narrowed(_dtypes.float64, like._backend),
        device=like.device,
        endpoint=endpoint,
    )
