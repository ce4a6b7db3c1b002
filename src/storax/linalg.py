"""The ``linalg`` extension (spec chapter "Linear Algebra Extension"): decompositions, solvers,
norms and products over stacks of matrices, computed by the backend's own routines
(``numpy.linalg`` on the NumPy backend, ``jax.numpy.linalg`` on JAX), on the input's device.

Results keep the input's precision: float32 in gives float32 (or complex64) out, on both
backends.

Failures of the numerical routines are implementation-defined in the specification; storax
decides them once, for every backend (docs/backends.md, "Same behaviour on every backend"):

- eager calls raise :class:`LinAlgError` (a ``ValueError``) naming the function: ``inv``,
  ``solve`` and ``matrix_power`` (negative powers) of a singular matrix, ``cholesky`` of a
  matrix that is not positive definite; and every decomposition or solver (``cholesky``,
  ``eig``, ``eigvals``, ``eigh``, ``eigvalsh``, ``inv``, ``matrix_power`` with ``n < 0``,
  ``matrix_rank``, ``pinv``, ``qr``, ``solve``, ``svd``, ``svdvals``) of an input holding NaN
  or infinity. ``det`` and ``slogdet`` never raise (0 for a singular matrix, NaN propagates).
  On JAX, which never raises, a singular or indefinite matrix shows as NaN or infinity in
  the result: storax checks the result (one ``isfinite`` reduction, no second computation).
- under ``jax.jit`` values are traced and cannot be inspected: nothing is raised, and the
  result holds NaN or infinity instead. Check with ``isfinite`` where it matters.

``cholesky``, ``eigh`` and ``eigvalsh`` read only the lower triangle of their input on both
backends (as LAPACK does; JAX's own default, which averages the input with its conjugate
transpose first, is not used).
"""

from __future__ import annotations

import builtins
import functools
import math
from collections.abc import Mapping
from typing import Any, NamedTuple

from . import _dtypes
from ._array_object import Array
from ._backends import check_same_device, linalg_error_types, quiet
from ._backends import wrap as _wrap
from ._core._layout import broadcast_shapes
from ._device_dtypes import default_int, default_uint, requested
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


class _lapack:  # noqa: N801 - used as ``with _lapack(func):``
    """Re-raise the backend's linear-algebra failures as LinAlgError naming ``func``.

    Floating-point warnings are silenced: NaN and infinity propagate into the result as the
    specification's special cases ask, and NumPy sets its own error state for singularity.
    (JAX neither warns nor raises on such failures: see _check_finite_result.)
    A class rather than a generator context (~1 µs less on every routine).
    """

    __slots__ = ("_func", "_quiet")

    def __init__(self, func: str) -> None:
        self._func = func

    def __enter__(self) -> None:
        self._quiet = quiet()
        self._quiet.__enter__()

    def __exit__(self, kind: Any, error: Any, tb: Any) -> None:
        self._quiet.__exit__(kind, error, tb)
        if kind is not None and issubclass(kind, linalg_error_types()):
            raise LinAlgError(f"{self._func}: {error}") from None


# (backend name, function, checks, static parameters) -> the compiled checked kernel; at most
# _MAX_KERNELS of them (beyond: the eager routine and checks, so that static parameters
# such as matrix_power's n or vector_norm's ord never grow the cache without bound)
_CHECKED: dict[tuple[Any, ...], Any] = {}
_MAX_KERNELS = 512


