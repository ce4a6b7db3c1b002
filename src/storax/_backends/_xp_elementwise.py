"""Element-wise functions on backends other than NumPy (JAX): dtypes, kernels, corrections.

The namespace functions (``_elementwise_functions``) validate their arguments the same way
on every backend; for an Array of another backend they call :func:`unary` / :func:`binary`
here, which compute with that backend's array module ``backend.xp``:

- the result dtype, and the errors for operands NumPy refuses (no loop for the dtypes, a
  Python int out of the array dtype's range), come from the NumPy kernel applied to empty
  arrays of the operands' dtypes, so both backends promote identically (jax.numpy's own
  promotion differs: ``int64 + float32`` is float32 there, float64 in NumPy);
- the operands are cast to that dtype and the backend's function computes the result;
- where jax.numpy departs from the standard's special cases or from NumPy (floor division
  and remainder of signed zeros and infinities, integer division by zero, complex special
  cases, negative integer powers, comparisons with out-of-range Python ints), a corrected
  kernel built from ``xp`` operations is used instead; the corrected kernels are jitted
  (one compilation per shape and dtype instead of one per correcting operation).
"""

from __future__ import annotations

import builtins
import math
import operator
from typing import Any

import numpy as np

from . import _numpy_elementwise as _npe
from ._dtype_support import narrow_host, promoted

_ndarray = np.ndarray
_generic = np.generic
_PY_SCALARS = (bool, int, float, complex)

# name -> Python comparison, for comparisons with Python ints outside the array's range.
_COMPARE = {
    "equal": operator.eq,
    "not_equal": operator.ne,
    "less": operator.lt,
    "less_equal": operator.le,
    "greater": operator.gt,
    "greater_equal": operator.ge,
}


def _empty_like(v: Any) -> Any:
    """What stands for an operand in NumPy's dtype resolution (Python scalars stay weak)."""
    if type(v) in _PY_SCALARS:
        return v
    return np.empty(0, dtype=v.dtype)


def _resolve(np_kernel: Any, *operands: Any) -> Any:
    """The result dtype NumPy gives ``np_kernel(*operands)``, raising NumPy's errors."""
    with np.errstate(all="ignore"):
        return np.asarray(np_kernel(*(_empty_like(v) for v in operands))).dtype


# Result dtypes, keyed by backend name, function and operand dtypes; on a device without
# 64-bit types a 64-bit result is narrowed or refused once, here (``promoted``).
_UNARY_DTYPES: dict[tuple[str, str, Any], Any] = {}
_BINARY_DTYPES: dict[tuple[str, str, Any, Any], Any] = {}


def _device_of(backend: Any, *operands: Any) -> Any:
    for v in operands:
        if isinstance(v, backend.ArrayType):
            return backend.device_of(v)
    return None


def _on_device(backend: Any, dtype: Any, *operands: Any) -> Any:
    """``dtype`` (NumPy's result dtype) as a result on the operands' device can have it
    (its TypeError is named by the caller, as NumPy's errors are)."""
    if backend.x64:
        return dtype
    return promoted(dtype, backend, _device_of(backend, *operands), None)


# ------------------------------------------------------------------------- kernels


def _float_floor_divide(xp: Any, a: Any, b: Any) -> Any:
    # Note: jax.numpy's floor_divide loses the sign of zero quotients and gives NaN for
    # infinite operands; this is NumPy's algorithm (the quotient of ``a - fmod(a, b)``,
    # floored), then the standard's ``x1 / x2`` wherever exactly one operand is infinite.
    mod = xp.fmod(a, b)
    div = (a - mod) / b
    div = xp.where((mod != 0) & ((b < 0) != (mod < 0)), div - 1, div)
    floor = xp.floor(div)
    floor = xp.where(div - floor > 0.5, floor + 1, floor)
    quotient = a / b
    floor = xp.where(div == 0, xp.copysign(xp.zeros_like(div), quotient), floor)
    floor = xp.where(b == 0, quotient, floor)
    return xp.where(xp.isinf(a) != xp.isinf(b), quotient, floor)


def _float_remainder(xp: Any, a: Any, b: Any) -> Any:
    # Note: jax.numpy's remainder gives +0 for ``-0 % 2`` and ``0 % -2``; the standard (and
    # NumPy) give the divisor's sign to a zero remainder.
    mod = xp.fmod(a, b)
    fixed = xp.where((b < 0) != (mod < 0), mod + b, mod)
    mod_ = xp.where(mod != 0, fixed, xp.copysign(xp.zeros_like(mod), b))
    return xp.where(b == 0, mod, mod_)


def _make_division(xp: Any, floor: bool) -> Any:
    func = xp.floor_divide if floor else xp.remainder
    float_kernel = _float_floor_divide if floor else _float_remainder

    def kernel(a: Any, b: Any) -> Any:
        dtype = xp.result_type(a, b)
        if xp.issubdtype(dtype, xp.floating):
            return float_kernel(xp, a, b)
        # Note: jax.numpy gives ``x // 0 == -1`` (and ``x % 0 == x``) for integers; storax
        # gives NumPy's 0 on both backends (the standard leaves it unspecified).
        zero = b == 0
        safe = xp.where(zero, xp.ones_like(b), b)
        return xp.where(zero, xp.zeros((), dtype=dtype), func(a, safe))

    return kernel


