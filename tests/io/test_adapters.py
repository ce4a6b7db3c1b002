"""Adapters: .npy/.npz (never pickle) and .safetensors."""

from __future__ import annotations

import importlib.util
import io

import numpy as np
import pytest

import storax as sx
from storax.io import FormatError

#: The backends present (JAX is optional).
BACKENDS = ("numpy", "jax") if importlib.util.find_spec("jax") else ("numpy",)


def test_npy_roundtrip(tmp_path):
    x = sx.reshape(sx.arange(12.0), (3, 4)).T
    p = tmp_path / "x.npy"
    sx.io.save_npy(x, p)
    y = sx.io.load_npy(p)
    np.testing.assert_array_equal(np.asarray(y), np.asarray(x))
    assert np.array_equal(np.load(p), np.asarray(x))  # NumPy reads it
    m = sx.io.load_npy(p, mmap=True)
    np.testing.assert_array_equal(np.asarray(m), np.asarray(x))
    with pytest.raises(ValueError):
        m[0, 0] = 1.0
    buf = io.BytesIO()
    sx.io.save_npy(sx.asarray([True, False]), buf)
    assert sx.io.load_npy(io.BytesIO(buf.getvalue())).tolist() == [True, False]


def test_npy_never_unpickles(tmp_path):
    p = tmp_path / "obj.npy"
    np.save(p, np.array([{"a": 1}], dtype=object), allow_pickle=True)
    with pytest.raises(FormatError, match="load_npy: .*object"):
        sx.io.load_npy(p)


@pytest.mark.parametrize(
    "data, message",
    [
        (b"", "not a valid .npy file"),
        (b"\x93NUMPY\x01\x00" + b"\x10\x00" + b"{'descr': '<f4'", "not a valid .npy file"),
        (b"PK\x03\x04garbage", "not a valid .npy file"),
    ],
)
def test_npy_malformed(data, message):
    with pytest.raises(FormatError, match=message):
        sx.io.load_npy(io.BytesIO(data))


def _npy_with_shape(shape) -> bytes:
    """A .npy file whose header claims ``shape`` but holds only 16 bytes of data."""
    buf = io.BytesIO()
    header = {"descr": "<f4", "fortran_order": False, "shape": shape}
    np.lib.format.write_array_header_1_0(buf, header)
    return buf.getvalue() + bytes(16)


def test_npy_huge_shape_is_rejected_before_allocating():
    with pytest.raises(FormatError, match="load_npy: the header promises 4000000000000 bytes"):
        sx.io.load_npy(io.BytesIO(_npy_with_shape((10**12,))))


def test_npy_unsupported_dtype():
    buf = io.BytesIO()
    np.save(buf, np.zeros(3, dtype=np.float16))
    with pytest.raises(FormatError, match="float16"):
        sx.io.load_npy(io.BytesIO(buf.getvalue()))


def test_npz_roundtrip(tmp_path):
    arrays = {"a": sx.arange(5)[::-1], "b": sx.ones((2, 2), dtype=sx.complex64)}
    for compress in (False, True):
        p = tmp_path / f"x{compress}.npz"
        sx.io.save_npz(arrays, p, compress=compress)
        out = sx.io.load_npz(p)
        assert sorted(out) == ["a", "b"]
        assert out["a"].tolist() == [4, 3, 2, 1, 0]
        assert out["b"].dtype == sx.complex64
        with np.load(p) as z:
            assert z["a"].tolist() == [4, 3, 2, 1, 0]


def test_npz_errors(tmp_path):
    with pytest.raises(TypeError, match="save_npz: expected a dict"):
        sx.io.save_npz(sx.arange(3), io.BytesIO())
    with pytest.raises(TypeError, match="save_npz: keys must be str"):
        sx.io.save_npz({1: sx.arange(3)}, io.BytesIO())
    with pytest.raises(FormatError, match="load_npz: not a valid .npz"):
        sx.io.load_npz(io.BytesIO(b"not a zip"))
    buf = io.BytesIO()
    np.savez(buf, o=np.array([None], dtype=object))
    with pytest.raises(FormatError, match="load_npz"):
        sx.io.load_npz(io.BytesIO(buf.getvalue()))


def test_npz_member_claiming_huge_size():
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("x.npy", _npy_with_shape((10**12,)))
    with pytest.raises(FormatError, match="load_npz: member 'x' is shorter than its header"):
        sx.io.load_npz(io.BytesIO(buf.getvalue()))


def test_safetensors_roundtrip(tmp_path):
    pytest.importorskip("safetensors")
    x = sx.reshape(sx.arange(12.0), (3, 4))
    arrays = {"x": x, "t": x.T, "b": sx.asarray([True, False]), "i": sx.arange(3, dtype=sx.uint8)}
    p = tmp_path / "x.safetensors"
    sx.io.save_safetensors(arrays, p, metadata={"k": "v"})
    out = sx.io.load_safetensors(p)
    for k, v in arrays.items():
        assert out[k].dtype == v.dtype
        np.testing.assert_array_equal(np.asarray(out[k]), np.asarray(v))
    # contiguous copies: the transpose comes back C-contiguous, not sharing x's storage
    assert out["t"].is_contiguous() and out["t"].storage() is not out["x"].storage()
    buf = io.BytesIO()
    sx.io.save_safetensors({"x": x}, buf)
    assert sx.io.load_safetensors(io.BytesIO(buf.getvalue()))["x"].tolist() == x.tolist()


def test_safetensors_malformed(tmp_path):
    pytest.importorskip("safetensors")
    with pytest.raises(FormatError, match="load_safetensors: not a valid"):
        sx.io.load_safetensors(io.BytesIO(b"\xff" * 8 + b"{}"))
    p = tmp_path / "bad.safetensors"
    p.write_bytes(b"\x08\x00\x00\x00\x00\x00\x00\x00{bad}   ")
    with pytest.raises(FormatError):
        sx.io.load_safetensors(p)
    with pytest.raises(FileNotFoundError):
        sx.io.load_safetensors(tmp_path / "missing.safetensors")


def test_zero_dim_arrays(tmp_path):
    buf = io.BytesIO()
    sx.io.save_npz({"s": sx.asarray(2.5)}, buf)
    assert sx.io.load_npz(io.BytesIO(buf.getvalue()))["s"].shape == ()
    buf = io.BytesIO()
    sx.io.save_npy(sx.asarray(2.5), buf)
    assert sx.io.load_npy(io.BytesIO(buf.getvalue())).shape == ()


def test_adapters_load_onto_the_default_backend(tmp_path):
    x = sx.reshape(sx.arange(6.0), (2, 3)).T
    sx.io.save_npy(x, tmp_path / "x.npy")
    sx.io.save_npz({"x": x}, tmp_path / "x.npz")
    for backend in BACKENDS:
        with sx.use_backend(backend):
            device = sx.asarray(0).device
            got = [sx.io.load_npy(tmp_path / "x.npy"), sx.io.load_npz(tmp_path / "x.npz")["x"]]
        for y in got:
            assert y.device == device
            np.testing.assert_array_equal(np.asarray(y), np.asarray(x))
