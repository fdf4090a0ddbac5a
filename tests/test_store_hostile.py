"""Databases that are odd, damaged or shared: the store reads them and never crashes.

Records of the wrong shape are skipped and kept, text from the file is
cleaned of terminal controls before anyone sees it, symlinks are written
through, FIFOs and devices are refused, read-only files and folders still
read, and damage found while open is signalled once.
"""

from __future__ import annotations

import errno
import json
import os
import stat
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from briefing.export import render_markdown
from briefing.model import Metadata, Report, Section
from briefing.store import Store, StoreDamaged, StoreError
from briefing.store import lock as lock_module
from briefing.store.records import check_note, scan
from briefing.text import strip_control

SHA = "a" * 64


def small_report() -> Report:
    sections = (
        Section("0", 1, "", "前言", None, "前言文字。"),
        Section("1", 1, "一、", "第一部分", None, "一、第一部分"),
        Section("1.1", 2, "一是", "事项", "1", "一是事项。这里有一些文字，供笔记引用。"),
    )
    return Report(Metadata(title="测试报告"), sections, sha256=SHA)


def good_note(**fields: object) -> dict[str, object]:
    record: dict[str, object] = {
        "id": "n-good",
        "report": SHA,
        "report_title": "测试报告",
        "section": "1.1",
        "section_title": "事项",
        "text": "好的笔记",
        "quote": {"exact": "一些文字", "prefix": "这里有", "suffix": "，供笔记"},
        "start": 8,
        "end": 12,
        "status": "anchored",
        "created": "2024-05-01T10:00:00+08:00",
        "updated": "2024-05-01T10:00:00+08:00",
    }
    record.update(fields)
    return record


def good_bookmark(**fields: object) -> dict[str, object]:
    record: dict[str, object] = {
        "id": "b-good",
        "report": SHA,
        "report_title": "测试报告",
        "section": "1",
        "section_title": "第一部分",
        "status": "anchored",
        "created": "2024-05-01T10:00:00+08:00",
        "updated": "2024-05-01T10:00:00+08:00",
    }
    record.update(fields)
    return record


def write_db(path: Path, data: object) -> bytes:
    """As a sync program might: lone surrogates as ``\\ud800`` escapes."""
    raw = json.dumps(data).encode("ascii")
    path.write_bytes(raw)
    return raw


# -- records that do not fit ---------------------------------------------------------

BAD_NOTES = {
    "section_title number": good_note(section_title=42),
    "text list": good_note(text=["a"]),
    "quote string": good_note(quote="一些文字"),
    "quote exact number": good_note(quote={"exact": 5}),
    "start text": good_note(start="8"),
    "start bool": good_note(start=True),
    "negative end": good_note(end=-1),
    "no id": {k: v for k, v in good_note().items() if k != "id"},
    "no section": {k: v for k, v in good_note().items() if k != "section"},
    "id number": good_note(id=7),
    "status odd": good_note(status="lost"),
    "status list": good_note(status=[]),
    "created dict": good_note(created={"x": 1}),
    "not a record": "just text",
    "null": None,
}


@pytest.mark.parametrize("bad", BAD_NOTES.values(), ids=BAD_NOTES.keys())
def test_a_note_that_does_not_fit_is_skipped_and_kept(tmp_path: Path, bad: object) -> None:
    db = tmp_path / "briefing.json"
    write_db(db, {"notes": {"1": good_note(), "2": bad}, "bookmarks": {"1": good_bookmark()}})
    store = Store.open(db)
    report = small_report()
    assert [n.id for n in store.notes.list(report)] == ["n-good"]
    assert len(store.warnings) == 1 and "\n" not in store.warnings[0]
    assert "#'2'" in store.warnings[0] and "kept in the file" in store.warnings[0]
    render_markdown(report, store.notes.list(report), store.bookmarks.list(report))
    # Writes keep the record exactly as it was.
    store.notes.add(report, "1.1", "新的")
    store.bookmarks.toggle(report, "1.1")
    saved = json.loads(db.read_text("utf-8"))
    assert saved["notes"]["2"] == bad
    assert len(saved["notes"]) == 3


