"""cubed and dask.array with storax chunks against the same engines with NumPy chunks.

One workload, ``mean(sin(x) * 2 + 1, axis=0)`` and ``sum(x @ x.T)`` over a float64 array
in square chunks, on dask's threaded scheduler and cubed's threads executor (Zarr
intermediates in a temporary directory). Wall time and CPU time (``time.process_time``:
every thread of the measuring process) are both reported: on a shared machine the CPU
time is the steadier of the two.

- cubed picks its chunk namespace at import: each configuration is a long-lived process
  (warmed up once), and the runs are interleaved across the three processes repeat by
  repeat, so a drifting machine load weighs on all of them alike.
- dask needs no import-time choice: NumPy, storax numpy and storax jax chunks are measured
  in one process, interleaved the same way.
- A third table times the per-chunk operations of the element-wise step on one chunk:
  storax on JAX against ``jax.numpy`` itself (and storax on NumPy against NumPy), the
  reference for what a JAX chunk costs in any engine.

Best of ``--repeat`` per configuration and step. Writes the section between the
``distributed-bench`` markers of docs/performance.md.

    python benchmarks/bench_distributed.py [--n 2000] [--chunk 500] [--repeat 5]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any

from _sections import write_section

# One kernel thread per engine worker, for every chunk kind (set before NumPy or JAX load,
# inherited by cubed's measuring processes): the engines' 2 workers are the parallelism, as
# dask recommends for its threaded scheduler. With BLAS's and XLA's own thread pools on top
# of 2 workers on 2 cores, the matmul step's times moved by ±30% between repeats.
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")
os.environ.setdefault(
    "XLA_FLAGS", "--xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1"
)

BEGIN, END = "<!-- distributed-bench-begin -->", "<!-- distributed-bench-end -->"
KINDS = ("numpy", "storax numpy", "storax jax")
STEPS = ("elementwise+mean", "matmul+sum")
#: chunk kind -> environment of cubed's measuring process
CUBED_ENV = {
    "numpy": {},
    "storax numpy": {"CUBED_BACKEND_ARRAY_API_MODULE": "storax", "STORAX_BACKEND": "numpy"},
    "storax jax": {"CUBED_BACKEND_ARRAY_API_MODULE": "storax", "STORAX_BACKEND": "jax"},
    # the reference for JAX chunks: cubed over jax.numpy itself (64-bit, as storax's)
    "jax.numpy": {"CUBED_BACKEND_ARRAY_API_MODULE": "jax.numpy", "JAX_ENABLE_X64": "1"},
}


def _timed(fn: Callable[[], Any]) -> tuple[float, float]:
    """(wall, CPU) seconds of one call."""
    w, c = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - w, time.process_time() - c


def _base(n: int) -> Any:
    import numpy as np

    return np.random.default_rng(0).standard_normal((n, n))


def cubed_server(kind: str, n: int, chunk: int) -> None:
    """A measuring process for cubed with ``kind`` chunks: warms both steps up, then runs
    the step named on each stdin line and prints its (wall, CPU) as JSON."""
    import shutil
    import tempfile

    base = _base(n)
    if kind.startswith("storax"):
        import storax as sx

        base = sx.asarray(base)
    elif kind == "jax.numpy":
        import jax.numpy as jnp

        base = jnp.asarray(base)
    import cubed
    import cubed.array_api as xp

    work = tempfile.mkdtemp(prefix="bench-cubed-")
    spec = cubed.Spec(work, allowed_mem="1GB", executor_name="threads",
                      executor_options={"max_workers": 2})  # fmt: skip
    x = cubed.from_array(base, chunks=(chunk, chunk), spec=spec)
    steps = {
        "elementwise+mean": lambda: xp.mean(xp.sin(x) * 2 + 1, axis=0).compute(),
        "matmul+sum": lambda: xp.sum(xp.matmul(x, x.T)).compute(),
    }
    for step in steps.values():
        step()  # warm-up (JAX compiles; cubed writes its first Zarr arrays)
    print("ready", flush=True)
    for line in sys.stdin:
        print(json.dumps(_timed(steps[line.strip()])), flush=True)
    shutil.rmtree(work, ignore_errors=True)


def measure_cubed(n: int, chunk: int, repeat: int) -> dict[str, dict[str, list[float]]]:
    clean = {k: v for k, v in os.environ.items()
             if k not in ("STORAX_BACKEND", "CUBED_BACKEND_ARRAY_API_MODULE",
                          "JAX_ENABLE_X64")}  # fmt: skip
    servers = {}
    for kind, env in CUBED_ENV.items():
        cmd = [sys.executable, __file__, "--cubed-server", kind, "--n", str(n),
               "--chunk", str(chunk)]  # fmt: skip
        servers[kind] = subprocess.Popen(cmd, env={**clean, **env}, text=True,
                                         stdin=subprocess.PIPE, stdout=subprocess.PIPE)  # fmt: skip
    best: dict[str, dict[str, list[float]]] = {k: {} for k in servers}
    try:
        for kind, p in servers.items():
            assert p.stdout is not None
            if p.stdout.readline().strip() != "ready":
                raise SystemExit(f"cubed with {kind} chunks failed to start")
        for step in STEPS:
            for _ in range(repeat):
                for kind, p in servers.items():
                    assert p.stdin is not None and p.stdout is not None
                    p.stdin.write(step + "\n")
                    p.stdin.flush()
                    got = json.loads(p.stdout.readline())
                    old = best[kind].get(step, [float("inf")] * 2)
                    best[kind][step] = [min(a, b) for a, b in zip(old, got, strict=True)]
    finally:
        for p in servers.values():
            assert p.stdin is not None
            p.stdin.close()
            p.wait()
    return best


def measure_dask(n: int, chunk: int, repeat: int) -> dict[str, dict[str, list[float]]]:
    import dask
    import dask.array as da

    import storax as sx

    base = _base(n)
    dask.config.set(scheduler="threads", num_workers=2)
    arrays = {
        "numpy": da.from_array(base, chunks=(chunk, chunk)),
        "storax numpy": da.from_array(sx.asarray(base, device="cpu"), chunks=(chunk, chunk),
                                      asarray=False),
        "storax jax": da.from_array(sx.asarray(base, device="jax:cpu:0"),
                                    chunks=(chunk, chunk), asarray=False),
    }  # fmt: skip
    steps = {
        "elementwise+mean": lambda x: (da.sin(x) * 2 + 1).mean(axis=0).compute(),
        "matmul+sum": lambda x: (x @ x.T).sum().compute(),
    }
    best: dict[str, dict[str, list[float]]] = {k: {} for k in arrays}
    for name, step in steps.items():
        for x in arrays.values():
            step(x)  # warm-up
        for _ in range(repeat):
            for kind, x in arrays.items():
                got = _timed(lambda x=x, step=step: step(x))
                old = best[kind].get(name, [float("inf")] * 2)
                best[kind][name] = [min(a, b) for a, b in zip(old, got, strict=True)]
    return best


def measure_chunk_ops(chunk: int, repeat: int) -> dict[str, float]:
    """Seconds per step on one chunk (``elementwise``: sin, *2, +1, sum over axis 0;
    ``matmul``: ``a @ b.T``), best of ``repeat`` batches: NumPy, storax numpy, jax.numpy,
    storax jax (results ready)."""
    import jax
    import jax.numpy as jnp
    import numpy as np

    import storax as sx

    base = _base(chunk)
    j = jax.device_put(base)
    s_np, s_jax = sx.asarray(base, device="cpu"), sx.asarray(base, device="jax:cpu:0")
    ops: dict[str, Callable[[], Any]] = {
        "numpy": lambda: np.sum(np.sin(base) * 2 + 1, axis=0),
        "storax numpy": lambda: sx.sum(sx.sin(s_np) * 2 + 1, axis=0),
        "jax.numpy": lambda: jnp.sum(jnp.sin(j) * 2 + 1, axis=0).block_until_ready(),
        "storax jax": lambda: sx.sum(sx.sin(s_jax) * 2 + 1, axis=0)._value.block_until_ready(),
        "matmul numpy": lambda: base @ base.T,
        "matmul storax numpy": lambda: s_np @ s_np.T,
        "matmul jax.numpy": lambda: (j @ j.T).block_until_ready(),
        "matmul storax jax": lambda: (s_jax @ s_jax.T)._value.block_until_ready(),
    }
    best = dict.fromkeys(ops, float("inf"))
    for _ in range(repeat):
        for name, op in ops.items():
            op()
            t = time.perf_counter()
            for _ in range(20):
                op()
            best[name] = min(best[name], (time.perf_counter() - t) / 20)
    return best


def _row(engine: str, step: str, got: dict[str, dict[str, list[float]]]) -> str:
    ref = got["numpy"][step]
    cells = [f"{ref[0]:.3f} / {ref[1]:.3f}"]
    for kind in KINDS[1:]:
        w, c = got[kind][step]
        cells.append(f"{w:.3f} / {c:.3f} | {w / ref[0]:.2f}x / {c / ref[1]:.2f}x")
    jnp_ref = got.get("jax.numpy", {}).get(step)
    if jnp_ref:  # storax jax against the same engine over jax.numpy chunks
        w, c = got["storax jax"][step]
        cells.append(
            f"{jnp_ref[0]:.3f} / {jnp_ref[1]:.3f} | {w / jnp_ref[0]:.2f}x / {c / jnp_ref[1]:.2f}x"
        )
    else:
        cells.append("— | —")
    return f"| {engine} | {step} | " + " | ".join(cells) + " |"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=2000)
    ap.add_argument("--chunk", type=int, default=500)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--cubed-server", metavar="CHUNKS")
    ap.add_argument("--no-write", action="store_true")
    args = ap.parse_args()
    if args.cubed_server:
        cubed_server(args.cubed_server, args.n, args.chunk)
        return
    results = {
        "dask": measure_dask(args.n, args.chunk, args.repeat),
        "cubed": measure_cubed(args.n, args.chunk, args.repeat),
    }
    ops = measure_chunk_ops(args.chunk, args.repeat)
    print(json.dumps({**results, "chunk ops": ops}, indent=1), flush=True)
    lines = [
        BEGIN,
        f"### cubed and dask with storax chunks (`benchmarks/bench_distributed.py`, "
        f"{time.strftime('%Y-%m-%d')})",
        "",
        f"A {args.n}x{args.n} float64 array in {args.chunk}x{args.chunk} chunks; dask's "
        "threaded scheduler and cubed's threads executor, 2 workers each, one BLAS/XLA "
        "thread per worker (dask's recommendation; set by the script); best of "
        f"{args.repeat} after a warm-up, the configurations interleaved repeat by repeat "
        "(cubed: one long-lived process per chunk kind, as it picks its chunk namespace "
        "at import; dask: the three kinds in one process). Each cell: wall / CPU seconds "
        "(CPU: `time.process_time`, all threads of the process); ratio: over the same "
        "engine with NumPy chunks; the last two columns: cubed over jax.numpy chunks "
        "(its own JAX support) and storax jax against it (dask's reductions turn raw JAX "
        "chunks into NumPy ones, so dask has no such reference; the chunk table below "
        "stands for it).",
        "",
        "| engine | step | NumPy chunks (s) | storax numpy (s) | ratio | storax jax (s) | ratio "
        "| jax.numpy chunks (s) | storax jax / jax.numpy |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    lines += [_row(engine, step, got) for engine, got in results.items() for step in STEPS]
    lines += [
        "",
        f"Each step's kernels on one {args.chunk}x{args.chunk} chunk (element-wise: "
        "`sum(sin(x) * 2 + 1, axis=0)`; matmul: `x @ x.T`), what each engine runs per "
        f"chunk, best of {args.repeat} batches of 20, one kernel thread:",
        "",
        "| chunk step | NumPy | storax numpy | jax.numpy | storax jax | storax numpy / NumPy "
        "| storax jax / jax.numpy |",
        "|---|---|---|---|---|---|---|",
    ]
    for label, pre in (("element-wise", ""), ("matmul", "matmul ")):
        t = [ops[pre + k] for k in ("numpy", "storax numpy", "jax.numpy", "storax jax")]
        lines.append(
            f"| {label} | "
            + " | ".join(f"{v * 1e3:.2f} ms" for v in t)
            + f" | {t[1] / t[0]:.2f}x | {t[3] / t[2]:.2f}x |"
        )
    lines.append(END)
    print("\n".join(lines))
    if not args.no_write:
        write_section(lines, BEGIN, END)


if __name__ == "__main__":
    main()
