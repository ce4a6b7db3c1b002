"""Global settings: default dtypes, the API version storax behaves as, and the default backend."""

from __future__ import annotations

import contextlib
import contextvars
import os
from collections.abc import Iterator

from . import _dtypes

SUPPORTED_API_VERSIONS = ("2024.12", "2025.12", "2026.12")
# Note: 2026.12 is the standard's draft (array-api-tests' ARRAY_API_TESTS_VERSION=draft).
_DEFAULT_API_VERSION = "2025.12"


def _env_api_version() -> str:
    v = os.environ.get("STORAX_API_VERSION", _DEFAULT_API_VERSION)
    if v not in SUPPORTED_API_VERSIONS:
        raise ValueError(
            f"STORAX_API_VERSION={v!r} is not supported; use one of {SUPPORTED_API_VERSIONS}"
        )
    return v


def _env_jax_x64() -> bool:
    v = os.environ.get("STORAX_JAX_X64", "1")
    if v not in ("0", "1"):
        raise ValueError(f"STORAX_JAX_X64={v!r}: use '1' (64-bit types, the default) or '0'")
    return v == "1"


def _env_default_float() -> _dtypes.DType:
    name = os.environ.get("STORAX_DEFAULT_DTYPE", "float32")
    if name not in ("float32", "float64"):
        raise ValueError(f"STORAX_DEFAULT_DTYPE={name!r}: use 'float32' or 'float64'")
    return _dtypes.float64 if name == "float64" else _dtypes.float32


class _Settings:
    """Mutable process-wide settings, read on the hot path as plain attributes."""

    __slots__ = (
        "api_version", "default_float", "default_complex", "default_int", "backend", "jax_x64",
    )  # fmt: skip

    def __init__(self) -> None:
        self.api_version = _env_api_version()
        self.default_int = _dtypes.int64
        self.default_float = _env_default_float()
        self.default_complex = (
            _dtypes.complex128 if self.default_float == _dtypes.float64 else _dtypes.complex64
        )
        self.backend: str = os.environ.get("STORAX_BACKEND", "numpy") or "numpy"
        # Whether the JAX backend provides 64-bit types; read once, when it loads
        # (STORAX_JAX_X64=0: 32-bit types only, see docs/backends.md).
        self.jax_x64 = _env_jax_x64()


settings = _Settings()

# The backend chosen by ``use_backend`` (None: fall back to settings.backend).
backend_override: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "storax_backend", default=None
)


def set_default_dtype(dtype: object) -> None:
    """Set the default floating-point dtype (``float32`` or ``float64``).

    The default complex dtype follows it (``complex64`` / ``complex128``), as in PyTorch.

    Examples
    --------
    >>> import storax as sx
    >>> sx.set_default_dtype(sx.float64)
    >>> sx.ones(2).dtype
    dtype('float64')
    >>> sx.set_default_dtype(sx.float32)
    """
    d = _dtypes.check_dtype(dtype, "set_default_dtype")
    if d not in (_dtypes.float32, _dtypes.float64):
        raise TypeError(f"set_default_dtype: expected float32 or float64, got {d}")
    settings.default_float = d
    settings.default_complex = _dtypes.complex128 if d == _dtypes.float64 else _dtypes.complex64


def get_default_dtype() -> _dtypes.DType:
    """Return the default floating-point dtype.

    Examples
    --------
    >>> import storax as sx
    >>> sx.get_default_dtype()
    dtype('float32')
    """
    return settings.default_float


def set_api_version(version: str) -> None:
    """Choose which version of the standard storax behaves as (``"2024.12"``, ``"2025.12"``,
    or the draft ``"2026.12"``).

    Examples
    --------
    >>> import storax as sx
    >>> sx.set_api_version("2024.12"); type(sx.meshgrid(sx.ones(2)))
    <class 'list'>
    >>> sx.set_api_version("2025.12")
    """
    if version not in SUPPORTED_API_VERSIONS:
        raise ValueError(
            f"set_api_version: {version!r} is not supported; use one of {SUPPORTED_API_VERSIONS}"
        )
    settings.api_version = version


@contextlib.contextmanager
def api_version(version: str) -> Iterator[None]:
    """Context manager form of :func:`set_api_version`."""
    old = settings.api_version
    set_api_version(version)
    try:
        yield
    finally:
        settings.api_version = old
