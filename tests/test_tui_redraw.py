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
        # A late repaint of something else (a timer, a worker's message on a
        # loaded machine) may land in the same frame: try a few moves, and
        # fail only when no move ever drew just its two rows.
        attempts: list[list[int]] = []
        for _attempt in range(3):
            drawn.clear()
            start = contents.cursor
            contents.move_cursor(start + 1)  # as when the page reaches the next section
            await pilot.pause()
            attempts.append(sorted(drawn))
            if attempts[-1] == [start, start + 1]:
                break
        else:
            pytest.fail(f"every move redrew more than two rows: {attempts}")


async def test_typing_a_search_never_lays_the_screen_out_again(
    report: Report, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Hits appearing, changing and vanishing redraw rows; the boxes keep their size.

    A results list that showed and hid itself as the count left or reached zero
    cost a layout of the whole screen (two, with the bar's height) per keystroke.
    """
    from textual._compositor import Compositor

    from briefing.tui.widgets.search_bar import SearchBar

    app = BriefingApp(report, store)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        screen = app.screen
        for _attempt in range(500):
            if screen.index is not None:
                break
            await pilot.pause(0.02)
        await pilot.press("slash")
        await app.workers.wait_for_complete()
        await pilot.pause()
        bar = app.query_one(SearchBar)
        assert "↑↓" in bar.results.empty_text  # an empty query: how to use the list
        layouts: list[int] = []
        real = Compositor.reflow

        def counting(self, *args, **kwargs):
            layouts.append(1)
            return real(self, *args, **kwargs)

        monkeypatch.setattr(Compositor, "reflow", counting)
        # Hits, then none (an unknown word), then hits again, then an empty query.
        for keys in (list("fzzf"), list("qqxq"), ["backspace"] * 8, list("zf"), ["backspace"] * 2):
            for key in keys:
                await pilot.press(key)
                for _wait in range(200):
                    await pilot.pause(0.01)
                    if not screen.search.pending:
                        break
                await pilot.pause()
            if keys[0] == "q":
                assert screen.search.count == 0 and bar.results.empty_text
        assert layouts == []
        assert bar.results.row_count == 0 and "↑↓" in bar.results.empty_text


async def test_a_query_longer_than_its_box_still_scrolls_to_the_cursor() -> None:
    """The search input drops its per-letter layout, not its scrolling."""
    from textual.app import App, ComposeResult

    from briefing.tui.widgets.search_bar import SearchBar

    class BarApp(App[None]):
        def compose(self) -> ComposeResult:
            yield SearchBar(id="search")

    app = BarApp()
    async with app.run_test(size=(40, 12)) as pilot:
        bar = app.query_one(SearchBar)
        bar.open()
        await pilot.press(*"fazhizhengfujianshe" * 3)
        await pilot.pause()
        box = bar.input.region
        assert bar.input.scroll_offset.x > 0
        assert box.x <= bar.input.cursor_screen_offset.x <= box.right  # as Input puts it


async def test_a_jump_to_a_hit_scrolls_once(
    report: Report, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Search as you type moves the page in one step: an animated scroll repainted
    the whole page in every frame of the animation, per keystroke."""
    from briefing.tui.widgets.reader_view import ReaderView

    app = BriefingApp(report, store)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        for _attempt in range(500):
            if screen.index is not None:
                break
            await pilot.pause(0.02)
        await screen.ensure_panels()
        screen.search_bar.open()
        await pilot.pause()
        scrolls: list[float] = []
        real = ReaderView.watch_scroll_y

        def counting(self, old_value: float, new_value: float) -> None:
            scrolls.append(new_value)
            real(self, old_value, new_value)

        monkeypatch.setattr(ReaderView, "watch_scroll_y", counting)
        query = report.sections[-1].text[:2]  # hanzi far down the report
        screen._run_search(query, move=True)
        for _attempt in range(300):
            await pilot.pause(0.01)
            if not screen.search.pending:
                break
        for _frame in range(5):
            await pilot.pause(0.02)
        assert scrolls and scrolls[-1] > 0
        assert len(scrolls) == 1, scrolls


async def test_a_resize_to_the_size_drawn_draws_nothing_again(
    report: Report, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Textual sends the page its first Resize after the first frame, at the size
    it was drawn at: drawing the whole page again then was a start-up cost."""
    from textual import events

    from briefing.tui.widgets.reader_view import ReaderView

    app = BriefingApp(report, store)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        view = app.query_one(ReaderView)
        drawn: list[int] = []
        real = ReaderView.render_line

        def counting(self: ReaderView, y: int):
            drawn.append(y)
            return real(self, y)

        monkeypatch.setattr(ReaderView, "render_line", counting)
        for _attempt in range(100):  # until the after-paint work (figures, notes) has drawn
            drawn.clear()
            await pilot.pause(0.05)
            if not drawn:
                break
        assert drawn == []
        view.post_message(events.Resize(view.outer_size, view.virtual_size, view.container_size))
        await pilot.pause()
        await pilot.pause()
        assert drawn == []
        await pilot.resize_terminal(100, 40)  # a real resize still draws the page
        await pilot.pause()
        assert drawn
