"""Programs for the cross-backend differential test: op descriptors, their interpreter, and
hypothesis strategies that draw them.

A *program* is a list of :class:`Op` descriptors: plain data (slot references, index keys,
Python scalars, dtype names, array literals) that reads as code when printed::

    s0 = sx.asarray([[1, 2], [3, 4]], dtype=int8)
    s1 = s0[::-1, None]
    s1[0] = 7
    s2 = sx.sum(s1, axis=0)

Every op's arguments refer to earlier results by slot number (``s0``, ``s1``, ...), so the
same descriptor runs on every backend. :class:`Machine` holds one backend's slots and runs
ops on it; :func:`observe` turns an outcome (results, or the error raised, plus the warnings)
into host data that two backends' runs can be compared by.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from hypothesis import strategies as st

import storax as sx

# ----------------------------------------------------------------------------- descriptors

DTYPES = (
    "bool",
    "int8",
    "int16",
    "int32",
    "int64",
    "uint8",
    "uint16",
    "uint32",
    "uint64",
    "float32",
    "float64",
    "complex64",
    "complex128",
)
INTS = DTYPES[1:9]
FLOATS = ("float32", "float64")
COMPLEX = ("complex64", "complex128")


class S(int):
    """A reference to the result in slot ``n``."""

    def __repr__(self) -> str:
        return f"s{int(self)}"


@dataclass(frozen=True)
class Lit:
    """An array literal, created on the running backend: ``sx.asarray(data, dtype=...)``."""

    data: Any
    dtype: str | None = None

    def __repr__(self) -> str:
        d = "" if self.dtype is None else f", dtype={self.dtype}"
        return f"sx.asarray({self.data!r}{d})"


@dataclass(frozen=True)
class Dt:
    """A dtype argument, by name (printed bare, as ``sx.<name>``)."""

    name: str

    def __repr__(self) -> str:
        return f"sx.{self.name}"


def _fmt_key(k: Any) -> str:
    if isinstance(k, tuple):
        return ", ".join(_fmt_key(i) for i in k) if k else "()"
    if isinstance(k, slice):
        parts = ["" if v is None else str(v) for v in (k.start, k.stop, k.step)]
        return ":".join(parts[:2]) if k.step is None else ":".join(parts)
    if k is Ellipsis:
        return "..."
    return repr(k)


@dataclass(frozen=True)
class Op:
    """One step of a program.

    ``call`` says what runs: ``"sx.<name>"`` / ``"sx.linalg.<name>"`` (a namespace function),
    ``"x.<name>"`` (a method or property of the first argument), ``"x[k]"``, ``"x[k]=v"``,
    or an operator (``"x+y"``, ``"x+=y"``, ...). ``tol`` is the comparison class of its
    float results: ``"exact"``, ``"round"`` (one rounding per element), ``"reduce"``
    (accumulated rounding), ``"linalg"`` (LAPACK-grade: loose), ``"eigh"`` / ``"svd"`` /
    ``"qr"`` (decompositions: compared by sign-free invariants), ``"cast"`` (exact, but for
    the elements whose cast the specification leaves unspecified) or ``"unspecified"``
    (``empty()``: values not compared).
    """

    call: str
    args: tuple[Any, ...] = ()
    kwargs: tuple[tuple[str, Any], ...] = ()
    tol: str = "exact"

    def __str__(self) -> str:
        a = self.args
        kw = "".join(f", {k}={v!r}" for k, v in self.kwargs)
        if self.call == "x[k]":
            return f"{a[0]!r}[{_fmt_key(a[1])}]"
        if self.call == "x[k]=v":
            return f"{a[0]!r}[{_fmt_key(a[1])}] = {a[2]!r}"
        if self.call.startswith("x.") and self.call[2:] in _PROPERTIES:
            return f"{a[0]!r}{self.call[1:]}"
        if self.call.startswith("x."):
            rest = ", ".join(repr(v) for v in a[1:])
            kw = kw[2:] if not rest else kw
            return f"{a[0]!r}{self.call[1:]}({rest}{kw})"
        if self.call in _OPERATORS or self.call in _INPLACE:
            return f"{a[0]!r} {self.call[1:-1]} {a[1]!r}"
        return f"{self.call}({', '.join(repr(v) for v in a)}{kw})"


_PROPERTIES = ("T", "mT")
_OPERATORS = {
    "x+y": lambda x, y: x + y,
    "x-y": lambda x, y: x - y,
    "x*y": lambda x, y: x * y,
    "x/y": lambda x, y: x / y,
    "x//y": lambda x, y: x // y,
    "x%y": lambda x, y: x % y,
    "x**y": lambda x, y: x**y,
    "x&y": lambda x, y: x & y,
    "x<y": lambda x, y: x < y,
    "x==y": lambda x, y: x == y,
    "x@y": lambda x, y: x @ y,
}
_INPLACE = {"x+=y": "__iadd__", "x*=y": "__imul__"}
# Results of these calls are written into their first argument's storage (not new slots).
MUTATING = ("x[k]=v", *_INPLACE)


def is_mutating(op: Op) -> bool:
    return op.call in MUTATING or (op.call.startswith("x.") and op.call.endswith("_"))


# ----------------------------------------------------------------------------- interpreter


def _resolve(v: Any, slots: list[Any]) -> Any:
    if isinstance(v, S):
        return slots[v]
    if isinstance(v, Lit):
        return sx.asarray(v.data, dtype=None if v.dtype is None else getattr(sx, v.dtype))
    if isinstance(v, Dt):
        return getattr(sx, v.name)
    if isinstance(v, tuple):
        return tuple(_resolve(i, slots) for i in v)
    return v


def _namespace_function(path: str) -> Any:
    obj: Any = sx
    for part in path.split(".")[1:]:
        obj = getattr(obj, part)
    return obj


def execute(op: Op, slots: list[Any]) -> Any:
    """Run ``op`` over ``slots`` on the current backend; return what it returns."""
    args = [_resolve(a, slots) for a in op.args]
    kwargs = {k: _resolve(v, slots) for k, v in op.kwargs}
    c = op.call
    if c == "x[k]":
        return args[0][args[1]]
    if c == "x[k]=v":
        args[0][args[1]] = args[2]
        return None
    if c in _INPLACE:
        x = args[0]
        out = getattr(x, _INPLACE[c])(args[1])
        if out is NotImplemented:
            raise TypeError(f"{c}: NotImplemented")
        return out
    if c in _OPERATORS:
        return _OPERATORS[c](*args)
    if c.startswith("x."):
        attr = getattr(args[0], c[2:])
        return attr if c[2:] in _PROPERTIES else attr(*args[1:], **kwargs)
    return _namespace_function(c)(*args, **kwargs)


@dataclass
class Snapshot:
    """What one result array looks like from the host."""

    dtype: Any
    shape: tuple[int, ...]
    values: np.ndarray
    stride: tuple[int, ...]
    offset: int
    storage: int  # which of this run's storages (numbered in order of first sight)
    # The strides of the first array seen over that storage (its creator, as a rule).
    root_stride: tuple[int, ...] = ()


@dataclass
class Outcome:
    """The results (or the error) of one op, and the warnings it raised."""

    results: list[Snapshot] | None
    error: type | None
    message: str
    warnings: list[tuple[type, str]]
    # After a write: the slots that share the written storage, re-read.
    touched: list[tuple[int, Snapshot]] = field(default_factory=list)


def _flatten_result(r: Any) -> list[Any]:
    if r is None:
        return []
    if isinstance(r, (tuple, list)):
        out: list[Any] = []
        for i in r:
            out.extend(_flatten_result(i))
        return out
    return [r]


class Machine:
    """One backend's run of a program: its slots and the storages it has seen."""

    def __init__(self, backend: str) -> None:
        self.backend = backend
        self.slots: list[Any] = []
        self._storages: list[Any] = []
        self._root_strides: list[tuple[int, ...]] = []

    def storage_id(self, x: Any) -> int:
        s = x.storage()
        for i, t in enumerate(self._storages):
            if t is s:
                return i
        self._storages.append(s)
        self._root_strides.append(tuple(x.stride()))
        return len(self._storages) - 1

    def snapshot(self, x: Any) -> Snapshot:
        if not isinstance(x, sx.Array):
            # A Python scalar or other non-array result: compare it as a 0-d value.
            return Snapshot(type(x), (), np.asarray(x), (), 0, -1)
        sid = self.storage_id(x)
        return Snapshot(
            x.dtype,
            tuple(x.shape),
            np.array(x.numpy(), copy=True),
            tuple(x.stride()),
            x.storage_offset(),
            sid,
            self._root_strides[sid],
        )

    def run(self, op: Op) -> Outcome:
        with sx.use_backend(self.backend), warnings.catch_warnings(record=True) as w:
            warnings.simplefilter("always")
            try:
                r = execute(op, self.slots)
                error, message = None, ""
            except Exception as e:  # noqa: BLE001 - the error type is what is compared
                r, error, message = None, type(e), str(e)
        seen = [(i.category, str(i.message)) for i in w]
        if error is not None:
            return Outcome(None, error, message, seen)
        results = _flatten_result(r)
        out = Outcome([self.snapshot(x) for x in results], None, "", seen)
        if is_mutating(op):
            target = self.slots[op.args[0]]
            sid = self.storage_id(target)
            for i, y in enumerate(self.slots):
                if self.storage_id(y) == sid:
                    out.touched.append((i, self.snapshot(y)))
        else:
            self.slots.extend(x for x in results if isinstance(x, sx.Array))
        return out

    def resync(self, slot: int, values: np.ndarray) -> None:
        """Write the reference backend's ``values`` into ``slot`` (same dtype and shape), so
        that later ops of this run start from the same bits as the reference's."""
        with sx.use_backend(self.backend):
            x = self.slots[slot]
            src = sx.asarray(values, dtype=x.dtype)
            x[...] = src


