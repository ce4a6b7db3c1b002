"""Named dimensions: names are metadata of an Array, held only by *named* arrays.

Every Array family (NumPy, JAX, any later backend) gets, on first use, one named subclass
with one more slot, ``_names`` (a tuple of ``str`` or ``None``, one per dimension). An
unnamed array is an instance of the family itself: its ``_names`` is the base class's
``None``, and the hot paths (``a + b``, ``sin(a)``) never look at names. A named class
turns those hot paths off with the flags the element-wise chapter already reads
(``_one_device``, ``_unary_kernels``), so its operations take the general paths, which
compute on an unnamed *view* of the array and attach the result's names.

The rules (the seed, section 3.4, and docs/named-tensors.md):

- element-wise operations unify names from the right, as broadcasting aligns shapes: a
  ``None`` takes the other name, equal names stay, two different names are a ValueError
  naming both dims;
- views keep the names of the dimensions they keep (indexing, ``permute_dims``, ``.T``,
  ``expand_dims`` and ``squeeze``, whose new dims are unnamed);
- reductions drop the names of the reduced dims (``keepdims`` keeps them);
- ``reshape`` keeps names only when the sizes other than 1 stay in order, else drops them.

Functions not listed in docs/named-tensors.md return unnamed arrays.
"""

from __future__ import annotations

import builtins
from typing import Any

from ._array_object import Array

Names = tuple[str | None, ...]

_NAMED: dict[Any, Any] = {}  # family -> its named subclass


# ------------------------------------------------------------------ name validation


def check_names(names: Any, ndim: int, func: str) -> Names | None:
    """``names`` (a sequence of str/None, or None) validated for ``ndim`` dimensions;
    None when every name is None (an unnamed array)."""
    if names is None:
        return None
    if isinstance(names, str) or not isinstance(names, (tuple, list)):
        raise TypeError(
            f"{func}: names must be a tuple or list of str or None, got {type(names).__name__}"
        )
    out = tuple(names)
    for n in out:
        if n is not None and not isinstance(n, str):
            raise TypeError(f"{func}: a name must be a str or None, got {type(n).__name__}")
        if isinstance(n, str) and not n.isidentifier():
            raise ValueError(f"{func}: a name must be a Python identifier, got {n!r}")
    if len(out) != ndim:
        raise ValueError(
            f"{func}: {len(out)} names {out} given for an array with {ndim} dimensions"
        )
    _check_unique(out, func)
    if builtins.all(n is None for n in out):
        return None
    return out


def _check_unique(names: Names, func: str) -> None:
    seen = [n for n in names if n is not None]
    for n in seen:
        if seen.count(n) > 1:
            raise ValueError(f"{func}: the name {n!r} appears more than once in {names}")


def names_of(x: Any) -> Names:
    """The names of an Array (Nones when unnamed), or of a non-Array operand (its dims
    are unnamed: a NumPy array has ``ndim`` of them, a Python scalar none)."""
    n = getattr(x, "_names", None)
    if n is not None:
        return n
    return (None,) * getattr(x, "ndim", 0)


# ---------------------------------------------------------------- named subclasses


def _slots(family: type) -> tuple[str, ...]:
    out: list[str] = []
    for c in family.__mro__:
        s = c.__dict__.get("__slots__", ())
        for name in (s,) if isinstance(s, str) else s:
            if name not in ("__weakref__", "__dict__") and name not in out:
                out.append(name)
    return tuple(out)


def family_of(x: Any) -> Any:
    """The Array family of ``x`` (its class, or the class its named class derives from)."""
    cls = type(x)
    return cls.__dict__.get("_family", cls)


def attach(fresh: Array, names: Names | None) -> Array:
    """``fresh`` (an array just made, referenced nowhere else) with ``names``.

    An all-None ``names`` (or None) gives an unnamed array. The named array takes over
    ``fresh``'s state (its slots), so ``fresh`` must not be used afterwards.
    """
    if names is None or builtins.all(n is None for n in names):
        if type(fresh).__dict__.get("_family") is None:
            return fresh
        return plain(fresh)
    family = family_of(fresh)
    if len(names) != fresh.ndim:  # a result whose dims the rules cannot follow
        return fresh if family is type(fresh) else plain(fresh)
    cls = named_class(family)
    out: Any = object.__new__(cls)
    for s in cls._family_slots:
        try:
            object.__setattr__(out, s, object.__getattribute__(fresh, s))
        except AttributeError:
            pass
    out._names = tuple(names)
    return out


def plain(x: Array) -> Array:
    """An unnamed view of ``x`` (the same storage: writes through it are seen in ``x``)."""
    return family_of(x)._permuted(x, tuple(range(x.ndim)))


def with_names(x: Array, names: Any, func: str) -> Array:
    """A view of ``x`` with ``names`` (validated; None gives an unnamed view)."""
    return attach(plain(x), check_names(names, x.ndim, func))


