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
import json
import os
import struct
import sys
import zlib
from array import array
from pathlib import Path

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


def text_digest(text: str) -> str:
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


def decode_readings(raw: bytes, text: str) -> Readings:
    """The readings in ``raw`` if they belong to ``text``; ``ValueError`` otherwise."""
    start = len(MAGIC) + _LENGTHS.size
    if len(raw) < start or not raw.startswith(MAGIC):
        raise ValueError("not a readings cache file")
    size, crc = _LENGTHS.unpack_from(raw, len(MAGIC))
    head = raw[start : start + size]
    if len(head) != size or zlib.crc32(head) != crc:
        raise ValueError("damaged header")
    header = json.loads(head)
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
    import tempfile  # only here: with what it imports (random, shutil, bz2) ~10 ms of a load

    path = cache_path(report_sha256)
    data = encode_readings(text, readings)
    tmp_name = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=".readings-", suffix=".tmp", dir=path.parent)
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