# ----------------------------------------------------------------------------- values


def edge_values(dtype: str) -> list[Any]:
    """Python scalars of ``dtype``'s kind, edges included (extremes, -0.0, NaN, inf)."""
    if dtype == "bool":
        return [False, True]
    if dtype in INTS:
        info = np.iinfo(dtype)
        return [0, 1, 2, 3, -1, -7, 100, int(info.min), int(info.max)]
    reals = [0.0, -0.0, 1.0, -1.5, 0.5, 2.5, 3.0, 1e-3, 1e30, math.nan, math.inf, -math.inf]
    if dtype in FLOATS:
        return reals
    return [*reals[:8], 1 + 2j, -0.5j, complex(0.0, -0.0), complex(math.nan, 1), 1j]


def _fits(v: Any, dtype: str) -> bool:
    if dtype in INTS:
        info = np.iinfo(dtype)
        return not isinstance(v, bool) and int(info.min) <= v <= int(info.max)
    return True


@st.composite
def scalars(draw: Any, dtype: str, *, fitting: bool = True) -> Any:
    vs = edge_values(dtype)
    if fitting:
        vs = [v for v in vs if _fits(v, dtype)]
    return draw(st.sampled_from(vs))


shapes = st.lists(st.sampled_from([1, 2, 3, 3, 2, 0]), min_size=0, max_size=3).map(tuple)


