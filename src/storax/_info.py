"""Inspection API: ``__array_namespace_info__()`` (spec chapter "Inspection")."""

from __future__ import annotations

from typing import Any

from . import _dtypes
from ._backends import backend_for_device, default_device, devices
from ._config import settings
from ._device import Device, as_device
from ._device_dtypes import default_complex, default_float, index_dtype

__all__ = ["__array_namespace_info__"]

_KIND_NAMES = {
    "bool": ("bool",),
    "signed integer": ("int8", "int16", "int32", "int64"),
    "unsigned integer": ("uint8", "uint16", "uint32", "uint64"),
    "integral": ("int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64"),
    "real floating": ("float32", "float64"),
    "complex floating": ("complex64", "complex128"),
    "numeric": (
        "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
        "float32", "float64", "complex64", "complex128",
    ),
}  # fmt: skip


class Info:
    """The object ``storax.__array_namespace_info__()`` returns.

    ``api_version`` pins the version of the standard its answers follow (None: the version
    storax behaves as when a method is called).
    """

    __module__ = "storax"
    __slots__ = ("_api_version",)

    def __init__(self, api_version: str | None = None) -> None:
        self._api_version = api_version

    def __repr__(self) -> str:
        v = self._api_version or settings.api_version
        return f"<storax.__array_namespace_info__() for the array API {v}>"

    def capabilities(self) -> dict[str, Any]:
        """https://data-apis.org/array-api/latest/API_specification/generated/array_api.info.capabilities.html"""
        return {"boolean indexing": True, "data-dependent shapes": True, "max dimensions": 64}

    def default_device(self) -> Device:
        """https://data-apis.org/array-api/latest/API_specification/generated/array_api.info.default_device.html"""
        return default_device()

    def _device(self, device: Any) -> Any:
        if device is None:
            return backend_for_device(None, "info")
        return backend_for_device(as_device(device, "__array_namespace_info__"), "info")

    def default_dtypes(self, *, device: Any = None) -> dict[str, Any]:
        """https://data-apis.org/array-api/latest/API_specification/generated/array_api.info.default_dtypes.html"""
        backend = self._device(device)
        # (per device: torch's MPS has no float64, so its defaults are float32/complex64)
        dev = None if device is None else as_device(device, "__array_namespace_info__")
        return {
            "real floating": default_float(backend, dev),
            "complex floating": default_complex(backend, dev),
            "integral": index_dtype(backend),
            "indexing": index_dtype(backend),
        }

    def dtypes(self, *, device: Any = None, kind: Any = None) -> dict[str, Any]:
        """https://data-apis.org/array-api/latest/API_specification/generated/array_api.info.dtypes.html"""
        backend = self._device(device)
        if kind is None:
            names: tuple[str, ...] = ("bool",) + _KIND_NAMES["numeric"]
        elif isinstance(kind, str):
            if kind not in _KIND_NAMES:
                raise ValueError(f"dtypes: unknown kind {kind!r}")
            names = _KIND_NAMES[kind]
        elif isinstance(kind, tuple):
            seen: dict[str, None] = {}
            for k in kind:
                for n in self.dtypes(device=device, kind=k):
                    seen[n] = None
            names = tuple(seen)
        else:
            raise TypeError(f"dtypes: kind must be a str or a tuple of str, got {kind!r}")
        # Note: exactly what the device holds (32-bit types only on JAX with STORAX_JAX_X64=0,
        # no float64/complex128 on torch's MPS).
        dev = None if device is None else as_device(device, "__array_namespace_info__")
        supported = backend.device_dtypes(dev)
        return {n: getattr(_dtypes, n) for n in names if getattr(_dtypes, n) in supported}

    def devices(self) -> Any:
        """https://data-apis.org/array-api/latest/API_specification/generated/array_api.info.devices.html

        The single devices: ``cpu`` (NumPy) and every JAX device (``jax:cpu:0``, ...).

        Note: shardings. Where the backend can shard (``jax``), ``device=`` also accepts a
        ``jax.sharding.Sharding`` (or a ``jax.Device``). An array laid out over several
        devices has a placement Device named after its devices and layout, e.g.
        ``jax:cpu:[0,1,2,3]:mesh(x=2,y=2):P(x,None)``: equal for equal shardings, accepted
        back by ``device=``, and not listed here (there are as many as shardings).
        ``x.sharding`` gives the Sharding itself; ``Device.span`` is the set of single
        devices a placement covers. Arrays whose placements span the same devices may meet
        in an operation (JAX moves the data); others raise the different-devices error.
        """
        devs = devices()
        # Note: 2024.12 returns a list, 2025.12 a tuple.
        version = self._api_version or settings.api_version
        return devs if version == "2024.12" else tuple(devs)


_INFO = Info()


def info_for_version(version: str) -> Info:
    """The inspection object of a namespace pinned to ``version``."""
    return Info(version)


def __array_namespace_info__() -> Info:
    """https://data-apis.org/array-api/latest/API_specification/generated/array_api.__array_namespace_info__.html"""
    return _INFO
