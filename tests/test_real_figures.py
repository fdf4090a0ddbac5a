"""The figure grammar against the hand marks of real reports (tests/reports/real).

Each report is parsed as the reader would parse it, its figures found, and
the found (text, kind) sequence aligned in document order with the marked one
(a longest common subsequence, so a figure counts once and only where it
stands). Recall = aligned / marked, precision = aligned / found. Per-report
and overall numbers are printed (``pytest -s``); the overall ones must reach
0.95. The marks are never edited to fit: a miss is fixed as a class in
``briefing/figures.py`` (or, for page furniture and titles, in the parser).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefing.figures import find_figures, report_figures
from briefing.parse import parse_report
from briefing.source import read_source
from briefing.text import NUMBER_RUN, cell_width, wrap_paragraphs
from tests.real_reports import iter_real_reports

REPORTS = list(iter_real_reports())
OVERALL_RECALL = 0.95
OVERALL_PRECISION = 0.95

Pair = tuple[str, str]


def aligned(marked: Sequence[Pair], found: Sequence[Pair]) -> list[tuple[int, int]]:
    """Index pairs of a longest common subsequence of ``marked`` and ``found``."""
    rows, cols = len(marked), len(found)
    table = [[0] * (cols + 1) for _ in range(rows + 1)]
    for i in range(rows - 1, -1, -1):
        for j in range(cols - 1, -1, -1):
            if marked[i] == found[j]:
                table[i][j] = table[i + 1][j + 1] + 1
            else:
                table[i][j] = max(table[i + 1][j], table[i][j + 1])
    pairs: list[tuple[int, int]] = []
    i = j = 0
    while i < rows and j < cols:
        if marked[i] == found[j]:
            pairs.append((i, j))
            i, j = i + 1, j + 1
        elif table[i + 1][j] >= table[i][j + 1]:
            i += 1
        else:
            j += 1
    return pairs


def test_alignment_counts_each_figure_once_and_in_order() -> None:
    a, b, c = ("1个", "count"), ("2%", "percent"), ("3人", "count")
    assert aligned([a, b, c], [a, b, c]) == [(0, 0), (1, 1), (2, 2)]
    assert len(aligned([a, a], [a])) == 1
    assert len(aligned([a, b], [b, a])) == 1  # out of order: one of them
    assert aligned([a], [("1个", "date")]) == []  # the kind must agree
    assert aligned([], [a]) == []


def found_pairs(path: Path) -> list[Pair]:
    report = parse_report(read_source(path), path=path)
    return [(f.text, f.kind) for f in report_figures(report)]


def test_figures_of_the_real_reports() -> None:
    assert len(REPORTS) >= 20, "the corpus of real reports is missing"
    total_marked = total_found = total_aligned = 0
    lines = [f"{'report':44} {'marked':>6} {'found':>6} {'hits':>5} {'recall':>7} {'prec.':>6}"]
    misses: list[str] = []
    for slug, path, marks in REPORTS:
        marked = [(f["text"], f["kind"]) for f in marks["figures"]]
        found = found_pairs(path)
        pairs = aligned(marked, found)
        total_marked += len(marked)
        total_found += len(found)
        total_aligned += len(pairs)
        recall = len(pairs) / len(marked) if marked else 1.0
        precision = len(pairs) / len(found) if found else 1.0
        lines.append(
            f"{slug:44} {len(marked):6} {len(found):6} {len(pairs):5}"
            f" {recall:7.3f} {precision:6.3f}"
        )
        hit_marked = {i for i, _ in pairs}
        hit_found = {j for _, j in pairs}
        missed = [m for i, m in enumerate(marked) if i not in hit_marked]
        extra = [f for j, f in enumerate(found) if j not in hit_found]
        if missed or extra:
            misses.append(f"{slug}: missed {missed} extra {extra}")
    recall = total_aligned / total_marked
    precision = total_aligned / total_found
    lines.append(
        f"{'OVERALL':44} {total_marked:6} {total_found:6} {total_aligned:5}"
        f" {recall:7.3f} {precision:6.3f}"
    )
    print("\n" + "\n".join(lines + misses))
    assert recall >= OVERALL_RECALL
    assert precision >= OVERALL_PRECISION


# The second set (tests/reports/real/README.md, "Held-out set 2"): marked before
# briefing was run on it. Measured on its own, it says how the grammar does on
# reports it was not grown on (first 14: 0.989 recall, 0.974 precision at first run).
SET2 = frozenset(
    {
        "neimenggu-2022-fangan",
        "guangdong-guangzhou-2017-gongzuo",
        "shanxi-hongtong-2019-tongji",
        "chongqing-tongliang-2022-fazhi",
        "chongqing-yuzhong-2020-fazhi",
        "henan-2015-fazhi-trad",
        "henan-2017-fazhi",
        "shaanxi-shiquan-2020-zhidu",
        "beijing-dongcheng-2023-fazhi-trad",
        "beijing-2018-fazhi-trad",
        "beijing-chaoyang-2024-fazhi",
        "beijing-xicheng-2025-sifaju",
        "hunan-loudi-2016-fazhi",
        "sifabu-2020-lvshi-tongji-trad",
        # added later, first run: recall 1.000, precision 0.963 (26 figures)
        "guangdong-dapu-2020-gongzuo",
        "sichuan-gongyi-2021-fazhi",
        "xinjiang-2017-fazhi",
        "heilongjiang-2021-fazhi",
    }
)


def test_figures_of_the_second_held_out_set() -> None:
    held_out = [(path, marks) for slug, path, marks in REPORTS if slug in SET2]
    assert len(held_out) == len(SET2)
    marked = found = hits = 0
    for path, marks in held_out:
        mine = [(f["text"], f["kind"]) for f in marks["figures"]]
        theirs = found_pairs(path)
        marked += len(mine)
        found += len(theirs)
        hits += len(aligned(mine, theirs))
    print(
        f"\nset 2: marked={marked} found={found} recall={hits / marked:.3f} "
        f"precision={hits / found:.3f}"
    )
    assert hits / marked >= OVERALL_RECALL
    assert hits / found >= OVERALL_PRECISION


@pytest.mark.parametrize(("slug", "path", "marks"), REPORTS, ids=[r[0] for r in REPORTS])
def test_figure_spans_are_exact_in_real_reports(slug: str, path: Path, marks: dict) -> None:
    """Spans are exact (the reader never splits a figure across lines with them)."""
    report = parse_report(read_source(path), path=path)
    for figure in report_figures(report):
        assert figure.text == report.section(figure.section).text[figure.start : figure.end]


# --------------------------------------------------------------------------
# Never split on screen (issue 10 §4): a number with its joiners, and a figure


def _core(run: re.Match[str]) -> tuple[int, int]:
    """The digits and joiners of a number run, without the unit that follows them."""
    start, end = run.span()
    return (start, end) if run.group()[-1].isdigit() else (start, end - 1)


def _split_wholes(
    text: str, width: int, ambiguous: int, keep: Sequence[tuple[int, int]]
) -> list[str]:
    """The runs, cores and kept spans that fit ``width`` but were broken across lines.

    Two of them that cross (neither inside the other) and together do not fit
    cannot both stay whole (``wrap_cells``' contract): such a pair is excused.
    """
    lines = wrap_paragraphs(text, width, keep, ambiguous=ambiguous)
    breaks = {start for start, _ in lines}
    wholes = [run.span() for run in NUMBER_RUN.finditer(text)]
    wholes += [_core(run) for run in NUMBER_RUN.finditer(text)]
    wholes += list(keep)

    def fits(s: int, e: int) -> bool:
        return cell_width(text[s:e], ambiguous) <= width

    def crossed(s: int, e: int) -> bool:
        return any(
            (a < s < b < e or s < a < e < b) and not fits(min(a, s), max(b, e)) for a, b in wholes
        )

    return [
        text[s:e]
        for s, e in wholes
        if fits(s, e) and any(s < p < e for p in breaks) and not crossed(s, e)
    ]


NUMBER_TOKENS = [
    "《法治政府建设实施纲要(2015-2020年)》", "《规划（2021—2025年）》", "(2016—2020年)》",
    "电话0519-85681234", "0519-85681234转", "12345", "3-5年", "10至15天", "3~5天",
    "12:30", "2022/03/25", "7·20", "98.4%", "1.8万件", "2/3", "“100%”", "逾百家",
]  # fmt: skip
PROSE = "法治政府建设工作报告常州市全面推进依法行政或转办"


@st.composite
def numbered_prose(draw: st.DrawFn) -> str:
    """Prose with numbers in 《》, phone numbers glued to the next hanzi, ranges, quotes."""
    tokens = st.one_of(
        st.text(alphabet=st.sampled_from(PROSE), min_size=1, max_size=5),
        st.sampled_from(NUMBER_TOKENS),
        st.sampled_from(["，", "。", "、", "）", "》", "”", "“", "（", "《", "\n"]),
    )
    return "".join(draw(st.lists(tokens, min_size=1, max_size=20)))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=numbered_prose(), width=st.integers(4, 60), ambiguous=st.sampled_from([1, 2]))
def test_numbers_and_figures_never_split(text: str, width: int, ambiguous: int) -> None:
    """At every width, both ambiguous-width settings, highlighted (kept) or not."""
    keep = [(f.start, f.end) for f in find_figures(text)]
    assert _split_wholes(text, width, ambiguous, keep) == []
    assert _split_wholes(text, width, ambiguous, []) == []


def test_phone_number_before_a_hanzi_stays_whole() -> None:
    # 0519-85681234或 (14 cells) does not fit 13 cells, but the number itself does
    text = "拨打0519-85681234或12345咨询"
    for width in (13, 14):
        lines = wrap_paragraphs(text, width)
        assert any(text[s:e].startswith("0519-85681234") for s, e in lines), lines


@pytest.mark.parametrize(("slug", "path", "marks"), REPORTS, ids=[r[0] for r in REPORTS])
def test_real_reports_never_split_a_number_or_figure(slug: str, path: Path, marks: dict) -> None:
    report = parse_report(read_source(path), path=path)
    figures = report_figures(report)
    for section in report.sections:
        keep = [(f.start, f.end) for f in figures if f.section == section.id]
        for width in (11, 14, 17, 23, 31, 44, 60):
            for ambiguous in (1, 2):
                assert _split_wholes(section.text, width, ambiguous, keep) == [], (width, ambiguous)
