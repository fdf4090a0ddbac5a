"""The parser: the bundled report exactly, other shapes of report, and invariants."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from briefing import load_report
from briefing.model import Report
from briefing.parse import (
    MAX_TITLE,
    _restates,
    _title_key,
    is_document_title,
    is_junk,
    looks_like_title,
    normalise_lines,
    parse_report,
    split_front_matter,
)
from briefing.resources import bundled_report_path

REPORTS = Path(__file__).parent / "reports"
SAMPLES = sorted(REPORTS.glob("*.txt"))


def sample(name: str) -> Report:
    return load_report(REPORTS / name)


def outline(report: Report) -> list[tuple[str, int, str, str, str | None]]:
    return [(s.id, s.level, s.number, s.title, s.parent) for s in report.sections]


def assert_invariants(report: Report) -> None:
    """DESIGN §2: ids unique, parents exist and come first, levels = depth, body joins."""
    seen: set[str] = set()
    for section in report.sections:
        assert section.id not in seen
        if section.parent is None:
            assert section.level == 1
            assert "." not in section.id
        else:
            assert section.parent in seen
            parent = report.section(section.parent)
            assert section.level == parent.level + 1
            assert section.id.startswith(section.parent + ".")
        assert section.level == section.id.count(".") + 1
        assert section.text, section.id
        assert section.text.startswith(section.number)
        seen.add(section.id)
    assert "\n".join(s.text for s in report.sections) == report.body


# --------------------------------------------------------------------------
# The bundled report
# --------------------------------------------------------------------------

BUNDLED_OUTLINE = [
    ("0", 1, "", "前言", None),
    ("1", 1, "一、", "加强法治政府建设保障", None),
    ("1.1", 2, "一是", "切实履行第一责任人职责", "1"),
    ("1.2", 2, "二是", "强化依法行政能力建设", "1"),
    ("1.3", 2, "三是", "着力营造法治建设氛围", "1"),
    ("2", 1, "二、", "依法全面履行政府职能", None),
    ("2.1", 2, "一是", "全面深化“放管服”改革", "2"),
    ("2.2", 2, "二是", "持续优化营商环境", "2"),
    ("2.3", 2, "三是", "加强互联网监管力度", "2"),
    ("3", 1, "三、", "完善依法行政制度体系", None),
    ("3.1", 2, "一是", "高质量完成立法任务", "3"),
    ("3.2", 2, "二是", "完善政府立法工作机制", "3"),
    ("3.3", 2, "三是", "加快构建备案审查工作体系", "3"),
    ("4", 1, "四、", "推进依法科学民主决策", None),
    ("4.1", 2, "一是", "落实重大行政决策程序规定", "4"),
    ("4.2", 2, "二是", "完善重大行政决策工作机制", "4"),
    ("4.3", 2, "三是", "强化重大行政决策监督管理", "4"),
    ("5", 1, "五、", "严格规范公正文明执法", None),
    ("5.1", 2, "一是", "深化行政执法体制改革", "5"),
    ("5.2", 2, "二是", "深入推进行政执法“三项制度”", "5"),
    ("5.3", 2, "三是", "完善行政执法规范化建设", "5"),
    ("6", 1, "六、", "依法有效化解社会矛盾", None),
    ("6.1", 2, "一是", "完善矛盾纠纷多元预防调处化解机制", "6"),
    ("6.2", 2, "二是", "依法防控重大风险", "6"),
    ("6.3", 2, "三是", "创新市域社会治理", "6"),
    ("7", 1, "", "在总结工作经验的同时,我们也看到一些不足", None),
    ("8", 1, "", "下一步", None),
]


@pytest.fixture(scope="module")
def bundled(tmp_path_factory: pytest.TempPathFactory) -> Report:
    # Module fixtures run before conftest's per-test folders: keep the report
    # cache out of the user's real cache folder.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("BRIEFING_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
        return load_report()


def test_bundled_metadata(bundled: Report) -> None:
    meta = bundled.metadata
    assert meta.title == "常州市2021年度法治政府建设工作报告"
    assert meta.publisher == "常州市人民政府"
    assert meta.date == "2022-03-25"
    assert meta.index_no == "014109429/2022-00045"
    assert meta.get("索引号") == "014109429/2022-00045"
    assert meta.get("法定主动公开分类") == "本机关政策文件"
    assert meta.get("文件编号") == ""
    assert [label for label, _ in meta.fields][:2] == ["信息名称", "索 引 号"]


def test_bundled_outline(bundled: Report) -> None:
    assert outline(bundled) == BUNDLED_OUTLINE
    assert_invariants(bundled)


def test_bundled_texts(bundled: Report) -> None:
    raw = bundled_report_path().read_text(encoding="utf-8")
    raw_lines = [line.strip() for line in raw.splitlines()]
    preface = bundled.section("0").text
    assert preface.startswith("2021年,常州市坚持以习近平新时代")
    assert preface.endswith("现将工作情况报告如下:")
    assert bundled.section("1").text == "一、加强法治政府建设保障"
    item = bundled.section("1.1").text
    assert item.startswith("一是切实履行第一责任人职责。召开市委全面依法治市工作会议")
    assert item in raw_lines  # a whole paragraph, verbatim
    closing, next_steps = bundled.section("7"), bundled.section("8")
    assert closing.text.startswith("在总结工作经验的同时")
    for enumeration in ("一是", "二是", "三是", "四是"):
        assert enumeration in closing.text  # run-in enumeration, not items
    assert next_steps.text.startswith("下一步,常州市将")
    assert not bundled.children("7") and not bundled.children("8")


def test_bundled_header_and_junk_are_not_body(bundled: Report) -> None:
    body = bundled.body
    for gone in ("扫一扫在手机打开当前页", "信息名称", "索 引 号", "生成日期", "|"):
        assert gone not in body
    assert all(line.strip() for line in body.split("\n"))


def test_bundled_body_is_every_line_after_the_header(bundled: Report) -> None:
    raw = bundled_report_path().read_text(encoding="utf-8")
    lines = [line.strip() for line in raw.split("\n")]
    first_body = next(i for i, line in enumerate(lines) if "。" in line)
    assert all(":" in line or line == "|" for line in lines[:first_body] if line)
    expected = [line for line in lines[first_body:] if line and not is_junk(line)]
    assert bundled.body == "\n".join(expected)
    assert len(expected) == len(bundled.sections)  # one paragraph per section here


# --------------------------------------------------------------------------
# Other shapes of report (tests/reports/*.txt)
# --------------------------------------------------------------------------


def test_nested_levels_paren_arabic_items_and_closing() -> None:
    report = sample("nested-levels.txt")
    assert report.metadata.title == "某某县2022年法治政府建设情况报告"  # first short line
    assert outline(report) == [
        ("0", 1, "", "前言", None),
        ("1", 1, "一、", "主要工作成效", None),
        ("1.1", 2, "（一）", "加强领导", "1"),
        ("1.1.1", 3, "1.", "健全工作机制", "1.1"),
        ("1.1.2", 3, "2．", "强化督促检查", "1.1"),
        ("1.2", 2, "（二）", "深化改革", "1"),
        ("1.2.1", 3, "一是", "推进“放管服”改革", "1.2"),
        ("1.2.2", 3, "二是", "优化营商环境", "1.2"),
        ("1.3", 2, "(三)", "严格执法", "1"),
        ("2", 1, "二、", "存在的问题", None),
        ("2.1", 2, "一是", "法治意识有待加强", "2"),
        ("2.2", 2, "二是", "执法力量相对薄弱", "2"),
        ("3", 1, "", "下一步", None),
    ]
    # Full-width indentation is not part of the text.
    assert not any(s.text.startswith("\u3000") for s in report.sections)
    # The intro between 一、 and its first (一) stays with the heading.
    assert report.section("1").text == (
        "一、主要工作成效\n全县上下坚持把法治政府建设摆在突出位置，取得明显成效。"
    )
    # 1.8万件… and 2021年… are paragraphs of 1., not headings.
    assert report.section("1.1.1").text.split("\n")[1:] == [
        "1.8万件行政执法案卷全部完成评查，合格率达到98.4%。",
        "2021年以来，全县累计培训执法人员1200人次。",
    ]
    assert report.section("1.1").text == "（一）加强领导。县委常委会专题研究法治政府建设工作4次。"


def test_chapters_hold_cn_headings() -> None:
    report = sample("chapters.txt")
    assert report.metadata.title == "某某市法治建设年度报告"
    assert outline(report) == [
        ("1", 1, "第一章", "总体情况", None),
        ("1.1", 2, "一、", "组织领导", "1"),
        ("1.2", 2, "二、", "制度建设", "1"),
        ("2", 1, "第二章", "重点工作", None),
        ("2.1", 2, "一、", "依法决策", "2"),
        ("2.1.1", 3, "（一）", "公众参与", "2.1"),
        ("2.2", 2, "二、", "严格执法", "2"),
        ("3", 1, "第三章", "下一步打算", None),
    ]
    assert report.section("2").text == "第二章\u3000重点工作"


def test_run_in_headings() -> None:
    report = sample("run-in.txt")
    assert outline(report) == [
        ("1", 1, "一、", "政治建设全面加强", None),
        ("2", 1, "二、", "法治保障更加有力", None),
        ("2.1", 2, "（一）", "加强领导", "2"),
        ("2.2", 2, "（二）", "完善机制", "2"),
        ("3", 1, "三、", "总体情况", None),
    ]
    # 一是 in the middle of a paragraph is not an item: section 1 is one paragraph.
    first = report.section("1").text
    assert first.startswith("一、政治建设全面加强。一是强化理论武装") and "\n" not in first
    assert report.children("1") == []


def test_portal_page_with_table_header_and_furniture() -> None:
    report = sample("portal-table.txt")
    meta = report.metadata
    assert meta.title == "某某市2021年度法治政府建设工作报告"
    assert meta.publisher == "某某市人民政府"
    assert meta.date == "2022-03-30"
    assert meta.index_no == "000014349/2022-00012"
    assert meta.get("公开方式") == "主动公开"
    assert meta.get("来源") == "某某市司法局"
    assert meta.get("浏览次数") == ""  # furniture, not a field
    assert outline(report) == [
        ("0", 1, "", "前言", None),
        ("1", 1, "一、", "加强组织领导", None),
        ("1.1", 2, "一是", "压实主体责任", "1"),
        ("1.2", 2, "二是", "强化学法用法", "1"),
    ]
    for junk in ("您所在的位置", "字体", "打印本页", "扫一扫", "|", "某某市2021年度"):
        assert junk not in report.body


def test_header_values_on_their_own_lines() -> None:
    report = sample("split-header.txt")
    meta = report.metadata
    assert meta.title == "某某市2020年法治政府建设年度报告"
    assert meta.publisher == "某某市人民政府办公室"
    assert meta.date == "2021-03-05"
    assert meta.index_no == "011234567/2021-00008"
    assert meta.fields == (
        ("信息名称", "某某市2020年法治政府建设年度报告"),
        ("索 引 号", "011234567/2021-00008"),
        ("发布机构", "某某市人民政府办公室"),
        ("发文日期", "2021年3月5日"),
        ("主题分类", "综合政务"),
    )
    assert [s.id for s in report.sections] == ["0", "1", "2"]
    assert report.section("0").text.startswith("2020年，我市认真贯彻")


def test_multi_paragraph_sections_and_closing_next_steps() -> None:
    report = sample("multi-paragraph.txt")
    assert outline(report) == [
        ("1", 1, "一、", "完善制度体系", None),
        ("2", 1, "二、", "规范执法行为", None),
        ("3", 1, "", "下一步", None),
    ]
    assert report.section("2").text.count("\n") == 3
    assert report.section("3").text.startswith("下一步，我市将")


def test_no_numbered_headings_gives_one_section_not_one_per_paragraph() -> None:
    report = sample("no-numbers.txt")
    # The first line is a sentence, not a title: the file name stands in.
    assert (report.metadata.title, report.metadata.title_source) == ("no-numbers", "file-name")
    assert outline(report) == [("0", 1, "", "正文", None), ("1", 1, "", "下一步", None)]
    assert report.section("0").text.count("\n") == 2  # three paragraphs, one section


def test_full_width_and_ascii_punctuation() -> None:
    report = sample("punctuation.txt")
    assert outline(report) == [
        ("0", 1, "", "前言", None),
        ("1", 1, "一、", "健全依法决策机制", None),
        ("1.1", 2, "(一)", "落实合法性审查", "1"),
        ("1.2", 2, "(二)", "推进政务公开，主动公开政府信息3200条", "1"),
        ("1.2.1", 3, "1.", "完善公开目录,更新目录事项120项", "1.2"),
        ("1.2.2", 3, "2、", "拓展公开渠道，开通政务新媒体12个", "1.2"),
        ("1.2.2.1", 4, "（1）", "加强解读回应", "1.2.2"),
        ("1.2.2.2", 4, "（2）", "规范依申请公开", "1.2.2"),
        ("2", 1, "二、", "规范行政执法行为", None),
        ("2.1", 2, "（一）", "推行执法公示", "2"),
    ]


# --------------------------------------------------------------------------
# Small cases
# --------------------------------------------------------------------------


def test_text_without_header_or_title() -> None:
    report = parse_report("一、总体情况\n全年完成各项任务。\n二、下一步\n继续努力。")
    assert report.metadata.title == ""
    assert outline(report) == [
        ("1", 1, "一、", "总体情况", None),
        ("2", 1, "二、", "下一步", None),
    ]


def test_title_block_byline_and_date_are_metadata() -> None:
    text = "\n".join(
        [
            "某某市法治政府建设报告",
            "某某市人民政府",
            "（2022年3月1日）",
            "2021年，全市工作平稳。",
            "一、主要工作",
        ]
    )
    report = parse_report(text)
    assert report.metadata.title == "某某市法治政府建设报告"
    assert report.metadata.publisher == "某某市人民政府"
    assert report.metadata.date == "2022-03-01"
    assert report.body.startswith("2021年，全市工作平稳。")


def test_a_lone_title_like_line_is_kept_as_body() -> None:
    report = parse_report("法治政府建设")
    assert [s.text for s in report.sections] == ["法治政府建设"]
    assert parse_report("").sections == ()
    assert parse_report("扫一扫在手机打开当前页\n|\n").sections == ()


def test_item_paragraph_after_items_and_intro_cue_is_not_closing() -> None:
    text = (
        "一、工作情况\n一是抓落实。完成。\n二、下一步打算\n"
        "下一步，我们将重点做好以下工作：\n一是强化责任。压实。\n二是加强督查。督促。"
    )
    report = parse_report(text)
    assert outline(report) == [
        ("1", 1, "一、", "工作情况", None),
        ("1.1", 2, "一是", "抓落实", "1"),
        ("2", 1, "二、", "下一步打算", None),
        ("2.1", 2, "一是", "强化责任", "2"),
        ("2.2", 2, "二是", "加强督查", "2"),
    ]


def test_closing_part_with_its_own_items() -> None:
    text = (
        "一、工作情况\n一是抓落实。完成。\n二是抓督查。完成。\n"
        "下一步，我们将重点做好以下工作：\n一是强化责任。压实。\n二是加强督查。督促。"
    )
    report = parse_report(text)
    assert outline(report) == [
        ("1", 1, "一、", "工作情况", None),
        ("1.1", 2, "一是", "抓落实", "1"),
        ("1.2", 2, "二是", "抓督查", "1"),
        ("2", 1, "", "下一步，我们将重点做好以下工作", None),
        ("2.1", 2, "一是", "强化责任", "2"),
        ("2.2", 2, "二是", "加强督查", "2"),
    ]


def test_a_list_before_the_first_heading_does_not_swallow_it() -> None:
    text = "前言部分。\n1.第一点。\n2.第二点。\n一、正文\n正文内容。\n二、其他\n其他内容。"
    ids = [(s.id, s.number) for s in parse_report(text).sections]
    assert ids == [("0", ""), ("1", "1."), ("2", "2."), ("3", "一、"), ("4", "二、")]


def test_numbers_and_years_do_not_start_headings() -> None:
    for line in ("1.8万件案件办结。", "2021年全市办结。", "12.5%的案件。", "一二三。"):
        report = parse_report(f"一、标题\n{line}")
        assert [s.id for s in report.sections] == ["1"], line


@pytest.mark.parametrize(
    ("line", "junk"),
    [
        ("扫一扫在手机打开当前页", True),
        ("您所在的位置:首页 > 政务公开 > 法治政府", True),
        ("当前位置：首页 > 信息公开", True),
        ("字体:【大 中 小】", True),
        ("【字体：大 中 小】", True),
        ("【打印本页】【关闭窗口】", True),
        ("|", True),
        ("| |", True),
        ("|---|---|", True),
        ("一、加强法治政府建设保障", False),
        ("首页工作", False),
    ],
)
def test_junk_lines(line: str, junk: bool) -> None:
    assert is_junk(line) is junk


# --------------------------------------------------------------------------
# Invariants and idempotence on every report we have
# --------------------------------------------------------------------------

ALL_REPORTS = [*SAMPLES, bundled_report_path()]


@pytest.mark.parametrize("path", ALL_REPORTS, ids=lambda p: p.name)
def test_invariants(path: Path) -> None:
    assert_invariants(load_report(path))


@pytest.mark.parametrize("path", ALL_REPORTS, ids=lambda p: p.name)
def test_parsing_the_body_again_gives_the_same_sections(path: Path) -> None:
    report = load_report(path)
    again = parse_report(report.body)
    assert outline(again) == outline(report)
    assert [s.text for s in again.sections] == [s.text for s in report.sections]
    assert again.sha256 == report.sha256


# --------------------------------------------------------------------------
# Properties
# --------------------------------------------------------------------------

LINE_POOL = [
    "一、加强法治政府建设保障",
    "二、政治建设全面加强。一是强化理论武装；二是严格落实责任。",
    "（一）加强领导。全市成立领导小组。",
    "(二)完善机制",
    "1.健全制度。",
    "2．强化检查",
    "（1）加强解读。",
    "①第一项",
    "第一章 总则",
    "第二节 重点",
    "一是切实履行职责。召开会议3次。",
    "二是强化能力建设。",
    "第一，加强学习。",
    "1.8万件案件全部办结。",
    "2021年，全市法治政府建设取得新进展。",
    "下一步，我们将继续努力。",
    "在总结工作经验的同时，我们也看到一些不足：一是……",
    "某某市法治政府建设报告",
    "某某市人民政府",
    "2022年3月25日",
    "信息名称:某某报告 |",
    "索 引 号:014109429/2022-00045 |",
    "| 索引号 | 000014349/2022-00012 | 发布机构 | 某某市人民政府 |",
    "发布机构：",
    "扫一扫在手机打开当前页",
    "字体:【大 中 小】",
    "|",
    "",
    "　　",
    "一、",
    "是",
]
lines_strategy = st.lists(
    st.one_of(
        st.sampled_from(LINE_POOL),
        st.builds(lambda s: "　　" + s, st.sampled_from(LINE_POOL)),
        st.text(max_size=30),
        st.text(alphabet="一二三是、（）()1.．。：:，|章第 \u3000\t", max_size=12),
    ),
    max_size=25,
)


def assert_body_partition(text: str, report: Report) -> None:
    """Sections partition the normalised body, line by line, in order."""
    _, body = split_front_matter(normalise_lines(text))
    assert report.body == "\n".join(body)
    section_lines = [line for s in report.sections for line in s.text.split("\n")]
    assert section_lines == body


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text())
def test_any_text_parses(text: str) -> None:
    report = parse_report(text)
    assert_invariants(report)
    assert_body_partition(text, report)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lines_strategy, st.sampled_from(["\n", "\n\n"]))
def test_report_like_text_parses(lines: list[str], newline: str) -> None:
    text = newline.join(lines)
    report = parse_report(text)
    assert_invariants(report)
    assert_body_partition(text, report)
    lines = normalise_lines(text)
    _, body = split_front_matter(lines)
    # The front matter is a prefix: the body is the rest of the lines without junk,
    # or (when all looked like a title) one title line.
    rest = [line for line in lines if not is_junk(line)]
    assert body == rest[len(rest) - len(body) :] or (len(body) == 1 and looks_like_title(body[0]))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lines_strategy)
def test_every_line_after_a_first_sentence_is_body(lines: list[str]) -> None:
    """After a line that is plainly body text, every non-junk line is in a section."""
    text = "\n".join(["全年工作总体平稳有序，成效明显。", *lines])
    report = parse_report(text)
    expected = [line for line in normalise_lines(text) if not is_junk(line)]
    assert report.body == "\n".join(expected)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lines_strategy)
def test_parsing_is_idempotent_on_the_body(lines: list[str]) -> None:
    """The body parses to the same sections, unless it restates the title.

    Without its title, a line restating it (text in the first parse, since
    it names the report itself) reads as the head of a new part, as in a
    compilation of several reports: that difference is meant.
    """
    report = parse_report("\n".join(lines))
    title_key = _title_key(report.metadata.title)
    assume(not any(_restates(_title_key(line), title_key) for line in report.body.splitlines()))
    again = parse_report(report.body)
    assert [s.text for s in again.sections] == [s.text for s in report.sections]
    assert outline(again) == outline(report)


def test_ascii_full_stop_ends_a_title_only_between_sentences() -> None:
    text = "\n".join(
        [
            "一、加强审查.全年审查100件.",
            "一是访问www.gov.cn网站。",
            "二是推进app.quit改革。",
            "三是1.5万件办结。",
        ]
    )
    titles = [s.title for s in parse_report(text).sections]
    assert titles == ["加强审查", "访问www.gov.cn网站", "推进app.quit改革", "1.5万件办结"]


def test_title_before_header_and_printed_twice() -> None:
    text = "\n".join(
        [
            "某某市2021年度法治政府建设工作报告",
            "发布时间：2022-03-30　来源：某某市司法局　字体：【大 中 小】",
            "某某市2021年度法治政府建设工作报告",
            "2021年，我市法治政府建设取得新成效。",
            "一、加强组织领导",
        ]
    )
    report = parse_report(text)
    assert report.metadata.title == "某某市2021年度法治政府建设工作报告"
    assert report.metadata.date == "2022-03-30"
    assert report.metadata.publisher == "某某市司法局"
    assert report.metadata.fields == (("发布时间", "2022-03-30"), ("来源", "某某市司法局"))
    assert report.body == "2021年，我市法治政府建设取得新成效。\n一、加强组织领导"


WHITE = st.text(alphabet=" \t\u3000\u00a0\u2003", max_size=3)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(WHITE, st.sampled_from(LINE_POOL), WHITE), max_size=20))
def test_section_text_is_its_stripped_source_lines(padded: list[tuple[str, str, str]]) -> None:
    """The contract (parse docstring, README): a section's text is its source lines,
    each stripped of surrounding spaces, joined by ``\\n``, blank lines dropped."""
    source = ["全年工作总体平稳有序，成效明显。"] + [a + line + b for a, line, b in padded]
    report = parse_report("\n".join(source))
    expected = [line.strip() for line in source if line.strip() and not is_junk(line.strip())]
    assert report.body == "\n".join(expected)
    for section in report.sections:
        for line in section.text.split("\n"):
            assert line and line == line.strip()


# --------------------------------------------------------------------------
# Titles: fields, title lines, repeats, navigation, letter spacing
# --------------------------------------------------------------------------


def source_lines(name: str) -> list[str]:
    return normalise_lines((REPORTS / name).read_text(encoding="utf-8"))


def test_a_breadcrumb_is_never_the_title_and_the_title_line_is_found() -> None:
    report = sample("breadcrumb-title.txt")
    meta = report.metadata
    assert meta.title == "某某市司法局关于2021年度法治政府建设情况的报告"
    assert meta.title_source == "title-line"
    assert (meta.publisher, meta.date) == ("某某市司法局", "2022-01-20")
    assert "政务公开" not in report.body and ">" not in meta.title
    assert report.body.startswith("2021年，市司法局")


def test_a_title_printed_twice_around_the_page_header() -> None:
    report = sample("title-printed-twice.txt")
    meta = report.metadata
    assert (meta.title, meta.title_source) == ("某某区法治建设成效显著", "repeated-line")
    assert meta.get("文章来源") == "区司法局"
    # Navigation (the date of today, a column label, 您当前所在位置) is not text.
    assert report.body.startswith("2021年，我区坚持")
    assert "工作报告" not in report.body and "今天是" not in report.body


def test_a_letter_spaced_title_is_shown_closed_up() -> None:
    report = sample("letter-spaced-speech.txt")
    meta = report.metadata
    assert (meta.title, meta.title_source) == ("政府工作报告", "title-line")
    assert meta.get("副标题").startswith("——2022年1月5日")
    assert meta.get("署名") == "区长\u3000张某某"
    assert report.body.startswith("各位代表：")


def test_a_file_number_above_the_title_is_a_field() -> None:
    report = sample("file-number-title.txt")
    meta = report.metadata
    assert meta.title == "某某市人民政府关于印发某某市法治政府建设实施方案的通知"
    assert meta.get("文号") == "某府发〔2021〕54号"
    assert report.body.startswith("各县（区）人民政府")


def test_short_lines_of_a_table_are_all_text() -> None:
    report = sample("short-lines-table.txt")
    assert report.body.split("\n") == source_lines("short-lines-table.txt")
    assert (report.metadata.title, report.metadata.title_source) == (
        "short-lines-table",
        "file-name",
    )


@pytest.mark.parametrize(
    ("lines", "title", "source", "body_starts"),
    [
        (
            ["名称：某某县法治政府建设情况", "某某县法治政府建设情况", "全年工作平稳。"],
            "某某县法治政府建设情况",
            "field",
            "全年工作平稳。",
        ),
        (["标题:某某报告", "一、总体情况", "全年工作平稳。"], "某某报告", "field", "一、总体情况"),
        (
            ["首页 > 政务公开 > 规划计划", "某某县人民政府工作报告", "全年工作平稳。"],
            "某某县人民政府工作报告",
            "title-line",
            "全年工作平稳。",
        ),
        (
            ["上半年经济运行总体平稳、稳中有进", "上半年，全县经济运行平稳。"],
            "上半年经济运行总体平稳、稳中有进",
            "first-line",
            "上半年经济运行总体平稳、稳中有进",
        ),
        (["工作报告", "全年工作平稳。"], "工作报告", "first-line", "工作报告"),
        (
            ["某某县法治建设", "2022年3月1日", "全年工作平稳。"],
            "某某县法治建设",
            "page-title",
            "全年工作平稳。",
        ),
        (
            [
                "中共某某市委办公厅 某某市人民政府办公厅",
                "印发《关于推进审批服务便民化的实施意见》",
                "近日，两办印发了意见。",
            ],
            "中共某某市委办公厅 某某市人民政府办公厅印发《关于推进审批服务便民化的实施意见》",
            "title-line",
            "近日，两办印发了意见。",
        ),
        (["全年工作平稳。", "某某县人民政府工作报告"], "", "", "全年工作平稳。"),
    ],
)
def test_where_the_title_comes_from(
    lines: list[str], title: str, source: str, body_starts: str
) -> None:
    report = parse_report("\n".join(lines))
    assert (report.metadata.title, report.metadata.title_source) == (title, source)
    assert report.body.startswith(body_starts)


@pytest.mark.parametrize(
    ("lines", "title", "source", "body_starts"),
    [
        # A breadcrumb cut over lines, a link bar and 首页 alone are navigation.
        (
            [
                "> 要闻 >",
                "首页",
                "创历年新高!2021年全省群众满意度调查出炉",
                "时间:2022-07-01 09:40:58 来源:都市时报",
                "6月30日，调查结果公布。",
            ],
            "创历年新高!2021年全省群众满意度调查出炉",
            "page-title",
            "6月30日",
        ),
        # A subtitle after a colon; a note in brackets after the kind of document.
        (
            [
                "查询",
                "报告精读 | 法治政府蓝皮书:中国法治政府评估报告(2017)",
                "法治政府蓝皮书:中国法治政府评估报告(2017)",
                "自2013年起，研究院开展评估。",
            ],
            "法治政府蓝皮书:中国法治政府评估报告(2017)",
            "title-line",
            "自2013年起",
        ),
        # Bulleted header rows; an ISO date under a headline.
        (
            [
                "某某县人民政府工作规则",
                "• 索引号:",
                "6107280000/2024-001005",
                "• 来源:",
                "• 文件有效性:",
                "• 发文机构:",
                "县政府网站",
                "第一章 总则",
            ],
            "某某县人民政府工作规则",
            "title-line",
            "第一章 总则",
        ),
        (
            ["湘潭优化营商环境评估居全省第二", "2022-03-25", "近日，评估结果发布。"],
            "湘潭优化营商环境评估居全省第二",
            "page-title",
            "近日",
        ),
    ],
)
def test_page_furniture_around_the_title(
    lines: list[str], title: str, source: str, body_starts: str
) -> None:
    report = parse_report("\n".join(lines))
    assert (report.metadata.title, report.metadata.title_source) == (title, source)
    assert report.body.startswith(body_starts)


def test_is_document_title() -> None:
    for line in (
        "政府工作报告",
        "政 府 工 作 报 告",
        "某某市2021年度法治政府建设工作报告",
        "关于印发某某实施方案的通知",
        "某某县提升行政执法质量三年行动实施方案",
        "某某市2021年法治政府建设情况",
    ):
        assert is_document_title(line), line
    for line in ("工作报告", "报告", "基本情况", "2021年，全市工作报告如下。", "一、工作报告"):
        assert not is_document_title(line), line


def test_sections_json_says_where_the_title_came_from(tmp_path: Path) -> None:
    import json

    from click.testing import CliRunner

    from briefing.cli.commands import cli

    result = CliRunner().invoke(cli, ["sections", "--json", str(REPORTS / "breadcrumb-title.txt")])
    assert result.exit_code == 0
    summary = json.loads(result.stdout)["report"]
    assert summary["title"] == "某某市司法局关于2021年度法治政府建设情况的报告"
    assert summary["title_source"] == "title-line"


# --------------------------------------------------------------------------
# Real headings only
# --------------------------------------------------------------------------


def test_a_speech_without_numbers_has_its_standing_lines_as_headings() -> None:
    report = sample("speech-unnumbered.txt")
    assert outline(report) == [
        ("0", 1, "", "前言", None),
        ("1", 1, "", "2021年工作回顾", None),
        ("2", 1, "", "2022年工作安排", None),
    ]
    # The salutation and the sentences are text, under their heading.
    assert report.section("0").text.startswith("各位代表：\n现在，我代表区人民政府")
    assert report.section("1").text.split("\n")[1].startswith("这一年，我们坚持")
    assert report.section("1").text.count("\n") == 2


def test_rules_chapters_are_sections_and_articles_are_titled_by_their_first_clause() -> None:
    report = sample("rules-articles.txt")
    assert outline(report) == [
        ("1", 1, "第一章", "总则", None),
        ("1.1", 2, "第一条", "为了规范县政府工作", "1"),
        ("1.2", 2, "第二条", "县政府工作的指导思想是", "1"),
        ("2", 1, "第二章", "组成人员和职责", None),
        ("2.1", 2, "第三条", "县政府由县长、副县长和各工作部门主要负责人组成", "2"),
        ("2.2", 2, "第四条", "县政府履行下列职责", "2"),
        ("2.2.1", 3, "（一）", "执行县人民代表大会及其常务委员会的决议", "2.2"),
        ("2.2.2", 3, "（二）", "编制和执行国民经济和社会发展规划", "2.2"),
        ("2.3", 2, "第五条", "县政府各工作部门在县政府统一领导下开展工作", "2"),
    ]
    assert report.section("1").text == "第一章  总  则"  # the text stays as it is
    assert report.section("1.1").text.endswith("制定本规则。")


def test_a_heading_number_alone_on_its_line_takes_the_next_line_as_title() -> None:
    report = sample("bare-numbers.txt")
    assert outline(report) == [
        ("0", 1, "", "前言", None),
        ("1", 1, "一、", "加强组织领导", None),
        ("1.1", 2, "（一）", "健全工作机制", "1"),
        ("2", 1, "二、", "推进依法行政", None),
    ]
    assert report.section("1").text.startswith("一、\n加强组织领导\n镇党委")


def test_a_number_out_of_sequence_starts_a_sentence_not_a_heading() -> None:
    report = sample("numbering-sequence.txt")
    assert outline(report) == [
        ("1", 1, "一、", "工作开展情况", None),
        ("2", 1, "二、", "存在的问题", None),
    ]
    assert "\n三、四月份，全县集中开展" in report.section("1").text


def test_paragraphs_without_headings_are_one_section() -> None:
    report = sample("paragraphs-only.txt")
    assert outline(report) == [("0", 1, "", "正文", None)]
    assert report.section("0").text.count("\n") == 39


def test_paragraphs_after_items_that_run_on_are_not_a_closing_part() -> None:
    report = sample("multi-paragraph-items.txt")
    assert outline(report) == [
        ("1", 1, "一、", "主要工作", None),
        ("1.1", 2, "一是", "完善制度", "1"),
        ("1.2", 2, "二是", "规范执法", "1"),
    ]
    assert report.section("1.2").text.endswith("培训执法人员3600人次。")


@pytest.mark.parametrize(
    "line",
    [
        "2021年，任城区政府坚持以习近平新时代中国特色社会主义思想为指导，全面推进依法行政。",
        "各位代表：",
        "我代表区人民政府，向大会报告工作。",
        "这一年，我们攻坚克难。",
        "全年工作如下：",
        "县司法局 |",
    ],
)
def test_sentences_and_salutations_are_never_headings(line: str) -> None:
    body = "全年共办理行政复议案件112件，比上年增长12%，纠错率达到15.2%，群众满意度进一步提升。"
    text = f"{line}\n{body}"
    report = parse_report(text)
    assert all(not s.number and s.title in ("正文", "前言") for s in report.sections)


def test_no_heading_title_runs_to_a_sentence() -> None:
    long_heading = "一、" + "坚持以习近平法治思想为指导全面推进依法行政" * 3 + "，建设法治政府。"
    titles = [s.title for s in parse_report(long_heading + "\n正文。").sections]
    assert titles == ["坚持以习近平法治思想为指导全面推进依法行政坚持以习近平法治思…"]
    for path in ALL_REPORTS:
        for section in load_report(path).sections:
            assert len(section.title) <= 31, (path.name, section.title)


def test_labels_in_traditional_characters() -> None:
    report = parse_report(
        "某某市政府工作報告\n發布時間：2022-03-01　來源：某某市統計局\n2021年，全市經濟平穩。"
    )
    meta = report.metadata
    assert (meta.title, meta.date, meta.publisher) == (
        "某某市政府工作報告",
        "2022-03-01",
        "某某市統計局",
    )
    assert report.body == "2021年，全市經濟平穩。"


# --------------------------------------------------------------------------
# Classes behind the hand-marked real reports (tests/reports/real)
# --------------------------------------------------------------------------


def test_reading_glosses_do_not_hide_labels_titles_or_file_numbers() -> None:
    """A converter that prints pinyin after uncommon characters (關(guān)于, 號(hào)):
    labels, the title and a file number are still recognised; the text keeps them."""
    text = "\n".join(
        [
            "某縣人民政府辦公室關(guān)于印發(fā)某縣提升行政執(zhí)法質(zhì)量三年行動(dòng)實(shí)施方案的通知",
            "索引號(hào) : 0110/2024-1 文       號(hào) : 某政辦發(fā)〔2024〕3號(hào)",
            "發(fā)文單位: 某縣人民政府辦公室 發(fā)布日期: 2024年05月15日",
            "各鎮(zhèn)人民政府,縣政府各部門:",
            "現(xiàn)將方案印發(fā)給你們,請認(rèn)真貫徹落實(shí)。",
        ]
    )
    report = parse_report(text)
    meta = report.metadata
    assert meta.title.startswith("某縣人民政府辦公室關(guān)于") and meta.title.endswith("通知")
    assert (meta.index_no, meta.date) == ("0110/2024-1", "2024-05-15")
    assert meta.publisher == "某縣人民政府辦公室"
    assert report.body.startswith("各鎮(zhèn)人民政府")
    # A file number with glosses is a file number, not the title.
    numbered = parse_report(
        "某府發(fā)〔2017〕92號\n某市人民政府印發(fā)《關(guān)于加強(qiáng)誠信建設(shè)的意見》的通知\n"
        "各區(qū)人民政府:\n現(xiàn)將意見印發(fā)給你們。"
    )
    assert numbered.metadata.title.startswith("某市人民政府印發(fā)")
    # Latin in brackets without a tone mark is no gloss: (GDP) stays a breaker of nothing.
    assert is_document_title("地区生产总值(GDP)统计报告")


def test_headline_with_its_date_and_source_on_one_line() -> None:
    text = "\n".join(
        [
            "2022年上半年某市生产总值 2022-07-19 来源:市统计局",
            "字号:",
            "地区生产总值比上年同期增长5.7%，第一产业增加值34.52亿元，增长1.7%，情况良好。",
        ]
    )
    report = parse_report(text)
    assert report.metadata.title == "2022年上半年某市生产总值"
    assert (report.metadata.date, report.metadata.publisher) == ("2022-07-19", "市统计局")
    assert report.body.startswith("地区生产总值")
    # Without a date, the fields alone also split off; a sentence is never a headline.
    assert parse_report(
        "某区2023年法治政府建设情况报告 来源:区司法局\n正文第一段。"
    ).metadata.title == ("某区2023年法治政府建设情况报告")
    sentence = parse_report("全年完成任务，成效明显 2022-07-19\n正文。")
    assert sentence.metadata.title != "全年完成任务，成效明显"


def test_parsing_the_body_again_after_many_short_lines_past_a_header() -> None:
    """The cap on title-block lines counts from the last header row (was: from the top,
    so the body of a header row followed by short lines parsed differently)."""
    lines = ["某某市法治政府建设报告"] * 3 + ["信息名称:某某报告 |", "一、", "0", "0", "0"]
    lines += ["某某市法治政府建设报告", "一、"]
    report = parse_report("\n".join(lines))
    again = parse_report(report.body)
    assert [s.text for s in again.sections] == [s.text for s in report.sections]


def test_an_unnumbered_part_title_inside_a_numbered_report() -> None:
    """A title-like line standing alone where the top-level numbering starts (at 一、,
    directly or after one intro paragraph) heads a part: a second document, or the
    notes after a table. It is no heading when it only names the document a notice
    issues (现将《X》印发给你们, then X), nor before a numbering that goes on."""
    explained = "\n".join(
        [
            "现将《某市住房保障管理办法(征求意见稿)》及其说明予以公布,广泛征求社会各界意见和建议。",
            "某市司法局",
            "2020年10月28日",
            "《某市住房保障管理办法(征求意见稿)》起草说明",
            "现将《办法》起草有关情况说明如下:",
            "一、修订的必要性",
            "原办法已施行多年，部分条款不再适应当前的管理需要，有必要修订。",
            "二、修订的过程",
            "起草组多次调研论证，征求了有关部门的意见，形成了征求意见稿。",
        ]
    )
    sections = parse_report(explained).sections
    assert [(s.number, s.title[:6]) for s in sections[1:]] == [
        ("", "《某市住房保"),
        ("一、", "修订的必要性"),
        ("二、", "修订的过程"),
    ]
    assert sections[2].parent == sections[1].id
    table = "\n".join(
        [
            *("地区生产总值", "19349.31", "-5.7", "第一产业", "34.52", "1.7"),
            "地区生产总值统计范围、采集渠道及主要指标解释",
            "一、统计范围",
            "所有在本地区经济领土内具有经济利益中心的经济单位都应该纳入统计范围。",
        ]
    )
    assert [s.title for s in parse_report(table).sections][1:] == [
        "地区生产总值统计范围、采集渠道及主要指标解释",
        "统计范围",
    ]
    issued = "\n".join(
        [
            "各镇人民政府,县政府各部门:",
            "《某县提升行政执法质量三年行动实施方案》已经县人民政府同意,现印发给你们。",
            "2024年4月12日",
            "某县提升行政执法质量三年行动实施方案",
            "为全面提升行政执法质量和效能,结合我县实际,制定本实施方案。",
            "一、目标要求",
            "到2025年底，行政执法质量和效能大幅提升，人民群众满意度明显提高。",
        ]
    )
    assert [s.number for s in parse_report(issued).sections] == ["", "一、"]
    going_on = "\n".join(
        [
            "一、基本情况",
            "全年共办理行政复议案件一千余件，办结率保持在较高水平，群众满意。",
            "主要工作成效",
            "二、存在的问题",
            "执法人员素质参差不齐，个别单位对法治建设重视不够，需要改进。",
        ]
    )
    assert [s.number for s in parse_report(going_on).sections] == ["一、", "二、"]
    # The body's first line (a title the front matter kept as text) opens the report.
    opening = "\n".join(["我区法治建设的主要做法", *explained.split("\n")[4:]])
    assert [s.number for s in parse_report(opening).sections] == ["", "一、", "二、"]


def test_text_with_a_scrapers_markup_left_in_reads_as_the_page_shows_it() -> None:
    """A .txt copied out of a page with its <p>…</p> and <img alt=…> left in: block
    tags end lines, other tags and their attributes go, entities are resolved;
    the headline's site or author suffix and a bar of search terms are furniture."""
    from briefing.source import load_text, strip_markup

    raw = "\n".join(
        [
            "推广 热搜:   App  某某台网  质检",
            "某市地震监测能力达2.5级 地震2分钟速报-某某某",
            "   日期:2021-01-08 19:57:07     作者:wangxiao    浏览:5",
            "<p>  记者从8日召开的会议上获悉,监测能力达到2.5级。</p> <p>  完成55条断层探测。</p>"
            ' <img alt="2021年会议召开 供图" src="/a/b.jpg" /> 2021年会议召开&nbsp;供图'
            "<p>启动79次应急响应。</p>",
        ]
    )
    text = load_text(raw.encode()).text
    assert "<" not in text and "alt=" not in text and "&nbsp;" not in text
    report = parse_report(text)
    assert report.metadata.title == "某市地震监测能力达2.5级 地震2分钟速报"
    assert report.metadata.date == "2021-01-08"
    assert report.body.split("\n") == [
        "记者从8日召开的会议上获悉,监测能力达到2.5级。",
        "完成55条断层探测。",
        "2021年会议召开\u00a0供图",
        "启动79次应急响应。",
    ]
    # One tag may be the text's own; text without tags is untouched.
    assert strip_markup("比较 a<b 与 <b>加粗") == "比较 a<b 与 <b>加粗"
    assert strip_markup("一、总体情况\n二、工作") == "一、总体情况\n二、工作"


