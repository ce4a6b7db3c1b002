"""Linear algebra functions of the main namespace (spec chapter "Linear Algebra Functions")."""

from __future__ import annotations

import builtins
from collections.abc import Sequence
from typing import Any

from . import _dtypes
from ._array_object import Array
from ._backends import check_same_device
from ._backends import wrap as _wrap
from ._device_dtypes import promoted

__all__ = ["matmul", "matrix_transpose", "tensordot", "vecdot"]


# ----------------------------------------------------------------------------- helpers
# (shared with storax.linalg and storax.fft)


def _check_array(x: object, func: str, name: str = "x") -> Array:
    if not isinstance(x, Array):
        raise TypeError(f"{func}: expected a storax array for {name}, got {type(x).__name__}")
    return x


def _check_int(value: object, func: str, name: str) -> int:
    if isinstance(value, builtins.bool) or not isinstance(value, int):
        raise TypeError(f"{func}: {name} must be an int, got {type(value).__name__}")
    return value


def _normalize_axis(axis: object, ndim: int, func: str) -> int:
    """An axis as a non-negative int; IndexError when out of ``[-ndim, ndim)``."""
    a = _check_int(axis, func, "axis")
    if not -ndim <= a < ndim:
        raise IndexError(f"{func}: axis {a} is out of bounds for an array of {ndim} dimensions")
    return a % ndim


def _promote_pair(x1: Array, x2: Array, category: str, func: str) -> tuple[Any, Any, Any]:
    """Check both arrays (dtypes against ``category``, one device); return the backend's
    array module and both values cast to the promoted dtype."""
    _check_array(x1, func, "x1")
    _check_array(x2, func, "x2")
    _dtypes.check_category(x1.dtype, category, func)
    _dtypes.check_category(x2.dtype, category, func)
    check_same_device(x1, x2, func)
    if x1.dtype == x2.dtype:  # already the result's dtype (a dtype its device holds)
        return x1._backend.xp, x1._value, x2._value
    dt = promoted(_dtypes.promote(x1.dtype, x2.dtype, func=func), x1._backend, x1.device, func)
    v1, v2 = x1._value, x2._value
    # (values already of the dtype as they are: an eager JAX ``astype`` costs ~10 us even
    # when it has nothing to do)
    if v1.dtype != dt:
        v1 = v1.astype(dt, copy=False)
    if v2.dtype != dt:
        v2 = v2.astype(dt, copy=False)
    return x1._backend.xp, v1, v2


def _dot_kwargs(x: Array) -> Any:
    """Extra arguments of the backend's products (matmul, tensordot, vecdot).

    # Note: on GPUs and TPUs, JAX's default precision for float32 products may round the
    # operands to TF32/bfloat16; storax asks for full precision, as NumPy and PyTorch
    # compute, so results do not depend on the accelerator.
    """
    return x._backend.caps.matmul_kwargs  # a read-only mapping, unpacked with **


def _vector_axis(axis: object, x1: Array, x2: Array, func: str) -> int:
    """The (negative) axis of a vector operation on two broadcast arrays.

    The spec asks for ``axis`` in ``[-min(x1.ndim, x2.ndim), -1]``.
    # Note: a non-negative axis is accepted when both arrays have the same number of
    # dimensions (then it is unambiguous), as NumPy does; otherwise it raises ValueError.
    """
    a = _check_int(axis, func, "axis")
    n = builtins.min(x1.ndim, x2.ndim)
    if a >= 0:
        if x1.ndim != x2.ndim:
            raise ValueError(
                f"{func}: axis must be negative when the arrays have different numbers of "
                f"dimensions ({x1.ndim} and {x2.ndim}), got {a}"
            )
        a -= x1.ndim
    if not -n <= a <= -1:
        raise IndexError(f"{func}: axis {axis} is out of bounds for arrays of {n} dimensions")
    return a


# ----------------------------------------------------------------------------- functions


_NUMERIC = _dtypes.CATEGORIES["numeric"]


def matmul(x1: Array, x2: Array, /) -> Array:
    """https://data-apis.org/array-api/latest/API_specification/generated/array_api.matmul.html"""
    if type(x1) is type(x2) and isinstance(x1, Array):
        # The hot path (``A @ x`` in a loop): two arrays of one family, one dtype, aligned
        # vectors or matrices, on a single-device backend: one check each, one call.
        backend = x1._backend
        v1, v2 = x1._value, x2._value
        if (
            v1.dtype == v2.dtype
            and v1.dtype in _NUMERIC
            and 1 <= v1.ndim <= 2
            and 1 <= v2.ndim <= 2
            and v1.shape[-1] == v2.shape[0]
            and backend.caps.single_device
        ):
            kwargs = backend.caps.matmul_kwargs
            if not kwargs:  # the values' own ``@`` (NumPy's skips the ufunc call's parsing)
                return x1._new(v1 @ v2)
            return x1._new(backend.xp.matmul(v1, v2, **kwargs))
    xp, v1, v2 = _promote_pair(x1, x2, "numeric", "matmul")
    if v1.ndim == 0 or v2.ndim == 0:
        raise ValueError("matmul: expected arrays of at least 1 dimension, got a 0-d array")
    k1 = v1.shape[-1]
    k2 = v2.shape[-2] if v2.ndim >= 2 else v2.shape[0]
    if k1 != k2:
        raise ValueError(f"matmul: shapes {v1.shape} and {v2.shape} are not aligned ({k1} != {k2})")
    try:
        out = xp.matmul(v1, v2, **_dot_kwargs(x1))
    except ValueError:
        raise ValueError(
            f"matmul: the stack shapes {v1.shape[:-2]} and {v2.shape[:-2]} do not broadcast"
        ) from None
    return _wrap(out)


