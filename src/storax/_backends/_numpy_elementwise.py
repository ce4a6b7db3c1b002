"""The NumPy backend's element-wise kernels: NumPy's ufuncs, corrected where NumPy departs
from the standard's special cases (only on the affected elements, so the common path stays
one ufunc call). The namespace chapter validates arguments; these only compute.
"""

from __future__ import annotations

import builtins
import math
from typing import Any

import numpy as np

_ndarray = np.ndarray
_generic = np.generic

# --------------------------------------------------------------------------- kernels
# A kernel takes backend values (ndarrays, NumPy scalars or Python scalars) and returns
# the backend result. Corrections run only when the inputs can hit the affected cases.


def _ignore_fp() -> Any:
    return np.errstate(invalid="ignore", divide="ignore", over="ignore")


def _floor_divide(a: Any, b: Any) -> Any:
    if not _may_have_inf(a, b):
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


# Below this many elements the checks that choose a kernel's path read the elements as
# Python floats (``tolist``, ``sum``, ``min``: a few hundred ns), where NumPy's reductions
# cost 2-3 µs each, more than the computation they guard.
_SMALL = 256


def _elements(v: np.ndarray) -> list[Any]:
    """The elements of a small array (or NumPy scalar) as a flat list of Python scalars."""
    return (v if v.ndim == 1 else v.ravel()).tolist()


def _may_have_inf(a: Any, b: Any) -> builtins.bool:
    """Whether either operand (real-valued) may hold an infinity (cheap, conservative)."""
    if type(a) is _ndarray and type(b) is _ndarray:
        if a.dtype.kind in "biu" and b.dtype.kind in "biu":
            return False  # integers hold no infinity
        if a.size > _SMALL or b.size > _SMALL:
            return _has_inf(a) or _has_inf(b)
        # Sums of Python numbers (no floating-point warnings, unlike NumPy's): an infinite
        # or NaN element makes them non-finite; an overflow only takes the exact path.
        return not math.isfinite(sum(_elements(a)) + sum(_elements(b)))
    return _has_inf(a) or _has_inf(b)


def _has_inf(v: Any) -> builtins.bool:
    """Whether a floating-point operand holds an infinity (False for other dtypes); may
    say True for one that holds NaN instead (callers then take their exact path)."""
    t = type(v)
    if t is float:
        return math.isinf(v)
    if t is int or t is builtins.bool or v.dtype.kind not in "fc":
        return False
    if v.size <= _SMALL and v.dtype.kind == "f":
        # a sum of Python floats is finite if no element is infinite or NaN
        return not math.isfinite(sum(_elements(v)))
    return not np.isfinite(v).all()


def _pow(a: Any, b: Any) -> Any:
    tb = type(b)
    if tb is int:
        # ``x ** 2`` is common: square() is exact and twice as fast as power().
        return np.square(a) if b == 2 else np.power(a, b)
    if tb is float and type(a) is _ndarray and a.dtype.kind == "f" and a.ndim:
        # a float array to a Python float: only 0.5 meets NumPy's sqrt path (below)
        return _sqrt_power(a) if b == 0.5 else np.power(a, b)
    if not _half_power_hazard(a, b):
        return np.power(a, b)
    if type(b) is float and type(a) is _ndarray and a.ndim and a.dtype.kind == "f":
        return _sqrt_power(a)
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


def _sqrt_power(a: np.ndarray) -> np.ndarray:
    """``a ** 0.5`` of a float array (Python-float exponent): NumPy's own fast path
    (``sqrt``), corrected where the base is -0 (the standard's +0) or -inf (+inf).

    One reduction (``fmin``, which skips NaNs) tells which corrections can apply: none
    for a positive base (the common case), one in-place ``+ 0.0`` (which turns -0 into +0
    and keeps every other result) when the base has zeros or negative finite values, the
    element-wise fix only when it holds -inf."""
    # Note: NumPy's ``a ** 0.5`` is ``sqrt(a)`` (with its warning for negative bases,
    # kept as NumPy's); its ufunc ``power(a, 0.5)`` runs C's ``pow``, twice as slow, and
    # 20x slower on negative bases (libm's error path).
    if a.size <= _SMALL:
        # Python's ``min`` of floats: > 0 only if every non-NaN element is (a NaN first
        # gives NaN, which takes the exact path below)
        elements = _elements(a)
        if min(elements, default=1.0) > 0:
            return np.sqrt(a)
        neg_inf = -math.inf in elements  # (a scan of Python floats: no reduction)
        low = -math.inf if neg_inf else 0.0  # only its sign and infinity matter below
    else:
        low = np.fmin.reduce(a, axis=None) if a.size else 1.0
    if low == -math.inf:  # corrected to +inf: NumPy's warning about it is dropped
        with _ignore_fp():
            r = np.sqrt(a)
        np.copyto(r, math.inf, where=np.isinf(a) & (a < 0))
    else:
        r = np.sqrt(a)
        if not low <= 0:  # positive, or all NaN
            return r
    np.add(r, 0.0, out=r)
    return r


