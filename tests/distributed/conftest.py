"""storax on cubed, dask and xarray (``nox -s distributed`` only: the ``tests`` session
passes ``--ignore=tests/distributed``). Everything runs on 127.0.0.1; the clusters are
closed by the fixtures that start them.

cubed chooses its backend namespace once, when it is first imported, from
``CUBED_BACKEND_ARRAY_API_MODULE``: it is set here, before any test module imports cubed.
The backend (numpy or jax) is the session's ``STORAX_BACKEND``; worker processes inherit
the environment, so they compute on the same backend.
"""

from __future__ import annotations

import os
import sys

os.environ["CUBED_BACKEND_ARRAY_API_MODULE"] = "storax"
if "cubed" in sys.modules:  # pragma: no cover - depends on how pytest was started
    raise RuntimeError("cubed was imported before tests/distributed/conftest.py set its backend")

import numpy as np  # noqa: E402
import pytest  # noqa: E402

import storax as sx  # noqa: E402


def cluster_kwargs() -> dict:
    """A small LocalCluster: 2 worker processes, one thread each, 127.0.0.1, no dashboard."""
    return dict(
        n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
        dashboard_address=":0", worker_dashboard_address=":0",
    )  # fmt: skip


@pytest.fixture(scope="session")
def cluster():
    from distributed import LocalCluster

    with LocalCluster(**cluster_kwargs()) as c:
        yield c


@pytest.fixture(scope="session")
def client(cluster):
    from distributed import Client

    with Client(cluster) as c:
        yield c


@pytest.fixture
def backend() -> str:
    return sx.get_backend()


def data(shape=(12, 20), dtype="float64", seed=0) -> np.ndarray:
    """NumPy reference data (the same values go into storax)."""
    rng = np.random.default_rng(seed)
    return rng.standard_normal(shape).astype(dtype)


def check(result, expected, backend, rtol=1e-12) -> None:
    """``result`` is a storax array on ``backend`` holding ``expected``'s values."""
    assert isinstance(result, sx.Array), type(result)
    assert result.device.backend == backend, result.device
    np.testing.assert_allclose(np.asarray(result), np.asarray(expected), rtol=rtol, atol=1e-12)
