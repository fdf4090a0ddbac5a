"""ReaderView: the whole report as one scrolling document, laid out for CJK.

A Line-API widget: Textual's own wrapping would split ``202|1—2025年`` and
start lines with ``，``, so the view breaks lines itself (by terminal cells,
keeping numbers and figures whole) and renders each line from plain text
plus style spans. Report text never passes through markup.

Only what is on screen is wrapped. Every paragraph has a height: exact once
it has been wrapped, otherwise estimated from its length, so the virtual
height (and the scrollbar) covers the whole report from the first frame
while a 5 MB report costs no more to show than a short one. When paragraphs
above the top of the screen get their exact height the view scrolls by the
difference, so what the reader is looking at never jumps.
"""

from __future__ import annotations

import os
import time
from collections.abc import Collection, Iterable, Sequence
from itertools import pairwise
from operator import itemgetter
from typing import Any

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.color import Color
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.scrollbar import ScrollBar
from textual.selection import Selection
from textual.strip import Strip
from textual.timer import Timer

from briefing.i18n import N_, _
from briefing.model import Figure, Match, Note, Report
from briefing.text import line_text, strip_control, wrap_paragraphs
from briefing.tui.direct_lines import DirectRows
from briefing.tui.lean_strip import lean_strip
from briefing.tui.page import LineHeights, Page, Paragraph, SpanIndex
from briefing.tui.same_frame import in_this_frame
from briefing.tui.scrollbars import cached_vertical_scrollbar
from briefing.tui.search_state import NO_HITS, HitList
from briefing.tui.widgets.self_sized import SelfSizedScrollView

GUTTER = 3  # cursor bar, marker, space
DEFAULT_MEASURE = 40  # hanzi per line at most: a readable measure on a wide terminal
WRAP_CACHE_SIZE = 4096  # paragraphs × widths × span sets remembered
# Drawn lines remembered: a few screens. Each Strip carries seven little caches
# that the cyclic garbage collector walks; thousands of cached lines made its
# full collections cost tens of milliseconds, in the middle of a keystroke.
STRIP_CACHE_SIZE = 256
MARKS_KEPT = 1024  # lines whose marks are kept until the marks change (see _marks_key)
# Seconds without a frame or a key before the screen below is drawn ahead: longer
# than the gap between two keys of a held-down key, shorter than a reader's pause.
DRAW_AHEAD_AFTER = 0.07


# Tuples with named fields written out, not frozen dataclasses nor NamedTuples:
# this module is imported at every start, and ``@dataclass(frozen=True,
# slots=True)`` compiled six methods from source and built each class twice, a
# NamedTuple compiled its ``__new__`` (~1.7 M instructions a class). Equal and
# hashed by value (a drawn line's cache key holds its ``_Line``).
try:  # what a NamedTuple's fields are: a C descriptor reading one item of the tuple
    from _collections import _tuplegetter as _field
except ImportError:  # pragma: no cover - another Python

    def _field(index: int, doc: str) -> Any:
        return property(itemgetter(index), doc=doc)


class _Line(tuple):
    """A drawn line of the page: offsets in its paragraph's section text."""

    __slots__ = ()

    def __new__(
        cls, paragraph: int, start: int, end: int, first: bool = False, spacer: bool = False
    ) -> _Line:
        # first: the first line of its paragraph; spacer: the blank line after a
        # heading or a section.
        return tuple.__new__(cls, (paragraph, start, end, first, spacer))

    paragraph: int = _field(0, "")  # type: ignore[assignment]
    start: int = _field(1, "")  # type: ignore[assignment]
    end: int = _field(2, "")  # type: ignore[assignment]
    first: bool = _field(3, "")  # type: ignore[assignment]
    spacer: bool = _field(4, "")  # type: ignore[assignment]


class _Pass(tuple):
    """What every line of one render pass shares."""

    __slots__ = ()

    def __new__(cls, top: int, width: int, selection: Selection | None) -> _Pass:
        return tuple.__new__(cls, (top, width, selection))

    top: int = _field(0, "")  # type: ignore[assignment]  # document line at the top
    width: int = _field(1, "")  # type: ignore[assignment]  # inside the scrollbar
    selection: Selection | None = _field(2, "")  # type: ignore[assignment]


def _theme_style(variables: dict[str, str], name: str, fallback: str, **extra: Any) -> Style:
    value = variables.get(name, fallback)
    try:
        color = Color.parse(value).rich_color
    except Exception:  # a user theme with a bad value must not break reading
        color = Color.parse(fallback).rich_color
    if extra.pop("background", False):
        return Style(bgcolor=color, **extra)
    return Style(color=color, **extra)


def _measure_from_env() -> int:
    """``BRIEFING_MEASURE``: hanzi per line at most (0: as wide as the window)."""
    try:
        return max(0, int(os.environ.get("BRIEFING_MEASURE", DEFAULT_MEASURE)))
    except ValueError:
        return DEFAULT_MEASURE


