"""Device objects: where a storage lives (``cpu`` for NumPy, ``jax:<platform>:<id>`` for JAX,
``torch:cpu``, ``torch:cuda:<id>``, ``torch:mps`` for torch)."""

from __future__ import annotations

import enum


class Device:
    """A device an array lives on.

    ``Device("cpu")`` is the NumPy backend's device; JAX devices are named
    ``"jax:cpu:0"``, ``"jax:gpu:0"``, ...; torch devices ``"torch:cpu"``,
    ``"torch:cuda:0"``, ``"torch:mps"``. Devices compare equal to their names.

    Examples
    --------
    >>> from storax import Device
    >>> Device("cpu") == "cpu"
    True
    """

    __slots__ = ("name", "backend")

    def __init__(self, name: str) -> None:
        if not isinstance(name, str):
            raise TypeError(f"Device: expected a device name, got {type(name).__name__}")
        self.name = name
        prefix = name.partition(":")[0]
        self.backend = prefix if prefix in ("jax", "torch") and ":" in name else "numpy"
        if self.backend == "numpy" and name != "cpu":
            raise ValueError(
                f"Device: unknown device {name!r}; 'cpu', 'jax:<platform>:<id>' or "
                "'torch:<type>[:<id>]'"
            )

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Device):
            return self.name == other.name
        if isinstance(other, str):
            return self.name == other
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self.name)

    def __repr__(self) -> str:
        return f"Device({self.name!r})"

    def __str__(self) -> str:
        return self.name


CPU = Device("cpu")


class DLDeviceType(enum.IntEnum):
    """DLPack device types (``DLDeviceType`` in ``dlpack.h``), as ``__dlpack_device__`` returns."""

    kDLCPU = 1
    kDLCUDA = 2
    kDLCUDAHost = 3
    kDLOpenCL = 4
    kDLVulkan = 7
    kDLMetal = 8
    kDLVPI = 9
    kDLROCM = 10
    kDLROCMHost = 11
    kDLExtDev = 12
    kDLCUDAManaged = 13
    kDLOneAPI = 14
    kDLWebGPU = 15
    kDLHexagon = 16


def as_device(device: object, func: str) -> Device | None:
    """Validate a ``device=`` argument (a Device, its name, or None)."""
    if device is None or isinstance(device, Device):
        return device
    if isinstance(device, str):
        try:
            return Device(device)
        except ValueError as e:
            raise ValueError(f"{func}: {e}") from None
    raise TypeError(f"{func}: expected a storax Device or a device name, got {device!r}")
