"""Shared helpers: make storax inputs from NumPy ones, walk results, compare with NumPy."""

from __future__ import annotations

import dataclasses
import types
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np

import storax

# Cases whose result dtype differs from NumPy's under storax's float32 default
# (filled by ``compare``, printed by the conftest's terminal summary).
DTYPE_NOTES: list[str] = []


class _XP:
    """Placeholder for the array namespace in a case's arguments (``xp=XP``)."""

    def __repr__(self) -> str:
        return "XP"


XP = _XP()


def on_backend(a: np.ndarray, backend: str) -> storax.Array:
    """A storax array with the values of ``a`` on ``backend``."""
    with storax.use_backend(backend):
        return storax.asarray(a.copy())


def convert(obj: Any, backend: str | None) -> Any:
    """Replace NumPy arrays (and ``XP``) in nested arguments: storax when ``backend`` is
    given, fresh NumPy copies (and the numpy module) when it is None."""
    if isinstance(obj, np.ndarray):
        return obj.copy() if backend is None else on_backend(obj, backend)
    if obj is XP:
        return np if backend is None else storax
    if isinstance(obj, tuple):
        return tuple(convert(o, backend) for o in obj)
    if isinstance(obj, list):
        return [convert(o, backend) for o in obj]
    if isinstance(obj, dict):
        return {k: convert(v, backend) for k, v in obj.items()}
    return obj


def as_dtype(obj: Any, real: Any, cplx: Any) -> Any:
    """Cast the floating arrays in nested arguments to ``real`` / ``cplx``."""
    if isinstance(obj, np.ndarray):
        if obj.dtype.kind == "f":
            return obj.astype(real)
        if obj.dtype.kind == "c":
            return obj.astype(cplx)
        return obj
    if isinstance(obj, tuple):
        return tuple(as_dtype(o, real, cplx) for o in obj)
    if isinstance(obj, list):
        return [as_dtype(o, real, cplx) for o in obj]
    if isinstance(obj, dict):
        return {k: as_dtype(v, real, cplx) for k, v in obj.items()}
    return obj


_SCALARS = (bool, int, float, complex, str, type(None))


def leaves(obj: Any, path: str = "result", depth: int = 0) -> Iterator[tuple[str, Any]]:
    """Walk a result: arrays, scalars, tuples (named or not), lists, dicts, dataclasses,
    and SciPy's result objects (tuples with extra fields, simple attribute bags)."""
    if depth > 6:
        raise AssertionError(f"{path}: result nested too deeply")
    if isinstance(obj, (storax.Array, np.ndarray, np.generic, types.ModuleType, *_SCALARS)):
        yield path, obj
    elif isinstance(obj, tuple):
        fields = getattr(obj, "_fields", None)
        if fields is not None:
            extra = tuple(getattr(obj, "_extra_fields", ()))
            for f in (*fields, *extra):
                yield from leaves(getattr(obj, f), f"{path}.{f}", depth + 1)
        else:
            for i, o in enumerate(obj):
                yield from leaves(o, f"{path}[{i}]", depth + 1)
    elif isinstance(obj, list):
        for i, o in enumerate(obj):
            yield from leaves(o, f"{path}[{i}]", depth + 1)
    elif isinstance(obj, dict):
        for k in sorted(obj, key=str):
            yield from leaves(obj[k], f"{path}[{k!r}]", depth + 1)
    elif dataclasses.is_dataclass(obj):
        for f in dataclasses.fields(obj):
            yield from leaves(getattr(obj, f.name), f"{path}.{f.name}", depth + 1)
    elif hasattr(obj, "__dict__") and not callable(obj):
        for k, v in sorted(vars(obj).items()):
            if not k.startswith("_") and not callable(v):
                yield from leaves(v, f"{path}.{k}", depth + 1)
    else:
        yield path, obj


@dataclasses.dataclass
class Tol:
    rtol: float
    atol: float


def compare(
    got: Any,
    want: Any,
    *,
    device: Any,
    tol: Tol,
    strict_dtype: bool = True,
    label: str = "",
) -> None:
    """Assert that ``got`` (from storax inputs) matches ``want`` (from NumPy inputs).

    Every array in ``got`` must be a storax Array on ``device`` with the shape, dtype and
    values of the corresponding NumPy result. With ``strict_dtype=False`` a floating
    result may come back at another precision (storax's float32 default); the
    difference is recorded in ``DTYPE_NOTES`` and the values compared at float32 precision.
    """
    got_leaves = list(leaves(got))
    want_leaves = list(leaves(want))
    assert [p for p, _ in got_leaves] == [p for p, _ in want_leaves], (
        f"result structure differs: {[p for p, _ in got_leaves]} vs {[p for p, _ in want_leaves]}"
    )
    for (path, g), (_, w) in zip(got_leaves, want_leaves, strict=True):
        assert not isinstance(g, np.ndarray), f"{path}: a NumPy array leaked out: {g!r}"
        if isinstance(w, (np.ndarray, np.generic)) or isinstance(g, storax.Array):
            if isinstance(w, np.ndarray) or isinstance(g, storax.Array):
                assert isinstance(g, storax.Array), (
                    f"{path}: expected a storax Array, got {type(g).__name__}: {g!r}"
                )
            _compare_arrays(path, g, w, device=device, tol=tol, strict=strict_dtype, label=label)
        elif isinstance(w, float) and isinstance(g, (float, np.floating)):
            np.testing.assert_allclose(g, w, rtol=tol.rtol, atol=tol.atol, err_msg=path)
        else:
            assert type(g) is type(w), f"{path}: {type(g).__name__} vs {type(w).__name__}"
            if isinstance(w, (complex, float)):
                np.testing.assert_allclose(g, w, rtol=tol.rtol, atol=tol.atol, err_msg=path)
            else:
                assert g == w, f"{path}: {g!r} != {w!r}"


