"""ReaderScreen: contents, the page being read, search, figures and notes.

The screen owns the reading state and talks to the model (figures, search
index, store); widgets only display and post messages.
"""

from __future__ import annotations

import asyncio
import gc
import threading
import time
from collections import defaultdict
from contextlib import suppress
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, cast

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.geometry import Size
from textual.screen import Screen
from textual.widget import MountError
from textual.worker import get_current_worker

from briefing.i18n import N_, P_, _
from briefing.model import Bookmark, Figure, Match, Note, Report
from briefing.store import Store, StoreDamaged, StoreError
from briefing.text import has_something_to_find
from briefing.tui import idle_gc
from briefing.tui.dirty_compositor import DirtyRegionCompositor, fits_textual
from briefing.tui.page import SpanIndex
from briefing.tui.search_state import NO_HITS, SearchResults, SearchState, find_hits
from briefing.tui.widgets.footer import ReaderFooter
from briefing.tui.widgets.reader_view import ReaderView
from briefing.tui.widgets.reading_status import ReadingStatus
from briefing.tui.widgets.report_header import ReportHeader
from briefing.tui.widgets.self_sized import SettledColumn
from briefing.tui.widgets.toc import ContentsList

if TYPE_CHECKING:
    # The panels and the search bar are imported when first mounted (after the
    # first paint): queries name them by their CSS type, which needs no import.
    from collections.abc import Callable

    from briefing.search.index import PinyinIndex
    from briefing.tui.widgets.figures_panel import FiguresPanel
    from briefing.tui.widgets.notes_panel import NotesPanel
    from briefing.tui.widgets.search_bar import SearchBar
    from briefing.tui.widgets.side_panel import SidePanel

SAVE_POSITION_DELAY = 0.6
STORE_CHECK_INTERVAL = 2.0  # seconds between looks at the database file (a stat)
INDEX_HEAD_START = 2.0  # seconds the figures wait at most for the index to load
SEARCH_GRACE = 0.1  # seconds the figures leave a search typed as the index came in
#: The pseudo-section of hits in the metadata header (``briefing.search.index.META_ID``,
#: not imported here: the index module stays off the start-up path; a test checks).
_META_ID = "meta"
PARTIAL_INDEX_FROM = 1_000_000  # characters: a smaller report is indexed whole at once
PARTIAL_INDEX_CHARS = 200_000  # at least this much of a big one is searchable first
MIN_PAGE_CELLS = 40  # below this the contents make way for the page (~18 hanzi of text)


def _group(items: list, key: str = "section") -> dict[str, list]:
    grouped: dict[str, list] = defaultdict(list)
    for item in items:
        grouped[getattr(item, key)].append(item)
    return dict(grouped)


def _counted(notes: int, bookmarks: int) -> str:
    """``1 note, 2 bookmarks`` in English, ``1 条笔记, 2 个书签`` in Chinese."""
    return _("{notes}, {bookmarks}").format(
        notes=P_("{count} note", "{count} notes", notes).format(count=notes),
        bookmarks=P_("{count} bookmark", "{count} bookmarks", bookmarks).format(count=bookmarks),
    )


