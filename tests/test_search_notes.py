"""Searching the user's notes and bookmarks with the report search engine (issue 11 §4)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefing.cli import cli
from briefing.model import Bookmark, Note, Quote
from briefing.search.notes import search_notes, searched_text


def note(nid: str, text: str) -> Note:
    return Note(nid, "r", "t", "1", text, Quote("x"), 0, 1, "2024-01-01", "2024-01-01")


def mark(mid: str, title: str) -> Bookmark:
    return Bookmark(mid, "r", "t", "2", title, "2024-01-01", "2024-01-01")


NOTES = [
    note("a", "要落实法治政府建设的各项要求"),
    note("b", "Check the APP figures: 98.4%"),
    note("c", "律师调解试点"),
    note("d", ""),
]
MARKS = [mark("m", "依法全面履行政府职能"), mark("n", "推進法治政府建設")]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("fzzf", ["a", "n"]),
        ("fazhizhengfu", ["a", "n"]),
        ("fǎzhì", ["a", "n"]),
        ("法治zf", ["a", "n"]),
        ("建設", ["a", "n"]),
        ("zhengfu", ["a", "m", "n"]),
        ("lvshi", ["c"]),
        ("app", ["b"]),
        ("98.4", ["b"]),
        ("tiaojie", ["c"]),
        ("qqqq", []),
        ("", []),
    ],
)
def test_same_query_forms_as_report_search(query, expected):
    hits = search_notes(query, NOTES, MARKS)
    assert [h.item.id for h in hits] == expected
    for hit in hits:
        text = searched_text(hit.item)
        assert text[hit.match.start : hit.match.end] == hit.match.text
        assert hit.kind == ("note" if isinstance(hit.item, Note) else "bookmark")


def test_best_first_one_hit_per_item_and_limit():
    notes = [note("x", "政府"), note("y", "法治政府和政府")]
    hits = search_notes("zhengfu", notes, [])
    assert [h.item.id for h in hits] == ["x", "y"]
    assert search_notes("zf", notes, [], limit=1)[0].item.id == "x"
    assert search_notes("fazi", [note("z", "法治")], [], fuzzy=True)[0].match.kind == "fuzzy"
    assert search_notes("fzzf") == []


@pytest.fixture()
def run(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    db = str(tmp_path / "db" / "briefing.json")

    def invoke(*args: str):
        return CliRunner().invoke(cli, ["--db", db, *args], catch_exceptions=False)

    return invoke


def test_notes_search_flag(run):
    assert run("note", "add", "1.3", "满意度很高，法治政府").exit_code == 0
    assert run("note", "add", "2", "另一条笔记").exit_code == 0
    assert run("bookmark", "add", "2").exit_code == 0
    hits = json.loads(run("notes", "--search", "fzzf", "--json").output)
    assert [(h["type"], h["match"]["text"], h["match"]["kind"]) for h in hits] == [
        ("note", "法治政府", "initials")
    ]
    assert hits[0]["text"][hits[0]["match"]["start"] : hits[0]["match"]["end"]] == "法治政府"
    titles = json.loads(run("notes", "--search", "zhengfu", "--json").output)
    assert {h["type"] for h in titles} == {"note", "bookmark"}
    bookmark = next(h for h in titles if h["type"] == "bookmark")
    assert bookmark["section_title"][bookmark["match"]["start"] :].startswith("政府")
    text = run("notes", "--search", "linyi")
    assert text.exit_code == 0 and "nothing matches linyi" in text.output
    table = run("notes", "--search", "biji").output
    assert "另一条笔记" in table and "满意度" not in table
