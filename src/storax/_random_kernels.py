"""Kernels of ``storax.random``: Philox4x32-10 and transforms of its words, ``func(xp, ...)``.

Every function here takes the backend's array module ``xp`` first and uses only integer
arithmetic, comparisons, ``where``, ``sqrt`` and IEEE-exact conversions, so each backend
computes the same bits. ``backend.composite`` turns them into kernels (one compiled kernel
on JAX). The stream they compute is specified in docs/random.md.
"""

from __future__ import annotations

import math
from typing import Any

from . import _dtypes

_U64 = _dtypes.uint64
_F32 = _dtypes.float32
_F64 = _dtypes.float64
MASK32 = 0xFFFFFFFF
# Philox4x32 constants (Salmon et al., "Parallel random numbers: as easy as 1, 2, 3", SC11)
PHILOX_M = (0xD2511F53, 0xCD9E8D57)  # round multipliers
PHILOX_W = (0x9E3779B9, 0xBB67AE85)  # Weyl key increments
ROUNDS = 10


def _u64(xp: Any, v: Any) -> Any:
    return xp.asarray(v, dtype=_U64)


def philox4x32(xp: Any, c0: Any, c1: Any, c2: Any, c3: Any, k0: Any, k1: Any) -> Any:
    """Philox4x32-10 of counters ``(c0, c1, c2, c3)`` under key ``(k0, k1)``.

    The counter words are uint64 arrays holding 32-bit values (broadcastable to one
    shape); the key words are 32-bit integers. Returns the four output words
    ``(x0, x1, x2, x3)``, uint64 arrays holding 32-bit values.

    A 32x32-bit product is exact in uint64: its high and low halves are one shift and
    one mask.
    """
    c0, c1, c2, c3 = xp.broadcast_arrays(*(_u64(xp, c) for c in (c0, c1, c2, c3)))
    rounds = xp.arange(ROUNDS, dtype=_U64)
    ks0 = (_u64(xp, k0) + rounds * PHILOX_W[0]) & MASK32  # the ten round keys
    ks1 = (_u64(xp, k1) + rounds * PHILOX_W[1]) & MASK32
    m0, m1 = _u64(xp, PHILOX_M[0]), _u64(xp, PHILOX_M[1])
    for r in range(ROUNDS):
        p0 = c0 * m0
        p1 = c2 * m1
        c0, c1, c2, c3 = (
            (p1 >> 32) ^ c1 ^ ks0[r],
            p1 & MASK32,
            (p0 >> 32) ^ c3 ^ ks1[r],
            p0 & MASK32,
        )
    return c0, c1, c2, c3


def blocks(xp: Any, k0: Any, k1: Any, o0: Any, o1: Any, n: int) -> Any:
    """Philox blocks ``offset + i`` for ``i < n`` (``offset = o0 + 2**32 * o1``; the
    128-bit counter is ``(lo32, hi32, 0, 0)`` of the 64-bit block number)."""
    ctr = xp.arange(n, dtype=_U64) + (_u64(xp, o0) | (_u64(xp, o1) << 32))
    zero = xp.zeros((), dtype=_U64)
    return philox4x32(xp, ctr & MASK32, ctr >> 32, zero, zero, k0, k1)


def _words64(xp: Any, x: Any, count: int) -> Any:
    """The stream's 64-bit values: value ``2i + j`` is ``x[2j] | x[2j + 1] << 32`` of block i."""
    u = xp.stack([x[0] | (x[1] << 32), x[2] | (x[3] << 32)], axis=-1)
    return xp.reshape(u, (-1,))[:count]


_F64_MAX = 1.7976931348623157e308


def _exact(xp: Any, p: Any, fused: bool) -> Any:
    # Note: a fusing compiler (XLA) contracts ``a * b + c`` into one fused multiply-add,
    # rounding once where NumPy rounds twice. A select it cannot fold keeps the product a
    # rounded value of its own, so every backend computes the same bits. The select must
    # depend on something the compiler cannot prove: ``p == p`` is folded away when ``p``
    # is provably not NaN (a product of a constant and a converted integer, as in
    # ``uniform``), finiteness is not (the other branch, ``p * 0.5``, equals ``p`` for
    # infinities and NaN, so the select is the identity).
    return xp.where(xp.abs(p) <= _F64_MAX, p, p * 0.5) if fused else p


