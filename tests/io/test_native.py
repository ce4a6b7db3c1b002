"""storax.save / storax.load: round trips, strides, sharing, compaction, mmap, atomicity."""

from __future__ import annotations

import importlib.util
import io
import json
import math
import os
import struct

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import storax as sx
from storax.io import _native

#: The backends present (JAX is optional).
BACKENDS = ("numpy", "jax") if importlib.util.find_spec("jax") else ("numpy",)

DTYPES = [
    "bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
    "float32", "float64", "complex64", "complex128",
]  # fmt: skip


def roundtrip(obj, **kwargs):
    buf = io.BytesIO()
    sx.save(obj, buf)
    return sx.load(io.BytesIO(buf.getvalue()), **kwargs)


def header_of(data: bytes) -> dict:
    (n,) = struct.unpack_from("<Q", data, 16)
    return json.loads(data[24 : 24 + n])


def nbytes_of(obj) -> int:
    buf = io.BytesIO()
    sx.save(obj, buf)
    return len(buf.getvalue())


@pytest.mark.parametrize("dtype", DTYPES)
def test_every_dtype_roundtrips(dtype):
    values = np.arange(-3, 9).astype(dtype).reshape(3, 4)
    x = sx.from_numpy(values.copy())
    y = roundtrip(x)
    assert y.dtype == x.dtype
    assert y.shape == (3, 4)
    np.testing.assert_array_equal(np.asarray(y), values)


def test_special_values_and_zero_dim():
    x = sx.asarray([math.nan, math.inf, -math.inf, -0.0], dtype=sx.float64)
    y = roundtrip({"x": x, "s": sx.asarray(5, dtype=sx.int16)})
    got = np.asarray(y["x"])
    assert np.isnan(got[0]) and got[1] == math.inf and got[2] == -math.inf
    assert math.copysign(1.0, got[3]) == -1.0
    assert y["s"].shape == () and y["s"].dtype == sx.int16 and y["s"].item() == 5


def test_empty_arrays_keep_shape_and_dtype():
    x = sx.zeros((3, 0, 2), dtype=sx.complex64)
    y = roundtrip([x, sx.reshape(sx.arange(6), (2, 3))[:, 3:]])
    assert y[0].shape == (3, 0, 2) and y[0].dtype == sx.complex64
    assert y[1].shape == (2, 0) and y[1].dtype == sx.int64


def test_python_tree_roundtrips():
    obj = {
        "ints": [0, -1, 2**70, -(2**80)],
        "floats": (1.5, -0.0, math.inf, 1e-310),
        "complex": 1 - 2j,
        "text": "héllo \udc80 \x00 \U0001f600",
        "none": None,
        "flags": [True, False],
        "nested": {"a": {"b": [(), [], {}]}},
        "": "empty key",
    }
    assert roundtrip(obj) == obj
    assert list(roundtrip(obj)) == list(obj)  # key order kept
    nan = roundtrip(math.nan)
    assert math.isnan(nan)


def test_tuple_and_list_types_kept():
    out = roundtrip((1, [2, (3,)]))
    assert type(out) is tuple and type(out[1]) is list and type(out[1][1]) is tuple


def test_views_keep_strides_and_offsets():
    x = sx.reshape(sx.arange(24.0), (4, 6))
    views = {"t": x.T, "rev": x[::-1, ::-2], "off": x[1:3, 2:], "row": x[2], "pt": x[3, 5]}
    out = roundtrip(views)
    for k, v in views.items():
        assert out[k].shape == v.shape
        assert out[k].stride() == v.stride(), k
        np.testing.assert_array_equal(np.asarray(out[k]), np.asarray(v))


def test_sharing_is_preserved():
    x = sx.reshape(sx.arange(12.0), (3, 4))
    out = roundtrip({"x": x, "t": x.T, "row": x[1], "other": sx.ones(3)})
    st = out["x"].storage()
    assert out["t"].storage() is st and out["row"].storage() is st
    assert out["other"].storage() is not st
    out["row"][2] = -5.0
    assert out["x"][1, 2].item() == -5.0 and out["t"][2, 1].item() == -5.0
    assert out["other"].tolist() == [1.0, 1.0, 1.0]
    h = header_of(_bytes({"x": x, "t": x.T, "row": x[1]}))
    assert len(h["storages"]) == 1


def test_same_array_twice_is_one_object():
    x = sx.arange(3)
    out = roundtrip([x, {"again": x}])
    assert out[0] is out[1]["again"]


def _bytes(obj) -> bytes:
    buf = io.BytesIO()
    sx.save(obj, buf)
    return buf.getvalue()


