"""ReadingStatus: one line under the page, as a pager's status line.

Left, the part being read (or the note on the paragraph under the cursor:
the contents only show ✎, so this is where a note's words are read); right,
``k/N`` top-level parts and how far down the report the screen is. Built
from plain text with ``rich.text.Text``, never markup: titles and notes are
report and user text.
"""

from __future__ import annotations

from rich.text import Text
from textual.geometry import Region
from textual.strip import Strip
from textual.widget import Widget

from briefing.text import cell_width, strip_control
from briefing.tui.cells import fit_text
from briefing.tui.kept_rows import KeptRows
from briefing.tui.same_frame import in_this_frame


class ReadingStatus(Widget):
    """Where the reader is in the report; the note under the cursor."""

    DEFAULT_CSS = """
    ReadingStatus {
        height: 1;
        background: $surface;
        color: $text-muted;
        padding: 0 1;
    }
    ReadingStatus > .status--note { color: $warning; }
    """

    COMPONENT_CLASSES = {"status--note"}

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._where = ""
        self._progress = ""
        self._note = ""
        self._busy = ""  # work under way, shown before the progress (indexing 37%)
        self._kept = KeptRows()  # a line shown before is not drawn again

    def set_busy(self, busy: str) -> None:
        """Say what is being done in the background ("" when nothing)."""
        if busy != self._busy:
            self._busy = busy
            self.refresh()

    def show(self, where: str, progress: str, note: str = "") -> None:
        """Set the three parts; repaint only when one changed."""
        note = " ".join(strip_control(note).split())
        if (where, progress, note) != (self._where, self._progress, self._note):
            self._where, self._progress, self._note = where, progress, note
            self.refresh()
            in_this_frame(self)  # with the page's own change, not a frame later

    def render_lines(self, crop: Region) -> list[Strip]:
        content = (self._where, self._progress, self._note, self._busy)
        return self._kept.rows(self, crop, content, super().render_lines)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._kept.clear()

    @property
    def text(self) -> str:
        """What the line says, plain (for tests and screen readers)."""
        return self.render().plain

    def render(self) -> Text:
        width = max(0, self.content_region.width or 80)
        right = Text(end="")
        if self._busy:
            right.append(self._busy + " · ", self.get_component_rich_style("status--note"))
        right.append(self._progress)
        room = max(0, width - cell_width(right.plain) - 1)
        left = Text(end="", no_wrap=True, overflow="ellipsis")
        if self._note:
            left.append("✎ " + self._note, self.get_component_rich_style("status--note"))
        else:
            left.append(strip_control(self._where))
        if cell_width(left.plain) > room:
            left = fit_text(left, room)
        gap = max(1, width - cell_width(left.plain) - cell_width(right.plain))
        return Text.assemble(left, " " * gap, right, end="", no_wrap=True)
