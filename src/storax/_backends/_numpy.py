"""The NumPy backend: storages are flat ndarrays, views are live ndarray views of them.

NumPy is itself a strided core, so an Array on this backend holds its NumPy view as its
materialised value, and builds Storage/Layout objects only when asked (``storage()``,
``stride()``, a write that must bump a storage's version).
"""

from __future__ import annotations

import functools
import weakref
from typing import Any

import numpy as np

from .._core._layout import Layout
from .._core._storage import Storage
from .._device import CPU, Device

name = "numpy"
single_device = True  # every NumPy array is on the one "cpu" device
np_ = np
xp = np  # the array module for this backend's buffers (storax makes it compliant)


class _Kernels:
    """``kx``: NumPy's functions as the hot-path kernels storax calls (the JAX backend's
    ``kx`` jits them). The reductions are the ufuncs' ``reduce`` methods, which
    ``np.sum``/``np.max``... call after ~2 µs of argument handling that storax has
    already done: the same computation, without the wrapper."""

    sum = np.add.reduce
    prod = np.multiply.reduce
    max = np.maximum.reduce
    min = np.minimum.reduce

    def __getattr__(self, name: str) -> Any:
        func = getattr(np, name)
        setattr(self, name, func)
        return func


kx = _Kernels()
x64 = True  # NumPy has every 64-bit type
supported_dtypes: tuple[np.dtype, ...] = tuple(
    np.dtype(t)
    for t in ("bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
              "float32", "float64", "complex64", "complex128")
)  # fmt: skip
unsupported_note = ""
ndarray = np.ndarray
generic = np.generic
as_strided = np.lib.stride_tricks.as_strided

# id(root ndarray) -> its Storage. The Storage's buffer keeps the root alive, so an id in
# here cannot be reused while its entry exists.
_STORAGES: weakref.WeakValueDictionary[int, Storage] = weakref.WeakValueDictionary()


def devices() -> list[Device]:
    return [CPU]


def device_of(buffer: Any) -> Device:
    return CPU


def default_device() -> Device:
    return CPU


def native_device(device: Device) -> str:
    if device != CPU:
        raise ValueError(f"device {device} is not a NumPy device")
    return "cpu"


def to_host(value: Any) -> np.ndarray:
    """A NumPy array with the value's data (itself: NumPy values live on the host)."""
    return np.asarray(value)


def from_host(value: np.ndarray, device: Device) -> np.ndarray:
    """A new NumPy array holding a copy of ``value`` (for ``to_device``)."""
    native_device(device)
    return np.array(value, copy=True)


def data_ptr(buffer: np.ndarray) -> int:
    return int(buffer.__array_interface__["data"][0])


def tolist(buffer: Any) -> Any:
    return buffer.tolist()


def storage_setitem(storage: Storage, index: int | slice, value: Any) -> None:
    """``storage[index] = value``: write into the flat buffer and count the write."""
    buffer = storage._buffer
    if not buffer.flags.writeable:
        raise ValueError("Storage.__setitem__: the storage is read-only")
    buffer[index] = value
    storage._version += 1


def format_elements(buffer: np.ndarray) -> list[str]:
    if buffer.size == 0:
        return []
    return [repr(v) for v in buffer.tolist()]


def _root(value: np.ndarray) -> np.ndarray:
    root = value
    base = root.base
    while type(base) is np.ndarray or isinstance(base, np.ndarray):
        root = base
        base = root.base
    return root


