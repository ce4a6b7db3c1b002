"""The torch backend against raw torch: per-call overhead of small operations, view reads
and small writes, and the cost on large arrays (10^6-10^7 elements), with the ratio
storax / torch of each, measured in the same run. Small rows also time a *bare wrapper*
(a one-slot box around the raw tensor whose operators and functions unbox, call torch and
box the result), the floor of any Python array library over torch on that call. Writes
the "torch backend (<device>)" section of ``docs/performance.md``.

Run with ``python benchmarks/bench_torch.py [--device cpu|cuda] [--no-write]``; the
device defaults to CUDA when torch sees one. On CUDA every timed loop ends with
``torch.cuda.synchronize()``, so the kernels' time is counted, not only their launch.
"""

from __future__ import annotations

import argparse
import datetime
import operator
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
    ours: Any, raw: Any, number: int, sync: Any, repeat: int = REPEAT, wrapper: Any = None
) -> tuple[float, ...]:
    """Best seconds per call of ``ours`` and of ``raw`` (and of ``wrapper``, when given)
    over ``repeat`` repeats of ``number`` calls each (then a sync), interleaved repeat by
    repeat (so a burst of load on a shared machine hits every side alike)."""

    def loop(stmt: Any) -> Any:
        def run() -> None:
            for _ in range(number):
                stmt()
            sync()

        return run

    runs = [loop(ours), loop(raw)] + ([] if wrapper is None else [loop(wrapper)])
    best = [float("inf")] * len(runs)
    for run in runs:
        run()  # warm-up
    for _ in range(repeat):
        for i, run in enumerate(runs):
            best[i] = min(best[i], timeit.timeit(run, number=1))
    return tuple(b / number for b in best)


# ------------------------------------------------------------------ the wrapper floor

# The least any Python array library over torch costs per call (as in bench_namespace.py):
# a one-slot box around the raw tensor, whose operators and functions unbox their
# arguments, call torch and box the result. Small rows time it next to storax.


class _Box:
    __slots__ = ("v",)

    def __init__(self, v: Any) -> None:
        self.v = v

    def __getitem__(self, key: Any) -> Any:
        return _Box(self.v[_unbox_key(key)])

    def __setitem__(self, key: Any, value: Any) -> None:
        self.v[_unbox_key(key)] = _unbox(value)

    def __neg__(self) -> Any:
        return _Box(-self.v)


def _unbox(x: Any) -> Any:
    return x.v if type(x) is _Box else x


def _unbox_key(key: Any) -> Any:
    if type(key) is tuple:
        return tuple([k.v if type(k) is _Box else k for k in key])
    return key.v if type(key) is _Box else key


def _box(r: Any) -> Any:
    return _Box(r) if isinstance(r, torch.Tensor) else r


def _binary_dunder(op: Any, reflected: bool) -> Any:
    if reflected:
        return lambda self, other: _Box(op(_unbox(other), self.v))
    return lambda self, other: _Box(op(self.v, _unbox(other)))


for _name in ("add", "sub", "mul", "truediv", "matmul"):
    _op = getattr(operator, _name)
    setattr(_Box, f"__{_name}__", _binary_dunder(_op, False))
    setattr(_Box, f"__r{_name}__", _binary_dunder(_op, True))
for _name in ("lt", "le", "gt", "ge", "eq", "ne"):
    setattr(_Box, f"__{_name}__", _binary_dunder(getattr(operator, _name), False))


def _boxed(f: Any, arity: int) -> Any:
    """``f`` (a torch function of ``arity`` positional arguments) as the bare wrapper's
    namespace function (a fixed arity: the least a wrapper's function can cost)."""
    if arity == 1:
        return lambda x: _box(f(x.v if type(x) is _Box else x))
    if arity == 2:
        return lambda x, y: _box(f(x.v if type(x) is _Box else x, _unbox(y)))
    return lambda x, y, z: _box(f(x.v if type(x) is _Box else x, _unbox(y), _unbox(z)))