def keep(x: Array, out: Array) -> Array:
    """``out`` (a fresh result of ``x``'s shape) with ``x``'s names."""
    n = x._names
    if n is None:
        return out
    return attach(out, n)


def named_class(family: Any) -> Any:
    """The named subclass of the Array family ``family`` (made on first use)."""
    cls = _NAMED.get(family)
    if cls is None:
        cls = _NAMED[family] = _make_named_class(family)
    return cls


# ------------------------------------------------------------------ the name rules


def unify(n1: Names, n2: Names, func: str) -> Names | None:
    """Names of a broadcast result: aligned from the right, a None takes the other name,
    two different names raise ValueError naming both dims."""
    out: list[str | None] = []
    k = builtins.max(len(n1), len(n2))
    for i in range(1, k + 1):
        a = n1[-i] if i <= len(n1) else None
        b = n2[-i] if i <= len(n2) else None
        if a is not None and b is not None and a != b:
            raise ValueError(
                f"{func}: error when attempting to broadcast dims {list(n1)} and dims "
                f"{list(n2)}: dim {a!r} and dim {b!r} are at the same position from the "
                "right but do not match"
            )
        out.append(a if a is not None else b)
    out.reverse()
    result = tuple(out)
    _check_unique(result, func)
    return None if builtins.all(n is None for n in result) else result


def binary_names(x1: Any, x2: Any, func: str) -> Names | None:
    """Names of an element-wise result of ``x1`` and ``x2`` (None: both unnamed)."""
    if getattr(x1, "_names", None) is None and getattr(x2, "_names", None) is None:
        return None
    return unify(names_of(x1), names_of(x2), func)


def dim_index(names: Names, name: str, func: str) -> int:
    """The position of the dim called ``name`` (ValueError naming it when absent)."""
    try:
        return names.index(name)
    except ValueError:
        raise ValueError(f"{func}: no dim named {name!r} in names {names}") from None


def resolve_axes(x: Any, axis: Any, func: str) -> Any:
    """``axis=`` with dim names replaced by their positions in ``x`` (others unchanged)."""
    t = type(axis)
    if t is str:
        return dim_index(names_of(x), axis, func)
    if (t is tuple or t is list) and builtins.any(type(a) is str for a in axis):
        n = names_of(x)
        return tuple(dim_index(n, a, func) if type(a) is str else a for a in axis)
    return axis


def reduced(x: Array, out: Array, axes: tuple[int, ...] | None, keepdims: Any) -> Array:
    """``out``, the reduction of ``x`` over ``axes`` (None: all), with the names of the
    dims it keeps (all of them with ``keepdims``)."""
    n = x._names
    if n is None:
        return out
    if keepdims:
        return attach(out, n)
    if axes is None:
        return out
    return attach(out, tuple(name for i, name in enumerate(n) if i not in axes))


def reshape_names(old: tuple[int, ...], names: Names, new: tuple[int, ...]) -> Names | None:
    """Names after a reshape from ``old`` to ``new``: unchanged for the same shape; when
    only size-1 dims are inserted or removed, the other dims keep theirs (new size-1 dims
    are unnamed); otherwise None (which dim a name belongs to is ambiguous)."""
    if tuple(new) == tuple(old):
        return names
    kept = [(s, n) for s, n in zip(old, names, strict=True) if s != 1]
    if [s for s, _ in kept] != [s for s in new if s != 1]:
        return None
    it = iter(n for _, n in kept)
    return tuple(next(it) if s != 1 else None for s in new)


def index_names(names: Names, ndim: int, key: Any, out_ndim: int) -> Names | None:
    """Names of ``x[key]`` for basic indices (ints drop a dim, slices keep it, None adds
    an unnamed one, ``...`` stands for the dims not indexed); None for anything else
    (integer or boolean array indices), which give unnamed results."""
    k = key if type(key) is tuple else (key,)
    basic = (int, slice, type(None), type(Ellipsis))
    if not builtins.all(type(i) in basic for i in k):
        return None
    used = builtins.sum(1 for i in k if i is not None and i is not Ellipsis)
    out: list[str | None] = []
    pos = 0
    for i in k:
        if i is Ellipsis:
            span = ndim - used
            out += names[pos : pos + span]
            pos += span
        elif i is None:
            out.append(None)
        elif type(i) is slice:
            out.append(names[pos])
            pos += 1
        else:  # an int drops its dim
            pos += 1
    out += names[pos:]
    return tuple(out) if len(out) == out_ndim else None