def _half_power_hazard(a: Any, b: Any) -> builtins.bool:
    """Whether ``a ** b`` may meet NumPy's fast path for a scalar exponent of 0.5 (its
    ``sqrt``) with a base holding -0 or -inf (cheap and conservative). Other scalar
    exponents go through C's ``pow``, which follows the standard."""
    tb = type(b)
    if tb is float:
        if b != 0.5:
            return False
    elif tb is _ndarray or isinstance(b, _generic):
        if b.size != 1 or b.dtype.kind != "f" or float(b.reshape(())) != 0.5:
            return False
    else:
        return False
    ta = type(a)
    if ta is float:
        return math.copysign(1.0, a) < 0 and (a == 0 or math.isinf(a))
    if ta is int or ta is builtins.bool or a.dtype.kind != "f":
        return False
    if type(a) is _ndarray and a.ndim and tb is float:
        return True  # _sqrt_power detects and corrects in one reduction
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


def _imag(x: Any) -> Any:
    """The imaginary part, fresh: zeros (not a computation) for a real-valued ``x``."""
    if x.dtype.kind != "c":
        return np.zeros(x.shape, dtype=x.dtype)
    return np.array(np.imag(x), copy=True)


def _copy(impl: Any) -> Any:
    """A kernel that always returns a fresh array (NumPy returns views or read-only arrays)."""

    def kernel(x: Any) -> Any:
        return np.array(impl(x), copy=True)

    return kernel


# name -> kernel (on NumPy values, returning NumPy values)
UNARY: dict[str, Any] = {
    "abs": np.abs,
    "acos": np.arccos,
    "acosh": np.arccosh,
    "asin": np.arcsin,
    "asinh": np.arcsinh,
    "atan": np.arctan,
    "atanh": np.arctanh,
    "bitwise_invert": np.invert,
    "ceil": np.ceil,
    "conj": np.conj,
    "cos": np.cos,
    "cosh": np.cosh,
    "exp": np.exp,
    "expm1": _expm1,
    "floor": np.floor,
    # Note: ``real``/``imag`` copy: NumPy returns a strided view into the complex buffer
    # (a different dtype than its storage), or the input itself, or a read-only array.
    "imag": _imag,
    "isfinite": np.isfinite,
    "isinf": np.isinf,
    "isnan": np.isnan,
    "log": np.log,
    "log1p": np.log1p,
    "log2": np.log2,
    "log10": np.log10,
    "logical_not": np.logical_not,
    "negative": np.negative,
    "positive": np.positive,
    "real": _copy(np.real),
    "reciprocal": np.reciprocal,
    # NumPy rounds halves to even, as the standard asks.
    "round": np.round,
    "sign": np.sign,
    "signbit": np.signbit,
    "sin": np.sin,
    "sinh": np.sinh,
    "square": np.square,
    "sqrt": np.sqrt,
    "tan": np.tan,
    "tanh": _tanh,
    "trunc": np.trunc,
}

# NumPy's shifts already follow the standard for counts >= the bit width (0, or the sign
# fill for right shifts of negative values); its integer arithmetic wraps on overflow.
BINARY: dict[str, Any] = {
    "add": np.add,
    "atan2": np.arctan2,
    "bitwise_and": np.bitwise_and,
    "bitwise_left_shift": np.left_shift,
    "bitwise_or": np.bitwise_or,
    "bitwise_right_shift": np.right_shift,
    "bitwise_xor": np.bitwise_xor,
    "copysign": np.copysign,
    # Note: storax, like NumPy and PyTorch, also divides integer arrays (a floating result).
    "divide": np.true_divide,
    "equal": np.equal,
    "floor_divide": _floor_divide,
    "greater": np.greater,
    "greater_equal": np.greater_equal,
    "hypot": np.hypot,
    "less": np.less,
    "less_equal": np.less_equal,
    "logaddexp": np.logaddexp,
    "logical_and": np.logical_and,
    "logical_or": np.logical_or,
    "logical_xor": np.logical_xor,
    "maximum": np.maximum,
    "minimum": np.minimum,
    "multiply": np.multiply,
    "nextafter": np.nextafter,
    "not_equal": np.not_equal,
    "pow": _pow,
    "remainder": np.remainder,
    "subtract": np.subtract,
}
