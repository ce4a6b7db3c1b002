"""Creation and data-type functions beyond the official suite: copy/sharing semantics,
storax's default dtypes (float32, as PyTorch), and errors that name the function."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import storax as sx

# JAX device memory is never shared with NumPy: asarray copies host data there.
ON_JAX = sx.get_backend() == "jax"
# Off the NumPy backend, host data given to asarray is copied to the device.
COPIES_HOST = sx.get_backend() != "numpy"

# ------------------------------------------------------------------------- asarray


def test_asarray_default_dtypes():
    assert sx.asarray(1.5).dtype == sx.float32
    assert sx.asarray([1.0, 2.0]).dtype == sx.float32
    assert sx.asarray([1, 2]).dtype == sx.int64
    assert sx.asarray(True).dtype == sx.bool
    assert sx.asarray(1j).dtype == sx.complex64
    assert sx.asarray([[1, 2.5]]).dtype == sx.float32
    sx.set_default_dtype(sx.float64)
    assert sx.asarray(1.5).dtype == sx.float64
    assert sx.asarray(1j).dtype == sx.complex128


def test_asarray_keeps_numpy_dtype():
    assert sx.asarray(np.ones(2, dtype=np.float64)).dtype == sx.float64
    assert sx.asarray(np.float64(1.0)).dtype == sx.float64


def test_asarray_copy_semantics_with_storax_arrays():
    x = sx.arange(3)
    assert sx.asarray(x).storage() is x.storage()
    assert sx.asarray(x, copy=False).storage() is x.storage()
    y = sx.asarray(x, copy=True)
    assert y.storage() is not x.storage()
    y[0] = 10
    assert int(x[0]) == 0
    with pytest.raises(ValueError, match="asarray.*copy=False"):
        sx.asarray(x, dtype=sx.float64, copy=False)
    assert sx.asarray(x, dtype=sx.float64).dtype == sx.float64


def test_asarray_copy_semantics_with_numpy():
    n = np.arange(3.0)
    x = sx.asarray(n)
    n[0] = 7.0
    assert float(x[0]) == (0.0 if COPIES_HOST else 7.0)
    y = sx.asarray(n, copy=True)
    n[1] = 8.0
    assert float(y[1]) == 1.0
    if COPIES_HOST:
        with pytest.raises(ValueError, match="asarray.*copy=False"):
            sx.asarray(n, copy=False)
        return
    z = sx.asarray(n, copy=False)
    n[2] = 9.0
    assert float(z[2]) == 9.0


def test_asarray_buffer_protocol_shares():
    buf = bytearray(8)
    if COPIES_HOST:
        assert sx.asarray(buf).dtype == sx.uint8
        with pytest.raises(ValueError, match="asarray.*copy=False"):
            sx.asarray(buf, copy=False)
        return
    x = sx.asarray(buf, copy=False)
    assert x.dtype == sx.uint8
    buf[0] = 3
    assert int(x[0]) == 3


@pytest.mark.parametrize("obj", [[1, 2], 3, (1.0,)])
def test_asarray_copy_false_of_python_objects_raises(obj):
    with pytest.raises(ValueError, match="asarray"):
        sx.asarray(obj, copy=False)


def test_asarray_errors():
    with pytest.raises(TypeError, match="asarray"):
        sx.asarray(object())
    with pytest.raises(TypeError, match="asarray"):
        sx.asarray(1.5, dtype=sx.int32)
    with pytest.raises(TypeError, match="asarray"):
        sx.asarray(1j, dtype=sx.float64)
    with pytest.raises(OverflowError, match="asarray"):
        sx.asarray(300, dtype=sx.int8)
    with pytest.raises(TypeError, match="asarray"):
        sx.asarray([1], dtype="float16")
    with pytest.raises(ValueError, match="asarray"):
        sx.asarray([[1, 2], [3]])
    with pytest.raises(ValueError, match="asarray"):
        sx.asarray([1], copy="yes")


def test_asarray_byteswapped_numpy():
    n = np.arange(3, dtype=">i4")
    x = sx.asarray(n)
    assert x.dtype == sx.int32 and x.tolist() == [0, 1, 2]
    with pytest.raises(ValueError, match="copy=False"):
        sx.asarray(n, copy=False)


def test_from_numpy_shares_memory():
    n = np.zeros(3, dtype=np.float32)
    x = sx.from_numpy(n)
    x[0] = 5.0
    assert n[0] == 5.0
    with pytest.raises(TypeError, match="from_numpy"):
        sx.from_numpy([1, 2])


# ------------------------------------------------------------------ filled arrays


@pytest.mark.parametrize("func", [sx.zeros, sx.ones, sx.empty])
def test_filled_defaults_and_shapes(func):
    assert func(3).dtype == sx.float32
    assert func((2, 3)).shape == (2, 3)
    assert func([2, 3]).shape == (2, 3)
    assert func(()).shape == ()
    assert func(np.int64(2)).shape == (2,)
    assert func(2, dtype=sx.int8).dtype == sx.int8
    name = func.__name__
    with pytest.raises(ValueError, match=name):
        func((2, -1))
    with pytest.raises(TypeError, match=name):
        func((2.0,))
    with pytest.raises(TypeError, match=name):
        func(True)
    with pytest.raises(TypeError, match=name):
        func(2, dtype="float16")
    with pytest.raises(ValueError, match=name):
        func(2, device="jax:gpu:99")


def test_full_dtypes_and_errors():
    assert sx.full(2, 1.5).dtype == sx.float32
    assert sx.full(2, 3).dtype == sx.int64
    assert sx.full(2, True).dtype == sx.bool
    assert sx.full(2, 1j).dtype == sx.complex64
    assert sx.full(2, sx.asarray(2, dtype=sx.int8)).dtype == sx.int8
    assert sx.full((2,), 7, dtype=sx.uint8).tolist() == [7, 7]
    with pytest.raises(TypeError, match="full"):
        sx.full(2, 1.5, dtype=sx.int32)
    with pytest.raises(OverflowError, match="full"):
        sx.full(2, 256, dtype=sx.uint8)
    with pytest.raises(TypeError, match="full"):
        sx.full(2, "a")
    with pytest.raises(ValueError, match="full"):
        sx.full(2, sx.ones(2))


def test_like_functions():
    x = sx.ones((2, 3), dtype=sx.int16)
    for f in (sx.zeros_like, sx.ones_like, sx.empty_like):
        y = f(x)
        assert y.shape == (2, 3) and y.dtype == sx.int16
        assert y.storage() is not x.storage()
        assert f(x, dtype=sx.float64).dtype == sx.float64
        with pytest.raises(TypeError, match=f.__name__):
            f(np.ones(2))
    assert sx.full_like(x, 4).tolist() == [[4] * 3] * 2
    assert sx.full_like(x, 2.5, dtype=sx.float64).dtype == sx.float64
    with pytest.raises(TypeError, match="full_like"):
        sx.full_like(x, 2.5)
    with pytest.raises(OverflowError, match="full_like"):
        sx.full_like(x, 2**20)
    with pytest.raises(ValueError, match="full_like"):
        sx.full_like(x, sx.ones(2))


# ---------------------------------------------------------------- ranges and grids


def test_arange():
    assert sx.arange(5).dtype == sx.int64
    assert sx.arange(5).tolist() == [0, 1, 2, 3, 4]
    assert sx.arange(1, 2, 0.25).dtype == sx.float32
    assert sx.arange(1, 2, 0.25).tolist() == [1.0, 1.25, 1.5, 1.75]
    assert sx.arange(5, 0, -2).tolist() == [5, 3, 1]
    assert sx.arange(0, 1, 0.1, dtype=sx.float64).shape == (10,)
    with pytest.raises(ValueError, match="arange"):
        sx.arange(0, 5, 0)
    with pytest.raises(TypeError, match="arange"):
        sx.arange(0.5, dtype=sx.int32)
    with pytest.raises(TypeError, match="arange"):
        sx.arange("5")
    with pytest.raises(TypeError, match="arange"):
        sx.arange(True)


@given(
    st.floats(-100, 100),
    st.floats(-100, 100),
    st.floats(0.01, 10) | st.floats(-10, -0.01),
)
def test_arange_float32_length_matches_spec(start, stop, step):
    # The spec: the length is ceil((stop - start) / step), also for float32 results.
    out = sx.arange(start, stop, step)
    assert out.dtype == sx.float32
    assert out.shape == (max(0, int(np.ceil((stop - start) / step))),)


def test_linspace():
    x = sx.linspace(0, 1, 5)
    assert x.dtype == sx.float32 and x.tolist() == [0.0, 0.25, 0.5, 0.75, 1.0]
    assert sx.linspace(0, 1, 4, endpoint=False).tolist() == [0.0, 0.25, 0.5, 0.75]
    assert sx.linspace(0, 1j, 3).dtype == sx.complex64
    assert sx.linspace(0, 1, np.int64(3)).shape == (3,)
    with pytest.raises(TypeError, match="linspace"):
        sx.linspace(0, 1, 2.0)
    with pytest.raises(ValueError, match="linspace"):
        sx.linspace(0, 1, -1)
    with pytest.raises(TypeError, match="linspace"):
        sx.linspace(0, 1, 3, dtype=sx.int32)
    with pytest.raises(TypeError, match="linspace"):
        sx.linspace(0, 1j, 3, dtype=sx.float64)


def test_eye():
    assert sx.eye(2).dtype == sx.float32
    assert sx.eye(2, 3, k=1).tolist() == [[0, 1, 0], [0, 0, 1]]
    assert sx.eye(np.int64(2)).shape == (2, 2)
    with pytest.raises(TypeError, match="eye"):
        sx.eye(2.0)
    with pytest.raises(TypeError, match="eye"):
        sx.eye(2, k=True)
    with pytest.raises(ValueError, match="eye"):
        sx.eye(-1)


def test_meshgrid_versions():
    a, b = sx.arange(3), sx.arange(2)
    out = sx.meshgrid(a, b)
    assert isinstance(out, tuple)
    assert out[0].shape == (2, 3)
    assert sx.meshgrid(a, b, indexing="ij")[0].shape == (3, 2)
    with sx.api_version("2024.12"):
        assert isinstance(sx.meshgrid(a, b), list)
    assert sx.meshgrid() == ()
    with pytest.raises(ValueError, match="meshgrid"):
        sx.meshgrid(a, indexing="xz")
    with pytest.raises(TypeError, match="meshgrid"):
        sx.meshgrid(a, sx.arange(2, dtype=sx.int8))
    with pytest.raises(ValueError, match="meshgrid"):
        sx.meshgrid(sx.ones((2, 2)))


def test_tril_triu():
    x = sx.ones((3, 3), dtype=sx.int32)
    assert sx.tril(x).tolist() == [[1, 0, 0], [1, 1, 0], [1, 1, 1]]
    assert sx.triu(x, k=1).tolist() == [[0, 1, 1], [0, 0, 1], [0, 0, 0]]
    assert sx.tril(x).storage() is not x.storage()
    with pytest.raises(ValueError, match="tril"):
        sx.tril(sx.ones(3))
    with pytest.raises(TypeError, match="triu"):
        sx.triu(x, k=1.0)


# ---------------------------------------------------------------- data type functions


def test_astype_copy_semantics():
    x = sx.arange(3, dtype=sx.int32)
    assert sx.astype(x, sx.int32, copy=False) is x
    y = sx.astype(x, sx.int32)
    assert y.storage() is not x.storage()
    assert sx.astype(x, sx.float64).dtype == sx.float64


def test_astype_complex_to_real_is_refused():
    with pytest.raises(TypeError, match="astype"):
        sx.astype(sx.asarray([1 + 2j]), sx.float64)
    assert sx.astype(sx.asarray([1 + 2j]), sx.complex128).dtype == sx.complex128


def test_astype_out_of_range_float_does_not_warn():
    # pyproject turns warnings into errors: NumPy's "invalid value in cast" must not leak.
    out = sx.astype(sx.asarray([np.nan, 1e30], dtype=sx.float64), sx.int32)
    assert out.dtype == sx.int32
    assert sx.astype(sx.asarray([1e300], dtype=sx.float64), sx.float32).tolist() == [np.inf]


def test_astype_errors():
    # NumPy arrays are accepted, as by every function that takes arrays
    assert sx.astype(np.ones(2), sx.float32).dtype == sx.float32
    with pytest.raises(TypeError, match="astype"):
        sx.astype([1.0], sx.float32)
    with pytest.raises(TypeError, match="astype"):
        sx.astype(sx.ones(2), "float16")


@pytest.mark.parametrize(
    ("from_", "to", "expected"),
    [
        (sx.int8, sx.int16, True),
        (sx.int16, sx.int8, False),
        (sx.uint8, sx.int16, True),
        (sx.uint64, sx.int64, False),
        (sx.float32, sx.float64, True),
        (sx.float64, sx.float32, False),
        (sx.float32, sx.complex64, True),
        (sx.complex64, sx.float64, False),
        (sx.bool, sx.bool, True),
        (sx.int64, sx.float32, False),
    ],
)
def test_can_cast(from_, to, expected):
    assert sx.can_cast(from_, to) is expected
    assert sx.can_cast(sx.ones(1, dtype=from_), to) is expected


def test_finfo_iinfo():
    f = sx.finfo(sx.float32)
    assert f.bits == 32 and f.dtype == sx.float32 and isinstance(f.eps, float)
    assert sx.finfo(sx.complex128).dtype == sx.float64
    assert sx.finfo(sx.ones(1)).bits == 32
    i = sx.iinfo(sx.uint8)
    assert (i.bits, i.min, i.max, i.dtype) == (8, 0, 255, sx.uint8)
    with pytest.raises(TypeError, match="finfo"):
        sx.finfo(sx.int32)
    with pytest.raises(TypeError, match="iinfo"):
        sx.iinfo(sx.float32)


def test_isdtype():
    assert sx.isdtype(sx.int8, "signed integer")
    assert sx.isdtype(sx.uint8, ("bool", "integral"))
    assert not sx.isdtype(sx.float32, "complex floating")
    assert sx.isdtype(sx.float32, sx.float32)
    assert not sx.isdtype(sx.bool, "numeric")
    with pytest.raises(ValueError, match="isdtype"):
        sx.isdtype(sx.int8, "integer")
    with pytest.raises(TypeError, match="isdtype"):
        sx.isdtype("int8x", "numeric")


def test_result_type():
    assert sx.result_type(sx.int8, sx.int16) == sx.int16
    assert sx.result_type(sx.ones(1, dtype=sx.uint8), sx.int8) == sx.int16
    assert sx.result_type(sx.float32, sx.complex64, sx.float64) == sx.complex128
    # Python scalars take the dtype they meet when the kind fits ...
    assert sx.result_type(sx.int8, 1) == sx.int8
    assert sx.result_type(sx.float32, 1.0, 1, True) == sx.float32
    assert sx.result_type(sx.float64, 1j) == sx.complex128
    assert sx.result_type(sx.float32, 1j) == sx.complex64
    # ... and storax's defaults (PyTorch's) where it does not
    assert sx.result_type(sx.int8, 1.0) == sx.float32
    assert sx.result_type(sx.bool, 1) == sx.int64
    assert sx.result_type(sx.int16, 1j) == sx.complex64
    with pytest.raises(ValueError, match="result_type"):
        sx.result_type()
    with pytest.raises(ValueError, match="result_type"):
        sx.result_type(1, 2.0)
    with pytest.raises(TypeError, match="result_type"):
        sx.result_type("float16", sx.int8)
