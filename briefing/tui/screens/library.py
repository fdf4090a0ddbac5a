"""LibraryScreen: every report kept, filtered by pinyin; ``/`` searches them all.

Typing filters the list by title, publisher and date (``huaian`` → 淮安…,
initials and hanzi too); Enter opens the report where it was last left.
``/`` switches to a search of every report at once, results grouped by
report; Enter opens the report at the hit. Esc goes back (search → list →
reader).

Everything slow runs in worker threads and comes back finished: the
catalogue and the notes store are read once, the pinyin index over titles is
built after the first paint, a report being opened is loaded (parsed if
new) before the screen closes, and the library-wide searcher is loaded on
the first ``/``. A search's results are dropped when a newer query exists.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Header, Input, Static
from textual.worker import get_current_worker

from briefing.i18n import N_, P_, _
from briefing.model import Match, Report
from briefing.store import Store
from briefing.text import NOTHING_TO_SEARCH, has_something_to_find
from briefing.tui.library_state import (
    Activity,
    HitRow,
    LibraryRow,
    TitleFilter,
    group_hits,
    is_library_problem,
    read_activity,
    reading_percent,
)
from briefing.tui.widgets.footer import LocalFooter
from briefing.tui.widgets.library_list import LibraryList
from briefing.tui.widgets.row_list import RowList

SEARCH_LIMIT = 500  # hits asked of the searcher per query (grouped, all shown)


def _filter_hint() -> str:
    """The filter's placeholder (a function: translated when drawn, not at import)."""
    return _("pinyin or hanzi: huaian, fzzf, 淮安…")


@dataclass(frozen=True)
class OpenReport:
    """The screen's answer: the report to read, its ``last_report`` key, where."""

    report: Report
    origin: str | None  # the library entry id (None: the bundled report)
    at: Match | None = None  # a search hit to show, else the last reading position
    query: str = ""  # the library search that found ``at`` (n/N go on with it)


def _recent_first(rows: list[LibraryRow]) -> list[LibraryRow]:
    """Reports read most recently first, then the others in catalogue order."""
    read = sorted((r for r in rows if r.activity.last_read), key=lambda r: r.activity.last_read)
    return [*reversed(read), *(r for r in rows if not r.activity.last_read)]


