"""The torch backend's array module (``xp``) and hot-path kernels (``kx``) over TorchValues.

``xp.name`` is a torch kernel where torch computes what NumPy (storax's rule) computes,
for the dtypes it does so; otherwise NumPy's ``name`` applied to the operands' memory
(zero-copy on the CPU, through a host copy on another device), with the result moved back
to the operands' device. The native kernels (element-wise arithmetic and comparisons,
the common unary functions on real floats, sum/prod/max/min, matmul, zeros/ones/empty/
full) are listed below with the dtypes they serve.
"""

from __future__ import annotations

import types
from typing import Any

import numpy as np
import torch

from . import _numpy_elementwise as _npe
from ._torch_value import (
    _TORCH,
    SIGNED_OF,
    UNSIGNED_WIDE,
    TorchValue,
    device_in,
    from_host,
    on_device,
    to_host,
    torch_dtype,
    value,
)

_CPU = torch.device("cpu")


def _quiet() -> Any:
    return np.errstate(all="ignore")


def fallback(func: Any, name: str) -> Any:
    """NumPy's ``func`` on TorchValue operands; results on the operands' device."""

    def call(*args: Any, **kwargs: Any) -> Any:
        device = kwargs.pop("device", None)
        if device is None:
            device = device_in(args) or device_in(kwargs)
        elif not isinstance(device, torch.device):
            device = torch.device(device)
        hosts = to_host(args)
        # Note: torch raises no floating-point warnings; neither do the NumPy kernels here.
        with _quiet():
            r = func(*hosts, **to_host(kwargs))
        return from_host(r, device, tuple(h for h in hosts if type(h) is np.ndarray))

    call.__name__ = call.__qualname__ = name
    return call


class Namespace:
    """A NumPy-like namespace (``numpy``, ``numpy.linalg``, ``numpy.fft``) over
    TorchValues: native kernels first, NumPy's functions otherwise."""

    def __init__(self, module: Any, native: dict[str, Any]) -> None:
        self._module = module
        self.__dict__.update(native)

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self._module, name)
        if isinstance(attr, types.ModuleType):
            out: Any = Namespace(attr, {})
        elif callable(attr) and not isinstance(attr, type):
            out = fallback(attr, name)
        else:  # dtypes, constants, classes
            out = attr
        setattr(self, name, out)
        return out


def _plain(v: Any) -> bool:
    """Whether torch has kernels for ``v``'s dtype (not a wide unsigned type)."""
    return type(v) is TorchValue and v.dtype not in UNSIGNED_WIDE


def _dims(axis: Any) -> Any:
    return axis if axis is None or type(axis) is int else tuple(axis)


# ------------------------------------------------------------------------ creation


def _creation(np_func: Any, torch_func: Any) -> Any:
    def create(shape: Any, dtype: Any = None, device: Any = None) -> Any:
        d = on_device(np.dtype(np.float64 if dtype is None else dtype), device)
        return TorchValue(torch_func(shape, dtype=torch_dtype(d), device=device))

    create.__name__ = np_func.__name__
    return create


def _full(shape: Any, fill_value: Any, dtype: Any = None, device: Any = None) -> Any:
    host = np.full((), fill_value, dtype=dtype)
    if host.dtype != on_device(host.dtype, device):
        host = host.astype(on_device(host.dtype, device))
    value = host.item()
    t = torch.empty(shape, dtype=torch_dtype(host.dtype), device=device)
    if host.dtype in UNSIGNED_WIDE:
        t = t.view(torch_dtype(np.dtype(host.dtype.str.replace("u", "i"))))
        value = int(host.view(host.dtype.str.replace("u", "i")))
        return TorchValue(t.fill_(value).view(torch_dtype(host.dtype)))
    return TorchValue(t.fill_(value))


# -------------------------------------------------------------------- reductions


def _sum(t: Any, dims: Any, dtype: Any, keepdims: bool) -> Any:
    if dims is None:
        r = torch.sum(t, dtype=dtype)
        return r.reshape((1,) * t.ndim) if keepdims else r
    return torch.sum(t, dim=dims, dtype=dtype, keepdim=keepdims)


def _prod(t: Any, dims: Any, dtype: Any, keepdims: bool) -> Any:
    if dims is None:
        r = torch.prod(t, dtype=dtype)
        return r.reshape((1,) * t.ndim) if keepdims else r
    if type(dims) is tuple:
        if len(dims) != 1:
            return None
        dims = dims[0]
    return torch.prod(t, dim=dims, dtype=dtype, keepdim=keepdims)


