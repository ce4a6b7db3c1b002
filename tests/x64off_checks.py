"""Checks of the JAX mode without 64-bit types, run by tests/test_device_dtypes.py in a
subprocess with ``STORAX_JAX_X64=0`` (x64 is process-wide, so the rest of the test run
keeps 64-bit JAX). Warnings are errors there: JAX's "Explicitly requested dtype int64 ...
will be truncated" warning means storax asked a 32-bit device for a 64-bit type.

Each ``check_*`` function raises on failure.
"""

from __future__ import annotations

import io
import json
import pickle
import sys
import traceback
import warnings

import numpy as np

I32 = np.dtype("int32")
U32 = np.dtype("uint32")
F32 = np.dtype("float32")
C64 = np.dtype("complex64")


def _sx():
    import storax as sx

    return sx


def _dev() -> str:
    import jax

    d = jax.devices()[0]
    return f"jax:{d.platform}:{d.id}"


def _raises(exc, match, make):
    try:
        make()
    except exc as e:
        assert match in str(e), f"{type(e).__name__}({e!s}) does not say {match!r}"
        return str(e)
    raise AssertionError(f"no {exc.__name__} (expected one saying {match!r})")


def _unsupported(func, make):
    """``make()`` raises the per-device TypeError naming ``func`` and the device."""
    msg = _raises(TypeError, f"{func}: ", make)
    assert f"is not supported on device {_dev()}" in msg, msg
    assert "STORAX_JAX_X64=0" in msg, msg


def check_info_lists_32_bit_types_on_jax_devices():
    sx = _sx()
    info = sx.__array_namespace_info__()
    for d in info.devices():
        names = list(info.dtypes(device=d))
        if not str(d).startswith("jax:"):  # NumPy's and torch's devices: every type
            assert len(names) == 13, names
            assert info.default_dtypes(device=d)["indexing"] == sx.int64
            continue
        assert names == [
            "bool", "int8", "int16", "int32", "uint8", "uint16", "uint32", "float32",
            "complex64",
        ], names  # fmt: skip
        assert info.default_dtypes(device=d) == {
            "real floating": F32, "complex floating": C64, "integral": I32, "indexing": I32,
        }  # fmt: skip
        assert info.dtypes(device=d, kind="real floating") == {"float32": F32}
        assert info.dtypes(device=d, kind="unsigned integer") == {
            "uint8": sx.uint8, "uint16": sx.uint16, "uint32": U32,
        }  # fmt: skip
        assert info.dtypes(device=d, kind=("integral", "complex floating"))["complex64"] == C64


def check_defaults_follow_the_device():
    sx = _sx()
    with sx.use_backend("jax"):
        assert sx.__array_namespace_info__().default_dtypes()["integral"] == I32
        assert sx.asarray([1, 2]).dtype == I32 and sx.asarray(3).dtype == I32
        assert sx.asarray([1.5]).dtype == F32 and sx.asarray([1j]).dtype == C64
        assert sx.asarray(np.arange(3)).dtype == I32  # 64-bit host data: its 32-bit type
        assert sx.asarray(np.ones(2)).dtype == F32
        assert sx.arange(3).dtype == I32 and sx.arange(0.0, 1.0, 0.25).dtype == F32
        assert sx.zeros(2).dtype == F32 and sx.full(2, 1j).dtype == C64
        assert sx.full(2, 7).dtype == I32 and sx.eye(2).dtype == F32
        assert sx.linspace(0, 1, 5).dtype == F32 and sx.linspace(0, 1j, 3).dtype == C64
        assert sx.linspace(0, 1, 5).tolist() == [0.0, 0.25, 0.5, 0.75, 1.0]
        assert sx.fft.fftfreq(4).dtype == F32 and sx.fft.rfftfreq(4).dtype == F32
        # set_default_dtype(float64) cannot reach a device without float64
        sx.set_default_dtype(sx.float64)
        try:
            assert sx.zeros(2).dtype == F32 and sx.asarray([0.5]).dtype == F32
            assert sx.linspace(0, 1, 3).dtype == F32 and sx.rand(2).dtype == F32
            assert sx.mean(sx.asarray([1, 2])).dtype == F32
            assert sx.zeros(2, device="cpu").dtype == sx.float64  # the host keeps it
        finally:
            sx.set_default_dtype(sx.float32)
        assert "dtype" not in repr(sx.asarray([1, 2]))  # int32 is the default there


