"""Python operators of the storage + layout Array families (JAX): validated as the
namespace functions are, computed with the backend's array module, with errors that name
the operator. In-place operators compute the result, then write it through the view into
its storage. Installed by the composition step (``storax._compose``).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import _dtypes
from .._core._layout import broadcast_shapes
from ._numpy_operators import _ARITHMETIC, _COMPARISONS, _UNARY
from ._xp_elementwise import _PAIR_KERNELS, _PLAIN_BINARY, scalar_kernel

_ndarray = np.ndarray
_generic = np.generic
_CATS = _dtypes.CATEGORIES
_PY_SCALARS = (bool, int, float, complex)


def install(sub: Any, ew: Any) -> None:
    """Install the operators of a storage + layout family ``sub`` (the JAX family).

    Each validates as the namespace function does and computes with that backend's array
    module (``_elementwise_functions.apply_binary``/``apply_unary``), with errors that
    name the operator. In-place operators compute the result, then write it back through
    the view into its storage (``sub._write_result``), so every view of it sees the write.
    Operators the subclass defines itself are kept.
    """
    from .._array_object import Array

    operand_types = (Array, _ndarray, _generic, bool, int, float, complex)
    apply_binary = ew.apply_binary
    apply_unary = ew.apply_unary
    new_array = sub._new
    backend = sub._backend
    single_device = backend.caps.single_device
    backend_name = backend.name
    lock, detach = backend.lock, backend.detach

    def binop(func_name: str, name: str, reflected: bool) -> Any:
        # Fast path: two arrays of this class, same dtype and shape, one device, and a
        # kernel that needs no correction: one dtype check and the backend call.
        fast = getattr(sub._backend.kx, func_name) if func_name in _PLAIN_BINARY else None
        scalar_kernels: dict[tuple[Any, type], Any] = {}
        allowed = _CATS[ew.BINARY[func_name]]

        def op(self: Any, other: Any) -> Any:
            kind = type(other)
            if kind is sub and single_device:
                a, b = self._value, other._value
                if reflected:
                    a, b = b, a
                if fast is not None and a.dtype == b.dtype and a.dtype in allowed:
                    # broadcast by the kernel (the standard's rules are the backend's);
                    # shapes that do not broadcast take the general path and its error
                    try:
                        r = fast(a, b)
                    except Exception:
                        if a.shape == b.shape:
                            raise
                        r = None
                    if r is not None:
                        return new_array(r)
                elif a.shape == b.shape and a.dtype in allowed and b.dtype in allowed:
                    # a dtype pair the namespace compiled before (one shape: nothing to
                    # broadcast or check): its cast-and-apply kernel, as ``divide`` uses
                    known_pair = _PAIR_KERNELS.get((backend_name, func_name, a.dtype, b.dtype))
                    if known_pair is not None:
                        return new_array(known_pair(a, b))
            elif kind in _PY_SCALARS:
                # an array with a Python scalar: the compiled kernel, once validated
                v = self._value
                known = scalar_kernels.get((v.dtype, kind))
                if known is not None and (known[1] is None or known[1] <= other <= known[2]):
                    kernel = known[0]
                    return new_array(kernel(other, v) if reflected else kernel(v, other))
                r = (
                    apply_binary(func_name, name, other, self)
                    if reflected
                    else apply_binary(func_name, name, self, other)
                )
                if known is None:
                    known = scalar_kernel(backend, func_name, v.dtype, kind, not reflected)
                    if known is not None:
                        scalar_kernels[(v.dtype, kind)] = known
                return r
            if not isinstance(other, operand_types):
                return NotImplemented
            if reflected:
                return apply_binary(func_name, name, other, self)
            return apply_binary(func_name, name, self, other)

        op.__name__ = op.__qualname__ = name
        return op

    write_fresh: Any = getattr(backend, "write_fresh", None)

    def iop(func_name: str, name: str) -> Any:
        # Fast path: an array of this class, of the same shape and dtype, and a kernel whose
        # result keeps that dtype: the bare kernel, its fresh result written back without
        # re-checking the dtype and shape it is known to have (8 elements: ~40 -> ~24 us).
        fast: Any = getattr(sub._backend.kx, func_name) if func_name in _PLAIN_BINARY else None
        allowed = _CATS[ew.BINARY[func_name]]
        plain = fast is not None and write_fresh is not None and single_device

        def op(self: Any, other: Any) -> Any:
            if not isinstance(other, operand_types):
                return NotImplemented
            self._check_writable(name)
            st, lay = self._ensure()
            other = detach(other, st)  # an operand of another storage is read first
            with lock(st):  # read, compute and write back: atomic per storage
                if plain and type(other) is sub:
                    a, b = self._value, other._value
                    if a.dtype == b.dtype and a.shape == b.shape and a.dtype in allowed:
                        write_fresh(st, lay, fast(a, b), name)
                        return self
                r = apply_binary(func_name, name, self, other)._value
                return _write_back(self, r, name)

        op.__name__ = op.__qualname__ = name
        return op

    def unop(func_name: str, name: str) -> Any:
        def op(self: Any) -> Any:
            return apply_unary(func_name, name, self)

        op.__name__ = op.__qualname__ = name
        return op

    ops: dict[str, Any] = {}
    for short, func_name in _ARITHMETIC.items():
        ops[f"__{short}__"] = binop(func_name, f"__{short}__", False)
        ops[f"__r{short}__"] = binop(func_name, f"__r{short}__", True)
        ops[f"__i{short}__"] = iop(func_name, f"__i{short}__")
    for short, func_name in _COMPARISONS.items():
        ops[f"__{short}__"] = binop(func_name, f"__{short}__", False)
    for short, func_name in _UNARY.items():
        ops[f"__{short}__"] = unop(func_name, f"__{short}__")
    for name in ("__matmul__", "__rmatmul__", "__imatmul__"):
        ops[name] = _make_matmul(sub, name)
    for name, op in ops.items():
        if name not in sub.__dict__:
            setattr(sub, name, op)


def _write_back(self: Any, r: Any, name: str) -> Any:
    """Write the result ``r`` (a backend value, fresh from a kernel) of ``self op= other``
    into ``self``.

    As on NumPy, the result is cast back to ``self``'s dtype within a kind; a result that
    does not fit ``self``'s shape is a ValueError.
    """
    if r.dtype != self.dtype and not _dtypes.can_cast_same_kind(r.dtype, self.dtype):
        raise TypeError(
            f"{name}: the result dtype {r.dtype} cannot be cast to the array's {self.dtype}"
        )
    shape = tuple(r.shape)
    if shape != self.shape and broadcast_shapes(shape, self.shape) != self.shape:
        raise ValueError(f"{name}: a result of shape {shape} does not fit shape {self.shape}")
    return self._write_result(r, name, fresh=True)


def _make_matmul(sub: Any, name: str) -> Any:
    """``@``, ``@=`` (reflected or not) of an Array subclass of another backend: a NumPy
    array operand is moved to that backend; in-place writes back through the view."""
    matmul: Any = None
    Array: Any = None

    def op(self: Any, other: Any) -> Any:
        nonlocal matmul, Array
        if matmul is None:  # (imported on first use: this layer imports no chapter)
            from .._array_object import Array
            from .._linear_algebra_functions import matmul
        if isinstance(other, (_ndarray, _generic)):
            other = sub._new(self._backend.from_host(np.asarray(other), self.device))
        elif not isinstance(other, Array):
            return NotImplemented  # Python scalars are not allowed with ``@``
        if name == "__rmatmul__":
            return matmul(other, self)
        if name == "__matmul__":
            return matmul(self, other)
        self._check_writable(name)
        backend = self._backend
        st = self.storage()
        other = backend.detach(other, st)  # an operand of another storage is read first
        with backend.lock(st):  # read, compute and write back: atomic per storage
            return _write_back(self, matmul(self, other)._value, name)

    op.__name__ = op.__qualname__ = name
    return op
