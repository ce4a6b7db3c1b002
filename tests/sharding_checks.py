"""Checks of storages sharded over a JAX mesh, run by tests/test_sharding.py in a
subprocess with 4 virtual CPU devices (so the rest of the test run keeps its devices).

Each ``check_*`` function raises on failure; nothing here imports JAX at import time.
"""

from __future__ import annotations

import io
import pickle

import numpy as np

SPECS = {"rows": ("x", None), "columns": (None, "x"), "mesh2d": ("a", "b")}


def _sharding(kind):
    import jax
    from jax.sharding import Mesh, NamedSharding, PartitionSpec

    devs = np.array(jax.devices()[:4])
    mesh = Mesh(devs.reshape(2, 2), ("a", "b")) if kind == "mesh2d" else Mesh(devs, ("x",))
    return NamedSharding(mesh, PartitionSpec(*SPECS[kind]))


def _flat_sharding():
    import jax
    from jax.sharding import Mesh, NamedSharding, PartitionSpec

    return NamedSharding(Mesh(np.array(jax.devices()[:4]), ("x",)), PartitionSpec("x"))


def _sx():
    import storax as sx

    return sx


def _equal(x, expected):
    got = np.asarray(x)
    assert got.shape == expected.shape, (got.shape, expected.shape)
    np.testing.assert_array_equal(got, expected)


def _base(kind, dtype="float64"):
    sx = _sx()
    a = np.arange(8 * 12, dtype=dtype).reshape(8, 12)
    return sx.asarray(a, device=_sharding(kind)), a


def check_placement_and_devices():
    import jax

    sx = _sx()
    for kind in SPECS:
        s = _sharding(kind)
        x = sx.asarray(np.ones((8, 12)), device=s)
        assert x.sharding == s
        assert x.device == sx.zeros((8, 12), device=s).device  # equal shardings: equal
        assert x.device != sx.asarray(np.ones((8, 12))).device
        assert str(x.device).startswith("jax:cpu:[0,1,2,3]:mesh(")
        assert x.device.span == frozenset(f"jax:cpu:{i}" for i in range(4))
        y = sx.ones((8, 12), device=x.device)  # the Device is accepted back
        assert y.sharding == s
        by_name = sx.asarray(np.ones((8, 12)), device=str(x.device))  # and its name
        assert by_name.device == x.device
        assert by_name.sharding.is_equivalent_to(s, 2)
    one = sx.asarray([1.0, 2.0])
    assert one.device == "jax:cpu:0" and one.storage()._buffer.ndim == 1
    assert one.sharding == jax.sharding.SingleDeviceSharding(jax.devices()[0])
    assert sx.asarray([1.0], device=jax.devices()[1]).device == "jax:cpu:1"
    assert "sharding" in type(sx.__array_namespace_info__()).devices.__doc__


def check_creation_functions():
    sx = _sx()
    s = _sharding("rows")
    like = sx.asarray(np.ones((8, 12)), device=s)
    made = {
        "zeros": sx.zeros((8, 12), device=s),
        "ones": sx.ones((8, 12), device=s),
        "empty": sx.empty((8, 12), device=s),
        "full": sx.full((8, 12), 2.0, device=s),
        "eye": sx.eye(8, 12, device=s),
        "zeros_like": sx.zeros_like(like, device=s),
        "ones_like": sx.ones_like(like),
        "full_like": sx.full_like(like, 3.0),
        "empty_like": sx.empty_like(like),
        "arange": sx.arange(8, device=_flat_sharding()),
        "linspace": sx.linspace(0, 1, 8, device=_flat_sharding()),
        "to_device": sx.asarray(np.ones((8, 12))).to_device(s),
        "asarray(Array)": sx.asarray(sx.asarray(np.ones((8, 12))), device=s),
    }
    for name, x in made.items():
        assert x.device.span == like.device.span, name
        assert len(x.sharding.device_set) == 4, name
    _equal(made["eye"], np.eye(8, 12))
    np.testing.assert_allclose(np.asarray(made["linspace"]), np.linspace(0, 1, 8), rtol=1e-6)
    back = like.to_device("jax:cpu:0")
    assert back.device == "jax:cpu:0"
    _equal(back, np.ones((8, 12)))
    try:
        sx.asarray(np.ones(3), device=_sharding("mesh2d"))
    except ValueError as e:
        assert "asarray" in str(e) or "place" in str(e)
    else:
        raise AssertionError("a 2-D sharding accepted a 1-D value")


