"""Flattened reports: headings run together inside one source line.

A PDF or a page flattened into one line (``…工作。二、深化…``) is split into
logical lines before each heading the sequence and the context vouch for;
joined again, the pieces are the source line (README: a section's text is its
logical lines). A number inside a sentence stays text.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefing.model import Report
from briefing.parse import normalise_lines, parse_report, split_run_together


def outline(report: Report) -> list[tuple[str, int, str, str, str | None]]:
    return [(s.id, s.level, s.number, s.title, s.parent) for s in report.sections]


FLAT = (
    "2023年，市政府坚持依法行政，法治政府建设取得新成效。"
    "一、加强党的领导 市政府常务会议专题研究法治工作5次。一是压实责任。召开会议3次。"
    "二是强化学习。举办讲座2场。"
    "二、深化改革 全年办理审批事项1.2万件。"
    "三、存在的问题 部分干部法治意识不强。"
)


def test_a_flattened_report_gets_its_headings_back() -> None:
    report = parse_report("某某市2023年法治政府建设情况报告\n" + FLAT)
    assert report.metadata.title == "某某市2023年法治政府建设情况报告"
    assert outline(report) == [
        ("0", 1, "", "前言", None),
        ("1", 1, "一、", "加强党的领导", None),
        ("1.1", 2, "一是", "压实责任", "1"),
        ("1.2", 2, "二是", "强化学习", "1"),
        ("2", 1, "二、", "深化改革", None),
        ("3", 1, "三、", "存在的问题", None),
    ]
    # No character is dropped: the logical lines, joined, are the source line
    # (the white space at a cut is what stripping a line removes).
    assert "".join(report.body.split("\n")) == FLAT
    assert report.section("1").text == "一、加强党的领导 市政府常务会议专题研究法治工作5次。"


PARTS = ("。", "一、", "二、", "三、", "（一）", "（二）", "1.", "2.", "一是", "二是")
PARTS += ("加强领导", "四月份", "；", "第一章", "第二章", "工作", "，", "正文。", " ", "　")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.one_of(
            st.sampled_from(PARTS),
            st.text(max_size=6),
        ),
        max_size=40,
    )
)
def test_joining_the_pieces_gives_the_line_back(parts: list[str]) -> None:
    line = "".join(parts)
    pieces = split_run_together(line)
    assert "".join(pieces) == line
    assert all(pieces) or pieces == [""]


@pytest.mark.parametrize(
    "line",
    [
        # a numeral, not a heading: 三、四月份 after a sentence's end
        "一、总体情况 全年工作平稳。二是重点工作。三、四月份开展专项检查。",
        # an enumeration inside one sentence
        "一、总体情况 主要做法如下。一、加强领导；二、完善制度；三、强化监督。",
        # a number inside a sentence
        "一、总体情况 我们在三、四月份和五、六月份开展了检查。",
    ],
)
def test_numbers_inside_sentences_stay_text(line: str) -> None:
    assert split_run_together(line) == [line]


def test_an_inline_number_out_of_sequence_is_text() -> None:
    line = "一、总体情况 全年工作平稳。三、重点工作 推进改革。"
    assert split_run_together(line) == [line]


def test_a_first_heading_needs_a_sentence_end_before_it() -> None:
    assert split_run_together("全年工作平稳 一、重点工作 推进改革。") == [
        "全年工作平稳 一、重点工作 推进改革。"
    ]
    assert split_run_together("全年工作平稳。一、重点工作 推进改革。") == [
        "全年工作平稳。",
        "一、重点工作 推进改革。",
    ]


def test_a_first_child_may_follow_its_parents_title_after_a_space() -> None:
    line = (
        "前言。一、总体情况 （一）加强领导。成立小组。（二）完善制度。出台办法。"
        "二、下一步 继续努力。"
    )
    assert split_run_together(line) == [
        "前言。",
        "一、总体情况 ",
        "（一）加强领导。成立小组。",
        "（二）完善制度。出台办法。",
        "二、下一步 继续努力。",
    ]


def test_items_are_split_only_in_a_flattened_line() -> None:
    # A run-in heading line of an ordinary report keeps its items (DESIGN §2) ...
    ordinary = "一、政治建设全面加强。一是强化理论武装。二是严格落实责任。"
    assert split_run_together(ordinary) == [ordinary]
    # ... a line that held run-together headings lost the breaks before them too.
    flat = "前言。一、政治建设全面加强。一是强化理论武装。二是严格落实责任。"
    assert split_run_together(flat) == [
        "前言。",
        "一、政治建设全面加强。",
        "一是强化理论武装。",
        "二是严格落实责任。",
    ]


def test_a_heading_that_starts_a_later_line_is_not_taken_early() -> None:
    text = "\n".join(
        [
            "一、总体情况",
            "全年工作平稳。二、重点工作也有进展，成效明显。",
            "二、重点工作",
            "推进改革。",
        ]
    )
    assert normalise_lines(text) == [
        "一、总体情况",
        "全年工作平稳。二、重点工作也有进展，成效明显。",
        "二、重点工作",
        "推进改革。",
    ]


def test_a_scheme_that_starts_lines_is_not_started_inline() -> None:
    # This report numbers its headings at line starts: an inline 一、 is a list.
    text = "一、总体情况\n全年工作平稳。一、加强学习，取得成效。\n二、重点工作\n推进改革。"
    assert len(normalise_lines(text)) == 4


def test_a_title_glued_to_the_first_sentence_is_split_off() -> None:
    text = (
        "秘书之家www.example.com某某省人民政府关于2023年度法治政府建设情况的报告"
        "2023年,省政府坚持依法行政。一、坚持党的领导 研究法治工作30余次。"
        "二、推进依法决策 出台规章5件。"
    )
    report = parse_report(text)
    assert report.metadata.title == "某某省人民政府关于2023年度法治政府建设情况的报告"
    assert report.metadata.title_source == "title-line"
    assert [s.number for s in report.sections] == ["", "一、", "二、"]
    assert report.body.startswith("2023年,省政府坚持依法行政。\n一、")
    assert "www.example.com" not in report.body


def test_a_sentence_about_a_document_is_not_a_title() -> None:
    text = (
        "市政府关于加强法治建设的意见提出明确要求。"
        "一、加强领导 全年开会5次。二、完善制度 出台办法3件。"
    )
    report = parse_report(text)
    assert report.body.split("\n")[0] == "市政府关于加强法治建设的意见提出明确要求。"


def test_a_heading_joined_to_its_paragraph_by_a_space_is_titled_by_its_words() -> None:
    report = parse_report(
        "某某县2019年国民经济和社会发展统计公报\n"
        "2019年,全县经济稳中有进。 一、综 合 初步核算,全年全县地区生产总值1514976万元,"
        "按可比价格计算,比上年增长2.7%。 二、农 业 全年粮食产量20万吨,比上年增长1.5%。"
    )
    assert [(s.number, s.title) for s in report.sections] == [
        ("", "前言"),
        ("一、", "综合"),
        ("二、", "农业"),
    ]


def test_parsing_the_body_of_a_flattened_report_again_gives_the_same_sections() -> None:
    report = parse_report("某某市2023年法治政府建设情况报告\n" + FLAT)
    again = parse_report(report.body)
    assert [s.text for s in again.sections] == [s.text for s in report.sections]
    assert outline(again) == outline(report)
    assert again.sha256 == report.sha256


_LINEAR_SHAPES = {
    "many inline headings": lambda n: (
        "前言。" + "".join(f"{_cn(i)}、标题 正文。" for i in range(n))
    ),
    "many sentence ends and numbers": lambda n: (
        "前言。一、标题。" + "一是正文。" * n + "。一、" * n
    ),
}


def _cn(i: int) -> str:
    digits = "一二三四五六七八九"
    return digits[i % 9]


@pytest.mark.parametrize("shape", sorted(_LINEAR_SHAPES))
def test_splitting_stays_linear(shape: str) -> None:
    from tests.scaling import MAX_RATIO, doubling_ratio

    build = _LINEAR_SHAPES[shape]
    assert doubling_ratio(lambda n: parse_report(build(n)), 2000) <= MAX_RATIO


def test_a_flattened_speech_headline_salutation_colon_and_bracketed_child() -> None:
    """The shape of shi-2023-jianghua-flat: the headline runs into 同志们:, the first
    heading follows a colon, and its title runs into (一) without punctuation."""
    text = (
        "市长在全市法治政府建设工作会议上的讲话同志们:今天,我们召开会议。"
        "下面,我讲两个方面意见:一、肯定成绩,增强责任感(一)总结新成效。近年来成效明显。"
        "一是决策机制更加健全。审查率达100%。二是制度体系日趋完善。出台规章8部。"
        "二、明确任务 抓好各项工作的落实。"
    )
    report = parse_report(text)
    assert report.metadata.title == "市长在全市法治政府建设工作会议上的讲话"
    assert [(s.id, s.number, s.title) for s in report.sections] == [
        ("0", "", "前言"),
        ("1", "一、", "肯定成绩,增强责任感"),
        ("1.1", "(一)", "总结新成效"),
        ("1.1.1", "一是", "决策机制更加健全"),
        ("1.1.2", "二是", "制度体系日趋完善"),
        ("2", "二、", "明确任务"),
    ]
    assert report.body.startswith("同志们:今天,")


def test_a_bracketed_number_inside_a_sentence_of_an_ordinary_line_is_text() -> None:
    line = "根据第三条(一)项规定办理。(二)不予受理的情形。"
    assert split_run_together(line) == [line]


def test_a_sharing_sites_file_name_headline_and_frame() -> None:
    """The shape of jiangsu-suzhou-2021-jianghua-pdf: a file name as the headline, the
    site's frame (想预览更多内容, 申明敬告:, 文档介绍) around the PDF's text."""
    text = "\n".join(
        [
            "在全市法治政府建设工作会议上的讲话.pdf",
            "想预览更多内容,点击预览全文",
            "申明敬告:",
            "本站所有内容均由网友上传,本站不对文档的完整性做任何保证。",
            "文档介绍",
            "今天,我们召开全市法治政府建设工作会议。",
        ]
    )
    report = parse_report(text)
    assert report.metadata.title == "在全市法治政府建设工作会议上的讲话"
    assert [s.number or s.title for s in report.sections] == ["正文"]
    for frame in ("想预览更多内容", "申明敬告", "文档介绍"):
        assert frame not in report.body


def test_the_flattened_sample_report() -> None:
    """tests/reports/flattened.txt (also checked for the invariants and for parsing its
    body again, with every sample, in test_parse.py)."""
    from pathlib import Path

    from briefing import load_report

    report = load_report(Path(__file__).parent / "reports" / "flattened.txt")
    assert [(s.id, s.number, s.title) for s in report.sections] == [
        ("0", "", "前言"),
        ("1", "一、", "加强党的领导"),
        ("1.1", "一是", "压实责任"),
        ("1.2", "二是", "强化学习"),
        ("2", "二、", "深化改革"),
        ("2.1", "（一）", "推进审批改革"),
        ("2.2", "（二）", "规范执法"),
        ("3", "三、", "存在的问题"),
    ]
    assert report.section("2.2").text == "（二）规范执法。三、四月份开展专项检查。"
