"""Candidate starts of a multi-character pinyin query on the library's combined index.

``PinyinIndex._candidates`` is tuned for one report: it reads the first three
characters of each way to spell the query (``constraint_paths``) and scans, in
full and first, every start up to 13 characters before a transparent space.
On a thousand reports (21 M characters, 71k such spaces) that was 500k starts,
of which a query like ``fzzf`` kept 130k after its first two letters, and a
bound read from three characters of four (``fzz`` + a Latin ``f`` could be a
"mixed" hit) that no hit reached, so a limited search never stopped early.

Here, on the combined index only:

* paths cover the whole of a short query (initials: a tight bound per level,
  so a limited search stops after the first ``limit`` hits at it);
* the positions of a syllable are merged from its keys' postings as they are
  read (``MergedPostings``), not sorted whole;
* a start goes with the spaced ones only if its first ``k`` characters match
  the path's first ``k`` steps and a transparent space follows them (``k``
  below the path's length); a space further on leaves the bitset filter sound,
  so such a start stays in its level, bounded.

Bitsets are 21 M bits on a thousand reports (2.6 MB: 1-3 ms per operation, and
3-10 ms to inflate a saved one), while a limited search mostly stops within the
first few hundred thousand characters. So what a limited search reads in document
order is made one piece at a time (``pieces.py``; ``saved_bits.PIECE`` bytes) for
its first ``EARLY_PIECES`` pieces, then whole: the one-syllable streams
(``_Pieced``), the levels of a multi-letter query (``_PiecedLevels``) and the
regrouping into tiers (``_PiecedTiers``) AND and OR their operands over those
bits only (the saved bitsets' first pieces, the symbols' bytes in the file, the
first bits of a mask kept whole). A search that reads on past them is reading a
sparse level through, and takes the rest from the whole masks, as before.

The hits are the same (``tests/test_library_index.py`` compares them with each
report searched alone, and with pieces of 128 characters, with the plain
matcher); only fewer starts are scanned and fewer bits combined.
"""

from __future__ import annotations

import heapq
import itertools
from array import array
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import partial
from typing import Any

from briefing.library.pieces import (
    _EdgeOperand,
    _IntOperand,
    _LazyLevel,
    _LazyMask,
    _LevelMasks,
    _Operand,
    _Pieced,
    _PiecedLevels,
    _PiecedTiers,
    _RawOperand,
    _Rest,
    _SavedOperand,
    _TierStarts,
)
from briefing.library.saved_bits import CHAR, LITERAL, SavedBits
from briefing.search.index import (
    PinyinIndex,
    _bits_from,
    _find_all,
    _keep,
    _or,
    _positions_of,
    take_by_score,
)
from briefing.search.query import (
    ALT,
    SPLIT,
    WEAK,
    QueryPlan,
    constraint_paths,
    score_of,
)
from briefing.search.words import one_char_level_masks

#: Queries of at most this many letters are read whole (longer ones spell whole
#: syllables, whose first three characters already bound them well; reading them
#: whole costs a bitset per Latin letter the library holds).
DEEP_PATHS = 5
#: ... while there are at most this many of them (else three characters, as per report).
DEEP_CAP = 24


class MergedPostings:
    """The positions of several keys in document order, merged while read: a limited
    one-syllable search reads a few hundred of a million (sorting them all took
    0.1–0.3 s per query on a thousand reports)."""

    __slots__ = ("_parts",)

    def __init__(self, parts: list) -> None:
        self._parts = parts

    def __iter__(self) -> Iterator[int]:
        if len(self._parts) == 1:
            return iter(self._parts[0])
        return heapq.merge(*self._parts)


#: Bitsets kept between keystrokes, in bytes: 2.6 MB each on a thousand reports, and
#: a keystroke may need a dozen (``PinyinIndex`` keeps 48 + 16 MB for one report).
BIT_CACHE_BYTES = 128 * 1024 * 1024
DERIVED_CACHE_BYTES = 64 * 1024 * 1024
#: Masks of path prefixes kept between keystrokes (``_Masks``): about 60 of 2.6 MB.
CHAIN_CACHE_BYTES = 160 * 1024 * 1024
_SYMBOLS = ("zh", "ch", "sh")
#: Tests of the steps after a space kept (``_step_test``): each a dict of a few
#: thousand reading keys at most.
_STEP_TESTS_KEPT = 64

_Group = tuple[int, Sequence[int], "Iterable[int] | str | None"]


