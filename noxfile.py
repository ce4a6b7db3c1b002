"""Developer sessions: tests, lint, typecheck, conformance (official suite), ecosystem, bench."""

from __future__ import annotations

import json
import os
import pathlib
import shutil

import nox

nox.options.sessions = ["lint", "typecheck", "tests"]
nox.options.reuse_existing_virtualenvs = True
# uv builds the sessions' environments when it is installed (.ci/run installs it): measured
# here, 14 s against pip's 83 s for torch, jax and scipy, and CI builds about twenty of them.
nox.options.default_venv_backend = "uv|virtualenv"
# uv does not read pip's settings: point it at the same local wheels (torch's CPU build).
if os.environ.get("PIP_FIND_LINKS") and not os.environ.get("UV_FIND_LINKS"):
    os.environ["UV_FIND_LINKS"] = os.environ["PIP_FIND_LINKS"]

ROOT = pathlib.Path(__file__).parent
BACKENDS = ["numpy", "jax", "torch"]
API_VERSIONS = ["2024.12", "2025.12", "draft"]
# The suite's version name -> storax's (the draft is due as 2026.12).
STORAX_VERSION = {"draft": "2026.12"}
# torch's CPU build (a local wheel on these machines; an unpinned ``torch`` would pull a
# CUDA build of several GB).
TORCH = "torch==2.13.0"
PIN = json.loads((ROOT / "conformance" / "pin.json").read_text())
# JAX compiles a kernel per shape and dtype, and compiling is most of a JAX session's time
# (SciPy's iterative methods: 821 compilations, 39 of a test's 78 s). The sessions share
# their compilations through JAX's persistent cache, every kernel however quick to compile
# (measured on 2 cores: the JAX ecosystem session 12:13 -> 8:55 from a cold cache; the
# suite's draft run 2:42 -> 1:42 after the 2025.12 run). It is keyed by the program, the
# options and the jaxlib version, so it changes no result. No size cap: JAX's capped cache
# takes a file lock and scans the folder on every write (measured: slower than no cache).
for _name, _value in {
    "JAX_COMPILATION_CACHE_DIR": str(ROOT / ".nox" / "jax-compilation-cache"),
    "JAX_PERSISTENT_CACHE_MIN_COMPILE_TIME_SECS": "0",
    "JAX_PERSISTENT_CACHE_MIN_ENTRY_SIZE_BYTES": "-1",
}.items():
    os.environ.setdefault(_name, _value)


def _workers(session: nox.Session) -> list[str]:
    """Two pytest-xdist workers (these machines have two cores), unless told otherwise."""
    told = any(a.startswith(("-n", "--numprocesses")) for a in session.posargs)
    return [] if told else ["-n", "2"]


@nox.session
@nox.parametrize("backend", BACKENDS)
def tests(session: nox.Session, backend: str) -> None:
    """storax's own tests (views, storage, serialization, seed chapter 3), per backend."""
    # JAX and torch are installed for every run: the NumPy run also tests moves and mixing
    # across backends.
    session.install("-e", ".[test,jax,torch]", TORCH)
    # two workers (pytest-xdist) unless told otherwise: these machines have two cores
    session.run(
        "pytest", "-p", "no:cacheprovider", "--ignore=tests/ecosystem",
        "--ignore=tests/distributed", *_workers(session), *session.posargs,
        env={"STORAX_BACKEND": backend},
    )  # fmt: skip


@nox.session
def doctests(session: nox.Session) -> None:
    """The runnable examples in storax's docstrings (numpydoc ``Examples`` sections)."""
    # the JAX and torch backends' modules are collected too
    session.install("-e", ".[test,jax,torch]", TORCH)
    session.run("pytest", "-p", "no:cacheprovider", "--doctest-modules", "src/storax", "-q")


@nox.session
def lint(session: nox.Session) -> None:
    """ruff check and ruff format --check."""
    session.install("ruff==0.17.6")  # pinned: a new release may add rules
    session.run("ruff", "check", "src", "tests", "noxfile.py")
    session.run("ruff", "format", "--check", "src", "tests", "noxfile.py")


@nox.session
def typecheck(session: nox.Session) -> None:
    """mypy on src/."""
    # pinned, as ruff; with every backend installed, as the checks here ran
    session.install("mypy==2.4.1", "-e", ".[jax,torch]", TORCH)
    session.run("mypy", "src/storax")


