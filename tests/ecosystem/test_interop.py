"""Interop: DLPack with NumPy and PyTorch, array-api-compat's helpers, hypothesis's
array API strategies, and the NumPy-flavoured leniency that SciPy/scikit-learn rely on."""

from __future__ import annotations

import warnings

import array_api_compat as compat
import numpy as np
import pytest
import torch
from _ecohelpers import on_backend
from hypothesis import given, settings
from hypothesis.extra.array_api import make_strategies_namespace

import storax
from _devices import np_from_dlpack, on_host


def _shares(a: np.ndarray, b: np.ndarray) -> bool:
    return np.shares_memory(a, b)


# ------------------------------------------------------------------------ DLPack
# On the NumPy backend, DLPack and ``np.asarray`` share memory both ways (writes are seen
# on the other side). On the JAX backend a storax array's storage is a JAX buffer, which
# JAX treats as immutable: exports are zero-copy snapshots (storax never writes into a
# buffer it has handed out: its next write copies first), imports may share the
# producer's memory but storax's own writes never reach the producer.
ON_JAX = storax.get_backend() == "jax"
ON_TORCH = storax.get_backend() == "torch"


@pytest.mark.parametrize("dtype", ["float32", "float64", "int64", "complex64", "bool"])
def test_dlpack_numpy_both_ways(backend: str, dtype: str) -> None:
    a = np.arange(12).reshape(3, 4).astype(dtype)
    x = storax.from_dlpack(a)
    assert isinstance(x, storax.Array) and x.dtype == a.dtype and x.device.backend == backend
    assert np.array_equal(np.asarray(x), a)
    back = np_from_dlpack(x)
    assert type(back) is np.ndarray and np.array_equal(back, a)
    if ON_JAX:
        x[0, 0] = True if dtype == "bool" else 7  # storax's write never reaches NumPy's
        assert a[0, 0] == 0 and back[0, 0] == 0 and np.asarray(x)[0, 0] != 0
    else:
        assert _shares(np.asarray(x), a) and _shares(back, a)
    # a strided view goes through DLPack too (without a copy on NumPy)
    v = on_backend(a, backend)[:, ::2]
    assert np.array_equal(np_from_dlpack(v), a[:, ::2])
    if not ON_JAX:
        assert _shares(np_from_dlpack(v), np.asarray(v))


@pytest.mark.parametrize("dtype", ["float32", "float64", "int32", "uint8", "complex128", "bool"])
def test_dlpack_torch_both_ways(backend: str, dtype: str) -> None:
    t = torch.arange(12).reshape(3, 4).to(getattr(torch, dtype))
    x = storax.from_dlpack(t)
    assert isinstance(x, storax.Array) and x.shape == (3, 4) and x.device.backend == backend
    assert np.array_equal(np.asarray(x), t.numpy())
    if not ON_JAX:
        t[0, 0] = 1  # zero-copy: the write is seen through storax
        assert np.asarray(x)[0, 0] == t.numpy()[0, 0]

    s = on_backend(np.arange(6.0).reshape(2, 3), backend)
    t2 = torch.from_dlpack(s)
    assert t2.shape == (2, 3) and t2.dtype == torch.float64
    s[1, 1] = 42.0
    # NumPy: zero-copy, the write is seen through torch; JAX: torch holds a snapshot
    assert t2[1, 1].item() == (4.0 if ON_JAX else 42.0)
    assert float(s[1, 1]) == 42.0
    # a transposed (non-contiguous) view keeps its values (and its strides on NumPy;
    # JAX exports a view as a fresh row-major buffer)
    t3 = torch.from_dlpack(s.T)
    assert np.array_equal(t3.cpu().numpy(), np.asarray(s).T)
    if not ON_JAX:
        assert t3.stride() == tuple(s.T.stride())