def test_a_column_labelled_headline_gives_way_to_the_documents_own_title() -> None:
    """【政策解读】关于《X》的政策解读 over 《X》政策解读: the portal's headline wraps
    the document's own title; a byline with its date gives publisher and date."""
    text = "\n".join(
        [
            "【政策解读】关于《某县人民政府关于某县2023年度法治政府建设工作的报告》的政策解读",
            "某县人民政府 2024年01月08日",
            "《某县人民政府关于某县2023年度法治政府建设工作的报告》政策解读",
            "按照省市法治政府建设工作要求,我县总结2023年全县法治政府建设工作,现解读如下:",
            "一、起草背景",
        ]
    )
    meta = parse_report(text).metadata
    assert meta.title == "《某县人民政府关于某县2023年度法治政府建设工作的报告》政策解读"
    assert (meta.publisher, meta.date) == ("某县人民政府", "2024-01-08")
    # Without a column label, a later title made of the first one's words is not preferred.
    plain = "\n".join(
        ["某某市2021年度法治政府建设工作报告", "某某市法治政府建设报告", "各位代表：现在报告工作。"]
    )
    assert parse_report(plain).metadata.title == "某某市2021年度法治政府建设工作报告"


def test_header_rows_whose_labels_have_no_colon() -> None:
    """A portal's metadata table flattened to ``标  题 某某报告`` rows: labels known,
    letter-spaced or not, with or without a colon, each value up to the next label."""
    text = "\n".join(
        [
            "索 引 号 失效时间",
            "发文机关 某省人民政府 成文日期 2018年04月04日",
            "标  题 某省人民政府关于2017年度法治政府建设情况的报告",
            "发文字号 某政文〔2018〕32号 发布时间 2019年06月05日",
            "某省人民政府",
            "关于2017年度法治政府建设情况的报告",
            "国务院:",
            "2017年,我省深入推进依法行政，法治政府建设取得积极成效。",
        ]
    )
    report = parse_report(text)
    meta = report.metadata
    assert meta.title == "某省人民政府关于2017年度法治政府建设情况的报告"
    assert (meta.publisher, meta.date) == ("某省人民政府", "2018-04-04")
    assert report.body.startswith("国务院:")
    mixed = parse_report(
        "索引号 xzf/2020-0046 公开日期: 2020-04-30 10:09\n来源 某县应急管理局\n正文。"
    )
    assert (mixed.metadata.index_no, mixed.metadata.publisher) == (
        "xzf/2020-0046",
        "某县应急管理局",
    )
    # A line that only starts like a label is text: 来源于群众…, 时间就是生命.
    assert parse_report("来源于群众的意见建议已全部办结\n正文。").metadata.fields == ()


