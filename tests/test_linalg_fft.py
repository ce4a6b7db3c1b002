"""storax.linalg, storax.fft and the main namespace's linear algebra: what the official suite
does not check (values against NumPy, dtype precision, views, error messages)."""

from __future__ import annotations

import math
import tracemalloc

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import storax as sx
from storax import fft, linalg

rng = np.random.default_rng(0)


def arr(a, dtype=None):
    return sx.asarray(np.asarray(a, dtype=dtype))


def npv(x):
    return np.asarray(x._value)


FLOATS = [sx.float32, sx.float64, sx.complex64, sx.complex128]
REAL_OF = {
    sx.float32: sx.float32,
    sx.float64: sx.float64,
    sx.complex64: sx.float32,
    sx.complex128: sx.float64,
}
COMPLEX_OF = {
    sx.float32: sx.complex64,
    sx.float64: sx.complex128,
    sx.complex64: sx.complex64,
    sx.complex128: sx.complex128,
}


def random_matrix(shape, dtype):
    a = rng.standard_normal(shape)
    if np.dtype(dtype).kind == "c":
        a = a + 1j * rng.standard_normal(shape)
    return a.astype(dtype)


# ----------------------------------------------------------------------------- namespace


def test_extensions_are_reachable():
    assert sx.linalg is linalg and sx.fft is fft
    assert hasattr(sx, "linalg") and hasattr(sx, "fft")
    assert linalg.matmul is sx.matmul and linalg.tensordot is sx.tensordot
    assert linalg.vecdot is sx.vecdot and linalg.matrix_transpose is sx.matrix_transpose


def test_matmul_values_and_shapes():
    a = random_matrix((2, 3, 4), "float64")
    b = random_matrix((4, 5), "float64")
    np.testing.assert_allclose(npv(sx.matmul(arr(a), arr(b))), a @ b)
    v = random_matrix((4,), "float64")
    assert sx.matmul(arr(a), arr(v)).shape == (2, 3)
    assert sx.matmul(arr(v), arr(b)).shape == (5,)
    assert sx.matmul(arr(v), arr(v)).shape == ()


@pytest.mark.parametrize(
    ("s1", "s2"), [((), (3,)), ((3,), (4,)), ((2, 3), (4, 2)), ((2, 2, 3), (3, 3, 2))]
)
def test_matmul_bad_shapes(s1, s2):
    with pytest.raises(ValueError, match="^matmul: "):
        sx.matmul(sx.ones(s1), sx.ones(s2))


def test_matmul_promotes_and_rejects_bool():
    r = sx.matmul(sx.ones((2, 2), dtype=sx.int8), sx.ones((2, 2), dtype=sx.int16))
    assert r.dtype == sx.int16
    assert sx.matmul(sx.ones(2, dtype=sx.float32), sx.ones(2, dtype=sx.float64)).dtype == sx.float64
    with pytest.raises(TypeError, match="^matmul: "):
        sx.matmul(sx.ones((2, 2), dtype=sx.bool), sx.ones((2, 2), dtype=sx.bool))
    with pytest.raises(TypeError, match="^matmul: "):
        sx.matmul(np.ones((2, 2)), sx.ones((2, 2)))


def test_tensordot():
    a = random_matrix((2, 3, 4), "float64")
    b = random_matrix((4, 3, 5), "float64")
    r = sx.tensordot(arr(a), arr(b), axes=([1, -1], [1, 0]))
    np.testing.assert_allclose(npv(r), np.tensordot(a, b, axes=([1, 2], [1, 0])))
    assert sx.tensordot(arr(a), arr(b), axes=0).shape == (2, 3, 4, 4, 3, 5)
    with pytest.raises(ValueError, match="^tensordot: "):
        sx.tensordot(arr(a), arr(b), axes=-1)
    assert sx.tensordot(arr(a), arr(b), axes=1).shape == (2, 3, 3, 5)


def test_tensordot_errors():
    a, b = sx.ones((2, 3)), sx.ones((3, 1))
    assert sx.tensordot(a, b, axes=1).shape == (2, 1)
    with pytest.raises(ValueError, match="^tensordot: contracted axes differ"):
        sx.tensordot(sx.ones((2, 1)), sx.ones((3, 2)), axes=1)  # no broadcasting
    with pytest.raises(IndexError, match="^tensordot: "):
        sx.tensordot(a, b, axes=([5], [0]))
    with pytest.raises(ValueError, match="^tensordot: repeated"):
        sx.tensordot(sx.ones((3, 3)), sx.ones((3, 3)), axes=([0, 0], [0, 1]))
    with pytest.raises(TypeError, match="^tensordot: "):
        sx.tensordot(a, b, axes="x")


def test_vecdot_conjugates_first_argument_and_checks_axis():
    x1 = arr([1j, 2j, 3j])
    x2 = arr([1, 2j, 3])
    assert complex(sx.vecdot(x1, x2)) == pytest.approx(4 - 10j)
    a = random_matrix((4, 3, 2), "float64")
    b = random_matrix((3, 2), "float64")
    np.testing.assert_allclose(npv(sx.vecdot(arr(a), arr(b), axis=-2)), np.sum(a * b, axis=-2))
    with pytest.raises(ValueError, match="^vecdot: "):
        sx.vecdot(sx.ones((3, 1)), sx.ones((3, 2)))  # the contracted axis is not broadcast
    with pytest.raises(IndexError, match="^vecdot: "):
        sx.vecdot(sx.ones((3, 2)), sx.ones((2,)), axis=-2)
    with pytest.raises(ValueError, match="^vecdot: axis must be negative"):
        sx.vecdot(sx.ones((3, 2)), sx.ones((2,)), axis=0)


