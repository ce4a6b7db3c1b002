"""Element-wise functions (spec chapter "Element-wise Functions"), generated from a table.

Each function checks its arguments' dtypes against the category the specification names,
then calls a *kernel*: the NumPy ufunc itself, or a wrapper that corrects NumPy where it
departs from the specification's special cases (only on the affected elements, so the
common path stays one ufunc call). Binary functions accept a Python scalar for one argument
(2024.12), which takes the array's dtype (NumPy's NEP 50 "weak scalar" promotion).
The Array's operators (``_operators.py``) share these kernels and scalar rules. Arrays of
another backend (JAX) are validated the same way, then computed by ``_elementwise_xp``.
"""

from __future__ import annotations

import builtins
import math
import types
from typing import Any

from . import _backends, _dtypes, _elementwise_xp
from ._array_object import Array, _from_host_operand, _wrap
from ._backends import _numpy as _npb
from ._device import CPU

np = _npb.np_
_ndarray = _npb.ndarray
_generic = _npb.generic
_object_new = object.__new__
_CATS = _dtypes.CATEGORIES
_SPEC_URL = "https://data-apis.org/array-api/latest/API_specification/generated/array_api.{}.html"

_FLOATING = _CATS["floating-point"]
_COMPLEX = _CATS["complex floating-point"]
_BOOL = _CATS["boolean"]
_HOST = types.SimpleNamespace(device=CPU)  # the device of every NumPy-backed operand


# --------------------------------------------------------------------------- kernels
# A kernel takes backend values (ndarrays, NumPy scalars or Python scalars) and returns
# the backend result. Corrections run only when the inputs can hit the affected cases.


def _ignore_fp() -> Any:
    return np.errstate(invalid="ignore", divide="ignore", over="ignore")


def _floor_divide(a: Any, b: Any) -> Any:
    if not (_has_inf(a) or _has_inf(b)):
        return np.floor_divide(a, b)
    # Note: NumPy follows Python here: ``inf // 2`` is NaN and ``-1 // inf`` is -1.0; the
    # standard asks for the true quotient's sign and magnitude (``±inf`` and ``±0``), which
    # is ``x1 / x2`` wherever exactly one operand is infinite. NumPy's floating-point
    # warnings are kept elsewhere (as NumPy); on these corrected inputs they are dropped.
    with _ignore_fp():
        r = np.asarray(np.floor_divide(a, b))
        fix = np.isinf(a) != np.isinf(b)
        if r.dtype.kind == "f" and fix.any():
            r = np.array(r, copy=True)
            np.copyto(r, np.true_divide(a, b), where=fix, casting="unsafe")
    return r


def _has_inf(v: Any) -> builtins.bool:
    """Whether a floating-point operand holds an infinity (False for other dtypes)."""
    t = type(v)
    if t is float:
        return math.isinf(v)
    if t is int or t is builtins.bool or v.dtype.kind not in "fc":
        return False
    return not np.isfinite(v).all()


def _pow(a: Any, b: Any) -> Any:
    if type(b) is int:
        # ``x ** 2`` is common: square() is exact and twice as fast as power().
        return np.square(a) if b == 2 else np.power(a, b)
    if not _half_power_hazard(a, b):
        return np.power(a, b)
    # Note: for a scalar exponent of 0.5 NumPy computes ``sqrt(x1)``, which gives
    # ``(-0.0) ** 0.5 = -0.0`` and ``(-inf) ** 0.5 = NaN``; the standard (and C99) give +0
    # and +inf. Recompute those elements as ``|x1| ** x2``, negated for odd integer x2.
    with _ignore_fp():
        r = np.asarray(np.power(a, b))
        if r.dtype.kind != "f":
            return r
        a_ = np.asarray(a, dtype=r.dtype)
        fix = np.signbit(a_) & ((a_ == 0) | np.isinf(a_))
        if fix.any():
            mag = np.power(np.negative(a_), b)
            odd = np.remainder(b, 2) == 1
            r = np.array(r, copy=True)
            np.copyto(r, np.where(odd, np.negative(mag), mag), where=fix, casting="unsafe")
    return r


