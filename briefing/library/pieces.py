"""Bitsets read one piece at a time, in document order, for the library's candidate
filter (``candidates.py``).

A limited search on a thousand reports mostly stops within the first few hundred
thousand characters of 21 M, so the operands it ANDs and ORs (saved bitsets, the
symbols' bytes, masks kept whole) are read one piece (``saved_bits.PIECE``) at a
time for the first ``EARLY_PIECES`` pieces, then whole: the one-syllable streams
(``_Pieced``), a multi-letter query's levels (``_PiecedLevels``) and their
regrouping into tiers (``_PiecedTiers``). Each class gives the same bits as the
whole masks would; only fewer are made.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Iterator
from functools import partial
from typing import TYPE_CHECKING

from briefing.library.saved_bits import PIECE, Pieces
from briefing.search.index import _byte_positions

if TYPE_CHECKING:
    from briefing.library.candidates import LibraryCandidates


class _Operand:
    """A bitset read one piece at a time (``saved_bits.PIECE`` bytes: piece ``i`` holds
    bits ``[i * PIECE * 8, (i + 1) * PIECE * 8)``), or any stretch of its bits."""

    def piece(self, i: int) -> int:
        return self.span(i * _PIECE_BITS, _PIECE_BITS)

    def whole(self) -> int:
        """The whole bitset (a search that reads on past ``EARLY_PIECES``)."""
        raise NotImplementedError

    def span(self, low: int, size: int) -> int:
        """Bits ``[low, low + size)``, as an integer."""
        if size > 2 * _PIECE_BITS:  # the whole, or most of it
            return (self.whole() >> low) & ((1 << size) - 1)
        first, last = low // _PIECE_BITS, (low + size - 1) // _PIECE_BITS
        bits = 0
        for i in range(last, first - 1, -1):
            bits = (bits << _PIECE_BITS) | self.piece(i)
        return (bits >> (low - first * _PIECE_BITS)) & ((1 << size) - 1)


def _bytes_span(raw: bytes | memoryview, low: int, size: int) -> int:
    """Bits ``[low, low + size)`` of the little-endian bitset ``raw``."""
    bits = int.from_bytes(raw[low >> 3 : (low + size + 7) >> 3], "little")
    return (bits >> (low & 7)) & ((1 << size) - 1)


class _IntOperand(_Operand):
    """A bitset at hand whole: its first stretches cut with an AND (in time of the
    stretch), the others from its bytes, made once."""

    __slots__ = ("_bits", "_raw", "_width")

    def __init__(self, bits: int, width: int) -> None:
        self._bits, self._width = bits, width
        self._raw: bytes | None = None

    def piece(self, i: int) -> int:
        if not i:
            return self._bits & _PIECE_MASK
        return self.span(i * _PIECE_BITS, _PIECE_BITS)

    def whole(self) -> int:
        return self._bits

    def span(self, low: int, size: int) -> int:
        if low + size <= (EARLY_PIECES + 1) * _PIECE_BITS:  # the first pieces, shifted
            return (self._bits & ((1 << (low + size)) - 1)) >> low
        if size > 2 * _PIECE_BITS:
            return (self._bits >> low) & ((1 << size) - 1)
        if self._raw is None:
            self._raw = self._bits.to_bytes(self._width, "little")
        return _bytes_span(self._raw, low, size)


class _RawOperand(_Operand):
    """A bitset whose bytes lie in the file as they are (a symbol's: ``_SavedBits.raw``;
    the level masks'); whole from ``whole_of`` if given (made once, kept by the
    index), else from the bytes."""

    __slots__ = ("_raw", "_whole_of")

    def __init__(self, raw: memoryview, whole_of: Callable[[], int] | None = None) -> None:
        self._raw, self._whole_of = raw, whole_of

    def whole(self) -> int:
        if self._whole_of is not None:
            return self._whole_of()
        return int.from_bytes(self._raw, "little")

    def span(self, low: int, size: int) -> int:
        return _bytes_span(self._raw, low, size)


class _SavedOperand(_Operand):
    """A bitset saved in the file, inflated piece by piece (each kept while the search
    lasts); built whole (``build``) if a piece is damaged."""

    __slots__ = ("_build", "_got", "_pieces", "_whole", "_width")

    def __init__(self, pieces: Pieces, build: Callable[[], int], width: int) -> None:
        self._pieces, self._build, self._width = pieces, build, width
        self._whole: _IntOperand | None = None
        self._got: dict[int, int] = {}

    def piece(self, i: int) -> int:
        if i >= self._pieces.count:
            return 0
        if self._whole is None:
            got = self._got.get(i)
            if got is not None:
                return got
            raw = self._pieces.raw(i)
            if raw is not None:
                got = self._got[i] = int.from_bytes(raw, "little")
                return got
            self._whole = _IntOperand(self._build(), self._width)
        return self._whole.piece(i)

    def whole(self) -> int:
        """Built by the index (``build``: read whole and kept between keystrokes)."""
        if self._whole is None:
            self._whole = _IntOperand(self._build(), self._width)
        return self._whole.whole()


class _Pieced:
    """The OR of one score's operands split by the level masks into the characters
    that are a word by themselves, weakly so, or inside a word; each part's
    positions listed piece by piece, in document order, as a search reads them."""

    ALL, WORD, WEAK, INSIDE = 0, 1, 2, 3

    def __init__(
        self, operands: list[_Operand], masks: tuple[_Operand, _Operand] | None, width: int
    ) -> None:
        self._operands, self._masks = operands, masks
        self._count = -(-width // PIECE)
        self._parts: dict[tuple[int, int], int] = {}

    def part(self, which: int, i: int) -> int:
        """Part ``which`` of piece ``i`` (the pieces are kept: three parts read them)."""
        got = self._parts.get((which, i))
        if got is not None:
            return got
        if which == self.ALL or self._masks is None:
            got = 0
            for operand in self._operands:
                got |= operand.piece(i)
        elif which == self.INSIDE:
            whole = self.part(self.ALL, i)
            got = whole ^ self.part(self.WORD, i) ^ self.part(self.WEAK, i)
        else:
            got = self.part(self.ALL, i) & self._masks[0 if which == self.WORD else 1].piece(i)
        self._parts[(which, i)] = got
        return got

    def positions(self, which: int) -> Iterator[int]:
        """Part ``which``'s positions: the first ``EARLY_PIECES`` pieces one by one, the
        rest from the whole bitsets (a stream read that far is read through)."""
        return _pieced_positions(
            partial(self.part, which), self._count, None, partial(self.whole, which)
        )

    def whole(self, which: int) -> int:
        """Part ``which`` of the whole bitsets (``_Split``'s work, as it was)."""
        got = self._parts.get((which, -1))
        if got is not None:
            return got
        if which == self.ALL or self._masks is None:
            got = 0
            for operand in self._operands:
                got |= operand.whole()
        elif which == self.INSIDE:
            whole = self.whole(self.ALL)
            got = whole ^ self.whole(self.WORD) ^ self.whole(self.WEAK)
        else:
            got = self.whole(self.ALL) & self._masks[0 if which == self.WORD else 1].whole()
        self._parts[(which, -1)] = got
        return got


def _pieced_positions(
    piece: Callable[[int], int], count: int, bits: int | None, whole: Callable[[], int]
) -> Iterator[int]:
    """The set bits of a bitset read in pieces: the first ``EARLY_PIECES`` of its
    ``count`` pieces one by one (``piece(j)``), then, if the reader goes on, the
    rest from the whole bitset (``whole()``, made only then). ``bits``: how many
    bits there are, when pieces past them may not be asked for."""
    for j in range(min(EARLY_PIECES, count)):
        base = j * _PIECE_BITS
        if bits is not None and base >= bits:
            return
        found = piece(j)
        if found:
            for p in _byte_positions(found.to_bytes(PIECE, "little"), 0):
                yield base + p
    if count > EARLY_PIECES:
        yield from _positions_after(whole(), EARLY_PIECES * PIECE)


def _positions_after(bits: int, first: int) -> Iterator[int]:
    """The set bits of ``bits`` from byte ``first`` on, in order."""
    size = (bits.bit_length() + 7) >> 3
    if size > first:
        yield from _byte_positions(bits.to_bytes(size, "little"), first)


#: Pieces a limited search reads one by one before it takes the rest whole: most
#: stop in the first (512K characters); one that reads on is reading a sparse level
#: or stream through, and forty pieces cost more than one pass over 21 M bits.
EARLY_PIECES = 2


_PIECE_BITS = PIECE * 8
_PIECE_MASK = (1 << _PIECE_BITS) - 1


class _LevelMasks:
    """The masks of a query's levels, best first, each computed when the search first
    reads it; a start is in the best level whose paths reach it (``mask & taken``
    removed), as if all were computed at once."""

    def __init__(self, n: int, taken: int, groups: list[list[tuple]], mask_of) -> None:
        self._n, self._taken, self._groups, self._mask_of = n, taken, groups, mask_of
        self._masks: list[int] = []

    def mask(self, i: int) -> int:
        while len(self._masks) <= i:
            mask = 0
            for steps in self._groups[len(self._masks)]:
                final = self._mask_of(steps, len(steps))
                mask |= (1 << self._n) - 1 if final is None else final
            mask ^= mask & self._taken  # not ``& ~taken``: inverting a big int costs 40 ANDs
            self._taken |= mask
            self._masks.append(mask)
        return self._masks[i]


class _PiecedLevels:
    """The levels of ``_LevelMasks`` read one piece at a time (``saved_bits.PIECE``:
    512K characters), in document order: a limited search that stops in the
    first pieces of its first levels ANDs and ORs its paths' bitsets over those
    only (a dozen operations on 21 M-bit integers per level were 10-40 ms of a
    two-letter keystroke). Piece ``j`` of level ``i`` is, as ``_LevelMasks``
    makes the whole, the OR of its paths' piece ``j`` less the earlier levels'."""

    def __init__(self, n: int, groups: list[list[tuple]], operands_of) -> None:
        self._n, self._groups, self._operands_of = n, groups, operands_of
        self._count = -(-((n >> 3) + 1) // PIECE)
        self._paths: dict[int, list] = {}
        self._pieces: dict[tuple[int, int], int] = {}

    def _path_list(self, i: int) -> list:
        paths = self._paths.get(i)
        if paths is None:
            paths = [self._operands_of(steps) for steps in self._groups[i]]
            paths = self._paths[i] = [path for path in paths if path is not None]
        return paths

    def piece(self, i: int, j: int) -> int:
        got = self._pieces.get((i, j))
        if got is not None:
            return got
        taken = 0
        for before in range(i):
            taken |= self.piece(before, j)
        low = j * _PIECE_BITS
        size = min(_PIECE_BITS, self._n - low)
        full = (1 << size) - 1
        mask = 0
        for chain in self._path_list(i):
            mask |= _chain_span(chain, low, size, full)
            if mask == full:
                break
        mask ^= mask & taken
        self._pieces[(i, j)] = mask
        return mask

    def positions(self, i: int, whole: _LevelMasks) -> Iterator[int]:
        """Level ``i``'s starts: the first ``EARLY_PIECES`` pieces one by one, the rest
        from the level's whole mask (``whole``, which the regrouping reads too)."""
        return _pieced_positions(
            partial(self.piece, i), self._count, self._n, partial(whole.mask, i)
        )


class _LazyMask:
    """The bitset of level ``i`` of a ``_PiecedLevels``, less the spaced starts, read
    only if the search regroups the starts left by where their hits can end
    (``PinyinIndex._tiers``, after ``2 * limit + 64`` starts without enough hits at
    the level's bound: a query typed halfway through a word, ``zfj``). Offers what
    ``_pinyin`` does with it: the starts left (``mask >> k << k | later``) come as a
    ``_Rest``, which the library's regrouping (``_PiecedTiers``) ANDs piece by piece
    (its whole tiers are not ANDed with it: the search skips starts scanned twice)."""

    __slots__ = ("_i", "_pieced", "_spaced", "_state")

    def __init__(self, state: _LevelMasks, i: int, pieced: _PiecedLevels, spaced: list[int]):
        self._state, self._i, self._pieced, self._spaced = state, i, pieced, spaced

    def __bool__(self) -> bool:
        """True: what the search ORs an empty level into gains nothing from it, and
        telling an empty one would make its whole mask."""
        return True

    def __rshift__(self, k: int) -> _Cut:
        return _Cut(self, k)

    def __or__(self, other: object) -> _Rest:
        return _Rest.of(self, 0) | other

    __ror__ = __or__


class _Cut:
    """``level >> k``, waiting for its ``<< k``: the level's starts from ``k`` on."""

    __slots__ = ("_k", "_level")

    def __init__(self, level: _LazyMask, k: int) -> None:
        self._level, self._k = level, k

    def __lshift__(self, k: int) -> _Rest:
        if k != self._k:
            raise ValueError("a level is cut and put back by the same shift")
        return _Rest.of(self._level, k)


class _Rest:
    """The starts a search left when it regroups (``PinyinIndex._pinyin``): each part a
    level's, less the spaced starts, from its first bit on; one piece at a time."""

    __slots__ = ("_parts",)

    def __init__(self, parts: tuple[tuple[_LazyMask, int], ...]) -> None:
        self._parts = parts

    @classmethod
    def of(cls, level: _LazyMask, first: int) -> _Rest:
        return cls(((level, first),))

    def __or__(self, other: object) -> _Rest:
        if isinstance(other, _Rest):
            return _Rest(self._parts + other._parts)
        if isinstance(other, _LazyMask):
            return _Rest((*self._parts, (other, 0)))
        if other == 0:
            return self
        raise TypeError("a level's starts are ORed with levels only")

    __ror__ = __or__

    def piece(self, j: int) -> int:
        low = j * _PIECE_BITS
        bits = 0
        for level, first in self._parts:
            part = level._pieced.piece(level._i, j)
            spaced = _spaced_piece(level._spaced, low)
            part ^= part & spaced
            if first > low:
                part = part >> (first - low) << (first - low)
            bits |= part
        return bits


def _spaced_piece(spaced: list[int], low: int) -> int:
    """The bits of piece ``[low, low + piece)`` of the sorted positions ``spaced``."""
    bits = 0
    for p in spaced[bisect_left(spaced, low) : bisect_left(spaced, low + _PIECE_BITS)]:
        bits |= 1 << (p - low)
    return bits


class _EdgeOperand(_Operand):
    """The word boundaries (``edges`` 0: the sure ones) as ``_edge_base`` makes them:
    a piece from the file's bytes, the whole kept by the index."""

    __slots__ = ("_edges", "_index")

    def __init__(self, index: LibraryCandidates, edges: int) -> None:
        self._index, self._edges = index, edges

    def whole(self) -> int:
        return self._index._edge_base(self._edges)

    def span(self, low: int, size: int) -> int:
        if size > 2 * _PIECE_BITS:
            return (self.whole() >> low) & ((1 << size) - 1)
        index = self._index
        bits = _bytes_span(index._inner, low, size)
        if not self._edges:
            bits &= _bytes_span(index._sure_bits or index._sure(), low, size)
        return bits


class _PiecedTiers:
    """``PinyinIndex._tiers``'s levels read one piece at a time, then whole (as
    ``_PiecedLevels``): each group of full paths ANDs its first three steps, its
    last step, the starts left (``_Rest``) and, per tier, the word edges, over
    one piece; tiers best first, a start in the best that holds it."""

    def __init__(self, n: int, tiers: list[list[tuple]], rest: _Rest, whole_of) -> None:
        self._n, self._tiers, self._rest, self._whole_of = n, tiers, rest, whole_of
        self._count = -(-((n >> 3) + 1) // PIECE)
        self._pieces: dict[tuple[int, int], int] = {}
        self._rests: dict[int, int] = {}

    def _compute(self, t: int, low: int, size: int, rest: int, taken: int) -> int:
        full = (1 << size) - 1
        mask = 0
        for chain, tail, edge, _ in self._tiers[t]:
            bits = _chain_span(chain, low, size, full) & rest
            if tail is not None and bits:
                ops, k = tail
                step = 0
                for operand in ops:
                    step |= operand.span(low + k, size)
                bits &= step
            if edge is not None and bits:
                operand, k = edge
                bits &= operand.span(low, size) & operand.span(low + k, size)
            mask |= bits
        return mask ^ (mask & taken)

    def piece(self, t: int, j: int) -> int:
        got = self._pieces.get((t, j))
        if got is None:
            rest = self._rests.get(j)
            if rest is None:
                rest = self._rests[j] = self._rest.piece(j)
            taken = 0
            for before in range(t):
                taken |= self.piece(before, j)
            low = j * _PIECE_BITS
            size = min(_PIECE_BITS, self._n - low)
            got = self._pieces[(t, j)] = self._compute(t, low, size, rest, taken) if rest else 0
        return got

    def whole(self, t: int) -> int:
        """Tier ``t`` whole, not ANDed with the starts left: making those whole made
        every level's whole mask (10-20 ms of ``zfj``, ``fzz``, ``huaian``); the
        search skips the starts it has scanned (``PinyinIndex._TIERS_MAY_REPEAT``),
        and a start in no level has no hit."""
        got = self._pieces.get((t, -1))
        if got is None:
            taken = 0
            for before in range(t):
                taken |= self.whole(before)
            mask = 0
            for *_, key in self._tiers[t]:
                bits = self._whole_of(*key)
                mask |= (1 << self._n) - 1 if bits == -1 else bits
            got = self._pieces[(t, -1)] = mask ^ (mask & taken)
        return got

    def positions(self, t: int) -> Iterator[int]:
        """Tier ``t``'s starts, as ``_pieced_positions`` reads them."""
        return _pieced_positions(
            partial(self.piece, t), self._count, self._n, partial(self.whole, t)
        )


def _chain_span(chain: tuple, low: int, size: int, full: int) -> int:
    """Bits ``[low, low + size)`` of a path's mask given as ``_path_operands`` gives it."""
    head, last, k = chain
    bits = full if head is None else head.span(low, size)
    if last is not None and bits:
        step = 0
        for operand in last:
            step |= operand.span(low + k, size)
        bits &= step
    return bits


class _TierStarts:
    """The starts of tier ``t`` of a ``_PiecedTiers``, in document order, on iteration."""

    __slots__ = ("_t", "_tiers")

    def __init__(self, tiers: _PiecedTiers, t: int) -> None:
        self._tiers, self._t = tiers, t

    def __iter__(self) -> Iterator[int]:
        return self._tiers.positions(self._t)


class _LazyLevel:
    """The starts of level ``i`` of a ``_PiecedLevels`` (the rest from ``whole``), in
    document order, on iteration; those in ``skip`` (the spaced starts, scanned
    first) are left out."""

    __slots__ = ("_i", "_skip", "_state", "_whole")

    def __init__(
        self, state: _PiecedLevels, whole: _LevelMasks, i: int, skip: frozenset[int]
    ) -> None:
        self._state, self._whole, self._i, self._skip = state, whole, i, skip

    def __iter__(self) -> Iterator[int]:
        starts = self._state.positions(self._i, self._whole)
        if not self._skip:
            return starts
        skip = self._skip
        return (p for p in starts if p not in skip)
