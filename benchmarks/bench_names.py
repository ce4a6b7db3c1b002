"""Named tensors cost: ``a + b`` and ``sin(a)`` on unnamed 8-element arrays, A/B against
another checkout of storax, in one run.

Run: ``python benchmarks/bench_names.py --other /tmp/main-ab/src`` (``--this`` the same
folder as ``--other`` gives an A/A run: the noise of the method on this machine). Each
checkout is timed in its own interpreter (timeit, min of ``--repeat`` repeats of
``--number`` calls), the two interleaved round by round so that a busy machine slows both
alike; the minimum over the rounds is printed as a Markdown table (paste it into
docs/performance.md).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"

CHILD = r"""
import json, sys, timeit
import storax as sx
out = {}
for backend in sys.argv[3].split(","):
    with sx.use_backend(backend):
        a = sx.asarray([1.0, 2, 3, 4, 5, 6, 7, 8])
        b = sx.asarray([8.0, 7, 6, 5, 4, 3, 2, 1])
        assert getattr(a, "names", (None,)) == (None,)  # unnamed
        cases = {
            "a + b": lambda: a + b,
            "sin(a)": lambda: sx.sin(a),
            "add(a, b)": lambda: sx.add(a, b),
            "a * 2.0": lambda: a * 2.0,
            "sum(a)": lambda: sx.sum(a),
        }
        n, r = int(sys.argv[1]), int(sys.argv[2])
        for name, f in cases.items():
            f()
            out[f"{backend}|{name}"] = min(timeit.repeat(f, number=n, repeat=r)) / n * 1e9
print(json.dumps(out))
"""


def run(src: str, number: int, repeat: int, backends: str) -> dict[str, float]:
    env_path = {"PYTHONPATH": src}
    import os

    env = {**os.environ, **env_path}
    res = subprocess.run(
        [sys.executable, "-c", CHILD, str(number), str(repeat), backends],
        env=env, check=True, capture_output=True, text=True,
    )  # fmt: skip
    return json.loads(res.stdout)  # type: ignore[no-any-return]


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--other", required=True, help="the src/ folder of the baseline checkout")
    p.add_argument("--this", default=str(SRC), help="the src/ folder measured as 'after'")
    p.add_argument("--rounds", type=int, default=5)
    p.add_argument("--number", type=int, default=20000)
    p.add_argument("--repeat", type=int, default=7)
    p.add_argument("--backends", default="numpy,jax")
    args = p.parse_args()
    best: dict[str, dict[str, float]] = {"before": {}, "after": {}}
    for _ in range(args.rounds):
        for label, src in (("before", args.other), ("after", args.this)):
            for k, v in run(src, args.number, args.repeat, args.backends).items():
                best[label][k] = min(best[label].get(k, float("inf")), v)
    print("| backend | operation | before (ns) | after (ns) | change |")
    print("|---|---|---:|---:|---:|")
    for k in best["before"]:
        backend, op = k.split("|")
        b, a = best["before"][k], best["after"][k]
        print(f"| {backend} | `{op}` | {b:.0f} | {a:.0f} | {100 * (a - b) / b:+.1f}% |")


if __name__ == "__main__":
    main()