# Complex special cases (C99 Annex G, as the standard states them) that jax.numpy does
# not follow. Each rule: (condition on the real part, condition on the imaginary part,
# result); the first matching rule wins. Rules are stated for a non-negative imaginary part
# (and a non-negative real part for odd or even functions); the others follow by symmetry:
# every function here (but sign, whose rules cover all signs) satisfies
# f(conj(z)) == conj(f(z)), odd ones f(-z) == -f(z), even ones f(-z) == f(z).
_PI = math.pi
_NAN, _INF = math.nan, math.inf
_NN = (_NAN, _NAN)
_CIS_INF = "inf*cis(b)"
_CIS_ZERO = "0*cis(b)"
_CIS_INF_M1 = "inf*cis(b)-1"
_CIS_ZERO_M1 = "0*cis(b)-1"

_LOG_RULES: list[tuple[str, str, Any]] = [
    ("fin", "+inf", (_INF, _PI / 2)),
    ("fin", "nan", _NN),
    ("-inf", "fin", (_INF, _PI)),
    ("+inf", "fin", (_INF, 0.0)),
    ("-inf", "+inf", (_INF, 3 * _PI / 4)),
    ("+inf", "+inf", (_INF, _PI / 4)),
    ("inf", "nan", (_INF, _NAN)),
    ("nan", "fin", _NN),
    ("nan", "+inf", (_INF, _NAN)),
    ("nan", "nan", _NN),
]

_COMPLEX_RULES: dict[str, tuple[str, list[tuple[str, str, Any]]]] = {
    "acos": (
        "conj",
        [
            ("0", "+0", (_PI / 2, -0.0)),
            ("0", "nan", (_PI / 2, _NAN)),
            ("fin", "+inf", (_PI / 2, -_INF)),
            ("fin", "nan", _NN),
            ("-inf", "fin", (_PI, -_INF)),
            ("+inf", "fin", (0.0, -_INF)),
            ("-inf", "+inf", (3 * _PI / 4, -_INF)),
            ("+inf", "+inf", (_PI / 4, -_INF)),
            ("inf", "nan", (_NAN, _INF)),
            ("nan", "fin", _NN),
            ("nan", "+inf", (_NAN, -_INF)),
            ("nan", "nan", _NN),
        ],
    ),
    "acosh": (
        "conj",
        [
            ("0", "+0", (0.0, _PI / 2)),
            ("fin", "+inf", (_INF, _PI / 2)),
            ("0", "nan", (_NAN, _PI / 2)),
            ("fin", "nan", _NN),
            ("-inf", "fin", (_INF, _PI)),
            ("+inf", "fin", (_INF, 0.0)),
            ("-inf", "+inf", (_INF, 3 * _PI / 4)),
            ("+inf", "+inf", (_INF, _PI / 4)),
            ("inf", "nan", (_INF, _NAN)),
            ("nan", "fin", _NN),
            ("nan", "+inf", (_INF, _NAN)),
            ("nan", "nan", _NN),
        ],
    ),
    "asinh": (
        "odd",
        [
            ("+0", "+0", (0.0, 0.0)),
            ("fin", "+inf", (_INF, _PI / 2)),
            ("fin", "nan", _NN),
            ("+inf", "fin", (_INF, 0.0)),
            ("+inf", "+inf", (_INF, _PI / 4)),
            ("+inf", "nan", (_INF, _NAN)),
            ("nan", "+0", (_NAN, 0.0)),
            ("nan", "fin", _NN),
            ("nan", "+inf", (_INF, _NAN)),
            ("nan", "nan", _NN),
        ],
    ),
    "atan": ("conj", []),
    "atanh": (
        "odd",
        [
            ("+0", "+0", (0.0, 0.0)),
            ("+0", "nan", (0.0, _NAN)),
            ("1", "+0", (_INF, 0.0)),
            ("fin", "+inf", (0.0, _PI / 2)),
            ("fin", "nan", _NN),
            ("+inf", "fin", (0.0, _PI / 2)),
            ("+inf", "+inf", (0.0, _PI / 2)),
            ("+inf", "nan", (0.0, _NAN)),
            ("nan", "fin", _NN),
            ("nan", "+inf", (0.0, _PI / 2)),
            ("nan", "nan", _NN),
        ],
    ),
    "cosh": (
        "even",
        [
            ("+0", "+0", (1.0, 0.0)),
            ("+0", "+inf", (_NAN, 0.0)),
            ("+0", "nan", (_NAN, 0.0)),
            ("fin", "+inf", _NN),
            ("fin", "nan", _NN),
            ("+inf", "+0", (_INF, 0.0)),
            ("+inf", "fin", _CIS_INF),
            ("+inf", "+inf", (_INF, _NAN)),
            ("+inf", "nan", (_INF, _NAN)),
            ("nan", "0", (_NAN, 0.0)),
            ("nan", "any", _NN),
        ],
    ),
    "exp": (
        "conj",
        [
            ("0", "+0", (1.0, 0.0)),
            ("fin", "+inf", _NN),
            ("fin", "nan", _NN),
            ("+inf", "+0", (_INF, 0.0)),
            ("-inf", "fin", _CIS_ZERO),
            ("+inf", "fin", _CIS_INF),
            ("-inf", "+inf", (0.0, 0.0)),
            ("+inf", "+inf", (_INF, _NAN)),
            ("-inf", "nan", (0.0, 0.0)),
            ("+inf", "nan", (_INF, _NAN)),
            ("nan", "+0", (_NAN, 0.0)),
            ("nan", "any", _NN),
        ],
    ),
    "expm1": (
        "conj",
        [
            ("0", "+0", (0.0, 0.0)),
            ("fin", "+inf", _NN),
            ("fin", "nan", _NN),
            ("+inf", "+0", (_INF, 0.0)),
            ("-inf", "fin", _CIS_ZERO_M1),
            ("+inf", "fin", _CIS_INF_M1),
            ("-inf", "+inf", (-1.0, 0.0)),
            ("+inf", "+inf", (_INF, _NAN)),
            ("-inf", "nan", (-1.0, 0.0)),
            ("+inf", "nan", (_INF, _NAN)),
            ("nan", "+0", (_NAN, 0.0)),
            ("nan", "any", _NN),
        ],
    ),
    "log": ("conj", [("-0", "+0", (-_INF, _PI)), ("+0", "+0", (-_INF, 0.0)), *_LOG_RULES]),
    "log1p": ("conj", [("-1", "+0", (-_INF, 0.0)), *_LOG_RULES]),
    # Note: jax.numpy's sign keeps the signs of a zero's components; the standard: 0 + 0j.
    "sign": ("none", [("0", "0", (0.0, 0.0)), ("nan", "any", _NN), ("any", "nan", _NN)]),
    "sinh": (
        "odd",
        [
            ("+0", "+0", (0.0, 0.0)),
            ("+0", "+inf", (0.0, _NAN)),
            ("+0", "nan", (0.0, _NAN)),
            ("fin", "+inf", _NN),
            ("fin", "nan", _NN),
            ("+inf", "+0", (_INF, 0.0)),
            ("+inf", "fin", _CIS_INF),
            ("+inf", "+inf", (_INF, _NAN)),
            ("+inf", "nan", (_INF, _NAN)),
            ("nan", "+0", (_NAN, 0.0)),
            ("nan", "any", _NN),
        ],
    ),
    "sqrt": (
        "conj",
        [
            ("0", "+0", (0.0, 0.0)),
            ("any", "+inf", (_INF, _INF)),
            ("fin", "nan", _NN),
            ("-inf", "fin", (0.0, _INF)),
            ("+inf", "fin", (_INF, 0.0)),
            ("-inf", "nan", (_NAN, _INF)),
            ("+inf", "nan", (_INF, _NAN)),
            ("nan", "any", _NN),
        ],
    ),
    "tanh": (
        "odd",
        [
            ("+0", "+0", (0.0, 0.0)),
            ("+0", "+inf", (0.0, _NAN)),
            ("+0", "nan", (0.0, _NAN)),
            ("fin", "+inf", _NN),
            ("fin", "nan", _NN),
            ("+inf", "any", (1.0, 0.0)),
            ("nan", "+0", (_NAN, 0.0)),
            ("nan", "any", _NN),
        ],
    ),
}


