"""NumPy's override protocols on storax arrays: NEP 13 (``__array_ufunc__``) and NEP 18
(``__array_function__``); no NumPy import, backend-neutral (installed by ``_compose``).

``np.sin(x)``, ``np.add.reduce(x)``, ``np.concatenate([x, y])`` on storax arrays compute with
storax's own functions on the arrays' backend and device and return storax arrays. NumPy's
dtype rules decide the result dtype (``np.sin(int_array)`` is float64, as in NumPy). What
storax has no function for goes *through the host*: the NumPy function runs on the arrays'
host values (on a live-view backend the very memory, no copy; elsewhere a host copy) and
its array results come back as storax arrays on the device of the first storax argument.
``out=`` takes storax arrays (written through their views) and NumPy arrays (written in
place, as NumPy does). docs/ecosystem.md states the rule.
"""

from __future__ import annotations

import builtins
from collections.abc import Callable
from typing import Any

from . import _backends, _dtypes
from ._array_object import Array
from ._backends import from_host_operand, is_host_value

_PY_SCALARS = (builtins.bool, int, float, complex)


class Fallback(Exception):
    """Raised by a storax implementation of a NumPy function that cannot take these
    arguments natively: the call then goes through the host."""


class Refused(TypeError):
    """Raised by a storax implementation of a NumPy function for arguments whose result
    has no storax array (a structured dtype): a TypeError for the caller, never the host
    (dask, as for CuPy, then takes its path for arrays without structured dtypes)."""


# ------------------------------------------------------------------ conversions


def _ew() -> Any:
    """The element-wise chapter (its functions are generated from a table)."""
    from . import _elementwise_functions

    return _elementwise_functions


def _np() -> Any:
    """NumPy, as the host backend's array module."""
    return _backends.host.xp


def first_array(tree: Any) -> Array | None:
    """The first storax Array in ``tree`` (arguments, lists and tuples of them)."""
    if isinstance(tree, Array):
        return tree
    if isinstance(tree, (list, tuple)):
        for item in tree:
            found = first_array(item)
            if found is not None:
                return found
    elif isinstance(tree, dict):
        return first_array(list(tree.values()))
    return None


def to_host(tree: Any) -> Any:
    """``tree`` with every storax Array replaced by its host value (the live NumPy view on
    a live-view backend, a host copy elsewhere)."""
    if isinstance(tree, Array):
        return tree._backend.to_host(tree._value)
    if isinstance(tree, list):
        return [to_host(t) for t in tree]
    if type(tree) is tuple:
        return tuple(to_host(t) for t in tree)
    if isinstance(tree, dict):
        return {k: to_host(v) for k, v in tree.items()}
    return tree


def from_host(tree: Any, like: Array) -> Any:
    """``tree`` with every NumPy array or scalar of a standard dtype made a storax Array
    that joins ``like`` (its backend and device). Other dtypes (object, strings, float16)
    have no storax array and stay NumPy values."""
    if is_host_value(tree):
        if tree.dtype not in _dtypes.STANDARD_DTYPES:
            return tree
        return from_host_operand(tree, like)
    if isinstance(tree, list):
        return [from_host(t, like) for t in tree]
    if isinstance(tree, tuple):
        items = [from_host(t, like) for t in tree]
        return type(tree)(*items) if hasattr(tree, "_fields") else tuple(items)
    return tree


def as_array(x: Any, like: Array | None) -> Array:
    """A storax Array for a NumPy-style argument: Arrays pass; NumPy values, lists and
    Python scalars are converted with NumPy's dtype rules and join ``like``."""
    if isinstance(x, Array):
        return x
    if not is_host_value(x):
        x = _np().asarray(x)
    if x.dtype not in _dtypes.STANDARD_DTYPES:
        raise Fallback
    return from_host_operand(x, like)


def host_call(func: Callable[..., Any], args: Any, kwargs: dict[str, Any], like: Array) -> Any:
    """``func`` on the host values of ``args``, its array results back as storax arrays on
    ``like``'s backend and device (``out=`` is handled by the caller)."""
    _check_one_device(like, (args, kwargs))
    return from_host(func(*to_host(args), **to_host(kwargs)), like)


def _check_one_device(like: Array, tree: Any) -> None:
    if isinstance(tree, Array):
        if tree is not like:
            _backends.check_same_device(like, tree, "numpy")
    elif isinstance(tree, (list, tuple)):
        for t in tree:
            _check_one_device(like, t)
    elif isinstance(tree, dict):
        _check_one_device(like, list(tree.values()))


