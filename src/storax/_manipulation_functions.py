"""Manipulation functions (spec chapter "Manipulation Functions").

View-returning functions (permute_dims, expand_dims, squeeze, broadcast_to, reshape when
the layout allows, unstack, moveaxis, flip) share the input's storage; concat, stack,
repeat, roll and tile return new storage.
"""

from __future__ import annotations

import builtins
import operator
from typing import Any

from . import _dtypes, _names, _sizes
from ._array_object import Array
from ._backends import check_same_device, is_host_value
from ._backends import from_host_operand as _from_host_operand
from ._backends import wrap as _wrap
from ._config import settings
from ._device_dtypes import index_dtype, promoted, widest

__all__ = [
    "broadcast_arrays",
    "broadcast_shapes",
    "broadcast_to",
    "concat",
    "expand_dims",
    "flip",
    "moveaxis",
    "permute_dims",
    "repeat",
    "reshape",
    "roll",
    "squeeze",
    "stack",
    "tile",
    "unstack",
]


# ------------------------------------------------------------------ shared helpers
# (also used by the indexing, searching, set, sorting, statistical and utility modules)


def _as_array(x: Any, func: str, like: Array | None = None) -> Array:
    """``x`` as a storax Array: Arrays pass, NumPy arrays and scalars are wrapped.

    Note: as the design asks, storax takes NumPy arrays where the standard takes arrays
    (on the NumPy backend a NumPy array is wrapped without a copy, on JAX it is copied to
    the device; a NumPy scalar becomes a 0-d array). It joins ``like``, a storax Array it
    is combined with, else goes to the current backend.
    """
    if isinstance(x, Array):
        return x
    if is_host_value(x):
        if x.dtype not in _dtypes.STANDARD_DTYPES:
            raise TypeError(f"{func}: {x.dtype} is not a data type of the array API standard")
        return _from_host_operand(x, like)
    raise TypeError(f"{func}: expected a storax array, got {type(x).__name__}")


def _maybe_array(x: Any, func: str) -> Any:
    """NumPy arrays and scalars as storax Arrays; anything else unchanged."""
    if is_host_value(x):
        return _as_array(x, func)
    return x


def _int(value: Any, func: str, what: str) -> int:
    """``value`` as a Python int (bools and non-integers raise TypeError)."""
    if isinstance(value, builtins.bool):
        raise TypeError(f"{func}: {what} must be an int, got bool")
    try:
        return operator.index(value)
    except TypeError:
        raise TypeError(f"{func}: {what} must be an int, got {type(value).__name__}") from None


def _axis(a: Any, ndim: int, func: str) -> int:
    """Normalise one axis against ``ndim`` dimensions (IndexError when out of range)."""
    if type(a) is int and -ndim <= a < ndim:  # the common call, without _int's checks
        return a if a >= 0 else a + ndim
    i = _int(a, func, "axis")
    if not -ndim <= i < ndim:
        raise IndexError(f"{func}: axis {i} is out of bounds for {ndim} dimensions")
    return i % ndim


def _axes(axis: Any, ndim: int, func: str) -> tuple[int, ...]:
    """Normalise an int or a tuple of axes; repeated axes raise ValueError."""
    if type(axis) is int:  # one axis (the common call): nothing can repeat
        return (_axis(axis, ndim, func),)
    axes = tuple(_axis(a, ndim, func) for a in (axis if isinstance(axis, tuple) else (axis,)))
    if len(set(axes)) != len(axes):
        raise ValueError(f"{func}: repeated axis in {axis}")
    return axes


def _reduction_axes(axis: Any, ndim: int, func: str) -> tuple[int, ...] | None:
    """``axis=`` of a reduction: None, an int or a tuple of ints."""
    if axis is None:
        return None
    if isinstance(axis, list):
        axis = tuple(axis)
    return _axes(axis, ndim, func)


