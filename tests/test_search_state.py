"""The reader's search state without an app: order, wrap-around, counter text."""

from __future__ import annotations

import briefing
from briefing.model import Match
from briefing.tui.search_state import SearchState

REPORT = briefing.load_report()


def hit(section: str, start: int) -> Match:
    text = REPORT.section(section).text[start : start + 2]
    return Match(section, start, start + 2, text, "hanzi", 1.0)


def test_hits_are_kept_in_reading_order_and_wrap() -> None:
    state = SearchState()
    state.set_results("fz", [hit("2.1", 5), hit("0", 9), hit("1.1", 3), hit("0", 2)], REPORT)
    places = [(h.section, h.start) for h in state.hits]
    assert places == [("0", 2), ("0", 9), ("1.1", 3), ("2.1", 5)]
    assert state.status() == "4 hits" and state.current is None
    assert state.select(5) == state.hits[1]
    assert state.status() == "2/4"
    assert state.select(-1) == state.hits[3]
    assert state.status() == "4/4"


def test_first_hit_from_a_place() -> None:
    state = SearchState()
    state.set_results("fz", [hit("0", 2), hit("1.1", 3), hit("2.1", 5)], REPORT)
    assert state.first_from(REPORT, "1", 0) == 1
    assert state.first_from(REPORT, "1.1", 3) == 1
    assert state.first_from(REPORT, "1.1", 4) == 2
    assert state.first_from(REPORT, "8", 0) == 0  # past the last hit: wrap to the first


def test_empty_query_and_no_hits() -> None:
    state = SearchState()
    state.set_results("  ", [], REPORT)
    assert state.status() == ""
    state.set_results("qqq", [], REPORT)
    assert state.status() == "no hits"
    assert state.select(3) is None
    state.clear()
    assert state.query == "" and state.hits == [] and state.position == -1
