"""One behaviour on every backend: hypothesis-drawn programs run in lockstep on the reference
backend (NumPy) and on every other backend in ``storax._backends.BACKENDS``, and each step must
give the same dtypes, shapes, values, strides, offsets, storage sharing, warnings, or the same
error type. (The decisions behind it are listed in docs/backends.md, "Same behaviour on every
backend".)

The programs come from ``tests/_programs.py``: creation, views, writes of every index kind,
in-place methods and operators, element-wise functions with scalars and mixed dtypes,
reductions, sorting and searching, linear algebra (singular and indefinite matrices included),
casts, and bad inputs.

Float results are compared within rounding; after each step the other backend's results are
overwritten with the reference's bits (``Machine.resync``), so rounding never accumulates into
later exact comparisons (a ``floor`` of a result that differs in its last bit, say).

Default: ``max_examples`` from the hypothesis profile below (derandomized in CI). A long run:
``STORAX_DIFF_EXAMPLES=2000 STORAX_HYPOTHESIS_PROFILE=dev pytest tests/test_differential.py``.
"""

from __future__ import annotations

import os
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from _programs import Machine, Op, Outcome, S, Snapshot, is_mutating, next_ops
from storax._backends import BACKENDS

REFERENCE = BACKENDS[0]
OTHERS = [b for b in BACKENDS[1:]]
EXAMPLES = int(os.environ.get("STORAX_DIFF_EXAMPLES", "100"))
LENGTH = int(os.environ.get("STORAX_DIFF_LENGTH", "12"))

PHASES = (
    tuple(Phase)
    if os.environ.get("STORAX_DIFF_SHRINK", "1") != "0"
    else (Phase.explicit, Phase.reuse, Phase.generate)
)

# Relative tolerances by comparison class and component size in bytes.
RTOL = {
    "round": {4: 1e-5, 8: 1e-9},
    "reduce": {4: 1e-4, 8: 1e-9},
    "linalg": {4: 2e-3, 8: 1e-7},
}
DERIVED = ("eigh", "svd", "qr")  # decompositions compared by what does not depend on signs


# ----------------------------------------------------------------------------- comparison


def _components(v: np.ndarray) -> list[np.ndarray]:
    if v.dtype.kind == "c":
        return [v.real, v.imag]
    return [v]


def _values_problem(a: np.ndarray, b: np.ndarray, tol: str, mask: Any = None) -> str | None:
    """Why host arrays ``a`` (reference) and ``b`` differ beyond ``tol``, or None."""
    if a.shape != b.shape:
        return f"shapes {a.shape} != {b.shape}"
    if mask is not None:  # positions whose values the specification leaves unspecified
        a, b = a[~mask], b[~mask]
    if a.dtype.kind in "biuO" or a.dtype.kind != b.dtype.kind:
        return None if np.array_equal(a, b) else f"values\n{a}\n!=\n{b}"
    for ca, cb in zip(_components(a), _components(b), strict=True):
        nan_a, nan_b = np.isnan(ca), np.isnan(cb)
        if not np.array_equal(nan_a, nan_b):
            return f"NaN positions differ\n{a}\n!=\n{b}"
        fa, fb = ca[~nan_a], cb[~nan_b]
        if tol in ("exact", "cast") or (tol == "round" and a.dtype.kind == "f"):
            # Signed zeros: the specification's special cases say which sign each gives.
            # Not for complex transcendental results: the specification gives the special
            # cases of complex ``atan``, ``sin``, ... only through their defining formulas
            # (``atan(z) = -1j * atanh(1j * z)``), and JAX's zero parts follow those formulas
            # where NumPy's follow C99 (docs/backends.md lists this as open).
            zeros = (fa == 0) & (fb == 0)
            if not np.array_equal(np.signbit(fa[zeros]), np.signbit(fb[zeros])):
                return f"signs of zeros differ\n{a}\n!=\n{b}"
        if tol in ("exact", "cast"):
            if not np.array_equal(fa, fb):
                return f"values\n{a}\n!=\n{b}"
            continue
        inf = np.isinf(fa) | np.isinf(fb)
        if not np.array_equal(fa[inf], fb[inf]):
            return f"infinities differ\n{a}\n!=\n{b}"
        rtol = RTOL["linalg" if tol in DERIVED else tol][ca.dtype.itemsize]
        scale = 1.0 if tol == "round" else max(1.0, float(np.max(np.abs(fa[~inf]), initial=0)))
        if not np.allclose(fa[~inf], fb[~inf], rtol=rtol, atol=rtol * scale * 1e-3):
            return f"values beyond rtol={rtol}\n{a}\n!=\n{b}"
    return None


