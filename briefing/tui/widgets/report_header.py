"""ReportHeader: Textual's header, with search hits in the report's title marked.

The title is searched like the report's text (hits in the pseudo-section
``"title"`` come first in document order); the reader shows them where the
title is shown. The title stays plain text (``Content``, never markup).
"""

from __future__ import annotations

from textual.color import Color
from textual.content import Content
from textual.events import Mount
from textual.widgets import Header
from textual.widgets._header import HeaderTitle


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

    def _on_mount(self, event: Mount) -> None:
        # Header's own watchers update the title with a layout of the whole
        # screen; its box never changes size, so a repaint is enough (``n`` sets
        # the sub-title "/query 3/17" at every press).
        event.prevent_default()
        for node in (self.app, self.screen):
            self.watch(node, "title", self._show_title)
            self.watch(node, "sub_title", self._show_title)

    def _show_title(self) -> None:
        if self.is_mounted:
            title = self.query_one(HeaderTitle)
            title.update(self.format_title(), layout=False)

    def mark_title(self, marks: list[tuple[int, int, bool]]) -> None:
        """``(start, end, current)`` spans of the screen's title to highlight."""
        if marks != self._marks:
            self._marks = list(marks)
            self._show_title()

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
