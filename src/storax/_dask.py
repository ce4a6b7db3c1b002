"""storax in dask and distributed: registered when they are imported, never importing them.

When ``dask.array`` loads, storax arrays become a chunk type it handles (mixed dask/storax
operands then compute in dask rather than deferring to storax); when ``dask.sizeof``
loads, their size is their view's bytes (a broadcast axis counted once, as for NumPy);
when ``distributed``'s serialization loads, a storax array serializes as its compact
pickle (its own elements, :mod:`storax.io._pickle`) with the elements as zero-copy frames.

The registration runs from a post-import hook (``sys.meta_path``) installed when storax
is imported, or at once for a module already imported, so ``import storax`` imports none
of them and any import order works.
"""

from __future__ import annotations

import builtins
import importlib.abc
import pickle
import sys
import threading
from collections.abc import Callable
from typing import Any

from ._array_object import Array

# ------------------------------------------------------------------ registrations


def sizeof(x: Array) -> int:
    """Bytes of ``x``'s elements, an axis of stride 0 counted once (dask's rule for NumPy)."""
    if x.size == 0:
        return 0
    n = 1
    for d, s in zip(x.shape, x.layout().strides, strict=True):
        if s != 0:
            n *= d
    return n * x.dtype.itemsize


def serialize(x: Array) -> tuple[dict[str, Any], list[Any]]:
    """distributed's ``dask_serialize`` for a storax array: the compact pickle (layout
    and metadata) as the first frame, each out-of-band piece of elements as a frame of
    its own (a memoryview of the array's memory on the host backend: no copy)."""
    buffers: list[pickle.PickleBuffer] = []
    head = pickle.dumps(x, protocol=5, buffer_callback=buffers.append)
    return {"storax": 1}, [head, *(b.raw() for b in buffers)]


def deserialize(header: dict[str, Any], frames: list[Any]) -> Array:
    """distributed's ``dask_deserialize`` for a storax array (see :func:`serialize`)."""
    if header.get("storax") != 1 or not frames:
        raise ValueError("storax: not a storax array's frames (unknown header)")
    array: Array = pickle.loads(frames[0], buffers=frames[1:])
    return array


def _on_chunk_types(module: Any) -> None:
    module.register_chunk_type(Array)


def _on_sizeof(module: Any) -> None:
    module.sizeof.register(Array)(sizeof)


def _on_distributed(module: Any) -> None:
    module.dask_serialize.register(Array)(serialize)
    module.dask_deserialize.register(Array)(deserialize)


#: module name -> what to register once it has been imported
HOOKS: dict[str, Callable[[Any], None]] = {
    "dask.array.chunk_types": _on_chunk_types,
    "dask.sizeof": _on_sizeof,
    "distributed.protocol.serialize": _on_distributed,
}

# ------------------------------------------------------------------ import hooks

_LOCK = threading.Lock()
_PENDING: dict[str, Callable[[Any], None]] = {}


class _Loader(importlib.abc.Loader):
    """The module's own loader, then the registration; the module keeps its loader."""

    def __init__(self, loader: Any, hook: Callable[[Any], None]) -> None:
        self._loader = loader
        self._hook = hook

    def create_module(self, spec: Any) -> Any:
        return self._loader.create_module(spec)

    def exec_module(self, module: Any) -> None:
        module.__loader__ = self._loader
        if getattr(module, "__spec__", None) is not None:
            module.__spec__.loader = self._loader
        self._loader.exec_module(module)
        self._hook(module)


class _Finder(importlib.abc.MetaPathFinder):
    """Finds nothing itself: wraps the loader of a module storax registers with."""

    def find_spec(self, fullname: str, path: Any, target: Any = None) -> Any:
        with _LOCK:
            hook = _PENDING.pop(fullname, None)
        if hook is None:
            return None
        for finder in sys.meta_path:
            if finder is self or not hasattr(finder, "find_spec"):
                continue
            spec = finder.find_spec(fullname, path, target)
            if spec is not None:
                break
        else:
            return None
        if spec.loader is None or not hasattr(spec.loader, "exec_module"):
            return spec
        spec.loader = _Loader(spec.loader, hook)
        return spec


_FINDER = _Finder()


def install() -> None:
    """Register with the modules already imported; hook the others (idempotent)."""
    with _LOCK:
        todo = []
        for name, hook in HOOKS.items():
            module = sys.modules.get(name)
            if module is not None:
                todo.append((hook, module))
            else:
                _PENDING[name] = hook
        if _PENDING and not builtins.any(f is _FINDER for f in sys.meta_path):
            sys.meta_path.insert(0, _FINDER)
    for hook, module in todo:
        hook(module)
