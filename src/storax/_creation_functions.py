"""Creation functions (spec chapter "Creation Functions") plus ``from_numpy``."""

from __future__ import annotations

import builtins
import math
import operator
from typing import Any

from . import _dtypes, _names, _sizes
from ._array_object import Array
from ._backends import backend_for_device, check_same_device, native_device, use_backend
from ._backends import current as current_backend
from ._backends import host as _host
from ._backends import wrap as _wrap
from ._config import settings
from ._device import Device, as_device
from ._device_dtypes import check_supported, narrowed, widest

__all__ = [
    "arange",
    "asarray",
    "empty",
    "empty_like",
    "eye",
    "from_dlpack",
    "from_numpy",
    "full",
    "full_like",
    "linspace",
    "meshgrid",
    "ones",
    "ones_like",
    "tril",
    "triu",
    "zeros",
    "zeros_like",
]

_PY_SCALARS = (builtins.bool, int, float, complex)
_INT_STOP = (int, type(None))


def _named(x: Array, names: Any, func: str) -> Array:
    """``x`` with the ``names=`` of a creation function (storax extension, as PyTorch's
    factory functions); None leaves it unnamed."""
    return x if names is None else _names.with_names(x, names, func)


def _dtype_arg(dtype: Any, func: str) -> Any:
    return None if dtype is None else _dtypes.check_dtype(dtype, func)


def _device_arg(device: Any, func: str) -> tuple[Any, Device | None]:
    """Where a new array goes: (backend module, device or None for its default)."""
    if device is None:
        return current_backend(), None
    d = as_device(device, func)
    return backend_for_device(d, func), d


def _like_target(x: Array, device: Any, func: str) -> tuple[Any, Device | None]:
    if device is None:
        return x._backend, x.device
    return _device_arg(device, func)


def _place(value: Any, target: tuple[Any, Device | None]) -> Array:
    """Wrap a host (NumPy) value computed here, moved to the target backend/device."""
    backend, device = target
    if backend.caps.host_native:
        return backend.wrap(value)
    return backend.wrap(backend.from_host(value, device))


def _xp(target: tuple[Any, Device | None]) -> tuple[Any, Any]:
    """The target backend's array module and its own device object (for ``device=``)."""
    backend, device = target
    return backend.xp, native_device(device, backend)


def _on_target(
    d: Any, explicit: builtins.bool, target: tuple[Any, Device | None], func: str
) -> Any:
    """``d`` on the target device: a default narrows to its 32-bit type where the device
    has no 64-bit types; an explicit dtype the device lacks raises (names the device)."""
    backend, device = target
    if backend.x64:
        if not explicit:  # a device may lack some (torch's MPS: float64)
            return narrowed(d, backend, device)
        if device is not None:
            check_supported(d, backend, device, func)
        return d
    if not explicit:
        return narrowed(d, backend)
    check_supported(d, backend, device, func)
    return d


def _shape_arg(shape: Any, func: str) -> tuple[int, ...]:
    # Fast path: an int or a tuple of ints, none negative (bools are not ints here).
    kind = type(shape)
    if kind is int:
        if shape >= 0:
            return (shape,)
    elif kind is tuple:
        for d in shape:
            if type(d) is not int or d < 0:
                break
        else:
            return shape
    if isinstance(shape, Array):
        raise TypeError(f"{func}: shape must be an int or a tuple of ints, not an array")
    if isinstance(shape, (tuple, list)):
        dims = shape
    else:
        dims = (shape,)
    out = []
    for d in dims:
        if isinstance(d, builtins.bool):
            raise TypeError(f"{func}: shape entries must be integers, got bool")
        try:
            n = operator.index(d)
        except TypeError:
            raise TypeError(
                f"{func}: shape entries must be integers, got {type(d).__name__}"
            ) from None
        if n < 0:
            raise ValueError(f"{func}: negative dimensions are not allowed, got shape {shape}")
        out.append(n)
    return tuple(out)


def _int_arg(value: Any, func: str, name: str) -> int:
    """An integer argument: Python/NumPy ints (anything with ``__index__``), never bool."""
    if _dtypes.is_bool_scalar(value):
        raise TypeError(f"{func}: {name} must be an int, got {type(value).__name__}")
    try:
        return operator.index(value)
    except TypeError:
        raise TypeError(f"{func}: {name} must be an int, got {type(value).__name__}") from None


