"""``briefing bookmark|bookmarks|note|notes|export`` through click's runner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefing import load_report
from briefing.cli import cli


@pytest.fixture()
def run(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("BRIEFING_DB", raising=False)
    db = str(tmp_path / "db" / "briefing.json")

    def invoke(*args: str):
        return CliRunner().invoke(cli, ["--db", db, *args], catch_exceptions=False)

    return invoke


def test_notes_json_contract(run) -> None:
    report = load_report()
    result = run("note", "add", "1.3", "满意度 <b>高</b>", "--quote", "93.46分")
    assert result.exit_code == 0, result.output
    note_id = result.output.strip()
    run("note", "add", "2", "整节笔记")
    result = run("notes", "--json")
    assert result.exit_code == 0
    notes = json.loads(result.output)
    assert [n["section"] for n in notes] == ["1.3", "2"]
    first = notes[0]
    assert set(first) == {
        "id",
        "section",
        "text",
        "quote",
        "start",
        "end",
        "status",
        "created",
        "updated",
    }
    assert first["id"] == note_id and first["text"] == "满意度 <b>高</b>"
    for note in notes:
        text = report.section(note["section"]).text
        assert note["quote"]["exact"] == text[note["start"] : note["end"]]
        assert note["status"] == "anchored"
    assert run("notes").exit_code == 0
    assert run("note", "remove", note_id[:8]).exit_code == 0
    assert len(json.loads(run("notes", "--json").output)) == 1


def test_bad_section_and_quote_exit_2(run) -> None:
    result = run("note", "add", "9.9", "x")
    assert result.exit_code == 2
    assert "no section" in result.output
    result = run("note", "add", "1.1", "x", "--quote", "没有这句话")
    assert result.exit_code == 2
    assert "is not in section 1.1" in result.output
    assert run("bookmark", "add", "nope").exit_code == 2
    assert run("note", "remove", "ffffffff").exit_code == 2


def test_bookmarks(run) -> None:
    assert run("bookmark", "add", "2.1").exit_code == 0
    assert run("bookmark", "add", "2.1").exit_code == 0
    assert run("bookmark", "add", "1").exit_code == 0
    marks = json.loads(run("bookmarks", "--json").output)
    assert [m["section"] for m in marks] == ["1", "2.1"]
    assert "放管服" in run("bookmarks").output
    assert run("bookmark", "remove", "1").exit_code == 0
    assert [m["section"] for m in json.loads(run("bookmarks", "--json").output)] == ["2.1"]


def test_export_default_file_and_stdout(run, tmp_path: Path) -> None:
    run("bookmark", "add", "2.1")
    run("note", "add", "1.1", "# 标题?", "--quote", "召开市委全面依法治市工作会议")
    result = run("export")
    assert result.exit_code == 0
    written = tmp_path / "常州市2021年度法治政府建设工作报告-2022-03-25-笔记.md"
    assert str(written.name) in result.output
    text = written.read_text("utf-8")
    assert text.startswith("# 常州市2021年度法治政府建设工作报告\n")
    assert "\\# 标题?" in text
    result = run("export", "-o", "-")
    assert result.output.startswith("# 常州市")
    result = run("export", "-o", str(tmp_path / "no" / "such" / "x.md"))
    assert result.exit_code == 2


def test_damaged_database_reported_on_stderr(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    db = tmp_path / "briefing.json"
    db.write_text("{broken", "utf-8")
    result = CliRunner().invoke(cli, ["--db", str(db), "notes", "--json"])
    assert result.exit_code == 0
    assert json.loads(result.stdout) == []
    assert "corrupt-" in result.stderr
    assert list(tmp_path.glob("briefing.json.corrupt-*"))


def test_unusable_database_exit_2(tmp_path: Path) -> None:
    """Nothing can be there, so nothing is listed; saving says why it cannot."""
    blocker = tmp_path / "file"
    blocker.write_text("x")
    db = str(blocker / "db.json")
    assert CliRunner().invoke(cli, ["--db", db, "notes", "--json"]).stdout == "[]\n"
    result = CliRunner().invoke(cli, ["--db", db, "note", "add", "1", "x"])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert len(result.stderr.strip().splitlines()) == 1


def test_emit_json_writes_what_json_dumps_writes_and_escapes_hidden_characters(capsys) -> None:
    """The quick path (clean output as orjson's bytes) and the careful one agree."""
    from briefing.cli.common import emit_json

    clean = [{"text": "第一行\n第二行\t“引号”", "n": 1, "quote": {"exact": "98.4%"}}]
    emit_json(clean)
    assert capsys.readouterr().out == json.dumps(clean, ensure_ascii=False, indent=2) + "\n"
    hidden = [*clean, {"text": "a\u200bb\u202ec\u3000d\x9b"}]
    emit_json(hidden)
    out = capsys.readouterr().out
    assert json.loads(out) == hidden
    assert not {"\u200b", "\u202e", "\x9b"} & set(out)
    assert "\\u200b" in out and "\u3000" in out  # an ideographic space is text, kept


def test_clean_json_output_is_not_searched_character_by_character(capsys, monkeypatch) -> None:
    """The search cost 0.2 s of ``notes --json`` with 50,000 notes: clean output skips it."""
    from briefing.cli import common

    class Refuse:
        def sub(self, *args: object) -> str:
            raise AssertionError("searched clean output")

    monkeypatch.setattr(common, "_JSON_UNSAFE", Refuse())
    common.emit_json([{"text": "法治政府\n建设", "start": 3}])
    assert json.loads(capsys.readouterr().out) == [{"text": "法治政府\n建设", "start": 3}]


def test_printable_json_check_reads_every_chunk() -> None:
    """Cut at line breaks, a megabyte (here: a few bytes) at a time, nothing is skipped."""
    import orjson

    from briefing.cli.common import _printable_json

    clean = orjson.dumps([{"t": f"法治{i}“政府”"} for i in range(50)], option=orjson.OPT_INDENT_2)
    assert _printable_json(clean) and _printable_json(clean, chunk=7)
    for bad in ("\u200b", "\u3000", "\x85", "\u2066"):
        rows = [{"t": "法治"}] * 40 + [{"t": f"政{bad}府"}]
        raw = orjson.dumps(rows, option=orjson.OPT_INDENT_2)
        assert not _printable_json(raw) and not _printable_json(raw, chunk=7)


def test_notes_json_with_wide_spaces_and_line_breaks_is_not_searched_whole(
    run, monkeypatch
) -> None:
    """A note with an ideographic space (common in Chinese) sent all 42 MB to a search.

    Each note's strings are checked as the payload is built; the output then
    goes out as orjson made it, and reads back the same.
    """
    from briefing.cli import common

    for text in ("全角\u3000空格", "两行\n笔记\t制表", "平常"):
        assert run("note", "add", "1.3", text, "--quote", "93.46分").exit_code == 0

    def refuse(*args: object, **kwargs: object) -> bool:
        raise AssertionError("the whole output was checked")

    monkeypatch.setattr(common, "_printable_json", refuse)
    result = run("notes", "--json")
    assert result.exit_code == 0, result.output
    notes = json.loads(result.output)
    assert [n["text"] for n in notes] == ["全角\u3000空格", "两行\n笔记\t制表", "平常"]
    assert result.output == json.dumps(notes, ensure_ascii=False, indent=2) + "\n"


def test_notes_json_payload_says_when_a_string_needs_escaping() -> None:
    """A hidden character the store did not clean (a model built by hand) is still escaped."""
    from briefing.cli.notes_commands import note_json, notes_json
    from briefing.model import Note, Quote

    def note(text: str, exact: str = "引文") -> Note:
        return Note("n1", "r", "t", "1", text, Quote(exact, "前", "后"), 0, 2, "c", "u")

    rows, safe = notes_json([note("平常\u3000\n"), note("也平常")])
    assert safe and rows[0] == note_json(note("平常\u3000\n"))
    assert rows[0]["quote"] == {"exact": "引文", "prefix": "前", "suffix": "后"}
    assert list(rows[0]) == [
        "id", "section", "text", "quote", "start", "end", "status", "created", "updated"
    ]  # fmt: skip
    for hidden in ("a\u202eb", "\u200b", "x\x9by"):
        assert not notes_json([note("平常"), note(hidden)])[1]
        assert not notes_json([note("平常", exact=hidden)])[1]
