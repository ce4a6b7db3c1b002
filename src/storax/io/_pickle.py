"""Pickling of arrays and storages: a view ships its own elements, not its whole storage.

An Array pickles as a *piece* of its storage (the elements its extent covers that the
same pickle has not carried yet) and its layout. Views of one storage pickled together
(one ``pickle.dumps`` call, one ``Pickler.dump``) share one storage object in the pickle
(pickle's memo), so the pickle carries the union of their extents once, and they unpickle
as views of one storage holding exactly that union, as :func:`storax.save` does. Pieces
are NumPy arrays, so protocol 5 sends them out of band when the caller asks
(``buffer_callback``: zero-copy frames for ``multiprocessing`` and ``distributed``).

A Storage pickled itself carries all of it. A sharded storage (one that keeps a storage
shape) pickles whole with that shape, onto its sharding where the unpickling process
knows it, else the default device.
"""

from __future__ import annotations

import copyreg
import operator
import pickle
import sys
import threading
import weakref
from typing import Any

import numpy as np

from storax._backends import check_supported
from storax._backends import load as _load_backend
from storax._backends import wrap as _wrap
from storax._core._storage import Storage
from storax._device import Device
from storax._names import attach, plain

from ._common import device_storage, device_view, host, native, new_storage, view_of


# ------------------------------------------------------------------ whole storages
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


def _whole(storage: Storage) -> Any:
    b = storage._backend
    if b.caps.host_native:
        return (_rebuild_storage, (np.ascontiguousarray(np.asarray(storage._buffer)),))
    host_values = b.to_host(storage._read())  # never a buffer a concurrent write donates
    return (_rebuild_device_storage, (b.name, host_values, storage.device.name))


def _is_sharded(storage: Storage) -> bool:
    return len(getattr(storage._buffer, "shape", (0,))) != 1


def _reduce_storage(storage: Storage) -> Any:
    if _is_sharded(storage) or storage.size() == 0:
        return _whole(storage)
    p = _pending(storage, sys._getframe(1))
    spans = p.claim(0, storage.size() - 1)
    return (_storage_of, (p, _pieces(storage, spans, -1)))


copyreg.pickle(Storage, _reduce_storage)


# ---------------------------------------------------------------- the sending side
class _Pending:
    """What one pickle carries of one storage: the spans of elements claimed by its views.

    One exists per (storage, pickling call): it is keyed by the Python frame that called
    ``pickle.dumps`` / ``Pickler.dump`` (the C pickler runs no frame of its own; the
    pure-Python pickler, joblib's, is keyed by itself), and lives while that pickler's
    memo holds it. The pickler saves it once, at its first use (right after the first
    view's reduction): it then carries every span claimed so far, and each later view
    carries the part of its extent not claimed before it. A pickler that saves it again
    (a later pickle that found it alive) gets every claimed span again, so no pickle ever
    relies on elements another one carried.
    """

    __slots__ = ("storage", "frame", "spans", "saved", "__weakref__")

    def __init__(self, storage: Storage, frame: Any) -> None:
        self.storage = storage
        self.frame = frame  # kept alive, so its id is not reused while this entry lives
        self.spans: list[tuple[int, int]] = []
        self.saved = False

    def claim(self, lo: int, hi: int) -> list[tuple[int, int]]:
        """The sub-spans of ``[lo, hi]`` a view must carry itself (now claimed): none
        until this pending storage has been saved, which carries what was claimed."""
        missing = []
        start = lo
        for a, b in self.spans:
            if b < start or a > hi:
                continue
            if a > start:
                missing.append((start, a - 1))
            start = max(start, b + 1)
        if start <= hi:
            missing.append((start, hi))
        self.spans = _merged([*self.spans, *missing])
        return missing if self.saved else []

    def __reduce_ex__(self, protocol: Any) -> Any:
        st = self.storage
        b = st._backend
        device = None if b.caps.host_native else st.device.name
        self.saved = True
        pieces = _pieces(st, self.spans, operator.index(protocol))
        return (_assembly, (b.name, device, st.dtype.str, pieces))


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for a, b in sorted(spans):
        if out and a <= out[-1][1] + 1:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