def _expand_ellipsis(names: tuple[Any, ...], current: Names, func: str) -> list[Any]:
    """``names`` (with at most one ``...``) spread over ``len(current)`` dims; the
    ``...`` keeps the current names of the dims it covers."""
    ndim = len(current)
    n_ellipsis = builtins.sum(1 for n in names if n is Ellipsis)
    if n_ellipsis > 1:
        raise ValueError(f"{func}: at most one ... (Ellipsis) is allowed in {names}")
    if n_ellipsis == 0:
        if len(names) != ndim:
            raise ValueError(
                f"{func}: {len(names)} names given for an array with {ndim} dimensions"
            )
        return list(names)
    i = names.index(Ellipsis)
    span = ndim - (len(names) - 1)
    if span < 0:
        raise ValueError(f"{func}: {len(names) - 1} names given for an array with {ndim} dims")
    return list(names[:i]) + list(current[i : i + span]) + list(names[i + 1 :])


def refine_names(x: Array, names: tuple[Any, ...]) -> Array:
    """Name the unnamed dims of ``x`` (an existing name may only be repeated)."""
    func = "refine_names"
    current = names_of(x)
    target = _expand_ellipsis(names, current, func)
    for old, new in zip(current, target, strict=True):
        if old is not None and new != old:
            raise ValueError(
                f"{func}: cannot change dim {old!r} to {new!r} (refine_names only names "
                "unnamed dims; use rename)"
            )
    return with_names(x, target, func)


def rename(x: Array, names: tuple[Any, ...], mapping: dict[str, Any]) -> Array:
    """``x`` with new names: positional (one ``...`` keeps the dims it covers),
    ``rename(None)`` for none, or keyword ``old=new`` pairs."""
    func = "rename"
    if names and mapping:
        raise ValueError(f"{func}: give names positionally or as old=new pairs, not both")
    current = names_of(x)
    if mapping:
        target = list(current)
        for old, new in mapping.items():
            target[dim_index(current, old, func)] = new
        return with_names(x, target, func)
    if names == (None,) and x.ndim != 1:
        return with_names(x, None, func)
    if not names:
        raise ValueError(f"{func}: give the new names, None, or old=new pairs")
    return with_names(x, _expand_ellipsis(names, current, func), func)


def align_to(x: Array, names: tuple[Any, ...], func: str = "align_to") -> Array:
    """A view of ``x`` with its dims permuted into the order of ``names`` and size-1 dims
    inserted for the names it lacks; ``...`` stands for the dims of ``x`` not listed."""
    current = names_of(x)
    if builtins.sum(1 for n in names if n is Ellipsis) > 1:
        raise ValueError(f"{func}: at most one ... (Ellipsis) is allowed in {names}")
    listed = [n for n in names if n is not Ellipsis]
    for n in listed:
        if not isinstance(n, str):
            raise TypeError(f"{func}: expected dim names (str), got {n!r}")
    _check_unique(tuple(listed), func)
    if Ellipsis in names:
        rest = [i for i, n in enumerate(current) if n is None or n not in listed]
        i = names.index(Ellipsis)
        order: list[Any] = [*listed[:i], *[("dim", j) for j in rest], *listed[i:]]
    else:
        for i, n in enumerate(current):
            if n is None:
                raise ValueError(
                    f"{func}: all dims must be named to align (dim {i} is unnamed), "
                    f"got names {current}"
                )
        order = list(listed)
    for n in current:
        if n is not None and n not in listed and Ellipsis not in names:
            raise ValueError(
                f"{func}: the dim {n!r} of names {current} is missing from {tuple(listed)}"
            )
    perm = [o[1] if isinstance(o, tuple) else current.index(o) for o in order if
            isinstance(o, tuple) or o in current]  # fmt: skip
    new_axes = tuple(k for k, o in enumerate(order) if not isinstance(o, tuple) and
                     o not in current)  # fmt: skip
    out_names = tuple(current[o[1]] if isinstance(o, tuple) else o for o in order)
    family = family_of(x)
    v = family._permuted(x, tuple(perm))
    if new_axes:
        v = family._expanded(v, new_axes)
    return attach(v, out_names)


def align_as(x: Array, other: Any) -> Array:
    """``align_to(x, *other.names)``."""
    if not isinstance(other, Array):
        raise TypeError(f"align_as: expected a storax array, got {type(other).__name__}")
    return align_to(x, names_of(other), "align_as")


# ------------------------------------------------------------------- the subclass

# Python operators of the array API: binary (with reflected and in-place forms),
# comparisons, unary.
_BINARY = ("add", "sub", "mul", "truediv", "floordiv", "mod", "pow", "and", "or", "xor",
           "lshift", "rshift")  # fmt: skip
_COMPARISONS = ("eq", "ne", "lt", "le", "gt", "ge")
_UNARY = ("neg", "pos", "abs", "invert")


def _plain_operand(other: Any) -> Any:
    if getattr(other, "_names", None) is not None:
        return plain(other)
    return other


