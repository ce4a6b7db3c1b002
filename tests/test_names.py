"""Named dimensions (storax._names, docs/named-tensors.md): the propagation table, the
errors, storage sharing, serialization, and that unnamed arrays stay ordinary arrays."""

from __future__ import annotations

import importlib.util
import io
import pickle

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import storax as sx
from storax._names import reshape_names, unify

INSTALLED = [b for b in sx._backends.BACKENDS if importlib.util.find_spec(b) is not None]


@pytest.fixture(params=INSTALLED)
def backend(request):
    with sx.use_backend(request.param):
        yield request.param


def _named():
    return sx.reshape(sx.arange(24, dtype=sx.float32), (2, 3, 4)).refine_names("a", "b", "c")


# ------------------------------------------------------------------------- the API


def test_creation_names_and_unnamed_names(backend):
    for make in (
        lambda n: sx.zeros((2, 3), names=n),
        lambda n: sx.ones((2, 3), names=n),
        lambda n: sx.empty((2, 3), names=n),
        lambda n: sx.full((2, 3), 1.5, names=n),
        lambda n: sx.asarray([[1, 2, 3], [4, 5, 6]], names=n),
        lambda n: sx.rand(2, 3, names=n),
        lambda n: sx.randn(2, 3, names=n),
    ):
        assert make(("r", None)).names == ("r", None)
        unnamed = make(None)
        assert unnamed.names == (None, None) and unnamed._names is None
    all_none = sx.zeros((2, 3), names=(None, None))
    assert type(all_none) is type(sx.zeros(1))  # all-None names: an ordinary array


def test_names_validation(backend):
    with pytest.raises(ValueError, match="zeros: 1 names"):
        sx.zeros((2, 3), names=("a",))
    with pytest.raises(TypeError, match="zeros: names must be a tuple"):
        sx.zeros((2, 3), names="ab")
    with pytest.raises(TypeError, match="zeros: a name must be a str or None"):
        sx.zeros((2, 3), names=("a", 1))
    with pytest.raises(ValueError, match="zeros: a name must be a Python identifier"):
        sx.zeros((2,), names=("a b",))
    with pytest.raises(ValueError, match="zeros: the name 'a' appears more than once"):
        sx.zeros((2, 3), names=("a", "a"))


def test_refine_names(backend):
    x = sx.zeros((2, 3, 4))
    assert x.refine_names("a", ..., "c").names == ("a", None, "c")
    assert x.refine_names(..., "c").refine_names("a", ...).names == ("a", None, "c")
    named = x.refine_names("a", "b", "c")
    assert named.refine_names("a", "b", "c").names == ("a", "b", "c")
    with pytest.raises(ValueError, match="refine_names: cannot change dim 'a' to 'z'"):
        named.refine_names("z", ...)
    with pytest.raises(ValueError, match=r"refine_names: at most one \.\.\."):
        x.refine_names(..., "a", ...)
    with pytest.raises(ValueError, match="refine_names: 2 names given for an array with 3"):
        x.refine_names("a", "b")


def test_rename(backend):
    x = _named()
    assert x.rename(..., "d").names == ("a", "b", "d")
    assert x.rename("p", "q", "r").names == ("p", "q", "r")
    assert x.rename(b="beta").names == ("a", "beta", "c")
    assert x.rename(None).names == (None, None, None)
    assert sx.zeros(3, names=("k",)).rename(None).names == (None,)
    with pytest.raises(ValueError, match="rename: no dim named 'z'"):
        x.rename(z="y")
    with pytest.raises(ValueError, match="rename: give names positionally or as old=new"):
        x.rename("a", b="c")
    with pytest.raises(ValueError, match="rename: the name 'a' appears more than once"):
        x.rename(..., "a")


def test_align_to_and_align_as(backend):
    x = _named()
    y = x.align_to("c", "a", "b")
    assert y.shape == (4, 2, 3) and y.names == ("c", "a", "b")
    np.testing.assert_array_equal(y.numpy(), x.numpy().transpose(2, 0, 1))
    z = sx.ones(3, names=("b",)).align_to("a", "b", "c")
    assert z.shape == (1, 3, 1) and z.names == ("a", "b", "c")
    assert x.align_to("c", ...).names == ("c", "a", "b")
    partly = sx.zeros((2, 3)).refine_names(None, "k")
    assert partly.align_to("k", ...).names == ("k", None) and partly.align_to("k", ...).shape == (
        3,
        2,
    )
    assert sx.ones(4, names=("c",)).align_as(x).shape == (1, 1, 4)
    with pytest.raises(ValueError, match="align_to: all dims must be named"):
        partly.align_to("k", "j")
    with pytest.raises(ValueError, match="align_to: the dim 'a' of names"):
        x.align_to("b", "c")
    with pytest.raises(TypeError, match="align_as: expected a storax array"):
        x.align_as(np.zeros(3))


