"""Figures drawn at build time: views over a storage (from storax's Layout) and benchmark plots."""

from __future__ import annotations

import io
import re
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.patches import Rectangle  # noqa: E402

_VIEW_COLOURS = ("#3f51b5", "#e65100", "#2e7d32", "#ad1457")


def _png(fig: Any) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110, bbox_inches="tight")
    plt.close(fig)
    return buf.getvalue()


def storage_figure(base: Any, views: dict[str, Any]) -> bytes:
    """The storage of ``base`` as a row of cells, and each view's elements marked on it.

    Every position comes from the arrays themselves: ``storage()`` for the cells,
    ``layout().element_indices()``-style arithmetic from ``storage_offset()`` and
    ``stride()`` for where each view's elements are.
    """
    storage = base.storage()
    values = [storage[i] for i in range(len(storage))]
    n = len(values)
    rows = len(views)
    fig, ax = plt.subplots(figsize=(1.0 + 0.9 * n, 1.2 + 0.95 * rows))
    top = rows + 0.2
    for i, v in enumerate(values):
        ax.add_patch(Rectangle((i, top), 1, 0.8, facecolor="#eceff1", edgecolor="#37474f"))
        ax.text(i + 0.5, top + 0.4, f"{v:g}", ha="center", va="center", fontsize=11)
        ax.text(i + 0.5, top + 0.95, str(i), ha="center", va="bottom", fontsize=8, color="#546e7a")
    ax.text(-0.15, top + 0.4, "storage", ha="right", va="center", fontsize=10)
    for row, (label, view) in enumerate(views.items()):
        colour = _VIEW_COLOURS[row % len(_VIEW_COLOURS)]
        y = rows - 1 - row + 0.1
        indices = _storage_indices(view)
        for k, idx in enumerate(indices):
            ax.add_patch(
                Rectangle((idx + 0.1, y), 0.8, 0.6, facecolor=colour, alpha=0.85, edgecolor="none")
            )
            ax.text(idx + 0.5, y + 0.3, str(k), ha="center", va="center", color="white")
        desc = (
            f"{label}\nshape={tuple(view.shape)} stride={view.stride()} "
            f"offset={view.storage_offset()}"
        )
        ax.text(-0.15, y + 0.3, desc, ha="right", va="center", fontsize=9, color=colour)
    ax.set_xlim(-0.1, n + 0.1)
    ax.set_ylim(-0.1, top + 1.3)
    ax.set_aspect("equal")
    ax.axis("off")
    return _png(fig)


def _storage_indices(view: Any) -> list[int]:
    """Storage index of each element of ``view``, in row-major order of the view."""
    offset, strides, shape = view.storage_offset(), view.stride(), tuple(view.shape)
    out = [offset]
    for size, stride in zip(shape, strides, strict=True):
        out = [base + k * stride for base in out for k in range(size)]
    return out


def _table(section: str, column: int) -> list[tuple[str, float]]:
    """(operation, ratio) rows of the first table in ``section`` whose last column is a ratio."""
    rows = []
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) > 2 and re.fullmatch(r"[\d.]+×", cells[column]) and cells[column] != "0.00×":
            rows.append((cells[0], float(cells[column][:-1])))
    return rows


def performance_plot(markdown: str, begin: str, end: str, title: str) -> bytes | None:
    """A bar chart of the ratio column of the tables between two markers of performance.md."""
    m = re.search(re.escape(begin) + r"(.*?)" + re.escape(end), markdown, re.S)
    if not m:
        return None
    rows = _table(m.group(1), -1)
    if not rows:
        return None
    fig, ax = plt.subplots(figsize=(7.5, 0.32 * len(rows) + 1.2))
    labels = [r[0] for r in rows][::-1]
    ratios = [r[1] for r in rows][::-1]
    colours = ["#2e7d32" if r <= 1.0 else "#3f51b5" for r in ratios]
    ax.barh(labels, ratios, color=colours)
    ax.axvline(1.0, color="#37474f", linewidth=1, linestyle="--")
    ax.set_xscale("log")
    ax.set_xlabel("time ratio, storax / reference (log scale; < 1 is faster)")
    ax.set_title(title)
    for y, r in enumerate(ratios):
        ax.text(r, y, f" {r:g}×", va="center", fontsize=8)
    ax.tick_params(axis="y", labelsize=8)
    return _png(fig)
