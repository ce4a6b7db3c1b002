"""Device objects: where a storage lives (``cpu`` for NumPy, ``jax:<platform>:<id>`` for JAX,
``torch:cpu``, ``torch:cuda:<id>``, ``torch:mps`` for torch)."""

from __future__ import annotations

import enum
from collections.abc import Callable

# The single devices a multi-device placement spans, by placement name (backends register
# them): arrays whose placements span the same devices may meet in one operation.
_SPANS: dict[str, frozenset[str]] = {}
# Converters of backend objects given as ``device=`` (a jax Sharding...) into Devices.
_NATIVE: list[Callable[[object], Device | None]] = []


def register_span(name: str, span: frozenset[str]) -> None:
    """Record that the placement ``name`` spans the single devices ``span``."""
    _SPANS[name] = span


# Called with an unrecognised ``device=`` object to load the backend it may belong to.
_LOADERS: list[Callable[[object], bool]] = []


def register_loader(loader: Callable[[object], bool]) -> None:
    """``loader(obj)`` loads the backend that owns ``obj`` (True if it loaded one)."""
    _LOADERS.append(loader)


def register_native(convert: Callable[[object], Device | None]) -> None:
    """Let ``device=`` accept the objects ``convert`` turns into Devices (else None)."""
    _NATIVE.append(convert)


class Device:
    """A device an array lives on.

    ``Device("cpu")`` is the NumPy backend's device; JAX devices are named
    ``"jax:cpu:0"``, ``"jax:gpu:0"``, ...; torch devices ``"torch:cpu"``,
    ``"torch:cuda:0"``, ``"torch:mps"``. Devices compare equal to their names.

    A placement over several devices (a ``jax.sharding.Sharding`` given as ``device=``)
    is a Device too, named after its devices and layout
    (``jax:cpu:[0,1,2,3]:mesh(x=4):P(x)``); ``span`` is the set of single devices it
    covers (for a single device: its own name).

    Examples
    --------
    >>> from storax import Device
    >>> Device("cpu") == "cpu"
    True
    """

    __slots__ = ("name", "backend", "span", "native")

    def __init__(self, name: str, native: object = None) -> None:
        if not isinstance(name, str):
            raise TypeError(f"Device: expected a device name, got {type(name).__name__}")
        self.name = name
        prefix = name.partition(":")[0]
        self.backend = prefix if prefix in ("jax", "torch") and ":" in name else "numpy"
        self.span = _SPANS.get(name) or frozenset((name,))
        # the backend's own placement object this Device was made from (a jax Sharding)
        self.native = native
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
    """Validate a ``device=`` argument (a Device, its name, a backend's own placement
    object such as a ``jax.sharding.Sharding``, or None).

    PyTorch's ``"cuda"`` and ``"cuda:N"`` name the N-th GPU of the current backend (see
    ``storax._backends.cuda_device``).
    """
    if device is None or isinstance(device, Device):
        return device
    if any(loader(device) for loader in _LOADERS) or _NATIVE:
        for convert in _NATIVE:
            found = convert(device)
            if found is not None:
                return found
    if isinstance(device, str):
        index = _cuda_index(device, func)
        if index is not None and _cuda_resolver is not None:
            return _cuda_resolver(index, func)
        try:
            return Device(device)
        except ValueError as e:
            raise ValueError(f"{func}: {e}") from None
    raise TypeError(
        f"{func}: expected a storax Device, a device name or a sharding, got {device!r}"
    )