def _routine(
    func: str,
    x: Array,
    compute: Any,
    values: tuple[Any, ...],
    *,
    failure: str | None = None,
    check_input: builtins.bool = True,
    extra: tuple[Any, ...] = (),
    **params: Any,
) -> Any:
    """``compute(xp, *values, *extra, **params)``, the backend's routine, with storax's
    failure rules: LinAlgError naming ``func`` for the backend's own failures, for eager
    ``values`` holding NaN or infinity (``check_input``), and, with ``failure``, for a
    non-finite result of finite input (what JAX returns for singular matrices).

    On a backend that compiles (JAX) the checks run in the same compiled kernel as the
    routine, which returns one flag: one dispatch and one transfer per call instead of
    one per check (without checks: still one compiled kernel). ``params`` are static
    (bools, ints, strings, dtypes, axes)."""
    backend = x._backend
    if backend.caps.traced:
        # (params in the call site's order: each site passes them in one order)
        key = (backend.name, func, check_input, failure is not None, *params.items())
        kernel = _CHECKED.get(key)
        if kernel is None and len(_CHECKED) < _MAX_KERNELS:
            kernel = _CHECKED[key] = backend.composite(
                functools.partial(
                    _checked_kernel, compute, len(values) if check_input else 0,
                    failure is not None, params,
                )
            )  # fmt: skip
        if kernel is not None:
            if not check_input and failure is None:
                # compiled all the same: C++ dispatch beats eager jax.numpy
                return kernel(*values, *extra)
            out, code = kernel(*values, *extra)
            # Under jax.jit the flag is traced (nothing can be checked; the unused flag
            # is compiled away): one test of the flag instead of one of every input.
            if backend.is_tracer(code):
                return out
            code = backend.tolist(code)  # (a host read: ~2 us on a small flag)
            if code == 1:
                raise LinAlgError(f"{func}: the input holds NaN or infinity")
            if code == 2:
                raise LinAlgError(f"{func}: {failure}")
            return out
    # Here eagerly (NumPy, torch), or on JAX beyond the kernel cache's bound.
    xp = backend.xp
    eager = not backend.caps.traced or not _traced(backend, *values, *extra)
    if check_input and eager:
        for v in values:
            if not backend.all_finite(v):
                raise LinAlgError(f"{func}: the input holds NaN or infinity")
    try:
        with quiet():
            out = compute(xp, *values, *extra, **params)
    except linalg_error_types() as e:  # type: ignore[misc]
        raise LinAlgError(f"{func}: {e}") from None
    if failure is not None and eager and not backend.all_finite(out):
        raise LinAlgError(f"{func}: {failure}")
    return out


def _checked_kernel(
    compute: Any, n_checked: int, check_result: builtins.bool, params: Any, xp: Any, *values: Any
) -> Any:
    """The routine and its checks in one kernel: (result, 0 | 1 (a non-finite input) |
    2 (a non-finite result)); without checks, the result alone."""
    out = compute(xp, *values, **params)
    if not n_checked and not check_result:
        return out
    code = xp.asarray(0)
    if check_result:
        code = xp.where(xp.all(xp.isfinite(out)), 0, 2)
    for v in values[:n_checked]:
        code = xp.where(xp.all(xp.isfinite(v)), code, 1)
    return out, code


def _traced(backend: Any, *values: Any) -> builtins.bool:
    """Whether any of ``values`` is traced (under ``jax.jit``): then nothing can be checked."""
    if not backend.caps.traced:
        return False
    is_tracer = backend.is_tracer
    return builtins.any(is_tracer(v) for v in values)


def _check_finite_input(func: str, x: Array, *values: Any) -> None:
    """Raise LinAlgError if an eager input of ``func`` holds NaN or infinity.

    # Note: decided once for every backend (docs/backends.md): LAPACK's behaviour on
    # non-finite input differs by routine and by backend (NumPy's ``svd`` raises, its
    # ``inv`` returns NaN; JAX never raises), so storax checks first, as SciPy's
    # ``check_finite`` does.
    """
    backend = x._backend
    if _traced(backend, *values):
        return
    for v in values:
        if not backend.all_finite(v):
            raise LinAlgError(f"{func}: the input holds NaN or infinity")


def _check_finite_result(func: str, x: Array, out: Any, failure: str) -> None:
    """Raise LinAlgError naming ``failure`` if the eager result of ``func`` (of a finite
    input) is not finite: the backends that do not raise themselves (JAX) signal a singular
    or not positive definite matrix by NaN or infinity in the result."""
    backend = x._backend
    if _traced(backend, out):
        return
    if not backend.all_finite(out):
        raise LinAlgError(f"{func}: {failure}")


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


