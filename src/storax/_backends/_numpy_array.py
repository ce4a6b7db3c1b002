"""The NumPy backend's Array family: an Array *is* its live NumPy view.

NumPy is itself a strided core, so a ``NumpyArray`` holds its ndarray view in ``_value``
and derives its Storage and Layout on request (see ``_numpy.py``). Results of operations
need no layout work at all: this is the hot path of the library.
"""

from __future__ import annotations

import builtins
import math
import operator
from typing import Any

import numpy as np

from .. import _dtypes
from .._array_object import Array, _as_int, _normalize_axis, _setitem_value, _view_dtype
from .._core._layout import Layout
from .._core._storage import Storage
from .._device import CPU, Device, DLDeviceType
from . import _numpy as _npb

_ndarray = np.ndarray
_generic = np.generic
_object_new = object.__new__
_LOCK_ABOVE = _npb.LOCK_ABOVE


def new(value: Any) -> NumpyArray:
    """The family's constructor: an Array holding ``value`` (an ndarray, else made one)."""
    if type(value) is not _ndarray:
        value = np.asarray(value)
    a = _object_new(NumpyArray)
    a._value = value
    return a


class NumpyArray(Array):
    """An Array of the NumPy backend: ``_value`` is its live ndarray view."""

    __slots__ = ("_value",)
    _value: Any  # the live ndarray view
    _backend = _npb
    _new = staticmethod(new)  # the family's one constructor

    # ------------------------------------------------------------------ attributes
    @property
    def dtype(self) -> _dtypes.DType:
        """Data type of the elements."""
        return self._value.dtype

    @property
    def device(self) -> Device:
        """The device the array's storage lives on."""
        return CPU

    @property
    def ndim(self) -> int:
        """Number of dimensions."""
        return self._value.ndim

    @property
    def shape(self) -> tuple[int, ...]:
        """Shape, a tuple of ints."""
        return self._value.shape

    @property
    def size(self) -> int:
        """Number of elements."""
        return self._value.size

    @property
    def T(self) -> Array:
        """Transpose of a 2-D array (a view)."""
        if self._value.ndim != 2:
            raise ValueError(
                f"Array.T: only 2-D arrays have .T, got {self._value.ndim}-D; "
                "use permute_dims or .mT"
            )
        a = _object_new(NumpyArray)  # new() inlined: ``A.T @ r`` in loops
        a._value = self._value.T
        return a

    @property
    def mT(self) -> Array:
        """Transpose of the last two axes (a view)."""
        if self._value.ndim < 2:
            raise ValueError(f"Array.mT: expected at least 2 dimensions, got {self._value.ndim}")
        return new(self._value.swapaxes(-1, -2))

    # --------------------------------------------------------------- storage model
    def storage(self) -> Storage:
        """The flat Storage this array is a view of (shared by all views of it)."""
        return _npb.storage_of(self._value)

    def layout(self) -> Layout:
        """The (shape, strides, offset) Layout of this view over its storage."""
        return _npb.layout_of(self._value)

    def stride(self, dim: int | None = None) -> tuple[int, ...] | int:
        """Strides in elements (one dimension's stride if ``dim`` is given)."""
        strides = _npb.strides_of(self._value)
        if dim is None:
            return strides
        return strides[_normalize_axis(dim, self.ndim, "stride")]

    def is_contiguous(self) -> bool:
        """Whether the view is C-contiguous (row-major, densely packed)."""
        return builtins.bool(self._value.flags.c_contiguous)

    def contiguous(self) -> Array:
        """This array if it is contiguous, else a contiguous copy in a new storage."""
        if self._value.flags.c_contiguous:
            return self
        return new(np.ascontiguousarray(self._value))

    def clone(self) -> Array:
        """A copy in a new storage."""
        return new(self._value.copy())

    # ------------------------------------------------------------- view protocol
    # Namespace functions that return views call these; each backend's Array class
    # implements them (NumPy: native views; JAX: new layouts over the same storage).
    # Arguments are already validated and normalised by the caller.
    def _permuted(self, axes: tuple[builtins.int, ...]) -> Array:
        return new(self._value.transpose(axes))

    def _view_reshape(self, shape: tuple[builtins.int, ...]) -> Array | None:
        """A view with ``shape`` (one -1 allowed), or None when that needs a copy."""
        try:
            return new(np.reshape(self._value, shape, copy=False))
        except ValueError:
            return None

    def _broadcast(self, shape: tuple[builtins.int, ...]) -> Array:
        """A read-only broadcast view (raises ValueError when incompatible)."""
        return new(np.broadcast_to(self._value, shape))

    def _expanded(self, axes: tuple[builtins.int, ...]) -> Array:
        """Size-1 axes inserted at ``axes`` (non-negative positions in the result).

        A reshape, as NumPy's ``expand_dims`` (a view: new unit axes never need a copy;
        their strides are PyTorch's ``unsqueeze``'s, where indexing with None gives 0),
        without its axis normalisation (~3 µs)."""
        v = self._value
        shape = v.shape
        if len(axes) == 1:
            a = axes[0]
            return new(v.reshape(shape[:a] + (1,) + shape[a:]))
        out = list(shape)
        for a in sorted(axes):
            out.insert(a, 1)
        return new(v.reshape(out))

    def _squeezed(self, axes: tuple[builtins.int, ...]) -> Array:
        """The size-1 axes ``axes`` (non-negative) removed (the method: no dispatcher)."""
        return new(self._value.squeeze(axes))

    def _strided_view(self, layout: Layout) -> Array:
        """A view of this array's storage with ``layout`` (checked to stay inside it).

        Read-only when the layout maps two indices to one element, or this view is.
        """
        readonly = not self._value.flags.writeable or layout.overlaps_self()
        return _npb.view_of(self.storage(), layout, readonly)

    def _diagonal(self, k: int) -> Array:
        v = self._value
        d = v.diagonal(k, -2, -1)  # NumPy's diagonal: a read-only view of v
        if v.flags.writeable:
            if 0 in d.strides:  # (rare: a zero stride; the loop only then)
                for n, s in zip(d.shape, d.strides, strict=True):
                    if s == 0 and n > 1:  # two indices on one element: the base's rule
                        return super()._diagonal(k)
            d.flags.writeable = True  # writeable like ``v`` (storax's diagonal is a view)
        return new(d)

    def t(self) -> Array:
        """Transpose a 0-, 1- or 2-D array without copying (PyTorch's ``t``)."""
        if self._value.ndim > 2:
            raise ValueError(f"Array.t: expects an array of at most 2 dims, got {self.ndim}")
        a = _object_new(NumpyArray)  # new() inlined: ``A.T @ r`` in loops
        a._value = self._value.T
        return a

    def transpose(self, dim0: int, dim1: int) -> Array:
        """Swap two dimensions without copying."""
        n = self.ndim
        a = _normalize_axis(dim0, n, "transpose")
        b = _normalize_axis(dim1, n, "transpose")
        return new(self._value.swapaxes(a, b))

    def view(self, *shape: Any) -> Array:
        """The same storage seen with another shape; raises if that needs a copy.

        ``view(dtype)`` (NumPy's and PyTorch's): the same bytes read as ``dtype``, a view.
        """
        dtype = _view_dtype(shape)
        if dtype is not None:
            try:
                return new(self._value.view(dtype))
            except ValueError as e:
                raise ValueError(f"Array.view: {e}") from None
        if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
            shape = tuple(shape[0])
        shape = tuple(_as_int(s, "view") for s in shape)
        try:
            return new(np.reshape(self._value, shape, copy=False))
        except ValueError as e:
            if "copy" not in str(e):
                raise ValueError(f"Array.view: {e}") from None
            raise ValueError(
                f"Array.view: shape {shape} is not compatible with the strides "
                f"{self.stride()} of this view (it would need a copy); use reshape() instead"
            ) from None

    def numpy(self) -> Any:
        """A NumPy array sharing this array's memory (writes are seen both ways)."""
        return self._value

    def tolist(self) -> Any:
        """Nested lists of Python scalars."""
        return self._value.tolist()

    def item(self) -> builtins.bool | int | float | complex:
        """The only element, as a Python scalar."""
        if self._value.size != 1:
            raise ValueError(
                f"Array.item: only one-element arrays convert to a scalar, got size {self.size}"
            )
        return self._value.item()

    # ------------------------------------------------------------------- devices

    # ------------------------------------------------------------ Python protocol

    def __len__(self) -> builtins.int:
        if self._value.ndim == 0:
            raise TypeError("len() of a 0-d array")
        return len(self._value)

    def __iter__(self) -> Any:
        v = self._value
        if v.ndim == 0:
            raise TypeError("__iter__: iteration over a 0-d array")
        return (new(v[i, ...]) for i in range(v.shape[0]))

    def __bool__(self) -> builtins.bool:
        if self._value.size != 1:
            raise ValueError(
                f"__bool__: the truth value of an array with {self.size} elements is ambiguous"
            )
        return builtins.bool(self._value)

    def __array__(self, dtype: Any = None, copy: builtins.bool | None = None) -> Any:
        v = self._value
        if copy is True:
            return np.array(v, dtype=dtype, copy=True)
        if dtype is not None and np.dtype(dtype) != v.dtype:
            if copy is False:
                raise ValueError("__array__: a dtype change needs a copy, but copy=False")
            return v.astype(dtype)
        return v

    def __dlpack__(
        self,
        /,
        *,
        stream: Any = None,
        max_version: tuple[builtins.int, builtins.int] | None = None,
        dl_device: tuple[Any, builtins.int] | None = None,
        copy: builtins.bool | None = None,
    ) -> Any:
        if stream is not None:
            raise ValueError(f"__dlpack__: stream must be None on the CPU, got {stream!r}")
        if copy not in (None, True, False):
            raise ValueError(f"__dlpack__: copy must be True, False or None, got {copy!r}")
        kwargs: dict[str, Any] = {}
        if max_version is not None:
            kwargs["max_version"] = max_version
        if dl_device is not None:
            kwargs["dl_device"] = dl_device
        if copy is not None:
            kwargs["copy"] = copy
        v = self._value
        if not v.flags.writeable and (max_version is None or max_version[0] < 1):
            # Note: DLPack before 1.0 cannot flag an array read-only, so NumPy refuses to
            # export one (broadcast views are read-only); hand out a copy instead.
            if copy is False:
                raise BufferError(
                    "__dlpack__: a read-only view cannot be shared with a DLPack < 1.0 "
                    "consumer without a copy, but copy=False"
                )
            v = v.copy()
            kwargs.pop("copy", None)
        return v.__dlpack__(**kwargs)

    def __dlpack_device__(self) -> tuple[Any, builtins.int]:
        return (DLDeviceType.kDLCPU, 0)

    # ------------------------------------------------------------------ indexing
    def __getitem__(self, key: Any) -> Array:
        v = self._value
        t = type(key)
        try:
            if t is slice:
                a = _object_new(NumpyArray)
                a._value = v[key]
                return a
            if t is int:
                a = _object_new(NumpyArray)
                a._value = v[key, ...]  # a 0-d view when v is 1-D, never a NumPy scalar
                return a
            if t is tuple:
                all_int = True
                for k in key:
                    tk = type(k)
                    if tk is not int:
                        all_int = False
                        if tk is NumpyArray or isinstance(k, Array):
                            key = _index_key(key, "__getitem__")
                            break
                if all_int:  # keep a 0-d view rather than a NumPy scalar
                    r = v[key + (Ellipsis,)]
                else:
                    r = v[key]
                    if type(r) is not _ndarray:  # NumPy integers selected one element
                        r = v[key + (Ellipsis,)]
                return new(r)
            if t is NumpyArray:  # ``x[idx]``, ``x[mask]``: what _index_array takes as it is
                k = key._value
                kind = k.dtype.kind
                if kind == "b" or (k.ndim and (kind == "i" or kind == "u")):
                    return new(v[k])
            return new(v[_single_index(key, "__getitem__")])
        except IndexError as e:
            raise IndexError(_named("__getitem__", e)) from None
        except ValueError as e:
            raise ValueError(_named("__getitem__", e)) from None

    def __setitem__(self, key: Any, value: Any) -> None:
        v = self._value
        t = type(key)
        # An advanced index, or more elements than NumPy writes under the GIL: NumPy may
        # release the GIL mid-write, so the write takes the storage's lock (_numpy.py).
        locked = v.size > _LOCK_ABOVE
        if t is tuple:
            for k in key:
                tk = type(k)
                if tk is not int and tk is not slice and k is not None and k is not Ellipsis:
                    locked = True
                    if isinstance(k, Array):
                        key = _index_key(key, "__setitem__")
                        break
        elif t is not int and t is not slice:
            key = _single_index(key, "__setitem__")
            if not locked:
                locked = _write_loop(key, v) > _LOCK_ABOVE
        if locked and (t is int or t is slice or (type(key) is tuple and not _advanced(key))):
            # a basic index into a large array: lock only when the selection itself is
            # large (``y[2] = 1.0`` writes one element of a 10**6 array: no lock)
            locked = (v.size // v.shape[0] if t is int else _selected(v, key)) > _LOCK_ABOVE
        tv = type(value)
        if tv is float:
            if v.dtype.kind in "biu":
                raise TypeError(
                    f"__setitem__: cannot assign a float to an array of dtype {v.dtype}"
                )
        elif tv is NumpyArray:
            value = _setitem_value(value, v.dtype)
        elif isinstance(value, Array):
            raise ValueError(
                f"__setitem__: the value is on {value.device}, the array on {CPU}; "
                "move one with to_device() first"
            )
        elif tv is complex:
            if v.dtype.kind != "c":
                raise TypeError(
                    f"__setitem__: cannot assign a complex to an array of dtype {v.dtype}"
                )
        elif tv is not int and tv is not builtins.bool:
            value = _setitem_other(value)
        if tv is not float and tv is not int:
            _check_value_ndim(v, key, value)
        try:
            if locked:
                with _npb.lock_of(v):
                    v[key] = value
            else:
                v[key] = value
        except ValueError as e:
            if not v.flags.writeable:
                raise ValueError(
                    "__setitem__: this array is a read-only view (a broadcast view, "
                    "or a read-only NumPy array); copy it before writing"
                ) from None
            raise ValueError(f"__setitem__: {e}") from None
        except IndexError as e:
            raise IndexError(f"__setitem__: {e}") from None
        except OverflowError as e:
            raise OverflowError(f"__setitem__: {e}") from None
        except TypeError as e:
            # NumPy's error for a non-scalar value written into a 0-d selection ("only
            # 0-dimensional arrays can be converted"): a shape error, as on every backend.
            raise ValueError(f"__setitem__: the value does not broadcast ({e})") from None
        _npb.bump_version(v)

    # ---------------------------------------------------- in-place (PyTorch style)
    def _inplace(self, function_name: str, name: str, *args: Any) -> Array:
        func = getattr(np, function_name)
        v = self._value
        if not v.flags.writeable:
            raise ValueError(f"Array.{name}: this array is a read-only view; copy it first")
        try:
            if v.size > _LOCK_ABOVE:  # NumPy may release the GIL: atomic under the lock
                with _npb.lock_of(v):
                    func(v, *args, out=v, casting="same_kind")
            else:
                func(v, *args, out=v, casting="same_kind")
        except TypeError as e:
            raise TypeError(f"Array.{name}: {e}") from None
        except ValueError as e:  # shapes that do not broadcast
            raise ValueError(f"Array.{name}: {e}") from None
        _npb.bump_version(v)
        return self

    def copy_(self, src: Any) -> Array:
        """Copy ``src`` (broadcast to this shape) into this array, in place."""
        s = src._value if isinstance(src, Array) else src
        v = self._value
        if not v.flags.writeable:
            raise ValueError("Array.copy_: this array is a read-only view; copy it first")
        if v.size > _LOCK_ABOVE:  # NumPy may release the GIL: atomic under the lock
            with _npb.lock_of(v):
                np.copyto(v, s, casting="unsafe")
        else:
            np.copyto(v, s, casting="unsafe")
        _npb.bump_version(v)
        return self


# ---------------------------------------------------------------------- helpers


def _named(func: str, e: Exception) -> str:
    msg = str(e)
    return msg if msg.startswith(f"{func}: ") else f"{func}: {msg}"


def _advanced(key: tuple[Any, ...]) -> bool:
    """Whether a tuple index holds anything but ints, slices, None and Ellipsis."""
    for k in key:
        tk = type(k)
        if tk is not int and tk is not slice and k is not None and k is not Ellipsis:
            return True
    return False


def _selected(v: np.ndarray, key: Any) -> int | float:
    """How many elements the basic index ``key`` selects in ``v`` (its view's size, a few
    hundred ns; infinite where the index is invalid: the write raises its own error)."""
    try:
        selection = v[key]
    except (IndexError, TypeError, ValueError):
        return math.inf
    return selection.size if type(selection) is _ndarray else 1  # (an element: a scalar)


def _write_loop(key: Any, v: np.ndarray) -> int | float:
    """A bound on the length of NumPy's loop writing ``v[key]`` (one index, normalised):
    a mask selects at most ``v.size`` elements, an integer array on the first axis
    ``key.size`` subarrays; anything else is unbounded here (the write locks)."""
    if type(key) is _ndarray:
        if key.dtype.kind == "b":
            return v.size
        if v.ndim and v.shape[0]:
            return key.size * (v.size // v.shape[0])
    elif key is None or key is Ellipsis:
        return v.size
    return math.inf


def _single_index(key: Any, func: str) -> Any:
    if key is None or key is Ellipsis:
        return key
    if isinstance(key, Array):
        return _index_array(key, func)
    if isinstance(key, (builtins.bool, _ndarray, _generic, list)):
        return key
    if hasattr(key, "__index__"):
        return operator.index(key)
    raise IndexError(f"{func}: unsupported index of type {type(key).__name__}")


def _index_array(key: Array, func: str) -> Any:
    kind = key.dtype.kind
    if kind not in "biu":
        raise IndexError(f"{func}: arrays used as indices must be integer or bool, got {key.dtype}")
    if type(key) is not NumpyArray and key.device != CPU:
        # Note: indexing across devices (docs/backends.md): a 0-d integer or bool array is
        # the Python scalar it holds (the standard's ``int(k)``) from any device; an index
        # array of more dimensions must be on the indexed array's device (no implicit move).
        if key.ndim == 0 and not key._backend.is_tracer(key._value):
            return builtins.bool(key) if kind == "b" else int(key)
        raise ValueError(
            f"{func}: the index is on {key.device}, the array on {CPU}; "
            "move one with to_device() first"
        )
    k = key._value
    if kind != "b" and k.ndim == 0:
        # The spec: a 0-d integer array index is equivalent to the integer int(k).
        return int(k)
    return k


def _index_key(key: tuple[Any, ...], func: str) -> tuple[Any, ...]:
    """Replace the storax arrays in an index tuple by NumPy arrays (or ints, if 0-d)."""
    return tuple(_index_array(k, func) if isinstance(k, Array) else k for k in key)


def _check_value_ndim(v: Any, key: Any, value: Any) -> None:
    """The standard's broadcasting for a write: a value with more dimensions than the
    selection raises, as on the other backends (NumPy drops its leading 1s). Basic keys
    give the selection's dimensions by counting; other keys read the selection's shape off
    a zero-strided stand-in (one byte per selected element). An invalid key is left to
    the write's own error."""
    nd = value.ndim if type(value) is _ndarray else np.ndim(value)
    if not nd:
        return
    t = type(key)
    if t is slice:
        if nd <= v.ndim:
            return
    elif t is int:
        if nd < v.ndim:
            return
    elif t is tuple:
        dims = v.ndim
        for k in key:
            tk = type(k)
            if tk is int:
                dims -= 1
            elif tk is not slice:
                break
        else:  # ints and slices only
            if nd <= dims:
                return
    try:
        target = np.broadcast_to(_BYTE, v.shape)[key].shape
    except (IndexError, TypeError, ValueError):
        return
    if nd > len(target):
        raise ValueError(
            f"__setitem__: a value of shape {np.shape(value)} cannot be broadcast to {target}"
        )


_BYTE = np.zeros((), dtype=np.uint8)


def _setitem_other(value: Any) -> Any:
    # Note: where the spec is silent, accept what NumPy accepts: NumPy scalars and arrays,
    # nested lists/tuples of scalars.
    if isinstance(value, (_ndarray, _generic, list, tuple, builtins.bool, int, float, complex)):
        return value
    raise TypeError(f"__setitem__: unsupported value of type {type(value).__name__}")
