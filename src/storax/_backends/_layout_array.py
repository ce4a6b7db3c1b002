"""The storage + layout Array families' common base (JAX, torch): an array is a fresh
result holding its backend value, or a view ``(storage, layout)`` of a flat buffer.

A family subclasses :class:`LayoutArray` and provides its constructors (``_new`` for a
fresh result, ``_view`` for a view), ``_backend`` and its element-wise kernel tables; the
backend module provides ``materialise``, ``allocate``, ``write``, ``write_indices``,
``flat_indices``, ``out_of_bounds``, ``cacheable``, ``pin`` and ``is_tracer``. Its
``_value`` is the materialised value of the view, cached for the storage version it was
read at; any write through any view of the storage bumps the version and so invalidates
it.
"""

from __future__ import annotations

import builtins
import operator
import sys
import threading
from typing import Any

import numpy as np

from .. import _dtypes
from .._array_object import (
    Array,
    _as_int,
    _check_scalar_kind,
    _normalize_axis,
    _setitem_value,
    _view_dtype,
)
from .._core._layout import Layout, broadcast_shapes
from .._core._storage import Storage
from .._device import Device

_BASIC = (int, slice, type(None), type(Ellipsis))
_PY_SCALARS = (builtins.bool, int, float, complex)
_ENSURE_LOCK = threading.Lock()


def _is_basic(key: Any) -> bool:
    if type(key) is tuple:
        return builtins.all(type(k) in _BASIC for k in key)
    return type(key) in _BASIC


