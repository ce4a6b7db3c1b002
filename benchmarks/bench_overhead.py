"""Per-call overhead and large-array throughput of storax against its backend and peers.

Run with ``nox -s bench`` (or ``python benchmarks/bench_overhead.py``). Every operation is
timed for storax and for the raw backend (plus array_api_strict, PyTorch and jax.numpy
when installed) in the same process, as the minimum over repeats, and reported as a
ratio to the raw backend. Writes ``docs/performance.md`` and ``docs/performance.png``.
"""

from __future__ import annotations

import argparse
import datetime
import gc
import importlib
import os
import pathlib
import platform
import sys
import timeit
import tracemalloc
from collections.abc import Callable
from typing import Any

import numpy as np

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

import storax as sx  # noqa: E402


def best_time(stmt: Callable[[], Any], *, repeat: int = 7, budget: float = 0.05) -> float:
    """Seconds per call: the minimum over ``repeat`` runs of an auto-sized loop."""
    timer = timeit.Timer(stmt)
    number, _ = timer.autorange()
    number = max(1, int(number * budget / 0.2))
    gc.disable()
    try:
        return min(timer.repeat(repeat=repeat, number=number)) / number
    finally:
        gc.enable()


def _optional(name: str) -> Any:
    try:
        return importlib.import_module(name)
    except ImportError:
        return None


def small_cases(libs: dict[str, Any]) -> dict[str, dict[str, Callable[[], Any]]]:
    """Operation -> library -> a zero-argument callable (small arrays: per-call overhead)."""
    cases: dict[str, dict[str, Callable[[], Any]]] = {}
    a8 = np.arange(8, dtype=np.float64)
    m64 = np.ones((64, 64))
    big = np.zeros(10_000)

    def add(lib_asarray: Callable[[Any], Any]) -> Callable[[], Any]:
        a, b = lib_asarray(a8), lib_asarray(a8 + 1)
        return lambda: a + b

    def setup(name: str, make: Callable[[Callable[[Any], Any], Any], Callable[[], Any]]) -> None:
        row: dict[str, Callable[[], Any]] = {}
        for lib, (conv, ns) in libs.items():
            try:
                fn = make(conv, ns)
                fn()
            except Exception:  # noqa: BLE001 - a library without this operation
                continue
            row[lib] = fn
        cases[name] = row

    setup("a + b (8 float64)", lambda conv, ns: add(conv))
    setup("a * 2.0 (8 float64)", lambda conv, ns: (lambda a: lambda: a * 2.0)(conv(a8)))
    setup("a < b (8 float64)", lambda conv, ns: (lambda a, b: lambda: a < b)(conv(a8), conv(a8)))
    setup("sin(a) (8 float64)", lambda conv, ns: (lambda a: lambda: ns.sin(a))(conv(a8)))
    setup("sum(a) (8 float64)", lambda conv, ns: (lambda a: lambda: ns.sum(a))(conv(a8)))
    setup("mean(a) (8 float64)", lambda conv, ns: (lambda a: lambda: ns.mean(a))(conv(a8)))
    setup("a[1:5]", lambda conv, ns: (lambda a: lambda: a[1:5])(conv(a8)))
    setup("a[1:5] of 1e4", lambda conv, ns: (lambda a: lambda: a[1:5])(conv(big)))
    setup("a[3] (0-d)", lambda conv, ns: (lambda a: lambda: a[3])(conv(a8)))
    setup(".T of 64x64", lambda conv, ns: (lambda a: lambda: a.T)(conv(m64)))
    setup("a[2] = 1.0", lambda conv, ns: _setitem(conv(a8.copy())))
    setup("zeros(8)", lambda conv, ns: lambda: ns.zeros(8))
    setup("asarray(list of 8)", lambda conv, ns: lambda: ns.asarray([1.0] * 8))
    setup(
        "reshape(a, (2, 4))",
        lambda conv, ns: (lambda a: lambda: ns.reshape(a, (2, 4)))(conv(a8)),
    )
    return cases


