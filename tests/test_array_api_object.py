"""The Array object beyond what the official suite checks: views from indexing, writes,
errors that name the method, conversions, DLPack, the inspection API and version pinning."""

from __future__ import annotations

import math
import operator

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import storax as sx
from _devices import default_dev, np_from_dlpack, on_host

# JAX device memory is never shared with NumPy: exports and imports are snapshots there.
ON_JAX = sx.get_backend() == "jax"


def _grid():
    return sx.reshape(sx.arange(12, dtype=sx.float64), (3, 4))


# --------------------------------------------------------------------------- indexing


@pytest.mark.parametrize(
    "key",
    [
        1,
        slice(1, 3),
        (1, 2),
        (slice(None), 2),
        (Ellipsis, 1),
        (None, 1),
        (1, slice(None, None, -1)),
    ],
    ids=repr,
)
def test_basic_index_is_a_view(key):
    x = _grid()
    v = x[key]
    assert v.storage() is x.storage()
    v[...] = -1.0
    assert np.all(x.numpy()[key] == -1.0)


def test_full_integer_index_is_a_0d_view():
    x = _grid()
    v = x[1, 2]
    assert isinstance(v, sx.Array)
    assert v.shape == ()
    assert v.storage() is x.storage()
    assert v.storage_offset() == 6
    v[()] = 100.0
    assert float(x[1, 2]) == 100.0


def test_int_index_of_1d_is_a_0d_view():
    x = sx.arange(5)
    v = x[3]
    assert v.shape == () and v.storage() is x.storage()


def test_empty_tuple_and_ellipsis_on_0d():
    x = sx.asarray(3.0)
    assert x[()].shape == () and x[...].shape == ()
    assert x[()].storage() is x.storage()


@pytest.mark.parametrize(
    "make_key", [lambda: sx.asarray([0, 2]), lambda: sx.asarray([True, False, True])]
)
def test_array_index_is_a_copy(make_key):
    x = _grid()
    y = x[make_key()]
    y[...] = -5.0
    assert not np.any(x.numpy() == -5.0)


def test_0d_integer_array_index_equals_int():
    x = _grid()
    j = sx.asarray(2)
    assert float(x[1, j]) == float(x[1, 2])
    assert x[j].shape == (4,)
    # ... and so it stays a view, as x[2] is
    assert x[j].storage() is x.storage()


def test_integer_array_indexing_broadcasts():
    x = _grid()
    out = x[sx.asarray([[0], [2]]), sx.asarray([1, 3])]
    assert out.shape == (2, 2)
    assert out.tolist() == [[1.0, 3.0], [9.0, 11.0]]


def test_boolean_mask():
    x = _grid()
    out = x[x > 5.0]
    assert out.tolist() == [6.0, 7.0, 8.0, 9.0, 10.0, 11.0]
    assert x[sx.asarray(True)].shape == (1, 3, 4)
    assert x[sx.asarray(False)].shape == (0, 3, 4)


@pytest.mark.parametrize(
    "key",
    [5, (0, 4), (0, 0, 0), (Ellipsis, Ellipsis)],
    ids=repr,
)
def test_bad_index_raises_index_error_naming_method(key):
    x = _grid()
    with pytest.raises(IndexError, match="__getitem__"):
        x[key]
    with pytest.raises(IndexError, match="__setitem__"):
        x[key] = 1.0


def test_float_array_index_rejected():
    x = _grid()
    with pytest.raises(IndexError, match="__getitem__.*integer or bool"):
        x[sx.asarray([0.0, 1.0])]
    with pytest.raises(IndexError, match="__getitem__"):
        x["a"]


def test_mask_of_wrong_shape_raises_index_error():
    x = _grid()
    with pytest.raises(IndexError):
        x[sx.ones((2, 4), dtype=sx.bool)]


def test_index_with_numpy_integer_keeps_0d_array():
    x = _grid()
    out = x[np.int64(1), np.int32(2)]
    assert isinstance(out, sx.Array) and out.shape == ()


