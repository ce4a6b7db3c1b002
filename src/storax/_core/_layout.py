"""Layout: the shape, strides (in elements) and offset of a strided view; pure Python."""

from __future__ import annotations

import operator
from collections.abc import Sequence
from dataclasses import dataclass
from types import EllipsisType

__all__ = ["AxisError", "Layout", "contiguous_strides", "prod"]

#: Above this many elements, ``overlaps_self``/``overlaps`` stop enumerating storage
#: indices and answer ``True`` (conservatively) when the fast checks are inconclusive.
_EXACT_LIMIT = 1_000_000


class AxisError(ValueError, IndexError):
    """An axis argument is out of range or repeated (like ``numpy.exceptions.AxisError``)."""


def prod(shape: Sequence[int]) -> int:
    """Return the product of ``shape`` (1 for an empty shape).

    >>> prod((2, 3, 4)), prod(())
    (24, 1)
    """
    result = 1
    for n in shape:
        result *= n
    return result


def broadcast_shapes(*shapes: Sequence[int]) -> tuple[int, ...]:
    """The shape ``shapes`` broadcast to, by NumPy's rules (ValueError if incompatible).

    >>> broadcast_shapes((3, 1), (4,), ())
    (3, 4)
    """
    ndim = max((len(s) for s in shapes), default=0)
    out = [1] * ndim
    for s in shapes:
        for i, n in enumerate(s, ndim - len(s)):
            if n != 1:
                if out[i] != 1 and out[i] != n:
                    raise ValueError(f"broadcast_shapes: shapes {list(shapes)} are incompatible")
                out[i] = n
    return tuple(out)


def contiguous_strides(shape: Sequence[int]) -> tuple[int, ...]:
    """Return C-order element strides, following PyTorch's ``make_contiguous_strides_for``.

    A dimension of size 0 counts as size 1 for the strides of the dimensions before it.

    >>> contiguous_strides((2, 3, 4))
    (12, 4, 1)
    >>> contiguous_strides((2, 0, 3))
    (3, 3, 1)
    """
    strides = [0] * len(shape)
    stride = 1
    for i in range(len(shape) - 1, -1, -1):
        strides[i] = stride
        stride *= max(shape[i], 1)
    return tuple(strides)


def _index(value: object, op: str, what: str) -> int:
    if isinstance(value, bool):
        raise TypeError(f"{op}: {what} must be an integer, not bool")
    try:
        return operator.index(value)  # type: ignore[arg-type]
    except TypeError:
        raise TypeError(f"{op}: {what} must be an integer, got {type(value).__name__}") from None


def _axes(axes: int | Sequence[int], ndim: int, op: str) -> tuple[int, ...]:
    """Normalize ``axes`` (an int or a sequence of ints) against ``ndim``; reject repeats."""
    items = (axes,) if not isinstance(axes, Sequence) else tuple(axes)
    out = []
    for a in items:
        a = _index(a, op, "axis")
        if not -ndim <= a < ndim:
            raise AxisError(f"{op}: axis {a} is out of bounds for array of dimension {ndim}")
        out.append(a % ndim)
    if len(set(out)) != len(out):
        raise AxisError(f"{op}: repeated axis in {tuple(items)}")
    return tuple(out)


