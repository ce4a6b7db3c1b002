"""scikit-learn with ``array_api_dispatch=True`` on storax arrays.

Three groups: scikit-learn's own array API checks run with ``array_namespace="storax"``
(``check_array_api_input`` for every estimator whose tags declare array API support, and
the metric checkers of ``sklearn/metrics/tests/test_common.py``); our own comparisons of
fitted attributes and outputs against NumPy for the estimators users reach for first; and
the ``sklearn.utils._array_api`` helpers that third-party estimators build on.
"""

from __future__ import annotations

import unittest
import warnings
from typing import Any

import numpy as np
import pytest
import sklearn
from _ecohelpers import Case, Tol, case_params, compare, on_backend, run_case
from sklearn.base import clone
from sklearn.decomposition import PCA
from sklearn.discriminant_analysis import LinearDiscriminantAnalysis
from sklearn.exceptions import SkipTestWarning
from sklearn.kernel_approximation import Nystroem
from sklearn.linear_model import LogisticRegression, PoissonRegressor, Ridge, RidgeCV
from sklearn.metrics import (
    accuracy_score,
    confusion_matrix,
    f1_score,
    mean_absolute_error,
    mean_squared_error,
    pairwise,
    r2_score,
    zero_one_loss,
)
from sklearn.naive_bayes import GaussianNB
from sklearn.preprocessing import (
    Binarizer,
    KernelCenterer,
    LabelEncoder,
    MaxAbsScaler,
    MinMaxScaler,
    Normalizer,
    PolynomialFeatures,
    StandardScaler,
)
from sklearn.utils import _array_api as skxp
from sklearn.utils._tags import get_tags
from sklearn.utils._test_common.instance_generator import (
    _get_check_estimator_ids,
    _get_expected_failed_checks,
    _tested_estimators,
    _yield_instances_for_check,
)
from sklearn.utils.estimator_checks import check_array_api_input

import storax
from _devices import on_host

# NumPy's floating-point RuntimeWarnings raised inside storax (division by zero, ...) are
# checked separately (test_interop.py::test_no_floating_point_warnings); here, results.
# scikit-learn's own warnings about the data of its checks (convergence, ill-defined
# metrics, "solver='auto' will use 'svd' under array API dispatch") are not failures.
pytestmark = [
    pytest.mark.filterwarnings("ignore::RuntimeWarning:storax"),
    pytest.mark.filterwarnings("ignore::UserWarning:sklearn"),
    pytest.mark.filterwarnings("ignore::scipy.linalg.LinAlgWarning"),
]


@pytest.fixture
def dispatch():
    """array_api_dispatch=True (scikit-learn's own checks switch it on and off themselves)."""
    with sklearn.config_context(array_api_dispatch=True):
        yield


def _no_skip(check: Any, *args: Any, **kwargs: Any) -> None:
    """Run one of scikit-learn's checks; its SkipTest would hide a failure, so fail."""
    try:
        check(*args, **kwargs)
    except unittest.SkipTest as e:
        pytest.fail(f"scikit-learn skipped the check: {e}")


# ------------------------------------------------ scikit-learn's own array API checks
def _array_api_estimators() -> list[Any]:
    """Estimators whose tags declare array API support, built as scikit-learn builds them
    for ``check_array_api_input``, each with the reason scikit-learn expects it to fail."""
    out = []
    with warnings.catch_warnings():
        # Instantiating every estimator warns about some (FrozenEstimator, deprecations).
        warnings.simplefilter("ignore", SkipTestWarning)
        warnings.simplefilter("ignore", FutureWarning)
        for est in _tested_estimators():
            tags = get_tags(est)
            # scikit-learn runs no estimator checks on 1-D-only estimators (LabelEncoder).
            if not tags.array_api_support or not tags.input_tags.two_d_array:
                continue
            xfail = _get_expected_failed_checks(est).get("check_array_api_input")
            for inst in _yield_instances_for_check(check_array_api_input, est):
                out.append((inst, xfail))
    return out


# Value checks that storax's float32 default makes differ from NumPy (docs/ecosystem.md).
DEFAULT32_DIFFERENCES = {
    ("GaussianNB", True, "float64"): (
        "storax's default float is float32: GaussianNB.score -> accuracy_score casts the "
        "bool matches to the namespace's default float (sklearn.utils._array_api."
        "_find_matching_floating_dtype), so the score is 0.95 in float32 precision"
    ),
}