def _half_power_hazard(a: Any, b: Any) -> builtins.bool:
    """Whether ``a ** b`` may meet NumPy's fast path for a scalar non-integer exponent
    with a base holding -0 or -inf (cheap and conservative)."""
    tb = type(b)
    if tb is float:
        if b.is_integer():
            return False
    elif tb is _ndarray or isinstance(b, _generic):
        if b.ndim != 0 or b.dtype.kind != "f" or float(b).is_integer():
            return False
    else:
        return False
    ta = type(a)
    if ta is float:
        return math.copysign(1.0, a) < 0 and (a == 0 or math.isinf(a))
    if ta is int or ta is builtins.bool or a.dtype.kind != "f":
        return False
    return builtins.bool(np.signbit(a).any())


def _expm1(x: Any) -> Any:
    if x.dtype.kind != "c" or (np.isfinite(x).all() and x.all()):
        return np.expm1(x)
    # Note: NumPy's complex expm1 gives ``expm1(-0+0j) = -0+0j`` and NaN components for
    # infinite real parts; recompute those elements by the standard's rules.
    with _ignore_fp():
        r = np.array(np.expm1(x), copy=True)
        a, b = x.real, x.imag
        fix = ~np.isfinite(x) | (x == 0)
        finite_b = np.isfinite(b)
        re = np.where(
            b == 0,
            np.expm1(a) + 0.0,  # (±0 or NaN or ±inf) + 0j: +0 / NaN / inf / -1
            np.where(
                a == -np.inf,
                -1.0,
                np.where(a == np.inf, np.where(finite_b, a * np.cos(b), np.inf), np.nan),
            ),
        )
        im = np.where(
            b == 0,
            b,
            np.where(
                a == -np.inf,
                np.where(finite_b, 0.0 * np.sin(b), 0.0),
                np.where((a == np.inf) & finite_b, a * np.sin(b), np.nan),
            ),
        )
        np.copyto(r, re + 1j * 0.0, where=fix)
        np.copyto(r.imag, im, where=fix)
    return r


def _tanh(x: Any) -> Any:
    if x.dtype.kind != "c" or np.isfinite(x.real).all():
        return np.tanh(x)
    # Note: NumPy gives ``tanh(inf + bj)`` an imaginary part ``-0`` for some finite b; the
    # standard (C99 ctanh) gives ``±1 + 0j`` with the sign of b.
    with _ignore_fp():
        r = np.array(np.tanh(x), copy=True)
    fix = np.isinf(x.real)
    np.copyto(r.real, np.sign(x.real), where=fix)
    np.copyto(r.imag, np.copysign(0.0, x.imag), where=fix)
    return r


def _copy(impl: Any) -> Any:
    """A kernel that always returns a fresh array (NumPy returns views or read-only arrays)."""

    def kernel(x: Any) -> Any:
        return np.array(impl(x), copy=True)

    return kernel


