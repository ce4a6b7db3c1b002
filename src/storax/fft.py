"""The ``fft`` extension (spec chapter "Fourier Transform Functions"): discrete Fourier
transforms, their sample frequencies and shifts, computed by the backend's FFT
(``numpy.fft`` on the NumPy backend, ``jax.numpy.fft`` on JAX), on the input's device.

Results keep the input's precision: float32/complex64 in gives float32/complex64 out, on both
backends. Repeated axes in ``fftn`` & co. (implementation-defined in the specification)
transform that axis again, as NumPy does, on both backends.
"""

from __future__ import annotations

import builtins
import math
from collections.abc import Sequence
from typing import Any, NoReturn

from . import _dtypes, _sizes
from ._array_object import Array
from ._backends import backend_for_device, native_device, quiet
from ._backends import wrap as _wrap
from ._device import as_device
from ._device_dtypes import check_supported, default_float
from ._linear_algebra_functions import _check_array, _check_int, _normalize_axis

__all__ = [
    "fft",
    "fftfreq",
    "fftn",
    "fftshift",
    "hfft",
    "ifft",
    "ifftn",
    "ifftshift",
    "ihfft",
    "irfft",
    "irfftn",
    "rfft",
    "rfftfreq",
    "rfftn",
]

_NORMS = ("backward", "ortho", "forward")


# ----------------------------------------------------------------------------- helpers


def _complex_of(dt: Any) -> Any:
    return _dtypes.complex64 if dt in (_dtypes.float32, _dtypes.complex64) else _dtypes.complex128


def _real_of(dt: Any) -> Any:
    return _dtypes.float32 if dt in (_dtypes.float32, _dtypes.complex64) else _dtypes.float64


def _input(x: object, func: str, kind: str) -> tuple[Any, Any]:
    """Validate ``x``; return its value and the dtype the transform reads (the kernels
    cast to it: one compiled call on JAX).

    ``kind`` is "complex" (complex input; real floating input is promoted) or "real".
    """
    a = _check_array(x, func)
    if kind == "real":
        _dtypes.check_category(a.dtype, "real floating-point", func)
        return a._value, a.dtype
    # Note: the specification asks complex input of these transforms; storax also accepts
    # real floating input, promoted to the complex dtype of its precision, as NumPy does.
    _dtypes.check_category(a.dtype, "floating-point", func)
    return a._value, _complex_of(a.dtype)


def _norm(norm: object, func: str) -> str:
    if not isinstance(norm, str) or norm not in _NORMS:
        raise ValueError(f"{func}: norm must be one of {_NORMS}, got {norm!r}")
    return norm


def _size(n: object, func: str, name: str = "n") -> int:
    k = _check_int(n, func, name)
    if k < 1:
        raise ValueError(f"{func}: {name} must be a positive number of points, got {k}")
    _sizes.check_count(k, 16, func, f"{name}={k}")  # before the backend allocates
    return k


def _implied(x: Any, a: int, func: str, inverse_real: builtins.bool) -> int:
    """The number of points along axis ``a`` when none is given; ValueError when below 1.

    # Note: jax.numpy returns an empty result for zero points; storax raises on both
    # backends, as NumPy does.
    """
    k = 2 * (x.shape[a] - 1) if inverse_real else x.shape[a]
    if k < 1:
        raise ValueError(
            f"{func}: invalid number of points ({k}) implied by axis {a} of size {x.shape[a]}"
        )
    return k


def _one_d(
    x: Any, n: object, axis: object, norm: object, func: str, *, inverse_real: builtins.bool = False
) -> tuple[int | None, int, str]:
    if x.ndim == 0:
        raise ValueError(f"{func}: expected an array of at least 1 dimension, got a 0-d array")
    a = _normalize_axis(axis, x.ndim, func)
    if n is None:
        _implied(x, a, func, inverse_real)
        k = None
    else:
        k = _size(n, func)
    return k, a, _norm(norm, func)


