"""The NumPy backend: storages are flat ndarrays, views are live ndarray views of them.

NumPy is itself a strided core, so an Array on this backend holds its NumPy view as its
materialised value, and builds Storage/Layout objects only when asked (``storage()``,
``stride()``, a write that must bump a storage's version).
"""

from __future__ import annotations

import functools
import sys
import threading
import weakref
from typing import Any

import numpy as np

from .._core._layout import Layout, contiguous_strides
from .._core._storage import Storage
from .._device import CPU, Device
from . import _native_random
from ._protocol import Capabilities

name = "numpy"
xp = np  # the array module for this backend's buffers (storax makes it compliant)
caps = Capabilities(
    live_views=True,
    negative_strides=True,
    single_device=True,  # every NumPy array is on the one "cpu" device
    raises_on_singular=True,
    traced=False,
    host_native=True,
    inplace_kernels=True,
    fft_takes_float64=True,
)


class _Kernels:
    """``kx``: NumPy's functions as the hot-path kernels storax calls (the JAX backend's
    ``kx`` jits them). The reductions are the ufuncs' ``reduce`` methods, which
    ``np.sum``/``np.max``... call after ~2 µs of argument handling that storax has
    already done: the same computation, without the wrapper."""

    sum = np.add.reduce
    prod = np.multiply.reduce
    max = np.maximum.reduce
    min = np.minimum.reduce

    def __getattr__(self, name: str) -> Any:
        func = getattr(np, name)
        setattr(self, name, func)
        return func

    @staticmethod
    def argmax(v: Any, axis: Any = None, keepdims: bool = False) -> Any:
        return v.argmax(axis=axis, keepdims=keepdims)  # (np.argmax's dispatch skipped)

    @staticmethod
    def argmin(v: Any, axis: Any = None, keepdims: bool = False) -> Any:
        return v.argmin(axis=axis, keepdims=keepdims)

    @staticmethod
    def count_nonzero(v: Any, axis: Any = None, keepdims: bool = False) -> Any:
        """``np.count_nonzero``; the count of all elements as a 0-d int64 array straight
        from the C count (np.count_nonzero's wrapper, ~0.3 µs, returns a Python int that
        callers then had to make an array, another ~0.3 µs)."""
        if axis is None and not keepdims:
            return np.array(_count_nonzero(v), dtype=np.int64)
        return np.count_nonzero(v, axis=axis, keepdims=keepdims)

    @staticmethod
    def flip(v: np.ndarray, axis: int | None = None) -> np.ndarray:
        """``np.flip`` (the same view) by a slice: np.flip's axis normalisation costs
        ~0.8 µs, more than the view (the callers pass a valid int axis, or None)."""
        if axis is None:
            return v[(_REVERSED,) * v.ndim]
        if axis < 0:
            axis += v.ndim
        return v[(_ALL,) * axis + (_REVERSED,)]

    @staticmethod
    def all(v: np.ndarray, axis: Any = None, keepdims: bool = False) -> Any:
        """``np.all`` by the ndarray method (np.all's dispatch costs ~1.3 µs, as much as
        the reduction of 10**6 booleans that stops at an early False)."""
        return v.all(axis, keepdims=keepdims)

    @staticmethod
    def any(v: np.ndarray, axis: Any = None, keepdims: bool = False) -> Any:
        """``np.any`` by the ndarray method (as :meth:`all`)."""
        return v.any(axis, keepdims=keepdims)

    @staticmethod
    def sort(v: np.ndarray, axis: int = -1, stable: bool = True) -> np.ndarray:
        """``np.sort``, stable in its result at the speed of the unstable sort.

        A sort of values is observably stable or not only where equal values are told
        apart: signed zeros (``-0.0 == 0.0``) and NaNs of different payloads. Integers
        and booleans never are, nor floats without both zeros and whose NaNs are all the
        default NaN: NumPy's quicksort (SIMD, ~13x its stable sort on floats) gives the
        stable result there. Small sorts stay stable (as fast as the check).
        """
        # (a copy sorted in place: what np.sort does, without its dispatch, ~0.4 µs)
        r = v.copy(order="K")
        if stable and v.ndim == 1 and v.dtype.kind == "f" and v.size > _SMALL_SORT:
            return _stable_by_quicksort(v, r)
        if (
            not stable
            or v.dtype.kind in "biu"
            or (v.dtype.kind == "f" and v.size > _SMALL_SORT and _unobservable(v))
        ):
            r.sort(axis=axis, kind="quicksort")
        else:
            r.sort(axis=axis, stable=True)
        return r