# name -> (kernel, category of the input the spec requires)
_UNARY: dict[str, tuple[Any, str]] = {
    "abs": (np.abs, "numeric"),
    "acos": (np.arccos, "floating-point"),
    "acosh": (np.arccosh, "floating-point"),
    "asin": (np.arcsin, "floating-point"),
    "asinh": (np.arcsinh, "floating-point"),
    "atan": (np.arctan, "floating-point"),
    "atanh": (np.arctanh, "floating-point"),
    "bitwise_invert": (np.invert, "integer or boolean"),
    "ceil": (np.ceil, "real-valued"),
    "conj": (np.conj, "numeric"),
    "cos": (np.cos, "floating-point"),
    "cosh": (np.cosh, "floating-point"),
    "exp": (np.exp, "floating-point"),
    "expm1": (_expm1, "floating-point"),
    "floor": (np.floor, "real-valued"),
    # Note: ``real``/``imag`` copy: NumPy returns a strided view into the complex buffer
    # (a different dtype than its storage), or the input itself, or a read-only array.
    "imag": (_copy(np.imag), "floating-point"),
    "isfinite": (np.isfinite, "numeric"),
    "isinf": (np.isinf, "numeric"),
    "isnan": (np.isnan, "numeric"),
    "log": (np.log, "floating-point"),
    "log1p": (np.log1p, "floating-point"),
    "log2": (np.log2, "floating-point"),
    "log10": (np.log10, "floating-point"),
    "logical_not": (np.logical_not, "boolean"),
    "negative": (np.negative, "numeric"),
    "positive": (np.positive, "numeric"),
    "real": (_copy(np.real), "numeric"),
    "reciprocal": (np.reciprocal, "floating-point"),
    # NumPy rounds halves to even, as the standard asks.
    "round": (np.round, "numeric"),
    "sign": (np.sign, "numeric"),
    "signbit": (np.signbit, "real floating-point"),
    "sin": (np.sin, "floating-point"),
    "sinh": (np.sinh, "floating-point"),
    "square": (np.square, "numeric"),
    "sqrt": (np.sqrt, "floating-point"),
    "tan": (np.tan, "floating-point"),
    "tanh": (_tanh, "floating-point"),
    "trunc": (np.trunc, "real-valued"),
}

# NumPy's shifts already follow the standard for counts >= the bit width (0, or the sign
# fill for right shifts of negative values); its integer arithmetic wraps on overflow.
_BINARY: dict[str, tuple[Any, str]] = {
    "add": (np.add, "numeric"),
    "atan2": (np.arctan2, "real floating-point"),
    "bitwise_and": (np.bitwise_and, "integer or boolean"),
    "bitwise_left_shift": (np.left_shift, "integer"),
    "bitwise_or": (np.bitwise_or, "integer or boolean"),
    "bitwise_right_shift": (np.right_shift, "integer"),
    "bitwise_xor": (np.bitwise_xor, "integer or boolean"),
    "copysign": (np.copysign, "real floating-point"),
    # Note: storax, like NumPy and PyTorch, also divides integer arrays (a floating result).
    "divide": (np.true_divide, "numeric"),
    "equal": (np.equal, "any"),
    "floor_divide": (_floor_divide, "real-valued"),
    "greater": (np.greater, "real-valued"),
    "greater_equal": (np.greater_equal, "real-valued"),
    "hypot": (np.hypot, "real floating-point"),
    "less": (np.less, "real-valued"),
    "less_equal": (np.less_equal, "real-valued"),
    "logaddexp": (np.logaddexp, "real floating-point"),
    "logical_and": (np.logical_and, "boolean"),
    "logical_or": (np.logical_or, "boolean"),
    "logical_xor": (np.logical_xor, "boolean"),
    "maximum": (np.maximum, "real-valued"),
    "minimum": (np.minimum, "real-valued"),
    "multiply": (np.multiply, "numeric"),
    "nextafter": (np.nextafter, "real floating-point"),
    "not_equal": (np.not_equal, "any"),
    "pow": (_pow, "numeric"),
    "remainder": (np.remainder, "real-valued"),
    "subtract": (np.subtract, "numeric"),
}


# ------------------------------------------------------------------- scalar operands


def scalar_rules(category: str) -> dict[type, frozenset[Any]]:
    """For each Python scalar type, the array dtypes it may be combined with.

    The standard's rules: a bool with a bool array, an int with an integer or floating
    array, a float with a floating array, a complex with a floating array (the result is
    complex). A float with an integer array is implementation-defined; storax follows
    NumPy (a float64 result) except where the function takes integers only. Comparisons
    for equality accept any pairing, as NumPy does.
    """
    allowed = _CATS[category]
    if category == "any":
        return dict.fromkeys((builtins.bool, int, float, complex), allowed)
    non_bool = allowed - _BOOL
    integer_only = not (allowed & _FLOATING)
    return {
        builtins.bool: allowed & _BOOL,
        int: non_bool,
        float: frozenset() if integer_only else non_bool,
        complex: (allowed & _FLOATING) if (allowed & _COMPLEX) else frozenset(),
    }


