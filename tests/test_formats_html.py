"""Saved portal pages open as reports: the article only, title and fields from the page."""

from __future__ import annotations

import html
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefing import load_report
from briefing.cli.commands import cli
from briefing.source import SourceError, load_text
from tests.format_samples import FURNITURE, SampleReport, changzhou, portal_page, squash
from tests.scaling import MAX_RATIO, measured_ratio

REPORT = changzhou()


def check_report(path: Path, report: SampleReport = REPORT) -> None:
    """Title, fields, headings and every paragraph whole; no furniture anywhere."""
    loaded = load_report(path)
    assert loaded.metadata.title == report.title
    assert loaded.metadata.publisher == report.publisher
    assert loaded.metadata.date.startswith(report.date)
    body = "\n".join(s.text for s in loaded.sections)
    whole = squash("".join(s.title + s.text for s in loaded.sections))
    for paragraph in report.paragraphs:
        assert squash(paragraph) in whole, paragraph[:40]
    for junk in FURNITURE:
        assert junk not in body
        assert all(junk not in s.title for s in loaded.sections)
    numbers = [s.number for s in loaded.sections if s.level == 1 and s.number]
    assert numbers[:3] == ["一、", "二、", "三、"]


@pytest.mark.parametrize(
    ("charset", "declare"),
    [("utf-8", True), ("gbk", True), ("gb2312", True), ("gbk", False), ("gb18030", True)],
)
def test_portal_page_gives_the_article_only(tmp_path: Path, charset: str, declare: bool) -> None:
    path = tmp_path / "page.html"
    path.write_bytes(portal_page(REPORT, charset=charset, declare=declare))
    check_report(path)


def test_page_gives_the_same_sections_as_its_text(tmp_path: Path) -> None:
    """Notes follow the report: the page and a text of its article share section ids."""
    page = tmp_path / "page.html"
    page.write_bytes(portal_page(REPORT))
    text = tmp_path / "report.txt"
    text.write_text(
        f"标题:{REPORT.title}\n发布机构:{REPORT.publisher}\n" + "\n".join(REPORT.paragraphs),
        encoding="utf-8",
    )
    from_page = [(s.id, s.number, s.title) for s in load_report(page).sections]
    from_text = [(s.id, s.number, s.title) for s in load_report(text).sections]
    assert from_page[: len(from_text)] == from_text


def test_table_rows_are_readable(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_bytes(portal_page(REPORT))
    text = load_text(path.read_bytes(), "page").text
    assert "行政复议案件 | 1035件 | 1203件" in text.splitlines()


def page(body: str, head: str = "") -> bytes:
    head = f'<meta charset="utf-8">{head}'
    return f"<!DOCTYPE html><html><head>{head}</head><body>{body}</body></html>".encode()


def test_no_container_uses_the_densest_block_and_meta_tags(tmp_path: Path) -> None:
    paragraphs = "<br>\n".join(html.escape(p) for p in REPORT.paragraphs)
    data = page(
        '<div class="top"><a>首页</a><a>政务公开</a></div>'
        '<div class="crumb">您当前的位置：首页 &gt; 政务公开</div>'
        f'<div class="right"><div class="txt">{paragraphs}</div>'
        '<div class="bshare">扫一扫在手机打开当前页</div></div>'
        '<div class="bottom">主办单位：某市人民政府 网站标识码3204000001</div>',
        f"<title>{REPORT.title}-常州门户网站</title>"
        '<meta name="PubDate" content="2022-03-25 10:00">'
        '<meta name="ContentSource" content="常州市人民政府">',
    )
    path = tmp_path / "page.htm"
    path.write_bytes(data)
    check_report(path)


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("关于2021年度法治政府建设情况的报告_南京市人民政府", "关于2021年度法治政府建设情况的报告"),
        ("某县2022年法治政府建设工作报告-某县门户网站", "某县2022年法治政府建设工作报告"),
        ("《实施方案(2021—2025年)》解读", "《实施方案(2021—2025年)》解读"),
    ],
)
def test_title_loses_the_site_suffix_only(title: str, expected: str) -> None:
    text = load_text(page(f"<p>{'内容' * 30}。</p>", f"<title>{title}</title>")).text
    assert text.splitlines()[0] == f"标题:{expected}"