@pytest.mark.parametrize("dtype", ["float32", "float64", "int64", "complex128", "bool"])
def test_dlpack_jax_both_ways(backend: str, dtype: str) -> None:
    import jax
    import jax.numpy as jnp

    # JAX narrows float64 to float32 unless x64 is on (storax's JAX backend turns it on)
    jax.config.update("jax_enable_x64", True)
    j = jnp.arange(12).reshape(3, 4).astype(dtype)
    x = storax.from_dlpack(j)
    assert isinstance(x, storax.Array) and x.shape == (3, 4) and x.device.backend == backend
    assert np.array_equal(np.asarray(x), np.asarray(j))
    if ON_JAX or ON_TORCH:  # a JAX array is immutable: storax's write goes to its own copy
        # (torch tensors cannot be read-only: the torch backend copies a read-only buffer)
        x[0, 0] = True if dtype == "bool" else 7
        assert np.asarray(j)[0, 0] == 0 and np.asarray(x)[0, 0] != 0
    else:  # NumPy imports JAX's buffer read-only (the DLPack flag), and so does storax
        with pytest.raises(ValueError, match="read-only"):
            x[0, 0] = 7

    s = on_backend(np.arange(6.0).reshape(2, 3), backend)
    j2 = jax.dlpack.from_dlpack(s)
    assert isinstance(j2, jax.Array) and j2.dtype == jnp.float64
    assert np.array_equal(np.asarray(j2), np.asarray(s))
    j3 = jnp.from_dlpack(s.T)  # a transposed view arrives with its values
    assert np.array_equal(np.asarray(j3), np.asarray(s).T)
    if ON_JAX:
        # a storax write after the export leaves the exported JAX array as it was
        s[1, 1] = 42.0
        assert float(j2[1, 1]) == 4.0 and float(s[1, 1]) == 42.0


def test_dlpack_device() -> None:
    x = storax.asarray([1.0, 2.0])
    dev_type, dev_id = x.__dlpack_device__()
    if on_host(x):
        assert int(dev_type) == 1 and dev_id == 0  # kDLCPU
    else:
        assert int(dev_type) == 2  # kDLCUDA
    y = storax.from_dlpack(x, device=x.device)
    assert y.device == x.device and np.array_equal(np.asarray(y), np.asarray(x))
    if not ON_JAX:
        assert np.shares_memory(np.asarray(y), np.asarray(x))
    z = storax.from_dlpack(x, copy=True)
    z[0] = 5.0  # a copy: x is untouched
    assert float(x[0]) == 1.0
    if not ON_JAX:
        assert not np.shares_memory(np.asarray(z), np.asarray(x))


def test_dlpack_of_broadcast_view_is_read_only_or_copied() -> None:
    b = storax.broadcast_to(storax.asarray([1.0, 2.0]), (3, 2))
    n = np_from_dlpack(b)  # DLPack >= 1.0 carries the read-only flag
    assert np.array_equal(n, np.broadcast_to([1.0, 2.0], (3, 2)))
    t = torch.from_dlpack(b)
    assert t.shape == (3, 2)


# -------------------------------------------------------------- array-api-compat
def test_array_api_compat_helpers(backend: str) -> None:
    x = on_backend(np.arange(6.0).reshape(2, 3), backend)
    assert compat.array_namespace(x) is storax
    assert compat.array_namespace(x, storax.asarray(1)) is storax
    assert compat.is_array_api_obj(x)
    assert compat.device(x) == x.device
    assert compat.to_device(x, x.device) is x or np.array_equal(
        np.asarray(compat.to_device(x, x.device)), np.asarray(x)
    )
    assert compat.size(x) == 6
    assert compat.is_writeable_array(x) is True
    assert compat.is_lazy_array(x) is False
    assert not compat.is_numpy_array(x)
    assert not compat.is_jax_array(x)
    assert compat.is_writeable_array(storax.broadcast_to(x[0], (2, 3))) in (True, False)


def test_namespace_info_complete() -> None:
    info = storax.__array_namespace_info__()
    caps = info.capabilities()
    assert caps["boolean indexing"] is True and caps["data-dependent shapes"] is True
    assert info.default_device() in info.devices()
    dt = info.default_dtypes(device=info.default_device())
    assert dt["indexing"] == storax.int64
    assert set(info.dtypes(kind="real floating")) == {"float32", "float64"}


def test_zero_d_conversions() -> None:
    z = storax.asarray(2.5)
    assert float(z) == 2.5 and int(storax.asarray(3)) == 3 and bool(storax.asarray(True))
    assert complex(storax.asarray(1 + 2j)) == 1 + 2j
    assert [0, 1, 2][storax.asarray(1)] == 1  # __index__


# ------------------------------------------------------------------- hypothesis
xps = make_strategies_namespace(storax)


@settings(max_examples=30, deadline=None)
@given(xps.arrays(dtype=xps.floating_dtypes(), shape=xps.array_shapes(max_dims=3, max_side=4)))
def test_hypothesis_strategies_draw_storax_arrays(x: storax.Array) -> None:
    assert isinstance(x, storax.Array)
    assert x.dtype in (storax.float32, storax.float64)
    assert storax.all(storax.isnan(x) | (x == x))