def _out_tuple(out: Any) -> tuple[Any, ...] | None:
    if out is None:
        return None
    if isinstance(out, tuple):
        return out if any(o is not None for o in out) else None
    return (out,)


def deliver(result: Any, out: tuple[Any, ...] | None, casting: str = "same_kind") -> Any:
    """Write ``result`` (an Array or a tuple of them) into ``out`` and return what NumPy
    returns: ``out`` itself (its single element for one output)."""
    if out is None:
        return result
    results = result if isinstance(result, tuple) else (result,)
    if len(results) != len(out):
        raise ValueError(f"numpy: expected {len(results)} out arrays, got {len(out)}")
    done = []
    for r, o in zip(results, out, strict=True):
        if o is None:
            done.append(r)
            continue
        r = as_array(r, o if isinstance(o, Array) else None)
        if not _np().can_cast(r.dtype, o.dtype, casting=casting):
            raise TypeError(
                f"numpy: cannot cast the result ({r.dtype}) to the out array's dtype "
                f"{o.dtype} with casting={casting!r}"
            )
        if isinstance(o, Array):
            _backends.check_same_device(o, r, "numpy (out=)")
            if tuple(o.shape) != tuple(r.shape):
                from ._manipulation_functions import broadcast_to

                r = broadcast_to(r, tuple(o.shape))
            from ._data_type_functions import astype

            o[...] = r if r.dtype == o.dtype else astype(r, o.dtype)
            done.append(o)
        else:
            # A NumPy out= array is written in place (other references to it see the
            # result), but what is returned is a storax array of it, on the operands'
            # backend (on a live-view backend, the same memory): ``a += x`` makes ``a`` a
            # storax array, so NumPy-only code that accumulates storax values into
            # ``np.zeros`` keeps one namespace (scikit-learn's LDA solver="eigen").
            _np().copyto(o, to_host(r), casting="unsafe")
            done.append(from_host_operand(o, r))
    return done[0] if len(done) == 1 else tuple(done)


# --------------------------------------------------------------------- NEP 13: ufuncs


def _fmax(a: Array, b: Array) -> Array:
    isnan = _ew().isnan
    maximum = _ew().maximum
    from ._searching_functions import where

    return where(isnan(a), b, where(isnan(b), a, maximum(a, b)))


def _fmin(a: Array, b: Array) -> Array:
    isnan = _ew().isnan
    minimum = _ew().minimum
    from ._searching_functions import where

    return where(isnan(a), b, where(isnan(b), a, minimum(a, b)))


def _scaled(factor: float) -> Callable[[Array], Array]:
    def scale(a: Array) -> Array:
        return _ew().multiply(a, factor)

    return scale


def _exp2(a: Array) -> Array:
    return _ew().pow(2.0, a)


def _divmod(a: Array, b: Array) -> tuple[Array, Array]:
    floor_divide = _ew().floor_divide
    remainder = _ew().remainder

    return floor_divide(a, b), remainder(a, b)


def _ufunc_table() -> dict[str, Callable[..., Any]]:
    """NumPy ufunc name -> the storax function computing it (on loop-dtype operands)."""
    import math

    ew = _ew()
    from . import _linear_algebra_functions as la

    same = [
        "add", "subtract", "multiply", "divide", "floor_divide", "remainder", "negative",
        "positive", "sign", "sqrt", "square", "exp", "expm1", "log", "log2", "log10",
        "log1p", "logaddexp", "sin", "cos", "tan", "sinh", "cosh", "tanh", "hypot",
        "floor", "ceil", "trunc", "isnan", "isinf", "isfinite", "signbit", "copysign",
        "nextafter", "maximum", "minimum", "logical_and", "logical_or", "logical_xor",
        "logical_not", "bitwise_and", "bitwise_or", "bitwise_xor", "greater",
        "greater_equal", "less", "less_equal", "equal", "not_equal", "reciprocal",
    ]  # fmt: skip
    table: dict[str, Callable[..., Any]] = {n: getattr(ew, n) for n in same}
    table.update(
        absolute=ew.abs, fabs=ew.abs, power=ew.pow, float_power=ew.pow, arcsin=ew.asin,
        arccos=ew.acos, arctan=ew.atan, arctan2=ew.atan2, arcsinh=ew.asinh,
        arccosh=ew.acosh, arctanh=ew.atanh, rint=ew.round, conjugate=ew.conj,
        invert=ew.bitwise_invert, left_shift=ew.bitwise_left_shift,
        right_shift=ew.bitwise_right_shift, matmul=la.matmul, vecdot=la.vecdot,
        fmax=_fmax, fmin=_fmin, deg2rad=_scaled(math.pi / 180), radians=_scaled(math.pi / 180),
        rad2deg=_scaled(180 / math.pi), degrees=_scaled(180 / math.pi), exp2=_exp2,
        divmod=_divmod,
    )  # fmt: skip
    return table


