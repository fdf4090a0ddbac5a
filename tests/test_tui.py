"""Pilot tests of the reader: every key, the store round trips, hostile text."""

from __future__ import annotations

from pathlib import Path

import pytest

import briefing
from briefing.model import Report
from briefing.store import Store
from briefing.tui.app import BriefingApp
from briefing.tui.screens.reader import ReaderScreen
from briefing.tui.widgets.reader_view import ReaderView
from briefing.tui.widgets.toc import ContentsList
from tests.conftest import settle


def reader_of(app: BriefingApp) -> ReaderScreen:
    screen = app.screen
    assert isinstance(screen, ReaderScreen)
    return screen


async def wait_for_search(pilot, screen: ReaderScreen) -> None:
    """Until the search worker's results are on screen."""
    assert await settle(pilot, lambda: not screen.search.pending, 30)
    await pilot.pause()


def drawn_lines(view: ReaderView) -> list[str]:
    """Every line of the whole document as the view draws it (all wrapped)."""
    view._ensure_layout()
    view._settle_around(0, 0, 10**9)
    lines = []
    for y in range(view.virtual_size.height):
        line = view._line_at(y)
        assert line is not None
        lines.append("".join(segment.text for segment in view._render_text_line(y, line)))
    return lines


async def wait_for_index(pilot, screen: ReaderScreen) -> None:
    """Until the index is loaded (its worker starts only after the first paint)."""
    await settle(pilot, lambda: screen.index is not None or bool(screen.index_error), 60)
    await pilot.app.workers.wait_for_complete()  # and what the index started (figures …)
    await pilot.pause()
    assert screen.index is not None, screen.index_error


async def test_opens_with_title_and_contents(report: Report, store: Store) -> None:
    app = BriefingApp(report, store)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = reader_of(app)
        assert screen.title == report.title
        assert "常州市人民政府" in screen.sub_title
        tree = app.query_one(ContentsList)
        labels = [tree.label_of(s.id).plain for s in report.sections]
        assert len(labels) == len(report.sections)
        assert any("加强法治政府建设保障" in label for label in labels)
        view = app.query_one(ReaderView)
        assert view.current_section_id == report.sections[0].id
        await pilot.pause()


async def test_contents_keep_a_space_after_a_word_number(tmp_path: Path, store: Store) -> None:
    """``第一章总则`` written with no space is listed ``第一章 总则``, as the
    command line lists it; ``一、`` and ``（一）`` stay run in."""
    path = tmp_path / "rules.txt"
    path.write_text(
        "某某县人民政府工作规则\n第一章总则\n第一条为了规范县政府工作，制定本规则。\n"
        "一、县政府坚持依法行政。\n（一）执行决议。\n第二章 职责\n第二条县政府履行职责。\n",
        encoding="utf-8",
    )
    report = briefing.load_report(path)
    app = BriefingApp(report, store)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        tree = app.query_one(ContentsList)
        labels = [tree.label_of(s.id, 60).plain.strip() for s in report.sections]
        assert labels == [s.label for s in report.sections]
        assert "第一章 总则" in labels and "第二章 职责" in labels
        assert any(label.startswith("第一条 为了") for label in labels)
        assert any(label.startswith("一、县政府") for label in labels)


async def test_section_keys_and_tree_follows(report: Report, store: Store) -> None:
    app = BriefingApp(report, store)
    async with app.run_test(size=(120, 40)) as pilot:
        view = app.query_one(ReaderView)
        tree = app.query_one(ContentsList)
        ids = [s.id for s in report.sections]
        await pilot.press("right_square_bracket")
        await pilot.pause()
        assert view.current_section_id == ids[1]
        await pilot.press("right_square_bracket", "right_square_bracket")
        await pilot.pause()
        assert view.current_section_id == ids[3]
        assert tree.cursor_section == ids[3]
        await pilot.press("left_square_bracket")
        await pilot.pause()
        assert view.current_section_id == ids[2]


