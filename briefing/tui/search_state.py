"""SearchState: the reader's current search, as plain data.

The query, its hits in reading order and which hit is current; the screen
turns changes of this state into marks, the results list and the counter.
No Textual here, so the rules (wrap-around, "first hit from here", the
``3/17`` text) are tested without an app.

``find_hits`` does everything that grows with the number of hits (the
search itself, reading order, the marks index) and is meant to run in a
worker thread: a one-letter query on a 5 MB report has 200,000 hits, and
the UI thread then only swaps the finished ``SearchResults`` in.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from briefing.i18n import _
from briefing.model import Match, Report
from briefing.tui.page import SpanIndex

if TYPE_CHECKING:
    from briefing.search.index import PinyinIndex


@dataclass(frozen=True)
class SearchResults:
    """The hits of one query in reading order, their sort keys and marks index."""

    query: str
    hits: list[Match]
    keys: list[tuple[int, int]]  # (section order, start) of each hit, ascending
    marks: SpanIndex[Match]


def order_hits(query: str, hits: list[Match], report: Report) -> SearchResults:
    """Hits (any order) as ``SearchResults`` in reading order."""
    order = report.index_of
    keyed = sorted(((order(m.section), m.start, m.end), m) for m in hits)
    ordered = [m for _, m in keyed]
    return SearchResults(
        query, ordered, [(k[0], k[1]) for k, _ in keyed], SpanIndex(ordered)
    )


def find_hits(index: PinyinIndex, query: str, report: Report, *, fuzzy: bool) -> SearchResults:
    """Search and prepare the results for the screen (call from a worker thread)."""
    # Title and metadata hits (pseudo-sections) have no place in the page.
    return order_hits(query, index.search(query, fuzzy=fuzzy, fields=False), report)


@dataclass
class SearchState:
    query: str = ""
    hits: list[Match] = field(default_factory=list)
    position: int = -1  # index of the current hit, -1 before the first jump
    marks: SpanIndex[Match] = field(default_factory=SpanIndex)
    pending: bool = False  # a search for ``query`` is running: the counter says so
    _keys: list[tuple[int, int]] = field(default_factory=list)

    def set_results(self, query: str, hits: list[Match], report: Report) -> None:
        """New hits for ``query`` (any order), kept in reading order, none current yet."""
        self.apply(order_hits(query, hits, report))

    def apply(self, results: SearchResults) -> None:
        """Take results prepared by ``find_hits``/``order_hits`` (no work per hit here)."""
        self.query = results.query
        self.hits = results.hits
        self._keys = results.keys
        self.marks = results.marks
        self.position = -1
        self.pending = False

    def clear(self) -> None:
        self.apply(SearchResults("", [], [], SpanIndex()))

    @property
    def current(self) -> Match | None:
        return self.hits[self.position] if self.hits and self.position >= 0 else None

    def first_from(self, report: Report, section_id: str, offset: int) -> int:
        """Index of the first hit at or after a place in the report (wraps to 0)."""
        position = bisect_left(self._keys, (report.index_of(section_id), offset))
        return position if position < len(self.hits) else 0

    def select(self, position: int) -> Match | None:
        """Make hit ``position`` (taken modulo the count, so n/N wrap) current."""
        if not self.hits:
            return None
        self.position = position % len(self.hits)
        return self.hits[self.position]

    def status(self) -> str:
        """The counter: ``3/17``, ``17 hits`` (17 处) before a jump, ``no hits`` for none."""
        if not self.query.strip():
            return ""
        if self.pending:
            return "…"
        if not self.hits:
            return _("no hits")
        if self.position < 0:
            return _("{count} hits").format(count=len(self.hits))
        return f"{self.position + 1}/{len(self.hits)}"
