"""Throughput of storax.random against numpy.random (Philox, PCG64), jax.random, torch.rand.

Run: ``PYTHONPATH=src python benchmarks/bench_random.py [--sizes 1000000 10000000]``.
Each row times one draw of ``n`` values (best of ``--repeat``, the peers interleaved with
storax so that a busy machine slows both alike) and rewrites the "Random numbers" section
of ``docs/performance.md`` (between its markers; the rest of the file is kept).
"""

from __future__ import annotations

import argparse
import os
import platform
import time
from pathlib import Path

import numpy as np
from _sections import write_section  # noqa: E402

import storax as sx
from storax._backends import _native_random

ROOT = Path(__file__).resolve().parents[1]
MARK_BEGIN = "<!-- random-section-begin -->"
MARK_END = "<!-- random-section-end -->"


def best(func, repeat):
    func()  # warm-up (compilation on JAX)
    out = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        func()
        out = min(out, time.perf_counter() - t0)
    return out


def rows_for(n, repeat):
    import jax

    try:
        import torch
    except ImportError:
        torch = None
    g = sx.random.Generator(0)
    pcg = np.random.default_rng(0)
    phx = np.random.Generator(np.random.Philox(0))
    key = jax.random.key(0)
    jit_u = {
        d: jax.jit(lambda k, d=d: jax.random.uniform(k, (n,), dtype=d))
        for d in ("float32", "float64")
    }  # noqa: E501
    jit_n = {
        d: jax.jit(lambda k, d=d: jax.random.normal(k, (n,), dtype=d))
        for d in ("float32", "float64")
    }  # noqa: E501
    tg = torch.Generator().manual_seed(0) if torch is not None else None
    rows = []
    for kind in ("rand", "randn"):
        for dt in ("float32", "float64"):
            d = getattr(sx, dt)
            with sx.use_backend("numpy"):
                t_np = best(lambda d=d, kind=kind: getattr(g, kind)(n, dtype=d), repeat)
            with sx.use_backend("jax"):
                t_jx = best(
                    lambda d=d, kind=kind: getattr(g, kind)(n, dtype=d)._value.block_until_ready(),
                    repeat,
                )
            if kind == "rand":
                t_pcg = best(lambda dt=dt: pcg.random(n, dtype=dt), repeat)
                t_phx = best(lambda dt=dt: phx.random(n, dtype=dt), repeat)
                t_jr = best(lambda dt=dt: jit_u[dt](key).block_until_ready(), repeat)
            else:
                t_pcg = best(lambda dt=dt: pcg.standard_normal(n, dtype=dt), repeat)
                t_phx = best(lambda dt=dt: phx.standard_normal(n, dtype=dt), repeat)
                t_jr = best(lambda dt=dt: jit_n[dt](key).block_until_ready(), repeat)
            t_t = t_st = None
            if torch is not None:
                tdt = getattr(torch, dt)
                tf = getattr(torch, kind)
                t_t = best(lambda tf=tf, tdt=tdt: tf(n, dtype=tdt, generator=tg), repeat)
                with sx.use_backend("torch"):
                    t_st = best(lambda d=d, kind=kind: getattr(g, kind)(n, dtype=d), repeat)
            rows.append((f"{kind} {dt}", n, t_np, t_pcg, t_phx, t_jx, t_jr, t_t, t_st))
    return rows


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="+", default=[10**6, 10**7])
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--no-write", action="store_true")
    args = ap.parse_args()
    load_before = os.getloadavg()[0]
    rows = [r for n in args.sizes for r in rows_for(n, args.repeat)]

    def ms(t):
        return "–" if t is None else f"{t * 1e3:.1f}"

    def ratio(a, b):
        return "–" if b is None else f"{a / b:.2f}×"

    lines = [
        MARK_BEGIN,
        "## Random numbers",
        "",
        f"`benchmarks/bench_random.py` ({time.strftime('%Y-%m-%d')}, {platform.machine()}, "
        f"{platform.python_version()}; NumPy {np.__version__}). Times in ms, best of "
        f"{args.repeat}; ratios are storax / peer (below 1: storax is faster). storax draws "
        "Philox4x32-10 (docs/random.md) with its native host kernel (C, compiled on the "
        f"first draw; in use: {_native_random.library() is not None}), single-threaded, on "
        "NumPy, torch's CPU and JAX's CPU (outside jax.jit, where one compiled kernel "
        "draws the same bits). Peers: "
        "`numpy.random.Generator` with PCG64 (the default) and with Philox (4x64, in C), "
        "`jax.random` (threefry, jitted), `torch.rand`/`torch.randn` (CPU, its default "
        "threads); storax torch is storax on the torch backend, ratio torch its time / "
        "torch's.",
        "",
        f"Load average while measuring: {load_before:.1f} before, {os.getloadavg()[0]:.1f} "
        f"after, on {os.cpu_count()} cores (above the core count, every time is inflated "
        "and the ratios are noisy: rerun on a quiet machine).",
        "",
        "| draw | n | storax NumPy | PCG64 | Philox | ratio PCG64 | ratio Philox | "
        "storax JAX | jax.random | ratio jax | torch | storax torch | ratio torch |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for name, n, t_np, t_pcg, t_phx, t_jx, t_jr, t_t, t_st in rows:
        lines.append(
            f"| {name} | {n:.0e} | {ms(t_np)} | {ms(t_pcg)} | {ms(t_phx)} | "
            f"{ratio(t_np, t_pcg)} | {ratio(t_np, t_phx)} | {ms(t_jx)} | {ms(t_jr)} | "
            f"{ratio(t_jx, t_jr)} | {ms(t_t)} | {ms(t_st)} | "
            f"{'–' if t_st is None else ratio(t_st, t_t)} |"
        )
    lines += ["", MARK_END]
    print("\n".join(lines))
    if args.no_write:
        return
    write_section(lines, MARK_BEGIN, MARK_END)


if __name__ == "__main__":
    main()
