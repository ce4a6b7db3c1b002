"""The Array's Python operators (``+``, ``<``, ``+=``, ``-x``, ...), installed onto the class.

Kept apart from ``_array_object`` so the operator table stays readable. Each operator is
the hot path of the library: one type check, one dtype-set membership check, the kernel
(the NumPy ufunc, or the element-wise function's corrected kernel), and the wrap. Kernels,
dtype categories and the Python-scalar rules come from ``_elementwise_functions``, so an
operator and its function (``x // y`` and ``floor_divide(x, y)``) always agree. ``@``
delegates to ``matmul``.
"""

from __future__ import annotations

from typing import Any

from . import _dtypes, _elision
from ._backends import _numpy as _npb
from ._elision import can_reuse

np = _npb.np_
_ndarray = _npb.ndarray
_generic = _npb.generic
_object_new = object.__new__
_CATS = _dtypes.CATEGORIES
_bump_version = _npb.bump_version
_LOCK_ABOVE = _npb.LOCK_ABOVE
_ELIDE_MIN = _elision.MIN_BYTES
_PY_SCALARS = (bool, int, float, complex)

# operator name (without dunders) -> element-wise function; these also get __r*__/__i*__.
_ARITHMETIC = {
    "add": "add",
    "sub": "subtract",
    "mul": "multiply",
    "truediv": "divide",
    "floordiv": "floor_divide",
    "mod": "remainder",
    "pow": "pow",
    "and": "bitwise_and",
    "or": "bitwise_or",
    "xor": "bitwise_xor",
    "lshift": "bitwise_left_shift",
    "rshift": "bitwise_right_shift",
}
# Python reflects comparisons itself (``1 < x`` calls ``x.__gt__(1)``).
_COMPARISONS = {
    "eq": "equal",
    "ne": "not_equal",
    "lt": "less",
    "le": "less_equal",
    "gt": "greater",
    "ge": "greater_equal",
}
_UNARY = {"neg": "negative", "pos": "positive", "abs": "abs", "invert": "bitwise_invert"}


def _dtype_error(name: str, category: str, *dtypes: Any) -> TypeError:
    allowed = _CATS[category]
    bad = next((d for d in dtypes if d not in allowed), dtypes[0])
    return TypeError(f"{name}: expected an array of {category} data type, got {bad}")


def _make_binop(cls: Any, ew: Any, func_name: str, name: str, reflected: bool) -> Any:
    kernel, category = ew._BINARY[func_name]
    allowed = _CATS[category]
    rules = ew.scalar_rules(category)
    other_operand = ew.other_operand
    named_error = ew.named_error
    # the dtype kinds for which the result may go into a temporary operand (None: never)
    elide = _elision.KINDS.get(func_name) if isinstance(kernel, np.ufunc) else None

    def operand(v: Any, other: Any) -> Any:
        """The other operand when it is not a storax Array (the slower path)."""
        ok = rules.get(type(other))
        if ok is not None:
            if v.dtype not in ok:
                if v.dtype not in allowed:
                    raise _dtype_error(name, category, v.dtype)
                raise TypeError(
                    f"{name}: a Python {type(other).__name__} cannot be combined with "
                    f"{v.dtype} data"
                )
            return other
        if v.dtype not in allowed:
            raise _dtype_error(name, category, v.dtype)
        return other_operand(other, v.dtype, name, category, rules)

    # Two near-identical bodies on purpose: the hot path pays no `if reflected` per call.
    if reflected:

        def op(self: Any, other: Any) -> Any:
            v = self._value
            if type(other) is cls:
                o = other._value
                if v.dtype not in allowed or o.dtype not in allowed:
                    raise _dtype_error(name, category, v.dtype, o.dtype)
            else:
                o = operand(v, other)
                if o is NotImplemented:
                    return NotImplemented
            try:
                if elide is not None and v.nbytes >= _ELIDE_MIN and can_reuse(self, v, o, elide):
                    kernel(o, v, out=v)  # ``2 * (a + b)``: into the temporary (see _elision)
                    return self
                r = kernel(o, v)
            except (TypeError, ValueError, OverflowError) as e:
                raise named_error(e, name) from None
            if type(r) is not _ndarray:
                r = np.asarray(r)
            a = _object_new(cls)
            a._value = r
            return a

    else:

        def op(self: Any, other: Any) -> Any:
            v = self._value
            if type(other) is cls:
                o = other._value
                if v.dtype not in allowed or o.dtype not in allowed:
                    raise _dtype_error(name, category, v.dtype, o.dtype)
            else:
                o = operand(v, other)
                if o is NotImplemented:
                    return NotImplemented
            try:
                if elide is not None and v.nbytes >= _ELIDE_MIN:
                    # ``(a * 2) + b``, ``b + (a * 2)``: into a temporary (see _elision)
                    if can_reuse(self, v, o, elide):
                        kernel(v, o, out=v)
                        return self
                    if type(other) is cls and can_reuse(other, o, v, elide):
                        kernel(v, o, out=o)
                        return other
                r = kernel(v, o)
            except (TypeError, ValueError, OverflowError) as e:
                raise named_error(e, name) from None
            if type(r) is not _ndarray:
                r = np.asarray(r)
            a = _object_new(cls)
            a._value = r
            return a

    op.__name__ = op.__qualname__ = name
    return op