def _condition(xp: Any, code: str, v: Any) -> Any:
    """Elements of the real array ``v`` that satisfy a rule's condition ``code``."""
    if code == "any":
        return xp.ones(v.shape, dtype=bool)
    if code == "nan":
        return xp.isnan(v)
    if code == "fin":
        return xp.isfinite(v)
    if code == "inf":
        return xp.isinf(v)
    if code == "+inf":
        return v == _INF
    if code == "-inf":
        return v == -_INF
    if code == "0":
        return v == 0
    if code == "+0":
        return (v == 0) & ~xp.signbit(v)
    if code == "-0":
        return (v == 0) & xp.signbit(v)
    return v == float(code)  # "1", "-1"


def _rule_value(xp: Any, result: Any, b: Any) -> tuple[Any, Any]:
    if type(result) is tuple:
        return result
    scale = _INF if result in (_CIS_INF, _CIS_INF_M1) else 0.0
    re, im = scale * xp.cos(b), scale * xp.sin(b)
    if result in (_CIS_INF_M1, _CIS_ZERO_M1):
        re = re - 1.0
    return re, im


def _near_branch_point(xp: Any, make_complex: Any, name: str, x: Any, out: Any) -> Any:
    """``out`` with atan's/atanh's infinite component recomputed near the branch points.

    Note: jax.numpy's complex atan/atanh lose all precision close to ``±1j``/``±1`` (e.g.
    ``atan(1e-237 + 1j)`` gives an infinite imaginary part instead of about 273.17); there
    the component is ``(log|1 + w| - log|1 - w|) / 2``, from hypot (no underflow).
    """
    a, b = xp.real(x), xp.imag(x)
    if name == "atan":  # the imaginary part, w = b + ia
        u, v, part = b, a, xp.imag(out)
    else:  # atanh: the real part, w = a + ib
        u, v, part = a, b, xp.real(out)
    exact = 0.5 * (xp.log(xp.hypot(1 + u, v)) - xp.log(xp.hypot(1 - u, v)))
    fix = xp.isfinite(x) & xp.isinf(part) & (v != 0)
    part = xp.where(fix, exact, part)
    if name == "atan":
        return make_complex(xp.real(out), part)
    return make_complex(part, xp.imag(out))


