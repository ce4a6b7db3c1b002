"""storax.random's native host kernel (``_backends/_philox.c``): the same bits as the
array-operations path on every backend, the known answers, lazy compilation into a cache
(several processes at once), and the fallback when there is no kernel."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

import storax as sx
from storax import _random_kernels as rk
from storax import random as sxr
from storax._backends import _native_random as nr

SRC = Path(__file__).resolve().parents[1] / "src"
HAVE_CC = nr._compiler() is not None
BACKENDS = ["numpy", "jax", "torch"]


def _host(x):
    return np.asarray(x.to_device(sx.Device("cpu")) if x.device != sx.Device("cpu") else x)


@pytest.fixture(autouse=True)
def native_enabled(monkeypatch):
    """Each test starts with the native kernel enabled, whatever the session's
    ``STORAX_NATIVE_RANDOM`` (the suite may run with it off), and leaves it as it was."""
    monkeypatch.delenv("STORAX_NATIVE_RANDOM", raising=False)
    nr.reset()
    yield
    monkeypatch.undo()
    nr.reset()


@pytest.fixture
def array_path(monkeypatch):
    """Draws take the array-operations path (``STORAX_NATIVE_RANDOM=0``) in the test."""
    monkeypatch.setenv("STORAX_NATIVE_RANDOM", "0")
    nr.reset()
    yield
    monkeypatch.delenv("STORAX_NATIVE_RANDOM")
    nr.reset()


def _draws(seed, state=None):
    """Every kind of draw, with counts around the kernel's groups of 16 blocks."""
    g = sxr.Generator(seed)
    if state is not None:
        g.set_state(state)
    out = []
    for dt in (sx.float32, sx.float64):
        for n in (1, 2, 3, 5, 31, 32, 33, 63, 64, 65, 127, 129, 20_001):
            out += [g.rand(n, dtype=dt), g.randn(n, dtype=dt)]
        out += [g.normal(-1.5, 3.25, (1001,), dtype=dt), g.uniform(-3.3, 7.1, (999,), dtype=dt)]
        out += [g.uniform(-1e38, 1e38, (99,), dtype=dt), g.uniform(2.0, 2.0, (9,), dtype=dt)]
        out += [g.normal(5.0, 0.0, (7,), dtype=dt)]
    out += [g.randint(-7, 1_000_003, (5001,)), g.randint(0, 256, (77,), dtype=sx.uint8)]
    out += [g.randint(-128, 128, (99,), dtype=sx.int8), g.randint(2**40, 2**40 + 3, (33,))]
    out += [g.randint(-(2**63), 2**63, (99,)), g.randint(0, 2**64, (9,), dtype=sx.uint64)]
    out += [g.randint(0, 2**33 + 1, (65,), dtype=sx.uint64), g.randint(7, (3,), dtype=sx.int32)]
    out += [g.randperm(5000), g.randperm(7, dtype=sx.int16)]
    return [_host(x) for x in out], g.get_state(), [k.initial_seed() for k in g.spawn(3)]


def _same(a, b):
    (xs, sa, ka), (ys, sb, kb) = a, b
    assert sa == sb and ka == kb
    for i, (x, y) in enumerate(zip(xs, ys, strict=True)):
        assert x.dtype == y.dtype and x.shape == y.shape, i
        assert x.tobytes() == y.tobytes(), f"draw {i}: {np.count_nonzero(x != y)} values differ"


def test_the_kernel_is_compiled_where_a_compiler_is():
    nr.reset()
    assert (nr.library() is not None) == HAVE_CC, nr.reason
    if not HAVE_CC:
        assert "no C compiler" in nr.reason


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("state", [None, (2**64 - 1, 2**64 - 20)], ids=["start", "wrapping"])
def test_native_draws_equal_the_array_path(backend, state, monkeypatch):
    """Every backend's concrete draws (the native kernel on the CPU) equal NumPy's
    array-operations path bit for bit.

    Note: the reference is NumPy's array path. JAX's jitted path differs from it in the
    last bit for a few draws of a single Philox block (XLA compiles such tiny kernels
    differently), which concrete draws on the CPU no longer reach.
    """
    pytest.importorskip(backend)
    with sx.use_backend(backend):
        native = _draws(2**63 + 12345, state)
    monkeypatch.setenv("STORAX_NATIVE_RANDOM", "0")
    nr.reset()
    try:
        with sx.use_backend("numpy"):
            arrays = _draws(2**63 + 12345, state)
    finally:
        monkeypatch.undo()
        nr.reset()
    _same(native, arrays)


@pytest.mark.skipif(not HAVE_CC, reason="no C compiler: the native kernel does not exist")
def test_the_portable_philox_equals_the_simd_one():
    # on x86-64 with AVX2, Philox runs in intrinsics; the portable loop must agree
    lib = nr.library()
    simd = nr.kernel("randint")(1, 2, 2**32 - 7, 0, 0, 0, 0, 0, count=4099, dtype=np.uint64,
                                full=True)  # fmt: skip
    before = lib.storax_philox_simd(0)
    try:
        plain = nr.kernel("randint")(1, 2, 2**32 - 7, 0, 0, 0, 0, 0, count=4099,
                                     dtype=np.uint64, full=True)  # fmt: skip
        with sx.use_backend("numpy"):
            normals = _host(sxr.Generator(5).randn(999, dtype=sx.float64))
    finally:
        lib.storax_philox_simd(before)
    assert simd.tobytes() == plain.tobytes()
    with sx.use_backend("numpy"):
        assert _host(sxr.Generator(5).randn(999, dtype=sx.float64)).tobytes() == normals.tobytes()


