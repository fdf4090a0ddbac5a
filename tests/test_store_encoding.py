"""The fast write path: orjson encoding with its fallbacks, one-pass inserts, and
the parsed-data memo that must never hide another process's change."""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
import textwrap
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from briefing.model import Metadata, Report, Section
from briefing.store import Store
from briefing.store import storage as storage_module
from briefing.store.storage import _encode_stdlib, decode_database, encode_database

ROOT = Path(__file__).resolve().parent.parent


def small_report() -> Report:
    sections = (
        Section("1", 1, "一、", "第一部分", None, "一、第一部分"),
        Section("1.1", 2, "一是", "事项", "1", "一是事项。这里有一些文字，供笔记引用。"),
    )
    return Report(Metadata(title="测试报告"), sections, sha256="c" * 64)


def stdlib_bytes(data: object) -> bytes:
    """What the store wrote before orjson: the reference for the same bytes."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), check_circular=False)
    return text.encode("utf-8")


# -- encoding ---------------------------------------------------------------------

TEXT = st.text(
    st.characters(blacklist_categories=("Cs",)),  # no lone surrogates: UTF-8 has none
    max_size=12,
)
INT64 = st.integers(min_value=-(2**63), max_value=2**64 - 1)
SCALARS = st.none() | st.booleans() | INT64 | TEXT
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=4),
    max_leaves=8,
)
DATABASES = st.dictionaries(
    TEXT,
    st.dictionaries(
        st.integers(min_value=1, max_value=10**6).map(str),
        st.dictionaries(TEXT, VALUES, max_size=6),
        max_size=5,
    ),
    max_size=3,
)


@settings(max_examples=100, deadline=None)
@given(DATABASES)
def test_encoding_is_byte_for_byte_what_the_standard_library_wrote(data) -> None:
    assert encode_database(data) == stdlib_bytes(data)
    assert decode_database(encode_database(data)) == data


@settings(max_examples=100, deadline=None)
@given(st.lists(st.floats(allow_nan=False, allow_infinity=False), max_size=10))
def test_floats_read_back_exactly(values: list[float]) -> None:
    data = {"settings": {"1": {"key": "k", "value": values}}}
    assert decode_database(encode_database(data)) == data


def deep(levels: int) -> object:
    value: object = "底"
    for _ in range(levels):
        value = [value]
    return value


REFUSED_BY_ORJSON = {
    "int beyond 64 bits": 2**70,
    "negative int beyond 64 bits": -(2**70),
    "key that is not a string": {1: "一"},
    "nesting deeper than orjson allows": deep(300),
}


@pytest.mark.parametrize("value", REFUSED_BY_ORJSON.values(), ids=REFUSED_BY_ORJSON.keys())
def test_values_orjson_refuses_are_saved_by_the_standard_library(value) -> None:
    data = {"settings": {"1": {"key": "k", "value": value}}}
    assert encode_database(data) == stdlib_bytes(data)
    assert decode_database(encode_database(data)) == json.loads(stdlib_bytes(data))


def test_lone_surrogate_is_escaped_not_a_crash() -> None:
    """A hand-edited "\\ud800" reads as a lone surrogate, which has no UTF-8 form."""
    data = decode_database(b'{"notes": {"1": {"text": "a\\ud800b \xe4\xb8\xad"}}}')
    assert data == {"notes": {"1": {"text": "a\ud800b 中"}}}
    raw = encode_database(data)
    raw.decode("ascii")  # every non-ASCII character escaped
    assert decode_database(raw) == data


def test_same_bytes_without_orjson(monkeypatch) -> None:
    data = {"notes": {"1": {"text": "中文 😀 \x00 \u2028", "start": 3, "ok": True, "q": None}}}
    fast = encode_database(data)
    monkeypatch.setattr(storage_module, "_orjson", None)
    assert encode_database(data) == fast == _encode_stdlib(data)


@dataclasses.dataclass
class Point:
    x: int


@pytest.mark.parametrize("value", [datetime(2024, 1, 1), Point(1), {1, 2}, object()])
def test_what_the_standard_library_refuses_is_still_refused(value) -> None:
    """orjson would quietly save dataclasses and datetimes; we must not."""
    with pytest.raises(TypeError):
        encode_database({"settings": {"1": {"value": value}}})


def test_settings_refuse_nan_and_infinity(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "briefing.json")
    for value in (float("nan"), float("inf"), [float("-inf")]):
        with pytest.raises(ValueError):
            store.settings.set("x", value)
    assert store.settings.all() == {}


def test_store_with_a_lone_surrogate_keeps_working(tmp_path: Path) -> None:
    db = tmp_path / "briefing.json"
    db.write_bytes(b'{"settings": {"1": {"key": "odd", "value": "x\\udc80y"}}}')
    store = Store.open(db)
    assert store.recovered_from is None
    store.notes.add(small_report(), "1.1", "新笔记")
    again = Store.open(db)
    assert again.recovered_from is None
    assert again.settings.get("odd") == "x\udc80y"
    assert [n.text for n in again.notes.list(small_report())] == ["新笔记"]


# -- one-pass insert ---------------------------------------------------------------


def test_note_ids_continue_from_the_highest_numeric_id(tmp_path: Path) -> None:
    """As TinyDB's insert: highest id + 1, compared as numbers ("10" > "5")."""
    db = tmp_path / "briefing.json"
    other = {"1": {"key": "theme", "value": "夜间"}}
    db.write_text(
        json.dumps({"notes": {"5": {"id": "a"}, "10": {"id": "b"}}, "settings": other}),
        "utf-8",
    )
    store = Store.open(db)
    note = store.notes.add(small_report(), "1.1", "第三条")
    data = json.loads(db.read_text("utf-8"))
    assert list(data["notes"]) == ["5", "10", "11"]
    assert data["notes"]["11"]["id"] == note.id
    assert data["settings"] == other


