"""Defects seen on a tour of the reader in tmux (120x40, 80x24, 60x20, 200x50),
each pinned by a pilot test that failed before its fix."""

from __future__ import annotations

import re

import pytest

from briefing.model import Report
from briefing.store import Store
from briefing.tui.app import BriefingApp
from briefing.tui.widgets.figures_panel import FiguresPanel
from tests.conftest import reader_ready


@pytest.mark.parametrize("size", [(60, 20), (80, 24)])
async def test_a_figure_is_one_row_of_the_panel_never_wrapped(
    report: Report, store: Store, size: tuple[int, int]
) -> None:
    """At 60x20 "0.61个工作日  duration" ended its row and "=0.61" began the next,
    at the left edge, as if it were a figure of its own."""
    app = BriefingApp(report, store)
    async with app.run_test(size=size) as pilot:
        await reader_ready(app, pilot)
        await pilot.press("f")
        await pilot.pause()
        panel = app.screen.query_one(FiguresPanel)
        await pilot.press("a")  # every figure of the report, with its place
        await pilot.pause()
        options = panel.option_list
        assert options.option_count > 20
        assert options.virtual_size.height == options.option_count


async def test_the_footer_of_a_question_says_what_its_buttons_say(
    report: Report, store: Store
) -> None:
    """Esc in the note editor with text asked with buttons "Discard y" and
    "Keep editing n" over a footer saying "y Yes  n No"."""
    from textual.widgets._footer import FooterKey

    from briefing.tui.screens.confirm import ConfirmScreen
    from tests.conftest import settle

    app = BriefingApp(report, store)
    async with app.run_test(size=(80, 24)) as pilot:
        await reader_ready(app, pilot)
        await pilot.press("a")
        assert await settle(pilot, lambda: type(app.screen).__name__ == "NoteEditor")
        await pilot.press(*"draft")
        await pilot.press("escape")
        assert await settle(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        assert await settle(pilot, lambda: len(app.screen.query(FooterKey)) >= 2)
        said = [key.description for key in app.screen.query(FooterKey)]
        assert "Discard" in said and "Keep editing" in said, said
        assert "Yes" not in said and "No" not in said, said
        await pilot.press("n")  # keep editing: the text is still there
        assert await settle(pilot, lambda: type(app.screen).__name__ == "NoteEditor")
        assert "draft" in app.screen.query_one("TextArea").text


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_the_help_lists_every_section_in_the_same_two_columns(
    report: Report, store: Store, size: tuple[int, int]
) -> None:
    """Each section's table spread its own key column over the row: the words
    stood at column 49 for the reader, 43 for the figures panel, 54 for the app."""
    from rich.cells import cell_len
    from rich.table import Table
    from textual.widgets import Static

    from briefing.tui.screens.help import HelpScreen
    from tests.conftest import settle

    app = BriefingApp(report, store)
    async with app.run_test(size=size) as pilot:
        await reader_ready(app, pilot)
        await pilot.press("question_mark")
        assert await settle(pilot, lambda: isinstance(app.screen, HelpScreen))
        await pilot.pause()
        starts: set[int] = set()
        for static in app.screen.query(Static):
            table = static.content
            if not isinstance(table, Table):
                continue
            width = static.content_region.width
            lines = app.console.render_lines(table, app.console.options.update_width(width))
            for line in lines:
                text = "".join(segment.text for segment in line)
                if not text.strip() or text[0] == " ":
                    continue  # a description's second line
                found = re.match(r"(\S.*?\S?)\s{2,}(?=\S)", text)  # keys, two spaces, words
                if found:
                    starts.add(cell_len(found.group(0)))
        assert len(starts) == 1, starts
        assert starts.pop() <= 20  # the words next to their keys, not across the row


async def test_a_note_in_the_panel_is_its_text_and_its_quote_on_two_lines(
    report: Report, store: Store
) -> None:
    """At 60x20 a note's text and quote wrapped, their ends at the left edge under
    the ✎ ("test", "改革。明…」"): each is now one line, cut with "…"."""
    from briefing.tui.widgets.notes_panel import NotesPanel

    section = next(s for s in report.sections if len(s.text) > 80)
    store.notes.add(report, section.id, "一条很长的笔记，" * 6, 0, 60)
    app = BriefingApp(report, store)
    async with app.run_test(size=(60, 20)) as pilot:
        await reader_ready(app, pilot)
        await pilot.press("m")
        await pilot.pause()
        options = app.screen.query_one(NotesPanel).option_list
        notes = [
            i
            for i in range(options.option_count)
            if "✎" in str(options.get_option_at_index(i).prompt)
        ]
        assert notes
        assert options.virtual_size.height == options.option_count + len(notes)


async def test_an_empty_notes_panel_says_how_to_add_one_in_full_at_60_columns(
    report: Report, store: Store
) -> None:
    """Rows of the notes panel are one line each: the hint for an empty panel is
    said under its title, where it wraps, not cut to "No bookmarks or not…"."""
    from briefing.tui.widgets.notes_panel import NotesPanel

    app = BriefingApp(report, store)
    async with app.run_test(size=(60, 20)) as pilot:
        await reader_ready(app, pilot)
        await pilot.press("m")
        await pilot.pause()
        panel = app.screen.query_one(NotesPanel)
        title = panel.query_one(".panel-title")
        said = str(title.render())
        assert "a adds a note" in said, said
        assert title.size.height >= 3  # wrapped under the title
