"""Adding a record splices it into the file's bytes instead of encoding every other one.

``note add`` with 50,000 notes re-encoded 36 MB to add one record.  When the
file is, around the table, exactly what the store writes, the new record goes
in before the table's closing brace; the bytes are then exactly what a full
write would give.  Any other layout is written whole, as before.
"""

from __future__ import annotations

import codecs
import json
from pathlib import Path
from typing import Any

import pytest

from briefing.model import Metadata, Report, Section
from briefing.store import Store
from briefing.store import storage as storage_module
from briefing.store.storage import encode_database

SHA = "b" * 64


def small_report() -> Report:
    sections = (
        Section("0", 1, "", "前言", None, "前言文字。"),
        Section("1", 1, "一、", "第一部分", None, "一、第一部分，这里有一些文字，供笔记引用。"),
    )
    return Report(Metadata(title="拼接测试"), sections, sha256=SHA)


def _note(i: int) -> dict[str, Any]:
    return {
        "id": f"n-{i}",
        "report": SHA,
        "report_title": "拼接测试",
        "section": "1",
        "section_title": "第一部分",
        "text": f"笔记 {i}",
        "quote": {"exact": "一些文字", "prefix": "这里有", "suffix": "，供笔记"},
        "start": 11,
        "end": 15,
        "status": "anchored",
        "created": "2024-05-01T10:00:00+08:00",
        "updated": "2024-05-01T10:00:00+08:00",
    }


LAYOUTS = {
    "only notes": {"notes": {str(i): _note(i) for i in range(1, 6)}},
    "notes first": {
        "notes": {"1": _note(1), "7": _note(7)},
        "bookmarks": {"1": {"section": "1", "id": "b"}},
        "settings": {"1": {"key": "theme", "value": "dark"}},
    },
    "notes between": {
        "settings": {"1": {"key": "theme", "value": "dark"}},
        "notes": {"2": _note(2)},
        "reading_state": {"1": {"report": SHA, "section": "1", "paragraph": 2}},
    },
    "notes empty": {"settings": {"1": {"key": "x", "value": 1}}, "notes": {}},
}


def _encodes(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    seen: list[dict[str, Any]] = []
    real = storage_module.encode_database

    def spy(data: dict[str, Any]) -> bytes:
        seen.append(data)
        return real(data)

    monkeypatch.setattr(storage_module, "encode_database", spy)
    return seen


@pytest.mark.parametrize("data", LAYOUTS.values(), ids=LAYOUTS.keys())
def test_a_note_added_to_a_file_the_store_wrote_is_spliced_in(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, data: dict[str, Any]
) -> None:
    db = tmp_path / "briefing.json"
    db.write_bytes(encode_database(data))
    store = Store.open(db)
    seen = _encodes(monkeypatch)
    added = store.notes.add(small_report(), "1", "新的", quote="一些文字")
    # Nothing encoded the notes already there.
    assert not [d for d in seen if d.get("notes")]
    saved = json.loads(db.read_bytes())
    assert db.read_bytes() == encode_database(saved)  # what a full write gives
    notes = saved["notes"]
    assert list(saved) == list(data)
    assert {k: v for k, v in notes.items() if v["id"] != added.id} == data["notes"]
    new_key = str(max((int(k) for k in data["notes"]), default=0) + 1)
    assert notes[new_key]["id"] == added.id
    assert added.id in {n.id for n in Store.open(db).notes.list(small_report())}


ODD = {
    "spaces and a newline": lambda d: json.dumps(d, indent=1, ensure_ascii=False).encode() + b"\n",
    "escaped": lambda d: json.dumps(d).encode(),
    "byte-order mark": lambda d: codecs.BOM_UTF8 + encode_database(d),
    "two notes tables": lambda d: (
        b'{"notes":{"1":' + encode_database(_note(99)) + b"}," + encode_database(d)[1:]
    ),
}


@pytest.mark.parametrize("layout", ODD.values(), ids=ODD.keys())
def test_other_layouts_are_saved_whole_and_lose_nothing(tmp_path: Path, layout: Any) -> None:
    data = LAYOUTS["notes first"]
    db = tmp_path / "briefing.json"
    db.write_bytes(layout(data))
    store = Store.open(db)
    added = store.notes.add(small_report(), "1", "新的", quote="一些文字")
    saved = json.loads(db.read_bytes().decode("utf-8-sig"))
    assert saved["bookmarks"] == data["bookmarks"] and saved["settings"] == data["settings"]
    assert {v["id"] for v in saved["notes"].values()} == {"n-1", "n-7", added.id}


def test_many_adds_in_a_row_keep_a_file_equal_to_a_full_write(tmp_path: Path) -> None:
    db = tmp_path / "briefing.json"
    store = Store.open(db)
    report = small_report()
    store.settings.set("theme", "dark")
    ids = [store.notes.add(report, "1", f"第{i}条").id for i in range(5)]
    store.bookmarks.add(report, "1")
    ids += [store.notes.add(report, "0", "再一条").id]
    raw = db.read_bytes()
    assert raw == encode_database(json.loads(raw))
    assert [n.id for n in Store.open(db).notes.list(report)] == [ids[-1], *ids[:-1]]
