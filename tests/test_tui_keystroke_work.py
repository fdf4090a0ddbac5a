"""What one keystroke costs, counted (not timed): rows compared, objects kept.

The keystroke benchmark (benchmarks/bench_keystroke.py) times these; here the
work behind the times is counted, so a regression fails on any machine.
"""

from __future__ import annotations

import gc
import time
from itertools import pairwise
from pathlib import Path

import pytest

from briefing.model import Report
from briefing.store import Store
from briefing.tui.app import BriefingApp
from briefing.tui.widgets.reader_view import STRIP_CACHE_SIZE, ReaderView
from tests.conftest import reader_ready, search_settled


def _long_report(tmp_path: Path, copies: int) -> Report:
    """The bundled report with its body repeated ``copies`` times."""
    import briefing
    from briefing.resources import bundled_report_path

    lines = bundled_report_path().read_text(encoding="utf-8").split("\n")
    long = tmp_path / "long.txt"
    long.write_text("\n".join(lines[:12] + lines[12:] * copies), encoding="utf-8")
    return briefing.load_report(long)


async def test_a_search_result_compares_the_rows_on_screen_once(
    report: Report, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A result moves the hits, the current hit, the cursor and the page at once:
    the rows are compared once, just before the frame, not after each change
    (three or four times per keystroke), and the frame shows the current hit."""
    app = BriefingApp(report, store)
    async with app.run_test(size=(120, 40)) as pilot:
        await reader_ready(app, pilot)
        view = app.query_one(ReaderView)
        await pilot.press("slash")
        await pilot.pause()
        keys: list[int] = []
        real = ReaderView._line_key
        ahead = [False]  # the screen below drawn in a pause is not the keystroke's work
        real_ahead = ReaderView._draw_ahead

        def counting(self: ReaderView, line_y: int, line) -> tuple:
            if not ahead[0]:
                keys.append(line_y)
            return real(self, line_y, line)

        def drawing_ahead(self: ReaderView) -> None:
            ahead[0] = True
            try:
                real_ahead(self)
            finally:
                ahead[0] = False

        monkeypatch.setattr(ReaderView, "_line_key", counting)
        monkeypatch.setattr(ReaderView, "_draw_ahead", drawing_ahead)
        for letter in "fazhi":
            keys.clear()
            await pilot.press(letter)
            await search_settled(app, pilot)
            screen = app.screen
            assert screen.search.count and screen.search.current is not None
            # One comparison of every row, then the changed rows drawn.
            assert len(keys) <= 2 * view.size.height, letter
            # The painted frame shows the current hit, marked as current.
            current = screen.search.current
            if report.has_section(current.section):
                painted = [key for key in view._painted.values() if key[1] == current.section]
                assert any(
                    any(
                        is_current and low <= current.start < high
                        for low, high, is_current in key[6]
                    )
                    for key in painted
                ), letter


async def test_the_loaded_report_is_kept_out_of_the_garbage_collectors_walks(
    report: Report, store: Store
) -> None:
    """Full collections walked the index and the figures in the middle of keystrokes
    (20-40 ms each): once both are loaded they are frozen out of the cyclic GC."""
    app = BriefingApp(report, store)
    async with app.run_test(size=(120, 40)) as pilot:
        before = gc.get_freeze_count()
        await reader_ready(app, pilot)
        await pilot.pause()
        assert gc.get_freeze_count() > before
        index = app.screen.index
        assert index is not None
        assert not any(thing is index for thing in gc.get_objects())  # frozen, not walked


async def test_reading_the_whole_report_keeps_a_few_screens_of_drawn_lines(
    store: Store, tmp_path
) -> None:
    """Drawn lines are cached by what they show, a few screens of them: each
    ``Strip`` carries seven caches the GC walks, and thousands of cached lines
    made its full collections slow."""
    from textual.strip import Strip

    app = BriefingApp(_long_report(tmp_path, 12), store)
    async with app.run_test(size=(100, 30)) as pilot:
        await reader_ready(app, pilot)
        view = app.query_one(ReaderView)
        view.focus()
        for _ in range(70):
            await pilot.press("space")
        await pilot.pause()
        assert view.scroll_y > 60 * 28  # most of the report went by
        gc.collect()
        strips = sum(isinstance(thing, Strip) for thing in gc.get_objects())
        # The page's drawn lines (at most STRIP_CACHE_SIZE, some drawn ahead in a
        # pause), the bars' rows and Textual's own line caches: 750-1,200 here,
        # however far one reads; thousands when every line drawn was kept.
        assert strips <= 5 * STRIP_CACHE_SIZE, strips


async def test_the_loaded_reader_leaves_full_collections_to_quiet_moments(
    report: Report, store: Store
) -> None:
    """Once the report is loaded, Python's own full collections are rare and a
    key press tells the collector the reader is busy."""
    from briefing.tui.idle_gc import FULL_EVERY

    app = BriefingApp(report, store)
    async with app.run_test(size=(120, 40)) as pilot:
        await reader_ready(app, pilot)
        assert gc.get_threshold()[2] >= FULL_EVERY
        collector = app.idle_collector
        before = collector.last_input
        await pilot.press("j")
        assert collector.last_input > before


def _record_queries(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """From now on, the selector of every CSS query any widget makes."""
    from textual.dom import DOMNode

    asked: list[str] = []
    real = DOMNode.query

    def counting(self: DOMNode, selector=None):
        asked.append(str(selector))
        return real(self, selector)

    monkeypatch.setattr(DOMNode, "query", counting)
    return asked


async def _type_fazhi_recording_queries(app, pilot, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Open search and type ``fazhi`` a letter at a time, each result settled; the
    CSS selectors the screen queried meanwhile."""
    await reader_ready(app, pilot)
    await pilot.press("slash")
    await pilot.pause()
    asked = _record_queries(monkeypatch)
    for letter in "fazhi":
        await pilot.press(letter)
        await search_settled(app, pilot)
    return asked


async def test_a_search_result_finds_the_search_bar_without_querying_the_screen(
    report: Report, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The screen asks "is there a search bar, is it open" several times per result:
    each was a CSS query over every widget of the screen."""
    app = BriefingApp(report, store)
    async with app.run_test(size=(120, 40)) as pilot:
        asked = await _type_fazhi_recording_queries(app, pilot, monkeypatch)
        assert app.screen.search.count
        assert not [selector for selector in asked if "SearchBar" in selector]


async def test_a_search_result_finds_the_page_without_querying_the_screen(
    report: Report, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each result from the worker checked that the page was still there with a
    CSS query over every widget of the screen (a tenth of handling the result)."""
    app = BriefingApp(report, store)
    async with app.run_test(size=(120, 40)) as pilot:
        asked = await _type_fazhi_recording_queries(app, pilot, monkeypatch)
        assert app.screen.search.count
        assert app.screen.view.current_hit == app.screen.search.current
        assert not [selector for selector in asked if "ReaderView" in selector]


async def test_a_key_that_changes_no_mark_looks_up_no_mark(
    report: Report, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The marks on a line are kept until the marks change: a cursor move compared
    every row on screen with its hits, figures and notes looked up again (and a
    frame looked each drawn line's up three times)."""
    app = BriefingApp(report, store)
    async with app.run_test(size=(120, 40)) as pilot:
        await reader_ready(app, pilot, wait_workers=True)
        for key in ["slash", *"fazh", "enter"]:
            await pilot.press(key)
            await search_settled(app, pilot)
        view = app.query_one(ReaderView)
        assert view.hits and view.current_hit is not None
        asked: list[tuple] = []
        for marks in (view.hits, view.figures):  # (a paragraph's note marker is asked apart)
            real = marks.overlapping

            def counted(section_id, low, high, real=real):
                asked.append((section_id, low, high))
                return real(section_id, low, high)

            monkeypatch.setattr(marks, "overlapping", counted)
        await pilot.press("j")
        await search_settled(app, pilot)
        await pilot.press("k")
        await search_settled(app, pilot)
        rows_on_screen = view.size.height
        assert len(asked) < rows_on_screen // 4, len(asked)
        app.screen.action_next_hit(1)  # a new current hit: every line's marks again
        await search_settled(app, pilot)
        assert len(asked) >= rows_on_screen


async def test_results_rows_are_cut_to_their_width_without_rich_grapheme_splitting(
    report: Report, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A row's text after the hit is cut to the room left (ending in "…") before
    the row is made: ``Text.truncate`` splitting every row into graphemes was half
    the cost of drawing a keystroke's results."""
    import rich.text
    from rich.cells import cell_len

    from briefing.tui.widgets.search_bar import ResultsList

    app = BriefingApp(report, store)
    async with app.run_test(size=(120, 40)) as pilot:
        await reader_ready(app, pilot)
        await pilot.press("slash")
        for letter in "fzzf":
            await pilot.press(letter)
        await search_settled(app, pilot)
        results = app.query_one(ResultsList)
        assert results.row_count
        splits: list[int] = []
        real = rich.text.set_cell_size

        def counting(text: str, total: int) -> str:
            splits.append(total)
            return real(text, total)

        monkeypatch.setattr(rich.text, "set_cell_size", counting)
        for width in (60, 90):  # room for the place, the context before and the hit
            for index in range(min(results.row_count, 10)):
                row = results.render_row(index, width)
                assert cell_len(row.plain) <= width
                hit = results.hits[index]
                assert hit.text in row.plain  # the hit itself is never cut
                if cell_len(row.plain) < width - 2:
                    continue
                assert row.plain.rstrip(" ").endswith("…")  # the context was cut, and says so
        assert not splits


def test_cutting_the_context_gives_what_rich_would() -> None:
    """``truncate_cells`` with rich's widths, padded, is ``Text.truncate(...,
    overflow="ellipsis")`` without its cost (what a search result row is cut with)."""
    from rich.cells import cell_len
    from rich.text import Text

    from briefing.text import truncate_cells

    samples = ["法治政府建设“放管服”改革98.4%", "abc def 法治 ghi", "一二三四五六七八九十" * 3, "x"]
    for sample in samples:
        for cells in range(2, 40):
            expected = Text(sample, end="")
            expected.truncate(cells, overflow="ellipsis")
            cut = truncate_cells(sample, cells, width=cell_len, pad=True)
            # the same characters and width; the padding after the "…", not before
            assert cell_len(cut) == cell_len(expected.plain), (sample, cells)
            kept = cut.rstrip(" ").removesuffix("…")
            assert kept.rstrip(" ") == expected.plain.removesuffix("…").rstrip(" "), (sample, cells)
            assert cut.rstrip(" ").endswith("…") == expected.plain.endswith("…")


def test_scrollbars_with_the_same_thumb_ends_look_the_same() -> None:
    """The cache key of a drawn scrollbar: bars whose thumb ends agree are drawn alike."""
    import itertools

    from textual.scrollbar import ScrollBarRender

    from briefing.tui.scrollbars import thumb_ends

    drawn: dict[tuple[int, int] | None, list] = {}
    for virtual, position in itertools.product((500, 501, 530, 5000, 56000), range(0, 462, 7)):
        ends = thumb_ends(38, virtual, 38, position)
        segments = list(ScrollBarRender.render_bar(38, virtual, 38, position).segments)
        assert drawn.setdefault(ends, segments) == segments, (virtual, position)
    assert len(drawn) > 20  # many different thumbs were compared
    assert thumb_ends(38, 38, 38, 0) is None  # all of it on screen: no thumb


async def test_paging_through_a_big_report_draws_the_scrollbar_only_when_its_thumb_moves(
    store: Store, tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each page wraps new paragraphs, whose exact heights change the virtual height:
    the scrollbar was drawn again on every keystroke (2-9 ms) though its thumb, on a
    long report, moves an eighth of a cell every few pages."""
    from briefing.tui.scrollbars import CachedScrollBar

    app = BriefingApp(_long_report(tmp_path, 30), store)
    async with app.run_test(size=(100, 20)) as pilot:
        await reader_ready(app, pilot)
        view = app.query_one(ReaderView)
        view.focus()
        await pilot.pause()
        bar = view.vertical_scrollbar
        drawn: list[tuple] = []  # the bar's look at each drawing of its rows
        real = CachedScrollBar._draw_rows

        def counting(self: CachedScrollBar):
            if self is bar:
                drawn.append(bar._look())
            return real(self)

        monkeypatch.setattr(CachedScrollBar, "_draw_rows", counting)
        pages = 16
        for _ in range(pages):
            await pilot.press("space")
            await pilot.pause()
        assert view.scroll_y > (pages - 1) * 15
        # Drawn only when its look changed, and it did not change on every page.
        assert all(a != b for a, b in pairwise(drawn)), drawn
        assert len(drawn) < pages - 4, len(drawn)


async def test_a_page_of_report_text_is_drawn_without_rich_text_objects(
    report: Report, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each line was a ``rich.text.Text`` rendered to segments, a third of the cost of
    drawing it: clean lines are cut into styled segments directly."""
    from briefing.tui.widgets import reader_view

    app = BriefingApp(report, store)
    async with app.run_test(size=(120, 40)) as pilot:
        await reader_ready(app, pilot)
        view = app.query_one(ReaderView)
        view.focus()
        made: list[int] = []
        real = reader_view.line_text

        def counting(*args, **kwargs):
            made.append(1)
            return real(*args, **kwargs)

        monkeypatch.setattr(reader_view, "line_text", counting)
        drawn = len(view._painted)
        await pilot.press("space")
        await pilot.pause()
        await pilot.press("space")
        await pilot.pause()
        assert len(view._painted) > drawn + 30  # new lines were drawn
        assert not made


async def test_a_pause_draws_the_next_screen_so_space_draws_only_the_cursor_s_lines(
    store: Store, tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Space on a big report wrapped and drew a whole screen of new lines; in the
    pause before it the screen below is drawn ahead, and Space draws again only
    the lines whose look changed with it (the cursor's paragraph)."""
    from briefing.tui.widgets.reader_view import DRAW_AHEAD_AFTER

    app = BriefingApp(_long_report(tmp_path, 4), store)
    async with app.run_test(size=(120, 40)) as pilot:
        await reader_ready(app, pilot)
        view = app.query_one(ReaderView)
        view.focus()
        drawn: list[int] = []
        real = ReaderView._render_text_line

        def counting(self: ReaderView, line_y: int, *args, **kwargs):
            if self._pass is not None:  # in a frame, not drawn ahead
                drawn.append(line_y)
            return real(self, line_y, *args, **kwargs)

        monkeypatch.setattr(ReaderView, "_render_text_line", counting)
        for _ in range(4):
            for _wait in range(100):  # a reader's pause, until the screen below is drawn
                await pilot.pause(DRAW_AHEAD_AFTER)
                quiet = time.monotonic() - view._last_frame > DRAW_AHEAD_AFTER
                if quiet and view._ahead_timer is None:  # drawn ahead since the last frame
                    break
            ahead = view.drawn_ahead
            drawn.clear()
            top = view.scroll_y
            await pilot.press("space")
            await pilot.pause()
            assert view.scroll_y > top + 30
            assert ahead > 0
            cursor_lines = view._lines[view.cursor]
            assert len(drawn) <= cursor_lines, drawn


async def test_moving_the_cursor_draws_only_the_gutters_of_the_lines_it_leaves_and_reaches(
    report: Report, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """j and k change the cursor bar in the gutter: the text of those lines, cut
    into styled runs once, is reused, not cut again per keystroke."""
    from briefing.tui.widgets import reader_view

    app = BriefingApp(report, store)
    async with app.run_test(size=(120, 40)) as pilot:
        await reader_ready(app, pilot)
        view = app.query_one(ReaderView)
        view.focus()
        await pilot.pause()
        cut: list[int] = []
        real = reader_view._text_segments
        ahead = [False]  # the screen below, drawn in a pause, is cut once too: not counted
        real_ahead = ReaderView._draw_ahead

        def counting(*args, **kwargs):
            if not ahead[0]:
                cut.append(1)
            return real(*args, **kwargs)

        def drawing_ahead(self: ReaderView) -> None:
            ahead[0] = True
            try:
                real_ahead(self)
            finally:
                ahead[0] = False

        monkeypatch.setattr(reader_view, "_text_segments", counting)
        monkeypatch.setattr(ReaderView, "_draw_ahead", drawing_ahead)
        drawn: list[int] = []
        real_line = ReaderView._render_text_line

        def drawing(self: ReaderView, line_y: int, *args, **kwargs):
            if self._pass is not None:
                drawn.append(line_y)
            return real_line(self, line_y, *args, **kwargs)

        monkeypatch.setattr(ReaderView, "_render_text_line", drawing)
        for key in ("j", "j", "k"):
            await pilot.press(key)
            await pilot.pause()
        assert view.scroll_y == 0 and view.cursor == 1
        assert drawn  # the cursor's lines were drawn again ...
        assert not cut  # ... from their text runs, as they were


async def test_a_cursor_move_finds_the_figures_panel_without_querying_the_screen(
    report: Report, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every move of the cursor asks for the figures panel (is it open?): each ask was
    a CSS query over every widget of the screen."""
    app = BriefingApp(report, store)
    async with app.run_test(size=(120, 40)) as pilot:
        await reader_ready(app, pilot)
        await app.screen.ensure_panels()
        app.query_one(ReaderView).focus()
        await pilot.press("j")
        await pilot.pause()
        asked = _record_queries(monkeypatch)
        for _ in range(4):
            await pilot.press("j")
            await pilot.pause()
        assert app.query_one(ReaderView).cursor == 5
        assert not [selector for selector in asked if "FiguresPanel" in selector]


async def test_nothing_is_drawn_ahead_while_a_search_runs(
    store: Store, tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A slow search is no pause in the typing: the screen below the page is not
    drawn ahead (nor the contents followed) while its worker runs, for its
    results move the page and would come to a UI thread busy with that work.
    Once they came, a pause draws ahead again."""
    import threading

    from briefing.tui.screens import reader as reader_screen
    from briefing.tui.widgets.reader_view import DRAW_AHEAD_AFTER

    gate = threading.Event()
    real_find = reader_screen.find_hits

    def slow_find(*args, **kwargs):
        gate.wait(10)
        return real_find(*args, **kwargs)

    monkeypatch.setattr(reader_screen, "find_hits", slow_find)
    app = BriefingApp(_long_report(tmp_path, 3), store)
    async with app.run_test(size=(120, 40)) as pilot:
        await reader_ready(app, pilot)
        screen, view = app.screen, app.query_one(ReaderView)
        screen.search_bar.open()
        await pilot.pause()
        view._cache.clear()  # nothing below the page drawn yet: any drawing ahead shows
        app.idle_collector.input_seen()
        screen._run_search("fzzf", move=True)
        before = view.drawn_ahead
        for _wait in range(6):  # long past a pause, with the search still running
            await pilot.pause(DRAW_AHEAD_AFTER)
        assert screen.search.pending
        assert view.drawn_ahead == before
        gate.set()
        await search_settled(app, pilot)
        assert screen.search.count
        for _wait in range(100):  # the results came: a pause draws ahead again
            await pilot.pause(DRAW_AHEAD_AFTER)
            if view.drawn_ahead > before:
                break
        assert view.drawn_ahead > before
