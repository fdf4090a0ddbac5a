"""ReaderView: one page of the report, laid out by ``briefing.text`` for CJK.

A Line-API widget: Textual's own wrapping would split ``202|1—2025年`` and
start lines with ``，``, so the view breaks lines itself (by terminal cells,
keeping figures and search hits whole) and renders each line from plain text
plus style spans. Report text never passes through markup.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.color import Color
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from briefing.model import Figure, Match, Note, Report
from briefing.text import cell_width, line_text, wrap_paragraphs
from briefing.tui.page import Paragraph, page_paragraphs, paragraph_at, top_of

GUTTER = 3  # cursor bar, marker, space
WRAP_CACHE_SIZE = 4096  # paragraphs × widths × span sets remembered
STRIP_CACHE_SIZE = 2048  # drawn lines remembered


@dataclass(frozen=True)
class _Line:
    paragraph: int
    start: int  # offsets in the section's text
    end: int
    spacer: bool = False  # the blank line after a heading or a section


def _theme_style(variables: dict[str, str], name: str, fallback: str, **extra: object) -> Style:
    value = variables.get(name, fallback)
    try:
        color = Color.parse(value).rich_color
    except Exception:  # a user theme with a bad value must not break reading
        color = Color.parse(fallback).rich_color
    if extra.pop("background", False):
        return Style(bgcolor=color, **extra)  # type: ignore[arg-type]
    return Style(color=color, **extra)  # type: ignore[arg-type]


class ReaderView(ScrollView, can_focus=True):
    """Shows a page (a top-level part) with a paragraph cursor."""

    DEFAULT_CSS = """
    ReaderView {
        background: $background;
        padding: 0 1 0 0;
        scrollbar-gutter: stable;
    }
    """

    BINDINGS = [
        Binding("j,down", "cursor(1)", "Next ¶", show=False, id="reader.cursor_down"),
        Binding("k,up", "cursor(-1)", "Prev ¶", show=False, id="reader.cursor_up"),
        Binding("g,home", "cursor_edge(0)", "Top", show=False, id="reader.top"),
        Binding("G,end", "cursor_edge(1)", "Bottom", show=False, id="reader.bottom"),
        Binding("space,pagedown", "page(1)", "Page down", show=False, id="reader.page_down"),
        Binding("pageup", "page(-1)", "Page up", show=False, id="reader.page_up"),
    ]

    class CursorMoved(Message):
        """The paragraph cursor is on a new paragraph (maybe a new section)."""

        def __init__(self, section_id: str, paragraph: int) -> None:
            self.section_id = section_id
            self.paragraph = paragraph  # index of the paragraph within its section
            super().__init__()

    class EdgeReached(Message):
        """The cursor tried to move past the page: the screen turns the page."""

        def __init__(self, direction: int) -> None:
            self.direction = direction
            super().__init__()

    def __init__(self, report: Report, *, name: str | None = None, id: str | None = None) -> None:
        super().__init__(name=name, id=id)
        self.report = report
        self.top_id = report.sections[0].id if report.sections else ""
        self.paragraphs: list[Paragraph] = []
        self.cursor = 0
        self.figures: dict[str, list[Figure]] = {}
        self.hits: dict[str, list[Match]] = {}
        self.current_hit: Match | None = None
        self.notes: dict[str, list[Note]] = {}
        self.bookmarked: set[str] = set()
        self._lines: list[_Line] = []
        self._first_line: list[int] = []  # first line index of each paragraph
        self._layout_width = -1
        self._theme_styles: dict[str, Style] = {}
        # Drawn lines by what they show (see _line_key), and what each row of
        # the page showed when last drawn: a change of marks or cursor then
        # repaints only the rows whose look changed.
        self._cache: dict[tuple, Strip] = {}
        self._painted: dict[int, tuple] = {}
        self._wrap_cache: dict[tuple[str, int, int, tuple[tuple[int, int], ...]], list] = {}

    # ------------------------------------------------------------------ data

    def show_page(self, section_id: str, offset: int = 0, *, scroll: bool = True) -> None:
        """Show the page holding ``section_id`` with the cursor at ``offset``."""
        top = top_of(self.report, section_id).id
        if top != self.top_id or not self.paragraphs:
            self.top_id = top
            self.paragraphs = page_paragraphs(self.report, top)
            self._invalidate_layout()
            if not self.size.width:
                self._guess_scrollbar()
        self.move_cursor_to(paragraph_at(self.paragraphs, section_id, offset), scroll=scroll)

    def set_marks(
        self,
        *,
        figures: dict[str, list[Figure]] | None = None,
        hits: dict[str, list[Match]] | None = None,
        current_hit: Match | None = None,
        notes: dict[str, list[Note]] | None = None,
        bookmarked: Iterable[str] | None = None,
    ) -> None:
        """Replace what is highlighted; ``None`` keeps the current value.

        Figures and hits are kept whole across line breaks, so changing them
        lays the page out again; the rest only changes how lines are drawn.
        """
        if figures is not None:
            self.figures = figures
        if hits is not None:
            self.hits = hits
        self.current_hit = current_hit
        if notes is not None:
            self.notes = notes
        if bookmarked is not None:
            self.bookmarked = set(bookmarked)
        if figures is not None or hits is not None:
            self._layout_width = -1  # figures and hits are kept whole: wrap again
        self._refresh_changed_lines()

    @property
    def current_paragraph(self) -> Paragraph | None:
        return self.paragraphs[self.cursor] if self.paragraphs else None

    @property
    def current_section_id(self) -> str:
        paragraph = self.current_paragraph
        return paragraph.section if paragraph else self.top_id

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
            self.post_message(self.CursorMoved(paragraph.section, paragraph.index_in_section))

    def scroll_to_paragraph(self, index: int, *, animate: bool = False) -> None:
        if not self.size.width:
            return  # not laid out yet: the first resize scrolls to the cursor
        self._ensure_layout()
        if not self._first_line:
            return
        first = self._first_line[index]
        last = (
            self._first_line[index + 1] - 1
            if index + 1 < len(self._first_line)
            else len(self._lines) - 1
        )
        self.scroll_to_region(
            Region(0, first, 1, last - first + 1), animate=animate, immediate=not animate
        )

    def scroll_to_span(self, section_id: str, start: int, end: int) -> None:
        """Scroll so that a span (a search hit, a figure) is on screen."""
        self._ensure_layout()
        for y, line in enumerate(self._lines):
            paragraph = self.paragraphs[line.paragraph]
            if paragraph.section == section_id and line.start <= start < max(line.end, start + 1):
                self.scroll_to_region(Region(0, y, 1, 1), immediate=True, center=True)
                return

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        if round(old_value) != round(new_value):
            self._keep_cursor_in_view()

    def _keep_cursor_in_view(self) -> None:
        """After a scroll (wheel, page keys), move the cursor onto the visible text.

        So the contents follow what is shown and the saved position is what the
        reader was looking at.
        """
        if self._layout_width != self._text_width() or not self._first_line:
            return
        top = round(self.scroll_y)
        bottom = top + max(self.scrollable_content_region.height, 1) - 1
        first = self._first_line[self.cursor]
        following = self.cursor + 1
        last = self._first_line[following] - 1 if following < len(self._first_line) else first
        if last < top:
            visible = [i for i, line in enumerate(self._first_line) if line >= top]
            target = visible[0] if visible else len(self._first_line) - 1
        elif first > bottom:
            visible = [i for i, line in enumerate(self._first_line) if line <= bottom]
            target = visible[-1] if visible else 0
        else:
            return
        self.move_cursor_to(target, scroll=False)

    def action_cursor(self, delta: int) -> None:
        target = self.cursor + delta
        if target < 0 or target >= len(self.paragraphs):
            self.post_message(self.EdgeReached(1 if delta > 0 else -1))
            return
        self.move_cursor_to(target)

    def action_cursor_edge(self, which: int) -> None:
        self.move_cursor_to(0 if which == 0 else len(self.paragraphs) - 1)

    def action_page(self, direction: int) -> None:
        if direction > 0:
            self.scroll_page_down(animate=False)
        else:
            self.scroll_page_up(animate=False)

    def on_click(self, event: events.Click) -> None:
        self._ensure_layout()
        y = event.y + int(self.scroll_offset.y)
        if 0 <= y < len(self._lines):
            self.move_cursor_to(self._lines[y].paragraph, scroll=False)
            paragraph = self.paragraphs[self.cursor]
            self.post_message(self.CursorMoved(paragraph.section, paragraph.index_in_section))

    # ------------------------------------------------------------------ selection

    def selected_span(self) -> tuple[str, int, int] | None:
        """The selected text as (section, start, end), clipped to one paragraph."""
        selection = self.text_selection
        if selection is None or selection.start is None or selection.end is None:
            return None
        self._ensure_layout()
        start, end = selection.start, selection.end
        if (end.y, end.x) < (start.y, start.x):
            start, end = end, start
        if not (0 <= start.y < len(self._lines)):
            return None
        first = self._lines[start.y]
        paragraph = self.paragraphs[first.paragraph]
        begin = min(first.start + max(start.x, 0), first.end)
        if end.y < len(self._lines) and self._lines[end.y].paragraph == first.paragraph:
            last = self._lines[end.y]
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

    def _invalidate_layout(self) -> None:
        self._layout_width = -1
        self._refresh_changed_lines()

    def _repaint_all(self) -> None:
        """Forget every drawn line (theme, selection, size changed)."""
        self._cache.clear()
        self._painted.clear()
        self.refresh()

    def _refresh_changed_lines(self) -> None:
        """Repaint only the visible rows that will look different."""
        if not self.size.width or not self.is_mounted:
            self.refresh()
            return
        self._ensure_layout()
        top = round(self.scroll_y)
        width = self.size.width
        for row in range(self.size.height):
            line_y = top + row
            key = self._line_key(line_y) if line_y < len(self._lines) else None
            if self._painted.get(line_y) != key:
                self.refresh(Region(0, row, width, 1))

    def _size_updated(
        self, size: Size, virtual_size: Size, container_size: Size, layout: bool = True
    ) -> bool:
        # Wrap the lines for the new width inside the layout pass that sized the
        # view, so the virtual size (and the scrollbar) is right in the frame
        # being drawn rather than in a second layout after it.
        changed = super()._size_updated(size, virtual_size, container_size, layout)
        if size.width and self._layout_width != self._text_width():
            self._ensure_layout(quiet=True)
            self._scroll_update(self.virtual_size)
        return changed

    def on_resize(self, event: events.Resize) -> None:
        # Lines are laid out again only if the text width changed.
        self._repaint_all()
        self._ensure_layout()
        self.scroll_to_paragraph(self.cursor)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._theme_styles.clear()
        self._cache.clear()
        self._painted.clear()

    def _guess_scrollbar(self) -> None:
        """Before the first layout: show the scrollbar if the page surely overflows.

        Otherwise Textual finds out only after the first layout and lays the
        screen out again. Even at the full screen width (fewer lines than
        the view will have) a page that needs more lines than the screen has
        rows must scroll; anything less certain is left to the layout.
        """
        width, height = self.app.size
        if width <= 0:
            return
        lines = 0
        for paragraph in self.paragraphs:
            text = self.report.section(paragraph.section).text
            lines += max(1, -(-cell_width(text[paragraph.start : paragraph.end]) // width))
            if lines > height:
                self.set_reactive(ScrollView.show_vertical_scrollbar, True)
                return

    def _text_width(self) -> int:
        return max(4, self.scrollable_content_region.width - GUTTER)

    def _wrapped(
        self, text: str, paragraph: Paragraph, width: int, keep: list[tuple[int, int]]
    ) -> list[tuple[int, int]]:
        """Line breaks of one paragraph, remembered: while typing a search most
        paragraphs keep the same figures and hits, so only a few are wrapped again."""
        key = (paragraph.section, paragraph.start, width, tuple(keep))
        breaks = self._wrap_cache.get(key)
        if breaks is None:
            body = text[paragraph.start : paragraph.end]
            breaks = wrap_paragraphs(body, width, keep_together=keep) or [(0, 0)]
            if len(self._wrap_cache) > WRAP_CACHE_SIZE:
                self._wrap_cache.clear()
            self._wrap_cache[key] = breaks
        return breaks

    def _ensure_layout(self, *, quiet: bool = False) -> None:
        """Wrap the page for the current width (``quiet``: without a new layout)."""
        if not self.size.width:
            return  # not laid out yet: there is no width to wrap to
        width = self._text_width()
        if width == self._layout_width:
            return
        self._layout_width = width
        lines: list[_Line] = []
        first_line: list[int] = []
        for index, paragraph in enumerate(self.paragraphs):
            text = self.report.section(paragraph.section).text
            keep = [
                (f.start - paragraph.start, f.end - paragraph.start)
                for f in self.figures.get(paragraph.section, ())
                if paragraph.start <= f.start and f.end <= paragraph.end
            ]
            keep += [
                (h.start - paragraph.start, h.end - paragraph.start)
                for h in self.hits.get(paragraph.section, ())
                if paragraph.start <= h.start and h.end <= paragraph.end
            ]
            first_line.append(len(lines))
            for start, end in self._wrapped(text, paragraph, width, keep):
                lines.append(_Line(index, paragraph.start + start, paragraph.start + end))
            if paragraph.is_heading or (
                index + 1 < len(self.paragraphs)
                and self.paragraphs[index + 1].section != paragraph.section
            ):
                lines.append(_Line(index, paragraph.end, paragraph.end, spacer=True))
        self._lines = lines
        self._first_line = first_line
        size = Size(width + GUTTER, len(lines))
        if quiet:
            self.set_reactive(ScrollView.virtual_size, size)
        else:
            self.virtual_size = size

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
                "note-span": _theme_style(variables, "note-marker", "#d7af00", underline=True),
                "bookmark": _theme_style(variables, "bookmark-marker", "#ff5f5f"),
                "hit": _theme_style(variables, "search-hit", "#5f5f00", background=True),
                "current": _theme_style(
                    variables, "search-current", "#af8700", background=True, bold=True
                ),
                "selection": self.screen.get_component_rich_style("screen--selection"),
            }
            for kind in ("percent", "count", "score", "duration", "rate", "magnitude", "rank"):
                self._theme_styles[kind] = _theme_style(variables, f"figure-{kind}", fg, bold=True)
            self._theme_styles["date"] = _theme_style(variables, "figure-date", fg, italic=True)
        return self._theme_styles[name]

    def render_line(self, y: int) -> Strip:
        self._ensure_layout()
        scroll_x, scroll_y = self.scroll_offset
        line_y = scroll_y + y
        width = self.scrollable_content_region.width
        base = self._style("base")
        if line_y >= len(self._lines):
            return Strip.blank(width, base)
        if self.text_selection is not None:  # selections are drawn fresh, never cached
            self._painted.pop(line_y, None)
            return self._render_text_line(line_y).crop_extend(scroll_x, scroll_x + width, base)
        key = self._line_key(line_y)
        strip = self._cache.get(key)
        if strip is None:
            if len(self._cache) > STRIP_CACHE_SIZE:
                self._cache.clear()
            strip = self._cache[key] = self._render_text_line(line_y)
        self._painted[line_y] = key
        return strip.crop_extend(scroll_x, scroll_x + width, base)

    def _line_key(self, line_y: int) -> tuple:
        """Everything a drawn line depends on: its text span, cursor, markers, marks."""
        line = self._lines[line_y]
        paragraph = self.paragraphs[line.paragraph]
        section_id = paragraph.section
        low, high = line.start, line.end
        current = self.current_hit

        def inside(items: Iterable, tag) -> tuple:
            return tuple(
                (max(item.start, low), min(item.end, high), tag(item))
                for item in items
                if item.start < high and item.end > low
            )

        hits = inside(
            self.hits.get(section_id, ()),
            lambda hit: current is not None
            and (hit.section, hit.start, hit.end) == (current.section, current.start, current.end),
        )
        notes = [n for n in self.notes.get(section_id, ()) if n.status != "orphaned"]
        first = line_y == self._first_line[line.paragraph]
        markers = (
            (section_id in self.bookmarked, bool(notes),
             any(paragraph.start <= n.start <= paragraph.end for n in notes))
            if first
            else None
        )
        return (
            line_y,
            section_id,
            line,
            line.paragraph == self.cursor,
            markers,
            hits,
            inside(self.figures.get(section_id, ()), lambda figure: figure.kind),
            inside(notes, lambda note: 0),
        )

    def _render_text_line(self, line_y: int) -> Strip:
        line = self._lines[line_y]
        paragraph = self.paragraphs[line.paragraph]
        section = self.report.section(paragraph.section)
        # The base style goes in as a span: rich drops Text(style=...) when
        # rendering span-less text straight to segments.
        base = self._style("base") + self._style("text")
        spans = [(line.start, line.end, base), *self._spans(paragraph)]
        rendered = line_text(section.text, line.start, line.end, spans, strip_trailing=False)
        selection = self.text_selection
        if selection is not None and (span := selection.get_span(line_y)) is not None:
            start, end = span
            length = len(rendered.plain)
            rendered.stylize(self._style("selection"), start, length if end == -1 else end)
        body = Strip(rendered.render(self.app.console)).apply_offsets(0, line_y)
        return Strip.join([self._gutter(line_y, line, paragraph), body])

    def _spans(self, paragraph: Paragraph) -> list[tuple[int, int, Style]]:
        """Styled spans of a paragraph's section, in section offsets, later over earlier."""
        section = self.report.section(paragraph.section)
        spans: list[tuple[int, int, Style]] = []
        if paragraph.is_heading:
            kind = "heading" if section.level == 1 else "item"
            spans.append((0, len(section.text), self._style(kind)))
        elif paragraph.index_in_section == 0 and section.number:
            spans.append((0, len(section.number) + len(section.title), self._style("item")))
        spans += [(f.start, f.end, self._style(f.kind)) for f in self.figures.get(section.id, ())]
        note_style = self._style("note-span")
        spans += [
            (n.start, n.end, note_style)
            for n in self.notes.get(section.id, ())
            if n.status != "orphaned"
        ]
        current = self.current_hit
        for hit in self.hits.get(section.id, ()):
            is_current = current is not None and (hit.section, hit.start, hit.end) == (
                current.section,
                current.start,
                current.end,
            )
            spans.append((hit.start, hit.end, self._style("current" if is_current else "hit")))
        return spans

    def _gutter(self, line_y: int, line: _Line, paragraph: Paragraph) -> Strip:
        base = self._style("base")
        on_cursor = line.paragraph == self.cursor and not line.spacer
        bar = Segment("▌", base + self._style("cursor")) if on_cursor else Segment(" ", base)
        marker = Segment(" ", base)
        if line_y == self._first_line[line.paragraph] and paragraph.index_in_section == 0:
            section_id = paragraph.section
            if section_id in self.bookmarked:
                marker = Segment("★", base + self._style("bookmark"))
            elif self.notes.get(section_id):
                marker = Segment("✎", base + self._style("note-marker"))
        if marker.text == " " and line_y == self._first_line[line.paragraph]:
            for note in self.notes.get(paragraph.section, ()):
                if note.status != "orphaned" and paragraph.start <= note.start <= paragraph.end:
                    marker = Segment("✎", base + self._style("note-marker"))
                    break
        return Strip([bar, marker, Segment(" ", base)], GUTTER)
