"""The JAX backend's storage model: kernels cached by shape, donated writes that never
invalidate what a user holds, jax.jit/grad/vmap over storax code, devices that do not mix.

These tests select the JAX backend themselves (``sx.use_backend("jax")``), so they run the
same whatever STORAX_BACKEND says.
"""

from __future__ import annotations

import pickle

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import storax as sx
from _devices import JAX_DEV, np_from_dlpack, on_host
from storax._backends import _jax as jb


@pytest.fixture(autouse=True)
def _on_jax():
    with sx.use_backend("jax"):
        yield


def _grid(dtype=sx.float64):
    return sx.reshape(sx.arange(12, dtype=dtype), (3, 4))


# ------------------------------------------------------------------- kernel caches


def test_read_kernels_are_reused_across_offsets_and_strides():
    x = sx.arange(1000, dtype=sx.float32)
    assert x[0:5].tolist() == [0, 1, 2, 3, 4]  # compiles (or reuses) the kernel for (5,)
    n = jb._read_contiguous._cache_size()
    for start in (1, 17, 300, 995):
        assert x[start : start + 5].tolist() == list(range(start, start + 5))
    assert jb._read_contiguous._cache_size() == n
    assert x[0:15:3].tolist() == [0, 3, 6, 9, 12]
    n = jb._read_strided._cache_size()
    for start, step in ((1, 2), (40, 7), (999, -3)):
        end = start + 5 * step
        v = x[start : end if end >= 0 else None : step]
        assert v.tolist() == list(range(start, end if end >= 0 else -1, step))
    assert jb._read_strided._cache_size() == n


def test_write_kernels_are_reused_across_offsets():
    x = sx.zeros(1000, dtype=sx.float32)
    x[0:4] = 1.0
    sizes = {d: k._cache_size() for d, k in jb._write_contiguous.items()}
    for start in (4, 100, 996):
        x[start : start + 4] = 2.0
    assert {d: k._cache_size() for d, k in jb._write_contiguous.items()} == sizes
    x[0:8:2] = 3.0
    sizes = {d: k._cache_size() for d, k in jb._write_strided.items()}
    x[1:9:2] = 4.0
    x[500:100:-100] = 5.0
    assert {d: k._cache_size() for d, k in jb._write_strided.items()} == sizes
    assert x[0:9].tolist() == [3.0, 4.0, 3.0, 4.0, 3.0, 4.0, 3.0, 4.0, 0.0]
    assert x[500:100:-100].tolist() == [5.0] * 4


# ------------------------------------------------------------------ donated writes


def test_small_write_into_large_storage_is_donated_in_place():
    x = sx.zeros(1_000_000, dtype=sx.float32)
    st = x.storage()
    x[0:10] = 1.0  # the first write may copy a buffer that creation still shares
    ptr = st.data_ptr()
    for i in range(5):
        x[i * 10 : i * 10 + 10] = float(i)
    assert st.data_ptr() == ptr  # donated: the buffer was updated where it lies
    assert x[40:50].tolist() == [4.0] * 10


@pytest.mark.parametrize("shape", [(6,), (2, 3)])
def test_writes_never_invalidate_what_the_user_holds(shape):
    x = sx.reshape(sx.arange(6, dtype=sx.float64), shape)
    x[...] = sx.reshape(sx.arange(6, dtype=sx.float64), shape)  # x owns its storage
    before = np.arange(6.0).reshape(shape)
    view = x[1:]
    view_value = view._value  # a cached view value
    held = {
        "jnp.asarray": jnp.asarray(x),
        "x.numpy()": x.numpy(),
        "np.asarray": np.asarray(x),
        "np.from_dlpack": np_from_dlpack(x),
        "jnp.from_dlpack": jnp.from_dlpack(x),
        "device_put": jax.device_put(jnp.asarray(x), jax.devices()[0]),
        "cached view": view_value,
        "pytree leaf": jax.tree_util.tree_leaves(x)[0],
    }
    for _ in range(3):
        x[(0,) * len(shape)] = -1.0
        x[...] = 7.0
    for name, h in held.items():
        expected = before if name != "cached view" else before[1:]
        np.testing.assert_array_equal(np.asarray(h), expected, err_msg=name)
    assert view.tolist() == np.full(before[1:].shape, 7.0).tolist()
    assert x.tolist() == np.full(shape, 7.0).tolist()