_ALL, _REVERSED = slice(None), slice(None, None, -1)

# Below this many elements the stable sort is as fast as the check that would avoid it.
_SMALL_SORT = 2048


def _stable_by_quicksort(v: np.ndarray, r: np.ndarray) -> np.ndarray:
    """The stable sort of the 1-D floats ``v`` into ``r`` (its copy) by the quicksort:
    where NaNs are all the default one, the two sorts differ only in the order of the
    zeros, which sort into one block; a block holding both signs is rewritten with the
    zeros in their original order. No n-element mask (``_unobservable``'s ``v == 0``)."""
    if not _default_nans(v):
        r.sort(stable=True)
        return r
    r.sort(kind="quicksort")
    lo, hi = r.searchsorted(0.0, "left"), r.searchsorted(0.0, "right")
    if hi - lo > 1:
        signs = np.signbit(r[lo:hi])
        if signs.any() and not signs.all():
            r[lo:hi] = v[v == 0]  # (mixed signed zeros only: the stable order)
    return r


def _default_nans(v: np.ndarray) -> bool:
    """Whether every NaN of the floats ``v`` is the default quiet NaN (NumPy's SIMD
    quicksort writes NaNs back as that one, so any other NaN needs the stable sort)."""
    with np.errstate(invalid="ignore", over="ignore"):
        if not np.isnan(np.add.reduce(v, axis=None)):  # no NaN (NaN also from inf - inf)
            return True
    nans = v[np.isnan(v)]
    uint = f"u{v.dtype.itemsize}"
    return not (nans.view(uint) != np.array(np.nan, dtype=v.dtype).view(uint)).any()


def _unobservable(v: np.ndarray) -> bool:
    """Whether a stable and an unstable sort of the floats ``v`` give equal bits: no
    ``-0.0`` beside ``+0.0``, no NaN but the default one (two reductions; the sort costs
    an order of magnitude more)."""
    if not _default_nans(v):
        return False
    if np.count_nonzero(v == 0):
        signs = np.signbit(v[v == 0])
        return bool(signs.all() or not signs.any())
    return True


kx = _Kernels()
x64 = True  # NumPy has every 64-bit type
supported_dtypes: tuple[np.dtype, ...] = tuple(
    np.dtype(t)
    for t in ("bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
              "float32", "float64", "complex64", "complex128")
)  # fmt: skip
unsupported_note = ""
as_strided = np.lib.stride_tricks.as_strided

# id(root ndarray) -> its Storage. The Storage's buffer keeps the root alive, so an id in
# here cannot be reused while its entry exists.
_STORAGES: weakref.WeakValueDictionary[int, Storage] = weakref.WeakValueDictionary()

# Atomic writes. NumPy writes into the live memory; an operation runs whole under the GIL
# unless its loop has more than 500 elements (NumPy's NPY_BEGIN_THREADS_THRESHOLDED), when
# NumPy releases the GIL and two overlapping writes (or ``x += 1`` twice) can interleave.
# So writes of more than LOCK_ABOVE elements, and advanced-index writes (whose loop may be
# longer than the array), take the lock of the memory they write; shorter writes are
# atomic as they are and pay nothing. Without a GIL (free-threaded CPython) every write
# locks. The locks are striped by the root ndarray: a view's lock is found without making
# a Storage object, and ``storage()`` of that memory reports the same lock.
_gil_enabled = getattr(sys, "_is_gil_enabled", None)
LOCK_ABOVE: int = 500 if _gil_enabled is None or _gil_enabled() else -1
_STRIPES = tuple(threading.RLock() for _ in range(64))
_REGISTRY_LOCK = threading.Lock()