def _make_complex_rules(backend: Any, xp: Any, name: str) -> Any:
    """The backend's ``name`` corrected by the complex special-case rules above."""
    symmetry, rules = _COMPLEX_RULES[name]
    func = getattr(xp, name)
    # Note: jax.numpy has no function that builds a complex array from two real ones
    # without multiplying (``re + 1j * im`` turns an infinite ``im`` into a NaN real part).
    make_complex = backend.make_complex

    def kernel(x: Any) -> Any:
        out = func(x)
        if not xp.issubdtype(x.dtype, xp.complexfloating):
            # Note: jax.numpy's sign(-0.0) is -0.0; NumPy's (and the standard's) is 0.
            return xp.where(x == 0, xp.zeros_like(out), out) if name == "sign" else out
        if name in ("atan", "atanh"):
            out = _near_branch_point(xp, make_complex, name, x, out)
        a, b = xp.real(x), xp.imag(x)
        neg_a = neg_b = None
        if symmetry != "none":
            neg_b = xp.signbit(b) & ~xp.isnan(b)
            b = xp.abs(b)
        if symmetry in ("odd", "even"):
            neg_a = xp.signbit(a) & ~xp.isnan(a)
            a = xp.abs(a)
        hit = xp.zeros(x.shape, dtype=bool)
        re = im = xp.zeros_like(a)
        for code_a, code_b, result in reversed(rules):
            cond = _condition(xp, code_a, a) & _condition(xp, code_b, b)
            value_re, value_im = _rule_value(xp, result, b)
            re = xp.where(cond, value_re, re)
            im = xp.where(cond, value_im, im)
            hit = hit | cond
        if neg_a is not None:  # odd: f(-conj(z)) == -conj(f(z)); even: == conj(f(z))
            if symmetry == "odd":
                re = xp.where(neg_a, -re, re)
            else:
                im = xp.where(neg_a, -im, im)
        if neg_b is not None:
            im = xp.where(neg_b, -im, im)
        fixed = make_complex(re.astype(a.dtype), im.astype(a.dtype))
        return xp.where(hit, fixed, out)

    return kernel


def _make_pow(xp: Any, while_loop: Any = None, steps: int | None = None) -> Any:
    """The corrected ``pow`` kernel; ``steps``: integer exponents are known to have at most
    that many bits (checked on the host), so one fused pass of that many rounds does."""

    def pow_(a: Any, b: Any) -> Any:
        a, b = xp.asarray(a), xp.asarray(b)
        if a.dtype.kind not in "iu" or b.dtype.kind not in "iu":
            return xp.pow(a, b)
        # Note: jax.numpy's integer power of an array exponent is wrong for large exponents
        # (``65533 ** 65533`` in uint16 gives 7917; NumPy, like exact arithmetic modulo
        # 2**16, gives 9709): it stops after 6 bits. Square and multiply, wrapping, over
        # every bit of the exponent up to the largest exponent's highest bit (a loop of
        # the data's length where the backend has one, else over all bits).
        a, b = xp.broadcast_arrays(a, b.astype(a.dtype))
        # the exponent's bits as unsigned: shifts bring even a negative one to 0
        bits = b.astype(f"u{a.dtype.itemsize}")
        n = a.dtype.itemsize * 8
        if steps is not None:
            return _square_multiply(xp, xp.ones_like(a), a, bits, min(n, steps))[0]
        if while_loop is None:
            return _square_multiply(xp, xp.ones_like(a), a, bits, n)[0]
        # The first 8 bits in one fused pass (exponents below 256 need nothing more),
        # then 8 more per round while any exponent has bits left.
        state = _square_multiply(xp, xp.ones_like(a), a, bits, min(n, 8))
        if n <= 8:
            return state[0]
        return while_loop(
            lambda st: xp.any(st[2] != 0),
            lambda st: _square_multiply(xp, st[0], st[1], st[2], 8),
            state,
        )[0]

    return pow_


def _square_multiply(xp: Any, result: Any, base: Any, bits: Any, n: int) -> Any:
    """``n`` rounds of binary exponentiation: (result, base, remaining exponent bits)."""
    for _ in range(n):
        result = xp.where((bits & 1) == 1, result * base, result)
        base = base * base
        bits = bits >> 1
    return result, base, bits


def _kernels(backend: Any) -> dict[str, Any]:
    """The corrected kernels of ``backend`` (built, and jitted, on first use)."""
    kernels: dict[str, Any] | None = _CORRECTED.get(backend.name)
    if kernels is not None:
        return kernels
    xp = backend.xp
    jit = backend.compile_kernel
    kernels = {
        "floor_divide": jit(_make_division(xp, True)),
        "remainder": jit(_make_division(xp, False)),
        "pow": jit(_make_pow(xp, getattr(backend, "while_loop", None))),
    }
    if backend.caps.traced:  # jax.numpy's complex special cases need correcting
        for name in _COMPLEX_RULES:
            kernels[name] = jit(_make_complex_rules(backend, xp, name))
    _CORRECTED[backend.name] = kernels
    return kernels


