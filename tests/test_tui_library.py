"""The library in the reader: ``o``, the pinyin filter, ``/`` across reports, last report.

The screen is written against the API of ``briefing.library`` (see
LIBRARY_API.md); here a small fake library over real sample reports stands
in for it, so these tests check the screen, not the catalogue.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import types
from dataclasses import dataclass
from pathlib import Path

import pytest

import briefing
from briefing.library import LibraryEntry
from briefing.model import Match, Report
from briefing.resources import bundled_report_path
from briefing.store import Store
from briefing.text import CLOSING_PUNCTUATION
from briefing.tui.app import BriefingApp
from briefing.tui.library_state import TitleFilter, group_hits, read_activity, reading_percent
from briefing.tui.screens.library import LibraryScreen
from briefing.tui.screens.reader import ReaderScreen

REAL = Path(__file__).parent / "reports" / "real"
SAMPLES = [
    REAL / "jiangsu-huaian-2017-fazhi.txt",  # 淮安市人民政府关于2017年度法治政府建设情况的报告
    REAL / "shanghai-minhang-2018-fazhi.txt",  # 闵行区2018年法治政府建设年度报告
    REAL / "tianjin-jinghai-2023-fazhi.txt",  # 静海区2023年度法治政府建设情况报告
]


# -- a fake library with the API of briefing.library ------------------------------


# The real entry type: the fake library below hands out the same records.
FakeEntry = LibraryEntry


@dataclass(frozen=True)
class FakeHit:
    entry: FakeEntry
    match: Match
    snippet: str
    place: str = ""


class FakeSearcher:
    def __init__(self, library: FakeLibrary) -> None:
        from briefing.search import load_index

        self.indexes = [(e, library.load(e)) for e in library.entries()]
        self.indexes = [(e, r, load_index(r)) for e, r in self.indexes]

    def search(self, query: str, limit: int | None = None) -> list[FakeHit]:
        from briefing.search import snippet

        hits = []
        for entry, report, index in self.indexes:
            for match in index.search(query):
                text, _s, _e = snippet(report, match)
                place = (
                    report.section(match.section).label if report.has_section(match.section) else ""
                )
                hits.append(FakeHit(entry, match, text, place))
        hits.sort(key=lambda h: -h.match.score)
        return hits if limit is None else hits[:limit]


class FakeLibrary:
    def __init__(self, paths: list[Path | None]) -> None:
        self._entries = []
        self.loaded: list[str] = []
        for path in paths:
            stored = bundled_report_path() if path is None else path
            report = briefing.load_report(path)
            data = stored.read_bytes()
            meta = report.metadata
            self._entries.append(
                FakeEntry(
                    id=hashlib.sha256(data).hexdigest(),
                    report_sha256=report.sha256,
                    title=meta.title,
                    publisher=meta.publisher,
                    date=meta.date,
                    size=len(data),
                    sections=len(report.sections),
                    figures=0,
                    characters=sum(len(s.text) for s in report.sections),
                    source_path=f"/reports/{stored.name}",
                    stored_path=stored,
                    added="2026-01-01T00:00:00+00:00",
                    bundled=path is None,
                )
            )

    def entries(self) -> list[FakeEntry]:
        return list(self._entries)

    def load(self, entry: FakeEntry) -> Report:
        self.loaded.append(entry.id)
        return briefing.load_report(None if entry.bundled else entry.stored_path)

    def searcher(self) -> FakeSearcher:
        return FakeSearcher(self)

    def resolve(self, id_or_prefix: str) -> FakeEntry:
        found = [e for e in self._entries if e.id.startswith(id_or_prefix)]
        if len(found) != 1:
            raise LookupError(f"no library entry {id_or_prefix}")
        return found[0]


@pytest.fixture(scope="module")
def library() -> FakeLibrary:
    return FakeLibrary([None, *SAMPLES])


def _app(report: Report, store: Store, library: FakeLibrary) -> BriefingApp:
    app = BriefingApp(report, store)
    app.library_factory = lambda: library
    return app


async def _settle(pilot) -> None:
    from textual.worker import WorkerCancelled

    for _ in range(50):
        try:
            await pilot.app.workers.wait_for_complete()
        except WorkerCancelled:
            continue
        await pilot.pause()
        if not any(w.is_running for w in pilot.app.workers):
            break


async def _open_library(pilot) -> LibraryScreen:
    await _settle(pilot)
    await pilot.press("o")
    await _settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, LibraryScreen)
    return screen


def _titles(screen: LibraryScreen) -> list[str]:
    return [row.entry.title for row in screen.shown]


def _row_text(screen: LibraryScreen, index: int, width: int = 100) -> str:
    return screen.row_list.render_row(index, width).plain


# -- the model under the screen ------------------------------------------------------


def test_title_filter_by_pinyin_initials_and_hanzi(library: FakeLibrary) -> None:
    entries = library.entries()
    title_filter = TitleFilter(entries)
    assert [entries[i].title[:2] for i in title_filter.match("淮安")] == ["淮安"]
    assert title_filter.match("") == list(range(len(entries)))
    title_filter.prepare()
    for query in ("huaian", "HuaiAn", "ha", "huai an", "淮an", "minhang", "mh", "jinghai"):
        found = [entries[i].title for i in title_filter.match(query)]
        assert found, query
        assert all(("淮安" in t) or ("闵行" in t) or ("静海" in t) for t in found), query
    assert title_filter.match("zzzzqqq") == []


def test_activity_counts_notes_and_positions_per_report(library: FakeLibrary, store: Store) -> None:
    huaian = briefing.load_report(SAMPLES[0])
    section = huaian.sections[1].id
    store.notes.add(huaian, section, "一", quote=huaian.sections[1].text[:4])
    store.notes.add(huaian, section, "二", quote=huaian.sections[1].text[:4])
    store.reading.set(huaian, section, 0)
    activity = read_activity(store, library.entries())
    by_title = {e.title: activity[e.id] for e in library.entries()}
    mine = by_title[huaian.title]
    assert (mine.notes, mine.section) == (2, section)
    assert mine.last_read
    others = [a for t, a in by_title.items() if t != huaian.title]
    assert all(a.notes == 0 and not a.last_read for a in others)


def test_reading_percent_grows_through_the_report(report: Report) -> None:
    first = reading_percent(report, report.sections[0].id, 0)
    middle = reading_percent(report, report.sections[len(report.sections) // 2].id, 0)
    last = reading_percent(report, report.sections[-1].id, 10_000)
    assert 0 <= first < middle < last == 100
    assert reading_percent(report, "no-such-section", 0) == 0


def test_hits_are_grouped_by_report_best_report_first(library: FakeLibrary) -> None:
    a, b = library.entries()[:2]
    m = Match("1", 0, 2, "法治", "hanzi", 1.0)
    hits = [FakeHit(b, m, "x"), FakeHit(a, m, "y"), FakeHit(b, m, "z")]
    rows = group_hits(hits)
    assert [(r.entry.id, r.hit is None, r.count) for r in rows] == [
        (b.id, True, 2),
        (b.id, False, 0),
        (b.id, False, 0),
        (a.id, True, 1),
        (a.id, False, 0),
    ]


# -- the screen ----------------------------------------------------------------------


async def test_o_lists_every_report_with_notes_and_esc_closes(
    report: Report, store: Store, library: FakeLibrary
) -> None:
    huaian = briefing.load_report(SAMPLES[0])
    store.notes.add(huaian, huaian.sections[1].id, "note", quote=huaian.sections[1].text[:4])
    app = _app(report, store, library)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open_library(pilot)
        assert sorted(_titles(screen)) == sorted(e.title for e in library.entries())
        rows = {row.entry.title: i for i, row in enumerate(screen.shown)}
        huaian_row = _row_text(screen, rows[huaian.title])
        assert "✎1" in huaian_row and huaian.title[:8] in huaian_row
        bundled_row = _row_text(screen, rows[report.title])
        assert bundled_row.startswith("▸")  # the report being read
        assert "常州市人民政府" in bundled_row and "2022-03-25" in bundled_row
        await pilot.press("escape")
        await _settle(pilot)
        assert isinstance(app.screen, ReaderScreen) and app.screen.report is report


async def test_typing_filters_by_pinyin_and_enter_opens_where_left(
    report: Report, store: Store, library: FakeLibrary
) -> None:
    huaian = briefing.load_report(SAMPLES[0])
    left_at = huaian.sections[-1].id
    store.reading.set(huaian, left_at, 0)
    app = _app(report, store, library)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open_library(pilot)
        await pilot.press(*"huaian")
        await _settle(pilot)
        assert [t[:2] for t in _titles(screen)] == ["淮安"]
        assert screen.shown[0].progress is not None  # how far, from the saved position
        await pilot.press("enter")
        await _settle(pilot)
        reader = app.screen
        assert isinstance(reader, ReaderScreen)
        assert reader.report.sha256 == huaian.sha256 and app.report is reader.report
        assert reader.view.current_section_id == left_at
        entry = next(e for e in library.entries() if e.title == huaian.title)
        assert store.settings.get("last_report") == entry.id


async def test_filter_with_no_match_says_so_and_enter_does_nothing(
    report: Report, store: Store, library: FakeLibrary
) -> None:
    app = _app(report, store, library)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open_library(pilot)
        await pilot.press(*"qqqxxx")
        await _settle(pilot)
        assert screen.shown == []
        assert "qqqxxx" in str(screen.query_one("#library-status").render())
        await pilot.press("enter")
        await _settle(pilot)
        assert app.screen is screen


async def test_slash_searches_all_reports_grouped_and_enter_opens_at_the_hit(
    report: Report, store: Store, library: FakeLibrary
) -> None:
    app = _app(report, store, library)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open_library(pilot)
        await pilot.press("slash", *"fazhizhengfu")
        await _settle(pilot)
        assert screen.mode == "search"
        assert screen.query_one("#library-filter").value == "fazhizhengfu"
        headings = [r for r in screen.hits if r.hit is None]
        assert len(headings) >= 3  # the term is in every sample: one group per report
        assert len({r.entry.id for r in headings}) == len(headings)
        # Move to a body hit in a report that is not the one being read.
        target = next(
            i
            for i, r in enumerate(screen.hits)
            if r.hit is not None and not r.entry.bundled and "." in r.hit.section
        )
        screen.row_list.move_cursor(target)
        chosen = screen.hits[target]
        await pilot.press("enter")
        await _settle(pilot)
        reader = app.screen
        assert isinstance(reader, ReaderScreen)
        assert reader.report.sha256 == chosen.entry.report_sha256
        assert reader.view.current_section_id == chosen.hit.section
        assert reader.view.current_hit == chosen.hit


async def test_a_library_query_of_only_punctuation_is_refused_in_the_cli_words(
    report: Report, store: Store, library: FakeLibrary
) -> None:
    from briefing.text import NOTHING_TO_SEARCH
    from tests.test_tui_keys import send_burst

    app = _app(report, store, library)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open_library(pilot)
        send_burst(app, "/，")  # as a terminal sends it (the pilot drops "，")
        await _settle(pilot)
        assert screen.query_one("#library-filter").value == "，"
        assert screen.mode == "search" and screen.hits == []
        status = str(screen.query_one("#library-status").render())
        assert status.startswith(NOTHING_TO_SEARCH[:20]), status


async def test_a_hit_row_names_its_section_and_keeps_the_hit_in_view(
    report: Report, store: Store, library: FakeLibrary
) -> None:
    """A hit's row says where it is (section number and title), in at most a third
    of the row, so that the hit itself stays on screen."""
    app = _app(report, store, library)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open_library(pilot)
        await pilot.press("slash", *"fazhizhengfu")
        await _settle(pilot)
        rows = [(i, r) for i, r in enumerate(screen.hits) if r.hit is not None and r.place]
        assert rows
        for i, row in rows[:20]:
            for width in (30, 40, 50, 60, 100):
                text = _row_text(screen, i, width)
                assert text.strip().startswith(row.place[:2]), (width, text)
                assert row.hit.text.replace("\n", " ") in text, (width, text)
                # a context cut to fit starts at a clause, not on a comma
                cuts = [k + 1 for k, ch in enumerate(text) if ch == "…" and k + 1 < len(text)]
                assert not any(text[k] in CLOSING_PUNCTUATION for k in cuts), (width, text)


async def test_the_hits_of_a_library_search_line_up_after_their_places(
    report: Report, store: Store, library: FakeLibrary
) -> None:
    """Each row's place was as wide as itself: "Title  …", "前言  …" and
    "一、加强法治政府…   …" began their text at three different columns."""
    import re

    from rich.cells import cell_len

    app = _app(report, store, library)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open_library(pilot)
        await pilot.press("slash", *"zhengfu")
        await _settle(pilot)
        rows = [i for i, r in enumerate(screen.hits) if r.hit is not None]
        places = {screen.hits[i].place for i in rows}
        assert len({cell_len(p) for p in places}) > 1  # places of several widths
        for width in (60, 100):
            starts = set()
            for i in rows[:40]:
                found = re.match(r"    (?:\S.*?)?\s{2,}(?=\S)", _row_text(screen, i, width))
                assert found, _row_text(screen, i, width)
                starts.add(cell_len(found.group(0)))
            assert len(starts) == 1, (width, starts)


async def test_n_goes_on_with_the_library_query_from_the_hit_opened(
    report: Report, store: Store, library: FakeLibrary
) -> None:
    """After Enter on a library hit, n and N walk the hits of the same query in
    that report, starting from the hit opened."""
    app = _app(report, store, library)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open_library(pilot)
        await pilot.press("slash", *"fazhizhengfu")
        await _settle(pilot)
        target = next(
            i
            for i, r in enumerate(screen.hits)
            if r.hit is not None and not r.entry.bundled and "." in r.hit.section
        )
        screen.row_list.move_cursor(target)
        chosen = screen.hits[target].hit
        await pilot.press("enter")
        await _settle(pilot)
        reader = app.screen
        assert isinstance(reader, ReaderScreen)
        assert reader.search.query == "fazhizhengfu" and reader.search.count > 1
        at = reader.search.position
        assert reader.search.hits[at] == chosen and reader.view.current_hit == chosen
        await pilot.press("n")
        await _settle(pilot)
        assert reader.search.position == (at + 1) % reader.search.count
        assert reader.view.current_hit == reader.search.hits[reader.search.position] != chosen
        await pilot.press("N")
        await _settle(pilot)
        assert reader.search.position == at and reader.view.current_hit == chosen


async def test_escape_from_search_goes_back_to_the_filtered_list(
    report: Report, store: Store, library: FakeLibrary
) -> None:
    app = _app(report, store, library)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open_library(pilot)
        await pilot.press(*"minhang")
        await _settle(pilot)
        await pilot.press("slash", *"2018/")  # in the search, "/" is a character
        await _settle(pilot)
        assert screen.query_one("#library-filter").value == "2018/"
        await pilot.press("escape")
        await _settle(pilot)
        assert screen.mode == "list" and app.screen is screen
        assert screen.query_one("#library-filter").value == "minhang"
        assert [t[:2] for t in _titles(screen)] == ["闵行"]


async def test_stale_search_results_are_dropped(
    report: Report, store: Store, library: FakeLibrary
) -> None:
    app = _app(report, store, library)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open_library(pilot)
        await pilot.press("slash", *"jinghai")
        await _settle(pilot)
        fresh = list(screen.hits)
        assert fresh
        stale = group_hits(library.searcher().search("fazhi"))
        screen._hits_ready(screen._generation - 1, "fazhi", stale)
        assert screen.hits == fresh


async def test_a_copy_that_cannot_be_loaded_is_said_and_the_library_stays(
    report: Report, store: Store, library: FakeLibrary
) -> None:
    class Broken(FakeLibrary):
        def load(self, entry: FakeEntry) -> Report:
            raise OSError(f"stored copy missing: {entry.stored_path}")

    broken = Broken.__new__(Broken)
    broken.__dict__.update(library.__dict__)
    app = _app(report, store, broken)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open_library(pilot)
        await pilot.press(*"jinghai", "enter")
        await _settle(pilot)
        assert app.screen is screen
        assert "stored copy missing" in str(screen.query_one("#library-status").render())


async def test_closing_while_workers_run_drops_their_late_answers(
    report: Report, store: Store, library: FakeLibrary
) -> None:
    import threading

    release = threading.Event()

    class Slow(FakeLibrary):
        def load(self, entry: FakeEntry) -> Report:
            release.wait(5)
            return super().load(entry)

    slow = Slow.__new__(Slow)
    slow.__dict__.update(library.__dict__)
    huaian = briefing.load_report(SAMPLES[0])
    store.reading.set(huaian, huaian.sections[-1].id, 0)  # progress will be computed (slowly)
    app = _app(report, store, slow)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("o")
        for _ in range(100):  # until the catalogue is shown (the progress worker then waits)
            await pilot.pause(0.02)
            if isinstance(app.screen, LibraryScreen) and app.screen.shown:
                break
        screen = app.screen
        assert isinstance(screen, LibraryScreen) and screen.shown
        await pilot.press(*"jinghai", "enter")  # opening: waits in load()
        await pilot.press("escape")  # ... and closed before it is loaded
        await pilot.pause()
        assert isinstance(app.screen, ReaderScreen)
        release.set()
        await _settle(pilot)
        assert isinstance(app.screen, ReaderScreen) and app.screen.report is report
        assert not app.action_errors


@pytest.mark.parametrize("size", [(120, 40), (80, 24), (60, 20)])
async def test_library_fits_small_terminals(
    size: tuple[int, int], report: Report, store: Store, library: FakeLibrary
) -> None:
    from rich.cells import cell_len

    app = _app(report, store, library)
    async with app.run_test(size=size) as pilot:
        screen = await _open_library(pilot)
        rows = screen.row_list
        assert rows.size.height >= 4
        width = rows.scrollable_content_region.width
        for y in range(min(rows.row_count, rows.size.height)):
            line = rows.render_line(y)
            assert line.cell_length == width
            text = "".join(seg.text for seg in line)
            assert cell_len(text.rstrip()) <= width
        # Every title starts on screen, even at 60 columns.
        for i, row in enumerate(screen.shown):
            assert row.entry.title[:3] in _row_text(screen, i, width - 1)


def test_library_screen_snapshot(
    snap_compare,
    report: Report,
    store: Store,
    library: FakeLibrary,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import briefing.store.annotations as annotations

    # "Last read <date>" is shown: the same date on every day the test runs.
    monkeypatch.setattr(annotations, "now_iso", lambda: "2026-01-02T03:04:05+00:00")
    huaian = briefing.load_report(SAMPLES[0])
    store.notes.add(huaian, huaian.sections[1].id, "note", quote=huaian.sections[1].text[:4])

    async def run_before(pilot) -> None:
        screen = await _open_library(pilot)
        screen.input.cursor_blink = False  # a blinking cursor is drawn or not by chance
        await pilot.pause()

    assert snap_compare(_app(report, store, library), terminal_size=(80, 24), run_before=run_before)


# -- the report read last --------------------------------------------------------------


def test_last_report_first_time_is_the_bundled_one(store: Store) -> None:
    from briefing.tui.last_report import choose as last_report

    notices: list[str] = []
    report, origin = last_report(store, notices)
    assert report.path == bundled_report_path() and origin is None and notices == []


def test_last_report_by_path_and_gone_falls_back_with_a_message(
    store: Store, tmp_path: Path
) -> None:
    from briefing.tui.last_report import choose as last_report

    copy = tmp_path / "huaian.txt"
    copy.write_bytes(SAMPLES[0].read_bytes())
    store.settings.set("last_report", str(copy))
    notices: list[str] = []
    report, origin = last_report(store, notices)
    assert report.title.startswith("淮安") and origin == str(copy) and notices == []
    copy.unlink()
    report, origin = last_report(store, notices)
    assert report.path == bundled_report_path() and origin is None
    assert len(notices) == 1 and "huaian.txt" in notices[0]


def test_last_report_by_library_id(
    store: Store, library: FakeLibrary, monkeypatch: pytest.MonkeyPatch
) -> None:
    from briefing.tui.last_report import choose as last_report

    fake = types.ModuleType("briefing.library")

    fake.Library = types.SimpleNamespace(open=lambda: library)  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "briefing.library", fake)
    entry = next(e for e in library.entries() if not e.bundled)
    store.settings.set("last_report", entry.id)
    notices: list[str] = []
    report, origin = last_report(store, notices)
    assert report.sha256 == entry.report_sha256 and origin == entry.id and notices == []
    store.settings.set("last_report", "0" * 64)  # removed from the library since
    report, origin = last_report(store, notices)
    assert report.path == bundled_report_path() and len(notices) == 1


async def test_reader_remembers_the_report_it_opened(report: Report, store: Store) -> None:
    app = BriefingApp(report, store, origin="/somewhere/report.txt")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
    assert store.settings.get("last_report") == "/somewhere/report.txt"


async def test_reader_shows_why_the_last_report_was_not_opened(
    report: Report, store: Store
) -> None:
    app = BriefingApp(report, store, notices=["The report read last could not be opened"])
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert any("read last" in n.message for n in app._notifications)


START_SCRIPT = """
import sys, briefing.tui.app as app
seen = {}
def fake(report, db, **options):
    seen['title'] = report.title
    seen['origin'] = options.get('origin')
    seen['notices'] = len(options.get('notices') or ())
    db.close()