def test_first_note_creates_the_table(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "briefing.json")
    store.settings.set("theme", "dark")
    store.notes.add(small_report(), "1.1", "一")
    store.notes.add(small_report(), "1.1", "二")
    data = json.loads((tmp_path / "briefing.json").read_text("utf-8"))
    assert list(data["notes"]) == ["1", "2"]
    assert store.notes.count() == 2
    assert store.settings.get("theme") == "dark"


def test_failed_insert_leaves_nothing_in_memory(tmp_path: Path, monkeypatch) -> None:
    store = Store.open(tmp_path / "briefing.json")
    report = small_report()
    store.notes.add(report, "1.1", "已保存")

    def broken(path, data):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(storage_module, "atomic_write_bytes", broken)
    with pytest.raises(storage_module.StoreError):
        store.notes.add(report, "1.1", "没保存")
    monkeypatch.undo()
    assert [n.text for n in store.notes.list(report)] == ["已保存"]


# -- the memo never hides another process's change ---------------------------------

EDITOR = textwrap.dedent(
    """
    import sys
    from briefing.store import Store
    store = Store.open(sys.argv[1])
    note_id, text = sys.argv[2], sys.argv[3]
    store.notes.update(note_id, text)
    """
)

ADDER = textwrap.dedent(
    """
    import sys
    from briefing.model import Metadata, Report, Section
    from briefing.store import Store
    sections = (
        Section("1", 1, "一、", "第一部分", None, "一、第一部分"),
        Section("1.1", 2, "一是", "事项", "1", "一是事项。这里有一些文字，供笔记引用。"),
    )
    report = Report(Metadata(title="测试报告"), sections, sha256="c" * 64)
    Store.open(sys.argv[1]).notes.add(report, "1.1", sys.argv[2])
    """
)


