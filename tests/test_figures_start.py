"""Where a figure can start (``figures._START``): one class of first characters,
then the branches as look-behinds, finds exactly what a plain alternation of the
branches finds, while the engine skips in C to each first character."""

from __future__ import annotations

import re

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from briefing import figures
from briefing.figures import _START, _START_BRANCHES

# The branches as a plain alternation: each first character read, then its rest.
PLAIN = re.compile("|".join(f"[{first}]{rest}" for first, rest in _START_BRANCHES))
ALPHABET = (
    "0123456789.,一二三四五六七八九十两〇零百千万亿是、超过约近逾大将接不足到连续分之"
    "全国省市区县球世界内排名行位列居于第前在进入跻身里氏震级风力上每人户过半数AZ:\n "
)


def _starts(pattern: re.Pattern[str], text: str) -> list[tuple[int, str | None]]:
    """Every place ``pattern`` finds a start, searching on from the place after each."""
    found = []
    match = pattern.search(text)
    while match is not None:
        found.append((match.start(), match[1]))
        match = pattern.search(text, match.start() + 1)
    return found


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=60))
def test_the_starts_are_those_of_the_plain_alternation(text: str) -> None:
    assert _starts(_START, text) == _starts(PLAIN, text)


def test_known_starts() -> None:
    text = "全省第四，排名第三，进入前10位，近9万件，98.4%，一是，三、，百分之八十，里氏5级，逾百家"
    starts = [text[at] for at, _ in _starts(_START, text)]
    assert starts == [
        *"全四第三前1近9万9百八里5逾百"
    ]  # (not 一是, 三、, the 4 of 98.4 or the 0 of 10)
    assert _starts(_START, "共6963项")[0] == (1, "项")


def test_the_pattern_begins_with_one_class_of_first_characters() -> None:
    """What lets the engine skip to candidates in C instead of trying every branch
    at every character (an alternation of branches cannot be skipped to)."""
    first_class, _ = _START.pattern.split("](?:", 1)
    assert first_class.startswith("[") and "|" not in first_class
    assert set(first_class[1:]) >= {"0", "9", "一", "超", "全", "第", "前", "每", "半"}
    assert figures._START.pattern.endswith(")")


# After a decimal number only the rules that accept what follows it are tried
# (``_decimal_dispatch``): trying every rule everywhere must find the same.
DECIMAL_PIECES = st.sampled_from(
    [
        "12.5", "2021.5.1", "98.4", "1.2.3", "0.61", "4.2", "1,234.5", "26:27.5", "3.",
        ".", "%", "‰", "个百分点", "个工作日", "个", "万", "亿元", "级", "地震", "分", ":",
        "—", "-", "~", "至", " ", "多", "余", "年", "日", "天", "/日", "项", "人次", "km",
        "以上", "(含)", "左右", "第", "全省", "近", "约", "。", "\n", "a",
    ]
)  # fmt: skip


@settings(max_examples=600, deadline=None)
@given(st.lists(DECIMAL_PIECES, max_size=10).map("".join))
def test_the_dispatch_after_a_decimal_number_loses_nothing(text: str) -> None:
    prepared = figures._prepare(text)
    fast = figures._scan(text, prepared, "x")
    assert fast == figures._scan(text, prepared, "x", exhaustive=True)


def test_a_decimal_number_is_looked_at_by_what_follows_it() -> None:
    assert _START.search("98.4%")[2] == "%" and _START.search("98.4%")[1] is None
    assert _START.search("2021.5.1")[2] == "." and _START.search("12.")[1] == "."
    held = tuple(True for _ in figures._NEED_WORDS)
    assert [rule.kind for rule in figures._decimal_dispatch(held)["%"]] == ["percent"]
    assert len(figures._dispatch(held)[1]["."]) > 2
    found = figures.find_figures("达98.4%，增长12.5万人次，4.2级地震，93.46分，2021.5.1")
    assert [f.text for f in found] == ["98.4%", "12.5万人次", "4.2级", "93.46分", "2021.5.1"]