def test_the_report_title_restated_in_the_body_heads_no_part() -> None:
    """A copied page: the title, a line of the site's, the title again, then the same
    title in other words (…情况的报告) over an intro and 一、. That line restates the
    report: it must not become a top-level part holding the whole report."""
    text = "\n".join(
        [
            "2023年区五年法治政府建设工作情况报告",
            "时间:2023-05-07 17:15:05 公文范文 来源:网友投稿",
            "下面是小编为大家整理的2023年区五年法治政府建设工作情况报告,供大家参考。",
            "2023年区五年法治政府建设工作情况报告",
            "区五年法治政府建设工作情况的报告",
            "五年来,本区严格落实第一责任人职责规定,法治政府建设成效显著。现报告如下:",
            "一、抬高政治站位,统筹推进法治政府建设",
            "(一)全面加强党的领导。深入学习贯彻党的二十大精神,大力推进依法行政。",
            "(二)完善制度。出台文件3份。",
            "二、存在的问题",
            "基层力量仍然薄弱。",
        ]
    )
    report = parse_report(text)
    assert report.title == "2023年区五年法治政府建设工作情况报告"
    top = [(s.number, s.title) for s in report.sections if s.level == 1]
    assert top == [
        ("", "前言"),
        ("一、", "抬高政治站位,统筹推进法治政府建设"),
        ("二、", "存在的问题"),
    ]


