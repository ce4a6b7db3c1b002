"""Array: the public base class, a strided view over a Storage; knows no backend.

Each backend provides its *Array family* in ``storax._backends`` (one subclass with one
constructor, ``_new``): the NumPy family holds a live ndarray view, the JAX family a
``(storage, layout)`` pair. A family implements the small view protocol below (the
``_``-methods, ``_value``, ``dtype``, ``shape``, ``device``, indexing, writes, exports);
this base builds everything else on it, so behaviour is written once for every backend.
Operators are installed by one composition step (``storax._compose``) after the namespace
chapters exist.
"""

from __future__ import annotations

import builtins
import operator
import sys
from typing import TYPE_CHECKING, Any, SupportsIndex

from . import _dtypes, _printing
from ._core._layout import Layout
from ._core._storage import Storage
from ._device import Device, as_device

_PY_SCALARS = (builtins.bool, int, float, complex)

# PyTorch-style unary in-place methods -> the NumPy-style name of the function they apply
# (every backend's array module spells these the same way; ``round_`` is ``rint``, the
# ufunc: halves to even, as ``round``).
UNARY_INPLACE = {
    "abs_": "absolute", "neg_": "negative", "cos_": "cos", "sin_": "sin", "tan_": "tan",
    "cosh_": "cosh", "sinh_": "sinh", "tanh_": "tanh", "exp_": "exp", "expm1_": "expm1",
    "log_": "log", "log1p_": "log1p", "log2_": "log2", "log10_": "log10",
    "sqrt_": "sqrt", "square_": "square", "floor_": "floor", "ceil_": "ceil",
    "trunc_": "trunc", "round_": "rint", "sign_": "sign", "reciprocal_": "reciprocal",
}  # fmt: skip


