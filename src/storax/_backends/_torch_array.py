"""The torch backend's Array family: a layout over a flat storage tensor (or a fresh
result holding its value). Imported only when the torch backend is first used.

A fresh result of a hot path (an operator, an element-wise function) holds its bare
``torch.Tensor`` in ``_cache``: wrapping it in a TorchValue costs as much as a third of an
8-element kernel, and most results are only read by the next hot path, which takes the
tensor. ``_value`` wraps it on first need (and keeps the TorchValue); a storage is always
made of a TorchValue, so a bare tensor is only ever held while ``_storage`` is None.
"""

from __future__ import annotations

import builtins
from typing import Any

import numpy as np
import torch

from .. import _dtypes
from .._core._layout import Layout, _trusted
from .._core._storage import Storage
from . import _torch as _torchb
from ._layout_array import LayoutArray, _layout_getitem
from ._torch_value import _NUMPY, UNSIGNED_WIDE, TorchValue
from ._torch_value import value as _wrapped
from ._torch_xp import BinaryKernels, UnaryKernels

_object_new = _value_new = object.__new__
_Tensor = torch.Tensor
_as_strided = torch.as_strided
_ONE_DEVICE = _torchb.caps.single_device


def _positive_step(step: Any) -> bool:
    return step is None or (type(step) is int and step > 0)


def _torch_key(key: Any) -> bool:
    """Whether torch indexes with ``key`` as NumPy does a basic index, when it accepts it:
    an int, a slice of positive step (or none), an Ellipsis, or a tuple of these."""
    if key is Ellipsis:
        return True
    kind = type(key)
    if kind is int or (kind is slice and _positive_step(key.step)):
        return True
    if kind is tuple:
        for k in key:
            kind = type(k)
            if not (kind is int or k is Ellipsis or (kind is slice and _positive_step(k.step))):
                return False
        return True
    return False


_EXACT = {"float16": 2**11, "float32": 2**24, "float64": 2**53, "complex64": 2**24,
          "complex128": 2**53}  # fmt: skip


def _fill_rules() -> dict[type, dict[Any, Any]]:
    """Python scalar type -> NumPy dtype -> True, or the (low, high) range of the ints,
    where torch's fill of a tensor of that dtype with such a scalar stores what storax's
    general path stores (NumPy's conversion), where that path accepts it: floats into
    float32/float64/complex (not float16: torch rounds through float32 first), complexes
    into complex dtypes, ints into signed and 8-bit integers (in range) or exactly into
    floating dtypes, bools into anything but the wide unsigned types (which torch fills
    through few kernels)."""
    rules: dict[type, dict[Any, Any]] = {bool: {}, int: {}, float: {}, complex: {}}
    for d in _NUMPY.values():
        if d in UNSIGNED_WIDE:
            continue
        rules[bool][d] = True
        if d.kind == "c" or (d.kind == "f" and d.itemsize > 2):
            rules[float][d] = True
        if d.kind == "c":
            rules[complex][d] = True
        if d.kind == "i" or d.kind == "u":
            rules[int][d] = _dtypes.int_range(d)
        elif d.kind in "fc":
            rules[int][d] = (-_EXACT[d.name], _EXACT[d.name])
    return rules


_FILLS = _fill_rules()
_REVERSED: dict[int, Layout] = {}  # length -> the Layout of ``x[::-1]`` (see __getitem__)


def new(value: Any) -> TorchArray:
    """A fresh TorchArray holding ``value`` (a TorchValue, or a torch tensor: kept bare).

    A bare tensor is a torch kernel's result on the backend's own tensors, of a dtype the
    backend lists (user tensors come in as TorchValues, through DLPack, whose constructor
    checks the dtype): not checked again here, on every hot path's result."""
    if type(value) is not _Tensor and type(value) is not TorchValue:
        value = TorchValue(value)
    a = _object_new(TorchArray)
    a._storage = None
    a._layout = None
    a._cache = value
    a._cache_version = 0
    a._readonly = False
    return a


