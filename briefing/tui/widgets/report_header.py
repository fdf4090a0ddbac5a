"""ReportHeader: Textual's header, with search hits in the title and metadata marked.

The title and the metadata header are searched like the report's text (hits
in the pseudo-sections ``"title"`` and ``"meta"`` come first in document
order); the reader shows them where the header shows them: in the title, and
in the sub-title (publisher · date, or the metadata field of the current hit).
Both stay plain text (``Content``, never markup).
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
        # Marks of the sub-title, with the text they were computed for: marks
        # left over from another sub-title are never drawn on the wrong words.
        self._sub_marks: tuple[str, list[tuple[int, int, bool]]] = ("", [])

    def _on_mount(self, event: Mount) -> None:
        # Header's own watchers update the title with a layout of the whole
        # screen; its box never changes size, so a repaint is enough (``n`` sets
        # the sub-title "/query 3/17" at every press).
        event.prevent_default()
        for node in (self.app, self.screen):
            self.watch(node, "title", self._show_title)
            self.watch(node, "sub_title", self._show_title)

    def _show_title(self) -> None:
        # Not ``query_one``: a title set while the header's parts are being
        # mounted or removed (a screen switched in right after the first paint)
        # finds none, and the next change or the mount itself shows it.
        titles = self.query(HeaderTitle) if self.is_mounted else ()
        for title in titles:
            title.update(self.format_title(), layout=False)

    def mark_title(self, marks: list[tuple[int, int, bool]]) -> None:
        """``(start, end, current)`` spans of the screen's title to highlight."""
        if marks != self._marks:
            self._marks = list(marks)
            self._show_title()

    def mark_sub_title(self, text: str, marks: list[tuple[int, int, bool]]) -> None:
        """``(start, end, current)`` spans of the sub-title ``text`` to highlight."""
        if (text, marks) != self._sub_marks:
            self._sub_marks = (text, list(marks))
            self._show_title()

    @property
    def sub_title_marks(self) -> list[tuple[int, int, bool]]:
        """The marks drawn in the sub-title now (none if it changed since)."""
        text, marks = self._sub_marks
        return marks if text == self.screen_sub_title else []

    def _mark(self, content: Content, marks: list[tuple[int, int, bool]]) -> Content:
        if not marks:
            return content
        variables = self.app.theme_variables
        if self.app.no_color:
            hit, current = "underline bold", "reverse bold"
        else:
            hit = f"on {_background(variables, 'search-hit', '#5f5f00')}"
            current = f"bold on {_background(variables, 'search-current', '#af8700')}"
        for start, end, is_current in marks:
            content = content.stylize(current if is_current else hit, start, end)
        return content

    def format_title(self) -> Content:
        title = self._mark(Content(self.screen_title), self._marks)
        sub_title = Content(self.screen_sub_title)
        if sub_title:
            sub_title = self._mark(sub_title.stylize("dim"), self.sub_title_marks)
            return Content.assemble(title, (" — ", "dim"), sub_title)
        return title
