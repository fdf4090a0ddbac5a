"""AtomicJSONStorage: atomic writes, locking across processes, damaged files."""

from __future__ import annotations

import codecs
import errno
import json
import multiprocessing
import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from briefing.model import Metadata, Report, Section
from briefing.store import Store, StoreError
from briefing.store import storage as storage_module
from briefing.store.storage import decode_database

ROOT = Path(__file__).resolve().parent.parent


def small_report() -> Report:
    sections = (
        Section("0", 1, "", "前言", None, "前言文字。"),
        Section("1", 1, "一、", "第一部分", None, "一、第一部分"),
        Section("1.1", 2, "一是", "事项", "1", "一是事项。这里有一些文字，供笔记引用。"),
    )
    return Report(Metadata(title="测试报告"), sections, sha256="a" * 64)


def test_creates_missing_folder_and_file(tmp_path: Path) -> None:
    db = tmp_path / "deep" / "er" / "briefing.json"
    store = Store.open(db)
    assert db.exists()
    assert json.loads(db.read_text("utf-8")) == {}
    assert store.warnings == []
    assert store.recovered_from is None


def test_written_as_utf8_without_ascii_escapes(tmp_path: Path) -> None:
    db = tmp_path / "briefing.json"
    store = Store.open(db)
    store.notes.add(small_report(), "1.1", "中文笔记 😀 𠀀")
    raw = db.read_bytes()
    assert "中文笔记 😀 𠀀".encode() in raw
    assert b"\\u" not in raw
    assert not raw.startswith(codecs.BOM_UTF8)


def test_no_temp_files_left_behind(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "briefing.json")
    for i in range(5):
        store.notes.add(small_report(), "1.1", f"note {i}")
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["briefing.json", "briefing.json.lock"]


def _leftover(folder: Path, target: str, pid: int, age: float) -> Path:
    from briefing.store.files import name_tag

    path = folder / f".briefing-tmp-{name_tag(Path(target))}-{pid}-{int(age)}x.tmp"
    path.write_text("half a write")
    stamp = time.time() - age
    os.utime(path, (stamp, stamp))
    return path


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_only_own_stale_temp_files_are_swept(tmp_path: Path) -> None:
    """Same database name, writer gone, older than a minute: nothing else is touched."""
    Store.open(tmp_path / "briefing.json")
    dead = _dead_pid()
    stale = _leftover(tmp_path, "briefing.json", dead, age=120)
    fresh = _leftover(tmp_path, "briefing.json", dead, age=5)
    alive = _leftover(tmp_path, "briefing.json", os.getpid(), age=120)
    other_db = _leftover(tmp_path, "other.json", dead, age=120)
    export = _leftover(tmp_path, "报告-笔记.md", dead, age=120)
    old_style = tmp_path / ".briefing-tmp-abc.tmp"
    old_style.write_text("someone else's")
    Store.open(tmp_path / "briefing.json")
    assert not stale.exists()
    assert fresh.exists() and alive.exists() and other_db.exists() and export.exists()
    assert old_style.exists()


def test_reading_another_database_never_breaks_a_save(tmp_path: Path) -> None:
    """Opening a second database in the same folder used to delete our temp file mid-save."""
    import threading

    first = Store.open(tmp_path / "first.json")
    Store.open(tmp_path / "second.json")
    stop = threading.Event()

    def reader() -> None:
        while not stop.is_set():
            Store.open(tmp_path / "second.json").notes.count()

    thread = threading.Thread(target=reader)
    thread.start()
    try:
        for i in range(30):
            first.notes.add(small_report(), "1.1", f"note {i}")
    finally:
        stop.set()
        thread.join()
    assert first.notes.count() == 30


DAMAGED = {
    "empty": b"",
    "truncated": b'{"notes": {"1": {"id": "x", "text": "hal',
    "not json": b"hello, I am not a database",
    "binary": bytes(range(256)),
    "list": b"[1, 2, 3]",
    "bom and garbage": codecs.BOM_UTF8 + b"{oops",
    "latin-1": '{"notes": {"1": {"text": "caf\xe9"}}}'.encode("latin-1"),
}


@pytest.mark.parametrize("content", DAMAGED.values(), ids=DAMAGED.keys())
def test_damaged_database_moved_aside(tmp_path: Path, content: bytes) -> None:
    db = tmp_path / "briefing.json"
    db.write_bytes(content)
    store = Store.open(db)
    moved = store.recovered_from
    assert moved is not None
    assert moved.parent == tmp_path
    assert moved.name.startswith("briefing.json.corrupt-")
    assert moved.read_bytes() == content  # kept byte for byte
    assert len(store.warnings) == 1
    assert str(moved) in store.warnings[0]
    assert json.loads(db.read_text("utf-8")) == {}
    # The fresh database works.
    store.notes.add(small_report(), "1.1", "新的笔记")
    assert [n.text for n in store.notes.list(small_report())] == ["新的笔记"]


