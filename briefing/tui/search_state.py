"""SearchState: the reader's current search, as plain data.

The query, its hits in document order and which hit is current; the screen
turns changes of this state into marks, the results list and the counter.
No Textual here, so the rules (wrap-around, "first hit from here", the
``3/17`` text) are tested without an app.

Hits are never listed: a one-letter query on a 5 MB report has 200,000 of
them. ``find_hits`` runs the search in a worker thread and hands the screen
a ``HitList`` (``PinyinIndex.document_hits``): its length is the count, and
the current hit and the hits on screen are built one by one when asked for,
each a binary search. Title and metadata hits come first (pseudo-sections
``"title"`` and ``"meta"``), as they come first in the document.
"""

from __future__ import annotations

from collections.abc import Container
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from briefing.i18n import P_, _
from briefing.model import Match
from briefing.text import NOTHING_TO_SEARCH, has_something_to_find

if TYPE_CHECKING:
    from briefing.search.index import PinyinIndex


class HitList(Protocol):
    """Hits in document order, built on demand (``search.index.DocumentHits``)."""

    def __len__(self) -> int: ...

    def __getitem__(self, i: int) -> Match: ...

    def position_of(self, section_id: str, offset: int) -> int: ...

    def overlapping(self, section_id: str, low: int, high: int) -> list[Match]: ...


class NoHits:
    """The hits of no search (or of a query with none)."""

    count = 0

    def __len__(self) -> int:
        return 0

    def __bool__(self) -> bool:
        return False

    def __getitem__(self, i: int) -> Match:
        raise IndexError(i)

    def position_of(self, section_id: str, offset: int) -> int:
        return 0

    def overlapping(self, section_id: str, low: int, high: int) -> list[Match]:
        return []


NO_HITS = NoHits()


class ListHits:
    """A ``HitList`` over a few hits already in hand (tests, small fallbacks)."""

    def __init__(self, hits: list[Match], order: dict[str, int]) -> None:
        self._order = order
        self._hits = sorted(hits, key=lambda m: (order.get(m.section, -1), m.start, m.end))

    def __len__(self) -> int:
        return len(self._hits)

    def __getitem__(self, i: int) -> Match:
        return self._hits[i]

    def position_of(self, section_id: str, offset: int) -> int:
        place = (self._order.get(section_id, -1), offset)
        return sum(1 for m in self._hits if (self._order.get(m.section, -1), m.start) < place)

    def overlapping(self, section_id: str, low: int, high: int) -> list[Match]:
        high = max(high, low + 1)
        return [m for m in self._hits if m.section == section_id and m.end > low and m.start < high]


class PrefixHits:
    """The hits of an index over the first sections of a report, made while the
    rest is still being indexed: a section past them comes after every hit."""

    def __init__(self, hits: HitList, covered: Container[str]) -> None:
        self._hits = hits
        self._covered = covered  # ids of the sections indexed (and title, metadata)

    def __len__(self) -> int:
        return len(self._hits)

    def __getitem__(self, i: int) -> Match:
        return self._hits[i]

    def position_of(self, section_id: str, offset: int) -> int:
        if section_id not in self._covered:
            return len(self._hits)
        return self._hits.position_of(section_id, offset)

    def overlapping(self, section_id: str, low: int, high: int) -> list[Match]:
        if section_id not in self._covered:
            return []
        return self._hits.overlapping(section_id, low, high)


@dataclass(frozen=True)
class SearchResults:
    """What a worker found for one query; ``covered``: the percentage of the
    report searched, when only a first part of it is indexed yet."""

    query: str
    hits: HitList
    covered: int | None = None


def find_hits(
    index: PinyinIndex, query: str, *, fuzzy: bool, covered: int | None = None
) -> SearchResults:
    """Search (call from a worker thread): every hit found, none built yet.

    ``covered``: ``index`` is over the first ``covered`` % of the report only
    (its sections are the report's first ones), the rest being indexed.
    """
    hits = index.document_hits(query, fuzzy=fuzzy)
    if covered is None:
        return SearchResults(query, hits)
    from briefing.search.index import FIELD_IDS

    part = index.report
    ids = {*FIELD_IDS, *(section.id for section in part.sections)}
    return SearchResults(query, PrefixHits(hits, ids), covered)


@dataclass
class SearchState:
    query: str = ""
    hits: HitList = field(default_factory=NoHits)
    position: int = -1  # number of the current hit, -1 before the first jump
    pending: bool = False  # a search for ``query`` is running: the counter says so
    covered: int | None = None  # percent of the report searched, while it is being indexed
    _current: Match | None = None

    def apply(self, results: SearchResults) -> None:
        """Take the results of a worker; no hit is current yet."""
        self.query = results.query
        self.hits = results.hits
        self.position = -1
        self._current = None
        self.pending = False
        self.covered = results.covered

    def clear(self) -> None:
        self.apply(SearchResults("", NO_HITS))

    @property
    def count(self) -> int:
        return len(self.hits)

    @property
    def current(self) -> Match | None:
        return self._current

    def first_from(self, section_id: str, offset: int) -> int:
        """Number of the first hit at or after a place in the report (wraps to 0)."""
        position = self.hits.position_of(section_id, offset)
        return position if position < self.count else 0

    def select(self, position: int) -> Match | None:
        """Make hit ``position`` (taken modulo the count, so n/N wrap) current."""
        if not self.count:
            return None
        self.position = position % self.count
        self._current = self.hits[self.position]
        return self._current

    def detail(self) -> str | None:
        """Why a query finds nothing, in the command line's words (said in the list)."""
        if self.query.strip() and not has_something_to_find(self.query):
            return _(NOTHING_TO_SEARCH)
        return None

    def status(self) -> str:
        """The counter: ``3/17``, ``17 hits`` (17 处) before a jump, ``no hits`` for none;
        while only part of the report is indexed, how much of it was searched."""
        if not self.query.strip():
            return ""
        if not has_something_to_find(self.query):
            return _("nothing to search for")
        if self.pending:
            return "…"
        if not self.count:
            counter = _("no hits")
        elif self.position < 0:
            counter = P_("{count} hit", "{count} hits", self.count).format(count=self.count)
        else:
            counter = f"{self.position + 1}/{self.count}"
        if self.covered is not None:
            return _("{counter} in the first {percent}%").format(
                counter=counter, percent=self.covered
            )
        return counter
