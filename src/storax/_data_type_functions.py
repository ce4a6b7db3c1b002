"""Data type functions (spec chapter "Data Type Functions")."""

from __future__ import annotations

import builtins
from dataclasses import dataclass
from typing import Any

from . import _dtypes
from ._array_object import Array
from ._backends import is_host_value
from ._backends import wrap as _wrap
from ._config import settings
from ._device_dtypes import requested
from ._names import keep as _keep

__all__ = ["astype", "can_cast", "finfo", "iinfo", "isdtype", "result_type"]


def astype(x: Array, dtype: Any, /, *, copy: builtins.bool = True, device: Any = None) -> Array:
    """https://data-apis.org/array-api/latest/API_specification/generated/array_api.astype.html"""
    if not isinstance(x, Array):
        # Note: as every function that takes arrays, astype takes NumPy arrays and
        # scalars (they go to the current backend, or to ``device``).
        from ._manipulation_functions import _as_array

        x = _as_array(x, "astype")
    d = _dtypes.check_dtype(dtype, "astype")
    if device is not None:
        if d != x.dtype and (x._backend.x64 or d in x._backend.supported_dtypes):
            # cast where the data is, then move (a device without 64-bit types takes the
            # result of casting float64 data to float32, not the float64 data)
            return _cast(x, d, "astype").to_device(device)
        x = x.to_device(device)
    if d == x.dtype:
        return _keep(x, _wrap(x._value.copy())) if copy else x
    return _cast(x, d, "astype")


def _cast(x: Array, d: Any, func: str) -> Array:
    """``x`` cast to the dtype ``d`` (not ``x``'s): the one cast of every backend, behind
    ``astype``, ``Array.to`` and the ``Array.float()``-style methods; ``func`` names the
    caller in errors."""
    requested(d, x, func)
    v = x._value
    if v.dtype.kind == "c" and d.kind != "c":
        if d.kind == "b":
            # The spec: "a value of 0 + 0j must cast to False, and all other values must
            # cast to True" (bool is not one of the real-valued dtypes).
            return _keep(x, _wrap(v != 0))
        # The spec: "casting a complex floating-point array to a real-valued data type
        # should not be permitted" (which part to keep would be an arbitrary choice).
        raise TypeError(
            f"{func}: cannot cast {v.dtype} to the real-valued {d}; take real(x) or imag(x) first"
        )
    if v.dtype.kind == "f":
        # Note: NaN, infinity and out-of-range floats cast to integers give values the spec
        # leaves implementation-dependent (and which differ by backend); storax gives the
        # backend's values, without NumPy's RuntimeWarning, on every backend alike.
        with x._backend.quiet():
            return _keep(x, _wrap(v.astype(d)))
    return _keep(x, _wrap(v.astype(d)))


def _as_dtype(v: Any, func: str) -> Any:
    if isinstance(v, Array):
        return v.dtype
    if is_host_value(v):
        # Note: a NumPy array or scalar (``np.float64(nan)``, xarray's ``where``) counts
        # as an array of its dtype, as NumPy's own result_type counts it.
        return _dtypes.check_dtype(v.dtype, func)
    return _dtypes.check_dtype(v, func)


def can_cast(from_: Any, to: Any, /) -> builtins.bool:
    """https://data-apis.org/array-api/latest/API_specification/generated/array_api.can_cast.html"""
    f = _as_dtype(from_, "can_cast")
    t = _dtypes.check_dtype(to, "can_cast")
    # ``from_`` casts safely to ``to`` when promoting the two gives ``to``: the standard's
    # table within a kind; across kinds (which the standard leaves open) NumPy's rules.
    return builtins.bool(_dtypes.promote(f, t, func="can_cast") == t)


@dataclass(frozen=True)
class finfo_object:
    """Machine limits of a floating-point dtype (``storax.finfo``)."""

    bits: int
    eps: float
    max: float
    min: float
    smallest_normal: float
    dtype: Any


@dataclass(frozen=True)
class iinfo_object:
    """Machine limits of an integer dtype (``storax.iinfo``)."""

    bits: int
    max: int
    min: int
    dtype: Any


def finfo(type: Any, /) -> finfo_object:
    """https://data-apis.org/array-api/latest/API_specification/generated/array_api.finfo.html"""
    d = _as_dtype(type, "finfo")
    if d.kind not in "fc":
        raise TypeError(f"finfo: expected a floating-point dtype, got {d}")
    f = _dtypes.finfo_of(d)
    return finfo_object(
        bits=int(f.bits),
        eps=float(f.eps),
        max=float(f.max),
        min=float(f.min),
        smallest_normal=float(f.smallest_normal),
        dtype=_dtypes.as_dtype(f.dtype),
    )


def iinfo(type: Any, /) -> iinfo_object:
    """https://data-apis.org/array-api/latest/API_specification/generated/array_api.iinfo.html"""
    d = _as_dtype(type, "iinfo")
    if d.kind not in "iu":
        raise TypeError(f"iinfo: expected an integer dtype, got {d}")
    i = _dtypes.iinfo_of(d)
    return iinfo_object(bits=int(i.bits), max=int(i.max), min=int(i.min), dtype=d)


def isdtype(dtype: Any, kind: Any) -> builtins.bool:
    """https://data-apis.org/array-api/latest/API_specification/generated/array_api.isdtype.html"""
    d = _dtypes.check_dtype(dtype, "isdtype")
    if isinstance(kind, tuple):
        return builtins.any(isdtype(d, k) for k in kind)
    if isinstance(kind, str):
        try:
            return d in _dtypes.ISDTYPE_KINDS[kind]
        except KeyError:
            raise ValueError(f"isdtype: unknown kind {kind!r}") from None
    return d == _dtypes.check_dtype(kind, "isdtype")


def result_type(*arrays_and_dtypes: Any) -> Any:
    """https://data-apis.org/array-api/latest/API_specification/generated/array_api.result_type.html"""
    if not arrays_and_dtypes:
        raise ValueError("result_type: at least one array or dtype is required")
    dtypes = []
    scalars = []
    for a in arrays_and_dtypes:
        if type(a) in (builtins.bool, int, float, complex):
            scalars.append(a)
        else:
            dtypes.append(_as_dtype(a, "result_type"))
    if not dtypes:
        raise ValueError("result_type: at least one array or dtype is required")
    r = dtypes[0]
    for d in dtypes[1:]:
        r = _dtypes.promote(r, d)
    for s in scalars:
        r = _promote_scalar(r, s)
    return r


def _promote_scalar(d: Any, s: Any) -> Any:
    """A Python scalar takes the dtype it meets if its kind fits (the spec's rule).

    # Note: where the kinds do not fit (the spec leaves it open), storax follows PyTorch:
    # an int with bool gives the default int, a float with bool/int the default float, a
    # complex with bool/int the default complex, a complex with a real float the complex
    # of that float's precision.
    """
    t = type(s)
    k = d.kind
    if t is builtins.bool:
        return d
    if t is int:
        return settings.default_int if k == "b" else d
    if t is float:
        return d if k in "fc" else settings.default_float
    if k == "c":
        return d
    if k == "f":
        return _dtypes.promote(d, _dtypes.complex64)
    return settings.default_complex
