"""HDF5 through h5py: save/load nested dicts of arrays, and lazy reads of dataset regions.

Note: HDF5 is a complex binary format parsed by the HDF5 C library; files from untrusted
sources are not safe to open (the library has had memory-safety bugs on crafted files).
"""

from __future__ import annotations

import builtins
import operator
import os
from typing import Any

import numpy as np

from storax._array_object import Array

from ._common import (
    LE_DTYPES,
    FormatError,
    atomic_path,
    c_contiguous,
    host,
    is_path,
    native,
    to_current,
)

__all__ = ["HDF5Dataset", "HDF5Group", "load_hdf5", "open_hdf5", "save_hdf5"]

#: Attribute marking a dataset that holds a Python scalar or str (not an array).
_PY_ATTR = "storax_python"
#: Root attribute marking a file whose whole content is one array (dataset ``"array"``).
_ROOT_ATTR = "storax_root"


def _h5py() -> Any:
    try:
        import h5py
    except ImportError:
        raise ImportError(
            "storax.io: HDF5 support needs h5py (pip install 'storax[hdf5]')"
        ) from None
    return h5py


# --------------------------------------------------------------------------------- saving
def _write_group(group: Any, obj: dict[Any, Any], depth: int) -> None:
    if depth > 64:
        raise ValueError("save_hdf5: the dict is nested deeper than 64 levels")
    for key, value in obj.items():
        if not isinstance(key, str) or not key or "/" in key or key in (".", ".."):
            raise ValueError(f"save_hdf5: {key!r} is not a valid HDF5 name (non-empty str, no '/')")
        if isinstance(value, Array):
            group.create_dataset(key, data=c_contiguous(host(value)))
        elif isinstance(value, dict):
            _write_group(group.create_group(key), value, depth + 1)
        elif isinstance(value, builtins.bool | int | float | complex):
            if isinstance(value, int) and not isinstance(value, builtins.bool):
                if not -(2**63) <= value < 2**63:
                    raise ValueError(f"save_hdf5: the int under {key!r} does not fit in int64")
            group.create_dataset(key, data=value)
            group[key].attrs[_PY_ATTR] = type(value).__name__
        elif isinstance(value, str):
            group.create_dataset(key, data=value, dtype=_h5py().string_dtype("utf-8"))
            group[key].attrs[_PY_ATTR] = "str"
        else:
            raise TypeError(
                f"save_hdf5: cannot save an object of type {type(value).__name__} under {key!r} "
                "(supported: storax arrays, dict with str keys, bool, int, float, complex, str)"
            )


def save_hdf5(obj: Array | dict[str, Any], file: Any) -> None:
    """Save an array, or a nested dict of arrays and Python scalars/str, to an HDF5 file.

    Dicts become groups and arrays become datasets (contiguous copies: strides and storage
    sharing are not kept). A single array is stored as the dataset ``"array"``. A path is
    written atomically; an open ``h5py.Group`` is written into.

    Examples
    --------
    >>> import storax as sx, tempfile, os
    >>> path = os.path.join(tempfile.mkdtemp(), "points.h5")
    >>> sx.io.save_hdf5({"coords": sx.reshape(sx.arange(8.0), (4, 2))}, path)
    >>> with sx.io.open_hdf5(path) as f:
    ...     f["coords"][-2:].tolist()
    [[4.0, 5.0], [6.0, 7.0]]
    """
    h5py = _h5py()
    if isinstance(obj, Array):
        content: dict[str, Any] = {"array": obj}
    elif isinstance(obj, dict):
        content = obj
    else:
        raise TypeError(f"save_hdf5: expected an array or a dict, got {type(obj).__name__}")
    if isinstance(file, h5py.Group):
        _write_group(file, content, 0)
        if isinstance(obj, Array):
            file.attrs[_ROOT_ATTR] = "array"
        return
    if not is_path(file):
        raise TypeError(f"save_hdf5: expected a path or an h5py.Group, got {type(file).__name__}")
    with atomic_path(file) as tmp, h5py.File(tmp, "w") as f:
        _write_group(f, content, 0)
        if isinstance(obj, Array):
            f.attrs[_ROOT_ATTR] = "array"