def test_write_after_export_copies_once_then_donates_again():
    x = sx.zeros(100_000, dtype=sx.float32)
    x[0] = 1.0
    st = x.storage()
    exported = jnp.asarray(x)
    ptr = st.data_ptr()
    x[1] = 2.0  # the exported buffer is pinned: this write copies
    assert st.data_ptr() != ptr
    assert float(exported[1]) == 0.0
    ptr = st.data_ptr()
    x[2] = 3.0  # the new buffer is storax's alone: donated again
    assert st.data_ptr() == ptr
    assert x[0:3].tolist() == [1.0, 2.0, 3.0]


def test_views_see_writes_through_other_views():
    x = _grid()
    col = x[:, 1]
    row = x[2]
    assert col.tolist() == [1.0, 5.0, 9.0]
    row[1] = 90.0
    assert col.tolist() == [1.0, 5.0, 90.0]
    x.mT[1, 0] = -1.0
    assert col.tolist() == [-1.0, 5.0, 90.0]
    assert x.storage().version == 2


def test_read_only_views_and_their_views():
    b = sx.broadcast_to(sx.asarray([1.0, 2.0]), (3, 2))
    for target in (b, b[0], b.mT, b[1:, 1]):
        with pytest.raises(ValueError, match="read-only"):
            target[...] = 5.0
    with pytest.raises(ValueError, match="read-only"):
        b.add_(1.0)


def test_out_of_range_integer_array_index_raises():
    # Note: jax.numpy clamps these; storax raises as the spec asks.
    x = sx.arange(5)
    with pytest.raises(IndexError, match="__getitem__"):
        x[sx.asarray([0, 5])]
    with pytest.raises(IndexError, match="__getitem__"):
        x[sx.asarray([-6])]
    with pytest.raises(IndexError, match="__setitem__"):
        x[sx.asarray([7])] = 1
    assert x[sx.asarray([-1, 0])].tolist() == [4, 0]
    x[sx.asarray([-1, 0])] = sx.asarray([40, 10])
    assert x.tolist() == [10, 1, 2, 3, 40]


def test_mask_writes():
    x = sx.arange(6, dtype=sx.float64)
    mask = sx.asarray([True, False, True, False, False, True])
    x[mask] = -1.0
    assert x.tolist() == [-1.0, 1.0, -1.0, 3.0, 4.0, -1.0]
    x[mask] = sx.asarray([7.0, 8.0, 9.0])
    assert x.tolist() == [7.0, 1.0, 8.0, 3.0, 4.0, 9.0]
    g = _grid()
    g[sx.asarray([True, False, True])] = 0.0
    assert g.tolist()[0] == [0.0] * 4 and g.tolist()[1] == [4.0, 5.0, 6.0, 7.0]


@pytest.mark.parametrize(
    ("dtype", "value"),
    [
        (sx.bool, True),
        (sx.int8, -5),
        (sx.uint64, 2**64 - 1),
        (sx.float32, 2.5),
        (sx.complex128, 1 - 2j),
    ],
)
def test_scalar_mask_writes_every_dtype_and_view(dtype, value):
    # One compiled select; on a whole 1-D storage its result becomes the storage's buffer.
    base = np.arange(12).reshape(3, 4).astype(np.dtype(str(dtype)) if dtype != sx.bool else bool)
    mask = np.array([True, False, True, False])
    for make in (lambda a: a.reshape(-1)[:4], lambda a: a[1], lambda a: a[:, 1], lambda a: a.T[2]):
        x = sx.asarray(base, copy=True)
        v = make(x)
        held = v._value
        expected = make(base.copy())
        expected[mask[: expected.shape[0]]] = value
        v[sx.asarray(mask[: v.shape[0]])] = value
        assert v.tolist() == expected.tolist()
        assert np.asarray(held).tolist() == make(base).tolist()  # what was read is kept
        full = base.copy()
        make(full)[mask[: expected.shape[0]]] = value
        assert x.tolist() == full.tolist()  # written through the storage
    x = sx.asarray(base.reshape(-1), copy=True)
    row = x[4:8]
    x[sx.asarray(np.arange(12) % 2 == 0)] = value
    expected = base.reshape(-1).copy()
    expected[::2] = value
    assert x.tolist() == expected.tolist() and row.tolist() == expected[4:8].tolist()
    empty = sx.asarray(np.zeros(0, dtype=base.dtype))
    empty[sx.asarray(np.zeros(0, dtype=bool))] = value
    assert empty.shape == (0,)


