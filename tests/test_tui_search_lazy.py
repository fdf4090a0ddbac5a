"""The reader's search is lazy and covers the title: count, current hit and what is on screen.

A one-letter query on a 5 MB report has ~200,000 hits; the reader must never
ask the index for all of them (``PinyinIndex.search``) nor build a ``Match``
per hit, on any thread. Hits in the title come first and are marked in the
header; ``n`` from there goes on into the text.
"""

from __future__ import annotations

import pytest

import briefing.search.index as index_module
from briefing.i18n import _
from briefing.model import Report
from briefing.store import Store
from briefing.tui.app import BriefingApp
from briefing.tui.screens.reader import ReaderScreen
from briefing.tui.widgets.reader_view import ReaderView
from briefing.tui.widgets.report_header import ReportHeader


async def _ready(pilot, app: BriefingApp) -> ReaderScreen:
    screen = app.screen
    assert isinstance(screen, ReaderScreen)
    for _attempt in range(500):
        if screen.index is not None:
            break
        await pilot.pause(0.02)
    assert screen.index is not None
    await screen.ensure_panels()
    return screen


async def _search(pilot, screen: ReaderScreen, query: str) -> None:
    screen.search_bar.open()
    screen._run_search(query, move=True)
    for _attempt in range(500):
        await pilot.pause(0.01)
        if not screen.search.pending:
            break
    await pilot.pause()
    assert not screen.search.pending


async def test_the_reader_never_lists_every_hit(
    report: Report, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    built = []
    real_new_match = index_module._new_match
    ahead = [False]  # the screen below, drawn in a pause, asks for its own few hits
    real_ahead = ReaderView._draw_ahead

    def counting(*args):
        if not ahead[0]:
            built.append(args)
        return real_new_match(*args)

    def drawing_ahead(self: ReaderView) -> None:
        ahead[0] = True
        try:
            real_ahead(self)
        finally:
            ahead[0] = False

    def no_full_search(*args, **kwargs):
        raise AssertionError("the reader asked the index for every hit")

    app = BriefingApp(report, store)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _ready(pilot, app)
        monkeypatch.setattr(index_module.PinyinIndex, "search", no_full_search)
        monkeypatch.setattr(index_module, "_new_match", counting)
        monkeypatch.setattr(ReaderView, "_draw_ahead", drawing_ahead)
        await _search(pilot, screen, "f")
        count = screen.search.count
        assert count > 200
        assert screen.search.status().startswith(f"{screen.search.position + 1}/{count}")
        for key in ("enter", "n", "n", "N"):
            await pilot.press(key)
        await pilot.pause()
        # The current hit, the hits on the lines drawn and the result rows shown:
        # a few dozen, not one per hit.
        assert 0 < len(built) < count / 2


async def test_title_hits_come_first_and_n_goes_on_into_the_text(
    report: Report, store: Store
) -> None:
    title = report.metadata.title
    assert "法治" in title
    app = BriefingApp(report, store)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _ready(pilot, app)
        header = app.query_one(ReportHeader)
        await _search(pilot, screen, "fazhi")
        first = screen.search.hits[0]
        assert first.section == "title" and title[first.start : first.end] == "法治"
        # Listed first in the results, named as the title.
        results = screen.search_bar.results
        assert results.render_row(0, 60).plain.startswith(_("Title"))
        # Marked in the header while the search is on.
        assert header._marks and header._marks[0][:2] == (first.start, first.end)
        # From the first hit in the text, N goes back to the title hit ...
        screen._go_to_hit(1)
        assert screen.search.current.section != "title"
        await pilot.press("enter")
        await pilot.press("N")
        await pilot.pause()
        assert screen.search.position == 0 and screen.search.current == first
        assert header._marks[0] == (first.start, first.end, True)
        section_before = app.query_one(ReaderView).current_section_id
        # ... and n from the title goes on to the text.
        await pilot.press("n")
        await pilot.pause()
        hit = screen.search.current
        assert screen.search.position == 1 and hit.section == report.sections[0].id
        assert app.query_one(ReaderView).current_section_id == hit.section
        assert header._marks[0] == (first.start, first.end, False)
        assert section_before  # the page stayed readable throughout
        # Esc abandons the search: the header is plain again.
        await pilot.press("slash", "escape")
        await pilot.pause()
        assert header._marks == []
