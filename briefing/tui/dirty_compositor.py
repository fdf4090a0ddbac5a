"""A compositor whose partial frames draw only the widgets that changed.

Textual paints a partial frame by drawing every widget that overlaps the
*bounding box* of the frame's dirty regions. A search result changes the
header's title (top row), a few rows of the page and the results list (bottom
rows): their box is the whole screen, so every widget on it (the footer, the
input, the contents list, the containers) was asked for all its rows again,
and each of those rows was cut into the screen's pieces, though only the
changed rows are written to the terminal. Here each widget is asked only for
the rows where a dirty region overlaps it, and only if one does; what reaches
the terminal is unchanged (the same spans of the same rows).
"""

from __future__ import annotations

from textual._compositor import ChopsUpdate, Compositor
from textual.geometry import Region
from textual.strip import Strip


class DirtyRegionCompositor(Compositor):
    """``Compositor`` drawing, per partial frame, only the dirty rows of each widget."""

    def render_partial_update(self) -> ChopsUpdate | None:
        screen = self.size.region
        regions = [region.intersection(screen) for region in self._dirty_regions]
        self._dirty_regions.clear()
        regions = [region for region in regions if region]
        if not regions:
            return None
        spans = list(self._regions_to_spans(regions))
        chops = self._render_dirty_chops(regions, {y for y, _, _ in spans})
        return ChopsUpdate(chops, spans, [cut_set[1:] for cut_set in self.cuts])

    def _render_dirty_chops(
        self, regions: list[Region], rendered_lines: set[int]
    ) -> list[dict[int, Strip | None]]:
        """The screen's pieces on the rendered lines, drawn front to back.

        A piece (between two cuts) lies within one topmost widget; a span that
        touches it comes from a dirty region that overlaps that widget on that
        row, so that widget is drawn on that row and fills the piece before any
        widget beneath it can: the first strip for a piece wins, as in
        ``Compositor._render_chops``.
        """
        cuts = self.cuts
        chops: list[dict[int, Strip | None]] = [dict.fromkeys(cut_set[:-1]) for cut_set in cuts]
        for widget, (region, clip) in self.visible_widgets.items():
            visible = region.intersection(clip)
            if not visible:
                continue
            top = bottom = -1
            for dirty in regions:
                overlap = visible.intersection(dirty)
                if overlap:
                    if top < 0 or overlap.y < top:
                        top = overlap.y
                    if overlap.bottom > bottom:
                        bottom = overlap.bottom
            if top < 0:
                continue  # nothing of this widget changed, nor anything over it
            crop = Region(visible.x - region.x, top - region.y, visible.width, bottom - top)
            strips = widget.render_lines(crop)
            first_cut, last_cut = visible.column_span
            x = visible.x
            for y, strip in zip(range(top, bottom), strips, strict=False):
                if y not in rendered_lines:
                    continue
                line = chops[y]
                line_cuts = [cut for cut in cuts[y] if last_cut >= cut >= first_cut]
                pieces = strip.divide([cut - x for cut in line_cuts[1:]])
                for cut, piece in zip(line_cuts, pieces, strict=False):
                    if line.get(cut) is None:
                        line[cut] = piece
        return chops