def nested(values: list[Any], shape: tuple[int, ...]) -> Any:
    if not shape:
        return values[0]
    n = math.prod(shape[1:])
    return [nested(values[i * n : (i + 1) * n], shape[1:]) for i in range(shape[0])]


@st.composite
def literals(draw: Any, dtype: str, shape: tuple[int, ...], fitting: bool = True) -> Any:
    n = math.prod(shape)
    vals = draw(st.lists(scalars(dtype, fitting=fitting), min_size=n, max_size=n))
    return nested(vals, shape) if shape else (vals[0] if n else 0)


# ----------------------------------------------------------------------------- generators
#
# Each generator draws the next op(s) from the reference run's current slots (their shapes and
# dtypes), so that most drawn ops are valid; some are not on purpose (wrong dtypes, shapes,
# out-of-range indices, writes to read-only views), and then the error type is compared.


def _slot(draw: Any, m: Machine, pred: Any = None) -> S | None:
    """A recent slot (optionally one whose array satisfies ``pred``), or None."""
    first = max(0, len(m.slots) - 8)
    cands = [i for i in range(first, len(m.slots)) if pred is None or pred(m.slots[i])]
    if not cands:
        return None
    return S(draw(st.sampled_from(cands)))


def _dtname(x: Any) -> str:
    return str(x.dtype)


