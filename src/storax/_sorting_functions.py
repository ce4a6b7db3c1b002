"""_sorting_functions (spec chapter)."""

from __future__ import annotations

__all__: list[str] = []