class LayoutArray(Array):
    """An Array that is a strided view ``(storage, layout)`` of a flat backend buffer, or a
    fresh result holding its backend value (storage made on first need)."""

    # _readonly: broadcast and self-overlapping views, and every view taken of one (as
    # NumPy's ``writeable`` flag, which views inherit from their base).
    __slots__ = ("_storage", "_layout", "_cache", "_cache_version", "_readonly")
    _storage: Storage | None
    _layout: Layout | None
    _cache: Any
    _cache_version: int
    _readonly: bool
    # each family defines: _new (its one constructor: a fresh result), _view (a view of a
    # storage), _backend, _unary_kernels, _binary_kernels
    _view: Any
    _export_dlpack: Any  # (kwargs, max_version, copy) -> a DLPack capsule of the value

    def _allocate(self, value: Any) -> Storage:
        return self._backend.allocate(value)

    @property
    def _value(self) -> Any:
        st = self._storage
        if st is None or self._cache_version == st._version:
            return self._cache
        # Read and cached under the storage's lock (``_cache`` and ``_cache_version`` are
        # only stored under it, so they always agree). Never cache the buffer itself
        # (writes may donate it), nor a foreign trace's tracer.
        with st._lock:
            v = self._backend.materialise(st, self._layout)
            if v is not st._buffer and self._backend.cacheable(v, st):
                self._cache = v
                self._cache_version = st._version
        return v

    def _ensure(self) -> tuple[Storage, Layout]:
        st = self._storage
        if st is None:
            with _ENSURE_LOCK:  # two threads taking views of one fresh array share a storage
                st = self._storage
                if st is None:
                    v = self._cache
                    self._layout = Layout.contiguous(tuple(v.shape))
                    self._cache_version = 0
                    st = self._storage = self._allocate(v)
        return st, self._layout  # type: ignore[return-value]

    def _exported(self) -> Any:
        """The value, pinned: a buffer handed out is never donated by a later write."""
        return self._backend.pin(self._value)

    # ------------------------------------------------------------------ attributes
    @property
    def dtype(self) -> _dtypes.DType:
        st = self._storage
        return (st._buffer if st is not None else self._cache).dtype

    @property
    def shape(self) -> tuple[int, ...]:
        lay = self._layout
        return lay.shape if lay is not None else tuple(self._cache.shape)

    @property
    def device(self) -> Device:
        st = self._storage
        v = st._buffer if st is not None else self._cache
        return self._backend.device_of(v)

    def _permuted(self, axes: tuple[int, ...]) -> LayoutArray:
        st, lay = self._ensure()
        return self._view(st, lay.permute(axes), self._readonly)

    # ------------------------------------------------------------- view protocol
    def _view_reshape(self, shape: tuple[int, ...]) -> Array | None:
        st, lay = self._ensure()
        new = lay.reshape(shape)
        return None if new is None else self._view(st, new, self._readonly)

    def _broadcast(self, shape: tuple[int, ...]) -> Array:
        st, lay = self._ensure()
        return self._view(st, lay.broadcast_to(shape), True)

    def _expanded(self, axes: tuple[int, ...]) -> Array:
        st, lay = self._ensure()
        return self._view(st, lay.expand_dims(axes), self._readonly)

    def _squeezed(self, axes: tuple[int, ...]) -> Array:
        st, lay = self._ensure()
        return self._view(st, lay.squeeze(axes), self._readonly)

    def _strided_view(self, layout: Layout) -> Array:
        return self._view(self._ensure()[0], layout, self._readonly or layout.overlaps_self())

    # --------------------------------------------------------------- storage model
    def storage(self) -> Storage:
        return self._ensure()[0]

    def layout(self) -> Layout:
        return self._ensure()[1]

    def storage_offset(self) -> int:
        return self._ensure()[1].offset

    def stride(self, dim: int | None = None) -> tuple[int, ...] | int:
        strides = self._ensure()[1].strides
        if dim is None:
            return strides
        return strides[_normalize_axis(dim, self.ndim, "stride")]

    def is_contiguous(self) -> bool:
        lay = self._layout
        return True if lay is None else lay.is_contiguous()

    def contiguous(self) -> Array:
        if self.is_contiguous():
            return self
        return self._new(self._value)

    def clone(self) -> Array:
        return self._new(self._backend.xp.array(self._value, copy=True))

    def view(self, *shape: Any) -> Array:
        dtype = _view_dtype(shape)
        if dtype is not None:
            st, lay = self._ensure()
            if dtype == self.dtype:
                return self._view(st, lay, self._readonly)
            # Note: a storage of these families is not reinterpreted in place; a view with
            # another dtype is a new array (as jax.numpy's view is a copy).
            if dtype.itemsize != self.dtype.itemsize and self.ndim and lay.strides[-1] != 1:
                raise ValueError(
                    "Array.view: to change the itemsize the last axis must be contiguous"
                )
            try:
                host = self._backend.to_host(self._value).view(dtype)
            except ValueError as e:
                raise ValueError(f"Array.view: {e}") from None
            return self._new(self._backend.from_host(host, self.device))
        if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
            shape = tuple(shape[0])
        dims = tuple(_as_int(s, "view") for s in shape)
        st, lay = self._ensure()
        new = lay.reshape(dims)
        if new is None:
            raise ValueError(
                f"Array.view: shape {dims} is not compatible with the strides {lay.strides} "
                "of this view (it would need a copy); use reshape() instead"
            )
        return self._view(st, new, self._readonly)

    def tolist(self) -> Any:
        return self._backend.to_host(self._value).tolist()

    def item(self) -> Any:
        if self.size != 1:
            raise ValueError(
                f"Array.item: only one-element arrays convert to a scalar, got size {self.size}"
            )
        return self._backend.to_host(self._value).item()

    # ------------------------------------------------------------ Python protocol

    def __dlpack__(
        self,
        /,
        *,
        stream: Any = None,
        max_version: tuple[int, int] | None = None,
        dl_device: tuple[Any, int] | None = None,
        copy: builtins.bool | None = None,
    ) -> Any:
        if copy not in (None, True, False):
            raise ValueError(f"__dlpack__: copy must be True, False or None, got {copy!r}")
        here = self.__dlpack_device__()
        kwargs: dict[str, Any] = {}
        if stream is not None:
            if int(here[0]) == 1:
                raise ValueError(f"__dlpack__: stream must be None on the CPU, got {stream!r}")
            kwargs["stream"] = stream
        if dl_device is not None and (int(dl_device[0]), int(dl_device[1])) != (
            int(here[0]),
            int(here[1]),
        ):
            if copy is False:
                raise BufferError(
                    f"__dlpack__: exporting to device {tuple(dl_device)} needs a copy, "
                    "but copy=False"
                )
            if (int(dl_device[0]), int(dl_device[1])) == (1, 0):
                # To the host (``np.from_dlpack(x, device="cpu")`` of a GPU array): export a
                # host copy, as the standard asks of a cross-device request.
                host = self._backend.to_host(self._value)
                return host.__dlpack__(max_version=max_version, copy=False)
            kwargs["dl_device"] = dl_device
        if copy:
            kwargs["copy"] = True
        try:
            return self._export_dlpack(kwargs, max_version, copy)
        except (RuntimeError, ValueError, KeyError, TypeError) as e:
            raise BufferError(f"__dlpack__: {e}") from None

    def __dlpack_device__(self) -> tuple[Any, builtins.int]:
        st = self._storage
        v = st._read() if st is not None else self._cache
        return v.__dlpack_device__()

    def __reduce_ex__(self, protocol: Any) -> Any:
        from ..io._pickle import array_reduce

        # As on NumPy: views of one storage stay views within a pickle (the caller's frame
        # tells one pickle from another).
        return array_reduce(self, protocol, sys._getframe(1))

    # ------------------------------------------------------------------ indexing
    def __getitem__(self, key: Any) -> Array:
        kind = type(key)
        if kind is slice or kind is int:  # the common views: ``x[1:5]``, ``x[2]``
            st, lay = self._ensure()
            return self._view(st, _layout_getitem(lay, key, "__getitem__"), self._readonly)
        if not _is_basic(key):
            key = _normalize_key(self._backend, key, self.device, "__getitem__")
        if _is_basic(key):
            st, lay = self._ensure()
            return self._view(st, _layout_getitem(lay, key, "__getitem__"), self._readonly)
        sst = self._storage
        if sst is not None and self._backend.is_sharded(sst):
            # A sharded storage: gather only the indexed elements (no all-gather of it).
            slay = self._ensure()[1]
            key = _check_advanced(self._backend, slay.shape, key, "__getitem__")
            try:
                indices = self._backend.flat_indices(slay)[key]
            except (IndexError, TypeError, ValueError) as e:
                raise IndexError(f"__getitem__: {e}") from None
            return self._new(self._backend.read_indices(sst, indices))
        value = self._value
        key = _check_advanced(self._backend, value.shape, key, "__getitem__")
        try:
            return self._new(value[key])
        except IndexError as e:
            raise IndexError(f"__getitem__: {e}") from None
        except (TypeError, ValueError) as e:
            raise IndexError(f"__getitem__: {e}") from None

    def __setitem__(self, key: Any, value: Any) -> None:
        if type(key) is type(self) and type(value) in _PY_SCALARS and self._one_device:
            # ``y[mask] = 0.0``: a whole-view mask of this family (so of this device) with a
            # Python scalar needs no key normalisation or advanced-index checks.
            st, lay = self._ensure()
            mask = key._value
            if (
                mask.dtype == bool
                and lay.ndim
                and tuple(mask.shape) == lay.shape
                and not self._backend.is_sharded(st)
            ):
                values = self._setitem_values(value)
                self._check_writable("__setitem__")
                self._fill_mask(st, lay, mask, values)
                return
        if not _is_basic(key):
            key = _normalize_key(self._backend, key, self.device, "__setitem__")
        st, lay = self._ensure()
        values = self._setitem_values(value)
        if _is_basic(key):
            target = _layout_getitem(lay, key, "__setitem__")
            self._check_writable("__setitem__")
            self._backend.write(st, target, values)
            return
        self._check_writable("__setitem__")
        key = _check_advanced(self._backend, lay.shape, key, "__setitem__")
        mask = _single_mask(key, lay.ndim)
        if mask is not None and np.ndim(values) == 0 and not self._backend.is_sharded(st):
            self._fill_mask(st, lay, mask, values)
            return
        try:
            indices = self._backend.flat_indices(lay)[key]
        except (IndexError, TypeError, ValueError) as e:
            raise IndexError(f"__setitem__: {e}") from None
        check_broadcasts(np.shape(values), indices.shape, "__setitem__")
        self._backend.write_indices(st, indices, values)

    def _fill_mask(self, st: Storage, lay: Layout, mask: Any, values: Any) -> None:
        """``view[mask] = values`` for a boolean ``mask`` and a scalar: a select over the
        whole view, which needs no data-dependent shape (so it also works inside jax.jit)."""
        fill = getattr(self._backend, "fill_mask", None)
        if fill is not None:  # the backend's own (JAX: one compiled kernel)
            fill(st, lay, mask, values, "__setitem__")
            return
        xp = self._backend.xp
        m = xp.reshape(mask, mask.shape + (1,) * (lay.ndim - mask.ndim))
        with st._lock:  # read-modify-write: atomic per storage
            current = self._value
            new = xp.where(m, xp.asarray(values, dtype=current.dtype), current)
            del current
            self._backend.write(st, lay, new)

    def _setitem_values(self, value: Any) -> Any:
        dtype = self.dtype
        t = type(value)
        if t is float:
            if dtype.kind in "biu":
                raise TypeError(f"__setitem__: cannot assign a float to an array of dtype {dtype}")
            return np.asarray(value, dtype=dtype)
        if t is int:
            if dtype.kind in "iu":
                info = np.iinfo(dtype)
                if not info.min <= value <= info.max:
                    raise OverflowError(f"__setitem__: {value} does not fit in {dtype}")
            return np.asarray(value, dtype=dtype)
        if t is builtins.bool:
            return np.asarray(value, dtype=dtype)
        if t is complex:
            _check_scalar_kind(value, dtype, "__setitem__")
            return np.asarray(value, dtype=dtype)
        if isinstance(value, Array):
            if value.device != self.device and value.device.span != self.device.span:
                raise ValueError(
                    f"__setitem__: the value is on {value.device}, the array on {self.device}; "
                    "move one with to_device() first"
                )
            return _setitem_value(value, dtype)
        if self._backend.is_value(value) or isinstance(value, (np.ndarray, np.generic)):
            return value
        if isinstance(value, (list, tuple)):
            return np.asarray(value)
        raise TypeError(f"__setitem__: unsupported value of type {t.__name__}")

    def _check_writable(self, func: str) -> None:
        if self._readonly:
            raise ValueError(
                f"{func}: this array is a read-only view (a broadcast or self-overlapping "
                "view, or a view of one); copy it before writing"
            )

    def _write_result(self, result: Any, name: str, fresh: bool = False) -> LayoutArray:
        """Write ``result`` into this view (``fresh``: a kernel's new value no one else
        holds, which the backend may adopt as the storage's buffer, see ``write_fresh``)."""
        st, lay = self._ensure()
        self._check_writable(f"Array.{name}")
        if result.dtype != self.dtype and not np.can_cast(
            result.dtype, self.dtype, casting="same_kind"
        ):
            raise TypeError(
                f"Array.{name}: the result dtype {result.dtype} cannot be cast to {self.dtype}"
            )
        shape = tuple(result.shape)
        if shape != lay.shape and tuple(np.broadcast_shapes(shape, lay.shape)) != lay.shape:
            raise ValueError(f"{name}: a result of shape {result.shape} does not fit {lay.shape}")
        write = getattr(self._backend, "write_fresh", None) if fresh else None
        (write or self._backend.write)(st, lay, result, f"Array.{name}")
        return self

    def _inplace(self, function_name: str, name: str, *args: Any) -> Array:
        impl = getattr(self._backend.xp, function_name)
        st = self._ensure()[0]
        args = tuple(detach(a, st) for a in args)  # other storages: read first
        operands = [_operand(a) for a in args]
        try:
            broadcast_shapes(self.shape, *(tuple(np.shape(o)) for o in operands if o is not None))
        except ValueError:
            shapes = [self.shape, *(np.shape(o) for o in operands)]
            raise ValueError(f"Array.{name}: shapes {shapes} do not broadcast") from None
        with st._lock:  # read-modify-write: atomic per storage
            result = impl(self._value, *operands)
            return self._write_result(result, name)

    def copy_(self, src: Any) -> Array:
        st, lay = self._ensure()
        self._check_writable("Array.copy_")
        v = src._value if isinstance(src, Array) else src
        self._backend.write(st, lay, self._backend.xp.asarray(v).astype(self.dtype), "Array.copy_")
        return self


