"""The layering of docs/design.md, checked on the source: which module may import what,
and no "which backend is this?" identity tests outside ``storax._backends``."""

from __future__ import annotations

import ast
import pathlib
import re

import pytest

SRC = pathlib.Path(__file__).resolve().parents[1] / "src" / "storax"
ARRAY_LIBRARIES = {"numpy", "jax", "jaxlib", "torch"}


def _modules() -> list[pathlib.Path]:
    return sorted(p for p in SRC.rglob("*.py"))


def _name(path: pathlib.Path) -> str:
    rel = path.relative_to(SRC.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: pathlib.Path) -> list[tuple[str, bool]]:
    """Every module ``path`` imports, resolved to absolute names, with whether the import
    is at module level (not inside a function)."""
    tree = ast.parse(path.read_text())
    module = _name(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    top_level = {id(n) for n in tree.body}
    for node in tree.body:  # imports inside top-level if/try blocks count as top level
        for child in ast.walk(node):
            if not isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                top_level.add(id(child))
            else:
                break
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [(a.name, id(node) in top_level) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            out.append((target, id(node) in top_level))
            out += [(f"{target}.{a.name}", id(node) in top_level) for a in node.names]
    return out


def _in_backends(module: str) -> bool:
    return module == "storax._backends" or module.startswith("storax._backends.")


MAY_USE_NUMPY = {"storax._dtypes"}


@pytest.mark.parametrize("path", _modules(), ids=_name)
def test_array_libraries_only_in_backends(path):
    """numpy/jax/torch: only in storax._backends (numpy also in _dtypes and io)."""
    module = _name(path)
    if _in_backends(module):
        return
    for target, _ in _imports(path):
        root = target.split(".")[0]
        if root not in ARRAY_LIBRARIES:
            continue
        allowed = root == "numpy" and (module in MAY_USE_NUMPY or module.startswith("storax.io"))
        assert allowed, f"{module} imports {target}: backend knowledge outside _backends/"


@pytest.mark.parametrize("path", _modules(), ids=_name)
def test_only_the_registry_is_imported_from_backends(path):
    """Outside _backends/, only the registry (storax._backends) is reached, never a
    backend module or family (storax._backends._numpy, ._jax_array, ...)."""
    module = _name(path)
    if _in_backends(module):
        return
    for target, _ in _imports(path):
        if target.startswith("storax._backends._"):
            # ``from ._backends import current`` is the registry's; ``_numpy`` is not
            raise AssertionError(f"{module} imports {target}: use the registry or the protocol")


@pytest.mark.parametrize("path", sorted((SRC / "_core").glob("*.py")), ids=_name)
def test_core_imports_nothing_above_it(path):
    for target, _ in _imports(path):
        if target.startswith("storax"):
            assert target.startswith("storax._core"), f"{_name(path)} imports {target}"
        assert target.split(".")[0] not in ARRAY_LIBRARIES


def test_array_base_knows_no_backend():
    """The public Array base reaches no backend module, and the registry only lazily."""
    for target, top in _imports(SRC / "_array_object.py"):
        assert not target.startswith("storax._backends._"), target
        if target.startswith("storax._backends"):
            assert not top, f"_array_object imports {target} at module level"
        assert not target.startswith("storax._") or target.split(".")[1] in {
            "_dtypes", "_core", "_device", "_backends", "_manipulation_functions",
            "_statistical_functions", "_data_type_functions", "_namespace", "io", "_printing",
            "_dlpack_exchange",
            "_names",
        }, target  # fmt: skip


STORAGE_PROTOCOL_MODULES = [
    "__init__.py", "_protocol.py", "_numpy.py", "_jax.py", "_torch.py", "_torch_value.py",
    "_torch_xp.py",
]  # fmt: skip
UPPER_LAYERS = re.compile(r"^storax\.(_array_object|_[a-z_]+_functions|linalg|fft|io|_compose)")


@pytest.mark.parametrize("name", STORAGE_PROTOCOL_MODULES)
def test_registry_and_storage_protocol_import_no_upper_layer(name):
    """The registry and the backends' storage halves import neither the Array layer nor
    the namespace chapters at module level (the families, imported last, build on them)."""
    for target, top in _imports(SRC / "_backends" / name):
        if top and UPPER_LAYERS.match(target):
            raise AssertionError(f"_backends/{name} imports {target} at module level")


IDENTITY = re.compile(
    r"\bis(?: not)? (?:_npb|np|jnp|_jaxb)\b|\bxp is\b|type\([^)]*\) is (?:not )?Array\b"
    r"|getattr\([^)]*[\"']jax[\"']|\bnp_\b|\b_npb\b"
)


@pytest.mark.parametrize("path", _modules(), ids=_name)
def test_no_backend_identity_tests_outside_backends(path):
    """Chapters ask capabilities (``backend.caps``), never identity (``xp is np``)."""
    if _in_backends(_name(path)):
        return
    for lineno, line in enumerate(path.read_text().splitlines(), 1):
        code = line.split("#", 1)[0]
        assert not IDENTITY.search(code), f"{_name(path)}:{lineno}: {line.strip()}"