class Array:
    """An n-dimensional array: a strided view of a :class:`Storage`.

    Create arrays with the namespace's creation functions (``storax.asarray``,
    ``storax.zeros``, ...), never with ``Array(...)``.

    Examples
    --------
    >>> import storax as sx
    >>> points = sx.asarray([[4.0, 1.0], [5.0, 3.0], [2.0, 1.0]])
    >>> second = points[1]
    >>> second.storage_offset(), second.stride()
    (2, (1,))
    >>> second[0] = 10.0
    >>> points
    tensor([[ 4.,  1.],
            [10.,  3.],
            [ 2.,  1.]])
    """

    __slots__ = ("__weakref__",)
    __array_priority__ = 100
    # NumPy's ``__array_ufunc__`` (NEP 13) and ``__array_function__`` (NEP 18) are
    # installed on this base by the composition step (storax._numpy_protocols):
    # ``np_array + storax_array`` reaches storax's reflected operator through them.
    # Set on each family by the composition step (storax._compose): hot-path flags.
    _one_device = False
    _live_views = False
    _backend: Any  # the backend module of this family (see storax._backends._protocol)
    _unary_kernels: Any  # name -> kernel on this family's values (element-wise functions)
    _binary_kernels: Any
    # A family's array-level element-wise kernels, or None (the chapter's path alone):
    # ``_array_unary[name](x)`` / ``_array_binary[name](x1, x2)`` (one a Python scalar at
    # most) compute the function on the family's arrays in one call, or return None for
    # anything they do not serve (the chapter's path then validates and computes it).
    _array_unary: Any = None
    _array_binary: Any = None
    # ``_array_reductions[name](x)`` (sum, prod, max, min, mean): the reduction of every
    # element in the default dtype, without keepdims, in one call, or None (not served).
    _array_reductions: Any = None
    # ``_array_where(condition, x1, x2)``: ``where`` of the family's arrays in one call
    # (a boolean condition; x1 and x2 of one dtype, or one a Python float with a
    # floating-point array), or None (not served: the chapter's path).
    _array_where: Any = None
    # Named dimensions: None here; a family's named subclass (storax._names) has a
    # ``_names`` slot. Unnamed arrays read this class attribute, never on a hot path.
    _names: tuple[str | None, ...] | None = None

    if TYPE_CHECKING:  # the view protocol each family implements (types only)

        @property
        def _value(self) -> Any: ...
        @property
        def dtype(self) -> Any: ...
        @property
        def shape(self) -> tuple[builtins.int, ...]: ...
        @property
        def device(self) -> Device: ...
        def __getitem__(self, key: Any) -> Array: ...
        def __setitem__(self, key: Any, value: Any) -> None: ...
        def item(self) -> Any: ...
        def tolist(self) -> Any: ...
        def numpy(self) -> Any: ...
        def clone(self) -> Array: ...
        def is_contiguous(self) -> builtins.bool: ...
        def contiguous(self) -> Array: ...
        def view(self, *shape: Any) -> Array: ...
        def copy_(self, src: Any) -> Array: ...
        def _permuted(self, axes: tuple[builtins.int, ...]) -> Array: ...
        def _view_reshape(self, shape: tuple[builtins.int, ...]) -> Array | None: ...
        def _broadcast(self, shape: tuple[builtins.int, ...]) -> Array: ...
        def _expanded(self, axes: tuple[builtins.int, ...]) -> Array: ...
        def _squeezed(self, axes: tuple[builtins.int, ...]) -> Array: ...
        def _strided_view(self, layout: Layout) -> Array: ...
        def _inplace(self, function_name: str, name: str, *args: Any) -> Array: ...

    def __init__(self, *args: object, **kwargs: object) -> None:
        raise TypeError(
            "Array: use storax.asarray(), storax.zeros() and the other creation functions"
        )

    @staticmethod
    def _new(value: Any) -> Array:  # pragma: no cover - every family defines its own
        """The family's constructor (each backend's family replaces this)."""
        raise TypeError("Array._new: the Array base has no backend; use a backend's family")

    # ------------------------------------------------------------- view protocol
    # Each family implements these with arguments already validated and normalised:
    # _permuted(axes), _view_reshape(shape) -> Array | None, _broadcast(shape),
    # _expanded(axes), _squeezed(axes), _strided_view(layout), and
    # _inplace(function_name, method_name, *operand_values).

    def _diagonal(self, k: builtins.int) -> Array:
        """The ``k``-th diagonal of the last two axes (``k`` clamped to their extents), a
        view (read-only where this view is); a family may compute it faster."""
        return self._strided_view(self.layout().diagonal(k))

    # ------------------------------------------------------------------ attributes
    @property
    def ndim(self) -> builtins.int:
        """Number of dimensions."""
        return len(self.shape)

    @property
    def size(self) -> builtins.int:
        """Number of elements."""
        n = 1
        for d in self.shape:
            n *= d
        return n

    @property
    def T(self) -> Array:
        """Transpose of a 2-D array (a view)."""
        if self.ndim != 2:
            raise ValueError(
                f"Array.T: only 2-D arrays have .T, got {self.ndim}-D; use permute_dims or .mT"
            )
        return self._permuted((1, 0))

    @property
    def mT(self) -> Array:
        """Transpose of the last two axes (a view)."""
        n = self.ndim
        if n < 2:
            raise ValueError(f"Array.mT: expected at least 2 dimensions, got {n}")
        return self._permuted((*range(n - 2), n - 1, n - 2))

    # ------------------------------------------------------------- named dimensions
    @property
    def names(self) -> tuple[str | None, ...]:
        """The name of each dimension (``None`` for an unnamed one), as PyTorch's.

        Examples
        --------
        >>> import storax as sx
        >>> sx.zeros((2, 3), names=("rows", None)).names
        ('rows', None)
        >>> sx.zeros((2, 3)).names
        (None, None)
        """
        n = self._names
        return (None,) * self.ndim if n is None else n

    def refine_names(self, *names: Any) -> Array:
        """A view with the unnamed dims named (one ``...`` stands for the dims it skips).

        Examples
        --------
        >>> import storax as sx
        >>> sx.zeros((2, 3, 5, 5)).refine_names(..., "channels", "rows", "columns").names
        (None, 'channels', 'rows', 'columns')
        """
        from ._names import refine_names

        return refine_names(self, names)

    def rename(self, *names: Any, **rename_map: Any) -> Array:
        """A view with new names: positional (one ``...`` keeps the names it covers),
        ``rename(None)`` to drop them all, or ``rename(old="new")``.

        Examples
        --------
        >>> import storax as sx
        >>> x = sx.zeros((3, 5), names=("rows", "columns"))
        >>> x.rename(..., None).names, x.rename(rows="height").names, x.rename(None).names
        (('rows', None), ('height', 'columns'), (None, None))
        """
        from ._names import rename

        return rename(self, names, rename_map)

    def align_to(self, *names: Any) -> Array:
        """A view with the dims permuted into the order of ``names``, and size-1 dims
        inserted for names this array lacks (``...``: the dims not listed, in order).

        Examples
        --------
        >>> import storax as sx
        >>> sx.zeros(3, names=("channels",)).align_to("channels", "rows", "columns").shape
        (3, 1, 1)
        """
        from ._names import align_to

        return align_to(self, names)

    def align_as(self, other: Array) -> Array:
        """``self.align_to(*other.names)``: ready to broadcast against ``other``.

        Examples
        --------
        >>> import storax as sx
        >>> img = sx.zeros((3, 5, 5), names=("channels", "rows", "columns"))
        >>> sx.ones(3, names=("channels",)).align_as(img).names
        ('channels', 'rows', 'columns')
        """
        from ._names import align_as

        return align_as(self, other)

    # --------------------------------------------------------------- storage model
    def storage(self) -> Storage:  # pragma: no cover - every family defines its own
        """The flat Storage this array is a view of (shared by all views of it)."""
        raise TypeError("Array.storage: the Array base has no backend")

    def layout(self) -> Layout:  # pragma: no cover - every family defines its own
        """The (shape, strides, offset) Layout of this view over its storage."""
        raise TypeError("Array.layout: the Array base has no backend")

    def storage_offset(self) -> builtins.int:
        """Index in the storage of this view's first element."""
        return self.layout().offset

    def stride(self, dim: builtins.int | None = None) -> tuple[builtins.int, ...] | builtins.int:
        """Strides in elements (one dimension's stride if ``dim`` is given)."""
        strides = self.layout().strides
        if dim is None:
            return strides
        return strides[_normalize_axis(dim, self.ndim, "stride")]

    def copy(self) -> Array:
        """A copy in a new storage (NumPy's spelling of :meth:`clone`)."""
        return self.clone()

    def t(self) -> Array:
        """Transpose a 0-, 1- or 2-D array without copying (PyTorch's ``t``)."""
        if self.ndim > 2:
            raise ValueError(f"Array.t: expects an array of at most 2 dims, got {self.ndim}")
        return self._permuted(tuple(range(self.ndim))[::-1])

    def transpose(self, dim0: builtins.int, dim1: builtins.int) -> Array:
        """Swap two dimensions without copying."""
        n = self.ndim
        a = _normalize_axis(dim0, n, "transpose")
        b = _normalize_axis(dim1, n, "transpose")
        axes = list(range(n))
        axes[a], axes[b] = axes[b], axes[a]
        return self._permuted(tuple(axes))

    def permute(self, *dims: Any) -> Array:
        """Reorder the dimensions without copying (PyTorch's ``permute``)."""
        if len(dims) == 1 and isinstance(dims[0], (tuple, list)):
            dims = tuple(dims[0])
        from ._manipulation_functions import permute_dims

        return permute_dims(self, dims)

    def unsqueeze(self, dim: builtins.int) -> Array:
        """Insert a size-1 dimension at ``dim`` (a view)."""
        from ._manipulation_functions import expand_dims

        return expand_dims(self, axis=dim)

    def reshape(self, *shape: Any) -> Array:
        """Reshape (a view when the layout allows, else a copy)."""
        if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
            shape = tuple(shape[0])
        from ._manipulation_functions import reshape

        return reshape(self, shape)

    # ------------------------------------------------------------ casts and moves
    def to(self, dtype: Any = None, device: Any = None, *, copy: builtins.bool = False) -> Array:
        """Cast and/or move: ``x.to(sx.float64)``, ``x.to(device="cpu")``.

        The cast is :func:`storax.astype`'s, so ``to`` behaves alike on every backend.
        """
        if isinstance(dtype, Device):
            dtype, device = None, dtype
        elif dtype is not None:
            try:
                dtype = _dtypes.check_dtype(dtype, "Array.to")
            except TypeError:
                if isinstance(dtype, str) and device is None:
                    dtype, device = None, dtype
                else:
                    raise
        out: Array = self
        if device is not None:
            out = out.to_device(device)
        if dtype is not None and dtype != out.dtype:
            from ._data_type_functions import _cast

            return _cast(out, dtype, "Array.to")
        if copy and out is self:
            return self.clone()
        return out

    def double(self) -> Array:
        """Cast to float64."""
        return self.to(_dtypes.float64)

    def float(self) -> Array:
        """Cast to float32."""
        return self.to(_dtypes.float32)

    def short(self) -> Array:
        """Cast to int16."""
        return self.to(_dtypes.int16)

    def int(self) -> Array:
        """Cast to int32."""
        return self.to(_dtypes.int32)

    def long(self) -> Array:
        """Cast to int64."""
        return self.to(_dtypes.int64)

    def bool(self) -> Array:
        """Cast to bool."""
        return self.to(_dtypes.bool)

    @property
    def sharding(self) -> Any:
        """The backend's description of how the data is laid out over devices (a
        ``jax.sharding.Sharding`` on JAX); None where the backend has none (NumPy)."""
        return None

    def cuda(self, device: Any = None) -> Array:
        """Copy to a CUDA GPU (PyTorch's ``cuda``): ``cuda()`` or ``cuda(0)`` is the first
        GPU of the current backend (``jax:gpu:0`` on JAX); ValueError when there is none.
        """
        if device is None:
            target: Any = "cuda"
        elif isinstance(device, builtins.int) and not isinstance(device, builtins.bool):
            target = f"cuda:{device}"
        elif isinstance(device, (str, Device)):
            target = device
        else:
            raise TypeError(f"Array.cuda: expected a GPU index or a device, got {device!r}")
        return self.to_device(as_device(target, "Array.cuda"))

    def cpu(self) -> Array:
        """Copy to host memory (PyTorch's ``cpu``): the ``cpu`` device, NumPy's, on every
        backend, as ``to(device="cpu")`` (use ``to_device("jax:cpu:0")`` to stay on JAX)."""
        return self.to_device("cpu")

    def to_device(self, device: Any, /, *, stream: Any = None) -> Array:
        """Copy to ``device`` (the same array if it is already there)."""
        d = as_device(device, "to_device")
        if stream is not None:
            raise ValueError("to_device: streams are not supported")
        if d is None or d == self.device:
            return self
        from ._backends import move_to_device

        return move_to_device(self, d)

    # ---------------------------------------------------------------- reductions
    # NumPy's method signatures (positional ``dtype``, ``out=``), as NumPy callers pass them.
    def sum(
        self, axis: Any = None, dtype: Any = None, out: Any = None, keepdims: builtins.bool = False
    ) -> Array:
        """Sum over ``axis`` (see :func:`storax.sum`); ``out=`` receives the result."""
        from ._statistical_functions import sum as _sum

        return _into(_sum(self, axis=_axes(axis), dtype=dtype, keepdims=keepdims), out)

    def mean(
        self, axis: Any = None, dtype: Any = None, out: Any = None, keepdims: builtins.bool = False
    ) -> Array:
        """Mean over ``axis`` (see :func:`storax.mean`); ``out=`` receives the result."""
        from ._statistical_functions import mean as _mean

        return _into(_mean(self, axis=_axes(axis), dtype=dtype, keepdims=keepdims), out)

    def __array_namespace__(self, /, *, api_version: str | None = None) -> Any:
        from ._namespace import namespace_for_version

        return namespace_for_version(api_version)

    # ------------------------------------------------------------ Python protocol
    def __repr__(self) -> str:
        from ._backends import format_array

        return format_array(self, _printing._options)

    __str__ = __repr__

    def __len__(self) -> builtins.int:
        if self.ndim == 0:
            raise TypeError("len() of a 0-d array")
        return self.shape[0]

    def __iter__(self) -> Any:
        if self.ndim == 0:
            raise TypeError("__iter__: iteration over a 0-d array")
        return (self[i] for i in range(self.shape[0]))

    def __bool__(self) -> builtins.bool:
        if self.size != 1:
            raise ValueError(
                f"__bool__: the truth value of an array with {self.size} elements is ambiguous"
            )
        return builtins.bool(self.item())

    def __int__(self) -> builtins.int:
        _check_scalar(self, "__int__")
        if self.dtype.kind == "c":
            raise TypeError("__int__: cannot convert a complex array to int")
        return builtins.int(self.item())

    def __float__(self) -> builtins.float:
        _check_scalar(self, "__float__")
        if self.dtype.kind == "c":
            raise TypeError("__float__: cannot convert a complex array to float")
        return builtins.float(self.item())

    def __complex__(self) -> complex:
        _check_scalar(self, "__complex__")
        return complex(self.item())

    def __index__(self) -> builtins.int:
        _check_scalar(self, "__index__")
        if self.dtype.kind not in "iu":
            raise TypeError(f"__index__: expected an integer array, got {self.dtype}")
        return builtins.int(self.item())

    def __getstate__(self) -> Any:
        from .io._pickle import array_getstate

        return array_getstate(self)

    def __setstate__(self, state: Any) -> None:
        from .io._pickle import array_setstate

        array_setstate(self, state)

    def __reduce_ex__(self, protocol: SupportsIndex) -> Any:
        from .io._pickle import array_reduce

        # the caller's frame tells one pickle from another (see storax.io._pickle)
        return array_reduce(self, operator.index(protocol), sys._getframe(1))

    def __copy__(self) -> Array:
        """``copy.copy``: a view of the same storage (as pickling's memo would share it)."""
        return self._strided_view(self.layout()) if self.size else self

    def __deepcopy__(self, memo: dict[builtins.int, Any]) -> Array:
        """``copy.deepcopy``: a copy; views of one storage copied together share the copy."""
        from .io._pickle import array_deepcopy

        return array_deepcopy(self, memo)

    # ---------------------------------------------------- in-place (PyTorch style)
    # Each goes through the family's ``_inplace``: computed, then written through the view
    # into the storage, so every view of it sees the result.
    def zero_(self) -> Array:
        """Fill with zeros, in place."""
        return self.fill_(0)

    def fill_(self, value: Any) -> Array:
        """Fill with ``value``, in place."""
        self[...] = value.item() if isinstance(value, Array) else value
        return self

    def add_(self, other: Any, *, alpha: Any = None) -> Array:
        """``self += alpha * other``, in place."""
        o = _operand_value(other)
        if alpha is not None:
            o = o * alpha
        return self._inplace("add", "add_", o)

    def sub_(self, other: Any, *, alpha: Any = None) -> Array:
        """``self -= alpha * other``, in place."""
        o = _operand_value(other)
        if alpha is not None:
            o = o * alpha
        return self._inplace("subtract", "sub_", o)

    def mul_(self, other: Any) -> Array:
        """``self *= other``, in place."""
        return self._inplace("multiply", "mul_", _operand_value(other))

    def div_(self, other: Any) -> Array:
        """``self /= other``, in place."""
        return self._inplace("true_divide", "div_", _operand_value(other))

    def pow_(self, other: Any) -> Array:
        """``self **= other``, in place."""
        return self._inplace("power", "pow_", _operand_value(other))

    def clamp_(self, min: Any = None, max: Any = None) -> Array:
        """Clip to ``[min, max]``, in place."""
        if min is None and max is None:
            raise ValueError("Array.clamp_: at least one of min and max must be given")
        lo = _operand_value(min) if min is not None else None
        hi = _operand_value(max) if max is not None else None
        return self._inplace("clip", "clamp_", lo, hi)  # one write: atomic per call