def _check_params() -> list[Any]:
    params = []
    for est, xfail in _array_api_estimators():
        name = _get_check_estimator_ids(est)
        for check_values in (False, True):
            kind = "values" if check_values else "types"
            marks = []
            # Note: scikit-learn declares these failures for every namespace; with storax
            # the type/shape check passes, only the value check fails (as with
            # array_api_strict).
            if xfail and check_values:
                marks = [pytest.mark.xfail(reason=f"scikit-learn: {xfail}", strict=True)]
            params.append(pytest.param(est, check_values, id=f"{name}-{kind}", marks=marks))
    return params


_LDA_SIGNS = (
    "scikit-learn compares LDA's scalings_ with NumPy's exactly, but they are singular "
    "vectors, defined up to sign: cuSOLVER on a GPU may choose the other sign than LAPACK"
)


@pytest.mark.parametrize("dtype_name", ["float64", "float32"])
@pytest.mark.parametrize(("estimator", "check_values"), _check_params())
def test_check_array_api_input(
    estimator: Any, check_values: bool, dtype_name: str, default_float: str, request: Any
) -> None:
    reason = DEFAULT32_DIFFERENCES.get((type(estimator).__name__, check_values, dtype_name))
    if reason and default_float == "float32":
        request.applymarker(pytest.mark.xfail(reason=reason, strict=True))
    if check_values and type(estimator).__name__ == "LinearDiscriminantAnalysis":
        if not on_host(storax.ones(1)):
            request.applymarker(pytest.mark.xfail(reason=_LDA_SIGNS, strict=True))
    _no_skip(
        check_array_api_input, type(estimator).__name__, estimator, array_namespace="storax",
        dtype_name=dtype_name, check_values=check_values,
    )  # fmt: skip


def _metric_checkers() -> list[Any]:
    from sklearn.metrics.tests.test_common import array_api_metric_checkers

    params = []
    for metric, checkers in array_api_metric_checkers.items():
        name = getattr(metric, "__name__", None) or (
            metric.func.__name__ + "-" + "-".join(f"{k}={v}" for k, v in metric.keywords.items())
        )
        for check in checkers:
            kind = check.__name__.removeprefix("check_array_api_")
            params.append(pytest.param(metric, check, id=f"{name}-{kind}"))
    return params


@pytest.mark.parametrize("dtype_name", ["float64", "float32"])
@pytest.mark.parametrize(("metric", "check"), _metric_checkers())
def test_metric_checkers(metric: Any, check: Any, dtype_name: str, default_float: str) -> None:
    _no_skip(check, metric, "storax", None, dtype_name)


# ------------------------------------------- our comparisons with plain NumPy
rng = np.random.default_rng(7)
X = rng.standard_normal((40, 5)) * np.array([1.0, 2.0, 0.5, 3.0, 1.5]) + 0.3
Xpos = np.abs(X) + 0.1
y_reg = X @ np.array([1.0, -2.0, 0.5, 0.0, 3.0]) + 0.1 * rng.standard_normal(40)
y_cls = (X[:, 0] + X[:, 1] > 0.3).astype(np.int64) + (X[:, 2] > 0.5).astype(np.int64)
y_bin = (X[:, 0] > 0.2).astype(np.int64)
y_pred_cls = np.roll(y_cls, 3)
Y = rng.standard_normal((7, 5))

ESTIMATORS = {
    "PCA-full": (PCA(n_components=3, svd_solver="full"), X, None),
    "PCA-covariance_eigh": (PCA(n_components=2, svd_solver="covariance_eigh"), X, None),
    "PCA-whiten": (PCA(n_components=3, whiten=True, svd_solver="full"), X, None),
    "PCA-randomized": (PCA(n_components=3, svd_solver="randomized", random_state=0), X, None),
    "LinearDiscriminantAnalysis-svd": (LinearDiscriminantAnalysis(), X, y_cls),
    "Ridge": (Ridge(alpha=0.5), X, y_reg),
    "Ridge-no-intercept": (Ridge(alpha=2.0, fit_intercept=False), X, y_reg),
    "RidgeCV": (RidgeCV(alphas=(0.1, 1.0, 10.0)), X, y_reg),
    "StandardScaler": (StandardScaler(), X, None),
    "MinMaxScaler": (MinMaxScaler(), X, None),
    "MaxAbsScaler": (MaxAbsScaler(), X, None),
    "Normalizer": (Normalizer(), X, None),
    "Binarizer": (Binarizer(threshold=0.2), X, None),
    "KernelCenterer": (KernelCenterer(), X @ X.T, None),
    "PolynomialFeatures": (PolynomialFeatures(degree=2), X, None),
    "GaussianNB": (GaussianNB(), X, y_cls),
    "LogisticRegression": (LogisticRegression(max_iter=500), X, y_bin),
    "PoissonRegressor": (PoissonRegressor(), X, np.exp(y_reg / 10)),
    "Nystroem": (Nystroem(n_components=10, random_state=0), X, None),
}
METHODS = (
    "transform", "predict", "predict_proba", "predict_log_proba", "decision_function",
    "inverse_transform", "score",
)  # fmt: skip


