"""A Word file (.docx) -> report text: paragraphs in order, tables as rows, numbers kept.

Standard library only (``zipfile`` and ``xml.etree``): python-docx reads the
same XML but does not render automatic numbering, which is exactly what a
government report's headings use (一、 and （一） produced by numbering
definitions, not typed). So the numbers are computed here from
``word/numbering.xml``: per list (numId) and level, a counter that restarts
the deeper levels, formatted by ``numFmt`` and ``lvlText`` (``%1、``, ``（%1）``).

The title (Title style, or a centred paragraph in a larger or bold font at
the top) is written as a ``标题:`` header line the parser knows.
"""

from __future__ import annotations

import re
import zipfile
from io import BytesIO
from xml.etree import ElementTree

from briefing.i18n import _
from briefing.source import Decoded, SourceError

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
MAX_PART_BYTES = 64 * 1024 * 1024  # a report's document.xml is a few MB at most
_DIGITS = "〇一二三四五六七八九"
_LEGAL = "零壹贰叁肆伍陆柒捌玖"
_IDEOGRAPH = "甲乙丙丁戊己庚辛壬癸"
_ZODIAC = "子丑寅卯辰巳午未申酉戌亥"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


def _damaged(name: str, problem: str) -> str:
    return _("{name} is a damaged Word (DOCX) file ({problem})").format(name=name, problem=problem)


def docx_to_text(data: bytes, name: str = "the file") -> Decoded:
    """The text of a Word file, or ``SourceError`` naming what is wrong with it."""
    try:
        archive = zipfile.ZipFile(BytesIO(data))
        document = _part(archive, "word/document.xml", name)
        if document is None:
            raise SourceError(_damaged(name, _("it has no document.xml")))
        numbering = Numbering(_part(archive, "word/numbering.xml", name))
        styles = Styles(_part(archive, "word/styles.xml", name))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, KeyError):
        raise SourceError(_damaged(name, _("not a readable zip"))) from None
    except ElementTree.ParseError:
        raise SourceError(_damaged(name, _("its XML is broken"))) from None
    body = document.find(f"{W}body")
    if body is None:
        raise SourceError(_damaged(name, _("it has no body")))
    reader = _Reader(numbering, styles)
    reader.block(body)
    lines = reader.lines
    title_lines = _title(reader.paragraphs)
    header = [f"标题:{''.join(title_lines)}"] if title_lines else []
    if [line.strip() for line in lines[: len(title_lines)]] == title_lines:
        lines = lines[len(title_lines) :]  # the header carries them
    text = "\n".join([*header, *lines])
    if not text.strip():
        raise SourceError(_("{name} is a Word (DOCX) file with no text in it").format(name=name))
    return Decoded(text + "\n", "DOCX")


def _part(archive: zipfile.ZipFile, part: str, name: str) -> ElementTree.Element | None:
    """A part's XML; a part that would unpack past MAX_PART_BYTES (a zip bomb: a few KB
    that inflate to gigabytes) is refused before a byte of it is unpacked."""
    try:
        info = archive.getinfo(part)
    except KeyError:
        return None
    if info.file_size > MAX_PART_BYTES:
        raise SourceError(
            _(
                "{name} is not a Word file briefing will open: its {part} would unpack to "
                "{size:,} MB (at most {limit:,} MB)"
            ).format(
                name=name,
                part=part,
                size=info.file_size // (1024 * 1024),
                limit=MAX_PART_BYTES // (1024 * 1024),
            )
        )
    return ElementTree.fromstring(archive.read(info))  # (zipfile stops at the declared size)


def _val(element: ElementTree.Element | None, attr: str = "val") -> str | None:
    return None if element is None else element.get(f"{W}{attr}")