def _n_d(
    x: Any, s: object, axes: object, norm: object, func: str, *, inverse_real: builtins.bool = False
) -> tuple[list[int] | None, list[int] | None, str]:
    """Validate ``s``/``axes``; ``s`` entries of -1 resolve to the input's (implied) size."""
    nm = _norm(norm, func)
    if axes is None:
        if s is not None:
            raise ValueError(f"{func}: axes must be given when s is given")
        for a in range(x.ndim):
            _implied(x, a, func, inverse_real and a == x.ndim - 1)
        return None, None, nm
    if not isinstance(axes, Sequence) or isinstance(axes, str):
        raise TypeError(f"{func}: axes must be a sequence of ints, got {type(axes).__name__}")
    ax = [_normalize_axis(a, x.ndim, func) for a in axes]
    if s is None:
        for i, a in enumerate(ax):
            _implied(x, a, func, inverse_real and i == len(ax) - 1)
        return None, ax, nm
    if not isinstance(s, Sequence) or isinstance(s, str):
        raise TypeError(f"{func}: s must be a sequence of ints, got {type(s).__name__}")
    if len(s) != len(ax):
        raise ValueError(
            f"{func}: s and axes must have the same length, got {len(s)} and {len(ax)}"
        )
    sizes = []
    for i, (k, a) in enumerate(zip(s, ax, strict=True)):
        if _check_int(k, func, f"s[{i}]") == -1:
            k = _implied(x, a, func, inverse_real and i == len(ax) - 1)
        sizes.append(_size(k, func, f"s[{i}]"))
    _sizes.check_count(math.prod(sizes), 16, func, f"s={tuple(sizes)}")
    return sizes, ax, nm


def _one_d_kernel(
    xp: Any, v: Any, *, name: str, n: Any, axis: int, norm: str, read: Any, dtype: Any
) -> Any:
    v = v.astype(read, copy=False)
    return xp.asarray(getattr(xp.fft, name)(v, n=n, axis=axis, norm=norm)).astype(dtype, copy=False)


def _n_d_kernel(
    xp: Any, v: Any, *, name: str, s: Any, axes: Any, norm: str, read: Any, dtype: Any
) -> Any:
    if read is not None:  # (None: the value as it is, see _transform_n)
        v = v.astype(read, copy=False)
    out = _nd(
        xp, name, v, None if s is None else list(s), None if axes is None else list(axes), norm
    )
    return xp.asarray(out).astype(dtype, copy=False)


_ONE_D: dict[str, Any] = {}
_N_D: dict[str, Any] = {}


def _transform(
    x: Array, func: str, read: Any, dtype: Any, v: Any, n: Any, axis: int, norm: str
) -> Array:
    """The one-dimensional transform ``func`` of ``v`` (``x``'s value, validated; cast to
    ``read``) as one kernel: on JAX jitted, with the casts (eager ``jax.numpy.fft`` spends
    about as long in its argument handling as a small transform takes)."""
    backend = x._backend
    kernel = _ONE_D.get(backend.name) or _compile(
        _ONE_D, backend, _one_d_kernel, ("name", "n", "axis", "norm", "read", "dtype")
    )
    # (the kernel called directly and the result made an array of x's family: a generic
    # runner's *args/**kwargs repacking and the generic wrap cost ~0.5 µs of a small
    # NumPy transform)
    try:
        with quiet():
            out = kernel(v, name=func, n=n, axis=axis, norm=norm, read=read, dtype=dtype)
    except Exception as e:
        _raise_named(e, func)
    return x._new(out)


def _transform_n(
    x: Array, func: str, read: Any, dtype: Any, v: Any, s: Any, axes: Any, norm: str
) -> Array:
    """The n-dimensional transform ``func`` of ``v`` as one kernel (see _transform)."""
    backend = x._backend
    kernel = _N_D.get(backend.name) or _compile(
        _N_D, backend, _n_d_kernel, ("name", "s", "axes", "norm", "read", "dtype")
    )
    s = None if s is None else tuple(s)
    axes = None if axes is None else tuple(axes)
    if read is not None and backend.caps.fft_takes_float64 and v.dtype == _dtypes.float64:
        read = None  # the backend reads float64 itself: no complex copy held (peak memory)
    try:
        with quiet():
            out = kernel(v, name=func, s=s, axes=axes, norm=norm, read=read, dtype=dtype)
    except Exception as e:
        _raise_named(e, func)
    return x._new(out)


def _compile(cache: dict[str, Any], backend: Any, kernel: Any, statics: tuple[str, ...]) -> Any:
    """The backend's composite of ``kernel`` (static parameters ``statics``), kept in
    ``cache`` under the backend's name."""
    compiled = cache[backend.name] = backend.composite(kernel, statics)
    return compiled


def _raise_named(e: Exception, func: str) -> NoReturn:
    """Raise ``_error(e, func)``: ``e`` itself as it was, or its replacement without it."""
    err = _error(e, func)
    if err is e:
        raise e
    raise err from None


def _error(e: Exception, func: str) -> BaseException:
    """The error to raise for the backend's ``e`` in ``func``: a ValueError naming ``func``,
    out of memory as storax's MemoryError, anything else ``e`` itself."""
    if isinstance(e, ValueError):
        return ValueError(f"{func}: {e}")
    return _sizes.out_of_memory(e, func)


