"""Big reports in the reader: what loads when, and what the header marks."""

from __future__ import annotations

import threading

import pytest

from briefing.model import Report
from briefing.store import Store
from briefing.tui.app import BriefingApp
from tests.test_tui import reader_of, wait_for_search


async def test_search_works_while_the_figures_are_still_loading(
    report: Report, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The index has its own worker: slow figures never hold up the search."""
    from briefing import report_cache

    release = threading.Event()
    real = report_cache.report_figures_cached

    def slow_figures(report: Report):  # a 19 MB report's figures take seconds
        release.wait(120)
        return real(report)

    monkeypatch.setattr(report_cache, "report_figures_cached", slow_figures)
    app = BriefingApp(report, store)
    async with app.run_test(size=(120, 40)) as pilot:
        try:
            screen = reader_of(app)
            for _ in range(300):
                await pilot.pause(0.01)
                if screen.index is not None:
                    break
            assert screen.index is not None and not screen.figures
            await screen.ensure_panels()
            screen.search_bar.open()
            screen._run_search("fzzf", move=True)
            await wait_for_search(pilot, screen)
            assert screen.search.count and not screen.figures
        finally:
            release.set()  # before the app exits: it waits for its worker threads
        for _ in range(300):
            await pilot.pause(0.01)
            if screen.figures:
                break
        assert screen.figures


async def _searched(pilot, screen, query: str) -> None:
    for _ in range(300):
        await pilot.pause(0.01)
        if screen.index is not None:
            break
    await screen.ensure_panels()
    screen.search_bar.open()
    screen._run_search(query, move=False)
    await wait_for_search(pilot, screen)


async def test_hits_in_the_publisher_are_marked_in_the_header(report: Report, store: Store) -> None:
    from briefing.tui.widgets.report_header import ReportHeader

    publisher = report.metadata.publisher
    assert publisher == "常州市人民政府"
    app = BriefingApp(report, store)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = reader_of(app)
        header = app.query_one(ReportHeader)
        await _searched(pilot, screen, "renmin")
        meta_hits = [h for h in (screen.search.hits[k] for k in range(3)) if h.section == "meta"]
        assert meta_hits  # counted ...
        sub = screen.sub_title
        marks = header.sub_title_marks
        assert marks  # ... and marked where the header shows the publisher
        assert {sub[start:end] for start, end, _ in marks} == {"人民"}
        rendered = header.format_title()
        assert any(span.style for span in rendered.spans if "on " in str(span.style))
        # Esc: the marks go with the search.
        screen.search_bar.close_keeping_hits()
        screen._show_results(_no_results())
        await pilot.pause()
        assert header.sub_title_marks == []


def _no_results():
    from briefing.tui.search_state import NO_HITS, SearchResults

    return SearchResults("", NO_HITS)


async def test_a_hit_in_a_field_the_header_does_not_show_is_shown_when_current(
    report: Report, store: Store
) -> None:
    """索引号 is searched but not in the header: stepping onto its hit shows the field."""
    from briefing.tui.widgets.report_header import ReportHeader

    app = BriefingApp(report, store)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = reader_of(app)
        header = app.query_one(ReportHeader)
        await _searched(pilot, screen, "014109429")
        assert screen.search.count >= 1
        first = screen.search.hits[0]
        assert first.section == "meta"
        screen._go_to_hit(0)
        screen.search_bar.close_keeping_hits()
        screen._update_sub_title()
        await pilot.pause()
        sub = screen.sub_title
        assert sub.startswith("/014109429  1/")
        assert sub.endswith("索 引 号:014109429/2022-00045")
        [(start, end, current)] = header.sub_title_marks
        assert sub[start:end] == "014109429" and current