def _stripe(root: np.ndarray) -> Any:
    return _STRIPES[(id(root) >> 4) & 63]


def lock_of(value: np.ndarray) -> Any:
    """The lock of the memory ``value`` views (shared with its Storage's ``_lock``)."""
    return _stripe(_usable_root(value))


def devices() -> list[Device]:
    return [CPU]


def device_of(buffer: Any) -> Device:
    return CPU


def default_device() -> Device:
    return CPU


def device_dtypes(device: Device | None) -> tuple[np.dtype, ...]:  # noqa: ARG001 - one device
    """The dtypes ``device`` holds: every dtype storax lists."""
    return supported_dtypes


def native_device(device: Device) -> str:
    if device != CPU:
        raise ValueError(f"device {device} is not a NumPy device")
    return "cpu"


def to_host(value: Any) -> np.ndarray:
    """A NumPy array with the value's data (itself: NumPy values live on the host)."""
    return np.asarray(value)


def from_host(value: np.ndarray, device: Device | None) -> np.ndarray:
    """A new NumPy array holding a copy of ``value`` (for ``to_device``)."""
    if device is not None:
        native_device(device)
    return np.array(value, copy=True)


def data_ptr(buffer: np.ndarray) -> int:
    return int(buffer.__array_interface__["data"][0])


def tolist(buffer: Any) -> Any:
    return buffer.tolist()


def storage_setitem(storage: Storage, index: int | slice, value: Any) -> None:
    """``storage[index] = value``: write into the flat buffer and count the write."""
    buffer = storage._buffer
    if not buffer.flags.writeable:
        raise ValueError("Storage.__setitem__: the storage is read-only")
    with storage._lock:
        buffer[index] = value
        storage._version += 1


def format_elements(buffer: np.ndarray) -> list[str]:
    if buffer.size == 0:
        return []
    return [repr(v) for v in buffer.tolist()]


def _root(value: np.ndarray) -> np.ndarray:
    root = value
    base = root.base
    while type(base) is np.ndarray or isinstance(base, np.ndarray):
        root = base
        base = root.base
    return root