def _scalar_dtype(value: Any) -> Any:
    """The default dtype for a Python scalar."""
    t = type(value)
    if t is builtins.bool:
        return _dtypes.bool
    if t is int:
        return settings.default_int
    if t is float:
        return settings.default_float
    if t is complex:
        return settings.default_complex
    return None


def _only_python_scalars(obj: Any, depth: int = 0) -> builtins.bool:
    if type(obj) in _PY_SCALARS:
        return True
    if isinstance(obj, (list, tuple)) and depth < 64:
        return builtins.all(_only_python_scalars(o, depth + 1) for o in obj)
    return False


def asarray(
    obj: Any,
    /,
    *,
    dtype: Any = None,
    device: Any = None,
    copy: builtins.bool | None = None,
    names: Any = None,
) -> Array:
    """Convert ``obj`` to an array.

    https://data-apis.org/array-api/latest/API_specification/generated/array_api.asarray.html

    ``names=`` (a storax extension, as PyTorch's ``torch.tensor(..., names=...)``) names
    the dims of the result.
    """
    if names is not None:
        return _names.with_names(
            asarray(obj, dtype=dtype, device=device, copy=copy), names, "asarray"
        )
    dtype = _dtype_arg(dtype, "asarray")
    target = _device_arg(device, "asarray")
    if copy not in (None, True, False):
        raise ValueError(f"asarray: copy must be True, False or None, got {copy!r}")
    if isinstance(obj, Array):
        if device is not None and target[1] != obj.device:
            if copy is False:
                raise ValueError("asarray: moving to another device needs a copy, copy=False")
            check_supported(obj.dtype if dtype is None else dtype, *target, "asarray")
            if dtype is not None and dtype != obj.dtype:  # cast where the data is, then move
                obj = obj._new(obj._value.astype(dtype))
            obj, copy = obj.to_device(target[1]), None
        if dtype is None or dtype == obj.dtype:
            return obj.clone() if copy else obj
        if copy is False:
            raise ValueError("asarray: changing the dtype needs a copy, but copy=False")
        check_supported(dtype, obj._backend, obj.device, "asarray")
        return obj._new(obj._value.astype(dtype))
    backend = target[0]
    if not backend.caps.host_native:
        if backend.is_value(obj):
            return _from_backend_value(obj, dtype, copy, target)
        if copy is False:
            raise ValueError(
                f"asarray: host data cannot be shared with a {backend.name} array (it must be "
                "copied to the device), but copy=False"
            )
        if dtype is not None:
            _on_target(dtype, True, target, "asarray")
        with use_backend(_host.name):
            host = asarray(obj, dtype=dtype)
        value = host._value
        narrow = _on_target(value.dtype, False, target, "asarray")
        if narrow != value.dtype:
            # Note: where the device has no 64-bit types, data that took a 64-bit default
            # (or came as 64-bit host data) lands in the 32-bit type of its kind.
            if narrow.kind in "iu" and value.size:
                low, high = _dtypes.int_range(narrow)
                if value.min() < low or value.max() > high:
                    raise OverflowError(
                        f"asarray: values do not fit in {narrow}, the widest integer type "
                        f"on device {target[1] or target[0].default_device()}"
                    )
            value = value.astype(narrow)
        return _place(value, target)
    if _host.is_value(obj):
        return _from_ndarray(_host.xp.asarray(obj), dtype, copy, "asarray")
    t = type(obj)
    if t in _PY_SCALARS:
        if copy is False:
            raise ValueError("asarray: a Python scalar cannot be converted without a copy")
        d = dtype or _scalar_dtype(obj)
        _check_scalar_fits(obj, d, "asarray")
        return _host.wrap(_host.xp.asarray(obj, dtype=d))
    if isinstance(obj, (list, tuple)):
        if copy is False:
            raise ValueError("asarray: a sequence cannot be converted without a copy")
        return _from_sequence(obj, dtype)
    if hasattr(obj, "__dlpack__"):
        return (
            from_dlpack(obj, copy=copy)
            if dtype is None
            else asarray(from_dlpack(obj, copy=copy), dtype=dtype, copy=copy)
        )
    try:
        mv = memoryview(obj)
    except TypeError:
        pass
    else:
        return _from_ndarray(_host.xp.asarray(mv), dtype, copy, "asarray")
    if hasattr(obj, "__array__"):
        return _from_ndarray(_host.xp.asarray(obj), dtype, copy, "asarray")
    raise TypeError(f"asarray: cannot convert an object of type {t.__name__} to an array")


