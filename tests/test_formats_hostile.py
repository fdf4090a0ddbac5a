"""Hostile files not tried before, through the command line and the loader: each is one
clear line (exit 2, ``briefing: …``) or opens right, in bounded time, never a traceback.

A page that is nothing but nested tags, a Word file whose document.xml is a zip bomb or
missing, a scan with no text layer, a .txt that is really a saved page, a GBK page that
declares UTF-8 in its meta tag, an .htm with a byte-order mark and CRLF line ends.
"""

from __future__ import annotations

import io
import time
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefing import load_report
from briefing.cli.commands import cli
from briefing.formats import docx as docx_format
from briefing.formats.html import find_article, html_to_text
from briefing.source import SourceError
from tests.scaling import MAX_RATIO, measured_ratio

PAGE = (
    "<html><head><meta http-equiv='Content-Type' content='text/html; charset={charset}'>"
    "<title>某市2023年法治政府建设情况报告_某市人民政府</title></head><body>"
    "<div class='nav'>首页 | 政务公开 | 办事服务</div>"
    "<div id='zoom'><p>2023年,全市坚持依法行政,法治政府建设取得新成效。</p>"
    "<p>一、主要举措</p><p>全年办理行政复议案件120件,纠错率12.5%。</p></div>"
    "<div class='footer'>主办:某市人民政府办公室 ICP备12345678号</div></body></html>"
)


def one_line_refusal(path: Path, says: str) -> None:
    """The command line refuses ``path`` with one ``briefing:`` line saying ``says``."""
    result = CliRunner().invoke(cli, ["sections", str(path)])
    assert result.exit_code == 2, result.output
    assert result.output.startswith("briefing: ") and result.output.count("\n") == 1
    assert says in result.output, result.output
    assert "Traceback" not in result.output


def opens_as_the_page(path: Path) -> None:
    report = load_report(path)
    assert report.metadata.title == "某市2023年法治政府建设情况报告"
    assert [s.number + s.title for s in report.sections] == ["前言", "一、主要举措"]
    body = "\n".join(s.text for s in report.sections)
    assert "120件" in body and "首页" not in body and "ICP" not in body


def nested_tags(n: int) -> bytes:
    return ("<html><body>" + "<div><span>" * n + "正文" + "</span></div>" * n).encode()


def test_a_page_of_nothing_but_nested_tags_is_refused_at_once(tmp_path: Path) -> None:
    path = tmp_path / "nested.html"
    path.write_bytes(nested_tags(100_000))  # 2.4 MB of tags around two hanzi
    started = time.process_time()
    one_line_refusal(path, "almost all markup")
    assert time.process_time() - started < 5  # was minutes: the tree was walked per element


def test_nested_markup_with_text_is_read_in_linear_time() -> None:
    """Each element used to count the hanzi of its whole subtree: quadratic when nested."""

    def sample(n: int) -> bytes:
        return ("<html><body>" + "<div>第一段依法行政。<span>" * n + "</span></div>" * n).encode()

    def article(data: bytes) -> object:
        from briefing.formats.html import _TreeBuilder

        builder = _TreeBuilder()
        builder.feed(data.decode())
        return find_article(builder.root)

    small, large = sample(3000), sample(6000)
    assert measured_ratio(lambda: article(small), lambda: article(large)) <= MAX_RATIO
    assert "第一段依法行政。" in html_to_text(sample(50)).text


def _docx(document: bytes, declared_too_large: bool = False) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", document)
    return buffer.getvalue()


def test_a_word_file_whose_document_is_a_zip_bomb_is_refused_by_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(docx_format, "MAX_PART_BYTES", 1024 * 1024)  # a 1 MB limit, a 2 MB part
    document = b"<w:document><w:body>" + b" " * (2 * 1024 * 1024) + b"</w:body></w:document>"
    path = tmp_path / "bomb.docx"
    path.write_bytes(_docx(document))
    assert path.stat().st_size < 20_000
    with pytest.raises(SourceError, match=r"word/document\.xml would unpack to 2 MB"):
        load_report(path)
    one_line_refusal(path, "would unpack")


def test_a_word_file_with_no_document_is_one_line(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/styles.xml", "<w:styles/>")
    path = tmp_path / "nodoc.docx"
    path.write_bytes(buffer.getvalue())
    one_line_refusal(path, "no document.xml")


def test_a_scan_with_no_text_layer_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "scan.pdf"
    path.write_bytes(
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
        b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]"
        b"/Resources<</XObject<</Im0 4 0 R>>>>/Contents 5 0 R>>endobj\n"
        b"4 0 obj<</Type/XObject/Subtype/Image/Width 1/Height 1/ColorSpace/DeviceGray"
        b"/BitsPerComponent 8/Length 1>>stream\n\xff\nendstream endobj\n"
        b"5 0 obj<</Length 30>>stream\nq 612 0 0 792 0 0 cm /Im0 Do Q\nendstream endobj\n"
        b"trailer<</Root 1 0 R>>\n%%EOF\n"
    )
    one_line_refusal(path, "without a text layer")


def test_a_txt_that_is_really_a_saved_page_opens_as_the_page(tmp_path: Path) -> None:
    path = tmp_path / "report.txt"
    path.write_text("<!DOCTYPE html>\n" + PAGE.format(charset="utf-8"), encoding="utf-8")
    opens_as_the_page(path)


def test_a_gbk_page_that_declares_utf8_opens_as_the_page(tmp_path: Path) -> None:
    path = tmp_path / "report.html"
    path.write_bytes(PAGE.format(charset="utf-8").encode("gbk"))
    opens_as_the_page(path)


def test_an_htm_with_a_byte_order_mark_and_crlf_opens_as_the_page(tmp_path: Path) -> None:
    path = tmp_path / "report.htm"
    page = PAGE.format(charset="utf-8").replace(">", ">\r\n")
    path.write_bytes(b"\xef\xbb\xbf" + page.encode("utf-8"))
    opens_as_the_page(path)
