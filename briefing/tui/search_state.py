"""SearchState: the reader's current search, as plain data.

The query, its hits in reading order and which hit is current; the screen
turns changes of this state into marks, the results list and the counter.
No Textual here, so the rules (wrap-around, "first hit from here", the
``3/17`` text) are tested without an app.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from briefing.model import Match, Report


@dataclass
class SearchState:
    query: str = ""
    hits: list[Match] = field(default_factory=list)
    position: int = -1  # index of the current hit, -1 before the first jump

    def set_results(self, query: str, hits: list[Match], report: Report) -> None:
        """New hits for ``query`` (any order), kept in reading order, none current yet."""
        order = report.index_of
        self.query = query
        self.hits = sorted(hits, key=lambda m: (order(m.section), m.start, m.end))
        self.position = -1

    def clear(self) -> None:
        self.query = ""
        self.hits = []
        self.position = -1

    @property
    def current(self) -> Match | None:
        return self.hits[self.position] if self.hits and self.position >= 0 else None

    def first_from(self, report: Report, section_id: str, offset: int) -> int:
        """Index of the first hit at or after a place in the report (wraps to 0)."""
        order = report.index_of
        here = (order(section_id), offset)
        for position, hit in enumerate(self.hits):
            if (order(hit.section), hit.start) >= here:
                return position
        return 0

    def select(self, position: int) -> Match | None:
        """Make hit ``position`` (taken modulo the count, so n/N wrap) current."""
        if not self.hits:
            return None
        self.position = position % len(self.hits)
        return self.hits[self.position]

    def status(self) -> str:
        """The counter: ``3/17``, ``17 处`` before a jump, ``无结果 0`` for none."""
        if not self.query.strip():
            return ""
        if not self.hits:
            return "无结果 0"
        if self.position < 0:
            return f"{len(self.hits)} 处"
        return f"{self.position + 1}/{len(self.hits)}"
