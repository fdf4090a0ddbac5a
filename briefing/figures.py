"""Key figures: find the quantitative facts in a section's text (DESIGN §3).

A figure is a number (Arabic or Chinese) with its unit or measure word and the
qualifiers that belong to it (近/约/超过 before, 多/余/以上/左右 after).  The
grammar is a handful of regular expressions built from named parts (numbers,
multipliers, qualifiers, unit lists); each rule yields one kind of figure.

How the text is read:

* The text is first *normalised* character for character (full-width digits,
  ``％``, ``．``, ``／`` … become ASCII) so offsets stay the same, then parts
  that are never figures are *masked*: 《book titles》, short “quoted” names
  and slogans, document codes such as ``014109429/2022-00045``, and a few set
  political phrases whose numerals are names (四个意识, 五位一体 …).
* At each place a figure can start, every rule is tried; the longest accepted
  match wins (ties go to the earlier rule), and scanning resumes after it.
  So figures come out in order and never overlap.

Decisions worth knowing (each is tested):

* A lone Chinese ``一`` is a figure only with a few measure words where it
  really counts something (一例, 一名, 一支 …), never in 一件事, 一个, 一次,
  一年, 一体化, 一卡通 and the like.
* Chinese numerals with 级 (三级响应, 两级政府), 大 (十九大, 十大), 期, 届 and
  分 are names or ordinals, not figures.  Arabic ``N级`` is a magnitude only
  with an earthquake/wind context or a decimal (4.2级地震); ``N大`` + noun is
  a count (5大方面).
* 第N is an ordinal (第9期, 第四次会议, 第一时间) unless a scope or a ranking
  verb makes it a rank: 全省第四, 名列全国第二 (span 全国第二), 排名第三.
* ``N年`` followed by a plan word (三年专项整治, 五年规划) is the name of a plan,
  not a duration; ``N周年`` anniversaries are not figures.
* 一例新冠肺炎疫情确诊病例 is a count (1 例).
* Multipliers after Arabic numerals are folded into the value and the unit is
  what remains: 1.8万件 → 18000 件, 386.4亿元 → 38640000000 元.  A bare
  ``29万`` is a count with an empty unit.
* ``个百分点`` is a percent figure with unit ``个百分点``.
* Dates carry the year as value when there is one (else ``None``); ranges
  carry their first number.
"""

from __future__ import annotations

import bisect
import functools
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from typing import NamedTuple

from briefing.model import Figure, FigureKind, Report

__all__ = ["find_figures", "parse_chinese_number", "report_figures"]

# --------------------------------------------------------------------------
# Normalisation and masking (length preserving)

_NORMAL_FORMS = {
    **{chr(0xFF10 + i): str(i) for i in range(10)},
    "％": "%",
    "﹪": "%",
    "．": ".",
    "／": "/",
    "～": "~",
    "－": "-",
    "―": "—",
    "・": "·",
    "•": "·",
    "‧": "·",
    "∙": "·",
    "：": ":",
    # Traditional forms of the characters the grammar reads (units, multipliers,
    # qualifiers, scopes): one character for one, so offsets stay.
    **dict(
        zip(
            "億萬兩項個場條張處輛臺間門頭隻組筆歲噸畝頃點級戶週時鐘類冊棟輪層餘約過將連續內國區縣於屆會議號"
            "動劃規堅滾專計發佈間單總長增−來瀏覽",
            "亿万两项个场条张处辆台间门头只组笔岁吨亩顷点级户周时钟类册栋轮层余约过将连续内国区县于届会议号"
            "动划规坚滚专计发布间单总长增-来浏览",
            strict=True,
        )
    ),
}
# Only the characters that change are touched (str.translate with a dict
# costs a dictionary look-up for every character of the text).
_TO_NORMALISE = re.compile("[" + re.escape("".join(_NORMAL_FORMS)) + "]")
_MASK = "\x00"

# A book title; also one a page left open at the end of its line (《某某公报/2020年/第四号).
_TITLE = re.compile(r"《[^《》\n]{0,200}》|《[^《》\n]{0,60}$", re.MULTILINE)
_QUOTED = re.compile(
    r"“[^“”\n]{0,40}”|‘[^‘’\n]{0,40}’|「[^「」\n]{0,40}」|『[^『』\n]{0,40}』|\"[^\"\n]{0,40}\""
)
# (the look-behind comes after the first character: first, it would be tried everywhere)
_CODE = re.compile(r"[0-9A-Za-z](?<![0-9A-Za-z].)[0-9A-Za-z]*(?:[/\-_:][0-9A-Za-z]+)+")
_FRACTION = re.compile(r"[1-9]/(?:10|[2-9])")
_COLON_RUN = re.compile(r"[0-9]+(?::[0-9]+)+")
_ISO_DATE = re.compile(
    r"(?:18|19|20)[0-9]{2}([-/.])(?:1[0-2]|0?[1-9])\1(?:3[01]|[12][0-9]|0?[1-9])"
)
# Set phrases whose numerals are names, not counts (unquoted they would look
# like "N个 …"/"N项 …" figures).  Quoted slogans are masked anyway.
NAMED_PHRASES: tuple[str, ...] = (
    "两个一百年",
    "两个维护",
    "两个确立",
    "三个代表",
    "三个务必",
    "三项制度",
    "四个意识",
    "四个自信",
    "四个全面",
    "五位一体",
    "三严三实",
    "两学一做",
    "一件事",
    "三次产业",
    "八项规定",
)
_NAMED = re.compile("|".join(map(re.escape, NAMED_PHRASES)))
# Session numbers: 十五届人大四次会议, 五届四次会议, 十九届四次全会 (ordinals, not counts).
_SESSION = re.compile(
    r"[0-9一二三四五六七八九十]+届(?:人大|政协|人民代表大会|全国人大)?(?:常委会)?"
    r"(?:第?[0-9一二三四五六七八九十]+次)?(?:全体会议|会议|全会)?"
)


# A count of the text's own parts, in Chinese numerals with 个: 我讲三个方面意见,
# 明确了十个方面的重点任务, 分三个阶段. It says how the text is organised, not a
# fact it reports (十个县区, 三个乡镇 stay figures: they count things in the world).
_DISCOURSE_COUNT = re.compile(
    r"[一二两三四五六七八九十]{1,3}个(?=方面|部分|层面|维度|环节|要点|板块|阶段|步骤|原则)"
)
# A Chinese-numeral count right after the list it totals: 执法、司法、普法三个小组.
_RECAP_COUNT = re.compile(r"[二两三四五六七八九十]{1,2}(?=[个项类支家种条大])")
_CLAUSE_START = re.compile(r"[，,。；;：:！!？?\n（(“”]")
MAX_LIST_ITEM = 10  # characters of one item of such a list


# The period of a plan, in brackets after its name or alone on its line (the name
# broken before it): 实施方案(2021--2025年), 规划（2021—2025年）. Part of the name, as
# it would be inside 《》.
_PLAN_PERIOD = re.compile(
    r"(?:(?<=[案划要纲见法点动程])|^[ \t\u3000]*)[(（][ \t]*(?:19|20)[0-9]{2}[ \t]*"
    r"(?:-{1,2}|—{1,2}|–|~|至)[ \t]*(?:19|20)[0-9]{2}[ \t]*年?[ \t]*[)）]",
    re.MULTILINE,
)


def _recap_spans(norm: str) -> list[tuple[int, int]]:
    """Numerals that only count the 、-list just before them (one span each)."""
    spans = []
    for match in _RECAP_COUNT.finditer(norm):
        value = parse_chinese_number(match.group())
        if not value:  # not a number (九四, 十十): nothing to total
            continue
        head = norm[max(0, match.start() - value * (MAX_LIST_ITEM + 1)) : match.start()]
        clause = _CLAUSE_START.split(head)[-1]
        items = clause.split("、")
        if len(items) == value and all(0 < len(i) <= MAX_LIST_ITEM for i in items):
            spans.append(match.span())
    return spans


