"""The JAX backend against raw jax.numpy: per-call cost, strided view reads, small writes.

Run with ``nox -s bench`` (after ``bench_overhead.py``) or ``python benchmarks/bench_jax.py``.
Runs unchanged on a GPU machine (it uses JAX's default device). Replaces the "JAX backend"
section of ``docs/performance.md``.
"""

from __future__ import annotations

import datetime
import pathlib
import sys
import time
from collections.abc import Callable
from typing import Any

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

import jax  # noqa: E402
import jax.numpy as jnp  # noqa: E402
import numpy as np  # noqa: E402
from _sections import write_section  # noqa: E402

import storax as sx  # noqa: E402

sx.set_backend("jax")
PLATFORM = jax.devices()[0].platform
# One section per JAX platform: the CPU run and a GPU run (on a GPU machine) both stay.
MARK_BEGIN = "<!-- jax-section-begin -->" if PLATFORM == "cpu" else f"<!-- jax-{PLATFORM}-begin -->"
MARK_END = "<!-- jax-section-end -->" if PLATFORM == "cpu" else f"<!-- jax-{PLATFORM}-end -->"


def _block(r: Any) -> None:
    value = r._value if isinstance(r, sx.Array) else r
    if hasattr(value, "block_until_ready"):
        value.block_until_ready()


def best_time(fn: Callable[[], Any], *, number: int = 50, repeat: int = 7) -> float:
    """Seconds per call (minimum over repeats), waiting for JAX's asynchronous results."""
    _block(fn())  # compile / warm up
    _block(fn())
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        for _ in range(number):
            r = fn()
        _block(r)
        best = min(best, (time.perf_counter() - t0) / number)
    return best


def cases() -> dict[str, tuple[Callable[[], Any], Callable[[], Any]]]:
    """Operation -> (storax on JAX, raw jax.numpy)."""
    a_np = np.arange(8, dtype=np.float64)
    ja, jb = jnp.asarray(a_np), jnp.asarray(a_np + 1)
    sa, sb = sx.asarray(a_np), sx.asarray(a_np + 1)
    jb32, sb32 = jnp.asarray(a_np.astype(np.float32)), sx.asarray(a_np.astype(np.float32))
    m = np.ones((64, 64))
    jm, sm = jnp.asarray(m), sx.asarray(m)
    big_np = np.zeros(10_000_000, dtype=np.float32)
    big_j = jnp.asarray(big_np)
    big_s = sx.asarray(big_np)
    grid_np = np.arange(1_000_000, dtype=np.float32).reshape(1000, 1000)
    grid_j, grid_s = jnp.asarray(grid_np), sx.asarray(grid_np)
    ten = jnp.ones(10, dtype=jnp.float32)
    ten_s = sx.ones(10)
    state: dict[str, Any] = {"j": big_j, "i": 0}

    def raw_write() -> Any:
        state["j"] = state["j"].at[5:15].set(ten)
        return state["j"]

    def storax_write() -> Any:
        big_s[5:15] = ten_s
        return big_s  # not its buffer: holding that would (rightly) prevent donation

    def storax_view_read() -> Any:
        state["i"] = (state["i"] + 1) % 7
        i = state["i"]
        return grid_s[i : i + 500 : 2, ::3]._value  # a new offset each call: no recompile

    def raw_view_read() -> Any:
        state["i"] = (state["i"] + 1) % 7
        i = state["i"]
        return grid_j[i : i + 500 : 2, ::3]

    return {
        "a + b (8 float64)": (lambda: sa + sb, lambda: ja + jb),
        "sin(a) (8 float64)": (lambda: sx.sin(sa), lambda: jnp.sin(ja)),
        "sum(a) (8 float64)": (lambda: sx.sum(sa), lambda: jnp.sum(ja)),
        "a * 2.0 (8 float64)": (lambda: sa * 2.0, lambda: ja * 2.0),
        "a + b32 (float64 + float32)": (lambda: sa + sb32, lambda: ja + jb32),
        "exp(a) (8 float64)": (lambda: sx.exp(sa), lambda: jnp.exp(ja)),
        "a < b (8 float64)": (lambda: sa < sb, lambda: ja < jb),
        "max(a) (8 float64)": (lambda: sx.max(sa), lambda: jnp.max(ja)),
        "mean(a) (8 float64)": (lambda: sx.mean(sa), lambda: jnp.mean(ja)),
        "std(a) (8 float64)": (lambda: sx.std(sa), lambda: jnp.std(ja)),
        "reshape 64x64 -> 4096": (
            lambda: sx.reshape(sm, (4096,))._value,
            lambda: jnp.reshape(jm, (4096,)),
        ),
        "a[1:5] (read)": (lambda: sa[1:5]._value, lambda: ja[1:5]),
        ".T of 64x64 (read)": (lambda: sm.T._value, lambda: jm.T),
        "strided view read of 1000x1000": (storax_view_read, raw_view_read),
        "10-element write into 1e7 storage": (storax_write, raw_write),
    }


def main() -> None:
    rows = []
    for name, (storax_fn, raw_fn) in cases().items():
        t_s = best_time(storax_fn)
        t_j = best_time(raw_fn)
        rows.append((name, t_s, t_j))
        print(f"{name}: storax {t_s * 1e6:.1f} µs, jax.numpy {t_j * 1e6:.1f} µs", flush=True)
    dev = jax.devices()[0]
    lines = [
        MARK_BEGIN,
        "## JAX backend" + ("" if PLATFORM == "cpu" else f" on {PLATFORM.upper()}"),
        "",
        f"`benchmarks/bench_jax.py`, {datetime.date.today()}, jax {jax.__version__} on "
        f"`{dev.platform}` ({dev.device_kind}). Raw jax.numpy is eager; its write is "
        "`x.at[5:15].set(v)` (a copy of the 1e7-element array each time), storax's is "
        "`x[5:15] = v` through a donated scatter.",
        "",
        "| operation | storax (JAX) | jax.numpy | storax / jax.numpy |",
        "|---|---|---|---|",
    ]
    for name, t_s, t_j in rows:
        lines.append(f"| {name} | {t_s * 1e6:.1f} µs | {t_j * 1e6:.1f} µs | {t_s / t_j:.2f}× |")
    lines += ["", MARK_END]
    write_section(lines, MARK_BEGIN, MARK_END)


if __name__ == "__main__":
    main()