def test_a_part_title_may_have_clauses_but_not_name_the_issued_document() -> None:
    loudi = "\n".join(
        [
            "现将我市2016年度法治政府建设工作报告如下:",
            "以强化组织领导为抓手,着力营造法治政府建设浓厚氛围",
            "(一)优化组织体系。市政府成立了由一把手亲自挂帅的法治政府建设工作领导小组。",
            "(二)优化计划体系。制定年度工作要点，明确责任分工。",
        ]
    )
    assert [(s.number, s.title[:8]) for s in parse_report(loudi).sections] == [
        ("", "前言"),
        ("", "以强化组织领导为"),
        ("(一)", "优化组织体系"),
        ("(二)", "优化计划体系"),
    ]
    issued = "\n".join(
        [
            "现将本局《行政执法公示制度(试行)》、《重大执法决定法制审核制度(试行)》印发给你们。",
            "某县应急管理局",
            "2020年4月28日",
            "某县应急管理局行政执法信息公示制度(试行)",
            "第一章 总 则",
            "第一条 为提高行政执法透明度，制定本制度。",
        ]
    )
    assert [s.number for s in parse_report(issued).sections] == ["", "第一章", "第一条"]


@pytest.mark.parametrize(
    "line",
    ["尊敬的各位领导、各位来宾", "各位代表", "同志们", "这一年，", "全年工作如下：", "2021年，"],
)
def test_no_salutation_or_run_on_line_heads_a_numbered_report(line: str) -> None:
    """§2: a salutation or a line ending in ，/： before 一、 is text, with or without
    a colon, in a numbered report as in one without numbers."""
    body = "全年共办理行政复议案件112件，比上年增长12%，纠错率达到15.2%，群众满意度进一步提升。"
    numbered = parse_report(f"{line}\n一、主要工作\n{body}\n二、存在问题\n{body}")
    assert [(s.number, s.title) for s in numbered.sections] == [
        ("", "前言"),
        ("一、", "主要工作"),
        ("二、", "存在问题"),
    ]
    unnumbered = parse_report(f"{line}\n{body}\n{body}")
    assert all(not s.number and s.title in ("正文", "前言") for s in unnumbered.sections)


