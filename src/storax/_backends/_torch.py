"""The torch backend: storages are flat ``torch.Tensor``s; arrays are layouts over them.

The family is *storage + layout* (as JAX's): torch tensors are strided views, but cannot
express negative strides, and storax's ``x[::-1]`` is a view. So an array is a layout
over a flat storage tensor, and its value is

- for a layout with non-negative strides: ``torch.as_strided`` of the storage, a live
  torch view (no copy; every write into the storage shows in it at once);
- for one with a negative stride: the *mirrored* ``as_strided`` view (the same elements,
  every negative-stride axis reversed, all strides non-negative), flipped back (a copy,
  made afresh at every read).

Writes go into the storage tensor in place: ``as_strided(...).copy_(values)``, into the
mirrored view with the values flipped for negative strides, and an ``index_put_`` at the
flat storage indices for integer-array indices. Values are
:class:`~._torch_value.TorchValue`\\ s (a tensor with a NumPy dtype); see
``_torch_xp`` for which operations run as torch kernels and which through NumPy.

Imported only when the torch backend is first used.
"""

from __future__ import annotations

import sys
from functools import partial
from typing import Any

import numpy as np
import torch

from .._core._layout import Layout
from .._core._storage import Storage
from .._device import Device
from . import _layout_array, _native_random, _torch_xp
from . import _numpy as _host
from ._protocol import Capabilities
from ._torch_value import NO_FLOAT64, SIGNED_OF, TorchValue, bits, tensor_of
from ._torch_value import value as _value

name = "torch"
xp = _torch_xp.xp
kx = _torch_xp.kx
ArrayType = TorchValue
make_complex = _torch_xp.make_complex
clip = _torch_xp.clip

_CPU = torch.device("cpu")


def _torch_devices() -> list[Any]:
    out = [_CPU]
    if torch.cuda.is_available():
        out += [torch.device("cuda", i) for i in range(torch.cuda.device_count())]
    mps = getattr(torch.backends, "mps", None)
    if mps is not None and mps.is_available():
        out.append(torch.device("mps"))
    return out


caps: Capabilities = Capabilities(
    live_views=False,
    negative_strides=False,
    single_device=len(_torch_devices()) == 1,
    # linear algebra runs NumPy's, which raises LinAlgError on singular input
    raises_on_singular=True,
    traced=False,
    host_native=False,
    sharding=False,
    clamps_indices=False,
)
linalg_errors: tuple[type, ...] = (np.linalg.LinAlgError,)
x64 = True  # torch has every 64-bit type (on the CPU and CUDA; MPS lacks float64)
supported_dtypes: tuple[np.dtype, ...] = _host.supported_dtypes
unsupported_note = ""
# Apple's MPS devices have no 64-bit floating-point types (torch raises on float64 there).
_MPS_DTYPES: tuple[np.dtype, ...] = tuple(
    d for d in supported_dtypes if d not in (np.dtype("float64"), np.dtype("complex128"))
)


def device_dtypes(device: Device | None) -> tuple[np.dtype, ...]:
    """The dtypes ``device`` (None: the default device) holds: every dtype storax lists,
    but float64 and complex128 on MPS (the torch device types in ``NO_FLOAT64``)."""
    kind = "cpu" if device is None else device.name.split(":")[1]
    return _MPS_DTYPES if kind in NO_FLOAT64 else supported_dtypes


def device_name(d: Any) -> str:
    if d.type == "cpu":
        return "torch:cpu"
    if d.type == "mps":
        return "torch:mps"
    return f"torch:{d.type}:{0 if d.index is None else d.index}"


_DEVICES: dict[Any, Device] = {}


def _device(d: Any) -> Device:
    out = _DEVICES.get(d)
    if out is None:
        out = _DEVICES[d] = Device(device_name(d))
    return out


def devices() -> list[Device]:
    """Every torch device present (``torch:cpu``, ``torch:cuda:0``..., ``torch:mps``)."""
    return [_device(d) for d in _torch_devices()]


def default_device() -> Device:
    return _device(_CPU)


