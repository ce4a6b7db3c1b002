"""Adapters to other formats: NumPy's ``.npy``/``.npz`` and ``.safetensors`` (no pickle)."""

from __future__ import annotations

import contextlib
import io
import os
import zipfile
from collections.abc import Iterator
from typing import Any

import numpy as np

from storax._array_object import Array

from ._common import (
    LE_DTYPES,
    FormatError,
    atomic_path,
    c_contiguous,
    check_array,
    host,
    is_path,
    native,
    to_current,
)

__all__ = [
    "load_npy",
    "load_npz",
    "load_safetensors",
    "save_npy",
    "save_npz",
    "save_safetensors",
]


@contextlib.contextmanager
def _writable(file: Any, func: str) -> Iterator[Any]:
    """A binary file object to write: a temporary file renamed atomically, or ``file``."""
    if is_path(file):
        with atomic_path(file) as tmp, open(tmp, "wb") as f:
            yield f
            f.flush()
    elif hasattr(file, "write"):
        yield file
    else:
        raise TypeError(
            f"{func}: expected a path or a binary file object, got {type(file).__name__}"
        )


def _checked(value: Any, func: str, what: str, readonly: bool = False) -> Array:
    """Wrap a loaded ndarray, rejecting dtypes storax does not have."""
    if not isinstance(value, np.ndarray) or value.dtype.name not in LE_DTYPES:
        dtype = getattr(value, "dtype", type(value).__name__)
        raise FormatError(f"{func}: {what} has dtype {dtype}, which storax does not support")
    if value.dtype.kind not in "biufc":
        raise FormatError(f"{func}: {what} has dtype {value.dtype}, which storax does not support")
    return to_current(native(value), readonly=readonly)


def _dict_of_arrays(arrays: Any, func: str) -> dict[str, Any]:
    if isinstance(arrays, Array):
        raise TypeError(f"{func}: expected a dict of str to arrays, got one array")
    if not isinstance(arrays, dict):
        raise TypeError(f"{func}: expected a dict of str to arrays, got {type(arrays).__name__}")
    out = {}
    for k, v in arrays.items():
        if not isinstance(k, str):
            raise TypeError(f"{func}: keys must be str, got {type(k).__name__}")
        out[k] = c_contiguous(host(check_array(v, func)))
    return out


# ------------------------------------------------------------------------------------ npy
def save_npy(x: Array, file: Any) -> None:
    """Save one array as a ``.npy`` file (a contiguous copy: strides and sharing are lost).

    ``file`` is a path (written atomically; no ``.npy`` suffix is added) or a binary file.

    Examples
    --------
    >>> import io, storax as sx
    >>> buf = io.BytesIO()
    >>> sx.io.save_npy(sx.arange(3), buf)
    >>> sx.io.load_npy(io.BytesIO(buf.getvalue())).tolist()
    [0, 1, 2]
    """
    value = host(check_array(x, "save_npy"))
    with _writable(file, "save_npy") as f:
        np.save(f, value, allow_pickle=False)


def _npy_prevalidate(f: Any, func: str) -> None:
    """Check a ``.npy`` header (dtype, and size against the file's) before NumPy allocates."""
    start = f.tell()
    end = f.seek(0, os.SEEK_END)
    f.seek(start)
    shape, _, dtype = _read_npy_header(f, func)
    nbytes = dtype.itemsize
    for n in shape:
        nbytes *= n
    if nbytes > end - f.tell():
        raise FormatError(
            f"{func}: the header promises {nbytes} bytes of data but the file has "
            f"{end - f.tell()} (truncated?)"
        )
    f.seek(start)


def load_npy(file: Any, *, mmap: bool = False) -> Array:
    """Load a ``.npy`` file (``allow_pickle`` is never enabled).

    With ``mmap=True`` (``file`` must be a path) the array is a read-only view of a memory
    map of the file. Malformed files raise :class:`storax.io.FormatError`.
    """
    try:
        if is_path(file):
            with open(file, "rb") as f:
                _npy_prevalidate(f, "load_npy")
            value = np.load(file, mmap_mode="r" if mmap else None, allow_pickle=False)
        else:
            if mmap:
                raise ValueError("load_npy: mmap=True needs a path")
            if not (hasattr(file, "seekable") and file.seekable()):
                file = io.BytesIO(file.read())
            _npy_prevalidate(file, "load_npy")
            value = np.load(file, allow_pickle=False)
    except FormatError:
        raise
    except (EOFError, zipfile.BadZipFile, UnicodeDecodeError) as e:
        raise FormatError(f"load_npy: not a valid .npy file ({e})") from None
    except ValueError as e:
        if str(e).startswith("load_npy:"):
            raise
        raise FormatError(f"load_npy: not a valid .npy file ({e})") from None
    if not isinstance(value, np.ndarray):
        raise FormatError("load_npy: the file is an .npz archive; use storax.io.load_npz")
    return _checked(np.asarray(value) if not mmap else value, "load_npy", "the array", mmap)


