"""Ecosystem tests: storax arrays handed to SciPy, scikit-learn, PyTorch, hypothesis.

SciPy reads ``SCIPY_ARRAY_API`` once, when it is first imported, so it is set here, at
import time, before any test module imports SciPy. These tests run in ``nox -s ecosystem``
only (the ``tests`` session passes ``--ignore=tests/ecosystem``).
"""

from __future__ import annotations

import os
import sys

os.environ["SCIPY_ARRAY_API"] = "1"

if "scipy" in sys.modules:  # pragma: no cover - depends on how pytest was started
    from scipy._lib._array_api import SCIPY_ARRAY_API

    if not SCIPY_ARRAY_API:
        raise RuntimeError(
            "scipy was imported before tests/ecosystem/conftest.py could set "
            "SCIPY_ARRAY_API=1; run these tests with SCIPY_ARRAY_API=1 in the environment"
        )

import pytest  # noqa: E402
from _ecohelpers import DTYPE_NOTES  # noqa: E402

import storax  # noqa: E402


@pytest.fixture
def backend() -> str:
    """The storax backend the inputs are made on: the session's, ``STORAX_BACKEND``
    (``nox -s ecosystem`` runs the whole directory once per backend)."""
    return storax.get_backend()


@pytest.fixture(params=["float64", "float32"], ids=["default64", "default32"])
def default_float(request: pytest.FixtureRequest):
    """Run with storax's default floating dtype set to float64, and left at float32."""
    old = storax.get_default_dtype()
    storax.set_default_dtype(getattr(storax, request.param))
    yield request.param
    storax.set_default_dtype(old)


def pytest_configure(config: pytest.Config) -> None:
    # scikit-learn's test modules (imported for their array API checkers) use this mark.
    config.addinivalue_line("markers", "thread_unsafe: marks scikit-learn's own tests")


def pytest_terminal_summary(terminalreporter, exitstatus, config):  # noqa: ARG001
    """List the results whose dtype differs from NumPy's with storax's float32 default."""
    if not DTYPE_NOTES:
        return
    terminalreporter.section("dtype differences with storax's default float32")
    for line in sorted(set(DTYPE_NOTES)):
        terminalreporter.write_line(line)
