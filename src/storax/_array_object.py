"""Array: a view (layout) over a Storage; the only place where the two meet.

On the NumPy backend an Array holds its live NumPy view in ``_value``; its Storage and
Layout are derived on request (see ``_backends/_numpy.py``). Operators validate dtypes
against the specification's categories, then call the backend.
"""

from __future__ import annotations

import builtins
import operator
from typing import Any, SupportsIndex

from . import _backends, _dtypes
from ._backends import _numpy as _npb
from ._config import settings
from ._core._layout import Layout
from ._core._storage import Storage
from ._device import CPU, Device, DLDeviceType, as_device

np = _npb.np_
_ndarray = _npb.ndarray
_generic = _npb.generic
_object_new = object.__new__
_PY_SCALARS = (builtins.bool, int, float, complex)
_CATS = _dtypes.CATEGORIES


def _wrap(value: Any) -> Array:
    """Wrap a backend result as an Array of its backend.

    NumPy ndarrays (the hot path) and NumPy scalars become NumPy-backend Arrays; values of
    a backend loaded later (JAX arrays and tracers) go to that backend's hook.
    """
    if type(value) is not _ndarray:
        for hook in _FOREIGN_HOOKS:
            wrapped = hook(value)
            if wrapped is not None:
                return wrapped
        value = np.asarray(value)
    a = _object_new(Array)
    a._value = value
    return a


def _from_host_operand(value: Any, like: Array | None = None) -> Array:
    """A NumPy array or scalar passed where a function takes an array, as an Array.

    It joins ``like`` (a storax Array it is combined with), else goes to the current
    backend: wrapped without a copy on the NumPy backend, copied to the device on another
    (as ``asarray`` would; jax.numpy does the same with NumPy inputs).
    """
    backend = _backends.current() if like is None else like._backend
    if backend is _npb:
        return _wrap(value)
    device = None if like is None else like.device
    return _wrap(backend.from_host(np.asarray(value), device))


# Hooks that wrap other backends' values (registered when a backend is first loaded).
_FOREIGN_HOOKS: list[Any] = []


def _register_foreign(hook: Any) -> None:
    if hook not in _FOREIGN_HOOKS:
        _FOREIGN_HOOKS.append(hook)