def native_device(device: Device) -> Any:
    """The ``torch.device`` named by a storax Device."""
    for d in _torch_devices():
        if device_name(d) == device.name:
            return d
    known = ", ".join(device_name(d) for d in _torch_devices())
    raise ValueError(f"device {device.name!r} is not present (torch devices: {known})")


def device_of(buffer: Any) -> Device:
    return _device(buffer.t.device)


def device_of_tensor(t: Any) -> Device:
    """The storax Device of a torch tensor."""
    return _device(t.device)


def is_value(value: Any) -> bool:
    """Whether ``value`` is a torch backend value (a TorchValue; a plain torch tensor is
    imported through DLPack, as any producer's data)."""
    return type(value) is TorchValue


def is_tracer(value: Any) -> bool:  # noqa: ARG001 - no tracing transformations
    return False


def tracing() -> bool:
    return False


def data_ptr(buffer: Any) -> int:
    return int(buffer.t.data_ptr())


def to_host(value: Any) -> np.ndarray:
    """A NumPy array of the value (a view of a CPU tensor's memory, else a host copy)."""
    if isinstance(value, torch.Tensor):
        value = TorchValue(value)
    return value.host()


def tolist(buffer: Any) -> Any:
    return buffer.host().tolist()


def format_elements(buffer: Any) -> list[str]:
    return [repr(v) for v in buffer.host().tolist()]


def from_host(value: Any, device: Device | None) -> TorchValue:
    """A TorchValue on ``device`` (None: the CPU) holding a copy of ``value``."""
    a = np.array(value, copy=True)
    return TorchValue(tensor_of(a, None if device is None else native_device(device)))


def from_dlpack(x: Any, device: Device | None, copy: bool | None) -> TorchValue:
    """A TorchValue of a DLPack producer's data, on ``device`` (None: the producer's)."""
    try:
        if isinstance(x, torch.Tensor):
            t = torch.from_dlpack(x)  # a tensor's memory is writable: shared
        elif x.__dlpack_device__()[0] == 1:
            # Note: torch ignores DLPack's read-only flag (a JAX buffer is immutable);
            # NumPy honours it, so a host producer is imported through NumPy, and a
            # read-only buffer is copied (storax's writes go to its own storage).
            h = np.from_dlpack(x, copy=copy)
            if not h.flags.writeable:
                if copy is False:
                    raise BufferError("from_dlpack: the producer's memory is read-only")
                h = h.copy()
            t = tensor_of(h)
        else:
            # another device: a copy (a foreign device buffer may be immutable)
            if copy is False:
                raise BufferError("from_dlpack: a foreign device buffer is imported as a copy")
            t = torch.from_dlpack(x).clone()
            copy = False
    except (BufferError, RuntimeError, TypeError, ValueError) as e:
        if copy is False:
            raise BufferError(f"from_dlpack: cannot share this array without a copy: {e}") from e
        t = torch.from_numpy(np.from_dlpack(x, copy=True, device="cpu"))
    if device is not None:
        dev = native_device(device)
        if t.device != dev:
            if copy is False:
                raise BufferError("from_dlpack: moving to another device needs a copy")
            t = t.to(dev)
            copy = False
    if copy:
        t = t.clone()
    return TorchValue(t)


# ------------------------------------------------------------------- storages and views


def allocate(value: Any) -> Storage:
    """A new Storage over a flat tensor of ``value``: the value's own memory when it is a
    fresh, whole, contiguous tensor (nothing else views it), else a flat copy."""
    t = value.t
    whole = (
        t._base is None
        and t.is_contiguous()
        and t.storage_offset() == 0
        and t.untyped_storage().nbytes() == t.numel() * t.element_size()
    )
    if whole:
        # (a 1-d tensor is its own flat storage: a torch view of it, as ``reshape(-1)``
        # makes, would make some kernels on the storage slower, e.g. ``flip``)
        flat = t if t.dim() == 1 else t.reshape(-1)
    else:
        flat = t.contiguous().reshape(-1).clone()
    return Storage(TorchValue(flat), _this_module)


