"""Print options (``set_printoptions``, ``printoptions``) and the reprs that honour them."""

from __future__ import annotations

import pytest

import storax as sx


@pytest.fixture(autouse=True)
def _restore_printoptions():
    # The expected texts are the NumPy backend's (JAX arrays add a device= suffix).
    saved = sx.get_printoptions()
    with sx.use_backend("numpy"):
        yield
    sx.set_printoptions(**saved)


def test_seed_edgeitems_2_summarises_large_arrays():
    sx.set_printoptions(edgeitems=2)  # the seed's first cell
    text = repr(sx.reshape(sx.arange(2000), (40, 50)))
    assert text.startswith("tensor([[   0,    1, ...,   48,   49],\n")
    assert text.count("...") == 5  # four edge rows elided inside, and the rows between
    assert repr(sx.arange(5)) == "tensor([0, 1, 2, 3, 4])"  # small arrays print whole


def test_defaults_match_pytorch():
    assert sx.get_printoptions() == {
        "precision": 4, "threshold": 1000, "edgeitems": 3, "linewidth": 80, "sci_mode": None,
    }  # fmt: skip
    # Note: as before these options existed, floats print with the fewest digits (up to
    # ``precision``) that show every element exactly (NumPy's "maxprec_equal").
    assert repr(sx.asarray([1.0, 2.5])) == "tensor([1.0, 2.5])"


def test_precision_threshold_linewidth_sci_mode():
    x = sx.asarray([1.23456789, 2.0])
    with sx.printoptions(precision=2):
        assert repr(x) == "tensor([1.23, 2.00])"
    with sx.printoptions(threshold=3, edgeitems=1):
        assert repr(sx.arange(10)) == "tensor([0, ..., 9])"
    with sx.printoptions(linewidth=20):
        assert max(len(line) for line in repr(sx.arange(30)).splitlines()) <= 20
    with sx.printoptions(sci_mode=True, precision=3):
        assert repr(x) == "tensor([1.235e+00, 2.000e+00])"
    with sx.printoptions(sci_mode=False):
        assert repr(sx.asarray([1e-8, 1.0])) == "tensor([0.0000, 1.0000])"
    assert repr(x) == "tensor([1.2346, 2.0000])"  # every with-block restored the options


def test_set_printoptions_is_also_a_context_manager():
    with sx.set_printoptions(edgeitems=1, threshold=2):
        assert repr(sx.arange(6)) == "tensor([0, ..., 5])"
    assert sx.get_printoptions()["edgeitems"] == 3
    sx.set_printoptions(precision=1)  # without a with-block the option stays set
    assert repr(sx.asarray([0.25])) == "tensor([0.2])"
    sx.set_printoptions(profile="default")
    assert sx.get_printoptions()["precision"] == 4


def test_jax_arrays_honour_the_options():
    pytest.importorskip("jax")
    with sx.use_backend("jax"), sx.printoptions(edgeitems=2, threshold=4):
        text = repr(sx.arange(10))
    assert text.startswith("tensor([0, 1, ..., 8, 9]") and "device='jax:" in text


@pytest.mark.parametrize(
    ("kwargs", "exc", "match"),
    [
        ({"precision": -1}, ValueError, "set_printoptions: precision must be non-negative"),
        ({"edgeitems": 2.5}, TypeError, "set_printoptions: edgeitems must be an int"),
        ({"sci_mode": "yes"}, TypeError, "set_printoptions: sci_mode must be"),
        ({"profile": "tiny"}, ValueError, "set_printoptions: profile must be one of"),
    ],
)
def test_bad_options_raise_and_change_nothing(kwargs, exc, match):
    before = sx.get_printoptions()
    with pytest.raises(exc, match=match):
        sx.set_printoptions(**kwargs)
    assert sx.get_printoptions() == before