def test_in_place_operators_adopt_the_fresh_result_safely():
    x = sx.arange(6, dtype=sx.float64)
    part = x[2:4]
    exported = jnp.asarray(x)  # pinned: never donated, never changed
    y = sx.ones(6, dtype=sx.float64)
    held = y._value
    x += y
    assert x.tolist() == [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]
    assert part.tolist() == [3.0, 4.0]  # views of the storage see the write
    assert exported.tolist() == [0.0, 1.0, 2.0, 3.0, 4.0, 5.0]
    x *= 2
    x -= y
    x[0] = 100.0  # a donated (or copied) write after adoption
    assert x.tolist() == [100.0, 3.0, 5.0, 7.0, 9.0, 11.0]
    assert y.tolist() == [1.0] * 6 and held.tolist() == [1.0] * 6
    part += 1.0  # a partial view: written through the storage
    assert x.tolist() == [100.0, 3.0, 6.0, 8.0, 9.0, 11.0]
    i = sx.arange(4, dtype=sx.int32)
    i += sx.asarray([1, 1, 1, 1], dtype=sx.int8)
    i //= 2
    assert i.tolist() == [0, 1, 1, 2] and i.dtype == sx.int32
    z = sx.zeros(3)
    z += 0  # an identity may hand its input back: nothing breaks
    z += 1
    assert z.tolist() == [1.0, 1.0, 1.0]
    with pytest.raises(ValueError, match="read-only"):
        b = sx.broadcast_to(sx.asarray([1.0, 2.0]), (3, 2))[0]
        b += 1.0
    g = _grid()
    g += 1.0  # 2-D: the written kernel path
    assert g.tolist()[0] == [1.0, 2.0, 3.0, 4.0]

    def f(a):
        a = a + 0.0
        a += 1.0
        a[a > 2.0] = 0.0
        return a

    assert jax.jit(f)(sx.asarray([1.0, 2.0, 3.0])).tolist() == [2.0, 0.0, 0.0]
    captured = sx.zeros(3)

    def g2(a):
        captured[...] += a
        return captured

    with pytest.raises(ValueError, match="cannot write, inside jax.jit"):
        jax.jit(g2)(sx.ones(3))


def test_64_bit_dtypes_are_kept():
    assert sx.asarray([1.5]).dtype == sx.float32
    assert sx.ones(2, dtype=sx.float64).dtype == sx.float64
    assert sx.asarray(2**62).item() == 2**62
    assert sx.full(2, 2**64 - 1, dtype=sx.uint64).tolist() == [2**64 - 1] * 2


# ------------------------------------------------------------------ transformations


def _writes_through_views(a):
    b = sx.reshape(a, (2, 3))
    b[0, 1] = 100.0
    row = b[1]
    row[...] = 7.0
    b.mT[2] = -1.0
    return b


def test_jit_of_a_function_that_writes_through_views():
    x = sx.arange(6, dtype=sx.float32)
    f = jax.jit(_writes_through_views)
    out = f(x)
    assert isinstance(out, sx.Array) and out.device == JAX_DEV
    expected = [[0.0, 100.0, -1.0], [7.0, 7.0, -1.0]]
    assert out.tolist() == expected
    # Traced functions are functional: the argument is not mutated by a jitted call...
    assert x.tolist() == [0.0, 1.0, 2.0, 3.0, 4.0, 5.0]
    # ... while the same function called eagerly writes through x's storage.
    assert _writes_through_views(x).tolist() == expected
    assert x.tolist() == [0.0, 100.0, -1.0, 7.0, 7.0, -1.0]
    # No retrace for another array of the same shape and dtype.
    f(sx.zeros(6, dtype=sx.float32))
    assert f._cache_size() == 1


