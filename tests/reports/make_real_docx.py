"""Build tests/reports/real/xizang-seni-2025-fazhi-word.docx from its stored text.

Run: ``python tests/reports/make_real_docx.py`` (standard library only; the .docx it
writes is committed, this script says how it was made). The words are the stored
page's text exactly (tests/reports/real/README.md); what is made here is the Word
shape a county office gives such a report: a two-line title in a large centred font,
headings in the Chinese Word styles (style ids ``1``/``2`` named ``heading 1``/``2``),
and the numbers ``一、`` and ``（一）`` produced by a numbering definition
(``chineseCounting``), never typed, the first sentence of a run-in item in bold.
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

OUT = Path(__file__).parent / "real" / "xizang-seni-2025-fazhi-word.docx"
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

TITLE = ["关于那曲市色尼区2025年度法治政府", "建设情况的报告"]
# (kind, text): "p" body, "h1" heading numbered 一、 by its style, "item" a run-in (一)
# item (bold lead sentence, numbered by the paragraph's own numPr).
BODY: list[tuple[str, str]] = [
    (
        "p",
        "2025年,色尼区坚持以习近平新时代中国特色社会主义思想为指导,全面学习宣传贯彻党的二十大"
        "和二十届三中、四中全会精神,深入学习贯彻落实习近平法治思想,按照《法治政府建设实施纲要"
        "(2020—2025年)》要求,在自治区党委、政府、那曲市委、市政府的坚强领导下,坚持“依法治区”"
        "工作原则,全面提升政府依法履职意识和治理效能,扎实推进法治政府建设不断取得新成效。",
    ),
    ("h1", "2025年度推进法治政府建设主要举措和成效"),
    (
        "item",
        "深入践行习近平法治思想,坚持和加强党对法治政府建设的领导。|始终把学习贯彻习近平法治思想"
        "作为重要政治任务,纳入理论学习中心组学习重点内容,认真制定《中共那曲市色尼区委理论学习"
        "中心组2025年专题学习研讨计划》。将习近平法治思想纳入区委党校(行政学院)学习培训课程,并"
        "作为所有主体班次的核心课程予以固化,确保法治教育贯穿干部成长全过程。2025年度,已在各类"
        "主体班次中开设习近平法治思想专题课程6次,累计覆盖学员310人次。",
    ),
    (
        "item",
        "加强党的领导,工作机制不断完善。|区委、区政府高度重视法治政府建设,旗帜鲜明地把“依法"
        "治区”作为色尼经济社会发展必须遵循的重要工作原则,坚持高位推动、示范引领,健全法治建设"
        "体制机制,形成区委全面依法治区委员会牵头抓总,执法、司法、普法三个小组协调配合,依法治区"
        "办统筹推进,各乡镇(街道)、区直各部门齐头并进的组织领导体系。将2025年法治政府建设重点"
        "工作纳入《区委全面依法治区委员会2025年工作要点》,坚持同部署、同推进、同落实,有效提高"
        "依法决策、依法执政、依法行政、依法管理的能力和水平。",
    ),
]


def _run(text: str, *, bold: bool = False, size: int = 32, font: str = "仿宋_GB2312") -> str:
    props = f'<w:rFonts w:ascii="{font}" w:eastAsia="{font}" w:hAnsi="{font}"/>'
    props += "<w:b/>" if bold else ""
    props += f'<w:sz w:val="{size}"/><w:szCs w:val="{size}"/>'
    return f'<w:r><w:rPr>{props}</w:rPr><w:t xml:space="preserve">{escape(text)}</w:t></w:r>'


def _paragraph(kind: str, text: str) -> str:
    if kind == "title":
        ppr = '<w:pPr><w:jc w:val="center"/><w:spacing w:line="560" w:lineRule="exact"/></w:pPr>'
        return f"<w:p>{ppr}{_run(text, size=44, font='方正小标宋简体')}</w:p>"
    if kind == "h1":
        return f'<w:p><w:pPr><w:pStyle w:val="1"/></w:pPr>{_run(text, font="黑体")}</w:p>'
    indent = '<w:ind w:firstLine="640"/>'
    if kind == "item":
        lead, rest = text.split("|")
        numpr = '<w:numPr><w:ilvl w:val="1"/><w:numId w:val="1"/></w:numPr>'
        runs = _run(lead, bold=True, font="楷体_GB2312") + _run(rest)
        return f"<w:p><w:pPr>{numpr}{indent}</w:pPr>{runs}</w:p>"
    return f"<w:p><w:pPr>{indent}</w:pPr>{_run(text)}</w:p>"


def document_xml() -> str:
    paragraphs = [_paragraph("title", line) for line in TITLE]
    paragraphs += [_paragraph(kind, text) for kind, text in BODY]
    sect = (
        '<w:sectPr><w:pgSz w:w="11906" w:h="16838"/>'
        '<w:pgMar w:top="2098" w:right="1474" w:bottom="1984" w:left="1588"/></w:sectPr>'
    )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<w:document xmlns:w="{W_NS}"><w:body>{"".join(paragraphs)}{sect}</w:body></w:document>'
    )


STYLES = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="{W_NS}">
<w:style w:type="paragraph" w:default="1" w:styleId="a"><w:name w:val="Normal"/>
<w:pPr><w:widowControl w:val="0"/><w:jc w:val="both"/></w:pPr>
<w:rPr><w:sz w:val="21"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="1"><w:name w:val="heading 1"/><w:basedOn w:val="a"/>
<w:next w:val="a"/><w:pPr><w:keepNext/><w:numPr><w:numId w:val="1"/></w:numPr>
<w:ind w:firstLine="640"/><w:outlineLvl w:val="0"/></w:pPr>
<w:rPr><w:rFonts w:eastAsia="黑体"/><w:sz w:val="32"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="2"><w:name w:val="heading 2"/><w:basedOn w:val="a"/>
<w:next w:val="a"/><w:pPr><w:keepNext/><w:numPr><w:ilvl w:val="1"/><w:numId w:val="1"/></w:numPr>
<w:outlineLvl w:val="1"/></w:pPr>
<w:rPr><w:rFonts w:eastAsia="楷体_GB2312"/><w:sz w:val="32"/></w:rPr></w:style>
</w:styles>"""

