"""storax registers with dask and distributed lazily (storax._dask): importing storax
imports neither (tests/distributed/test_hooks.py checks the registrations)."""

from __future__ import annotations

import subprocess
import sys


def _run(code: str) -> str:
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, check=True, text=True
    ).stdout.strip()


def test_importing_storax_imports_no_dask_or_distributed():
    out = _run(
        "import sys, storax; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('dask', 'distributed')))"
    )
    assert out == "[]"