_LINEAR_SHAPES = {
    # Each once cost more than linear time in the checks this file's classes added.
    "notices quoting many documents of one kind": lambda n: (
        "".join(f"现将《某某{i}管理办法》印发。\n" for i in range(n))
        + "某某管理办法\n一、总则\n" * n
    ),
    "part titles": lambda n: "".join(
        f"某某办法起草说明{i}\n一、总体要求\n正文。\n" for i in range(n)
    ),
    "colon-less header rows": lambda n: "标  题 某某报告 来源 某某局\n" * n + "正文。",
    "one long colon-less row": lambda n: "标  题 某某报告 来源 某某局 " * n + "\n正文。",
    "markup": lambda n: "<p>依法行政。</p><img alt='x' />" * n,
    "glosses": lambda n: "關(guān)" * n + "\n正文。",
}


@pytest.mark.parametrize("shape", sorted(_LINEAR_SHAPES))
def test_the_new_checks_stay_linear(shape: str) -> None:
    from briefing.source import text_from_bytes
    from tests.scaling import MAX_RATIO, doubling_ratio

    build = _LINEAR_SHAPES[shape]
    ratio = doubling_ratio(lambda n: parse_report(text_from_bytes(build(n).encode())), 500)
    assert ratio <= MAX_RATIO


