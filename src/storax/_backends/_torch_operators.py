"""The torch family's Python operators: the shared storage + layout operators
(``_xp_operators``) behind a hot path for the common cases.

``a + b`` on two TorchArrays of one dtype (one device; shapes that torch broadcasts, as
NumPy does), and ``a * 2.0`` on a floating-point TorchArray with a Python int or float, go
straight to the torch kernel and make one TorchArray holding the bare result tensor: a
dtype-table lookup (the table holds only the dtypes of the operator's category for which
the torch kernel computes what NumPy does, ``_torch_xp.binary_table``) replaces the
general path's validation, promotion and kernel dispatch. Everything else (another dtype,
shapes that do not broadcast, NumPy operands, integer arrays with Python scalars, errors)
takes the general operator, so results and errors are the same.
"""

from __future__ import annotations

from typing import Any

import torch

from .. import _dtypes
from . import _xp_operators
from ._numpy_operators import _ARITHMETIC, _COMPARISONS
from ._torch_value import _NUMPY, _Tensor
from ._torch_xp import binary_table, scalar_table, scalar_tensor, weak_ok

_object_new = object.__new__
_torch_matmul = torch.matmul
_CATS = _dtypes.CATEGORIES


def install(cls: Any, ew: Any) -> None:
    """Install the operators on the torch family ``cls`` (the composition step)."""
    _xp_operators.install(cls, ew)
    one_device = cls._backend.caps.single_device
    for short, func_name in (*_ARITHMETIC.items(), *_COMPARISONS.items()):
        for name, reflected in ((f"__{short}__", False), (f"__r{short}__", True)):
            general = cls.__dict__.get(name)
            if general is not None:
                fast = _binop(cls, ew, func_name, name, general, reflected, one_device)
                if fast is not None:
                    setattr(cls, name, fast)
    cls.__matmul__ = _matmul(cls, cls.__dict__["__matmul__"], one_device)


# the dtypes whose products torch computes as NumPy does (integers: exact in NumPy, and
# torch has no integer matmul on GPUs)
_MATMUL = frozenset(t for t, d in _NUMPY.items() if d.kind in "fc")


def _matmul(cls: Any, general: Any, one: bool) -> Any:
    """``a @ b``: two TorchArrays of one floating-point dtype, vectors or matrices, go
    straight to ``torch.matmul`` (shapes that do not match: the general path's error)."""

    def op(self: Any, other: Any) -> Any:
        if type(other) is cls:
            a = self._cache if self._storage is None else self._value
            if type(a) is not _Tensor:
                a = a.t
            b = other._cache if other._storage is None else other._value
            if type(b) is not _Tensor:
                b = b.t
            dt = a.dtype
            if (
                dt is b.dtype
                and dt in _MATMUL
                and 0 < a.dim() < 3
                and 0 < b.dim() < 3
                and (one or a.device == b.device)
            ):
                try:
                    t = _torch_matmul(a, b)
                except RuntimeError:
                    return general(self, other)
                out = _object_new(cls)
                out._storage = out._layout = None
                out._cache = t
                out._cache_version = 0
                out._readonly = False
                return out
        return general(self, other)

    op.__name__ = op.__qualname__ = "__matmul__"
    return op


def _binop(
    cls: Any, ew: Any, func_name: str, name: str, general: Any, reflected: bool, one: bool
) -> Any:
    allowed = _CATS[ew.BINARY[func_name]]
    same = {t: k for t, k in binary_table(func_name).items() if _NUMPY[t] in allowed}
    rules = ew.RULES[func_name]
    with_int = {t: k for t, k in scalar_table(func_name).items() if _NUMPY[t] in rules[int]}
    with_float = {t: k for t, k in scalar_table(func_name).items() if _NUMPY[t] in rules[float]}
    if not (same or with_int or with_float):
        return None
    by_scalar = {int: with_int, float: with_float}

    def op(self: Any, other: Any) -> Any:
        a = self._cache if self._storage is None else self._value
        if type(a) is not _Tensor:
            a = a.t
        kind = type(other)
        t = None
        if kind is cls:
            b = other._cache if other._storage is None else other._value
            if type(b) is not _Tensor:
                b = b.t
            dt = a.dtype
            if dt is b.dtype and (one or a.device == b.device):
                kernel = same.get(dt)
                if kernel is not None:
                    # (shapes that do not broadcast: the general path's error)
                    try:
                        t = kernel(b, a) if reflected else kernel(a, b)
                    except RuntimeError:
                        t = None
        else:
            table = by_scalar.get(kind)  # exactly int or float (not bool)
            if table is not None:
                dt = a.dtype
                kernel = table.get(dt)
                if kernel is not None and weak_ok(other):
                    s = scalar_tensor(other, dt)
                    t = kernel(s, a) if reflected else kernel(a, s)
        if t is None:
            return general(self, other)
        out = _object_new(cls)
        out._storage = out._layout = None
        out._cache = t  # bare: see _torch_array
        out._cache_version = 0
        out._readonly = False
        return out

    op.__name__ = op.__qualname__ = name
    return op
