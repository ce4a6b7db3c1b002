"""The JAX backend: storages are flat ``jax.Array``s owned by their Storage alone.

JAX arrays are immutable and have no strides, so storax supplies both:

- reading a view that is not its whole storage runs a jitted kernel cached by the
  view's *shape* (contiguous views: a dynamic slice; transposes of a contiguous block:
  a dynamic slice and a transpose; others: an iota gather). Offsets and strides are
  traced arguments, so a new offset or stride for a known shape costs no compilation;
- writing runs a jitted scatter that **donates** the storage buffer, so a small write into
  a large storage costs microseconds, not a copy. A buffer is donated only when the Storage
  is its sole owner (checked by reference count); otherwise the write copies, so nothing a
  user holds is ever invalidated ("Array has been deleted" never reaches a user);
- writes are atomic per storage: a write takes the buffer, computes, rebinds it and bumps
  the version under the storage's lock; reads take the buffer and the version under the
  same lock (and dispatch their kernel before releasing it). So the sole-owner check and
  the donation see every reader: a reader either dispatched its read first (JAX orders
  the donation after it) or takes the new buffer.

Importing this module imports JAX and turns on ``jax_enable_x64`` (storax provides the
64-bit dtypes it lists), unless ``STORAX_JAX_X64=0``: then JAX devices list and accept
only 32-bit types, and storax's defaults on them are 32-bit (see docs/backends.md).
"""

from __future__ import annotations

import contextlib
import inspect
import math
import sys
import weakref
from functools import partial
from types import MappingProxyType
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np
from jax import lax
from jax._src import core as _jax_core

from .._config import settings
from .._core._layout import Layout
from .._core._storage import Storage
from .._device import Device, register_native
from . import _jax_sharding as _sharding
from . import _layout_array, _native_random
from ._protocol import Capabilities

# Note: storax's JAX arrays must really be 64-bit when they say so; JAX silently narrows
# float64/int64 to 32 bits unless x64 is enabled. This is process-wide (documented). With
# STORAX_JAX_X64=0 storax leaves x64 off and lists (and accepts) only 32-bit types.
x64: bool = settings.jax_x64
jax.config.update("jax_enable_x64", x64)
_ALL_DTYPES = tuple(
    np.dtype(t)
    for t in ("bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
              "float32", "float64", "complex64", "complex128")
)  # fmt: skip
# The dtypes every JAX device supports here (all devices share the process-wide x64 flag).
supported_dtypes: tuple[np.dtype, ...] = tuple(
    d for d in _ALL_DTYPES if x64 or d.itemsize < 8 or d == np.complex64
)
unsupported_note = "" if x64 else " (JAX runs without 64-bit types: STORAX_JAX_X64=0)"
# The integer types of storage indices in the kernels: 32-bit without x64, as jax.numpy's
# own indexing then (views of storages beyond 2**31 elements need x64).
_IDX = jnp.int64 if x64 else jnp.int32
_UIDX = jnp.uint64 if x64 else jnp.uint32
_NP_IDX = np.int64 if x64 else np.int32
_NP_UIDX = np.uint64 if x64 else np.uint32

name = "jax"
xp = jnp
ArrayType = jax.Array

_PLATFORMS = ("cpu", "gpu", "tpu")


class _JittedNamespace:
    """``kx.name`` is ``jax.jit(jax.numpy.name)``, made on first use.

    storax calls hot-path kernels (element-wise functions, reductions) through ``kx``:
    a jitted function is dispatched by JAX's C++ fast path, which costs a few µs less per
    call than eager ``jax.numpy`` (whose Python wrappers check and promote arguments that
    storax has already validated). Keyword arguments that select the computation (axis,
    dtype, keepdims...) are static; inside ``jax.jit`` the kernels are inlined as usual.
    """

    _STATIC = (
        "axis", "dtype", "keepdims", "correction", "ddof", "include_initial", "n", "stable",
        "descending", "side", "method",
    )  # fmt: skip

    def __getattr__(self, name: str) -> Any:
        func = getattr(jnp, name)
        params = inspect.signature(func).parameters
        static = tuple(a for a in self._STATIC if a in params)
        kernel = jax.jit(func, static_argnames=static)
        setattr(self, name, kernel)
        return kernel


kx = _JittedNamespace()


def _jax_devices() -> list[Any]:
    out: list[Any] = []
    for platform in _PLATFORMS:
        try:
            out.extend(jax.devices(platform))
        except RuntimeError:
            continue
    return out