def test_iteration_yields_0d_views():
    x = sx.arange(3)
    items = list(x)
    assert [i.shape for i in items] == [(), (), ()]
    assert all(i.storage() is x.storage() for i in items)
    with pytest.raises(TypeError):
        iter(sx.asarray(1))


# ---------------------------------------------------------------------------- setitem


def test_setitem_writes_through_views_into_storage():
    x = _grid()
    row = x[1]
    row[2] = 42.0
    assert float(x[1, 2]) == 42.0
    x[:, 0] = sx.asarray([7.0, 8.0, 9.0])
    assert x[:, 0].tolist() == [7.0, 8.0, 9.0]


def test_setitem_bumps_storage_version():
    x = _grid()
    st_ = x.storage()
    v0 = st_.version
    x[0, 0] = 5.0
    assert st_.version > v0


def test_setitem_broadcast_view_is_read_only():
    x = sx.broadcast_to(sx.asarray([1.0, 2.0]), (3, 2))
    with pytest.raises(ValueError, match="__setitem__.*read-only"):
        x[0, 0] = 5.0


@pytest.mark.parametrize(
    ("shape", "key", "value_shape"),
    [
        ((5,), slice(1, 4), (1, 3)),
        ((5,), 1, (1,)),
        ((2, 5), (slice(None), slice(1, 4)), (1, 2, 3)),
        ((5,), "index", (1, 2)),
        ((5,), "mask", (1, 2)),
    ],
)
def test_setitem_value_with_more_dimensions_raises(shape, key, value_shape):
    """The standard's broadcasting on every backend: a value broadcasts to the selection's
    shape, so leading 1s beyond its dimensions are an error (NumPy itself drops them)."""
    if key == "index":
        key = sx.asarray([0, 2])
    elif key == "mask":
        key = sx.asarray([True, False, True, False, False])
    x = sx.zeros(shape)
    for value in (sx.ones(value_shape), np.ones(value_shape).tolist()):
        with pytest.raises(ValueError, match="__setitem__: a value of shape .* cannot be"):
            x[key] = value
    assert not sx.any(x)
    x[key] = sx.ones(value_shape[1:])  # the value without its leading 1 is written
    assert sx.any(x)


@pytest.mark.parametrize(
    ("dtype", "value"),
    [(sx.int32, 1.5), (sx.bool, 0.5), (sx.float64, 1j), (sx.int8, 1j)],
)
def test_setitem_scalar_of_wrong_kind_raises_type_error(dtype, value):
    x = sx.zeros(3, dtype=dtype)
    with pytest.raises(TypeError, match="__setitem__"):
        x[0] = value


@pytest.mark.parametrize(
    ("dtype", "value_dtype"),
    [
        (sx.int8, sx.int16),
        (sx.float32, sx.float64),
        (sx.float64, sx.complex64),
        (sx.uint8, sx.int8),
        (sx.int64, sx.float32),
        (sx.bool, sx.int8),
    ],
)
def test_setitem_wider_value_is_cast(dtype, value_dtype):
    """Values whose dtype does not promote to the array's are cast, as NumPy casts them
    (the standard leaves it unspecified); complex into real raises."""
    x = sx.zeros(3, dtype=dtype)
    if value_dtype.kind == "c" and dtype.kind != "c":
        with pytest.raises(TypeError, match="__setitem__"):
            x[:] = sx.ones(3, dtype=value_dtype)
        return
    x[:] = sx.ones(3, dtype=value_dtype)
    assert x.dtype == dtype and x.tolist() == [1, 1, 1]


@pytest.mark.parametrize(
    ("dtype", "value_dtype"),
    [
        (sx.int16, sx.int8),
        (sx.float64, sx.float32),
        (sx.complex128, sx.float32),
        (sx.int16, sx.uint8),
        # not in the spec's table: integer values into floating-point arrays, as Python ints
        (sx.float32, sx.int64),
        (sx.complex64, sx.uint64),
        (sx.float32, sx.bool),
    ],
)
def test_setitem_array_that_promotes_is_accepted(dtype, value_dtype):
    x = sx.zeros(3, dtype=dtype)
    x[:] = sx.ones(3, dtype=value_dtype)
    assert x.dtype == dtype
    assert x.tolist() == [1, 1, 1]