def _indices(layout: Layout, device: Any) -> Any:
    idx = torch.full(layout.shape, layout.offset, dtype=torch.int64, device=device)
    for d, (n, s) in enumerate(zip(layout.shape, layout.strides, strict=True)):
        shape = [1] * layout.ndim
        shape[d] = n
        idx = idx + torch.arange(n, dtype=torch.int64, device=device).reshape(shape) * s
    return idx


def _expressible(layout: Layout) -> bool:
    strides = layout.strides
    return not strides or min(strides) >= 0


def materialise(storage: Storage, layout: Layout) -> TorchValue:
    """The value of ``layout`` over ``storage``: a live ``as_strided`` view, or a gather
    for negative strides."""
    buf = storage._buffer.t
    shape = layout.shape
    if 0 in shape:
        return _value(torch.empty(shape, dtype=buf.dtype, device=buf.device))
    if _expressible(layout):
        return _value(torch.as_strided(buf, shape, layout.strides, layout.offset))
    return _value(gathered(buf, layout))


def gathered(buf: Any, layout: Layout) -> Any:
    """The elements of a non-empty ``layout`` with negative strides over the flat tensor
    ``buf``: its mirrored view, flipped (a new tensor)."""
    mirror, flipped = _mirrored(bits(buf), layout)
    # (one axis given as an int: torch's flip takes ~1 µs longer with a list)
    r = mirror.flip(flipped[0] if len(flipped) == 1 else flipped)
    return r if r.dtype is buf.dtype else r.view(buf.dtype)


def _mirrored(buf: Any, layout: Layout) -> tuple[Any, list[int]]:
    """The layout's elements with every negative-stride axis reversed, as an
    ``as_strided`` view of ``buf`` (non-negative strides), and those axes."""
    strides = layout.strides
    if len(strides) == 1:  # (the common case: one axis, reversed)
        s = strides[0]
        if s == -1 and layout.shape[0] == buf.numel():  # the whole storage, reversed
            return buf, [0]
        return torch.as_strided(
            buf, layout.shape, (-s,), layout.offset + (layout.shape[0] - 1) * s
        ), [0]
    flipped = [d for d, s in enumerate(strides) if s < 0]
    start = layout.offset + sum((layout.shape[d] - 1) * layout.strides[d] for d in flipped)
    strides = tuple(abs(s) for s in layout.strides)
    return torch.as_strided(buf, layout.shape, strides, start), flipped


def cacheable(value: Any, storage: Storage) -> bool:
    """Whether a view's value may be kept: a live ``as_strided`` view of the storage, yes;
    a gather (negative strides), no: a write through a NumPy view of the storage
    (``x.numpy()``) bypasses storax's version counter, so a gather is made afresh.

    A view's ``_base`` is the tensor at the root of its views (torch keeps the root), so
    an ``as_strided`` view of the storage tensor has the storage's root as its base."""
    base = value.t._base
    if base is None:
        return False
    buf = storage._buffer.t
    return base is buf or base is buf._base


def pin(value: Any) -> Any:
    """Exported values need no pinning (storages are written in place, never donated)."""
    return value


def flat_indices(layout: Layout) -> TorchValue:
    """The storage index of every element of ``layout``, as an int64 TorchValue."""
    return TorchValue(_indices(layout, _CPU))


def out_of_bounds(k: Any, n: int) -> bool:
    """Whether the integer index array ``k`` has an entry outside [-n, n)."""
    h = np.asarray(k.host() if type(k) is TorchValue else k)
    if h.dtype.kind == "u":
        return bool((h.astype(np.uint64) >= n).any())
    h = h.astype(np.int64)
    return bool(((h < -n) | (h >= n)).any())


# Writes into one storage are serialised (torch releases the GIL in its kernels) by the
# storage's re-entrant lock, as on JAX.
lock = _layout_array.lock
detach = _layout_array.detach


def is_sharded(storage: Storage) -> bool:  # noqa: ARG001 - torch storages are on one device
    """Whether ``storage`` is laid out over several devices (never, on torch)."""
    return False


