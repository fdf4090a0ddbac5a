"""Published files (a saved portal page, a Word file, a PDF) -> report text.

``convert`` is the one place that decides what a non-text format becomes:
HTML, DOCX and PDF are converted to plain text the parser understands (a
metadata header such as ``标题:…`` then the body); every other format is
refused with one line that names it and says what to save it as.

Each converter is imported only when such a file is opened, so opening a
.txt never loads this package's modules or their libraries.
"""

from __future__ import annotations

from briefing.source import Decoded, SourceError

READABLE = ("HTML", "Word (DOCX)", "PDF")

# What to do with a format we do not read.
_ADVICE = {
    "Word 97-2003 (.doc) or WPS": "open it in Word or WPS and save it as .docx or PDF",
    "Office 97-2003 or WPS (OLE)": "open it in Word or WPS and save it as .docx or PDF",
    "Excel (XLSX)": "save the sheet as text (.txt or .csv) or PDF",
    "PowerPoint (PPTX)": "save it as PDF",
    "OFD": "open it in an OFD reader and save it as PDF",
    "RTF": "save it as .docx or text",
    "EPUB": "save it as text or PDF",
    "OpenDocument": "save it as .docx or PDF",
}


def convert(data: bytes, kind: str, name: str = "the file") -> Decoded:
    """The report text of a file in the published format ``kind``, or ``SourceError``."""
    if kind == "HTML":
        from briefing.formats.html import html_to_text

        return html_to_text(data, name)
    if kind == "Word (DOCX)":
        from briefing.formats.docx import docx_to_text

        return docx_to_text(data, name)
    if kind == "PDF":
        from briefing.formats.pdf import pdf_to_text

        return pdf_to_text(data, name)
    if kind.startswith("Office 97-2003") and "EncryptedPackage".encode("utf-16-le") in data:
        raise SourceError(
            f"{name} is a password-protected Office file; save an unprotected copy and try again"
        )
    advice = _ADVICE.get(kind)
    if advice is None:
        if kind.endswith("image"):
            advice = "it holds no text; use the report's text, .docx or PDF version"
        else:
            advice = "save it as text, .docx, PDF or a web page (.html)"
    raise SourceError(f"{name} is a {kind} file, which briefing does not read; {advice}")
