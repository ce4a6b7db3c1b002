"""Helpers shared by storax's serializers: errors, dtypes, storages built from loaded bytes."""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from collections.abc import Iterator
from typing import Any

import numpy as np

from storax._array_object import Array
from storax._backends import check_supported, current, load
from storax._backends import host as host_backend
from storax._backends import wrap as _wrap
from storax._core._layout import Layout, contiguous_strides
from storax._core._storage import Storage
from storax._device import Device

__all__ = ["FormatError"]


class FormatError(ValueError):
    """A file is not a valid storax (or adapter-format) file: truncated, corrupt or hostile.

    Every problem found while loading a file raises this one exception type, whose message
    says what is wrong. It is a :class:`ValueError`, so ``except ValueError`` catches it.

    Examples
    --------
    >>> import io, storax as sx
    >>> try:
    ...     sx.load(io.BytesIO(b"not a storax file"))
    ... except sx.io.FormatError as e:
    ...     print(e)
    load: not a storax file (the first 8 bytes are not the storax magic)
    """


#: The dtypes a storax file may hold, by the names used in the file (the array API's 13).
DTYPE_NAMES = (
    "bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
    "float32", "float64", "complex64", "complex128",
)  # fmt: skip

#: name -> little-endian NumPy dtype (the byte order of the files).
LE_DTYPES = {name: np.dtype(name).newbyteorder("<") for name in DTYPE_NAMES}

#: Largest byte count NumPy can address (``intp``).
MAX_BYTES = 2**63 - 1


def dtype_name(dtype: Any, func: str) -> str:
    """The file name of ``dtype``, or TypeError if it is not one of the 13 standard ones."""
    d = np.dtype(dtype)
    name = d.name
    if name not in LE_DTYPES or d.kind not in "biufc":
        raise TypeError(f"{func}: cannot save arrays of dtype {d}")
    return name


def little_endian(values: Any) -> Any:
    """``values`` (a NumPy array) with little-endian byte order (a copy only if needed)."""
    d = values.dtype
    if d.byteorder == ">" or (d.byteorder == "=" and sys.byteorder == "big"):
        return values.astype(d.newbyteorder("<"))
    return values


def native(values: Any) -> Any:
    """``values`` (a NumPy array) in native byte order (a copy only on big-endian hosts)."""
    if not values.dtype.isnative:
        return values.astype(values.dtype.newbyteorder("="))
    return values


def new_storage(root: Any) -> Storage:
    """The host Storage of ``root``, a 1-D contiguous ndarray that owns (or maps) its memory.

    Views made with :func:`view_of` over ``root`` all report this Storage.
    """
    return host_backend.adopt(root)


def view_of(root: Any, shape: tuple[int, ...], strides: tuple[int, ...], offset: int) -> Array:
    """An Array viewing ``root`` (see :func:`new_storage`) with element strides and offset.

    The caller has checked that the view stays inside ``root``. Views that may overlap
    themselves (stride 0, as ``broadcast_to``) are read-only, as NumPy's broadcast views.
    """
    return device_view(new_storage(root), root.dtype, shape, strides, offset)


def np_buffer(storage: Storage) -> Any:
    """The storage's flat buffer as a NumPy array (no copy on the NumPy backend; a
    sharded storage's elements, row-major over its storage shape)."""
    return storage._backend.to_host(storage._read()).reshape(-1)  # never a donated buffer


def host(x: Array) -> Any:
    """``x``'s values as a NumPy array (``x._value`` itself on NumPy, a host copy on JAX)."""
    return type(x)._backend.to_host(x._value)


def load_backend() -> Any:
    """The backend loaded arrays go to: None for the host backend (NumPy, the default; its
    arrays view the loaded memory), else its module."""
    b = current()
    return None if b.caps.host_native else b


def device_storage(
    root: Any, backend: Any, device: Device | None = None, func: str = "load"
) -> Storage:
    """A new Storage of ``backend`` (not the host's) holding a copy of ``root`` (1-D).

    A dtype the device does not hold (float64 on JAX without 64-bit types) is a TypeError
    naming ``func``: loading never changes a dtype.
    """
    check_supported(root.dtype, backend, device, func)
    return backend.allocate(backend.from_host(root, device))


def device_view(
    storage: Storage | None,
    dtype: Any,
    shape: tuple[int, ...],
    strides: tuple[int, ...],
    offset: int,
    readonly: bool = False,
    device: Device | None = None,
) -> Array:
    """An Array viewing a storage made by :func:`device_storage` (storage None: empty).

    As :func:`view_of`: views that may overlap themselves are read-only.
    """
    if storage is None or 0 in shape:
        if storage is not None:
            b = storage._backend
        elif device is not None:
            b = load(device.backend, "load")
        else:
            b = current()
        if device is None and storage is not None:
            device = storage.device
        empty = np.empty(shape, dtype=dtype)
        try:
            return _wrap(b.from_host(empty, device))
        except ValueError:  # a sharding that does not fit an empty shape
            return _wrap(b.from_host(empty, None))
    layout = Layout(shape, strides, offset)
    return storage._backend.view_of(storage, layout, readonly or layout.overlaps_self())


def to_current(value: Any, readonly: bool = False) -> Array:
    """A loaded ndarray as an array of the current default backend (a copy unless NumPy).

    ``readonly`` only matters off NumPy (NumPy arrays carry their own writeable flag).
    """
    b = load_backend()
    if b is None:
        return _wrap(value)
    shape = tuple(value.shape)
    if value.size == 0:
        return device_view(None, value.dtype, shape, (0,) * len(shape), 0)
    st = device_storage(np.ascontiguousarray(value).reshape(-1), b)
    return device_view(st, value.dtype, shape, contiguous_strides(shape), 0, readonly)


def is_path(file: Any) -> bool:
    return isinstance(file, str | os.PathLike)


def _default_mode() -> int:
    """``0o666`` minus the process umask (what ``open(path, "w")`` would create)."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("Umask:"):
                    return 0o666 & ~int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)  # Note: not thread-safe, only used where /proc is missing.
    os.umask(mask)
    return 0o666 & ~mask


@contextlib.contextmanager
def atomic_path(path: Any) -> Iterator[str]:
    """Yield a temporary path beside ``path``; on success fsync it and rename it onto ``path``.

    If the body raises, the temporary file is removed and ``path`` is left untouched.
    """
    target = os.fspath(path)
    directory = os.path.dirname(os.path.abspath(target))
    fd, tmp = tempfile.mkstemp(
        dir=directory, prefix="." + os.path.basename(target) + ".", suffix=".tmp"
    )
    os.close(fd)
    try:
        yield tmp
        with open(tmp, "rb+") as f:
            os.fsync(f.fileno())
        try:
            mode = os.stat(target).st_mode & 0o7777
        except OSError:
            mode = _default_mode()
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    with contextlib.suppress(OSError):  # make the rename itself durable (POSIX)
        dfd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)


def check_array(x: Any, func: str) -> Array:
    if not isinstance(x, Array):
        raise TypeError(f"{func}: expected a storax Array, got {type(x).__name__}")
    return x


def c_contiguous(values: Any) -> Any:
    """``values`` as a C-contiguous ndarray of the same shape (0-d stays 0-d)."""
    # Note: np.ascontiguousarray turns 0-d arrays into 1-d ones.
    return values if values.flags.c_contiguous else values.copy(order="C")