def _fit_and_apply(est: Any, X: Any, y: Any) -> dict[str, Any]:
    est = clone(est).fit(X) if y is None else clone(est).fit(X, y)
    out = {}
    for k, v in sorted(vars(est).items()):
        if k.endswith("_") and not k.startswith("_") and k not in ("n_features_in_", "n_iter_"):
            if hasattr(v, "shape") or isinstance(v, (float, int)):
                out[k] = v
    for meth in METHODS:
        if not hasattr(est, meth):
            continue
        if meth == "score":
            out[meth] = est.score(X) if y is None else est.score(X, y)
        elif meth == "inverse_transform":
            out[meth] = est.inverse_transform(est.transform(X))
        else:
            out[meth] = getattr(est, meth)(X)
    return out


def _align_signs(got: dict[str, Any], want: dict[str, Any], keys: tuple[str, ...]) -> None:
    """Flip the columns of ``got[key]`` whose sign differs from NumPy's result.

    LDA's ``scalings_`` (and so ``transform``) are singular vectors, defined up to sign;
    LAPACK (NumPy, JAX on the CPU) and cuSOLVER (JAX on a GPU) may choose either.
    """
    for key in keys:
        g, w = got[key], np.asarray(want[key])
        signs = np.where(np.sum(np.asarray(g) * w, axis=0) < 0, -1.0, 1.0).astype(w.dtype)
        got[key] = g * storax.asarray(signs, device=g.device)


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("name", list(ESTIMATORS))
@pytest.mark.usefixtures("dispatch")
def test_estimator_matches_numpy(name: str, dtype: str, backend: str, default_float: str) -> None:
    est, Xn, yn = ESTIMATORS[name]
    Xn = Xn.astype(dtype)
    want = _fit_and_apply(est, Xn, yn)
    Xs = on_backend(Xn, backend)
    ys = None if yn is None else on_backend(yn, backend)
    got = _fit_and_apply(est, Xs, ys)
    if name == "LinearDiscriminantAnalysis-svd":
        _align_signs(got, want, ("scalings_", "transform"))
    # scikit-learn's own array API tests compare at these tolerances.
    tol = Tol(1e-6, 1e-9) if dtype == "float64" else Tol(2e-4, 1e-4)
    compare(got, want, device=Xs.device, tol=tol, strict_dtype=True, label=name)


def _cls(func: Any, **kw: Any) -> Case:
    return Case(f"metrics.{func.__name__}", func, (y_cls, y_pred_cls), kw)


def _reg(func: Any, **kw: Any) -> Case:
    return Case(f"metrics.{func.__name__}", func, (y_reg, y_reg + 0.3 * X[:, 1]), kw, f32=True)


_CDIST_F64 = (
    "scikit-learn: on NumPy input this goes through scipy.spatial.distance.cdist, which "
    "always returns float64; the array API path keeps float32 (as with array_api_strict)"
)


def _pair(func: Any, *args: Any, xfail_f32: str | None = None, **kw: Any) -> Case:
    suffix = "-" + "-".join(f"{v}" for v in kw.values()) if kw else ""
    return Case(f"pairwise.{func.__name__}{suffix}", func, (X[:9], *args), kw, rtol=1e-6,
                f32=True, xfail_f32=xfail_f32)  # fmt: skip


FUNCTION_CASES = [
    _cls(accuracy_score),
    _cls(accuracy_score, normalize=False),
    _cls(zero_one_loss),
    _cls(f1_score, average="macro"),
    _cls(confusion_matrix),
    _reg(r2_score),
    _reg(mean_squared_error),
    _reg(mean_absolute_error),
    Case(
        "metrics.r2_score-multioutput",
        r2_score,
        (X[:, :2], X[:, 2:4] + X[:, :2]),
        {"multioutput": "raw_values"},
    ),
    _pair(pairwise.euclidean_distances, Y),
    _pair(pairwise.euclidean_distances, squared=True),
    _pair(pairwise.manhattan_distances, Y, xfail_f32=_CDIST_F64),
    _pair(pairwise.cosine_distances, Y),
    _pair(pairwise.cosine_similarity, Y),
    _pair(pairwise.linear_kernel, Y),
    _pair(pairwise.polynomial_kernel, Y, degree=2),
    _pair(pairwise.rbf_kernel, Y, gamma=0.3),
    _pair(pairwise.laplacian_kernel, Y, xfail_f32=_CDIST_F64),
    _pair(pairwise.sigmoid_kernel, Y),
    _pair(pairwise.pairwise_distances, Y, metric="euclidean"),
    _pair(pairwise.pairwise_distances, metric="cosine"),
    _pair(pairwise.pairwise_kernels, Y, metric="rbf"),
    _pair(pairwise.paired_euclidean_distances, X[9:18]),
    _pair(pairwise.paired_cosine_distances, X[9:18]),
    _pair(pairwise.pairwise_distances_argmin, Y),
    Case("pairwise.chi2_kernel", pairwise.chi2_kernel, (Xpos[:9], Xpos[9:15]), rtol=1e-6),
    Case(
        "pairwise.additive_chi2_kernel",
        pairwise.additive_chi2_kernel,
        (Xpos[:9], Xpos[9:15]),
        rtol=1e-6,
    ),
    Case("preprocessing.LabelEncoder", lambda y: LabelEncoder().fit_transform(y), (y_cls,)),
]


