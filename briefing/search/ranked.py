"""The hits of ``PinyinIndex.search``: ranked at search time, each ``Match`` built on demand.

Why: a one-letter query on the bundled report has ~500 hits, and building a
``Match`` for each (about a microsecond apiece) was half of the query's time
and most of its p99, while callers look at a few (the best ``limit``, the
first hit per text, what fits on a screen). The order is fixed when the
search runs; only the objects wait until they are asked for.

Ranking sorts one ``int`` per hit instead of a tuple with a float in it: the
key packs (score descending, start, end) with the flags in its low bits, so a
single C sort of ints gives the order of ``(-score, start, end)`` (a span is a
hit once, so the flags never decide). The key also carries everything a
``Match`` is built from.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, overload

from briefing.model import Match
from briefing.search.query import kind_of, score_of

if TYPE_CHECKING:
    from briefing.search.index import PinyinIndex

#: Low bits of a key that hold the flags (``query.py`` uses the low ten).
FLAG_BITS = 16
_FLAG_MASK = (1 << FLAG_BITS) - 1
#: Scores are under 1000 and rounded to 6 decimals (``query.score_of``): as
#: millionths they are exact integers below this.
_SCORE_SPAN = 10**9


def rank_keys(
    found: dict[tuple[int, int], int], size: int, limit: int | None = None, first: int = 0
) -> list[int]:
    """One key per hit of ``found`` (span -> flags) starting at ``first`` or later, best
    first (ties by start, then end), at most ``limit`` of them; ``size`` bounds every
    position (the text's length)."""
    bits = max(size, 1).bit_length()
    end_shift = FLAG_BITS
    start_shift = FLAG_BITS + bits
    score_shift = FLAG_BITS + 2 * bits
    high: dict[tuple[int, int], int] = {}
    keys: list[int] = []
    append = keys.append
    get = high.get
    for (start, end), flags in found.items():
        if start < first:
            continue
        length = end - start
        top = get((flags, length))
        if top is None:
            millionths = round(score_of(flags, length) * 1_000_000)
            top = high[(flags, length)] = (_SCORE_SPAN - millionths) << score_shift | flags
        append(top | start << start_shift | end << end_shift)
    keys.sort()
    if limit is not None:
        del keys[limit:]
    return keys


class RankedHits(Sequence[Match]):
    """The ranked hits of one search as a read-only sequence of ``Match``.

    Compares equal to a list of the same matches; a slice is a ``list``. Each
    ``Match`` is built when it is read (the keys of ``rank_keys`` hold all
    it needs), so ``len`` and the first few cost nothing per hit.
    """

    __slots__ = ("_bits", "_index", "_keys")

    def __init__(self, index: PinyinIndex, keys: list[int]) -> None:
        self._index = index
        self._keys = keys
        self._bits = max(index.size, 1).bit_length()

    def __len__(self) -> int:
        return len(self._keys)

    @overload
    def __getitem__(self, i: int) -> Match: ...

    @overload
    def __getitem__(self, i: slice) -> list[Match]: ...

    def __getitem__(self, i: int | slice) -> Match | list[Match]:
        if isinstance(i, slice):
            return self._build(self._keys[i])
        return self._build([self._keys[i]])[0]

    def __iter__(self) -> Iterator[Match]:
        keys = self._keys
        for at in range(0, len(keys), 64):  # a chunk at a time: a caller may stop early
            yield from self._build(keys[at : at + 64])

    def __eq__(self, other: object) -> bool:
        if isinstance(other, RankedHits):
            return list(self) == list(other)
        if isinstance(other, (list, tuple)):
            return list(self) == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # equal to a list, so unhashable as one

    def __add__(self, other: Sequence[Match]) -> list[Match]:
        return [*self, *other]

    def __radd__(self, other: Sequence[Match]) -> list[Match]:
        return [*other, *self]

    def __repr__(self) -> str:
        return f"RankedHits({list(self)!r})"

    def _build(self, keys: list[int]) -> list[Match]:
        """The ``Match`` of each key (the hot loop of a caller that reads them all)."""
        index = self._index
        starts, ids, body = index._starts, index._ids, index._body
        bits = self._bits
        mask = (1 << bits) - 1
        start_shift = FLAG_BITS + bits
        out: list[Match] = []
        append = out.append
        new = object.__new__
        info: dict[tuple[int, int], tuple[str, float]] = {}
        for key in keys:
            flags = key & _FLAG_MASK
            end = key >> FLAG_BITS & mask
            start = key >> start_shift & mask
            kind_score = info.get((flags, end - start))
            if kind_score is None:
                kind_score = info[(flags, end - start)] = (
                    kind_of(flags),
                    score_of(flags, end - start),
                )
            k = bisect_right(starts, start) - 1
            base = starts[k]
            match = new(Match)  # ``index._new_match``, inlined: a frozen __init__ costs double
            fields = match.__dict__
            fields["section"] = ids[k]
            fields["start"] = start - base
            fields["end"] = end - base
            fields["text"] = body[start:end]
            fields["kind"] = kind_score[0]
            fields["score"] = kind_score[1]
            append(match)
        return out