caps = Capabilities(
    live_views=False,
    negative_strides=False,
    # With one JAX device, two JAX arrays are always on the same device (a cheap check).
    single_device=len(_jax_devices()) == 1,
    # jax.numpy.linalg returns NaN/inf for singular input: storax checks eager results.
    raises_on_singular=False,
    traced=True,
    host_native=False,
    # Storages may be sharded over a mesh (device= takes a jax.sharding.Sharding).
    sharding=True,
    clamps_indices=True,
    # Note: on GPUs and TPUs jax.numpy's default matmul precision is reduced (bfloat16
    # passes); storax asks for full precision so every backend computes the same thing.
    matmul_kwargs=MappingProxyType({"precision": "highest"}),
    eigh_kwargs=MappingProxyType({"symmetrize_input": False}),
)


def device_name(d: Any) -> str:
    return f"jax:{d.platform}:{d.id}"


def devices() -> list[Device]:
    """Every JAX device present, as storax Devices (``jax:cpu:0``, ``jax:gpu:0``, ...)."""
    return [Device(device_name(d)) for d in _jax_devices()]


def device_dtypes(device: Device | None) -> tuple[np.dtype, ...]:  # noqa: ARG001
    """The dtypes ``device`` holds (the same on every JAX device: x64 is process-wide)."""
    return supported_dtypes


def default_device() -> Device:
    d = jax.devices()[0]
    out = _DEVICES.get(d)
    if out is None:
        out = _DEVICES[d] = Device(device_name(d))
    return out


def jax_device(device: Device) -> Any:
    """The ``jax.Device`` named by a storax Device (a placement over several devices:
    its ``jax.sharding.Sharding``)."""
    sharding = _sharding.sharding_of_device(device)
    if sharding is not None:
        return sharding
    found = _JAX_DEVICES.get(device.name)
    if found is not None:
        return found
    for d in _jax_devices():  # (asks JAX for every platform: ~30 us, hence the cache)
        if device_name(d) == device.name:
            _JAX_DEVICES[device.name] = d
            return d
    known = ", ".join(device_name(d) for d in _jax_devices())
    raise ValueError(f"device {device.name!r} is not present (JAX devices: {known})")


_DEVICES: dict[Any, Device] = {}
# storax device name -> its jax.Device (a process's devices never change)
_JAX_DEVICES: dict[str, Any] = {}
_Tracer = _jax_core.Tracer
# Note: JAX has no public "is a transformation being traced?" query; this private one costs
# ~0.2 µs. Without it (a future JAX), writes into captured arrays are not detected.
_trace_state_clean = getattr(_jax_core, "trace_state_clean", lambda: True)


def device_of(buffer: Any) -> Device:
    """The storax Device of a JAX value (a tracer: the default JAX device)."""
    if isinstance(buffer, _Tracer):
        # Note: a value traced inside jax.jit/grad/vmap has no device yet; storax treats it
        # as being on the default JAX device (where the traced computation will run).
        return default_device()
    # Note: ``sharding`` (not ``devices()``) still answers for a buffer a concurrent write
    # has just donated (a reader may hold a Storage's previous buffer a moment).
    devs = buffer.sharding.device_set
    if len(devs) != 1:
        return _sharding.placement(buffer.sharding)
    d = next(iter(devs))
    out = _DEVICES.get(d)
    if out is None:
        out = _DEVICES[d] = Device(device_name(d))
    return out


def is_tracer(value: Any) -> bool:
    """Whether ``value`` is a JAX tracer (inside jax.jit, grad, vmap...)."""
    return isinstance(value, _Tracer)


def data_ptr(buffer: Any) -> int:
    if len(buffer.devices()) != 1:  # sharded: the address of this process's first shard
        return _sharding.first_shard_pointer(buffer)
    return int(buffer.unsafe_buffer_pointer())


def to_host(value: Any) -> np.ndarray:
    """A NumPy copy of a JAX value (never a view of device memory that may be donated)."""
    _sharding.check_addressable(value, "to_host")
    return np.array(value, copy=True)


def tolist(buffer: Any) -> Any:
    # Python values read through NumPy's view of the value (nothing of it outlives the call,
    # so no copy: ~6 us less than to_host on a small value, paid by every checked linalg
    # routine, take's bounds and integer pow's exponent facts). A value spanning several
    # processes: to_host's error.
    try:
        return np.asarray(buffer).tolist()
    except RuntimeError:
        _sharding.check_addressable(buffer, "to_host")
        raise


def format_elements(buffer: Any) -> list[str]:
    return [repr(v) for v in to_host(buffer).tolist()]


# ----------------------------------------------------------------------------- kernels


def _flat_indices(offset: Any, strides: Any, shape: tuple[int, ...]) -> Any:
    idx = jnp.asarray(offset, dtype=_IDX)
    for d in range(len(shape)):
        idx = idx + lax.broadcasted_iota(_IDX, shape, d) * strides[d]
    return idx