_UFUNCS: dict[str, Callable[..., Any]] = {}

# ``ndarray OP storax`` arrives as ``ufunc(ndarray, storax)``: storax's reflected operator
# computes it (the same result as before NEP 13 was implemented, and as fast).
_REFLECTED = {
    "add": "__radd__", "subtract": "__rsub__", "multiply": "__rmul__",
    "divide": "__rtruediv__", "floor_divide": "__rfloordiv__", "remainder": "__rmod__",
    "power": "__rpow__", "bitwise_and": "__rand__", "bitwise_or": "__ror__",
    "bitwise_xor": "__rxor__", "left_shift": "__rlshift__", "right_shift": "__rrshift__",
    "matmul": "__rmatmul__", "less": "__gt__", "greater": "__lt__", "less_equal": "__ge__",
    "greater_equal": "__le__", "equal": "__eq__", "not_equal": "__ne__",
}  # fmt: skip


def array_ufunc(self: Array, ufunc: Any, method: str, *inputs: Any, **kwargs: Any) -> Any:
    """NEP 13: a NumPy ufunc called with a storax array among its operands or outputs."""
    if method == "__call__" and not kwargs and len(inputs) == 2 and inputs[1] is self:
        reflected = _REFLECTED.get(ufunc.__name__)
        if reflected is not None and not isinstance(inputs[0], Array):
            r = getattr(self, reflected)(inputs[0])
            if r is not NotImplemented:
                return r
    handler = _METHODS.get(method)
    if handler is None:
        return NotImplemented
    out = _out_tuple(kwargs.pop("out", None))
    like = first_array(inputs)
    if like is None:
        like = first_array(out)
    if like is None:  # a storax array nested where NumPy does not look for one
        return NotImplemented
    if out is not None:
        for o in out:
            if not (o is None or isinstance(o, Array) or is_host_value(o)):
                return NotImplemented
    return handler(ufunc, like, inputs, out, kwargs)


def _ufunc_host(
    ufunc: Any, method: str, like: Array, inputs: Any, out: Any, kwargs: dict[str, Any]
) -> Any:
    """A ufunc method through the host; storax outputs are written through their views."""
    casting = kwargs.pop("casting", "same_kind")
    if out is not None and kwargs.get("where", True) is not True:
        # where=False keeps the out array's values: compute into a host copy of it
        host_out = tuple(None if o is None else _np().array(to_host(o)) for o in out)
        r = host_call(getattr(ufunc, method), inputs, {**kwargs, "out": host_out}, like)
        return deliver(r, out, "unsafe")
    r = host_call(getattr(ufunc, method), inputs, kwargs, like)
    return deliver(r, out, casting)


def _resolve(ufunc: Any, dtypes: tuple[Any, ...], signature: Any) -> Any:
    """NumPy's loop dtypes for ``dtypes``. ``resolve_dtypes`` rejects ``signature=None``
    (a TypeError: every ufunc then went through the host, a device round trip on JAX)."""
    if signature is None:
        return ufunc.resolve_dtypes(dtypes)
    return ufunc.resolve_dtypes(dtypes, signature=signature)


def _loop_operands(ufunc: Any, like: Array, inputs: Any, signature: Any) -> list[Array]:
    """The operands as storax arrays of the dtypes of the loop NumPy would run."""
    from ._creation_functions import asarray
    from ._data_type_functions import astype

    args: list[Any] = []
    probe: list[Any] = []
    for x in inputs:
        if type(x) in _PY_SCALARS:
            args.append(x)
            probe.append(type(x))  # a weak Python scalar (NEP 50)
        else:
            a = as_array(x, like)
            args.append(a)
            probe.append(a.dtype)
    try:
        loop = _resolve(ufunc, (*probe, *([None] * ufunc.nout)), signature)
    except (TypeError, ValueError):
        raise Fallback from None
    operands = []
    for a, d in zip(args, loop[: ufunc.nin], strict=True):
        if d not in _dtypes.STANDARD_DTYPES:
            raise Fallback
        if isinstance(a, Array):
            operands.append(a if a.dtype == d else astype(a, d))
        else:
            operands.append(asarray(a, dtype=d, device=like.device))
    return operands


