"""A new page width keeps the reader's place; a worker's late result is dropped.

Opening a panel at 60 columns narrowed the page twice in one go (the panel
took its room, then the contents gave way); the scroll offset, kept as a
number, ran past the end of the shorter page, the clamp dragged the cursor
along, and the page jumped to the report's last part. Every width change
(panels, the contents, the terminal) must keep the paragraph being read on
screen and leave the cursor where it was.
"""

from __future__ import annotations

import pytest

from briefing.model import Report
from briefing.store import Store
from briefing.tui.app import BriefingApp
from tests.conftest import search_settled


def place(app: BriefingApp) -> tuple[int, bool]:
    """The cursor's paragraph and whether any line of it is on screen."""
    view = app.screen.view
    return view.cursor, _on_screen(view)


async def reach(pilot, keys: list[str]) -> None:
    app = pilot.app
    await app.workers.wait_for_complete()
    await pilot.pause(0.1)
    await pilot.press("g")
    await pilot.press(*keys)
    if "slash" in keys:
        await search_settled(app, pilot)
        await pilot.press("escape")
    await pilot.pause(0.1)


@pytest.mark.parametrize("size", [(60, 20), (80, 24), (120, 40)])
@pytest.mark.parametrize(
    "keys",
    [["space"] * 12, ["space"] * 4, ["slash", "j", "z", "x"], ["G"]],
    ids=["far", "near", "search", "end"],
)
async def test_opening_and_closing_panels_keeps_the_place(
    report: Report, store: Store, size: tuple[int, int], keys: list[str]
) -> None:
    app = BriefingApp(report, store)
    async with app.run_test(size=size) as pilot:
        await reach(pilot, keys)
        cursor, shown = place(app)
        assert shown
        for panel in ("m", "escape", "f", "escape", "m", "f", "escape"):
            await pilot.press(panel)
            await pilot.pause(0.1)
            assert place(app) == (cursor, True), (panel, app.screen.view.progress())


async def test_resizing_the_terminal_keeps_the_place(report: Report, store: Store) -> None:
    app = BriefingApp(report, store)
    async with app.run_test(size=(120, 40)) as pilot:
        await reach(pilot, ["space"] * 10)
        cursor, _ = place(app)
        for size in [(60, 20), (80, 24), (200, 50), (45, 15), (120, 40)]:
            await pilot.resize_terminal(*size)
            await pilot.pause(0.1)
            assert place(app) == (cursor, True), size


async def test_a_resize_keeps_the_middle_of_a_long_paragraph_in_view(
    report: Report, store: Store
) -> None:
    """Reading a paragraph taller than the view, a resize went back to its top."""
    app = BriefingApp(report, store)
    async with app.run_test(size=(60, 12)) as pilot:
        await reach(pilot, [])
        view = app.screen.view
        rows = view.scrollable_content_region.height
        tall = next(i for i in range(len(view.paragraphs)) if view._lines[i] > 2 * rows)
        view.move_cursor_to(tall)
        await pilot.pause(0.1)
        view.scroll_to(y=view._lines.start(tall) + view._lines[tall] // 2, animate=False)
        await pilot.pause(0.1)
        assert view.cursor == tall
        await pilot.resize_terminal(64, 12)
        await pilot.pause(0.1)
        assert view.cursor == tall
        assert round(view.scroll_y) > view._lines.start(tall) + 1


def _on_screen(view) -> bool:
    top = round(view.scroll_y)
    first = view._lines.start(view.cursor)
    rows = max(1, view.scrollable_content_region.height)
    return first < top + rows and first + view._lines[view.cursor] > top


async def test_a_worker_result_after_the_reader_has_gone_is_dropped(
    report: Report, store: Store
) -> None:
    """The figures worker finished as the app quit and called back into a screen
    whose widgets were gone: ``NoMatches: ReaderView`` (seen once in CI)."""
    from briefing.tui.page import SpanIndex

    app = BriefingApp(report, store)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause(0.05)
        screen = app.screen
    screen._while_shown(screen._figures_ready, [], SpanIndex([]))  # no NoMatches
