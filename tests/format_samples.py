"""Sample published files built from a report's text: a portal page, a Word file, a PDF.

The page carries the furniture of a real government portal (navigation,
breadcrumbs, a metadata table, a share bar, 上一篇/下一篇, a footer with
主办单位/ICP备, scripts and styles) so the tests can check none of it leaks.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path

from briefing.resources import bundled_report_path

TABLE = (("指标", "2020年", "2021年"), ("行政复议案件", "1035件", "1203件"))
FURNITURE = (
    "首页",
    "政务公开",
    "您当前的位置",
    "扫一扫在手机打开当前页",
    "上一篇",
    "下一篇",
    "主办单位",
    "版权所有",
    "网站标识码",
    "ICP备",
    "var _hmt",
    "font-family",
    "打印本页",
    "关闭窗口",
)


@dataclass(frozen=True)
class SampleReport:
    """A report split the way a publisher sees it: title, fields and body paragraphs."""

    title: str
    publisher: str
    date: str
    index_no: str
    paragraphs: tuple[str, ...]


def changzhou() -> SampleReport:
    """The bundled report without its portal header: what the article itself holds."""
    lines = bundled_report_path().read_text(encoding="utf-8").splitlines()
    body = [
        line.strip()
        for line in lines
        if line.strip()
        and not line.rstrip().endswith("|")
        and not any(junk in line for junk in FURNITURE)
    ]
    return SampleReport(
        title="常州市2021年度法治政府建设工作报告",
        publisher="常州市人民政府",
        date="2022-03-25",
        index_no="014109429/2022-00045",
        paragraphs=tuple(body),
    )


def portal_page(report: SampleReport, *, charset: str = "utf-8", declare: bool = True) -> bytes:
    """The report as a saved TRS-style portal page, in ``charset``."""
    e = html.escape
    meta = (
        f'<meta http-equiv="Content-Type" content="text/html; charset={charset}">'
        if declare
        else ""
    )
    body = "\n".join(f'<p style="text-indent:2em;">{e(p)}</p>' for p in report.paragraphs)
    page = f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN">
<html xmlns="http://www.w3.org/1999/xhtml"><head>{meta}
<title>{e(report.title)}_常州市人民政府</title>
<meta name="SiteName" content="常州市人民政府">
<meta name="ColumnName" content="法治政府建设">
<style>body {{ font-family: "微软雅黑"; }} .nav li {{ float: left; }}</style>
<script>var _hmt = _hmt || []; document.write("<p>上一篇</p>");</script>
</head><body>
<div class="header"><div class="nav"><ul><li><a href="/">首页</a></li>
<li><a href="/zwgk">政务公开</a></li><li><a href="/hdjl">互动交流</a></li>
<li><a href="/bsfw">办事服务</a></li></ul></div></div>
<div class="position">您当前的位置：<a href="/">首页</a> &gt;
<a href="/zwgk">政务公开</a> &gt; 法治政府建设</div>
<div class="xxgk_table"><table class="xxgk">
<tr><td>索 引 号：</td><td>{e(report.index_no)}</td><td>分类：</td><td>本机关政策文件</td></tr>
<tr><td>发布机构：</td><td>{e(report.publisher)}</td><td>发布日期：</td><td>{e(report.date)}</td></tr>
<tr><td>名　　称：</td><td colspan="3">{e(report.title)}</td></tr>
</table></div>
<div class="article"><h1 class="title">{e(report.title)}</h1>
<div class="fontsize">字体：【<a>大</a> <a>中</a> <a>小</a>】
<span>扫一扫在手机打开当前页</span></div>
<div id="zoom"><div class="TRS_Editor">
{body}
<table border="1"><tr><td>指标</td><td>2020年</td><td>2021年</td></tr>
<tr><td>行政复议案件</td><td>1035件</td><td>1203件</td></tr></table>
</div></div>
<div class="share">分享到：<a>微信</a><a>微博</a></div>
<div class="print"><a>【打印本页】</a><a>【关闭窗口】</a></div>
<div class="prevnext"><p>上一篇：常州市2020年度法治政府建设工作报告</p>
<p>下一篇：关于公布行政执法事项清单的通知</p></div>
</div>
<div class="footer"><p>主办单位：常州市人民政府办公室　版权所有</p>
<p>网站标识码：3204000001　苏ICP备05005487号</p></div>
<script>window.onload = function() {{ init(); }};</script>
</body></html>
"""
    return page.encode(charset, errors="xmlcharrefreplace")  # as editors save them


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def squash(text: str) -> str:
    """Text without white space, to compare paragraphs whatever the line breaks."""
    return re.sub(r"\s+", "", text)