def test_a_heading_between_hard_wrapped_lines_with_a_site_mark() -> None:
    """A speech saved from a sharing site: PDF line breaks in mid-sentence and the
    site's mark (PZl) glued to every paragraph's end. The short line standing alone
    is still a heading, titled without the mark; the text keeps it."""
    text = "\n".join(
        [
            "各位代表:PZl",
            "我代表县人民政府向大会报告工作,请予审议,并请政协各位委员和其他列席人员",
            "提出意见。PZl",
            "2019年和今年以来工作回顾PZl",
            "去年,县政府在县委的正确领导下,在县人大及其常委会和县政协的监督支持下,",
            "坚持新发展理念,全面建成小康社会取得新的重大进展。全县生产总值92.51亿元。PZl",
            "2020年工作安排PZl",
            "今年是全面建成小康社会和“十三五”规划收官之年,做好今年工作意义重大,",
            "我们将坚持稳中求进工作总基调,扎实做好各项工作。PZl",
        ]
    )
    report = parse_report(text)
    assert [(s.number, s.title) for s in report.sections] == [
        ("", "前言"),
        ("", "2019年和今年以来工作回顾"),
        ("", "2020年工作安排"),
    ]
    assert report.section("1").text.startswith("2019年和今年以来工作回顾PZl\n")
    # Without such a mark on most lines, Latin at a line's end is words: no marker.
    from briefing.parse import paragraph_marker

    assert paragraph_marker(["下载App", "正文内容。", "更多内容", "正文。"]) == ""