@pytest.mark.parametrize("dtype", ["int64", "uint8", "float32", "float64", "complex128"])
def test_vecdot_same_shapes_every_dtype_and_views(dtype):
    # equal shapes and dtypes (the one-call path): 1-D, stacked, non-contiguous, empty
    a = (random_matrix((3, 4), "float64") * 10).astype(dtype)
    b = (random_matrix((3, 4), "float64") * 10).astype(dtype)
    want = np.sum(np.conj(a) * b, axis=-1).astype(dtype)  # (uint8 wraps as NumPy sums)
    np.testing.assert_allclose(npv(sx.vecdot(arr(a), arr(b))), want, rtol=1e-6)
    r = sx.vecdot(arr(a[0]), arr(b[0]))
    assert r.shape == () and r.dtype == arr(a).dtype
    np.testing.assert_allclose(float(np.real(npv(r))), np.real(want[0]), rtol=1e-6)
    ta, tb = sx.matrix_transpose(arr(a)), sx.matrix_transpose(arr(b))  # strided views
    want = np.sum(np.conj(a) * b, axis=0).astype(dtype)
    np.testing.assert_allclose(npv(sx.vecdot(ta, tb)), want, rtol=1e-6)
    assert sx.vecdot(arr(a[:, :0]), arr(b[:, :0])).shape == (3,)
    with pytest.raises(TypeError, match="^vecdot: "):
        sx.vecdot(sx.ones(3, dtype=sx.bool), sx.ones(3, dtype=sx.bool))
    with pytest.raises(TypeError, match="^vecdot: "):
        sx.vecdot(arr(a), b)  # not a storax array
    with pytest.raises(IndexError, match="^vecdot: "):
        sx.vecdot(arr(a[0]), arr(b[0]), axis=-2)


def test_matrix_transpose_is_a_view():
    x = sx.zeros((2, 3))
    t = sx.matrix_transpose(x)
    assert t.shape == (3, 2)
    assert t.storage() is x.storage()
    assert t.stride() == (1, 3)
    t[2, 1] = 7.0
    assert float(x[1, 2]) == 7.0
    s = sx.matrix_transpose(sx.reshape(sx.arange(24), (2, 3, 4)))
    assert (
        s.shape == (2, 4, 3)
        and npv(s).tolist() == np.arange(24).reshape(2, 3, 4).swapaxes(1, 2).tolist()
    )
    with pytest.raises(ValueError, match="^matrix_transpose: "):
        sx.matrix_transpose(sx.ones(3))
    with pytest.raises(TypeError, match="^matrix_transpose: "):
        sx.matrix_transpose(np.ones((2, 2)))


def other_backend_array():
    """A float64 array on the backend that is not the current one."""
    other = "numpy" if sx.get_backend() == "jax" else "jax"
    with sx.use_backend(other):
        return sx.ones((3, 3), dtype=sx.float64)


@pytest.mark.parametrize(
    "func",
    [sx.matmul, sx.tensordot, sx.vecdot, linalg.solve, linalg.cross, linalg.outer],
)
def test_two_array_functions_reject_mixed_devices(func):
    a = sx.ones((3, 3), dtype=sx.float64)
    b = other_backend_array()
    if func is linalg.outer:
        a, b = a[0], b[0]
    with pytest.raises(ValueError, match=f"^{func.__name__}: .*different devices"):
        func(a, b)
    with pytest.raises(ValueError, match=f"^{func.__name__}: .*different devices"):
        func(b, a)


def test_rtol_array_on_another_device():
    x = sx.ones((3, 3), dtype=sx.float64)
    with pytest.raises(ValueError, match="^matrix_rank: .*different devices"):
        linalg.matrix_rank(x, rtol=other_backend_array()[0, 0])


def test_results_stay_on_the_input_device():
    x = arr(random_matrix((3, 3), "float64"))
    dev = x.device
    for r in (
        sx.matmul(x, x),
        sx.tensordot(x, x),
        sx.vecdot(x, x),
        linalg.inv(x),
        linalg.svd(x).S,
        linalg.diagonal(x),
        linalg.trace(x),
        linalg.matrix_rank(x),
        linalg.vector_norm(x),
        fft.fft(x),
        fft.rfftn(x),
        fft.fftshift(x),
    ):
        assert r.device == dev
        assert type(r) is type(x)
    assert fft.fftfreq(4, device=dev).device == dev
    assert fft.rfftfreq(4, device=dev).device == dev


def test_matrix_power_one_is_a_copy():
    x = arr(random_matrix((3, 3), "float64"))
    p = linalg.matrix_power(x, 1)
    assert npv(p).tolist() == npv(x).tolist()
    p[0, 0] = 1000.0
    assert float(x[0, 0]) != 1000.0


# ----------------------------------------------------------------------------- linalg: dtypes


@pytest.mark.parametrize("dtype", FLOATS)
def test_decompositions_keep_precision(dtype):
    a = random_matrix((2, 3, 3), dtype)
    h = a + np.conj(np.swapaxes(a, -1, -2))
    x, hx = arr(a), arr(h)
    real, cplx = REAL_OF[dtype], COMPLEX_OF[dtype]
    assert linalg.det(x).dtype == dtype
    assert linalg.inv(x).dtype == dtype
    assert linalg.pinv(x).dtype == dtype
    assert linalg.matrix_power(x, 3).dtype == dtype
    assert linalg.matrix_power(x, -2).dtype == dtype
    w, q = linalg.eigh(hx)
    assert (w.dtype, q.dtype) == (real, dtype)
    assert linalg.eigvalsh(hx).dtype == real
    e = linalg.eig(x)
    assert (e.eigenvalues.dtype, e.eigenvectors.dtype) == (cplx, cplx)
    assert linalg.eigvals(x).dtype == cplx
    u, s, vh = linalg.svd(x)
    assert (u.dtype, s.dtype, vh.dtype) == (dtype, real, dtype)
    assert linalg.svdvals(x).dtype == real
    assert linalg.qr(x).Q.dtype == dtype
    sign, logabsdet = linalg.slogdet(x)
    assert (sign.dtype, logabsdet.dtype) == (dtype, real)
    assert linalg.matrix_norm(x, ord=2).dtype == real
    assert linalg.vector_norm(x, ord=3).dtype == real
    assert linalg.matrix_rank(x).dtype == sx.int64


