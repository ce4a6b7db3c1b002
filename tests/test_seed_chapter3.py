"""The seed's chapter 3 (sections 3.2-3.10), written with storax, asserting what it shows."""

from __future__ import annotations

import importlib.util

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


# ---------------------------------------------------------------------------------------
# The notebook header, section 3.4 (named tensors) and section 3.9 (moving tensors to the
# GPU), line by line, on every installed backend.

INSTALLED = [b for b in sx._backends.BACKENDS if importlib.util.find_spec(b) is not None]


@pytest.fixture(params=INSTALLED)
def backend(request):
    with sx.use_backend(request.param):
        yield request.param


def test_notebook_header(backend, capsys):
    # %matplotlib inline / from matplotlib import pyplot as plt: plotting, not storax.
    # import numpy as np / import torch  ->  import numpy as np / import storax as sx
    # import torch.nn as nn, torch.nn.functional as F, torch.optim as optim: neural-network
    # modules, outside an array library (the seed's chapter 3 uses none of them).
    saved = sx.get_printoptions()
    try:
        sx.set_printoptions(edgeitems=2)  # torch.set_printoptions(edgeitems=2)
        assert sx.get_printoptions()["edgeitems"] == 2
        print(sx.arange(2000))
        assert capsys.readouterr().out.startswith("tensor([   0,    1, ..., 1998, 1999]")
        generator = sx.manual_seed(123)  # torch.manual_seed(123)
        assert generator.initial_seed() == 123
        first = sx.rand(3).tolist()
        sx.manual_seed(123)
        assert sx.rand(3).tolist() == first
        with sx.use_backend("numpy"):  # the same stream on every backend
            sx.manual_seed(123)
            assert sx.rand(3).tolist() == first
    finally:
        sx.set_printoptions(**saved)
    assert sx.get_printoptions()["edgeitems"] == 3


def _seed_3_4_tensors():
    sx.manual_seed(0)
    img_t = sx.rand(3, 5, 5)  # shape [channels, rows, columns]
    weights = sx.asarray([0.2126, 0.7152, 0.0722])
    batch_t = sx.rand(2, 3, 5, 5)  # shape [batch, channels, rows, columns]
    return img_t, weights, batch_t


def test_3_4_in_1_to_4_broadcasting(backend):
    img_t, weights, batch_t = _seed_3_4_tensors()
    assert img_t.shape == (3, 5, 5) and batch_t.shape == (2, 3, 5, 5)
    # In [3] (the seed's img_gray_naive / image_gray_naive is one variable)
    img_gray_naive = img_t.mean(-3)
    batch_gray_naive = batch_t.mean(-3)
    assert (img_gray_naive.shape, batch_gray_naive.shape) == ((5, 5), (2, 5, 5))
    # In [4]
    unsqueezed_weights = weights.unsqueeze(-1).unsqueeze(-1)
    img_weights = img_t * unsqueezed_weights
    batch_weights = batch_t * unsqueezed_weights
    img_gray_weighted = img_weights.sum(-3)
    batch_gray_weighted = batch_weights.sum(-3)
    assert (
        batch_weights.shape,
        batch_t.shape,
        unsqueezed_weights.shape,
        batch_gray_weighted.shape,
    ) == ((2, 3, 5, 5), (2, 3, 5, 5), (3, 1, 1), (2, 5, 5))
    w = np.array([0.2126, 0.7152, 0.0722], np.float32)[:, None, None]
    np.testing.assert_allclose(img_gray_weighted.numpy(), (img_t.numpy() * w).sum(0), rtol=1e-6)


def test_3_4_in_5_names_in_a_factory_function(backend):
    # In [5], with the seed's capital C
    weights_named = sx.asarray([0.2126, 0.7152, 0.0722], names=["Channels"])
    dev = _dev()
    assert repr(weights_named) == f"tensor([0.2126, 0.7152, 0.0722]{dev}, names=('Channels',))"
    assert weights_named.names == ("Channels",)
    # rand, like torch.rand, takes names= too
    assert sx.rand(3, 5, 5, names=("channels", "rows", "columns")).names == (
        "channels", "rows", "columns",
    )  # fmt: skip