def _is_code(token: str) -> bool:
    """A run like ``014109429/2022-00045`` or ``COVID-19`` is an identifier."""
    if _ISO_DATE.fullmatch(token) or _FRACTION.fullmatch(token) or _COLON_RUN.fullmatch(token):
        return False  # (26:27:47 is a ratio, 8:30 a time: the ratio rule tells them apart)
    parts = re.split(r"[/\-_:]", token)
    return (
        any(sep in token for sep in "/_:")
        or any(ch.isascii() and ch.isalpha() for ch in token)
        or any(len(part) >= 5 for part in parts)
        or len(parts) >= 3
    )


# The page's own dates: a labelled publication date (时间:, 发布日期: | …, 今天是:)
# or a timestamp (2024年04月06日 16:40) is furniture, not a figure of the report.
_DATE_TOKEN = r"(?:18|19|20)[0-9]{2}(?:[-/.][0-9]{1,2}[-/.][0-9]{1,2}|年[0-9]{1,2}月[0-9]{1,2}日)"
# (one class of first characters, then the rest of each branch: the engine skips
# in C to those characters instead of trying both branches at every one)
_DATE_TOKEN_REST = _DATE_TOKEN.replace("(?:18|19|20)", "(?:(?<=1)[89]|(?<=2)0)", 1)
_FURNITURE_DATE = re.compile(
    r"[时日今发更12](?:(?:(?<=时)间|(?<=日)期|(?<=今)天是|(?<=发)布于|(?<=更)新于)"
    rf" ?(?::|(?<=间)是)[\s|]*{_DATE_TOKEN}"
    rf"|{_DATE_TOKEN_REST}(?:[ \t]+[0-2]?[0-9]:[0-5][0-9](?::[0-5][0-9])?"
    r"|(?=[ \t]+(?:来源|作者|浏览))))"
)


def _states_quantity(quoted: str) -> bool:
    """Whether a quoted phrase is one Arabic figure and nothing else (实现“100%”全覆盖).

    Quoted names and slogans (“5116”战略, “八五”普法, “二十条”) stay masked: a
    figure needs its unit, and Chinese numerals in quotes are names.
    """
    if not quoted[:1].isdigit():
        return False
    found = _scan(quoted, quoted, "")
    return len(found) == 1 and found[0].start == 0 and found[0].end == len(quoted)


def _normalise(text: str) -> str:
    """Full-width digits and signs as ASCII, one character for one (offsets stay)."""
    return _TO_NORMALISE.sub(lambda m: _NORMAL_FORMS[m.group()], text)


def _prepare(text: str) -> str:
    """Normalised copy of ``text`` with never-a-figure zones blanked out.

    Built from slices, never a list of characters: a section can be a whole
    20 MB report without headings.
    """
    norm = _normalise(text)
    spans: list[tuple[int, int]] = []
    # (each scan only where its key character occurs: a test of ``in`` is cheap)
    if "《" in norm:
        spans += [m.span() for m in _TITLE.finditer(norm)]
    if any(quote in norm for quote in '“‘「『"'):
        spans += [m.span() for m in _QUOTED.finditer(norm) if not _states_quantity(m.group()[1:-1])]
    # (a page date follows a colon or 时间是, or is followed by spaces: most texts have none)
    if ":" in norm or " " in norm or "\t" in norm or "间是" in norm:
        spans += [m.span() for m in _FURNITURE_DATE.finditer(norm)]
    spans += [m.span() for m in _NAMED.finditer(norm)]
    if "个" in norm:
        spans += [m.span() for m in _DISCOURSE_COUNT.finditer(norm)]
    if "、" in norm:
        spans += _recap_spans(norm)
    if "(" in norm or "（" in norm:
        spans += [m.span() for m in _PLAN_PERIOD.finditer(norm)]
    if "届" in norm:
        spans += [m.span() for m in _SESSION.finditer(norm)]
    if any(sep in norm for sep in "/-_:"):
        spans += [m.span() for m in _CODE.finditer(norm) if _is_code(m.group())]
    if not spans:
        return norm
    spans.sort()
    pieces: list[str] = []
    done = 0
    for start, end in spans:
        start = max(start, done)
        if end <= start:
            continue
        pieces.append(norm[done:start])
        pieces.append(_MASK * (end - start))
        done = end
    pieces.append(norm[done:])
    return "".join(pieces)


# --------------------------------------------------------------------------
# Numbers

