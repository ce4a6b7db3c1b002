"""``Array.__dlpack_c_exchange_api__``: the DLPack 1.3 C exchange table, served by ``__dlpack__``.

Neither NumPy 2.4 nor JAX 0.10 provides this table, so storax builds one with ctypes: its
functions call the array's own ``__dlpack__``/``from_dlpack`` (holding the GIL). It gives C
consumers the standard entry point; it is not faster than ``__dlpack__`` (see
docs/backends.md). Failures return -1 without a Python exception set (ctypes callbacks
cannot leave one set), except the allocator, which reports through ``SetError``.
"""

from __future__ import annotations

import ctypes
from typing import Any

_c = ctypes


class _Version(_c.Structure):
    _fields_ = [("major", _c.c_uint32), ("minor", _c.c_uint32)]


class _DLTensor(_c.Structure):
    _fields_ = [
        ("data", _c.c_void_p), ("device_type", _c.c_int32), ("device_id", _c.c_int32),
        ("ndim", _c.c_int32), ("code", _c.c_uint8), ("bits", _c.c_uint8),
        ("lanes", _c.c_uint16), ("shape", _c.POINTER(_c.c_int64)),
        ("strides", _c.POINTER(_c.c_int64)), ("byte_offset", _c.c_uint64),
    ]  # fmt: skip


_LegacyDeleter = _c.CFUNCTYPE(None, _c.c_void_p)


class _Legacy(_c.Structure):
    _fields_ = [("dl_tensor", _DLTensor), ("manager_ctx", _c.c_void_p), ("deleter", _c.c_void_p)]


class _Versioned(_c.Structure):
    _fields_ = [
        ("version", _Version), ("manager_ctx", _c.c_void_p), ("deleter", _c.c_void_p),
        ("flags", _c.c_uint64), ("dl_tensor", _DLTensor),
    ]  # fmt: skip


_FromPy = _c.CFUNCTYPE(_c.c_int, _c.c_void_p, _c.POINTER(_c.c_void_p))
_ToPy = _c.CFUNCTYPE(_c.c_int, _c.c_void_p, _c.POINTER(_c.c_void_p))
_SetError = _c.CFUNCTYPE(None, _c.c_void_p, _c.c_char_p, _c.c_char_p)
_Alloc = _c.CFUNCTYPE(_c.c_int, _c.POINTER(_DLTensor), _c.POINTER(_c.c_void_p), _c.c_void_p,
                      _SetError)  # fmt: skip
_Stream = _c.CFUNCTYPE(_c.c_int, _c.c_int32, _c.c_int32, _c.POINTER(_c.c_void_p))


class _API(_c.Structure):
    _fields_ = [
        ("version", _Version), ("prev_api", _c.c_void_p), ("allocator", _Alloc),
        ("from_py", _FromPy), ("to_py", _ToPy), ("dltensor_from_py", _c.c_void_p),
        ("current_work_stream", _Stream),
    ]  # fmt: skip


_py = _c.pythonapi
_py.PyCapsule_GetPointer.restype = _c.c_void_p
_py.PyCapsule_GetPointer.argtypes = [_c.py_object, _c.c_char_p]
_py.PyCapsule_GetName.restype = _c.c_char_p
_py.PyCapsule_GetName.argtypes = [_c.py_object]
_py.PyCapsule_SetName.argtypes = [_c.py_object, _c.c_char_p]
_py.PyCapsule_New.restype = _c.py_object
_py.PyCapsule_New.argtypes = [_c.c_void_p, _c.c_char_p, _c.c_void_p]
_py.Py_IncRef.argtypes = [_c.py_object]

# Capsules keep the name pointer they are given, so the names live as long as the module.
_API_NAME = b"dlpack_exchange_api"
_VERSIONED_NAME = b"dltensor_versioned"
_USED = {b"dltensor_versioned": b"used_dltensor_versioned", b"dltensor": b"used_dltensor"}

# Versioned wrappers of legacy (DLPack < 1.0) tensors, alive until their deleter runs.
_WRAPPERS: dict[int, _Versioned] = {}


