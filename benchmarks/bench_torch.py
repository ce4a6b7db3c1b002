"""The torch backend against raw torch: per-call overhead of small operations, view reads
and small writes, and the cost on large arrays (10^6-10^7 elements), with the ratio
storax / torch of each, measured in the same run. Writes the "torch backend (<device>)"
section of ``docs/performance.md``.

Run with ``python benchmarks/bench_torch.py [--device cpu|cuda] [--no-write]``; the
device defaults to CUDA when torch sees one. On CUDA every timed loop ends with
``torch.cuda.synchronize()``, so the kernels' time is counted, not only their launch.
"""

from __future__ import annotations

import argparse
import datetime
import pathlib
import sys
import timeit
from typing import Any

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

import torch  # noqa: E402
from _sections import write_section  # noqa: E402

import storax as sx  # noqa: E402

# The goals: storax / torch for small operations, and for large arrays.
SMALL_GOAL, LARGE_GOAL = 1.3, 1.1
REPEAT = 15
SMALL_REPEAT = 40  # small operations: more, shorter repeats (µs-scale noise)


def _sync(dev: str) -> Any:
    if dev == "cuda":
        return torch.cuda.synchronize
    return lambda: None


def per_call(
    ours: Any, raw: Any, number: int, sync: Any, repeat: int = REPEAT
) -> tuple[float, float]:
    """Best seconds per call of ``ours`` and of ``raw`` over ``repeat`` repeats of
    ``number`` calls each (then a sync), the two interleaved repeat by repeat (so a burst
    of load on a shared machine hits both sides alike)."""

    def loop(stmt: Any) -> Any:
        def run() -> None:
            for _ in range(number):
                stmt()
            sync()

        return run

    best = [float("inf"), float("inf")]
    runs = (loop(ours), loop(raw))
    for run in runs:
        run()  # warm-up
    for _ in range(repeat):
        for i, run in enumerate(runs):
            best[i] = min(best[i], timeit.timeit(run, number=1))
    return best[0] / number, best[1] / number


def small_cases(dev: str, sx_dev: Any) -> list[tuple[str, Any, Any]]:
    ta = torch.arange(8, dtype=torch.float64, device=dev)
    tb = ta + 1
    a = sx.arange(8, dtype=sx.float64, device=sx_dev)
    b = a + 1
    tm = torch.ones((64, 64), dtype=torch.float64, device=dev)
    m = sx.ones((64, 64), dtype=sx.float64, device=sx_dev)
    tbig = torch.zeros(10_000_000, dtype=torch.float32, device=dev)
    big = sx.zeros(10_000_000, dtype=sx.float32, device=sx_dev)
    tten = torch.ones(10, dtype=torch.float32, device=dev)
    ten = sx.ones(10, dtype=sx.float32, device=sx_dev)
    tu = torch.arange(8, dtype=torch.int32, device=dev)
    tu32 = torch.arange(8, dtype=torch.int32, device=dev).view(torch.uint32)
    u = sx.arange(8, dtype=sx.uint32, device=sx_dev)

    def emulated_add() -> Any:
        # what storax does for uint32 (torch has no uint32 add kernel): the signed bits
        return (tu32.view(torch.int32) + tu32.view(torch.int32)).view(torch.uint32)

    def big_write() -> None:
        big[5:15] = ten

    def tbig_write() -> None:
        tbig[5:15] = tten

    c = a < b
    tc = ta < tb

    def fill() -> None:
        a[...] = 1.0

    def tfill() -> None:
        ta[...] = 1.0

    return [
        ("a + b (8 float64)", lambda: a + b, lambda: ta + tb),
        ("a - 1 (8 float64)", lambda: a - 1, lambda: ta - 1),
        ("-a (8 float64)", lambda: -a, lambda: -ta),
        ("sin(a) (8 float64)", lambda: sx.sin(a), lambda: torch.sin(ta)),
        ("exp(a) (8 float64)", lambda: sx.exp(a), lambda: torch.exp(ta)),
        ("add(a, b) (8 float64)", lambda: sx.add(a, b), lambda: torch.add(ta, tb)),
        ("sum(a) (8 float64)", lambda: sx.sum(a), lambda: torch.sum(ta)),
        ("max(a) (8 float64)", lambda: sx.max(a), lambda: torch.max(ta)),
        ("a * 2.0 (8 float64)", lambda: a * 2.0, lambda: ta * 2.0),
        ("a < b (8 float64)", lambda: a < b, lambda: ta < tb),
        ("a == b (8 float64)", lambda: a == b, lambda: ta == tb),
        (
            "where(a < b, a, b) (8 float64)",
            lambda: sx.where(c, a, b),
            lambda: torch.where(tc, ta, tb),
        ),
        ("mean(a) (8 float64)", lambda: sx.mean(a), lambda: torch.mean(ta)),
        ("m @ m (64x64 float64)", lambda: m @ m, lambda: tm @ tm),
        ("a[1:5] (read)", lambda: a[1:5]._value, lambda: ta[1:5]),
        ("a[3] (a 0-d view)", lambda: a[3], lambda: ta[3]),
        ("a[::-1] (read; torch: flip)", lambda: a[::-1]._value, lambda: ta.flip(0)),
        ("a[...] = 1.0 (8 float64)", fill, tfill),
        ("10-element write into 1e7 storage", big_write, tbig_write),
        ("u + u (8 uint32; torch: int32)", lambda: u + u, lambda: tu + tu),
        ("u + u (8 uint32; torch: the same signed-view emulation)", lambda: u + u, emulated_add),
    ]


