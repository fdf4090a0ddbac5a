"""Bytes to text: encoding detection, newline and control-character cleanup.

A file that cannot be a report (missing, a folder, unreadable, empty, binary,
too large, not text in any encoding we know) raises ``SourceError`` with one
clear line; nothing else escapes ``read_source`` or ``decode_bytes``.

Before decoding, a file in a known published or binary format (a saved web
page, PDF, ZIP and the formats built on it: DOCX, XLSX, OFD…; OLE
.doc/.xls/.wps, RTF, images, archives) is recognised by its first bytes and
handed to ``from_published``, which converts what ``briefing.formats`` reads
(HTML, DOCX, PDF) and refuses the rest with one line naming the format.

Decoding, in order: a byte-order mark decides (UTF-8, UTF-16, UTF-32); NUL
bytes falling on one parity mean UTF-16 without a mark; valid UTF-8 is
UTF-8; otherwise GB18030 (a superset of GBK and GB2312) or UTF-8, each
allowed a few damaged bytes (one flipped byte, a download cut in the middle
of a character), whichever reads as more plausible Chinese text. GB18030 can
decode almost any byte string, so its result must *look like* text: mostly
common hanzi (GB2312), CJK punctuation and printable ASCII. Damaged bytes
become U+FFFD and are counted: ``Decoded.replaced``, which the loader turns
into a warning (``Report.warnings``) that the command line prints on stderr.

What the parser then makes of the text (``briefing.parse``): a section's text
is its source lines, each stripped of surrounding white space, joined by
``\n``, blank lines dropped; no character is rewritten otherwise.
"""

from __future__ import annotations

import codecs
import os
import re
import stat
from pathlib import Path
from typing import BinaryIO, NamedTuple

from briefing.i18n import _

MAX_BYTES = 20 * 1024 * 1024

# The patterns below are plain strings, compiled on first use (``re`` caches
# them): the reader imports this module on start-up even when the report comes
# from the report cache, and compiling them costs about a millisecond.

# Controls that may not appear in a file name shown on one line.
_NAME_CONTROL = "[\x00-\x1f\x7f-\x9f]"
# Control characters a text file may contain in small numbers (tab, newlines,
# form feed, escape); any other C0/C1 control counts as a sign of binary data.
_BINARY_CONTROL = "[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f-\x9f]"

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig", "UTF-8"),
    (codecs.BOM_UTF32_LE, "utf-32", "UTF-32"),  # before UTF-16 LE: same first bytes
    (codecs.BOM_UTF32_BE, "utf-32", "UTF-32"),
    (codecs.BOM_UTF16_LE, "utf-16", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16", "UTF-16"),
)
SAMPLE_CHARS = 20_000  # plausibility is judged on the start of the text
MIN_PLAUSIBLE = 0.9  # share of "expected" characters in real Chinese text
MAX_BINARY_CONTROLS = 0.05  # share of stray control characters tolerated
MAX_DAMAGED = 0.001  # share of damaged bytes tolerated in a UTF-8 or GB18030 file
UTF16_MIN_NULS = 0.3  # share of NUL bytes that makes valid UTF-8 a guess at UTF-16


class SourceError(Exception):
    """The file cannot be read as a report; the message is one line for the user."""


class Decoded(NamedTuple):
    """Decoded text, the encoding that gave it, and how many damaged bytes became U+FFFD."""

    text: str
    encoding: str
    replaced: int = 0

    def warnings(self, name: str = "the file") -> tuple[str, ...]:
        """What the user should be told about the decoding (one line each)."""
        if not self.replaced:
            return ()
        message = (
            _(
                "{name} is damaged: 1 place in its {encoding} text could not be read "
                "and shows as {mark}"
            )
            if self.replaced == 1
            else _(
                "{name} is damaged: {count} places in its {encoding} text could not be read "
                "and show as {mark}"
            )
        )
        return (
            message.format(name=name, count=self.replaced, encoding=self.encoding, mark="\ufffd"),
        )