def matrix_transpose(x: Array, /) -> Array:
    """https://data-apis.org/array-api/latest/API_specification/generated/array_api.matrix_transpose.html

    A view: the last two axes swapped.
    """
    if not isinstance(x, Array):
        raise TypeError(f"matrix_transpose: expected a storax array, got {type(x).__name__}")
    n = x.ndim
    if n < 2:
        raise ValueError(f"matrix_transpose: expected at least 2 dimensions, got {n}")
    return x._permuted((*range(n - 2), n - 1, n - 2))


def _tensordot_axes(axes: object, n1: int, n2: int) -> tuple[list[int], list[int]]:
    func = "tensordot"
    if isinstance(axes, int) and not isinstance(axes, builtins.bool):
        if axes < 0:
            raise ValueError(f"tensordot: axes must be non-negative, got {axes}")
        if axes > n1 or axes > n2:
            raise ValueError(
                f"tensordot: cannot contract {axes} axes of arrays of {n1} and {n2} dimensions"
            )
        return list(range(n1 - axes, n1)), list(range(axes))
    if (
        not isinstance(axes, Sequence)
        or isinstance(axes, str)
        or len(axes) != 2
        or not all(isinstance(a, Sequence) and not isinstance(a, str) for a in axes)
    ):
        raise TypeError(
            f"tensordot: axes must be an int or a pair of sequences of ints, got {axes!r}"
        )
    first, second = axes
    if len(first) != len(second):
        raise ValueError(
            f"tensordot: axes sequences must have the same length, got {len(first)} "
            f"and {len(second)}"
        )
    a1 = [_normalize_axis(a, n1, func) for a in first]
    a2 = [_normalize_axis(a, n2, func) for a in second]
    if len(set(a1)) != len(a1) or len(set(a2)) != len(a2):
        raise ValueError(f"tensordot: repeated axis in {axes!r}")
    return a1, a2


def tensordot(x1: Array, x2: Array, /, *, axes: Any = 2) -> Array:
    """https://data-apis.org/array-api/latest/API_specification/generated/array_api.tensordot.html"""
    xp, v1, v2 = _promote_pair(x1, x2, "numeric", "tensordot")
    a1, a2 = _tensordot_axes(axes, v1.ndim, v2.ndim)
    for i, j in zip(a1, a2, strict=True):
        if v1.shape[i] != v2.shape[j]:
            raise ValueError(
                f"tensordot: contracted axes differ in size: x1 axis {i} has "
                f"{v1.shape[i]}, x2 axis {j} has {v2.shape[j]} (they are not broadcast)"
            )
    return _wrap(xp.tensordot(v1, v2, axes=(a1, a2), **_dot_kwargs(x1)))


def vecdot(x1: Array, x2: Array, /, *, axis: int = -1) -> Array:
    """https://data-apis.org/array-api/latest/API_specification/generated/array_api.vecdot.html

    ``sum(conj(x1) * x2)`` along ``axis``.
    """
    if type(x1) is type(x2) and isinstance(x1, Array) and axis == -1 and type(axis) is int:
        # The hot path (as matmul's): one family, one numeric dtype, equal shapes (nothing to
        # broadcast, the contracted sizes agree), a single-device backend: one call.
        backend = x1._backend
        v1, v2 = x1._value, x2._value
        if (
            v1.dtype == v2.dtype
            and v1.dtype in _NUMERIC
            and v1.shape == v2.shape
            and v1.ndim >= 1
            and backend.caps.single_device
        ):
            return x1._new(backend.xp.vecdot(v1, v2, **backend.caps.matmul_kwargs))
    xp, v1, v2 = _promote_pair(x1, x2, "numeric", "vecdot")
    a = _vector_axis(axis, x1, x2, "vecdot")
    if v1.shape[a] != v2.shape[a]:
        raise ValueError(
            f"vecdot: the contracted axis {a} has size {v1.shape[a]} in x1 and "
            f"{v2.shape[a]} in x2 (it is not broadcast)"
        )
    try:
        vdot: Any = xp.vecdot
        out = vdot(v1, v2, axis=a, **_dot_kwargs(x1))
    except ValueError:
        raise ValueError(f"vecdot: shapes {v1.shape} and {v2.shape} do not broadcast") from None
    return _wrap(out)