def _from_backend_value(
    value: Any, dtype: Any, copy: builtins.bool | None, target: tuple[Any, Device | None]
) -> Array:
    """An array of a non-NumPy backend's own value (a ``jax.Array``)."""
    backend, device = target
    if value.dtype not in _dtypes.STANDARD_DTYPES and dtype is None:
        raise TypeError(f"asarray: {value.dtype} is not a data type of the array API standard")
    if device is not None and backend.device_of(value) != device:
        if copy is False:
            raise ValueError("asarray: moving to another device needs a copy, but copy=False")
        value, copy = backend.from_host(value, device), None
    if dtype is not None and dtype != value.dtype:
        if copy is False:
            raise ValueError("asarray: changing the dtype needs a copy, but copy=False")
        check_supported(dtype, backend, device, "asarray")
        return backend.wrap(value.astype(dtype))
    return backend.wrap(backend.xp.array(value, copy=True) if copy else value)


def _check_scalar_fits(value: Any, dtype: Any, func: str) -> None:
    if type(value) is int and dtype.kind in "iu":
        low, high = _dtypes.int_range(dtype)
        if not low <= value <= high:
            raise OverflowError(f"{func}: {value} does not fit in {dtype}")
    elif type(value) is complex and dtype.kind != "c":
        raise TypeError(f"{func}: cannot convert a complex scalar to {dtype}")
    elif type(value) is float and dtype.kind in "biu":
        raise TypeError(f"{func}: cannot convert a float scalar to {dtype}")


_ALL_SCALARS = frozenset(_PY_SCALARS)
_REAL_SCALARS = _ALL_SCALARS - {complex}


def _from_sequence(obj: Any, dtype: Any) -> Array:
    if dtype is None and type(obj) in (list, tuple):
        # Fast path: a flat sequence of Python floats (or complexes) with ints and bools
        # has the default floating (complex) dtype, built in one step.
        kinds = set(map(type, obj))
        if float in kinds and kinds <= _REAL_SCALARS:
            dtype = settings.default_float
        elif complex in kinds and kinds <= _ALL_SCALARS:
            dtype = settings.default_complex
    try:
        value = _host.xp.asarray(obj, dtype=dtype)
    except OverflowError:
        raise OverflowError("asarray: an integer does not fit in the requested dtype") from None
    except (ValueError, TypeError) as e:
        raise ValueError(f"asarray: cannot build an array from this sequence: {e}") from None
    if dtype is None:
        kind = value.dtype.kind
        if kind == "O":
            raise TypeError("asarray: the sequence holds values storax has no dtype for")
        if kind in "fc" and _only_python_scalars(obj):
            default = settings.default_float if kind == "f" else settings.default_complex
            if value.dtype != default:
                value = value.astype(default)
        elif value.dtype not in _dtypes.STANDARD_DTYPES:
            raise TypeError(f"asarray: {value.dtype} is not a data type of the array API standard")
    return _wrap(value)


def _from_ndarray(value: Any, dtype: Any, copy: builtins.bool | None, func: str) -> Array:
    if value.dtype not in _dtypes.STANDARD_DTYPES:
        native = value.dtype.newbyteorder("=")
        if native in _dtypes.STANDARD_DTYPES and not value.dtype.isnative:
            if copy is False:
                raise ValueError(f"{func}: a byte-swapped array needs a copy, but copy=False")
            value, copy = value.astype(native), None
        elif dtype is None:
            raise TypeError(f"{func}: {value.dtype} is not a data type of the array API standard")
    if dtype is not None and dtype != value.dtype:
        if copy is False:
            raise ValueError(f"{func}: changing the dtype needs a copy, but copy=False")
        return _wrap(value.astype(dtype))
    if copy:
        return _wrap(value.copy())
    if not _host.is_aligned_view(value):
        if copy is False:
            raise ValueError(f"{func}: this NumPy array's strides cannot be shared, copy=False")
        return _wrap(value.copy())
    return _wrap(value)