def test_3_4_in_6_to_11_named_tensors(backend, capsys):
    img_t, weights, batch_t = _seed_3_4_tensors()
    # In [5] as the book's original spells it (the translation's 'Channels' cannot be
    # aligned with 'channels' in In [8]; see test_3_4_align_needs_matching_names)
    weights_named = sx.asarray([0.2126, 0.7152, 0.0722], names=["channels"])
    # In [6]
    img_named = img_t.refine_names(..., "channels", "rows", "columns")
    batch_named = batch_t.refine_names(..., "channels", "rows", "columns")
    print("img named:", img_named.shape, img_named.names)
    print("batch named:", batch_named.shape, batch_named.names)
    assert capsys.readouterr().out.splitlines() == [
        "img named: (3, 5, 5) ('channels', 'rows', 'columns')",
        "batch named: (2, 3, 5, 5) (None, 'channels', 'rows', 'columns')",
    ]
    assert img_t.names == (None, None, None)  # refine_names returns a view, img_t unchanged
    # In [7]
    img_new_named = img_named.rename(..., "height", "width")
    batch_new_named = batch_named.rename(..., None)
    assert (img_new_named.names, batch_new_named.names) == (
        ("channels", "height", "width"),
        (None, "channels", "rows", None),
    )
    # In [8] (the seed's weights_aligned.name is .names)
    weights_aligned = weights_named.align_as(img_named)
    assert (weights_aligned.shape, weights_aligned.names) == (
        (3, 1, 1),
        ("channels", "rows", "columns"),
    )
    # In [9]
    gray_named = (img_named * weights_aligned).sum("channels")
    batch_gray_named = (batch_named * weights_aligned).sum("channels")
    assert (
        gray_named.shape,
        gray_named.names,
        batch_gray_named.shape,
        batch_gray_named.names,
    ) == ((5, 5), ("rows", "columns"), (2, 5, 5), (None, "rows", "columns"))
    w = np.array([0.2126, 0.7152, 0.0722], np.float32)[:, None, None]
    np.testing.assert_allclose(gray_named.numpy(), (img_t.numpy() * w).sum(0), rtol=1e-6)
    np.testing.assert_allclose(batch_gray_named.numpy(), (batch_t.numpy() * w).sum(1), rtol=1e-6)
    # In [10] (the seed's weight_named is weights_named)
    with pytest.raises(ValueError) as info:
        gray_named = (img_named[..., :3] * weights_named).sum("channels")
    message = str(info.value)
    assert "broadcast dims ['channels', 'rows', 'columns'] and dims ['channels']" in message
    assert (
        "dim 'columns' and dim 'channels' are at the same position from the right but do "
        "not match" in message
    )
    # In [11]
    gray_plain = gray_named.rename(None)
    assert (gray_plain.shape, gray_plain.names) == ((5, 5), (None, None))
    assert type(gray_plain) is type(img_t)  # an unnamed array is an ordinary one


def test_3_4_align_needs_matching_names(backend):
    img_named = sx.zeros((3, 5, 5), names=("channels", "rows", "columns"))
    weights_named = sx.asarray([0.2126, 0.7152, 0.0722], names=["Channels"])
    with pytest.raises(ValueError, match="align_as: the dim 'Channels'"):
        weights_named.align_as(img_named)


def test_3_4_names_in_axis_arguments(backend):
    img_t, _, _ = _seed_3_4_tensors()
    img_named = img_t.refine_names("channels", "rows", "columns")
    by_rows = sx.mean(img_named, axis="rows")
    assert by_rows.names == ("channels", "columns")
    np.testing.assert_allclose(by_rows.numpy(), img_t.numpy().mean(1), rtol=1e-6)
    assert img_named.sum(("rows", "columns")).names == ("channels",)
    with pytest.raises(ValueError, match="sum: no dim named 'height'"):
        img_named.sum("height")


def _gpus():
    return [d for d in sx._backends.devices() if sx._backends.is_gpu(d)]


