"""pytest plugin for cubed's own array-API tests (``nox -s distributed``): cubed's dask
executor computes on one LocalCluster for the whole run (2 worker processes, one thread
each, 127.0.0.1, no dashboard), closed at the end, instead of a new cluster per compute.

cubed's processes executor starts a new pool of ``spawn`` processes for every compute;
each worker then imports cubed, Zarr and the chunk namespace (~2.5 s of CPU, most of it
cubed and Zarr, whichever the namespace; JAX adds 3.5 s), which made its 50 tests most of
the suite's time (5-15 s each).
Here its pools start their workers from one ``forkserver`` that has imported those
modules once: the same executor code, tasks pickled to other processes as before.
(storax's own tests, tests/distributed/test_cubed.py, run the processes executor with
cubed's default ``spawn``.)
"""

from __future__ import annotations

import multiprocessing
import os

import pytest


def pytest_configure(config):
    config.addinivalue_line("markers", "cloud: cubed's tests against cloud object stores")
    namespace = os.environ.get("CUBED_BACKEND_ARRAY_API_MODULE", "numpy")
    preload = ["numpy", "zarr", "cubed", "cubed.array_api", "cubed.runtime.executors.local",
               namespace.partition(".")[0]]  # fmt: skip
    if namespace == "storax" and os.environ.get("STORAX_BACKEND") == "jax":
        # storax imports JAX on first use (3.5 s here, in every worker). Importing it is
        # fork-safe: JAX starts its backend (and its threads) at first use, in the worker.
        preload += ["jax", "jax.numpy"]
    multiprocessing.set_forkserver_preload(preload)


@pytest.fixture(scope="session", autouse=True)
def _one_local_cluster():
    from cubed.tests import utils
    from distributed import LocalCluster

    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
        dashboard_address=":0", worker_dashboard_address=":0",
    ) as cluster:  # fmt: skip
        for executor in {id(e): e for e in utils.MAIN_EXECUTORS + utils.ALL_EXECUTORS}.values():
            if executor.name == "dask":
                executor.kwargs["compute_kwargs"] = {"address": cluster.scheduler_address}
            elif executor.name == "processes":
                executor.kwargs["use_processes"] = "forkserver"
        yield cluster
