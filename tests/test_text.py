"""Line breaking and safe display text for Chinese report text (briefing.text)."""

from __future__ import annotations

import itertools
import re
import unicodedata

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from rich.cells import cell_len
from rich.style import Style

from briefing.text import (
    CLOSING_PUNCTUATION,
    NUMBER_RUN,
    OPENING_PUNCTUATION,
    ambiguous_width,
    cell_width,
    line_text,
    safe_text,
    strip_control,
    wrap_cells,
    wrap_paragraphs,
)

SAMPLE = "全市政务服务事项网上可办率98.4%,150多个事项"
HANZI = "法治政府建设工作报告常州市全面推进依法行政"
CLOSE = "，。、；：？！）》」』”’%‰〕】〉…—·,.;:?!)]}"
OPEN = "（《「『“‘〔【〈([{"
LATIN = "AaPpZ0123456789"
LATIN_RUN = re.compile(r"[A-Za-z0-9]+(?:\.[A-Za-z0-9]+)*")


def pieces(text: str, lines: list[tuple[int, int]]) -> list[str]:
    return [text[s:e] for s, e in lines]


def assert_covers(text: str, lines: list[tuple[int, int]]) -> None:
    """Lines cover the text in order, with no gap and no overlap."""
    assert lines, "non-empty text gives at least one line"
    assert lines[0][0] == 0
    assert lines[-1][1] == len(text)
    for (_, end), (start, _) in itertools.pairwise(lines):
        assert end == start
    assert all(e > s for s, e in lines), "no empty line for non-empty text"


# ---------------------------------------------------------------- properties

text_strategy = st.text(
    alphabet=st.sampled_from(HANZI + CLOSE + OPEN + LATIN + "." * 3 + "年%"),
    min_size=1,
    max_size=80,
)


def _runs(text: str) -> list[tuple[int, int]]:
    """Spans kept whole: Latin runs, then numbers with joiners and unit."""
    return [m.span() for m in LATIN_RUN.finditer(text)] + [
        m.span() for m in NUMBER_RUN.finditer(text)
    ]


@st.composite
def text_and_spans(draw: st.DrawFn) -> tuple[str, list[tuple[int, int]]]:
    """Random text and disjoint keep-together spans that never cut a Latin run
    (a caller's figure span always holds its whole number)."""
    text = draw(text_strategy)
    runs = _runs(text)
    cuts = sorted(set(draw(st.lists(st.integers(0, len(text)), max_size=8))))
    spans = []
    for start, end in zip(cuts[::2], cuts[1::2], strict=False):
        for run_start, run_end in runs:
            if run_start < start < run_end:
                start = run_start
            if run_start < end < run_end:
                end = run_end
        if spans and start < spans[-1][1]:
            continue
        if end - start >= 2:
            spans.append((start, end))
    return text, spans


def _protected(text: str, spans: list[tuple[int, int]], width: int, p: int) -> bool:
    """Is a break before text[p] inside a fitting Latin run or keep span?"""
    for start, end in [*_runs(text), *spans]:
        if start < p < end and cell_len(text[start:end]) <= width:
            return True
    return False


def _legal(text: str, spans: list[tuple[int, int]], width: int, p: int) -> bool:
    """A break that obeys every rule (the alphabet has no spaces or symbols)."""
    if text[p] in CLOSE or text[p - 1] in OPEN:
        return False
    return not _protected(text, spans, width, p)


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(data=text_and_spans(), width=st.integers(1, 120))
@example(data=("0：0‰", []), width=4)  # a ratio whose unit is a closing mark
def test_wrap_properties(data: tuple[str, list[tuple[int, int]]], width: int) -> None:
    text, spans = data
    lines = wrap_cells(text, width, keep_together=spans)
    assert_covers(text, lines)
    for start, end in lines:
        line = text[start:end]
        assert cell_len(line) <= width or end - start == 1, (line, width)
        # Greedy: no legal break further on would still have fitted.
        if end < len(text) and _legal(text, spans, width, end):
            for later in range(end + 1, len(text)):
                if cell_len(text[start:later]) > width:
                    break
                assert not _legal(text, spans, width, later), (pieces(text, lines), width)
        # A rule is broken only when no legal break existed on that line.
        if end < len(text) and not _legal(text, spans, width, end):
            for earlier in range(start + 1, end):
                assert not _legal(text, spans, width, earlier), (pieces(text, lines), width)
    # Fitting keep spans and Latin runs are never split.
    for s, e in [*spans, *_runs(text)]:
        if cell_len(text[s:e]) <= width:
            assert not any(s < start < e for start, _ in lines), (text[s:e], pieces(text, lines))


