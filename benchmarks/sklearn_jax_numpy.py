"""scikit-learn's own ``check_array_api_input`` with plain jax.numpy and with storax on JAX.

Usage: ``SCIPY_ARRAY_API=1 python benchmarks/sklearn_jax_numpy.py`` (needs scikit-learn
and jax). Runs the check (types and shapes, float64 and float32) for every estimator
whose tags declare array API support, with both namespaces on the same JAX device, and
prints how many pass and why the others fail. The result is quoted in
docs/ecosystem.md: jax.numpy arrays are immutable, and scikit-learn writes into arrays.
"""

from __future__ import annotations

import os
import pathlib
import sys
import warnings

os.environ.setdefault("SCIPY_ARRAY_API", "1")
ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "tests" / "ecosystem")]

import jax  # noqa: E402
from sklearn.utils._test_common.instance_generator import _get_check_estimator_ids  # noqa: E402
from sklearn.utils.estimator_checks import check_array_api_input  # noqa: E402
from test_sklearn import _array_api_estimators  # noqa: E402

import storax  # noqa: E402

jax.config.update("jax_enable_x64", True)  # as storax's JAX backend does: same dtypes
storax.set_backend("jax")


def main() -> None:
    results: dict[str, list[tuple[str, str, str]]] = {"jax.numpy": [], "storax": []}
    for est, _ in _array_api_estimators():
        name = _get_check_estimator_ids(est)
        for namespace, rows in results.items():
            for dtype in ("float64", "float32"):
                try:
                    with warnings.catch_warnings():
                        warnings.simplefilter("ignore")
                        check_array_api_input(
                            name, est, array_namespace=namespace, dtype_name=dtype,
                            check_values=False,
                        )  # fmt: skip
                    outcome = "pass"
                except Exception as e:  # noqa: BLE001 - any failure is the result
                    outcome = f"{type(e).__name__}: {str(e).splitlines()[0][:80]}"
                rows.append((name, dtype, outcome))
    for namespace, rows in results.items():
        passed = sum(outcome == "pass" for *_, outcome in rows)
        print(f"{namespace}: {passed}/{len(rows)} pass")
        reasons: dict[str, int] = {}
        for *_, outcome in rows:
            if outcome != "pass":
                reasons[outcome] = reasons.get(outcome, 0) + 1
        for reason, count in sorted(reasons.items(), key=lambda kv: -kv[1]):
            print(f"  {count} × {reason}")


if __name__ == "__main__":
    main()
