"""storax's native file format: ``save`` and ``load`` (spec in docs/format.md); no pickle."""

from __future__ import annotations

import builtins
import io
import json
import math
import mmap as _mmap
import os
import re
import struct
from typing import Any

import numpy as np

from storax._array_object import Array
from storax._backends import backend_for_device
from storax._core._layout import contiguous_strides
from storax._device import as_device
from storax._names import attach as _attach

from ._common import (
    LE_DTYPES,
    MAX_BYTES,
    FormatError,
    atomic_path,
    device_storage,
    device_view,
    dtype_name,
    is_path,
    little_endian,
    load_backend,
    native,
    new_storage,
    np_buffer,
    view_of,
)

__all__ = ["load", "save"]

MAGIC = b"\x89STORAX\n"
VERSION = (1, 1)  # 1.1: the optional "names" of a view
PREAMBLE = struct.Struct("<8sHHIQ")  # magic, major, minor, reserved (0), header length
ALIGN = 64
#: Largest accepted JSON header (bytes).
MAX_HEADER = 64 * 2**20
#: Deepest accepted nesting of dicts/lists/tuples in the saved object.
MAX_DEPTH = 128
#: Largest accepted number of dimensions (NumPy's limit).
MAX_NDIM = 64
#: Views of one storage whose extents are at most this many bytes apart are saved in one
#: storage (writing the gap is cheaper than splitting the storage).
MERGE_GAP = 64 * 2**10
_INT_RE = re.compile(r"-?(0|[1-9][0-9]{0,999})")

_Tree = Any