def test_eig_of_real_spectrum_is_complex():
    # NumPy returns a real array here; the specification asks complex.
    e = linalg.eig(arr(np.diag([1.0, 2.0]).astype("float32")))
    assert e.eigenvalues.dtype == sx.complex64
    np.testing.assert_allclose(np.sort(npv(e.eigenvalues).real), [1, 2])


def test_named_tuples():
    x = arr(np.eye(3))
    assert linalg.eigh(x)._fields == ("eigenvalues", "eigenvectors")
    assert linalg.eig(x)._fields == ("eigenvalues", "eigenvectors")
    assert linalg.qr(x)._fields == ("Q", "R")
    assert linalg.slogdet(x)._fields == ("sign", "logabsdet")
    assert linalg.svd(x)._fields == ("U", "S", "Vh")
    assert isinstance(linalg.svd(x), linalg.SVDResult)


@pytest.mark.parametrize(
    "func",
    [
        linalg.cholesky, linalg.det, linalg.eigh, linalg.eigvalsh, linalg.eig, linalg.eigvals,
        linalg.inv, linalg.matrix_norm, linalg.matrix_rank, linalg.pinv, linalg.qr,
        linalg.slogdet, linalg.svd, linalg.svdvals, linalg.vector_norm,
    ],
)  # fmt: skip
def test_integer_input_is_a_type_error(func):
    name = func.__name__
    with pytest.raises(TypeError, match=f"^{name}: "):
        func(sx.ones((3, 3), dtype=sx.int64))
    with pytest.raises(TypeError, match=f"^{name}: "):
        func(np.ones((3, 3)))


@pytest.mark.parametrize(
    "func", [linalg.cholesky, linalg.det, linalg.eigh, linalg.inv, linalg.slogdet, linalg.eigvals]
)
def test_non_square_is_a_value_error(func):
    with pytest.raises(ValueError, match=f"^{func.__name__}: "):
        func(sx.ones((2, 3)))
    with pytest.raises(ValueError, match=f"^{func.__name__}: "):
        func(sx.ones((3,)))


# ----------------------------------------------------------------------------- linalg: values


def test_values_against_numpy():
    a = random_matrix((2, 4, 4), "float64")
    spd = a @ np.swapaxes(a, -1, -2) + 4 * np.eye(4)
    x, p = arr(a), arr(spd)
    np.testing.assert_allclose(npv(linalg.det(x)), np.linalg.det(a))
    np.testing.assert_allclose(npv(linalg.inv(x)), np.linalg.inv(a))
    lo = npv(linalg.cholesky(p))
    up = npv(linalg.cholesky(p, upper=True))
    np.testing.assert_allclose(lo @ np.swapaxes(lo, -1, -2), spd)
    np.testing.assert_allclose(np.swapaxes(up, -1, -2) @ up, spd)
    assert np.array_equal(up, np.triu(up))
    q, r = linalg.qr(x)
    np.testing.assert_allclose(npv(q) @ npv(r), a, atol=1e-12)
    u, s, vh = linalg.svd(x, full_matrices=False)
    np.testing.assert_allclose((npv(u) * npv(s)[..., None, :]) @ npv(vh), a, atol=1e-12)
    sign, logabs = linalg.slogdet(x)
    np.testing.assert_allclose(npv(sign) * np.exp(npv(logabs)), np.linalg.det(a))
    np.testing.assert_allclose(npv(linalg.matrix_power(x, 3)), a @ a @ a)
    np.testing.assert_allclose(npv(linalg.matrix_power(x, 0)), np.broadcast_to(np.eye(4), a.shape))


def test_solve_vector_rule():
    a = random_matrix((2, 3, 3), "float64")
    b = random_matrix((3,), "float64")
    r = linalg.solve(arr(a), arr(b))  # x2 1-D: one vector for every matrix
    assert r.shape == (2, 3)
    np.testing.assert_allclose(np.einsum("...ij,...j->...i", a, npv(r)), np.broadcast_to(b, (2, 3)))
    b2 = random_matrix((2, 3, 1), "float64")  # 3-D: a stack of (3, 1) matrices
    assert linalg.solve(arr(a), arr(b2)).shape == (2, 3, 1)
    b3 = random_matrix((3, 3), "float64")  # 2-D is a matrix, never a stack of vectors
    np.testing.assert_allclose(npv(linalg.solve(arr(a), arr(b3))), np.linalg.solve(a, b3))
    with pytest.raises(ValueError, match="^solve: "):
        linalg.solve(arr(a), sx.ones((4,), dtype=sx.float64))
    with pytest.raises(ValueError, match="^solve: "):
        linalg.solve(arr(a), sx.ones((3, 3, 1), dtype=sx.float64))
    assert linalg.solve(sx.ones((1, 1), dtype=sx.float32), sx.ones(1)).dtype == sx.float32