def _flat_view(root: np.ndarray) -> np.ndarray:
    """A 1-D view over every element of ``root``'s memory, lowest address first."""
    if root.size == 0:
        return root.reshape(-1)[:0]
    if root.flags.c_contiguous:
        return root.reshape(-1)  # a view whose base chain leads back to root
    flip = tuple(slice(None, None, -1) if s < 0 else slice(None) for s in root.strides)
    r = root[flip] if flip else root
    item = r.itemsize
    span = sum((n - 1) * s for n, s in zip(r.shape, r.strides, strict=True)) + item
    return as_strided(r, shape=(span // item,), strides=(item,), writeable=r.flags.writeable)


def _usable_root(value: np.ndarray) -> np.ndarray:
    root = _root(value)
    if root.dtype != value.dtype or any(s % value.itemsize for s in root.strides):
        return value  # a reinterpreting view: its own extent is its storage
    return root


def storage_of(value: np.ndarray) -> Storage:
    """The Storage ``value`` is a view of (created on first request, then shared)."""
    root = _usable_root(value)
    key = id(root)
    st = _STORAGES.get(key)
    if st is None:
        with _REGISTRY_LOCK:  # two threads asking at once get the same Storage
            st = _STORAGES.get(key)
            if st is None:
                st = Storage(_flat_view(root), _this_module, _stripe(root))
                _STORAGES[key] = st
    return st


def bump_version(value: np.ndarray) -> None:
    """Count a write into ``value``'s storage, if anyone holds that Storage object."""
    # (``.data``: the mapping's own dict, whose truth costs nothing; WeakValueDictionary's
    # ``__len__`` is Python code. An entry pending removal only sends us to ``get``.)
    if _STORAGES.data:  # type: ignore[attr-defined]
        st = _STORAGES.get(id(_usable_root(value)))
        if st is not None:
            with st._lock:  # an exact count under concurrent writers
                st._version += 1


def layout_of(value: np.ndarray) -> Layout:
    """The Layout of ``value`` over its storage (strides and offset in elements)."""
    item = value.itemsize
    strides = tuple(s // item for s in value.strides)
    if value.size == 0:
        return Layout(tuple(value.shape), strides, 0)
    st = storage_of(value)
    offset = (data_ptr(value) - data_ptr(st._buffer)) // item
    return Layout(tuple(value.shape), strides, offset)


def strides_of(value: np.ndarray) -> tuple[int, ...]:
    if value.size == 0:  # canonical, as every backend's empty layouts (see Layout)
        return contiguous_strides(value.shape)
    item = value.itemsize
    return tuple(s // item for s in value.strides)


def materialise(storage: Storage, layout: Layout) -> np.ndarray:
    """A live NumPy view of ``layout`` over ``storage``."""
    buf = storage._buffer
    item = buf.itemsize
    if layout.size == 0:
        return np.empty(layout.shape, dtype=buf.dtype)
    base = buf[layout.offset :]
    return as_strided(
        base,
        shape=layout.shape,
        strides=tuple(s * item for s in layout.strides),
        writeable=buf.flags.writeable,
    )


def is_aligned_view(value: np.ndarray) -> bool:
    """Whether ``value`` can be described by element strides (so shared as a storage view)."""
    item = value.itemsize
    return value.dtype.isnative and not any(s % item for s in value.strides)


_this_module: Any = None


def _init() -> None:
    import sys

    global _this_module
    _this_module = sys.modules[__name__]


_init()


# Composite kernels run eagerly, one NumPy call per operation: no fused multiply-add, and
# callers keep their temporaries cache-sized by processing long arrays in blocks.
composite_fused = False


def tracing() -> bool:
    """Whether a function transformation is being traced (never, on NumPy)."""
    return False


def composite(func: Any, static_argnames: tuple[str, ...] = ()) -> Any:  # noqa: ARG001
    """``func(xp, ...)`` as a kernel: called eagerly with ``kx`` (the JAX backend
    compiles it)."""
    return functools.partial(func, kx)


# ------------------------------------------------------------ the rest of the protocol


def native_random(name: str, device: Device | None) -> Any:  # noqa: ARG001
    """The host's native kernel for ``storax._random_kernels.<name>`` (same arguments, less
    ``xp``; a NumPy array on the CPU), or None: then the composite kernel draws."""
    return _native_random.kernel(name)


def is_value(value: Any) -> bool:
    """Whether ``value`` is a NumPy array or scalar (a value of this backend)."""
    return isinstance(value, (np.ndarray, np.generic))


def is_tracer(value: Any) -> bool:  # noqa: ARG001
    """NumPy values are never traced."""
    return False


def compile_kernel(func: Any) -> Any:
    """``func`` as a kernel: NumPy runs it eagerly."""
    return func


def allocate(value: Any) -> Storage:
    """A new Storage holding a flat copy of ``value``."""
    return storage_of(np.array(value, copy=True).reshape(-1))


def view_of(storage: Storage, layout: Layout, readonly: bool) -> Any:
    """An Array viewing ``layout`` of ``storage`` (a live ndarray view whose ``storage()``
    is ``storage``: it is built over the storage's root memory, so its base chain leads
    there, which ``as_strided`` views do not)."""
    buf = storage._buffer
    if layout.size == 0:
        v = np.empty(layout.shape, dtype=buf.dtype)
    else:
        root = _root(buf)
        item = buf.itemsize
        start = data_ptr(buf) - data_ptr(root) + layout.offset * item
        try:
            v = np.ndarray(
                layout.shape, buf.dtype, buffer=root, offset=start,
                strides=tuple(s * item for s in layout.strides),
            )  # fmt: skip
        except (TypeError, ValueError, BufferError):  # a root that exposes no buffer
            v = materialise(storage, layout)
    if (readonly or not buf.flags.writeable) and v.flags.writeable:
        v.flags.writeable = False
    return wrap(v)


def _check_writeable(view: np.ndarray, func: str) -> None:
    if not view.flags.writeable:
        raise ValueError(f"{func}: this array is a read-only view; copy it before writing")


def write(storage: Storage, layout: Layout, values: Any, func: str = "__setitem__") -> None:
    """Write ``values`` (broadcast to the layout's shape) through ``layout``."""
    view = materialise(storage, layout)
    _check_writeable(view, func)
    view[...] = values
    storage._version += 1


def write_indices(storage: Storage, indices: Any, values: Any, func: str = "__setitem__") -> None:
    """Write ``values`` at the storage ``indices`` (an integer array)."""
    _check_writeable(storage._buffer, func)
    storage._buffer[indices] = values
    storage._version += 1


def write_mask(storage: Storage, layout: Layout, mask: Any, values: Any, func: str) -> None:
    """``view[mask] = values`` for the view ``layout`` of ``storage``."""
    view = materialise(storage, layout)
    _check_writeable(view, func)
    view[mask] = values
    storage._version += 1


def from_dlpack(x: Any, device: Device | None, copy: bool | None) -> np.ndarray:
    """A NumPy array of a DLPack producer's data (a host copy when it is elsewhere)."""
    kwargs: dict[str, Any] = {} if device is None else {"device": "cpu"}
    try:
        return np.from_dlpack(x, copy=copy, **kwargs)
    except (BufferError, RuntimeError) as e:
        if copy is False:
            raise BufferError(f"from_dlpack: cannot share this array without a copy: {e}") from e
        # Not on the CPU: ask the producer for a host copy.
        return np.from_dlpack(x, copy=True, device="cpu")


_clip_ufunc = getattr(getattr(np, "_core", None), "umath", None)
_clip_ufunc = getattr(_clip_ufunc, "clip", None)


def _in_range(dtype: np.dtype, lo: int, hi: int) -> bool:
    info = np.iinfo(dtype)
    return bool(info.min <= lo and hi <= info.max)


def clip(v: np.ndarray, lo: Any, hi: Any) -> np.ndarray:
    """``clip`` of a validated value (NaN propagates), always a new array of ``v``'s dtype."""
    # Note: ``maximum(minimum(v, hi), lo)``, the second pass in place: where lo > hi (which
    # the standard leaves unspecified) the result is lo, on every backend.
    if lo is None and hi is None:
        return np.array(v, copy=True)
    tl, th = type(lo), type(hi)
    if (
        _clip_ufunc is not None
        and (tl is float or tl is int)
        and (th is float or th is int)
        and lo <= hi
        and v.dtype.kind in "fiu"
        and (
            (v.dtype.kind == "f" and lo != 0 and hi != 0)
            or (tl is int and th is int and _in_range(v.dtype, lo, hi))
        )
    ):
        # Ordered Python bounds: NumPy's clip ufunc, one pass. It computes
        # ``minimum(maximum(v, lo), hi)``, equal to the two passes below when lo <= hi,
        # NaNs included; only the sign of a zero result can differ (a tie of -0.0 with a
        # zero bound), hence no zero bounds here.
        return np.asarray(_clip_ufunc(v, lo, hi))
    r = np.asarray(np.minimum(v, hi) if hi is not None else np.maximum(v, lo))
    if r.dtype != v.dtype or r is v:
        r = r.astype(v.dtype, copy=True)
    if hi is not None and lo is not None:
        if np.broadcast_shapes(r.shape, np.shape(lo)) == r.shape:
            np.maximum(r, lo, out=r, casting="unsafe")
        else:  # a bound that broadcasts the result to a larger shape
            r = np.maximum(r, lo).astype(v.dtype, copy=False)
    return r


def format_array(value: np.ndarray, dtype_suffix: str, options: dict[str, Any]) -> str:
    """The seed's ``tensor([...])`` repr of a host array, per the print ``options``."""
    prefix = "tensor("
    kwargs: dict[str, Any] = {}
    if options["sci_mode"] is True:
        p = options["precision"]
        kwargs["formatter"] = {"float_kind": lambda x: f"{x:.{p}e}"}
    elif options["sci_mode"] is False:
        kwargs["suppress_small"] = True
        kwargs["floatmode"] = "fixed"
    else:
        kwargs["floatmode"] = "maxprec_equal"
    body = np.array2string(
        np.asarray(value),
        separator=", ",
        prefix=prefix,
        precision=options["precision"],
        threshold=options["threshold"],
        edgeitems=options["edgeitems"],
        max_line_width=options["linewidth"],
        **kwargs,
    )
    return prefix + body + dtype_suffix + ")"


# The family (imported last: it builds on the functions above).
from . import _numpy_array  # noqa: E402
from ._numpy_elementwise import BINARY as _BINARY_KERNELS  # noqa: E402
from ._numpy_elementwise import UNARY as _UNARY_KERNELS  # noqa: E402

Array = _numpy_array.NumpyArray
wrap = _numpy_array.new
Array._unary_kernels = _UNARY_KERNELS
Array._binary_kernels = _BINARY_KERNELS


def install_operators(cls: Any, ew: Any) -> None:
    """Install the Python operators on the family ``cls`` (the composition step)."""
    from ._numpy_operators import install

    install(cls, ew)


try:  # NumPy >= 2: the error state is a context variable holding an opaque "extobj"
    from numpy._core._ufunc_config import _extobj_contextvar  # type: ignore[attr-defined]
    from numpy._core.umath import _make_extobj
except ImportError:  # pragma: no cover - another NumPy layout: its errstate
    _extobj_contextvar = None

# (the caller's error state, the same with every floating-point error ignored): the last
# pair made, replaced when a caller's state differs (np.seterr, np.errstate, a thread).
_quiet_pair: tuple[Any, Any] = (None, None)


class _Quiet:
    """``np.errstate(all="ignore")`` without its per-call cost (~1.4 µs: it builds the
    ignoring state anew on each entry); here the state is made once for the caller's and
    only set and reset on entry and exit (~0.3 µs)."""

    __slots__ = ("_token",)

    def __enter__(self) -> None:
        global _quiet_pair
        current = _get_state()
        base, ignoring = _quiet_pair
        if current is not base:
            # _make_extobj starts from the current state (keeps its buffer size and call)
            ignoring = _make_extobj(all="ignore")
            _quiet_pair = (current, ignoring)
        self._token = _set_state(ignoring)

    def __exit__(self, *exc_info: object) -> None:
        _reset_state(self._token)


def _errstate_quiet() -> Any:  # pragma: no cover - another NumPy layout
    return np.errstate(all="ignore")


if _extobj_contextvar is not None:
    _get_state = _extobj_contextvar.get
    _set_state = _extobj_contextvar.set
    _reset_state = _extobj_contextvar.reset

# A context in which floating-point warnings are not raised (NumPy's errstate): the class
# itself where it can (one Python call less on every linear-algebra, fft and statistics
# call; storax._backends.quiet is this).
quiet: Any = _errstate_quiet if _extobj_contextvar is None else _Quiet


# the C function np.count_nonzero calls (after its Python wrapper's argument handling)
# (NumPy's public function where another NumPy layout lacks it)
_count_nonzero: Any = getattr(
    getattr(getattr(np, "_core", None), "multiarray", None), "count_nonzero", np.count_nonzero
)


def all_finite(value: Any) -> bool:
    """Whether no element of ``value`` is NaN or infinite (eagerly; integers always are).

    Counting the finite flags is the cheapest exact test on small arrays:
    ``np.isfinite(v).all()`` pays ~1.4 µs of method wrapping on top. Large ones are
    summed first: NaN and infinities propagate into the sum (``inf - inf`` is NaN), so a
    finite sum proves every element finite without the n-element mask; a sum that
    overflows (finite elements) takes the count."""
    if value.dtype.kind not in "fc":
        return True
    if value.size > _SUM_FIRST:
        with np.errstate(all="ignore"):
            if np.isfinite(np.add.reduce(value, axis=None)):
                return True
    return _count_nonzero(np.isfinite(value)) == value.size


_SUM_FIRST = 1 << 14  # elements


linalg_errors: tuple[type, ...] = (np.linalg.LinAlgError,)


def adopt(buffer: np.ndarray) -> Storage:
    """A Storage over a flat host buffer's memory, without a copy where it can be shared
    (a native 1-D contiguous root, such as a loaded or memory-mapped file region), else
    over a native copy. Views made over it with ``view_of`` all report this Storage."""
    root = _root(buffer)
    if not (
        root.ndim == 1
        and root.flags.c_contiguous
        and root.dtype == buffer.dtype
        and root.size == buffer.size
        and root.dtype.isnative
    ):
        root = np.array(buffer, dtype=buffer.dtype.newbyteorder("="), copy=True).reshape(-1)
    st = storage_of(root)
    # Note: the flat view of a 1-D contiguous root covers exactly the root's memory; using
    # the root itself lets views be built with plain ndarray views of it.
    st._buffer = root
    return st


def _top_k_masks(v: np.ndarray, t: np.ndarray, largest: bool) -> tuple[np.ndarray, np.ndarray]:
    """Entries equal to the boundary ``t``, and entries strictly before it (NaN highest)."""
    if v.dtype.kind in "fc":
        v_nan, t_nan = np.isnan(v), np.isnan(t)
        eq = (v == t) | (v_nan & t_nan)
        better = (v > t) | (v_nan & ~t_nan) if largest else (v < t) | (~v_nan & t_nan)
        return eq, better
    return v == t, (v > t if largest else v < t)


def top_k(value: np.ndarray, k: int, axis: int, largest: bool) -> tuple[np.ndarray, np.ndarray]:
    """The ``k`` largest (or smallest) entries along ``axis`` and their indices, in order.

    The result equals the first ``k`` entries of a stable sort (descending for
    ``largest``) with NaN ordered above every number, ties by lowest index. It costs one
    ``argpartition`` (O(n)) and a sort of the ``k`` chosen entries; only when entries
    equal to the k-th one were left out do a few more O(n) passes pick the lowest-index
    ones.
    """
    v = np.moveaxis(value, axis, -1)
    n = v.shape[-1]
    if k == 0 or v.size == 0:
        shape = v.shape[:-1] + (k,)
        vals, idx = np.empty(shape, v.dtype), np.empty(shape, np.int64)
        return np.moveaxis(vals, -1, axis), np.moveaxis(idx, -1, axis)
    if k == n:
        idx = np.broadcast_to(np.arange(n), v.shape)
    else:
        kth = n - k if largest else k - 1
        # argpartition orders NaN last, i.e. as the largest value.
        part = np.argpartition(v, kth, axis=-1)
        idx = part[..., n - k :] if largest else part[..., :k]
        t = np.take_along_axis(v, part[..., kth : kth + 1], axis=-1)  # the k-th entry
        eq, better = _top_k_masks(v, t, largest)
        ties_in = np.count_nonzero(_top_k_masks(np.take_along_axis(v, idx, -1), t, largest)[0])
        if np.count_nonzero(eq) != ties_in:
            # Some entries equal to the k-th were left out: keep the lowest-index ones.
            need = k - np.count_nonzero(better, axis=-1, keepdims=True)
            chosen = better | (eq & (np.cumsum(eq, axis=-1) <= need))
            # Exactly k per row; nonzero lists them row by row, by increasing index.
            idx = np.nonzero(chosen)[-1].reshape(v.shape[:-1] + (k,))
        else:
            idx = np.sort(idx, axis=-1)
    vals = np.take_along_axis(v, idx, axis=-1)
    if largest:
        # Stable descending order: sort the reversed row ascending, then reverse back.
        order = (k - 1) - np.argsort(vals[..., ::-1], axis=-1, stable=True)[..., ::-1]
    else:
        order = np.argsort(vals, axis=-1, stable=True)
    idx = np.take_along_axis(idx, order, axis=-1)
    vals = np.take_along_axis(vals, order, axis=-1)
    return np.moveaxis(vals, -1, axis), np.moveaxis(idx.astype(np.int64, copy=False), -1, axis)
