"""Figures found on the held-out reports: ratios, spaced-out numbers, 10月份, counted peers.

Each rule has positive and negative examples: a time (8:30), a score (3:1 in a
match) or an article reference is never a ratio; a number glued to words
(事项126 项) never reaches across a space to a unit.
"""

from __future__ import annotations

import pytest

from briefing.figures import find_figures


def spans(text: str) -> list[tuple[str, str]]:
    return [(f.text, f.kind) for f in find_figures(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("三次产业比例为26:27:47。", [("26:27:47", "ratio")]),
        (
            "三次产业占比由5.7:49.3:45.0优化为6.6:45.8:47.6。",
            [
                ("5.7:49.3:45.0", "ratio"),
                ("6.6:45.8:47.6", "ratio"),
            ],
        ),
        ("三次产业结构调整为8：42：50", [("8：42：50", "ratio")]),  # full-width colons
        # (once in test_figures' non-figures, before the kind existed)
        ("三次产业结构调整为1.5:45.3:53.2", [("1.5:45.3:53.2", "ratio")]),
        ("全市师生比为1:15,", [("1:15", "ratio")]),
        ("按1:1比例配套资金", [("1:1", "ratio")]),
        ("比例尺1:1000地形图", [("1:1000", "ratio")]),
    ],
)
def test_ratios(text: str, expected: list[tuple[str, str]]) -> None:
    assert spans(text) == expected
    for figure in find_figures(text):
        assert figure.value is None  # parts of a whole have no one value


@pytest.mark.parametrize(
    "text",
    [
        "上午8:30在市政府开会",  # a time
        "会议于14:00开始,17:30结束",
        "发布时间:2024-06-25 14:15:56",  # a timestamp (furniture)
        "12:30:45",  # a time with seconds
        "主队以3:1战胜对手",  # a score
        "最终比分3:1",
        "两队2:2战平后对阵",
        "第3:1条",  # an article reference
        "3:1",  # two parts and no ratio word: unsure, so not a figure
    ],
)
def test_not_ratios(text: str) -> None:
    assert [f for f in find_figures(text) if f.kind == "ratio"] == []
    assert [f.text for f in find_figures(text) if ":" in f.text or "：" in f.text] == []


def test_the_parts_of_a_ratio_are_not_figures_of_their_own() -> None:
    assert spans("比例为3:2") == [("3:2", "ratio")]
    assert spans("上午8:30分") == []  # 30分 is not a score here


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("完成重大决策事项 126 项,出台规章 8 部", [("126 项", "count"), ("8 部", "count")]),
        ("市本级 35 个执法部门、10 个区县", [("35 个", "count"), ("10 个", "count")]),
        ("通报了 2021 年度考核情况", [("2021 年度", "date")]),
        ("2021 年,全市", [("2021 年", "date")]),
        # glued to the words before it: the number does not reach across a space
        ("事项126 项", []),
        ("共有3 名", []),
        ("2021 ", []),
    ],
)
def test_spaced_out_numbers(text: str, expected: list[tuple[str, str]]) -> None:
    assert spans(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("10月份正式上线", [("10月份", "date")]),
        ("2017年10月份", [("2017年10月份", "date")]),
        ("1-12月份", [("1-12月份", "date")]),
        ("位列全国100个城市第10名。", [("全国100个城市第10名", "rank")]),
        ("国家发改委等六部委联合", []),
        ("出台规章8部", [("8部", "count")]),
        ("践行中央八项规定精神", []),
        ("制定8项规定", [("8项", "count")]),
    ],
)
def test_months_ranks_and_names(text: str, expected: list[tuple[str, str]]) -> None:
    assert spans(text) == expected
