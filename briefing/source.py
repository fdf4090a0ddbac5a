"""Bytes to text: encoding detection, newline and control-character cleanup.

A file that cannot be a report (missing, a folder, unreadable, empty, binary,
too large, not text in any encoding we know) raises ``SourceError`` with one
clear line; nothing else escapes ``read_source`` or ``decode_bytes``.

Decoding, in order: a byte-order mark decides (UTF-8, UTF-16, UTF-32); NUL
bytes falling on one parity mean UTF-16 without a mark; valid UTF-8 is
UTF-8; otherwise GB18030 (a superset of GBK and GB2312) or UTF-8 with a few
damaged bytes, whichever reads as more plausible Chinese text. GB18030 can
decode almost any byte string, so its result must *look like* text: mostly
common hanzi (GB2312), CJK punctuation and printable ASCII.
"""

from __future__ import annotations

import codecs
import re
import stat
from pathlib import Path

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
MAX_UTF8_ERRORS = 0.001  # share of damaged bytes tolerated in a UTF-8 file


class SourceError(Exception):
    """The file cannot be read as a report; the message is one line for the user."""


def clean_text(text: str) -> str:
    """Normalise newlines to LF and drop terminal escapes and control characters."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u2028", "\n").replace("\u2029", "\n")
    # One definition of "unsafe" for the whole program: briefing.text.
    from briefing.text import strip_control

    return strip_control(text)


def decode_bytes(data: bytes, name: str = "the file") -> str:
    """Decode report bytes (see the module docstring), or raise ``SourceError``."""
    if not data.strip():
        raise SourceError(f"{name} is empty")
    for bom, codec, label in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(codec)
            except UnicodeDecodeError:
                raise SourceError(
                    f"{name} starts with a {label} byte-order mark but is not valid {label}"
                ) from None
            if label != "UTF-8" and not _plausible(text):
                raise SourceError(f"{name} looks like a binary file, not a text report")
            return _refuse_binary(text, name)
    if b"\x00" in data:
        text = _utf16_without_bom(data)
        if text is not None:
            return text
    try:
        return _refuse_binary(data.decode("utf-8"), name)
    except UnicodeDecodeError:
        pass
    candidates = [_decode_or_none(data, "gb18030"), _damaged_utf8(data)]
    if len(data) % 2 == 0:  # UTF-16 of hanzi only has no NULs to give it away
        candidates += [_decode_or_none(data, "utf-16-le"), _decode_or_none(data, "utf-16-be")]
    best = max((text for text in candidates if text is not None), key=_plausibility, default=None)
    if best is None or not _plausible(best):
        raise SourceError(
            f"{name} looks like a binary file or an unknown encoding (not UTF-8, UTF-16 "
            "or GB18030/GBK text); save it as UTF-8 and try again"
        )
    return _refuse_binary(best, name)


def _refuse_binary(text: str, name: str) -> str:
    """Text with many stray control characters is a binary file that happened to decode."""
    sample = text[:SAMPLE_CHARS]
    if len(re.findall(_BINARY_CONTROL, sample)) > max(3, MAX_BINARY_CONTROLS * len(sample)):
        raise SourceError(f"{name} looks like a binary file, not a text report")
    return text


def _decode_or_none(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except UnicodeDecodeError:
        return None


def _damaged_utf8(data: bytes) -> str | None:
    """UTF-8 with a few bad bytes (a truncated download, one flipped byte)."""
    text = data.decode("utf-8", errors="replace")
    damaged = text.count("\ufffd") - data.count("\ufffd".encode())
    return text if damaged <= max(2, MAX_UTF8_ERRORS * len(data)) else None


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
    """Share of expected characters at the start of ``text`` (1.0 for empty text)."""
    sample = text[:SAMPLE_CHARS]
    if not sample:
        return 1.0
    return sum(map(_expected, sample)) / len(sample)


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
            raise SourceError(f"{name} is a folder, not a report file")
        if info.st_size > MAX_BYTES:
            raise SourceError(_too_large(name))
        with path.open("rb") as handle:
            # Bounded read: a device or pipe has no honest size.
            data = handle.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise SourceError(f"{name}: no such file") from None
    except PermissionError:
        raise SourceError(f"{name}: permission denied") from None
    except IsADirectoryError:
        raise SourceError(f"{name} is a folder, not a report file") from None
    except (OSError, ValueError) as error:
        reason = getattr(error, "strerror", None) or str(error)
        raise SourceError(f"{name}: cannot be read ({reason})") from None
    if len(data) > MAX_BYTES:
        raise SourceError(_too_large(name))
    return data


def text_from_bytes(data: bytes, name: str = "the file") -> str:
    """Decode and clean the bytes of a report file, or raise ``SourceError``."""
    text = clean_text(decode_bytes(data, name))
    if not text.strip():
        raise SourceError(f"{name} has no text")
    return text


def display_name(path: str | Path) -> str:
    """The path as one printable line, for messages about it."""
    return _display_name(Path(path))


def _too_large(name: str) -> str:
    return f"{name} is larger than {MAX_BYTES // 1024 // 1024} MB; reports that large are refused"
