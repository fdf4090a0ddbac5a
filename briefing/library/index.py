"""The library's combined search index: every report in one file, one ``PinyinIndex``.

Loading a thousand per-report readings files and indexes one by one costs
seconds; this file holds, for the whole library at once, what
``PinyinIndex`` needs and would otherwise compute on opening:

* the text of every report's searchable parts (``search.searchable_parts``),
  joined by ``\\x00`` (so ``PinyinIndex`` sees one "report" whose sections are
  the parts of every report: the matcher and its ranking are reused as they are);
* the merged readings (``Readings``: tables, key id per character, postings,
  word breaks), merged from each report's cached readings (``search/cache.py``),
  so a report's readings are computed once, when it is added;
* the ``IndexState``: folded text, transparent spaces and every symbol's bitset.

Layout: ``MAGIC``, the header's length and CRC-32, the header (JSON: versions,
members, reading tables, the size of each payload block), then the payload
blocks in the order of ``_BLOCKS``. Texts are UTF-16 (UTF-32 when a
character lies beyond the BMP) so that decoding is a copy. The payload has no
checksum: hashing 250 MB would cost more than the whole search; the file is
only ever replaced atomically, and its header names exactly which library
state it was built from (entry ids and report hashes), so a stale or foreign
file is never used: it is rebuilt.
"""

from __future__ import annotations

import codecs
import heapq
import itertools
import json
import mmap
import struct
import sys
import zlib
from array import array
from bisect import bisect_right
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from briefing.library import saved_bits
from briefing.library.candidates import LibraryCandidates
from briefing.library.literal import limited_literal
from briefing.model import Metadata, Report
from briefing.search.index import (
    SEPARATOR,
    IndexState,
    PinyinIndex,
    _iter_spans,
    searchable_parts,
)
from briefing.search.readings import NO_READING, Readings, typecode_for

if TYPE_CHECKING:
    from collections.abc import Iterable

MAGIC = b"BRFLIB\x00\x02"
_LENGTHS = struct.Struct("<II")
_SURROGATES = (0xD800, 0xE000)
_ALIGN = 8
_BLOCKS = (
    "body",
    "fold",
    "positions",
    "postings",
    "ends",
    "breaks",
    "gaps",
    "gap_starts",
    "runs_text",
    "runs_at",
    "runs_ends",
    "part_lengths",
    "sure",
    "labels",
    "saved",
    "gap_bits",
    "label_starts",
    "levels",
)
#: 2: the spaced runs saved (``SpacedRuns``); 3: part lengths as a block, not
#: JSON (100k small lists were the largest part of opening the header).
#: 4: the sure word boundaries saved (``_sure_breaks``: 0.4 s of big-integer work
#: on a thousand reports, paid by the first query of every fresh process).
#: 5: each part's place name (``section_label``), for lists of hits.
#: 6: reading bitsets of syllables and of syllable groups (``saved_bits.py``):
#: built in Python at each keystroke, they made it 100–600 ms.
#: 7: each report's section ids one string (100k JSON strings were most of the
#: header: 20 ms of every fresh ``search --all``), the transparent spaces' bitset
#: (built from 70k positions in Python at every open) and where each report's
#: place names start (a hit's report only is read, not 100k names).
#: 8: the bitsets of common characters saved (``saved_bits.CHAR``): a query of
#: hanzi built each of its characters' from 100k positions, 50-100 ms a keystroke.
#: 9: each saved bitset in pieces compressed apart (``saved_bits.PIECE``): a limited
#: one-syllable search inflates the first pieces only, not 2.6 MB per syllable group.
#: 10: a title made from the file's name is no longer a searchable part.
#: 11: the one-character level masks saved as they are (``levels``), not in zlib
#: pieces: inflating them was 15-20 ms of a session's first one-syllable search.
_VERSION = 11


class Member:
    """One report inside the combined index: its entry and its parts, in order.

    A member read from a file keeps its parts' ids (from the header) and lengths
    (a slice of the memory-mapped block) and pairs them on first use: a thousand
    reports have 100k parts, and a search looks at those of its hits only (making
    them all cost a fresh ``search --all`` ~0.1 s before its first hit).
    """

    __slots__ = (
        "_id_list",
        "_ids",
        "_lengths",
        "_parts",
        "entry_id",
        "labels",
        "report_sha256",
        "size",
    )

    def __init__(
        self,
        entry_id: str,
        report_sha256: str,
        parts: Sequence[tuple[str, int]] = (),
        labels: tuple[str, ...] = (),
    ) -> None:
        self.entry_id = entry_id
        self.report_sha256 = report_sha256
        self._parts: tuple[tuple[str, int], ...] | None = tuple(parts)
        #: Each part's place name (``section_label``); empty for a member read from a file.
        self.labels = labels
        self._ids: list[str] = []
        self._id_list: list[str] | None = None
        self._lengths: Sequence[int] = ()
        #: Characters of the member's joined parts (``joined_text``).
        self.size = sum(n for _, n in self._parts) + len(self._parts) - 1 if self._parts else 0

    @classmethod
    def stored(cls, entry_id: str, report_sha256: str, ids: str, lengths: Sequence[int]) -> Member:
        """A member as the file holds it: its section ids one string (``ID_SEP``
        between them), paired with ``lengths`` (one per id) on first use."""
        member = cls(entry_id, report_sha256)
        member._parts = None
        member._ids, member._lengths = ids, lengths  # type: ignore[assignment]
        member.size = sum(lengths) + len(lengths) - 1 if lengths else 0
        return member

    @property
    def parts(self) -> tuple[tuple[str, int], ...]:
        """(section id, length) of each searchable part."""
        if self._parts is None:
            ids = self._ids.split(ID_SEP) if self._ids else []  # type: ignore[union-attr]
            self._parts = tuple(zip(ids, self._lengths, strict=True))
        return self._parts

    def part_count(self) -> int:
        return len(self._lengths) if self._parts is None else len(self._parts)

    def lengths(self) -> Sequence[int]:
        """Each part's length, in order (not paired with the ids: see ``part_id``)."""
        return self._lengths if self._parts is None else [n for _, n in self._parts]

    def part_id(self, k: int) -> str:
        """The section id of part ``k``."""
        if self._parts is not None:
            return self._parts[k][0]
        if self._id_list is None:
            self._id_list = self._ids.split(ID_SEP) if self._ids else []  # type: ignore[union-attr]
        return self._id_list[k]

    def __repr__(self) -> str:
        return f"Member({self.entry_id[:12]}, {self.part_count()} parts)"


