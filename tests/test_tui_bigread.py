"""Big reports in the reader: what loads when, and what the header marks."""

from __future__ import annotations

import threading

import pytest

from briefing.model import Report
from briefing.store import Store
from briefing.tui.app import BriefingApp
from tests.test_tui import reader_of, wait_for_search


async def test_search_works_while_the_figures_are_still_loading(
    report: Report, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The index has its own worker: slow figures never hold up the search."""
    from briefing import report_cache

    release = threading.Event()
    real = report_cache.report_figures_cached

    def slow_figures(report: Report):  # a 19 MB report's figures take seconds
        release.wait(120)
        return real(report)

    monkeypatch.setattr(report_cache, "report_figures_cached", slow_figures)
    app = BriefingApp(report, store)
    async with app.run_test(size=(120, 40)) as pilot:
        try:
            screen = reader_of(app)
            for _ in range(300):
                await pilot.pause(0.01)
                if screen.index is not None:
                    break
            assert screen.index is not None and not screen.figures
            await screen.ensure_panels()
            screen.search_bar.open()
            screen._run_search("fzzf", move=True)
            await wait_for_search(pilot, screen)
            assert screen.search.count and not screen.figures
        finally:
            release.set()  # before the app exits: it waits for its worker threads
        for _ in range(300):
            await pilot.pause(0.01)
            if screen.figures:
                break
        assert screen.figures


async def _searched(pilot, screen, query: str) -> None:
    for _ in range(300):
        await pilot.pause(0.01)
        if screen.index is not None:
            break
    await screen.ensure_panels()
    screen.search_bar.open()
    screen._run_search(query, move=False)
    await wait_for_search(pilot, screen)


async def test_hits_in_the_publisher_are_marked_in_the_header(report: Report, store: Store) -> None:
    from briefing.tui.widgets.report_header import ReportHeader

    publisher = report.metadata.publisher
    assert publisher == "常州市人民政府"
    app = BriefingApp(report, store)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = reader_of(app)
        header = app.query_one(ReportHeader)
        await _searched(pilot, screen, "renmin")
        meta_hits = [h for h in (screen.search.hits[k] for k in range(3)) if h.section == "meta"]
        assert meta_hits  # counted ...
        sub = screen.sub_title
        marks = header.sub_title_marks
        assert marks  # ... and marked where the header shows the publisher
        assert {sub[start:end] for start, end, _ in marks} == {"人民"}
        rendered = header.format_title()
        assert any(span.style for span in rendered.spans if "on " in str(span.style))
        # Esc: the marks go with the search.
        screen.search_bar.close_keeping_hits()
        screen._show_results(_no_results())
        await pilot.pause()
        assert header.sub_title_marks == []


def _no_results():
    from briefing.tui.search_state import NO_HITS, SearchResults

    return SearchResults("", NO_HITS)


async def test_a_hit_in_a_field_the_header_does_not_show_is_shown_when_current(
    report: Report, store: Store
) -> None:
    """索引号 is searched but not in the header: stepping onto its hit shows the field."""
    from briefing.tui.widgets.report_header import ReportHeader

    app = BriefingApp(report, store)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = reader_of(app)
        header = app.query_one(ReportHeader)
        await _searched(pilot, screen, "014109429")
        assert screen.search.count >= 1
        first = screen.search.hits[0]
        assert first.section == "meta"
        screen._go_to_hit(0)
        screen.search_bar.close_keeping_hits()
        screen._update_sub_title()
        await pilot.pause()
        sub = screen.sub_title
        assert sub.startswith("/014109429  1/")
        assert sub.endswith("索 引 号:014109429/2022-00045")
        [(start, end, current)] = header.sub_title_marks
        assert sub[start:end] == "014109429" and current


async def test_search_runs_on_the_part_already_indexed(
    report: Report, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """While a big report is indexed, its first part is searchable, and says so."""
    import briefing.search
    from briefing.tui.screens import reader as reader_module

    monkeypatch.setattr(reader_module, "PARTIAL_INDEX_FROM", 1_000)  # the bundled one is "big"
    monkeypatch.setattr(reader_module, "PARTIAL_INDEX_CHARS", 2_000)
    release = threading.Event()
    real = briefing.search.load_index

    def slow_build(report: Report, *, build_if_missing: bool = True, progress=None):
        if build_if_missing:  # the long build of a 19 MB report
            release.wait(120)
        return real(report, build_if_missing=build_if_missing, progress=progress)

    monkeypatch.setattr(briefing.search, "load_index", slow_build)
    app = BriefingApp(report, store)
    async with app.run_test(size=(120, 40)) as pilot:
        try:
            screen = reader_of(app)
            for _ in range(500):
                await pilot.pause(0.01)
                if screen.partial_index is not None:
                    break
            assert screen.partial_index is not None and screen.index is None
            part, covered = screen.partial_index
            assert 0 < covered < 100
            indexed = {section.id for section in part.report.sections}
            assert report.sections[0].id in indexed and report.sections[-1].id not in indexed
            # The cursor far past the indexed part: "first hit from here" must not fail.
            screen.view.show_page(report.sections[-1].id)
            await screen.ensure_panels()
            screen.search_bar.open()
            screen._run_search("fazhi", move=True)
            await wait_for_search(pilot, screen)
            hits = screen.search.hits
            assert hits and all(hit.section in {"title", "meta", *indexed} for hit in hits)
            assert f"in the first {covered}%" in screen.search.status()
            await pilot.pause()
            counter = screen.search_bar.query_one("#search-count")
            assert counter.content_size.width >= len(screen.search.status())  # not cut off
            partial_count = len(hits)
        finally:
            release.set()
        for _ in range(500):
            await pilot.pause(0.01)
            if screen.index is not None and not screen.search.pending:
                break
        await wait_for_search(pilot, screen)
        assert screen.index is not None and screen.partial_index is None
        assert len(screen.search.hits) > partial_count  # searched again, whole
        assert "%" not in screen.search.status()
        await pilot.pause()
        assert counter.outer_size.width == 14  # back to its usual box


def test_prefix_hits_put_unindexed_sections_after_every_hit() -> None:
    from briefing.model import Match
    from briefing.tui.search_state import ListHits, PrefixHits, SearchResults, SearchState

    order = {"title": 0, "1": 1, "2": 2, "3": 3}
    hits = [Match("1", 0, 2, "法治", "hanzi", 1.0), Match("2", 5, 7, "法治", "hanzi", 1.0)]
    prefix = PrefixHits(ListHits(hits, order), {"title", "1", "2"})
    assert prefix.position_of("2", 0) == 1 and prefix.position_of("3", 0) == 2
    assert prefix.overlapping("3", 0, 10) == [] and prefix.overlapping("2", 0, 10) == hits[1:]
    state = SearchState()
    state.apply(SearchResults("fazhi", prefix, covered=12))
    assert state.first_from("3", 0) == 0  # wraps to the first hit
    assert state.status() == "2 hits in the first 12%"
    state.select(1)
    assert state.status() == "2/2 in the first 12%"


async def test_each_query_typed_goes_to_its_first_hit_from_where_the_search_began(
    report: Report, store: Store
) -> None:
    """Not from where a shorter query jumped: else the hit shown depends on how fast
    the index answers while the reader types (found by a flaky snapshot)."""
    app = BriefingApp(report, store)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = reader_of(app)
        for _ in range(500):
            await pilot.pause(0.01)
            if screen.index is not None:
                break
        origin = report.sections[0]
        index = screen.index

        def first_from(query: str, section_id: str, offset: int):
            hits = index.document_hits(query, fuzzy=False)
            return hits[hits.position_of(section_id, offset) % len(hits)] if len(hits) else None

        def place(hit) -> tuple[int, int]:
            return (report.index_of(hit.section), hit.start)

        # Two queries: the first one's first hit lies past the second's, so that
        # searching on from where the first jumped would miss the second's.
        words = ["lvshi", "yingshang", "tiaojie", "zhengwu", "jiandu", "anquan", "98.4", "fzzf"]
        pairs = [
            (query, target, hit, first)
            for query in words
            for target in words
            if (hit := first_from(query, origin.id, 0)) is not None
            and (first := first_from(target, origin.id, 0)) is not None
            and report.has_section(hit.section)
            and report.has_section(first.section)
            and place(hit) > place(first)
            and first_from(target, hit.section, hit.start) != first
        ]
        assert pairs
        query, target, hit, first = pairs[0]
        screen.view.show_page(origin.id)
        await pilot.pause()
        await screen.action_search()
        screen._run_search(query, move=True)
        await wait_for_search(pilot, screen)
        assert screen.search.current == hit  # jumped on
        screen._run_search(target, move=True)
        await wait_for_search(pilot, screen)
        assert screen.search.current == first


async def test_a_query_typed_past_its_last_hit_goes_back_to_where_the_search_began(
    report: Report, store: Store
) -> None:
    """``fazhi`` jumps to a hit; ``fazhixxq`` has none: the page goes back to the
    paragraph the search began at, as a pager's incremental search does."""
    app = BriefingApp(report, store)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = reader_of(app)
        for _ in range(500):
            await pilot.pause(0.01)
            if screen.index is not None:
                break
        await screen.action_search()
        for start in report.sections:  # one whose first paragraph holds no hit
            screen.view.show_page(start.id)
            await pilot.pause()
            origin = screen.view.current_paragraph
            screen._search_origin = (origin.section, origin.start)
            screen._run_search("fazhi", move=True)
            await wait_for_search(pilot, screen)
            assert screen.search.count
            moved = screen.view.current_paragraph
            if (moved.section, moved.start) != (origin.section, origin.start):
                break
        else:
            pytest.fail("every section starts with a hit of fazhi")
        screen._run_search("fazhixxq", move=True)
        await wait_for_search(pilot, screen)
        assert not screen.search.count
        back = screen.view.current_paragraph
        assert (back.section, back.start) == (origin.section, origin.start)


async def test_the_first_paint_of_a_cached_report_makes_only_the_sections_it_shows(
    tmp_path, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A big report opened before: the contents and the page come from the cache's
    columns; only the sections on screen are made (their texts decoded)."""
    import briefing
    from briefing.section_table import LabelRun, SectionTable
    from briefing.tui.screens.reader import ReaderScreen

    monkeypatch.setenv("BRIEFING_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(ReaderScreen, "_analyse", lambda self: None)  # no index, no figures
    parts = [f"第{n}章 第{n}部分\n" + f"全年办理案件{n}件。" * 3 for n in range(1, 401)]
    path = tmp_path / "big.txt"
    path.write_text("报告\n" + "\n".join(parts) + "\n", encoding="utf-8")
    briefing.load_report(path)
    report = briefing.load_report(path)  # from the cache
    assert isinstance(report.sections, SectionTable)
    app = BriefingApp(report, store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = reader_of(app)
        assert screen.view.current_section_id == report.sections[0].id
        made = sum(section is not None for section in report.sections._made)
        assert 0 < made < 60, made
        # Nor a column of numbers, titles or parents: the contents decode their rows.
        assert isinstance(report.sections._numbers, LabelRun)
        assert not isinstance(report.sections._parents, list)
        # Nor the index from id to position: the paint's few lookups scan the ids.
        assert report._order is None
        await pilot.press("G")  # the end of the report: a few more, not all
        await pilot.pause()
        made = sum(section is not None for section in report.sections._made)
        assert made < 120, made


async def test_the_figures_wait_for_a_search_typed_as_the_index_came_in(
    report: Report, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Search needs only the index: the figures (seconds of the GIL on a big report)
    start once the first search on the loaded index has its hits."""
    from briefing import report_cache
    from briefing.search import load_index
    from briefing.tui.screens import reader as reader_module

    load_index(report)  # in the cache, as for a report read before
    monkeypatch.setattr(reader_module, "INDEX_HEAD_START", 60.0)
    searching, release, figures_started = threading.Event(), threading.Event(), threading.Event()
    real_find, real_figures = reader_module.find_hits, report_cache.report_figures_cached

    def slow_find(*args, **kwargs):
        searching.set()
        release.wait(60)
        return real_find(*args, **kwargs)

    def figures(report: Report):
        figures_started.set()
        return real_figures(report)

    monkeypatch.setattr(reader_module, "find_hits", slow_find)
    monkeypatch.setattr(report_cache, "report_figures_cached", figures)
    app = BriefingApp(report, store)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = reader_of(app)
        try:
            await screen.ensure_panels()
            screen.search_bar.open()
            screen._run_search("fzzf", move=True)  # typed before the index is in
            for _ in range(500):
                await pilot.pause(0.01)
                if searching.is_set():
                    break
            assert searching.is_set() and screen.search.pending
            for _ in range(30):
                await pilot.pause(0.01)
            assert not figures_started.is_set()
        finally:
            release.set()  # before the app exits: it waits for its worker threads
        for _ in range(500):
            await pilot.pause(0.01)
            if screen.figures:
                break
        assert screen.search.count and screen.figures


SMALL = "一、加强组织领导\n一是健全制度。全年召开会议12次。\n二、推进依法行政\n全面推行清单制度。\n"


def _cached_then_rewritten(folder, monkeypatch: pytest.MonkeyPatch):
    """A report served from the cache on its size and mtime while its file now holds
    other bytes of the same size (rewritten within one mtime tick)."""
    import os

    import briefing

    monkeypatch.setenv("BRIEFING_CACHE_DIR", str(folder / "cache"))
    path = folder / "r.txt"
    path.write_text(SMALL, encoding="utf-8")
    briefing.load_report(path)  # cached
    before = path.stat()
    path.write_text(SMALL.replace("健全制度", "完善机制"), encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    stale = briefing.load_report(path, check_later=True)
    assert "健全制度" in stale.body
    return stale


async def _replaced(pilot, app: BriefingApp, old: Report):
    for _ in range(300):
        await pilot.pause(0.01)
        if app.report is not old and app.screen.report is app.report:
            return app.screen
    raise AssertionError("the reader kept the report its file no longer holds")


async def test_a_report_whose_file_changed_under_the_cache_is_shown_again_and_said(
    tmp_path, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first paint trusts size and mtime; the check right after it reads the
    bytes, and a changed file is loaded again, shown, and the reader says so."""
    stale = _cached_then_rewritten(tmp_path, monkeypatch)
    app = BriefingApp(stale, store)
    said: list[str] = []
    notify = app.notify
    monkeypatch.setattr(
        app, "notify", lambda message, **kw: said.append(message) or notify(message, **kw)
    )
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _replaced(pilot, app, stale)
        assert "完善机制" in screen.report.body and "健全制度" not in screen.report.body
        assert any("changed" in message for message in said)  # said, not only done
        await pilot.pause()
        assert "完善机制" in "\n".join(screen.view.render_line(y).text for y in range(10))


async def test_a_dialog_open_when_the_file_is_found_changed_stays_open(
    tmp_path, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A note being typed is never closed for it: the reader is replaced once back on top."""
    from briefing import report_cache

    stale = _cached_then_rewritten(tmp_path, monkeypatch)
    release = threading.Event()
    real = report_cache.check_deferred

    def held(report: Report) -> bool:
        release.wait(30)
        return real(report)

    monkeypatch.setattr(report_cache, "check_deferred", held)
    app = BriefingApp(stale, store)
    async with app.run_test(size=(120, 40)) as pilot:
        reader = reader_of(app)
        await pilot.pause()
        await pilot.press("a")
        for _ in range(100):
            await pilot.pause(0.01)
            if app.screen is not reader:
                break
        editor = app.screen
        assert editor is not reader
        release.set()
        for _ in range(300):
            await pilot.pause(0.01)
            if reader.replacement is not None:
                break
        assert app.screen is editor and reader.replacement is not None
        app.pop_screen()
        screen = await _replaced(pilot, app, stale)
        assert "完善机制" in screen.report.body


@pytest.mark.parametrize(("saved", "restored"), [(3, 3), (10**6, 12), (-4, 0)])
async def test_the_saved_paragraph_of_one_long_section_is_restored_from_the_page(
    tmp_path, store: Store, saved: int, restored: int
) -> None:
    """The place is found from the page's columns (the section's text is not split
    at start-up: 5 MB in one section), clamped to the paragraphs the section has."""
    import briefing

    path = tmp_path / "one.txt"
    lines = [f"第{k}段，全年办理案件{k}件。" for k in range(12)]
    path.write_text("一、总体情况\n" + "\n".join(lines) + "\n", encoding="utf-8")
    report = briefing.load_report(path)
    section = report.sections[-1]
    store.reading.set(report, section.id, saved)
    app = BriefingApp(report, store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        current = reader_of(app).view.current_paragraph
        assert current is not None and current.section == section.id
        assert current.index_in_section == restored
        assert section.text[current.start : current.end] == section.text.split("\n")[restored]


async def test_a_title_set_while_the_header_has_no_title_part_is_not_an_error(
    report: Report, store: Store
) -> None:
    """A screen switched in right after the first paint (its report read again) set
    its title while a header's parts were not there: NoMatches ended the reader."""
    from textual.widgets._header import HeaderTitle

    from briefing.tui.widgets.report_header import ReportHeader

    app = BriefingApp(report, store)
    async with app.run_test(size=(120, 40)) as pilot:
        header = app.query_one(ReportHeader)
        await header.query_one(HeaderTitle).remove()
        app.screen.title = "另一个标题"
        await pilot.pause()
        assert app.screen.title == "另一个标题" and not header.query(HeaderTitle)


async def test_the_contents_draw_their_rows_from_the_columns_without_making_sections(
    tmp_path, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A row of the contents shows a section's level, number and title: all in the
    cache's columns. Making the section for it read and decoded its whole text
    (a read of the cache file each) for every row drawn before the first paint."""
    import briefing
    from briefing.section_table import SectionTable
    from briefing.tui.screens.reader import ReaderScreen
    from briefing.tui.widgets.toc import ContentsList

    monkeypatch.setenv("BRIEFING_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(ReaderScreen, "_analyse", lambda self: None)  # no index, no figures
    parts = [f"第{n}章 第{n}部分\n" + f"全年办理案件{n}件。" * 3 for n in range(1, 81)]
    path = tmp_path / "big.txt"
    path.write_text("报告\n" + "\n".join(parts) + "\n", encoding="utf-8")
    briefing.load_report(path)
    report = briefing.load_report(path)  # from the cache
    table = report.sections
    assert isinstance(table, SectionTable)
    app = BriefingApp(report, store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        contents = app.query_one(ContentsList)
        unmade = [i for i, made in enumerate(table._made) if made is None]
        assert len(unmade) > 40  # the page made only what it shows
        shown = [contents.render_row(i, 30).plain for i in unmade]
        assert [i for i in unmade if table._made[i] is not None] == []
        for i, label in zip(unmade, shown, strict=True):
            assert table.numbers[i] in label and table.titles[i][:4] in label
        # and the label is the one the section itself gives
        made = table[unmade[0]]
        assert contents.label_of(made.id).plain == shown[0]
