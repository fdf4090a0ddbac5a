"""Listing notes: the quick path for notes on this very edition gives what the careful path gives.

``Notes.list`` builds the usual note (same report, passage still in place,
nothing to clean) in one pass and sends everything else through quote
re-anchoring and cleaning; both must give equal notes.  Building many notes
must not make the cyclic garbage collector walk the parsed database again
and again.
"""

from __future__ import annotations

import gc
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefing.model import Metadata, Note, Quote, Report, Section
from briefing.store import Store
from briefing.store.annotations import _as_placed, _frozen, _note, _quote_of, _unchanged
from briefing.store.records import check_note
from briefing.store.storage import encode_database

SHA = "b" * 64
TEXT = "一是事项。这里有一些文字，供笔记引用。"


def report() -> Report:
    sections = (
        Section("0", 1, "", "前言", None, "前言文字。"),
        Section("1", 1, "一、", "第一部分", None, "一、第一部分"),
        Section("1.1", 2, "一是", "事项", "1", TEXT),
    )
    return Report(Metadata(title="测试报告"), sections, sha256=SHA)


def test_frozen_builds_an_equal_model() -> None:
    quote = _frozen(Quote, {"exact": "文字", "prefix": "这里有一些", "suffix": "，供"})
    assert quote == Quote("文字", "这里有一些", "，供")
    assert hash(quote) == hash(Quote("文字", "这里有一些", "，供"))
    fields: dict[str, Any] = {
        "id": "n1",
        "report": SHA,
        "report_title": "测试报告",
        "section": "1.1",
        "text": "笔记",
        "quote": quote,
        "start": 9,
        "end": 11,
        "created": "2024-05-01T10:00:00+08:00",
        "updated": "2024-05-01T10:00:00+08:00",
        "status": "anchored",
    }
    note = _frozen(Note, fields)
    assert note == Note(**fields)
    assert repr(note) == repr(Note(**fields))


_TEXTS = st.sampled_from(["", "文字", "n1", "\x1b]0;X\x07标题", "a\nb", "\u200b零宽", "\ud800"])
_MAYBE = st.one_of(st.none(), _TEXTS)


@st.composite
def records(draw: st.DrawFn) -> dict[str, Any]:
    """Records that pass ``check_note``, mostly the usual kind, some odd in one way."""
    start = draw(st.integers(0, len(TEXT)))
    end = draw(st.integers(start, len(TEXT)))
    exact = draw(st.one_of(st.just(TEXT[start:end]), _MAYBE))
    doc: dict[str, Any] = {
        "id": draw(st.one_of(st.just("0f3c-4d"), _TEXTS)),
        "report": SHA,
        "report_title": draw(st.one_of(st.just("测试报告"), _MAYBE)),
        "section": draw(st.sampled_from(["1.1", "1.1", "1", "9"])),
        "section_title": draw(st.sampled_from(["事项", "", "别的", None])),
        "text": draw(st.one_of(st.just("笔记"), _MAYBE)),
        "quote": draw(
            st.one_of(
                st.none(),
                st.fixed_dictionaries(
                    {
                        "exact": st.just(exact),
                        "prefix": st.one_of(st.just(TEXT[max(0, start - 32) : start]), _MAYBE),
                        "suffix": st.one_of(st.just(TEXT[end : end + 32]), _MAYBE),
                    }
                ),
            )
        ),
        "start": draw(st.one_of(st.just(start), st.none(), st.integers(0, 40))),
        "end": draw(st.one_of(st.just(end), st.none())),
        "status": draw(st.sampled_from([None, "anchored", "moved", "orphaned"])),
        "created": draw(st.one_of(st.just("2024-05-01T10:00:00+08:00"), _MAYBE)),
        "updated": draw(st.one_of(st.just("2024-05-01T10:00:00+08:00"), _MAYBE)),
    }
    return {key: value for key, value in doc.items() if value is not None or draw(st.booleans())}


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(records())
def test_quick_path_agrees_with_the_careful_path(doc: dict[str, Any]) -> None:
    if check_note(doc) is not None:
        return  # never listed
    the_report = report()
    quick = _as_placed(doc, the_report)
    if quick is None:
        return
    quote = _quote_of(doc)
    anchor = _unchanged(doc, quote, the_report)
    assert anchor is not None and anchor.method == "same"
    assert quick == _note(doc, quote=quote)