def check_index_results_are_int32():
    sx = _sx()
    ns = sx.ones(1).__array_namespace__(api_version="2026.12")
    with sx.use_backend("jax"):
        f = sx.asarray([3.0, 1.0, 2.0, 1.0])
        m = sx.asarray([[2.0, 1.0], [1.0, 3.0]])
        for r in (
            sx.argsort(f), sx.argmax(f), sx.argmin(f, axis=0, keepdims=True),
            sx.nonzero(f)[0], sx.searchsorted(sx.sort(f), f), sx.count_nonzero(f),
            ns.top_k(f, 2)[1], sx.linalg.matrix_rank(m),
        ):  # fmt: skip
            assert r.dtype == I32, r
        u = sx.unique_all(f)
        assert [a.dtype for a in u[1:]] == [I32, I32, I32]
        assert u.indices.tolist() == [1, 2, 0] and u.counts.tolist() == [2, 1, 1]
        assert u.inverse_indices.tolist() == [2, 0, 1, 0]
        assert [a.dtype for a in sx.unique_counts(f)] == [F32, I32]
        assert sx.unique_inverse(f).inverse_indices.dtype == I32
        assert ns.top_k(f, 2)[1].tolist() == [0, 2]


def check_accumulators_are_32_bit():
    sx = _sx()
    with sx.use_backend("jax"):
        for dt, want in (
            (sx.int8, I32), (sx.int16, I32), (sx.int32, I32), (sx.bool, I32),
            (sx.uint8, U32), (sx.uint32, U32), (sx.float32, F32),
        ):  # fmt: skip
            x = sx.asarray([1, 1, 0], dtype=dt)
            for f in (sx.sum, sx.prod, sx.cumulative_sum, sx.cumulative_prod):
                assert f(x).dtype == want, (f, dt)
        x = sx.asarray([100, 100, 100], dtype=sx.int8)
        assert int(sx.sum(x)) == 300 and sx.cumulative_sum(x).tolist() == [100, 200, 300]
        mat = sx.asarray([[1, 2], [3, 4]], dtype=sx.uint8)
        assert sx.linalg.trace(mat).dtype == U32 and int(sx.linalg.trace(mat)) == 5
        assert sx.linalg.trace(sx.astype(mat, sx.int8)).dtype == I32
        i = sx.asarray([1, 2, 3, 4], dtype=sx.int32)
        assert sx.mean(i).dtype == F32 and float(sx.mean(i)) == 2.5
        assert sx.var(i).dtype == F32 and sx.std(i).dtype == F32
        assert sx.sum(i, dtype=sx.int16).dtype == sx.int16
        _unsupported("sum", lambda: sx.sum(i, dtype=sx.int64))
        _unsupported("cumulative_sum", lambda: sx.cumulative_sum(i, dtype=sx.uint64))
        _unsupported("trace", lambda: sx.linalg.trace(mat, dtype=sx.uint64))