def _make_iop(cls: Any, ew: Any, func_name: str, name: str) -> Any:
    """``x op= y``: computed into ``x``'s memory (every view of it sees the write).

    As in NumPy and PyTorch, the result is cast back to ``x``'s dtype when the cast stays
    within a kind (``int8 += int16``); a float result into an integer array is a TypeError.
    """
    kernel, category = ew._BINARY[func_name]
    allowed = _CATS[category]
    rules = ew.scalar_rules(category)
    other_operand = ew.other_operand
    named_error = ew.named_error
    is_ufunc = isinstance(kernel, np.ufunc)

    def apply(v: Any, o: Any) -> None:
        if is_ufunc:
            kernel(v, o, out=v, casting="same_kind")
        else:
            np.copyto(v, kernel(v, o), casting="same_kind")

    def iop(self: Any, other: Any) -> Any:
        v = self._value
        if v.dtype not in allowed:
            raise _dtype_error(name, category, v.dtype)
        if type(other) is cls:
            o = other._value
            if o.dtype not in allowed:
                raise _dtype_error(name, category, o.dtype)
        else:
            o = other_operand(other, v.dtype, name, category, rules)
            if o is NotImplemented:
                return NotImplemented
        try:
            if v.size > _LOCK_ABOVE:  # NumPy may release the GIL: atomic under the lock
                with _npb.lock_of(v):
                    apply(v, o)
            else:
                apply(v, o)
        except (TypeError, ValueError, OverflowError) as e:
            if not v.flags.writeable:
                raise ValueError(
                    f"{name}: this array is a read-only view (a broadcast view, or a "
                    "read-only NumPy array); copy it before writing"
                ) from None
            raise named_error(e, name) from None
        _bump_version(v)
        return self

    iop.__name__ = iop.__qualname__ = name
    return iop


def _make_unop(cls: Any, ew: Any, func_name: str, name: str) -> Any:
    kernel, category = ew._UNARY[func_name]
    allowed = _CATS[category]

    def op(self: Any) -> Any:
        v = self._value
        if v.dtype not in allowed:
            raise _dtype_error(name, category, v.dtype)
        r = kernel(v)
        if type(r) is not _ndarray:
            r = np.asarray(r)
        a = _object_new(cls)
        a._value = r
        return a

    op.__name__ = op.__qualname__ = name
    return op