class Array:
    """An n-dimensional array: a strided view of a :class:`Storage`.

    Create arrays with the namespace's creation functions (``storax.asarray``,
    ``storax.zeros``, ...), never with ``Array(...)``.

    Examples
    --------
    >>> import storax as sx
    >>> points = sx.asarray([[4.0, 1.0], [5.0, 3.0], [2.0, 1.0]])
    >>> second = points[1]
    >>> second.storage_offset(), second.stride()
    (2, (1,))
    >>> second[0] = 10.0
    >>> points
    tensor([[ 4.,  1.],
            [10.,  3.],
            [ 2.,  1.]])
    """

    __slots__ = ("_value", "__weakref__")
    _value: Any  # the live backend view (an ndarray on the NumPy backend)
    __array_priority__ = 100
    # NumPy must defer to storax's reflected operators (``np_array + storax_array``).
    __array_ufunc__ = None
    _backend = _npb
    _from_backend_value = staticmethod(_wrap)  # wrap a result of this backend

    def __init__(self, *args: object, **kwargs: object) -> None:
        raise TypeError(
            "Array: use storax.asarray(), storax.zeros() and the other creation functions"
        )

    _new = staticmethod(_wrap)

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
        return _wrap(self._value.T)

    @property
    def mT(self) -> Array:
        """Transpose of the last two axes (a view)."""
        if self._value.ndim < 2:
            raise ValueError(f"Array.mT: expected at least 2 dimensions, got {self._value.ndim}")
        return _wrap(self._value.swapaxes(-1, -2))

    # --------------------------------------------------------------- storage model
    def storage(self) -> Storage:
        """The flat Storage this array is a view of (shared by all views of it)."""
        return _npb.storage_of(self._value)

    def layout(self) -> Layout:
        """The (shape, strides, offset) Layout of this view over its storage."""
        return _npb.layout_of(self._value)

    def storage_offset(self) -> int:
        """Index in the storage of this view's first element."""
        return _npb.layout_of(self._value).offset

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
        return _wrap(np.ascontiguousarray(self._value))

    def clone(self) -> Array:
        """A copy in a new storage."""
        return _wrap(self._value.copy())

    def copy(self) -> Array:
        """A copy in a new storage (NumPy's spelling of :meth:`clone`)."""
        return _wrap(self._value.copy())

    # ------------------------------------------------------------- view protocol
    # Namespace functions that return views call these; each backend's Array class
    # implements them (NumPy: native views; JAX: new layouts over the same storage).
    # Arguments are already validated and normalised by the caller.
    def _permuted(self, axes: tuple[builtins.int, ...]) -> Array:
        return _wrap(self._value.transpose(axes))

    def _view_reshape(self, shape: tuple[builtins.int, ...]) -> Array | None:
        """A view with ``shape`` (one -1 allowed), or None when that needs a copy."""
        try:
            return _wrap(np.reshape(self._value, shape, copy=False))
        except ValueError:
            return None

    def _broadcast(self, shape: tuple[builtins.int, ...]) -> Array:
        """A read-only broadcast view (raises ValueError when incompatible)."""
        return _wrap(np.broadcast_to(self._value, shape))

    def _expanded(self, axes: tuple[builtins.int, ...]) -> Array:
        """Size-1 axes inserted at ``axes`` (non-negative positions in the result)."""
        return _wrap(np.expand_dims(self._value, axes))

    def _squeezed(self, axes: tuple[builtins.int, ...]) -> Array:
        """The size-1 axes ``axes`` (non-negative) removed."""
        return _wrap(np.squeeze(self._value, axes))

    def _strided_view(self, layout: Layout) -> Array:
        """A view of this array's storage with ``layout`` (checked to stay inside it).

        Read-only when the layout maps two indices to one element, or the storage is.
        """
        v = _npb.materialise(self.storage(), layout)
        if v.flags.writeable and layout.overlaps_self():
            v.flags.writeable = False
        return _wrap(v)

    def t(self) -> Array:
        """Transpose a 0-, 1- or 2-D array without copying (PyTorch's ``t``)."""
        if self._value.ndim > 2:
            raise ValueError(f"Array.t: expects an array of at most 2 dims, got {self.ndim}")
        return _wrap(self._value.T)

    def transpose(self, dim0: int, dim1: int) -> Array:
        """Swap two dimensions without copying."""
        n = self.ndim
        a = _normalize_axis(dim0, n, "transpose")
        b = _normalize_axis(dim1, n, "transpose")
        return _wrap(self._value.swapaxes(a, b))

    def permute(self, *dims: Any) -> Array:
        """Reorder the dimensions without copying (PyTorch's ``permute``)."""
        if len(dims) == 1 and isinstance(dims[0], (tuple, list)):
            dims = tuple(dims[0])
        from ._manipulation_functions import permute_dims

        return permute_dims(self, dims)

    def unsqueeze(self, dim: int) -> Array:
        """Insert a size-1 dimension at ``dim`` (a view)."""
        from ._manipulation_functions import expand_dims

        return expand_dims(self, axis=dim)

    def view(self, *shape: Any) -> Array:
        """The same storage seen with another shape; raises if that needs a copy."""
        if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
            shape = tuple(shape[0])
        shape = tuple(_as_int(s, "view") for s in shape)
        try:
            return _wrap(np.reshape(self._value, shape, copy=False))
        except ValueError as e:
            if "copy" not in str(e):
                raise ValueError(f"Array.view: {e}") from None
            raise ValueError(
                f"Array.view: shape {shape} is not compatible with the strides "
                f"{self.stride()} of this view (it would need a copy); use reshape() instead"
            ) from None

    def reshape(self, *shape: Any) -> Array:
        """Reshape (a view when the layout allows, else a copy)."""
        if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
            shape = tuple(shape[0])
        from ._manipulation_functions import reshape

        return reshape(self, shape)

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

    def to(self, dtype: Any = None, device: Any = None, *, copy: builtins.bool = False) -> Array:
        """Cast and/or move: ``x.to(sx.float64)``, ``x.to(device="cpu")``."""
        if dtype is not None and not isinstance(dtype, Device):
            try:
                dtype = _dtypes.check_dtype(dtype, "Array.to")
            except TypeError:
                if isinstance(dtype, str) and device is None:
                    dtype, device = None, dtype
                else:
                    raise
        elif isinstance(dtype, Device):
            dtype, device = None, dtype
        out = self
        if device is not None:
            out = out.to_device(device)
        if dtype is not None and dtype != out.dtype:
            return _wrap(out._value.astype(dtype))
        if copy and out is self:
            return self.clone()
        return out

    def double(self) -> Array:
        """Cast to float64."""
        return self.to(_dtypes.float64)

    def float(self) -> Array:
        """Cast to float32."""
        return self.to(_dtypes.float32)

    def short(self) -> Array:
        """Cast to int16."""
        return self.to(_dtypes.int16)

    def int(self) -> Array:
        """Cast to int32."""
        return self.to(_dtypes.int32)

    def long(self) -> Array:
        """Cast to int64."""
        return self.to(_dtypes.int64)

    def bool(self) -> Array:
        """Cast to bool."""
        return self.to(_dtypes.bool)

    def sum(self, axis: Any = None, *, dtype: Any = None, keepdims: builtins.bool = False) -> Array:
        """Sum over ``axis`` (see :func:`storax.sum`)."""
        from ._statistical_functions import sum as _sum

        return _sum(self, axis=axis, dtype=dtype, keepdims=keepdims)

    def mean(self, axis: Any = None, *, keepdims: builtins.bool = False) -> Array:
        """Mean over ``axis`` (see :func:`storax.mean`)."""
        from ._statistical_functions import mean as _mean

        return _mean(self, axis=axis, keepdims=keepdims)

    # ------------------------------------------------------------------- devices
    def to_device(self, device: Any, /, *, stream: Any = None) -> Array:
        """Copy to ``device`` (the same array if it is already there)."""
        d = as_device(device, "to_device")
        if stream is not None:
            raise ValueError("to_device: streams are not supported on the CPU")
        if d is None or d == CPU:
            return self
        from ._backends import move_to_device

        return move_to_device(self, d)

    def __array_namespace__(self, /, *, api_version: str | None = None) -> Any:
        from ._namespace import namespace_for_version

        return namespace_for_version(api_version)

    # ------------------------------------------------------------ Python protocol
    def __repr__(self) -> str:
        return _format(self)

    __str__ = __repr__

    def __len__(self) -> builtins.int:
        if self._value.ndim == 0:
            raise TypeError("len() of a 0-d array")
        return len(self._value)

    def __iter__(self) -> Any:
        v = self._value
        if v.ndim == 0:
            raise TypeError("__iter__: iteration over a 0-d array")
        return (_wrap(v[i, ...]) for i in range(v.shape[0]))

    def __bool__(self) -> builtins.bool:
        if self._value.size != 1:
            raise ValueError(
                f"__bool__: the truth value of an array with {self.size} elements is ambiguous"
            )
        return builtins.bool(self._value)

    def __int__(self) -> builtins.int:
        _check_scalar(self, "__int__")
        if self._value.dtype.kind == "c":
            raise TypeError("__int__: cannot convert a complex array to int")
        return int(self._value.item())

    def __float__(self) -> builtins.float:
        _check_scalar(self, "__float__")
        if self._value.dtype.kind == "c":
            raise TypeError("__float__: cannot convert a complex array to float")
        return builtins.float(self._value.item())

    def __complex__(self) -> complex:
        _check_scalar(self, "__complex__")
        return complex(self._value.item())

    def __index__(self) -> builtins.int:
        _check_scalar(self, "__index__")
        if self._value.dtype.kind not in "iu":
            raise TypeError(f"__index__: expected an integer array, got {self.dtype}")
        return int(self._value.item())

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

    def __getstate__(self) -> Any:
        from .io._pickle import array_getstate

        return array_getstate(self)

    def __setstate__(self, state: Any) -> None:
        from .io._pickle import array_setstate

        array_setstate(self, state)

    def __reduce_ex__(self, protocol: SupportsIndex) -> Any:
        from .io._pickle import array_reduce

        return array_reduce(self, operator.index(protocol))

    # ------------------------------------------------------------------ indexing
    def __getitem__(self, key: Any) -> Array:
        v = self._value
        t = type(key)
        try:
            if t is slice:
                a = _object_new(Array)
                a._value = v[key]
                return a
            if t is int:
                a = _object_new(Array)
                a._value = v[key, ...]  # a 0-d view when v is 1-D, never a NumPy scalar
                return a
            if t is tuple:
                all_int = True
                for k in key:
                    tk = type(k)
                    if tk is not int:
                        all_int = False
                        if tk is Array:
                            key = _index_key(key, "__getitem__")
                            break
                if all_int:  # keep a 0-d view rather than a NumPy scalar
                    r = v[key + (Ellipsis,)]
                else:
                    r = v[key]
                    if type(r) is not _ndarray:  # NumPy integers selected one element
                        r = v[key + (Ellipsis,)]
                return _wrap(r)
            return _wrap(v[_single_index(key, "__getitem__")])
        except IndexError as e:
            raise IndexError(f"__getitem__: {e}") from None
        except ValueError as e:
            raise ValueError(f"__getitem__: {e}") from None

    def __setitem__(self, key: Any, value: Any) -> None:
        v = self._value
        t = type(key)
        if t is tuple:
            for k in key:
                if type(k) is Array:
                    key = _index_key(key, "__setitem__")
                    break
        elif t is not int and t is not slice:
            key = _single_index(key, "__setitem__")
        tv = type(value)
        if tv is float:
            if v.dtype.kind in "biu":
                raise TypeError(
                    f"__setitem__: cannot assign a float to an array of dtype {v.dtype}"
                )
        elif tv is Array:
            value = _setitem_value(value, v.dtype)
        elif tv is complex:
            if v.dtype.kind != "c":
                raise TypeError(
                    f"__setitem__: cannot assign a complex to an array of dtype {v.dtype}"
                )
        elif tv is not int and tv is not builtins.bool:
            value = _setitem_other(value)
        try:
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
        _npb.bump_version(v)

    # ---------------------------------------------------- in-place (PyTorch style)
    def _inplace(self, func: Any, name: str, *args: Any) -> Array:
        v = self._value
        if not v.flags.writeable:
            raise ValueError(f"Array.{name}: this array is a read-only view; copy it first")
        try:
            func(v, *args, out=v, casting="same_kind")
        except TypeError as e:
            raise TypeError(f"Array.{name}: {e}") from None
        _npb.bump_version(v)
        return self

    def zero_(self) -> Array:
        """Fill with zeros, in place."""
        return self.fill_(0)

    def fill_(self, value: Any) -> Array:
        """Fill with ``value``, in place."""
        self[...] = value.item() if isinstance(value, Array) else value
        return self

    def copy_(self, src: Any) -> Array:
        """Copy ``src`` (broadcast to this shape) into this array, in place."""
        s = src._value if isinstance(src, Array) else src
        v = self._value
        if not v.flags.writeable:
            raise ValueError("Array.copy_: this array is a read-only view; copy it first")
        np.copyto(v, s, casting="unsafe")
        _npb.bump_version(v)
        return self

    def add_(self, other: Any, *, alpha: Any = None) -> Array:
        """``self += alpha * other``, in place."""
        o = _operand_value(other)
        if alpha is not None:
            o = o * alpha
        return self._inplace(np.add, "add_", o)

    def sub_(self, other: Any, *, alpha: Any = None) -> Array:
        """``self -= alpha * other``, in place."""
        o = _operand_value(other)
        if alpha is not None:
            o = o * alpha
        return self._inplace(np.subtract, "sub_", o)

    def mul_(self, other: Any) -> Array:
        """``self *= other``, in place."""
        return self._inplace(np.multiply, "mul_", _operand_value(other))

    def div_(self, other: Any) -> Array:
        """``self /= other``, in place."""
        return self._inplace(np.true_divide, "div_", _operand_value(other))

    def pow_(self, other: Any) -> Array:
        """``self **= other``, in place."""
        return self._inplace(np.power, "pow_", _operand_value(other))

    def clamp_(self, min: Any = None, max: Any = None) -> Array:
        """Clip to ``[min, max]``, in place."""
        if min is None and max is None:
            raise ValueError("Array.clamp_: at least one of min and max must be given")
        v = self._value
        lo = _operand_value(min) if min is not None else None
        hi = _operand_value(max) if max is not None else None
        if lo is not None:
            self._inplace(np.maximum, "clamp_", lo)
        if hi is not None:
            self._inplace(np.minimum, "clamp_", hi)
        del v
        return self


