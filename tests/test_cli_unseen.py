"""The command line against inputs first tried in qa5's sweep: a symlink loop, a
named pipe with no writer, a file name holding a newline or a terminal escape,
and a ``--db`` that is the report itself. One ``briefing:`` line and status 2, or
a clean answer; never a traceback, a hang, or a user's file moved away.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from briefing.source import SourceError, read_source_bytes
from tests.test_cli_hostile import assert_clean, assert_one_line_error, invoke

TEXT = "一、总体情况\n今年完成了98.4%的任务。\n"


def test_a_symlink_loop_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "a.txt").symlink_to(tmp_path / "b.txt")
    (tmp_path / "b.txt").symlink_to(tmp_path / "a.txt")
    for command in (["sections"], ["figures"], ["search", "fa"], ["export", "-o", "-"]):
        result = invoke(*command, str(tmp_path / "a.txt"), db=tmp_path / "db.json")
        assert_one_line_error(result)
        assert "symbolic links" in result.stderr


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_named_pipe_with_no_writer_does_not_hang(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    outcome: list[BaseException | bytes] = []

    def read() -> None:
        try:
            outcome.append(read_source_bytes(fifo))
        except SourceError as error:
            outcome.append(error)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    reader.join(timeout=10)
    if reader.is_alive():  # free the thread before failing: a writer ends the wait
        with open(fifo, "wb"):
            pass
        pytest.fail("reading a named pipe with no writer waited for one")
    assert outcome == [b""] or isinstance(outcome[0], SourceError)


@pytest.mark.parametrize("name", ["new\nline.txt", "x\x1b[31mred\x07.txt", "tab\there.txt"])
def test_a_title_from_a_file_name_is_one_clean_line(tmp_path: Path, name: str) -> None:
    report = tmp_path / name
    report.write_text("今年完成了98.4%的任务。\n", "utf-8")
    result = invoke("sections", str(report), db=tmp_path / "db.json")
    assert_clean(result)
    title = result.stdout.splitlines()[0]
    assert title.split() == name.removesuffix(".txt").replace("\x1b[31m", "").split() or (
        "red" in title and "[31m" not in title
    )


def test_a_db_that_is_the_report_is_refused_and_the_report_stays(tmp_path: Path) -> None:
    report = tmp_path / "report.txt"
    report.write_text(TEXT, "utf-8")
    for command in (["note", "add", "1", "x"], ["notes"], ["bookmark", "add", "1"]):
        result = invoke(*command, str(report), db=report)
        assert_one_line_error(result)
        assert "report itself" in result.stderr
    assert report.read_text("utf-8") == TEXT
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.txt"]


def test_the_reader_refuses_a_db_that_is_the_report(tmp_path: Path, capsys) -> None:
    from briefing.cli import open_reader

    report = tmp_path / "report.txt"
    report.write_text(TEXT, "utf-8")
    assert open_reader(str(report), str(report)) == 2
    assert "report itself" in capsys.readouterr().err
    assert report.read_text("utf-8") == TEXT


@pytest.mark.parametrize("text", ["", "   ", "\n\t"])
def test_an_empty_note_is_refused_as_in_the_reader(tmp_path: Path, text: str) -> None:
    report = tmp_path / "report.txt"
    report.write_text(TEXT, "utf-8")
    db = tmp_path / "db.json"
    assert_one_line_error(invoke("note", "add", "1", text, str(report), db=db))
    result = invoke("notes", str(report), "--json", db=db)
    assert_clean(result)
    assert result.stdout.strip() == "[]"


@pytest.mark.parametrize("command", [["export"], ["export", "--all"], ["convert"]])
@pytest.mark.parametrize("name", ["", "  "])
def test_an_empty_output_name_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: list[str], name: str
) -> None:
    """``-o ""`` (an unset shell variable) wrote the default file silently."""
    report = tmp_path / "report.txt"
    report.write_text(TEXT, "utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("BRIEFING_LIBRARY", str(tmp_path / "library"))
    path = [] if "--all" in command else [str(report)]
    result = invoke(*command, *path, "-o", name, db=tmp_path / "db.json")
    assert_one_line_error(result)
    assert "-o needs a file name" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.txt"]
