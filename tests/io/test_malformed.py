"""Malformed and hostile files: every one raises storax.io.FormatError, nothing else."""

from __future__ import annotations

import io
import json
import struct

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import storax as sx
from storax.io import FormatError

MAGIC = b"\x89STORAX\n"


def craft(header, data: bytes = b"", *, magic=MAGIC, major=1, minor=0, reserved=0, length=None):
    """A file with the given header (dict, or raw bytes) and data section."""
    raw = header if isinstance(header, bytes) else json.dumps(header).encode()
    n = len(raw) if length is None else length
    head = struct.pack("<8sHHIQ", magic, major, minor, reserved, n) + raw
    pad = -len(head) % 64
    return head + bytes(pad) + data


def load_bytes(data: bytes):
    return sx.load(io.BytesIO(data))


def valid_header(**changes):
    h = {
        "storages": [{"dtype": "float32", "size": 4, "offset": 0}],
        "views": [{"storage": 0, "shape": [2, 2], "strides": [2, 1], "offset": 0}],
        "tree": ["array", 0],
    }
    h.update(changes)
    return h


DATA = np.arange(4, dtype="<f4").tobytes()
DEEP_TREE = json.loads('["list", [' * 200 + '["none"]' + "]]" * 200)


def view(**changes):
    v = {"storage": 0, "shape": [2, 2], "strides": [2, 1], "offset": 0}
    v.update(changes)
    return valid_header(views=[v])


def storage(**changes):
    s = {"dtype": "float32", "size": 4, "offset": 0}
    s.update(changes)
    return valid_header(storages=[s])


def test_crafted_helper_makes_valid_files():
    assert load_bytes(craft(valid_header(), DATA)).tolist() == [[0.0, 1.0], [2.0, 3.0]]