@_LegacyDeleter
def _delete_wrapper(address: int) -> None:
    w = _WRAPPERS.pop(address)
    legacy = _Legacy.from_address(w.manager_ctx)
    if legacy.deleter:
        _LegacyDeleter(legacy.deleter)(w.manager_ctx)


def _export(obj: Any) -> int:
    """A ``DLManagedTensorVersioned*`` for ``obj``, owned by the caller."""
    cap = obj.__dlpack__(max_version=(1, 3))
    name = _py.PyCapsule_GetName(cap)
    ptr = _py.PyCapsule_GetPointer(cap, name)
    _py.PyCapsule_SetName(cap, _USED[name])
    if name == b"dltensor_versioned":
        return int(ptr)
    # A legacy capsule (JAX exports DLPack 0.x): wrap it in a versioned tensor.
    legacy = _Legacy.from_address(ptr)
    w = _Versioned(_Version(1, 3), ptr, _c.cast(_delete_wrapper, _c.c_void_p), 0, legacy.dl_tensor)
    _WRAPPERS[_c.addressof(w)] = w
    return _c.addressof(w)


@_FromPy
def _from_py(py_object: int, out: Any) -> int:
    try:
        out[0] = _export(_c.cast(py_object, _c.py_object).value)
    except Exception:  # noqa: BLE001 -- a C callback must not raise
        return -1
    return 0


class _Capsule:
    """Hands one owned ``DLManagedTensorVersioned*`` to ``from_dlpack``."""

    def __init__(self, address: int) -> None:
        self._t = _Versioned.from_address(address)
        self._cap = _py.PyCapsule_New(address, _VERSIONED_NAME, None)

    def __dlpack__(self, **kwargs: Any) -> Any:
        return self._cap

    def __dlpack_device__(self) -> tuple[int, int]:
        return (self._t.dl_tensor.device_type, self._t.dl_tensor.device_id)


@_ToPy
def _to_py(tensor: int, out: Any) -> int:
    from ._creation_functions import from_dlpack

    try:
        arr = from_dlpack(_Capsule(tensor))
    except Exception:  # noqa: BLE001 -- a C callback must not raise
        return -1
    _py.Py_IncRef(arr)
    out[0] = id(arr)
    return 0


_CODES = {(0, 8): "int8", (0, 16): "int16", (0, 32): "int32", (0, 64): "int64",
          (1, 8): "uint8", (1, 16): "uint16", (1, 32): "uint32", (1, 64): "uint64",
          (2, 32): "float32", (2, 64): "float64", (5, 64): "complex64",
          (5, 128): "complex128", (6, 8): "bool"}  # fmt: skip


@_Alloc
def _allocate(prototype: Any, out: Any, error_ctx: int, set_error: Any) -> int:
    from . import _creation_functions, _dtypes

    p = prototype.contents
    try:
        name = _CODES.get((p.code, p.bits)) if p.lanes == 1 else None
        if name is None:
            raise TypeError(f"unsupported DLPack dtype (code {p.code}, bits {p.bits})")
        if p.device_type == 1:
            device: Any = "cpu"
        elif p.device_type in (2, 10):
            device = f"jax:gpu:{p.device_id}"
        else:
            raise ValueError(f"unsupported DLPack device type {p.device_type}")
        shape = tuple(p.shape[i] for i in range(p.ndim))
        arr = _creation_functions.empty(shape, dtype=getattr(_dtypes, name), device=device)
        out[0] = _export(arr)
    except Exception as e:  # noqa: BLE001 -- a C callback must not raise
        set_error(error_ctx, type(e).__name__.encode(), f"storax allocator: {e}".encode())
        return -1
    return 0


@_Stream
def _current_work_stream(device_type: int, device_id: int, out: Any) -> int:
    # Note: storax runs on each device's default stream (JAX exposes no stream object).
    out[0] = None
    return 0


_TABLE = _API(_Version(1, 3), None, _allocate, _from_py, _to_py, None, _current_work_stream)
CAPSULE = _py.PyCapsule_New(_c.addressof(_TABLE), _API_NAME, None)
