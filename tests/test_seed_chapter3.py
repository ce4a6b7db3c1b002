"""The seed's chapter 3 (sections 3.2-3.10), written with storax, asserting what it shows."""

from __future__ import annotations

import numpy as np
import pytest

import storax as sx
from _devices import default_dev, shares_host_memory


def _dev() -> str:
    """The device suffix storax's repr adds off the NumPy backend."""
    return "" if sx.get_backend() == "numpy" else f", device='{default_dev()}'"


def _points():
    return sx.asarray([[4.0, 1.0], [5.0, 3.0], [2.0, 1.0]])


def test_3_2_ones_index_and_assign():
    a = sx.ones(3)
    assert a.dtype == sx.float32  # torch.ones(3) is float32
    assert a.tolist() == [1.0, 1.0, 1.0]
    assert a[1].ndim == 0 and float(a[1]) == 1.0
    a[2] = 2.0
    assert a.tolist() == [1.0, 1.0, 2.0]
    assert repr(a) == f"tensor([1., 1., 2.]{_dev()})"


def test_3_2_points_from_zeros_and_lists():
    points = sx.zeros(6)
    for i, v in enumerate([4.0, 1.0, 5.0, 3.0, 2.0, 1.0]):
        points[i] = v
    assert points.tolist() == [4.0, 1.0, 5.0, 3.0, 2.0, 1.0]
    assert (float(points[0]), float(points[1])) == (4.0, 1.0)
    points = _points()
    assert points.shape == (3, 2)
    assert sx.zeros((3, 2)).tolist() == [[0.0, 0.0]] * 3
    assert float(points[0, 1]) == 1.0
    assert points[0].tolist() == [4.0, 1.0]
    assert repr(points) == f"tensor([[4., 1.],\n        [5., 3.],\n        [2., 1.]]{_dev()})"


def test_3_3_range_indexing():
    points = _points()
    assert points[1:].tolist() == [[5.0, 3.0], [2.0, 1.0]]
    assert points[1:, :].tolist() == [[5.0, 3.0], [2.0, 1.0]]
    assert points[1:, 0].tolist() == [5.0, 2.0]
    assert points[None].shape == (1, 3, 2)
    assert points[None].tolist() == [[[4.0, 1.0], [5.0, 3.0], [2.0, 1.0]]]


def test_3_4_broadcast_weights():
    img_t = sx.asarray(np.random.default_rng(0).random((3, 5, 5), dtype=np.float32))
    batch_t = sx.asarray(np.random.default_rng(1).random((2, 3, 5, 5), dtype=np.float32))
    weights = sx.asarray([0.2126, 0.7152, 0.0722])
    assert img_t.mean(-3).shape == (5, 5)
    assert batch_t.mean(-3).shape == (2, 5, 5)
    unsqueezed = weights.unsqueeze(-1).unsqueeze(-1)
    assert unsqueezed.shape == (3, 1, 1)
    batch_weights = batch_t * unsqueezed
    assert batch_weights.shape == (2, 3, 5, 5)
    gray = batch_weights.sum(-3)
    assert gray.shape == (2, 5, 5)
    expected = batch_t.numpy() * np.array([0.2126, 0.7152, 0.0722], np.float32)[:, None, None]
    np.testing.assert_allclose(gray.numpy(), expected.sum(-3), rtol=1e-6)


def test_3_5_dtypes_and_casts():
    double_points = sx.ones((10, 2), dtype=sx.float64)
    short_points = sx.asarray([[1, 2], [3, 4]], dtype=sx.int16)
    assert double_points.dtype == sx.float64
    assert short_points.dtype == sx.int16
    assert sx.zeros((10, 2)).double().dtype == sx.float64
    assert sx.ones((10, 2)).short().dtype == sx.int16
    assert sx.zeros((10, 2)).to(sx.float64).dtype == sx.float64
    assert sx.zeros((10, 2)).to(dtype=sx.int16).dtype == sx.int16
    assert sx.asarray([2, 2]).dtype == sx.int64
    points_64 = sx.asarray(np.random.default_rng(0).random(5))
    points_short = points_64.to(sx.int16)
    assert points_short.tolist() == [0] * 5
    prod = points_64 * points_short  # integer and floating point multiply
    assert prod.dtype == sx.float64 and prod.tolist() == [0.0] * 5
    assert (_points() > 1.0).dtype == sx.bool


def test_3_6_transpose_function_and_method():
    a = sx.ones((3, 2))
    assert sx.permute_dims(a, (1, 0)).shape == (2, 3)
    assert a.transpose(0, 1).shape == (2, 3)