def from_numpy(ndarray: Any, /) -> Array:
    """An array that shares memory with a NumPy array (writes are seen both ways).

    Examples
    --------
    >>> import numpy as np, storax as sx
    >>> n = np.zeros(3, dtype=np.float32)
    >>> x = sx.from_numpy(n)
    >>> x[0] = 5.0
    >>> n
    array([5., 0., 0.], dtype=float32)
    """
    if not isinstance(ndarray, _host.xp.ndarray):
        raise TypeError(f"from_numpy: expected a numpy.ndarray, got {type(ndarray).__name__}")
    return _from_ndarray(ndarray, None, False, "from_numpy")


def from_dlpack(x: Any, /, *, device: Any = None, copy: builtins.bool | None = None) -> Array:
    """Import an array through DLPack.

    https://data-apis.org/array-api/latest/API_specification/generated/array_api.from_dlpack.html
    """
    d = as_device(device, "from_dlpack")
    if copy not in (None, True, False):
        raise ValueError(f"from_dlpack: copy must be True, False or None, got {copy!r}")
    if isinstance(x, Array):
        if d is not None and d != x.device:
            if copy is False:
                raise BufferError(
                    f"from_dlpack: moving from {x.device} to {d} needs a copy, but copy=False"
                )
            return x.to_device(d)
        return x.clone() if copy else x
    backend = backend_for_device(d, "from_dlpack")
    if not hasattr(x, "__dlpack__"):
        raise TypeError(f"from_dlpack: {type(x).__name__} does not support DLPack")
    # Note: with copy=None a device array may share the producer's memory (read-only
    # use); storax never writes there: the first write copies into its own storage.
    if not backend.x64:
        # Note: the producer's dtype: a device without 64-bit types would narrow float64
        # data on import; storax refuses it instead (a move keeps dtypes).
        src = getattr(x, "dtype", None)
        try:
            src = None if src is None else _dtypes.as_dtype(src)
        except TypeError:
            src = None
        if src is not None and src in _dtypes.STANDARD_DTYPES:
            check_supported(src, backend, d, "from_dlpack")
    value = backend.from_dlpack(x, d, copy)
    if backend.caps.host_native:
        return _from_ndarray(value, None, copy, "from_dlpack")
    if value.dtype not in _dtypes.STANDARD_DTYPES:
        raise TypeError(f"from_dlpack: {value.dtype} is not a data type of the array API standard")
    return backend.wrap(value)


def _fill_dtype(fill_value: Any, dtype: Any, func: str) -> Any:
    if isinstance(fill_value, Array):
        if fill_value.ndim != 0:
            raise ValueError(f"{func}: fill_value must be a scalar or a 0-d array")
        return fill_value.dtype if dtype is None else dtype
    if _dtypes.is_numpy_scalar(fill_value):
        return fill_value.dtype if dtype is None else dtype
    if type(fill_value) not in _PY_SCALARS:
        raise TypeError(f"{func}: fill_value must be a Python scalar, got {type(fill_value)}")
    d = dtype or _scalar_dtype(fill_value)
    _check_scalar_fits(fill_value, d, func)
    return d


def _fill_scalar(fill_value: Any, dtype: Any, target: tuple[Any, Device | None]) -> Any:
    """The fill value as a host scalar of ``dtype`` (or the array's own value)."""
    if isinstance(fill_value, Array):
        if fill_value._backend is target[0]:
            return fill_value._value
        fill_value = fill_value.item()
    if target[0].caps.host_native:
        return fill_value
    # Note: converted on the host first, so that integers beyond int64 (uint64) reach
    # backends that would read a Python int as int64.
    return _host.xp.asarray(fill_value, dtype=dtype)


def _filled(
    shape: tuple[int, ...], fill: str, dtype: Any, target: tuple[Any, Device | None]
) -> Array:
    if target[0].caps.host_native:
        try:  # NumPy refuses impossible shapes at once: check only when it failed
            return _host.wrap(getattr(_host.xp, fill)(shape, dtype))
        except Exception as e:
            raise _sizes.failed(e, shape, dtype.itemsize, fill) from None
    _sizes.check_shape(shape, dtype.itemsize, fill)  # before asking XLA (it may abort)
    xp, dev = _xp(target)
    create = getattr(target[0], "create", None)
    if create is not None:  # the backend's compiled creation kernels (JAX)
        return _wrap(_sizes.allocate(fill, create, fill, (shape,), dtype, dev))
    return _wrap(_sizes.allocate(fill, getattr(xp, fill), shape, dtype=dtype, device=dev))


