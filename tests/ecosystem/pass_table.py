"""The pass table of docs/ecosystem.md, from the JUnit XML reports of ecosystem runs.

    STORAX_BACKEND=numpy pytest tests/ecosystem --junitxml=eco-numpy.xml
    STORAX_BACKEND=jax   pytest tests/ecosystem --junitxml=eco-jax.xml
    python tests/ecosystem/pass_table.py numpy=eco-numpy.xml jax=eco-jax.xml

prints one row per area with passed / failed / xfailed counts for each backend.
"""

from __future__ import annotations

import collections
import re
import sys
import xml.etree.ElementTree as ET

_SKLEARN_AREAS = {
    "test_check_array_api_input": "sklearn `check_array_api_input`",
    "test_metric_checkers": "sklearn metric checkers",
    "test_estimator_matches_numpy": "sklearn estimators vs NumPy",
    "test_function_matches_numpy": "sklearn functions/helpers vs NumPy",
    "test_namespace_helpers": "sklearn functions/helpers vs NumPy",
}


def area(classname: str, name: str) -> str:
    """The table row a test belongs to."""
    module = classname.rsplit(".", 1)[-1]
    if module == "test_scipy":
        case = re.match(r"test_scipy\[default\d\d-(\w+)", name)
        sub = case.group(1) if case else "other (case-count check)"
        return "scipy.signal (+ windows)" if sub == "signal" else f"scipy.{sub}"
    if module == "test_sklearn":
        return _SKLEARN_AREAS.get(name.split("[")[0], "sklearn other")
    if module == "test_numpy_land":
        return "NumPy-land (NEP 13/18, NumPy-only paths)"
    if module == "test_interop":
        return "interop (DLPack, compat, hypothesis, leniency)"
    return module


def outcome(case: ET.Element) -> str:
    for child in case:
        if child.tag in ("failure", "error"):
            return "failed"
        if child.tag == "skipped":
            return "xfailed" if child.get("type") == "pytest.xfail" else "skipped"
    return "passed"


def counts(path: str) -> dict[str, collections.Counter[str]]:
    table: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    for case in ET.parse(path).getroot().iter("testcase"):
        table[area(case.get("classname", ""), case.get("name", ""))][outcome(case)] += 1
    return table


def main(argv: list[str]) -> None:
    runs = [arg.split("=", 1) for arg in argv]
    tables = {backend: counts(path) for backend, path in runs}
    rows = sorted({a for t in tables.values() for a in t}, key=lambda a: (a[:5], a))
    head = " | ".join(f"{b} passed | {b} failed | {b} xfailed" for b in tables)
    print(f"| area | {head} |")
    print("|---|" + "---:|" * 3 * len(tables))
    totals = {b: collections.Counter() for b in tables}
    for a in rows:
        cells = []
        for b, t in tables.items():
            c = t.get(a, collections.Counter())
            totals[b].update(c)
            cells += [str(c["passed"]), str(c["failed"]), str(c["xfailed"])]
        print(f"| {a} | " + " | ".join(cells) + " |")
    cells = []
    for b in tables:
        c = totals[b]
        cells += [f"**{c['passed']}**", f"**{c['failed']}**", f"**{c['xfailed']}**"]
    print("| **total** | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main(sys.argv[1:])
