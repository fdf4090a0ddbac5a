"""Repositories for bookmarks, notes, reading position and settings.

Every method runs as one transaction: it takes the database lock, reads the
file afresh through a new TinyDB object (so no cached table or next-id can be
stale), changes it and writes it back before releasing the lock.

Records are keyed by the report's sha256 and also carry its title and the
section's title, so that on a new edition (new sha256, same title) they can
be found again.  Re-anchored records are written back with status ``moved``
and their first anchor kept under ``original``; orphans are left untouched on
disk and listed last, never dropped.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from tinydb import TinyDB
from tinydb.table import Table

from briefing.model import Bookmark, Note, Quote, ReadingState, Report, Section
from briefing.source import clean_text
from briefing.store.anchors import AnchorError, locate, make_quote, reanchor, similar
from briefing.store.storage import AtomicJSONStorage

Record = dict[str, Any]


class NotFound(LookupError):
    """No record with that id; the message is one line for the user."""


def now_iso() -> str:
    """Local time with its UTC offset, e.g. ``2024-05-01T10:00:00+08:00``."""
    from datetime import datetime  # not on the reader's start-up path

    return datetime.now().astimezone().isoformat(timespec="seconds")


def new_id() -> str:
    """A fresh record id (uuid4); uuid is imported only when something is added."""
    import uuid

    return str(uuid.uuid4())


def new_record(report: Report, section: Section, **fields: Any) -> Record:
    """The fields every bookmark and note record starts with (DESIGN §5)."""
    stamp = now_iso()
    return {
        "id": new_id(),
        "report": report.sha256,
        "report_title": report.title,
        "section": section.id,
        "section_title": section.title,
        "section_number": section.number,
        **fields,
        "status": "anchored",
        "created": stamp,
        "updated": stamp,
    }


def _section_or_error(report: Report, section_id: str) -> Section:
    if not report.has_section(section_id):
        raise AnchorError(f"no section {section_id!r} in this report (see `briefing sections`)")
    return report.section(section_id)


def _belongs(record: Record, report: Report) -> bool:
    """Made on this edition, or on another edition of the same report (same title)."""
    if record.get("report") == report.sha256:
        return True
    title = record.get("report_title")
    return bool(title) and title == report.title


class _Repository:
    table_name = ""

    def __init__(self, storage: AtomicJSONStorage) -> None:
        self._storage = storage

    @contextmanager
    def _table(self) -> Iterator[Table]:
        with self._storage.transaction():
            db = TinyDB(storage=_Borrowed(self._storage))
            yield db.table(self.table_name, cache_size=0)

    @staticmethod
    def _records(table: Table) -> list[Record]:
        return [doc for doc in table.all() if isinstance(doc, dict)]


class _Borrowed:
    """Lets a fresh TinyDB use our storage without closing it."""

    def __init__(self, storage: AtomicJSONStorage) -> None:
        self._storage = storage

    def __call__(self) -> AtomicJSONStorage:
        return self._storage


def _write_back(table: Table, changes: dict[int, Record]) -> None:
    """Apply several record changes with one write (we hold the lock)."""
    if not changes:
        return
    data = table.storage.read() or {}
    raw = data.get(table.name, {})
    for doc_id, change in changes.items():
        if str(doc_id) in raw:
            raw[str(doc_id)].update(change)
    table.storage.write(data)


def _append(storage: AtomicJSONStorage, table_name: str, record: Record) -> int:
    """Insert one record with one read and one write; returns its doc id.

    Same result as TinyDB's ``Table.insert`` (next id = highest id + 1), without
    its two copies of the whole table with every id converted to ``int`` and
    back: with 10,000 notes those took 10 ms of a 25 ms insert.
    """
    with storage.transaction():
        data = storage.read() or {}
        raw = data.get(table_name)
        if not isinstance(raw, dict):
            raw = data[table_name] = {}
        doc_id = max((int(key) for key in raw), default=0) + 1
        raw[str(doc_id)] = dict(record)
        storage.write(data)
    return doc_id


def _positions(report: Report) -> dict[str, int]:
    """Section id -> position in document order, what ``Report.index_of`` gives.

    Built once per listing: ``index_of`` scans the sections comparing them field
    by field, which took half of listing 10,000 notes.
    """
    return {section.id: i for i, section in enumerate(report.sections)}


def _original(record: Record) -> dict[str, Any]:
    """The first anchor of a record, kept forever once it moves."""
    if isinstance(record.get("original"), dict):
        return record["original"]
    keep = ("report", "report_title", "section", "section_title", "quote", "start", "end")
    return {key: record.get(key) for key in keep if key in record}


# -- bookmarks --------------------------------------------------------------


def _find_section(report: Report, section_id: str, title: str) -> tuple[Section, str] | None:
    """Follow a section to this edition: by id and title, then by title, then by id."""
    if report.has_section(section_id):
        same = report.section(section_id)
        if same.title == title or not title:
            return same, "same"
    if title:
        titled = [s for s in report.sections if s.title == title]
        if titled:
            return titled[0], "moved"
        if report.has_section(section_id):
            same = report.section(section_id)
            if same.title and similar(same.title, title) >= 0.8:
                return same, "moved"
    return None


def _bookmark(record: Record, section: str, status: str) -> Bookmark:
    return Bookmark(
        id=str(record.get("id", "")),
        report=str(record.get("report", "")),
        report_title=str(record.get("report_title", "")),
        section=section,
        section_title=str(record.get("section_title", "")),
        created=str(record.get("created", "")),
        updated=str(record.get("updated", "")),
        status=status,  # type: ignore[arg-type]
    )


class Bookmarks(_Repository):
    """Bookmarked sections, one per section and report."""

    table_name = "bookmarks"

    def _resolve(self, table: Table, report: Report) -> list[tuple[int, Record, Section | None]]:
        """Every bookmark of this report with the section it now points to."""
        out: list[tuple[int, Record, Section | None]] = []
        changes: dict[int, Record] = {}
        for doc in self._records(table):
            if not _belongs(doc, report):
                continue
            doc_id = doc.doc_id
            found = _find_section(report, str(doc.get("section", "")), doc.get("section_title", ""))
            section = found[0] if found else None
            if found and (found[1] != "same" or doc.get("report") != report.sha256):
                changes[doc_id] = {
                    "report": report.sha256,
                    "report_title": report.title,
                    "section": found[0].id,
                    "section_title": found[0].title,
                    "status": "moved" if found[1] != "same" else doc.get("status", "anchored"),
                    "original": _original(doc),
                    "updated": now_iso(),
                }
                doc = {**doc, **changes[doc_id]}
            out.append((doc_id, doc, section))
        _write_back(table, changes)
        return out

    def add(self, report: Report, section_id: str) -> Bookmark:
        """Bookmark a section; adding it twice keeps one bookmark."""
        section = _section_or_error(report, section_id)
        with self._table() as table:
            for _, doc, where in self._resolve(table, report):
                if where is not None and where.id == section.id:
                    return _bookmark(doc, section.id, doc.get("status", "anchored"))
            record = new_record(report, section)
            table.insert(record)
        return _bookmark(record, section.id, "anchored")

    def remove(self, report: Report, section_id: str) -> bool:
        """Remove the bookmark on a section; ``False`` if there was none."""
        with self._table() as table:
            doomed = [
                doc_id
                for doc_id, _, where in self._resolve(table, report)
                if where is not None and where.id == section_id
            ]
            if doomed:
                table.remove(doc_ids=doomed)
        return bool(doomed)

    def toggle(self, report: Report, section_id: str) -> bool:
        """Add or remove; returns whether the section is now bookmarked."""
        _section_or_error(report, section_id)
        if self.remove(report, section_id):
            return False
        self.add(report, section_id)
        return True

    def list(self, report: Report) -> list[Bookmark]:
        """This report's bookmarks in document order, orphans last."""
        with self._table() as table:
            resolved = self._resolve(table, report)
        seen: set[str] = set()
        placed: list[tuple[int, Bookmark]] = []
        positions = _positions(report)
        orphans: list[Bookmark] = []
        for _, doc, where in resolved:
            if where is None:
                orphans.append(_bookmark(doc, str(doc.get("section", "")), "orphaned"))
            elif where.id not in seen:
                seen.add(where.id)
                status = doc.get("status", "anchored")
                placed.append((positions[where.id], _bookmark(doc, where.id, status)))
        placed.sort(key=lambda item: item[0])
        return [b for _, b in placed] + orphans


