"""The library model: copies keyed by their bytes, the catalogue, resolve, remove, search."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from briefing.library import Library, LibraryError
from briefing.resources import bundled_report_path

REAL = Path(__file__).parent / "reports" / "real"
HUAIAN = REAL / "jiangsu-huaian-2017-fazhi.txt"
NANCHANG = REAL / "jiangxi-nanchang-2019-fazhi.txt"


@pytest.fixture
def lib(tmp_path: Path) -> Library:
    return Library.open(tmp_path / "library")


def test_the_bundled_report_is_always_listed(lib: Library) -> None:
    entries = lib.entries()
    assert len(entries) == 1
    assert entries[0].bundled
    assert entries[0].stored_path == bundled_report_path()
    assert entries[0].sections > 0 and entries[0].figures > 0


def test_add_keeps_a_copy_keyed_by_the_file_bytes(lib: Library, tmp_path: Path) -> None:
    source = tmp_path / "in" / HUAIAN.name
    source.parent.mkdir()
    source.write_bytes(HUAIAN.read_bytes())
    entry = lib.add(source)
    import hashlib

    assert entry.id == hashlib.sha256(HUAIAN.read_bytes()).hexdigest()
    assert entry.stored_path.read_bytes() == HUAIAN.read_bytes()
    assert entry.stored_path.is_relative_to(lib.folder)
    assert entry.source_path == str(source)
    assert "淮安" in entry.title
    source.unlink()  # the library does not need the original any more
    assert lib.load(entry).metadata.title == entry.title
    # Another process sees it.
    assert [e.id for e in Library.open(lib.folder).entries()][1:] == [entry.id]


def test_adding_the_same_file_twice_adds_it_once(lib: Library, tmp_path: Path) -> None:
    first = lib.add(HUAIAN)
    copy = tmp_path / "elsewhere.txt"
    copy.write_bytes(HUAIAN.read_bytes())
    assert lib.add(copy) == first
    assert len(lib.entries()) == 2


def test_a_new_edition_is_a_new_entry(lib: Library, tmp_path: Path) -> None:
    first = lib.add(HUAIAN)
    edited = tmp_path / HUAIAN.name
    edited.write_text(HUAIAN.read_text(encoding="utf-8") + "\n四、新增一段。\n", encoding="utf-8")
    second = lib.add(edited)
    assert second.id != first.id and second.title == first.title
    assert len(lib.entries()) == 3


def test_add_many_reports_each_failure_in_its_place(lib: Library, tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    seen: list[tuple[int, int]] = []
    results = lib.add_many(
        [HUAIAN, tmp_path / "missing.txt", empty, NANCHANG],
        progress=lambda done, total, path: seen.append((done, total)),
    )
    assert [type(r).__name__ for r in results] == [
        "LibraryEntry",
        "LibraryError",
        "LibraryError",
        "LibraryEntry",
    ]
    assert all("\n" not in str(r) for r in results if isinstance(r, LibraryError))
    assert seen == [(1, 4), (2, 4), (3, 4), (4, 4)]
    assert len(lib.entries()) == 3
    assert len(list((lib.folder / "files").iterdir())) == 2  # no copy of a refused file


def test_resolve_by_prefix_and_its_errors(lib: Library) -> None:
    entry = lib.add(HUAIAN)
    assert lib.resolve(entry.id[:8]) == entry
    assert lib.resolve(entry.id.upper()) == entry
    with pytest.raises(LibraryError, match="no report with id"):
        lib.resolve("ffffffffffff0000")
    with pytest.raises(LibraryError, match="empty"):
        lib.resolve("  ")


def test_an_ambiguous_prefix_is_refused(lib: Library, tmp_path: Path) -> None:
    text = HUAIAN.read_text(encoding="utf-8")
    firsts: dict[str, int] = {}
    for n in range(17):  # 17 ids: two share their first hex digit
        edition = tmp_path / f"edition-{n}.txt"
        edition.write_text(text + f"\n第{n}版。\n", encoding="utf-8")
        first = lib.add(edition).id[0]
        firsts[first] = firsts.get(first, 0) + 1
        if firsts[first] == 2:
            break
    with pytest.raises(LibraryError, match="ambiguous"):
        lib.resolve(first)


def test_remove_keeps_notes_and_the_bundled_report(lib: Library, tmp_path: Path) -> None:
    from briefing.store import Store

    entry = lib.add(HUAIAN)
    report = lib.load(entry)
    with Store.open(tmp_path / "notes.json") as store:
        store.notes.add(report, report.sections[0].id, "看这里")
    assert lib.remove(entry.id[:10]) == entry
    assert not entry.stored_path.exists()
    assert [e.bundled for e in lib.entries()] == [True]
    with Store.open(tmp_path / "notes.json") as store:
        assert [n.text for n in store.notes.list(report)] == ["看这里"]
    with pytest.raises(LibraryError, match="no report"):
        lib.remove(entry.id)
    with pytest.raises(LibraryError, match="bundled"):
        lib.remove(lib.entries()[0].id)


def test_a_missing_stored_copy_is_one_clear_error(lib: Library) -> None:
    entry = lib.add(HUAIAN)
    entry.stored_path.unlink()
    with pytest.raises(LibraryError, match="missing"):
        lib.load(entry)
    # Adding the file again restores the copy.
    assert lib.add(HUAIAN).stored_path.is_file()


def test_a_damaged_entry_is_skipped_and_reported(lib: Library) -> None:
    entry = lib.add(HUAIAN)
    other = lib.add(NANCHANG)
    data = json.loads(lib.catalogue_path.read_text(encoding="utf-8"))
    data["entries"][entry.id]["sections"] = "many"
    lib.catalogue_path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    again = Library.open(lib.folder)
    assert [e.id for e in again.entries()][1:] == [other.id]
    assert any("damaged" in w for w in again.warnings)
    with pytest.raises(LibraryError, match="damaged"):
        again.resolve(entry.id[:8])
    # The damaged record is kept in the file until the user removes it.
    assert entry.id in json.loads(lib.catalogue_path.read_text(encoding="utf-8"))["entries"]
    assert again.remove(entry.id[:8]).id == entry.id
    assert entry.id not in json.loads(lib.catalogue_path.read_text(encoding="utf-8"))["entries"]


def test_a_stored_path_outside_the_library_is_refused(lib: Library) -> None:
    entry = lib.add(HUAIAN)
    data = json.loads(lib.catalogue_path.read_text(encoding="utf-8"))
    data["entries"][entry.id]["stored_path"] = "../../etc/passwd"
    lib.catalogue_path.write_text(json.dumps(data), encoding="utf-8")
    assert [e.id for e in Library.open(lib.folder).entries()][1:] == []


def test_an_unreadable_catalogue_is_moved_aside_and_rebuilt(lib: Library) -> None:
    entry = lib.add(HUAIAN)
    lib.catalogue_path.write_bytes(b'{"version": 1, "entries": {')
    again = Library.open(lib.folder)
    assert [e.id for e in again.entries()][1:] == [entry.id]
    assert any("moved to" in w for w in again.warnings)
    assert list(lib.folder.glob("catalogue.json.corrupt-*"))


def test_search_covers_every_report(lib: Library) -> None:
    entry = lib.add(HUAIAN)
    hits = lib.search("huaian")
    assert hits and all(h.entry.id == entry.id for h in hits)
    assert {h.match.section for h in hits} >= {"title"}
    for hit in hits:
        assert hit.match.text in hit.snippet
    both = lib.search("法治政府")
    assert {h.entry.id for h in both} == {e.id for e in lib.entries()}
    scores = [h.match.score for h in both]
    assert scores == sorted(scores, reverse=True)
    assert len(lib.search("法治政府", limit=3)) == 3
    assert lib.search("法治政府", limit=0) == []