def _axis(draw: Any, ndim: int, *, none: bool = True, bad: bool = True) -> Any:
    opts: list[Any] = list(range(-ndim, ndim))
    if none:
        opts.append(None)
    if bad or not opts:
        opts.append(ndim)  # out of range: an error on every backend
    return draw(st.sampled_from(opts))


def gen_create(draw: Any, m: Machine) -> list[Op]:
    d = draw(st.sampled_from(DTYPES))
    shape = draw(shapes)
    kind = draw(
        st.sampled_from(["asarray"] * 4 + ["zeros", "ones", "full", "arange", "linspace", "eye"])
        | st.just("empty")
    )
    dt = (("dtype", Dt(d)),)
    if kind == "asarray":
        fitting = draw(st.integers(0, 9)) > 0
        data = draw(literals(d, shape, fitting=fitting))
        if d in ("bool", "int64", "float64", "complex128") and draw(st.booleans()):
            dt = ()  # the dtype inferred from the Python scalars
        return [Op("sx.asarray", (data,), dt)]
    if kind in ("zeros", "ones"):
        return [Op(f"sx.{kind}", (shape,), dt)]
    if kind == "full":
        fill = draw(scalars(draw(st.sampled_from(DTYPES))))
        return [Op("sx.full", (shape, fill), dt)]
    if kind == "arange":
        start = draw(st.integers(-5, 8))
        stop = draw(st.integers(-5, 8))
        step = draw(st.sampled_from([1, 2, -1, -3, 0, 0.5]))
        return [Op("sx.arange", (start, stop, step), dt if d != "bool" else ())]
    if kind == "linspace":
        a, b = draw(st.sampled_from([0, -1, 2.5])), draw(st.sampled_from([1, 4, -3.5]))
        num = draw(st.integers(0, 5))
        fd = draw(st.sampled_from(FLOATS + COMPLEX))
        ep = (("endpoint", draw(st.booleans())),)
        return [Op("sx.linspace", (a, b, num), (("dtype", Dt(fd)), *ep), tol="round")]
    if kind == "eye":
        n, k = draw(st.integers(0, 4)), draw(st.integers(-2, 2))
        cols = (("n_cols", draw(st.integers(0, 4))),) if draw(st.booleans()) else ()
        return [Op("sx.eye", (n,), (*cols, ("k", k), *dt))]
    # empty, then fill_: the values of empty() are unspecified, compared only after the fill.
    fill = draw(scalars(d))
    n = len(m.slots)
    return [Op("sx.empty", (shape,), dt, tol="unspecified"), Op("x.fill_", (S(n), fill))]


