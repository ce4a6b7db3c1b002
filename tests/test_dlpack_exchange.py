"""The draft's ``Array.__dlpack_c_exchange_api__``, exercised as a C consumer would (ctypes)."""

from __future__ import annotations

import ctypes

import numpy as np
import pytest

import storax as sx
from storax import _dlpack_exchange as dx

_get = ctypes.pythonapi.PyCapsule_GetPointer
_get.restype = ctypes.c_void_p
_get.argtypes = [ctypes.py_object, ctypes.c_char_p]


def _table(x) -> dx._API:
    cap = type(x).__dlpack_c_exchange_api__
    return dx._API.from_address(_get(cap, b"dlpack_exchange_api"))


@pytest.mark.parametrize("backend", ["numpy", "jax"])
def test_export_and_import_through_the_table(backend):
    with sx.use_backend(backend):
        x = sx.reshape(sx.arange(6, dtype=sx.float32), (2, 3))
        api = _table(x)
        assert (api.version.major, api.version.minor) == (1, 3) and not api.prev_api
        out = ctypes.c_void_p()
        assert api.from_py(id(x), ctypes.byref(out)) == 0
        t = dx._Versioned.from_address(out.value)
        dl = t.dl_tensor
        assert dl.ndim == 2 and [dl.shape[0], dl.shape[1]] == [2, 3]
        assert (dl.code, dl.bits, dl.lanes) == (2, 32, 1) and dl.device_type == 1
        data = (ctypes.c_float * 6).from_address(dl.data + dl.byte_offset)
        assert list(data) == [0.0, 1.0, 2.0, 3.0, 4.0, 5.0]
        # Back to a Python array: ownership of the tensor moves to the new array.
        obj = ctypes.c_void_p()
        assert api.to_py(out.value, ctypes.byref(obj)) == 0
        y = ctypes.cast(obj.value, ctypes.py_object).value
        ctypes.pythonapi.Py_DecRef(ctypes.py_object(y))  # the reference to_py handed over
        np.testing.assert_array_equal(np.asarray(y), np.arange(6, dtype=np.float32).reshape(2, 3))
        stream = ctypes.c_void_p(1)
        assert api.current_work_stream(1, 0, ctypes.byref(stream)) == 0 and not stream.value


def test_allocator_and_errors():
    api = _table(sx.ones(1))
    shape = (ctypes.c_int64 * 2)(3, 4)
    proto = dx._DLTensor(None, 1, 0, 2, 0, 64, 1, shape, None, 0)  # int64 (3, 4) on cpu
    out = ctypes.c_void_p()
    errors = []
    set_error = dx._SetError(lambda ctx, kind, msg: errors.append((kind, msg)))
    assert api.allocator(ctypes.byref(proto), ctypes.byref(out), None, set_error) == 0
    t = dx._Versioned.from_address(out.value)
    assert t.dl_tensor.ndim == 2 and t.dl_tensor.bits == 64 and not errors
    dx._LegacyDeleter(t.deleter)(out.value)  # the caller owns it: release it
    bad = dx._DLTensor(None, 1, 0, 1, 2, 16, 1, shape, None, 0)  # float16: not a storax dtype
    assert api.allocator(ctypes.byref(bad), ctypes.byref(out), None, set_error) == -1
    assert errors and b"storax allocator" in errors[0][1]
    assert api.from_py(id(object()), ctypes.byref(out)) == -1  # no __dlpack__


def test_torch_consumes_storax_arrays():
    torch = pytest.importorskip("torch")
    x = sx.reshape(sx.arange(6), (2, 3))[:, ::2]
    assert torch.from_dlpack(x).tolist() == [[0, 2], [3, 5]]
