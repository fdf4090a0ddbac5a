"""ContentsList: the table of contents, with bookmark and note markers.

A small Line-API widget rather than Textual's ``Tree``: a report's contents
are a fixed, shallow list, and drawing it this way costs a fraction of a
tree's start-up and render time. Labels are built as ``rich.text.Text``
from plain section titles (report text), never parsed as markup.
"""

from __future__ import annotations

from rich.segment import Segment
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from briefing.model import Report, Section
from briefing.text import cell_width


def truncate_cells(label: str, cells: int) -> str:
    """Shorten ``label`` to at most ``cells`` terminal cells, ending in "…"."""
    if cell_width(label) <= cells:
        return label
    out, used = [], 0
    for char in label:
        width = cell_width(char)
        if used + width > cells - 1:
            break
        out.append(char)
        used += width
    return "".join(out) + "…"


class ContentsList(ScrollView, can_focus=True):
    """Sections and their items in document order; ★ bookmarked, ✎n notes."""

    DEFAULT_CSS = """
    ContentsList {
        width: 28%;
        min-width: 18;
        max-width: 34;
        height: 1fr;
        border-right: vkey $foreground 20%;
        background: $surface;
        scrollbar-size-vertical: 1;
        overflow-x: hidden;
    }
    ContentsList > .contents--cursor {
        background: $block-cursor-blurred-background;
    }
    ContentsList:focus > .contents--cursor {
        background: $block-cursor-background;
        color: $block-cursor-foreground;
        text-style: bold;
    }
    ContentsList > .contents--number { text-style: bold; }
    ContentsList > .contents--bookmark { color: $error; text-style: bold; }
    ContentsList > .contents--note { color: $success; text-style: bold; }
    """

    COMPONENT_CLASSES = {
        "contents--cursor",
        "contents--number",
        "contents--bookmark",
        "contents--note",
    }

    BINDINGS = [
        Binding("down,j", "move(1)", "Down", show=False, id="contents.down"),
        Binding("up,k", "move(-1)", "Up", show=False, id="contents.up"),
        Binding("home,g", "move_to(0)", "First", show=False, id="contents.first"),
        Binding("end,G", "move_to(-1)", "Last", show=False, id="contents.last"),
        Binding("pagedown", "move(10)", "Page down", show=False, id="contents.page_down"),
        Binding("pageup", "move(-10)", "Page up", show=False, id="contents.page_up"),
        Binding("enter,space", "choose", "Read", show=False, id="contents.choose"),
    ]

    class SectionChosen(Message):
        """The user picked a section (Enter or a click)."""

        def __init__(self, section_id: str) -> None:
            self.section_id = section_id
            super().__init__()

    def __init__(self, report: Report, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.report = report
        self.sections: list[Section] = list(report.sections)
        self._row_of = {section.id: row for row, section in enumerate(self.sections)}
        self.cursor = 0
        self._bookmarked: set[str] = set()
        self._note_counts: dict[str, int] = {}
        self._cache: dict[tuple[int, int, bool], Strip] = {}
        self.virtual_size = Size(0, len(self.sections))

    # ------------------------------------------------------------------ state

    @property
    def cursor_section(self) -> str:
        return self.sections[self.cursor].id if self.sections else ""

    def set_markers(self, bookmarked: set[str], note_counts: dict[str, int]) -> None:
        """Update ★ and ✎ markers."""
        self._bookmarked = set(bookmarked)
        self._note_counts = dict(note_counts)
        self._cache.clear()
        self.refresh()

    def refresh_labels(self) -> None:
        """Redraw every label (after a theme change)."""
        self._cache.clear()
        self.refresh()

    def follow(self, section_id: str) -> None:
        """Put the cursor on the section being read, without choosing it."""
        row = self._row_of.get(section_id)
        if row is not None and row != self.cursor:
            self._move_cursor(row)

    def select_section(self, section_id: str) -> None:
        """Choose a section as the user would."""
        self.follow(section_id)
        self.post_message(self.SectionChosen(section_id))

    def _move_cursor(self, row: int) -> None:
        row = max(0, min(row, len(self.sections) - 1))
        self.cursor = row
        self._cache.clear()
        self.refresh()
        self.scroll_to_region(Region(0, row, 1, 1), animate=False, immediate=True)

    # ------------------------------------------------------------------ input

    def action_move(self, delta: int) -> None:
        self._move_cursor(self.cursor + delta)

    def action_move_to(self, row: int) -> None:
        self._move_cursor(row if row >= 0 else len(self.sections) - 1)

    def action_choose(self) -> None:
        if self.sections:
            self.post_message(self.SectionChosen(self.cursor_section))

    def on_click(self, event: events.Click) -> None:
        row = event.y + int(self.scroll_offset.y)
        if 0 <= row < len(self.sections):
            self._move_cursor(row)
            self.post_message(self.SectionChosen(self.cursor_section))

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._cache.clear()

    # ------------------------------------------------------------------ rendering

    def label_of(self, section_id: str, width: int = 80) -> Text:
        """The label shown for a section at ``width`` cells (plain spans only)."""
        section = self.report.section(section_id)
        number_style = self.get_component_rich_style("contents--number", partial=True)
        indent = "  " * (section.level - 1)
        markers = Text()
        if section.id in self._bookmarked:
            markers.append(" ★", self.get_component_rich_style("contents--bookmark", partial=True))
        count = self._note_counts.get(section.id, 0)
        if count:
            note_style = self.get_component_rich_style("contents--note", partial=True)
            markers.append(f" ✎{count}", note_style)
        room = width - cell_width(indent) - cell_width(section.number) - markers.cell_len - 1
        label = Text(indent, no_wrap=True, end="")
        label.append(section.number, number_style)
        label.append(truncate_cells(section.title, max(room, 2)))
        label.append_text(markers)
        return label

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        row = scroll_y + y
        width = self.scrollable_content_region.width
        base = self.rich_style
        if row >= len(self.sections):
            return Strip.blank(width, base)
        is_cursor = row == self.cursor
        key = (row, width, is_cursor)
        strip = self._cache.get(key)
        if strip is None:
            label = self.label_of(self.sections[row].id, width - 1)
            line_style = base
            if is_cursor:
                line_style = base + self.get_component_rich_style("contents--cursor")
            label.stylize_before(line_style)
            segments = [Segment(" ", line_style), *label.render(self.app.console)]
            strip = Strip(segments).adjust_cell_length(width, line_style)
            self._cache[key] = strip
        return strip.crop(scroll_x, scroll_x + width)

    def get_content_width(self, container: Size, viewport: Size) -> int:
        return max((cell_width(s.label) for s in self.sections), default=0) + 4

