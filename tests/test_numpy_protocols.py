"""NumPy's protocols on storax arrays (NEP 13 ``__array_ufunc__``, NEP 18
``__array_function__``): every ufunc and ufunc method, the NumPy functions storax
implements and the host fallback, ``out=``, NumPy-style methods, and the lenient
behaviours of docs/ecosystem.md. Runs on the backend chosen by ``STORAX_BACKEND``."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import storax as sx

DEVICE = sx.asarray(0.0).device


def _walk(result, expected, *, rtol=1e-6, dtype=True):
    """Assert ``result`` has ``expected``'s structure, every array a storax Array on the
    default device with NumPy's dtype and values."""
    if isinstance(expected, (tuple, list)):
        assert isinstance(result, (tuple, list)) and len(result) == len(expected)
        for r, e in zip(result, expected, strict=True):
            _walk(r, e, rtol=rtol, dtype=dtype)
        return
    if isinstance(expected, (np.ndarray, np.generic)):
        assert isinstance(result, sx.Array), type(result)
        assert result.device == DEVICE
        got = np.asarray(result)
        if dtype:
            assert got.dtype == np.asarray(expected).dtype, (got.dtype, expected.dtype)
        assert got.shape == np.shape(expected)
        np.testing.assert_allclose(got, expected, rtol=rtol, atol=1e-12, equal_nan=True)
        return
    assert result == expected


A = np.array([[0.5, -1.25, 2.0], [3.0, 0.25, -0.75]])
B = np.array([[1.5, 2.0, -0.5], [0.75, -3.0, 1.0]])
IA = np.array([[3, 1, 4], [1, 5, 9]])
IB = np.array([[2, 7, 1], [8, 2, 8]])
BA = np.array([[True, False, True], [False, False, True]])

UFUNCS = sorted(
    (name for name in dir(np) if isinstance(getattr(np, name), np.ufunc) and name != "isnat"),
)


def _operands(ufunc):
    """Inputs of a dtype the ufunc has a loop for: float64, else int64, else bool."""
    if ufunc.__name__ == "ldexp":
        return A, IA
    for code, pair in (("d", (A, B)), ("l", (IA, IB)), ("?", (BA, BA[::-1]))):
        if any(t.startswith(code * ufunc.nin) for t in ufunc.types):
            return pair[: ufunc.nin]
    raise AssertionError(f"no operands for {ufunc}")


@pytest.mark.parametrize("name", UFUNCS)
def test_every_ufunc_call(name):
    ufunc = getattr(np, name)
    ops = _operands(ufunc)
    if ufunc.signature is not None:  # matmul, vecdot, matvec, vecmat
        ops = (ops[0], ops[1].T) if name == "matmul" else ops
        if name in ("matvec",):
            ops = (ops[0].T @ ops[0], ops[1][0])
        if name in ("vecmat",):
            ops = (ops[0][0], ops[1].T @ ops[1])
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected = ufunc(*ops)
        result = ufunc(*[sx.asarray(o) for o in ops])
    _walk(result, expected)


@pytest.mark.parametrize(
    ("name", "kwargs"),
    [("sin", {}), ("sqrt", {}), ("add", {}), ("multiply", {}), ("maximum", {}),
     ("divide", {}), ("add", {"dtype": "float32"}), ("greater", {})],
)  # fmt: skip
def test_ufuncs_storax_has_compute_on_the_device(name, kwargs, monkeypatch):
    """A ufunc storax has a function for runs it on the array's backend, never through
    the host (on JAX a host round trip per call: dask's chunk functions call ufuncs)."""
    from storax import _numpy_protocols

    def no_host(*args, **kw):
        raise AssertionError(f"np.{name} went through the host")

    monkeypatch.setattr(_numpy_protocols, "_ufunc_host", no_host)
    ufunc = getattr(np, name)
    ops = (np.abs(A), B)[: ufunc.nin]
    expected = ufunc(*ops, **kwargs)
    _walk(ufunc(*[sx.asarray(o) for o in ops], **kwargs), expected)
    if ufunc.nin == 2:  # a NumPy operand joins the storax one
        _walk(ufunc(sx.asarray(ops[0]), ops[1], **kwargs), expected)


@pytest.mark.parametrize("name", ["add", "multiply", "maximum", "minimum", "subtract"])
@pytest.mark.parametrize("axis", [0, 1, None, (0, 1)])
def test_ufunc_reduce(name, axis):
    ufunc = getattr(np, name)
    if name == "subtract" and not isinstance(axis, int):
        with pytest.raises(ValueError, match="reorderable"):  # NumPy's own error
            ufunc.reduce(sx.asarray(A), axis=axis)
        return
    _walk(ufunc.reduce(sx.asarray(A), axis=axis), ufunc.reduce(A, axis=axis))
    _walk(ufunc.reduce(sx.asarray(IA), axis=axis), ufunc.reduce(IA, axis=axis))


