"""The torch backend: storages are flat tensors, views and writes share them, every
standard dtype (uint16/32/64 included), NumPy and DLPack interop, moves between backends,
serialization. Runs whatever STORAX_BACKEND is (arrays are made with device=)."""

from __future__ import annotations

import io
import pickle

import numpy as np
import pytest

import storax as sx

torch = pytest.importorskip("torch")
T = "torch:cpu"


def arr(values, dtype=None):
    return sx.asarray(values, dtype=dtype, device=T)


def test_storage_is_a_flat_tensor_shared_by_views():
    x = sx.reshape(sx.arange(12.0, device=T), (3, 4))
    assert x.device == T and x.storage().device == T
    row, col, rev = x[1], x[:, 2], x[::-1, ::-2]
    assert row.storage() is x.storage() is col.storage() is rev.storage()
    assert (row.storage_offset(), row.stride()) == (4, (1,))
    assert (col.storage_offset(), col.stride()) == (2, (4,))
    assert (rev.storage_offset(), rev.stride()) == (11, (-4, -2))
    assert rev.tolist() == [[11.0, 9.0], [7.0, 5.0], [3.0, 1.0]]
    assert x.T.storage() is x.storage() and x.T.stride() == (1, 4)


@pytest.mark.parametrize("key", [(1,), (slice(None), 2), (slice(None, None, -1), 0)])
def test_writes_through_basic_views_reach_every_view(key):
    x = sx.reshape(sx.arange(12, device=T), (3, 4))
    other = x[::-1]  # a negative-stride view: read by a gather, after every write
    before = x.storage().version
    x[key] = -1
    expected = np.arange(12).reshape(3, 4)
    expected[key] = -1
    assert x.tolist() == expected.tolist()
    assert other.tolist() == expected[::-1].tolist()
    assert x.storage().version == before + 1


def test_writes_through_negative_strides_index_and_mask():
    x = sx.arange(8, device=T)
    v = x[::-2]
    v[...] = sx.asarray([10, 20, 30, 40], device=T)
    assert x.tolist() == [0, 40, 2, 30, 4, 20, 6, 10]
    x[sx.asarray([0, 2], device=T)] = 99
    assert x.tolist()[:3] == [99, 40, 99]
    x[x > 30] = 0
    assert x.tolist() == [0, 0, 0, 30, 4, 20, 6, 10]
    x += 1
    assert v.tolist() == [11, 21, 31, 1]


def test_broadcast_views_are_read_only():
    b = sx.broadcast_to(arr([1.0, 2.0]), (3, 2))
    assert b.stride() == (0, 1)
    with pytest.raises(ValueError, match="read-only"):
        b[0, 0] = 5.0


