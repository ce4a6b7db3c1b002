"""The fast paths of issue 12 give the standard's answers on their edge cases.

Each fast path skips work where it is unobservable: ``x ** 0.5`` on NumPy (its ``sqrt``
corrected for -0 and -inf), ``x ** n`` for a Python int ``n`` on JAX (a kernel per
exponent), ``sort`` (NumPy's unstable sort where stability cannot be seen), ``std``/``var``
(squares into the temporary), ``clip`` on JAX (one compiled kernel). Every test runs on
both backends and compares bits (signed zeros, NaNs), not only values.
"""

from __future__ import annotations

import math
import operator

import numpy as np
import pytest

import storax as sx

BACKENDS = ["numpy", "jax"]
INF, NAN = math.inf, math.nan
# NumPy's floating-point warnings (overflow, divide by zero) are kept, as NumPy's; these
# tests look at values only.
pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning")


def host(x: sx.Array) -> np.ndarray:
    return np.asarray(x)


def same_bits(a: np.ndarray, b: np.ndarray) -> bool:
    """Equal values, signs of zero and NaN positions (and equal dtypes and shapes)."""
    a, b = np.asarray(a), np.asarray(b)
    return (
        a.dtype == b.dtype
        and a.shape == b.shape
        and bool(np.array_equal(a, b, equal_nan=True))
        and bool(np.array_equal(np.signbit(a[~np.isnan(a)]), np.signbit(b[~np.isnan(b)])))
    )


# ------------------------------------------------------------------------- pow 0.5

SQRT_CASES = [
    [-0.0, 0.0, 4.0],  # -0 beside zeros: +0
    [-INF, 4.0, 9.0],  # -inf: +inf
    [-0.0, -INF, -1.0, NAN, 2.0, INF],  # everything at once
    [-1.0, -0.0, 0.25],  # negatives (NaN) and -0
    [NAN, NAN],  # all NaN (the reduction's NaN case)
    [0.25, 1.0, 16.0],  # positive: NumPy's result as is
    [NAN, -INF, 1.0],  # a NaN first (Python's min is NaN): -inf still found
    [NAN, -0.0, 4.0],  # a NaN first, -0 after it
    [2.0, NAN, -INF, -0.0],
]


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("values", SQRT_CASES)
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_half_power_special_cases(backend, values, dtype):
    """``x ** 0.5``: ``(-0) ** 0.5`` is +0, ``(-inf) ** 0.5`` is +inf, negatives NaN."""
    base = np.asarray(values, dtype=dtype)
    with np.errstate(all="ignore"):
        # C99 pow (an array exponent takes NumPy's pow loop, not its sqrt shortcut)
        want = np.power(base, np.full(base.shape, 0.5, dtype=dtype))
    with sx.use_backend(backend):
        x = sx.asarray(base)
        for r in (x**0.5, sx.pow(x, 0.5)):
            assert same_bits(host(r), want), (host(r), want)


@pytest.mark.parametrize("backend", BACKENDS)
def test_half_power_shapes_and_empty(backend):
    with np.errstate(all="ignore"):
        base = np.array([[-0.0, -INF], [4.0, -2.0]])
        want = np.power(base, np.full(base.shape, 0.5))
        with sx.use_backend(backend):
            assert same_bits(host(sx.asarray(base) ** 0.5), want)
            assert same_bits(host(sx.asarray(base.T) ** 0.5), want.T)  # a strided view
            assert host(sx.asarray(np.zeros((0, 3))) ** 0.5).shape == (0, 3)
            assert same_bits(host(sx.asarray(-0.0, dtype=sx.float64) ** 0.5), np.asarray(0.0))


@pytest.mark.parametrize("backend", BACKENDS)
def test_half_power_size_one_array_exponent(backend):
    """A one-element exponent array takes NumPy's scalar shortcut too: still corrected."""
    with sx.use_backend(backend):
        r = sx.asarray(np.array([-0.0, -INF])) ** sx.asarray(np.array([0.5]))
        assert same_bits(host(r), np.array([0.0, INF]))


@pytest.mark.parametrize("backend", BACKENDS)
def test_other_non_integer_powers_follow_c99(backend):
    base = np.array([-0.0, -INF, 4.0])
    with sx.use_backend(backend):
        x = sx.asarray(base)
        assert same_bits(host(x**1.5), np.array([0.0, INF, 8.0]))
        assert same_bits(host(x**-0.5), np.array([INF, 0.0, 0.5]))


# ------------------------------------------------------------------- integer pow


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("e", [0, 1, 2, 3, 5, -1, -2, -3])
def test_int_exponent_of_floats(backend, e):
    """``x ** n`` (Python int n) by repeated multiplication: the standard's special
    cases (``x ** 0`` is 1 even for NaN, odd powers keep the sign of -0 and -inf)."""
    base = np.array([-0.0, 0.0, 2.0, -3.0, INF, -INF, NAN, 0.5])
    with np.errstate(all="ignore"):
        want = np.power(base, np.full(base.shape, float(e)))
    with sx.use_backend(backend):
        x = sx.asarray(base)
        for r in (x**e, sx.pow(x, e), x**e):  # the operator twice: its cached kernel too
            got = host(r)
            assert got.dtype == want.dtype
            np.testing.assert_allclose(got, want, rtol=1e-15)  # NaNs where want has them
            number = ~np.isnan(want)
            assert np.array_equal(np.signbit(got[number]), np.signbit(want[number]))


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("dtype", ["int8", "uint8", "int64"])
def test_int_exponent_of_integers_wraps(backend, dtype):
    """Integer powers wrap modulo 2**bits, as NumPy's."""
    base = np.array([3, 7, -5 if dtype != "uint8" else 250, 0, 1], dtype=dtype)
    with sx.use_backend(backend):
        x = sx.asarray(base)
        for e in (0, 2, 3, 7):
            for r in (x**e, sx.pow(x, e), x**e):
                assert np.array_equal(host(r), base**e)
                assert host(r).dtype == base.dtype


@pytest.mark.parametrize("backend", BACKENDS)
def test_int_exponent_errors(backend):
    with sx.use_backend(backend):
        x = sx.asarray(np.array([1, 2], dtype="int8"))
        for _ in range(2):  # also once the operator's kernel is cached
            assert np.array_equal(host(x**2), [1, 4])
            with pytest.raises(ValueError, match="negative integer powers"):
                x**-1
            with pytest.raises(OverflowError):
                x**300
        f = sx.asarray(np.array([1.5, 2.0], dtype="float32"))
        assert (f**2).dtype == sx.float32
        big = f**1000  # beyond the per-exponent kernels: the general path
        assert np.array_equal(host(big), np.array([INF, INF], dtype="float32"))


# -------------------------------------------------------------------------- sort


def stable_sort(values: np.ndarray, descending: bool = False, axis: int = -1) -> np.ndarray:
    if descending:
        return np.flip(np.sort(np.flip(values, axis=axis), axis=axis, stable=True), axis=axis)
    return np.sort(values, axis=axis, stable=True)