def _align(n: int) -> int:
    return -(-n // ALIGN) * ALIGN


# --------------------------------------------------------------------------------- saving
class _Plan:
    """What ``save`` will write: the header (as a dict) and the byte segments of storages."""

    def __init__(self) -> None:
        self.arrays: list[Array] = []
        self.array_index: dict[int, int] = {}

    def encode(self, obj: Any, depth: int, active: set[int]) -> _Tree:
        if isinstance(obj, Array):
            k = self.array_index.get(id(obj))
            if k is None:
                k = self.array_index[id(obj)] = len(self.arrays)
                self.arrays.append(obj)
            return ["array", k]
        if obj is None:
            return ["none"]
        if isinstance(obj, builtins.bool):
            return ["bool", builtins.bool(obj)]
        if isinstance(obj, int):
            return ["int", str(int(obj))]
        if isinstance(obj, float):
            return ["float", repr(float(obj))]
        if isinstance(obj, complex):
            return ["complex", repr(obj.real), repr(obj.imag)]
        if isinstance(obj, str):
            return ["str", str(obj)]
        if isinstance(obj, dict | list | tuple):
            if depth >= MAX_DEPTH:
                raise ValueError(f"save: the object is nested deeper than {MAX_DEPTH} levels")
            if id(obj) in active:
                raise ValueError("save: the object contains a reference cycle")
            active.add(id(obj))
            try:
                if isinstance(obj, dict):
                    items = []
                    for key, value in obj.items():
                        if not isinstance(key, str):
                            raise TypeError(
                                f"save: dict keys must be str, got {type(key).__name__}"
                            )
                        items.append([str(key), self.encode(value, depth + 1, active)])
                    return ["dict", items]
                tag = "tuple" if isinstance(obj, tuple) else "list"
                return [tag, [self.encode(v, depth + 1, active) for v in obj]]
            finally:
                active.discard(id(obj))
        raise TypeError(
            f"save: cannot save an object of type {type(obj).__name__} (supported: storax "
            "arrays, dict with str keys, list, tuple, bool, int, float, complex, str, None)"
        )

    def layout_storages(self) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[Any]]:
        """The storage table, the view table and the segments to write, in file order."""
        groups: dict[int, tuple[Any, list[int]]] = {}
        layouts = []
        for k, x in enumerate(self.arrays):
            dtype_name(x.dtype, "save")
            lay = x.layout()
            layouts.append(lay)
            if lay.size:
                st = x.storage()
                groups.setdefault(id(st), (st, []))[1].append(k)
        views: list[dict[str, Any]] = [
            {"storage": None, "dtype": x.dtype.name, "shape": list(lay.shape),
             "strides": list(lay.strides), "offset": 0}
            for x, lay in zip(self.arrays, layouts, strict=True)
        ]  # fmt: skip
        for x, view in zip(self.arrays, views, strict=True):
            if x._names is not None:  # format 1.1: named dims
                view["names"] = list(x._names)
        storages: list[dict[str, Any]] = []
        segments = []
        position = 0
        for st, members in groups.values():
            buf = np_buffer(st)
            item = buf.dtype.itemsize
            gap = max(MERGE_GAP // item, 0)
            spans = sorted((layouts[k].extent(), k) for k in members)
            current: list[Any] = []
            lo = hi = 0

            def flush(
                lo: int, hi: int, current: list[Any], buf: Any = buf, item: int = item
            ) -> None:
                nonlocal position
                s = len(storages)
                size = hi - lo + 1
                position = _align(position)
                storages.append({"dtype": buf.dtype.name, "size": size, "offset": position})
                segments.append(buf[lo : hi + 1])
                position += size * item
                for k in current:
                    del views[k]["dtype"]
                    views[k]["storage"] = s
                    views[k]["offset"] = layouts[k].offset - lo

            for (a, b), k in spans:
                if current and a <= hi + 1 + gap:
                    hi = max(hi, b)
                    current.append(k)
                    continue
                if current:
                    flush(lo, hi, current)
                lo, hi, current = a, b, [k]
            if current:
                flush(lo, hi, current)
        return storages, views, segments


def save(obj: Any, file: Any) -> None:
    """Save an array, or a nested dict/list/tuple of arrays and Python scalars, to ``file``.

    Arrays that share a storage are saved with that storage once and load back as views
    of one storage; only the union of the saved views' extents is written (a small view
    of a huge storage writes only its own elements). Saving to a path is atomic: the file
    is written beside the target, flushed, fsynced and renamed onto it.

    Parameters
    ----------
    obj
        A storax array, or a dict (str keys) / list / tuple nesting storax arrays, bool,
        int, float, complex, str and None.
    file
        A path (str or ``os.PathLike``) or a writable binary file object.

    Examples
    --------
    >>> import io, storax as sx
    >>> points = sx.asarray([[4.0, 1.0], [5.0, 3.0], [2.0, 1.0]])
    >>> buf = io.BytesIO()
    >>> sx.save({"points": points, "second": points[1]}, buf)
    >>> out = sx.load(io.BytesIO(buf.getvalue()))
    >>> out["second"][0] = 10.0
    >>> out["points"][1, 0].item()
    10.0
    """
    plan = _Plan()
    tree = plan.encode(obj, 0, set())
    storages, views, segments = plan.layout_storages()
    header = {"storages": storages, "views": views, "tree": tree}
    text = json.dumps(header, separators=(",", ":"), allow_nan=False).encode("ascii")
    if len(text) > MAX_HEADER:
        raise ValueError(f"save: the header would exceed {MAX_HEADER} bytes (too many arrays)")
    preamble = PREAMBLE.pack(MAGIC, VERSION[0], VERSION[1], 0, len(text))
    if is_path(file):
        with atomic_path(file) as tmp, open(tmp, "wb") as f:
            _write(f, preamble, text, storages, segments)
            f.flush()
    elif isinstance(file, io.TextIOBase):
        raise TypeError("save: expected a binary file object, got a text-mode file")
    elif hasattr(file, "write"):
        _write(file, preamble, text, storages, segments)
    else:
        raise TypeError(f"save: expected a path or a binary file object, got {type(file).__name__}")


def _write(f: Any, preamble: bytes, text: bytes, storages: list[Any], segments: list[Any]) -> None:
    head = preamble + text
    data_start = _align(len(head))
    end = storages[-1]["offset"] + segments[-1].nbytes if storages else 0
    _preallocate(f, data_start + end)
    f.write(head + bytes(data_start - len(head)))
    position = 0
    for entry, seg in zip(storages, segments, strict=True):
        if entry["offset"] > position:
            f.write(bytes(entry["offset"] - position))
        seg = little_endian(np.ascontiguousarray(seg))
        f.write(seg.view(np.uint8).data)
        position = entry["offset"] + seg.nbytes


def _preallocate(f: Any, nbytes: int) -> None:
    """Reserve ``nbytes`` on disk from the current position (as numpy.tofile does): large
    writes into preallocated extents are markedly faster. Best effort."""
    if not hasattr(os, "posix_fallocate") or nbytes < 2**20:
        return
    try:
        fd = f.fileno()
        position = f.tell()
    except (AttributeError, OSError, ValueError):
        return
    try:
        os.posix_fallocate(fd, position, nbytes)
    except OSError:
        pass


# -------------------------------------------------------------------------------- loading
def _fail(msg: str) -> FormatError:
    return FormatError(f"load: {msg}")


def _int(value: Any, what: str) -> int:
    if type(value) is not int:
        raise _fail(f"{what} must be an integer, got {json.dumps(value)[:40]}")
    return value


def _reject_constant(name: str) -> Any:
    raise _fail(f"the header contains the non-JSON constant {name}")


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out = dict(pairs)
    if len(out) != len(pairs):
        raise _fail("the header has a JSON object with duplicate keys")
    return out


def _parse_header(raw: bytes) -> dict[str, Any]:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        raise _fail(f"the header is not valid UTF-8 ({e.reason} at byte {e.start})") from None
    try:
        header = json.loads(text, parse_constant=_reject_constant, object_pairs_hook=_pairs)
    except FormatError:
        raise
    except RecursionError:
        raise _fail("the header JSON is nested too deeply") from None
    except ValueError as e:
        raise _fail(f"the header is not valid JSON ({e})") from None
    if not isinstance(header, dict):
        raise _fail("the header is not a JSON object")
    for key, kind in (("storages", list), ("views", list), ("tree", list)):
        if key not in header:
            raise _fail(f"the header has no {key!r} entry")
        if not isinstance(header[key], kind):
            raise _fail(f"the header's {key!r} entry is not a JSON array")
    return header


def _check_storages(entries: list[Any], data_bytes: int) -> list[tuple[Any, int, int]]:
    """Validate the storage table: ``(dtype, size, offset)`` each, inside the file, disjoint."""
    out = []
    for i, e in enumerate(entries):
        if not isinstance(e, dict):
            raise _fail(f"storage {i} is not a JSON object")
        name = e.get("dtype")
        if not isinstance(name, str) or name not in LE_DTYPES:
            raise _fail(f"storage {i} has unknown dtype {json.dumps(name)[:40]}")
        dtype = LE_DTYPES[name]
        size = _int(e.get("size"), f"storage {i}'s size")
        offset = _int(e.get("offset"), f"storage {i}'s offset")
        if size < 0:
            raise _fail(f"storage {i} has negative size {size}")
        if offset < 0 or offset % ALIGN:
            raise _fail(f"storage {i}'s offset {offset} is negative or not a multiple of {ALIGN}")
        nbytes = size * dtype.itemsize
        if offset + nbytes > data_bytes:
            raise _fail(
                f"storage {i} ({nbytes} bytes at data offset {offset}) reaches past the end "
                f"of the file ({data_bytes} bytes of data; truncated?)"
            )
        out.append((dtype, size, offset))
    spans = sorted((off, off + size * dt.itemsize, i) for i, (dt, size, off) in enumerate(out))
    spans = [s for s in spans if s[1] > s[0]]
    for (_, end, i), (start, _, j) in zip(spans, spans[1:], strict=False):
        if start < end:
            raise _fail(f"storages {i} and {j} overlap in the file")
    return out


def _check_views(entries: list[Any], storages: list[tuple[Any, int, int]]) -> list[Any]:
    """Validate the view table: every view stays inside its storage; sizes fit in intp."""
    out: list[Any] = []
    for i, e in enumerate(entries):
        if not isinstance(e, dict):
            raise _fail(f"view {i} is not a JSON object")
        shape, strides = e.get("shape"), e.get("strides")
        if not isinstance(shape, list) or not isinstance(strides, list):
            raise _fail(f"view {i}'s shape and strides must be JSON arrays")
        if len(shape) > MAX_NDIM or len(strides) != len(shape):
            raise _fail(
                f"view {i} has {len(shape)} dimensions and {len(strides)} strides "
                f"(at most {MAX_NDIM}, and as many strides as dimensions)"
            )
        shape_t = tuple(_int(n, f"view {i}'s shape entry") for n in shape)
        strides_t = tuple(_int(s, f"view {i}'s stride") for s in strides)
        offset = _int(e.get("offset"), f"view {i}'s offset")
        ref = e.get("storage")
        if any(n < 0 for n in shape_t):
            raise _fail(f"view {i} has a negative dimension in shape {shape_t}")
        size = 1
        padded = 1
        for n in shape_t:
            size *= n
            padded *= max(n, 1)
            if padded > MAX_BYTES:
                raise _fail(f"view {i}'s shape {shape_t} is too large (its size overflows)")
        if ref is None:
            if size:
                raise _fail(f"view {i} has {size} elements but no storage")
            name = e.get("dtype")
            if not isinstance(name, str) or name not in LE_DTYPES:
                raise _fail(f"view {i} (without storage) has unknown dtype {json.dumps(name)[:40]}")
            out.append((None, LE_DTYPES[name], shape_t, strides_t, 0))
            continue
        ref = _int(ref, f"view {i}'s storage")
        if not 0 <= ref < len(storages):
            raise _fail(f"view {i} refers to storage {ref}, which does not exist")
        dtype, n_elems, _ = storages[ref]
        if "dtype" in e and e["dtype"] != dtype.name:
            raise _fail(f"view {i}'s dtype {json.dumps(e['dtype'])[:40]} is not its storage's")
        item = dtype.itemsize
        if padded * item > MAX_BYTES or any(abs(s) * item > MAX_BYTES for s in strides_t):
            raise _fail(f"view {i}'s shape {shape_t} or strides {strides_t} are too large")
        if size:
            low = high = offset
            for n, s in zip(shape_t, strides_t, strict=True):
                if s < 0:
                    low += (n - 1) * s
                else:
                    high += (n - 1) * s
            if low < 0 or high >= n_elems:
                raise _fail(
                    f"view {i} (shape {shape_t}, strides {strides_t}, offset {offset}) "
                    f"reaches elements {low}..{high}, outside storage {ref} of size {n_elems}"
                )
        out.append((ref, dtype, shape_t, strides_t, offset))
    return out


def _view_names(entries: list[Any]) -> list[tuple[str | None, ...] | None]:
    """The optional ``names`` of each view (format 1.1), validated: a list of one str
    (a Python identifier, no repeats) or null per dimension."""
    out: list[tuple[str | None, ...] | None] = []
    for i, e in enumerate(entries):
        names = e.get("names")
        if names is None:
            out.append(None)
            continue
        if not isinstance(names, list) or len(names) != len(e["shape"]):
            raise _fail(f"view {i}'s names must be a JSON array with one entry per dimension")
        for n in names:
            if n is not None and not (isinstance(n, str) and n.isidentifier()):
                raise _fail(f"view {i} has an invalid name {json.dumps(n)[:40]}")
        given = [n for n in names if n is not None]
        if len(set(given)) != len(given):
            raise _fail(f"view {i} repeats a name in {json.dumps(names)[:80]}")
        out.append(tuple(names))
    return out


def _named_views(arrays: list[Array], names: list[Any]) -> list[Array]:
    return [a if n is None else _attach(a, n) for a, n in zip(arrays, names, strict=True)]


def _check_tree(node: Any, n_views: int, depth: int) -> None:
    """Validate the object tree (pure; raises FormatError)."""
    if depth > MAX_DEPTH:
        raise _fail(f"the object tree is nested deeper than {MAX_DEPTH} levels")
    if not isinstance(node, list) or not node or not isinstance(node[0], str):
        raise _fail("a tree node is not a JSON array starting with a tag")
    tag = node[0]
    arity = {"none": 1, "bool": 2, "int": 2, "float": 2, "complex": 3, "str": 2,
             "list": 2, "tuple": 2, "dict": 2, "array": 2}.get(tag)  # fmt: skip
    if arity is None:
        raise _fail(f"unknown tree node tag {tag[:40]!r}")
    if len(node) != arity:
        raise _fail(f"tree node {tag!r} has {len(node) - 1} values, expected {arity - 1}")
    if tag == "bool" and type(node[1]) is not builtins.bool:
        raise _fail("a 'bool' tree node does not hold true or false")
    elif tag == "int":
        if not isinstance(node[1], str) or not _INT_RE.fullmatch(node[1]):
            raise _fail("an 'int' tree node does not hold a decimal integer string")
    elif tag in ("float", "complex"):
        for v in node[1:]:
            if not isinstance(v, str) or len(v) > 64:
                raise _fail(f"a {tag!r} tree node does not hold a number string")
            try:
                float(v)
            except ValueError:
                raise _fail(f"a {tag!r} tree node holds {v!r}, not a number") from None
    elif tag == "str" and not isinstance(node[1], str):
        raise _fail("a 'str' tree node does not hold a string")
    elif tag in ("list", "tuple"):
        if not isinstance(node[1], list):
            raise _fail(f"a {tag!r} tree node does not hold a JSON array")
        for child in node[1]:
            _check_tree(child, n_views, depth + 1)
    elif tag == "dict":
        if not isinstance(node[1], list):
            raise _fail("a 'dict' tree node does not hold a JSON array of pairs")
        keys = set()
        for pair in node[1]:
            if not isinstance(pair, list) or len(pair) != 2 or not isinstance(pair[0], str):
                raise _fail("a 'dict' tree node has an item that is not a [str, node] pair")
            if pair[0] in keys:
                raise _fail(f"a 'dict' tree node has the key {pair[0][:40]!r} twice")
            keys.add(pair[0])
            _check_tree(pair[1], n_views, depth + 1)
    elif tag == "array":
        k = node[1]
        if type(k) is not int or not 0 <= k < n_views:
            raise _fail(f"an 'array' tree node refers to view {json.dumps(k)[:40]}, which "
                        "does not exist")  # fmt: skip


def _build_tree(node: Any, arrays: list[Array]) -> Any:
    tag = node[0]
    if tag == "array":
        return arrays[node[1]]
    if tag == "none":
        return None
    if tag in ("bool", "str"):
        return node[1]
    if tag == "int":
        return int(node[1])
    if tag == "float":
        return float(node[1])
    if tag == "complex":
        return complex(float(node[1]), float(node[2]))
    if tag == "list":
        return [_build_tree(c, arrays) for c in node[1]]
    if tag == "tuple":
        return tuple(_build_tree(c, arrays) for c in node[1])
    return {k: _build_tree(v, arrays) for k, v in node[1]}


class _Source:
    """Random access to the bytes of a file from ``base`` on, of known length."""

    def __init__(self, f: Any, base: int, length: int) -> None:
        self.f, self.base, self.length = f, base, length

    def read_into(self, position: int, out: Any) -> None:
        self.f.seek(self.base + position)
        view = memoryview(out).cast("B")
        done = 0
        while done < len(view):
            n = self.f.readinto(view[done:])
            if not n:
                raise _fail("the file ended early (was it truncated while loading?)")
            done += n

    def read(self, position: int, n: int) -> bytes:
        out = bytearray(n)
        self.read_into(position, out)
        return bytes(out)


def _mmap_mode(mmap: Any) -> Any:
    if mmap is False or mmap is None:
        return None
    modes = {True: _mmap.ACCESS_READ, "r": _mmap.ACCESS_READ, "r+": _mmap.ACCESS_WRITE,
             "c": _mmap.ACCESS_COPY}  # fmt: skip
    if isinstance(mmap, builtins.bool | str) and mmap in modes:
        return modes[mmap]
    raise ValueError(f"load: mmap must be False, True, 'r', 'r+' or 'c', got {mmap!r}")


def load(file: Any, *, mmap: builtins.bool | str = False, device: Any = None) -> Any:
    """Load what :func:`save` wrote: arrays come back with their strides and sharing.

    Arrays are loaded onto ``device``, else the current default backend
    (:func:`storax.get_backend`).

    Every size in the file is checked (with Python integers) before anything is allocated;
    any malformed, truncated or hostile file raises :class:`storax.io.FormatError`.

    Parameters
    ----------
    file
        A path or a readable binary file object (read from its current position).
    mmap
        ``False`` reads the data into memory. ``True`` or ``"r"`` maps the file read-only
        (arrays are read-only views of the map; nothing is read until touched); ``"r+"``
        maps it writable (writes go to the file); ``"c"`` copy-on-write (writes stay in
        memory). Needs a path or a file object with a ``fileno()``. Off the NumPy backend
        the data is copied to the device: a map only saves a read into host memory,
        ``"r+"`` raises ValueError, and ``True``/``"r"`` give read-only arrays.
    device
        Where the arrays go (a Device, its name, or a ``jax.sharding.Sharding``). On a
        sharding, a storage takes the shape of a view of it that covers it whole (the
        array that was saved, typically), so it is sharded as that array; a storage that
        no view covers, or whose shape the sharding does not fit, goes to the default
        device. Views keep sharing their storage.

    Examples
    --------
    >>> import io, storax as sx
    >>> x = sx.reshape(sx.arange(6), (2, 3))
    >>> buf = io.BytesIO()
    >>> sx.save(x.T, buf)
    >>> y = sx.load(io.BytesIO(buf.getvalue()))
    >>> y.stride(), y.tolist()
    ((1, 3), [[0, 3], [1, 4], [2, 5]])
    """
    access = _mmap_mode(mmap)
    target = _load_target(device)
    if access == _mmap.ACCESS_WRITE and target != (None, None):
        # Note: off NumPy, arrays live in device memory: writes could never reach the file.
        raise ValueError("load: mmap='r+' (writes go to the file) needs the NumPy backend")
    if is_path(file):
        mode = "rb+" if access == _mmap.ACCESS_WRITE else "rb"
        with open(file, mode, buffering=0) as f:
            return _load(f, access, target)
    if isinstance(file, io.TextIOBase):
        raise TypeError("load: expected a binary file object, got a text-mode file")
    if not hasattr(file, "read"):
        raise TypeError(f"load: expected a path or a binary file object, got {type(file).__name__}")
    return _load(file, access, target)


def _load_target(device: Any) -> tuple[Any, Any]:
    """(backend, device) that load places arrays on: (None, None) for the host backend."""
    d = as_device(device, "load")
    if d is None:
        return load_backend(), None
    backend = backend_for_device(d, "load")
    return (None, None) if backend.caps.host_native else (backend, d)


def _placed_storage(root: Any, backend: Any, device: Any, shapes: list[Any]) -> Any:
    """``root`` on ``device``, shaped as a view that covers it whole when the device is a
    sharding that fits that shape; else flat on ``device``, else on the default device."""
    for shape in shapes:
        try:
            return device_storage(root.reshape(shape), backend, device)
        except ValueError:
            continue
    try:
        return device_storage(root, backend, device)
    except ValueError:
        return device_storage(root, backend)


def _load(f: Any, access: Any, target: tuple[Any, Any]) -> Any:
    seekable = f.seekable() if hasattr(f, "seekable") else False
    if not seekable:
        if access is not None:
            raise ValueError("load: mmap needs a path or a seekable file with a file descriptor")
        f = io.BytesIO(f.read())
    base = f.tell()
    length = f.seek(0, os.SEEK_END) - base
    src = _Source(f, base, length)
    if length < PREAMBLE.size:
        if length >= len(MAGIC) and src.read(0, len(MAGIC)) != MAGIC:
            raise _fail("not a storax file (the first 8 bytes are not the storax magic)")
        raise _fail(f"the file is too short ({length} bytes) to be a storax file")
    magic, major, minor, reserved, header_len = PREAMBLE.unpack(src.read(0, PREAMBLE.size))
    if magic != MAGIC:
        raise _fail("not a storax file (the first 8 bytes are not the storax magic)")
    if major != VERSION[0]:
        raise _fail(f"unsupported format version {major}.{minor} (this storax reads 1.x)")
    if reserved != 0:
        raise _fail(f"reserved preamble field is {reserved}, expected 0")
    if header_len > MAX_HEADER:
        raise _fail(f"header length {header_len} exceeds the limit of {MAX_HEADER} bytes")
    if PREAMBLE.size + header_len > length:
        raise _fail(f"header length {header_len} reaches past the end of the file ({length} bytes)")
    header = _parse_header(src.read(PREAMBLE.size, header_len))
    data_start = _align(PREAMBLE.size + header_len)
    data_bytes = max(length - data_start, 0)
    storages = _check_storages(header["storages"], data_bytes)
    views = _check_views(header["views"], storages)
    view_names = _view_names(header["views"])
    _check_tree(header["tree"], len(views), 0)

    # Everything is validated: allocate (at most the file's size) and read.
    roots = []
    mapped = None
    if access is not None and any(size for _, size, _ in storages):
        try:
            fileno = f.fileno()
        except (AttributeError, OSError, io.UnsupportedOperation):
            raise ValueError("load: mmap needs a path or a file with a file descriptor") from None
        mapped = _mmap.mmap(fileno, 0, access=access)
    for i, (dtype, size, offset) in enumerate(storages):
        if mapped is not None and size:
            root = np.frombuffer(mapped, dtype=dtype, count=size, offset=base + data_start + offset)
        else:
            root = np.empty(size, dtype=dtype)
            src.read_into(data_start + offset, root.view(np.uint8))
        if dtype.kind == "b" and size and root.view(np.uint8).max() > 1:
            raise _fail(f"storage {i} (bool) holds bytes other than 0 and 1")
        roots.append(native(root))
    backend, device = target
    if backend is not None:
        # Off NumPy: each storage is copied to the device once; views share it.
        # A read-only map gives read-only arrays, as on NumPy.
        readonly = access == _mmap.ACCESS_READ
        covering: list[list[Any]] = [[] for _ in roots]
        if device is not None:
            for ref, _, shape, strides, offset in views:
                if (
                    ref is not None
                    and offset == 0
                    and len(shape) > 1
                    and tuple(strides) == contiguous_strides(tuple(shape))
                    and math.prod(shape) == roots[ref].size
                ):
                    covering[ref].append(tuple(shape))
        dev_storages = [
            _placed_storage(r, backend, device, covering[i]) for i, r in enumerate(roots)
        ]
        return _build_tree(
            header["tree"],
            _named_views([
                device_view(
                    dev_storages[ref] if ref is not None else None,
                    dtype.newbyteorder("="), shape, strides, offset, readonly, device,
                )
                for ref, dtype, shape, strides, offset in views
            ], view_names),
        )  # fmt: skip
    storage_objs = [new_storage(r) for r in roots]  # alive while the views are made
    arrays = []
    for ref, dtype, shape, strides, offset in views:
        root = roots[ref] if ref is not None else native(np.empty(0, dtype=dtype))
        arrays.append(view_of(root, shape, strides, offset))
    del storage_objs
    return _build_tree(header["tree"], _named_views(arrays, view_names))
