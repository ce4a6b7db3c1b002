"""Storage: a flat typed buffer owned by a backend, with a version counter; no shape."""

from __future__ import annotations

import builtins
import operator
import threading
from typing import Any


class Storage:
    """A flat, one-dimensional buffer of elements of one dtype on one device.

    (A storage sharded over several devices keeps the shape it was sharded with; its
    elements are counted row-major over that shape, so it is still flat to its views.)

    Arrays are views of a storage: ``(shape, strides, offset)`` over it. A storage
    knows nothing of shapes; it counts the writes made through storax in ``version``.

    Writes are atomic per storage: every storax write reads the buffer, computes and
    rebinds it (or writes into it) while holding the storage's ``_lock``, and bumps
    ``version`` under it. Readers take the buffer (and the version) under the same lock
    (:meth:`_read`), so on a backend that donates buffers to its writes (JAX) no reader
    ever holds a donated buffer. The lock is re-entrant, so an in-place operation may
    read its own view while holding it; it is never held while taking another storage's
    lock (operands of other storages are read first), so two storages never deadlock.

    Examples
    --------
    >>> import storax as sx
    >>> points = sx.asarray([[4.0, 1.0], [5.0, 3.0], [2.0, 1.0]])
    >>> s = points.storage()
    >>> s[0], len(s)
    (4.0, 6)
    >>> s[0] = 2.0
    >>> points[0, 0].item()
    2.0
    """

    __slots__ = ("_buffer", "_backend", "_version", "_lock", "__weakref__")

    def __init__(self, buffer: Any, backend: Any, lock: Any = None) -> None:
        self._buffer = buffer
        self._backend = backend
        self._version = 0
        # ``lock``: a backend may share one lock among the Storage objects of one memory
        # (the NumPy backend stripes its locks by memory, see _backends/_numpy.py).
        self._lock: Any = threading.RLock() if lock is None else lock

    def _read(self) -> Any:
        """The buffer, taken under the lock: a writer never donates a buffer while a
        caller holds it (the reference it holds makes the writer copy instead)."""
        with self._lock:
            return self._buffer

    @property
    def dtype(self) -> Any:
        """The dtype of the elements."""
        return self._buffer.dtype

    @property
    def device(self) -> Any:
        """The device the storage lives on."""
        return self._backend.device_of(self._buffer)

    @property
    def version(self) -> int:
        """Number of writes made through storax into this storage."""
        return self._version

    def size(self) -> int:
        """Number of elements."""
        return int(self._buffer.size)

    @property
    def nbytes(self) -> int:
        """Size in bytes."""
        return self.size() * self._buffer.dtype.itemsize

    def element_size(self) -> int:
        """Bytes per element."""
        return int(self._buffer.dtype.itemsize)

    def data_ptr(self) -> int:
        """Address of the first element (for identity checks, as ``torch``'s)."""
        return int(self._backend.data_ptr(self._read()))

    def __len__(self) -> int:
        return self.size()

    def _check_index(self, index: object, func: str) -> int | slice:
        if isinstance(index, slice):
            return index
        if isinstance(index, builtins.bool):
            raise TypeError(f"Storage.{func}: expected an integer index, got bool")
        try:
            i = operator.index(index)  # type: ignore[arg-type]
        except TypeError:
            raise TypeError(
                f"Storage.{func}: expected an integer or a slice, got {type(index).__name__}"
            ) from None
        n = self.size()
        if not -n <= i < n:
            raise IndexError(f"Storage.{func}: index {i} is out of range for size {n}")
        return i + n if i < 0 else i

    def __getitem__(self, index: object) -> Any:
        i = self._check_index(index, "__getitem__")
        return self._backend.tolist(self._read().reshape(-1)[i])

    def __setitem__(self, index: object, value: object) -> None:
        i = self._check_index(index, "__setitem__")
        self._backend.storage_setitem(self, i, value)

    def __iter__(self) -> Any:
        return iter(self.tolist())

    def tolist(self) -> list[Any]:
        """The elements as a list of Python scalars."""
        return list(self._backend.tolist(self._read().reshape(-1)))

    def __repr__(self) -> str:
        items = self._backend.format_elements(self._read())
        lines = [f" {s}" for s in items]
        lines.append(
            f"[storax.Storage(dtype={self.dtype}, device={self.device}) of size {self.size()}]"
        )
        return "\n".join(lines)
