"""Writing a benchmark's section into docs/performance.md between its begin/end markers
(other sections, and hand-written text outside markers, are kept)."""

from __future__ import annotations

import pathlib

PERFORMANCE_MD = pathlib.Path(__file__).resolve().parents[1] / "docs" / "performance.md"


def write_section(lines: list[str], begin: str, end: str) -> None:
    """Replace the text from ``begin`` to ``end`` with ``lines`` (which include both
    markers), or append them when the markers are not there yet."""
    text = PERFORMANCE_MD.read_text() if PERFORMANCE_MD.exists() else "# Performance\n"
    if begin in text:
        head, rest = text.split(begin, 1)
        text = head + "\n".join(lines) + rest.split(end, 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n" + "\n".join(lines) + "\n"
    PERFORMANCE_MD.write_text(text)
