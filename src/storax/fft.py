"""The ``fft`` extension (spec chapter "Fourier Transform Functions"): discrete Fourier
transforms, their sample frequencies and shifts, computed by the backend's FFT.

Results keep the input's precision: float32/complex64 in gives float32/complex64 out.
"""

from __future__ import annotations

import builtins
from collections.abc import Sequence
from typing import Any

from . import _dtypes
from ._array_object import Array, _wrap
from ._backends import _numpy as _npb
from ._backends import backend_for_device
from ._config import settings
from ._device import as_device
from ._linear_algebra_functions import _check_array, _check_int, _normalize_axis

np = _npb.np_

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


def _input(x: object, func: str, kind: str) -> Any:
    """Validate ``x`` and return its backend value in the dtype the transform reads.

    ``kind`` is "complex" (complex input; real floating input is promoted) or "real".
    """
    a = _check_array(x, func)
    if kind == "real":
        _dtypes.check_category(a.dtype, "real floating-point", func)
        return a._value
    # Note: the specification asks complex input of these transforms; storax also accepts
    # real floating input, promoted to the complex dtype of its precision, as NumPy does.
    _dtypes.check_category(a.dtype, "floating-point", func)
    return a._value.astype(_complex_of(a.dtype), copy=False)


def _norm(norm: object, func: str) -> str:
    if not isinstance(norm, str) or norm not in _NORMS:
        raise ValueError(f"{func}: norm must be one of {_NORMS}, got {norm!r}")
    return norm


def _size(n: object, func: str, name: str = "n") -> int:
    k = _check_int(n, func, name)
    if k < 1:
        raise ValueError(f"{func}: {name} must be a positive number of points, got {k}")
    return k


def _one_d(x: Any, n: object, axis: object, norm: object, func: str) -> tuple[int | None, int, str]:
    if x.ndim == 0:
        raise ValueError(f"{func}: expected an array of at least 1 dimension, got a 0-d array")
    a = _normalize_axis(axis, x.ndim, func)
    k = None if n is None else _size(n, func)
    return k, a, _norm(norm, func)


def _n_d(
    x: Any, s: object, axes: object, norm: object, func: str, *, inverse_real: builtins.bool = False
) -> tuple[list[int] | None, list[int] | None, str]:
    """Validate ``s``/``axes``; ``s`` entries of -1 resolve to the input's (implied) size."""
    nm = _norm(norm, func)
    if axes is None:
        if s is not None:
            raise ValueError(f"{func}: axes must be given when s is given")
        return None, None, nm
    if not isinstance(axes, Sequence) or isinstance(axes, str):
        raise TypeError(f"{func}: axes must be a sequence of ints, got {type(axes).__name__}")
    ax = [_normalize_axis(a, x.ndim, func) for a in axes]
    if s is None:
        return None, ax, nm
    if not isinstance(s, Sequence) or isinstance(s, str):
        raise TypeError(f"{func}: s must be a sequence of ints, got {type(s).__name__}")
    if len(s) != len(ax):
        raise ValueError(
            f"{func}: s and axes must have the same length, got {len(s)} and {len(ax)}"
        )
    sizes = []
    for i, (k, a) in enumerate(zip(s, ax, strict=True)):
        if _check_int(k, func, "s[i]") == -1:
            last = inverse_real and i == len(ax) - 1
            k = 2 * (x.shape[a] - 1) if last else x.shape[a]
        sizes.append(_size(k, func, f"s[{i}]"))
    return sizes, ax, nm


def _call(f: Any, func: str, x: Any, dtype: Any, *args: Any, **kwargs: Any) -> Array:
    try:
        with np.errstate(all="ignore"):
            out = f(x, *args, **kwargs)
    except ValueError as e:
        raise ValueError(f"{func}: {e}") from None
    # Note: storax returns the precision the specification asks, whatever the backend computed.
    return _wrap(np.asarray(out).astype(dtype, copy=False))


# ----------------------------------------------------------------------------- transforms


def fft(x: Array, /, *, n: int | None = None, axis: int = -1, norm: str = "backward") -> Array:
    """https://data-apis.org/array-api/latest/extensions/generated/array_api.fft.fft.html"""
    v = _input(x, "fft", "complex")
    k, a, nm = _one_d(v, n, axis, norm, "fft")
    return _call(np.fft.fft, "fft", v, v.dtype, n=k, axis=a, norm=nm)


def ifft(x: Array, /, *, n: int | None = None, axis: int = -1, norm: str = "backward") -> Array:
    """https://data-apis.org/array-api/latest/extensions/generated/array_api.fft.ifft.html"""
    v = _input(x, "ifft", "complex")
    k, a, nm = _one_d(v, n, axis, norm, "ifft")
    return _call(np.fft.ifft, "ifft", v, v.dtype, n=k, axis=a, norm=nm)


def fftn(
    x: Array,
    /,
    *,
    s: Sequence[int] | None = None,
    axes: Sequence[int] | None = None,
    norm: str = "backward",
) -> Array:
    """https://data-apis.org/array-api/latest/extensions/generated/array_api.fft.fftn.html"""
    v = _input(x, "fftn", "complex")
    sz, ax, nm = _n_d(v, s, axes, norm, "fftn")
    return _call(np.fft.fftn, "fftn", v, v.dtype, s=sz, axes=ax, norm=nm)