class Styles:
    """Paragraph styles: their names, numbering and alignment (with ``basedOn``)."""

    def __init__(self, root: ElementTree.Element | None) -> None:
        self.styles: dict[str, ElementTree.Element] = {}
        self.default_size = 21  # half-points: 10.5 pt, Word's own default
        if root is None:
            return
        for style in root.iter(f"{W}style"):
            style_id = style.get(f"{W}styleId")
            if style_id:
                self.styles[style_id] = style
        size = root.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}sz")
        if _val(size) and _val(size).isdigit():  # type: ignore[union-attr]
            self.default_size = int(_val(size))  # type: ignore[arg-type]

    def chain(self, style_id: str | None) -> list[ElementTree.Element]:
        """The style and those it is based on, nearest first."""
        found: list[ElementTree.Element] = []
        while style_id and style_id in self.styles and len(found) < 20:
            style = self.styles[style_id]
            found.append(style)
            style_id = _val(style.find(f"{W}basedOn"))
        return found

    def lookup(self, style_id: str | None, path: str) -> ElementTree.Element | None:
        for style in self.chain(style_id):
            found = style.find(path)
            if found is not None:
                return found
        return None

    def is_title(self, style_id: str | None) -> bool:
        for style in self.chain(style_id):
            name = (_val(style.find(f"{W}name")) or "").lower()
            if name in ("title", "标题") or style.get(f"{W}styleId") == "Title":
                return True
        return False


class Numbering:
    """Automatic numbering: formats per list and level, and the running counters."""

    def __init__(self, root: ElementTree.Element | None) -> None:
        self.abstract: dict[str, dict[int, ElementTree.Element]] = {}
        self.nums: dict[str, tuple[str, dict[int, int]]] = {}
        self.counters: dict[str, dict[int, int]] = {}
        self.restarted: set[tuple[str, int]] = set()
        if root is None:
            return
        for abstract in root.iter(f"{W}abstractNum"):
            levels = {}
            for level in abstract.iter(f"{W}lvl"):
                ilvl = level.get(f"{W}ilvl")
                if ilvl and ilvl.isdigit():
                    levels[int(ilvl)] = level
            self.abstract[abstract.get(f"{W}abstractNumId", "")] = levels
        for num in root.iter(f"{W}num"):
            starts = {}
            for override in num.iter(f"{W}lvlOverride"):
                start = _val(override.find(f"{W}startOverride"))
                ilvl = override.get(f"{W}ilvl")
                if start and start.isdigit() and ilvl and ilvl.isdigit():
                    starts[int(ilvl)] = int(start)
            abstract_id = _val(num.find(f"{W}abstractNumId")) or ""
            self.nums[num.get(f"{W}numId", "")] = (abstract_id, starts)

    def label(self, num_id: str, ilvl: int) -> str:
        """The number the next paragraph of list ``num_id`` at level ``ilvl`` shows."""
        if num_id not in self.nums:
            return ""
        abstract_id, starts = self.nums[num_id]
        levels = self.abstract.get(abstract_id, {})
        level = levels.get(ilvl)
        if level is None:
            return ""
        # Lists sharing an abstract definition continue one another's count, as
        # in Word; a list that overrides its start ("restart numbering") restarts.
        counters = self.counters.setdefault(abstract_id, {})
        if ilvl in starts and (num_id, ilvl) not in self.restarted:
            self.restarted.add((num_id, ilvl))
            counters[ilvl] = starts[ilvl]
        elif ilvl not in counters:
            counters[ilvl] = self._start(level)
        else:
            counters[ilvl] += 1
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]
        text = _val(level.find(f"{W}lvlText"))
        if text is None:
            return ""
        fmt = _val(level.find(f"{W}numFmt")) or "decimal"
        if fmt in ("bullet", "none"):
            return ""
        legal = level.find(f"{W}isLgl") is not None

        def number(match: re.Match[str]) -> str:
            at = int(match.group(1)) - 1
            at_level = levels.get(at)
            value = counters.get(at)
            if value is None:
                value = self._start(at_level) if at_level is not None else 1
            at_fmt = _val(at_level.find(f"{W}numFmt")) if at_level is not None else "decimal"
            return format_number(value, "decimal" if legal else at_fmt or "decimal")

        return re.sub(r"%([1-9])", number, text)

    @staticmethod
    def _start(level: ElementTree.Element) -> int:
        start = _val(level.find(f"{W}start"))
        return int(start) if start and start.isdigit() else 1


