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
        release.wait(10)
        return real(report)

    monkeypatch.setattr(report_cache, "report_figures_cached", slow_figures)
    app = BriefingApp(report, store)
    try:
        async with app.run_test(size=(120, 40)) as pilot:
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
            release.set()
            for _ in range(300):
                await pilot.pause(0.01)
                if screen.figures:
                    break
            assert screen.figures
    finally:
        release.set()