def _flat_view(root: np.ndarray) -> np.ndarray:
    """A 1-D view over every element of ``root``'s memory, lowest address first."""
    if root.size == 0:
        return root.reshape(-1)[:0]
    flip = tuple(slice(None, None, -1) if s < 0 else slice(None) for s in root.strides)
    r = root[flip] if flip else root
    item = r.itemsize
    span = sum((n - 1) * s for n, s in zip(r.shape, r.strides, strict=True)) + item
    return as_strided(r, shape=(span // item,), strides=(item,), writeable=r.flags.writeable)


def _usable_root(value: np.ndarray) -> np.ndarray:
    root = _root(value)
    if root.dtype != value.dtype or any(s % value.itemsize for s in root.strides):
        return value  # a reinterpreting view: its own extent is its storage
    return root


def storage_of(value: np.ndarray) -> Storage:
    """The Storage ``value`` is a view of (created on first request, then shared)."""
    root = _usable_root(value)
    key = id(root)
    st = _STORAGES.get(key)
    if st is None:
        st = Storage(_flat_view(root), _this_module)
        _STORAGES[key] = st
    return st


def bump_version(value: np.ndarray) -> None:
    """Count a write into ``value``'s storage, if anyone holds that Storage object."""
    if _STORAGES:
        st = _STORAGES.get(id(_usable_root(value)))
        if st is not None:
            st._version += 1


def layout_of(value: np.ndarray) -> Layout:
    """The Layout of ``value`` over its storage (strides and offset in elements)."""
    item = value.itemsize
    strides = tuple(s // item for s in value.strides)
    if value.size == 0:
        return Layout(tuple(value.shape), strides, 0)
    st = storage_of(value)
    offset = (data_ptr(value) - data_ptr(st._buffer)) // item
    return Layout(tuple(value.shape), strides, offset)


def strides_of(value: np.ndarray) -> tuple[int, ...]:
    item = value.itemsize
    return tuple(s // item for s in value.strides)


def materialise(storage: Storage, layout: Layout) -> np.ndarray:
    """A live NumPy view of ``layout`` over ``storage``."""
    buf = storage._buffer
    item = buf.itemsize
    if layout.size == 0:
        return np.empty(layout.shape, dtype=buf.dtype)
    base = buf[layout.offset :]
    return as_strided(
        base,
        shape=layout.shape,
        strides=tuple(s * item for s in layout.strides),
        writeable=buf.flags.writeable,
    )


def is_aligned_view(value: np.ndarray) -> bool:
    """Whether ``value`` can be described by element strides (so shared as a storage view)."""
    item = value.itemsize
    return value.dtype.isnative and not any(s % item for s in value.strides)


_this_module: Any = None


def _init() -> None:
    import sys

    global _this_module
    _this_module = sys.modules[__name__]


_init()


def composite(func: Any, static_argnames: tuple[str, ...] = ()) -> Any:  # noqa: ARG001
    """``func(xp, ...)`` as a kernel: called eagerly with ``kx`` (the JAX backend
    compiles it)."""
    return functools.partial(func, kx)


def _top_k_masks(v: np.ndarray, t: np.ndarray, largest: bool) -> tuple[np.ndarray, np.ndarray]:
    """Entries equal to the boundary ``t``, and entries strictly before it (NaN highest)."""
    if v.dtype.kind in "fc":
        v_nan, t_nan = np.isnan(v), np.isnan(t)
        eq = (v == t) | (v_nan & t_nan)
        better = (v > t) | (v_nan & ~t_nan) if largest else (v < t) | (~v_nan & t_nan)
        return eq, better
    return v == t, (v > t if largest else v < t)


def top_k(value: np.ndarray, k: int, axis: int, largest: bool) -> tuple[np.ndarray, np.ndarray]:
    """The ``k`` largest (or smallest) entries along ``axis`` and their indices, in order.

    The result equals the first ``k`` entries of a stable sort (descending for
    ``largest``) with NaN ordered above every number, ties by lowest index. It costs one
    ``argpartition`` (O(n)) and a sort of the ``k`` chosen entries; only when entries
    equal to the k-th one were left out do a few more O(n) passes pick the lowest-index
    ones.
    """
    v = np.moveaxis(value, axis, -1)
    n = v.shape[-1]
    if k == 0 or v.size == 0:
        shape = v.shape[:-1] + (k,)
        vals, idx = np.empty(shape, v.dtype), np.empty(shape, np.int64)
        return np.moveaxis(vals, -1, axis), np.moveaxis(idx, -1, axis)
    if k == n:
        idx = np.broadcast_to(np.arange(n), v.shape)
    else:
        kth = n - k if largest else k - 1
        # argpartition orders NaN last, i.e. as the largest value.
        part = np.argpartition(v, kth, axis=-1)
        idx = part[..., n - k :] if largest else part[..., :k]
        t = np.take_along_axis(v, part[..., kth : kth + 1], axis=-1)  # the k-th entry
        eq, better = _top_k_masks(v, t, largest)
        ties_in = np.count_nonzero(_top_k_masks(np.take_along_axis(v, idx, -1), t, largest)[0])
        if np.count_nonzero(eq) != ties_in:
            # Some entries equal to the k-th were left out: keep the lowest-index ones.
            need = k - np.count_nonzero(better, axis=-1, keepdims=True)
            chosen = better | (eq & (np.cumsum(eq, axis=-1) <= need))
            # Exactly k per row; nonzero lists them row by row, by increasing index.
            idx = np.nonzero(chosen)[-1].reshape(v.shape[:-1] + (k,))
        else:
            idx = np.sort(idx, axis=-1)
    vals = np.take_along_axis(v, idx, axis=-1)
    if largest:
        # Stable descending order: sort the reversed row ascending, then reverse back.
        order = (k - 1) - np.argsort(vals[..., ::-1], axis=-1, stable=True)[..., ::-1]
    else:
        order = np.argsort(vals, axis=-1, stable=True)
    idx = np.take_along_axis(idx, order, axis=-1)
    vals = np.take_along_axis(vals, order, axis=-1)
    return np.moveaxis(vals, -1, axis), np.moveaxis(idx.astype(np.int64, copy=False), -1, axis)