# First bytes of formats that are not plain text. Checked in order; ZIP and
# OLE containers are told apart by the names of the parts they hold.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "PDF"),
    (b"{\\rtf", "RTF"),
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"II*\x00", "TIFF image"),
    (b"MM\x00*", "TIFF image"),
    (b"\x1f\x8b", "gzip archive"),
    (b"\xfd7zXZ\x00", "xz archive"),
    (b"7z\xbc\xaf\x27\x1c", "7-Zip archive"),
    (b"Rar!\x1a\x07", "RAR archive"),
    (b"\x28\xb5\x2f\xfd", "Zstandard archive"),
    (b"\x7fELF", "program (ELF)"),
    (b"SQLite format 3\x00", "SQLite database"),
)
_ZIP_PARTS: tuple[tuple[bytes, str], ...] = (
    (b"word/", "Word (DOCX)"),
    (b"xl/", "Excel (XLSX)"),
    (b"ppt/", "PowerPoint (PPTX)"),
    (b"OFD.xml", "OFD"),
    (b"application/epub+zip", "EPUB"),
    (b"application/vnd.oasis.opendocument", "OpenDocument"),
)
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def published_format(data: bytes) -> str | None:
    """The name of the non-text format ``data`` is in (None for anything else)."""
    if _looks_like_html(data):
        return "HTML"
    head = data[:64].lstrip(b"\x00\t\n\r \xef\xbb\xbf")
    for magic, name in _MAGIC:
        if head.startswith(magic):
            return name
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return "WebP image"
    if head.startswith(b"BZh") and head[4:10] == b"1AY&SY":
        return "bzip2 archive"
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")):
        for part, name in _ZIP_PARTS:
            if part in data:
                return name
        return "ZIP archive"
    if head.startswith(_OLE):
        if "WordDocument".encode("utf-16-le") in data:
            return "Word 97-2003 (.doc) or WPS"
        return "Office 97-2003 or WPS (OLE)"
    return None


_HTML_STARTS = (b"<!doctype html", b"<html", b"<?xml", b"<!--", b"<head", b"<meta")


def _looks_like_html(data: bytes) -> bool:
    """A saved web page: markup from the first byte and an <html> or <body> element.

    Plain text with stray tags left by a scraper is still text.
    """
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if not head.startswith(_HTML_STARTS):
        return False
    start = data[:65536].lower()
    return b"<html" in start or b"<body" in start


def from_published(data: bytes, kind: str, name: str = "the file") -> Decoded:
    """The text of a published file in a non-text format, or ``SourceError``.

    ``briefing.formats`` (imported only now: a .txt never loads it) converts
    the formats it reads and refuses the others with one line naming them.
    """
    from briefing.formats import convert

    return convert(data, kind, name)


