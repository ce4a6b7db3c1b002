"""The torch backend's values: a torch tensor seen as a NumPy-like array with NumPy dtypes.

storax's dtypes are NumPy's, and its chapters compute with a NumPy-like array module
(``backend.xp``) on NumPy-like values (``v.dtype.kind``, ``v.astype(d)``, operators).
A :class:`TorchValue` wraps one ``torch.Tensor`` and gives it that face:

- ``dtype`` is the NumPy dtype of the tensor (torch's ``uint16``/``uint32``/``uint64``
  included: torch stores them but has few kernels for them);
- operations run as torch kernels where torch computes exactly what NumPy (and the
  standard) ask (:mod:`._torch_xp` lists them); every other operation runs NumPy on the
  tensor's memory: a zero-copy NumPy view for a CPU tensor, a copy to the host and back
  for a tensor on another device. Results never alias their operands (values are values,
  as on JAX): a NumPy result that shares memory with an operand is copied.

Imported only when the torch backend is first used.
"""

from __future__ import annotations

import builtins
import operator
from typing import Any

import numpy as np
import torch

_generic = np.generic
_ndarray = np.ndarray
_Tensor = torch.Tensor

# NumPy dtype <-> torch dtype, for the dtypes storax lists.
_TORCH: dict[Any, Any] = {
    np.dtype("bool"): torch.bool,
    np.dtype("int8"): torch.int8,
    np.dtype("int16"): torch.int16,
    np.dtype("int32"): torch.int32,
    np.dtype("int64"): torch.int64,
    np.dtype("uint8"): torch.uint8,
    np.dtype("uint16"): torch.uint16,
    np.dtype("uint32"): torch.uint32,
    np.dtype("uint64"): torch.uint64,
    np.dtype("float16"): torch.float16,
    np.dtype("float32"): torch.float32,
    np.dtype("float64"): torch.float64,
    np.dtype("complex64"): torch.complex64,
    np.dtype("complex128"): torch.complex128,
}
_NUMPY: dict[Any, Any] = {t: d for d, t in _TORCH.items()}
# torch stores these but has few kernels for them; computed through NumPy (or, for
# writes and gathers, reinterpreted as the signed type of the same width: same bits).
UNSIGNED_WIDE = frozenset((np.dtype("uint16"), np.dtype("uint32"), np.dtype("uint64")))
SIGNED_OF = {torch.uint16: torch.int16, torch.uint32: torch.int32, torch.uint64: torch.int64}
_CPU = torch.device("cpu")
# The torch device types without float64 and complex128 (Apple's MPS: torch raises "Cannot
# convert a MPS Tensor to float64 dtype"). A NumPy result bound for one is stored in the
# 32-bit type of its kind (``tensor_of``), as type promotion's results are there (the
# chapters check requested dtypes first). Tests add "cpu" to stand the CPU in for MPS.
NO_FLOAT64: set[str] = {"mps"}
_NARROW_TO = {
    np.dtype("float64"): np.dtype("float32"),
    np.dtype("complex128"): np.dtype("complex64"),
}


def torch_dtype(dtype: Any) -> Any:
    """The torch dtype of a NumPy dtype (TypeError for one storax does not list)."""
    try:
        return _TORCH[np.dtype(dtype)]
    except KeyError:
        raise TypeError(f"the torch backend has no dtype {dtype}") from None


def numpy_dtype(dtype: Any) -> Any:
    """The NumPy dtype of a torch dtype (TypeError for one storax does not list)."""
    try:
        return _NUMPY[dtype]
    except KeyError:
        raise TypeError(f"the torch backend has no dtype {dtype}") from None


_value_new = object.__new__


def on_device(dtype: Any, device: Any) -> Any:
    """``dtype`` (a NumPy dtype) for a tensor made on the torch ``device`` (None: the CPU):
    float64/complex128 become float32/complex64 where the device has none (MPS). The
    chapters check the dtypes a caller asks for; this is for the intermediates and results
    they choose, so that no float64 tensor is asked of such a device."""
    if dtype in _NARROW_TO and device_type(device) in NO_FLOAT64:
        return _NARROW_TO[dtype]
    return dtype


_TYPES: dict[Any, str] = {None: "cpu"}


def device_type(device: Any) -> str:
    """The type (``"cpu"``, ``"cuda"``, ``"mps"``) of a torch device (a ``torch.device``,
    its name, or None: the CPU); remembered per device (``torch.device.type`` costs
    ~0.5 µs, more than an 8-element kernel's dispatch)."""
    kind = _TYPES.get(device)
    if kind is None:
        kind = _TYPES[device] = torch.device(device).type
    return kind


def value(t: Any) -> TorchValue:
    """``TorchValue(t)`` for a tensor of a dtype storax lists (the hot paths' constructor)."""
    v = _value_new(TorchValue)
    v.t = t
    v.dtype = _NUMPY[t.dtype]
    return v


def bits(t: Any) -> Any:
    """``t`` as a tensor torch has kernels for: unsigned wide types as their signed bits."""
    signed = SIGNED_OF.get(t.dtype)
    return t if signed is None else t.view(signed)


