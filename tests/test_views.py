"""Views share storage: write through every view-returning function, read through the base."""

from __future__ import annotations

import numpy as np
import pytest

import storax as sx


def _base():
    return sx.reshape(sx.arange(24, dtype=sx.float64), (2, 3, 4))


def _index(x):
    return x[1, :, ::2]


VIEWS = {
    "basic index": _index,
    "negative step": lambda x: x[:, ::-1, 1:3],
    "int index 0-d": lambda x: x[1, 2, 3],
    "None/Ellipsis": lambda x: x[None, ..., 1],
    "T of 2-D": lambda x: x[0].T,
    "mT": lambda x: x.mT,
    "t()": lambda x: x[1].t(),
    "transpose": lambda x: x.transpose(0, 2),
    "permute": lambda x: x.permute(2, 0, 1),
    "view": lambda x: x.view(6, 4),
    "view -1": lambda x: x.view(-1),
    "permute_dims": lambda x: sx.permute_dims(x, (1, 2, 0)),
    "matrix_transpose": lambda x: sx.matrix_transpose(x),
    "expand_dims": lambda x: sx.expand_dims(x, axis=1),
    "squeeze": lambda x: sx.squeeze(x[:1], axis=0),
    "reshape (possible)": lambda x: sx.reshape(x, (6, 4)),
    "unsqueeze": lambda x: x.unsqueeze(0),
    "asarray copy=False": lambda x: sx.asarray(x, copy=False),
    "asarray copy=None": lambda x: sx.asarray(x),
    "to same dtype": lambda x: x.to(sx.float64),
    "contiguous() of contiguous": lambda x: x.contiguous(),
}


if sx.get_backend() == "numpy":
    # NumPy interop shares memory only on the NumPy backend (JAX's numpy() is a host copy).
    VIEWS["numpy()"] = lambda x: sx.from_numpy(x.numpy())


@pytest.mark.parametrize("name", list(VIEWS))
def test_view_shares_storage(name):
    x = _base()
    v = VIEWS[name](x)
    assert v.storage() is x.storage()
    assert v.storage().data_ptr() == x.storage().data_ptr()
    before = x.numpy().copy()
    v[...] = -1.0
    # Every element of the view, seen through its layout, is now -1 in the shared storage.
    layout = v.layout()
    flat = x.storage().tolist()
    assert all(flat[i] == -1.0 for i in layout.element_indices())
    changed = x.numpy() != before
    assert changed.sum() == len(set(layout.element_indices()))


def test_views_chain_offsets_and_strides():
    x = sx.reshape(sx.arange(12, dtype=sx.float32), (3, 4))
    v = x[1:, ::-2]
    assert v.storage_offset() == 7 and v.stride() == (4, -2)
    assert v.layout() == sx.Layout((2, 2), (4, -2), 7)
    assert v.tolist() == [[7.0, 5.0], [11.0, 9.0]]


COPIES = {
    "clone": lambda x: x.clone(),
    "copy": lambda x: x.copy(),
    "contiguous of transposed": lambda x: x.mT.contiguous(),
    "astype": lambda x: sx.astype(x, sx.float64),
    "asarray copy=True": lambda x: sx.asarray(x, copy=True),
    "to another dtype": lambda x: x.to(sx.float32),
    "integer-array index": lambda x: x[sx.asarray([0, 1])],
    "boolean mask": lambda x: x[x > 3],
    "reshape of transposed": lambda x: sx.reshape(x.mT, (-1,)),
    "arithmetic": lambda x: x + 0,
}


@pytest.mark.parametrize("name", list(COPIES))
def test_copy_has_own_storage(name):
    x = _base()
    c = COPIES[name](x)
    assert c.storage().data_ptr() != x.storage().data_ptr()
    c[...] = 0
    assert x.tolist() == _base().tolist()


def test_view_of_noncontiguous_raises_and_suggests_reshape():
    x = sx.ones((3, 4)).mT
    with pytest.raises(ValueError, match="reshape"):
        x.view(12)
    assert sx.reshape(x, (12,)).shape == (12,)


def test_broadcast_view_is_read_only():
    x = sx.arange(3, dtype=sx.float32)
    b = sx.broadcast_to(x, (4, 3))
    assert b.stride() == (0, 1)
    assert b.storage() is x.storage()
    with pytest.raises(ValueError, match="read-only"):
        b[0, 0] = 5.0
    with pytest.raises(ValueError, match="read-only"):
        b += 1
    with pytest.raises(ValueError, match="read-only"):
        b.add_(1)
    with pytest.raises(ValueError, match="read-only"):
        b.fill_(1)
    assert x.tolist() == [0.0, 1.0, 2.0]  # nothing was written, not even once
    for a in sx.broadcast_arrays(x, sx.ones((2, 3))):
        with pytest.raises(ValueError, match="read-only"):
            a[...] = 0


