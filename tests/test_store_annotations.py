"""Repositories: bookmarks, notes, reading position, settings."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

import pytest

from briefing.model import Metadata, Report, Section
from briefing.source import clean_text
from briefing.store import AnchorError, NotFound, Store

NASTY = [
    "# 不是标题",
    "> 不是引用\n>> 也不是",
    "---",
    "文字\n===",
    "```python\nprint('x')\n```",
    "~~~\n代码\n~~~",
    "| a | b |\n|---|---|\n| 1 | 2 |",
    "<script>alert('x')</script>",
    "[点我](javascript:alert(1))",
    "[/]",
    "\x1b[31m红色\x1b[0m 和 \x1b]0;title\x07 标题",
    "表情 😀🇨🇳👨‍👩‍👧 完",
    "扩展B 𠀀𠀁𪚥 字",
    "长" * 10_000,
    "  1. 列表\n- 另一个\n* 星\n+ 加",
    "<!-- 注释 -->\n<div>块</div>",
    "\\# 反斜杠 \\",
    "[ref]: https://example.com",
    "    缩进四格\n\t制表符",
    "空行\n\n\n\n之后",
]


def small_report(sha: str = "a" * 64, title: str = "测试报告") -> Report:
    sections = (
        Section("0", 1, "", "前言", None, "前言文字。"),
        Section("1", 1, "一、", "第一部分", None, "一、第一部分"),
        Section("1.1", 2, "一是", "事项", "1", "一是事项。这里有一些文字，供笔记引用。再一句。"),
        Section("2", 1, "二、", "第二部分", None, "二、第二部分"),
    )
    return Report(Metadata(title=title), sections, sha256=sha)


@pytest.fixture()
def store(tmp_path: Path) -> Store:
    return Store.open(tmp_path / "briefing.json")


ISO = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$")


def test_bookmark_add_twice_keeps_one(store: Store) -> None:
    report = small_report()
    first = store.bookmarks.add(report, "1.1")
    second = store.bookmarks.add(report, "1.1")
    assert first.id == second.id
    assert len(store.bookmarks.list(report)) == 1
    assert ISO.match(first.created)
    datetime.fromisoformat(first.created)
    assert first.section_title == "事项"
    assert first.report == report.sha256 and first.report_title == "测试报告"


def test_bookmark_toggle_remove_and_order(store: Store) -> None:
    report = small_report()
    assert store.bookmarks.toggle(report, "2") is True
    assert store.bookmarks.toggle(report, "1.1") is True
    assert [b.section for b in store.bookmarks.list(report)] == ["1.1", "2"]
    assert store.bookmarks.toggle(report, "2") is False
    assert store.bookmarks.remove(report, "2") is False
    assert store.bookmarks.remove(report, "1.1") is True
    assert store.bookmarks.list(report) == []


def test_bookmark_unknown_section(store: Store) -> None:
    with pytest.raises(AnchorError):
        store.bookmarks.add(small_report(), "9.9")


def test_other_reports_are_separate(store: Store) -> None:
    a, b = small_report(), small_report("b" * 64, "另一份报告")
    store.bookmarks.add(a, "1")
    store.notes.add(a, "1.1", "甲")
    assert store.bookmarks.list(b) == []
    assert store.notes.list(b) == []


def test_note_add_quote_span_and_whole_section(store: Store) -> None:
    report = small_report()
    text = report.section("1.1").text
    by_quote = store.notes.add(report, "1.1", "引用", quote="一些文字")
    assert text[by_quote.start : by_quote.end] == "一些文字"
    assert by_quote.quote.prefix == text[: by_quote.start]
    by_span = store.notes.add(report, "1.1", "跨度", 2, 4)
    assert by_span.quote.exact == text[2:4]
    whole = store.notes.add(report, "1.1", "整节")
    assert (whole.start, whole.end) == (0, len(text))
    assert [n.id for n in store.notes.list(report)] == [whole.id, by_span.id, by_quote.id]
    with pytest.raises(AnchorError):
        store.notes.add(report, "1.1", "x", quote="不存在")
    with pytest.raises(AnchorError):
        store.notes.add(report, "7", "x")


def test_note_update_remove_get(store: Store) -> None:
    report = small_report()
    note = store.notes.add(report, "1.1", "旧")
    updated = store.notes.update(note.id, "新 \x1b[1m粗\x1b[0m")
    assert updated.text == "新 粗"
    assert updated.created == note.created
    assert store.notes.get(note.id).text == "新 粗"
    assert store.notes.match_id(note.id[:8]) == note.id
    assert store.notes.remove(note.id) is True
    assert store.notes.remove(note.id) is False
    assert store.notes.get(note.id) is None
    with pytest.raises(NotFound):
        store.notes.update(note.id, "x")


@pytest.mark.parametrize("text", NASTY, ids=range(len(NASTY)))
def test_nasty_note_round_trip(tmp_path: Path, text: str) -> None:
    db = tmp_path / "briefing.json"
    report = small_report()
    added = Store.open(db).notes.add(report, "1.1", text, quote="一些文字")
    [again] = Store.open(db).notes.list(report)
    assert again.text == clean_text(text) == added.text
    assert "\x1b" not in again.text


def test_reading_position(store: Store) -> None:
    report = small_report()
    assert store.reading.get(report) is None
    store.reading.set(report, "1.1", 2)
    store.reading.set(report, "2", 0)
    state = store.reading.get(report)
    assert (state.section, state.paragraph) == ("2", 0)
    assert len(store.storage.read()["reading_state"]) == 1
    # A new edition of the same report starts where the old one was left.
    new = small_report("c" * 64)
    assert store.reading.get(new).section == "2"
    with pytest.raises(AnchorError):
        store.reading.set(report, "nope", 0)


def test_settings(store: Store) -> None:
    assert store.settings.get("theme", "default") == "default"
    store.settings.set("theme", "夜间")
    store.settings.set("fuzzy", True)
    store.settings.set("theme", "日间")
    assert store.settings.get("theme") == "日间"
    assert store.settings.all() == {"theme": "日间", "fuzzy": True}
    with pytest.raises(ValueError):
        store.settings.set("bad", object())
    assert store.settings.get("bad") is None


def test_default_path_from_environment(tmp_path: Path, monkeypatch) -> None:
    target = tmp_path / "env" / "db.json"
    monkeypatch.setenv("BRIEFING_DB", str(target))
    assert Store.open().path == target
    assert target.exists()
