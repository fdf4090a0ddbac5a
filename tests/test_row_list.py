"""RowList: the one ``Chosen`` message every list posts, and its empty-list line."""

from __future__ import annotations

import asyncio

from rich.text import Text
from textual import on
from textual.app import App, ComposeResult

from briefing.tui.widgets.library_list import LibraryList
from briefing.tui.widgets.row_list import RowList
from briefing.tui.widgets.search_bar import ResultsList


class Letters(RowList):
    def render_row(self, index: int, width: int) -> Text:
        return Text("abcdefghij"[index])


class ListApp(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.chosen: list[tuple[str | None, int]] = []

    def compose(self) -> ComposeResult:
        yield Letters(id="letters")

    def on_mount(self) -> None:
        self.query_one(Letters).set_row_count(5)
        self.query_one(Letters).focus()

    @on(RowList.Chosen, "#letters")
    def remember(self, event: RowList.Chosen) -> None:
        self.chosen.append((event.control.id, event.index))


def test_lists_share_one_chosen_message() -> None:
    """Defined once on RowList; the lists that used to repeat it post that one."""
    for cls in (LibraryList, ResultsList):
        assert "Chosen" not in vars(cls), cls
        assert cls.Chosen is RowList.Chosen


def test_enter_and_click_post_chosen_with_the_list_and_row() -> None:
    async def run() -> list[tuple[str | None, int]]:
        app = ListApp()
        async with app.run_test(size=(20, 8)) as pilot:
            await pilot.press("j", "j", "enter")
            await pilot.click("#letters", offset=(2, 4))
            await pilot.pause()
            return app.chosen

    assert asyncio.run(run()) == [("letters", 2), ("letters", 4)]


def _rich_segments(text: Text, line_style):  # type: ignore[no-untyped-def]
    """What Rich draws for a row over ``line_style`` (the reference)."""
    from rich.console import Console

    text = text.copy()
    text.no_wrap = True
    text.end = ""
    text.stylize_before(line_style)
    return list(text.render(Console()))


def _rows() -> list[Text]:
    from rich.style import Style

    bold, red = Style(bold=True), Style(color="red")
    marked = Text("  ")
    marked.append("一、", bold)
    marked.append("加强法治政府建设")
    marked.append(" ★", red)
    overlapping = Text("abcdef")
    overlapping.stylize(bold, 0, 4)
    overlapping.stylize(red, 2, 6)
    return [
        Text(""),
        Text("plain"),
        marked,
        Text.assemble(("", bold), ("x", red), ("", bold), "y"),
        overlapping,  # spans that overlap: left to Rich
        Text("styled whole", style="italic"),  # a text style: left to Rich
        Text.assemble(("named", "bold red")),  # a style by name: left to Rich
    ]


def test_a_row_is_drawn_as_rich_would_draw_it() -> None:
    from rich.style import Style

    from briefing.tui.widgets.row_list import _row_segments

    class Console:
        def __init__(self) -> None:
            from rich.console import Console as RichConsole

            self.console = RichConsole()

    line = Style(bgcolor="#202020", color="#e0e0e0")
    for text in _rows():
        assert _row_segments(text, line, Console()) == _rich_segments(text, line), text.markup


def test_the_contents_draw_their_rows_without_rich_text_rendering(monkeypatch) -> None:
    """A contents row (plain strings, ``Style`` spans in order) is cut into segments
    directly: Rich's ``Text.render`` was a fifth of drawing the contents."""
    import briefing
    from briefing.store import Store
    from briefing.tui.app import BriefingApp
    from briefing.tui.widgets.toc import ContentsList

    rendered: list[Text] = []
    render = Text.render

    def counted(self: Text, *args, **kwargs):  # type: ignore[no-untyped-def]
        rendered.append(self)
        return render(self, *args, **kwargs)

    async def run(tmp: str) -> None:
        app = BriefingApp(briefing.load_report(), Store.open(f"{tmp}/notes.json"))
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            contents = app.screen.query_one(ContentsList)
            contents.redraw()
            monkeypatch.setattr(Text, "render", counted)
            strips = contents.render_lines(contents.size.region)
            assert len(strips) == contents.size.height
            assert any("一、" in strip.text for strip in strips)

    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        asyncio.run(run(tmp))
    assert rendered == []


def test_a_row_is_made_as_one_strip_of_the_list_s_width(monkeypatch) -> None:
    """A row shorter than the list is padded in its own segments: one ``Strip`` per
    row drawn, not a second from ``adjust_cell_length`` (each Strip carries seven
    caches that the young garbage collections walk)."""
    from textual.strip import Strip

    from briefing.tui.lean_strip import LeanStrip

    made: list[Strip] = []
    real = Strip.__init__
    real_lean = LeanStrip.__init__

    def counted(self: Strip, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        made.append(self)
        (real_lean if isinstance(self, LeanStrip) else real)(self, *args, **kwargs)

    async def run() -> None:
        app = ListApp()
        async with app.run_test(size=(30, 8)) as pilot:
            await pilot.pause()
            letters = app.query_one(Letters)
            letters.redraw()
            width = letters.scrollable_content_region.width
            monkeypatch.setattr(Strip, "__init__", counted)
            monkeypatch.setattr(LeanStrip, "__init__", counted)
            rows = [letters.render_line(y) for y in range(3)]
            monkeypatch.setattr(Strip, "__init__", real)
            monkeypatch.setattr(LeanStrip, "__init__", real_lean)
            assert [row.text for row in rows] == [f" {c}".ljust(width) for c in "abc"]
            assert [row.cell_length for row in rows] == [width] * 3

    asyncio.run(run())
    assert len(made) == 3
