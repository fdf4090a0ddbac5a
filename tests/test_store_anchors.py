"""Re-anchoring notes and bookmarks on a changed edition of the bundled report."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from briefing.model import Quote, Report
from briefing.parse import parse_report
from briefing.resources import bundled_report_path
from briefing.source import read_source
from briefing.store import AnchorError, Store
from briefing.store.anchors import locate, make_quote, reanchor


@pytest.fixture(scope="module")
def original_text() -> str:
    return read_source(bundled_report_path())


@pytest.fixture(scope="module")
def original(original_text: str) -> Report:
    return parse_report(original_text)


def edition(text: str, *replacements: tuple[str, str]) -> Report:
    """A new edition: the same report with some passages changed."""
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new, 1)
    return parse_report(text)


def renumbered(text: str) -> Report:
    """A new top-level section inserted first: every later one is renumbered."""
    numerals = "一二三四五六七八九"
    lines = []
    for line in text.split("\n"):
        match = re.match(r"^([一二三四五六七八])、", line)
        if match:
            line = numerals[numerals.index(match.group(1)) + 1] + line[1:]
        lines.append(line)
    shifted = "\n".join(lines)
    return edition(
        shifted,
        (
            "二、加强法治政府建设保障",
            "一、新增的工作部分\n一是新增事项。这是为测试插入的一段新的文字内容。\n"
            "二、加强法治政府建设保障",
        ),
    )


def section_with(report: Report, words: str) -> str:
    hits = [s.id for s in report.sections if words in s.text]
    assert len(hits) == 1, (words, hits)
    return hits[0]


def check(report: Report, note) -> None:
    assert note.status in ("anchored", "moved")
    assert report.section(note.section).text[note.start : note.end] == note.quote.exact


@pytest.fixture()
def store(tmp_path: Path) -> Store:
    return Store.open(tmp_path / "briefing.json")


QUOTE = "对84家市级机关单位普法情况进行评议"
INSERTED = "这是新一版报告中在本段开头插入的一句很长的话，用来改变所有位置。" * 4


def test_unchanged_edition_stays_anchored(store: Store, original: Report) -> None:
    added = store.notes.add(original, "1.3", "看这里", quote=QUOTE)
    [note] = store.notes.list(original)
    assert note == added
    assert note.status == "anchored"


def test_same_text_moved_by_an_inserted_passage(
    store: Store, original: Report, original_text: str
) -> None:
    added = store.notes.add(original, "1.3", "看这里", quote=QUOTE)
    new = edition(
        original_text, ("三是着力营造法治建设氛围。", "三是着力营造法治建设氛围。" + INSERTED)
    )
    assert new.sha256 != original.sha256
    [note] = store.notes.list(new)
    check(new, note)
    assert note.quote.exact == QUOTE
    assert note.start == added.start + len(INSERTED)
    assert note.status == "moved"
    assert note.text == "看这里"
    # Written back, with the first anchor kept.
    record = store.storage.read()["notes"]["1"]
    assert record["report"] == new.sha256
    assert record["original"]["quote"]["exact"] == QUOTE
    assert record["original"]["report"] == original.sha256
    # The old edition still finds it (exactly, at its old place).
    [back] = store.notes.list(original)
    assert (back.section, back.start, back.end) == (added.section, added.start, added.end)
    assert store.storage.read()["notes"]["1"]["original"]["report"] == original.sha256


def test_paragraph_inserted_before_the_section(
    store: Store, original: Report, original_text: str
) -> None:
    added = store.notes.add(original, "1.3", "看这里", quote=QUOTE)
    new = edition(
        original_text,
        (
            "三是着力营造法治建设氛围。",
            "三是新增的一个事项。内容在此。\n四是着力营造法治建设氛围。",
        ),
    )
    [note] = store.notes.list(new)
    check(new, note)
    assert new.section(note.section).title == "着力营造法治建设氛围"
    assert note.section != added.section
    assert (note.start, note.end) == (added.start, added.end)  # 三是 -> 四是: same length
    assert note.status == "moved"


def test_lightly_edited_quote(store: Store, original: Report, original_text: str) -> None:
    store.notes.add(original, "1.3", "评议", quote=QUOTE)
    edited = "对86家市级机关单位普法情况开展评议"
    new = edition(original_text, (QUOTE, edited))
    [note] = store.notes.list(new)
    check(new, note)
    assert note.quote.exact == edited
    assert note.status == "moved"
    assert store.storage.read()["notes"]["1"]["original"]["quote"]["exact"] == QUOTE


def test_edited_quote_and_context_found_near_the_old_place(
    store: Store, original: Report, original_text: str
) -> None:
    quote = "遴选200名“八五”普法讲师,更新140名非公经济法治护航讲师团成员"
    store.notes.add(original, "1.3", "讲师", quote=quote)
    new = edition(
        original_text,
        ("完善普法责任履职“三单一书”制度,对84家", "健全普法责任制度,对90家"),
        (quote, "遴选210名“八五”普法讲师,更新140名非公经济法治护航讲师团的成员"),
        ("开设100家村(社区)法治直播间", "开设120个法治直播间"),
    )
    [note] = store.notes.list(new)
    check(new, note)
    assert "遴选210名" in note.quote.exact
    assert "讲师团的成员" in note.quote.exact


def test_section_renumbered(store: Store, original: Report, original_text: str) -> None:
    added = store.notes.add(original, "2.1", "放管服", quote="放管服")
    mark = store.bookmarks.add(original, "2.1")
    new = renumbered(original_text)
    assert new.section("2.1").title != original.section("2.1").title
    [note] = store.notes.list(new)
    check(new, note)
    assert note.section == "3.1"
    assert (note.start, note.end) == (added.start, added.end)
    [moved] = store.bookmarks.list(new)
    assert moved.section == "3.1"
    assert moved.id == mark.id
    assert moved.status == "moved"


def test_deleted_passage_is_orphaned_not_dropped(
    store: Store, original: Report, original_text: str
) -> None:
    quote = "青少年法治题材电影《冬雪暖阳》在全国公映"
    added = store.notes.add(original, "1.3", "电影", quote=quote)
    store.notes.add(original, "1.1", "还在", quote="召开市委全面依法治市工作会议")
    new = edition(original_text, (quote + ",", ""))
    notes = store.notes.list(new)
    assert [n.status for n in notes] == ["anchored", "orphaned"]
    orphan = notes[-1]
    assert orphan.id == added.id
    assert orphan.text == "电影"
    assert orphan.quote.exact == quote
    # Orphans are not rewritten on disk: the old edition still has them.
    [again, _] = store.notes.list(original)[::-1]
    assert again.status in ("anchored", "moved")


def test_duplicate_quote_told_apart_by_context(
    store: Store, original: Report, original_text: str
) -> None:
    words = "非公经济法治护航"
    section = original.section("1.3")
    first = section.text.find(words)
    second = section.text.find(words, first + 1)
    assert first >= 0 and second > first
    added = store.notes.add(original, "1.3", "第二处", second, second + len(words))
    new = edition(
        original_text, ("三是着力营造法治建设氛围。", "三是着力营造法治建设氛围。" + INSERTED)
    )
    [note] = store.notes.list(new)
    check(new, note)
    text = new.section(note.section).text
    assert note.start == text.find(words, text.find(words) + 1)
    assert note.start == added.start + len(INSERTED)


def test_look_alike_elsewhere_is_not_taken(
    store: Store, original: Report, original_text: str
) -> None:
    quote = "全省平均得分92.98分"
    store.notes.add(original, "1.3", "平均分", quote=quote)
    store.notes.add(original, "1.3", "满意度", quote="93.46分")
    new = edition(
        original_text,
        ("满意度得分93.46分,全省平均得分92.98分,位列全省第四", "满意度位列全省第四"),
        ("创新市域社会治理。", "创新市域社会治理。群众满意度93.46分,全省平均得分91.98分。"),
    )
    notes = store.notes.list(new)
    assert [n.status for n in notes] == ["orphaned", "orphaned"]


def test_reanchor_without_context_refuses_weak_short_matches(original: Report) -> None:
    assert reanchor(original, "9", "不存在的部分", Quote("法治"), 0, 2) is None


def test_make_quote_context() -> None:
    text = "甲" * 40 + "目标" + "乙" * 40
    quote = make_quote(text, 40, 42)
    assert quote == Quote("目标", "甲" * 32, "乙" * 32)
    assert make_quote("目标在此", 0, 2) == Quote("目标", "", "在此")


def test_locate_errors(original: Report) -> None:
    section = original.section("1.1")
    with pytest.raises(AnchorError):
        locate(section, "不在这一节里的话", None, None)
    with pytest.raises(AnchorError):
        locate(section, "", None, None)
    with pytest.raises(AnchorError):
        locate(section, None, 5, None)
    with pytest.raises(AnchorError):
        locate(section, None, 5, 5000)
    assert locate(section, None, None, None) == (0, len(section.text))


def test_whole_section_note_follows_lightly_edited_section(
    store: Store, original: Report, original_text: str
) -> None:
    store.notes.add(original, "2.3", "整节")
    old = original.section("2.3").text
    new = edition(original_text, (old[20:30], old[20:28]))
    [note] = store.notes.list(new)
    check(new, note)
    assert note.section == "2.3"
    assert (note.start, note.end) == (0, len(new.section("2.3").text))


def test_bookmark_follows_title_and_orphans_when_gone(
    store: Store, original: Report, original_text: str
) -> None:
    store.bookmarks.add(original, "1.3")
    title = original.section("1.3").title
    new = edition(original_text, (f"三是{title}。", "三是另一个完全不同的标题。"))
    [mark] = store.bookmarks.list(new)
    assert mark.status == "orphaned"
    assert mark.section_title == title
    [again] = store.bookmarks.list(original)
    assert again.section == "1.3"