NUMBERING = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:numbering xmlns:w="{W_NS}">
<w:abstractNum w:abstractNumId="0"><w:multiLevelType w:val="multilevel"/>
<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:pStyle w:val="1"/>
<w:suff w:val="nothing"/><w:lvlText w:val="%1、"/><w:lvlJc w:val="left"/></w:lvl>
<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:pStyle w:val="2"/>
<w:suff w:val="nothing"/><w:lvlText w:val="（%2）"/><w:lvlJc w:val="left"/></w:lvl>
</w:abstractNum>
<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>
</w:numbering>"""

_OFFICE = "application/vnd.openxmlformats-officedocument.wordprocessingml"
_PACKAGE = "http://schemas.openxmlformats.org/package/2006"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    f'<Types xmlns="{_PACKAGE}/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
    'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
    f'<Override PartName="/word/document.xml" ContentType="{_OFFICE}.document.main+xml"/>'
    f'<Override PartName="/word/styles.xml" ContentType="{_OFFICE}.styles+xml"/>'
    f'<Override PartName="/word/numbering.xml" ContentType="{_OFFICE}.numbering+xml"/>'
    "</Types>"
)
RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    f'<Relationships xmlns="{_PACKAGE}/relationships">'
    f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="word/document.xml"/>'
    "</Relationships>"
)
DOC_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    f'<Relationships xmlns="{_PACKAGE}/relationships">'
    f'<Relationship Id="rId1" Type="{_REL}/styles" Target="styles.xml"/>'
    f'<Relationship Id="rId2" Type="{_REL}/numbering" Target="numbering.xml"/>'
    "</Relationships>"
)


def main() -> None:
    parts = {
        "[Content_Types].xml": CONTENT_TYPES,
        "_rels/.rels": RELS,
        "word/_rels/document.xml.rels": DOC_RELS,
        "word/document.xml": document_xml(),
        "word/styles.xml": STYLES,
        "word/numbering.xml": NUMBERING,
    }
    with zipfile.ZipFile(OUT, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))  # reproducible bytes
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, text.encode("utf-8"))


if __name__ == "__main__":
    main()
