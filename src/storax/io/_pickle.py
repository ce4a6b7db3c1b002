"""Pickling of arrays and storages: an Array pickles as (Storage, shape, strides, offset).

The Storage pickles as its flat NumPy buffer (a host copy off the NumPy backend, with the
backend's name and the device, where it unpickles; a sharded storage with its storage
shape, onto its sharding where the unpickling process knows it, else the default device),
so protocol 5 sends it out of band when the caller asks (``buffer_callback``), and
pickle's memo sends a storage shared by several arrays of one pickle once: they
unpickle as views of one storage.
"""

from __future__ import annotations

import copyreg
from typing import Any

import numpy as np

from storax._backends import check_supported
from storax._backends import load as _load_backend
from storax._backends import wrap as _wrap
from storax._core._storage import Storage
from storax._device import Device
from storax._names import attach, plain

from ._common import device_storage, device_view, native, new_storage, view_of


def _rebuild_storage(buffer: Any) -> Storage:
    return new_storage(buffer)


def _rebuild_device_storage(backend: str, buffer: Any, device: str) -> Storage:
    b = _load_backend(backend, "pickle.loads")
    # A sharded storage pickles with its storage shape; it unpickles onto its placement
    # where this process knows it (the same mesh), else onto the default device.
    values = native(np.asarray(buffer))
    d: Device | None = Device(device)
    try:
        b.native_device(d)
    except ValueError:
        d = None
    if d is None:
        values = values.reshape(-1)
    return device_storage(values, b, d, "pickle.loads")


def _reduce_storage(storage: Storage) -> Any:
    b = storage._backend
    if b.caps.host_native:
        return (_rebuild_storage, (np.ascontiguousarray(np.asarray(storage._buffer)),))
    host = b.to_host(storage._read())  # never a buffer a concurrent write donates
    return (_rebuild_device_storage, (b.name, host, storage.device.name))


copyreg.pickle(Storage, _reduce_storage)


def _rebuild(storage: Storage, shape: Any, strides: Any, offset: int) -> Any:
    return device_view(storage, storage.dtype, tuple(shape), tuple(strides), offset)


def _rebuild_named(x: Any, names: Any) -> Any:
    return attach(x, tuple(names))


def array_reduce(x: Any, protocol: int) -> Any:
    if x._names is not None:  # a named array: its unnamed view, and the names
        return (_rebuild_named, (plain(x), x._names))
    lay = x.layout()
    if lay.size == 0:
        b = x._backend
        if b.caps.host_native:
            return (_rebuild_empty, (x.dtype.str, lay.shape))
        return (_rebuild_empty, (x.dtype.str, lay.shape, b.name, x.device.name))
    return (_rebuild, (x.storage(), lay.shape, lay.strides, lay.offset))


def _rebuild_empty(dtype: str, shape: Any, backend: str = "numpy", device: str = "cpu") -> Any:
    value = np.empty(tuple(shape), dtype=np.dtype(dtype))
    if backend == "numpy":
        return view_of(np.empty(0, dtype=value.dtype), value.shape, (0,) * value.ndim, 0)
    b = _load_backend(backend, "pickle.loads")
    check_supported(value.dtype, b, Device(device), "pickle.loads")
    return _wrap(b.from_host(value, Device(device)))


def array_getstate(x: Any) -> Any:
    lay = x.layout()
    return {"storage": x.storage(), "shape": lay.shape, "strides": lay.strides,
            "offset": lay.offset}  # fmt: skip


def array_setstate(x: Any, state: Any) -> None:
    x._value = _rebuild(state["storage"], state["shape"], state["strides"], state["offset"])._value
