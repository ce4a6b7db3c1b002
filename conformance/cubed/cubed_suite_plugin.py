"""pytest plugin for cubed's own array-API tests (``nox -s distributed``): cubed's dask
executor computes on one LocalCluster for the whole run (2 worker processes, one thread
each, 127.0.0.1, no dashboard), closed at the end, instead of a new cluster per compute."""

from __future__ import annotations

import pytest


def pytest_configure(config):
    config.addinivalue_line("markers", "cloud: cubed's tests against cloud object stores")


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
        yield cluster