def check_64_bit_requests_raise_naming_the_function():
    sx = _sx()
    dev = _dev()
    cpu64 = sx.asarray([1.0, 2.0], dtype=sx.float64, device="cpu")
    with sx.use_backend("jax"):
        x = sx.ones(3)
        cases = {
            "zeros": lambda: sx.zeros(2, dtype=sx.float64),
            "empty": lambda: sx.empty(2, dtype=sx.int64),
            "ones": lambda: sx.ones(2, dtype=sx.complex128),
            "full": lambda: sx.full(2, 1, dtype=sx.uint64),
            "arange": lambda: sx.arange(3, dtype=sx.int64),
            "linspace": lambda: sx.linspace(0, 1, 3, dtype=sx.float64),
            "eye": lambda: sx.eye(2, dtype=sx.float64),
            "asarray": lambda: sx.asarray([1], dtype=sx.int64),
            "astype": lambda: sx.astype(x, sx.float64),
            "Array.to": lambda: x.double(),
            "zeros_like": lambda: sx.zeros_like(cpu64, device=dev),
            "full_like": lambda: sx.full_like(x, 2, dtype=sx.float64),
            "to_device": lambda: cpu64.to_device(dev),
            "fftfreq": lambda: sx.fft.fftfreq(4, dtype=sx.float64),
            "rand": lambda: sx.rand(2, dtype=sx.float64),
            "randint": lambda: sx.randint(0, 3, (2,), dtype=sx.int64),
        }
        for func, make in cases.items():
            _unsupported(func, make)
        _unsupported("asarray", lambda: sx.asarray(cpu64, device=dev))
        _unsupported("from_dlpack", lambda: sx.from_dlpack(np.ones(2), device=dev))
        _unsupported("mean", lambda: sx.mean(x, dtype=sx.float64))
        saved = io.BytesIO()
        sx.save({"a": cpu64, "b": sx.ones(2, device="cpu")}, saved)
        saved.seek(0)
        _unsupported("load", lambda: sx.load(saved, device=dev))
        jax64 = pickle.dumps(cpu64)  # a cpu array: unpickles on the host, as saved
        assert pickle.loads(jax64).dtype == sx.float64
        # the same requests on the host device work
        assert sx.zeros(2, dtype=sx.float64, device="cpu").dtype == sx.float64
        # casting where the data is, then moving, does
        y = sx.astype(cpu64, sx.float32, device=dev)
        assert y.dtype == F32 and str(y.device) == dev and y.tolist() == [1.0, 2.0]
        z = sx.asarray(cpu64, dtype=sx.float32, device=dev)
        assert z.dtype == F32 and str(z.device) == dev
        assert sx.astype(x, sx.float64, device="cpu").dtype == sx.float64
        # integers beyond int32 overflow, never wrap
        _raises(OverflowError, "asarray", lambda: sx.asarray([2**40]))
        _raises(OverflowError, "full: 1099511627776 does not fit in int32",
                lambda: sx.full(2, 2**40))  # fmt: skip
        _raises(OverflowError, "__add__", lambda: sx.ones(2, dtype=sx.int32) + 2**40)
        _raises(OverflowError, "__add__",
                lambda: sx.ones(2, dtype=sx.int32) + np.array([2**40, 1]))  # fmt: skip


def check_promotion_on_32_bit_devices():
    sx = _sx()
    with sx.use_backend("jax"):
        i32 = sx.asarray([1, 2], dtype=sx.int32)
        u32 = sx.asarray([1, 2], dtype=sx.uint32)
        f32 = sx.asarray([0.5, 1.5])
        # 64-bit floating results of NumPy's cross-kind rules: float32 on the device
        assert (i32 + f32).dtype == F32 and (i32 + f32).tolist() == [1.5, 3.5]
        assert (i32 * 1.5).dtype == F32 and (i32 < f32).tolist() == [False, False]
        assert (f32 + np.ones(2)).dtype == F32  # a NumPy float64 operand joins as float32
        assert (sx.asarray([1, 2], dtype=sx.uint8) + sx.asarray([1], dtype=sx.int8)).dtype == (
            sx.int16
        )
        assert sx.concat([i32, f32]).dtype == F32
        assert (sx.ones((2, 2), dtype=sx.int32) @ sx.ones((2, 2))).dtype == F32
        # 64-bit integer results of the standard's table: a TypeError naming the function
        for func, make in {
            "__add__": lambda: i32 + u32,
            "__eq__": lambda: i32 == u32,
            "add": lambda: sx.add(u32, sx.asarray([1], dtype=sx.int8)),
            "concat": lambda: sx.concat([i32, u32]),
            "where": lambda: sx.where(i32 > 1, i32, u32),
            "matmul": lambda: sx.matmul(i32, u32),
            "isin": lambda: sx.isin(i32, u32),
        }.items():
            msg = _raises(TypeError, f"{func}: the operands promote to int64", make)
            assert f"which device {_dev()} does not support" in msg, msg
        assert sx.result_type(sx.int32, sx.uint32) == sx.int64  # dtypes know no device