def _as(x: Array, value: Any, dt: Any) -> Array:
    # Note: NumPy's LAPACK wrappers may compute (and return) a wider dtype in places, and
    # return NumPy scalars for single matrices; storax always hands back an array of the
    # precision the specification requires. (A value of that dtype is wrapped as it is:
    # ``jax.numpy.asarray`` of a JAX array costs more than a small routine.) ``value`` is
    # a value of ``x``'s backend: ``x``'s family wraps it.
    if getattr(value, "dtype", None) == dt:
        return x._new(value)
    return x._new(x._backend.xp.asarray(value).astype(dt, copy=False))


def _matrices(
    x: object, func: str, *, square: bool = False, category: str = "floating-point"
) -> tuple[Any, Any]:
    """Validate a stack of matrices ``(..., M, N)``; return the backend's array module and
    the array's value."""
    x = _check_array(x, func)
    shape = x.shape
    v = x._value
    _dtypes.check_category(v.dtype, category, func)
    if len(shape) < 2:
        raise ValueError(f"{func}: expected an array of at least 2 dimensions, got {len(shape)}")
    if square and shape[-1] != shape[-2]:
        raise ValueError(f"{func}: expected square matrices, got shape {shape}")
    return x._backend.xp, v


def _hermitian_kwargs(x: Array) -> Mapping[str, Any]:
    """The backend's keywords that make it read only the lower triangle, as the standard
    asks (JAX symmetrizes its input by default): ``caps.eigh_kwargs`` (read-only)."""
    return x._backend.caps.eigh_kwargs


def _rtol(rtol: object, x: Array, func: str) -> Any:
    """The ``rtol`` argument as a backend value (None stays None)."""
    if rtol is None:
        return None
    xp = x._backend.xp
    if isinstance(rtol, Array):
        _dtypes.check_category(rtol.dtype, "real floating-point", func)
        check_same_device(x, rtol, func)
        stack = x.shape[:-2]
        try:
            broadcast_shapes(rtol.shape, stack)
        except ValueError:
            raise ValueError(
                f"{func}: rtol of shape {rtol.shape} does not broadcast against the stack "
                f"shape {stack}"
            ) from None
        return rtol._value
    if isinstance(rtol, builtins.bool) or not isinstance(rtol, (int, float)):
        raise TypeError(f"{func}: rtol must be a float or an array, got {type(rtol).__name__}")
    return xp.asarray(float(rtol), dtype=_real_dtype(x.dtype))


# ----------------------------------------------------------------------------- decompositions


def cholesky(x: Array, /, *, upper: builtins.bool = False) -> Array:
    """https://data-apis.org/array-api/latest/extensions/generated/array_api.linalg.cholesky.html

    Reads the lower triangle of ``x``. Not positive definite: LinAlgError (NaN in the result
    under ``jax.jit``).
    """
    xp, v = _matrices(x, "cholesky", square=True)
    out = _routine(
        "cholesky", x, _cholesky, (v,), failure="Matrix is not positive definite",
        upper=builtins.bool(upper), **_hermitian_kwargs(x),
    )  # fmt: skip
    return _as(x, out, v.dtype)


def eigh(x: Array, /) -> EighResult:
    """https://data-apis.org/array-api/latest/extensions/generated/array_api.linalg.eigh.html

    Reads the lower triangle of ``x``; eigenvalues in ascending order.
    """
    xp, v = _matrices(x, "eigh", square=True)
    w, q = _routine("eigh", x, _eigh, (v,), **_hermitian_kwargs(x))
    return EighResult(_as(x, w, _real_dtype(v.dtype)), _as(x, q, v.dtype))


def eigvalsh(x: Array, /) -> Array:
    """https://data-apis.org/array-api/latest/extensions/generated/array_api.linalg.eigvalsh.html

    Reads the lower triangle of ``x``; eigenvalues in ascending order.
    """
    xp, v = _matrices(x, "eigvalsh", square=True)
    w = _routine("eigvalsh", x, _eigvalsh, (v,), **_hermitian_kwargs(x))
    return _as(x, w, _real_dtype(v.dtype))


