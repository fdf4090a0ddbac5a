"""Scrollbars drawn again only when what they show changes.

Textual repaints a scrollbar whenever one of its numbers changes: on a 5 MB
report every scroll wraps a few new paragraphs, their exact heights change
the virtual height by a line or two, and the whole bar (a rich renderable
turned into one ``Strip`` per row, 2-9 ms) was drawn again although its thumb,
an eighth of a cell fine, had not moved. ``CachedScrollBar`` keys its drawn
rows by what they show (size, colours, the thumb's ends in eighths of a cell)
and hands back the same rows while that key holds.

Drawing them costs Textual's whole per-line pipeline for every row, yet a
vertical bar has at most five kinds of row (track above the thumb, the
thumb's top end, thumb, its bottom end, track below): each kind is drawn once
and repeated (a 38-row bar: ~7 M instructions of the first paint to ~1 M).
"""

from __future__ import annotations

from itertools import pairwise
from math import ceil

from textual.geometry import Region
from textual.scrollbar import ScrollBar, ScrollBarRender
from textual.strip import Strip
from textual.widget import Widget


def thumb_ends(
    size: int, virtual_size: float, window_size: float, position: float, eighths: int = 8
) -> tuple[int, int] | None:
    """The thumb's first and last edge in ``eighths`` of a cell, as
    ``ScrollBarRender.render_bar`` computes them (``None``: no thumb drawn)."""
    if not (window_size and size and virtual_size and size != virtual_size):
        return None
    thumb_size = max(1, window_size / (virtual_size / size))
    at = (size - thumb_size) * (position / (virtual_size - window_size))
    start = int(at * eighths)
    return start, start + ceil(thumb_size * eighths)


class CachedScrollBar(ScrollBar):
    """A ``ScrollBar`` that reuses its drawn rows while its look is unchanged."""

    _drawn_key: tuple | None = None
    _drawn: list[Strip] = []

    def _look(self) -> tuple:
        """Everything the drawn rows depend on."""
        bar = self.render()
        width, height = self.size
        if not isinstance(bar, ScrollBarRender):  # a renderer of the app's own
            return (id(bar),)
        length = height if bar.vertical else width
        eighths = len(bar.VERTICAL_BARS if bar.vertical else bar.HORIZONTAL_BARS)
        ends = thumb_ends(length, bar.virtual_size, bar.window_size, bar.position, eighths)
        return (type(bar), width, height, bar.vertical, bar.thickness, bar.style, ends)

    def _row_runs(self) -> list[tuple[int, int]] | None:
        """The bar's rows as runs ``(start, stop)`` of rows drawn alike (None: draw
        every row). Rows differ only at the thumb's two ends (``render_bar``), for
        a vertical bar with no border, padding or outline of its own."""
        bar = self.render()
        height = self.size.height
        if not isinstance(bar, ScrollBarRender) or not bar.vertical or height < 1:
            return None
        styles = self.styles
        if any(styles.gutter) or any(edge for edge, _color in styles.outline):
            return None
        eighths = len(bar.VERTICAL_BARS)
        ends = thumb_ends(height, bar.virtual_size, bar.window_size, bar.position, eighths)
        cuts = {0, height}
        if ends is not None:
            first, last = (max(0, end) // eighths for end in ends)
            cuts.update(row for row in (first, first + 1, last, last + 1) if 0 < row < height)
        edges = sorted(cuts)
        return list(pairwise(edges))

    def _draw_rows(self) -> list[Strip]:
        runs = self._row_runs()
        if runs is None:
            return super().render_lines(self.size.region)
        width = self.size.width
        drawn: list[Strip] = []
        for start, stop in runs:
            (strip,) = super().render_lines(Region(0, start, width, 1))
            drawn.extend([strip] * (stop - start))
        return drawn

    def render_lines(self, crop: Region) -> list[Strip]:
        key = self._look()
        if key != self._drawn_key or len(self._drawn) != self.size.height:
            self._drawn = self._draw_rows()
            self._drawn_key = key
        strips = self._drawn[crop.y : crop.bottom]
        if crop.column_span != (0, self.size.width):
            strips = [strip.crop(crop.x, crop.right) for strip in strips]
        return strips


def cached_vertical_scrollbar(widget: Widget) -> ScrollBar:
    """``Widget.vertical_scrollbar`` made a ``CachedScrollBar`` (made when first asked
    for, as Textual makes its own)."""
    if widget._vertical_scrollbar is not None:
        return widget._vertical_scrollbar
    bar = CachedScrollBar(vertical=True, name="vertical", thickness=widget.scrollbar_size_vertical)
    bar.display = False
    widget._vertical_scrollbar = bar
    widget.app._start_widget(widget, bar)
    return bar