def format_number(value: int, fmt: str) -> str:
    """``value`` in a Word number format (chineseCounting: 十一, ideographTraditional: 甲 …)."""
    if fmt in (
        "chineseCounting",
        "chineseCountingThousand",
        "japaneseCounting",
        "taiwaneseCounting",
        "taiwaneseCountingThousand",
        "ideographDigital",
    ):
        return chinese_number(value)
    if fmt == "chineseLegalSimplified":
        return "".join(_LEGAL[int(d)] for d in str(value)) if value >= 10 else _LEGAL[value % 10]
    if fmt in ("ideographTraditional", "ideographEnclosedCircle"):
        return _IDEOGRAPH[(value - 1) % 10]
    if fmt == "ideographZodiac":
        return _ZODIAC[(value - 1) % 12]
    if fmt == "decimalEnclosedCircle" or fmt == "decimalEnclosedCircleChinese":
        return _CIRCLED[value - 1] if 1 <= value <= len(_CIRCLED) else str(value)
    if fmt == "decimalFullWidth" or fmt == "decimalFullWidth2":
        return str(value).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    if fmt == "decimalZero":
        return f"{value:02d}"
    if fmt in ("lowerLetter", "upperLetter"):
        letter = chr(ord("a") + (value - 1) % 26) * ((value - 1) // 26 + 1)
        return letter.upper() if fmt == "upperLetter" else letter
    if fmt in ("lowerRoman", "upperRoman"):
        roman = _roman(value)
        return roman if fmt == "upperRoman" else roman.lower()
    return str(value)


def chinese_number(value: int) -> str:
    """一 … 十, 十一, 二十, 一百零一: the way 一、 headings count."""
    if value <= 0:
        return _DIGITS[0]
    if value < 10:
        return _DIGITS[value]
    if value < 20:
        return "十" + (_DIGITS[value - 10] if value > 10 else "")
    if value < 100:
        tens, units = divmod(value, 10)
        return _DIGITS[tens] + "十" + (_DIGITS[units] if units else "")
    hundreds, rest = divmod(value, 100)
    if rest == 0:
        return _DIGITS[hundreds] + "百"
    tail = chinese_number(rest) if rest >= 10 else "零" + _DIGITS[rest]
    if 10 <= rest < 20:
        tail = "一" + tail
    return _DIGITS[hundreds % 10] + "百" + tail


def _roman(value: int) -> str:
    out = []
    for number, letters in (
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ):
        while value >= number:
            out.append(letters)
            value -= number
    return "".join(out)


class _Paragraph:
    __slots__ = ("bold", "centred", "size", "text", "title_style")

    def __init__(self, text: str, centred: bool, size: int, bold: bool, title_style: bool):
        self.text = text
        self.centred = centred
        self.size = size
        self.bold = bold
        self.title_style = title_style


class _Reader:
    """Walks the body in order: paragraphs, tables, content controls."""

    def __init__(self, numbering: Numbering, styles: Styles) -> None:
        self.numbering = numbering
        self.styles = styles
        self.lines: list[str] = []
        self.paragraphs: list[_Paragraph] = []  # top-level ones, for the title

    def block(self, parent: ElementTree.Element) -> None:
        for child in parent:
            if child.tag == f"{W}p":
                paragraph = self.paragraph(child)
                self.paragraphs.append(paragraph)
                self.lines.extend(line for line in paragraph.text.split("\n") if line.strip())
            elif child.tag == f"{W}tbl":
                self.table(child)
            elif child.tag in (f"{W}sdt", f"{W}sdtContent", f"{W}customXml", f"{W}ins"):
                self.block(child)

    def table(self, table: ElementTree.Element) -> None:
        for row in table.iter(f"{W}tr"):
            cells = []
            for cell in row.findall(f"{W}tc"):
                texts = [self.paragraph(p).text for p in cell.iter(f"{W}p")]
                cells.append(" ".join(" ".join(t.split()) for t in texts if t.strip()))
            if any(cells):
                self.lines.append(" | ".join(cells))

    def paragraph(self, p: ElementTree.Element) -> _Paragraph:
        ppr = p.find(f"{W}pPr")
        style_id = _val(ppr.find(f"{W}pStyle")) if ppr is not None else None
        text = _runs_text(p)
        label = self._number(ppr, style_id)  # an empty numbered line still counts
        if label and text.strip():
            # Word's tab or space after the number: none after 、 or ）, one after 第一章.
            joiner = "" if re.search(r"[\W_]$", label) else " "
            text = label + joiner + text.strip()
        jc = ppr.find(f"{W}jc") if ppr is not None else None
        if jc is None:
            jc = self.styles.lookup(style_id, f"{W}pPr/{W}jc")
        size, bold = self._font(p, style_id)
        return _Paragraph(
            text,
            _val(jc) in ("center", "centre"),
            size,
            bold,
            self.styles.is_title(style_id),
        )

    def _number(self, ppr: ElementTree.Element | None, style_id: str | None) -> str:
        num_pr = ppr.find(f"{W}numPr") if ppr is not None else None
        if num_pr is None:
            num_pr = self.styles.lookup(style_id, f"{W}pPr/{W}numPr")
        if num_pr is None:
            return ""
        num_id = _val(num_pr.find(f"{W}numId"))
        ilvl_text = _val(num_pr.find(f"{W}ilvl")) or "0"
        if not num_id or num_id == "0" or not ilvl_text.isdigit():
            return ""
        return self.numbering.label(num_id, int(ilvl_text))

    def _font(self, p: ElementTree.Element, style_id: str | None) -> tuple[int, bool]:
        """The largest run size (half-points) and whether the text is bold."""
        sizes = []
        bolds = []
        style_size = _val(self.styles.lookup(style_id, f"{W}rPr/{W}sz"))
        style_bold = self.styles.lookup(style_id, f"{W}rPr/{W}b")
        for run in p.iter(f"{W}r"):
            if not "".join(t.text or "" for t in run.iter(f"{W}t")).strip():
                continue
            rpr = run.find(f"{W}rPr")
            size = _val(rpr.find(f"{W}sz")) if rpr is not None else None
            size = size or style_size
            sizes.append(int(size) if size and size.isdigit() else self.styles.default_size)
            b = rpr.find(f"{W}b") if rpr is not None else None
            b = b if b is not None else style_bold
            bolds.append(b is not None and _val(b) not in ("0", "false"))
        return (max(sizes) if sizes else 0), bool(bolds) and all(bolds)


def _runs_text(p: ElementTree.Element) -> str:
    """The paragraph's visible text: runs in order; deleted text and field codes left out."""
    parts: list[str] = []

    def walk(element: ElementTree.Element) -> None:
        for child in element:
            tag = child.tag
            if tag in (f"{W}del", f"{W}pPr", f"{W}rPr", _MC_FALLBACK, f"{W}instrText"):
                continue
            if tag == f"{W}t":
                parts.append(child.text or "")
            elif tag == f"{W}tab":
                parts.append(" ")
            elif tag in (f"{W}br", f"{W}cr"):
                parts.append("\n")
            elif tag == f"{W}noBreakHyphen":
                parts.append("-")
            elif tag == f"{W}txbxContent":
                continue  # a text box floats outside the flow of the text
            else:
                walk(child)

    walk(p)
    return "".join(parts)


def _title(paragraphs: list[_Paragraph]) -> list[str]:
    """The title's lines: the Title-style paragraph, or the centred, larger or bold
    lines at the top (a long title is often set on two lines)."""
    for paragraph in paragraphs:
        if paragraph.title_style and paragraph.text.strip():
            return [paragraph.text.strip()]
    body_sizes = sorted(p.size for p in paragraphs if p.text.strip() and p.size)
    body = body_sizes[len(body_sizes) // 2] if body_sizes else 0
    title: list[str] = []
    title_size = 0
    for paragraph in paragraphs[:8]:
        if not paragraph.text.strip():
            if title:
                break
            continue
        prominent = paragraph.centred and (paragraph.bold or paragraph.size > body)
        if not prominent or len(paragraph.text.strip()) > 80:
            break
        if title and paragraph.size != title_size:
            break
        title_size = paragraph.size
        title.append(paragraph.text.strip())
    return title
