"""A Markdown file (a README, notes, a report exported to Markdown) reads by its ``#`` headings.

``briefing sections README.md`` listed the Chinese headings of a sample report shown
in a code block as the README's sections, and cut its prose into 前言 and 正文.
A reader who opens Markdown expects its outline: ``#`` headings as sections, nested
by their marks, a code block as text, the first ``# Title`` as the title.
"""

from __future__ import annotations

from pathlib import Path

from briefing.figures import report_figures
from briefing.parse import is_markdown, parse_report

ROOT = Path(__file__).resolve().parent.parent

NOTES = """# 某某市2021年度法治政府建设工作报告 笔记

读后记下的要点。

## 书签

- 一、加强组织领导

### 细节

全年办理行政复议案件126件。

```text
一、加强组织领导
(一)压实责任。
# not a heading inside a code block
```

## 未能定位的笔记 ##

二、这一行不是标题,而是列表里的文字。
"""


def test_markdown_headings_are_the_sections_nested_by_their_marks() -> None:
    report = parse_report(NOTES)
    assert report.metadata.title == "某某市2021年度法治政府建设工作报告 笔记"
    shown = [(s.id, s.level, s.number, s.title) for s in report.sections]
    assert shown == [
        ("0", 1, "", "前言"),
        ("1", 1, "", "书签"),
        ("1.1", 2, "", "细节"),
        ("2", 1, "", "未能定位的笔记"),
    ]


def test_a_code_block_is_its_sections_text() -> None:
    report = parse_report(NOTES)
    detail = report.sections[2]
    assert "(一)压实责任。" in detail.text
    assert "# not a heading inside a code block" in detail.text
    assert "二、这一行不是标题" in report.sections[3].text


def test_markdown_keeps_every_line_and_its_figures() -> None:
    report = parse_report(NOTES)
    lines = [line.strip() for line in NOTES.splitlines()[1:] if line.strip()]
    assert "\n".join(s.text for s in report.sections).split("\n") == lines
    assert [f.text for f in report_figures(report)] == ["126件"]


def test_a_report_is_not_markdown() -> None:
    report = "某某县2022年法治政府建设情况报告\n一、主要举措\n#法治中国# 话题下的讨论。\n"
    assert not is_markdown(report.splitlines())
    assert parse_report(report).sections[-1].number == "一、"


def test_one_heading_on_the_first_line_is_markdown_too() -> None:
    report = parse_report("# 工作笔记\n\n全年办理案件126件。\n")
    assert report.metadata.title == "工作笔记"
    assert report.sections[0].text == "全年办理案件126件。"


def test_the_readme_of_this_repository_reads_by_its_headings() -> None:
    text = (ROOT / "README.md").read_text("utf-8")
    report = parse_report(text, path=ROOT / "README.md")
    outside_code = []
    fenced = False
    for line in text.splitlines():
        if line.startswith("```"):
            fenced = not fenced
        elif not fenced and line.startswith("## "):
            outside_code.append(line[3:].strip())
    assert report.metadata.title == "briefing"
    assert [s.title for s in report.sections if s.title != "前言"] == outside_code


def test_a_numbered_markdown_heading_keeps_its_number_apart() -> None:
    report = parse_report("# 某某报告\n\n## 一、加强组织领导。全年开会3次\n\n正文。\n")
    assert [(s.number, s.title) for s in report.sections] == [("一、", "加强组织领导")]
