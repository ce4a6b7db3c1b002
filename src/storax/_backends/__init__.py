"""Backend registry: which backend new arrays go to, devices, and moves between backends.

Only the modules in this package import NumPy, JAX or another array library. Every
backend module conforms to the protocol in ``_protocol.py`` (storage allocation,
``materialise(storage, layout)``, writes, transfers, devices, kernels, capabilities) and
provides its Array family. The NumPy backend is the *host* backend: Python data and
NumPy inputs become arrays through it. Other backends are imported on first use, never by
``import storax``.

The backend new arrays are created on comes from, in order: ``use_backend(...)`` (a
context variable, so thread- and async-safe), ``set_backend(...)``, the environment
variable ``STORAX_BACKEND``, else ``"numpy"``.
"""

from __future__ import annotations

import contextlib
import importlib
from collections.abc import Iterator
from typing import Any

from .._config import backend_override, settings
from .._device import CPU, Device, register_loader, set_cuda_resolver
from . import _dtype_support, _numpy

# re-exported for the chapters (storax._device_dtypes): what each device holds
from ._dtype_support import NARROW as NARROW
from ._dtype_support import check_supported as check_supported
from ._dtype_support import lacks as lacks
from ._dtype_support import narrowed_for as narrowed_for
from ._dtype_support import promoted as promoted

BACKENDS = ("numpy", "jax", "torch")
host = _numpy  # the host backend: where Python data and NumPy arrays live
_LOADED: dict[str, Any] = {"numpy": _numpy}
# Called with each backend module when it is loaded (the composition step registers the
# wiring of a family's operators here, so this registry imports no layer above it).
_ON_LOAD: list[Any] = []


def on_load(hook: Any) -> None:
    """Call ``hook(backend)`` for every backend loaded now and later."""
    _ON_LOAD.append(hook)
    for module in list(_LOADED.values()):
        hook(module)


def loaded() -> list[Any]:
    """The backend modules imported so far."""
    return list(_LOADED.values())


def load(name: str, func: str = "set_backend") -> Any:
    """The backend module called ``name``, imported on first use."""
    module = _LOADED.get(name)
    if module is not None:
        return module
    if name not in BACKENDS:
        raise ValueError(f"{func}: unknown backend {name!r}; choose one of {BACKENDS}")
    try:
        module = importlib.import_module(f"storax._backends._{name}")
    except ImportError as e:
        raise ValueError(
            f"{func}: the {name!r} backend needs {name}, which is not installed "
            f"({e}); install it with: pip install 'storax[{name}]'"
        ) from None
    _LOADED[name] = module
    for hook in _ON_LOAD:
        hook(module)
    return module


def _load_owner(obj: object) -> bool:
    """Load the backend whose package defines ``type(obj)`` (a ``jax.sharding`` object
    given as ``device=`` loads the JAX backend); whether one was loaded now."""
    package = type(obj).__module__.partition(".")[0]
    if package in BACKENDS and package not in _LOADED:
        load(package, "device")
        return True
    return False


register_loader(_load_owner)


def tracing() -> bool:
    """Whether a loaded backend is tracing a function transformation (``jax.jit``...)."""
    return any(module.tracing() for module in _LOADED.values())


def traced_backend(value: Any) -> Any:
    """The backend module whose tracer ``value`` is, or None for a concrete value."""
    for module in _LOADED.values():
        is_tracer = getattr(module, "is_tracer", None)
        if is_tracer is not None and is_tracer(value):
            return module
    return None


def get_backend() -> str:
    """The name of the backend new arrays are created on.

    Examples
    --------
    >>> import storax as sx
    >>> sx.get_backend()
    'numpy'
    """
    return backend_override.get() or settings.backend


