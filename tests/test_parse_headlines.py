"""Headline shapes first met in qa8's set of real reports (tests/reports/real).

Each test is the class behind one miss of that set, written with made-up text so
that it does not depend on one report: a news headline that names its place before
a colon, a column tag before a title, an issuer printed above a title that goes on
from it with its year, a speech's occasion line with no title above it, a repost's
date-and-source line, a disclosure portal's bare metadata labels, links to the
neighbouring articles.
"""

from __future__ import annotations

import pytest

from briefing.figures import report_figures
from briefing.parse import is_junk, parse_report

PARAGRAPH = "2024年,全县各项工作稳步推进,群众满意度持续提升。"


@pytest.mark.parametrize(
    "headline",
    [
        "某省:力争打造10个左右国家级法治政府建设示范地区和项目",
        "张三:持续深化放管服改革推动营商环境再上新台阶",
    ],
)
def test_a_news_headline_with_its_place_before_a_colon_is_the_title(headline: str) -> None:
    text = (
        f"某某网 > 即时新闻 > 地方\n\n{headline}\n\n发布时间:2022-04-18 15:19:00\n\n{PARAGRAPH}\n"
    )
    report = parse_report(text)
    assert report.metadata.title == headline
    assert "10个左右" not in [f.text for f in report_figures(report)]  # a title's figures


@pytest.mark.parametrize(
    "line",
    [
        "时间:2022年4月18日发布于某某市人民政府网站",
        "各位代表:",
        "来源:某某市人民政府办公室",
        "附件:某某县2022年法治政府建设情况统计表",
        "关键字:法治政府建设年度报告依法行政",
        "记者:某某某某某某某某某某某某",
    ],
)
def test_a_field_or_a_salutation_is_still_no_headline(line: str) -> None:
    report = parse_report(f"{line}\n\n{PARAGRAPH}\n")
    assert report.metadata.title != line


@pytest.mark.parametrize("tag", ["[权威发布]", "【权威发布】", "［政策解读］"])
def test_a_column_tag_before_a_title_is_not_part_of_it(tag: str) -> None:
    title = "某某省2017年法治政府建设情况报告"
    report = parse_report(f"{tag}{title}\n\n——副标题某某某某\n\n{PARAGRAPH}\n")
    assert report.metadata.title == title


def test_a_tag_that_is_all_the_title_has_stays() -> None:
    report = parse_report(f"[图文]某某县召开会议\n\n发布时间:2022-04-18\n\n{PARAGRAPH}\n")
    assert report.metadata.title == "[图文]某某县召开会议"


def test_an_issuer_above_a_title_that_starts_with_its_year_is_the_titles_start() -> None:
    text = (
        "某某省交通运输厅\n2025年法治政府部门建设工作情况\n\n"
        "信息来源:厅法规处 发布日期:2026-02-24 09:04\n\n" + PARAGRAPH + "\n"
    )
    assert parse_report(text).metadata.title == "某某省交通运输厅2025年法治政府部门建设工作情况"


def test_an_occasion_line_with_no_title_above_it_stays_in_the_text() -> None:
    occasion = "——2016年1月6日在某某市第十五届人民代表大会第五次会议上"
    text = f"{occasion}\n市长 张三\n各位代表:\n现在,我代表市人民政府向大会报告工作。\n"
    report = parse_report(text)
    assert occasion in report.sections[0].text
    assert [s.number for s in report.sections if s.number] == []  # not a —— sub-heading
    assert "2016年1月6日" in [f.text for f in report_figures(report)]


def test_an_occasion_line_under_a_title_is_still_title_matter() -> None:
    occasion = "——2016年1月6日在某某市第十五届人民代表大会第五次会议上"
    text = f"政府工作报告\n{occasion}\n各位代表:\n现在,我代表市人民政府向大会报告工作。\n"
    report = parse_report(text)
    assert report.metadata.title == "政府工作报告"
    assert "——2016年1月6日" not in report.sections[0].text


def test_a_reposts_date_and_source_line_is_page_matter() -> None:
    text = (
        "某某省2020年度法治政府建设情况报告\n日期: 2021-04-12 09:35:00 来源: 某某省人民政府网\n"
        "2021-04-12 某某省人民政府网\n\n" + PARAGRAPH + "\n"
    )
    report = parse_report(text)
    assert "2021-04-12" not in [f.text for f in report_figures(report)]
    assert report.sections[0].text == PARAGRAPH


def test_a_disclosure_portals_bare_labels_are_page_matter() -> None:
    text = (
        "某某部2017年度法治政府部门建设工作情况\n\n文号\n\n某发〔2018〕54号\n\n机构分类\n\n法制司\n\n"
        "行业分类\n\n其他\n\n公文类型\n\n部文件\n\n" + PARAGRAPH + "\n"
    )
    report = parse_report(text)
    assert report.sections[0].text == PARAGRAPH
    assert ("公文类型", "部文件") in report.metadata.fields


@pytest.mark.parametrize(
    "line", ["上一篇:某某科学家登陆南极40年之际", "下一篇: 某某县召开会议", "上一条：无"]
)
def test_links_to_the_neighbouring_articles_are_furniture(line: str) -> None:
    assert is_junk(line)


@pytest.mark.parametrize("line", ["【字号: 打印本页", "字体: 【打印】 【关闭窗口】", "【字号:】"])
def test_a_toolbar_without_its_size_links_is_furniture(line: str) -> None:
    assert is_junk(line)
    assert not is_junk("字号调整后的标准")


def test_an_aggregators_day_first_date_line_is_the_date() -> None:
    title = "某某区政府2015年推进依法行政工作情况及2016年工作打算"
    report = parse_report(f"{title}\n\n25.02.2016  10:00\n\n      {PARAGRAPH}\n")
    assert report.metadata.title == title
    assert report.metadata.date == "2016-02-25"
    assert report.sections[0].text == PARAGRAPH