#: Between a report's section ids in the header (an id never holds a line break).
ID_SEP = "\n"
_PLUS_ONE = (1).__add__


class Source(NamedTuple):
    """A report to index, with the catalogue's key for it. ``report_sha256`` is the
    catalogue's (what the library checks the file against), not ``report.sha256``:
    a new parser may give another hash, and the index must not look stale forever."""

    entry_id: str
    report_sha256: str
    report: Report
    readings: Readings


def member_key(members: Iterable[tuple[str, str]]) -> list[list[str]]:
    return [[entry_id, sha] for entry_id, sha in members]


class CombinedIndex:
    """The combined index loaded: a ``PinyinIndex`` and where each report lies in it."""

    def __init__(
        self,
        members: list[Member],
        index: PinyinIndex,
        labels: SavedText | None = None,
        label_starts: Sequence[int] | None = None,
    ) -> None:
        self.members = members
        self.index = index
        self._part_starts: dict[int, list[int]] = {}
        self._saved_labels = labels
        #: Where each member's place names start in ``labels`` (and where they end).
        self._label_starts = label_starts
        self._labels: list[str] | None = None
        self._first_part: list[int] = []
        self._part_index: dict[int, dict[str, int]] = {}
        self._member_labels: dict[int, list[str]] = {}

    def labels(self) -> list[str]:
        """Every part's place name (``section_label``), in order; read on first use."""
        if self._labels is None:
            if self._saved_labels is not None:
                self._labels = str(self._saved_labels).split("\n")
            else:
                self._labels = [label for m in self.members for label in m.labels]
        if not self._first_part:
            at = 0
            for m in self.members:
                self._first_part.append(at)
                at += m.part_count()
            if len(self._labels) != at:  # damaged: no place names rather than wrong ones
                self._labels = [""] * at
        return self._labels

    def label(self, member: int, section: str) -> str:
        """The place name of part ``section`` of member ``member`` ("" if unknown)."""
        where = self._part_index.get(member)
        if where is None:  # a dict per member, on first use: 200 hits a keystroke
            where = self._part_index[member] = {}
            for k, (sid, _) in enumerate(self.members[member].parts):
                where.setdefault(sid, k)
        k = where.get(section)
        return "" if k is None else self.labels_of(member)[k]

    def labels_of(self, member: int) -> list[str]:
        """The place names of member ``member``'s parts: only its own are read from the
        file (splitting all 100k cost the first hit of a fresh process ~20 ms)."""
        found = self._member_labels.get(member)
        if found is not None:
            return found
        count = self.members[member].part_count()
        starts, saved = self._label_starts, self._saved_labels
        if self._labels is None and starts is not None and saved is not None:
            found = saved[starts[member] : starts[member + 1] - 1].split("\n") if count else []
            if len(found) != count:  # damaged: no place names rather than wrong ones
                found = [""] * count
        else:
            labels = self.labels()
            first = self._first_part[member]
            found = labels[first : first + count]
        self._member_labels[member] = found
        return found

    def part_at(self, member: int, offset: int) -> tuple[str, int, str | SavedText]:
        """The part of member ``member`` (a section of ``virtual``) that holds ``offset``
        in its text: (section id, where the part starts, the part's text: from the file,
        a ``SavedText`` not yet decoded, since a snippet reads 40 characters of it).
        A hit never spans two parts: they are separated by ``SEPARATOR``."""
        return self.hit_part(member, offset)[1:]

    def hit_part(self, member: int, offset: int) -> tuple[int, str, int, str | SavedText]:
        """``part_at`` with the part's number in its member first (``labels_of``). Only
        where the member's parts start is made, in C: pairing each part's id with its
        length and a dict of ids per member cost each new report of a keystroke's
        hits ~0.1 ms (200 of them for ``fz``)."""
        starts = self._part_starts.get(member)
        m = self.members[member]
        if starts is None:
            starts = list(itertools.accumulate(map(_PLUS_ONE, m.lengths()), initial=0))
            self._part_starts[member] = starts
        k = bisect_right(starts, offset) - 1
        begin = starts[k]
        length = starts[k + 1] - begin - 1
        text = self.index.report.section(str(member)).text
        part = (
            text.part(begin, length)
            if isinstance(text, SavedText)
            else text[begin : begin + length]
        )
        return k, m.part_id(k), begin, part

    @property
    def virtual(self) -> VirtualReport:
        return self.index.report  # type: ignore[return-value]


Runs = list[tuple[str, "array | memoryview"]]


