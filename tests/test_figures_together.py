"""A report's sections are prepared together (one pass of each mask over all of
them) and give exactly what preparing and scanning each one alone gives."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from briefing import figures, load_report
from briefing.figures import _prepare, _prepare_all, find_figures, report_figures
from briefing.model import Metadata, Report, Section

PIECES = st.sampled_from(
    [
        "《", "》", "“", "”", "\"", "‘", "’", "「", "」", "时间:", "日期 :", " ", "\t", "|",
        "2024-04-06", "2024年04月06日", "16:40", "来源", "十五届", "人大", "四次会议",
        "014109429/2022-00045", "COVID-19", "1/3", "8:30", "26:27:47", "四个意识", "一件事",
        "98.4%", "近9万件", "１２３４項", "3 个", "增长 12.5 %", "(亿元)", "19349.31", "\n",
        "全省第四", "三分之一", "“100%”", "a", "法治",
    ]
)  # fmt: skip
TEXTS = st.lists(st.lists(PIECES, max_size=8).map("".join), max_size=6)


@settings(max_examples=400, deadline=None)
@given(TEXTS)
def test_prepared_together_is_prepared_alone(texts: list[str]) -> None:
    whole, prepared = _prepare_all(texts)
    assert prepared == [_prepare(text) for text in texts]
    assert whole == figures._SECTION_BREAK.join(prepared)


def _report(texts: list[str], title: str = "") -> Report:
    sections = tuple(
        Section(id=str(i), level=1, number="", title="", parent=None, text=text)
        for i, text in enumerate(texts)
    )
    return Report(Metadata(title=title), sections, "0" * 64, None)


@settings(max_examples=300, deadline=None)
@given(TEXTS)
def test_report_figures_are_each_sections_figures(texts: list[str]) -> None:
    # (less a preview line's: the one thing a section's neighbours decide)
    previews = figures._preview_spans(texts)
    expected = [
        f
        for i, text in enumerate(texts)
        for f in find_figures(text, str(i))
        if not any(s <= f.start and f.end <= e for s, e in previews[i])
    ]
    assert report_figures(_report(texts)) == expected


def test_the_bundled_report_section_by_section() -> None:
    report = load_report()
    expected = []
    for section in report.sections:
        found = find_figures(section.text, section.id)
        title = report.metadata.title
        if title in section.text:
            spans = figures._title_spans(section.text, title)
            found = [f for f in found if not any(s <= f.start and f.end <= e for s, e in spans)]
        expected += found
    assert report_figures(report) == expected and expected


def test_the_scans_figures_are_ordinary_figures() -> None:
    """The scan fills a Figure's fields directly (a frozen __init__ costs double):
    it must be the Figure the constructor makes, in every way a caller can tell."""
    import dataclasses

    import pytest

    from briefing.model import Figure

    (found,) = find_figures("共6963项", "2.1")
    made = Figure("2.1", 1, 6, "6963项", "count", 6963.0, "项", False)
    assert found == made and hash(found) == hash(made) and repr(found) == repr(made)
    assert list(vars(found).items()) == list(vars(made).items())
    assert dataclasses.astuple(found) == dataclasses.astuple(made)
    with pytest.raises(dataclasses.FrozenInstanceError):
        found.start = 0  # type: ignore[misc]