def gen_matrix(draw: Any, m: Machine) -> list[Op]:
    """A square matrix (or a stack) for the linear-algebra ops: well-conditioned, singular,
    symmetric positive definite, or symmetric but not positive definite."""
    n = draw(st.integers(1, 3))
    d = draw(st.sampled_from(FLOATS + COMPLEX))
    kind = draw(st.sampled_from(["random", "singular", "spd", "indefinite"]))
    vals = draw(st.lists(st.integers(-3, 3), min_size=n * n, max_size=n * n))
    a = np.array(vals, dtype=float).reshape(n, n)
    if kind == "singular":
        a[-1] = a[0] * 2 if n > 1 else 0  # a repeated (scaled) row
    elif kind == "spd":
        a = a @ a.T + n * np.eye(n)
    elif kind == "indefinite":
        a = a + a.T - 2 * n * np.eye(n) * (1 if n > 1 else 1)
        a[0, 0] = -abs(a[0, 0]) - 1
    else:
        a = a + 4 * np.eye(n)
    data = a.tolist()
    if draw(st.integers(0, 3)) == 0:
        data = [data, (a * 2 + np.eye(n)).tolist()]  # a stack of two
    return [Op("sx.asarray", (data,), (("dtype", Dt(d)),))]


def _basic_key(draw: Any, shape: tuple[int, ...]) -> Any:
    key: list[Any] = []
    ellipsis_at = draw(st.integers(-1, len(shape))) if draw(st.integers(0, 3)) == 0 else -2
    for i, n in enumerate(shape):
        if i == ellipsis_at:
            key.append(Ellipsis)
            break
        if draw(st.integers(0, 5)) == 0:
            key.append(None)
        kind = draw(st.sampled_from(["int", "slice", "slice", "bad"] if n else ["slice"]))
        if kind == "int":
            key.append(draw(st.integers(-n, n - 1)))
        elif kind == "bad" and draw(st.integers(0, 3)) == 0:
            key.append(draw(st.sampled_from([n, -n - 1])))  # IndexError on every backend
        else:
            bounds = st.sampled_from([None, *range(-n - 1, n + 2)])
            step = draw(st.sampled_from([None, 1, 2, -1, -2, 3]))
            key.append(slice(draw(bounds), draw(bounds), step))
        if len(key) >= len(shape) and draw(st.booleans()):
            break
    if draw(st.integers(0, 5)) == 0:
        key.append(None)
    if len(key) == 1 and draw(st.booleans()):
        return key[0]
    return tuple(key)


def gen_view(draw: Any, m: Machine) -> list[Op]:
    s = _slot(draw, m)
    if s is None:
        return []
    x = m.slots[s]
    nd = x.ndim
    kind = draw(
        st.sampled_from(
            ["getitem"] * 4
            + ["permute", "T", "mT", "reshape", "expand", "squeeze", "broadcast"]
            + ["unstack", "moveaxis", "flip"]
        )
    )
    if kind == "getitem":
        return [Op("x[k]", (s, _basic_key(draw, x.shape)))]
    if kind == "permute":
        perm = draw(st.permutations(list(range(nd))))
        if draw(st.integers(0, 5)) == 0:
            perm = perm[:-1]  # too short: ValueError
        return [Op("sx.permute_dims", (s, tuple(perm)))]
    if kind in ("T", "mT"):
        return [Op(f"x.{kind}", (s,))]
    if kind == "reshape":
        size = x.size
        divisors = [k for k in range(1, size + 1) if size and size % k == 0] or [0]
        a = draw(st.sampled_from(divisors))
        shape = draw(st.sampled_from([(size,), (a, -1), (-1, a, 1), (a,), (size, 1)]))
        return [Op("sx.reshape", (s, shape))]
    if kind == "expand":
        return [Op("sx.expand_dims", (s,), (("axis", draw(st.integers(-nd - 2, nd + 1))),))]
    if kind == "squeeze":
        ones = [i for i, n in enumerate(x.shape) if n == 1]
        ax = draw(st.sampled_from(ones + [0] if nd else [0]))
        return [Op("sx.squeeze", (s,), (("axis", ax),))]
    if kind == "broadcast":
        extra = draw(st.lists(st.sampled_from([1, 2, 3]), max_size=2))
        shape = tuple(extra) + tuple(
            draw(st.sampled_from([n, 2, 3])) if n == 1 else n for n in x.shape
        )
        ops = [Op("sx.broadcast_to", (s, shape))]
        if draw(st.booleans()):  # writing through a broadcast view: ValueError everywhere
            ops.append(Op("x[k]=v", (S(len(m.slots)), (), draw(scalars(_dtname(x))))))
        return ops
    if kind == "unstack":
        return [Op("sx.unstack", (s,), (("axis", _axis(draw, nd, none=False)),))]
    if kind == "moveaxis":
        a, b = _axis(draw, nd, none=False), _axis(draw, nd, none=False)
        return [Op("sx.moveaxis", (s, a, b))]
    return [Op("sx.flip", (s,), (("axis", _axis(draw, nd)),))]


