"""Storages sharded over a JAX mesh: placements as storax Devices, and read/write kernels
that move only the elements a view touches (``shard_map``; no all-gather of the storage).

The decision (docs/design.md, docs/backends.md): a storage allocated from a value laid out
over several devices by a ``NamedSharding`` whose blocks are even keeps the **shape it was
sharded with** (its *storage shape*) and that sharding. Flat storage indices, which layouts
count in, are row-major over the storage shape, so every layout means what it means on a
flat storage. Kernels compute each element's storage index (an iota of the layout, or the
index array of an integer/boolean index), and every device acts on the elements of its own
block only:

- a read gathers its own elements (zero elsewhere) and the devices sum the small result
  (an exact sum: at most one device contributes a non-zero bit pattern); the result is
  replicated over the mesh, the size of the view;
- a write scatters into its own block the values that fall in it (out-of-block positions
  are dropped): no communication at all, and the storage buffer is donated.

Other multi-device values (uneven blocks, other Sharding types) get a flat storage as on
one device, and XLA decides how to move data for them.
"""

from __future__ import annotations

import itertools
import math
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np
from jax import lax
from jax.sharding import NamedSharding, PartitionSpec, SingleDeviceSharding

from .._config import settings
from .._device import Device, register_span

# Storage indices: int64, or int32 when the JAX backend runs without 64-bit types.
_IDX = jnp.int64 if settings.jax_x64 else jnp.int32
_NP_IDX = np.int64 if settings.jax_x64 else np.int32

_Tracer = jax.core.Tracer
_PLANS: dict[Any, Any] = {}
_BY_SHARDING: dict[Any, Device] = {}
_BY_NAME: dict[str, Any] = {}  # placement name -> the jax Sharding it names


def _single_name(d: Any) -> str:
    return f"jax:{d.platform}:{d.id}"


def _spec_text(entry: Any) -> str:
    if entry is None:
        return "None"
    if isinstance(entry, str):
        return entry
    return "(" + ",".join(entry) + ")"


def placement(sharding: Any) -> Device:
    """The storax Device describing ``sharding`` (equal Devices for equal shardings).

    One device: that device (``jax:cpu:0``). Several: ``jax:<platform>:[ids]:<layout>``,
    e.g. ``jax:cpu:[0,1,2,3]:mesh(x=2,y=2):P(x,None)``; ``device=`` accepts it back.
    """
    found = _BY_SHARDING.get(sharding)
    if found is not None:
        return found
    key = sharding
    devs = sharding._device_assignment
    if len(devs) == 1:
        out = Device(_single_name(devs[0]))
    else:
        ids = ",".join(str(d.id) for d in devs)
        if isinstance(sharding, NamedSharding):
            mesh = sharding.mesh
            axes = ",".join(f"{a}={n}" for a, n in mesh.shape.items())
            spec = list(sharding.spec)
            while spec and spec[-1] is None:
                spec.pop()
            layout = f"mesh({axes}):P({','.join(_spec_text(e) for e in spec)})"
            if sharding.memory_kind not in (None, "device"):
                layout += f":{sharding.memory_kind}"
        else:
            layout = repr(sharding).replace(" ", "")
        name = f"jax:{devs[0].platform}:[{ids}]:{layout}"
        register_span(name, frozenset(_single_name(d) for d in devs))
        out = Device(name, sharding)
        if isinstance(sharding, NamedSharding):  # by name: the spec without trailing Nones
            sharding = NamedSharding(
                sharding.mesh, PartitionSpec(*spec), memory_kind=sharding.memory_kind
            )
        _BY_NAME.setdefault(name, sharding)
    if len(_BY_SHARDING) < 4096:
        _BY_SHARDING[key] = out
    return out


def sharding_of_device(device: Device) -> Any:
    """The Sharding a multi-device placement stands for (None: not one known here): the
    one it was made from, else the one its name was first seen with (any rank)."""
    native = device.native
    if native is not None and not isinstance(native, jax.Device):
        return native
    return _BY_NAME.get(device.name)


