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

import inspect
from itertools import pairwise

from textual._compositor import ChopsUpdate, Compositor
from textual.geometry import Region
from textual.strip import Strip


def fits_textual() -> bool:
    """Whether Textual's compositor still has the private parts this one uses.

    They are not Textual's public interface: a release that renames them must
    leave the reader on Textual's own compositor, slower but right, not crash it.
    """
    try:
        compositor = Compositor()
        parameters = list(inspect.signature(ChopsUpdate).parameters)
    except (TypeError, ValueError):
        return False
    return (
        parameters == ["chops", "spans", "chop_ends"]
        and callable(getattr(Compositor, "_regions_to_spans", None))
        and isinstance(getattr(compositor, "_dirty_regions", None), set)
        and all(hasattr(compositor, name) for name in ("cuts", "visible_widgets", "size"))
    )


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
        chops = self._render_dirty_chops(regions, spans)
        return ChopsUpdate(chops, spans, [cut_set[1:] for cut_set in self.cuts])

    def _render_dirty_chops(
        self, regions: list[Region], spans: list[tuple[int, int, int]]
    ) -> list[dict[int, Strip | None]]:
        """The screen's pieces on the rendered lines, drawn front to back.

        A piece (between two cuts) lies within one topmost widget; a span that
        touches it comes from a dirty region that overlaps that widget on that
        row, so that widget is drawn on that row and fills the piece before any
        widget beneath it can: the first strip for a piece wins, as in
        ``Compositor._render_chops``. A widget none of whose pieces that a span
        touches is still empty (a container behind its children) is not drawn.
        """
        cuts = self.cuts
        spans_at: dict[int, list[tuple[int, int]]] = {}
        for y, x1, x2 in spans:
            spans_at.setdefault(y, []).append((x1, x2))
        rendered_lines = spans_at.keys()
        written = {y: _pieces_in_spans(cuts[y], row_spans) for y, row_spans in spans_at.items()}
        chops: list[dict[int, Strip | None]] = [dict.fromkeys(cut_set[:-1]) for cut_set in cuts]
        regions = _stacked(regions)
        for widget, (region, clip) in self.visible_widgets.items():
            visible = region.intersection(clip)
            if not visible:
                continue
            first_cut, last_cut = visible.column_span
            rows = [
                y
                for y in _rows_overlapping(visible, regions)
                if y in rendered_lines
                and any(first_cut <= cut < last_cut and chops[y][cut] is None for cut in written[y])
            ]
            if not rows:
                continue  # nothing of it changed, or only what is hidden behind others
            top, bottom = rows[0], rows[-1] + 1
            crop = Region(visible.x - region.x, top - region.y, visible.width, bottom - top)
            strips = widget.render_lines(crop)
            x = visible.x
            for y, strip in zip(range(top, bottom), strips, strict=False):
                if y not in rendered_lines:
                    continue
                line = chops[y]
                line_cuts = [cut for cut in cuts[y] if last_cut >= cut >= first_cut]
                missing = [i for i, cut in enumerate(line_cuts[:-1]) if line.get(cut) is None]
                if len(missing) == len(line_cuts) - 1:
                    pieces = strip.divide([cut - x for cut in line_cuts[1:]])
                    for cut, piece in zip(line_cuts, pieces, strict=False):
                        line[cut] = piece
                    continue
                # Only the pieces still empty: dividing made every piece a Strip
                # (seven caches each), and the page's every new row was cut in
                # two for its text and the scrollbar's columns, drawn already.
                for i in missing:
                    line[line_cuts[i]] = strip.crop(line_cuts[i] - x, line_cuts[i + 1] - x)
        return chops


def _stacked(regions: list[Region]) -> list[Region]:
    """The regions with rows of the same columns that touch joined into one
    (the page marks each changed row apart: tens of one-row regions)."""
    joined: list[Region] = []
    for region in sorted(regions, key=lambda r: (r.x, r.width, r.y)):
        if joined:
            last = joined[-1]
            if (last.x, last.width) == (region.x, region.width) and region.y <= last.bottom:
                bottom = max(last.bottom, region.bottom)
                joined[-1] = Region(last.x, last.y, last.width, bottom - last.y)
                continue
        joined.append(region)
    return joined


def _pieces_in_spans(line_cuts: list[int], spans: list[tuple[int, int]]) -> list[int]:
    """The cuts starting the pieces of a row that a span of that row writes on."""
    return [
        cut for cut, end in pairwise(line_cuts) if any(x1 < end and cut < x2 for x1, x2 in spans)
    ]


def _rows_overlapping(visible: Region, regions: list[Region]) -> list[int]:
    """The screen rows on which some region overlaps ``visible``, in order."""
    rows: set[int] = set()
    for dirty in regions:
        overlap = visible.intersection(dirty)
        if overlap:
            rows.update(range(overlap.y, overlap.bottom))
    return sorted(rows)
