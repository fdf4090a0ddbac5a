"""Bytes to text: encoding detection, newline and control-character cleanup.

A file that cannot be a report (missing, a directory, empty, binary, too
large, undecodable) raises ``SourceError`` with one clear line.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

MAX_BYTES = 20 * 1024 * 1024

# C0 controls but tab and newline, DEL, C1 controls; plus zero-width and bidi
# formatting characters that change how text looks without being text.
_CONTROL = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]"
)
# Terminal escape sequences (CSI, OSC, other ESC sequences) are removed whole.
_ESCAPE = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"  # OSC
    r"|\x1b[PX^_][^\x1b]*(?:\x1b\\)?"  # DCS, SOS, PM, APC
    r"|\x1b[@-Z\\-_]"  # two-character sequences
    r"|\x9b[0-?]*[ -/]*[@-~]"  # 8-bit CSI
)


class SourceError(Exception):
    """The file cannot be read as a report; the message is one line for the user."""


def clean_text(text: str) -> str:
    """Normalise newlines to LF and drop terminal escapes and control characters."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u2028", "\n").replace("\u2029", "\n")
    text = _ESCAPE.sub("", text)
    return _CONTROL.sub("", text)


def decode_bytes(data: bytes, name: str = "the file") -> str:
    """Decode report bytes: BOMs first, then UTF-8, then GB18030 (covers GBK/GB2312)."""
    if not data.strip():
        raise SourceError(f"{name} is empty")
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                raise SourceError(f"{name} starts with a {encoding} mark but is not valid {encoding}") from None
    if _looks_binary(data):
        raise SourceError(f"{name} looks like a binary file, not a text report")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        raise SourceError(
            f"{name} is neither UTF-8, UTF-16 nor GB18030/GBK text; save it as UTF-8 and try again"
        ) from None


def _looks_binary(data: bytes) -> bool:
    """NUL bytes or many control bytes in the first 8 KiB mean a binary file."""
    head = data[:8192]
    if b"\x00" in head:
        return True
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13, 27))
    return controls > len(head) // 20


def read_source(path: str | Path) -> str:
    """Read a report file and return clean text, or raise ``SourceError``."""
    path = Path(path)
    name = str(path)
    try:
        if not path.exists():
            raise SourceError(f"{name}: no such file")
        if path.is_dir():
            raise SourceError(f"{name} is a folder, not a report file")
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise SourceError(
                f"{name} is {size / 1024 / 1024:.0f} MB; reports larger than "
                f"{MAX_BYTES // 1024 // 1024} MB are refused"
            )
        data = path.read_bytes()
    except PermissionError:
        raise SourceError(f"{name}: permission denied") from None
    except OSError as error:
        raise SourceError(f"{name}: cannot be read ({error.strerror or error})") from None
    text = clean_text(decode_bytes(data, name))
    if not text.strip():
        raise SourceError(f"{name} has no text")
    return text