def check_storage_keeps_shape_and_sharding():
    for kind in SPECS:
        x, a = _base(kind)
        st = x.storage()
        assert st._buffer.shape == (8, 12) and st._buffer.sharding == _sharding(kind)
        assert st.size() == 96 and x.stride() == (12, 1) and x.storage_offset() == 0
        assert st[13] == 13.0
        st[13] = -1.0
        a.reshape(-1)[13] = -1.0
        _equal(x, a)
        v = x[2:5, 3:]
        assert v.storage() is st and v.storage_offset() == 27 and v.stride() == (12, 1)


def _read_keys(a):
    return {
        "int": (3,),
        "slice": (slice(1, 5), slice(2, 9)),
        "strided": (slice(None, None, 3), slice(1, None, 2)),
        "column": (slice(None), 5),
        "transpose": "T",
        "integer": (np.array([0, 7, 3]),),
        "integer2": (np.array([1, 6]), np.array([11, 0])),
        "mask": (a > 50,),
        "mask_rows": (np.array([True, False] * 4),),
    }


def check_reads_every_index_kind():
    sx = _sx()
    for kind in SPECS:
        x, a = _base(kind)
        x.storage()
        for name, key in _read_keys(a).items():
            if key == "T":
                got, want = x.T, a.T
            elif name.startswith(("integer", "mask")):
                k = tuple(sx.asarray(i, device=x.device) if i.shape == x.shape else i for i in key)
                got, want = x[k if len(k) > 1 else k[0]], a[key if len(key) > 1 else key[0]]
            else:
                got, want = x[key], a[key]
            _equal(got, want)
        # a view of a view, and a reshape view
        _equal(x[1:7][::2][:, 3:6], a[1:7][::2][:, 3:6])
        _equal(sx.reshape(x[2:4], (24,)), a[2:4].reshape(24))


def check_writes_every_index_kind():
    sx = _sx()
    for kind in SPECS:
        x, a = _base(kind)
        st = x.storage()
        s = x.sharding
        x[3] = -1.0
        a[3] = -1.0
        x[1:5, 2:9] = 2.5
        a[1:5, 2:9] = 2.5
        x[::3, 1::2] = np.arange(18.0).reshape(3, 6)
        a[::3, 1::2] = np.arange(18.0).reshape(3, 6)
        try:  # a value on one device into a sharded array: storax's error, as JAX's
            x[:, 5] = sx.asarray(np.arange(8.0), device=s.mesh.devices.flat[0])
        except ValueError as e:
            assert "jax:cpu:0" in str(e) and "mesh(" in str(e)
        else:
            raise AssertionError("a single-device value was written into a sharded array")
        x[:, 5] = np.arange(8.0) * 10
        a[:, 5] = np.arange(8.0) * 10
        x[:, 6] = sx.asarray(np.arange(8.0) * 10, device=_flat_sharding())  # same devices
        a[:, 6] = np.arange(8.0) * 10
        x[np.array([0, 7, 2])] = 9.0
        a[np.array([0, 7, 2])] = 9.0
        x[np.array([1, 6]), np.array([11, 0])] = np.array([-5.0, -6.0])
        a[np.array([1, 6]), np.array([11, 0])] = [-5.0, -6.0]
        m = a > 70
        x[sx.asarray(m, device=s)] = 0.25
        a[m] = 0.25
        m2 = a < 3
        x[m2] = -np.arange(int(m2.sum()), dtype=np.float64)
        a[m2] = -np.arange(int(m2.sum()), dtype=np.float64)
        x.T[1:3] = 4.0
        a.T[1:3] = 4.0
        x += 1.0
        a += 1.0
        v = x[2:4]
        v *= 2.0
        a[2:4] *= 2.0
        _equal(x, a)
        assert x.storage() is st and st._buffer.sharding == s, kind