def _suite_dir(session: nox.Session) -> pathlib.Path:
    """The array-api-tests checkout at the pinned revision (cache, env var, or a clone)."""
    env = os.environ.get("STORAX_ARRAY_API_TESTS")
    path = pathlib.Path(env) if env else pathlib.Path.home() / ".cache/storax/array-api-tests"
    if not (path / "array_api_tests").is_dir() and shutil.which("git"):
        session.log(f"cloning array-api-tests into {path}")
        try:
            session.run("git", "clone", "-q", PIN["tests_url"], str(path), external=True)
            session.run("git", "-C", str(path), "checkout", "-q", PIN["tests_rev"], external=True)
            session.run(
                "git", "clone", "-q", PIN["spec_url"], str(path / "array-api"), external=True
            )
            session.run(
                "git", "-C", str(path / "array-api"), "checkout", "-q", PIN["spec_rev"],
                external=True,
            )  # fmt: skip
        except Exception:
            pass
    if not (path / "array_api_tests").is_dir() or not (path / "array-api" / "spec").is_dir():
        session.error(
            f"the official suite is not at {path} and could not be cloned. Clone "
            f"data-apis/array-api-tests at {PIN['tests_rev']} there with data-apis/array-api "
            f"at {PIN['spec_rev']} as its 'array-api' folder, or point "
            "STORAX_ARRAY_API_TESTS at such a checkout (see conformance/README.md)."
        )
    return path


@nox.session
@nox.parametrize("version", API_VERSIONS)
@nox.parametrize("backend", BACKENDS)
def conformance(session: nox.Session, backend: str, version: str) -> None:
    """The official array-api-tests suite against storax (posargs go to pytest)."""
    _run_suite(session, backend, version, backend, {})


# The dtypes JAX devices lack with STORAX_JAX_X64=0 (the suite must not draw them).
X64_OFF_SKIP_DTYPES = "int64,uint64,float64,complex128"


@nox.session
@nox.parametrize("version", ["draft"])
def conformance_x64off(session: nox.Session, version: str) -> None:
    """The official suite against storax on JAX without 64-bit types (STORAX_JAX_X64=0:
    JAX devices list only 32-bit types and storax's defaults follow; docs/backends.md)."""
    env = {"STORAX_JAX_X64": "0", "ARRAY_API_TESTS_SKIP_DTYPES": X64_OFF_SKIP_DTYPES}
    _run_suite(session, "jax", version, "jax-x64off", env)


@nox.session
@nox.parametrize("version", ["2025.12"])
def conformance_mps_standin(session: nox.Session, version: str) -> None:
    """The official suite against storax on torch with the CPU standing in for MPS (no
    float64/complex128 there; conformance/mps_standin.py, docs/backends.md)."""
    env = {
        "ARRAY_API_TESTS_SKIP_DTYPES": "float64,complex128",
        "PYTHONPATH": str(ROOT / "conformance"),
    }
    _run_suite(session, "torch", version, "torch-mps-standin", env, ("-p", "mps_standin"))


def _run_suite(
    session: nox.Session,
    backend: str,
    version: str,
    name: str,
    extra_env: dict[str, str],
    extra_args: tuple[str, ...] = (),
) -> None:
    """Run the suite on ``backend`` at ``version``; ``name`` names the report and the
    xfails/skips files (``conformance/<name>-xfails.txt``)."""
    suite = _suite_dir(session)
    session.install(
        "-e", f".[{backend}]" if backend != "numpy" else ".", "pytest", "pytest-json-report",
        "pytest-xdist", "hypothesis>=6.151", "ndindex>=1.8",
        *([TORCH] if backend == "torch" else []),
    )  # fmt: skip
    args = [*extra_args, *session.posargs]
    if not any(a.startswith("--max-examples") for a in args):
        args.append("--max-examples=200")
    reports = ROOT / "conformance" / "reports"
    reports.mkdir(exist_ok=True)
    report = reports / f"{name}-{version}.json"
    xfails = ROOT / "conformance" / f"{name}-xfails.txt"
    skips = ROOT / "conformance" / f"{name}-skips.txt"
    env = {
        "ARRAY_API_TESTS_MODULE": "storax",
        "ARRAY_API_TESTS_VERSION": version,
        "STORAX_API_VERSION": STORAX_VERSION.get(version, version),
        "STORAX_BACKEND": backend,
        "PYTHONHASHSEED": "0",
        "HYPOTHESIS_STORAGE_DIRECTORY": str(reports / f".hypothesis-{name}-{version}"),
        **extra_env,
    }
    session.chdir(suite)
    ran = session.run(
        "pytest", "array_api_tests", "-p", "no:cacheprovider", "-q", "--disable-deadline",
        "--derandomize", "-n", "2", "--xfails-file", str(xfails), "--skips-file", str(skips),
        "--json-report", f"--json-report-file={report}", *args,
        env=env, success_codes=[0, 1],
    )  # fmt: skip
    if ran is None:  # ``nox --install-only``: nothing ran, there is no report to read
        return
    summary = json.loads(report.read_text())["summary"]
    passed, failed = summary.get("passed", 0), summary.get("failed", 0)
    errors = summary.get("error", 0)
    session.log(f"{name} {version}: {passed} passed, {failed} failed, {errors} errors")
    print(f"{passed} passed, {failed + errors} failed")
    if failed or errors:
        session.error(f"{failed} failed, {errors} errors")