def test_singular_and_indefinite_matrices_raise_on_every_backend():
    # The specification leaves failures implementation-defined; storax decides once (see
    # docs/backends.md): eager calls raise LinAlgError naming the function on every backend.
    singular, indefinite = sx.zeros((2, 2)), arr([[1.0, 2.0], [2.0, 1.0]])
    with pytest.raises(linalg.LinAlgError, match="^inv: Singular matrix"):
        linalg.inv(singular)
    with pytest.raises(linalg.LinAlgError, match="^cholesky: Matrix is not positive definite"):
        linalg.cholesky(indefinite)
    with pytest.raises(linalg.LinAlgError, match="^solve: "):
        linalg.solve(singular, sx.ones(2))
    with pytest.raises(linalg.LinAlgError, match="^matrix_power: "):
        linalg.matrix_power(singular, -1)
    assert issubclass(linalg.LinAlgError, ValueError)
    assert float(linalg.det(singular)) == 0.0


@pytest.mark.parametrize(
    "func", ["inv", "cholesky", "eigh", "svd", "qr", "pinv", "eigvals", "eig", "matrix_rank"]
)
def test_non_finite_input_raises_on_every_backend(func):
    a = arr([[2.0, math.nan], [1.0, 3.0]])
    with pytest.raises(linalg.LinAlgError, match=f"^{func}: the input holds NaN or infinity"):
        getattr(linalg, func)(a)
    with pytest.raises(linalg.LinAlgError, match="^solve: the input holds NaN"):
        linalg.solve(arr([[1.0, 0.0], [0.0, 1.0]]), arr([math.inf, 1.0]))
    # det and slogdet do not raise: NaN propagates.
    assert math.isnan(float(linalg.det(a)))


def test_infinite_input_raises_where_the_result_is_finite():
    # inv([[inf, 0], [0, 1]]) is finite in LAPACK ([[0, 0], [0, 1]]): the input itself is
    # checked, not only the result. Complex and float32 inputs, and a stack, are checked too.
    with pytest.raises(linalg.LinAlgError, match="^inv: the input holds NaN or infinity"):
        linalg.inv(arr([[math.inf, 0.0], [0.0, 1.0]]))
    with pytest.raises(linalg.LinAlgError, match="^solve: the input holds NaN or infinity"):
        linalg.solve(arr([[math.inf, 0.0], [0.0, 1.0]]), arr([1.0, 1.0]))
    c = sx.asarray(np.array([[1.0, complex(0.0, math.inf)], [0.0, 1.0]]))
    with pytest.raises(linalg.LinAlgError, match="^inv: the input holds NaN or infinity"):
        linalg.inv(c)
    stack = np.stack([np.eye(2), np.eye(2)]).astype(np.float32)
    stack[1, 1, 0] = np.nan
    with pytest.raises(linalg.LinAlgError, match="^cholesky: the input holds NaN"):
        linalg.cholesky(sx.asarray(stack))
    # a finite, non-contiguous view (the transpose of a row-major stack) goes through
    v = sx.permute_dims(arr(np.stack([2 * np.eye(3), 4 * np.eye(3)])), (0, 2, 1))
    np.testing.assert_allclose(npv(linalg.inv(v))[1], np.eye(3) / 4)


def test_solve_same_and_mixed_dtypes_and_stacks():
    a = random_matrix((2, 3, 3), "float32")
    b = random_matrix((1, 3, 2), "float64")
    r = linalg.solve(arr(a), arr(b))  # promoted to float64, stacks broadcast
    assert r.dtype == sx.float64 and r.shape == (2, 3, 2)
    np.testing.assert_allclose(npv(r), np.linalg.solve(a.astype(np.float64), b), rtol=1e-5)
    r32 = linalg.solve(arr(a), arr(b.astype(np.float32)))
    assert r32.dtype == sx.float32
    with pytest.raises(ValueError, match="^solve: the stack shapes"):
        linalg.solve(arr(a), arr(random_matrix((3, 3, 2), "float32")))


def test_singular_matrix_under_jit_gives_nan():
    # Traced values cannot be inspected: under jax.jit the result holds NaN or infinity.
    jax = pytest.importorskip("jax")
    with sx.use_backend("jax"):
        singular = sx.zeros((2, 2))
        out = jax.jit(linalg.inv)(singular)
        assert not bool(sx.all(sx.isfinite(out)))
        chol = jax.jit(linalg.cholesky)(arr([[1.0, 2.0], [2.0, 1.0]]))
        assert bool(sx.any(sx.isnan(chol)))


def test_concrete_matrix_inside_jit_is_computed_unchecked():
    # A storax array made outside jax.jit and read inside it: the checked kernel's flag is
    # traced there, so nothing is checked (it once tried to read the flag and failed).
    jax = pytest.importorskip("jax")
    with sx.use_backend("jax"):
        spd = arr(np.eye(3) * 4.0)
        singular = sx.zeros((2, 2))
        got = jax.jit(lambda t: linalg.cholesky(spd)._value + t)(1.0)
        np.testing.assert_allclose(np.asarray(got), np.eye(3) * 2.0 + 1.0)
        bad = jax.jit(lambda t: linalg.inv(singular)._value + t)(0.0)
        assert not np.all(np.isfinite(np.asarray(bad)))
        w = jax.jit(lambda t: linalg.eigvalsh(spd)._value * t)(2.0)
        np.testing.assert_allclose(np.asarray(w), [8.0, 8.0, 8.0])
        # and eagerly, right after: the checks again
        with pytest.raises(linalg.LinAlgError, match="^inv: Singular matrix"):
            linalg.inv(singular)
        with pytest.raises(linalg.LinAlgError, match="^cholesky: the input holds NaN"):
            linalg.cholesky(arr([[math.nan, 0.0], [0.0, 1.0]]))