CORPUS = {
    "empty": (b"", "too short"),
    "five bytes": (b"\x89STO", "too short"),
    "npy file": (b"\x93NUMPY\x01\x00" + bytes(100), "not a storax file"),
    "text": (b"hello world, this is not it" * 3, "not a storax file"),
    "wrong magic": (craft(valid_header(), DATA, magic=b"\x89STORAY\n"), "not a storax file"),
    "major version": (craft(valid_header(), DATA, major=2), "unsupported format version 2.0"),
    "reserved": (craft(valid_header(), DATA, reserved=1), "reserved"),
    "header past end": (craft(valid_header(), DATA, length=10_000), "reaches past the end"),
    "header absurd": (craft(valid_header(), DATA, length=2**63), "exceeds the limit"),
    "header 2**64-1": (craft(valid_header(), DATA, length=2**64 - 1), "exceeds the limit"),
    "bad utf8": (craft(b'{"a": "\xff\xfe"}'), "not valid UTF-8"),
    "bad json": (craft(b'{"storages": [}'), "not valid JSON"),
    "json list": (craft(b"[1, 2]"), "not a JSON object"),
    "no views": (craft({"storages": [], "tree": ["none"]}), "no 'views'"),
    "views not list": (craft(valid_header(views={}), DATA), "'views' entry is not a JSON array"),
    "NaN": (craft(b'{"storages": [], "views": [], "tree": ["float", NaN]}'), "NaN"),
    "dup keys": (craft(b'{"storages": [], "storages": [], "views": [], "tree": ["none"]}'),
                 "duplicate keys"),
    "deep json": (craft(b"[" * 100_000 + b"]" * 100_000), "nested too deeply"),
    "deep tree": (craft(valid_header(tree=DEEP_TREE), DATA), "nested deeper"),
    "huge int digits": (craft(b'{"storages": [], "views": [], "tree": ["none"], "x": '
                              + b"9" * 5000 + b"}"), "not valid JSON"),
    "dtype float16": (craft(storage(dtype="float16"), DATA), "unknown dtype \"float16\""),
    "dtype object": (craft(storage(dtype="object"), DATA), "unknown dtype"),
    "dtype int": (craft(storage(dtype=5), DATA), "unknown dtype 5"),
    "dtype big-endian": (craft(storage(dtype=">f4"), DATA), "unknown dtype"),
    "negative size": (craft(storage(size=-1), DATA), "negative size"),
    "huge size": (craft(storage(size=2**70), DATA), "reaches past the end of the file"),
    "size past end": (craft(storage(size=5), DATA), "reaches past the end of the file"),
    "truncated data": (craft(valid_header(), DATA[:-1]), "reaches past the end of the file"),
    "size is bool": (craft(storage(size=True), DATA), "storage 0's size must be an integer"),
    "size is float": (craft(storage(size=4.0), DATA), "must be an integer"),
    "size is string": (craft(storage(size="4"), DATA), "must be an integer"),
    "unaligned offset": (craft(storage(offset=8), DATA + bytes(64)), "not a multiple of 64"),
    "negative offset": (craft(storage(offset=-64), DATA), "negative"),
    "offset past end": (craft(storage(offset=64), DATA), "reaches past the end"),
    "storage not object": (craft(valid_header(storages=[[1]]), DATA), "storage 0 is not"),
    "overlapping storages": (
        craft(valid_header(storages=[{"dtype": "float32", "size": 32, "offset": 0},
                                     {"dtype": "int8", "size": 4, "offset": 64}]), bytes(128)),
        "overlap",
    ),
    "negative shape": (craft(view(shape=[-2, -2]), DATA), "negative dimension"),
    "overflowing shape": (craft(view(shape=[2**40] * 3, strides=[0, 0, 0]), DATA), "overflows"),
    "huge shape 0 stride": (craft(view(shape=[2**62], strides=[0]), DATA), "too large"),
    "huge stride": (craft(view(shape=[1, 2], strides=[2**62, 1]), DATA), "too large"),
    "strides outside": (craft(view(strides=[3, 1]), DATA), "outside storage 0 of size 4"),
    "negative stride outside": (craft(view(strides=[-2, 1]), DATA), "outside storage"),
    "offset outside": (craft(view(offset=1), DATA), "outside storage"),
    "negative view offset": (craft(view(offset=-1, shape=[1, 1]), DATA), "outside storage"),
    "missing storage": (craft(view(storage=1), DATA), "storage 1, which does not exist"),
    "negative storage ref": (craft(view(storage=-1), DATA), "does not exist"),
    "storage ref str": (craft(view(storage="0"), DATA), "must be an integer"),
    "no storage but elements": (craft(view(storage=None), DATA), "no storage"),
    "no storage no dtype": (craft(view(storage=None, shape=[0], strides=[1]), DATA),
                            "unknown dtype"),
    "view dtype mismatch": (craft(view(dtype="int32"), DATA), "is not its storage's"),
    "too many dims": (craft(view(shape=[1] * 65, strides=[0] * 65), DATA), "at most 64"),
    "strides length": (craft(view(strides=[1]), DATA), "as many strides"),
    "shape not list": (craft(view(shape=4), DATA), "must be JSON arrays"),
    "view not object": (craft(valid_header(views=[3]), DATA), "view 0 is not"),
    "bool bytes": (craft(valid_header(storages=[{"dtype": "bool", "size": 4, "offset": 0}]),
                         b"\x00\x01\x02\x00"), "other than 0 and 1"),
    "tree not list": (craft(valid_header(tree={"a": 1}), DATA), "not a JSON array"),
    "tree empty": (craft(valid_header(tree=[]), DATA), "tag"),
    "tree tag": (craft(valid_header(tree=["pickle", "os.system"]), DATA), "unknown tree node tag"),
    "tree arity": (craft(valid_header(tree=["array", 0, 1]), DATA), "expected 1"),
    "tree array ref": (craft(valid_header(tree=["array", 1]), DATA), "view 1, which does not"),
    "tree array ref bool": (craft(valid_header(tree=["array", True]), DATA), "does not exist"),
    "tree int underscore": (craft(valid_header(tree=["int", "1_000"]), DATA), "decimal integer"),
    "tree int spaces": (craft(valid_header(tree=["int", " 1"]), DATA), "decimal integer"),
    "tree int huge": (craft(valid_header(tree=["int", "9" * 5000]), DATA), "decimal integer"),
    "tree int number": (craft(valid_header(tree=["int", 3]), DATA), "decimal integer"),
    "tree float": (craft(valid_header(tree=["float", "abc"]), DATA), "not a number"),
    "tree float long": (craft(valid_header(tree=["float", "1" * 100]), DATA), "number string"),
    "tree complex": (craft(valid_header(tree=["complex", "1"]), DATA), "expected 2"),
    "tree bool": (craft(valid_header(tree=["bool", 1]), DATA), "true or false"),
    "tree str": (craft(valid_header(tree=["str", 1]), DATA), "does not hold a string"),
    "tree list": (craft(valid_header(tree=["list", {}]), DATA), "JSON array"),
    "tree dict pair": (craft(valid_header(tree=["dict", [["a"]]]), DATA), "pair"),
    "tree dict key": (craft(valid_header(tree=["dict", [[1, ["none"]]]]), DATA), "pair"),
    "tree dict dup": (craft(valid_header(tree=["dict", [["a", ["none"]], ["a", ["none"]]]]),
                            DATA), "twice"),
}  # fmt: skip


@pytest.mark.parametrize("name", list(CORPUS))
def test_corpus_raises_format_error(name):
    data, message = CORPUS[name]
    with pytest.raises(FormatError, match="^load: ") as info:
        load_bytes(data)
    assert message in str(info.value), str(info.value)


def test_format_error_is_a_value_error():
    assert issubclass(FormatError, ValueError)
    assert sx.io.FormatError is FormatError


def test_corpus_on_disk_and_with_mmap(tmp_path):
    for i, (data, _) in enumerate(CORPUS.values()):
        p = tmp_path / f"{i}.stx"
        p.write_bytes(data)
        for mmap in (False, True):
            with pytest.raises(FormatError):
                sx.load(p, mmap=mmap)


