"""A PDF with a text layer -> report text: lines joined back into paragraphs.

pdfminer.six (MIT) gives every text line with its box and font size; pypdf
gives text fragments without widths, which is not enough to tell a wrapped
line from a paragraph's short last line (see the formats report). The
layout rules here are a typesetter's, not pdfminer's boxes:

- a line that wraps is joined to the next without a space between hanzi
  (with one between two Latin words);
- a paragraph ends at an indented line, after a short line, at a vertical
  gap or a change of font size;
- page numbers (``— 1 —``, ``- 2 -``, ``第3页``, ``3/12``) and running
  headers and footers (the same line at the top or bottom of most pages)
  are dropped;
- the title is the first page's largest text, written as a ``标题:`` line.

A PDF without text (a scan), an encrypted or a damaged one is refused with
one line.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from dataclasses import dataclass
from io import BytesIO

from briefing.i18n import _
from briefing.source import Decoded, SourceError

_PAGE_NUMBER = re.compile(
    r"^\s*(?:[—–\-－·•]*\s*\d{1,4}\s*[—–\-－·•]*|第\s*\d{1,4}\s*页(?:\s*[，,]?\s*共\s*\d{1,4}\s*页)?"
    r"|\d{1,4}\s*/\s*\d{1,4}|page\s*\d{1,4}(?:\s*of\s*\d{1,4})?)\s*$",
    re.IGNORECASE,
)
_CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef\u2014\u2026“”‘’《》]")
_LATIN_END = re.compile(r"[A-Za-z]$")
_LATIN_START = re.compile(r"^[A-Za-z]")
# Spaces a PDF puts between two hanzi (letter-spacing, justification) are not text.
_WIDE = "\u3000-\u303f\u3400-\u9fff\uff00-\uffef“”《》"
_HANZI_GAP = re.compile(rf"(?<=[{_WIDE}])[ \t]+(?=[{_WIDE}])")
MAX_PAGES = 2000


@dataclass
class Line:
    """One line of text on a page, in PDF points (y grows upwards)."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    page: int
    row: bool = False  # cells of a table row, joined with ` | `


def pdf_to_text(data: bytes, name: str = "the file") -> Decoded:
    """The text of a PDF, or ``SourceError`` (scan, encrypted, damaged)."""
    pages = _read_pages(data, name)
    if not any(pages):
        raise SourceError(
            _(
                "{name} is a PDF without a text layer (a scan?); briefing cannot read images: "
                "use the report's text, .docx or web page, or run OCR on it first"
            ).format(name=name)
        )
    pages = _drop_furniture(pages)
    title_lines = _title(pages[0] if pages else [])
    body = [line for page in pages for line in page if line not in title_lines]
    paragraphs = join_lines(body)
    header = []
    if title_lines:
        header.append("标题:" + _join_texts([line.text for line in title_lines]))
    return Decoded("\n".join([*header, *paragraphs]) + "\n", "PDF")


def _read_pages(data: bytes, name: str) -> list[list[Line]]:
    try:
        from pdfminer.high_level import extract_pages
        from pdfminer.layout import LAParams, LTChar, LTTextContainer, LTTextLine
        from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
        from pdfminer.pdfparser import PDFSyntaxError
    except ImportError:  # pragma: no cover - a broken install
        raise SourceError(
            _("{name} is a PDF, and the PDF reader (pdfminer.six) is not installed").format(
                name=name
            )
        ) from None
    pages: list[list[Line]] = []
    try:
        for number, layout in enumerate(extract_pages(BytesIO(data), laparams=LAParams())):
            if number >= MAX_PAGES:
                break
            lines: list[Line] = []

            def collect(item: object, page: int = number, found: list[Line] = lines) -> None:
                if isinstance(item, LTTextLine):
                    text = item.get_text().strip()
                    if text:
                        sizes = [c.size for c in item if isinstance(c, LTChar)]
                        size = max(sizes) if sizes else item.height
                        found.append(
                            Line(text, item.x0, item.x1, item.y1, item.y0, round(size, 1), page)
                        )
                elif isinstance(item, LTTextContainer) or hasattr(item, "__iter__"):
                    for child in item:  # type: ignore[attr-defined]
                        collect(child)

            for item in layout:
                collect(item)
            pages.append(_rows(lines))
    except (PDFPasswordIncorrect, PDFEncryptionError):
        raise SourceError(_encrypted(name)) from None
    except SourceError:
        raise
    except (PDFSyntaxError, Exception) as error:  # pdfminer raises many kinds on bad input
        if "encrypt" in type(error).__name__.lower() or "password" in str(error).lower():
            raise SourceError(_encrypted(name)) from None
        raise SourceError(
            _("{name} is a damaged PDF file ({problem})").format(
                name=name, problem=type(error).__name__
            )
        ) from None
    if not pages:
        raise SourceError(_("{name} is a damaged PDF file (no pages)").format(name=name))
    return pages


