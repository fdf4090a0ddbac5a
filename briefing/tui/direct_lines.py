"""A plain widget's finished rows, made once per drawn line and then reused.

Textual passes every row a widget draws through its styles cache: the line
is stretched to the content width, padded, made a new ``Strip``, run through
the app's line filters (colours made true colour), then cropped; four or five
new strips a row, ~0.1 ms, and again for every row of a scrolled widget
although the line itself came from the widget's own cache. The reader draws
its page and its lists 30-70 rows a keystroke, and those strips are most of
what its young garbage collections then walk.

``DirectRows`` does that same work for a widget whose styles add nothing but
a background, padding on the right and a border on the left or right (no
top or bottom border, outline, hatch, tint or opacity), and keeps each
finished row keyed by the drawn line it came from: a row whose line was
drawn before is handed back as it was. Anything else is
left to Textual (``rows`` answers ``None``).
"""

from __future__ import annotations

from collections.abc import Callable

from rich.segment import Segment
from textual._border import get_box
from textual.geometry import Region
from textual.strip import Strip
from textual.style import Style
from textual.widget import Widget

from briefing.tui.lean_strip import lean_strip

SCREENS_KEPT = 2  # finished rows kept, in screens of the widget: each is a few Strips,
# each Strip seven caches the GC walks (tests/test_tui_keystroke_work.py counts them)


def is_plain(widget: Widget) -> bool:
    """Whether Textual's styles add only a background, right padding and side
    borders to the rows."""
    styles = widget.styles
    top, _right, bottom, left = styles.padding
    (border_top, _), _border_right, (border_bottom, _), _border_left = styles.border
    return (
        not top
        and not bottom
        and not left
        and not border_top
        and not border_bottom
        and not any(edge for edge, _color in styles.outline)
        and not (styles.has_rule("hatch") and styles.hatch != "none")
        and not styles.tint.a
        and styles.text_opacity == 1.0
        and widget.opacity == 1.0
        and widget._border_title is None
        and widget._border_subtitle is None
    )


class DirectRows:
    """Finished rows of one widget, by the drawn line each shows."""

    def __init__(self) -> None:
        self._look: tuple | None = None
        self._finished: dict[int, tuple[Strip, Strip]] = {}  # id(line) -> (line, row)

    def clear(self) -> None:
        self._finished.clear()

    def rows(
        self, widget: Widget, crop: Region, render_line: Callable[[int], Strip]
    ) -> list[Strip] | None:
        """The rows of ``crop`` as Textual's styles cache makes them, or ``None``
        when the widget's styles are more than a background and right padding."""
        if not is_plain(widget) or (widget.auto_links and widget.hover_style._link_id):
            if self._look is not None:  # Textual's cache drew nothing meanwhile: stale
                widget._styles_cache.clear()
                self._look = None
                self._finished.clear()
            return None
        width, height = widget.region.size
        content_width, content_height = widget.content_region.size
        pad_right = widget.styles.padding.right
        base_background, background = widget.background_colors
        filters = tuple(widget.get_line_filters())
        _top, (right_edge, right_color), _bottom, (left_edge, left_color) = widget.styles.border
        borders = (left_edge, left_color, right_edge, right_color)
        look = (width, content_width, pad_right, base_background, background, filters, borders)
        if look != self._look:
            self._finished.clear()
            self._look = look
        inner_style = Style(background=base_background + background)
        inner = inner_style.rich_style
        outer_style = Style(background=base_background)
        left = right = None
        if left_edge:
            edge_style = Style(foreground=base_background + left_color)
            left = get_box(left_edge, inner_style, outer_style, edge_style)[1][0]
        if right_edge:
            edge_style = Style(foreground=base_background + right_color)
            right = get_box(right_edge, inner_style, outer_style, edge_style)[1][2]
        finished = self._finished
        rows: list[Strip] = []
        for y in crop.line_range:
            if y >= height:
                break
            line = render_line(y) if y < content_height else None
            row_and_line = finished.pop(id(line), None) if line is not None else None
            if row_and_line is not None and row_and_line[0] is line:
                finished[id(line)] = row_and_line  # the newest again: the last to go
                rows.append(row_and_line[1])
                continue
            segments: list[Segment]
            if line is None:
                segments = [Segment(" " * content_width, inner)]
            elif line.cell_length < content_width:
                # Padded here as ``adjust_cell_length`` pads, without the Strip it
                # makes (and keeps in the line's cache): the page's lines stop
                # short of the scrollbar's columns, so this was every new row.
                segments = [*line, Segment(" " * (content_width - line.cell_length), inner)]
            else:
                segments = list(line.adjust_cell_length(content_width, inner))
            if pad_right:
                segments.append(Segment(" " * pad_right, inner))
            if left is not None:
                segments.insert(0, left)
            if right is not None:
                segments.append(right)
            # The line filters run on the segments, before the one Strip is made:
            # ``Strip.apply_filter`` made a second Strip per row (each with its
            # seven caches, walked by the young garbage collections).
            for line_filter in filters:
                segments = line_filter.apply(segments, background)
            row = lean_strip(segments, width)  # kept: its caches made only if used
            if line is not None:
                while len(finished) >= SCREENS_KEPT * height:
                    del finished[next(iter(finished))]  # the row used longest ago
                finished[id(line)] = (line, row)  # the line is kept: its id stays its own
            rows.append(row)
        if crop.column_span != (0, width):
            x1, x2 = crop.column_span
            rows = [row.crop(x1, x2) for row in rows]
        return rows
