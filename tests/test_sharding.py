"""Storages sharded over a JAX mesh (issue #15): every check in sharding_checks.py runs in
one subprocess with 4 virtual CPU devices, so the rest of the test run keeps its devices."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import sharding_checks  # noqa: E402  (tests/ is on sys.path: rootdir conftest)

pytest.importorskip("jax")

HERE = Path(__file__).parent


@pytest.fixture(scope="module")
def results() -> dict[str, str | None]:
    env = dict(os.environ)
    env["XLA_FLAGS"] = (
        env.get("XLA_FLAGS", "") + " --xla_force_host_platform_device_count=4"
    ).strip()
    env["JAX_PLATFORMS"] = "cpu"
    src = str(HERE.parent / "src")
    env["PYTHONPATH"] = src + os.pathsep + env.get("PYTHONPATH", "")
    r = subprocess.run(
        [sys.executable, str(HERE / "sharding_checks.py")],
        capture_output=True, text=True, env=env, timeout=900, check=False,
    )  # fmt: skip
    marker = r.stdout.rfind("@@RESULTS@@")
    assert marker >= 0, (
        f"the sharding checks did not finish (rc {r.returncode}):\n{r.stderr[-4000:]}"
    )
    return json.loads(r.stdout[marker + len("@@RESULTS@@") :])


@pytest.mark.parametrize("name", sharding_checks.CHECKS)
def test_sharding(results: dict[str, str | None], name: str) -> None:
    assert name in results
    assert results[name] is None, results[name]
