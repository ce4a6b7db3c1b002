"""Pickling arrays and storages: protocol 5 out-of-band buffers, sharing within a pickle."""

from __future__ import annotations

import copy
import importlib.util
import multiprocessing
import pickle
import sys
import warnings

import numpy as np
import pytest

import storax as sx

#: The backends present (JAX is optional).
BACKENDS = ("numpy", "jax") if importlib.util.find_spec("jax") else ("numpy",)


@pytest.mark.parametrize("protocol", range(pickle.HIGHEST_PROTOCOL + 1))
def test_views_roundtrip_every_protocol(protocol):
    x = sx.reshape(sx.arange(12.0), (3, 4))
    for v in (x, x.T, x[::-1, 1:3], x[2], x[1, 1], x[:0], sx.broadcast_to(x[0], (2, 3, 4))):
        y = pickle.loads(pickle.dumps(v, protocol=protocol))
        assert y.shape == v.shape and y.dtype == v.dtype
        if v.size:
            assert y.stride() == v.stride()
        np.testing.assert_array_equal(np.asarray(y), np.asarray(v))


def test_sharing_within_one_pickle():
    x = sx.reshape(sx.arange(12.0), (3, 4))
    a, t, row = pickle.loads(pickle.dumps((x, x.T, x[1])))
    st = a.storage()
    assert t.storage() is st and row.storage() is st
    assert row.storage_offset() == 4
    row[0] = -1.0
    assert a[1, 0].item() == -1.0 and t[0, 1].item() == -1.0
    assert x[1, 0].item() == 4.0  # an in-band pickle is a copy


def test_separate_pickles_do_not_share():
    x = sx.arange(3)
    a = pickle.loads(pickle.dumps(x))
    b = pickle.loads(pickle.dumps(x))
    a[0] = 9
    assert b[0].item() == 0


def test_out_of_band_buffers():
    x = sx.reshape(sx.arange(1000.0), (10, 100))
    buffers: list[pickle.PickleBuffer] = []
    data = pickle.dumps((x, x[3]), protocol=5, buffer_callback=buffers.append)
    assert len(buffers) == 1 and len(data) < 1000  # the storage travelled out of band, once
    a, row = pickle.loads(data, buffers=buffers)
    assert row.storage() is a.storage()
    np.testing.assert_array_equal(np.asarray(a), np.asarray(x))


def test_storage_pickles():
    x = sx.arange(5)
    st, y = pickle.loads(pickle.dumps((x.storage(), x[1:])))
    assert st.size() == 5 and st.tolist() == [0, 1, 2, 3, 4]
    assert y.storage() is st


def test_deepcopy_keeps_internal_sharing():
    x = sx.reshape(sx.arange(6), (2, 3))
    a, t = copy.deepcopy((x, x.T))
    assert a.storage() is t.storage() and a.storage() is not x.storage()
    a[0, 0] = 100
    assert t[0, 0].item() == 100 and x[0, 0].item() == 0


def test_read_only_and_mmapped_arrays_pickle(tmp_path):
    p = tmp_path / "m.stx"
    sx.save(sx.arange(4.0), p)
    m = sx.load(p, mmap=True)
    y = pickle.loads(pickle.dumps(m))
    assert y.tolist() == [0.0, 1.0, 2.0, 3.0]


def _total(x):
    return float(x.sum())


def test_multiprocessing():
    # Note: fork() after JAX started its threads may deadlock; spawn a fresh interpreter.
    ctx = multiprocessing.get_context("spawn" if "jax" in sys.modules else "fork")
    with warnings.catch_warnings():
        # Note: Python >= 3.12 warns that fork() in a threaded process may deadlock.
        warnings.simplefilter("ignore", DeprecationWarning)
        pool = ctx.Pool(1)
    with pool:
        assert pool.map(_total, [sx.arange(4.0), sx.ones(3)[::2]]) == [6.0, 2.0]