@partial(jax.jit, static_argnames=("shape",))
def _read_contiguous(buf: Any, offset: Any, *, shape: tuple[int, ...]) -> Any:
    return lax.dynamic_slice(buf, (offset,), (math.prod(shape),)).reshape(shape)


@partial(jax.jit, static_argnames=("shape", "axes"))
def _read_permuted(buf: Any, offset: Any, *, shape: tuple[int, ...], axes: tuple[int, ...]) -> Any:
    block = lax.dynamic_slice(buf, (offset,), (math.prod(shape),)).reshape(shape)
    return block.transpose(axes)


@partial(jax.jit, static_argnames=("shape",))
def _read_whole(buf: Any, *, shape: tuple[int, ...]) -> Any:
    # the whole storage in another shape (``x[:, None]`` of a fresh array): jitted, as
    # eager ``Array.reshape`` costs several times the dispatch in argument handling
    return buf.reshape(shape)


@jax.jit
def _ravel(value: Any) -> Any:
    return value.reshape(-1)


@partial(jax.jit, static_argnames=("shape", "axes"))
def _read_transposed(buf: Any, *, shape: tuple[int, ...], axes: tuple[int, ...]) -> Any:
    # the whole storage (``.T`` of an array): no offset to send to the device
    return buf.reshape(shape).transpose(axes)


_PERMUTATIONS: dict[tuple[tuple[int, ...], tuple[int, ...]], Any] = {}


def _dense_permutation(shape: tuple[int, ...], strides: tuple[int, ...]) -> Any:
    """``(block_shape, axes)`` when the view is a transpose of a contiguous block
    (``.T``, ``permute_dims``): its elements are ``block.transpose(axes)``; else None."""
    key = (shape, strides)
    found = _PERMUTATIONS.get(key, False)
    if found is not False:
        return found
    order = sorted(range(len(shape)), key=lambda d: -strides[d])
    expected, result = 1, None
    for d in reversed(order):
        if shape[d] != 1 and strides[d] != expected:
            break
        expected *= shape[d]
    else:
        result = (tuple(shape[d] for d in order), tuple(order.index(d) for d in range(len(shape))))
    if len(_PERMUTATIONS) < 4096:
        _PERMUTATIONS[key] = result
    return result


_FLIPS: dict[tuple[tuple[int, ...], tuple[int, ...]], Any] = {}


def _flipped_permutation(shape: tuple[int, ...], strides: tuple[int, ...]) -> Any:
    """``(block_shape, axes, flipped, shift)`` when the view is a transpose of a contiguous
    block with some axes reversed (``flip``, ``x[::-1]``): its elements are
    ``rev(block.transpose(axes), flipped)`` for the block starting ``shift`` elements
    before the view's offset; else None."""
    key = (shape, strides)
    found = _FLIPS.get(key, False)
    if found is not False:
        return found
    result = None
    flipped = tuple(d for d in range(len(shape)) if strides[d] < 0 and shape[d] > 1)
    if flipped:
        permuted = _dense_permutation(shape, tuple(abs(s) for s in strides))
        if permuted is not None:
            shift = sum((shape[d] - 1) * strides[d] for d in flipped)
            result = (*permuted, flipped, shift)
    if len(_FLIPS) < 4096:
        _FLIPS[key] = result
    return result


@partial(jax.jit, static_argnames=("shape", "axes", "flipped"))
def _read_flipped(
    buf: Any, offset: Any, *, shape: tuple[int, ...], axes: tuple[int, ...], flipped: Any
) -> Any:
    block = lax.dynamic_slice(buf, (offset,), (math.prod(shape),)).reshape(shape)
    return lax.rev(block.transpose(axes), flipped)


@partial(jax.jit, static_argnames=("shape",))
def _read_strided(buf: Any, params: Any, *, shape: tuple[int, ...]) -> Any:
    # params: [offset, *strides] in one integer array, one host-to-device transfer per read
    # (on a GPU each separate scalar argument would be a transfer of its own)
    return buf[_flat_indices(params[0], params[1:], shape)]


def _write_contiguous_impl(buf: Any, offset: Any, values: Any, *, shape: tuple[int, ...]) -> Any:
    flat = jnp.broadcast_to(values, shape).astype(buf.dtype).reshape(-1)
    return lax.dynamic_update_slice(buf, flat, (offset,))


def _write_strided_impl(
    buf: Any, offset: Any, strides: Any, values: Any, *, shape: tuple[int, ...]
) -> Any:
    idx = _flat_indices(offset, strides, shape).reshape(-1)
    flat = jnp.broadcast_to(values, shape).astype(buf.dtype).reshape(-1)
    return buf.at[idx].set(flat, unique_indices=True)