def _extremum(reducer: Any) -> Any:
    def native(t: Any, dims: Any, dtype: Any, keepdims: bool) -> Any:
        if dtype is not None:
            return None
        if dims is None:
            dims = tuple(range(t.ndim))
        return reducer(t, dim=dims, keepdim=keepdims)

    return native


def _default_sum_dtype(v: Any) -> Any:
    d = v.dtype
    if d.kind == "b" or (d.kind == "i" and d.itemsize < 8):
        return np.dtype(np.int64)
    if d.kind == "u" and d.itemsize < 8:
        return np.dtype(np.uint64)
    return d


# the dtypes torch sums and multiplies as NumPy does (from, and accumulated in)
_REDUCIBLE = frozenset(t for d, t in _TORCH.items() if d not in UNSIGNED_WIDE and d.kind != "b")
_ACCUMULATORS = frozenset(t for d, t in _TORCH.items() if d not in UNSIGNED_WIDE)
# the dtypes torch's sum and prod keep without a dtype argument (smaller integers and
# booleans are promoted to int64)
_KEPT = frozenset(t for d, t in _TORCH.items() if d.kind in "fc" or d == np.dtype(np.int64))


def _sum_like(np_func: Any, native: Any, whole: Any, bare: bool = False) -> Any:
    """NumPy's ``sum``/``prod`` on a TorchValue, as torch's kernel where torch computes the
    same; ``bare``: torch's results as bare tensors (``kx``'s, whose results go straight
    to the family's constructor), else as TorchValues (``xp``'s)."""
    slow = fallback(np_func, np_func.__name__)

    def reduce(v: Any, axis: Any = None, dtype: Any = None, keepdims: bool = False) -> Any:
        if (
            axis is None
            and not keepdims
            and type(v) is TorchValue
            and (dtype is None or dtype is v.dtype)
        ):
            # The common call (every element, in the data's own dtype, the default one of
            # the dtypes torch keeps): one kernel.
            t = v.t
            if t.dtype in _KEPT:  # (empty: 0 or 1 in the dtype, as NumPy's)
                return whole(t) if bare else value(whole(t))
        d = _default_sum_dtype(v) if dtype is None else dtype
        to = _TORCH.get(d)
        if to is None:
            d = np.dtype(d)
            to = _TORCH.get(d)
        if type(v) is TorchValue and to in _ACCUMULATORS and axis != ():
            t = v.t
            if t.dtype in _REDUCIBLE and t.numel():
                # (no dtype argument where it is the data's own: the same sum, less work)
                kept = to is t.dtype and to in _KEPT
                r = native(t, _dims(axis), None if kept else to, keepdims)
                if r is not None:
                    return r if bare else value(r)
        return slow(v, axis=axis, dtype=d, keepdims=keepdims)

    reduce.__name__ = np_func.__name__
    return reduce


def _extremum_reduction(np_func: Any, reducer: Any) -> Any:
    slow = fallback(np_func, np_func.__name__)
    native = _extremum(reducer)

    def reduce(v: Any, axis: Any = None, keepdims: bool = False, **kwargs: Any) -> Any:
        if _plain(v) and v.dtype.kind in "iuf" and v.size and axis != () and not kwargs:
            return TorchValue(native(v.t, _dims(axis), None, keepdims))
        return slow(v, axis=axis, keepdims=keepdims, **kwargs)

    reduce.__name__ = np_func.__name__
    return reduce


# ------------------------------------------------------------------------- matmul


_slow_matmul = fallback(np.matmul, "matmul")


def matmul(a: Any, b: Any, **kwargs: Any) -> Any:
    # Note: torch has no integer matmul on GPUs; integers (exact in NumPy) go through NumPy.
    if (
        type(a) is TorchValue
        and type(b) is TorchValue
        and a.dtype == b.dtype
        and a.dtype.kind in "fc"
        and a.ndim
        and b.ndim
        and a.t.device == b.t.device
    ):
        try:
            return TorchValue(torch.matmul(a.t, b.t))
        except RuntimeError:
            pass  # shapes that do not match: NumPy's error
    return _slow_matmul(a, b, **kwargs)


def _rmatmul(b: Any, a: Any) -> Any:
    return matmul(a, b)


# ``v1 @ v2`` on values (the matmul chapter's hot path) is this namespace's matmul: torch's
# kernel for floating-point operands, as for the general path, NumPy's otherwise.
for _name, _func in (("__matmul__", matmul), ("__rmatmul__", _rmatmul)):
    setattr(TorchValue, _name, _func)


