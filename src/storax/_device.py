"""Device objects: where a storage lives (``cpu`` for NumPy, ``jax:<platform>:<id>`` for JAX)."""

from __future__ import annotations

import enum
from collections.abc import Callable


class Device:
    """A device an array lives on.

    ``Device("cpu")`` is the NumPy backend's device; JAX devices are named
    ``"jax:cpu:0"``, ``"jax:gpu:0"``, ... Devices compare equal to their names.

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
        self.backend = "jax" if name.startswith("jax:") else "numpy"
        if self.backend == "numpy" and name != "cpu":
            raise ValueError(f"Device: unknown device {name!r}; 'cpu' or 'jax:<platform>:<id>'")

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


# Resolves PyTorch's spellings ``"cuda"`` and ``"cuda:N"`` to a storax Device; set by the
# backend registry (storax._backends), which knows the installed backends' device lists.
_cuda_resolver: Callable[[int, str], Device] | None = None


def set_cuda_resolver(resolver: Callable[[int, str], Device]) -> None:
    """Install the function that maps ``cuda:N`` to a device (called by the registry)."""
    global _cuda_resolver
    _cuda_resolver = resolver


def _cuda_index(name: str, func: str) -> int | None:
    """N for ``"cuda"`` (0) and ``"cuda:N"``; None for other names."""
    if name == "cuda":
        return 0
    head, sep, tail = name.partition(":")
    if head != "cuda" or not sep:
        return None
    if not tail.isdigit():
        raise ValueError(f"{func}: invalid CUDA device {name!r}; 'cuda' or 'cuda:<index>'")
    return int(tail)


def as_device(device: object, func: str) -> Device | None:
    """Validate a ``device=`` argument (a Device, its name, or None).

    PyTorch's ``"cuda"`` and ``"cuda:N"`` name the N-th GPU of the current backend (see
    ``storax._backends.cuda_device``).
    """
    if device is None or isinstance(device, Device):
        return device
    if isinstance(device, str):
        index = _cuda_index(device, func)
        if index is not None and _cuda_resolver is not None:
            return _cuda_resolver(index, func)
        try:
            return Device(device)
        except ValueError as e:
            raise ValueError(f"{func}: {e}") from None
    raise TypeError(f"{func}: expected a storax Device or a device name, got {device!r}")
