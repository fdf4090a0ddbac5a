"""Start-up layouts redraw only what changed (counted, not timed).

Before the first frame Textual lays the screen out several times at the same
size (the screen's own Resize events echo the first layout). Each pass must
cost no more than the layout itself: the scrollbars of the page and the
contents are redrawn only when their size or their list changes.
"""

from __future__ import annotations

from textual.scrollbar import ScrollBar

from briefing.model import Report
from briefing.store import Store
from briefing.tui.app import BriefingApp
from briefing.tui.widgets.reader_view import ReaderView
from briefing.tui.widgets.toc import ContentsList
from tests.conftest import reader_ready


async def test_a_same_size_layout_redraws_no_scrollbar(report: Report, store: Store) -> None:
    """A scroll view whose virtual size is its own (the page, the contents) was told
    by every layout that it had changed: the compositor's idea of its virtual size
    (its own region) never equals the real one, and each pass redrew both bars."""
    app = BriefingApp(report, store)
    async with app.run_test(size=(80, 20)) as pilot:
        await reader_ready(app, pilot, wait_workers=True)
        screen = app.screen
        views = [screen.query_one(ReaderView), screen.query_one(ContentsList)]
        # The page and the contents are both longer than the screen.
        assert all(view.show_vertical_scrollbar for view in views)
        bars = [view.vertical_scrollbar for view in views]
        redrawn: list[ScrollBar] = []
        for bar in bars:
            refresh = bar.refresh

            def counted(*args, _bar=bar, _refresh=refresh, **kwargs):  # type: ignore[no-untyped-def]
                redrawn.append(_bar)
                return _refresh(*args, **kwargs)

            bar.refresh = counted  # type: ignore[method-assign]
        screen._refresh_layout(app.size)
        assert redrawn == []


async def test_a_resize_to_the_size_laid_out_lays_nothing_out(
    report: Report, store: Store, monkeypatch
) -> None:
    """Textual answers every Resize with a full layout of the screen; the first layout's
    own echo (and the app's) came at the size just laid out: three passes over every
    widget before the first frame for nothing. A real resize still lays out."""
    from textual import events
    from textual._compositor import Compositor
    from textual.geometry import Size

    reflows: list[Size] = []
    reflow = Compositor.reflow

    def counted(self: Compositor, parent, size):  # type: ignore[no-untyped-def]
        reflows.append(size)
        return reflow(self, parent, size)

    monkeypatch.setattr(Compositor, "reflow", counted)
    app = BriefingApp(report, store)
    async with app.run_test(size=(100, 30)) as pilot:
        await reader_ready(app, pilot, wait_workers=True)
        screen = app.screen
        reflows.clear()
        size = app.size
        screen.post_message(events.Resize(size, size))
        await pilot.pause()
        assert reflows == []
        await pilot.resize_terminal(90, 30)
        await pilot.pause()
        assert Size(90, 30) in reflows
        assert screen.query_one(ReaderView).size.width < 90


async def test_a_long_contents_has_its_scrollbar_from_the_first_layout(
    store: Store, tmp_path, monkeypatch
) -> None:
    """Found by the first layout (as Textual does), the contents' scrollbar cost the
    first paint a second layout and a redraw of the list's column."""
    from textual._compositor import Compositor

    import briefing

    layouts: list[bool] = []
    reflow = Compositor.reflow

    def watched(self: Compositor, parent, size):  # type: ignore[no-untyped-def]
        result = reflow(self, parent, size)
        lists = [w for w in self.visible_widgets if isinstance(w, ContentsList)]
        if lists:
            bars = [w for w in self.visible_widgets if w.parent is lists[0]]
            layouts.append(bool(bars))
        return result

    monkeypatch.setattr(Compositor, "reflow", watched)
    lines = ["某市人民政府关于2023年法治政府建设情况的报告", "一、总体情况"]
    lines += [f"{i}.推进第{i}项工作。全年完成各类事项{3 * i}件。" for i in range(1, 61)]
    path = tmp_path / "items.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    app = BriefingApp(briefing.load_report(path), store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert app.query_one(ContentsList).show_vertical_scrollbar
    assert layouts and all(layouts)