def test_ufunc_reduce_keywords():
    x = sx.asarray(A)
    _walk(np.add.reduce(x, axis=1, keepdims=True), np.add.reduce(A, axis=1, keepdims=True))
    _walk(np.add.reduce(x, dtype=np.float32), np.add.reduce(A, dtype=np.float32))
    _walk(np.add.reduce(x, axis=0, initial=10.0), np.add.reduce(A, axis=0, initial=10.0))
    _walk(np.logical_and.reduce(sx.asarray(BA)), np.logical_and.reduce(BA))
    _walk(np.logical_or.reduce(sx.asarray(BA), axis=1), np.logical_or.reduce(BA, axis=1))
    _walk(np.bitwise_or.reduce(sx.asarray(IA)), np.bitwise_or.reduce(IA))


@pytest.mark.parametrize("name", ["add", "multiply", "maximum", "subtract"])
def test_ufunc_accumulate(name):
    ufunc = getattr(np, name)
    for axis in (0, 1):
        _walk(ufunc.accumulate(sx.asarray(A), axis=axis), ufunc.accumulate(A, axis=axis))
    _walk(ufunc.accumulate(sx.asarray(IA[0])), ufunc.accumulate(IA[0]))


@pytest.mark.parametrize("name", ["add", "multiply", "subtract", "greater", "hypot"])
def test_ufunc_outer(name):
    ufunc = getattr(np, name)
    _walk(ufunc.outer(sx.asarray(A[0]), sx.asarray(B)), ufunc.outer(A[0], B))


def test_ufunc_at_writes_through_views():
    x = sx.asarray(A.copy())
    view = x[0]
    np.add.at(x, (np.array([0, 0, 1]), np.array([1, 1, 2])), 1.0)
    expected = A.copy()
    np.add.at(expected, (np.array([0, 0, 1]), np.array([1, 1, 2])), 1.0)
    _walk(x, expected)
    _walk(view, expected[0])
    y = sx.asarray(IA[0].copy())
    np.negative.at(y, [0, 2])
    _walk(y, np.array([-3, 1, -4]))


def test_ufunc_reduceat():
    _walk(np.add.reduceat(sx.asarray(A[0]), [0, 2]), np.add.reduceat(A[0], [0, 2]))


def test_ndarray_operator_storax_returns_storax():
    x = sx.asarray(B)
    for r, e in [(A + x, A + B), (A * x, A * B), (A < x, A < B), (A @ x.T, A @ B.T)]:
        _walk(r, e)
    _walk(np.float64(2.0) * x, 2.0 * B)


def test_out_storax():
    x, y = sx.asarray(A), sx.asarray(B)
    out = sx.zeros(A.shape, dtype=sx.float64)
    r = np.add(x, y, out=out)
    assert r is out
    _walk(out, A + B)
    r = np.multiply(x, 2, out=(out,))
    assert r is out
    _walk(out, A * 2)
    red = sx.zeros(3, dtype=sx.float64)
    assert np.add.reduce(x, axis=0, out=red) is red
    _walk(red, A.sum(0))
    assert np.sum(x, axis=0, out=red) is red
    _walk(red, A.sum(0))
    cat = sx.zeros((4, 3), dtype=sx.float64)
    assert np.concatenate([x, y], out=cat) is cat
    _walk(cat, np.concatenate([A, B]))
    part = sx.zeros(A.shape, dtype=sx.float64)
    np.sqrt(x, out=part, where=x > 0)
    _walk(part, np.sqrt(A, out=np.zeros_like(A), where=A > 0))
    q, r = sx.zeros(3, dtype=sx.float64), sx.zeros(3, dtype=sx.float64)
    np.divmod(x[0], 2.0, out=(q, r))
    _walk((q, r), np.divmod(A[0], 2.0))


def test_out_cast_rule():
    f32 = sx.zeros(A.shape, dtype=sx.float32)
    np.add(sx.asarray(A), 1.0, out=f32)  # same_kind: float64 into float32 is allowed
    _walk(f32, (A + 1).astype(np.float32))
    i64 = sx.zeros(A.shape, dtype=sx.int64)
    with pytest.raises(TypeError, match="cast"):
        np.add(sx.asarray(A), 1.0, out=i64)