# --------------------------------------------------------------------------
# Word

_W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_HEADING = re.compile(r"^([一二三四五六七八九十]+)、(.*)$")
_SUB_HEADING = re.compile(r"^（([一二三四五六七八九十]+)）(.*)$")


def _w_paragraph(text: str, *, num: tuple[int, int] | None = None, title: bool = False) -> str:
    ppr = ""
    if num is not None:
        level, list_id = num[1], num[0]
        numbered = f'<w:ilvl w:val="{level}"/><w:numId w:val="{list_id}"/>'
        ppr = f"<w:pPr><w:numPr>{numbered}</w:numPr></w:pPr>"
    size = 32
    if title:
        ppr = '<w:pPr><w:jc w:val="center"/></w:pPr>'
        size = 44
    run = (
        f'<w:r><w:rPr><w:sz w:val="{size}"/></w:rPr>'
        f'<w:t xml:space="preserve">{html.escape(text)}</w:t></w:r>'
    )
    return f"<w:p>{ppr}{run}</w:p>"


_NUMBERING = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:numbering xmlns:w="{_W_NS}">
<w:abstractNum w:abstractNumId="0">
<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCountingThousand"/>
<w:lvlText w:val="%1、"/><w:suff w:val="nothing"/></w:lvl>
<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCountingThousand"/>
<w:lvlText w:val="（%2）"/><w:suff w:val="nothing"/></w:lvl>
<w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/>
<w:lvlText w:val="%3."/></w:lvl>
</w:abstractNum>
<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>
</w:numbering>"""

_CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/word/document.xml"
 ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
<Override PartName="/word/numbering.xml"
 ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml"/>
</Types>"""

_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1"
 Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
 Target="word/document.xml"/></Relationships>"""

_DOC_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1"
 Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering"
 Target="numbering.xml"/></Relationships>"""


def word_file(report: SampleReport, *, extra: str = "") -> bytes:
    """The report as a .docx whose 一、 and （一） headings are Word's automatic numbering.

    The numbers are not in the text: only numbering.xml and each paragraph's
    numPr produce them, as when an author uses a numbered heading style.
    """
    import io
    import zipfile

    parts = [_w_paragraph(report.title, title=True)]
    for paragraph in report.paragraphs:
        if match := _HEADING.match(paragraph):
            parts.append(_w_paragraph(match.group(2), num=(1, 0)))
        elif match := _SUB_HEADING.match(paragraph):
            parts.append(_w_paragraph(match.group(2), num=(1, 1)))
        else:
            parts.append(_w_paragraph(paragraph))
    parts.append(
        "<w:tbl><w:tr><w:tc><w:p><w:r><w:t>指标</w:t></w:r></w:p></w:tc>"
        "<w:tc><w:p><w:r><w:t>2021年</w:t></w:r></w:p></w:tc></w:tr>"
        "<w:tr><w:tc><w:p><w:r><w:t>行政复议案件</w:t></w:r></w:p></w:tc>"
        "<w:tc><w:p><w:r><w:t>1203件</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"
    )
    document = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<w:document xmlns:w="{_W_NS}"><w:body>{"".join(parts)}{extra}</w:body></w:document>'
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _RELS)
        archive.writestr("word/_rels/document.xml.rels", _DOC_RELS)
        archive.writestr("word/document.xml", document)
        archive.writestr("word/numbering.xml", _NUMBERING)
    return buffer.getvalue()