def _call(ufunc: Any, like: Array, inputs: Any, out: Any, kwargs: dict[str, Any]) -> Any:
    impl = _UFUNCS.get(ufunc.__name__)
    native = (
        impl is not None
        and kwargs.get("where", True) is True
        and not set(kwargs) - {"dtype", "casting", "order", "subok", "where"}
    )
    if impl is None or not native:
        return _ufunc_host(ufunc, "__call__", like, inputs, out, kwargs)
    dtype = kwargs.get("dtype")
    signature = None if dtype is None else (None,) * ufunc.nin + (_np().dtype(dtype),) * ufunc.nout
    try:
        operands = _loop_operands(ufunc, like, inputs, signature)
        result = impl(*operands)
        loop = _resolve(ufunc, (*(o.dtype for o in operands), *([None] * ufunc.nout)), signature)
        result = _cast_results(result, loop[ufunc.nin :])
    except (Fallback, TypeError):
        return _ufunc_host(ufunc, "__call__", like, inputs, out, kwargs)
    return deliver(result, out, kwargs.get("casting", "same_kind"))


def _cast_results(result: Any, dtypes: Any) -> Any:
    from ._data_type_functions import astype

    if isinstance(result, tuple):
        return tuple(
            r if r.dtype == d else astype(r, d) for r, d in zip(result, dtypes, strict=True)
        )
    d = dtypes[0]
    return result if result.dtype == d else astype(result, d)


_REDUCTIONS = {
    "add": "sum", "multiply": "prod", "maximum": "max", "minimum": "min",
    "logical_and": "all", "logical_or": "any",
}  # fmt: skip
_ACCUMULATIONS = {"add": "cumulative_sum", "multiply": "cumulative_prod"}
_NO_VALUE = object()


def _numpy_dtype(ufunc: Any, method: str, dtype: Any, requested: Any) -> Any:
    """The dtype NumPy's ``ufunc.<method>`` gives for ``dtype`` data (a 1-element probe)."""
    np = _np()
    return getattr(ufunc, method)(np.ones(1, dtype=dtype), dtype=requested).dtype


def _reduce(ufunc: Any, like: Array, inputs: Any, out: Any, kwargs: dict[str, Any]) -> Any:
    from . import _statistical_functions as st
    from . import _utility_functions as ut

    name = _REDUCTIONS.get(ufunc.__name__)
    (x,) = inputs
    axis = kwargs.get("axis", 0)
    keepdims = kwargs.get("keepdims", False)
    dtype = kwargs.get("dtype")
    extra = set(kwargs) - {"axis", "keepdims", "dtype"}
    if name is None or extra or len(inputs) != 1:
        return _ufunc_host(ufunc, "reduce", like, inputs, out, kwargs)
    try:
        x = as_array(x, like)
        target = _numpy_dtype(ufunc, "reduce", x.dtype, dtype)
        if target not in _dtypes.STANDARD_DTYPES:
            raise Fallback
        if name in ("all", "any"):
            if x.dtype != _dtypes.bool:
                raise Fallback
            result = getattr(ut, name)(x, axis=axis, keepdims=keepdims)
        elif name in ("sum", "prod"):
            result = getattr(st, name)(x, axis=axis, dtype=target, keepdims=keepdims)
        else:
            result = getattr(st, name)(x, axis=axis, keepdims=keepdims)
        result = _cast_results(result, (target,))
    except (Fallback, TypeError):
        return _ufunc_host(ufunc, "reduce", like, inputs, out, kwargs)
    return deliver(result, out)


def _accumulate(ufunc: Any, like: Array, inputs: Any, out: Any, kwargs: dict[str, Any]) -> Any:
    from . import _statistical_functions as st

    name = _ACCUMULATIONS.get(ufunc.__name__)
    axis = kwargs.get("axis", 0)
    dtype = kwargs.get("dtype")
    if name is None or set(kwargs) - {"axis", "dtype"} or len(inputs) != 1:
        return _ufunc_host(ufunc, "accumulate", like, inputs, out, kwargs)
    try:
        x = as_array(inputs[0], like)
        target = _numpy_dtype(ufunc, "accumulate", x.dtype, dtype)
        if target not in _dtypes.STANDARD_DTYPES or x.ndim == 0:
            raise Fallback
        result = getattr(st, name)(x, axis=axis, dtype=target)
    except (Fallback, TypeError):
        return _ufunc_host(ufunc, "accumulate", like, inputs, out, kwargs)
    return deliver(result, out)