def run(tmp_path: Path, script: str, *args: str) -> None:
    path = tmp_path / "script.py"
    path.write_text(script, "utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    subprocess.run([sys.executable, str(path), *args], check=True, env=env, timeout=60)


def test_same_size_replace_by_another_process_is_seen(tmp_path: Path) -> None:
    """Same length text: the file keeps its size; only its bytes tell the change."""
    db = tmp_path / "briefing.json"
    store = Store.open(db)
    report = small_report()
    note = store.notes.add(report, "1.1", "原来的字")
    assert store.notes.get(note.id).text == "原来的字"  # memo filled
    size = db.stat().st_size
    run(tmp_path, EDITOR, str(db), note.id, "别人的字")
    assert store.notes.get(note.id).text == "别人的字"
    # ``updated`` may change length with the clock; the text did not.
    assert abs(db.stat().st_size - size) <= 8


def test_in_place_edit_with_same_size_and_mtime_is_seen(tmp_path: Path) -> None:
    """An editor writing in place and restoring the mtime: same inode, size, mtime."""
    db = tmp_path / "briefing.json"
    store = Store.open(db)
    report = small_report()
    note = store.notes.add(report, "1.1", "甲乙丙")
    assert store.notes.get(note.id).text == "甲乙丙"
    before = db.stat()
    raw = db.read_bytes().replace("甲乙丙".encode(), "丁戊己".encode())
    with open(db, "r+b") as handle:
        handle.write(raw)
    os.utime(db, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = db.stat()
    assert (after.st_ino, after.st_size, after.st_mtime_ns) == (
        before.st_ino,
        before.st_size,
        before.st_mtime_ns,
    )
    assert store.notes.get(note.id).text == "丁戊己"


def test_other_process_writing_between_our_writes_is_never_lost(tmp_path: Path) -> None:
    db = tmp_path / "briefing.json"
    store = Store.open(db)
    report = small_report()
    store.notes.add(report, "1.1", "我们的第一条")
    run(tmp_path, ADDER, str(db), "别的进程的")
    store.notes.add(report, "1.1", "我们的第二条")  # must not write back a stale copy
    run(tmp_path, ADDER, str(db), "别的进程的第二条")
    store.settings.set("theme", "dark")
    texts = sorted(n.text for n in Store.open(db).notes.list(report))
    assert texts == sorted(["我们的第一条", "别的进程的", "我们的第二条", "别的进程的第二条"])
    assert Store.open(db).settings.get("theme") == "dark"


def _usual_notes_db(path: Path, count: int) -> Report:
    from briefing import load_report
    from briefing.store.sample import seed_notes

    report = load_report()
    seed_notes(path, report, count)
    return report


def test_a_database_of_usual_notes_is_not_searched_for_long_integers(tmp_path, monkeypatch):
    """Usual notes hold no float, so orjson cannot have widened an integer: no 19-digit search.

    The search (a translate of the whole file) was 0.1 s of every command at
    50,000 notes.
    """
    db = tmp_path / "briefing.json"
    _usual_notes_db(db, 20)
    searched: list[int] = []
    real = storage_module._long_integer

    def counted(raw: bytes) -> bool:
        searched.append(len(raw))
        return real(raw)

    monkeypatch.setattr(storage_module, "_long_integer", counted)
    store = Store.open(db)
    assert store.notes.count() == 20
    assert searched == []
    store.settings.set("ratio", 0.5)  # a float somewhere: now the bytes are looked at
    assert Store.open(db).settings.get("ratio") == 0.5
    assert searched


@pytest.mark.parametrize(
    "where",
    ["setting", "note field", "extra note field", "bad note", "table that is not a table"],
)
def test_integers_beyond_64_bits_anywhere_read_back_exactly(tmp_path, where: str) -> None:
    """orjson reads 10**25 as 1e25; wherever it is, the store keeps the integer and saves it."""
    db = tmp_path / "briefing.json"
    _usual_notes_db(db, 3)
    data = json.loads(db.read_text("utf-8"))
    big = 10**25 + 7
    note = dict(data["notes"]["1"])
    if where == "setting":
        data["settings"] = {"1": {"key": "big", "value": [big, 0.5]}}
    elif where == "note field":
        note["start"] = big
    elif where == "extra note field":
        note["future"] = {"n": big}
    elif where == "bad note":
        note["text"] = big
    else:
        data["odd"] = [big]
    data["notes"]["4"] = note
    db.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    store = Store.open(db)
    assert store.storage.read() == data
    store.settings.set("theme", "nord")  # the whole file is written again
    saved = json.loads(db.read_text("utf-8"))
    assert str(big) in db.read_text("utf-8")
    saved["settings"] = {k: v for k, v in saved["settings"].items() if v["key"] != "theme"}
    if not saved["settings"] and "settings" not in data:
        del saved["settings"]
    assert saved == data
