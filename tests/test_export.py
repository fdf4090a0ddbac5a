"""Markdown export: outline that user text cannot break, names, atomic writing."""

from __future__ import annotations

import os
import re
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from test_store_annotations import NASTY

from briefing import load_report
from briefing.export import (
    ExportError,
    default_export_name,
    render_markdown,
    write_export,
)
from briefing.model import Metadata, Report, Section
from briefing.source import clean_text
from briefing.store import Store

WHEN = datetime(2024, 5, 1, 10, 30, tzinfo=timezone(timedelta(hours=8)))
BLOCK_TOKENS = {"heading_open", "hr", "html_block", "fence", "table_open"}


def headings(markdown: str) -> list[tuple[str, str]]:
    """(tag, inline text) of every heading, as markdown-it-py reads the file."""
    tokens = MarkdownIt("commonmark").enable("table").parse(markdown)
    out = []
    for i, token in enumerate(tokens):
        if token.type == "heading_open":
            out.append((token.tag, tokens[i + 1].content))
    return out


def plain_text(markdown: str) -> str:
    """All text a reader of the rendered file sees."""
    tokens = MarkdownIt("commonmark").enable("table").parse(markdown)
    parts = []
    for token in tokens:
        for child in token.children or []:
            if child.type in ("text", "code_inline"):
                parts.append(child.content)
            elif child.type in ("softbreak", "hardbreak"):
                parts.append("\n")
        if token.type in ("code_block", "fence"):
            parts.append(token.content)
        parts.append("\n")
    return "".join(parts)


def block_types(markdown: str) -> list[str]:
    tokens = MarkdownIt("commonmark").enable("table").parse(markdown)
    return [t.type for t in tokens if t.type in BLOCK_TOKENS or t.type == "html_inline"] + [
        c.type for t in tokens for c in (t.children or []) if c.type in ("html_inline", "link_open")
    ]


@pytest.fixture(scope="module")
def report() -> Report:
    return load_report()


def test_outline_with_every_nasty_note(tmp_path: Path, report: Report) -> None:
    store = Store.open(tmp_path / "briefing.json")
    store.bookmarks.add(report, "2.1")
    store.bookmarks.add(report, "1")
    sections = ["1.3", "1.1", "2.1", "6.2", "0"]
    for i, text in enumerate(NASTY):
        store.notes.add(report, sections[i % len(sections)], text)
    # An orphan: stored against an older edition whose passage is gone.
    store.notes.add(report, "1.1", "孤儿 # 笔记", quote="召开市委全面依法治市工作会议")
    data = store.storage.read()
    for record in data["notes"].values():
        if record["text"].startswith("孤儿"):
            record["report"] = "0" * 64
            record["quote"]["exact"] = "已被删除的一段不存在的原文内容"
            record["section"] = "9"
            record["section_title"] = "已删除"
    with store.storage.transaction():
        store.storage.write(data)

    notes = store.notes.list(report)
    assert notes[-1].status == "orphaned"
    markdown = render_markdown(report, notes, store.bookmarks.list(report), exported_at=WHEN)

    assert markdown.endswith("\n") and not markdown.endswith("\n\n")
    assert "\x1b" not in markdown
    assert headings(markdown) == [
        ("h1", report.title),
        ("h2", "书签"),
        ("h2", "前言"),
        ("h2", "一、加强法治政府建设保障"),
        ("h3", "一是切实履行第一责任人职责"),
        ("h3", "三是着力营造法治建设氛围"),
        ("h2", "二、依法全面履行政府职能"),
        ("h3", "一是全面深化“放管服”改革"),
        ("h2", "六、依法有效化解社会矛盾"),
        ("h3", "二是依法防控重大风险"),
        ("h2", "未能定位的笔记"),
    ]
    # Nothing but our headings: no rule, HTML, fence, table or link anywhere.
    assert [t for t in block_types(markdown) if t != "heading_open"] == []
    seen = plain_text(markdown)
    for text in [*NASTY, "孤儿 # 笔记"]:
        for word in re.findall(r"\w+", clean_text(text)):
            assert word in seen, word
    assert "<script>alert('x')</script>" in seen  # shown as text, not run
    assert "导出时间：2024-05-01 10:30" in seen
    assert "常州市人民政府" in seen and "014109429/2022-00045" in seen


def test_quotes_on_every_line(report: Report, tmp_path: Path) -> None:
    store = Store.open(tmp_path / "briefing.json")
    store.notes.add(report, "1.1", "第一行\n\n第二段")
    markdown = render_markdown(report, store.notes.list(report), [], exported_at=WHEN)
    tokens = MarkdownIt("commonmark").parse(markdown)
    kinds = [t.type for t in tokens if t.level == 0 and t.nesting >= 0]
    assert kinds.count("blockquote_open") == 1
    quoted = [line for line in markdown.splitlines() if line.startswith(">")]
    assert "".join(line[2:] for line in quoted) == report.section("1.1").text