def _outer(ufunc: Any, like: Array, inputs: Any, out: Any, kwargs: dict[str, Any]) -> Any:
    from ._manipulation_functions import reshape

    if len(inputs) != 2 or ufunc.signature is not None:
        return _ufunc_host(ufunc, "outer", like, inputs, out, kwargs)
    try:
        a, b = (x if type(x) in _PY_SCALARS else as_array(x, like) for x in inputs)
    except Fallback:
        return _ufunc_host(ufunc, "outer", like, inputs, out, kwargs)
    if isinstance(a, Array):
        extra = b.ndim if isinstance(b, Array) else 0
        a = reshape(a, (*a.shape, *(1,) * extra))
    return _call(ufunc, like, (a, b), out, kwargs)


def _at(ufunc: Any, like: Array, inputs: Any, out: Any, kwargs: dict[str, Any]) -> Any:
    """``ufunc.at(a, indices, b)``: unbuffered in place; computed on a host copy of ``a``,
    then written back through ``a``'s view (so every view of its storage sees it)."""
    a = inputs[0]
    if not isinstance(a, Array):
        # a NumPy array updated with storax operands: NumPy does it on host values
        ufunc.at(a, *to_host(inputs[1:]), **kwargs)
        return None
    work = _np().array(to_host(a))
    _check_one_device(a, inputs)
    ufunc.at(work, *to_host(inputs[1:]), **kwargs)
    a[...] = from_host_operand(work, a)
    return None


def _reduceat(ufunc: Any, like: Array, inputs: Any, out: Any, kwargs: dict[str, Any]) -> Any:
    return _ufunc_host(ufunc, "reduceat", like, inputs, out, kwargs)


_METHODS: dict[str, Callable[..., Any]] = {
    "__call__": _call,
    "reduce": _reduce,
    "accumulate": _accumulate,
    "outer": _outer,
    "at": _at,
    "reduceat": _reduceat,
}


# ----------------------------------------------------------- NEP 18: NumPy functions

#: ``"numpy.sum"`` (the function's module and name) -> its storax implementation
#: ``impl(like, *args, **kwargs)``; filled by ``_numpy_functions``.
FUNCTIONS: dict[str, Callable[..., Any]] = {}
#: functions whose ``out=`` the dispatcher handles (computed, then written into ``out``)
TAKES_OUT: set[str] = set()


def implements(*names: str, out: builtins.bool = False) -> Callable[[Any], Any]:
    """Register a storax implementation of the NumPy functions ``names``."""

    def register(impl: Any) -> Any:
        for n in names:
            key = n if "." in n else f"numpy.{n}"
            FUNCTIONS[key] = impl
            if out:
                TAKES_OUT.add(key)
        return impl

    return register


def array_function(self: Array, func: Any, types: Any, args: Any, kwargs: Any) -> Any:
    """NEP 18: a NumPy function called with storax arrays among its array arguments."""
    for t in types:
        if not (issubclass(t, Array) or t.__module__ == "numpy"):
            return NotImplemented
    key = f"{func.__module__}.{func.__name__}"
    like = first_array(args)
    if like is None:
        like = first_array(kwargs)
    if like is None:
        like = self
    impl = FUNCTIONS.get(key)
    kwargs = dict(kwargs)
    out = None
    if impl is not None and key in TAKES_OUT and "out" in kwargs:
        out = _out_tuple(kwargs.pop("out"))
    if impl is not None:
        try:
            result = impl(like, *args, **kwargs)
        except Refused:
            raise
        except (Fallback, TypeError):
            if out is not None:
                kwargs["out"] = out if len(out) > 1 else out[0]
                out = None
        else:
            return deliver(result, out)
    return _function_host(func, like, args, kwargs)


def _function_host(func: Any, like: Array, args: Any, kwargs: dict[str, Any]) -> Any:
    """A NumPy function through the host: storax ``out=`` arrays get the result written
    through their views."""
    implementation = getattr(func, "_implementation", func)
    out = _out_tuple(kwargs.pop("out", None))
    if out is not None:
        if all(o is None or is_host_value(o) for o in out):
            kwargs["out"] = out if len(out) > 1 else out[0]
            r = host_call(implementation, args, kwargs, like)
            return out if len(out) > 1 else out[0]
        host_out = tuple(None if o is None else _np().array(to_host(o)) for o in out)
        kwargs["out"] = host_out if len(host_out) > 1 else host_out[0]
        r = host_call(implementation, args, kwargs, like)
        return deliver(r, out, "unsafe")
    return host_call(implementation, args, kwargs, like)


