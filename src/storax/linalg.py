"""The ``linalg`` extension (spec chapter "Linear Algebra Extension"): decompositions, solvers,
norms and products over stacks of matrices, computed by the backend's LAPACK bindings.

Results keep the input's precision: float32 in gives float32 (or complex64) out. Failures of
the numerical routines (a singular matrix, a matrix that is not positive definite) raise
:class:`LinAlgError`, a ``ValueError``.
"""

from __future__ import annotations

import builtins
import contextlib
import math
from collections.abc import Iterator
from typing import Any, NamedTuple

from . import _dtypes
from ._array_object import Array, _wrap
from ._backends import _numpy as _npb
from ._config import settings
from ._linear_algebra_functions import (
    _check_array,
    _check_int,
    _normalize_axis,
    _promote_pair,
    _vector_axis,
    matmul,
    matrix_transpose,
    tensordot,
    vecdot,
)

np = _npb.np_

__all__ = [
    "EigResult",
    "EighResult",
    "LinAlgError",
    "QRResult",
    "SVDResult",
    "SlogdetResult",
    "cholesky",
    "cross",
    "det",
    "diagonal",
    "eig",
    "eigh",
    "eigvals",
    "eigvalsh",
    "inv",
    "matmul",
    "matrix_norm",
    "matrix_power",
    "matrix_rank",
    "matrix_transpose",
    "outer",
    "pinv",
    "qr",
    "slogdet",
    "solve",
    "svd",
    "svdvals",
    "tensordot",
    "trace",
    "vecdot",
    "vector_norm",
]


class LinAlgError(ValueError):
    """A linear-algebra routine failed (singular matrix, not positive definite, ...)."""


class EighResult(NamedTuple):
    eigenvalues: Array
    eigenvectors: Array


class EigResult(NamedTuple):
    eigenvalues: Array
    eigenvectors: Array


class QRResult(NamedTuple):
    Q: Array
    R: Array


class SlogdetResult(NamedTuple):
    sign: Array
    logabsdet: Array


class SVDResult(NamedTuple):
    U: Array
    S: Array
    Vh: Array


# ----------------------------------------------------------------------------- helpers


@contextlib.contextmanager
def _lapack(func: str) -> Iterator[None]:
    """Re-raise the backend's linear-algebra failures as LinAlgError naming ``func``.

    Floating-point warnings are silenced: NaN and infinity propagate into the result as the
    specification's special cases ask, and NumPy sets its own error state for singularity.
    """
    try:
        with np.errstate(all="ignore"):
            yield
    except np.linalg.LinAlgError as e:
        raise LinAlgError(f"{func}: {e}") from None


def _real_dtype(dt: Any) -> Any:
    """The real floating dtype of the same precision (float32 for complex64)."""
    if dt == _dtypes.complex64:
        return _dtypes.float32
    if dt == _dtypes.complex128:
        return _dtypes.float64
    return dt


def _complex_dtype(dt: Any) -> Any:
    """The complex dtype of the same precision (complex64 for float32)."""
    if dt in (_dtypes.float32, _dtypes.complex64):
        return _dtypes.complex64
    return _dtypes.complex128


def _as(value: Any, dt: Any) -> Array:
    # Note: NumPy's LAPACK wrappers may compute (and return) a wider dtype in places;
    # storax always hands back the precision the specification requires.
    return _wrap(np.asarray(value).astype(dt, copy=False))


def _matrices(
    x: object, func: str, *, square: bool = False, category: str = "floating-point"
) -> Any:
    """Validate a stack of matrices ``(..., M, N)`` and return its backend value."""
    a = _check_array(x, func)
    _dtypes.check_category(a.dtype, category, func)
    if a.ndim < 2:
        raise ValueError(f"{func}: expected an array of at least 2 dimensions, got {a.ndim}")
    if square and a.shape[-1] != a.shape[-2]:
        raise ValueError(f"{func}: expected square matrices, got shape {a.shape}")
    return a._value


def _rtol(rtol: object, x: Array, func: str) -> Any:
    """The ``rtol`` argument as a backend value (None stays None)."""
    if rtol is None:
        return None
    if isinstance(rtol, Array):
        _dtypes.check_category(rtol.dtype, "real floating-point", func)
        stack = x.shape[:-2]
        try:
            np.broadcast_shapes(rtol.shape, stack)
        except ValueError:
            raise ValueError(
                f"{func}: rtol of shape {rtol.shape} does not broadcast against the stack "
                f"shape {stack}"
            ) from None
        return rtol._value
    if isinstance(rtol, builtins.bool) or not isinstance(rtol, (int, float)):
        raise TypeError(f"{func}: rtol must be a float or an array, got {type(rtol).__name__}")
    return np.asarray(float(rtol), dtype=_real_dtype(x.dtype))