def test_setitem_python_scalars_that_fit():
    x = sx.zeros(3, dtype=sx.float32)
    x[0] = 1
    x[1] = True
    x[2] = 2.5
    assert x.tolist() == [1.0, 1.0, 2.5]
    c = sx.zeros(1, dtype=sx.complex64)
    c[0] = 1 + 2j
    assert complex(c[0]) == 1 + 2j


def test_setitem_int_out_of_range_raises_overflow():
    x = sx.zeros(2, dtype=sx.int8)
    with pytest.raises(OverflowError, match="__setitem__"):
        x[0] = 300


def test_setitem_unsupported_value_type():
    x = sx.zeros(2)
    with pytest.raises(TypeError, match="__setitem__"):
        x[0] = "a"


def test_setitem_with_mask_and_integer_arrays():
    x = sx.arange(6, dtype=sx.int64)
    x[x > 3] = 0
    assert x.tolist() == [0, 1, 2, 3, 0, 0]
    x[sx.asarray([0, 1])] = sx.asarray([9, 8])
    assert x.tolist() == [9, 8, 2, 3, 0, 0]


@given(
    st.lists(st.integers(0, 4), min_size=1, max_size=3),
    st.lists(st.integers(-6, 6) | st.none(), min_size=3, max_size=3),
)
def test_getitem_matches_numpy(shape_ints, sl):
    shape = tuple(s + 1 for s in shape_ints)
    n = np.arange(math.prod(shape)).reshape(shape)
    x = sx.asarray(n)
    if sl[2] == 0:
        with pytest.raises(ValueError, match="__getitem__"):
            x[slice(*sl)]
        return
    key = (slice(*sl),) + (0,) * (len(shape) - 1)
    np.testing.assert_array_equal(x[key].numpy(), n[key])
    assert x[key].storage() is x.storage()


# ------------------------------------------------------------------ Python conversions


def test_scalar_conversions():
    assert bool(sx.asarray(0.0)) is False
    assert bool(sx.asarray(float("nan"))) is True
    assert bool(sx.asarray(0j + 1e-3j)) is True
    assert int(sx.asarray(-2.7)) == -2
    assert float(sx.asarray(True)) == 1.0
    assert complex(sx.asarray(2.0)) == 2 + 0j
    assert operator.index(sx.asarray(7, dtype=sx.uint8)) == 7
    assert [10, 20, 30][sx.asarray(1)] == 20


def test_scalar_conversion_errors():
    with pytest.raises(OverflowError):
        int(sx.asarray(float("inf")))
    with pytest.raises(ValueError):
        int(sx.asarray(float("nan")))
    with pytest.raises(TypeError, match="__int__"):
        int(sx.asarray(1j))
    with pytest.raises(TypeError, match="__float__"):
        float(sx.asarray(1j))
    with pytest.raises(TypeError, match="__index__"):
        operator.index(sx.asarray(1.0))
    with pytest.raises(TypeError, match="__index__"):
        operator.index(sx.asarray(True))
    with pytest.raises(ValueError, match="__bool__"):
        bool(sx.ones(2))
    with pytest.raises(TypeError, match="__int__"):
        int(sx.ones(2))


def test_len_and_hash():
    assert len(_grid()) == 3
    with pytest.raises(TypeError):
        len(sx.asarray(1))
    with pytest.raises(TypeError):
        hash(sx.asarray(1))


def test_array_cannot_be_constructed_directly():
    with pytest.raises(TypeError, match="asarray"):
        sx.Array([1, 2])


# ---------------------------------------------------------------------- storage model