# NumPy-style methods that NumPy callers (dask's chunk functions, SciPy's and scikit-
# learn's NumPy-only paths) use: each is NumPy's function of the same name, dispatched as
# above (so it computes with storax and takes NumPy's keywords, ``out=`` included).
METHODS = (
    "max", "min", "prod", "std", "var", "any", "all", "argmax", "argmin", "cumsum",
    "cumprod", "round", "clip", "ravel", "squeeze", "swapaxes", "dot", "nonzero", "repeat",
    "take", "trace", "diagonal", "searchsorted", "argsort",
)  # fmt: skip


def _make_method(name: str) -> Callable[..., Any]:
    def method(self: Array, *args: Any, **kwargs: Any) -> Any:
        func = getattr(_np(), name)
        return array_function(self, func, (type(self),), (self, *args), kwargs)

    method.__name__ = method.__qualname__ = name
    method.__doc__ = f"NumPy's ``ndarray.{name}`` (computed with storax; beyond the standard)."
    return method


def _conj(self: Array) -> Array:
    """The complex conjugate (NumPy's ``ndarray.conj``)."""
    return _ew().conj(self)


def _flatten(self: Array, order: str = "C") -> Array:
    """A 1-D copy (NumPy's ``ndarray.flatten``)."""
    from ._creation_functions import asarray

    return asarray(_make_method("ravel")(self, order), copy=True)


def _astype(
    self: Array,
    dtype: Any,
    order: str = "K",
    casting: str = "unsafe",
    subok: builtins.bool = True,
    copy: builtins.bool = True,
) -> Array:
    """Cast to ``dtype`` (NumPy's ``ndarray.astype``; the cast is :func:`storax.astype`'s)."""
    from ._data_type_functions import astype

    if casting != "unsafe" and not _np().can_cast(self.dtype, dtype, casting=casting):
        raise TypeError(f"astype: cannot cast {self.dtype} to {dtype} with casting={casting!r}")
    return astype(self, dtype, copy=copy)


def _sort(self: Array, axis: int = -1, kind: Any = None, order: Any = None) -> None:
    """Sort in place along ``axis`` (NumPy's ``ndarray.sort``), through the view."""
    from ._sorting_functions import sort

    if order is not None:
        raise ValueError("sort: order= needs structured dtypes, which storax has not")
    self[...] = sort(self, axis=axis, stable=kind == "stable")


def _fill(self: Array, value: Any) -> None:
    """Fill with ``value`` in place (NumPy's ``ndarray.fill``; PyTorch's ``fill_``)."""
    self.fill_(value)


def _real(self: Array) -> Array:
    return _ew().real(self)


def _imag(self: Array) -> Array:
    if self.dtype.kind == "c":
        return _ew().imag(self)
    from ._creation_functions import zeros_like

    return zeros_like(self)


def install(cls: type) -> None:
    """Install both protocols and the NumPy-style methods on the Array base ``cls`` (the
    composition step calls it); a family's own definitions take precedence."""
    if not _UFUNCS:
        _UFUNCS.update(_ufunc_table())
        from . import _numpy_functions  # noqa: F401  (fills FUNCTIONS)
    cls.__array_ufunc__ = array_ufunc  # type: ignore[attr-defined]
    cls.__array_function__ = array_function  # type: ignore[attr-defined]
    extra: dict[str, Any] = {name: _make_method(name) for name in METHODS}
    extra.update(
        conj=_conj,
        conjugate=_conj,
        flatten=_flatten,
        astype=_astype,
        sort=_sort,
        fill=_fill,
        real=property(_real, doc="The real part (NumPy's ``ndarray.real``)."),
        imag=property(_imag, doc="The imaginary part (zeros for real data, as NumPy)."),
        itemsize=property(lambda self: self.dtype.itemsize, doc="Bytes per element."),
        nbytes=property(lambda self: self.size * self.dtype.itemsize, doc="Bytes of the view."),
    )
    for name, attr in extra.items():
        if name not in cls.__dict__:
            if callable(attr) and not isinstance(attr, property):
                # documented (and introspected) as methods of ``cls``
                attr.__qualname__ = f"{cls.__qualname__}.{name}"
                attr.__module__ = cls.__module__
            setattr(cls, name, attr)
    for hook in (array_ufunc, array_function):
        hook.__module__ = cls.__module__