async def test_paragraph_cursor_moves_across_pages(report: Report, store: Store) -> None:
    app = BriefingApp(report, store)
    async with app.run_test(size=(120, 40)) as pilot:
        view = app.query_one(ReaderView)
        seen = [view.current_section_id]
        for _ in range(6):
            await pilot.press("j")
            seen.append(view.current_section_id)
        # j walks paragraphs in document order, turning pages at the end of one.
        assert seen == [s.id for s in report.sections[:7]]
        await pilot.press("k")
        assert view.current_section_id == report.sections[5].id
        await pilot.press("G")
        last_of_page = view.paragraphs[-1]
        assert view.current_paragraph == last_of_page
        await pilot.press("g")
        assert view.cursor == 0


async def test_clicking_a_tree_node_shows_the_section(report: Report, store: Store) -> None:
    app = BriefingApp(report, store)
    async with app.run_test(size=(120, 40)) as pilot:
        tree = app.query_one(ContentsList)
        tree.select_section("3.2")
        await pilot.pause()
        assert app.query_one(ReaderView).current_section_id == "3.2"


async def test_search_as_you_type_with_counter(report: Report, store: Store) -> None:
    app = BriefingApp(report, store)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = reader_of(app)
        await wait_for_index(pilot, screen)
        await pilot.press("slash")
        assert screen.search_bar.is_open
        for key in "fzzf":
            await pilot.press(key)
        await wait_for_search(pilot, screen)
        # The title is searched too: its hit comes first.
        expected = report.body.count("法治政府") + report.metadata.title.count("法治政府")
        assert len(screen.search.hits) == expected
        assert screen.search.hits[0].section == "title"
        assert all(hit.text == "法治政府" for hit in screen.search.hits)
        assert screen.search.position >= 0
        count = screen.search_bar.query_one("#search-count")
        assert str(count.render()) == f"{screen.search.position + 1}/{expected}"
        # Each row's context starts at a clause or after punctuation, not on a comma.
        from briefing.text import CLOSING_PUNCTUATION
        from briefing.tui.widgets.search_bar import ResultsList

        rows = screen.search_bar.query_one(ResultsList)
        for i, hit in enumerate(screen.search.hits):
            plain = rows.render_row(i, 100).plain
            place = rows._place(hit.section)
            context = plain[len(place) : plain.index(hit.text, len(place))].lstrip(" ")
            assert not context or context[0] not in CLOSING_PUNCTUATION, plain
        first = screen.search.position
        await pilot.press("enter")
        assert not screen.search_bar.is_open
        await pilot.press("n")
        assert screen.search.position == (first + 1) % expected
        hit = screen.search.hits[screen.search.position]
        assert app.query_one(ReaderView).current_section_id == hit.section
        await pilot.press("N", "N")
        assert screen.search.position == (first - 1) % expected
        # Esc in a reopened bar abandons the search and clears the marks.
        await pilot.press("slash", "escape")
        assert len(screen.search.hits) == 0


async def test_stale_search_results_are_dropped(report: Report, store: Store) -> None:
    """Typing faster than the worker searches: only the last query's hits are shown."""
    app = BriefingApp(report, store)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = reader_of(app)
        await wait_for_index(pilot, screen)
        await screen.ensure_panels()
        screen.search_bar.open()
        for query in ("f", "fz", "fzz", "fzzf"):
            screen._run_search(query, move=True)
        assert screen.search.status() == "…"
        await wait_for_search(pilot, screen)
        assert screen.search.query == "fzzf"
        assert {hit.text for hit in screen.search.hits} == {"法治政府"}
        # Results that arrive for an older query are ignored.
        from briefing.tui.search_state import find_hits

        old = find_hits(screen.index, "f", fuzzy=False)
        screen._search_done(old, True, screen._search_generation - 1)
        assert screen.search.query == "fzzf"


async def test_search_before_index_says_indexing(report: Report, store: Store) -> None:
    app = BriefingApp(report, store)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = reader_of(app)
        await screen.ensure_panels()
        await pilot.app.workers.wait_for_complete()
        screen.index = None
        screen._run_search("fazhi", move=True)
        count = screen.search_bar.query_one("#search-count")
        assert "indexing" in str(count.render())
        screen._analyse()  # the index arrives: the search runs
        await wait_for_index(pilot, screen)
        await wait_for_search(pilot, screen)
        assert screen.search.hits