def _nd(xp: Any, name: str, x: Any, s: list[int] | None, axes: list[int] | None, norm: str) -> Any:
    """The backend's n-dimensional transform ``name`` ("fftn", "ifftn", "rfftn", "irfftn").

    # Note: jax.numpy rejects repeated axes (the specification leaves them
    # implementation-defined); there storax applies the one-dimensional transforms axis by
    # axis in NumPy's order and with NumPy's sizes, so both backends agree.
    """
    if axes is None or len(set(axes)) == len(axes):
        return getattr(xp.fft, name)(x, s=s, axes=axes, norm=norm)
    if s is None:  # sizes from the input's shape, fixed before any transform
        s = [x.shape[a] for a in axes]
        if name == "irfftn":
            s[-1] = 2 * (x.shape[axes[-1]] - 1)
    pairs = list(zip(s, axes, strict=True))
    if name == "irfftn":
        n, a = pairs.pop()
        for m, b in pairs:
            x = xp.fft.ifft(x, n=m, axis=b, norm=norm)
        return xp.fft.irfft(x, n=n, axis=a, norm=norm)
    if name == "rfftn":
        n, a = pairs.pop()
        x = xp.fft.rfft(x, n=n, axis=a, norm=norm)
    one = xp.fft.ifft if name == "ifftn" else xp.fft.fft
    for m, b in reversed(pairs):
        x = one(x, n=m, axis=b, norm=norm)
    return x


# ----------------------------------------------------------------------------- transforms


def fft(x: Array, /, *, n: int | None = None, axis: int = -1, norm: str = "backward") -> Array:
    """https://data-apis.org/array-api/latest/extensions/generated/array_api.fft.fft.html"""
    v, r = _input(x, "fft", "complex")
    k, a, nm = _one_d(v, n, axis, norm, "fft")
    return _transform(x, "fft", r, r, v, k, a, nm)


def ifft(x: Array, /, *, n: int | None = None, axis: int = -1, norm: str = "backward") -> Array:
    """https://data-apis.org/array-api/latest/extensions/generated/array_api.fft.ifft.html"""
    v, r = _input(x, "ifft", "complex")
    k, a, nm = _one_d(v, n, axis, norm, "ifft")
    return _transform(x, "ifft", r, r, v, k, a, nm)


def fftn(
    x: Array,
    /,
    *,
    s: Sequence[int] | None = None,
    axes: Sequence[int] | None = None,
    norm: str = "backward",
) -> Array:
    """https://data-apis.org/array-api/latest/extensions/generated/array_api.fft.fftn.html"""
    v, r = _input(x, "fftn", "complex")
    sz, ax, nm = _n_d(v, s, axes, norm, "fftn")
    return _transform_n(x, "fftn", r, r, v, sz, ax, nm)


def ifftn(
    x: Array,
    /,
    *,
    s: Sequence[int] | None = None,
    axes: Sequence[int] | None = None,
    norm: str = "backward",
) -> Array:
    """https://data-apis.org/array-api/latest/extensions/generated/array_api.fft.ifftn.html"""
    v, r = _input(x, "ifftn", "complex")
    sz, ax, nm = _n_d(v, s, axes, norm, "ifftn")
    return _transform_n(x, "ifftn", r, r, v, sz, ax, nm)


def rfft(x: Array, /, *, n: int | None = None, axis: int = -1, norm: str = "backward") -> Array:
    """https://data-apis.org/array-api/latest/extensions/generated/array_api.fft.rfft.html"""
    v, r = _input(x, "rfft", "real")
    k, a, nm = _one_d(v, n, axis, norm, "rfft")
    return _transform(x, "rfft", r, _complex_of(r), v, k, a, nm)


def irfft(x: Array, /, *, n: int | None = None, axis: int = -1, norm: str = "backward") -> Array:
    """https://data-apis.org/array-api/latest/extensions/generated/array_api.fft.irfft.html"""
    v, r = _input(x, "irfft", "complex")
    k, a, nm = _one_d(v, n, axis, norm, "irfft", inverse_real=True)
    return _transform(x, "irfft", r, _real_of(r), v, k, a, nm)


def rfftn(
    x: Array,
    /,
    *,
    s: Sequence[int] | None = None,
    axes: Sequence[int] | None = None,
    norm: str = "backward",
) -> Array:
    """https://data-apis.org/array-api/latest/extensions/generated/array_api.fft.rfftn.html"""
    v, r = _input(x, "rfftn", "real")
    sz, ax, nm = _n_d(v, s, axes, norm, "rfftn")
    return _transform_n(x, "rfftn", r, _complex_of(r), v, sz, ax, nm)