class TorchValue:
    """A torch tensor with a NumPy-like face (see the module docstring).

    ``dtype`` (the NumPy dtype of ``t``) is read once, when the value is made: every
    operation reads it, often more than once. The hot paths make values with
    :func:`value` (the same, without the call of ``__init__``).
    """

    __slots__ = ("t", "dtype")
    __array_ufunc__ = None  # NumPy defers to TorchValue's operators
    t: Any
    dtype: Any

    def __init__(self, t: Any) -> None:
        self.t = t
        self.dtype = numpy_dtype(t.dtype)

    # ---------------------------------------------------------------- attributes

    @property
    def shape(self) -> tuple[int, ...]:
        return tuple(self.t.shape)

    @property
    def ndim(self) -> int:
        return int(self.t.ndim)

    @property
    def size(self) -> int:
        return int(self.t.numel())

    @property
    def device(self) -> Any:
        return self.t.device

    @property
    def T(self) -> TorchValue:
        return TorchValue(self.t.permute(*reversed(range(self.t.ndim))).clone())

    @property
    def mT(self) -> TorchValue:
        return TorchValue(self.t.transpose(-2, -1).clone())

    def __len__(self) -> int:
        return len(self.t)

    def __repr__(self) -> str:
        return f"TorchValue({self.host()!r}, device={self.t.device})"

    # --------------------------------------------------------------- conversions
    def host(self) -> np.ndarray:
        """The value as a NumPy array: a view of a CPU tensor's memory, else a copy."""
        t = self.t
        if t.device != _CPU:
            t = t.cpu()
        return t.numpy()

    def __array__(self, dtype: Any = None, copy: builtins.bool | None = None) -> np.ndarray:
        h = self.host()
        if copy:
            h = h.copy()
        return h if dtype is None else h.astype(dtype, copy=False)

    def __dlpack__(self, **kwargs: Any) -> Any:
        return self.t.__dlpack__(**kwargs)

    def __dlpack_device__(self) -> tuple[Any, int]:
        return self.t.__dlpack_device__()

    def item(self) -> Any:
        return self.host().item()

    def tolist(self) -> Any:
        return self.host().tolist()

    def __bool__(self) -> builtins.bool:
        return builtins.bool(self.host())

    def __int__(self) -> int:
        return int(self.host())

    def __float__(self) -> float:
        return float(self.host())

    def __complex__(self) -> complex:
        return complex(self.host())

    def __index__(self) -> int:
        return operator.index(self.host())

    # ------------------------------------------------------------------ methods
    def astype(self, dtype: Any, copy: builtins.bool = True) -> TorchValue:
        dtype = np.dtype(dtype)
        src = self.dtype
        if dtype == src:
            return TorchValue(self.t.clone()) if copy else self
        if dtype in _NARROW_TO:
            dtype = on_device(dtype, self.t.device)
            if dtype == src:
                return TorchValue(self.t.clone()) if copy else self
        if src in UNSIGNED_WIDE or dtype in UNSIGNED_WIDE or (src.kind == "c" != dtype.kind):
            # Note: torch lacks conversions for the wide unsigned types, and NumPy's
            # complex-to-real cast warns; both go through NumPy.
            return fallback_method(self, "astype", (dtype,), {})
        return TorchValue(self.t.to(_TORCH[dtype]))

    def reshape(self, *shape: Any, **kwargs: Any) -> TorchValue:
        return fallback_method(self, "reshape", shape, kwargs)

    def __getitem__(self, key: Any) -> TorchValue:
        return fallback_method(self, "__getitem__", (key,), {})

    def __setitem__(self, key: Any, value: Any) -> None:
        if self.t.device == _CPU:
            self.host()[to_host(key)] = to_host(value)
            return
        h = self.host()
        h[to_host(key)] = to_host(value)
        self.t.copy_(torch.from_numpy(h).to(self.t.device))

    def __iter__(self) -> Any:
        return (self[i] for i in range(len(self)))

    def __getattr__(self, name: str) -> Any:
        # NumPy's other ndarray methods and attributes (real, imag, sum, nonzero...)
        if name.startswith("_"):
            raise AttributeError(name)
        attr = getattr(self.host(), name)
        if callable(attr):

            def method(*args: Any, **kwargs: Any) -> Any:
                return fallback_method(self, name, args, kwargs)

            return method
        return from_host(attr, self.t.device, (self.host(),))


def _quiet() -> Any:
    return np.errstate(all="ignore")


def fallback_method(v: TorchValue, name: str, args: Any, kwargs: Any) -> Any:
    h = v.host()
    with _quiet():
        r = getattr(h, name)(*to_host(args), **to_host(kwargs))
    return from_host(r, v.t.device, (h,))


