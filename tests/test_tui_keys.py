"""Keys that arrive in one burst (a paste, a slow SSH link) reach the widget
they were meant for, in order, even before the panels are mounted."""

from __future__ import annotations

import unicodedata

import pytest
from textual import events
from textual.widgets import TextArea

from briefing.model import Report
from briefing.store import Store
from briefing.tui.app import BriefingApp
from briefing.tui.screens.note_editor import NoteEditor
from briefing.tui.widgets.figures_panel import FiguresPanel
from briefing.tui.widgets.search_bar import SearchBar

KEY_NAMES = {
    "/": "slash",
    "?": "question_mark",
    "[": "left_square_bracket",
    "]": "right_square_bracket",
}


def send_burst(app: BriefingApp, text: str) -> None:
    """Every key at once, as a terminal delivers a paste: no pause between them."""
    driver = app._driver
    assert driver is not None
    for char in text:
        name = KEY_NAMES.get(char, char)
        if char == " ":
            name = "space"
        elif not char.isalnum() and char not in KEY_NAMES:
            name = unicodedata.name(char).lower().replace(" ", "_")
        event = events.Key(name, char)
        event.set_sender(app)
        driver.send_message(event)


async def settle(pilot) -> None:
    for _ in range(5):
        await pilot.pause()


async def test_search_burst_right_after_start_types_the_query(report: Report, store: Store) -> None:
    app = BriefingApp(report, store)
    async with app.run_test(size=(100, 30)) as pilot:
        send_burst(app, "/fazhi")
        await settle(pilot)
        bar = app.screen.query_one(SearchBar)
        assert bar.is_open
        assert bar.input.value == "fazhi"
        assert not app.screen.query_one(FiguresPanel).has_class("-open")
        assert not isinstance(app.screen, NoteEditor)


async def test_q_typed_into_the_search_does_not_quit(report: Report, store: Store) -> None:
    app = BriefingApp(report, store)
    async with app.run_test(size=(100, 30)) as pilot:
        send_burst(app, "/quanguo")
        await settle(pilot)
        assert app.is_running
        assert app.screen.query_one(SearchBar).input.value == "quanguo"


async def test_note_typed_in_one_burst_lands_in_the_editor(report: Report, store: Store) -> None:
    app = BriefingApp(report, store)
    async with app.run_test(size=(100, 30)) as pilot:
        send_burst(app, "aqe t/[]")
        await settle(pilot)
        assert isinstance(app.screen, NoteEditor)
        assert app.screen.query_one(TextArea).text == "qe t/[]"


@pytest.mark.parametrize("keys", ["qa", "qe", "qt", "q?", "q/", "qm", "qf", "q:"])
async def test_keys_after_quit_are_dropped(report: Report, store: Store, keys: str) -> None:
    app = BriefingApp(report, store)
    async with app.run_test(size=(100, 30)) as pilot:
        send_burst(app, keys)
        await settle(pilot)
    assert app.return_code in (0, None)


async def test_palette_page_key_before_its_list_is_laid_out(report: Report, store) -> None:
    """A page key that reaches the palette's list before its first layout (the
    monkey found it: ``KeyError`` in Textual's ``OptionList._move_page``)."""
    from textual.command import CommandList, CommandPalette

    app = BriefingApp(report, store)
    async with app.run_test(size=(80, 24)) as pilot:
        app.action_command_palette()
        await settle(pilot)
        palette = app.screen
        assert isinstance(palette, CommandPalette)
        command_list = palette.query_one(CommandList)
        command_list.clear_options()
        command_list.add_option("x")
        command_list.highlighted = 0
        command_list._index_to_line.clear()  # as between populating and the next layout
        await app.run_action("command_list('page_down')", palette)
        await settle(pilot)
        assert app.is_running
        assert not app.action_errors
