"""What a backend's devices hold: the checks every layer shares (no backend imported).

A backend module declares ``x64`` (whether its devices hold the 64-bit types),
``supported_dtypes`` and ``unsupported_note`` (the reason, for error messages). These
helpers answer, for a dtype storax chose or was asked for, what a result on such a device
gets (docs/backends.md, "Without 64-bit types").
"""

from __future__ import annotations

from typing import Any

import numpy as np

# The 64-bit type of each kind -> its 32-bit type (a device without 64-bit types).
NARROW: dict[np.dtype[Any], np.dtype[Any]] = {
    np.dtype("int64"): np.dtype("int32"),
    np.dtype("uint64"): np.dtype("uint32"),
    np.dtype("float64"): np.dtype("float32"),
    np.dtype("complex128"): np.dtype("complex64"),
}


def _where(backend: Any, device: Any) -> Any:
    return device if device is not None else backend.default_device()


def check_supported(dtype: Any, backend: Any, device: Any, func: str) -> None:
    """TypeError naming ``func`` when ``backend``'s ``device`` does not hold ``dtype``
    (one the caller asked for: ``dtype=``, ``astype``, a move)."""
    if not backend.x64 and dtype not in backend.supported_dtypes:
        raise TypeError(
            f"{func}: dtype {dtype} is not supported on device {_where(backend, device)}"
            f"{backend.unsupported_note}"
        )
    if device is not None and dtype not in backend.device_dtypes(device):
        # a device that lacks types its backend's others hold (torch's MPS: no float64)
        raise TypeError(
            f"{func}: dtype {dtype} is not supported on device {_where(backend, device)}"
            f"{backend.unsupported_note}"
        )


def lacks(dtype: Any, backend: Any, device: Any) -> bool:
    """Whether ``backend``'s ``device`` (None: its default device) lacks the 64-bit type
    ``dtype`` that its backend holds elsewhere (torch's MPS: float64, complex128)."""
    held = backend.device_dtypes(device)
    # (a device that holds every dtype of its backend gives the backend's own tuple back:
    # one identity test on the hot paths, not a scan comparing dtypes)
    return held is not backend.supported_dtypes and dtype in NARROW and dtype not in held


def narrowed_for(dtype: Any, backend: Any, device: Any) -> Any:
    """A dtype storax chose (a default, an intermediate) on ``device``: its 32-bit type
    where the device lacks it (no 64-bit types, or none of that kind: MPS)."""
    if backend.x64:
        return NARROW[dtype] if lacks(dtype, backend, device) else dtype
    return NARROW.get(dtype, dtype)


def promoted(dtype: Any, backend: Any, device: Any, func: str | None) -> Any:
    """A dtype that type promotion chose for a result on ``backend``'s ``device``.

    On a device without 64-bit types, or without 64-bit floating-point ones (torch's MPS),
    a 64-bit floating-point (complex) result is computed in float32 (complex64), as
    jax.numpy does without x64 and torch does on MPS: the precision the device has.
    A 64-bit integer result (``int32`` with ``uint32``, which the standard promotes to
    ``int64``) raises TypeError naming ``func`` (None: the caller names it): narrowing
    it would change values.
    """
    if backend.x64:
        if not lacks(dtype, backend, device):
            return dtype
    elif dtype in backend.supported_dtypes:
        return dtype
    if dtype.kind in "fc":
        return NARROW[dtype]
    prefix = "" if func is None else f"{func}: "
    raise TypeError(
        f"{prefix}the operands promote to {dtype}, which device {_where(backend, device)} "
        f"does not support{backend.unsupported_note}; cast them to a common 32-bit dtype first"
    )


def narrow_host(value: Any, backend: Any, device: Any) -> Any:
    """64-bit NumPy data bound for a device without 64-bit types, in the 32-bit type of its
    kind (as ``asarray`` puts it there); OverflowError for integers that do not fit."""
    d = NARROW[value.dtype]
    if d.kind in "iu" and value.size:
        info = np.iinfo(d)
        if value.min() < info.min or value.max() > info.max:
            raise OverflowError(
                f"a NumPy {value.dtype} operand holds values beyond {d}, the widest "
                f"integer type on device {_where(backend, device)}{backend.unsupported_note}"
            )
    return value.astype(d)