# ----------------------------------------------------------------------------- decompositions


def cholesky(x: Array, /, *, upper: builtins.bool = False) -> Array:
    """https://data-apis.org/array-api/latest/extensions/generated/array_api.linalg.cholesky.html"""
    v = _matrices(x, "cholesky", square=True)
    with _lapack("cholesky"):
        out = np.linalg.cholesky(v, upper=builtins.bool(upper))
    return _as(out, v.dtype)


def eigh(x: Array, /) -> EighResult:
    """https://data-apis.org/array-api/latest/extensions/generated/array_api.linalg.eigh.html"""
    v = _matrices(x, "eigh", square=True)
    with _lapack("eigh"):
        w, q = np.linalg.eigh(v)
    return EighResult(_as(w, _real_dtype(v.dtype)), _as(q, v.dtype))


def eigvalsh(x: Array, /) -> Array:
    """https://data-apis.org/array-api/latest/extensions/generated/array_api.linalg.eigvalsh.html"""
    v = _matrices(x, "eigvalsh", square=True)
    with _lapack("eigvalsh"):
        w = np.linalg.eigvalsh(v)
    return _as(w, _real_dtype(v.dtype))


def eig(x: Array, /) -> EigResult:
    """https://data-apis.org/array-api/latest/extensions/generated/array_api.linalg.eig.html

    # Note: NumPy returns real arrays when every eigenvalue is real; the specification
    # (2025.12) always asks for the complex dtype of the input's precision.
    """
    v = _matrices(x, "eig", square=True)
    with _lapack("eig"):
        w, q = np.linalg.eig(v)
    c = _complex_dtype(v.dtype)
    return EigResult(_as(w, c), _as(q, c))


def eigvals(x: Array, /) -> Array:
    """https://data-apis.org/array-api/latest/extensions/generated/array_api.linalg.eigvals.html"""
    v = _matrices(x, "eigvals", square=True)
    with _lapack("eigvals"):
        w = np.linalg.eigvals(v)
    return _as(w, _complex_dtype(v.dtype))


def qr(x: Array, /, *, mode: str = "reduced") -> QRResult:
    """https://data-apis.org/array-api/latest/extensions/generated/array_api.linalg.qr.html"""
    v = _matrices(x, "qr")
    if mode not in ("reduced", "complete"):
        raise ValueError(f"qr: mode must be 'reduced' or 'complete', got {mode!r}")
    with _lapack("qr"):
        q, r = np.linalg.qr(v, mode="complete" if mode == "complete" else "reduced")
    return QRResult(_as(q, v.dtype), _as(r, v.dtype))


def svd(x: Array, /, *, full_matrices: builtins.bool = True) -> SVDResult:
    """https://data-apis.org/array-api/latest/extensions/generated/array_api.linalg.svd.html"""
    v = _matrices(x, "svd")
    with _lapack("svd"):
        u, s, vh = np.linalg.svd(v, full_matrices=builtins.bool(full_matrices))
    return SVDResult(_as(u, v.dtype), _as(s, _real_dtype(v.dtype)), _as(vh, v.dtype))


def svdvals(x: Array, /) -> Array:
    """https://data-apis.org/array-api/latest/extensions/generated/array_api.linalg.svdvals.html"""
    v = _matrices(x, "svdvals")
    with _lapack("svdvals"):
        s = np.linalg.svdvals(v)
    return _as(s, _real_dtype(v.dtype))


# ----------------------------------------------------------------------------- det, inverses


def det(x: Array, /) -> Array:
    """https://data-apis.org/array-api/latest/extensions/generated/array_api.linalg.det.html"""
    v = _matrices(x, "det", square=True)
    with _lapack("det"):
        d = np.linalg.det(v)
    return _as(d, v.dtype)


def slogdet(x: Array, /) -> SlogdetResult:
    """https://data-apis.org/array-api/latest/extensions/generated/array_api.linalg.slogdet.html"""
    v = _matrices(x, "slogdet", square=True)
    with _lapack("slogdet"):
        sign, logabsdet = np.linalg.slogdet(v)
    return SlogdetResult(_as(sign, v.dtype), _as(logabsdet, _real_dtype(v.dtype)))


