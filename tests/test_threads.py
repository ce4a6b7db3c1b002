"""Writes are atomic per storage: concurrent writers through views lose nothing.

Every test runs on every backend storax registers (``storax._backends.BACKENDS``), so a
backend added later is tested without a change here. Threads start together at a barrier,
and the interpreter switches threads as often as it can, to make races likely within a
bounded number of operations; every wait has a timeout, so a deadlock fails the test.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable, Iterator

import numpy as np
import pytest

import storax as sx
from storax import _backends

THREADS = 8
TIMEOUT = 60.0  # seconds: far beyond what any test takes; reaching it means a deadlock


@pytest.fixture(params=_backends.BACKENDS)
def backend(request: pytest.FixtureRequest) -> Iterator[str]:
    name = request.param
    try:
        _backends.load(name, "test_threads")
    except ValueError as e:  # a registered backend whose library is not installed here
        pytest.skip(str(e))
    old = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as possible: races show up
    try:
        with sx.use_backend(name):
            yield name
    finally:
        sys.setswitchinterval(old)


def run_threads(backend: str, target: Callable[[int], None], n: int = THREADS) -> None:
    """Run ``target(k)`` for k in range(n), each in its own thread on ``backend``,
    all released at once; re-raise the first error any of them met."""
    barrier = threading.Barrier(n, timeout=TIMEOUT)
    errors: list[BaseException] = []

    def body(k: int) -> None:
        try:
            with sx.use_backend(backend):  # a new thread starts with the default backend
                barrier.wait()
                target(k)
        except BaseException as e:  # noqa: BLE001 - reported by the main thread below
            errors.append(e)

    threads = [threading.Thread(target=body, args=(k,), daemon=True) for k in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(TIMEOUT)
    assert not any(t.is_alive() for t in threads), "threads did not finish: a deadlock"
    if errors:
        raise errors[0]


def host(x: sx.Array) -> np.ndarray:
    return np.asarray(x.tolist())


# ------------------------------------------------------------------ disjoint writers


def test_disjoint_slices_lose_no_writes(backend):
    x = sx.zeros(800, dtype=sx.float64)

    def work(k: int) -> None:
        v = x[k * 100 : (k + 1) * 100]
        for _ in range(2):
            for i in range(100):
                v[i] = v[i] + 1

    run_threads(backend, work)
    assert float(sx.sum(x)) == 1600.0
    assert (host(x) == 2.0).all()


def test_disjoint_integer_array_indices(backend):
    x = sx.zeros(400, dtype=sx.int64)

    def work(k: int) -> None:
        idx = sx.arange(k, 400, THREADS)  # every THREADS-th element: disjoint, interleaved
        for _ in range(25):
            x[idx] = x[idx] + 1

    run_threads(backend, work)
    assert (host(x) == 25).all()


def test_disjoint_masks_with_arrays_and_scalars(backend):
    x = sx.zeros(400, dtype=sx.float32)
    y = sx.zeros(400, dtype=sx.float32)
    lanes = sx.arange(400) % THREADS

    def work(k: int) -> None:
        mask = lanes == k
        for i in range(1, 26):
            x[mask] = x[mask] + 1  # a mask with an array value
            y[mask] = float(i)  # a mask with a scalar: a select over the whole view

    run_threads(backend, work)
    assert (host(x) == 25).all()
    assert (host(y) == 25).all()


def test_disjoint_strided_views(backend):
    x = sx.zeros(800, dtype=sx.float64)
    grid = sx.reshape(x, (100, THREADS))

    def work(k: int) -> None:
        column = grid[:, k]  # stride THREADS
        every = x[k::THREADS]  # the same elements, another view
        for _ in range(15):
            column[...] = column + 1
            every[...] = every + 1
        back = x[::-1][THREADS - 1 - k :: THREADS]  # negative stride, same elements
        for _ in range(5):
            back[...] = back + 1

    run_threads(backend, work)
    assert (host(x) == 35).all()


def test_inplace_operators_on_disjoint_rows(backend):
    x = sx.zeros((THREADS, 50), dtype=sx.float64)
    n = sx.zeros((THREADS, 50), dtype=sx.int32)

    def work(k: int) -> None:
        row, counts = x[k], n[k]
        for _ in range(50):
            row += 1.0
            row *= 1.0
            counts += 2
            counts -= 1

    run_threads(backend, work)
    assert (host(x) == 50.0).all()
    assert (host(n) == 50).all()


def test_inplace_methods_on_disjoint_rows(backend):
    x = sx.zeros((THREADS, 16), dtype=sx.float64)
    y = sx.zeros((THREADS, 16), dtype=sx.float64)
    one = sx.ones(16, dtype=sx.float64)

    def work(k: int) -> None:
        row, other = x[k], y[k]
        for i in range(20):
            row.add_(one)  # +1
            row.sub_(-1.0)  # +1
            row.neg_().abs_()  # unary methods, no change (the row is positive)
            row.clamp_(min=0.0, max=1000.0)
            other.fill_(float(i))
            other.copy_(other + 1.0)
            other.sqrt_().square_()

    run_threads(backend, work)
    assert (host(x) == 40.0).all()
    assert np.allclose(host(y), 20.0)


def test_storage_setitem_from_threads(backend):
    x = sx.zeros(THREADS * 20, dtype=sx.int64)
    s = x.storage()
    v0 = s.version

    def work(k: int) -> None:
        for i in range(20):
            s[k * 20 + i] = k + 1
        s[k * 20 : k * 20 + 20 : 2] = -(k + 1)

    run_threads(backend, work)
    expected = np.repeat(np.arange(1, THREADS + 1), 20)
    expected[::2] *= -1
    assert (host(x) == expected).all()
    assert s.version == v0 + THREADS * 21


# ---------------------------------------------------------- overlapping writers


def test_overlapping_inplace_operator_is_atomic(backend):
    # Every thread adds into the same elements: each ``+=`` is one atomic write, so none
    # is lost. Large enough that NumPy releases the GIL inside one ``+=``.
    x = sx.zeros(100_000, dtype=sx.float64)

    def work(k: int) -> None:
        v = x
        for _ in range(10):
            v += 1.0
            v.add_(1.0)

    run_threads(backend, work, n=4)
    assert (host(x) == 80.0).all()


def test_overlapping_writes_are_never_torn(backend):
    # Two writers fill the same large view with different constants: the result is
    # always one write or the other, never a mixture.
    x = sx.zeros(200_000, dtype=sx.float64)
    fills = [sx.full(200_000, float(k + 1), dtype=sx.float64) for k in range(2)]

    def work(k: int) -> None:
        for _ in range(10):
            x[...] = fills[k]
            x.copy_(fills[k])

    for _ in range(3):
        run_threads(backend, work, n=2)
        assert len(set(host(x).tolist())) == 1


# ------------------------------------------------------- readers alongside writers


def test_readers_see_whole_writes(backend):
    rows, cols = 8, 32
    x = sx.zeros((rows, cols), dtype=sx.float64)
    s = x.storage()
    seen = [0]

    def work(k: int) -> None:
        if k == 0:  # the writer: whole rows of one value
            for i in range(1, 301):
                x[i % rows] = float(i)
                x[(i + 3) % rows, :] = sx.full(cols, float(-i), dtype=sx.float64)
            return
        for i in range(150):  # readers: every row they see is one write, whole
            r = (i + k) % rows
            values = x[r].tolist()
            assert len(set(values)) == 1, values
            whole = host(x)
            assert all(len(set(row)) == 1 for row in whole.tolist())
            flat = s.tolist()[r * cols : (r + 1) * cols]
            assert len(set(flat)) == 1, flat
            seen[0] += 1

    run_threads(backend, work, n=4)
    assert seen[0] == 3 * 150
    assert x.shape == (rows, cols)


def test_readers_of_views_never_get_a_donated_buffer(backend):
    # Views of every kind are read (and computed with) while another thread writes the
    # storage: no internal error ("deleted", "donated") ever reaches the reader.
    x = sx.zeros(1000, dtype=sx.float32)

    def work(k: int) -> None:
        if k == 0:
            for i in range(400):
                x[i % 1000] = float(i)
                x[::7] = float(i)
            return
        views = [x, x[10:20], x[::-1], sx.reshape(x, (10, 100)).mT, x[5]]
        for _ in range(60):
            for v in views:
                float(sx.sum(v * 2))
                v.tolist()

    run_threads(backend, work, n=4)
    assert float(x[7]) == 399.0


# ------------------------------------------------------------------ version counters


def test_version_counter_exact_after_concurrent_writes(backend):
    x = sx.zeros((THREADS, 10), dtype=sx.float64)
    s = x.storage()
    v0 = s.version
    per_thread = 30

    def work(k: int) -> None:
        row = x[k]
        for i in range(per_thread // 3):
            row[i] = 1.0  # one write each
            row += 1.0
            row.add_(1.0)

    run_threads(backend, work)
    assert s.version == v0 + THREADS * per_thread
    assert float(sx.sum(x)) == THREADS * (10 + 2 * 55)  # element j: 1, then +2 ten-j times
