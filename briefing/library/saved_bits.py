"""Reading bitsets saved in the combined index file, compressed, for the queries typed.

A keystroke of a pinyin query needs, for each syllable it may stand for, the
bitset of the places that read so (``PinyinIndex._reading_bits``: context
readings, and other readings). On a thousand reports (21 M characters) building
one from its postings costs 10–300 ms in Python (``shi`` has 740k places), and a
one-letter query (``x``, ``z``) needs every syllable of the letter: ~0.4 s.

So the file keeps, zlib-compressed in pieces of ``PIECE`` raw bytes each (a
bitset is 2.6 MB raw; inflating one costs a few ms, in C, and turning it into an
integer as much again; a limited one-syllable search reads its first hits from
the first pieces only: ``pieces``):

* the bitset of every syllable (context readings, and other readings) whose
  places are at least ``n >> SAVED_FROM`` (fewer are cheaper to build than to
  inflate);
* the places of every Latin letter and digit in the text (finding them is a
  ``str.find`` loop over 21 M characters: 30 ms a letter);
* the places of every character of the folded text with at least ``n >> SAVED_FROM``
  of them (``法``, ``政``, ``，``): a query of hanzi needs its characters' bitsets,
  and building one from its positions cost 50–100 ms a common character;
* for every prefix ``P`` of a syllable, the bitset of the syllables that start
  with ``P`` but are not ``P`` (a "group", named ``P*``): what a query of ``P``
  ORs together for its hits at one score (``x`` → every x-syllable's first
  letter; ``hu`` → hua, huai, huan ... as partial syllables).

Each entry names the syllables it covers, so that a query uses a group only when
it wants exactly those (``groups_of``). An entry is a table of its pieces'
compressed sizes (``<I`` each), then the pieces; the entry's CRC-32 covers the
table, and each piece's own Adler-32 (zlib checks it when inflating) and size
cover the piece: a damaged bitset is built from the postings again, not read
wrong. (A CRC of the whole entry cost every read a pass over it, even of a
search that needs its first piece only.)
"""

from __future__ import annotations

import struct
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from briefing.search.index import PinyinIndex

#: Bitsets with at least ``n >> SAVED_FROM`` places are saved (20k of 21 M: from
#: there, inflating one with ISA-L costs less than setting its bits in Python).
SAVED_FROM = 10
LITERAL = "lit"
#: A character's places in the folded text (``PinyinIndex._char_bits``).
CHAR = "chr"
KINDS = ("ctx", "alt", LITERAL, CHAR)
GROUP = "*"
#: Raw bytes per compressed piece of a saved bitset (512K characters: a thousand
#: reports' bitsets have 40, and a limited one-syllable search needs the first).
PIECE = 1 << 16

Entry = list  # [kind, name, [syllables], start, length, crc]


def _count(index: PinyinIndex, kids: Iterable[int]) -> int:
    ends = index._readings.ends
    return sum(ends[k] - ends[k - 1] for k in kids if k > 0)


def compute(index: PinyinIndex) -> tuple[list[Entry], bytes]:
    """The entries and the compressed blob of every bitset worth saving in ``index``.

    Works one first letter at a time: its syllables' bitsets are built once and
    ORed into its groups, then dropped (all of them at once would take gigabytes).
    """
    threshold = max(1, index.size >> SAVED_FROM)
    width = (index.size >> 3) + 1
    entries: list[Entry] = []
    chunks: list[bytes] = []
    at = 0

    def save(kind: str, name: str, members: Sequence[str], bits: int) -> None:
        nonlocal at
        packed, crc = pack(bits.to_bytes(width, "little"))
        entries.append([kind, name, list(members), at, len(packed), crc])
        chunks.append(packed)
        at += len(packed)

    for kind in ("ctx", "alt"):
        keys = index._ctx_keys if kind == "ctx" else index._alt_keys
        by_letter: dict[str, list[str]] = {}
        for syl in sorted(keys):
            if keys[syl]:
                by_letter.setdefault(syl[0], []).append(syl)
        for syllables in by_letter.values():
            counts = {s: _count(index, keys[s]) for s in syllables}
            bits = {s: index._keys_bits(list(keys[s])) for s in syllables}
            for syl in syllables:
                if counts[syl] >= threshold:
                    save(kind, syl, [syl], bits[syl])
            prefixes = sorted({s[:k] for s in syllables for k in range(1, len(s) + 1)})
            seen: set[tuple[str, ...]] = set()
            for prefix in prefixes:
                members = [s for s in syllables if s.startswith(prefix) and s != prefix]
                if len(members) < 2 or sum(counts[s] for s in members) < threshold:
                    continue
                if tuple(members) in seen:  # s* and sh* when no other s-syllable is read
                    continue
                seen.add(tuple(members))
                mask = 0
                for syl in members:
                    mask |= bits[syl]
                save(kind, prefix + GROUP, members, mask)
            del bits
    for ch in sorted(index._lit_pos):  # Latin letters and digits: a str.find loop each
        save(LITERAL, ch, [], index._literal_bits(ch))
    for ch in frequent_chars(str(index._fold), threshold):
        save(CHAR, ch, [], index._built_char_bits(ch))
    return entries, b"".join(chunks)