@pytest.mark.skipif(not HAVE_CC, reason="no C compiler: the native kernel does not exist")
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_a_million_normals_match_bit_for_bit(dtype):
    # the Box-Muller series over many values, against the array path, chunk by chunk
    lib = nr.library()
    n = 1 << 20
    mine = nr.kernel("normal")(3, 4, 5, 6, 0.0, 1.0, count=n, dtype=np.dtype(dtype))
    assert lib is not None
    step = 1 << 15
    for start in range(0, n, step):
        ref = rk.normal(np, 3, 4, 5 + start // 2, 6, 0.0, 1.0, count=step,
                        dtype=np.dtype(dtype), fused=False)  # fmt: skip
        assert mine[start : start + step].tobytes() == ref.tobytes(), start


@pytest.mark.parametrize("native", [True, False], ids=["native", "arrays"])
@pytest.mark.parametrize("backend", BACKENDS)
def test_known_answers_on_both_paths(native, backend, monkeypatch):
    # Random123's first known answer (key 0, counter 0), read back through rand and randint
    pytest.importorskip(backend)
    if not native:
        monkeypatch.setenv("STORAX_NATIVE_RANDOM", "0")
    nr.reset()
    try:
        with sx.use_backend(backend):
            f32 = _host(sxr.Generator(0).rand(4, dtype=sx.float32)).tolist()
            u64 = _host(sxr.Generator(0).randint(0, 2**64, (2,), dtype=sx.uint64)).tolist()
        assert (nr.library() is not None) == (native and HAVE_CC)
    finally:
        monkeypatch.undo()
        nr.reset()
    words = [0x6627E8D5, 0xE169C58D, 0xBC57AC4C, 0x9B00DBD8]
    assert f32 == [(w >> 8) * 2.0**-24 for w in words]
    assert u64 == [words[0] | words[1] << 32, words[2] | words[3] << 32]


def test_disabled_by_the_environment(array_path):
    assert nr.library() is None
    assert nr.reason == "disabled by STORAX_NATIVE_RANDOM=0"
    assert sx.rand(3).shape == (3,)


def test_a_failing_compiler_falls_back_to_the_array_path(monkeypatch, tmp_path):
    broken = tmp_path / "broken.c"
    broken.write_text("this is not C\n")
    monkeypatch.setenv("STORAX_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(nr, "SOURCE", broken)
    nr.reset()
    try:
        if HAVE_CC:
            assert nr.library() is None
            assert "failed" in nr.reason
        with sx.use_backend("numpy"):
            x = _host(sxr.Generator(9).randn(100, dtype=sx.float64))
        assert list((tmp_path / "cache").iterdir()) == []  # no temporary file left behind
    finally:
        monkeypatch.undo()
        nr.reset()
    with sx.use_backend("numpy"):
        assert _host(sxr.Generator(9).randn(100, dtype=sx.float64)).tobytes() == x.tobytes()


def test_no_compiler_falls_back(monkeypatch):
    monkeypatch.setattr(nr, "_compiler", lambda: None)
    nr.reset()
    try:
        assert nr.library() is None and "no C compiler" in nr.reason
        assert nr.kernel("normal") is None
    finally:
        monkeypatch.undo()
        nr.reset()


@pytest.mark.skipif(not HAVE_CC, reason="no C compiler: the native kernel does not exist")
def test_concurrent_processes_compile_into_one_cache_entry(tmp_path):
    script = textwrap.dedent(
        """
        import sys
        import storax as sx
        from storax._backends import _native_random as nr
        assert nr._LIB is nr._UNSET, "import storax compiled the kernel"
        x = sx.random.Generator(1).randn(1000, dtype=sx.float64)
        assert nr.library() is not None, nr.reason
        sys.stdout.write(x.__array__().tobytes().hex()[:64])
        """
    )
    env = {**os.environ, "PYTHONPATH": str(SRC), "STORAX_CACHE_DIR": str(tmp_path),
           "STORAX_BACKEND": "numpy"}  # fmt: skip
    env.pop("STORAX_NATIVE_RANDOM", None)
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", script],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )  # fmt: skip
        for _ in range(3)
    ]
    outs = [p.communicate(timeout=300) for p in procs]
    assert all(p.returncode == 0 for p in procs), [e for _, e in outs]
    assert len({o for o, _ in outs}) == 1
    files = sorted(p.name for p in tmp_path.iterdir())
    assert len(files) == 1 and files[0].startswith("philox-"), files  # no temporaries left


def test_import_does_not_compile():
    code = "import storax; from storax._backends import _native_random as nr; " \
           "print(nr._LIB is nr._UNSET)"  # fmt: skip
    out = subprocess.run([sys.executable, "-c", code], env={**os.environ, "PYTHONPATH": str(SRC)},
                         capture_output=True, text=True, timeout=120, check=True)  # fmt: skip
    assert out.stdout.strip() == "True"