@pytest.mark.parametrize(
    "bad",
    [
        good_bookmark(section_title=3.5),
        good_bookmark(section=1),
        good_bookmark(report=5),
        {"id": "x"},
        [1, 2],
    ],
)
def test_a_bookmark_that_does_not_fit_is_skipped_and_kept(tmp_path: Path, bad: object) -> None:
    db = tmp_path / "briefing.json"
    write_db(db, {"bookmarks": {"1": good_bookmark(), "7": bad}})
    store = Store.open(db)
    assert [b.section for b in store.bookmarks.list(small_report())] == ["1"]
    store.bookmarks.add(small_report(), "1.1")
    assert json.loads(db.read_text("utf-8"))["bookmarks"]["7"] == bad


def test_tables_and_keys_that_do_not_fit(tmp_path: Path) -> None:
    """A table that is a list, a key that is not a number, odd settings and positions."""
    db = tmp_path / "briefing.json"
    data = {
        "notes": {"x": good_note(), "1": good_note(id="n-2")},
        "bookmarks": [1, 2, 3],
        "reading_state": {"1": {"report": SHA, "section": "1.1", "paragraph": "two"}},
        "settings": {"1": {"key": 5, "value": 1}, "2": {"key": "theme", "value": {"a": [1]}}},
        "other": {"1": 5},
    }
    write_db(db, data)
    store = Store.open(db)
    report = small_report()
    assert [n.id for n in store.notes.list(report)] == ["n-2"]
    assert store.bookmarks.list(report) == []
    assert store.reading.get(report) is None
    assert store.settings.all() == {"theme": {"a": [1]}}
    assert store.recovered_from is None
    assert len(store.warnings) == 5
    with pytest.raises(StoreError) as info:
        store.bookmarks.add(report, "1")
    assert "not a table" in str(info.value)
    store.reading.set(report, "1.1", 2)
    assert store.reading.get(report).paragraph == 2
    saved = json.loads(db.read_text("utf-8"))
    assert saved["bookmarks"] == [1, 2, 3]
    assert saved["notes"]["x"] == good_note()
    assert saved["other"] == {"1": 5}


def test_each_warning_is_given_once(tmp_path: Path) -> None:
    db = tmp_path / "briefing.json"
    write_db(db, {"notes": {"1": good_note(text=5)}})
    store = Store.open(db)
    assert len(store.take_warnings()) == 1
    store.notes.list(small_report())
    store.notes.add(small_report(), "1.1", "x")
    assert store.take_warnings() == []


def test_many_bad_records_make_one_short_warning() -> None:
    data = {"notes": {str(i): good_note(text=i) for i in range(1, 1001)}}
    rejected, warnings, _floats = scan(data, "db")
    assert len(rejected["notes"]) == 1000
    assert len(warnings) == 1 and len(warnings[0]) < 400 and "997 more" in warnings[0]


def test_check_note_accepts_what_briefing_writes(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "briefing.json")
    store.notes.add(small_report(), "1.1", "x", quote="一些文字")
    data = json.loads((tmp_path / "briefing.json").read_text("utf-8"))
    assert all(check_note(doc) is None for doc in data["notes"].values())


# -- text from the file is cleaned --------------------------------------------------

ESCAPES = "\x1b]0;PWNED\x07\x1b[2J\x9b31m\x07\u202e\ud800"


def test_escapes_and_surrogates_never_leave_the_store(tmp_path: Path) -> None:
    db = tmp_path / "briefing.json"
    note = good_note(
        id="n-1" + ESCAPES,
        text="看" + ESCAPES + "这里\n第二行",
        section_title="事项" + ESCAPES,
        quote={"exact": "一些文字", "prefix": ESCAPES, "suffix": ESCAPES},
        created=ESCAPES,
    )
    mark = good_bookmark(section_title="x" + ESCAPES, section="9" + ESCAPES)
    write_db(db, {"notes": {"1": note}, "bookmarks": {"1": mark}})
    store = Store.open(db)
    report = small_report()
    notes = store.notes.list(report)
    marks = store.bookmarks.list(report)
    assert notes[0].text == "看这里\n第二行"
    assert notes[0].id == "n-1"
    for model in (*notes, *marks, notes[0].quote):
        for value in vars(model).values():
            if isinstance(value, str):
                assert value == strip_control(value), value
                value.encode("utf-8")  # no lone surrogates
    # The cleaned id still finds the note.
    assert store.notes.match_id("n-1") == "n-1"
    assert store.notes.get("n-1") is not None
    assert store.notes.remove("n-1")