def eig(x: Array, /) -> EigResult:
    """https://data-apis.org/array-api/latest/extensions/generated/array_api.linalg.eig.html

    # Note: NumPy returns real arrays when every eigenvalue is real; the specification
    # (2025.12) always asks for the complex dtype of the input's precision.
    # On the JAX backend, ``eig`` runs where JAX implements it (its CPU devices; other
    # platforms depending on the JAX version, which raises NotImplementedError otherwise).
    """
    xp, v = _matrices(x, "eig", square=True)
    w, q = _routine("eig", x, _eig, (v,))
    c = _complex_dtype(v.dtype)
    return EigResult(_as(x, w, c), _as(x, q, c))


def eigvals(x: Array, /) -> Array:
    """https://data-apis.org/array-api/latest/extensions/generated/array_api.linalg.eigvals.html

    On the JAX backend, runs where JAX implements ``eig`` (see :func:`eig`).
    """
    xp, v = _matrices(x, "eigvals", square=True)
    w = _routine("eigvals", x, _eigvals, (v,))
    return _as(x, w, _complex_dtype(v.dtype))


def qr(x: Array, /, *, mode: str = "reduced") -> QRResult:
    """https://data-apis.org/array-api/latest/extensions/generated/array_api.linalg.qr.html"""
    xp, v = _matrices(x, "qr")
    if mode not in ("reduced", "complete"):
        raise ValueError(f"qr: mode must be 'reduced' or 'complete', got {mode!r}")
    q, r = _routine("qr", x, _qr, (v,), mode="complete" if mode == "complete" else "reduced")
    return QRResult(_as(x, q, v.dtype), _as(x, r, v.dtype))


def svd(x: Array, /, *, full_matrices: builtins.bool = True) -> SVDResult:
    """https://data-apis.org/array-api/latest/extensions/generated/array_api.linalg.svd.html"""
    xp, v = _matrices(x, "svd")
    u, s, vh = _routine("svd", x, _svd, (v,), full_matrices=builtins.bool(full_matrices))
    return SVDResult(_as(x, u, v.dtype), _as(x, s, _real_dtype(v.dtype)), _as(x, vh, v.dtype))


def svdvals(x: Array, /) -> Array:
    """https://data-apis.org/array-api/latest/extensions/generated/array_api.linalg.svdvals.html"""
    xp, v = _matrices(x, "svdvals")
    s = _routine("svdvals", x, _svdvals, (v,))
    return _as(x, s, _real_dtype(v.dtype))


# ----------------------------------------------------------------------------- det, inverses


def det(x: Array, /) -> Array:
    """https://data-apis.org/array-api/latest/extensions/generated/array_api.linalg.det.html"""
    xp, v = _matrices(x, "det", square=True)
    d = _routine("det", x, _det, (v,), check_input=False)
    return _as(x, d, v.dtype)


def slogdet(x: Array, /) -> SlogdetResult:
    """https://data-apis.org/array-api/latest/extensions/generated/array_api.linalg.slogdet.html"""
    xp, v = _matrices(x, "slogdet", square=True)
    sign, logabsdet = _routine("slogdet", x, _slogdet, (v,), check_input=False)
    return SlogdetResult(_as(x, sign, v.dtype), _as(x, logabsdet, _real_dtype(v.dtype)))


def inv(x: Array, /) -> Array:
    """https://data-apis.org/array-api/latest/extensions/generated/array_api.linalg.inv.html

    A singular matrix: LinAlgError (NaN/infinity in the result under ``jax.jit``).
    """
    xp, v = _matrices(x, "inv", square=True)
    out = _routine("inv", x, _inv, (v,), failure="Singular matrix")
    return _as(x, out, v.dtype)


# The routines, as kernels of (xp, *values, **static parameters).
def _cholesky(xp: Any, v: Any, **kw: Any) -> Any:
    return xp.linalg.cholesky(v, **kw)


