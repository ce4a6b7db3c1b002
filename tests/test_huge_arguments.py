"""No function hangs, crashes or fails namelessly on absurd counts, sizes and shapes.

The rule (docs/design.md, "Huge arguments"): a result beyond 64 dimensions or 2**63 - 1
bytes is a ValueError naming the function, raised before the backend is asked; a result
within those limits that memory cannot hold is a MemoryError naming the function; counts
beyond what changes a result (``diff``'s ``n``, ``tril``'s ``k``...) give the result at
once. Each case runs in a thread with a deadline, so a hang fails instead of stalling.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest

import storax as sx
from storax import _backends

H = 10**19  # beyond int64
I64 = 2**63  # one past int64's maximum
J = 2**62  # fits int64; a product of two does not
DEADLINE = 30.0  # seconds; every case takes well under one (a JAX compile included)


@pytest.fixture(params=_backends.BACKENDS)
def backend(request: pytest.FixtureRequest) -> Iterator[str]:
    try:
        _backends.load(request.param, "test_huge_arguments")
    except ValueError as e:  # a registered backend whose library is not installed here
        pytest.skip(str(e))
    with sx.use_backend(request.param):
        yield request.param


def within_deadline(backend: str, func: Any) -> Any:
    """``func()`` run in a thread on ``backend``; its result, or the exception it raised."""
    out: dict[str, Any] = {}

    def body() -> None:
        with sx.use_backend(backend):
            try:
                out["result"] = func()
            except BaseException as e:  # noqa: BLE001 - examined by the test
                out["error"] = e

    t = threading.Thread(target=body, daemon=True)
    t.start()
    t.join(DEADLINE)
    assert not t.is_alive(), "the call did not return: it hangs"
    if "error" in out:
        return out["error"]
    return out["result"]


def x() -> sx.Array:
    return sx.asarray([1.0, 2.0, 3.0, 4.0])


def m() -> sx.Array:
    return sx.asarray([[1.0, 2.0], [3.0, 4.0]])


def c() -> sx.Array:
    return sx.asarray([1 + 1j, 2.0])


# (case, function name the error must carry)
VALUE_ERRORS = [
    (lambda: sx.repeat(x(), H), "repeat"),
    (lambda: sx.repeat(x(), I64), "repeat"),
    (lambda: sx.repeat(x(), sx.asarray([10**18] * 4)), "repeat"),
    (lambda: sx.tile(x(), (H,)), "tile"),
    (lambda: sx.tile(x(), (J,)), "tile"),
    (lambda: sx.tile(x(), (1,) * 10**6), "tile"),
    (lambda: sx.zeros(H), "zeros"),
    (lambda: sx.zeros(I64), "zeros"),
    (lambda: sx.zeros((10**10, 10**10)), "zeros"),
    (lambda: sx.zeros((1,) * 10**6), "zeros"),
    (lambda: sx.ones((J, J)), "ones"),
    (lambda: sx.empty(H), "empty"),
    (lambda: sx.full((H,), 1.0), "full"),
    (lambda: sx.full((J, J), 1.0), "full"),
    (lambda: sx.arange(H), "arange"),
    (lambda: sx.arange(0, H), "arange"),
    (lambda: sx.arange(0.0, 1.0, 1e-300), "arange"),
    (lambda: sx.arange(-I64, I64 - 1), "arange"),
    (lambda: sx.arange(0.0, float("inf")), "arange"),
    (lambda: sx.linspace(0, 1, H), "linspace"),
    (lambda: sx.linspace(0, 1, I64), "linspace"),
    (lambda: sx.eye(H), "eye"),
    (lambda: sx.eye(10**10), "eye"),
    (lambda: sx.eye(3, H), "eye"),
    (lambda: sx.broadcast_to(x(), (H, 4)), "broadcast_to"),
    (lambda: sx.broadcast_to(x(), (J, J, 4)), "broadcast_to"),
    (lambda: sx.broadcast_to(x(), (1,) * 10**6 + (4,)), "broadcast_to"),
    (lambda: sx.reshape(x(), (H,)), "reshape"),
    (lambda: sx.reshape(x(), (1,) * 10**6), "reshape"),
    (lambda: sx.fft.fft(c(), n=H), "fft"),
    (lambda: sx.fft.fft(c(), n=I64), "fft"),
    (lambda: sx.fft.irfft(c(), n=H), "irfft"),
    (lambda: sx.fft.hfft(c(), n=H), "hfft"),
    (lambda: sx.fft.ihfft(x(), n=H), "ihfft"),
    (lambda: sx.fft.fftn(m(), s=(10**10, 10**10), axes=(0, 1)), "fftn"),
    (lambda: sx.fft.fftfreq(H), "fftfreq"),
    (lambda: sx.fft.rfftfreq(H), "rfftfreq"),
    (lambda: sx.meshgrid(*([x()] * 40)), "meshgrid"),
    (lambda: sx.tensordot(m(), m(), axes=H), "tensordot"),
    (lambda: sx.tensordot(m(), m(), axes=I64), "tensordot"),
    (lambda: sx.expand_dims(x(), axis=(0,) * 10**6), "expand_dims"),
    (lambda: sx.moveaxis(m(), (0,) * 10**6, (1,) * 10**6), "moveaxis"),
    (lambda: sx.mean(x(), axis=(0,) * 10**6), "mean"),
    (lambda: sx.diff(x(), n=-1), "diff"),
    (lambda: sx.linspace(0, 1, -1), "linspace"),
]

INDEX_ERRORS = [
    (lambda: sx.take(x(), sx.asarray([10**18])), "take"),
    (lambda: sx.take(x(), sx.asarray([0]), axis=H), "take"),
    (lambda: sx.roll(x(), 1, axis=H), "roll"),
    (lambda: sx.cumulative_sum(x(), axis=H), "cumulative_sum"),
    (lambda: sx.vecdot(x(), x(), axis=H), "vecdot"),
    (lambda: sx.expand_dims(x(), axis=H), "expand_dims"),
    (lambda: sx.moveaxis(x(), H, 0), "moveaxis"),
    (lambda: sx.tensordot(m(), m(), axes=([H], [0])), "tensordot"),
    (lambda: sx.sum(x(), axis=H), "sum"),
]

# requests within the limits that no test machine can hold: a MemoryError naming the
# function, or (where the system hands out memory lazily) a result at once
TOO_MUCH_MEMORY = [
    (lambda: sx.zeros(10**12), "zeros"),
    (lambda: sx.arange(10**12), "arange"),
    (lambda: sx.repeat(x(), 10**12), "repeat"),
    (lambda: sx.tile(x(), (10**6, 10**6)), "tile"),
    (lambda: sx.fft.fft(c(), n=10**12), "fft"),
    (lambda: sx.fft.fftfreq(10**12), "fftfreq"),
]


def _ids(cases: list[tuple[Any, str]]) -> list[str]:
    return [f"{name}-{i}" for i, (_, name) in enumerate(cases)]


@pytest.mark.parametrize(("case", "name"), VALUE_ERRORS, ids=_ids(VALUE_ERRORS))
def test_impossible_sizes_raise_a_named_value_error(backend, case, name):
    err = within_deadline(backend, case)
    assert isinstance(err, ValueError), err
    assert str(err).startswith(f"{name}:"), err


@pytest.mark.parametrize(("case", "name"), INDEX_ERRORS, ids=_ids(INDEX_ERRORS))
def test_huge_indices_and_axes_raise_a_named_index_error(backend, case, name):
    err = within_deadline(backend, case)
    assert isinstance(err, IndexError), err
    assert str(err).startswith(f"{name}:"), err


@pytest.mark.parametrize(("case", "name"), TOO_MUCH_MEMORY, ids=_ids(TOO_MUCH_MEMORY))
def test_too_much_memory_is_a_named_memory_error(backend, case, name):
    out = within_deadline(backend, case)
    if isinstance(out, BaseException):
        assert isinstance(out, MemoryError), out
        assert str(out).startswith(f"{name}: out of memory"), out
    else:
        assert out.shape[0] >= 10**12


def test_huge_counts_that_do_not_change_the_result_return_at_once(backend):
    v, a = x(), m()
    assert within_deadline(backend, lambda: sx.diff(v, n=H)).shape == (0,)
    assert within_deadline(backend, lambda: sx.diff(v, n=I64)).shape == (0,)
    assert within_deadline(backend, lambda: sx.diff(v, n=10**6)).shape == (0,)
    assert within_deadline(backend, lambda: sx.diff(a, n=H, axis=0)).shape == (0, 2)
    assert within_deadline(backend, lambda: sx.diff(v, n=3)).tolist() == [0.0]
    whole, none = a.tolist(), [[0.0, 0.0], [0.0, 0.0]]
    for k in (H, I64, 2**63 - 1, 10**6):
        assert within_deadline(backend, lambda k=k: sx.tril(a, k=k)).tolist() == whole
        assert within_deadline(backend, lambda k=k: sx.triu(a, k=-k)).tolist() == whole
        assert within_deadline(backend, lambda k=k: sx.tril(a, k=-k)).tolist() == none
        assert within_deadline(backend, lambda k=k: sx.triu(a, k=k)).tolist() == none
        assert within_deadline(backend, lambda k=k: sx.eye(3, k=k)).tolist() == [[0.0] * 3] * 3
        assert within_deadline(backend, lambda k=k: sx.eye(3, k=-k)).tolist() == [[0.0] * 3] * 3
        assert within_deadline(backend, lambda k=k: sx.linalg.diagonal(a, offset=k)).shape == (0,)
        assert within_deadline(backend, lambda k=k: sx.linalg.diagonal(a, offset=-k)).shape == (0,)
        assert within_deadline(backend, lambda k=k: sx.linalg.trace(a, offset=k)).item() == 0.0
    for shift in (H, -H, I64, 10**6):
        expected = np.roll(np.asarray([1.0, 2.0, 3.0, 4.0]), shift % 4).tolist()
        assert within_deadline(backend, lambda s=shift: sx.roll(v, s)).tolist() == expected


def test_huge_powers_and_corrections_return_at_once(backend):
    identity = sx.eye(2)
    for n in (H, I64, 10**6, -H):
        out = within_deadline(backend, lambda n=n: sx.linalg.matrix_power(identity, n))
        assert out.tolist() == [[1.0, 0.0], [0.0, 1.0]]
    var = within_deadline(backend, lambda: sx.var(x(), correction=-H))
    assert 0.0 <= float(var) < 1e-15
    std = within_deadline(backend, lambda: sx.std(x(), correction=H))
    assert np.isnan(float(std)) or np.isinf(float(std))
