"""A partial frame draws only the widgets that changed, and shows what Textual's would.

Textual draws, for a partial frame, every widget in the bounding box of the
frame's changes: a search result (the header's title on the top row, the
results at the bottom) redrew the whole screen's widgets. ``DirtyRegionCompositor``
asks only the widgets a change overlaps, for the rows it overlaps. Counted and
compared, not timed.
"""

from __future__ import annotations

from collections import Counter

import pytest
from rich.cells import cell_len
from rich.segment import ControlType
from textual._compositor import Compositor

from briefing.model import Report
from briefing.store import Store
from briefing.tui.app import BriefingApp
from briefing.tui.dirty_compositor import DirtyRegionCompositor
from tests.conftest import reader_ready, search_settled

FRAME = 1 / 60


def _cells(update, console) -> dict[tuple[int, int], tuple[str, object]]:
    """What an update writes on the terminal: the character and style of each cell.

    (Textual's own update may also move the cursor to the end of a span and
    write nothing there: no cell changes.)
    """
    cells: dict[tuple[int, int], tuple[str, object]] = {}
    x = y = 0
    for segment in update.__rich_console__(console, console.options):
        if segment.control:
            for code, *params in segment.control:
                if code == ControlType.CURSOR_MOVE_TO:
                    x, y = params
            continue
        if segment.text == "\n":
            continue
        for char in segment.text:
            cells[x, y] = (char, segment.style)
            x += cell_len(char)
    return cells


async def test_every_partial_frame_writes_what_textual_s_own_would(
    report: Report, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Through typing, stepping through hits, Esc, reading keys and the side panels,
    each partial frame writes on the terminal's cells exactly what Textual's
    compositor writes for the same changes."""
    compared: list[int] = []
    differing: list[str] = []
    ours = DirtyRegionCompositor.render_partial_update

    def both(self: DirtyRegionCompositor):
        dirty = set(self._dirty_regions)
        update = ours(self)
        self._dirty_regions = set(dirty)
        textual_s = Compositor.render_partial_update(self)
        if update is None or textual_s is None:
            assert update is None and textual_s is None
            return update
        console = app.console
        compared.append(len(update.spans))
        if _cells(update, console) != _cells(textual_s, console):
            differing.append(str(sorted(dirty))[:200])
        return update

    monkeypatch.setattr(DirtyRegionCompositor, "render_partial_update", both)
    app = BriefingApp(report, store)
    async with app.run_test(size=(100, 32)) as pilot:
        await reader_ready(app, pilot, wait_workers=True)
        assert isinstance(app.screen._compositor, DirtyRegionCompositor)
        keys = ["slash", *"fazh", "enter", "n", "N", "escape", "j", "space", "G",
                "right_square_bracket", "f", "j", "f", "c", "c", "m", "m"]  # fmt: skip
        for key in keys:
            await pilot.press(key)
            await search_settled(app, pilot, 3 * FRAME)
    assert len(compared) >= len(keys)  # a frame per key at least, each compared
    assert not differing, differing


async def test_a_search_result_draws_only_the_widgets_it_changed(
    report: Report, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Typing a query: the footer, the header's icon and clock, the contents list
    (its section unchanged) and the containers behind the widgets are not drawn
    again for any key; the results list is, once per result."""
    drawn: Counter[str] = Counter()
    render_lines = {}

    def counting(cls: type):
        real = cls.render_lines

        def render(self, crop):
            drawn[type(self).__name__] += 1
            return real(self, crop)

        return render

    app = BriefingApp(report, store)
    async with app.run_test(size=(120, 40)) as pilot:
        await reader_ready(app, pilot, wait_workers=True)
        await pilot.press("slash")
        await search_settled(app, pilot, 3 * FRAME)
        for widget in app.screen.walk_children(with_self=True):
            cls = type(widget)
            if cls not in render_lines:
                render_lines[cls] = cls.render_lines
                monkeypatch.setattr(cls, "render_lines", counting(cls))
        contents = app.screen.contents
        for letter in "xingzh":
            section = app.screen.view.current_section_id
            drawn.clear()
            await pilot.press(letter)
            await search_settled(app, pilot, 3 * FRAME)
            assert drawn["ReaderFooter"] == 0, (letter, drawn)
            assert drawn["HeaderClockSpace"] == drawn["HeaderIcon"] == 0, (letter, drawn)
            if app.screen.view.current_section_id == section:
                assert drawn[type(contents).__name__] == 0, (letter, drawn)
            assert 1 <= drawn["ResultsList"] <= 2, (letter, drawn)
            # Containers are hidden behind their children: never drawn for a key.
            assert drawn["Horizontal"] == drawn["Vertical"] == 0, (letter, drawn)
            assert drawn[type(app.screen).__name__] == 0, (letter, drawn)


async def test_a_frame_cuts_out_only_the_pieces_it_shows(
    report: Report, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A widget's row is cut into the screen's pieces only where no widget in front
    drew already: the page's rows were divided at the scrollbar too, a Strip (with
    its seven caches) made for columns the scrollbar had drawn, then dropped."""
    import sys

    from textual.strip import Strip

    made: list[Strip] = []
    code = DirtyRegionCompositor._render_dirty_chops.__code__

    def recorded(name: str):
        real = getattr(Strip, name)

        def cut(self: Strip, *args):
            pieces = real(self, *args)
            if sys._getframe(1).f_code is code:
                made.extend(pieces if isinstance(pieces, list) else [pieces])
            return pieces

        return cut

    shown: list[int] = []
    real_chops = DirtyRegionCompositor._render_dirty_chops

    def chops(self: DirtyRegionCompositor, regions, spans):
        result = real_chops(self, regions, spans)
        shown.extend(id(strip) for line in result for strip in line.values() if strip)
        return result

    app = BriefingApp(report, store)
    async with app.run_test(size=(120, 40)) as pilot:
        await reader_ready(app, pilot, wait_workers=True)
        monkeypatch.setattr(Strip, "divide", recorded("divide"))
        monkeypatch.setattr(Strip, "crop", recorded("crop"))
        monkeypatch.setattr(DirtyRegionCompositor, "_render_dirty_chops", chops)
        for key in ["space", "space", "slash", *"fazh", "escape", "G"]:
            await pilot.press(key)
            await search_settled(app, pilot, 3 * FRAME)
    assert made
    assert not [strip for strip in made if id(strip) not in set(shown)]


def test_the_dirty_compositor_fits_the_installed_textual():
    """It reads Textual's private parts: this release must still have them."""
    from briefing.tui.dirty_compositor import fits_textual

    assert fits_textual()


def test_a_textual_without_those_parts_keeps_its_own_compositor(
    report: Report, store: Store, monkeypatch: pytest.MonkeyPatch
):
    """A Textual that renamed them leaves the reader on its own compositor."""
    import briefing.tui.dirty_compositor as dirty
    from briefing.tui.screens.reader import ReaderScreen

    with monkeypatch.context() as patched:
        patched.delattr(Compositor, "_regions_to_spans")
        assert not dirty.fits_textual()
    monkeypatch.setattr("briefing.tui.screens.reader.fits_textual", lambda: False)
    assert type(ReaderScreen(report, store)._compositor) is Compositor
    monkeypatch.undo()
    assert type(ReaderScreen(report, store)._compositor) is DirtyRegionCompositor
