"""The parser against the hand-marked real reports (tests/reports/real).

Aggregate floors, not per-file answers: the set grows, and a fix must be for a
class of reports. Headings are matched by number and the start of the title
(marks cut titles at 。/：, the parser also at a long title's first clause).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from briefing import load_report
from briefing.model import Report, Section
from briefing.source import read_source
from tests.real_reports import iter_real_reports

REPORTS = list(iter_real_reports())
MAX_TITLE_CHARS = 31  # parse.MAX_TITLE and its ellipsis


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
    """A section the contents list shows as a heading (not the text before the first)."""
    return bool(section.number) or section.id != "0"


def heading_score(report: Report, marks: dict[str, Any]) -> HeadingScore:
    """Match marked headings to sections by number and the start of the title, in order."""
    sections = list(report.sections)
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
    return heading_score(report, marks).found


def title_right(report: Report, marks: dict[str, Any]) -> bool:
    expected = _key(marks["title"])
    if not expected:
        return report.metadata.title_source in ("", "file-name")
    return _key(report.metadata.title) == expected


@pytest.fixture(scope="module")
def parsed(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[str, Report, dict[str, Any]]]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("BRIEFING_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
        return [(slug, load_report(path), marks) for slug, path, marks in REPORTS]


def test_marked_headings_are_found(parsed: list[tuple[str, Report, dict[str, Any]]]) -> None:
    expected = sum(len(marks["headings"]) for _, _, marks in parsed)
    found = sum(matched_headings(report, marks) for _, report, marks in parsed)
    assert expected == 0 or found / expected >= 0.9, (found, expected)


def test_no_heading_is_junk_or_a_sentence(
    parsed: list[tuple[str, Report, dict[str, Any]]],
) -> None:
    numbered = sum(1 for _, report, _ in parsed for s in report.sections if s.number)
    marked = sum(len(marks["headings"]) for _, _, marks in parsed)
    assert numbered <= marked * 1.1 + 5  # hardly any numbered section the marks do not have
    for slug, report, _ in parsed:
        for section in report.sections:
            assert len(section.title) <= MAX_TITLE_CHARS, (slug, section.title)


def test_titles_are_right(parsed: list[tuple[str, Report, dict[str, Any]]]) -> None:
    right = sum(title_right(report, marks) for _, report, marks in parsed)
    assert right >= 0.7 * len(parsed), right


def test_no_line_is_lost(parsed: list[tuple[str, Report, dict[str, Any]]]) -> None:
    """Every line of the report's own text is in the body: none after the first paragraph."""
    for slug, report, _ in parsed:
        assert report.path is not None
        # The text as the source reader gives it (a scraper's markup resolved).
        lines = [line.strip() for line in read_source(report.path).split("\n")]
        first_sentence = next((i for i, line in enumerate(lines) if "。" in line), None)
        if first_sentence is None:
            continue
        body = set(report.body.split("\n"))
        from briefing.parse import is_junk

        lost = [x for x in lines[first_sentence:] if x and not is_junk(x) and x not in body]
        assert not lost, (slug, lost[:3])
