"""top_k (draft 2026.12): against a full stable sort, both modes, both backends."""

from __future__ import annotations

import numpy as np
import pytest

import storax as sx

pytestmark = pytest.mark.filterwarnings("error")

BACKENDS = ["numpy", "jax"]
DTYPES = [
    "bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
    "float32", "float64",
]  # fmt: skip


def _ns():
    """The 2026.12 namespace (top_k is hidden at 2025.12)."""
    return sx.ones(1).__array_namespace__(api_version="2026.12")


def _reference(v: np.ndarray, k: int, axis: int, largest: bool):
    """The first k entries of a stable sort (descending: stable on reversed data)."""
    if largest:
        n = v.shape[axis]
        rev = np.argsort(np.flip(v, axis=axis), axis=axis, stable=True)
        order = (n - 1) - np.flip(rev, axis=axis)
    else:
        order = np.argsort(v, axis=axis, stable=True)
    order = np.take(order, np.arange(k), axis=axis)
    return np.take_along_axis(v, order, axis=axis), order


def _sample(rng, dtype: str, shape):
    if dtype == "bool":
        return rng.integers(0, 2, shape).astype(bool)
    d = np.dtype(dtype)
    lo = 0 if d.kind == "u" else -3
    v = rng.integers(lo, 4, shape).astype(d)  # few distinct values: many ties
    if d.kind == "f":
        v[rng.random(shape) < 0.15] = np.nan
        v[rng.random(shape) < 0.15] = -0.0
        v[rng.random(shape) < 0.1] = np.inf
        v[rng.random(shape) < 0.1] = -np.inf
    else:
        info = np.iinfo(d)
        v[rng.random(shape) < 0.1] = info.max
        v[rng.random(shape) < 0.1] = info.min
    return v


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("dtype", DTYPES)
def test_matches_stable_sort(backend, dtype):
    rng = np.random.default_rng(abs(hash(dtype)) % 2**32)
    xp = _ns()
    with sx.use_backend(backend):
        for _ in range(10 if backend == "jax" else 25):
            shape = tuple(int(s) for s in rng.integers(1, 6, size=rng.integers(1, 4)))
            v = _sample(rng, dtype, shape)
            axis = int(rng.integers(-len(shape), len(shape)))
            k = int(rng.integers(0, shape[axis] + 1))
            for mode in ("largest", "smallest"):
                vals, idx = xp.top_k(sx.asarray(v), k, axis=axis, mode=mode)
                ref_v, ref_i = _reference(v, k, axis, mode == "largest")
                got_v, got_i = np.asarray(vals), np.asarray(idx)
                assert got_v.dtype == v.dtype
                assert got_i.dtype == np.int64
                np.testing.assert_array_equal(got_v, ref_v)
                np.testing.assert_array_equal(got_i, ref_i)
                # -0.0 comes back as -0.0: the values are the input's, not a key's.
                if v.dtype.kind == "f":
                    np.testing.assert_array_equal(np.signbit(got_v), np.signbit(ref_v))


@pytest.mark.parametrize("backend", BACKENDS)
def test_nan_is_largest_and_ties_lowest_index(backend):
    xp = _ns()
    with sx.use_backend(backend):
        x = sx.asarray([1.0, np.nan, 3.0, 3.0, np.nan, -1.0])
        v, i = xp.top_k(x, 3)
        assert np.isnan(np.asarray(v)[:2]).all() and np.asarray(v)[2] == 3.0
        assert np.asarray(i).tolist() == [1, 4, 2]
        v, i = xp.top_k(x, 3, mode="smallest")
        assert np.asarray(v).tolist() == [-1.0, 1.0, 3.0]
        assert np.asarray(i).tolist() == [5, 0, 2]
        v, i = xp.top_k(sx.asarray([2, 2, 2, 2]), 2)
        assert np.asarray(i).tolist() == [0, 1]


@pytest.mark.parametrize("backend", BACKENDS)
def test_edge_cases(backend):
    xp = _ns()
    with sx.use_backend(backend):
        v, i = xp.top_k(sx.asarray(7.0), 1)
        assert v.shape == () and i.shape == () and float(v) == 7.0 and int(i) == 0
        v, i = xp.top_k(sx.asarray(7.0), 0)
        assert v.shape == (0,) and i.shape == (0,)
        v, i = xp.top_k(sx.ones((3, 4)), 0, axis=0)
        assert v.shape == (0, 4) and i.shape == (0, 4) and i.dtype == sx.int64
        v, i = xp.top_k(sx.ones((2, 0)), 0)
        assert v.shape == (2, 0)
        u = sx.asarray(np.array([0, 2**64 - 1, 5], dtype=np.uint64))
        v, i = xp.top_k(u, 2, mode="smallest")
        assert np.asarray(v).tolist() == [0, 5] and np.asarray(i).tolist() == [0, 2]


@pytest.mark.parametrize("backend", BACKENDS)
def test_errors_name_the_function(backend):
    xp = _ns()
    with sx.use_backend(backend):
        x = sx.asarray([1.0, 2.0])
        with pytest.raises(ValueError, match="top_k: k must be in"):
            xp.top_k(x, 3)
        with pytest.raises(ValueError, match="top_k: k must be in"):
            xp.top_k(x, -1)
        with pytest.raises(TypeError, match="top_k: k must be an int"):
            xp.top_k(x, 1.0)
        with pytest.raises(TypeError, match="top_k: k must be an int"):
            xp.top_k(x, True)
        with pytest.raises(ValueError, match="top_k: mode"):
            xp.top_k(x, 1, mode="biggest")
        with pytest.raises(IndexError, match="top_k: axis"):
            xp.top_k(x, 1, axis=1)
        with pytest.raises(TypeError, match="top_k: .*complex64"):
            xp.top_k(sx.asarray([1j, 2j]), 1)


def test_visible_only_from_2026_12():
    assert not hasattr(sx, "top_k")
    assert not hasattr(sx.ones(1).__array_namespace__(api_version="2025.12"), "top_k")
    assert callable(_ns().top_k)
    with sx.api_version("2026.12"):
        assert sx.top_k(sx.asarray([1, 3, 2]), 1)[1].tolist() == [1]
        assert sx.__array_api_version__ == "2026.12"
    assert not hasattr(sx, "top_k")


def test_partial_sort_not_full_sort(monkeypatch):
    """On NumPy, top_k partitions the row and sorts only the k entries it keeps: no sort
    of the whole row (checked structurally; timings are the benchmark's business)."""
    sizes = []
    for name in ("sort", "argsort"):
        real = getattr(np, name)

        def spy(a, *args, _real=real, **kwargs):
            sizes.append(np.asarray(a).shape[-1] if np.ndim(a) else 1)
            return _real(a, *args, **kwargs)

        monkeypatch.setattr(np, name, spy)
    with sx.use_backend("numpy"):
        x = sx.asarray(np.random.default_rng(0).random(100_000))
        values, indices = _ns().top_k(x, 10)
    monkeypatch.undo()
    assert sizes and max(sizes) <= 10
    want = np.sort(np.asarray(x))[::-1][:10]
    np.testing.assert_array_equal(np.asarray(values), want)
