"""The line breaker gives exactly what it gave when it ranked every character.

``wrap_cells`` now looks back from the last break that fits (almost every line of
Chinese text ends at the first break it looks at) where it ranked every break of
the paragraph: the first paint wrapped ~1,700 characters at ~9,000 instructions
each. ``tests/wrap_reference.py`` keeps the old breaker; they must agree on any
text, width, kept spans and ambiguous width."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from briefing.resources import bundled_report_path
from briefing.text import wrap_cells
from tests.wrap_reference import reference_wrap_cells

ALPHABET = (
    "法治政府建设工作报告常州市全面推进依法行政"
    "，。、；：？！）》」』”’%‰〕】〉…—·,.;:?!)]}"
    "（《「『“‘〔【〈([{"
    "AaPpZ0123456789０１９ＡＺ"
    '  \t"-~/._年项个°'
    "\u0301\u200d\ufe0f😀é"
)


@st.composite
def cases(draw: st.DrawFn) -> tuple[str, int, list[tuple[int, int]], int]:
    text = draw(st.text(alphabet=st.sampled_from(ALPHABET), min_size=1, max_size=120))
    width = draw(st.integers(1, 90))
    spans = draw(st.lists(st.tuples(st.integers(-2, len(text) + 2), st.integers(0, 8)), max_size=3))
    kept = [(start, start + length) for start, length in spans]
    return text, width, kept, draw(st.sampled_from([1, 2]))


@settings(max_examples=600, deadline=None)
@given(case=cases())
def test_the_breaker_breaks_as_the_reference(case: tuple) -> None:
    text, width, kept, ambiguous = case
    expected = reference_wrap_cells(text, width, keep_together=kept, ambiguous=ambiguous)
    assert wrap_cells(text, width, keep_together=kept, ambiguous=ambiguous) == expected


REPORTS = [bundled_report_path(), *sorted((Path(__file__).parent / "reports").glob("*.txt"))]


@pytest.mark.parametrize("path", REPORTS[:8], ids=lambda p: p.name)
def test_real_paragraphs_break_as_the_reference(path: Path) -> None:
    from briefing.source import read_source

    paragraphs = [line for line in read_source(path).splitlines() if line.strip()]
    for width in (7, 36, 80):
        for paragraph in paragraphs:
            expected = reference_wrap_cells(paragraph, width)
            assert wrap_cells(paragraph, width) == expected, (paragraph[:30], width)
