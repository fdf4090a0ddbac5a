"""The parsed-report cache: equal to a fresh parse, never stale, corrupt files ignored."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zlib
from array import array
from pathlib import Path

import pytest

import briefing
from briefing import parse, report_cache
from briefing.model import Report
from briefing.parse import parse_report
from briefing.resources import bundled_report_path
from briefing.section_table import ParagraphLayout
from briefing.source import SourceError, read_source

REPO = Path(__file__).resolve().parent.parent
REPORTS = sorted((REPO / "tests" / "reports").glob("*.txt"))
ALL_REPORTS = [bundled_report_path(), *REPORTS]


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("BRIEFING_CACHE_DIR", str(folder))
    return folder


@pytest.fixture
def no_parsing(monkeypatch: pytest.MonkeyPatch):
    """Make any parse fail, so that a report that loads came from the cache."""

    def refuse(*args: object, **kwargs: object) -> Report:
        raise AssertionError("parsed instead of served from the cache")

    def enable() -> None:
        monkeypatch.setattr(parse, "parse_report", refuse)

    return enable


def fresh_parse(path: Path) -> Report:
    return parse_report(read_source(path), path=path)


def cache_files(folder: Path) -> list[Path]:
    return sorted(folder.glob("report-*.json")) if folder.exists() else []


def write_report(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


SMALL = "一、加强组织领导\n一是健全制度。全年召开会议12次。\n二、推进依法行政\n全面推行清单制度。\n"
# Same length in characters and in UTF-8 bytes, different words.
SMALL_SAME_SIZE = SMALL.replace("健全制度", "完善机制")


@pytest.mark.parametrize("path", ALL_REPORTS, ids=lambda p: p.name)
def test_a_cached_report_equals_a_fresh_parse(path: Path, cache_dir: Path, no_parsing) -> None:
    first = briefing.load_report(path)
    assert len(cache_files(cache_dir)) == 1
    assert not list(cache_dir.glob("*.tmp")), "no temp file left"
    no_parsing()
    second = briefing.load_report(path)
    assert second == first == fresh_parse(path)
    assert second.path == Path(path)
    assert second.metadata == first.metadata
    assert [s.label for s in second.sections] == [s.label for s in first.sections]
    assert second.section(second.sections[-1].id) == first.sections[-1]


def test_the_bundled_report_loads_from_the_cache(cache_dir: Path, no_parsing) -> None:
    first = briefing.load_report()
    no_parsing()
    assert briefing.load_report() == first
    assert briefing.load_report(str(bundled_report_path())) == first


def test_a_relative_path_keeps_its_own_spelling(
    tmp_path: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch, no_parsing
) -> None:
    write_report(tmp_path / "r.txt", SMALL)
    monkeypatch.chdir(tmp_path)
    briefing.load_report("r.txt")
    no_parsing()
    cached = briefing.load_report("r.txt")
    assert cached.path == Path("r.txt")
    assert briefing.load_report(tmp_path / "r.txt").path == tmp_path / "r.txt"


def test_a_warm_start_does_not_import_the_parser(cache_dir: Path) -> None:
    briefing.load_report()
    code = (
        "import sys, briefing\n"
        "report = briefing.load_report()\n"
        "assert report.sections\n"
        "print(sorted(m for m in ('briefing.parse', 'hashlib') if m in sys.modules))\n"
    )
    env = {**os.environ, "BRIEFING_CACHE_DIR": str(cache_dir)}
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=REPO, check=True
    )
    assert result.stdout.strip() == "[]"


def test_new_content_of_the_same_size_and_a_new_mtime_is_parsed_again(
    tmp_path: Path, cache_dir: Path
) -> None:
    path = write_report(tmp_path / "r.txt", SMALL)
    first = briefing.load_report(path)
    before = path.stat()
    write_report(path, SMALL_SAME_SIZE)
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns + 5_000_000_000))
    assert path.stat().st_size == before.st_size
    second = briefing.load_report(path)
    assert second == fresh_parse(path)
    assert second != first
    assert "完善机制" in second.body
    assert len(cache_files(cache_dir)) == 1


def test_new_content_with_the_same_size_and_mtime_is_parsed_again(
    tmp_path: Path, cache_dir: Path
) -> None:
    """A rewrite within one timestamp tick: the checksum of the bytes catches it."""
    path = write_report(tmp_path / "r.txt", SMALL)
    briefing.load_report(path)
    before = path.stat()
    write_report(path, SMALL_SAME_SIZE)
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert (path.stat().st_size, path.stat().st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    assert "完善机制" in briefing.load_report(path).body


def _rewrite_in_place(path: Path, text: str) -> None:
    """New bytes of the same size, the mtime put back: only the bytes tell."""
    before = path.stat()
    write_report(path, text)
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert (path.stat().st_size, path.stat().st_mtime_ns) == (before.st_size, before.st_mtime_ns)


def test_a_report_checked_later_is_served_on_its_size_and_mtime_then_caught(
    tmp_path: Path, cache_dir: Path
) -> None:
    """The reader's start: the CRC-32s wait for ``check_deferred``, which must catch
    a same-size, same-mtime rewrite that the quick checks let through."""
    path = write_report(tmp_path / "r.txt", SMALL)
    first = briefing.load_report(path)
    quick = briefing.load_report(path, check_later=True)
    assert quick == first
    assert report_cache.check_deferred(quick)
    assert report_cache.check_deferred(quick)  # checked once, then known good
    _rewrite_in_place(path, SMALL_SAME_SIZE)
    stale = briefing.load_report(path, check_later=True)
    assert "健全制度" in stale.body  # served before the bytes were compared ...
    assert not report_cache.check_deferred(stale)  # ... and caught by the deferred check
    assert "完善机制" in briefing.load_report(path).body  # a full load parses again


def test_a_damaged_entry_checked_later_is_caught(tmp_path: Path, cache_dir: Path) -> None:
    """A flipped byte in the texts keeps the entry's shape: only its CRC-32 tells."""
    path = write_report(tmp_path / "r.txt", SMALL)
    briefing.load_report(path)
    (entry,) = cache_files(cache_dir)
    data = entry.read_bytes()
    at = data.rindex("健全".encode())
    entry.write_bytes(data[:at] + "完善".encode() + data[at + len("健全".encode()) :])
    assert report_cache.load_cached(path) is None  # a full check refuses it at once
    served = report_cache.load_cached(path, check_later=True)
    assert served is not None and not report_cache.check_deferred(served)