def test_out_ndarray_is_written_and_result_joins_storax():
    a = np.zeros(3)
    keep = a
    a += sx.asarray(A[0])
    assert isinstance(a, sx.Array) and a.device == DEVICE
    np.testing.assert_array_equal(keep, A[0])  # written in place too
    _walk(a, A[0])


FUNCTION_CASES = {
    "sum": lambda np_, a, b: np_.sum(a, axis=0),
    "sum_keepdims": lambda np_, a, b: np_.sum(a, axis=1, keepdims=True),
    "sum_int": lambda np_, a, b: np_.sum(a > 0),
    "prod": lambda np_, a, b: np_.prod(a, axis=1),
    "mean": lambda np_, a, b: np_.mean(a),
    "mean_axis": lambda np_, a, b: np_.mean(a, axis=(0, 1)),
    "std": lambda np_, a, b: np_.std(a, ddof=1),
    "var": lambda np_, a, b: np_.var(a, axis=0),
    "max": lambda np_, a, b: np_.max(a, axis=0),
    "amin": lambda np_, a, b: np_.amin(a),
    "all": lambda np_, a, b: np_.all(a > -2, axis=1),
    "any": lambda np_, a, b: np_.any(a > 2),
    "argmax": lambda np_, a, b: np_.argmax(a),
    "argmin": lambda np_, a, b: np_.argmin(a, axis=1),
    "cumsum": lambda np_, a, b: np_.cumsum(a),
    "cumprod": lambda np_, a, b: np_.cumprod(a, axis=1),
    "count_nonzero": lambda np_, a, b: np_.count_nonzero(a > 0, axis=0),
    "concatenate": lambda np_, a, b: np_.concatenate([a, b], axis=1),
    "concatenate_none": lambda np_, a, b: np_.concatenate([a, b], axis=None),
    "stack": lambda np_, a, b: np_.stack([a, b], axis=-1),
    "vstack": lambda np_, a, b: np_.vstack([a, b[0]]),
    "hstack": lambda np_, a, b: np_.hstack([a, b]),
    "column_stack": lambda np_, a, b: np_.column_stack([a[0], b[0]]),
    "dstack": lambda np_, a, b: np_.dstack([a, b]),
    "atleast_2d": lambda np_, a, b: np_.atleast_2d(a[0]),
    "atleast_3d": lambda np_, a, b: np_.atleast_3d(a),
    "where": lambda np_, a, b: np_.where(a > 0, a, 0),
    "where_arrays": lambda np_, a, b: np_.where(a > b, a, b),
    "where_1arg": lambda np_, a, b: np_.where(a > 0),
    "nonzero": lambda np_, a, b: np_.nonzero(a > 0),
    "argwhere": lambda np_, a, b: np_.argwhere(a > 0),
    "flatnonzero": lambda np_, a, b: np_.flatnonzero(a > 0),
    "reshape": lambda np_, a, b: np_.reshape(a, (3, 2)),
    "ravel": lambda np_, a, b: np_.ravel(a),
    "transpose": lambda np_, a, b: np_.transpose(a),
    "swapaxes": lambda np_, a, b: np_.swapaxes(a, 0, 1),
    "moveaxis": lambda np_, a, b: np_.moveaxis(a, 0, -1),
    "squeeze": lambda np_, a, b: np_.squeeze(a[:1]),
    "expand_dims": lambda np_, a, b: np_.expand_dims(a, (0, 2)),
    "broadcast_to": lambda np_, a, b: np_.broadcast_to(a[0], (4, 3)),
    "broadcast_arrays": lambda np_, a, b: np_.broadcast_arrays(a, b[0]),
    "flip": lambda np_, a, b: np_.flip(a, axis=1),
    "roll": lambda np_, a, b: np_.roll(a, 1, axis=1),
    "tile": lambda np_, a, b: np_.tile(a, (2, 1)),
    "repeat": lambda np_, a, b: np_.repeat(a, 2),
    "take": lambda np_, a, b: np_.take(a, [2, 0], axis=1),
    "take_along_axis": lambda np_, a, b: np_.take_along_axis(a, np_.argsort(a, axis=1), axis=1),
    "diff": lambda np_, a, b: np_.diff(a, axis=1),
    "diff_prepend": lambda np_, a, b: np_.diff(a[0], prepend=0.0),
    "clip": lambda np_, a, b: np_.clip(a, -1, 1),
    "round": lambda np_, a, b: np_.round(a, 1),
    "around": lambda np_, a, b: np_.around(a),
    "real": lambda np_, a, b: np_.real(a),
    "imag": lambda np_, a, b: np_.imag(a),
    "sort": lambda np_, a, b: np_.sort(a, axis=0),
    "argsort": lambda np_, a, b: np_.argsort(a[0]),
    "searchsorted": lambda np_, a, b: np_.searchsorted(np_.sort(a[0]), b[0]),
    "isin": lambda np_, a, b: np_.isin(a, b),
    "tril": lambda np_, a, b: np_.tril(a),
    "triu": lambda np_, a, b: np_.triu(a, 1),
    "meshgrid": lambda np_, a, b: np_.meshgrid(a[0], b[0]),
    "split": lambda np_, a, b: np_.split(a, 3, axis=1),
    "array_split": lambda np_, a, b: np_.array_split(a[0], 2),
    "zeros_like": lambda np_, a, b: np_.zeros_like(a),
    "ones_like": lambda np_, a, b: np_.ones_like(a, dtype=np.int32),
    "full_like": lambda np_, a, b: np_.full_like(a, 7.5),
    "empty_like_shape": lambda np_, a, b: np_.empty_like(a, shape=(2,)).shape,
    "copy": lambda np_, a, b: np_.copy(a),
    "dot": lambda np_, a, b: np_.dot(a, b.T),
    "vdot": lambda np_, a, b: np_.vdot(a, b),
    "inner": lambda np_, a, b: np_.inner(a, b),
    "outer": lambda np_, a, b: np_.outer(a[0], b[0]),
    "tensordot": lambda np_, a, b: np_.tensordot(a, b, axes=([1], [1])),
    "trace": lambda np_, a, b: np_.trace(a),
    "diagonal": lambda np_, a, b: np_.diagonal(a),
    "norm": lambda np_, a, b: np_.linalg.norm(a),
    "norm_axis": lambda np_, a, b: np_.linalg.norm(a, axis=1),
    "norm_ord": lambda np_, a, b: np_.linalg.norm(a, ord=1),
    "inv": lambda np_, a, b: np_.linalg.inv(a @ a.T + np_.eye(2)),
    "det": lambda np_, a, b: np_.linalg.det(a @ a.T),
    "solve": lambda np_, a, b: np_.linalg.solve(a @ a.T + np_.eye(2), b[:, 0]),
    "cholesky": lambda np_, a, b: np_.linalg.cholesky(a @ a.T + np_.eye(2)),
    "eigvalsh": lambda np_, a, b: np_.linalg.eigvalsh(a @ a.T),
    "svdvals": lambda np_, a, b: np_.linalg.svd(a, compute_uv=False),
    "matrix_rank": lambda np_, a, b: np_.linalg.matrix_rank(a),
    "isclose": lambda np_, a, b: np_.isclose(a, a + 1e-9),
    "allclose": lambda np_, a, b: np_.allclose(a, b),
    "array_equal": lambda np_, a, b: np_.array_equal(a, a),
    "nan_to_num": lambda np_, a, b: np_.nan_to_num(np_.log(a)),
    "shape": lambda np_, a, b: np_.shape(a),
    "ndim": lambda np_, a, b: np_.ndim(a),
    "size": lambda np_, a, b: np_.size(a),
    "result_type": lambda np_, a, b: np_.result_type(a, np.float32),
    "iscomplexobj": lambda np_, a, b: np_.iscomplexobj(a),
    # not implemented by storax: through the host, results back on the device
    "fallback_einsum": lambda np_, a, b: np_.einsum("ij,ij->i", a, b),
    "fallback_cov": lambda np_, a, b: np_.cov(a),
    "fallback_unique": lambda np_, a, b: np_.unique(a, return_counts=True),
    "fallback_interp": lambda np_, a, b: np_.interp(a[0], [-2.0, 3.0], [0.0, 1.0]),
    "fallback_histogram": lambda np_, a, b: np_.histogram(a, bins=3),
    "fallback_polyfit": lambda np_, a, b: np_.polyfit(a[0], b[0], 1),
    "fallback_ptp": lambda np_, a, b: np_.ptp(a, axis=0),
    "fallback_cbrt": lambda np_, a, b: np_.cbrt(a),
}