def _setitem(a: Any) -> Callable[[], Any]:
    def f() -> None:
        a[2] = 1.0

    return f


def large_cases(libs: dict[str, Any]) -> dict[str, dict[str, Callable[[], Any]]]:
    """Throughput on large arrays (1e7 elements, matmul 512x512)."""
    rng = np.random.default_rng(0)
    x = rng.random(10_000_000)
    y = rng.random(10_000_000)
    m = rng.random((512, 512))
    strided = rng.random((4000, 5000))
    cases: dict[str, dict[str, Callable[[], Any]]] = {}
    keep = {k: v for k, v in libs.items() if k in ("numpy", "storax")}
    for name, make in {
        "a + b (1e7)": lambda conv, ns: (lambda a, b: lambda: a + b)(conv(x), conv(y)),
        "sum(a) (1e7)": lambda conv, ns: (lambda a: lambda: ns.sum(a))(conv(x)),
        "exp(a) (1e7)": lambda conv, ns: (lambda a: lambda: ns.exp(a))(conv(x)),
        "matmul 512x512": lambda conv, ns: (lambda a: lambda: a @ a)(conv(m)),
        "strided a.T + 1 (2e7)": lambda conv, ns: (lambda a: lambda: a.T + 1.0)(conv(strided)),
        "(a * 2 + b) / 3 (1e7)": lambda conv, ns: (lambda a, b: lambda: (a * 2 + b) / 3)(
            conv(x), conv(y)
        ),
    }.items():
        cases[name] = {lib: make(conv, ns) for lib, (conv, ns) in keep.items()}
    return cases


def libraries() -> dict[str, tuple[Callable[[Any], Any], Any]]:
    """Library name -> (convert a NumPy array, namespace)."""
    libs: dict[str, tuple[Callable[[Any], Any], Any]] = {
        "numpy": (lambda a: a, np),
        "storax": (lambda a: sx.asarray(a), sx),
    }
    strict = _optional("array_api_strict")
    if strict is not None:
        libs["array_api_strict"] = (lambda a: strict.asarray(a), strict)
    torch = _optional("torch")
    if torch is not None:
        libs["torch"] = (lambda a: torch.from_numpy(a), torch)
    return libs


def peak_memory(fn: Callable[[], Any]) -> int:
    """Bytes allocated at the peak of one call beyond what was live before it (NumPy
    reports its buffers to tracemalloc)."""
    fn()
    gc.collect()
    tracemalloc.start()
    tracemalloc.reset_peak()
    base = tracemalloc.get_traced_memory()[0]
    result = fn()
    peak = tracemalloc.get_traced_memory()[1] - base
    del result
    tracemalloc.stop()
    return peak


def memory(cases: dict[str, dict[str, Callable[[], Any]]]) -> dict[str, dict[str, int]]:
    out = {name: {lib: peak_memory(fn) for lib, fn in row.items()} for name, row in cases.items()}
    for name, row in out.items():
        print(f"{name}: peak " + ", ".join(f"{k} {v / 1e6:.1f} MB" for k, v in row.items()))
    return out


def run(cases: dict[str, dict[str, Callable[[], Any]]], repeat: int) -> dict[str, dict[str, float]]:
    results: dict[str, dict[str, float]] = {}
    for name, row in cases.items():
        results[name] = {lib: best_time(fn, repeat=repeat) for lib, fn in row.items()}
        cells = ", ".join(f"{lib} {t * 1e6:.2f} µs" for lib, t in results[name].items())
        print(f"{name}: {cells}", flush=True)
    return results


def _fmt(t: float) -> str:
    return f"{t * 1e6:.2f} µs" if t < 1e-3 else f"{t * 1e3:.2f} ms"


MARK_BEGIN = "<!-- numpy-section-begin -->"
MARK_END = "<!-- numpy-section-end -->"