def _check_arrays(arrays: Any, func: str) -> list[Array]:
    if not isinstance(arrays, (tuple, list)):
        raise TypeError(f"{func}: expected a tuple or list of arrays, got {type(arrays).__name__}")
    if not arrays:
        raise ValueError(f"{func}: need at least one array")
    like = next((a for a in arrays if isinstance(a, Array)), None)
    return [_as_array(a, func, like) for a in arrays]


def _index_range(xp: Any, v: Any) -> tuple[int, int] | None:
    """The (min, max) of a non-empty integer array, or None inside a traced (jitted)
    function, where the values are unknown until run time (a synchronisation point)."""
    try:
        return builtins.int(xp.min(v)), builtins.int(xp.max(v))
    except TypeError:  # jax's ConcretizationTypeError: a tracer has no value yet
        return None


def _same_device(arrays: Any, func: str) -> None:
    """ValueError naming both devices when ``arrays`` (storax Arrays) mix devices."""
    first = arrays[0]
    for a in arrays[1:]:
        check_same_device(first, a, func)


def _result_dtype(arrays: list[Array], func: str) -> Any:
    d = arrays[0].dtype
    for a in arrays[1:]:
        d = _dtypes.promote(d, a.dtype, func=func)
    return promoted(d, arrays[0]._backend, arrays[0].device, func)


def _shape_arg(shape: Any, func: str) -> tuple[int, ...]:
    if isinstance(shape, builtins.bool):
        raise TypeError(f"{func}: shape must be a tuple of ints, got bool")
    if isinstance(shape, int):
        return (shape,)
    if not isinstance(shape, (tuple, list)):
        raise TypeError(f"{func}: shape must be a tuple of ints, got {type(shape).__name__}")
    return tuple(_int(d, func, "shape entries") for d in shape)