# -- notes ------------------------------------------------------------------


def _quote_of(record: Record) -> Quote:
    raw = record.get("quote")
    if not isinstance(raw, dict):
        raw = {}
    return Quote(
        exact=str(raw.get("exact", "")),
        prefix=str(raw.get("prefix", "")),
        suffix=str(raw.get("suffix", "")),
    )


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def _note(record: Record, status: str | None = None, quote: Quote | None = None) -> Note:
    """The model of a stored note; ``quote`` saves decoding it again when known."""
    return Note(
        id=str(record.get("id", "")),
        report=str(record.get("report", "")),
        report_title=str(record.get("report_title", "")),
        section=str(record.get("section", "")),
        text=str(record.get("text", "")),
        quote=quote if quote is not None else _quote_of(record),
        start=_int(record.get("start")),
        end=_int(record.get("end")),
        created=str(record.get("created", "")),
        updated=str(record.get("updated", "")),
        status=status or record.get("status", "anchored"),  # type: ignore[arg-type]
    )


def clean_note_text(text: str) -> str:
    """What is stored of a note: the user's words without terminal controls."""
    return clean_text(text)


class Notes(_Repository):
    """The user's notes, each anchored to a passage of a section."""

    table_name = "notes"

    def add(
        self,
        report: Report,
        section_id: str,
        text: str,
        start: int | None = None,
        end: int | None = None,
        *,
        quote: str | None = None,
    ) -> Note:
        """Add a note on a quote, a span, or (neither given) the whole section.

        Raises ``AnchorError`` when the section or the quote is not in the report.
        """
        section = _section_or_error(report, section_id)
        if quote is not None:
            quote = clean_text(quote)
        begin, stop = locate(section, quote, start, end)
        anchor = make_quote(section.text, begin, stop)
        record = new_record(
            report,
            section,
            text=clean_note_text(text),
            quote={"exact": anchor.exact, "prefix": anchor.prefix, "suffix": anchor.suffix},
            start=begin,
            end=stop,
        )
        _append(self._storage, self.table_name, record)
        return _note(record)

    def _find(self, table: Table, note_id: str) -> Record | None:
        for doc in self._records(table):
            if doc.get("id") == note_id:
                return doc
        return None

    def update(self, note_id: str, text: str) -> Note:
        """Replace a note's text; a moved note counts as checked and becomes anchored."""
        with self._table() as table:
            doc = self._find(table, note_id)
            if doc is None:
                raise NotFound(f"no note with id {note_id}")
            changes = {"text": clean_note_text(text), "updated": now_iso()}
            if doc.get("status") == "moved":
                changes["status"] = "anchored"
            table.update(changes, doc_ids=[doc.doc_id])
            return _note({**doc, **changes})

    def remove(self, note_id: str) -> bool:
        with self._table() as table:
            doc = self._find(table, note_id)
            if doc is None:
                return False
            table.remove(doc_ids=[doc.doc_id])
            return True

    def get(self, note_id: str) -> Note | None:
        """A note as stored (not re-anchored)."""
        with self._table() as table:
            doc = self._find(table, note_id)
        return _note(doc) if doc is not None else None

    def match_id(self, prefix: str) -> str | None:
        """The one note id starting with ``prefix`` (a short id), or ``None``."""
        with self._table() as table:
            ids = [str(d.get("id", "")) for d in self._records(table)]
        if prefix in ids:
            return prefix
        hits = [i for i in ids if prefix and i.startswith(prefix)]
        return hits[0] if len(hits) == 1 else None

    def list(self, report: Report) -> list[Note]:
        """This report's notes re-anchored to this edition: document order, orphans last."""
        placed: list[tuple[tuple[int, int, int, str], Note]] = []
        positions = _positions(report)
        orphans: list[Note] = []
        with self._table() as table:
            changes: dict[int, Record] = {}
            for order, doc in enumerate(self._records(table)):
                if not _belongs(doc, report):
                    continue
                quote = _quote_of(doc)
                anchor = reanchor(
                    report,
                    str(doc.get("section", "")),
                    str(doc.get("section_title", "")),
                    quote,
                    _int(doc.get("start")),
                    _int(doc.get("end")),
                )
                if anchor is None:
                    orphans.append(_note(doc, "orphaned", quote))
                    continue
                if anchor.method != "same" or doc.get("report") != report.sha256:
                    section = report.section(anchor.section)
                    change = {
                        "report": report.sha256,
                        "report_title": report.title,
                        "section": anchor.section,
                        "section_title": section.title,
                        "section_number": section.number,
                        "quote": {
                            "exact": anchor.quote.exact,
                            "prefix": anchor.quote.prefix,
                            "suffix": anchor.quote.suffix,
                        },
                        "start": anchor.start,
                        "end": anchor.end,
                        "status": "moved" if anchor.method != "same" else doc.get("status"),
                        "original": _original(doc),
                    }
                    changes[doc.doc_id] = change
                    doc = {**doc, **change}
                    quote = anchor.quote
                note = _note(doc, quote=quote)
                key = (positions[anchor.section], anchor.start, order, note.id)
                placed.append((key, note))
            _write_back(table, changes)
        placed.sort(key=lambda item: item[0])
        return [n for _, n in placed] + orphans

    def count(self) -> int:
        with self._table() as table:
            return len(table)


