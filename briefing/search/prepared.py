"""Look-up tables prepared from the reading data, kept on disk once per version.

Computing a new report's readings needs, once per process, pypinyin's phrase data
turned into look-up tables (``readings._Engine``: ~0.3 s to import pypinyin,
~0.25 s to prepare) and the word list's costs (``words``: ~0.2 s). That was most
of a first ``search`` of a new report in a fresh process (1.2 s CPU of 1.4). The
tables are the same every time for one version of the data, so they are saved
once, with ``marshal`` (the format of ``.pyc`` files, the fastest the standard
library loads), and later processes load them without importing pypinyin.

File: ``MAGIC``, the payload's length and CRC-32 (two little-endian ``uint32``),
then the payload. Its name holds a digest of the version key (data versions and
Python's), so another version never reads it. A file that does not check (short,
damaged, foreign, of the wrong shape) is ignored and written again; a read-only or
full disk only means the tables are prepared again next time.
"""

from __future__ import annotations

import marshal
import struct
import sys
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")

MAGIC = b"BRFTAB\x00\x02"
_LENGTHS = struct.Struct("<II")
_SEP = "\x00"
#: marshal's format may change between Python versions: it is part of the key.
_PYTHON = "py{}.{}".format(*sys.version_info[:2])


def tables_path(name: str, key: str) -> Path:
    """Where the tables ``name`` of version ``key`` are kept."""
    from briefing.search.cache import cache_dir
    from briefing.search.digest import sha256_hex

    digest = sha256_hex(f"{key}|{_PYTHON}".encode("utf-8", "surrogatepass"))[:24]
    return cache_dir() / "tables" / f"{name}-{digest}.bin"


def encode(value: object) -> bytes:
    """The file's bytes for ``value`` (only what ``marshal`` takes).

    A set among a tuple's items is not written as a set: since Python 3.11
    marshal sorts a set's items by their bytes to write it (0.4 s for the phrase
    tables' 200,000 strings, more than preparing them). A set of non-empty strings
    without NUL is written as one string joined on NUL (split and made a frozenset
    again on loading, the fastest way back), any other set as a tuple.
    """
    if type(value) is tuple:
        kinds = "".join(map(_kind, value))
        items = tuple(map(_packed, value, kinds))
        payload = marshal.dumps((kinds, items))
    else:
        payload = marshal.dumps(("", value))
    return MAGIC + _LENGTHS.pack(len(payload), zlib.crc32(payload)) + payload


def _kind(item: object) -> str:
    if not isinstance(item, (set, frozenset)):
        return "v"
    if item and all(type(x) is str and x and _SEP not in x for x in item):
        return "j"
    return "s"


def _packed(item: object, kind: str) -> object:
    if kind == "j":
        return _SEP.join(item)  # type: ignore[arg-type]
    return tuple(item) if kind == "s" else item  # type: ignore[call-overload]


def _unpacked(item: object, kind: str) -> object:
    if kind == "j":
        return frozenset(item.split(_SEP))  # type: ignore[union-attr]
    return frozenset(item) if kind == "s" else item  # type: ignore[call-overload]


def decode(data: bytes) -> object | None:
    """The value ``encode`` wrote, or None if ``data`` does not check."""
    head = len(MAGIC) + _LENGTHS.size
    if len(data) < head or not data.startswith(MAGIC):
        return None
    length, crc = _LENGTHS.unpack_from(data, len(MAGIC))
    payload = memoryview(data)[head:]
    if len(payload) != length or zlib.crc32(payload) != crc:
        return None
    try:
        kinds, value = marshal.loads(payload)
        if not kinds:
            return value
        if type(value) is not tuple or len(value) != len(kinds):
            return None
        return tuple(map(_unpacked, value, kinds))
    except (EOFError, ValueError, TypeError, AttributeError):  # a foreign payload
        return None


def load_or_build(
    name: str, key: str, build: Callable[[], T], valid: Callable[[object], bool]
) -> T:
    """The tables ``name`` of version ``key``: from disk if they are there and
    ``valid`` says their shape is right, else ``build()`` (then saved)."""
    path = tables_path(name, key)
    try:
        data = path.read_bytes()
    except (OSError, ValueError):
        data = b""
    if data:
        value = decode(data)
        if value is not None and valid(value):
            return value  # type: ignore[return-value]
    value = build()
    try:
        data = encode(value)
    except ValueError:  # pragma: no cover - a value marshal cannot take: not kept
        return value
    from briefing.search.cache import _write_atomically

    _write_atomically(path, data, f".{name}-")
    return value


def is_tuple_of(value: object, *types: type) -> bool:
    """``value`` is a tuple whose items are of ``types``, in order (a loaded file's shape)."""
    return (
        type(value) is tuple
        and len(value) == len(types)
        and all(isinstance(item, kind) for item, kind in zip(value, types, strict=True))
    )
