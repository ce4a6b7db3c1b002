"""Size limits: arguments that size a result are checked with Python ints before allocating.

The rule (docs/design.md, "Huge arguments"): a result may have at most ``MAX_NDIM``
dimensions and at most ``MAX_BYTES`` bytes (what an int64 byte count addresses: NumPy's
``npy_intp`` and XLA's extents are 64-bit). A request beyond that is a ValueError naming
the function, raised before the backend is asked (JAX aborts the process on some such
requests). A request within the limits that the machine cannot hold is the backend's
out-of-memory error, re-raised as a MemoryError naming the function.
"""

from __future__ import annotations

import math
from typing import Any

MAX_NDIM = 64
MAX_BYTES = 2**63 - 1


def _show(shape: tuple[int, ...]) -> str:
    if len(shape) <= 8:
        return str(tuple(shape))
    return f"({', '.join(map(str, shape[:4]))}, ... {len(shape)} dimensions)"


def check_ndim(ndim: int, func: str) -> None:
    """ValueError when a result would have more than MAX_NDIM dimensions."""
    if ndim > MAX_NDIM:
        raise ValueError(
            f"{func}: the result would have {ndim} dimensions; arrays have at most {MAX_NDIM}"
        )


def check_shape(shape: tuple[int, ...], itemsize: int, func: str) -> None:
    """ValueError when an array of ``shape`` (non-negative ints) cannot exist."""
    check_ndim(len(shape), func)
    n = math.prod(shape)
    if n * max(itemsize, 1) > MAX_BYTES:  # (the message is built only when it fails)
        check_count(n, itemsize, func, f"a result of shape {_show(shape)}")


def check_count(n: int | float, itemsize: int, func: str, what: str) -> None:
    """ValueError when ``n`` elements of ``itemsize`` bytes exceed MAX_BYTES."""
    if n * max(itemsize, 1) > MAX_BYTES:
        raise ValueError(
            f"{func}: {what} needs {int(n)} elements of {itemsize} bytes, more than an "
            f"array can hold (2**63 - 1 bytes)"
        )


# The messages of allocation failures that are not MemoryErrors: XLA's status code, torch's
# CPU allocator and its CUDA/MPS allocators (RuntimeErrors).
_OOM_MESSAGES = ("RESOURCE_EXHAUSTED", "can't allocate memory", "out of memory")


def out_of_memory(e: BaseException, func: str) -> BaseException:
    """``e`` as a MemoryError naming ``func`` when it reports an allocation failure
    (NumPy's MemoryError, XLA's RESOURCE_EXHAUSTED, torch's allocators' RuntimeErrors);
    otherwise ``e`` itself."""
    message = str(e)
    if isinstance(e, MemoryError) or any(m in message for m in _OOM_MESSAGES):
        return MemoryError(f"{func}: out of memory: {e}")
    return e


def allocate(func: str, make: Any, *args: Any, **kwargs: Any) -> Any:
    """``make(*args, **kwargs)``, with out-of-memory errors naming ``func``."""
    try:
        return make(*args, **kwargs)
    except Exception as e:
        err = out_of_memory(e, func)
        if err is e:
            raise
        raise err from None


def failed(e: BaseException, shape: tuple[int, ...], itemsize: int, func: str) -> BaseException:
    """The error to raise when allocating ``shape`` failed with ``e``: the ValueError of
    :func:`check_shape` when the shape is beyond the limits, else :func:`out_of_memory`."""
    check_shape(shape, itemsize, func)
    return out_of_memory(e, func)