def _operand(v: Any) -> Any:
    return v._value if isinstance(v, Array) else v


def lock(storage: Storage) -> Any:
    """The storage's (re-entrant) lock: hold it across a read-modify-write of a view."""
    return storage._lock


def detach(operand: Any, storage: Storage) -> Any:
    """``operand`` for an update of ``storage`` under its lock: a storax array of another
    storage is read now, before that lock is taken (so no thread ever holds one storage's
    lock while waiting for another's); values and arrays of ``storage`` itself pass."""
    other = getattr(operand, "_storage", None)
    if other is None or other is storage:
        return operand
    return operand._new(operand._value)


def _layout_getitem(layout: Layout, key: Any, func: str) -> Layout:
    """A basic index applied to ``layout``, with errors naming ``func``."""
    try:
        return layout.getitem(key)
    except IndexError as e:
        raise IndexError(f"{func}: {str(e).removeprefix('getitem: ')}") from None
    except ValueError as e:
        raise ValueError(f"{func}: {str(e).removeprefix('getitem: ')}") from None


def _index_item(backend: Any, k: Any, device: Device, func: str) -> Any:
    """One item of an index: basic items stay; arrays become JAX or NumPy index arrays."""
    t = type(k)
    if t is int or t is slice or k is None or k is Ellipsis or t is builtins.bool:
        return k
    if isinstance(k, Array):
        if k.device != device and k.device.span != device.span:
            # Note: indexing across devices (docs/backends.md): a 0-d integer or bool array
            # is the Python scalar it holds (the standard's ``int(k)``) from any device; an
            # index array of more dimensions must be on the indexed array's device.
            return _foreign_index(k, device, func)
        v = k._value
    elif backend.is_value(k) or isinstance(k, (np.ndarray, list)):
        v = k if backend.is_value(k) else np.asarray(k)
    elif isinstance(k, np.bool_):
        return builtins.bool(k)
    elif hasattr(k, "__index__"):
        return operator.index(k)
    else:
        raise IndexError(f"{func}: unsupported index of type {t.__name__}")
    kind = v.dtype.kind
    if kind not in "biu":
        raise IndexError(f"{func}: arrays used as indices must be integer or bool, got {v.dtype}")
    if v.ndim == 0 and not backend.is_tracer(v):
        # The spec: a 0-d integer array index is the integer int(k) (a view, as x[2] is).
        return builtins.bool(v) if kind == "b" else int(v)
    return v