def _encrypted(name: str) -> str:
    return _("{name} is an encrypted PDF; save an unprotected copy and try again").format(name=name)


def _rows(lines: list[Line]) -> list[Line]:
    """Lines in reading order; pieces on one baseline (table cells) become one row.

    Cells are joined with ` | `, as tables are everywhere else.
    """
    lines.sort(key=lambda line: (-line.bottom, line.x0))
    rows: list[Line] = []
    for line in lines:
        last = rows[-1] if rows else None
        if last is not None and abs(last.bottom - line.bottom) < 0.3 * max(line.size, 1):
            last.text += " | " + line.text
            last.row = True
            last.x1 = max(last.x1, line.x1)
            last.top = max(last.top, line.top)
        else:
            rows.append(line)
    return rows


def _shape(text: str) -> str:
    """A line with its digits masked: running headers often carry the page number."""
    return re.sub(r"\d+", "#", re.sub(r"\s+", "", text))


def _drop_furniture(pages: list[list[Line]]) -> list[list[Line]]:
    """Page numbers, and lines repeated at the top or bottom of most pages."""
    edges: Counter[str] = Counter()
    for page in pages:
        seen = {_shape(line.text) for line in page[:2] + page[-2:]}
        edges.update(seen)
    threshold = max(2, (len(pages) + 1) // 2)
    repeated = (
        {shape for shape, count in edges.items() if count >= threshold} if len(pages) > 1 else set()
    )
    kept = []
    for page in pages:
        edge = {id(line) for line in page[:2] + page[-2:]}
        kept.append(
            [
                line
                for line in page
                if not (
                    id(line) in edge
                    and (_PAGE_NUMBER.match(line.text) or _shape(line.text) in repeated)
                )
            ]
        )
    return kept


def _title(page: list[Line]) -> list[Line]:
    """The largest text at the top of the first page (a long title takes two lines)."""
    if not page:
        return []
    sizes = Counter(line.size for line in page)
    body_size = sizes.most_common(1)[0][0]
    largest = max(line.size for line in page)
    if largest <= body_size * 1.15:
        return []
    title: list[Line] = []
    for line in page:
        if line.size == largest:
            title.append(line)
        elif title or page.index(line) > 4:
            break
    return title if sum(len(line.text) for line in title) <= 120 else []


def join_lines(lines: list[Line]) -> list[str]:
    """Lines back into paragraphs (see the module docstring)."""
    if not lines:
        return []
    left = Counter(round(line.x0) for line in lines).most_common(1)[0][0]
    right = max(Counter(round(line.x1) for line in lines).most_common(3))[0]
    spacing = Counter(
        round(a.bottom - b.bottom)
        for a, b in itertools.pairwise(lines)
        if a.page == b.page and a.bottom > b.bottom
    ).most_common(1)
    leading = spacing[0][0] if spacing else 0
    paragraphs: list[list[str]] = []
    previous: Line | None = None
    for line in lines:
        if previous is None or _breaks(previous, line, left, right, leading):
            paragraphs.append([line.text])
        else:
            paragraphs[-1].append(line.text)
        previous = line
    return [_join_texts(parts) for parts in paragraphs]


def _breaks(previous: Line, line: Line, left: float, right: float, leading: float) -> bool:
    size = line.size or 10
    if previous.row or line.row or abs(previous.size - line.size) > 0.6:
        return True
    if line.x0 > left + 0.8 * size:  # an indented first line (or a centred heading)
        return True
    if previous.x1 < right - 1.5 * size:  # the previous paragraph ended short
        return True
    gap = previous.bottom - line.bottom
    return previous.page == line.page and leading > 0 and gap > leading * 1.5


def _join_texts(parts: list[str]) -> str:
    text = parts[0]
    for part in parts[1:]:
        if _LATIN_END.search(text) and _LATIN_START.search(part):
            text += " " + part
        else:
            text += part
    return _HANZI_GAP.sub("", text)