def _eigh(xp: Any, v: Any, **kw: Any) -> Any:
    return tuple(xp.linalg.eigh(v, **kw))


def _eigvalsh(xp: Any, v: Any, **kw: Any) -> Any:
    return xp.linalg.eigvalsh(v, **kw)


def _eig(xp: Any, v: Any) -> Any:
    return tuple(xp.linalg.eig(v))


def _eigvals(xp: Any, v: Any) -> Any:
    return xp.linalg.eigvals(v)


def _qr(xp: Any, v: Any, mode: str) -> Any:
    return tuple(xp.linalg.qr(v, mode=mode))


def _svd(xp: Any, v: Any, full_matrices: builtins.bool) -> Any:
    return tuple(xp.linalg.svd(v, full_matrices=full_matrices))


def _svdvals(xp: Any, v: Any) -> Any:
    return xp.linalg.svdvals(v)


def _det(xp: Any, v: Any) -> Any:
    return xp.linalg.det(v)


def _slogdet(xp: Any, v: Any) -> Any:
    return tuple(xp.linalg.slogdet(v))


def _inv(xp: Any, v: Any) -> Any:
    return xp.linalg.inv(v)


def _pinv(xp: Any, v: Any, tol: Any) -> Any:
    if tol is None:
        tol = _default_rtol(xp, v)
    return xp.linalg.pinv(v, rtol=tol)


def _solve(xp: Any, v1: Any, v2: Any) -> Any:
    return xp.linalg.solve(v1, v2)


def _matrix_power(xp: Any, v: Any, n: int) -> Any:
    return xp.linalg.matrix_power(v, n)


def _matrix_rank(xp: Any, v: Any, tol: Any) -> Any:
    if tol is None:
        tol = _default_rtol(xp, v)
    s = xp.linalg.svdvals(v)
    # initial=0 makes the largest singular value of an empty matrix 0 (singular values
    # are never negative), so empty matrices have rank 0.
    largest = xp.max(s, axis=-1, keepdims=True, initial=0)
    return xp.count_nonzero(s > largest * xp.asarray(tol)[..., None], axis=-1)


def _default_rtol(xp: Any, v: Any) -> Any:
    """The specification's default ``rtol``: ``max(M, N) * eps`` of the input's precision."""
    real = _real_dtype(v.dtype)
    return xp.asarray(builtins.max(v.shape[-2:]) * _dtypes.finfo_eps(real), dtype=real)


def pinv(x: Array, /, *, rtol: float | Array | None = None) -> Array:
    """https://data-apis.org/array-api/latest/extensions/generated/array_api.linalg.pinv.html

    ``rtol=None`` means ``max(M, N) * eps`` of the input's precision.
    """
    xp, v = _matrices(x, "pinv")
    tol = _rtol(rtol, x, "pinv")
    # Note: JAX's own default (``10 * max(M, N) * eps``) differs from the specification's;
    # storax passes the specification's default explicitly to every backend (computed in
    # the kernel).
    out = _routine("pinv", x, _pinv, (v,), extra=(tol,))
    return _as(x, out, v.dtype)


def matrix_power(x: Array, n: int, /) -> Array:
    """https://data-apis.org/array-api/latest/extensions/generated/array_api.linalg.matrix_power.html

    A negative ``n`` inverts first: a singular matrix then raises LinAlgError (NaN/infinity
    under ``jax.jit``).
    """
    xp, v = _matrices(x, "matrix_power", square=True)
    k = _check_int(n, "matrix_power", "n")
    out = _routine(
        "matrix_power", x, _matrix_power, (v,), check_input=k < 0,
        failure="Singular matrix" if k < 0 else None, n=k,
    )  # fmt: skip
    if out is v:  # both backends hand back the input itself for n == 1
        out = xp.array(v, copy=True)
    return _as(x, out, v.dtype)


