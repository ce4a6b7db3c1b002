"""Backend registry: which backend a new array goes to, and moves between backends.

Only the modules in this package import NumPy or JAX for computation. A backend module
provides buffer allocation, ``materialise(storage, layout)``, writes, device handling and
``xp``, a compliant compute namespace for its buffers.
"""

from __future__ import annotations

from typing import Any

from .._device import Device
from . import _numpy

BACKENDS = ("numpy",)


def current() -> Any:
    """The backend module that creation functions allocate on."""
    return _numpy


def backend_for_device(device: Device | None, func: str) -> Any:
    """The backend module that owns ``device`` (None: the current default)."""
    if device is None or device.backend == "numpy":
        return _numpy
    raise ValueError(
        f"{func}: device {device} belongs to the '{device.backend}' backend, "
        f"which this build of storax does not provide (available: {', '.join(BACKENDS)})"
    )


def move_to_device(x: Any, device: Device) -> Any:
    """Copy an array onto ``device``."""
    backend_for_device(device, "to_device")
    return x


def check_same_device(value: Any, other: Any, func: str) -> None:
    """Raise ValueError naming both devices when an operation mixes them."""
    d = getattr(other, "device", None)
    raise ValueError(f"{func}: arrays are on different devices (cpu and {d})")
