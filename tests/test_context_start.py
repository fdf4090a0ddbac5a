"""Where a cut context begins: a clause or word start, never inside a figure,
a Latin/Arabic token or a name's closing brackets (``…2025年)》对照…``).

One helper (``briefing.text.context_start``) serves the command line's
snippets, the reader's results panel and the library's results; these tests
hold it to that rule for any text, with and without the figures' spans.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefing import load_report
from briefing.figures import find_figures
from briefing.search import PinyinIndex, snippet
from briefing.text import CLOSING_PUNCTUATION, context_start

TOKEN = set(
    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz０１２３４５６７８９.．%％‰—–-~～/:_"
)
BACK = 12  # how far before the cut a context may begin to show a hit's whole figure

NAME = "贯彻落实《法治政府建设实施纲要(2021—2025年)》对照年度目标任务推进工作"


def _spans(text: str) -> list[tuple[int, int]]:
    return [(f.start, f.end) for f in find_figures(text)]


def _check(text: str, left: int, hit: int, spans: list[tuple[int, int]]) -> None:
    start = context_start(text, left, hit, spans)
    if left == 0 or left == hit:  # nothing was cut, or no context is shown
        assert start == left
        return
    assert max(0, left - BACK) <= start <= hit
    shown = text[start:hit]
    if start < hit:
        assert text[start] not in CLOSING_PUNCTUATION and not text[start].isspace(), shown
    for s, e in spans:
        if s < start < e:  # only a figure that holds the hit too, begun too far back
            assert e >= hit and s < left - BACK, (shown, text[s:e])
    if 0 < start < hit and _token(text, start) and _token(text, start - 1):
        first = start  # a token begins at a letter or digit (``—2021`` at ``2``)
        while first > 0 and _token(text, first - 1):
            first -= 1
        while not text[first].isalnum():
            first += 1
        if first >= start or any(start in (s, e) for s, e in spans):  # a figure's edge
            return
        run = start
        while run < len(text) and _token(text, run):
            run += 1
        assert run >= hit, shown  # a token that holds the hit, begun too far back


def _token(text: str, k: int) -> bool:
    if text[k] == ",":  # a thousands separator
        return 0 < k < len(text) - 1 and text[k - 1].isdigit() and text[k + 1].isdigit()
    return text[k] in TOKEN


@pytest.mark.parametrize("with_figures", [False, True])
def test_the_issue_example_starts_after_the_name(with_figures: bool) -> None:
    hit = NAME.index("对照")
    spans = _spans(NAME) if with_figures else []
    for left in range(NAME.index("2021") + 1, hit):  # every cut inside the figure or after it
        start = context_start(NAME, left, hit, spans)
        assert NAME[start:hit] == "", NAME[left:hit]
    for left in range(NAME.index("《") + 1, NAME.index("2021")):  # inside the name: at a word
        _check(NAME, left, hit, spans)


def test_a_hit_inside_a_figure_is_shown_from_the_figure_start() -> None:
    hit = NAME.index("025")
    start = context_start(NAME, hit - 3, hit, _spans(NAME))
    assert NAME[start:].startswith("2021—2025")


def test_a_number_with_a_comma_is_not_a_clause_break() -> None:
    text = "全年共受理行政复议案件12,345件，其中"
    hit = text.index("其中")
    start = context_start(text, text.index("345"), hit)
    assert text[start:hit] == ""  # after the clause's comma, not inside "12,345"
    start = context_start(text, text.index(",") - 1, text.index("件，"))
    assert text[start:].startswith("12,345件")


PIECES = st.sampled_from(
    [
        "法治",
        "政府",
        "建设",
        "，",
        "。",
        "、",
        "；",
        "《",
        "》",
        "(",
        ")",
        "（",
        "）",
        "“",
        "”",
        " ",
        "\n",
        "2021",
        "—",
        "2025年",
        "98.4%",
        "以上",
        "1.8万件",
        "12,345",
        "第四",
        "GB/T",
        "7·20",
        "全省第一",
        "近9万件",
        "0.61个工作日",
        "x",
        "纲要",
    ]
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(PIECES, min_size=2, max_size=40), st.data())
def test_any_cut_starts_at_a_sensible_place(pieces: list[str], data: st.DataObject) -> None:
    text = "".join(pieces)
    hit = data.draw(st.integers(1, len(text)))
    left = data.draw(st.integers(0, hit))
    _check(text, left, hit, _spans(text))
    _check(text, left, hit, [])  # without the figures: tokens and brackets still hold


def test_snippets_of_the_bundled_report_never_start_inside_a_figure() -> None:
    report = load_report()
    index = PinyinIndex.build(report)
    figures: dict[str, list[tuple[int, int]]] = {}
    for section in report.sections:
        figures[section.id] = _spans(section.text)
    texts = {s.id: s.text for s in report.sections}
    seen = 0
    for query in ("nian", "jian", "yi", "fazhi", "duizhao", "gangyao", "2025", "%"):
        for match in index.search(query, limit=300):
            if match.section not in texts:
                continue
            spans = figures[match.section]
            for width in (16, 24, 40):
                text, start, end = snippet(report, match, width=width, figures=spans)
                assert text[start:end] == match.text
                # begun earlier than counted (a clause, a figure): as much less after
                assert len(text) <= max(width, end - start) + 2, (width, text)
                if not text.startswith("…"):
                    continue
                seen += 1
                begin = match.start - (start - 1)  # where the context begins in the section
                _check_begin(texts[match.section], begin, match.start, spans)
    assert seen > 200


def _check_begin(text: str, begin: int, hit: int, spans: list[tuple[int, int]]) -> None:
    if begin < hit:
        assert text[begin] not in CLOSING_PUNCTUATION, text[begin:hit]
    for s, e in spans:
        assert not (s < begin < e) or e >= hit, (text[begin:hit], text[s:e])


def test_a_clause_nearer_the_hit_beats_a_cut_in_mid_word() -> None:
    """``…府建设各项决策部署,按照法治政府``: no break near the cut, so the context
    begins at the clause the hit is in (``按照``), not at ``府`` in mid-word."""
    text = "认真落实中央、省有关法治政府建设各项决策部署,按照法治政府建设实施纲要"
    hit = text.rindex("法治政府")
    assert text[context_start(text, hit - 12, hit) : hit] == "按照"
    # one character after the break is too little context: the cut stays
    short = "法治政府建设各项决策部署,按法治政府"
    hit = short.rindex("法治政府")
    assert context_start(short, 3, hit) == 3


def test_a_cut_one_or_two_characters_after_a_clause_start_begins_at_it() -> None:
    """``…京市人民政府`` or ``…照法治``: a cut that drops one or two characters of
    the text's or a clause's first word saves nothing; it begins at that start."""
    title = "北京市人民政府關於2018年法治政府建設情況的報告"
    hit = title.index("法治")
    assert context_start(title, 1, hit) == context_start(title, 2, hit) == 0
    text = "深入贯彻,按照法治政府建设实施纲要的要求推进"
    hit = text.index("纲要")
    assert text[context_start(text, text.index("照"), hit) :].startswith("按照")
    assert text[context_start(text, text.index("法治"), hit) :].startswith("按照")
    assert context_start(text, text.index("治"), hit) == text.index("治")  # three: cut


def test_a_hit_at_the_end_of_a_long_token_shows_a_part_of_it_not_a_broken_word() -> None:
    """``…ongqing-tongliang-2022-fazhi`` (a title from a file name): a token longer
    than the reach begins at one of its parts (``tongliang-``), never mid-part."""
    name = "chongqing-tongliang-2022-fazhi"
    hit = name.index("fazhi")
    shown = {name[context_start(name, left, hit) :] for left in range(1, hit)}
    assert shown == {name, "tongliang-2022-fazhi", "2022-fazhi"}