def matrix_rank(x: Array, /, *, rtol: float | Array | None = None) -> Array:
    """https://data-apis.org/array-api/latest/extensions/generated/array_api.linalg.matrix_rank.html

    Counts the singular values above ``rtol * largest singular value`` (``rtol=None`` means
    ``max(M, N) * eps`` of the input's precision). Returns the default integer dtype.
    """
    xp, v = _matrices(x, "matrix_rank")
    tol = _rtol(rtol, x, "matrix_rank")
    # one kernel (the input check, the singular values and the count; the default rtol is
    # computed in it): one dispatch and one host read on JAX
    rank = _routine("matrix_rank", x, _matrix_rank, (v,), extra=(tol,))
    return _as(x, rank, default_int(x._backend))


def solve(x1: Array, x2: Array, /) -> Array:
    """https://data-apis.org/array-api/latest/extensions/generated/array_api.linalg.solve.html

    ``x2`` is a vector (shape ``(M,)``) only when it is 1-D; otherwise a stack ``(..., M, K)``.
    A singular ``x1``: LinAlgError (NaN/infinity in the result under ``jax.jit``).
    """
    xp, v1, v2 = _promote_pair(x1, x2, "floating-point", "solve")
    if v1.ndim < 2 or v1.shape[-1] != v1.shape[-2]:
        raise ValueError(f"solve: x1 must be a stack of square matrices, got shape {v1.shape}")
    m = v1.shape[-1]
    if v2.ndim == 0:
        raise ValueError("solve: x2 must have at least 1 dimension, got a 0-d array")
    rows = v2.shape[0] if v2.ndim == 1 else v2.shape[-2]
    if rows != m:
        raise ValueError(f"solve: x2 of shape {v2.shape} does not match the {m}x{m} matrices of x1")
    if v2.ndim >= 2 and v1.shape[:-2] != v2.shape[:-2]:
        try:
            broadcast_shapes(v1.shape[:-2], v2.shape[:-2])
        except ValueError:
            raise ValueError(
                f"solve: the stack shapes {v1.shape[:-2]} and {v2.shape[:-2]} do not broadcast"
            ) from None
    out = _routine("solve", x1, _solve, (v1, v2), failure="Singular matrix")
    return _as(x1, out, v1.dtype)


# ----------------------------------------------------------------------------- products


def cross(x1: Array, x2: Array, /, *, axis: int = -1) -> Array:
    """https://data-apis.org/array-api/latest/extensions/generated/array_api.linalg.cross.html"""
    xp, v1, v2 = _promote_pair(x1, x2, "numeric", "cross")
    if v1.ndim == 0 or v2.ndim == 0:
        raise ValueError("cross: expected arrays of at least 1 dimension, got a 0-d array")
    a = _vector_axis(axis, x1, x2, "cross")
    if v1.shape[a] != 3 or v2.shape[a] != 3:
        raise ValueError(
            f"cross: axis {a} must have size 3 in both arrays, got {v1.shape[a]} and {v2.shape[a]}"
        )
    try:
        broadcast_shapes(v1.shape, v2.shape)
    except ValueError:
        raise ValueError(f"cross: shapes {v1.shape} and {v2.shape} do not broadcast") from None
    return x1._new(_routine("cross", x1, _cross, (v1, v2), check_input=False, axis=a))


def _cross(xp: Any, v1: Any, v2: Any, axis: int) -> Any:
    return xp.cross(v1, v2, axis=axis)


def outer(x1: Array, x2: Array, /) -> Array:
    """https://data-apis.org/array-api/latest/extensions/generated/array_api.linalg.outer.html"""
    xp, v1, v2 = _promote_pair(x1, x2, "numeric", "outer")
    if v1.ndim != 1 or v2.ndim != 1:
        raise ValueError(f"outer: expected two 1-D arrays, got {v1.ndim}-D and {v2.ndim}-D")
    return _wrap(xp.outer(v1, v2))