# The page-date mask begins with one class too; it masks what the plain
# alternation of its two branches masked.
_PLAIN_FURNITURE_DATE = re.compile(
    rf"(?:时间|日期|今天是|发布于|更新于) ?:[\s|]*{figures._DATE_TOKEN}"
    rf"|{figures._DATE_TOKEN}(?:[ \t]+[0-2]?[0-9]:[0-5][0-9](?::[0-5][0-9])?"
    r"|(?=[ \t]+(?:来源|作者|浏览)))"
)
DATE_PIECES = st.sampled_from(
    [
        "时间", "日期", "今天是", "发布于", "更新于", " ", ":", "|", "\t", "\n", "2024-04-06",
        "1999.1.2", "2024年04月06日", "16:40", "16:40:59", "来源", "作者", "浏览", "1", "2",
        "18", "20", "19", "时", "日", "2021年5月1日", "1800/1/1", "1799-1-1",
    ]
)  # fmt: skip


@settings(max_examples=600, deadline=None)
@given(st.lists(DATE_PIECES, max_size=10).map("".join))
def test_page_dates_are_masked_as_the_plain_alternation_masks_them(text: str) -> None:
    spans = [m.span() for m in figures._FURNITURE_DATE.finditer(text)]
    assert spans == [m.span() for m in _PLAIN_FURNITURE_DATE.finditer(text)]


def test_the_page_date_pattern_begins_with_a_class() -> None:
    assert figures._FURNITURE_DATE.pattern.startswith("[时日今发更12]")
    text = "发布时间: 2024-04-06 | 2023年3月1日 16:40 来源"
    assert [m.group() for m in figures._FURNITURE_DATE.finditer(text)] == [
        "时间: 2024-04-06",
        "2023年3月1日 16:40",
    ]


# At a Chinese numeral only the rules that accept what follows its run of numeral
# characters are tried (``cn_after``, ``_cn_dispatch``): trying every rule
# everywhere must find the same, the number ending inside the run included.
CN_PIECES = st.sampled_from(
    [
        "一", "二", "三", "十", "两", "百", "千", "万", "亿", "〇", "零", "九", "二〇二一",
        "十二", "三十", "千米", "千克", "千瓦时", "千伏", "分点", "分之", "%", "个", "个百分点",
        "月", "日", "年", "成", "半", "数", "人", "项", "期", "工程", "多", "余", "至", "—", " ",
        "/日", "/", "天", "周", "小时", "个月", "大", "届", "是", "、", "近", "逾", "上", "第",
        "以上", "左右", "过", "另", "。", "\n", "5", "a",
    ]
)  # fmt: skip


@settings(max_examples=800, deadline=None)
@given(st.lists(CN_PIECES, max_size=10).map("".join))
def test_the_dispatch_at_a_chinese_numeral_loses_nothing(text: str) -> None:
    # (known, and as before: the exhaustive scan also reads 一半 inside a numeral,
    # 二〇二一半, where no figure starts; the dispatch never did)
    assume(re.search(f"[{figures._CN_CHARS}]一半", text) is None)
    prepared = figures._prepare(text)
    fast = figures._scan(text, prepared, "x")
    assert fast == figures._scan(text, prepared, "x", exhaustive=True)


def test_a_chinese_numeral_is_looked_at_by_what_follows_its_run() -> None:
    assert _START.search("三百分点")[3] == "分" and _START.search("二〇二一年")[3] == "年"
    held = tuple(True for _ in figures._NEED_WORDS)
    by_key, _ = figures._cn_dispatch(held)
    assert [rule.kind for rule in by_key[("八", "成")]] == ["percent"]
    assert len(figures._dispatch(held)[0]["八"]) > 3
    found = figures.find_figures("三百分点，五千米，两万三千人，八成，一半，十二月三日，三个月")
    assert [f.text for f in found] == [
        "三百分点", "五千米", "两万三千人", "八成", "一半", "十二月三日", "三个月"
    ]  # fmt: skip