# scikit-learn's array API helpers, as third-party estimators use them.
def _xp(x: Any) -> Any:
    return skxp.get_namespace(x)[0]


HELPER_CASES = [
    Case("utils._average", lambda x, w: skxp._average(x, axis=0, weights=w), (X, Xpos[:, 0])),
    Case("utils._median", lambda x: skxp._median(x, axis=0), (X,)),
    Case("utils._nanmin", lambda x: skxp._nanmin(x, axis=0), (X,)),
    Case("utils._nanmax", lambda x: skxp._nanmax(x, axis=1), (X,)),
    Case("utils._nanmean", lambda x: skxp._nanmean(x, axis=0), (np.where(X > 2, np.nan, X),)),
    Case("utils._nansum", lambda x: skxp._nansum(x, axis=0), (np.where(X > 2, np.nan, X),)),
    Case("utils._logsumexp", lambda x: skxp._logsumexp(x, axis=1), (X,)),
    Case("utils._isin", lambda a, b: skxp._isin(a, b, xp=_xp(a)), (y_cls, np.array([0, 2]))),
    Case("utils._bincount", lambda a: skxp._bincount(a, minlength=4, xp=_xp(a)), (y_cls,)),
    Case(
        "utils._count_nonzero",
        lambda x: skxp._count_nonzero(x, axis=0, xp=_xp(x)),
        (np.where(X > 0, X, 0.0),),
    ),
    Case("utils._fill_diagonal", lambda a: _fill(a, skxp._fill_diagonal), (X[:5].copy(),)),
    Case("utils._add_to_diagonal", lambda a: _fill(a, skxp._add_to_diagonal), (X[:5].copy(),)),
    Case("utils._expit", lambda x: skxp._expit(x, xp=_xp(x)), (X,)),
    Case("utils._logit", lambda x: skxp._logit(x, xp=_xp(x)), (1.0 / (1.0 + np.exp(-X)),)),
    Case("utils._xlogy", lambda a, b: skxp._xlogy(a, b, xp=_xp(a)), (Xpos, Xpos[::-1])),
    Case("utils._ravel", lambda x: skxp._ravel(x, xp=_xp(x)), (X,)),
    Case(
        "utils._asarray_with_order",
        lambda x: skxp._asarray_with_order(x, order="F", xp=_xp(x)),
        (X,),
    ),
    Case("utils._cholesky", lambda a: skxp._cholesky(a, _xp(a)), (X.T @ X,), rtol=1e-6),
]


def _fill(a: Any, func: Any) -> Any:
    func(a, 7.0, xp=_xp(a))
    return a


@pytest.mark.parametrize(("case", "mode"), case_params(FUNCTION_CASES + HELPER_CASES))
@pytest.mark.usefixtures("dispatch")
def test_function_matches_numpy(case: Case, mode: str, backend: str, default_float: str) -> None:
    run_case(case, backend, mode)


@pytest.mark.usefixtures("dispatch")
def test_namespace_helpers() -> None:
    x = storax.asarray(X)
    xp, is_array_api = skxp.get_namespace(x)
    assert xp is storax and is_array_api
    assert skxp.device(x) == x.device
    assert skxp.size(x) == X.size
    assert skxp._max_precision_float_dtype(storax, x.device) == storax.float64
    assert skxp.supported_float_dtypes(storax) == (storax.float64, storax.float32)
    assert skxp.indexing_dtype(storax) == storax.int64
    back = skxp._convert_to_numpy(x, storax)
    assert type(back) is np.ndarray and np.array_equal(back, X)
    moved = skxp.move_to(back, xp=storax, device=x.device)
    assert isinstance(moved, storax.Array) and np.array_equal(np.asarray(moved), X)
    assert skxp._find_matching_floating_dtype(x, xp=storax) == storax.float64