def _resolve_shape(dims: tuple[int, ...], size: int, func: str) -> tuple[int, ...]:
    """``dims`` with its -1 entry (at most one) filled in for ``size`` elements."""
    if builtins.sum(d == -1 for d in dims) > 1 or builtins.any(d < -1 for d in dims):
        raise ValueError(f"{func}: invalid shape {dims}")
    known = 1
    for d in dims:
        if d != -1:
            known *= d
    if -1 in dims:
        if known == 0 or size % known:
            raise ValueError(f"{func}: cannot reshape an array of size {size} into {dims}")
        return tuple(size // known if d == -1 else d for d in dims)
    if known != size:
        raise ValueError(f"{func}: cannot reshape an array of size {size} into {dims}")
    return dims


# ------------------------------------------------------------------------ views


def permute_dims(x: Array, /, axes: tuple[int, ...]) -> Array:
    """https://data-apis.org/array-api/latest/API_specification/generated/array_api.permute_dims.html"""
    x = _as_array(x, "permute_dims")
    n = x.ndim
    if type(axes) is tuple and len(axes) == n:
        # the common call: every axis an int in range, each once (one pass, one sort)
        ax = tuple([a if type(a) is int and a >= 0 else _axis(a, n, "permute_dims") for a in axes])
        if sorted(ax) == list(range(n)):
            return x._permuted(ax)
    if not isinstance(axes, (tuple, list)):
        raise TypeError("permute_dims: axes must be a tuple of ints")
    # Note: negative axes are accepted in both API versions (2025.12 added them).
    ax = tuple(_axis(a, n, "permute_dims") for a in axes)
    if sorted(ax) != list(range(n)):
        raise ValueError(f"permute_dims: {tuple(axes)} is not a permutation of {n} axes")
    return x._permuted(ax)


def reshape(x: Array, /, shape: tuple[int, ...], *, copy: builtins.bool | None = None) -> Array:
    """https://data-apis.org/array-api/latest/API_specification/generated/array_api.reshape.html

    A view of ``x`` when its layout allows it (and ``copy`` is not True), else a copy;
    ``copy=False`` raises ValueError when a copy would be needed.
    """
    if type(shape) is tuple and copy is None and getattr(x, "_live_views", False):
        # Fast path (live strided views: NumPy): a tuple of non-negative ints (or -1);
        # the backend checks the size (and that -1 appears once).
        for d in shape:
            if type(d) is not int or (d < 0 and d != -1):
                break
        else:
            try:
                return x._new(x._value.reshape(shape))
            except ValueError:
                pass  # the full path below raises storax's error
    x = _as_array(x, "reshape")
    names = x._names
    if names is not None:  # computed on an unnamed view; names kept when unambiguous
        r = reshape(_names.plain(x), shape, copy=copy)
        return _names.attach(r, _names.reshape_names(x.shape, names, r.shape))
    dims = _shape_arg(shape, "reshape")
    if copy is not None and not isinstance(copy, builtins.bool):
        raise TypeError(f"reshape: copy must be a bool or None, got {type(copy).__name__}")
    dims = _resolve_shape(dims, x.size, "reshape")
    if x._backend.caps.live_views:  # the backend picks view-or-copy itself
        try:
            return x._new(x._backend.xp.reshape(x._value, dims, copy=copy))
        except ValueError:
            raise ValueError(
                f"reshape: cannot reshape {x.shape} into {dims} without a copy (copy=False)"
            ) from None
    if copy is not True:
        view = x._view_reshape(dims)
        if view is not None:
            return view
        if copy is False:
            raise ValueError(
                f"reshape: cannot reshape {x.shape} into {dims} without a copy (copy=False)"
            )
    return _wrap(x._backend.xp.reshape(x._value, dims, copy=True))


def expand_dims(x: Array, /, axis: Any = 0) -> Array:
    """https://data-apis.org/array-api/latest/API_specification/generated/array_api.expand_dims.html"""
    x = _as_array(x, "expand_dims")
    if isinstance(axis, tuple) and settings.api_version == "2024.12":
        raise TypeError("expand_dims: a tuple of axes needs API version 2025.12")
    n = x.ndim + (len(axis) if isinstance(axis, tuple) else 1)
    return x._expanded(_axes(axis, n, "expand_dims"))


def squeeze(x: Array, /, axis: Any) -> Array:
    """https://data-apis.org/array-api/latest/API_specification/generated/array_api.squeeze.html"""
    x = _as_array(x, "squeeze")
    shape = x.shape
    axes = _axes(axis, len(shape), "squeeze")
    for a in axes:
        if shape[a] != 1:
            raise ValueError(f"squeeze: axis {a} has size {shape[a]}, not 1")
    return x._squeezed(axes)


def broadcast_shapes(*shapes: tuple[int, ...]) -> tuple[int, ...]:
    """https://data-apis.org/array-api/latest/API_specification/generated/array_api.broadcast_shapes.html"""
    checked = [_shape_arg(s, "broadcast_shapes") for s in shapes]
    ndim = builtins.max((len(s) for s in checked), default=0)
    out = [1] * ndim
    for s in checked:
        if builtins.any(d < 0 for d in s):
            raise ValueError(f"broadcast_shapes: negative dimension in {s}")
        for i, d in enumerate(s, ndim - len(s)):
            if d == out[i] or d == 1:
                continue
            if out[i] != 1:
                raise ValueError(
                    f"broadcast_shapes: shapes {tuple(tuple(c) for c in checked)} "
                    "are not broadcast-compatible"
                )
            out[i] = d
    return tuple(out)


def broadcast_to(x: Array, /, shape: tuple[int, ...]) -> Array:
    """https://data-apis.org/array-api/latest/API_specification/generated/array_api.broadcast_to.html

    The result is a read-only view (stride 0 along broadcast axes).
    """
    x = _as_array(x, "broadcast_to")
    dims = _shape_arg(shape, "broadcast_to")
    if builtins.any(d < 0 for d in dims):
        raise ValueError(f"broadcast_to: negative dimension in {dims}")
    _sizes.check_shape(dims, x.dtype.itemsize, "broadcast_to")
    try:
        return x._broadcast(dims)
    except ValueError:
        raise ValueError(f"broadcast_to: cannot broadcast {x.shape} to {dims}") from None


def broadcast_arrays(*arrays: Array) -> Any:
    """https://data-apis.org/array-api/latest/API_specification/generated/array_api.broadcast_arrays.html

    Each result is a read-only view of its input.
    """
    arrays = tuple(_as_array(a, "broadcast_arrays") for a in arrays)
    if arrays:
        _same_device(arrays, "broadcast_arrays")
    try:
        shape = broadcast_shapes(*(a.shape for a in arrays))
    except ValueError as e:
        raise ValueError(f"broadcast_arrays: {e}") from None
    out = [a._broadcast(shape) for a in arrays]
    # Note: 2024.12 returns a list, 2025.12 a tuple.
    return out if settings.api_version == "2024.12" else tuple(out)


def flip(x: Array, /, *, axis: Any = None) -> Array:
    """https://data-apis.org/array-api/latest/API_specification/generated/array_api.flip.html

    Note: the result is a view of ``x`` with negative strides along the flipped axes (as
    NumPy's ``flip``, unlike PyTorch's, which copies); writes through it reach ``x``.
    """
    x = _as_array(x, "flip")
    axes = range(x.ndim) if axis is None else _axes(axis, x.ndim, "flip")
    rev = slice(None, None, -1)
    if x.ndim == 1 and axes:
        return x[rev]  # a bare slice: the families' cheapest view (no index tuple parsed)
    return x[tuple(rev if a in axes else slice(None) for a in range(x.ndim))]


def _axis_sequence(value: Any, ndim: int, func: str, what: str) -> tuple[int, ...]:
    items = value if isinstance(value, (tuple, list)) else (value,)
    axes = tuple(_axis(a, ndim, func) for a in items)
    if len(set(axes)) != len(axes):
        raise ValueError(f"{func}: repeated axis in {what} {value}")
    return axes


def moveaxis(x: Array, source: Any, destination: Any, /) -> Array:
    """https://data-apis.org/array-api/latest/API_specification/generated/array_api.moveaxis.html

    The result is a view of ``x``.
    """
    x = _as_array(x, "moveaxis")
    n = x.ndim
    src = _axis_sequence(source, n, "moveaxis", "source")
    dst = _axis_sequence(destination, n, "moveaxis", "destination")
    if len(src) != len(dst):
        raise ValueError(
            f"moveaxis: source {source} and destination {destination} differ in length"
        )
    order = [a for a in range(n) if a not in src]
    for d, s in sorted(zip(dst, src, strict=True)):
        order.insert(d, s)
    return x._permuted(tuple(order))


def unstack(x: Array, /, *, axis: int = 0) -> tuple[Array, ...]:
    """https://data-apis.org/array-api/latest/API_specification/generated/array_api.unstack.html

    Each element of the result is a view of ``x``.
    """
    x = _as_array(x, "unstack")
    a = _axis(axis, x.ndim, "unstack")
    lead = (slice(None),) * a
    return tuple(x[(*lead, i, Ellipsis)] for i in range(x.shape[a]))


# ----------------------------------------------------------------- new storage


def _same_family_values(arrays: Any) -> list[Any] | None:
    """The backend values of ``arrays`` (a list or tuple) when they are arrays of one
    family on one device with one dtype and rank (the common call of ``concat`` and
    ``stack``, which then skips promotion and device checks); else None."""
    if type(arrays) not in (list, tuple) or not arrays:
        return None
    first = arrays[0]
    cls = type(first)
    if not getattr(cls, "_one_device", False):  # not an Array, a named one, or multi-device
        return None
    v0 = first._value
    d, n = v0.dtype, v0.ndim
    values = [v0]
    for a in arrays[1:]:
        if type(a) is not cls:
            return None
        v = a._value
        if (v.dtype is not d and v.dtype != d) or v.ndim != n:
            return None
        values.append(v)
    return values


def concat(arrays: Any, /, *, axis: int | None = 0) -> Array:
    """https://data-apis.org/array-api/latest/API_specification/generated/array_api.concat.html"""
    values = _same_family_values(arrays) if type(axis) is int else None
    if values is not None:
        n = values[0].ndim
        if n and -n <= axis < n:  # (else the general path below raises)
            ax = axis % n
            if n > 1:
                first = values[0].shape
                for v in values:
                    s = v.shape
                    if s[:ax] != first[:ax] or s[ax + 1 :] != first[ax + 1 :]:
                        raise ValueError(
                            f"concat: shapes {[v.shape for v in values]} differ outside axis {axis}"
                        )
            return arrays[0]._new(arrays[0]._backend.xp.concatenate(values, axis=ax))
    arrs = _check_arrays(arrays, "concat")
    _same_device(arrs, "concat")
    dtype = _result_dtype(arrs, "concat")
    xp = arrs[0]._backend.xp
    values = [a._value if a.dtype == dtype else a._value.astype(dtype) for a in arrs]
    if axis is None:
        return _wrap(xp.concatenate([v.reshape(-1) for v in values]))
    n = arrs[0].ndim
    if builtins.any(a.ndim != n for a in arrs):
        raise ValueError(
            f"concat: arrays must have the same number of dimensions, got {[a.ndim for a in arrs]}"
        )
    if n == 0:
        raise ValueError("concat: zero-dimensional arrays cannot be concatenated along an axis")
    ax = _axis(axis, n, "concat")
    first = arrs[0].shape
    for a in arrs[1:]:
        s = a.shape
        if s[:ax] != first[:ax] or s[ax + 1 :] != first[ax + 1 :]:
            raise ValueError(f"concat: shapes {[a.shape for a in arrs]} differ outside axis {axis}")
    return _wrap(xp.concatenate(values, axis=ax))


def stack(arrays: Any, /, *, axis: int = 0) -> Array:
    """https://data-apis.org/array-api/latest/API_specification/generated/array_api.stack.html"""
    values = _same_family_values(arrays) if type(axis) is int else None
    if values is not None:
        shape = values[0].shape
        n = len(shape) + 1
        if -n <= axis < n and builtins.all(v.shape == shape for v in values):
            return arrays[0]._new(arrays[0]._backend.xp.stack(values, axis=axis % n))
    arrs = _check_arrays(arrays, "stack")
    _same_device(arrs, "stack")
    dtype = _result_dtype(arrs, "stack")
    shape = arrs[0].shape
    if builtins.any(a.shape != shape for a in arrs):
        raise ValueError(f"stack: arrays must have the same shape, got {[a.shape for a in arrs]}")
    ax = _axis(axis, len(shape) + 1, "stack")
    values = [a._value if a.dtype == dtype else a._value.astype(dtype) for a in arrs]
    return _wrap(arrs[0]._backend.xp.stack(values, axis=ax))


def repeat(x: Array, repeats: Any, /, *, axis: int | None = None) -> Array:
    """https://data-apis.org/array-api/latest/API_specification/generated/array_api.repeat.html

    Note: when ``repeats`` is an array its values are read to size the result (a
    synchronisation point on accelerated backends).
    """
    x = _as_array(x, "repeat")
    xp = x._backend.xp
    v = x._value
    if axis is None:
        v = v.reshape(-1)
        ax = 0
    else:
        ax = _axis(axis, x.ndim, "repeat")
    size = v.shape[ax]
    if type(repeats) is not int and is_host_value(repeats):
        # Note: NumPy data as repeats (like a Python int) is taken on any backend.
        repeats = _wrap(xp.asarray(_as_array(repeats, "repeat")._value))
    if isinstance(repeats, Array):
        check_same_device(x, repeats, "repeat")
        r = repeats._value
        if r.dtype.kind not in "iu":
            raise TypeError(f"repeat: repeats must have an integer data type, got {r.dtype}")
        if r.ndim > 1 or (r.ndim == 1 and r.shape[0] not in (1, size)):
            raise ValueError(f"repeat: repeats of shape {r.shape} cannot be broadcast to ({size},)")
        if r.size and builtins.bool(xp.any(r < 0)):
            raise ValueError("repeat: repeats must be non-negative")
        if r.ndim == 1 and r.shape[0] == 1:
            r = r[0]
        # the result's length along the axis (in float64 where the device has it: exact
        # enough for the limit)
        total = float(xp.sum(r.astype(widest("f", x._backend)))) * (size if r.ndim == 0 else 1)
        reps: Any = r.astype(index_dtype(x._backend))
    else:
        reps = _int(repeats, "repeat", "repeats")
        if reps < 0:
            raise ValueError(f"repeat: repeats must be non-negative, got {reps}")
        total = reps * size
    other = v.size // size if size else 0
    _sizes.check_count(total * other, v.dtype.itemsize, "repeat", "the repeated array")
    try:  # (inline, not _sizes.allocate: its argument forwarding costs ~0.5 µs)
        return x._new(xp.repeat(v, reps, axis=ax))
    except Exception as e:
        err = _sizes.out_of_memory(e, "repeat")
        if err is e:
            raise
        raise err from None


def roll(x: Array, /, shift: Any, *, axis: Any = None) -> Array:
    """https://data-apis.org/array-api/latest/API_specification/generated/array_api.roll.html"""
    x = _as_array(x, "roll")
    if isinstance(shift, (tuple, list)):
        shifts: Any = tuple(_int(s, "roll", "shift") for s in shift)
        if axis is None or not isinstance(axis, (tuple, list)) or len(axis) != len(shifts):
            raise ValueError("roll: a tuple shift needs a tuple axis of the same length")
    else:
        shifts = _int(shift, "roll", "shift")
    xp = x._backend.xp
    if axis is None:
        # a shift modulo the length: the same result, and one that fits the backend's int64
        return _wrap(xp.roll(x._value, shifts % x.size if x.size else 0))
    axes: Any
    if isinstance(axis, (tuple, list)):
        # Note: repeated axes are allowed (their shifts add up), as in NumPy.
        axes = tuple(_axis(a, x.ndim, "roll") for a in axis)
        shifts = tuple(s % (x.shape[a] or 1) for s, a in zip(shifts, axes, strict=True))
    else:
        axes = _axis(axis, x.ndim, "roll")
        shifts = shifts % (x.shape[axes] or 1)
    return _wrap(xp.roll(x._value, shifts, axis=axes))


def tile(x: Array, repetitions: tuple[int, ...], /) -> Array:
    """https://data-apis.org/array-api/latest/API_specification/generated/array_api.tile.html"""
    x = _as_array(x, "tile")
    if not isinstance(repetitions, (tuple, list)):
        raise TypeError(
            f"tile: repetitions must be a tuple of ints, got {type(repetitions).__name__}"
        )
    reps = tuple(repetitions)
    for r in reps:
        if type(r) is not int:
            reps = tuple(_int(r, "tile", "repetitions") for r in repetitions)
            break
    if reps and builtins.min(reps) < 0:
        raise ValueError(f"tile: repetitions must be non-negative, got {reps}")
    ndim, k = x.ndim, len(reps)
    if k == ndim:
        shape = tuple(map(operator.mul, reps, x.shape))
    else:
        n = builtins.max(k, ndim)
        full = (1,) * (n - k) + reps
        shape = tuple(a * b for a, b in zip(full, (1,) * (n - ndim) + x.shape, strict=True))
    _sizes.check_shape(shape, x.dtype.itemsize, "tile")
    try:  # (inline, not _sizes.allocate: its argument forwarding costs ~0.5 µs)
        return x._new(x._backend.xp.tile(x._value, reps))
    except Exception as e:
        err = _sizes.out_of_memory(e, "tile")
        if err is e:
            raise
        raise err from None