def _source(values: Any, buf: Any) -> Any:
    """``values`` as a tensor of ``buf``'s dtype on its device, not sharing its memory."""
    if type(values) is TorchValue:
        t = values.t
    elif isinstance(values, torch.Tensor):
        t = values
    else:
        np_dtype = TorchValue(buf[:0]).dtype
        a = np.asarray(values)
        if a.dtype != np_dtype:
            with np.errstate(all="ignore"):
                a = a.astype(np_dtype)
        t = tensor_of(a)
    if t.device != buf.device:
        t = t.to(buf.device)
    if t.dtype != buf.dtype:
        t = _convert(t, buf.dtype)
    if t.numel() and t.untyped_storage().data_ptr() == buf.untyped_storage().data_ptr():
        t = t.clone()
    return t


def _apart(t: Any, buf: Any) -> Any:
    """``t`` itself if it is contiguous and shares no memory with the storage buffer
    ``buf``, else a copy of it (a write from an overlapping source reads what it writes)."""
    p, q = t.data_ptr(), buf.data_ptr()
    if (p + t.nbytes <= q or q + buf.nbytes <= p) and t.is_contiguous():
        return t
    return _source(TorchValue(t), buf)


def write_same(storage: Storage, layout: Layout, t: Any, func: str = "__setitem__") -> None:
    """``write`` of a tensor ``t`` of the storage's dtype and device (the hot path of
    ``x[key] = y``): the checks that apply to it alone, then one ``copy_``."""
    shape = layout.shape
    strides = layout.strides
    if 0 in shape or tuple(t.shape) != shape or (strides and min(strides) < 0):
        write(storage, layout, TorchValue(t), func)  # broadcasts, empty and reversed views
        return
    with storage._lock:
        buf = storage._buffer.t
        t = _apart(t, buf)
        o = layout.offset
        if len(shape) == 1 and strides[0] > 0:  # (one call: torch slices and copies)
            s = strides[0]
            buf[o : o + (shape[0] - 1) * s + 1 : s] = t
        else:
            torch.as_strided(buf, shape, strides, o).copy_(t)
        storage._version += 1


def write_live(storage: Storage, live: Any, key: Any, t: Any) -> bool:
    """``live[key] = t`` (torch's slice assignment) for a tensor ``live`` viewing the
    storage's buffer, ``key`` one int or slice, ``t`` of the buffer's dtype and device;
    False where torch declines (an index out of range, a negative step, shapes that do not
    broadcast: nothing is written, and the general path raises storax's error)."""
    with storage._lock:
        buf = storage._buffer.t
        t = _apart(t, buf)
        try:
            live[key] = t
        except (IndexError, TypeError, ValueError, RuntimeError):
            return False
        storage._version += 1
    return True


def _convert(t: Any, dtype: Any) -> Any:
    if t.dtype in SIGNED_OF or dtype in SIGNED_OF:
        return tensor_of(
            TorchValue(t).host().astype(TorchValue(torch.empty(0, dtype=dtype)).dtype),
            t.device,
        )
    return t.to(dtype)


def write(storage: Storage, layout: Layout, values: Any, func: str = "__setitem__") -> None:
    """Write ``values`` (broadcast to the layout's shape) through ``layout`` into ``storage``."""
    shape = layout.shape
    vshape = tuple(values.t.shape) if type(values) is TorchValue else tuple(np.shape(values))
    if vshape != shape:
        _layout_array.check_broadcasts(vshape, shape, func)
    if 0 in shape:
        return
    with storage._lock:
        buf = storage._buffer.t
        src = _source(values, buf)
        try:
            if _expressible(layout):
                # (copy_ broadcasts ``src``, checked above)
                torch.as_strided(buf, shape, layout.strides, layout.offset).copy_(src)
            else:  # negative strides: the mirrored view, written with the values reversed
                dst, flipped = _mirrored(bits(buf), layout)
                dst.copy_(bits(src).broadcast_to(layout.shape).flip(flipped))
        except RuntimeError as e:
            raise ValueError(f"{func}: {e}") from None
        storage._version += 1