@nox.session
def bench(session: nox.Session) -> None:
    """Benchmarks against raw NumPy and peers; writes docs/performance.md and a plot."""
    session.install(
        "-e", ".[jax,torch]", TORCH, "matplotlib", "array-api-strict", "h5py", "safetensors"
    )
    session.run("python", "benchmarks/bench_overhead.py", *session.posargs)
    session.run("python", "benchmarks/bench_jax.py")
    session.run("python", "benchmarks/bench_torch.py")
    session.run("python", "benchmarks/bench_io.py")
    # every function of the namespace and three workloads, on both backends (~10 min)
    session.run("python", "benchmarks/bench_namespace.py")


@nox.session
@nox.parametrize("backend", BACKENDS)
def ecosystem(session: nox.Session, backend: str) -> None:
    """storax arrays through SciPy, scikit-learn, PyTorch (DLPack), array-api-compat and
    hypothesis, compared with NumPy (tests/ecosystem; results in docs/ecosystem.md)."""
    session.install(
        "-e", ".[test,jax,torch]", "scipy>=1.17", "scikit-learn>=1.9", "array-api-compat>=1.12",
        "array-api-strict", TORCH,
    )  # fmt: skip
    session.run(
        "pytest", "tests/ecosystem", "-p", "no:cacheprovider", *_workers(session), *session.posargs,
        env={"STORAX_BACKEND": backend, "SCIPY_ARRAY_API": "1"},
    )  # fmt: skip


@nox.session
def docs(session: nox.Session) -> None:
    """The documentation site (MkDocs Material, mkdocstrings) into site/, warnings as errors;
    every tutorial example and reference example runs during the build."""
    # every backend: the tutorial lists their devices
    session.install("-e", ".[jax,torch,hdf5,safetensors]", TORCH, "-r", "docs/requirements.txt")
    session.run("mkdocs", "build", "--strict", *session.posargs)


# cubed's dask executor fails with distributed >= 2026.7 ("Cluster has no workers
# running"), an upstream incompatibility: distributed (and dask with it) stays below.
CUBED = "cubed==0.27.0"
DISTRIBUTED_DEPS = [
    CUBED, "cubed-xarray==0.0.9", "dask[array]==2026.6.0", "distributed==2026.6.0",
    "xarray>=2025.1", "zarr>=3", "pytest-json-report",
]  # fmt: skip
EXECUTORS = ("single-threaded", "threads", "processes", "dask")


def _cubed_counts(report: pathlib.Path) -> dict[str, dict[str, int]]:
    """Passed/failed per executor (the test id's executor, else 'default') of a report."""
    counts: dict[str, dict[str, int]] = {}
    for test in json.loads(report.read_text())["tests"]:
        ids = test["nodeid"].partition("[")[2].removesuffix("]")
        executor = next((e for e in EXECUTORS if f"-{e}-" in f"-{ids}-"), "default")
        outcome = "passed" if test["outcome"] == "passed" else "failed"
        entry = counts.setdefault(executor, {"passed": 0, "failed": 0})
        entry[outcome] += 1
    return counts


def _cubed_suite(session: nox.Session, name: str, env: dict[str, str]) -> dict | None:
    """Run cubed's own array-API tests; passed/failed per executor (None: not run, as
    with ``nox --install-only``)."""
    reports = ROOT / "conformance" / "reports"
    reports.mkdir(exist_ok=True)
    report = reports / f"cubed-{name}.json"
    here = ROOT / "conformance" / "cubed"
    ran = session.run(
        "pytest", "--pyargs", "cubed.tests.test_array_api", "-c", str(here / "pytest.ini"),
        "--rootdir", str(here), "-p", "cubed_suite_plugin", "-p", "no:cacheprovider", "-q",
        "-m", "not cloud", "--json-report", f"--json-report-file={report}",
        env={"PYTHONPATH": str(here), **env}, success_codes=[0, 1],
    )  # fmt: skip
    if ran is None:
        return None
    counts = _cubed_counts(report)
    (reports / f"cubed-{name}-counts.json").write_text(json.dumps(counts, indent=1) + "\n")
    return counts