# ---------------------------------------------------------------------- namespaces


_NATIVE = {
    "zeros": _creation(np.zeros, torch.zeros),
    "ones": _creation(np.ones, torch.ones),
    "empty": _creation(np.empty, torch.empty),
    "full": _full,
    "sum": _sum_like(np.sum, _sum, torch.sum),
    "prod": _sum_like(np.prod, _prod, torch.prod),
    "max": _extremum_reduction(np.max, torch.amax),
    "min": _extremum_reduction(np.min, torch.amin),
    "matmul": matmul,
}
xp = Namespace(np, _NATIVE)


# ------------------------------------------------------------- element-wise kernels
# name -> (torch function, the dtype kinds torch computes it exactly for, same-dtype
# operands only). Everything else runs the NumPy backend's (corrected) kernel.
# Note: not sqrt: torch's CPU sqrt (float64, vectorised) is not correctly rounded (measured
# here: 6 of 1001 normal deviates of storax.random differed from NumPy's in the last
# bit), and storax.random's streams are bit-identical across backends.
# (torch.Tensor's methods and operators: the same kernels as torch's functions of those
# names, with less argument parsing: ``Tensor.__add__(a, b)`` ~100 ns under ``torch.add``)
_T = torch.Tensor
_NATIVE_UNARY: dict[str, tuple[Any, str]] = {
    "negative": (_T.__neg__, "if"),
    "positive": (_T.clone, "iufc"),
    "abs": (_T.abs, "if"),
    "exp": (_T.exp, "f"),
    "log": (_T.log, "f"),
    "sin": (_T.sin, "f"),
    "cos": (_T.cos, "f"),
    "floor": (_T.floor, "f"),
    "ceil": (_T.ceil, "f"),
    "trunc": (_T.trunc, "f"),
    "square": (_T.square, "if"),
    "isnan": (_T.isnan, "f"),
    "isinf": (_T.isinf, "f"),
    "isfinite": (_T.isfinite, "f"),
    "logical_not": (_T.logical_not, "b"),
}
_NATIVE_BINARY: dict[str, tuple[Any, str]] = {
    "add": (_T.__add__, "iufc"),
    "subtract": (_T.__sub__, "iufc"),
    "multiply": (_T.__mul__, "iufc"),
    "divide": (_T.__truediv__, "fc"),
    "equal": (_T.__eq__, "biufc"),
    "not_equal": (_T.__ne__, "biufc"),
    "less": (_T.__lt__, "biuf"),
    "less_equal": (_T.__le__, "biuf"),
    "greater": (_T.__gt__, "biuf"),
    "greater_equal": (_T.__ge__, "biuf"),
    "maximum": (torch.maximum, "iuf"),
    "minimum": (torch.minimum, "iuf"),
    "logical_and": (torch.logical_and, "b"),
    "logical_or": (torch.logical_or, "b"),
    "logical_xor": (torch.logical_xor, "b"),
    "bitwise_and": (_T.__and__, "biu"),
    "bitwise_or": (_T.__or__, "biu"),
    "bitwise_xor": (_T.__xor__, "biu"),
}


def _numpy_kernel(kernel: Any, *operands: Any) -> Any:
    device = device_in(operands)
    hosts = to_host(operands)
    with _quiet():
        r = kernel(*hosts)
    return from_host(r, device, tuple(h for h in hosts if type(h) is np.ndarray))


# torch dtypes by NumPy dtype kind, for the per-dtype kernel tables below.
_PLAIN_TORCH = {d: t for d, t in _TORCH.items() if d not in UNSIGNED_WIDE}
# The functions whose wide unsigned results are the same bits as the signed type's
# (two's complement: wrap-around arithmetic, bitwise operations, equality): computed as
# torch kernels on the signed reinterpretation (``tensor.view(torch.int32)``, no copy).
_SAME_BITS = frozenset(("add", "subtract", "multiply", "bitwise_and", "bitwise_or",
                        "bitwise_xor", "equal", "not_equal"))  # fmt: skip


def _on_signed_bits(native: Any, unsigned: Any, keeps_dtype: bool) -> Any:
    signed = SIGNED_OF[unsigned]

    def kernel(a: Any, b: Any) -> Any:
        r = native(a.view(signed), b.view(signed))
        return r.view(unsigned) if keeps_dtype else r

    return kernel