def _foreign_index(k: Array, device: Device, func: str) -> Any:
    """An index array from another device: its scalar if 0-d, else ValueError."""
    kind = k.dtype.kind
    if kind not in "biu":
        raise IndexError(f"{func}: arrays used as indices must be integer or bool, got {k.dtype}")
    if k.ndim == 0 and not k._backend.is_tracer(k._value):
        return builtins.bool(k) if kind == "b" else int(k)
    raise ValueError(
        f"{func}: the index is on {k.device}, the array on {device}; "
        "move one with to_device() first"
    )


def _normalize_key(backend: Any, key: Any, device: Device, func: str) -> Any:
    if type(key) is tuple:
        return tuple(_index_item(backend, k, device, func) for k in key)
    return _index_item(backend, key, device, func)


def _check_advanced(backend: Any, shape: tuple[int, ...], key: Any, func: str) -> Any:
    """The advanced index ``key``, checked: IndexError for out-of-range integers and
    ill-shaped masks; empty masks along non-empty axes become all-False masks.

    Note: JAX clamps out-of-range integer indices; storax raises as the spec asks. Inside
    jax.jit (traced indices) the check cannot run and JAX's clamping applies.
    """
    items = key if type(key) is tuple else (key,)
    consumed = 0
    for k in items:
        if k is None or k is Ellipsis or type(k) is builtins.bool:
            continue
        consumed += k.ndim if getattr(k, "dtype", None) is not None and k.dtype == bool else 1
    if consumed > len(shape):
        raise IndexError(
            f"{func}: too many indices for array: array is {len(shape)}-dimensional, "
            f"but {consumed} were indexed"
        )
    if builtins.sum(1 for k in items if k is Ellipsis) > 1:
        raise IndexError(f"{func}: an index can only have a single ellipsis ('...')")
    d = 0
    fixed: list[tuple[int, Any]] = []
    for pos, k in enumerate(items):
        if k is None or type(k) is builtins.bool:
            continue
        if k is Ellipsis:
            d += len(shape) - consumed
            continue
        if type(k) is slice:
            d += 1
            continue
        if type(k) is int:
            n = shape[d]
            if not -n <= k < n:
                raise IndexError(f"{func}: index {k} is out of bounds for axis {d} with size {n}")
            d += 1
            continue
        if k.dtype == bool:
            dims = shape[d : d + k.ndim]
            if tuple(k.shape) != dims:
                if not builtins.all(ks in (n, 0) for ks, n in zip(k.shape, dims, strict=True)):
                    raise IndexError(
                        f"{func}: a boolean index of shape {tuple(k.shape)} does not match "
                        f"the indexed shape {dims}"
                    )
                # Note: as NumPy, an empty mask selects nothing from any length.
                fixed.append((pos, np.zeros(dims, dtype=bool)))
            d += k.ndim
            continue
        n = shape[d]
        if not backend.is_tracer(k) and k.size and backend.out_of_bounds(k, n):
            raise IndexError(f"{func}: an index is out of bounds for axis {d} with size {n}")
        d += 1
    if not fixed:
        return key
    out = list(items)
    for pos, mask in fixed:
        out[pos] = mask
    return tuple(out) if type(key) is tuple else out[0]