def _write_indices_impl(buf: Any, indices: Any, values: Any) -> Any:
    flat = jnp.broadcast_to(values, indices.shape).astype(buf.dtype).reshape(-1)
    return buf.at[indices.reshape(-1)].set(flat)


_write_contiguous = {
    True: jax.jit(_write_contiguous_impl, static_argnames=("shape",), donate_argnums=0),
    False: jax.jit(_write_contiguous_impl, static_argnames=("shape",)),
}
_write_strided = {
    True: jax.jit(_write_strided_impl, static_argnames=("shape",), donate_argnums=0),
    False: jax.jit(_write_strided_impl, static_argnames=("shape",)),
}
_write_indices = {
    True: jax.jit(_write_indices_impl, donate_argnums=0),
    False: jax.jit(_write_indices_impl),
}
_indices_of = jax.jit(_flat_indices, static_argnames=("shape",))


@jax.jit
def _out_of_bounds_signed(k: Any, n: Any) -> Any:
    k = k.astype(_IDX)
    return jnp.any((k < -n) | (k >= n))


@jax.jit
def _out_of_bounds_unsigned(k: Any, n: Any) -> Any:
    return jnp.any(k.astype(_UIDX) >= n)


def out_of_bounds(k: Any, n: int) -> bool:
    """Whether the integer index array ``k`` (NumPy or JAX) has an entry outside [-n, n)."""
    if isinstance(k, np.ndarray):
        if k.dtype.kind == "u":
            return bool((k.astype(np.uint64) >= n).any())
        k = k.astype(np.int64)
        return bool(((k < -n) | (k >= n)).any())
    if k.dtype.kind == "u":
        return bool(_out_of_bounds_unsigned(k, _NP_UIDX(n)))
    return bool(_out_of_bounds_signed(k, _NP_IDX(n)))


# ------------------------------------------------------------------ storage protocol


# ------------------------------------------------------- JAX transformations (traces)
# Inside jax.jit/grad/vmap, JAX runs the function under a *trace*; values computed there
# are tracers of it. A storage belongs to the trace its buffer was made in: a tracer's own
# trace; for a concrete buffer, the trace recorded in _CONTEXT (none: the top level, or a
# concrete value made inside an eager transformation such as grad, recorded when the
# storage is made). A write is allowed only in the storage's own trace, so a tracer never
# leaks into an array created outside the traced function.
_EvalTrace = _jax_core.EvalTrace
_eval_trace = _jax_core.eval_trace
_set_current_trace = _jax_core.set_current_trace
_trace_ctx = _jax_core.trace_ctx
_CONTEXT: weakref.WeakKeyDictionary[Storage, Any] = weakref.WeakKeyDictionary()


def current_trace() -> Any:
    """The JAX trace new values are made in (an EvalTrace at the top level)."""
    return _trace_ctx.trace


def _context(storage: Storage) -> Any:
    buf = storage._buffer
    if isinstance(buf, _Tracer):
        return buf._trace
    return _CONTEXT.get(storage)


def _flat_copy(value: Any) -> Any:
    flat = _ravel(value)
    # a jitted identity may hand its argument back: the storage must own its buffer
    return jnp.array(value, copy=True) if flat is value else flat


def allocate(value: Any, trace: Any = None) -> Storage:
    """A new Storage holding a flat copy of ``value`` (so it is the buffer's sole owner).

    ``trace`` is the trace ``value`` was made in (see above); the buffer is made in it too.
    """
    if isinstance(value, _Tracer):
        home = value._trace
        if home is _trace_ctx.trace:
            return Storage(_flat_copy(value), _this_module)
        with _set_current_trace(home):
            return Storage(_flat_copy(value), _this_module)
    if _trace_state_clean():
        # A value sharded over a mesh keeps its shape and sharding (_jax_sharding.py).
        kept = _sharding.copy_sharded(value)
        return Storage(_flat_copy(value) if kept is None else kept, _this_module)
    # A concrete value inside a transformation: keep its storage concrete.
    with _set_current_trace(_eval_trace):
        storage = Storage(_flat_copy(value), _this_module)
    if trace is not None and type(trace) is not _EvalTrace:
        _CONTEXT[storage] = trace
    return storage


def materialise(storage: Storage, layout: Layout) -> Any:
    """The JAX value of ``layout`` over ``storage`` (a new array, computed by a kernel).

    The caller holds the storage's lock (see :func:`read_view`), or owns the storage.
    """
    buf = storage._buffer
    if isinstance(buf, _Tracer) or _trace_state_clean():
        return _materialise(buf, layout)
    # A concrete storage read inside a transformation: a concrete value (cacheable).
    with _set_current_trace(_eval_trace):
        return _materialise(buf, layout)


