"""The command line against odd databases, odd paths and hostile text.

Every failure is one ``briefing:`` line on stderr with exit status 2; nothing
the CLI prints carries a terminal control sequence, whatever the user typed
or the database holds.
"""

from __future__ import annotations

import errno
import json
import os
import re
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefing import load_report
from briefing.cli import cli, open_reader
from briefing.export import ExportError, write_export

CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
ESCAPES = "\x1b]0;PWNED\x07\x1b[31m\x9b2J\u202e"


def invoke(*args: str, db: Path | None = None):
    prefix = ["--db", str(db)] if db is not None else []
    return CliRunner().invoke(cli, [*prefix, *args])


def assert_one_line_error(result) -> None:
    assert result.exit_code == 2, (result.exit_code, result.output)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.stderr.startswith("briefing: ")
    assert result.stderr.count("\n") == 1, result.stderr
    assert "Traceback" not in result.output
    assert not CONTROL.search(result.stdout + result.stderr)


def assert_clean(result) -> None:
    assert result.exit_code == 0, (result.output, result.exception)
    assert not CONTROL.search(result.stdout), result.stdout
    assert not CONTROL.search(result.stderr), result.stderr


def hostile_db(path: Path) -> Path:
    report = load_report()
    section = report.sections[3]
    base = {
        "report": report.sha256,
        "report_title": report.title,
        "section": section.id,
        "section_title": section.title,
        "created": "2024-05-01T10:00:00+08:00",
        "updated": "2024-05-01T10:00:00+08:00",
    }
    data = {
        "notes": {
            "1": {**base, "id": "n1" + ESCAPES, "text": "笔记" + ESCAPES + "\ud800"},
            "2": {**base, "id": "n2", "text": "好", "section_title": 42},
            "3": {**base, "id": "n3", "text": ESCAPES, "quote": {"exact": section.text[:4]}},
        },
        "bookmarks": {
            "1": {**base, "id": "b1", "section_title": 7},
            "2": {**base, "id": "b2", "section": "99", "section_title": "旧" + ESCAPES},
        },
    }
    path.write_text(json.dumps(data), "ascii")
    return path


# -- odd databases ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "command", [["notes"], ["notes", "--json"], ["bookmarks"], ["bookmarks", "--json"]]
)
def test_hostile_database_lists_cleanly(tmp_path: Path, command: list[str]) -> None:
    db = hostile_db(tmp_path / "db.json")
    result = invoke(*command, db=db)
    assert_clean(result)
    assert "PWNED" not in result.stdout  # the whole OSC sequence is gone, not just ESC
    assert ("笔记" in result.stdout) == (command[0] == "notes")
    assert result.stderr.count("briefing: ") == 2  # one warning per table
    assert "kept in the file" in result.stderr


def test_hostile_database_exports_cleanly(tmp_path: Path) -> None:
    db = hostile_db(tmp_path / "db.json")
    out = tmp_path / "out.md"
    result = invoke("export", "-o", str(out), db=db)
    assert_clean(result)
    text = out.read_text("utf-8")
    assert not CONTROL.search(text)
    assert "笔记" in text
    assert json.loads(db.read_text("ascii"))["notes"]["2"]["section_title"] == 42


def test_notes_json_is_still_json_with_hidden_characters(tmp_path: Path) -> None:
    db = tmp_path / "db.json"
    assert invoke("note", "add", "1", "a\u200bb\u2028c", db=db).exit_code == 0
    result = invoke("notes", "--json", db=db)
    assert_clean(result)
    assert json.loads(result.stdout)[0]["text"] == "ab\nc"


def test_reader_start_with_hostile_database(tmp_path: Path) -> None:
    """What the reader does first: list notes and bookmarks, no TypeError."""
    from briefing.store import Store

    store = Store.open(hostile_db(tmp_path / "db.json"))
    report = load_report()
    notes = store.notes.list(report)
    assert {n.id for n in notes} == {"n1", "n3"}
    assert all(not CONTROL.search(n.text) for n in notes)
    assert [b.section_title for b in store.bookmarks.list(report)] == ["旧"]


# -- odd paths ------------------------------------------------------------------------------


