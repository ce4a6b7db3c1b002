"""Per-device dtypes, and the JAX mode without 64-bit types (a subprocess: x64 is process-wide)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import storax as sx

_X64_OFF = textwrap.dedent(
    """
    import warnings
    warnings.simplefilter("error")
    import storax as sx
    info = sx.__array_namespace_info__()
    jax_dev = sx.Device("jax:cpu:0")
    assert list(info.dtypes(device=jax_dev)) == [
        "bool", "int8", "int16", "int32", "uint8", "uint16", "uint32", "float32", "complex64"]
    assert "float64" in info.dtypes(device="cpu")  # NumPy keeps every type
    assert info.default_dtypes(device=jax_dev) == {
        "real floating": sx.float32, "complex floating": sx.complex64,
        "integral": sx.int32, "indexing": sx.int32}
    assert info.dtypes(device=jax_dev, kind="real floating") == {"float32": sx.float32}
    with sx.use_backend("jax"):
        assert sx.asarray([1, 2]).dtype == sx.int32
        assert sx.arange(3).dtype == sx.int32 and sx.arange(0.0, 1.0, 0.5).dtype == sx.float32
        assert sx.zeros(2).dtype == sx.float32 and sx.full(2, 1j).dtype == sx.complex64
        assert sx.argsort(sx.asarray([2, 1])).dtype == sx.int32
        assert sx.argmax(sx.asarray([2, 1])).dtype == sx.int32
        v, i = sx.ones(1).__array_namespace__(api_version="2026.12").top_k(
            sx.asarray([3.0, 1.0, 2.0]), 2)
        assert i.dtype == sx.int32 and i.tolist() == [0, 2]
        for make in (lambda: sx.zeros(2, dtype=sx.float64),
                     lambda: sx.asarray([1], dtype=sx.int64),
                     lambda: sx.arange(3, dtype=sx.uint64),
                     lambda: sx.eye(2, dtype=sx.complex128)):
            try:
                make()
            except TypeError as e:
                assert "not supported on device jax:cpu:0" in str(e), e
                assert "STORAX_JAX_X64=0" in str(e)
            else:
                raise AssertionError("a 64-bit dtype was accepted on a 32-bit device")
        try:
            sx.asarray([2**40])
        except OverflowError as e:
            assert "asarray" in str(e) and "int32" in str(e)
        else:
            raise AssertionError("2**40 was narrowed silently")
    assert sx.zeros(2, dtype=sx.float64, device="cpu").dtype == sx.float64
    print("ok")
    """
)


def test_jax_without_64_bit_types():
    env = dict(os.environ, STORAX_JAX_X64="0", STORAX_BACKEND="numpy")
    r = subprocess.run(
        [sys.executable, "-c", _X64_OFF], env=env, capture_output=True, text=True, timeout=300
    )
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "ok"


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
