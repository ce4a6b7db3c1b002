"""The device names tests expect, so the same tests pass on a CPU and on a GPU machine."""

from __future__ import annotations


def _jax_default() -> str:
    try:
        import jax
    except ImportError:  # the NumPy-only install: no JAX device
        return "jax:cpu:0"
    d = jax.devices()[0]
    return f"jax:{d.platform}:{d.id}"


# The device JAX-backend arrays land on by default: "jax:cpu:0" here, "jax:gpu:0" on a GPU.
JAX_DEV = _jax_default()


def on_host(x) -> bool:
    """Whether the array ``x`` lives in host memory (NumPy, or JAX or torch on the CPU)."""
    return str(x.device) in ("cpu", "jax:cpu:0", "torch:cpu")


def np_from_dlpack(x, **kwargs):
    """``np.from_dlpack(x)``; for an array in accelerator memory, which NumPy cannot
    import (BufferError), a host copy asked for with ``device="cpu"``."""
    import numpy as np

    if on_host(x):
        return np.from_dlpack(x, **kwargs)
    return np.from_dlpack(x, device="cpu", **kwargs)


# The device torch-backend arrays land on by default.
TORCH_DEV = "torch:cpu"


def default_dev() -> str:
    """The device new arrays land on, on the backend chosen (``STORAX_BACKEND``)."""
    import storax as sx

    return {"numpy": "cpu", "jax": JAX_DEV, "torch": TORCH_DEV}[sx.get_backend()]


def shares_host_memory() -> bool:
    """Whether the chosen backend's arrays share memory with NumPy (``x.numpy()``): NumPy,
    and torch on the CPU."""
    return default_dev() in ("cpu", TORCH_DEV)