class ReaderView(SelfSizedScrollView, can_focus=True):
    """The report with a paragraph cursor; scrolls through every section."""

    DEFAULT_CSS = """
    ReaderView {
        background: $background;
        padding: 0 1 0 0;
        scrollbar-gutter: stable;
    }
    """

    BINDINGS = [
        Binding("j,down", "cursor(1)", N_("Next ¶"), show=False, id="reader.cursor_down"),
        Binding("k,up", "cursor(-1)", N_("Prev ¶"), show=False, id="reader.cursor_up"),
        Binding("g,home", "cursor_edge(0)", N_("Top"), show=False, id="reader.top"),
        Binding("G,end", "cursor_edge(1)", N_("Bottom"), show=False, id="reader.bottom"),
        Binding("space,pagedown", "page(1)", N_("Page down"), show=False, id="reader.page_down"),
        Binding("pageup", "page(-1)", N_("Page up"), show=False, id="reader.page_up"),
    ]

    class CursorMoved(Message):
        """The paragraph cursor is on a new paragraph (maybe a new section)."""

        def __init__(self, section_id: str, paragraph: int) -> None:
            self.section_id = section_id
            self.paragraph = paragraph  # index of the paragraph within its section
            super().__init__()

    class ViewChanged(Message):
        """Scrolled, or the notes changed: the status line is to be shown again."""

    class Resized(Message):
        """The view has a new size: the screen decides whether the contents fit."""

    def __init__(self, report: Report, *, name: str | None = None, id: str | None = None) -> None:
        super().__init__(name=name, id=id)
        self.report = report
        self.page = Page(report)
        self.paragraphs: Sequence[Paragraph] = self.page.paragraphs
        self.cursor = 0
        self.measure = _measure_from_env()
        self.figures: SpanIndex[Figure] = SpanIndex()
        self.hits: HitList | SpanIndex[Match] = NO_HITS
        self.current_hit: Match | None = None
        self.notes: SpanIndex[Note] = SpanIndex()
        self.bookmarked: set[str] = set()
        # Layout for the current text width: wrapped breaks (None until the
        # paragraph is shown), heights in lines, first line of each paragraph.
        self._layout_width = -1
        self._margin = 0  # blank cells left of the gutter, centring the text column
        self._breaks: list[list[tuple[int, int]] | None] = []
        self._lines = LineHeights([])  # each paragraph's height, where each starts
        self._theme_styles: dict[str, Style] = {}
        # Drawn lines by what they show (see _line_key), and what each row of
        # the page showed when last drawn: a change of marks or cursor then
        # repaints only the rows whose look changed.
        self._cache: dict[tuple, Strip] = {}
        self._direct_rows = DirectRows()  # finished rows by drawn line (see tui.direct_lines)
        self._texts: dict[tuple, tuple[list[Segment], int]] = {}  # see _text_run
        self._painted: dict[int, tuple] = {}
        self._drawn_size = Size(0, 0)  # the view's size when its lines were last drawn
        self._wrap_cache: dict[tuple, list[tuple[int, int]]] = {}
        self._marks_seen: dict[tuple[str, int, int], tuple[tuple, tuple, tuple]] = {}
        self._said: tuple[str, float] = ("", 0.0)  # the last edge notice, until when (_say_once)
        self._rows_to_check = False  # marks or the cursor changed: compare rows at the next paint
        self._pass: _Pass | None = None  # set while Textual draws the view's lines
        self._ahead_timer: Timer | None = None
        self._last_frame = 0.0  # time.monotonic() of the last render pass
        self.drawn_ahead = 0  # lines drawn ahead of time, all told (for tests)

    @property
    def vertical_scrollbar(self) -> ScrollBar:
        """Drawn again only when its thumb moves (see ``tui.scrollbars``)."""
        return cached_vertical_scrollbar(self)

    # ------------------------------------------------------------------ data

    def show_page(
        self, section_id: str, offset: int = 0, *, scroll: bool = True, top: bool = False
    ) -> None:
        """Put the cursor at ``offset`` of ``section_id`` and (``scroll``) bring it on screen.

        ``top`` scrolls that paragraph to the top of the view, as a jump to a
        section does; otherwise the view scrolls as little as it can.
        """
        index = self.page.index_at(section_id, offset)
        self.move_cursor_to(index, scroll=scroll and not top)
        if top:
            self.scroll_paragraph_to_top(index)

    def set_marks(
        self,
        *,
        figures: SpanIndex[Figure] | dict[str, list[Figure]] | None = None,
        hits: HitList | SpanIndex[Match] | dict[str, list[Match]] | None = None,
        current_hit: Match | None = None,
        notes: SpanIndex[Note] | dict[str, list[Note]] | None = None,
        bookmarked: Iterable[str] | None = None,
    ) -> None:
        """Replace what is highlighted; ``None`` keeps the current value.

        Figures are kept whole across line breaks, so changing them wraps
        again, but only the paragraphs on screen (the rest when shown).
        """
        self._marks_seen.clear()  # every line's marks are to be looked up again
        if figures is not None:
            self.figures = _as_index(figures)
        if hits is not None:
            # Search hits are asked for line by line (``overlapping``), never listed.
            self.hits = _as_index(hits) if isinstance(hits, dict) else hits
        self.current_hit = current_hit
        if notes is not None:
            self.notes = _as_index(notes)
            self._tell_screen(self.ViewChanged())
        if bookmarked is not None:
            self.bookmarked = set(bookmarked)
        if figures is not None:
            self._breaks = [None] * len(self.paragraphs)  # heights stay as estimates
        self._refresh_changed_lines()

    def _tell_screen(self, message: Message) -> None:
        """Post ``message`` straight to the screen, which answers it (contents, status).

        Bubbled up, it waited in the queue of each container on the way, and the
        screen, idle meanwhile, painted the view's new rows first and the
        contents and status line in a second frame: two paints per keystroke.
        Queued at the screen with the view's own repaint, all is one frame.
        """
        screen = self.screen if self.is_attached else None
        if screen is None or screen is self.parent:
            self.post_message(message)
        else:
            screen.post_message(message)

    @property
    def current_paragraph(self) -> Paragraph | None:
        return self.paragraphs[self.cursor] if self.paragraphs else None

    @property
    def current_section_id(self) -> str:
        paragraph = self.current_paragraph
        if paragraph is not None:
            return paragraph.section
        return self.report.sections[0].id if self.report.sections else ""

    def notes_at_cursor(self) -> list[Note]:
        """Anchored notes on the paragraph under the cursor."""
        paragraph = self.current_paragraph
        if paragraph is None:
            return []
        found = self.notes.overlapping(paragraph.section, paragraph.start, paragraph.end + 1)
        return [note for note in found if note.status != "orphaned"]

    def progress(self) -> tuple[int, int, int]:
        """``(k, N, percent)``: the top-level part of the paragraph under the cursor
        and how far into the report that paragraph ends.

        Both count from the cursor, as the contents and the status line's title
        do: the bottom of the screen gave ``100%`` at the end of the report while
        the cursor (and ``k``) was still on the first part of the last screen.
        """
        paragraph = self.current_paragraph
        k = self.page.top_number(paragraph.section) if paragraph else 1
        total = self._lines.total
        if paragraph is None or total <= 0 or not self.size.height:
            return k, self.page.top_count, 0
        read = min(total, self._lines.start(self.cursor) + self._lines[self.cursor])
        return k, self.page.top_count, round(100 * read / total)

    # ------------------------------------------------------------------ cursor

    def move_cursor_to(self, index: int, *, scroll: bool = True) -> None:
        if not self.paragraphs:
            return
        index = max(0, min(index, len(self.paragraphs) - 1))
        old = self.cursor
        self.cursor = index
        self._refresh_changed_lines()
        if scroll:
            self.scroll_to_paragraph(index)
        paragraph = self.paragraphs[index]
        if old != index or scroll:
            self._tell_screen(self.CursorMoved(paragraph.section, paragraph.index_in_section))

    def scroll_to_paragraph(self, index: int, *, animate: bool = False) -> None:
        """Scroll as little as possible to show the whole paragraph (or its top)."""
        if not self._ensure_layout():
            return
        rows = max(1, self.scrollable_content_region.height)
        self._settle_around(index, rows, rows)
        first = self._lines.start(index)
        height = self._lines[index]
        self.scroll_to_region(
            Region(0, first, 1, min(height, rows)), animate=animate, immediate=not animate
        )

    def scroll_paragraph_to_top(self, index: int) -> None:
        if not self._ensure_layout():
            return
        self._settle_around(index, 1, max(1, self.size.height))
        self.scroll_to(y=self._lines.start(index), animate=False, immediate=True)

    def scroll_to_span(self, section_id: str, start: int, end: int) -> None:
        """Scroll so that a span (a search hit, a figure) is on screen, centred."""
        if not self._ensure_layout():
            return
        index = self.page.index_at(section_id, start)
        rows = max(1, self.scrollable_content_region.height)
        self._settle_around(index, rows // 2 + 1, rows // 2 + 1)
        paragraph = self.paragraphs[index]
        y = self._lines.start(index)
        for row, (low, high) in enumerate(self._exact(index)):
            if paragraph.start + low <= start < max(paragraph.start + high, start + 1):
                y += row
                break
        self.scroll_to_region(Region(0, y, 1, 1), animate=False, immediate=True, center=True)

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        if round(old_value) == round(new_value):
            return
        if self._layout_width > 0:
            shift = self._settle_screen(above=new_value < old_value)
            if shift:
                self.set_reactive(ScrollView.scroll_y, self.scroll_y + shift)
                self.set_reactive(ScrollView.scroll_target_y, self.scroll_y)
                super().watch_scroll_y(new_value, self.scroll_y)
        self._keep_cursor_in_view()
        in_this_frame(self)  # the scrollbar's thumb with the page, not a frame later
        self._tell_screen(self.ViewChanged())

    def _keep_cursor_in_view(self) -> None:
        """After a scroll (wheel, page keys), move the cursor onto the visible text.

        So the contents follow what is shown and the saved position is what the
        reader was looking at.
        """
        if self._layout_width <= 0 or not self.paragraphs:
            return
        top = round(self.scroll_y)
        bottom = top + max(self.scrollable_content_region.height, 1) - 1
        first = self._lines.start(self.cursor)
        last = first + self._lines[self.cursor] - 1
        if last < top:
            target = self._paragraph_at_line(top)
            following = target + 1
            if (
                self._lines.start(target) < top
                and following < len(self.paragraphs)
                and self._lines.start(following) <= bottom
            ):
                target = following  # the first paragraph that starts on screen
        elif first > bottom:
            target = self._paragraph_at_line(bottom)
        else:
            return
        self.move_cursor_to(target, scroll=False)

    def action_cursor(self, delta: int) -> None:
        target = self.cursor + delta
        if 0 <= target < len(self.paragraphs):
            self.move_cursor_to(target)

    def action_cursor_edge(self, which: int) -> None:
        if not self.paragraphs:
            return
        if which == 0:
            self.move_cursor_to(0, scroll=False)
            self.scroll_home(animate=False, immediate=True)
            return
        last = len(self.paragraphs) - 1
        if self._ensure_layout():
            self._settle_around(last, max(1, self.size.height), 1)
        self.move_cursor_to(last, scroll=False)
        self.scroll_end(animate=False, immediate=True)

    def action_page(self, direction: int) -> None:
        """A screen down or up; at the end (or top) of the report, the cursor goes
        to the last (first) paragraph, so that reading straight through with Space
        ends on the last part at 100%."""
        # Before the first layout there is no end to be at: page as before.
        at_edge = self._ensure_layout()
        if direction > 0:
            if at_edge and self.scroll_y >= self.max_scroll_y:
                last = len(self.paragraphs) - 1
                if self.cursor == last:  # pressed again at 100%: say why nothing moves
                    self._say_once(_("End of the report: g goes back to the top"))
                self.move_cursor_to(last, scroll=False)
                return
            self.scroll_page_down(animate=False)
        else:
            if at_edge and self.scroll_y <= 0:
                if self.cursor == 0:
                    self._say_once(_("Top of the report"))
                self.move_cursor_to(0, scroll=False)
                return
            self.scroll_page_up(animate=False)

    def _say_once(self, message: str, timeout: float = 3.0) -> None:
        """A notice, not stacked again while the same one still shows (Space held down)."""
        now = time.monotonic()
        said, until = self._said
        if said == message and now < until:
            return
        self._said = (message, now + timeout)
        self.notify(message, timeout=timeout, markup=False)

    def on_click(self, event: events.Click) -> None:
        line = self._line_at(event.y + round(self.scroll_y))
        if line is not None:
            self.move_cursor_to(line.paragraph, scroll=False)
            paragraph = self.paragraphs[self.cursor]
            self._tell_screen(self.CursorMoved(paragraph.section, paragraph.index_in_section))

    # ------------------------------------------------------------------ selection

    def selected_span(self) -> tuple[str, int, int] | None:
        """The selected text as (section, start, end), clipped to one paragraph."""
        selection = self.text_selection
        if selection is None or selection.start is None or selection.end is None:
            return None
        start, end = selection.start, selection.end
        if (end.y, end.x) < (start.y, start.x):
            start, end = end, start
        first = self._line_at(start.y)
        if first is None:
            return None
        paragraph = self.paragraphs[first.paragraph]
        begin = min(first.start + max(start.x, 0), first.end)
        last = self._line_at(end.y)
        if last is not None and last.paragraph == first.paragraph:
            finish = min(last.start + max(end.x, 0), last.end)
        else:
            finish = paragraph.end
        if finish <= begin:
            return None
        return paragraph.section, begin, finish

    def get_selection(self, selection: object) -> tuple[str, str] | None:
        span = self.selected_span()
        if span is None:
            return None
        section_id, start, end = span
        return self.report.section(section_id).text[start:end], "\n"

    def selection_updated(self, selection: object) -> None:
        self._repaint_all()

    # ------------------------------------------------------------------ layout

    def _repaint_all(self) -> None:
        """Forget every drawn line (theme, selection, size changed)."""
        self._cache.clear()
        self._texts.clear()
        self._painted.clear()
        self.refresh()

    def _refresh_changed_lines(self) -> None:
        """Repaint, at the next frame, only the visible rows that will look different.

        The rows are compared once, just before the frame is drawn: a search
        result changes the hits, the current hit, the cursor and the scroll in
        one go, and comparing after each change computed every row's key three
        or four times per keystroke.
        """
        if not self.is_mounted or not self._ensure_layout():
            self.refresh()
            return
        if not self._rows_to_check:
            self._rows_to_check = True
            self.refresh(Region(0, 0, 0, 0))  # in the next frame, drawing nothing yet

    def _exchange_repaint_regions(self) -> Collection[Region]:
        # Textual asks a dirty widget for its regions just before it paints it.
        self._check_rows()
        return super()._exchange_repaint_regions()

    def _check_rows(self) -> None:
        """Mark dirty the rows whose look changed since they were drawn."""
        if not self._rows_to_check:
            return
        self._rows_to_check = False
        if self._layout_width <= 0 or not self._ensure_layout(quiet=True):
            return
        self._settle_screen(quiet=True)
        top = round(self.scroll_y)
        width = self.size.width
        changed = []
        for row in range(self.size.height):
            line_y = top + row
            line = self._laid_line_at(line_y)
            key = self._line_key(line_y, line) if line is not None else None
            if self._painted.get(line_y) != key:
                changed.append(Region(0, row, width, 1))
        if changed:
            self._set_dirty(*changed)

    def _size_updated(
        self, size: Size, virtual_size: Size, container_size: Size, layout: bool = True
    ) -> bool:
        # Lay the page out for the new width inside the layout pass that sized
        # the view, so the virtual size (and the scrollbar) is right in the
        # frame being drawn rather than in a second layout after it.
        if size != self._size:
            self.post_message(self.Resized())  # not every layout sends a Resize event
        changed = super()._size_updated(size, virtual_size, container_size, layout)
        if size.width and self._layout_width != self._text_width():
            held = self._cursor_place()
            self._ensure_layout(quiet=True)
            if held is not None:
                self._hold_cursor_place(*held)
            self._scroll_update(self.virtual_size)
        return changed

    def _cursor_place(self) -> tuple[int, float] | None:
        """Where the cursor's paragraph is on screen: the row its top is on, and
        for a paragraph begun above the view, how far into it the view starts (a
        fraction of its height); ``None`` before the first layout."""
        if self._layout_width <= 0 or not self.paragraphs:
            return None
        row = self._lines.start(self.cursor) - round(self.scroll_y)
        into = -row / max(1, self._lines[self.cursor]) if row < 0 else 0.0
        return max(0, row), into

    def _hold_cursor_place(self, row: int, into: float) -> None:
        """After a new width, scroll so the cursor's paragraph is where it was on
        screen (or the view as far into it), without moving the cursor.

        The scroll offset alone meant another place at the new width. Opening a
        panel at 60 columns narrows the page twice (the panel, then the contents
        giving way): at the first width the offset ran past the end of the second,
        the clamp pulled the cursor along, and the page jumped to the last part.
        """
        height = max(1, self.scrollable_content_region.height)
        top = self._lines.start(self.cursor) - row + round(into * self._lines[self.cursor])
        top = max(0, min(top, self._lines.total - height))
        self.set_reactive(ScrollView.scroll_y, float(top))
        self.set_reactive(ScrollView.scroll_target_y, float(top))

    def on_mount(self) -> None:
        # A report taller than the terminal shows its scrollbar from the first
        # layout on; found only after it (as Textual does), the scrollbar
        # cost the first paint a second layout and a redraw of its column.
        size = self.app.size
        cells = self.page.paragraphs.layout.cells_total  # kept with the layout: no sum here
        at_least = max(len(self.paragraphs), cells // max(1, size.width))
        if at_least > size.height:
            self.show_vertical_scrollbar = True

    def _refresh_scrollbars(self) -> None:
        # Until the page is laid out its virtual height is a stale zero: a
        # decision now would hide the scrollbar for one layout pass.
        if self._layout_width > 0:
            super()._refresh_scrollbars()

    def on_resize(self, event: events.Resize) -> None:
        # Drawn lines stay valid: their cache key holds everything the width
        # changes (the line's span, the margin). Only what rows show is forgotten,
        # unless they were drawn at this size already (the first Resize comes
        # after the first frame: drawing the page twice was a start-up cost).
        if self.size != self._drawn_size:
            self._painted.clear()
            self.refresh()
        self._ensure_layout()
        if not self._cursor_on_screen():
            self.scroll_to_paragraph(self.cursor)

    def _cursor_on_screen(self) -> bool:
        """Whether some line of the cursor's paragraph is in view. A paragraph
        taller than the view, read in its middle, was scrolled back to its top
        by every resize."""
        if self._layout_width <= 0 or not self.paragraphs:
            return False
        top = round(self.scroll_y)
        first = self._lines.start(self.cursor)
        return first < top + max(1, self.scrollable_content_region.height) and (
            first + self._lines[self.cursor] > top
        )

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._theme_styles.clear()
        self._cache.clear()
        self._texts.clear()
        self._painted.clear()

    def _text_width(self) -> int:
        """Cells per line: the window's width, at most ``measure`` hanzi."""
        room = max(4, self.scrollable_content_region.width - GUTTER)
        return min(room, 2 * self.measure) if self.measure else room

    def _ensure_layout(self, *, quiet: bool = False) -> bool:
        """Estimate every paragraph's height for the current width; False before the
        first layout (there is no width to wrap to yet)."""
        if not self.size.width:
            return False
        width = self._text_width()
        room = max(4, self.scrollable_content_region.width - GUTTER)
        self._margin = (room - width) // 2  # part of every line's cache key
        if width == self._layout_width:
            return True
        self._layout_width = width
        self._breaks = [None] * len(self.paragraphs)
        # At the default measure the heights are kept with the layout (the report cache
        # stores them): no step per paragraph before the first paint.
        self._lines = LineHeights(self.page.estimated_heights(width))
        self._set_virtual_height(quiet=quiet)
        return True

    def _set_virtual_height(self, *, quiet: bool = False) -> None:
        """Make the virtual height the sum of the paragraphs' heights.

        Never through the ``virtual_size`` reactive, which would lay out the
        whole screen again (~100 ms) for what only changes the scrollbar.
        ``quiet``: during a layout or render pass, which updates the
        scrollbar itself or is followed by an update.
        """
        size = Size(self.scrollable_content_region.width, self._lines.total)
        if size == self.virtual_size:
            return
        self.set_reactive(ScrollView.virtual_size, size)
        if quiet:
            self.call_later(self._scroll_update, size)
        else:
            self._scroll_update(size)

    def _spacers(self) -> list[int]:
        """``_spacer`` of every paragraph, in one pass."""
        return self.page.paragraphs.spacers()

    def _spacer(self, index: int) -> int:
        """1 if a blank line follows paragraph ``index`` (a heading, a section's end)."""
        paragraph = self.paragraphs[index]
        following = index + 1
        if paragraph.is_heading:
            return 1
        paragraphs = self.paragraphs
        last = following >= len(paragraphs)
        return int(not last and paragraphs[following].section != paragraph.section)

    def _keep(self, paragraph: Paragraph) -> list[tuple[int, int]]:
        """Spans the wrap keeps on one line (figures), in paragraph offsets.

        Search hits are not among them: the lines stay put while a query is
        typed, so a keystroke re-wraps nothing (numbers are kept whole anyway).
        """
        low, high = paragraph.start, paragraph.end
        return [
            (item.start - low, item.end - low)
            for item in self.figures.inside(paragraph.section, low, high)
        ]

    def _exact(self, index: int) -> list[tuple[int, int]]:
        """The wrapped lines of paragraph ``index`` (paragraph offsets); its height made exact."""
        breaks = self._breaks[index]
        if breaks is not None:
            return breaks
        paragraph = self.paragraphs[index]
        keep = self._keep(paragraph)
        key = (paragraph.section, paragraph.start, self._layout_width, tuple(keep))
        breaks = self._wrap_cache.get(key)
        if breaks is None:
            text = self.report.section(paragraph.section).text[paragraph.start : paragraph.end]
            breaks = wrap_paragraphs(text, self._layout_width, keep_together=keep) or [(0, 0)]
            if len(self._wrap_cache) > WRAP_CACHE_SIZE:
                self._wrap_cache.clear()
            self._wrap_cache[key] = breaks
        self._breaks[index] = breaks
        height = len(breaks) + self._spacer(index)
        self._lines.set(index, height)
        return breaks

    def _paragraph_at_line(self, y: int) -> int:
        return self._lines.index_at(y)

    def _settle_around(self, index: int, before: int, after: int) -> None:
        """Make exact the paragraphs that fill ``before`` lines above paragraph
        ``index`` and ``after`` lines from its top: what a scroll to it shows."""
        count = len(self.paragraphs)
        if not count:
            return
        index = max(0, min(index, count - 1))
        covered, k = 0, index - 1
        while k >= 0 and covered < before:
            self._exact(k)
            covered += self._lines[k]
            k -= 1
        covered, k = 0, index
        while k < count and covered < after:
            self._exact(k)
            covered += self._lines[k]
            k += 1
        self._set_virtual_height()

    def _settle_screen(self, *, above: bool = False, quiet: bool = False) -> int:
        """Wrap what is on screen (and, with ``above``, a screen above it).

        Returns how many lines the paragraph at the top moved down, which the
        caller scrolls by so that the text on screen stays where it was.
        """
        if self._layout_width <= 0 or not self.paragraphs:
            return 0
        rows = max(1, self.size.height)
        top = round(self.scroll_y)
        anchor = self._paragraph_at_line(top)
        before = self._lines.start(anchor)
        if above:
            covered, index = 0, anchor - 1
            while index >= 0 and covered < rows:
                self._exact(index)
                covered += self._lines[index]
                index -= 1
        index = anchor
        while index < len(self.paragraphs):
            self._exact(index)
            if self._lines.start(index) + self._lines[index] >= top + rows:
                break
            index += 1
        self._set_virtual_height(quiet=quiet)
        return self._lines.start(anchor) - before

    def _line_at(self, y: int) -> _Line | None:
        """What line ``y`` of the document shows (``None`` past the end)."""
        if not self._ensure_layout():
            return None
        return self._laid_line_at(y)

    def _laid_line_at(self, y: int) -> _Line | None:
        """``_line_at`` once the page is laid out for the current width (a render
        pass checks that once, not once per line: the width costs Textual a walk
        over the widget's styles)."""
        if y < 0 or y >= self._lines.total:
            return None
        index = self._paragraph_at_line(y)
        breaks = self._exact(index)
        row = y - self._lines.start(index)
        paragraph = self.paragraphs[index]
        if row < len(breaks):
            low, high = breaks[row]
            return _Line(index, paragraph.start + low, paragraph.start + high, first=row == 0)
        return _Line(index, paragraph.end, paragraph.end, spacer=True)

    # ------------------------------------------------------------------ rendering

    def _style(self, name: str) -> Style:
        if not self._theme_styles:
            variables = self.app.theme_variables
            fg = variables.get("foreground", "#d0d0d0")
            self._theme_styles = {
                "base": self.rich_style,
                "text": _theme_style(variables, "foreground", "#d0d0d0"),
                "heading": _theme_style(variables, "primary", fg, bold=True),
                "item": Style(bold=True),
                "cursor": _theme_style(variables, "accent", fg),
                "note-marker": _theme_style(variables, "note-marker", "#d7af00"),
                # Underline only: a noted figure keeps its colour.
                "note-span": Style(underline=True),
                "bookmark": _theme_style(variables, "bookmark-marker", "#ff5f5f"),
                "hit": _theme_style(variables, "search-hit", "#5f5f00", background=True),
                "current": _theme_style(
                    variables, "search-current", "#af8700", background=True, bold=True
                ),
                "selection": self.screen.get_component_rich_style("screen--selection"),
            }
            if self.app.no_color:
                # Colours are dropped: hits must still show, by their form.
                self._theme_styles["hit"] = Style(underline=True, bold=True)
                self._theme_styles["current"] = Style(reverse=True, bold=True)
            metrics = ("percent", "count", "score", "duration", "rate", "magnitude", "rank")
            for kind in (*metrics, "ratio"):
                self._theme_styles[kind] = _theme_style(variables, f"figure-{kind}", fg, bold=True)
            self._theme_styles["date"] = _theme_style(variables, "figure-date", fg, italic=True)
            styles = self._theme_styles
            styles["base-text"] = styles["base"] + styles["text"]  # every line's own
        return self._theme_styles[name]

    def render_lines(self, crop: Region) -> list[Strip]:
        # Wrap what is about to be drawn before any line of it is drawn.
        if not self._ensure_layout(quiet=True):
            return self._finished_rows(crop)
        self._check_rows()  # a repaint of the whole screen asks no regions first
        self._settle_screen(quiet=True)
        self._drawn_size = self.size
        # What every line of this pass shares, looked up once for the pass.
        self._pass = _Pass(
            round(self.scroll_y), self.scrollable_content_region.width, self.text_selection
        )
        try:
            return self._finished_rows(crop)
        finally:
            self._pass = None
            self._last_frame = time.monotonic()
            if self._ahead_timer is None:
                self._ahead_timer = self.set_timer(DRAW_AHEAD_AFTER, self._draw_ahead)

    def _finished_rows(self, crop: Region) -> list[Strip]:
        """The rows as Textual's styles make them, a row drawn before handed back."""
        rows = self._direct_rows.rows(self, crop, self.render_line)
        return super().render_lines(crop) if rows is None else rows

    def _draw_ahead(self) -> None:
        """In a quiet moment, wrap and draw the screen below the one shown.

        Space or PageDown then finds its lines drawn (only the cursor's paragraph
        is drawn again, with its bar): drawing a screen of new lines, and wrapping
        its paragraphs, was most of a page key's cost on a big report. Lines below
        the screen only, so nothing on screen moves when their heights become exact.
        """
        self._ahead_timer = None
        if not self.is_attached or self._layout_width <= 0 or not self.paragraphs:
            return
        quiet = time.monotonic() - self._last_frame
        collector = getattr(self.app, "idle_collector", None)
        if collector is not None:
            quiet = min(quiet, collector.quiet_for())
        if quiet < DRAW_AHEAD_AFTER:  # a key came, or a frame: wait for the next pause
            self._ahead_timer = self.set_timer(DRAW_AHEAD_AFTER - quiet, self._draw_ahead)
            return
        if self.text_selection is not None or not self._ensure_layout():
            return  # a selection is drawn fresh, never ahead
        rows = max(1, self.size.height)
        width = self.scrollable_content_region.width
        below = round(self.scroll_y) + rows
        lines = [(y, line) for y in range(below, below + rows) if (line := self._laid_line_at(y))]
        keys = [(width, self._line_key(y, line)) for y, line in lines]
        missing = [(y, line, key) for (y, line), key in zip(lines, keys, strict=True)
                   if key not in self._cache]  # fmt: skip
        if missing and len(self._cache) + len(missing) > STRIP_CACHE_SIZE:
            self._cache.clear()  # as render_line does: a few screens are kept
        for y, line, key in missing:
            self._cache[key] = self._render_text_line(y, line, width)
        self.drawn_ahead += len(missing)
        self._set_virtual_height()  # their heights are exact now

    def render_line(self, y: int) -> Strip:
        drawing = self._pass
        if drawing is None:  # outside a render pass (a test, an export of the screen)
            if not self._ensure_layout():
                return Strip.blank(self.scrollable_content_region.width, self._style("base"))
            drawing = _Pass(
                round(self.scroll_y), self.scrollable_content_region.width, self.text_selection
            )
        line_y = drawing.top + y
        width = drawing.width
        base = self._style("base")
        line = self._laid_line_at(line_y)
        if line is None:
            return Strip.blank(width, base)
        if drawing.selection is not None:  # selections are drawn fresh, never cached
            self._painted.pop(line_y, None)
            return self._render_text_line(line_y, line, width, drawing.selection)
        key = self._line_key(line_y, line)
        strip = self._cache.get((width, key))
        if strip is None:
            if len(self._cache) > STRIP_CACHE_SIZE:
                self._cache.clear()
            strip = self._render_text_line(line_y, line, width)
            self._cache[width, key] = strip
        self._painted[line_y] = key
        return strip

    def _is_current(self, hit: Match) -> bool:
        current = self.current_hit
        return current is not None and (hit.section, hit.start, hit.end) == (
            current.section,
            current.start,
            current.end,
        )

    def _line_key(self, line_y: int, line: _Line) -> tuple:
        """Everything a drawn line depends on: its text span, cursor, markers, marks."""
        paragraph = self.paragraphs[line.paragraph]
        section_id = paragraph.section
        hits, figures, notes = self._marks_key(section_id, line)
        marker = self._marker(line, paragraph) if line.first else None
        return (
            line_y,
            section_id,
            line,
            self._margin,
            line.paragraph == self.cursor,
            marker,
            hits,
            figures,
            notes,
        )

    def _marks_key(self, section_id: str, line: _Line) -> tuple[tuple, tuple, tuple]:
        """The hits, figures and notes on a line, as they look on it.

        Kept until the marks change (``set_marks``): a frame asked three times per
        line drawn (the rows compared, the line's key, its text's key), each time
        three look-ups, and a key that changes no mark (j, k, a page) asked again
        for every row on screen.
        """
        seen = self._marks_seen.get((section_id, line.start, line.end))
        if seen is not None:
            return seen
        low, high = line.start, line.end
        hits = tuple(
            (max(h.start, low), min(h.end, high), self._is_current(h))
            for h in self.hits.overlapping(section_id, low, high)
        )
        figures = tuple(
            (max(f.start, low), min(f.end, high), f.kind)
            for f in self.figures.overlapping(section_id, low, high)
        )
        notes = tuple(
            (max(n.start, low), min(n.end, high))
            for n in self.notes.overlapping(section_id, low, high)
            if n.status != "orphaned"
        )
        if len(self._marks_seen) >= MARKS_KEPT:
            self._marks_seen.clear()
        self._marks_seen[section_id, low, high] = marks = (hits, figures, notes)
        return marks

    def _render_text_line(
        self,
        line_y: int,
        line: _Line,
        width: int | None = None,
        selection: Selection | None = None,
    ) -> Strip:
        """Line ``line_y`` drawn ``width`` cells wide: gutter, text, blank to the edge
        (``None``: as wide as its text).

        Made as one ``Strip`` from its segments: joining, offsetting and padding
        strips made four more, each with seven little caches, per line drawn.
        """
        paragraph = self.paragraphs[line.paragraph]
        segments = self._gutter(line, paragraph)
        if selection is None or selection.get_span(line_y) is None:
            cells = self._text_run(line_y, line, paragraph, segments)
        else:  # a selection to draw
            cells = self._rich_segments(line, line_y, paragraph, selection, segments)
        blank = self._style("base")
        used = GUTTER + self._margin + cells
        if width is None:
            return Strip(segments, used)
        if used > width:  # a window narrower than the gutter and the margin
            return Strip(segments).crop_extend(0, width, blank)
        if used < width:
            segments.append(Segment(" " * (width - used), blank))
        return lean_strip(segments, width)  # kept a few screens: caches made only if used

    def _text_run(
        self, line_y: int, line: _Line, paragraph: Paragraph, segments: list[Segment]
    ) -> int:
        """Append the segments of the line's text to ``segments``; return their cells.

        Kept by what they show (the line, its marks), apart from the gutter: a
        move of the cursor (j, k, the cursor's new paragraph after a page) draws
        again only the bar in the gutter of the lines it leaves and reaches.
        """
        key = (line_y, paragraph.section, line, *self._marks_key(paragraph.section, line))
        made = self._texts.get(key)
        if made is None:
            text = self.report.section(paragraph.section).text
            run: list[Segment] = []
            spans = self._line_spans(paragraph, line)
            cells = _text_segments(text, line.start, line.end, spans, line_y, run)
            if cells is None:  # control characters to drop, offsets mapped
                cells = self._rich_segments(line, line_y, paragraph, None, run)
            if len(self._texts) > STRIP_CACHE_SIZE:
                self._texts.clear()
            made = self._texts[key] = (run, cells)
        segments.extend(made[0])
        return made[1]

    def _line_spans(self, paragraph: Paragraph, line: _Line) -> list[tuple[int, int, Style]]:
        # The base style goes in as a span: rich drops Text(style=...) when
        # rendering span-less text straight to segments.
        return [(line.start, line.end, self._style("base-text")), *self._spans(paragraph, line)]

    def _rich_segments(
        self,
        line: _Line,
        line_y: int,
        paragraph: Paragraph,
        selection: Selection | None,
        segments: list[Segment],
    ) -> int:
        """``_text_segments`` through ``rich.text.Text``: a line with control
        characters (dropped, offsets mapped) or with a selection on it."""
        text = self.report.section(paragraph.section).text
        spans = self._line_spans(paragraph, line)
        rendered = line_text(text, line.start, line.end, spans, strip_trailing=False)
        if selection is not None and (span := selection.get_span(line_y)) is not None:
            start, end = span
            length = len(rendered.plain)
            rendered.stylize(self._style("selection"), start, length if end == -1 else end)
        x, from_meta = 0, Style.from_meta
        for piece, style, _control in rendered.render(self.app.console):
            offset = from_meta({"offset": (x, line_y)})
            segments.append(Segment(piece, style + offset if style else offset))
            x += len(piece)
        return rendered.cell_len

    def _spans(self, paragraph: Paragraph, line: _Line) -> list[tuple[int, int, Style]]:
        """Styled spans on one line, in section offsets, later over earlier."""
        section = self.report.section(paragraph.section)
        low, high = line.start, max(line.end, line.start + 1)
        spans: list[tuple[int, int, Style]] = []
        if paragraph.is_heading:
            kind = "heading" if section.level == 1 else "item"
            spans.append((paragraph.start, paragraph.end, self._style(kind)))
        elif paragraph.index_in_section == 0 and section.number:
            spans.append((0, len(section.number) + len(section.title), self._style("item")))
        spans += [
            (f.start, f.end, self._style(f.kind))
            for f in self.figures.overlapping(section.id, low, high)
        ]
        note_style = self._style("note-span")
        spans += [
            (n.start, n.end, note_style)
            for n in self.notes.overlapping(section.id, low, high)
            if n.status != "orphaned"
        ]
        spans += [
            (hit.start, hit.end, self._style("current" if self._is_current(hit) else "hit"))
            for hit in self.hits.overlapping(section.id, low, high)
        ]
        return spans

    def _marker(self, line: _Line, paragraph: Paragraph) -> str:
        """The gutter mark of a paragraph's first line: ★ bookmarked section, ✎ a note."""
        section_id = paragraph.section
        if paragraph.index_in_section == 0 and section_id in self.bookmarked:
            return "★"
        for note in self.notes.overlapping(section_id, paragraph.start, paragraph.end + 1):
            if note.status != "orphaned":
                return "✎"
        return " "

    def _gutter(self, line: _Line, paragraph: Paragraph) -> list[Segment]:
        """The cursor bar and the marker left of a line (after the centring margin)."""
        base = self._style("base")
        on_cursor = line.paragraph == self.cursor and not line.spacer
        bar = Segment("▌", base + self._style("cursor")) if on_cursor else Segment(" ", base)
        mark = self._marker(line, paragraph) if line.first else " "
        if mark == "★":
            marker = Segment(mark, base + self._style("bookmark"))
        elif mark == "✎":
            marker = Segment(mark, base + self._style("note-marker"))
        else:
            marker = Segment(" ", base)
        segments = [bar, marker, Segment(" ", base)]
        if self._margin:
            segments.insert(0, Segment(" " * self._margin, base))
        return segments


def _text_segments(
    text: str,
    start: int,
    end: int,
    spans: Sequence[tuple[int, int, Style]],
    line_y: int,
    out: list[Segment],
) -> int | None:
    """Append the segments of ``text[start:end]`` styled by ``spans`` (section
    offsets, later over earlier) to ``out``; return the cells they fill.

    What ``line_text(...).render()`` gives, made without a ``rich.text.Text``
    (a third of the cost of drawing a line): each run between span edges gets
    its spans' styles added in order. Each segment carries its place in the line
    (``offset`` meta, as ``Strip.apply_offsets`` marks it) for the mouse
    selection. ``None`` (nothing appended) when the text holds a control
    character, which the ``Text`` path drops with its offsets mapped.
    """
    piece = text[start:end]
    if strip_control(piece) is not piece:
        return None
    piece = piece.replace("\t", " ")
    size = len(piece)
    local = []
    edges = {0, size}
    for low, high, style in spans:
        low, high = max(low - start, 0), min(high - start, size)
        if high > low:
            local.append((low, high, style))
            edges.add(low)
            edges.add(high)
    cuts = sorted(edges)
    from_meta = Style.from_meta
    if not size:  # an empty line is one empty segment, as rich makes it
        out.append(Segment("", from_meta({"offset": (0, line_y)})))
    for low, high in pairwise(cuts):
        style = None
        for first, last, span_style in local:
            if first <= low and last >= high:
                style = span_style if style is None else style + span_style
        offset = from_meta({"offset": (low, line_y)})
        out.append(Segment(piece[low:high], offset if style is None else style + offset))
    return cell_len(piece)


def _as_index(marks: SpanIndex | dict[str, list]) -> SpanIndex:
    """Marks given as a dict by section (notes, from the screen) as a ``SpanIndex``."""
    if isinstance(marks, SpanIndex):
        return marks
    return SpanIndex(item for items in marks.values() for item in items)