def _materialise(buf: Any, layout: Layout) -> Any:
    shape = layout.shape
    if layout.size == 0:
        if isinstance(buf, _Tracer):
            return jnp.zeros(shape, dtype=buf.dtype)
        return jnp.zeros(shape, dtype=buf.dtype, device=_sharding.replicated(buf.sharding))
    plan = _sharding.plan_of(buf)
    if plan is not None:
        return plan.read(buf, layout)
    if layout.is_contiguous():
        if layout.offset == 0 and layout.size == buf.shape[0]:
            return buf if buf.shape == shape else _read_whole(buf, shape=shape)
        return _read_contiguous(buf, layout.offset, shape=shape)
    permuted = _dense_permutation(shape, layout.strides)
    if permuted is not None:  # a transpose of a contiguous block: slice, then transpose
        block, axes = permuted
        if layout.offset == 0 and layout.size == buf.shape[0]:
            return _read_transposed(buf, shape=block, axes=axes)
        return _read_permuted(buf, layout.offset, shape=block, axes=axes)
    flips = _flipped_permutation(shape, layout.strides)
    if flips is not None:  # the same, with reversed axes: slice, transpose, reverse
        block, axes, flipped, shift = flips
        return _read_flipped(
            buf, layout.offset + shift, shape=block, axes=axes, flipped=flipped
        )  # fmt: skip
    params = np.array((layout.offset, *layout.strides), dtype=_NP_IDX)
    return _read_strided(buf, params, shape=shape)


lock = _layout_array.lock
detach = _layout_array.detach


def cacheable(value: Any, storage: Storage) -> bool:
    """Whether a value read from ``storage`` may be cached on the array (no foreign tracer)."""
    if not isinstance(value, _Tracer):
        return True
    buf = storage._buffer
    return isinstance(buf, _Tracer) and value._trace is buf._trace


# Buffers handed out beyond storax's reach (``jnp.asarray(x)``, DLPack, jit arguments).
# Their owners may derive JAX arrays that share the buffer without holding a Python
# reference to it (``jax.device_put``, DLPack capsules), so a pinned buffer is never
# donated: the next write into its storage copies once, into a fresh unpinned buffer.
_PINNED: weakref.WeakValueDictionary[int, Any] = weakref.WeakValueDictionary()


def pin(value: Any) -> Any:
    """Mark a concrete JAX value as exported (never to be donated); returns it."""
    if not isinstance(value, _Tracer):
        _PINNED[id(value)] = value
    return value


def _sole_owner(storage: Storage) -> bool:
    # References: the Storage's slot, the local name and getrefcount's argument. Called
    # under the storage's lock: every reader takes the buffer under it too, so no reader
    # can pick the buffer up between this check and the donation.
    buf = storage._buffer
    return sys.getrefcount(buf) <= 3 and _PINNED.get(id(buf)) is not buf


def _check_not_captured(storage: Storage, values: Any, func: str) -> None:
    """Refuse a write, inside a JAX transformation, into a storage created outside it."""
    if _trace_state_clean() and not isinstance(values, _Tracer):
        return
    if _context(storage) is _trace_ctx.trace:
        return  # the storage belongs to the traced function: the write is functional
    raise ValueError(
        f"{func}: cannot write, inside jax.jit/grad/vmap, into an array created outside "
        "the traced function (the write would be lost or leak a tracer); pass the array "
        "in as an argument and return the updated array instead"
    )


_check_broadcasts = _layout_array.check_broadcasts


def write(storage: Storage, layout: Layout, values: Any, func: str = "__setitem__") -> None:
    """Write ``values`` (broadcast to the layout's shape) through ``layout`` into ``storage``."""
    _check_broadcasts(np.shape(values), layout.shape, func)
    if layout.size == 0:
        return
    _check_not_captured(storage, values, func)

    def compute(buf: Any, donate: bool) -> Any:
        plan = _sharding.plan_of(buf)
        if plan is not None:
            return plan.write(buf, layout, values, donate)
        if layout.is_contiguous():
            return _write_contiguous[donate](buf, layout.offset, values, shape=layout.shape)
        return _write_strided[donate](
            buf, layout.offset, layout.strides, values, shape=layout.shape
        )

    _rebind(storage, compute)


def write_fresh(storage: Storage, layout: Layout, values: Any, func: str = "__setitem__") -> None:
    """``write`` of a value no one else holds: the fresh result of a storax kernel (an
    in-place operator's, a masked fill's). Where it fills the whole (1-D, unsharded)
    storage with its dtype, it *becomes* the storage's buffer: no kernel, no copy.

    Safe as donation is: a kernel may hand an input back (an identity), but then as the
    same Python object, whose other holders the sole-owner reference count sees."""
    buf = storage._buffer
    if (
        layout.offset == 0
        and values.shape == buf.shape == layout.shape  # 1-D, the whole storage
        and layout.strides == (1,)
        and values.dtype == buf.dtype
        and type(values) is type(buf)
        and not isinstance(buf, _Tracer)  # concrete arrays, outside any transformation
        and _trace_state_clean()
        and _sharding.plan_of(buf) is None
        and values.sharding == buf.sharding
    ):
        with storage._lock:
            storage._buffer = values
            storage._version += 1
        return
    write(storage, layout, values, func)