def test_3_9_moving_tensors_to_the_gpu(backend):
    points = _points()
    gpus = _gpus()
    if not gpus:
        # No GPU here: every line that asks for 'cuda' says so; the CPU lines run.
        for line in (
            lambda: sx.asarray([[4.0, 1.0], [5.0, 3.0], [2.0, 1.0]], device="cuda"),  # In [1]
            lambda: points.to(device="cuda"),  # In [2]
            lambda: points.to(device="cuda:0"),  # In [3]
            lambda: 2 * points.to(device="cuda"),  # In [4]
            lambda: points.cuda(),  # In [7]
            lambda: points.cuda(0),
        ):
            with pytest.raises(ValueError, match="no 'cuda' device"):
                line()
        points = 2 * points  # In [4], on the CPU
        assert points.tolist() == [[8.0, 2.0], [10.0, 6.0], [4.0, 2.0]]
        points_cpu = points.to(device="cpu")  # In [6]
        assert points_cpu.device == "cpu" and points_cpu.tolist() == points.tolist()
        points_cpu = points.cpu()  # In [7]
        assert points_cpu.device == "cpu" and points_cpu.tolist() == points.tolist()
        return
    _seed_3_9_gpu_lines(points, gpus[0])


def _seed_3_9_gpu_lines(points, first):
    points_gpu = sx.asarray([[4.0, 1.0], [5.0, 3.0], [2.0, 1.0]], device="cuda")  # In [1]
    assert points_gpu.device == first
    points_gpu = points.to(device="cuda")  # In [2]
    assert points_gpu.device == first
    points_gpu = points.to(device="cuda:0")  # In [3]
    assert points_gpu.device == first
    points = 2 * points  # In [4]
    points_gpu = 2 * points.to(device="cuda")
    assert points_gpu.device == first
    assert points_gpu.tolist() == [[16.0, 4.0], [20.0, 12.0], [8.0, 4.0]]
    points_gpu = points_gpu + 4  # In [5]
    assert points_gpu.device == first
    points_cpu = points_gpu.to(device="cpu")  # In [6]
    assert points_cpu.device == "cpu"
    assert points_cpu.tolist() == [[20.0, 8.0], [24.0, 16.0], [12.0, 8.0]]
    points_gpu = points.cuda()  # In [7]
    assert points_gpu.device == first
    points_gpu = points.cuda(0)
    assert points_gpu.device == first
    points_cpu = points_gpu.cpu()
    assert points_cpu.device == "cpu" and points_cpu.tolist() == points.tolist()


def test_3_9_gpu_lines_on_a_stand_in_gpu(backend, monkeypatch):
    """The GPU branch above, run for real with JAX's CPU device standing in for the GPU
    (the registry's GPU test is patched), so it is exercised on a machine without one."""
    if "jax" not in INSTALLED:  # a NumPy-only install has no second device to stand in
        with pytest.raises(ValueError, match="no 'cuda' device"):
            _points().cuda()
        return
    monkeypatch.setattr(sx._backends, "is_gpu", lambda d: d == "jax:cpu:0")
    _seed_3_9_gpu_lines(_points(), "jax:cpu:0")


def test_3_9_cpu_is_the_host_device_on_every_backend(backend):
    points = _points()
    assert points.cpu().device == "cpu"
    assert points.cpu().numpy().tolist() == points.tolist()
    assert points.to(device="cpu").device == "cpu"


def test_3_9_cuda_maps_to_the_first_gpu_of_a_fake_device_list(backend, monkeypatch):
    jax_backend = sx._backends.load("jax") if "jax" in INSTALLED else None
    if jax_backend is None:  # a NumPy-only install: no backend has a GPU
        with pytest.raises(ValueError, match="no 'cuda' device"):
            sx._backends.cuda_device(0, "f")
        return
    fake = [sx.Device("jax:cpu:0"), sx.Device("jax:gpu:0"), sx.Device("jax:gpu:1")]
    monkeypatch.setattr(jax_backend, "devices", lambda: fake)
    from storax._device import as_device

    # the current backend's GPUs first; NumPy has none, so JAX's are found on NumPy too
    assert as_device("cuda", "f") == "jax:gpu:0"
    assert as_device("cuda:0", "f") == "jax:gpu:0"
    assert as_device("cuda:1", "f") == "jax:gpu:1"
    with pytest.raises(ValueError, match=r"f: there is no device 'cuda:2': the jax backend"):
        as_device("cuda:2", "f")
    with pytest.raises(ValueError, match="f: invalid CUDA device 'cuda:x'"):
        as_device("cuda:x", "f")
    with pytest.raises(TypeError, match="Array.cuda: expected a GPU index"):
        _points().cuda(1.5)