def test_joblib_dump_load(tmp_path):
    joblib = pytest.importorskip("joblib")
    x = sx.reshape(sx.arange(12.0), (3, 4))
    joblib.dump((x, x.T), tmp_path / "j.pkl")
    a, t = joblib.load(tmp_path / "j.pkl")
    assert a.storage() is t.storage() and t.stride() == (1, 4)


def test_arrays_unpickle_on_their_own_device():
    for backend in BACKENDS:
        with sx.use_backend(backend):
            x = sx.reshape(sx.arange(6.0), (2, 3))
        other = "jax" if backend == "numpy" else "numpy"
        with sx.use_backend(other):
            a, t, e = pickle.loads(pickle.dumps((x, x.T, x[:0]), protocol=5))
        assert a.device == x.device and t.device == x.device and e.device == x.device
        assert type(a) is type(x) and t.storage() is a.storage() and t.stride() == (1, 3)
        assert e.shape == (0, 3) and e.dtype == x.dtype


def test_a_view_pickles_its_own_elements_not_its_storage():
    x = sx.arange(100_000, dtype=sx.float64)
    v = x[500:2500]
    data = pickle.dumps(v, protocol=5)
    assert len(data) <= 1.1 * v.nbytes
    y = pickle.loads(data)
    assert y.storage().size() == v.size
    np.testing.assert_array_equal(np.asarray(y), np.asarray(v))


def test_views_pickled_together_carry_their_union_once():
    x = sx.arange(100_000, dtype=sx.float64)
    a, b, c = x[2000:3000], x[0:1500], x[2500:2600]  # the second reaches below the first
    data = pickle.dumps((a, b, c), protocol=4)
    assert len(data) <= 1.1 * 3000 * 8  # the union of the extents, not each view
    a2, b2, c2 = pickle.loads(data)
    assert a2.storage() is b2.storage() is c2.storage() and a2.storage().size() == 3000
    for old, new in ((a, a2), (b, b2), (c, c2)):
        np.testing.assert_array_equal(np.asarray(new), np.asarray(old))
    c2[0] = -1.0
    assert a2[500].item() == -1.0


def test_separate_pickles_in_one_frame_each_carry_their_elements():
    x = sx.arange(1000, dtype=sx.float64)
    first = pickle.dumps(x[:10])
    second = pickle.dumps(x[:10])  # the same caller: a new pickle carries the data again
    assert pickle.loads(second).tolist() == pickle.loads(first).tolist() == list(range(10))


def test_copy_is_a_view_and_deepcopy_a_copy():
    x = sx.arange(6.0)
    c = copy.copy(x[1:4])
    assert c.storage() is x.storage() and c.storage_offset() == 1
    d = copy.deepcopy(x[1:4])
    d[0] = -1.0
    assert x[1].item() == 1.0


def test_the_jax_family_class_unpickles_in_a_fresh_process():
    # distributed pickles an array's class for its serializer's dispatch: the JAX family
    # module must import first, before its backend module
    pytest.importorskip("jax")
    import subprocess

    with sx.use_backend("jax"):
        x = sx.arange(3.0)
    code = (
        "import pickle, sys; t, x = pickle.loads(sys.stdin.buffer.read()); "
        "print(t.__name__, (x + 1).tolist())"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], input=pickle.dumps((type(x), x)),
        capture_output=True, check=True,
    ).stdout  # fmt: skip
    assert out.split() == [b"JaxArray", b"[1.0,", b"2.0,", b"3.0]"]


def test_a_reduction_kept_alive_never_leaves_a_later_pickle_short():
    # a reduction tuple kept by the caller keeps its pickle's record of claimed elements
    # alive: later pickles from the same frame must still carry every element they use
    x = sx.arange(100, dtype=sx.float64)
    kept = x[10:20].__reduce_ex__(5)
    for _ in range(2):
        a, b = pickle.loads(pickle.dumps((x[10:20], x[15:30]), protocol=5))
        assert a.tolist() == list(range(10, 20)) and b.tolist() == list(range(15, 30))
        assert a.storage() is b.storage()
    assert kept[0] is not None