class LibraryScreen(Screen[OpenReport | None]):
    """The library: pick a report (or a hit in any report) to read."""

    DEFAULT_CSS = """
    LibraryScreen #library-bar {
        height: 2; background: $panel; border-bottom: hkey $primary;
    }
    LibraryScreen #library-prompt { width: auto; color: $accent; text-style: bold; padding: 0 1; }
    LibraryScreen #library-filter, LibraryScreen #library-filter:focus {
        border: none; height: 1; padding: 0; width: 1fr; background: $panel;
    }
    LibraryScreen #library-count { width: auto; color: $text-muted; padding: 0 1; }
    LibraryScreen #library-status {
        height: 1; color: $text-muted; padding: 0 1; text-wrap: nowrap; text-overflow: ellipsis;
    }
    LibraryScreen #library-status.-error { color: $text-error; }
    """

    AUTO_FOCUS = "#library-filter"

    BINDINGS = [
        Binding("escape", "back", N_("Back"), id="library.back"),
        Binding("enter", "open", N_("Open"), priority=True, id="library.open"),
        Binding(
            "slash", "search", N_("Search all"), key_display="/", priority=True, id="library.search"
        ),
        Binding("down", "move(1)", N_("Down"), show=False, id="library.down"),
        Binding("up", "move(-1)", N_("Up"), show=False, id="library.up"),
        Binding("pagedown", "move(10)", N_("Page down"), show=False, id="library.page_down"),
        Binding("pageup", "move(-10)", N_("Page up"), show=False, id="library.page_up"),
        Binding("ctrl+home", "move_to(0)", N_("First"), show=False, id="library.first"),
        Binding("ctrl+end", "move_to(-1)", N_("Last"), show=False, id="library.last"),
    ]

    def __init__(self, library: Any, store: Store, *, current: Report | None = None) -> None:
        super().__init__()
        self.library = library
        self.store = store
        self.current = current
        self.mode = "list"  # or "search"
        self.rows: list[LibraryRow] = []
        self.shown: list[LibraryRow] = []  # ``rows`` as filtered
        self.hits: list[HitRow] = []
        self.title_filter: TitleFilter | None = None
        self.searcher: Any = None
        self.filter_text = ""  # kept while searching, given back by Esc
        self.search_text = ""
        self._generation = 0  # bumped per search query: older results are dropped
        self._opening = False

    # ------------------------------------------------------------------ layout

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="library-bar"):
            yield Static(Text(_("Filter")), id="library-prompt")
            yield Input(placeholder=_filter_hint(), id="library-filter")
            yield Static("", id="library-count")
        yield LibraryList(id="library-list")
        yield Static("", id="library-status")
        yield LocalFooter()

    @property
    def row_list(self) -> LibraryList:
        return self.query_one(LibraryList)

    @property
    def input(self) -> Input:
        return self.query_one("#library-filter", Input)

    def on_mount(self) -> None:
        self.title = _("Library")
        self.sub_title = ""
        self._status(_("Reading the library…"))
        self._load_catalogue()

    def _count(self, text: str) -> None:
        self.query_one("#library-count", Static).update(Text(text))

    def _status(self, text: str, *, error: bool = False) -> None:
        status = self.query_one("#library-status", Static)
        status.update(Text(text, no_wrap=True, overflow="ellipsis", end=""))
        status.set_class(error, "-error")

    def _from_worker(self, callback: Any, *args: Any, **kwargs: Any) -> None:
        """Run ``callback`` on the UI thread, unless this screen has been closed since:
        a worker's thread cannot be stopped, and its late answer is no longer wanted."""

        def here() -> None:
            if self in self.app.screen_stack:
                callback(*args, **kwargs)

        self.app.call_from_thread(here)

    # ------------------------------------------------------------------ catalogue

    @work(thread=True, exclusive=True, group="library-catalogue")
    def _load_catalogue(self) -> None:
        try:
            entries = list(self.library.entries())
            activity = read_activity(self.store, entries)
            # Damaged catalogue records skipped, a catalogue moved aside … (each said once)
            warnings = list(getattr(self.library, "warnings", ()))
            for message in warnings[self._warnings_shown(len(warnings)) :]:
                self._from_worker(
                    self.notify, str(message), severity="warning", timeout=10, markup=False
                )
        except Exception as error:  # a damaged library or store: say so, stay open
            self._from_worker(self._failed, error)
            return
        rows = [LibraryRow(e, activity.get(e.id, Activity())) for e in entries]
        self._from_worker(self._catalogue_ready, _recent_first(rows))

    def _warnings_shown(self, now: int) -> int:
        """How many of the library's warnings an earlier visit showed (the app keeps it)."""
        before = getattr(self.app, "library_warnings_shown", 0)
        self.app.library_warnings_shown = now  # type: ignore[attr-defined]
        return before

    def _failed(self, error: Exception) -> None:
        """Say what went wrong in the status line and stay open (a bug is also reported)."""
        from briefing.tui import errors

        self._opening = False
        self._status(errors.describe(error), error=True)
        if is_library_problem(error):
            self.notify(errors.describe(error), severity="error", markup=False, timeout=8)
        else:
            self.app.report_error(error, "library")  # type: ignore[attr-defined]

    def _catalogue_ready(self, rows: list[LibraryRow]) -> None:
        self.rows = rows
        self.title_filter = TitleFilter([r.entry for r in rows])
        current = self.current.sha256 if self.current is not None else None
        self.row_list.current_id = next(
            (r.entry.id for r in rows if r.entry.report_sha256 == current), None
        )
        self.sub_title = P_("{count} report", "{count} reports", len(rows)).format(count=len(rows))
        self._apply_filter()
        self._prepare_filter()
        self._compute_progress()

    @work(thread=True, exclusive=True, group="library-filter")
    def _prepare_filter(self) -> None:
        title_filter = self.title_filter
        if title_filter is None:
            return
        try:
            title_filter.prepare()
        except Exception as error:  # pinyin data missing: hanzi filtering still works
            self._from_worker(self._status, str(error), error=True)
            return
        self._from_worker(self._filter_ready)

    def _filter_ready(self) -> None:
        if self.mode == "list" and self.filter_text.strip():
            self._apply_filter()

    def _apply_filter(self) -> None:
        if self.title_filter is None:
            return
        order = self.title_filter.match(self.filter_text)
        self.shown = [self.rows[i] for i in order]
        self.row_list.set_rows(self.shown)
        self._count(f"{len(self.shown)}/{len(self.rows)}")
        self._describe_cursor()

    @work(thread=True, exclusive=True, group="library-progress")
    def _compute_progress(self) -> None:
        """How far each report read so far was read (needs the report: loaded one by one)."""
        worker = get_current_worker()
        for row in list(self.rows):
            if worker.is_cancelled:
                return
            if not row.activity.last_read:
                continue
            try:
                report = self.library.load(row.entry)
                state = self.store.reading.get(report)
            except Exception:  # a missing copy: said when it is opened
                continue
            if state is None:
                continue
            percent = reading_percent(report, state.section, state.paragraph)
            self._from_worker(self._progress_ready, row.entry.id, percent)

    def _progress_ready(self, entry_id: str, percent: int) -> None:
        def update(rows: list[LibraryRow]) -> list[LibraryRow]:
            return [replace(r, progress=percent) if r.entry.id == entry_id else r for r in rows]

        self.rows = update(self.rows)
        self.shown = update(self.shown)
        if self.mode == "list":
            self.row_list.rows = self.shown
            self.row_list.redraw()

    # ------------------------------------------------------------------ typing

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        if self.mode == "list":
            self.filter_text = event.value
            self._apply_filter()
        else:
            self.search_text = event.value
            self._search(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_open()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """``/`` starts a search from the list; while searching it is a character."""
        if action == "search":
            return self.mode == "list"
        return True

    def action_move(self, delta: int) -> None:
        self.row_list.action_move(delta)
        self._describe_cursor()

    def action_move_to(self, row: int) -> None:
        self.row_list.action_move_to(row)
        self._describe_cursor()

    def on_click(self) -> None:
        self._describe_cursor()

    def _describe_cursor(self) -> None:
        """The status line: where the report under the cursor was left, or hit counts."""
        if self.mode == "search":
            return
        if not self.shown:
            self._status(
                _("No report matches “{query}”").format(query=self.filter_text.strip())
                if self.filter_text.strip()
                else _("The library is empty")
            )
            return
        row = self.shown[min(self.row_list.cursor, len(self.shown) - 1)]
        activity = row.activity
        parts = []
        if activity.last_read:
            where = activity.section_title or activity.section
            parts.append(_("Last read {date}").format(date=activity.last_read[:10]))
            if where:
                parts.append(where)
        else:
            parts.append(_("Not read yet"))
        if row.entry.bundled:
            parts.append(_("bundled report"))
        elif getattr(row.entry, "source_path", ""):
            parts.append(str(row.entry.source_path))
        self._status(" · ".join(parts))

    # ------------------------------------------------------------------ search

    def action_search(self) -> None:
        self.mode = "search"
        self.input.add_class("-search")
        self.input.placeholder = _("Search all reports: pinyin or hanzi")
        self.query_one("#library-prompt", Static).update(Text("/"))
        self.input.value = self.search_text
        self.input.cursor_position = len(self.search_text)
        self.input.focus()
        self.title = _("Search the library")
        self.refresh_bindings()
        self._search(self.search_text)

    def _search(self, query: str) -> None:
        self._generation += 1
        if not query.strip():
            self.hits = []
            self.row_list.set_rows([])
            self._count("")
            self._status(_("Type to search every report"))
            return
        if not has_something_to_find(query):  # only punctuation: as the command line says
            self.hits = []
            self.row_list.set_rows([])
            self._count("")
            self._status(_(NOTHING_TO_SEARCH))
            return
        if self.searcher is None:
            self._status(_("Loading the library index…"))
        self._run_search(query, self._generation)

    @work(thread=True, exclusive=True, group="library-search")
    def _run_search(self, query: str, generation: int) -> None:
        try:
            if self.searcher is None:
                self.searcher = self.library.searcher()
            if generation != self._generation:
                return  # typed on while the index loaded: only the newest query counts
            hits = self.searcher.search(query, limit=SEARCH_LIMIT)
        except Exception as error:
            self._from_worker(self._failed, error)
            return
        rows = group_hits(hits)
        self._from_worker(self._hits_ready, generation, query, rows)

    def _hits_ready(self, generation: int, query: str, rows: list[HitRow]) -> None:
        if generation != self._generation or self.mode != "search":
            return  # a newer query is on its way
        self.hits = rows
        first_hit = next((i for i, r in enumerate(rows) if r.hit is not None), 0)
        self.row_list.set_rows(rows, cursor=first_hit)
        reports = sum(1 for r in rows if r.hit is None)
        count = len(rows) - reports
        self._count(str(count))
        if not count:
            self._status(_("No hits for “{query}” in the library").format(query=query.strip()))
        else:
            more = _(" (first {limit})").format(limit=SEARCH_LIMIT) if count >= SEARCH_LIMIT else ""
            hits = P_("{count} hit", "{count} hits", count).format(count=count)
            in_reports = P_("{count} report", "{count} reports", reports).format(count=reports)
            self._status(_("{hits} in {reports}").format(hits=hits, reports=in_reports) + more)

    def _leave_search(self) -> None:
        self.mode = "list"
        self._generation += 1
        self.input.remove_class("-search")
        self.input.placeholder = _filter_hint()
        self.query_one("#library-prompt", Static).update(Text(_("Filter")))
        self.input.value = self.filter_text
        self.input.cursor_position = len(self.filter_text)
        self.title = _("Library")
        self.refresh_bindings()
        self._apply_filter()

    # ------------------------------------------------------------------ leaving

    def action_back(self) -> None:
        if self.mode == "search":
            self._leave_search()
        else:
            self.dismiss(None)

    @on(RowList.Chosen, "LibraryList")
    def _row_chosen(self, event: RowList.Chosen) -> None:
        event.stop()
        self.action_open()

    def action_open(self) -> None:
        """Open the report under the cursor (at the hit, when it is one)."""
        if self._opening:
            return
        cursor = self.row_list.cursor
        if self.mode == "search":
            if not self.hits:
                return
            row = self.hits[min(cursor, len(self.hits) - 1)]
            entry, at = row.entry, row.hit
        else:
            if not self.shown:
                return
            entry, at = self.shown[min(cursor, len(self.shown) - 1)].entry, None
        self._opening = True
        self._status(_("Opening {title}…").format(title=entry.title))
        self._open(entry, at, self.search_text.strip() if at is not None else "")

    @work(thread=True, exclusive=True, group="library-open")
    def _open(self, entry: Any, at: Match | None, query: str = "") -> None:
        try:
            report = self.library.load(entry)
        except Exception as error:  # a removed or damaged copy: say so, stay here
            self._from_worker(self._failed, error)
            return
        origin = None if entry.bundled else entry.id
        self._from_worker(self._opened, OpenReport(report, origin, at, query))

    def _opened(self, opened: OpenReport) -> None:
        if self.is_active:
            self.dismiss(opened)
        else:  # a dialog (the palette …) is on top: Enter again once it is closed
            self._opening = False
            self._status(_("Press Enter to open {title}").format(title=opened.report.title))
