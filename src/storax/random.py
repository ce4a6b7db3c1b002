"""storax.random: seeded random numbers, one Philox4x32-10 stream, the same on every backend.

A :class:`Generator` holds a 64-bit key (its seed) and a 64-bit block counter; each draw
computes Philox blocks ``counter, counter + 1, ...`` with the kernels of
``_random_kernels`` (integer arithmetic that every backend computes bit-exactly) and
advances the counter past them. The module-level functions draw from the global
``default_generator`` (``manual_seed`` seeds it). docs/random.md specifies the stream.
"""

from __future__ import annotations

import builtins
import os
from typing import Any

from . import _backends, _dtypes
from . import _random_kernels as _rk
from ._array_object import Array
from ._backends import backend_for_device
from ._backends import current as _current_backend
from ._backends import wrap as _wrap
from ._creation_functions import _int_arg, _shape_arg
from ._device import as_device
from ._device_dtypes import check_supported, default_float, default_int
from ._indexing_functions import take
from ._names import with_names as _with_names

__all__ = [
    "Generator",
    "default_generator",
    "initial_seed",
    "manual_seed",
    "normal",
    "permutation",
    "rand",
    "randint",
    "randn",
    "randperm",
    "seed",
    "shuffle",
    "uniform",
]

_M32 = _rk.MASK32
_M64 = (1 << 64) - 1
_FLOATS = (_dtypes.float32, _dtypes.float64)
_NUMPY_BLOCK = 1 << 14  # Philox blocks per call on eager backends (temporaries stay in cache)


def _real_arg(value: Any, func: str, name: str) -> float:
    if isinstance(value, (builtins.bool, complex, Array)) or not isinstance(value, (int, float)):
        raise TypeError(f"{func}: {name} must be a real number, got {type(value).__name__}")
    out = float(value)
    if out != out or out in (float("inf"), float("-inf")):
        raise ValueError(f"{func}: {name} must be finite, got {value}")
    return out


def _seed_arg(seed: Any, func: str) -> int:
    s = _int_arg(seed, func, "seed")
    if not -(1 << 63) <= s <= _M64:
        raise ValueError(f"{func}: seed must be in [-2**63, 2**64), got {s}")
    return s & _M64


def _size_arg(size: tuple[Any, ...], func: str) -> tuple[int, ...]:
    if len(size) == 1 and isinstance(size[0], (tuple, list)):
        size = tuple(size[0])
    return _shape_arg(size, func)


def _target(device: Any, func: str) -> tuple[Any, Any]:
    """The backend and device (None: its default) a draw's result goes to."""
    if device is None:
        return _current_backend(), None
    dev = as_device(device, func)
    return backend_for_device(dev, func), dev


def _float_dtype(dtype: Any, func: str, device: Any = None) -> Any:
    backend, dev = _target(device, func)
    if dtype is None:
        return default_float(backend)
    d = _dtypes.check_dtype(dtype, func)
    if d not in _FLOATS:
        raise TypeError(f"{func}: dtype must be float32 or float64, got {d}")
    check_supported(d, backend, dev, func)
    return d


def _int_dtype(dtype: Any, func: str, device: Any = None) -> Any:
    backend, dev = _target(device, func)
    if dtype is None:
        return default_int(backend)
    d = _dtypes.check_dtype(dtype, func)
    if d.kind not in "iu":
        raise TypeError(f"{func}: dtype must be an integer dtype, got {d}")
    check_supported(d, backend, dev, func)
    return d


def _int_range(dtype: Any) -> tuple[int, int]:
    bits = 8 * dtype.itemsize
    if dtype.kind == "u":
        return 0, (1 << bits) - 1
    return -(1 << (bits - 1)), (1 << (bits - 1)) - 1


def _halves(v: int) -> tuple[int, int]:
    return v & _M32, (v >> 32) & _M32


# (backend name, kernel function) -> the backend's composite kernel of it
_KERNELS: dict[tuple[str, Any], Any] = {}


