"""The JAX backend: storages are flat ``jax.Array``s owned by their Storage alone.

JAX arrays are immutable and have no strides, so storax supplies both:

- reading a view that is not its whole storage runs a jitted kernel cached by the
  view's *shape* (contiguous views: a dynamic slice; others: an iota gather). Offsets and
  strides are traced arguments, so a new offset or stride for a known shape costs no
  compilation;
- writing runs a jitted scatter that **donates** the storage buffer, so a small write into
  a large storage costs microseconds, not a copy. A buffer is donated only when the Storage
  is its sole owner (checked by reference count); otherwise the write copies, so nothing a
  user holds is ever invalidated ("Array has been deleted" never reaches a user).

Importing this module imports JAX and turns on ``jax_enable_x64`` (storax provides the
64-bit dtypes it lists; see docs/backends.md).
"""

from __future__ import annotations

import math
import sys
from functools import partial
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np
from jax import lax

from .._core._layout import Layout
from .._core._storage import Storage
from .._device import Device

# Note: storax's JAX arrays must really be 64-bit when they say so; JAX silently narrows
# float64/int64 to 32 bits unless x64 is enabled. This is process-wide (documented).
jax.config.update("jax_enable_x64", True)

name = "jax"
xp = jnp
np_ = np
ArrayType = jax.Array

_PLATFORMS = ("cpu", "gpu", "tpu")


def _jax_devices() -> list[Any]:
    out: list[Any] = []
    for platform in _PLATFORMS:
        try:
            out.extend(jax.devices(platform))
        except RuntimeError:
            continue
    return out


def device_name(d: Any) -> str:
    return f"jax:{d.platform}:{d.id}"


def devices() -> list[Device]:
    """Every JAX device present, as storax Devices (``jax:cpu:0``, ``jax:gpu:0``, ...)."""
    return [Device(device_name(d)) for d in _jax_devices()]


def default_device() -> Device:
    return Device(device_name(jax.devices()[0]))


def jax_device(device: Device) -> Any:
    """The ``jax.Device`` named by a storax Device."""
    for d in _jax_devices():
        if device_name(d) == device.name:
            return d
    known = ", ".join(device_name(d) for d in _jax_devices())
    raise ValueError(f"device {device.name!r} is not present (JAX devices: {known})")


def device_of(buffer: Any) -> Device:
    return Device(device_name(next(iter(buffer.devices()))))


def data_ptr(buffer: Any) -> int:
    return int(buffer.unsafe_buffer_pointer())


def to_host(value: Any) -> np.ndarray:
    """A NumPy copy of a JAX value (never a view of device memory that may be donated)."""
    return np.array(value, copy=True)


def tolist(buffer: Any) -> Any:
    return to_host(buffer).tolist()


def format_elements(buffer: Any) -> list[str]:
    return [repr(v) for v in to_host(buffer).tolist()]


# ----------------------------------------------------------------------------- kernels


def _flat_indices(offset: Any, strides: Any, shape: tuple[int, ...]) -> Any:
    idx = jnp.asarray(offset, dtype=jnp.int64)
    for d in range(len(shape)):
        idx = idx + lax.broadcasted_iota(jnp.int64, shape, d) * strides[d]
    return idx


@partial(jax.jit, static_argnames=("shape",))
def _read_contiguous(buf: Any, offset: Any, *, shape: tuple[int, ...]) -> Any:
    return lax.dynamic_slice(buf, (offset,), (math.prod(shape),)).reshape(shape)


@partial(jax.jit, static_argnames=("shape",))
def _read_strided(buf: Any, offset: Any, strides: Any, *, shape: tuple[int, ...]) -> Any:
    return buf[_flat_indices(offset, strides, shape)]


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


# ------------------------------------------------------------------ storage protocol


def allocate(value: Any) -> Storage:
    """A new Storage holding a flat copy of ``value`` (so it is the buffer's sole owner)."""
    flat = jnp.ravel(value)
    if flat is value:
        flat = jnp.array(value, copy=True)
    return Storage(flat, _this_module)


def materialise(storage: Storage, layout: Layout) -> Any:
    """The JAX value of ``layout`` over ``storage`` (a new array, computed by a kernel)."""
    buf = storage._buffer
    shape = layout.shape
    if layout.size == 0:
        return jnp.zeros(shape, dtype=buf.dtype, device=next(iter(buf.devices())))
    if layout.is_contiguous():
        if layout.offset == 0 and layout.size == buf.shape[0]:
            return buf.reshape(shape)
        return _read_contiguous(buf, layout.offset, shape=shape)
    return _read_strided(buf, layout.offset, layout.strides, shape=shape)


def _sole_owner(storage: Storage) -> bool:
    # References: the Storage's slot and getrefcount's argument.
    return sys.getrefcount(storage._buffer) <= 2


def write(storage: Storage, layout: Layout, values: Any) -> None:
    """Write ``values`` (broadcast to the layout's shape) through ``layout`` into ``storage``."""
    if layout.size == 0:
        return
    donate = _sole_owner(storage)
    buf = storage._buffer
    if layout.is_contiguous():
        new = _write_contiguous[donate](buf, layout.offset, values, shape=layout.shape)
    else:
        new = _write_strided[donate](buf, layout.offset, layout.strides, values, shape=layout.shape)
    del buf
    storage._buffer = new
    storage._version += 1


def flat_indices(layout: Layout) -> Any:
    """The storage index of every element of ``layout``, as a JAX int64 array."""
    return _indices_of(layout.offset, layout.strides, shape=layout.shape)


def write_indices(storage: Storage, indices: Any, values: Any) -> None:
    """Write ``values`` at the storage ``indices`` (a JAX integer array)."""
    if indices.size == 0:
        return
    donate = _sole_owner(storage)
    buf = storage._buffer
    new = _write_indices[donate](buf, indices, values)
    del buf
    storage._buffer = new
    storage._version += 1


def storage_setitem(storage: Storage, index: int | slice, value: Any) -> None:
    """``storage[index] = value`` through a donated write."""
    if isinstance(index, slice):
        start, _, step = index.indices(storage.size())
        n = len(range(*index.indices(storage.size())))
        write(storage, Layout((n,), (step,), start), value)
    else:
        write(storage, Layout((), (), index), value)


def native_device(device: Device) -> Any:
    return jax_device(device)


def from_host(value: np.ndarray, device: Device | None) -> Any:
    """A JAX array on ``device`` (None: the default) holding a copy of ``value``."""
    return jax.device_put(value, None if device is None else jax_device(device))


def is_jax_value(value: Any) -> bool:
    """Whether ``value`` is a JAX array or tracer."""
    return isinstance(value, jax.Array)


def register_pytree(cls: type, flatten: Any, unflatten: Any) -> None:
    """Let ``cls`` cross jax.jit/grad/vmap boundaries."""
    jax.tree_util.register_pytree_node(cls, flatten, unflatten)


_this_module: Any = sys.modules[__name__]
