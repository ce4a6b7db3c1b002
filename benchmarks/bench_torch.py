"""The torch backend against raw torch: per-call overhead of small operations, view reads,
small writes (CPU; a CUDA device is used when present). Writes the "torch backend"
section of ``docs/performance.md``. Run with ``python benchmarks/bench_torch.py``.
"""

from __future__ import annotations

import datetime
import pathlib
import sys
import timeit
from typing import Any

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

import torch  # noqa: E402

import storax as sx  # noqa: E402

# One intra-op thread: on a shared machine torch's thread pool makes small kernels (64x64
# matmul) vary by 1000x from run to run; the overhead measured here is per call anyway.
torch.set_num_threads(1)
DEV = "cuda" if torch.cuda.is_available() else "cpu"
SX_DEV = sx.Device("torch:cuda:0" if DEV == "cuda" else "torch:cpu")
BEGIN, END = f"<!-- torch-{DEV}-begin -->", f"<!-- torch-{DEV}-end -->"


def per_call(stmt: Any, number: int = 200) -> float:
    """Best seconds per call over 5 repeats (synchronised on CUDA)."""
    stmt()

    def run() -> None:
        for _ in range(number):
            stmt()
        if DEV == "cuda":
            torch.cuda.synchronize()

    return min(timeit.repeat(run, number=1, repeat=5)) / number


def table() -> list[tuple[str, Any, Any]]:
    ta = torch.arange(8, dtype=torch.float64, device=DEV)
    tb = ta + 1
    a = sx.arange(8, dtype=sx.float64, device=SX_DEV)
    b = a + 1
    tm = torch.ones((64, 64), dtype=torch.float64, device=DEV)
    m = sx.ones((64, 64), dtype=sx.float64, device=SX_DEV)
    tbig = torch.zeros(10_000_000, dtype=torch.float32, device=DEV)
    big = sx.zeros(10_000_000, dtype=sx.float32, device=SX_DEV)
    tten = torch.ones(10, dtype=torch.float32, device=DEV)
    ten = sx.ones(10, dtype=sx.float32, device=SX_DEV)
    tu = torch.arange(8, dtype=torch.int32, device=DEV)
    u = sx.arange(8, dtype=sx.uint32, device=SX_DEV)

    def big_write() -> None:
        big[5:15] = ten

    def tbig_write() -> None:
        tbig[5:15] = tten

    return [
        ("a + b (8 float64)", lambda: a + b, lambda: ta + tb),
        ("sin(a) (8 float64)", lambda: sx.sin(a), lambda: torch.sin(ta)),
        ("sum(a) (8 float64)", lambda: sx.sum(a), lambda: torch.sum(ta)),
        ("a * 2.0 (8 float64)", lambda: a * 2.0, lambda: ta * 2.0),
        ("a < b (8 float64)", lambda: a < b, lambda: ta < tb),
        ("mean(a) (8 float64)", lambda: sx.mean(a), lambda: torch.mean(ta)),
        ("m @ m (64x64 float64)", lambda: m @ m, lambda: tm @ tm),
        ("a[1:5] (read)", lambda: a[1:5]._value, lambda: ta[1:5]),
        ("a[::-1] (read; torch: flip)", lambda: a[::-1]._value, lambda: ta.flip(0)),
        ("10-element write into 1e7 storage", big_write, tbig_write),
        ("u + u (8 uint32; torch: int32)", lambda: u + u, lambda: tu + tu),
    ]


def main() -> None:
    rows = []
    for name, ours, raw in table():
        t_s, t_t = per_call(ours), per_call(raw)
        rows.append(f"| {name} | {t_s * 1e6:.1f} µs | {t_t * 1e6:.1f} µs | {t_s / t_t:.1f}× |")
        print(rows[-1], flush=True)
    lines = [
        BEGIN,
        f"## torch backend ({DEV})",
        "",
        f"`benchmarks/bench_torch.py`, {datetime.date.today()}, torch {torch.__version__} "
        f"on `{DEV}`, one torch thread, best of 5 (a shared 2-core machine: ratios matter "
        "more than µs). "
        "Raw torch has no uint32 kernels, so its row adds int32. storax's per-call cost "
        "is its validation, NumPy's dtype resolution and the TorchValue/TorchArray "
        "wrappers around the same torch kernel; a negative-stride read is a gather "
        "(torch's `flip` copies too); functions without a torch kernel here (uint32 "
        "arithmetic, mean's composite) run NumPy on a zero-copy view of the tensor.",
        "",
        "| operation | storax (torch) | torch | storax / torch |",
        "|---|---|---|---|",
        *rows,
        "",
        END,
    ]
    path = ROOT / "docs" / "performance.md"
    text = path.read_text()
    if BEGIN in text:
        head, rest = text.split(BEGIN, 1)
        text = head + "\n".join(lines) + rest.split(END, 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n" + "\n".join(lines) + "\n"
    path.write_text(text)


if __name__ == "__main__":
    main()