def _derived(tol: str, rs: list[np.ndarray]) -> list[np.ndarray]:
    """Sign- and phase-independent views of a decomposition's results."""
    if tol == "eigh":
        w, q = rs
        return [w, (q * w[..., None, :]) @ np.conj(np.swapaxes(q, -1, -2))]
    if tol == "svd":
        u, s, vh = rs
        return [s, (u * s[..., None, :]) @ vh]
    q, r = rs
    return [q @ r, np.conj(np.swapaxes(q, -1, -2)) @ q]


def _cast_mask(src: Snapshot | None, target: Snapshot) -> Any:
    """Positions of a float-to-integer cast whose values are implementation-defined.

    The specification (``astype``): "Casting floating-point NaN and infinity values to
    integral data types is not specified and is implementation-dependent"; out-of-range
    values are undefined in C, and NumPy and XLA give different bits for them.
    """
    if src is None or src.values.dtype.kind not in "fc" or target.values.dtype.kind not in "iu":
        return None
    v = src.values.real
    info = np.iinfo(target.values.dtype)
    with np.errstate(invalid="ignore"):
        t = np.trunc(v)
        return ~np.isfinite(v) | (t < info.min) | (t > info.max)


CREATION = ("sx.asarray", "sx.zeros", "sx.ones", "sx.full", "sx.arange", "sx.linspace",
            "sx.eye", "sx.empty")  # fmt: skip


def _snapshot_problem(
    a: Snapshot, b: Snapshot, tol: str, mask: Any = None, call: str = ""
) -> str | None:
    fields = ["dtype", "shape", "storage", "stride", "offset"]
    if a.root_stride != b.root_stride and call not in CREATION:
        # A decided difference (docs/backends.md): the memory order of a *computed* result
        # is the backend's (NumPy's follows its inputs', as NumPy's and PyTorch's do; JAX's
        # is C order); the specification has no strides. Views of it then differ in strides
        # too, and are compared in everything else. Created arrays are C order everywhere.
        fields = fields[:3]
    for what in fields:
        if getattr(a, what) != getattr(b, what):
            return f"{what}: {getattr(a, what)} != {getattr(b, what)}"
    if tol in ("unspecified", *DERIVED):
        return None  # compared separately (decompositions) or not at all (empty())
    return _values_problem(a.values, b.values, tol, mask)


# NumPy's floating-point RuntimeWarnings ("divide by zero encountered", "invalid value
# encountered", "overflow encountered"): a decided difference (docs/backends.md): the NumPy
# backend keeps NumPy's diagnostics, as NumPy does, since silencing them costs its hot path
# more than the operation; the values are the same, and the specification asks for no
# warnings. Every other warning must be the same on every backend.
_FP_WARNINGS = ("divide by zero encountered", "invalid value encountered", "overflow encountered")


def _warnings(o: Outcome) -> list[str]:
    return sorted(
        f"{c.__name__}: {m}"
        for c, m in o.warnings
        if not (c is RuntimeWarning and m.startswith(_FP_WARNINGS))
    )