# --------------------------------------------------------------------- operators
# Same-dtype operands torch computes exactly as NumPy: these run as torch kernels.
_NATIVE_OPS = {
    "__add__": operator.add,
    "__sub__": operator.sub,
    "__mul__": operator.mul,
    "__and__": operator.and_,
    "__or__": operator.or_,
    "__xor__": operator.xor,
    "__eq__": operator.eq,
    "__ne__": operator.ne,
    "__lt__": operator.lt,
    "__le__": operator.le,
    "__gt__": operator.gt,
    "__ge__": operator.ge,
}
_NATIVE_OK = {
    "__add__": "iufc",
    "__sub__": "iufc",
    "__mul__": "iufc",
    "__and__": "biu",
    "__or__": "biu",
    "__xor__": "biu",
    "__eq__": "biufc",
    "__ne__": "biufc",
    "__lt__": "biuf",
    "__le__": "biuf",
    "__gt__": "biuf",
    "__ge__": "biuf",
}


def _binary_operator(name: str) -> Any:
    native = _NATIVE_OPS.get(name)
    kinds = _NATIVE_OK.get(name, "")

    def op(self: TorchValue, other: Any) -> Any:
        if native is not None and type(other) is TorchValue:
            a, b = self.t, other.t
            if a.dtype is b.dtype and a.device == b.device:
                d = _NUMPY[a.dtype]
                if (
                    d.kind in kinds
                    and d not in UNSIGNED_WIDE
                    and (
                        d.kind != "b"
                        or name in ("__and__", "__or__", "__xor__", "__eq__", "__ne__")
                    )
                ):
                    return TorchValue(native(a, b))
        h = self.host()
        with _quiet():
            r = getattr(h, name)(to_host(other))
        if r is NotImplemented:
            return r
        return from_host(r, self.t.device, (h,))

    op.__name__ = name
    return op


def _unary_operator(name: str) -> Any:
    def op(self: TorchValue) -> Any:
        h = self.host()
        with _quiet():
            r = getattr(h, name)()
        return from_host(r, self.t.device, (h,))

    op.__name__ = name
    return op


for _short in ("add", "sub", "mul", "truediv", "floordiv", "mod", "pow", "matmul", "and",
               "or", "xor", "lshift", "rshift"):  # fmt: skip
    for _name in (f"__{_short}__", f"__r{_short}__"):
        setattr(TorchValue, _name, _binary_operator(_name))
for _name in ("__eq__", "__ne__", "__lt__", "__le__", "__gt__", "__ge__"):
    setattr(TorchValue, _name, _binary_operator(_name))
for _name in ("__neg__", "__pos__", "__invert__", "__abs__"):
    setattr(TorchValue, _name, _unary_operator(_name))
TorchValue.__hash__ = None  # type: ignore[assignment]


# ------------------------------------------------------------------ host transfer


def to_host(obj: Any) -> Any:
    """``obj`` with every TorchValue in it (lists, tuples, dicts) as a NumPy array."""
    t = type(obj)
    if t is TorchValue:
        return obj.host()
    if t is tuple or t is list:
        return t(to_host(o) for o in obj)
    if t is dict:
        return {k: to_host(v) for k, v in obj.items()}
    if t is slice:
        return slice(to_host(obj.start), to_host(obj.stop), to_host(obj.step))
    return obj


def device_in(obj: Any) -> Any:
    """The device of the first TorchValue in ``obj`` (None: there is none)."""
    t = type(obj)
    if t is TorchValue:
        return obj.t.device
    if t is tuple or t is list:
        for o in obj:
            d = device_in(o)
            if d is not None:
                return d
    if t is dict:
        return device_in(list(obj.values()))
    return None


def tensor_of(a: np.ndarray, device: Any = None) -> Any:
    """A tensor holding NumPy array ``a`` (sharing its memory where torch can, on the CPU)."""
    if not (a.flags.c_contiguous and a.flags.writeable and a.flags.aligned) or (
        a.dtype.byteorder not in "=|"
    ):
        a = np.array(a, order="C", dtype=a.dtype.newbyteorder("="), copy=True)
    if a.dtype not in _TORCH:
        raise TypeError(f"the torch backend has no dtype {a.dtype}")
    if a.dtype in _NARROW_TO and device_type(device) in NO_FLOAT64:
        a = a.astype(_NARROW_TO[a.dtype])
    t = torch.from_numpy(a)
    if device is not None and device != _CPU:
        t = t.to(device)
    return t


def from_host(r: Any, device: Any, inputs: tuple[Any, ...] = ()) -> Any:
    """A NumPy result as TorchValues on ``device`` (recursively through tuples and lists);
    a result that may share memory with its operands ``inputs`` is copied first."""
    t = type(r)
    if t is _ndarray or isinstance(r, _ndarray):
        r = np.asarray(r)
        if r.base is not None or any(r is i for i in inputs):
            r = np.array(r, copy=True)
        return TorchValue(tensor_of(r, device))
    if isinstance(r, _generic):
        return TorchValue(tensor_of(np.array(r), device))
    if t is list:
        return [from_host(o, device, inputs) for o in r]
    if isinstance(r, tuple):
        items = [from_host(o, device, inputs) for o in r]
        return t._make(items) if hasattr(t, "_make") else t(items)
    return r


def wrap_tensor(t: Any) -> TorchValue:
    return TorchValue(t)
