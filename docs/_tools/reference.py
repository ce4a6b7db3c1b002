"""Reference pages generated from ``__all__``: one entry per public name, examples run here."""

from __future__ import annotations

import contextlib
import dataclasses
import doctest
import inspect
import json
import pathlib
import re
import sys
from typing import Any

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "conformance"))

import numpy as np  # noqa: E402
from examples import ERRORS, EXAMPLES, RETURNS  # noqa: E402
from status import NOT_ARRAY_RETURNING, VIEWS  # noqa: E402

import storax as sx  # noqa: E402
import storax.fft  # noqa: E402, F401
import storax.io  # noqa: E402, F401
import storax.linalg  # noqa: E402, F401
from storax import _elementwise_functions as _ew  # noqa: E402
from storax._backends import _numpy_operators as _ops  # noqa: E402

_FAMILY = type(sx.asarray(0.0))
SPEC = "https://data-apis.org/array-api/latest/"
SPEC_NAMES = json.loads((ROOT / "conformance" / "spec_names.json").read_text())
BACKENDS = ("numpy", "jax")
BACKEND_TITLES = {"numpy": "NumPy", "jax": "JAX"}

# Titles of the namespace's private section modules; a new module gets its own page
# titled from its name.
SECTION_TITLES = {
    "_creation_functions": "Creation functions",
    "_data_type_functions": "Data type functions",
    "_elementwise_functions": "Element-wise functions",
    "_indexing_functions": "Indexing functions",
    "_linear_algebra_functions": "Linear algebra functions",
    "_manipulation_functions": "Manipulation functions",
    "_searching_functions": "Searching functions",
    "_set_functions": "Set functions",
    "_sorting_functions": "Sorting functions",
    "_statistical_functions": "Statistical functions",
    "_utility_functions": "Utility functions",
    "_info": "Inspection",
    "_config": "Configuration and backends",
    "_backends": "Configuration and backends",
    "io": "Serialization",
    "_array_object": "Classes",
    "_core": "Classes",
    "_device": "Classes",
    "_dtypes": "Data types and constants",
}

# Array members that are Python machinery rather than API.
_ARRAY_SKIP = {
    "__init__", "__slots__", "__module__", "__doc__", "__weakref__", "__hash__",
    "__init_subclass__", "__annotations__", "__getstate__", "__setstate__", "__reduce_ex__",
    "__array_priority__", "__array_ufunc__", "__str__",
}  # fmt: skip


@dataclasses.dataclass
class Entry:
    """One public name: where it lives, what the standard says of it, what the build ran."""

    module: str  # "storax", "storax.linalg", ..., or "storax.Array"
    name: str
    obj: Any
    page: str = ""
    since: str = ""
    spec_url: str = ""
    returns: str = ""
    backends: list[str] = dataclasses.field(default_factory=list)
    example: str = ""
    error: str = ""

    @property
    def qualname(self) -> str:
        return f"{self.module}.{self.name}"

    @property
    def anchor(self) -> str:
        """The id of the entry's heading: its path, or for Array members the path of the
        class that defines them (the base or the default backend's family, where the
        composition step wires operators), which is where mkdocstrings documents them."""
        if self.is_data:
            # Note: ``__x__`` inside a heading's attribute list reads as Markdown emphasis
            return self.qualname.replace("__", "--")
        if self.module != "storax.Array":
            return self.qualname
        owner = next(c for c in _FAMILY.__mro__ if self.name in vars(c))
        return f"{owner.__module__}.{owner.__qualname__}.{self.name}"

    @property
    def is_data(self) -> bool:
        return not callable(self.obj) and not isinstance(self.obj, property)

    @property
    def summary(self) -> str:
        doc = inspect.getdoc(self.obj) if not self.is_data else ""
        for line in (doc or "").splitlines():
            line = line.strip()
            if line and not line.startswith("http"):
                return line
        return ""


