"""storax's registrations with dask and distributed (storax._dask) fire whichever of
storax and dask is imported first, in a fresh process."""

from __future__ import annotations

import subprocess
import sys

import pytest


def _run(code: str) -> str:
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, check=True, text=True
    ).stdout.strip()


@pytest.mark.parametrize("storax_first", [True, False])
def test_dask_learns_of_storax_in_either_import_order(storax_first):
    first, second = ("storax", "dask.array") if storax_first else ("dask.array", "storax")
    out = _run(
        f"import {first}, {second}; import storax, dask.array as da; "
        "from dask.array.chunk_types import is_valid_chunk_type; "
        "from dask.sizeof import sizeof; "
        "print(is_valid_chunk_type(storax.Array), sizeof(storax.zeros(1000)[:10]))"
    )
    assert out == "True 40"


def test_distributed_serializer_registered_on_import():
    out = _run(
        "import storax; from distributed.protocol import serialize; "
        "h, f = serialize(storax.arange(10_000)[:100]); "
        "print(h['serializer'], sum(memoryview(x).nbytes for x in f) < 1000)"
    )
    assert out == "dask True"