_CORRECTED: dict[str, dict[str, Any]] = {}
# The dtype kinds a unary kernel's correction is for (default: complex only).
_CORRECTED_KINDS = {"sign": "fc"}


# ----------------------------------------------------------------------- entry points


def unary(backend: Any, name: str, func_name: str, np_kernel: Any, v: Any) -> Any:
    """``func_name(v)`` on ``backend`` (``v``: a validated backend value), as
    ``(value, kernel)``: ``kernel`` is the backend's own, when it needed neither a
    correction nor a cast for ``v``'s dtype (the caller may then call it directly), else
    None."""
    key = (backend.name, func_name, v.dtype)
    dtype = _UNARY_DTYPES.get(key)
    if dtype is None:
        dtype = _UNARY_DTYPES[key] = _on_device(backend, _resolve(np_kernel, v), v)
    kernel = _kernels(backend).get(func_name)
    if kernel is None or v.dtype.kind not in _CORRECTED_KINDS.get(func_name, "c"):
        kernel = getattr(backend.kx, func_name)
        r = kernel(v)
        if r.dtype == dtype:
            return r, kernel
        return r.astype(dtype), None
    r = kernel(v)
    return (r if r.dtype == dtype else r.astype(dtype)), None


# Functions whose backend kernel needs no correction for same-dtype operands.
_PLAIN_BINARY = frozenset(
    ("add", "subtract", "multiply", "equal", "not_equal", "less", "less_equal", "greater",
     "greater_equal", "maximum", "minimum", "logical_and", "logical_or", "logical_xor",
     "bitwise_and", "bitwise_or", "bitwise_xor", "hypot", "logaddexp", "copysign", "atan2")
)  # fmt: skip


def _is_array(v: Any) -> bool:
    return type(v) not in _PY_SCALARS


def binary(backend: Any, name: str, func_name: str, np_kernel: Any, a: Any, b: Any) -> Any:
    """``func_name(a, b)`` on ``backend`` as a value.

    ``a``/``b``: validated backend values, NumPy arrays or Python scalars (at most one).
    Raises NumPy's errors, named ``name``.
    """
    xp = backend.xp
    array_a, array_b = _is_array(a), _is_array(b)
    if array_a and array_b:
        key = (backend.name, func_name, a.dtype, b.dtype)
        dtype = _BINARY_DTYPES.get(key)
        if dtype is None:
            if not backend.x64:
                a, b = _host_operand(backend, a), _host_operand(backend, b)
                key = (backend.name, func_name, a.dtype, b.dtype)
            dtype = _BINARY_DTYPES[key] = _on_device(backend, _resolve(np_kernel, a, b), a, b)
        elif (
            a.shape == b.shape
            and type(a) is type(b)
            and isinstance(a, backend.ArrayType)
            and (kernel := _PAIR_KERNELS.get(key)) is not None
        ):
            # mixed dtypes seen before (no broadcasting): the compiled cast-and-apply
            return kernel(a, b)
        elif (
            a.dtype == b.dtype
            and (dtype == a.dtype or dtype.kind == "b")
            and func_name in _PLAIN_BINARY
            and isinstance(a, backend.ArrayType)
            and isinstance(b, backend.ArrayType)
        ):
            # Fast path: same dtype, no correction needed; the kernel broadcasts as the
            # standard does (shapes that do not broadcast: the check below raises).
            try:
                return getattr(backend.kx, func_name)(a, b)
            except Exception:
                if a.shape == b.shape:
                    raise
        try:
            shape = np.broadcast_shapes(np.shape(a), np.shape(b))
        except ValueError:
            raise ValueError(
                f"{name}: operands could not be broadcast together with shapes "
                f"{tuple(np.shape(a))} and {tuple(np.shape(b))}"
            ) from None
    else:
        array, scalar = (a, b) if array_a else (b, a)
        if not backend.x64 and not isinstance(array, backend.ArrayType):
            array = _host_operand(backend, array)
            a, b = (array, b) if array_a else (a, array)
        if type(scalar) is int and array.dtype.kind in "iu":
            # NumPy's range check of the Python int
            dtype = _on_device(backend, _resolve(np_kernel, a, b), array)
            info = np.iinfo(array.dtype)
            if info.min <= scalar <= info.max:
                _SCALAR_DTYPES[(backend.name, func_name, array.dtype, int, array_a)] = dtype
        else:
            scalar_key = (backend.name, func_name, array.dtype, type(scalar), array_a)
            dtype = _SCALAR_DTYPES.get(scalar_key)
            if dtype is None:
                dtype = _SCALAR_DTYPES[scalar_key] = _on_device(
                    backend, _resolve(np_kernel, a, b), array
                )
        shape = np.shape(array)
    if (
        func_name == "pow"
        and type(b) is int
        and array_a
        and -_INT_POW_MAX <= b <= _INT_POW_MAX
        and (b >= 0 or dtype.kind in "fc")
        and isinstance(a, backend.ArrayType)
    ):
        return _int_pow_kernel(backend, dtype, b)(a)
    if dtype.kind == "b":
        common = _on_device(backend, np.result_type(_empty_like(a), _empty_like(b)), a, b)
        compare = _COMPARE.get(func_name)
        if compare is not None:
            for scalar, first in ((b, False), (a, True)):
                if type(scalar) is int and common.kind in "iu":
                    info = np.iinfo(common)
                    if not info.min <= scalar <= info.max:
                        # Note: NumPy compares Python ints outside the dtype exactly; every
                        # element then compares as any in-range value (0) does.
                        value = compare(scalar, 0) if first else compare(0, scalar)
                        return xp.full(shape, value, dtype=bool)
    else:
        common = dtype
    native = backend.ArrayType
    if array_a and not isinstance(a, native):  # a NumPy operand: move it to the backend
        a = xp.asarray(a)
    if array_b and not isinstance(b, native):
        b = xp.asarray(b)
    if func_name == "pow" and common.kind in "iu" and array_b and backend.caps.traced:
        # (JAX) one dispatch and one host read of two flags
        return _checked_pow(backend, common, dtype)(a, b)
    kernel = _cast_kernel(backend, func_name, common, dtype)
    if func_name == "pow" and common.kind in "iu":
        bits = _check_integer_exponent(backend, xp, name, b)
        if bits is not None:  # the exponents' bits are known: one pass of that many rounds
            kernel = _cast_kernel(backend, func_name, common, dtype, _rounds(bits, common))
    elif array_a and array_b:
        _PAIR_KERNELS[(backend.name, func_name, a.dtype, b.dtype)] = kernel
    return kernel(a, b)