@dataclass(frozen=True)
class SpacedRuns:
    """Every run of hanzi that holds transparent spaces (``PinyinIndex._spaced_runs``),
    laid flat: the runs' folded texts end to end, the position of each of their
    characters, and where each run ends. Finding them walks every stretch of
    spaced text in Python (0.5 s on a thousand reports): the first hanzi query
    of a fresh process paid it, so the file keeps them."""

    text: str
    at: array | memoryview  # "I": position in the combined text of each character
    ends: array | memoryview  # "I": end of each run in ``text``

    @classmethod
    def of(cls, runs: Runs) -> SpacedRuns:
        at = array("I")
        ends = array("I")
        for _, where in runs:
            _extend(at, where if isinstance(where, (array, memoryview)) else array("I", where))
            ends.append(len(at))
        return cls("".join(text for text, _ in runs), at, ends)

    def runs(self) -> Runs:
        out: Runs = []
        begin = 0
        for end in self.ends:
            out.append((self.text[begin:end], self.at[begin:end]))
            begin = end
        return out

    def shifted(self, offset: int) -> Runs:
        """The runs with their positions moved by ``offset`` (a segment appended)."""
        return [(text, array("I", [p + offset for p in at])) for text, at in self.runs()]


@dataclass(frozen=True)
class SavedState(IndexState):
    """``IndexState`` as the file keeps it, with the transparent spaces' bitset."""

    gap_bits: int | None = None


class CombinedPinyinIndex(LibraryCandidates):
    """``PinyinIndex`` whose spaced runs come from the file (``SpacedRuns``), with the
    library's candidate filter (``candidates.py``)."""

    saved_runs: SpacedRuns | None = None

    def _init_gaps(self, state: IndexState | None = None) -> None:
        """``PinyinIndex._init_gaps``, the spaces' bitset taken from the file when it is
        saved (setting 70k bits in Python cost every open ~12 ms)."""
        bits = getattr(state, "gap_bits", None)
        if bits is None:
            super()._init_gaps(state)
            return
        empty = IndexState("", array("I"), 0, {})
        super()._init_gaps(empty)  # every attribute as the engine sets it, at no cost
        assert state is not None
        self._gaps = frozenset(state.gaps)
        self._gap_list = array("I")
        _extend(self._gap_list, state.gaps)  # a copy in C, not 70k ints one by one
        self._gap_bits = bits
        self._gap_starts = state.gap_starts if state.gaps else 0

    def sure_breaks(self) -> bytes:
        """The sure word boundaries (``_sure_breaks``), computed now if not saved."""
        with self._lock:
            return bytes(self._sure())

    def _find_literal(self, needle: str) -> Iterator[tuple[int, int]]:
        """``PinyinIndex._find_literal``, the spaced runs searched as the one flat text
        the file keeps (``_spaced_spans``)."""
        if self.saved_runs is None or not self._gaps or not needle:
            yield from super()._find_literal(needle)
            return
        yield from heapq.merge(_iter_spans(self._fold, needle), self._spaced_spans(needle))

    def _spaced_spans(self, needle: str) -> list[tuple[int, int]]:
        """The places of ``needle`` that step over a transparent space, in document
        order: the spaced runs searched as the one flat text the file keeps
        (``SpacedRuns``): one ``str.find`` loop, not one per run (a hanzi query
        looked through 38,000 runs on a thousand reports: 40-80 ms)."""
        size = len(needle)
        runs = self.saved_runs
        if not self._gaps or not needle:
            return []
        if runs is None:
            return [s for s in super()._find_literal(needle) if s[1] - s[0] > size]
        text, at, ends = runs.text, runs.at, runs.ends
        spaced: list[tuple[int, int]] = []
        found = text.find(needle)
        while found != -1:
            end = ends[bisect_right(ends, found)]  # the end of the run it starts in
            if found + size > end:  # it runs into the next run: none later in this one fits
                found = text.find(needle, end)
                continue
            span = (at[found], at[found + size - 1] + 1)
            if span[1] - span[0] > size:  # only those that step over a space
                spaced.append(span)
            found = text.find(needle, found + 1)
        return spaced

    def _literal(self, q: str, found: dict[tuple[int, int], int], limit: int | None) -> None:
        """``PinyinIndex._literal``; with a limit, a phrase that is rarely a whole word
        is taken from bitsets after its first places (``literal.py``)."""
        if limit is None or len(q) < 2:
            super()._literal(q, found, limit)
            return
        spaced = partial(self._spaced_spans, q)
        limited_literal(self, q, self._find_literal(q), spaced, found, limit)

    def _spaced_runs(self) -> Runs:  # type: ignore[override]
        if self._squeezed is None and self.saved_runs is not None:
            self._squeezed = self.saved_runs.runs()  # type: ignore[assignment]
        return super()._spaced_runs()  # type: ignore[return-value]


# ---------------------------------------------------------------------- building
class _Merger:
    """Global reading and key ids, each report's local ids mapped onto them."""

    def __init__(self) -> None:
        self.table: list[tuple[str, int]] = []
        self.keys: list[tuple[str, int]] = [("", NO_READING)]
        self._rids: dict[tuple[str, int], int] = {}
        self._kids: dict[tuple[str, int], int] = {}
        self.common: dict[str, list[int]] = {}
        self.chars: set[str] = set()

    def rid(self, pair: tuple[str, int]) -> int:
        rid = self._rids.get(pair)
        if rid is None:
            rid = self._rids[pair] = len(self.table)
            self.table.append(pair)
        return rid

    def kid(self, ch: str, rid: int) -> int:
        key = (ch, rid)
        kid = self._kids.get(key)
        if kid is None:
            if len(self.keys) == _SURROGATES[0]:  # key ids are code points
                self.keys.extend([("", NO_READING)] * (_SURROGATES[1] - _SURROGATES[0]))
            kid = self._kids[key] = len(self.keys)
            self.keys.append(key)
        return kid

    def key_text(self, readings: Readings) -> str:
        """The report's key ids as global ids, one character each."""
        rids = [self.rid(pair) for pair in readings.table]
        mapping: dict[int, int] = {}
        for local, (ch, rid) in enumerate(readings.keys):
            if local and ch:
                mapping[local] = self.kid(ch, rids[rid])
        for ch, ids in readings.common.items():
            merged = self.common.setdefault(ch, [])
            for rid in ids:
                if rids[rid] not in merged:
                    merged.append(rids[rid])
        self.chars.update(readings.chars)
        from briefing.search.readings import key_text

        return key_text(readings.positions).translate(mapping)