def named_error(e: Exception, name: str) -> Exception:
    """Re-raise a backend error with the storax function's name in front."""
    for cls in (TypeError, OverflowError, ValueError):
        if isinstance(e, cls):
            return cls(f"{name}: {e}")
    return e


def other_operand(
    x: Any, dtype: Any, name: str, category: str, rules: dict[type, frozenset[Any]]
) -> Any:
    """The backend value of the operand paired with an array of ``dtype``.

    Returns NotImplemented for types storax does not combine with arrays.
    """
    t = type(x)
    ok = rules.get(t)
    if ok is not None:
        if dtype not in ok:
            raise TypeError(f"{name}: a Python {t.__name__} cannot be combined with {dtype} data")
        return x
    if isinstance(x, Array):  # an Array of another backend (a subclass)
        _backends.check_same_device(_HOST, x, name)
        return x._value
    if isinstance(x, (_ndarray, _generic)):
        if x.dtype not in _CATS[category]:
            raise TypeError(f"{name}: expected {category} data, got {x.dtype}")
        return x
    return NotImplemented


def _array_value(x: Any, name: str, category: str) -> Any:
    """The backend value of an argument that must be an array (not a Python scalar)."""
    if isinstance(x, Array):
        v = x._value
    elif isinstance(x, (_ndarray, _generic)):
        v = x
    else:
        raise TypeError(f"{name}: expected a storax array, got {type(x).__name__}")
    if v.dtype not in _CATS[category]:
        raise TypeError(f"{name}: expected an array of {category} data type, got {v.dtype}")
    return v


# ----------------------------------------------------------------------- generation


def _make_unary(name: str, impl: Any, category: str) -> Any:
    allowed = _CATS[category]
    # Arrays of another backend: input dtype -> (backend, kernel), for the dtypes whose
    # kernel needed neither a correction nor a cast (filled by the first such call).
    plain = _PLAIN_UNARY[name] = {}

    def func(x: Array, /) -> Array:
        if type(x) is Array:
            v = x._value
            if v.dtype not in allowed:
                raise TypeError(f"{name}: expected an array of {category} data type, got {v.dtype}")
        else:
            if isinstance(x, Array) and x._backend is not _npb:
                v = x._value
                known = plain.get(v.dtype)
                if known is not None and known[0] is x._backend:
                    return x._from_backend_value(known[1](v))
                return x._from_backend_value(foreign_unary(name, name, x))
            if _host_off_numpy(x):
                return func(_from_host_operand(x))
            v = _array_value(x, name, category)
        r = impl(v)
        if type(r) is not _ndarray:
            r = np.asarray(r)
        a = _object_new(Array)
        a._value = r
        return a

    func.__name__ = func.__qualname__ = name
    func.__doc__ = _SPEC_URL.format(name)
    return func


def _make_binary(name: str, impl: Any, category: str) -> Any:
    allowed = _CATS[category]
    rules = scalar_rules(category)

    def func(x1: Any, x2: Any, /) -> Array:
        if type(x1) is Array:
            a = x1._value
            if a.dtype not in allowed:
                raise TypeError(f"{name}: expected arrays of {category} data type, got {a.dtype}")
            if type(x2) is Array:
                b = x2._value
                if b.dtype not in allowed:
                    raise TypeError(
                        f"{name}: expected arrays of {category} data type, got {b.dtype}"
                    )
            else:
                b = _second(x2, a.dtype, name, category, rules)
        elif type(x2) is Array:
            b = x2._value
            if b.dtype not in allowed:
                raise TypeError(f"{name}: expected arrays of {category} data type, got {b.dtype}")
            a = _second(x1, b.dtype, name, category, rules)
        else:
            if not isinstance(x1, Array) and not isinstance(x2, Array):
                # NumPy operands alone: computed on the current backend
                x1, x2 = _host_operands(x1, x2)
            if _foreign_backend(x1, x2) is not None:
                return _wrap(foreign_binary(name, name, x1, x2))
            a, b = _neither_array(x1, x2, name, category, rules)
        try:
            r = impl(a, b)
        except (TypeError, ValueError, OverflowError) as e:
            raise named_error(e, name) from None
        if type(r) is not _ndarray:
            r = np.asarray(r)
        out = _object_new(Array)
        out._value = r
        return out

    func.__name__ = func.__qualname__ = name
    func.__doc__ = _SPEC_URL.format(name)
    return func