# -- symlinks, FIFOs, devices ---------------------------------------------------------


def test_symlinked_database_is_written_through(tmp_path: Path) -> None:
    real = tmp_path / "sync" / "briefing.json"
    real.parent.mkdir()
    Store.open(real).notes.add(small_report(), "1.1", "原来的")
    link = tmp_path / "link.json"
    link.symlink_to(real)
    Store.open(link).notes.add(small_report(), "1.1", "经由链接")
    assert link.is_symlink()
    assert {n.text for n in Store.open(real).notes.list(small_report())} == {"原来的", "经由链接"}


def test_fifo_as_database_is_refused(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    with pytest.raises(StoreError) as info:
        Store.open(fifo)
    assert "FIFO" in str(info.value) and "\n" not in str(info.value)
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)


def test_device_as_database_is_refused() -> None:
    with pytest.raises(StoreError) as info:
        Store.open("/dev/null")
    assert "device" in str(info.value)
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_symlink_loop_is_one_line(tmp_path: Path) -> None:
    loop = tmp_path / "loop.json"
    loop.symlink_to(loop)
    with pytest.raises(StoreError) as info:
        Store.open(loop)
    assert "symbolic links" in str(info.value)


# -- read-only files and folders ---------------------------------------------------------


def test_read_only_database_reads_and_refuses_writes(tmp_path: Path) -> None:
    db = tmp_path / "briefing.json"
    Store.open(db).notes.add(small_report(), "1.1", "旧笔记")
    before = db.read_bytes()
    db.chmod(0o444)
    try:
        store = Store.open(db)
        assert [n.text for n in store.notes.list(small_report())] == ["旧笔记"]
        with pytest.raises(StoreError) as info:
            store.notes.add(small_report(), "1.1", "新笔记")
        assert "read-only" in str(info.value) and "\n" not in str(info.value)
        assert db.read_bytes() == before
        assert stat.S_IMODE(db.stat().st_mode) == 0o444
    finally:
        db.chmod(0o644)


