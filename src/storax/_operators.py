"""The Array's Python operators (``+``, ``<``, ``+=``, ...), installed onto the class.

Kept apart from ``_array_object`` so the operator table stays readable: each operator
checks its operands' dtypes against the spec's category, then calls the backend. Operators
with special cases (``//``, ``%``, ``**``, ``@``, shifts, unary) delegate to the namespace.
"""

from __future__ import annotations

import builtins
from typing import Any

from . import _dtypes
from ._backends import _numpy as _npb

np = _npb.np_
_ndarray = _npb.ndarray
_generic = _npb.generic
_object_new = object.__new__
_CATS = _dtypes.CATEGORIES

# Filled in by install().
_Array: Any = None


def _binary_operand(other: Any, v: Any, name: str, category: str) -> Any:
    """The backend value of a binary operator's other operand, validated."""
    t = type(other)
    if t is _Array:
        o = other._value
        if o.dtype not in _CATS[category]:
            raise TypeError(f"{name}: expected an array of {category} data type, got {o.dtype}")
        return o
    if t is int or t is float:
        if v.dtype.kind == "b" and category != "any":
            raise TypeError(f"{name}: a {t.__name__} scalar cannot be used with a bool array")
        return other
    if t is builtins.bool:
        if category not in ("integer or boolean", "boolean", "any") and v.dtype.kind != "b":
            raise TypeError(f"{name}: a bool scalar is not allowed for {category} arrays")
        return other
    if t is complex:
        if v.dtype.kind != "c" and category != "any":
            raise TypeError(f"{name}: cannot use a complex scalar with an array of {v.dtype}")
        return other
    if isinstance(other, _Array):  # an Array of another backend
        from ._backends import check_same_device

        check_same_device(v, other, name)
        return other._value
    if isinstance(other, (_ndarray, _generic)):
        if other.dtype not in _CATS[category]:
            raise TypeError(f"{name}: expected {category} data, got {other.dtype}")
        return other
    return NotImplemented


def _make_binop(ufunc: Any, name: str, category: str, reflected: bool) -> Any:
    allowed = _CATS[category]

    def op(self: Any, other: Any) -> Any:
        v = self._value
        if v.dtype not in allowed:
            raise TypeError(f"{name}: expected an array of {category} data type, got {v.dtype}")
        if type(other) is _Array:
            o = other._value
            if o.dtype not in allowed:
                raise TypeError(
                    f"{name}: expected an array of {category} data type, got {o.dtype}"
                )
        else:
            o = _binary_operand(other, v, name, category)
            if o is NotImplemented:
                return NotImplemented
        r = ufunc(o, v) if reflected else ufunc(v, o)
        if type(r) is not _ndarray:
            r = np.asarray(r)
        a = _object_new(_Array)
        a._value = r
        return a

    op.__name__ = name
    return op


def _make_delegating(func_name: str, name: str, reflected: bool) -> Any:
    """An operator computed by a namespace function (one with special cases)."""

    def op(self: Any, other: Any) -> Any:
        from . import _elementwise_functions as ew
        from . import _linear_algebra_functions as la

        func = getattr(ew, func_name, None) or getattr(la, func_name)
        if not isinstance(other, (_Array, int, float, complex, _ndarray, _generic)):
            return NotImplemented
        if isinstance(other, (_ndarray, _generic)):
            from ._creation_functions import asarray

            other = asarray(other)
        return func(other, self) if reflected else func(self, other)

    op.__name__ = name
    return op


def _make_unary(func_name: str, name: str) -> Any:
    def op(self: Any) -> Any:
        from . import _elementwise_functions as ew

        return getattr(ew, func_name)(self)

    op.__name__ = name
    return op


def _make_iop(ufunc: Any, name: str, category: str) -> Any:
    allowed = _CATS[category]

    def iop(self: Any, other: Any) -> Any:
        v = self._value
        if v.dtype not in allowed:
            raise TypeError(f"{name}: expected an array of {category} data type, got {v.dtype}")
        o = _binary_operand(other, v, name, category)
        if o is NotImplemented:
            return NotImplemented
        if not v.flags.writeable:
            raise ValueError(f"{name}: this array is a read-only view; copy it first")
        try:
            ufunc(v, o, out=v, casting="same_kind")
        except TypeError as e:
            raise TypeError(f"{name}: {e}") from None
        except ValueError as e:
            raise ValueError(f"{name}: {e}") from None
        _npb.bump_version(v)
        return self

    iop.__name__ = name
    return iop


