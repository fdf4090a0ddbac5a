"""Building the pinyin index of a report never seen: progress in %, then the search runs."""

from __future__ import annotations

import re
from pathlib import Path

import briefing
from briefing.search.readings import compute_readings
from briefing.store import Store
from briefing.tui.app import BriefingApp
from briefing.tui.screens.reader import ReaderScreen
from briefing.tui.widgets.reading_status import ReadingStatus


def test_compute_readings_tells_its_progress() -> None:
    text = "\n".join(s.text for s in briefing.load_report().sections) * 3
    seen: list[float] = []
    with_progress = compute_readings(text, progress=seen.append)
    assert with_progress == compute_readings(text)
    assert seen[0] == 0.0 and seen[-1] >= 0.97
    assert seen == sorted(seen) and all(0 <= f <= 1 for f in seen)
    assert len(seen) >= 4  # more than a start and an end


async def test_indexing_shows_percent_then_searches(tmp_path: Path, store: Store) -> None:
    source = briefing.load_report()
    path = tmp_path / "fresh.txt"
    # A report of its own: its readings are in no cache, so the index is built.
    path.write_text(source.metadata.title + "\n" + source.body + "\n补充说明法治。\n")
    report = briefing.load_report(path)
    app = BriefingApp(report, store)
    busy: list[str] = []
    counters: list[str] = []
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        assert isinstance(screen, ReaderScreen)
        status = app.query_one(ReadingStatus)
        real_set_busy = status.set_busy

        def record_busy(text: str) -> None:
            busy.append(text)
            real_set_busy(text)

        status.set_busy = record_busy  # type: ignore[method-assign]
        await screen.ensure_panels()
        bar = screen.search_bar
        real_set_status = bar.set_status

        def record_status(text: str, *detail: str | None) -> None:
            counters.append(text)
            real_set_status(text, *detail)

        bar.set_status = record_status  # type: ignore[method-assign]
        bar.open()
        screen._run_search("fazhi", move=True)
        for _attempt in range(1500):
            await pilot.pause(0.02)
            if screen.index is not None and not screen.search.pending:
                break
        assert screen.index is not None
        await pilot.pause()
    assert any(re.fullmatch(r"\S+ \d{1,2}%", text) for text in busy), busy
    assert busy[-1] == ""  # gone once the index is ready
    assert any(re.search(r"\d+%$", text) for text in counters), counters
    assert screen.search.count > 0 and re.fullmatch(r"\d+/\d+", counters[-1])
