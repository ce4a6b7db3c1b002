"""Data types: the standard's dtypes as NumPy dtype objects, their categories and promotion.

# Note: storax's dtypes *are* ``numpy.dtype`` objects (as in jax.numpy), so this is the one
# module outside ``_backends`` that imports NumPy: array-API clients read ``dtype.kind`` and
# ``itemsize``, and NumPy interop costs nothing.
"""

from __future__ import annotations

import builtins
from typing import Any

import numpy as np

bool = np.dtype("bool")
int8 = np.dtype("int8")
int16 = np.dtype("int16")
int32 = np.dtype("int32")
int64 = np.dtype("int64")
uint8 = np.dtype("uint8")
uint16 = np.dtype("uint16")
uint32 = np.dtype("uint32")
uint64 = np.dtype("uint64")
float32 = np.dtype("float32")
float64 = np.dtype("float64")
complex64 = np.dtype("complex64")
complex128 = np.dtype("complex128")

DType = np.dtype

_SIGNED = (int8, int16, int32, int64)
_UNSIGNED = (uint8, uint16, uint32, uint64)
_INTEGER = _SIGNED + _UNSIGNED
_REAL_FLOATING = (float32, float64)
_COMPLEX_FLOATING = (complex64, complex128)
_FLOATING = _REAL_FLOATING + _COMPLEX_FLOATING
_NUMERIC = _INTEGER + _FLOATING
ALL_DTYPES = (bool,) + _NUMERIC

# Categories keyed by the words the specification uses in its "Parameters" sections.
CATEGORIES: dict[str, frozenset[np.dtype]] = {
    "any": frozenset(ALL_DTYPES),
    "boolean": frozenset((bool,)),
    "signed integer": frozenset(_SIGNED),
    "unsigned integer": frozenset(_UNSIGNED),
    "integer": frozenset(_INTEGER),
    "integer or boolean": frozenset(_INTEGER + (bool,)),
    "real floating-point": frozenset(_REAL_FLOATING),
    "complex floating-point": frozenset(_COMPLEX_FLOATING),
    "floating-point": frozenset(_FLOATING),
    "real-valued": frozenset(_INTEGER + _REAL_FLOATING),
    "real-valued or boolean": frozenset(_INTEGER + _REAL_FLOATING + (bool,)),
    "numeric": frozenset(_NUMERIC),
}
STANDARD_DTYPES = CATEGORIES["any"]

# isdtype() kinds (the spec's names for them).
ISDTYPE_KINDS: dict[str, frozenset[np.dtype]] = {
    "bool": CATEGORIES["boolean"],
    "signed integer": CATEGORIES["signed integer"],
    "unsigned integer": CATEGORIES["unsigned integer"],
    "integral": CATEGORIES["integer"],
    "real floating": CATEGORIES["real floating-point"],
    "complex floating": CATEGORIES["complex floating-point"],
    "numeric": CATEGORIES["numeric"],
}


def _build_promotion_table() -> dict[tuple[np.dtype, np.dtype], np.dtype]:
    """The standard's type promotion table (same-kind promotion only)."""
    table: dict[tuple[np.dtype, np.dtype], np.dtype] = {(bool, bool): bool}
    lattices: tuple[tuple[np.dtype, ...], ...] = (
        _SIGNED,
        _UNSIGNED,
        _REAL_FLOATING,
        _COMPLEX_FLOATING,
    )
    for lattice in lattices:
        for i, a in enumerate(lattice):
            for j, b in enumerate(lattice):
                table[a, b] = lattice[builtins.max(i, j)]
    # Mixed signed/unsigned integers: the smallest signed type that holds both.
    r: np.dtype
    for u in _UNSIGNED:
        for s in _SIGNED:
            if u.itemsize < s.itemsize:
                r = s
            elif u.itemsize < 8:
                r = np.dtype(f"int{2 * u.itemsize * 8}")
            else:
                continue  # uint64 with a signed type: not defined by the standard
            table[u, s] = table[s, u] = r
    # Real floating with complex floating.
    for f in _REAL_FLOATING:
        for c in _COMPLEX_FLOATING:
            r = complex128 if f == float64 or c == complex128 else complex64
            table[f, c] = table[c, f] = r
    return table