# ------------------------------------------------------------------------ uniform


def uniform01(xp: Any, k0: Any, k1: Any, o0: Any, o1: Any, *, count: int, dtype: Any) -> Any:
    """``count`` uniforms in [0, 1): float32 from the top 24 bits of each 32-bit word
    (times 2**-24), float64 from the top 53 bits of each 64-bit value (times 2**-53)."""
    if dtype == _F32:
        x = blocks(xp, k0, k1, o0, o1, -(-count // 4))
        flat = xp.stack([(w >> 8).astype(_F32) * (2.0**-24) for w in x], axis=-1)
        return xp.reshape(flat, (-1,))[:count]
    x = blocks(xp, k0, k1, o0, o1, -(-count // 2))
    return (_words64(xp, x, count) >> 11).astype(_F64) * (2.0**-53)


def uniform(
    xp: Any,
    k0: Any,
    k1: Any,
    o0: Any,
    o1: Any,
    low: Any,
    high: Any,
    *,
    count: int,
    dtype: Any,
    fused: bool,
) -> Any:
    """``low + (high - low) * u`` for the uniforms ``u`` of :func:`uniform01`.

    float32: ``scale = float32(high) - float32(low)``; the product of a 24-bit integer by
    ``scale`` is exact in float64, so the value is ``float32(low + k * scale * 2**-24)``
    with one float64 rounding and one float32 rounding on every backend.
    """
    if dtype == _F32:
        x = blocks(xp, k0, k1, o0, o1, -(-count // 4))
        lo32 = xp.asarray(low, dtype=_F32)
        scale = (xp.asarray(high, dtype=_F32) - lo32).astype(_F64)
        flat = xp.stack([(w >> 8).astype(_F64) * scale * (2.0**-24) for w in x], axis=-1)
        return (xp.reshape(flat, (-1,))[:count] + lo32.astype(_F64)).astype(_F32)
    u = uniform01(xp, k0, k1, o0, o1, count=count, dtype=_F64)
    lo = xp.asarray(low, dtype=_F64)
    return _exact(xp, (xp.asarray(high, dtype=_F64) - lo) * u, fused) + lo


# ------------------------------------------------------------------------- normal

_LN2_HI = 6.93147180369123816490e-01  # ln 2 with its low 21 bits zero: e * _LN2_HI is exact
_LN2_LO = 1.90821492927058770002e-10  # ln 2 - _LN2_HI
_ATANH = tuple(1.0 / (2 * k + 1) for k in range(11))  # ln x = 2 s sum s^2k / (2k + 1)
_SIN = tuple((-1.0) ** k / math.factorial(2 * k + 1) for k in range(10))
_COS = tuple((-1.0) ** k / math.factorial(2 * k) for k in range(11))


def _horner(xp: Any, coefs: tuple[float, ...], x: Any, fused: bool) -> Any:
    p = xp.full_like(x, coefs[-1])
    for c in coefs[-2::-1]:
        p = _exact(xp, p * x, fused) + c
    return p


def _log_uint53(xp: Any, m: Any, fused: bool) -> Any:
    """``ln((m + 1) * 2**-53)`` for uint64 ``m < 2**53``: a value in (0, 1] as an integer.

    Range reduction is exact: ``v = m + 1 = 2**e * x`` with ``x`` in [sqrt(1/2), sqrt(2)),
    found by comparisons and power-of-two scalings; then ``ln x = 2 atanh((x-1)/(x+1))``.
    """
    x = (m + 1).astype(_F64)
    e = xp.zeros_like(x)
    for k in (32, 16, 8, 4, 2, 1):
        big = x >= 2.0**k
        x = xp.where(big, x * 2.0**-k, x)
        e = xp.where(big, e + k, e)
    big = x > math.sqrt(2.0)
    x = xp.where(big, x * 0.5, x)
    e = xp.where(big, e + 1, e) - 53.0
    s = (x - 1.0) / (x + 1.0)
    ln_x = _exact(xp, (2.0 * s) * _horner(xp, _ATANH, s * s, fused), fused)
    return e * _LN2_HI + (_exact(xp, e * _LN2_LO, fused) + ln_x)


def _sincos_turn(xp: Any, t: Any, fused: bool) -> Any:
    """``(cos, sin)`` of ``2 pi t / 2**64`` for uint64 ``t``: the quadrant is the top two
    bits (rounded), the rest an exact fraction ``r`` in [-1/2, 1/2) of a quarter turn."""
    t = t + (1 << 61)  # wraps modulo 2**64: centre each quadrant
    q = t >> 62
    r = ((t >> 9) & ((1 << 53) - 1)).astype(_F64) * (2.0**-53) - 0.5
    psi = r * (math.pi / 2)
    psi2 = psi * psi
    s = _exact(xp, psi * _horner(xp, _SIN, psi2, fused), fused)
    c = _horner(xp, _COS, psi2, fused)
    odd = (q & 1) == 1
    cos_abs = xp.where(odd, s, c)
    sin_abs = xp.where(odd, c, s)
    cos = xp.where(((q + 1) & 2) != 0, -cos_abs, cos_abs)
    sin = xp.where((q & 2) != 0, -sin_abs, sin_abs)
    return cos, sin


def normal(
    xp: Any,
    k0: Any,
    k1: Any,
    o0: Any,
    o1: Any,
    mean: Any,
    std: Any,
    *,
    count: int,
    dtype: Any,
    fused: bool,
) -> Any:
    """``mean + std * z``, ``z`` standard normal by Box-Muller in float64: block i gives
    ``z[2i] = R cos(theta)``, ``z[2i + 1] = R sin(theta)``, ``R = sqrt(-2 ln u1)``, with
    ``u1 = ((x0 | x1 << 32) >> 11) + 1) * 2**-53`` and ``theta = 2 pi (x2 | x3 << 32) / 2**64``."""
    # Note: at least two blocks (the second is discarded). XLA compiles a kernel over
    # one-element arrays differently: 5% of its cos/sin values differed in the last bit.
    x0, x1, x2, x3 = blocks(xp, k0, k1, o0, o1, max(-(-count // 2), 2))
    radius = xp.sqrt(-2.0 * _log_uint53(xp, (x0 | (x1 << 32)) >> 11, fused))
    cos, sin = _sincos_turn(xp, x2 | (x3 << 32), fused)
    z = xp.reshape(xp.stack([radius * cos, radius * sin], axis=-1), (-1,))[:count]
    out = _exact(xp, xp.asarray(std, dtype=_F64) * z, fused) + xp.asarray(mean, dtype=_F64)
    return out.astype(dtype)


# ----------------------------------------------------------------------- integers


def randint(
    xp: Any,
    k0: Any,
    k1: Any,
    o0: Any,
    o1: Any,
    low0: Any,
    low1: Any,
    r0: Any,
    r1: Any,
    *,
    count: int,
    dtype: Any,
    full: bool,
) -> Any:
    """``low + floor(w * r / 2**64)`` for the stream's 64-bit values ``w`` and the range
    ``r = r0 + 2**32 * r1`` (``full``: r is 2**64, the value is ``low + w``), modulo 2**64,
    then cast to ``dtype`` (two's complement). The high 64 bits of the 128-bit product
    come from four 32x32-bit products, exact in uint64."""
    w = _words64(xp, blocks(xp, k0, k1, o0, o1, -(-count // 2)), count)
    if full:
        hi = w
    else:
        wlo, whi = w & MASK32, w >> 32
        rlo, rhi = _u64(xp, r0), _u64(xp, r1)
        lh, hl = wlo * rhi, whi * rlo
        mid = ((wlo * rlo) >> 32) + (lh & MASK32) + (hl & MASK32)
        hi = whi * rhi + (lh >> 32) + (hl >> 32) + (mid >> 32)
    v = hi + (_u64(xp, low0) | (_u64(xp, low1) << 32))
    if dtype.kind == "i":
        v = v.astype(_dtypes.int64)
    return v.astype(dtype)


def argsort(xp: Any, keys: Any, *, dtype: Any) -> Any:
    """The permutation that sorts ``keys`` (stable, so ties keep their order)."""
    return xp.argsort(keys, stable=True).astype(dtype)


def advance(xp: Any, o0: Any, o1: Any, n: Any) -> Any:
    """The block offset ``(o0, o1)`` advanced by ``n`` blocks (modulo 2**64), as uint32s."""
    off = (_u64(xp, o0) | (_u64(xp, o1) << 32)) + _u64(xp, n)
    return (off & MASK32).astype(_dtypes.uint32), (off >> 32).astype(_dtypes.uint32)