def native_placement(obj: Any) -> Device | None:
    """``device=`` given a JAX object: a Sharding or a jax Device, as a storax Device."""
    if isinstance(obj, jax.sharding.Sharding):
        return placement(obj)
    if isinstance(obj, jax.Device):
        return Device(_single_name(obj))
    return None


def replicated(sharding: Any) -> Any:
    """The same devices, every one holding the whole value (for empty reads, fallbacks)."""
    if isinstance(sharding, NamedSharding):
        return NamedSharding(sharding.mesh, PartitionSpec())
    return SingleDeviceSharding(sharding._device_assignment[0])


# ------------------------------------------------------------------------- plans


def _exact_psum(v: Any, axes: tuple[str, ...]) -> Any:
    """The sum over ``axes`` of values of which at most one is non-zero, bit-exact (the
    sign of -0.0 and NaN payloads survive): floats are summed as their bit patterns."""
    if not axes:
        return v
    dt = v.dtype
    if dt == jnp.bool_:
        return lax.psum(v.astype(jnp.uint8), axes).astype(jnp.bool_)
    if jnp.issubdtype(dt, jnp.complexfloating):
        return lax.complex(_exact_psum(lax.real(v), axes), _exact_psum(lax.imag(v), axes))
    if jnp.issubdtype(dt, jnp.floating):
        bits = jnp.dtype(f"uint{dt.itemsize * 8}")
        return lax.bitcast_convert_type(lax.psum(lax.bitcast_convert_type(v, bits), axes), dt)
    return lax.psum(v, axes)


def _iota_indices(params: Any, shape: tuple[int, ...]) -> Any:
    idx = jnp.broadcast_to(params[0], shape)
    for d in range(len(shape)):
        idx = idx + lax.broadcasted_iota(_IDX, shape, d) * params[1 + d]
    return idx


def _local_arrays(buf: Any) -> list[Any]:
    """``buf``'s single-device arrays, in its sharding's addressable-device order."""
    # Note: ``jax.Array._arrays`` is that list; ``addressable_shards`` builds the same from
    # it at ~10x the cost (a Shard object, with its index, per device), kept as a fallback.
    arrays = getattr(buf, "_arrays", None)
    if arrays is None:
        return [shard.data for shard in buf.addressable_shards]
    return list(arrays)