def unary_table(name: str) -> dict[Any, Any]:
    """torch dtype -> the torch kernel of the element-wise function ``name`` for it (the
    dtypes for which torch computes exactly what NumPy does)."""
    native, kinds = _NATIVE_UNARY.get(name, (None, ""))
    return {t: native for d, t in _PLAIN_TORCH.items() if d.kind in kinds}


def binary_table(name: str) -> dict[Any, Any]:
    """torch dtype -> ``kernel(a, b)`` on two tensors of that dtype and one shape: the
    torch kernel of ``name`` where torch computes exactly what NumPy does."""
    native, kinds = _NATIVE_BINARY.get(name, (None, ""))
    table = {t: native for d, t in _PLAIN_TORCH.items() if d.kind in kinds}
    if name in _SAME_BITS:
        keeps = not name.endswith("equal")
        for d in UNSIGNED_WIDE:
            table[_TORCH[d]] = _on_signed_bits(native, _TORCH[d], keeps)
    return table


def scalar_table(name: str) -> dict[Any, Any]:
    """torch dtype -> the torch kernel of ``name`` for an array of that dtype with a
    Python int or float (see :func:`weak_ok`), given as :func:`scalar_tensor`."""
    native, kinds = _NATIVE_BINARY.get(name, (None, ""))
    return {t: native for d, t in _PLAIN_TORCH.items() if d.kind in "fc" and d.kind in kinds}


class UnaryKernels(dict):
    """``kernels[name](value)``: the element-wise function ``name`` on a TorchValue. The
    torch family's ``_unary_kernels`` (``bare=True``) return a torch kernel's result as
    the bare tensor (the family's constructor takes it as is); the namespace's functions
    return TorchValues."""

    def __init__(self, bare: bool = False) -> None:
        super().__init__()
        self._bare = bare

    def __missing__(self, name: str) -> Any:
        np_kernel = _npe.UNARY[name]
        table = unary_table(name)
        bare = self._bare

        def kernel(v: Any) -> Any:
            t = v.t
            native = table.get(t.dtype)
            if native is not None:
                r = native(t)
                return r if bare else value(r)
            return _numpy_kernel(np_kernel, v)

        self[name] = kernel
        return kernel


_WEAK = (int, float)
_EXACT_INT = 2**53


def weak_ok(scalar: Any) -> bool:
    """Whether torch computes ``v op scalar`` (a Python int or float) as NumPy does, for a
    floating-point array ``v`` (whose dtype the scalar keeps: NEP 50, as torch): a float,
    or an int that a float converts exactly."""
    return type(scalar) is float or -_EXACT_INT < scalar < _EXACT_INT


_SCALARS: dict[tuple[Any, Any], Any] = {}


def scalar_tensor(s: Any, dtype: Any) -> Any:
    """A 0-d CPU tensor of ``dtype`` holding the Python scalar ``s`` (torch takes one with
    a tensor on any device), so that torch rounds ``s`` to the array's dtype first, as
    NumPy does. Non-zero, non-NaN scalars are kept for the next call (making a tensor costs
    more than the kernel on small arrays); 0.0 and -0.0 compare equal, so zeros are not."""
    key = (dtype, s)
    t = _SCALARS.get(key)
    if t is None:
        t = torch.tensor(s, dtype=dtype)
        if s and s == s:
            if len(_SCALARS) >= 1024:
                _SCALARS.clear()
            _SCALARS[key] = t
    return t


class BinaryKernels(dict):
    """``kernels[name](a, b)`` for TorchValues, NumPy values or Python scalars (NumPy's
    promotion: same-dtype arrays only go native; results as :class:`UnaryKernels`')."""

    def __init__(self, bare: bool = False) -> None:
        super().__init__()
        self._bare = bare

    def __missing__(self, name: str) -> Any:
        np_kernel = _npe.BINARY[name]
        table = binary_table(name)
        scalars = scalar_table(name)
        bare = self._bare

        def wrap(r: Any) -> Any:
            return r if bare else value(r)

        def kernel(a: Any, b: Any) -> Any:
            ka, kb = type(a), type(b)
            if ka is TorchValue:
                ta = a.t
                if kb is TorchValue:
                    tb = b.t
                    dt = ta.dtype
                    if dt is tb.dtype and (ta.device == tb.device):
                        native = table.get(dt)
                        if native is not None:
                            # (shapes that do not broadcast: NumPy's error)
                            try:
                                return wrap(native(ta, tb))
                            except RuntimeError:
                                pass
                elif kb in _WEAK:
                    dt = ta.dtype
                    native = scalars.get(dt)
                    if native is not None and (kb is float or weak_ok(b)):
                        s = _SCALARS.get((dt, b))
                        r = native(ta, scalar_tensor(b, dt) if s is None else s)
                        return r if bare else value(r)
            elif kb is TorchValue and ka in _WEAK:
                tb = b.t
                native = scalars.get(tb.dtype)
                if native is not None and weak_ok(a):
                    return wrap(native(scalar_tensor(a, tb.dtype), tb))
            return _numpy_kernel(np_kernel, a, b)

        self[name] = kernel
        return kernel


