"""Pickling of arrays: the data of the view, as a contiguous NumPy array."""

from __future__ import annotations

from typing import Any


def _rebuild(value: Any) -> Any:
    from .._creation_functions import from_numpy

    return from_numpy(value)


def array_reduce(x: Any, protocol: int) -> Any:
    return (_rebuild, (x._value.copy() if not x._value.flags.c_contiguous else x._value,))


def array_getstate(x: Any) -> Any:
    return {"value": x._value}


def array_setstate(x: Any, state: Any) -> None:
    x._value = state["value"]