def check_exact_values_and_dtypes():
    sx = _sx()
    s = _sharding("mesh2d")
    cases = {
        "float64": np.array([[-0.0, np.nan, np.inf, -np.inf, 1e-300, 3.5]] * 4),
        "float32": np.array([[-0.0, np.nan, 2.5, -1.0]] * 4, dtype=np.float32),
        "int64": np.arange(-8, 16).reshape(4, 6) * (2**40),
        "uint8": np.arange(24, dtype=np.uint8).reshape(4, 6),
        "bool": (np.arange(24).reshape(4, 6) % 3) == 0,
        "complex128": (np.arange(24) + 1j * -np.arange(24)).reshape(4, 6) * -0.0 + 1j,
    }
    for name, a in cases.items():
        x = sx.asarray(a, device=s)
        x.storage()
        got = np.asarray(x[1:3, ::2])
        want = a[1:3, ::2]
        assert got.dtype == want.dtype, name
        assert got.tobytes() == want.tobytes(), name  # bit-exact: -0.0 and NaN kept
        x[0, 1:3] = a[3, 1:3]
        a[0, 1:3] = a[3, 1:3]
        assert np.asarray(x).tobytes() == a.tobytes(), name


def check_donation():
    x, a = _base("columns")
    st = x.storage()
    old = st._buffer
    x[1:3, 2:4] = 5.0
    assert st._buffer is not old
    assert not old.is_deleted()  # the local name `old` held it: copied, not donated
    del old
    import weakref

    w = weakref.ref(st._buffer)
    x[0, 0] = 1.0
    assert w() is None or w().is_deleted()  # the sole owner's buffer was donated
    assert st._buffer.sharding == _sharding("columns")


def _hlo(kernel, *args, **kw):
    return kernel.lower(*args, **kw).compile().as_text()


def check_hlo_has_no_all_gather():
    from storax._backends import _jax_sharding

    sx = _sx()
    for kind in SPECS:
        x = sx.zeros((64, 64), device=_sharding(kind))
        st = x.storage()
        plan = _jax_sharding.plan_of(st._buffer)
        assert plan is not None
        buf = st._buffer
        params = np.array([65, 64, 1], dtype=np.int64)
        idx = np.array([3, 900, 4000], dtype=np.int64)
        texts = {
            "read": _hlo(plan._kernel("read"), buf, params, shape=(5, 5)),
            "read_indices": _hlo(plan._kernel("read_indices"), buf, idx),
            "write": _hlo(plan._kernel("write", True), buf, params, np.float64(1), shape=(5, 5)),
            "write_indices": _hlo(plan._kernel("write_indices", True), buf, idx, np.ones(3)),
        }
        for name, text in texts.items():
            assert "all-gather" not in text, (kind, name)
            assert "all-to-all" not in text and "collective-permute" not in text, (kind, name)
        assert "all-reduce" not in texts["write"] and "all-reduce" not in texts["write_indices"]
        # the donated storage buffer is aliased to the written one
        assert "input_output_alias" in texts["write"] or "must-alias" in texts["write"]


def check_hundreds_of_writes_and_reads():
    import time

    sx = _sx()
    x = sx.zeros((1000, 1000), device=_sharding("mesh2d"))
    x.storage()
    t = time.perf_counter()
    for i in range(500):
        x[i % 1000, 10:20] = float(i)
    for i in range(300):
        v = x[i, 10:20]
    x.storage()._buffer.block_until_ready()
    assert time.perf_counter() - t < 60
    assert float(np.asarray(x[499, 15])) == 499.0 and float(np.asarray(v[0])) == 299.0


def check_operations_between_placements():
    sx = _sx()
    r, a = _base("rows")
    c, _ = _base("columns")
    m, _ = _base("mesh2d")
    _equal(r + c, a + a)  # same devices, different shardings: JAX's rules
    _equal(r[1:3] * m[2:4], a[1:3] * a[2:4])
    _equal(sx.matmul(r, c.T), a @ a.T)
    _equal(sx.sum(m, axis=0), a.sum(axis=0))
    _equal(sx.concat([r, c]), np.concatenate([a, a]))
    assert (r + c).device.span == r.device.span
    single = sx.asarray(a)
    for op in (lambda: r + single, lambda: sx.concat([single, m])):
        try:
            op()
        except ValueError as e:
            msg = str(e)
            assert "different devices" in msg and "jax:cpu:0" in msg and "mesh(" in msg, msg
        else:
            raise AssertionError("a sharded and a single-device array met")