async def test_bookmark_round_trip(report: Report, store: Store) -> None:
    app = BriefingApp(report, store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("right_square_bracket", "right_square_bracket")
        section_id = app.query_one(ReaderView).current_section_id
        await pilot.press("b")
        assert [b.section for b in store.bookmarks.list(report)] == [section_id]
        label = app.query_one(ContentsList).label_of(section_id).plain
        assert "★" in label
        await pilot.press("b")
        assert store.bookmarks.list(report) == []


async def test_note_on_paragraph_edit_and_delete(report: Report, store: Store) -> None:
    app = BriefingApp(report, store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("j", "j")
        view = app.query_one(ReaderView)
        paragraph = view.current_paragraph
        assert paragraph is not None
        await pilot.press("a")
        await pilot.pause()
        await pilot.press(*"[bold]x[/]")
        await pilot.press("ctrl+s")
        await pilot.pause()
        notes = store.notes.list(report)
        assert len(notes) == 1
        assert notes[0].text == "[bold]x[/]"
        assert notes[0].section == paragraph.section
        assert (notes[0].start, notes[0].end) == (paragraph.start, paragraph.end)
        assert "✎1" in app.query_one(ContentsList).label_of(paragraph.section).plain
        # Edit it from the notes panel.
        await pilot.press("m")
        await pilot.pause()
        await pilot.press("down", "e")
        await pilot.pause()
        await pilot.press("end", "!", "ctrl+s")
        await pilot.pause()
        assert store.notes.list(report)[0].text == "[bold]x[/]!"
        # Delete with confirmation: "n" keeps it, "y" deletes it.
        await pilot.press("d")
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        assert len(store.notes.list(report)) == 1
        await pilot.press("d")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert store.notes.list(report) == []


async def test_note_on_selection(report: Report, store: Store) -> None:
    from textual.geometry import Offset
    from textual.selection import Selection

    app = BriefingApp(report, store)
    async with app.run_test(size=(120, 40)) as pilot:
        view = app.query_one(ReaderView)
        await pilot.press("right_square_bracket", "right_square_bracket")
        view._ensure_layout()
        line_y = view._lines.start(view.cursor)
        app.screen.selections = {view: Selection(Offset(2, line_y), Offset(6, line_y))}
        await pilot.pause()
        span = view.selected_span()
        assert span is not None
        section_id, start, end = span
        section = report.section(section_id)
        await pilot.press("a")
        await pilot.pause()
        await pilot.press("o", "k", "ctrl+s")
        await pilot.pause()
        notes = store.notes.list(report)
        assert len(notes) == 1
        assert notes[0].quote.exact == section.text[start:end]
        assert end - start == 4


async def test_export_writes_markdown(report: Report, store: Store, tmp_path: Path) -> None:
    store.notes.add(report, "2.1", "营商环境的要点", quote="0.61个工作日")
    store.bookmarks.add(report, "3")
    target = tmp_path / "out.md"
    app = BriefingApp(report, store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("e")
        await pilot.pause()
        path_input = app.screen.query_one("#export-path")
        path_input.value = str(target)
        await pilot.press("enter")
        await pilot.pause()
    text = target.read_text(encoding="utf-8")
    assert text.startswith(f"# {report.title}")
    assert "营商环境的要点" in text
    assert "> " in text and "0.61个工作日" in text


async def test_reading_position_is_restored(report: Report, tmp_path: Path) -> None:
    db = tmp_path / "state.json"
    first = Store.open(db)
    app = BriefingApp(report, first)
    async with app.run_test(size=(120, 40)) as pilot:
        tree = app.query_one(ContentsList)
        tree.select_section("4.2")
        await pilot.pause()
        await pilot.press("q")
    first.close()
    second = Store.open(db)
    app = BriefingApp(report, second)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert app.query_one(ReaderView).current_section_id == "4.2"
    second.close()


MARKUP_REPORT = """信息名称:标记注入测试报告 |
发布机构:[bold]某某[/]人民政府 |
一、[@click=app.quit]点我[/]退出
一是[red]红色[/red]不是样式。完成率98.4%,[/]也照原样显示,[link=http://x]链接[/link]。
二是控制字符\x1b[31m红\x1b[0m和\x07响铃都去掉。
"""


async def test_markup_in_report_is_shown_literally(tmp_path: Path, store: Store) -> None:
    path = tmp_path / "markup.txt"
    path.write_text(MARKUP_REPORT, encoding="utf-8")
    report = briefing.load_report(path)
    app = BriefingApp(report, store)
    async with app.run_test(size=(100, 30)) as pilot:
        view = app.query_one(ReaderView)
        rendered = "\n".join(drawn_lines(view))
        assert "[@click=app.quit]点我[/]退出" in rendered
        assert "[red]红色[/red]不是样式" in rendered
        assert "\x1b" not in rendered and "\x07" not in rendered
        # Clicking the would-be link runs nothing: the app is still running.
        await pilot.click(ReaderView, offset=(5, 0))
        await pilot.pause()
        assert app.is_running
        contents = app.query_one(ContentsList)
        tree_labels = [contents.label_of(s.id).plain for s in report.sections]
        assert any("[@click=app.quit]" in label for label in tree_labels)


async def test_small_terminal_and_resize(report: Report, store: Store) -> None:
    app = BriefingApp(report, store)
    async with app.run_test(size=(80, 24)) as pilot:
        view = app.query_one(ReaderView)
        await pilot.press("right_square_bracket", "right_square_bracket")
        await pilot.pause()
        width = view.scrollable_content_region.width
        from rich.cells import cell_len

        for text in drawn_lines(view):
            assert cell_len(text) <= width
            assert not text[3:].startswith(("，", "。", "、", ",", "）", "”"))
        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        assert view.scrollable_content_region.width > width
        assert cell_len("二") == 2


async def test_figures_panel_lists_and_jumps(report: Report, store: Store) -> None:
    app = BriefingApp(report, store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.app.workers.wait_for_complete()
        tree = app.query_one(ContentsList)
        tree.select_section("2.1")
        await pilot.pause()
        await pilot.press("f")
        await pilot.pause()
        panel = app.screen.query_one("#figures")
        assert panel.has_class("-open")
        shown = panel._shown
        assert shown and all(f.section == "2.1" for f in shown)
        assert any(f.text == "98.4%" for f in shown)
        await pilot.press("a")
        assert len(panel._shown) > len(shown)
        await pilot.press("escape")
        assert not panel.has_class("-open")


async def test_help_lists_the_keys(report: Report, store: Store) -> None:
    app = BriefingApp(report, store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        from briefing.tui.screens.help import HelpScreen

        assert isinstance(app.screen, HelpScreen)
        keys = {key for _, rows in app.screen.sections for key, _ in rows}
        descriptions = {d for _, rows in app.screen.sections for _, d in rows}
        assert {"Search", "Bookmark", "Note", "Export", "Next hit"} <= descriptions
        assert "/" in keys
        await pilot.press("escape")
        assert isinstance(app.screen, ReaderScreen)


async def test_every_binding_has_an_id() -> None:
    from briefing.tui.screens.confirm import ConfirmScreen
    from briefing.tui.screens.export import ExportScreen
    from briefing.tui.screens.help import HelpScreen
    from briefing.tui.screens.note_editor import NoteEditor
    from briefing.tui.widgets.figures_panel import FiguresPanel
    from briefing.tui.widgets.notes_panel import NotesPanel
    from briefing.tui.widgets.search_bar import SearchBar

    for owner in (
        BriefingApp,
        ReaderScreen,
        ReaderView,
        ContentsList,
        SearchBar,
        FiguresPanel,
        NotesPanel,
        NoteEditor,
        ConfirmScreen,
        ExportScreen,
        HelpScreen,
    ):
        for binding in owner.BINDINGS:
            assert binding.id, f"{owner.__name__}: {binding.key} has no id"


async def test_theme_switch_is_remembered(report: Report, tmp_path: Path) -> None:
    db = tmp_path / "themes.json"
    store = Store.open(db)
    app = BriefingApp(report, store)
    async with app.run_test(size=(120, 40)) as pilot:
        assert app.theme == "paper"
        await pilot.pause()  # the other themes are registered after the first paint
        assert "hongtou" in app.available_themes
        app.theme = "hongtou"
        await pilot.pause()
    store.close()
    store = Store.open(db)
    app = BriefingApp(report, store)
    async with app.run_test(size=(120, 40)):
        assert app.theme == "hongtou"
    store.close()


async def test_broken_user_theme_is_a_notification(
    report: Report, store: Store, isolated_user_dirs: Path
) -> None:
    theme_dir = isolated_user_dirs / "config" / "themes"
    theme_dir.mkdir(parents=True)
    (theme_dir / "broken.toml").write_text("name = [unclosed\n", encoding="utf-8")
    app = BriefingApp(report, store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        messages = [n.message for n in app._notifications]
        assert any("broken.toml" in m for m in messages)


async def test_fuzzy_setting_from_palette_command(report: Report, store: Store) -> None:
    app = BriefingApp(report, store)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = reader_of(app)
        titles = [c.title for c in app.get_system_commands(screen)]
        assert "Toggle fuzzy pinyin" in titles
        screen.toggle_fuzzy()
        await pilot.pause()
        assert store.settings.get("fuzzy") is True


async def test_scrolling_moves_the_cursor_and_contents_follow(report: Report, store: Store) -> None:
    app = BriefingApp(report, store)
    async with app.run_test(size=(80, 14)) as pilot:
        contents = app.query_one(ContentsList)
        contents.select_section("2.1")
        await pilot.pause()
        view = app.query_one(ReaderView)
        assert view.current_section_id == "2.1"
        view.scroll_end(animate=False, immediate=True)
        await pilot.pause()
        last = report.sections[-1].id
        assert view.current_section_id == last
        assert contents.cursor_section == last
        view.scroll_home(animate=False, immediate=True)
        await pilot.pause()
        # The cursor comes back onto the screen, and the contents follow it.
        rows = view.scrollable_content_region.height
        assert view._lines.start(view.cursor) < rows
        assert view.current_section_id in {s.id for s in report.sections[:4]}
        assert contents.cursor_section == view.current_section_id


async def test_space_reads_straight_through_the_report(report: Report, store: Store) -> None:
    """Space pages through every section in order, as one document, to the end."""
    app = BriefingApp(report, store)
    async with app.run_test(size=(80, 24)) as pilot:
        view = app.query_one(ReaderView)
        contents = app.query_one(ContentsList)
        order = {s.id: i for i, s in enumerate(report.sections)}
        seen = [view.current_section_id]
        tops = [view.scroll_y]
        for _ in range(200):
            await pilot.press("space")
            if view.scroll_y == tops[-1]:
                break
            tops.append(view.scroll_y)
            seen.append(view.current_section_id)
        assert tops == sorted(tops) and len(tops) > 5
        assert [order[s] for s in seen] == sorted(order[s] for s in seen)
        assert order[seen[-1]] >= len(report.sections) - 3  # reached the end
        assert view.scroll_y == view.max_scroll_y
        assert view.cursor == len(view.paragraphs) - 1 or view.current_section_id == seen[-1]
        assert contents.cursor_section == view.current_section_id
        # Space once more at 100%: nothing moves, and the reader says why.
        await pilot.press("space")
        await pilot.press("space")
        assert view.cursor == len(view.paragraphs) - 1
        messages = [n.message for n in app._notifications]
        assert any("g" in m and ("End of the report" in m or "末尾" in m) for m in messages)
        await pilot.press("space")  # held down: one notice, not a stack of them
        assert len(app._notifications) == len(messages)
        # PgUp goes back across section boundaries too; g and G span the report.
        await pilot.press("pageup")
        assert view.scroll_y < tops[-1]
        await pilot.press("g")
        assert view.scroll_y == 0 and view.cursor == 0
        await pilot.press("pageup")
        said = [n.message for n in app._notifications]
        assert any("Top of the report" in m or "开头" in m for m in said)
        await pilot.press("G")
        await pilot.pause()
        assert view.cursor == len(view.paragraphs) - 1
        assert view.scroll_y == view.max_scroll_y
        assert view.current_section_id == report.sections[-1].id


async def test_page_keys_show_every_line_once(report: Report, store: Store) -> None:
    """Paging down shows the document without losing or repeating text at the seams."""
    app = BriefingApp(report, store)
    async with app.run_test(size=(60, 20)) as pilot:
        view = app.query_one(ReaderView)
        await pilot.pause()
        shown: dict[int, str] = {}
        while True:
            top = round(view.scroll_y)
            rows = view.scrollable_content_region.height
            for y in range(top, min(top + rows, view.virtual_size.height)):
                line = view._line_at(y)
                if line is not None and not line.spacer:
                    section = view.paragraphs[line.paragraph].section
                    shown.setdefault(y, report.section(section).text[line.start : line.end])
            await pilot.press("pagedown")
            if round(view.scroll_y) == top:
                break
        every = [report.section(p.section).text[p.start : p.end] for p in view.paragraphs]
        assert "".join(shown[y] for y in sorted(shown)) == "".join(every)


async def test_section_keys_put_the_section_at_the_top(report: Report, store: Store) -> None:
    app = BriefingApp(report, store)
    async with app.run_test(size=(80, 24)) as pilot:
        view = app.query_one(ReaderView)
        for _ in range(4):
            await pilot.press("right_square_bracket")
        await pilot.pause()
        line = view._line_at(round(view.scroll_y))
        assert line is not None and view.paragraphs[line.paragraph].section == report.sections[4].id
        assert view.current_section_id == report.sections[4].id


async def test_status_line_shows_progress_and_the_note_under_the_cursor(
    report: Report, store: Store
) -> None:
    from briefing.tui.widgets.reading_status import ReadingStatus

    section = report.sections[2]
    store.notes.add(report, section.id, "我的[bold]笔记", 0, 4)
    app = BriefingApp(report, store)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        status = app.query_one(ReadingStatus)
        count = sum(1 for s in report.sections if s.level == 1)
        assert f"1/{count}" in status.text
        await pilot.press("G")
        await pilot.pause()
        assert status.text.endswith("100%")
        assert f"{count}/{count}" in status.text
        app.query_one(ContentsList).select_section(section.id)
        await pilot.pause()
        assert "✎ 我的[bold]笔记" in status.text  # the note's words, literally
        await pilot.press("j")
        await pilot.pause()
        assert "✎" not in status.text


@pytest.mark.parametrize("size", [(120, 40), (80, 24), (60, 20)])
async def test_status_line_agrees_with_itself_reading_straight_through(
    report: Report, store: Store, size: tuple[int, int]
) -> None:
    """The end of the report showed ``7/9 · 100%``: the percentage came from the
    bottom of the screen, the part from the cursor. Both follow the cursor now,
    and Space on the last screen takes it to the last paragraph: ``N/N · 100%``."""
    import re

    from briefing.tui.widgets.reading_status import ReadingStatus

    app = BriefingApp(report, store)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        view = app.query_one(ReaderView)
        status = app.query_one(ReadingStatus)
        count = view.page.top_count
        seen: list[tuple[int, int]] = []
        for _ in range(300):
            await pilot.press("space")
            found = re.search(r"(\d+)/(\d+) · (\d+)%$", status.text)
            assert found, status.text
            k, n, percent = map(int, found.groups())
            assert n == count
            assert k == view.page.top_number(view.current_section_id)
            assert (percent == 100) == (view.cursor == len(view.paragraphs) - 1), status.text
            seen.append((k, percent))
            if percent == 100:
                break
        assert seen == sorted(seen) and seen[-1] == (count, 100)
        assert view.scroll_y == view.max_scroll_y
        await pilot.press("pageup")
        assert not status.text.endswith(" 100%")


def _segments_of(view: ReaderView, section_id: str, needle: str):
    """The drawn segments of the line showing ``needle`` of a section."""
    text = view.report.section(section_id).text
    offset = text.index(needle)
    index = view.page.index_at(section_id, offset)
    view._settle_around(index, 0, 1)
    y = view._lines.start(index)
    while True:
        line = view._line_at(y)
        assert line is not None
        if line.start <= offset < line.end:
            return list(view._render_text_line(y, line))
        y += 1


async def test_no_color_still_shows_hits(
    report: Report, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = BriefingApp(report, store)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = reader_of(app)
        await wait_for_index(pilot, screen)
        assert app.no_color
        await screen.ensure_panels()
        screen.search_bar.open()
        screen._run_search("fzzf", move=True)
        await wait_for_search(pilot, screen)
        view = app.query_one(ReaderView)
        current = screen.search.current
        # (The title's hit is marked in the header, not on the page.)
        others = [h for h in screen.search.hits if h != current and h.section != "title"]
        for hit in (current, others[0]):
            segments = _segments_of(view, hit.section, hit.text)
            styled = [s.style for s in segments if s.text and hit.text.startswith(s.text[:2])]
            assert any(st and (st.underline or st.reverse) for st in styled), segments


async def test_noted_figure_keeps_its_colour(report: Report, store: Store) -> None:
    from briefing.figures import report_figures

    figure = next(f for f in report_figures(report) if f.kind == "percent")
    section = report.section(figure.section)
    store.notes.add(report, figure.section, "note", max(0, figure.start - 3), figure.end + 2)
    app = BriefingApp(report, store)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = reader_of(app)
        await wait_for_index(pilot, screen)
        view = app.query_one(ReaderView)
        segments = _segments_of(view, figure.section, section.text[figure.start : figure.end])
        style = next(s.style for s in segments if figure.text in s.text)
        assert style.underline
        assert style.color == view._style("percent").color


async def test_narrow_terminal_gives_the_page_room(report: Report, store: Store) -> None:
    """At 60 columns a panel pushes the contents away; ? and q stay in the footer."""
    from textual.widgets._footer import FooterKey

    app = BriefingApp(report, store)
    async with app.run_test(size=(60, 20)) as pilot:
        screen = reader_of(app)
        await wait_for_index(pilot, screen)
        contents = app.query_one(ContentsList)
        view = app.query_one(ReaderView)
        assert contents.display  # 60 columns alone leave the page ~18 hanzi
        await pilot.press("f")
        await settle(pilot, lambda: not contents.display)
        assert not contents.display, [p.outer_size for p in app.screen.query("SidePanel")]
        assert view._layout_width >= 24  # at least 12 hanzi beside the panel
        for action in ("help", "quit"):
            key = next(k for k in app.screen.query(FooterKey) if k.action == action)
            assert key.region.right <= 60 and key.region.width > 0, (action, key.region)
        await pilot.press("escape")
        assert await settle(pilot, lambda: contents.display)
        await pilot.press("c")  # the reader's choice wins over the width
        await pilot.pause()
        assert not contents.display
        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        assert not contents.display
        await pilot.press("c")
        await pilot.pause()
        assert contents.display


async def test_wide_terminal_caps_the_measure(report: Report, store: Store) -> None:
    app = BriefingApp(report, store)
    async with app.run_test(size=(200, 50)) as pilot:
        await pilot.pause()
        view = app.query_one(ReaderView)
        assert view._layout_width == 80  # 40 hanzi, the default measure
        room = view.scrollable_content_region.width - 3
        assert abs(view._margin - (room - 80) // 2) <= 1 and view._margin > 10
        from rich.cells import cell_len

        for text in drawn_lines(view)[:60]:
            assert cell_len(text.rstrip()) <= view._margin + 3 + 80
