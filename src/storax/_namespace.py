"""``__array_namespace__(api_version=...)``: storax itself, or a view of it pinned to a version."""

from __future__ import annotations

import functools
import sys
import types
from typing import Any

from ._config import SUPPORTED_API_VERSIONS, api_version, settings

# Functions whose behaviour differs between the supported versions.
_VERSIONED = ("meshgrid", "broadcast_arrays", "expand_dims")

# Names a version of the standard added after 2025.12, with that version. Like
# array-api-strict, storax hides them from namespaces of older versions.
NEWER_NAMES = {"top_k": "2026.12"}


def newer_name(name: str, version: str) -> Any:
    """The function ``name`` of :data:`NEWER_NAMES` if ``version`` has it (else AttributeError)."""
    added = NEWER_NAMES.get(name)
    if added is None or version < added:
        raise AttributeError(
            f"module 'storax' has no attribute {name!r}"
            + ("" if added is None else f" at array API {version} (added in {added})")
        )
    from . import _searching_functions

    return getattr(_searching_functions, name)


class _PinnedNamespace(types.ModuleType):
    """storax as seen by a client that asked for one version of the standard."""

    def __init__(self, version: str) -> None:
        super().__init__(f"storax[{version}]")
        self.__array_api_version__ = version
        self._version = version

    def __getattr__(self, name: str) -> Any:
        if name == "__array_namespace_info__":
            from ._info import info_for_version

            info = info_for_version(self._version)
            return lambda: info
        if name in NEWER_NAMES:
            return newer_name(name, self._version)
        attr = getattr(sys.modules["storax"], name)
        if name in _VERSIONED:
            version = self._version

            @functools.wraps(attr)
            def pinned(*args: Any, **kwargs: Any) -> Any:
                with api_version(version):
                    return attr(*args, **kwargs)

            return pinned
        return attr


@functools.cache
def _pinned(version: str) -> _PinnedNamespace:
    return _PinnedNamespace(version)


def namespace_for_version(version: str | None) -> Any:
    """The namespace for ``version`` (None: the version storax behaves as now)."""
    if version is None or version == settings.api_version:
        return sys.modules["storax"]
    if version not in SUPPORTED_API_VERSIONS:
        raise ValueError(
            f"__array_namespace__: api_version {version!r} is not supported; "
            f"use one of {SUPPORTED_API_VERSIONS}"
        )
    return _pinned(version)