def raw_bits(a: np.ndarray) -> np.ndarray:
    return np.ascontiguousarray(a).view(f"u{a.dtype.itemsize}")


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("descending", [False, True])
def test_sort_keeps_signed_zeros_in_order(backend, descending):
    rng = np.random.default_rng(0)
    values = rng.choice(np.array([0.0, -0.0, 1.0, -1.0]), 5000)  # beyond the small sorts
    with sx.use_backend(backend):
        r = host(sx.sort(sx.asarray(values), descending=descending))
    assert np.array_equal(raw_bits(r), raw_bits(stable_sort(values, descending)))


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_sort_1d_with_zeros_infinities_and_default_nans(backend, dtype):
    # NumPy: the quicksort, then the block of zeros rewritten in its original order
    rng = np.random.default_rng(3)
    pool = np.array([0.0, -0.0, 1.0, -1.0, np.inf, -np.inf, NAN], dtype=dtype)
    for values in (rng.choice(pool, 4000), rng.choice(pool[:2], 3000), rng.choice(pool[2:], 3000)):
        with sx.use_backend(backend):
            for descending in (False, True):
                r = host(sx.sort(sx.asarray(values), descending=descending))
                assert np.array_equal(raw_bits(r), raw_bits(stable_sort(values, descending)))


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("descending", [False, True])
def test_sort_keeps_nan_payloads_in_order(backend, descending):
    payloads = np.array([0x7FF8000000000001, 0x7FF8000000000002, 0xFFF8000000000003], dtype="u8")
    nans = payloads.view("f8")
    filler = np.random.default_rng(4).standard_normal(5000)
    for values in (
        np.concatenate([nans, [2.0, 1.0], nans[::-1], [0.5]]),  # a small sort
        np.concatenate([nans, filler, nans[::-1]]),  # a large one: the check finds them
        np.concatenate([nans[:1], filler, nans[:1]]),  # one payload (not the default)
        np.concatenate([[NAN], filler, [NAN]]),  # the default NaN: the unstable sort
    ):
        with sx.use_backend(backend):
            r = host(sx.sort(sx.asarray(values), descending=descending))
        assert np.array_equal(raw_bits(r), raw_bits(stable_sort(values, descending)))


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("dtype", ["int8", "uint16", "int64", "bool", "float32", "float64"])
@pytest.mark.parametrize("descending", [False, True])
def test_sort_values_where_stability_is_unobservable(backend, dtype, descending):
    rng = np.random.default_rng(1)
    values = rng.integers(0, 50, (7, 700)).astype(dtype)
    if dtype.startswith("float"):
        values[0, :5] = NAN  # NaNs of one payload, and only +0 zeros
    with sx.use_backend(backend):
        for axis in (0, 1, -1):
            r = host(sx.sort(sx.asarray(values), axis=axis, descending=descending))
            want = stable_sort(values, descending, axis)
            assert r.dtype == want.dtype
            assert np.array_equal(raw_bits(r), raw_bits(want))


@pytest.mark.parametrize("backend", BACKENDS)
def test_sort_2d_with_signed_zeros_and_stable_false(backend):
    values = np.array([[0.0, -0.0, 0.0, -1.0], [-0.0, 0.0, 3.0, -0.0]])
    with sx.use_backend(backend):
        x = sx.asarray(values)
        for axis in (0, 1):
            r = host(sx.sort(x, axis=axis))
            assert np.array_equal(raw_bits(r), raw_bits(stable_sort(values, axis=axis)))
        unstable = host(sx.sort(x, stable=False))
        assert np.array_equal(unstable, np.sort(values))  # equal values, any zero order
        assert host(sx.argsort(x, axis=1)).tolist() == [[3, 0, 1, 2], [0, 1, 3, 2]]


# ------------------------------------------------------------------- std and var


@pytest.mark.parametrize("backend", BACKENDS)
def test_std_var_with_inplace_squares(backend):
    rng = np.random.default_rng(2)
    m = rng.standard_normal((30, 40))
    with sx.use_backend(backend):
        x = sx.asarray(m)
        np.testing.assert_allclose(host(sx.std(x)), np.std(m), rtol=1e-12)
        np.testing.assert_allclose(
            host(sx.var(x, axis=0, correction=1)), np.var(m, axis=0, ddof=1), rtol=1e-12
        )
        np.testing.assert_allclose(
            host(sx.std(x, axis=1, keepdims=True)), np.std(m, axis=1, keepdims=True), rtol=1e-12
        )
        assert np.array_equal(host(x), m)  # the input is not the temporary
        assert host(sx.std(sx.asarray(np.float64(3.0)))) == 0.0  # 0-d
        assert np.isnan(host(sx.var(sx.asarray(np.array([1.0, NAN])))))
        assert host(sx.var(sx.asarray([1, 2, 4]))) == pytest.approx(np.var([1, 2, 4]))
        c = np.array([1 + 1j, 2 - 1j, -1j])
        np.testing.assert_allclose(host(sx.var(sx.asarray(c))), np.var(c), rtol=1e-12)


# -------------------------------------------------------------------------- clip


@pytest.mark.parametrize("backend", BACKENDS)
def test_clip_one_kernel(backend):
    values = np.array([NAN, -2.0, 0.5, 3.0, -0.0])
    with sx.use_backend(backend):
        x = sx.asarray(values)
        assert same_bits(
            host(sx.clip(x, min=0.0, max=1.0)), np.maximum(np.minimum(values, 1.0), 0.0)
        )
        assert same_bits(host(sx.clip(x, max=1.0)), np.minimum(values, 1.0))
        assert same_bits(host(sx.clip(x, min=-1.0)), np.maximum(values, -1.0))
        assert same_bits(host(sx.clip(x, min=2.0, max=1.0)), np.where(np.isnan(values), NAN, 2.0))
        i = sx.asarray(np.array([3, 200], dtype="uint8"))
        assert host(sx.clip(i, min=-5, max=150)).tolist() == [3, 150]
        assert sx.clip(i, min=-5, max=150).dtype == sx.uint8
        lo = sx.asarray(np.array([0.0, 1.0, 2.0, 3.0, 4.0]))
        want = np.maximum(np.minimum(values, 3.5), host(lo))
        np.testing.assert_array_equal(host(sx.clip(x, min=lo, max=3.5)), want)


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("dtype", ["float32", "float64", "int8", "uint16"])
def test_clip_ordered_python_bounds(backend, dtype):
    """Nonzero ordered bounds take NumPy's one-pass clip: the same bits as two passes."""
    base = np.array([-3, -1, 0, 1, 2, 5, 7, 100]).astype(dtype)
    if dtype.startswith("float"):
        base = np.concatenate([base, np.array([NAN, -0.0, INF, -INF], dtype=dtype)])
    with sx.use_backend(backend):
        x = sx.asarray(base)
        bounds = [(1, 5), (2, 2), (1.5, 6.5) if dtype.startswith("f") else (3, 4)]
        if dtype != "uint16":
            bounds.append((-1, 7))
        for lo, hi in bounds:
            r = host(sx.clip(x, min=lo, max=hi))
            want = np.maximum(np.minimum(base, hi), lo).astype(dtype)
            assert same_bits(r, want), (lo, hi, r, want)
        # out-of-range ints for the dtype, and unordered bounds: the general path
        if dtype == "int8":
            assert host(sx.clip(x, min=-500, max=50)).tolist() == [-3, -1, 0, 1, 2, 5, 7, 50]
        assert host(sx.clip(x, min=5, max=1))[0] == 5


@pytest.mark.parametrize("backend", BACKENDS)
def test_clip_scalar_and_array_bounds_shapes(backend):
    """Python bounds skip the broadcast check; array bounds keep it (and its error)."""
    with sx.use_backend(backend):
        x = sx.reshape(sx.arange(6, dtype=sx.float64), (2, 3))
        assert host(sx.clip(x[:, ::2], 1, 4.5)).tolist() == [[1.0, 2.0], [3.0, 4.5]]
        z = sx.asarray(7.0)
        r = sx.clip(z, max=2)
        assert r.shape == () and float(r) == 2.0
        e = sx.clip(sx.zeros((0, 3)), 1.0, 2.0)
        assert e.shape == (0, 3)
        with pytest.raises(ValueError, match="clip"):
            sx.clip(x, min=sx.asarray([1.0, 2.0]))
        with pytest.raises(ValueError, match="clip"):
            sx.clip(x, min=0.0, max=sx.ones((4,)))
        with pytest.raises(TypeError, match="clip"):
            sx.clip(sx.arange(3), 0.5)