@settings(max_examples=200)
@given(
    text=st.text(
        alphabet=st.sampled_from(HANZI + CLOSE + OPEN + LATIN + " \t\u0301\u3000-/"),
        min_size=1,
        max_size=60,
    ),
    width=st.integers(1, 40),
)
def test_wrap_any_text_terminates_and_fits(text: str, width: int) -> None:
    lines = wrap_cells(text, width)
    assert_covers(text, lines)
    for start, end in lines:
        visible = text[start:end].replace("\t", " ").rstrip(" ")
        if cell_len(visible) > width:
            # Only a single grapheme (a char and its combining marks) may overflow.
            assert len(visible.rstrip("\u0301")) == 1, (visible, width)
        # Never a break between a character and its combining mark.
        assert not text[start:end].startswith("\u0301") or start == 0


@settings(max_examples=100)
@given(
    paragraphs=st.lists(st.text(alphabet=st.sampled_from(HANZI + CLOSE + LATIN), max_size=30)),
    width=st.integers(1, 60),
)
def test_wrap_paragraphs_offsets(paragraphs: list[str], width: int) -> None:
    text = "\n".join(paragraphs)
    lines = wrap_paragraphs(text, width)
    rebuilt: list[str] = []
    for start, end in lines:
        assert "\n" not in text[start:end]
        rebuilt.append(text[start:end])
    # Lines of one paragraph join directly; paragraphs are separated by \n.
    assert "".join(rebuilt) == text.replace("\n", "")
    assert (
        sum(1 for s, e in lines if s == e) == sum(1 for p in paragraphs if not p) or not paragraphs
    )


# ---------------------------------------------------------------- concrete cases


def test_figure_range_never_split() -> None:
    text = "制定出台《法治常州建设规划(2021—2025年)》及配套文件"
    start = text.index("2021")
    span = (start, start + len("2021—2025年"))
    for width in range(cell_len("2021—2025年"), 60):
        lines = wrap_cells(text, width, keep_together=[span])
        assert_covers(text, lines)
        assert not any(span[0] < s < span[1] for s, _ in lines), (width, pieces(text, lines))
    # A span exactly as wide as the line, at every alignment.
    figure = "2021—2025年"
    for shift in range(12):
        text = "法" * shift + figure + "。之后"
        span = (shift, shift + len(figure))
        lines = wrap_cells(text, cell_len(figure), keep_together=[span])
        assert not any(span[0] < s < span[1] for s, _ in lines), pieces(text, lines)
    # Without the span, the numbers themselves still hold together.
    for width in range(4, 60):
        joined = "|".join(pieces(text, wrap_cells(text, width)))
        assert "2021" in joined and "2025" in joined


def test_duration_and_percent_kept() -> None:
    text = "平均办理时间压缩至0.61个工作日,网上可办率98.4%。"
    start = text.index("0.61")
    span = (start, start + len("0.61个工作日"))
    for width in range(cell_len("0.61个工作日"), 50):
        lines = wrap_cells(text, width, keep_together=[span])
        assert not any(span[0] < s < span[1] for s, _ in lines), width
        joined = "|".join(pieces(text, lines))
        assert "98.4%" in joined, joined


def test_sample_sentence_widths() -> None:
    for width in range(10, 41):
        lines = wrap_cells(SAMPLE, width)
        assert_covers(SAMPLE, lines)
        joined = "|".join(pieces(SAMPLE, lines))
        assert "98.4%" in joined and "150" in joined, joined
        for start, end in lines:
            assert cell_len(SAMPLE[start:end]) <= width
            assert SAMPLE[start] not in CLOSING_PUNCTUATION, joined