def check_indexing_with_32_bit_indices():
    sx = _sx()
    with sx.use_backend("jax"):
        x = sx.arange(10.0)
        m = sx.reshape(sx.arange(12.0), (3, 4))
        assert x[sx.asarray([1, 3])].tolist() == [1.0, 3.0]
        assert x[[1, 3]].tolist() == [1.0, 3.0] and x[np.array([2, 4])].tolist() == [2.0, 4.0]
        assert m.T[::-1][0].tolist() == [3.0, 7.0, 11.0]  # a strided view (iota gather)
        assert m[sx.asarray([0, 2]), 1].tolist() == [1.0, 9.0]
        assert sx.take(x, [1, 2]).tolist() == [1.0, 2.0]
        assert sx.take(x, np.array([-1])).tolist() == [9.0]
        assert sx.take_along_axis(m, sx.asarray([[0], [1], [2]]), axis=1).tolist() == [
            [0.0], [5.0], [10.0],
        ]  # fmt: skip
        _raises(IndexError, "take", lambda: sx.take(x, [2**33]))
        _raises(IndexError, "__getitem__", lambda: x[np.array([2**33])])
        x[sx.asarray([0, 9])] = -1.0
        x[x > 7] = 5.0
        m[:, 0] = 0.0
        assert x.tolist()[:2] == [-1.0, 1.0] and x.tolist()[-2:] == [5.0, -1.0]
        assert m[:, 0].tolist() == [0.0, 0.0, 0.0]
        assert sx.repeat(x[:3], sx.asarray([1, 2, 0])).tolist() == [-1.0, 1.0, 1.0]
        assert sx.pad(x[:2], 1).tolist() == [0.0, -1.0, 1.0, 0.0]
        assert sx.median(sx.asarray([3, 1, 2])).dtype == F32
        assert sx.bincount(sx.asarray([0, 1, 1], dtype=sx.uint8)).tolist() == [1, 2]


def check_indexing_across_devices():
    sx = _sx()
    dev = _dev()
    j = sx.arange(5, device=dev)
    c = sx.arange(5, device="cpu")
    assert int(j[sx.asarray(2, device="cpu")]) == 2  # a 0-d index from any device
    assert int(c[sx.asarray(3, device=dev)]) == 3
    for func, make in {
        "__getitem__": lambda: j[sx.asarray([1], device="cpu")],
        "__setitem__": lambda: c.__setitem__(sx.asarray([1], device=dev), 0),
        "take": lambda: sx.take(j, sx.asarray([1], device="cpu")),
    }.items():
        _raises(ValueError, f"{func}: ", make)


def check_random_streams_match_the_host():
    sx = _sx()
    dev = _dev()
    a = sx.random.Generator(7).rand(6, device=dev)
    b = sx.random.Generator(7).rand(6, device="cpu")
    assert a.dtype == F32 and str(a.device) == dev and a.tolist() == b.tolist()
    n = sx.random.Generator(3).randn(5, device=dev)
    assert n.tolist() == sx.random.Generator(3).randn(5, device="cpu").tolist()
    r = sx.random.Generator(1).randint(0, 9, (4,), device=dev)
    assert r.dtype == I32 and str(r.device) == dev
    p = sx.random.Generator(2).randperm(6, device=dev)
    assert p.dtype == I32 and str(p.device) == dev and sorted(p.tolist()) == list(range(6))
    q = sx.random.Generator(2).randperm(6, device="cpu")
    assert p.tolist() == q.tolist()
    g = sx.random.Generator(4)
    x = sx.arange(4.0, device=dev)
    g.shuffle(x)
    assert sorted(x.tolist()) == [0.0, 1.0, 2.0, 3.0]

    import jax

    @jax.jit
    def traced(gen):
        return gen.rand(2)

    _raises(TypeError, "64-bit integers", lambda: traced(sx.random.Generator(0)))


def check_linalg_and_fft_stay_32_bit():
    sx = _sx()
    with sx.use_backend("jax"):
        m = sx.asarray([[2.0, 1.0], [1.0, 3.0]])
        for r in (
            sx.linalg.inv(m), sx.linalg.det(m), sx.linalg.cholesky(m), sx.linalg.pinv(m),
            sx.linalg.svd(m).S, sx.linalg.eigh(m).eigenvalues, sx.linalg.qr(m).R,
            sx.linalg.solve(m, m), sx.linalg.vector_norm(m), sx.linalg.matrix_norm(m),
            sx.linalg.matrix_power(m, -2), sx.linalg.slogdet(m).logabsdet,
        ):  # fmt: skip
            assert r.dtype == F32, r
        assert sx.linalg.eig(m).eigenvalues.dtype == C64
        assert sx.fft.fft(sx.asarray([1.0, 2.0])).dtype == C64
        assert sx.fft.irfft(sx.fft.rfft(sx.asarray([1.0, 2.0]))).dtype == F32


CHECKS = [name for name in dir() if name.startswith("check_")]


def main() -> None:
    warnings.simplefilter("error")
    results: dict[str, str | None] = {}
    for name in CHECKS:
        try:
            globals()[name]()
        except Exception:
            results[name] = traceback.format_exc()
        else:
            results[name] = None
    sys.stdout.write("@@RESULTS@@" + json.dumps(results))


if __name__ == "__main__":
    main()