def write_report(
    small: dict[str, dict[str, float]],
    large: dict[str, dict[str, float]],
    peaks: dict[str, dict[str, int]],
) -> None:
    libs = ["numpy", "storax", "array_api_strict", "torch"]
    versions = {"numpy": np.__version__, "storax": sx.__version__}
    for lib in libs[2:]:
        mod = _optional(lib)
        if mod is not None:
            versions[lib] = getattr(mod, "__version__", "?")
    lines = [
        MARK_BEGIN,
        "## NumPy backend",
        "",
        "Generated by `nox -s bench` (`benchmarks/bench_overhead.py`): minimum over repeats,",
        "all libraries timed in the same run. The ratio is storax / raw NumPy.",
        "",
        f"- date: {datetime.date.today()}",
        f"- machine: {platform.machine()}, {os.cpu_count()} cores, {platform.system()}",
        f"- Python {platform.python_version()}; "
        + ", ".join(f"{k} {v}" for k, v in versions.items()),
        "",
        "### Per-call overhead (small arrays)",
        "",
        "| operation | " + " | ".join(libs) + " | storax / numpy |",
        "|---|" + "---|" * (len(libs) + 1),
    ]
    for name, row in small.items():
        cells = [(_fmt(row[lib]) if lib in row else "—") for lib in libs]
        ratio = row["storax"] / row["numpy"] if "numpy" in row and "storax" in row else float("nan")
        lines.append(f"| {name} | " + " | ".join(cells) + f" | {ratio:.2f}× |")
    lines += [
        "",
        "### Large arrays",
        "",
        "Peak memory: bytes allocated at the peak of one call (tracemalloc), beyond the inputs.",
        "",
        "| operation | numpy | storax | storax / numpy | peak memory numpy | storax |",
        "|---|---|---|---|---|---|",
    ]
    for name, row in large.items():
        peak = peaks.get(name, {})
        mem = [f"{peak[lib] / 1e6:.1f} MB" if lib in peak else "—" for lib in ("numpy", "storax")]
        lines.append(
            f"| {name} | {_fmt(row['numpy'])} | {_fmt(row['storax'])} | "
            f"{row['storax'] / row['numpy']:.3f}× | {mem[0]} | {mem[1]} |"
        )
    lines += ["", "![storax / numpy per operation](performance.png)", "", MARK_END]
    path = ROOT / "docs" / "performance.md"
    text = path.read_text() if path.exists() else "# Performance\n"
    if MARK_BEGIN in text:  # keep the hand-written notes and the JAX sections
        head, rest = text.split(MARK_BEGIN, 1)
        text = head + "\n".join(lines) + rest.split(MARK_END, 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n" + "\n".join(lines) + "\n"
    path.write_text(text)
    _plot({**small, **large})


def _plot(results: dict[str, dict[str, float]]) -> None:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("matplotlib not installed: no plot")
        return
    names = [n for n, r in results.items() if "storax" in r and "numpy" in r]
    ratios = [results[n]["storax"] / results[n]["numpy"] for n in names]
    fig, ax = plt.subplots(figsize=(8, 0.35 * len(names) + 1.2))
    ax.barh(names, ratios, color="#4c72b0")
    ax.axvline(1.0, color="black", linewidth=0.8)
    ax.set_xlabel("storax time / NumPy time (lower is better)")
    ax.invert_yaxis()
    fig.tight_layout()
    fig.savefig(ROOT / "docs" / "performance.png", dpi=100)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--no-large", action="store_true")
    args = parser.parse_args()
    libs = libraries()
    small = run(small_cases(libs), args.repeat)
    large = {} if args.no_large else run(large_cases(libs), max(3, args.repeat // 2))
    peaks = {} if args.no_large else memory(large_cases(libs))
    write_report(small, large, peaks)


if __name__ == "__main__":
    main()