_CN_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4}
_CN_DIGITS |= {"五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_SMALL = {"十": 10, "百": 100, "千": 1000}
_MULTIPLIERS = {
    "万亿": Decimal(10) ** 12,
    "千亿": Decimal(10) ** 11,
    "百亿": Decimal(10) ** 10,
    "亿": Decimal(10) ** 8,
    "千万": Decimal(10) ** 7,
    "百万": Decimal(10) ** 6,
    "十万": Decimal(10) ** 5,
    "万": Decimal(10) ** 4,
    "千": Decimal(1000),
    "百": Decimal(100),
}


def parse_chinese_number(numeral: str) -> int | None:
    """The value of a Chinese numeral (十九 → 19, 两万三千 → 23000), else None.

    Digit strings without 十/百/千/万/亿 (二〇二一) are accepted only when every
    character is a digit and there are four of them (a year); 一一, 五五 are not
    numbers.
    """
    if not numeral:
        return None
    if all(ch in _CN_DIGITS for ch in numeral):
        if len(numeral) == 1:
            return _CN_DIGITS[numeral]
        if len(numeral) == 4 and "两" not in numeral:
            return int("".join(str(_CN_DIGITS[ch]) for ch in numeral))
        return None
    total = 0
    section = 0
    digit: int | None = None
    last_small = 10**4
    for ch in numeral:
        if ch in _CN_DIGITS:
            value = _CN_DIGITS[ch]
            if value == 0:
                continue  # 一百零五: the zero only marks a gap
            if digit is not None:
                return None
            digit = value
        elif ch in _CN_SMALL:
            unit = _CN_SMALL[ch]
            if unit >= last_small or (digit is None and unit != 10):
                return None
            section += (1 if digit is None else digit) * unit
            digit, last_small = None, unit
        elif ch in "万亿":
            section += digit or 0
            if not section and not total:
                return None
            if ch == "万":
                total += section * 10**4
            else:
                total = (total + section) * 10**8
            section, digit, last_small = 0, None, 10**4
        else:
            return None
    return total + section + (digit or 0)


def _number(numeral: str | None) -> Decimal | None:
    """An Arabic (``1,234.5``) or Chinese numeral as a Decimal."""
    if not numeral:
        return None
    if numeral[0].isascii():
        try:
            return Decimal(numeral.replace(",", ""))
        except InvalidOperation:
            return None
    value = parse_chinese_number(numeral)
    return None if value is None else Decimal(value)


def _as_float(value: Decimal | None) -> float | None:
    if value is None:
        return None
    number = float(value)
    return number if math.isfinite(number) else None


# --------------------------------------------------------------------------
# Grammar parts (all applied to the normalised, masked text)

_HAN = "\u4e00-\u9fff"
_CN_CHARS = "〇零一二三四五六七八九十两百千万亿"
# (not right after "8:" either: the parts of a ratio or a time are not figures)
ARABIC = (
    r"(?<![0-9A-Za-z.·/第])(?<![0-9]:)"
    r"(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?(?![0-9]|\.[0-9])"
)
CHINESE = rf"(?<![{_CN_CHARS}第])[一二三四五六七八九十两][{_CN_CHARS}]*"
NUMBER = rf"(?:{ARABIC}|{CHINESE})"
RANGE_SEP = r" ?(?:—{1,2}|–|-|~|至) ?"
PRE = (
    r"(?P<pre>不超过|不少于|不低于|不高于|不多于|超过|大约|将近|接近|不足|不到"
    r"|(?<![制节签邀预公条履违合契大隐])约|近|超|逾)"
)
CONT = r"(?P<cont>连续)"
MULT = r"(?P<mult>万亿|千亿|百亿|亿|千万|百万|十万|万|千(?![米克瓦伏帕])|百(?!分))"
INCL = r"[(（]含[)）]"  # 30人(含)以下: the bound is included
POST = rf"(?P<post>(?:{INCL})?(?:及?以上|及?以下|以内|左右)|{INCL})"
_INCL = re.compile(INCL)
PLAN_WORDS = r"专项|行动|计划|规划|攻坚|整治|工程|方案|滚动|提升"
# 二期工程, 三期项目: with these a Chinese number + 期 names a phase, not a count
PHASE_NOUNS = r"工程|项目|建设|扩建|改造|规划|用地|续建|主体|厂房|园区|投资"


def _words(spaced: str) -> list[str]:
    return spaced.split()


def _alternation(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


# Measure words and units of counts (kind ``count``); money and physical units
# count too, the only other kind they could be.
COUNT_UNITS: list[str] = _words(
    "人次 户次 件次 批次 架次 车次 辆次 场次 台次 班次 项次 家次 例次"
    " 块 人 名 位 户 家 个 项 件 次 支 套 所 座 条 篇 场 方面"
    " 起 宗 份 张 本 册 部 类 处 栋 幢 间 例 只 头 株 棵 艘 辆 台 款 种 批 轮 组 堂 笔"
    " 期 门 层 倍 元 美元 欧元 公里 千米 米 平方米 平方公里 立方米 公顷 亩 吨 千克"
    " 公斤 克 毫克 微克 升 千瓦时 千瓦 兆瓦 千伏 标准箱 度"
)
# Chinese numerals with 期/门 are phase or place names (二期工程, 三门峡).
CN_COUNT_UNITS = [u for u in COUNT_UNITS if u not in {"期", "门"}]
LATIN_UNITS = r"(?:km|kg|kWh|kW|MW|GW|GB|TB|m²|m³|㎡|㎞)(?![A-Za-z])"
# With a lone 一 only these measure words make a real count.
LONE_ONE_UNITS = set(_words("例 名 座 所 宗 个工作日 工作日 小时 个小时 个月"))
BIG_NOUNS = _words(
    "方面 领域 类 板块 行业 产业 工程 行动 任务 体系 平台 片区 专项 战略 举措 机制 项目"
)
DURATION_UNITS = (
    r"个(?P<mid2>多|余)?(?:工作日|小时|月|星期|季度)|工作日|小时|分钟|秒钟|秒|天|周(?![年岁])|星期"
    # 三年行动, 五年立法规划: a plan's name, not a duration
    rf"|年(?![度级])(?!之际)(?!{PLAN_WORDS})(?![{_HAN}]{{0,3}}(?:规划|计划|纲要))|日(?=内|以内|之内)"
)
RATE_DENOMS = _alternation(
    _words(
        "日 天 周 月 年 小时 时 分钟 秒 人 人次 户 次 平方米 亩 吨 公里 千米 平方公里 千克 公斤"
        " 件 个 台 辆 立方米 升 km kg h d s ㎡ m³"
    )
)
PERCENT_UNITS = r"%|‰|个百分点|百分点"
PLACE_FIRST = "市县区镇乡村省"
PLACE_UNITS = (
    r"(?:省份|县市区|市县区|县区|县市|市县|市|县|区|镇|乡|村|省)"
    r"(?![民场级直委长属域内外份会界际道辖情政府委局])"
)
RANK_SCOPE = (
    r"(?:全[国省市区县州]|全球|全世界|国内|省内|市内)"
    # 全国100个城市第10名: the peers may be counted
    r"(?:(?:[0-9]+个)?(?:同类城市|同类地区|地级市|设区市|副省级城市|省会城市|县级市|城市))?中?"
)
RANK_VERB = r"(?:排名|排行|排|位列|名列|位居|位于|居|列)"
# 排名第三 → the rank is 第三 (the verb is not part of it; DESIGN §3, MARKS.md)
_AFTER_RANK_VERB = "(?:" + "|".join(f"(?<={verb})" for verb in RANK_VERB[3:-1].split("|")) + ")"
TOP_WORDS = ("在", "进入", "跻身", "居", "列", "排名")
_BEFORE_TOP = "(?:" + "|".join(f"(?<={w})" for w in TOP_WORDS) + ")"
ORDINAL = r"(?P<n>[0-9]+|[一二三四五六七八九十百两]+)"
RANK_END = rf"(?P<post>名|位)?(?=$|[^{_HAN}]|[的和及与并且])"

_AFTER_NUMBER = r"(?<![0-9A-Za-z.])"  # not inside a number or an identifier
_Y = _AFTER_NUMBER + r"(?P<y>(?:18|19|20)[0-9]{2})(?![0-9])"
_M = r"(?P<m>1[0-2]|0?[1-9])"
_D = r"(?P<d>3[01]|[12][0-9]|0?[1-9])"
_CN_M = r"(?P<m>十[一二]?|[一二三四五六七八九])"
_CN_D = r"(?P<d>三十一?|二?十[一二三四五六七八九]?|[一二三四五六七八九])"
_QUARTER = r"第?(?P<q>[一二三四1-4])季度|前[一二三]季度|(?P<h>[上下])半年"
# 2022年底, 11月底, 3月上旬: a part of the year or month is part of the date
_YEAR_PART = r"[底初末]"
_MONTH_PART = r"[底初末]|[上中下]旬|份"  # 10月份: the month
_MONTH_DAY = r"(?:1[0-2]|0?[1-9])月(?:(?:3[01]|[12][0-9]|0?[1-9])日)?"


# --------------------------------------------------------------------------
# Rules


class _Found(NamedTuple):
    """What a rule found at a place (a tuple: made for every candidate, so cheap)."""

    kind: FigureKind
    value: float | None
    unit: str
    approx: bool


@dataclass(frozen=True)
class _Rule:
    """One shape of figure; ``first`` holds every character a match can start with.

    ``needs``: words one of which every match holds (its unit, ``/``, ``%`` …). A
    text without any of them never tries the rule: one ``in`` test per text
    instead of the pattern at every place (``tests/test_figures_needs.py``).
    """

    kind: FigureKind
    pattern: re.Pattern[str]
    build: Callable[[FigureKind, re.Match[str]], _Found | None]
    first: str
    after: str | None  # at a digit: what may follow its run of digits (None: anything)
    needs: tuple[str, ...] = ()
    # at a Chinese numeral: what may follow its run of Chinese numeral characters
    # (None: anything); the number may end inside the run only where what follows
    # it starts with such a character (百分点, 千米, 万 as a multiplier)
    cn_after: str | None = None


def _quantity(kind: FigureKind, match: re.Match[str]) -> _Found | None:
    """Counts, percents, durations, scores, rates, magnitudes: number × multiplier.

    Made for most candidates of a report (~60,000 at 8 MB): every test that can
    refuse comes before the value is worked out, and the value is exact without
    Decimal (``_scaled``).
    """
    groups = match.groupdict()  # once: each call builds a new dict
    get = groups.get
    if get("gap") and not _spaced_out(match):
        return None
    numeral = groups["n"]
    unit = get("unit") or ""
    mult = get("mult")
    if not numeral[0].isascii():
        if numeral == "一" and unit not in LONE_ONE_UNITS:
            return None
        if numeral in _TWICE and unit in _OCCASIONS and not (mult or get("pre") or get("cont")):
            return None  # 两次, 二次, 两轮, 两批: words like 一次 (连续两次 still counts)
        if len(numeral) > 1 and all(ch in _CN_DIGITS for ch in numeral):
            return None  # 二〇二一 is only ever a year, read by the date rules
    elif kind == "duration" and unit == "年" and 1000 <= _number(numeral) < 3000:  # type: ignore[operator]
        return None  # 2021年 is a date
    if kind == "count" and not unit and not mult:
        return None
    if kind == "percent" and "百分点" in unit and get("pre") in ("超", "超过"):
        return None  # 接通率超3个百分点: 超 is the verb "exceeds by"
    if kind == "magnitude" and not (get("scale") or "." in numeral or get("ctx") is not None):
        return None
    second = get("n2")
    if second is not None and not second[0].isascii() and parse_chinese_number(second) is None:
        return None
    first_unit = get("u1")
    if first_unit is not None and first_unit != unit:
        return None  # 11人至20项 is two figures
    value = _scaled(numeral, _POWERS[mult] if mult else 0)
    if value is _NOT_A_NUMBER:
        return None
    post = get("post")
    approx = bool(get("pre") or get("mid1") or get("mid2") or get("mid3")) or bool(
        post and _INCL.sub("", post)
    )
    if kind == "duration":
        unit = unit.replace("多", "").replace("余", "")
    return _Found(kind, value, unit, approx)  # type: ignore[arg-type]


# 两次/二次 (twice, a second time), 两轮, 两批: a two of occasions reads as a word,
# as 一次 does; from 三 up a Chinese numeral counts (连续三次, 七期).
_TWICE = frozenset("两二")
_OCCASIONS = frozenset(("次", "轮", "批"))
_POWERS = {mult: len(str(int(factor))) - 1 for mult, factor in _MULTIPLIERS.items()}
_NOT_A_NUMBER = object()
# Below these sizes the exact value needs no Decimal (whose products keep 28 digits).
_SHORT_ARABIC = 20
_SMALL_CHINESE = 10**15


def _scaled(numeral: str, power: int) -> float | object | None:
    """``_as_float(_number(numeral) * 10**power)``, or ``_NOT_A_NUMBER`` where that
    is None, the very same float without Decimal for every usual number.

    ``float`` of a decimal string, of an int and an int divided by an int are all
    correctly rounded, as ``float(Decimal)`` is: the same exact value gives the
    same float (``tests/test_figures_values.py``). Long numerals take Decimal.
    """
    if numeral[0].isascii():
        digits = numeral.replace(",", "") if "," in numeral else numeral
        if len(digits) <= _SHORT_ARABIC:
            if not power:
                return float(digits)
            whole, _, fraction = digits.partition(".")
            shift = power - len(fraction)
            scaled = int(whole + fraction)
            return float(scaled * 10**shift) if shift >= 0 else scaled / 10**-shift
    else:
        whole_value = parse_chinese_number(numeral)
        if whole_value is None:
            return _NOT_A_NUMBER
        if whole_value < _SMALL_CHINESE:
            return float(whole_value * 10**power)
    value = _number(numeral)
    if value is None:
        return _NOT_A_NUMBER
    return _as_float(value * Decimal(10) ** power if power else value)


# Words around ``a:b`` that make it a ratio (三次产业比例为26:27:47, 按1:1配套) or not
# (a score: 以3:1战胜; a time: 上午8:30).
_RATIO_CUES = ("比例", "比率", "之比", "配比", "比值", "比为", "结构", "构成", "占比", "比重")
_NOT_RATIO = ("比分", "比赛", "获胜", "战胜", "击败", "取胜", "胜出", "告负", "负于", "对阵")
_NOT_RATIO += ("时间",)
_CONTEXT = 8


def _ratio(kind: FigureKind, match: re.Match[str]) -> _Found | None:
    """``26:27:47``, ``1:1.5``: parts of a whole, or one quantity per another.

    Three parts or more are a ratio unless they read as a time (12:30:45); two parts
    need a ratio word before them (比例为1:15, 按1:1), and never a score or a time.
    """
    parts = match.group().split(":")
    text = match.string
    before = text[max(0, match.start() - _CONTEXT) : match.start()]
    after = text[match.end() : match.end() + _CONTEXT]
    if any(word in before or word in after for word in _NOT_RATIO):
        return None
    cued = any(cue in before for cue in _RATIO_CUES) or "按" in before[-3:]
    clock = (
        len(parts) <= 3
        and all(part.isdigit() for part in parts)
        and int(parts[0]) <= 24
        and all(len(part) == 2 and int(part) < 60 for part in parts[1:])
    )
    if (clock or len(parts) == 2) and not cued:
        return None
    return _Found(kind, None, "", False)


def _big_count(kind: FigureKind, match: re.Match[str]) -> _Found | None:
    value = _number(match.group("n"))
    return None if value is None else _Found(kind, _as_float(value), match.group("unit"), False)


def _rank(kind: FigureKind, match: re.Match[str]) -> _Found | None:
    value = _number(match.group("n"))
    if value is None or value == 0:
        return None
    return _Found(kind, _as_float(value), "", False)


def _spaced_out(match: re.Match[str]) -> bool:
    """A number may stand apart from its unit (事项 126 项, 通报了 2021 年度) only where the
    text spaces its numbers out, as text taken from a PDF often does: nothing but a space
    or a punctuation mark before it (``、10 个`` too, never ``事项126 项``)."""
    start = match.start()
    before = match.string[start - 1 : start]
    return not before or not (before.isalnum() or "\u3400" <= before <= "\u9fff")


def _date(kind: FigureKind, match: re.Match[str]) -> _Found | None:
    groups = match.groupdict()
    if groups.get("gap") and not _spaced_out(match):
        return None
    year = groups.get("y")
    value = _number(year) if year else None
    if year and value is None:
        return None
    if groups.get("d"):
        unit = "日"
    elif groups.get("m"):
        unit = "月"
    elif groups.get("q") or "季度" in match.group():
        unit = "季度"
    elif groups.get("h"):
        unit = "半年"
    elif match.group().endswith("年度"):
        unit = "年度"
    else:
        unit = "年"
    return _Found(kind, _as_float(value), unit, False)


def _rule(
    kind: FigureKind,
    first: str,
    pattern: str,
    build: Callable = _quantity,
    after: str | None = None,
    needs: tuple[str, ...] = (),
    cn_after: str | None = None,
) -> _Rule:
    return _Rule(kind, re.compile(pattern), build, first, after, needs, cn_after)


# First characters of the parts a rule can start with.
DIGITS = "0123456789"
CN_FIRST = "一二三四五六七八九十两"  # a Chinese number (CHINESE)
PRE_FIRST = "超大将接不约近逾"  # PRE
# What can follow the first run of digits of a figure, by rule: a rule that
# starts at a digit is tried only when the next character is one of these.
NUM_CONT = ",."  # 1,234 and 12.5
RANGE_FIRST = " —–-~至"  # RANGE_SEP
MULT_FIRST = "万亿千百十"
UNIT_FIRST = "".join(sorted({unit[0] for unit in COUNT_UNITS})) + "kKMGTm²³㎡㎞"
AFTER_COUNT = NUM_CONT + RANGE_FIRST + "多余" + MULT_FIRST + UNIT_FIRST
AFTER_RATE = AFTER_COUNT + "/"
AFTER_PERCENT = NUM_CONT + RANGE_FIRST + "多余%‰个百"
AFTER_DURATION = NUM_CONT + RANGE_FIRST + "多余个工小分秒天周星年日"
# At a Chinese numeral: the first characters of the units a Chinese number takes,
# and what follows the 千 of 千米, 千克, 千瓦, 千伏 (a 千 is in the numeral's run).
CN_UNIT_FIRST = "".join(sorted({unit[0] for unit in COUNT_UNITS if unit[0] not in _CN_CHARS}))
CN_UNIT_TAILS = "".join(sorted({unit[1] for unit in COUNT_UNITS if unit[0] in _CN_CHARS}))


# 项目 (project) is a word: 十亿项目 is a tier of projects, not "十亿 项";
# 3个百分点 is a percent, never the count 3个; 六部委 are ministries, not "六部"
_NOT_BEFORE = {"项": "项(?!目)", "个": "个(?!百分点)", "部": "部(?!委)"}


def _unit_alternation(units: list[str]) -> str:
    return "|".join(_NOT_BEFORE.get(part, part) for part in _alternation(units).split("|"))


_COUNT_UNIT_RE = _unit_alternation(COUNT_UNITS)
_CN_COUNT_UNIT_RE = _unit_alternation(CN_COUNT_UNITS)
_QTY_HEAD = rf"{PRE}?(?P<n>{NUMBER})(?:{RANGE_SEP}(?P<n2>{NUMBER}))?(?P<mid1>多|余)?"


def _round_count(kind: FigureKind, match: re.Match[str]) -> _Found | None:
    """逾百家 → 100 家 (approx); a bare 百家/千人 without a qualifier is a name (百家讲坛)."""
    groups = match.groupdict()
    if not (groups["pre"] or groups["up"] or groups["mid1"]):
        return None
    value = _MULTIPLIERS[groups["n"]]
    return _Found(kind, _as_float(value), groups["unit"], True)


def _fraction(kind: FigureKind, match: re.Match[str]) -> _Found | None:
    """三分之一 → 33.3 (percent); the part must be smaller than the whole."""
    groups = match.groupdict()
    whole = _MULTIPLIERS.get(groups["d"]) or _number(groups["d"])  # 千分之五
    part = _number(groups["n"])
    if whole is None or part is None or whole < 2 or not 0 < part < whole:
        return None
    approx = bool(groups["pre"] or groups["post"])
    return _Found(kind, _as_float(part * 100 / whole), "%", approx)


def _tenths(kind: FigureKind, match: re.Match[str]) -> _Found | None:
    """八成 → 80 (percent)."""
    groups = match.groupdict()
    value = _number(groups["n"])
    if value is None:
        return None
    approx = bool(groups["pre"] or groups["mid1"] or groups["post"])
    return _Found(kind, _as_float(value * 10), "%", approx)


def _half(kind: FigureKind, match: re.Match[str]) -> _Found | None:
    """一半 → 50 (percent); 过半 and 超过半数 are more than half (approx)."""
    groups = match.groupdict()
    approx = bool(groups["pre"] or groups["over"] or groups["post"])
    return _Found(kind, 50.0, "%", approx)


def _per_population(kind: FigureKind, match: re.Match[str]) -> _Found | None:
    """每万人3.5名 → 3.5 with unit 名/万人."""
    found = _quantity("count", match)
    if found is None:
        return None
    per = match.group("per") + match.group("den")
    return _Found(kind, found.value, f"{found.unit}/{per}", found.approx)


RULES: tuple[_Rule, ...] = (
    # dates
    _rule("date", DIGITS, rf"{_Y}(?P<s>[-/.]){_M}(?P=s){_D}(?![0-9])", _date, "-/."),
    _rule(
        "date",
        DIGITS,
        rf"{_Y}年?{RANGE_SEP}(?P<y2>(?:18|19|20)[0-9]{{2}})(?:年度|年)",
        _date,
        "年" + RANGE_FIRST,
    ),
    _rule(
        "date",
        DIGITS,
        rf"{_Y}(?P<gap> (?=年))?"
        rf"(?:年度|年(?:{_M}(?:{RANGE_SEP}(?P<m2>1[0-2]|0?[1-9]))?月(?:{_D}日|{_MONTH_PART})?"
        rf"|{_QUARTER}|{_YEAR_PART})?)",
        _date,
        "年 ",
    ),
    _rule(
        "date",
        DIGITS,
        rf"{_AFTER_NUMBER}{_M}(?:{RANGE_SEP}(?P<m2>1[0-2]|0?[1-9]))?月(?:{_D}日|{_MONTH_PART})?",
        _date,
        "月" + RANGE_FIRST,
    ),
    # 2021年5月1日至2022年4月30日, 3月1日至5月31日: one span
    _rule(
        "date",
        DIGITS,
        rf"{_Y}年{_M}月(?:{_D}日)?{RANGE_SEP}(?:(?:18|19|20)[0-9]{{2}}年)?{_MONTH_DAY}",
        _date,
        "年",
    ),
    _rule(
        "date",
        DIGITS,
        rf"{_AFTER_NUMBER}{_M}月{_D}日{RANGE_SEP}{_MONTH_DAY}",
        _date,
        "月",
    ),
    _rule("date", DIGITS, rf"{_AFTER_NUMBER}{_D}日(?!内|以内|之内)", _date, "日"),
    # 一、2025工作开展情况: a year printed without 年 before the work it dates
    _rule("date", DIGITS, rf"{_Y}(?=工作)", _date, "工"),
    _rule("date", DIGITS, rf"{_AFTER_NUMBER}{_M}·{_D}(?![0-9.])", _date, "·"),
    _rule(
        "date",
        "〇零一二三四五六七八九",
        rf"(?<![{_CN_CHARS}])(?P<y>[〇零一二三四五六七八九]{{4}})年(?:{_CN_M}月(?:{_CN_D}日)?)?",
        _date,
        needs=("年",),
        cn_after="年",
    ),
    _rule(
        "date",
        "一二三四五六七八九十",
        rf"(?<![{_CN_CHARS}第]){_CN_M}月{_CN_D}日",
        _date,
        needs=("月",),
        cn_after="月",
    ),
    # percent: 98.4%, 85%以上, 3.1个百分点, 10%—20%, 百分之八十
    _rule(
        "percent",
        PRE_FIRST + DIGITS + CN_FIRST,
        rf"{PRE}?(?P<n>{NUMBER})(?:(?:{PERCENT_UNITS})?{RANGE_SEP}(?P<n2>{NUMBER}))?"
        rf"(?P<mid1>多|余)?(?P<unit>{PERCENT_UNITS}){POST}?",
        after=AFTER_PERCENT,
        cn_after=RANGE_FIRST + "多余%‰个分",  # (三百分点: 百 is in the run)
        needs=("%", "‰", "百分点"),
    ),
    _rule(
        "percent",
        PRE_FIRST + "百",
        rf"{PRE}?百分之(?P<n>百|{ARABIC}|[一二三四五六七八九十两][{_CN_CHARS}]*)(?P<unit>){POST}?",
        lambda kind, m: _percent_words(kind, m),
        cn_after="分",
        needs=("百分之",),
    ),
    # rate: 29万/日, 3万人次/日, 5000元/平方米
    _rule(
        "rate",
        PRE_FIRST + DIGITS + CN_FIRST,
        rf"{_QTY_HEAD}{MULT}?(?P<mid2>多|余)?"
        rf"(?P<unit>(?:{_COUNT_UNIT_RE})?/(?:{RATE_DENOMS})){POST}?",
        after=AFTER_RATE,
        cn_after=AFTER_RATE + CN_UNIT_TAILS,
        needs=("/",),
    ),
    # magnitude: 4.2级地震, 里氏5级
    _rule(
        "magnitude",
        "里震风" + DIGITS,
        rf"(?P<scale>里氏|震级|风力)?(?P<n>{ARABIC})(?P<unit>级){POST}?"
        r"(?P<ctx>(?=地震|余震|强震|震|大风|阵风|台风|风(?!险)))?",
        after=NUM_CONT + "级",
        needs=("级",),
    ),
    # score: 93.46分
    _rule(
        "score",
        PRE_FIRST + DIGITS,
        rf"{PRE}?(?P<n>{ARABIC})(?:{RANGE_SEP}(?P<n2>{ARABIC}))?(?P<unit>分){POST}?"
        rf"(?:(?![{_HAN}])|(?=[的和及与为位排居列较比]))",
        after=NUM_CONT + RANGE_FIRST + "分",
        needs=("分",),
    ),
    # ratio: 三次产业结构为26:27:47, 比例为1:1.5
    _rule(
        "ratio",
        DIGITS,
        rf"{_AFTER_NUMBER}(?<![0-9]:)[0-9]+(?:\.[0-9]+)?(?::[0-9]+(?:\.[0-9]+)?){{1,5}}"
        r"(?![0-9]|[.:][0-9])",
        _ratio,
        NUM_CONT + ":",
        needs=(":",),
    ),
    # duration: 24小时, 0.61个工作日, 3个多月, 两年多, 30日内
    _rule(
        "duration",
        "连" + PRE_FIRST + DIGITS + CN_FIRST,
        rf"{CONT}?{_QTY_HEAD}(?P<unit>{DURATION_UNITS})"
        rf"(?P<mid3>[多余](?=来|的|时间|[^{_HAN}]|$))?{POST}?",
        after=AFTER_DURATION,
        cn_after=AFTER_DURATION,
    ),
    # rank: 全省第四, 全国第二, 排名第三, 全国前10名
    _rule(
        "rank", "全国省市", rf"{RANK_SCOPE}{RANK_VERB}?第{ORDINAL}{RANK_END}", _rank, needs=("第",)
    ),
    _rule("rank", "第", rf"{_AFTER_RANK_VERB}第{ORDINAL}{RANK_END}", _rank),
    _rule(
        "rank", "全国省市", rf"{RANK_SCOPE}{RANK_VERB}?前{ORDINAL}{RANK_END}", _rank, needs=("前",)
    ),
    # 排名始终在前二十名, 进入前10位: a top-N place after a ranking word
    _rule("rank", "前", rf"{_BEFORE_TOP}前{ORDINAL}(?P<post>名|位|强)", _rank),
    # count: 6963项, 1.8万件, 近9万件, 2.7万余次, 1万多名, 5个, 29万
    _rule(
        "count",
        "连" + PRE_FIRST + DIGITS,
        rf"{CONT}?{PRE}?(?P<n>{ARABIC})"
        rf"(?:(?:(?P<u1>{_COUNT_UNIT_RE})(?:{INCL})?)?{RANGE_SEP}(?P<n2>{ARABIC}))?(?P<mid1>多|余)?"
        rf"{MULT}?(?P<mid2>多|余)?(?:(?P<gap> )(?={_COUNT_UNIT_RE}))?"
        rf"(?P<unit>{_COUNT_UNIT_RE}|{LATIN_UNITS})?{POST}?",
        after=AFTER_COUNT,
    ),
    _rule(
        "count",
        "连" + PRE_FIRST + CN_FIRST,
        rf"{CONT}?{PRE}?(?P<n>{CHINESE})(?:{RANGE_SEP}(?P<n2>{CHINESE}))?(?P<mid1>多|余)?"
        # 五个一批, 四个一百工程: "N个一X" is a slogan, not a count
        rf"(?P<unit>{_CN_COUNT_UNIT_RE}|期(?!{PHASE_NOUNS}))(?![一二三四五六七八九十两]){POST}?",
        cn_after=RANGE_FIRST + "多余期" + CN_UNIT_FIRST + CN_UNIT_TAILS,
    ),
    # 3市8县, 全省11市, 16个市州 aside: places counted by their own noun (never the
    # 市 of 12345市民热线, the 区 of 3区域, the 级 of 2县级)
    _rule(
        "count",
        "连" + PRE_FIRST + DIGITS,
        rf"{CONT}?{PRE}?(?<![0-9A-Za-z.·/第])(?<![0-9]:)(?P<n>[1-9][0-9]{{0,2}})(?![0-9.,])"
        rf"(?P<mid1>多|余)?"
        rf"(?P<unit>{PLACE_UNITS}){POST}?",
        after="多余" + PLACE_FIRST,
    ),
    # 逾百家, 近千人, 上万人次, 百余家, 千余名: a multiplier without digits
    _rule(
        "count",
        PRE_FIRST + "上百千万亿",
        rf"(?:{PRE}|(?P<up>上))?(?<![{_CN_CHARS}])(?P<n>十万|百万|千万|百|千|万|亿)"
        rf"(?P<mid1>多|余)?(?P<unit>{_CN_COUNT_UNIT_RE}){POST}?",
        _round_count,
        cn_after="多余" + CN_UNIT_FIRST + CN_UNIT_TAILS,
    ),
    # 三分之一, 千分之五, 2/3: fractions as percent
    _rule(
        "percent",
        PRE_FIRST + CN_FIRST + "千万",
        rf"{PRE}?(?<![{_CN_CHARS}])(?P<d>[一二三四五六七八九十两]+|千|万)分之(?P<n>[一二三四五六七八九十两][{_CN_CHARS}]*)"
        rf"{POST}?",
        _fraction,
        needs=("分之",),
        cn_after="分",
    ),
    _rule(
        "percent",
        PRE_FIRST + DIGITS,
        rf"{PRE}?(?<![0-9A-Za-z./])(?P<n>[1-9])/(?P<d>10|[2-9])(?![0-9./]){POST}?",
        _fraction,
        "/",
        needs=("/",),
    ),
    # 八成, 九成以上, 近七成: tenths as percent
    _rule(
        "percent",
        PRE_FIRST + "二三四五六七八九两" + DIGITS,
        rf"{PRE}?(?<![{_CN_CHARS}0-9A-Za-z.])(?P<n>[二三四五六七八九两]|[1-9](?![0-9.]))成(?P<mid1>多)?"
        rf"(?![员立为果效绩功本熟长就型品交新])(?P<unit>){POST}?",
        _tenths,
        "成",
        needs=("成",),
        cn_after="成",
    ),
    # 一半以上, 过半, 超过半数, 近半数: a half as percent (另一半 and 过半年 are not)
    _rule(
        "percent",
        PRE_FIRST + "一过半",
        rf"(?:{PRE}?(?<!另)(?P<n>一半|半数)|(?<![通经])(?P<over>过半(?:数|(?![{_HAN}]))))"
        rf"(?![年月天日个小字])(?P<unit>){POST}?",
        _half,
        needs=("半",),
        cn_after="半",
    ),
    # 每万人3.5名, 每万人拥有4.8名: a count per population, when the two touch
    _rule(
        "rate",
        "每",
        rf"每(?P<per>[0-9]*(?:十万|百万|千|万|百|十)?)(?P<den>人口|人|户|千人)"
        rf"(?:拥有|有|达到|达|配备|平均)?(?P<n>{ARABIC}){MULT}?(?P<mid2>多|余)?"
        rf"(?P<unit>{_COUNT_UNIT_RE}){POST}?",
        _per_population,
    ),
    # 常住人口766579, 总户数为12345: a population or a number of households needs no
    # measure word (the noun before it says what is counted)
    _rule(
        "count",
        DIGITS,
        r"(?:"
        + "|".join(
            f"(?<={noun}{verb})"
            for noun in ("人口", "人数", "户数")
            for verb in ("", "为", "达", "是")
        )
        + r")(?P<n>[1-9][0-9]{3,}|[1-9][0-9]{0,2}(?:,[0-9]{3})+)(?P<unit>)(?=[,，。;；、)）]|$)",
        _big_count,
        ",，。;；、)）",
    ),
    # 5大方面, 6大领域
    _rule(
        "count",
        DIGITS,
        rf"(?P<n>{ARABIC})(?P<unit>大(?:{_alternation(BIG_NOUNS)}|[{_HAN}]{{2}}))",
        _big_count,
        "大",
    ),
)


def _percent_words(kind: FigureKind, match: re.Match[str]) -> _Found | None:
    numeral = match.group("n")
    value = Decimal(100) if numeral == "百" else _number(numeral)
    if value is None:
        return None
    return _Found(kind, _as_float(value), "%", bool(match.group("pre") or match.group("post")))


# Where a figure can begin: the first digit of a number (never one inside a
# number: every rule's number refuses that), the first character of a Chinese
# number, or a qualifier, scope or verb word.  Only the rules whose ``first``
# holds the character found are tried there.
#
# Each branch is (its first characters, what must hold once one of them is
# read). The pattern is one class of every first character, then the branches
# as look-behinds at that character: a pattern that begins with a class lets
# the engine skip in C to the next place one of its characters stands, where
# an alternation of branches was tried at every character of the text (~0.1 s
# of a first 8 MB ``figures``).
_START_BRANCHES: tuple[tuple[str, str], ...] = (
    # A digit or Chinese numeral not inside a number is checked by looking back
    # from after it. At a digit, group 1 is the character after its run of
    # digits ("" at the end), or when that is a decimal point and digits, group 2
    # is the character after them: the scan picks the rules by it.
    ("0-9", r"(?<![0-9A-Za-z.].)(?=[0-9]*(?:(?!\.[0-9])([^0-9]?)|\.[0-9]+([^0-9]?)))"),
    # (nor a Chinese number before 是 or 、: 一是, 三、 number items and headings, and no
    # rule's unit, range or mark begins with either). Group 3 is the character after
    # its run of Chinese numeral characters: the scan picks the rules by it too.
    (
        f"{CN_FIRST}〇零百千万亿",
        rf"(?<![{_CN_CHARS}].)(?![{_CN_CHARS}]*[是、])(?=[{_CN_CHARS}]*([^{_CN_CHARS}]?))",
    ),
    ("超", "过?"),
    ("约近逾", ""),
    ("大", "(?=约)"),
    ("将接", "(?=近)"),
    ("不", "(?=[足到]|超过|少于|低于|高于|多于)"),
    ("连", "(?=续)"),
    ("百", "(?=分之)"),
    # a scope starts a rank only before its 第/前 (全市 is mostly just "the whole city")
    ("全国省市", rf"(?<=(?={RANK_SCOPE}{RANK_VERB}?[第前]).)"),
    ("第", "(?:" + "|".join(f"(?<={verb}第)" for verb in RANK_VERB[3:-1].split("|")) + ")"),
    ("前", "(?:" + "|".join(f"(?<={word}前)" for word in TOP_WORDS) + ")"),
    ("里", "(?=氏)"),
    ("震", "(?=级)"),
    ("风", "(?=力)"),
    ("上", "(?=[十百千万亿])"),
    ("每", "(?=[0-9十百千万]*[人户千])"),
    ("过", "(?=半)"),
    ("半", "(?=数)"),
)
_START = re.compile(
    "["
    + "".join(first for first, _ in _START_BRANCHES)
    + "](?:"
    + "|".join(f"(?<=[{first}]){rest}" for first, rest in _START_BRANCHES)
    + ")"
)
_Dispatch = tuple[dict[str, tuple[_Rule, ...]], dict[str, tuple[_Rule, ...]], tuple[_Rule, ...]]
# Every word some rule needs (see ``_Rule.needs``): a text is looked up by which it holds.
_NEED_WORDS = tuple(sorted({word for rule in RULES for word in rule.needs}))


@functools.lru_cache(maxsize=256)
def _dispatch(held: tuple[bool, ...]) -> _Dispatch:
    """The rules to try by first character, and at a digit by the character after its
    run of digits, for a text that holds the ``_NEED_WORDS`` flagged in ``held``."""
    present = {word for word, flag in zip(_NEED_WORDS, held, strict=True) if flag}
    rules = [rule for rule in RULES if not rule.needs or not present.isdisjoint(rule.needs)]
    by_first = {
        char: tuple(rule for rule in rules if char in rule.first)
        for char in {char for rule in RULES for char in rule.first}
    }
    # At a digit, the rules also depend on the character after the run of digits.
    digit_rules = [rule for rule in rules if "0" in rule.first]
    after = {
        char: tuple(rule for rule in digit_rules if rule.after is None or char in rule.after)
        for char in {char for rule in RULES if "0" in rule.first for char in rule.after or ""}
    }
    return by_first, after, tuple(rule for rule in digit_rules if rule.after is None)


_CnDispatch = tuple[dict[tuple[str, str], tuple[_Rule, ...]], dict[str, tuple[_Rule, ...]]]


@functools.lru_cache(maxsize=256)
def _cn_dispatch(held: tuple[bool, ...]) -> _CnDispatch:
    """At a Chinese numeral: the rules to try by (its first character, the character
    after its run of numeral characters), and by its first character for any other
    character after the run (the rules without ``cn_after``)."""
    by_first = _dispatch(held)[0]
    keys = {char for rule in RULES for char in rule.cn_after or ""}
    firsts = [first for first in by_first if first in _CN_CHARS]
    by_key = {
        (first, key): tuple(
            rule for rule in by_first[first] if rule.cn_after is None or key in rule.cn_after
        )
        for first in firsts
        for key in keys
    }
    other = {
        first: tuple(rule for rule in by_first[first] if rule.cn_after is None) for first in firsts
    }
    return by_key, other


@functools.lru_cache(maxsize=256)
def _decimal_dispatch(held: tuple[bool, ...]) -> dict[str, tuple[_Rule, ...]]:
    """At a decimal number (``98.4%``), by the character after it: the rules to try.

    Those the decimal point lets in (``after`` holds ``.``) that also accept what
    follows the whole number, since every rule reads ``12.5`` as one number (or,
    a date, ``2021.5.1`` with ``.`` after it) and then needs what may follow a
    number: 8 rules at a decimal point, 1 or 2 once the ``%`` or ``万`` is seen.
    """
    _, after, other = _dispatch(held)
    at_point = after["."]
    return {
        char: tuple(rule for rule in at_point if rule in rules) for char, rules in after.items()
    } | {"": tuple(rule for rule in at_point if rule in other)}


# --------------------------------------------------------------------------
# Public API


def find_figures(text: str, section: str = "") -> list[Figure]:
    """Figures in one section's text, in order and non-overlapping.

    Offsets are ``str`` indices into ``text``; ``figure.text == text[start:end]``.
    """
    if not isinstance(text, str):
        raise TypeError(f"find_figures needs a str, not {type(text).__name__}")
    return _find_prepared(text, _prepare(text), section)


def _find_prepared(
    text: str, prepared: str, section: str, *, spaced: bool = True, tables: bool = True
) -> list[Figure]:
    """``find_figures`` once ``prepared`` is ``_prepare(text)``; ``spaced``/``tables``
    False: the caller knows the text has no spaced-out number or unit column head."""
    # (the cheap test first: a digit, a space, a word; most texts have none)
    if not spaced or _SPACED_HINT.search(prepared) is None or _SPACED.search(prepared) is None:
        figures = _scan(text, prepared, section)
    else:
        figures = _scan_closed(text, prepared, section)
    if tables and _UNIT_HEAD.search(prepared):
        figures = _with_table_cells(figures, text, prepared, section)
    return figures


# Between sections prepared together: a line of its own that no mask can cross
# (titles, quotes and codes stop at a line break, a page date's spaces at NUL)
# and that looks like the start or end of a text to every look-around.
_SECTION_BREAK = "\n\x00\n"


def _prepare_all(texts: list[str]) -> tuple[str, list[str]]:
    """``[_prepare(text) for text in texts]``, as one pass of each pattern over all
    of them (~16,000 sections at 8 MB paid each pattern's set-up for every one),
    and all of them prepared, joined by ``_SECTION_BREAK``."""
    prepared = _prepare(_SECTION_BREAK.join(texts))
    if len(texts) < 2:
        return prepared, [prepared] if texts else []
    out: list[str] = []
    at = 0
    step = len(_SECTION_BREAK)
    for text in texts:
        end = at + len(text)
        out.append(prepared[at:end])
        at = end + step
    return prepared, out


# Spaces a typesetter or a PDF put around a number: 连续 3 年, 增长 12.5 %,
# 完成 3.5 亿元, 全省第 3 位. A number spaced off on both sides (or standing at a
# line's or a clause's start) is closed up to its words for the scan, within a
# line and never inside a masked title or quote; each figure's offsets and text
# are those of the original (``3.5 亿元``). A number glued to the words before
# it stays as it is (事项126 项: the number does not reach across a space).
_GAP = r"[ \t\u00a0]{1,2}"
_SPACED_HINT = re.compile(rf"[0-9]{_GAP}[{_HAN}%‰]")
_SPACED = re.compile(
    rf"(?:(?<=[{_HAN}])(?P<lead>{_GAP})|(?<![{_HAN}0-9A-Za-z.,]))"
    rf"[0-9][0-9.,]*(?P<trail>{_GAP})(?=[{_HAN}%‰])"
)


def _scan_closed(text: str, prepared: str, section: str) -> list[Figure]:
    """``_scan`` with the spaces of ``_SPACED`` closed up, offsets mapped back."""
    gaps = []
    for match in _SPACED.finditer(prepared):
        if match["lead"]:
            gaps.append(match.span("lead"))
        gaps.append(match.span("trail"))
    text_pieces: list[str] = []
    prepared_pieces: list[str] = []
    # (start in the closed text, characters removed before it): one per gap.
    shifts: list[tuple[int, int]] = [(0, 0)]
    done = removed = 0
    for start, end in gaps:
        text_pieces.append(text[done:start])
        prepared_pieces.append(prepared[done:start])
        removed += end - start
        done = end
        shifts.append((done - removed, removed))
    text_pieces.append(text[done:])
    prepared_pieces.append(prepared[done:])
    starts = [closed for closed, _ in shifts]

    def original(closed: int, *, end: bool) -> int:
        # An end keeps the shift of its last character: "3.5 亿元" ends after 元,
        # and "3" never takes the space after it.
        index = bisect.bisect_left(starts, closed) if end else bisect.bisect_right(starts, closed)
        return closed + shifts[max(index - 1, 0)][1]

    figures = []
    for figure in _scan("".join(text_pieces), "".join(prepared_pieces), section):
        start, end = original(figure.start, end=False), original(figure.end, end=True)
        figures.append(replace(figure, start=start, end=end, text=text[start:end]))
    return figures


# --------------------------------------------------------------------------
# Tables flattened one cell a line: column heads that name a unit, "总量",
# "(亿元)", "增长(%)", then rows of a label line and bare number lines.

_UNIT_HEAD = re.compile(
    r"^[^\n]{0,12}?[(（](?:单位:)?(?P<unit>[^\s()（）\n]{1,6})[)）][ \t]*$", re.MULTILINE
)
_CELL = re.compile(r"[ \t]*(?P<n>[+-]?(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?)[ \t]*")
_COLUMN_UNIT = re.compile(
    rf"(?P<mult>万亿|亿|千万|百万|万|千|百)?(?P<unit>{_COUNT_UNIT_RE}|{PERCENT_UNITS})"
)
PROSE_LINE = 30  # a longer line that is neither head nor cell ends a table


def _column(unit: str) -> tuple[FigureKind, Decimal, str] | None:
    """The kind, multiplier and unit a column head gives its cells (None: not a unit)."""
    match = _COLUMN_UNIT.fullmatch(unit)
    if match is None:
        return None
    mult = _MULTIPLIERS[match["mult"]] if match["mult"] else Decimal(1)
    if match["unit"] in ("%", "‰", "个百分点", "百分点"):
        return "percent", mult, match["unit"]
    return "count", mult, match["unit"]


def _with_table_cells(
    figures: list[Figure], text: str, prepared: str, section: str
) -> list[Figure]:
    """``figures`` plus the bare numbers of table rows under unit column heads.

    The n-th number line after a label line takes the n-th column head's
    unit (a row with fewer values fills the first columns); a head after
    cells starts a new table, a prose line ends one.
    """
    columns: list[tuple[FigureKind, Decimal, str]] = []
    cells: list[Figure] = []
    in_row = 0
    after_cells = False
    offset = 0
    for line in prepared.split("\n"):
        start, offset = offset, offset + len(line) + 1
        head = _UNIT_HEAD.fullmatch(line)
        cell = None if head else _CELL.fullmatch(line)
        if head:
            column = _column(head["unit"])
            if column is not None:
                if after_cells:
                    columns, after_cells = [], False
                columns.append(column)
            in_row = 0
        elif cell:
            if in_row < len(columns):
                kind, mult, unit = columns[in_row]
                value = _number(cell["n"])
                at = start + cell.start("n")
                end = start + cell.end("n")
                if value is not None:
                    cells.append(
                        Figure(section, at, end, text[at:end], kind, _as_float(value * mult), unit)
                    )
            in_row += 1
            after_cells = True
        else:
            in_row = 0
            if len(line) > PROSE_LINE:
                columns, after_cells = [], False
    if not cells:
        return figures
    # Both lists are in order: one merge, a cell overlapping a figure is dropped.
    merged: list[Figure] = []
    index = 0
    for cell in cells:
        while index < len(figures) and figures[index].end <= cell.start:
            merged.append(figures[index])
            index += 1
        if index < len(figures) and figures[index].start < cell.end:
            continue
        merged.append(cell)
    merged.extend(figures[index:])
    return merged


def _scan(text: str, prepared: str, section: str, *, exhaustive: bool = False) -> list[Figure]:
    """Try the rules at each place a figure can start; the longest match wins.

    ``exhaustive`` tries every rule at every position (slow; the tests check
    that the start characters and the dispatch by first character lose nothing).
    """
    figures: list[Figure] = []
    append = figures.append
    new = object.__new__
    pos = 0
    size = len(prepared)
    held = tuple(map(prepared.__contains__, _NEED_WORDS))
    by_first, digit_after, digit_else = _dispatch(held)
    decimal_after = _decimal_dispatch(held)
    decimal_else = decimal_after[""]
    cn_after, cn_other = _cn_dispatch(held)
    search = _START.search
    while pos < size:
        if exhaustive:
            at, rules = pos, RULES
        else:
            start_match = search(prepared, pos)
            if start_match is None:
                break
            at = start_match.start()
            after = start_match[1]  # (None unless the start is a digit)
            if after is not None:
                rules = digit_after.get(after, digit_else)
            elif (after := start_match[2]) is not None:  # after a decimal number
                rules = decimal_after.get(after, decimal_else)
            elif (after := start_match[3]) is not None:  # at a Chinese numeral
                first = prepared[at]
                cn_rules = cn_after.get((first, after))
                rules = cn_other.get(first, ()) if cn_rules is None else cn_rules
            else:
                rules = by_first.get(prepared[at], ())
        best_end = at
        best: _Found | None = None
        for rule in rules:
            match = rule.pattern.match(prepared, at)
            if match is None:
                continue
            end = match.end()
            if end <= best_end:  # (empty, or no longer than the best so far)
                continue
            found = rule.build(rule.kind, match)
            if found is not None:
                best_end, best = end, found
        if best is None:
            pos = at + 1
            continue
        kind, value, unit, approx = best
        # ``Figure(...)`` at under half the cost: a frozen __init__ sets each field
        # through ``object.__setattr__`` (~70,000 figures at 8 MB)
        figure = new(Figure)
        figure.__dict__.update(
            section=section,
            start=at,
            end=best_end,
            text=text[at:best_end],
            kind=kind,
            value=value,
            unit=unit,
            approx=approx,
        )
        append(figure)
        pos = best_end
    return figures


# A title shorter than this could be an ordinary phrase of the body.
TITLE_MIN = 8


# Punctuation that joins a span to the sentence around it.
_CLAUSE_MARKS = "。，,；;！!？?"


def _title_spans(text: str, title: str) -> list[tuple[int, int]]:
    """Where the report's title is repeated in ``text`` (a 名称: field, a second headline).

    Not where a sentence quotes it (``…消息,司法部发布2023年…年度报告。``): a news lead
    that retells its headline states a fact, and its year is a figure of the text.
    """
    spans: list[tuple[int, int]] = []
    at = text.find(title)
    while at >= 0:
        end = at + len(title)
        before = text[at - 1] if at else ""
        after = text[end] if end < len(text) else ""
        if not (before and before in _CLAUSE_MARKS) and not (after and after in _CLAUSE_MARKS):
            spans.append((at, end))
        at = text.find(title, end)
    return spans


# A preview is page furniture at the top of a page: look at the first lines only.
PREVIEW_LINES = 24
PREVIEW_MIN = 16  # characters (white space aside): shorter lines repeat by chance


def _squeeze(text: str) -> str:
    return "".join(text.split())


def _preview_spans(texts: list[str]) -> list[list[tuple[int, int]]]:
    """Per section, the lines near the top that the text right after them repeats.

    A sharing site's teaser (``…工作报告(全文) 政府工作报告 2020年6月22日在…县长``,
    cut mid-word) and a copy printed before the copy: the same words follow at
    once, so their figures are the text's own figures seen twice. Cost: each line
    is compared with at most a few times its own length of what follows.
    """
    spans: list[list[tuple[int, int]]] = [[] for _ in texts]
    seen = 0
    for index, text in enumerate(texts):
        start = 0
        while seen < PREVIEW_LINES and start <= len(text):
            end = text.find("\n", start)
            end = len(text) if end < 0 else end
            seen += 1
            line = _squeeze(text[start:end])
            if len(line) >= PREVIEW_MIN:
                want = 3 * (end - start) + 64
                following = text[end + 1 : end + 1 + want]
                for later in texts[index + 1 :]:
                    if len(following) >= want:
                        break
                    following += "\n" + later[:want]
                if _squeeze(following).startswith(line):
                    spans[index].append((start, end))
            start = end + 1
        if seen >= PREVIEW_LINES:
            break
    return spans


def report_figures(report: Report) -> list[Figure]:
    """All figures of a report, section by section in document order.

    The year in a repeated title (``中文名:…2015年度…的报告``) names the report;
    it is not one of its figures, so figures inside the title are left out, and
    so are those of a preview line that the text repeats right after it.
    """
    title = report.metadata.title or ""
    sections = report.sections
    texts = [section.text for section in sections]
    whole, prepared_texts = _prepare_all(texts)
    # (the hints of find_figures, tried once on the whole report: most have neither)
    spaced = _SPACED_HINT.search(whole) is not None
    tables = _UNIT_HEAD.search(whole) is not None
    del whole
    previews = _preview_spans(texts)
    figures: list[Figure] = []
    for section, text, prepared, preview in zip(
        sections, texts, prepared_texts, previews, strict=True
    ):
        found = _find_prepared(text, prepared, section.id, spaced=spaced, tables=tables)
        spans = list(preview)
        if len(title) >= TITLE_MIN and title in text:
            spans += _title_spans(text, title)
        if spans:
            found = [f for f in found if not any(s <= f.start and f.end <= e for s, e in spans)]
        figures.extend(found)
    return figures