def _make_named_class(family: Any) -> Any:
    ns: dict[str, Any] = {
        "__slots__": ("_names",),
        "__module__": __name__,
        "__doc__": f"A {family.__name__} with named dimensions (see storax._names).",
        "_family": family,
        # The element-wise chapter's hot paths are skipped: functions take the general
        # paths, which handle names (storax._elementwise_functions.apply_*).
        "_one_device": False,
        "_unary_kernels": {},
        "_binary_kernels": {},
        "_array_unary": None,
        "_array_binary": None,
        "_array_reductions": None,
        "_array_where": None,
        "_live_views": False,
    }
    ns["_family_slots"] = _slots(family)

    def binop(name: str, short: str) -> Any:
        op = getattr(family, name)

        def method(self: Any, other: Any) -> Any:
            names = unify(self._names, names_of(other), name)
            r = op(self, _plain_operand(other))
            if r is NotImplemented:
                return r
            return attach(r, names)

        method.__name__ = method.__qualname__ = name
        return method

    def iop(name: str) -> Any:
        op = getattr(family, name)

        def method(self: Any, other: Any) -> Any:
            unify(self._names, names_of(other), name)
            r = op(self, _plain_operand(other))
            return r  # ``self``, whose names stay

        method.__name__ = method.__qualname__ = name
        return method

    def unop(name: str) -> Any:
        op = getattr(family, name)

        def method(self: Any) -> Any:
            return attach(op(self), self._names)

        method.__name__ = method.__qualname__ = name
        return method

    for short in _BINARY:
        for name in (f"__{short}__", f"__r{short}__"):
            ns[name] = binop(name, short)
        ns[f"__i{short}__"] = iop(f"__i{short}__")
    for short in _COMPARISONS:
        ns[f"__{short}__"] = binop(f"__{short}__", short)
    for short in _UNARY:
        ns[f"__{short}__"] = unop(f"__{short}__")
    for name in ("__matmul__", "__rmatmul__"):  # matmul drops names
        fam_op = getattr(family, name)
        ns[name] = (lambda op: lambda self, other: op(plain(self), _plain_operand(other)))(fam_op)
    imatmul = family.__imatmul__
    ns["__imatmul__"] = lambda self, other: imatmul(self, _plain_operand(other))

    # ---- the view protocol: each keeps the names of the dims it keeps
    def _permuted(self: Any, axes: tuple[int, ...]) -> Array:
        return attach(family._permuted(self, axes), tuple(self._names[a] for a in axes))

    def _expanded(self: Any, axes: tuple[int, ...]) -> Array:
        names: list[str | None] = list(self._names)
        for a in sorted(axes):
            names.insert(a, None)
        return attach(family._expanded(self, axes), tuple(names))

    def _squeezed(self: Any, axes: tuple[int, ...]) -> Array:
        names = tuple(n for i, n in enumerate(self._names) if i not in axes)
        return attach(family._squeezed(self, axes), names)

    def _broadcast(self: Any, shape: tuple[int, ...]) -> Array:
        names = (None,) * (len(shape) - self.ndim) + self._names
        return attach(family._broadcast(self, shape), names)

    def _view_reshape(self: Any, shape: tuple[int, ...]) -> Array | None:
        old = self.shape
        r = family._view_reshape(self, shape)
        if r is None:
            return None
        return attach(r, reshape_names(old, self._names, r.shape))

    def __getitem__(self: Any, key: Any) -> Array:
        k = tuple(_plain_operand(i) for i in key) if type(key) is tuple else _plain_operand(key)
        r = family.__getitem__(self, k)
        return attach(r, index_names(self._names, self.ndim, key, r.ndim))

    def __setitem__(self: Any, key: Any, value: Any) -> None:
        k = tuple(_plain_operand(i) for i in key) if type(key) is tuple else _plain_operand(key)
        family.__setitem__(self, k, _plain_operand(value))

    def clone(self: Any) -> Array:
        return attach(family.clone(self), self._names)

    def contiguous(self: Any) -> Array:
        if self.is_contiguous():
            return self
        return attach(family.contiguous(self), self._names)

    def to_device(self: Any, device: Any, /, *, stream: Any = None) -> Array:
        r = family.to_device(self, device, stream=stream)
        return r if r is self else attach(r, self._names)

    def __iter__(self: Any) -> Any:
        return Array.__iter__(self)

    def copy_(self: Any, src: Any) -> Array:
        family.copy_(self, _plain_operand(src))
        return self

    for f in (_permuted, _expanded, _squeezed, _broadcast, _view_reshape, __getitem__,
              __setitem__, clone, contiguous, to_device, __iter__, copy_):  # fmt: skip
        ns[f.__name__] = f
    # Transposes through the view protocol (a family may shortcut them), so they keep names.
    for name in ("T", "mT", "t", "transpose"):
        ns[name] = Array.__dict__[name]
    return type(f"Named{family.__name__}", (family,), ns)
