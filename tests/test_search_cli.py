"""``briefing search`` through click's CliRunner: JSON contract, text output, bad input."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

import briefing
from briefing.cli import cli
from briefing.search import source_text
from briefing.search.index import joined_text, searchable_parts


@pytest.fixture(autouse=True)
def _cache_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("BRIEFING_CACHE_DIR", str(tmp_path / "cache"))


@pytest.fixture(scope="module")
def report():
    return briefing.load_report()


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_json_contract(report):
    result = run("search", "fzzf", "--json")
    assert result.exit_code == 0, result.output
    hits = json.loads(result.output)
    assert len(hits) == joined_text(report).count("法治政府")
    for hit in hits:
        assert set(hit) == {"section", "start", "end", "text", "kind", "score", "snippet"}
        text = source_text(report, hit["section"])
        assert hit["text"] == text[hit["start"] : hit["end"]] == "法治政府"
        assert hit["kind"] == "initials"
        assert hit["text"] in hit["snippet"]


def test_json_order_and_limit(report):
    by_score = json.loads(run("search", "fazhi", "--json").output)
    scores = [h["score"] for h in by_score]
    assert scores == sorted(scores, reverse=True)
    doc = json.loads(run("search", "fazhi", "--json", "--order", "document").output)
    order = [sid for sid, _ in searchable_parts(report)]
    keys = [(order.index(h["section"]), h["start"]) for h in doc]
    assert keys == sorted(keys)
    assert sorted(map(json.dumps, doc)) == sorted(map(json.dumps, by_score))
    limited = json.loads(run("search", "fazhi", "--json", "--limit", "3").output)
    assert limited == by_score[:3]


def test_fuzzy_flag():
    plain = json.loads(run("search", "fazi", "--json").output)
    fuzzy = json.loads(run("search", "fazi", "--json", "--fuzzy").output)
    assert not any(h["text"] == "法治" for h in plain)
    assert any(h["text"] == "法治" and h["kind"] == "fuzzy" for h in fuzzy)


def test_text_output_lists_sections_and_count(report):
    result = run("search", "fzzf")
    assert result.exit_code == 0
    count = joined_text(report).count("法治政府")
    assert f"{count} hits for fzzf" in result.output
    for section in {report.section(s.id) for s in report.sections if "法治政府" in s.text}:
        assert section.label in result.output


def test_text_output_with_markup_like_query_and_text():
    result = run("search", "[bold]法治[/bold]")
    assert result.exit_code == 0
    assert "0 hits for [bold]法治[/bold]" in result.output


@pytest.mark.parametrize("limit", ["0", "-1", "-50"])
def test_bad_limit_exits_2(limit):
    result = CliRunner().invoke(cli, ["search", "fzzf", "--limit", limit])
    assert result.exit_code == 2
    assert "--limit must be a positive number" in result.output
    assert "Traceback" not in result.output


def test_non_number_limit_exits_2():
    result = CliRunner().invoke(cli, ["search", "fzzf", "--limit", "many"])
    assert result.exit_code == 2


def test_bad_order_exits_2():
    result = CliRunner().invoke(cli, ["search", "fzzf", "--order", "random"])
    assert result.exit_code == 2


def test_missing_path_exits_2(tmp_path):
    result = CliRunner().invoke(cli, ["search", "fzzf", str(tmp_path / "nope.txt")])
    assert result.exit_code == 2
    assert "Traceback" not in result.output


@pytest.mark.parametrize("query", ["😀", "ｆｚｚｆ", "a" * 500, "%8", "(一)"])
def test_odd_queries(query):
    result = run("search", query, "--json")
    assert result.exit_code == 0
    assert isinstance(json.loads(result.output), list)


NOTHING_TO_SEARCH = ["", "   ", "(", "*", "\\", "，。", "\u3000", "'", "!?", "\x1b]0;X\x07"]


@pytest.mark.parametrize("query", NOTHING_TO_SEARCH)
@pytest.mark.parametrize("extra", [[], ["--json"], ["--all"], ["--order", "document"]])
def test_nothing_to_search_is_bad_input(query, extra):
    """An empty query, or spaces and punctuation only, said "0 hits for " with
    status 0 (or listed every comma): one ``briefing:`` line, status 2."""
    result = CliRunner().invoke(cli, ["search", query, *extra])
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("briefing: nothing to search for")


@pytest.mark.parametrize("query", NOTHING_TO_SEARCH)
def test_notes_search_needs_something_to_search(query):
    result = CliRunner().invoke(cli, ["notes", "--search", query])
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("briefing: nothing to search for")
    assert result.stdout == ""


def test_explicit_path(report):
    assert report.path is not None
    hits = json.loads(run("search", "lvshi", str(report.path), "--json").output)
    assert any(h["text"] == "律师" for h in hits)


def test_title_and_metadata_hits_are_named(report):
    """The title and the header fields are searched; a hit there names the
    pseudo-section "title" or "meta" and its offsets index ``source_text``."""
    hits = json.loads(run("search", "suoyinhao", "--json").output)
    assert [(h["section"], h["text"]) for h in hits] == [("meta", "索 引 号")]
    hit = hits[0]
    assert source_text(report, "meta")[hit["start"] : hit["end"]] == "索 引 号"
    title = json.loads(run("search", report.metadata.title, "--json").output)
    assert title[0]["section"] == "title" and title[0]["start"] == 0
    text = run("search", "suoyinhao").output
    assert "meta  索 引 号" in text
    assert "标题" in run("search", report.metadata.title).output


@pytest.mark.parametrize("warm_figures", [False, True])
def test_snippets_never_begin_inside_a_figure_or_a_name(tmp_path, warm_figures):
    """``…2025年)》对照…``: a cut context begins after the name, with the figures
    cached (``briefing figures`` ran) or not."""
    body = "".join(
        f"{pad}贯彻落实《法治政府建设实施纲要(2021—2025年)》对照年度目标任务推进工作。\n"
        for pad in ("", "全面", "全面深入", "全面深入持续", "各地", "各部门认真")
    )
    path = tmp_path / "report.txt"
    path.write_text("某市2021年法治政府建设工作报告\n一、主要工作\n" + body, encoding="utf-8")
    if warm_figures:
        assert run("figures", str(path)).exit_code == 0
    result = run("search", "duizhao", str(path), "--json")
    assert result.exit_code == 0, result.output
    snippets = [hit["snippet"] for hit in json.loads(result.output)]
    assert len(snippets) == 6
    cut = [s for s in snippets if s.startswith("…")]
    assert cut
    for snippet in cut:
        assert snippet[1] not in "0123456789—年)》", snippet
