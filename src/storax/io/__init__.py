"""Serialization: storax's native format, HDF5, NumPy/safetensors adapters, pickling.

``storax.save``/``storax.load`` write and read the native format (docs/format.md);
``storax.io`` also holds the HDF5 and adapter functions and :class:`FormatError`.
"""

from __future__ import annotations

from . import _pickle  # noqa: F401  (registers the pickling of Storage objects)
from ._adapters import load_npy, load_npz, load_safetensors, save_npy, save_npz, save_safetensors
from ._common import FormatError
from ._hdf5 import HDF5Dataset, HDF5Group, load_hdf5, open_hdf5, save_hdf5
from ._native import load, save

__all__ = [
    "FormatError",
    "HDF5Dataset",
    "HDF5Group",
    "load",
    "load_hdf5",
    "load_npy",
    "load_npz",
    "load_safetensors",
    "open_hdf5",
    "save",
    "save_hdf5",
    "save_npy",
    "save_npz",
    "save_safetensors",
]