@jax.jit
def _select_fill(current: Any, mask: Any, value: Any) -> Any:
    m = mask.reshape(mask.shape + (1,) * (current.ndim - mask.ndim))
    return jnp.where(m, value.astype(current.dtype), current)


def fill_mask(storage: Storage, layout: Layout, mask: Any, value: Any, func: str) -> None:
    """``view[mask] = value`` for a scalar ``value`` (a NumPy 0-d of the view's dtype): a
    select over the whole view, one compiled kernel whose fresh result is written back
    (no data-dependent shape: it also works inside jax.jit)."""
    with storage._lock:  # read-modify-write: atomic per storage
        new = _select_fill(materialise(storage, layout), mask, value)
        write_fresh(storage, layout, new, func)


def _rebind(storage: Storage, compute: Any) -> None:
    """Replace ``storage``'s buffer by ``compute(buffer, donate)`` and count the write, all
    under the storage's lock (the atomic write of docs/design.md): the buffer is donated
    only when the storage is its sole owner, and no reference to it outlives the call."""
    with storage._lock:
        donate = _sole_owner(storage)
        new = compute(storage._buffer, donate)
        storage._buffer = new
        storage._version += 1


def flat_indices(layout: Layout) -> Any:
    """The storage index of every element of ``layout``, as a JAX integer array
    (int64; int32 without 64-bit types)."""
    return _indices_of(layout.offset, layout.strides, shape=layout.shape)


def write_indices(storage: Storage, indices: Any, values: Any, func: str = "__setitem__") -> None:
    """Write ``values`` at the storage ``indices`` (a JAX integer array)."""
    if indices.size == 0:
        return
    _check_not_captured(storage, indices, func)
    _check_not_captured(storage, values, func)

    def compute(buf: Any, donate: bool) -> Any:
        plan = _sharding.plan_of(buf)
        if plan is not None:
            return plan.write_indices(buf, indices, values, donate)
        return _write_indices[donate](buf, indices, values)

    _rebind(storage, compute)


def storage_setitem(storage: Storage, index: int | slice, value: Any) -> None:
    """``storage[index] = value`` through a donated write."""
    _layout_array.storage_setitem(write, storage, index, value)


def native_device(device: Device) -> Any:
    return jax_device(device)


register_native(_sharding.native_placement)


def sharding_of(value: Any) -> Any:
    """The ``jax.sharding.Sharding`` of a concrete JAX value (None: a tracer)."""
    return None if isinstance(value, _Tracer) else value.sharding


def is_sharded(storage: Storage) -> bool:
    """Whether ``storage`` is laid out over several devices by a sharding it keeps."""
    return _sharding.plan_of(storage._buffer) is not None


def read_indices(storage: Storage, indices: Any) -> Any:
    """The elements of ``storage`` at the storage ``indices`` (a JAX integer array)."""
    plan = _sharding.plan_of(storage._buffer)
    if plan is not None:
        return plan.read_indices(storage._buffer, indices)
    return storage._buffer.reshape(-1)[indices]


def from_host(value: np.ndarray, device: Device | None) -> Any:
    """A JAX array on ``device`` (None: the default) holding a copy of ``value``."""
    if isinstance(value, np.ndarray):
        # Note: on the CPU, device_put may alias (zero-copy) an aligned NumPy buffer, and
        # later writes to that buffer would show through the "immutable" JAX array.
        value = np.array(value, copy=True)
    target = None if device is None else jax_device(device)
    try:
        return jax.device_put(value, target)
    except ValueError as e:  # a sharding that does not fit the value's shape
        raise ValueError(
            f"cannot place a value of shape {np.shape(value)} on {device}: {e}"
        ) from None


def from_dlpack(x: Any, device: Device | None, copy: bool | None) -> Any:
    """A JAX array of a DLPack producer's data, on ``device`` (None: the producer's)."""
    dev = None if device is None else jax_device(device)
    try:
        value = jnp.from_dlpack(x, device=dev, copy=None if copy else copy)
        # Note: jax 0.11 ignores copy=True for a host producer (the import aliases the
        # NumPy buffer); storax copies itself, so a later write to the producer never shows.
        return jnp.array(value, copy=True) if copy else value
    except (BufferError, RuntimeError, ValueError, TypeError) as e:
        if copy is False:
            raise BufferError(f"from_dlpack: cannot share this array without a copy: {e}") from e
    # The producer cannot hand JAX its memory (another device kind, an unsupported layout):
    # go through a host copy.
    return jax.device_put(np.from_dlpack(x, copy=True, device="cpu"), dev)