def _second(x: Any, dtype: Any, name: str, category: str, rules: Any) -> Any:
    v = other_operand(x, dtype, name, category, rules)
    if v is NotImplemented:
        raise TypeError(
            f"{name}: expected a storax array or a Python scalar, got {type(x).__name__}"
        )
    return v


def _neither_array(x1: Any, x2: Any, name: str, category: str, rules: Any) -> Any:
    """Operands when neither is a plain storax Array (subclasses, NumPy arrays, scalars)."""
    arrays = (Array, _ndarray, _generic)
    if isinstance(x1, arrays):
        a = _array_value(x1, name, category)
        return a, _second(x2, a.dtype, name, category, rules)
    if isinstance(x2, arrays):
        b = _array_value(x2, name, category)
        return _second(x1, b.dtype, name, category, rules), b
    raise TypeError(
        f"{name}: at least one argument must be an array, got {type(x1).__name__} "
        f"and {type(x2).__name__}"
    )


# ------------------------------------------------------- arrays of other backends
# An Array subclass of another backend (a JaxArray) is validated as above, then computed
# with that backend's array module by ``_elementwise_xp`` (which corrects it where it
# departs from the standard or from NumPy). Mixing backends raises ValueError.


def _host_off_numpy(x: Any) -> bool:
    """Whether ``x`` is a NumPy array/scalar while the current backend is not NumPy's."""
    return isinstance(x, (_ndarray, _generic)) and _backends.current() is not _npb


def _host_operands(x1: Any, x2: Any) -> tuple[Any, Any]:
    """NumPy operands (no storax Array among them) moved to a non-NumPy current backend."""
    if _host_off_numpy(x1):
        x1 = _from_host_operand(x1)
    if _host_off_numpy(x2):
        x2 = _from_host_operand(x2)
    return x1, x2


def _foreign_backend(x1: Any, x2: Any) -> Any:
    for x in (x1, x2):
        if isinstance(x, Array) and x._backend is not _npb:
            return x._backend
    return None


def foreign_unary(func_name: str, name: str, x: Any) -> Any:
    """``func_name(x)`` for an Array ``x`` of another backend, as a backend value
    (errors named ``name``: the function's or the operator's)."""
    impl, category = _UNARY[func_name]
    if x.dtype not in _CATS[category]:
        raise TypeError(f"{name}: expected an array of {category} data type, got {x.dtype}")
    v = x._value
    r, plain_kernel = _elementwise_xp.unary(x._backend, name, func_name, impl, v)
    if plain_kernel is not None and func_name in _PLAIN_UNARY:
        _PLAIN_UNARY[func_name][v.dtype] = (x._backend, plain_kernel)
    return r


_PLAIN_UNARY: dict[str, dict[Any, tuple[Any, Any]]] = {}


