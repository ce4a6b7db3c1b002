"""The composition step: wires each backend's Array family (operators, flags) once the
namespace chapters exist; later backends are wired when they load."""

from __future__ import annotations

from typing import Any

from . import _backends, _numpy_protocols
from . import _elementwise_functions as _ew
from ._array_object import Array


def _compose(backend: Any) -> None:
    cls = backend.Array
    if cls.__dict__.get("_composed"):
        return
    backend.install_operators(cls, _ew)
    cls._one_device = backend.caps.single_device
    cls._live_views = backend.caps.live_views
    cls._composed = True


# NumPy's protocols (NEP 13, NEP 18) are the base's: written once for every family.
_numpy_protocols.install(Array)
_backends.on_load(_compose)