def test_unknown_user_in_paths_is_one_line(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert_one_line_error(invoke("export", "-o", "~nosuchuser-zz/x.md", db=tmp_path / "db"))
    assert_one_line_error(invoke("notes", db=Path("~nosuchuser-zz/x.json")))
    assert_one_line_error(invoke("note", "add", "1", "x", db=Path("~nosuchuser-zz/x.json")))
    monkeypatch.setenv("BRIEFING_DB", "~nosuchuser-zz/x.json")
    assert_one_line_error(invoke("bookmarks"))
    assert open_reader(None, "~nosuchuser-zz/x.json") == 2


def test_title_starting_with_tilde_exports(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    report = tmp_path / "r.txt"
    report.write_text("标题:~nosuchuser的报告\n一、总体情况\n今年完成了98.4%的任务。\n", "utf-8")
    result = invoke("export", str(report), db=tmp_path / "db.json")
    assert_clean(result)
    written = [p for p in tmp_path.iterdir() if p.suffix == ".md"]
    assert len(written) == 1 and not written[0].name.startswith("~")


def test_database_that_is_a_folder_is_one_line(tmp_path: Path) -> None:
    for command in (["notes"], ["bookmarks", "--json"], ["note", "add", "1", "x"]):
        result = invoke(*command, db=tmp_path)
        assert_one_line_error(result)
        assert "folder" in result.stderr


def test_usage_errors_are_one_line_and_clean(tmp_path: Path) -> None:
    assert_one_line_error(invoke("notes", "--nope" + ESCAPES))
    assert_one_line_error(invoke("search", "x", "--limit", "x" + ESCAPES))
    assert_one_line_error(invoke("figures", "--kind", ESCAPES))
    assert_one_line_error(invoke("note"))


def test_search_never_echoes_a_control_sequence() -> None:
    for query in ("\x1b]0;X\x07", ESCAPES):  # nothing left to look for: one clean line
        result = invoke("search", query)
        assert result.exit_code == 2 and result.stdout == ""
        assert result.stderr.startswith("briefing: nothing to search for")
        assert not CONTROL.search(result.stderr), result.stderr
    assert_clean(invoke("search", "法治" + ESCAPES))


def test_export_permission_error_is_one_line(tmp_path: Path, monkeypatch) -> None:
    import tempfile

    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    result = invoke("export", "-o", str(tmp_path / "x.md"), db=tmp_path / "db.json")
    assert_one_line_error(result)
    assert "permission denied" in result.stderr


def test_export_help_says_an_existing_file_is_replaced() -> None:
    result = invoke("export", "--help")
    assert "existing FILE is replaced" in " ".join(result.output.split())


# -- export targets ---------------------------------------------------------------------------


def test_export_through_a_symlink_keeps_the_link(tmp_path: Path) -> None:
    real = tmp_path / "docs" / "notes.md"
    real.parent.mkdir()
    real.write_text("old", "utf-8")
    link = tmp_path / "link.md"
    link.symlink_to(real)
    assert write_export(link, "新\n") == link
    assert link.is_symlink() and real.read_text("utf-8") == "新\n"


@pytest.mark.parametrize("mask", [0o022, 0o077, 0o002])
def test_export_mode_follows_the_umask(tmp_path: Path, mask: int) -> None:
    old = os.umask(mask)
    try:
        write_export(tmp_path / "new.md", "x\n")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "new.md").stat().st_mode) == 0o666 & ~mask


def test_export_keeps_an_existing_files_mode(tmp_path: Path) -> None:
    target = tmp_path / "kept.md"
    target.write_text("old", "utf-8")
    target.chmod(0o640)
    write_export(target, "new\n")
    assert stat.S_IMODE(target.stat().st_mode) == 0o640


def _device(tmp_path: Path) -> Path:
    node = tmp_path / "null"
    try:
        os.mknod(node, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    except (PermissionError, AttributeError):
        pytest.skip("cannot make a device node here")
    return node


def _targets(tmp_path: Path) -> dict[str, Path]:
    fifo = tmp_path / "pipe.md"
    os.mkfifo(fifo)
    loop = tmp_path / "loop.md"
    loop.symlink_to(loop)
    return {
        "missing folder": tmp_path / "no" / "such" / "x.md",
        "folder": tmp_path,
        "proc": Path("/proc/x.md"),
        "fifo": fifo,
        "symlink loop": loop,
        "unknown user": Path("~nosuchuser-zz/x.md"),
        "empty": Path(""),
        "nul": Path("a\x00b.md"),
    }


@pytest.mark.parametrize(
    "kind",
    ["missing folder", "folder", "proc", "fifo", "symlink loop", "unknown user", "empty", "nul"],
)
def test_every_export_failure_is_one_export_error(tmp_path: Path, kind: str) -> None:
    target = _targets(tmp_path)[kind] if kind != "nul" else "a\x00b.md"
    with pytest.raises(ExportError) as info:
        write_export(target, "x\n")
    message = str(info.value)
    assert message and "\n" not in message and not CONTROL.search(message)
    if kind == "fifo":
        assert stat.S_ISFIFO(os.stat(tmp_path / "pipe.md").st_mode)


def test_device_as_export_target_is_refused(tmp_path: Path) -> None:
    node = _device(tmp_path)
    with pytest.raises(ExportError) as info:
        write_export(node, "x\n")
    assert "device" in str(info.value)
    assert stat.S_ISCHR(os.stat(node).st_mode)
    result = invoke("export", "-o", str(node), db=tmp_path / "db.json")
    assert_one_line_error(result)
    assert stat.S_ISCHR(os.stat(node).st_mode)


def test_device_as_database_is_refused_by_the_cli(tmp_path: Path) -> None:
    node = _device(tmp_path)
    for command in (["notes"], ["note", "add", "1", "x"], ["export", "-o", "-"]):
        assert_one_line_error(invoke(*command, db=node))
    assert stat.S_ISCHR(os.stat(node).st_mode)


def test_fifo_as_database_never_hangs(tmp_path: Path) -> None:
    fifo = tmp_path / "db.json"
    os.mkfifo(fifo)
    assert_one_line_error(invoke("notes", db=fifo))
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)


def test_disk_full_during_export_is_an_export_error(tmp_path: Path, monkeypatch) -> None:
    def full(*args: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    target = tmp_path / "x.md"
    target.write_text("old", "utf-8")
    with pytest.raises(ExportError) as info:
        write_export(target, "new\n")
    assert "no space left" in str(info.value)
    monkeypatch.undo()
    assert target.read_text("utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["x.md"]
