"""torch's MPS devices hold no float64/complex128: per-device default dtypes, creation and
promotion there (docs/backends.md, "Devices without float64").

No MPS here: the CPU stands in for it. The torch backend keys every such rule on the
device types in ``_torch_value.NO_FLOAT64``; the ``mps_cpu`` fixture adds ``"cpu"`` to
them, so arrays on ``torch:cpu`` follow MPS's rules while torch still computes them (as
on a real MPS device, a float64 tensor never reaches it: these tests check the dtypes of
every result, and its values against NumPy).
"""

from __future__ import annotations

import numpy as np
import pytest

import storax as sx

pytest.importorskip("torch")

DEV = "torch:cpu"  # standing in for torch:mps


@pytest.fixture
def float64_default():
    """float64 as the default real floating dtype (storax's default is float32, as
    PyTorch's; the conformance run sets float64), so that narrowing shows."""
    before = sx.get_default_dtype()
    sx.set_default_dtype(sx.float64)
    try:
        yield
    finally:
        sx.set_default_dtype(before)


@pytest.fixture
def mps_cpu(float64_default):
    from storax._backends import _torch_value

    _torch_value.NO_FLOAT64.add("cpu")
    try:
        yield
    finally:
        _torch_value.NO_FLOAT64.discard("cpu")


def test_default_dtypes_follow_the_device(mps_cpu):
    info = sx.__array_namespace_info__()
    d = info.default_dtypes(device=DEV)
    assert d["real floating"] == sx.float32 and d["complex floating"] == sx.complex64
    assert d["integral"] == sx.int64 and d["indexing"] == sx.int64
    assert "float64" not in info.dtypes(device=DEV)
    assert info.dtypes(device=DEV, kind="real floating") == {"float32": sx.float32}


def test_default_dtypes_elsewhere_keep_64_bits(float64_default):
    info = sx.__array_namespace_info__()
    d = info.default_dtypes(device=DEV)
    assert d["real floating"] == sx.float64 and d["complex floating"] == sx.complex128
    assert sx.asarray([1.0], device=DEV).dtype == sx.float64
    assert sx.linspace(0, 1, 3, device=DEV).dtype == sx.float64


def test_mps_name_gets_the_32_bit_defaults(monkeypatch, float64_default):
    """The real device name (the device list patched, nothing computed on it)."""
    from storax._backends import _torch

    monkeypatch.setattr(_torch, "_torch_devices", lambda: [_torch._CPU, _torch.torch.device("mps")])
    d = sx.__array_namespace_info__().default_dtypes(device="torch:mps")
    assert d["real floating"] == sx.float32 and d["complex floating"] == sx.complex64
    assert d["integral"] == sx.int64


@pytest.mark.parametrize(
    "make, dtype, expected",
    [
        (lambda: sx.asarray([1.0, 2.5], device=DEV), sx.float32, [1.0, 2.5]),
        (lambda: sx.asarray(1.5, device=DEV), sx.float32, 1.5),
        (lambda: sx.asarray([1j, 2], device=DEV), sx.complex64, [1j, 2]),
        (lambda: sx.asarray(np.array([0.5, 1.5]), device=DEV), sx.float32, [0.5, 1.5]),
        (lambda: sx.arange(3.0, device=DEV), sx.float32, [0.0, 1.0, 2.0]),
        (lambda: sx.arange(0, 1, 0.25, device=DEV), sx.float32, [0, 0.25, 0.5, 0.75]),
        (lambda: sx.linspace(0, 1, 5, device=DEV), sx.float32, [0, 0.25, 0.5, 0.75, 1]),
        (lambda: sx.linspace(0, 2j, 3, device=DEV), sx.complex64, [0, 1j, 2j]),
        (lambda: sx.zeros(2, device=DEV), sx.float32, [0.0, 0.0]),
        (lambda: sx.ones(2, device=DEV), sx.float32, [1.0, 1.0]),
        (lambda: sx.empty(2, device=DEV), sx.float32, None),
        (lambda: sx.eye(2, device=DEV), sx.float32, [[1, 0], [0, 1]]),
        (lambda: sx.full(2, 0.1, device=DEV), sx.float32, [0.1, 0.1]),
        (lambda: sx.full(2, 1j, device=DEV), sx.complex64, [1j, 1j]),
        (lambda: sx.fft.fftfreq(4, device=DEV), sx.float32, [0, 0.25, -0.5, -0.25]),
        (lambda: sx.arange(3, device=DEV), sx.int64, [0, 1, 2]),
    ],
)
def test_creation_with_dtype_none_uses_the_device_defaults(mps_cpu, make, dtype, expected):
    x = make()
    assert x.dtype == dtype
    assert x.device == sx.Device(DEV)
    if expected is not None:
        np.testing.assert_allclose(np.asarray(x.tolist()), np.asarray(expected), rtol=1e-6)


