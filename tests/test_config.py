"""Settings: default dtypes, API version, and what importing storax does."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

import storax as sx
from _devices import JAX_DEV


def test_default_dtypes_are_pytorchs():
    assert sx.ones(2).dtype == sx.float32
    assert sx.asarray(1.5).dtype == sx.float32
    assert sx.asarray([1j]).dtype == sx.complex64
    assert sx.asarray([1, 2]).dtype == sx.int64
    info = sx.__array_namespace_info__().default_dtypes()
    assert info["real floating"] == sx.float32 and info["integral"] == sx.int64


def test_set_default_dtype():
    sx.set_default_dtype(sx.float64)
    assert sx.get_default_dtype() == sx.float64
    assert sx.zeros(1).dtype == sx.float64 and sx.asarray([1j]).dtype == sx.complex128
    assert sx.__array_namespace_info__().default_dtypes()["complex floating"] == sx.complex128
    with pytest.raises(TypeError, match="set_default_dtype"):
        sx.set_default_dtype(sx.int32)
    with pytest.raises(TypeError, match="set_default_dtype"):
        sx.set_default_dtype("float16")


def test_api_version_switches_list_vs_tuple():
    assert sx.__array_api_version__ == "2025.12"
    assert isinstance(sx.meshgrid(sx.ones(2)), tuple)
    with sx.api_version("2024.12"):
        assert sx.__array_api_version__ == "2024.12"
        assert isinstance(sx.meshgrid(sx.ones(2)), list)
        assert isinstance(sx.broadcast_arrays(sx.ones(2)), list)
        assert isinstance(sx.__array_namespace_info__().devices(), list)
    ns = sx.ones(1).__array_namespace__(api_version="2024.12")
    assert ns.__array_api_version__ == "2024.12"
    assert isinstance(ns.meshgrid(sx.ones(2)), list)
    assert sx.ones(1).__array_namespace__() is sx
    with pytest.raises(ValueError, match="api_version"):
        sx.ones(1).__array_namespace__(api_version="2021.12")
    with pytest.raises(ValueError, match="set_api_version"):
        sx.set_api_version("1999.01")


def _run(code: str, **env: str) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, **env}
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=full_env, check=False
    )


def test_import_does_not_import_jax_or_torch():
    r = _run(
        "import sys, storax; storax.ones(3) + 1; print('jax' in sys.modules, "
        "'torch' in sys.modules)",
        STORAX_BACKEND="numpy",
    )
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "False False"


def test_environment_variables():
    r = _run("import storax; print(storax.ones(1).dtype)", STORAX_DEFAULT_DTYPE="float64")
    assert r.stdout.strip() == "float64", r.stderr
    r = _run("import storax; print(storax.__array_api_version__)", STORAX_API_VERSION="2024.12")
    assert r.stdout.strip() == "2024.12", r.stderr
    r = _run("import storax", STORAX_DEFAULT_DTYPE="int8")
    assert r.returncode != 0 and "STORAX_DEFAULT_DTYPE" in r.stderr


def test_tour_runs():
    r = subprocess.run(
        [sys.executable, "-m", "storax"], capture_output=True, text=True, check=False
    )
    assert r.returncode == 0, r.stderr
    assert "storage_offset" in r.stdout and "contiguous" in r.stdout


def test_backend_choice_precedence():
    start = sx.get_backend()
    other = "jax" if start == "numpy" else "numpy"
    with sx.use_backend(other):
        assert sx.get_backend() == other
        assert sx.ones(1).device == ("cpu" if other == "numpy" else JAX_DEV)
        with sx.use_backend(start):
            assert sx.get_backend() == start
    assert sx.get_backend() == start
    sx.set_backend(other)
    try:
        assert sx.get_backend() == other and sx.zeros(2).device.backend == other
    finally:
        sx.set_backend(start)
    with pytest.raises(ValueError, match="unknown backend"):
        sx.set_backend("tensorflow")
    with pytest.raises(ValueError, match="use_backend"):
        with sx.use_backend("cupy"):
            pass
    with pytest.raises(TypeError, match="set_backend"):
        sx.set_backend(None)


def test_environment_selects_backend():
    r = _run(
        "import storax; print(storax.get_backend(), storax.ones(1).device)", STORAX_BACKEND="jax"
    )
    assert r.stdout.split() == ["jax", JAX_DEV], r.stderr


def test_mixing_devices_raises_naming_both():
    with sx.use_backend("numpy"):
        a = sx.ones(2)
    b = a.to_device(JAX_DEV)
    for op in (lambda: a + b, lambda: sx.add(b, a), lambda: sx.concat([a, b])):
        with pytest.raises(ValueError, match=rf"cpu.*{JAX_DEV}|{JAX_DEV}.*cpu"):
            op()
