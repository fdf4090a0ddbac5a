"""The combined index: the same hits as each report's own index, one file, kept current."""

from __future__ import annotations

import json
import zlib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefing.library import Library
from briefing.search import load_index, source_text

REAL = Path(__file__).parent / "reports" / "real"
FILES = [
    REAL / "jiangsu-huaian-2017-fazhi.txt",
    REAL / "jiangxi-nanchang-2019-fazhi.txt",
    REAL / "anhui-maanshan-2016-gongzuo-trad.txt",
    REAL / "anhui-nanling-2023-jinzhan.txt",  # a table: spaces inside runs of hanzi
]
QUERIES = [
    "fzzf",
    "huaian",
    "法治政府",
    "法",
    "zf",
    "f",
    "xingzheng",
    "lvshi",
    "2017",
    "政務",
    "fa3",
]


def _spy_firsts_shifted(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The ``k`` of every ``LibraryCandidates._firsts_shifted`` call from now on (a
    list of the starts before a space made again rather than kept)."""
    from briefing.library.candidates import LibraryCandidates

    listed: list[int] = []
    original = LibraryCandidates._firsts_shifted

    def spied(self, firsts, k):
        listed.append(k)
        return original(self, firsts, k)

    monkeypatch.setattr(LibraryCandidates, "_firsts_shifted", spied)
    return listed


def _index_header(path: Path) -> tuple[bytes, int, int, dict]:
    """The index file's bytes, where its header starts, its size, and the header."""
    from briefing.library import index as combined

    data = path.read_bytes()
    start = len(combined.MAGIC) + combined._LENGTHS.size
    size, _ = combined._LENGTHS.unpack_from(data, len(combined.MAGIC))
    return data, start, size, json.loads(data[start : start + size])


def _index_version(path: Path) -> int:
    return _index_header(path)[3]["version"]


def _rewrite_index_version(path: Path, version: int) -> None:
    """The index file as an older version would have written it (same payload)."""
    from briefing.library import index as combined

    data, start, size, header = _index_header(path)
    header["version"] = version
    head = json.dumps(header, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    head += b" " * (size - len(head))
    old = combined.MAGIC + combined._LENGTHS.pack(size, zlib.crc32(head)) + head
    path.write_bytes(old + data[start + size :])


@pytest.fixture
def lib(tmp_path: Path) -> Library:
    library = Library.open(tmp_path / "library")
    library.add_many(FILES)
    return library


def _key(entry_id: str, m) -> tuple:
    return (entry_id, m.section, m.start, m.end, m.text, m.kind, m.score)


def test_the_same_hits_as_every_report_searched_alone(lib: Library) -> None:
    searcher = lib.searcher()
    reports = [(e, lib.load(e)) for e in lib.entries()]
    for query in QUERIES:
        for fuzzy in (False, True):
            alone = {
                _key(e.id, m)
                for e, report in reports
                for m in load_index(report).search(query, fuzzy=fuzzy)
            }
            hits = searcher.search(query, fuzzy=fuzzy)
            assert {_key(h.entry.id, h.match) for h in hits} == alone, query
            scores = [h.match.score for h in hits]
            assert scores == sorted(scores, reverse=True)
    for hit in searcher.search("fazhi"):
        text = source_text(lib.load(hit.entry), hit.match.section)
        assert text[hit.match.start : hit.match.end] == hit.match.text
        assert hit.match.text.replace("\n", " ") in hit.snippet


def test_a_limited_search_keeps_the_best_hits(lib: Library) -> None:
    searcher = lib.searcher()
    for query in QUERIES:
        every = searcher.search(query)
        top = searcher.search(query, limit=5)
        assert [h.match.score for h in top] == [h.match.score for h in every[:5]], query


def test_opening_a_current_index_parses_no_report(lib: Library, monkeypatch) -> None:
    lib.searcher()
    import briefing

    def refuse(*args, **kwargs):
        raise AssertionError("a report was parsed")

    monkeypatch.setattr(briefing, "load_report", refuse)
    again = Library.open(lib.folder)
    assert again.search("huaian", limit=3)


def test_an_index_built_for_other_reports_is_rebuilt(lib: Library, tmp_path: Path) -> None:
    lib.searcher()
    other = Library.open(lib.folder)  # another process adds a report
    added = other.add(REAL / "hubei-2023-fazhi.txt")
    hits = Library.open(lib.folder).search("hubei")
    assert added.id in {h.entry.id for h in hits}
    other.remove(added.id)
    assert added.id not in {h.entry.id for h in Library.open(lib.folder).search("hubei")}


@pytest.mark.parametrize("damage", ["truncate", "garbage", "empty"])
def test_a_damaged_index_file_is_rebuilt(lib: Library, damage: str) -> None:
    path = lib.folder / "index" / "library.bin"
    data = path.read_bytes()
    if damage == "truncate":
        path.write_bytes(data[: len(data) // 2])
    elif damage == "garbage":
        path.write_bytes(data[:20] + b"\xff" * 50 + data[70:])
    else:
        path.write_bytes(b"")
    hits = Library.open(lib.folder).search("huaian")
    assert hits
    from briefing.library import index as combined

    assert combined.load(path, None) is not None  # written again, whole


def test_a_missing_copy_is_left_out_with_a_warning(lib: Library) -> None:
    entry = lib.entries()[1]
    entry.stored_path.unlink()
    again = Library.open(lib.folder)
    hits = again.search("fazhi")
    assert hits and entry.id not in {h.entry.id for h in hits}
    assert any("missing" in w for w in again.warnings)


# -- what the combined index needed of PinyinIndex (search/index.py) ---------------


def _counting_scans(monkeypatch) -> list[int]:
    from briefing.search.index import PinyinIndex

    calls: list[int] = []
    original = PinyinIndex._scan

    def counted(self, g, *args, **kwargs):
        calls.append(g)
        return original(self, g, *args, **kwargs)

    monkeypatch.setattr(PinyinIndex, "_scan", counted)
    return calls


def _index(text: str):
    from briefing.parse import parse_report
    from briefing.search import PinyinIndex

    return PinyinIndex.build(parse_report(text))


def test_starts_next_to_a_space_are_filtered_by_the_query(monkeypatch) -> None:
    # 3,000 spaced runs of hanzi that cannot begin "zf": they used to be scanned each.
    text = "一、总则\n" + "".join(f"甲乙 丙丁{n}。\n" for n in range(3000)) + "政府 工作。\n"
    index = _index(text)
    calls = _counting_scans(monkeypatch)
    hits = index.search("zf")
    assert [h.text for h in hits] == ["政府"]
    assert len(calls) < 100
    assert [h.text for h in index.search("jiayi")] == ["甲乙"] * 3000  # still found
    assert [h.text for h in index.search("yibing")][:1] == ["乙 丙"]  # across the space


def test_a_latin_letter_in_the_text_does_not_stop_early_stopping(monkeypatch) -> None:
    # One Latin "z" made every pinyin candidate of "zf" carry a Latin hit's bound.
    text = "一、总则\n版本z。\n" + "法治政府建设。\n" * 3000
    index = _index(text)
    calls = _counting_scans(monkeypatch)
    hits = index.search("zf", limit=5)
    assert [h.text for h in hits] == ["政府"] * 5
    assert len(calls) < 200


def test_an_added_report_is_appended_with_the_same_hits_as_a_full_build(
    lib: Library, monkeypatch
) -> None:
    from briefing.library import index as combined
    from briefing.library.search import ensure_index

    lib.searcher()
    built: list[str] = []
    monkeypatch.setattr(combined, "build", _spy(combined.build, built))
    added = lib.add_many([REAL / "hubei-2023-fazhi.txt", REAL / "fujian-2018-bianminhua.txt"])
    assert built == []  # appended, not built again
    appended = Library.open(lib.folder).searcher()
    monkeypatch.undo()
    full = searcher_over(ensure_index(lib, rebuild=True), lib)
    assert {e.id for e in added} <= {e.id for e in appended.entries}
    for query in [*QUERIES, "hubei", "fujian", "便民"]:
        a = {_key(h.entry.id, h.match) for h in appended.search(query)}
        b = {_key(h.entry.id, h.match) for h in full.search(query)}
        assert a == b, query
        assert [h.match.score for h in appended.search(query, limit=7)] == [
            h.match.score for h in full.search(query, limit=7)
        ]


def _spy(function, calls: list[str]):
    def spied(*args, **kwargs):
        calls.append("called")
        return function(*args, **kwargs)

    return spied


def searcher_over(combined_index, library: Library):
    from briefing.library.search import LibrarySearcher

    return LibrarySearcher(library.entries(), combined_index)


# -- structures saved in the file -----------------------------------------------


def test_the_saved_spaced_runs_are_those_the_index_would_find(lib: Library) -> None:
    from briefing.library import index as combined

    lib.searcher()
    added = lib.add(REAL / "gansu-jinchang-2025-fangan.txt")  # appended: runs shifted
    assert added.id in {e.id for e in Library.open(lib.folder).searcher().entries}
    loaded = combined.load(lib.folder / "index" / "library.bin", None)
    assert loaded is not None and loaded.index.saved_runs is not None
    index = loaded.index
    fresh = _plain(loaded)
    saved = [(text, list(at)) for text, at in index._spaced_runs()]
    assert saved and saved == [(text, list(at)) for text, at in fresh._spaced_runs()]
    for query in ("索引号", "督查情况", "市长"):
        hits = {(h.start, h.end, h.section) for h in index.search(query)}
        assert hits and hits == {(h.start, h.end, h.section) for h in fresh.search(query)}


def test_the_virtual_report_finds_every_part_by_id(lib: Library) -> None:
    from briefing.search import snippet

    virtual = lib.searcher()._combined.virtual
    first = virtual.sections[0]
    assert virtual.has_section(first.id) and not virtual.has_section("nope")
    assert virtual.section(first.id).text == first.text
    hit = lib.searcher()._combined.index.search("fazhi", limit=1)[0]
    assert hit.text in snippet(virtual, hit)[0]


def test_a_query_typed_again_is_answered_from_the_searcher(lib: Library, monkeypatch) -> None:
    searcher = lib.searcher()
    first = searcher.search("fazhi", limit=20)
    index = searcher._combined.index
    calls: list[str] = []
    original = type(index).search
    monkeypatch.setattr(
        type(index), "search", lambda self, q, **kw: calls.append(q) or original(self, q, **kw)
    )
    searcher.search("fazh", limit=20)  # a backspace
    again = searcher.search("fazhi", limit=20)  # and the letter again
    assert calls == ["fazh"]
    assert [(h.entry.id, h.match, h.snippet) for h in again] == [
        (h.entry.id, h.match, h.snippet) for h in first
    ]
    again.clear()  # the caller's list is its own
    assert len(searcher.search("fazhi", limit=20)) == len(first)
    searcher.search("fazhi", limit=3)  # another limit is another search
    assert calls == ["fazh", "fazhi"]


def test_a_hit_and_its_snippet_stay_inside_their_part(lib: Library) -> None:
    # The index holds one section per report; hits are mapped back to the part.
    searcher = lib.searcher()
    for hit in searcher.search("f", limit=300) + searcher.search("shi"):
        text = source_text(lib.load(hit.entry), hit.match.section)
        assert text[hit.match.start : hit.match.end] == hit.match.text
        shown = hit.snippet.strip("…")
        assert "\x00" not in hit.snippet
        assert shown in "".join(" " if ch in "\r\n\t\x0b\x0c" else ch for ch in text)


# -- when the index is built again ------------------------------------------------


def test_an_index_keyed_by_an_older_parse_is_not_rebuilt_on_every_open(
    lib: Library, monkeypatch
) -> None:
    """The catalogue keeps the report hash of the parse when a report was added; after
    an upgrade the parser may hash it otherwise. The index is keyed by the catalogue,
    so it is built once, then opened as it is (it was rebuilt on every search)."""
    import json

    from briefing.library import index as combined

    raw = json.loads(lib.catalogue_path.read_text(encoding="utf-8"))
    entry = lib.entries()[1]
    raw["entries"][entry.id]["report_sha256"] = "0" * 64  # hashed by an older parser
    lib.catalogue_path.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    assert Library.open(lib.folder).search("huaian")  # built once for the catalogue now
    calls: list[str] = []
    monkeypatch.setattr(combined, "build", _spy(combined.build, calls))
    monkeypatch.setattr(combined, "append", _spy(combined.append, calls))
    assert Library.open(lib.folder).search("huaian")
    assert calls == []


def test_a_new_parser_rebuilds_the_index(lib: Library, monkeypatch) -> None:
    """The index holds parsed text: another parser may cut a report into other
    sections, so an index from an older parser is not used."""
    from briefing.library import index as combined

    path = lib.folder / "index" / "library.bin"
    assert combined.load(path, None) is not None
    monkeypatch.setattr(combined, "_parser", lambda: "another")
    assert combined.load(path, None) is None
    assert Library.open(lib.folder).search("huaian")
    assert combined.load(path, None) is not None  # built again for this parser


def test_the_saved_sure_word_boundaries_are_those_the_index_would_compute(lib: Library) -> None:
    """Saved so that the first query of a fresh process does not compute them (0.4 s on
    a thousand reports); also after a report is appended."""
    from briefing.library import index as combined

    lib.searcher()
    lib.add(REAL / "gansu-jinchang-2025-fangan.txt")
    loaded = combined.load(lib.folder / "index" / "library.bin", None)
    assert loaded is not None and loaded.index._sure_bits is not None
    index = loaded.index
    fresh = _plain(loaded)
    assert bytes(index._sure_bits) == fresh._sure()


def _plain(loaded):
    """A ``PinyinIndex`` over the same text and readings that computes everything
    itself (nothing read from the file)."""
    from briefing.library.index import virtual_report
    from briefing.search.index import PinyinIndex

    text = str(loaded.index._body)
    return PinyinIndex(virtual_report(loaded.members, text), loaded.index._readings, text)


def _spaced_queries(index) -> list[str]:
    """Pinyin (full, initials, mixed) of words that straddle a transparent space."""
    out: list[str] = []
    for _text, at in index._spaced_runs()[:40]:
        syllables = []
        for p in list(at)[:4]:
            entries = index._sets[index._rid[p]]
            if not entries:
                break
            syllables.append(entries[0][0])
        if len(syllables) >= 2:
            out.append("".join(syllables))
            out.append("".join(s[0] for s in syllables))
            out.append(syllables[0][0] + "".join(syllables[1:]))
    return out


def _span(index, match) -> tuple[int, int]:
    base = index._starts[index._order[match.section]]
    return base + match.start, base + match.end


def test_limited_searches_match_the_plain_matcher(lib: Library) -> None:
    """The library's own candidate filter (``candidates.py``) scans fewer starts, and
    finds the same best hits as ``PinyinIndex`` over the same text, limit or none,
    for words across a transparent space too."""

    loaded = lib.searcher()._combined
    index = loaded.index
    plain = _plain(loaded)
    spaced = _spaced_queries(index)
    assert len(spaced) >= 6
    across = [m for q in spaced for m in index.search(q, limit=5)
              if any(index._gap_bits >> p & 1 for p in range(*_span(index, m)))]  # fmt: skip
    assert across  # the spaced queries do find words across a space
    # Hanzi across a space: the file's flat spaced runs are searched in one go.
    hanzi = [text[k : k + 3] for text, _ in index._spaced_runs()[:30] for k in (0, 2)]
    assert any(m.end - m.start > len(q) for q in hanzi for m in index.search(q, limit=5))
    for query in [*QUERIES, "zfjs", "gongzuo", "yingshang", "xingzhe", "fazhizf", *spaced, *hanzi]:
        for limit in (1, 5, 20, None):
            for fuzzy in (False, True):
                mine = [(m.section, m.start, m.end, m.score) for m in
                        index.search(query, limit=limit, fuzzy=fuzzy)]  # fmt: skip
                theirs = [(m.section, m.start, m.end, m.score) for m in
                          plain.search(query, limit=limit, fuzzy=fuzzy)]  # fmt: skip
                assert mine == theirs, (query, limit, fuzzy)


@pytest.mark.parametrize(
    "text", ["法治政府建设\x00xingzheng 2017", "𠀋字\x00超出基本平面", "半个\ud800代理\udc00对"]
)
def test_a_saved_text_reads_as_the_string(text: str) -> None:
    from briefing.library.index import SavedText, _text_codec

    codec = _text_codec(text)
    saved = SavedText(memoryview(text.encode(codec, "surrogatepass")), codec)
    assert len(saved) == len(text) and str(saved) == text
    for a in range(-2, len(text) + 2):
        for b in range(-2, len(text) + 2):
            assert saved[a:b] == text[a:b]
    assert saved[-1] == text[-1] and saved[0] == text[0]
    with pytest.raises(IndexError):
        saved[len(text)]
    part = saved.part(2, 4)
    assert str(part) == text[2:6] and part[1:3] == text[3:5] and len(part) == 4


def test_a_hit_names_its_place(lib: Library) -> None:
    """Each hit says where it is (section number and title, or the header field),
    read from the index file, after an append too."""
    from briefing.library.index import section_label

    lib.add(REAL / "gansu-jinchang-2025-fangan.txt")
    searcher = Library.open(lib.folder).searcher()
    hits = searcher.search("fazhi") + searcher.search("发布机构")
    assert hits and any(h.place for h in hits)
    for hit in hits:
        report = lib.load(hit.entry)
        if hit.match.section == "meta":
            assert hit.place and hit.place in source_text(report, "meta")
        elif hit.match.section == "title":
            assert hit.place == ""
        else:
            assert hit.place == section_label(report, hit.match.section) != ""


def test_the_level_masks_are_those_of_the_level_bytes(lib: Library) -> None:
    """The library reads the one-character levels' bitsets from the word boundaries
    directly (``candidates.py``), not through a byte per character."""
    from briefing.search.index import PinyinIndex

    index = lib.searcher()._combined.index
    word, weak = index._level_masks()
    assert (word, weak) == PinyinIndex._level_masks(_plain(lib.searcher()._combined))
    assert word and weak and not word & weak


def test_the_level_masks_are_read_from_the_file_as_they_are(lib: Library, monkeypatch) -> None:
    """The level masks lie in the file's bytes (version 11), for a built index and an
    appended one: no zlib pieces to inflate (15-20 ms of a session's first
    one-syllable search on a thousand reports), no pass over the word boundaries."""
    from briefing.library import candidates
    from briefing.library import index as combined
    from briefing.search.index import PinyinIndex

    path = lib.folder / "index" / "library.bin"
    for step in ("built", "appended"):
        if step == "appended":
            lib.add(REAL / "gansu-jinchang-2025-fangan.txt")
        loaded = combined.load(path, None)
        assert loaded is not None and loaded.index.saved_levels is not None, step
        with monkeypatch.context() as patched:
            patched.setattr(candidates, "one_char_level_masks", None)  # not called
            masks = loaded.index._level_masks()
        assert masks == PinyinIndex._level_masks(_plain(loaded)), step
        assert not any(kind == "lvl" for kind, _ in loaded.index.saved_bits._where)


def test_an_index_of_version_10_is_rebuilt_with_its_level_masks(lib: Library) -> None:
    """Version 10 kept the level masks in zlib pieces among the saved bitsets: its
    file is built again, with them as they are."""

    from briefing.library import index as combined

    path = lib.folder / "index" / "library.bin"
    assert _index_version(path) == combined._VERSION == 11
    _rewrite_index_version(path, 10)
    assert combined.load(path, None) is None
    assert Library.open(lib.folder).search("hu", limit=3)
    rebuilt = combined.load(path, None)
    assert rebuilt is not None and rebuilt.index.saved_levels is not None


# -- reading bitsets saved in the file (saved_bits.py) --------------------------


def test_the_saved_reading_bitsets_are_those_the_index_would_build(lib: Library) -> None:
    from briefing.library import index as combined

    lib.add(REAL / "gansu-jinchang-2025-fangan.txt")  # appended: saved again
    loaded = combined.load(lib.folder / "index" / "library.bin", None)
    assert loaded is not None and loaded.index.saved_bits is not None
    saved = loaded.index.saved_bits
    fresh = _plain(loaded)
    kinds = {"ctx": fresh._ctx_keys, "alt": fresh._alt_keys}
    assert len(saved) > 20 and saved.groups
    for kind, name in saved._where:
        bits = saved.get(kind, name)
        if kind == "lit":
            assert bits == fresh._literal_bits(name), name
            continue
        if kind == "chr":
            assert bits == fresh._built_char_bits(name), name
            continue
        members = saved.members.get((kind, name), [name])
        kids = [kid for syl in members for kid in kinds[kind][syl]]
        assert bits == fresh._keys_bits(kids), (kind, name)


def test_every_common_character_is_saved(lib: Library) -> None:
    """A hanzi query reads its characters' bitsets from the file when they are common
    (``saved_bits.CHAR``): every character with ``n >> SAVED_FROM`` places or more."""
    from collections import Counter

    from briefing.library import index as combined
    from briefing.library.saved_bits import CHAR, SAVED_FROM

    loaded = combined.load(lib.folder / "index" / "library.bin", None)
    assert loaded is not None and loaded.index.saved_bits is not None
    index = loaded.index
    counts = Counter(str(index._fold))
    common = {ch for ch, k in counts.items() if k >= index.size >> SAVED_FROM and ch != "\x00"}
    saved = {name for kind, name in index.saved_bits._where if kind == CHAR}
    assert saved == common and any(not ch.isascii() for ch in saved)
    ch = max(common - {"\n"}, key=counts.__getitem__)
    assert index._char_bits(ch) == _plain(loaded)._char_bits(ch)


def test_a_one_letter_query_builds_no_large_bitset(lib: Library, monkeypatch) -> None:
    """``x`` ORs every x-syllable's bitset: read from the file (one saved group), and
    only the rare syllables' built from their postings."""
    from briefing.library.saved_bits import SAVED_FROM
    from briefing.search.index import PinyinIndex

    searcher = Library.open(lib.folder).searcher()
    index = searcher._combined.index
    ends = index._readings.ends
    built: list[int] = []
    original = PinyinIndex._keys_bits

    def spied(self, kids):
        built.append(sum(ends[k] - ends[k - 1] for k in kids if k > 0))
        return original(self, kids)

    monkeypatch.setattr(PinyinIndex, "_keys_bits", spied)
    for letter in "bcdfghjlmnpqrstwxyz":
        assert searcher.search(letter, limit=20), letter
    assert all(count < index.size >> SAVED_FROM for count in built)
    assert len(built) < 19


def test_a_damaged_saved_bitset_is_built_again(lib: Library) -> None:
    from briefing.library import index as combined

    path = lib.folder / "index" / "library.bin"
    loaded = combined.load(path, None)
    assert loaded is not None
    expected = {q: [(h.section, h.start, h.end, h.score) for h in loaded.index.search(q, limit=9)]
                for q in ("x", "huaian", "zf", "f")}  # fmt: skip
    saved = loaded.index.saved_bits
    truth = {key: saved.get(*key) for key in saved._where}
    data = bytearray(path.read_bytes())
    # Spoil every saved bitset: a piece no longer inflates, or inflates to other bytes
    # than its Adler-32 says (a bit flipped in a piece of zeros may still inflate to
    # the same zeros: a copy from another distance; that bitset is read right).
    view = saved._blob
    offset = data.find(bytes(view[: min(64, len(view))]))
    assert offset > 0
    for start, length, _ in saved._where.values():
        data[offset + start + length // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    again = combined.load(path, None)
    assert again is not None
    read = {key: again.index.saved_bits.get(*key) for key in truth}
    assert all(bits is None or bits == truth[key] for key, bits in read.items())
    assert sum(bits is None for bits in read.values()) > len(read) // 2
    for query, hits in expected.items():
        assert [
            (h.section, h.start, h.end, h.score) for h in again.index.search(query, limit=9)
        ] == hits


def test_an_index_of_the_previous_version_is_rebuilt_not_misread(lib: Library) -> None:
    """Version 5 had no saved reading bitsets: its file is built again, not read."""
    import json
    import zlib

    from briefing.library import index as combined

    path = lib.folder / "index" / "library.bin"
    data = path.read_bytes()
    start = len(combined.MAGIC) + combined._LENGTHS.size
    size, _ = combined._LENGTHS.unpack_from(data, len(combined.MAGIC))
    header = json.loads(data[start : start + size])
    assert header["version"] == combined._VERSION >= 6
    header["version"] = 5
    del header["saved"]
    head = json.dumps(header, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    head += b" " * (size - len(head))
    old = combined.MAGIC + combined._LENGTHS.pack(size, zlib.crc32(head)) + head
    path.write_bytes(old + data[start + size :])
    assert combined.load(path, None) is None
    assert Library.open(lib.folder).search("huaian", limit=3)
    rebuilt = combined.load(path, None)
    assert rebuilt is not None and rebuilt.index.saved_bits is not None


def test_an_index_of_version_7_is_rebuilt_with_the_characters_saved(lib: Library) -> None:
    """Version 7 saved no character bitsets: its file is built again, not read as is."""
    import json
    import zlib

    from briefing.library import index as combined
    from briefing.library.saved_bits import CHAR

    path = lib.folder / "index" / "library.bin"
    data = path.read_bytes()
    start = len(combined.MAGIC) + combined._LENGTHS.size
    size, _ = combined._LENGTHS.unpack_from(data, len(combined.MAGIC))
    header = json.loads(data[start : start + size])
    header["version"] = 7
    header["saved"] = [e for e in header["saved"] if e[0] != CHAR]
    head = json.dumps(header, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    assert len(head) <= size
    head += b" " * (size - len(head))
    old = combined.MAGIC + combined._LENGTHS.pack(size, zlib.crc32(head)) + head
    path.write_bytes(old + data[start + size :])
    assert combined.load(path, None) is None
    assert Library.open(lib.folder).search("法治", limit=3)
    rebuilt = combined.load(path, None)
    assert rebuilt is not None and rebuilt.index.saved_bits is not None
    assert any(kind == CHAR for kind, _ in rebuilt.index.saved_bits._where)


def _library_of(tmp_path: Path, text: str) -> Library:
    path = tmp_path / "report.txt"
    path.write_text(text, encoding="utf-8")
    library = Library.open(tmp_path / "library")
    library.add(path)
    return library


def test_a_start_before_a_space_is_scanned_only_if_the_next_character_fits(
    tmp_path: Path, monkeypatch
) -> None:
    # 2,000 淮 before a space, then 工: "huaian" can begin at none of them (the
    # character after the space cannot read a/an), yet each was scanned in full.
    spaced = "".join(f"淮 工建设{n}。\n" for n in range(2000))
    text = "一、总则\n" + spaced + "淮安市。\n淮 安区。\n"
    searcher = _library_of(tmp_path, text).searcher()
    calls = _counting_scans(monkeypatch)
    hits = searcher.search("huaian", limit=20)
    assert [h.match.text for h in hits] == ["淮安", "淮 安"]
    assert len(calls) < 100


@pytest.mark.parametrize(
    "places", [[], [0], [7, 8], [5, 4096, 4097, 100_000], list(range(0, 900, 3))]
)
def test_positions_of_lists_every_set_bit_in_order(places: list[int]) -> None:
    from briefing.search.index import _positions_of

    bits = sum(1 << p for p in places)
    assert list(_positions_of(bits)) == places


def test_typing_a_query_letter_by_letter_finds_what_a_fresh_search_finds(
    tmp_path: Path,
) -> None:
    # The masks of path prefixes are kept between keystrokes: a prefix known from
    # the previous letter must still bring its starts before a space.
    text = "一、总则\n" + "淮 安区。淮安市。政府 工作。\n" * 30 + "服务 大局。\n"
    library = _library_of(tmp_path, text)
    typed = library.searcher()
    for query in ("huaian", "zfgz", "zhengfugongzuo", "fwdj"):
        for end in range(1, len(query) + 1):
            got = [(h.match.start, h.match.end, h.match.score) for h in
                   typed.search(query[:end], limit=100)]  # fmt: skip
        fresh = Library.open(tmp_path / "library").searcher()
        want = [(h.match.start, h.match.end, h.match.score) for h in
                fresh.search(query, limit=100)]  # fmt: skip
        assert got == want, query
        assert any(" " in h.match.text for h in typed.search(query, limit=100)), query


def test_a_query_typed_halfway_through_a_word_is_regrouped_not_scanned_through(
    tmp_path: Path, monkeypatch
) -> None:
    # Every hit of "zfj" is a piece of 政府机关: none reaches the level's bound, so
    # the library's levels were scanned to their end (35,000 starts on a thousand
    # reports); the starts left are regrouped by where their hits can end instead.
    text = "一、总则\n" + "".join(f"政府机关第{n}号。\n" for n in range(3000))
    searcher = _library_of(tmp_path, text).searcher()
    every = [(h.entry.id, h.match.start, h.match.score) for h in searcher.search("zfj")]
    calls = _counting_scans(monkeypatch)
    hits = searcher.search("zfj", limit=5)
    assert [(h.entry.id, h.match.start, h.match.score) for h in hits] == every[:5]
    assert len(calls) < 1000


_WORDS = ["fazhizhengfu", "xingzhengzhifa", "huaian", "gongzuo", "zfjs", "yingshang", "lvshi"]
#: What a user types: a word of the reports, or any letters.
_TYPED_WORDS = st.one_of(
    st.sampled_from(_WORDS), st.text(alphabet="abcdefghjklmnopqrstwxyz", min_size=1, max_size=6)
)


@pytest.fixture(scope="module")
def typed_searcher(typed_folder: Path):
    return Library.open(typed_folder).searcher()


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    word=_TYPED_WORDS,
    limit=st.sampled_from([1, 7, 30]),
    fuzzy=st.booleans(),
)
def test_each_prefix_typed_gives_the_head_of_the_full_ranking(
    typed_searcher, word: str, limit: int, fuzzy: bool
) -> None:
    """Typed one letter at a time on one searcher (its caches carry over from
    keystroke to keystroke, and from one example to the next), every limited search
    is the head of the unlimited one: same hits, same order."""
    for end in range(1, len(word) + 1):
        query = word[:end]
        head = typed_searcher.search(query, fuzzy=fuzzy, limit=limit)
        every = typed_searcher.search(query, fuzzy=fuzzy)
        assert [_key(h.entry.id, h.match) for h in head] == [
            _key(h.entry.id, h.match) for h in every[:limit]
        ], query


def test_a_one_letter_query_ranks_only_the_first_places_of_the_letter(
    tmp_path: Path, monkeypatch
) -> None:
    # 3,000 Latin "h" in the text: every one was a hit to rank, where the first
    # ``limit`` of them are all a limited search can show (they tie; position decides).
    import briefing.search.index as engine

    text = "一、总则\n" + "".join(f"第{n}号 h 型设备。\n" for n in range(3000))
    searcher = _library_of(tmp_path, text).searcher()
    every = [(h.entry.id, h.match.start, h.match.score) for h in searcher.search("h")]
    ranked: list[int] = []
    original = engine.rank_keys

    def counted(found, *args):
        ranked.append(len(found))
        return original(found, *args)

    monkeypatch.setattr(engine, "rank_keys", counted)
    for limit in (1, 20):
        hits = searcher.search("h", limit=limit)
        assert [(h.entry.id, h.match.start, h.match.score) for h in hits] == every[:limit]
    assert max(ranked) <= 60


def test_hanzi_across_a_space_are_found_in_one_pass_over_the_spaced_runs(
    tmp_path: Path, monkeypatch
) -> None:
    # 3,000 runs of hanzi with a space: each was searched on its own for every query.
    import briefing.search.index as engine

    text = "一、总则\n" + "".join(f"甲乙 丙丁{n}。\n" for n in range(3000)) + "蜻 蜓。\n"
    searcher = _library_of(tmp_path, text).searcher()
    searches: list[str] = []
    original = engine._find_all

    def counted(haystack: str, needle: str) -> list[int]:
        searches.append(needle)
        return original(haystack, needle)

    monkeypatch.setattr(engine, "_find_all", counted)
    assert [h.match.text for h in searcher.search("蜻蜓", limit=5)] == ["蜻 蜓"]
    assert [h.match.text for h in searcher.search("乙丙", limit=3)] == ["乙 丙"] * 3
    assert len(searches) < 100


# -- a limited search of hanzi (literal.py) --------------------------------------


def _common_phrases(index, least: int = 6) -> list[str]:
    """Runs of two to four hanzi found at least ``least`` times."""
    from collections import Counter

    fold = str(index._fold)
    counts = Counter(fold[k : k + size] for size in (2, 3, 4) for k in range(len(fold) - size))
    return sorted(
        p for p, n in counts.items() if n >= least and all("\u4e00" <= c <= "\u9fff" for c in p)
    )


def _head(index, query: str, limit: int | None) -> list[tuple]:
    return [(m.section, m.start, m.end, m.score) for m in index.search(query, limit=limit)]


def test_a_limited_hanzi_search_is_the_head_of_the_full_ranking(lib: Library, monkeypatch) -> None:
    """A phrase with many places is taken from bitsets after its first places (the
    class of ``法治政``: never a whole word, 100k places on a thousand reports); the
    hits are the first of the unlimited ranking, for every limit."""
    from briefing.library import literal

    calls: list[str] = []
    original = literal._rest_from_bits

    def spied(index, q, *args):
        calls.append(q)
        return original(index, q, *args)

    monkeypatch.setattr(literal, "_rest_from_bits", spied)
    monkeypatch.setattr(literal, "FIRST_PLACES", 0)  # a small library: its places are few
    index = lib.searcher()._combined.index
    phrases = _common_phrases(index)
    assert len(phrases) > 20
    for query in phrases:
        full = _head(index, query, None)
        for limit in (1, 2, 3, 20):
            assert _head(index, query, limit) == full[:limit], (query, limit)
    assert len(set(calls)) > 5  # the bitsets were used, not only the first places


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_random_hanzi_prefixes_rank_alike(lib: Library, data, monkeypatch) -> None:
    """Prefixes of random stretches of the text, as typed: limited = unlimited's head."""
    from briefing.library import literal

    monkeypatch.setattr(literal, "FIRST_PLACES", data.draw(st.sampled_from([0, 64])))
    index = lib.searcher()._combined.index
    fold = str(index._fold)
    at = data.draw(st.integers(0, len(fold) - 8))
    size = data.draw(st.integers(2, 6))
    limit = data.draw(st.sampled_from([1, 2, 7, 50]))
    query = "".join(ch for ch in fold[at : at + size] if not ch.isspace() and ch != "\x00")
    if len(query) < 2:
        return
    assert _head(index, query, limit) == _head(index, query, None)[:limit], (query, limit)


def test_regrouping_reads_the_path_masks_kept_between_keystrokes(lib: Library, monkeypatch) -> None:
    """``_tiers`` (a query typed halfway through a word) ANDs the same path prefixes
    as the keystroke before: it reads them from the searcher's kept masks."""
    from briefing.search.index import PinyinIndex

    index = lib.searcher()._combined.index
    index.search("zfj", limit=5)
    # (a search that stops early reads its levels piece by piece: no whole mask of
    # a whole path is made then; the regrouping of one keystroke makes them)
    index._tiers("zfj", False, index._syllables, index._prefixes, (1 << index.size) - 1)
    shifted: list[tuple] = []
    original = PinyinIndex._shifted_bits

    def spied(self, constraint, fuzzy, k):
        shifted.append(constraint)
        return original(self, constraint, fuzzy, k)

    monkeypatch.setattr(PinyinIndex, "_shifted_bits", spied)
    every = (1 << index.size) - 1
    levels = index._tiers("zfj", False, index._syllables, index._prefixes, every)
    assert levels and not shifted


def test_a_saved_bitset_that_does_not_inflate_is_none() -> None:
    """A piece that is no zlib stream (or inflates to another width), or a table of
    pieces whose CRC-32 does not match, is built again from the postings, whichever
    inflater reads it."""
    import struct
    import zlib

    from briefing.library.saved_bits import SavedBits, pack

    def entry(piece: bytes) -> tuple[bytes, int]:
        table = struct.pack("<I", len(piece))
        return table + piece, zlib.crc32(table)

    good, good_crc = pack((5).to_bytes(4, "little"))
    bad, bad_crc = entry(b"not a zlib stream")
    wrong, wrong_crc = entry(zlib.compress(b"\x01\x02"))
    blob = good + bad + wrong + good
    at = len(good) + len(bad) + len(wrong)
    entries = [
        ["ctx", "a", ["a"], 0, len(good), good_crc],
        ["ctx", "b", ["b"], len(good), len(bad), bad_crc],
        ["ctx", "c", ["c"], len(good) + len(bad), len(wrong), wrong_crc],
        ["ctx", "d", ["d"], at, len(good), good_crc ^ 1],
    ]
    saved = SavedBits(entries, blob, 4)
    assert saved.get("ctx", "a") == 5
    assert all(saved.get("ctx", name) is None for name in "bcd")


def test_a_fresh_searcher_reads_the_level_masks_from_the_file(lib: Library, monkeypatch) -> None:
    """The first one-syllable query of a session splits by the saved level masks,
    not by masks made from the word boundaries (``one_char_level_masks``)."""
    from briefing.library import candidates

    def made(*args):
        raise AssertionError("level masks made, not read")

    searcher = Library.open(lib.folder).searcher()
    monkeypatch.setattr(candidates, "one_char_level_masks", made)
    assert searcher.search("f", limit=5)


@settings(max_examples=30, deadline=None)
@given(
    st.lists(st.integers(0, 1 << 21), max_size=300),
    st.sampled_from([0, (1 << 18) - 1, 1 << 18, (1 << 20) + 5, 1 << 21]),
)
def test_the_places_of_a_large_bitset_are_listed_in_order(places: list[int], far: int) -> None:
    """``_positions_of`` lists the low bytes of a large bitset first, then the rest
    (a limited search stops early without copying it whole): no place lost or twice."""
    from briefing.search.index import _FIRST_BYTES, _positions_of

    bits = (1 << far) | (1 << ((_FIRST_BYTES << 3) - 1)) | (1 << (_FIRST_BYTES << 3))
    for p in places:
        bits |= 1 << p
    expected = [p for p in range(bits.bit_length()) if bits >> p & 1] if bits < 1 << 20 else None
    got = list(_positions_of(bits))
    assert got == sorted(set(got)) and all(bits >> p & 1 for p in got)
    assert len(got) == bin(bits).count("1")
    if expected is not None:
        assert got == expected


def test_a_hanzi_phrase_taken_from_bitsets_decodes_no_folded_text(
    lib: Library, monkeypatch
) -> None:
    """The characters of a phrase too rare to be saved are found in the file's bytes,
    not counted over the whole folded text (which decodes all of it)."""
    from briefing.library import literal
    from briefing.library.index import SavedFold

    monkeypatch.setattr(literal, "FIRST_PLACES", 0)
    searcher = Library.open(lib.folder).searcher()
    index = searcher._combined.index
    assert isinstance(index._fold, SavedFold)
    monkeypatch.setattr(index, "saved_bits", None)  # as for a character too rare to be saved
    plain = _plain(searcher._combined)
    used: list[str] = []
    original = literal._rest_from_bits
    monkeypatch.setattr(
        literal, "_rest_from_bits", lambda i, q, *a: used.append(q) or original(i, q, *a)
    )
    for phrase in _common_phrases(plain):
        assert _head(index, phrase, 2) == _head(plain, phrase, 2)
    assert used and index._fold._text is None


def test_an_index_of_version_8_is_rebuilt_with_its_bitsets_in_pieces(lib: Library) -> None:
    """Version 8 saved each bitset as one zlib stream: read as pieces it would be
    misread, so its file is built again."""

    from briefing.library import index as combined

    path = lib.folder / "index" / "library.bin"
    assert _index_version(path) == combined._VERSION >= 9
    _rewrite_index_version(path, 8)
    assert combined.load(path, None) is None
    assert Library.open(lib.folder).search("huaian", limit=3)
    rebuilt = combined.load(path, None)
    assert rebuilt is not None and rebuilt.index.saved_bits is not None
    saved = rebuilt.index.saved_bits
    assert all(saved.pieces(*key) is not None for key in saved._where)


def test_a_one_syllable_search_reads_saved_bitsets_piece_by_piece(
    lib: Library, monkeypatch
) -> None:
    """A limited one-syllable search takes its hits from the first pieces of the
    saved groups: no saved reading bitset is inflated whole (2.6 MB each on a
    thousand reports), and the hits are those of the index built anew."""
    from briefing.library.saved_bits import SavedBits

    searcher = Library.open(lib.folder).searcher()
    index = searcher._combined.index
    whole: list[tuple[str, str]] = []
    original = SavedBits.get

    def spied(self, kind, name):
        whole.append((kind, name))
        return original(self, kind, name)

    monkeypatch.setattr(SavedBits, "get", spied)
    plain = _plain(searcher._combined)
    for query in ("x", "z", "s", "h"):  # one letter: one-syllable hits only
        hits = [(h.section, h.start, h.end, h.score) for h in index.search(query, limit=30)]
        assert hits == [(h.section, h.start, h.end, h.score) for h in plain.search(query, limit=30)]
    assert not [key for key in whole if key[0] in ("ctx", "alt", "lvl")]
    for query in ("hu", "shi", "zheng"):  # and multi-syllable hits, from whole bitsets
        hits = [(h.section, h.start, h.end, h.score) for h in index.search(query, limit=30)]
        assert hits == [(h.section, h.start, h.end, h.score) for h in plain.search(query, limit=30)]


@pytest.mark.parametrize("seed", range(2))
def test_pieced_streams_list_the_bits_of_whole_bitsets(seed: int) -> None:
    """``_Pieced`` lists, piece by piece, exactly the bits the whole-integer split
    gives (OR of the operands, then word / weak / inside a word), across pieces."""
    import random

    from briefing.library.candidates import _IntOperand, _Pieced, _SavedOperand
    from briefing.library.saved_bits import PIECE, SavedBits, pack
    from briefing.search.index import _bits_from, _positions_of

    rng = random.Random(seed)
    n = 3 * PIECE * 8 + rng.randrange(PIECE * 8)
    width = (n >> 3) + 1

    def bits(density: float) -> int:
        return _bits_from(rng.sample(range(n), int(n * density)), n)

    a, b, word, weak = bits(0.001), bits(0.0005), bits(0.002), bits(0.002)
    weak &= ~word
    packed, crc = pack(a.to_bytes(width, "little"))
    saved = SavedBits([["ctx", "a", ["a"], 0, len(packed), crc]], packed, width)
    pieces = saved.pieces("ctx", "a")
    assert pieces is not None and pieces.count == 4
    operands = [_SavedOperand(pieces, lambda: a, width), _IntOperand(b, width)]
    masks = (_IntOperand(word, width), _IntOperand(weak, width))
    merged = _Pieced(operands, masks, width)
    both = a | b
    expected = {
        _Pieced.WORD: both & word,
        _Pieced.WEAK: both & weak,
        _Pieced.INSIDE: both ^ (both & word) ^ (both & weak),
    }
    for which, value in expected.items():
        assert list(merged.positions(which)) == list(_positions_of(value))
    assert list(_Pieced(operands, None, width).positions(_Pieced.ALL)) == list(_positions_of(both))


def test_the_starts_before_a_space_are_listed_once_for_the_same_prefixes(
    tmp_path: Path, monkeypatch
) -> None:
    """The starts before a space that a query's prefixes reach are kept between
    keystrokes (``_spaced_starts``): listing them from a 21 M-bit integer and
    testing each was ~10 ms of every keystroke on a thousand reports."""

    spaced = "".join(f"淮 工建设{n}。\n" for n in range(300))
    text = "一、总则\n" + spaced + "淮安市。\n淮 安区。\n"
    index = _library_of(tmp_path, text).searcher()._combined.index
    first = [(m.start, m.end, m.score) for m in index.search("huaian", limit=20)]
    listed = _spy_firsts_shifted(monkeypatch)
    assert [(m.start, m.end, m.score) for m in index.search("huaian", limit=20)] == first
    assert len(first) == 2 and not listed


@pytest.fixture
def small_pieces(monkeypatch) -> int:
    """Saved bitsets and levels in pieces of 16 bytes (128 characters), so that the
    test reports span many pieces, as a thousand reports span 40 of 64 KB."""
    from briefing.library import pieces, saved_bits

    piece = 16
    monkeypatch.setattr(saved_bits, "PIECE", piece)
    monkeypatch.setattr(pieces, "PIECE", piece)
    monkeypatch.setattr(pieces, "_PIECE_BITS", piece * 8)
    monkeypatch.setattr(pieces, "_PIECE_MASK", (1 << (piece * 8)) - 1)
    return piece


_REGROUPING_WORDS = ["政府机关", "政府", "机关", "法治", "总结"]
#: A text where ``zfj`` and its kin find too few hits at a level's bound: the
#: search regroups the starts left into tiers.
_REGROUPED_TEXT = "一、总则\n" + "".join(
    f"{_REGROUPING_WORDS[n % 7 % 5]}第{n}号。\n" for n in range(1500)
)


def _same_hits_as_plain(index, plain, queries: tuple[str, ...]) -> None:
    """The library's index finds what ``PinyinIndex`` finds over the same text."""
    for query in queries:
        for limit in (1, 5, 50, 300):
            mine = [(m.section, m.start, m.end, m.score) for m in index.search(query, limit=limit)]
            theirs = [
                (m.section, m.start, m.end, m.score) for m in plain.search(query, limit=limit)
            ]
            assert mine == theirs, (query, limit)


def test_searches_read_piece_by_piece_find_what_the_plain_matcher_finds(
    tmp_path: Path, small_pieces: int
) -> None:
    """With many pieces, the one-syllable streams and the levels read piece by piece
    (across pieces, shifted steps included) give the best hits of ``PinyinIndex``
    over the same text, a letter at a time as typed, limited or not."""
    library = Library.open(tmp_path / "library")
    library.add_many(FILES[:2])
    loaded = library.searcher()._combined
    index = loaded.index
    assert index.saved_bits is not None
    assert index.saved_bits._count > 40  # pieces: 128 characters each
    plain = _plain(loaded)
    typed = [q[:end] for q in ("fzzf", "huaian", "zfjs", "gongzuo", "xingzheng", "yingshang")
             for end in range(1, len(q) + 1)]  # fmt: skip
    for query in [*typed, *_spaced_queries(index)]:
        for limit, fuzzy in ((1, False), (20, False), (200, False), (20, True)):
            mine = [(m.section, m.start, m.end, m.score) for m in
                    index.search(query, limit=limit, fuzzy=fuzzy)]  # fmt: skip
            theirs = [(m.section, m.start, m.end, m.score) for m in
                      plain.search(query, limit=limit, fuzzy=fuzzy)]  # fmt: skip
            assert mine == theirs, (query, limit, fuzzy)


def test_a_regrouping_read_piece_by_piece_finds_what_the_plain_matcher_finds(
    tmp_path: Path, small_pieces: int, monkeypatch
) -> None:
    """``zfj`` typed halfway through 政府机关 (among other words) regroups the starts
    left into tiers read piece by piece (``_PiecedTiers``), then whole: the hits are
    those of ``PinyinIndex`` over the same text, at every limit."""
    from briefing.library.candidates import _PiecedTiers

    loaded = _library_of(tmp_path, _REGROUPED_TEXT).searcher()._combined
    index, plain = loaded.index, _plain(loaded)
    tiers: list[int] = []
    original = _PiecedTiers.positions

    def spied(self, t):
        tiers.append(t)
        return original(self, t)

    monkeypatch.setattr(_PiecedTiers, "positions", spied)
    _same_hits_as_plain(index, plain, ("zfj", "zfjg", "fzz", "jgz", "zfjs"))
    assert tiers  # the regrouping was read piece by piece


def test_a_regrouping_read_on_makes_no_whole_level_mask(
    tmp_path: Path, small_pieces: int, monkeypatch
) -> None:
    """The whole tiers of a regrouping read past its first pieces are not ANDed with
    the starts left: that made every level's whole mask (10-20 ms of ``zfj`` on a
    thousand reports). The search skips the starts it has scanned instead, and
    finds what ``PinyinIndex`` finds over the same text, at every limit."""
    from briefing.library.pieces import _LevelMasks, _PiecedTiers

    loaded = _library_of(tmp_path, _REGROUPED_TEXT).searcher()._combined
    index, plain = loaded.index, _plain(loaded)
    inside: list[int] = []
    made: list[int] = []
    whole, mask = _PiecedTiers.whole, _LevelMasks.mask

    def spied_whole(self, t):
        inside.append(t)
        wholes.append(t)
        try:
            return whole(self, t)
        finally:
            inside.pop()

    def spied_mask(self, i):
        if inside:
            made.append(i)
        return mask(self, i)

    wholes: list[int] = []
    monkeypatch.setattr(_PiecedTiers, "whole", spied_whole)
    monkeypatch.setattr(_LevelMasks, "mask", spied_mask)
    _same_hits_as_plain(index, plain, ("zfj", "zfjg", "fzz", "jgz"))
    assert wholes  # the tiers were read on past their first pieces
    assert not made


def test_a_prefix_within_another_adds_no_start_before_a_space(lib: Library) -> None:
    """``_step_within``: every place of the inner step is a place of the outer one,
    on the bitsets the index ANDs (so ``hua`` typed after ``hu`` lists the same
    starts before a space, those of ``h``, and finds them kept)."""
    from briefing.library.candidates import _step_within

    index = lib.searcher()._combined.index
    letters = sorted(index._latin)
    texts = sorted({s[:k] for s in index._syllables for k in (1, 2, 3)} | set(letters))
    steps = [("pre", t) for t in texts if t[0] in "hxzfs"]
    steps += [("eq", s) for s in sorted(index._syllables) if s[0] in "hxzfs"]
    steps += [("lit", ch) for ch in letters]
    checked = 0
    for inner in steps:
        for outer in steps:
            if inner == outer or not _step_within(inner, outer):
                continue
            bits = index._constraint_bits(inner, False) or 0
            wide = index._constraint_bits(outer, False)
            assert wide is None or bits & ~wide == 0, (inner, outer)
            checked += 1
    assert checked > 100


def test_the_next_letter_typed_finds_the_starts_before_a_space_kept(
    tmp_path: Path, monkeypatch
) -> None:
    """``hua`` after ``hu`` (Latin letters in the text: ``h-u-a`` is a way to read it):
    the prefixes of one step that reach a space are ``h`` (a letter, or the Latin
    letter) and ``hu``, within the first ``h``: their starts before a space are
    those of ``h``, listed once (each letter typed listed them again: 4-5 ms a
    keystroke on a thousand reports)."""

    spaced = "".join(f"淮 工建设{n}。\n" for n in range(300))
    text = "一、总则\n" + spaced + "淮安市。\n淮 安区。话 剧。型号 hua 与 iu 设备。\n"
    library = _library_of(tmp_path, text)
    fresh = {
        query: Library.open(tmp_path / "library").searcher()._combined.index.search(query, limit=20)
        for query in ("hua", "huai")
    }
    index = library.searcher()._combined.index
    index.search("hu", limit=20)
    listed = _spy_firsts_shifted(monkeypatch)
    for query in ("hua", "huai"):
        got = [(m.start, m.end, m.score) for m in index.search(query, limit=20)]
        assert got == [(m.start, m.end, m.score) for m in fresh[query]], query
    assert got and 1 not in listed


@pytest.fixture(scope="module")
def typed_folder(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("typed-fresh") / "library"
    Library.open(folder).add_many(FILES)
    return folder


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    word=_TYPED_WORDS,
    limit=st.sampled_from([1, 20, 200]),
)
def test_typed_in_order_or_on_a_fresh_searcher_the_hits_are_the_same(
    typed_folder: Path, word: str, limit: int
) -> None:
    """What one keystroke keeps for the next (masks of path prefixes, the starts
    before a space of the widest prefixes, tests of the steps after a space) never
    changes the hits: each prefix typed in order on one searcher (kept from one
    example to the next) gives what a searcher just opened gives."""
    typed = _typed_index(typed_folder)
    for end in range(1, len(word) + 1):
        query = word[:end]
        got = [(m.section, m.start, m.end, m.score) for m in typed.search(query, limit=limit)]
        fresh = Library.open(typed_folder).searcher()._combined.index
        want = [(m.section, m.start, m.end, m.score) for m in fresh.search(query, limit=limit)]
        assert got == want, query


_TYPED: dict[Path, object] = {}


def _typed_index(folder: Path):
    if folder not in _TYPED:
        _TYPED[folder] = Library.open(folder).searcher()._combined.index
    return _TYPED[folder]


def test_the_word_boundaries_are_read_once_for_both_edge_bases(lib: Library, monkeypatch) -> None:
    """The sure edges are the sure ones among all: the boundaries (2.6 MB on a
    thousand reports) become an integer once, for both (a regrouping needs both)."""
    from briefing.search.query import WEAK

    index = Library.open(lib.folder).searcher()._combined.index
    inner = index.__dict__["_inner"]
    sure = int.from_bytes(index._sure_bits or index._sure(), "little")
    reads: list[int] = []

    def read(self):
        reads.append(1)
        return inner

    monkeypatch.setattr(type(index), "_inner", property(read), raising=False)
    both = index._edge_base(WEAK)
    assert both == int.from_bytes(inner, "little")
    assert index._edge_base(0) == both & sure
    assert len(reads) == 1


def test_a_dropped_searcher_is_freed_without_a_collection(lib: Library) -> None:
    """A searcher (and its index: 450 MB on a thousand reports) goes when its last
    reference does: a reference cycle left it to a full collection, which freed it
    inside some later keystroke (~20 ms), or after a single report's index."""
    import gc
    import weakref

    from briefing.library.search import LibrarySearcher

    searcher = LibrarySearcher.load(lib)  # not the one ``lib`` keeps
    for query in ("fzzf", "hu", "法治", "zf"):
        for end in range(1, len(query) + 1):
            searcher.search(query[:end], limit=20)
    index = weakref.ref(searcher._combined.index)
    alone = load_index(lib.load(lib.entries()[0]))
    alone.search("fz", limit=5)
    one = weakref.ref(alone)
    gc.disable()
    try:
        del searcher, alone
        assert index() is None
        assert one() is None
    finally:
        gc.enable()


def test_a_bitset_ored_with_nothing_is_not_copied(lib: Library) -> None:
    """A syllable typed whole (``eq:hua``) is its syllable's bitset, and a syllable
    with no other reading (``syl:hua``) its context readings' bitset: the very same
    integers, not copies made by ORing them into 0 (2.6 MB each on a thousand
    reports, an operation and fresh memory each, kept in the caches)."""
    from briefing.library.search import LibrarySearcher

    index = LibrarySearcher.load(lib)._combined.index
    checked = 0
    for syl in ("hua", "zheng", "fa", "zhi", "ai"):
        if syl not in index._syllables:
            continue
        bits = index._syllable_bits(syl)
        assert bits, syl
        assert index._constraint_bits(("eq", syl), False) is bits
        ctx = index._reading_bits("ctx", syl, index._ctx_keys.get(syl, ()))
        alt = index._reading_bits("alt", syl, index._alt_keys.get(syl, ()))
        assert bits == ctx | alt
        if not alt:
            assert bits is ctx
            checked += 1
    assert checked


def test_a_shifted_step_is_kept_once(lib: Library) -> None:
    """A step's bitset shifted by ``k`` is one integer whether the candidates' prefix
    masks or the regrouping into tiers (``_shifted_bits``) asks for it: it was made
    and kept twice (fzz: z >> 2), 2.6 MB each on a thousand reports."""
    from briefing.library.search import LibrarySearcher

    searcher = LibrarySearcher.load(lib)
    for query in ("fzzf", "zfjs"):
        for end in range(1, len(query) + 1):
            searcher.search(query[:end], limit=20)
    index = searcher._combined.index
    shifts = {
        key: bits
        for key, bits in index._chain_cache()._items.items()
        if key[0] == "shift" and key[3] and bits
    }
    assert shifts
    for (_, fuzzy, constraint, k), bits in shifts.items():
        assert index._shifted_bits(constraint, fuzzy, k) is bits
    assert not [key for key in index._derived if key[0] == "shift"]