def test_second_damage_does_not_overwrite_first_backup(tmp_path: Path, monkeypatch) -> None:
    db = tmp_path / "briefing.json"

    class Frozen:
        @staticmethod
        def now():
            from datetime import datetime

            return datetime(2024, 1, 2, 3, 4, 5)

    monkeypatch.setattr(storage_module, "datetime", Frozen)
    db.write_bytes(b"first damage")
    first = Store.open(db).recovered_from
    db.write_bytes(b"second damage")
    second = Store.open(db).recovered_from
    assert first != second
    assert first.read_bytes() == b"first damage"
    assert second.read_bytes() == b"second damage"


def test_bom_prefixed_valid_database_is_kept(tmp_path: Path) -> None:
    """A UTF-8 BOM (added by some editors) is accepted: the notes are kept."""
    db = tmp_path / "briefing.json"
    data = {"settings": {"1": {"key": "theme", "value": "夜间"}}}
    db.write_bytes(codecs.BOM_UTF8 + json.dumps(data, ensure_ascii=False).encode())
    store = Store.open(db)
    assert store.recovered_from is None
    assert store.warnings == []
    assert store.settings.get("theme") == "夜间"
    store.settings.set("fuzzy", True)
    assert not db.read_bytes().startswith(codecs.BOM_UTF8)
    assert store.settings.all() == {"theme": "夜间", "fuzzy": True}


def test_decode_database_rejects_wrong_shapes() -> None:
    assert decode_database(b"{}") == {}
    assert decode_database(b'{"t": {"1": {}}}') == {"t": {"1": {}}}
    assert decode_database(b'"text"') is None
    assert decode_database(b"null") is None
    assert decode_database(b"[1]") is None


def test_missing_folder_is_created(tmp_path: Path) -> None:
    Store.open(tmp_path / "a" / "b" / "briefing.json")
    assert (tmp_path / "a" / "b" / "briefing.json").exists()


def test_folder_that_cannot_be_created_reads_empty_and_refuses_writes(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    store = Store.open(blocker / "sub" / "briefing.json")
    assert store.notes.list(small_report()) == []
    with pytest.raises(StoreError) as info:
        store.notes.add(small_report(), "1.1", "x")
    assert "cannot save" in str(info.value)
    assert "\n" not in str(info.value)


def test_path_is_a_folder(tmp_path: Path) -> None:
    with pytest.raises(StoreError):
        Store.open(tmp_path)


@pytest.mark.parametrize("target", ["fsync", "write"])
def test_disk_full_leaves_old_file_intact(tmp_path: Path, monkeypatch, target: str) -> None:
    db = tmp_path / "briefing.json"
    store = Store.open(db)
    report = small_report()
    store.notes.add(report, "1.1", "已保存的笔记")
    before = db.read_bytes()

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    if target == "fsync":
        monkeypatch.setattr(storage_module.os, "fsync", full)
    else:

        def fdopen(fd, *args, **kwargs):
            os.close(fd)
            full()

        monkeypatch.setattr(storage_module.os, "fdopen", fdopen)
    with pytest.raises(StoreError) as info:
        store.notes.add(report, "1.1", "写不进去的笔记")
    assert "no space left on device" in str(info.value)
    monkeypatch.undo()
    assert db.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".briefing-tmp")] == []
    # After the failure nothing stale remains in memory: the store still works.
    assert [n.text for n in store.notes.list(report)] == ["已保存的笔记"]
    store.notes.add(report, "1.1", "空间够了")
    assert len(store.notes.list(report)) == 2


def test_lock_timeout_is_a_clear_error(tmp_path: Path) -> None:
    db = tmp_path / "briefing.json"
    store = Store.open(db)
    from filelock import FileLock

    other = FileLock(str(db) + ".lock", timeout=0)
    other.acquire()
    try:
        store.storage.lock.timeout = 0.2
        with pytest.raises(StoreError) as info:
            store.settings.set("theme", "x")
        assert "locked" in str(info.value)
    finally:
        other.release()