# ---------------------------------------------------------------------- helpers


def _normalize_axis(axis: Any, ndim: int, func: str) -> int:
    a = _as_int(axis, func)
    if not -builtins.max(ndim, 1) <= a < builtins.max(ndim, 1):
        raise IndexError(f"{func}: axis {a} is out of bounds for an array of dimension {ndim}")
    return a % builtins.max(ndim, 1)


def _as_int(value: Any, func: str) -> int:
    if isinstance(value, builtins.bool):
        raise TypeError(f"{func}: expected an integer, got bool")
    try:
        return operator.index(value)
    except TypeError:
        raise TypeError(f"{func}: expected an integer, got {type(value).__name__}") from None


def _check_scalar(x: Array, func: str) -> None:
    if x._value.size != 1:
        raise TypeError(f"{func}: only arrays with one element convert to Python scalars")


def _check_scalar_kind(value: Any, dtype: Any, func: str) -> None:
    """Python bool/complex scalar against an array dtype."""
    if type(value) is complex and dtype.kind != "c":
        raise TypeError(f"{func}: cannot use a complex scalar with an array of dtype {dtype}")


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
    k = key._value
    kind = k.dtype.kind
    if kind not in "biu":
        raise IndexError(f"{func}: arrays used as indices must be integer or bool, got {k.dtype}")
    if kind != "b" and k.ndim == 0:
        # The spec: a 0-d integer array index is equivalent to the integer int(k).
        return int(k)
    return k


