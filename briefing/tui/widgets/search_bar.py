"""SearchBar: the search-as-you-type input, the hit counter and the results list."""

from __future__ import annotations

from typing import TYPE_CHECKING, Self

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.css.scalar import Scalar
from textual.geometry import Region
from textual.message import Message
from textual.scrollbar import ScrollBar
from textual.strip import Strip
from textual.widgets import Input, Static

from briefing.i18n import N_, _
from briefing.model import Report
from briefing.search.index import META_ID, TITLE_ID, source_text
from briefing.text import cell_width, context_start, truncate_cells
from briefing.tui.cells import fit_text
from briefing.tui.kept_rows import KeptRows
from briefing.tui.places import place_of
from briefing.tui.scrollbars import cached_vertical_scrollbar
from briefing.tui.search_state import NO_HITS, HitList
from briefing.tui.widgets.row_list import RowList

if TYPE_CHECKING:
    from briefing.model import Figure
    from briefing.tui.page import SpanIndex

    FigureSpans = SpanIndex[Figure]

CONTEXT_BEFORE = 12  # characters of text shown before a hit in its row
PLACE_CELLS = 9  # the "二、一是" column, so hits line up
COUNT_WIDTH = 14  # the counter's box ("12345/123456")
WIDE_COUNT_WIDTH = 28  # ... while only part of a big report is indexed


class QueryInput(Input):
    """The search input: a letter typed repaints it, and lays nothing out.

    Textual's ``Input`` sets its virtual width to its text's width on every
    change, which asks for a layout of the whole screen per keystroke. This box
    has a fixed size (one row, the bar's width less the counter), so only its
    scroll range changes: the value's layout request is dropped.
    """

    _value_changing = False

    def _watch_value(self, value: str) -> None:
        self._value_changing = True
        try:
            super()._watch_value(value)
        finally:
            self._value_changing = False

    def refresh(
        self,
        *regions: Region,
        repaint: bool = True,
        layout: bool = False,
        recompose: bool = False,
    ) -> Self:
        if self._value_changing:
            layout = False
        return super().refresh(*regions, repaint=repaint, layout=layout, recompose=recompose)


def _hint() -> str:
    """What the empty results list says before anything is typed."""
    return _("↑↓ choose a hit · Enter go to it · Esc close")