def _seed(path: Path, the_report: Report, count: int) -> None:
    section = the_report.section("1.1")
    notes = {}
    for i in range(count):
        start = i % 10
        notes[str(i + 1)] = {
            "id": f"note-{i}",
            "report": the_report.sha256,
            "report_title": the_report.title,
            "section": "1.1",
            "section_title": section.title,
            "text": f"笔记 {i}",
            "quote": {
                "exact": section.text[start : start + 4],
                "prefix": section.text[:start],
                "suffix": section.text[start + 4 :],
            },
            "start": start,
            "end": start + 4,
            "created": "2024-05-01T10:00:00+08:00",
            "updated": "2024-05-01T10:00:00+08:00",
        }
    path.write_bytes(encode_database({"notes": notes}))


def test_listing_in_document_order_keeps_stored_order_on_one_passage(tmp_path: Path) -> None:
    the_report = report()
    db = tmp_path / "briefing.json"
    _seed(db, the_report, 30)
    listed = Store.open(db).notes.list(the_report)
    assert [(n.start, int(n.id.split("-")[1])) for n in listed] == sorted(
        (i % 10, i) for i in range(30)
    )


def test_reading_and_listing_many_notes_runs_no_garbage_collection(tmp_path: Path) -> None:
    """The parsed database and the notes are acyclic: collecting while building them is waste.

    Before, 20,000 notes made the collector run 200 times, once over
    everything (a quarter of the time of ``notes --json``).  A few young
    collections around the build are fine.
    """
    the_report = report()
    db = tmp_path / "briefing.json"
    _seed(db, the_report, 20_000)
    runs: list[int] = []

    def count(phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            runs.append(info["generation"])

    gc.collect()
    gc.callbacks.append(count)
    try:
        store = Store.open(db)
        listed = store.notes.list(the_report)
    finally:
        gc.callbacks.remove(count)
    assert len(listed) == 20_000
    assert 2 not in runs
    assert len(runs) < 10
    assert gc.isenabled()


def test_a_snapshot_reads_the_file_once_and_still_sees_its_own_writes(tmp_path: Path) -> None:
    """``notes``/``export`` list notes and bookmarks from one read (36 MB at 50,000 notes)."""
    the_report = report()
    db = tmp_path / "briefing.json"
    _seed(db, the_report, 5)
    store = Store.open(db)
    reads: list[int] = []
    real = store.storage._read_file

    def counted() -> dict[str, Any]:
        reads.append(1)
        return real()

    store.storage._read_file = counted  # type: ignore[method-assign]
    with store.snapshot():
        assert len(store.notes.list(the_report)) == 5
        store.bookmarks.list(the_report)
        assert reads == []  # parsed when opened: not read again
        store.notes.add(the_report, "1.1", "新的")  # a write re-reads under the lock
        assert len(store.notes.list(the_report)) == 6
        assert len(reads) == 1
    other = Store.open(db)
    other.notes.add(the_report, "1.1", "别处写的")
    assert len(store.notes.list(the_report)) == 7  # outside a snapshot: the file as it is now


def test_listing_and_exporting_never_take_the_write_lock(tmp_path: Path, monkeypatch) -> None:
    """With 100,000 notes a listing takes seconds: other writers must not wait for it."""
    from click.testing import CliRunner

    from briefing.cli import cli
    from briefing.store.lock import LockFile

    the_report = report()
    db = tmp_path / "briefing.json"
    _seed(db, the_report, 50)
    taken: list[str] = []

    def refuse(self: LockFile, timeout: float | None = None) -> None:
        taken.append(self.path)
        raise AssertionError("a read took the write lock")

    Store.open(db)  # created before the lock is refused
    monkeypatch.setattr(LockFile, "acquire", refuse)
    store = Store.open(db)
    with store.snapshot():
        assert len(store.notes.list(the_report)) == 50
        store.bookmarks.list(the_report)
    for args in (["notes", "--json"], ["bookmarks"], ["export", "-o", str(tmp_path / "x.md")]):
        result = CliRunner().invoke(cli, ["--db", str(db), *args])
        assert result.exit_code == 0, result.output  # the bundled report: its notes are none
    assert taken == []


class _CountedIds(tuple):
    """Sections with an ``ids`` column that counts who reads it."""

    reads = 0

    @property
    def ids(self) -> list[str]:
        type(self).reads += 1
        return [s.id for s in self]


def test_listing_bookmarks_makes_no_index_of_every_section(tmp_path: Path) -> None:
    """The reader lists the bookmarks before its first paint: each bookmark's
    place is the report's own lookup, not a dict of every id made per listing."""
    sections = _CountedIds(report().sections)
    the_report = Report(Metadata(title="测试报告"), sections, sha256=SHA)
    store = Store.open(tmp_path / "notes.json")
    store.bookmarks.add(the_report, "1.1")
    store.bookmarks.add(the_report, "0")
    _CountedIds.reads = 0
    assert [b.section for b in store.bookmarks.list(the_report)] == ["0", "1.1"]
    assert _CountedIds.reads == 0 and the_report._order is None