def _index_key(key: tuple[Any, ...], func: str) -> tuple[Any, ...]:
    """Replace the storax arrays in an index tuple by NumPy arrays (or ints, if 0-d)."""
    return tuple(_index_array(k, func) if type(k) is Array else k for k in key)


def _setitem_value(value: Array, dtype: Any) -> Any:
    vd = value._value.dtype
    if vd != dtype and _dtypes.promote(dtype, vd, func="__setitem__") != dtype:
        # 2025.12: the value's dtype must promote to the array's.
        # Note: the spec leaves other pairs open; storax writes integer/bool values into
        # floating-point arrays, as it does Python ints (and as PyTorch and NumPy do).
        if not (vd.kind in "biu" and dtype.kind in "fc"):
            raise TypeError(
                f"__setitem__: cannot assign an array of dtype {vd} into an array of "
                f"dtype {dtype} (the value's dtype must promote to the array's)"
            )
    return value._value


def _setitem_other(value: Any) -> Any:
    # Note: where the spec is silent, accept what NumPy accepts: NumPy scalars and arrays,
    # nested lists/tuples of scalars.
    if isinstance(value, (_ndarray, _generic, list, tuple, builtins.bool, int, float, complex)):
        return value
    raise TypeError(f"__setitem__: unsupported value of type {type(value).__name__}")