def test_the_reader_start_reads_neither_the_source_nor_the_texts_of_the_entry(
    tmp_path: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """O(size) work waits for the first paint: no read of the source, of the entry only
    what comes before the texts (a 19 MB report: ~40 ms of it), and no CRC-32 but
    that of the report line, columns and labels (used before the deferred checks)."""
    import builtins
    import io

    path = write_report(tmp_path / "r.txt", _many_sections(300))
    briefing.load_report(path)
    (entry,) = cache_files(cache_dir)
    header_line, report_line, _columns, _labels, texts = split_entry(entry.read_bytes())
    texts_size = len(texts)
    before_texts = entry.stat().st_size - len(header_line) - 1 - texts_size
    crcs: list[int] = []
    real_crc, real_open = zlib.crc32, io.open
    opened: list[str] = []

    def counting_crc(data: bytes, *more: int) -> int:
        crcs.append(len(data))
        return real_crc(data, *more)

    def watching_open(file: object, *args: object, **kwargs: object):
        opened.append(str(file))
        return real_open(file, *args, **kwargs)

    with monkeypatch.context() as patch:
        patch.setattr(report_cache.zlib, "crc32", counting_crc)
        patch.setattr(builtins, "open", watching_open)
        patch.setattr(io, "open", watching_open)  # what ``Path.open`` calls
        patch.setattr(Path, "read_bytes", lambda self: pytest.fail(f"read {self}"))
        report = briefing.load_report(path, check_later=True)
    # A path's key, and the columns: never the source's bytes or the texts.
    assert sum(size for size in crcs if size >= 200) == before_texts > len(report_line)
    assert str(path) not in opened and str(entry) in opened
    table = report.sections
    assert isinstance(table._blob, report_cache.FileTexts) and len(table._blob) == texts_size
    assert report == fresh_parse(path)


def test_a_report_checked_later_reads_its_texts_from_the_entry_then_from_memory(
    tmp_path: Path, cache_dir: Path
) -> None:
    """Before the first paint only the entry's columns are read (a section's text
    when it is made); the deferred check hands the checked bytes to the table."""
    path = write_report(tmp_path / "r.txt", SMALL)
    fresh = briefing.load_report(path)
    served = briefing.load_report(path, check_later=True)
    assert isinstance(served.sections._blob, report_cache.FileTexts)
    assert served.sections[1] == fresh.sections[1]
    assert report_cache.check_deferred(served)
    assert isinstance(served.sections._blob, memoryview)
    assert served == fresh and served.sections._made[1] is not None


def test_a_report_checked_later_keeps_reading_the_entry_it_was_served_from(
    tmp_path: Path, cache_dir: Path
) -> None:
    """A new entry replacing the file (the report parsed again elsewhere) or the
    old one cut short: the sections never mix two entries and nothing raises."""
    path = write_report(tmp_path / "r.txt", SMALL)
    briefing.load_report(path)
    served = briefing.load_report(path, check_later=True)
    write_report(path, SMALL.replace("健全制度", "完善机制") + "三、强化监督\n全年办案300件。\n")
    assert "完善机制" in briefing.load_report(path).body  # a new entry replaces the old one
    assert "健全制度" in served.sections[1].text  # still the entry it was served from
    assert not report_cache.check_deferred(served)

    write_report(path, SMALL)
    briefing.load_report(path)
    cut = briefing.load_report(path, check_later=True)
    (entry,) = cache_files(cache_dir)
    os.truncate(entry, entry.stat().st_size - 20)  # cut in place, under the open file
    whole = fresh_parse(path).sections[-1].text
    shown = cut.sections[-1].text  # what was left, a cut character replaced
    assert len(shown) < len(whole) and whole.startswith(shown.rstrip("\ufffd"))
    assert not report_cache.check_deferred(cut)


def test_a_report_checked_later_whose_file_is_gone_fails_its_check(
    tmp_path: Path, cache_dir: Path
) -> None:
    path = write_report(tmp_path / "r.txt", SMALL)
    briefing.load_report(path)
    served = briefing.load_report(path, check_later=True)
    path.unlink()
    assert not report_cache.check_deferred(served)


def test_a_fresh_parse_or_a_checked_load_has_nothing_left_to_check(
    tmp_path: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_report(tmp_path / "r.txt", SMALL)
    parsed = briefing.load_report(path, check_later=True)  # a miss: parsed, nothing deferred
    loaded = briefing.load_report(path)
    monkeypatch.setattr(report_cache.PendingCheck, "passes", lambda self: False)
    assert report_cache.check_deferred(parsed) and report_cache.check_deferred(loaded)


def test_new_content_of_another_size_is_parsed_again(tmp_path: Path, cache_dir: Path) -> None:
    path = write_report(tmp_path / "r.txt", SMALL)
    briefing.load_report(path)
    write_report(path, SMALL + "三、强化监督\n全年办理复议案件300件。\n")
    report = briefing.load_report(path)
    assert report == fresh_parse(path)
    assert report.sections[-1].title == "强化监督"


def test_a_removed_or_emptied_file_is_still_an_error(tmp_path: Path, cache_dir: Path) -> None:
    path = write_report(tmp_path / "r.txt", SMALL)
    briefing.load_report(path)
    write_report(path, "信息名称:某某报告 |\n")
    with pytest.raises(SourceError, match="no report text"):
        briefing.load_report(path)
    path.unlink()
    with pytest.raises(SourceError, match="no such file"):
        briefing.load_report(path)
    with pytest.raises(SourceError, match="folder"):
        briefing.load_report(tmp_path)


def split_entry(entry: bytes) -> tuple[bytes, bytes, list[array], bytes, bytes]:
    """A cache entry's header line, report line, binary columns, labels and texts."""
    header_line, rest = entry.split(b"\n", 1)
    report_line, body = rest.split(b"\n", 1)
    columns, at = [], 0
    data = json.loads(report_line)
    for size, (_name, code) in zip(data["arrays"], report_cache._COLUMNS, strict=True):
        values = array(code)
        values.frombytes(body[at : at + values.itemsize * size])
        columns.append(values)
        at += values.itemsize * size
    labels = body[at : at + sum(data["labels"])]
    return header_line, report_line, columns, labels, body[at + sum(data["labels"]) :]


def corrupt_variants(entry: bytes) -> dict[str, bytes]:
    header_line, report_line, arrays, labels, texts = split_entry(entry)
    rest = entry.split(b"\n", 1)[1]
    header = json.loads(header_line)
    report = json.loads(report_line)

    def with_report(
        data: object, body: bytes = texts, binary: list[array] = arrays, names: bytes = labels
    ) -> bytes:
        """A well-formed entry whose report line is ``data`` (checksums updated)."""
        packed = b"".join(values.tobytes() for values in binary)
        columns = json.dumps(data, ensure_ascii=False).encode() + b"\n" + packed + names
        line = columns + body
        sums = {"report_crc32": zlib.crc32(line), "columns_crc32": zlib.crc32(columns)}
        return json.dumps({**header, **sums}).encode() + b"\n" + line

    def with_array(which: int, values: list[int]) -> bytes:
        changed = [array(a.typecode, values) if k == which else a for k, a in enumerate(arrays)]
        sizes = [len(a) for a in changed]
        return with_report({**report, "arrays": sizes}, binary=changed)

    id_size, name_size = report["labels"]
    label_ends, id_ends = list(arrays[9]), list(arrays[10])

    def with_ids(ids: bytes) -> bytes:
        names = ids + labels[id_size:]
        return with_report({**report, "labels": [len(ids), name_size]}, names=names)

    ends, firsts, levels = list(arrays[0]), list(arrays[1]), list(arrays[3])
    parents, lengths = list(arrays[4]), list(arrays[5])
    return {
        "empty": b"",
        "garbage": b"\x00\xff not json at all",
        "truncated": entry[: len(entry) // 2],
        "no report line": header_line,
        "no texts": header_line + b"\n" + report_line,
        "header not an object": b"[1, 2]\n" + rest,
        "flipped byte in the report": header_line
        + b"\n"
        + rest.replace("一".encode(), "二".encode(), 1),
        "report not an object": with_report([1, 2, 3]),
        "another format": with_report({**report, "format": 1}),
        "no format": with_report({k: v for k, v in report.items() if k != "format"}),
        "labels size missing": with_report({k: v for k, v in report.items() if k != "labels"}),
        "labels size not a number": with_report({**report, "labels": ["12", name_size]}),
        "labels sizes not two": with_report({**report, "labels": [id_size]}),
        "an id missing": with_ids(labels[:id_size].rsplit(b"\n", 1)[0]),
        "an id too many": with_ids(labels[:id_size] + b"\nx"),
        "ids not UTF-8": with_ids(b"\xff" + labels[1:id_size]),
        "names of another size": with_array(9, [*label_ends[:-1], label_ends[-1] + 1]),
        "name ends too few": with_array(9, label_ends[:-1]),
        "id ends too few": with_array(10, id_ends[:-1]),
        "id ends not the ids'": with_array(10, [id_ends[0] + 1, *id_ends[1:]]),
        "a section column too short": with_array(3, levels[:1]),
        "parent out of the report": with_array(4, [len(parents) + 1, *parents[1:]]),
        "ends not the texts'": with_array(0, [*ends[:-1], ends[-1] + 1]),
        "a binary column too short": with_array(2, [0]),
        "paragraph counts not the paragraphs'": with_array(1, [*firsts[:-1], firsts[-1] + 1]),
        "a section without a paragraph": with_array(1, [0, 0, *firsts[2:]]),
        "paragraphs from the second": with_array(1, [1, *firsts[1:]]),
        "a paragraph column too short": with_array(8, lengths[:-1]),
        "binary columns cut short": with_report(report, b"", arrays[:2], b""),
        "arrays missing": with_report({k: v for k, v in report.items() if k != "arrays"}),
        "texts cut short": with_report(report, texts[:-3]),
        "metadata wrong": with_report({**report, "metadata": {"title": "x"}}),
        "sha256 missing": with_report({k: v for k, v in report.items() if k != "sha256"}),
        "deep nesting": with_report({**report, "metadata": [[[[[[[[[[]]]]]]]]]] * 5}),
    }


def test_a_corrupt_cache_is_ignored_and_rewritten(tmp_path: Path, cache_dir: Path) -> None:
    path = write_report(tmp_path / "r.txt", SMALL)
    expected = briefing.load_report(path)
    (entry_path,) = cache_files(cache_dir)
    entry = entry_path.read_bytes()
    for name, damaged in corrupt_variants(entry).items():
        entry_path.write_bytes(damaged)
        assert report_cache.load_cached(path) is None, name
        # The reader's start misses too, or serves it and its deferred checks fail.
        served = report_cache.load_cached(path, check_later=True)
        assert served is None or not report_cache.check_deferred(served), name
        assert briefing.load_report(path) == expected, name
        assert entry_path.read_bytes() == entry, f"{name}: the entry is written again"


def test_an_unreadable_cache_entry_is_ignored(tmp_path: Path, cache_dir: Path) -> None:
    path = write_report(tmp_path / "r.txt", SMALL)
    expected = briefing.load_report(path)
    (entry_path,) = cache_files(cache_dir)
    entry_path.unlink()
    entry_path.mkdir()  # a folder where the file should be: reading it fails
    assert briefing.load_report(path) == expected


def test_an_unusable_cache_folder_is_not_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    not_a_folder = tmp_path / "cache-file"
    not_a_folder.write_text("x")
    monkeypatch.setenv("BRIEFING_CACHE_DIR", str(not_a_folder))
    path = write_report(tmp_path / "r.txt", SMALL)
    assert briefing.load_report(path) == fresh_parse(path)
    assert briefing.load_report(path) == fresh_parse(path)


def test_a_changed_parser_misses_and_replaces_the_old_entry(
    tmp_path: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = tmp_path / "package"
    package.mkdir()
    for name in report_cache._PARSER_FILES:
        (package / name).parent.mkdir(parents=True, exist_ok=True)  # formats/…
        shutil.copy(REPO / "briefing" / name, package / name)
    monkeypatch.setattr(report_cache, "_PACKAGE_DIR", package)
    report_cache.code_version.cache_clear()
    monkeypatch.setattr(report_cache, "code_version", report_cache.code_version.__wrapped__)
    path = write_report(tmp_path / "r.txt", SMALL)

    briefing.load_report(path)
    old_version = report_cache.code_version()
    (old_entry,) = cache_files(cache_dir)
    with (package / "parse.py").open("a", encoding="utf-8") as handle:
        handle.write("\n# a change\n")
    assert report_cache.code_version() != old_version
    assert report_cache.load_cached(path) is None
    assert briefing.load_report(path) == fresh_parse(path)
    (new_entry,) = cache_files(cache_dir)
    assert new_entry != old_entry

    (package / "parse.py").unlink()  # no sources to check: no cache at all
    assert report_cache.code_version() is None
    assert report_cache.load_cached(path) is None
    assert report_cache.save_cached(path, path.read_bytes(), fresh_parse(path)) is None


def test_only_regular_files_are_cached(tmp_path: Path, cache_dir: Path) -> None:
    report = fresh_parse(bundled_report_path())
    assert report_cache.save_cached(tmp_path, b"", report) is None
    assert report_cache.load_cached(tmp_path) is None
    assert report_cache.load_cached(tmp_path / "missing.txt") is None
    assert report_cache.load_cached("bad\x00name.txt") is None


def test_bytes_that_do_not_match_the_file_are_not_cached(tmp_path: Path, cache_dir: Path) -> None:
    """The file changed size between reading and saving: the entry would describe other bytes."""
    path = write_report(tmp_path / "r.txt", SMALL)
    report = fresh_parse(path)
    assert report_cache.save_cached(path, path.read_bytes() + b"x", report) is None
    assert cache_files(cache_dir) == []


def test_two_files_have_their_own_entries(tmp_path: Path, cache_dir: Path, no_parsing) -> None:
    one = write_report(tmp_path / "one.txt", SMALL)
    two = write_report(tmp_path / "two.txt", SMALL_SAME_SIZE)
    first, second = briefing.load_report(one), briefing.load_report(two)
    assert len(cache_files(cache_dir)) == 2
    no_parsing()
    assert briefing.load_report(one) == first
    assert briefing.load_report(two) == second
    assert first != second


# --------------------------------------------------------------------------
# Figures cached with the report


def figure_files(folder: Path) -> list[Path]:
    return sorted(folder.glob("figures-*.json")) if folder.exists() else []


@pytest.fixture
def no_finding(monkeypatch: pytest.MonkeyPatch):
    """Make finding figures fail, so that figures that come back came from the cache."""
    from briefing import figures

    def refuse(*args: object, **kwargs: object) -> list:
        raise AssertionError("figures found again instead of served from the cache")

    return lambda: monkeypatch.setattr(figures, "report_figures", refuse)


@pytest.mark.parametrize("path", ALL_REPORTS, ids=lambda p: p.name)
def test_cached_figures_equal_fresh_ones(path: Path, cache_dir: Path, no_finding) -> None:
    from briefing.figures import report_figures

    report = briefing.load_report(path)
    expected = report_figures(report)
    assert report_cache.report_figures_cached(report) == expected
    assert len(figure_files(cache_dir)) == 1
    no_finding()
    again = report_cache.report_figures_cached(briefing.load_report(path))
    assert again == expected
    for figure in again:
        assert figure.text == report.section(figure.section).text[figure.start : figure.end]


def test_figures_of_another_report_at_the_same_path_are_not_served(
    tmp_path: Path, cache_dir: Path
) -> None:
    path = write_report(tmp_path / "r.txt", SMALL)
    report_cache.report_figures_cached(briefing.load_report(path))
    write_report(path, SMALL.replace("12次", "15次"))
    report = briefing.load_report(path)
    assert report_cache.load_figures(report) is None
    assert [f.text for f in report_cache.report_figures_cached(report)] == ["15次"]
    assert report_cache.load_figures(report) is not None


def test_figures_are_checked_against_the_sections_they_are_for(
    tmp_path: Path, cache_dir: Path
) -> None:
    """Same path and sha256 but other sections (a parser change not seen): a miss."""
    from dataclasses import replace

    path = write_report(tmp_path / "r.txt", SMALL)
    report = briefing.load_report(path)
    report_cache.report_figures_cached(report)
    renamed = replace(report, sections=tuple(replace(s, id=s.id + "x") for s in report.sections))
    assert report_cache.load_figures(renamed) is None
    shorter = replace(report, sections=report.sections[:1])
    assert report_cache.load_figures(shorter) is None


def test_a_report_without_a_path_has_figures_but_no_cache(cache_dir: Path) -> None:
    report = parse_report(SMALL)
    assert [f.text for f in report_cache.report_figures_cached(report)] == ["12次"]
    assert figure_files(cache_dir) == []
    assert report_cache.load_figures(report) is None


def test_a_changed_figure_grammar_misses_and_replaces_the_old_entry(
    tmp_path: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = tmp_path / "package"
    package.mkdir()
    for name in report_cache._FIGURE_FILES:
        (package / name).parent.mkdir(parents=True, exist_ok=True)  # formats/…
        shutil.copy(REPO / "briefing" / name, package / name)
    monkeypatch.setattr(report_cache, "_PACKAGE_DIR", package)
    report_cache.figures_version.cache_clear()
    monkeypatch.setattr(report_cache, "figures_version", report_cache.figures_version.__wrapped__)
    path = write_report(tmp_path / "r.txt", SMALL)
    report = briefing.load_report(path)
    report_cache.report_figures_cached(report)
    (old_entry,) = figure_files(cache_dir)
    with (package / "figures.py").open("a", encoding="utf-8") as handle:
        handle.write("\n# a change\n")
    assert report_cache.load_figures(report) is None
    report_cache.report_figures_cached(report)
    (new_entry,) = figure_files(cache_dir)
    assert new_entry != old_entry
    (package / "figures.py").unlink()
    assert report_cache.load_figures(report) is None
    assert report_cache.save_figures(report, []) is None


def figures_variants(entry: bytes) -> dict[str, bytes]:
    header_line, figures_line = entry.split(b"\n", 1)
    header = json.loads(header_line)
    data = json.loads(figures_line)
    flat = data["figures"]

    def with_figures(value: object) -> bytes:
        """A well-formed entry whose figures line is ``value`` (checksum updated)."""
        line = json.dumps(value, ensure_ascii=False).encode()
        return json.dumps({**header, "figures_crc32": zlib.crc32(line)}).encode() + b"\n" + line

    def with_first(position: int, value: object) -> bytes:
        return with_figures({**data, "figures": [*flat[:position], value, *flat[position + 1 :]]})

    return {
        "empty": b"",
        "garbage": b"\x00\xff not json",
        "truncated": entry[: len(entry) // 2],
        "no figures line": header_line,
        "flipped byte": header_line + b"\n" + figures_line.replace(b"1", b"2", 1),
        "not an object": with_figures([1, 2]),
        "kinds reordered": with_figures({**data, "kinds": data["kinds"][::-1]}),
        "odd length": with_figures({**data, "figures": flat[:-1]}),
        "section out of range": with_first(0, 99),
        "negative section": with_first(0, -1),
        "start past the text": with_first(1, 10_000),
        "negative start": with_first(1, -1),
        "empty span": with_first(2, 0),
        "kind out of range": with_first(3, 42),
        "unit out of range": with_first(4, 42),
        "approx not a flag": with_first(5, 7),
        "value a string": with_first(6, "12"),
        "start a float": with_first(1, 1.5),
    }


def test_corrupt_figures_are_ignored_and_rewritten(tmp_path: Path, cache_dir: Path) -> None:
    path = write_report(tmp_path / "r.txt", SMALL)
    report = briefing.load_report(path)
    expected = report_cache.report_figures_cached(report)
    (entry_path,) = figure_files(cache_dir)
    entry = entry_path.read_bytes()
    for name, damaged in figures_variants(entry).items():
        entry_path.write_bytes(damaged)
        assert report_cache.load_figures(report) is None, name
        assert report_cache.report_figures_cached(report) == expected, name
        assert entry_path.read_bytes() == entry, f"{name}: the entry is written again"


def test_the_figures_command_uses_the_cache(tmp_path: Path, cache_dir: Path) -> None:
    from click.testing import CliRunner

    from briefing.cli.commands import cli as main

    path = write_report(tmp_path / "r.txt", SMALL)
    runner = CliRunner()
    first = runner.invoke(main, ["figures", "--json", str(path)])
    assert first.exit_code == 0, first.output
    assert len(figure_files(cache_dir)) == 1
    again = runner.invoke(main, ["figures", "--json", str(path)])
    assert json.loads(again.output) == json.loads(first.output)
    assert [f["text"] for f in json.loads(again.output)] == ["12次"]


async def test_the_reader_takes_its_figures_from_the_cache(
    tmp_path: Path, cache_dir: Path, no_finding
) -> None:
    """A report opened before shows its figures without finding them again."""
    from briefing.store import Store
    from briefing.tui.app import BriefingApp

    path = write_report(tmp_path / "r.txt", SMALL)
    report = briefing.load_report(path)
    expected = report_cache.report_figures_cached(report)
    assert [f.text for f in expected] == ["12次"]
    no_finding()
    store = Store.open(tmp_path / "notes.json")
    try:
        app = BriefingApp(briefing.load_report(path), store)
        async with app.run_test(size=(100, 30)) as pilot:
            # The figures' worker may start after the index's: wait for its result,
            # not for the workers running at one moment (it failed under load).
            from tests.conftest import settle

            await settle(pilot, lambda: getattr(app.screen, "figures", None) == expected)
            assert app.screen.figures == expected
    finally:
        store.close()


def test_loading_leaves_the_garbage_collector_as_it_found_it(
    tmp_path: Path, cache_dir: Path
) -> None:
    import gc

    path = write_report(tmp_path / "r.txt", SMALL)
    expected = briefing.load_report(path)
    assert report_cache.load_cached(path) == expected and gc.isenabled()
    gc.disable()
    try:
        assert report_cache.load_cached(path) == expected and not gc.isenabled()
    finally:
        gc.enable()
    (entry,) = cache_files(cache_dir)
    entry.write_bytes(entry.read_bytes()[:-2])  # a damaged entry: a miss, collector back on
    assert report_cache.load_cached(path) is None and gc.isenabled()


def test_texts_are_stored_raw_after_the_columns(tmp_path: Path, cache_dir: Path) -> None:
    """Not one JSON string per section: the reader's first paint decoded them all."""
    path = write_report(tmp_path / "r.txt", SMALL)
    report = briefing.load_report(path)
    (entry,) = cache_files(cache_dir)
    _header, report_line, _columns, labels, texts = split_entry(entry.read_bytes())
    assert texts.decode("utf-8") == "".join(s.text for s in report.sections)
    sections = report.sections
    ids = "\n".join(s.id for s in sections)
    names = "".join([*(s.number for s in sections), *(s.title for s in sections)])
    assert labels.decode("utf-8") == ids + names
    assert b"ids" not in report_line  # no column as JSON
    assert not any(s.title.encode() in report_line for s in sections if s.title)


def test_the_report_line_holds_no_value_per_section(tmp_path: Path, cache_dir: Path) -> None:
    """The reader's start decodes the report line: its size must not grow with the
    sections (a 5 MB report's JSON columns were ~40 M instructions of the first paint)."""
    sizes = []
    for count in (10, 400):
        path = write_report(tmp_path / f"r{count}.txt", _many_sections(count))
        briefing.load_report(path)
        entry = report_cache.cache_path(path.resolve(), report_cache.code_version() or "")
        sizes.append(len(split_entry(entry.read_bytes())[1]))
        assert report_cache.load_cached(path) == fresh_parse(path)
    assert sizes[1] - sizes[0] < 20  # only the digits of the sizes grow


def test_an_entry_of_the_previous_format_is_rebuilt(tmp_path: Path, cache_dir: Path) -> None:
    """Format 1 (sections as JSON columns, byte lengths) under the current name: a
    miss, parsed again and written in the current format."""
    path = write_report(tmp_path / "r.txt", SMALL)
    expected = briefing.load_report(path)
    (entry_path,) = cache_files(cache_dir)
    header_line, report_line, _columns, _labels, texts = split_entry(entry_path.read_bytes())
    sections = expected.sections
    old = {k: v for k, v in json.loads(report_line).items() if k not in ("format", "labels")}
    old["sections"] = {
        "ids": [s.id for s in sections],
        "levels": [s.level for s in sections],
        "numbers": [s.number for s in sections],
        "titles": [s.title for s in sections],
        "parents": [s.parent for s in sections],
    }
    layout = ParagraphLayout.of(tuple(sections))
    old_arrays = [
        [len(s.text.encode()) for s in sections],
        *(list(getattr(layout, n)) for n in ("counts", "headings", "lengths", "cells")),
    ]
    old["arrays"] = [len(a) for a in old_arrays]
    line = json.dumps(old, ensure_ascii=False).encode() + b"\n"
    line += b"".join(array("q", a).tobytes() for a in old_arrays) + texts
    header = {**json.loads(header_line), "report_crc32": zlib.crc32(line)}
    entry_path.write_bytes(json.dumps(header).encode() + b"\n" + line)
    assert report_cache.load_cached(path) is None
    assert report_cache.load_cached(path, check_later=True) is None
    assert briefing.load_report(path) == expected
    assert json.loads(split_entry(entry_path.read_bytes())[1])["format"] == report_cache.FORMAT
    assert report_cache.load_cached(path) == expected


def test_an_id_that_holds_a_newline_is_not_cached(tmp_path: Path, cache_dir: Path) -> None:
    """Ids are split on newlines: a report whose id would hold one is parsed each time
    rather than served wrong (a title may hold one: titles are stored by length)."""
    from dataclasses import replace

    path = write_report(tmp_path / "r.txt", SMALL)
    report = fresh_parse(path)
    titled = replace(report, sections=(replace(report.sections[0], title="两\n行"),))
    assert report_cache.save_cached(path, path.read_bytes(), titled) is not None
    assert report_cache.load_cached(path).sections[0].title == "两\n行"  # type: ignore[union-attr]
    for entry in cache_files(cache_dir):
        entry.unlink()
    odd = replace(report.sections[0], id="0\n1")
    changed = replace(report, sections=(odd, *report.sections[1:]))
    assert report_cache.save_cached(path, path.read_bytes(), changed) is None
    assert cache_files(cache_dir) == []


def _many_sections(count: int) -> str:
    parts = [f"第{n}章 第{n}部分\n" + f"全年办理案件{n}件。" * 3 for n in range(1, count + 1)]
    return "报告\n" + "\n".join(parts) + "\n"


def test_a_cached_report_makes_no_section_until_asked(tmp_path: Path, cache_dir: Path) -> None:
    """The reader's first paint needs the contents and one section, not all of them:
    loading makes none, the page and the contents read the columns."""
    from briefing.section_table import SectionTable
    from briefing.tui.page import Page

    path = write_report(tmp_path / "r.txt", _many_sections(300))
    fresh = briefing.load_report(path)
    cached = report_cache.load_cached(path)
    assert cached is not None and isinstance(cached.sections, SectionTable)
    made = cached.sections._made
    page = Page(cached)
    assert len(fresh.sections) > 100
    middle = fresh.sections[len(fresh.sections) // 2].id
    assert cached.has_section(middle) and cached.index_of(middle) == fresh.index_of(middle)
    assert page.first_of(middle) == Page(fresh).first_of(middle)
    assert page.paragraphs.spacers() == Page(fresh).paragraphs.spacers()
    assert sum(s is not None for s in made) == 0
    assert cached.section(middle) == fresh.section(middle)
    assert sum(s is not None for s in made) == 1
    assert cached == fresh and hash(cached) == hash(fresh)


@pytest.mark.parametrize("path", ALL_REPORTS, ids=lambda p: p.name)
def test_the_cached_paragraph_layout_is_the_computed_one(path: Path, cache_dir: Path) -> None:
    from briefing.section_table import ParagraphLayout

    briefing.load_report(path)
    cached = report_cache.load_cached(path)
    assert cached is not None
    stored = ParagraphLayout.of(cached.sections)
    computed = ParagraphLayout.of(tuple(cached.sections))
    for name in ("counts", "firsts", "headings", "lengths", "cells", "spacers", "heights"):
        assert list(getattr(stored, name)) == list(getattr(computed, name)), name
    assert stored.cells_total == computed.cells_total == sum(computed.cells)


def test_the_reader_start_splits_no_ids_and_computes_no_heights(
    tmp_path: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A report from the cache is laid out at the default measure from the kept
    heights, and its ids are found in their run: before the first paint of a 5 MB
    report the ids were split (~2.5 M instructions) and every paragraph's height
    computed (~12 M with the spacers)."""
    from briefing import section_table
    from briefing.section_table import DEFAULT_WIDTH, IdColumn, estimated_heights
    from briefing.tui.page import Page

    path = write_report(tmp_path / "r.txt", _many_sections(300))
    fresh = fresh_parse(path)
    briefing.load_report(path)
    report = briefing.load_report(path, check_later=True)
    ids = report.sections.ids
    assert isinstance(ids, IdColumn)
    page = Page(report)
    layout = page.paragraphs.layout
    expected = estimated_heights(layout.cells, page.paragraphs.spacers(), DEFAULT_WIDTH)
    middle = fresh.sections[150]
    first = Page(fresh).first_of(middle.id)

    def refuse(*args: object) -> list[int]:
        raise AssertionError("heights computed")

    monkeypatch.setattr(section_table, "estimated_heights", refuse)
    assert list(page.estimated_heights(DEFAULT_WIDTH)) == expected
    assert report.index_of(middle.id) == 150 and page.first_of(middle.id) == first
    assert page.paragraphs[page.first_of(middle.id)].section == middle.id
    assert ids._list is None  # nothing split
    assert list(ids) == [s.id for s in fresh.sections]
    with pytest.raises(AssertionError, match="heights computed"):
        page.estimated_heights(DEFAULT_WIDTH - 1)  # another width: computed


def test_a_section_table_is_a_sequence_of_sections(tmp_path: Path, cache_dir: Path) -> None:
    path = write_report(tmp_path / "r.txt", SMALL)
    fresh = briefing.load_report(path)
    cached = report_cache.load_cached(path)
    assert cached is not None
    table = cached.sections
    assert table[-1] == fresh.sections[-1] and table[1:] == fresh.sections[1:]
    assert list(table) == list(fresh.sections) and len(table) == len(fresh.sections)
    assert table[0] is table[0]  # made once, then kept
    assert table * 2 == fresh.sections * 2 and table + fresh.sections == fresh.sections * 2
    assert fresh.sections[:0] + table == fresh.sections
    assert table.index(table[1]) == 1 and table[1] in table
    with pytest.raises(IndexError):
        table[len(table)]


def test_a_hand_made_entry_with_bytes_that_are_not_utf8_is_shown_not_raised(
    tmp_path: Path, cache_dir: Path
) -> None:
    """Its CRC-32 made to match: texts are decoded when shown, with replacement."""
    path = write_report(tmp_path / "r.txt", SMALL)
    briefing.load_report(path)
    (entry_path,) = cache_files(cache_dir)
    header_line, report_line, columns, labels, texts = split_entry(entry_path.read_bytes())
    header = json.loads(header_line)
    packed = b"".join(c.tobytes() for c in columns)
    line = report_line + b"\n" + packed + labels + b"\xff" + texts[1:]
    header["report_crc32"] = zlib.crc32(line)
    entry_path.write_bytes(json.dumps(header).encode() + b"\n" + line)
    cached = report_cache.load_cached(path)
    assert cached is not None and "\ufffd" in cached.sections[0].text


def test_figure_spans_are_the_cached_figures_places_by_section(
    tmp_path: Path, cache_dir: Path
) -> None:
    """A search's excerpts need only where figures are: the spans come from the same
    checked entry, without making the figures (67,000 of them at 8 MB)."""
    from dataclasses import replace

    from briefing import report_cache as cache_module
    from briefing.model import Figure

    path = write_report(tmp_path / "r.txt", SMALL)
    report = briefing.load_report(path)
    assert report_cache.load_figure_spans(report) is None  # never found: not scanned
    figures = report_cache.report_figures_cached(report)
    expected: dict[str, list[tuple[int, int]]] = {}
    for figure in figures:
        expected.setdefault(figure.section, []).append((figure.start, figure.end))
    made: list[object] = []
    real_init = Figure.__init__

    def counting(self, *args, **kwargs):
        made.append(self)
        real_init(self, *args, **kwargs)

    original = cache_module.Figure
    try:
        cache_module.Figure = type("CountedFigure", (Figure,), {"__init__": counting})
        assert report_cache.load_figure_spans(briefing.load_report(path)) == expected
    finally:
        cache_module.Figure = original
    assert made == []
    renamed = replace(report, sections=tuple(replace(s, id=s.id + "x") for s in report.sections))
    assert report_cache.load_figure_spans(renamed) is None