class ReaderScreen(Screen[None]):
    """The main screen of the reader."""

    # Focus the page straight away: a later focus change would rebuild the footer.
    AUTO_FOCUS = "ReaderView"

    BINDINGS = [
        Binding("slash", "search", N_("Search"), key_display="/", id="reader.search"),
        Binding("n", "next_hit(1)", N_("Next hit"), id="reader.next_hit"),
        Binding("N", "next_hit(-1)", N_("Prev hit"), show=False, id="reader.prev_hit"),
        # n/N with no hits: a hidden twin that says why nothing moved.
        Binding("n,N", "no_hits", "", show=False, id="reader.no_hits"),
        Binding(
            "left_square_bracket",
            "section(-1)",
            N_("Prev section"),
            key_display="[",
            show=False,
            id="reader.prev_section",
        ),
        Binding(
            "right_square_bracket",
            "section(1)",
            N_("Next section"),
            key_display="]",
            show=False,
            id="reader.next_section",
        ),
        Binding("b", "bookmark", N_("Bookmark"), id="reader.bookmark"),
        Binding("a", "annotate", N_("Note"), id="reader.annotate"),
        Binding("m", "toggle_notes", N_("Notes"), id="reader.notes"),
        Binding("f", "toggle_figures", N_("Figures"), id="reader.figures"),
        Binding("e", "export", N_("Export"), show=False, id="reader.export"),
        Binding("t", "app.change_theme", N_("Theme"), show=False, id="reader.theme"),
        Binding("c", "toggle_contents", N_("Contents"), show=False, id="reader.contents"),
        # Not in the footer (it is full at 80 columns): in the help and the palette.
        Binding("o", "library", N_("Library"), show=False, id="reader.library"),
        Binding("question_mark", "help", N_("Help"), key_display="?", id="reader.help"),
    ]

    def __init__(
        self, report: Report, store: Store, *, at: Match | None = None, query: str = ""
    ) -> None:
        super().__init__()
        # Partial frames draw only the widgets (and rows) that changed.
        if fits_textual():
            self._compositor = DirtyRegionCompositor()
        self.report = report
        self.store = store
        self.at = at  # a search hit to open at (from the library), else the saved position
        #: The library query that found ``at``: searched here too, so n/N go on from it.
        self._hit_query = query if at is not None else ""
        self._continued = ""
        self.figures: list[Figure] = []
        self.index: PinyinIndex | None = None
        self._parts_loaded: set[str] = set()  # "index", "figures": see _loaded
        self._collecting = False
        # While a big report is being indexed: an index of its first part, and
        # the percentage of the report it covers.
        self.partial_index: tuple[PinyinIndex, int] | None = None
        # Where the reader was when the search bar opened: each query typed
        # goes to its first hit from there, not from where the previous, shorter
        # query jumped (which made the hit shown depend on typing speed).
        self._search_origin: tuple[str, int] | None = None
        self.index_error: str | None = None
        self.search = SearchState()
        self.notes: list[Note] = []
        self.bookmarks: list[Bookmark] = []
        self._save_timer = None
        self.fuzzy = False  # the fuzzy-pinyin setting, read once after the first paint
        self._panels_mounted = False
        self._search_generation = 0  # bumped per query: older results are dropped
        self._footer_has_hits = False  # n/N shown in the footer
        self._contents_choice: bool | None = None  # set by ``c``; None: by the width
        self._panels_ready = asyncio.Event()  # set once the panels are mounted
        self._search_bar_found: SearchBar | None = None  # see _mounted_search_bar
        self._figures_panel_found: FiguresPanel | None = None  # see _figures_panel
        self._view_found: ReaderView | None = None  # see _mounted_view
        self._index_percent: int | None = None  # how far a build of the index has come
        self._index_settled = threading.Event()  # the index is loaded, failed or being built
        self._index_building = False  # not in the cache: being built (seconds)
        #: The report read again after the first paint found the file changed,
        #: waiting for a dialog over this screen to close (``BriefingApp.reload_report``).
        self.replacement: Report | None = None
        self._contents_beside: int | None = None  # the contents' width beside a panel

    # ------------------------------------------------------------------ layout

    def compose(self) -> ComposeResult:
        # The header and the footer are docked, so the screen lays out the
        # contents and the main column side by side itself (``layout:
        # horizontal`` in briefing.tcss): a row container around them cost the
        # first paint a widget, a compose round and a covered redraw (~15 ms).
        yield ReportHeader()
        yield ContentsList(self.report, id="contents")
        with SettledColumn(id="reader-main"):
            yield ReaderView(self.report, id="reader")
            yield ReadingStatus(id="reading-status")
        yield ReaderFooter()

    async def ensure_panels(self) -> None:
        """Mount the search bar and side panels (after the first paint, or on demand).

        They are hidden until used, so leaving them out of ``compose`` keeps the
        first paint as light as an empty app's.
        """
        if self._panels_mounted:
            # Mounting may still be under way (a key pressed during start-up).
            await self._panels_ready.wait()
            return
        self._panels_mounted = True
        from briefing.tui.widgets.figures_panel import FiguresPanel
        from briefing.tui.widgets.notes_panel import NotesPanel
        from briefing.tui.widgets.search_bar import SearchBar

        bar = SearchBar(id="search")
        figures = FiguresPanel(self.report, id="figures")
        notes = NotesPanel(self.report, id="notes")
        try:
            await self.query_one("#reader-main").mount(bar)
            await self.mount_all([figures, notes])  # right of the main column
        except MountError:  # the app is closing before it finished starting
            return
        finally:
            self._panels_ready.set()
        figures.set_figures(self.figures)
        figures.set_section(self.view.current_section_id)
        notes.set_items(self.bookmarks, self.notes)
        self._continue_library_search()

    def continue_library_search(self, query: str, at: Match) -> None:
        """Show ``at``, a hit of the library's ``query``, and let n/N go on from it."""
        self.at = at
        self._hit_query = query
        self.show_match(at)
        self._continue_library_search()

    def _continue_library_search(self) -> None:
        """Search the library's query here once the index and the search bar are ready."""
        query = self._hit_query
        if query and self.index is not None and self.has_search_bar:
            self._hit_query = ""
            self._continued = query
            self._run_search(query, move=False)

    def _while_shown(self, callback: Callable[..., None], *args: object) -> None:
        """Run a worker's result on the UI thread, unless the reader has gone.

        A worker that finished as the app quit (or the report was switched)
        called back into a screen whose widgets were already removed:
        ``NoMatches: ReaderView`` from ``_figures_ready`` (seen in CI).
        """
        if self.is_attached and self._mounted_view() is not None:
            callback(*args)

    def _mounted_view(self) -> ReaderView | None:
        """The page, found once while it stays mounted: every search result asked
        for it with a CSS query over all the screen's widgets (a tenth of the
        result's handling on the UI thread)."""
        view = self._view_found
        if view is None or not view.is_attached:
            found = self.query(ReaderView)
            view = self._view_found = found.first() if found else None
        return view

    @property
    def view(self) -> ReaderView:
        view = self._mounted_view()
        return view if view is not None else self.query_one(ReaderView)

    @property
    def contents(self) -> ContentsList:
        return self.query_one(ContentsList)

    @property
    def search_bar(self) -> SearchBar:
        bar = self._mounted_search_bar()
        return bar if bar is not None else self.query_one("SearchBar")  # type: ignore[return-value]

    @property
    def search_bar_open(self) -> bool:
        return self.has_search_bar and self.search_bar.is_open

    @property
    def has_search_bar(self) -> bool:
        return self._panels_ready.is_set() and self._mounted_search_bar() is not None

    def _mounted_search_bar(self) -> SearchBar | None:
        """The search bar, found once: a query of the screen's widgets per call cost a
        search result (which asks four times) a third of its handling."""
        bar = self._search_bar_found
        if bar is None or not bar.is_attached:
            found = self.query("SearchBar")
            bar = self._search_bar_found = found.first() if found else None  # type: ignore[assignment]
        return bar

    def _figures_panel(self) -> FiguresPanel | None:
        """The panel once mounted (``ensure_panels`` fills it from the screen's state).

        Found once: asked on every move of the cursor, a CSS query over every widget
        of the screen was a millisecond of each reading key.
        """
        if not self._panels_ready.is_set():
            return None
        panel = self._figures_panel_found
        if panel is None or not panel.is_attached:
            found = self.query("FiguresPanel")
            panel = self._figures_panel_found = found.first() if found else None  # type: ignore[assignment]
        return panel

    def _panel(self, css_type: str) -> SidePanel:
        """A mounted side panel by its class name (``ensure_panels`` first)."""
        return cast("SidePanel", self.query_one(css_type))

    def _notes_panel(self) -> NotesPanel | None:
        if not self._panels_ready.is_set():
            return None
        found = self.query("NotesPanel")
        return found.first() if found else None

    def on_mount(self) -> None:
        meta = self.report.metadata
        self.title = meta.title or (self.report.path.name if self.report.path else "briefing")
        self.sub_title = " · ".join(x for x in (meta.publisher, meta.date) if x)
        for warning in self.report.warnings:  # damaged bytes replaced while decoding
            self.notify(warning, severity="warning", markup=False, timeout=8)
        self._restore_position()
        # Notes, panels, figures and the pinyin index come after the first paint.
        self.call_after_refresh(self._after_first_paint)

    async def _after_first_paint(self) -> None:
        # The index first: its worker loads while the rest below runs, and a
        # search typed at once waits for the index, not for the panels.
        self._analyse()
        self.query_one(ReaderFooter).show_keys()
        try:
            self.fuzzy = bool(self.store.settings.get("fuzzy", False))
        except StoreError as error:
            self.notify(str(error), severity="error", markup=False)
        self._reload_annotations()
        self.remember_origin()
        self.set_interval(STORE_CHECK_INTERVAL, self.check_store)
        after = getattr(self.app, "after_first_paint", None)
        if after is not None:
            after()
        await self.ensure_panels()
        # Once this screen is whole: a report found changed replaces it.
        self._check_report()

    def remember_origin(self) -> None:
        """Save this report as the one read last (``briefing`` with no path opens it)."""
        from briefing.tui import last_report

        origin = getattr(self.app, "origin", None)
        try:
            if last_report.remembered(self.store, origin, self.report.path):
                return  # no write at every start
        except StoreError:
            return  # said by whoever reads the store next
        self.app.store_write(  # type: ignore[attr-defined]
            lambda: last_report.remember(self.store, origin, self.report.path),
            where="last report",
        )

    def show_match(self, match: Match) -> None:
        """Show a hit found elsewhere (the library's search), marked as the current one."""
        if not self.report.has_section(match.section):  # the title or the header
            self.view.show_page(self.report.sections[0].id, 0, top=True)
            return
        self.view.show_page(match.section, match.start, scroll=False)
        self.view.set_marks(current_hit=match)
        self.view.scroll_to_span(match.section, match.start, match.end)

    def _restore_position(self) -> None:
        if self.at is not None:
            self.show_match(self.at)
            return
        state = None
        try:
            state = self.store.reading.get(self.report)
        except StoreError as error:
            self.notify(str(error), severity="error", markup=False)
        section_id = self.report.sections[0].id
        paragraph = 0
        if state is not None and self.report.has_section(state.section):
            section_id, paragraph = state.section, state.paragraph
        # From the page's columns: no split of the section's text (5 MB in one section).
        paragraphs = self.view.page.paragraphs
        position = self.report.index_of(section_id)
        first, stop = paragraphs.firsts[position], paragraphs.firsts[position + 1]
        index = first + max(0, min(paragraph, stop - first - 1))
        self.view.show_page(section_id, paragraphs.starts_in(position)[index - first])

    @work(thread=True, exclusive=True, group="check")
    def _check_report(self) -> None:
        """The checks the start left for after the paint (``report_cache.check_deferred``).

        A report served from the cache on its size and mtime alone is read
        again and compared byte for byte (CRC-32); if the file changed (or the
        cache entry was damaged) it is loaded afresh and shown, with a message.
        """
        from briefing.report_cache import check_deferred

        if check_deferred(self.report):
            return
        from briefing import load_report

        try:
            fresh = load_report(self.report.path)
        except Exception as error:  # gone or unreadable now: say so, keep what is shown
            message = _("The report file changed and could not be read again: {reason}")
            reason = str(error).splitlines()[0] if str(error) else type(error).__name__
            self.app.call_from_thread(
                self.notify, message.format(reason=reason), severity="error", markup=False
            )
            return
        if not get_current_worker().is_cancelled:
            notice = _(
                "The report file changed since it was last opened: shown again from the file."
            )
            reload = self.app.reload_report  # type: ignore[attr-defined]
            self.app.call_from_thread(reload, self, fresh, notice)

    def on_screen_resume(self) -> None:
        """Back on top after a dialog: a report read again meanwhile replaces this one."""
        replacement, self.replacement = self.replacement, None
        if replacement is not None:
            self.app._switch_report(self, replacement, None, "")  # type: ignore[attr-defined]

    # ------------------------------------------------------------------ index

    def _analyse(self) -> None:
        """Load the pinyin index and the figures, off the UI thread.

        Two workers, the index first: search needs only the index, and a
        cached one loads in a fraction of the figures' time. The figures start
        as soon as the index has been read from the cache, or at once when it
        has to be built (seconds of work the figures should not wait for).
        Threads share the GIL, so running both at full speed at once would
        only delay the index.
        """
        self._index_settled = threading.Event()
        self._load_index()
        self._load_figures()

    @work(thread=True, exclusive=True, group="index")
    def _load_index(self) -> None:
        settled = self._index_settled
        try:
            from briefing.search import load_index

            index = load_index(self.report, build_if_missing=False)
            if index is None:  # not cached: the build takes a while, figures go first
                self._index_building = True
                settled.set()
                self._index_first_part()
                index = load_index(self.report, progress=self._index_progress_in_worker)
        except Exception as error:
            settled.set()
            self.app.call_from_thread(self._while_shown, self._index_failed, str(error))
            return
        settled.set()
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._while_shown, self._index_ready, index)

    def _index_first_part(self) -> None:
        """In the index worker, before a long build: index the report's first
        sections (about a tenth, ~0.3 s) so that search works on them at once."""
        sections = self.report.sections
        total = sum(len(section.text) for section in sections)
        if total < PARTIAL_INDEX_FROM:
            return  # the whole build takes about a second
        want, size, count = max(PARTIAL_INDEX_CHARS, total // 10), 0, 0
        while count < len(sections) and size < want:
            size += len(sections[count].text)
            count += 1
        from briefing.model import Report
        from briefing.search import PinyinIndex

        part = Report(self.report.metadata, sections[:count], self.report.sha256)
        index = PinyinIndex.build(part)
        if not get_current_worker().is_cancelled:
            covered = min(99, 100 * size // total)
            self.app.call_from_thread(self._while_shown, self._partial_index_ready, index, covered)

    def _partial_index_ready(self, index: PinyinIndex, covered: int) -> None:
        if self.index is not None:
            return  # the whole index came first
        self.partial_index = (index, covered)
        if self.has_search_bar and self.search.query.strip():
            self._run_search(self.search.query, move=self.search_bar.is_open)

    @work(thread=True, exclusive=True, group="figures")
    def _load_figures(self) -> None:
        from briefing.report_cache import report_figures_cached

        worker = get_current_worker()
        waited = 0.0
        while not self._index_settled.wait(0.05) and waited < INDEX_HEAD_START:
            if worker.is_cancelled:  # the reader is closing: never hold up its exit
                return
            waited += 0.05
        # A search typed while the index loaded (or just after) runs as soon as the
        # index is in: the figures (a quarter of a second of the GIL at 5 MB) let
        # it finish first.
        grace = SEARCH_GRACE
        while waited < INDEX_HEAD_START and (grace > 0 or self._search_may_be_waiting()):
            if worker.is_cancelled:
                return
            if self.index is not None or self._index_building or self.index_error:
                grace -= 0.02
            time.sleep(0.02)
            waited += 0.02
        figures = report_figures_cached(self.report)
        marks = SpanIndex(figures)
        if not worker.is_cancelled:
            self.app.call_from_thread(self._while_shown, self._figures_ready, figures, marks)

    def _search_may_be_waiting(self) -> bool:
        """From the figures worker: the loaded index is not in place yet, or the
        first search on it is still running (a flag read, no widget touched)."""
        if self.index_error is not None:
            return False
        if self.index is None:
            return not self._index_building  # loading from the cache: in a moment
        return self.search.pending

    def _figures_ready(self, figures: list[Figure], marks: SpanIndex[Figure]) -> None:
        self.figures = figures
        # A panel still being mounted gets them from ensure_panels when it is done.
        if (panel := self._figures_panel()) and panel.is_mounted:
            panel.set_figures(figures)
        self.view.set_marks(figures=marks, current_hit=self.view.current_hit)
        self._loaded("figures")

    def _loaded(self, part: str) -> None:
        """Once the index and the figures are in, freeze them out of the cyclic GC.

        They live as long as the report is read (tens of thousands of objects),
        and every full collection walked them again: 20-40 ms in the middle of
        a keystroke. ``run_reader`` does the same for what start-up made.
        """
        self._parts_loaded.add(part)
        if self._parts_loaded >= {"index", "figures"}:
            gc.freeze()
            collector = getattr(self.app, "idle_collector", None)
            if collector is not None and not self._collecting:
                self._collecting = True  # full collections wait for quiet moments
                collector.start()
                self.set_interval(idle_gc.TICK, collector.tick)

    def _index_progress_in_worker(self, fraction: float) -> None:
        """From the indexing worker: pass on each new whole percent (at most 100 calls)."""
        percent = max(0, min(99, int(fraction * 100)))
        if percent != self._index_percent and not get_current_worker().is_cancelled:
            self._index_percent = percent
            # The reader may be closing: telling the progress is no reason to stop.
            with suppress(Exception):
                self.app.call_from_thread(self._while_shown, self._show_index_progress, percent)

    def _show_index_progress(self, percent: int) -> None:
        if self.index is not None:
            return
        self._set_busy(_("indexing {percent}%").format(percent=percent))
        if self.has_search_bar and self.search.query.strip() and self.partial_index is None:
            self._show_indexing()

    def _set_busy(self, text: str) -> None:
        """The status line's note of background work (none while the screen closes)."""
        found = self.query(ReadingStatus)
        if found:
            found.first().set_busy(text)

    def _index_ready(self, index: PinyinIndex) -> None:
        self.index = index
        self.partial_index = None
        self._loaded("index")
        self._set_busy("")
        if self.has_search_bar and (self.search_bar.is_open or self.search.query):
            self._run_search(self.search.query, move=self.search_bar.is_open)
        self._continue_library_search()

    def _index_failed(self, message: str) -> None:
        self.index_error = message
        self._set_busy("")
        self.notify(
            _("Pinyin index unavailable: {error}").format(error=message),
            severity="error",
            markup=False,
        )
        if self.search.query and self.has_search_bar:
            self._run_search(self.search.query, move=False)

    # ------------------------------------------------------------------ reading

    def on_reader_view_cursor_moved(self, event: ReaderView.CursorMoved) -> None:
        # While a search is typed, a far section is followed at the next pause.
        self.contents.follow(event.section_id, later=self.search_bar_open)
        self._show_reading_status()
        # A hidden panel is brought up to date when it opens: refilling it
        # here would lay the screen out again on every j/k.
        if (panel := self._figures_panel()) and panel.has_class("-open"):
            panel.set_section(event.section_id)
        if self._save_timer is not None:
            self._save_timer.stop()
        self._save_timer = self.set_timer(SAVE_POSITION_DELAY, self._save_position_in_background)

    def on_reader_view_view_changed(self, event: ReaderView.ViewChanged) -> None:
        self._show_reading_status()

    def _show_reading_status(self) -> None:
        """The status line: the part being read, ``k/N · p%``, the note under the cursor."""
        view = self.view
        section_id = view.current_section_id
        if not section_id:
            return
        section = self.report.section(section_id)
        labels = [a.label for a in reversed(list(self.report.ancestors(section_id)))]
        where = " › ".join([*labels, section.label])
        k, count, percent = view.progress()
        notes = view.notes_at_cursor()
        note = " · ".join(n.text for n in notes)
        self.query_one(ReadingStatus).show(where, f"{k}/{count} · {percent}%", note)

    def save_position(self) -> None:
        """Write the reading position (section and paragraph) to the store, now.

        For quitting and switching reports, where the write must be done before
        going on; while reading, ``_save_position_in_background`` is used.
        """
        write = self._position_write()
        if write is None:
            return
        try:
            write()
        except StoreError as error:
            self.notify(str(error), severity="error", markup=False)

    def _save_position_in_background(self) -> None:
        """The reading position after the cursor rests, written in a thread.

        A database locked by another program (or by a note being saved, which
        waits for that lock) must not freeze the page: on the UI thread this
        write waited up to the lock's timeout.
        """
        write = self._position_write()
        if write is not None:
            self.app.store_write(write, where="reading position")  # type: ignore[attr-defined]

    def _position_write(self) -> Callable[[], None] | None:
        """The write of the cursor's place as it is now (``None``: no place yet)."""
        paragraph = self.view.current_paragraph
        if paragraph is None:
            return None
        report, section, index = self.report, paragraph.section, paragraph.index_in_section
        return lambda: self.store.reading.set(report, section, index)

    def on_contents_list_section_chosen(self, event: ContentsList.SectionChosen) -> None:
        self.view.show_page(event.section_id, 0, top=True)
        self.view.focus()

    def action_section(self, delta: int) -> None:
        sections = self.report.sections
        index = self.report.index_of(self.view.current_section_id) + delta
        if 0 <= index < len(sections):
            self.view.show_page(sections[index].id, 0, top=True)

    def action_toggle_contents(self) -> None:
        """``c``: the reader's own choice, kept over the automatic one below."""
        self._contents_choice = not self.contents.display
        self._fit_to_width()

    def _screen_resized(self, size: Size) -> None:
        """Lay the screen out for a Resize, unless it was just laid out at that size.

        Textual lays out every widget again for each Resize; before the first
        frame the screen gets three at the size of its first layout (that
        layout's echo and the app's own), each one a full pass over the page,
        the contents and every bar. Anything that did change since asks for
        its own layout (``refresh(layout=True)``), which still happens.
        """
        if size == self._compositor.size and not self._layout_widgets:
            return
        super()._screen_resized(size)

    def on_resize(self) -> None:
        self._fit_to_width()

    def on_reader_view_resized(self, event: ReaderView.Resized) -> None:
        self._fit_to_width()  # a panel opened or closed

    def _fit_to_width(self) -> None:
        """Keep the page readable in a narrow terminal.

        The contents give way when the page would be narrower than
        ``MIN_PAGE_CELLS`` (unless the reader asked for them with ``c``); the
        footer drops its spacing and the command-palette key so that ``?``
        and ``q`` stay on screen. Decided from the screen's width and the open
        panels, never from the page's own width, so it cannot oscillate.
        """
        width = self.size.width
        if not width:
            return
        panels = sum(
            panel.outer_size.width for panel in self.query("SidePanel") if panel.has_class("-open")
        )
        contents_cells = max(18, min(34, width * 28 // 100))
        fits = width - panels - contents_cells >= MIN_PAGE_CELLS
        show = fits if self._contents_choice is None else self._contents_choice
        contents = self.contents
        if contents.display != show:
            contents.display = show
        # The contents take 28% of what an open panel leaves (as when the panel
        # was docked in a row container of its own): the screen lays the row out
        # itself now, and its percentages are of the whole width.
        beside = max(18, min(34, (width - panels) * 28 // 100)) if panels else None
        if beside != self._contents_beside:
            self._contents_beside = beside
            contents.styles.width = beside  # None: the stylesheet's 28% again
        footer = self.query_one(ReaderFooter)
        narrow = width < 100
        if footer.compact != narrow or footer.show_command_palette == narrow:
            footer.compact = narrow
            footer.show_command_palette = not narrow
            footer.call_later(footer.recompose)

    # ------------------------------------------------------------------ search

    async def action_search(self) -> None:
        await self.ensure_panels()
        paragraph = self.view.current_paragraph
        if not self.search_bar.is_open:
            self._search_origin = paragraph and (paragraph.section, paragraph.start)
        self.search_bar.open()
        if self.index is None and self.partial_index is None:
            self._show_indexing()

    def on_search_bar_query_changed(self, event: SearchBar.QueryChanged) -> None:
        self._run_search(event.query, move=True)

    def _run_search(self, query: str, *, move: bool) -> None:
        """Search as you type: the look-up runs in a worker; a newer query wins."""
        self._search_generation += 1
        if not has_something_to_find(query):  # nothing, or only spaces and punctuation
            self.workers.cancel_group(self, "search")
            self._show_results(SearchResults(query, NO_HITS))
            return
        self.search.query = query
        index, covered = self.index, None
        if index is None and self.partial_index is not None:
            index, covered = self.partial_index  # search what is indexed so far
        if index is None:
            self._show_indexing()
            return
        self.search.pending = True
        collector = getattr(self.app, "idle_collector", None)
        if collector is not None:  # nothing is done "ahead" while the page is about to move
            collector.awaiting(self._search_awaited)
        self._update_status()
        self._search_in_worker(index, query, self.fuzzy, move, self._search_generation, covered)

    def _search_awaited(self) -> bool:
        """A search of this screen, on screen, runs: its results will move the page."""
        return self.is_current and self.search.pending

    @work(thread=True, exclusive=True, group="search")
    def _search_in_worker(
        self,
        index: PinyinIndex,
        query: str,
        fuzzy: bool,
        move: bool,
        generation: int,
        covered: int | None = None,
    ) -> None:
        results = find_hits(index, query, fuzzy=fuzzy, covered=covered)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(
                self._while_shown, self._search_done, results, move, generation
            )

    def _search_done(self, results: SearchResults, move: bool, generation: int) -> None:
        if generation != self._search_generation:
            return  # the query changed while this one ran: drop it
        collector = getattr(self.app, "idle_collector", None)
        if collector is not None:
            collector.input_seen()  # results move the page as a key does: no idle work yet
        self._show_results(results)
        origin = self._search_origin if move and self.search_bar_open else None
        if self.search.count and move:
            self._go_to_hit(
                self.search.first_from(*origin) if origin else self._first_hit_from_cursor()
            )
        elif origin and not self.search.count:
            # A query typed past its last hit: back to where the search began, as
            # a pager's incremental search does, not left at a shorter query's hit.
            self.view.show_page(*origin)
        elif self._continued and results.query == self._continued and self.at is not None:
            self._continued = ""
            self._select_opened_hit(self.at)

    def _select_opened_hit(self, at: Match) -> None:
        """Make the hit the library opened the current one (n goes to the next)."""
        if not self.search.count or not self.report.has_section(at.section):
            return
        position = self.search.first_from(at.section, at.start)
        hit = self.search.hits[position]
        if (hit.section, hit.start, hit.end) == (at.section, at.start, at.end):
            self.search.select(position)
            self.view.set_marks(current_hit=hit)
            self._update_status()

    def _show_indexing(self) -> None:
        """The counter while the pinyin index loads: how much of a build is done
        (a cached index loads in a moment and says only "indexing…"); or why there
        is none. The search runs as soon as the index is ready."""
        if not self.has_search_bar:
            return
        self.search_bar.set_hits(self.report, NO_HITS)  # no empty results box over the page
        if self.index_error:
            self.search_bar.set_status(_("no index"))
        elif self._index_percent is None:
            self.search_bar.set_status(_("indexing…"))
        else:
            self.search_bar.set_status(
                _("indexing… {percent}%").format(percent=self._index_percent)
            )

    def _show_results(self, results: SearchResults) -> None:
        self.search.apply(results)
        if not (self.has_search_bar and self.search_bar.is_open):
            self._refresh_footer_keys()
        self.view.set_marks(hits=self.search.hits, current_hit=None)
        self._mark_title()
        if self.has_search_bar:
            self.search_bar.set_hits(self.report, self.search.hits, self.view.figures)
            self._update_status()

    def _first_hit_from_cursor(self) -> int:
        paragraph = self.view.current_paragraph
        if paragraph is None:
            return 0
        return self.search.first_from(paragraph.section, paragraph.start)

    def _go_to_hit(self, position: int) -> None:
        hit = self.search.select(position)
        if hit is None:
            return
        if self.report.has_section(hit.section):
            self.view.show_page(hit.section, hit.start, scroll=False)
            self.view.set_marks(current_hit=hit)
            self.view.scroll_to_span(hit.section, hit.start, hit.end)
        else:  # in the title or the metadata header: shown in the header
            self.view.set_marks(current_hit=None)
        self._mark_title()
        self.search_bar.highlight_result(self.search.position)
        self._update_status()

    def _mark_title(self) -> None:
        """Hits in the report's title are marked in the header, the current one apart."""
        header = self.query_one(ReportHeader)
        title = self.report.metadata.title
        if self.search.current is None or not self.search_bar_open:
            self._update_sub_title()  # hits in the publisher and date are marked there
        if not self.search.count or not title or self.title != title:
            header.mark_title([])
            return
        current = self.search.current
        header.mark_title(
            [
                (hit.start, hit.end, hit == current)
                for hit in self.search.hits.overlapping("title", 0, len(title))
            ]
        )

    def _update_status(self) -> None:
        status = self.search.status()
        self.search_bar.set_status(status, self.search.detail())
        if not self.search_bar.is_open:  # the bar shows the count while it is open
            self._update_sub_title()

    def refresh_language(self) -> None:
        """Redraw this screen's own words (the language changed)."""
        if self.has_search_bar and self.search.query:
            self._update_status()

    def _update_sub_title(self) -> None:
        """``/query 3/17`` while hits are being stepped through, else publisher · date.

        Hits in the metadata header are marked where the sub-title shows them:
        in the publisher and the date, or, when the current hit is in another
        field (索引号 …), that field's line is shown with the hit marked.
        """
        current = self.search.current
        marks: list[tuple[int, int, bool]] = []
        if current is not None and current.section == _META_ID:
            line, low = self._meta_line(current.start)
            # The counter first, where it always is; then the field with the hit.
            counter = f"/{self.search.query}  {self.search.status()}  "
            text = counter + line
            marks = self._meta_marks(low, low + len(line), len(counter) - low)
        elif current is not None:
            text = f"/{self.search.query}  {self.search.status()}"
        else:
            meta = self.report.metadata
            parts = [x for x in (meta.publisher, meta.date) if x]
            text = " · ".join(parts)
            if self.search.count:
                at = 0
                for part in parts:
                    for low, high in self._meta_spans_of(part):
                        marks += self._meta_marks(low, high, at - low)
                    at += len(part) + len(" · ")
        self.sub_title = text
        self.query_one(ReportHeader).mark_sub_title(text, marks)

    @cached_property
    def _meta_lines(self) -> list[tuple[str, int]]:
        """The metadata header as searched (``label:value`` lines), with their offsets:
        made once per report, not at every search result that redraws the sub-title."""
        from briefing.search.index import meta_text

        lines, at = [], 0
        for line in meta_text(self.report).split("\n"):
            lines.append((line, at))
            at += len(line) + 1
        return lines

    def _meta_line(self, offset: int) -> tuple[str, int]:
        """The line of the metadata header holding ``offset``, and where it starts."""
        found = ("", 0)
        for line, at in self._meta_lines:
            if at > offset:
                break
            found = (line, at)
        return found

    def _meta_spans_of(self, value: str) -> list[tuple[int, int]]:
        """Where ``value`` (the publisher, the date) stands in the searched header:
        in the value of the first field that holds it."""
        for line, at in self._meta_lines:
            label, colon, field_value = line.partition(":")
            where = field_value.find(value) if colon else -1
            if where >= 0:
                start = at + len(label) + 1 + where
                return [(start, start + len(value))]
        return []

    def _meta_marks(self, low: int, high: int, shift: int) -> list[tuple[int, int, bool]]:
        """Hits of the metadata header within ``[low, high)``, moved by ``shift``."""
        current = self.search.current
        return [
            (max(hit.start, low) + shift, min(hit.end, high) + shift, hit == current)
            for hit in self.search.hits.overlapping(_META_ID, low, high)
            if hit.start < high and hit.end > low
        ]

    def on_search_bar_submitted(self, event: SearchBar.Submitted) -> None:
        if self.search.count:
            self._go_to_hit(event.hit_index if event.hit_index is not None else 0)
        self.search_bar.close_keeping_hits()
        self.view.focus()

    def on_search_bar_result_chosen(self, event: SearchBar.ResultChosen) -> None:
        self._go_to_hit(event.hit_index)
        self.search_bar.close_keeping_hits()
        self.view.focus()

    def on_search_bar_closed(self, event: SearchBar.Closed) -> None:
        self._search_origin = None
        if not event.keep_hits:
            self._show_results(SearchResults("", NO_HITS))
        self._refresh_footer_keys()
        self._update_sub_title()
        self.view.focus()

    def _refresh_footer_keys(self) -> None:
        """Show or hide n/N in the footer, once the bar is closed.

        Rebuilding the footer costs a layout of the screen, so it is not done
        per keystroke while typing (the keys go to the search input then).
        """
        if bool(self.search.count) != self._footer_has_hits:
            self._footer_has_hits = bool(self.search.count)
            self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Show ``n``/``N`` in the footer only while there are search hits."""
        if action == "next_hit":
            return self._footer_has_hits
        if action == "no_hits":
            return not self._footer_has_hits
        return True

    def action_no_hits(self) -> None:
        if self.search.query.strip():
            message = _("No hits for “{query}”: press / to search")
            self.notify(message.format(query=self.search.query), timeout=3, markup=False)
        else:
            self.notify(_("No search yet: press / to search"), timeout=3)

    def action_next_hit(self, delta: int) -> None:
        if not self.search.count:
            self.action_no_hits()
            return
        if self.search.position < 0:
            start = self._first_hit_from_cursor()
            target = start if delta > 0 else start - 1
        else:
            target = self.search.position + delta
        self._go_to_hit(target)
        count = self.search.count
        if target >= count:
            message = _("Search wrapped: back to the first hit (1/{count})")
            self.notify(message.format(count=count), timeout=2)
        elif target < 0:
            message = _("Search wrapped: on to the last hit ({count}/{count})")
            self.notify(message.format(count=count), timeout=2)

    def toggle_fuzzy(self) -> None:
        fuzzy = not self.fuzzy

        def done(_result: object) -> None:
            self.fuzzy = fuzzy
            self.notify(
                _("Fuzzy pinyin on (z/zh, n/l, an/ang …)")
                if fuzzy
                else _("Fuzzy pinyin off (z/zh, n/l, an/ang …)")
            )
            if self.search.query:
                self._run_search(self.search.query, move=False)

        self.app.store_write(  # type: ignore[attr-defined]
            lambda: self.store.settings.set("fuzzy", fuzzy), done, where="fuzzy setting"
        )

    # ------------------------------------------------------------------ figures

    async def action_toggle_figures(self) -> None:
        await self.ensure_panels()
        panel = self._panel("FiguresPanel")
        self._panel("NotesPanel").remove_class("-open")
        panel.toggle_class("-open")
        self._make_room_for_panel()
        if panel.has_class("-open"):
            panel.set_section(self.view.current_section_id)
            panel.option_list.focus()
        else:
            self.view.focus()

    def _make_room_for_panel(self) -> None:
        """On a narrow screen a side panel takes the contents' place, not the page's."""
        self._fit_to_width()

    def on_figures_panel_figure_chosen(self, event: FiguresPanel.FigureChosen) -> None:
        figure = event.figure
        self.view.show_page(figure.section, figure.start, scroll=False)
        self.view.scroll_to_span(figure.section, figure.start, figure.end)

    def on_side_panel_closed(self, event: SidePanel.Closed) -> None:
        for panel in self.query("SidePanel"):
            panel.remove_class("-open")
        self._make_room_for_panel()
        self.view.focus()

    # ------------------------------------------------------------------ notes

    def check_store(self) -> None:
        """Another program changed or damaged the database: show what is there now.

        A damaged file has been moved aside by the store (``StoreDamaged``, said
        once); the panels then show the fresh database, not notes that are gone.
        """
        if self.store.changed():
            self._reload_annotations()
        for message in self.store.take_warnings():
            self.notify(message, severity="warning", timeout=15, markup=False)

    def _reload_annotations(self) -> None:
        for attempt in range(2):
            try:
                self.notes = self.store.notes.list(self.report)
                self.bookmarks = self.store.bookmarks.list(self.report)
                break
            except StoreDamaged as error:  # moved aside: read the fresh database
                self.notify(
                    str(error),
                    title=_("Database damaged"),
                    severity="error",
                    timeout=20,
                    markup=False,
                )
                if attempt:
                    return
            except StoreError as error:
                self.notify(str(error), severity="error", markup=False)
                return
        anchored = [n for n in self.notes if n.status != "orphaned"]
        bookmarked = {b.section for b in self.bookmarks if b.status != "orphaned"}
        counts: dict[str, int] = defaultdict(int)
        for note in anchored:
            counts[note.section] += 1
        self.view.set_marks(
            notes=_group(anchored), bookmarked=bookmarked, current_hit=self.view.current_hit
        )
        self.contents.set_markers(bookmarked, dict(counts))
        if panel := self._notes_panel():
            panel.set_items(self.bookmarks, self.notes)

    def action_bookmark(self) -> None:
        section_id = self.view.current_section_id
        label = self.report.section(section_id).label

        def done(added: bool) -> None:
            message = _("★ Bookmarked: {section}") if added else _("Bookmark removed: {section}")
            self.notify(message.format(section=label), markup=False, timeout=2)
            self._reload_annotations()

        self.app.store_write(  # type: ignore[attr-defined]
            lambda: self.store.bookmarks.toggle(self.report, section_id), done, where="bookmark"
        )

    def action_annotate(self) -> None:
        span = self.view.selected_span()
        if span is None:
            paragraph = self.view.current_paragraph
            if paragraph is None:
                return
            span = (paragraph.section, paragraph.start, paragraph.end)
        section_id, start, end = span
        section = self.report.section(section_id)

        def save(text: str) -> None:  # in the editor's worker thread
            self.store.notes.add(self.report, section_id, text, start, end)

        def saved(text: str | None) -> None:
            if text is None:
                return
            self.screen.clear_selection()
            self.notify(_("✎ Note saved"), timeout=2)
            self._reload_annotations()

        from briefing.tui.screens.note_editor import NoteEditor

        keep = [
            (f.start - start, f.end - start)
            for f in self.figures
            if f.section == section_id and f.start >= start and f.end <= end
        ]
        editor = NoteEditor(
            _("Note · {section}").format(section=section.label),
            section.text[start:end],
            save=save,
            keep_together=keep,
        )
        self.app.push_screen(editor, saved)

    async def action_toggle_notes(self) -> None:
        await self.ensure_panels()
        panel = self._panel("NotesPanel")
        self._panel("FiguresPanel").remove_class("-open")
        panel.toggle_class("-open")
        self._make_room_for_panel()
        if panel.has_class("-open"):
            panel.option_list.focus()
        else:
            self.view.focus()

    def on_notes_panel_jump(self, event: NotesPanel.Jump) -> None:
        if self.report.has_section(event.section_id):
            self.view.show_page(event.section_id, event.start)

    def on_notes_panel_edit_note(self, event: NotesPanel.EditNote) -> None:
        note = event.note

        def save(text: str) -> None:  # in the editor's worker thread
            self.store.notes.update(note.id, text)

        def saved(text: str | None) -> None:
            if text is not None:
                self.notify(_("✎ Note updated"), timeout=2)
                self._reload_annotations()

        from briefing.tui.screens.note_editor import NoteEditor

        heading = _("Edit note")
        if self.report.has_section(note.section):
            heading = _("Edit note · {section}").format(
                section=self.report.section(note.section).label
            )
        self.app.push_screen(NoteEditor(heading, note.quote.exact, note.text, save=save), saved)

    def on_notes_panel_delete_item(self, event: NotesPanel.DeleteItem) -> None:
        item = event.item
        if isinstance(item, Note):
            question = _("Delete this note?") + f"\n\n{item.text[:200]}"
        else:
            label = (
                self.report.section(item.section).label
                if self.report.has_section(item.section)
                else item.section
            )
            question = _("Delete the bookmark “{section}”?").format(section=label)

        def remove() -> None:
            if isinstance(item, Note):
                self.store.notes.remove(item.id)
            else:
                self.store.bookmarks.remove(self.report, item.section)

        def answer(yes: bool | None) -> None:
            if yes:
                self.app.store_write(  # type: ignore[attr-defined]
                    remove, lambda _: self._reload_annotations(), where="delete"
                )

        from briefing.tui.screens.confirm import ConfirmScreen

        self.app.push_screen(ConfirmScreen(question), answer)

    # ------------------------------------------------------------------ export

    def action_export(self) -> None:
        from briefing.export import default_export_name
        from briefing.tui.screens.export import ExportScreen

        default = str(Path.cwd() / default_export_name(self.report))
        summary = self._export_summary()

        def done(message: str | None) -> None:
            if message:
                self.notify(message, markup=False, timeout=6)

        self.app.push_screen(ExportScreen(default, summary, self._export_to), done)

    def _export_summary(self) -> str:
        return _counted(len(self.notes), len(self.bookmarks))

    def _export_to(self, path: Path) -> str:
        """Write the export (the dialog shows any ``ExportError``); the message to show."""
        from briefing.export import export_to_file

        written, notes, bookmarks = export_to_file(self.report, self.store, path)
        self._reload_annotations()
        return _("Exported {counted} to {path}").format(
            counted=_counted(notes, bookmarks), path=written
        )

    # ------------------------------------------------------------------ library

    def action_library(self) -> None:
        """``o``: the library, to open another report (or search them all)."""
        from briefing.tui.screens.library import LibraryScreen, OpenReport

        self.save_position()  # so the library shows how far this one was read
        try:
            library = self.app.library()  # type: ignore[attr-defined]
        except Exception as error:  # no library folder, a damaged catalogue …
            from briefing.tui.library_state import is_library_problem

            if not is_library_problem(error):
                raise
            from briefing.tui.errors import describe

            self.notify(describe(error), severity="error", timeout=8, markup=False)
            return

        def chosen(opened: OpenReport | None) -> None:
            if opened is not None:
                self.app.open_report(  # type: ignore[attr-defined]
                    opened.report, opened.origin, opened.at, query=opened.query
                )

        self.app.push_screen(LibraryScreen(library, self.store, current=self.report), chosen)

    # ------------------------------------------------------------------ help

    async def action_help(self) -> None:
        from briefing.tui.screens.help import HelpScreen, describe_bindings

        await self.ensure_panels()
        view = self.view
        groups = [
            (_("Reader"), list(self._bindings_of(self))),
            (_("Reading"), list(self._bindings_of(view))),
            (_("Search bar"), list(self._bindings_of(self.search_bar))),
            (_("Notes panel"), list(self._bindings_of(self._panel("NotesPanel")))),
            (_("Figures panel"), list(self._bindings_of(self._panel("FiguresPanel")))),
            (_("App"), list(self._bindings_of(self.app))),
        ]
        self.app.push_screen(HelpScreen(describe_bindings(groups, self._key_display)))

    def _key_display(self, binding: Binding) -> str:
        if binding.key_display:
            return binding.key_display
        keys = binding.key.split(",")
        return " ".join(self.app.get_key_display(binding.with_key(key.strip())) for key in keys)

    @staticmethod
    def _bindings_of(node: object) -> list[Binding]:
        """The node's bindings as the keymap has set them."""
        bindings_map = node._bindings  # type: ignore[attr-defined]
        seen: dict[tuple[str, str | None], Binding] = {}
        for bindings in bindings_map.key_to_bindings.values():
            for binding in bindings:
                key = (binding.action, binding.id)
                if key in seen:
                    merged = seen[key]
                    seen[key] = merged.with_key(f"{merged.key},{binding.key}")
                else:
                    seen[key] = binding
        return list(seen.values())