def _concat_bits(pieces: list[tuple[int, int]]) -> int:
    """``(bits, width)`` pieces laid end to end, low bits first (balanced: linear-ish)."""
    while len(pieces) > 1:
        paired = []
        for k in range(0, len(pieces) - 1, 2):
            (a, wa), (b, wb) = pieces[k], pieces[k + 1]
            paired.append((a | (b << wa), wa + wb))
        if len(pieces) % 2:
            paired.append(pieces[-1])
        pieces = paired
    return pieces[0][0] if pieces else 0


class Part(NamedTuple):
    """One searchable part of the virtual report: what ``searchable_parts`` and
    ``snippet`` read of a ``Section`` (a frozen dataclass costs ten times more to
    make, and opening the library makes one per part of every report)."""

    id: str
    text: str


class VirtualReport:
    """The combined "report" ``PinyinIndex`` searches: every member's parts as its
    sections (ids ``k:section``), no metadata. Only the ``Report`` interface that
    ``PinyinIndex`` and ``snippet`` use; the section lookup is built on first use."""

    metadata = Metadata()
    sha256 = "library"
    path = None
    warnings: tuple[str, ...] = ()

    def __init__(self, sections: list[Part]) -> None:
        self.sections = sections
        self._by_id: dict[str, Part] | None = None

    @property
    def title(self) -> str:
        return ""

    def _lookup(self) -> dict[str, Part]:
        if self._by_id is None:
            self._by_id = {s.id: s for s in self.sections}
        return self._by_id

    def section(self, section_id: str) -> Part:
        return self._lookup()[section_id]

    def has_section(self, section_id: str) -> bool:
        return section_id in self._lookup()


class SavedText:
    """A text in the memory-mapped file, decoded a slice at a time: only the hits and
    snippets shown are read. Decoding the whole body (42 MB) and cutting it into one
    string per report cost a fresh ``search --all`` ~0.1 s before its first hit.
    Offers what ``PinyinIndex`` and ``snippet`` use of a text: ``len`` and slices."""

    __slots__ = ("_codec", "_decode", "_length", "_raw", "_start", "_width")

    def __init__(self, raw: memoryview, codec: str, start: int = 0, length: int = -1) -> None:
        self._raw, self._codec = raw, codec
        self._width = 2 if codec == "utf-16-le" else 4
        #: The codec's C function: ``str(bytes, codec)`` looks the codec up and calls
        #: it through Python at each of a few hundred slices a keystroke.
        self._decode = codecs.utf_16_le_decode if self._width == 2 else codecs.utf_32_le_decode
        self._start = start
        self._length = len(raw) // self._width - start if length < 0 else length

    def __len__(self) -> int:
        return self._length

    def __getitem__(self, key: int | slice) -> str:
        # Snippets cut a few slices per hit: no ``indices`` (a third of the time).
        if type(key) is slice and (span := _plain_span(key, self._length)) is not None:
            start, stop = span
            w, base = self._width, self._start
            raw = self._raw[(base + start) * w : (base + stop) * w]
            return self._decode(raw, "surrogatepass", True)[0]
        if isinstance(key, slice):
            start, stop, step = key.indices(self._length)
            if step != 1:
                return str(self)[key]
            if stop <= start:
                return ""
            w, base = self._width, self._start
            raw = self._raw[(base + start) * w : (base + stop) * w]
            return self._decode(raw, "surrogatepass", True)[0]
        at = key + self._length if key < 0 else key
        if not 0 <= at < self._length:
            raise IndexError(key)
        return self[at : at + 1]

    def part(self, start: int, length: int) -> SavedText:
        """``self[start:start + length]`` as a ``SavedText`` (nothing decoded)."""
        return SavedText(self._raw, self._codec, self._start + start, length)

    def __str__(self) -> str:
        return self[0 : self._length]


class SavedFold:
    """The folded text in the memory-mapped file, used in place: a character is read
    from the block, ``find`` searches the file's bytes (an aligned match is a match of
    the text). Decoding all of it (42 MB for a thousand reports) cost every fresh
    ``search --all`` ~75 ms, though a pinyin query reads a few thousand characters.
    Offers what ``PinyinIndex`` uses of its folded text: ``len``, a character,
    a slice, ``find``, ``count``; ``str()`` decodes it whole."""

    __slots__ = (
        "_base",
        "_block",
        "_codec",
        "_decode",
        "_length",
        "_raw",
        "_text",
        "_units",
        "_width",
    )

    def __init__(self, raw: bytes | mmap.mmap, base: int, size: int, codec: str) -> None:
        self._raw, self._base, self._codec = raw, base, codec
        self._width = 2 if codec == "utf-16-le" else 4
        self._length = size // self._width
        self._text: str | None = None
        self._decode = codecs.utf_16_le_decode if self._width == 2 else codecs.utf_32_le_decode
        block = self._block = memoryview(raw)[base : base + self._length * self._width]
        #: Code units as integers: a character is one (no surrogate pairs in UTF-16
        #: here: a text beyond the BMP is stored as UTF-32).
        self._units = block.cast("H" if self._width == 2 else "I") if _NATIVE else None

    def __len__(self) -> int:
        return self._length

    def __getitem__(self, key: int | slice) -> str:
        if isinstance(key, int) and self._units is not None:
            return chr(self._units[key])
        if self._text is not None:
            return self._text[key]
        # The search's window key (``PinyinIndex._scan``: ``fold[g:g + n]``, a few
        # thousand a keystroke): no ``indices`` and the codec's C function, not
        # ``str(bytes, codec)`` (which looks the codec up): 7 -> 2 us each.
        if type(key) is slice and (span := _plain_span(key, self._length)) is not None:
            start, stop = span
            w = self._width
            return self._decode(self._block[start * w : stop * w], "surrogatepass", True)[0]
        if isinstance(key, slice):
            start, stop, step = key.indices(self._length)
            if step != 1:
                return str(self)[key]
            if stop <= start:
                return ""
            w = self._width
            return str(self._block[start * w : stop * w], self._codec, "surrogatepass")
        at = key + self._length if key < 0 else key
        if not 0 <= at < self._length:
            raise IndexError(key)
        return self[at : at + 1]

    def find(self, needle: str, start: int = 0, end: int | None = None) -> int:
        """``str.find``: the file's bytes searched for the needle's, in C."""
        if self._text is not None:
            return self._text.find(needle, start, end)
        n = self._length
        start = max(0, start + n if start < 0 else start)
        end = n if end is None else max(0, min(n, end + n if end < 0 else end))
        if not needle:
            return start if start <= end else -1
        w, base = self._width, self._base
        code = needle.encode(self._codec, "surrogatepass")
        low, high = base + start * w, base + end * w
        while True:
            at = self._raw.find(code, low, high)
            if at < 0:
                return -1
            if not (at - base) % w:  # a match that starts inside a character is none
                return (at - base) // w
            low = at + 1

    def count(self, needle: str) -> int:
        return str(self).count(needle)

    def __str__(self) -> str:
        if self._text is None:
            self._text = str(self._block, self._codec, "surrogatepass")
        return self._text