def test_inplace_ops_write_through_views():
    x = sx.zeros((3, 4))
    col = x[:, 1]
    col += 1
    col *= 3
    col.add_(1, alpha=2)
    col.sub_(1)
    col.mul_(2)
    col.div_(4)
    assert x[:, 1].tolist() == [2.0, 2.0, 2.0]
    assert float(sx.sum(x)) == 6.0
    row = x[0]
    row.fill_(4.0).sqrt_().neg_().abs_()
    assert x[0].tolist() == [2.0, 2.0, 2.0, 2.0]
    x[1].copy_(sx.asarray([1.0, 2.0, 3.0, 4.0]))
    x[1].clamp_(min=2.0, max=3.0)
    assert x[1].tolist() == [2.0, 2.0, 3.0, 3.0]
    x[2].exp_().log_()
    x[2].sin_().cos_()
    assert x[2].tolist() == pytest.approx(np.cos(np.sin([0.0, 2.0, 0.0, 0.0])).tolist())


def test_inplace_dtype_errors_name_the_method():
    x = sx.zeros(3, dtype=sx.int32)
    with pytest.raises(TypeError, match="sqrt_"):
        x.sqrt_()
    with pytest.raises(TypeError, match="__iadd__"):
        x += 1.5
    with pytest.raises(ValueError, match="clamp_"):
        x.clamp_()


def test_storage_version_counts_writes_through_any_view():
    x = sx.zeros((2, 3))
    v = x[1]
    s = x.storage()
    assert s.version == 0
    v[0] = 1.0
    x[0, 0] = 2.0
    v += 1
    v.zero_()
    s[0] = 5.0
    assert s.version == 5
    assert x.tolist() == [[5.0, 0.0, 0.0], [0.0, 0.0, 0.0]]


@pytest.mark.parametrize(
    "axis", [0, 1, 2, 3, -1, -4, (0,), (0, 3), (3, 0), (1, 2), (-1, 0), (0, 1, 4, 5)]
)
def test_expand_dims_squeeze_views_every_position(axis):
    """expand_dims and squeeze (one or several axes, negative ones) of a non-contiguous
    view: NumPy's values, and views whose writes land in the base."""
    base = sx.reshape(sx.arange(48, dtype=sx.float64), (4, 3, 4))
    x = base[::2, :, ::-1]  # non-contiguous, negative stride
    want = np.reshape(np.arange(48.0), (4, 3, 4))[::2, :, ::-1]
    e = sx.expand_dims(x, axis=axis)
    np.testing.assert_array_equal(np.asarray(e), np.expand_dims(want, axis))
    assert e.storage() is base.storage()
    if sx.get_backend() == "numpy":  # unit axes' strides as NumPy's expand_dims gives them
        assert e.stride() == tuple(b // 8 for b in np.expand_dims(want, axis).strides)
    s = sx.squeeze(e, axis=axis)
    np.testing.assert_array_equal(np.asarray(s), want)
    s[0, 0, 0] = -1.0  # through both views into the base
    assert float(base[0, 0, 3]) == -1.0


@pytest.mark.parametrize("axis", [0, -1, (0, 1), (2, 0)])
def test_expand_dims_squeeze_0d_empty_read_only(axis):
    for v in (sx.asarray(2.5), sx.zeros((0, 2)), sx.reshape(sx.arange(6), (2, 3))[:, 1:]):
        n = len(axis) if isinstance(axis, tuple) else 1
        if max(axis if isinstance(axis, tuple) else (axis,)) >= v.ndim + n:
            continue
        r = sx.expand_dims(v, axis=axis)
        np.testing.assert_array_equal(np.asarray(r), np.expand_dims(np.asarray(v), axis))
        np.testing.assert_array_equal(np.asarray(sx.squeeze(r, axis=axis)), np.asarray(v))
    ro = sx.broadcast_to(sx.asarray([1.0, 2.0]), (3, 2))  # a read-only view stays one
    for r in (sx.expand_dims(ro, axis=axis), sx.squeeze(sx.expand_dims(ro, axis=axis), axis=axis)):
        with pytest.raises(ValueError):
            r[...] = 0.0
    with pytest.raises(IndexError, match="^expand_dims: "):
        sx.expand_dims(ro, axis=5)
    with pytest.raises(ValueError, match="^squeeze: "):
        sx.squeeze(ro, axis=0)
