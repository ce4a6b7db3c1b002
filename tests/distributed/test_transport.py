"""Compact transport: a view serialized for another process ships about its own bytes
(<= 1.1x), not its storage, by pickle and by distributed's registered serializer."""

from __future__ import annotations

import pickle

import numpy as np
import pytest

import storax as sx

N = 1_000_000


def _storage():
    return sx.arange(N, dtype=sx.float64)


@pytest.mark.parametrize("protocol", [3, 4, 5])
def test_pickle_ships_the_view(protocol):
    x = _storage()
    for v in (x[1000:11000], x[::-1][:10000], sx.reshape(x, (1000, 1000))[3:13, :]):
        data = pickle.dumps(v, protocol=protocol)
        assert len(data) <= 1.1 * v.nbytes, (len(data), v.nbytes)
        y = pickle.loads(data)
        assert y.storage().size() == v.size and y.device == v.device
        np.testing.assert_array_equal(np.asarray(y), np.asarray(v))


def test_out_of_band_pieces_are_the_elements():
    x = _storage()
    v = x[1000:11000]
    buffers: list[pickle.PickleBuffer] = []
    head = pickle.dumps(v, protocol=5, buffer_callback=buffers.append)
    assert len(head) < 400 and sum(b.raw().nbytes for b in buffers) == v.nbytes
    np.testing.assert_array_equal(np.asarray(pickle.loads(head, buffers=buffers)), np.asarray(v))


def test_views_pickled_together_share_the_union():
    x = _storage()
    a, b = x[0:20000], x[10000:40000]
    data = pickle.dumps((a, b), protocol=5)
    assert len(data) <= 1.1 * 40000 * 8  # the union of the extents, once
    a2, b2 = pickle.loads(data)
    assert a2.storage() is b2.storage() and a2.storage().size() == 40000
    assert b2.storage_offset() == 10000
    a2[15000] = -1.0  # one storage: a write shows through the other view
    assert b2[5000].item() == -1.0


def test_a_later_view_below_the_first_grows_the_storage():
    x = _storage()
    a, b, c = x[5000:6000], x[0:1000], x[5500:7000]
    a2, b2, c2 = pickle.loads(pickle.dumps((a, b, c)))
    assert a2.storage() is b2.storage() is c2.storage()
    for old, new in ((a, a2), (b, b2), (c, c2)):
        np.testing.assert_array_equal(np.asarray(new), np.asarray(old))
    a2[600] = -2.0
    assert c2[100].item() == -2.0


def test_distributed_serializer_is_registered_and_compact(backend):
    from distributed.protocol import deserialize, serialize

    x = _storage()
    v = x[1000:11000]
    header, frames = serialize(v)
    assert header["serializer"] == "dask"  # storax's registered serializer, not pickle
    assert sum(memoryview(f).nbytes for f in frames) <= 1.1 * v.nbytes
    if backend == "numpy":
        # zero-copy: the elements' frame is the storage's own memory
        assert np.shares_memory(np.asarray(memoryview(frames[1]).cast("B")), x.numpy())
    else:
        assert memoryview(frames[1]).nbytes == v.nbytes  # one device-to-host copy of the view
    y = deserialize(header, frames)
    assert type(y) is type(v) and y.device == v.device
    np.testing.assert_array_equal(np.asarray(y), np.asarray(v))


def test_a_worker_receives_only_the_view(client):
    x = _storage()
    v = x[1000:11000]
    size, device = client.submit(lambda a: (a.storage().size(), str(a.device)), v).result()
    assert size == v.size and device == str(v.device)