def write_indices(storage: Storage, indices: Any, values: Any, func: str = "__setitem__") -> None:
    """Write ``values`` at the storage ``indices`` (an integer TorchValue)."""
    if indices.size == 0:
        return
    with storage._lock:
        buf = storage._buffer.t
        idx = indices.t.to(buf.device).reshape(-1)
        src = _source(values, buf)
        flat = bits(src.broadcast_to(tuple(indices.shape)).reshape(-1))
        bits(buf).index_put_((idx,), flat)
        storage._version += 1


def write_mask(storage: Storage, layout: Layout, mask: Any, values: Any, func: str) -> None:
    """``view[mask] = values`` for the view ``layout`` of ``storage``."""
    current = materialise(storage, layout).host().copy()
    current[np.asarray(mask.host() if type(mask) is TorchValue else mask)] = (
        values.host() if type(values) is TorchValue else values
    )
    write(storage, layout, current, func)


def storage_setitem(storage: Storage, index: int | slice, value: Any) -> None:
    """``storage[index] = value`` written in place."""
    _layout_array.storage_setitem(write, storage, index, value)


def view_of(storage: Storage, layout: Layout, readonly: bool) -> Any:
    """An Array of this backend viewing ``layout`` of ``storage``."""
    return _torch_array.view(storage, layout, readonly)


def adopt(buffer: np.ndarray) -> Storage:
    """A Storage holding a flat host buffer (``storax.load``): a CPU tensor sharing the
    buffer's memory where torch can (a native, aligned, writeable buffer), else a copy."""
    return Storage(TorchValue(tensor_of(np.asarray(buffer).reshape(-1))), _this_module)


# -------------------------------------------------------------------------- kernels

composite_fused = False  # composites run eagerly, one kernel per operation


def composite(func: Any, static_argnames: tuple[str, ...] = ()) -> Any:  # noqa: ARG001
    """``func(xp, ...)``, called eagerly; the statistics chapter's ``_mean`` (a sum, then a
    division) is one ``torch.mean`` where that is the same computation (``one_call_mean``)."""
    kernel = partial(func, xp)
    if func.__name__ == "_mean":
        return _torch_xp.one_call_mean(kernel)
    return kernel


def native_random(name: str, device: Device | None) -> Any:
    """On the CPU, the host's native kernel for ``storax._random_kernels.<name>``, its NumPy
    result shared by a tensor (zero copy); None elsewhere (the composite kernel draws)."""
    if device is not None and native_device(device) != _CPU:
        return None
    draw = _native_random.kernel(name)
    if draw is None:
        return None

    def run(*args: Any, **kwargs: Any) -> TorchValue:
        return TorchValue(torch.from_numpy(draw(*args, **kwargs)))

    return run


def compile_kernel(func: Any) -> Any:
    """``func`` itself (kernels run eagerly on torch)."""
    return func


_host_top_k = _torch_xp.fallback(_host.top_k, "top_k")


def top_k(value: Any, k: int, axis: int, largest: bool) -> tuple[Any, Any]:
    """The ``k`` largest (or smallest) entries along ``axis`` and their indices, in order:
    the NumPy backend's partial sort on the tensor's memory (torch.topk orders ties and
    NaNs otherwise)."""
    return tuple(_host_top_k(value, k, axis, largest))


def quiet() -> Any:
    """A context in which NumPy (the fallback kernels) raises no floating-point warnings."""
    return np.errstate(all="ignore")


def all_finite(value: Any) -> bool:
    """Whether no element of ``value`` is NaN or infinite."""
    return bool(xp.all(xp.isfinite(value)))


_this_module: Any = sys.modules[__name__]

# The family (imported last: it builds on the functions above). Where the family module
# is imported first (a fresh process unpickling the TorchArray class), it is only partly
# initialised here and binds these two names itself once defined.
from . import _torch_array  # noqa: E402

if hasattr(_torch_array, "new"):
    Array = _torch_array.TorchArray
    wrap = _torch_array.new


def install_operators(cls: Any, ew: Any) -> None:
    """Install the Python operators on the family ``cls`` (the composition step)."""
    from ._torch_operators import install

    install(cls, ew)