# ------------------------------------------------------ compiled pairs of two dtypes


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize(
    "name, op",
    [
        ("divide", "__truediv__"),
        ("floor_divide", "__floordiv__"),
        ("remainder", "__mod__"),
        ("add", "__add__"),
        ("less", "__lt__"),
    ],
)
def test_known_dtype_pairs_repeat_the_general_answer(backend, name, op):
    """A dtype pair seen before takes its compiled kernel directly (the namespace
    function and the operator): the same bits as the first, general call, on views,
    read-only arrays, mixed dtypes, named arrays and broadcasting shapes."""
    a = np.array([-3.0, -0.0, 0.0, 2.5, 7.0, NAN, INF, -1.0])
    b = np.array([2.0, 3.0, -2.0, -0.0, 0.5, 1.0, 2.0, -INF])
    binop = getattr(operator, op)
    with sx.use_backend(backend):
        for x, y in (
            (sx.asarray(a), sx.asarray(b)),
            (sx.asarray(a.astype("int64").clip(-5, 5)), sx.asarray(b)),  # i64 with f64
            (sx.asarray(a), sx.asarray(b.astype("float32"))),
        ):
            f = getattr(sx, name)
            first = host(f(x, y))
            for _ in range(2):
                assert same_bits(host(f(x, y)), first)
                assert same_bits(host(binop(x, y)), first)
            # views (reversed, strided), read-only, 0-d, empty, broadcasting
            xv, yv = sx.flip(x), sx.flip(y)
            assert same_bits(host(binop(xv, yv)), first[::-1])
            assert same_bits(host(f(x[::2], y[::2])), first[::2])
            ro = sx.broadcast_to(x[1:2], (2, 1))  # a read-only view
            assert same_bits(
                host(binop(ro, sx.broadcast_to(y[1:2], (2, 1)))), np.stack([first[1:2]] * 2)
            )
            assert same_bits(host(f(x[3], y[3])), first[3])
            assert host(f(x[:0], y[:0])).shape == (0,)
            assert same_bits(host(binop(x[:1], y)), host(f(x[:1], y)))
            with pytest.raises(ValueError):
                binop(x, y[:3])
            with pytest.raises(ValueError, match=name):
                f(x, y[:3])
            named = x.refine_names("i")
            for r in (binop(named, y), binop(x, y.refine_names("i")), f(named, y)):
                assert same_bits(host(r), first) and r.names == ("i",)
        # a dtype the function does not take: still the function's error
        with pytest.raises(TypeError):
            binop(sx.asarray([True, False]), sx.asarray([1.0, 2.0]))
        with pytest.raises(TypeError, match=name):
            f(sx.asarray([True, False]), sx.asarray([1.0, 2.0]))


# ------------------------------------------------------------------------ matmul


@pytest.mark.parametrize("backend", BACKENDS)
def test_matmul_hot_path(backend):
    rng = np.random.default_rng(3)
    a, b, v = rng.standard_normal((5, 4)), rng.standard_normal((4, 3)), rng.standard_normal(4)
    with sx.use_backend(backend):
        sa, sb, sv = sx.asarray(a), sx.asarray(b), sx.asarray(v)
        np.testing.assert_allclose(host(sa @ sb), a @ b, rtol=1e-12)
        np.testing.assert_allclose(host(sa @ sv), a @ v, rtol=1e-12)
        np.testing.assert_allclose(host(sa.T @ sa[:, 0]), a.T @ a[:, 0], rtol=1e-12)
        r = sv @ sv  # a 0-d array, not a NumPy scalar
        assert isinstance(r, sx.Array) and r.shape == ()
        np.testing.assert_allclose(host(r), v @ v, rtol=1e-12)
        ints = sx.asarray(np.array([[1, 2], [3, 4]], dtype="int16"))
        assert (ints @ ints).dtype == sx.int16
        assert host(ints @ ints).tolist() == [[7, 10], [15, 22]]
        mixed = sx.asarray(np.ones((2, 2), dtype="float32")) @ sx.asarray(np.ones(2))
        assert mixed.dtype == sx.float64  # promoted on the general path
        with pytest.raises(ValueError, match="not aligned"):
            sa @ sa
        with pytest.raises(ValueError):
            sx.matmul(sv, sx.asarray(np.float64(1.0)))
        with pytest.raises(TypeError):
            sx.matmul(sx.asarray(np.array([True, False])), sx.asarray(np.array([True, True])))


@pytest.mark.parametrize("backend", BACKENDS)
def test_matmul_operator_vector_paths(backend):
    """``A @ x``, ``x @ A``, ``x @ y`` (NumPy: through ``np.dot``) on views, strided and
    empty operands, integer extremes, signed zeros and NaN; errors name matmul."""
    rng = np.random.default_rng(4)
    a = rng.standard_normal((6, 5))
    with sx.use_backend(backend):
        sa = sx.asarray(a)
        for m, v in [
            (a, a[0]),  # matrix @ vector
            (a.T, a[:, 1]),  # F-ordered matrix, strided vector
            (a[::2, ::2], a[0, ::2]),  # strided views
            (a[:, :0], a[0, :0]),  # empty contraction: zeros
        ]:
            r = sx.asarray(m) @ sx.asarray(v)
            assert r.shape == (m.shape[0],)
            np.testing.assert_allclose(host(r), m @ v, rtol=1e-12, atol=1e-15)
        r = sx.asarray(a[0]) @ sa.T  # vector @ matrix
        np.testing.assert_allclose(host(r), a[0] @ a.T, rtol=1e-12)
        strided = sa[:, 1] @ sa[:, 2]  # vector @ vector: a 0-d array
        assert strided.shape == () and strided.dtype == sx.float64
        np.testing.assert_allclose(host(strided), a[:, 1] @ a[:, 2], rtol=1e-12)
        z = sx.asarray(np.array([-0.0])) @ sx.asarray(np.array([0.0]))
        assert host(z) == 0.0
        n = sx.asarray(np.array([NAN, 1.0])) @ sx.asarray(np.array([1.0, 1.0]))
        assert math.isnan(float(n))
        big = np.array([[np.iinfo(np.int64).max, 1]], dtype=np.int64)
        r = sx.asarray(big) @ sx.asarray(np.array([1, 1], dtype=np.int64))
        assert r.dtype == sx.int64 and host(r).tolist() == [np.iinfo(np.int64).min]  # wraps
        u8 = sx.asarray(np.array([200, 100], dtype=np.uint8))
        assert (u8 @ u8).dtype == sx.uint8  # one dtype: no promotion
        with pytest.raises(ValueError, match="matmul"):
            sa @ sx.asarray(a[:, 0])  # (6, 5) @ (6,): misaligned
        with pytest.raises(ValueError, match="matmul"):
            sx.asarray(a[0]) @ sx.asarray(a[0, :3])
        with pytest.raises(ValueError, match="matmul"):
            sx.asarray(np.float64(1.0)) @ sx.asarray(a[0, :1])  # 0-d
        with pytest.raises(TypeError):
            sx.asarray(np.array([True])) @ sx.asarray(np.array([True]))
        with pytest.raises(TypeError):
            sa @ 2.0  # Python scalars are not matmul operands
        stacks = sx.asarray(rng.standard_normal((3, 6, 5))) @ sx.asarray(a.T)
        assert stacks.shape == (3, 6, 6)


