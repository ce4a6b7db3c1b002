"""Element-wise functions (spec chapter "Element-wise Functions"), generated from a table.

Each function checks its arguments' dtypes against the category the specification names,
then calls the backend. Binary functions accept a Python scalar for one argument (2024.12).
"""

from __future__ import annotations

import builtins
from typing import Any

from . import _dtypes
from ._array_object import Array, _check_scalar_kind
from ._backends import _numpy as _npb

np = _npb.np_
_ndarray = _npb.ndarray
_object_new = object.__new__
_CATS = _dtypes.CATEGORIES
_SCALARS = (builtins.bool, int, float, complex)

# name -> (NumPy implementation, category of the input the spec requires)
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
    "expm1": (np.expm1, "floating-point"),
    "floor": (np.floor, "real-valued"),
    "imag": (np.imag, "floating-point"),
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
    "real": (np.real, "numeric"),
    "reciprocal": (np.reciprocal, "floating-point"),
    "round": (np.round, "numeric"),
    "sign": (np.sign, "numeric"),
    "signbit": (np.signbit, "real floating-point"),
    "sin": (np.sin, "floating-point"),
    "sinh": (np.sinh, "floating-point"),
    "square": (np.square, "numeric"),
    "sqrt": (np.sqrt, "floating-point"),
    "tan": (np.tan, "floating-point"),
    "tanh": (np.tanh, "floating-point"),
    "trunc": (np.trunc, "real-valued"),
}

_BINARY: dict[str, tuple[Any, str]] = {
    "add": (np.add, "numeric"),
    "atan2": (np.arctan2, "real floating-point"),
    "bitwise_and": (np.bitwise_and, "integer or boolean"),
    "bitwise_left_shift": (np.left_shift, "integer"),
    "bitwise_or": (np.bitwise_or, "integer or boolean"),
    "bitwise_right_shift": (np.right_shift, "integer"),
    "bitwise_xor": (np.bitwise_xor, "integer or boolean"),
    "copysign": (np.copysign, "real floating-point"),
    "divide": (np.true_divide, "floating-point"),
    "equal": (np.equal, "any"),
    "floor_divide": (np.floor_divide, "real-valued"),
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
    "pow": (np.power, "numeric"),
    "remainder": (np.remainder, "real-valued"),
    "subtract": (np.subtract, "numeric"),
}

# Note: storax, like NumPy and PyTorch, also accepts integer arrays where the spec asks for
# floating-point ones in these functions (the result is floating-point).
_INT_TO_FLOAT_OK = {"divide"}


def _result(r: Any) -> Array:
    if type(r) is not _ndarray:
        r = np.asarray(r)
    a = _object_new(Array)
    a._value = r
    return a


def _make_unary(name: str, impl: Any, category: str) -> Any:
    allowed = _CATS[category]

    def func(x: Array, /) -> Array:
        if type(x) is not Array:
            if not isinstance(x, Array):
                raise TypeError(f"{name}: expected a storax array, got {type(x).__name__}")
        v = x._value
        if v.dtype not in allowed:
            raise TypeError(f"{name}: expected an array of {category} data type, got {v.dtype}")
        return _result(impl(v))

    func.__name__ = func.__qualname__ = name
    func.__doc__ = (
        f"https://data-apis.org/array-api/latest/API_specification/generated/array_api.{name}.html"
    )
    return func


def _operand(x: Any, other: Any, name: str, category: str, allowed: Any) -> Any:
    """The backend value of one operand of a binary function."""
    if isinstance(x, Array):
        v = x._value
        if v.dtype not in allowed:
            raise TypeError(f"{name}: expected an array of {category} data type, got {v.dtype}")
        return v
    t = type(x)
    if t in _SCALARS:
        if not isinstance(other, Array):
            raise TypeError(f"{name}: at least one argument must be an array")
        od = other._value.dtype
        if t is builtins.bool:
            if od.kind != "b" and category not in ("any",):
                raise TypeError(f"{name}: a bool scalar needs a boolean array, got {od}")
        elif od.kind == "b":
            raise TypeError(f"{name}: a {t.__name__} scalar cannot be used with a bool array")
        elif t is float and od.kind in "iu" and category in ("integer", "integer or boolean"):
            raise TypeError(f"{name}: a float scalar cannot be used with an integer array")
        elif t is complex:
            _check_scalar_kind(x, od, name)
        return x
    if isinstance(x, (_ndarray, _npb.generic)):
        if x.dtype not in allowed:
            raise TypeError(f"{name}: expected {category} data, got {x.dtype}")
        return x
    raise TypeError(f"{name}: expected a storax array or a Python scalar, got {t.__name__}")


def _make_binary(name: str, impl: Any, category: str) -> Any:
    allowed = _CATS[category]
    if name in _INT_TO_FLOAT_OK:
        allowed = _CATS["numeric"]

    def func(x1: Any, x2: Any, /) -> Array:
        if type(x1) is Array and type(x2) is Array:
            a, b = x1._value, x2._value
            if a.dtype not in allowed or b.dtype not in allowed:
                bad = a.dtype if a.dtype not in allowed else b.dtype
                raise TypeError(f"{name}: expected arrays of {category} data type, got {bad}")
        else:
            a = _operand(x1, x2, name, category, allowed)
            b = _operand(x2, x1, name, category, allowed)
        return _result(impl(a, b))

    func.__name__ = func.__qualname__ = name
    func.__doc__ = (
        f"https://data-apis.org/array-api/latest/API_specification/generated/array_api.{name}.html"
    )
    return func


for _name, (_impl, _cat) in _UNARY.items():
    globals()[_name] = _make_unary(_name, _impl, _cat)
for _name, (_impl, _cat) in _BINARY.items():
    globals()[_name] = _make_binary(_name, _impl, _cat)


def clip(x: Array, /, min: Any = None, max: Any = None) -> Array:
    """https://data-apis.org/array-api/latest/API_specification/generated/array_api.clip.html"""
    if not isinstance(x, Array):
        raise TypeError(f"clip: expected a storax array, got {type(x).__name__}")
    v = x._value
    if v.dtype not in _CATS["real-valued"]:
        raise TypeError(f"clip: expected an array of real-valued data type, got {v.dtype}")
    out = v
    if min is not None:
        lo = _operand(min, x, "clip", "real-valued", _CATS["real-valued"])
        out = np.where(np.isnan(lo) if v.dtype.kind == "f" else False, lo, np.maximum(out, lo))
    if max is not None:
        hi = _operand(max, x, "clip", "real-valued", _CATS["real-valued"])
        out = np.where(np.isnan(hi) if v.dtype.kind == "f" else False, hi, np.minimum(out, hi))
    r = np.broadcast_to(out, np.broadcast_shapes(np.shape(out), v.shape)).astype(v.dtype)
    return _result(r)


__all__ = sorted([*_UNARY, *_BINARY, "clip"])