def is_value(value: Any) -> bool:
    """Whether ``value`` is a JAX array or tracer."""
    return isinstance(value, jax.Array)


def register_pytree(cls: type, flatten: Any, unflatten: Any) -> None:
    """Let ``cls`` cross jax.jit/grad/vmap boundaries."""
    jax.tree_util.register_pytree_node(cls, flatten, unflatten)


_this_module: Any = sys.modules[__name__]


# Composite kernels are compiled and fused by XLA (which may contract a * b + c into one
# fused multiply-add); whole arrays go in one call.
composite_fused = True


def tracing() -> bool:
    """Whether a JAX transformation (jit, grad, vmap...) is being traced right now."""
    return not _trace_state_clean()


def composite(func: Any, static_argnames: tuple[str, ...] = ()) -> Any:
    """``func(xp, ...)`` as one compiled kernel (``static_argnames``: the arguments that
    select the computation: axes, dtypes, flags)."""
    return jax.jit(partial(func, jnp), static_argnames=static_argnames)


def native_random(name: str, device: Device | None) -> Any:
    """On a CPU device, the host's native kernel for ``storax._random_kernels.<name>``,
    its NumPy result put on the device; None elsewhere (the jitted kernel draws)."""
    d = jax.devices()[0] if device is None else jax_device(device)
    if not isinstance(d, jax.Device) or d.platform != "cpu":
        return None
    draw = _native_random.kernel(name)
    if draw is None:
        return None

    def run(*args: Any, **kwargs: Any) -> Any:
        # Note: device_put may alias the fresh buffer (zero copy); nothing else refers to it
        return jax.device_put(draw(*args, **kwargs), d)

    return run


def compile_kernel(func: Any) -> Any:
    """``func`` (on JAX values) as one compiled kernel."""
    return jax.jit(func)


# A loop whose length the data decides, inside a compiled kernel (the element-wise kernels
# use it where a fixed loop would run to the worst case: integer powers).
while_loop = lax.while_loop


# (function, static arguments, dtype, placement) -> its compiled creation kernel
_CREATION: dict[tuple[Any, ...], Any] = {}


def create(func: str, static: tuple[Any, ...], dtype: Any, device: Any, *values: Any) -> Any:
    """``jax.numpy.<func>(*static, *values, dtype=dtype)`` on ``device`` (a jax Device or
    Sharding; None: the default), as one compiled kernel per signature: eager
    ``jax.numpy.zeros((8,))`` costs ~170 us in argument handling and placement, the
    compiled call ~5 us. ``static`` (shapes, sizes) select the kernel; ``values`` (a fill
    value) are its arguments. Under a JAX transformation: the eager call, traced."""
    make = getattr(jnp, func)
    if not _trace_state_clean():
        return make(*static, *values, dtype=dtype, device=device)
    key = (func, static, dtype, device)
    kernel = _CREATION.get(key)
    if kernel is None:
        if len(_CREATION) >= 4096:  # (a bound: beyond it, the eager call)
            return make(*static, *values, dtype=dtype, device=device)
        placed = device
        if isinstance(device, jax.Device):
            placed = jax.sharding.SingleDeviceSharding(device)
        kernel = _CREATION[key] = jax.jit(
            lambda *v: make(*static, *v, dtype=dtype), out_shardings=placed
        )
    return kernel(*values)


def make_complex(re: Any, im: Any) -> Any:
    """A complex value from real and imaginary parts, without arithmetic on them.

    Note: jax.numpy has no such function (``re + 1j * im`` turns an infinite ``im`` into
    a NaN real part); ``lax.complex`` is exact."""
    return lax.complex(re, im)


def _clip(v: Any, lo: Any, hi: Any) -> Any:
    r = v
    if hi is not None:
        r = jnp.minimum(r, hi)
    if lo is not None:
        r = jnp.maximum(r, lo)
    return r if r.dtype == v.dtype else r.astype(v.dtype)


# One compiled kernel (one pass, one dispatch) for both bounds; a None bound is an empty
# pytree to ``jax.jit``, so each combination of given bounds compiles once.
_clip_kernel = jax.jit(_clip)


def clip(v: Any, lo: Any, hi: Any) -> Any:
    """``clip`` of a validated value: ``maximum(minimum(v, hi), lo)`` (NaN propagates)."""
    if is_tracer(v) or is_tracer(lo) or is_tracer(hi):
        return _clip(v, lo, hi)
    return _clip_kernel(v, lo, hi)