@pytest.mark.parametrize("backend", BACKENDS)
def test_same_dtype_broadcast_fast_path(backend):
    """Arrays of one dtype and different shapes go straight to the kernel (JAX): the
    standard's broadcasting, signed zeros, NaN, wrapping integers, views; shapes that do
    not broadcast raise the named ValueError of the general path."""
    col = np.array([[-0.0], [1.0], [NAN]])
    row = np.array([0.0, -0.0, INF, -1.0])
    with sx.use_backend(backend):
        c, r = sx.asarray(col), sx.asarray(row)
        for op, ref in [
            (lambda a, b: a + b, col + row),
            (lambda a, b: a - b, col - row),
            (lambda a, b: a * b, col * row),
            (lambda a, b: sx.maximum(a, b), np.maximum(col, row)),
            (lambda a, b: sx.subtract(a, b), col - row),
        ]:
            for _ in range(2):  # the first call of a dtype pair validates, the next skip it
                assert same_bits(host(op(c, r)), ref)
                assert same_bits(host(op(c, c)), op(col, col))
        for _ in range(2):
            assert host(c < r).tolist() == (col < row).tolist()
            assert host(sx.equal(r, c)).dtype == np.bool_
            assert host(sx.less(c, c)).tolist() == (col < col).tolist()
        i8 = sx.asarray(np.array([[127], [-128]], dtype=np.int8))
        one = sx.asarray(np.array([1, -1, 0], dtype=np.int8))
        got = host(i8 + one)
        assert got.dtype == np.int8 and got.tolist() == [[-128, 126, 127], [-127, 127, -128]]
        zero_d = sx.asarray(np.float64(-0.0))
        assert same_bits(host(zero_d + r), -0.0 + row) and same_bits(host(r * zero_d), row * -0.0)
        assert (sx.asarray(np.ones((0, 1))) + r).shape == (0, 4)
        m = sx.asarray(np.arange(12.0).reshape(3, 4))
        assert (
            host(m.T[:, :1] + r[None, :3]).tolist()
            == (np.arange(12.0).reshape(3, 4).T[:, :1] + row[None, :3]).tolist()
        )
        with pytest.raises(ValueError, match="broadcast"):
            r + sx.asarray(np.ones(3))
        with pytest.raises(ValueError, match="broadcast"):
            sx.multiply(r, sx.asarray(np.ones((2, 3))))
        with pytest.raises(ValueError, match="broadcast"):
            sx.less(r, sx.asarray(np.ones(3)))
        with pytest.raises(TypeError, match="bitwise_and"):
            sx.bitwise_and(r, r)  # the category check stays
        assert sx.add(c, sx.asarray(np.ones(4, dtype=np.float32))).dtype == sx.float64


@pytest.mark.parametrize("backend", BACKENDS)
def test_where_fast_path(backend):
    """``where`` of one family's arrays of one dtype, or a float array and a Python float:
    dtypes, signed zeros, NaN, broadcasting, integer extremes; the general path's errors."""
    cond = np.array([True, False, True, False])
    x = np.array([-0.0, NAN, INF, 1.0])
    y = np.array([0.0, -0.0, NAN, -INF])
    with sx.use_backend(backend):
        c, sx_x, sx_y = sx.asarray(cond), sx.asarray(x), sx.asarray(y)
        assert same_bits(host(sx.where(c, sx_x, sx_y)), np.where(cond, x, y))
        assert same_bits(host(sx.where(c, sx_x, -0.0)), np.where(cond, x, -0.0))
        assert same_bits(host(sx.where(c, NAN, sx_y)), np.where(cond, NAN, y))
        f32 = sx.asarray(x.astype(np.float32))
        assert sx.where(c, f32, 0.5).dtype == sx.float32  # the Python float is weak
        assert sx.where(c, 0.5, f32).dtype == sx.float32
        assert sx.where(c, f32, sx_y).dtype == sx.float64  # promoted on the general path
        big = np.array([np.iinfo(np.int64).max, np.iinfo(np.int64).min] * 2)
        r = sx.where(c, sx.asarray(big), sx.asarray(big[::-1].copy()))
        assert r.dtype == sx.int64 and host(r).tolist() == np.where(cond, big, big[::-1]).tolist()
        assert sx.where(c, sx.asarray(big), 1.5).dtype == sx.float64  # int and float: general
        col = sx.asarray(np.array([[True], [False]]))
        assert host(sx.where(col, sx_x, sx_y)).shape == (2, 4)  # broadcast
        nonbool = sx.asarray(np.array([0.0, 2.0, -0.0, NAN]))  # truth values
        assert same_bits(
            host(sx.where(nonbool, sx_x, sx_y)), np.where(np.array([0.0, 2.0, -0.0, NAN]), x, y)
        )
        empty = sx.asarray(np.zeros(0, dtype=bool))
        assert sx.where(empty, sx.asarray(np.zeros(0)), 1.0).shape == (0,)
        with pytest.raises(ValueError, match="where"):
            sx.where(c, sx_x, sx.asarray(np.ones(3)))
        with pytest.raises(TypeError, match="where"):
            sx.where(c, 1.0, 2.0)


# ------------------------------------------- element-wise functions with a Python scalar