# ------------------------------------------------------------------------ collecting
def _spec_chapter(module: str, name: str) -> tuple[str, str]:
    """(chapter, since) of a name in the standard, or ("", "") for storax's own names."""
    for version in ("2024.12", "2025.12"):
        for chapter, names in SPEC_NAMES[version].items():
            in_module = {
                "storax.linalg": chapter == "linalg",
                "storax.fft": chapter == "fft",
                "storax.Array": chapter == "array_object",
            }.get(module, chapter not in ("linalg", "fft", "array_object", "info"))
            if module == "storax" and chapter == "info" and name.startswith("__"):
                in_module = True
            if in_module and name in names:
                return chapter, version
    return "", ""


def _spec_url(entry: Entry, chapter: str) -> str:
    doc = getattr(entry.obj, "__doc__", None) if not entry.is_data else None
    m = re.search(r"https://data-apis\.org/array-api/\S+?\.html", doc or "")
    if m:
        return m.group(0)
    if not chapter:
        return ""
    if chapter == "constants":
        return f"{SPEC}API_specification/generated/array_api.constants.{entry.name}.html"
    if chapter == "data_types":
        return f"{SPEC}API_specification/data_types.html"
    if chapter == "array_object":
        return f"{SPEC}API_specification/generated/array_api.array.{entry.name}.html"
    return ""


def _section(entry: Entry) -> str:
    if entry.module != "storax":
        return {
            "storax.linalg": "storax.linalg",
            "storax.fft": "storax.fft",
            "storax.io": "storax.io",
            "storax.Array": "Array methods and attributes",
        }[entry.module]
    obj = entry.obj
    if isinstance(obj, np.dtype) or entry.is_data:
        return "Data types and constants"
    mod = getattr(obj, "__module__", "storax") or "storax"
    parts = mod.split(".")
    key = parts[1] if len(parts) > 1 else "_config"
    return SECTION_TITLES.get(key, key.strip("_").replace("_", " ").capitalize())


