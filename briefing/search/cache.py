"""The on-disk readings cache: one binary file per report and reading-data version.

Layout: ``MAGIC``, then the header's length and CRC-32 (two little-endian
``uint32``), the header (JSON: versions, text digest and length, the reading
and key tables, the payload's length and CRC-32), then the payload: the key id
of every character (``Readings.positions``, little-endian), copied straight
into an ``array``, the postings and their ends (``Readings.postings``: each
key's positions), then ``Readings.breaks`` (optional bits). Loading needs only
``json``, ``zlib`` and a SHA-256 (``digest.py``): that is what keeps pypinyin off the
start-up path of a report already seen, and no Python object is made per
character.

A file is used only if everything checks: magic, header CRC, reading-data
version, the sha256 and length of the text it belongs to, payload length
(a truncated file) and CRC (a damaged one), and every id in range. Anything
else is a miss, and the file is rebuilt. Files are written atomically (temp
file in the same folder, then ``os.replace``).
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import struct
import sys
import zlib
from array import array
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from briefing.search.digest import sha256_hex
from briefing.search.readings import Readings, engine_version

CACHE_ENV = "BRIEFING_CACHE_DIR"
MAGIC = b"BRFPY\x00\x02\n"
_LENGTHS = struct.Struct("<II")


def cache_dir() -> Path:
    """``$BRIEFING_CACHE_DIR`` or the platform user cache folder for briefing."""
    override = os.environ.get(CACHE_ENV)
    if override:
        return Path(override)
    from briefing.paths import user_cache_dir

    return user_cache_dir()


@functools.lru_cache(maxsize=1)
def text_digest(text: str) -> str:
    """The text's SHA-256 (kept for the last text: the readings and the symbols
    files of one index both check it)."""
    return sha256_hex(text.encode("utf-8", "surrogatepass"))


def cache_path(report_sha256: str, version: str | None = None) -> Path:
    """Where the readings of a report are cached (the name is safe for any sha string)."""
    key = sha256_hex(report_sha256.encode("utf-8", "surrogatepass"))[:40]
    return cache_dir() / f"readings-{key}-{version or engine_version()}.bin"


def encode_readings(text: str, readings: Readings) -> bytes:
    """The cache file's bytes for ``readings`` of ``text``."""
    positions = readings.positions
    if sys.byteorder != "little":  # pragma: no cover - big-endian machines
        positions = array(positions.typecode, positions)
        positions.byteswap()
    postings, ends = readings.postings, readings.ends
    if sys.byteorder != "little":  # pragma: no cover - big-endian machines
        postings, ends = array("I", postings), array("I", ends)
        postings.byteswap()
        ends.byteswap()
    payload = b"".join([positions, postings, ends, readings.breaks])
    header = readings.to_header()
    header.update(
        version=engine_version(),
        digest=text_digest(text),
        length=len(text),
        payload=len(payload),
        postings=len(readings.postings),
        breaks=len(readings.breaks),
        crc=zlib.crc32(payload),
    )
    head = json.dumps(header, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return MAGIC + _LENGTHS.pack(len(head), zlib.crc32(head)) + head + payload


def _checked_header(raw: bytes, magic: bytes, kind: str) -> tuple[Any, int, int]:
    """The JSON header of a cache file of ``kind`` (its magic, then the header's size
    and CRC-32), where the header starts and its size; ``ValueError`` if damaged."""
    start = len(magic) + _LENGTHS.size
    if len(raw) < start or not raw.startswith(magic):
        raise ValueError(f"not a {kind} cache file")
    size, crc = _LENGTHS.unpack_from(raw, len(magic))
    head = raw[start : start + size]
    if len(head) != size or zlib.crc32(head) != crc:
        raise ValueError("damaged header")
    return json.loads(head), start, size


def decode_readings(raw: bytes, text: str) -> Readings:
    """The readings in ``raw`` if they belong to ``text``; ``ValueError`` otherwise."""
    header, start, size = _checked_header(raw, MAGIC, "readings")
    if not isinstance(header, dict):
        raise ValueError("bad header")
    if header.get("version") != engine_version() or header.get("length") != len(text):
        raise ValueError("another version or text")
    payload = memoryview(raw)[start + size :]
    if header.get("payload") != len(payload) or header.get("crc") != zlib.crc32(payload):
        raise ValueError("truncated or damaged payload")
    if header.get("digest") != text_digest(text):
        raise ValueError("another text")
    typecode = header.get("typecode")
    counts = [header.get("postings"), header.get("breaks"), header.get("keys")]
    if typecode not in ("H", "I") or not all(isinstance(c, (int, list)) for c in counts):
        raise ValueError("bad header")
    arrays = [array(typecode), array("I"), array("I")]
    sizes = [len(text), header["postings"], len(header["keys"])]
    at = 0
    for values, size in zip(arrays, sizes, strict=True):
        if not isinstance(size, int) or size < 0:
            raise ValueError("bad header")
        end = at + size * values.itemsize
        values.frombytes(payload[at:end])
        if sys.byteorder != "little":  # pragma: no cover - big-endian machines
            values.byteswap()
        at = end
    if len(payload) - at != header["breaks"]:
        raise ValueError("bad payload size")
    positions, postings, ends = arrays
    readings = Readings.from_header(header, positions, postings, ends, bytes(payload[at:]))
    readings.validate(len(text))
    return readings


def load_readings(report_sha256: str, text: str) -> Readings | None:
    """The cached readings of ``text`` if a valid file exists; ``None`` otherwise."""
    try:
        raw = cache_path(report_sha256).read_bytes()
        return decode_readings(raw, text)
    except (OSError, ValueError, TypeError, RecursionError, struct.error):
        return None


def save_readings(report_sha256: str, text: str, readings: Readings) -> Path | None:
    """Write the cache file atomically; a read-only or full disk is not an error."""
    return _write_atomically(
        cache_path(report_sha256), encode_readings(text, readings), ".readings-"
    )


def _write_atomically(path: Path, data: bytes, prefix: str) -> Path | None:
    """``data`` to ``path`` through a temp file, fsync and ``os.replace``; None on failure."""
    import tempfile  # only here: with what it imports (random, shutil, bz2) ~10 ms of a load

    tmp_name = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=prefix, suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp_name, path)
        tmp_name = None
        return path
    except OSError:
        return None
    finally:
        if tmp_name is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp_name)