def set_backend(name: str) -> None:
    """Choose the default backend (``"numpy"`` or ``"jax"``) for new arrays.

    Examples
    --------
    >>> import storax as sx
    >>> sx.set_backend("numpy")
    """
    if not isinstance(name, str):
        raise TypeError(f"set_backend: expected a backend name, got {type(name).__name__}")
    load(name, "set_backend")
    settings.backend = name


@contextlib.contextmanager
def use_backend(name: str) -> Iterator[None]:
    """Within the ``with`` block, create new arrays on backend ``name``.

    Examples
    --------
    >>> import storax as sx
    >>> with sx.use_backend("numpy"):
    ...     sx.ones(2).device
    Device('cpu')
    """
    if not isinstance(name, str):
        raise TypeError(f"use_backend: expected a backend name, got {type(name).__name__}")
    load(name, "use_backend")
    token = backend_override.set(name)
    try:
        yield
    finally:
        backend_override.reset(token)


def current() -> Any:
    """The backend module that creation functions allocate on."""
    name = backend_override.get() or settings.backend
    module = _LOADED.get(name)
    return module if module is not None else load(name, "storax")


def backend_for_device(device: Device | None, func: str) -> Any:
    """The backend module that owns ``device`` (None: the current default backend)."""
    if device is None:
        return current()
    backend = load(device.backend, func)
    try:
        backend.native_device(device)
    except ValueError as e:
        raise ValueError(f"{func}: {e}") from None
    return backend


def native_device(device: Device | None, backend: Any) -> Any:
    """The backend's own device object for ``device`` (None: the backend's default)."""
    if device is None:
        return None
    return backend.native_device(device)


def default_device() -> Device:
    """The device new arrays go to by default."""
    return current().default_device()


def devices() -> list[Device]:
    """Every device storax can place arrays on: NumPy's ``cpu``, then every installed
    backend's."""
    out = [CPU]
    for name in BACKENDS:
        if name != host.name:
            try:
                out += load(name, "devices").devices()
            except ValueError:  # not installed
                pass
    return out


# The platform part of the device names (``<backend>:<platform>:<id>``) of CUDA GPUs:
# JAX calls them "gpu", PyTorch "cuda".
GPU_PLATFORMS = ("gpu", "cuda")


def is_gpu(device: Device) -> bool:
    """Whether ``device`` is a CUDA GPU, read from its name (``jax:gpu:0``, ``torch:cuda:0``)."""
    parts = device.name.split(":")
    return len(parts) == 3 and parts[1] in GPU_PLATFORMS


def cuda_device(index: int, func: str) -> Device:
    """The device PyTorch calls ``cuda:<index>``: the ``index``-th GPU of the current
    backend, else of the first other installed backend that has GPUs (in ``BACKENDS``
    order); ValueError naming ``cuda`` when there is none."""
    first = backend_override.get() or settings.backend
    seen: list[Device] = []
    for name in (first, *(n for n in BACKENDS if n != first)):
        try:
            module = load(name, func)
        except ValueError:  # not installed
            continue
        found = module.devices()
        seen += found
        gpus = [d for d in found if is_gpu(d)]
        if gpus:
            if index >= len(gpus):
                raise ValueError(
                    f"{func}: there is no device 'cuda:{index}': the {name} backend has "
                    f"{len(gpus)} GPU(s) ({', '.join(map(str, gpus))})"
                )
            return gpus[index]
    shown = ", ".join(dict.fromkeys(str(d) for d in seen))
    raise ValueError(
        f"{func}: no 'cuda' device: no installed backend has a CUDA GPU (devices: {shown}); "
        "use 'cpu', or install a backend with GPU support (e.g. jax[cuda12])"
    )


set_cuda_resolver(cuda_device)


def move_to_device(x: Any, device: Device) -> Any:
    """Copy an array onto ``device`` (across backends through host memory or DLPack)."""
    target = load(device.backend, "to_device")
    # Within one backend the value moves directly (a sharding: device to device).
    # Note: a move never changes the dtype; a device without 64-bit types refuses them.
    _dtype_support.check_supported(x.dtype, target, device, "to_device")
    value = x._value if x._backend is target else x._backend.to_host(x._value)
    try:
        return target.wrap(target.from_host(value, device))
    except ValueError as e:
        raise ValueError(f"to_device: {e}") from None