def check_jit_with_writes():
    import jax

    x, a = _base("mesh2d")

    @jax.jit
    def f(x):
        y = x * 2
        y[1:3, ::2] = -1.0
        y[np.array([0, 5])] += 1.0
        return y

    out = f(x)
    a2 = a * 2
    a2[1:3, ::2] = -1.0
    a2[[0, 5]] += 1.0
    _equal(out, a2)
    assert len(out.sharding.device_set) == 4
    out[0, 0] = 7.0  # the result is a sharded storax array, writable
    a2[0, 0] = 7.0
    _equal(out, a2)


def check_pickle_roundtrip():
    sx = _sx()
    for kind in SPECS:
        x, a = _base(kind)
        v = x[2:6, 1:5]
        x2, v2 = pickle.loads(pickle.dumps((x, v)))
        _equal(x2, a)
        _equal(v2, a[2:6, 1:5])
        assert x2.storage() is v2.storage()  # sharing kept
        assert x2.device == x.device  # same process: the same mesh and layout
        x2[3, 2] = -9.0
        assert float(np.asarray(v2[1, 1])) == -9.0
    one = pickle.loads(pickle.dumps(sx.asarray([1.0, 2.0])))
    assert one.device == "jax:cpu:0"


def check_save_load_roundtrip():
    sx = _sx()
    for kind in SPECS:
        x, a = _base(kind)
        v = x[::2, 3:]
        buf = io.BytesIO()
        sx.save({"x": x, "v": v}, buf)
        s = _sharding(kind)
        out = sx.load(io.BytesIO(buf.getvalue()), device=s)
        _equal(out["x"], a)
        _equal(out["v"], a[::2, 3:])
        assert out["x"].storage() is out["v"].storage()
        assert out["x"].storage()._buffer.sharding == s
        out["x"][4, 3] = -2.0
        assert float(np.asarray(out["v"][2, 0])) == -2.0
        plain = sx.load(io.BytesIO(buf.getvalue()))  # the default device
        assert plain["x"].device == "jax:cpu:0"
        _equal(plain["v"], a[::2, 3:])
        # a storage no view covers (only a part was saved) still loads onto the mesh devices
        buf2 = io.BytesIO()
        sx.save(x[1:3], buf2)
        part = sx.load(io.BytesIO(buf2.getvalue()), device=s)
        _equal(part, a[1:3])


def check_multihost_queries():
    import jax

    from storax._backends import _jax_sharding

    x, a = _base("mesh2d")
    assert jax.process_count() == 1 and x.sharding.is_fully_addressable
    _jax_sharding.check_addressable(x.storage()._buffer, "test")
    shards = x.storage()._buffer.addressable_shards
    assert len(shards) == 4 and {tuple(s.data.shape) for s in shards} == {(4, 6)}
    np.testing.assert_array_equal(np.asarray(shards[3].data), a[4:, 6:])


class _KernelLog:
    """Records which kernels a Plan launches: ("all", kind) for one on every device of the
    mesh, ("local", kind, device id) for one on a single block's device."""

    def __init__(self):
        from storax._backends import _jax_sharding

        self.plan_cls = _jax_sharding.Plan
        self.calls = []

    def __enter__(self):
        cls, calls = self.plan_cls, self.calls
        self.saved = cls._kernel, cls._local_kernel

        def spmd(plan, kind, donate=False):
            k = self.saved[0](plan, kind, donate)
            return lambda *a, **kw: (calls.append(("all", kind)), k(*a, **kw))[1]

        def local(plan, kind):
            k = self.saved[1](plan, kind)

            def run(block, *a, **kw):
                calls.append(("local", kind, next(iter(block.devices())).id))
                return k(block, *a, **kw)

            return run

        cls._kernel, cls._local_kernel = spmd, local
        return self

    def __exit__(self, *exc):
        self.plan_cls._kernel, self.plan_cls._local_kernel = self.saved


