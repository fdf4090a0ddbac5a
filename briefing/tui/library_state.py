"""The library screen's data, as plain Python (no Textual).

What a row of the library shows beyond the catalogue (notes count, last read,
how far), the pinyin filter over titles and publishers, and library-wide
search hits grouped by report. Kept apart from the screen so the rules are
tested without an app, and so the screen only swaps finished lists in.

Library objects are used through the API of ``briefing.library`` (see
/work/brief/LIBRARY_API.md): ``entries()``, ``load(entry)``, ``searcher()``.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from briefing.model import Match, Report

if TYPE_CHECKING:
    from briefing.search.texts import TextIndex
    from briefing.store import Store


class Entry(Protocol):
    """The fields of ``briefing.library.LibraryEntry`` the screen uses."""

    id: str
    report_sha256: str
    title: str
    publisher: str
    date: str
    bundled: bool


@dataclass(frozen=True)
class Activity:
    """What the notes store knows of one report: notes and the last reading position."""

    notes: int = 0
    section: str = ""  # section id of the last position ("" if never read)
    section_title: str = ""
    paragraph: int = 0
    last_read: str = ""  # ISO 8601 of the last position saved


@dataclass(frozen=True)
class LibraryRow:
    """One report in the list."""

    entry: Any  # a LibraryEntry
    activity: Activity
    progress: int | None = None  # percent read, once computed from the report


def is_library_problem(error: BaseException) -> bool:
    """Whether an error is one to tell the user in a line (a missing copy, a damaged
    catalogue, a locked store), not a bug."""
    from briefing.source import SourceError
    from briefing.store import StoreError

    if isinstance(error, OSError | StoreError | SourceError):
        return True
    try:
        from briefing.library import LibraryError
    except ImportError:
        return False
    return isinstance(error, LibraryError)


def _text(record: dict[str, Any], key: str) -> str:
    value = record.get(key)
    return value if isinstance(value, str) else ""


def _int(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def read_activity(store: Store, entries: Sequence[Entry]) -> dict[str, Activity]:
    """Notes count and last position per entry id, in one pass over each table.

    A record belongs to a report by its sha256, or by its title when it was
    made on another edition of the same report (as the reader re-anchors it).
    Linear in notes + entries, so a library of 1,000 reports with 50,000
    notes is one scan, not 1,000.
    """
    by_sha: dict[str, list[str]] = {}
    by_title: dict[str, list[str]] = {}
    for entry in entries:
        by_sha.setdefault(entry.report_sha256, []).append(entry.id)
        if entry.title:
            by_title.setdefault(entry.title, []).append(entry.id)

    def owners(record: dict[str, Any]) -> set[str]:
        found = set(by_sha.get(_text(record, "report"), ()))
        found.update(by_title.get(_text(record, "report_title"), ()))
        return found

    notes: dict[str, int] = {}
    for _key, record in store.storage.records("notes"):
        for entry_id in owners(record):
            notes[entry_id] = notes.get(entry_id, 0) + 1
    # The position saved on this very edition wins over a newer one of another.
    positions: dict[str, tuple[tuple[bool, str], dict[str, Any]]] = {}
    for _key, record in store.storage.records("reading_state"):
        same = by_sha.get(_text(record, "report"), ())
        for entry_id in owners(record):
            rank = (entry_id in same, _text(record, "updated"))
            held = positions.get(entry_id)
            if held is None or rank > held[0]:
                positions[entry_id] = (rank, record)
    result: dict[str, Activity] = {}
    for entry in entries:
        record = positions.get(entry.id, (None, {}))[1]
        result[entry.id] = Activity(
            notes=notes.get(entry.id, 0),
            section=_text(record, "section"),
            section_title=_text(record, "section_title"),
            paragraph=_int(record.get("paragraph")),
            last_read=_text(record, "updated"),
        )
    return result


def reading_percent(report: Report, section_id: str, paragraph: int) -> int:
    """How far into ``report`` a position is, in percent of its characters."""
    total = sum(len(s.text) for s in report.sections)
    if total <= 0 or not report.has_section(section_id):
        return 0
    before = 0
    for section in report.sections:
        if section.id == section_id:
            lines = section.text.split("\n")
            before += sum(len(line) + 1 for line in lines[: max(0, paragraph) + 1])
            break
        before += len(section.text)
    return max(0, min(100, round(100 * before / total)))


# -- the filter ------------------------------------------------------------------


def _haystack(entry: Entry) -> str:
    """What the filter looks in: title, publisher and date, one per line (so that a
    match never runs from a title into a publisher)."""
    return "\n".join(x for x in (entry.title, entry.publisher, entry.date) if x)


class TitleFilter:
    """Filters entries by a query over title, publisher and date.

    A plain substring match (case-insensitive) works at once; the project's
    pinyin engine (``briefing.search.texts.TextIndex``) is built on first use in
    ``prepare()`` (call it from a worker thread: pypinyin takes ~0.5 s to
    import), and from then on ``match`` also finds ``huaian`` → 淮安,
    ``hasrmzf`` → 淮安市人民政府, ``淮an``. Entries come back best match first,
    ties in catalogue order.
    """

    def __init__(self, entries: Sequence[Entry]) -> None:
        self.entries = list(entries)
        self._texts = [_haystack(e) for e in self.entries]
        self._folded = [t.casefold() for t in self._texts]
        self._index: TextIndex | None = None
        self._lock = threading.Lock()

    @property
    def ready(self) -> bool:
        """Whether pinyin queries are understood yet."""
        return self._index is not None

    def prepare(self) -> None:
        """Build the pinyin index over the catalogue (slow the first time: a worker's job)."""
        with self._lock:
            if self._index is None:
                from briefing.search.texts import TextIndex

                self._index = TextIndex(self._texts)

    def match(self, query: str) -> list[int]:
        """Indexes of the entries that ``query`` finds (all of them for a blank query)."""
        query = query.strip()
        if not query:
            return list(range(len(self.entries)))
        folded = query.casefold()
        literal = [i for i, text in enumerate(self._folded) if folded in text]
        if self._index is None:
            return literal
        found = [i for i, _match in self._index.search(query)]
        seen = set(found)
        # A literal match the engine does not make (punctuation inside the query …).
        return found + [i for i in literal if i not in seen]


# -- library-wide search -----------------------------------------------------------


@dataclass(frozen=True)
class HitRow:
    """A row of the grouped results: a report's heading (``hit`` None) or one hit."""

    entry: Any  # a LibraryEntry
    hit: Match | None = None
    snippet: str = ""
    count: int = 0  # on a heading: the report's hits
    place: str = ""  # on a hit: its section (number and title) or header field


def group_hits(hits: Iterable[Any]) -> list[HitRow]:
    """Hits (``LibraryHit``, best first) as rows grouped by report.

    Reports come in the order of their best hit; under each, its hits in
    score order (as the searcher gave them).
    """
    groups: dict[str, tuple[Any, list[Any]]] = {}
    for hit in hits:
        entry = hit.entry
        groups.setdefault(entry.id, (entry, []))[1].append(hit)
    rows: list[HitRow] = []
    for entry, members in groups.values():
        rows.append(HitRow(entry, None, "", len(members)))
        rows.extend(
            HitRow(entry, m.match, m.snippet, place=getattr(m, "place", "")) for m in members
        )
    return rows