app.run_reader = fake
from briefing.cli import open_reader
status = open_reader(None, sys.argv[1])
mods = [m for m in ('briefing.library', 'pypinyin', 'briefing.tui.screens.library',
                    'briefing.tui.library_state', 'click')
        if m in sys.modules]
print(status, seen['title'][:3], seen['origin'], seen['notices'], ','.join(mods) or '-')
"""


def _start(db: Path, tmp_path: Path) -> list[str]:
    """``briefing`` with no path, up to the point the reader would run: what it opened."""
    env = {
        **os.environ,
        "PYTHONPATH": str(Path(briefing.__file__).parent.parent),
        "BRIEFING_LIBRARY": str(tmp_path / "library"),
    }
    return subprocess.run(
        [sys.executable, "-c", START_SCRIPT, str(db)],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    ).stdout.split()


def test_start_up_imports_neither_library_nor_pinyin(tmp_path: Path) -> None:
    """The report read last, by path or from the library: the library stays unimported."""
    from briefing.library import Library

    entry = Library.open(tmp_path / "library").add(SAMPLES[0])
    db = tmp_path / "db.json"
    with Store.open(db) as store:
        store.settings.set("last_report", str(SAMPLES[1]))
    assert _start(db, tmp_path) == ["0", "闵行区", str(SAMPLES[1]), "0", "-"]
    with Store.open(db) as store:  # as the reader leaves it after opening a library entry
        store.settings.set("last_report", entry.id)
        store.settings.set("last_report_copy", str(entry.stored_path))
    assert _start(db, tmp_path) == ["0", "淮安市", entry.id, "0", "-"]
    # A copy that is not the entry's bytes any more: the library decides.
    with Store.open(db) as store:
        store.settings.set("last_report_copy", str(SAMPLES[1]))
    assert _start(db, tmp_path) == ["0", "淮安市", entry.id, "0", "briefing.library"]


# -- with the real library (briefing.library) -------------------------------------------


@pytest.fixture
def real_library(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    from briefing.library import Library

    monkeypatch.setenv("BRIEFING_LIBRARY", str(tmp_path / "library"))
    library = Library.open()
    entries = [library.add(path) for path in SAMPLES]
    return library, entries


async def test_real_library_open_filter_and_reopen_last(
    report: Report, store: Store, real_library
) -> None:
    from briefing.tui.last_report import choose as last_report

    library, entries = real_library
    huaian = entries[0]
    app = BriefingApp(report, store)  # the library is opened by the reader (BRIEFING_LIBRARY)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open_library(pilot)
        assert len(screen.shown) == len(entries) + 1  # the bundled report is always there
        await pilot.press(*"hasrmzf")  # 淮安市人民政府 by initials
        await _settle(pilot)
        assert [r.entry.id for r in screen.shown] == [huaian.id]
        await pilot.press("enter")
        await _settle(pilot)
        assert app.screen.report.sha256 == huaian.report_sha256
    assert store.settings.get("last_report") == huaian.id
    assert store.settings.get("last_report_copy") == str(huaian.stored_path)
    notices: list[str] = []
    again, origin = last_report(store, notices)
    assert again.sha256 == huaian.report_sha256 and origin == huaian.id and not notices
    library.remove(huaian.id)
    again, origin = last_report(store, notices)
    assert again.path == bundled_report_path() and origin is None
    assert len(notices) == 1 and huaian.id[:8] in notices[0]


async def test_real_library_search_groups_hits_by_report(
    report: Report, store: Store, real_library
) -> None:
    _library, entries = real_library
    app = BriefingApp(report, store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open_library(pilot)
        await pilot.press("slash", *"fzzf")
        await _settle(pilot)
        groups = [r.entry.id for r in screen.hits if r.hit is None]
        assert set(groups) >= {e.id for e in entries}
        assert len(groups) == len(set(groups))
