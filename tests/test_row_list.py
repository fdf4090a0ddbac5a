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
