"""The hand marks of tests/reports/real are well-formed and fit their texts.

These tests check the marks themselves (never briefing's output): required keys,
allowed kinds and levels, every marked span present in its text, in document order.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest

from tests.real_reports import (
    FIGURE_KINDS,
    LEVELS,
    REAL_DIR,
    SUFFIXES,
    iter_real_reports,
    visible_text,
)

REPORTS = list(iter_real_reports())
IDS = [slug for slug, _, _ in REPORTS]

REQUIRED = {
    "source": str,
    "province": str,
    "level": str,
    "year": int,
    "kind": str,
    "truncated": bool,
    "title": str,
}


def read(path: Path) -> str:
    """The words of a marked report as a reader sees them (a page's or Word file's too)."""
    return visible_text(path)


def test_enough_reports_of_enough_shapes() -> None:
    assert len(REPORTS) >= 24
    assert len({marks["province"] for _, _, marks in REPORTS}) >= 10
    assert len({marks["level"] for _, _, marks in REPORTS}) >= 4
    assert len({marks["kind"] for _, _, marks in REPORTS}) >= 5


def test_every_text_has_marks_and_every_marks_file_a_text() -> None:
    texts = [p.stem for p in REAL_DIR.iterdir() if p.suffix in SUFFIXES]
    assert sorted(texts) == sorted(IDS)  # one file a slug, whatever its format


@pytest.mark.parametrize(("slug", "path", "marks"), REPORTS, ids=IDS)
def test_required_keys(slug: str, path: Path, marks: dict[str, Any]) -> None:
    for key, kind in REQUIRED.items():
        assert isinstance(marks.get(key), kind), f"{slug}: {key} missing or not {kind.__name__}"
    assert marks["level"] in LEVELS
    assert 2015 <= marks["year"] <= 2025
    assert marks["source"].startswith(("http://", "https://"))
    assert marks["title"] == marks["title"].strip()  # "" when the text names no title
    # a headline broken over two lines is one title: compare without the line breaks
    flat = read(path).replace("\n", "")
    assert marks["title"] in flat, "the title is not in the text"
    assert marks["headings"] or marks["figures"] or marks["not_figures"], "nothing marked"


@pytest.mark.parametrize(("slug", "path", "marks"), REPORTS, ids=IDS)
def test_text_is_clean_utf8_and_small(slug: str, path: Path, marks: dict[str, Any]) -> None:
    raw = path.read_bytes()
    if path.suffix != ".txt":  # a saved page or Word file is kept as it was saved
        assert len(raw) <= 12 * 1024
        assert read(path).strip()
        return
    text = raw.decode("utf-8")
    assert not raw.startswith(b"\xef\xbb\xbf")
    assert len(raw) <= 12 * 1024
    assert text.endswith("\n")
    assert "\r" not in text


@pytest.mark.parametrize(("slug", "path", "marks"), REPORTS, ids=IDS)
def test_headings_are_well_formed_and_in_order(
    slug: str, path: Path, marks: dict[str, Any]
) -> None:
    text = read(path)
    position = 0
    for heading in marks["headings"]:
        assert set(heading) >= {"number", "title", "level"}, heading
        assert isinstance(heading["level"], int) and 1 <= heading["level"] <= 4, heading
        assert isinstance(heading["number"], str), heading  # "" for an unnumbered heading
        line = heading["number"] + heading["title"]
        title_at = text.find(heading["title"], position)
        # the title follows its number on the same line (maybe after spaces); in a Word
        # file the numbers are drawn by its numbering definitions, not in its text
        number = "" if path.suffix == ".docx" else heading["number"]
        while title_at >= 0 and not text[:title_at].rstrip(" \u3000\t").endswith(number):
            title_at = text.find(heading["title"], title_at + 1)
        assert title_at >= 0, f"{slug}: heading {line!r} not in text after offset {position}"
        position = title_at + len(heading["title"])


@pytest.mark.parametrize(("slug", "path", "marks"), REPORTS, ids=IDS)
def test_figures_have_kinds_and_are_in_order(slug: str, path: Path, marks: dict[str, Any]) -> None:
    text = read(path)
    position = 0
    for figure in marks["figures"]:
        assert set(figure) >= {"text", "kind"}, figure
        assert figure["kind"] in FIGURE_KINDS, figure
        assert figure["text"] and figure["text"] == figure["text"].strip(), figure
        found = text.find(figure["text"], position)
        assert found >= 0, f"{slug}: figure {figure['text']!r} not found after offset {position}"
        position = found + len(figure["text"])


@pytest.mark.parametrize(("slug", "path", "marks"), REPORTS, ids=IDS)
def test_not_figures_are_in_text_and_disjoint_from_figures(
    slug: str, path: Path, marks: dict[str, Any]
) -> None:
    text = read(path)
    figures = {figure["text"] for figure in marks["figures"]}
    for item in marks["not_figures"]:
        assert set(item) >= {"text"}, item
        assert item["text"] in text, f"{slug}: not-figure {item['text']!r} not in text"
        assert item["text"] not in figures, f"{slug}: {item['text']!r} is in both lists"


def test_heteronyms_are_well_formed() -> None:
    path = REAL_DIR.parent / "heteronyms.toml"
    with path.open("rb") as handle:
        entries = tomllib.load(handle)["words"]
    assert len(entries) >= 200
    corpus = "".join(read(p) for p in REAL_DIR.glob("*.txt"))
    corpus += read(Path(__file__).parents[1] / "data" / "changzhou-2021-fazhi-zhengfu.txt")
    seen = set()
    for entry in entries:
        word, pinyin, context = entry["word"], entry["pinyin"], entry["context"]
        syllables = pinyin.split()
        assert len(syllables) == len(word), entry
        assert all(s[-1] in "12345" and s[:-1].isalpha() for s in syllables), entry
        assert word in context, entry
        assert context in corpus, f"context {context!r} is not from a real text"
        assert (word, context) not in seen, entry
        seen.add((word, context))