class LibraryCandidates(PinyinIndex):
    """``PinyinIndex`` with the library's candidate filter (see the module's docstring),
    and the reading bitsets saved in the file (``saved_bits.py``) used as they are."""

    saved_bits: SavedBits | None = None
    #: The symbols' bitsets as the file holds them (``index._SavedBits``), if any.
    saved_symbols = None
    #: The one-character level masks' bytes in the file (word, weak), if any.
    saved_levels: tuple[memoryview, memoryview] | None = None

    def _reading_bits(self, kind: str, syllable: str, kids: Sequence[int]) -> int:
        """``PinyinIndex._reading_bits``, inflated from the file when it is saved there."""
        saved = self.saved_bits
        key = (kind, syllable, False)
        if saved is not None and key not in self._bit_cache:
            bits = saved.get(kind, syllable)
            if bits is not None:
                self._remember_bits(key, bits)
                return bits
        return super()._reading_bits(kind, syllable, kids)

    def _char_bits(self, ch: str) -> int:
        """``PinyinIndex._char_bits``, inflated from the file when it is saved there (a
        common character: 法 has 100k places, listing them cost 50-100 ms)."""
        saved = self.saved_bits
        key = ("char", ch, False)
        if saved is not None and key not in self._bit_cache:
            bits = saved.get(CHAR, ch)
            if bits is not None:
                self._remember_bits(key, bits)
                return bits
        return super()._char_bits(ch)

    def _built_char_bits(self, ch: str) -> int:
        """``PinyinIndex._built_char_bits`` without counting ``ch`` over the whole folded
        text when it is read from the file: that decodes all of it (42 MB, ~80 ms) for
        a character too rare to be saved (``saved_bits.CHAR``), whose places are few."""
        if getattr(self._fold, "_text", "") is None:
            places = _find_all(self._fold, ch)
            return _bits_from(places, self._n, len(places))
        return super()._built_char_bits(ch)

    def _literal_bits(self, ch: str) -> int:
        bits = self._lit_bits.get(ch)
        if bits is None and self.saved_bits is not None:
            bits = self.saved_bits.get(LITERAL, ch)
            if bits is not None:
                self._lit_bits[ch] = bits
        return super()._literal_bits(ch) if bits is None else bits

    def _literal_positions(self, ch: str) -> array:
        """The places of Latin letter or digit ``ch``, from its saved bitset if any."""
        bits = self.saved_bits.get(LITERAL, ch) if self.saved_bits is not None else None
        if bits is None:
            return super()._literal_positions(ch)
        self._lit_bits.setdefault(ch, bits)
        return array("I", _positions_of(bits))

    def _single(self, q: str, fuzzy: bool, limit: int | None, found) -> None:
        """``PinyinIndex._single``; with a limit, a one-letter query takes only the first
        ``limit`` places of the Latin letter itself: those hits all score alike, so
        ties go by position and no later one can make the cut (``h`` listed and
        ranked all 11,000 of a thousand reports' places of the letter: 0.2 s)."""
        if limit is None or len(q) != 1 or q not in self._lit_pos:
            super()._single(q, fuzzy, limit, found)
            return
        whole = self._lit_pos
        self._lit_pos = _FirstPlaces(whole, q, self._first_literals(q, limit))  # type: ignore[assignment]
        try:
            super()._single(q, fuzzy, limit, found)
        finally:
            self._lit_pos = whole

    def _first_literals(self, ch: str, limit: int) -> list[int]:
        """The first ``limit`` places of Latin letter or digit ``ch``, from its bitset."""
        return list(itertools.islice(_positions_of(self._literal_bits(ch)), limit))

    def _single_limited(
        self, groups: list[_Group], limit: int, found: dict[tuple[int, int], int]
    ) -> None:
        """``PinyinIndex._single_limited``, with the syllables it ORs at one score
        replaced by their saved group when there is one for exactly those (``x``:
        every x-syllable, one bitset instead of fourteen), read piece by piece.

        As ``PinyinIndex._single_limited`` does, but each stream is made when the
        search reaches its score, and one piece (``saved_bits.PIECE``: 512K
        characters) at a time, in document order: most searches stop in the
        first piece of the first stream (``hu``: hu as a word). Inflating each
        whole 2.6 MB bitset, making it an integer and splitting it by word
        level was 20-50 ms of every one-syllable keystroke."""
        saved = self.saved_bits
        if saved is not None and saved.groups:
            groups = self._grouped(groups, saved)
        masks = None
        if self._has_breaks:
            masks = self._level_pieces()
        streams: list[tuple[int, Callable[[], Iterable[int]]]] = []
        for flags, operands in self._operands_by_flags(groups).items():
            merged = _Pieced(operands, masks, self._width())
            if masks is None:
                streams.append((flags, partial(merged.positions, _Pieced.ALL)))
            else:
                streams.append((flags, partial(merged.positions, _Pieced.WORD)))
                streams.append((flags | WEAK, partial(merged.positions, _Pieced.WEAK)))
                streams.append((flags | SPLIT, partial(merged.positions, _Pieced.INSIDE)))
        take_by_score(streams, found, limit)  # type: ignore[arg-type]

    def _width(self) -> int:
        return (self._n >> 3) + 1

    def _operands_by_flags(self, groups: list[_Group]) -> dict[int, list[_Operand]]:
        """``PinyinIndex._bits_by_flags`` without ORing: each group's bitset as it is
        at hand (kept whole, saved in pieces, or built from its postings)."""
        saved = self.saved_bits
        width = self._width()
        by_flags: dict[int, list[_Operand]] = {}
        for flags, kids, syllable in groups:
            if not kids:
                continue
            operand: _Operand | None = None
            if isinstance(syllable, str):  # a syllable's context or other readings
                kind = "alt" if flags & ALT else "ctx"
                key = (kind, syllable, False)
                if saved is not None and key not in self._bit_cache:
                    pieces = saved.pieces(kind, syllable)
                    if pieces is not None:
                        build = partial(self._reading_bits, kind, syllable, kids)
                        operand = _SavedOperand(pieces, build, width)
                if operand is None:
                    operand = _IntOperand(self._reading_bits(kind, syllable, kids), width)
            else:  # the keys a tone digit picked
                operand = _IntOperand(self._keys_bits(list(kids)), width)
            by_flags.setdefault(flags, []).append(operand)
        return by_flags

    def _level_pieces(self) -> tuple[_Operand, _Operand]:
        """The one-character level masks (``_level_masks``) as operands: their pieces
        cut from the file's bytes until a search needs them whole."""
        width = self._width()
        saved = self.saved_levels
        if self._level_bits is None and saved is not None:
            return (
                _RawOperand(saved[0], lambda: self._level_masks()[0]),
                _RawOperand(saved[1], lambda: self._level_masks()[1]),
            )
        word_bits, weak_bits = self._level_masks()
        return _IntOperand(word_bits, width), _IntOperand(weak_bits, width)

    def _constraint_bits(self, constraint: tuple[str, str], fuzzy: bool) -> int | None:
        """``PinyinIndex._constraint_bits``; a syllable prefix (``zhe``: zhe, zhen, zheng)
        is the OR of its saved group and its own syllable, not of each syllable."""
        kind, text = constraint
        saved = self.saved_bits
        if saved is None or fuzzy or kind != "pre" or len(text) < 2 or text in _SYMBOLS:
            return super()._constraint_bits(constraint, fuzzy)
        key = (kind, text, fuzzy)
        mask = self._derived_bits(key)
        if mask is not None:
            return mask
        reals = {s for s in self._syllables if s.startswith(text)}
        mask = 0
        for reading, keys in (("ctx", self._ctx_keys), ("alt", self._alt_keys)):
            rest = reals
            members = frozenset(s for s in reals if s != text and keys.get(s))
            name = saved.groups.get((reading, members)) if len(members) > 1 else None
            if name is not None:
                bits = self._reading_bits(reading, name, [k for s in members for k in keys[s]])
                mask = _or(mask, bits)
                rest = reals - members
            for syl in rest:
                mask = _or(mask, self._reading_bits(reading, syl, keys.get(syl, ())))
        self._remember_bits(key, mask, derived=True)
        return mask

    def _remember_bits(
        self, key: tuple[str, str, bool], mask: int, *, derived: bool = False
    ) -> None:
        """``PinyinIndex._remember_bits`` with the library's larger budgets."""
        if derived:
            held = _keep(self._derived, self._derived_bytes, key, mask, DERIVED_CACHE_BYTES)
            self._derived_bytes = held
        else:
            held = _keep(self._bit_cache, self._bit_cache_bytes, key, mask, BIT_CACHE_BYTES)
            self._bit_cache_bytes = held

    @staticmethod
    def _grouped(groups: list[_Group], saved: SavedBits) -> list[_Group]:
        buckets: dict[int, list[int]] = {}
        for i, (flags, kids, syllable) in enumerate(groups):
            if kids and isinstance(syllable, str):
                buckets.setdefault(flags, []).append(i)
        out: list[_Group | None] = list(groups)
        for flags, taken in buckets.items():
            if len(taken) < 2:
                continue
            kind = "alt" if flags & ALT else "ctx"
            name = saved.groups.get((kind, frozenset(groups[i][2] for i in taken)))  # type: ignore[misc]
            if name is None:
                continue
            kids = [kid for i in taken for kid in groups[i][1]]
            out[taken[0]] = (flags, kids, name)
            for i in taken[1:]:
                out[i] = None
        return [g for g in out if g is not None]

    def _level_masks(self) -> tuple[int, int]:
        """``PinyinIndex._level_masks`` from the file's bytes (``saved_levels``), else from
        the word boundaries' bitsets directly: the byte per character it reads them
        from cost the first one-syllable query of a fresh searcher ~0.3 s on a
        thousand reports (21 M characters)."""
        if self._level_bits is None:
            saved = self.saved_levels
            if saved is not None:  # the file's bytes: no pass over the boundaries
                self._level_bits = (
                    int.from_bytes(saved[0], "little"),
                    int.from_bytes(saved[1], "little"),
                )
            else:
                masks = one_char_level_masks(self._breaks, self._inner, self._sure())
                self._level_bits = masks if self._breaks else (0, 0)
        return self._level_bits

    def _edge_base(self, edges: int) -> int:
        """The word boundaries as an integer (``edges`` 0: the sure ones), kept: each
        new length of ``_edge_bits`` read both from bytes again (2 x 2.6 MB)."""
        bases = self.__dict__.setdefault("_edge_bases", {})
        base = bases.get(edges)
        if base is None:
            if edges:
                base = int.from_bytes(self._inner, "little")
            else:  # the sure ones among all: the boundaries read once for both
                base = self._edge_base(WEAK) & int.from_bytes(
                    self._sure_bits or self._sure(), "little"
                )
            bases[edges] = base
        return base

    def _edge_bits(self, edges: int, size: int) -> int:
        """``PinyinIndex._edge_bits`` from the kept boundaries (``_edge_base``)."""
        key = ("edges", f"{edges}:{size}", False)
        mask = self._derived_bits(key)
        if mask is None:
            base = self._edge_base(edges)
            mask = base & (base >> size)
            self._remember_bits(key, mask, derived=True)
        return mask

    def _key_positions(self, kids: list[int]) -> MergedPostings:  # type: ignore[override]
        postings_of = self._readings.postings_of
        return MergedPostings([postings_of(kid) for kid in kids])

    def _candidates(
        self,
        q: str,
        plan: QueryPlan,
        fuzzy: bool,
        syllables: frozenset[str],
        prefixes: frozenset[str],
    ) -> list[tuple[float | None, Iterable[int]]]:
        paths = None
        if 3 < len(q) <= DEEP_PATHS:  # short queries (initials) read whole: a tight bound
            paths = constraint_paths(
                q, syllables, prefixes, self._latin, depth=min(len(q), DEEP_PATHS), cap=DEEP_CAP
            )
        if paths is None:
            paths = constraint_paths(q, syllables, prefixes, self._latin)
        if paths is None:
            return super()._candidates(q, plan, fuzzy, syllables, prefixes)
        gap = self._gap_bits
        # Paths share their first steps: each prefix's mask is computed once, and each
        # bitset shifted once per step (a shift of 21 M bits is a copy of 2.7 MB);
        # both are kept between keystrokes (``_chains``): the next letter typed reads
        # most of the same prefixes again (xingzh, xingzhe: x-i-n, xi-n-g, ...).
        chains = self._chain_cache()
        # A start goes with the spaced ones when a prefix of ``k`` steps that is read
        # further holds it and a space follows it ``k`` characters on: the prefixes
        # of each length are ORed first, then ANDed with the spaces once per length
        # (not once per prefix: two 2.7 MB operations each, a third of the cost).
        # For each length ``k``: the prefixes of ``k`` steps read further, with their
        # masks, and the steps that come after them (see ``_spaced``).
        # k -> ({prefix of k steps: its mask (None: every start)}, {step k})
        reaching: dict[int, tuple[dict[tuple, int | None], set]] = {}

        def reached(head: tuple, mask: int | None, after: tuple[str, str]) -> None:
            if not gap:
                return
            heads, afters = reaching.setdefault(len(head), ({}, set()))
            afters.add(after)
            heads.setdefault(head, mask)

        def mask_of(steps: tuple, upto: int) -> int | None:
            """The mask of ``steps[:upto]`` (None: any start; 0 once a prefix is empty)."""
            mask: int | None = None
            for k in range(upto):
                if k:  # every prefix read further, known or not (``_spaced``)
                    reached(steps[:k], mask, steps[k])
                key = ("chain", fuzzy, steps[: k + 1])
                known = chains.get(key, _MISSING)
                if known is not _MISSING:
                    mask = known
                    if mask == 0:
                        return 0
                    continue
                bits = self._shifted_bits(steps[k], fuzzy, k)
                if bits is not None:
                    mask = bits if mask is None else mask & bits
                chains.put(key, mask)
                if mask == 0:
                    return 0
            return mask

        # Every proper prefix now (the spaced starts need them); each path's last step
        # only when the search reaches its level: a limited search often stops in the
        # first, and the last steps are most of the big-integer work.
        by_score: dict[float, list[tuple]] = {}
        for steps, score in paths:
            head = mask_of(steps, len(steps) - 1)
            if head != 0:
                if len(steps) > 1:
                    reached(steps[:-1], head, steps[-1])
                by_score.setdefault(score, []).append(steps)
        spaced = self._spaced(reaching, fuzzy)
        levels: list[tuple[float | None, Iterable[int]]] = []
        if spaced:
            levels.append((None, spaced))
        scores = sorted(by_score, reverse=True)
        groups = [by_score[score] for score in scores]
        state = _LevelMasks(self._n, 0, groups, mask_of)
        pieced = _PiecedLevels(self._n, groups, partial(self._path_operands, mask_of, fuzzy))
        skip = frozenset(spaced)
        levels.extend(
            (score, _LazyMask(state, i, pieced, spaced), _LazyLevel(pieced, state, i, skip))  # type: ignore[misc]
            for i, score in enumerate(scores)
        )
        return levels

    def _path_operands(
        self, mask_of, fuzzy: bool, steps: tuple
    ) -> tuple[_Operand | None, list[_Operand] | None, int] | None:
        """A path's final mask as (its prefix's mask, its last step's bitsets to OR,
        shifted by ``k``): a level read piece by piece (``_PiecedLevels``) ANDs them
        over one piece, not over 21 M bits. None when the path holds no start;
        None in place of either part: no filter. A final mask kept from an
        earlier keystroke is taken whole."""
        width = self._width()
        kept = self._kept_chain(steps, fuzzy, width)
        if kept is not _MISSING:
            return kept
        head: _Operand | None = None
        if len(steps) > 1:
            bits = mask_of(steps, len(steps) - 1)
            if bits == 0:
                return None
            head = None if bits is None else _IntOperand(bits, width)
        return head, self._constraint_operands(steps[-1], fuzzy), len(steps) - 1

    def _constraint_operands(
        self, constraint: tuple[str, str], fuzzy: bool
    ) -> list[_Operand] | None:
        """``_constraint_bits(constraint)`` as bitsets to OR, read piece by piece where the
        file has them (a symbol's bytes, a syllable group's pieces) and not yet whole;
        None when the step matches anything."""
        kind, text = constraint
        if kind == "any":
            return None
        width = self._width()
        whole = self._derived_bits((kind, text, fuzzy))
        if whole is None and not fuzzy:
            symbols = self.saved_symbols
            if kind == "pre" and (len(text) == 1 or text in _SYMBOLS):
                done = getattr(self._bits, "_done", {}).get(text)
                raw = symbols.raw(text) if symbols is not None and done is None else None
                if raw is not None:
                    return [_RawOperand(raw)]
            elif kind in ("pre", "eq") and self.saved_bits is not None:
                return self._syllable_operands(kind, text)
        bits = self._constraint_bits(constraint, fuzzy) if whole is None else whole
        return None if bits is None else [_IntOperand(bits, width)]

    def _syllable_operands(self, kind: str, text: str) -> list[_Operand]:
        """The reading bitsets ``_constraint_bits`` ORs for a syllable (``eq``) or a
        syllable prefix (``pre``: its saved group and its own syllable)."""
        saved = self.saved_bits
        assert saved is not None
        if kind == "eq":
            reals = {text} & self._syllables
        else:
            reals = {s for s in self._syllables if s.startswith(text)}
        out: list[_Operand] = []
        for reading, keys in (("ctx", self._ctx_keys), ("alt", self._alt_keys)):
            rest = reals
            if kind == "pre":
                members = frozenset(s for s in reals if s != text and keys.get(s))
                name = saved.groups.get((reading, members)) if len(members) > 1 else None
                if name is not None:
                    kids = [k for s in members for k in keys[s]]
                    out.append(self._reading_operand(reading, name, kids))
                    rest = reals - members
            for syl in rest:
                out.append(self._reading_operand(reading, syl, keys.get(syl, ())))
        return out

    def _reading_operand(self, reading: str, name: str, kids: Sequence[int]) -> _Operand:
        """One reading bitset (``_reading_bits``): whole if kept, else in pieces if saved,
        else built from its postings (a rare syllable: few places)."""
        width = self._width()
        saved = self.saved_bits
        if saved is not None and (reading, name, False) not in self._bit_cache:
            pieces = saved.pieces(reading, name)
            if pieces is not None:
                build = partial(self._reading_bits, reading, name, kids)
                return _SavedOperand(pieces, build, width)
        return _IntOperand(self._reading_bits(reading, name, kids), width)

    _TIERS_MAY_REPEAT = True

    def _regroups(self, q: str) -> bool:
        """Queries of three letters or more only (see ``_tiers``): for ``fz``, ``zf``,
        ``xi`` the search made the whole masks of every level left (10-40 ms) for a
        regrouping that was then not done."""
        return len(q) >= 3

    def _tiers(self, q, fuzzy, syllables, prefixes, rest):  # type: ignore[override]
        """``PinyinIndex._tiers`` for queries of three letters or more only: both routes
        give the same hits, and this one is the cheaper pick on a thousand reports.
        Regrouping the starts left costs 50-80 ms; ``zfj`` (hits are pieces of words)
        scanned 35,000 starts without it, 660 with it, while ``zf`` (two letters, many
        two-character words: 政府) finds its hits after ~6,000, sooner than regrouping.

        The starts left come as a ``_Rest`` of the levels read piece by piece: the
        tiers are too (``_PiecedTiers``), their first pieces ANDed over those bits
        only; the whole masks of the levels left, of the full paths and of the word
        edges (a dozen operations on 21 M bits: 40-100 ms) are made only for a
        search that reads on."""
        if len(q) < 3:
            return None
        if not isinstance(rest, _Rest):
            return super()._tiers(q, fuzzy, syllables, prefixes, rest)
        groups = self._path_groups(q, syllables, prefixes)
        if groups is None:
            return None
        width = self._width()
        by_score: dict[float, list[tuple]] = {}
        edges_of = {edges: _EdgeOperand(self, edges) for edges in (0, WEAK)}
        for (head, last, size), flags in groups.items():
            chain = self._chain_operands(head, fuzzy, width)
            if chain is None:
                continue
            tail = None
            if last is not None:
                ops = self._constraint_operands(last, fuzzy)
                tail = None if ops is None else (ops, size - 1)
            for edges in (0, WEAK, SPLIT):
                edge = None if edges == SPLIT else (edges_of[edges], size)
                score = max(score_of(f | edges, size) for f in flags)
                whole = (head, last, size, edges)
                by_score.setdefault(score, []).append((chain, tail, edge, whole))
        scores = sorted(by_score, reverse=True)
        whole_of = partial(self._tier_whole, fuzzy)
        tiers = _PiecedTiers(self._n, [by_score[score] for score in scores], rest, whole_of)
        return [(score, None, _TierStarts(tiers, t)) for t, score in enumerate(scores)]

    def _tier_whole(self, fuzzy: bool, head: tuple, last, size: int, edges: int) -> int:
        """A group's whole mask in a tier before the starts left are ANDed (-1: every
        start), as ``PinyinIndex._tiers`` makes it, from the masks the index keeps."""
        mask = self._chain_mask(head, fuzzy, {})
        if mask == 0:
            return 0
        if last is not None:
            bits = self._shifted_bits(last, fuzzy, size - 1)
            if bits is not None:
                mask = bits if mask == -1 else mask & bits
        if edges != SPLIT and mask:
            bits = self._edge_bits(edges, size)
            mask = bits if mask == -1 else mask & bits
        return mask

    def _kept_chain(self, steps: tuple, fuzzy: bool, width: int) -> Any:
        """A path's final mask kept from an earlier keystroke, as ``_path_operands``
        gives it (None: the path holds no start); ``_MISSING`` when none is kept."""
        known = self._chain_cache().get(("chain", fuzzy, steps), _MISSING)
        if known is _MISSING:
            return _MISSING
        if known == 0:
            return None
        return (None if known is None else _IntOperand(known, width)), None, 0

    def _chain_operands(self, steps: tuple, fuzzy: bool, width: int) -> tuple | None:
        """``_path_operands`` of ``steps`` from the prefix masks kept (``_chain_mask``)."""
        kept = self._kept_chain(steps, fuzzy, width)
        if kept is not _MISSING:
            return kept
        head: _Operand | None = None
        if len(steps) > 1:
            bits = self._chain_mask(steps[:-1], fuzzy, {})
            if bits == 0:
                return None
            head = None if bits == -1 else _IntOperand(bits, width)
        return head, self._constraint_operands(steps[-1], fuzzy), len(steps) - 1

    def _chain_mask(self, steps: tuple, fuzzy: bool, chains: dict[tuple, int]) -> int:
        """``PinyinIndex._chain_mask`` kept between keystrokes in the masks of path
        prefixes (``_chain_cache``, which ``_candidates`` fills too): the regrouping
        of ``_tiers`` read the same prefixes again at every keystroke (fzz, zfj)."""
        cache = self._chain_cache()
        key = ("chain", fuzzy, steps)
        known = cache.get(key, _MISSING)
        if known is not _MISSING:
            return -1 if known is None else known  # type: ignore[return-value]
        mask = super()._chain_mask(steps, fuzzy, chains)
        cache.put(key, None if mask == -1 else mask)
        return mask

    def _shifted_bits(self, constraint: tuple[str, str], fuzzy: bool, k: int) -> int | None:
        """``PinyinIndex._shifted_bits`` kept with the masks of path prefixes
        (``_chain_cache``), where ``_candidates`` reads them: the regrouping into
        tiers (``_tier_whole``) made a second copy of the same shift in the derived
        masks (fzz: z >> 2, zfj: j >> 2; 2.6 MB each on a thousand reports)."""
        if not k:
            return self._constraint_bits(constraint, fuzzy)
        chains = self._chain_cache()
        key = ("shift", fuzzy, constraint, k)
        bits = chains.get(key, _MISSING)
        if bits is _MISSING:
            bits = self._constraint_bits(constraint, fuzzy)
            bits = None if bits is None else bits >> k
            chains.put(key, bits)
        return bits  # type: ignore[return-value]

    def _chain_cache(self) -> _Masks:
        """The masks of path prefixes and shifted steps, kept between keystrokes."""
        chains = self.__dict__.get("_chains")
        if chains is None:
            chains = self.__dict__["_chains"] = _Masks(CHAIN_CACHE_BYTES)
        return chains

    def _spaced(self, reaching: dict[int, tuple[dict, set]], fuzzy: bool) -> list[int]:
        """Starts whose first ``k`` characters match a path's first ``k`` steps
        (``reaching``: those prefixes and their masks for each ``k``, and the steps
        ``k`` that follow), then a run of transparent spaces, then a character that
        fits one of those steps; in document order.

        The character after the spaces was not checked before: on a thousand
        reports 534k starts lie before a space, and ``huaian`` scanned 2,300 of
        them in full, none with a hit. It is checked one start at a time (a few
        thousand): a bitset per step cost more than the scans it saved."""
        if not reaching:
            return []
        if fuzzy:
            starts = 0
            for k, (heads, _) in reaching.items():
                union = _union(heads.values())
                if union is None:
                    starts |= self._gap_shifted(k)
                elif union:
                    starts |= union & self._gap_shifted(k)
            return list(_positions_of(starts))
        n = self._n
        kept: set[int] = set()
        for k, (heads, steps) in reaching.items():
            # A prefix whose steps each lie within another's (hu, hua, huai within h)
            # adds no start to the union: the next letter typed mostly keeps the
            # same widest prefixes, and their listed starts (``_spaced_starts``).
            widest = frozenset(_widest(heads))
            starts, afters = self._spaced_starts(k, partial(_union, map(heads.get, widest)), widest)
            if not starts:
                continue
            fits = self._step_test(steps)
            if fits is None:
                kept.update(starts)
                continue
            found = self._spaced_kept.get((k, widest, frozenset(steps)))
            if found is None:
                found = array("I")
                for start, q in zip(starts, afters, strict=True):
                    if q < n and fits(q):
                        found.append(start)
                _put(self._spaced_kept, (k, widest, frozenset(steps)), found)
            kept.update(found)
        return sorted(kept)

    @property
    def _spaced_kept(self) -> OrderedDict:
        """``_spaced``'s starts kept per (k, prefixes, steps after them)."""
        return self.__dict__.setdefault("_spaced_kept_", OrderedDict())

    def _spaced_starts(
        self, k: int, union_of: Callable[[], int | None], heads: frozenset[tuple]
    ) -> tuple[array, array]:
        """The starts whose first ``k`` characters match one of ``heads`` (their masks'
        union is ``union``) and are followed by the first space of a run (a start
        whose hit steps over a space does so at some such ``k``), and for each the
        place after the run; kept per (k, heads): listing a few thousand starts from
        a 21 M-bit integer cost each keystroke ~10 ms, and the next letter typed
        mostly has the same prefixes (hua, huai, huaia: hu-)."""
        cache = self.__dict__.setdefault("_spaced_starts_", OrderedDict())
        got = cache.get((k, heads))
        if got is not None:
            cache.move_to_end((k, heads))
            return got
        starts = self._firsts_shifted(self._run_firsts(), k)
        union = union_of()  # made only now: the heads' masks ORed
        if union is not None:
            starts &= union
        listed = array("I", _positions_of(starts))
        afters = array("I")
        gaps = self._gaps
        for start in listed:
            q = start + k + 1
            while q in gaps:  # the place after the run (most runs are one space)
                q += 1
            afters.append(q)
        got = (listed, afters)
        _put(cache, (k, heads), got)
        return got

    def _run_firsts(self) -> int:
        """The bitset of the first space of each run of transparent spaces (three
        operations on the spaces' bitset), kept."""
        key = ("run-firsts", "", False)
        mask = self._derived_bits(key)
        if mask is None:
            gaps = self._gap_bits
            mask = gaps ^ (gaps & (gaps << 1))
            self._remember_bits(key, mask, derived=True)
        return mask

    def _firsts_shifted(self, firsts: int, k: int) -> int:
        """The first spaces of the runs (``_run_firsts``) shifted right by ``k``, kept."""
        key = ("run-firsts", str(k), False)
        mask = self._derived_bits(key)
        if mask is None:
            mask = firsts >> k
            self._remember_bits(key, mask, derived=True)
        return mask

    def _step_test(self, steps: set[tuple[str, str]]):
        """A test of position ``q`` against any of ``steps``, by the character's folded
        form and reading keys: never False where a step's bitset holds ``q``
        (``_constraint_bits``); None when a step matches anything. Kept between
        keystrokes with what it learnt of each reading key (fz, fzz, zf test the
        same steps after a space: a few thousand keys each time)."""
        if any(kind == "any" for kind, _ in steps):
            return None
        tests = self.__dict__.setdefault("_step_tests", OrderedDict())
        key = frozenset(steps)
        fits = tests.get(key)
        if fits is None:
            fits = tests[key] = self._new_step_test(steps)
            if len(tests) > _STEP_TESTS_KEPT:
                tests.popitem(last=False)
        else:
            tests.move_to_end(key)
        return fits

    def _new_step_test(self, steps: set[tuple[str, str]]):
        """``_step_test`` made anew."""
        rid, sets = self._rid, self._sets
        literal = frozenset(text for kind, text in steps if kind == "lit" or kind == "pre")
        exact = frozenset(text for kind, text in steps if kind == "eq")
        prefixes = tuple(text for kind, text in steps if kind == "pre")
        memo: dict[int, bool] = {}
        # The file's code units, read without a method call per character.
        units = getattr(self._fold, "_units", None)
        at = self._fold if units is None else units
        if units is not None:
            literal = frozenset(ord(text) for text in literal if len(text) == 1)  # type: ignore[assignment]

        def fits(q: int) -> bool:
            if at[q] in literal:
                return True
            kid = rid[q]
            known = memo.get(kid)
            if known is None:
                entries = sets[kid]
                known = memo[kid] = any(e[0] in exact or e[0].startswith(prefixes) for e in entries)
            return known

        return fits

    def _weak_ends(self, size: int) -> int:
        """Starts ``p`` where a hit of ``size`` characters has a weak word edge
        (``_edge``: a boundary, not a sure one) at its start or its end; kept."""
        key = ("weak-ends", str(size), False)
        mask = self._derived_bits(key)
        if mask is None:
            weak = self._edge_base(WEAK) ^ self._edge_base(0)
            mask = weak | (weak >> size)
            self._remember_bits(key, mask, derived=True)
        return mask

    def _gap_shifted(self, k: int) -> int:
        """The transparent spaces' bitset shifted right by ``k``, kept per index."""
        key = ("gap", str(k), False)
        mask = self._derived_bits(key)
        if mask is None:
            mask = self._gap_bits >> k
            self._remember_bits(key, mask, derived=True)
        return mask