# The element-wise kernels are also the namespace's functions of those names (the
# operators' fast path calls ``kx.add(a, b)`` for same-dtype, same-shape operands).
_ELEMENTWISE = {name: BinaryKernels()[name] for name in _NATIVE_BINARY}
_ELEMENTWISE.update({name: UnaryKernels()[name] for name in _NATIVE_UNARY})
xp.__dict__.update(_ELEMENTWISE)
# The hot-path kernels: xp's, but sum and prod give bare tensors (the statistics chapter
# wraps their results with the family's constructor at once).
kx = Namespace(np, {})
kx.__dict__.update({k: f for k, f in xp.__dict__.items() if k != "_module"})
_slow_where = fallback(np.where, "where")
_WHERE = frozenset(_PLAIN_TORCH.values())  # (torch has no where of uint16/32/64)
_torch_where = torch.where
_bool = torch.bool


def _where(c: Any, a: Any, b: Any) -> Any:
    """``where(c, a, b)`` for the searching chapter's hot path (a and b
    TorchValues of one dtype, or one a Python float with a floating-point TorchValue), as
    ``torch.where`` for a boolean condition (a non-boolean one is taken by its truth
    value: NumPy's); the result a bare tensor. A Python float takes the array's dtype in
    both (NEP 50)."""
    if type(c) is TorchValue and (ct := c.t).dtype is _bool:
        ta = a.t if type(a) is TorchValue else a
        tb = b.t if type(b) is TorchValue else b
        dt = (ta if type(ta) is _T else tb).dtype
        if dt in _WHERE:
            try:
                return _torch_where(ct, ta, tb)
            except RuntimeError:  # shapes that do not broadcast, devices: NumPy's error
                pass
    return _slow_where(c, a, b)


kx.__dict__.update(
    sum=_sum_like(np.sum, _sum, torch.sum, bare=True),
    prod=_sum_like(np.prod, _prod, torch.prod, bare=True),
    where=_where,
)

# torch's CPU ``mean`` of float32/float64 is its ``sum`` divided by the count (ATen's
# ``mean_out`` on the CPU: ``sum_out(...).div_(n)``; checked bit for bit against
# ``torch.sum(t) / n`` for 1 to 10^6 elements, whole and per axis), so it is the same
# computation as the statistics chapter's ``_mean`` (sum, then divide) in one call. Not on
# CUDA/MPS, whose mean multiplies by 1/n.
_MEAN_DTYPES = frozenset((torch.float32, torch.float64))


def one_call_mean(general: Any) -> Any:
    """The chapter's ``_mean(v, axes, keepdims)`` (``general``) as one ``torch.mean`` for
    non-empty float32/float64 CPU tensors over every axis or a non-empty tuple of axes."""

    def mean(v: Any, axes: Any, keepdims: bool) -> Any:
        t = v.t
        if t.dtype in _MEAN_DTYPES and t.is_cpu and t.numel():
            if axes is None:
                r = torch.mean(t)
                return r.reshape((1,) * t.ndim) if keepdims else r
            if axes:
                return torch.mean(t, dim=axes, keepdim=keepdims)
        return general(v, axes, keepdims)

    return mean


def make_complex(re: Any, im: Any) -> Any:
    """A complex value from real and imaginary parts, without arithmetic on them."""
    return TorchValue(torch.complex(re.t, im.t))


def clip(v: Any, lo: Any, hi: Any) -> Any:
    """``clip`` of a validated value, as the host backend computes it."""
    from . import _numpy

    return _numpy_kernel(_numpy.clip, v, lo, hi)


__all__ = [
    "BinaryKernels",
    "Namespace",
    "UnaryKernels",
    "binary_table",
    "clip",
    "kx",
    "make_complex",
    "one_call_mean",
    "scalar_table",
    "scalar_tensor",
    "unary_table",
    "weak_ok",
    "xp",
]
