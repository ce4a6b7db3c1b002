"""Storage: the flat typed buffer under every array."""

from __future__ import annotations

import numpy as np
import pytest

import storax as sx


def test_storage_basics():
    x = sx.asarray([[1, 2, 3], [4, 5, 6]], dtype=sx.int32)
    s = x.storage()
    assert isinstance(s, sx.Storage)
    assert s.dtype == sx.int32 and s.size() == 6 and len(s) == 6
    assert s.nbytes == 24 and s.element_size() == 4
    assert s.device == x.device
    assert s.tolist() == [1, 2, 3, 4, 5, 6] and list(s) == [1, 2, 3, 4, 5, 6]
    assert s[-1] == 6 and s[1:3] == [2, 3]
    assert isinstance(s[0], int)


def test_storage_is_shared_by_all_views_and_outlives_the_array():
    x = sx.zeros(10)
    views = [x[2:5], x[::-1], x.view(2, 5).mT, x[None]]
    storages = [v.storage() for v in views] + [x.storage()]
    assert all(s is storages[0] for s in storages)  # one Storage object while any is alive
    s = views[0].storage()
    del x, views
    s[3] = 1.0
    assert s.tolist()[3] == 1.0


def test_storage_errors():
    s = sx.zeros(3).storage()
    with pytest.raises(IndexError, match="Storage.__getitem__"):
        s[3]
    with pytest.raises(IndexError, match="Storage.__setitem__"):
        s[-4] = 1.0
    with pytest.raises(TypeError, match="Storage.__getitem__"):
        s["a"]
    with pytest.raises(TypeError, match="bool"):
        s[True]
    ro = sx.broadcast_to(sx.zeros(1), (3,)).storage()
    assert ro.size() == 1


def test_storage_repr_is_seed_like():
    x = sx.asarray([4.0, 1.0])
    s = x.storage()
    assert repr(s).splitlines() == [
        " 4.0",
        " 1.0",
        f"[storax.Storage(dtype=float32, device={x.device}) of size 2]",
    ]


def test_view_of_a_foreign_numpy_array():
    base = np.arange(10, dtype=np.float64)
    x = sx.from_numpy(base[2:8:2])
    assert x.storage_offset() == 2 and x.stride() == (2,)
    assert x.storage().tolist() == base.tolist()
    x.storage()[2] = 100.0
    assert base[2] == 100.0 and float(x[0]) == 100.0


def test_from_numpy_rejects_non_arrays_and_unsupported_dtypes():
    with pytest.raises(TypeError, match="from_numpy"):
        sx.from_numpy([1, 2])
    with pytest.raises(TypeError, match="from_numpy"):
        sx.from_numpy(np.zeros(2, dtype=np.float16))


def test_layout_matches_numpy_strides():
    x = sx.reshape(sx.arange(60), (3, 4, 5))
    v = x[1:, ::-2, 3]
    lay = v.layout()
    assert lay.shape == v.shape
    if sx.get_backend() == "numpy":
        assert lay.strides == tuple(s // 8 for s in v.numpy().strides)
    assert lay.strides == (60 // 3, -2 * 5) and lay.offset == 20 + 15 + 3
    np.testing.assert_array_equal(
        np.asarray(x.storage().tolist())[lay.element_indices()], v.numpy().ravel()
    )