async def test_a_short_contents_gets_no_scrollbar(store: Store) -> None:
    from briefing.parse import parse_report

    short = parse_report("关于某事的报告\n一、总体情况\n全年办结 12 件。\n二、下一步\n继续努力。\n")
    app = BriefingApp(short, store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert not app.query_one(ContentsList).show_vertical_scrollbar


async def test_a_scrollbar_update_that_changes_nothing_redraws_no_bar(
    report: Report, store: Store
) -> None:
    """The page settles its heights while it draws and updates its scrollbar once
    the frame is done; when the layout pass has just done that update (the first
    frame), the second one redrew the whole bar for nothing. A change of the
    virtual size still moves the bar."""
    from textual.geometry import Size

    app = BriefingApp(report, store)
    async with app.run_test(size=(80, 20)) as pilot:
        await reader_ready(app, pilot, wait_workers=True)
        view = app.screen.query_one(ReaderView)
        bar = view.vertical_scrollbar
        redrawn: list[object] = []
        refresh = bar.refresh

        def counted(*args, **kwargs):  # type: ignore[no-untyped-def]
            redrawn.append(args)
            return refresh(*args, **kwargs)

        bar.refresh = counted  # type: ignore[method-assign]
        view._scroll_update(view.virtual_size)
        assert redrawn == []
        taller = Size(view.virtual_size.width, view.virtual_size.height + 5)
        view._scroll_update(taller)
        assert redrawn and bar.window_virtual_size == taller.height


async def test_the_reader_row_is_the_screen_own(report: Report, store: Store) -> None:
    """The header and the footer are docked, so the screen lays the contents and the
    main column out side by side itself: a row container around them cost the first
    paint a widget, a round of composing and a redraw of a column nobody sees."""
    from textual.containers import Horizontal

    app = BriefingApp(report, store)
    async with app.run_test(size=(120, 40)) as pilot:
        await reader_ready(app, pilot)
        screen = app.screen
        assert screen.query_one(ContentsList).parent is screen
        assert screen.query_one("#reader-main").parent is screen
        assert not [w for w in screen.query(Horizontal) if w.parent is screen]


async def test_an_open_panel_sits_right_of_the_page_between_header_and_footer(
    report: Report, store: Store
) -> None:
    """A side panel in the screen's row: right of the main column, from below the
    header to above the footer, and the contents keep 28% of what it leaves them
    (between 18 and 34 cells), as when it was docked in a row of its own."""
    from briefing.tui.widgets.footer import ReaderFooter
    from briefing.tui.widgets.report_header import ReportHeader

    app = BriefingApp(report, store)
    async with app.run_test(size=(120, 40)) as pilot:
        await reader_ready(app, pilot)
        screen = app.screen
        contents = screen.query_one(ContentsList)
        alone = contents.outer_size.width
        assert alone == 120 * 28 // 100
        for key, name in (("f", "FiguresPanel"), ("m", "NotesPanel")):
            await pilot.press(key)
            await pilot.pause()
            await pilot.pause()
            panel = screen.query_one(name)
            main = screen.query_one("#reader-main").region
            header = screen.query_one(ReportHeader).region
            footer = screen.query_one(ReaderFooter).region
            assert panel.region.x == main.right and panel.region.right == 120
            assert panel.region.y == header.bottom and panel.region.bottom == footer.y
            expected = max(18, min(34, (120 - panel.outer_size.width) * 28 // 100))
            assert contents.outer_size.width == expected < alone
            await pilot.press(key)
            await pilot.pause()
            await pilot.pause()
            assert contents.outer_size.width == alone


async def test_no_frame_before_the_first_paint_draws_the_page_again(
    report: Report, store: Store, monkeypatch
) -> None:
    """Textual sizes a container through a reactive that asks for another layout;
    the page's column, sized by the very layout that placed its children, then
    repainted every row of the page a frame after the first (counted, not timed)."""
    from textual._compositor import Compositor
    from textual.geometry import Region

    from briefing.tui.dirty_compositor import DirtyRegionCompositor
    from briefing.tui.screens.reader import ReaderScreen

    regions: list[Region] = []
    painted: list[bool] = []

    def recording(partial):  # type: ignore[no-untyped-def]
        def recorded(self: Compositor):  # type: ignore[no-untyped-def]
            if not painted:
                regions.extend(self._dirty_regions)
            return partial(self)

        return recorded

    after = ReaderScreen._after_first_paint

    async def first_paint_done(self: ReaderScreen) -> None:
        painted.append(True)
        await after(self)

    for kind in (Compositor, DirtyRegionCompositor):  # Textual's, and the reader's own
        monkeypatch.setattr(kind, "render_partial_update", recording(kind.render_partial_update))
    monkeypatch.setattr(ReaderScreen, "_after_first_paint", first_paint_done)
    app = BriefingApp(report, store)
    async with app.run_test(size=(120, 40)) as pilot:
        await reader_ready(app, pilot)
        text = app.screen.query_one(ReaderView).scrollable_content_region
        assert painted and regions  # the header's own second frame, at least
        assert [r for r in regions if r.overlaps(text)] == []


async def test_the_first_paint_takes_three_layouts(
    report: Report, store: Store, monkeypatch
) -> None:
    """Counted, not timed: Textual's start-up cascade lays the screen out three times
    (the first layout, its widgets' sizes, the toast rack shown); a widget of ours
    asking for one more (a container's virtual size, a scrollbar found late) is
    a regression even when a timing run is too noisy to show it."""
    from textual._compositor import Compositor

    from briefing.tui.screens.reader import ReaderScreen

    counts = {"layouts": 0, "full frames": 0}
    painted: list[bool] = []
    reflow, full = Compositor.reflow, Compositor.render_full_update

    def counted_reflow(self: Compositor, parent, size):  # type: ignore[no-untyped-def]
        counts["layouts"] += not painted
        return reflow(self, parent, size)

    def counted_full(self: Compositor, *args, **kwargs):  # type: ignore[no-untyped-def]
        counts["full frames"] += not painted
        return full(self, *args, **kwargs)

    after = ReaderScreen._after_first_paint

    async def first_paint_done(self: ReaderScreen) -> None:
        painted.append(True)
        await after(self)

    monkeypatch.setattr(Compositor, "reflow", counted_reflow)
    monkeypatch.setattr(Compositor, "render_full_update", counted_full)
    monkeypatch.setattr(ReaderScreen, "_after_first_paint", first_paint_done)
    app = BriefingApp(report, store)
    async with app.run_test(size=(120, 40)) as pilot:
        await reader_ready(app, pilot)
    assert painted
    assert counts == {"layouts": 3, "full frames": 2}