def irfftn(
    x: Array,
    /,
    *,
    s: Sequence[int] | None = None,
    axes: Sequence[int] | None = None,
    norm: str = "backward",
) -> Array:
    """https://data-apis.org/array-api/latest/extensions/generated/array_api.fft.irfftn.html"""
    v, r = _input(x, "irfftn", "complex")
    sz, ax, nm = _n_d(v, s, axes, norm, "irfftn", inverse_real=True)
    return _transform_n(x, "irfftn", r, _real_of(r), v, sz, ax, nm)


def hfft(x: Array, /, *, n: int | None = None, axis: int = -1, norm: str = "backward") -> Array:
    """https://data-apis.org/array-api/latest/extensions/generated/array_api.fft.hfft.html"""
    v, r = _input(x, "hfft", "complex")
    k, a, nm = _one_d(v, n, axis, norm, "hfft", inverse_real=True)
    return _transform(x, "hfft", r, _real_of(r), v, k, a, nm)


def ihfft(x: Array, /, *, n: int | None = None, axis: int = -1, norm: str = "backward") -> Array:
    """https://data-apis.org/array-api/latest/extensions/generated/array_api.fft.ihfft.html"""
    v, r = _input(x, "ihfft", "real")
    k, a, nm = _one_d(v, n, axis, norm, "ihfft")
    return _transform(x, "ihfft", r, _complex_of(r), v, k, a, nm)


# ----------------------------------------------------------------------------- frequencies


def _freq_args(
    n: object, d: object, dtype: Any, device: Any, func: str
) -> tuple[int, float, Any, Any, Any]:
    """Validate the arguments; return ``n``, ``d``, the dtype, the backend's array module and
    its own device object."""
    k = _size(n, func)
    if isinstance(d, builtins.bool) or not isinstance(d, (int, float)):
        raise TypeError(f"{func}: d must be a float, got {type(d).__name__}")
    if d == 0:
        raise ValueError(f"{func}: d must be non-zero")
    dev = as_device(device, func)
    b = backend_for_device(dev, func)
    if dtype is None:
        dt = default_float(b)
    else:
        dt = _dtypes.check_dtype(dtype, func)
        _dtypes.check_category(dt, "real floating-point", func)
        check_supported(dt, b, dev, func)
    return k, float(d), dt, b.xp, native_device(dev, b)


def fftfreq(n: int, /, *, d: float = 1.0, dtype: Any = None, device: Any = None) -> Array:
    """https://data-apis.org/array-api/latest/extensions/generated/array_api.fft.fftfreq.html"""
    k, step, dt, xp, dev = _freq_args(n, d, dtype, device, "fftfreq")
    # Computed in float64 (the backends' default), then rounded once to ``dtype``.
    value = _sizes.allocate("fftfreq", xp.fft.fftfreq, k, d=step, device=dev)
    return _wrap(value.astype(dt, copy=False))


def rfftfreq(n: int, /, *, d: float = 1.0, dtype: Any = None, device: Any = None) -> Array:
    """https://data-apis.org/array-api/latest/extensions/generated/array_api.fft.rfftfreq.html"""
    k, step, dt, xp, dev = _freq_args(n, d, dtype, device, "rfftfreq")
    value = _sizes.allocate("rfftfreq", xp.fft.rfftfreq, k, d=step, device=dev)
    return _wrap(value.astype(dt, copy=False))


# ----------------------------------------------------------------------------- shifts


def _shift(x: object, axes: object, func: str, sign: int) -> Array:
    a = _check_array(x, func)
    # Note: the specification asks floating-point input; a shift only moves elements, so
    # storax accepts every dtype, as NumPy and PyTorch do.
    v = a._value
    if axes is None:
        ax = list(range(v.ndim))
    elif isinstance(axes, int) and not isinstance(axes, builtins.bool):
        ax = [_normalize_axis(axes, v.ndim, func)]
    elif isinstance(axes, Sequence) and not isinstance(axes, str):
        ax = [_normalize_axis(i, v.ndim, func) for i in axes]
    else:
        raise TypeError(f"{func}: axes must be an int or a sequence of ints, got {axes!r}")
    if not ax:
        return _wrap(v.copy())
    # fftshift rolls by floor(n/2), ifftshift by -floor(n/2).
    shifts = [sign * (v.shape[i] // 2) for i in ax]
    return _wrap(a._backend.xp.roll(v, shifts, axis=ax))


def fftshift(x: Array, /, *, axes: int | Sequence[int] | None = None) -> Array:
    """https://data-apis.org/array-api/latest/extensions/generated/array_api.fft.fftshift.html"""
    return _shift(x, axes, "fftshift", 1)


def ifftshift(x: Array, /, *, axes: int | Sequence[int] | None = None) -> Array:
    """https://data-apis.org/array-api/latest/extensions/generated/array_api.fft.ifftshift.html"""
    return _shift(x, axes, "ifftshift", -1)
