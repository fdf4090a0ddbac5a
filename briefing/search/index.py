"""PinyinIndex: a report's characters with their readings, searched by hanzi or pinyin.

Layout, chosen for speed in plain Python:

* all section texts joined by ``\\x00`` into one string (a match never crosses
  it), plus a folded copy (NFKC, lower case) for literal comparison;
* per position an id into a small table of reading tuples (characters with
  the same context reading share one tuple);
* per symbol (first letter of any reading, ASCII letters and digits) a bitset
  over positions, held in a Python ``int``: AND-ing shifted bitsets finds the
  few places where a query's first letters line up, in C;
* per syllable sorted position lists, so a one-character query is a lookup.

A candidate start is then checked character by character against every way the
query can be read (full syllable, initial, unfinished last syllable, literal),
so ambiguous splits (``xian`` = xian or xi'an) cost nothing extra.

Opening a large report is cheap: the readings arrive as one key id (character,
context reading) per position in an ``array`` (``readings.py``), reading sets
are built per key, and the positions of a syllable or the bitset of a symbol
are found the first time a query needs them (a regular expression over the key
ids) and kept. Bitsets made for a query live in a cache bounded in bytes.

For a reader that shows hits lazily (a one-letter query has hundreds of
thousands on a large report), two calls avoid building every ``Match``:

* ``index.count(query, fuzzy=False, start=0, stop=None)`` — how many hits
  ``search`` has in ``report.sections[start:stop]``;
* ``index.search_range(query, start, stop, fuzzy=False)`` — those hits, in
  document order.

Both keep the hits of the last few queries as arrays in document order, so
paging through one query costs a binary search per call.
"""

from __future__ import annotations

import heapq
import itertools
import re
import threading
import weakref
from array import array
from bisect import bisect_left, bisect_right
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

from briefing.model import FILE_NAME_TITLE, Match, Report
from briefing.search.query import (
    ALT,
    BOUNDARY,
    CROSS,
    FULL,
    FUZZY,
    FUZZY_FIRST_LETTERS,
    HANZI,
    INITIAL,
    LATIN,
    PARTIAL,
    SPLIT,
    SYLLABLE_ALIASES,
    TONE_DIGITS,
    WEAK,
    QueryPlan,
    constraint_paths,
    fold_char,
    full_paths,
    fuzzy_variants,
    initial_of,
    kind_of,
    normalize_query,
    plan_query,
    query_forms,
    score_of,
)
from briefing.search.ranked import RankedHits, rank_keys
from briefing.search.readings import Readings
from briefing.search.script import to_simplified
from briefing.search.words import one_char_levels, spaced_runs, transparent_gaps
from briefing.section_table import section_column

SEPARATOR = "\x00"
#: Bitsets kept between queries, in bytes (one bit per character each: a count
#: would let a large report hold hundreds of megabytes).
_BIT_CACHE_BYTES = 48 * 1024 * 1024
_DERIVED_CACHE_BYTES = 16 * 1024 * 1024
_BOUND_QUERY_MAX = 64
#: Starts this close before a transparent space skip the bitset filter (it checks
#: at most this many contiguous characters: ``plan_query`` max_steps + 1).
_GAP_WINDOW = 13
#: Queries whose hits ``count``/``search_range`` keep (the one shown, and a few typed).
_HITS_KEPT = 4
_BUILT_KEPT = 4096  # matches a DocumentHits keeps once built (what is on screen, many times over)
#: Longest normalised query matched as pinyin; longer ones only match literally.
MAX_PINYIN_QUERY = 2000

Entry = tuple[str, int, int]  # (syllable, tone, ALT/FUZZY flags)

_ZEROS = re.compile(rb"\x00*")
_BITS = [tuple(b for b in range(8) if v >> b & 1) for v in range(256)]
_INITIALS: dict[str, str] = {}


def _initial(syl: str) -> str:
    init = _INITIALS.get(syl)
    if init is None:
        init = _INITIALS[syl] = initial_of(syl)
    return init


_KINDS: dict[int, str] = {}


def _kind(flags: int) -> str:
    kind = _KINDS.get(flags)
    if kind is None:
        kind = _KINDS[flags] = kind_of(flags)
    return kind


def _new_match(section: str, start: int, end: int, text: str, kind: str, score: float) -> Match:
    """``Match(...)`` at half the cost: a frozen dataclass __init__ sets each field
    through ``object.__setattr__``; hits are built by the thousand while typing."""
    match = object.__new__(Match)
    match.__dict__.update(section=section, start=start, end=end, text=text, kind=kind, score=score)
    return match


def _or(a: int, b: int) -> int:
    """``a | b``, but ``a`` or ``b`` itself when the other is 0: ORing into 0 made a
    copy, and a library keeps its bitsets (2.6 MB each) in its caches: ``eq:hua``
    was a second copy of ``syl:hua``, itself one of ``ctx:hua`` (three where one
    does, each an operation and fresh memory: ~1 ms a copy on a thousand reports)."""
    if not a:
        return b
    if not b:
        return a
    return a | b


def _weak(method):
    """``method`` (bound) as a function that holds its object weakly (``_Lazy``'s
    loaders: no reference cycle through the index)."""
    ref = weakref.WeakMethod(method)

    def call(arg):
        return ref()(arg)

    return call


class _Lazy:
    """A read-only mapping over known keys whose values are computed on first use.

    Stands in for the dicts of positions and bitsets: building them all when a
    report opens was most of the cost of opening a large one, and a query only
    needs a few. Filled under the index's lock.
    """

    __slots__ = ("_compute", "_done", "_keys")

    def __init__(self, keys: dict, compute) -> None:
        self._keys = keys
        self._compute = compute
        self._done: dict = {}

    def get(self, key, default=None):
        value = self._done.get(key)
        if value is None:
            if key not in self._keys:
                return default
            arg = self._keys[key]
            value = self._done[key] = self._compute(key if arg is None else arg)
        return value

    def __contains__(self, key) -> bool:
        return key in self._keys

    def __iter__(self):
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._keys)


#: Characters whose tone changes with the next syllable (一 yi1 -> yi2 in 进一步,
#: 不 bu4 -> bu2 in 不要); pypinyin's phrase data bakes the changed tone in. Every
#: tone of the syllable here counts as an exact reading, so a query with the
#: dictionary tone (yi1) or the spoken one (yi2) is an exact hit.
SANDHI: dict[str, tuple[str, tuple[int, ...]]] = {"一": ("yi", (1, 2, 4)), "不": ("bu", (4, 2))}


def _with_sandhi(entries: list[Entry], syllable: str, tones: tuple[int, ...]) -> list[Entry]:
    """``entries`` (context reading first) with every tone of ``syllable`` exact."""
    out = [entries[0]]
    out.extend((syllable, tone, 0) for tone in tones if tone != entries[0][1])
    out.extend(e for e in entries[1:] if e[0] != syllable)
    return out


def tone_fits(typed: int, stored: int) -> bool:
    """Whether a tone digit typed matches a reading's tone. The light tone is where
    readers and data disagree most (知识 zhi1 shi5 or shi2, 东西 xi5 for xi1): a
    typed 5 (or 0) accepts any tone, and a stored 5 any typed one."""
    return typed == stored or typed in (0, 5) or stored == 5


def _mask_bytes(mask: int) -> int:
    return 32 + (mask.bit_length() >> 3)


def _keep(cache: OrderedDict, held: int, key: tuple, mask: int, budget: int) -> int:
    """Put ``mask`` in the LRU ``cache`` holding ``held`` bytes, drop the oldest masks
    beyond ``budget`` bytes (never the last one); returns the bytes now held."""
    old = cache.pop(key, None)
    if old is not None:
        held -= _mask_bytes(old)
    cache[key] = mask
    held += _mask_bytes(mask)
    while held > budget and len(cache) > 1:
        _, dropped = cache.popitem(last=False)
        held -= _mask_bytes(dropped)
    return held


def _folded(body: str, chars: str, folded_chars: str | None = None) -> str:
    """``body`` with every character folded (``fold_char``, then Traditional to
    Simplified: ``script.to_simplified``), in C.

    ``chars`` holds every distinct character of ``body``. A few characters change
    in a report (full-width punctuation, capitals): one ``str.replace`` each; many,
    one ``str.translate`` with a complete table (a partial one raises per miss).
    """
    # fold_char keeps one character for one, so one translate folds them all.
    if folded_chars is None:
        folded_chars = "".join([fold_char(ch) for ch in chars])
    folded = to_simplified(folded_chars)
    folds = dict(zip(chars, folded, strict=True))
    changed = {ch: f for ch, f in folds.items() if f != ch}
    if not changed:
        return body
    if len(changed) <= 64 and not any(f in changed for f in changed.values()):
        for ch, f in changed.items():
            body = body.replace(ch, f)
        return body
    return body.translate({ord(ch): f for ch, f in folds.items()})


#: Pseudo-section ids of hits in the report's title and in its metadata header.
TITLE_ID = "title"
META_ID = "meta"
FIELD_IDS = (TITLE_ID, META_ID)


def meta_text(report: Report) -> str:
    """The metadata header as searched: one ``label:value`` line per field, but for
    fields that only repeat the title (信息名称, 内容概述), which is searched as such."""
    title = report.metadata.title.strip()
    return "\n".join(
        f"{label}:{value}"
        for label, value in report.metadata.fields
        if not (title and value.strip() == title)
    )