def test_matrix_rank_and_pinv_rtol():
    a = np.diag([1.0, 1e-3, 0.0])
    assert int(linalg.matrix_rank(arr(a))) == 2
    assert int(linalg.matrix_rank(arr(a), rtol=1e-2)) == 1
    stack = arr(np.stack([a, a]))
    r = linalg.matrix_rank(stack, rtol=arr([1e-2, 1e-6]))
    assert npv(r).tolist() == [1, 2]
    np.testing.assert_allclose(npv(linalg.pinv(arr(a), rtol=1e-2)), np.diag([1.0, 0, 0]))
    assert linalg.matrix_rank(sx.zeros((2, 0, 3))).shape == (2,)
    with pytest.raises(TypeError, match="^matrix_rank: "):
        linalg.matrix_rank(arr(a), rtol="big")
    with pytest.raises(TypeError, match="^pinv: "):
        linalg.pinv(arr(a), rtol=sx.ones(1, dtype=sx.int64))
    with pytest.raises(ValueError, match="^pinv: "):
        linalg.pinv(stack, rtol=sx.ones(3))


@pytest.mark.parametrize("ord", [2, 1, 0, -1, -2, math.inf, -math.inf, 3, 0.5])
def test_vector_norm(ord):
    a = random_matrix((3, 4, 5), "float64")
    a[0, 0, 0] = 0.0
    for axis in (None, 1, (0, 2), (-1,)):
        for keepdims in (False, True):
            got = linalg.vector_norm(arr(a), axis=axis, keepdims=keepdims, ord=ord)
            with np.errstate(all="ignore"):
                want = np.linalg.vector_norm(a, axis=axis, keepdims=keepdims, ord=ord)
            np.testing.assert_allclose(npv(got), want)


def test_vector_norm_errors():
    with pytest.raises(IndexError, match="^vector_norm: "):
        linalg.vector_norm(sx.ones((2, 2)), axis=2)
    with pytest.raises(ValueError, match="^vector_norm: repeated"):
        linalg.vector_norm(sx.ones((2, 2)), axis=(0, -2))
    with pytest.raises(TypeError, match="^vector_norm: "):
        linalg.vector_norm(sx.ones((2, 2)), ord="fro")


@pytest.mark.parametrize("ord", ["fro", "nuc", 1, -1, 2, -2, math.inf, -math.inf])
def test_matrix_norm(ord):
    a = random_matrix((2, 3, 4), "complex64")
    got = linalg.matrix_norm(arr(a), ord=ord, keepdims=True)
    assert got.shape == (2, 1, 1) and got.dtype == sx.float32
    np.testing.assert_allclose(
        npv(got), np.linalg.matrix_norm(a, ord=ord, keepdims=True), rtol=1e-5
    )


def test_matrix_norm_bad_ord():
    for bad in (3, "max", True, None):
        with pytest.raises(ValueError, match="^matrix_norm: "):
            linalg.matrix_norm(sx.ones((2, 2)), ord=bad)


def test_cross_outer_trace():
    a = random_matrix((4, 3), "float64")
    b = random_matrix((3,), "float64")
    np.testing.assert_allclose(npv(linalg.cross(arr(a), arr(b))), np.cross(a, b))
    a2 = random_matrix((3, 2), "float64")
    np.testing.assert_allclose(
        npv(linalg.cross(arr(a2), arr(a2[::-1].copy()), axis=-2)),
        np.cross(a2, a2[::-1], axis=0),
    )
    with pytest.raises(ValueError, match="^cross: "):
        linalg.cross(sx.ones((2,)), sx.ones((2,)))
    with pytest.raises(TypeError, match="^cross: "):
        linalg.cross(sx.ones(3, dtype=sx.bool), sx.ones(3, dtype=sx.bool))
    o = linalg.outer(arr([1, 2], "int8"), arr([3, 4, 5], "int16"))
    assert o.dtype == sx.int16 and npv(o).tolist() == [[3, 4, 5], [6, 8, 10]]
    with pytest.raises(ValueError, match="^outer: "):
        linalg.outer(sx.ones((2, 2)), sx.ones(2))
    m = arr(np.arange(12, dtype="int8").reshape(3, 4))
    t = linalg.trace(m, offset=1)
    assert t.dtype == sx.int64 and int(t) == 1 + 6 + 11
    assert linalg.trace(arr(np.ones((2, 2), "uint8"))).dtype == sx.uint64
    assert linalg.trace(m, dtype=sx.float32).dtype == sx.float32
    assert int(linalg.trace(m, offset=100)) == 0


# ----------------------------------------------------------------------------- diagonal view


def test_diagonal_is_a_writeable_view():
    x = arr(np.arange(12.0).reshape(3, 4))
    d = linalg.diagonal(x, offset=1)
    assert npv(d).tolist() == [1.0, 6.0, 11.0]
    assert d.storage() is x.storage()
    assert d.stride() == (5,) and d.storage_offset() == 1
    d[0] = 100.0
    assert float(x[0, 1]) == 100.0
    below = linalg.diagonal(x, offset=-1)
    assert npv(below).tolist() == [4.0, 9.0]
    assert linalg.diagonal(x, offset=7).shape == (0,)


def test_diagonal_of_broadcast_is_read_only():
    b = sx.broadcast_to(sx.ones((1, 3)), (3, 3))
    d = linalg.diagonal(b)
    # Views of a read-only (broadcast) array are read-only, on both backends.
    with pytest.raises(ValueError):
        d[0] = 5.0
    # A diagonal that repeats one element is read-only on both backends.
    z = linalg.diagonal(sx.broadcast_to(sx.ones(()), (3, 3)))
    with pytest.raises(ValueError):
        z[...] = 5.0