def empty(shape: Any, *, dtype: Any = None, device: Any = None, names: Any = None) -> Array:
    """Uninitialised array. https://data-apis.org/array-api/latest/API_specification/generated/array_api.empty.html"""
    d = _dtype_arg(dtype, "empty") or settings.default_float
    target = _device_arg(device, "empty")
    d = _on_target(d, dtype is not None, target, "empty")
    return _named(_filled(_shape_arg(shape, "empty"), "empty", d, target), names, "empty")


def zeros(shape: Any, *, dtype: Any = None, device: Any = None, names: Any = None) -> Array:
    """Array of zeros. https://data-apis.org/array-api/latest/API_specification/generated/array_api.zeros.html"""
    d = _dtype_arg(dtype, "zeros") or settings.default_float
    target = _device_arg(device, "zeros")
    d = _on_target(d, dtype is not None, target, "zeros")
    return _named(_filled(_shape_arg(shape, "zeros"), "zeros", d, target), names, "zeros")


def ones(shape: Any, *, dtype: Any = None, device: Any = None, names: Any = None) -> Array:
    """Array of ones. https://data-apis.org/array-api/latest/API_specification/generated/array_api.ones.html"""
    d = _dtype_arg(dtype, "ones") or settings.default_float
    target = _device_arg(device, "ones")
    d = _on_target(d, dtype is not None, target, "ones")
    return _named(_filled(_shape_arg(shape, "ones"), "ones", d, target), names, "ones")


def full(
    shape: Any, fill_value: Any, *, dtype: Any = None, device: Any = None, names: Any = None
) -> Array:
    """Array filled with ``fill_value``. https://data-apis.org/array-api/latest/API_specification/generated/array_api.full.html"""
    d0 = _fill_dtype(fill_value, _dtype_arg(dtype, "full"), "full")
    target = _device_arg(device, "full")
    d = _on_target(d0, dtype is not None, target, "full")
    if d is not d0:  # narrowed for the device: check again
        _check_scalar_fits(fill_value, d, "full")
    dev = _xp(target)[1]
    fill = _fill_scalar(fill_value, d, target)
    dims = _shape_arg(shape, "full")
    _sizes.check_shape(dims, d.itemsize, "full")
    out = target[0].wrap(_sizes.allocate("full", _full, target, dims, fill, d, dev))
    return out if names is None else _named(out, names, "full")


def _like(x: Any, func: str) -> None:
    if not isinstance(x, Array):
        raise TypeError(f"{func}: expected a storax array, got {type(x).__name__}")


def empty_like(x: Array, /, *, dtype: Any = None, device: Any = None) -> Array:
    """https://data-apis.org/array-api/latest/API_specification/generated/array_api.empty_like.html"""
    _like(x, "empty_like")
    target = _like_target(x, device, "empty_like")
    d = _dtype_arg(dtype, "empty_like") or x.dtype
    check_supported(d, target[0], target[1], "empty_like")
    return _names.keep(x, _filled(x.shape, "empty", d, target))


def zeros_like(x: Array, /, *, dtype: Any = None, device: Any = None) -> Array:
    """https://data-apis.org/array-api/latest/API_specification/generated/array_api.zeros_like.html"""
    _like(x, "zeros_like")
    target = _like_target(x, device, "zeros_like")
    d = _dtype_arg(dtype, "zeros_like") or x.dtype
    check_supported(d, target[0], target[1], "zeros_like")
    return _names.keep(x, _filled(x.shape, "zeros", d, target))


def ones_like(x: Array, /, *, dtype: Any = None, device: Any = None) -> Array:
    """https://data-apis.org/array-api/latest/API_specification/generated/array_api.ones_like.html"""
    _like(x, "ones_like")
    target = _like_target(x, device, "ones_like")
    d = _dtype_arg(dtype, "ones_like") or x.dtype
    check_supported(d, target[0], target[1], "ones_like")
    return _names.keep(x, _filled(x.shape, "ones", d, target))