@pytest.mark.parametrize("dtype", [sx.uint16, sx.uint32, sx.uint64])
def test_wide_unsigned_types(dtype):
    top = int(np.iinfo(dtype).max)
    x = arr([0, 1, top], dtype=dtype)
    assert x.dtype == dtype and x.storage().dtype == dtype
    assert (x + 1).tolist() == [1, 2, 0]  # wraps, as NumPy
    assert (x > 1).tolist() == [False, False, True]  # compared unsigned
    assert (x // 2).tolist() == [0, 0, top // 2]
    assert (x >> 1).tolist() == [0, 0, top >> 1]  # a logical shift
    assert sx.astype(x, sx.float64).tolist() == [0.0, 1.0, float(top)]
    assert int(sx.max(x)) == top and int(sx.sum(x)) == (1 + top) % 2**64
    x[0] = top
    x[::-1][0] = 7
    assert x.tolist() == [top, 1, 7]
    assert x.numpy().dtype == dtype


def test_numpy_shares_memory_on_the_cpu():
    x = sx.reshape(sx.arange(6.0, device=T), (2, 3))
    n = x.numpy()
    n[0, 0] = 5.0
    assert float(x[0, 0]) == 5.0
    x[1, 2] = 7.0
    assert n[1, 2] == 7.0
    r = np.asarray(x[::-1])  # NumPy can express the negative stride: still a view
    x[0, 1] = -1.0
    assert r[1, 1] == -1.0
    rev = x[:, ::-1]
    assert rev.tolist()[0] == [2.0, -1.0, 5.0]
    n[0, 2] = 8.0  # a write storax does not see: the reversed view still reads it
    assert rev.tolist()[0] == [8.0, -1.0, 5.0]


def test_dlpack_to_torch_and_back():
    x = sx.arange(4.0, device=T)
    t = torch.from_dlpack(x)
    assert t.dtype == torch.float32 or t.dtype == torch.float64
    x[0] = 9.0
    assert float(t[0]) == 9.0  # zero-copy
    y = sx.from_dlpack(torch.arange(3, dtype=torch.int32), device=sx.Device(T))
    assert y.device == T and y.tolist() == [0, 1, 2]


@pytest.mark.parametrize("target", ["cpu", "jax:cpu:0"])
def test_to_device_across_backends(target):
    if target.startswith("jax"):
        pytest.importorskip("jax")
    x = arr([[1.0, 2.0], [3.0, 4.0]])[:, ::-1]
    moved = x.to_device(target)
    assert moved.device == target and moved.tolist() == [[2.0, 1.0], [4.0, 3.0]]
    back = moved.to_device(T)
    assert back.device == T and back.tolist() == moved.tolist()


def test_mixing_devices_raises():
    with pytest.raises(ValueError, match="different devices"):
        arr([1.0]) + sx.asarray([1.0], device="cpu")


def test_save_load_and_pickle_keep_sharing(tmp_path):
    x = sx.reshape(sx.arange(6.0, device=T), (2, 3))
    tree = {"x": x, "row": x[1], "rev": x[::-1]}
    path = tmp_path / "t.storax"
    sx.save(tree, path)
    loaded = sx.load(path)
    assert loaded["row"].tolist() == [3.0, 4.0, 5.0]
    assert loaded["rev"].storage() is loaded["x"].storage()
    p = pickle.loads(pickle.dumps(tree))
    assert p["rev"].tolist() == x[::-1].tolist()
    assert p["row"].storage() is p["x"].storage()
    buf = io.BytesIO()
    sx.save(x[:, 1], buf)


def test_reductions_and_linalg_on_torch():
    x = sx.reshape(sx.arange(6.0, device=T), (2, 3))
    assert sx.sum(x, axis=1).tolist() == [3.0, 12.0]
    assert sx.max(x, axis=0).tolist() == [3.0, 4.0, 5.0]
    assert (x @ x.T).device == T
    assert float(sx.linalg.det(arr([[2.0, 0.0], [0.0, 3.0]]))) == pytest.approx(6.0)


def test_torch_devices_listed():
    names = [str(d) for d in sx.__array_namespace_info__().devices()]
    assert T in names
    with pytest.raises(ValueError, match="not present"):
        sx.zeros(2, device="torch:cuda:7")


@pytest.mark.parametrize(
    "key", [0, -1, 2, slice(1, 3), slice(None, None, 2), slice(-2, None), slice(5, 1), 7, -8]
)
@pytest.mark.parametrize("parent", ["fresh", "view", "uint32", "uncached"])
def test_view_reads_through_torch_slicing_match_the_layout_path(parent, key):
    """``x[int|slice]`` on an array holding a live tensor is torch's own slicing, its Layout
    read off the result: the same Layout, values, sharing and errors as the Python path
    (a NumPy array of the same data: the reference)."""
    base = sx.reshape(sx.arange(24, device=T), (6, 4))
    if parent == "view":
        x = base[1:5]
        assert x._value is not None  # its live as_strided tensor, now cached
    elif parent == "uint32":
        x = sx.astype(base, sx.uint32)
    elif parent == "fresh":
        x = base + 0  # a fresh result: its tensor becomes its storage
    else:
        x = base  # a reshaped view whose tensor was never made: the general path
    ref = np.arange(24).reshape(6, 4)[1:5] if parent == "view" else np.arange(24).reshape(6, 4)
    try:
        expected = ref[key]
    except IndexError:
        with pytest.raises(IndexError, match="__getitem__: index"):
            x[key]
        return
    v = x[key]
    # (the fast path hands the view torch's tensor at once; the general path makes it lazily)
    assert (v._cache is not None) == (parent != "uncached" and expected.size > 0)
    assert v.shape == expected.shape and v.tolist() == expected.tolist()
    assert v.storage() is x.storage()
    lay = x.layout().getitem(key)
    assert (v.stride(), v.storage_offset()) == (lay.strides, lay.offset)
    if v.size:
        v[...] = 0  # a write through the view reaches the parent
        assert not np.any(np.asarray(x[key].tolist()))


def test_small_writes_through_torch_assignment_keep_storax_broadcasting():
    x = sx.arange(5, device=T)
    before = x.storage().version
    x[1:4] = sx.asarray([5, 6, 7], device=T)
    x[0] = sx.asarray(9, device=T)
    x[::2] = sx.asarray([1], device=T)  # broadcasts, as on every backend
    assert x.tolist() == [1, 5, 1, 7, 1] and x.storage().version == before + 3
    x[1:4] = x[0:3]  # overlapping source: copied first
    assert x.tolist() == [1, 1, 5, 1, 1]
    # torch's assignment would drop leading 1s: storax's rule (the other backends') raises
    with pytest.raises(ValueError, match="cannot be broadcast"):
        x[1:4] = sx.ones((1, 3), dtype=sx.int64, device=T)
    with pytest.raises(ValueError, match="cannot be broadcast"):
        x[2] = sx.ones((1,), dtype=sx.int64, device=T)
    with pytest.raises(ValueError, match="cannot be broadcast"):
        x[1:4] = sx.asarray([1, 2], device=T)
    with pytest.raises(IndexError, match="__setitem__: index 9"):
        x[9] = sx.asarray(1, device=T)
    assert x.tolist() == [1, 1, 5, 1, 1]


# ------------------------------------------------ the torch family's hot paths
# Each is checked against the NumPy backend ("cpu"): the same values, dtype and errors.

_OPERANDS = {
    "stored": lambda d: sx.astype(sx.arange(-3, 5, device=T), d),
    "fresh": lambda d: _fresh(sx.astype(sx.arange(-3, 5, device=T), d)),
    "slice view": lambda d: sx.astype(sx.arange(-3, 7, device=T), d)[1:9],
    "strided view": lambda d: sx.astype(sx.arange(-3, 13, device=T), d)[::2],
    "reversed view": lambda d: sx.astype(sx.arange(-3, 5, device=T), d)[::-1],
    "2-d transposed": lambda d: sx.reshape(sx.astype(sx.arange(-3, 5, device=T), d), (2, 4)).mT,
    "0-d": lambda d: sx.astype(sx.arange(-3, 5, device=T), d)[3],
    "empty": lambda d: sx.astype(sx.arange(-3, 5, device=T), d)[5:2],
    "read-only": lambda d: sx.broadcast_to(sx.astype(sx.arange(2, device=T), d), (4, 2)),
}
_KINDS = ["bool", "int8", "int32", "uint8", "uint32", "float32", "float64", "complex64"]


def _fresh(x):
    """A fresh result of a torch kernel (its bare tensor, no storage yet)."""
    return x & x if x.dtype == sx.bool else x + sx.zeros((), dtype=x.dtype, device=T)


def _same(ours, expected, rtol=0.0):
    assert ours.device == T and ours.dtype == expected.dtype
    assert ours.shape == expected.shape
    np.testing.assert_allclose(np.asarray(ours), np.asarray(expected), rtol=rtol)


def _outcome(f, *args):
    try:
        with np.errstate(all="ignore"):  # (the NumPy backend's warnings, e.g. 0 / 0)
            return f(*args), None
    except (TypeError, ValueError, OverflowError) as e:
        return None, (type(e), str(e))


@pytest.mark.parametrize("operand", sorted(_OPERANDS))
@pytest.mark.parametrize("dtype", _KINDS)
@pytest.mark.parametrize(
    "func",
    ["sin", "exp", "negative", "abs", "isnan", "square", "floor", "logical_not", "positive"],
)
def test_unary_functions_and_operators_match_numpy(func, dtype, operand):
    x = _OPERANDS[operand](getattr(sx, dtype))
    ref = x.to_device("cpu")
    ours, err = _outcome(getattr(sx, func), x)
    expected, ref_err = _outcome(getattr(sx, func), ref)
    assert err == ref_err
    if err is None:
        # (torch's and NumPy's sin and exp may differ in the last bit: not correctly rounded)
        _same(ours, expected, rtol=1e-6 if func in ("sin", "exp") else 0.0)
    op = {"negative": "__neg__", "positive": "__pos__", "abs": "__abs__"}.get(func)
    if op is not None:
        ours, err = _outcome(getattr(type(x), op), x)
        assert err == _outcome(getattr(type(ref), op), ref)[1]
        if err is None:
            _same(ours, expected)


_BINARY = ["add", "subtract", "multiply", "divide", "less", "equal", "greater_equal", "maximum",
           "bitwise_and", "logical_or"]  # fmt: skip
_OPS = {"add": "+", "subtract": "-", "multiply": "*", "divide": "/", "less": "<", "equal": "==",
        "greater_equal": ">=", "bitwise_and": "&"}  # fmt: skip


@pytest.mark.parametrize(
    "operand", ["stored", "fresh", "slice view", "reversed view", "0-d", "empty"]
)
@pytest.mark.parametrize("dtype", _KINDS)
@pytest.mark.parametrize("func", _BINARY)
def test_binary_functions_and_operators_match_numpy(func, dtype, operand):
    d = getattr(sx, dtype)
    x, y = _OPERANDS[operand](d), _OPERANDS["stored" if operand != "empty" else "empty"](d)
    if operand == "0-d":
        y = _OPERANDS["fresh"](d)  # broadcasts
    rx, ry = x.to_device("cpu"), y.to_device("cpu")
    f = getattr(sx, func)
    pairs = [((x, y), (rx, ry)), ((y, x), (ry, rx))]
    for s in (2, 2.5, -1, True, 2**60):
        pairs += [((x, s), (rx, s)), ((s, x), (s, rx))]
    for ours_args, ref_args in pairs:
        ours, err = _outcome(f, *ours_args)
        expected, ref_err = _outcome(f, *ref_args)
        assert err == ref_err, ours_args
        if err is None:
            _same(ours, expected)
        if func in _OPS:
            ours, err = _outcome(eval, f"a {_OPS[func]} b", {"a": ours_args[0], "b": ours_args[1]})
            expected, ref_err = _outcome(
                eval, f"a {_OPS[func]} b", {"a": ref_args[0], "b": ref_args[1]}
            )
            assert (err is None) == (ref_err is None), ours_args
            if err is None:
                _same(ours, expected)


def test_array_level_kernels_keep_names_and_shape_errors():
    x = sx.ones((2, 3), names=("a", "b"), device=T)
    y = sx.ones((2, 3), names=(None, "b"), device=T)
    assert sx.sin(x).names == ("a", "b") and (x + y).names == ("a", "b")
    assert (-x).names == ("a", "b") and (x < 2.0).names == ("a", "b")
    with pytest.raises(ValueError, match="^add: "):
        sx.add(arr([1.0, 2.0]), arr([1.0, 2.0, 3.0]))
    with pytest.raises(ValueError, match="__add__"):
        arr([1.0, 2.0]) + arr([1.0, 2.0, 3.0])
    with pytest.raises(TypeError, match="^sin: expected an array of floating-point"):
        sx.sin(arr([1, 2]))
    z = arr([1.0, 2.0])
    r = z + 0.0
    assert r.storage() is not z.storage()
    r[0] = 5.0  # a fresh result is its own storage
    assert z.tolist() == [1.0, 2.0]


@pytest.mark.parametrize("dtype", ["bool", "int8", "int64", "uint8", "uint16", "uint64",
                                    "float32", "float64", "complex64", "complex128"])  # fmt: skip
@pytest.mark.parametrize("scalar", [True, 1, -1, 300, 2**40, 2**53 + 1, 0.1, -0.0, float("nan"),
                                    1e300, 1 + 2j])  # fmt: skip
@pytest.mark.parametrize("key", [..., 2, slice(1, 3), (slice(None, None, 2),), ()])
def test_scalar_writes_match_numpy(dtype, scalar, key):
    """``x[key] = scalar`` (torch's fill where it converts as NumPy does, else the general
    path): the same stored values and errors as the NumPy backend."""
    x = sx.astype(sx.arange(4, device=T), getattr(sx, dtype))
    ref = x.to_device("cpu")
    view = x[1:]  # a view sees the write
    err = ref_err = None
    with np.errstate(all="ignore"):  # (NumPy warns of 1e300 cast to float32: inf)
        try:
            ref[key] = scalar
        except (TypeError, ValueError, OverflowError) as e:
            ref_err = type(e)
        try:
            x[key] = scalar
        except (TypeError, ValueError, OverflowError) as e:
            err = type(e)
    assert err == ref_err
    np.testing.assert_array_equal(np.asarray(x), np.asarray(ref))
    np.testing.assert_array_equal(np.asarray(view), np.asarray(ref)[1:])


def test_scalar_writes_errors_and_versions():
    x = sx.arange(4.0, device=T)
    before = x.storage().version
    x[...] = 1.0
    x[1:3][0] = 7.0  # through a view made by torch's slicing
    assert x.tolist() == [1.0, 7.0, 1.0, 1.0] and x.storage().version == before + 2
    with pytest.raises(IndexError, match="__setitem__"):
        x[4] = 1.0
    with pytest.raises(IndexError, match="__setitem__"):
        x[0, 0] = 1.0
    with pytest.raises(ValueError, match="read-only"):
        sx.broadcast_to(x, (2, 4))[0] = 1.0
    y = x[::-1]
    y[0] = 9.0  # a negative-stride view: the general path
    assert x.tolist() == [1.0, 7.0, 1.0, 9.0]
    z = sx.zeros((), device=T)
    z[...] = 3.0
    z[()] = 4.0
    assert float(z) == 4.0


@pytest.mark.parametrize("shape", [(8,), (3, 4), (2, 3, 4), (5, 1)])
def test_reversed_views_match_the_layout_path(shape):
    from storax._backends._layout_array import LayoutArray

    base = sx.reshape(sx.arange(int(np.prod(shape)), device=T), shape)
    ref = np.arange(int(np.prod(shape))).reshape(shape)
    parents = [(base, ref), (base[1:], ref[1:]), (base[::2], ref[::2])]
    if len(shape) > 1:
        parents.append((base.mT, ref.swapaxes(-1, -2)))
    for x, r in parents:
        v = x[::-1]
        assert v.layout() == LayoutArray.__getitem__(x, slice(None, None, -1)).layout()
        assert v.tolist() == r[::-1].tolist() and v.storage() is base.storage()
        assert v.is_contiguous() is v.layout().is_contiguous()
    ro = sx.broadcast_to(base, (2, *shape))[::-1]
    with pytest.raises(ValueError, match="read-only"):
        ro[...] = 0


def test_views_of_torch_slicing_read_their_layout_lazily():
    x = sx.reshape(sx.arange(24.0, device=T), (6, 4))
    v = x[1:5]
    w = v[1]
    assert w.shape == (4,) and w.tolist() == [8.0, 9.0, 10.0, 11.0]
    x[2, 0] = -1.0  # a write bumps the version: the view still reads the storage
    assert w.tolist()[0] == -1.0 and v[1].tolist()[0] == -1.0
    assert (w.storage_offset(), w.stride(), w.is_contiguous()) == (8, (1,), True)
    c = x[:, 1:3][1]  # a general-path view (2-d key) then torch's slicing
    assert (c.storage_offset(), c.stride(), c.is_contiguous()) == (5, (1,), True)
    s = x[::2]
    assert s.is_contiguous() is False and s.layout() == x.layout().getitem(slice(None, None, 2))


@pytest.mark.parametrize("dtype", _KINDS)
@pytest.mark.parametrize("operand", ["stored", "fresh", "reversed view", "0-d", "empty"])
def test_where_matches_numpy(dtype, operand):
    d = getattr(sx, dtype)
    x = _OPERANDS[operand](d)
    y = _OPERANDS["stored" if operand != "empty" else "empty"](d)
    conds = [y != x, x]  # a boolean condition, and truth values
    for c in conds:
        args = [(c, x, y), (c, y, x)]
        if dtype in ("float32", "float64", "complex64"):
            args += [(c, x, 0.1), (c, 0.1, x), (c, x, -0.0)]
        for a in args:
            ours, err = _outcome(sx.where, *a)
            ref = [v.to_device("cpu") if isinstance(v, sx.Array) else v for v in a]
            expected, ref_err = _outcome(sx.where, *ref)
            assert err == ref_err
            if err is None:
                _same(ours, expected)
                assert (
                    np.signbit(np.asarray(ours).real).tolist()
                    == np.signbit(np.asarray(expected).real).tolist()
                )
    if x.ndim == 1 and x.size:
        with pytest.raises(ValueError, match="^where: shapes"):
            sx.where(x != x, x, sx.zeros((3,), dtype=d, device=T))


@pytest.mark.parametrize("dtype", _KINDS + ["int64", "uint64", "complex128"])
@pytest.mark.parametrize("operand", sorted(_OPERANDS))
@pytest.mark.parametrize("func", ["sum", "prod", "max", "min", "mean"])
def test_whole_reductions_match_numpy(func, dtype, operand):
    """``func(x)`` (every element, the default dtype): the torch family's one-kernel
    reductions where they apply, else the chapter's path; the same dtype, value and errors
    as the NumPy backend (empty max/min raise; an empty mean is NaN)."""
    x = _OPERANDS[operand](getattr(sx, dtype))
    ours, err = _outcome(getattr(sx, func), x)
    expected, ref_err = _outcome(getattr(sx, func), x.to_device("cpu"))
    assert err == ref_err
    if err is None:
        assert ours.shape == () and ours.device == T
        _same(ours, expected, rtol=1e-6 if func == "mean" else 0.0)
    named = sx.ones((2, 3), names=("a", "b"), device=T)
    assert getattr(sx, func)(named).names == ()


def test_whole_mean_is_the_chapters_sum_then_divide():
    rng = np.random.default_rng(1)
    for n in (1, 7, 100, 4097, 100_003):
        for d in (np.float32, np.float64):
            h = (rng.standard_normal(n) * 1000).astype(d)
            ours = sx.mean(sx.asarray(h, device=T))
            ref = sx.divide(sx.sum(sx.asarray(h, device=T)), n)  # the chapter's _mean
            assert np.asarray(ours).tobytes() == np.asarray(ref).tobytes()


def test_where_kernel_serves_only_what_torch_computes_as_the_general_path():
    """The family's one-call ``where`` (``_array_where``): a boolean condition with two
    arrays of one dtype, or a floating-point array with a Python float; everything else is
    declined (None) and the chapter's path promotes, checks and names its errors."""
    kernel = sx.asarray([True], device=T)._array_where
    x = sx.asarray([1.0, 2.0, 3.0], device=T)
    c = x > 1.5
    i32 = sx.asarray([4, 5, 6], dtype=sx.int32, device=T)
    u32 = sx.asarray([4, 5, 6], dtype=sx.uint32, device=T)
    served = [(c, x, x), (c, x, 0.5), (c, -0.0, x), (c, x[::-1], x), (c[1], x, x)]
    for args in served:
        r = kernel(*args)
        assert r is not None
        _same(r, sx.where(*[a.to_device("cpu") if isinstance(a, sx.Array) else a for a in args]))
    declined = [
        (c, x, i32),  # promotion
        (c, i32, 1.5),  # an integer array with a float
        (c, x, 1),  # a Python int
        (c, x, True),  # a Python bool
        (c, u32, u32),  # no torch where of uint32
        (x, x, x),  # a non-boolean condition (its truth values)
        (c, x, sx.zeros(2, device=T)),  # shapes that do not broadcast
        (c, x, np.ones(3)),  # another family
        (c, 0.5, 1.5),  # no array
    ]
    for args in declined:
        assert kernel(*args) is None
    assert sx.where(c, x, i32).dtype == sx.float64
    assert sx.where(c, u32, u32).tolist() == [4, 5, 6]
    assert sx.where(x, x, 0.5).tolist() == [1.0, 2.0, 3.0]
    with pytest.raises(ValueError, match="^where: shapes"):
        sx.where(c, x, sx.zeros(2, device=T))
    # the operands' current data: a view and an array written after they were made
    base = sx.arange(6.0, device=T)
    v = base[1:4]
    base[2] = -1.0
    assert sx.where(c, v, x).tolist() == [1.0, -1.0, 3.0]
    named = sx.asarray([True, False, True], names=("i",), device=T)
    assert named._array_where is None  # (named arrays: the chapter's path)
    assert sx.where(named, x, 0.5).tolist() == [1.0, 0.5, 3.0]


@pytest.mark.parametrize("dtype", ["float64", "int8", "uint16", "uint32", "bool", "complex64"])
def test_reversed_whole_storage_reads_every_write(dtype):
    """``x[::-1]`` of a whole 1-d storage is one flip per read (no lock, nothing kept):
    every read shows the storage's data, however it was written."""
    d = getattr(sx, dtype)
    x = sx.astype(sx.arange(5, device=T), d)
    r = x[::-1]
    assert r.tolist() == np.asarray(x)[::-1].tolist()
    x[0] = 0 if dtype == "bool" else 3
    assert r.tolist()[-1] == x.tolist()[0]
    x.numpy()[1] = 1  # a write through a NumPy view: no version bump
    assert r.tolist()[-2] == x.tolist()[1] and r[3].tolist() == x.tolist()[1]
    assert sx.asarray(r, copy=True).tolist() == x.tolist()[::-1]
    part = x[1:][::-1]  # not the whole storage: the gather
    assert part.tolist() == x.tolist()[1:][::-1]
    e = sx.astype(sx.arange(0, device=T), d)
    assert e[::-1].tolist() == [] and e[::-1].shape == (0,)
    ro = sx.broadcast_to(x, (5,))[::-1]
    assert ro.tolist() == x.tolist()[::-1]


def test_scalar_fills_through_live_views():
    """``x[key] = scalar``: torch's fill into a live view of the storage (the storage's
    own buffer, or a view of it), a version bump; read-only views and what torch declines
    take the general path's errors."""
    x = sx.arange(6.0, device=T)
    v = x[1:5]
    before = x.storage().version
    x[...] = 1.0  # the storage's own buffer
    v[1:] = 2.0  # a live torch view of it
    v[0] = 7  # an int into float64
    assert x.tolist() == [1.0, 7.0, 2.0, 2.0, 2.0, 1.0] and x.storage().version == before + 3
    f = x + 1.0  # a fresh result: its storage made on the first write
    f[2] = -0.0
    assert np.signbit(np.asarray(f)[2]) and f.tolist()[0] == 2.0
    i8 = sx.zeros(3, dtype=sx.int8, device=T)
    with pytest.raises(OverflowError):
        i8[...] = 300  # out of range: the general path
    with pytest.raises(IndexError, match="__setitem__"):
        x[6] = 1.0  # torch declines: the general path's error
    with pytest.raises(ValueError, match="read-only"):
        sx.broadcast_to(x, (2, 6))[...] = 1.0
    assert x.storage().version == before + 3


def test_array_writes_into_the_storage_buffer():
    """``x[slice] = y`` into an array holding its storage's own buffer: torch's slice
    assignment (overlapping sources copied first), a version bump; more dimensions than
    the target or a negative step take the general path."""
    big = sx.zeros(1000, dtype=sx.float32, device=T)
    ten = sx.ones(10, dtype=sx.float32, device=T)
    before = big.storage().version if big._storage is not None else 0
    big[5:15] = ten
    assert big[4:16].tolist() == [0.0] + [1.0] * 10 + [0.0]
    assert big.storage().version == before + 1
    big[5:15] = sx.arange(10, dtype=sx.float32, device=T)
    big[0:10] = big[5:15]  # an overlapping source: read before it is written
    assert big[0:16].tolist() == [*range(10), *range(5, 10), 0]
    big[3] = sx.asarray(4.0, dtype=sx.float32, device=T)
    assert big[3].tolist() == 4.0
    with pytest.raises(ValueError):
        big[0:10] = sx.ones((1, 10), dtype=sx.float32, device=T)  # more dimensions
    big[9::-1] = sx.arange(10, dtype=sx.float32, device=T)  # a negative step
    assert big[0:10].tolist() == list(range(9, -1, -1))