def inv(x: Array, /) -> Array:
    """https://data-apis.org/array-api/latest/extensions/generated/array_api.linalg.inv.html"""
    v = _matrices(x, "inv", square=True)
    with _lapack("inv"):
        out = np.linalg.inv(v)
    return _as(out, v.dtype)


def pinv(x: Array, /, *, rtol: float | Array | None = None) -> Array:
    """https://data-apis.org/array-api/latest/extensions/generated/array_api.linalg.pinv.html

    ``rtol=None`` means ``max(M, N) * eps`` of the input's precision.
    """
    v = _matrices(x, "pinv")
    tol = _rtol(rtol, x, "pinv")
    with _lapack("pinv"):
        out = np.linalg.pinv(v, rtol=tol)
    return _as(out, v.dtype)


def matrix_power(x: Array, n: int, /) -> Array:
    """https://data-apis.org/array-api/latest/extensions/generated/array_api.linalg.matrix_power.html"""
    v = _matrices(x, "matrix_power", square=True)
    k = _check_int(n, "matrix_power", "n")
    with _lapack("matrix_power"):
        out = np.linalg.matrix_power(v, k)
    return _as(out, v.dtype)


def matrix_rank(x: Array, /, *, rtol: float | Array | None = None) -> Array:
    """https://data-apis.org/array-api/latest/extensions/generated/array_api.linalg.matrix_rank.html

    Counts the singular values above ``rtol * largest singular value`` (``rtol=None`` means
    ``max(M, N) * eps`` of the input's precision). Returns the default integer dtype.
    """
    v = _matrices(x, "matrix_rank")
    tol = _rtol(rtol, x, "matrix_rank")
    with _lapack("matrix_rank"):
        s = np.linalg.svdvals(v)
        if tol is None:
            tol = builtins.max(v.shape[-2:]) * np.finfo(s.dtype).eps
        if s.shape[-1] == 0:
            rank = np.zeros(np.broadcast_shapes(s.shape[:-1], np.shape(tol)), dtype=np.intp)
        else:
            cutoff = s.max(axis=-1, keepdims=True) * np.asarray(tol)[..., np.newaxis]
            rank = np.count_nonzero(s > cutoff, axis=-1)
    return _as(rank, settings.default_int)


def solve(x1: Array, x2: Array, /) -> Array:
    """https://data-apis.org/array-api/latest/extensions/generated/array_api.linalg.solve.html

    ``x2`` is a vector (shape ``(M,)``) only when it is 1-D; otherwise a stack ``(..., M, K)``.
    """
    v1, v2 = _promote_pair(x1, x2, "floating-point", "solve")
    if v1.ndim < 2 or v1.shape[-1] != v1.shape[-2]:
        raise ValueError(f"solve: x1 must be a stack of square matrices, got shape {v1.shape}")
    m = v1.shape[-1]
    if v2.ndim == 0:
        raise ValueError("solve: x2 must have at least 1 dimension, got a 0-d array")
    rows = v2.shape[0] if v2.ndim == 1 else v2.shape[-2]
    if rows != m:
        raise ValueError(f"solve: x2 of shape {v2.shape} does not match the {m}x{m} matrices of x1")
    if v2.ndim >= 2:
        try:
            np.broadcast_shapes(v1.shape[:-2], v2.shape[:-2])
        except ValueError:
            raise ValueError(
                f"solve: the stack shapes {v1.shape[:-2]} and {v2.shape[:-2]} do not broadcast"
            ) from None
    with _lapack("solve"):
        out = np.linalg.solve(v1, v2)
    return _as(out, v1.dtype)


# ----------------------------------------------------------------------------- products


def cross(x1: Array, x2: Array, /, *, axis: int = -1) -> Array:
    """https://data-apis.org/array-api/latest/extensions/generated/array_api.linalg.cross.html"""
    v1, v2 = _promote_pair(x1, x2, "numeric", "cross")
    if v1.ndim == 0 or v2.ndim == 0:
        raise ValueError("cross: expected arrays of at least 1 dimension, got a 0-d array")
    a = _vector_axis(axis, x1, x2, "cross")
    if v1.shape[a] != 3 or v2.shape[a] != 3:
        raise ValueError(
            f"cross: axis {a} must have size 3 in both arrays, got {v1.shape[a]} and {v2.shape[a]}"
        )
    try:
        out = np.cross(v1, v2, axis=a)
    except ValueError:
        raise ValueError(f"cross: shapes {v1.shape} and {v2.shape} do not broadcast") from None
    return _wrap(out)