def test_jit_cannot_write_into_captured_arrays_but_can_read_them():
    captured = sx.zeros(3)
    view = sx.arange(4.0)[1:]

    def write(a):
        captured[0] = a[0]
        return a

    with pytest.raises(ValueError, match="__setitem__.*jax.jit"):
        jax.jit(write)(sx.ones(3))
    assert captured.tolist() == [0.0, 0.0, 0.0]

    def read(a):
        a[0] = view[1]
        return a

    assert jax.jit(read)(sx.zeros(2)).tolist() == [2.0, 0.0]
    # Nothing traced leaked into the captured arrays.
    assert view.tolist() == [1.0, 2.0, 3.0] and captured.tolist() == [0.0] * 3
    captured[1] = 5.0
    assert captured.tolist() == [0.0, 5.0, 0.0]


def test_grad_of_a_function_that_writes():
    def loss(w):
        out = sx.zeros(3)
        out[0] = w[0]
        out[1:] = w[2:4]
        # jax.grad needs a jax scalar as output: convert the storax result explicitly.
        return jnp.asarray(sx.sum(out))

    g = jax.grad(loss)(sx.arange(5, dtype=sx.float32))
    assert isinstance(g, sx.Array)
    assert g.tolist() == [1.0, 0.0, 1.0, 1.0, 0.0]


def test_vmap_with_writes():
    def zero_first(r):
        r[0] = 0.0
        return r

    x = sx.reshape(sx.arange(6, dtype=sx.float32), (2, 3))
    out = jax.vmap(zero_first)(x)
    assert out.tolist() == [[0.0, 1.0, 2.0], [0.0, 4.0, 5.0]]
    assert jax.vmap(sx.sum)(x).tolist() == [3.0, 12.0]


# ------------------------------------------------------------------------- devices


def test_mixing_devices_raises_naming_both():
    j = sx.ones(3)
    n = sx.ones(3, device="cpu")
    assert j.device == JAX_DEV and n.device == "cpu"
    for action in (
        lambda: j.__setitem__(slice(None), n),
        lambda: j[sx.asarray([0], device="cpu")],
        lambda: sx.meshgrid(j, n),
    ):
        with pytest.raises(ValueError, match=rf"(?s)(cpu.*{JAX_DEV}|{JAX_DEV}.*cpu)"):
            action()


def test_moves_between_backends():
    j = sx.arange(3.0)
    n = j.to_device("cpu")
    assert n.device == "cpu" and n.tolist() == [0.0, 1.0, 2.0]
    back = sx.asarray(n, device=JAX_DEV)
    assert back.device == JAX_DEV and back.tolist() == [0.0, 1.0, 2.0]
    assert sx.from_dlpack(j, device="cpu").device == "cpu"
    assert sx.from_dlpack(n, device=JAX_DEV).device == JAX_DEV
    with pytest.raises(BufferError, match="from_dlpack"):
        sx.from_dlpack(n, device=JAX_DEV, copy=False)


def test_creation_follows_backend_and_device():
    for make in (
        lambda **k: sx.zeros(2, **k),
        lambda **k: sx.full(2, 3, **k),
        lambda **k: sx.arange(2, **k),
        lambda **k: sx.linspace(0, 1, 2, **k),
        lambda **k: sx.eye(2, **k),
        lambda **k: sx.asarray([1, 2], **k),
    ):
        assert make().device == JAX_DEV
        assert make(device="cpu").device == "cpu"
    assert sx.zeros_like(sx.ones(2, device="cpu")).device == "cpu"


def test_asarray_of_jax_values():
    v = jnp.arange(3.0)
    x = sx.asarray(v)
    assert x.device == JAX_DEV and x.dtype == sx.float64
    x[0] = 5.0
    assert float(v[0]) == 0.0  # the user's immutable JAX array is untouched
    with pytest.raises(ValueError, match="copy=False"):
        sx.asarray(v, dtype=sx.float32, copy=False)
    with pytest.raises(ValueError, match="asarray.*copy=False"):
        sx.asarray([1, 2], copy=False)