@pytest.mark.parametrize(
    "compute, dtype, expected",
    [
        (lambda: sx.arange(3, dtype=sx.int32, device=DEV) + 0.5, sx.float32, [0.5, 1.5, 2.5]),
        (
            lambda: sx.arange(3, device=DEV) + sx.ones(3, dtype=sx.float32, device=DEV),
            sx.float32,
            [1, 2, 3],
        ),
        (
            lambda: sx.divide(sx.arange(3, device=DEV), sx.arange(1, 4, device=DEV)),
            sx.float32,
            [0, 0.5, 2 / 3],
        ),
        (lambda: sx.arange(1, 4, device=DEV) / 2, sx.float32, [0.5, 1, 1.5]),
        (lambda: sx.sum(sx.ones(3, dtype=sx.float32, device=DEV)), sx.float32, 3.0),
        (lambda: sx.sum(sx.ones((3, 2), device=DEV), axis=0), sx.float32, [3, 3]),
        (lambda: sx.mean(sx.arange(4, device=DEV)), sx.float32, 1.5),
        (lambda: sx.mean(sx.ones((2, 2), device=DEV), axis=1), sx.float32, [1, 1]),
        (lambda: sx.var(sx.arange(4.0, device=DEV)), sx.float32, 1.25),
        (lambda: sx.std(sx.arange(4.0, device=DEV)), sx.float32, np.sqrt(1.25)),
        (lambda: sx.cumulative_sum(sx.ones(3, device=DEV)), sx.float32, [1, 2, 3]),
        (lambda: sx.linalg.inv(2 * sx.eye(2, device=DEV)), sx.float32, [[0.5, 0], [0, 0.5]]),
        (lambda: sx.linalg.vector_norm(sx.full(4, 2.0, device=DEV)), sx.float32, 4.0),
        (lambda: sx.fft.fft(sx.ones(4, device=DEV)), sx.complex64, [4, 0, 0, 0]),
        (lambda: sx.abs(sx.full(2, 3 + 4j, device=DEV)), sx.float32, [5, 5]),
        (lambda: sx.ones((2, 2), device=DEV) @ sx.ones((2, 2), device=DEV), sx.float32, 2.0),
    ],
)
def test_results_stay_in_the_device_types(mps_cpu, compute, dtype, expected):
    """Type promotion's 64-bit floating results are computed in the 32-bit type there."""
    x = compute()
    assert x.dtype == dtype
    np.testing.assert_allclose(
        np.asarray(x.tolist()), np.broadcast_to(expected, x.shape), rtol=1e-6
    )


_EXPLICIT = {
    "zeros": lambda d: sx.zeros(2, dtype=d, device=DEV),
    "ones": lambda d: sx.ones(2, dtype=d, device=DEV),
    "empty": lambda d: sx.empty(2, dtype=d, device=DEV),
    "full": lambda d: sx.full(2, 1.0, dtype=d, device=DEV),
    "eye": lambda d: sx.eye(2, dtype=d, device=DEV),
    "linspace": lambda d: sx.linspace(0, 1, 3, dtype=d, device=DEV),
    "asarray": lambda d: sx.asarray([1.0], dtype=d, device=DEV),
    "astype": lambda d: sx.astype(sx.ones(2, device=DEV), d),
}
# (arange and sum take no complex dtype for real arguments: that is another error)
_REAL_ONLY = {
    "arange": lambda d: sx.arange(3.0, dtype=d, device=DEV),
    "sum": lambda d: sx.sum(sx.ones(2, device=DEV), dtype=d),
}
_CASES = [(f, c, d) for f, c in _EXPLICIT.items() for d in (sx.float64, sx.complex128)]
_CASES += [(f, c, sx.float64) for f, c in _REAL_ONLY.items()]


@pytest.mark.parametrize("func, call, dtype", _CASES)
def test_an_explicit_64_bit_float_raises_naming_the_function(mps_cpu, func, call, dtype):
    with pytest.raises(TypeError, match=f"{func}: dtype {dtype} is not supported on device"):
        call(dtype)


@pytest.mark.parametrize("dtype", [sx.float64, sx.complex128])
def test_moving_a_64_bit_float_there_raises(mps_cpu, dtype):
    with sx.use_backend("numpy"):  # made on the host, where the type exists
        src = sx.ones(2, dtype=dtype)
    with pytest.raises(TypeError, match=f"to_device: dtype {dtype} is not supported"):
        src.to_device(sx.Device(DEV))