# The NumPy-backend reference run does not involve storax: its counts are kept in the
# repository with the inputs they depend on (versions, the test module's and the plugin's
# hashes) and rerun only when one of those changes (or STORAX_CUBED_REFERENCE=run).
CUBED_REFERENCE = ROOT / "conformance" / "cubed" / "reference-counts.json"
_REFERENCE_INPUTS = """
import hashlib, importlib.metadata as md, json, pathlib, sys
import cubed.tests.test_array_api as t
here = pathlib.Path(sys.argv[1])
files = [pathlib.Path(t.__file__), pathlib.Path(t.__file__).with_name("utils.py"),
         here / "cubed_suite_plugin.py", here / "pytest.ini"]
key = {p: md.version(p) for p in ("cubed", "dask", "distributed", "numpy", "zarr")}
key.update({f.name: hashlib.sha256(f.read_bytes()).hexdigest()[:16] for f in files})
print(json.dumps(key, sort_keys=True))
"""


def _cubed_reference(session: nox.Session) -> dict | None:
    """The NumPy-backend counts: the stored ones when their inputs match, else a run."""
    here = ROOT / "conformance" / "cubed"
    out = session.run("python", "-c", _REFERENCE_INPUTS, str(here), silent=True)
    if out is None:
        return None
    key = json.loads(out.strip().splitlines()[-1])
    stored = json.loads(CUBED_REFERENCE.read_text()) if CUBED_REFERENCE.exists() else {}
    if stored.get("inputs") == key and os.environ.get("STORAX_CUBED_REFERENCE") != "run":
        session.log(f"cubed's NumPy-backend reference: stored counts ({CUBED_REFERENCE.name})")
        return stored["counts"]
    counts = _cubed_suite(session, "numpy-reference", {})
    if counts is not None:
        CUBED_REFERENCE.write_text(json.dumps({"inputs": key, "counts": counts}, indent=1) + "\n")
        session.log(f"cubed's NumPy-backend reference rerun: {CUBED_REFERENCE} updated")
    return counts


@nox.session
@nox.parametrize("backend", BACKENDS)
def distributed(session: nox.Session, backend: str) -> None:
    """storax beyond one machine: cubed's own array-API tests with storax as its backend
    next to a NumPy-backend run (storax must pass as many per executor), and storax's
    tests with cubed, dask.array/distributed and xarray (tests/distributed), per backend.
    Everything runs on 127.0.0.1; the tests close the clusters they start."""
    session.install("-e", ".[test,jax]", *DISTRIBUTED_DEPS)
    if os.environ.get("STORAX_CUBED_SUITE", "1") == "0":
        # CI's time budget: cubed's suite on this backend was compared by a full run
        # (counts in conformance/cubed/README.md); storax's own tests still run here.
        session.log("cubed's own suite not run (STORAX_CUBED_SUITE=0)")
        session.run(
            "pytest", "tests/distributed", "-p", "no:cacheprovider", *session.posargs,
            env={"STORAX_BACKEND": backend},
        )  # fmt: skip
        return
    expected = _cubed_reference(session)
    got = _cubed_suite(
        session, f"storax-{backend}",
        {"CUBED_BACKEND_ARRAY_API_MODULE": "storax", "STORAX_BACKEND": backend,
         "STORAX_DEFAULT_DTYPE": "float64"},
    )  # fmt: skip
    if expected is None or got is None:  # nox --install-only
        return
    short = []
    for executor, ref in sorted(expected.items()):
        mine = got.get(executor, {"passed": 0, "failed": 0})
        session.log(
            f"cubed {executor}: storax ({backend}) {mine['passed']} passed, "
            f"{mine['failed']} failed; NumPy {ref['passed']} passed, {ref['failed']} failed"
        )
        if mine["passed"] < ref["passed"]:
            short.append(executor)
    session.run(
        "pytest", "tests/distributed", "-p", "no:cacheprovider", *session.posargs,
        env={"STORAX_BACKEND": backend},
    )  # fmt: skip
    if short:
        session.error(f"storax passes fewer of cubed's tests than NumPy on: {short}")