def test_push_character_before_closing_punctuation() -> None:
    # 10 characters fill width 20; the comma may not start the next line,
    # so the character before it moves down with it.
    text = "一二三四五六七八九十，之后"
    assert pieces(text, wrap_cells(text, 20)) == ["一二三四五六七八九", "十，之后"]
    # An opening mark never ends a line.
    text = "一二三四五六七八九《法治》"
    assert pieces(text, wrap_cells(text, 20)) == ["一二三四五六七八九", "《法治》"]


def test_an_ascii_quote_mark_opens_and_closes_like_the_chinese_ones() -> None:
    # The closing " never starts a line (it did at width 11); the opening one
    # never ends a line (it did at width 7).
    text = '一二三"四五"六七'
    closing = text.rindex('"')
    opening = text.index('"')
    for width in range(5, 16):
        lines = wrap_cells(text, width)
        assert all(start != closing for start, _ in lines), width
        assert all(end != opening + 1 for _, end in lines), width
    assert pieces(text, wrap_cells(text, 11)) == ['一二三"四', '五"六七']
    assert pieces(text, wrap_cells(text, 7)) == ["一二三", '"四五"', "六七"]
    # Latin text: an opening mark after a space, a closing one before it.
    text = 'he said "yes" and "no" ok'
    for width in range(5, 26):
        lines = pieces(text, wrap_cells(text, width))
        assert all(not line.rstrip().endswith(' "') and line != '"' for line in lines), width


def test_narrow_widths_fall_back() -> None:
    assert pieces("法治，", wrap_cells("法治，", 1)) == ["法", "治", "，"]
    assert pieces("ABCDEF", wrap_cells("ABCDEF", 4)) == ["ABCD", "EF"]
    assert pieces("在ABCDEFGHIJ", wrap_cells("在ABCDEFGHIJ", 8)) == ["在ABCDEF", "GHIJ"]
    assert wrap_cells("", 10) == []
    assert wrap_cells("法", 0) == [(0, 1)]


def test_spaces_hang_at_line_end() -> None:
    text = "hello world again"
    assert pieces(text, wrap_cells(text, 11)) == ["hello world ", "again"]
    assert pieces(text, wrap_cells(text, 12)) == ["hello world ", "again"]
    assert pieces(text, wrap_cells(text, 5)) == ["hello ", "world ", "again"]


def test_combining_marks_stay_with_their_base() -> None:
    text = "e\u0301" * 6
    lines = wrap_cells(text, 2)
    assert pieces(text, lines) == ["e\u0301e\u0301"] * 3


def test_wrap_paragraphs_empty_lines_and_spans() -> None:
    text = "第一段2021—2025年\n\n第二段"
    span = (text.index("2021"), text.index("年") + 1)
    lines = wrap_paragraphs(text, 12, keep_together=[span])
    assert pieces(text, lines) == ["第一段", "2021—2025年", "", "第二段"]
    assert wrap_paragraphs("a\n", 5) == [(0, 1), (2, 2)]


def test_bundled_report_wraps_cleanly() -> None:
    from briefing.resources import bundled_report_path

    text = bundled_report_path().read_text(encoding="utf-8")
    for width in (20, 37, 60, 80, 120):
        lines = wrap_paragraphs(text, width)
        for start, end in lines:
            line = text[start:end]
            assert cell_len(line.rstrip()) <= width
            if line:
                assert line[0] not in CLOSING_PUNCTUATION, line
                assert line.rstrip()[-1] not in OPENING_PUNCTUATION, line
            assert not re.search(r"\d$", line) or end == len(text) or not text[end].isdigit()


# ---------------------------------------------------------------- control & markup


