"""Property tests: any piece of the report, typed as hanzi, as the full pinyin of
its context reading, or as initials, is found at its own position."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import briefing
from briefing.search import PinyinIndex, source_text
from briefing.search.query import initial_of

REPORT = briefing.load_report()
INDEX = PinyinIndex.build(REPORT)
SECTIONS = [s for s in REPORT.sections if s.text]

PROPERTY = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.filter_too_much]
)


@pytest.fixture(autouse=True)
def _cache_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("BRIEFING_CACHE_DIR", str(tmp_path / "cache"))


@st.composite
def hanzi_piece(draw, max_len: int = 6):
    """(section, start, end) of a run of characters that all have a reading."""
    section = draw(st.sampled_from(SECTIONS))
    start = draw(st.integers(0, len(section.text) - 1))
    length = draw(st.integers(1, max_len))
    end = start
    while end < len(section.text) and end - start < length:
        if INDEX.reading_at(section.id, end) is None:
            break
        end += 1
    if end == start:
        from hypothesis import reject

        reject()
    return section, start, end


def spans(matches):
    return {(m.section, m.start, m.end) for m in matches}


def readings(section, start, end):
    return [INDEX.reading_at(section.id, k) for k in range(start, end)]


@PROPERTY
@given(hanzi_piece())
def test_hanzi_substring_found_at_its_position(piece):
    section, start, end = piece
    matches = INDEX.search(section.text[start:end])
    assert (section.id, start, end) in spans(matches)
    hit = next(m for m in matches if (m.section, m.start, m.end) == (section.id, start, end))
    assert hit.kind == "hanzi"


@PROPERTY
@given(hanzi_piece(), st.sampled_from(["", " ", "'"]))
def test_full_pinyin_found_at_its_position(piece, joiner):
    section, start, end = piece
    query = joiner.join(syl for syl, _ in readings(section, start, end))
    matches = INDEX.search(query)
    assert (section.id, start, end) in spans(matches)
    hit = next(m for m in matches if (m.section, m.start, m.end) == (section.id, start, end))
    assert hit.kind == "pinyin"
    assert hit.text == section.text[start:end]


@PROPERTY
@given(hanzi_piece())
def test_pinyin_with_tones_found_at_its_position(piece):
    section, start, end = piece
    query = "".join(f"{syl}{tone}" for syl, tone in readings(section, start, end))
    assert (section.id, start, end) in spans(INDEX.search(query))


@PROPERTY
@given(hanzi_piece(), st.booleans())
def test_initials_found_at_its_position(piece, two_letter):
    section, start, end = piece
    parts = [initial_of(syl) if two_letter else syl[0] for syl, _ in readings(section, start, end)]
    assert (section.id, start, end) in spans(INDEX.search("".join(parts)))


@PROPERTY
@given(hanzi_piece(max_len=5), st.data())
def test_mixed_found_at_its_position(piece, data):
    section, start, end = piece
    parts = []
    for k, (syl, _) in enumerate(readings(section, start, end)):
        how = data.draw(st.sampled_from(["hanzi", "full", "initial"]))
        if how == "hanzi":
            parts.append(section.text[start + k])
        elif how == "full":
            parts.append(syl)
        else:
            parts.append(syl[0])
    query = "".join(parts)
    assert (section.id, start, end) in spans(INDEX.search(query)), query


@PROPERTY
@given(hanzi_piece(), st.integers(1, 20))
def test_limit_is_a_prefix_of_the_full_ranking(piece, limit):
    section, start, end = piece
    query = "".join(syl[0] for syl, _ in readings(section, start, end))
    assert INDEX.search(query, limit=limit) == INDEX.search(query)[:limit]


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=30))
def test_any_text_never_raises_and_spans_hold(query):
    for fuzzy in (False, True):
        for m in INDEX.search(query, fuzzy=fuzzy, limit=50):
            assert m.text == source_text(REPORT, m.section)[m.start : m.end]


@PROPERTY
@given(hanzi_piece(max_len=12), st.integers(0, 80))
def test_snippet_contains_the_hit(piece, width):
    from briefing.model import Match
    from briefing.search import snippet

    section, start, end = piece
    match = Match(section.id, start, end, section.text[start:end], "hanzi", 1.0)
    text, hit_start, hit_end = snippet(REPORT, match, width=width)
    assert text[hit_start:hit_end] == match.text
    assert "\n" not in text
    assert len(text) <= max(width, end - start) + 2


def test_concurrent_searches_agree():
    from concurrent.futures import ThreadPoolExecutor

    index = PinyinIndex.build(REPORT)
    queries = ["fzzf", "xingzheng", "z", "fazhi", "hang", "lvshi", "法zhi", "fa3"] * 8
    expected = {q: index.search(q, fuzzy=True) for q in set(queries)}
    fresh = PinyinIndex.build(REPORT)
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda q: (q, fresh.search(q, fuzzy=True)), queries))
    for query, matches in results:
        assert matches == expected[query]


_MARKS = {1: "\u0304", 2: "\u0301", 3: "\u030c", 4: "\u0300"}


def tone_marked(syl: str, tone: int) -> str:
    """``('zhong', 4)`` -> ``zhòng``: the mark on a/e, on o of ou, else on the last vowel."""
    import unicodedata

    letters = syl.replace("v", "ü")
    if tone not in _MARKS:
        return letters
    if "a" in letters:
        at = letters.index("a")
    elif "e" in letters:
        at = letters.index("e")
    elif "ou" in letters:
        at = letters.index("o")
    else:
        at = max(letters.rfind(v) for v in "iouü")
    if at < 0:  # m, n, ng: no vowel to carry the mark
        return letters
    return unicodedata.normalize("NFC", letters[: at + 1] + _MARKS[tone] + letters[at + 1 :])


@PROPERTY
@given(hanzi_piece(), st.sampled_from(["", " "]))
def test_tone_marked_pinyin_found_at_its_position(piece, joiner):
    """Typed with tone marks (as printed in a dictionary), the context reading of
    any piece finds that piece as an exact pinyin hit."""
    section, start, end = piece
    query = joiner.join(tone_marked(syl, tone) for syl, tone in readings(section, start, end))
    matches = INDEX.search(query)
    assert (section.id, start, end) in spans(matches), query
    hit = next(m for m in matches if (m.section, m.start, m.end) == (section.id, start, end))
    assert hit.kind == "pinyin"


@PROPERTY
@given(hanzi_piece(max_len=5))
def test_letter_spaced_copy_is_found_like_the_original(piece):
    """Spaces between the hanzi of a piece do not stop hanzi or initials queries."""
    from briefing.model import Metadata, Report, Section

    section, start, end = piece
    word = section.text[start:end]
    spaced = " ".join(word)
    report = Report(Metadata(), (Section("0", 1, "", "", None, spaced),), sha256="spaced")
    index = PinyinIndex.build(report)
    assert (("0", 0, len(spaced)) in spans(index.search(word))) or not word.strip()
    initials = "".join(initial_of(syl) for syl, _ in readings(section, start, end))
    assert ("0", 0, len(spaced)) in spans(index.search(initials))
