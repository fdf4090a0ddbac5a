"""Published files (a saved portal page, a Word file, a PDF) -> report text.

``convert`` is the one place that decides what a non-text format becomes:
HTML, DOCX and PDF are converted to plain text the parser understands (a
metadata header such as ``标题:…`` then the body); every other format is
refused with one line that names it and says what to save it as.

Each converter is imported only when such a file is opened, so opening a
.txt never loads this package's modules or their libraries.
"""

from __future__ import annotations

from briefing.i18n import N_, _
from briefing.source import Decoded, SourceError

READABLE = ("HTML", "Word (DOCX)", "PDF")

# What to do with a format we do not read (translated where the refusal is made).
_ADVICE = {
    "Word 97-2003 (.doc) or WPS": N_("open it in Word or WPS and save it as .docx or PDF"),
    "Office 97-2003 or WPS (OLE)": N_("open it in Word or WPS and save it as .docx or PDF"),
    "Excel (XLSX)": N_("save the sheet as text (.txt or .csv) or PDF"),
    "PowerPoint (PPTX)": N_("save it as PDF"),
    "OFD": N_("open it in an OFD reader and save it as PDF"),
    "RTF": N_("save it as .docx or text"),
    "EPUB": N_("save it as text or PDF"),
    "OpenDocument": N_("save it as .docx or PDF"),
}

# The names ``published_format`` gives that hold words, for ``_(kind)`` in a refusal
# (the name itself stays the format's id); a bare name such as ``PDF`` is not translated.
KIND_NAMES = (
    N_("PNG image"),
    N_("JPEG image"),
    N_("GIF image"),
    N_("TIFF image"),
    N_("WebP image"),
    N_("gzip archive"),
    N_("xz archive"),
    N_("bzip2 archive"),
    N_("7-Zip archive"),
    N_("RAR archive"),
    N_("ZIP archive"),
    N_("Zstandard archive"),
    N_("program (ELF)"),
    N_("SQLite database"),
    N_("Word 97-2003 (.doc) or WPS"),
    N_("Office 97-2003 or WPS (OLE)"),
)


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
            _(
                "{name} is a password-protected Office file; save an unprotected copy and try again"
            ).format(name=name)
        )
    advice = _ADVICE.get(kind)
    if advice is not None:
        advice = _(advice)
    elif kind.endswith("image"):
        advice = _("it holds no text; use the report's text, .docx or PDF version")
    else:
        advice = _("save it as text, .docx, PDF or a web page (.html)")
    raise SourceError(
        _("{name} is a {kind} file, which briefing does not read; {advice}").format(
            name=name, kind=_(kind), advice=advice
        )
    )