# ------------------------------------------------------------------- propagation


def test_elementwise_unify_from_the_right(backend):
    x = _named()
    w = sx.ones(4, names=("c",))
    for r in (x + w, w + x, x * 2, 2 * x, sx.add(x, w), sx.multiply(w, x), x < w, -x, abs(x)):
        assert r.names == ("a", "b", "c")
    assert sx.sin(x).names == ("a", "b", "c") and sx.exp(w).names == ("c",)
    assert (x + np.ones(4, np.float32)).names == ("a", "b", "c")
    part = sx.ones((3, 1)).refine_names("b", None)
    assert (x + part).names == ("a", "b", "c")
    assert sx.clip(x, 0.0, 5.0).names == ("a", "b", "c")
    with pytest.raises(ValueError, match="add: error when attempting to broadcast"):
        sx.add(x, sx.ones(4, names=("b",)))
    with pytest.raises(ValueError, match="__add__: the name 'a' appears more than once"):
        sx.zeros((2, 1), names=("a", None)) + sx.zeros((1, 3), names=(None, "a"))


def test_in_place_keeps_names_and_writes_through(backend):
    x = _named()
    base = x.rename(None)  # an unnamed view of the same storage
    x += sx.ones(4, names=("c",))
    assert x.names == ("a", "b", "c")
    assert float(base[0, 0, 0]) == 1.0
    with pytest.raises(ValueError, match="__iadd__: error when attempting to broadcast"):
        x += sx.ones(4, names=("b",))
    x.mul_(2)
    assert x.names == ("a", "b", "c") and float(base[0, 0, 0]) == 2.0


def test_views_share_storage_and_keep_names(backend):
    x = _named()
    unnamed = sx.reshape(sx.arange(24, dtype=sx.float32), (2, 3, 4))
    named = unnamed.refine_names("a", "b", "c")
    named[0, 0, 0] = 100.0  # a write through the named view reaches the unnamed array
    assert float(unnamed[0, 0, 0]) == 100.0
    view = named[1]
    view[0, 0] = -1.0
    assert float(unnamed[1, 0, 0]) == -1.0
    assert x[0].names == ("b", "c")
    assert x[:, 1].names == ("a", "c")
    assert x[..., 0].names == ("a", "b")
    assert x[None, 0].names == (None, "b", "c")
    assert x[0, ..., None].names == ("b", "c", None)
    assert x[sx.asarray([0, 1])].names == (None, None, None)  # advanced: dropped
    assert sx.permute_dims(x, (2, 0, 1)).names == ("c", "a", "b")
    assert x.permute(1, 0, 2).names == ("b", "a", "c")
    assert x[0].T.names == ("c", "b") and x[0].t().names == ("c", "b")
    assert x.mT.names == ("a", "c", "b") and x.transpose(0, 2).names == ("c", "b", "a")
    assert sx.expand_dims(x, axis=1).names == ("a", None, "b", "c")
    assert x.unsqueeze(-1).names == ("a", "b", "c", None)
    assert sx.squeeze(x[:, :1], axis=1).names == ("a", "c")
    assert sx.broadcast_to(x, (5, 2, 3, 4)).names == (None, "a", "b", "c")
    assert [r.names for r in x] == [("b", "c"), ("b", "c")]
    assert sx.flip(x, axis=0).names == ("a", "b", "c")  # a view, dims kept
    assert sx.moveaxis(x, 0, -1).names == ("b", "c", "a")


def test_reshape_keeps_names_only_when_unambiguous(backend):
    x = _named()
    assert sx.reshape(x, (2, 3, 4)).names == ("a", "b", "c")
    assert sx.reshape(x, (2, 1, 3, 4)).names == ("a", None, "b", "c")
    assert x.reshape(6, 4).names == (None, None)
    assert x.reshape(-1).names == (None,)
    assert x.view(6, 4).names == (None, None)
    assert sx.reshape(x, (2, 3, 4), copy=True).names == ("a", "b", "c")


@given(
    st.lists(st.integers(1, 4), min_size=1, max_size=4),
    st.lists(st.integers(0, 3), max_size=3),
)
def test_reshape_names_follow_the_non_unit_dims(shape, ones_at):
    names = tuple(f"d{i}" for i in range(len(shape)))
    new = list(shape)
    for i in ones_at:
        new.insert(min(i, len(new)), 1)
    out = reshape_names(tuple(shape), names, tuple(new))
    if tuple(new) == tuple(shape):
        assert out == names
    else:
        assert out is not None and len(out) == len(new)
        assert [n for n in out if n is not None] == [
            n for s, n in zip(shape, names, strict=True) if s != 1
        ]


