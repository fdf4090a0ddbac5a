"""A cached scrollbar draws each kind of row once and gets Textual's rows exactly.

Every row of a bar went through Textual's per-line pipeline, yet a vertical
bar has at most five kinds of row; ``CachedScrollBar`` draws one of each and
repeats it. Whatever the thumb's place and size, the rows must be the very
rows Textual draws row by row.
"""

from __future__ import annotations

from textual.scrollbar import ScrollBar

from briefing.model import Report
from briefing.store import Store
from briefing.tui.scrollbars import CachedScrollBar


def _every_row_drawn_by_textual(bar: CachedScrollBar) -> list:
    return ScrollBar.render_lines(bar, bar.size.region)


async def test_the_rows_are_those_textual_draws_at_every_place_and_size(
    report: Report, store: Store
) -> None:
    from briefing.tui.app import BriefingApp
    from briefing.tui.widgets.reader_view import ReaderView
    from briefing.tui.widgets.toc import ContentsList

    app = BriefingApp(report, store)
    checked = 0
    for height in (40, 23):
        async with app.run_test(size=(120, height)) as pilot:
            await pilot.pause()
            for widget in (app.query_one(ContentsList), app.query_one(ReaderView)):
                bar = widget.vertical_scrollbar
                assert isinstance(bar, CachedScrollBar)
                if not bar.display or not bar.size.height:
                    continue  # every row on screen: no bar (the bundled contents fit)
                for fraction in (0, 0.003, 0.2, 0.37, 0.5, 0.81, 0.999, 1):
                    widget.scroll_to(y=fraction * widget.max_scroll_y, animate=False)
                    await pilot.pause()
                    runs = bar._row_runs()
                    assert runs is not None and len(runs) <= 5
                    assert bar._draw_rows() == _every_row_drawn_by_textual(bar)
                    checked += 1
            app = BriefingApp(report, store)
    assert checked >= 16  # the page's bar at both heights at least
