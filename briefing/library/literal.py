"""A limited search of several hanzi (or digits, signs) on the library's combined index.

``PinyinIndex._literal`` looks at each place of the text in turn and stops once
``limit`` hits are whole words (they all tie: the first ones win). A phrase that
is never a whole word (``法治政``: always inside 法治政府) never stops: on a
thousand reports it classed its 100k places one by one, 100-150 ms a keystroke.

Here the first places are looked at the same way, for a short while (most
queries stop there); then the rest are taken from bitsets: the places of the
phrase (its characters' bitsets, shifted and ANDed: common ones are saved in the
file) split by word edges at both ends into the classes ``_edge`` gives, and from
each class the first ``limit`` places in document order, best class first. Any
hit of the full ranking's head is among them: a later one of its class has
``limit`` hits of the same score before it. Places that step over a transparent
space are few and are all looked at.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Sequence
from typing import Protocol

from briefing.search.index import _edge, _positions_of, literal_flags
from briefing.search.query import SPLIT, WEAK, score_of

#: Places looked at one by one before the rest is taken from bitsets: ``2 * limit``
#: and this many (as ``PinyinIndex._pinyin`` scans a level before regrouping it).
FIRST_PLACES = 64


class _Index(Protocol):
    _inner: bytes

    def _sure(self) -> bytes: ...
    def _char_bits(self, ch: str) -> int: ...
    def _edge_bits(self, edges: int, size: int) -> int: ...
    def _weak_ends(self, size: int) -> int: ...


def limited_literal(
    index: _Index,
    q: str,
    spans: Iterable[tuple[int, int]],
    spaced: Callable[[], Sequence[tuple[int, int]]],
    found: dict[tuple[int, int], int],
    limit: int,
) -> None:
    """The hits of ``q`` (two characters or more) that a search limited to ``limit``
    can return, into ``found``. ``spans``: every place of ``q`` in document order
    (plain and over spaces, lazily); ``spaced``: those over spaces only."""
    flags = literal_flags(q)
    breaks, sure = index._inner, index._sure()
    whole = 0
    kept: dict[int, int] = {}
    budget = 2 * limit + FIRST_PLACES
    last = -1
    for start, end in spans:
        if not budget:
            break
        budget -= 1
        last = start
        edges = _edge(breaks, sure, start) | _edge(breaks, sure, end)
        if not edges:
            found[(start, end)] = flags
            whole += 1
            if whole >= limit:
                return  # whole-word hits tie: the first ones win
        elif kept.get(edges, 0) < limit:
            found[(start, end)] = flags | edges
            kept[edges] = kept.get(edges, 0) + 1
    else:
        return  # every place looked at
    for start, end in spaced():
        if start > last:
            edges = _edge(breaks, sure, start) | _edge(breaks, sure, end)
            found[(start, end)] = flags | edges
    _rest_from_bits(index, q, flags, last, found, limit)


def _rest_from_bits(
    index: _Index, q: str, flags: int, last: int, found: dict[tuple[int, int], int], limit: int
) -> None:
    """The first ``limit`` plain places after ``last`` of each edge class, best first,
    until ``limit`` hits in ``found`` outrank the next class."""
    size = len(q)
    places = 0
    for k, ch in enumerate(q):
        bits = index._char_bits(ch) >> k
        places = bits if not k else places & bits
        if not places:
            return
    places = places >> (last + 1) << (last + 1)
    if not places:
        return
    classes: dict[int, Callable[[], int]] = {}
    memo: dict[str, int] = {}

    def both_bounded() -> int:  # both ends at a word boundary, sure or not
        if "bounded" not in memo:
            memo["bounded"] = places & index._edge_bits(WEAK, size)
        return memo["bounded"]

    def split() -> int:  # at least one end inside a word
        if "split" not in memo:
            memo["split"] = places ^ both_bounded()
        return memo["split"]

    def weak_split() -> int:
        if "weak_split" not in memo:
            memo["weak_split"] = split() & index._weak_ends(size)
        return memo["weak_split"]

    classes[0] = lambda: places & index._edge_bits(0, size)
    classes[WEAK] = lambda: both_bounded() ^ (both_bounded() & index._edge_bits(0, size))
    classes[SPLIT | WEAK] = weak_split
    classes[SPLIT] = lambda: split() ^ weak_split()
    for edges in sorted(classes, key=lambda e: -score_of(flags | e, size)):
        score = score_of(flags | edges, size)
        above = sum(1 for (s, e), f in found.items() if score_of(f, e - s) > score)
        if above >= limit:
            return
        for p in itertools.islice(_positions_of(classes[edges]()), limit):
            found.setdefault((p, p + size), flags | edges)