_NATIVE = sys.byteorder == "little"


def virtual_report(members: list[Member], body: str | SavedText) -> VirtualReport:
    """One report whose sections are the members, each its joined parts (id ``k``,
    the member's number; a member without parts has none). One section per report,
    not per part: opening a thousand reports made 100k of them; ``part_at`` maps
    a hit back to its part."""
    sections = []
    at = 0
    for k, member in enumerate(members):
        if member.part_count():
            size = member.size
            text = body.part(at, size) if isinstance(body, SavedText) else body[at : at + size]
            sections.append(Part(str(k), text))  # type: ignore[arg-type]
            at += size + 1
    return VirtualReport(sections)


def section_label(report: Report, section_id: str) -> str:
    """What a hit's place is called in a list of hits: the section's number and
    title on one line; "" for the title and the metadata header (the caller names
    them in the reader's language)."""
    if not report.has_section(section_id):
        return ""
    return " ".join(report.section(section_id).label.split())


def _segment(
    merger: _Merger, sources: list[Source]
) -> tuple[list[Member], list[str], list[str], list[tuple[int, int, int]]]:
    """Members, part texts, key texts (global ids) and word-break pieces of ``sources``."""
    members: list[Member] = []
    texts: list[str] = []
    keyed: list[str] = []
    breaks: list[tuple[int, int, int]] = []  # (word bits, inner-word bits, width)
    for entry_id, report_sha256, report, readings in sources:
        parts = searchable_parts(report)
        lengths = tuple((s, len(t)) for s, t in parts)
        labels = tuple(section_label(report, sid) for sid, _ in parts)
        members.append(Member(entry_id, report_sha256, lengths, labels))
        texts.extend(t for _, t in parts)
        keyed.append(merger.key_text(readings))
        length = len(readings.positions)
        size = (length >> 3) + 1
        mask = (1 << (length + 1)) - 1
        if len(readings.breaks) in (size, 2 * size):  # words, then words inside compounds
            bits = int.from_bytes(readings.breaks[:size], "little") & mask
            inner = int.from_bytes(readings.breaks[-size:], "little") & mask
        else:
            bits = inner = mask  # no word breaks known: no hit counts as split
        breaks.append((bits, inner, length + 1))
    return members, texts, keyed, breaks


def _positions(keyed: str, code: str) -> array:
    return array(code, keyed.encode("utf-16-le" if code == "H" else "utf-32-le"))


def _typecode(values: array | memoryview) -> str:
    return values.typecode if isinstance(values, array) else values.format


def _extend(target: array, values: array | memoryview) -> None:
    """Append ``values`` (an array, or a memory-mapped block of the same type) in C."""
    if isinstance(values, memoryview):
        target.frombytes(values.cast("B"))
    else:
        target.extend(values)


def build(sources: list[Source]) -> tuple[CombinedIndex, bytes]:
    """The combined index of ``(entry id, report, readings)`` and its file's bytes."""
    from briefing.search.readings import _invert

    merger = _Merger()
    members, texts, keyed, breaks = _segment(merger, sources)
    body = SEPARATOR.join(texts)
    code = typecode_for(len(merger.keys))
    positions = _positions("\x00".join(keyed), code)
    del keyed
    postings, ends = _invert(positions, len(merger.keys))
    n = len(body)
    width = (n >> 3) + 1
    outer = _concat_bits([(b, w) for b, _, w in breaks]) if breaks else 1
    inner = _concat_bits([(i, w) for _, i, w in breaks]) if breaks else 1
    readings = Readings(
        merger.table,
        merger.keys,
        positions,
        merger.common,
        "".join(sorted(merger.chars | ({SEPARATOR} if n else set()))),
        postings,
        ends,
        outer.to_bytes(width, "little") + inner.to_bytes(width, "little"),
    )
    virtual = virtual_report(members, body)
    index = CombinedPinyinIndex(virtual, readings, body)  # type: ignore[arg-type]
    state = index.state()
    runs = SpacedRuns.of(index._spaced_runs())
    sure = index.sure_breaks()
    saved = saved_bits.compute(index)
    index.saved_bits = saved_bits.SavedBits(saved[0], saved[1], (n >> 3) + 1)
    built = CombinedIndex(members, index)
    levels = _level_bytes(index)
    return built, encode(members, body, readings, state, runs, sure, built.labels(), saved, levels)


