"""The reader's search state without an app: order, wrap-around, counter text."""

from __future__ import annotations

import briefing
from briefing.model import Match
from briefing.search import load_index, sort_document_order
from briefing.tui.search_state import ListHits, SearchResults, SearchState

REPORT = briefing.load_report()
ORDER = {s.id: k for k, s in enumerate(REPORT.sections)}


def results(query: str, hits: list[Match]) -> SearchResults:
    return SearchResults(query, ListHits(hits, ORDER))


def hit(section: str, start: int) -> Match:
    text = REPORT.section(section).text[start : start + 2]
    return Match(section, start, start + 2, text, "hanzi", 1.0)


def test_hits_are_kept_in_reading_order_and_wrap() -> None:
    state = SearchState()
    state.apply(results("fz", [hit("2.1", 5), hit("0", 9), hit("1.1", 3), hit("0", 2)]))
    places = [(h.section, h.start) for h in state.hits]
    assert places == [("0", 2), ("0", 9), ("1.1", 3), ("2.1", 5)]
    assert state.status() == "4 hits" and state.current is None
    assert state.select(5) == state.hits[1]
    assert state.status() == "2/4"
    assert state.select(-1) == state.hits[3]
    assert state.status() == "4/4"


def test_first_hit_from_a_place() -> None:
    state = SearchState()
    state.apply(results("fz", [hit("0", 2), hit("1.1", 3), hit("2.1", 5)]))
    assert state.first_from("1", 0) == 1
    assert state.first_from("1.1", 3) == 1
    assert state.first_from("1.1", 4) == 2
    assert state.first_from("8", 0) == 0  # past the last hit: wrap to the first


def test_empty_query_and_no_hits() -> None:
    state = SearchState()
    state.apply(results("  ", []))
    assert state.status() == ""
    state.apply(results("qqq", []))
    assert state.status() == "no hits"
    assert state.select(3) is None
    state.clear()
    assert state.query == "" and len(state.hits) == 0 and state.position == -1
    assert state.current is None


INDEX = load_index(REPORT)


def test_document_hits_are_the_search_in_document_order() -> None:
    """The reader's lazy hits: the same matches ``search`` gives, title and header first."""
    for query in ("fz", "法治", "changzhou", "f", "zhengfu", "98.4", "qqqq"):
        lazy = INDEX.document_hits(query)
        every = sort_document_order(INDEX.search(query), REPORT)
        assert len(lazy) == len(every)
        assert [lazy[i] for i in range(len(lazy))] == every
    hits = INDEX.document_hits("fazhi")
    assert hits[0].section == "title"  # the title comes first, as in the document
    assert hits[-1] == hits[len(hits) - 1]


def test_document_hits_by_place() -> None:
    hits = INDEX.document_hits("f")
    every = [hits[i] for i in range(len(hits))]
    order = {"title": -2, "meta": -1, **ORDER}
    for section in ("title", "0", "2.1", REPORT.sections[-1].id):
        text = REPORT.section(section).text if section in ORDER else REPORT.metadata.title
        for offset in (0, 7, len(text) // 2, len(text)):
            place = (order[section], offset)
            before = sum(1 for m in every if (order[m.section], m.start) < place)
            assert hits.position_of(section, offset) == before
            low, high = offset, offset + 30
            expected = [m for m in every if m.section == section and m.end > low and m.start < high]
            assert hits.overlapping(section, low, high) == expected
