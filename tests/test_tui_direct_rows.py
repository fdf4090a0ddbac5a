"""The page and the lists finish their rows themselves, as Textual would (tui/direct_lines.py).

Compared row by row with Textual's styles cache, and counted: a row drawn
before is not finished again.
"""

from __future__ import annotations

import pytest
from textual._styles_cache import StylesCache
from textual.geometry import Region
from textual.widget import Widget

from briefing.model import Report
from briefing.store import Store
from briefing.tui.app import BriefingApp
from briefing.tui.direct_lines import DirectRows, is_plain
from briefing.tui.widgets.reader_view import ReaderView
from briefing.tui.widgets.row_list import RowList
from tests.conftest import reader_ready, search_settled


def _textual_s(widget: Widget, crop: Region) -> list[list]:
    widget._styles_cache.clear()
    return [list(strip) for strip in Widget.render_lines(widget, crop)]


def _ours(widget: Widget, crop: Region) -> list[list]:
    rows = DirectRows().rows(widget, crop, widget.render_line)
    assert rows is not None
    return [list(strip) for strip in rows]


async def test_finished_rows_are_textual_s_own(report: Report, store: Store) -> None:
    """Through a search, reading keys and every theme (an ANSI one too), the page,
    the contents and the results are finished segment by segment as Textual's
    styles cache finishes them, whole or cropped to some columns."""
    app = BriefingApp(report, store)
    compared = 0
    async with app.run_test(size=(110, 36)) as pilot:
        await reader_ready(app, pilot, wait_workers=True)
        steps = [["slash", *"fazh"], ["enter", "n"], ["j", "space"], ["G"]]
        wanted = ("textual-light", "ansi-dark", "ansi-light", "paper", "hongtou", "contrast")
        themes = [name for name in wanted if name in app.available_themes]
        assert "ansi-dark" in themes  # terminal colours: no true-colour line filter
        for step, keys in enumerate(steps + [[]] * len(themes)):
            for key in keys:
                await pilot.press(key)
                await search_settled(app, pilot)
            if step >= len(steps):
                app.theme = themes[step - len(steps)]
                await pilot.pause()
            for widget in [*app.screen.query(ReaderView), *app.screen.query(RowList)]:
                if not widget.display or not widget.size.area or not is_plain(widget):
                    continue
                width, height = widget.region.size
                for crop in (Region(0, 0, width, height), Region(3, 1, width - 5, height - 2)):
                    assert _ours(widget, crop) == _textual_s(widget, crop), type(widget)
                    compared += 1
    assert compared >= 2 * (len(steps) + len(themes))