def searchable_parts(report: Report) -> list[tuple[str, str]]:
    """(id, text) of everything search covers, in reading order: the title (id
    ``"title"``), the metadata header (``"meta"``, see ``meta_text``), then every
    section. Empty title or header are left out, and so is a title made from
    the file's name: it is not the report's text, and ``fazhi`` typed for 法治
    ranked ``chongqing-tongliang-2022-fazhi`` above every 法治 of the reports."""
    metadata = report.metadata
    title = "" if metadata.title_source == FILE_NAME_TITLE else metadata.title
    parts = [(TITLE_ID, title), (META_ID, meta_text(report))]
    out = [(sid, text) for sid, text in parts if text]
    sections = report.sections
    # Columns when the sections are a cache's ``SectionTable``: no section is made.
    out.extend(zip(section_column(sections, "id"), section_column(sections, "text"), strict=True))
    return out


def source_text(report: Report, section_id: str) -> str:
    """The text a hit's offsets index: ``match.text == source_text(report,
    match.section)[match.start:match.end]`` for section, title and metadata hits."""
    if section_id == TITLE_ID and not report.has_section(TITLE_ID):
        return report.metadata.title
    if section_id == META_ID and not report.has_section(META_ID):
        return meta_text(report)
    return report.section(section_id).text


def joined_text(report: Report) -> str:
    """The text the index covers: ``searchable_parts`` in order, separated by ``\\x00``."""
    return SEPARATOR.join(text for _, text in searchable_parts(report))


def _bits_from(positions: Iterable[int], size: int, count: int = 0) -> int:
    """The bitset of ``positions`` (each below ``size``). Given more than ``size / 32``
    of them (``count``), one byte per position is set and the bytes become bits in C:
    a third of the cost of setting bits one by one, for a letter's bitset on a
    large report."""
    if count > size >> 5:
        flags = bytearray(size)
        for p in positions:
            flags[p] = 1
        return int(flags.translate(_ZERO_ONE)[::-1], 2)
    buf = bytearray((size >> 3) + 1)
    for p in positions:
        buf[p >> 3] |= 1 << (p & 7)
    return int.from_bytes(buf, "little")


# Level byte -> ASCII binary digit, per level: ``int(..., 2)`` turns a byte per
# character into a bitset in linear time.
_LEVEL_DIGIT = {
    1: bytes.maketrans(b"\x00\x01\x02", b"010"),
    2: bytes.maketrans(b"\x00\x01\x02", b"001"),
}


def _positions_of(bits: int) -> Iterator[int]:
    """Set bit numbers of ``bits`` in increasing order, lazily (bytes scanned in C).

    Runs of zero bytes are skipped by matching ``\x00*`` (a tight loop in C), not
    by searching for ``[^\x00]``, which tests a character class at every byte:
    a sparse bitset of the library's 21 M characters took 20 ms to list, 9 now."""
    if not bits:
        return
    size = (bits.bit_length() + 7) >> 3
    first = 0
    if size > 4 * _FIRST_BYTES:
        # The low bytes first, cut in time of their size (an AND with a small
        # positive int): a limited search often stops there, before the copy of
        # the whole (2.6 MB on a thousand reports).
        yield from _byte_positions((bits & _FIRST_MASK).to_bytes(_FIRST_BYTES, "little"), 0)
        first = _FIRST_BYTES
    yield from _byte_positions(bits.to_bytes(size, "little"), first)


#: Bytes of a large bitset that ``_positions_of`` lists before copying the rest.
_FIRST_BYTES = 1 << 15
_FIRST_MASK = (1 << (_FIRST_BYTES << 3)) - 1


def _byte_positions(data: bytes, start: int) -> Iterator[int]:
    """Set bit numbers of ``data`` (little-endian) from byte ``start`` on."""
    table = _BITS
    skip = _ZEROS.match
    size = len(data)
    at = skip(data, start).end()
    while at < size:
        base = at << 3
        for b in table[data[at]]:
            yield base + b
        at = skip(data, at + 1).end()


@dataclass(frozen=True)
class IndexState:
    """What opening an index computes over the whole text (linear, but in Python):
    the folded text, the transparent spaces, the starts next to them and every
    symbol's bitset. Saved with a very large index (the library's combined one,
    20 M characters) so that it opens without computing them again."""

    fold: str
    gaps: array  # "I": positions of transparent spaces (``words.transparent_gaps``)
    gap_starts: int  # bitset: starts that straddle a transparent space
    #: Every symbol's bitset (``_symbol_bits``); read on first use, so a mapping
    #: over a memory-mapped file costs nothing for the symbols never searched.
    symbol_bits: Mapping[str, int]


def literal_flags(q: str) -> int:
    """The flags of a hit of ``q`` typed as it stands (hanzi, digits, signs)."""
    flags = HANZI if not q.isascii() else LATIN
    if not all(ch.isalnum() for ch in q):
        flags |= CROSS
    return flags