def large_cases(dev: str, sx_dev: Any) -> list[tuple[str, Any, Any, int]]:
    n = 10_000_000
    ta = torch.arange(n, dtype=torch.float32, device=dev)
    tb = ta + 1
    a = sx.arange(n, dtype=sx.float32, device=sx_dev)
    b = a + 1
    ts = torch.arange(1_000_000, dtype=torch.float64, device=dev)
    s = sx.arange(1_000_000, dtype=sx.float64, device=sx_dev)
    tm = torch.ones((1000, 1000), dtype=torch.float32, device=dev)
    m = sx.ones((1000, 1000), dtype=sx.float32, device=sx_dev)
    thalf = torch.ones(n // 2, dtype=torch.float32, device=dev)
    half = sx.ones(n // 2, dtype=sx.float32, device=sx_dev)
    tbig = torch.zeros(n, dtype=torch.float32, device=dev)
    big = sx.zeros(n, dtype=sx.float32, device=sx_dev)

    def big_write() -> None:
        big[: n // 2] = half

    def tbig_write() -> None:
        tbig[: n // 2] = thalf

    return [
        ("a + b (1e7 float32)", lambda: a + b, lambda: ta + tb, 5),
        ("sin(a) (1e6 float64)", lambda: sx.sin(s), lambda: torch.sin(ts), 5),
        ("sum(a) (1e7 float32)", lambda: sx.sum(a), lambda: torch.sum(ta), 5),
        ("m @ m (1000x1000 float32)", lambda: m @ m, lambda: tm @ tm, 2),
        (
            "a[::2] read, made contiguous (1e7)",
            lambda: a[::2].contiguous(),
            lambda: ta[::2].contiguous(),
            5,
        ),
        ("a[::-1] read (1e7; torch: flip)", lambda: a[::-1]._value, lambda: ta.flip(0), 5),
        ("5e6-element slice write into 1e7 storage", big_write, tbig_write, 5),
    ]


def _row(name: str, t_s: float, t_t: float, goal: float) -> str:
    ratio = t_s / t_t
    met = "yes" if ratio <= goal else "no"
    unit, scale = ("ms", 1e3) if t_t >= 1e-3 else ("µs", 1e6)
    return (
        f"| {name} | {t_s * scale:.1f} {unit} | {t_t * scale:.1f} {unit} | {ratio:.2f}× | "
        f"≤ {goal}×: {met} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--device", choices=("cpu", "cuda"), default=None)
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args()
    dev = args.device or ("cuda" if torch.cuda.is_available() else "cpu")
    # One intra-op thread on the CPU: on a shared machine torch's thread pool makes small
    # kernels vary by 1000x from run to run; the overhead measured here is per call anyway.
    if dev == "cpu":
        torch.set_num_threads(1)
    sx_dev = sx.Device("torch:cuda:0" if dev == "cuda" else "torch:cpu")
    sync = _sync(dev)
    rows = [
        "| operation | storax (torch) | torch | storax / torch | goal |",
        "|---|---|---|---|---|",
    ]
    small = small_cases(dev, sx_dev)
    n_small = len(small)
    for name, ours, raw in small:
        t_s, t_t = per_call(ours, raw, 200, sync, SMALL_REPEAT)
        rows.append(_row(name, t_s, t_t, SMALL_GOAL))
        print(rows[-1], flush=True)
    for name, ours, raw, number in large_cases(dev, sx_dev):
        t_s, t_t = per_call(ours, raw, number, sync)
        rows.append(_row(name, t_s, t_t, LARGE_GOAL))
        print(rows[-1], flush=True)
    begin, end = f"<!-- torch-{dev}-begin -->", f"<!-- torch-{dev}-end -->"
    lines = [
        begin,
        f"## torch backend ({dev})",
        "",
        f"`benchmarks/bench_torch.py`, {datetime.date.today()}, torch {torch.__version__} "
        f"on `{dev}`{', one torch thread' if dev == 'cpu' else ''}, best of {SMALL_REPEAT} "
        f"repeats of 200 calls (small operations) or of {REPEAT} (large arrays), storax "
        "and torch interleaved repeat by repeat (ratios are measured in the same run; on a "
        "shared machine they matter more than µs). Raw torch has no uint32 add kernel, so one "
        "uint32 row adds int32 and the next does what storax does (adds the int32 views "
        "of the uint32 tensors, viewed back as uint32); a negative-stride read is a copy "
        f"on both sides (torch's `flip`). The first {n_small} rows are small "
        f"operations (goal ≤ {SMALL_GOAL}×), the rest large arrays (goal ≤ {LARGE_GOAL}×).",
        "",
        *rows,
        "",
        end,
    ]
    if args.no_write:
        return
    write_section(lines, begin, end)


if __name__ == "__main__":
    main()
