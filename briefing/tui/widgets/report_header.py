"""ReportHeader: Textual's header, with search hits in the report's title marked.

The title is searched like the report's text (hits in the pseudo-section
``"title"`` come first in document order); the reader shows them where the
title is shown. The title stays plain text (``Content``, never markup).
"""

from __future__ import annotations

from textual.color import Color
from textual.content import Content
from textual.widgets import Header


def _background(variables: dict[str, str], name: str, fallback: str) -> str:
    try:
        return Color.parse(variables.get(name, fallback)).hex
    except Exception:  # a user theme with a bad value must not break the header
        return fallback


class ReportHeader(Header):
    """The header; ``mark_title`` highlights spans of the title."""

    def __init__(self) -> None:
        super().__init__()
        self._marks: list[tuple[int, int, bool]] = []

    def mark_title(self, marks: list[tuple[int, int, bool]]) -> None:
        """``(start, end, current)`` spans of the screen's title to highlight."""
        if marks != self._marks:
            self._marks = list(marks)
            if self.is_mounted:
                self.query_one("HeaderTitle").update(self.format_title())  # type: ignore[attr-defined]

    def format_title(self) -> Content:
        title = Content(self.screen_title)
        if self._marks:
            variables = self.app.theme_variables
            if self.app.no_color:
                hit, current = "underline bold", "reverse bold"
            else:
                hit = f"on {_background(variables, 'search-hit', '#5f5f00')}"
                current = f"bold on {_background(variables, 'search-current', '#af8700')}"
            for start, end, is_current in self._marks:
                title = title.stylize(current if is_current else hit, start, end)
        sub_title = Content(self.screen_sub_title)
        if sub_title:
            return Content.assemble(title, (" — ", "dim"), sub_title.stylize("dim"))
        return title