def full_like(x: Array, /, fill_value: Any, *, dtype: Any = None, device: Any = None) -> Array:
    """https://data-apis.org/array-api/latest/API_specification/generated/array_api.full_like.html"""
    _like(x, "full_like")
    target = _like_target(x, device, "full_like")
    d = _dtype_arg(dtype, "full_like") or x.dtype
    check_supported(d, target[0], target[1], "full_like")
    _fill_dtype(fill_value, d, "full_like")
    dev = _xp(target)[1]
    out = _wrap(_full(target, x.shape, _fill_scalar(fill_value, d, target), d, dev))
    return _names.keep(x, out)


def _full(target: tuple[Any, Device | None], shape: Any, fill: Any, d: Any, dev: Any) -> Any:
    """The backend's ``full`` (JAX: its compiled creation kernel)."""
    create = getattr(target[0], "create", None)
    if create is not None:
        return create("full", (shape,), d, dev, fill)
    return target[0].xp.full(shape, fill, dtype=d, device=dev)


def _real_scalar(v: Any, func: str, name: str) -> Any:
    if isinstance(v, Array):
        if v.ndim != 0:
            raise ValueError(f"{func}: {name} must be a scalar")
        return v.item()
    if _dtypes.is_numpy_scalar(v):
        return v.item()
    if type(v) not in _PY_SCALARS or isinstance(v, builtins.bool):
        raise TypeError(f"{func}: {name} must be an int or float, got {type(v).__name__}")
    return v


def arange(
    start: Any, /, stop: Any = None, step: Any = 1, *, dtype: Any = None, device: Any = None
) -> Array:
    """https://data-apis.org/array-api/latest/API_specification/generated/array_api.arange.html"""
    if dtype is None and type(start) is int and type(step) is int and type(stop) in _INT_STOP:
        # The common call: Python ints, the default integer dtype.
        if stop is None:
            start, stop = 0, start
        if step == 0:
            raise ValueError("arange: step must not be zero")
        target = _device_arg(device, "arange")
        return _int_arange(
            start, stop, step, _on_target(settings.default_int, False, target, "arange"), target
        )
    d = _dtype_arg(dtype, "arange")
    target = _device_arg(device, "arange")
    start = _real_scalar(start, "arange", "start")
    step = _real_scalar(step, "arange", "step")
    if stop is None:
        start, stop = 0, start
    else:
        stop = _real_scalar(stop, "arange", "stop")
    for name, v in (("start", start), ("stop", stop), ("step", step)):
        if type(v) is complex:
            raise TypeError(f"arange: {name} must be real, got complex")
    if step == 0:
        raise ValueError("arange: step must not be zero")
    is_float = builtins.any(type(v) is float for v in (start, stop, step))
    explicit = d is not None
    if d is None:
        d = settings.default_float if is_float else settings.default_int
    if d.kind in "iu" and is_float:
        raise TypeError(f"arange: float arguments with an integer dtype {d}")
    if d.kind == "b":
        raise TypeError("arange: expected a numeric dtype, got bool")
    d = _on_target(d, explicit, target, "arange")
    xp, dev = _xp(target)
    if d.kind in "fc":
        # Note: computed in float64, then cast, so float32 results have the spec's length.
        span = (stop - start) / step
        if not math.isfinite(span):
            raise ValueError(f"arange: the range ({start}, {stop}, {step}) has no finite length")
        n = builtins.max(0, math.ceil(span))
        _sizes.check_count(n, 8, "arange", f"the range ({start}, {stop}, {step})")
        wide = widest("f", *target)
        if dev is None:  # the default device: one kernel (on JAX, jitted: 4 dispatches less)
            kernel = _FLOAT_RANGE.get(target[0].name)
            if kernel is None:
                kernel = _FLOAT_RANGE[target[0].name] = target[0].composite(
                    _float_range, ("n", "wide", "dtype")
                )
            # (start and step as floats: what the float computation reads them as anyway)
            return _wrap(
                _sizes.allocate(
                    "arange", kernel, float(start), float(step), n=n, wide=wide, dtype=d
                )
            )
        value = _sizes.allocate("arange", xp.arange, n, dtype=wide, device=dev)
        return _wrap(_cast(start + step * value, d))
    return _int_arange(start, stop, step, d, target)