# -------------------------------------------------------------------------------- loading
def _check_dtype(dtype: Any, name: str, func: str) -> None:
    if dtype.name not in LE_DTYPES or dtype.kind not in "biufc":
        raise FormatError(
            f"{func}: dataset {name!r} has dtype {dtype}, which storax does not support"
        )


def _python_value(dset: Any) -> Any:
    kind = dset.attrs[_PY_ATTR]
    kind = kind.decode() if isinstance(kind, bytes) else str(kind)
    value = dset[()]
    if kind == "str":
        return value.decode("utf-8") if isinstance(value, bytes) else str(value)
    convert = {"bool": builtins.bool, "int": int, "float": float, "complex": complex}.get(kind)
    if convert is None:
        raise FormatError(f"load_hdf5: dataset {dset.name!r} has unknown kind {kind!r}")
    return convert(value.item() if hasattr(value, "item") else value)


class HDF5Dataset:
    """A dataset of an open HDF5 file; indexing it reads only the selected region.

    Supports ints, slices (any step, negative too: the positive region is read, then
    flipped in memory), ``...`` and ``None``. ``read()`` (or ``d[...]``) reads everything.
    """

    def __init__(self, dset: Any) -> None:
        self._dset = dset
        _check_dtype(dset.dtype, dset.name, "open_hdf5")

    @property
    def shape(self) -> tuple[int, ...]:
        return tuple(self._dset.shape)

    @property
    def dtype(self) -> Any:
        return native(np.empty(0, dtype=self._dset.dtype)).dtype

    @property
    def ndim(self) -> int:
        return len(self._dset.shape)

    @property
    def size(self) -> int:
        return int(np.prod(self._dset.shape, dtype=np.int64))

    @property
    def name(self) -> str:
        return str(self._dset.name)

    def __len__(self) -> int:
        if not self.shape:
            raise TypeError("HDF5Dataset: len() of a 0-d dataset")
        return self.shape[0]

    def __repr__(self) -> str:
        return f"<storax HDF5Dataset {self.name!r}: shape {self.shape}, dtype {self.dtype}>"

    def read(self) -> Array:
        """The whole dataset as an array."""
        return self[...]

    def __getitem__(self, key: Any) -> Array:
        shape = self.shape
        items = key if isinstance(key, tuple) else (key,)
        n_ell = sum(1 for k in items if k is Ellipsis)
        if n_ell > 1:
            raise IndexError("HDF5Dataset.__getitem__: an index can only have one ellipsis")
        n_axes = sum(1 for k in items if k is not None and k is not Ellipsis)
        if n_axes > len(shape):
            raise IndexError(
                f"HDF5Dataset.__getitem__: too many indices ({n_axes}) for {len(shape)}-D data"
            )
        expanded: list[Any] = []
        for k in items:
            if k is Ellipsis:
                expanded.extend([slice(None)] * (len(shape) - n_axes))
            else:
                expanded.append(k)
        if not n_ell:
            expanded.extend([slice(None)] * (len(shape) - n_axes))
        h5key: list[Any] = []
        post: list[Any] = []  # applied to the region read: flips and new axes
        out_shape: list[int] = []
        axis = 0
        for k in expanded:
            if k is None:
                post.append(None)
                continue
            n = shape[axis]
            if isinstance(k, slice):
                start, stop, step = k.indices(n)
                count = len(range(start, stop, step))
                out_shape.append(count)
                if count == 0:
                    h5key.append(slice(0, 0))
                    post.append(slice(None))
                elif step > 0:
                    h5key.append(slice(start, start + (count - 1) * step + 1, step))
                    post.append(slice(None))
                else:
                    low = start + (count - 1) * step
                    h5key.append(slice(low, start + 1, -step))
                    post.append(slice(None, None, -1))
            else:
                if isinstance(k, builtins.bool) or not hasattr(k, "__index__"):
                    raise TypeError(
                        "HDF5Dataset.__getitem__: only ints, slices, ..., and None are "
                        f"supported, got {type(k).__name__}"
                    )
                i = operator.index(k)
                if not -n <= i < n:
                    raise IndexError(
                        f"HDF5Dataset.__getitem__: index {i} is out of range for axis {axis} "
                        f"with size {n}"
                    )
                h5key.append(i % n)
            axis += 1
        dtype = self.dtype
        if 0 in out_shape:
            region = np.empty(tuple(out_shape), dtype=dtype)
        else:
            region = native(np.asarray(self._dset[tuple(h5key)]))
        return to_current(region[tuple(post)])