# (backend, function, dtype, dtype) -> the cast-and-apply kernel of array pairs seen before
_PAIR_KERNELS: dict[tuple[str, str, Any, Any], Any] = {}


_SCALAR_DTYPES: dict[tuple[str, str, Any, type, bool], Any] = {}


def _host_operand(backend: Any, v: Any) -> Any:
    """A NumPy operand of a 64-bit type, in its 32-bit type (a device without them)."""
    if isinstance(v, _ndarray) and v.dtype not in backend.supported_dtypes:
        return narrow_host(v, backend, None)
    return v


def scalar_kernel(
    backend: Any, func_name: str, array_dtype: Any, scalar_type: type, array_first: bool
) -> tuple[Any, Any, Any] | None:
    """``(kernel, low, high)``: the compiled kernel of ``array op scalar`` (``scalar op
    array`` when not ``array_first``), valid for scalars in ``[low, high]``, once
    :func:`binary` has validated that combination (``low`` None: any scalar); None where
    every call needs its own check (integer powers) or the combination was not seen yet."""
    dtype = _SCALAR_DTYPES.get((backend.name, func_name, array_dtype, scalar_type, array_first))
    if dtype is None:
        return None
    common = dtype
    if dtype.kind == "b":
        common = np.result_type(np.empty(0, dtype=array_dtype), scalar_type(0))
        if not backend.x64:
            common = promoted(common, backend, None, None)
    if func_name == "pow" and scalar_type is int and array_first:
        # ``x ** 2``: the exponent is part of the kernel (repeated multiplication, as
        # jax.numpy's own ``integer_pow``), not a traced float exponent of ``pow``
        lowest = 0 if dtype.kind in "iu" else -_INT_POW_MAX
        highest = _INT_POW_MAX
        if dtype.kind in "iu":
            highest = min(highest, int(np.iinfo(array_dtype).max))
        return _IntPow(backend, dtype), lowest, highest
    if func_name == "pow" and common.kind in "iu":
        return None
    low = high = None
    if scalar_type is int and array_dtype.kind in "iu":
        # Python ints out of the array dtype's range go through binary(): NumPy's error,
        # or the exact comparison
        info = np.iinfo(array_dtype)
        low, high = int(info.min), int(info.max)
    return _cast_kernel(backend, func_name, common, dtype), low, high


_CAST_KERNELS: dict[tuple[str, str, Any, Any, int | None], Any] = {}

# Python int exponents up to this magnitude compile a kernel of their own (as jax.numpy's
# ``x ** 3`` does); larger ones go through the traced ``pow``.
_INT_POW_MAX = 64
_INT_POW: dict[tuple[str, Any, int], Any] = {}


def _int_pow_kernel(backend: Any, dtype: Any, e: int) -> Any:
    """``x ** e`` for a Python int ``e`` known when compiling, computed in and returned as
    ``dtype`` (the promoted result's)."""
    key = (backend.name, dtype, e)
    kernel = _INT_POW.get(key)
    if kernel is None:
        xp = backend.xp

        def int_pow(a: Any) -> Any:
            if a.dtype != dtype:
                a = a.astype(dtype)
            return xp.pow(a, e)  # a concrete int: repeated multiplication

        kernel = _INT_POW[key] = backend.compile_kernel(int_pow)
    return kernel