def _float_range(xp: Any, start: Any, step: Any, *, n: int, wide: Any, dtype: Any) -> Any:
    """``start + step * i`` for ``i < n``, computed in ``wide``, in ``dtype``."""
    return _cast(start + step * xp.arange(n, dtype=wide), dtype)


def _cast(value: Any, dtype: Any) -> Any:
    """``value`` in ``dtype``: cast only when the wide type it was computed in differs (an
    ``astype`` to the same dtype would copy it once more)."""
    return value if value.dtype == dtype else value.astype(dtype)


_FLOAT_RANGE: dict[str, Any] = {}


def _int_arange(
    start: int, stop: int, step: int, d: Any, target: tuple[Any, Device | None]
) -> Array:
    """``arange`` of integers (validated) in the integer dtype ``d``, on ``target``."""
    n = -((start - stop) // step)  # ceil((stop - start) / step), exactly
    if n <= 0:
        n = 0
    elif n * d.itemsize > _sizes.MAX_BYTES:  # (the message is built only when it fails)
        _sizes.check_count(n, d.itemsize, "arange", f"the range ({start}, {stop}, {step})")
    if n:
        # Note: every element must fit in the dtype, on every backend (NumPy raises for a
        # start out of range, JAX wraps); ``stop`` itself may lie one step outside it.
        low, high = _dtypes.int_range(d)
        last = start + (n - 1) * step
        if not (low <= builtins.min(start, last) and builtins.max(start, last) <= high):
            raise OverflowError(
                f"arange: the values from {start} to {last} do not fit in the dtype {d}"
            )
    backend, device = target
    if not backend.x64:  # no 64-bit types on the device: compute in the dtype itself
        wide = d
    else:
        wide = _dtypes.uint64 if d == _dtypes.uint64 else _dtypes.int64
    dev = None if device is None else backend.native_device(device)
    # (``arange(n)`` where it can: jax.numpy's arange(0, n, 1) took ~8x its arange(n) at
    # 10**6 elements here)
    try:  # (inline, not _sizes.allocate: ~0.5 µs of argument forwarding per call)
        if start == 0 and step == 1:
            values = backend.xp.arange(n, dtype=wide, device=dev)
        else:
            values = backend.xp.arange(start, start + n * step, step, dtype=wide, device=dev)
    except Exception as e:
        err = _sizes.out_of_memory(e, "arange")
        if err is e:
            raise
        raise err from None
    return backend.wrap(values if wide is d or wide == d else values.astype(d))


def linspace(
    start: Any,
    stop: Any,
    /,
    num: int,
    *,
    dtype: Any = None,
    device: Any = None,
    endpoint: builtins.bool = True,
) -> Array:
    """https://data-apis.org/array-api/latest/API_specification/generated/array_api.linspace.html"""
    d = _dtype_arg(dtype, "linspace")
    target = _device_arg(device, "linspace")
    num = _int_arg(num, "linspace", "num")
    if num < 0:
        raise ValueError(f"linspace: num must be non-negative, got {num}")
    _sizes.check_count(num, 16, "linspace", f"num={num}")
    start = _real_or_complex(start, "linspace", "start")
    stop = _real_or_complex(stop, "linspace", "stop")
    is_complex = type(start) is complex or type(stop) is complex
    explicit = d is not None
    if d is None:
        d = settings.default_complex if is_complex else settings.default_float
    elif is_complex and d.kind != "c":
        raise TypeError(f"linspace: complex start/stop need a complex dtype, got {d}")
    elif d.kind not in "fc":
        raise TypeError(f"linspace: dtype must be floating-point, got {d}")
    d = _on_target(d, explicit, target, "linspace")
    # computed in the widest type of the kind (float64 where the device has it), then cast
    wide = widest("c" if d.kind == "c" else "f", *target)
    xp, dev = _xp(target)
    value = _sizes.allocate(
        "linspace", xp.linspace, start, stop, num, endpoint=endpoint, dtype=wide, device=dev
    )
    return _wrap(_cast(value, d))


def _real_or_complex(v: Any, func: str, name: str) -> Any:
    if isinstance(v, Array) or _dtypes.is_numpy_scalar(v):
        return _real_scalar(v, func, name)
    if type(v) not in _PY_SCALARS or isinstance(v, builtins.bool):
        raise TypeError(f"{func}: {name} must be a number, got {type(v).__name__}")
    return v


def eye(
    n_rows: int,
    n_cols: int | None = None,
    /,
    *,
    k: int = 0,
    dtype: Any = None,
    device: Any = None,
) -> Array:
    """https://data-apis.org/array-api/latest/API_specification/generated/array_api.eye.html"""
    d = _dtype_arg(dtype, "eye") or settings.default_float
    target = _device_arg(device, "eye")
    d = _on_target(d, dtype is not None, target, "eye")
    n_rows = _int_arg(n_rows, "eye", "n_rows")
    if n_cols is not None:
        n_cols = _int_arg(n_cols, "eye", "n_cols")
    k = _int_arg(k, "eye", "k")
    if n_rows < 0 or (n_cols is not None and n_cols < 0):
        raise ValueError("eye: n_rows and n_cols must be non-negative")
    cols = n_rows if n_cols is None else n_cols
    _sizes.check_shape((n_rows, cols), d.itemsize, "eye")
    k = builtins.min(builtins.max(k, -n_rows), cols)  # beyond the matrix: all zeros anyway
    xp, dev = _xp(target)
    create = getattr(target[0], "create", None)
    if create is not None:  # the backend's compiled creation kernels (JAX)
        return _wrap(_sizes.allocate("eye", create, "eye", (n_rows, n_cols, k), d, dev))
    return _wrap(_sizes.allocate("eye", xp.eye, n_rows, n_cols, k=k, dtype=d, device=dev))


def meshgrid(*arrays: Array, indexing: str = "xy") -> Any:
    """https://data-apis.org/array-api/latest/API_specification/generated/array_api.meshgrid.html"""
    if indexing not in ("xy", "ij"):
        raise ValueError(f"meshgrid: indexing must be 'xy' or 'ij', got {indexing!r}")
    for a in arrays:
        if not isinstance(a, Array):
            raise TypeError(f"meshgrid: expected storax arrays, got {type(a).__name__}")
        if a.ndim != 1:
            raise ValueError(f"meshgrid: expected 1-D arrays, got {a.ndim}-D")
    if len({a.dtype for a in arrays}) > 1:
        raise TypeError("meshgrid: all arrays must have the same dtype")
    values: list[Any] = [a._value for a in arrays]
    xp = arrays[0]._backend.xp if arrays else _host.xp
    for a in arrays[1:]:
        check_same_device(arrays[0], a, "meshgrid")
    itemsize = arrays[0].dtype.itemsize * builtins.len(arrays) if arrays else 1  # all grids
    _sizes.check_shape(tuple(a.shape[0] for a in arrays), itemsize, "meshgrid")
    try:
        grids: Any = _sizes.allocate("meshgrid", xp.meshgrid, *values, indexing=indexing)
    except RuntimeError as e:  # NumPy's own limit on the number of broadcast operands
        raise ValueError(f"meshgrid: {e}") from None
    out = [_wrap(v) for v in grids]
    # Note: 2024.12 returns a list, 2025.12 a tuple.
    return out if settings.api_version == "2024.12" else tuple(out)


def _tri(x: Array, k: int, func: str, f: Any) -> Array:
    if not isinstance(x, Array):
        raise TypeError(f"{func}: expected a storax array, got {type(x).__name__}")
    if x.ndim < 2:
        raise ValueError(f"{func}: expected at least 2 dimensions, got {x.ndim}")
    k = _int_arg(k, func, "k")
    rows, cols = x.shape[-2:]
    k = builtins.min(builtins.max(k, -rows), cols)  # beyond the matrix: the same result
    return _wrap(getattr(x._backend.xp, f)(x._value, k=k))


def tril(x: Array, /, *, k: int = 0) -> Array:
    """https://data-apis.org/array-api/latest/API_specification/generated/array_api.tril.html"""
    return _tri(x, k, "tril", "tril")


def triu(x: Array, /, *, k: int = 0) -> Array:
    """https://data-apis.org/array-api/latest/API_specification/generated/array_api.triu.html"""
    return _tri(x, k, "triu", "triu")
