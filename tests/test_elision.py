"""Temporary elision on the NumPy backend (``_elision``): ``(a * 2) + b`` writes into the
temporary ``a * 2``, as NumPy does, and never into an array anyone can still see."""

from __future__ import annotations

import functools
import operator
import sys
import tracemalloc

import numpy as np

import storax as sx
from storax._backends import _numpy_elision as _elision

N = 200_000  # 1.6 MB of float64: above the 256 KiB threshold


def _peak(fn):
    fn()
    tracemalloc.start()
    tracemalloc.reset_peak()
    base = tracemalloc.get_traced_memory()[0]
    r = fn()
    peak = tracemalloc.get_traced_memory()[1] - base
    del r
    tracemalloc.stop()
    return peak


def _pair():
    rng = np.random.default_rng(0)
    x, y = rng.random(N), rng.random(N)
    return x, y, sx.asarray(x, device="cpu"), sx.asarray(y, device="cpu")


def test_calibrated_on_this_interpreter():
    """CPython 3.11 (CI's) tells a temporary operand from a named one by reference count;
    on an interpreter where that fails, elision is off and only peak memory changes."""
    if sys.implementation.name == "cpython" and sys.version_info[:2] == (3, 11):
        assert _elision._COUNTS is not None


def test_chains_use_one_temporary_like_numpy():
    x, y, a, b = _pair()
    expected = (x * 2 + y) / 3
    np.testing.assert_array_equal(np.asarray((a * 2 + b) / 3), expected)
    np.testing.assert_array_equal(np.asarray(3.0 / (2 * (a + b) + b)), 3.0 / (2 * (x + y) + y))
    np.testing.assert_array_equal(np.asarray(y + (a - b) * b), y + (x - y) * y)
    if _elision._COUNTS is not None:
        numpy_peak = _peak(lambda: (x * 2 + y) / 3)
        storax_peak = _peak(lambda: (a * 2 + b) / 3)
        assert storax_peak <= numpy_peak * 1.05
        assert storax_peak < 1.5 * x.nbytes  # one result buffer, no second temporary


def test_named_arrays_and_their_views_are_never_overwritten():
    x, y, a, b = _pair()
    t = a * 2
    _ = t + b
    np.testing.assert_array_equal(np.asarray(t), x * 2)
    v = (a * 2)[::2]  # a view keeps the temporary's buffer alive
    _ = v + 1.0
    np.testing.assert_array_equal(np.asarray(v), (x * 2)[::2])
    kept = [a * 2]
    _ = kept[0] + 1.0
    np.testing.assert_array_equal(np.asarray(kept[0]), x * 2)
    s = a * 2
    storage = s.storage()
    _ = s + 1.0
    assert storage[0] == x[0] * 2
    n = np.asarray(a * 2)  # the NumPy value handed out keeps it alive too
    np.testing.assert_array_equal(n, x * 2)
    assert a.tolist()[:3] == x.tolist()[:3] and b.tolist()[:3] == y.tolist()[:3]


def test_operands_held_by_c_code_are_never_overwritten():
    x, y, a, b = _pair()
    # builtins and operator functions call the operators from C: no elision
    r = functools.reduce(operator.add, [a * 2, b, b])
    np.testing.assert_array_equal(np.asarray(r), x * 2 + y + y)
    r = sum([b, b], start=a * 2)
    np.testing.assert_array_equal(np.asarray(r), x * 2 + y + y)
    first = a * 2
    r = operator.add(first, b)
    np.testing.assert_array_equal(np.asarray(first), x * 2)


def test_results_that_change_dtype_or_shape_get_new_memory():
    x = np.arange(N, dtype=np.int64)
    a = sx.asarray(x, device="cpu")
    r = (a * 2) / 3  # int64 -> float64: cannot reuse
    assert r.dtype == sx.float64
    np.testing.assert_array_equal(np.asarray(r), (x * 2) / 3)
    grid = np.arange(N, dtype=np.float64).reshape(N // 2, 2)
    m = sx.asarray(grid, device="cpu")
    col = sx.asarray(np.ones((N // 2, 1)), device="cpu")
    r = (m * 2) + col  # broadcasting into the temporary's shape: allowed
    np.testing.assert_array_equal(np.asarray(r), grid * 2 + 1)
    row = (sx.asarray(np.ones((1, 2)), device="cpu") * 2) + m  # too small to hold it
    np.testing.assert_array_equal(np.asarray(row), 2 + grid)
    z = (a * 2) + 1.5  # int64 + float: promotes, new memory
    assert z.dtype == sx.float64 and float(z[1]) == 3.5