def pack(raw: bytes) -> tuple[bytes, int]:
    """``raw`` as an entry: the table of its pieces' compressed sizes, then the pieces;
    and the CRC-32 of the table."""
    pieces = [zlib.compress(raw[at : at + PIECE], 1) for at in range(0, len(raw), PIECE)]
    table = struct.pack(f"<{len(pieces)}I", *map(len, pieces))
    return table + b"".join(pieces), zlib.crc32(table)


def frequent_chars(fold: str, threshold: int) -> list[str]:
    """The characters of ``fold`` with at least ``threshold`` places, in code point
    order (the separator between parts left out: never searched)."""
    counts = Counter(fold)
    return sorted(ch for ch, k in counts.items() if k >= threshold and ch != "\x00")


class SavedBits:
    """The saved bitsets of a loaded file: looked up by (kind, name); groups by the
    exact set of syllables they cover."""

    def __init__(self, entries: list[Entry], blob: memoryview | bytes, width: int) -> None:
        self._blob, self._width = blob, width
        self._count = -(-width // PIECE)
        self._pieces: dict[tuple[str, str], Pieces | None] = {}
        self._where: dict[tuple[str, str], tuple[int, int, int]] = {}
        self.groups: dict[tuple[str, frozenset[str]], str] = {}
        #: The syllables each group covers.
        self.members: dict[tuple[str, str], frozenset[str]] = {}
        for kind, name, members, start, length, crc in entries:
            kind, name = str(kind), str(name)
            start, length, crc = int(start), int(length), int(crc)
            if kind not in KINDS or start < 0 or length < 0 or start + length > len(blob):
                raise ValueError("saved bitsets do not fit")
            self._where[(kind, name)] = (start, length, crc)
            if name.endswith(GROUP):
                self.members[(kind, name)] = frozenset(str(m) for m in members)
                self.groups[(kind, self.members[(kind, name)])] = name

    def __len__(self) -> int:
        return len(self._where)

    def get(self, kind: str, name: str) -> int | None:
        """The bitset, or None if not saved (or damaged: then it is built again)."""
        pieces = self.pieces(kind, name)
        raw = None if pieces is None else pieces.whole()
        return None if raw is None else int.from_bytes(raw, "little")

    def pieces(self, kind: str, name: str) -> Pieces | None:
        """The bitset's pieces, each inflated when read; None if not saved, or if its
        table of pieces is damaged."""
        key = (kind, name)
        if key in self._pieces:
            return self._pieces[key]
        found = None
        where = self._where.get(key)
        if where is not None:
            start, length, crc = where
            size = 4 * self._count
            table = self._blob[start : start + size]
            if length >= size and zlib.crc32(table) == crc:
                sizes = struct.unpack(f"<{self._count}I", table)
                if size + sum(sizes) == length:
                    found = Pieces(self._blob, start + size, sizes, self._width)
        self._pieces[key] = found
        return found


class Pieces:
    """One saved bitset's pieces: piece ``i`` is its bytes ``[i * PIECE, (i + 1) * PIECE)``
    (little-endian: bits ``8 * PIECE`` times as far), inflated on demand."""

    __slots__ = ("_blob", "_starts", "_width", "count")

    def __init__(self, blob: memoryview | bytes, start: int, sizes: Sequence[int], width: int):
        self._blob, self._width = blob, width
        self._starts = [start]
        for size in sizes:
            self._starts.append(self._starts[-1] + size)
        self.count = len(sizes)

    def raw(self, i: int) -> bytes | None:
        """The bytes of piece ``i``, or None if it is damaged."""
        inflate, errors = _inflate()
        try:
            raw = inflate(self._blob[self._starts[i] : self._starts[i + 1]])
        except errors:
            return None
        return raw if len(raw) == min(PIECE, self._width - i * PIECE) else None

    def whole(self) -> bytes | None:
        """Every piece's bytes, joined; None if any is damaged."""
        out = []
        for i in range(self.count):
            raw = self.raw(i)
            if raw is None:
                return None
            out.append(raw)
        return b"".join(out)


_INFLATE: list = []


def _inflate() -> tuple[Callable[[bytes | memoryview], bytes], tuple[type[Exception], ...]]:
    """``zlib.decompress`` and the errors it raises, from ISA-L (``isal``, a dependency)
    when it is there: it inflates a 2.6 MB bitset in a third of the time (3 ms, not
    10), and a keystroke may inflate several. The data are zlib streams either way."""
    if not _INFLATE:
        try:
            from isal import isal_zlib
        except ImportError:  # pragma: no cover - a platform without its wheels
            _INFLATE.append((zlib.decompress, (zlib.error,)))
        else:
            _INFLATE.append((isal_zlib.decompress, (isal_zlib.error, zlib.error)))
    return _INFLATE[0]
