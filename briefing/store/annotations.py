"""Repositories for bookmarks, notes, reading position and settings.

A method that changes something runs as one transaction: it takes the
database lock, reads the file afresh (so no cached table or next id can be
stale), changes it and writes it back before releasing the lock.  A method
that only reads takes no lock (every write replaces the whole file at once).
Only records that fit (``records``) are ever seen here; every string that
leaves as a model is cleaned of terminal controls, so nothing a sync program
or a hand edit put in the file reaches a terminal.

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
from operator import itemgetter
from typing import Any

from briefing.model import Bookmark, Note, Quote, ReadingState, Report, Section
from briefing.source import clean_text
from briefing.store.anchors import Anchor, AnchorError, locate, make_quote, reanchor, similar
from briefing.store.bulk import collector_paused
from briefing.store.storage import (
    WRITE_BACK_LOCK_TIMEOUT,
    AtomicJSONStorage,
    StoreDamaged,
    StoreError,
)
from briefing.store.storage import next_key as _next_key
from briefing.text import strip_control

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

    def _rows(self) -> list[tuple[str, Record]]:
        """``(key, record)`` of every record that fits, read without the lock."""
        return list(self._storage.records(self.table_name))

    @contextmanager
    def _editing(self) -> Iterator[dict[str, Record]]:
        """The table's records under the lock; saved when the block changed them.

        Records are replaced (``table[key] = {...}``), never changed in place:
        other readers share them, and a replaced record is how a change shows.
        """
        with self._storage.transaction():
            table = self._storage.table_for_writing(self.table_name)
            before = dict(table)
            yield table
            if table.keys() != before.keys() or any(table[key] is not before[key] for key in table):
                self._storage.write(self._storage.read())

    def _fitting(self, table: dict[str, Record]) -> list[tuple[str, Record]]:
        """Inside ``_editing``: the records that fit, as ``_rows`` gives them."""
        rejected = self._storage.rejected(self.table_name)
        return [(k, d) for k, d in table.items() if k not in rejected]


Changes = dict[str, tuple[Record, Record]]


def _write_back(storage: AtomicJSONStorage, table_name: str, changes: Changes) -> None:
    """Save what a listing learnt (re-anchored notes), if the file lets us, soon.

    ``changes[key] = (record as listed, fields to update)``.  Done under the
    lock on a fresh read, only to records still exactly as the listing saw
    them (another process may have edited one meanwhile).  It is a cache of work done, not the
    user's data: a read-only file, a busy lock or a damaged file just skip it.
    """
    if not changes:
        return
    try:
        with storage.transaction(timeout=WRITE_BACK_LOCK_TIMEOUT):
            raw = storage.table_for_writing(table_name)
            touched = False
            for key, (expected, change) in changes.items():
                if raw.get(key) == expected:
                    raw[key] = {**expected, **change}
                    touched = True
            if touched:
                storage.write(storage.read())
    except StoreDamaged:
        raise
    except StoreError:
        return


def _append(storage: AtomicJSONStorage, table_name: str, record: Record) -> str:
    """Insert one record with one read and one write; returns its key.

    Same result as TinyDB's ``Table.insert`` (next id = highest id + 1).
    """
    return storage.append(table_name, dict(record))


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


def _text(record: Record, key: str) -> str:
    """A text field made safe to show: terminal controls and lone surrogates removed.

    ``isprintable`` (C speed) is false for every character ``strip_control``
    removes, so the usual clean id, title or time stamp skips the regex: that
    was a third of listing 50,000 notes.
    """
    value = record.get(key)
    if type(value) is not str:
        return ""
    return value if value.isprintable() else strip_control(value)


def _status(value: Any) -> Any:
    return value if value in ("anchored", "moved", "orphaned") else "anchored"


def _bookmark(record: Record, section: str, status: str) -> Bookmark:
    return Bookmark(
        id=_text(record, "id"),
        report=_text(record, "report"),
        report_title=_text(record, "report_title"),
        section=strip_control(section),
        section_title=_text(record, "section_title"),
        created=_text(record, "created"),
        updated=_text(record, "updated"),
        status=_status(status),
    )


class Bookmarks(_Repository):
    """Bookmarked sections, one per section and report."""

    table_name = "bookmarks"

    def _resolve(
        self, rows: list[tuple[str, Record]], report: Report
    ) -> tuple[list[tuple[str, Record, Section | None]], Changes]:
        """Every bookmark of this report with the section it now points to."""
        out: list[tuple[str, Record, Section | None]] = []
        changes: Changes = {}
        for key, doc in rows:
            if not _belongs(doc, report):
                continue
            found = _find_section(report, _text(doc, "section"), _text(doc, "section_title"))
            section = found[0] if found else None
            if found and (found[1] != "same" or doc.get("report") != report.sha256):
                change = {
                    "report": report.sha256,
                    "report_title": report.title,
                    "section": found[0].id,
                    "section_title": found[0].title,
                    "status": "moved" if found[1] != "same" else doc.get("status", "anchored"),
                    "original": _original(doc),
                    "updated": now_iso(),
                }
                changes[key] = (dict(doc), change)
                doc = {**doc, **change}
            out.append((key, doc, section))
        return out, changes

    def add(self, report: Report, section_id: str) -> Bookmark:
        """Bookmark a section; adding it twice keeps one bookmark."""
        section = _section_or_error(report, section_id)
        with self._storage.transaction():
            resolved, changes = self._resolve(self._rows(), report)
            for _, doc, where in resolved:
                if where is not None and where.id == section.id:
                    _write_back(self._storage, self.table_name, changes)
                    return _bookmark(doc, section.id, doc.get("status", "anchored"))
            _write_back(self._storage, self.table_name, changes)
            record = new_record(report, section)
            _append(self._storage, self.table_name, record)
        return _bookmark(record, section.id, "anchored")

    def remove(self, report: Report, section_id: str) -> bool:
        """Remove the bookmark on a section; ``False`` if there was none."""
        with self._editing() as table:
            resolved, _ = self._resolve(self._fitting(table), report)
            doomed = [
                key for key, _, where in resolved if where is not None and where.id == section_id
            ]
            for key in doomed:
                del table[key]
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
        resolved, changes = self._resolve(self._rows(), report)
        _write_back(self._storage, self.table_name, changes)
        seen: set[str] = set()
        placed: list[tuple[int, Bookmark]] = []
        # The report's own lookup: no index of every section made for a listing
        # (the reader lists the bookmarks before its first paint).
        index_of = report.index_of
        orphans: list[Bookmark] = []
        for _, doc, where in resolved:
            if where is None:
                orphans.append(_bookmark(doc, doc["section"], "orphaned"))
            elif where.id not in seen:
                seen.add(where.id)
                status = doc.get("status", "anchored")
                placed.append((index_of(where.id), _bookmark(doc, where.id, status)))
        placed.sort(key=lambda item: item[0])
        return [b for _, b in placed] + orphans


# -- notes ------------------------------------------------------------------


def _quote_of(record: Record) -> Quote:
    raw = record.get("quote")
    if type(raw) is not dict:
        return Quote(exact="")
    exact, prefix, suffix = raw.get("exact"), raw.get("prefix"), raw.get("suffix")
    if (
        type(exact) is str
        and type(prefix) is str
        and type(suffix) is str
        and (exact + prefix + suffix).isprintable()  # the usual case: one check
    ):
        return Quote(exact, prefix, suffix)
    return Quote(
        exact=_text(raw, "exact"), prefix=_text(raw, "prefix"), suffix=_text(raw, "suffix")
    )


def _int(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


_NOTE_TEXT = ("id", "report", "report_title", "section", "created", "updated")


def _note(record: Record, status: str | None = None, quote: Quote | None = None) -> Note:
    """The model of a stored note; ``quote`` saves decoding it again when known."""
    text = record.get("text")
    if type(text) is not str:
        text = ""
    elif not text.isprintable():
        text = clean_text(text)
    fields = [record.get(key) for key in _NOTE_TEXT]
    if not all(type(f) is str for f in fields) or not "".join(fields).isprintable():
        fields = [_text(record, key) for key in _NOTE_TEXT]
    note_id, report, report_title, section, created, updated = fields
    return Note(
        id=note_id,
        report=report,
        report_title=report_title,
        section=section,
        text=text,
        quote=quote if quote is not None else _quote_of(record),
        start=_int(record.get("start")),
        end=_int(record.get("end")),
        created=created,
        updated=updated,
        status=_status(status or record.get("status")),
    )


_new = object.__new__
_set = object.__setattr__


def _frozen(cls: type[Any], fields: dict[str, Any]) -> Any:
    """An instance of a frozen dataclass from fields already checked and complete.

    A frozen dataclass's ``__init__`` sets every field through
    ``object.__setattr__``: half the cost of listing 50,000 notes.  Filling the
    instance dict gives an equal object (``tests/test_store_listing.py``); a
    class with slots (no instance dict) takes its ``__init__``.
    """
    if "__dict__" not in cls.__dict__:  # pragma: no cover - model classes have no slots
        return cls(**fields)
    obj = _new(cls)
    _set(obj, "__dict__", fields)  # the fields become the instance dict: no copy
    return obj


# The fields the usual note has, fetched in one C call (a record without one
# of them is never usual: the careful path takes it).
_USUAL_FIELDS = itemgetter(
    "id", "report", "report_title", "section", "quote", "start", "end", "created", "updated"
)
_QUOTE_FIELDS = itemgetter("exact", "prefix", "suffix")
# A placed note's sort key: its section's position in the high bits, its start below.
_POSITION_SHIFT = 40


def _usual_notes(
    rows: list[tuple[str, Record]], report: Report
) -> tuple[list[Note | None], list[int]]:
    """The usual note of each row, in one pass: made on this edition, its passage still in place.

    ``None`` for a row that is anything else (another edition, moved,
    orphaned, an edited title, a field missing or to be cleaned): the careful
    path takes it and gives the same note for what this accepts.  Also the
    sort key of each note built (``_POSITION_SHIFT``).  Records reaching here
    passed ``records``: text fields are text or ``None``, offsets whole
    numbers or ``None``.  Written for speed (its body runs once per note,
    50,000 times for a large database): no call per note but C ones, the
    models filled without their ``__init__`` (``_frozen``).
    """
    if not rows:
        return [], []  # no note: no section made (a cached report makes them on demand)
    sha = report.sha256
    where = {
        section.id: (section.text, section.title, i << _POSITION_SHIFT)
        for i, section in enumerate(report.sections)
        if section.id.isprintable()  # else the careful path cleans it
    }
    fields, quote_fields, join = _USUAL_FIELDS, _QUOTE_FIELDS, "".join
    new, fill = _new, _set
    if "__dict__" not in Note.__dict__ or "__dict__" not in Quote.__dict__:  # pragma: no cover
        return [None] * len(rows), []
    notes: list[Note | None] = []
    keys: list[int] = []
    for _key, doc in rows:
        try:
            note_id, report_sha, title, section_id, raw, start, end, created, updated = fields(doc)
            exact, prefix, suffix = quote_fields(raw)
        except (KeyError, TypeError):  # a field missing, or no quote object
            notes.append(None)
            continue
        place = where.get(section_id) if report_sha == sha else None
        if (
            place is None
            or not exact
            or start is None
            or end is None
            or prefix is None
            or suffix is None
            or title is None
            or created is None
            or updated is None
            or place[0][start:end] != exact
        ):
            notes.append(None)
            continue
        get = doc.get
        status = get("status")
        section_title = get("section_title")
        if (
            status == "orphaned"
            or (section_title and place[1] and section_title != place[1])
            or not join(
                (exact, prefix, suffix, note_id, title, section_id, created, updated)
            ).isprintable()
        ):
            notes.append(None)  # orphaned, retitled, or terminal controls to strip
            continue
        text = get("text")
        if text is None:
            text = ""
        elif not text.isprintable():
            text = clean_text(text)
        quote = new(Quote)
        fill(quote, "__dict__", {"exact": exact, "prefix": prefix, "suffix": suffix})
        note = new(Note)
        fill(
            note,
            "__dict__",
            {
                "id": note_id,
                "report": report_sha,
                "report_title": title,
                "section": section_id,
                "text": text,
                "quote": quote,
                "start": start,
                "end": end,
                "created": created,
                "updated": updated,
                "status": "moved" if status == "moved" else "anchored",
            },
        )
        notes.append(note)
        keys.append(place[2] + start)
    return notes, keys


def _as_placed(doc: Record, report: Report) -> Note | None:
    """The usual note of one record (``_usual_notes``), or ``None``."""
    return _usual_notes([("", doc)], report)[0][0]


def _unchanged(doc: Record, quote: Quote, report: Report) -> Anchor | None:
    """The common case, without re-anchoring: a note on this very edition, still in place.

    Same report (sha256), same section and title, the quote where it was: the
    stored context is the report's own, so no new quote is cut (that was a
    tenth of listing 50,000 notes).
    """
    if doc.get("report") != report.sha256 or doc.get("status") == "orphaned":
        return None
    section_id = doc["section"]
    if not report.has_section(section_id):
        return None
    section = report.section(section_id)
    start, end = _int(doc.get("start")), _int(doc.get("end"))
    title = doc.get("section_title")
    if title and section.title and title != section.title:
        return None
    if not quote.exact or section.text[start:end] != quote.exact:
        return None
    return Anchor(section_id, start, end, quote, "same")


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

    @staticmethod
    def _find(rows: list[tuple[str, Record]], note_id: str) -> tuple[str, Record] | None:
        """The record whose id is ``note_id`` (ids are compared as they are shown)."""
        for key, doc in rows:
            if doc["id"] == note_id:
                return key, doc
        for key, doc in rows:
            if strip_control(doc["id"]) == note_id:
                return key, doc
        return None

    def update(self, note_id: str, text: str) -> Note:
        """Replace a note's text; a moved note counts as checked and becomes anchored."""
        with self._editing() as table:
            found = self._find(self._fitting(table), note_id)
            if found is None:
                raise NotFound(f"no note with id {strip_control(note_id)}")
            key, doc = found
            changes = {"text": clean_note_text(text), "updated": now_iso()}
            if doc.get("status") == "moved":
                changes["status"] = "anchored"
            table[key] = {**doc, **changes}
            return _note(table[key])

    def remove(self, note_id: str) -> bool:
        with self._editing() as table:
            found = self._find(self._fitting(table), note_id)
            if found is None:
                return False
            del table[found[0]]
            return True

    def get(self, note_id: str) -> Note | None:
        """A note as stored (not re-anchored)."""
        found = self._find(self._rows(), note_id)
        return _note(found[1]) if found is not None else None

    def match_id(self, prefix: str) -> str | None:
        """The one note id starting with ``prefix`` (a short id), or ``None``."""
        ids = [strip_control(doc["id"]) for _, doc in self._rows()]
        if prefix in ids:
            return prefix
        hits = [i for i in ids if prefix and i.startswith(prefix)]
        return hits[0] if len(hits) == 1 else None

    def list(self, report: Report) -> list[Note]:
        """This report's notes re-anchored to this edition: document order, orphans last."""
        with collector_paused():
            placed, keys, orphans, changes = self._place(report)
            # Stable: notes on the same passage stay in the order they were stored.
            order = sorted(range(len(placed)), key=keys.__getitem__)
            listed = [placed[i] for i in order] + orphans
        _write_back(self._storage, self.table_name, changes)
        return listed

    def _place(self, report: Report) -> tuple[list[Note], list[int], list[Note], Changes]:
        """Every note of this report where it is now, their sort keys, the orphans, what moved."""
        rows = self._rows()
        usual, usual_keys = _usual_notes(rows, report)
        placed: list[Note] = []
        keys: list[int] = []
        if len(usual_keys) == len(rows):  # every note usual: nothing else to place
            return usual, usual_keys, [], {}  # type: ignore[return-value]
        index_of = report.index_of
        orphans: list[Note] = []
        changes: Changes = {}
        taken = iter(usual_keys)
        for (key, doc), note in zip(rows, usual, strict=True):
            if note is not None:
                placed.append(note)
                keys.append(next(taken))
                continue
            if doc.get("report") != report.sha256 and not _belongs(doc, report):
                continue
            quote = _quote_of(doc)
            anchor = _unchanged(doc, quote, report) or reanchor(
                report,
                _text(doc, "section"),
                _text(doc, "section_title"),
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
                changes[key] = (dict(doc), change)
                doc = {**doc, **change}
                quote = anchor.quote
            placed.append(_note(doc, quote=quote))
            keys.append((index_of(anchor.section) << _POSITION_SHIFT) + anchor.start)
        return placed, keys, orphans, changes

    def count(self) -> int:
        return len(self._rows())


# -- reading position ---------------------------------------------------------


class ReadingPositions(_Repository):
    """Where the user was in each report, restored when it is opened again."""

    table_name = "reading_state"

    def get(self, report: Report) -> ReadingState | None:
        """This edition's position, else the latest one of another edition, if it still fits."""
        docs = [d for _, d in self._rows() if _belongs(d, report)]
        docs.sort(key=lambda d: (d.get("report") == report.sha256, str(d.get("updated", ""))))
        for doc in reversed(docs):
            found = _find_section(report, _text(doc, "section"), _text(doc, "section_title"))
            if found is None:
                continue
            return ReadingState(
                report=report.sha256,
                section=found[0].id,
                paragraph=_int(doc.get("paragraph")),
                updated=_text(doc, "updated"),
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
        with self._editing() as table:
            mine = [k for k, d in self._fitting(table) if d.get("report") == report.sha256]
            if mine:
                table[mine[0]] = {**table[mine[0]], **record}
                for key in mine[1:]:
                    del table[key]
            else:
                table[_next_key(table)] = record
        return ReadingState(report.sha256, section.id, record["paragraph"], stamp)


# -- settings -------------------------------------------------------------------


class Settings(_Repository):
    """Small UI preferences (theme name, fuzzy search, ...) as JSON values."""

    table_name = "settings"

    def get(self, key: str, default: Any = None) -> Any:
        for _, doc in self._rows():
            if doc["key"] == key:
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
        with self._editing() as table:
            mine = [k for k, d in self._fitting(table) if d["key"] == key]
            if mine:
                table[mine[0]] = {**table[mine[0]], **record}
            else:
                table[_next_key(table)] = record

    def all(self) -> dict[str, Any]:
        return copy.deepcopy({d["key"]: d.get("value") for _, d in self._rows()})