def test_diagonal_of_stack_and_strided_views():
    a = np.arange(2 * 4 * 5, dtype=np.float64).reshape(2, 4, 5)
    x = arr(a)
    for k in (-5, -3, -1, 0, 2, 4, 5):
        np.testing.assert_array_equal(npv(linalg.diagonal(x, offset=k)), np.diagonal(a, k, 1, 2))
    # a transposed (non-contiguous) and reversed view
    t = sx.matrix_transpose(x)[:, ::-1, :]
    want = np.swapaxes(a, 1, 2)[:, ::-1, :]
    for k in (-2, 0, 1):
        d = linalg.diagonal(t, offset=k)
        np.testing.assert_array_equal(npv(d), np.diagonal(want, k, 1, 2))
        assert d.storage() is x.storage()
    d = linalg.diagonal(t, offset=1)
    d[...] = -1.0
    expected = a.copy()
    view = np.swapaxes(expected, 1, 2)[:, ::-1, :]
    for i in range(min(view.shape[1], view.shape[2] - 1)):
        view[:, i, i + 1] = -1.0
    np.testing.assert_array_equal(npv(x), expected)


def test_diagonal_errors():
    with pytest.raises(ValueError, match="^diagonal: "):
        linalg.diagonal(sx.ones(3))
    with pytest.raises(TypeError, match="^diagonal: "):
        linalg.diagonal(sx.ones((3, 3)), offset=1.0)


@settings(max_examples=50, deadline=None)
@given(
    a=hnp.arrays(np.float64, hnp.array_shapes(min_dims=2, max_dims=4, max_side=5)),
    offset=st.integers(-6, 6),
)
def test_diagonal_matches_numpy(a, offset):
    got = linalg.diagonal(arr(a), offset=offset)
    np.testing.assert_array_equal(npv(got), np.diagonal(a, offset, -2, -1))


# ----------------------------------------------------------------------------- fft


@pytest.mark.parametrize("dtype", [sx.float32, sx.float64, sx.complex64, sx.complex128])
def test_fft_dtypes(dtype):
    a = random_matrix((4, 6), dtype)
    x = arr(a)
    c = COMPLEX_OF[dtype]
    # Note: real input to fft is accepted (promoted), as in NumPy.
    assert fft.fft(x).dtype == c
    assert fft.ifftn(x, axes=[0]).dtype == c
    np.testing.assert_allclose(npv(fft.fft(x)), np.fft.fft(a), rtol=1e-4, atol=1e-4)
    assert fft.irfft(x).dtype == REAL_OF[dtype]
    assert fft.hfft(x, n=7).shape == (4, 7)
    if dtype in (sx.float32, sx.float64):
        assert fft.rfft(x).dtype == c and fft.rfft(x).shape == (4, 4)
        assert fft.rfftn(x).dtype == c
        assert fft.ihfft(x).dtype == c
    else:
        with pytest.raises(TypeError, match="^rfft: "):
            fft.rfft(x)
        with pytest.raises(TypeError, match="^ihfft: "):
            fft.ihfft(x)


def test_fft_round_trips():
    a = random_matrix((3, 8), "complex128")
    r = random_matrix((3, 8), "float64")
    for norm in ("backward", "ortho", "forward"):
        np.testing.assert_allclose(npv(fft.ifft(fft.fft(arr(a), norm=norm), norm=norm)), a)
        back = fft.ifftn(fft.fftn(arr(a), axes=[0, 1], norm=norm), axes=[0, 1], norm=norm)
        np.testing.assert_allclose(npv(back), a)
        np.testing.assert_allclose(npv(fft.irfft(fft.rfft(arr(r), norm=norm), n=8, norm=norm)), r)
        rr = fft.irfftn(fft.rfftn(arr(r), norm=norm), s=[3, 8], axes=[0, 1], norm=norm)
        np.testing.assert_allclose(npv(rr), r)


def test_fftn_s_and_axes():
    a = random_matrix((4, 5, 6), "complex64")
    out = fft.fftn(arr(a), s=[3, -1], axes=[0, 2])
    assert out.shape == (3, 5, 6)
    assert fft.irfftn(arr(a), s=[-1], axes=[1]).shape == (4, 8, 6)
    with pytest.raises(ValueError, match="^fftn: axes must be given"):
        fft.fftn(arr(a), s=[3, 3, 3])
    with pytest.raises(ValueError, match="^fftn: "):
        fft.fftn(arr(a), s=[3], axes=[0, 1])
    with pytest.raises(IndexError, match="^fftn: "):
        fft.fftn(arr(a), axes=[3])


@pytest.mark.parametrize("name", ["fftn", "ifftn", "rfftn", "irfftn"])
def test_repeated_axes_agree_with_numpy(name):
    a = random_matrix((4, 6, 3), "float64" if name == "rfftn" else "complex128")
    f = getattr(fft, name)
    for axes, s in (([0, 0], None), ([1, 0, 1], None), ([2, 1, 2], [5, 4, 3])):
        got = f(arr(a), axes=axes, s=s)
        want = getattr(np.fft, name)(a, axes=axes, s=s)
        assert got.shape == want.shape
        np.testing.assert_allclose(npv(got), want, rtol=1e-10, atol=1e-10)


def test_fft_of_zero_points_is_a_value_error():
    with pytest.raises(ValueError, match="^fft: "):
        fft.fft(sx.ones((2, 0), dtype=sx.complex64))
    with pytest.raises(ValueError, match="^hfft: "):
        fft.hfft(sx.ones(1, dtype=sx.complex64))
    with pytest.raises(ValueError, match="^irfftn: "):
        fft.irfftn(sx.ones((3, 1), dtype=sx.complex64))
    with pytest.raises(ValueError, match="^fftn: "):
        fft.fftn(sx.ones((3, 0), dtype=sx.complex64), axes=[1])
    assert fft.fftn(sx.ones((3, 0), dtype=sx.complex64), axes=[0]).shape == (3, 0)