def _make_unary_inplace(name: str, function_name: str) -> Any:
    def method(self: Array) -> Array:
        return self._inplace(function_name, name)

    method.__name__ = name
    method.__doc__ = f"Apply ``{function_name}`` in place (PyTorch's ``{name}``)."
    return method


for _name, _function in UNARY_INPLACE.items():
    setattr(Array, _name, _make_unary_inplace(_name, _function))
Array.__hash__ = None  # type: ignore[assignment,method-assign]


# ---------------------------------------------------------------------- helpers


def _normalize_axis(axis: Any, ndim: builtins.int, func: str) -> builtins.int:
    a = _as_int(axis, func)
    if not -builtins.max(ndim, 1) <= a < builtins.max(ndim, 1):
        raise IndexError(f"{func}: axis {a} is out of bounds for an array of dimension {ndim}")
    return a % builtins.max(ndim, 1)


def _as_int(value: Any, func: str) -> builtins.int:
    if isinstance(value, builtins.bool):
        raise TypeError(f"{func}: expected an integer, got bool")
    try:
        return operator.index(value)
    except TypeError:
        raise TypeError(f"{func}: expected an integer, got {type(value).__name__}") from None


def _view_dtype(args: tuple[Any, ...]) -> Any:
    """The dtype of ``x.view(dtype)`` (None for ``x.view(*shape)``): a dtype, a Python
    type or a dtype name, as NumPy and PyTorch take it."""
    if len(args) != 1:
        return None
    a = args[0]
    if isinstance(a, (builtins.int, tuple, list)) or hasattr(a, "__index__"):
        return None
    return _dtypes.check_dtype(a, "Array.view")


