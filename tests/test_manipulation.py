"""Manipulation and indexing functions: which results are views, and bad-input errors.

The official suite checks values, shapes and dtypes; these tests check what it does not:
storage sharing (writes through a view reach its base), read-only broadcast views, fresh
storage for copying functions, and the error each function raises (naming itself).
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import storax as sx


def _base(shape=(2, 3, 4), dtype=sx.int64):
    n = 1
    for s in shape:
        n *= s
    return sx.reshape(sx.arange(n, dtype=dtype), shape)


def _shares(a, b) -> bool:
    return a.storage().data_ptr() == b.storage().data_ptr()


# ----------------------------------------------------------------------- views

VIEW_CASES = {
    "permute_dims": lambda x: sx.permute_dims(x, (2, 0, 1)),
    "permute_dims_negative": lambda x: sx.permute_dims(x, (-1, 0, -2)),
    "expand_dims": lambda x: sx.expand_dims(x, axis=1),
    "expand_dims_tuple": lambda x: sx.expand_dims(x, axis=(0, -1)),
    "squeeze": lambda x: sx.squeeze(sx.expand_dims(x, axis=0), axis=0),
    "reshape": lambda x: sx.reshape(x, (6, 4)),
    "reshape_minus_one": lambda x: sx.reshape(x, (-1,)),
    "reshape_copy_false": lambda x: sx.reshape(x, (4, 6), copy=False),
    "moveaxis": lambda x: sx.moveaxis(x, 0, -1),
    "moveaxis_tuple": lambda x: sx.moveaxis(x, (0, 1), (2, 0)),
    "flip": lambda x: sx.flip(x, axis=1),
    "flip_all": lambda x: sx.flip(x),
    "unstack": lambda x: sx.unstack(x, axis=1)[2],
}


@pytest.mark.parametrize("name", sorted(VIEW_CASES))
def test_view_shares_storage_and_writes_through(name):
    x = _base()
    r = VIEW_CASES[name](x)
    assert _shares(r, x)
    assert r.storage() is x.storage()
    # Every element of the view is an element of the base.
    before = x.numpy().copy()
    r[...] = -1
    after = x.numpy()
    changed = int((after != before).sum())
    assert changed == r.size
    assert (after[after != before] == -1).all()


@pytest.mark.parametrize("name", sorted(VIEW_CASES))
def test_base_writes_are_seen_by_view(name):
    x = _base()
    r = VIEW_CASES[name](x)
    x[...] = 7
    assert bool(sx.all(r == 7))


def test_unstack_every_element_is_a_view():
    x = _base()
    parts = sx.unstack(x, axis=-1)
    assert isinstance(parts, tuple) and len(parts) == 4
    for i, p in enumerate(parts):
        assert _shares(p, x)
        assert p.shape == (2, 3)
        p[0, 0] = 100 + i
        assert int(x[0, 0, i]) == 100 + i


def test_flip_is_a_negative_stride_view():
    x = _base((2, 3))
    r = sx.flip(x, axis=-1)
    assert r.stride() == (3, -1)
    assert r.storage_offset() == 2
    r[0, 0] = 42
    assert int(x[0, 2]) == 42


def test_flip_one_dimension():
    """1-D flips (a bare slice): every axis spelling, axis=() (no flip), 0-size, views,
    writes through the view, read-only views and names."""
    x = sx.asarray([1.0, 2.0, 3.0, 4.0])
    for axis in (None, 0, -1, (0,)):
        r = sx.flip(x, axis=axis)
        assert r.tolist() == [4.0, 3.0, 2.0, 1.0] and r.stride() == (-1,)
    assert sx.flip(x, axis=()).tolist() == [1.0, 2.0, 3.0, 4.0]
    assert sx.flip(x[::2]).tolist() == [3.0, 1.0]
    assert sx.flip(x[:0]).shape == (0,)
    sx.flip(x)[0] = 40.0
    assert float(x[3]) == 40.0
    with pytest.raises(ValueError, match="read-only"):
        sx.flip(sx.broadcast_to(x[:1], (3,)))[0] = 1.0
    assert sx.flip(x.refine_names("i")).names == ("i",)
    with pytest.raises((ValueError, IndexError), match="flip"):
        sx.flip(x, axis=1)


def test_permute_dims_strides():
    x = _base()
    r = sx.permute_dims(x, (2, 0, 1))
    assert r.stride() == (1, 12, 4)
    assert r.storage_offset() == x.storage_offset()


def test_reshape_of_non_contiguous_copies_or_raises():
    x = sx.permute_dims(_base((2, 3)), (1, 0))
    r = sx.reshape(x, (6,))
    assert not _shares(r, x)
    assert r.tolist() == [0, 3, 1, 4, 2, 5]
    with pytest.raises(ValueError, match="reshape"):
        sx.reshape(x, (6,), copy=False)


def test_reshape_copy_true_always_copies():
    x = _base((2, 3))
    r = sx.reshape(x, (3, 2), copy=True)
    assert not _shares(r, x)
    r[0, 0] = 99
    assert int(x[0, 0]) == 0


def test_broadcast_to_is_a_read_only_view():
    x = _base((1, 3))
    b = sx.broadcast_to(x, (4, 3))
    assert _shares(b, x)
    assert b.stride() == (0, 1)
    with pytest.raises(ValueError):
        b[0, 0] = 5
    x[0, 1] = 77
    assert b[:, 1].tolist() == [77] * 4


def test_broadcast_arrays_are_views_and_version_types():
    a = _base((3, 1))
    c = _base((1, 4))
    with sx.api_version("2025.12"):
        out = sx.broadcast_arrays(a, c)
        assert isinstance(out, tuple)
    with sx.api_version("2024.12"):
        out = sx.broadcast_arrays(a, c)
        assert isinstance(out, list)
    assert [o.shape for o in out] == [(3, 4), (3, 4)]
    assert _shares(out[0], a) and _shares(out[1], c)


COPY_CASES = {
    "concat": lambda x: sx.concat([x, x], axis=0),
    "concat_none": lambda x: sx.concat((x,), axis=None),
    "stack": lambda x: sx.stack([x], axis=0),
    "repeat": lambda x: sx.repeat(x, 1, axis=0),
    "roll": lambda x: sx.roll(x, 0),
    "tile": lambda x: sx.tile(x, (1, 1, 1)),
    "take": lambda x: sx.take(x, sx.asarray([0, 1], device=x.device), axis=0),
    "take_along_axis": lambda x: sx.take_along_axis(
        x, sx.zeros((2, 3, 1), dtype=sx.int64, device=x.device)
    ),
    "sort": lambda x: sx.sort(x),
}


@pytest.mark.parametrize("name", sorted(COPY_CASES))
def test_copying_functions_return_new_storage(name):
    x = _base()
    r = COPY_CASES[name](x)
    assert not _shares(r, x)
    before = x.tolist()
    r[...] = -5
    assert x.tolist() == before


# ---------------------------------------------------------------- behaviour


def test_broadcast_shapes():
    assert sx.broadcast_shapes() == ()
    assert sx.broadcast_shapes((3, 1), (4,)) == (3, 4)
    assert sx.broadcast_shapes((0, 1), (1, 5)) == (0, 5)
    assert sx.broadcast_shapes((2, 1, 3), (), (5, 1)) == (2, 5, 3)
    with pytest.raises(ValueError, match="broadcast_shapes"):
        sx.broadcast_shapes((3,), (4,))
    with pytest.raises(TypeError, match="broadcast_shapes"):
        sx.broadcast_shapes((3.0,))


@given(
    st.lists(st.lists(st.integers(0, 3), max_size=4).map(tuple), max_size=4),
)
def test_broadcast_shapes_matches_numpy(shapes):
    try:
        expected = np.broadcast_shapes(*shapes)
    except ValueError:
        with pytest.raises(ValueError):
            sx.broadcast_shapes(*shapes)
    else:
        assert sx.broadcast_shapes(*shapes) == expected


def test_expand_dims_tuple_needs_2025_12():
    x = _base((2, 3))
    with sx.api_version("2024.12"):
        with pytest.raises(TypeError, match="expand_dims"):
            sx.expand_dims(x, axis=(0, 1))
    with sx.api_version("2025.12"):
        assert sx.expand_dims(x, axis=(0, -1)).shape == (1, 2, 3, 1)
    # The pinned namespace follows the version it was asked for.
    ns = x.__array_namespace__(api_version="2024.12")
    if ns is not sx:
        with pytest.raises(TypeError):
            ns.expand_dims(x, axis=(0, 1))


def test_concat_promotes_and_flattens():
    a = sx.asarray([1, 2], dtype=sx.int8)
    b = sx.asarray([[3, 4]], dtype=sx.int16)
    out = sx.concat([a, b], axis=None)
    assert out.dtype == sx.int16 and out.tolist() == [1, 2, 3, 4]


def test_repeat_with_array_repeats():
    x = sx.asarray([[1, 2], [3, 4]])
    assert sx.repeat(x, sx.asarray([1, 2]), axis=1).tolist() == [[1, 2, 2], [3, 4, 4]]
    assert sx.repeat(x, sx.asarray([2])).tolist() == [1, 1, 2, 2, 3, 3, 4, 4]
    assert sx.repeat(x, 0, axis=0).shape == (0, 2)


def test_roll_tile_moveaxis_values():
    x = sx.asarray([[1, 2, 3], [4, 5, 6]])
    assert sx.roll(x, 1).tolist() == [[6, 1, 2], [3, 4, 5]]
    assert sx.roll(x, (1, -1), axis=(0, 1)).tolist() == [[5, 6, 4], [2, 3, 1]]
    assert sx.tile(x, (2,)).shape == (2, 6)
    assert sx.tile(x, (2, 1, 1)).shape == (2, 2, 3)
    assert sx.moveaxis(_base(), (0, 1), (-1, -2)).shape == (4, 3, 2)


def test_take_and_take_along_axis():
    x = sx.asarray([[10, 20, 30], [40, 50, 60]])
    assert sx.take(x, sx.asarray([2, -1, 0]), axis=1).tolist() == [[30, 30, 10], [60, 60, 40]]
    assert sx.take(sx.asarray([1, 2, 3]), sx.asarray([1])).tolist() == [2]
    idx = sx.asarray([[0], [2]])
    assert sx.take_along_axis(x, idx, axis=1).tolist() == [[10], [60]]


def test_numpy_inputs_join_the_current_backend():
    """A NumPy array given alone goes to the current backend (wrapped without a copy on
    NumPy, copied to the device on JAX, as jax.numpy does); combined with storax arrays it
    joins them."""
    a = np.arange(6.0)
    r = sx.reshape(a, (2, 3))
    assert isinstance(r, sx.Array) and r.device == sx.ones(1).device
    r[0, 0] = 42.0
    assert a[0] == (42.0 if sx.get_backend() == "numpy" else 0.0)
    for device in DEVICES:
        other = sx.ones(2, dtype=sx.float64, device=device)
        assert sx.concat([a, other]).device == device
        assert sx.stack([a[:2], other]).device == device
        assert (a[:2] + other).device == device
    assert sx.sin(a).device == sx.ones(1).device
    assert (sx.add(a, a)).device == sx.ones(1).device
    assert sx.flip(np.float32(3.0)).shape == ()
    assert sx.repeat(sx.asarray([1, 2]), np.array([2, 1])).tolist() == [1, 1, 2]


# ------------------------------------------------------------------- devices

DEVICES = ["cpu", "jax:cpu:0"]

# Functions of several arrays: (name, call(a, b)) where a and b are 1-D int64 arrays.
MULTI_ARRAY_CASES = [
    ("concat", lambda a, b: sx.concat([a, b])),
    ("stack", lambda a, b: sx.stack([a, b])),
    ("broadcast_arrays", lambda a, b: sx.broadcast_arrays(a, b)),
    ("repeat", lambda a, b: sx.repeat(a, b)),
    ("take", lambda a, b: sx.take(a, b)),
    ("take_along_axis", lambda a, b: sx.take_along_axis(a, b, axis=0)),
]


@pytest.mark.parametrize(("name", "call"), MULTI_ARRAY_CASES, ids=[n for n, _ in MULTI_ARRAY_CASES])
def test_mixing_devices_raises_naming_both(name, call):
    a = sx.asarray([0, 1, 2], device="cpu")
    b = sx.asarray([1, 1, 1], device="jax:cpu:0")
    for first, second in ((a, b), (b, a)):
        with pytest.raises(ValueError, match=rf"^{name}\b.*different devices") as info:
            call(first, second)
        assert (
            "jax:cpu:0" in str(info.value)
            and "(cpu" in str(info.value)
            or "cpu)" in str(info.value)
        )


ALL_CASES = {
    **VIEW_CASES,
    **COPY_CASES,
    "broadcast_to": lambda x: sx.broadcast_to(x[:, :1], (2, 3, 4)),
    "broadcast_arrays": lambda x: sx.broadcast_arrays(x, x[0])[1],
    "unstack_all": lambda x: sx.stack(sx.unstack(x)),
    "concat_mixed_dtypes": lambda x: sx.concat([x, sx.astype(x, sx.int8)], axis=1),
    "repeat_array": lambda x: sx.repeat(x, sx.asarray([1, 2], device=x.device), axis=0),
    "take_negative": lambda x: sx.take(x, sx.asarray([-1, 0], device=x.device), axis=2),
}


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("name", sorted(ALL_CASES))
def test_results_stay_on_the_input_device(name, device):
    x = _base().to_device(device)
    r = ALL_CASES[name](x)
    assert r.device == x.device
    assert type(r) is type(x)
    # The same values on either device.
    expected = ALL_CASES[name](_base().to_device("cpu"))
    assert r.tolist() == expected.tolist()


def test_views_on_jax_share_storage_through_chains():
    x = _base().to_device("jax:cpu:0")
    r = sx.flip(sx.moveaxis(sx.expand_dims(x, axis=0), 1, -1), axis=1)
    assert r.storage() is x.storage()
    r[0, 0, 0, 0] = -9
    assert int(x[0, 2, 0]) == -9
    parts = sx.unstack(sx.permute_dims(x, (2, 1, 0)))
    assert all(p.storage() is x.storage() for p in parts)


# ------------------------------------------------------------------- errors

ERROR_CASES = [
    # (function name, call, expected exception)
    ("permute_dims", lambda x: sx.permute_dims(x, (0, 1)), ValueError),
    ("permute_dims", lambda x: sx.permute_dims(x, (0, 1, 3)), IndexError),
    ("permute_dims", lambda x: sx.permute_dims(x, (0, 0, 1)), ValueError),
    ("permute_dims", lambda x: sx.permute_dims(x, 0), TypeError),
    ("permute_dims", lambda x: sx.permute_dims(x.tolist(), (0, 1, 2)), TypeError),
    ("permute_dims", lambda x: sx.permute_dims(np.ones(2, np.float16), (0,)), TypeError),
    ("reshape", lambda x: sx.reshape(x, (5, 5)), ValueError),
    ("reshape", lambda x: sx.reshape(x, (-1, -1)), ValueError),
    ("reshape", lambda x: sx.reshape(x, (2.0, 12)), TypeError),
    ("reshape", lambda x: sx.reshape(x, "24"), TypeError),
    ("expand_dims", lambda x: sx.expand_dims(x, axis=4), IndexError),
    ("expand_dims", lambda x: sx.expand_dims(x, axis=-5), IndexError),
    ("expand_dims", lambda x: sx.expand_dims(x, axis=1.0), TypeError),
    ("squeeze", lambda x: sx.squeeze(x, axis=0), ValueError),
    ("squeeze", lambda x: sx.squeeze(x, axis=3), IndexError),
    ("broadcast_to", lambda x: sx.broadcast_to(x, (2, 3, 5)), ValueError),
    ("broadcast_to", lambda x: sx.broadcast_to(x, (3, 4)), ValueError),
    ("broadcast_to", lambda x: sx.broadcast_to(x, (-1, 3, 4)), ValueError),
    ("broadcast_arrays", lambda x: sx.broadcast_arrays(x, sx.ones((5,))), ValueError),
    ("broadcast_arrays", lambda x: sx.broadcast_arrays(x, [1, 2]), TypeError),
    ("concat", lambda x: sx.concat([]), ValueError),
    ("concat", lambda x: sx.concat(x), TypeError),
    ("concat", lambda x: sx.concat([x, x[0]]), ValueError),
    ("concat", lambda x: sx.concat([x, x[:, :2]], axis=0), ValueError),
    ("concat", lambda x: sx.concat([x, x], axis=3), IndexError),
    ("concat", lambda x: sx.concat([x[0, 0, 0], x[0, 0, 1]]), ValueError),
    ("concat", lambda x: sx.concat([x, x.tolist()]), TypeError),
    ("stack", lambda x: sx.stack([x, x[0]]), ValueError),
    ("stack", lambda x: sx.stack([x, x], axis=4), IndexError),
    ("stack", lambda x: sx.stack([]), ValueError),
    ("flip", lambda x: sx.flip(x, axis=3), IndexError),
    ("flip", lambda x: sx.flip(x, axis=(0, 0)), ValueError),
    ("moveaxis", lambda x: sx.moveaxis(x, 0, 3), IndexError),
    ("moveaxis", lambda x: sx.moveaxis(x, (0, 1), (0,)), ValueError),
    ("moveaxis", lambda x: sx.moveaxis(x, (0, 0), (1, 2)), ValueError),
    ("repeat", lambda x: sx.repeat(x, -1), ValueError),
    ("repeat", lambda x: sx.repeat(x, 2.0), TypeError),
    ("repeat", lambda x: sx.repeat(x, sx.asarray([1.0])), TypeError),
    ("repeat", lambda x: sx.repeat(x, sx.asarray([1, 2, 3]), axis=0), ValueError),
    ("repeat", lambda x: sx.repeat(x, sx.asarray([-1]), axis=0), ValueError),
    ("repeat", lambda x: sx.repeat(x, 1, axis=3), IndexError),
    ("roll", lambda x: sx.roll(x, (1, 2), axis=0), ValueError),
    ("roll", lambda x: sx.roll(x, (1, 2)), ValueError),
    ("roll", lambda x: sx.roll(x, 1, axis=5), IndexError),
    ("roll", lambda x: sx.roll(x, 1.5), TypeError),
    ("tile", lambda x: sx.tile(x, 2), TypeError),
    ("tile", lambda x: sx.tile(x, (-1,)), ValueError),
    ("unstack", lambda x: sx.unstack(x, axis=3), IndexError),
    ("unstack", lambda x: sx.unstack(x[0, 0, 0]), IndexError),
    ("take", lambda x: sx.take(x, sx.asarray([0])), ValueError),
    ("take", lambda x: sx.take(x, sx.asarray([0.0]), axis=0), TypeError),
    ("take", lambda x: sx.take(x, sx.asarray([5]), axis=0), IndexError),
    ("take", lambda x: sx.take(x, sx.asarray([0]), axis=3), IndexError),
    ("take", lambda x: sx.take(x, "0", axis=0), TypeError),
    ("take_along_axis", lambda x: sx.take_along_axis(x, sx.asarray([0])), ValueError),
    (
        "take_along_axis",
        lambda x: sx.take_along_axis(x, sx.zeros((2, 3, 1), dtype=sx.float32)),
        TypeError,
    ),
    (
        "take_along_axis",
        lambda x: sx.take_along_axis(x, sx.zeros((2, 3, 1), dtype=sx.int64), axis=3),
        IndexError,
    ),
    (
        "take_along_axis",
        lambda x: sx.take_along_axis(x, sx.full((2, 3, 1), 9, dtype=sx.int64)),
        IndexError,
    ),
]


@pytest.mark.parametrize(
    ("name", "call", "exc"),
    ERROR_CASES,
    ids=[f"{n}-{i}" for i, (n, _, _) in enumerate(ERROR_CASES)],
)
def test_bad_input_raises_naming_the_function(name, call, exc):
    x = _base()
    with pytest.raises(exc, match=rf"^{name}\b"):
        call(x)
