"""HDF5 through h5py: save/load of nested dicts, lazy reads of dataset regions."""

from __future__ import annotations

import importlib.util

import numpy as np
import pytest

import storax as sx
from storax.io import FormatError

#: The backends present (JAX is optional).
BACKENDS = ("numpy", "jax") if importlib.util.find_spec("jax") else ("numpy",)

h5py = pytest.importorskip("h5py")

DTYPES = [
    "bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
    "float32", "float64", "complex64", "complex128",
]  # fmt: skip


@pytest.fixture
def path(tmp_path):
    return tmp_path / "data.h5"


def test_nested_dict_roundtrip(path):
    x = sx.reshape(sx.arange(12.0), (3, 4))
    obj = {
        "coords": x,
        "transposed": x.T,
        "meta": {"name": "points", "count": 3, "scale": 0.5, "ok": True, "z": 1 + 2j,
                 "inner": {"ids": sx.asarray([1, 2, 3], dtype=sx.uint16)}},
    }  # fmt: skip
    sx.io.save_hdf5(obj, path)
    out = sx.io.load_hdf5(path)
    np.testing.assert_array_equal(np.asarray(out["coords"]), np.asarray(x))
    np.testing.assert_array_equal(np.asarray(out["transposed"]), np.asarray(x.T))
    assert out["meta"]["name"] == "points" and out["meta"]["count"] == 3
    assert out["meta"]["scale"] == 0.5 and out["meta"]["ok"] is True and out["meta"]["z"] == 1 + 2j
    assert out["meta"]["inner"]["ids"].dtype == sx.uint16
    # HDF5 datasets are independent copies: sharing is not kept
    assert out["coords"].storage() is not out["transposed"].storage()


@pytest.mark.parametrize("dtype", DTYPES)
def test_every_dtype(path, dtype):
    x = sx.from_numpy(np.arange(6).astype(dtype).reshape(2, 3))
    sx.io.save_hdf5(x, path)
    y = sx.io.load_hdf5(path)
    assert y.dtype == x.dtype
    np.testing.assert_array_equal(np.asarray(y), np.asarray(x))


def test_single_array_and_zero_dim(path):
    sx.io.save_hdf5(sx.asarray(3.5), path)
    y = sx.io.load_hdf5(path)
    assert isinstance(y, sx.Array) and y.shape == () and y.item() == 3.5


def test_lazy_slicing_matches_numpy(path):
    values = np.arange(60, dtype=np.float32).reshape(5, 3, 4)
    sx.io.save_hdf5({"coords": sx.from_numpy(values)}, path)
    keys = [
        slice(-2, None), (slice(None, None, -1),), (1, slice(None), slice(3, 0, -2)),
        (Ellipsis, -1), (slice(None, None, 2), None, 0), 2, (), Ellipsis,
        (slice(4, 1, -3), slice(0, 0)), (slice(10, 20),), (-5, -3, -4),
    ]  # fmt: skip
    with sx.io.open_hdf5(path) as f:
        d = f["coords"]
        assert d.shape == (5, 3, 4) and d.dtype == sx.float32 and d.ndim == 3 and len(d) == 5
        for key in keys:
            got = d[key]
            assert isinstance(got, sx.Array)
            np.testing.assert_array_equal(np.asarray(got), values[key], err_msg=str(key))
        np.testing.assert_array_equal(np.asarray(d.read()), values)


def test_lazy_reads_only_the_selected_region(path):
    sx.io.save_hdf5({"coords": sx.reshape(sx.arange(1000.0), (500, 2))}, path)
    with sx.io.open_hdf5(path) as f:
        d = f["coords"]
        requested = []
        real = d._dset

        class Spy:
            dtype, shape, name = real.dtype, real.shape, real.name

            def __getitem__(self, key):
                requested.append(key)
                return real[key]

        d._dset = Spy()
        assert d[-2:].tolist() == [[996.0, 997.0], [998.0, 999.0]]
        assert d[::-100, 1].tolist() == [999.0, 799.0, 599.0, 399.0, 199.0]
    assert requested[0] == (slice(498, 500, 1), slice(0, 2, 1))
    assert requested[1] == (slice(99, 500, 100), 1)  # positive region, flipped in memory


def test_lazy_errors(path):
    sx.io.save_hdf5({"x": sx.arange(3), "g": {"y": sx.arange(2)}}, path)
    with sx.io.open_hdf5(path) as f:
        assert sorted(f) == ["g", "x"] and "x" in f and len(f) == 2
        assert isinstance(f["g"], sx.io.HDF5Group)
        assert f["g"]["y"][1].item() == 1
        with pytest.raises(IndexError, match="HDF5Dataset.__getitem__: index 3 is out of range"):
            f["x"][3]
        with pytest.raises(IndexError, match="too many indices"):
            f["x"][0, 0]
        with pytest.raises(TypeError, match="only ints, slices"):
            f["x"][[0, 1]]
        with pytest.raises(KeyError, match="no member 'nope'"):
            f["nope"]


def test_save_errors(path):
    with pytest.raises(TypeError, match="save_hdf5: cannot save an object of type list"):
        sx.io.save_hdf5({"a": [1, 2]}, path)
    with pytest.raises(ValueError, match="not a valid HDF5 name"):
        sx.io.save_hdf5({"a/b": sx.arange(2)}, path)
    with pytest.raises(TypeError, match="save_hdf5: expected an array or a dict"):
        sx.io.save_hdf5(3, path)
    assert not path.exists()


def test_save_is_atomic(path, monkeypatch):
    sx.io.save_hdf5({"a": sx.arange(2)}, path)
    with pytest.raises(TypeError):
        sx.io.save_hdf5({"a": sx.arange(5), "b": object()}, path)
    assert sx.io.load_hdf5(path)["a"].tolist() == [0, 1]


def test_foreign_file_with_unsupported_dtype(path):
    with h5py.File(path, "w") as f:
        f["half"] = np.zeros(3, dtype=np.float16)
        f["ok"] = np.arange(3)
    with sx.io.open_hdf5(path) as g:
        assert g["ok"][:].tolist() == [0, 1, 2]
        with pytest.raises(FormatError, match="float16"):
            g["half"]


def test_not_an_hdf5_file(tmp_path):
    p = tmp_path / "bad.h5"
    p.write_bytes(b"garbage" * 100)
    with pytest.raises(FormatError, match="open_hdf5: not a readable HDF5 file"):
        sx.io.open_hdf5(p)
    with pytest.raises(FileNotFoundError):
        sx.io.open_hdf5(tmp_path / "missing.h5")


def test_write_into_open_group(path):
    with h5py.File(path, "w") as f:
        sx.io.save_hdf5({"x": sx.arange(3)}, f.create_group("run1"))
    assert sx.io.load_hdf5(path)["run1"]["x"].tolist() == [0, 1, 2]


def test_loads_onto_the_default_backend(path):
    x = sx.reshape(sx.arange(6.0), (2, 3))
    sx.io.save_hdf5({"x": x.T}, path)
    for backend in BACKENDS:
        with sx.use_backend(backend):
            device = sx.asarray(0).device
            y = sx.io.load_hdf5(path)["x"]
            with sx.io.open_hdf5(path) as f:
                z = f["x"][::-1]
        assert y.device == device and z.device == device
        np.testing.assert_array_equal(np.asarray(y), np.asarray(x.T))
        np.testing.assert_array_equal(np.asarray(z), np.asarray(x.T)[::-1])