def _axes(axis: Any) -> Any:
    return tuple(axis) if isinstance(axis, list) else axis


def _into(result: Array, out: Any) -> Array:
    """``result``, or written into ``out`` (an Array) and ``out`` returned (NumPy's out=)."""
    if out is None:
        return result
    if isinstance(out, tuple) and len(out) == 1:
        out = out[0]
    if not isinstance(out, Array):
        raise TypeError(f"out: expected a storax array, got {type(out).__name__}")
    out[...] = result
    return out


def _check_scalar(x: Array, func: str) -> None:
    if x.size != 1:
        raise TypeError(f"{func}: only arrays with one element convert to Python scalars")


def _check_scalar_kind(value: Any, dtype: Any, func: str) -> None:
    """Python bool/complex scalar against an array dtype."""
    if type(value) is complex and dtype.kind != "c":
        raise TypeError(f"{func}: cannot use a complex scalar with an array of dtype {dtype}")


def _operand_value(other: Any) -> Any:
    if isinstance(other, Array):
        return other._value
    return other


def _setitem_value(value: Array, dtype: Any) -> Any:
    """The backend value of an Array assigned into an array of ``dtype`` (checked)."""
    vd = value.dtype
    if vd != dtype and _dtypes.promote(dtype, vd, func="__setitem__") != dtype:
        # 2025.12: a value whose dtype promotes to the array's is written as is.
        # Note: the spec leaves other pairs unspecified; storax casts the value to the
        # array's dtype, as NumPy does (a float64 value into a float32 array, SciPy's
        # Akima1DInterpolator), except complex into real, which would drop the
        # imaginary part (NumPy warns; storax raises, as astype does).
        if vd.kind == "c" and dtype.kind != "c":
            raise TypeError(
                f"__setitem__: cannot assign an array of dtype {vd} into an array of "
                f"dtype {dtype} (it would drop the imaginary part)"
            )
        return value._value.astype(dtype)
    return value._value


from ._dlpack_exchange import CAPSULE as _DLPACK_EXCHANGE  # noqa: E402

# The draft's type-level DLPack C exchange table (docs/backends.md), shared by every family.
Array.__dlpack_c_exchange_api__ = _DLPACK_EXCHANGE  # type: ignore[attr-defined]