@dataclass(frozen=True, slots=True)
class Layout:
    """Shape, element strides (may be negative or zero) and element offset of a view.

    Element ``(i0, i1, ...)`` lives at storage index ``offset + sum(ik * strides[k])``.

    >>> Layout.contiguous((2, 3))
    Layout(shape=(2, 3), strides=(3, 1), offset=0)
    """

    shape: tuple[int, ...]
    strides: tuple[int, ...]
    offset: int = 0

    def __post_init__(self) -> None:
        shape = tuple(_index(n, "Layout", "shape entry") for n in self.shape)
        strides = tuple(_index(s, "Layout", "stride") for s in self.strides)
        if len(shape) != len(strides):
            raise ValueError(f"Layout: shape {shape} and strides {strides} differ in length")
        if any(n < 0 for n in shape):
            raise ValueError(f"Layout: negative dimension in shape {shape}")
        offset = _index(self.offset, "Layout", "offset")
        if 0 in shape:
            # Note: a view with no elements addresses no storage, so its strides and offset
            # would be arbitrary (NumPy reports 0 strides for some, the slice's strides for
            # others); storax makes them canonical, the same on every backend: contiguous
            # strides, offset 0 (docs/backends.md, "Same behaviour on every backend").
            strides, offset = contiguous_strides(shape), 0
        object.__setattr__(self, "shape", shape)
        object.__setattr__(self, "strides", strides)
        object.__setattr__(self, "offset", offset)

    def __repr__(self) -> str:
        return f"Layout(shape={self.shape}, strides={self.strides}, offset={self.offset})"

    @classmethod
    def contiguous(cls, shape: Sequence[int], offset: int = 0) -> Layout:
        """Return the C-contiguous layout of ``shape`` starting at ``offset``.

        >>> Layout.contiguous((3, 2), offset=4)
        Layout(shape=(3, 2), strides=(2, 1), offset=4)
        """
        shape = tuple(shape)
        return cls(shape, contiguous_strides(shape), offset)

    @property
    def ndim(self) -> int:
        """Number of dimensions.

        >>> Layout.contiguous((2, 3)).ndim
        2
        """
        return len(self.shape)

    @property
    def size(self) -> int:
        """Number of elements.

        >>> Layout.contiguous((2, 3)).size
        6
        """
        return prod(self.shape)

    def is_contiguous(self) -> bool:
        """Whether C-contiguous in PyTorch's sense (size-1 dims' strides are ignored).

        >>> Layout.contiguous((2, 3)).is_contiguous()
        True
        >>> Layout.contiguous((2, 3)).transpose(0, 1).is_contiguous()
        False
        """
        if self.size == 0:
            return True
        expected = 1
        for n, s in zip(reversed(self.shape), reversed(self.strides), strict=True):
            if n != 1:
                if s != expected:
                    return False
                expected *= n
        return True

    def is_non_overlapping_and_dense(self) -> bool:
        """Whether some permutation of the dims is contiguous (PyTorch's definition).

        Like PyTorch, any negative stride on a dim of size > 1 makes this ``False``.

        >>> Layout.contiguous((2, 3)).transpose(0, 1).is_non_overlapping_and_dense()
        True
        >>> Layout.contiguous((4,)).getitem(slice(None, None, 2)).is_non_overlapping_and_dense()
        False
        """
        order = sorted(range(self.ndim), key=lambda d: (self.shape[d] < 2, self.strides[d]))
        required = 1
        for d in order:
            if self.shape[d] < 2:
                return True
            if self.strides[d] != required:
                return False
            required *= self.shape[d]
        return True

    def getitem(self, key: object) -> Layout:
        """Apply a basic index (int, slice, ``None``, ``...`` or a tuple of them).

        >>> Layout.contiguous((3, 2)).getitem(1)
        Layout(shape=(2,), strides=(1,), offset=2)
        >>> Layout.contiguous((3, 2)).getitem((slice(None, None, -1), None, 0))
        Layout(shape=(3, 1), strides=(-2, 0), offset=4)
        """
        if (type(key) is slice or type(key) is int) and self.shape and 0 not in self.shape:
            # The common cases, one slice or one int on the first axis of a non-empty
            # layout: no normalisation (an empty result takes the general path below).
            return self._getitem_first(key)
        items: tuple[int | slice | EllipsisType | None, ...] = ()
        for k in key if isinstance(key, tuple) else (key,):
            if isinstance(k, bool):
                raise TypeError("getitem: booleans are not supported as indices by Layout")
            if k is None or k is Ellipsis or isinstance(k, slice):
                items += (k,)
                continue
            try:
                items += (operator.index(k),)
            except TypeError:
                raise TypeError(
                    "getitem: only basic indices (int, slice, None, Ellipsis) are supported "
                    f"by Layout, got {type(k).__name__}"
                ) from None
        ellipses = items.count(Ellipsis)
        consumed = len(items) - ellipses - items.count(None)
        if ellipses > 1:
            raise IndexError("getitem: an index can only have a single ellipsis ('...')")
        if consumed > self.ndim:
            raise IndexError(
                f"getitem: too many indices for array: array is {self.ndim}-dimensional, "
                f"but {consumed} were indexed"
            )
        fill = (slice(None),) * (self.ndim - consumed)
        at = items.index(Ellipsis) if ellipses else len(items)
        items = items[:at] + fill + items[at + 1 :]

        shape: list[int] = []
        strides: list[int] = []
        offset = self.offset
        d = 0  # input axis consumed next
        for k in items:
            if k is None:
                shape.append(1)
                strides.append(0)
                continue
            n, s = self.shape[d], self.strides[d]
            if isinstance(k, slice):
                try:
                    start, stop, step = k.indices(n)
                except ValueError as exc:
                    raise ValueError(f"getitem: {exc}") from None
                shape.append(len(range(start, stop, step)))
                strides.append(s * step)
                offset += start * s
            elif isinstance(k, int):
                if not -n <= k < n:
                    raise IndexError(
                        f"getitem: index {k} is out of bounds for axis {d} with size {n}"
                    )
                offset += (k % n) * s
            d += 1
        return Layout(tuple(shape), tuple(strides), offset)

    def _getitem_first(self, key: int | slice) -> Layout:
        """``getitem`` of one int or slice on the first axis of a non-empty layout;
        falls back to the general path where the result is empty."""
        n, s = self.shape[0], self.strides[0]
        if type(key) is int:
            if not -n <= key < n:
                raise IndexError(f"getitem: index {key} is out of bounds for axis 0 with size {n}")
            return _trusted(self.shape[1:], self.strides[1:], self.offset + (key % n) * s)
        assert isinstance(key, slice)
        try:
            start, stop, step = key.indices(n)
        except ValueError as exc:
            raise ValueError(f"getitem: {exc}") from None
        length = len(range(start, stop, step))
        if not length:
            return self.getitem((key,))
        shape = (length, *self.shape[1:])
        return _trusted(shape, (s * step, *self.strides[1:]), self.offset + start * s)

    def permute(self, axes: Sequence[int]) -> Layout:
        """Reorder the dimensions: output dim ``k`` is input dim ``axes[k]``.

        >>> Layout.contiguous((2, 3, 4)).permute((2, 0, -2))
        Layout(shape=(4, 2, 3), strides=(1, 12, 4), offset=0)
        """
        perm = [_index(a, "permute", "axis") for a in axes]
        norm = [a + self.ndim if a < 0 else a for a in perm]
        if sorted(norm) != list(range(self.ndim)):
            raise ValueError(
                f"permute: axes {tuple(perm)} are not a permutation of {self.ndim} dimensions"
            )
        return Layout(
            tuple(self.shape[a] for a in norm), tuple(self.strides[a] for a in norm), self.offset
        )

    def diagonal(self, k: int) -> Layout:
        """The ``k``-th diagonal of the last two axes (``k`` within their extents).

        >>> Layout.contiguous((3, 4)).diagonal(1)
        Layout(shape=(3,), strides=(5,), offset=1)
        """
        *batch, rows, cols = self.shape
        *bstrides, srow, scol = self.strides
        if k >= 0:
            n = max(0, min(rows, cols - k))
            start = k * scol
        else:
            n = max(0, min(rows + k, cols))
            start = -k * srow
        return Layout((*batch, n), (*bstrides, srow + scol), self.offset + (start if n else 0))

    def transpose(self, dim0: int, dim1: int) -> Layout:
        """Swap two dimensions.

        >>> Layout.contiguous((3, 2)).transpose(0, 1)
        Layout(shape=(2, 3), strides=(1, 2), offset=0)
        """
        a, b = (_axes(d, self.ndim, "transpose")[0] for d in (dim0, dim1))
        perm = list(range(self.ndim))
        perm[a], perm[b] = perm[b], perm[a]
        return self.permute(perm)

    def broadcast_to(self, shape: Sequence[int]) -> Layout:
        """Broadcast to ``shape`` with NumPy rules; broadcast dims get stride 0, and so do
        all dims of size 1 (NumPy's strides, so that every backend reports the same).

        >>> Layout.contiguous((3, 1)).broadcast_to((2, 3, 4))
        Layout(shape=(2, 3, 4), strides=(0, 1, 0), offset=0)
        >>> Layout.contiguous((1, 3)).broadcast_to((1, 3))
        Layout(shape=(1, 3), strides=(0, 1), offset=0)
        """
        target = tuple(_index(n, "broadcast_to", "shape entry") for n in shape)
        lead = len(target) - self.ndim
        if lead < 0 or any(n < 0 for n in target):
            raise ValueError(f"broadcast_to: cannot broadcast shape {self.shape} to {target}")
        strides = [0] * lead
        for n, s, t in zip(self.shape, self.strides, target[lead:], strict=True):
            if n == t and n != 1:
                strides.append(s)
            elif n == 1:
                strides.append(0)
            else:
                raise ValueError(f"broadcast_to: cannot broadcast shape {self.shape} to {target}")
        return Layout(target, tuple(strides), self.offset)

    def squeeze(self, axes: int | Sequence[int] | None = None) -> Layout:
        """Remove size-1 dimensions (all of them when ``axes`` is None).

        >>> Layout.contiguous((1, 3, 1)).squeeze((0, -1))
        Layout(shape=(3,), strides=(1,), offset=0)
        """
        if axes is None:
            drop = {d for d, n in enumerate(self.shape) if n == 1}
        else:
            drop = set(_axes(axes, self.ndim, "squeeze"))
            for d in sorted(drop):
                if self.shape[d] != 1:
                    raise ValueError(
                        f"squeeze: cannot select axis {d} which has size {self.shape[d]} != 1"
                    )
        keep = [d for d in range(self.ndim) if d not in drop]
        return Layout(
            tuple(self.shape[d] for d in keep), tuple(self.strides[d] for d in keep), self.offset
        )

    def expand_dims(self, axes: int | Sequence[int]) -> Layout:
        """Insert size-1 dims at output positions ``axes`` (strides as PyTorch's ``unsqueeze``).

        >>> Layout.contiguous((2, 3)).expand_dims((0, -1))
        Layout(shape=(1, 2, 3, 1), strides=(6, 3, 1, 1), offset=0)
        """
        out_ndim = self.ndim + (1 if not isinstance(axes, Sequence) else len(axes))
        new = set(_axes(axes, out_ndim, "expand_dims"))
        shape = [0] * out_ndim
        strides = [0] * out_ndim
        src = self.ndim
        next_stride = 1  # stride a new axis gets: size * stride of the next old dim, else 1
        for d in range(out_ndim - 1, -1, -1):
            if d in new:
                shape[d], strides[d] = 1, next_stride
            else:
                src -= 1
                shape[d], strides[d] = self.shape[src], self.strides[src]
                next_stride = self.shape[src] * self.strides[src]
        return Layout(tuple(shape), tuple(strides), self.offset)

    def _resolve_shape(self, shape: int | Sequence[int]) -> tuple[int, ...]:
        items = (shape,) if not isinstance(shape, Sequence) else tuple(shape)
        dims = [_index(n, "reshape", "shape entry") for n in items]
        unknown = [i for i, n in enumerate(dims) if n == -1]
        if len(unknown) > 1:
            raise ValueError("reshape: can only specify one unknown dimension")
        if any(n < -1 for n in dims):
            raise ValueError(f"reshape: negative dimension in shape {tuple(dims)}")
        known = prod([n for n in dims if n != -1])
        if unknown:
            if known == 0 or self.size % known:
                raise ValueError(
                    f"reshape: cannot reshape array of size {self.size} into shape {tuple(dims)}"
                )
            dims[unknown[0]] = self.size // known
        elif known != self.size:
            raise ValueError(
                f"reshape: cannot reshape array of size {self.size} into shape {tuple(dims)}"
            )
        return tuple(dims)

    def reshape(self, shape: int | Sequence[int]) -> Layout | None:
        """Return the view layout for ``shape`` (one entry may be -1), or None if a copy is needed.

        Uses PyTorch's ``computeStride`` chunk matching; size-0 layouts always succeed with the
        contiguous layout at the same offset.

        >>> Layout.contiguous((2, 3)).reshape((3, -1))
        Layout(shape=(3, 2), strides=(2, 1), offset=0)
        >>> Layout.contiguous((2, 3)).transpose(0, 1).reshape(6) is None
        True
        """
        new = self._resolve_shape(shape)
        if self.size == 0:
            return Layout.contiguous(new, self.offset)
        if self.ndim == 0:
            return Layout(new, (1,) * len(new), self.offset)
        old, old_strides = self.shape, self.strides
        strides = [0] * len(new)
        view_d = len(new) - 1
        chunk_base_stride = old_strides[-1]
        tensor_numel = 1
        view_numel = 1
        for tensor_d in range(self.ndim - 1, -1, -1):
            tensor_numel *= old[tensor_d]
            if tensor_d == 0 or (
                old[tensor_d - 1] != 1
                and old_strides[tensor_d - 1] != tensor_numel * chunk_base_stride
            ):
                while view_d >= 0 and (view_numel < tensor_numel or new[view_d] == 1):
                    strides[view_d] = view_numel * chunk_base_stride
                    view_numel *= new[view_d]
                    view_d -= 1
                if view_numel != tensor_numel:
                    return None
                if tensor_d > 0:
                    chunk_base_stride = old_strides[tensor_d - 1]
                    tensor_numel = 1
                    view_numel = 1
        if view_d != -1:
            return None
        return Layout(new, tuple(strides), self.offset)

    def extent(self) -> tuple[int, int]:
        """Return the lowest and highest storage index touched (``(offset, offset - 1)`` if empty).

        >>> Layout.contiguous((3, 2)).getitem(slice(None, None, -1)).extent()
        (0, 5)
        """
        if self.size == 0:
            return self.offset, self.offset - 1
        low = high = self.offset
        for n, s in zip(self.shape, self.strides, strict=True):
            if s < 0:
                low += (n - 1) * s
            else:
                high += (n - 1) * s
        return low, high

    def element_indices(self) -> list[int]:
        """Storage index of every element, in C (row-major) order.

        >>> Layout.contiguous((3, 2)).transpose(0, 1).element_indices()
        [0, 2, 4, 1, 3, 5]
        """
        indices = [self.offset]
        for n, s in zip(self.shape, self.strides, strict=True):
            steps = [k * s for k in range(n)]
            indices = [i + step for i in indices for step in steps]
        return indices

    def overlaps_self(self) -> bool:
        """Whether two distinct indices map to the same storage element.

        Exact, except when a fast sufficient check is inconclusive and the layout has more than
        1e6 elements: then it conservatively answers ``True``.

        >>> Layout.contiguous((3,)).broadcast_to((2, 3)).overlaps_self()
        True
        >>> Layout((2, 2), (2, 3)).overlaps_self(), Layout((2, 2), (1, 1)).overlaps_self()
        (False, True)
        """
        dims = sorted((abs(s), n) for n, s in zip(self.shape, self.strides, strict=True) if n > 1)
        if self.size == 0 or not dims:
            return False
        if dims[0][0] == 0:
            return True
        span = 0  # highest offset reachable using only the smaller-stride dims
        for s, n in dims:
            if s <= span:
                break
            span += (n - 1) * s
        else:
            return False
        if self.size > _EXACT_LIMIT:
            return True
        return len(set(self.element_indices())) != self.size

    def overlaps(self, other: Layout) -> bool:
        """Whether the two layouts touch at least one common storage element.

        Exact when both have at most 1e6 elements; otherwise ``True`` once the extents
        intersect (conservative).

        >>> a = Layout.contiguous((4,))
        >>> a.getitem(slice(0, None, 2)).overlaps(a.getitem(slice(1, None, 2)))
        False
        >>> a.getitem(slice(1, 3)).overlaps(a.getitem(slice(2, None)))
        True
        """
        if self.size == 0 or other.size == 0:
            return False
        lo1, hi1 = self.extent()
        lo2, hi2 = other.extent()
        if hi1 < lo2 or hi2 < lo1:
            return False
        if self.size > _EXACT_LIMIT or other.size > _EXACT_LIMIT:
            return True
        return not set(self.element_indices()).isdisjoint(other.element_indices())


_layout_new = object.__new__
_set_shape = vars(Layout)["shape"].__set__  # the slots' own setters (Layout is frozen)
_set_strides = vars(Layout)["strides"].__set__
_set_offset = vars(Layout)["offset"].__set__


def _trusted(shape: tuple[int, ...], strides: tuple[int, ...], offset: int) -> Layout:
    """A Layout of already-valid Python ints (no validation, no canonicalisation): for
    views derived from a valid layout, where no axis has size 0 (the caller checks)."""
    lay = _layout_new(Layout)
    _set_shape(lay, shape)
    _set_strides(lay, strides)
    _set_offset(lay, offset)
    return lay