def view(storage: Storage, layout: Layout, readonly: bool) -> TorchArray:
    """A TorchArray viewing ``layout`` of ``storage`` (read-only: as NumPy's flag)."""
    a = _object_new(TorchArray)
    a._storage = storage
    a._layout = layout
    a._cache = None
    a._cache_version = -1
    a._readonly = readonly
    return a


class TorchArray(LayoutArray):
    """An Array on a torch device: a strided view of a flat ``torch.Tensor`` storage."""

    __slots__ = ()
    _new = staticmethod(new)  # the family's one constructor
    _view = staticmethod(view)
    _backend = _torchb
    _unary_kernels = UnaryKernels(bare=True)
    _binary_kernels = BinaryKernels(bare=True)

    @property
    def _value(self) -> Any:
        st = self._storage
        if st is None:
            c = self._cache
            if type(c) is _Tensor:  # a fresh result's bare tensor: wrapped once
                c = self._cache = _wrapped(c)
            return c
        if self._cache_version == st._version:
            c = self._cache
            if type(c) is _Tensor:  # a view made by ``__getitem__``: wrapped once
                v = _value_new(TorchValue)  # (``_wrapped``, the storage's dtype known)
                v.t = c
                v.dtype = st._buffer.dtype
                c = self._cache = v
            return c
        lay = self._layout
        if lay is None:  # (a view of ``__getitem__``: its Layout read off its tensor)
            lay = self._ensure()[1]
        strides = lay.strides
        if strides == (-1,):
            # ``x[::-1]`` of a whole 1-d storage (its only layout of that size): one flip,
            # made afresh on each read (a write through a NumPy view of the storage bumps
            # no version); no lock, as nothing is cached (the buffer, read once, is never
            # rebound).
            sv = st._buffer
            buf = sv.t
            if lay.shape[0] == buf.numel() and sv.dtype not in UNSIGNED_WIDE:
                v = _value_new(TorchValue)
                v.t = buf.flip(0)
                v.dtype = sv.dtype
                return v
        shape = lay.shape
        if 0 not in shape:
            with st._lock:
                if not strides or min(strides) >= 0:
                    # a live ``as_strided`` view of the storage: kept for this version
                    v = _wrapped(_as_strided(st._buffer.t, shape, strides, lay.offset))
                    self._cache = v
                    self._cache_version = st._version
                    return v
                # Negative strides: a gather of the storage, made afresh on each read.
                return _wrapped(_torchb.gathered(st._buffer.t, lay))
        return LayoutArray._value.fget(self)  # type: ignore[attr-defined]

    def _live(self, st: Storage) -> Any:
        """The tensor this array holds, if it is a live torch view of ``st``'s buffer (the
        same root tensor: every write into the storage shows in it), else None. A fresh
        result's own tensor is live once it became its storage (``allocate`` keeps a whole
        tensor's memory); a clone, a gather or a stale buffer is not."""
        c = self._cache
        if c is None:
            return None
        t = c if type(c) is _Tensor else c.t
        buf = st._buffer.t
        if t is buf:  # (a whole array's own storage: no ``_base`` to read)
            return t
        root = t._base
        broot = buf._base
        return t if (t if root is None else root) is (buf if broot is None else broot) else None

    def __getitem__(self, key: Any) -> Any:
        # The hot path: one int or slice (a positive step) on an array holding a live torch
        # view of its storage: torch's own slicing makes the view's tensor (at the cost of
        # ``tensor[key]``), and the view's Layout is read off it (shape, strides, offset),
        # instead of computing the Layout in Python and then ``as_strided``. Anything torch
        # rejects (out of range, a negative step, other index types) and empty results
        # (whose Layout storax makes canonical) take the general path and its errors.
        kind = type(key)
        # (a negative step is screened out here: a torch exception costs ~20 µs)
        if kind is int or (
            kind is slice and ((step := key.step) is None or (type(step) is int and step > 0))
        ):
            st = self._storage
            if st is None:
                st = self._ensure()[0]
            t = self._cache
            if t is not None and type(t) is not _Tensor:
                t = t.t
            if t is not st._buffer.t:  # (the storage's own tensor: live; else ask)
                t = self._live(st)
            if t is not None:
                version = st._version
                try:
                    r = t[key]
                except (IndexError, TypeError, ValueError, RuntimeError):
                    r = None
                if r is not None and r.numel():
                    a = _object_new(TorchArray)
                    a._storage = st
                    a._layout = None  # read off ``r`` when asked (``_ensure``)
                    a._cache = r
                    a._cache_version = version
                    a._readonly = self._readonly
                    return a
        elif kind is slice and key.step == -1 and key.start is None and key.stop is None:
            # ``x[::-1]``: the leading axis reversed, its Layout made directly (the general
            # path computes it for any slice); read, it is one flip (see ``_value``).
            st, lay = self._ensure()
            shape = lay.shape
            if shape and shape[0] > 1 and 0 not in shape and type(key.step) is int:
                s0 = lay.strides[0]
                if s0 == 1 and not lay.offset and len(shape) == 1:
                    # (a 1-d contiguous array from the storage's start: its reversed
                    # Layout, immutable, made once per length)
                    rev = _REVERSED.get(shape[0])
                    if rev is None:
                        rev = _trusted(shape, (-1,), shape[0] - 1)
                        if len(_REVERSED) < 256:
                            _REVERSED[shape[0]] = rev
                else:
                    rev = _trusted(shape, (-s0, *lay.strides[1:]), lay.offset + (shape[0] - 1) * s0)
                a = _object_new(TorchArray)
                a._storage = st
                a._layout = rev
                a._cache = None
                a._cache_version = -1
                a._readonly = self._readonly
                return a
        return LayoutArray.__getitem__(self, key)

    def _ensure(self) -> tuple[Storage, Layout]:
        # A view made by ``__getitem__`` holds a live torch view of its storage and no
        # Layout (most are read, or written, and dropped): the Layout is read off that
        # tensor on first need (its cache stays a live view of the storage's buffer, which
        # torch storages never rebind, until then).
        st = self._storage
        if st is None:
            return LayoutArray._ensure(self)
        lay = self._layout
        if lay is None:
            c = self._cache
            t = c if type(c) is _Tensor else c.t
            offset = t.storage_offset() - st._buffer.t.storage_offset()
            lay = self._layout = _trusted(tuple(t.shape), t.stride(), offset)
        return st, lay

    def is_contiguous(self) -> bool:
        if self._storage is not None and self._layout is None:
            return self._ensure()[1].is_contiguous()
        return LayoutArray.is_contiguous(self)

    def _allocate(self, v: Any) -> Any:
        # (called by ``_ensure`` under its lock, before ``_storage`` is set)
        if type(v) is _Tensor:
            v = self._cache = _wrapped(v)
        return _torchb.allocate(v)

    @property
    def dtype(self) -> Any:
        st = self._storage
        if st is not None:
            return st._buffer.dtype
        c = self._cache
        return _NUMPY[c.dtype] if type(c) is _Tensor else c.dtype

    @property
    def device(self) -> Any:
        st = self._storage
        c = st._buffer.t if st is not None else self._cache
        return _torchb.device_of_tensor(c if type(c) is _Tensor else c.t)

    def __setitem__(self, key: Any, value: Any) -> None:
        # A Python scalar into a basic index (ints, slices of positive step, an Ellipsis)
        # of an array holding a live torch view of its storage: torch's own assignment
        # (a fill), where torch converts the scalar as NumPy does (``_fills``); anything
        # torch rejects takes the general path and its errors.
        rules = _FILLS.get(type(value))
        if rules is not None and not self._readonly and (key is Ellipsis or _torch_key(key)):
            st = self._storage
            if st is None:
                st = self._ensure()[0]
            sv = st._buffer
            rule = rules.get(sv.dtype)
            if rule is not None and (rule is True or rule[0] <= value <= rule[1]):
                c = self._cache  # (``_live`` inlined, and torch's fill: the hot path)
                live = None if c is None else c if type(c) is _Tensor else c.t
                if live is not sv.t and live is not None:
                    live = self._live(st)
                if live is not None:
                    with st._lock:
                        try:
                            live[key] = value
                        except (IndexError, TypeError, ValueError, RuntimeError):
                            pass  # (torch declines, nothing written: the general path)
                        else:
                            st._version += 1
                            return
        # The hot path: a basic index on the first axis and a TorchArray of the same dtype
        # on the same device (what the general path would write as is): torch's own slice
        # assignment into this array's live tensor (``write_live``), else one layout and
        # the backend's write.
        kind = type(key)
        if (kind is slice or kind is int) and type(value) is TorchArray and not self._readonly:
            st = self._storage
            if st is None:
                st = self._ensure()[0]
            vst = value._storage
            v = value._cache if vst is None else value._value
            t = v if type(v) is _Tensor else v.t
            buf = st._buffer.t
            # (two storages: their NumPy dtypes, slots, compared; else torch's getters)
            same = (
                vst._buffer.dtype is st._buffer.dtype if vst is not None else t.dtype is buf.dtype
            )
            if same and (_ONE_DEVICE or t.device == buf.device):
                if kind is slice and not _positive_step(key.step):
                    live = None
                else:  # (the storage's own flat buffer: live, one dimension; else ask)
                    c = self._cache
                    live = None if c is None else c if type(c) is _Tensor else c.t
                    if live is not buf:
                        live = self._live(st)
                # (no more dimensions than the target: torch's assignment would drop leading
                # 1s, which storax's broadcasting rejects)
                if (
                    live is not None
                    and t.dim() <= (1 if live is buf else live.dim()) - (kind is int)
                    and _torchb.write_live(st, live, key, t)
                ):
                    return
                lay = self._ensure()[1]
                _torchb.write_same(st, _layout_getitem(lay, key, "__setitem__"), t)
                return
        LayoutArray.__setitem__(self, key, value)

    def contiguous(self) -> Any:
        if self.is_contiguous():
            return self
        return new(self._value.t.contiguous())

    def numpy(self) -> Any:
        """The data as a NumPy array: on the CPU a view of the storage's memory (writes
        through either show in the other), else a host copy."""
        st, lay = self._ensure()
        buf = st._buffer
        if not buf.t.is_cpu:
            return _torchb.to_host(self._value)
        flat = buf.host()
        item = flat.itemsize
        out = np.lib.stride_tricks.as_strided(
            flat[lay.offset :] if lay.size else flat[:0],
            lay.shape,
            tuple(s * item for s in lay.strides),
            writeable=not self._readonly,
        )
        return out

    def __array__(self, dtype: Any = None, copy: builtins.bool | None = None) -> Any:
        if copy is False and (
            self.device.name != "torch:cpu" or (dtype is not None and np.dtype(dtype) != self.dtype)
        ):
            raise ValueError(
                "__array__: copy=False, but this array cannot be shared with NumPy as asked "
                "(a torch device array, or another dtype)"
            )
        v = self.numpy()
        if copy:
            v = v.copy()
        return v if dtype is None else v.astype(dtype, copy=False)

    def _export_dlpack(self, kwargs: dict[str, Any], max_version: Any, copy: Any) -> Any:
        t = self._value.t
        if self._readonly and (max_version is None or tuple(max_version) < (1, 0)):
            # A consumer of unversioned capsules cannot be told the memory is read-only:
            # it gets a copy, as on NumPy (or a BufferError when it forbids copies).
            if copy is False:
                raise BufferError(
                    "__dlpack__: a read-only view cannot be shared with a consumer that "
                    "cannot flag it read-only (ask for max_version >= (1, 0)), copy=False"
                )
            t = t.clone()
        if max_version is not None:
            kwargs["max_version"] = max_version
        return t.__dlpack__(**kwargs)

    def __dlpack_device__(self) -> tuple[Any, builtins.int]:
        st = self._storage
        v = st._buffer.t if st is not None else self._cache
        return (v if type(v) is _Tensor else v.t).__dlpack_device__()


# The backend module's names for its family (see the end of _torch.py: set here too, for
# the case where this module was imported before the backend module).
_torchb.Array = TorchArray
_torchb.wrap = new  # type: ignore[has-type]