def test_reductions(backend):
    x = _named()
    assert x.sum("b").names == ("a", "c")
    assert sx.sum(x, axis=1).names == ("a", "c")
    assert sx.mean(x, axis=("a", -1)).names == ("b",)
    assert x.sum().names == ()
    assert sx.max(x, axis="c", keepdims=True).names == ("a", "b", "c")
    for f in (sx.prod, sx.min, sx.var, sx.std, sx.argmax, sx.argmin, sx.count_nonzero):
        assert f(x, axis="b").names == ("a", "c"), f.__name__
    assert sx.all(x > 0, axis="a").names == ("b", "c")
    assert sx.any(x > 0, axis="c").names == ("a", "b")
    assert sx.cumulative_sum(x, axis="c").names == ("a", "b", "c")
    np.testing.assert_allclose(x.sum("b").numpy(), x.numpy().sum(1))
    with pytest.raises(ValueError, match="mean: no dim named 'rows'"):
        sx.mean(sx.zeros((2, 2)), axis="rows")


def test_casts_copies_and_likes_keep_names(backend):
    x = _named()
    for r in (
        sx.astype(x, sx.float64), x.to(sx.float64), x.double(), x.clone(), x.contiguous(),
        x[:, ::2].contiguous(), sx.zeros_like(x), sx.ones_like(x), sx.empty_like(x),
        sx.full_like(x, 3.0), x.cpu(), sx.asarray(x),
    ):  # fmt: skip
        assert r.names == ("a", "b", "c")
    assert sx.asarray(x, names=("p", "q", "r")).names == ("p", "q", "r")
    assert x.names == ("a", "b", "c")


def test_functions_that_drop_names(backend):
    x = _named()
    m = x[0]
    for r in (m @ m.T, sx.matmul(m, m.T), sx.where(x > 1, x, 0.0), sx.concat([x, x]),
              sx.sort(x, axis=-1), sx.stack([m, m])):  # fmt: skip
        assert r._names is None and r.names == (None,) * r.ndim


def test_repr_shows_names(backend):
    s = repr(sx.asarray([1.0, 2.0], names=["k"]))
    assert s.startswith("tensor([1., 2.]") and s.endswith("names=('k',))")


def test_unnamed_results_are_ordinary_arrays(backend):
    a = sx.ones(8)
    plain = type(a)
    assert type(a + a) is plain and type(sx.sin(a)) is plain
    x = _named()
    assert type(x).__name__ == f"Named{plain.__name__}" and isinstance(x, plain)
    assert isinstance(x, sx.Array)
    assert type(x.rename(None)) is plain


# ------------------------------------------------------------------ serialization


def test_pickle_keeps_names_and_sharing(backend):
    x = _named()
    row = x[1]
    x2, row2 = pickle.loads(pickle.dumps((x, row)))
    assert x2.names == ("a", "b", "c") and row2.names == ("b", "c")
    assert x2.tolist() == x.tolist()
    row2[0, 0] = 42.0
    assert float(x2[1, 0, 0]) == 42.0  # still views of one storage
    assert pickle.loads(pickle.dumps(sx.ones(2))).names == (None,)


def test_save_load_keeps_names(backend):
    x = _named()
    f = io.BytesIO()
    sx.save({"x": x, "row": x[0], "plain": sx.ones(2)}, f)
    f.seek(0)
    out = sx.load(f)
    assert out["x"].names == ("a", "b", "c") and out["row"].names == ("b", "c")
    assert out["plain"].names == (None,) and out["plain"]._names is None
    assert out["x"].tolist() == x.tolist()


def test_load_rejects_bad_names():
    from storax.io import FormatError
    from storax.io._native import _view_names

    shape = {"shape": [2, 3]}
    assert _view_names([{**shape}, {**shape, "names": ["a", None]}]) == [None, ("a", None)]
    for bad in (["a"], "ab", ["a", 1], ["a", "a"], ["a b", None]):
        with pytest.raises(FormatError):
            _view_names([{**shape, "names": bad}])


# ------------------------------------------------------------------- the rules


def test_unify_rules():
    assert unify((None, "b"), ("a", None), "f") == ("a", "b")
    assert unify(("c",), (None, None, "c"), "f") == (None, None, "c")
    assert unify((None,), (None, None), "f") is None
    with pytest.raises(ValueError, match="f: error when .* dim 'x' and dim 'y'"):
        unify(("x",), ("y",), "f")
