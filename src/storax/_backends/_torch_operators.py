"""The torch family's Python operators and array-level kernels: the shared storage +
layout operators (``_xp_operators``) behind a hot path for the common cases.

``a + b`` / ``add(a, b)`` on two TorchArrays of one dtype (one device; shapes that torch
broadcasts, as NumPy does), ``a * 2.0`` / ``2.0 * a`` on a floating-point TorchArray with
a Python int or float, ``-a``, ``sin(a)``, ``sum(a)``/``max(a)``/``mean(a)`` of every
element, and ``where(c, a, b)`` (a boolean condition) go straight to the torch kernel and
make one TorchArray holding the bare result tensor: a dtype-table lookup (the tables hold
only the dtypes of the function's category for which the torch kernel computes what NumPy
does, ``_torch_xp.binary_table`` and friends) replaces the general path's validation,
promotion and kernel dispatch. The element-wise, statistics and searching chapters reach
them through the family's ``_array_unary``/``_array_binary``/``_array_reductions``/
``_array_where`` (see ``storax.Array``), the operators directly. Everything else (another
dtype, shapes that do not broadcast, NumPy operands, integer arrays with Python scalars,
errors) is declined and takes the general path, so results and errors are the same.
"""

from __future__ import annotations

from typing import Any

import torch

from .. import _dtypes
from . import _xp_operators
from ._numpy_operators import _ARITHMETIC, _COMPARISONS, _UNARY
from ._torch_value import _NUMPY, SIGNED_OF, _Tensor
from ._torch_xp import _SCALARS as _SCALAR_TENSORS
from ._torch_xp import _WHERE, binary_table, scalar_table, scalar_tensor, unary_table, weak_ok

_object_new = object.__new__
_torch_matmul = torch.matmul
_CATS = _dtypes.CATEGORIES


def install(cls: Any, ew: Any) -> None:
    """Install the operators on the torch family ``cls`` (the composition step), and its
    array-level element-wise kernels (``cls._array_unary``/``_array_binary``, which the
    element-wise chapter's functions call first)."""
    _xp_operators.install(cls, ew)
    one_device = cls._backend.caps.single_device
    cls._array_unary = _UnaryTable(cls, ew)
    cls._array_binary = _BinaryTable(cls, ew, one_device)
    cls._array_reductions = _reductions(cls)
    cls._array_where = staticmethod(_where(cls, one_device))
    for short, func_name in (*_ARITHMETIC.items(), *_COMPARISONS.items()):
        for name, reflected in ((f"__{short}__", False), (f"__r{short}__", True)):
            general = cls.__dict__.get(name)
            if general is not None and cls._array_binary.serves(func_name):
                if reflected:  # (``other op self``: the kernel's operands swapped)
                    op = _reflected(cls._array_binary[func_name], name, general)
                else:  # the kernel itself, declining to the general operator
                    op = cls._array_binary.make(func_name, general)
                    op.__name__ = op.__qualname__ = name
                setattr(cls, name, op)
    for short, func_name in _UNARY.items():
        name = f"__{short}__"
        if cls._array_unary.serves(func_name):
            op = cls._array_unary.make(func_name, cls.__dict__[name])
            op.__name__ = op.__qualname__ = name
            setattr(cls, name, op)
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


def _fresh(cls: Any) -> Any:
    def fresh(t: Any) -> Any:
        out = _object_new(cls)
        out._storage = out._layout = None
        out._cache = t  # bare: see _torch_array
        out._cache_version = 0
        out._readonly = False
        return out

    return fresh


class _UnaryTable(dict):
    """``table[name](x)``: the element-wise function ``name`` of a TorchArray as one torch
    kernel, for the dtypes of ``name``'s category that torch computes as NumPy does
    (``_torch_xp.unary_table``); None for anything else (the chapter's path)."""

    def __init__(self, cls: Any, ew: Any) -> None:
        super().__init__()
        self._cls, self._ew = cls, ew

    def serves(self, name: str) -> bool:
        return bool(unary_table(name))

    def __missing__(self, name: str) -> Any:
        kernel = self[name] = self.make(name, _declined)
        return kernel

    def make(self, name: str, decline: Any) -> Any:
        """The kernel of ``name``, returning ``decline(x)`` for what it does not serve."""
        allowed = _CATS[self._ew.UNARY[name]]
        by_torch = {t: k for t, k in unary_table(name).items() if _NUMPY[t] in allowed}
        by_numpy = {_NUMPY[t]: k for t, k in by_torch.items()}
        cls = self._cls

        def kernel(x: Any) -> Any:
            st = x._storage
            t = x._cache if st is None or x._cache_version == st._version else x._value
            if type(t) is _Tensor:
                k = by_torch.get(t.dtype)
            else:
                k = by_numpy.get(t.dtype)
                t = t.t
            if k is None:
                return decline(x)
            r = k(t)
            out = _object_new(cls)  # (``_fresh`` inlined: the hot path)
            out._storage = out._layout = None
            out._cache = r
            out._cache_version = 0
            out._readonly = False
            return out

        kernel.__name__ = kernel.__qualname__ = name
        return kernel