@st.composite
def _value_for(draw: Any, m: Machine, x: Any, shape: tuple[int, ...]) -> Any:
    """A value to write into (part of) ``x``: a Python scalar, an array literal of the
    selection's shape (or a broadcastable one), or an existing slot."""
    kind = draw(st.sampled_from(["scalar", "scalar", "literal", "slot"]))
    d = _dtname(x)
    if kind == "scalar":
        return draw(scalars(draw(st.sampled_from([d, d, d, *DTYPES]))))
    if kind == "literal":
        vd = draw(st.sampled_from([d, d, *DTYPES]))
        shp = shape[draw(st.integers(0, len(shape))) :] if shape else ()
        return Lit(draw(literals(vd, shp)), vd)
    s = _slot(draw, m)
    return s if s is not None else 0


def _selected_shape(x: Any, key: Any) -> tuple[int, ...]:
    try:
        return tuple(x[key].shape)
    except Exception:  # noqa: BLE001 - a bad key: any value will do, the write fails
        return ()


def gen_write(draw: Any, m: Machine) -> list[Op]:
    s = _slot(draw, m)
    if s is None:
        return []
    x = m.slots[s]
    d = _dtname(x)
    kind = draw(st.sampled_from(["basic", "basic", "intarray", "mask", "iop", "method"]))
    if kind == "basic":
        key = _basic_key(draw, x.shape)
        return [Op("x[k]=v", (s, key, draw(_value_for(m, x, _selected_shape(x, key)))))]
    if kind == "intarray":
        if x.ndim == 0:
            return []
        n = x.shape[0]
        idx = draw(st.lists(st.integers(-n - 1, n) if n else st.integers(-1, 1), max_size=3))
        key = (
            Lit(idx, draw(st.sampled_from(["int64", "int32", "uint8"])))
            if idx
            else Lit([], "int64")
        )
        return [Op("x[k]=v", (s, key, draw(scalars(d))))]
    if kind == "mask":
        mask = draw(literals("bool", tuple(x.shape)))
        return [Op("x[k]=v", (s, Lit(mask, "bool"), draw(scalars(d))))]
    if kind == "iop":
        call = draw(st.sampled_from(list(_INPLACE)))
        return [Op(call, (s, draw(_value_for(m, x, tuple(x.shape)))), tol="round")]
    name = draw(
        st.sampled_from(
            ["add_", "mul_", "sub_", "fill_", "copy_", "clamp_", "zero_"]
            + ["sin_", "exp_", "sqrt_", "neg_", "abs_", "div_", "floor_"]
        )
    )
    if name in ("add_", "mul_", "sub_", "div_", "copy_"):
        v = draw(_value_for(m, x, tuple(x.shape)))
        if name == "copy_" and not isinstance(v, (S, Lit)):
            v = Lit(draw(literals(d, tuple(x.shape))), d)
        return [Op(f"x.{name}", (s, v), tol="round")]
    if name == "fill_":
        return [Op("x.fill_", (s, draw(scalars(draw(st.sampled_from([d, *DTYPES]))))))]
    if name == "clamp_":
        lo = draw(st.none() | scalars(d))
        hi = draw(st.none() | scalars(d))
        return [Op("x.clamp_", (s, lo, hi))]
    return [
        Op(
            f"x.{name}",
            (s,),
            tol="round" if name not in ("neg_", "abs_", "zero_", "floor_") else "exact",
        )
    ]