class PinyinIndex:
    """Search one report by hanzi, pinyin, initials, or a mix; see DESIGN §4."""

    def __init__(
        self,
        report: Report,
        readings: Readings,
        text: str | None = None,
        *,
        state: IndexState | None = None,
        symbol_bits: Mapping[str, int] | None = None,
    ) -> None:
        body = joined_text(report) if text is None else text
        if len(readings.positions) != len(body):
            raise ValueError("readings do not belong to this report")
        if state is not None and len(state.fold) != len(body):
            raise ValueError("saved state does not belong to this text")
        self.report = report
        self._body = body
        self._n = len(body)
        #: Each distinct character folded (``fold_char``): for the text and the literals.
        folded_chars = "".join([fold_char(ch) for ch in readings.chars])
        self._fold = _folded(body, readings.chars, folded_chars) if state is None else state.fold
        self._starts: list[int] = []
        self._ids: list[str] = []
        offset = 0
        parts = searchable_parts(report)
        for sid, part in parts:
            self._starts.append(offset)
            self._ids.append(sid)
            offset += len(part) + 1
        if offset - 1 != len(body) and parts:
            raise ValueError("text does not belong to this report")
        self._order = {sid: k for k, sid in enumerate(self._ids)}
        #: Where the first real section starts: hits before it are title/metadata hits.
        n_fields = self._n_fields = len(parts) - len(report.sections)
        self._body_start = self._starts[n_fields] if n_fields < len(parts) else len(body) + 1
        self._texts = [part for _, part in parts]

        # One reading set per key (character, context reading): nothing here is per
        # character of the text, which only holds key ids (``readings.positions``).
        table = readings.table
        common = readings.common
        sets: list[tuple[Entry, ...]] = []
        for ch, ctx in readings.keys:
            entries: list[Entry] = []
            if ch:
                for rid in [ctx, *common.get(ch, ())]:
                    flag = 0 if rid == ctx else ALT
                    syl, tone = table[rid]
                    if rid != ctx and (syl, tone) == table[ctx]:
                        continue
                    for spelling in (syl, *SYLLABLE_ALIASES.get(syl, ())):
                        entry = (spelling, tone, flag)
                        if entry not in entries and (spelling, tone, 0) not in entries:
                            entries.append(entry)
                if ch in SANDHI and entries and entries[0][0] == SANDHI[ch][0]:
                    entries = _with_sandhi(entries, *SANDHI[ch])
            sets.append(tuple(entries))
        self._sets = sets
        self._fuzzy_sets: list[tuple[Entry, ...]] | None = None

        # Which keys each syllable and symbol stands for; their positions are found
        # on first use (a regular expression over the key ids, in C) and kept.
        ctx_keys: dict[str, list[int]] = {}
        alt_keys: dict[str, list[int]] = {}
        sym_keys: dict[str, list[int]] = {}
        for kid, entries in enumerate(sets):
            if not entries:
                continue
            ctx_syl = entries[0][0]
            ctx_keys.setdefault(ctx_syl, []).append(kid)
            for syl in {e[0] for e in entries[1:] if e[0] != ctx_syl}:
                alt_keys.setdefault(syl, []).append(kid)
            symbols = {e[0][0] for e in entries}
            symbols.update(e[0][:2] for e in entries if e[0][:2] in ("zh", "ch", "sh"))
            for sym in symbols:
                sym_keys.setdefault(sym, []).append(kid)
        literals = frozenset(f for f in set(folded_chars) if f.isascii() and f.isalnum())
        self._readings = readings
        self._rid = readings.positions
        self._sym_keys = sym_keys
        self._ctx_keys, self._alt_keys = ctx_keys, alt_keys
        # The loaders hold the index weakly: a dropped index is then freed when its
        # last reference goes, not by a full collection in some later keystroke
        # (a library's is 450 MB: ~20 ms to free, at a random moment).
        self._ctx_pos = _Lazy(ctx_keys, _weak(self._key_positions))
        self._alt_pos = _Lazy(alt_keys, _weak(self._key_positions))
        self._lit_pos = _Lazy(dict.fromkeys(literals), _weak(self._literal_positions))
        # Saved bitsets (``state``, or the symbols cache: ``symbol_bits``) are read
        # when first used; one that is missing or damaged is built.
        saved_bits = state.symbol_bits if state is not None else symbol_bits
        bits_of = _weak(self._symbol_bits)
        if saved_bits is not None:
            saved, own = saved_bits, bits_of

            def bits_of(sym: str) -> int:
                bits = saved.get(sym)
                return own(sym) if bits is None else bits

        self._bits = _Lazy(dict.fromkeys(set(sym_keys) | literals), bits_of)
        self._lit_bits: dict[str, int] = {}
        self._latin = frozenset(ch for ch in literals if "a" <= ch <= "z")
        syllables = set(ctx_keys) | set(alt_keys)
        self._syllables = frozenset(syllables)
        self._prefixes = frozenset(s[:k] for s in syllables for k in range(1, len(s) + 1))
        self._by_prefix: dict[str, tuple[str, ...]] = {}  # ``_syllables_from``
        self._fuzzy_sources: dict[str, set[str]] | None = None
        self._bit_cache: OrderedDict[tuple[str, str, bool], int] = OrderedDict()
        self._bit_cache_bytes = 0
        #: Masks derived from cached ones in a few big-int operations (shifts, word
        #: edges): kept apart, so that they never push out a bitset that took a pass
        #: over positions to build.
        self._derived: OrderedDict[tuple[str, str, bool], int] = OrderedDict()
        self._derived_bytes = 0
        self._hits_cache: dict[tuple[str, bool], tuple[array, array, array, int]] = {}
        self._lock = threading.Lock()
        self._fuzzy_syllables: frozenset[str] = frozenset()
        self._fuzzy_prefixes: frozenset[str] = frozenset()
        self._init_gaps(state)
        #: Word boundaries, one bit per position (``words.word_breaks``); all ones
        #: when the readings carry none, so that no hit counts as split.
        size = (self._n >> 3) + 1
        breaks = readings.breaks
        self._has_breaks = len(breaks) in (size, 2 * size)
        self._breaks = breaks[:size] if self._has_breaks else b"\xff" * size
        #: The boundaries of ``_breaks`` and those of words inside compounds (the same
        #: when the readings carry only the first bitmap, as the library's merged ones).
        self._inner = breaks[size:] if len(breaks) == 2 * size else self._breaks
        self._sure_bits: bytes | None = None
        self._levels: bytes | None = None
        self._level_bits: tuple[int, int] | None = None
        self._whole: int | None = None
        self._keys_by_char: dict[str, list[int]] | None = None

    def _sure(self) -> bytes:
        """``_sure_breaks`` of this text, computed on first use (lock held)."""
        if self._sure_bits is None:
            # Without word boundaries every position is a sure one (nothing ranks lower).
            has = self._has_breaks
            self._sure_bits = _sure_breaks(self._breaks, self._rid) if has else self._breaks
        return self._sure_bits

    def _char_levels(self) -> bytes:
        """``words.one_char_levels`` of this text (a byte per character), on first use."""
        if self._levels is None:
            self._levels = one_char_levels(self._breaks, self._inner, self._sure())
        return self._levels

    def _level_masks(self) -> tuple[int, int]:
        """Bitsets of the characters at level 2 (a sure word by itself) and level 1
        (a weak one) of ``_char_levels``: a limited one-syllable search splits its
        bitsets with them instead of looking at each place."""
        if self._level_bits is None:
            levels = self._char_levels()
            if not levels:
                self._level_bits = (0, 0)
            else:
                self._level_bits = (
                    int(levels.translate(_LEVEL_DIGIT[2])[::-1], 2),
                    int(levels.translate(_LEVEL_DIGIT[1])[::-1], 2),
                )
        return self._level_bits

    def _init_gaps(self, state: IndexState | None = None) -> None:
        """Transparent spaces (``words.transparent_gaps``) and the starts whose first
        characters straddle one: the bitset filter assumes contiguous characters,
        so those starts are only checked against the query's first two steps."""
        gaps = transparent_gaps(self._body, self._readings.chars) if state is None else state.gaps
        self._gaps = frozenset(gaps)
        self._gap_list = array("I", gaps)
        self._squeezed: list[tuple[str, list[int]]] | None = None
        self._gap_starts = 0
        self._gap_bits = _bits_from(gaps, self._n) if gaps else 0
        if not gaps:
            return
        if state is not None:
            self._gap_starts = state.gap_starts
            return
        starts: set[int] = set()
        window = _GAP_WINDOW
        for x in gaps:
            starts.update(range(max(0, x - window), x))
        self._gap_starts = _bits_from(sorted(starts - self._gaps), self._n)

    def _spaced_runs(self) -> list[tuple[str, list[int]]]:
        """Each run of hanzi that holds transparent spaces, folded and without them,
        with the position of each of its characters (a few short strings)."""
        if self._squeezed is None:
            fold, gaps = self._fold, self._gaps
            runs: list[tuple[str, list[int]]] = []
            for start, end in spaced_runs(self._body, sorted(self._gaps)):
                keep = [p for p in range(start, end) if p not in gaps]
                runs.append(("".join([fold[p] for p in keep]), keep))
            self._squeezed = runs
        return self._squeezed

    def _find_literal(self, needle: str) -> Iterator[tuple[int, int]]:
        """(start, end) of every occurrence of ``needle`` in the folded text, stepping
        over transparent spaces; in document order."""
        size = len(needle)
        plain = _iter_spans(self._fold, needle)
        if not self._gaps:
            yield from plain
            return
        spaced: list[tuple[int, int]] = []
        last = size - 1
        for text, where in self._spaced_runs():
            for at in _find_all(text, needle):
                span = (where[at], where[at + last] + 1)
                if span[1] - span[0] > size:  # only those that step over a space
                    spaced.append(span)
        yield from heapq.merge(plain, spaced)

    # ------------------------------------------------------------------ lazy layout
    def _key_positions(self, kids: list[int]) -> array:
        """Sorted positions whose key is one of ``kids`` (slices of the postings)."""
        postings_of = self._readings.postings_of
        if len(kids) == 1:
            return postings_of(kids[0])
        merged = array("I")
        for kid in kids:
            merged.extend(postings_of(kid))
        return array("I", sorted(merged))

    def _literal_positions(self, ch: str) -> array:
        return array("I", _find_all(self._fold, ch))

    def _symbol_bits(self, sym: str) -> int:
        """Positions where a reading starts with ``sym``, or the folded text has it."""
        kids = self._sym_keys.get(sym)
        bits = self._keys_bits(kids) if kids else 0
        literal = self._lit_pos.get(sym)
        if literal:
            bits |= _bits_from(literal, self._n, len(literal))
        return bits

    def _keys_bits(self, kids: list[int]) -> int:
        """Bitset of the positions of keys ``kids`` (any order will do: no merge)."""
        ends = self._readings.ends
        count = sum(ends[k] - ends[k - 1] for k in kids if k > 0)
        postings_of = self._readings.postings_of
        return _bits_from(itertools.chain.from_iterable(map(postings_of, kids)), self._n, count)

    def _remember_bits(
        self, key: tuple[str, str, bool], mask: int, *, derived: bool = False
    ) -> None:
        """Keep ``mask`` in the bitset cache, which holds at most ``_BIT_CACHE_BYTES``
        (``derived``: in the cache of derived masks, ``_DERIVED_CACHE_BYTES``)."""
        if derived:
            held = _keep(self._derived, self._derived_bytes, key, mask, _DERIVED_CACHE_BYTES)
            self._derived_bytes = held
        else:
            held = _keep(self._bit_cache, self._bit_cache_bytes, key, mask, _BIT_CACHE_BYTES)
            self._bit_cache_bytes = held

    def _derived_bits(self, key: tuple[str, str, bool]) -> int | None:
        mask = self._derived.get(key)
        if mask is not None:
            self._derived.move_to_end(key)
        return mask

    def state(self) -> IndexState:
        """Everything ``IndexState`` holds, every symbol's bitset computed now."""
        with self._lock:
            bits = {sym: self._bits.get(sym, 0) for sym in self._bits}
        return IndexState(self._fold, self._gap_list, self._gap_starts, bits)

    # ------------------------------------------------------------------ building
    @classmethod
    def build(cls, report: Report) -> PinyinIndex:
        """Compute readings with pypinyin (imported now) and index them; no cache."""
        from briefing.search.readings import compute_readings

        text = joined_text(report)
        return cls(report, compute_readings(text), text)

    def reading_at(self, section_id: str, offset: int) -> tuple[str, int] | None:
        """The context reading (syllable, tone) of one character; ``None`` for non-hanzi.

        ``KeyError``/``IndexError`` for a section or offset that does not exist.
        """
        k = self._order[section_id]
        text = self._texts[k]
        if not 0 <= offset < len(text):
            raise IndexError(offset)
        entries = self._sets[self._rid[self._starts[k] + offset]]
        if not entries:
            return None
        syl, tone, _ = entries[0]
        return syl, tone

    @property
    def size(self) -> int:
        """Number of indexed characters (section separators included)."""
        return self._n

    def _ensure_fuzzy(self) -> None:
        if self._fuzzy_sets is not None:
            return
        fuzzy_sets: list[tuple[Entry, ...]] = []
        for entries in self._sets:
            out = list(entries)
            have = {e[0] for e in entries}
            for syl, tone, flag in entries:
                for variant in sorted(fuzzy_variants(syl)):
                    if variant not in have:
                        have.add(variant)
                        out.append((variant, tone, flag | FUZZY))
            fuzzy_sets.append(tuple(out))
        sources: dict[str, set[str]] = {}
        for syl in self._syllables:
            for variant in fuzzy_variants(syl):
                sources.setdefault(variant, set()).add(syl)
        every = self._syllables | set(sources)
        self._fuzzy_sources = sources
        self._fuzzy_syllables = frozenset(every)
        self._fuzzy_prefixes = frozenset(s[:k] for s in every for k in range(1, len(s) + 1))
        self._fuzzy_sets = fuzzy_sets

    # ------------------------------------------------------------------ search
    def search(
        self, query: str, *, fuzzy: bool = False, limit: int | None = None, fields: bool = True
    ) -> RankedHits:
        """Hits for ``query``, best first (ties in document order), as a sequence that
        builds each ``Match`` when it is read (``ranked.RankedHits``; a slice is a list).

        ``limit`` caps the number of hits (``None``: all; 0 or less: none).
        Hits in the title and the metadata header name the pseudo-sections
        ``"title"`` and ``"meta"`` (see ``source_text``); ``fields=False`` leaves
        them out. Never raises on odd queries: they simply find nothing or match
        literally.
        """
        if limit is not None and limit <= 0:
            return RankedHits(self, [])
        first = 0
        if not fields and self._body_start:
            first, limit, cut = self._body_start, None, limit  # fields are left out first
        else:
            cut = limit
        forms = query_forms(query)
        if not forms[0]:
            return RankedHits(self, [])
        found: dict[tuple[int, int], int] = {}
        # One search at a time per index: the bitset cache and the fuzzy tables are
        # filled lazily, and the TUI may search from a worker thread.
        with self._lock:
            if len(forms) == 1:
                self._collect(forms[0], fuzzy, limit, found)
            else:  # a tone-marked query that splits several ways: every split, merged
                for q in forms:
                    more: dict[tuple[int, int], int] = {}
                    self._collect(q, fuzzy, None, more)
                    for span, flags in more.items():
                        old = found.get(span)
                        if old is None or score_of(flags, 2) > score_of(old, 2):
                            found[span] = flags
        return RankedHits(self, rank_keys(found, self._n, cut, first))

    def _collect(
        self, q: str, fuzzy: bool, limit: int | None, found: dict[tuple[int, int], int]
    ) -> None:
        """Fill ``found`` with the hits of the normalised query ``q`` (lock held)."""
        if not any("a" <= ch <= "z" or ch == BOUNDARY for ch in q):
            self._literal(q, found, limit)
        elif len(q) <= MAX_PINYIN_QUERY:
            self._pinyin(q, fuzzy, limit, found)

    # ------------------------------------------------------------------ document order
    def count(
        self, query: str, *, fuzzy: bool = False, start: int = 0, stop: int | None = None
    ) -> int:
        """How many hits ``search(query, fields=False)`` has in ``report.sections[start:stop]``.

        No ``Match`` is built: the hits of the last few queries are kept as arrays in
        document order, so ``count`` and ``search_range`` for the query being shown
        cost a binary search (``count(q, stop=k)`` is the number of hits before
        section ``k``: the "3/17" of the reader).
        """
        starts = self._hits_of(query, fuzzy)[0]
        low, high = self._bounds(starts, start, stop)
        return high - low

    def search_range(
        self, query: str, start: int = 0, stop: int | None = None, *, fuzzy: bool = False
    ) -> list[Match]:
        """The hits of ``search(query, fields=False)`` in ``report.sections[start:stop]``,
        in document order (the same ``Match`` objects ``search`` gives, only these are
        built)."""
        hits = self._hits_of(query, fuzzy)
        low, high = self._bounds(hits[0], start, stop)
        return [self._hit(hits, i) for i in range(low, high)]

    def hits_within(
        self, query: str, section: str, start: int = 0, end: int | None = None, *,
        fuzzy: bool = False,
    ) -> list[Match]:  # fmt: skip
        """The hits of ``search(query)`` that overlap ``[start, end)`` of ``section``
        (what a screen shows), in document order; a binary search and the few
        hits asked for. ``KeyError`` for an unknown section."""
        k = self._order[section]
        base = self._starts[k]
        size = len(self._texts[k])
        end = size if end is None else min(end, size)
        start = max(start, 0)
        if start >= end:
            return []
        hits = self._hits_of(query, fuzzy)
        starts, ends = hits[0], hits[1]
        # A hit is at most ``longest`` characters: the first that may overlap starts there.
        i = bisect_left(starts, base + start - hits[3] + 1)
        stop = bisect_left(starts, base + end)
        return [self._hit(hits, j) for j in range(i, stop) if ends[j] > base + start]

    def next_hit(
        self, query: str, section: str, offset: int, *, backward: bool = False,
        fuzzy: bool = False,
    ) -> tuple[int, Match] | None:  # fmt: skip
        """The first hit of ``search(query, fields=False)`` that starts at or after
        ``offset`` of ``section`` (``backward``: the last that starts before it), and
        its number in document order (0-based: the reader's "3/17" is ``n + 1`` of
        ``count``). ``None`` past the last (first) hit: the reader decides whether to
        wrap. ``KeyError`` for an unknown section."""
        k = self._order[section]
        at = self._starts[k] + max(offset, 0)
        hits = self._hits_of(query, fuzzy)
        starts = hits[0]
        first = bisect_left(starts, self._body_start)  # title and metadata hits are not counted
        i = bisect_left(starts, at)
        if backward:
            i -= 1
            if i < first:
                return None
        else:
            i = max(i, first)
            if i >= len(starts):
                return None
        return i - first, self._hit(hits, i)

    def _hit(self, hits: tuple[array, array, array, int], i: int) -> Match:
        """The ``Match`` of hit ``i`` of ``_hits_of``."""
        begin, end, flags = hits[0][i], hits[1][i], hits[2][i]
        k = bisect_right(self._starts, begin) - 1
        base = self._starts[k]
        return _new_match(
            self._ids[k],
            begin - base,
            end - base,
            self._body[begin:end],
            _kind(flags),
            score_of(flags, end - begin),
        )

    def document_hits(self, query: str, *, fuzzy: bool = False) -> DocumentHits:
        """Every hit of ``search(query)`` (title and metadata included, first) in document
        order, as a view that builds a ``Match`` only when one is asked for: what a
        reader needs (the count, the current hit, the hits on screen) without a list
        of 200,000 matches. The search runs now (call it off the UI thread); the view
        keeps its own arrays, so later queries never make it search again."""
        return DocumentHits(self, self._hits_of(query, fuzzy))

    def _bounds(self, starts: array, start: int, stop: int | None) -> tuple[int, int]:
        """Indexes into ``starts`` of the hits in sections ``[start:stop]`` (slice rules)."""
        shift = self._n_fields  # the title and metadata parts come before section 0
        first, last, _ = slice(start, stop).indices(len(self._starts) - shift)
        if first >= last:
            return 0, 0
        first += shift
        last += shift
        low = bisect_left(starts, self._starts[first])
        high = len(starts) if last >= len(self._starts) else bisect_left(starts, self._starts[last])
        return low, high

    def _hits_of(self, query: str, fuzzy: bool) -> tuple[array, array, array, int]:
        """Every hit of ``query`` as (starts, ends, flags) arrays in document order,
        and the length of the longest."""
        q = normalize_query(query)
        key = (q, fuzzy)
        with self._lock:
            hits = self._hits_cache.get(key)
            if hits is None:
                found: dict[tuple[int, int], int] = {}
                if q:
                    self._collect(q, fuzzy, None, found)
                spans = sorted(found)
                hits = (
                    array("I", [s for s, _ in spans]),
                    array("I", [e for _, e in spans]),
                    array("I", [found[span] for span in spans]),
                    max((e - s for s, e in spans), default=0),
                )
                del spans, found
                if len(self._hits_cache) >= _HITS_KEPT:
                    self._hits_cache.pop(next(iter(self._hits_cache)))
                self._hits_cache[key] = hits
        return hits

    def _literal(self, q: str, found: dict[tuple[int, int], int], limit: int | None) -> None:
        flags = literal_flags(q)
        if len(q) == 1:  # one character: whole word or not, as in ``_single``
            if limit is not None:
                self._one_char(q, flags, found, limit)
                return
            breaks = sure = self._breaks
        else:
            breaks, sure = self._inner, self._sure()
        whole = 0
        # With a limit, only the first ``limit`` hits of each lower class can make the
        # cut (ties are broken by position): the others are not kept, nor sorted.
        kept: dict[int, int] = {}
        for start, end in self._find_literal(q):
            edges = _edge(breaks, sure, start) | _edge(breaks, sure, end)
            if not edges:
                found[(start, end)] = flags
                whole += 1
                if limit is not None and whole >= limit:
                    return  # whole-word hits tie: the first ones win
            elif limit is None:
                found[(start, end)] = flags | edges
            elif kept.get(edges, 0) < limit:
                found[(start, end)] = flags | edges
                kept[edges] = kept.get(edges, 0) + 1

    def _one_char(self, ch: str, flags: int, found: dict[tuple[int, int], int], limit: int) -> None:
        """The first ``limit`` places of ``ch`` where it is a word by itself, then as many
        more as needed of the others (both in document order): what a limited
        search of one character returns, from bitsets, without a look at each of
        a common character's places (34,000 of 法 in the 100-report corpus)."""
        bits = self._char_bits(ch)
        whole = bits & self._whole_bits()
        taken = 0
        for p in itertools.islice(_positions_of(whole), limit):
            found[(p, p + 1)] = flags
            taken += 1
        if taken < limit:
            for p in itertools.islice(_positions_of(bits ^ whole), limit - taken):
                found[(p, p + 1)] = flags | SPLIT

    def _char_bits(self, ch: str) -> int:
        """Bitset of the places of ``ch`` in the folded text, kept in the bitset cache.

        From the postings of the reading keys whose character folds to ``ch`` (made in
        C) when they account for every place; else by finding each one."""
        key = ("char", ch, False)
        cache = self._bit_cache
        bits = cache.get(key)
        if bits is not None:
            cache.move_to_end(key)
            return bits
        bits = self._built_char_bits(ch)
        self._remember_bits(key, bits)
        return bits

    def _built_char_bits(self, ch: str) -> int:
        """``_char_bits`` made now and not kept (the library saves them in its file)."""
        total = self._fold.count(ch)
        kids = self._char_keys().get(ch, ())
        ends = self._readings.ends
        if kids and sum(ends[k] - ends[k - 1] for k in kids) == total:
            return self._keys_bits(kids)
        return _bits_from(_find_all(self._fold, ch), self._n, total)

    def _char_keys(self) -> dict[str, list[int]]:
        """Reading keys by the folded form of their character (computed once)."""
        if self._keys_by_char is None:
            keys = self._readings.keys
            kids = [k for k in range(1, len(keys)) if keys[k][0]]
            chars = "".join(keys[k][0] for k in kids)
            folded = to_simplified("".join([fold_char(c) for c in chars]))
            by_char: dict[str, list[int]] = {}
            if len(folded) == len(chars):
                for kid, f in zip(kids, folded, strict=True):
                    by_char.setdefault(f, []).append(kid)
            self._keys_by_char = by_char
        return self._keys_by_char

    def _whole_bits(self) -> int:
        """Places that are a word of one character: a word boundary before and after."""
        if self._whole is None:
            breaks = int.from_bytes(self._breaks, "little")
            self._whole = breaks & (breaks >> 1)
        return self._whole

    def _pinyin(
        self, q: str, fuzzy: bool, limit: int | None, found: dict[tuple[int, int], int]
    ) -> None:
        if fuzzy:
            self._ensure_fuzzy()
            sets = self._fuzzy_sets
            syllables, prefixes = self._fuzzy_syllables, self._fuzzy_prefixes
        else:
            sets = self._sets
            syllables, prefixes = self._syllables, self._prefixes
        assert sets is not None
        # The exact bound walks the whole query; for very long queries the few
        # candidates are cheaper to scan than the walk.
        need_bound = limit is not None and len(q) <= _BOUND_QUERY_MAX
        plan = plan_query(q, syllables, prefixes, self._latin, need_bound=need_bound)
        if "a" <= q[0] <= "z":
            if plan.single:
                self._single(q, fuzzy, limit, found)
            if not plan.multi:
                return
            levels = [
                # A subclass may give (bound, starts) pairs (library/candidates.py).
                level if len(level) == 3 else (level[0], None, level[1])
                for level in self._candidates(q, plan, fuzzy, syllables, prefixes)
            ]
        else:
            # Starts with a literal run (hanzi, digits, signs): find it, then extend.
            run = 0
            while run < len(q) and not ("a" <= q[run] <= "z") and q[run] != BOUNDARY:
                run += 1
            # Lazily: a limited search stops after a few of a common character's places.
            found_run = (at for at, _ in self._find_literal(q[:run]))
            levels = [(plan.best_multi, None, found_run)]
        memo: dict = {}
        if limit is None:
            for _, mask, starts in levels:
                for start in _positions_of(mask) if starts is None else starts:
                    self._scan(start, q, sets, 2, found, memo)
            return
        # With a limit, levels are scanned best first, each in document order, and
        # the scan stops once ``limit`` hits are known that no later candidate
        # could outrank (ties are broken by position).
        tiered = False
        # The starts scanned, when this index's tiers may hold some of them again
        # (``_TIERS_MAY_REPEAT``): each is scanned once.
        seen: set[int] | None = set() if self._TIERS_MAY_REPEAT else None
        k = 0
        while k < len(levels):
            bound, mask, starts = levels[k]
            k += 1
            if starts is None:
                starts = _positions_of(mask)
            if bound is None:
                for start in starts:
                    if seen is not None:
                        if start in seen:
                            continue
                        seen.add(start)
                    self._scan(start, q, sets, 2, found, memo)
                continue
            above = 0
            level: list[int] = []
            for (start, end), flags in found.items():
                score = score_of(flags, end - start)
                if score > bound:
                    above += 1
                elif score == bound:
                    level.append(start)
            if above >= limit:
                return
            level.sort()
            at_bound = 0
            # A level's bound assumes a hit that is a whole word; when the hits are
            # pieces of words (a query typed halfway through a word) none reaches
            # it and the whole level would be scanned. After a while the starts
            # left are regrouped by where their hits can end (``_tiers``).
            budget = -1 if tiered or mask is None else 2 * limit + 64
            for start in starts:
                if seen is not None:
                    if start in seen:
                        continue
                    seen.add(start)
                if self._scan(start, q, sets, 2, found, memo, bound):
                    at_bound += 1
                    if above + at_bound + bisect_right(level, start) >= limit:
                        return
                budget -= 1
                if not budget and self._regroups(q):
                    rest = mask >> (start + 1) << (start + 1)
                    for _, later, _ in levels[k:]:
                        rest |= later or 0
                    tiers = self._tiers(q, fuzzy, syllables, prefixes, rest)
                    if tiers is not None:
                        levels, k, tiered = tiers, 0, True
                        break

    def _candidates(
        self,
        q: str,
        plan: QueryPlan,
        fuzzy: bool,
        syllables: frozenset[str],
        prefixes: frozenset[str],
    ) -> list[_Level]:
        """Candidate starts for multi-character hits, grouped by the best score they can reach.

        Each way of reading the query's first characters is a chain of bitsets
        (syllable, prefix or letter) ANDed with shifts; chains with the same
        best reachable score are ORed into one level; levels come best first
        and never share a position.
        """
        # Starts next to a transparent space come first, with no bound (scanned in
        # full), and are left out of the filtered levels. Their first character
        # is never a space, and the second is the query's second step unless it
        # is a space: a few bitset operations keep the scan to those that can match.
        paths = constraint_paths(q, syllables, prefixes, self._latin)
        taken = self._gap_starts
        if taken and paths is not None:
            taken &= self._gap_filter(paths, fuzzy)
        first: list[_Level] = [(None, taken, None)] if taken else []
        if paths is None:
            rest = self._letter_candidates(plan, fuzzy)
            return [*first, (plan.best_multi, rest ^ (rest & taken), None)]
        by_score: dict[float, int] = {}
        chains: dict[tuple, int] = {}  # paths share their first steps: AND each prefix once
        for steps, score in paths:
            mask = self._chain_mask(steps, fuzzy, chains)
            if mask == -1:
                mask = (1 << self._n) - 1
            if mask:
                by_score[score] = by_score.get(score, 0) | mask
        levels = first
        for score in sorted(by_score, reverse=True):
            mask = by_score[score]
            mask ^= mask & taken  # not ``& ~taken``: inverting a big int costs 40 ANDs
            taken |= mask
            if mask:
                levels.append((score, mask, None))
        return levels

    #: Whether ``_tiers`` may give starts again that were scanned already (the library's
    #: leaves out the AND with the starts left: ``LibraryCandidates._tiers``); the
    #: limited search then scans each start once.
    _TIERS_MAY_REPEAT = False

    def _regroups(self, q: str) -> bool:
        """Whether ``_tiers`` may regroup the starts left of ``q`` (a subclass may know
        it will not, and spare the whole masks of the levels left it would read)."""
        return True

    def _path_groups(
        self, q: str, syllables: frozenset[str], prefixes: frozenset[str]
    ) -> dict[tuple, set[int]] | None:
        """Every way to read ``q`` to its end (``full_paths``) grouped by its first
        three steps, last step and length, with the flags of the group's ways;
        ``None`` when the ways cannot all be known."""
        paths = full_paths(q, syllables, prefixes, self._latin, max_len=_GAP_WINDOW - 1)
        if paths is None:
            return None
        groups: dict[tuple, set[int]] = {}
        for steps, flags in paths:
            size = len(steps)
            key = (steps[:3], steps[-1] if size > 3 else None, size)
            groups.setdefault(key, set()).update(flags)
        return groups

    def _tiers(
        self,
        q: str,
        fuzzy: bool,
        syllables: frozenset[str],
        prefixes: frozenset[str],
        rest: int,
    ) -> list[_Level] | None:
        """The starts of ``rest`` grouped by the best score a hit from each can still
        reach, word edges included: for every way to read the query to its end
        (``full_paths``, so its length is known), starts whose first three and last
        characters fit it, split by whether both ends can be sure word boundaries,
        word boundaries at all, or not. ``None`` when the ways cannot all be known."""
        groups = self._path_groups(q, syllables, prefixes)
        if groups is None:
            return None
        chains: dict[tuple, int] = {}
        by_score: dict[float, int] = {}
        for (head, last, size), flags in groups.items():
            mask = self._chain_mask(head, fuzzy, chains)
            if last is not None and mask:
                bits = self._shifted_bits(last, fuzzy, size - 1)
                if bits is not None:
                    mask = bits if mask == -1 else mask & bits
            mask = rest if mask == -1 else mask & rest
            if not mask:
                continue
            for edges in (0, WEAK, SPLIT):
                part = mask if edges == SPLIT else mask & self._edge_bits(edges, size)
                score = max(score_of(f | edges, size) for f in flags)
                by_score[score] = by_score.get(score, 0) | part
        levels: list[_Level] = []
        taken = 0
        for score in sorted(by_score, reverse=True):
            mask = by_score[score]
            mask ^= mask & taken
            taken |= mask
            if mask:
                levels.append((score, mask, None))
        return levels

    def _edge_bits(self, edges: int, size: int) -> int:
        """Starts ``p`` where a hit of ``size`` characters has both word edges at least
        as good as ``edges`` (0: sure boundaries; ``WEAK``: boundaries), as ``_edge``
        tells them; kept in the bitset cache."""
        key = ("edges", f"{edges}:{size}", False)
        mask = self._derived_bits(key)
        if mask is not None:
            return mask
        inner = int.from_bytes(self._inner, "little")
        if not edges:
            inner &= int.from_bytes(self._sure_bits or self._sure(), "little")
        mask = inner & (inner >> size)
        self._remember_bits(key, mask, derived=True)
        return mask

    def _chain_mask(self, steps: tuple, fuzzy: bool, chains: dict[tuple, int]) -> int:
        """Starts where every step of ``steps`` holds for its character (bitsets ANDed
        with shifts), ``-1`` when no step can be filtered; prefixes memoised in ``chains``."""
        mask = chains.get(steps)
        if mask is not None:
            return mask
        head = self._chain_mask(steps[:-1], fuzzy, chains) if len(steps) > 1 else -1
        if head == 0:
            mask = 0
        else:
            bits = self._shifted_bits(steps[-1], fuzzy, len(steps) - 1)
            mask = head if bits is None else bits if head == -1 else head & bits
        chains[steps] = mask
        return mask

    def _shifted_bits(self, constraint: tuple[str, str], fuzzy: bool, k: int) -> int | None:
        """``_constraint_bits(constraint) >> k``, kept in the bitset cache: a shift copies
        the whole big int (three times an AND), and typing a query repeats the same ones."""
        if not k:
            return self._constraint_bits(constraint, fuzzy)
        key = ("shift", f"{constraint[0]}:{constraint[1]}:{k}", fuzzy)
        mask = self._derived_bits(key)
        if mask is not None:
            return mask
        bits = self._constraint_bits(constraint, fuzzy)
        if bits is None:
            return None
        mask = bits >> k
        self._remember_bits(key, mask, derived=True)
        return mask

    def _gap_filter(self, paths: list, fuzzy: bool) -> int:
        """Starts that may begin a hit of some path when spaces may follow them: the
        first step matches, and the second matches the next character or it is a space.
        Only the starts in ``_gap_starts`` matter, so every mask is cut to those first."""
        wanted = self._gap_starts
        spaced = self._gap_bits >> 1
        allowed = 0
        seen: set[tuple] = set()
        for steps, _ in paths:
            pair = steps[:2]
            if pair in seen:
                continue
            seen.add(pair)
            mask = wanted
            for k, constraint in enumerate(pair):
                bits = self._shifted_bits(constraint, fuzzy, k)
                if bits is not None:
                    mask = (mask & bits) | (mask & spaced) if k else mask & bits
            allowed |= mask
            if allowed == wanted:
                break
        return allowed

    def _constraint_bits(self, constraint: tuple[str, str], fuzzy: bool) -> int | None:
        kind, text = constraint
        if kind == "any":
            return None
        if kind == "pre" and text in ("zh", "ch", "sh") and not fuzzy:
            return self._bits.get(text, 0)
        if kind == "lit":
            # Only where the text has the character itself: the symbol's bitset
            # also holds every reading that starts with it, and would give a
            # Latin hit's high bound to every pinyin candidate (no early stop).
            return self._literal_bits(text)
        if kind == "pre" and len(text) == 1:
            if fuzzy and kind == "pre" and text in FUZZY_FIRST_LETTERS:
                mask = 0
                for other in FUZZY_FIRST_LETTERS[text]:
                    mask |= self._bits.get(other, 0)
                return mask
            return self._bits.get(text, 0)
        key = (kind, text, fuzzy)
        mask = self._derived_bits(key)  # an OR of syllables' bitsets
        if mask is not None:
            return mask
        reals = {text} & self._syllables if kind == "eq" else set(self._syllables_from(text))
        if fuzzy and self._fuzzy_sources:
            for variant, sources in self._fuzzy_sources.items():
                if variant == text or (kind == "pre" and variant.startswith(text)):
                    reals |= sources
        mask = 0
        for syl in reals:
            mask = _or(mask, self._syllable_bits(syl))
        self._remember_bits(key, mask, derived=True)
        return mask

    def _literal_bits(self, ch: str) -> int:
        bits = self._lit_bits.get(ch)
        if bits is None:
            where = self._lit_pos.get(ch, ())
            bits = self._lit_bits[ch] = _bits_from(where, self._n, len(where))
        return bits

    def _syllable_bits(self, syl: str) -> int:
        """Places with ``syl`` as any reading: the OR of its context and other readings'
        bitsets (``_reading_bits``, which one-syllable hits use too)."""
        key = ("syl", syl, False)
        mask = self._derived_bits(key)
        if mask is None:
            mask = _or(
                self._reading_bits("ctx", syl, self._ctx_keys.get(syl, ())),
                self._reading_bits("alt", syl, self._alt_keys.get(syl, ())),
            )
            self._remember_bits(key, mask, derived=True)
        return mask

    def _letter_candidates(self, plan: QueryPlan, fuzzy: bool) -> int:
        bits = self._bits
        acc: int | None = None
        for k, symbols in enumerate(plan.steps):
            if symbols is None:
                break
            mask = 0
            for sym in symbols:
                if fuzzy and sym in FUZZY_FIRST_LETTERS:
                    for other in FUZZY_FIRST_LETTERS[sym]:
                        mask |= bits.get(other, 0)
                else:
                    mask |= bits.get(sym, 0)
            mask >>= k
            acc = mask if acc is None else acc & mask
            if not acc:
                return 0
        return acc or 0

    def _single(
        self, q: str, fuzzy: bool, limit: int | None, found: dict[tuple[int, int], int]
    ) -> None:
        """Hits one character long, taken from the per-syllable lists."""
        if len(q) == 1:
            for p in self._lit_pos.get(q, ()):
                found[(p, p + 1)] = LATIN
        tone = None
        letters = q
        if q[-1] in TONE_DIGITS:
            tone, letters = q[-1], q[:-1]
        if not letters.isalpha() or not letters.isascii():
            return
        # (flags, reading keys, positions when already known) per matching syllable
        groups: list[tuple[int, Sequence[int], Iterable[int] | str | None]] = []
        sources: dict[str, set[str]] = (self._fuzzy_sources or {}) if fuzzy else {}
        candidates: list[tuple[str, str, int]] = []  # (spelling typed, real syllable, extra)
        for syl in self._syllables_from(letters):
            candidates.append((syl, syl, 0))
        if fuzzy:
            for variant, reals in sources.items():
                if variant.startswith(letters):
                    candidates.extend((variant, real, FUZZY) for real in reals)
        for spelling, real, extra in candidates:
            if tone is not None and spelling != letters:
                continue
            if spelling == letters:
                flags = FULL
            elif len(letters) > len(_initial(spelling)):
                flags = FULL | PARTIAL
            else:
                flags = INITIAL
            flags |= extra
            ctx_keys = self._ctx_keys.get(real, ())
            alt_keys = self._alt_keys.get(real, ())
            if tone is None:
                known = limit is None  # the limited search works on bitsets instead
                ctx_where = self._ctx_pos.get(real, ()) if known else real
                alt_where = self._alt_pos.get(real, ()) if known else real
                groups.append((flags, ctx_keys, ctx_where))
                groups.append((flags | ALT, alt_keys, alt_where))
            else:
                # A context reading of the same syllable with another tone may still
                # carry the typed tone as one of its other readings (发放: fa4, fa1).
                exact, other = self._tone_keys(ctx_keys, real, tone)
                groups.append((flags, exact, None))
                groups.append(
                    (flags | ALT, [*other, *self._tone_keys(alt_keys, real, tone)[1]], None)
                )
        if limit is None:
            self._single_all(
                [
                    (flags, self._key_positions(list(kids)) if where is None else where)
                    for flags, kids, where in groups
                    if kids
                ],
                found,
            )
            return
        self._single_limited(groups, limit, found)

    def _syllables_from(self, letters: str) -> tuple[str, ...]:
        """The report's syllables that start with ``letters``, in ``_syllables`` order,
        kept per prefix (a few hundred): every one-syllable query asked for them with
        a ``startswith`` on each syllable of the report."""
        found = self._by_prefix.get(letters)
        if found is None:
            if letters not in self._prefixes:
                return ()
            found = tuple(syl for syl in self._syllables if syl.startswith(letters))
            self._by_prefix[letters] = found
        return found

    def _single_limited(
        self,
        groups: list[tuple[int, Sequence[int], Iterable[int] | str | None]],
        limit: int,
        found: dict[tuple[int, int], int],
    ) -> None:
        """The best ``limit`` one-character hits of ``groups``: the keys of groups with the
        same flags as one bitset (from each syllable's, kept), split by ``_char_levels``
        into characters that are surely a word by themselves (市 alone), less surely
        (``WEAK``: 市 in 我市) and characters inside a word (市 in 城市), best first,
        each in document order; only the positions taken are listed."""
        by_flags = self._bits_by_flags(groups)
        masks = self._level_masks() if self._has_breaks else None
        streams: list[tuple[int, int | Callable[[], int]]] = []
        for flags, bits in by_flags.items():
            if masks is None:
                streams.append((flags, bits))
            else:
                word, weak = bits & masks[0], bits & masks[1]
                streams.extend(
                    ((flags, word), (flags | WEAK, weak), (flags | SPLIT, bits ^ word ^ weak))
                )
        take_by_score(streams, found, limit)

    def _bits_by_flags(
        self, groups: list[tuple[int, Sequence[int], Iterable[int] | str | None]]
    ) -> dict[int, int]:
        """The keys of ``groups`` as one bitset per flags: groups scored alike are
        searched as one (a syllable's context or other readings, or the keys a
        tone digit picked)."""
        by_flags: dict[int, int] = {}
        for flags, kids, syllable in groups:
            if not kids:
                continue
            if isinstance(syllable, str):  # a syllable's context or other readings
                bits = self._reading_bits("alt" if flags & ALT else "ctx", syllable, kids)
            else:  # the keys a tone digit picked
                bits = self._keys_bits(list(kids))
            by_flags[flags] = by_flags.get(flags, 0) | bits
        return by_flags

    def _reading_bits(self, kind: str, syllable: str, kids: Sequence[int]) -> int:
        """Bitset of the places whose context reading (``kind`` "ctx") or another reading
        ("alt") is ``syllable``, kept in the bitset cache: the prefixes of a word being
        typed (x, xi, xin, xing) share the same syllables."""
        key = (kind, syllable, False)
        bits = self._bit_cache.get(key)
        if bits is None:
            bits = self._keys_bits(list(kids)) if kids else 0
            self._remember_bits(key, bits)
        else:
            self._bit_cache.move_to_end(key)
        return bits

    def _single_all(
        self, groups: list[tuple[int, Iterable[int]]], found: dict[tuple[int, int], int]
    ) -> None:
        """Every one-character hit of ``groups``, whole words told from characters
        inside words (``_char_levels``), in one pass per group: nothing to stop
        early for."""
        levels = self._char_levels()
        for flags, positions in groups:
            variants = (flags | SPLIT, flags | WEAK, flags)
            scores = [score_of(f, 1) for f in variants]
            for p in positions:
                c = levels[p]
                key = (p, p + 1)
                old = found.get(key)
                if old is None or scores[c] > score_of(old, 1):
                    found[key] = variants[c]

    def _tone_keys(self, kids: Iterable[int], syl: str, digit: str) -> tuple[list[int], list[int]]:
        """Keys ``kids`` split by the tone typed: those whose context reading is ``syl``
        with that tone, and those where only another reading has it (a few keys,
        not every position)."""
        tone = 5 if digit in "05" else int(digit)
        exact: list[int] = []
        other: list[int] = []
        sets = self._sets
        for kid in kids:
            entries = sets[kid]
            if any(e[0] == syl and tone_fits(tone, e[1]) and not e[2] & ALT for e in entries):
                exact.append(kid)
            elif any(e[0] == syl and tone_fits(tone, e[1]) and e[2] & ALT for e in entries):
                other.append(kid)
        return exact, other

    def _scan(
        self,
        g: int,
        q: str,
        sets: Sequence[tuple[Entry, ...]],
        min_len: int,
        found: dict[tuple[int, int], int],
        memo: dict,
        bound: float | None = None,
    ) -> bool:
        """Match ``q`` from position ``g``; record every hit, with its word edges.

        A query with no boundary marker reads at most ``len(q)`` characters, and
        what it finds there depends on those characters only (their folded form
        and reading keys), not on where they are: the same few words recur all
        over a report, so the hits (length, flags) of each such window are
        memoised and only the word edges, which depend on the place, are
        computed per start. Windows that hold a transparent space are scanned, and
        so are those of a short text (``_WINDOWS_FROM``), where few repeat.
        Returns whether a hit scoring at least ``bound`` was recorded.
        """
        n = len(q)
        windows = memo.get(_WINDOWS)
        if windows is None:
            use = BOUNDARY not in q and self._n >= _WINDOWS_FROM
            windows = memo[_WINDOWS] = {} if use else _NO_WINDOWS
        if windows is _NO_WINDOWS or (self._gaps and _gap_within(self._gap_list, g, g + n)):
            ends = self._ends(g, q, sets, memo)
        else:
            key = (self._fold[g : g + n], self._rid[g : g + n].tobytes())
            ends = windows.get(key)
            if ends is None:
                ends = windows[key] = self._ends(g, q, sets, memo)
        if not ends:
            return False
        breaks = self._inner
        sure = self._sure_bits or self._sure()
        split_start = _edge(breaks, sure, g)
        top = False
        for length, fl in ends:
            if length < min_len:
                continue
            i = g + length
            span = (g, i)
            fl |= split_start | _edge(breaks, sure, i)
            old = found.get(span)
            score = score_of(fl, length)
            if old is None or score > score_of(old, length):
                found[span] = fl
            if bound is not None and score >= bound:
                top = True
        return top

    def _ends(
        self, g: int, q: str, sets: Sequence[tuple[Entry, ...]], memo: dict
    ) -> tuple[tuple[int, int], ...]:
        """(length, flags) of every way ``q`` reads from position ``g``, word edges aside,
        one character at a time. Transitions are memoised per (state set, character,
        reading set): most candidates share their first characters' readings."""
        fold = self._fold
        rid = self._rid
        size = self._n
        gaps = self._gaps
        states = _START
        i = g
        get = memo.get
        out: list[tuple[int, int]] = []
        while i < size:
            c = fold[i]
            sid = rid[i]
            if not sid and gaps and i in gaps and i > g:
                i += 1  # a transparent space: the match steps over it
                continue
            key = (states, c, sid)
            result = get(key)
            if result is None:
                result = memo[key] = _step(states, c, sets[sid], q, memo)
            states, done = result
            i += 1
            for fl in done:
                out.append((i - g, fl))
            if not states:
                break
        return tuple(out)


