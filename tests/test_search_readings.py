"""Readings computed from tables equal pypinyin's ``lazy_pinyin``, in linear time."""

from __future__ import annotations

import random

import pytest

import briefing
from briefing.search.index import joined_text
from briefing.search.readings import (
    NO_READING,
    Readings,
    _common_tables,
    compute_readings,
    key_text,
    split_tone,
)
from tests.scaling import MAX_RATIO, measured_ratio

pypinyin = pytest.importorskip("pypinyin")


def reference(text: str) -> list[tuple[str, int] | None]:
    """What the index used to compute: ``lazy_pinyin`` over the whole text."""
    from pypinyin import Style, lazy_pinyin

    marked = lazy_pinyin(text, style=Style.TONE, errors=lambda chars: [""] * len(chars))
    assert len(marked) == len(text)
    return [split_tone(m) if m else None for m in marked]


def contexts(readings: Readings) -> list[tuple[str, int] | None]:
    return [readings.table[r] if r != NO_READING else None for r in readings.context]


def varied_text(size: int, seed: int) -> str:
    """Phrases of pypinyin's own phrase data (every heteronym and segmentation case),
    reversed phrases, single hanzi, rare and supplementary-plane hanzi, punctuation."""
    from pypinyin.constants import PHRASES_DICT, PINYIN_DICT

    rng = random.Random(seed)
    words = sorted(PHRASES_DICT)
    singles = sorted(PINYIN_DICT)
    out: list[str] = []
    total = 0
    while total < size:
        r = rng.random()
        if r < 0.55:
            piece = rng.choice(words)
        elif r < 0.75:
            piece = chr(rng.choice(singles))
        elif r < 0.85:
            piece = rng.choice("，。、；：“”（）《》 \n\x000123456789abcXYZ％")
        elif r < 0.9:
            piece = chr(rng.randrange(0x3400, 0x4DC0))
        elif r < 0.95:
            piece = chr(rng.randrange(0x20000, 0x2A6DF))
        else:
            piece = rng.choice(words)[::-1]
        out.append(piece)
        total += len(piece)
    return "".join(out)


def test_identical_to_lazy_pinyin_on_the_bundled_report():
    text = joined_text(briefing.load_report())
    assert contexts(compute_readings(text, corrected=False)) == reference(text)


def test_identical_to_lazy_pinyin_on_the_real_reports():
    from pathlib import Path

    folder = Path(__file__).resolve().parent / "reports"
    texts = sorted(folder.glob("**/*.txt"))
    assert len(texts) >= 8
    text = "\n".join(path.read_text(encoding="utf-8", errors="replace") for path in texts)
    assert contexts(compute_readings(text, corrected=False)) == reference(text)


@pytest.mark.parametrize("seed", [1, 2])
def test_identical_to_lazy_pinyin_on_a_varied_sample(seed):
    text = varied_text(60_000, seed)
    assert contexts(compute_readings(text, corrected=False)) == reference(text)


@pytest.mark.parametrize(
    "text",
    ["", "a", "行", "银行行长", "行行行行行行行", "重重重", "。" * 5, "长" * 300, "𠀀行长"],
)
def test_identical_on_edge_cases(text):
    assert contexts(compute_readings(text, corrected=False)) == reference(text)


def test_common_readings_start_with_the_first_context_reading():
    text = "银行的行长行政行为"
    readings = compute_readings(text)
    tables = _common_tables()
    for ch in set(text):
        first = next(r for c, r in zip(text, readings.context, strict=True) if c == ch)
        ids = readings.common[ch]
        assert ids[0] == first
        assert len(set(ids)) == len(ids)
        if tables:
            listed = next((t[ord(ch)] for t in tables if t.get(ord(ch))), "")
            expected = {split_tone(item) for item in listed.split(",") if item}
            assert {readings.table[r] for r in ids[1:]} <= expected


def test_layout_is_compact_and_consistent():
    text = joined_text(briefing.load_report())
    readings = compute_readings(text)
    readings.validate(len(text))
    assert readings.positions.itemsize == 2
    assert len(key_text(readings.positions)) == len(text)
    assert set(readings.chars) == set(text)
    used = set(readings.positions)
    for kid, (ch, rid) in enumerate(readings.keys):
        if ch:
            assert kid in used, "no unused key: its syllable would be indexed"
            assert rid != NO_READING


def test_computing_readings_is_linear():
    base = joined_text(briefing.load_report())
    small = base * 4
    compute_readings(base)  # load pypinyin's data first
    double = small + small
    ratio = measured_ratio(lambda: compute_readings(small), lambda: compute_readings(double))
    assert ratio <= MAX_RATIO


def test_one_long_run_of_hanzi_is_linear():
    """No punctuation anywhere: pypinyin's segmenter would be quadratic here."""
    run = "".join(ch for ch in joined_text(briefing.load_report()) if "\u4e00" <= ch <= "\u9fff")
    compute_readings(run[:100])
    two, four = run * 2, run * 4
    ratio = measured_ratio(lambda: compute_readings(two), lambda: compute_readings(four))
    assert ratio <= MAX_RATIO