@settings(max_examples=20, deadline=None)
@given(xps.arrays(dtype=xps.scalar_dtypes(), shape=xps.array_shapes(max_dims=2)), xps.indices((5,)))
def test_hypothesis_scalar_dtypes_and_indices(x: storax.Array, idx: object) -> None:
    assert isinstance(x, storax.Array)
    assert storax.arange(5)[idx].ndim <= 1


# ----------------------------------------------- NumPy-flavoured leniency (issue 5)
def test_np_asarray_is_zero_copy(backend: str) -> None:
    """``np.asarray`` shares memory on the NumPy backend. On JAX it returns a host copy
    (as ``np.asarray`` of a jax.Array does; an accelerator's memory can't be a NumPy
    buffer), and ``copy=False`` raises ValueError, as NumPy's protocol asks."""
    x = on_backend(np.arange(4.0), backend)
    n = np.asarray(x)
    assert type(n) is np.ndarray and n.tolist() == [0.0, 1.0, 2.0, 3.0]
    n[0] = 9.0
    assert float(x[0]) == (0.0 if ON_JAX else 9.0)
    with pytest.raises(ValueError):
        np.asarray(x, dtype=np.float32, copy=False)
    if ON_JAX:
        with pytest.raises(ValueError):
            np.asarray(x, copy=False)
    assert np.array(x, copy=True) is not n


def test_writes_in_place(backend: str) -> None:
    x = on_backend(np.arange(6.0), backend)
    x[x > 3] = 0.0
    x[storax.asarray([0, 2])] = storax.asarray([7.0, 8.0])
    assert np.asarray(x).tolist() == [7.0, 1.0, 8.0, 3.0, 0.0, 0.0]


def test_numpy_leniency(backend: str) -> None:
    x = on_backend(np.arange(6.0).reshape(2, 3), backend)
    assert np.asarray(storax.diff(x[0], 2)).tolist() == [0.0]  # n positional
    c = x.copy()
    assert isinstance(c, storax.Array) and not np.shares_memory(np.asarray(c), np.asarray(x))
    f = storax.full((2,), storax.asarray(3.0))  # 0-d array as fill value
    assert np.asarray(f).tolist() == [3.0, 3.0]
    assert bool(storax.all((x[0] < np.float64(1.5)) == storax.asarray([True, True, False])))
    assert bool(x[0, 0] == np.float32(0.0))
    assert isinstance(storax.asarray(np.float64(2.0)), storax.Array)
    assert storax.asarray(np.arange(3)).dtype == storax.int64
    assert storax.asarray([np.float64(1.0), 2.0]).shape == (2,)
    assert [float(e) for e in x[1]] == [3.0, 4.0, 5.0]  # iteration over 1-D
    assert np.asarray(x[..., storax.asarray([2, 0])]).tolist() == [[2.0, 0.0], [5.0, 3.0]]
    assert storax.zeros(2, dtype=bool).dtype == storax.bool  # Python types as dtypes
    assert (storax.ones(2, dtype=storax.float32) * 1j).dtype == storax.complex64


def test_bool_sum_counts_true() -> None:
    """``mask.sum()`` (SciPy's nsum, NumPy idiom) counts the True values, as NumPy does."""
    m = storax.asarray([True, False, True])
    assert int(storax.sum(m)) == 2 and int(m.sum()) == 2


def test_unique_values_sorted() -> None:
    """scikit-learn relies on NumPy's sorted unique (``classes_``, pos_label checks)."""
    u = storax.unique_values(storax.asarray([1, 0, 2, 1, 0]))
    assert np.asarray(u).tolist() == [0, 1, 2]


def test_floating_point_warnings_follow_numpy() -> None:
    """On the NumPy backend storax reports NumPy's floating-point RuntimeWarnings (1/0,
    log(-1)) as NumPy does, and ``np.errstate`` silences them, since storax computes with
    NumPy inside it. (Silencing them in every call would cost ~0.75 µs, three times an
    8-element add: see docs/ecosystem.md.)"""
    x = storax.asarray([1.0, 0.0, -1.0])
    if storax.get_backend() == "numpy":
        with pytest.warns(RuntimeWarning):
            _ = x / 0.0
        with pytest.warns(RuntimeWarning):
            _ = storax.log(x)
    with warnings.catch_warnings():  # JAX never warns; NumPy not inside errstate
        warnings.simplefilter("error")
        with np.errstate(all="ignore"):
            _ = x / 0.0
            _ = storax.log(x)
            _ = storax.sqrt(x)
            _ = storax.divide(x, storax.zeros(3))