def outer(x1: Array, x2: Array, /) -> Array:
    """https://data-apis.org/array-api/latest/extensions/generated/array_api.linalg.outer.html"""
    v1, v2 = _promote_pair(x1, x2, "numeric", "outer")
    if v1.ndim != 1 or v2.ndim != 1:
        raise ValueError(f"outer: expected two 1-D arrays, got {v1.ndim}-D and {v2.ndim}-D")
    return _wrap(np.multiply.outer(v1, v2))


def diagonal(x: Array, /, *, offset: int = 0) -> Array:
    """https://data-apis.org/array-api/latest/extensions/generated/array_api.linalg.diagonal.html

    # Note: the result is a *writeable view* of ``x`` (sharing its storage), as PyTorch's
    # ``diagonal``; NumPy's is a read-only view. It is read-only when ``x`` is (a broadcast
    # view, for one), so writes never land twice on one element.
    """
    v = _matrices(x, "diagonal", category="any")
    k = _check_int(offset, "diagonal", "offset")
    d = np.diagonal(v, offset=k, axis1=-2, axis2=-1)
    if v.flags.writeable:
        d.flags.writeable = True
    return _wrap(d)


def trace(x: Array, /, *, offset: int = 0, dtype: Any = None) -> Array:
    """https://data-apis.org/array-api/latest/extensions/generated/array_api.linalg.trace.html

    Sums each diagonal; small integer dtypes accumulate in the default integer dtype
    (uint64 for unsigned), as ``sum``.
    """
    v = _matrices(x, "trace", category="numeric")
    k = _check_int(offset, "trace", "offset")
    if dtype is not None:
        dt = _dtypes.check_dtype(dtype, "trace")
    elif v.dtype.kind == "i":
        dt = builtins.max(v.dtype, settings.default_int, key=lambda d: d.itemsize)
    elif v.dtype.kind == "u":
        dt = _dtypes.uint64
    else:
        dt = v.dtype
    with np.errstate(all="ignore"):
        out = np.trace(v.astype(dt, copy=False), offset=k, axis1=-2, axis2=-1, dtype=dt)
    return _as(out, dt)


# ----------------------------------------------------------------------------- norms


def _valid_matrix_ord(ord: object) -> builtins.bool:
    if isinstance(ord, str):
        return ord in ("fro", "nuc")
    if isinstance(ord, builtins.bool) or not isinstance(ord, (int, float)):
        return False
    return ord in (1, -1, 2, -2, math.inf, -math.inf)


def matrix_norm(x: Array, /, *, keepdims: builtins.bool = False, ord: Any = "fro") -> Array:
    """https://data-apis.org/array-api/latest/extensions/generated/array_api.linalg.matrix_norm.html"""
    v = _matrices(x, "matrix_norm")
    if not _valid_matrix_ord(ord):
        raise ValueError(
            f"matrix_norm: ord must be one of 'fro', 'nuc', 1, -1, 2, -2, inf, -inf; got {ord!r}"
        )
    with _lapack("matrix_norm"):
        out = np.linalg.matrix_norm(v, keepdims=builtins.bool(keepdims), ord=ord)
    return _as(out, _real_dtype(v.dtype))


def vector_norm(
    x: Array,
    /,
    *,
    axis: int | tuple[int, ...] | None = None,
    keepdims: builtins.bool = False,
    ord: int | float = 2,
) -> Array:
    """https://data-apis.org/array-api/latest/extensions/generated/array_api.linalg.vector_norm.html

    ``ord`` may be any real number, ``inf`` or ``-inf``; ``ord=0`` counts the non-zeros.
    """
    a = _check_array(x, "vector_norm")
    _dtypes.check_category(a.dtype, "floating-point", "vector_norm")
    if isinstance(ord, builtins.bool) or not isinstance(ord, (int, float)):
        raise TypeError(f"vector_norm: ord must be an int or a float, got {type(ord).__name__}")
    ax: int | tuple[int, ...] | None
    if axis is None:
        ax = None
    elif isinstance(axis, tuple):
        ax = tuple(_normalize_axis(i, a.ndim, "vector_norm") for i in axis)
        if len(set(ax)) != len(ax):
            raise ValueError(f"vector_norm: repeated axis in {axis}")
    else:
        ax = _normalize_axis(axis, a.ndim, "vector_norm")
    with _lapack("vector_norm"):
        norm: Any = np.linalg.vector_norm
        out = norm(a._value, axis=ax, keepdims=builtins.bool(keepdims), ord=ord)
    return _as(out, _real_dtype(a.dtype))