_ndarray = _numpy.np.ndarray


def wrap(value: Any) -> Any:
    """An Array of the family of ``value``'s backend (NumPy values, and anything else,
    become host arrays)."""
    if type(value) is _ndarray:
        return _numpy.wrap(value)
    for module in _LOADED.values():
        if module is not _numpy and module.is_value(value):
            return module.wrap(value)
    return _numpy.wrap(value)


def is_host_value(value: Any) -> bool:
    """Whether ``value`` is a NumPy array or scalar (not a storax Array)."""
    return _numpy.is_value(value)


def from_host_operand(value: Any, like: Any = None, func: str | None = None) -> Any:
    """A NumPy array or scalar passed where a function takes an array, as an Array.

    It joins ``like`` (a storax Array it is combined with), else goes to the current
    backend: wrapped without a copy on the host backend, copied to the device on another
    (as ``asarray`` would; jax.numpy does the same with NumPy inputs).
    """
    backend = current() if like is None else like._backend
    if backend.caps.host_native:
        return backend.wrap(value)
    device = None if like is None else like.device
    v = _numpy.np.asarray(value)
    if not backend.x64 and v.dtype not in backend.supported_dtypes:
        try:
            v = _dtype_support.narrow_host(v, backend, device)
        except OverflowError as e:
            raise OverflowError(f"{func}: {e}" if func else str(e)) from None
    return backend.wrap(backend.from_host(v, device))


def format_array(x: Any, options: dict[str, Any]) -> str:
    """The seed's ``tensor([...])`` repr of an Array (dtype and device when not default),
    with the print ``options`` of ``storax.set_printoptions``."""
    from .._dtypes import bool as bool_
    from .._dtypes import int32, int64

    v = x._backend.to_host(x._value) if not x._backend.caps.host_native else x._value
    # the defaults on the array's device (32-bit ones where it has no 64-bit types, or no
    # 64-bit floating-point ones: torch's MPS)
    x64 = x._backend.x64
    kind = v.dtype.kind
    if kind in "fc":
        chosen = settings.default_float if kind == "f" else settings.default_complex
        default = _dtype_support.narrowed_for(chosen, x._backend, x.device)
    else:
        default = {"i": int64 if x64 else int32, "b": bool_}.get(kind)
    extras = []
    if v.dtype != default or v.size == 0:
        extras.append(f"dtype={v.dtype}")
    if x.device != CPU:
        extras.append(f"device='{x.device}'")
    if x._names is not None:
        extras.append(f"names={x._names}")
    return _numpy.format_array(v, "".join(", " + e for e in extras), options)


def check_same_device(x1: Any, x2: Any, func: str) -> None:
    """Raise ValueError naming both devices when an operation mixes them.

    Placements that span the same devices (two shardings over one mesh, a view's and a
    result's) may meet: the backend moves data between them as it does for its own arrays.
    """
    if type(x1) is type(x2) and x1._backend.caps.single_device:
        return
    d1, d2 = x1.device, x2.device
    if d1 != d2 and d1.span != d2.span:
        raise ValueError(
            f"{func}: arrays are on different devices ({d1} and {d2}); "
            "move one with to_device() first"
        )


# ``quiet()``: a context in which no backend raises floating-point warnings (NaN and
# infinity propagate into results as the standard's special cases ask); only the host's
# (NumPy's) warn, so it is the host's own (bound here: no wrapper call on the hot paths).
quiet: Any = host.quiet


def linalg_error_types() -> tuple[type, ...]:
    """The exception types the loaded backends' linear algebra raises on failure."""
    return tuple(t for module in _LOADED.values() for t in module.linalg_errors)