def clean_text(text: str) -> str:
    """Normalise newlines to LF and drop terminal escapes and control characters."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u2028", "\n").replace("\u2029", "\n")
    # One definition of "unsafe" for the whole program: briefing.text.
    from briefing.text import strip_control

    return strip_control(text)


def decode_bytes(data: bytes, name: str = "the file") -> str:
    """Decode report bytes (see the module docstring), or raise ``SourceError``."""
    return decode_source(data, name).text


def decode_source(data: bytes, name: str = "the file") -> Decoded:
    """Decode report bytes and say how (see the module docstring), or raise ``SourceError``."""
    if not data.strip():
        raise SourceError(_("{name} is empty").format(name=name))
    kind = published_format(data)
    if kind is not None:
        return from_published(data, kind, name)
    decoded = decode_plain(data, name)
    return decoded._replace(text=strip_markup(decoded.text))


# Tags a scraper leaves in text it copied out of a page (<p>…</p>, <br/>, <img …/>).
_TAG = (
    r"<(/?)(p|br|div|span|img|a|font|strong|b|i|em|u|s|strike|sup|sub|table|tbody|thead"
    r"|tr|td|th|ul|ol|li|h[1-6]|section|article|center|hr|blockquote|pre|figure|figcaption)"
    r"(?=[\s/>])[^<>]{0,4000}>"
)
_LINE_BREAKING_TAGS = frozenset(
    (
        *("p", "br", "div", "hr", "pre", "center", "blockquote", "section", "article"),
        *("table", "tbody", "thead", "tr", "ul", "ol", "li", "figure", "figcaption"),
        *("h1", "h2", "h3", "h4", "h5", "h6"),
    )
)
MIN_STRAY_TAGS = 2  # one <b> may be the text's own; two HTML tags are markup


def strip_markup(text: str) -> str:
    """Text copied out of a web page with its markup left in, as the page shows it.

    A block tag (``<p>``, ``<br>``, ``<div>`` …) ends a line, any other tag
    goes with its attributes (an ``<img alt=…>`` repeats a caption the text
    already has), and character references are resolved. Text with fewer
    than ``MIN_STRAY_TAGS`` tags is left as it is.
    """
    if "<" not in text:
        return text
    tags = re.finditer(_TAG, text, flags=re.IGNORECASE)
    if sum(1 for _tag in zip(range(MIN_STRAY_TAGS), tags, strict=False)) < MIN_STRAY_TAGS:
        return text

    def replace(match: re.Match[str]) -> str:
        return "\n" if match.group(2).lower() in _LINE_BREAKING_TAGS else ""

    text = re.sub(_TAG, replace, text, flags=re.IGNORECASE)
    if "&" in text:
        import html  # small, and only for marked-up text

        text = html.unescape(text)
    return text


def decode_plain(data: bytes, name: str = "the file") -> Decoded:
    """Decode bytes known to be text (no format sniffing), or raise ``SourceError``."""
    for bom, codec, label in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(codec)
            except UnicodeDecodeError:
                raise SourceError(
                    _(
                        "{name} starts with a {label} byte-order mark but is not valid {label}"
                    ).format(name=name, label=label)
                ) from None
            if label != "UTF-8" and not _plausible(text):
                raise SourceError(_binary(name))
            return Decoded(_refuse_binary(text, name), label)
    if b"\x00" in data and not _utf8_with_stray_nuls(data):
        text = _utf16_without_bom(data)
        if text is not None:
            return Decoded(text, "UTF-16")
    try:
        return Decoded(_refuse_binary(data.decode("utf-8"), name), "UTF-8")
    except UnicodeDecodeError:
        pass
    candidates = [_damaged(data, "gb18030", "GB18030"), _damaged(data, "utf-8", "UTF-8")]
    if len(data) % 2 == 0:  # UTF-16 of hanzi only has no NULs to give it away
        for codec in ("utf-16-le", "utf-16-be"):
            text = _decode_or_none(data, codec)
            if text is not None:
                candidates.append(Decoded(text, "UTF-16"))
    found = [decoded for decoded in candidates if decoded is not None]
    best = max(found, key=lambda decoded: _plausibility(decoded.text), default=None)
    if best is None or not _plausible(best.text):
        raise SourceError(
            _(
                "{name} looks like a binary file or an unknown encoding (not UTF-8, UTF-16 "
                "or GB18030/GBK text); save it as UTF-8 and try again"
            ).format(name=name)
        )
    _refuse_binary(best.text, name)
    return best


def _refuse_binary(text: str, name: str) -> str:
    """Text with many stray control characters is a binary file that happened to decode."""
    sample = text[:SAMPLE_CHARS]
    if len(re.findall(_BINARY_CONTROL, sample)) > max(3, MAX_BINARY_CONTROLS * len(sample)):
        raise SourceError(_binary(name))
    return text


def _binary(name: str) -> str:
    return _("{name} looks like a binary file, not a text report").format(name=name)


def _decode_or_none(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except UnicodeDecodeError:
        return None


def _damaged(data: bytes, codec: str, label: str) -> Decoded | None:
    """Text with a few bad bytes (a flipped byte, a download cut inside a character).

    Each undecodable byte sequence becomes U+FFFD; more than a few per
    thousand bytes means this is not the file's encoding at all.
    """
    text = data.decode(codec, errors="replace")
    damaged = text.count("\ufffd") - data.count("\ufffd".encode(codec))
    if damaged > max(2, MAX_DAMAGED * len(data)):
        return None
    return Decoded(text, label, damaged)


def _utf8_with_stray_nuls(data: bytes) -> bool:
    """Valid UTF-8 with a few NULs is UTF-8: UTF-16 of ASCII is half NULs.

    UTF-16 of a report with hanzi is almost never valid UTF-8, and UTF-16 of
    ASCII text has a NUL for every character, so a stray NUL or two in UTF-8
    (``000\\x00``) must not turn the file into UTF-16 nonsense (``〰0``).
    """
    if data.count(0) >= UTF16_MIN_NULS * len(data):
        return False
    return _decode_or_none(data, "utf-8") is not None


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 without a mark: ASCII characters (newlines, digits) put NULs on one side."""
    if len(data) % 2:
        return None
    even = data[0::2].count(0)
    odd = data[1::2].count(0)
    if max(even, odd) < 0.75 * (even + odd):  # hanzi like 一 (U+4E00) add a few
        return None
    text = _decode_or_none(data, "utf-16-le" if odd > even else "utf-16-be")
    return text if text is not None and _plausible(text) else None