BODY = (
    "2022年,区政府坚持以习近平新时代中国特色社会主义思想为指导,深入学习贯彻党的二十大精神。\n"
    "一、主要举措\n(一)学习宣传。坚持把学习放在首位。\n"
)
WRAPPED = "重庆市铜梁区人民政府关于2022年法治政府建设情况的报告"


@pytest.mark.parametrize(
    ("head", "title"),
    [
        # wrapped in mid-phrase: 关于… opened on the first line, closed on the second
        ("重庆市铜梁区人民政府关于2022年法治政府\n建设情况的报告\n", WRAPPED),
        ("渝府发〔2022〕12号\n重庆市铜梁区人民政府关于2022年法治政府\n建设情况的报告\n", WRAPPED),
        ("渝府发〔2022〕12号\n重庆市铜梁区人民政府\n关于2022年法治政府建设情况的报告\n", WRAPPED),
        # the year on a line of its own, above or below (in brackets)
        (
            "2022年度\n重庆市铜梁区法治政府建设情况报告\n",
            "2022年度重庆市铜梁区法治政府建设情况报告",
        ),
        (
            "重庆市渝中区人民政府关于法治政府建设情况的报告\n（2020年）\n",
            "重庆市渝中区人民政府关于法治政府建设情况的报告（2020年）",
        ),
        # a navigation label or a byline that does not go on into the title stays apart
        ("政务公开\n重庆市铜梁区法治政府建设情况报告\n", "重庆市铜梁区法治政府建设情况报告"),
        (
            "重庆市铜梁区司法局\n铜梁区2022年法治政府建设情况报告\n",
            "铜梁区2022年法治政府建设情况报告",
        ),
        # a title that names no issuer, only its year, goes on from the issuer above it
        # (sichuan-jiaotongting-2025-fazhi: 四川省交通运输厅 / 2025年法治政府部门建设工作情况)
        (
            "重庆市铜梁区司法局\n2022年法治政府建设情况报告\n",
            "重庆市铜梁区司法局2022年法治政府建设情况报告",
        ),
    ],
)
def test_a_title_over_two_lines_is_found_whole(head: str, title: str) -> None:
    """A title wrapped over two lines gave only its last line (``建设情况的报告``),
    its first line lost as page furniture; the year printed apart was dropped."""
    report = parse_report(head + BODY)
    assert report.metadata.title == title
    assert report.body.startswith("2022年,区政府")
    kept = report.metadata.title + "".join(v for _, v in report.metadata.fields)
    for line in head.split("\n")[:-1]:
        assert line in kept or line == "政务公开", line


