"""The JAX backend's Array family: a storage that is a flat ``jax.Array``, and a layout.

A JaxArray is either a *fresh result* (a JAX value, no storage yet: most results of
operations, which need no layout work) or a *view* ``(storage, layout)``. Its ``_value``
is the materialised JAX value of the view, cached for the storage version it was read at;
any write through any view of the storage bumps the version and so invalidates it.
Writes go through the backend's donated scatter kernels.

Imported only when the JAX backend is first used.
"""

from __future__ import annotations

import builtins
from typing import Any

from .._core._layout import Layout
from .._core._storage import Storage
from . import _jax as _jaxb
from ._layout_array import LayoutArray
from ._xp_elementwise import BinaryKernels, UnaryKernels

_object_new = object.__new__
_current_trace = _jaxb.current_trace
_BASIC = (int, slice, type(None), type(Ellipsis))
_PY_SCALARS = (builtins.bool, int, float, complex)


def new(value: Any) -> JaxArray:
    """A fresh JaxArray holding ``value`` (a JAX array or tracer); storage made on demand."""
    a = _object_new(JaxArray)
    a._storage = None
    a._layout = None
    a._cache = value
    a._cache_version = 0
    a._readonly = False
    a._trace = _current_trace()
    return a


def view(storage: Storage, layout: Layout, readonly: bool) -> JaxArray:
    """A JaxArray viewing ``layout`` of ``storage`` (read-only: as NumPy's flag)."""
    a = _object_new(JaxArray)
    a._storage = storage
    a._layout = layout
    a._cache = None
    a._cache_version = -1
    a._readonly = readonly
    a._trace = None
    return a


class JaxArray(LayoutArray):
    """An Array on a JAX device: a strided view of a flat ``jax.Array`` storage."""

    # _trace: for a fresh array, the JAX trace it was made in (see _backends/_jax.py).
    __slots__ = ("_trace",)
    _new = staticmethod(new)  # the family's one constructor
    _view = staticmethod(view)
    _trace: Any
    _backend = _jaxb
    _unary_kernels = UnaryKernels(_jaxb)
    _binary_kernels = BinaryKernels(_jaxb)

    def _allocate(self, value: Any) -> Storage:
        return _jaxb.allocate(value, self._trace)

    @property
    def sharding(self) -> Any:
        """The ``jax.sharding.Sharding`` of the data: the storage's for a view (where its
        elements live), the value's for a fresh result (None inside jax.jit)."""
        st = self._storage
        return _jaxb.sharding_of(st._buffer if st is not None else self._cache)

    def numpy(self) -> Any:
        """A NumPy copy on the host (device memory cannot be shared with NumPy)."""
        return _jaxb.to_host(self._value)

    def __array__(self, dtype: Any = None, copy: builtins.bool | None = None) -> Any:
        if copy is False:
            raise ValueError("__array__: a JAX device array cannot be shared with NumPy")
        v = _jaxb.to_host(self._value)
        return v if dtype is None else v.astype(dtype)

    def __jax_array__(self) -> Any:
        return self._exported()

    def _export_dlpack(self, kwargs: dict[str, Any], max_version: Any, copy: Any) -> Any:
        # Note: JAX exports unversioned (pre-1.0) capsules only, which every consumer
        # accepts whatever max_version it asks for; max_version is therefore not passed on
        # (JAX refuses versions below 0.5 instead of returning its usual capsule).
        return self._exported().__dlpack__(**kwargs)


def _flatten(x: JaxArray) -> tuple[tuple[Any], None]:
    return (x._value,), None


def _unflatten(aux: None, children: Any) -> JaxArray:
    return new(children[0])


# Arrays cross jax.jit/grad/vmap boundaries as their materialised value; inside a traced
# function a write rebinds the (traced) storage buffer: functionalization by construction.
_jaxb.register_pytree(JaxArray, _flatten, _unflatten)


# The backend module's names for its family (see the end of _jax.py: set here too, for
# the case where this module was imported before the backend module).
_jaxb.Array = JaxArray
_jaxb.wrap = new  # type: ignore[has-type]
