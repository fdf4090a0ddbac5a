"""The parser against the hand-marked real reports (tests/reports/real).

Each report, as ``briefing sections --json`` shows it, must match its marks:
the title, every marked heading in document order, and no heading the marks
do not have. A report the parser cannot read right yet is listed in
``KNOWN_FAILURES`` with the reason (a strict xfail: fixing it fails the test
until it is taken off the list). Aggregate floors hold over the whole set.
Headings are matched by number and the start of the title (marks cut titles
at 。/：, the parser also at a long title's first clause).
``benchmarks/eval_reports.py`` prints the same scores per report.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from briefing import load_report
from briefing.cli import cli
from briefing.model import Report, Section
from briefing.source import read_source
from tests.real_reports import iter_real_reports

REPORTS = list(iter_real_reports())
MAX_TITLE_CHARS = 31  # parse.MAX_TITLE and its ellipsis

# Reports whose shape the parser does not read yet, and why.
KNOWN_FAILURES: dict[str, str] = {}


def _key(text: str) -> str:
    return "".join(text.split()).rstrip("。：:，,")


@dataclass
class HeadingScore:
    """How the contents list compares with the marked headings of one report."""

    found: int  # marked headings shown, in document order
    shown: int  # headings shown (numbered or titled sections, not the preface)
    missed: list[str]  # marked headings not shown
    junk: list[str]  # headings shown that the marks do not have


def _is_heading(section: Section) -> bool:
    """A section the contents list shows as a heading (not the text before the first,
    unless a label such as 引 言 titles it)."""
    return bool(section.number) or section.id != "0" or section.title not in ("前言", "正文")


def heading_score(sections: Sequence[Section], marks: dict[str, Any]) -> HeadingScore:
    """Match marked headings to sections by number and the start of the title, in order."""
    position = 0
    hit: set[int] = set()
    missed: list[str] = []
    for heading in marks["headings"]:
        number, title = _key(heading["number"]), _key(heading["title"])
        for index in range(position, len(sections)):
            section = sections[index]
            got = _key(section.title)
            if _key(section.number) == number and (
                got.startswith(title[:8]) or title.startswith(got[:8])
            ):
                hit.add(index)
                position = index + 1
                break
        else:
            missed.append(f"{heading['number']}{heading['title']}")
    shown = [i for i, s in enumerate(sections) if _is_heading(s)]
    junk = [f"{sections[i].number}{sections[i].title}" for i in shown if i not in hit]
    return HeadingScore(len(hit), len(shown), missed, junk)


def matched_headings(report: Report, marks: dict[str, Any]) -> int:
    """How many marked headings the contents list shows, in document order."""
    return heading_score(report.sections, marks).found


def title_is_right(title: str, source: str, marks: dict[str, Any]) -> bool:
    """The title shown is the marked one (a report the marks give no title: none found)."""
    expected = _key(marks["title"])
    if not expected:
        return source in ("", "file-name")
    return _key(title) == expected


def title_right(report: Report, marks: dict[str, Any]) -> bool:
    return title_is_right(report.metadata.title, report.metadata.title_source, marks)


def _params() -> list[Any]:
    return [
        pytest.param(
            slug,
            path,
            marks,
            id=slug,
            marks=[pytest.mark.xfail(strict=True, reason=KNOWN_FAILURES[slug])]
            if slug in KNOWN_FAILURES
            else [],
        )
        for slug, path, marks in REPORTS
    ]


@pytest.mark.parametrize(("slug", "path", "marks"), _params())
def test_sections_command_matches_the_marks(slug: str, path: Path, marks: dict[str, Any]) -> None:
    result = CliRunner().invoke(cli, ["sections", str(path), "--json"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    shown = json.loads(result.output)
    report, sections = shown["report"], [Section(**s) for s in shown["sections"]]
    score = heading_score(sections, marks)
    assert title_is_right(report["title"], report["title_source"], marks), report["title"]
    assert (score.missed, score.junk) == ([], [])
    for section in sections:
        assert len(section.title) <= MAX_TITLE_CHARS, section.title  # never a sentence


@pytest.fixture(scope="module")
def parsed(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[str, Report, dict[str, Any]]]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("BRIEFING_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
        return [(slug, load_report(path), marks) for slug, path, marks in REPORTS]


def test_marked_headings_are_found(parsed: list[tuple[str, Report, dict[str, Any]]]) -> None:
    expected = sum(len(marks["headings"]) for _, _, marks in parsed)
    found = sum(matched_headings(report, marks) for _, report, marks in parsed)
    assert expected == 0 or found / expected >= 0.95, (found, expected)


def test_no_heading_is_junk_or_a_sentence(
    parsed: list[tuple[str, Report, dict[str, Any]]],
) -> None:
    scores = [heading_score(report.sections, marks) for _, report, marks in parsed]
    found = sum(score.found for score in scores)
    shown = sum(score.shown for score in scores)
    assert shown == 0 or found / shown >= 0.95, [s.junk for s in scores if s.junk]
    for slug, report, _ in parsed:
        for section in report.sections:
            assert len(section.title) <= MAX_TITLE_CHARS, (slug, section.title)


def test_titles_are_right(parsed: list[tuple[str, Report, dict[str, Any]]]) -> None:
    wrong = [slug for slug, report, marks in parsed if not title_right(report, marks)]
    assert set(wrong) <= set(KNOWN_FAILURES), wrong


def test_no_line_is_lost(parsed: list[tuple[str, Report, dict[str, Any]]]) -> None:
    """Every line of the report's own text is in the body: none after the first paragraph.

    A line that held run-together headings is in the body as its logical lines,
    one after another; only a title glued to the first sentence may go to the
    front matter before them.
    """
    from briefing.parse import is_junk

    for slug, report, _ in parsed:
        assert report.path is not None
        # The text as the source reader gives it (a scraper's markup resolved).
        lines = [line.strip() for line in read_source(report.path).split("\n")]
        first_sentence = next((i for i, line in enumerate(lines) if "。" in line), None)
        if first_sentence is None:
            continue
        body = report.body.split("\n")
        lost = [
            x
            for x in lines[first_sentence:]
            if x and not is_junk(x) and not _in_body(x, body, first=x == lines[first_sentence])
        ]
        assert not lost, (slug, lost[:3])


def _squeezed(text: str) -> str:
    return "".join(text.split())


def _in_body(line: str, body: list[str], *, first: bool) -> bool:
    """``line`` is a body line, or consecutive body lines make it up (the first
    line of the text may have given its start to the front matter)."""
    if line in body:
        return True
    want = _squeezed(line)
    for index, piece in enumerate(body):
        if not piece or not (want.startswith(_squeezed(piece)) or first):
            continue
        joined = ""
        for following in body[index:]:
            joined += _squeezed(following)
            if joined == want or (first and want.endswith(joined) and len(joined) > len(want) // 2):
                return True
            if len(joined) >= len(want):
                break
    return False
