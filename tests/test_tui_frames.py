"""A keystroke is painted in one frame: the page, the contents and the status line together.

Each paint walks every widget on the screen, so a keystroke whose changes
reached the screen in two goes cost two such walks. Counted, not timed.
"""

from __future__ import annotations

import asyncio

import pytest

from briefing.model import Report
from briefing.store import Store
from briefing.tui.app import BriefingApp
from briefing.tui.widgets.reading_status import ReadingStatus
from briefing.tui.widgets.toc import ContentsList
from tests.conftest import reader_ready

FRAME = 1 / 60


@pytest.mark.parametrize("key", ["right_square_bracket", "space", "G"])
async def test_a_reading_key_is_painted_in_one_frame(
    report: Report, store: Store, key: str
) -> None:
    """The page, the contents cursor, the status line and the scrollbar change in one paint."""
    app = BriefingApp(report, store)
    async with app.run_test(size=(120, 40)) as pilot:
        await reader_ready(app, pilot, wait_workers=True)
        screen = app.screen
        frames: list[set[str]] = []
        paint = screen._compositor_refresh

        def counted() -> None:
            frames.append({type(w).__name__ for w in screen._dirty_widgets})
            paint()

        screen._compositor_refresh = counted

        async def painted() -> None:
            quiet = 0
            while quiet < 5:
                before = len(frames)
                await asyncio.sleep(FRAME)
                quiet = quiet + 1 if len(frames) == before else 0

        screen.view.focus()
        await painted()
        contents = app.query_one(ContentsList)
        status = app.query_one(ReadingStatus)
        # Something else (a worker's message on a loaded machine) may paint in
        # between: fail only when no attempt of the key was one frame.
        attempts: list[list[set[str]]] = []
        for _attempt in range(3):
            if key == "G":
                await pilot.press("g")
                await painted()
            frames.clear()
            where, cursor = status.text, contents.cursor
            await pilot.press(key)
            await painted()
            assert contents.cursor != cursor and status.text != where  # both changed
            attempts.append(list(frames))
            if len(frames) == 1:
                break
        else:
            pytest.fail(f"{key} was painted in several frames each time: {attempts}")
        assert {"ReaderView", "ContentsList", "ReadingStatus"} <= attempts[-1][0]


async def test_a_drawn_line_is_one_strip_with_the_offsets_a_selection_needs(
    report: Report, store: Store
) -> None:
    """The text of a line carries each character's place (what ``Strip.apply_offsets``
    gives), the gutter none, and the line fills the view's width exactly."""
    from briefing.tui.widgets.reader_view import GUTTER, ReaderView

    app = BriefingApp(report, store)
    async with app.run_test(size=(100, 30)) as pilot:
        await reader_ready(app, pilot, wait_workers=True)
        view = app.query_one(ReaderView)
        width = view.scrollable_content_region.width
        for y in range(view.size.height):
            strip = view.render_line(y)
            assert strip.cell_length == width
            segments = list(strip)
            cut = GUTTER + view._margin
            gutter, body, used = [], [], 0
            for segment in segments:
                (gutter if used < cut else body).append(segment)
                used += segment.cell_length
            assert all("offset" not in (s.style.meta if s.style else {}) for s in gutter)
            text = [s for s in body if s.style and "offset" in s.style.meta]
            if not text:
                continue  # a blank line between sections
            line_y, x = round(view.scroll_y) + y, 0
            for segment in text:  # counted in characters from the start of the text
                assert segment.style.meta["offset"] == (x, line_y)
                x += len(segment.text)


async def test_the_contents_follow_the_reader_in_half_pages_not_row_by_row(
    store: Store, tmp_path
) -> None:
    """Section after section past the bottom of the contents: a scroll (a redraw of
    the whole list) every half list, not at every section."""
    import briefing

    lines = ["某市人民政府关于2023年法治政府建设情况的报告", "一、总体情况"]
    lines += [f"{i}.推进第{i}项工作。全年完成各类事项{3 * i}件。" for i in range(1, 121)]
    path = tmp_path / "items.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    report = briefing.load_report(path)
    app = BriefingApp(report, store)
    async with app.run_test(size=(80, 20)) as pilot:
        await reader_ready(app, pilot, wait_workers=True)
        contents = app.query_one(ContentsList)
        rows = contents.scrollable_content_region.height
        ids = [section.id for section in report.sections]
        assert len(ids) > 3 * rows  # the test needs a list several screens long
        scrolls, last = 0, contents.scroll_y
        for section_id in ids:
            contents.follow(section_id)
            await pilot.pause()
            assert contents.cursor_section == section_id
            top = round(contents.scroll_y)
            assert top <= contents.cursor < top + rows  # the cursor is always shown
            if contents.scroll_y != last:
                scrolls, last = scrolls + 1, contents.scroll_y
        assert scrolls <= 2 * len(ids) // rows + 1


async def test_a_search_typed_leaves_a_far_section_of_the_contents_to_the_pause(
    store: Store, tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A search as you type jumps far at every key: the contents list scrolls to
    the section at the next pause in the typing, not in the key's frame (a scroll
    redrew all its rows); once typing pauses, it shows the section being read."""
    import briefing

    lines = ["某市人民政府关于2023年法治政府建设情况的报告", "一、总体情况"]
    lines += [f"{i}.推进第{i}项工作。全年完成各类事项{3 * i}件。" for i in range(1, 121)]
    lines[100] = "99.推进档案数字化工作。全年完成各类事项297件。"
    path = tmp_path / "items.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    report = briefing.load_report(path)
    drawn: list[int] = []
    real = ContentsList.render_line

    def counting(self: ContentsList, y: int):
        drawn.append(y)
        return real(self, y)

    from briefing.tui.widgets import toc

    # Keys here come slower than a typist's: the pause is made longer than they.
    monkeypatch.setattr(toc, "FOLLOW_LATER_AFTER", 0.8)
    app = BriefingApp(report, store)
    async with app.run_test(size=(80, 20)) as pilot:
        await reader_ready(app, pilot, wait_workers=True)
        contents = app.query_one(ContentsList)
        screen = app.screen
        await pilot.press("slash")
        await pilot.pause(0.3)
        monkeypatch.setattr(ContentsList, "render_line", counting)
        for letter in "dangan":
            await pilot.press(letter)
            for _ in range(100):
                await pilot.pause(0.01)
                if not screen.search.pending:
                    break
            await pilot.pause()
        assert screen.view.current_section_id == "1.99"  # the page jumped far
        assert len(drawn) <= 2 * len("dangan")  # the cursor's rows at most, no scroll
        await pilot.pause(1.1)  # a pause in the typing
        assert contents.cursor_section == "1.99"
        top = round(contents.scroll_y)
        assert top <= contents.cursor < top + contents.scrollable_content_region.height