_MISSING = object()
#: Lists of spaced starts kept (``_spaced_starts``, ``_spaced_kept``): each an array of
#: a few thousand positions at most (70k on a thousand reports: 280 KB).
_SPACED_KEPT = 48


def _union(masks: Iterable[int | None]) -> int | None:
    """The OR of ``masks`` (None: every start, if any is None)."""
    union = 0
    for mask in masks:
        if mask is None:
            return None
        union |= mask
    return union


def _step_within(inner: tuple[str, str], outer: tuple[str, str]) -> bool:
    """Whether every place that fits step ``inner`` fits ``outer`` (exact readings,
    not fuzzy): a syllable prefix holds the syllables and prefixes that extend it,
    a letter (its symbol's bitset: readings that start with it, and the letter in
    the text) its Latin letter too; "any" holds everything."""
    if inner == outer or outer[0] == "any":
        return True
    kind, text = outer
    if kind != "pre":
        return False
    inner_kind, inner_text = inner
    if inner_kind in ("pre", "eq"):
        return inner_text.startswith(text)
    return inner_kind == "lit" and inner_text == text and len(text) == 1


def _widest(heads: Iterable[tuple]) -> list[tuple]:
    """The prefixes of ``heads`` (each a tuple of steps, all of one length) that lie
    within no other one, step by step (``_step_within``): their masks' union is
    that of all of ``heads``."""
    heads = list(heads)
    return [
        head
        for head in heads
        if not any(other != head and all(map(_step_within, head, other)) for other in heads)
    ]


