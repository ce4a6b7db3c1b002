"""MkDocs hooks: storax's version, generated reference pages, figures and doctested pages."""

from __future__ import annotations

import doctest
import logging
import os
import pathlib
import re
import sys
import time
from typing import Any

from mkdocs.structure.files import File, Files

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
# The tutorial runs SciPy on storax arrays; JAX imports SciPy, so set this before JAX loads.
os.environ.setdefault("SCIPY_ARRAY_API", "1")

import figures  # noqa: E402
import reference  # noqa: E402

log = logging.getLogger("mkdocs.hooks.storax")
sx = reference.sx

# Pages whose ``>>>`` examples run during the build (fenced code blocks in pycon style).
DOCTESTED = ("tutorial/", "storage-model.md")
_ENTRIES: list[reference.Entry] = []
_PERF_MARKERS = (
    ("<!-- numpy-section-begin -->", "<!-- numpy-section-end -->", "numpy", "NumPy backend, CPU"),
    ("<!-- jax-section-begin -->", "<!-- jax-section-end -->", "jax-cpu", "JAX backend, CPU"),
    ("<!-- jax-gpu-begin -->", "<!-- jax-gpu-end -->", "jax-gpu", "JAX backend, GPU"),
)


def on_config(config: Any) -> Any:
    """Add the version to the site name and the generated reference pages to the nav."""
    config["site_name"] = f"storax {sx.__version__}"
    config.setdefault("extra", {})["version"] = sx.__version__
    start = time.perf_counter()
    entries = reference.collect()
    problems = reference.run(entries)
    for p in problems:
        log.error(p)
    for name in reference.missing_examples(entries):
        log.warning(f"reference: {name} has no example that ran")
    _ENTRIES[:] = entries
    log.info(f"reference: {len(entries)} entries run in {time.perf_counter() - start:.1f} s")
    for item in config["nav"]:
        if isinstance(item, dict) and "Reference" in item:
            ref = ["reference/index.md"]
            for slug, (title, _) in reference.pages(entries).items():
                ref.append({title: f"reference/{slug}.md"})
            item["Reference"] = ref
    return config


def on_files(files: Files, config: Any) -> Files:
    """Generated pages (reference, API status) and figures, none of them written to docs/."""
    entries = _ENTRIES

    def add(path: str, content: str | bytes) -> None:
        existing = files.get_file_from_path(path)
        if existing is not None:
            files.remove(existing)
        files.append(File.generated(config, path, content=content))

    add("reference/index.md", reference.render_index(entries))
    for slug, (title, es) in reference.pages(entries).items():
        add(f"reference/{slug}.md", reference.render_page(title, es))
    add("status.md", reference.render_status(entries))
    for path, png in _storage_figures().items():
        add(path, png)
    perf = pathlib.Path(config["docs_dir"], "performance.md").read_text()
    for begin, end, slug, title in _PERF_MARKERS:
        png = figures.performance_plot(perf, begin, end, title)
        if png is not None:
            add(f"figures/performance-{slug}.png", png)
    return files


def _storage_figures() -> dict[str, bytes]:
    with sx.use_backend("numpy"):
        points = sx.asarray([[4.0, 1.0], [5.0, 3.0], [2.0, 1.0]])
        return {
            "figures/storage-points.png": figures.storage_figure(
                points,
                {
                    "points": points,
                    "points[1]": points[1],
                    "points[:, 0]": points[:, 0],
                    "points.t()": points.t(),
                },
            ),
            "figures/storage-views.png": figures.storage_figure(
                sx.arange(8.0),
                {
                    "x = arange(8.0)": (x := sx.arange(8.0)),
                    "x[1:7:2]": x[1:7:2],
                    "x[::-1]": x[::-1],
                    "x.view(2, 4)[:, 1:3]": x.view(2, 4)[:, 1:3],
                },
            ),
        }


def on_page_markdown(markdown: str, page: Any, config: Any, files: Files) -> str:
    """Run the page's examples (tutorial pages) and add the benchmark plots (performance)."""
    src = page.file.src_uri
    if src.startswith(DOCTESTED[0]) or src in DOCTESTED[1:]:
        _doctest_page(markdown, src)
    if src == "performance.md":
        for _begin, end, slug, title in _PERF_MARKERS:
            if files.get_file_from_path(f"figures/performance-{slug}.png") is None:
                continue
            plot = f"![{title}: storax / reference per operation](figures/performance-{slug}.png)"
            markdown = markdown.replace(end, f"{plot}\n\n{end}")
    return markdown


def _doctest_page(markdown: str, name: str) -> None:
    """Run every ``>>>`` example of a page as one doctest (fence lines become blank)."""
    text = re.sub(r"^\s*```.*$", "", markdown, flags=re.M)
    parser = doctest.DocTestParser()
    test = parser.get_doctest(text, {"__name__": "__main__"}, name, name, 0)
    if not test.examples:
        return
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    report: list[str] = []
    try:
        runner.run(test, out=report.append, clear_globs=True)
    finally:
        sx.set_backend("numpy")
        sx.set_default_dtype("float32")
    if runner.failures:
        log.error(
            f"{name}: {runner.failures} of {len(test.examples)} examples failed\n" + "".join(report)
        )
    else:
        log.info(f"{name}: {len(test.examples)} examples ran")