# --------------------------------------------------------------------------
# Symbol bitsets
#
# A search ANDs shifted bitsets of its letters (``PinyinIndex._symbol_bits``:
# where a reading starts with ``z``, ``zh`` ...). Building one from the postings
# is a Python loop over its places: ``xingzheng`` on an 8 MB report needs
# 880,000 of them, two thirds of a repeated search. So every symbol's bitset is
# saved beside the readings when they are computed (zlib level 1, a CRC-32 each)
# and a later process inflates only those its query asks for (~1 ms each).

SYMBOLS_MAGIC = b"BRFSYM\x00\x01\n"
#: The sources that decide which places a symbol's bitset holds.
_SYMBOL_SOURCES = ("index.py", "query.py", "readings.py", "words.py")


def _symbols_version() -> str:
    crc = zlib.crc32(engine_version().encode("utf-8"))
    folder = Path(__file__).resolve().parent
    try:
        for name in _SYMBOL_SOURCES:
            crc = zlib.crc32((folder / name).read_bytes(), crc)
    except OSError:  # pragma: no cover - sources missing (bytecode-only install)
        return ""
    return f"{crc:08x}"


def symbols_path(report_sha256: str) -> Path | None:
    """Where the symbol bitsets of a report are cached (None: no safe key)."""
    version = _symbols_version()
    if not version:  # pragma: no cover - bytecode-only install
        return None
    key = sha256_hex(report_sha256.encode("utf-8", "surrogatepass"))[:40]
    return cache_dir() / f"symbols-{key}-{version}.bin"


class SavedSymbolBits(Mapping[str, int]):
    """The saved bitsets of one text, each inflated and checked when first asked for.

    A damaged entry is missing (``get`` gives ``None``): the index builds that
    one from the postings, never reads it wrong.
    """

    def __init__(self, raw: bytes, start: int, entries: dict[str, tuple[int, int, int]], n: int):
        self._raw = memoryview(raw)
        self._start = start
        self._entries = entries
        self._n = n

    def __getitem__(self, sym: str) -> int:
        at, size, crc = self._entries[sym]
        packed = self._raw[self._start + at : self._start + at + size]
        if len(packed) != size or zlib.crc32(packed) != crc:
            raise KeyError(sym)
        try:
            data = zlib.decompress(packed)
        except zlib.error:
            raise KeyError(sym) from None
        if len(data) != (self._n >> 3) + 1:
            raise KeyError(sym)
        return int.from_bytes(data, "little") & ((1 << self._n) - 1)

    def __iter__(self) -> Iterator[str]:
        return iter(self._entries)

    def __len__(self) -> int:
        return len(self._entries)


def encode_symbol_bits(text: str, bits: Mapping[str, int]) -> bytes:
    """The symbols file's bytes for every symbol's bitset over ``text``."""
    width = (len(text) >> 3) + 1
    entries: list[list[object]] = []
    chunks: list[bytes] = []
    at = 0
    for sym in sorted(bits):
        packed = zlib.compress(bits[sym].to_bytes(width, "little"), 1)
        entries.append([sym, at, len(packed), zlib.crc32(packed)])
        chunks.append(packed)
        at += len(packed)
    header = {"digest": text_digest(text), "length": len(text), "entries": entries}
    head = json.dumps(header, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return SYMBOLS_MAGIC + _LENGTHS.pack(len(head), zlib.crc32(head)) + head + b"".join(chunks)


def decode_symbol_bits(raw: bytes, text: str) -> SavedSymbolBits:
    """The saved bitsets in ``raw`` if they belong to ``text``; ``ValueError`` otherwise."""
    header, start, size = _checked_header(raw, SYMBOLS_MAGIC, "symbols")
    if not isinstance(header, dict) or header.get("length") != len(text):
        raise ValueError("another text")
    if header.get("digest") != text_digest(text):
        raise ValueError("another text")
    entries: dict[str, tuple[int, int, int]] = {}
    for entry in header.get("entries", ()):
        sym, at, length, check = entry
        if not (isinstance(sym, str) and all(type(v) is int and v >= 0 for v in entry[1:])):
            raise ValueError("bad entry")
        entries[sym] = (at, length, check)
    return SavedSymbolBits(raw, start + size, entries, len(text))


def load_symbol_bits(report_sha256: str, text: str) -> SavedSymbolBits | None:
    """The saved symbol bitsets of ``text``, or ``None`` if there is no valid file."""
    try:
        path = symbols_path(report_sha256)
        return None if path is None else decode_symbol_bits(path.read_bytes(), text)
    except (OSError, ValueError, TypeError, RecursionError, struct.error):
        return None


def save_symbol_bits(report_sha256: str, text: str, bits: Mapping[str, int]) -> Path | None:
    """Write the symbols file atomically; a read-only or full disk is not an error."""
    path = symbols_path(report_sha256)
    if path is None:  # pragma: no cover - bytecode-only install
        return None
    return _write_atomically(path, encode_symbol_bits(text, bits), ".symbols-")