#: Key of the window memo inside a query's memo (see ``_scan``); its value when the
#: query has a boundary marker, which may step over any number of characters.
_WINDOWS = "windows"
_NO_WINDOWS: dict = {}
#: Texts shorter than this rarely repeat a window: the memo would cost more than it saves.
_WINDOWS_FROM = 100_000


def _gap_within(gaps: array, low: int, high: int) -> bool:
    """Whether a transparent space lies in ``[low, high)`` (``gaps`` sorted)."""
    at = bisect_left(gaps, low)
    return at < len(gaps) and gaps[at] < high


#: A group of candidate starts: (the best score a hit from them can reach, ``None``
#: for no bound; their bitset, or ``None`` when they come as positions instead).
_Level = tuple[float | None, int | None, Iterable[int] | None]

_START: frozenset[tuple[int, int]] = frozenset({(0, 0)})


def _sure_breaks(breaks: bytes, positions: array) -> bytes:
    """The boundaries of ``breaks`` that are not between two one-character pieces of
    a run of hanzi (一/是 in 一是切实): those are where a dictionary segmenter is least
    sure, since words it does not know fall apart into single characters. Big-integer
    operations over the whole text, in C."""
    data = positions.tobytes()
    size = positions.itemsize
    n = len(positions)
    lanes = 0
    for k in range(size):  # OR the bytes of each key id: nonzero where there is a reading
        lanes |= int.from_bytes(data[k::size], "little")
    digits = lanes.to_bytes(n, "little").translate(_ZERO_ONE)[::-1]
    hanzi = int(digits, 2) if digits else 0
    bounds = int.from_bytes(breaks, "little")
    # A weak boundary p: boundaries at p-1, p and p+1, a reading at p-1 and at p.
    weak = bounds & (bounds << 1) & (bounds >> 1) & (hanzi << 1) & hanzi
    return (bounds & ~weak).to_bytes(len(breaks), "little")