def test_small_view_of_huge_storage_writes_only_its_elements():
    big = sx.zeros(10_000_000, dtype=sx.float32)  # 40 MB
    assert nbytes_of(big[100:110]) < 1024
    h = header_of(_bytes(big[100:110]))
    assert h["storages"][0]["size"] == 10


def test_far_apart_views_are_compacted_and_stay_independent():
    big = sx.arange(10_000_000, dtype=sx.float32)
    a, b = big[:10], big[-10:]
    assert nbytes_of({"a": a, "b": b}) < 2048
    out = roundtrip({"a": a, "b": b, "a2": big[2:5]})
    assert out["a"].tolist() == list(range(10))
    assert out["b"].tolist() == list(range(10_000_000 - 10, 10_000_000))
    # a and a2 overlap: one storage, writes visible; b shares no element with them
    assert out["a2"].storage() is out["a"].storage()
    out["a2"][0] = -1.0
    assert out["a"][2].item() == -1.0


def test_close_views_stay_in_one_storage():
    x = sx.arange(100)
    out = roundtrip([x[:10], x[50:60]])
    assert out[0].storage() is out[1].storage()
    assert out[1].storage_offset() - out[0].storage_offset() == 50


def test_broadcast_views_roundtrip_read_only():
    x = sx.broadcast_to(sx.asarray([1.0, 2.0]), (1000, 2))
    assert nbytes_of(x) < 1024
    y = roundtrip(x)
    assert y.stride() == (0, 1)
    np.testing.assert_array_equal(np.asarray(y), np.asarray(x))
    with pytest.raises(ValueError):
        y[0, 0] = 5.0


def test_loaded_arrays_are_writable_and_own_their_memory():
    y = roundtrip(sx.arange(4))
    y[0] = 9
    assert y.tolist() == [9, 1, 2, 3]