def test_pytorch_storage_methods():
    points = sx.asarray([[4.0, 1.0], [5.0, 3.0], [2.0, 1.0]])
    second = points[1]
    assert second.storage_offset() == 2
    assert second.stride() == (1,)
    assert points.stride() == (2, 1)
    assert points.stride(0) == 2 and points.stride(-1) == 1
    t = points.t()
    assert t.storage() is points.storage() and t.stride() == (1, 2)
    assert points.transpose(0, 1).stride() == (1, 2)
    assert not t.is_contiguous()
    c = t.contiguous()
    assert c.is_contiguous() and c.storage() is not points.storage()
    v = points.view(6)
    assert v.storage() is points.storage() and v.shape == (6,)
    with pytest.raises(ValueError, match="view"):
        t.view(6)
    with pytest.raises(IndexError, match="stride"):
        points.stride(2)


def test_inplace_methods_write_through_views():
    x = sx.zeros((2, 3))
    row = x[1]
    row.add_(2.0).mul_(3.0)
    assert x.tolist() == [[0.0] * 3, [6.0] * 3]
    x.zero_()
    assert x.tolist() == [[0.0] * 3] * 2
    x[0].fill_(1.5)
    assert x[0].tolist() == [1.5] * 3
    x.copy_(sx.asarray([1.0, 2.0, 3.0]))
    assert x.tolist() == [[1.0, 2.0, 3.0]] * 2
    x.clamp_(min=1.5, max=2.5)
    assert x.tolist() == [[1.5, 2.0, 2.5]] * 2
    with pytest.raises(ValueError, match="read-only"):
        sx.broadcast_to(sx.asarray([1.0]), (3,)).add_(1.0)
    with pytest.raises(TypeError, match="add_"):
        sx.zeros(2, dtype=sx.int32).add_(1.5)


# ---------------------------------------------------------------------------- DLPack


def test_dlpack_device_enum():
    x = sx.ones(2)
    dev, idx = x.__dlpack_device__()
    if on_host(x):
        assert dev == 1 and idx == 0 and dev.name == "kDLCPU"
    else:  # a JAX GPU
        assert dev == 2 and dev.name == "kDLCUDA"


def test_dlpack_to_numpy_from_an_accelerator():
    x = sx.arange(3, dtype=sx.float64)
    if on_host(x):
        assert np.from_dlpack(x, device="cpu").tolist() == [0.0, 1.0, 2.0]
        return
    with pytest.raises(BufferError):  # NumPy cannot import GPU memory...
        np.from_dlpack(x)
    assert np.from_dlpack(x, device="cpu").tolist() == [0.0, 1.0, 2.0]  # ...but a copy
    with pytest.raises(BufferError, match="copy=False"):
        np.from_dlpack(x, device="cpu", copy=False)


def test_dlpack_shares_memory_with_numpy():
    x = sx.arange(4, dtype=sx.float64)
    n = np_from_dlpack(x)
    x[0] = 9.0
    # JAX: the export is a snapshot, which the (donated) write must leave intact.
    assert n[0] == (0.0 if ON_JAX else 9.0)
    assert n.tolist()[1:] == [1.0, 2.0, 3.0]


def test_dlpack_copy_true_does_not_share():
    x = sx.arange(4, dtype=sx.float64)
    n = np_from_dlpack(x, copy=True)
    x[0] = 9.0
    assert n[0] == 0.0


def test_dlpack_read_only_views():
    b = sx.broadcast_to(sx.asarray([1.0, 2.0]), (2, 2))
    # DLPack >= 1.0 can flag read-only memory: shared, no copy.
    b.__dlpack__(max_version=(1, 0), copy=False)
    # An old consumer gets a copy, or a BufferError when it forbids copies.
    b.__dlpack__()
    if ON_JAX:
        # A JAX view exports its (immutable) value: nothing to protect, no copy needed.
        assert np_from_dlpack(b).tolist() == [[1.0, 2.0], [1.0, 2.0]]
    else:
        with pytest.raises(BufferError, match="__dlpack__"):
            b.__dlpack__(copy=False)
    assert sx.from_dlpack(np.broadcast_to(np.arange(2.0), (2, 2))).shape == (2, 2)


