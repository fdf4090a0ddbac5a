"""Ranking: words before fragments (issue 11 §1).

Within a kind, a hit that is a word ranks above one that is a word only less
surely (``WEAK``: a word inside a compound, a one-character piece the segmenter
may have split off), and both above a fragment, whatever their lengths; one
that crosses punctuation or a line break ranks after all of them.
"""

from __future__ import annotations

import itertools
from array import array
from pathlib import Path

import pytest

from briefing.model import Metadata, Report, Section
from briefing.parse import parse_report
from briefing.search import PinyinIndex
from briefing.search.index import _sure_breaks
from briefing.search.query import (
    ALT,
    CROSS,
    FULL,
    HANZI,
    INITIAL,
    KIND_BASE,
    PARTIAL,
    SPLIT,
    WEAK,
    kind_of,
    score_of,
)
from briefing.search.words import one_char_levels, word_breaks

LENGTHS = range(1, 13)
KIND_FLAGS = [HANZI, FULL, FULL | INITIAL, INITIAL, INITIAL | ALT]


def make_report(*texts: str) -> Report:
    sections = tuple(Section(str(k), 1, "", f"s{k}", None, text) for k, text in enumerate(texts))
    return Report(Metadata(title="rank"), sections, sha256="rank-" + "|".join(texts))


def first_texts(texts: tuple[str, ...], query: str, n: int, limit: int | None = None) -> list:
    hits = PinyinIndex.build(make_report(*texts)).search(query, limit=limit)
    return [m.text for m in hits[:n]]


@pytest.mark.parametrize("kind", KIND_FLAGS)
def test_word_levels_outrank_length(kind):
    """A word of any length before a weak word of any length before a fragment."""
    for extra in (0, PARTIAL):
        whole = [score_of(kind | extra, n) for n in LENGTHS]
        weak = [score_of(kind | extra | WEAK, n) for n in LENGTHS]
        split = [score_of(kind | extra | SPLIT, n) for n in LENGTHS]
        assert min(whole) > max(weak) and min(weak) > max(split)


@pytest.mark.parametrize("kind", KIND_FLAGS)
def test_crossing_ranks_below_any_clean_span(kind):
    clean = [score_of(kind | f, n) for f in (0, WEAK, SPLIT, PARTIAL | SPLIT) for n in LENGTHS]
    cross = [score_of(kind | CROSS | f, n) for f in (0, WEAK, PARTIAL) for n in LENGTHS]
    assert min(clean) > max(cross)


def test_kinds_stay_apart():
    """Nothing within a kind reaches the next kind up (the 10 between kinds)."""
    extras = [0, CROSS, WEAK, SPLIT, PARTIAL, CROSS | SPLIT | PARTIAL]
    for flags, n in itertools.product([k | e for k in KIND_FLAGS for e in extras], LENGTHS):
        base = KIND_BASE[kind_of(flags)]
        assert base < score_of(flags, n) < base + 10


CASES = [
    # query, section texts, the first hits in order
    # 社会 inside 社会主义 is a word of a compound: before 设 in 建设, 市 in 城市
    ("sh", ("建设城市。", "坚持社会主义道路。"), ["社会"]),
    # 市 alone before 是 in 一是 (a one-character piece beside another)
    ("sh", ("一是切实履行职责。", "省、市两级"), ["省", "市", "是"]),
    # 式 ends 中国式 beside the word 中国: before 实 and 施 inside 实施
    ("sh", ("实施方案。", "推进中国式现代化。"), ["式"]),
    ("zs", ("建设中国式现代化。", "加强知识产权保护。"), ["知识"]),
]


@pytest.mark.parametrize("query, texts, expected", CASES)
def test_words_first(query, texts, expected):
    assert first_texts(texts, query, len(expected)) == expected


@pytest.mark.parametrize("query, texts, expected", CASES)
def test_words_first_when_limited(query, texts, expected):
    """The lazy path of a limited search orders one-character hits the same way."""
    assert first_texts(texts, query, len(expected), limit=len(expected)) == expected


def test_one_char_levels_bits():
    # 一|是|切实 with 是 weak, 、|市|两级 with 市 sure; 中国式: 式 weak, 国 a fragment
    text = "一是切实、市两级中国式"
    size = (len(text) >> 3) + 1
    bits = word_breaks(text)
    outer, inner = bits[:size], bits[size:]
    readings = array("I", [0 if c == "、" else 1 for c in text])  # nonzero: a reading
    levels = one_char_levels(outer, inner, _sure_breaks(outer, readings))
    assert len(levels) == size * 8
    assert [levels[text.index(c)] for c in "是市式国切"] == [1, 2, 1, 0, 0]


def test_without_word_boundaries_every_character_is_whole():
    ones = b"\xff" * 3
    assert one_char_levels(ones, ones, ones)[:23] == b"\x02" * 23


REAL = sorted((Path(__file__).parent / "reports" / "real").glob("*.txt"))[:6]


@pytest.fixture(scope="module")
def real_indexes() -> list[PinyinIndex]:
    return [PinyinIndex.build(parse_report(path.read_text("utf-8"), path)) for path in REAL]


@pytest.mark.parametrize("query", ["s", "z", "shi", "zheng", "fa", "fa3", "sh", "j", "ji4"])
@pytest.mark.parametrize("limit", [1, 7, 50])
def test_a_limited_search_is_the_head_of_the_full_ranking(real_indexes, query, limit):
    """Whatever shortcut a limited search takes (bitsets split by word level, early
    stops), it returns exactly the first ``limit`` hits of the full ranking."""
    for index in real_indexes:
        full = [(m.section, m.start, m.end, m.score) for m in index.search(query)]
        head = [(m.section, m.start, m.end, m.score) for m in index.search(query, limit=limit)]
        assert head == full[:limit], (query, limit)
