"""Opening the library's combined index reads only what a query uses (issue 13).

A fresh ``briefing search QUERY --all`` pays for everything opening does before
its first hit; these tests count what is decoded (never time it): the folded
text is searched in the file's bytes, and each report's parts are paired with
their lengths only when a hit lands in that report.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from briefing.library import Library
from briefing.library.index import SavedFold, _text_codec

REAL = Path(__file__).parent / "reports" / "real"
FILES = [
    REAL / "jiangsu-huaian-2017-fazhi.txt",
    REAL / "jiangxi-nanchang-2019-fazhi.txt",
    REAL / "anhui-nanling-2023-jinzhan.txt",  # a table: spaces inside runs of hanzi
]


def _fold_of(text: str, pad: bytes = b"xyz") -> SavedFold:
    """``text`` stored as the index file stores it, after some other bytes."""
    codec = _text_codec(text)
    raw = pad + text.encode(codec, "surrogatepass") + b"tail"
    return SavedFold(raw, len(pad), len(raw) - len(pad) - 4, codec)


CASES = ["法治政府建设\x00xingzheng 2017", "𠀋字\x00超出基本平面", "A\u4100B", "", "\x00\x00a"]


@pytest.mark.parametrize("text", CASES)
def test_a_saved_fold_reads_as_the_string(text: str) -> None:
    fold = _fold_of(text)
    assert len(fold) == len(text)
    for a in range(-2, len(text) + 2):
        for b in range(-2, len(text) + 2):
            assert fold[a:b] == text[a:b]
    for k in range(-len(text), len(text)):
        assert fold[k] == text[k]
    with pytest.raises(IndexError):
        fold[len(text)]
    for needle in {*text, text[1:3], text, "", "zz", "\x00"}:
        for start in range(-2, len(text) + 2):
            assert fold.find(needle, start) == text.find(needle, start), (needle, start)
        assert fold.count(needle) == text.count(needle)
    assert str(fold) == text


def test_a_match_inside_a_character_is_no_match() -> None:
    """U+0041 U+4100 are the bytes 41 00 00 41: ``\\x00`` (00 00) lies across them."""
    fold = _fold_of("A\u4100")
    assert fold.find("\x00") == -1
    assert fold.find("\u4100") == 1


@settings(max_examples=60, deadline=None)
@given(
    st.text(alphabet="ab法治\x00 \u4100\u0041\u0100", max_size=24),
    st.text(alphabet="ab法治\x00 \u4100\u0041\u0100", min_size=1, max_size=3),
    st.integers(-3, 26),
)
def test_find_is_str_find(text: str, needle: str, start: int) -> None:
    fold = _fold_of(text)
    assert fold.find(needle, start) == text.find(needle, start)
    for end in (None, start + 2, -1, len(text)):
        assert fold.find(needle, start, end) == text.find(needle, start, end)


@pytest.fixture(scope="module")
def lib(tmp_path_factory: pytest.TempPathFactory) -> Library:
    library = Library.open(tmp_path_factory.mktemp("open") / "library")
    library.add_many(FILES)
    return library


def test_a_pinyin_search_decodes_neither_the_folded_text_nor_every_report(lib: Library) -> None:
    fresh = Library.open(lib.folder)
    searcher = fresh.searcher()
    combined = searcher._combined
    fold = combined.index._fold
    assert isinstance(fold, SavedFold)
    hits = searcher.search("fzzf", limit=3)
    assert hits
    assert fold._text is None  # read a character at a time, never decoded whole
    touched = {h.entry.id for h in hits}
    for member in combined.members:
        # No report's parts are paired with their ids; only the ids of the reports a
        # hit is in are split.
        assert member._parts is None, member
        assert (member._id_list is not None) == (member.entry_id in touched), member


def test_a_hanzi_search_finds_what_the_decoded_text_finds(lib: Library) -> None:
    searcher = Library.open(lib.folder).searcher()
    fold = searcher._combined.index._fold
    hits = [(h.entry.id, h.match) for h in searcher.search("法治政府")]
    assert fold._text is None  # found in the file's bytes
    str(fold)  # now decoded: the same hits from the string
    searcher._results.clear()
    assert [(h.entry.id, h.match) for h in searcher.search("法治政府")] == hits
    assert hits


def _record(**changes: object) -> dict[str, object]:
    record: dict[str, object] = {
        "id": "a" * 64,
        "report_sha256": "b" * 64,
        "title": "标题",
        "publisher": "",
        "date": "2021",
        "source_path": "/x/y.txt",
        "added": "2026-01-01T00:00:00+00:00",
        "size": 10,
        "sections": 2,
        "figures": 0,
        "characters": 8,
        "stored_path": f"files/{'a' * 64}/y.txt",
        "bundled": False,
    }
    record.update(changes)
    return record


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({}, None),
        ({"stored_path": "files//x/./y.txt"}, None),
        ({"stored_path": "files/..x/y.txt"}, None),
        ({"stored_path": "/etc/passwd"}, "outside"),
        ({"stored_path": "files/../../y.txt"}, "outside"),
        ({"stored_path": ".."}, "outside"),
        ({"stored_path": "files/a/.."}, "outside"),
        ({"stored_path": ""}, "stored_path"),
        ({"stored_path": 3}, "stored_path"),
        ({"bundled": 1}, "stored_path"),
        ({"size": True}, "size"),
        ({"size": -1}, "size"),
        ({"figures": 1.0}, "figures"),
        ({"title": None}, "title"),
        ({"title": 5}, "title"),
        ({"id": "A" * 64}, "id"),
        ({"bundled": True, "stored_path": "/opt/data/r.txt"}, None),
    ],
)
def test_a_catalogue_record_is_checked_field_by_field(changes: dict, problem: str | None) -> None:
    from briefing.library.catalogue import record_to_entry

    folder = Path("/lib")
    record = _record(**changes)
    if problem is None:
        entry = record_to_entry(record, folder)
        stored = Path(str(record["stored_path"]))
        assert entry.stored_path == (stored if record["bundled"] else folder / stored)
        assert entry.size == record["size"] and type(entry.size) is int
        assert entry.title == record["title"]
    else:
        with pytest.raises(ValueError, match=problem):
            record_to_entry(record, folder)


def test_the_saved_gap_bits_and_place_names_are_those_the_index_would_make(
    lib: Library,
) -> None:
    from briefing.search.index import _bits_from

    combined = Library.open(lib.folder).searcher()._combined
    index = combined.index
    assert index._gap_list and index._gap_bits == _bits_from(index._gap_list, index._n)
    assert index._gap_starts == index.state().gap_starts
    every = combined.labels()  # all of them, split at once
    at = 0
    for k, member in enumerate(combined.members):
        count = member.part_count()
        alone = Library.open(lib.folder).searcher()._combined
        assert alone.labels_of(k) == every[at : at + count]
        at += count
    assert at == len(every)


def test_a_hit_reads_the_place_names_of_its_own_report_only(lib: Library) -> None:
    searcher = Library.open(lib.folder).searcher()
    hits = searcher.search("xingzheng", limit=2)
    assert hits and all(h.place for h in hits if h.match.section not in ("title", "meta"))
    combined = searcher._combined
    assert combined._labels is None  # not split whole
    numbers = {
        k for k, m in enumerate(combined.members) if m.entry_id in {h.entry.id for h in hits}
    }
    assert set(combined._member_labels) <= numbers