def test_section_titles_with_markup_stay_one_heading() -> None:
    sections = (
        Section("1", 1, "一、", "# <b>标题</b> ---", None, "一、# <b>标题</b> ---\n=== 正文"),
    )
    report = Report(Metadata(title="报告 <i>x</i> # 1"), sections, sha256="d" * 64)
    from briefing.model import Note, Quote

    note = Note(
        "n",
        report.sha256,
        report.title,
        "1",
        "笔记",
        Quote(sections[0].text),
        0,
        len(sections[0].text),
        "2024-01-01T00:00:00+08:00",
        "2024-01-01T00:00:00+08:00",
    )
    markdown = render_markdown(report, [note], [], exported_at=WHEN)
    assert headings(markdown) == [
        ("h1", "报告 \\<i>x\\</i> \\# 1"),
        ("h2", "书签"),
        ("h2", "一、\\# \\<b>标题\\</b> ---"),
    ]
    assert [t for t in block_types(markdown) if t != "heading_open"] == []


def test_ten_thousand_notes_render(report: Report) -> None:
    from briefing.model import Note, Quote

    notes = [
        Note(
            str(i),
            report.sha256,
            report.title,
            s.id,
            f"笔记 {i}",
            Quote(s.text[:5]),
            0,
            5,
            "2024-01-01T00:00:00+08:00",
            "2024-01-01T00:00:00+08:00",
        )
        for i, s in zip(range(10_000), report.sections * 400, strict=False)
    ]
    markdown = render_markdown(report, notes, [], exported_at=WHEN)
    assert markdown.count("笔记 ") == 10_000


@pytest.mark.parametrize(
    ("title", "date", "expected"),
    [
        (
            "常州市2021年度法治政府建设工作报告",
            "2022-03-25",
            "常州市2021年度法治政府建设工作报告-2022-03-25-笔记.md",
        ),
        ('a/b\\c:d*e?f"g<h>i|j', "", "a_b_c_d_e_f_g_h_i_j-笔记.md"),
        ("\x1b[31m红\x07色\x00", "", "红色-笔记.md"),
        ("", "", "briefing-笔记.md"),
        ("...", "", "briefing-笔记.md"),
        ("CON", "", "briefing-CON-笔记.md"),
        ("-rf", "", "rf-笔记.md"),
    ],
)
def test_default_export_name(title: str, date: str, expected: str) -> None:
    report = Report(Metadata(title=title, date=date), (), sha256="e" * 64)
    assert default_export_name(report) == expected


def test_default_export_name_length() -> None:
    report = Report(Metadata(title="长" * 500, date="2022-03-25"), (), sha256="e" * 64)
    name = default_export_name(report)
    assert len(name.encode("utf-8")) < 255
    assert not re.search(r'[/\\:*?"<>|\x00-\x1f]', name)


def test_write_export_atomic_and_errors(tmp_path: Path) -> None:
    target = tmp_path / "out.md"
    target.write_text("old", "utf-8")
    assert write_export(target, "新内容\n") == target
    assert target.read_text("utf-8") == "新内容\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.md"]
    with pytest.raises(ExportError):
        write_export(tmp_path, "x")
    with pytest.raises(ExportError):
        write_export(tmp_path / "missing" / "out.md", "x")


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("#>=-*+_`~|:<[]\\ \t0123456789.)ab文")), max_size=10))
def test_a_one_line_block_is_escaped_as_escape_line_escapes_it(text: str) -> None:
    """The quick check for a plain quote or note never lets through what needs escaping."""
    from briefing.export import escape_block, escape_line

    if not text.isprintable():
        return
    line = escape_line(text.rstrip())
    assert escape_block(text) == ([line] if line.strip() else [])


@settings(max_examples=300, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(list("法治 \t#>=-*+_`~|:<[]\\1２٣.)\n\x1b\u3000\u200b")),
        max_size=12,
    )
)
def test_a_plain_line_is_what_escape_block_makes_of_it(text: str) -> None:
    """The export's per-note shortcut (``_plain_line``) never differs from ``escape_block``."""
    from briefing.export import _plain_line, escape_block

    line = _plain_line(text)
    if line is not None:
        assert escape_block(text) == [line]


def test_a_folder_that_makes_no_files_is_named_as_such(tmp_path, monkeypatch):
    """/proc/x.md: the folder exists but creating a file there fails with ENOENT;
    the message said "no such file or folder", sending the user to look for it."""
    import errno as errno_codes

    import briefing.store.files as files

    def refuse(*args, **kwargs):
        raise FileNotFoundError(errno_codes.ENOENT, "No such file or directory")

    monkeypatch.setattr(files, "atomic_write_bytes", refuse)
    with pytest.raises(ExportError) as caught:
        write_export(tmp_path / "x.md", "x")
    assert "does not accept new files" in str(caught.value)
    assert "no such file" not in str(caught.value)
    if os.path.isdir("/proc/self"):
        monkeypatch.undo()
        with pytest.raises(ExportError) as caught:
            write_export("/proc/x.md", "x")
        assert "/proc" in str(caught.value)