def _operand_value(other: Any) -> Any:
    if isinstance(other, Array):
        return other._value
    return other


def _format(x: Array) -> str:
    v = x._value
    prefix = "tensor("
    body = np.array2string(v, separator=", ", prefix=prefix, precision=4, floatmode="maxprec_equal")
    extras = []
    default = {
        "f": settings.default_float,
        "c": settings.default_complex,
        "i": _dtypes.int64,
        "b": _dtypes.bool,
    }.get(v.dtype.kind)
    if v.dtype != default or v.size == 0:
        extras.append(f"dtype={v.dtype}")
    if x.device != CPU:
        extras.append(f"device='{x.device}'")
    return prefix + body + "".join(", " + e for e in extras) + ")"


def _make_unary_inplace(name: str, ufunc: Any) -> Any:
    def method(self: Array) -> Array:
        return self._inplace(ufunc, name)

    method.__name__ = name
    method.__doc__ = f"Apply ``{ufunc.__name__}`` in place (PyTorch's ``{name}``)."
    return method


# PyTorch-style unary in-place methods: written through the view into the storage.
for _name, _ufunc in {
    "abs_": np.abs, "neg_": np.negative, "cos_": np.cos, "sin_": np.sin, "tan_": np.tan,
    "cosh_": np.cosh, "sinh_": np.sinh, "tanh_": np.tanh, "exp_": np.exp, "expm1_": np.expm1,
    "log_": np.log, "log1p_": np.log1p, "log2_": np.log2, "log10_": np.log10,
    "sqrt_": np.sqrt, "square_": np.square, "floor_": np.floor, "ceil_": np.ceil,
    "trunc_": np.trunc, "round_": np.round, "sign_": np.sign, "reciprocal_": np.reciprocal,
}.items():  # fmt: skip
    setattr(Array, _name, _make_unary_inplace(_name, _ufunc))

from . import _operators  # noqa: E402

_operators.install(Array)
Array.__hash__ = None  # type: ignore[assignment]

from ._dlpack_exchange import CAPSULE as _DLPACK_EXCHANGE  # noqa: E402

# The draft's type-level DLPack C exchange table (docs/backends.md), shared by subclasses.
Array.__dlpack_c_exchange_api__ = _DLPACK_EXCHANGE  # type: ignore[attr-defined]