UNARY = {
    "abs": "exact", "negative": "exact", "sign": "exact", "floor": "exact", "ceil": "exact",
    "round": "exact", "trunc": "exact", "square": "exact", "isnan": "exact",
    "isfinite": "exact", "isinf": "exact", "signbit": "exact", "logical_not": "exact",
    "bitwise_invert": "exact", "real": "exact", "imag": "exact", "conj": "exact",
    "sin": "round", "cos": "round", "exp": "round", "log": "round", "sqrt": "round",
    "tanh": "round", "log1p": "round", "expm1": "round", "reciprocal": "round",
    "atan": "round",
}  # fmt: skip
BINARY = {
    "add": "exact", "subtract": "exact", "multiply": "exact", "divide": "round",
    "floor_divide": "exact", "remainder": "exact", "pow": "round", "maximum": "exact",
    "minimum": "exact", "equal": "exact", "less": "exact", "greater_equal": "exact",
    "bitwise_and": "exact", "bitwise_xor": "exact", "bitwise_left_shift": "exact",
    "logical_and": "exact", "atan2": "round", "copysign": "exact", "hypot": "round",
}  # fmt: skip


def gen_elementwise(draw: Any, m: Machine) -> list[Op]:
    s = _slot(draw, m)
    if s is None:
        return []
    x = m.slots[s]
    kind = draw(st.sampled_from(["unary", "binary", "binary", "operator", "scalar"]))
    if kind == "unary":
        name = draw(st.sampled_from(sorted(UNARY)))
        return [Op(f"sx.{name}", (s,), tol=UNARY[name])]
    if kind == "operator":
        call = draw(st.sampled_from(sorted(set(_OPERATORS) - {"x@y"})))
        other = draw(_value_for(m, x, tuple(x.shape)))
        args = (s, other) if draw(st.integers(0, 3)) else (other, s)
        tol = "round" if call in ("x/y", "x**y") else "exact"
        return [Op(call, args, tol=tol)]
    name = draw(st.sampled_from(sorted(BINARY)))
    if kind == "scalar":
        other: Any = draw(scalars(draw(st.sampled_from([_dtname(x), *DTYPES]))))
    else:
        other = _slot(draw, m)
    args = (s, other) if kind == "binary" or draw(st.booleans()) else (other, s)
    return [Op(f"sx.{name}", args, tol=BINARY[name])]


def _pick(draw: Any, m: Machine, names: list[str]) -> tuple[S, Any, str] | None:
    """A recent slot, its array, and one of ``names``; None when there are no slots yet."""
    s = _slot(draw, m)
    if s is None:
        return None
    return s, m.slots[s], draw(st.sampled_from(names))


REDUCTIONS = ["sum", "prod", "min", "max", "mean", "var", "std", "all", "any"]
REDUCTIONS += ["cumulative_sum", "count_nonzero"]


def gen_reduce(draw: Any, m: Machine) -> list[Op]:
    picked = _pick(draw, m, REDUCTIONS)
    if picked is None:
        return []
    s, x, name = picked
    kw: list[tuple[str, Any]] = []
    if name == "cumulative_sum":
        if x.ndim > 1 or draw(st.integers(0, 4)) == 0:
            kw.append(("axis", _axis(draw, x.ndim, none=False)))
        if draw(st.booleans()):
            kw.append(("include_initial", True))
    else:
        ax = _axis(draw, x.ndim)
        if ax is not None and x.ndim > 1 and draw(st.integers(0, 3)) == 0:
            ax = (0, x.ndim - 1)
        kw.append(("axis", ax))
        kw.append(("keepdims", draw(st.booleans())))
    if name in ("var", "std") and draw(st.booleans()):
        kw.append(("correction", 1))
    exact = name in ("min", "max", "all", "any", "count_nonzero")
    return [Op(f"sx.{name}", (s,), tuple(kw), tol="exact" if exact else "reduce")]