def append(old: CombinedIndex, sources: list[Source]) -> tuple[CombinedIndex, bytes] | None:
    """``old`` with ``sources`` added at its end, without merging the old reports again:
    existing key ids stay, so the old blocks are copied and only the new text is
    indexed (seconds become a fraction of one for a report added to a thousand).
    ``None`` when it cannot be done that way (the key ids outgrow their type)."""
    from briefing.search.readings import _invert

    index = old.index
    prior: Readings = index._readings
    merger = _Merger()
    merger.table = list(prior.table)
    merger.keys = list(prior.keys)
    merger._rids = {pair: rid for rid, pair in enumerate(merger.table)}
    merger._kids = {key: kid for kid, key in enumerate(merger.keys) if key[0]}
    merger.common = {ch: list(ids) for ch, ids in prior.common.items()}
    merger.chars = set(prior.chars)
    members, texts, keyed, breaks = _segment(merger, sources)
    code = typecode_for(len(merger.keys))
    if not sources or not old.members or code != _typecode(prior.positions):
        return None
    # The new part alone, as its own index: its folded text, spaces and bitsets.
    segment_text = SEPARATOR.join(texts)
    segment_keys = _positions("\x00".join(keyed), code)
    seg_postings, seg_ends = _invert(segment_keys, len(merger.keys))
    seg_outer = _concat_bits([(b, w) for b, _, w in breaks])
    seg_inner = _concat_bits([(i, w) for _, i, w in breaks])
    m = len(segment_text)
    seg_width = (m >> 3) + 1
    segment = Readings(
        merger.table,
        merger.keys,
        segment_keys,
        merger.common,
        "".join(sorted(set(segment_text))),
        seg_postings,
        seg_ends,
        seg_outer.to_bytes(seg_width, "little") + seg_inner.to_bytes(seg_width, "little"),
    )
    part_index = PinyinIndex(virtual_report(members, segment_text), segment, segment_text)  # type: ignore[arg-type]
    part = part_index.state()

    old_body = str(index._body)
    offset = len(old_body) + 1  # the new text starts after one more separator
    body = old_body + SEPARATOR + segment_text
    n = len(body)
    positions = array(code)
    _extend(positions, prior.positions)
    positions.append(0)
    positions.extend(segment_keys)
    shifted = array("I", [p + offset for p in seg_postings])
    postings = array("I")
    ends = array("I")
    old_ends, old_count = prior.ends, len(prior.ends)
    for kid in range(len(merger.keys)):
        if kid < old_count:
            _extend(postings, prior.postings[old_ends[kid - 1] if kid else 0 : old_ends[kid]])
        postings.extend(shifted[seg_ends[kid - 1] if kid else 0 : seg_ends[kid]])
        ends.append(len(postings))
    old_n = len(old_body)
    old_width = (old_n >> 3) + 1
    old_mask = (1 << (old_n + 1)) - 1
    old_outer = int.from_bytes(prior.breaks[:old_width], "little") & old_mask
    old_inner = int.from_bytes(prior.breaks[-old_width:], "little") & old_mask
    width = (n >> 3) + 1
    outer = old_outer | (seg_outer << offset)
    inner = old_inner | (seg_inner << offset)
    readings = Readings(
        merger.table,
        merger.keys,
        positions,
        merger.common,
        "".join(sorted(merger.chars | {SEPARATOR})),
        postings,
        ends,
        outer.to_bytes(width, "little") + inner.to_bytes(width, "little"),
    )
    before = index.state()
    gaps = array("I", before.gaps)
    gaps.extend(g + offset for g in part.gaps)
    symbols = {}
    for sym in set(before.symbol_bits) | set(part.symbol_bits):
        bits = before.symbol_bits.get(sym, 0) | (part.symbol_bits.get(sym, 0) << offset)
        symbols[sym] = bits
    state = IndexState(
        str(before.fold) + SEPARATOR + part.fold,
        gaps,
        before.gap_starts | (part.gap_starts << offset),
        symbols,
    )
    all_members = [*old.members, *members]
    combined = CombinedPinyinIndex(
        virtual_report(all_members, body),  # type: ignore[arg-type]
        readings,
        body,
        state=state,
    )
    runs = SpacedRuns.of(
        [
            *index._spaced_runs(),
            *SpacedRuns.of(part_index._spaced_runs()).shifted(offset),
        ]
    )
    combined.saved_runs = runs
    sure = combined.sure_breaks()
    saved = saved_bits.compute(combined)
    combined.saved_bits = saved_bits.SavedBits(saved[0], saved[1], width)
    labels = [*old.labels(), *(label for m in members for label in m.labels)]
    both = CombinedIndex(all_members, combined)
    both._labels = labels
    levels = _level_bytes(combined)
    return both, encode(all_members, body, readings, state, runs, sure, labels, saved, levels)


# ---------------------------------------------------------------------- the file
def _text_codec(text: str) -> str:
    return "utf-16-le" if not text or max(text) < "\U00010000" else "utf-32-le"


def _level_bytes(index: CombinedPinyinIndex) -> bytes:
    """The one-character level masks (word, then weak), ``width`` bytes each; empty
    for an index without word boundaries."""
    if not index._has_breaks:
        return b""
    width = (index.size >> 3) + 1
    word, weak = index._level_masks()
    return word.to_bytes(width, "little") + weak.to_bytes(width, "little")


