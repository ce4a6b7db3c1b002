"""storax.random: the Philox4x32-10 stream (known answers, an independent reference),
statistics, reproducibility, bit-identity across backends, jax.jit, argument errors.

Tests not marked for a backend run on the default one (``STORAX_BACKEND``); the
cross-backend tests select NumPy and JAX themselves.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
import scipy.stats

import storax as sx
from storax import _random_kernels as rk
from storax import random as sxr
from storax._backends import _native_random

jax = pytest.importorskip("jax")
jnp = jax.numpy
sx._backends.load("jax")  # the JAX backend turns on jax_enable_x64 (uint64 for the kernels)


def host(x):
    return np.asarray(x.to_device(sx.Device("cpu")) if x.device != sx.Device("cpu") else x)


# ------------------------------------------------------------- the Philox stream

# Known-answer vectors of Philox4x32-10 (Random123, kat_vectors): counter, key, output.
KAT = [
    ((0, 0, 0, 0), (0, 0), (0x6627E8D5, 0xE169C58D, 0xBC57AC4C, 0x9B00DBD8)),
    ((0xFFFFFFFF,) * 4, (0xFFFFFFFF,) * 2, (0x408F276D, 0x41C83B0E, 0xA20BC7C6, 0x6D5451FD)),
    (
        (0x243F6A88, 0x85A308D3, 0x13198A2E, 0x03707344),
        (0xA4093822, 0x299F31D0),
        (0xD16CFE09, 0x94FDCCEB, 0x5001E420, 0x24126EA1),
    ),
]


@pytest.mark.parametrize("xp", [np, jnp], ids=["numpy", "jax"])
@pytest.mark.parametrize(("ctr", "key", "out"), KAT)
def test_philox_known_answers(xp, ctr, key, out):
    words = rk.philox4x32(xp, *(xp.asarray(c, dtype=xp.uint64) for c in ctr), *key)
    assert tuple(int(w) for w in words) == out


def _philox_py(ctr, key):
    """An independent, scalar Philox4x32-10 in Python integers (the Random123 round)."""
    c, k = list(ctr), list(key)
    for _ in range(10):
        p0, p1 = 0xD2511F53 * c[0], 0xCD9E8D57 * c[2]
        c = [(p1 >> 32) ^ c[1] ^ k[0], p1 & 0xFFFFFFFF, (p0 >> 32) ^ c[3] ^ k[1], p0 & 0xFFFFFFFF]
        k = [(k[0] + 0x9E3779B9) & 0xFFFFFFFF, (k[1] + 0xBB67AE85) & 0xFFFFFFFF]
    return c


def _words(seed, first_block, nblocks):
    key = (seed & 0xFFFFFFFF, seed >> 32)
    out = []
    for b in range(first_block, first_block + nblocks):
        out += _philox_py((b & 0xFFFFFFFF, b >> 32, 0, 0), key)
    return out


def test_the_python_reference_matches_the_known_answers():
    for ctr, key, out in KAT:
        assert tuple(_philox_py(ctr, key)) == out


def test_stream_layout_float32_float64_and_integers():
    seed = 0x0123456789ABCDEF
    g = sxr.Generator(seed)
    w = _words(seed, 0, 3)
    # rand float32: word i -> (w >> 8) * 2**-24, four words per block, 3 blocks for 10 values
    assert host(g.rand(10, dtype=sx.float32)).tolist() == [(v >> 8) * 2.0**-24 for v in w[:10]]
    assert g.get_state() == (seed, 3)
    w = _words(seed, 3, 2)
    w64 = [w[2 * i] | (w[2 * i + 1] << 32) for i in range(4)]
    assert host(g.rand(3, dtype=sx.float64)).tolist() == [(v >> 11) * 2.0**-53 for v in w64[:3]]
    assert g.get_state() == (seed, 5)
    w = _words(seed, 5, 2)
    w64 = [w[2 * i] | (w[2 * i + 1] << 32) for i in range(4)]
    assert host(g.randint(-5, 1000, (4,))).tolist() == [-5 + (v * 1005 >> 64) for v in w64]


def test_normal_is_box_muller_of_the_stream():
    g = sxr.Generator(99)
    z = host(g.randn(200, dtype=sx.float64))
    w = _words(99, 0, 100)
    ref = []
    for i in range(100):
        a = w[4 * i] | (w[4 * i + 1] << 32)
        b = w[4 * i + 2] | (w[4 * i + 3] << 32)
        r = math.sqrt(-2.0 * math.log(((a >> 11) + 1) * 2.0**-53))
        theta = 2 * math.pi * b / 2.0**64
        ref += [r * math.cos(theta), r * math.sin(theta)]
    np.testing.assert_allclose(z, ref, rtol=1e-13, atol=1e-13)


def test_consecutive_draws_continue_the_stream_block_by_block():
    a = sxr.Generator(5)
    b = sxr.Generator(5)
    both = host(a.rand(8, dtype=sx.float32))
    assert (
        host(b.rand(4, dtype=sx.float32)).tolist() + host(b.rand(4, dtype=sx.float32)).tolist()
        == both.tolist()
    )


def test_counter_wraps_modulo_2_64():
    g = sxr.Generator(1)
    g.set_state((1, 2**64 - 1))
    x = host(g.rand(8, dtype=sx.float32))
    w = _words(1, 2**64 - 1, 1) + _words(1, 0, 1)
    assert x.tolist() == [(v >> 8) * 2.0**-24 for v in w]
    assert g.get_state() == (1, 1)


def test_eager_blocks_give_the_same_stream(monkeypatch):
    whole = host(sxr.Generator(3).randn(1001, dtype=sx.float64))
    monkeypatch.setattr(sxr, "_NUMPY_BLOCK", 7)
    monkeypatch.setenv("STORAX_NATIVE_RANDOM", "0")  # the array path, in blocks of 7
    _native_random.reset()
    try:
        with sx.use_backend("numpy"):
            assert np.array_equal(host(sxr.Generator(3).randn(1001, dtype=sx.float64)), whole)
    finally:
        monkeypatch.undo()
        _native_random.reset()


# ------------------------------------------------------------------- statistics


def _ks(x, cdf):
    return scipy.stats.kstest(np.asarray(x, dtype=np.float64), cdf).pvalue


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_uniform_statistics(dtype):
    x = host(sxr.Generator(2024).rand(200_000, dtype=getattr(sx, dtype))).astype(np.float64)
    assert x.min() >= 0.0 and x.max() < 1.0
    assert abs(x.mean() - 0.5) < 4 * math.sqrt(1 / 12 / x.size)
    assert abs(x.var() - 1 / 12) < 0.002
    assert _ks(x, "uniform") > 1e-3
    assert abs(np.corrcoef(x[:-1], x[1:])[0, 1]) < 4 / math.sqrt(x.size)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_normal_statistics(dtype):
    z = host(sxr.Generator(7).randn(200_000, dtype=getattr(sx, dtype))).astype(np.float64)
    assert abs(z.mean()) < 4 / math.sqrt(z.size)
    assert abs(z.var() - 1) < 0.02
    assert abs(scipy.stats.skew(z)) < 0.03 and abs(scipy.stats.kurtosis(z)) < 0.06
    assert _ks(z, "norm") > 1e-3
    assert abs(np.corrcoef(z[:-1], z[1:])[0, 1]) < 4 / math.sqrt(z.size)
    # the two values of one Box-Muller pair are independent too
    assert abs(np.corrcoef(z[0::2], z[1::2])[0, 1]) < 4 / math.sqrt(z.size / 2)


def test_normal_and_uniform_with_parameters():
    g = sxr.Generator(11)
    x = host(g.normal(3.0, 0.5, (100_000,), dtype=sx.float64))
    assert abs(x.mean() - 3.0) < 0.01 and abs(x.std() - 0.5) < 0.01
    u = host(g.uniform(-2.0, 6.0, (100_000,), dtype=sx.float32))
    assert u.min() >= -2.0 and u.max() < 6.0
    assert _ks(u, scipy.stats.uniform(-2.0, 8.0).cdf) > 1e-3


def test_no_repeats_in_1e5_float64_uniforms():
    x = host(sxr.Generator(0).rand(100_000, dtype=sx.float64))
    assert np.unique(x).size == x.size


def test_randint_range_and_uniformity():
    x = host(sxr.Generator(1).randint(-3, 7, (100_000,)))
    assert x.dtype == np.int64 and x.min() == -3 and x.max() == 6
    counts = np.bincount(x + 3, minlength=10)
    assert scipy.stats.chisquare(counts).pvalue > 1e-3


@pytest.mark.parametrize(
    ("low", "high", "dtype"),
    [(0, 256, "uint8"), (-128, 128, "int8"), (0, 2**64, "uint64"), (-(2**63), 2**63, "int64"),
     (2**40, 2**40 + 3, "int64"), (0, 2**33 + 1, "uint64")],
)  # fmt: skip
def test_randint_bounds_per_dtype(low, high, dtype):
    x = host(sxr.Generator(4).randint(low, high, (5000,), dtype=getattr(sx, dtype)))
    assert x.dtype == np.dtype(dtype)
    vals = [int(v) for v in x.tolist()]
    assert min(vals) >= low and max(vals) < high
    if high - low <= 256:
        assert len(set(vals)) == high - low


def test_randperm_and_permutation_and_shuffle():
    g = sxr.Generator(8)
    p = host(g.randperm(1000))
    assert p.dtype == np.int64 and sorted(p.tolist()) == list(range(1000))
    assert p.tolist() != list(range(1000))
    assert host(g.randperm(0)).shape == (0,)
    x = sx.reshape(sx.arange(12), (4, 3))
    y = g.permutation(x)
    assert sorted(map(tuple, host(y).tolist())) == sorted(map(tuple, host(x).tolist()))
    z = g.permutation(x, axis=1)
    assert sorted(host(z)[0].tolist()) == [0, 1, 2]
    v = sx.arange(10)
    view = v[2:8]
    g.shuffle(view)  # in place, through the view into v's storage
    assert host(v)[:2].tolist() == [0, 1] and sorted(host(v)[2:8].tolist()) == list(range(2, 8))
    assert sorted(host(g.permutation(5)).tolist()) == list(range(5))


# --------------------------------------------------------------- reproducibility


def test_manual_seed_reproduces_the_seed_chapter():
    sx.manual_seed(123)
    img = sx.rand(3, 5, 5)
    points_64 = sx.rand(5, dtype=sx.double if hasattr(sx, "double") else sx.float64)
    sx.manual_seed(123)
    assert np.array_equal(host(sx.rand((3, 5, 5))), host(img))
    assert np.array_equal(host(sx.rand([5], dtype=sx.float64)), host(points_64))
    assert img.shape == (3, 5, 5) and img.dtype == sx.get_default_dtype()
    assert points_64.dtype == sx.float64
    assert sxr.initial_seed() == 123


def test_generators_are_independent_of_the_global_state():
    sx.manual_seed(0)
    a = host(sx.rand(4))
    sx.manual_seed(0)
    g = sxr.Generator(0)
    g.rand(100)  # drawing from g leaves the global stream where it was
    assert np.array_equal(host(sx.rand(4)), a)
    assert np.array_equal(host(sxr.Generator(0).rand(4)), a)
    assert np.array_equal(host(sx.rand(4, generator=sxr.Generator(0))), a)
    assert not np.array_equal(host(sxr.Generator(1).rand(4)), a)


def test_state_round_trip_seed_and_spawn():
    g = sxr.Generator(-1)  # negative seeds are taken modulo 2**64, as PyTorch does
    assert g.initial_seed() == 2**64 - 1
    state = g.get_state()
    a = host(g.randn(7))
    g.set_state(state)
    assert np.array_equal(host(g.randn(7)), a)
    kids = sxr.Generator(3).spawn(3)
    seeds = {k.initial_seed() for k in kids}
    assert len(seeds) == 3
    assert [k.initial_seed() for k in sxr.Generator(3).spawn(3)] == [k.initial_seed() for k in kids]
    s = sxr.seed()
    assert sxr.initial_seed() == s
    assert "seed=" in repr(g)


# ------------------------------------------------------------ across backends


def _everything(seed):
    g = sxr.Generator(seed)
    out = []
    for dt in (sx.float32, sx.float64):
        out += [g.rand(70_001, dtype=dt), g.randn(3, 33_333, dtype=dt)]
        out += [g.normal(-1.5, 3.25, (1001,), dtype=dt), g.uniform(-3.3, 7.1, (999,), dtype=dt)]
    out += [g.randint(-7, 1_000_003, (5000,)), g.randint(0, 256, (77,), dtype=sx.uint8)]
    out += [g.randint(-(2**63), 2**63, (99,)), g.randint(0, 2**64, (9,), dtype=sx.uint64)]
    out += [g.randperm(5000), g.randperm(7, dtype=sx.int16)]
    return [host(x) for x in out], g.get_state()


def test_bit_identical_on_numpy_and_jax():
    with sx.use_backend("numpy"):
        a, sa = _everything(2**63 + 12345)
    with sx.use_backend("jax"):
        b, sb = _everything(2**63 + 12345)
    assert sa == sb
    for x, y in zip(a, b, strict=True):
        assert x.dtype == y.dtype and x.shape == y.shape
        assert x.tobytes() == y.tobytes()


def test_device_argument_places_the_result():
    cpu = sx.Device("cpu")
    jdev = sx.__array_namespace_info__().devices()[1]
    x = sxr.Generator(0).rand(4, device=cpu)
    y = sxr.Generator(0).rand(4, device=jdev)
    z = sxr.Generator(0).rand(4, device=str(jdev.name))
    assert x.device == cpu and y.device == jdev and z.device == jdev
    assert host(x).tobytes() == host(y).tobytes() == host(z).tobytes()
    assert sxr.Generator(0).randint(5, (3,), device=jdev).device == jdev
    assert sxr.Generator(0).randperm(5, device=jdev).device == jdev


# --------------------------------------------------------------------- jax.jit


def test_generator_is_a_pytree_carried_through_jit():
    @jax.jit
    def step(g, x):
        return x + g.randn(3, dtype=sx.float64), g.randint(0, 100, (2,)), g

    with sx.use_backend("jax"):
        g = sxr.Generator(7)
        x1, i1, g1 = step(g, sx.zeros(3, dtype=sx.float64))
        x2, i2, g2 = step(g1, x1)
        ref = sxr.Generator(7)
        r1, j1 = ref.randn(3, dtype=sx.float64), ref.randint(0, 100, (2,))
        r2, j2 = ref.randn(3, dtype=sx.float64), ref.randint(0, 100, (2,))
    assert g.get_state() == (7, 0)  # the generator passed in is not changed
    assert g2.get_state() == ref.get_state() == (7, 6)
    assert host(x1).tobytes() == host(r1).tobytes()
    assert host(x2).tobytes() == host(r1 + r2).tobytes()
    assert host(i1).tolist() == host(j1).tolist() and host(i2).tolist() == host(j2).tolist()
    assert step._cache_size() == 1  # a new state is a new value, not a recompilation


def test_traced_generator_draws_every_kind_in_jit():
    @jax.jit
    def f(g):
        return g.rand(5), g.uniform(1.0, 2.0, (3,)), g.normal(0.0, 2.0, (3,)), g.randperm(6), g

    with sx.use_backend("jax"):
        *vals, g = f(sxr.Generator(21))
        ref = sxr.Generator(21)
        expect = [
            ref.rand(5),
            ref.uniform(1.0, 2.0, (3,)),
            ref.normal(0.0, 2.0, (3,)),
            ref.randperm(6),
        ]
    for v, e in zip(vals, expect, strict=True):
        assert host(v).tobytes() == host(e).tobytes()
    assert g.get_state() == ref.get_state()


@pytest.mark.parametrize("low, high", [(-3.3, 7.1), (0.1, 0.7), (-1e10, 3.3)])
def test_traced_float64_uniforms_with_constant_bounds_match_numpy(low, high):
    # Under jax.jit the bounds are constants of the trace: XLA proved the product of
    # ``high - low`` and a converted integer not NaN, folded the ``p == p`` fence away and
    # fused ``low + p`` into one multiply-add (48% of values differed in the last bit)
    @jax.jit
    def f(g):
        return g.uniform(low, high, (999,), dtype=sx.float64), g

    with sx.use_backend("jax"):
        got, _ = f(sxr.Generator(5))
    with sx.use_backend("numpy"):
        want = sxr.Generator(5).uniform(low, high, (999,), dtype=sx.float64)
    assert host(got).tobytes() == host(want).tobytes()


@pytest.mark.parametrize("n", [1, 2, 3])
def test_traced_normals_of_one_block_match_numpy(n):
    # XLA compiled the one-block Box-Muller kernel (one-element arrays) differently: 5% of
    # its cos/sin values differed in the last bit until the kernel computed two blocks
    @jax.jit
    def f(g):
        return g.randn(n, dtype=sx.float64), g

    for offset in range(0, 700, 7):
        with sx.use_backend("numpy"):
            g = sxr.Generator(5)
            g.set_state((5, offset))
            ref = host(g.randn(n, dtype=sx.float64))
        with sx.use_backend("jax"):
            g = sxr.Generator(5)
            g.set_state((5, offset))
            assert host(f(g)[0]).tobytes() == ref.tobytes(), offset


def test_global_generator_inside_jit_raises():
    with sx.use_backend("jax"):
        x = sx.zeros(3)
        for call in (lambda: sx.rand(3), lambda: sx.randn(3), lambda: sx.randint(3, (2,))):
            with pytest.raises(RuntimeError, match="global generator cannot draw inside jax.jit"):
                jax.jit(lambda x, call=call: x + call())(x)

        @jax.jit
        def f(g):
            return g.rand(2, device="cpu")

        with pytest.raises(ValueError, match="rand: a traced generator"):
            f(sxr.Generator(0))

        @jax.jit
        def h(g):
            return g.get_state()

        with pytest.raises(RuntimeError, match="get_state: the generator's state is traced"):
            h(sxr.Generator(0))


# ---------------------------------------------------------------------- errors


@pytest.mark.parametrize(
    ("call", "exc", "match"),
    [
        (lambda: sx.rand(3, dtype=sx.int32), TypeError, "rand: dtype must be float32 or float64"),
        (lambda: sx.randn(3, dtype="complex64"), TypeError, "randn: dtype must be float32"),
        (lambda: sx.rand(3, dtype="float16"), TypeError, "rand: "),
        (lambda: sx.rand(-1), ValueError, "rand: negative dimensions"),
        (lambda: sx.rand(2.5), TypeError, "rand: shape entries must be integers"),
        (lambda: sx.rand(3, device="gpu:7"), ValueError, "rand: "),
        (lambda: sx.rand(3, device=3), TypeError, "rand: expected a storax Device"),
        (lambda: sx.randint(5, 5, (2,)), ValueError, "randint: low must be less than high"),
        (lambda: sx.randint(0, 300, (2,), dtype=sx.uint8), ValueError, "randint: \\[0, 300\\)"),
        (lambda: sx.randint(-1, 3, (2,), dtype=sx.uint8), ValueError, "randint: "),
        (
            lambda: sx.randint(0, 3, (2,), dtype=sx.float32),
            TypeError,
            "randint: dtype must be an integer",
        ),
        (
            lambda: sx.randint(0, 3, (2,), dtype=sx.bool),
            TypeError,
            "randint: dtype must be an integer",
        ),
        (lambda: sx.randint(0.5, 3, (2,)), TypeError, "randint: low must be an int"),
        (lambda: sx.randint(True, (2,)), TypeError, "randint: high must be an int"),
        (lambda: sx.randint(1, 2, 3, 4), TypeError, "randint: expected"),
        (lambda: sx.randperm(-1), ValueError, "randperm: n must be non-negative"),
        (lambda: sx.randperm(300, dtype=sx.int8), ValueError, "randperm: n=300 does not fit"),
        (lambda: sx.randperm(3, dtype=sx.float64), TypeError, "randperm: dtype must be an integer"),
        (lambda: sx.normal(0.0, -1.0, (2,)), ValueError, "normal: std must be non-negative"),
        (lambda: sx.normal(float("nan"), 1.0, (2,)), ValueError, "normal: mean must be finite"),
        (
            lambda: sx.normal(sx.zeros(2), 1.0, (2,)),
            TypeError,
            "normal: mean must be a real number",
        ),
        (
            lambda: sx.random.uniform(2.0, 1.0, (2,)),
            ValueError,
            "uniform: low must not exceed high",
        ),
        (lambda: sx.manual_seed(2**64), ValueError, "manual_seed: seed must be in"),
        (lambda: sx.manual_seed(1.5), TypeError, "manual_seed: seed must be an int"),
        (
            lambda: sx.rand(3, generator=np.random.default_rng()),
            TypeError,
            "rand: generator must be",
        ),
        (lambda: sx.shuffle([1, 2]), TypeError, "shuffle: expected a storax array"),
        (lambda: sx.shuffle(sx.asarray(1.0)), ValueError, "shuffle: cannot shuffle a 0-dim"),
        (lambda: sx.permutation(sx.zeros((2, 2)), axis=2), ValueError, "permutation: axis 2"),
        (lambda: sxr.Generator(0).set_state(5), TypeError, "set_state: expected"),
        (lambda: sxr.Generator(0).spawn(-1), ValueError, "spawn: n must be non-negative"),
    ],
)
def test_argument_errors_name_the_function(call, exc, match):
    with pytest.raises(exc, match=match):
        call()


def test_top_level_names_are_extensions_outside_the_spec_chapters():
    for name in ("manual_seed", "rand", "randn", "randint", "randperm", "normal", "uniform",
                 "permutation", "shuffle"):  # fmt: skip
        assert getattr(sx, name) is getattr(sxr, name)
        assert name in sx.__all__
    assert sx.random.Generator is sxr.Generator
    assert sxr.default_generator is sx.manual_seed(0)
