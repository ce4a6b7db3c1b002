"""Save/load throughput of storax's native format against numpy, safetensors and torch.

Not run by the tests. Usage::

    PYTHONPATH=src python benchmarks/bench_io.py            # 1 MB and 100 MB
    PYTHONPATH=src python benchmarks/bench_io.py --big      # also 1 GB

Prints markdown tables to stdout: best-of-N wall time and throughput per size, the mmap
load time, and the file size written for a small view of a large storage. Files go to a
temporary directory and are read back warm (from the page cache).
"""

from __future__ import annotations

import argparse
import os
import platform
import tempfile
import time
from collections.abc import Callable
from typing import Any

import numpy as np

import storax as sx


def best(fn: Callable[[], Any], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def candidates(
    tmp: str, values: np.ndarray
) -> dict[str, tuple[Callable[[], Any], Callable[[], Any]]]:
    x = sx.from_numpy(values)
    out: dict[str, tuple[Callable[[], Any], Callable[[], Any]]] = {}
    p = os.path.join(tmp, "x.stx")
    out["storax.save/load (atomic+fsync)"] = (
        lambda: sx.save(x, p),
        lambda: sx.load(p),
    )

    def save_no_fsync() -> None:
        with open(p, "wb") as f:
            sx.save(x, f)

    out["storax.save/load (file object, no fsync)"] = (save_no_fsync, lambda: sx.load(p))
    p_np = os.path.join(tmp, "x.npy")
    out["numpy.save/load"] = (lambda: np.save(p_np, values), lambda: np.load(p_np))

    def np_save_fsync() -> None:
        with open(p_np, "wb") as f:
            np.save(f, values)
            f.flush()
            os.fsync(f.fileno())

    out["numpy.save + fsync / load"] = (np_save_fsync, lambda: np.load(p_np))
    try:
        import safetensors.numpy as stn

        p_st = os.path.join(tmp, "x.safetensors")
        out["safetensors.numpy"] = (
            lambda: stn.save_file({"x": values}, p_st),
            lambda: stn.load_file(p_st),
        )
    except ImportError:
        pass
    try:
        import torch

        t = torch.from_numpy(values)
        p_t = os.path.join(tmp, "x.pt")
        out["torch.save/load"] = (
            lambda: torch.save(t, p_t),
            lambda: torch.load(p_t, weights_only=True),
        )
    except ImportError:
        pass
    return out


def run(sizes: list[int], repeat: int) -> None:
    print(
        f"Machine: {platform.machine()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}, NumPy {np.__version__}; "
        f"{time.strftime('%Y-%m-%d')}\n"
    )
    print("| size | library | save s | save MB/s | load s | load MB/s |")
    print("|---|---|---|---|---|---|")
    mmap_rows = []
    with tempfile.TemporaryDirectory(dir=os.environ.get("BENCH_DIR")) as tmp:
        for nbytes in sizes:
            values = np.random.default_rng(0).random(nbytes // 4, dtype=np.float32)
            mb = values.nbytes / 2**20
            label = f"{mb:.0f} MB" if mb < 1024 else f"{mb / 1024:.0f} GB"
            reps = repeat if nbytes < 2**30 else 2
            for name, (save, load) in candidates(tmp, values).items():
                ts = best(save, reps)
                tl = best(load, reps)
                print(
                    f"| {label} | {name} | {ts:.4f} | {mb / ts:,.0f} | {tl:.4f} | {mb / tl:,.0f} |"
                )
            p = os.path.join(tmp, "x.stx")
            sx.save(sx.from_numpy(values), p)
            tm = best(lambda p=p: sx.load(p, mmap=True), reps)
            p_np = os.path.join(tmp, "x.npy")
            tn = best(lambda p_np=p_np: np.load(p_np, mmap_mode="r"), reps)
            mmap_rows.append((label, tm, tn))
            for f in os.listdir(tmp):
                os.unlink(os.path.join(tmp, f))
        print("\n| size | storax.load(mmap=True) s | numpy.load(mmap_mode='r') s |")
        print("|---|---|---|")
        for label, tm, tn in mmap_rows:
            print(f"| {label} | {tm:.5f} | {tn:.5f} |")

        big = sx.zeros(10_000_000, dtype=sx.float32)  # 40 MB storage
        view = big[1000:1010]
        p = os.path.join(tmp, "view.stx")
        sx.save(view, p)
        rows = [("storax.save", os.path.getsize(p))]
        p_np = os.path.join(tmp, "view.npy")
        np.save(p_np, np.asarray(view))
        rows.append(("numpy.save (copies the view)", os.path.getsize(p_np)))
        try:
            import torch

            tv = torch.zeros(10_000_000)[1000:1010]
            p_t = os.path.join(tmp, "view.pt")
            torch.save(tv, p_t)
            rows.append(("torch.save", os.path.getsize(p_t)))
        except ImportError:
            pass
        print("\n| 10-element view of a 40 MB storage | file bytes |")
        print("|---|---|")
        for name, n in rows:
            print(f"| {name} | {n:,} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--big", action="store_true", help="also 1 GB")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    sizes = [2**20, 100 * 2**20] + ([2**30] if args.big else [])
    run(sizes, args.repeat)


if __name__ == "__main__":
    main()