_ZERO_ONE = bytes([ord("0")] + [ord("1")] * 255)


def _edge(breaks: bytes, sure: bytes, p: int) -> int:
    """How surely a span may start or end before position ``p``: 0 at a word
    boundary; ``WEAK`` at one between two one-character pieces of a run of hanzi
    (``_sure_breaks``) or at the edge of a word inside a compound (政府 in 市政府);
    ``SPLIT`` inside a word. ``breaks`` is the second bitmap of
    ``words.word_breaks`` (boundaries of words and of words inside compounds)."""
    if not breaks[p >> 3] >> (p & 7) & 1:
        return SPLIT
    return 0 if sure[p >> 3] >> (p & 7) & 1 else WEAK


def _iter_spans(text: str, needle: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each occurrence of ``needle``, lazily: a limited search stops early."""
    size = len(needle)
    at = text.find(needle)
    while at != -1:
        yield at, at + size
        at = text.find(needle, at + 1)


def _find_all(text: str, needle: str) -> list[int]:
    out: list[int] = []
    at = text.find(needle)
    while at != -1:
        out.append(at)
        at = text.find(needle, at + 1)
    return out


def _step(
    states: frozenset[tuple[int, int]],
    c: str,
    entries: tuple[Entry, ...],
    q: str,
    memo: dict,
) -> tuple[frozenset[tuple[int, int]], tuple[int, ...]]:
    """One report character against every live way of reading the query.

    Returns the next state set (interned in ``memo`` so equal sets are one
    object with a cached hash) and the flags of readings that finish the query.
    """
    n = len(q)
    reached: list[tuple[int, int]] = []
    for j, fl in states:
        ch = q[j]
        if ch == c:
            lit = LATIN if c < "\x80" else HANZI
            if not c.isalnum():
                lit |= CROSS
            reached.append((j + 1, fl | lit))
        elif ch == BOUNDARY and c != SEPARATOR and not c.isalnum():
            # A space or ' in the query steps over spaces, line breaks and
            # punctuation in the text; such a span ranks after one that does not.
            reached.append((j, fl | CROSS))
            reached.append((j + 1, fl | CROSS))
        if not entries or not ("a" <= ch <= "z"):
            continue
        for syl, tone, extra in entries:
            if syl[0] != ch:
                continue
            size_syl = len(syl)
            if q.startswith(syl, j):
                k = j + size_syl
                if k < n and q[k] in TONE_DIGITS:
                    digit = int(q[k])
                    if tone_fits(digit, tone):
                        reached.append((k + 1, fl | FULL | extra))
                else:
                    reached.append((k, fl | FULL | extra))
            if size_syl > 1:
                # An initial that ends a query after whole syllables is an
                # unfinished last syllable (fazhizhengf), not an abbreviation.
                last = FULL | PARTIAL if fl & FULL and not fl & INITIAL else INITIAL
                reached.append((j + 1, fl | (last if j + 1 == n else INITIAL) | extra))
                init = _initial(syl)
                if len(init) == 2 and q.startswith(init, j):
                    reached.append((j + 2, fl | (last if j + 2 == n else INITIAL) | extra))
                rest = n - j
                if len(init) < rest < size_syl and syl.startswith(q[j:]):
                    reached.append((n, fl | FULL | PARTIAL | extra))
    done: list[int] = []
    nxt: set[tuple[int, int]] = set()
    for k, fl in reached:
        if k >= n:
            if fl not in done:
                done.append(fl)
            continue
        nxt.add((k, fl))
        if q[k] == BOUNDARY:
            nxt.add((k + 1, fl))
    frozen = frozenset(nxt)
    interned = memo.setdefault(("states", frozen), frozen)
    return interned, tuple(done)


def take_by_score(
    streams: list[tuple[int, int | Callable[[], int | Iterable[int]]]],
    found: dict[tuple[int, int], int],
    limit: int,
) -> None:
    """One-character hits from ``streams`` (flags, a bitset or what makes it, or its
    positions in order) into ``found`` until it holds ``limit``: best score first,
    and within a score in document order; a stream's bitset is made only when its
    score is reached."""
    streams = sorted(streams, key=lambda g: -score_of(g[0], 1))
    taken = len(found)
    index = 0
    while index < len(streams):
        score = score_of(streams[index][0], 1)
        same: list[tuple[int, int]] = []
        while index < len(streams) and score_of(streams[index][0], 1) == score:
            flags, mask = streams[index]
            same.append((flags, mask() if callable(mask) else mask))
            index += 1
        if len(same) == 1:
            flags, bits = same[0]
            stream: Iterable[tuple[int, int]] = ((p, flags) for p in _listed(bits))
        else:  # lazily: a one-letter query on a big corpus has a huge tail
            stream = heapq.merge(*(((p, f) for p in _listed(m)) for f, m in same))
        for p, flags in stream:
            key = (p, p + 1)
            if key in found:
                continue
            found[key] = flags
            taken += 1
            if taken >= limit:
                return


def _listed(bits: int | Iterable[int]) -> Iterable[int]:
    """The positions of a bitset, or positions given as they are."""
    return _positions_of(bits) if isinstance(bits, int) else bits


class DocumentHits:
    """The hits of one query in document order, each ``Match`` built on demand.

    ``len`` is the count, ``hits[i]`` the i-th hit, ``position_of`` where a
    place falls among the hits (the "3" of "3/17"), ``overlapping`` the hits
    that touch a span of a section (what a line on screen shows): each a
    binary search, whatever the number of hits.
    """

    def __init__(self, index: PinyinIndex, hits: tuple[array, array, array, int]) -> None:
        self._index = index
        self._hits = hits  # (starts, ends, flags, longest) as ``_hits_of`` keeps them
        self._starts, self._ends = hits[0], hits[1]
        #: The longest hit, so that ``overlapping`` finds hits that begin before a span.
        self.longest = hits[3]
        self._built: dict[int, Match] = {}

    def __len__(self) -> int:
        return len(self._starts)

    def __bool__(self) -> bool:
        return len(self._starts) > 0

    @property
    def count(self) -> int:
        return len(self._starts)

    def __getitem__(self, i: int) -> Match:
        if i < 0:
            i += len(self._starts)
        if not 0 <= i < len(self._starts):
            raise IndexError(i)
        return self._match(i)

    def _match(self, i: int) -> Match:
        built = self._built.get(i)
        if built is not None:
            return built
        if len(self._built) >= _BUILT_KEPT:  # a reader on screen asks for the same few
            self._built.clear()
        built = self._built[i] = self._build(i)
        return built

    def _build(self, i: int) -> Match:
        return self._index._hit(self._hits, i)

    def _offset(self, section_id: str, offset: int) -> int:
        index = self._index
        k = index._order[section_id]  # KeyError: not a part of this report
        return index._starts[k] + max(0, min(offset, len(index._texts[k])))

    def position_of(self, section_id: str, offset: int) -> int:
        """How many hits start before ``offset`` of ``section_id`` (title, metadata
        and earlier sections included): the number of the first hit from there."""
        return bisect_left(self._starts, self._offset(section_id, offset))

    def overlapping(self, section_id: str, low: int, high: int) -> list[Match]:
        """Hits of ``section_id`` that share a character with ``[low, high)``."""
        if not self._starts or section_id not in self._index._order:
            return []
        g_low = self._offset(section_id, low)
        g_high = self._offset(section_id, max(high, low + 1))
        first = bisect_left(self._starts, g_low - self.longest)
        last = bisect_left(self._starts, g_high)
        ends = self._ends
        return [self._match(i) for i in range(first, last) if ends[i] > g_low]


def sort_document_order(matches: Iterable[Match], report: Report) -> list[Match]:
    """Hits in reading order: title, metadata, sections in order; then start, then end."""
    order = {sid: k for k, (sid, _) in enumerate(searchable_parts(report))}
    return sorted(matches, key=lambda m: (order.get(m.section, len(order)), m.start, m.end))


_SNIPPET_SPACES = re.compile("[\r\n\t\x0b\x0c]")  # shown as spaces (found in C)


def snippet(
    report: Report,
    match: Match,
    width: int = 40,
    figures: Sequence[tuple[int, int]] = (),
) -> tuple[str, int, int]:
    """A one-line excerpt around a hit and the hit's offsets inside it.

    About ``width`` characters, the hit roughly centred, newlines shown as
    spaces and ``…`` where the section text was cut. The hit is never cut, and
    the cut never falls inside one of ``figures`` (spans in the hit's section).
    """
    text = source_text(report, match.section)
    start = max(0, min(match.start, len(text)))
    end = max(start, min(match.end, len(text)))
    room = max(width - (end - start), 0)
    left = max(0, start - room // 2)
    right = min(len(text), end + (room - (start - left)))
    left = max(0, min(left, start - max(room - (right - end), 0)))
    if left > 0:
        from briefing.text import context_start  # rich's cells: not on the index's import

        cut = context_start(text, left, start, figures)
        if cut < left and end - cut > max(width, end - start):
            cut = left  # no room to begin earlier (a tiny width): the count stands
        # Begun earlier (a clause or a figure's start): as much less after the hit.
        right = max(end, right - max(0, left - cut))
        left = cut
    piece = text[left:right]
    piece = _SNIPPET_SPACES.sub(" ", piece)
    prefix = "…" if left > 0 else ""
    suffix = "…" if right < len(text) else ""
    hit_start = len(prefix) + (start - left)
    return prefix + piece + suffix, hit_start, hit_start + (end - start)


def load_index(
    report: Report,
    *,
    build_if_missing: bool = True,
    progress: Callable[[float], None] | None = None,
) -> PinyinIndex | None:
    """The report's index from the readings cache, else built (and cached).

    A cache hit needs no pypinyin import: this is what the TUI calls, from a
    worker thread, when a report opens. With ``build_if_missing=False`` a cache
    miss returns ``None`` instead of computing readings. A corrupt cache file is
    ignored and replaced. ``progress`` is told the fraction of a build done (see
    ``compute_readings``); a cache hit tells nothing.
    """
    from briefing.search.cache import load_readings, load_symbol_bits, save_readings

    text = joined_text(report)
    readings = load_readings(report.sha256, text)
    if readings is not None:
        saved = load_symbol_bits(report.sha256, text)
        try:
            index = PinyinIndex(report, readings, text, symbol_bits=saved)
        except (ValueError, IndexError, KeyError, TypeError):
            readings = None  # inconsistent file: rebuild below
        else:
            if saved is None:  # readings cached before the symbols were: save them now
                _save_symbols(index)
            return index
    if not build_if_missing:
        return None
    from briefing.search.readings import compute_readings

    readings = compute_readings(text, progress=progress)
    save_readings(report.sha256, text, readings)
    index = PinyinIndex(report, readings, text)
    _save_symbols(index)
    return index


def _save_symbols(index: PinyinIndex) -> None:
    """Build every symbol's bitset (~0.3 s at 8 MB, with the readings) and cache them,
    so that a later search reads the few it needs (``cache.load_symbol_bits``)."""
    import os

    from briefing.search.cache import save_symbol_bits, symbols_path

    path = symbols_path(index.report.sha256)
    if path is not None and os.access(path.parent, os.W_OK):  # else they would be lost
        save_symbol_bits(index.report.sha256, index._body, index.state().symbol_bits)