def _compare_arrays(
    path: str, g: Any, w: Any, *, device: Any, tol: Tol, strict: bool, label: str
) -> None:
    if isinstance(g, storax.Array):
        assert g.device == device, f"{path}: on device {g.device}, expected {device}"
        gv = np.asarray(g)
    else:  # a scalar where NumPy gives a NumPy scalar
        gv = np.asarray(g)
    wv = np.asarray(w)
    assert gv.shape == wv.shape, f"{path}: shape {gv.shape} != {wv.shape}"
    rtol, atol = tol.rtol, tol.atol
    if gv.dtype != wv.dtype:
        kinds_ok = gv.dtype.kind == wv.dtype.kind and gv.dtype.kind in "fc"
        if strict or not kinds_ok or not isinstance(g, storax.Array):
            raise AssertionError(f"{path}: dtype {gv.dtype} != NumPy's {wv.dtype}")
        DTYPE_NOTES.append(f"{label} {path}: {gv.dtype} (NumPy: {wv.dtype})")
        rtol, atol = max(rtol, 2e-5), max(atol, 1e-6)
    if wv.dtype.kind in "fc":
        np.testing.assert_allclose(gv, wv, rtol=rtol, atol=atol, equal_nan=True, err_msg=path)
    else:
        np.testing.assert_array_equal(gv, wv, err_msg=path)


@dataclasses.dataclass
class Case:
    """One call: ``func(*args, **kwargs)`` with NumPy arrays made storax arrays."""

    id: str
    func: Callable[..., Any]
    args: tuple[Any, ...] = ()
    kwargs: dict[str, Any] = dataclasses.field(default_factory=dict)
    rtol: float = 1e-7
    atol: float = 1e-12
    f32: bool = False  # also run with float32 inputs
    xfail: str | None = None  # an upstream reason (SciPy / scikit-learn), never storax's
    xfail_f32: str | None = None  # the same, for the float32-input run only


def run_case(case: Case, backend: str, mode: str) -> None:
    """Run ``case`` on NumPy and on storax inputs and compare (see the modes in
    ``case_params``)."""
    args, kwargs = case.args, case.kwargs
    tol = Tol(case.rtol, case.atol)
    if mode == "float32":
        args = as_dtype(args, np.float32, np.complex64)
        kwargs = as_dtype(kwargs, np.float32, np.complex64)
        tol = Tol(max(case.rtol, 2e-5), max(case.atol, 1e-5))
    want = case.func(*convert(args, None), **convert(kwargs, None))
    sx_args, sx_kwargs = convert(args, backend), convert(kwargs, backend)
    device = _device_of((sx_args, sx_kwargs), backend)
    got = case.func(*sx_args, **sx_kwargs)
    strict = storax.get_default_dtype() == storax.float64 or mode == "float32"
    if not strict:
        tol = Tol(max(tol.rtol, 1e-5), max(tol.atol, 1e-6))
    compare(got, want, device=device, tol=tol, strict_dtype=strict, label=case.id)


def _device_of(obj: Any, backend: str) -> Any:
    for _, leaf in leaves(obj):
        if isinstance(leaf, storax.Array):
            return leaf.device
    return on_backend(np.zeros(1), backend).device


def case_params(cases: list[Case]) -> list[Any]:
    """pytest params: each case with float64 inputs (run under both storax default float
    dtypes by the ``default_float`` fixture) and, where ``f32``, with float32 inputs."""
    import pytest

    params = []
    for c in cases:
        marks = [pytest.mark.xfail(reason=c.xfail, strict=True)] if c.xfail else []
        params.append(pytest.param(c, "float64", id=f"{c.id}-f64", marks=marks))
        if c.f32:
            reason = c.xfail or c.xfail_f32
            marks = [pytest.mark.xfail(reason=reason, strict=True)] if reason else []
            params.append(pytest.param(c, "float32", id=f"{c.id}-f32", marks=marks))
    return params