_PENDING: weakref.WeakValueDictionary[tuple[int, int], _Pending] = weakref.WeakValueDictionary()
_PENDING_LOCK = threading.Lock()


_PY_SAVE = pickle._Pickler.save.__code__  # type: ignore[attr-defined]


def _pending(storage: Storage, frame: Any) -> _Pending:
    if frame.f_code is _PY_SAVE:  # the pure-Python pickler (joblib's): the pickler itself
        frame = frame.f_locals.get("self", frame)
    key = (id(storage), id(frame))
    with _PENDING_LOCK:
        p = _PENDING.get(key)
        if p is None or p.storage is not storage or p.frame is not frame:
            p = _PENDING[key] = _Pending(storage, frame)
        return p


def _segment(storage: Storage, a: int, b: int) -> Any:
    """Storage elements ``a..b`` as a contiguous NumPy array (a view of the memory on the
    host backend; a host copy of just those elements elsewhere)."""
    seg = host(device_view(storage, storage.dtype, (b - a + 1,), (1,), a))
    return np.ascontiguousarray(seg)


def _pieces(storage: Storage, spans: Any, protocol: int) -> tuple[Any, ...]:
    """``(start, elements)`` of each span: raw bytes (out of band under protocol 5, a
    piece costing its bytes and a few more), a NumPy array for a copyreg reduction."""
    return tuple((a, _raw(_segment(storage, a, b), protocol)) for a, b in spans)


def _raw(values: Any, protocol: int) -> Any:
    if protocol < 0:  # copyreg reductions do not know the protocol: NumPy's own pickling
        return values
    if protocol >= 5:
        return pickle.PickleBuffer(values.view(np.uint8))
    return values.tobytes()


# -------------------------------------------------------------- the receiving side
class _Assembly:
    """The storage an unpickled group of views shares, grown as their pieces arrive."""

    def __init__(self, backend: str, device: str | None, dtype: str) -> None:
        self.backend = backend
        self.device = device
        self.dtype = np.dtype(dtype)
        self.lo = 0
        self.values: Any = None  # host values of storage elements lo.. (the union so far)
        self.storage: Storage | None = None
        self.views: list[tuple[Any, tuple[Any, ...]]] = []  # (array, (shape, strides, offset))

    def add(self, pieces: Any) -> Storage | None:
        """Take ``pieces`` ((start, values) in original storage indices); the storage."""
        pieces = [(int(a), self._values_of(v)) for a, v in pieces]
        if not pieces:
            return self.storage
        lo = min(a for a, _ in pieces)
        hi = max(a + v.size for a, v in pieces)
        grow = self.values is None or lo < self.lo or hi > self.lo + self.values.size
        if grow:
            if self.values is not None:
                lo, hi = min(lo, self.lo), max(hi, self.lo + self.values.size)
            values = np.empty(hi - lo, dtype=self.dtype)
            if self.values is not None:
                values[self.lo - lo : self.lo - lo + self.values.size] = self.values
            self.lo, self.values = lo, values
        for a, v in pieces:
            self.values[a - self.lo : a - self.lo + v.size] = v
        if grow or self.backend != "numpy":
            self._restore()
        return self.storage

    def _values_of(self, piece: Any) -> Any:
        """A piece's elements: an ndarray (a Storage's), or raw bytes of ``self.dtype``."""
        if not isinstance(piece, np.ndarray):
            piece = np.frombuffer(piece, dtype=self.dtype)
        return native(piece).reshape(-1)

    def _restore(self) -> None:
        """A new storage of the values; views already handed out move onto it."""
        if self.backend == "numpy":
            self.storage = new_storage(self.values)
        else:
            b = _load_backend(self.backend, "pickle.loads")
            d: Device | None = None if self.device is None else Device(self.device)
            try:
                if d is not None:
                    b.native_device(d)
            except ValueError:
                d = None
            self.storage = device_storage(self.values, b, d)
        for x, lay in self.views:
            _become(x, self._view(*lay))

    def _view(self, shape: Any, strides: Any, offset: int) -> Any:
        return device_view(self.storage, self.dtype, shape, strides, offset - self.lo)

    def view(self, pieces: Any, shape: Any, strides: Any, offset: int) -> Any:
        self.add(pieces)
        lay = (tuple(shape), tuple(strides), int(offset))
        x = self._view(*lay)
        self.views.append((x, lay))
        return x