# --------------------------------------------------------------------------
# PDF


def pdf_file(
    report: SampleReport,
    *,
    header: str = "常州市人民政府办公室文件",
    page_number: str = "— {} —",
    chars_per_line: int = 26,
) -> bytes:
    """The report as a typeset PDF: a large centred title, justified lines that wrap
    inside words, a 2-character first-line indent, a running header and page numbers.

    Needs reportlab (a test dependency) and its built-in CJK font STSong-Light.
    """
    import io

    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    font, size, leading = "STSong-Light", 16, 28
    width, height = A4
    left = (width - chars_per_line * size) / 2
    top, bottom = height - 90, 80
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    state = {"page": 1, "y": top}

    def furniture() -> None:
        pdf.setFont(font, 10)
        if header:
            pdf.drawCentredString(width / 2, height - 50, header)
        if page_number:
            pdf.drawCentredString(width / 2, 40, page_number.format(state["page"]))

    def new_page() -> None:
        pdf.showPage()
        state["page"] += 1
        state["y"] = top
        furniture()

    def line(text: str, x: float, font_size: float = size) -> None:
        if state["y"] < bottom:
            new_page()
        pdf.setFont(font, font_size)
        pdf.drawString(x, state["y"], text)
        state["y"] -= leading

    furniture()
    pdf.setFont(font, 22)
    pdf.drawCentredString(width / 2, state["y"], report.title)
    state["y"] -= 2 * leading
    for paragraph in report.paragraphs:
        indent = 2
        rest = paragraph
        first = True
        while rest:
            # Fill the line by width, as a typesetter does (half-width digits are narrower).
            room = chars_per_line * size - (indent * size if first else 0)
            cut = 1
            while cut < len(rest) and pdfmetrics.stringWidth(rest[: cut + 1], font, size) <= room:
                cut += 1
            piece, rest = rest[:cut], rest[cut:]
            line(piece, left + (indent * size if first else 0))
            first = False
    for row in TABLE:  # a table: cells side by side on one baseline
        if state["y"] < bottom:
            new_page()
        pdf.setFont(font, size)
        for column, cell in enumerate(row):
            pdf.drawString(left + column * 9 * size, state["y"], cell)
        state["y"] -= leading
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def nested_page(paragraphs: int, shape: str = "div-span", *, closed: bool = False) -> bytes:
    """A saved page whose editor wrapped each paragraph in a ``<div>`` it never closed
    (or closed only at the end, ``closed``), so that the article nests one level
    deeper a paragraph: ``div-span`` holds the words in a <span>, ``div-p`` in a <p>,
    ``div-text`` bare. No known content container; a header and footer around it.
    Paragraph ``i`` reads ``第i段，依法行政工作取得新进展，全年办理案件i件。``."""
    words = "第{i}段，依法行政工作取得新进展，全年办理案件{i}件。"
    wrap = {
        "div-span": "<div><span>{words}</span>",
        "div-p": "<div><p>{words}</p>",
        "div-text": "<div>{words}",
    }[shape]
    body = "".join(wrap.format(words=words.format(i=i)) for i in range(paragraphs))
    if closed:
        body += "</div>" * paragraphs
    page = (
        '<html><head><meta charset="utf-8"><title>某市2023年法治政府建设情况报告_某市人民政府'
        "</title></head><body><div class='nav'><a href='/'>首页</a> | <a>政务公开</a></div>"
        f"{body}<div class='footer'>主办单位:某市人民政府办公室 ICP备12345678号</div>"
        "</body></html>"
    )
    return page.encode("utf-8")
