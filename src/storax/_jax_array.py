"""JaxArray: an Array whose storage is a flat ``jax.Array`` (the JAX backend's Array).

A JaxArray is either a *fresh result* (a JAX value, no storage yet: most results of
operations, which need no layout work) or a *view* ``(storage, layout)``. Its ``_value``
is the materialised JAX value of the view, cached for the storage version it was read at;
any write through any view of the storage bumps the version and so invalidates it.
Writes go through the backend's donated scatter kernels.

Imported only when the JAX backend is first used.
"""

from __future__ import annotations

import builtins
from typing import Any

from . import _dtypes
from ._array_object import (
    Array,
    _as_int,
    _check_scalar_kind,
    _normalize_axis,
    _setitem_value,
)
from ._backends import _jax as _jaxb
from ._core._layout import Layout
from ._core._storage import Storage
from ._device import Device, as_device

jnp = _jaxb.xp
np = _jaxb.np_
_object_new = object.__new__
_BASIC = (int, slice, type(None), type(Ellipsis))


def _jwrap(value: Any) -> JaxArray:
    """A fresh JaxArray holding ``value`` (a JAX array or tracer); storage made on demand."""
    a = _object_new(JaxArray)
    a._storage = None
    a._layout = None
    a._cache = value
    a._cache_version = 0
    return a


def _jview(storage: Storage, layout: Layout) -> JaxArray:
    """A JaxArray viewing ``layout`` of ``storage``."""
    a = _object_new(JaxArray)
    a._storage = storage
    a._layout = layout
    a._cache = None
    a._cache_version = -1
    return a


def _is_basic(key: Any) -> bool:
    if type(key) is tuple:
        return builtins.all(type(k) in _BASIC for k in key)
    return type(key) in _BASIC