def test_fft_errors():
    x = sx.ones(4, dtype=sx.complex64)
    with pytest.raises(ValueError, match="^fft: "):
        fft.fft(x, n=0)
    with pytest.raises(ValueError, match="^fft: norm"):
        fft.fft(x, norm="none")
    with pytest.raises(IndexError, match="^ifft: "):
        fft.ifft(x, axis=1)
    with pytest.raises(TypeError, match="^fft: "):
        fft.fft(sx.ones(4, dtype=sx.int32))
    with pytest.raises(TypeError, match="^fft: "):
        fft.fft(np.ones(4))
    with pytest.raises(ValueError, match="^irfft: "):
        fft.irfft(sx.ones(1, dtype=sx.complex64))  # n = 2 * (1 - 1) = 0 points


@pytest.mark.parametrize(
    ("raised", "kind", "match"),
    [
        (ValueError("bad size"), ValueError, "^{f}: bad size$"),
        (MemoryError("no room"), MemoryError, "^{f}: out of memory: no room$"),
        (KeyError("other"), KeyError, "other"),
    ],
)
@pytest.mark.parametrize("func", ["rfft", "fftn"])
def test_fft_backend_errors_name_the_function(monkeypatch, raised, kind, match, func):
    """An error the backend's transform raises: a ValueError names the function, an
    allocation failure becomes storax's MemoryError, anything else passes unchanged."""
    x = sx.ones((2, 4))
    fft.rfft(x), fft.fftn(x)  # the kernels are made
    name = x._backend.name

    def failing(*args, **kwargs):
        raise raised

    table = fft._ONE_D if func == "rfft" else fft._N_D
    monkeypatch.setitem(table, name, failing)
    with pytest.raises(kind, match=match.format(f=func)):
        getattr(fft, func)(x)


def test_fft_results_are_new_arrays_of_the_input_family():
    x = sx.asarray([1.0, 2.0, 3.0, 4.0], dtype=sx.float64)
    v = x[::2]  # a strided view
    for r, want in ((fft.rfft(v), np.fft.rfft([1.0, 3.0])), (fft.fftn(v), np.fft.fft([1.0, 3.0]))):
        assert type(r) is type(x) and r.dtype == sx.complex128
        np.testing.assert_allclose(np.asarray(r), want)
    r = fft.irfft(fft.rfft(x), n=4)
    assert type(r) is type(x) and r.dtype == sx.float64
    np.testing.assert_allclose(np.asarray(r), [1.0, 2.0, 3.0, 4.0])


@pytest.mark.parametrize("n", [1, 2, 7, 8])
def test_fftfreq(n):
    f = fft.fftfreq(n, d=0.5)
    assert f.dtype == sx.get_default_dtype()
    np.testing.assert_allclose(npv(f), np.fft.fftfreq(n, 0.5), rtol=1e-6)
    g = fft.rfftfreq(n, d=2, dtype=sx.float64)
    assert g.dtype == sx.float64
    np.testing.assert_allclose(npv(g), np.fft.rfftfreq(n, 2))
    with pytest.raises(TypeError, match="^fftfreq: "):
        fft.fftfreq(n, dtype=sx.complex64)
    with pytest.raises(TypeError, match="^rfftfreq: "):
        fft.rfftfreq(n, dtype=sx.int64)


def test_fftfreq_errors():
    with pytest.raises(ValueError, match="^fftfreq: "):
        fft.fftfreq(0)
    with pytest.raises(TypeError, match="^fftfreq: "):
        fft.fftfreq(4.0)
    with pytest.raises(ValueError, match="^rfftfreq: "):
        fft.rfftfreq(4, d=0)
    assert fft.fftfreq(3, device=sx.ones(1).device).shape == (3,)


def test_shifts():
    a = np.arange(15.0).reshape(3, 5)
    for axes in (None, 0, [1], (0, 1), [-1]):
        np.testing.assert_array_equal(
            npv(fft.fftshift(arr(a), axes=axes)), np.fft.fftshift(a, axes)
        )
        np.testing.assert_array_equal(
            npv(fft.ifftshift(arr(a), axes=axes)), np.fft.ifftshift(a, axes)
        )
    x = arr(a)
    np.testing.assert_array_equal(npv(fft.ifftshift(fft.fftshift(x))), a)
    with pytest.raises(IndexError, match="^fftshift: "):
        fft.fftshift(x, axes=2)
    with pytest.raises(TypeError, match="^ifftshift: "):
        fft.ifftshift(x, axes=1.0)


