"""Search every report of the library at once."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from briefing.library.catalogue import LibraryEntry
from briefing.model import Match

if TYPE_CHECKING:
    from briefing.library.core import Library
    from briefing.model import Report
    from briefing.search import PinyinIndex

SNIPPET_WIDTH = 40


@dataclass(frozen=True)
class LibraryHit:
    """A hit in one report of the library."""

    entry: LibraryEntry
    match: Match  # match.section may be "title" or "meta"
    snippet: str


class LibrarySearcher:
    """Every report's index, loaded once; ``search`` per keystroke."""

    def __init__(self, parts: list[tuple[LibraryEntry, Report, PinyinIndex]]) -> None:
        self._parts = parts

    @classmethod
    def load(cls, library: Library) -> LibrarySearcher:
        from briefing.library.catalogue import LibraryError
        from briefing.search import load_index

        parts = []
        for entry in library.entries():
            try:
                report = library.load(entry)
            except LibraryError as error:
                library.warnings.append(str(error))
                continue
            index = load_index(report)
            if index is not None:
                parts.append((entry, report, index))
        return cls(parts)

    def search(
        self, query: str, *, fuzzy: bool = False, limit: int | None = None
    ) -> list[LibraryHit]:
        """Hits in every report, best first (ties: library order, then document order)."""
        from briefing.search import snippet

        if limit is not None and limit <= 0:
            return []
        ranked = []
        for k, (entry, report, index) in enumerate(self._parts):
            for n, match in enumerate(index.search(query, fuzzy=fuzzy, limit=limit)):
                ranked.append((-match.score, k, n, entry, report, match))
        ranked.sort(key=lambda item: item[:3])
        if limit is not None:
            del ranked[limit:]
        return [
            LibraryHit(entry, match, snippet(report, match, width=SNIPPET_WIDTH)[0])
            for _, _, _, entry, report, match in ranked
        ]
