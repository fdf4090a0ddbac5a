"""Search every report of the library at once, through the combined index (``index.py``)."""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from briefing.i18n import _
from briefing.library.catalogue import LibraryEntry, LibraryError
from briefing.model import Match

if TYPE_CHECKING:
    from briefing.library.core import Library
    from briefing.library.index import CombinedIndex
    from briefing.model import Report
    from briefing.search.readings import Readings

SNIPPET_WIDTH = 40
INDEX_DIR = "index"
INDEX_FILE = "library.bin"
#: Searches whose hits the searcher keeps: typing back over a query (a backspace,
#: then the same letter) costs nothing the second time. Long lists are not kept
#: (an unlimited one-letter search has a million hits).
_RESULTS_KEPT = 32
_RESULT_MAX_HITS = 2000


@dataclass(frozen=True)
class LibraryHit:
    """A hit in one report of the library."""

    entry: LibraryEntry
    match: Match  # match.section may be "title" or "meta"
    snippet: str
    #: Where the hit is: the section's number and title, the field's label for a
    #: hit in the metadata header, "" for the title.
    place: str = ""


def searchable_entries(library: Library) -> list[LibraryEntry]:
    """The entries the index covers: those whose stored copy is there (others are warned)."""
    out = []
    isfile = os.path.isfile  # a thousand stats: without Path's wrappers around each
    for entry in library.entries():
        if isfile(entry.stored_path):
            out.append(entry)
        else:
            message = _(
                "the stored copy of {title} ({id}) is missing: it is left out of the search"
            ).format(title=entry.title or entry.id[:12], id=entry.id[:12])
            if message not in library.warnings:
                library.warnings.append(message)
    return out


def report_readings(report: Report) -> Readings:
    """The report's readings from the readings cache, computed (and cached) if missing."""
    from briefing.search.cache import load_readings, save_readings
    from briefing.search.index import joined_text

    text = joined_text(report)
    readings = load_readings(report.sha256, text)
    if readings is None:
        from briefing.search.readings import compute_readings

        readings = compute_readings(text)
        save_readings(report.sha256, text, readings)
    return readings


def ensure_index(library: Library, *, rebuild: bool = False) -> CombinedIndex:
    """The combined index for the library as it is now: loaded, else built and saved.

    The reports it covers are read again under the library's lock, so that two
    processes adding at once cannot leave an index without the other's report.
    """
    from briefing.library import index as combined

    path = library.folder / INDEX_DIR / INDEX_FILE
    if not rebuild:
        entries = searchable_entries(library)
        expected = combined.member_key((e.id, e.report_sha256) for e in entries)
        found = combined.load(path, expected)
        if found is not None:
            return found
    try:
        with library._locked():
            entries = searchable_entries(library)
            if not rebuild:  # another process may have built it while we waited
                expected = combined.member_key((e.id, e.report_sha256) for e in entries)
                found = combined.load(path, expected)
                if found is not None:
                    return found
            built, data = _appended(library, path, entries) or _build(library, entries)
            _save(path, data)
            return built
    except LibraryError:
        # A read-only library is still searched: built in memory only.
        return _build(library, searchable_entries(library))[0]


def _appended(
    library: Library, path: Path, entries: list[LibraryEntry]
) -> tuple[CombinedIndex, bytes] | None:
    """The index on disk with the reports added since it was built, if that is all
    that changed (the common case: ``library add``); else None (build it all)."""
    from briefing.library import index as combined

    old = combined.load(path, None)
    if old is None or not old.members:
        return None
    have = [[m.entry_id, m.report_sha256] for m in old.members]
    now = combined.member_key((e.id, e.report_sha256) for e in entries)
    if len(now) <= len(have) or now[: len(have)] != have:
        return None
    sources = []
    for entry in entries[len(have) :]:
        report = library.load(entry)
        readings = report_readings(report)
        sources.append(combined.Source(entry.id, entry.report_sha256, report, readings))
    return combined.append(old, sources)


def _build(library: Library, entries: list[LibraryEntry]) -> tuple[CombinedIndex, bytes]:
    from briefing.library import index as combined

    sources = []
    for entry in entries:
        report = library.load(entry)
        readings = report_readings(report)
        sources.append(combined.Source(entry.id, entry.report_sha256, report, readings))
    return combined.build(sources)


def _save(path, data: bytes) -> None:
    from briefing.store.files import atomic_write_bytes

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_bytes(path, data, new_mode=0o644)
    except OSError:
        pass  # a full or read-only disk: searched from memory this time


class LibrarySearcher:
    """The combined index loaded once; ``search`` per keystroke."""

    def __init__(self, entries: list[LibraryEntry], combined: CombinedIndex) -> None:
        by_id = {e.id: e for e in entries}
        self._entries = [by_id[m.entry_id] for m in combined.members]
        self._combined = combined
        self._lock = threading.Lock()
        self._results: OrderedDict[tuple[str, bool, int | None], list[LibraryHit]] = OrderedDict()

    @classmethod
    def load(cls, library: Library) -> LibrarySearcher:
        combined = ensure_index(library)
        return cls(library.entries(), combined)

    @property
    def entries(self) -> list[LibraryEntry]:
        """The reports searched, in library order."""
        return list(self._entries)

    def search(
        self, query: str, *, fuzzy: bool = False, limit: int | None = None
    ) -> list[LibraryHit]:
        """Hits in every report, best first (ties in library order, then document order)."""
        if limit is not None and limit <= 0:
            return []
        key = (query, fuzzy, limit)
        with self._lock:
            kept = self._results.get(key)
            if kept is not None:
                self._results.move_to_end(key)
                return list(kept)
        out = self._search(query, fuzzy, limit)
        if len(out) > _RESULT_MAX_HITS:
            return out
        with self._lock:
            self._results[key] = out
            while len(self._results) > _RESULTS_KEPT:
                self._results.popitem(last=False)
        return list(out)

    def _search(self, query: str, fuzzy: bool, limit: int | None) -> list[LibraryHit]:
        from briefing.library.index import Part, VirtualReport
        from briefing.search import META_ID, snippet

        combined = self._combined
        matches = combined.index.search(query, fuzzy=fuzzy, limit=limit)
        out = []
        for match in matches:
            member = int(match.section)
            k, section, base, text = combined.hit_part(member, match.start)
            local = replace(match, section=section, start=match.start - base, end=match.end - base)
            shown = snippet(VirtualReport([Part(section, text)]), local, width=SNIPPET_WIDTH)[0]
            if section == META_ID:  # the label of the field the hit is in
                text = str(text)
                line = text[text.rfind("\n", 0, local.start) + 1 :].split("\n", 1)[0]
                place = " ".join(line.split(":", 1)[0].split())
            else:
                labels = combined.labels_of(member)
                place = labels[k] if k < len(labels) else ""
            out.append(LibraryHit(self._entries[member], local, shown, place))
        return out