def diagonal(x: Array, /, *, offset: int = 0) -> Array:
    """https://data-apis.org/array-api/latest/extensions/generated/array_api.linalg.diagonal.html

    # Note: the result is a *writeable view* of ``x`` (sharing its storage), as PyTorch's
    # ``diagonal``; NumPy's is a read-only view. It is read-only when ``x`` is (a broadcast
    # view, for one), on both backends, so writes never land twice on one element.
    """
    xp, v = _matrices(x, "diagonal", category="any")
    k = _check_int(offset, "diagonal", "offset")
    del xp, v
    if k:
        k = builtins.min(builtins.max(k, -x.shape[-2]), x.shape[-1])  # beyond: empty anyway
    return x._diagonal(k)


def trace(x: Array, /, *, offset: int = 0, dtype: Any = None) -> Array:
    """https://data-apis.org/array-api/latest/extensions/generated/array_api.linalg.trace.html

    Sums each diagonal; small integer dtypes accumulate in the default integer dtype
    (the widest unsigned dtype for unsigned data), as ``sum``.
    """
    xp, v = _matrices(x, "trace", category="numeric")
    k = _check_int(offset, "trace", "offset")
    if k:
        k = builtins.min(builtins.max(k, -x.shape[-2]), x.shape[-1])  # beyond: zeros anyway
    kind = v.dtype.kind
    if dtype is not None:
        dt = requested(_dtypes.check_dtype(dtype, "trace"), x, "trace")
    elif kind == "i":
        dt = builtins.max(v.dtype, default_int(x._backend), key=lambda d: d.itemsize)
    elif kind == "u":
        dt = builtins.max(v.dtype, default_uint(x._backend), key=lambda d: d.itemsize)
    else:
        dt = v.dtype
    backend = x._backend
    if backend.caps.traced:  # JAX: one compiled kernel (see _routine)
        out = _routine("trace", x, _trace, (v,), check_input=False, offset=k, dtype=dt)
    else:  # eagerly: nothing to check and no LinAlgError to name (~1 us less than _routine)
        with quiet():  # (a sum that overflows, or inf - inf: no warning, as JAX and torch)
            out = _trace(backend.xp, v, k, dt)
    return _as(x, out, dt)


def _trace(xp: Any, v: Any, offset: int, dtype: Any) -> Any:
    return xp.trace(v.astype(dtype, copy=False), offset=offset, axis1=-2, axis2=-1, dtype=dtype)


# ----------------------------------------------------------------------------- norms


def _valid_matrix_ord(ord: object) -> builtins.bool:
    if isinstance(ord, str):
        return ord in ("fro", "nuc")
    if isinstance(ord, builtins.bool) or not isinstance(ord, (int, float)):
        return False
    return ord in (1, -1, 2, -2, math.inf, -math.inf)


def matrix_norm(x: Array, /, *, keepdims: builtins.bool = False, ord: Any = "fro") -> Array:
    """https://data-apis.org/array-api/latest/extensions/generated/array_api.linalg.matrix_norm.html"""
    xp, v = _matrices(x, "matrix_norm")
    if not _valid_matrix_ord(ord):
        raise ValueError(
            f"matrix_norm: ord must be one of 'fro', 'nuc', 1, -1, 2, -2, inf, -inf; got {ord!r}"
        )
    out = _routine(
        "matrix_norm", x, _matrix_norm, (v,), check_input=False,
        keepdims=builtins.bool(keepdims), ord=ord,
    )  # fmt: skip
    return _as(x, out, _real_dtype(v.dtype))


def _matrix_norm(xp: Any, v: Any, keepdims: builtins.bool, ord: Any) -> Any:
    return xp.linalg.matrix_norm(v, keepdims=keepdims, ord=ord)


def _vector_norm(xp: Any, v: Any, axis: Any, keepdims: builtins.bool, ord: Any) -> Any:
    norm: Any = xp.linalg.vector_norm
    return norm(v, axis=axis, keepdims=keepdims, ord=ord)


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
    out = _routine(
        "vector_norm", a, _vector_norm, (a._value,), check_input=False, axis=ax,
        keepdims=builtins.bool(keepdims), ord=ord,
    )  # fmt: skip
    return _as(x, out, _real_dtype(a.dtype))
