"""Every registered backend conforms to the declared protocol (storax._backends._protocol)."""

from __future__ import annotations

import inspect

import pytest

import storax as sx
from storax import _backends
from storax._backends import _protocol


def _backend(name):
    try:
        return _backends.load(name, "test")
    except ValueError as e:  # pragma: no cover - an optional backend not installed
        pytest.skip(str(e))


@pytest.fixture(params=_backends.BACKENDS)
def backend(request):
    return _backend(request.param)


def test_module_is_a_backend(backend):
    assert isinstance(backend, _protocol.Backend)
    for attr in _protocol.REQUIRED_ATTRIBUTES:
        assert hasattr(backend, attr), attr
    assert isinstance(backend.caps, _protocol.Capabilities)
    assert backend.name in _backends.BACKENDS


@pytest.mark.parametrize("func", sorted(_protocol.REQUIRED_FUNCTIONS))
def test_functions_and_their_parameters(backend, func):
    f = getattr(backend, func)
    params = list(inspect.signature(f).parameters)
    want = _protocol.REQUIRED_FUNCTIONS[func]
    assert params[: len(want)] == list(want), f"{backend.name}.{func}{tuple(params)}"


@pytest.mark.parametrize("func", sorted(_protocol.OPTIONAL_FUNCTIONS))
def test_optional_hooks_and_their_parameters(backend, func):
    f = getattr(backend, func, None)
    if f is None:  # absent: the callers take the general path (JAX defines every hook)
        assert backend.name != "jax", f"jax.{func} is missing"
        return
    params = list(inspect.signature(f).parameters)
    want = _protocol.OPTIONAL_FUNCTIONS[func]
    assert params[: len(want)] == list(want), f"{backend.name}.{func}{tuple(params)}"


def test_family_is_an_array_with_one_constructor(backend):
    cls = backend.Array
    assert issubclass(cls, sx.Array) and cls is not sx.Array
    assert cls._backend is backend
    assert cls._new is backend.wrap or cls._new.__func__ is backend.wrap  # type: ignore[attr-defined]
    for method in ("_permuted", "_view_reshape", "_broadcast", "_expanded", "_squeezed",
                   "_strided_view", "_inplace", "storage", "layout", "__getitem__",
                   "__setitem__", "__dlpack__", "__array__", "clone", "item"):  # fmt: skip
        assert method in vars(cls) or any(method in vars(b) for b in cls.__mro__[1:-1]), method
    # the composition step wired it
    assert cls.__dict__.get("_composed") and "__add__" in vars(cls)
    assert cls._one_device is backend.caps.single_device


def test_allocate_materialise_write_and_views(backend):
    from storax._core._layout import Layout

    host = _backends.host.xp.arange(6.0)
    st = backend.allocate(backend.from_host(host, None))
    assert st.size() == 6 and st._backend is backend
    lay = Layout((2,), (2,), 1)
    backend.write(st, lay, 10.0, "test")
    assert st.version == 1
    assert backend.to_host(backend.materialise(st, Layout.contiguous((6,)))).tolist() == [
        0.0, 10.0, 2.0, 10.0, 4.0, 5.0,
    ]  # fmt: skip
    v = backend.view_of(st, Layout((3,), (-2,), 5), False)
    assert isinstance(v, backend.Array) and v.storage() is st and v.stride() == (-2,)
    assert v.tolist() == [5.0, 10.0, 10.0]
    v[0] = 7.0
    assert st[5] == 7.0
    ro = backend.view_of(st, Layout((2, 3), (0, 1), 0), True)
    with pytest.raises(ValueError):
        ro[0, 0] = 1.0


def test_wrap_and_is_value(backend):
    value = backend.from_host(_backends.host.xp.ones(3), None)
    assert backend.is_value(value)
    x = backend.wrap(value)
    assert isinstance(x, backend.Array) and x.shape == (3,)
    assert _backends.wrap(value)._backend is backend


def test_capabilities_describe_the_backend(backend):
    caps = backend.caps
    x = backend.wrap(backend.from_host(_backends.host.xp.arange(4.0), None))
    assert caps.host_native == (backend is _backends.host)
    if caps.live_views:
        assert x[::-1]._value.strides[0] < 0  # the backend's own value is the live view
    for kw in (caps.matmul_kwargs, caps.eigh_kwargs):
        assert all(isinstance(k, str) for k in kw)
    if not caps.raises_on_singular:
        assert backend.linalg_errors == ()


def test_all_finite(backend):
    import numpy as np

    xp = backend.xp
    assert backend.all_finite(xp.asarray([1.0, 2.0]))
    assert backend.all_finite(xp.asarray([1, 2]))
    assert backend.all_finite(xp.asarray([], dtype=xp.float32))
    assert not backend.all_finite(xp.asarray([[1.0, float("nan")]]))
    assert not backend.all_finite(xp.asarray([1.0, float("-inf")], dtype=xp.float32))
    assert not backend.all_finite(xp.asarray([complex(1.0, float("inf"))]))
    # large arrays (NumPy sums them first): NaN, infinities, a sum that overflows from
    # finite elements, complex parts, strided views
    big = np.linspace(-1.0, 1.0, 40_000)
    for at, value, finite in ((7, np.nan, False), (9, np.inf, False), (11, -np.inf, False),
                              (0, 1.7e308, True)):  # fmt: skip
        v = big.copy()
        v[at] = value
        v[at + 1] = value
        assert bool(backend.all_finite(xp.asarray(v))) is finite
        in_view = at % 3 == 0 or (at + 1) % 3 == 0
        assert bool(backend.all_finite(xp.asarray(v)[::3])) is (finite or not in_view)
    c = (big + 1j * big).astype(np.complex64)
    c[123] = complex(0.0, np.nan)
    assert not backend.all_finite(xp.asarray(c))
    assert backend.all_finite(xp.asarray(c[:100]))


def test_quiet_silences_and_restores_numpy_error_state():
    import warnings

    import numpy as np

    before = np.geterr()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with _backends.quiet():
            assert set(np.geterr().values()) == {"ignore"}
            np.divide(np.ones(1), np.zeros(1))
        assert np.geterr() == before
        # a caller's own state is kept outside and honoured after (a changed base state)
        with np.errstate(divide="raise"):
            with _backends.quiet():
                np.divide(np.ones(1), np.zeros(1))
            with pytest.raises(FloatingPointError):
                np.divide(np.ones(1), np.zeros(1))
        with _backends.quiet(), _backends.quiet():  # nested
            np.log(np.zeros(1))
        assert np.geterr() == before