def test_dlpack_exports():
    x = sx.arange(4, dtype=sx.float64)
    for kw in ({}, {"max_version": (0, 0)}, {"max_version": (1, 0)}, {"copy": True}):
        assert np_from_dlpack(x).tolist() == [0.0, 1.0, 2.0, 3.0]
        x.__dlpack__(**kw)
    if on_host(x):
        with pytest.raises(ValueError, match="stream"):
            x.__dlpack__(stream=1)
        with pytest.raises(BufferError, match="__dlpack__"):
            x.__dlpack__(dl_device=(2, 0))
        assert x.__dlpack_device__() == (1, 0)
    else:
        assert x.__dlpack_device__()[0] == 2  # kDLCUDA


def test_pickle_round_trip():
    x = _grid()[1:, ::2]
    y = pickle.loads(pickle.dumps(x))
    assert y.device == JAX_DEV and y.tolist() == x.tolist()


def test_host_data_is_never_aliased_by_jax_arrays():
    """jax.device_put may zero-copy an aligned NumPy buffer on the CPU: storax copies."""
    for n in (3, 1024, 100_000):
        host = np.arange(float(n))
        on_jax = sx.asarray(host, device=JAX_DEV)
        with sx.use_backend("numpy"):
            numpy_backed = sx.asarray(np.arange(float(n)))
        moved = numpy_backed.to_device(JAX_DEV)
        host[0] = 7.0
        numpy_backed[0] = 7.0
        assert float(on_jax[0]) == 0.0 and float(moved[0]) == 0.0


def test_creation_kernels_every_dtype_shape_and_device():
    # zeros/ones/empty/full/eye and their *_like: one compiled kernel per signature on the
    # requested device; the same values, dtypes and placement as the eager calls.
    dev = sx.Device(jb.device_name(jax.devices()[0]))
    for dtype in (sx.bool, sx.int8, sx.uint64, sx.float32, sx.complex128):
        for shape in ((), (0,), (3,), (2, 3)):
            expected = np.zeros(shape, dtype=str(dtype))
            for make, fill in ((sx.zeros, 0), (sx.ones, 1)):
                a = make(shape, dtype=dtype, device=dev)
                assert a.dtype == dtype and a.shape == shape and a.device == dev
                assert np.asarray(a).tolist() == (expected + fill).astype(str(dtype)).tolist()
            assert sx.empty(shape, dtype=dtype).shape == shape
        big = 2**64 - 1 if dtype == sx.uint64 else 1
        f = sx.full((2, 2), big, dtype=dtype)
        assert f.dtype == dtype and f.tolist() == np.full((2, 2), big, dtype=str(dtype)).tolist()
        like = sx.full_like(f, 0)
        assert like.dtype == dtype and not bool(sx.any(like))
        assert sx.zeros_like(f).tolist() == [[0, 0], [0, 0]]
    for n, m, k in ((3, None, 0), (2, 4, 1), (4, 2, -1), (3, 3, 5), (0, 2, 0)):
        got = sx.eye(n, m, k=k, dtype=sx.int32)
        assert got.tolist() == np.eye(n, m, k=k, dtype=np.int32).tolist()
    z = sx.zeros(4)
    z[1] = 5.0  # a created array's storage is its own: writes work (and never alias)
    assert z.tolist() == [0.0, 5.0, 0.0, 0.0] and sx.zeros(4).tolist() == [0.0] * 4

    def f(a):
        return sx.zeros_like(a) + sx.ones(a.shape) + sx.full(a.shape, 2.0) + sx.eye(2)[0, 0]

    assert jax.jit(f)(sx.asarray([1.0, 2.0])).tolist() == [4.0, 4.0]