def test_strip_control() -> None:
    dirty = "a\x1b[31mred\x1b[0m\x07b\x1b]0;title\x07c\x9b2Jd\u202eE\u200bF\ufeff\tG\nH\x00"
    assert strip_control(dirty) == "aredbcdEF\tG\nH"
    for char in "\u200e\u200f\u202a\u202d\u2066\u2069\u061c\u00ad\u2060":
        assert unicodedata.category(char) == "Cf"
        assert strip_control(f"x{char}y") == "xy"
    assert strip_control("法治政府,98.4%") == "法治政府,98.4%"


def test_offsets_survive_stripping() -> None:
    dirty = "ab\x1b[1mcd\x07e"
    text = safe_text(dirty, [(1, 9, "bold")])  # "b" … "d" in the dirty offsets
    assert text.plain == "abcde"
    assert [(s.start, s.end) for s in text.spans] == [(1, 4)]


def test_cell_width() -> None:
    assert cell_width("法治") == 4
    assert cell_width("98.4%") == 5
    assert cell_width("e\u0301") == 1


@pytest.mark.parametrize(
    "markup",
    [
        "[bold]粗体[/bold]",
        "[/]",
        "[@click=app.quit]退出[/]",
        "[red on white]x",
        "\\[b]",
        "[link=x]y",
    ],
)
def test_safe_text_keeps_markup_literal(markup: str) -> None:
    text = safe_text(markup)
    assert text.plain == markup
    assert text.spans == []


def test_safe_text_spans_and_escapes() -> None:
    raw = "[b]\x1b[31m98.4%\x1b[0m\x07完成"
    text = safe_text(
        raw, [(raw.index("9"), raw.index("%") + 1, "bold"), (0, 3, Style(italic=True))]
    )
    assert text.plain == "[b]98.4%完成"
    assert "\x1b" not in text.plain and "\x07" not in text.plain
    spans = {(s.start, s.end, str(s.style)) for s in text.spans}
    assert (3, 8, "bold") in spans
    assert (0, 3, "italic") in spans
    assert len(text.spans) == 2


def test_line_text_slices_styles() -> None:
    section = "全市网上可办率98.4%,150多个事项 "
    fig = (section.index("98"), section.index("%") + 1, "bold red")
    hit = (section.index("可办"), section.index("率") + 1, "reverse")
    lines = wrap_cells(section, 12, keep_together=[fig[:2]])
    texts = [line_text(section, s, e, [fig, hit]) for s, e in lines]
    assert "".join(t.plain for t in texts) == section.rstrip()
    styled = {t.plain[span.start : span.end]: str(span.style) for t in texts for span in t.spans}
    assert styled["98.4%"] == "bold red"
    # The hit 可办率 may be cut by the wrap; each part keeps its style.
    assert "".join(k for k, v in styled.items() if v == "reverse") == "可办率"
    for t in texts:
        assert t.end == "" and t.no_wrap
        for span in t.spans:
            assert 0 <= span.start < span.end <= len(t.plain)


def test_line_text_tabs_and_trailing_spaces() -> None:
    text = "a\tb   "
    assert line_text(text, 0, len(text)).plain == "a b"
    assert line_text(text, 0, len(text), strip_trailing=False).plain == "a b   "
    assert line_text("[bold]x", 0, 7).plain == "[bold]x"


# ---------------------------------------------------------------- numbers never split

NUMBERS = ["2015-2020年", "2021—2025年", "0519-85681234", "98.4%", "3~5天", "12:30", "7·20",
           "2022/03/25", "1.8万", "１２３４５"]  # fmt: skip
CLOSINGS = ["）", "》", "，", "。", "、", "”", ")》", "年)》"]


