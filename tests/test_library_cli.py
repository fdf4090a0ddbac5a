"""``briefing library [add|remove]`` and ``search|notes|export --all`` through click's runner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefing.cli import cli, reader_arguments

REAL = Path(__file__).parent / "reports" / "real"
HUAIAN = REAL / "jiangsu-huaian-2017-fazhi.txt"
NANCHANG = REAL / "jiangxi-nanchang-2019-fazhi.txt"


@pytest.fixture()
def run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("BRIEFING_LIBRARY", str(tmp_path / "library"))
    db = str(tmp_path / "db" / "briefing.json")

    def invoke(*args: str):
        return CliRunner().invoke(cli, ["--db", db, *args], catch_exceptions=False)

    return invoke


def _one_error_line(result, *words: str) -> None:
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("briefing: "), result.stderr
    for word in words:
        assert word in lines[0]
    assert "Traceback" not in result.output


def _add(run, *paths: Path) -> list[str]:
    result = run("library", "add", *map(str, paths))
    assert result.exit_code == 0, result.output
    return [line.split()[0] for line in result.stdout.splitlines()]


def test_library_is_a_command_not_a_file_to_open() -> None:
    assert reader_arguments(["library"]) is None
    assert reader_arguments(["library", "add", "x.txt"]) is None


def test_add_prints_each_id_and_lists_them(run) -> None:
    ids = _add(run, HUAIAN, NANCHANG)
    assert len(ids) == 2 and all(len(i) == 64 for i in ids)
    assert _add(run, HUAIAN) == ids[:1]  # twice is once
    rows = json.loads(run("library", "--json").stdout)
    assert [r["id"] for r in rows][1:] == ids
    assert rows[0]["bundled"] is True
    assert {
        "id",
        "title",
        "publisher",
        "date",
        "size",
        "sections",
        "figures",
        "notes",
        "last_read",
    } <= set(rows[0])
    text = run("library").stdout
    assert ids[0][:12] in text and "淮安" in text


def test_add_reports_a_bad_file_and_adds_the_others(run, tmp_path: Path) -> None:
    result = run("library", "add", str(tmp_path / "missing.txt"), str(HUAIAN))
    assert result.exit_code == 2
    assert "missing.txt" in result.stderr
    assert len(result.stdout.splitlines()) == 1
    assert len(json.loads(run("library", "--json").stdout)) == 2


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"", ("is empty",)),
        (bytes(range(256)) * 8, ("binary",)),
        (b"\xff\xfe\x00", ("UTF-16",)),
        ("\u3000\n\t\n".encode(), ("no text",)),
    ],
)
def test_a_file_that_cannot_be_read_is_named_as_the_user_gave_it(
    run, tmp_path: Path, content: bytes, words: tuple[str, ...]
) -> None:
    """The message named the library's own copy (…/library/files/<sha256>/x.txt),
    a path the user never typed; the copy is not left behind either."""
    (tmp_path / "x.txt").write_bytes(content)
    result = run("library", "add", "x.txt")
    assert result.exit_code == 2
    first = result.stderr.splitlines()[0]
    assert first.startswith("briefing: x.txt "), result.stderr
    assert "files" not in first and str(tmp_path / "library") not in result.stderr
    for word in words:
        assert word in first
    files = tmp_path / "library" / "files"
    assert not files.exists() or not any(files.iterdir())


def test_notes_column_and_last_read_come_from_the_store(run, tmp_path: Path) -> None:
    from briefing.library import Library
    from briefing.store import Store

    (entry_id,) = _add(run, HUAIAN)
    lib = Library.open(tmp_path / "library")
    report = lib.load(lib.resolve(entry_id))
    with Store.open(tmp_path / "db" / "briefing.json") as store:
        store.notes.add(report, report.sections[0].id, "一")
        store.notes.add(report, report.sections[0].id, "二")
        store.reading.set(report, report.sections[-1].id)
    row = json.loads(run("library", "--json").stdout)[1]
    assert row["notes"] == 2 and row["last_read"]


def test_remove_by_prefix_keeps_notes(run, tmp_path: Path) -> None:
    (entry_id,) = _add(run, HUAIAN)
    path_note = run("note", "add", "0", "留着", str(HUAIAN))
    assert path_note.exit_code == 0
    result = run("library", "remove", entry_id[:8])
    assert result.exit_code == 0 and entry_id in result.stdout
    assert len(json.loads(run("library", "--json").stdout)) == 1
    assert [n["text"] for n in json.loads(run("notes", str(HUAIAN), "--json").stdout)] == ["留着"]


def test_bad_ids_are_one_line(run) -> None:
    _add(run, HUAIAN)
    _one_error_line(run("library", "remove", "zzzz"), "no report")
    bundled = json.loads(run("library", "--json").stdout)[0]["id"]
    _one_error_line(run("library", "remove", bundled[:10]), "bundled")
    _one_error_line(run("library", "remove", "\x1b[31m"), "no report")


def test_a_removed_stored_file_is_one_line(run, tmp_path: Path) -> None:
    (entry_id,) = _add(run, HUAIAN)
    run("note", "add", "0", "x", str(HUAIAN))  # notes make `notes --all` read it
    for path in (tmp_path / "library" / "files" / entry_id).iterdir():
        path.unlink()
    # Notes and export must not leave a report out silently: they stop.
    _one_error_line(run("notes", "--all"), "missing", entry_id[:12])
    _one_error_line(run("export", "--all", "-o", "-"), "missing", entry_id[:12])
    # Search still searches the rest, and says what it skipped.
    searched = run("search", "changzhou", "--all", "--json")
    assert searched.exit_code == 0 and json.loads(searched.stdout)
    assert "missing" in searched.stderr
    assert all(h["report"]["id"] != entry_id for h in json.loads(searched.stdout))


def test_a_damaged_entry_is_one_line_when_named(run, tmp_path: Path) -> None:
    (entry_id,) = _add(run, HUAIAN)
    catalogue = tmp_path / "library" / "catalogue.json"
    data = json.loads(catalogue.read_text(encoding="utf-8"))
    data["entries"][entry_id]["size"] = -1
    catalogue.write_text(json.dumps(data), encoding="utf-8")
    listed = run("library", "--json")
    assert listed.exit_code == 0
    assert len(json.loads(listed.stdout)) == 1
    assert "damaged" in listed.stderr
    _one_error_line(run("library", "remove", "--", entry_id[:1] + "x"), "no report")
    searched = run("search", "huaian", "--all", "--json")  # the rest is searched, with a warning
    assert searched.exit_code == 0 and "damaged" in searched.stderr
    removed = run("library", "remove", entry_id[:8])
    assert removed.exit_code == 0 and "damaged" in removed.stdout
    listed = run("library", "--json")
    assert listed.exit_code == 0 and listed.stderr == ""


def test_search_all_names_each_report(run) -> None:
    ids = _add(run, HUAIAN, NANCHANG)
    hits = json.loads(run("search", "fazhi", "--all", "--json").stdout)
    assert {h["report"]["id"] for h in hits} >= set(ids)
    for hit in hits:
        assert set(hit) == {"report", "section", "start", "end", "text", "kind", "score", "snippet"}
        assert hit["report"]["title"]
    scores = [h["score"] for h in hits]
    assert scores == sorted(scores, reverse=True)
    assert len(json.loads(run("search", "fazhi", "--all", "--json", "--limit", "2").stdout)) == 2
    text = run("search", "huaian", "--all").stdout
    assert ids[0][:12] in text and "淮安" in text
    _one_error_line(run("search", "x", str(HUAIAN), "--all"), "--all")


def test_notes_all_groups_by_report_and_export_all_has_a_part_each(run) -> None:
    ids = _add(run, HUAIAN, NANCHANG)
    for path, text in ((HUAIAN, "淮安的笔记"), (NANCHANG, "南昌的笔记")):
        assert run("note", "add", "0", text, str(path)).exit_code == 0
    assert run("note", "add", "1", "常州的笔记").exit_code == 0
    groups = json.loads(run("notes", "--all", "--json").stdout)
    assert [g["report"]["id"] for g in groups][1:] == ids
    assert [[n["text"] for n in g["notes"]] for g in groups] == [
        ["常州的笔记"],
        ["淮安的笔记"],
        ["南昌的笔记"],
    ]
    shown = run("notes", "--all").stdout
    assert "淮安的笔记" in shown and ids[1][:12] in shown
    markdown = run("export", "--all", "-o", "-").stdout
    titles = [line for line in markdown.splitlines() if line.startswith("# ")]
    assert len(titles) == 3
    assert all(t in markdown for t in ("淮安的笔记", "南昌的笔记", "常州的笔记"))
    written = run("export", "--all", "-o", "all.md")
    assert written.exit_code == 0 and Path("all.md").read_text(encoding="utf-8") == markdown


def test_export_all_with_nothing_to_export_is_one_line(run) -> None:
    _one_error_line(run("export", "--all", "-o", "-"), "no report")


def test_notes_all_reads_the_database_once(run, monkeypatch) -> None:
    """Every report's notes come from one read of the file (36 MB at 50,000 notes)."""
    from briefing.store.storage import AtomicJSONStorage

    _add(run, HUAIAN, NANCHANG)
    for path, text in ((HUAIAN, "淮安的笔记"), (NANCHANG, "南昌的笔记")):
        assert run("note", "add", "0", text, str(path)).exit_code == 0
    reads: list[int] = []
    real = AtomicJSONStorage._read_file

    def counted(self):  # type: ignore[no-untyped-def]
        reads.append(1)
        return real(self)

    monkeypatch.setattr(AtomicJSONStorage, "_read_file", counted)
    assert run("notes", "--all", "--json").exit_code == 0
    assert len(reads) == 1


def test_each_warning_about_a_damaged_entry_is_said_once(run, tmp_path: Path) -> None:
    """``notes --all`` opened the library several times and said each damaged entry's
    warning as often (six times)."""
    (entry_id,) = _add(run, HUAIAN)
    catalogue = tmp_path / "library" / "catalogue.json"
    data = json.loads(catalogue.read_text(encoding="utf-8"))
    data["entries"][entry_id]["size"] = -1
    catalogue.write_text(json.dumps(data), encoding="utf-8")
    for command in (("notes", "--all"), ("export", "--all", "-o", "-"), ("library",)):
        result = run(*command)
        warnings = [line for line in result.stderr.splitlines() if "damaged" in line]
        assert len(warnings) == 1, (command, result.stderr)
