"""NumPy-only code paths of SciPy and scikit-learn given storax arrays: they call NumPy's
ufuncs and functions (NEP 13/18), NumPy-style methods and keywords, and lean on NumPy's
leniency. Every array in the results must be a storax array on the input's device with
NumPy's values (docs/ecosystem.md, "NumPy-land")."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.interpolate
import sklearn
from _ecohelpers import Tol, compare, on_backend
from sklearn.cluster import KMeans
from sklearn.discriminant_analysis import LinearDiscriminantAnalysis
from sklearn.metrics import average_precision_score, roc_auc_score, roc_curve

import storax

RNG = np.random.default_rng(7)
X = RNG.normal(size=(60, 4))
Y3 = (X[:, 0] > 0).astype(np.int64) + (X[:, 1] > 0.5)
TOL64 = Tol(1e-7, 1e-10)


@pytest.fixture
def dispatch():
    """array_api_dispatch=True for scikit-learn."""
    with sklearn.config_context(array_api_dispatch=True):
        yield


def _tol(default_float: str) -> Tol:
    return TOL64 if default_float == "float64" else Tol(1e-5, 1e-6)


def _device(backend: str):
    return on_backend(np.zeros(1), backend).device


# --------------------------------------------------------------- NumPy calls on storax


NUMPY_CALLS = {
    "np.sin": lambda x: np.sin(x),
    "np.exp.reduce-like np.sum(axis=0)": lambda x: np.sum(x, axis=0),
    "np.concatenate": lambda x: np.concatenate([x, x]),
    "np.where(x > 0, x, 0)": lambda x: np.where(x > 0, x, 0),
    "np.where with np.float64(nan)": lambda x: np.where(x > 0, x, np.float64(np.nan)),
    "np.add.accumulate": lambda x: np.add.accumulate(x, axis=1),
    "np.maximum.outer": lambda x: np.maximum.outer(x[0], x[1]),
    "ndarray + storax": lambda x: np.ones(4) + x,
    "np.nanmean": lambda x: np.nanmean(np.where(x > 1, np.nan, x), axis=0),
    "np.median": lambda x: np.median(x, axis=1),
    "np.percentile": lambda x: np.percentile(x, [5, 50, 95], axis=0),
    "np.linalg.norm": lambda x: np.linalg.norm(x, axis=1),
    "np.cov (through the host)": lambda x: np.cov(x.T),
    "np.einsum (through the host)": lambda x: np.einsum("ij,ij->j", x, x),
    "np.unique (through the host)": lambda x: np.unique(x > 0, return_counts=True),
    "np.pad": lambda x: np.pad(x, ((1, 0), (0, 2)), mode="edge"),
    "np.bincount": lambda x: np.bincount((x[:, 0] > 0).astype(np.int64)),
    "x.sum(axis=0, out=None)": lambda x: x.sum(axis=0, out=None),
    "x.std(ddof=1)": lambda x: x.std(axis=0, ddof=1),
    "x.astype(np.float32)": lambda x: x.astype(np.float32),
}


@pytest.mark.parametrize("name", list(NUMPY_CALLS))
def test_numpy_calls(name: str, backend: str, default_float: str) -> None:
    f = NUMPY_CALLS[name]
    want = f(X)
    got = f(on_backend(X, backend))
    compare(got, want, device=_device(backend), tol=_tol(default_float), label=name)


def test_numpy_out_array_accumulates_storax(backend: str, default_float: str) -> None:
    """``cov = np.zeros(...); cov += storax_array`` (scikit-learn's ``_class_cov``)."""
    cov = np.zeros((4, 4))
    cov += on_backend(X.T @ X, backend)
    compare(cov, X.T @ X, device=_device(backend), tol=_tol(default_float))


# -------------------------------------------------------------- SciPy, NumPy inside


def test_akima_assigns_wider_values(backend: str, default_float: str) -> None:
    x = np.linspace(0.0, 3.0, 9)
    y = np.sin(x).astype(np.float32)
    want = scipy.interpolate.Akima1DInterpolator(x, y)(np.linspace(0.1, 2.9, 5))
    xs, ys = on_backend(x, backend), on_backend(y, backend)
    got = scipy.interpolate.Akima1DInterpolator(xs, ys)(
        on_backend(np.linspace(0.1, 2.9, 5), backend)
    )
    compare(got, want, device=_device(backend), tol=Tol(1e-5, 1e-6))


@pytest.mark.xfail(
    strict=True,
    raises=AttributeError,
    reason="SciPy 1.17: RBFInterpolator's array API path calls xp.diag, which is not in "
    "the array API standard (array_api_strict has none either); its x.view(float) works",
)
@pytest.mark.parametrize("kind", ["real", "complex"])
def test_rbf_interpolator_views_dtypes(kind: str, backend: str, default_float: str) -> None:
    pts = RNG.uniform(size=(20, 2))
    vals = np.sin(pts[:, 0]) + (1j * np.cos(pts[:, 1]) if kind == "complex" else 0)
    query = RNG.uniform(size=(5, 2))
    want = scipy.interpolate.RBFInterpolator(pts, vals)(query)
    # SciPy's array API path of the thin-plate kernel takes log(0) (times 0): NumPy's
    # floating-point warning, which storax reports (docs/ecosystem.md, warnings).
    with np.errstate(divide="ignore", invalid="ignore"):
        f = scipy.interpolate.RBFInterpolator(on_backend(pts, backend), on_backend(vals, backend))
        got = f(on_backend(query, backend))
    compare(got, want, device=_device(backend), tol=Tol(1e-6, 1e-8))


# ------------------------------------------------------------ scikit-learn, NumPy inside


@pytest.mark.usefixtures("dispatch")
def test_lda_eigen_solver(backend: str, default_float: str) -> None:
    """LDA(solver="eigen") is not array-API code: it accumulates into ``np.zeros`` and calls
    NumPy functions; with NEP 13/18 it computes and predicts with storax arrays."""
    ref = LinearDiscriminantAnalysis(solver="eigen", shrinkage=0.1).fit(X, Y3)
    est = LinearDiscriminantAnalysis(solver="eigen", shrinkage=0.1)
    Xs = on_backend(X, backend)
    est.fit(Xs, on_backend(Y3, backend))
    got = {k: getattr(est, k) for k in ("coef_", "intercept_", "means_", "covariance_")}
    want = {k: getattr(ref, k) for k in got}
    for method in ("predict", "predict_proba", "decision_function"):
        got[method] = getattr(est, method)(Xs)
        want[method] = getattr(ref, method)(X)
    compare(got, want, device=_device(backend), tol=Tol(1e-6, 1e-8))


@pytest.mark.usefixtures("dispatch")
@pytest.mark.xfail(
    strict=True,
    reason="SciPy 1.17: scipy.linalg.eigh is NumPy-only (not in its array API capability "
    "table) and returns NumPy arrays for any input, so LDA(solver='eigen')'s scalings_ and "
    "explained_variance_ratio_ (and transform) are NumPy arrays, as with any namespace",
)
def test_lda_eigen_all_attributes_storax(backend: str) -> None:
    est = LinearDiscriminantAnalysis(solver="eigen", shrinkage=0.1)
    est.fit(on_backend(X, backend), on_backend(Y3, backend))
    assert isinstance(est.scalings_, storax.Array)


@pytest.mark.usefixtures("dispatch")
@pytest.mark.xfail(
    strict=True,
    raises=(TypeError, ValueError),
    reason="scikit-learn 1.9: KMeans does not declare array API support; with "
    "array_api_dispatch=True check_array keeps the input's namespace, then KMeans mixes "
    "np.empty(...) centers with it and array_api_compat refuses 'Multiple namespaces for "
    "array inputs' (the same with array_api_strict or torch); on a device other than the "
    "host (storax on JAX) scikit-learn refuses first with 'Input arrays use different "
    "devices: cpu, jax:cpu:0'",
)
def test_kmeans_is_numpy_only(backend: str) -> None:
    KMeans(2, n_init=2, random_state=0).fit(on_backend(X, backend))


@pytest.mark.usefixtures("dispatch")
@pytest.mark.parametrize(
    "name, call",
    [
        ("roc_curve", lambda y, s: roc_curve(y, s)),
        ("roc_auc_score", lambda y, s: roc_auc_score(y, s)),
        ("average_precision_score", lambda y, s: average_precision_score(y, s)),
    ],
)
def test_metrics_on_integer_labels(name: str, call, backend: str, default_float: str) -> None:
    y = (X[:, 0] > 0).astype(np.int64)
    s = X[:, 0] + 0.5 * X[:, 1]
    want = call(y, s)
    got = call(on_backend(y, backend), on_backend(s, backend))
    compare(got, want, device=_device(backend), tol=_tol(default_float), label=name)