def encode(
    members: list[Member],
    body: str,
    readings: Readings,
    state: IndexState,
    runs: SpacedRuns,
    sure: bytes,
    labels: list[str],
    saved: tuple[list[saved_bits.Entry], bytes],
    levels: bytes = b"",
) -> bytes:
    from briefing.search.index import _bits_from

    codec = _text_codec(body)
    big = sys.byteorder != "little"

    def raw(values: array) -> bytes:
        if big:  # pragma: no cover - big-endian machines
            values = array(values.typecode, values)
            values.byteswap()
        return values.tobytes()

    symbols = sorted(state.symbol_bits)
    n = len(body)
    width = (n >> 3) + 1
    blocks = {
        "body": body.encode(codec, "surrogatepass"),
        "fold": state.fold.encode(codec, "surrogatepass"),
        "positions": raw(readings.positions),
        "postings": raw(readings.postings),
        "ends": raw(readings.ends),
        "breaks": readings.breaks,
        "gaps": raw(array("I", state.gaps)),
        "gap_starts": state.gap_starts.to_bytes(width, "little"),
        "runs_text": runs.text.encode(codec, "surrogatepass"),
        "runs_at": raw(array("I", runs.at)),
        "runs_ends": raw(array("I", runs.ends)),
        "part_lengths": raw(array("I", [length for m in members for _, length in m.parts])),
        "labels": "\n".join(labels).encode(codec, "surrogatepass"),
        "sure": bytes(sure),
        "saved": saved[1],
        "gap_bits": _bits_from(state.gaps, n).to_bytes(width, "little"),
        "label_starts": raw(_label_starts(members, labels)),
        "levels": levels,
    }
    bit_blocks = [state.symbol_bits[s].to_bytes(width, "little") for s in symbols]
    header = readings.to_header()
    header.update(
        version=_VERSION,
        engine=_engine(),
        parser=_parser(),
        codec=codec,
        length=n,
        members=[
            [m.entry_id, m.report_sha256, ID_SEP.join(sid for sid, _ in m.parts)] for m in members
        ],
        blocks=[len(blocks[name]) for name in _BLOCKS],
        symbols=symbols,
        width=width,
        saved=saved[0],
    )
    head = json.dumps(header, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    # Every block starts on an 8-byte boundary, so that it can be used in place
    # from a memory map (``memoryview.cast``).
    head += b" " * (-(len(MAGIC) + _LENGTHS.size + len(head)) % _ALIGN)
    out = [MAGIC, _LENGTHS.pack(len(head), zlib.crc32(head)), head]
    for block in [*(blocks[name] for name in _BLOCKS), *bit_blocks]:
        out.append(block)
        out.append(b"\0" * (-len(block) % _ALIGN))
    return b"".join(out)


def _label_starts(members: list[Member], labels: list[str]) -> array:
    """Where each member's place names start in the labels block ("\n" between
    names), then where the last would start: member ``k``'s are ``[s[k], s[k+1] - 1)``."""
    starts = array("I")
    at = k = 0
    for m in members:
        starts.append(at)
        count = m.part_count()
        at += sum(len(label) + 1 for label in labels[k : k + count])
        k += count
    starts.append(at)
    return starts


def _engine() -> str:
    from briefing.search.readings import engine_version

    return engine_version()


def _parser() -> str:
    """The parser's version: the index holds parsed text, which a new parser may cut
    into other sections (the catalogue's hashes would not tell)."""
    from briefing.report_cache import code_version

    return code_version() or ""


class _SavedBits(Mapping[str, int]):
    """Symbol bitsets read from the file on first use (most queries need two or three)."""

    def __init__(self, view: memoryview, where: dict[str, int], width: int) -> None:
        self._view, self._where, self._width = view, where, width

    def __getitem__(self, sym: str) -> int:
        at = self._where[sym]
        return int.from_bytes(self._view[at : at + self._width], "little")

    def raw(self, sym: str) -> memoryview | None:
        """The bytes of ``sym``'s bitset in the file (little-endian), or None: a search
        that needs its first places reads those bytes only."""
        at = self._where.get(sym)
        return None if at is None else self._view[at : at + self._width]

    def __iter__(self) -> Iterator[str]:
        return iter(self._where)

    def __len__(self) -> int:
        return len(self._where)


def _loads(head: bytes) -> object:
    """The header's JSON (orjson, a dependency, reads it in a third of the time)."""
    try:
        import orjson
    except ImportError:  # pragma: no cover - orjson is a dependency
        return json.loads(head)
    return orjson.loads(head)


def _padded(size: int) -> int:
    return size + (-size % _ALIGN)


def decode(raw: bytes | mmap.mmap, expected: list[list[str]] | None = None) -> CombinedIndex:
    """The index in ``raw``; ``ValueError`` if damaged, of another version, or (with
    ``expected``, the ``member_key`` of the library now) built from other reports.

    The key ids, postings and bitsets are used in place (``memoryview.cast``) on
    a little-endian machine: a memory-mapped file is read only where a query looks.
    """
    start = len(MAGIC) + _LENGTHS.size
    if len(raw) < start or raw[: len(MAGIC)] != MAGIC:
        raise ValueError("not a library index")
    size, crc = _LENGTHS.unpack_from(raw, len(MAGIC))
    head = bytes(raw[start : start + size])
    if len(head) != size or zlib.crc32(head) != crc:
        raise ValueError("damaged header")
    try:
        header = _loads(head)
    except ValueError as error:
        raise ValueError(f"bad header: {error}") from None
    if not isinstance(header, dict) or header.get("version") != _VERSION:
        raise ValueError("another version")
    if header.get("engine") != _engine():
        raise ValueError("another reading engine")
    if header.get("parser") != _parser():
        raise ValueError("another parser")
    try:
        listed = header["members"]
        for e, s, sids in listed:
            if type(e) is not str or type(s) is not str or type(sids) is not str:
                raise TypeError("members")
        if expected is not None and [[e, s] for e, s, _ in listed] != expected:
            raise ValueError("built from other reports")
        n = int(header["length"])
        width = int(header["width"])
        sizes = [int(x) for x in header["blocks"]]
        symbols = [str(s) for s in header["symbols"]]
        codec = header["codec"]
        typecode = header["typecode"]
        saved_entries = list(header["saved"])
    except (KeyError, TypeError, ValueError) as error:
        if str(error) == "built from other reports":
            raise
        raise ValueError(f"bad header: {error}") from None
    if codec not in ("utf-16-le", "utf-32-le") or typecode not in ("H", "I"):
        raise ValueError("bad header")
    if len(sizes) != len(_BLOCKS) or width != (n >> 3) + 1 or min(sizes, default=0) < 0:
        raise ValueError("bad header")
    total = start + size + sum(map(_padded, sizes)) + _padded(width) * len(symbols)
    if len(raw) != total:
        raise ValueError("truncated")
    view = memoryview(raw)
    at = start + size
    blocks: dict[str, memoryview] = {}
    offsets: dict[str, int] = {}
    for name, length in zip(_BLOCKS, sizes, strict=True):
        blocks[name] = view[at : at + length]
        offsets[name] = at
        at += _padded(length)

    def arr(code: str, name: str) -> array | memoryview:
        block = blocks[name]
        if len(block) % array(code).itemsize:
            raise ValueError(f"bad {name} block")
        if sys.byteorder == "little":
            return block.cast(code)
        values = array(code)  # pragma: no cover - big-endian machines
        values.frombytes(block)  # pragma: no cover
        values.byteswap()  # pragma: no cover
        return values  # pragma: no cover

    body = SavedText(blocks["body"], codec)
    fold = SavedFold(raw, offsets["fold"], len(blocks["fold"]), codec)
    positions, postings, ends = arr(typecode, "positions"), arr("I", "postings"), arr("I", "ends")
    gaps = arr("I", "gaps")
    breaks = blocks["breaks"]
    runs = SpacedRuns(
        str(blocks["runs_text"], codec, "surrogatepass"), arr("I", "runs_at"), arr("I", "runs_ends")
    )
    if len(runs.at) != len(runs.text) or (len(runs.ends) and runs.ends[-1] != len(runs.at)):
        raise ValueError("spaced runs do not fit")
    if len(runs.at) and runs.at[-1] >= n:  # in document order: the last is the largest
        raise ValueError("spaced runs do not fit")
    fits = len(body) == n and len(fold) == n and len(positions) == n
    if not fits or len(breaks) not in (width, 2 * width):  # words, then words in compounds
        raise ValueError("sizes do not fit")
    where = {}
    for sym in symbols:
        where[sym] = at
        at += _padded(width)
    gap_starts = int.from_bytes(blocks["gap_starts"], "little")
    readings = Readings.from_header(header, positions, postings, ends, breaks)  # type: ignore[arg-type]
    if len(ends) != len(readings.keys) or (len(ends) and ends[-1] != len(postings)):
        raise ValueError("postings do not fit")
    if len(postings) > n or (len(gaps) and gaps[-1] >= n):
        raise ValueError("postings do not fit")
    lengths = arr("I", "part_lengths")
    counts = [sids.count(ID_SEP) + 1 if sids else 0 for _, _, sids in listed]
    if len(lengths) != sum(counts):
        raise ValueError("parts do not fit the text")
    members = []
    at = 0
    for (e, s, sids), count in zip(listed, counts, strict=True):
        members.append(Member.stored(e, s, sids, lengths[at : at + count]))
        at += count
    with_parts = [m.size for m in members if m.part_count()]
    if (sum(with_parts) + len(with_parts) - 1 if with_parts else 0) != n:
        raise ValueError("parts do not fit the text")
    if len(blocks["gap_bits"]) != width:
        raise ValueError("sizes do not fit")
    gap_bits = int.from_bytes(blocks["gap_bits"], "little")
    label_starts = arr("I", "label_starts")
    labels = SavedText(blocks["labels"], codec)
    if len(label_starts) != len(members) + 1 or label_starts[-1] != len(labels) + 1:
        raise ValueError("place names do not fit")
    state = SavedState(fold, gaps, gap_starts, _SavedBits(view, where, width), gap_bits)  # type: ignore[arg-type]
    index = CombinedPinyinIndex(
        virtual_report(members, body),  # type: ignore[arg-type]
        readings,
        body,
        state=state,
    )
    index.saved_runs = runs
    index.saved_symbols = state.symbol_bits  # type: ignore[assignment]
    if len(blocks["sure"]) != width:
        raise ValueError("sizes do not fit")
    index._sure_bits = blocks["sure"]  # type: ignore[assignment]
    index.saved_bits = saved_bits.SavedBits(saved_entries, blocks["saved"], width)
    levels = blocks["levels"]
    if len(levels) == 2 * width:
        index.saved_levels = (levels[:width], levels[width:])
    elif len(levels):
        raise ValueError("sizes do not fit")
    return CombinedIndex(members, index, labels, label_starts)


def load(path: Path, expected: list[list[str]] | None) -> CombinedIndex | None:
    """The index at ``path`` (memory-mapped) if it is whole and matches ``expected``."""
    try:
        with open(path, "rb") as handle:
            mapped = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
        return decode(mapped, expected)
    except (OSError, ValueError, TypeError, KeyError, IndexError, struct.error, RecursionError):
        return None


def _plain_span(key: slice, length: int) -> tuple[int, int] | None:
    """``key``'s ends, the stop clipped to ``length``, for a slice with no step and
    ends both given and not negative (the slices a search cuts); ``None`` for any
    other, which ``slice.indices`` handles. An empty span has ``stop == start``."""
    start, stop = key.start, key.stop
    if key.step is not None or start is None or stop is None or start < 0 or stop < 0:
        return None
    return start, max(start, min(stop, length))