PROMOTION_TABLE = _build_promotion_table()


def promote(a: np.dtype, b: np.dtype, *, func: str = "result_type") -> np.dtype:
    """Promote two standard dtypes.

    The standard table first; for cross-kind pairs the standard leaves undefined
    (int x float, uint64 x signed, bool x number) storax follows NumPy.
    """
    try:
        return PROMOTION_TABLE[a, b]
    except KeyError:
        pass
    if a not in STANDARD_DTYPES or b not in STANDARD_DTYPES:
        bad = a if a not in STANDARD_DTYPES else b
        raise TypeError(f"{func}: {bad!r} is not a data type of the array API standard")
    # Note: cross-kind promotion is implementation-defined; storax follows NumPy.
    return np.promote_types(a, b)


def check_dtype(dtype: object, func: str) -> np.dtype:
    """Validate a ``dtype=`` argument and return it as a standard dtype."""
    if isinstance(dtype, np.dtype):
        if dtype in STANDARD_DTYPES:
            return dtype
    elif isinstance(dtype, type) and issubclass(dtype, np.generic):
        d = np.dtype(dtype)
        if d in STANDARD_DTYPES:
            return d
    elif isinstance(dtype, str):
        try:
            d = np.dtype(dtype)
        except TypeError:
            d = None
        if d is not None and d in STANDARD_DTYPES:
            return d
    elif dtype is builtins.bool or dtype is int or dtype is float or dtype is complex:
        # Note: as NumPy and PyTorch, accept Python's types (SciPy writes
        # ``xp.zeros(n, dtype=bool)``): bool, int64, float64, complex128.
        return np.dtype(dtype)
    raise TypeError(f"{func}: {dtype!r} is not a data type of the array API standard")


def check_category(dtype: np.dtype, category: str, func: str) -> None:
    """Raise TypeError naming ``func`` unless ``dtype`` is in the spec's ``category``."""
    if dtype not in CATEGORIES[category]:
        raise TypeError(f"{func}: expected an array of {category} data type, got {dtype}")


_INT_RANGES: dict[np.dtype, tuple[int, int]] = {}


def int_range(dtype: np.dtype) -> tuple[int, int]:
    """The smallest and largest value of an integer (or bool) dtype, as Python ints."""
    r = _INT_RANGES.get(dtype)
    if r is None:  # np.iinfo costs a few µs: once per dtype
        if dtype.kind == "b":
            r = (0, 1)
        else:
            info = np.iinfo(dtype)
            r = (int(info.min), int(info.max))
        _INT_RANGES[dtype] = r
    return r


def can_cast_same_kind(from_: np.dtype, to: np.dtype) -> builtins.bool:
    """Whether a value of ``from_`` may be written into ``to`` by an in-place operation
    (NumPy's ``same_kind`` casting, as NumPy and PyTorch in-place operators use)."""
    return builtins.bool(np.can_cast(from_, to, casting="same_kind"))


def finfo_eps(dtype: np.dtype) -> float:
    """Machine epsilon of a floating dtype (of the real part, for complex dtypes)."""
    return float(np.finfo(dtype).eps)


def is_numpy_scalar(value: object) -> builtins.bool:
    """Whether ``value`` is a NumPy scalar (``numpy.float64(1.0)``, ``numpy.bool_``...)."""
    return isinstance(value, np.generic)


def is_bool_scalar(value: object) -> builtins.bool:
    """Whether ``value`` is a Python or NumPy bool."""
    return isinstance(value, (builtins.bool, np.bool_))


def finfo_of(dtype: np.dtype) -> Any:
    """NumPy's machine limits of a floating dtype (storax's dtypes are NumPy's)."""
    return np.finfo(dtype)


def iinfo_of(dtype: np.dtype) -> Any:
    """NumPy's limits of an integer dtype."""
    return np.iinfo(dtype)


def as_dtype(value: Any) -> np.dtype:
    """``value`` (a dtype, a scalar type or a name) as a dtype object, unchecked."""
    return np.dtype(value)


def weak_result_type(dtype: np.dtype, scalar: Any) -> np.dtype:
    """The dtype of combining an array of ``dtype`` with a Python scalar (NEP 50)."""
    return np.result_type(dtype, scalar)