class _BinaryTable(dict):
    """``table[name](x1, x2)``: the element-wise function ``name`` of two TorchArrays of
    one dtype (one device; shapes that torch broadcasts, as NumPy does), or of a
    floating-point TorchArray and a Python int or float (either side), as one torch kernel
    (``_torch_xp.binary_table``/``scalar_table``, less the dtypes outside ``name``'s
    category or the scalar's rules); None for anything else (the chapter's path: its
    validation, promotion and errors)."""

    def __init__(self, cls: Any, ew: Any, one_device: bool) -> None:
        super().__init__()
        self._cls, self._ew, self._one = cls, ew, one_device

    def serves(self, name: str) -> bool:
        return bool(binary_table(name) or scalar_table(name))

    def __missing__(self, name: str) -> Any:
        kernel = self[name] = self.make(name, _declined)
        return kernel

    def make(self, name: str, decline: Any) -> Any:
        """The kernel of ``name``, returning ``decline(x1, x2)`` for what it does not
        serve."""
        ew = self._ew
        allowed = _CATS[ew.BINARY[name]]
        same = {t: k for t, k in binary_table(name).items() if _NUMPY[t] in allowed}
        rules = ew.RULES[name]
        scalars = scalar_table(name)
        with_int = {t: k for t, k in scalars.items() if _NUMPY[t] in rules[int]}
        with_float = {t: k for t, k in scalars.items() if _NUMPY[t] in rules[float]}
        by_scalar = {int: with_int, float: with_float}
        cls, one = self._cls, self._one

        def kernel(x1: Any, x2: Any) -> Any:
            k2 = type(x2)
            if type(x1) is cls:
                st = x1._storage
                a = x1._cache if st is None or x1._cache_version == st._version else x1._value
                if type(a) is not _Tensor:
                    a = a.t
                if k2 is cls:
                    st = x2._storage
                    b = x2._cache if st is None or x2._cache_version == st._version else x2._value
                    if type(b) is not _Tensor:
                        b = b.t
                    dt = a.dtype
                    if dt is not b.dtype or not (one or a.device == b.device):
                        return decline(x1, x2)
                    k = same.get(dt)
                    if k is None:
                        return decline(x1, x2)
                    try:
                        r = k(a, b)
                    except RuntimeError:  # (shapes that do not broadcast: the general error)
                        return decline(x1, x2)
                else:
                    table = by_scalar.get(k2)  # exactly int or float (not bool)
                    if table is None:
                        return decline(x1, x2)
                    dt = a.dtype
                    k = table.get(dt)
                    if k is None:
                        return decline(x1, x2)
                    s = _SCALAR_TENSORS.get((dt, x2))  # (cached: weak_ok held)
                    if s is None:
                        if not weak_ok(x2):
                            return decline(x1, x2)
                        s = scalar_tensor(x2, dt)
                    r = k(a, s)
            elif k2 is cls:
                table = by_scalar.get(type(x1))
                if table is None:
                    return decline(x1, x2)
                st = x2._storage
                b = x2._cache if st is None or x2._cache_version == st._version else x2._value
                if type(b) is not _Tensor:
                    b = b.t
                dt = b.dtype
                k = table.get(dt)
                if k is None or not weak_ok(x1):
                    return decline(x1, x2)
                r = k(scalar_tensor(x1, dt), b)
            else:
                return decline(x1, x2)
            out = _object_new(cls)  # (``_fresh`` inlined: the hot path)
            out._storage = out._layout = None
            out._cache = r
            out._cache_version = 0
            out._readonly = False
            return out

        kernel.__name__ = kernel.__qualname__ = name
        return kernel


def _declined(*args: Any) -> None:
    """The namespace's kernels decline with None (the chapter's path follows)."""
    return None


# dtypes whose every-element reduction torch computes as storax's general path does, in
# the same result dtype: sum and prod keep floating and complex data and accumulate
# booleans and signed integers in int64, as storax (unsigned ones: uint64 in storax,
# int64 in torch); max and min
# of integers and real floats (NaN propagates in both), non-empty (storax raises on
# empty ones); mean of float32/float64 as the chapter's ``_mean`` computes it.
_KEEP = frozenset(t for t, d in _NUMPY.items() if d.kind in "bifc")
_SUM = {t: torch.sum for t in _KEEP}  # (torch.sum: ~200 ns under Tensor.sum)
_PROD = {t: torch.prod for t in _KEEP}
_ORDER = frozenset(t for t, d in _NUMPY.items() if d.kind in "iuf" and t not in SIGNED_OF)
_MAX = {t: torch.max for t in _ORDER}  # (no dim: the one-result kernel, faster than amax)
_MIN = {t: torch.min for t in _ORDER}
_MEAN = frozenset((torch.float32, torch.float64))