def compare(op: Op, a: Outcome, b: Outcome, src: Snapshot | None) -> str | None:
    """Why the reference's outcome ``a`` and the other backend's ``b`` of ``op`` differ."""
    if a.error is not b.error:
        return f"errors: {a.error} ({a.message}) != {b.error} ({b.message})"
    if _warnings(a) != _warnings(b):
        return f"warnings: {a.warnings} != {b.warnings}"
    if a.error is not None:
        return None
    assert a.results is not None and b.results is not None
    if len(a.results) != len(b.results):
        return f"{len(a.results)} results != {len(b.results)}"
    for i, (ra, rb) in enumerate(zip(a.results, b.results, strict=True)):
        mask = _cast_mask(src, ra) if op.tol == "cast" else None
        p = _snapshot_problem(ra, rb, op.tol, mask, op.call)
        if p:
            return f"result {i}: {p}"
    if op.tol in DERIVED:
        da = _derived(op.tol, [r.values for r in a.results])
        db = _derived(op.tol, [r.values for r in b.results])
        for i, (va, vb) in enumerate(zip(da, db, strict=True)):
            p = _values_problem(va, vb, "linalg")
            if p:
                return f"{op.tol} invariant {i}: {p}"
    if [i for i, _ in a.touched] != [i for i, _ in b.touched]:
        return f"slots sharing the written storage: {a.touched} != {b.touched}"
    for (i, ta), (_, tb) in zip(a.touched, b.touched, strict=True):
        p = _snapshot_problem(ta, tb, "round" if op.tol != "exact" else "exact")
        if p:
            return f"s{i} after the write: {p}"
    return None


def _same_bits(a: np.ndarray, b: np.ndarray) -> bool:
    return a.dtype == b.dtype and a.tobytes() == b.tobytes()


def _resync(op: Op, first_new: int, a: Outcome, b: Outcome, other: Machine) -> None:
    """Give the other run the reference's exact bits wherever rounding (or a specification's
    "unspecified") let them differ."""
    pairs: list[tuple[int, Snapshot, Snapshot]] = []
    if is_mutating(op):
        pairs = [(i, ta, tb) for (i, ta), (_, tb) in zip(a.touched, b.touched, strict=True)]
    elif a.results is not None and b.results is not None:
        pairs = [
            (first_new + k, ra, rb)
            for k, (ra, rb) in enumerate(zip(a.results, b.results, strict=True))
        ]
    for slot, ra, rb in pairs:
        if not _same_bits(ra.values, rb.values):
            try:
                other.resync(slot, ra.values)
            except ValueError:  # a read-only view: its base has been (or will be) resynced
                pass


def _refs(v: Any) -> list[int]:
    if isinstance(v, S):
        return [int(v)]
    if isinstance(v, tuple):
        return [i for x in v for i in _refs(x)]
    return []


def _listing(program: list[Op]) -> str:
    return "\n".join(f"  {op}" for op in program)


# ----------------------------------------------------------------------------- the test


@pytest.mark.parametrize("backend", OTHERS)
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    # STORAX_DIFF_SHRINK=0: report the first failing program as drawn (a long run's drift
    # hunt, where shrinking through JAX compilations takes minutes).
    phases=PHASES,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(data=st.data())
def test_programs_behave_alike(backend: str, data: st.DataObject) -> None:
    ref, other = Machine(REFERENCE), Machine(backend)
    program: list[Op] = []
    length = data.draw(st.integers(1, LENGTH), label="length")
    while len(program) < length:
        for op in next_ops(data.draw, ref):
            refs = _refs(op.args) + [i for _, v in op.kwargs for i in _refs(v)]
            if any(i >= len(ref.slots) for i in refs):
                continue  # the op before it, which made that slot, failed
            program.append(op)
            src = ref.snapshot(ref.slots[op.args[0]]) if op.tol == "cast" else None
            first_new = len(ref.slots)
            a, b = ref.run(op), other.run(op)
            problem = compare(op, a, b, src)
            if problem:
                pytest.fail(
                    f"{REFERENCE} and {backend} differ at the last step of\n"
                    f"{_listing(program)}\n{problem}",
                    pytrace=False,
                )
            _resync(op, first_new, a, b, other)
    # Every slot, re-read at the end: writes through views reached every view of a storage.
    for i, (x, y) in enumerate(zip(ref.slots, other.slots, strict=True)):
        p = _snapshot_problem(ref.snapshot(x), other.snapshot(y), "exact")
        assert p is None, f"s{i} at the end of\n{_listing(program)}\n{p}"