@st.composite
def report_like_text(draw: st.DrawFn) -> str:
    """Hanzi, book titles, numbers with joiners and units, closing punctuation."""
    tokens = st.one_of(
        st.text(alphabet=st.sampled_from(HANZI), min_size=1, max_size=6),
        st.sampled_from(NUMBERS),
        st.sampled_from(CLOSINGS),
        st.sampled_from(["《", "（", "(", "“"]),
    )
    return "".join(draw(st.lists(tokens, min_size=1, max_size=25)))


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(text=report_like_text(), width=st.integers(4, 60))
def test_numbers_never_split_at_any_width(text: str, width: int) -> None:
    lines = wrap_cells(text, width)
    assert_covers(text, lines)
    starts = {start for start, _ in lines}
    for number in NUMBER_RUN.finditer(text):
        s, e = number.span()
        if cell_len(text[s:e]) <= width:
            assert not any(s < p < e for p in starts), (number.group(), pieces(text, lines))
    # The punctuation rules can all hold only where the widest unbreakable unit (a
    # number run with the opening marks before it and the closing marks after it) fits.
    units = re.finditer(
        rf"[{re.escape(''.join(OPENING_PUNCTUATION))}]*(?:{NUMBER_RUN.pattern})"
        rf"[{re.escape(''.join(CLOSING_PUNCTUATION))}]*",
        text,
    )
    widest = max((cell_len(unit.group()) for unit in units), default=0)
    if width >= max(24, widest + 2):
        for start, end in lines:
            assert start == 0 or text[start] not in CLOSING_PUNCTUATION, pieces(text, lines)
            assert end == len(text) or text[end - 1] not in OPENING_PUNCTUATION


def test_issue_examples_stay_whole() -> None:
    text = "按照《法治政府建设实施纲要(2015-2020年)》和《规划(2021—2025年)》，电话0519-85681234。"
    # From 17 cells every rule can hold: 2015-2020年)》， is 16 cells wide.
    for width in range(17, 90):
        lines = pieces(text, wrap_cells(text, width))
        joined = "|".join(lines)
        for number in ("2015-2020年", "2021—2025年", "0519-85681234"):
            assert number in joined.replace("|", "") and any(number in line for line in lines), (
                width,
                lines,
            )
        assert not any(line.startswith(tuple("，。、）”》)")) for line in lines), (width, lines)


def test_number_run_grammar() -> None:
    text = "共A0作12:30AM于2015-2020年达98.4%和0519-85681234"
    found = [m.group() for m in NUMBER_RUN.finditer(text)]
    assert found == ["2015-2020年", "98.4%", "0519-85681234"]


# ---------------------------------------------------------------- ambiguous width


def test_ambiguous_width_follows_setting_then_locale() -> None:
    assert ambiguous_width({"LANG": "zh_CN.UTF-8"}) == 2
    assert ambiguous_width({"LC_ALL": "ja_JP.UTF-8", "LANG": "en_US.UTF-8"}) == 2
    assert ambiguous_width({"LANG": "en_US.UTF-8"}) == 1
    assert ambiguous_width({}) == 1
    assert ambiguous_width({"LANG": "zh_CN.UTF-8", "BRIEFING_AMBIGUOUS_WIDTH": "1"}) == 1
    assert ambiguous_width({"LANG": "C", "BRIEFING_AMBIGUOUS_WIDTH": "2"}) == 2
    assert ambiguous_width({"LANG": "zh_TW", "BRIEFING_AMBIGUOUS_WIDTH": "x"}) == 2


def test_cell_width_counts_ambiguous_characters() -> None:
    assert cell_width("“法”—…", 1) == 6
    assert cell_width("“法”—…", 2) == 10
    assert cell_width("abc", 2) == 3


@settings(max_examples=200)
@given(text=report_like_text(), width=st.integers(4, 60))
def test_wrap_with_wide_ambiguous_never_overflows(text: str, width: int) -> None:
    """In a CJK locale — “ ” … take two cells: lines still fit the width."""
    text = text.replace("(", "“").replace(")", "”") + "——…"
    lines = wrap_cells(text, width, ambiguous=2)
    assert_covers(text, lines)
    for start, end in lines:
        assert cell_width(text[start:end], 2) <= width or end - start == 1


def test_a_space_carrying_a_combining_mark_is_not_a_hanging_space() -> None:
    """``0 \u0301`` at width 1: the space and its mark are a visible grapheme, so
    the line breaks after ``0`` (found by the wrap property test)."""
    text = "0 \u0301"
    assert wrap_cells(text, 1) == [(0, 1), (1, 3)]