def test_no_stale_state_between_two_handles(tmp_path: Path) -> None:
    """Two Store objects on one file (like two running copies) never lose writes."""
    db = tmp_path / "briefing.json"
    a, b = Store.open(db), Store.open(db)
    report = small_report()
    a.notes.add(report, "1.1", "from a")
    b.notes.add(report, "1.1", "from b")
    a.bookmarks.add(report, "1")
    b.settings.set("theme", "dark")
    a.notes.add(report, "1.1", "from a again")
    assert sorted(n.text for n in b.notes.list(report)) == ["from a", "from a again", "from b"]
    assert [m.section for m in b.bookmarks.list(report)] == ["1"]
    assert a.settings.get("theme") == "dark"


# -- several processes ------------------------------------------------------------


def _add_notes(db: str, worker: int, count: int) -> None:
    store = Store.open(db)
    report = small_report()
    for i in range(count):
        store.notes.add(report, "1.1", f"worker {worker} note {i}")


def test_eight_processes_adding_fifty_notes_each(tmp_path: Path) -> None:
    db = tmp_path / "briefing.json"
    Store.open(db)
    ctx = multiprocessing.get_context("spawn")
    workers = [ctx.Process(target=_add_notes, args=(str(db), w, 50)) for w in range(8)]
    for proc in workers:
        proc.start()
    for proc in workers:
        proc.join(60)
        assert proc.exitcode == 0
    texts = {n.text for n in Store.open(db).notes.list(small_report())}
    expected = {f"worker {w} note {i}" for w in range(8) for i in range(50)}
    assert texts == expected


WRITER = textwrap.dedent(
    """
    import sys
    from briefing.model import Metadata, Report, Section
    from briefing.store import Store
    sections = (Section("1", 1, "一、", "部分", None, "一、部分。这里有一些文字。"),)
    report = Report(Metadata(title="测试报告"), sections, sha256="b" * 64)
    store = Store.open(sys.argv[1])
    print("ready", flush=True)
    i = 0
    while True:
        store.notes.add(report, "1", "笔记 %d " % i + "字" * 2000)
        i += 1
    """
)


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_sigkill_during_writes_leaves_a_readable_database(tmp_path: Path) -> None:
    db = tmp_path / "briefing.json"
    script = tmp_path / "writer.py"
    script.write_text(WRITER, "utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    rng = random.Random(7)
    previous = 0
    for _ in range(6):
        proc = subprocess.Popen(
            [sys.executable, str(script), str(db)], stdout=subprocess.PIPE, env=env
        )
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == b"ready"
        time.sleep(rng.uniform(0.05, 0.4))
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
        raw = db.read_bytes()
        data = decode_database(raw)
        assert data is not None, "a killed writer left a damaged database"
        count = len(data.get("notes", {}))
        assert count >= previous  # old or new, never less
        previous = count
        store = Store.open(db)
        assert store.recovered_from is None
    assert previous > 0


def test_threads_sharing_one_store(tmp_path: Path) -> None:
    import threading

    store = Store.open(tmp_path / "briefing.json")
    report = small_report()

    def work(n: int) -> None:
        for i in range(25):
            store.notes.add(report, "1.1", f"thread {n} note {i}")
            store.notes.list(report)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(Store.open(tmp_path / "briefing.json").notes.list(report)) == 100


def test_tinydb_itself_reads_and_writes_through_the_storage(tmp_path: Path) -> None:
    """The storage keeps TinyDB's interface without subclassing ``tinydb.Storage``
    (whose import would fall on the reader's start-up): TinyDB still uses it."""
    from tinydb import TinyDB

    from briefing.store.storage import AtomicJSONStorage

    db_path = tmp_path / "briefing.json"
    with TinyDB(db_path, storage=AtomicJSONStorage) as db:
        db.table("settings").insert({"key": "theme", "value": "ink"})
    assert json.loads(db_path.read_text(encoding="utf-8")) == {
        "settings": {"1": {"key": "theme", "value": "ink"}}
    }
    with TinyDB(db_path, storage=AtomicJSONStorage) as db:
        assert db.table("settings").all() == [{"key": "theme", "value": "ink"}]


def test_temp_files_are_named_with_sha256_of_the_target_name() -> None:
    """The tag is SHA-256 (CPython's own module, not OpenSSL's, which costs the
    reader's start-up ~2 ms to load): the same digest, so every version of
    briefing recognises the others' leftovers."""
    import hashlib

    from briefing.store.files import name_tag

    for name in ("briefing.json", "笔记.json", "x" * 200, "\udcff.json"):
        expected = hashlib.sha256(os.fsencode(name)).hexdigest()[:12]
        assert name_tag(Path("/somewhere") / name) == expected