def _slug(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")


def array_members() -> list[str]:
    """The Array class's public methods and attributes (operators included)."""
    names = []
    # the default backend's family: the Array base and what every family adds to it
    # (operators are wired onto the families by the composition step)
    for cls in reversed(_FAMILY.__mro__[:-1]):
        for name in vars(cls):
            private = name.startswith("_") and not name.endswith("__")
            if not private and name not in _ARRAY_SKIP and name not in names:
                names.append(name)
    return names


def collect() -> list[Entry]:
    """Every public name of storax, storax.linalg, storax.fft, storax.io and Array."""
    entries: list[Entry] = []
    for module in (sx, sx.linalg, sx.fft, sx.io):
        for name in module.__all__:
            entries.append(Entry(module.__name__, name, getattr(module, name)))
    for name in array_members():
        entries.append(Entry("storax.Array", name, inspect.getattr_static(_FAMILY, name)))
    for e in entries:
        chapter, e.since = _spec_chapter(e.module, e.name)
        if isinstance(e.obj, np.dtype):
            chapter, e.since = "data_types", "2024.12"
        e.spec_url = _spec_url(e, chapter)
        e.page = _slug(_section(e))
        e.returns = _returns(e)
    return entries


def _returns(e: Entry) -> str:
    key = f"{e.module}.{e.name}"
    if key in RETURNS:
        return RETURNS[key]
    if e.is_data or inspect.isclass(e.obj) or e.name in NOT_ARRAY_RETURNING:
        return ""
    if e.module in ("storax", "storax.Array", "storax.linalg") and e.name in VIEWS:
        return "view"
    if e.module == "storax.Array" and e.name.startswith("__i"):
        return "self, written in place"
    if e.module == "storax.Array" and e.name.endswith("_") and not e.name.endswith("__"):
        return "self, written in place"
    if e.module == "storax.io" or (e.module == "storax" and e.name in ("save", "load")):
        return ""
    return "copy"


# --------------------------------------------------------------------------- running
class ExampleError(Exception):
    """An example or docstring example did not run as written."""


def _prompt(src: str) -> list[str]:
    first, *rest = src.splitlines()
    return [">>> " + first, *("... " + r for r in rest)]


def _run_lines(lines: list[str], ns: dict[str, Any], out: list[str]) -> Any:
    """Run statements as an interpreter would, appending them and their outputs to ``out``
    (pycon style); return the last value."""
    value = None
    for src in lines:
        out += _prompt(src)
        try:
            code = compile(src, "<example>", "eval")
        except SyntaxError:
            exec(compile(src, "<example>", "exec"), ns)
            value = None
            continue
        value = eval(code, ns)
        if value is not None:
            out += repr(value).splitlines()
    return value


def _namespace() -> dict[str, Any]:
    return {"sx": sx, "np": np}


@contextlib.contextmanager
def _backend(name: str) -> Any:
    with sx.use_backend(name):
        yield


def _example_lines(e: Entry) -> list[str] | None:
    key = e.qualname
    if key in EXAMPLES:
        return list(EXAMPLES[key])
    return _generated_example(e)


_SAMPLES = {
    "floating-point": "[0.25, 0.5, 1.0]",
    "real floating-point": "[0.25, 0.5, 1.0]",
    "complex floating-point": "[1 + 1j, 2 - 1j]",
    "numeric": "[-1.5, 1.0, 2.5]",
    "real-valued": "[-1.5, 1.0, 2.5]",
    "real-valued or boolean": "[-1.5, 1.0, 2.5]",
    "integer": "[1, 6, 12]",
    "signed integer": "[1, 6, 12]",
    "integer or boolean": "[1, 6, 12]",
    "boolean": "[True, False, True]",
    "any": "[1.0, 2.0, 3.0]",
}
_SAMPLES2 = {
    "integer": "[2, 3, 1]",
    "signed integer": "[2, 3, 1]",
    "integer or boolean": "[2, 3, 1]",
    "boolean": "[True, True, False]",
    "complex floating-point": "[1j, 1 + 0j]",
}
# Inputs inside the domain of functions the common sample would send to NaN.
_DOMAINS = {"acosh": "[1.0, 2.0, 4.0]", "atanh": "[-0.5, 0.0, 0.5]"}
# A dtype outside each category, for the error example.
_WRONG = {
    "floating-point": "[1, 2]",
    "real floating-point": "[1 + 1j, 2j]",
    "complex floating-point": "[1.0, 2.0]",
    "numeric": "[True, False]",
    "real-valued": "[1 + 1j, 2j]",
    "real-valued or boolean": "[1 + 1j, 2j]",
    "integer": "[1.0, 2.0]",
    "signed integer": "[1.0, 2.0]",
    "integer or boolean": "[1.0, 2.0]",
    "boolean": "[1.0, 2.0]",
}
_OPERATOR_SYMBOLS = {
    "add": "+", "sub": "-", "mul": "*", "truediv": "/", "floordiv": "//", "mod": "%",
    "pow": "**", "and": "&", "or": "|", "xor": "^", "lshift": "<<", "rshift": ">>",
    "eq": "==", "ne": "!=", "lt": "<", "le": "<=", "gt": ">", "ge": ">=", "matmul": "@",
}  # fmt: skip
_UNARY_SYMBOLS = {"neg": "-", "pos": "+", "abs": "abs", "invert": "~"}


def _category(func_name: str) -> str | None:
    if func_name in _ew.UNARY:
        return _ew.UNARY[func_name]
    if func_name in _ew.BINARY:
        return _ew.BINARY[func_name]
    return None


def _generated_example(e: Entry) -> list[str] | None:
    """Examples derived from the element-wise table and the operator tables."""
    name = e.name
    if e.module == "storax" and name in _ew.UNARY:
        cat = _ew.UNARY[name]
        sample = _DOMAINS.get(name, _SAMPLES[cat])
        return [f"x = sx.asarray({sample})", f"sx.{name}(x)"]
    if e.module == "storax" and name in _ew.BINARY:
        cat = _ew.BINARY[name]
        return [
            f"x1 = sx.asarray({_SAMPLES[cat]})",
            f"x2 = sx.asarray({_SAMPLES2.get(cat, '[2.0, 2.0, 0.5]')})",
            f"sx.{name}(x1, x2)",
        ]
    if e.module != "storax.Array":
        return None
    m = _dunder(name)
    if m and m[1] in _OPERATOR_SYMBOLS and m[1] != "matmul":
        kind, short = m
        func = {**_ops._ARITHMETIC, **_ops._COMPARISONS}[short]
        cat = _category(func) or "any"
        sym = _OPERATOR_SYMBOLS[short]
        lines = [
            f"x = sx.asarray({_SAMPLES[cat]})",
            f"y = sx.asarray({_SAMPLES2.get(cat, '[2.0, 2.0, 0.5]')})",
        ]
        if kind == "i":
            return [*lines, f"x {sym}= y", "x"]
        if kind == "r":
            return [lines[0], f"2 {sym} x"]
        return [*lines, f"x {sym} y"]
    if m and not m[0] and m[1] in _UNARY_SYMBOLS:
        cat = _category(_ops._UNARY[m[1]]) or "numeric"
        sym = _UNARY_SYMBOLS[m[1]]
        expr = "abs(x)" if sym == "abs" else f"{sym}x"
        return [f"x = sx.asarray({_SAMPLES[cat]})", expr]
    func = {"neg": "negative"}.get(name[:-1], name[:-1])
    if name.endswith("_") and not name.endswith("__") and func in _ew.UNARY:
        return ["x = sx.asarray([0.5, 1.0, 2.0])", "y = x[1:]", f"y.{name}()", "x"]
    return None


def _dunder(name: str) -> tuple[str, str] | None:
    """("", "add") for ``__add__``, ("r", "add") for ``__radd__``, ("i", ...) in place."""
    if not (name.startswith("__") and name.endswith("__")):
        return None
    short = name[2:-2]
    if short in _OPERATOR_SYMBOLS or short in _UNARY_SYMBOLS:
        return "", short
    if short[:1] in ("r", "i") and short[1:] in _OPERATOR_SYMBOLS:
        return short[0], short[1:]
    return None


# Element-wise functions that accept any dtype by design (docs/ecosystem.md, leniency).
_LENIENT = {"logical_and", "logical_or", "logical_xor", "logical_not"}


def _generated_error(e: Entry) -> list[str] | None:
    key = e.qualname
    if key in ERRORS:
        return list(ERRORS[key])
    if e.name in _LENIENT:
        return None
    if e.module == "storax" and e.name in _ew.UNARY:
        cat = _ew.UNARY[e.name]
        if cat in _WRONG:
            return [f"sx.{e.name}(sx.asarray({_WRONG[cat]}))"]
    if e.module == "storax" and e.name in _ew.BINARY:
        cat = _ew.BINARY[e.name]
        if cat in _WRONG:
            return [f"sx.{e.name}(sx.asarray({_WRONG[cat]}), sx.asarray({_WRONG[cat]}))"]
    return None


def _docstring_examples(e: Entry) -> list[doctest.Example]:
    doc = getattr(e.obj, "__doc__", None) if not e.is_data else None
    if isinstance(e.obj, property):
        doc = e.obj.__doc__
    if not doc or ">>>" not in doc:
        return []
    return doctest.DocTestParser().get_examples(inspect.cleandoc(doc))


def _run_docstring(e: Entry, check: bool) -> None:
    """Run the docstring's examples; with ``check``, compare their output as doctest does."""
    doc = inspect.cleandoc(getattr(e.obj, "__doc__", "") or "")
    module = sys.modules.get(getattr(e.obj, "__module__", None) or "storax", sx)
    globs = {**vars(module), **_namespace()}
    test = doctest.DocTestParser().get_doctest(doc, globs, e.qualname, None, 0)
    flags = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
    if check:
        runner = doctest.DocTestRunner(optionflags=flags)
        report: list[str] = []
        runner.run(test, out=report.append)
        if runner.failures:
            raise ExampleError("".join(report))
    else:
        ns = test.globs
        for ex in test.examples:
            exec(compile(ex.source, "<docstring>", "single"), ns)


def _format_error(lines: list[str]) -> str:
    ns = _namespace()
    shown: list[str] = []
    _run_lines(lines[:-1], ns, shown)
    try:
        _run_lines([lines[-1]], ns, shown)
    except (TypeError, ValueError, IndexError) as exc:
        shown += ["Traceback (most recent call last):", "    ...", f"{type(exc).__name__}: {exc}"]
        return "\n".join(shown)
    raise ExampleError(f"error example did not raise: {lines[-1]}")


def run(entries: list[Entry]) -> list[str]:
    """Run every entry's examples on every backend; return the problems found."""
    problems: list[str] = []
    with open(_devnull(), "w") as quiet, contextlib.redirect_stdout(quiet):
        for e in entries:
            lines = _example_lines(e)
            has_doc = bool(_docstring_examples(e))
            for backend in BACKENDS:
                try:
                    with _backend(backend):
                        if has_doc:
                            _run_docstring(e, check=backend == "numpy")
                        if lines is not None:
                            shown: list[str] = []
                            last = _run_lines(lines, _namespace(), shown)
                            if backend == "numpy":
                                e.example = "\n".join(shown)
                                if not e.since and e.returns == "copy":
                                    e.returns = _measured(last, e)
                    e.backends.append(backend)
                except ExampleError as exc:
                    problems.append(f"{e.qualname}: docstring example failed:\n{exc}")
                except Exception as exc:  # noqa: BLE001 - a backend that cannot run it
                    if backend == "numpy":
                        problems.append(f"{e.qualname}: example failed: {exc!r}")
            err = _generated_error(e)
            if err is not None:
                try:
                    e.error = _format_error(err)
                except ExampleError as exc:
                    problems.append(f"{e.qualname}: {exc}")
            sx.set_backend("numpy")
    return problems


def _measured(last: Any, e: Entry) -> str:
    """What a storax extension's example returned: copy, or nothing to say."""
    if isinstance(last, sx.Array):
        return "copy"
    return ""


def _devnull() -> str:
    import os

    return os.devnull


def missing_examples(entries: list[Entry]) -> list[str]:
    """Callables with neither a docstring example nor a run example."""
    return [
        e.qualname
        for e in entries
        if not e.is_data
        and not inspect.isclass(e.obj)
        and not e.example
        and not _docstring_examples(e)
    ]


# ------------------------------------------------------------------------- rendering
def pages(entries: list[Entry]) -> dict[str, tuple[str, list[Entry]]]:
    """slug -> (title, entries), in first-seen order."""
    out: dict[str, tuple[str, list[Entry]]] = {}
    for e in entries:
        title = _section(e)
        out.setdefault(e.page, (title, []))[1].append(e)
    return out


def _facts(e: Entry) -> list[str]:
    rows = []
    if e.spec_url:
        rows.append(f"[standard]({e.spec_url}) ({e.since})")
    elif e.since:
        rows.append(f"standard ({e.since})")
    else:
        rows.append("storax extension")
    if e.returns:
        rows.append(f"returns: **{e.returns}**")
    if e.backends:
        rows.append("backends: " + ", ".join(BACKEND_TITLES[b] for b in e.backends))
    return rows


def render_entry(e: Entry) -> str:
    out: list[str] = []
    if e.is_data:
        anchor = e.anchor
        out += [
            f"### `{e.qualname}` {{ #{anchor} }}",
            "",
            "```python",
            f"{e.qualname} = {e.obj!r}",
            "```",
            "",
        ]
    elif e.module == "storax.Array":
        out += [f"::: {e.anchor}", "    options:", "      show_root_full_path: false", ""]
    else:
        out += [f"::: {e.qualname}", ""]
    out += [" · ".join(_facts(e)), ""]
    if e.example:
        out += ["Example (run when this page was built):", "", "```pycon", e.example, "```", ""]
    if e.error:
        out += ["Error:", "", "```pycon", e.error, "```", ""]
    return "\n".join(out)


PAGE_INTROS = {
    "array-methods-and-attributes": (
        "Methods and attributes of `storax.Array`: the standard's array object, PyTorch's "
        "storage API (`storage()`, `stride()`, `view()`, in-place `_` methods) and the "
        "operators."
    ),
}


def render_page(title: str, entries: list[Entry]) -> str:
    out = [f"# {title}", ""]
    slug = _slug(title)
    if slug in PAGE_INTROS:
        out += [PAGE_INTROS[slug], ""]
    out += [
        "Generated from `__all__` when the site was built; every example below ran then, "
        "and *backends* lists the backends it ran on.",
        "",
    ]
    out += [render_entry(e) for e in entries]
    return "\n".join(out)


def render_index(entries: list[Entry]) -> str:
    groups = pages(entries)
    out = [
        "# Reference",
        "",
        f"storax {sx.__version__}: {len(entries)} public names, generated from the `__all__` "
        "of `storax`, `storax.linalg`, `storax.fft` and `storax.io` and from the members of "
        "`storax.Array`. Each entry gives the signature, the docstring, a link to the "
        "standard's page, whether the result is a view of its input's storage or a copy "
        "(see [views and copies](../views.md)), the backends its example ran on, and an "
        "example that ran when this site was built.",
        "",
        "| page | names |",
        "|---|---|",
    ]
    for slug, (title, es) in groups.items():
        out.append(f"| [{title}]({slug}.md) | {len(es)} |")
    return "\n".join(out) + "\n"


def render_status(entries: list[Entry]) -> str:
    """The API status table: every public name and every name of the standard."""
    out = [
        "# API status",
        "",
        "Generated from `__all__` and `conformance/spec_names.json` (the names of the "
        "pinned standard) when the site was built. *Returns* is `view` when the result "
        "shares its input's storage (from `conformance/status.py`, tested in "
        "`tests/test_views.py`); *backends* lists where the reference example ran. "
        "Results of the official suite are on the [conformance](conformance.md) page.",
        "",
        "| name | standard | returns | backends |",
        "|---|---|---|---|",
    ]
    for e in entries:
        link = f"[`{e.qualname}`](reference/{e.page}.md#{e.anchor})"
        std = f"[{e.since}]({e.spec_url})" if e.spec_url else (e.since or "storax")
        backends = ", ".join(BACKEND_TITLES[b] for b in e.backends) or "—"
        out.append(f"| {link} | {std} | {e.returns or '—'} | {backends} |")
    have = {(e.module, e.name) for e in entries}
    missing = []
    for chapter, names in SPEC_NAMES["2025.12"].items():
        module = {"linalg": "storax.linalg", "fft": "storax.fft", "array_object": "storax.Array"}
        for name in names:
            mod = module.get(chapter, "storax")
            if chapter == "info" and not name.startswith("__"):
                continue  # methods of the object __array_namespace_info__() returns
            if (mod, name) not in have:
                missing.append(f"`{mod}.{name}`")
    out += ["", f"Names of the 2025.12 standard without an entry: {', '.join(missing) or 'none'}."]
    info = sx.__array_namespace_info__()
    members = [n for n in SPEC_NAMES["2025.12"].get("info", []) if not n.startswith("__")]
    present = [n for n in members if hasattr(info, n)]
    out += [
        "",
        f"`__array_namespace_info__()` has {len(present)} of the standard's "
        f"{len(members)} inspection methods: {', '.join(f'`{n}`' for n in present)}.",
    ]
    return "\n".join(out) + "\n"