def test_prose_that_names_furniture_words_is_kept() -> None:
    line = "明确重大行政决策机关、决策承办单位等责任人的法律责任,版权所有人的权益得到保护。"
    text = load_text(page(f'<div id="zoom"><p>{line}</p><p>主办单位：某市</p></div>')).text
    assert line in text and "主办单位" not in text


def test_page_without_article_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "empty.html"
    path.write_bytes(
        page('<div class="nav"><a>首页</a></div><script>var a = "很多很多的字";</script>')
    )
    with pytest.raises(SourceError) as caught:
        load_report(path)
    assert "no article" in str(caught.value) and "\n" not in str(caught.value)
    result = CliRunner().invoke(cli, ["sections", str(path)])
    assert result.exit_code == 2 and result.output.count("\n") == 1


def test_text_with_stray_tags_is_still_text() -> None:
    from briefing.source import published_format

    assert published_format("一、总体情况<br>\n<p>二、工作</p>".encode()) is None
    assert published_format(page("<p>x</p>")) == "HTML"


def test_convert_prints_the_text_the_model_is_built_from(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_bytes(portal_page(REPORT, charset="gbk"))
    result = CliRunner().invoke(cli, ["convert", str(path)])
    assert result.exit_code == 0
    assert result.output.startswith(f"标题:{REPORT.title}\n")
    out = tmp_path / "out.txt"
    result = CliRunner().invoke(cli, ["convert", str(path), "-o", str(out)])
    assert result.exit_code == 0
    assert load_report(out).sha256 == load_report(path).sha256


def test_opening_a_text_imports_no_converter(tmp_path: Path) -> None:
    text = tmp_path / "r.txt"
    text.write_text("标题:某报告\n一、总体\n内容。\n", encoding="utf-8")
    code = (
        "import sys, os; os.environ['BRIEFING_CACHE_DIR'] = sys.argv[2];"
        "from briefing import load_report; load_report(sys.argv[1]);"
        "print(sorted(m for m in sys.modules"
        " if m.startswith('briefing.formats') or m == 'html.parser'))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(text), str(tmp_path / "cache")],
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip() == "[]"


def test_deeply_unclosed_markup_is_read_in_linear_time() -> None:
    """Old portals leave <font> open on every line: no recursion limit, no quadratic walk."""

    def sample(n: int) -> bytes:
        lines = "".join(f"<font size=3>第{i}段，依法行政工作取得新进展。<br>" for i in range(n))
        return page(f'<div id="zoom">{lines}</div>')

    text = load_text(sample(4000)).text
    assert "第3999段，依法行政工作取得新进展。" in text.splitlines()
    samples = {n: sample(n) for n in (2000, 4000)}
    ratio = measured_ratio(lambda: load_text(samples[2000]), lambda: load_text(samples[4000]))
    assert ratio <= MAX_RATIO


def test_metadata_table_with_bare_label_cells() -> None:
    """`<th>索引号</th><td>…</td>`: a label cell without a colon still labels the next cell;
    a sentence outside the article that starts with a label word is no field."""
    table = (
        "<table><tr><th>索引号</th><td>11320400014109429/2022-00045</td>"
        "<th>发布机构</th><td>常州市司法局</td></tr>"
        "<tr><th>发布日期</th><td>2022-03-25</td><th>标题</th><td>关于某事的报告</td></tr></table>"
        "<div class='side'><p>来源于群众的意见建议已全部办结</p></div>"
    )
    lines = load_text(page(table + f'<div id="zoom"><p>{"正文内容。" * 10}</p></div>')).text
    assert lines.splitlines()[:4] == [
        "标题:关于某事的报告",
        "发布机构:常州市司法局",
        "发布日期:2022-03-25",
        "索引号:11320400014109429/2022-00045",
    ]


def test_article_title_meta_wins_over_page_title() -> None:
    head = (
        "<title>首页 - 某市门户网站</title>"
        '<meta name="ArticleTitle" content="某市2023年法治政府建设年度报告">'
        '<meta name="PubDate" content="2024-01-10">'
    )
    body = '<div class="TRS_Editor"><p>一、总体情况</p><p>' + "依法行政。" * 10 + "</p></div>"
    lines = load_text(page(body, head)).text.splitlines()
    assert lines[:3] == [
        "标题:某市2023年法治政府建设年度报告",
        "发布日期:2024-01-10",
        "一、总体情况",
    ]