def _make_iop_via(func_name: str, name: str, category: str) -> Any:
    """In-place operator computed by a namespace function, written back through the view."""
    allowed = _CATS[category]

    def iop(self: Any, other: Any) -> Any:
        from . import _elementwise_functions as ew
        from . import _linear_algebra_functions as la

        v = self._value
        if v.dtype not in allowed:
            raise TypeError(f"{name}: expected an array of {category} data type, got {v.dtype}")
        func = getattr(ew, func_name, None) or getattr(la, func_name)
        r = func(self, other)._value
        if r.dtype != v.dtype and not np.can_cast(r.dtype, v.dtype, casting="same_kind"):
            raise TypeError(f"{name}: the result dtype {r.dtype} cannot be cast to {v.dtype}")
        if np.broadcast_shapes(r.shape, v.shape) != v.shape:
            raise ValueError(f"{name}: a result of shape {r.shape} does not fit shape {v.shape}")
        if not v.flags.writeable:
            raise ValueError(f"{name}: this array is a read-only view; copy it first")
        np.copyto(v, r, casting="same_kind")
        _npb.bump_version(v)
        return self

    iop.__name__ = name
    return iop


# (operator, NumPy ufunc, category the spec requires)
_FAST_BINARY = [
    ("add", np.add, "numeric"),
    ("sub", np.subtract, "numeric"),
    ("mul", np.multiply, "numeric"),
    # Note: true division of integer arrays is allowed (-> float64), as NumPy and PyTorch do.
    ("truediv", np.true_divide, "numeric"),
    ("and", np.bitwise_and, "integer or boolean"),
    ("or", np.bitwise_or, "integer or boolean"),
    ("xor", np.bitwise_xor, "integer or boolean"),
]
_COMPARISONS = [
    ("eq", np.equal, "any"),
    ("ne", np.not_equal, "any"),
    ("lt", np.less, "real-valued"),
    ("le", np.less_equal, "real-valued"),
    ("gt", np.greater, "real-valued"),
    ("ge", np.greater_equal, "real-valued"),
]
# (operator, namespace function, category for the in-place form)
_DELEGATED_BINARY = [
    ("floordiv", "floor_divide", "real-valued"),
    ("mod", "remainder", "real-valued"),
    ("pow", "pow", "numeric"),
    ("matmul", "matmul", "numeric"),
    ("lshift", "bitwise_left_shift", "integer"),
    ("rshift", "bitwise_right_shift", "integer"),
]
_UNARY = [
    ("neg", "negative"),
    ("pos", "positive"),
    ("abs", "abs"),
    ("invert", "bitwise_invert"),
]


def install(cls: Any) -> None:
    """Install every operator on the Array class ``cls``."""
    global _Array
    _Array = cls
    for short, ufunc, category in _FAST_BINARY:
        setattr(cls, f"__{short}__", _make_binop(ufunc, f"__{short}__", category, False))
        setattr(cls, f"__r{short}__", _make_binop(ufunc, f"__r{short}__", category, True))
        setattr(cls, f"__i{short}__", _make_iop(ufunc, f"__i{short}__", category))
    for short, ufunc, category in _COMPARISONS:
        setattr(cls, f"__{short}__", _make_binop(ufunc, f"__{short}__", category, False))
    for short, func_name, category in _DELEGATED_BINARY:
        setattr(cls, f"__{short}__", _make_delegating(func_name, f"__{short}__", False))
        setattr(cls, f"__r{short}__", _make_delegating(func_name, f"__r{short}__", True))
        setattr(cls, f"__i{short}__", _make_iop_via(func_name, f"__i{short}__", category))
    for short, func_name in _UNARY:
        setattr(cls, f"__{short}__", _make_unary(func_name, f"__{short}__"))