class _IntPow:
    """The operator's scalar kernel for ``x ** e`` (Python int ``e``): one compiled
    kernel per exponent."""

    __slots__ = ("_backend", "_dtype", "_kernels")

    def __init__(self, backend: Any, dtype: Any) -> None:
        self._backend, self._dtype = backend, dtype
        self._kernels: dict[int, Any] = {}

    def __call__(self, a: Any, e: int) -> Any:
        kernel = self._kernels.get(e)
        if kernel is None:
            kernel = self._kernels[e] = _int_pow_kernel(self._backend, self._dtype, e)
        return kernel(a)


def _rounds(bits: int, common: Any) -> int:
    """The rounds of binary exponentiation for exponents of ``bits`` bits, at most the
    bits of ``common`` (a kernel per count: at most 64 per dtype pair)."""
    return min(common.itemsize * 8, bits)


def _cast_kernel(
    backend: Any, func_name: str, common: Any, dtype: Any, pow_rounds: int | None = None
) -> Any:
    """``func_name`` computed in ``common`` and returned as ``dtype``: the casts and the
    (corrected) kernel in one compiled function on JAX, so an operation on mixed dtypes
    or with a Python scalar costs one dispatch. ``pow_rounds``: an integer ``pow`` whose
    exponents have at most that many bits."""
    key = (backend.name, func_name, common, dtype, pow_rounds)
    kernel = _CAST_KERNELS.get(key)
    if kernel is not None:
        return kernel
    if pow_rounds is not None:
        func = _make_pow(backend.xp, steps=pow_rounds)
    else:
        corrected = _kernels(backend).get(func_name)
        func = corrected if corrected is not None else getattr(backend.xp, func_name)

    def cast_apply(a: Any, b: Any) -> Any:
        # (under jax.jit a Python scalar arrives as a weakly typed value, cast the same way)
        if _is_array(a) and a.dtype != common:
            a = a.astype(common)
        if _is_array(b) and b.dtype != common:
            b = b.astype(common)
        r = func(a, b)
        return r if r.dtype == dtype else r.astype(dtype)

    kernel = backend.compile_kernel(cast_apply)
    _CAST_KERNELS[key] = kernel
    return kernel


class _CheckedPow:
    """An integer ``pow`` with an array exponent and NumPy's negative-exponent check in
    one compiled kernel: 8 rounds of binary exponentiation (exponents below 256) and two
    flags, "an exponent is negative" and "an exponent has more bits": one dispatch and
    one host read of the flags (before: a kernel finding the exponents' sign and largest
    value, its host read, then the pow kernel of that many rounds). Larger exponents
    (rare: they overflow any base but 0 and +-1) are then computed as before. (A loop
    over the bits inside the kernel costs more: XLA's CPU while loop is ~60 us for 8
    elements, ~4x the fixed rounds on 10**6.) Traced exponents (under jax.jit) are not
    checked: the general kernel's result stands, as before."""

    __slots__ = ("_backend", "_kernel", "_wide")

    def __init__(self, backend: Any, common: Any, dtype: Any, wide: Any) -> None:
        xp = backend.xp
        n = common.itemsize * 8
        pow_ = _make_pow(xp, steps=min(n, 8))
        unsigned = f"u{common.itemsize}"

        def pow_checked(a: Any, b: Any) -> Any:
            negative = xp.any(b < 0)  # in the exponent's own dtype (unsigned: never)
            if _is_array(a) and a.dtype != common:
                a = a.astype(common)
            if b.dtype != common:
                b = b.astype(common)
            more = xp.any((b.astype(unsigned) >> 8) != 0) if n > 8 else xp.asarray(False)
            r = pow_(a, b)
            return (r if r.dtype == dtype else r.astype(dtype)), xp.stack([negative, more])

        self._backend, self._wide = backend, wide
        self._kernel = backend.compile_kernel(pow_checked)

    def __call__(self, a: Any, b: Any) -> Any:
        backend = self._backend
        if backend.is_tracer(a) or backend.is_tracer(b):
            return self._wide(a, b)
        r, flags = self._kernel(a, b)
        negative, more = backend.tolist(flags)
        if negative:
            raise ValueError(_NEGATIVE_POWER)
        return self._wide(a, b) if more else r


# (backend, common dtype, result dtype) -> its _CheckedPow (at most a few dozen integer pairs)
_CHECKED_POW: dict[tuple[str, Any, Any], _CheckedPow] = {}


def _checked_pow(backend: Any, common: Any, dtype: Any) -> _CheckedPow:
    key = (backend.name, common, dtype)
    kernel = _CHECKED_POW.get(key)
    if kernel is None:

        def wide(a: Any, b: Any) -> Any:
            # traced exponents (the general kernel), or eager ones of more than 8 bits:
            # their bit count read on the host, then that many rounds
            bits = _check_integer_exponent(backend, backend.xp, "pow", b)
            rounds = None if bits is None else _rounds(bits, common)
            return _cast_kernel(backend, "pow", common, dtype, rounds)(a, b)

        kernel = _CHECKED_POW[key] = _CheckedPow(backend, common, dtype, wide)
    return kernel


