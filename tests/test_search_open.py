"""Opening the index of a report seen before pays only for what a search uses."""

from __future__ import annotations

import itertools
import random

import pytest

import briefing
from briefing.resources import bundled_report_path
from briefing.search import load_index
from briefing.search.words import transparent_gaps
from briefing.section_table import SectionTable

BLANKS = [" ", "\t", "\u3000", "\u00a0", "\u2002", "\x0b", "\r", "\n"]
OTHERS = ["法", "治", "政", "府", "a", "1", "，", "。", "𠀀", "\x00"]


@pytest.mark.parametrize("seed", range(40))
def test_gaps_found_from_the_known_characters_are_the_same(seed: int) -> None:
    rng = random.Random(seed)
    pool = OTHERS + rng.sample(BLANKS, rng.randint(0, len(BLANKS)))
    text = "".join(rng.choice(pool) for _ in range(rng.randint(0, 300)))
    expected = transparent_gaps(text)
    assert transparent_gaps(text, "".join(sorted(set(text)))) == expected


def test_many_blanks_give_the_same_gaps() -> None:
    text = "法 治 政 府\u3000建 设  a b\n法 治" * 500
    assert transparent_gaps(text, "".join(set(text))) == transparent_gaps(text)


def test_a_cached_report_opens_its_index_without_making_sections(
    tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The index needs every section's text, not a ``Section`` object for each."""
    monkeypatch.setenv("BRIEFING_CACHE_DIR", str(tmp_path / "cache"))
    source = tmp_path / "report.txt"
    source.write_bytes(bundled_report_path().read_bytes())
    fresh = briefing.load_report(source)
    built = load_index(fresh)  # fills the readings cache
    report = briefing.load_report(source)
    assert isinstance(report.sections, SectionTable)
    made: list[int] = []
    original = SectionTable.__getitem__

    def counting(self, index):  # type: ignore[no-untyped-def]
        made.append(index)
        return original(self, index)

    monkeypatch.setattr(SectionTable, "__getitem__", counting)
    index = load_index(report, build_if_missing=False)
    assert index is not None and made == []
    assert [(m.section, m.start, m.end) for m in index.search("fzzf")] == [
        (m.section, m.start, m.end) for m in built.search("fzzf")
    ]
    assert report.sections.texts == [s.text for s in fresh.sections]


@pytest.mark.parametrize("seed", range(30))
def test_the_postings_bound_is_checked_as_max_would(seed: int) -> None:
    from array import array

    from briefing.search.readings import _all_below

    rng = random.Random(seed)
    limit = rng.choice([1, 2, 255, 256, 65_535, 65_536, 65_537, 2_916_276, 1 << 24, 1 << 25])
    limit += rng.randint(0, 3)
    values = array("I", (rng.randrange(max(1, limit)) for _ in range(rng.randint(0, 2000))))
    for extra in ([], [limit - 1], [limit], [limit + 1], [limit + 65_536], [0xFFFF_FFFF]):
        probe = array("I", values)
        probe.extend(v for v in extra if 0 <= v <= 0xFFFF_FFFF)
        rng.shuffle(probe)  # type: ignore[arg-type]
        expected = not probe or max(probe) < limit
        assert _all_below(probe, limit) == expected, (limit, extra)
    assert _all_below(array("I"), 0)
    assert not _all_below(array("I", [0]), 0)


QUERIES = ["xingzheng", "fzzf", "fazhi", "zf", "zh", "x", "法治", "2021", "app", "lvshi", "fa3"]


def _hits(index, query: str, fuzzy: bool = False) -> list[tuple]:
    return [(m.section, m.start, m.end, m.kind, m.score) for m in index.search(query, fuzzy=fuzzy)]


@pytest.fixture()
def cached_report(tmp_path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("BRIEFING_CACHE_DIR", str(tmp_path / "cache"))
    source = tmp_path / "report.txt"
    source.write_bytes(bundled_report_path().read_bytes())
    report = briefing.load_report(source)
    built = load_index(report)  # readings and symbols saved
    return report, built, tmp_path / "cache"


def test_saved_symbol_bitsets_give_the_same_hits(cached_report) -> None:
    from briefing.search.index import PinyinIndex

    report, _, folder = cached_report
    assert len(list(folder.glob("symbols-*.bin"))) == 1
    fresh = PinyinIndex.build(report)
    for query in QUERIES:
        for fuzzy in (False, True):
            again = load_index(report, build_if_missing=False)
            assert _hits(again, query, fuzzy) == _hits(fresh, query, fuzzy), query


def test_a_repeated_search_builds_no_symbol_bitset(cached_report, monkeypatch) -> None:
    from briefing.search.index import PinyinIndex

    report, _, _ = cached_report
    built: list[str] = []
    original = PinyinIndex._symbol_bits

    def counting(self, sym):  # type: ignore[no-untyped-def]
        built.append(sym)
        return original(self, sym)

    monkeypatch.setattr(PinyinIndex, "_symbol_bits", counting)
    index = load_index(report, build_if_missing=False)
    assert _hits(index, "xingzheng") and built == []


@pytest.mark.parametrize("damage", ["flip", "cut", "garbage", "empty", "other text"])
def test_a_damaged_symbols_file_costs_a_rebuild_never_a_wrong_hit(cached_report, damage) -> None:
    from briefing.search import cache as cache_module
    from briefing.search.index import PinyinIndex

    report, _, folder = cached_report
    (path,) = folder.glob("symbols-*.bin")
    data = path.read_bytes()
    if damage == "flip":
        data = data[:-100] + bytes([data[-100] ^ 0x55]) + data[-99:]
    elif damage == "cut":
        data = data[: len(data) // 2]
    elif damage == "garbage":
        data = cache_module.SYMBOLS_MAGIC + bytes(range(256)) * 40
    elif damage == "empty":
        data = b""
    else:
        data = cache_module.encode_symbol_bits("另一个文本" * 99, {"l": 1, "z": (1 << 400) - 1})
    path.write_bytes(data)
    fresh = PinyinIndex.build(report)
    for query in QUERIES:
        index = load_index(report, build_if_missing=False)
        assert _hits(index, query) == _hits(fresh, query), (damage, query)


def test_symbols_are_not_built_for_a_cache_folder_that_cannot_keep_them(
    cached_report, monkeypatch
) -> None:
    import os

    from briefing.search.index import PinyinIndex

    report, _, folder = cached_report
    for path in folder.glob("symbols-*.bin"):
        path.unlink()
    monkeypatch.setattr(os, "access", lambda *args, **kwargs: False)
    monkeypatch.setattr(PinyinIndex, "state", lambda self: pytest.fail("symbols built"))
    index = load_index(report, build_if_missing=False)
    assert _hits(index, "fzzf") and not list(folder.glob("symbols-*.bin"))


@pytest.mark.parametrize("kind", ["bytes", "memoryview", "file"])
def test_section_texts_are_read_from_every_kind_of_run(kind: str, tmp_path) -> None:
    """``SectionTable.texts`` reads bytes, a view of the entry (the command line's
    load) and the entry's file (the reader's): a view has no ``decode``, and the
    index fell back to making every section without a word."""
    import os

    from briefing.report_cache import FileTexts

    texts = ["前言", "一、加强法治政府建设", "", "一是98.4%的事项"]
    run = "".join(texts).encode("utf-8")
    ends = list(itertools.accumulate(len(t.encode("utf-8")) for t in texts))
    if kind == "bytes":
        blob: object = run
    elif kind == "memoryview":
        blob = memoryview(b"head" + run)[4:]
    else:
        path = tmp_path / "entry"
        path.write_bytes(b"head" + run)
        blob = FileTexts(os.open(path, os.O_RDONLY), 4)
    ids = [str(i) for i in range(len(texts))]
    table = SectionTable(ids, [1] * 4, [""] * 4, texts, [None] * 4, blob, ends)
    assert table.texts == texts
    assert [section.text for section in table] == texts
