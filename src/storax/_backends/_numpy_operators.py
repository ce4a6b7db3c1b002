"""The NumPy family's Python operators (``+``, ``<``, ``+=``, ``-x``, ``@``...): the hot path.

Each operator is one type check, one dtype-set membership check, the kernel (the NumPy
ufunc, or its corrected kernel from ``_numpy_elementwise``), and the wrap. Dtype categories
and the Python-scalar rules come from the element-wise chapter, so an operator and its
function (``x // y`` and ``floor_divide(x, y)``) always agree. ``@`` delegates to
``matmul``. Installed by the composition step (``storax._compose``).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import _dtypes
from . import _numpy_elision as _elision
from ._numpy import LOCK_ABOVE as _LOCK_ABOVE
from ._numpy import bump_version as _bump_version
from ._numpy import lock_of as _lock_of
from ._numpy_elementwise import BINARY as _KERNELS2
from ._numpy_elementwise import UNARY as _KERNELS1
from ._numpy_elision import can_reuse

_ndarray = np.ndarray
_dot = np.dot
_generic = np.generic
_object_new = object.__new__
_CATS = _dtypes.CATEGORIES
_ELIDE_MIN = _elision.MIN_BYTES
_PY_SCALARS = (bool, int, float, complex)

# operator name (without dunders) -> element-wise function; these also get __r*__/__i*__.
_ARITHMETIC = {
    "add": "add",
    "sub": "subtract",
    "mul": "multiply",
    "truediv": "divide",
    "floordiv": "floor_divide",
    "mod": "remainder",
    "pow": "pow",
    "and": "bitwise_and",
    "or": "bitwise_or",
    "xor": "bitwise_xor",
    "lshift": "bitwise_left_shift",
    "rshift": "bitwise_right_shift",
}
# Python reflects comparisons itself (``1 < x`` calls ``x.__gt__(1)``).
_COMPARISONS = {
    "eq": "equal",
    "ne": "not_equal",
    "lt": "less",
    "le": "less_equal",
    "gt": "greater",
    "ge": "greater_equal",
}
_UNARY = {"neg": "negative", "pos": "positive", "abs": "abs", "invert": "bitwise_invert"}


def _dtype_error(name: str, category: str, *dtypes: Any) -> TypeError:
    allowed = _CATS[category]
    bad = next((d for d in dtypes if d not in allowed), dtypes[0])
    return TypeError(f"{name}: expected an array of {category} data type, got {bad}")


def _make_binop(cls: Any, ew: Any, func_name: str, name: str, reflected: bool) -> Any:
    kernel, category = _KERNELS2[func_name], ew.BINARY[func_name]
    allowed = _CATS[category]
    rules = ew.RULES[func_name]
    named_error = ew.named_error
    # the dtype kinds for which the result may go into a temporary operand (None: never)
    elide = _elision.KINDS.get(func_name) if isinstance(kernel, np.ufunc) else None

    def operand(v: Any, other: Any) -> Any:
        """The other operand when it is not a storax Array (the slower path)."""
        ok = rules.get(type(other))
        if ok is not None:
            if v.dtype not in ok:
                if v.dtype not in allowed:
                    raise _dtype_error(name, category, v.dtype)
                raise TypeError(
                    f"{name}: a Python {type(other).__name__} cannot be combined with "
                    f"{v.dtype} data"
                )
            return other
        if v.dtype not in allowed:
            raise _dtype_error(name, category, v.dtype)
        return _other_operand(other, name, category)

    # Two near-identical bodies on purpose: the hot path pays no `if reflected` per call.
    if reflected:

        def op(self: Any, other: Any) -> Any:
            v = self._value
            if type(other) is cls:
                o = other._value
                if v.dtype not in allowed or o.dtype not in allowed:
                    raise _dtype_error(name, category, v.dtype, o.dtype)
            elif (ok := rules.get(type(other))) is not None and v.dtype in ok:
                o = other  # a Python scalar that the dtype takes (``2.0 * x``)
            else:
                o = operand(v, other)
                if o is NotImplemented:
                    return NotImplemented
            try:
                if elide is not None and v.nbytes >= _ELIDE_MIN and can_reuse(self, v, o, elide):
                    kernel(o, v, out=v)  # ``2 * (a + b)``: into the temporary (see _elision)
                    return self
                r = kernel(o, v)
            except (TypeError, ValueError, OverflowError) as e:
                raise named_error(e, name) from None
            if type(r) is not _ndarray:
                r = np.asarray(r)
            a = _object_new(cls)
            a._value = r
            return a

    else:

        def op(self: Any, other: Any) -> Any:
            v = self._value
            if type(other) is cls:
                o = other._value
                if v.dtype not in allowed or o.dtype not in allowed:
                    raise _dtype_error(name, category, v.dtype, o.dtype)
            elif (ok := rules.get(type(other))) is not None and v.dtype in ok:
                o = other  # a Python scalar that the dtype takes (``2.0 * x``)
            else:
                o = operand(v, other)
                if o is NotImplemented:
                    return NotImplemented
            try:
                if elide is not None and v.nbytes >= _ELIDE_MIN:
                    # ``(a * 2) + b``, ``b + (a * 2)``: into a temporary (see _elision)
                    if can_reuse(self, v, o, elide):
                        kernel(v, o, out=v)
                        return self
                    if type(other) is cls and can_reuse(other, o, v, elide):
                        kernel(v, o, out=o)
                        return other
                r = kernel(v, o)
            except (TypeError, ValueError, OverflowError) as e:
                raise named_error(e, name) from None
            if type(r) is not _ndarray:
                r = np.asarray(r)
            a = _object_new(cls)
            a._value = r
            return a

    op.__name__ = op.__qualname__ = name
    return op


def _make_iop(cls: Any, ew: Any, func_name: str, name: str) -> Any:
    """``x op= y``: computed into ``x``'s memory (every view of it sees the write).

    As in NumPy and PyTorch, the result is cast back to ``x``'s dtype when the cast stays
    within a kind (``int8 += int16``); a float result into an integer array is a TypeError.
    """
    kernel, category = _KERNELS2[func_name], ew.BINARY[func_name]
    allowed = _CATS[category]
    rules = ew.RULES[func_name]
    named_error = ew.named_error
    is_ufunc = isinstance(kernel, np.ufunc)

    def apply(v: Any, o: Any) -> None:
        if is_ufunc:
            kernel(v, o, out=v, casting="same_kind")
        else:
            np.copyto(v, kernel(v, o), casting="same_kind")

    def iop(self: Any, other: Any) -> Any:
        v = self._value
        if v.dtype not in allowed:
            raise _dtype_error(name, category, v.dtype)
        if isinstance(other, cls):  # (a named array of the family too)
            o = other._value
            if o.dtype not in allowed:
                raise _dtype_error(name, category, o.dtype)
        else:
            o = _scalar_or_other(other, v.dtype, name, category, rules)
            if o is NotImplemented:
                return NotImplemented
        try:
            if v.size > _LOCK_ABOVE:  # NumPy may release the GIL: atomic under the lock
                with _lock_of(v):
                    apply(v, o)
            else:
                apply(v, o)
        except (TypeError, ValueError, OverflowError) as e:
            if not v.flags.writeable:
                raise ValueError(
                    f"{name}: this array is a read-only view (a broadcast view, or a "
                    "read-only NumPy array); copy it before writing"
                ) from None
            raise named_error(e, name) from None
        _bump_version(v)
        return self

    iop.__name__ = iop.__qualname__ = name
    return iop


def _make_unop(cls: Any, ew: Any, func_name: str, name: str) -> Any:
    kernel, category = _KERNELS1[func_name], ew.UNARY[func_name]
    allowed = _CATS[category]

    def op(self: Any) -> Any:
        v = self._value
        if v.dtype not in allowed:
            raise _dtype_error(name, category, v.dtype)
        r = kernel(v)
        if type(r) is not _ndarray:
            r = np.asarray(r)
        a = _object_new(cls)
        a._value = r
        return a

    op.__name__ = op.__qualname__ = name
    return op


def _make_matmul(cls: Any, name: str) -> Any:
    """``@``, ``@=`` (reflected or not): delegate to :func:`storax.matmul`."""
    matmul: Any = None

    def operand(other: Any) -> Any:
        if isinstance(other, cls):
            return other
        if isinstance(other, _ndarray):
            a = _object_new(cls)
            a._value = other
            return a
        return NotImplemented  # Python scalars are not allowed with ``@``

    numeric = _CATS["numeric"]
    forward = name == "__matmul__"

    def op(self: Any, other: Any) -> Any:
        nonlocal matmul
        if forward and type(other) is cls:
            # ``A @ x`` in a loop: matmul's own fast path inlined (one dtype, vectors or
            # matrices that align), without the two calls that reach it.
            v1, v2 = self._value, other._value
            d = v1.dtype
            if d == v2.dtype and d in numeric:
                try:
                    # One numeric dtype: NumPy's answer is the spec's. A vector operand
                    # goes to ``np.dot`` (the same BLAS gemv/dot call, without the
                    # matmul ufunc's ~0.5 µs of dispatch); matrices and stacks to ``@``.
                    n1, n2 = v1.ndim, v2.ndim
                    if (n1 == 1 and 0 < n2 < 3) or (n2 == 1 and n1 == 2):
                        if v1.shape[-1] != v2.shape[0]:
                            raise ValueError
                        r = _dot(v1, v2)
                    else:
                        r = v1 @ v2
                except ValueError:  # 0-d or misaligned: matmul raises its own error
                    r = None
                if r is not None:
                    if type(r) is not _ndarray:  # vector @ vector: a NumPy scalar
                        r = np.asarray(r)
                    a = _object_new(cls)
                    a._value = r
                    return a
        if matmul is None:
            from .._linear_algebra_functions import matmul
        o = operand(other)
        if o is NotImplemented:
            return NotImplemented
        if name == "__rmatmul__":
            return matmul(o, self)
        r = matmul(self, o)
        if name == "__matmul__":
            return r
        v = self._value
        rv = r._value
        if rv.shape != v.shape:
            raise ValueError(
                f"__imatmul__: a result of shape {rv.shape} does not fit shape {v.shape}"
            )
        try:
            with _lock_of(v):  # one write of a computed result: atomic per storage
                np.copyto(v, rv, casting="same_kind")
        except (TypeError, ValueError) as e:
            if not v.flags.writeable:
                raise ValueError(
                    "__imatmul__: this array is a read-only view; copy it first"
                ) from None
            raise type(e)(f"__imatmul__: {e}") from None
        _bump_version(v)
        return self

    op.__name__ = op.__qualname__ = name
    return op


def _other_operand(other: Any, name: str, category: str) -> Any:
    """A non-scalar operand of a NumPy-family array: a NumPy array or scalar (its value),
    an Array of another family (the different-devices error), else NotImplemented."""
    from .._array_object import Array
    from .._device import CPU

    if isinstance(other, Array):  # an array of another family: on another device
        raise ValueError(
            f"{name}: arrays are on different devices ({CPU} and {other.device}); "
            "move one with to_device() first"
        )
    if isinstance(other, (_ndarray, _generic)):
        if other.dtype not in _CATS[category]:
            raise TypeError(f"{name}: expected {category} data, got {other.dtype}")
        return other
    return NotImplemented


def _scalar_or_other(other: Any, dtype: Any, name: str, category: str, rules: Any) -> Any:
    ok = rules.get(type(other))
    if ok is not None:
        if dtype not in ok:
            raise TypeError(
                f"{name}: a Python {type(other).__name__} cannot be combined with {dtype} data"
            )
        return other
    return _other_operand(other, name, category)


def install(cls: Any, ew: Any) -> None:
    """Install every operator on the NumPy family ``cls`` (``ew``: the element-wise
    chapter, for categories and scalar rules)."""
    for short, func_name in _ARITHMETIC.items():
        for name, reflected in ((f"__{short}__", False), (f"__r{short}__", True)):
            setattr(cls, name, _make_binop(cls, ew, func_name, name, reflected))
        setattr(cls, f"__i{short}__", _make_iop(cls, ew, func_name, f"__i{short}__"))
    for short, func_name in _COMPARISONS.items():
        setattr(cls, f"__{short}__", _make_binop(cls, ew, func_name, f"__{short}__", False))
    for short, func_name in _UNARY.items():
        setattr(cls, f"__{short}__", _make_unop(cls, ew, func_name, f"__{short}__"))
    for name in ("__matmul__", "__rmatmul__", "__imatmul__"):
        setattr(cls, name, _make_matmul(cls, name))
    _describe(cls)


_SPEC_METHOD = (
    "https://data-apis.org/array-api/latest/API_specification/generated/array_api.array.{}.html"
)


def _describe(cls: Any) -> None:
    """Name the installed operators as methods of ``cls`` and give each a docstring."""
    funcs = {**_ARITHMETIC, **_COMPARISONS, **_UNARY, "matmul": "matmul"}
    for short, func_name in funcs.items():
        variants = {f"__{short}__": "of ``self`` and ``other``"}
        if short in _ARITHMETIC or short == "matmul":
            variants[f"__r{short}__"] = "of ``other`` and ``self`` (reflected)"
            variants[f"__i{short}__"] = "written into ``self`` through its view (in place)"
        if short in _UNARY:
            variants = {f"__{short}__": "of ``self``"}
        for name, how in variants.items():
            op = getattr(cls, name)
            op.__qualname__ = f"{cls.__name__}.{name}"
            op.__module__ = cls.__module__
            op.__doc__ = f":func:`{func_name}` {how}.\n\n{_SPEC_METHOD.format(f'__{short}__')}"