# ------------------------------------------------------------------------------------ npz
def save_npz(arrays: dict[str, Array], file: Any, *, compress: bool = False) -> None:
    """Save a dict of arrays as an ``.npz`` archive (contiguous copies; sharing is lost).

    Examples
    --------
    >>> import io, storax as sx
    >>> buf = io.BytesIO()
    >>> sx.io.save_npz({"a": sx.arange(2), "b": sx.ones(2)}, buf)
    >>> sorted(sx.io.load_npz(io.BytesIO(buf.getvalue())))
    ['a', 'b']
    """
    values = _dict_of_arrays(arrays, "save_npz")
    with _writable(file, "save_npz") as f:
        (np.savez_compressed if compress else np.savez)(f, allow_pickle=False, **values)


def load_npz(file: Any) -> dict[str, Array]:
    """Load an ``.npz`` archive as a dict of arrays (never unpickles anything).

    Each member's header is checked before its data is read, and no more memory is taken
    than the member's data really holds. Malformed archives raise
    :class:`storax.io.FormatError`.
    """
    out = {}
    try:
        with zipfile.ZipFile(file) as archive:
            for info in archive.infolist():
                if not info.filename.endswith(".npy"):
                    continue
                name = info.filename[: -len(".npy")]
                with archive.open(info) as member:
                    out[name] = _read_npz_member(member, name)
    except FormatError:
        raise
    except (ValueError, EOFError, OSError, zipfile.BadZipFile, UnicodeDecodeError) as e:
        if isinstance(e, FileNotFoundError | IsADirectoryError | PermissionError):
            raise
        raise FormatError(f"load_npz: not a valid .npz archive ({e})") from None
    return out


def _read_npy_header(f: Any, func: str) -> tuple[tuple[int, ...], bool, Any]:
    fmt = np.lib.format
    try:
        version = fmt.read_magic(f)
        if version == (1, 0):
            shape, fortran, dtype = fmt.read_array_header_1_0(f)
        elif version == (2, 0):
            shape, fortran, dtype = fmt.read_array_header_2_0(f)
        else:
            raise ValueError(f"unsupported .npy format version {version}")
    except (ValueError, EOFError, SyntaxError, TypeError, UnicodeDecodeError) as e:
        raise FormatError(f"{func}: not a valid .npy file ({e})") from None
    if dtype.name not in LE_DTYPES or dtype.kind not in "biufc":
        raise FormatError(f"{func}: the array has dtype {dtype}, which storax does not support")
    return tuple(shape), bool(fortran), dtype


def _read_npz_member(member: Any, name: str) -> Array:
    shape, fortran, dtype = _read_npy_header(member, "load_npz")
    nbytes = dtype.itemsize
    for n in shape:
        nbytes *= n
    data = bytearray()
    while len(data) < nbytes:  # grows with the data really present, never to the claim
        chunk = member.read(min(2**24, nbytes - len(data)))
        if not chunk:
            raise FormatError(f"load_npz: member {name!r} is shorter than its header says")
        data += chunk
    value = np.frombuffer(data, dtype=dtype).reshape(shape, order="F" if fortran else "C")
    return _checked(value, "load_npz", f"member {name!r}")


# ---------------------------------------------------------------------------- safetensors
def _safetensors() -> Any:
    try:
        import safetensors.numpy as stn
    except ImportError:
        raise ImportError(
            "storax.io: the safetensors adapter needs the 'safetensors' package "
            "(pip install safetensors)"
        ) from None
    return stn


def save_safetensors(
    arrays: dict[str, Array], file: Any, *, metadata: dict[str, str] | None = None
) -> None:
    """Save a dict of arrays as ``.safetensors`` (contiguous copies; sharing is lost).

    safetensors stores only dense row-major tensors, so every array is written as a
    contiguous copy of itself: strides and storage sharing do not survive.
    """
    stn = _safetensors()
    values = _dict_of_arrays(arrays, "save_safetensors")
    if is_path(file):
        with atomic_path(file) as tmp:
            stn.save_file(values, tmp, metadata=metadata)
        return
    data = stn.save(values, metadata=metadata)
    with _writable(file, "save_safetensors") as f:
        f.write(data)


def load_safetensors(file: Any) -> dict[str, Array]:
    """Load a ``.safetensors`` file as a dict of arrays (copies in memory)."""
    stn = _safetensors()
    try:
        if is_path(file):
            values = stn.load_file(os.fspath(file))
        else:
            values = stn.load(file.read())
    except FormatError:
        raise
    except Exception as e:  # safetensors raises its own SafetensorError and others
        if isinstance(e, OSError) and is_path(file) and not os.path.exists(file):
            raise
        raise FormatError(f"load_safetensors: not a valid .safetensors file ({e})") from None
    return {
        k: _checked(np.array(v), "load_safetensors", f"tensor {k!r}") for k, v in values.items()
    }