def _kernel(backend: Any, func: Any, static: tuple[str, ...]) -> Any:
    key = (backend.name, func)
    kernel = _KERNELS.get(key)
    if kernel is None:
        kernel = _KERNELS[key] = backend.composite(func, static)
    return kernel


def _fresh_seed() -> int:
    return int.from_bytes(os.urandom(8), "little")


class Generator:
    """A Philox4x32-10 random number generator: a 64-bit key and a 64-bit block counter.

    ``Generator(seed)`` draws the same numbers on every backend and device. Its methods
    are those of the module (``rand``, ``randn``, ``randint``, ...), without the
    ``generator=`` keyword. Each draw advances the generator's counter; the global
    functions use :data:`default_generator` instead. Under ``jax.jit`` a Generator is a
    pytree: pass it in, draw, and return it to carry its advanced state out.

    Parameters
    ----------
    seed : int, optional
        In ``[-2**63, 2**64)`` (negative seeds are taken modulo 2**64, as PyTorch does).
        Default: 64 bits from ``os.urandom``.

    Examples
    --------
    >>> import storax as sx
    >>> g = sx.random.Generator(123)
    >>> a = g.rand(3)
    >>> bool(sx.all(a == sx.random.Generator(123).rand(3)))
    True
    >>> bool(sx.all(g.rand(3) == a))  # the counter moved on
    False
    """

    __slots__ = ("_state",)
    _state: tuple[Any, Any, Any, Any]  # (key lo, key hi, counter lo, counter hi), 32 bits each

    def __init__(self, seed: Any = None) -> None:
        self.manual_seed(_fresh_seed() if seed is None else seed)

    def __repr__(self) -> str:
        try:
            key, offset = self.get_state()
        except RuntimeError:
            return "Generator(<traced>)"
        return f"Generator(seed={key}, offset={offset})"

    # ------------------------------------------------------------------ state
    def manual_seed(self, seed: Any) -> Generator:
        """Seed the generator (key = ``seed`` modulo 2**64, counter 0); returns it.

        Examples
        --------
        >>> import storax as sx
        >>> g = sx.random.Generator().manual_seed(7)
        >>> g.initial_seed()
        7
        """
        s = _seed_arg(seed, "manual_seed")
        self._state = (*_halves(s), 0, 0)
        return self

    def seed(self) -> int:
        """Seed the generator from ``os.urandom`` and return the seed.

        Examples
        --------
        >>> import storax as sx
        >>> g = sx.random.Generator()
        >>> g.seed() == g.initial_seed()
        True
        """
        s = _fresh_seed()
        self.manual_seed(s)
        return s

    def initial_seed(self) -> int:
        """The seed (the 64-bit Philox key) of the generator.

        Examples
        --------
        >>> import storax as sx
        >>> sx.random.Generator(2**64 - 1).initial_seed()
        18446744073709551615
        """
        return self.get_state()[0]

    def get_state(self) -> tuple[int, int]:
        """``(key, counter)``: the seed and the number of Philox blocks drawn so far.

        Examples
        --------
        >>> import storax as sx
        >>> g = sx.random.Generator(5)
        >>> _ = g.rand(10)  # 10 float32 values: 3 blocks of four 32-bit words
        >>> g.get_state()
        (5, 3)
        """
        k0, k1, o0, o1 = self._concrete("get_state")
        return k0 | (k1 << 32), o0 | (o1 << 32)

    def set_state(self, state: Any) -> None:
        """Restore a state returned by :meth:`get_state`.

        Examples
        --------
        >>> import storax as sx
        >>> g = sx.random.Generator(5)
        >>> saved = g.get_state()
        >>> a = g.randn(4)
        >>> g.set_state(saved)
        >>> bool(sx.all(g.randn(4) == a))
        True
        """
        if not isinstance(state, tuple) or len(state) != 2:
            raise TypeError("set_state: expected a (key, counter) tuple from get_state()")
        key = _int_arg(state[0], "set_state", "key")
        offset = _int_arg(state[1], "set_state", "counter")
        if not (0 <= key <= _M64 and 0 <= offset <= _M64):
            raise ValueError("set_state: key and counter must be in [0, 2**64)")
        self._state = (*_halves(key), *_halves(offset))

    def spawn(self, n: Any) -> list[Generator]:
        """``n`` new generators whose keys are the next ``n`` 64-bit values of the stream
        (the generator advances past them, as :meth:`randint` would). Not inside a trace.

        Examples
        --------
        >>> import storax as sx
        >>> a, b = sx.random.Generator(0).spawn(2)
        >>> a.initial_seed() != b.initial_seed()
        True
        """
        count = _int_arg(n, "spawn", "n")
        if count < 0:
            raise ValueError(f"spawn: n must be non-negative, got {count}")
        if count == 0:
            return []
        self._concrete("spawn")
        keys = self._draw("spawn", _rk.randint, 2, count, None, (0, 0, 0, 0),
                          dtype=_dtypes.uint64, full=True)  # fmt: skip
        out = []
        for key in _wrap(keys).tolist():
            g = Generator.__new__(Generator)
            g._state = (*_halves(key), 0, 0)
            out.append(g)
        return out

    def _concrete(self, func: str) -> tuple[int, int, int, int]:
        state = self._state
        if all(type(v) is int for v in state):
            return state
        if any(_backends.traced_backend(v) is not None for v in state):
            raise RuntimeError(f"{func}: the generator's state is traced (inside jax.jit)")
        k0, k1, o0, o1 = (int(v) for v in state)
        self._state = (k0, k1, o0, o1)
        return k0, k1, o0, o1

    # ------------------------------------------------------------------ drawing
    def _draw(
        self,
        func: str,
        kernel: Any,
        per_block: int,
        count: int,
        device: Any,
        args: tuple[Any, ...] = (),
        **static: Any,
    ) -> Any:
        """Run ``kernel`` for ``count`` values (``per_block`` per Philox block) and advance."""
        names = ("count", *static)
        state = self._state
        nblocks = -(-count // per_block)
        owner = None
        if not all(type(v) is int for v in state):
            owner = next((b for b in map(_backends.traced_backend, state) if b is not None), None)
        if owner is not None:  # inside a trace: the state is traced values
            if not owner.x64:
                raise TypeError(
                    f"{func}: a traced generator computes the stream in 64-bit integers, "
                    f"which the traced backend's devices lack{owner.unsupported_note}; "
                    "draw outside the traced function and pass the numbers in"
                )
            if (
                device is not None
                and backend_for_device(as_device(device, func), func) is not owner
            ):
                raise ValueError(
                    f"{func}: a traced generator draws on the traced backend's devices"
                )
            if "fused" in static:
                static["fused"] = owner.composite_fused
            value = _kernel(owner, kernel, names)(*state, *args, count=count, **static)
            o0, o1 = _kernel(owner, _rk.advance, ())(state[2], state[3], nblocks)
            self._state = (state[0], state[1], o0, o1)
            return value
        k0, k1, o0, o1 = self._concrete(func)
        backend, dev = _target(device, func)
        target = None
        if not backend.x64:
            # Note: the stream's kernels compute in 64-bit integers, which this device
            # lacks: the host computes the same bits, and the result moves to the device.
            target, backend = (backend, dev), _backends.host
            dev = None
        if "fused" in static:
            static["fused"] = backend.composite_fused
        offset = o0 | (o1 << 32)
        native = backend.native_random(kernel.__name__, dev)
        step = None if backend.composite_fused else _NUMPY_BLOCK
        if native is not None:  # the same bits from a compiled host kernel, on ``dev``
            value = native(k0, k1, o0, o1, *args, count=count, **static)
            dev = None
        elif step is None or nblocks <= step:
            value = _kernel(backend, kernel, names)(k0, k1, o0, o1, *args, count=count, **static)
        else:
            kern = _kernel(backend, kernel, names)
            parts = []
            for start in range(0, nblocks, step):
                n = min(step * per_block, count - start * per_block)
                at = (offset + start) & _M64
                parts.append(kern(k0, k1, *_halves(at), *args, count=n, **static))
            value = backend.xp.concat(parts)
        self._state = (k0, k1, *_halves((offset + nblocks) & _M64))
        if target is not None:
            if value.dtype not in target[0].supported_dtypes:
                return value  # 64-bit stream words (randperm's keys): used on the host
            return target[0].from_host(value, target[1])
        if dev is not None and dev != backend.default_device():
            value = backend.from_host(value, dev)
        return value

    def rand(self, *size: Any, dtype: Any = None, device: Any = None) -> Array:
        """Uniform numbers in [0, 1) of shape ``size`` (ints, or one tuple).

        Parameters
        ----------
        *size : int or tuple of ints
            ``rand(3, 5, 5)`` or ``rand((3, 5, 5))``.
        dtype : float32 or float64, optional
            Default: the default floating-point dtype.
        device : Device or str, optional
            Default: the current backend's default device.

        Examples
        --------
        >>> import storax as sx
        >>> sx.random.Generator(0).rand(2, 3).shape
        (2, 3)
        """
        shape = _size_arg(size, "rand")
        d = _float_dtype(dtype, "rand", device)
        n = _count(shape)
        per = 4 if d == _dtypes.float32 else 2
        v = self._draw("rand", _rk.uniform01, per, n, device, dtype=d)
        return _wrap(v.reshape(shape))

    def uniform(
        self, low: Any = 0.0, high: Any = 1.0, size: Any = (), *, dtype: Any = None,
        device: Any = None,
    ) -> Array:  # fmt: skip
        """Uniform numbers in [low, high) of shape ``size``.

        Rounding can make a float32 value equal to ``high`` when ``high - low`` is large
        against the spacing of floats near ``high`` (as in NumPy and PyTorch).

        Examples
        --------
        >>> import storax as sx
        >>> x = sx.random.Generator(0).uniform(-2.0, 2.0, (1000,))
        >>> bool(sx.all((x >= -2.0) & (x < 2.0)))
        True
        """
        lo = _real_arg(low, "uniform", "low")
        hi = _real_arg(high, "uniform", "high")
        if not lo <= hi:
            raise ValueError(f"uniform: low must not exceed high, got low={lo}, high={hi}")
        shape = _shape_arg(size, "uniform")
        d = _float_dtype(dtype, "uniform", device)
        per = 4 if d == _dtypes.float32 else 2
        v = self._draw("uniform", _rk.uniform, per, _count(shape), device, (lo, hi),
                       dtype=d, fused=False)  # fmt: skip
        return _wrap(v.reshape(shape))

    def randn(self, *size: Any, dtype: Any = None, device: Any = None) -> Array:
        """Standard normal numbers of shape ``size`` (ints, or one tuple).

        Examples
        --------
        >>> import storax as sx
        >>> x = sx.random.Generator(0).randn(100_000, dtype=sx.float64)
        >>> abs(float(sx.mean(x))) < 0.02, abs(float(sx.std(x)) - 1) < 0.02
        (True, True)
        """
        shape = _size_arg(size, "randn")
        d = _float_dtype(dtype, "randn", device)
        v = self._draw("randn", _rk.normal, 2, _count(shape), device, (0.0, 1.0),
                       dtype=d, fused=False)  # fmt: skip
        return _wrap(v.reshape(shape))

    def normal(
        self, mean: Any = 0.0, std: Any = 1.0, size: Any = (), *, dtype: Any = None,
        device: Any = None,
    ) -> Array:  # fmt: skip
        """Normal numbers ``mean + std * randn(size)`` (``mean``, ``std``: real numbers).

        Examples
        --------
        >>> import storax as sx
        >>> x = sx.random.Generator(0).normal(10.0, 0.5, (4,))
        >>> x.shape, x.dtype
        ((4,), dtype('float32'))
        """
        m = _real_arg(mean, "normal", "mean")
        s = _real_arg(std, "normal", "std")
        if s < 0:
            raise ValueError(f"normal: std must be non-negative, got {s}")
        shape = _shape_arg(size, "normal")
        d = _float_dtype(dtype, "normal", device)
        v = self._draw("normal", _rk.normal, 2, _count(shape), device, (m, s),
                       dtype=d, fused=False)  # fmt: skip
        return _wrap(v.reshape(shape))

    def randint(self, *args: Any, size: Any = None, dtype: Any = None, device: Any = None) -> Array:
        """Integers in [low, high): ``randint(high, size)`` or ``randint(low, high, size)``.

        Each value takes 64 bits of the stream: ``low + floor(w * (high - low) / 2**64)``,
        whose bias is at most ``(high - low) / 2**64`` (below 2**-32 for ranges up to 2**32).

        Examples
        --------
        >>> import storax as sx
        >>> g = sx.random.Generator(0)
        >>> x = g.randint(3, 10, (1000,))
        >>> int(sx.min(x)) >= 3, int(sx.max(x)) <= 9, x.dtype
        (True, True, dtype('int64'))
        """
        args_ = list(args)
        if args_ and isinstance(args_[-1], (tuple, list)):
            if size is not None:
                raise TypeError("randint: size given twice")
            size = args_.pop()
        if len(args_) == 1:
            low, high = 0, args_[0]
        elif len(args_) == 2:
            low, high = args_
        else:
            raise TypeError(f"randint: expected (high, size) or (low, high, size), got {args!r}")
        lo = _int_arg(low, "randint", "low")
        hi = _int_arg(high, "randint", "high")
        shape = _shape_arg(() if size is None else size, "randint")
        d = _int_dtype(dtype, "randint", device)
        if lo >= hi:
            raise ValueError(f"randint: low must be less than high, got low={lo}, high={hi}")
        dmin, dmax = _int_range(d)
        if lo < dmin or hi - 1 > dmax:
            raise ValueError(f"randint: [{lo}, {hi}) is out of the range of {d} [{dmin}, {dmax}]")
        r = hi - lo
        full = r == 1 << 64
        args_k = (*_halves(lo & _M64), *_halves(0 if full else r))
        v = self._draw("randint", _rk.randint, 2, _count(shape), device, args_k,
                       dtype=d, full=full)  # fmt: skip
        return _wrap(v.reshape(shape))

    def randperm(self, n: Any, *, dtype: Any = None, device: Any = None) -> Array:
        """A random permutation of ``0, ..., n - 1``: the stable argsort of ``n`` 64-bit
        stream values.

        Examples
        --------
        >>> import storax as sx
        >>> p = sx.random.Generator(0).randperm(5)
        >>> sorted(p.tolist())
        [0, 1, 2, 3, 4]
        """
        count = _int_arg(n, "randperm", "n")
        if count < 0:
            raise ValueError(f"randperm: n must be non-negative, got {count}")
        d = _int_dtype(dtype, "randperm", device)
        if count - 1 > _int_range(d)[1]:
            raise ValueError(f"randperm: n={count} does not fit in {d}")
        keys = self._draw("randperm", _rk.randint, 2, count, device, (0, 0, 0, 0),
                          dtype=_dtypes.uint64, full=True)  # fmt: skip
        k = _wrap(keys)
        perm = k._new(_kernel(k._backend, _rk.argsort, ("dtype",))(k._value, dtype=d))
        backend, dev = _target(device, "randperm")
        if perm._backend is not backend:  # keys drawn on the host (no 64-bit types there)
            return perm.to_device(dev or backend.default_device())
        return perm

    def permutation(self, x: Any, *, axis: int = 0) -> Array:
        """``randperm(x)`` for an int; for an array, a copy shuffled along ``axis``.

        Examples
        --------
        >>> import storax as sx
        >>> x = sx.arange(6)
        >>> sorted(sx.random.Generator(0).permutation(x).tolist())
        [0, 1, 2, 3, 4, 5]
        """
        if not isinstance(x, Array):
            return self.randperm(x)
        ax = _axis_arg(x, axis, "permutation")
        perm = self.randperm(x.shape[ax], device=x.device)
        return take(x, perm, axis=ax)

    def shuffle(self, x: Any, *, axis: int = 0) -> None:
        """Shuffle ``x`` in place along ``axis`` (writes through the array's storage).

        Examples
        --------
        >>> import storax as sx
        >>> x = sx.arange(5)
        >>> sx.random.Generator(0).shuffle(x)
        >>> sorted(x.tolist())
        [0, 1, 2, 3, 4]
        """
        if not isinstance(x, Array):
            raise TypeError(f"shuffle: expected a storax array, got {type(x).__name__}")
        ax = _axis_arg(x, axis, "shuffle")
        x[...] = take(x, self.randperm(x.shape[ax], device=x.device), axis=ax)


def _axis_arg(x: Array, axis: Any, func: str) -> int:
    if x.ndim == 0:
        raise ValueError(f"{func}: cannot shuffle a 0-dimensional array")
    ax = _int_arg(axis, func, "axis")
    if not -x.ndim <= ax < x.ndim:
        raise ValueError(f"{func}: axis {ax} is out of range for a {x.ndim}-d array")
    return ax % x.ndim


def _count(shape: tuple[int, ...]) -> int:
    n = 1
    for d in shape:
        n *= d
    return n


def _unflatten(aux: None, children: Any) -> Generator:
    g = Generator.__new__(Generator)
    g._state = tuple(children)
    return g


def _register(backend: Any) -> None:
    register = getattr(backend, "register_pytree", None)
    if register is None:
        return
    xp = backend.xp

    def flatten(g: Generator) -> tuple[tuple[Any, ...], None]:
        # Note: uint32 leaves whatever the state holds (Python ints, or the uint32 values
        # a traced draw leaves), so passing a generator again reuses the compiled function.
        return tuple(xp.asarray(v, dtype=_dtypes.uint32) for v in g._state), None

    register(Generator, flatten, _unflatten)


_backends.on_load(_register)

#: The generator the module-level functions draw from (``manual_seed`` seeds it).
default_generator = Generator()


def _global(generator: Any, func: str) -> Generator:
    if generator is None:
        if _backends.tracing():
            raise RuntimeError(
                f"{func}: the global generator cannot draw inside jax.jit/grad/vmap (its "
                "numbers would be frozen into the trace and its state would not advance); "
                "pass a storax.random.Generator into the traced function, draw with "
                "generator=g or g.rand(...), and return g"
            )
        return default_generator
    if not isinstance(generator, Generator):
        raise TypeError(
            f"{func}: generator must be a storax.random.Generator, got {type(generator).__name__}"
        )
    return generator


def manual_seed(seed: Any) -> Generator:
    """Seed the global generator (as ``torch.manual_seed``); returns it.

    Examples
    --------
    >>> import storax as sx
    >>> _ = sx.manual_seed(123)
    >>> a = sx.rand(3, 5, 5)
    >>> _ = sx.manual_seed(123)
    >>> bool(sx.all(sx.rand(3, 5, 5) == a))
    True
    """
    return default_generator.manual_seed(seed)


def seed() -> int:
    """Seed the global generator from ``os.urandom``; returns the seed.

    Examples
    --------
    >>> import storax as sx
    >>> sx.random.seed() == sx.random.initial_seed()
    True
    """
    return default_generator.seed()


def initial_seed() -> int:
    """The seed of the global generator.

    Examples
    --------
    >>> import storax as sx
    >>> _ = sx.manual_seed(42)
    >>> sx.random.initial_seed()
    42
    """
    return default_generator.initial_seed()


def rand(
    *size: Any, generator: Any = None, dtype: Any = None, device: Any = None, names: Any = None
) -> Array:
    """Uniform numbers in [0, 1) (see :meth:`Generator.rand`).

    Examples
    --------
    >>> import storax as sx
    >>> sx.rand(5, dtype=sx.float64).dtype
    dtype('float64')
    """
    out = _global(generator, "rand").rand(*size, dtype=dtype, device=device)
    return out if names is None else _with_names(out, names, "rand")


def randn(
    *size: Any, generator: Any = None, dtype: Any = None, device: Any = None, names: Any = None
) -> Array:
    """Standard normal numbers (see :meth:`Generator.randn`).

    Examples
    --------
    >>> import storax as sx
    >>> sx.randn((2, 2)).shape
    (2, 2)
    """
    out = _global(generator, "randn").randn(*size, dtype=dtype, device=device)
    return out if names is None else _with_names(out, names, "randn")


def uniform(
    low: Any = 0.0, high: Any = 1.0, size: Any = (), *, generator: Any = None,
    dtype: Any = None, device: Any = None,
) -> Array:  # fmt: skip
    """Uniform numbers in [low, high) (see :meth:`Generator.uniform`).

    Examples
    --------
    >>> import storax as sx
    >>> sx.random.uniform(1.0, 2.0, (3,)).shape
    (3,)
    """
    g = _global(generator, "uniform")
    return g.uniform(low, high, size, dtype=dtype, device=device)


def normal(
    mean: Any = 0.0, std: Any = 1.0, size: Any = (), *, generator: Any = None,
    dtype: Any = None, device: Any = None,
) -> Array:  # fmt: skip
    """Normal numbers with the given mean and standard deviation (see :meth:`Generator.normal`).

    Examples
    --------
    >>> import storax as sx
    >>> sx.normal(0.0, 2.0, (3,)).shape
    (3,)
    """
    return _global(generator, "normal").normal(mean, std, size, dtype=dtype, device=device)


def randint(
    *args: Any, size: Any = None, generator: Any = None, dtype: Any = None, device: Any = None
) -> Array:
    """Integers in [low, high) (see :meth:`Generator.randint`).

    Examples
    --------
    >>> import storax as sx
    >>> sx.randint(10, (3,)).shape
    (3,)
    """
    g = _global(generator, "randint")
    return g.randint(*args, size=size, dtype=dtype, device=device)


def randperm(n: Any, *, generator: Any = None, dtype: Any = None, device: Any = None) -> Array:
    """A random permutation of ``0, ..., n - 1`` (see :meth:`Generator.randperm`).

    Examples
    --------
    >>> import storax as sx
    >>> sorted(sx.randperm(4).tolist())
    [0, 1, 2, 3]
    """
    return _global(generator, "randperm").randperm(n, dtype=dtype, device=device)


def permutation(x: Any, *, axis: int = 0, generator: Any = None) -> Array:
    """A permuted copy of ``x`` or a permutation of ``range(x)`` (see
    :meth:`Generator.permutation`).

    Examples
    --------
    >>> import storax as sx
    >>> sx.random.permutation(3).shape
    (3,)
    """
    return _global(generator, "permutation").permutation(x, axis=axis)


def shuffle(x: Any, *, axis: int = 0, generator: Any = None) -> None:
    """Shuffle ``x`` in place along ``axis`` (see :meth:`Generator.shuffle`).

    Examples
    --------
    >>> import storax as sx
    >>> x = sx.arange(4)
    >>> sx.random.shuffle(x)
    >>> sorted(x.tolist())
    [0, 1, 2, 3]
    """
    _global(generator, "shuffle").shuffle(x, axis=axis)