def test_reversed_views_read_by_slice_transpose_and_reverse():
    # flip, x[::-1] and permuted views with reversed axes: one slice, transpose and
    # reverse (no gather); the elements are those of NumPy's views, for every dtype kind.
    for dtype in ("bool", "int16", "uint64", "float32", "complex128"):
        a = (np.arange(24) % 5).astype(dtype).reshape(2, 3, 4)
        x = sx.asarray(a)
        views = [
            (sx.flip(x), np.flip(a)),
            (sx.flip(x, axis=1), np.flip(a, 1)),
            (x[::-1, :, ::-2], a[::-1, :, ::-2]),
            (sx.permute_dims(x, (2, 0, 1))[::-1], a.transpose(2, 0, 1)[::-1]),
            (x[1, ::-1, 1:3], a[1, ::-1, 1:3]),
            (x[:, 2:0:-1, ::-1].mT, a[:, 2:0:-1, ::-1].swapaxes(-1, -2)),
            (sx.flip(x[:1]), np.flip(a[:1])),
            (x[::-1][:, ::-1][0], a[::-1][:, ::-1][0]),
            (sx.flip(x[:, :1, :1]), np.flip(a[:, :1, :1])),
            (sx.flip(x[:, :0]), np.flip(a[:, :0])),
        ]
        for got, expected in views:
            assert np.array_equal(np.asarray(got), expected), (dtype, got.shape)
    x = sx.arange(6.0)
    r = x[::-1]
    r[0] = 50.0  # writes through the reversed view reach x; reads see them
    assert x.tolist() == [0.0, 1.0, 2.0, 3.0, 4.0, 50.0] and r.tolist()[0] == 50.0
    assert jax.jit(lambda v: sx.flip(v) + 0.0)(sx.arange(3.0)).tolist() == [2.0, 1.0, 0.0]


def test_tolist_reads_python_values_of_every_kind():
    # the backend's tolist (flags of checked kernels, bounds, Storage item reads): Python
    # values through NumPy's view of the value, nothing of it kept
    cases = [
        (jnp.asarray(2.5), 2.5),
        (jnp.asarray(True), True),
        (jnp.asarray(-3, dtype=jnp.int64), -3),
        (jnp.asarray(np.array([1 + 2j, -0.0], dtype=np.complex128)), [1 + 2j, -0.0]),
        (jnp.asarray(np.array([[1, 2], [3, 4]], dtype=np.uint8)), [[1, 2], [3, 4]]),
        (jnp.asarray(np.zeros((0, 3))), []),
        (jnp.stack([jnp.any(jnp.arange(3) < 0), jnp.asarray(True)]), [False, True]),
    ]
    for value, want in cases:
        got = jb.tolist(value)
        assert got == want and type(got) is type(want)
        if isinstance(got, list) and got:
            got.clear()  # a fresh list: the value is untouched
            assert jb.tolist(value) == want
    assert str(jb.tolist(jnp.asarray(-0.0))) == "-0.0"
    x = sx.asarray(np.arange(5.0))
    assert x[3].item() == 3.0 and x[1:3].tolist() == [1.0, 2.0]


def test_gather_and_cross_results_are_fresh_arrays_of_the_family():
    # take/take_along_axis (checked gather) and cross: the kernel's array made by the
    # input's family: writable even from a read-only view, never aliasing the input
    base = sx.reshape(sx.arange(12, dtype=sx.float64), (3, 4))
    ro = sx.broadcast_to(base[0], (2, 4))  # read-only
    for x in (base[:, ::2], ro, base.mT):
        t = sx.take(x, sx.asarray([1, 0]), axis=1)
        assert type(t) is type(base)
        np.testing.assert_array_equal(np.asarray(t), np.take(np.asarray(x), [1, 0], axis=1))
        t[0, 0] = -1.0  # fresh: writable, the input unchanged
        assert float(x[0, 1]) != -1.0
        a = sx.take_along_axis(x, sx.zeros(x.shape, dtype=sx.int64), axis=0)
        assert type(a) is type(base) and a.shape == x.shape
    with pytest.raises(IndexError, match="^take: index 4 is out of bounds"):
        sx.take(ro, sx.asarray([4]), axis=1)
    u = sx.asarray([[1.0, 0.0, 0.0]])
    c = sx.linalg.cross(u, sx.asarray([[0.0, 1.0, 0.0]]))
    assert type(c) is type(u)
    assert c.tolist() == [[0.0, 0.0, 1.0]]
    c[0, 0] = 5.0
    assert u.tolist() == [[1.0, 0.0, 0.0]]