def _single_mask(key: Any, ndim: int) -> Any:
    """The mask when ``key`` is one boolean array (or one with a trailing ellipsis)."""
    if type(key) is tuple:
        if len(key) == 2 and key[1] is Ellipsis:
            key = key[0]
        elif len(key) == 1:
            key = key[0]
        else:
            return None
    if getattr(key, "dtype", None) is not None and key.dtype == bool and key.ndim <= ndim:
        return key
    return None


def check_broadcasts(shape: tuple[int, ...], target: tuple[int, ...], func: str) -> None:
    """Raise ValueError (as NumPy does) unless ``shape`` broadcasts to ``target``; also for
    an empty ``target``, where no element would be written."""
    if shape == target:
        return
    try:
        ok = np.broadcast_shapes(shape, target) == target
    except ValueError:
        ok = False
    if not ok:
        raise ValueError(f"{func}: a value of shape {shape} cannot be broadcast to {target}")


def storage_setitem(write: Any, storage: Storage, index: int | slice, value: Any) -> None:
    """``storage[index] = value`` as a write through a 1-D layout (``write``: the
    backend's ``write``)."""
    if isinstance(index, slice):
        start, _, step = index.indices(storage.size())
        n = len(range(*index.indices(storage.size())))
        write(storage, Layout((n,), (step,), start), value, "Storage.__setitem__")
    else:
        write(storage, Layout((), (), index), value, "Storage.__setitem__")
