"""ContentsList: the table of contents, with bookmark and note markers.

A ``RowList`` rather than Textual's ``Tree``: a report's contents are a
fixed, shallow list, and drawing it this way costs a fraction of a tree's
start-up and render time. Labels are built as ``rich.text.Text``
from plain section titles (report text), never parsed as markup.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cached_property

from rich.text import Text
from textual.geometry import Size
from textual.message import Message
from textual.scrollbar import ScrollBar

from briefing.model import Report, Section, number_gap
from briefing.section_table import section_column
from briefing.text import cell_width, truncate_cells
from briefing.tui.same_frame import in_this_frame
from briefing.tui.scrollbars import cached_vertical_scrollbar
from briefing.tui.widgets.row_list import RowList

#: Seconds without a key before the list scrolls to a section found by a search.
FOLLOW_LATER_AFTER = 0.15


class ContentsList(RowList):
    """Sections and their items in document order; ★ bookmarked, ✎n notes."""

    DEFAULT_CSS = """
    ContentsList {
        width: 28%;
        min-width: 18;
        max-width: 34;
        border-right: vkey $foreground 20%;
        background: $surface;
    }
    ContentsList > .contents--number { text-style: bold; }
    ContentsList > .contents--bookmark { color: $error; text-style: bold; }
    ContentsList > .contents--note { color: $success; text-style: bold; }
    """

    COMPONENT_CLASSES = {"contents--number", "contents--bookmark", "contents--note"}

    class SectionChosen(Message):
        """The user picked a section (Enter or a click)."""

        def __init__(self, section_id: str) -> None:
            self.section_id = section_id
            super().__init__()

    def __init__(self, report: Report, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.report = report
        # The report's own sequence: from the cache, a section is made only when
        # its row is drawn (a 19 MB report has ~40,000 of them).
        self.sections: Sequence[Section] = report.sections
        self._ids = section_column(report.sections, "id")
        self._bookmarked: set[str] = set()
        self._note_counts: dict[str, int] = {}
        self.row_count = len(self.sections)
        self.virtual_size = Size(0, self.row_count)
        self._later: str | None = None  # a section to follow at the next pause
        self._later_timer = None

    def on_mount(self) -> None:
        # A list longer than the terminal shows its scrollbar from the first layout
        # on; found only by that layout (as Textual does), it cost the first paint
        # a second layout and a redraw of the list's column.
        if self.row_count > self.app.size.height:
            self.show_vertical_scrollbar = True

    @property
    def vertical_scrollbar(self) -> ScrollBar:
        """Drawn again only when its thumb moves (see ``tui.scrollbars``)."""
        return cached_vertical_scrollbar(self)

    @property
    def cursor_section(self) -> str:
        return self._ids[self.cursor] if self._ids else ""

    def set_markers(self, bookmarked: set[str], note_counts: dict[str, int]) -> None:
        """Update ★ and ✎ markers."""
        self._bookmarked = set(bookmarked)
        self._note_counts = dict(note_counts)
        self.redraw()

    def refresh_labels(self) -> None:
        """Redraw every label (after a theme change)."""
        self.redraw()

    def follow(self, section_id: str, *, later: bool = False) -> None:
        """Put the cursor on the section being read, without choosing it.

        ``later``: a section off the list's screen is followed at the next pause
        in the typing (a search as you type jumps far at every key: scrolling the
        list redrew all its rows, a third of such a key's frame, for a place the
        next key moves again). A section on screen is followed at once.
        """
        # A row is the section's place in the report: no second index by id.
        row = self.report.index_of(section_id) if self.report.has_section(section_id) else None
        self._later = None
        if row is None or row == self.cursor:
            return
        top, rows = round(self.scroll_y), self.scrollable_content_region.height
        off_screen = rows > 2 and not top <= row < top + rows
        if off_screen and later:
            self._later = section_id
            if self._later_timer is None:
                self._later_timer = self.set_timer(FOLLOW_LATER_AFTER, self._follow_later)
            return
        if off_screen:
            # Off the list: bring it to the middle, with the sections around it.
            # Scrolled just enough, it stayed on the last row and every next
            # section scrolled (and redrew) the whole list again.
            self.scroll_to(y=max(0, row - rows // 2), animate=False, immediate=True)
        self.move_cursor(row)
        in_this_frame(self)  # with the page's own change, not a frame later

    def _follow_later(self) -> None:
        """Follow the section left for later once input has paused."""
        self._later_timer = None
        if self._later is None or not self.is_attached:
            return
        collector = getattr(self.app, "idle_collector", None)
        quiet = FOLLOW_LATER_AFTER if collector is None else collector.quiet_for()
        if quiet < FOLLOW_LATER_AFTER:  # still typing: wait for the pause
            self._later_timer = self.set_timer(FOLLOW_LATER_AFTER - quiet, self._follow_later)
            return
        self.follow(self._later)

    def select_section(self, section_id: str) -> None:
        """Choose a section as the user would."""
        self.follow(section_id)
        self.post_message(self.SectionChosen(section_id))

    def row_chosen(self, index: int) -> None:
        self.post_message(self.SectionChosen(self._ids[index]))

    def render_row(self, index: int, width: int) -> Text:
        return self.label_of(self._ids[index], width)

    @cached_property
    def _labels(self) -> tuple[Sequence[str], Sequence[str]]:
        """Every section's number and title: a report from the cache has them as
        columns, so a row is drawn without making its section (which reads and
        decodes the section's whole text)."""
        return section_column(self.sections, "number"), section_column(self.sections, "title")

    @cached_property
    def _levels(self) -> Sequence[int]:
        """Every section's level, read once: a report not from the cache has no
        column, and reading 10,000 sections' levels for each row drawn cost ~3 ms
        a row (13 ms of a search key at 5 MB)."""
        return section_column(self.sections, "level")

    def _label(self, index: int) -> tuple[str, str]:
        """A section's number and title: from the cache one row is decoded, not
        the whole column (the first paint draws ~40 of 10,000 rows at 5 MB)."""
        label = getattr(self.sections, "label", None)
        if label is not None:
            return label(index)  # type: ignore[no-any-return]
        numbers, titles = self._labels
        return numbers[index], titles[index]

    def label_of(self, section_id: str, width: int = 80) -> Text:
        """The label shown for a section at ``width`` cells (plain spans only)."""
        index = self.report.index_of(section_id)
        number, title = self._label(index)
        level = self._levels[index]
        number_style = self.component_style("contents--number")
        indent = "  " * (level - 1)
        markers = Text()
        if section_id in self._bookmarked:
            markers.append(" ★", self.component_style("contents--bookmark"))
        count = self._note_counts.get(section_id, 0)
        if count:
            markers.append(f" ✎{count}", self.component_style("contents--note"))
        number += number_gap(number)  # 第一章 总则, not 第一章总则
        room = width - cell_width(indent) - cell_width(number) - cell_width(markers.plain)
        label = Text(indent, no_wrap=True, end="")
        label.append(number, number_style)
        label.append(truncate_cells(title, max(room, 2)))
        label.append_text(markers)
        return label

    def get_content_width(self, container: Size, viewport: Size) -> int:
        numbers, titles = self._labels
        widest = max(map(cell_width, map(str.__add__, numbers, titles)), default=0)
        return widest + 4
