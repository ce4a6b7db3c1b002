"""The backend protocol: what every module in ``storax._backends`` registered as a backend
provides, and its capabilities as data.

The namespace chapters and the Array base reach a backend only through this protocol
(``x._backend``, ``storax._backends.current()``, ``backend_for_device``): they ask
capabilities (``backend.caps.raises_on_singular``), never identity (``xp is np``).
``tests/test_backend_protocol.py`` checks every registered backend against it.

A backend has two halves:

- the **storage protocol** (this module's :class:`Backend`): allocation, ``materialise
  (storage, layout)``, writes (plain, index, mask), host and DLPack transfer, devices, the
  hot-path kernels ``kx`` and ``composite``, and a compliant array module ``xp``;
- its **Array family** (``backend.Array``, a subclass of :class:`storax.Array`, with one
  constructor ``backend.wrap``), which implements the Array base's view protocol.

Adding a backend means a module in ``storax/_backends/`` that conforms, plus its name in
``storax._backends.BACKENDS``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Protocol, runtime_checkable

from .._core._layout import Layout
from .._core._storage import Storage
from .._device import Device


def _frozen(**kwargs: Any) -> Mapping[str, Any]:
    return MappingProxyType(dict(kwargs))


@dataclass(frozen=True)
class Capabilities:
    """What a backend can do, as data that the chapters read.

    Attributes
    ----------
    live_views
        Arrays hold live strided views of their storage (NumPy); else storage + layout,
        materialised by a kernel (JAX).
    negative_strides
        The backend's own arrays can express negative strides (``x[::-1]`` natively).
    single_device
        Every array of the backend is on one device (device checks can be skipped).
    raises_on_singular
        Its linear algebra raises by itself on singular or non-positive-definite input;
        else storax checks the result (eagerly) and raises the same error.
    traced
        Values may be tracers of a transformation (``jax.jit``): data-dependent checks
        cannot run on them.
    host_native
        Its values are host NumPy arrays: no transfer to or from the host (and
        ``numpy.asarray(x)``, ``x.numpy()`` share memory with the storage).
    sharding
        Storages may be laid out over several devices.
    matmul_kwargs, eigh_kwargs
        Keyword arguments the chapters pass to ``xp.matmul``/``xp.linalg.eigh`` so that
        every backend computes the same thing (JAX: full float32 precision, no implicit
        symmetrisation).
    clamps_indices
        The backend clamps out-of-range integer indices instead of raising, so storax
        checks them before indexing.
    inplace_kernels
        Its kernels write into an ``out=`` array of its own: a composite may reuse a
        temporary it made (NumPy; a fresh large temporary costs its page faults).
    fft_takes_float64
        Its complex n-dimensional transforms (``fftn``, ``ifftn``) of float64 input give
        exactly what they give on that input cast to complex128, without holding that
        cast's copy through the transform (NumPy: a third less peak memory).
    """

    live_views: bool
    negative_strides: bool
    single_device: bool
    raises_on_singular: bool
    traced: bool = False
    host_native: bool = False
    sharding: bool = False
    clamps_indices: bool = False
    inplace_kernels: bool = False
    fft_takes_float64: bool = False
    matmul_kwargs: Mapping[str, Any] = field(default_factory=_frozen)
    eigh_kwargs: Mapping[str, Any] = field(default_factory=_frozen)


@runtime_checkable
class Backend(Protocol):
    """The module contract of a storax backend (checked by a test for each backend)."""

    name: str
    caps: Capabilities
    xp: Any  # an array module for the backend's values (storax corrects its deviations)
    kx: Any  # hot-path kernels: ``kx.name`` is ``xp.name``, possibly compiled
    Array: type  # the backend's Array family (a subclass of storax.Array)

    # ---- the family's constructor and values
    def wrap(self, value: Any) -> Any: ...
    def is_value(self, value: Any) -> bool: ...

    # ---- devices
    def devices(self) -> list[Device]: ...
    def default_device(self) -> Device: ...
    def native_device(self, device: Device) -> Any: ...
    def device_of(self, buffer: Any) -> Device: ...
    def device_dtypes(self, device: Device | None) -> tuple[Any, ...]: ...

    # ---- storages and views
    def allocate(self, value: Any) -> Storage: ...
    def materialise(self, storage: Storage, layout: Layout) -> Any: ...
    def view_of(self, storage: Storage, layout: Layout, readonly: bool) -> Any: ...
    def write(self, storage: Storage, layout: Layout, values: Any, func: str) -> None: ...
    def write_indices(self, storage: Storage, indices: Any, values: Any, func: str) -> None: ...
    def write_mask(
        self, storage: Storage, layout: Layout, mask: Any, values: Any, func: str
    ) -> None: ...
    def storage_setitem(self, storage: Storage, index: int | slice, value: Any) -> None: ...

    # ---- host and DLPack transfer
    def to_host(self, value: Any) -> Any: ...
    def from_host(self, value: Any, device: Device | None) -> Any: ...
    def from_dlpack(self, x: Any, device: Device | None, copy: bool | None) -> Any: ...
    def data_ptr(self, buffer: Any) -> int: ...
    def tolist(self, buffer: Any) -> Any: ...
    def format_elements(self, buffer: Any) -> list[str]: ...

    # ---- kernels
    def composite(self, func: Callable[..., Any], static_argnames: tuple[str, ...] = ()) -> Any: ...
    def native_random(self, name: str, device: Device | None) -> Any: ...


#: The functions every backend module defines (checked, with their parameters, by the
#: protocol test: a backend that misses one or spells its arguments differently fails).
REQUIRED_FUNCTIONS: dict[str, tuple[str, ...]] = {
    "wrap": ("value",),
    "is_value": ("value",),
    "devices": (),
    "default_device": (),
    "native_device": ("device",),
    "device_of": ("buffer",),
    "device_dtypes": ("device",),
    "allocate": ("value",),
    "materialise": ("storage", "layout"),
    "view_of": ("storage", "layout", "readonly"),
    "write": ("storage", "layout", "values", "func"),
    "write_indices": ("storage", "indices", "values", "func"),
    "write_mask": ("storage", "layout", "mask", "values", "func"),
    "storage_setitem": ("storage", "index", "value"),
    "to_host": ("value",),
    "from_host": ("value", "device"),
    "from_dlpack": ("x", "device", "copy"),
    "data_ptr": ("buffer",),
    "tolist": ("buffer",),
    "format_elements": ("buffer",),
    "composite": ("func", "static_argnames"),
    "top_k": ("value", "k", "axis", "largest"),
    "quiet": (),
    "all_finite": ("value",),
    "is_tracer": ("value",),
    "compile_kernel": ("func",),
    "clip": ("v", "lo", "hi"),
    "install_operators": ("cls", "ew"),
    "native_random": ("name", "device"),
}
#: Optional hooks: a backend may define these (with these leading parameters) where it has a
#: cheaper way than the general path; callers look them up with ``getattr(backend, name,
#: None)`` and take the general path where they are absent. ``create(func, static, dtype,
#: device, *values)``: ``xp.<func>(*static, *values, dtype=, device=)`` (zeros, ones, empty,
#: full, eye...) as a compiled kernel (JAX); ``write_fresh``: ``write`` of a value no one
#: else holds, which may become the storage's buffer (JAX); ``fill_mask``: ``view[mask] =
#: scalar`` as one kernel (JAX).
OPTIONAL_FUNCTIONS: dict[str, tuple[str, ...]] = {
    "create": ("func", "static", "dtype", "device"),
    "write_fresh": ("storage", "layout", "values", "func"),
    "fill_mask": ("storage", "layout", "mask", "value", "func"),
}
#: ``x64``: whether the backend's devices hold the 64-bit types; ``supported_dtypes``: the
#: dtypes all of them hold (``device_dtypes(device)``: those one device holds, what
#: ``__array_namespace_info__().dtypes(device=)`` lists); ``unsupported_note``:
#: why the others are missing, for error messages ("" where nothing is); ``linalg_errors``:
#: the exceptions its linear algebra raises on failure.
REQUIRED_ATTRIBUTES = (
    "name", "caps", "xp", "kx", "Array", "x64", "supported_dtypes", "unsupported_note",
    "linalg_errors",
)  # fmt: skip