class HDF5Group:
    """A group of an HDF5 file opened by :func:`open_hdf5`: a lazy, read-only mapping.

    ``g[name]`` is an :class:`HDF5Group`, an :class:`HDF5Dataset`, or the Python
    scalar/str stored there. ``g.read()`` loads everything below it into memory.
    """

    def __init__(self, group: Any, file: Any = None) -> None:
        self._group = group
        self._file = file

    def __getitem__(self, name: str) -> Any:
        if not isinstance(name, str):
            raise TypeError(f"HDF5Group: names are str, got {type(name).__name__}")
        try:
            item = self._group[name]
        except KeyError:
            raise KeyError(f"HDF5Group: no member {name!r} in {self._group.name!r}") from None
        h5py = _h5py()
        if isinstance(item, h5py.Group):
            return HDF5Group(item)
        if isinstance(item, h5py.Dataset):
            if _PY_ATTR in item.attrs:
                return _python_value(item)
            return HDF5Dataset(item)
        raise FormatError(f"open_hdf5: member {name!r} is neither a group nor a dataset")

    def keys(self) -> list[str]:
        return list(self._group.keys())

    def __iter__(self) -> Any:
        return iter(self.keys())

    def __len__(self) -> int:
        return len(self._group)

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and name in self._group

    def __repr__(self) -> str:
        return f"<storax HDF5Group {self._group.name!r}: {self.keys()}>"

    def read(self) -> Any:
        """Everything below this group, read into memory (dicts of arrays/scalars)."""
        out: dict[str, Any] = {}
        for name in self.keys():
            item = self[name]
            out[name] = item.read() if isinstance(item, HDF5Group | HDF5Dataset) else item
        if self._group.name == "/" and _ROOT_ATTR in self._group.attrs:
            if set(out) != {"array"} or not isinstance(out["array"], Array):
                raise FormatError("load_hdf5: a single-array file must hold one 'array' dataset")
            return out["array"]
        return out

    def close(self) -> None:
        """Close the file (if this group opened it)."""
        if self._file is not None:
            self._file.close()

    def __enter__(self) -> HDF5Group:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_hdf5(file: Any) -> HDF5Group:
    """Open an HDF5 file read-only and lazily: nothing is read until a dataset is indexed.

    Use as a context manager (or call ``close()``). ``file`` is a path or a binary file
    object. HDF5 files from untrusted sources are not safe to open.

    Examples
    --------
    >>> import storax as sx, tempfile, os
    >>> path = os.path.join(tempfile.mkdtemp(), "x.h5")
    >>> sx.io.save_hdf5({"x": sx.arange(5)}, path)
    >>> with sx.io.open_hdf5(path) as f:
    ...     f["x"][::-2].tolist()
    [4, 2, 0]
    """
    h5py = _h5py()
    try:
        f = h5py.File(file, "r")
    except OSError as e:
        if is_path(file) and not os.path.exists(file):
            raise
        raise FormatError(f"open_hdf5: not a readable HDF5 file ({e})") from None
    return HDF5Group(f, f)


def load_hdf5(file: Any) -> Any:
    """Read a whole HDF5 file written by :func:`save_hdf5` (or any file of groups/datasets).

    Returns a nested dict of arrays (and Python scalars/str), or one array.
    """
    with open_hdf5(file) as f:
        return f.read()