def gen_sort(draw: Any, m: Machine) -> list[Op]:
    names = ["sort", "argsort", "argmax", "argmin", "where", "nonzero", "searchsorted"]
    picked = _pick(draw, m, names)
    if picked is None:
        return []
    s, x, name = picked
    if name in ("sort", "argsort"):
        kw = [("axis", _axis(draw, x.ndim, none=False, bad=False) if x.ndim else -1)]
        kw += [("descending", draw(st.booleans())), ("stable", True)]
        return [Op(f"sx.{name}", (s,), tuple(kw))]
    if name in ("argmax", "argmin"):
        kw = [("axis", _axis(draw, x.ndim)), ("keepdims", draw(st.booleans()))]
        return [Op(f"sx.{name}", (s,), tuple(kw))]
    if name == "where":
        c = _slot(draw, m, lambda y: y.dtype == sx.bool) or s
        other = draw(_value_for(m, x, tuple(x.shape)))
        return [Op("sx.where", (c, s, other))]
    if name == "nonzero":
        return [Op("sx.nonzero", (s,))]
    n = len(m.slots)
    side = (("side", draw(st.sampled_from(["left", "right"]))),)
    sorted_op = Op("sx.sort", (s,), (("axis", -1),))
    return [sorted_op, Op("sx.searchsorted", (S(n), draw(_value_for(m, x, ()))), side)]


def gen_linalg(draw: Any, m: Machine) -> list[Op]:
    s = _slot(draw, m, lambda y: y.ndim >= 2) or _slot(draw, m)
    if s is None:
        return []
    name = draw(st.sampled_from(["matmul", "inv", "solve", "det", "cholesky", "eigh", "svd", "qr"]))
    if name == "matmul":
        t = _slot(draw, m)
        return [Op("sx.matmul", (s, t), tol="reduce")]
    if name == "solve":
        t = _slot(draw, m)
        return [Op("sx.linalg.solve", (s, t), tol="linalg")]
    if name == "svd":
        return [Op("sx.linalg.svd", (s,), (("full_matrices", False),), tol="svd")]
    if name in ("eigh", "qr"):
        return [Op(f"sx.linalg.{name}", (s,), tol=name)]
    return [Op(f"sx.linalg.{name}", (s,), tol="linalg")]


def gen_cast(draw: Any, m: Machine) -> list[Op]:
    s = _slot(draw, m)
    if s is None:
        return []
    d = Dt(draw(st.sampled_from(DTYPES)))
    if draw(st.booleans()):
        return [Op("sx.astype", (s, d), (("copy", draw(st.booleans())),), tol="cast")]
    return [Op("x.to", (s, d), tol="cast")]


GENERATORS = (
    (gen_create, 5),
    (gen_matrix, 1),
    (gen_view, 5),
    (gen_write, 5),
    (gen_elementwise, 4),
    (gen_reduce, 2),
    (gen_sort, 2),
    (gen_linalg, 2),
    (gen_cast, 2),
)
_WEIGHTED = [g for g, w in GENERATORS for _ in range(w)]


def next_ops(draw: Any, m: Machine) -> list[Op]:
    """The next op(s) of a program, drawn from the reference run ``m``'s state."""
    if not m.slots:
        return gen_create(draw, m) if draw(st.booleans()) else gen_matrix(draw, m)
    return draw(st.sampled_from(_WEIGHTED))(draw, m)
