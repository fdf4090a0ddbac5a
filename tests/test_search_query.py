"""Query normalisation, syllable splits and the query-side plan."""

from __future__ import annotations

import pytest

from briefing.search.query import (
    BOUNDARY,
    FULL,
    HANZI,
    INITIAL,
    LATIN,
    SYLLABLES,
    constraint_paths,
    full_paths,
    fuzzy_variants,
    initial_of,
    kind_of,
    normalize_query,
    score_of,
    split_pinyin,
    upper_score,
)

PREFIXES = frozenset(s[:k] for s in SYLLABLES for k in range(1, len(s) + 1))


@pytest.mark.parametrize(
    ("raw", "normal"),
    [
        ("FZZF", "fzzf"),
        ("ｆｚｚｆ", "fzzf"),
        ("lüshi", "lvshi"),
        ("LÜSHI", "lvshi"),
        ("lu:shi", "lvshi"),
        ("  fazhi   zhengfu ", f"fazhi{BOUNDARY}zhengfu"),
        ("fa'zhi", f"fa{BOUNDARY}zhi"),
        ("fa’zhi", f"fa{BOUNDARY}zhi"),
        ("法zhi", "法zhi"),
        ("\x00fz\u200bzf\n", "fzzf"),
        ("   ", ""),
        ("'''", ""),
        ("ＡＰＰ９８．４", "app98.4"),
        ("fǎzhì", "fa3zhi4"),
        ("FǍZHÌ", "fa3zhi4"),
        ("fa\u030czhi\u0300", "fa3zhi4"),  # combining marks (NFD input)
        ("fāng'àn", f"fang1{BOUNDARY}an4"),
        ("fǎngǎn", "fan3gan3"),  # no apostrophe: the syllable after does not start with a vowel
        ("xī'ān", f"xi1{BOUNDARY}an1"),
        ("lǜshī", "lv4shi1"),
        ("nǚ", "nv3"),
        ("zhèngf", "zheng4f"),
        ("fǎzf", "fa3zf"),
        ("法zhì", "法zhi4"),
        ("lüè", "lve4"),
        ("ǚ", "v"),  # cannot be split into marked syllables: the mark is dropped
    ],
)
def test_normalize(raw, normal):
    assert normalize_query(raw) == normal


def test_tone_marked_query_forms_cover_a_missing_apostrophe():
    from briefing.search.query import query_forms

    assert query_forms("píngān") == ["pin2gan1", "ping2an1"]
    assert query_forms("fāngàn") == ["fan1gan4", "fang1an4"]
    assert query_forms("fāng'àn") == [f"fang1{BOUNDARY}an4"]
    assert query_forms("fǎzhì") == ["fa3zhi4"]
    assert query_forms("xiān") == ["xian1"]  # n is a syllable only when marked
    assert query_forms("fzzf") == ["fzzf"]


def test_normalize_never_raises_on_non_strings():
    assert normalize_query(None) == ""  # type: ignore[arg-type]


def test_split_ambiguous():
    assert ["xian"] in split_pinyin("xian")
    assert ["xi", "an"] in split_pinyin("xian")
    assert ["fang", "an"] in split_pinyin("fangan")
    assert ["fan", "gan"] in split_pinyin("fangan")
    assert ["fa3"] in split_pinyin("fa3")
    assert ["zh", "f"] in split_pinyin("zhf")
    assert ["xi", "an"] in split_pinyin("xi'an")
    assert ["xian"] not in split_pinyin("xi'an")
    assert all(p[0] != "h" for p in split_pinyin("hizheng") if len(p) > 1 and p[1] == "i")
    assert split_pinyin("iii") == []


def test_initials():
    assert initial_of("zheng") == "zh"
    assert initial_of("zi") == "z"
    assert initial_of("an") == "a"
    assert initial_of("shi") == "sh"


def test_fuzzy_variants():
    assert {"zang", "zhan", "zan"} <= fuzzy_variants("zhang")
    assert "lan" in fuzzy_variants("nan")
    assert "hu" in fuzzy_variants("fu")
    assert "jiang" in fuzzy_variants("jian")
    assert "guang" in fuzzy_variants("guan")
    assert "zhhi" not in fuzzy_variants("zhi")
    assert "zhi" not in fuzzy_variants("zhi")


def test_kinds_and_scores_rank():
    order = [HANZI, LATIN, FULL, FULL | INITIAL, INITIAL]
    kinds = [kind_of(f) for f in order]
    assert kinds == ["hanzi", "latin", "pinyin", "mixed", "initials"]
    scores = [score_of(f, 4) for f in order]
    assert scores == sorted(scores, reverse=True)
    assert score_of(FULL, 2) > score_of(FULL, 3)  # shorter first
    assert upper_score(INITIAL, 2) >= score_of(INITIAL | FULL, 2)


def test_constraint_paths():
    paths = dict(constraint_paths("fzzf", SYLLABLES, PREFIXES, depth=3))
    assert (("pre", "f"), ("pre", "z"), ("pre", "z")) in paths
    paths = dict(constraint_paths("xian", SYLLABLES, PREFIXES))
    assert (("eq", "xi"), ("eq", "an")) in paths
    assert constraint_paths("xianxianxian", SYLLABLES, PREFIXES, cap=2) is None


def test_full_paths_follow_every_reading_to_its_end():
    # Where a hit ends decides whether it can be a whole word: each way is followed
    # to the end of the query, with the flags it ends with.
    paths = dict(full_paths("fzzh", SYLLABLES, PREFIXES))
    f, z, zh, h = ("pre", "f"), ("pre", "z"), ("pre", "zh"), ("pre", "h")
    assert paths[(f, z, zh)] == {INITIAL}
    assert paths[(f, z, z, h)] == {INITIAL}
    paths = dict(full_paths("xian", SYLLABLES, PREFIXES))
    assert paths[(("eq", "xi"), ("eq", "an"))] == {FULL}
    assert ("eq", "xian") not in {steps[0] for steps in paths if len(steps) == 1}
    # Unknown lengths: a boundary steps over any number of characters; too long; too many.
    assert full_paths(f"fz{BOUNDARY}zf", SYLLABLES, PREFIXES) is None
    assert full_paths("fzzfjsfzzfjsfz", SYLLABLES, PREFIXES, max_len=12) is None
    assert full_paths("xianxianxian", SYLLABLES, PREFIXES, cap=2) is None