def foreign_binary(func_name: str, name: str, x1: Any, x2: Any) -> Any:
    """``func_name(x1, x2)`` where an operand is an Array of another backend, as a backend
    value (errors named ``name``: the function's or the operator's)."""
    impl, category = _BINARY[func_name]
    rules = _RULES.get(func_name)
    if rules is None:
        rules = _RULES[func_name] = scalar_rules(category)
    arrays = [x for x in (x1, x2) if isinstance(x, Array)]
    if len(arrays) == 2:
        _backends.check_same_device(x1, x2, name)
    allowed = _CATS[category]
    values = []
    for x in (x1, x2):
        if isinstance(x, Array):
            if x.dtype not in allowed:
                raise TypeError(f"{name}: expected arrays of {category} data type, got {x.dtype}")
            values.append(x._value)
        elif isinstance(x, (_ndarray, _generic)):
            values.append(_array_value(x, name, category))
        else:
            ok = rules.get(type(x))
            if ok is None:
                raise TypeError(
                    f"{name}: expected a storax array or a Python scalar, got {type(x).__name__}"
                )
            if arrays[0].dtype not in ok:
                raise TypeError(
                    f"{name}: a Python {type(x).__name__} cannot be combined with "
                    f"{arrays[0].dtype} data"
                )
            values.append(x)
    try:
        return _elementwise_xp.binary(arrays[0]._backend, name, func_name, impl, *values)
    except (TypeError, OverflowError) as e:
        raise named_error(e, name) from None


_RULES: dict[str, dict[type, frozenset[Any]]] = {}


for _name, (_impl, _cat) in _UNARY.items():
    globals()[_name] = _make_unary(_name, _impl, _cat)
for _name, (_impl, _cat) in _BINARY.items():
    globals()[_name] = _make_binary(_name, _impl, _cat)


# ----------------------------------------------------------------------------- clip


def _clip_bound(bound: Any, x: Any, v: Any, which: str) -> Any:
    """A ``min``/``max`` bound of ``clip`` as a value NumPy combines with ``v``."""
    d = v.dtype
    t = type(bound)
    if t is int:
        if d.kind in "iu":
            # Note: an integer bound outside the dtype's range clamps nothing beyond the
            # range itself (the standard leaves it unspecified; NumPy raises).
            info = np.iinfo(d)
            return builtins.min(builtins.max(bound, int(info.min)), int(info.max))
        try:
            return float(bound)
        except OverflowError:
            return math.inf if bound > 0 else -math.inf
    if t is float:
        if d.kind != "f":
            raise TypeError(f"clip: a float {which} cannot be used with an array of {d}")
        return bound
    if t is builtins.bool or t is complex:
        raise TypeError(f"clip: {which} must be a real number or an array, got {t.__name__}")
    if isinstance(bound, Array) and isinstance(x, Array) and bound._backend is not x._backend:
        _backends.check_same_device(x, bound, "clip")
    b = _array_value(bound, "clip", "real-valued")
    if b.dtype.kind == "f" and d.kind != "f":
        # Note: mixed dtypes are unspecified; a float bound on integers has no exact result.
        raise TypeError(f"clip: a {b.dtype} {which} cannot be used with an array of {d}")
    return b


def clip(x: Array, /, min: Any = None, max: Any = None) -> Array:
    """https://data-apis.org/array-api/latest/API_specification/generated/array_api.clip.html"""
    v = _array_value(x, "clip", "real-valued")
    lo = None if min is None else _clip_bound(min, x, v, "min")
    hi = None if max is None else _clip_bound(max, x, v, "max")
    xp = x._backend.xp if isinstance(x, Array) else np
    if xp is not np:
        # Note: jax.numpy reports incompatible shapes as a TypeError; the standard's is a
        # ValueError, as NumPy raises.
        shapes = [np.shape(b) for b in (v, lo, hi) if b is not None]
        try:
            np.broadcast_shapes(*shapes)
        except ValueError:
            raise ValueError(f"clip: shapes {shapes} cannot be broadcast together") from None
    # maximum(minimum(x, max), min): maximum/minimum propagate NaN, as clip must.
    r = v
    try:
        if hi is not None:
            r = xp.minimum(r, hi)
        if lo is not None:
            r = xp.maximum(r, lo)
    except (TypeError, ValueError) as e:
        raise named_error(e, "clip") from None
    if xp is not np:
        return _wrap(r if r.dtype == v.dtype else r.astype(v.dtype))
    r = np.asarray(r)
    if r.dtype != v.dtype or r is v:
        r = r.astype(v.dtype, copy=True)
    out = _object_new(Array)
    out._value = r
    return out


__all__ = sorted([*_UNARY, *_BINARY, "clip"])
