"""RowList: a cheap one-line-per-row list with a cursor, drawn with the Line API.

``OptionList`` measures and wraps every option when it is filled, which costs
tens of milliseconds for a few hundred search hits; a ``RowList`` only builds
the rows that are on screen, so it can be refilled on every keystroke.
Subclasses say how a row looks (``render_row``) and what choosing it means
(``row_chosen``). Rows are ``rich.text.Text`` built from plain strings.
"""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from briefing.i18n import N_
from briefing.tui.cells import fit_cells
from briefing.tui.direct_lines import DirectRows
from briefing.tui.lean_strip import lean_strip
from briefing.tui.widgets.self_sized import SelfSizedScrollView

ROW_CACHE_SIZE = 256  # drawn rows kept: a few screens (each Strip is walked by the GC)


class RowList(SelfSizedScrollView, can_focus=True):
    """Rows ``0 … row_count-1``; ``cursor`` is the highlighted one."""

    DEFAULT_CSS = """
    RowList {
        height: 1fr;
        overflow-x: hidden;
        scrollbar-size-vertical: 1;
    }
    RowList > .row-list--cursor {
        background: $block-cursor-blurred-background;
    }
    RowList > .row-list--empty {
        color: $text-muted;
    }
    RowList:focus > .row-list--cursor {
        background: $block-cursor-background;
        color: $block-cursor-foreground;
        text-style: bold;
    }
    """

    COMPONENT_CLASSES = {"row-list--cursor", "row-list--empty"}

    class Chosen(Message):
        """Enter or a click on a row (``index``), unless ``row_chosen`` says otherwise.

        One message for every list, so each list need not repeat it; handlers tell
        the lists apart by ``control`` (``@on(RowList.Chosen, "#id")``).
        """

        def __init__(self, row_list: RowList, index: int) -> None:
            self.row_list = row_list
            self.index = index
            super().__init__()

        @property
        def control(self) -> RowList:
            return self.row_list

    BINDINGS = [
        Binding("down,j", "move(1)", N_("Down"), show=False, id="rows.down"),
        Binding("up,k", "move(-1)", N_("Up"), show=False, id="rows.up"),
        Binding("home,g", "move_to(0)", N_("First"), show=False, id="rows.first"),
        Binding("end,G", "move_to(-1)", N_("Last"), show=False, id="rows.last"),
        Binding("pagedown", "move(10)", N_("Page down"), show=False, id="rows.page_down"),
        Binding("pageup", "move(-10)", N_("Page up"), show=False, id="rows.page_up"),
        Binding("enter,space", "choose", N_("Choose"), show=False, id="rows.choose"),
    ]

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.row_count = 0
        self.cursor = 0
        self._cache: dict[tuple[int, int, bool], Strip] = {}
        self._direct_rows = DirectRows()  # finished rows by drawn row (see tui.direct_lines)
        self._pair_styles: tuple[Style, Style] | None = None  # (base, cursor); rich_style is slow
        self._component_style_cache: dict[str, Style] = {}
        self.empty_text = ""  # a muted first line while there are no rows

    # ------------------------------------------------------------------ to override

    def render_row(self, index: int, width: int) -> Text:
        """The text of one row, at most ``width`` cells wide."""
        raise NotImplementedError

    def row_chosen(self, index: int) -> None:
        """Enter or a click on a row: posts ``Chosen`` (a subclass may say more)."""
        self.post_message(self.Chosen(self, index))

    # ------------------------------------------------------------------ state

    def set_row_count(self, count: int, *, cursor: int = 0) -> None:
        """Replace the rows (the subclass holds their data) and reset the cursor."""
        self.row_count = count
        self.cursor = max(0, min(cursor, count - 1))
        size = Size(self.virtual_size.width, count)
        if size != self.virtual_size:
            # The list's own box does not change size, so the screen needs no
            # new layout (which setting virtual_size would cause): only the
            # scrollbar (its thumb too) and the rows change.
            self.set_reactive(ScrollView.virtual_size, size)
            self._scroll_update(size)
        self.redraw()
        self.scroll_to_region(Region(0, self.cursor, 1, 1), animate=False, immediate=True)

    def set_empty_text(self, text: str) -> None:
        """What the list says while it has no rows (a hint, "no hits")."""
        if text != self.empty_text:
            self.empty_text = text
            if not self.row_count:
                self.refresh(Region(0, 0, self.size.width, 1))

    def redraw(self) -> None:
        """Forget drawn rows (their data or the theme changed)."""
        self._cache.clear()
        self.refresh()

    def move_cursor(self, row: int) -> None:
        """Move the highlight; only the two rows it leaves and reaches are drawn again
        (their cached lines are kept by ``(row, width, is_cursor)``)."""
        if not self.row_count:
            return
        old = self.cursor
        self.cursor = max(0, min(row, self.row_count - 1))
        if old != self.cursor:
            self._refresh_row(old)
            self._refresh_row(self.cursor)
        self.scroll_to_region(Region(0, self.cursor, 1, 1), animate=False, immediate=True)

    def _refresh_row(self, row: int) -> None:
        y = row - int(self.scroll_offset.y)
        if 0 <= y < self.size.height:
            self.refresh(Region(0, y, self.size.width, 1))

    # ------------------------------------------------------------------ input

    def action_move(self, delta: int) -> None:
        self.move_cursor(self.cursor + delta)

    def action_move_to(self, row: int) -> None:
        self.move_cursor(row if row >= 0 else self.row_count - 1)

    def action_choose(self) -> None:
        if self.row_count:
            self.row_chosen(self.cursor)

    def on_click(self, event: events.Click) -> None:
        row = event.y + int(self.scroll_offset.y)
        if 0 <= row < self.row_count:
            self.move_cursor(row)
            self.row_chosen(row)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._cache.clear()
        self._pair_styles = None
        self._component_style_cache.clear()

    def component_style(self, name: str) -> Style:
        """A component class's style (without the background), computed once per theme."""
        style = self._component_style_cache.get(name)
        if style is None:
            style = self._component_style_cache[name] = self.get_component_rich_style(
                name, partial=True
            )
        return style

    def _line_styles(self) -> tuple[Style, Style]:
        if self._pair_styles is None:
            base = self.rich_style
            self._pair_styles = (base, base + self.get_component_rich_style("row-list--cursor"))
        return self._pair_styles

    # ------------------------------------------------------------------ rendering

    def _empty_line(self, width: int, base: Style) -> Strip:
        text = fit_cells(self.empty_text, max(width - 1, 1))
        text.stylize_before(base + self.component_style("row-list--empty"))
        segments = [Segment(" ", base), *text.render(self.app.console)]
        return Strip(segments).adjust_cell_length(width, base)

    _pass_width: int | None = None  # the rows' width during a render pass

    def render_lines(self, crop: Region) -> list[Strip]:
        # The width every row of the pass is drawn at, found once: Textual's
        # ``scrollable_content_region`` looks the widget up on the screen each
        # time (a tenth of drawing a row).
        self._pass_width = self.scrollable_content_region.width
        try:
            # A row drawn before is handed back finished (see tui.direct_lines): a
            # scrolled list drew every row through Textual's styles again.
            rows = self._direct_rows.rows(self, crop, self.render_line)
            return super().render_lines(crop) if rows is None else rows
        finally:
            self._pass_width = None

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        row = scroll_y + y
        width = self._pass_width
        if width is None:  # outside a render pass (a test, an export of the screen)
            width = self.scrollable_content_region.width
        base, cursor_style = self._line_styles()
        if row >= self.row_count:
            if row == 0 and self.empty_text:
                return self._empty_line(width, base)
            return Strip.blank(width, base)
        is_cursor = row == self.cursor
        key = (row, width, is_cursor)
        strip = self._cache.get(key)
        if strip is None:
            line_style = cursor_style if is_cursor else base
            text = self.render_row(row, max(width - 1, 1))
            segments = [Segment(" ", line_style), *_row_segments(text, line_style, self.app)]
            cells = Segment.get_line_length(segments)
            if cells < width:  # padded here: adjust_cell_length made a second Strip
                segments.append(Segment(" " * (width - cells), line_style))
                strip = lean_strip(segments, width)  # kept: caches made only if used
            else:
                strip = Strip(segments, cells).adjust_cell_length(width, line_style)
            if len(self._cache) >= ROW_CACHE_SIZE:  # a long list scrolled through
                self._cache.clear()
            self._cache[key] = strip
        return strip.crop(scroll_x, scroll_x + width)


def _row_segments(text: Text, line_style: Style, app: object) -> list[Segment]:
    """The segments of a one-line row drawn over ``line_style``.

    A row is plain strings appended with ``Style`` spans that follow one
    another (every list here builds them so): its segments are made here
    directly, each span's style over the line's, as Rich's ``Text.render``
    would make them after ``stylize_before(line_style)``, without its stack of
    styles per boundary (a third of drawing a row). Anything else goes through
    Rich.
    """
    plain = text.plain
    spans = text.spans
    if plain and not text.style and all(type(span.style) is Style for span in spans):
        at = 0
        segments: list[Segment] = []
        add = segments.append
        for start, end, style in spans:
            if start < at or end > len(plain):
                break  # overlapping or out of order: Rich sorts that out
            if start > at:
                add(Segment(plain[at:start], line_style))
            if end > start:
                add(Segment(plain[start:end], line_style + style))
            at = max(at, end)
        else:
            if at < len(plain):
                add(Segment(plain[at:], line_style))
            return segments
    text = text.copy()
    text.no_wrap = True
    text.end = ""
    text.stylize_before(line_style)
    return list(text.render(app.console))  # type: ignore[attr-defined]
