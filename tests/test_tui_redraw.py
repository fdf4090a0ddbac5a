"""A keystroke redraws what changed, not the whole screen."""

from __future__ import annotations

import pytest

from briefing.model import Report
from briefing.store import Store
from briefing.tui.app import BriefingApp
from briefing.tui.widgets.toc import ContentsList


async def test_moving_the_contents_cursor_draws_two_rows(
    report: Report, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = BriefingApp(report, store)
    async with app.run_test(size=(120, 40)) as pilot:
        # Until the index, the figures and the panels are all in: each arrives
        # from its own worker and may repaint the screen once.
        screen = app.screen
        for _ in range(500):
            await app.workers.wait_for_complete()
            await pilot.pause(0.01)
            if screen.index is not None and screen.figures and screen._panels_ready.is_set():
                break
        await pilot.pause()
        contents = app.query_one(ContentsList)
        drawn: list[int] = []
        real = ContentsList.render_row

        def counting(self: ContentsList, index: int, width: int):
            drawn.append(index)
            return real(self, index, width)

        monkeypatch.setattr(ContentsList, "render_row", counting)
        start = contents.cursor
        contents.move_cursor(start + 1)  # as when the page reaches the next section
        await pilot.pause()
        assert sorted(drawn) == [start, start + 1]