def _copies(report, times: int):
    from dataclasses import replace

    from briefing.model import Section

    sections = tuple(
        Section(f"{k}.{s.id}", s.level, s.number, s.title, None, s.text)
        for k in range(times)
        for s in report.sections
    )
    return replace(report, sections=sections, sha256=f"copies-{times}")


def test_index_build_and_first_search_are_linear():
    """Readings, index and the first queries (bitsets made on first use), doubled text."""
    from briefing.search import PinyinIndex

    report = briefing.load_report()
    PinyinIndex.build(report).search("fzzf")

    def build_and_search(copies):
        index = PinyinIndex.build(copies)
        for query in ("fzzf", "xingzheng", "z", "法治"):
            index.search(query, limit=50)

    small, large = _copies(report, 4), _copies(report, 8)
    ratio = measured_ratio(lambda: build_and_search(small), lambda: build_and_search(large))
    assert ratio <= MAX_RATIO


def test_index_from_readings_is_linear():
    """What opening a cached report costs: the index from readings already computed."""
    from briefing.search import PinyinIndex

    report = briefing.load_report()
    small, large = _copies(report, 8), _copies(report, 16)
    small_text, large_text = joined_text(small), joined_text(large)
    small_r, large_r = compute_readings(small_text), compute_readings(large_text)
    ratio = measured_ratio(
        lambda: PinyinIndex(small, small_r, small_text),
        lambda: PinyinIndex(large, large_r, large_text),
    )
    assert ratio <= MAX_RATIO


def _segment_reference(run: str) -> list[int]:
    """``words.segment`` as first written: every candidate length up to the longest word."""
    from briefing.search.words import _load_words

    costs, longest, unknown = _load_words()
    n = len(run)
    best = [0.0] * (n + 1)
    step = [1] * (n + 1)
    for i in range(n - 1, -1, -1):
        top = best[i + 1] + costs.get(run[i], unknown)
        size = 1
        for k in range(2, min(longest, n - i) + 1):
            cost = costs.get(run[i : i + k])
            if cost is not None and cost + best[i + k] < top:
                top = cost + best[i + k]
                size = k
        best[i] = top
        step[i] = size
    out: list[int] = []
    i = 0
    while i < n:
        out.append(step[i])
        i += step[i]
    return out


def test_word_segmentation_is_unchanged_by_pruning():
    import re
    from pathlib import Path

    from briefing.search.words import segment

    folder = Path(__file__).resolve().parent / "reports"
    texts = [p.read_text(encoding="utf-8", errors="replace") for p in folder.glob("**/*.txt")]
    texts += [joined_text(briefing.load_report()), varied_text(30_000, 3)]
    runs = {m.group() for text in texts for m in re.finditer(r"[\u4e00-\u9fff]{2,}", text)}
    assert len(runs) > 1000
    for run in runs:
        assert segment(run) == _segment_reference(run), run


def _breaks_reference(text: str) -> bytes:
    """``words.word_breaks`` as first written: one bit cleared at a time (on the
    Simplified form of the text, as the word list is Simplified)."""
    import re

    from briefing.search.script import to_simplified
    from briefing.search.words import _CJK, _LATIN_WORD, _load_words, is_cjk

    text = to_simplified(text)  # Traditional text is segmented as its Simplified form
    n = len(text)
    bits = bytearray(b"\xff" * ((n >> 3) + 1))
    inner = bytearray(b"\xff" * ((n >> 3) + 1))
    costs = _load_words()[0]
    for m in re.finditer(rf"[{_CJK}]+|{_LATIN_WORD}", text):
        if m.end() - m.start() < 2:
            continue
        at = m.start()
        sizes = None if is_cjk(m.group()[0]) else [len(m.group())]
        for size in sizes or _segment_reference(m.group()):
            subs = set()
            if sizes is None and size >= 3:  # words of two or three inside a compound
                word = text[at : at + size]
                for length in (2, 3) if size > 3 else (2,):
                    for j in range(size - length + 1):
                        if word[j : j + length] in costs:
                            subs.update((at + j, at + j + length))
            for p in range(at + 1, at + size):
                bits[p >> 3] &= ~(1 << (p & 7)) & 0xFF
                if p not in subs:
                    inner[p >> 3] &= ~(1 << (p & 7)) & 0xFF
            at += size
    return bytes(bits) + bytes(inner)


@pytest.mark.parametrize("size", [0, 1, 7, 8, 9, 15, 16, 17, 5000])
def test_word_breaks_are_unchanged(size):
    from briefing.search.words import word_breaks

    base = joined_text(briefing.load_report()) + varied_text(6000, 4)
    for start in (0, 3, 1000):
        text = base[start : start + size]
        assert word_breaks(text) == _breaks_reference(text)
