"""dask.array with storax chunks: results are storax arrays on the input's backend, with
NumPy's values, on the threaded scheduler and on a LocalCluster."""

from __future__ import annotations

import dask
import dask.array as da
import numpy as np
import pytest

import storax as sx
from conftest import check, data

A = data((12, 20))
B = data((20, 8), seed=1)

#: name -> (dask expression of the storax-chunked arrays, NumPy expression)
CASES = {
    "add": (lambda d, e: d + 1.5, lambda a, b: a + 1.5),
    "sin": (lambda d, e: da.sin(d), lambda a, b: np.sin(a)),
    "ufunc_exp": (lambda d, e: np.exp(d), lambda a, b: np.exp(a)),
    "where": (lambda d, e: da.where(d > 0, d, -d), lambda a, b: np.where(a > 0, a, -a)),
    "sum": (lambda d, e: d.sum(), lambda a, b: a.sum()),
    "sum_axis0": (lambda d, e: d.sum(axis=0), lambda a, b: a.sum(axis=0)),
    "sum_keepdims": (
        lambda d, e: d.sum(axis=1, keepdims=True),
        lambda a, b: a.sum(1, keepdims=True),
    ),
    "sum_dtype": (lambda d, e: d.sum(dtype="float32"), lambda a, b: a.sum(dtype="float32")),
    "mean": (lambda d, e: d.mean(axis=0), lambda a, b: a.mean(axis=0)),
    "std": (lambda d, e: d.std(), lambda a, b: a.std()),
    "var_ddof": (lambda d, e: d.var(axis=1, ddof=1), lambda a, b: a.var(axis=1, ddof=1)),
    "max": (lambda d, e: d.max(axis=1), lambda a, b: a.max(axis=1)),
    "min": (lambda d, e: d.min(), lambda a, b: a.min()),
    "prod": (lambda d, e: (d / 4 + 1).prod(axis=0), lambda a, b: (a / 4 + 1).prod(axis=0)),
    "argmax": (lambda d, e: d.argmax(axis=0), lambda a, b: a.argmax(axis=0)),
    "argmin_flat": (lambda d, e: d.argmin(), lambda a, b: a.argmin()),
    "any": (lambda d, e: (d > 2).any(axis=0), lambda a, b: (a > 2).any(axis=0)),
    "cumsum": (lambda d, e: d.cumsum(axis=1), lambda a, b: a.cumsum(axis=1)),
    "nansum": (lambda d, e: da.nansum(d), lambda a, b: np.nansum(a)),
    "nanmean": (lambda d, e: da.nanmean(d, axis=0), lambda a, b: np.nanmean(a, axis=0)),
    "matmul": (lambda d, e: d @ e, lambda a, b: a @ b),
    "tensordot": (lambda d, e: da.tensordot(d, e, axes=1), lambda a, b: np.tensordot(a, b, 1)),
    "map_blocks": (lambda d, e: d.map_blocks(lambda c: c * 2), lambda a, b: a * 2),
    "rechunk": (lambda d, e: d.rechunk((6, 4)) + 0, lambda a, b: a),
    "concatenate": (
        lambda d, e: da.concatenate([d, d], axis=0),
        lambda a, b: np.concatenate([a, a]),
    ),
    "stack": (lambda d, e: da.stack([d, d]), lambda a, b: np.stack([a, a])),
    "transpose_slice": (lambda d, e: d.T[::2, 1:5], lambda a, b: a.T[::2, 1:5]),
    "unique": (lambda d, e: da.unique((d > 0).astype("int64")), lambda a, b: np.unique(a > 0)),
}


def _arrays():
    x, y = sx.asarray(A), sx.asarray(B)
    return (
        x,
        y,
        da.from_array(x, chunks=(5, 6), asarray=False),
        da.from_array(y, chunks=(6, 4), asarray=False),
    )


@pytest.mark.parametrize("name", sorted(CASES))
def test_threaded_scheduler(name, backend):
    expr, ref = CASES[name]
    _, _, d, e = _arrays()
    with dask.config.set(scheduler="threads"):
        r = expr(d, e).compute()
    check(r, ref(A, B), backend, rtol=1e-6 if name == "sum_dtype" else 1e-12)


@pytest.mark.parametrize("name", ["sum_axis0", "matmul", "std", "argmax", "cumsum", "sin"])
def test_local_cluster(name, backend, client):
    expr, ref = CASES[name]
    _, _, d, e = _arrays()
    r = client.compute(expr(d, e)).result()
    check(r, ref(A, B), backend)


def test_chunks_are_storax_arrays(backend):
    _, _, d, _ = _arrays()
    assert isinstance(d._meta, sx.Array)
    blocks = (d + 1).to_delayed().ravel()
    for b in blocks:
        assert isinstance(b.compute(scheduler="sync"), sx.Array)


@pytest.mark.parametrize("order", ["dask_first", "storax_first"])
def test_mixed_dask_and_storax_operands(order, backend):
    x, _, d, _ = _arrays()
    r = d + x if order == "dask_first" else x + d
    assert isinstance(r, da.Array)  # dask computes, storax is a chunk type to it
    check(r.compute(scheduler="threads"), A + A, backend)


def test_sizeof_counts_the_view(backend):
    from dask.sizeof import sizeof

    x = sx.zeros(10_000, dtype=sx.float64)
    assert sizeof(x[:100]) == 800
    assert sizeof(sx.broadcast_to(x[:10], (1000, 10))) == 80  # a broadcast axis once