@pytest.mark.parametrize("backend", BACKENDS)
def test_scalar_operand_fast_path(backend):
    """``f(x, 0.5)`` and ``f(3, x)`` skip the general path: same dtypes and errors."""
    with sx.use_backend(backend):
        f = sx.asarray(np.array([-0.0, 1.5, INF, NAN]))
        i8 = sx.asarray(np.array([-128, 0, 127], dtype="int8"))
        r = sx.add(f, 0.5)
        assert r.dtype == sx.float64 and same_bits(host(r), np.array([0.5, 2.0, INF, NAN]))
        assert same_bits(host(sx.multiply(-1.0, f)), np.array([0.0, -1.5, -INF, NAN]))
        assert same_bits(host(sx.subtract(0, f)), np.array([0.0, -1.5, -INF, NAN]))
        assert sx.add(i8, 1).dtype == sx.int8  # the array's dtype (weak scalar)
        assert host(sx.add(i8, 1)).tolist() == [-127, 1, -128]  # wraps
        assert host(sx.less(3, i8)).tolist() == [False, False, True]
        assert sx.multiply(i8, 2.5).dtype == sx.float64  # NumPy's float with integers
        with pytest.raises(TypeError, match="bitwise_and"):
            sx.bitwise_and(i8, 1.5)
        with pytest.raises(TypeError, match="add"):
            sx.add(f, True)
        with pytest.raises(TypeError, match="atan2"):
            sx.atan2(i8, 1.0)
        with pytest.raises(OverflowError):
            sx.add(i8, 300)
        named = sx.ones(2, names=("n",))  # a named array: the general path keeps names
        assert sx.add(named, 1.0).names == ("n",) and host(sx.add(2, named)).tolist() == [3, 3]


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("n", [4, 300])  # the small checks and NumPy's reductions
def test_floor_divide_infinities(backend, n):
    """``floor_divide`` with an infinite operand gives the true quotient's sign and
    magnitude at every size (the small-array check reads Python sums)."""
    a = np.resize(np.array([INF, -1.0, 5.0, -INF, 7.0, -0.0, NAN, 1.0]), n)
    b = np.resize(np.array([2.0, INF, 2.0, 3.0, -INF, 2.0, 1.0, 0.5]), n)
    want = np.where(np.isinf(a) != np.isinf(b), a / b, np.floor_divide(a, b))
    with sx.use_backend(backend):
        x, y = sx.asarray(a), sx.asarray(b)
        for r in (x // y, sx.floor_divide(x, y), sx.floor_divide(x, sx.asarray(b[:1]))[:1]):
            m = host(r).size
            assert same_bits(host(r), want[:m])
        assert same_bits(host(x // INF), np.where(np.isinf(a), NAN, a / INF))
        big = sx.asarray(np.array([1e308, 1e308]))  # a sum that overflows: the exact path
        assert host(big // sx.asarray(np.array([1.0, 3.0]))).tolist() == [1e308, 1e308 // 3]
        ints = sx.asarray(np.array([-7, 7], dtype="int16"))
        assert host(ints // sx.asarray(np.array([2, -2], dtype="int16"))).tolist() == [-4, -4]


@pytest.mark.parametrize("backend", BACKENDS)
def test_half_power_large_arrays(backend):
    """Beyond the small-array check: NumPy's reduction finds -0 and -inf."""
    base = np.resize(np.array([4.0, -0.0, 9.0, -INF, 0.25]), 600)
    want = np.resize(np.array([2.0, 0.0, 3.0, INF, 0.5]), 600)
    with sx.use_backend(backend):
        assert same_bits(host(sx.asarray(base) ** 0.5), want)
        assert same_bits(host(sx.asarray(base[::2]) ** 0.5), want[::2])


# --------------------------------------------------------------- creation, manipulation


@pytest.mark.parametrize("backend", BACKENDS)
def test_arange_of_python_ints(backend):
    with sx.use_backend(backend):
        assert host(sx.arange(5)).tolist() == [0, 1, 2, 3, 4]
        assert host(sx.arange(10, 1, -3)).tolist() == [10, 7, 4]
        assert host(sx.arange(1, 10, -1)).shape == (0,)
        assert host(sx.arange(-3)).shape == (0,)
        assert host(sx.arange(2, 3, 5)).tolist() == [2]
        assert sx.arange(3).dtype == sx.__array_namespace_info__().default_dtypes()["integral"]
        assert host(sx.arange(3, dtype=sx.int8)).dtype == np.int8
        with pytest.raises(ValueError, match="step"):
            sx.arange(0, 5, 0)
        with pytest.raises((OverflowError, ValueError), match="arange"):
            sx.arange(2**63, 2**63 + 2)
        with pytest.raises(TypeError, match="arange"):
            sx.arange(3, dtype=sx.bool)
        with pytest.raises(TypeError, match="arange"):
            sx.arange(True)  # a bool is not an int: the general path refuses it


@pytest.mark.parametrize("backend", BACKENDS)
def test_concat_stack_fast_path(backend):
    a, b = np.arange(6.0).reshape(2, 3), -np.arange(6.0).reshape(2, 3)
    with sx.use_backend(backend):
        x, y = sx.asarray(a), sx.asarray(b)
        assert np.array_equal(host(sx.concat([x, y])), np.concatenate([a, b]))
        assert np.array_equal(host(sx.concat((x, y), axis=-1)), np.concatenate([a, b], 1))
        assert np.array_equal(host(sx.concat([x.T, y.T], axis=1)), np.concatenate([a.T, b.T], 1))
        assert np.array_equal(host(sx.stack([x, y], axis=-1)), np.stack([a, b], -1))
        assert np.array_equal(host(sx.stack((x[:, ::2],))), np.stack([a[:, ::2]]))
        # mixed dtypes: the general path promotes
        i = sx.asarray(np.ones((2, 3), dtype="int8"))
        assert sx.concat([i, i]).dtype == sx.int8
        assert sx.concat([x, sx.astype(x, sx.float32)]).dtype == sx.float64
        assert sx.stack([i, x]).dtype == sx.float64
        c = sx.concat([x, y])
        c[0, 0] = 99.0  # a new array
        assert host(x)[0, 0] == 0.0
        with pytest.raises(ValueError, match="concat"):
            sx.concat([x, sx.asarray(np.ones((2, 2)))], axis=0)
        with pytest.raises(IndexError, match="concat"):
            sx.concat([x, y], axis=2)
        with pytest.raises(ValueError, match="concat"):
            sx.concat([sx.asarray(1.0), sx.asarray(2.0)])
        with pytest.raises(ValueError, match="stack"):
            sx.stack([x, x.T])
        with pytest.raises(IndexError, match="stack"):
            sx.stack([x, y], axis=3)
        with pytest.raises(ValueError, match="concat"):
            sx.concat([])


@pytest.mark.parametrize("backend", BACKENDS)
def test_diagonal_view(backend):
    m = np.arange(24.0).reshape(2, 3, 4)
    with sx.use_backend(backend):
        x = sx.asarray(m.copy())
        for k in (-5, -2, -1, 0, 1, 3, 9):
            assert np.array_equal(host(sx.linalg.diagonal(x, offset=k)), np.diagonal(m, k, -2, -1))
        assert np.array_equal(
            host(sx.linalg.diagonal(x.mT)), np.diagonal(m.swapaxes(-1, -2), 0, -2, -1)
        )
        assert np.array_equal(
            host(sx.linalg.diagonal(sx.flip(x, axis=2))), np.diagonal(m[..., ::-1], 0, -2, -1)
        )
        d = sx.linalg.diagonal(x, offset=1)
        d[0, 0] = -1.0  # a writeable view of x
        assert host(x)[0, 0, 1] == -1.0
        b = sx.broadcast_to(sx.asarray(np.ones((1, 3))), (3, 3))
        with pytest.raises(ValueError):
            sx.linalg.diagonal(b)[0] = 2.0  # read-only like its base


@pytest.mark.parametrize("backend", BACKENDS)
def test_masked_and_integer_writes(backend):
    """Small advanced writes skip the lock: the same values as the locked writes."""
    with sx.use_backend(backend):
        for n in (8, 2000):
            y = sx.asarray(np.arange(float(n)))
            y[sx.asarray(np.arange(n) % 3 == 0)] = -0.0
            want = np.where(np.arange(n) % 3 == 0, -0.0, np.arange(float(n)))
            assert same_bits(host(y), want)
            y[sx.asarray(np.array([1, 1, -1]))] = 5.0
            assert host(y)[1] == 5.0 and host(y)[-1] == 5.0
            m = sx.asarray(np.zeros((4, n)))
            m[sx.asarray(np.array([0, 0, 3] * 400))] = 1.0  # a long loop over few rows
            assert host(m).sum() == 2 * n


# ------------------------------------------------------------------------ linalg


@pytest.mark.parametrize("backend", BACKENDS)
def test_linalg_checks_in_one_kernel(backend):
    """The finite checks (on JAX in the routine's compiled kernel) raise as before."""
    spd = np.array([[4.0, 1.0], [1.0, 3.0]])
    with sx.use_backend(backend):
        a = sx.asarray(spd)
        np.testing.assert_allclose(host(sx.linalg.inv(a)), np.linalg.inv(spd))
        np.testing.assert_allclose(
            host(sx.linalg.solve(a, sx.asarray(np.ones(2)))), np.linalg.solve(spd, np.ones(2))
        )
        np.testing.assert_allclose(
            host(sx.linalg.cholesky(a, upper=True)), np.linalg.cholesky(spd).T
        )
        assert sx.linalg.inv(sx.astype(a, sx.float32)).dtype == sx.float32
        w, q = sx.linalg.eigh(a)
        assert w.dtype == sx.float64 and q.shape == (2, 2)
        assert sx.linalg.svd(a, full_matrices=False).S.shape == (2,)
        for bad, message in (
            (np.zeros((2, 2)), "Singular"),
            (np.array([[NAN, 1.0], [1.0, 1.0]]), "NaN"),
        ):
            with pytest.raises(sx.linalg.LinAlgError, match=message):
                sx.linalg.inv(sx.asarray(bad))
        with pytest.raises(sx.linalg.LinAlgError, match="positive definite"):
            sx.linalg.cholesky(sx.asarray(-spd))
        with pytest.raises(sx.linalg.LinAlgError, match="NaN"):
            sx.linalg.solve(a, sx.asarray(np.array([INF, 1.0])))
        with pytest.raises(sx.linalg.LinAlgError, match="NaN"):
            sx.linalg.eigvalsh(sx.asarray(np.array([[INF, 1.0], [1.0, 1.0]])))
        assert host(sx.linalg.det(sx.asarray(np.zeros((2, 2))))) == 0.0  # never raises


def test_linalg_under_jit_returns_nan():
    jax = pytest.importorskip("jax")
    with sx.use_backend("jax"):
        f = jax.jit(lambda v: sx.linalg.inv(sx.asarray(v))._value)
        assert not np.isfinite(np.asarray(f(np.zeros((2, 2))))).all()


# ------------------------------------------------------------- integer x ** y (arrays)


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("dtype", ["int8", "uint8", "int16", "uint16", "int32", "int64", "uint64"])
def test_integer_power_of_arrays_exact(backend, dtype):
    """Exact modulo 2**bits for every exponent (jax.numpy stops after 6 bits)."""
    info = np.iinfo(dtype)
    a = np.array([3, 7, 0, 1, 2, 5, info.max, info.min, 3], dtype=dtype)
    e = np.array([0, 100, 0, 120, 63, 7, 9, 3, info.max], dtype=dtype)
    with np.errstate(all="ignore"):
        want = np.power(a, e)
    with sx.use_backend(backend):
        x, y = sx.asarray(a), sx.asarray(e)
        for r in (x**y, sx.pow(x, y), sx.pow(x[:, None], y[None, :4])):
            assert host(r).dtype == want.dtype
        assert np.array_equal(host(x**y), want)
        with np.errstate(all="ignore"):
            assert np.array_equal(
                host(sx.pow(x[:, None], y[None, :4])), np.power(a[:, None], e[None, :4])
            )
        assert np.array_equal(host(x ** sx.zeros_like(y)), np.ones_like(a))
        assert host(sx.pow(x[:0], y[:0])).shape == (0,)
        if info.min < 0:
            with pytest.raises(ValueError, match="negative integer powers"):
                x ** sx.asarray(np.array([1, -1, 1, 1, 1, 1, 1, 1, 1], dtype=dtype))


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("n", [9, 5000])
def test_integer_power_small_and_large_arrays_agree(backend, n):
    """Small and large arrays: exact, and NumPy's error (its message, named once) for a
    negative exponent on every backend."""
    rng = np.random.default_rng(n)
    a = rng.integers(-50, 50, n).astype(np.int16)
    e = rng.integers(0, 300, n).astype(np.int32)
    with np.errstate(all="ignore"):
        want = np.power(a.astype(np.int32), e)
    with sx.use_backend(backend):
        x, y = sx.asarray(a), sx.asarray(e)
        assert host(x**y).dtype == np.int32
        assert np.array_equal(host(x**y), want)
        assert np.array_equal(host(sx.pow(3, y)), np.power(np.int32(3), e))
        e[n // 2] = -1
        with pytest.raises(ValueError, match="^__pow__: Integers to negative integer powers"):
            x ** sx.asarray(e)
        with pytest.raises(ValueError, match="^pow: Integers to negative integer powers"):
            sx.pow(x, sx.asarray(e))


def test_integer_power_traced_negative_exponent():
    jax = pytest.importorskip("jax")
    with sx.use_backend("jax"):
        f = jax.jit(lambda a, b: (sx.asarray(a) ** sx.asarray(b))._value)
        r = np.asarray(f(np.array([2, 3]), np.array([3, -1])))  # no error when traced
        assert r[0] == 8


# ---------------------------------------------------------------- sorting, gathers


@pytest.mark.parametrize("backend", BACKENDS)
def test_argsort_and_descending_sort_kernels(backend):
    v = np.array([3.0, -0.0, NAN, 0.0, 3.0, -INF, 1.0])
    with sx.use_backend(backend):
        x = sx.asarray(v)
        r = sx.argsort(x)
        assert host(r).tolist() == np.argsort(v, stable=True).tolist()
        assert r.dtype == sx.__array_namespace_info__().default_dtypes()["indexing"]
        want = len(v) - 1 - np.flip(np.argsort(np.flip(v), stable=True))
        assert host(sx.argsort(x, descending=True)).tolist() == want.tolist()
        assert same_bits(
            host(sx.sort(x, descending=True)), np.flip(np.sort(np.flip(v), stable=True))
        )
        m = sx.asarray(np.array([[2, 1, 2], [0, 0, 1]]))
        assert host(sx.argsort(m, axis=0, descending=True)).tolist() == [[0, 0, 0], [1, 1, 1]]
        assert host(sx.argsort(sx.asarray(5))).tolist() == 0


@pytest.mark.parametrize("backend", BACKENDS)
def test_take_bounds_in_one_kernel(backend):
    v = np.arange(10.0)
    with sx.use_backend(backend):
        x = sx.asarray(v)
        assert host(sx.take(x, sx.asarray(np.array([1, -1, -10])))).tolist() == [1.0, 9.0, 0.0]
        assert host(sx.take(x, sx.asarray(np.array([3], dtype="uint8")))).tolist() == [3.0]
        assert host(sx.take(x, sx.asarray(np.zeros(0, dtype="int64")))).shape == (0,)
        for bad in (10, -11):
            with pytest.raises(IndexError, match="take"):
                sx.take(x, sx.asarray(np.array([0, bad])))
        m = sx.asarray(v.reshape(2, 5))
        idx = sx.asarray(np.array([[4, -1], [0, 1]]))
        assert host(sx.take_along_axis(m, idx, axis=1)).tolist() == [[4.0, 4.0], [5.0, 6.0]]
        with pytest.raises(IndexError, match="take_along_axis"):
            sx.take_along_axis(m, sx.asarray(np.array([[5], [0]])), axis=1)


def test_basic_writes_into_large_arrays():
    # Writes of a few elements into an array above the lock threshold skip the lock: the
    # same values land, views see them, errors keep their names.
    n = 4096
    y = sx.zeros(n)
    y[2] = 1.0
    y[-1] = 3.0
    y[10:13] = sx.asarray([4.0, 5.0, 6.0])
    y[100:2000] = 7.0  # a large selection (locked)
    got = np.asarray(y)
    assert got[2] == 1.0 and got[-1] == 3.0 and got[10:13].tolist() == [4.0, 5.0, 6.0]
    assert (got[100:2000] == 7.0).all() and got[:2].tolist() == [0.0, 0.0]
    m = sx.reshape(y, (64, 64))  # a view: 2-D keys
    m[1, 2] = 8.0
    m[3] = 9.0
    m[(5, slice(0, 4))] = 10.0
    m[None, 6, ...] = 11.0
    got = np.asarray(y)
    assert got[66] == 8.0 and (got[192:256] == 9.0).all() and (got[320:324] == 10.0).all()
    assert (got[384:448] == 11.0).all()
    with pytest.raises(IndexError, match="^__setitem__"):
        y[n] = 1.0
    with pytest.raises(IndexError, match="^__setitem__"):
        m[1, 64] = 1.0
    with pytest.raises(ValueError, match="^__setitem__"):
        sx.broadcast_to(sx.zeros(1), (n,))[3] = 1.0  # a read-only view


def test_numpy_flip_kernel_is_numpys_view():
    # the NumPy backend's kx.flip (a slice) is np.flip's view, on every axis form
    from storax._backends._numpy import kx

    a = np.arange(24.0).reshape(2, 3, 4)
    for axis in (None, 0, 1, 2, -1, -2, -3):
        got = kx.flip(a, axis=axis)
        assert np.shares_memory(got, a) and same_bits(got, np.flip(a, axis=axis))
    assert same_bits(kx.flip(np.asarray(5.0)), np.flip(np.asarray(5.0)))
    assert kx.flip(np.zeros((0, 3)), axis=1).shape == (0, 3)
    # descending sorts through it: NaNs first, equal values in their order, 2-D axes
    x = sx.asarray([[1.0, NAN, -0.0, 0.0, 3.0], [2.0, 2.0, -1.0, INF, -INF]])
    for axis in (0, 1, -1):
        want = np.flip(np.sort(np.flip(host(x), axis=axis), axis=axis, stable=True), axis=axis)
        assert same_bits(host(sx.sort(x, axis=axis, descending=True)), want)


def test_sort_argument_checks_after_the_one_test_path():
    x = sx.asarray([[3.0, 1.0], [2.0, 0.0]])
    assert host(sx.sort(x, axis=np.int64(0))).tolist() == [[2.0, 0.0], [3.0, 1.0]]
    assert host(sx.argsort(x, axis=-2)).tolist() == [[1, 1], [0, 0]]
    with pytest.raises(TypeError, match="^sort: "):
        sx.sort(x, axis=True)
    with pytest.raises(IndexError, match="^sort: "):
        sx.sort(x, axis=2)
    with pytest.raises(IndexError, match="^argsort: "):
        sx.argsort(x, axis=-3)
    with pytest.raises(TypeError, match="^sort: "):
        sx.sort(x, descending=1)
    with pytest.raises(TypeError, match="^argsort: "):
        sx.argsort(x, stable=None)
    with pytest.raises(TypeError, match="^sort: "):
        sx.sort(sx.asarray([1j, 2j]))
    assert host(sx.sort(np.asarray([2, 1]))).tolist() == [1, 2]  # a NumPy array
    assert host(sx.sort(sx.asarray(5.0))).tolist() == 5.0  # 0-d
    with pytest.raises(TypeError, match="^expand_dims: "):
        sx.expand_dims(x, axis=1.0)


@pytest.mark.parametrize("backend", BACKENDS)
def test_search_count_nonzero_trace_results(backend):
    with sx.use_backend(backend):
        idx = sx.__array_namespace_info__().default_dtypes()["indexing"]
        a = sx.asarray([1.0, 2.0, 3.0])
        r = sx.searchsorted(a, 2.5)  # a Python scalar: a 0-d index array
        assert r.shape == () and r.dtype == idx and int(r) == 2
        r = sx.searchsorted(a, sx.asarray([0.5, 3.5], dtype=sx.float32))  # promoted
        assert r.dtype == idx and host(r).tolist() == [0, 3]
        r = sx.searchsorted(a, sx.asarray([2.0]), side="right")
        assert host(r).tolist() == [2]
        p = sx.asarray([True, False, True])
        (nz,) = sx.nonzero(p)
        assert nz.dtype == idx and host(nz).tolist() == [0, 2]
        rows, cols = sx.nonzero(sx.asarray([[0, 1], [2, 0]]))
        assert host(rows).tolist() == [0, 1] and host(cols).tolist() == [1, 0]
        c = sx.count_nonzero(p)
        assert c.shape == () and c.dtype == idx and int(c) == 2
        c = sx.count_nonzero(sx.reshape(p, (1, 3)), keepdims=True)
        assert c.shape == (1, 1) and int(c[0, 0]) == 2
        m = sx.asarray([[1, 2], [3, 4]], dtype=sx.int8)
        t = sx.linalg.trace(m)
        assert t.dtype == sx.int64 and int(t) == 5
        assert sx.linalg.trace(sx.asarray([[1, 2], [3, 4]], dtype=sx.uint8)).dtype == sx.uint64
        assert int(sx.linalg.trace(m, offset=1)) == 2 and int(sx.linalg.trace(m, offset=5)) == 0
        t = sx.linalg.trace(m, dtype=sx.float32)
        assert t.dtype == sx.float32 and float(t) == 5.0
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("error")
            t = sx.linalg.trace(sx.asarray([[INF, 0.0], [0.0, -INF]]))
        assert math.isnan(float(t))


@pytest.mark.parametrize("backend", BACKENDS)
def test_tile_and_repeat_arguments(backend):
    with sx.use_backend(backend):
        x = sx.asarray([[1, 2], [3, 4]])
        assert host(sx.tile(x, (2, 1))).tolist() == np.tile(host(x), (2, 1)).tolist()
        assert host(sx.tile(x, [2])).tolist() == np.tile(host(x), 2).tolist()  # fewer reps
        assert sx.tile(x, (2, 1, 3)).shape == (2, 2, 6)  # more reps than dims
        assert sx.tile(x, (np.int64(2), 1)).shape == (4, 2)
        assert sx.tile(x, (0, 1)).shape == (0, 2)
        with pytest.raises(TypeError, match="^tile: "):
            sx.tile(x, (True, 1))
        with pytest.raises(ValueError, match="^tile: "):
            sx.tile(x, (2, -1))
        with pytest.raises(TypeError, match="^tile: "):
            sx.tile(x, 2)
        assert host(sx.repeat(x, 2)).tolist() == [1, 1, 2, 2, 3, 3, 4, 4]
        assert host(sx.repeat(x, np.int64(2), axis=1)).tolist() == [[1, 1, 2, 2], [3, 3, 4, 4]]
        with pytest.raises(TypeError, match="^repeat: "):
            sx.repeat(x, True)
        with pytest.raises(ValueError, match="^repeat: "):
            sx.repeat(x, -1)


@pytest.mark.parametrize("backend", BACKENDS)
def test_reshape_minus_one_and_permute_dims_arguments(backend):
    with sx.use_backend(backend):
        x = sx.reshape(sx.arange(6), (2, 3))
        t = sx.permute_dims(x, (-1, 0))  # a negative axis
        assert host(sx.reshape(t, (-1,))).tolist() == [0, 3, 1, 4, 2, 5]  # a copy
        v = sx.reshape(x, (3, -1))
        assert v.shape == (3, 2)
        v[0, 0] = 9  # a view where the layout allows it
        assert int(x[0, 0]) == 9
        for bad in [(-1, -1), (-2, 3), (4,), (-1, 4)]:
            with pytest.raises(ValueError, match="^reshape: "):
                sx.reshape(x, bad)
        assert sx.reshape(sx.zeros((0, 3)), (-1, 3)).shape == (0, 3)
        with pytest.raises(ValueError, match="^reshape: "):
            sx.reshape(sx.zeros((0, 3)), (0, -1))  # -1 is ambiguous for size 0
        assert sx.permute_dims(x, [1, 0]).shape == (3, 2)  # a list
        assert sx.permute_dims(x, (np.int64(1), 0)).shape == (3, 2)
        with pytest.raises(ValueError, match="^permute_dims: "):
            sx.permute_dims(x, (0, 0))
        with pytest.raises(ValueError, match="^permute_dims: "):
            sx.permute_dims(x, (0,))
        with pytest.raises(TypeError, match="^permute_dims: "):
            sx.permute_dims(x, (True, 0))
        with pytest.raises(IndexError, match="^permute_dims: "):
            sx.permute_dims(x, (0, 2))
        with pytest.raises(TypeError, match="^permute_dims: "):
            sx.permute_dims(x, 1)


@pytest.mark.parametrize("backend", BACKENDS)
def test_argmax_argmin_results(backend):
    with sx.use_backend(backend):
        idx = sx.__array_namespace_info__().default_dtypes()["indexing"]
        x = sx.asarray([[3.0, NAN, 1.0], [-0.0, 0.0, -INF]])
        r = sx.argmax(x)
        assert r.shape == () and r.dtype == idx and int(r) == 1  # NaN wins, as NumPy
        assert host(sx.argmin(x, axis=1)).tolist() == [1, 2]
        r = sx.argmax(x, axis=0, keepdims=True)
        assert r.shape == (1, 3) and host(r).tolist() == [[0, 0, 0]]
        assert sx.argmin(sx.asarray([True, False])).dtype == idx
        with pytest.raises(ValueError, match="^argmax: "):
            sx.argmax(sx.zeros((0,)))
        with pytest.raises(TypeError, match="^argmin: "):
            sx.argmin(x, keepdims=1)


def test_numpy_array_index_fast_path():
    x = sx.asarray([10.0, 11.0, 12.0, 13.0])
    assert host(x[sx.asarray([3, -1, 0])]).tolist() == [13.0, 13.0, 10.0]
    assert host(x[sx.asarray([1, 2], dtype=sx.uint8)]).tolist() == [11.0, 12.0]
    assert host(x[sx.asarray([True, False, True, False])]).tolist() == [10.0, 12.0]
    assert x[sx.asarray(2)].shape == () and float(x[sx.asarray(2)]) == 12.0  # 0-d: int(k)
    assert x[sx.asarray(True)].shape == (1, 4)  # a 0-d mask adds an axis
    r = x[sx.asarray([0, 1])]
    r[0] = 99.0  # a copy, not a view
    assert float(x[0]) == 10.0
    with pytest.raises(IndexError, match="^__getitem__"):
        x[sx.asarray([4])]
    with pytest.raises(IndexError, match="^__getitem__"):
        x[sx.asarray([True, False])]
    with pytest.raises(IndexError, match="^__getitem__"):
        x[sx.asarray([1.0])]


def test_jax_integer_power_one_kernel_and_flags():
    """JAX's integer pow of array exponents: 8 fused rounds and two flags (negative, more
    bits) read at once; wider exponents, mixed dtypes and Python bases agree with NumPy."""
    pytest.importorskip("jax")
    with sx.use_backend("jax"):
        pairs = (("int64", "int64"), ("uint8", "int8"), ("int16", "uint32"), ("uint64", "uint64"))
        for ta, tb in pairs:
            a = np.array([0, 1, 2, 3, 7, 1, 0, 2], dtype=ta)
            big = min(np.iinfo(tb).max, 256)  # int8: 127 (8 bits of uint16 at most)
            e = np.array([0, big - 1, big, 3, 1, 2**7 - 1, 1, 7], dtype=tb)
            want = np.power(a, e)
            for got in (sx.pow(sx.asarray(a), sx.asarray(e)), sx.asarray(a) ** sx.asarray(e)):
                assert host(got).dtype == want.dtype
                assert np.array_equal(host(got), want)
            small = (e % 100).astype(tb)  # every exponent below 256: the fused rounds alone
            assert np.array_equal(host(sx.asarray(a) ** sx.asarray(small)), np.power(a, small))
        m = sx.asarray(np.array([[-1], [3]], dtype="int32"))
        wide = sx.asarray(np.array([2**20, 2**20 + 1], dtype="int32"))
        assert np.array_equal(host(m**wide), np.power(host(m), host(wide)))
        assert np.array_equal(host(sx.pow(2, wide[:1] - 2**20 + 5)), [32])
        view = sx.asarray(np.arange(12, dtype="int64"))[::3]  # a strided view
        assert np.array_equal(host(view ** sx.asarray(np.array([1, 2, 0, 1]))), [0, 9, 1, 9])
        for neg in (np.array([1, -1]), np.array([-(2**40), 300])):
            with pytest.raises(ValueError, match="^pow: Integers to negative integer powers"):
                sx.pow(sx.asarray(np.array([2, 3])), sx.asarray(neg))
            with pytest.raises(ValueError, match="^__rpow__: Integers to negative integer"):
                2 ** sx.asarray(neg)


@pytest.mark.parametrize("backend", [*BACKENDS, "torch"])
def test_inplace_operators_with_an_array_of_one_dtype_and_shape(backend):
    """``y op= x`` with an array of ``y``'s dtype and shape (the bare kernel on JAX, its
    fresh result adopted): NumPy's values, ``y``'s dtype kept (integers wrap), written
    through views, seen by every view; other shapes and dtypes take the general path."""
    if backend != "numpy":
        pytest.importorskip(backend)
    ops = (operator.iadd, operator.isub, operator.imul)
    with sx.use_backend(backend):
        for dt in ("float64", "float32", "int8", "uint8", "int64", "complex128"):
            a = np.array([0, 1, 2, 120, 127, 3, 5, 100]).astype(dt)
            b = np.array([1, 2, 127, 120, 3, 0, 7, 100]).astype(dt)
            for op in ops:
                y, x = sx.asarray(a.copy()), sx.asarray(b)
                alias = y[:]  # a view of the same storage
                got = op(y, x)
                want = op(a.copy(), b)
                assert got is y and host(y).dtype == want.dtype
                assert np.array_equal(host(y), want) and np.array_equal(host(alias), want)
        for dt in ("int8", "uint16", "bool"):
            a = np.array([0, 1, 1, 0, 5, 6]).astype(dt)
            b = np.array([1, 1, 0, 0, 3, 4]).astype(dt)
            for op in (operator.iand, operator.ior, operator.ixor):
                y = sx.asarray(a.copy())
                op(y, sx.asarray(b))
                assert np.array_equal(host(y), op(a.copy(), b))
        # a strided view of a larger storage: the write lands in the storage only there
        base = sx.asarray(np.zeros(8))
        view = base[1::2]
        view += sx.asarray(np.arange(4.0))
        assert np.array_equal(host(base), [0, 0, 0, 1, 0, 2, 0, 3])
        # x aliasing y's storage, reversed: the whole operand is read before the write
        y = sx.asarray(np.arange(6.0))
        y += y[::-1]
        assert np.array_equal(host(y), np.full(6, 5.0))
        # broadcasting and mixed dtypes: the general path, the same rules
        y = sx.asarray(np.ones((2, 3)))
        y += sx.asarray(np.arange(3.0))
        assert np.array_equal(host(y), np.ones((2, 3)) + np.arange(3.0))
        y = sx.asarray(np.ones(3, dtype="float64"))
        y += sx.asarray(np.ones(3, dtype="float32"))
        assert host(y).dtype == np.float64 and np.array_equal(host(y), [2, 2, 2])
        with pytest.raises(ValueError, match="__iadd__"):
            y += sx.asarray(np.ones(4))
        with pytest.raises(TypeError, match="__iadd__"):
            z = sx.asarray(np.ones(3, dtype="int32"))
            z += sx.asarray(np.ones(3, dtype="float64"))
        with pytest.raises(ValueError, match="read-only"):
            r = sx.broadcast_to(sx.asarray(np.ones(1)), (3,))
            r += sx.asarray(np.ones(3))
        # an unnamed array with a named one of the same family (NumPy's crashed before)
        c = sx.asarray(np.ones(3))
        c += sx.asarray(np.ones(3)).refine_names("x")
        assert np.array_equal(host(c), [2, 2, 2])


@pytest.mark.parametrize("backend", [*BACKENDS, "torch"])
def test_masked_scalar_writes(backend):
    """``y[mask] = scalar`` with a whole-view mask of the same family (one select on JAX):
    NumPy's values through views, the scalar checks and the read-only error as before."""
    if backend != "numpy":
        pytest.importorskip(backend)
    with sx.use_backend(backend):
        for dt, value in (("float64", -0.0), ("float32", 2.5), ("int16", -7), ("bool", True)):
            a = np.array([0, 1, 0, 3, 4, 0, 6, 1]).astype(dt)
            want = a.copy()
            want[a == 0] = value
            y = sx.asarray(a.copy())
            y[y == sx.asarray(np.zeros((), dtype=dt))] = value
            assert np.array_equal(host(y), want)
            if dt.startswith("float"):  # the -0.0 written keeps its sign
                assert same_bits(host(y), want)
        base = sx.asarray(np.arange(12.0).reshape(3, 4))
        view = base[:, 1::2]  # a strided 2-D view: only its elements change
        view[view > 4.0] = -1.0
        want = np.arange(12.0).reshape(3, 4)
        sub = want[:, 1::2]
        sub[sub > 4.0] = -1.0
        assert np.array_equal(host(base), want)
        y = sx.asarray(np.arange(6.0).reshape(2, 3))
        y[sx.asarray(np.array([True, False]))] = 9.0  # a mask of the leading axis only
        assert np.array_equal(host(y), [[9, 9, 9], [3, 4, 5]])
        z = sx.asarray(np.arange(4, dtype="int8"))
        with pytest.raises(TypeError, match="__setitem__"):
            z[z > 1] = 0.5
        with pytest.raises(OverflowError, match="__setitem__"):
            z[z > 1] = 300
        with pytest.raises(IndexError, match="__setitem__"):
            z[sx.asarray(np.array([True, False]))] = 1
        r = sx.broadcast_to(sx.asarray(np.ones(1)), (3,))
        with pytest.raises(ValueError, match="read-only"):
            r[r > 0.0] = 2.0