class CountLine(Static):
    """The counter ("…", "17 hits", "3/17"): a count shown before is not drawn again
    (it says "…" and then the count at every keystroke)."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", id=id)
        self._says = ""
        self._kept = KeptRows()

    def say(self, status: str) -> None:
        self._says = status
        self.update(Text(status), layout=False)

    def render_lines(self, crop: Region) -> list[Strip]:
        return self._kept.rows(self, crop, self._says, super().render_lines)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._kept.clear()


class ResultsList(RowList):
    """One row per hit: section id, a little text before, the hit, text after."""

    DEFAULT_CSS = """
    /* The scrollbar always shown: a count going over or under a screenful
       would otherwise lay the whole screen out again, per keystroke. */
    /* A fixed height, shown even with no hits: a box that came and went as the
       count reached or left zero would lay the screen out again, per keystroke. */
    /* What the bar leaves below its border and above the input row: on a short
       terminal the list shrinks and the query stays in view. */
    ResultsList { height: 1fr; min-height: 1; background: $panel; overflow-y: scroll; }
    ResultsList > .results--hit { text-style: reverse bold; }
    ResultsList > .results--section { color: $text-muted; }
    """

    COMPONENT_CLASSES = {"results--hit", "results--section"}

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.report: Report | None = None
        self.hits: HitList = NO_HITS
        self.figures: FigureSpans | None = None  # no context begins inside one

    @property
    def vertical_scrollbar(self) -> ScrollBar:
        """Drawn again only when its thumb moves (see ``tui.scrollbars``)."""
        return cached_vertical_scrollbar(self)

    def set_hits(self, report: Report, hits: HitList, figures: FigureSpans | None = None) -> None:
        """Show ``hits``; rows are built only when drawn (there may be 200,000)."""
        self.report = report
        self.hits = hits
        self.figures = figures
        self.set_row_count(len(hits))

    def render_row(self, index: int, width: int) -> Text:
        assert self.report is not None
        hit = self.hits[index]
        text = source_text(self.report, hit.section)
        left = max(0, hit.start - CONTEXT_BEFORE)
        spans: list[tuple[int, int]] = []
        if left and self.figures is not None:
            near = self.figures.overlapping(hit.section, left, hit.start)
            spans = [(figure.start, figure.end) for figure in near]
        left = context_start(text, left, hit.start, spans)  # not on a comma, nor in a figure
        before = text[left : hit.start].replace("\n", " ")
        after = text[hit.end : hit.end + width].replace("\n", " ")
        row = Text(no_wrap=True, overflow="ellipsis", end="")
        place = self._place(hit.section)
        padding = " " * max(1, PLACE_CELLS - cell_width(place))
        row.append(place + padding, self.component_style("results--section"))
        row.append(before)
        row.append(hit.text, self.component_style("results--hit"))
        # Cut the text after the hit to the room left (with its "…") here: left
        # to ``Text.truncate``, every row went through rich's grapheme splitting,
        # half the cost of drawing the results of a keystroke.
        room = width - cell_width(row.plain)  # cells as the terminal draws them
        if room >= 2:
            after = truncate_cells(after, room, pad=True)
        row.append(after)
        return fit_text(row, width)  # the rare row whose hit itself is too wide

    def _place(self, section_id: str) -> str:
        assert self.report is not None
        if section_id == TITLE_ID:
            return _("Title")
        if section_id == META_ID:
            return _("Header")
        return place_of(self.report, section_id)


class SearchBar(Vertical):
    """A docked bar: results above, then ``/`` input and ``3/17`` counter."""

    DEFAULT_CSS = """
    SearchBar {
        dock: bottom;
        height: 12;  /* its border, ten result rows and the input row */
        max-height: 50%;
        display: none;
        background: $panel;
        border-top: hkey $primary;
    }
    SearchBar.-open { display: block; }
    SearchBar Horizontal { height: 1; }
    SearchBar #search-prompt { width: 2; color: $accent; text-style: bold; }
    SearchBar Input, SearchBar Input:focus {
        border: none;
        height: 1;
        padding: 0;
        width: 1fr;
        background: $panel;
    }
    SearchBar #search-count { width: 14; color: $text-muted; padding: 0 1; text-align: right; }
    """

    BINDINGS = [
        Binding("escape", "close", N_("Close search"), id="search.close"),
        Binding("down", "results_down", N_("Next result"), show=False, id="search.results_down"),
        Binding("up", "results_up", N_("Previous result"), show=False, id="search.results_up"),
    ]

    class QueryChanged(Message):
        """The text in the search input changed."""

        def __init__(self, query: str) -> None:
            self.query = query
            super().__init__()

    class Submitted(Message):
        """Enter: jump to the hit highlighted in the results (or the first)."""

        def __init__(self, hit_index: int | None) -> None:
            self.hit_index = hit_index
            super().__init__()

    class Closed(Message):
        """Esc: the bar closed; ``keep_hits`` is False when the search is abandoned."""

        def __init__(self, keep_hits: bool) -> None:
            self.keep_hits = keep_hits
            super().__init__()

    class ResultChosen(Message):
        """A result was picked in the list (click or Enter on it)."""

        def __init__(self, hit_index: int) -> None:
            self.hit_index = hit_index
            super().__init__()

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        # Made here, not looked up: the screen may use them before they are mounted.
        self._results = ResultsList(id="search-results")
        self._input = QueryInput(
            placeholder=_("pinyin or hanzi: fzzf, fazhi, 法治…"), id="search-input"
        )
        self._count = CountLine(id="search-count")
        self._results.empty_text = _hint()

    def compose(self) -> ComposeResult:
        yield self._results
        with Horizontal():
            yield Static("/", id="search-prompt")
            yield self._input
            yield self._count

    @property
    def input(self) -> Input:
        return self._input

    @property
    def results(self) -> ResultsList:
        return self._results

    @property
    def is_open(self) -> bool:
        return self.has_class("-open")

    def open(self) -> None:
        self.add_class("-open")
        self.input.focus()
        if self.input.value:
            self.input.action_select_all()

    def action_close(self) -> None:
        self.remove_class("-open")
        self.post_message(self.Closed(keep_hits=False))

    def close_keeping_hits(self) -> None:
        self.remove_class("-open")
        self.post_message(self.Closed(keep_hits=True))

    def refresh_language(self) -> None:
        """The placeholder in the language now in use (the count follows the search)."""
        self._input.placeholder = _("pinyin or hanzi: fzzf, fazhi, 法治…")
        if not self._input.value.strip():
            self._results.set_empty_text(_hint())

    def set_status(self, status: str, detail: str | None = None) -> None:
        """The counter (``3/17``, ``no hits``, ``indexing…``), also said in an empty
        list, or ``detail`` there when given (why nothing can be found)."""
        # A fixed-width box: no layout pass per keystroke. The longer counter of
        # a report still being indexed ("17 hits in the first 11%") widens it,
        # once, to a second fixed width, and its end narrows it again.
        cells = cell_width(status)
        width = COUNT_WIDTH if cells + 2 <= COUNT_WIDTH else WIDE_COUNT_WIDTH
        if self._count.styles.width != Scalar.from_number(width):
            self._count.styles.width = width
        self._count.say(status)
        self._results.set_empty_text((detail or status) if self._input.value.strip() else _hint())

    def set_hits(self, report: Report, hits: HitList, figures: FigureSpans | None = None) -> None:
        """Show every hit in the results list (rows are drawn only when visible).

        The list keeps its size with or without hits: only its rows are redrawn.
        ``figures`` (the report's, by section) keep each row's context from
        beginning inside one.
        """
        self.results.set_hits(report, hits, figures)

    def highlight_result(self, index: int) -> None:
        self.results.move_cursor(index)

    def action_results_down(self) -> None:
        self.results.action_move(1)

    def action_results_up(self) -> None:
        self.results.action_move(-1)

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.post_message(self.QueryChanged(event.value))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        results = self.results
        self.post_message(self.Submitted(results.cursor if results.row_count else None))

    @on(RowList.Chosen, "#search-results")
    def _result_chosen(self, event: RowList.Chosen) -> None:
        event.stop()
        self.post_message(self.ResultChosen(event.index))