def _make_matmul(cls: Any, name: str) -> Any:
    """``@``, ``@=`` (reflected or not): delegate to :func:`storax.matmul`."""
    matmul: Any = None

    def operand(other: Any) -> Any:
        if isinstance(other, cls):
            return other
        if isinstance(other, _ndarray):
            a = _object_new(cls)
            a._value = other
            return a
        return NotImplemented  # Python scalars are not allowed with ``@``

    def op(self: Any, other: Any) -> Any:
        nonlocal matmul
        if matmul is None:
            from ._linear_algebra_functions import matmul
        o = operand(other)
        if o is NotImplemented:
            return NotImplemented
        if name == "__rmatmul__":
            return matmul(o, self)
        r = matmul(self, o)
        if name == "__matmul__":
            return r
        v = self._value
        rv = r._value
        if rv.shape != v.shape:
            raise ValueError(
                f"__imatmul__: a result of shape {rv.shape} does not fit shape {v.shape}"
            )
        try:
            with _npb.lock_of(v):  # one write of a computed result: atomic per storage
                np.copyto(v, rv, casting="same_kind")
        except (TypeError, ValueError) as e:
            if not v.flags.writeable:
                raise ValueError(
                    "__imatmul__: this array is a read-only view; copy it first"
                ) from None
            raise type(e)(f"__imatmul__: {e}") from None
        _bump_version(v)
        return self

    op.__name__ = op.__qualname__ = name
    return op


def _install_delegating(sub: Any, base: Any, ew: Any) -> None:
    """Operators of an Array subclass of another backend (a JaxArray).

    Each validates as the namespace function does and computes with that backend's array
    module (``_elementwise_functions.foreign_binary``/``foreign_unary``), with errors that
    name the operator. In-place operators compute the result, then write it back through
    the view into its storage (``sub._write_result``), so every view of it sees the write.
    Operators the subclass defines itself are kept.
    """
    operand_types = (base, _ndarray, _generic, bool, int, float, complex)
    foreign_binary = ew.foreign_binary
    foreign_unary = ew.foreign_unary
    wrap = ew._wrap

    from ._elementwise_xp import _PLAIN_BINARY, scalar_kernel

    new_array = sub._from_backend_value
    backend = sub._backend
    lock, detach = backend.lock, backend.detach
    single_device = backend.single_device

    def binop(func_name: str, name: str, reflected: bool) -> Any:
        # Fast path: two arrays of this class, same dtype and shape, one device, and a
        # kernel that needs no correction: one dtype check and the backend call.
        fast = getattr(sub._backend.kx, func_name) if func_name in _PLAIN_BINARY else None
        scalar_kernels: dict[tuple[Any, type], Any] = {}
        allowed = _CATS[ew._BINARY[func_name][1]] if func_name in ew._BINARY else frozenset()

        def op(self: Any, other: Any) -> Any:
            kind = type(other)
            if kind is sub:
                if fast is not None and single_device:
                    a, b = self._value, other._value
                    if a.dtype == b.dtype and a.dtype in allowed and a.shape == b.shape:
                        return new_array(fast(b, a) if reflected else fast(a, b))
            elif kind in _PY_SCALARS:
                # an array with a Python scalar: the compiled kernel, once validated
                v = self._value
                known = scalar_kernels.get((v.dtype, kind))
                if known is not None and (known[1] is None or known[1] <= other <= known[2]):
                    kernel = known[0]
                    return new_array(kernel(other, v) if reflected else kernel(v, other))
                r = wrap(
                    foreign_binary(func_name, name, other, self)
                    if reflected
                    else foreign_binary(func_name, name, self, other)
                )
                if known is None:
                    known = scalar_kernel(backend, func_name, v.dtype, kind, not reflected)
                    if known is not None:
                        scalar_kernels[(v.dtype, kind)] = known
                return r
            if not isinstance(other, operand_types):
                return NotImplemented
            if reflected:
                return wrap(foreign_binary(func_name, name, other, self))
            return wrap(foreign_binary(func_name, name, self, other))

        op.__name__ = op.__qualname__ = name
        return op

    def iop(func_name: str, name: str) -> Any:
        def op(self: Any, other: Any) -> Any:
            if not isinstance(other, operand_types):
                return NotImplemented
            self._check_writable(name)
            st = self.storage()
            other = detach(other, st)  # an operand of another storage is read first
            with lock(st):  # read, compute and write back: atomic per storage
                r = foreign_binary(func_name, name, self, other)
                return _write_back(self, r, name)

        op.__name__ = op.__qualname__ = name
        return op

    def unop(func_name: str, name: str) -> Any:
        plain = ew._PLAIN_UNARY.get(func_name, {})  # see _elementwise_functions._make_unary

        def op(self: Any) -> Any:
            v = self._value
            known = plain.get(v.dtype)
            if known is not None and known[0] is backend:
                return new_array(known[1](v))
            return wrap(foreign_unary(func_name, name, self))

        op.__name__ = op.__qualname__ = name
        return op

    ops: dict[str, Any] = {}
    for short, func_name in _ARITHMETIC.items():
        ops[f"__{short}__"] = binop(func_name, f"__{short}__", False)
        ops[f"__r{short}__"] = binop(func_name, f"__r{short}__", True)
        ops[f"__i{short}__"] = iop(func_name, f"__i{short}__")
    for short, func_name in _COMPARISONS.items():
        ops[f"__{short}__"] = binop(func_name, f"__{short}__", False)
    for short, func_name in _UNARY.items():
        ops[f"__{short}__"] = unop(func_name, f"__{short}__")
    for name in ("__matmul__", "__rmatmul__", "__imatmul__"):
        ops[name] = _make_foreign_matmul(sub, base, name)
    for name, op in ops.items():
        if name not in sub.__dict__:
            setattr(sub, name, op)


