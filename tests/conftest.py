"""Shared test configuration: a hypothesis profile sized for a 2-core CI machine."""

from __future__ import annotations

import os

import pytest
from hypothesis import settings

settings.register_profile("ci", max_examples=200, deadline=None, derandomize=True)
settings.register_profile("dev", max_examples=100, deadline=None)
settings.load_profile(os.environ.get("STORAX_HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture(autouse=True)
def _restore_settings():
    """Tests may change storax's global settings; put them back afterwards."""
    from storax._config import settings as s

    saved = (s.api_version, s.default_float, s.default_complex, s.default_int)
    yield
    s.api_version, s.default_float, s.default_complex, s.default_int = saved