def _reductions(cls: Any) -> dict[str, Any]:
    """The torch family's ``_array_reductions`` (see ``Array._array_reductions``)."""
    fresh = _fresh(cls)

    def tensor(x: Any) -> Any:
        st = x._storage
        t = x._cache if st is None or x._cache_version == st._version else x._value
        return t if type(t) is _Tensor else t.t

    def accumulate(table: Any) -> Any:
        def reduce(x: Any) -> Any:
            st = x._storage  # (``tensor`` inlined: sum(x) is the hot path)
            t = x._cache if st is None or x._cache_version == st._version else x._value
            if type(t) is not _Tensor:
                t = t.t
            k = table.get(t.dtype)
            if k is None:
                return None
            r = k(t)
            out = _object_new(cls)  # (``_fresh`` inlined: the hot path)
            out._storage = out._layout = None
            out._cache = r
            out._cache_version = 0
            out._readonly = False
            return out

        return reduce

    def extremum(table: Any) -> Any:
        def reduce(x: Any) -> Any:
            st = x._storage  # (``tensor`` and ``fresh`` inlined: max(x) is a hot path)
            t = x._cache if st is None or x._cache_version == st._version else x._value
            if type(t) is not _Tensor:
                t = t.t
            k = table.get(t.dtype)
            if k is None:
                return None
            try:
                r = k(t)
            except (RuntimeError, IndexError):  # (no elements: the chapter's error)
                return None
            out = _object_new(cls)
            out._storage = out._layout = None
            out._cache = r
            out._cache_version = 0
            out._readonly = False
            return out

        return reduce

    def mean(x: Any) -> Any:
        # The chapter's ``_mean``: the sum, divided by the count as its ``divide`` does (a
        # 0-d tensor of the count in the data's dtype: torch wraps a Python int in a new
        # tensor, ~4 µs, on each call); storax's mean of no elements, NaN, is the chapter's.
        t = tensor(x)
        n = t.numel()
        dt = t.dtype
        return fresh(t.sum().div_(scalar_tensor(n, dt))) if n and dt in _MEAN else None

    return {
        "sum": accumulate(_SUM),
        "prod": accumulate(_PROD),
        "max": extremum(_MAX),
        "min": extremum(_MIN),
        "mean": mean,
    }


_bool = torch.bool
_torch_where = torch.where


def _where(cls: Any, one: bool) -> Any:
    """The torch family's ``_array_where`` (see ``Array._array_where``): a boolean
    condition and two TorchArrays of one dtype that torch has a ``where`` of (not the wide
    unsigned ones), or one a Python float with a floating-point TorchArray (which keeps
    the array's dtype in both: NEP 50), on one device, as one ``torch.where``; None for
    anything else (the chapter's path: promotion, checks and errors)."""

    def where(c: Any, x1: Any, x2: Any) -> Any:
        k1, k2 = type(x1), type(x2)
        if type(c) is not cls or not (k1 is cls or k2 is cls):
            return None
        st = c._storage  # (the operand tensors read as ``_BinaryTable``'s kernels do)
        tc = c._cache if st is None or c._cache_version == st._version else c._value
        if type(tc) is not _Tensor:
            tc = tc.t
        if tc.dtype is not _bool:
            return None
        if k1 is cls:
            st = x1._storage
            a = x1._cache if st is None or x1._cache_version == st._version else x1._value
            if type(a) is not _Tensor:
                a = a.t
            dt = a.dtype
        elif k1 is not float:
            return None
        else:
            a = x1
        if k2 is cls:
            st = x2._storage
            b = x2._cache if st is None or x2._cache_version == st._version else x2._value
            if type(b) is not _Tensor:
                b = b.t
            if k1 is cls:
                if b.dtype is not dt:
                    return None
            else:
                dt = b.dtype
        elif k2 is not float:
            return None
        else:
            b = x2
        if dt not in _WHERE or (k1 is not k2 and not dt.is_floating_point and not dt.is_complex):
            return None
        if not one and not all(t.device == tc.device for t in (a, b) if type(t) is _Tensor):
            return None
        try:
            r = _torch_where(tc, a, b)
        except RuntimeError:  # (shapes that do not broadcast: the general error)
            return None
        out = _object_new(cls)
        out._storage = out._layout = None
        out._cache = r
        out._cache_version = 0
        out._readonly = False
        return out

    return where


def _reflected(kernel: Any, name: str, general: Any) -> Any:
    """The reflected operator ``name`` (``other op self``): the array-level kernel, else
    the general operator (its validation and errors, named after the operator)."""

    def op(self: Any, other: Any) -> Any:
        r = kernel(other, self)
        return general(self, other) if r is None else r

    op.__name__ = op.__qualname__ = name
    return op