def test_zero_size_storage_and_views_are_fine():
    h = {
        "storages": [{"dtype": "int8", "size": 0, "offset": 0}],
        "views": [{"storage": 0, "shape": [0, 5], "strides": [5, 1], "offset": 0},
                  {"storage": None, "dtype": "bool", "shape": [3, 0], "strides": [0, 0],
                   "offset": 0}],
        "tree": ["list", [["array", 0], ["array", 1]]],
        "a future key": "ignored",
    }  # fmt: skip
    a, b = load_bytes(craft(h))
    assert a.shape == (0, 5) and a.dtype == sx.int8 and b.shape == (3, 0) and b.dtype == sx.bool


# ------------------------------------------------------------------ mutation testing
def _samples() -> list[bytes]:
    out = []
    x = sx.reshape(sx.arange(24, dtype=sx.int16), (4, 6))
    objs = [
        {"x": x, "t": x.T, "rev": x[::-1, 1::2], "meta": [1, 2.5, "s", None, True, 1j]},
        (sx.asarray([True, False, True]), sx.linspace(0, 1, 5, dtype=sx.complex64)),
        sx.broadcast_to(sx.asarray([1.0, 2.0]), (3, 2)),
        {"empty": sx.zeros((0, 3)), "scalar": sx.asarray(7, dtype=sx.uint64)},
    ]
    for obj in objs:
        buf = io.BytesIO()
        sx.save(obj, buf)
        out.append(buf.getvalue())
    return out


SAMPLES = _samples()


def _touch(obj) -> None:
    """Read every element of every array in a loaded tree (crashes if a view is wild)."""
    if isinstance(obj, sx.Array):
        values = np.asarray(obj)
        assert values.shape == obj.shape
        values.sum()
    elif isinstance(obj, dict):
        for k, v in obj.items():
            assert isinstance(k, str)
            _touch(v)
    elif isinstance(obj, list | tuple):
        for v in obj:
            _touch(v)
    else:
        assert obj is None or isinstance(obj, bool | int | float | complex | str)


def _check(data: bytes) -> None:
    try:
        out = load_bytes(data)
    except FormatError:
        return
    _touch(out)


def test_every_truncation():
    for data in SAMPLES:
        for n in range(len(data)):
            with pytest.raises(FormatError):
                load_bytes(data[:n])


@given(st.sampled_from(range(len(SAMPLES))), st.data())
@settings(max_examples=1500, deadline=None, suppress_health_check=list(HealthCheck))
def test_random_byte_mutations(which, data):
    raw = bytearray(SAMPLES[which])
    for _ in range(data.draw(st.integers(1, 8))):
        op = data.draw(st.sampled_from(["flip", "set", "insert", "delete"]))
        i = data.draw(st.integers(0, len(raw) - 1))
        if op == "flip":
            raw[i] ^= 1 << data.draw(st.integers(0, 7))
        elif op == "set":
            raw[i] = data.draw(st.integers(0, 255))
        elif op == "insert":
            raw[i:i] = data.draw(st.binary(min_size=1, max_size=8))
        else:
            del raw[i : i + data.draw(st.integers(1, 8))]
    _check(bytes(raw))


_WILD = st.one_of(
    st.integers(-(2**70), 2**70),
    st.sampled_from([0, 1, -1, 2, 63, 64, 65, 2**31, 2**32, 2**62, 2**63, 2**64, -(2**63)]),
    st.booleans(),
    st.none(),
    st.floats(allow_nan=False),
    st.text(max_size=5),
    st.sampled_from(["float32", "bool", "float16", "array", "dict", "none", "int"]),
    st.lists(st.integers(-3, 70), max_size=4),
)


def _paths(node, prefix=()):
    yield prefix
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _paths(v, (*prefix, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _paths(v, (*prefix, i))


def _replace(node, path, value):
    if not path:
        return value
    node[path[0]] = _replace(node[path[0]], path[1:], value)
    return node


@given(st.sampled_from(range(len(SAMPLES))), st.data())
@settings(max_examples=1500, deadline=None, suppress_health_check=list(HealthCheck))
def test_random_header_edits(which, data):
    raw = SAMPLES[which]
    (n,) = struct.unpack_from("<Q", raw, 16)
    header = json.loads(raw[24 : 24 + n])
    body = raw[-(-(24 + n) // 64) * 64 :]
    for _ in range(data.draw(st.integers(1, 3))):
        paths = list(_paths(header))
        path = data.draw(st.sampled_from(paths[1:]))
        if data.draw(st.booleans()) and isinstance(header, dict):
            header = _replace(header, path, data.draw(_WILD))
        else:  # delete an entry
            parent = header
            for k in path[:-1]:
                parent = parent[k]
            del parent[path[-1]]
    text = json.dumps(header).encode()
    if data.draw(st.integers(0, 9)) == 0:
        body = body[: data.draw(st.integers(0, len(body)))]
    _check(craft(text, body))
