"""Functions beyond the standard (storax._extension_functions): NumPy's values, storax's
validation, on the backend chosen by ``STORAX_BACKEND``."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import storax as sx

N = np.array([[1.0, np.nan, 3.0, -2.0], [np.nan, np.nan, 5.0, 0.5], [4.0, 2.0, -1.0, 7.0]])
F = np.array([[3.0, 1.0, 4.0, 1.5], [5.0, 9.0, 2.0, 6.0], [5.0, 3.0, 5.0, 8.0]])


def _same(result, expected, dtype=True):
    assert isinstance(result, sx.Array) and result.device == sx.asarray(0).device
    got = np.asarray(result)
    if dtype:
        assert got.dtype == np.asarray(expected).dtype, (got.dtype, np.asarray(expected).dtype)
    rtol = 1e-6 if got.dtype == np.float32 else 1e-12  # float32 sums in another order on JAX
    np.testing.assert_allclose(got, expected, rtol=rtol, equal_nan=True)


@pytest.mark.parametrize("name", ["nansum", "nanprod", "nanmean", "nanmax", "nanmin"])
@pytest.mark.parametrize("axis", [None, 0, 1, (0, 1)])
@pytest.mark.parametrize("keepdims", [False, True])
def test_nan_reductions(name, axis, keepdims):
    _same(getattr(sx, name)(sx.asarray(N), axis=axis, keepdims=keepdims),
          getattr(np, name)(N, axis=axis, keepdims=keepdims))  # fmt: skip


@pytest.mark.parametrize("name", ["nanstd", "nanvar"])
@pytest.mark.parametrize("axis", [None, 0, 1])
@pytest.mark.parametrize("correction", [0, 1])
def test_nan_variance(name, axis, correction):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # NumPy's "Degrees of freedom <= 0"
        expected = getattr(np, name)(N, axis=axis, ddof=correction)
    _same(getattr(sx, name)(sx.asarray(N), axis=axis, correction=correction), expected)


def test_all_nan_slices():
    x = sx.asarray(np.array([[np.nan, np.nan], [1.0, 2.0]]))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        for name in ("nanmax", "nanmin", "nanmean", "nanmedian"):
            _same(getattr(sx, name)(x, axis=1), getattr(np, name)(np.asarray(x), axis=1))
    with pytest.raises(ValueError, match="nanargmax: all-NaN slice"):
        sx.nanargmax(x, axis=1)


@pytest.mark.parametrize("name", ["nanargmax", "nanargmin"])
def test_nan_arg_reductions(name):
    _same(getattr(sx, name)(sx.asarray(N)), getattr(np, name)(N))
    _same(getattr(sx, name)(sx.asarray(N), axis=0), getattr(np, name)(N, axis=0))


def test_nancumsum_and_dtypes():
    _same(sx.nancumsum(sx.asarray(N), axis=1), np.nancumsum(N, axis=1))
    _same(sx.nancumsum(sx.asarray(N[0])), np.nancumsum(N[0]))
    _same(sx.nansum(sx.asarray(N), dtype=sx.float32), np.nansum(N, dtype=np.float32))
    _same(sx.nansum(sx.asarray([1, 2, 3])), np.nansum(np.array([1, 2, 3])))
    _same(sx.mean(sx.asarray(F), axis=0, dtype=sx.float32), np.mean(F, axis=0, dtype=np.float32))
    _same(sx.sum(sx.asarray(F), dtype=sx.float32), np.sum(F, dtype=np.float32))
    with pytest.raises(TypeError, match="mean: dtype must be a floating-point dtype"):
        sx.mean(sx.asarray(F), dtype=sx.int64)


@pytest.mark.parametrize("method", ["linear", "lower", "higher", "nearest", "midpoint"])
@pytest.mark.parametrize("axis", [None, 0, 1])
def test_quantile(method, axis):
    for q in (0.3, [0.0, 0.25, 0.5, 1.0]):
        _same(sx.quantile(sx.asarray(F), q, axis=axis, method=method),
              np.quantile(F, q, axis=axis, method=method))  # fmt: skip
        _same(sx.nanquantile(sx.asarray(N), q, axis=axis, method=method),
              np.nanquantile(N, q, axis=axis, method=method))  # fmt: skip


def test_median():
    for axis in (None, 0, 1, (0, 1)):
        _same(sx.median(sx.asarray(F), axis=axis), np.median(F, axis=axis))
        _same(sx.median(sx.asarray(F), axis=axis, keepdims=True),
              np.median(F, axis=axis, keepdims=True))  # fmt: skip
        _same(sx.median(sx.asarray(N), axis=axis), np.median(N, axis=axis))
    _same(sx.nanmedian(sx.asarray(N), axis=0), np.nanmedian(N, axis=0))
    _same(sx.median(sx.asarray([3, 1, 2, 8])), np.median(np.array([3, 1, 2, 8])))


def test_quantile_errors():
    with pytest.raises(ValueError, match="quantile: quantiles must be in the range"):
        sx.quantile(sx.asarray(F), 1.5)
    with pytest.raises(ValueError, match="quantile: method must be one of"):
        sx.quantile(sx.asarray(F), 0.5, method="weibull")
    with pytest.raises(TypeError, match="median: expected an array of real-valued"):
        sx.median(sx.asarray([1j, 2j]))


def test_bincount():
    x = np.array([0, 1, 1, 3, 7, 3])
    w = np.array([0.5, 1.0, 2.0, -1.0, 0.25, 3.0])
    _same(sx.bincount(sx.asarray(x)), np.bincount(x))
    _same(sx.bincount(sx.asarray(x), minlength=10), np.bincount(x, minlength=10))
    _same(sx.bincount(sx.asarray(x), sx.asarray(w)), np.bincount(x, w))
    _same(sx.bincount(sx.asarray(np.zeros(0, dtype=np.int64)), minlength=2),
          np.bincount(np.zeros(0, dtype=np.int64), minlength=2))  # fmt: skip
    with pytest.raises(ValueError, match="bincount: the input must be non-negative"):
        sx.bincount(sx.asarray([1, -1]))
    with pytest.raises(TypeError, match="bincount: expected an array of integer"):
        sx.bincount(sx.asarray([1.0]))
    with pytest.raises(ValueError, match="bincount: expected a 1-D array"):
        sx.bincount(sx.asarray([[1]]))


@pytest.mark.parametrize("mode", ["constant", "edge", "reflect", "symmetric", "wrap"])
@pytest.mark.parametrize("width", [1, (2, 3), ((1, 0), (5, 2))])
def test_pad(mode, width):
    _same(sx.pad(sx.asarray(F), width, mode=mode), np.pad(F, width, mode=mode))


def test_pad_constant_values_and_errors():
    _same(sx.pad(sx.asarray(F), ((1, 1), (2, 0)), constant_values=((7, 8), (9, 0))),
          np.pad(F, ((1, 1), (2, 0)), constant_values=((7, 8), (9, 0))))  # fmt: skip
    _same(sx.pad(sx.asarray([1, 2]), 2, constant_values=5), np.pad([1, 2], 2, constant_values=5))
    with pytest.raises(ValueError, match="pad: mode must be one of"):
        sx.pad(sx.asarray(F), 1, mode="mean")
    with pytest.raises(ValueError, match="pad: pad widths must be non-negative"):
        sx.pad(sx.asarray(F), -1)


def test_extensions_are_exported_but_not_spec_names():
    import json
    import pathlib

    path = pathlib.Path(__file__).parents[1] / "conformance" / "spec_names.json"
    spec = json.loads(path.read_text())
    names = {n for chapters in spec.values() for ns in chapters.values() for n in ns}
    assert "sum" in names
    for name in sx._extension_functions.__all__:
        assert name in sx.__all__ and name not in names


def test_numpy_functions_dispatch_to_extensions():
    _same(np.nansum(sx.asarray(N), axis=0), np.nansum(N, axis=0))
    _same(np.nanmean(sx.asarray(N)), np.nanmean(N))
    _same(np.percentile(sx.asarray(F), [10, 90], axis=1), np.percentile(F, [10, 90], axis=1))
    _same(np.median(sx.asarray(F), axis=0), np.median(F, axis=0))
    _same(np.pad(sx.asarray(F), 1, mode="reflect"), np.pad(F, 1, mode="reflect"))
    _same(np.bincount(sx.asarray([0, 2, 2])), np.bincount([0, 2, 2]))


def test_pad_widths_must_be_integers_not_bools():
    with pytest.raises(TypeError, match="^pad: "):
        sx.pad(sx.ones(2), True)
    with pytest.raises(TypeError, match="^pad: "):
        sx.pad(sx.ones(2), 1.5)


@pytest.mark.parametrize("name", ["nanstd", "nanvar"])
def test_nan_variance_takes_numpys_keywords(name):
    # xarray calls xp.nanvar(values, axis=..., dtype=..., ddof=...) with NumPy's keywords
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        expected = getattr(np, name)(N, axis=0, ddof=1, dtype=np.float32)
    _same(getattr(sx, name)(sx.asarray(N), axis=0, ddof=1, dtype=sx.float32), expected)
    ints = np.arange(12).reshape(3, 4)
    _same(getattr(sx, name)(sx.asarray(ints), dtype=sx.float64), getattr(np, name)(ints))
    with pytest.raises(TypeError, match=f"{name}: give correction or ddof"):
        getattr(sx, name)(sx.asarray(N), correction=1, ddof=1)
    with pytest.raises(TypeError, match=f"{name}: dtype must be a floating-point"):
        getattr(sx, name)(sx.asarray(N), dtype=sx.int64)


def test_quantiles_take_q_by_keyword():
    _same(sx.nanquantile(sx.asarray(N), q=0.25, axis=1), np.nanquantile(N, q=0.25, axis=1))
    _same(sx.quantile(sx.asarray(F), q=[0.5, 0.9]), np.quantile(F, q=[0.5, 0.9]))


@pytest.mark.parametrize(
    ("window", "axis"), [(2, None), ((2, 3), None), (3, 1), ((2, 2), (1, 1)), (1, 0)]
)
def test_sliding_window_view(window, axis):
    if axis is None and isinstance(window, int):
        ref = np.arange(6.0)
        x = sx.asarray(ref)
    else:
        x, ref = sx.asarray(F), F
    w = sx.lib.stride_tricks.sliding_window_view(x, window, axis=axis)
    expected = np.lib.stride_tricks.sliding_window_view(ref, window, axis=axis)
    _same(w, expected)
    assert w.storage() is x.storage()  # a view
    assert w.stride() == tuple(s // ref.itemsize for s in expected.strides)


def test_sliding_windows_that_overlap_are_read_only():
    x = sx.arange(5.0)
    with pytest.raises(ValueError):
        sx.lib.stride_tricks.sliding_window_view(x, 2)[0, 0] = 1.0
    ones = sx.lib.stride_tricks.sliding_window_view(x, 1)
    ones[2, 0] = -1.0  # windows of one element do not overlap: a writeable view
    assert x[2].item() == -1.0


def test_sliding_window_view_errors():
    f = sx.lib.stride_tricks.sliding_window_view
    with pytest.raises(ValueError, match="sliding_window_view: window 7 is larger"):
        f(sx.arange(5.0), 7)
    with pytest.raises(ValueError, match="sliding_window_view: window_shape .* one entry"):
        f(sx.asarray(F), 2)
    with pytest.raises(ValueError, match="sliding_window_view: window_shape cannot contain"):
        f(sx.arange(5.0), -1)
    with pytest.raises(TypeError, match="sliding_window_view: window_shape entries"):
        f(sx.arange(5.0), 2.0)
    with pytest.raises(IndexError, match="sliding_window_view: axis 2"):
        f(sx.asarray(F), 2, axis=2)