def small_cases(dev: str, sx_dev: Any) -> list[tuple[str, Any, Any, Any]]:
    """(name, storax, torch, bare wrapper) of each small row."""
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

    # the bare wrapper's inputs (boxes of fresh tensors: its writes touch none of torch's)
    # and namespace functions
    wa, wb, wc = _Box(ta.clone()), _Box(tb.clone()), _Box(tc.clone())
    wm, wu, wtu = _Box(tm.clone()), _Box(tu32.clone()), _Box(tu.clone())
    wbig, wten = _Box(tbig.clone()), _Box(tten.clone())
    w_sin, w_exp, w_sum, w_max, w_mean = (
        _boxed(f, 1) for f in (torch.sin, torch.exp, torch.sum, torch.max, torch.mean)
    )
    w_add, w_where = _boxed(torch.add, 2), _boxed(torch.where, 3)
    w_flip = _boxed(torch.Tensor.flip, 2)  # (a wrapper's reversed read: a flip of its own)
    w_emulated = _boxed(
        lambda x, y: (x.view(torch.int32) + y.view(torch.int32)).view(torch.uint32), 2
    )

    def wbig_write() -> None:
        wbig[5:15] = wten

    def wfill() -> None:
        wa[...] = 1.0

    def fill() -> None:
        a[...] = 1.0

    def tfill() -> None:
        ta[...] = 1.0

    return [
        ("a + b (8 float64)", lambda: a + b, lambda: ta + tb, lambda: wa + wb),
        ("a - 1 (8 float64)", lambda: a - 1, lambda: ta - 1, lambda: wa - 1),
        ("-a (8 float64)", lambda: -a, lambda: -ta, lambda: -wa),
        ("sin(a) (8 float64)", lambda: sx.sin(a), lambda: torch.sin(ta), lambda: w_sin(wa)),
        ("exp(a) (8 float64)", lambda: sx.exp(a), lambda: torch.exp(ta), lambda: w_exp(wa)),
        (
            "add(a, b) (8 float64)",
            lambda: sx.add(a, b),
            lambda: torch.add(ta, tb),
            lambda: w_add(wa, wb),
        ),
        ("sum(a) (8 float64)", lambda: sx.sum(a), lambda: torch.sum(ta), lambda: w_sum(wa)),
        ("max(a) (8 float64)", lambda: sx.max(a), lambda: torch.max(ta), lambda: w_max(wa)),
        ("a * 2.0 (8 float64)", lambda: a * 2.0, lambda: ta * 2.0, lambda: wa * 2.0),
        ("a < b (8 float64)", lambda: a < b, lambda: ta < tb, lambda: wa < wb),
        ("a == b (8 float64)", lambda: a == b, lambda: ta == tb, lambda: wa == wb),
        (
            "where(a < b, a, b) (8 float64)",
            lambda: sx.where(c, a, b),
            lambda: torch.where(tc, ta, tb),
            lambda: w_where(wc, wa, wb),
        ),
        ("mean(a) (8 float64)", lambda: sx.mean(a), lambda: torch.mean(ta), lambda: w_mean(wa)),
        ("m @ m (64x64 float64)", lambda: m @ m, lambda: tm @ tm, lambda: wm @ wm),
        ("a[1:5] (read)", lambda: a[1:5]._value, lambda: ta[1:5], lambda: wa[1:5].v),
        ("a[3] (a 0-d view)", lambda: a[3], lambda: ta[3], lambda: wa[3]),
        (
            "a[::-1] (read; torch: flip)",
            lambda: a[::-1]._value,
            lambda: ta.flip(0),
            lambda: w_flip(wa, 0).v,
        ),
        ("a[...] = 1.0 (8 float64)", fill, tfill, wfill),
        ("10-element write into 1e7 storage", big_write, tbig_write, wbig_write),
        ("u + u (8 uint32; torch: int32)", lambda: u + u, lambda: tu + tu, lambda: wtu + wtu),
        (
            "u + u (8 uint32; torch: the same signed-view emulation)",
            lambda: u + u,
            emulated_add,
            lambda: w_emulated(wu, wu),
        ),
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


def _row(name: str, t_s: float, t_t: float, goal: float, t_w: float | None = None) -> str:
    ratio = t_s / t_t
    met = "yes" if ratio <= goal else "no"
    unit, scale = ("ms", 1e3) if t_t >= 1e-3 else ("µs", 1e6)
    wrapper = "—" if t_w is None else f"{t_w / t_t:.2f}×"
    return (
        f"| {name} | {t_s * scale:.1f} {unit} | {t_t * scale:.1f} {unit} | {ratio:.2f}× | "
        f"{wrapper} | ≤ {goal}×: {met} |"
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
        "| operation | storax (torch) | torch | storax / torch | bare wrapper / torch | goal |",
        "|---|---|---|---|---|---|",
    ]
    small = small_cases(dev, sx_dev)
    n_small = len(small)
    for name, ours, raw, wrapper in small:
        t_s, t_t, t_w = per_call(ours, raw, 200, sync, SMALL_REPEAT, wrapper)
        rows.append(_row(name, t_s, t_t, SMALL_GOAL, t_w))
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
        f"operations (goal ≤ {SMALL_GOAL}×), the rest large arrays (goal ≤ {LARGE_GOAL}×). "
        "*Bare wrapper* (small rows, timed in the same rounds): the same call through the "
        "least a Python array library over torch can be, a one-slot box around the raw "
        "tensor whose operators and functions unbox the arguments, call torch and box the "
        "result (`_Box` in the script): a small row's floor above raw torch.",
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
