"""Word files open as reports: paragraphs in order, Word's own numbering kept, tables as rows."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefing import load_report
from briefing.cli.commands import cli
from briefing.formats.docx import chinese_number, format_number
from briefing.source import SourceError, load_text
from tests.format_samples import SampleReport, changzhou, squash, word_file

REPORT = changzhou()


def test_word_file_opens_with_title_numbered_headings_and_whole_paragraphs(
    tmp_path: Path,
) -> None:
    path = tmp_path / "report.docx"
    path.write_bytes(word_file(REPORT))
    report = load_report(path)
    assert report.metadata.title == REPORT.title
    headings = [s.number + s.title for s in report.sections if s.level == 1 and s.number]
    typed = [p for p in REPORT.paragraphs if p[:2] in ("一、", "二、", "三、", "四、", "五、")]
    assert headings[: len(typed)] == typed[: len(headings)] and len(headings) >= 5
    whole = squash("".join(s.title + s.text for s in report.sections))
    for paragraph in REPORT.paragraphs:
        assert squash(paragraph) in whole
    assert "行政复议案件 | 1203件" in load_text(path.read_bytes()).text


def test_word_file_gives_the_same_sections_as_its_text(tmp_path: Path) -> None:
    docx = tmp_path / "report.docx"
    docx.write_bytes(word_file(REPORT))
    text = tmp_path / "report.txt"
    text.write_text(f"标题:{REPORT.title}\n" + "\n".join(REPORT.paragraphs), encoding="utf-8")
    from_docx = [(s.id, s.number, s.title, s.text) for s in load_report(docx).sections]
    from_text = [(s.id, s.number, s.title, s.text) for s in load_report(text).sections]
    assert from_docx[: len(from_text) - 1] == from_text[:-1]


def test_nested_numbering_restarts_and_counts_past_ten(tmp_path: Path) -> None:
    paragraphs = []
    for top in range(1, 12):
        paragraphs.append(f"{chinese_number(top)}、第{top}部分")
        paragraphs += [f"（{chinese_number(sub)}）第{top}部分第{sub}项" for sub in (1, 2)]
        paragraphs.append(f"第{top}部分的正文。")
    sample = SampleReport("某县人民政府2023年工作报告", "", "", "", tuple(paragraphs))
    text = load_text(word_file(sample)).text.splitlines()
    assert "十一、第11部分" in text
    assert "（二）第11部分第2项" in text
    assert text.index("（一）第2部分第1项") == text.index("二、第2部分") + 1


def test_number_formats() -> None:
    assert [chinese_number(n) for n in (1, 10, 11, 20, 21, 100, 101, 110)] == [
        "一", "十", "十一", "二十", "二十一", "一百", "一百零一", "一百一十",
    ]  # fmt: skip
    assert format_number(3, "ideographTraditional") == "丙"
    assert format_number(2, "decimalEnclosedCircle") == "②"
    assert format_number(4, "upperRoman") == "IV"
    assert format_number(2, "lowerLetter") == "b"


def _docx(document: str, numbering: str | None = None, styles: str | None = None) -> bytes:
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "word/document.xml",
            f'<w:document xmlns:w="{w}"><w:body>{document}</w:body></w:document>',
        )
        if numbering is not None:
            archive.writestr(
                "word/numbering.xml", f'<w:numbering xmlns:w="{w}">{numbering}</w:numbering>'
            )
        if styles is not None:
            archive.writestr("word/styles.xml", f'<w:styles xmlns:w="{w}">{styles}</w:styles>')
    return buffer.getvalue()


def test_restart_override_title_style_and_tracked_changes() -> None:
    numbering = (
        '<w:abstractNum w:abstractNumId="7"><w:lvl w:ilvl="0"><w:start w:val="1"/>'
        '<w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl></w:abstractNum>'
        '<w:num w:numId="1"><w:abstractNumId w:val="7"/></w:num>'
        '<w:num w:numId="2"><w:abstractNumId w:val="7"/>'
        '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>'
    )
    styles = (
        '<w:style w:type="paragraph" w:styleId="a5"><w:name w:val="Title"/></w:style>'
        '<w:style w:type="paragraph" w:styleId="H1"><w:name w:val="heading 1"/>'
        '<w:pPr><w:numPr><w:numId w:val="1"/></w:numPr></w:pPr></w:style>'
    )

    def p(text: str, ppr: str = "") -> str:
        return f"<w:p><w:pPr>{ppr}</w:pPr><w:r><w:t>{text}</w:t></w:r></w:p>"

    document = (
        p("关于某事的报告", '<w:pStyle w:val="a5"/>')
        + p("总体情况", '<w:pStyle w:val="H1"/>')
        + p("主要做法", '<w:pStyle w:val="H1"/>')
        + "<w:p><w:r><w:t>保留的</w:t></w:r><w:del><w:r><w:delText>删掉的</w:delText></w:r>"
        "</w:del><w:ins><w:r><w:t>插入的文字。</w:t></w:r></w:ins></w:p>"
        + p("附件一", '<w:numPr><w:ilvl w:val="0"/><w:numId w:val="2"/></w:numPr>')
    )
    lines = load_text(_docx(document, numbering, styles)).text.splitlines()
    assert lines == [
        "标题:关于某事的报告",
        "一、总体情况",
        "二、主要做法",
        "保留的插入的文字。",
        "一、附件一",
    ]


@pytest.mark.parametrize(
    ("data", "says"),
    [
        (b"PK\x03\x04" + b"word/document.xml" + b"\x00" * 50, r"damaged Word \(DOCX\)"),
        (_docx("<w:p><w:r><w:t>x</w:t></w:r>"), r"damaged Word \(DOCX\)"),
    ],
    ids=["not-a-zip", "broken-xml"],
)
def test_broken_word_file_is_one_line(tmp_path: Path, data: bytes, says: str) -> None:
    path = tmp_path / "broken.docx"
    path.write_bytes(data)
    with pytest.raises(SourceError, match=says):
        load_report(path)
    result = CliRunner().invoke(cli, ["sections", str(path)])
    assert result.exit_code == 2 and result.output.count("\n") == 1


def test_word_file_without_document_is_one_line(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/styles.xml", "<x/>")
    path = tmp_path / "empty.docx"
    path.write_bytes(buffer.getvalue())
    with pytest.raises(SourceError, match=r"no document\.xml"):
        load_report(path)
