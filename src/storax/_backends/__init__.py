"""Backend registry: which backend new arrays go to, devices, and moves between backends.

Only the modules in this package import NumPy or JAX for computation. A backend module
provides ``xp`` (its array module: ``numpy`` or ``jax.numpy``), storage allocation,
``materialise(storage, layout)``, writes, and device handling. The JAX backend is imported
on first use, never by ``import storax``.

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
from .._device import CPU, Device
from . import _numpy

BACKENDS = ("numpy", "jax")
_LOADED: dict[str, Any] = {"numpy": _numpy}


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
    if name == "jax":
        from .. import _array_object, _jax_array

        _array_object._register_foreign(_jax_array.wrap_if_jax)
    _LOADED[name] = module
    for hook in _ON_LOAD:
        hook(module)
    return module


_ON_LOAD: list[Any] = []


def on_load(hook: Any) -> None:
    """Call ``hook(backend_module)`` for every backend loaded now and loaded later."""
    _ON_LOAD.append(hook)
    for module in list(_LOADED.values()):
        hook(module)


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
    """Every device storax can place arrays on: NumPy's ``cpu``, then JAX's if installed."""
    out = [CPU]
    try:
        out += load("jax", "devices").devices()
    except ValueError:
        pass
    return out


def move_to_device(x: Any, device: Device) -> Any:
    """Copy an array onto ``device`` (across backends through host memory or DLPack)."""
    from .._array_object import _wrap

    target = load(device.backend, "to_device")
    return _wrap(target.from_host(type(x)._backend.to_host(x._value), device))


def check_same_device(x1: Any, x2: Any, func: str) -> None:
    """Raise ValueError naming both devices when an operation mixes them."""
    if type(x1) is type(x2) and type(x1)._backend.single_device:
        return
    d1, d2 = x1.device, x2.device
    if d1 != d2:
        raise ValueError(
            f"{func}: arrays are on different devices ({d1} and {d2}); "
            "move one with to_device() first"
        )