def check_small_views_run_on_their_blocks_alone():
    """A write or read of a view inside one block runs on that block's device(s) alone
    (every replica written), and the values are NumPy's."""
    import jax
    from jax.sharding import Mesh, NamedSharding, PartitionSpec

    from storax._backends import _jax_sharding

    sx = _sx()
    mesh = Mesh(np.array(jax.devices()[:4]).reshape(2, 2), ("a", "b"))
    for spec in (("a", "b"), ("a", None), (None, "b")):  # the last two: 2 replicas per block
        s = NamedSharding(mesh, PartitionSpec(*spec))
        owners = {
            d.id
            for d, idx in s.devices_indices_map((8, 12)).items()
            if 1 in range(8)[idx[0]] and 3 in range(12)[idx[1]]
        }
        for dtype in ("float64", "int32", "bool", "complex64"):
            a = (np.arange(8 * 12).reshape(8, 12) % 7).astype(dtype)
            x = sx.asarray(a, device=s)
            x[0, 0] = a[0, 0]  # the first write copies: asarray's value was the buffer
            with _KernelLog() as log:
                x[1, 2:5] = a[6, 2:5]  # rows 0-3 and columns 0-5 (or all): one block
            a[1, 2:5] = a[6, 2:5]
            assert sorted(log.calls) == sorted(("local", "write", d) for d in owners), log.calls
            _equal(x, a)
            for shard in x.storage()._buffer.addressable_shards:  # every replica agrees
                _equal(shard.data, a[shard.index])
            with _KernelLog() as log:
                got = x[2, 1:4]
                _equal(got, a[2, 1:4])
            assert log.calls == [], log.calls  # CPU devices: read from the blocks' memory
            assert got.device == x.device, (got.device, x.device)  # replicated on the mesh
            # on accelerators, a kernel on one block's device reads it
            plan = _jax_sharding.plan_of(x.storage()._buffer)
            plan.cpu = False
            try:
                with _KernelLog() as log:
                    got = x[3, 5:1:-2]
                    _equal(got, a[3, 5:1:-2])
            finally:
                plan.cpu = True
            assert [c[:2] for c in log.calls] == [("local", "read")], log.calls
            assert got.device == x.device, (got.device, x.device)
            assert x.storage()._buffer.sharding == s


def check_random_views_against_numpy():
    """Random views (steps, negative steps, transposes, one or several blocks) written
    and read on row, column and 2-D shardings, on the fast and the all-device paths."""
    sx = _sx()
    rng = np.random.default_rng(15)
    for kind in SPECS:
        for dtype in ("float64", "int32") if kind == "mesh2d" else ("float64",):
            a = np.arange(16 * 24, dtype=dtype).reshape(16, 24)
            x = sx.asarray(a, device=_sharding(kind))
            keep = x[0:1]  # a second reference now and then: no donation, all-device path
            for step in range(10):
                r0, r1 = sorted(rng.integers(0, 17, 2))
                c0, c1 = sorted(rng.integers(0, 25, 2))
                rs, cs = int(rng.choice([1, 2, 3, -1, -2])), int(rng.choice([1, 2, 5, -1]))
                key = (
                    slice(r0, r1, rs) if rs > 0 else slice(r1, r0, rs),
                    slice(c0, c1, cs) if cs > 0 else slice(c1, c0, cs),
                )
                view, ref = (x.T, a.T) if step % 5 == 0 else (x, a)
                key = key[::-1] if step % 5 == 0 else key
                if ref[key].size == 0:
                    continue
                held = x.storage()._buffer if step % 7 == 0 else None
                new = rng.integers(-50, 50, ref[key].shape).astype(dtype)
                view[key] = new
                ref[key] = new
                del held
                _equal(view[key], ref[key])
                i = int(rng.integers(0, 16))
                _equal(x[i, c0 : c1 + 1], a[i, c0 : c1 + 1])
            _equal(x, a)
            del keep


CHECKS = sorted(name for name in dict(globals()) if name.startswith("check_"))


def main() -> None:
    import json
    import sys
    import traceback

    import storax as sx

    sx.set_backend("jax")
    results = {}
    for name in CHECKS:
        try:
            globals()[name]()
            results[name] = None
        except Exception:
            results[name] = traceback.format_exc()
    sys.stdout.write("\n@@RESULTS@@" + json.dumps(results) + "\n")


if __name__ == "__main__":
    main()
