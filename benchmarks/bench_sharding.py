"""Reads and writes of each index kind into a storage sharded over a JAX mesh, against the
same operation on one device (issue #15).

``python benchmarks/bench_sharding.py``: on a machine with several accelerators it uses
them (a 2-D mesh over the first 4, else a 1-D mesh over all); on a CPU-only machine it
asks XLA for 4 virtual CPU devices first. Replaces the "Sharded storages" section of
``docs/performance.md`` (one section per platform).
"""

from __future__ import annotations

import datetime
import os
import pathlib
import sys
import time
from collections.abc import Callable
from typing import Any

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
if "--xla_force_host_platform_device_count" not in os.environ.get("XLA_FLAGS", ""):
    # Only the CPU client reads this flag: on a GPU machine the GPUs are used as they are.
    os.environ["XLA_FLAGS"] = (
        os.environ.get("XLA_FLAGS", "") + " --xla_force_host_platform_device_count=4"
    ).strip()

import jax  # noqa: E402
import numpy as np  # noqa: E402
from jax.sharding import Mesh, NamedSharding, PartitionSpec  # noqa: E402

import storax as sx  # noqa: E402

sx.set_backend("jax")
DEVICES = jax.devices()
PLATFORM = DEVICES[0].platform
BEGIN = f"<!-- sharding-{PLATFORM}-begin -->"
END = f"<!-- sharding-{PLATFORM}-end -->"
N = 1000  # a 1000 x 1000 float64 storage: 10^6 elements


def _wait(x: Any) -> None:
    x.storage()._buffer.block_until_ready()


def per_call(fn: Callable[[], Any], wait: Callable[[], None], number: int = 100) -> float:
    """Seconds per call (best of 5 runs of ``number`` un-awaited calls, then one wait)."""
    fn()
    wait()
    best = float("inf")
    for _ in range(5):
        t = time.perf_counter()
        for _ in range(number):
            fn()
        wait()
        best = min(best, (time.perf_counter() - t) / number)
    return best


def cases(x: Any) -> dict[str, Callable[[], Any]]:
    idx = np.array([3, 517, 998])
    mask = np.zeros((N, N), dtype=bool)
    mask[5, :10] = True
    m = sx.asarray(mask, device=x.device)
    return {
        "write, slice (10 elements)": lambda: x.__setitem__((7, slice(100, 110)), 1.0),
        "write, strided (10)": lambda: x.__setitem__((slice(0, 1000, 100), 3), 2.0),
        "write, integer array (3 rows)": lambda: x.__setitem__(idx, 3.0),
        "write, boolean mask (10)": lambda: x.__setitem__(m, 4.0),
        "read, slice view (10)": lambda: x[7, 100:110]._value,
        "read, strided view (10)": lambda: x[::100, 3]._value,
        "read, integer array (3 rows)": lambda: x[idx]._value,
        "read, boolean mask (10)": lambda: x[m]._value,
    }


def main() -> None:
    many = len(DEVICES) >= 4
    if many:
        mesh = Mesh(np.array(DEVICES[:4]).reshape(2, 2), ("a", "b"))
        sharding = NamedSharding(mesh, PartitionSpec("a", "b"))
    else:
        mesh = Mesh(np.array(DEVICES), ("x",))
        sharding = NamedSharding(mesh, PartitionSpec("x"))
    base = np.arange(N * N, dtype=np.float64).reshape(N, N)
    one = sx.asarray(base, device=f"jax:{PLATFORM}:{DEVICES[0].id}")
    sharded = sx.asarray(base, device=sharding)
    one.storage(), sharded.storage()
    rows = []
    c1, cs = cases(one), cases(sharded)
    for name in c1:
        t1 = per_call(c1[name], lambda: _wait(one))
        ts = per_call(cs[name], lambda: _wait(sharded))
        rows.append((name, t1, ts))
    burst = time.perf_counter()
    for i in range(500):
        sharded[i, 10:20] = float(i)
    _wait(sharded)
    burst = time.perf_counter() - burst
    layout = f"mesh {dict(mesh.shape)}, spec {tuple(sharding.spec)}"
    lines = [
        BEGIN,
        f"Measured {datetime.date.today()} on {len(DEVICES)} {PLATFORM} device(s) "
        f"({'virtual ' if PLATFORM == 'cpu' else ''}{layout}); a {N}×{N} float64 storage; "
        "µs per call, best of 5 runs of 100 un-awaited calls:",
        "",
        "| operation | one device | sharded | ratio |",
        "|---|---:|---:|---:|",
    ]
    for name, t1, ts in rows:
        lines.append(f"| {name} | {t1 * 1e6:.0f} | {ts * 1e6:.0f} | {ts / t1:.1f}× |")
    lines += ["", f"500 un-awaited 10-element writes in a row: {burst:.2f} s.", END]
    text = "\n".join(lines)
    print(text)
    doc = ROOT / "docs" / "performance.md"
    body = doc.read_text()
    if BEGIN in body and END in body:
        head, rest = body.split(BEGIN, 1)
        body = head + text + rest.split(END, 1)[1]
    else:
        body = body.rstrip("\n") + "\n\n## Sharded storages\n\n" + text + "\n"
    doc.write_text(body)


if __name__ == "__main__":
    main()