def test_dlpack_bad_arguments():
    x = sx.ones(2)
    if on_host(x):
        with pytest.raises(ValueError, match="stream"):
            x.__dlpack__(stream=1)
        with pytest.raises(BufferError):
            x.__dlpack__(dl_device=(2, 0))
    with pytest.raises(BufferError):
        x.__dlpack__(dl_device=(10, 0))  # ROCm: not present


def test_from_dlpack_numpy_shares_and_copies():
    n = np.arange(3.0)
    x = sx.from_dlpack(n)
    if not ON_JAX:  # JAX may or may not share host memory; its arrays are read as values
        n[0] = 5.0
        assert float(x[0]) == 5.0
    y = sx.from_dlpack(n, copy=True)
    n[1] = 7.0
    assert float(y[1]) == 1.0
    z = sx.from_dlpack(x, device="cpu")
    assert z.device == "cpu"
    with pytest.raises(TypeError, match="from_dlpack"):
        sx.from_dlpack([1, 2])
    with pytest.raises(ValueError, match="from_dlpack"):
        sx.from_dlpack(n, device="gpu")


# ------------------------------------------------------------ namespace and inspection


def test_array_namespace_and_versions():
    x = sx.ones(2)
    assert x.__array_namespace__() is sx
    ns = x.__array_namespace__(api_version="2024.12")
    assert ns.__array_api_version__ == "2024.12"
    assert isinstance(ns.meshgrid(sx.ones(2)), list)
    info = ns.__array_namespace_info__()
    # The pinned version sticks to the info object, not just to the call that made it.
    assert isinstance(info.devices(), list)
    ns25 = x.__array_namespace__(api_version="2025.12")
    assert isinstance(ns25.__array_namespace_info__().devices(), tuple)
    with pytest.raises(ValueError, match="api_version"):
        x.__array_namespace__(api_version="2021.12")


def test_info_default_dtypes_follow_settings():
    info = sx.__array_namespace_info__()
    d = info.default_dtypes()
    assert d == {
        "real floating": sx.float32,
        "complex floating": sx.complex64,
        "integral": sx.int64,
        "indexing": sx.int64,
    }
    sx.set_default_dtype(sx.float64)
    assert info.default_dtypes()["real floating"] == sx.float64
    assert info.default_dtypes()["complex floating"] == sx.complex128


def test_info_dtypes_and_errors():
    info = sx.__array_namespace_info__()
    assert list(info.dtypes(kind="bool")) == ["bool"]
    assert set(info.dtypes(kind=("signed integer", "complex floating"))) == {
        "int8", "int16", "int32", "int64", "complex64", "complex128",
    }  # fmt: skip
    assert len(info.dtypes()) == 13
    with pytest.raises(ValueError, match="dtypes"):
        info.dtypes(kind="floating")
    with pytest.raises(TypeError, match="dtypes"):
        info.dtypes(kind=3)
    with pytest.raises(ValueError, match="info"):
        info.default_dtypes(device="jax:gpu:99")
    caps = info.capabilities()
    assert caps["boolean indexing"] and caps["data-dependent shapes"]
    assert info.default_device() == default_dev()


def test_constants():
    assert sx.e == math.e and sx.pi == math.pi
    assert math.isinf(sx.inf) and math.isnan(sx.nan)
    assert sx.newaxis is None
    assert sx.ones(2)[sx.newaxis].shape == (1, 2)


def test_device_objects():
    here = sx.Device(default_dev())
    assert sx.ones(2).device == here == here.name
    assert sx.ones(2).to_device("cpu").device == sx.Device("cpu") == "cpu"
    with pytest.raises(ValueError, match="to_device"):
        sx.ones(2).to_device("cpu", stream=1)
    with pytest.raises(TypeError, match="zeros"):
        sx.zeros(2, device=0)
    with pytest.raises(ValueError, match="zeros"):
        sx.zeros(2, device="tpu")