def test_compiled_routines_agree_with_numpy_eagerly_and_under_jit():
    # On JAX every routine is one compiled kernel (checks fused): results, dtypes and
    # static parameters (matrix_power's n, norms' ord/axis/keepdims, trace's offset and
    # dtype, cross's axis) are those of the eager computation, also inside jax.jit.
    a = random_matrix((3, 3), "float64") + 3 * np.eye(3)
    x = arr(a)
    for n in (-2, 0, 1, 3):
        got = linalg.matrix_power(x, n)
        np.testing.assert_allclose(npv(got), np.linalg.matrix_power(a, n), rtol=1e-10)
        assert got.dtype == sx.float64
    assert linalg.matrix_power(x, 1)._value is not x._value  # a new array, not the input
    with pytest.raises(linalg.LinAlgError, match="^matrix_power: the input holds NaN"):
        linalg.matrix_power(arr([[math.nan, 0.0], [0.0, 1.0]]), -1)
    assert npv(linalg.matrix_power(arr([[math.nan, 0.0], [0.0, 1.0]]), 2)).shape == (2, 2)
    for ord in ("fro", "nuc", 1, -1, 2, -2, math.inf, -math.inf):
        np.testing.assert_allclose(
            npv(linalg.matrix_norm(x, ord=ord, keepdims=True)),
            np.linalg.norm(a, ord=ord, keepdims=True),
            rtol=1e-10,
        )
    for ord in (0, 1, 2, 3.5, math.inf, -math.inf):
        np.testing.assert_allclose(
            npv(linalg.vector_norm(x, axis=(0,), ord=ord)),
            np.linalg.norm(a, axis=0, ord=ord),
            rtol=1e-10,
        )
    for offset in (-1, 0, 2, 5):
        np.testing.assert_allclose(npv(linalg.trace(x, offset=offset)), np.trace(a, offset))
    ints = sx.asarray(np.arange(9, dtype=np.int8).reshape(3, 3))
    assert linalg.trace(ints).dtype == sx.int64 and int(linalg.trace(ints)) == 12
    assert linalg.trace(ints, dtype=sx.float32).dtype == sx.float32
    v = random_matrix((4, 3), "float64")
    np.testing.assert_allclose(npv(linalg.cross(arr(v), arr(v[::-1]))), np.cross(v, v[::-1]))
    np.testing.assert_allclose(
        npv(linalg.cross(arr(v.T), arr(v.T[:, ::-1]), axis=0)), np.cross(v.T, v.T[:, ::-1], axis=0)
    )
    singular = np.diag([1.0, 1e-3, 0.0])
    assert int(linalg.matrix_rank(arr(singular))) == 2
    assert int(linalg.matrix_rank(arr(singular), rtol=1e-2)) == 1
    assert linalg.matrix_rank(sx.zeros((2, 0, 3))).tolist() == [0, 0]
    np.testing.assert_allclose(npv(linalg.pinv(arr(singular))), np.linalg.pinv(singular))
    w = linalg.eigvals(x)
    assert w.dtype == sx.complex128
    np.testing.assert_allclose(np.sort(npv(w).real), np.sort(np.linalg.eigvals(a).real))
    jax = pytest.importorskip("jax")
    with sx.use_backend("jax"):
        xj = arr(a)
        got = jax.jit(lambda m: linalg.matrix_rank(m) + linalg.trace(linalg.matrix_power(m, 2)))(xj)
        np.testing.assert_allclose(float(got), 3 + np.trace(a @ a))
        nan = jax.jit(linalg.matrix_rank)(arr([[math.nan, 0.0], [0.0, 1.0]]))
        assert nan.shape == ()  # under jax.jit nothing is raised


@pytest.mark.parametrize("dtype", ["float32", "float64", "complex64"])
def test_n_d_transforms_are_one_kernel_with_the_casts(dtype):
    # fftn/ifftn/rfftn/irfftn: the cast of real input to complex, the transform and the
    # cast to the specification's precision in one kernel (also for repeated axes).
    v = rng.standard_normal((4, 6)).astype(dtype)
    x = arr(v)
    complex_dt = sx.complex64 if dtype in ("float32", "complex64") else sx.complex128
    got = fft.fftn(x)
    assert got.dtype == complex_dt
    np.testing.assert_allclose(npv(got), np.fft.fftn(v), rtol=1e-4, atol=1e-4)
    got = fft.ifftn(x, s=(3, 8), axes=(0, 1), norm="ortho")
    np.testing.assert_allclose(
        npv(got), np.fft.ifftn(v, s=(3, 8), axes=(0, 1), norm="ortho"), rtol=1e-4, atol=1e-4
    )
    got = fft.fftn(x, axes=(1, 1))  # repeated axes: one-dimensional transforms in turn
    np.testing.assert_allclose(npv(got), np.fft.fftn(v, axes=(1, 1)), rtol=1e-4, atol=1e-3)
    if dtype != "complex64":
        r = fft.rfftn(x)
        assert r.dtype == complex_dt
        np.testing.assert_allclose(npv(r), np.fft.rfftn(v), rtol=1e-4, atol=1e-4)
        back = fft.irfftn(r, s=(4, 6), axes=(0, 1))
        assert back.dtype == x.dtype
        np.testing.assert_allclose(npv(back), v, rtol=1e-4, atol=1e-4)
    got = fft.fftn(x[:, ::2])  # a non-contiguous view
    np.testing.assert_allclose(npv(got), np.fft.fftn(v[:, ::2]), rtol=1e-4, atol=1e-4)


@pytest.mark.parametrize("name", ["fftn", "ifftn"])
def test_complex_transforms_of_real_input(name):
    """Real input of fftn/ifftn: the transform of its complex cast, of its precision, with
    s, axes (repeated ones too) and non-contiguous views; float64 input is read without a
    held complex copy where the backend can (NumPy: peak memory as NumPy's own)."""
    f, g = getattr(fft, name), getattr(np.fft, name)
    a = random_matrix((6, 10), "float64")
    for dt, ctype, tol in (("float64", np.complex128, 1e-12), ("float32", np.complex64, 1e-5)):
        b = a.astype(dt)
        xb = arr(b)
        cases = ((xb, b, None, None), (xb[:, ::2], b[:, ::2], [4, 3], [1, 0]))
        for x, view, s, axes in (*cases, (xb.T, b.T, None, [0, 0]), (xb.T, b.T, None, [1])):
            got = f(x, s=s, axes=axes)
            want = g(view.astype(ctype), s=s, axes=axes)
            assert npv(got).dtype == ctype
            np.testing.assert_allclose(npv(got), want, rtol=tol, atol=tol)
    x = arr(np.random.default_rng(3).standard_normal((300, 400)))
    if not x._backend.caps.fft_takes_float64:
        return
    np.testing.assert_array_equal(npv(f(x)), g(npv(x).astype(np.complex128)))
    f(x)
    tracemalloc.start()
    tracemalloc.reset_peak()
    base = tracemalloc.get_traced_memory()[0]
    out = f(x)
    peak = tracemalloc.get_traced_memory()[1] - base
    tracemalloc.stop()
    assert peak <= 2 * out.size * 16 + 65536  # the result and one complex working copy
