"""Shapes of pages first met in the unseen reports (tests/reports/real, set of qa5).

Each test is the class behind one miss of that set, written with made-up text
so that it does not depend on one report.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from briefing.parse import is_junk, parse_report

PARAGRAPH = "2024年,全县各项工作稳步推进,群众满意度持续提升。"


@pytest.mark.parametrize(
    "line",
    ["正文", "会员登录  新用户注册 退出", "跳转到内容", "登录 | 注册 | 退出"],
)
def test_login_bars_skip_links_and_a_lone_last_crumb_are_furniture(line: str) -> None:
    assert is_junk(line)


def test_a_news_headline_under_a_lone_crumb_is_the_title() -> None:
    headline = "某某代表团举行全体会议审议政府工作报告 张三李四出席"
    report = parse_report(f"正文\n\n{headline}\n\n{PARAGRAPH}\n")
    assert report.metadata.title == headline


@pytest.mark.parametrize("label", ["政府报告", "部门文件", "工作报告", "政策文件"])
def test_a_column_label_is_not_the_title(label: str) -> None:
    headline = "(某省)2019年某某县人民政府工作报告(全文)"
    text = f"您现在的位置是: 首页 > 专题材料 > 某某\n\n{label}\n\n{headline}\n\n{PARAGRAPH}\n"
    assert parse_report(text).metadata.title == headline


def test_a_bare_government_work_report_is_still_a_title() -> None:
    assert parse_report(f"政府工作报告\n\n{PARAGRAPH}\n").metadata.title == "政府工作报告"
    assert parse_report(f"政 府 工 作 报 告\n\n{PARAGRAPH}\n").metadata.title == "政府工作报告"


ONE_LINE_SPEECH = (
    "政府工作报告jZD   2019年5月23日在某某县第十四届人民代表大会第三次会议上jZD   "
    "各位代表:jZD   现在,我代表县人民政府,向大会报告政府工作,请予审议。jZD   "
    "一、2018年工作回顾jZD   2018年,是克难攻坚的一年。一年来,经济平稳。jZD   "
    "减贫成效十分显著。60个贫困村达标退出。jZD   二、2019年工作安排jZD   "
    "今年工作的总体要求是稳中求进。jZD"
)


def test_paragraphs_glued_with_a_site_mark_are_split_and_headings_lose_the_mark() -> None:
    report = parse_report(ONE_LINE_SPEECH + "\n")
    headings = [(s.number, s.title) for s in report.sections if s.number]
    assert headings == [("一、", "2018年工作回顾"), ("二、", "2019年工作安排")]
    first = report.section("1").text
    assert first.startswith("一、2018年工作回顾jZD\n2018年")  # the mark stays in the text


def test_a_latin_word_after_a_few_sentences_is_no_mark() -> None:
    line = "会议审议了报告。APP 上线运行。用户反映良好。APP 下载量上升。一、下一步工作"
    report = parse_report(line + "\n")
    assert "\n" not in "".join(s.text for s in report.sections)


def test_a_teaser_line_with_marks_after_words_is_not_split() -> None:
    from briefing.parse import split_at_marks

    teaser = "某某县人民政府工作报告(全文) 政府工作报告jZD  2019年5月23日在某某县会议上jZD  县长张"
    assert split_at_marks(teaser) == [teaser]


def test_a_headline_with_a_note_gives_way_to_the_title_the_document_prints() -> None:
    text = (
        "跳转到内容\n\n某某部关于某某工作情况的报告 (2020年)\n\n某某文库,自由的图书馆\n"
        "某某部关于某某工作情况的报告\n某某部部长张三\n\n" + PARAGRAPH + "\n"
    )
    assert parse_report(text).metadata.title == "某某部关于某某工作情况的报告"


def test_a_title_with_a_note_and_no_clean_repeat_keeps_its_note() -> None:
    text = "某某县关于某某工作情况的报告(2020年)\n\n" + PARAGRAPH + "\n"
    assert parse_report(text).metadata.title == "某某县关于某某工作情况的报告(2020年)"


@settings(max_examples=400)
@given(
    st.lists(
        st.text(alphabet=st.sampled_from("法治。：”）)aPZlQxY1 \u3000"), max_size=14), max_size=8
    )
)
def test_the_paragraph_mark_is_found_as_by_a_search_of_whole_lines(lines: list[str]) -> None:
    """``paragraph_marker`` looks only at each line's end; a search of every whole
    line (the plain reading of the pattern) finds the same mark."""
    from briefing.parse import _END_MARK, MIN_MARKED_SHARE, paragraph_marker

    counts: dict[str, int] = {}
    for line in lines:
        if (found := _END_MARK.search(line)) is not None:
            counts[found.group(0)] = counts.get(found.group(0), 0) + 1
    best = max(counts.items(), key=lambda pair: pair[1]) if counts else ("", 0)
    plain = best[0] if best[1] >= 3 and best[1] >= MIN_MARKED_SHARE * len(lines) else ""
    assert paragraph_marker(lines) == plain


@settings(max_examples=400)
@given(st.text(alphabet=st.sampled_from("法。：”jZDab \u3000\t\xa0"), max_size=40))
def test_lines_are_cut_at_marks_as_by_the_plain_pattern(line: str) -> None:
    """``split_at_marks`` skips lines with too few spaced chunks to hold the
    marks; it cuts every other line exactly where the pattern alone cuts."""
    import re

    from briefing.parse import _INLINE_MARK, MIN_INLINE_MARKS, split_at_marks

    counts: dict[str, int] = {}
    for match in _INLINE_MARK.finditer(line):
        counts[match.group(0)] = counts.get(match.group(0), 0) + 1
    marks = [mark for mark, count in counts.items() if count >= MIN_INLINE_MARKS]
    if len(marks) != 1:
        assert split_at_marks(line) == [line]
        return
    cut = re.compile(rf"(?<=[\u4e00-\u9fff。：:！!？?”）)]){re.escape(marks[0])}\s+")
    pieces, start = [], 0
    for match in cut.finditer(line):
        pieces.append(line[start : match.start() + len(marks[0])])
        start = match.end()
    pieces.append(line[start:])
    assert split_at_marks(line) == [piece for piece in pieces if piece]
