"""Statistical, searching, sorting, set and utility functions: what the suite leaves out.

Result dtypes of accumulations, 0-d results (never Python scalars), keepdims, empty
reductions without warnings, stable descending sorts, NaN handling in the set functions,
the NumPy-style positional ``diff(x, n)``, and the error each function raises.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import storax as sx

INT_DTYPES = [sx.int8, sx.int16, sx.int32, sx.int64, sx.uint8, sx.uint16, sx.uint32, sx.uint64]


# --------------------------------------------------------------- accumulations


@pytest.mark.parametrize("dtype", INT_DTYPES)
@pytest.mark.parametrize("func", ["sum", "prod", "cumulative_sum", "cumulative_prod"])
def test_integer_accumulation_dtype(func, dtype):
    x = sx.ones((3,), dtype=dtype)
    out = getattr(sx, func)(x)
    expected = sx.uint64 if dtype.kind == "u" else sx.int64
    assert out.dtype == expected


@pytest.mark.parametrize("dtype", [sx.float32, sx.float64, sx.complex64, sx.complex128])
@pytest.mark.parametrize("func", ["sum", "prod", "cumulative_sum", "cumulative_prod", "mean"])
def test_floating_dtype_is_kept(func, dtype):
    x = sx.ones((2, 2), dtype=dtype)
    kw = {"axis": 0} if func.startswith("cumulative") else {}
    assert getattr(sx, func)(x, **kw).dtype == dtype


def test_explicit_dtype():
    x = sx.asarray([100, 100], dtype=sx.int8)
    assert sx.sum(x, dtype=sx.int16).tolist() == 200
    assert sx.sum(x, dtype=sx.float64).dtype == sx.float64
    assert sx.cumulative_sum(x, dtype=sx.int16).tolist() == [100, 200]
    with pytest.raises(TypeError, match="^sum"):
        sx.sum(sx.ones(2, dtype=sx.complex64), dtype=sx.float32)
    with pytest.raises(TypeError, match="^prod"):
        sx.prod(x, dtype="not a dtype")


def test_booleans_count_as_integers():
    m = sx.asarray([True, False, True])
    assert sx.sum(m).dtype == sx.int64 and int(sx.sum(m)) == 2
    assert sx.prod(m).dtype == sx.int64 and int(sx.prod(m)) == 0
    assert sx.cumulative_sum(m).tolist() == [1, 1, 2]
    assert sx.mean(m).dtype == sx.get_default_dtype()
    assert math.isclose(float(sx.mean(m)), 2 / 3, rel_tol=1e-6)
    assert sx.diff(m).tolist() == [True, True]


def test_var_of_integers_and_complex():
    assert sx.var(sx.asarray([1, 3])).dtype == sx.get_default_dtype()
    assert float(sx.var(sx.asarray([1, 3]))) == 1.0
    z = sx.asarray([1j, -1j], dtype=sx.complex64)
    assert sx.var(z).dtype == sx.float32 and float(sx.var(z)) == 1.0
    assert sx.std(sx.asarray([1 + 0j, -1 + 0j], dtype=sx.complex128)).dtype == sx.float64


def test_mean_of_integers_has_the_default_float_dtype():
    x = sx.asarray([1, 2, 4])
    assert sx.mean(x).dtype == sx.get_default_dtype()
    assert math.isclose(float(sx.mean(x)), 7 / 3, rel_tol=1e-6)


@pytest.mark.parametrize(
    "func", ["sum", "prod", "max", "min", "mean", "std", "var", "all", "any", "count_nonzero"]
)
def test_full_reductions_return_0d_arrays(func):
    x = sx.reshape(sx.arange(1, 7, dtype=sx.float64), (2, 3))
    out = getattr(sx, func)(x)
    assert isinstance(out, sx.Array)
    assert out.shape == ()
    out_k = getattr(sx, func)(x, keepdims=True)
    assert out_k.shape == (1, 1)
    out_ax = getattr(sx, func)(x, axis=(-1,), keepdims=True)
    assert out_ax.shape == (2, 1)


@pytest.mark.parametrize("func", ["argmax", "argmin"])
def test_arg_reductions(func):
    x = sx.asarray([[1, 5, 5], [7, 0, 0]])
    out = getattr(sx, func)(x)
    assert out.shape == () and out.dtype == sx.int64
    assert getattr(sx, func)(x, keepdims=True).shape == (1, 1)
    expected = [1, 0] if func == "argmax" else [0, 1]
    assert getattr(sx, func)(x, axis=1).tolist() == expected
    # argmax of a boolean mask finds the first True, as in NumPy
    assert int(sx.argmax(sx.asarray([False, True, True]))) == 1


def test_cumulative_include_initial():
    x = sx.asarray([[1, 2], [3, 4]])
    assert sx.cumulative_sum(x, axis=1, include_initial=True).tolist() == [[0, 1, 3], [0, 3, 7]]
    assert sx.cumulative_prod(x, axis=0, include_initial=True).tolist() == [
        [1, 1],
        [1, 2],
        [3, 8],
    ]
    assert sx.cumulative_sum(sx.asarray([1, 2, 3])).tolist() == [1, 3, 6]


def test_empty_reductions_do_not_warn():
    # pyproject turns warnings into errors: NaN results must come without warnings.
    e = sx.zeros((0, 3), dtype=sx.float32)
    assert math.isnan(float(sx.mean(e)))
    assert sx.mean(e, axis=0).shape == (3,)
    assert math.isnan(float(sx.var(e)))
    assert float(sx.sum(e)) == 0.0
    assert float(sx.prod(e)) == 1.0
    with pytest.raises(ValueError, match="^max"):
        sx.max(e)
    with pytest.raises(ValueError, match="^min"):
        sx.min(e, axis=0)
    assert sx.max(e, axis=1).shape == (0,)
    with pytest.raises(ValueError, match="^argmax"):
        sx.argmax(e)


def test_var_std_correction():
    x = sx.asarray([1.0, 2.0, 3.0, 4.0], dtype=sx.float64)
    assert math.isclose(float(sx.var(x)), 1.25)
    assert math.isclose(float(sx.var(x, correction=1)), 5 / 3)
    assert math.isclose(float(sx.std(x, correction=1.0)), math.sqrt(5 / 3))
    # more correction than elements: inf (as NumPy), no warning
    assert math.isinf(float(sx.var(x, correction=4)))
    assert sx.var(sx.ones((2, 2), dtype=sx.float32)).dtype == sx.float32


@given(
    hnp.arrays(
        np.float64,
        hnp.array_shapes(min_dims=1, max_dims=3, min_side=1),
        elements=st.floats(-1e6, 1e6),
    ),
    st.data(),
)
def test_var_matches_numpy(a, data):
    axis = data.draw(st.none() | st.integers(-a.ndim, a.ndim - 1))
    correction = data.draw(st.integers(0, 1))
    x = sx.asarray(a)
    n = a.size if axis is None else a.shape[axis]
    if n <= correction:
        return  # NumPy warns there; test_var_std_correction covers it
    expected = np.var(a, axis=axis, ddof=correction)
    got = sx.var(x, axis=axis, correction=correction).numpy()
    np.testing.assert_allclose(got, expected, rtol=1e-9, atol=1e-12, equal_nan=True)


# ---------------------------------------------------------------- searching


def test_nonzero_and_count_nonzero():
    x = sx.asarray([[0, 1], [2, 0]])
    rows, cols = sx.nonzero(x)
    assert rows.tolist() == [0, 1] and cols.tolist() == [1, 0]
    assert rows.dtype == sx.int64
    assert sx.count_nonzero(x).dtype == sx.int64
    assert sx.count_nonzero(x, axis=0).tolist() == [1, 1]
    assert int(sx.count_nonzero(sx.asarray([0j, 1j, 0]))) == 1


@pytest.mark.parametrize(
    "values",
    [
        [True, False, True],
        [0, 3, -1, 0],
        [0.0, -0.0, float("nan"), 2.5],
        [0j, 1j, complex(0, -0.0)],
        [],
    ],
)
def test_count_nonzero_of_all_elements(values):
    """The whole-array count (the NumPy kernel's 0-d result straight from the C count)
    on every dtype kind, 0-d, empty, non-contiguous, read-only and named inputs."""
    x = sx.asarray(values)
    want = int(np.count_nonzero(np.asarray(values)))
    for v in (x, x[::-1], sx.reshape(x, (1, -1)), sx.broadcast_to(x, (2, x.shape[0]))):
        r = sx.count_nonzero(v)
        assert r.dtype == sx.int64 and r.shape == () and int(r) == want * (v.size // max(x.size, 1))
        k = sx.count_nonzero(v, keepdims=True)
        assert k.shape == (1,) * v.ndim and int(k[(0,) * v.ndim]) == int(r)
    if values:
        assert int(sx.count_nonzero(x[1])) == (values[1] != 0)
    named = sx.ones((2, 3), names=("a", "b"))
    r = sx.count_nonzero(named)
    assert int(r) == 6 and r.names == ()
    assert sx.count_nonzero(named, keepdims=True).names == ("a", "b")


def test_where_with_scalars():
    c = sx.asarray([True, False])
    x = sx.asarray([1, 2], dtype=sx.int8)
    out = sx.where(c, x, 0)
    assert out.dtype == sx.int8 and out.tolist() == [1, 0]
    out = sx.where(c, 5, x)
    assert out.dtype == sx.int8 and out.tolist() == [5, 2]
    f = sx.asarray([1.0, 2.0], dtype=sx.float32)
    assert sx.where(c, f, 1j).dtype == sx.complex64
    assert sx.where(c, sx.asarray([True, True]), False).tolist() == [True, False]


def test_searchsorted():
    x1 = sx.asarray([1.0, 2.0, 2.0, 3.0])
    assert sx.searchsorted(x1, sx.asarray([2.0])).tolist() == [1]
    assert sx.searchsorted(x1, sx.asarray([2.0]), side="right").tolist() == [3]
    out = sx.searchsorted(x1, 2)
    assert out.shape == () and out.dtype == sx.int64 and int(out) == 1
    unsorted = sx.asarray([3, 1, 2])
    assert int(sx.searchsorted(unsorted, 2, sorter=sx.argsort(unsorted))) == 1


SEARCH_ERRORS = [
    ("argmax", lambda: sx.argmax(sx.ones(3), axis=1), IndexError),
    ("argmax", lambda: sx.argmax(sx.ones(3, dtype=sx.complex64)), TypeError),
    ("argmin", lambda: sx.argmin([1, 2]), TypeError),
    ("argmin", lambda: sx.argmin(sx.ones(3), keepdims=None), TypeError),
    ("count_nonzero", lambda: sx.count_nonzero(sx.ones((2, 2)), axis=(0, 0)), ValueError),
    ("count_nonzero", lambda: sx.count_nonzero(sx.ones((2, 2)), axis=2), IndexError),
    ("nonzero", lambda: sx.nonzero(sx.asarray(1)), ValueError),
    ("where", lambda: sx.where(sx.asarray([True]), 1, 2), TypeError),
    ("where", lambda: sx.where(sx.asarray([True]), sx.ones(2), sx.ones(3)), ValueError),
    ("where", lambda: sx.where(sx.asarray([True]), sx.ones(2), "a"), TypeError),
    ("where", lambda: sx.where(sx.asarray([True]), sx.ones(1, dtype=sx.int8), 300), OverflowError),
    ("where", lambda: sx.where(sx.asarray([True]), sx.ones(1), True), TypeError),
    ("where", lambda: sx.where(sx.asarray([True]), sx.asarray([True]), 1), TypeError),
    ("where", lambda: sx.where([True], sx.ones(1), 1), TypeError),
    ("searchsorted", lambda: sx.searchsorted(sx.ones((2, 2)), sx.ones(1)), ValueError),
    ("searchsorted", lambda: sx.searchsorted(sx.ones(2), sx.ones(1), side="middle"), ValueError),
    ("searchsorted", lambda: sx.searchsorted(sx.ones(2), 1j), TypeError),
    ("searchsorted", lambda: sx.searchsorted(sx.ones(2), "a"), TypeError),
    (
        "searchsorted",
        lambda: sx.searchsorted(sx.ones(2), 1.0, sorter=sx.asarray([0.0, 1.0])),
        TypeError,
    ),
    ("searchsorted", lambda: sx.searchsorted(sx.ones(2), 1.0, sorter=sx.asarray([0])), ValueError),
    (
        "searchsorted",
        lambda: sx.searchsorted(sx.ones(2), 1.0, sorter=sx.asarray([0, 5])),
        IndexError,
    ),
]


# ----------------------------------------------------------------- sorting


def test_stable_descending_sort_keeps_order_of_equal_elements():
    x = sx.asarray([3, 1, 3, 2, 1, 3])
    assert sx.argsort(x, descending=True).tolist() == [0, 2, 5, 3, 1, 4]
    assert sx.argsort(x).tolist() == [1, 4, 3, 0, 2, 5]
    assert sx.sort(x, descending=True).tolist() == [3, 3, 3, 2, 1, 1]
    z = sx.asarray([0.0, -0.0])
    # -0 == +0: a stable sort keeps their order, either way round
    assert [math.copysign(1, v) for v in sx.sort(z, descending=True).tolist()] == [1, -1]


@given(hnp.arrays(np.int8, hnp.array_shapes(min_dims=1, max_dims=3)), st.data())
def test_argsort_descending_matches_python_sorted(a, data):
    axis = data.draw(st.integers(-a.ndim, a.ndim - 1))
    got = sx.argsort(sx.asarray(a), axis=axis, descending=True).numpy()
    moved = np.moveaxis(a, axis, -1).reshape(-1, a.shape[axis])
    got_moved = np.moveaxis(got, axis, -1).reshape(-1, a.shape[axis])
    for row, idx in zip(moved, got_moved, strict=True):
        expected = sorted(range(len(row)), key=row.__getitem__, reverse=True)
        assert idx.tolist() == expected


def test_sort_nan_goes_last_ascending_first_descending():
    x = sx.asarray([2.0, float("nan"), 1.0])
    assert math.isnan(sx.sort(x).tolist()[-1])
    assert math.isnan(sx.sort(x, descending=True).tolist()[0])


SORT_ERRORS = [
    ("sort", lambda: sx.sort(sx.ones((2, 2)), axis=2), IndexError),
    ("sort", lambda: sx.sort(sx.ones(2, dtype=sx.complex64)), TypeError),
    ("sort", lambda: sx.sort(sx.ones(2), descending=1), TypeError),
    ("argsort", lambda: sx.argsort(sx.ones(2), stable=None), TypeError),
    ("argsort", lambda: sx.argsort(sx.ones((2, 2)), axis=-3), IndexError),
]


# --------------------------------------------------------------------- sets


def test_unique_namedtuples_and_nan():
    nan = float("nan")
    x = sx.asarray([[1.0, nan], [nan, 1.0], [-0.0, 0.0]], dtype=sx.float64)
    r = sx.unique_all(x)
    assert r._fields == ("values", "indices", "inverse_indices", "counts")
    assert r.values.dtype == sx.float64
    assert r.indices.dtype == r.inverse_indices.dtype == r.counts.dtype == sx.int64
    assert r.inverse_indices.shape == x.shape
    values = r.values.tolist()
    assert sum(math.isnan(v) for v in values) == 2  # NaNs are distinct
    assert len(values) == 4  # 0.0, 1.0, nan, nan (signed zeros are one value)
    counts = dict(zip([v for v in values if not math.isnan(v)], r.counts.tolist(), strict=False))
    assert counts[1.0] == 2 and counts[0.0] == 2
    c = sx.unique_counts(x)
    assert c._fields == ("values", "counts")
    i = sx.unique_inverse(x)
    assert i._fields == ("values", "inverse_indices")
    # Non-NaN elements are rebuilt from values[inverse_indices].
    rebuilt = sx.take(i.values, sx.reshape(i.inverse_indices, (-1,))).numpy()
    flat = x.numpy().reshape(-1)
    ok = ~np.isnan(flat)
    assert (rebuilt[ok] == flat[ok]).all()
    assert sx.unique_values(sx.asarray([3, 1, 3])).tolist() == [1, 3]


def test_isin():
    x = sx.asarray([1, 2, 3], dtype=sx.int16)
    assert sx.isin(x, sx.asarray([2, 5], dtype=sx.int64)).tolist() == [False, True, False]
    assert sx.isin(x, 3, invert=True).tolist() == [True, True, False]
    out = sx.isin(2, x)
    assert out.shape == () and out.dtype == sx.bool and bool(out)
    assert not bool(sx.isin(float("nan"), sx.asarray([float("nan")])))


SET_ERRORS = [
    ("unique_all", lambda: sx.unique_all([1, 2]), TypeError),
    ("unique_values", lambda: sx.unique_values(np.ones(2, dtype=np.float16)), TypeError),
    ("isin", lambda: sx.isin(1, 2), TypeError),
    ("isin", lambda: sx.isin(sx.ones(2), sx.ones(2), invert=None), TypeError),
    ("isin", lambda: sx.isin(sx.ones(2, dtype=sx.int8), 1000), OverflowError),
    ("isin", lambda: sx.isin(sx.ones(2), "a"), TypeError),
]


# ------------------------------------------------------------------ utility


def test_diff_positional_n_and_axis():
    x = sx.asarray([[1, 4, 9, 16], [0, 0, 1, 1]])
    assert sx.diff(x).tolist() == [[3, 5, 7], [0, 1, 0]]
    assert sx.diff(x, 2).tolist() == [[2, 2], [1, -1]]
    assert sx.diff(x, n=2).tolist() == [[2, 2], [1, -1]]
    assert sx.diff(x, 1, 0).tolist() == [[-1, -4, -8, -15]]
    assert sx.diff(x, axis=0, n=0).tolist() == x.tolist()


def test_diff_prepend_append():
    x = sx.asarray([1, 3, 6])
    assert sx.diff(x, prepend=sx.asarray([0])).tolist() == [1, 2, 3]
    assert sx.diff(x, append=sx.asarray([10, 15])).tolist() == [2, 3, 4, 5]
    assert sx.diff(x, prepend=0, append=10).tolist() == [1, 2, 3, 4]
    y = sx.asarray([[1, 2], [3, 5]])
    assert sx.diff(y, axis=0, prepend=sx.zeros((1, 2), dtype=sx.int64)).tolist() == [
        [1, 2],
        [2, 3],
    ]
    # prepend of another dtype promotes
    assert sx.diff(sx.asarray([1, 2], dtype=sx.int8), prepend=sx.asarray([0])).dtype == sx.int64


def test_numpy_inputs():
    a = np.array([3.0, 1.0, 2.0])
    assert float(sx.sum(a)) == 6.0 and isinstance(sx.sum(a), sx.Array)
    assert sx.sort(a).tolist() == [1.0, 2.0, 3.0]
    assert sx.where(a > 1.5, a, np.float64(0.0)).tolist() == [3.0, 0.0, 2.0]
    assert sx.isin(a, np.array([2.0])).tolist() == [False, False, True]
    assert int(sx.searchsorted(sx.sort(a), np.array(2.5))) == 2
    assert sx.diff(a, prepend=np.array([0.0])).tolist() == [3.0, -2.0, 1.0]
    assert sx.unique_values(np.array([2, 2, 1])).tolist() == [1, 2]


def test_all_any():
    x = sx.asarray([[True, False], [True, True]])
    assert bool(sx.all(x, axis=1)[1]) and not bool(sx.all(x))
    assert bool(sx.any(x)) and sx.any(x, axis=0).tolist() == [True, True]
    assert sx.all(sx.asarray([float("nan")])).tolist() is True
    assert sx.any(sx.zeros((0,))).tolist() is False
    assert sx.all(x).dtype == sx.bool


UTILITY_ERRORS = [
    ("diff", lambda: sx.diff(sx.asarray([1, 2]), n=-1), ValueError),
    ("diff", lambda: sx.diff(sx.asarray([1, 2]), n=1.0), TypeError),
    ("diff", lambda: sx.diff(sx.asarray([1, 2]), axis=1), IndexError),
    ("diff", lambda: sx.diff(sx.asarray(1)), ValueError),
    ("diff", lambda: sx.diff(sx.ones((2, 2)), prepend=sx.ones((2, 3)), axis=0), ValueError),
    ("diff", lambda: sx.diff(sx.ones((2, 2)), append=sx.ones(2)), ValueError),
    ("diff", lambda: sx.diff(sx.ones(2), append="x"), TypeError),
    ("all", lambda: sx.all(sx.ones(2), axis=1), IndexError),
    ("any", lambda: sx.any(sx.ones(2), axis=(0, -1)), ValueError),
    ("any", lambda: sx.any([True]), TypeError),
]

STAT_ERRORS = [
    ("sum", lambda: sx.sum(sx.ones(2), axis=1), IndexError),
    ("sum", lambda: sx.sum(sx.ones((2, 2)), axis=(1, -1)), ValueError),
    ("sum", lambda: sx.sum(sx.ones(2), axis=0.0), TypeError),
    ("prod", lambda: sx.prod([1, 2]), TypeError),
    ("max", lambda: sx.max(sx.ones(2, dtype=sx.complex64)), TypeError),
    ("min", lambda: sx.min(sx.ones(2), axis=2), IndexError),
    ("var", lambda: sx.var(sx.ones(2), correction="1"), TypeError),
    ("std", lambda: sx.std(sx.ones(2), correction=True), TypeError),
    ("cumulative_sum", lambda: sx.cumulative_sum(sx.ones((2, 2))), ValueError),
    ("cumulative_sum", lambda: sx.cumulative_sum(sx.ones(2), axis=1), IndexError),
    (
        "cumulative_prod",
        lambda: sx.cumulative_prod(sx.ones(2), include_initial=1),
        TypeError,
    ),
]

ALL_ERRORS = SEARCH_ERRORS + SORT_ERRORS + SET_ERRORS + UTILITY_ERRORS + STAT_ERRORS


@pytest.mark.parametrize(
    ("name", "call", "exc"),
    ALL_ERRORS,
    ids=[f"{n}-{i}" for i, (n, _, _) in enumerate(ALL_ERRORS)],
)
def test_bad_input_raises_naming_the_function(name, call, exc):
    with pytest.raises(exc, match=rf"^{name}\b"):
        call()


# ------------------------------------------------------------------- devices

DEVICES = ["cpu", "jax:cpu:0"]


def _x(device):
    return sx.asarray([[3.0, -1.0, float("nan"), 2.0], [0.0, -0.0, 5.0, 5.0]], device=device)


def _i(device):
    return sx.asarray([[3, 1, 2, 1], [0, 7, 7, 2]], device=device)


# name -> call(device): every function of the chapters on arrays of one device.
DEVICE_CASES = {
    "sum": lambda d: sx.sum(_i(d), axis=1),
    "sum_dtype": lambda d: sx.sum(sx.astype(_i(d), sx.int8), dtype=sx.int16),
    "prod": lambda d: sx.prod(_i(d), axis=0, keepdims=True),
    "max": lambda d: sx.max(_x(d), axis=1),
    "min": lambda d: sx.min(_i(d)),
    "mean": lambda d: sx.mean(_x(d), axis=0),
    "mean_int": lambda d: sx.mean(_i(d)),
    "var": lambda d: sx.var(_i(d), axis=1, correction=1),
    "std": lambda d: sx.std(_x(d)[1], correction=0.5),
    "var_complex": lambda d: sx.var(sx.astype(_i(d), sx.complex128)),
    "cumulative_sum": lambda d: sx.cumulative_sum(_i(d), axis=1, include_initial=True),
    "cumulative_prod": lambda d: sx.cumulative_prod(sx.astype(_i(d), sx.uint8), axis=0),
    "argmax": lambda d: sx.argmax(_x(d), axis=1),
    "argmin": lambda d: sx.argmin(_i(d), keepdims=True),
    "count_nonzero": lambda d: sx.count_nonzero(_x(d), axis=(0, 1)),
    "nonzero": lambda d: sx.stack(sx.nonzero(_i(d))),
    "searchsorted": lambda d: sx.searchsorted(
        sx.asarray([1, 5, 3], device=d),
        sx.asarray([[0, 3], [5, 9]], device=d),
        side="right",
        sorter=sx.asarray([0, -1, 1], device=d),
    ),
    "searchsorted_scalar": lambda d: sx.searchsorted(sx.asarray([1.0, 2.0], device=d), 1.5),
    "where": lambda d: sx.where(_i(d) > 1, _i(d), sx.astype(_i(d), sx.int8)),
    "where_scalar": lambda d: sx.where(_i(d) > 1, 0.5, _x(d)),
    "argsort": lambda d: sx.argsort(_i(d), descending=True),
    "argsort_0d": lambda d: sx.argsort(_i(d)[0, 0]),
    "sort": lambda d: sx.sort(_x(d), axis=0, descending=True),
    "sort_nan": lambda d: sx.sort(_x(d), axis=1),
    "unique_values": lambda d: sx.unique_values(_x(d)),
    "unique_counts": lambda d: sx.stack(sx.unique_counts(_i(d))),
    "unique_inverse": lambda d: sx.unique_inverse(_i(d)).inverse_indices,
    "unique_all": lambda d: sx.stack(sx.unique_all(_i(d))[1:3:2]),
    "isin": lambda d: sx.isin(_i(d), sx.asarray([7, 3], device=d), invert=True),
    "isin_scalar": lambda d: sx.isin(2, _i(d)),
    "all": lambda d: sx.all(_i(d), axis=0),
    "any": lambda d: sx.any(_x(d), axis=1, keepdims=True),
    # jax.numpy's all/any look only at the real part of complex numbers.
    "all_complex": lambda d: sx.all(sx.asarray([1j, 0.5j, 1 + 0j], device=d)),
    "any_complex": lambda d: sx.any(sx.asarray([[0j, 1j], [0j, 0j]], device=d), axis=1),
    "diff": lambda d: sx.diff(_i(d), n=2, append=sx.asarray([[1], [2]], device=d)),
    "diff_scalar": lambda d: sx.diff(_x(d), prepend=0.5, axis=1),
    "diff_bool": lambda d: sx.diff(_i(d) > 2),
}


def _same(a, b):
    a, b = np.asarray(a.tolist()), np.asarray(b.tolist())
    assert a.shape == b.shape
    np.testing.assert_allclose(a, b, rtol=1e-12, equal_nan=True)


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("name", sorted(DEVICE_CASES))
def test_results_stay_on_the_input_device_with_the_same_values(name, device):
    r = DEVICE_CASES[name](device)
    expected = DEVICE_CASES[name]("cpu")
    assert r.device == sx.asarray(0, device=device).device
    assert r.dtype == expected.dtype
    _same(r, expected)


MIXED_DEVICE_CASES = [
    ("where", lambda a, b: sx.where(a > 0, b, b)),
    ("where", lambda a, b: sx.where(a > 0, a, b)),
    ("searchsorted", lambda a, b: sx.searchsorted(a, b)),
    ("searchsorted", lambda a, b: sx.searchsorted(a, a, sorter=sx.argsort(b))),
    ("isin", lambda a, b: sx.isin(a, b)),
    ("diff", lambda a, b: sx.diff(a, prepend=b)),
    ("diff", lambda a, b: sx.diff(a, append=b)),
]


@pytest.mark.parametrize(
    ("name", "call"),
    MIXED_DEVICE_CASES,
    ids=[f"{n}-{i}" for i, (n, _) in enumerate(MIXED_DEVICE_CASES)],
)
def test_mixing_devices_raises_naming_both(name, call):
    a = sx.asarray([0, 1, 2], device="cpu")
    b = sx.asarray([1, 2, 3], device="jax:cpu:0")
    for first, second in ((a, b), (b, a)):
        with pytest.raises(ValueError, match=rf"^{name}\b.*different devices") as info:
            call(first, second)
        assert "jax:cpu:0" in str(info.value)


@pytest.mark.parametrize("device", DEVICES)
def test_take_checks_bounds_on_every_backend(device):
    # jax.numpy clamps or fills out-of-range indices; storax raises IndexError everywhere.
    x = sx.asarray([10, 20, 30], device=device)
    assert sx.take(x, sx.asarray([-3, 2], device=device)).tolist() == [10, 30]
    idx = sx.asarray([-3, 2], dtype=sx.int8, device=device)
    assert sx.take_along_axis(x, idx, axis=0).tolist() == [10, 30]
    for bad in ([3], [-4]):
        with pytest.raises(IndexError, match="^take"):
            sx.take(x, sx.asarray(bad, device=device))
        with pytest.raises(IndexError, match="^take_along_axis"):
            sx.take_along_axis(x, sx.asarray(bad, device=device), axis=0)
    with pytest.raises(IndexError, match="^take"):
        sx.take(x, sx.asarray([255], dtype=sx.uint8, device=device))


def test_functions_work_under_jax_jit():
    # Data-dependent checks (index bounds) are skipped inside a traced function.
    import jax

    x = sx.reshape(sx.arange(12.0, device="jax:cpu:0"), (3, 4))
    funcs = [
        lambda x: sx.sum(sx.flip(x), axis=0),
        lambda x: sx.take(x, sx.argmax(x, axis=0), axis=1),
        lambda x: sx.take_along_axis(x, sx.argsort(x, axis=1, descending=True), axis=1),
        lambda x: sx.searchsorted(x[0], x[1], sorter=sx.argsort(x[0])),
        lambda x: sx.std(sx.where(x > 3, x, 0.0), axis=1, correction=1),
        lambda x: sx.cumulative_sum(sx.diff(x, prepend=0.0), axis=0, include_initial=True),
        lambda x: sx.concat([sx.moveaxis(x, 0, 1), sx.roll(x.mT, 1)], axis=None),
    ]
    for f in funcs:
        _same(jax.jit(f)(x), f(x))