def _assembly(backend: str, device: str | None, dtype: str, pieces: Any) -> _Assembly:
    a = _Assembly(backend, device, dtype)
    a.add(pieces)
    return a


def _become(x: Any, y: Any) -> None:
    """Make the already unpickled view ``x`` the view ``y`` (same family): every slot."""
    for cls in type(y).__mro__:
        for slot in cls.__dict__.get("__slots__", ()):
            if slot != "__weakref__" and hasattr(y, slot):
                object.__setattr__(x, slot, getattr(y, slot))


def _storage_of(assembly: Any, pieces: Any) -> Storage:
    if isinstance(assembly, _Pending):  # copy.copy: the storage itself
        return assembly.storage
    storage = assembly.add(pieces)
    assert storage is not None
    return storage


def _rebuild_view(assembly: Any, pieces: Any, shape: Any, strides: Any, offset: int) -> Any:
    if isinstance(assembly, _Pending):  # copy.copy: a view of the same storage
        return device_view(assembly.storage, assembly.storage.dtype, tuple(shape),
                           tuple(strides), offset)  # fmt: skip
    return assembly.view(pieces, shape, strides, offset)


# ---------------------------------------------------------------------- arrays
def _rebuild(storage: Storage, shape: Any, strides: Any, offset: int) -> Any:
    return device_view(storage, storage.dtype, tuple(shape), tuple(strides), offset)


def _rebuild_named(x: Any, names: Any) -> Any:
    return attach(x, tuple(names))


def array_reduce(x: Any, protocol: int, frame: Any = None) -> Any:
    if x._names is not None:  # a named array: its unnamed view, and the names
        return (_rebuild_named, (plain(x), x._names))
    lay = x.layout()
    if lay.size == 0:
        b = x._backend
        if b.caps.host_native:
            return (_rebuild_empty, (x.dtype.str, lay.shape))
        return (_rebuild_empty, (x.dtype.str, lay.shape, b.name, x.device.name))
    st = x.storage()
    if _is_sharded(st):
        return (_rebuild, (st, lay.shape, lay.strides, lay.offset))
    p = _pending(st, frame if frame is not None else sys._getframe(1))
    pieces = _pieces(st, p.claim(*lay.extent()), protocol)
    return (_rebuild_view, (p, pieces, lay.shape, lay.strides, lay.offset))


def _rebuild_empty(dtype: str, shape: Any, backend: str = "numpy", device: str = "cpu") -> Any:
    value = np.empty(tuple(shape), dtype=np.dtype(dtype))
    if backend == "numpy":
        return view_of(np.empty(0, dtype=value.dtype), value.shape, (0,) * value.ndim, 0)
    b = _load_backend(backend, "pickle.loads")
    check_supported(value.dtype, b, Device(device), "pickle.loads")
    return _wrap(b.from_host(value, Device(device)))


def array_deepcopy(x: Any, memo: dict[int, Any]) -> Any:
    """``copy.deepcopy``: views of one storage copied together stay views of one copy."""
    if x._names is not None:
        return attach(array_deepcopy(plain(x), memo), x._names)
    lay = x.layout()
    if lay.size == 0:
        return _rebuild_empty(*array_reduce(x, 5)[1])
    st = x.storage()
    copied = memo.get(id(st))
    if copied is None:
        func, args = _whole(st)
        if st._backend.caps.host_native:  # _whole's buffer is the storage's own memory
            args = (np.array(args[0], copy=True),)
        copied = memo[id(st)] = func(*args)
        memo.setdefault(id(memo), []).append(st)  # keep st alive: its id stays unique
    return _rebuild(copied, lay.shape, lay.strides, lay.offset)


def array_getstate(x: Any) -> Any:
    lay = x.layout()
    return {"storage": x.storage(), "shape": lay.shape, "strides": lay.strides,
            "offset": lay.offset}  # fmt: skip


def array_setstate(x: Any, state: Any) -> None:
    _become(x, _rebuild(state["storage"], state["shape"], state["strides"], state["offset"]))