def test_data_is_64_byte_aligned_and_little_endian():
    data = _bytes({"a": sx.asarray([1], dtype=sx.int32), "b": sx.asarray([2.0])})
    h = header_of(data)
    (n,) = struct.unpack_from("<Q", data, 16)
    start = -(-(24 + n) // 64) * 64
    for entry in h["storages"]:
        assert entry["offset"] % 64 == 0
    off_a = start + h["storages"][h["views"][0]["storage"]]["offset"]
    assert data[off_a : off_a + 4] == struct.pack("<i", 1)


def test_paths_and_file_objects(tmp_path):
    p = tmp_path / "a.stx"
    sx.save({"x": sx.arange(3)}, p)
    assert sx.load(p)["x"].tolist() == [0, 1, 2]
    assert sx.load(str(p))["x"].tolist() == [0, 1, 2]
    with open(p, "rb") as f:
        assert sx.load(f)["x"].tolist() == [0, 1, 2]


def test_load_from_the_middle_of_a_stream():
    buf = io.BytesIO()
    buf.write(b"prefix!")
    sx.save(sx.arange(5), buf)
    buf.seek(7)
    assert sx.load(buf).tolist() == [0, 1, 2, 3, 4]


class _Stream(io.RawIOBase):
    """A read-only, non-seekable stream."""

    def __init__(self, data: bytes) -> None:
        self._data = io.BytesIO(data)

    def readable(self) -> bool:
        return True

    def readinto(self, b):  # type: ignore[override]
        return self._data.readinto(b)


def test_non_seekable_stream():
    assert sx.load(_Stream(_bytes(sx.arange(3)))).tolist() == [0, 1, 2]


def test_mmap_modes(tmp_path):
    p = tmp_path / "m.stx"
    x = sx.reshape(sx.arange(12.0), (3, 4))
    sx.save({"x": x, "t": x.T}, p)
    ro = sx.load(p, mmap=True)
    assert ro["x"].storage() is ro["t"].storage()
    np.testing.assert_array_equal(np.asarray(ro["t"]), np.asarray(x.T))
    with pytest.raises(ValueError):
        ro["x"][0, 0] = 1.0
    cow = sx.load(p, mmap="c")
    cow["x"][0, 0] = 42.0
    assert cow["t"][0, 0].item() == 42.0
    assert sx.load(p)["x"][0, 0].item() == 0.0
    if sx.get_backend() != "numpy":  # device arrays cannot write through to the file
        with pytest.raises(ValueError, match="load: mmap='r\\+'"):
            sx.load(p, mmap="r+")
        return
    rw = sx.load(p, mmap="r+")
    rw["x"][0, 1] = 7.0
    del rw
    assert sx.load(p)["x"][0, 1].item() == 7.0


def test_mmap_rejects_streams_and_bad_modes(tmp_path):
    with pytest.raises(ValueError, match="load: mmap"):
        sx.load(io.BytesIO(_bytes(sx.arange(3))), mmap=True)
    with pytest.raises(ValueError, match="load: mmap must be"):
        sx.load(io.BytesIO(_bytes(sx.arange(3))), mmap="w")


def test_save_rejects_unsupported_objects():
    with pytest.raises(TypeError, match="save: cannot save an object of type ndarray"):
        sx.save(np.zeros(3), io.BytesIO())
    with pytest.raises(TypeError, match="save: dict keys must be str"):
        sx.save({1: sx.arange(2)}, io.BytesIO())
    with pytest.raises(TypeError, match="save: expected a path or a binary file object"):
        sx.save(sx.arange(2), 42)
    with pytest.raises(TypeError, match="load: expected a path"):
        sx.load(42)
    with pytest.raises(TypeError, match="save: expected a binary file object"):
        sx.save(sx.arange(2), io.StringIO())
    with pytest.raises(TypeError, match="load: expected a binary file object"):
        sx.load(io.StringIO("x"))


def test_save_rejects_cycles_and_deep_nesting():
    a: list = []
    a.append(a)
    with pytest.raises(ValueError, match="save: the object contains a reference cycle"):
        sx.save(a, io.BytesIO())
    deep: list = []
    for _ in range(_native.MAX_DEPTH + 1):
        deep = [deep]
    with pytest.raises(ValueError, match="save: the object is nested deeper"):
        sx.save(deep, io.BytesIO())
    ok: list = []
    for _ in range(_native.MAX_DEPTH - 1):
        ok = [ok]
    assert roundtrip(ok) == ok


def test_save_is_atomic(tmp_path, monkeypatch):
    p = tmp_path / "keep.stx"
    sx.save(sx.arange(3), p)
    before = p.read_bytes()

    def boom(f, *args):
        f.write(b"partial garbage")
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(_native, "_write", boom)
    with pytest.raises(RuntimeError, match="disk on fire"):
        sx.save(sx.arange(1000), p)
    assert p.read_bytes() == before
    assert os.listdir(tmp_path) == ["keep.stx"]  # no temporary file left behind


def test_save_rejects_bad_objects_before_touching_the_file(tmp_path):
    p = tmp_path / "x.stx"
    with pytest.raises(TypeError):
        sx.save({"a": object()}, p)
    assert not p.exists() and os.listdir(tmp_path) == []


def test_saved_file_gets_normal_permissions(tmp_path):
    p = tmp_path / "perm.stx"
    sx.save(sx.arange(2), p)
    umask = os.umask(0)
    os.umask(umask)
    assert p.stat().st_mode & 0o777 == 0o666 & ~umask


@st.composite
def views_of_a_storage(draw):
    dtype = draw(st.sampled_from(DTYPES))
    n = draw(st.integers(1, 60))
    base = sx.from_numpy((np.arange(n) % 7).astype(dtype))
    shape = draw(st.sampled_from([s for s in [(n,), (2, n // 2), (3, n // 3)] if 0 not in s]))
    x = sx.reshape(base[: int(np.prod(shape))], shape)
    views = []
    for _ in range(draw(st.integers(1, 4))):
        key = tuple(
            slice(
                draw(st.integers(-d, d)),
                draw(st.integers(-d, d)),
                draw(st.sampled_from([1, 2, -1, -3])),
            )
            for d in shape
        )
        v = x[key]
        if draw(st.booleans()) and v.ndim == 2:
            v = v.T
        views.append(v)
    return views


@given(views_of_a_storage())
@settings(max_examples=60, deadline=None)
def test_roundtrip_property(views):
    out = roundtrip(views)
    storages = [v.storage() for v in out if v.size]
    assert all(s is storages[0] for s in storages)
    for a, b in zip(views, out, strict=True):
        assert b.shape == a.shape and b.dtype == a.dtype
        if a.size:
            assert b.stride() == a.stride()
        np.testing.assert_array_equal(np.asarray(b), np.asarray(a))


def test_loads_onto_the_default_backend_keeping_sharing():
    x = sx.reshape(sx.arange(12.0), (3, 4))
    data = _bytes({"x": x, "t": x.T, "b": sx.broadcast_to(x[0], (2, 4)), "e": x[:0]})
    for backend in BACKENDS:
        with sx.use_backend(backend):
            out = sx.load(io.BytesIO(data))
            device = sx.asarray(0).device
        assert all(out[k].device == device for k in out)
        assert out["t"].storage() is out["x"].storage() and out["t"].stride() == (1, 4)
        assert out["b"].stride() == (0, 1) and out["e"].shape == (0, 4)
        with pytest.raises(ValueError):
            out["b"][0, 0] = 1.0  # broadcast views are read-only on both backends
        out["x"][0, 1] = -1.0
        assert out["t"][1, 0].item() == -1.0 and out["b"][1, 1].item() == -1.0
