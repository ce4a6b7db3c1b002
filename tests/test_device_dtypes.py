"""Per-device dtypes, and the JAX mode without 64-bit types (x64 is process-wide: the
checks in x64off_checks.py run in one subprocess with ``STORAX_JAX_X64=0``); indexing
across devices (docs/backends.md)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

import storax as sx
import x64off_checks  # noqa: E402  (tests/ is on sys.path: rootdir conftest)
from _devices import JAX_DEV
from _subprocess_checks import run_checks


@pytest.fixture(scope="module")
def x64_off_results() -> dict[str, str | None]:
    return run_checks(
        "x64off_checks.py", "x64-off checks", 600, STORAX_JAX_X64="0", STORAX_BACKEND="numpy"
    )


@pytest.mark.parametrize("name", x64off_checks.CHECKS)
def test_jax_without_64_bit_types(x64_off_results: dict[str, str | None], name: str) -> None:
    assert name in x64_off_results
    assert x64_off_results[name] is None, x64_off_results[name]


def test_dtypes_per_device_with_x64():
    info = sx.__array_namespace_info__()
    for d in info.devices():
        assert len(info.dtypes(device=d)) == 13
        assert info.default_dtypes(device=d)["indexing"] == sx.int64


def test_bad_setting_is_named():
    env = dict(os.environ, STORAX_JAX_X64="maybe")
    r = subprocess.run(
        [sys.executable, "-c", "import storax"], env=env, capture_output=True, text=True
    )
    assert r.returncode != 0 and "STORAX_JAX_X64='maybe'" in r.stderr


# ------------------------------------------------------------ indexing across devices


def _on(device: str, values, dtype=None):
    return sx.asarray(values, dtype=dtype, device=device)


@pytest.mark.parametrize("home, other", [("cpu", JAX_DEV), (JAX_DEV, "cpu")])
def test_zero_d_index_from_another_device_is_its_integer(home, other):
    x = sx.reshape(sx.arange(12, device=home), (3, 4))
    k = _on(other, 2)
    v = x[k]
    assert v.device == x.device and v.tolist() == [8, 9, 10, 11]
    assert v.storage() is x.storage()  # the standard's int(k): a basic index, a view
    assert x[1, k].tolist() == 6
    assert x[_on(other, True)].shape == (1, 3, 4)
    x[k, _on(other, 0)] = -1
    assert int(x[2, 0]) == -1


@pytest.mark.parametrize("home, other", [("cpu", JAX_DEV), (JAX_DEV, "cpu")])
def test_index_array_from_another_device_raises(home, other):
    x = sx.arange(6, device=home)
    for key in (_on(other, [1, 2]), _on(other, [True] * 6), (_on(other, [0]),)):
        with pytest.raises(ValueError, match=rf"__getitem__: the index is on {other}, the array"):
            x[key]
        with pytest.raises(ValueError, match=rf"__setitem__: the index is on {other}, the array"):
            x[key] = 0
    for f in (sx.take, sx.take_along_axis):
        with pytest.raises(ValueError, match=rf"{f.__name__}: arrays are on different devices"):
            f(x, _on(other, [1]))
    assert x.tolist() == [0, 1, 2, 3, 4, 5]  # nothing was written


@pytest.mark.parametrize("home", ["cpu", JAX_DEV])
def test_host_indices_join_the_indexed_array(home):
    import numpy as np

    x = sx.arange(6, device=home)
    for key in ([1, 4], np.array([1, 4]), np.array([1, 4], dtype=np.uint8)):
        r = x[key]
        assert r.device == x.device and r.tolist() == [1, 4]
    assert sx.take(x, np.array([5, 0])).tolist() == [5, 0]
    assert x[np.array([True, False] * 3)].tolist() == [0, 2, 4]


def test_torch_mps_stand_in_lists_no_64_bit_floats(monkeypatch):
    """torch's MPS devices have no float64/complex128: ``info.dtypes(device=)`` and explicit
    dtypes on such a device say so. No MPS here: ``torch.device("mps")`` stands in (only
    the device list is patched; nothing is computed on it)."""
    pytest.importorskip("torch")
    from storax._backends import _torch

    mps = _torch.torch.device("mps")
    monkeypatch.setattr(_torch, "_torch_devices", lambda: [_torch._CPU, mps])
    info = sx.__array_namespace_info__()
    on_mps = info.dtypes(device="torch:mps")
    assert "float64" not in on_mps and "complex128" not in on_mps
    assert on_mps["float32"] == sx.float32 and on_mps["int64"] == sx.int64
    assert info.dtypes(device="torch:mps", kind="real floating") == {"float32": sx.float32}
    assert info.dtypes(device="torch:mps", kind="complex floating") == {"complex64": sx.complex64}
    # the CPU keeps every type
    assert "float64" in info.dtypes(device="torch:cpu")
    assert "complex128" in info.dtypes(device="torch:cpu", kind="complex floating")
    # asking for a type the device lacks is storax's TypeError, naming the function
    with pytest.raises(TypeError, match="zeros: dtype float64 is not supported on device torch"):
        sx.zeros(3, dtype=sx.float64, device="torch:mps")
    with pytest.raises(TypeError, match="to_device: dtype complex128"):
        sx.ones(2, dtype=sx.complex128, device="torch:cpu").to_device(sx.Device("torch:mps"))


def test_device_dtypes_of_every_backend():
    """``device_dtypes`` (the protocol's per-device dtypes) agrees with ``supported_dtypes``
    on devices that hold everything their backend does."""
    from storax import _backends

    for name in ("numpy", "jax", "torch"):
        try:
            backend = _backends.load(name, "test")
        except ImportError:
            continue
        assert backend.device_dtypes(None) == backend.supported_dtypes
        for d in backend.devices():
            if d.name != "torch:mps":
                assert backend.device_dtypes(d) == backend.supported_dtypes
