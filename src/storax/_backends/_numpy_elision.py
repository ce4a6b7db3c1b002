"""Temporary elision: ``(a * 2) + b`` reuses the buffer of the temporary ``a * 2``.

NumPy computes such chains with one temporary instead of two: when an operand of a binary
operation is a large array that nothing else refers to (reference count 1, and the
caller is the interpreter executing the operator, not C code that might still hold the
object), it writes the result into that operand. A storax Array holds its NumPy value,
so NumPy never sees a temporary; storax makes the same check one level up:

- the operand is large (≥ 256 KiB, NumPy's threshold: below it elision does not pay);
- the storax Array is referenced only by the interpreter's stack (its reference count,
  calibrated at import on this interpreter) and the NumPy value only by that Array (no
  view, no ``storage()``, no export was taken of it; ``base is None``: it owns its memory);
- the calling frame is executing a binary operator (``BINARY_OP``), so the operand is an
  unnamed temporary of Python code, never an object C code still holds;
- the result has the operand's dtype and shape (an ``add``/``subtract``/``multiply``/
  ``divide`` ufunc with a same-dtype array or a Python scalar that does not promote).

Where the interpreter's reference counts do not tell a temporary from a named array (a
future CPython), calibration fails and elision stays off: results are never affected,
only peak memory.
"""

from __future__ import annotations

import dis
import sys
from typing import Any

import numpy as np

_ndarray = np.ndarray
_getrefcount = sys.getrefcount
_getframe = sys._getframe
MIN_BYTES = 256 * 1024
# func name -> the dtype kinds whose result keeps the operand's dtype
KINDS = {"add": "iufc", "subtract": "iufc", "multiply": "iufc", "divide": "fc"}
_BINARY_OP = dis.opmap.get("BINARY_OP", -1)
# Python scalars that keep an array's dtype (NumPy 2's weak scalars), by array kind
_SCALARS = {"i": (int,), "u": (int,), "f": (int, float), "c": (int, float, complex)}


class _Probe:
    __slots__ = ("_value",)

    def __init__(self) -> None:
        self._value = object()

    def __add__(self, other: Any) -> Any:
        v = self._value
        _seen.append((_getrefcount(self), _getrefcount(v), other))
        return _Probe()


_seen: list[tuple[int, int, Any]] = []


def _calibrate() -> tuple[int, int] | None:
    """The reference counts (Array, its value) of a temporary operand inside a binary
    operator; None when a named operand can show the same counts."""
    named = _Probe()
    _ = (_Probe() + 1) + 2  # the second addition's operand is a temporary
    _ = named + 3
    _ = [named][0] + 4  # also referenced by a list
    by_tag = {tag: (rc_self, rc_value) for rc_self, rc_value, tag in _seen}
    _seen.clear()
    temporary = by_tag[2]
    if by_tag[1] != temporary or temporary in (by_tag[3], by_tag[4]):
        return None
    return temporary


_COUNTS = _calibrate() if _BINARY_OP >= 0 else None


def can_reuse(array: Any, v: Any, other: Any, kinds: str) -> bool:
    """Whether ``array`` (a storax Array whose value is ``v``), an operand of a binary
    operator called from Python code, is a temporary whose buffer may hold the result."""
    if _COUNTS is None or v.nbytes < MIN_BYTES or v.dtype.kind not in kinds:
        return False
    # +1 for this function's own argument and local references
    if _getrefcount(array) != _COUNTS[0] + 1 or _getrefcount(v) != _COUNTS[1] + 1:
        return False
    if v.base is not None or not v.flags.writeable:
        return False
    if type(other) is _ndarray:
        if other.dtype != v.dtype or other.ndim > v.ndim:
            return False
        for a, b in zip(reversed(other.shape), reversed(v.shape), strict=False):
            if a != b and a != 1:
                return False
    elif type(other) not in _SCALARS[v.dtype.kind]:
        return False
    frame = _getframe(2)  # the caller of the operator
    return frame.f_code.co_code[frame.f_lasti] == _BINARY_OP
