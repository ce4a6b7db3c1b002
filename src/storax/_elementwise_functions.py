"""Element-wise functions (spec chapter "Element-wise Functions"), generated from a table.

Each function checks its arguments' dtypes against the category the specification names,
then calls its array family's kernel (``x._unary_kernels[name]``: on NumPy the ufunc or a
corrected ufunc, on JAX a compiled, corrected jax.numpy kernel; see ``storax._backends``).
Binary functions accept a Python scalar for one argument (2024.12), which takes the array's
dtype (NumPy's NEP 50 "weak scalar" promotion). The Array's operators share these tables
and rules, so an operator and its function (``x // y``, ``floor_divide(x, y)``) agree.
"""

from __future__ import annotations

import builtins
import math
from typing import Any

from . import _backends, _dtypes, _names
from ._array_object import Array
from ._backends import from_host_operand, is_host_value
from ._core._layout import broadcast_shapes

_CATS = _dtypes.CATEGORIES
_SPEC_URL = "https://data-apis.org/array-api/latest/API_specification/generated/array_api.{}.html"

_FLOATING = _CATS["floating-point"]
_COMPLEX = _CATS["complex floating-point"]
_BOOL = _CATS["boolean"]

# name -> the category of input data the specification requires
UNARY: dict[str, str] = {
    "abs": "numeric",
    "acos": "floating-point",
    "acosh": "floating-point",
    "asin": "floating-point",
    "asinh": "floating-point",
    "atan": "floating-point",
    "atanh": "floating-point",
    "bitwise_invert": "integer or boolean",
    "ceil": "real-valued",
    "conj": "numeric",
    "cos": "floating-point",
    "cosh": "floating-point",
    "exp": "floating-point",
    "expm1": "floating-point",
    "floor": "real-valued",
    "imag": "floating-point",
    "isfinite": "numeric",
    "isinf": "numeric",
    "isnan": "numeric",
    "log": "floating-point",
    "log1p": "floating-point",
    "log2": "floating-point",
    "log10": "floating-point",
    "logical_not": "boolean",
    "negative": "numeric",
    "positive": "numeric",
    "real": "numeric",
    "reciprocal": "floating-point",
    "round": "numeric",
    "sign": "numeric",
    "signbit": "real floating-point",
    "sin": "floating-point",
    "sinh": "floating-point",
    "square": "numeric",
    "sqrt": "floating-point",
    "tan": "floating-point",
    "tanh": "floating-point",
    "trunc": "real-valued",
}
BINARY: dict[str, str] = {
    "add": "numeric",
    "atan2": "real floating-point",
    "bitwise_and": "integer or boolean",
    "bitwise_left_shift": "integer",
    "bitwise_or": "integer or boolean",
    "bitwise_right_shift": "integer",
    "bitwise_xor": "integer or boolean",
    "copysign": "real floating-point",
    "divide": "numeric",
    "equal": "any",
    "floor_divide": "real-valued",
    "greater": "real-valued",
    "greater_equal": "real-valued",
    "hypot": "real floating-point",
    "less": "real-valued",
    "less_equal": "real-valued",
    "logaddexp": "real floating-point",
    "logical_and": "boolean",
    "logical_or": "boolean",
    "logical_xor": "boolean",
    "maximum": "real-valued",
    "minimum": "real-valued",
    "multiply": "numeric",
    "nextafter": "real floating-point",
    "not_equal": "any",
    "pow": "numeric",
    "remainder": "real-valued",
    "subtract": "numeric",
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


RULES: dict[str, dict[type, frozenset[Any]]] = {n: scalar_rules(c) for n, c in BINARY.items()}


def named_error(e: Exception, name: str) -> Exception:
    """Re-raise a backend error with the storax function's name in front."""
    for cls in (TypeError, OverflowError, ValueError):
        if isinstance(e, cls):
            msg = str(e)
            return cls(msg if msg.startswith(f"{name}: ") else f"{name}: {msg}")
    return e


def _dtype_error(name: str, category: str, *dtypes: Any) -> TypeError:
    allowed = _CATS[category]
    bad = next((d for d in dtypes if d not in allowed), dtypes[0])
    return TypeError(f"{name}: expected an array of {category} data type, got {bad}")


def as_operand_array(x: Any, name: str, like: Array | None = None) -> Array:
    """``x`` as an Array: NumPy arrays and scalars join ``like`` (else the current backend);
    anything else is a TypeError naming ``name``."""
    if isinstance(x, Array):
        return x
    if is_host_value(x):
        return from_host_operand(x, like)
    raise TypeError(f"{name}: expected a storax array, got {type(x).__name__}")


# ------------------------------------------------------------ the general paths
# Used when the operands are not two arrays of one family (Python scalars, NumPy arrays,
# arrays of different backends), by the functions below and by the operators.


def apply_unary(func_name: str, name: str, x: Any) -> Array:
    """``func_name(x)`` with errors named ``name`` (the function's or the operator's)."""
    x = as_operand_array(x, name)
    names = x._names
    if names is not None:  # a named array: computed on an unnamed view, names kept
        return _names.attach(apply_unary(func_name, name, _names.plain(x)), names)
    v = x._value
    category = UNARY[func_name]
    if v.dtype not in _CATS[category]:
        raise _dtype_error(name, category, v.dtype)
    try:
        return x._new(x._unary_kernels[func_name](v))
    except (TypeError, ValueError, OverflowError) as e:
        raise named_error(e, name) from None


def apply_binary(func_name: str, name: str, x1: Any, x2: Any) -> Array:
    """``func_name(x1, x2)`` for any operands the standard (or NumPy, where it is silent)
    accepts, with errors named ``name``."""
    category = BINARY[func_name]
    allowed = _CATS[category]
    a1, a2 = isinstance(x1, Array), isinstance(x2, Array)
    if (a1 and x1._names is not None) or (a2 and x2._names is not None):
        # named arrays: names unified from the right, computed on unnamed views
        names = _names.unify(_names.names_of(x1), _names.names_of(x2), name)
        p1 = _names.plain(x1) if a1 else x1
        p2 = _names.plain(x2) if a2 else x2
        return _names.attach(apply_binary(func_name, name, p1, p2), names)
    if not (a1 or a2):
        if is_host_value(x1) or is_host_value(x2):
            # NumPy operands alone: computed on the current backend
            h1, h2 = is_host_value(x1), is_host_value(x2)
            if h1:
                x1 = from_host_operand(x1)
            if h2:
                x2 = from_host_operand(x2, x1 if h1 else None)
            return apply_binary(func_name, name, x1, x2)
        raise TypeError(
            f"{name}: at least one argument must be an array, got {type(x1).__name__} "
            f"and {type(x2).__name__}"
        )
    like: Array = x1 if a1 else x2
    values = []
    for x in (x1, x2):
        if isinstance(x, Array):
            if type(x) is not type(like) or not like._backend.caps.single_device:
                _backends.check_same_device(like, x, name)
            v = x._value
            if v.dtype not in allowed:
                raise _dtype_error(name, category, v.dtype)
        elif is_host_value(x):
            v = from_host_operand(x, like, name)._value
            if v.dtype not in allowed:
                raise TypeError(f"{name}: expected {category} data, got {v.dtype}")
        else:
            ok = RULES[func_name].get(type(x))
            if ok is None:
                raise TypeError(
                    f"{name}: expected a storax array or a Python scalar, got {type(x).__name__}"
                )
            if like.dtype not in ok:
                if like.dtype not in allowed:
                    raise _dtype_error(name, category, like.dtype)
                raise TypeError(
                    f"{name}: a Python {type(x).__name__} cannot be combined with {like.dtype} data"
                )
            v = x
        values.append(v)
    try:
        return like._new(like._binary_kernels[func_name](*values))
    except (TypeError, ValueError, OverflowError) as e:
        raise named_error(e, name) from None


# ----------------------------------------------------------------------- generation


def _make_unary(name: str, category: str) -> Any:
    allowed = _CATS[category]

    def func(x: Array, /) -> Array:
        try:
            whole = x._array_unary
        except AttributeError:  # not an Array
            return apply_unary(name, name, x)
        if whole is not None:  # a family's array-level kernel (None: not served)
            r = whole[name](x)
            if r is not None:
                return r
        try:
            kernel = x._unary_kernels[name]
        except (AttributeError, KeyError):  # not an Array, or a named one (no kernels)
            return apply_unary(name, name, x)
        v = x._value
        if v.dtype not in allowed:
            raise TypeError(f"{name}: expected an array of {category} data type, got {v.dtype}")
        return x._new(kernel(v))

    func.__name__ = func.__qualname__ = name
    func.__doc__ = _SPEC_URL.format(name)
    return func


def _make_binary(name: str, category: str) -> Any:
    allowed = _CATS[category]
    rules = RULES[name]
    with_float, with_int = rules[float], rules[int]

    def func(x1: Any, x2: Any, /) -> Array:
        # The hot path: two arrays of one family whose arrays are all on one device
        # (``_one_device``: a class flag set by the composition step, storax._compose).
        t2 = type(x2)
        if type(x1) is t2:
            try:
                whole = x1._array_binary
            except AttributeError:  # not arrays
                return apply_binary(name, name, x1, x2)
            if whole is not None:  # a family's array-level kernel (None: not served)
                r = whole[name](x1, x2)
                if r is not None:
                    return r
            one_device = x1._one_device
            if not one_device:
                return apply_binary(name, name, x1, x2)
            a = x1._value
            b = x2._value
            if a.dtype not in allowed or b.dtype not in allowed:
                raise _dtype_error(name, category, a.dtype, b.dtype)
            try:
                r = x1._binary_kernels[name](a, b)
            except (TypeError, ValueError, OverflowError) as e:
                raise named_error(e, name) from None
            return x1._new(r)
        # The next hottest: an array and a Python float or int (either side), whose
        # dtype the scalar may join (else the general path raises the error).
        if t2 is float or t2 is int:
            arr, scalar = x1, x2
        else:
            t2 = type(x1)
            if t2 is not float and t2 is not int:
                return apply_binary(name, name, x1, x2)
            arr, scalar = x2, x1
        try:
            kernel = arr._binary_kernels[name]  # named arrays have none: general path
        except (AttributeError, KeyError):
            return apply_binary(name, name, x1, x2)
        whole = arr._array_binary
        if whole is not None:
            r = whole[name](x1, x2)
            if r is not None:
                return r
        a = arr._value
        if a.dtype not in (with_float if t2 is float else with_int):
            return apply_binary(name, name, x1, x2)
        try:
            r = kernel(a, scalar) if arr is x1 else kernel(scalar, a)
        except (TypeError, ValueError, OverflowError) as e:
            raise named_error(e, name) from None
        return arr._new(r)

    func.__name__ = func.__qualname__ = name
    func.__doc__ = _SPEC_URL.format(name)
    return func


for _name, _cat in UNARY.items():
    globals()[_name] = _make_unary(_name, _cat)
for _name, _cat in BINARY.items():
    globals()[_name] = _make_binary(_name, _cat)


# ----------------------------------------------------------------------------- clip


def _clip_bound(bound: Any, x: Array, which: str) -> Any:
    """A ``min``/``max`` bound of ``clip`` as a value the backend combines with ``x``."""
    d = x.dtype
    t = type(bound)
    if t is int:
        if d.kind in "iu":
            # Note: an integer bound outside the dtype's range clamps nothing beyond the
            # range itself (the standard leaves it unspecified; NumPy raises).
            lo, hi = _dtypes.int_range(d)
            return builtins.min(builtins.max(bound, lo), hi)
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
    b = as_operand_array(bound, "clip", like=x)
    if type(b) is not type(x) or not x._backend.caps.single_device:
        _backends.check_same_device(x, b, "clip")
    if b.dtype not in _CATS["real-valued"]:
        raise TypeError(f"clip: expected an array of real-valued data type, got {b.dtype}")
    if b.dtype.kind == "f" and d.kind != "f":
        # Note: mixed dtypes are unspecified; a float bound on integers has no exact result.
        raise TypeError(f"clip: a {b.dtype} {which} cannot be used with an array of {d}")
    return b._value


_SCALAR_BOUNDS = (type(None), int, float)


def clip(x: Array, /, min: Any = None, max: Any = None) -> Array:
    """https://data-apis.org/array-api/latest/API_specification/generated/array_api.clip.html"""
    x = as_operand_array(x, "clip")
    if x.dtype not in _CATS["real-valued"]:
        raise TypeError(f"clip: expected an array of real-valued data type, got {x.dtype}")
    lo = None if min is None else _clip_bound(min, x, "min")
    hi = None if max is None else _clip_bound(max, x, "max")
    if type(lo) not in _SCALAR_BOUNDS or type(hi) not in _SCALAR_BOUNDS:
        # Only an array bound can fail to broadcast (a Python scalar never does; skipping
        # the check keeps JAX's small calls near the jitted kernel's own cost).
        shapes = [x.shape] + [tuple(getattr(b, "shape", ())) for b in (lo, hi) if b is not None]
        try:
            broadcast_shapes(*shapes)
        except ValueError:
            raise ValueError(f"clip: shapes {shapes} cannot be broadcast together") from None
    try:
        r = x._backend.clip(x._value, lo, hi)
    except (TypeError, ValueError) as e:
        raise named_error(e, "clip") from None
    return _names.keep(x, x._new(r))


# ------------------------------------------------------------------ logical functions
# Note: the standard says the inputs of logical_and/or/xor/not *should* be boolean and does
# not require an error; storax takes any dtype and converts it to bool first (nonzero is
# true), as NumPy does (scikit-learn's roc_curve calls logical_or on integer labels).


def _truth(x: Any, name: str, like: Any = None) -> Any:
    if type(x) in (builtins.bool, int, float, complex):
        return builtins.bool(x) if like is not None else x
    a = as_operand_array(x, name, like)
    if a.dtype == _dtypes.bool:
        return a
    return a._new(a._value != 0)


def _make_logical(strict: Any, name: str) -> Any:
    def func(x1: Any, x2: Any, /) -> Array:
        if type(x1) is type(x2) and getattr(x1, "dtype", None) == _dtypes.bool == x2.dtype:
            return strict(x1, x2)
        like = x1 if isinstance(x1, Array) else x2 if isinstance(x2, Array) else None
        return strict(_truth(x1, name, like), _truth(x2, name, like))

    func.__name__ = func.__qualname__ = name
    func.__doc__ = strict.__doc__
    return func


for _name in ("logical_and", "logical_or", "logical_xor"):
    globals()[_name] = _make_logical(globals()[_name], _name)
_logical_not_strict = globals()["logical_not"]


_real_kernel = globals()["real"]


def real(x: Array, /) -> Array:
    """https://data-apis.org/array-api/latest/API_specification/generated/array_api.real.html

    Note: of a real-valued array, a view of ``x`` (its own elements, no copy), as
    ``numpy.real``, ``torch.real`` and ``jax.numpy.real`` give the input's data back.
    """
    if isinstance(x, Array) and x.dtype.kind in "iuf":
        return x[...]
    return _real_kernel(x)


def logical_not(x: Array, /) -> Array:
    """https://data-apis.org/array-api/latest/API_specification/generated/array_api.logical_not.html"""
    return _logical_not_strict(_truth(x, "logical_not"))


__all__ = sorted([*UNARY, *BINARY, "clip"])