LAW = (
    "某某市行政规范性文件管理办法\n第一章 总则\n"
    "第一条【立法目的】为了加强行政规范性文件管理，根据有关法律，制定本办法。\n"
    "第二条 （适用范围） 本市各级行政机关制定行政规范性文件适用本办法。\n"
    "第三条 本办法所称行政规范性文件是指除国务院的行政法规、决定、命令以及部门规章"
    "和地方政府规章外由行政机关依照法定权限和程序制定并公开发布的公文。\n"
    "第四条 本办法所称的文件清理的期限应当按照市政府办公厅第20240101号文件规定的期限执行\n"
    "第五条 (一)项所列文件不适用本办法。\n"
)


def test_an_article_label_is_its_caption_or_its_first_clause_cut_at_a_word() -> None:
    """第X条 headings: a bracketed caption is the title; a long first clause is cut
    after a list comma, or out of a number, not in the middle of either."""
    titles = {s.number: s.title for s in parse_report(LAW).sections}
    assert titles["第一条"] == "立法目的"
    assert titles["第二条"] == "适用范围"
    assert titles["第三条"] == "本办法所称行政规范性文件是指除国务院的行政法规、决定…"
    assert titles["第四条"] == "本办法所称的文件清理的期限应当按照市政府办公厅第…"  # not 第202401…
    assert all(len(title) <= MAX_TITLE + 1 for title in titles.values())
    assert titles["第五条"].startswith("(一)项所列")  # a numeral in brackets is no caption