async def test_a_row_drawn_before_is_not_finished_again(
    report: Report, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A repaint of the page (a scroll back, a refresh) hands back the rows it drew:
    none goes through Textual's styles cache, none is finished again."""
    through_textual: list[str] = []
    real = StylesCache.render_widget

    def counted(self: StylesCache, widget: Widget, crop: Region):
        through_textual.append(type(widget).__name__)
        return real(self, widget, crop)

    monkeypatch.setattr(StylesCache, "render_widget", counted)
    finished: list[int] = []
    real_adjust = DirectRows.rows

    app = BriefingApp(report, store)
    async with app.run_test(size=(110, 36)) as pilot:
        await reader_ready(app, pilot, wait_workers=True)
        view = app.query_one(ReaderView)
        contents = app.screen.contents
        await pilot.press("space")
        await pilot.pause()
        assert "ReaderView" not in through_textual
        assert "ContentsList" not in through_textual

        def rows(self: DirectRows, widget: Widget, crop: Region, render_line):
            before = len(self._finished)
            result = real_adjust(self, widget, crop, render_line)
            finished.append(len(self._finished) - before)
            return result

        monkeypatch.setattr(DirectRows, "rows", rows)
        view.refresh()
        contents.refresh()
        await pilot.pause()
        await pilot.pause()
        assert len(finished) >= 2  # both drew again...
        assert sum(finished) == 0  # ...rows they had finished before


async def test_a_status_shown_before_is_not_drawn_again(
    report: Report, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The counter says "…" then the count at every keystroke, the status line the
    same place for keys on end: a line they showed before is handed back, not
    drawn again through Textual; a new one is drawn, as Textual draws it."""
    from briefing.tui.widgets.reading_status import ReadingStatus
    from briefing.tui.widgets.search_bar import CountLine

    drawn: list[str] = []
    real = StylesCache.render_widget

    def counted(self: StylesCache, widget: Widget, crop: Region):
        drawn.append(type(widget).__name__)
        return real(self, widget, crop)

    monkeypatch.setattr(StylesCache, "render_widget", counted)
    app = BriefingApp(report, store)
    async with app.run_test(size=(110, 36)) as pilot:
        await reader_ready(app, pilot, wait_workers=True)
        screen = app.screen
        count = screen.search_bar.query_one(CountLine)
        status = screen.query_one(ReadingStatus)
        screen.search_bar.open()
        for _round in range(2):
            if _round == 1:
                drawn.clear()
            for query in ("fazhi", "fzzf"):
                screen._run_search(query, move=False)
                await search_settled(app, pilot)
        assert screen.search.count
        assert "CountLine" not in drawn  # "…", and both counts, drawn in the first round
        kept = [list(strip) for strip in count.render_lines(count.size.region)]
        count._kept.clear()
        assert kept == [list(strip) for strip in count.render_lines(count.size.region)]
        status.show("somewhere", "1/2 3%")
        await pilot.pause()
        status.show("elsewhere", "2/2 9%")
        await pilot.pause()
        drawn.clear()
        status.show("somewhere", "1/2 3%")
        await pilot.pause()
        assert "ReadingStatus" not in drawn
        assert status.text.startswith("somewhere")


@pytest.mark.parametrize("texts", [("法治政", "府建设"), ("法治", "政府")])
def test_a_row_is_finished_as_one_strip_whatever_its_filters(
    monkeypatch: pytest.MonkeyPatch, texts: tuple[str, str]
) -> None:
    """The line filters (true colour) run on the row's segments, and a line short
    of the content width (the page's, beside its scrollbar) is padded there: one
    ``Strip`` is made per finished row, not one more per filter and one more for
    the padding (each Strip carries seven caches that the young garbage
    collections walk)."""
    from unittest.mock import PropertyMock

    from rich.segment import Segment
    from rich.style import Style as RichStyle
    from textual._ansi_theme import DEFAULT_TERMINAL_THEME
    from textual.color import Color
    from textual.filter import ANSIToTruecolor
    from textual.strip import Strip

    class Plain(Widget):
        def get_line_filters(self):
            return [ANSIToTruecolor(DEFAULT_TERMINAL_THEME)] * 2

    lines = [Strip([Segment(text, RichStyle(color="red"))], 2 * len(text)) for text in texts]
    box = PropertyMock(return_value=Region(0, 0, 6, 2))
    monkeypatch.setattr(Plain, "region", box)
    monkeypatch.setattr(Plain, "content_region", box)
    monkeypatch.setattr(Plain, "background_colors", (Color(0, 0, 0), Color(0, 0, 0)))
    from briefing.tui.lean_strip import LeanStrip

    made: list[Strip] = []

    def counting(cls: type[Strip]):
        real = cls.__init__

        def counted(self: Strip, *args, **kwargs) -> None:
            made.append(self)
            real(self, *args, **kwargs)

        return counted

    for cls in (Strip, LeanStrip):  # a LeanStrip is made without Strip.__init__
        monkeypatch.setattr(cls, "__init__", counting(cls))
    rows = DirectRows().rows(Plain(), Region(0, 0, 6, 2), lines.__getitem__)
    assert rows is not None
    assert [strip.text for strip in rows] == [text.ljust(6 - len(text)) for text in texts]
    assert [strip.cell_length for strip in rows] == [6, 6]
    assert all(segment.style.color.triplet for segment in rows[0] if segment.text.strip())
    assert len(made) == 2  # one per row, filters and all
