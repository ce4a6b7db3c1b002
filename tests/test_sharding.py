"""Storages sharded over a JAX mesh (issue #15): every check in sharding_checks.py runs in
one subprocess with 4 virtual CPU devices, so the rest of the test run keeps its devices."""

from __future__ import annotations

import os

import pytest

import sharding_checks  # noqa: E402  (tests/ is on sys.path: rootdir conftest)
from _subprocess_checks import run_checks

pytest.importorskip("jax")


@pytest.fixture(scope="module")
def results() -> dict[str, str | None]:
    flags = (os.environ.get("XLA_FLAGS", "") + " --xla_force_host_platform_device_count=4").strip()
    return run_checks(
        "sharding_checks.py", "sharding checks", 900, XLA_FLAGS=flags, JAX_PLATFORMS="cpu"
    )


@pytest.mark.parametrize("name", sharding_checks.CHECKS)
def test_sharding(results: dict[str, str | None], name: str) -> None:
    assert name in results
    assert results[name] is None, results[name]