def ifftn(
    x: Array,
    /,
    *,
    s: Sequence[int] | None = None,
    axes: Sequence[int] | None = None,
    norm: str = "backward",
) -> Array:
    """https://data-apis.org/array-api/latest/extensions/generated/array_api.fft.ifftn.html"""
    v = _input(x, "ifftn", "complex")
    sz, ax, nm = _n_d(v, s, axes, norm, "ifftn")
    return _call(np.fft.ifftn, "ifftn", v, v.dtype, s=sz, axes=ax, norm=nm)


def rfft(x: Array, /, *, n: int | None = None, axis: int = -1, norm: str = "backward") -> Array:
    """https://data-apis.org/array-api/latest/extensions/generated/array_api.fft.rfft.html"""
    v = _input(x, "rfft", "real")
    k, a, nm = _one_d(v, n, axis, norm, "rfft")
    return _call(np.fft.rfft, "rfft", v, _complex_of(v.dtype), n=k, axis=a, norm=nm)


def irfft(x: Array, /, *, n: int | None = None, axis: int = -1, norm: str = "backward") -> Array:
    """https://data-apis.org/array-api/latest/extensions/generated/array_api.fft.irfft.html"""
    v = _input(x, "irfft", "complex")
    k, a, nm = _one_d(v, n, axis, norm, "irfft")
    return _call(np.fft.irfft, "irfft", v, _real_of(v.dtype), n=k, axis=a, norm=nm)


def rfftn(
    x: Array,
    /,
    *,
    s: Sequence[int] | None = None,
    axes: Sequence[int] | None = None,
    norm: str = "backward",
) -> Array:
    """https://data-apis.org/array-api/latest/extensions/generated/array_api.fft.rfftn.html"""
    v = _input(x, "rfftn", "real")
    sz, ax, nm = _n_d(v, s, axes, norm, "rfftn")
    return _call(np.fft.rfftn, "rfftn", v, _complex_of(v.dtype), s=sz, axes=ax, norm=nm)


def irfftn(
    x: Array,
    /,
    *,
    s: Sequence[int] | None = None,
    axes: Sequence[int] | None = None,
    norm: str = "backward",
) -> Array:
    """https://data-apis.org/array-api/latest/extensions/generated/array_api.fft.irfftn.html"""
    v = _input(x, "irfftn", "complex")
    sz, ax, nm = _n_d(v, s, axes, norm, "irfftn", inverse_real=True)
    return _call(np.fft.irfftn, "irfftn", v, _real_of(v.dtype), s=sz, axes=ax, norm=nm)


def hfft(x: Array, /, *, n: int | None = None, axis: int = -1, norm: str = "backward") -> Array:
    """https://data-apis.org/array-api/latest/extensions/generated/array_api.fft.hfft.html"""
    v = _input(x, "hfft", "complex")
    k, a, nm = _one_d(v, n, axis, norm, "hfft")
    return _call(np.fft.hfft, "hfft", v, _real_of(v.dtype), n=k, axis=a, norm=nm)


def ihfft(x: Array, /, *, n: int | None = None, axis: int = -1, norm: str = "backward") -> Array:
    """https://data-apis.org/array-api/latest/extensions/generated/array_api.fft.ihfft.html"""
    v = _input(x, "ihfft", "real")
    k, a, nm = _one_d(v, n, axis, norm, "ihfft")
    return _call(np.fft.ihfft, "ihfft", v, _complex_of(v.dtype), n=k, axis=a, norm=nm)


# ----------------------------------------------------------------------------- frequencies


def _freq_args(n: object, d: object, dtype: Any, device: Any, func: str) -> tuple[int, float, Any]:
    k = _size(n, func)
    if isinstance(d, builtins.bool) or not isinstance(d, (int, float)):
        raise TypeError(f"{func}: d must be a float, got {type(d).__name__}")
    if d == 0:
        raise ValueError(f"{func}: d must be non-zero")
    if dtype is None:
        dt = settings.default_float
    else:
        dt = _dtypes.check_dtype(dtype, func)
        _dtypes.check_category(dt, "real floating-point", func)
    backend_for_device(as_device(device, func), func)
    return k, float(d), dt


def fftfreq(n: int, /, *, d: float = 1.0, dtype: Any = None, device: Any = None) -> Array:
    """https://data-apis.org/array-api/latest/extensions/generated/array_api.fft.fftfreq.html"""
    k, step, dt = _freq_args(n, d, dtype, device, "fftfreq")
    return _wrap(np.fft.fftfreq(k, d=step).astype(dt, copy=False))


def rfftfreq(n: int, /, *, d: float = 1.0, dtype: Any = None, device: Any = None) -> Array:
    """https://data-apis.org/array-api/latest/extensions/generated/array_api.fft.rfftfreq.html"""
    k, step, dt = _freq_args(n, d, dtype, device, "rfftfreq")
    return _wrap(np.fft.rfftfreq(k, d=step).astype(dt, copy=False))


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
    return _wrap(np.roll(v, shifts, axis=ax))


def fftshift(x: Array, /, *, axes: int | Sequence[int] | None = None) -> Array:
    """https://data-apis.org/array-api/latest/extensions/generated/array_api.fft.fftshift.html"""
    return _shift(x, axes, "fftshift", 1)


def ifftshift(x: Array, /, *, axes: int | Sequence[int] | None = None) -> Array:
    """https://data-apis.org/array-api/latest/extensions/generated/array_api.fft.ifftshift.html"""
    return _shift(x, axes, "ifftshift", -1)