@pytest.fixture()
def unwritable_folders(monkeypatch: pytest.MonkeyPatch):
    """What a folder without write permission does (root ignores the mode bits)."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError(errno.EACCES, "Permission denied")

    real_open = os.open

    def lock_open(path: str, flags: int, *args: object) -> int:
        if flags & os.O_CREAT and not os.path.exists(path):
            refuse()
        if flags & (os.O_RDWR | os.O_WRONLY):
            refuse()
        return real_open(path, flags, *args)

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    monkeypatch.setattr(lock_module.os, "open", lock_open)
    monkeypatch.setattr(os, "access", lambda *a, **k: False)
    monkeypatch.setattr(Path, "mkdir", refuse)


def test_read_only_folder_still_reads(tmp_path: Path, unwritable_folders: None) -> None:
    db = tmp_path / "briefing.json"
    write_db(db, {"notes": {"1": good_note()}, "bookmarks": {"1": good_bookmark()}})
    store = Store.open(db)
    report = small_report()
    assert [n.text for n in store.notes.list(report)] == ["好的笔记"]
    assert [b.section for b in store.bookmarks.list(report)] == ["1"]
    with pytest.raises(StoreError) as info:
        store.notes.add(report, "1.1", "x")
    assert "cannot save" in str(info.value) and "\n" not in str(info.value)


def test_read_only_folder_without_database_reads_empty(
    tmp_path: Path, unwritable_folders: None
) -> None:
    store = Store.open(tmp_path / "briefing.json")
    assert store.notes.list(small_report()) == []
    assert not (tmp_path / "briefing.json").exists()


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_real_read_only_folder(tmp_path: Path) -> None:  # pragma: no cover - not as root
    db = tmp_path / "briefing.json"
    write_db(db, {"notes": {"1": good_note()}})
    tmp_path.chmod(0o555)
    try:
        store = Store.open(db)
        assert len(store.notes.list(small_report())) == 1
        with pytest.raises(StoreError):
            store.notes.add(small_report(), "1.1", "x")
    finally:
        tmp_path.chmod(0o755)


# -- change and damage while open -----------------------------------------------------------


def test_damage_while_open_is_signalled_once(tmp_path: Path) -> None:
    db = tmp_path / "briefing.json"
    store = Store.open(db)
    report = small_report()
    store.notes.add(report, "1.1", "会被保留在备份里")
    assert not store.changed()
    db.write_bytes(b'{"notes": {"1": {"id": "half')  # a sync program's torn write
    assert store.changed()
    with pytest.raises(StoreDamaged) as info:
        store.notes.list(report)
    moved = info.value.moved_to
    assert moved.read_bytes() == b'{"notes": {"1": {"id": "half'
    assert str(moved) in str(info.value) and "\n" not in str(info.value)
    assert isinstance(info.value, StoreError)
    assert store.recovered_from == moved
    # Signalled once: the store works on the fresh database from now on.
    assert store.notes.list(report) == []
    store.notes.add(report, "1.1", "新的")
    assert [n.text for n in store.notes.list(report)] == ["新的"]


def test_damage_found_by_a_write_does_not_write(tmp_path: Path) -> None:
    db = tmp_path / "briefing.json"
    store = Store.open(db)
    db.write_bytes(b"garbage")
    with pytest.raises(StoreDamaged):
        store.notes.add(small_report(), "1.1", "先失败")
    assert store.notes.list(small_report()) == []
    store.notes.add(small_report(), "1.1", "再试一次")
    assert len(store.notes.list(small_report())) == 1


def test_changed_sees_another_writer_and_not_our_own(tmp_path: Path) -> None:
    db = tmp_path / "briefing.json"
    ours, other = Store.open(db), Store.open(db)
    ours.notes.add(small_report(), "1.1", "ours")
    assert not ours.changed()
    other.notes.add(small_report(), "1.1", "theirs")
    assert ours.changed()
    assert len(ours.notes.list(small_report())) == 2
    assert not ours.changed()


# -- reads never wait for the write lock ------------------------------------------------------


def test_reads_do_not_wait_for_a_writer(tmp_path: Path) -> None:
    """Another briefing holding the lock (a long save) never holds up listing or export."""
    import time

    from click.testing import CliRunner
    from filelock import FileLock

    from briefing.cli import cli

    db = tmp_path / "briefing.json"
    store = Store.open(db)
    store.notes.add(small_report(), "1.1", "已有")
    holder = FileLock(str(db) + ".lock", timeout=0)
    holder.acquire()
    try:
        begin = time.monotonic()
        reader = Store.open(db)
        assert [n.text for n in reader.notes.list(small_report())] == ["已有"]
        reader.bookmarks.list(small_report())
        assert reader.settings.all() == {}
        result = CliRunner().invoke(cli, ["--db", str(db), "notes", "--json"])
        assert result.exit_code == 0
        assert time.monotonic() - begin < 5  # a writer waits up to 15 s
        store.storage.lock.timeout = 0.1
        with pytest.raises(StoreError):
            store.notes.add(small_report(), "1.1", "要等锁")
    finally:
        holder.release()


_ODD_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-3, max_value=3),
    st.floats(allow_nan=False),
    st.text(max_size=3),
    st.lists(st.integers(), max_size=2),
    st.dictionaries(st.sampled_from(["exact", "prefix", "suffix"]), st.text(max_size=2)),
)


@settings(max_examples=300, deadline=None)
@given(
    changes=st.dictionaries(
        st.sampled_from([*good_note(), "section_number", "quote", "other"]), _ODD_VALUES, max_size=3
    ),
    dropped=st.sets(st.sampled_from(list(good_note())), max_size=2),
    key=st.sampled_from(["1", "12", "x", "²", " 3", "-1"]),
)
def test_the_quick_note_check_never_accepts_what_the_full_check_refuses(
    changes: dict[str, object], dropped: set[str], key: str
) -> None:
    from briefing.store.records import check_record, usual_note

    base = {**good_note(section_number="一、"), **changes}
    doc = {k: v for k, v in base.items() if k not in dropped}
    if usual_note(key, doc):
        assert check_record("notes", key, doc) is None
    assert usual_note("1", good_note(section_number="一、"))
