"""cubed with storax as its backend namespace (CUBED_BACKEND_ARRAY_API_MODULE=storax, set
in conftest): results are storax arrays of the session's backend, NumPy's values, on
cubed's single-threaded, threads, processes and dask (LocalCluster) executors."""

from __future__ import annotations

import cubed
import cubed.array_api as xp
import numpy as np
import pytest

import storax as sx
from conftest import check, data

A = data((12, 20))
B = data((20, 8), seed=1)

CASES = {
    "add": (lambda a, b: xp.add(a, 1.5), lambda a, b: a + 1.5),
    "sin": (lambda a, b: xp.sin(a), lambda a, b: np.sin(a)),
    "sum": (lambda a, b: xp.sum(a, axis=0), lambda a, b: a.sum(axis=0)),
    "mean": (lambda a, b: xp.mean(a), lambda a, b: a.mean()),
    "std": (lambda a, b: xp.std(a, axis=1, correction=1), lambda a, b: a.std(axis=1, ddof=1)),
    "var": (lambda a, b: xp.var(a, keepdims=True), lambda a, b: a.var(keepdims=True)),
    "nansum": (lambda a, b: cubed.nansum(a, axis=1), lambda a, b: np.nansum(a, axis=1)),
    "nanmean": (lambda a, b: cubed.nanmean(a), lambda a, b: np.nanmean(a)),
    "max": (lambda a, b: xp.max(a, axis=1), lambda a, b: a.max(axis=1)),
    "argmax": (lambda a, b: xp.argmax(a, axis=0), lambda a, b: a.argmax(axis=0)),
    "matmul": (lambda a, b: xp.matmul(a, b), lambda a, b: a @ b),
    "slice": (lambda a, b: a[1:10:2, 3::3], lambda a, b: a[1:10:2, 3::3]),
    "concat": (lambda a, b: xp.concat([a, a], axis=1), lambda a, b: np.concatenate([a, a], 1)),
    "cumsum": (lambda a, b: xp.cumulative_sum(a, axis=0), lambda a, b: np.cumsum(a, axis=0)),
}


def _arrays(spec):
    a = xp.asarray(sx.asarray(A), chunks=(5, 6), spec=spec)
    b = xp.asarray(sx.asarray(B), chunks=(6, 4), spec=spec)
    return a, b


@pytest.mark.parametrize("name", sorted(CASES))
def test_single_threaded(name, backend, tmp_path):
    expr, ref = CASES[name]
    spec = cubed.Spec(tmp_path, allowed_mem="200MB", executor_name="single-threaded")
    r = expr(*_arrays(spec)).compute()
    check(r, ref(A, B), backend)


@pytest.mark.parametrize("executor", ["threads", "processes"])
@pytest.mark.parametrize("name", ["sum", "matmul", "std"])
def test_local_executors(name, executor, backend, tmp_path):
    expr, ref = CASES[name]
    spec = cubed.Spec(tmp_path, allowed_mem="200MB", executor_name=executor)
    check(expr(*_arrays(spec)).compute(), ref(A, B), backend)


@pytest.mark.parametrize("name", ["sum", "matmul", "nanmean"])
def test_dask_executor_on_a_local_cluster(name, backend, tmp_path, cluster):
    from cubed.runtime.executors.dask import DaskExecutor

    expr, ref = CASES[name]
    executor = DaskExecutor(compute_kwargs={"address": cluster.scheduler_address})
    spec = cubed.Spec(tmp_path, allowed_mem="200MB", executor=executor)
    check(expr(*_arrays(spec)).compute(), ref(A, B), backend)


def test_linalg_qr(backend, tmp_path):
    spec = cubed.Spec(tmp_path, allowed_mem="200MB")
    a = xp.asarray(sx.asarray(data((40, 6))), chunks=(10, 6), spec=spec)
    q, r = xp.linalg.qr(a)
    qv, rv = q.compute(), r.compute()
    assert isinstance(qv, sx.Array) and isinstance(rv, sx.Array)
    check(sx.matmul(qv, rv), data((40, 6)), backend, rtol=1e-10)