def _write_back(self: Any, r: Any, name: str) -> Any:
    """Write the result ``r`` (a backend value) of ``self op= other`` into ``self``.

    As on NumPy, the result is cast back to ``self``'s dtype within a kind; a result that
    does not fit ``self``'s shape is a ValueError.
    """
    if r.dtype != self.dtype and not np.can_cast(r.dtype, self.dtype, casting="same_kind"):
        raise TypeError(
            f"{name}: the result dtype {r.dtype} cannot be cast to the array's {self.dtype}"
        )
    shape = tuple(r.shape)
    if shape != self.shape and np.broadcast_shapes(shape, self.shape) != self.shape:
        raise ValueError(f"{name}: a result of shape {shape} does not fit shape {self.shape}")
    return self._write_result(r, name)


def _make_foreign_matmul(sub: Any, base: Any, name: str) -> Any:
    """``@``, ``@=`` (reflected or not) of an Array subclass of another backend: a NumPy
    array operand is moved to that backend; in-place writes back through the view."""
    matmul: Any = None

    def op(self: Any, other: Any) -> Any:
        nonlocal matmul
        if matmul is None:
            from ._linear_algebra_functions import matmul
        if isinstance(other, (_ndarray, _generic)):
            from ._array_object import _wrap

            other = _wrap(self._backend.xp.asarray(other))
        elif not isinstance(other, base):
            return NotImplemented  # Python scalars are not allowed with ``@``
        if name == "__rmatmul__":
            return matmul(other, self)
        if name == "__matmul__":
            return matmul(self, other)
        self._check_writable(name)
        backend = self._backend
        st = self.storage()
        other = backend.detach(other, st)  # an operand of another storage is read first
        with backend.lock(st):  # read, compute and write back: atomic per storage
            return _write_back(self, matmul(self, other)._value, name)

    op.__name__ = op.__qualname__ = name
    return op


def install(cls: Any) -> None:
    """Install every operator on the Array class ``cls``.

    Subclasses of another backend (``_backend`` other than NumPy's) get operators that
    delegate to the namespace functions instead (see ``_install_delegating``).
    """
    from . import _elementwise_functions as ew

    def init_subclass(sub: Any, **kwargs: Any) -> None:
        super(cls, sub).__init_subclass__(**kwargs)
        if getattr(sub, "_backend", _npb) is not _npb:
            _install_delegating(sub, cls, ew)

    cls.__init_subclass__ = classmethod(init_subclass)

    for short, func_name in _ARITHMETIC.items():
        for name, reflected in ((f"__{short}__", False), (f"__r{short}__", True)):
            setattr(cls, name, _make_binop(cls, ew, func_name, name, reflected))
        setattr(cls, f"__i{short}__", _make_iop(cls, ew, func_name, f"__i{short}__"))
    for short, func_name in _COMPARISONS.items():
        setattr(cls, f"__{short}__", _make_binop(cls, ew, func_name, f"__{short}__", False))
    for short, func_name in _UNARY.items():
        setattr(cls, f"__{short}__", _make_unop(cls, ew, func_name, f"__{short}__"))
    for name in ("__matmul__", "__rmatmul__", "__imatmul__"):
        setattr(cls, name, _make_matmul(cls, name))
