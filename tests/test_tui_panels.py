"""Notes and figures panels: the reader's keys work there, places are named by heading."""

from __future__ import annotations

import pytest
from rich.text import Text
from textual.widgets import Static

import briefing
from briefing.model import Report
from briefing.store import Store
from briefing.text import cell_width
from briefing.tui.app import BriefingApp
from briefing.tui.places import place_of
from briefing.tui.widgets.figures_panel import FiguresPanel
from briefing.tui.widgets.notes_panel import NotesPanel
from briefing.tui.widgets.reader_view import ReaderView
from tests.conftest import settle


def item_ids(report: Report) -> list[str]:
    return [s.id for s in report.sections if s.level == 2][:4]


async def test_j_k_g_G_move_in_the_notes_panel(report: Report, store: Store) -> None:
    for section_id in item_ids(report):
        store.bookmarks.add(report, section_id)
    app = BriefingApp(report, store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        view = app.query_one(ReaderView)
        page_before = view.current_section_id
        await pilot.press("m")
        await pilot.pause()
        options = app.query_one(NotesPanel).option_list
        first = options.highlighted
        await pilot.press("j")
        assert options.highlighted == first + 1
        await pilot.press("k")
        assert options.highlighted == first
        await pilot.press("G")
        assert options.highlighted == options.option_count - 1
        await pilot.press("g")
        assert options.highlighted == 0 or options.highlighted == first
        assert view.current_section_id == page_before, "the page did not move"


async def test_j_k_in_the_figures_panel_and_places_by_heading(report: Report, store: Store) -> None:
    app = BriefingApp(report, store)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("f", "a")  # the whole report's figures
        await pilot.pause()
        panel = app.query_one(FiguresPanel)
        options = panel.option_list
        assert options.option_count > 3
        options.highlighted = 0
        await pilot.press("j", "j")
        assert options.highlighted == 2
        await pilot.press("G")
        assert options.highlighted == options.option_count - 1
        rows = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert not any("§" in row for row in rows)
        item = next(f for f in panel.all_figures if report.section(f.section).level == 2)
        place = place_of(report, item.section)
        assert "、" in place and place in rows[panel.all_figures.index(item)]


async def test_notes_panel_names_the_place_of_a_note(report: Report, store: Store) -> None:
    section = next(s for s in report.sections if s.level == 2)
    store.notes.add(report, section.id, "看这里", 0, 4)
    app = BriefingApp(report, store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("m")
        await pilot.pause()
        options = app.query_one(NotesPanel).option_list
        rows = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert any(place_of(report, section.id) in row and "看这里" in row for row in rows)
        assert not any("§" in row for row in rows)


def test_place_names() -> None:
    report = briefing.load_report()
    item = next(s for s in report.sections if s.level == 2)
    parent = report.section(item.parent)
    assert place_of(report, item.id) == parent.number + item.number
    assert place_of(report, "no-such") == "§no-such"


def test_an_unnumbered_part_is_named_by_its_title_not_its_id() -> None:
    """The reader never shows section ids: a long unnumbered part (在总结工作经验的
    同时…) was listed as ``§7`` in the search results and panels."""
    from briefing.parse import parse_report

    report = parse_report(
        "某市2023年法治政府建设工作报告\n"
        "一、加强组织领导\n推进工作。\n"
        "在总结工作经验的同时，我们也看到一些不足。\n"
        "Looking ahead to the next year and beyond\n"
    )
    places = {s.title: place_of(report, s.id) for s in report.sections}
    long = next(t for t in places if t.startswith("在总结"))
    assert places[long] == "在总结…"
    latin = next((t for t in places if t.startswith("Looking")), None)
    for title, place in places.items():
        assert "§" not in place, (title, place)
        assert cell_width(place) <= 9, place
    if latin:
        assert places[latin].startswith("Looking")


async def test_page_keys_in_a_panel_with_no_room(report: Report, store: Store) -> None:
    for section_id in item_ids(report):
        store.bookmarks.add(report, section_id)
    app = BriefingApp(report, store)
    async with app.run_test(size=(40, 12)) as pilot:
        await pilot.press("m", "pagedown", "pageup", "pagedown", "G", "pageup")
        await pilot.pause()
        assert app.is_running


async def test_a_panel_on_a_narrow_screen_takes_the_contents_place(
    report: Report, store: Store
) -> None:
    from briefing.tui.widgets.toc import ContentsList

    app = BriefingApp(report, store)
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.press("m")
        await pilot.pause()
        assert not app.query_one(ContentsList).display
        assert app.query_one(ReaderView).region.width >= 25, "the page keeps room to read"
        await pilot.press("escape")
        await pilot.pause()
        assert app.query_one(ContentsList).display


async def test_slash_in_the_notes_panel_finds_in_the_notes(report: Report, store: Store) -> None:
    """The README promises notes searched from the notes panel: "/" there opened the
    report's search instead (liushi found nothing in the report, the note was 六十…)."""
    items = item_ids(report)
    store.notes.add(report, items[0], "六十列的笔记", 0, 4)
    store.notes.add(report, items[1], "另一条", 0, 4)
    store.bookmarks.add(report, items[2])
    app = BriefingApp(report, store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("m")
        await pilot.pause()
        panel = app.query_one(NotesPanel)
        options = panel.option_list

        def rows() -> list[str]:
            return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]

        everything = rows()
        await pilot.press("slash", *"liushi")
        for _ in range(100):
            await pilot.pause(0.05)
            if not any("另一条" in row for row in rows()):
                break
        assert any("六十列的笔记" in row for row in rows())
        assert not any("另一条" in row for row in rows())
        assert app.focused is not None and app.focused.has_class("notes-filter")
        await pilot.press("escape")
        await pilot.pause()
        assert rows() == everything and panel.has_class("-open")
        await pilot.press("escape")
        await pilot.pause()
        assert not panel.has_class("-open")


@pytest.mark.parametrize("size", [(60, 20), (80, 24)])
@pytest.mark.parametrize("language", ["en", "zh"])
async def test_a_panel_title_is_never_cut(
    report: Report, store: Store, monkeypatch: pytest.MonkeyPatch, size, language
) -> None:
    """The title was one line: at 60 columns "Figures in this section" lost its
    count, at 80 "(a: all)" was cut. It wraps instead, every word shown, and
    the key hint is never split ("(a:" / "all)" at 80 columns)."""
    from briefing import i18n

    monkeypatch.setenv("BRIEFING_LANG", language)
    i18n.set_language(None)
    app = BriefingApp(report, store)
    async with app.run_test(size=size) as pilot:
        await pilot.press("f")
        panel = app.query_one(FiguresPanel)
        assert await settle(pilot, lambda: panel.has_class("-open") and panel.region.width > 0)
        for _ in range(2):  # this section, then the whole report
            await pilot.pause()
            title = panel.query_one(".panel-title", Static)
            words = str(title.render())
            assert words.split()[-1].endswith(")"), words
            region = title.content_region
            lines = Text(words).wrap(app.console, region.width)
            assert len(lines) <= region.height, (words, region)
            # the key hint is whole on one line: not "(a:" on one, "all)" on the next
            shown = [line.plain.strip() for line in lines]
            assert any(
                (line.startswith("(a") and line.endswith(")")) or "  (a" in line for line in shown
            ), shown
            assert not any(line.endswith("(a:") for line in shown), shown
            panel.action_toggle_scope()


@pytest.mark.parametrize("size", [(60, 14), (60, 20), (80, 24), (120, 40)])
async def test_the_search_query_stays_in_view_on_a_short_terminal(
    report: Report, store: Store, size: tuple[int, int]
) -> None:
    """At 60×20 the results list (40% of the screen) and its border filled the bar's
    half of the main column, and the input row with the query and its count fell
    below it, out of view: the list gives way, the query stays."""
    from briefing.tui.widgets.search_bar import ResultsList, SearchBar

    app = BriefingApp(report, store)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        await pilot.press("slash", *"fazhi")
        await pilot.pause()
        bar = app.query_one(SearchBar)
        query = bar.input.region
        screen = app.screen.region
        assert query.height == 1 and screen.contains_region(query)
        assert bar.region.contains_region(query), "the input row is drawn inside the bar"
        assert app.screen.get_widget_at(query.x, query.y)[0] is bar.input
        assert app.query_one(ResultsList).region.height >= 1
        if size == (120, 40):
            assert app.query_one(ResultsList).region.height == 10