class JaxArray(Array):
    """An Array on a JAX device: a strided view of a flat ``jax.Array`` storage."""

    __slots__ = ("_storage", "_layout", "_cache", "_cache_version")
    _backend = _jaxb

    @property  # type: ignore[override]
    def _value(self) -> Any:
        st = self._storage
        if st is None or self._cache_version == st._version:
            return self._cache
        v = _jaxb.materialise(st, self._layout)
        if v is not st._buffer:  # never cache the buffer itself: writes donate it
            self._cache = v
            self._cache_version = st._version
        return v

    def _ensure(self) -> tuple[Storage, Layout]:
        st = self._storage
        if st is None:
            v = self._cache
            st = self._storage = _jaxb.allocate(v)
            self._layout = Layout.contiguous(tuple(v.shape))
            self._cache_version = 0
        return st, self._layout  # type: ignore[return-value]

    def _exported(self) -> Any:
        """The value, copied if it is the storage buffer (which a later write may donate)."""
        v = self._value
        st = self._storage
        if st is not None and v is st._buffer:
            v = jnp.array(v, copy=True)
        return v

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
    def ndim(self) -> int:
        return len(self.shape)

    @property
    def size(self) -> int:
        n = 1
        for d in self.shape:
            n *= d
        return n

    @property
    def device(self) -> Device:
        st = self._storage
        v = st._buffer if st is not None else self._cache
        return _jaxb.device_of(v)

    @property
    def T(self) -> Array:
        if self.ndim != 2:
            raise ValueError(f"Array.T: only 2-D arrays have .T, got {self.ndim}-D")
        return self._permuted((1, 0))

    @property
    def mT(self) -> Array:
        n = self.ndim
        if n < 2:
            raise ValueError(f"Array.mT: expected at least 2 dimensions, got {n}")
        return self._permuted((*range(n - 2), n - 1, n - 2))

    def _permuted(self, axes: tuple[int, ...]) -> JaxArray:
        st, lay = self._ensure()
        return _jview(st, lay.permute(axes))

    # ------------------------------------------------------------- view protocol
    def _view_reshape(self, shape: tuple[int, ...]) -> Array | None:
        st, lay = self._ensure()
        new = lay.reshape(shape)
        return None if new is None else _jview(st, new)

    def _broadcast(self, shape: tuple[int, ...]) -> Array:
        st, lay = self._ensure()
        return _jview(st, lay.broadcast_to(shape))

    def _expanded(self, axes: tuple[int, ...]) -> Array:
        st, lay = self._ensure()
        return _jview(st, lay.expand_dims(axes))

    def _squeezed(self, axes: tuple[int, ...]) -> Array:
        st, lay = self._ensure()
        return _jview(st, lay.squeeze(axes))

    def _strided_view(self, layout: Layout) -> Array:
        return _jview(self._ensure()[0], layout)

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
        return _jwrap(self._value)

    def clone(self) -> Array:
        return _jwrap(jnp.array(self._value, copy=True))

    def copy(self) -> Array:
        return self.clone()

    def t(self) -> Array:
        if self.ndim > 2:
            raise ValueError(f"Array.t: expects an array of at most 2 dims, got {self.ndim}")
        return self._permuted(tuple(range(self.ndim))[::-1])

    def transpose(self, dim0: int, dim1: int) -> Array:
        n = self.ndim
        a = _normalize_axis(dim0, n, "transpose")
        b = _normalize_axis(dim1, n, "transpose")
        axes = list(range(n))
        axes[a], axes[b] = axes[b], axes[a]
        return self._permuted(tuple(axes))

    def view(self, *shape: Any) -> Array:
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
        return _jview(st, new)

    def numpy(self) -> Any:
        """A NumPy copy on the host (device memory cannot be shared with NumPy)."""
        return _jaxb.to_host(self._value)

    def tolist(self) -> Any:
        return _jaxb.to_host(self._value).tolist()

    def item(self) -> Any:
        if self.size != 1:
            raise ValueError(
                f"Array.item: only one-element arrays convert to a scalar, got size {self.size}"
            )
        return _jaxb.to_host(self._value).item()

    def to(self, dtype: Any = None, device: Any = None, *, copy: builtins.bool = False) -> Array:
        if isinstance(dtype, (Device, str)) and device is None:
            try:
                dtype = _dtypes.check_dtype(dtype, "Array.to")
            except TypeError:
                dtype, device = None, dtype
        out: Array = self
        if device is not None:
            out = out.to_device(device)
        if dtype is not None:
            d = _dtypes.check_dtype(dtype, "Array.to")
            if d != out.dtype:
                from ._data_type_functions import astype

                return astype(out, d)
        if copy and out is self:
            return self.clone()
        return out

    def to_device(self, device: Any, /, *, stream: Any = None) -> Array:
        d = as_device(device, "to_device")
        if stream is not None:
            raise ValueError("to_device: streams are not supported")
        if d is None or d == self.device:
            return self
        from ._backends import move_to_device

        return move_to_device(self, d)  # type: ignore[no-any-return]

    # ------------------------------------------------------------ Python protocol
    def __iter__(self) -> Any:
        if self.ndim == 0:
            raise TypeError("iteration over a 0-d array")
        for i in range(self.shape[0]):
            yield self[i]

    def __len__(self) -> builtins.int:
        if self.ndim == 0:
            raise TypeError("len() of a 0-d array")
        return self.shape[0]

    def __bool__(self) -> builtins.bool:
        if self.size != 1:
            raise ValueError(
                f"__bool__: the truth value of an array with {self.size} elements is ambiguous"
            )
        return builtins.bool(self.item())

    def __array__(self, dtype: Any = None, copy: builtins.bool | None = None) -> Any:
        if copy is False:
            raise ValueError("__array__: a JAX device array cannot be shared with NumPy")
        v = _jaxb.to_host(self._value)
        return v if dtype is None else v.astype(dtype)

    def __jax_array__(self) -> Any:
        return self._exported()

    def __dlpack__(
        self,
        /,
        *,
        stream: Any = None,
        max_version: tuple[int, int] | None = None,
        dl_device: tuple[Any, int] | None = None,
        copy: builtins.bool | None = None,
    ) -> Any:
        v = self._exported()
        if copy:
            v = jnp.array(v, copy=True)
        kwargs: dict[str, Any] = {}
        if max_version is not None:
            kwargs["max_version"] = max_version
        if dl_device is not None:
            kwargs["dl_device"] = dl_device
        if stream is not None:
            kwargs["stream"] = stream
        return v.__dlpack__(**kwargs)

    def __dlpack_device__(self) -> tuple[Any, builtins.int]:
        st = self._storage
        v = st._buffer if st is not None else self._cache
        return v.__dlpack_device__()  # type: ignore[no-any-return]

    def __reduce_ex__(self, protocol: Any) -> Any:
        return (_from_host, (_jaxb.to_host(self._value), self.device.name))

    # ------------------------------------------------------------------ indexing
    def __getitem__(self, key: Any) -> Array:
        if _is_basic(key):
            st, lay = self._ensure()
            return _jview(st, lay.getitem(key))
        return _jwrap(self._value[_jax_key(key)])

    def __setitem__(self, key: Any, value: Any) -> None:
        st, lay = self._ensure()
        values = self._setitem_values(value)
        if _is_basic(key):
            target = lay.getitem(key)
            self._check_writable(target, "__setitem__")
            _jaxb.write(st, target, values)
            return
        self._check_writable(lay, "__setitem__")
        indices = _jaxb.flat_indices(lay)[_jax_key(key)]
        _jaxb.write_indices(st, indices, values)

    def _setitem_values(self, value: Any) -> Any:
        dtype = self.dtype
        if isinstance(value, Array):
            if value.device != self.device:
                raise ValueError(
                    f"__setitem__: the value is on {value.device}, the array on {self.device}"
                )
            return _setitem_value(value, dtype)
        t = type(value)
        if t is float and dtype.kind in "biu":
            raise TypeError(f"__setitem__: cannot assign a float to an array of dtype {dtype}")
        if t is complex:
            _check_scalar_kind(value, dtype, "__setitem__")
        return value

    @staticmethod
    def _check_writable(layout: Layout, func: str) -> None:
        if layout.overlaps_self():
            raise ValueError(
                f"{func}: this array is a read-only view (a broadcast or self-overlapping "
                "view); copy it before writing"
            )

    def _write_result(self, result: Any, name: str) -> JaxArray:
        st, lay = self._ensure()
        self._check_writable(lay, name)
        if result.dtype != self.dtype and not np.can_cast(
            result.dtype, self.dtype, casting="same_kind"
        ):
            raise TypeError(
                f"Array.{name}: the result dtype {result.dtype} cannot be cast to {self.dtype}"
            )
        if tuple(np.broadcast_shapes(result.shape, lay.shape)) != lay.shape:
            raise ValueError(f"{name}: a result of shape {result.shape} does not fit {lay.shape}")
        _jaxb.write(st, lay, result)
        return self

    def _inplace(self, func: Any, name: str, *args: Any) -> Array:
        impl = getattr(jnp, func.__name__)
        result = impl(self._value, *(_jax_operand(a) for a in args))
        return self._write_result(result, name)

    def fill_(self, value: Any) -> Array:
        self[...] = value.item() if isinstance(value, Array) else value
        return self

    def copy_(self, src: Any) -> Array:
        st, lay = self._ensure()
        self._check_writable(lay, "Array.copy_")
        v = src._value if isinstance(src, Array) else src
        _jaxb.write(st, lay, jnp.asarray(v).astype(self.dtype))
        return self


def _jax_operand(v: Any) -> Any:
    return v._value if isinstance(v, Array) else v


def _jax_key(key: Any) -> Any:
    if isinstance(key, Array):
        return key._value
    if type(key) is tuple:
        return tuple(k._value if isinstance(k, Array) else k for k in key)
    return key


def _from_host(value: Any, device: str) -> JaxArray:
    return _jwrap(_jaxb.from_host(value, Device(device)))


def wrap_if_jax(value: Any) -> JaxArray | None:
    """``_wrap``'s hook for values that are not NumPy's: JAX arrays and tracers."""
    return _jwrap(value) if _jaxb.is_jax_value(value) else None


def _flatten(x: JaxArray) -> tuple[tuple[Any], None]:
    return (x._value,), None


def _unflatten(aux: None, children: Any) -> JaxArray:
    return _jwrap(children[0])


# Arrays cross jax.jit/grad/vmap boundaries as their materialised value; inside a traced
# function a write rebinds the (traced) storage buffer: functionalization by construction.
_jaxb.register_pytree(JaxArray, _flatten, _unflatten)