@pytest.mark.parametrize("case", sorted(FUNCTION_CASES))
def test_numpy_function(case):
    f = FUNCTION_CASES[case]
    with np.errstate(all="ignore"):
        expected = f(np, A, B)
        result = f(np, sx.asarray(A), sx.asarray(B))
    _walk(result, expected)


def test_mixed_numpy_and_storax_arguments():
    _walk(np.concatenate([sx.asarray(A), B]), np.concatenate([A, B]))
    _walk(np.where(sx.asarray(A) > 0, B, 0.0), np.where(A > 0, B, 0.0))
    _walk(np.add(A, sx.asarray(B), dtype=np.float32), np.add(A, B, dtype=np.float32))


def test_numpy_dtype_rules():
    # np.sin of integers is float64, the mean of integers float64: NumPy's rules
    _walk(np.sin(sx.asarray(IA)), np.sin(IA))
    _walk(np.mean(sx.asarray(IA), axis=0), np.mean(IA, axis=0))
    _walk(np.true_divide(sx.asarray(IA), 2), IA / 2)
    _walk(np.add(sx.asarray(IA), 1.5), IA + 1.5)


def test_host_fallback_keeps_object_dtypes_numpy():
    r = np.frompyfunc(lambda v: v, 1, 1)(sx.asarray(A[0]))
    assert isinstance(r, np.ndarray) and r.dtype == object