def write_mask(storage: Storage, layout: Layout, mask: Any, values: Any, func: str) -> None:
    """``view[mask] = values`` for the view ``layout`` of ``storage`` (a select of the view
    for a scalar value, which needs no data-dependent shape and so works inside jit)."""
    current = materialise(storage, layout)
    m = jnp.reshape(mask, mask.shape + (1,) * (layout.ndim - mask.ndim))
    if jnp.ndim(values) == 0:
        new = jnp.where(m, jnp.asarray(values, dtype=current.dtype), current)
    else:
        new = current.at[mask].set(jnp.asarray(values).astype(current.dtype))
    write(storage, layout, new, func)


def view_of(storage: Storage, layout: Layout, readonly: bool) -> Any:
    """An Array of this backend viewing ``layout`` of ``storage``."""
    return _jax_array.view(storage, layout, readonly)


# The family (imported last: it builds on the functions above). Where the family module
# is imported first (a fresh process unpickling the JaxArray class, as distributed does
# for a serializer's dispatch), it is only partly initialised here and binds these two
# names itself once defined.
from . import _jax_array  # noqa: E402

if hasattr(_jax_array, "new"):
    Array = _jax_array.JaxArray
    wrap = _jax_array.new


def install_operators(cls: Any, ew: Any) -> None:
    """Install the Python operators on the family ``cls`` (the composition step)."""
    from ._xp_operators import install

    install(cls, ew)


def quiet() -> Any:
    """A context in which floating-point warnings are not raised (JAX raises none)."""
    return contextlib.nullcontext()


linalg_errors: tuple[type, ...] = ()  # jax.numpy.linalg returns NaN/inf instead


def all_finite(value: Any) -> bool:
    """Whether no element of the (eager) ``value`` is NaN or infinite."""
    return bool(jnp.all(jnp.isfinite(value)))


# Types that float32 holds exactly: their top_k key is a float32, for which XLA's CPU
# runtime has a fast TopK (~100x a sort at 1e6 elements); other keys fall back to a sort.
_F32_EXACT = frozenset(np.dtype(t) for t in ("bool", "int8", "int16", "uint8", "uint16", "float32"))


def _top_k_key(v: Any, largest: bool) -> Any:
    """A key whose descending order is the order ``top_k`` returns.

    NaN is the highest value and -0.0 equals 0.0 (as in ``sort``). Small types become
    float32 (negated for "smallest", with NaN mapped to a negative NaN, which
    ``lax.top_k`` orders below -inf). Other floats become their bit patterns, made
    monotonic; for "smallest" the integer key is complemented (``~key`` reverses any
    integer order without overflow, unsigned included). Ties keep the lowest index first,
    as ``lax.top_k`` does.
    """
    if v.dtype in _F32_EXACT:
        f = v.astype(jnp.float32)
        f = jnp.where(f == 0, jnp.zeros_like(f), f)
        if largest:
            return jnp.where(jnp.isnan(f), jnp.float32(jnp.nan), f)
        neg_nan = lax.bitcast_convert_type(jnp.uint32(0xFFC00000), jnp.float32)
        return jnp.where(jnp.isnan(f), neg_nan, -f)
    if jnp.issubdtype(v.dtype, jnp.floating):
        bits = {4: jnp.int32, 8: jnp.int64}[v.dtype.itemsize]
        v = jnp.where(v == 0, jnp.zeros_like(v), v)  # -0.0 -> 0.0
        v = jnp.where(jnp.isnan(v), jnp.full_like(v, jnp.nan), v)  # one positive NaN
        b = lax.bitcast_convert_type(v, bits)
        v = jnp.where(b < 0, b ^ jnp.array(jnp.iinfo(bits).max, bits), b)
    return v if largest else ~v


@partial(jax.jit, static_argnames=("k", "axis", "largest", "index_dtype"))
def _top_k(value: Any, *, k: int, axis: int, largest: bool, index_dtype: Any) -> Any:
    v = jnp.moveaxis(value, axis, -1)
    _, idx = lax.top_k(_top_k_key(v, largest), k)
    vals = jnp.take_along_axis(v, idx, axis=-1)
    return jnp.moveaxis(vals, -1, axis), jnp.moveaxis(idx.astype(index_dtype), -1, axis)


def top_k(value: Any, k: int, axis: int, largest: bool) -> tuple[Any, Any]:
    """The ``k`` largest (or smallest) entries along ``axis`` and their indices, in order
    (``lax.top_k`` of an order-preserving integer key; see ``_top_k_key``)."""
    return _top_k(value, k=k, axis=axis, largest=largest, index_dtype=_IDX)