def _put(cache: OrderedDict, key: tuple, value: object) -> None:
    cache[key] = value
    while len(cache) > _SPACED_KEPT:
        cache.popitem(last=False)


class _FirstPlaces:
    """The index's lazy map of Latin places with ``key`` cut to ``first`` (see
    ``LibraryCandidates._single``); every other key as it is."""

    __slots__ = ("_first", "_key", "_whole")

    def __init__(self, whole, key: str, first: list[int]) -> None:
        self._whole, self._key, self._first = whole, key, first

    def get(self, key, default=None):
        return self._first if key == self._key else self._whole.get(key, default)

    def __contains__(self, key) -> bool:
        return key in self._whole


class _Masks:
    """An LRU of masks (``None`` allowed: no filter) holding at most ``budget`` bytes."""

    def __init__(self, budget: int) -> None:
        self._items: OrderedDict[tuple, int | None] = OrderedDict()
        self._budget, self._held = budget, 0

    def get(self, key: tuple, default: object = None) -> object:
        value = self._items.get(key, default)
        if value is not default:
            self._items.move_to_end(key)
        return value

    def put(self, key: tuple, mask: int | None) -> None:
        old = self._items.pop(key, None)
        if old is not None:
            self._held -= _size(old)
        self._items[key] = mask
        self._held += _size(mask)
        while self._held > self._budget and len(self._items) > 1:
            _, dropped = self._items.popitem(last=False)
            self._held -= _size(dropped)


def _size(mask: int | None) -> int:
    return 32 if mask is None else 32 + (mask.bit_length() >> 3)
