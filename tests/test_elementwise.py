"""Element-wise functions and the Array's operators: what the official suite does not check.

Special cases where NumPy departs from the standard (on 0-d *and* n-d arrays, both float
precisions), the Python-scalar rules, errors that name the function, integer edge cases
that must neither crash nor hang, in-place operators writing through views, and clip.
"""

from __future__ import annotations

import math
import operator

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import storax as sx
from _devices import JAX_DEV

INF, NAN = math.inf, math.nan
FLOATS = [sx.float32, sx.float64]
INTS = [sx.int8, sx.int16, sx.int32, sx.int64, sx.uint8, sx.uint16, sx.uint32, sx.uint64]


def same(got: float, want: float) -> bool:
    """Equal including the sign of zero; NaN equals NaN."""
    if math.isnan(want):
        return math.isnan(got)
    return got == want and math.copysign(1, got) == math.copysign(1, want)


def values(a: sx.Array) -> list:
    return np.asarray(a).ravel().tolist()


# ------------------------------------------------------------------ special cases

FLOOR_DIVIDE_CASES = [
    (INF, 2.0, INF),
    (INF, -2.0, -INF),
    (-INF, 2.0, -INF),
    (-INF, -2.0, INF),
    (3.0, INF, 0.0),
    (3.0, -INF, -0.0),
    (-3.0, INF, -0.0),
    (-3.0, -INF, 0.0),
    (0.0, -INF, -0.0),
    (INF, INF, NAN),
    (NAN, INF, NAN),
    (INF, NAN, NAN),
    (7.0, 2.0, 3.0),
    (-7.0, 2.0, -4.0),
    (1.0, 0.0, INF),
    (-1.0, 0.0, -INF),
]


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("shape", [(), (5,)])
def test_floor_divide_infinities(dtype, shape):
    x1 = sx.asarray(np.broadcast_to([c[0] for c in FLOOR_DIVIDE_CASES], shape + (16,)), dtype=dtype)
    x2 = sx.asarray([c[1] for c in FLOOR_DIVIDE_CASES], dtype=dtype)
    want = [c[2] for c in FLOOR_DIVIDE_CASES]
    with np.errstate(all="ignore"):
        for out in (sx.floor_divide(x1, x2), x1 // x2):
            assert out.dtype == dtype
            got = np.asarray(out).reshape(-1, 16)
            for row in got:
                assert all(same(g, w) for g, w in zip(row.tolist(), want, strict=True))


@pytest.mark.parametrize("dtype", FLOATS)
def test_floor_divide_zero_d_and_scalars(dtype):
    assert same(float(sx.asarray(INF, dtype=dtype) // 2), INF)
    assert same(float(sx.asarray(-1.0, dtype=dtype) // INF), -0.0)
    assert same(float(INF // sx.asarray(-2.0, dtype=dtype)), -INF)
    assert same(float(sx.floor_divide(-1.0, sx.asarray(INF, dtype=dtype))), -0.0)
    x = sx.asarray([INF, 5.0], dtype=dtype)
    x //= 2.0
    assert values(x) == [INF, 2.0]


POW_CASES = [
    (-0.0, 0.5, 0.0),
    (-INF, 0.5, INF),
    (-0.0, 3.0, -0.0),
    (-0.0, -3.0, -INF),
    (-0.0, -0.5, INF),
    (-INF, 3.0, -INF),
    (-INF, -3.0, -0.0),
    (-INF, -0.5, 0.0),
    (0.0, 0.5, 0.0),
    (4.0, 0.5, 2.0),
    (-4.0, 0.5, NAN),
    (-1.0, INF, 1.0),
    (NAN, 0.0, 1.0),
]


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("case", POW_CASES, ids=str)
def test_pow_special_cases(dtype, case):
    a, b, want = case
    with np.errstate(all="ignore"):
        results = [
            sx.pow(sx.asarray(a, dtype=dtype), sx.asarray(b, dtype=dtype)),
            sx.asarray(a, dtype=dtype) ** b,
            sx.asarray([a, a, a], dtype=dtype) ** b,
            sx.asarray([a, a], dtype=dtype) ** sx.asarray([b, b], dtype=dtype),
            a ** sx.asarray(b, dtype=dtype),
        ]
        x = sx.asarray([a, a], dtype=dtype)
        x **= b
        results.append(x)
    for r in results:
        assert r.dtype == dtype
        assert all(same(g, want) for g in values(r)), (case, values(r))


EXPM1_CASES = [
    (complex(-0.0, 0.0), (0.0, 0.0)),
    (complex(0.0, -0.0), (0.0, -0.0)),
    (complex(INF, 0.0), (INF, 0.0)),
    (complex(-INF, INF), (-1.0, None)),
    (complex(-INF, NAN), (-1.0, None)),
    (complex(INF, NAN), (None, NAN)),
    (complex(INF, INF), (None, NAN)),
    (complex(NAN, 0.0), (NAN, 0.0)),
    (complex(NAN, 1.0), (NAN, NAN)),
    (complex(1.0, INF), (NAN, NAN)),
    (complex(-INF, 2.0), (-1.0, 0.0)),
]


@pytest.mark.parametrize("dtype", [sx.complex64, sx.complex128])
def test_expm1_complex_special_cases(dtype):
    x = sx.asarray([c[0] for c in EXPM1_CASES], dtype=dtype)
    for out in (sx.expm1(x), *(sx.expm1(x[i]) for i in range(len(EXPM1_CASES)))):
        assert out.dtype == dtype
    got = values(sx.expm1(x))
    for (z, (re, im)), g in zip(EXPM1_CASES, got, strict=True):
        if re is not None:
            assert same(g.real, re), (z, g)
        else:
            assert math.isinf(g.real), (z, g)
        if im is not None:
            assert same(g.imag, im), (z, g)
        else:
            assert g.imag == 0, (z, g)
    # Finite inputs keep NumPy's accurate values.
    z = sx.asarray([1 + 1j, -0.5 + 2j], dtype=sx.complex128)
    np.testing.assert_allclose(np.asarray(sx.expm1(z)), np.expm1(np.asarray(z)))


@pytest.mark.parametrize("dtype", [sx.complex64, sx.complex128])
def test_tanh_complex_infinite_real_part(dtype):
    b = 3e30 if dtype == sx.complex64 else 3e150
    x = sx.asarray(
        [complex(INF, b), complex(INF, -b), complex(-INF, b), complex(INF, 1.0)], dtype=dtype
    )
    got = values(sx.tanh(x))
    want = [(1.0, 0.0), (1.0, -0.0), (-1.0, 0.0), (1.0, 0.0)]
    for g, (re, im) in zip(got, want, strict=True):
        assert same(g.real, re) and same(g.imag, im), g
    assert same(complex(sx.tanh(x[0])).imag, 0.0)


@pytest.mark.parametrize("dtype", FLOATS)
def test_round_half_to_even(dtype):
    x = sx.asarray([0.5, 1.5, 2.5, -0.5, -2.5, 3.7], dtype=dtype)
    assert values(sx.round(x)) == [0.0, 2.0, 2.0, -0.0, -2.0, 4.0]
    assert sx.round(x).dtype == dtype


def test_sign_and_signbit():
    x = sx.asarray([-2.0, -0.0, 0.0, 3.0, NAN])
    got = values(sx.sign(x))
    assert got[0] == -1 and got[1] == 0 and got[2] == 0 and got[3] == 1 and math.isnan(got[4])
    assert values(sx.signbit(x))[:4] == [True, True, False, False]
    z = sx.asarray([3 + 4j, 0j], dtype=sx.complex128)
    assert values(sx.sign(z)) == [0.6 + 0.8j, 0j]


# ------------------------------------------------------------- integer edge cases


@pytest.mark.parametrize("dtype", INTS)
def test_shifts_by_the_bit_width_or_more(dtype):
    bits = np.dtype(dtype).itemsize * 8
    info = np.iinfo(dtype)
    x = sx.asarray([5, info.max, info.min if info.min < 0 else 1], dtype=dtype)
    for s in (bits, bits + 1, min(info.max, 200)):
        shift = sx.asarray(s, dtype=dtype)
        assert values(x << shift) == [0, 0, 0]
        assert values(sx.bitwise_left_shift(x, shift)) == [0, 0, 0]
        right = values(x >> shift)
        assert right == [0, 0, -1 if info.min < 0 else 0]
    assert values(x << 1)[0] == 10 and values(x >> 1)[0] == 2


@pytest.mark.parametrize("dtype", [sx.int8, sx.int32, sx.uint8, sx.int64])
def test_integer_overflow_wraps(dtype):
    info = np.iinfo(dtype)
    x = sx.asarray([info.max], dtype=dtype)
    assert values(x + 1) == [info.min]
    assert values(x * 2) == (np.asarray([info.max], dtype=dtype) * 2).tolist()
    if info.min < 0:
        assert values(-sx.asarray([info.min], dtype=dtype)) == [info.min]
    assert (x + 1).dtype == dtype


@pytest.mark.parametrize("dtype", [sx.int8, sx.int64])
def test_integer_pow_negative_exponent_raises_named_error(dtype):
    x = sx.asarray([1, 2, 3], dtype=dtype)
    with pytest.raises(ValueError, match=r"^__pow__: "):
        x**-1
    with pytest.raises(ValueError, match=r"^pow: "):
        sx.pow(x, -2)
    with pytest.raises(ValueError, match=r"^__rpow__: "):
        2 ** sx.asarray([1, -1], dtype=dtype)
    with pytest.raises(ValueError, match=r"^__ipow__: "):
        x **= sx.asarray(-1, dtype=dtype)
    assert values(x**2) == [1, 4, 9]
    # A negative Python int cannot even be an unsigned exponent.
    with pytest.raises(OverflowError, match=r"^__pow__: "):
        sx.asarray([2], dtype=sx.uint16) ** -1


def test_integer_pow_huge_exponent_does_not_hang():
    x = sx.asarray([0, 1, 2, -1], dtype=sx.int64)
    r = x ** (2**62)
    assert values(r)[:2] == [0, 1] and values(r)[3] == 1
    with pytest.raises(OverflowError, match=r"^__pow__: "):
        x ** (10**30)


@pytest.mark.parametrize("dtype", [sx.int8, sx.int32, sx.int64, sx.uint8])
def test_integer_division_by_zero_returns_numpy_result(dtype):
    x = sx.asarray([5, 0, 7], dtype=dtype)
    zero = sx.asarray([0, 0, 2], dtype=dtype)
    if sx.get_backend() == "numpy":
        with pytest.warns(RuntimeWarning, match="divide by zero"):  # NumPy's warning, kept
            q = x // zero
    else:
        q = x // zero  # JAX never warns on floating-point errors
    with np.errstate(all="ignore"):
        m = x % zero
        qf, mf = sx.floor_divide(x, zero), sx.remainder(x, zero)
        y = sx.asarray(x, copy=True)
        y //= zero
        assert values(q) == values(qf) == values(y) == (np.asarray(x) // np.asarray(zero)).tolist()
        assert values(m) == values(mf) == (np.asarray(x) % np.asarray(zero)).tolist()
    assert q.dtype == dtype and m.dtype == dtype


def test_floating_point_warnings_are_numpys():
    """storax warns where NumPy warns (and ``np.errstate`` silences it); where storax
    corrects NumPy's result to the standard's, NumPy's warning about it is dropped."""
    x = sx.asarray([1.0, 0.0, -1.0], dtype=sx.float64)
    if sx.get_backend() == "numpy":
        with pytest.warns(RuntimeWarning):
            x / 0.0
        with pytest.warns(RuntimeWarning):
            sx.log(x)
    else:  # JAX never warns on floating-point errors
        assert values(x / 0.0)[0] == INF and math.isnan(values(sx.log(x))[2])
    with np.errstate(all="ignore"):
        x / 0.0, sx.log(x), x // 0.0, sx.pow(x, 0.5)
    sx.floor_divide(sx.asarray([INF, -3.0]), sx.asarray([2.0, INF]))
    sx.asarray([-INF, 4.0]) ** 0.5
    sx.expm1(sx.asarray([complex(-0.0, 0.0), complex(INF, INF)], dtype=sx.complex128))


@pytest.mark.parametrize("dtype", [sx.int8, sx.int16, sx.int32, sx.int64])
def test_min_int_divided_by_minus_one_does_not_crash(dtype):
    info = np.iinfo(dtype)
    x = sx.asarray([info.min, 7], dtype=dtype)
    with np.errstate(all="ignore"):
        q = x // -1
        m = x % -1
        q2 = sx.floor_divide(x, sx.asarray(-1, dtype=dtype))
    assert values(q)[1] == -7 and values(m) == [0, 0]
    assert values(q2)[1] == -7


# ------------------------------------------------------------------ scalar rules


@pytest.mark.parametrize("dtype", FLOATS)
def test_complex_scalar_with_real_float_array(dtype):
    want = sx.complex64 if dtype == sx.float32 else sx.complex128
    x = sx.asarray([1.0, 2.0], dtype=dtype)
    for r in (x + 1j, 1j * x, sx.add(x, 1j), sx.multiply(2j, x), x**1j, sx.equal(x, 1j)):
        assert r.dtype in (want, sx.bool)
    assert values(sx.subtract(x, 1j)) == [1 - 1j, 2 - 1j]
    with pytest.raises(TypeError, match=r"^less: "):
        sx.less(x, 1j)
    with pytest.raises(TypeError, match=r"^maximum: "):
        sx.maximum(x, 1j)
    with pytest.raises(TypeError, match=r"^__iadd__: "):
        x += 1j


@pytest.mark.parametrize("dtype", INTS + FLOATS)
def test_python_scalars_take_the_array_dtype(dtype):
    x = sx.asarray([1, 2], dtype=dtype)
    for r in (x + 1, 1 + x, x * 2, sx.subtract(3, x), sx.maximum(x, 1), x // 1, x % 2, x**2):
        assert r.dtype == dtype
    if np.dtype(dtype).kind == "f":
        assert (x + 1.5).dtype == dtype and sx.atan2(x, 1).dtype == dtype
    assert (x < 1).dtype == sx.bool and (1.5 > x).dtype == sx.bool


def test_float_scalar_with_integer_array_follows_numpy():
    x = sx.asarray([1, 2], dtype=sx.int32)
    assert (x + 0.5).dtype == sx.float64
    assert values(x * 0.5) == [0.5, 1.0]
    with pytest.raises(TypeError, match=r"^bitwise_and: "):
        sx.bitwise_and(x, 1.5)
    with pytest.raises(TypeError, match=r"^__lshift__: "):
        x << 1.0


def test_bool_scalars():
    b = sx.asarray([True, False])
    assert values(b & True) == [True, False]
    assert values(sx.logical_or(False, b)) == [True, False]
    assert values(b == 1) == [True, False]
    with pytest.raises(TypeError, match=r"^__add__: "):
        sx.asarray([1.0]) + True
    # the logical functions take the truth value of other operands, as NumPy
    assert values(sx.logical_and(b, 1)) == [True, False]
    with pytest.raises(TypeError, match=r"^__add__: "):
        b + 1


def test_out_of_range_int_scalar_names_the_function():
    x = sx.asarray([1], dtype=sx.int8)
    with pytest.raises(OverflowError, match=r"^__add__: "):
        x + 1000
    with pytest.raises(OverflowError, match=r"^multiply: "):
        sx.multiply(x, -1000)
    # Comparisons are exact for any Python int.
    assert values(x < 1000) == [True]


def test_two_scalars_is_an_error():
    with pytest.raises(TypeError, match=r"^add: at least one argument must be an array"):
        sx.add(1, 2)


def test_numpy_operands_are_accepted():
    x = sx.asarray([1.0, 2.0], dtype=sx.float64)
    assert values(sx.add(x, np.array([1.0, 1.0]))) == [2.0, 3.0]
    assert values(sx.add(np.array([1.0, 1.0]), 1.0)) == [2.0, 2.0]
    r = np.array([1.0, 1.0]) + x  # NumPy defers to storax's reflected operator
    assert isinstance(r, sx.Array) and values(r) == [2.0, 3.0]
    assert isinstance(x * np.float64(2.0), sx.Array)


def test_unsupported_operands():
    x = sx.asarray([1.0])
    with pytest.raises(TypeError):
        x + "a"
    with pytest.raises(TypeError):
        x + [1.0]
    assert (x == "a") is False
    assert (x != None) is True  # noqa: E711
    with pytest.raises(TypeError, match=r"^add: expected a storax array or a Python scalar"):
        sx.add(x, "a")
    with pytest.raises(TypeError, match=r"^sin: expected a storax array"):
        sx.sin(1.0)


# ---------------------------------------------------------------- errors named


@pytest.mark.parametrize(
    "call, name",
    [
        (lambda: sx.sin(sx.asarray([1, 2])), "sin"),
        (lambda: sx.abs(sx.asarray([True])), "abs"),
        (lambda: sx.bitwise_and(sx.asarray([1.0]), sx.asarray([1.0])), "bitwise_and"),
        (lambda: sx.asarray([1.0]) & sx.asarray([1.0]), "__and__"),
        (lambda: ~sx.asarray([1.0]), "__invert__"),
        (lambda: -sx.asarray([True]), "__neg__"),
        (lambda: sx.asarray([1 + 1j]) < sx.asarray([1 + 1j]), "__lt__"),
        (lambda: sx.asarray([1 + 1j]) // 2, "__floordiv__"),
        (lambda: sx.atan2(sx.asarray([1]), sx.asarray([1])), "atan2"),
        (lambda: sx.signbit(sx.asarray([1j])), "signbit"),
        (lambda: sx.clip(sx.asarray([1j])), "clip"),
        (lambda: sx.asarray([1], dtype=sx.uint64) & sx.asarray([1], dtype=sx.int64), "__and__"),
    ],
)
def test_wrong_dtype_raises_type_error_naming_the_function(call, name):
    with pytest.raises(TypeError, match=rf"^{name}: "):
        call()


def test_shape_mismatch_raises_value_error_naming_the_function():
    a, b = sx.asarray([1.0, 2.0]), sx.asarray([1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match=r"^__add__: "):
        a + b
    with pytest.raises(ValueError, match=r"^hypot: "):
        sx.hypot(a, b)
    with pytest.raises(ValueError, match=r"^__imul__: "):
        a *= sx.ones((2, 2))


# ------------------------------------------------------------ in-place operators


def test_inplace_writes_through_views():
    base = sx.asarray([1.0, 2.0, 3.0, 4.0], dtype=sx.float64)
    view = base[1:3]
    view += 10.0
    view //= 4.0
    assert values(base) == [1.0, 3.0, 3.0, 4.0]
    col = sx.reshape(sx.arange(6, dtype=sx.int64), (2, 3))[:, 1]
    col **= 2
    assert values(col) == [1, 16]


def test_inplace_returns_the_same_object():
    x = sx.asarray([1, 2], dtype=sx.int32)
    y = x
    x += 1
    x <<= 1
    x %= 5
    assert x is y and values(x) == [4, 1]


def test_inplace_on_a_read_only_view_raises():
    x = sx.broadcast_to(sx.asarray([1.0]), (3,))
    with pytest.raises(ValueError, match=r"^__iadd__: .*read-only"):
        x += 1.0
    with pytest.raises(ValueError, match=r"^__ifloordiv__: .*read-only"):
        x //= 1.0


def test_inplace_dtype_rules():
    x = sx.asarray([1, 2], dtype=sx.int8)
    with pytest.raises(TypeError, match=r"^__iadd__: "):
        x += 1.5
    with pytest.raises(TypeError, match=r"^__itruediv__: "):
        x /= 2
    x += sx.asarray([1, 1], dtype=sx.int16)  # same kind: cast back, as NumPy and PyTorch
    assert x.dtype == sx.int8 and values(x) == [2, 3]
    f = sx.asarray([1.0, 2.0], dtype=sx.float32)
    f *= sx.asarray([2.0, 2.0], dtype=sx.float64)
    assert f.dtype == sx.float32 and values(f) == [2.0, 4.0]


def test_matmul_operators_delegate():
    a = sx.asarray([[1.0, 2.0], [3.0, 4.0]], dtype=sx.float64)
    assert values(a @ a) == [7.0, 10.0, 15.0, 22.0]
    assert values(np.eye(2) @ a) == values(a)
    with pytest.raises(TypeError):
        a @ 2.0
    b = sx.asarray(a, copy=True)
    b @= a
    assert values(b) == [7.0, 10.0, 15.0, 22.0]


# ------------------------------------------------------------------------- clip


def test_clip_scalars_and_dtypes():
    x = sx.asarray([-5, 0, 5, 100], dtype=sx.int8)
    r = sx.clip(x, -1, 3)
    assert r.dtype == sx.int8 and values(r) == [-1, 0, 3, 3]
    # Integer bounds outside the dtype's range clamp nothing beyond the range.
    assert values(sx.clip(x, -1000, 1000)) == values(x)
    assert values(sx.clip(sx.asarray([3, 200], dtype=sx.uint8), min=-5, max=150)) == [3, 150]
    with pytest.raises(TypeError, match=r"^clip: "):
        sx.clip(x, 0.5, 2)
    with pytest.raises(TypeError, match=r"^clip: "):
        sx.clip(x, max=True)
    f = sx.asarray([-2.0, 0.5, 2.0], dtype=sx.float32)
    r = sx.clip(f, 0, 1)
    assert r.dtype == sx.float32 and values(r) == [0.0, 0.5, 1.0]
    assert sx.clip(f, max=10**400).dtype == sx.float32


def test_clip_nan_propagates():
    x = sx.asarray([NAN, 1.0, 5.0], dtype=sx.float64)
    got = values(sx.clip(x, sx.asarray([0.0, NAN, 0.0]), sx.asarray([2.0, 2.0, NAN])))
    assert all(math.isnan(g) for g in got)
    assert math.isnan(values(sx.clip(x, 0.0, 2.0))[0])


def test_clip_returns_a_new_array():
    x = sx.asarray([1.0, 2.0], dtype=sx.float64)
    for r in (sx.clip(x), sx.clip(x, 0.0, 5.0)):
        assert values(r) == [1.0, 2.0]
        r[0] = 9.0
        assert values(x) == [1.0, 2.0]


def test_clip_broadcasts_array_bounds():
    x = sx.reshape(sx.arange(6, dtype=sx.float64), (2, 3))
    r = sx.clip(x, min=sx.asarray([1.0, 2.0, 3.0]), max=4)
    assert r.shape == (2, 3) and values(r) == [1.0, 2.0, 3.0, 3.0, 4.0, 4.0]


# ------------------------------------------------------- results never alias input


@pytest.mark.parametrize("name", ["real", "imag", "conj", "positive", "round", "trunc"])
def test_results_are_fresh_arrays(name):
    dtype = sx.float64 if name in ("round", "trunc") else sx.complex128
    x = sx.asarray([1.0, 2.0], dtype=dtype)
    r = getattr(sx, name)(x)
    r[0] = 7.0
    assert values(x)[0] == 1.0


def test_real_and_imag_dtypes():
    z = sx.asarray([1 + 2j], dtype=sx.complex64)
    assert sx.real(z).dtype == sx.float32 and sx.imag(z).dtype == sx.float32
    assert values(sx.imag(z)) == [2.0]
    assert sx.real(sx.asarray([3], dtype=sx.int16)).dtype == sx.int16


# ------------------------------------------------- operators agree with functions

_PAIRS = [
    (operator.add, "add"),
    (operator.sub, "subtract"),
    (operator.mul, "multiply"),
    (operator.truediv, "divide"),
    (operator.floordiv, "floor_divide"),
    (operator.mod, "remainder"),
    (operator.pow, "pow"),
    (operator.lt, "less"),
    (operator.ge, "greater_equal"),
    (operator.eq, "equal"),
]


@given(
    data=hnp.arrays(
        np.float64,
        hnp.array_shapes(min_dims=0, max_dims=2, max_side=3),
        elements=st.sampled_from([0.0, -0.0, 1.5, -2.0, 3.0, INF, -INF, NAN, 0.5]),
    ),
    other=st.sampled_from([0.0, -0.0, 1.5, -2.0, 3.0, INF, -INF, NAN, 0.5, 2]),
    pair=st.sampled_from(_PAIRS),
)
def test_operators_agree_with_functions(data, other, pair):
    op, name = pair
    x = sx.asarray(data)
    with np.errstate(all="ignore"):
        a = op(x, other)
        b = getattr(sx, name)(x, other)
        c = op(other, x)
        d = getattr(sx, name)(other, x)
    assert a.dtype == b.dtype == c.dtype == d.dtype
    assert all(same(p, q) for p, q in zip(values(a), values(b), strict=True))
    assert all(same(p, q) for p, q in zip(values(c), values(d), strict=True))


# ------------------------------------------------------------- other backends


def test_arrays_of_another_backend_compute_there():
    pytest.importorskip("jax")
    with sx.use_backend("jax"):
        x = sx.asarray([1.0, 4.0], dtype=sx.float32)
    for r in (x + 1, 2.0 * x, x**0.5, -x, sx.sqrt(x), sx.maximum(x, 2.0), x < 2, sx.clip(x, 0, 2)):
        assert r.device == x.device and type(r) is type(x)
    assert values(x + x) == [2.0, 8.0]
    y = x
    y += 1.0
    assert y is x and values(x) == [2.0, 5.0]
    with pytest.raises(TypeError, match=r"^__and__: "):
        x & 1
    with pytest.raises(TypeError, match=r"^bitwise_and: "):
        sx.bitwise_and(x, 1)
    with sx.use_backend("numpy"):
        n = sx.asarray([1.0, 2.0], dtype=sx.float32)
    for call in (
        lambda: n + x,
        lambda: x + n,
        lambda: sx.add(x, n),
        lambda: sx.add(n, x),
        lambda: sx.clip(x, n, None),
        lambda: sx.clip(n, None, x),
    ):
        with pytest.raises(
            ValueError, match=rf"different devices \((cpu and {JAX_DEV}|{JAX_DEV} and cpu)\)"
        ):
            call()
    y = x
    with pytest.raises(ValueError, match="different devices"):
        y += n
    with pytest.raises(ValueError, match="different devices"):
        n *= x


# ------------------------------------------- the same results on every backend


def test_promotion_follows_numpy_on_every_backend():
    i64, f32 = sx.asarray([1], dtype=sx.int64), sx.asarray([0.5], dtype=sx.float32)
    assert (i64 + f32).dtype == sx.float64 and values(i64 + f32) == [1.5]
    assert (sx.asarray([1], dtype=sx.uint8) + sx.asarray([-1], dtype=sx.int8)).dtype == sx.int16
    assert sx.divide(i64, i64).dtype == sx.float64
    assert (sx.asarray([2], dtype=sx.int32) ** 0.5).dtype == sx.float64


@pytest.mark.parametrize("dtype", FLOATS)
def test_remainder_and_floor_divide_signed_zeros(dtype):
    x1 = sx.asarray([-0.0, 0.0, -0.0, 0.0, 5.0, -5.0], dtype=dtype)
    x2 = sx.asarray([2.0, -2.0, -2.0, 2.0, -3.0, 3.0], dtype=dtype)
    got = values(x1 % x2)
    assert all(same(g, w) for g, w in zip(got, [0.0, -0.0, -0.0, 0.0, -1.0, 1.0], strict=True))
    got = values(sx.floor_divide(x1, x2))
    assert all(same(g, w) for g, w in zip(got, [-0.0, -0.0, 0.0, 0.0, -2.0, -2.0], strict=True))


def test_integer_negative_array_exponent_raises():
    x = sx.asarray([2, 3], dtype=sx.int32)
    with pytest.raises(ValueError, match=r"^pow: "):
        sx.pow(x, sx.asarray([1, -1], dtype=sx.int32))
    assert values(x ** sx.asarray([2, 0], dtype=sx.int32)) == [4, 1]


def test_sign_of_zero_is_positive_zero():
    got = values(sx.sign(sx.asarray([-0.0, 0.0], dtype=sx.float64)))
    assert all(same(g, 0.0) for g in got)
    z = values(sx.sign(sx.asarray([complex(-0.0, -0.0)], dtype=sx.complex128)))[0]
    assert same(z.real, 0.0) and same(z.imag, 0.0)


COMPLEX_CASES = [
    ("exp", complex(-INF, 2.0), (0.0 * math.cos(2.0), 0.0 * math.sin(2.0))),
    ("exp", complex(INF, NAN), (INF, NAN)),
    ("sqrt", complex(-INF, NAN), (NAN, INF)),
    ("sqrt", complex(-INF, -1.0), (0.0, -INF)),
    ("log", complex(-0.0, 0.0), (-INF, math.pi)),
    ("log", complex(-INF, -INF), (INF, -3 * math.pi / 4)),
    ("tanh", complex(-INF, 1.0), (-1.0, 0.0)),
    ("sinh", complex(0.0, INF), (0.0, NAN)),
    ("cosh", complex(-INF, 1.0), (INF * math.cos(-1.0), INF * math.sin(-1.0))),
    ("acos", complex(1.0, -INF), (math.pi / 2, INF)),
    ("asinh", complex(-INF, INF), (-INF, math.pi / 4)),
    ("atanh", complex(1.0, 0.0), (INF, 0.0)),
    ("acosh", complex(-INF, -INF), (INF, -3 * math.pi / 4)),
    ("log1p", complex(-1.0, 0.0), (-INF, 0.0)),
]


@pytest.mark.parametrize("case", COMPLEX_CASES, ids=str)
def test_complex_special_cases(case):
    name, z, (re, im) = case
    for shape in ((), (3,)):
        x = sx.full(shape, z, dtype=sx.complex128)
        with np.errstate(all="ignore"):  # NumPy's warnings are kept on its backend
            r = getattr(sx, name)(x)
        for g in values(r):
            assert same(g.real, re) and same(g.imag, im), (name, z, g)


def test_complex_atan_near_the_branch_points():
    x = sx.asarray([1e-237 + 1j, 1e-300 - 1j, 0.5 + 0.5j], dtype=sx.complex128)
    np.testing.assert_allclose(np.asarray(sx.atan(x)), np.arctan(np.asarray(x)), rtol=1e-12)
    y = sx.asarray([1 + 1e-237j, -1 - 1e-300j], dtype=sx.complex128)
    np.testing.assert_allclose(np.asarray(sx.atanh(y)), np.arctanh(np.asarray(y)), rtol=1e-12)


def test_results_stay_on_the_input_backend():
    x = sx.asarray([1.0, -2.0], dtype=sx.float64)
    for r in (x + 1, sx.abs(x), x < 0, sx.clip(x, 0, 1), x // 2.0, -x, sx.sign(x)):
        assert type(r) is type(x) and r.device == x.device


def test_clip_result_takes_the_broadcast_shape_of_its_bounds():
    # the standard: the result has the shape of x, min and max broadcast together
    x = sx.asarray([], dtype=sx.uint8)
    lo = sx.reshape(sx.asarray([], dtype=sx.uint8), (0, 0))
    assert sx.clip(x, min=lo, max=0).shape == (0, 0)
    x = sx.asarray([1.0, 5.0])
    r = sx.clip(x, min=sx.asarray([[0.0], [2.0]]), max=4.0)
    assert r.shape == (2, 2) and r.tolist() == [[1.0, 4.0], [2.0, 4.0]]


def test_clip_with_a_bound_larger_than_x():
    # the result takes the broadcast shape: an empty min with a 0-d x is empty
    x = sx.asarray(0, dtype=sx.uint8)
    r = sx.clip(x, min=sx.asarray([], dtype=sx.uint8), max=0)
    assert r.shape == (0,) and r.dtype == sx.uint8
    r = sx.clip(sx.asarray(5.0), min=sx.asarray([1.0, 7.0]), max=6.0)
    assert r.tolist() == [5.0, 7.0]


def test_real_of_a_real_array_is_a_view_and_imag_is_zeros():
    # as numpy.real, torch.real and jax.numpy.real: the input's own data, not a copy
    x = sx.asarray([[1.0, -2.0, 3.0], [4.0, 5.0, 6.0]])[:, ::2]
    r = sx.real(x)
    assert r.dtype == x.dtype and r.shape == x.shape and r.tolist() == x.tolist()
    assert r.storage().data_ptr() == x.storage().data_ptr()
    assert r.stride() == x.stride() and r.storage_offset() == x.storage_offset()
    r[0, 0] = 7.0
    assert x[0, 0] == 7.0
    i = sx.imag(sx.asarray([1.0, -2.0, 3.0], dtype=sx.float32))
    assert i.dtype == sx.float32 and i.tolist() == [0.0, 0.0, 0.0]
    assert sx.real(sx.asarray([3], dtype=sx.int16)).tolist() == [3]
    with pytest.raises(TypeError, match="^real: "):
        sx.real(sx.asarray([True]))
    named = sx.asarray([1.0, 2.0], names=("n",))
    assert sx.real(named).names == ("n",)