# ------------------------------------------------------------- NumPy-style methods


def test_numpy_style_methods():
    x = sx.asarray(A)
    _walk(x.sum(0, None, None, True), A.sum(0, keepdims=True))
    _walk(x.sum(out=None), A.sum())
    out = sx.zeros(3, dtype=sx.float64)
    assert x.sum(axis=0, out=out) is out
    _walk(out, A.sum(0))
    _walk(x.mean(axis=1, dtype=sx.float32), A.mean(axis=1, dtype=np.float32))
    for name, args in [
        ("max", (0,)), ("min", ()), ("prod", ()), ("std", ()), ("var", (1,)),
        ("argmax", ()), ("argmin", (0,)), ("cumsum", ()), ("round", (1,)), ("clip", (0, 1)),
        ("ravel", ()), ("flatten", ()), ("squeeze", ()), ("swapaxes", (0, 1)),
        ("conj", ()), ("nonzero", ()), ("repeat", (2,)), ("trace", ()), ("diagonal", ()),
        ("argsort", ()), ("any", ()), ("all", (1,)), ("take", ([0, 2], 1)),
    ]:  # fmt: skip
        _walk(getattr(x, name)(*args), getattr(A, name)(*args))
    _walk(x.astype(np.int32), A.astype(np.int32))
    _walk(x.real, A.real)
    _walk(x.imag, A.imag)
    assert x.nbytes == A.nbytes and x.itemsize == A.itemsize
    y = sx.asarray(A.copy())
    view = y[1]
    y.sort(axis=1)
    _walk(view, np.sort(A, axis=1)[1])
    y.fill(2.0)
    _walk(y, np.full_like(A, 2.0))


def test_view_with_a_dtype():
    x = sx.asarray(A)
    assert np.asarray(x.view(float)).dtype == np.float64
    pairs = np.ascontiguousarray(A[:, :2])
    _walk(sx.asarray(pairs).view(sx.complex128), pairs.view(np.complex128))
    _walk(x.view("int64"), A.view(np.int64))
    with pytest.raises(ValueError, match="Array.view"):
        sx.asarray(A)[:, ::2].view(sx.complex128)


# ------------------------------------------------------------------- leniency


def test_astype_takes_numpy_arrays():
    _walk(sx.astype(IA, sx.float64), IA.astype(np.float64))
    _walk(sx.astype(np.float64(1.5), sx.int64), np.int64(1))


def test_logical_functions_take_any_dtype():
    for f in ("logical_and", "logical_or", "logical_xor"):
        _walk(getattr(sx, f)(sx.asarray(IA - 3), sx.asarray(A)), getattr(np, f)(IA - 3, A))
    _walk(sx.logical_not(sx.asarray(IA - 3)), np.logical_not(IA - 3))
    _walk(sx.logical_or(sx.asarray(BA), True), np.logical_or(BA, True))


def test_setitem_casts_a_wider_value():
    x = sx.zeros(3, dtype=sx.float32)
    x[1:] = sx.asarray([1.5, 2.25], dtype=sx.float64)
    _walk(x, np.array([0, 1.5, 2.25], dtype=np.float32))
    i = sx.zeros(3, dtype=sx.int8)
    i[0] = sx.asarray(7, dtype=sx.int64)
    _walk(i, np.array([7, 0, 0], dtype=np.int8))
    with pytest.raises(TypeError, match="imaginary"):
        x[0] = sx.asarray(1j, dtype=sx.complex64)


def test_result_type_takes_numpy_scalars():
    assert sx.result_type(sx.asarray([1.0], dtype=sx.float32), np.float64(np.nan)) == sx.float64
    assert sx.result_type(np.int8(1), sx.int16) == sx.int16
    assert sx.result_type(np.zeros(2, dtype=np.float32), 1.0) == sx.float32