def _expected(char: str) -> bool:
    """A character real Chinese report text is made of."""
    if char in "\t\n\r\f" or " " <= char <= "~":
        return True
    code = ord(char)
    if 0x2000 <= code <= 0x206F or 0x3000 <= code <= 0x303F or 0xFF00 <= code <= 0xFFEF:
        return True  # general, CJK and full-width punctuation
    try:
        char.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


def _plausibility(text: str) -> float:
    """Share of expected characters at the start of ``text`` (1.0 for empty text).

    U+FFFD (a damaged byte, already counted and limited) is neither.
    """
    sample = text[:SAMPLE_CHARS]
    if not sample:
        return 1.0
    size = len(sample) - sample.count("\ufffd")
    return sum(map(_expected, sample)) / size if size else 0.0


def _plausible(text: str) -> bool:
    return _plausibility(text) >= MIN_PLAUSIBLE


def _display_name(path: Path) -> str:
    """The path as one printable line (a file name may contain newlines)."""
    return re.sub(_NAME_CONTROL, "?", str(path).replace("\n", "?").replace("\r", "?"))


def read_source(path: str | Path) -> str:
    """Read a report file and return clean text, or raise ``SourceError``."""
    path = Path(path)
    return text_from_bytes(read_source_bytes(path), _display_name(path))


def read_source_bytes(path: str | Path) -> bytes:
    """The raw bytes of a report file (at most ``MAX_BYTES``), or raise ``SourceError``.

    Separate from decoding so that a caller can key a cache by the very bytes it parsed.
    """
    path = Path(path)
    name = _display_name(path)
    try:
        info = path.stat()
        if stat.S_ISDIR(info.st_mode):
            raise SourceError(_folder(name))
        if info.st_size > MAX_BYTES:
            raise SourceError(_too_large(name))
        with _open_for_reading(path, info) as handle:
            # Bounded read: a device or pipe has no honest size.
            data = handle.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise SourceError(_("{name}: no such file").format(name=name)) from None
    except PermissionError:
        raise SourceError(_("{name}: permission denied").format(name=name)) from None
    except IsADirectoryError:
        raise SourceError(_folder(name)) from None
    except (OSError, ValueError) as error:
        reason = getattr(error, "strerror", None) or str(error)
        raise SourceError(
            _("{name}: cannot be read ({reason})").format(name=name, reason=reason)
        ) from None
    if len(data) > MAX_BYTES:
        raise SourceError(_too_large(name))
    return data


def _open_for_reading(path: Path, info: os.stat_result) -> BinaryIO:
    """``path`` opened for reading. A named pipe is opened without waiting for a
    writer (a plain open would wait forever): with none, it reads as empty."""
    if not stat.S_ISFIFO(info.st_mode):
        return path.open("rb")
    descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    os.set_blocking(descriptor, True)
    return os.fdopen(descriptor, "rb")


def text_from_bytes(data: bytes, name: str = "the file") -> str:
    """Decode and clean the bytes of a report file, or raise ``SourceError``."""
    return load_text(data, name).text


def load_text(data: bytes, name: str = "the file") -> Decoded:
    """Decode and clean the bytes of a report file, saying how; or raise ``SourceError``."""
    decoded = decode_source(data, name)
    text = clean_text(decoded.text)
    if not text.strip():
        raise SourceError(_("{name} has no text").format(name=name))
    return decoded._replace(text=text)


def display_name(path: str | Path) -> str:
    """The path as one printable line, for messages about it."""
    return _display_name(Path(path))


def _too_large(name: str) -> str:
    return _("{name} is larger than {size} MB; reports that large are refused").format(
        name=name, size=MAX_BYTES // 1024 // 1024
    )


def _folder(name: str) -> str:
    return _("{name} is a folder, not a report file").format(name=name)
