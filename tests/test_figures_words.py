"""Figure classes behind the leftovers named in qa8's brief (tests/reports/real).

A two of occasions (两次, 二次, 两轮, 两批) reads as a word, as 一次 does, while from
three up a Chinese numeral counts (连续三次, 七期) and a qualifier makes a two count
(连续两次); an anniversary (40年之际) is no duration; a population or a number of
households needs no measure word (常住人口766579).
"""

from __future__ import annotations

import pytest

from briefing.figures import find_figures


def texts(text: str) -> list[str]:
    return [figure.text for figure in find_figures(text)]


@pytest.mark.parametrize(
    "text",
    [
        "省委理论学习中心组两次专题开展学习。",
        "经过两轮县机构改革领导小组组长会议研究审定。",
        "禁止二次下载,分两批推进。",
    ],
)
def test_a_two_of_occasions_is_a_word(text: str) -> None:
    assert texts(text) == []


def test_three_occasions_and_a_qualified_two_still_count() -> None:
    assert texts("连续两次获评,召开三次会议,近两次检查,两万余人次。") == [
        "连续两次",
        "三次",
        "近两次",
        "两万余人次",
    ]


def test_an_anniversary_is_no_duration() -> None:
    assert texts("在改革开放40年之际,建党100周年。") == []
    assert texts("40年来,全县面貌巨变。") == ["40年"]


@pytest.mark.parametrize(
    ("text", "figure"),
    [
        ("年末全县常住人口766579,比上年末增加2028人。", ["766579", "2028人"]),
        ("全市户籍人口为1,234,567。", ["1,234,567"]),
        ("全镇总户数达12345;", ["12345"]),
    ],
)
def test_a_population_needs_no_measure_word(text: str, figure: list[str]) -> None:
    assert texts(text) == figure


def test_a_year_after_a_population_is_still_a_date() -> None:
    assert texts("人口2019年普查") == ["2019年"]
    assert texts("人口123,") == []  # a short bare number is no figure


def test_a_year_printed_without_nian_before_the_work_it_dates() -> None:
    assert texts("一、2025工作开展情况") == ["2025"]
    assert texts("一、2025年工作开展情况") == ["2025年"]
    assert texts("完成12025工作日的任务") == ["12025工作日"]  # a duration, no year inside


@pytest.mark.parametrize(
    ("text", "figure"),
    [
        ("在3市8县深化法治建设一体建设试点。", ["3市", "8县"]),
        ("覆盖全省11市、近30村,11省份参加。", ["11市", "近30村", "11省份"]),
        ("拨打12345市民服务热线,第3区,3市政府,2区域。", []),
    ],
)
def test_places_counted_by_their_own_noun(text: str, figure: list[str]) -> None:
    assert texts(text) == figure


def test_a_bound_that_is_not_to_be_passed_keeps_its_words() -> None:
    assert texts("提交不超过10分钟,不少于5人,不低于90%。") == [
        "不超过10分钟",
        "不少于5人",
        "不低于90%",
    ]