# -- reading position ---------------------------------------------------------


class ReadingPositions(_Repository):
    """Where the user was in each report, restored when it is opened again."""

    table_name = "reading_state"

    def get(self, report: Report) -> ReadingState | None:
        """This edition's position, else the latest one of another edition, if it still fits."""
        with self._table() as table:
            docs = [d for d in self._records(table) if _belongs(d, report)]
        docs.sort(key=lambda d: (d.get("report") == report.sha256, str(d.get("updated", ""))))
        for doc in reversed(docs):
            found = _find_section(
                report, str(doc.get("section", "")), str(doc.get("section_title", ""))
            )
            if found is None:
                continue
            return ReadingState(
                report=report.sha256,
                section=found[0].id,
                paragraph=max(0, _int(doc.get("paragraph"))),
                updated=str(doc.get("updated", "")),
            )
        return None

    def set(self, report: Report, section_id: str, paragraph: int = 0) -> ReadingState:
        section = _section_or_error(report, section_id)
        stamp = now_iso()
        record = {
            "report": report.sha256,
            "report_title": report.title,
            "section": section.id,
            "section_title": section.title,
            "paragraph": max(0, int(paragraph)),
            "updated": stamp,
        }
        with self._table() as table:
            mine = [d.doc_id for d in self._records(table) if d.get("report") == report.sha256]
            if mine:
                table.update(record, doc_ids=mine[:1])
                if len(mine) > 1:
                    table.remove(doc_ids=mine[1:])
            else:
                table.insert(record)
        return ReadingState(report.sha256, section.id, record["paragraph"], stamp)


# -- settings -------------------------------------------------------------------


class Settings(_Repository):
    """Small UI preferences (theme name, fuzzy search, ...) as JSON values."""

    table_name = "settings"

    def get(self, key: str, default: Any = None) -> Any:
        with self._table() as table:
            for doc in self._records(table):
                if doc.get("key") == key:
                    # A copy: the caller must not change our parsed data in place.
                    return copy.deepcopy(doc.get("value", default))
        return default

    def set(self, key: str, value: Any) -> None:
        """Store a JSON value; ``ValueError`` for anything JSON cannot hold (NaN too)."""
        try:
            json.dumps(value, allow_nan=False)
        except (TypeError, ValueError):
            raise ValueError(f"setting {key!r} must be a JSON value") from None
        record = {"key": key, "value": value, "updated": now_iso()}
        with self._table() as table:
            mine = [d.doc_id for d in self._records(table) if d.get("key") == key]
            if mine:
                table.update(record, doc_ids=mine[:1])
            else:
                table.insert(record)

    def all(self) -> dict[str, Any]:
        with self._table() as table:
            return copy.deepcopy({str(d.get("key")): d.get("value") for d in self._records(table)})