class Plan:
    """How a storage of one shape is split over one NamedSharding, and its kernels."""

    def __init__(self, sharding: NamedSharding, shape: tuple[int, ...]) -> None:
        mesh = sharding.mesh
        spec = tuple(sharding.spec) + (None,) * (len(shape) - len(sharding.spec))
        self.sharding = sharding
        self.mesh = mesh
        self.shape = shape
        self.size = math.prod(shape)
        self.dim_axes = tuple(
            () if e is None else ((e,) if isinstance(e, str) else tuple(e)) for e in spec
        )
        self.axes = tuple(a for axes in self.dim_axes for a in axes)
        counts = [math.prod(mesh.shape[a] for a in axes) for axes in self.dim_axes]
        self.block = tuple(n // c for n, c in zip(shape, counts, strict=True))
        self.spec = PartitionSpec(*spec)
        self.cpu = mesh.devices.flat[0].platform == "cpu"
        self._kernels: dict[Any, Any] = {}
        # the element stride of each storage dimension (row-major), and each device's
        # block as its first coordinate
        self.units = tuple(math.prod(shape[d + 1 :]) for d in range(len(shape)))
        self.origins = {
            dev: tuple(0 if i.start is None else i.start for i in index)
            for dev, index in sharding.devices_indices_map(shape).items()
        }
        # Views inside at most this many blocks (replicas counted) are read and written by
        # kernels on those devices alone: launching a kernel on one device costs far less
        # than one on every device of the mesh (measured on 4 virtual CPU devices: ~15 µs
        # against ~145 µs), and no other device has any work.
        self.local_limit = max(1, len(sharding._device_assignment) // 2)
        self.replicated = NamedSharding(mesh, PartitionSpec())
        # this process's devices in the sharding's order (the order of a value's
        # single-device arrays), each block's first coordinate and block coordinates
        self.local_devices = list(sharding._addressable_device_assignment)
        self.local_origins = [self.origins[d] for d in self.local_devices]
        self.origin_params = [np.array(o, dtype=_NP_IDX) for o in self.local_origins]
        self.local_positions: dict[tuple[int, ...], list[int]] = {}
        for i, origin in enumerate(self.local_origins):
            key = tuple(o // b for o, b in zip(origin, self.block, strict=True))
            self.local_positions.setdefault(key, []).append(i)
        self._avals: dict[Any, Any] = {}  # dtype -> abstract value (False: none)

    # ---- what each device does with its block
    def _local(self, idx: Any, origin: Any = None) -> tuple[Any, Any]:
        """For storage indices ``idx``: (in the block?, position in the block). The block is
        this device's inside ``shard_map``, else the one whose first coordinate is
        ``origin``."""
        inside = jnp.ones(idx.shape, dtype=jnp.bool_)
        local = jnp.zeros(idx.shape, dtype=_IDX)
        rem = idx
        bstride = 1
        for d in reversed(range(len(self.shape))):
            n, b = self.shape[d], self.block[d]
            coord = rem % n
            rem = rem // n
            if b != n:
                if origin is None:
                    k = _IDX(0)
                    for a in self.dim_axes[d]:
                        k = k * self.mesh.shape[a] + lax.axis_index(a).astype(_IDX)
                    coord = coord - k * b
                else:
                    coord = coord - origin[d]
                inside = inside & (coord >= 0) & (coord < b)
            local = local + coord * bstride
            bstride *= b
        return inside, local

    def _gather(self, block: Any, idx: Any) -> Any:
        inside, local = self._local(idx)
        v = block.reshape(-1)[jnp.where(inside, local, 0)]
        return _exact_psum(jnp.where(inside, v, jnp.zeros((), v.dtype)), self.axes)

    def _scatter(self, block: Any, idx: Any, values: Any, origin: Any = None) -> Any:
        inside, local = self._local(idx, origin)
        pos = jnp.where(inside, local, block.size).reshape(-1)
        flat = jnp.broadcast_to(values, idx.shape).astype(block.dtype).reshape(-1)
        return block.reshape(-1).at[pos].set(flat, mode="drop").reshape(block.shape)

    def _kernel(self, kind: str, donate: bool = False) -> Any:
        key = (kind, donate)
        found = self._kernels.get(key)
        if found is not None:
            return found
        m, sp, rep = self.mesh, self.spec, PartitionSpec()
        if kind == "read":

            def read(buf: Any, params: Any, *, shape: tuple[int, ...]) -> Any:
                body = lambda b, p: self._gather(b, _iota_indices(p, shape))  # noqa: E731
                return jax.shard_map(body, mesh=m, in_specs=(sp, rep), out_specs=rep)(buf, params)

            k = jax.jit(read, static_argnames=("shape",))
        elif kind == "read_indices":
            k = jax.jit(jax.shard_map(self._gather, mesh=m, in_specs=(sp, rep), out_specs=rep))
        elif kind == "write":

            def write(buf: Any, params: Any, values: Any, *, shape: tuple[int, ...]) -> Any:
                body = lambda b, p, v: self._scatter(b, _iota_indices(p, shape), v)  # noqa: E731
                return jax.shard_map(body, mesh=m, in_specs=(sp, rep, rep), out_specs=sp)(
                    buf, params, values
                )

            k = jax.jit(write, static_argnames=("shape",), donate_argnums=(0,) if donate else ())
        elif kind == "write_indices":
            k = jax.jit(
                jax.shard_map(self._scatter, mesh=m, in_specs=(sp, rep, rep), out_specs=sp),
                donate_argnums=(0,) if donate else (),
            )
        else:  # "whole": a new value for the whole storage, laid out as the storage
            shape = self.shape

            def whole(values: Any, *, view: tuple[int, ...], dtype: Any) -> Any:
                return jnp.broadcast_to(values, view).astype(dtype).reshape(shape)

            k = jax.jit(whole, static_argnames=("view", "dtype"), out_shardings=self.sharding)
        self._kernels[key] = k
        return k

    # ---- views inside a few blocks: kernels on those blocks' devices alone
    def _box(self, layout: Any) -> tuple[tuple[int, int], ...] | None:
        """Per storage dimension, the lowest and highest coordinate ``layout`` touches, when
        each layout stride steps along one storage dimension without carrying into the
        next (the view then lies in that box); None otherwise."""
        shape = self.shape
        rem = layout.offset
        low = [0] * len(shape)
        for d in reversed(range(len(shape))):
            rem, low[d] = divmod(rem, shape[d])
        high = list(low)
        for n, s in zip(layout.shape, layout.strides, strict=True):
            if n == 1 or s == 0:
                continue
            for d, unit in enumerate(self.units):
                if s % unit == 0 and abs(s) // unit < shape[d]:
                    step = (n - 1) * (s // unit)
                    if step < 0:
                        low[d] += step
                    else:
                        high[d] += step
                    break
            else:
                return None
        if any(lo < 0 or hi >= n for lo, hi, n in zip(low, high, shape, strict=True)):
            return None  # a carry: the view wraps into the next row of the storage
        return tuple(zip(low, high, strict=True))

    def _touched(self, buf: Any, layout: Any) -> tuple[list[Any], list[int]] | None:
        """``buf``'s single-device arrays (one per addressable device, in the sharding's
        order) and the positions among them of the blocks the view touches (every replica
        of each), when those are at most ``local_limit``; None: use the all-device
        kernels."""
        if not self.local_limit or not buf.is_fully_addressable:
            return None
        box = self._box(layout)
        if box is None:
            return None
        ranges = [range(lo // b, hi // b + 1) for (lo, hi), b in zip(box, self.block, strict=True)]
        if math.prod(len(r) for r in ranges) > self.local_limit:
            return None
        touched = [
            i for key in itertools.product(*ranges) for i in self.local_positions.get(key, ())
        ]
        if not touched or len(touched) > self.local_limit:
            return None
        return _local_arrays(buf), touched

    def _host_read(
        self, arrays: list[Any], blocks: dict[tuple[int, ...], int], layout: Any, dtype: Any
    ) -> np.ndarray:
        """The view's elements, read from the host memory of the blocks (CPU devices)."""
        idx = np.full(layout.shape, layout.offset, dtype=np.int64)
        for d, (n, step) in enumerate(zip(layout.shape, layout.strides, strict=True)):
            axis = [1] * len(layout.shape)
            axis[d] = n
            idx = idx + (np.arange(n, dtype=np.int64) * step).reshape(axis)
        coords = np.unravel_index(idx, self.shape)
        if len(blocks) == 1:
            ((origin, i),) = blocks.items()
            local = tuple(c - o for c, o in zip(coords, origin, strict=True))
            return np.asarray(arrays[i])[local]
        out = np.empty(layout.shape, dtype=dtype)
        for origin, i in blocks.items():
            inside = np.ones(layout.shape, dtype=bool)
            for c, o, b in zip(coords, origin, self.block, strict=True):
                inside &= (c >= o) & (c < o + b)
            local = tuple(c[inside] - o for c, o in zip(coords, origin, strict=True))
            out[inside] = np.asarray(arrays[i])[local]
        return out

    def _local_kernel(self, kind: str) -> Any:
        key = ("local", kind)
        found = self._kernels.get(key)
        if found is not None:
            return found
        if kind == "read":

            def read(block: Any, params: Any, origin: Any, *, shape: tuple[int, ...]) -> Any:
                inside, local = self._local(_iota_indices(params, shape), origin)
                v = block.reshape(-1)[jnp.where(inside, local, 0)]
                return jnp.where(inside, v, jnp.zeros((), v.dtype))

            k = jax.jit(read, static_argnames=("shape",))
        else:  # donated: only called for a storage that is its buffer's sole owner

            def write(
                block: Any, params: Any, origin: Any, values: Any, *, shape: tuple[int, ...]
            ) -> Any:
                return self._scatter(block, _iota_indices(params, shape), values, origin)

            k = jax.jit(write, static_argnames=("shape",), donate_argnums=(0,))
        self._kernels[key] = k
        return k

    def _assemble(self, arrays: list[Any], like: Any) -> Any:
        """The storage value made of ``arrays`` (one per device, in order, as ``like``'s)."""
        # Note: jax.make_array_from_single_device_arrays re-checks and re-orders the arrays
        # (~3x the cost of the write itself here); the arrays come from a value of this very
        # sharding, in its order, so JAX's internal constructor without checks is used when
        # it exists, else the public function.
        aval = self._avals.get(like.dtype)
        if aval is None:
            aval = self._avals[like.dtype] = _fast_assembly(self, arrays, like)
        if aval is not False:
            return _ArrayImpl(aval, self.sharding, arrays, committed=True, _skip_checks=True)
        return jax.make_array_from_single_device_arrays(self.shape, self.sharding, arrays)

    @staticmethod
    def _values_on(values: Any, device: Any) -> Any:
        """``values`` for a kernel on ``device`` alone (None: they are not all there)."""
        if not isinstance(values, jax.Array):
            return values  # host values and scalars go wherever the kernel runs
        if isinstance(values, _Tracer) or not (
            values.sharding.is_fully_replicated and values.is_fully_addressable
        ):
            return None
        for shard in values.addressable_shards:
            if shard.device == device:
                return shard.data
        return None

    # ---- storage operations
    def _covers(self, layout: Any) -> bool:
        return layout.offset == 0 and layout.size == self.size and layout.is_contiguous()

    def _wait(self, value: Any) -> Any:
        # Note: on XLA's CPU client, hundreds of queued executions that each run a
        # collective can starve its rendezvous (the process aborts after 40 s); a read
        # waits for its small all-reduce there. Accelerators queue them as usual.
        if self.cpu:
            value.block_until_ready()
        return value

    def read(self, buf: Any, layout: Any) -> Any:
        shape = layout.shape
        if self._covers(layout):
            return buf if shape == self.shape else buf.reshape(shape)
        params = np.array((layout.offset, *layout.strides), dtype=_NP_IDX)
        found = self._touched(buf, layout)
        if found is not None:
            arrays, touched = found
            blocks = {self.local_origins[i]: i for i in touched}  # one replica of each
            if self.cpu:
                # Note: a CPU device's buffers are host memory, which NumPy reads without a
                # copy (after the pending writes), and XLA's CPU client copies between
                # (virtual) devices at ~3x the cost of a copy through the host. So the
                # touched blocks are read on the host, and the small result is copied to
                # every device of the mesh in one batch (the placement of every read of a
                # storage; make_array_from_callback: ~2x faster than device_put here).
                host = self._host_read(arrays, blocks, layout, buf.dtype)
                return jax.make_array_from_callback(
                    shape, self.replicated, lambda index: host[index]
                )
            if len(blocks) == 1:
                # one block (or replicas of it): read it on its device, then copy the small
                # result to every device of the mesh
                i = next(iter(blocks.values()))
                part = self._local_kernel("read")(
                    arrays[i], params, self.origin_params[i], shape=shape
                )
                return jax.device_put(part, self.replicated)
        return self._wait(self._kernel("read")(buf, params, shape=shape))

    def read_indices(self, buf: Any, indices: Any) -> Any:
        return self._wait(self._kernel("read_indices")(buf, indices))

    def write(self, buf: Any, layout: Any, values: Any, donate: bool) -> Any:
        if self._covers(layout):
            return self._kernel("whole")(values, view=layout.shape, dtype=buf.dtype)
        params = np.array((layout.offset, *layout.strides), dtype=_NP_IDX)
        found = self._touched(buf, layout) if donate else None
        if found is not None:
            arrays, touched = found
            local = [self._values_on(values, self.local_devices[i]) for i in touched]
            if all(v is not None for v in local):
                # Write into the touched blocks alone, each on its own device (their
                # buffers are donated: the storage is the sole owner of ``buf``), and
                # assemble the storage value from the new blocks and the untouched ones.
                arrays = list(arrays)
                kernel = self._local_kernel("write")
                for i, v in zip(touched, local, strict=True):
                    origin = self.origin_params[i]
                    arrays[i] = kernel(arrays[i], params, origin, v, shape=layout.shape)
                return self._assemble(arrays, buf)
        return self._kernel("write", donate)(buf, params, values, shape=layout.shape)

    def write_indices(self, buf: Any, indices: Any, values: Any, donate: bool) -> Any:
        return self._kernel("write_indices", donate)(buf, indices, values)


_ArrayImpl: Any
_ShapedArray: Any
try:
    from jax._src.array import ArrayImpl as _ArrayImpl
    from jax._src.core import ShapedArray as _ShapedArray
except ImportError:  # a JAX without them: the public constructor
    _ArrayImpl = _ShapedArray = None


def _fast_assembly(plan: Plan, arrays: list[Any], like: Any) -> Any:
    """The abstract value for assembling ``plan``'s storages without JAX's checks, or
    False when that constructor is absent or builds something else than the public one."""
    if _ArrayImpl is None:
        return False
    try:
        aval = _ShapedArray(plan.shape, like.dtype)
        fast = _ArrayImpl(aval, plan.sharding, arrays, committed=True, _skip_checks=True)
        public = jax.make_array_from_single_device_arrays(plan.shape, plan.sharding, arrays)
    except Exception:  # noqa: BLE001  (any change of the internal signature)
        return False
    same = (
        fast.sharding == public.sharding
        and fast.shape == public.shape
        and fast.dtype == public.dtype
        and [a.device for a in fast._arrays] == [a.device for a in public._arrays]
    )
    return aval if same else False


def _make_plan(sharding: Any, shape: tuple[int, ...]) -> Plan | None:
    if not isinstance(sharding, NamedSharding) or len(sharding._device_assignment) == 1:
        return None
    spec = tuple(sharding.spec)
    if len(spec) > len(shape):
        return None
    for e, n in zip(spec, shape, strict=False):
        if e is None:
            continue
        if not isinstance(e, str | tuple):
            return None  # PartitionSpec.UNCONSTRAINED and the like
        axes = (e,) if isinstance(e, str) else e
        if n % math.prod(sharding.mesh.shape[a] for a in axes):
            return None  # uneven blocks: a flat storage, XLA moves the data
    return Plan(sharding, shape)


def plan_of(buf: Any) -> Plan | None:
    """The plan of a sharded storage buffer (None: one device, a tracer, or a flat
    storage that XLA lays out)."""
    if isinstance(buf, _Tracer):
        return None
    s = buf.sharding
    if type(s) is SingleDeviceSharding:
        return None
    key = (s, buf.shape)
    found = _PLANS.get(key, False)
    if found is False:
        found = _make_plan(s, tuple(buf.shape))
        if len(_PLANS) < 1024:
            _PLANS[key] = found
    return found


def copy_sharded(value: Any) -> Any:
    """A copy of ``value`` with its shape and sharding, when its storage keeps them (a
    NamedSharding with even blocks over several devices); else None."""
    if isinstance(value, _Tracer):
        return None
    s = getattr(value, "sharding", None)
    if s is None or type(s) is SingleDeviceSharding:
        return None
    if plan_of(value) is None:
        return None
    return jnp.array(value, copy=True)


def check_addressable(value: Any, func: str) -> None:
    """Refuse to bring a value spanning several processes to this host."""
    if not isinstance(value, _Tracer) and not value.is_fully_addressable:
        raise ValueError(
            f"{func}: this array is sharded over devices of several processes; only its "
            "process-local shards are here (gather it first, e.g. with "
            "jax.experimental.multihost_utils.process_allgather)"
        )


def first_shard_pointer(buf: Any) -> int:
    return int(buf.addressable_shards[0].data.unsafe_buffer_pointer())
