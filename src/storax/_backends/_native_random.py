"""storax.random's stream computed by a native kernel on the host (``_philox.c``).

The C source computes exactly what ``storax._random_kernels`` computes with array
operations (the same Philox rounds, conversions and Box-Muller series, operation for
operation, with ``-ffp-contract=off``), so both give the same bits; the C kernel is ~5-10
times faster than NumPy's eager passes. It is compiled on the first draw, never at import,
with the system C compiler (sysconfig's ``CC``, else ``cc``) into a per-user cache
directory keyed by a hash of the source, the compiler and its flags, then loaded with
ctypes. Several processes may compile at once: each writes a temporary file and renames it
into place (atomic). Without a compiler, when compiling fails, or with
``STORAX_NATIVE_RANDOM=0`` in the environment, :func:`kernel` returns None and draws take
the array-operations path.

``STORAX_CACHE_DIR`` overrides the cache directory (default ``$XDG_CACHE_HOME/storax``,
else ``~/.cache/storax``; a per-user directory under the temporary directory if that is
not writable).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np

# Note: ctypes, subprocess, hashlib, sysconfig... are imported on the first draw, in the
# functions that use them: importing them here cost ``import storax`` 40-90 ms.

SOURCE = Path(__file__).with_name("_philox.c")
# -ffp-contract=off: no fused multiply-add (the stream rounds every product). No
# -ffast-math; -fno-math-errno only lets sqrt be the (correctly rounded) instruction.
FLAGS = ("-O3", "-ffp-contract=off", "-fno-math-errno", "-fPIC", "-shared")
# argument types, by name: key words, first block, count, the draw's parameters, output
_SIGNATURES = {
    "storax_rand_f32": "u32 u32 u64 i64 ptr",
    "storax_rand_f64": "u32 u32 u64 i64 ptr",
    "storax_uniform_f32": "u32 u32 u64 i64 f64 f64 ptr",
    "storax_uniform_f64": "u32 u32 u64 i64 f64 f64 ptr",
    "storax_normal_f32": "u32 u32 u64 i64 f64 f64 ptr",
    "storax_normal_f64": "u32 u32 u64 i64 f64 f64 ptr",
    "storax_randint": "u32 u32 u64 i64 u64 u64 ptr",
    "storax_philox_simd": "int",  # AVX2 Philox on (1) or off (0); returns the setting before
}
_RESTYPES = {"storax_philox_simd": "int"}

_UNSET: Any = object()
_LIB: Any = _UNSET  # the loaded library, None where it cannot be had
_LOCK = threading.Lock()
#: Why the native kernel is not used ("" while it is, or before the first draw).
reason = ""


def _compiler() -> list[str] | None:
    import shlex
    import shutil
    import sysconfig

    cc = sysconfig.get_config_var("CC")
    for cmd in ([*shlex.split(cc)] if isinstance(cc, str) and cc.strip() else [], ["cc"]):
        if cmd and shutil.which(cmd[0]) is not None:
            return cmd
    return None


def cache_dir() -> Path:
    """The directory compiled kernels are kept in (created if missing)."""
    env = os.environ.get("STORAX_CACHE_DIR")
    if env:
        base = Path(env)
    else:
        xdg = os.environ.get("XDG_CACHE_HOME")
        base = (Path(xdg) if xdg else Path.home() / ".cache") / "storax"
    try:
        base.mkdir(parents=True, exist_ok=True)
        if os.access(base, os.W_OK):
            return base
    except OSError:
        pass
    import tempfile

    user = os.getuid() if hasattr(os, "getuid") else "user"
    base = Path(tempfile.gettempdir()) / f"storax-{user}"
    base.mkdir(mode=0o700, exist_ok=True)
    return base


def _build(cmd: list[str]) -> Path:
    """The compiled library for this source and compiler: from the cache, else compiled."""
    import hashlib
    import platform
    import shlex
    import subprocess
    import sys
    import tempfile

    source = SOURCE.read_bytes()
    version = subprocess.run(
        [*cmd, "--version"], capture_output=True, timeout=60, check=False
    ).stdout
    key = hashlib.sha256(
        b"\0".join([source, shlex.join([*cmd, *FLAGS]).encode(), version,
                    f"{sys.platform}-{platform.machine()}".encode()])
    ).hexdigest()[:24]  # fmt: skip
    suffix = ".dll" if sys.platform == "win32" else ".so"
    directory = cache_dir()
    target = directory / f"philox-{key}{suffix}"
    if target.exists():
        return target
    fd, tmp = tempfile.mkstemp(prefix=f".philox-{key}-", suffix=suffix, dir=directory)
    os.close(fd)
    try:
        proc = subprocess.run(
            [*cmd, *FLAGS, "-o", tmp, str(SOURCE)],
            capture_output=True, text=True, timeout=120, check=False,
        )  # fmt: skip
        if proc.returncode != 0:
            raise OSError(f"{shlex.join(cmd)} failed: {proc.stderr.strip()[-500:]}")
        os.replace(tmp, target)  # atomic: a concurrent compiler's identical file may win
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return target


def _load() -> Any:
    global reason
    if os.environ.get("STORAX_NATIVE_RANDOM", "1").strip().lower() in ("0", "false", "no", "off"):
        reason = "disabled by STORAX_NATIVE_RANDOM=0"
        return None
    cmd = _compiler()
    if cmd is None:
        reason = "no C compiler found (sysconfig's CC, cc)"
        return None
    import ctypes
    import subprocess

    types = {"u32": ctypes.c_uint32, "u64": ctypes.c_uint64, "i64": ctypes.c_int64,
             "f64": ctypes.c_double, "ptr": ctypes.c_void_p, "int": ctypes.c_int}  # fmt: skip
    try:
        lib = ctypes.CDLL(str(_build(cmd)))
        for name, argtypes in _SIGNATURES.items():
            func = getattr(lib, name)
            func.argtypes = [types[t] for t in argtypes.split()]
            func.restype = types.get(_RESTYPES.get(name, ""))
    except (OSError, subprocess.SubprocessError, AttributeError) as e:
        reason = f"compiling or loading {SOURCE.name} failed: {e}"
        return None
    reason = ""
    return lib


def library() -> Any:
    """The loaded kernel library (compiled on the first call), or None (see ``reason``)."""
    global _LIB
    lib = _LIB
    if lib is _UNSET:
        with _LOCK:
            if _LIB is _UNSET:
                _LIB = _load()
            lib = _LIB
    return lib


def reset() -> None:
    """Forget the loaded library: the next draw reads ``STORAX_NATIVE_RANDOM`` again."""
    global _LIB
    with _LOCK:
        _LIB = _UNSET
        _BOUND.clear()


# ----------------------------------------------------------------- the kernels
# Each takes the composite kernel's arguments (key and block-offset words, the draw's
# parameters, ``count=`` and its static keywords) and returns a NumPy array.


def _uniform01(lib: Any, k0: int, k1: int, o0: int, o1: int, *, count: int, dtype: Any) -> Any:
    out = np.empty(count, dtype=dtype)
    f = lib.storax_rand_f32 if out.dtype == np.float32 else lib.storax_rand_f64
    f(k0, k1, o0 | (o1 << 32), count, out.ctypes.data)
    return out


def _two_floats(name: str) -> Any:
    """The kernel of a draw with two float parameters: ``uniform``'s bounds, ``normal``'s
    mean and standard deviation (the C functions ``storax_<name>_f32``/``_f64``)."""

    def kernel(
        lib: Any, k0: int, k1: int, o0: int, o1: int, a: float, b: float, *, count: int,
        dtype: Any, fused: bool = False,
    ) -> Any:  # fmt: skip
        out = np.empty(count, dtype=dtype)
        f = getattr(lib, f"storax_{name}_{'f32' if out.dtype == np.float32 else 'f64'}")
        f(k0, k1, o0 | (o1 << 32), count, a, b, out.ctypes.data)
        return out

    return kernel


_uniform = _two_floats("uniform")
_normal = _two_floats("normal")


def _randint(
    lib: Any, k0: int, k1: int, o0: int, o1: int, low0: int, low1: int, r0: int, r1: int,
    *, count: int, dtype: Any, full: bool,
) -> Any:  # fmt: skip
    out = np.empty(count, dtype=np.uint64)
    r = 0 if full else r0 | (r1 << 32)  # 0: the full range 2**64
    lib.storax_randint(k0, k1, o0 | (o1 << 32), count, low0 | (low1 << 32), r, out.ctypes.data)
    d = np.dtype(dtype)
    if d.kind == "i":
        out = out.view(np.int64)  # two's complement, as the array path's cast
    return out if d == out.dtype else out.astype(d)


_KERNELS: dict[str, Callable[..., Any]] = {
    "uniform01": _uniform01, "uniform": _uniform, "normal": _normal, "randint": _randint,
}  # fmt: skip
_BOUND: dict[str, Any] = {}  # name -> the kernel bound to the loaded library


def kernel(name: str) -> Any:
    """The native kernel for ``storax._random_kernels.<name>`` (a callable with its
    arguments, less ``xp``, returning a NumPy array), or None where there is none."""
    bound = _BOUND.get(name)
    if bound is not None:
        return bound
    impl = _KERNELS.get(name)
    lib = library()
    if impl is None or lib is None:
        return None
    bound = _BOUND[name] = partial(impl, lib)
    return bound