# NumPy's message; the caller puts the name of the function or operator in front.
_NEGATIVE_POWER = "Integers to negative integer powers are not allowed."
# backend -> the compiled kernel of an integer exponent's (any negative, largest value)
_EXPONENT_FACTS: dict[str, Any] = {}


def _check_integer_exponent(backend: Any, xp: Any, name: str, b: Any) -> int | None:
    """NumPy's error for a negative integer exponent of an integer base (its message: the
    caller names ``name``); returns the bit length of the largest exponent of an eager
    array ``b`` (None: unknown).

    Note: jax.numpy returns 0 there (or raises a TypeError for a Python int). Inside a
    traced function the exponent's values are unknown and JAX's result stands.
    """
    if type(b) is int:
        negative = b < 0
        bits = None
    elif b.dtype.kind not in "iu" or backend.is_tracer(b):
        return None
    else:
        # one compiled kernel and one host copy of its two numbers
        kernel = _EXPONENT_FACTS.get(backend.name)
        if kernel is None:
            kernel = _EXPONENT_FACTS[backend.name] = backend.compile_kernel(
                lambda v: xp.stack([xp.any(v < 0).astype(v.dtype), xp.max(v, initial=0)])
            )
        negative, largest = backend.tolist(kernel(b))
        bits = builtins.int(largest).bit_length()
    if negative:
        raise ValueError(_NEGATIVE_POWER)
    return bits


class UnaryKernels(dict):
    """A family's ``_unary_kernels``: ``kernels[name](value)`` computes the element-wise
    function ``name`` of a validated value of ``backend`` (made on first use; a dtype whose
    plain backend kernel needed no correction nor cast then calls it directly)."""

    def __init__(self, backend: Any) -> None:
        super().__init__()
        self._backend = backend

    def __missing__(self, name: str) -> Any:
        backend = self._backend
        np_kernel = _npe.UNARY[name]
        plain: dict[Any, Any] = {}

        def kernel(v: Any) -> Any:
            known = plain.get(v.dtype)
            if known is not None:
                return known(v)
            r, plain_kernel = unary(backend, name, name, np_kernel, v)
            if plain_kernel is not None:
                plain[v.dtype] = plain_kernel
            return r

        self[name] = kernel
        return kernel


class BinaryKernels(dict):
    """A family's ``_binary_kernels``: ``kernels[name](a, b)`` for validated values of
    ``backend``, NumPy values or Python scalars (NumPy's promotion, corrected kernels)."""

    def __init__(self, backend: Any) -> None:
        super().__init__()
        self._backend = backend

    def __missing__(self, name: str) -> Any:
        backend = self._backend
        np_kernel = _npe.BINARY[name]
        array_type = backend.ArrayType
        # (array dtype, scalar type, array first) -> the operators' compiled scalar kernel,
        # once binary() validated that combination: ``f(x, 0.5)`` as cheap as ``x + 0.5``
        scalars: dict[tuple[Any, type, bool], Any] = {}
        # dtypes whose same-dtype pairs ``binary`` computes with the bare kernel (plain
        # functions whose result keeps the dtype, or compares): two backend arrays of one
        # of them skip it (broadcast by the kernel; other shapes fall back to its error)
        fast = getattr(backend.kx, name) if name in _PLAIN_BINARY else None
        plain_dtypes: set[Any] = set()
        backend_name = backend.name

        def pair(a: Any, b: Any) -> Any:
            r = binary(backend, name, name, np_kernel, a, b)
            if fast is not None and isinstance(a, array_type) and isinstance(b, array_type):
                d = a.dtype
                out = _BINARY_DTYPES.get((backend.name, name, d, d)) if d == b.dtype else None
                if out is not None and (out == d or out.kind == "b"):
                    plain_dtypes.add(d)
            return r

        def kernel(a: Any, b: Any) -> Any:
            tb = type(b)
            if tb is int or tb is float:
                array, scalar, first = a, b, True
            else:
                ta = type(a)
                if ta is not int and ta is not float:
                    if (
                        tb is ta
                        and isinstance(a, array_type)
                        and a.dtype in plain_dtypes
                        and a.dtype == b.dtype
                    ):
                        try:
                            return fast(a, b)  # type: ignore[misc]
                        except Exception:
                            pass  # shapes that do not broadcast: binary's error
                    elif tb is ta and isinstance(a, array_type) and a.shape == b.shape:
                        # a dtype pair binary() compiled before (one shape: nothing to
                        # broadcast or check): its cast-and-apply kernel, directly
                        known_pair = _PAIR_KERNELS.get((backend_name, name, a.dtype, b.dtype))
                        if known_pair is not None:
                            return known_pair(a, b)
                    return pair(a, b)
                array, scalar, first, tb = b, a, False, ta
            if not isinstance(array, array_type):
                return binary(backend, name, name, np_kernel, a, b)
            key = (array.dtype, tb, first)
            known = scalars.get(key)
            if known is not None and (known[1] is None or known[1] <= scalar <= known[2]):
                return known[0](a, b)
            r = binary(backend, name, name, np_kernel, a, b)
            if known is None:
                known = scalar_kernel(backend, name, array.dtype, tb, first)
                if known is not None:
                    scalars[key] = known
            return r

        self[name] = kernel
        return kernel
