"""The worked example of docs/distributed.md: a computation larger than cubed's memory.

Makes a Zarr store of ``rows x cols`` float64 random numbers on the fly (cubed writes it
chunk by chunk), then computes, with storax as cubed's chunk namespace and cubed allowed
``--allowed-mem`` per task: the column means (a reduction) and the Gram matrix
``x.T @ x`` (a matmul over the whole store). It checks the Gram matrix's diagonal against
a second reduction (the column sums of squares), prints the times and the largest
resident memory of this process, and removes the store. Not run in CI or in the tests.

    CUBED_BACKEND_ARRAY_API_MODULE=storax STORAX_BACKEND=numpy \\
        python benchmarks/out_of_core.py --rows 125000 --cols 2000 --executor threads
    ... --executor dask     # cubed's dask executor on a LocalCluster (2 processes)
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import tempfile
import time


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=125_000)
    ap.add_argument("--cols", type=int, default=2000)
    ap.add_argument("--chunk-rows", type=int, default=10_000)
    ap.add_argument("--allowed-mem", default="1GB")
    ap.add_argument("--executor", default="threads", choices=["threads", "processes", "dask"])
    ap.add_argument("--workdir", default=None, help="where the store goes (default: a tmp dir)")
    args = ap.parse_args()
    if os.environ.get("CUBED_BACKEND_ARRAY_API_MODULE") != "storax":
        print("note: CUBED_BACKEND_ARRAY_API_MODULE is not 'storax': chunks are NumPy arrays")

    import cubed
    import cubed.array_api as xp
    import cubed.random
    import numpy as np

    work = tempfile.mkdtemp(prefix="storax-out-of-core-", dir=args.workdir)
    cluster = None
    try:
        if args.executor == "dask":
            from cubed.runtime.executors.dask import DaskExecutor

            from distributed import LocalCluster

            cluster = LocalCluster(
                n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                dashboard_address=":0", memory_limit="3GB",
            )  # fmt: skip
            executor = DaskExecutor(compute_kwargs={"address": cluster.scheduler_address})
            spec = cubed.Spec(work, allowed_mem=args.allowed_mem, executor=executor)
        else:
            spec = cubed.Spec(work, allowed_mem=args.allowed_mem, executor_name=args.executor,
                              executor_options={"max_workers": 2})  # fmt: skip
        store = os.path.join(work, "x.zarr")
        shape, chunks = (args.rows, args.cols), (args.chunk_rows, args.cols)
        gb = args.rows * args.cols * 8 / 1e9
        print(f"store {shape} float64 = {gb:.2f} GB, chunks {chunks}, cubed allowed_mem "
              f"{args.allowed_mem}, executor {args.executor}, backend "
              f"{os.environ.get('STORAX_BACKEND', 'numpy')}")  # fmt: skip

        t = time.perf_counter()
        cubed.to_zarr(cubed.random.random(shape, chunks=chunks, spec=spec), store)
        print(f"write the store      {time.perf_counter() - t:8.1f} s")

        x = cubed.from_zarr(store, spec=spec)
        t = time.perf_counter()
        means = xp.mean(x, axis=0).compute()
        print(f"column means         {time.perf_counter() - t:8.1f} s  ({type(means).__name__})")

        t = time.perf_counter()
        gram = xp.matmul(xp.matrix_transpose(x), x).compute()
        print(f"gram x.T @ x         {time.perf_counter() - t:8.1f} s  ({type(gram).__name__})")

        squares = xp.sum(x * x, axis=0).compute()
        diag = np.diagonal(np.asarray(gram))
        assert np.allclose(diag, np.asarray(squares), rtol=1e-9), "diagonal != sums of squares"
        m = np.asarray(means)
        assert abs(m.mean() - 0.5) < 0.01, m.mean()  # uniform [0, 1) numbers
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e6
        print(f"checks passed; largest resident memory of this process {rss:.2f} GB")
    finally:
        if cluster is not None:
            cluster.close()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