def test_3_7_storage_indexing_and_writes():
    points = _points()
    storage = points.storage()
    assert storage.tolist() == [4.0, 1.0, 5.0, 3.0, 2.0, 1.0]
    assert len(storage) == 6 and storage.dtype == sx.float32
    assert storage[0] == 4.0 and points.storage()[1] == 1.0
    text = repr(storage)
    assert text.splitlines()[:2] == [" 4.0", " 1.0"]
    assert "of size 6" in text.splitlines()[-1]
    storage[0] = 2.0
    assert points.tolist() == [[2.0, 1.0], [5.0, 3.0], [2.0, 1.0]]


def test_3_7_2_zero_():
    a = sx.ones((3, 2))
    assert a.zero_() is a
    assert a.tolist() == [[0.0, 0.0]] * 3


def test_3_8_1_views_of_storage():
    points = _points()
    second_point = points[1]
    assert second_point.storage_offset() == 2
    assert second_point.shape == (2,)
    assert points.stride() == (2, 1)
    assert second_point.stride() == (1,)
    second_point[0] = 10.0
    assert points.tolist() == [[4.0, 1.0], [10.0, 3.0], [2.0, 1.0]]


def test_3_8_1_clone():
    points = _points()
    second_point = points[1].clone()
    second_point[0] = 10.0
    assert points.tolist() == [[4.0, 1.0], [5.0, 3.0], [2.0, 1.0]]


def test_3_8_2_transpose_without_copy():
    points = _points()
    points_t = points.t()
    assert points_t.tolist() == [[4.0, 5.0, 2.0], [1.0, 3.0, 1.0]]
    assert points.storage() is points_t.storage()
    assert (points.stride(), points_t.stride()) == ((2, 1), (1, 2))


def test_3_8_3_transpose_higher_dims():
    some_t = sx.ones((3, 4, 5))
    transpose_t = some_t.transpose(0, 2)
    assert some_t.shape == (3, 4, 5) and transpose_t.shape == (5, 4, 3)
    assert some_t.stride() == (20, 5, 1)
    assert transpose_t.stride() == (1, 5, 20)


def test_3_8_4_contiguous():
    points = _points()
    points_t = points.t()
    assert points.is_contiguous() and not points_t.is_contiguous()
    assert points_t.storage().tolist() == [4.0, 1.0, 5.0, 3.0, 2.0, 1.0]
    assert points_t.stride() == (1, 2)
    cont = points_t.contiguous()
    assert cont.tolist() == [[4.0, 5.0, 2.0], [1.0, 3.0, 1.0]]
    assert cont.stride() == (3, 1)
    assert cont.storage().tolist() == [4.0, 5.0, 2.0, 1.0, 3.0, 1.0]
    assert cont.storage() is not points.storage()
    assert points.contiguous() is points


def test_3_9_device_attribute():
    points = _points()
    here = default_dev()
    assert points.device == here
    assert points.to(device=here) is points
    other = "jax:cpu:0" if here == "cpu" else "cpu"
    moved = points.to(device=other)
    assert moved.device == other and moved.tolist() == points.tolist()
    assert moved.to(device=here).device == here
    doubled = 2 * points
    assert (doubled + 4).tolist() == [[12.0, 6.0], [14.0, 10.0], [8.0, 6.0]]
    with pytest.raises(ValueError, match="cuda"):
        points.to(device="cuda")


def test_3_10_numpy_interop():
    points = sx.ones((3, 4))
    if not shares_host_memory():
        # Like a GPU tensor in the seed: numpy() is a host copy, writes are not shared.
        points_np = points.numpy()
        assert points_np.dtype == np.float32 and points_np.shape == (3, 4)
        points_np[0, 0] = 7.0
        assert float(points[0, 0]) == 1.0
        back = sx.from_numpy(points_np)
        assert back.device == "cpu" and float(back[0, 0]) == 7.0
        return
    points_np = points.numpy()
    assert points_np.dtype == np.float32 and points_np.shape == (3, 4)
    points_np[0, 0] = 7.0
    assert float(points[0, 0]) == 7.0
    points[1, 1] = 9.0
    assert points_np[1, 1] == 9.0
    back = sx.from_numpy(points_np)
    back[2, 2] = 3.0
    assert points_np[2, 2] == 3.0 and float(points[2, 2]) == 3.0
    assert back.storage().data_ptr() == points.storage().data_ptr()


def test_3_14_cos_in_place():
    a = sx.asarray(list(range(9)))
    with pytest.raises(TypeError, match="cos_"):
        a.cos_()  # integer storage cannot hold cosines
    a = a.to(dtype=sx.float32)
    assert a.cos_() is a
    np.testing.assert_allclose(a.numpy(), np.cos(np.arange(9, dtype=np.float32)), rtol=1e-6)
    assert repr(a).startswith("tensor([ 1.0000,  0.5403, -0.4161")
