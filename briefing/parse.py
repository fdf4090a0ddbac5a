"""Clean text to ``Report``: front matter, junk lines, numbering, section tree.

The **normalised body** is defined here once, and everything else follows it:

1. split the text on ``\\n`` and strip each line of surrounding white space
   (``str.strip``: spaces, tabs, full-width ``　``, NBSP …); drop empty lines;
   a line holding several run-together headings (a flattened PDF or page:
   ``…工作。二、深化…``) is split before each of them into *logical lines*,
   each stripped too (``logical_lines``; joined, the pieces are the line);
2. drop the *front matter*: the leading run of lines that are page furniture
   (junk), metadata header rows (``索引号:…``, ``| 索引号 | … |``, a label with
   its value on the next line) or title-block lines (the title, printed once
   or twice, a byline, a date). At least one line is always left as body;
3. drop junk lines anywhere else (``扫一扫在手机打开当前页``, lone ``|``, …).

The body is ``"\\n".join`` of the logical lines that remain. Sections partition those
lines: each section's ``text`` is a run of consecutive body lines, so
``"\\n".join(s.text for s in sections) == body`` and every character of the
body belongs to exactly one section, in document order. Parsing the body
again gives the same sections (its first line is never front matter).
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import re
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from briefing.model import FILE_NAME_TITLE, Metadata, Report, Section

# --------------------------------------------------------------------------
# Header labels and page furniture
# --------------------------------------------------------------------------

TITLE_LABELS = (
    "信息名称",
    "标题",
    "名称",
    "文件名称",
    "文章标题",
    "信息标题",
    "公文标题",
    "公文名称",
)
PUBLISHER_LABELS = (
    "发布机构",
    "发文机关",
    "发文机构",
    "发文单位",
    "发布单位",
    "来源",
    "信息来源",
    "文章来源",
    "稿件来源",
    "供稿单位",
)
DATE_LABELS = (
    "生成日期",
    "成文日期",
    "发文日期",
    "发布日期",
    "发布时间",
    "发文时间",
    "公开日期",
    "日期",
    "时间",
    "更新时间",
    "更新日期",
)
INDEX_LABELS = ("索引号",)
SUMMARY_LABELS = ("内容概述", "内容概要", "摘要")
# Labels of page furniture that may share a line with real header fields.
JUNK_LABELS = frozenset(
    (
        "字体",
        "字号",
        "浏览",
        "浏览量",
        "浏览次数",
        "访问次数",
        "点击数",
        "阅读次数",
        "分享到",
        "打印",
        "关闭",
    )
)
KNOWN_LABELS = frozenset(
    TITLE_LABELS
    + PUBLISHER_LABELS
    + DATE_LABELS
    + INDEX_LABELS
    + SUMMARY_LABELS
    + (
        "法定主动公开分类",
        "主动公开分类",
        "主题分类",
        "体裁分类",
        "组配分类",
        "服务对象分类",
        "公开方式",
        "公开范围",
        "公开时限",
        "公开形式",
        "文件编号",
        "发文字号",
        "文号",
        "废止日期",
        "失效日期",
        "失效时间",
        "有效性",
        "时效",
        "关键词",
        "主题词",
        "机构分类",
        "行业分类",
        "公文类型",
        "所属机构",
        "责任部门",
        "作者",
        "编辑",
        "责任编辑",
        "审核",
    )
    + tuple(JUNK_LABELS)
)

_PIPES = "|│｜"
_TO_ASCII_PIPE = str.maketrans(dict.fromkeys(_PIPES, "|"))
_JUNK_PATTERNS = (
    r"扫一扫在手机(?:上)?打开(?:当前页|本页)",
    r"(?:您|你)?(?:现在|当前)?(?:所在的|所在|的当前)?(?:位置|所在位置)\s*[:：].*",
    r"(?:首页|网站首页|主页)(?:\s*[>＞›»].*)?",
    r"今天是\s*[:：]?.*",
    r"(?:推广\s*)?(?:热搜|热门搜索|热搜词|热门关键词|热词)\s*[:：].*",  # a bar of search terms
    # A bar of page links: 无障碍 简体| 繁体, 登录 | 注册. Each link is followed by
    # a separator, spaces or the end, one way only (no backtracking on a long line).
    r"(?:(?:无障碍|简体|繁体|简|繁|English|登录|注册|网站地图|设为首页|加入收藏|长者模式|关怀版|"
    r"智能问答|站内搜索|会员登录|新用户注册|用户登录|退出|跳转到内容|跳到导航|跳到搜索)"
    r"(?:\s*[|｜/]\s*|\s+|$))+",
    r"正文",  # the last crumb of a breadcrumb, left alone on its line
    r"(?:上一篇|下一篇|上一条|下一条)\s*[:：].*",  # links to the neighbouring articles
    r"[【\[]?\s*(?:字体|字号)\s*[:：]?\s*[【\[]?\s*大\s*中\s*小\s*[】\]]?.*",
    # a toolbar whose size links were not saved: 【字号: 打印本页, 【字体:】 关闭窗口
    r"[【\[]?\s*(?:字体|字号)\s*[:：]?\s*[】\]]?\s*(?:[【\[]?\s*(?:打印本页|打印|关闭窗口|关闭)\s*[】\]]?\s*)*",
    r"(?:[【\[]\s*(?:打印(?:本页|此页)?|关闭(?:窗口|本页)?|收藏|返回顶部|我要纠错|分享)\s*[】\]]\s*)+",
    r"打印本页|关闭窗口|返回顶部|分享到\s*[:：]?.*",
    r"(?:浏览次数|访问次数|点击数|阅读次数)\s*[:：].*",
    # A document-sharing site's frame around the text of a file it shows
    r"想预览更多内容.*|点击预览全文|全文预览已结束|下载本文档|文档(?:介绍|简介)\s*[:：]?|申明敬告\s*[:：]?",
    rf"[{_PIPES}\s\-—:：]*",  # lone pipes, table rules like |---|---|
)
_JUNK = re.compile("^(?:" + "|".join(_JUNK_PATTERNS) + ")$")


_BULLETS = "•●◆■▪·\u2022 \t\u3000"


def is_junk(line: str) -> bool:
    """Page furniture that is never part of a report (a stripped line).

    Navigation (breadcrumbs, link bars, the date of today) is furniture too,
    and so never becomes a title.
    """
    line = line.lstrip(_BULLETS)
    return bool(_JUNK.match(line)) or _is_breadcrumb(line)


_SENTENCE_MARKS = frozenset("。，,；;！!？?")
_BREADCRUMB_MARKS = ">＞›»"
_BREADCRUMB_SEPARATORS = str.maketrans(dict.fromkeys(_BREADCRUMB_MARKS, ">"))


def _is_breadcrumb(line: str) -> bool:
    """Short parts joined by ``>``: three or more (政务公开 > 某某局 > 统计信息), or
    a cut-off piece that starts with a separator (> 政策文件 > 其他文件, > 要闻 >).

    Plain string operations, not a regular expression: a pattern of repeated
    parts and optional spaces backtracks exponentially on a long line.
    """
    if len(line) > 200 or not any(sep in line for sep in _BREADCRUMB_MARKS):
        return False  # (most lines: no separator, nothing to translate)
    parts = [part.strip() for part in line.translate(_BREADCRUMB_SEPARATORS).split(">")]
    if len(parts) < 2 or any(len(part) > 40 or part.isdigit() for part in parts):
        return False
    if not _SENTENCE_MARKS.isdisjoint(line):  # 收入>支出，结余12万元 is a sentence
        return False
    if not parts[0]:  # starts with a separator
        return all(len(part) <= 24 for part in parts[1:])
    return len(parts) >= 3 and all(parts[:-1]) and all(len(part) <= 24 for part in parts[:-1])


# Labels printed in traditional characters (來源, 發布時間, 索引號) read as their
# simplified forms; only the characters known labels are made of.
_LABEL_SIMPLIFIED = str.maketrans(
    "來發佈時間機構號稱標題類關鍵詞體開屬責門廢數覽擊閱讀單據統計資訊範圍編輯審効概內寫",
    "来发布时间机构号称标题类关键词体开属责门废数览击阅读单据统计资讯范围编辑审效概内写",
)


@functools.lru_cache(maxsize=4096)
def _label_key(label: str) -> str:
    """A label as looked up: no spaces, glosses or colon, simplified (cached: a header
    is looked up once per field and label)."""
    return unglossed(re.sub(r"\s+", "", label)).rstrip(":：").translate(_LABEL_SIMPLIFIED)


# A reading gloss after a hanzi (關(guān)于, 發(fā)布): some converters print the pinyin of
# every uncommon character in brackets. Only lower-case Latin with a tone mark is
# a gloss; (GDP), (app) or (de) are not.
_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ"
_GLOSS = re.compile(rf"(?<=[\u3400-\u9fff])[(（](?=[a-zü]*[{_TONED}])[a-zü{_TONED}]{{1,7}}[)）]")


def unglossed(line: str) -> str:
    """``line`` without pinyin reading glosses (``關(guān)于`` → ``關于``), for telling
    what a line is (a label, a title, a file number); the text itself keeps them."""
    if "(" not in line and "（" not in line:
        return line
    return _GLOSS.sub("", line)


_SPACES = re.compile(r"\s+")
# The longest label with its spaces and colon (``索 引 号：``, ``法定主动公开分类：``),
# and room for a reading gloss (``文    號(hào)：``).
_LABEL_WINDOW = 2 * max(map(len, KNOWN_LABELS)) + 8
_TABLE_LABEL = 12  # an unknown label in a table row is short
_COLON = re.compile("[:：]")
_LABEL_VALUE = re.compile(rf"^(?P<label>[^:：]{{1,{_LABEL_WINDOW}}}?)\s*[:：]\s*(?P<value>.*)$")
_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")
_DATE_LINE = re.compile(
    r"[(（]?\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日[)）]?"
    r"|\d{4}[-/.]\d{1,2}[-/.]\d{1,2}(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?"
    # an aggregator's European date-time: 25.02.2016  10:00
    r"|(?:3[01]|[12]\d|0?[1-9])\.(?:1[0-2]|0?[1-9])\.\d{4}(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?"
)
# A page's date with its view counter after it: ``2019-05-22 1325``.
_COUNTED_DATE = re.compile(rf"(?P<date>{_DATE_LINE.pattern})\s+\d{{1,7}}")
_DAY_FIRST = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")
_DATED_BYLINE = re.compile(rf"(?P<org>\S.{{1,29}}?)\s+(?P<date>{_DATE_LINE.pattern})")
_ORGANISATION = re.compile(r".{2,30}(?:政府|委员会|办公室|办公厅|局|厅|委|院|部|署|办|司法所)$")
# A portal repeats the date and source of a repost on a line of their own:
# ``2021-04-12 河北省人民政府网`` (a date, then a site, paper or agency).
_DATED_SOURCE = re.compile(
    rf"(?P<date>{_DATE_LINE.pattern})\s+(?P<org>[\u4e00-\u9fff]{{2,20}}(?:网|報|报|台|社|政府|局|厅))"
)


def normalise_date(value: str) -> str:
    """``2022年3月25日``/``2022/3/25``/``2022-03-25`` → ``2022-03-25``; else unchanged."""
    match = _DATE.search(value)
    if not match:
        if day_first := _DAY_FIRST.match(value.strip()):
            day, month, year = day_first.groups()
            return f"{year}-{int(month):02d}-{int(day):02d}"
        return value.strip()
    year, month, day = match.groups()
    return f"{year}-{int(month):02d}-{int(day):02d}"


def _split_fields(cell: str) -> list[str]:
    """Split a cell at white space that comes before a known label and its colon.

    A label may follow its value on the same line after other fields
    (``发布时间：… 来源：…``), and is sometimes printed with spaces (``索 引 号``).
    """
    colons = [match.start() for match in _COLON.finditer(cell)]
    if not colons:
        return [cell]
    parts: list[str] = []
    start = 0
    next_colon = 0
    for gap in _SPACES.finditer(cell):
        # Labels are short: only a colon soon after the gap can end one. Both
        # walks go forward, so a long line costs time in proportion to its length.
        while next_colon < len(colons) and colons[next_colon] < gap.end():
            next_colon += 1
        if next_colon == len(colons):
            break
        label = cell[gap.end() : colons[next_colon]]
        if len(label) <= _LABEL_WINDOW and _label_key(label) in KNOWN_LABELS:
            parts.append(cell[start : gap.start()])
            start = gap.end()
    parts.append(cell[start:])
    return parts


def _cells(line: str) -> list[str]:
    """A header line's cells: split at pipes and before each further known label."""
    cells: list[str] = []
    for cell in line.translate(_TO_ASCII_PIPE).split("|"):
        cells.extend(part.strip() for part in _split_fields(cell.strip().lstrip(_BULLETS)))
    return [cell for cell in cells if cell]


def header_pairs(line: str) -> list[tuple[str, str | None]] | None:
    """Parse one header line into (label, value) pairs, or None if it is not header.

    ``value`` is None where a label stands alone and its value follows in the
    next cell or on the next line. Every cell must be a known label, a known
    ``label:value``, any ``label:value`` in a ``|`` table row, or the value
    of the bare label just before it. A bulleted row of a portal's form
    (``• 文件有效性:``) is a field whatever its label.
    """
    is_table = any(pipe in line for pipe in _PIPES) or line[:1] in "•●◆■▪"
    pairs: list[tuple[str, str | None]] = []
    for cell in _cells(line):
        match = _LABEL_VALUE.match(cell)
        if match and (
            _label_key(match["label"]) in KNOWN_LABELS
            or (is_table and len(match["label"]) <= _TABLE_LABEL)
        ):
            pairs.append((match["label"].strip(), match["value"].strip() or None))
        elif _label_key(cell) in KNOWN_LABELS:
            pairs.append((cell.rstrip(":："), None))
        elif pairs and pairs[-1][1] is None:
            pairs[-1] = (pairs[-1][0], cell)
        else:
            return None
    return pairs


_BARE_LABELS: re.Pattern[str] | None = None


def _bare_labels() -> re.Pattern[str]:
    """Known labels, each letter-spaced or not, then an optional colon (compiled once)."""
    global _BARE_LABELS
    if _BARE_LABELS is None:
        spaced = (r"\s*".join(map(re.escape, label)) for label in KNOWN_LABELS)
        alternatives = "|".join(sorted(spaced, key=len, reverse=True))
        _BARE_LABELS = re.compile(rf"(?<!\S)(?:{alternatives})\s*(?:[:：]|(?=\s|$))")
    return _BARE_LABELS


def colonless_pairs(line: str) -> list[tuple[str, str | None]] | None:
    """A header row whose labels have no colon (``标  题 某某报告``, ``发文机关 某某
    成文日期 2018年04月04日``, ``索 引 号 失效时间``): it starts with a known label, and
    every known label after white space begins the next field. None if not such a row."""
    if len(line) > 300:
        return None
    matches = list(_bare_labels().finditer(line))
    if not matches or matches[0].start() != 0:
        return None
    pairs: list[tuple[str, str | None]] = []
    for match, after in zip(matches, [*matches[1:], None], strict=True):
        end = after.start() if after is not None else len(line)
        value = line[match.end() : end].strip()
        pairs.append((match.group(0).rstrip(":： "), value or None))
    return pairs


# --------------------------------------------------------------------------
# Numbering schemes
# --------------------------------------------------------------------------

_CN = "一二三四五六七八九十〇零百"
_SPACE = r"[\s　]*"


@dataclass(frozen=True)
class Scheme:
    """A way of numbering headings; ``rank`` is its conventional depth."""

    name: str
    rank: int
    pattern: re.Pattern[str]

    @property
    def is_item(self) -> bool:
        """An item (一是…) is one paragraph: a leaf titled by its first sentence."""
        return self.name == "item"

    @property
    def is_article(self) -> bool:
        """An article (第一条…) of rules: titled by its first clause, may hold (一) clauses."""
        return self.name == "article"


# The conventional order of Chinese official documents (GB/T 9704): 第一章 >
# 第一节 > 一、 > （一） > 1. > （1） > ① ; 一是/二是 items are always leaves.
SCHEMES: tuple[Scheme, ...] = (
    Scheme("chapter", 0, re.compile(rf"^第[{_CN}\d]{{1,4}}(?:章|部分|篇){_SPACE}")),
    Scheme("part", 1, re.compile(rf"^第[{_CN}\d]{{1,4}}节{_SPACE}")),
    Scheme("cn", 2, re.compile(rf"^[{_CN}]{{1,3}}[、，,．.](?![{_CN}][、，,]){_SPACE}")),
    Scheme("paren_cn", 3, re.compile(rf"^[（(][{_CN}]{{1,3}}[）)][、，,．.]?{_SPACE}")),
    Scheme("arabic", 4, re.compile(rf"^\d{{1,2}}(?:[．.](?!\d)|、){_SPACE}")),
    Scheme("paren_arabic", 5, re.compile(rf"^[（(]\d{{1,2}}[）)][、，,．.]?{_SPACE}")),
    Scheme("circled", 6, re.compile(rf"^[①-⑳]{_SPACE}")),
    Scheme("article", 2, re.compile(rf"^第[{_CN}\d]{{1,5}}条{_SPACE}")),
    Scheme("item", 7, re.compile(rf"^(?:[{_CN}]{{1,3}}是|第[{_CN}]{{1,3}}[，,])(?=\S)")),
)
_SCHEME_BY_NAME = {scheme.name: scheme for scheme in SCHEMES}
# Every scheme's pattern as one alternative, in order: group i + 1 is SCHEMES[i].
_ANY_SCHEME = re.compile(
    "|".join(f"({scheme.pattern.pattern.removeprefix('^')})" for scheme in SCHEMES)
)
# A line that is only a heading number (一、 with the title on the next line).
_BARE_NUMBER = re.compile(
    rf"(?:第[{_CN}\d]{{1,4}}(?:章|部分|篇|节)|[{_CN}]{{1,3}}、|[（(][{_CN}]{{1,3}}[）)]|\d{{1,2}}[．.、])"
)
_CN_VALUES = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"〇": 0, "两": 2}

# Where a title ends: a sentence stop, and for headings also a colon. An ASCII
# full stop ends a sentence only before Chinese text or the end of the line
# (not in 1.5万, app.quit or www.gov.cn). Plain character tests: the regular
# expression for "Chinese text" takes milliseconds to compile.
_SENTENCE_STOPS = "。；;！!？?"
_HEADING_STOPS = _SENTENCE_STOPS + "：:"
_OPENERS = "“‘（("


def _title_end(text: str, stops: str) -> int:
    """Index of the first stop in ``text`` (``len(text)`` if there is none).

    ``str.find`` per stop, each bounded by the best end so far: linear, and
    fast on a very long line without any stop.
    """
    end = len(text)
    for stop in stops:
        found = text.find(stop, 0, end)
        if found != -1:
            end = found
    dot = text.find(".", 0, end)
    while dot != -1:
        if _ends_sentence(text[dot + 1 : dot + 2]):
            return dot
        dot = text.find(".", dot + 1, end)
    return end


def _ends_sentence(after: str) -> bool:
    """Whether an ASCII full stop followed by ``after`` (one character or none) ends a sentence."""
    return not after or after.isspace() or after in _OPENERS or "\u3400" <= after <= "\u9fff"


def scheme_of(line: str) -> tuple[Scheme, str] | None:
    """The numbering scheme a line starts with and its number (None if unnumbered).

    A number with nothing after it is not a heading.
    """
    # One pattern finds the first scheme that matches (most lines: none, at once).
    match = _ANY_SCHEME.match(line)
    if match is None:
        return None
    if len(line) > match.end():
        return SCHEMES[match.lastindex - 1], match.group(0)  # type: ignore[operator]
    for scheme in SCHEMES:  # that number stands alone: a later scheme may still fit
        match = scheme.pattern.match(line)
        if match and len(line) > match.end():
            return scheme, match.group(0)
    return None


MAX_TITLE = 30  # a title longer than this is cut at its first clause
_CLAUSE_STOPS = _HEADING_STOPS + "，,"


def heading_title(line: str, number: str, *, item: bool, article: bool = False) -> str:
    """A heading's title: the words after its number up to the end of the first sentence.

    An item's title ends at the first full stop (DESIGN §2); a heading's also
    at a colon, so a run-in heading (``一、总体情况：2021年…``) keeps its words;
    an article's (``第一条 为了…，根据…``) at its first clause. A title never
    runs to a sentence: a long one is cut at its first clause, and at
    ``MAX_TITLE`` characters if that is still long. Letter spacing is closed
    up (``第一章  总  则`` → ``总则``). The full words stay in the section text.
    """
    rest = line[len(number) :].strip()
    caption = _ARTICLE_CAPTION.match(rest) if article else None
    if caption is not None and caption["words"].strip("一二三四五六七八九十百零〇两 "):
        return display_title(caption["words"].strip())  # 第一条【立法目的】为了…
    stops = _CLAUSE_STOPS if article else _SENTENCE_STOPS if item else _HEADING_STOPS
    title = _first_words(rest[: _title_end(rest, stops)].strip().rstrip("，,、"))
    if len(title) > MAX_TITLE:
        clause = title[: _title_end(title, _CLAUSE_STOPS)].strip()
        title = clause if len(clause) >= 2 else title
        if len(title) > MAX_TITLE:
            title = title[: _title_cut(title)] + "…"
    return display_title(title or rest[:MAX_TITLE])


# An article's caption in brackets before its text: 第一条【立法目的】, 第二条 （适用范围）.
_ARTICLE_CAPTION = re.compile(
    r"[【〔\[［(（]\s*(?P<words>[\u4e00-\u9fff][^【】〔〕\[\]［］()（）]{1,14})[】〕\]］)）]"
)
# Where a long title may be cut: after a list comma or a space (…行政法规、决定、…).
_TITLE_CUTS = "、 \u3000"


def _title_cut(title: str) -> int:
    """How much of a title longer than ``MAX_TITLE`` to keep: up to its last list
    comma or space in the second half of ``MAX_TITLE``, else ``MAX_TITLE``
    characters backed off out of a number or a Latin word (never ``2024年1…``)."""
    for at in range(MAX_TITLE, MAX_TITLE // 2, -1):
        if title[at - 1] in _TITLE_CUTS:
            return at - 1
    at = MAX_TITLE
    while at > MAX_TITLE // 2 and title[at - 1].isascii() and title[at - 1].isalnum():
        at -= 1
    return at if title[at].isascii() and title[at].isalnum() else MAX_TITLE


def _first_words(title: str) -> str:
    """A title up to its first gap of white space when a sentence runs on after the gap:
    a text that joined a heading line to its paragraph with a space (``综 合 初步核算,…``,
    ``加强领导 全年召开会议5次``) keeps the heading's words; a letter-spaced run of
    single characters is one word. A short tail (``中共某某市委 某某市人民政府``) stays."""
    if _SPACE_CHAR.search(title, 0, MAX_TITLE_LINE) is None:
        return title  # one word at most (most titles): nothing to cut
    words = [(m.group(), m.start()) for m in _WORD.finditer(title, 0, MAX_TITLE_LINE)]
    if len(words) < 2:
        return title
    singles = len(list(itertools.takewhile(lambda word: len(word[0]) == 1, words)))
    if len(words[0][0]) > 1:
        head_words = 1
    elif 2 <= singles < len(words):
        head_words = singles
    else:
        return title
    tail = words[head_words][1]
    if len(title) - tail < _RUN_ON_TAIL and _CLAUSE_MARKS.isdisjoint(title[tail:]):
        return title
    return " ".join(word for word, _ in words[:head_words])


_WORD = re.compile(r"\S+")
_SPACE_CHAR = re.compile(r"\s")
_RUN_ON_TAIL = 8
_CLAUSE_MARKS = frozenset("，,、")


@functools.lru_cache(maxsize=4096)  # a report repeats a few dozen numbers thousands of times
def number_value(number: str) -> int | None:
    """The value of a heading number (``三、`` → 3, ``（12）`` → 12, ``第二十条`` → 20)."""
    digits = "".join(c for c in number if c.isdigit())
    if digits:
        return int(digits) if digits.isascii() else None
    if number and "①" <= number[0] <= "⑳":
        return ord(number[0]) - ord("①") + 1
    numeral = "".join(c for c in number if c in _CN_VALUES or c in "十百")
    if not numeral:
        return None
    total, current = 0, 0
    for char in numeral:
        if char == "十":
            total += (current or 1) * 10
            current = 0
        elif char == "百":
            total += (current or 1) * 100
            current = 0
        else:
            current = current * 10 + _CN_VALUES[char] if current else _CN_VALUES[char]
    return total + current


def first_sentence(text: str, limit: int = 24) -> str:
    """A short title for an unnumbered paragraph: its first clause, shortened."""
    line = text.split("\n", 1)[0]
    sentence = line[: _title_end(line, _HEADING_STOPS)].strip()
    if len(sentence) > limit:
        clause = re.split(r"[，,]", sentence, maxsplit=1)[0].strip()
        sentence = clause if 2 <= len(clause) <= limit else sentence[:limit] + "…"
    return sentence


# --------------------------------------------------------------------------
# Front matter
# --------------------------------------------------------------------------


_TITLE_BREAKERS = frozenset(_HEADING_STOPS + "，,")
_EXCLAIM = "！!？?"
_NO_EXCLAIM = str.maketrans(dict.fromkeys(_EXCLAIM))


MAX_TITLE_LINE = 60  # a title-block line is short


def looks_like_title(line: str) -> bool:
    """A short line without sentence punctuation or a number: a title-block line.

    One colon may join a title to its subtitle (法治政府蓝皮书:中国法治政府评估
    报告), not a short label to its value (时间:2022-07-01).
    """
    line = unglossed(line)
    if len(line) > MAX_TITLE_LINE or line[-1] in _EXCLAIM:
        return False
    if scheme_of(line) is not None or is_junk(line):
        return False
    line = line.translate(_NO_EXCLAIM)  # a headline may exclaim: 创历年新高!2021年…
    if _TITLE_BREAKERS.isdisjoint(line):
        return True
    colon = _COLON.search(line)
    if colon is None:
        return False
    head, tail = line[: colon.start()].strip(), line[colon.end() :].strip()
    if not _TITLE_BREAKERS.isdisjoint(head + tail):
        return False
    if len(head) >= 5 and len(tail) >= 5:
        return True
    # A news headline names its place or speaker before a colon (河北:力争打造…):
    # a few hanzi that are no field label, then a headline's worth of words.
    return (
        _NEWS_HEAD.fullmatch(head) is not None
        and _label_key(head) not in KNOWN_LABELS
        and not head.endswith(_NOT_NEWS_HEADS)
        and len(tail) >= 10
        and _HAN_START.match(tail) is not None
    )


_NEWS_HEAD = re.compile(r"[\u4e00-\u9fff]{2,4}")
# Labels a page or a document puts before a colon, never a headline's place or speaker.
_NOT_NEWS_HEADS = (
    *"号字词类型期间源址话式围性态数度次注件送题称码箱",
    "附件",
    "说明",
    "备注",
    "记者",
    "通讯员",
    "摄影",
    "责编",
    "通知",
    "主办",
    "承办",
    "单位",
)
_HAN_START = re.compile(r"[\u4e00-\u9fff“《]")


# The kinds of document a title names, longest first within a family, in
# simplified and traditional characters. A title names an issuer (or a
# subject) before its kind: 政府工作报告, 关于…的通知; 工作报告 alone is a
# navigation label, not a title.
_DOCUMENT_KINDS = tuple(
    [
        "工作报告",
        "情况报告",
        "年度报告",
        "报告",
        "報告",
        "汇报",
        "匯報",
        "通知",
        "通报",
        "通報",
        "公告",
        "通告",
        "公报",
        "公報",
        "意见",
        "意見",
        "实施方案",
        "工作方案",
        "方案",
        "办法",
        "辦法",
        "规则",
        "規則",
        "规定",
        "規定",
        "细则",
        "細則",
        "决定",
        "決定",
        "条例",
        "條例",
        "讲话",
        "講話",
        "致辞",
        "致辭",
        "总结",
        "總結",
        "计划",
        "計劃",
        "要点",
        "要點",
        "纲要",
        "綱要",
        "规划",
        "規劃",
        "批复",
        "批覆",
        "白皮书",
        "白皮書",
        "解读",
        "解讀",
        "说明",
        "說明",
        "指引",
        "指南",
        "清单",
        "清單",
        "目录",
        "目錄",
        "年报",
        "年報",
        "函",
        "情况表",
        "一览表",
        "统计表",
        "汇总表",
    ]
)
_TITLE_TAIL = "》”」』）)】 "
# A note after the kind: …评估报告(2017), …实施方案（试行）, …意见（征求意见稿）.
_TRAILING_NOTE = re.compile(r"\s*[(（][^()（）]{1,20}[)）]\s*$")
_DOC_NUMBER = re.compile(
    r"[\u4e00-\u9fff]{1,16}\s*[〔\[［【(（]\s*(?:19|20)\d{2}\s*[〕\]］】)）]\s*(?:第\s*)?\d{1,5}\s*[号號]"
)
_PERSON_BYLINE = re.compile(
    r"(?:[省市县區区州旗镇乡縣鎮鄉]?(?:长|長|主任|书记|書記|主席|局长|局長))\s*[\u4e00-\u9fff·]{2,5}"
)
_ISSUED = ("关于", "印发", "转发", "批转", "關於", "關于", "印發", "轉發")
_SUBTITLE = re.compile(r"(?:——|—|--|─).+|[(（][^()（）]+[)）]")


# A portal column is named by a kind of document and a generic word (政府报告,
# 部门文件, 工作报告): a navigation label, not a subject a title names.
_COLUMN_SUBJECTS = frozenset(
    {"政府", "部门", "工作", "专题", "专项", "年度", "其他", "其它", "综合", "政务", "政策"}
)

# A speech's own title names no subject: the occasion line below it does.
_BARE_TITLES = frozenset({"政府工作报告", "政府工作報告"})


def is_document_title(line: str) -> bool:
    """A line that names the kind of document it heads, after an issuer or subject.

    ``某某市2021年度法治政府建设工作报告``, ``关于…的通知``, ``政 府 工 作 报 告``
    (letter-spaced) are; ``工作报告`` (a navigation label) and sentences are not.
    """
    if not looks_like_title(line):
        return False
    line = unglossed(line)
    words = _TRAILING_NOTE.sub("", display_title(line)).rstrip(_TITLE_TAIL)
    if words in _BARE_TITLES:
        return True
    for kind in _DOCUMENT_KINDS:
        if words.endswith(kind):
            subject = words[: -len(kind)]
            return len(subject) >= 2 and subject not in _COLUMN_SUBJECTS
    # …建设情况: a title only when long enough to name a subject (not 基本情况).
    return words.endswith(("情况", "情況")) and len(words) >= 10


def display_title(text: str) -> str:
    """A title as shown: letter spacing closed up (``政 府 工 作 报 告`` → ``政府工作报告``).

    Only when every word is one character: ``中共某某市委 某某市人民政府`` keeps its space.
    """
    words = text.split()
    if len(words) >= 2 and all(len(word) == 1 for word in words):
        return "".join(words)
    return text


def _title_key(text: str) -> str:
    """Spaces and reading glosses do not make two titles different (``索 引 号``,
    letter-spaced titles, ``關(guān)于``)."""
    return unglossed("".join(text.split()))


# A title block (title, its repeat, subtitle, byline, date) is a few lines; a
# longer run of short lines is body text, and stopping here keeps the front
# matter scan linear however many short lines a file has.
MAX_TITLE_BLOCK = 8


@dataclass
class _FrontMatter:
    """What the top of a document says about it, gathered line by line."""

    fields: list[tuple[str, str]] = field(default_factory=list)
    field_title: str = ""  # the first non-empty title field, kept as it is stored
    waiting: str | None = None  # a label whose value is on the next line

    def add(self, label: str, value: str | None) -> None:
        self.flush()
        if value is None:
            # Furniture labels (字号:) have no value to wait for.
            if _label_key(label) not in JUNK_LABELS:
                self.waiting = label
        else:
            self._store(label, value)

    def give_value(self, value: str) -> None:
        """The value of the waiting label, printed on a line of its own."""
        assert self.waiting is not None
        self._store(self.waiting, value)
        self.waiting = None

    def _store(self, label: str, value: str) -> None:
        key = _label_key(label)
        if key in JUNK_LABELS:
            return
        value = value.strip(f"{_PIPES} ")
        self.fields.append((label.strip(), value))
        if not self.field_title and value and key in TITLE_LABELS:
            self.field_title = value

    def flush(self) -> None:
        """A label still waiting for its value has an empty one."""
        if self.waiting is not None:
            self._store(self.waiting, "")
            self.waiting = None

    def first(self, labels: tuple[str, ...]) -> str:
        for wanted in labels:
            for label, value in self.fields:
                if _label_key(label) == wanted and value:
                    return value
        return ""

    def metadata(self, title: str, source: str) -> Metadata:
        if not title and (summary := self.first(SUMMARY_LABELS)):
            title, source = summary, "field"
        date = self.first(DATE_LABELS)
        return Metadata(
            title=display_title(title),
            publisher=self.first(PUBLISHER_LABELS) or self.first(("署名",)),
            date=normalise_date(date) if date else "",
            index_no=self.first(INDEX_LABELS),
            fields=tuple(self.fields),
            title_source=source,
        )


@dataclass(frozen=True)
class _Entry:
    """A front-matter line: its index and what it is.

    ``kind``: ``header`` (fields or a field's value), ``candidate`` (a short
    title-like line), ``date``, ``byline``, ``number`` (a file number such as
    ``某府发〔2021〕54号``) or ``subtitle`` (``——在…会议上``, ``（…）``).
    """

    index: int
    kind: str
    line: str


_FIELD_OF_KIND = {"date": "日期", "byline": "署名", "number": "文号", "subtitle": "副标题"}


def split_front_matter(lines: list[str]) -> tuple[Metadata, list[str]]:
    """Separate the front matter (see the module docstring) from the body lines.

    ``lines`` are stripped and non-empty. Junk lines are dropped from the body.
    If every line is front matter, the last title-block line is kept as the body.
    """
    front, entries, overflow = _read_front_matter(lines)
    if overflow:
        # More short lines than a title block has: they are a list or a table,
        # the report's own text. Only the header rows before them are front matter.
        headers = [i for i, e in enumerate(entries) if e.kind == "header"]
        entries = entries[: headers[-1] + 1] if headers else []
    after = entries[-1].index + 1 if entries else 0
    following = next((line for line in lines[after:] if not is_junk(line)), None)
    following_kind = None if following is None else (_title_block_kind(following) or "paragraph")
    title, source, title_key = _choose_title(front, entries, following_kind)
    if source == "title-line":
        # (below the headline's own lines: past the page's date lines, or after the block)
        below = next((e.index for e in entries if e.kind != "candidate"), after)
        title = _own_title(title, lines[below : after + MAX_TITLE_BLOCK])
    if source != "field":
        title = without_column_label(without_site_suffix(_FILE_EXTENSION.sub("", title)))
    # Title matter: header rows, the title and its repeats, dates, bylines,
    # file numbers, subtitles. The body starts after the last of them; short
    # lines after it are the report's own text, and short lines before it
    # that are not the title are page furniture (navigation labels). A title
    # guessed from a first short line that a paragraph follows stays in the
    # body: it may be the report's own first line.
    if not title:
        # With no title above it, a subtitle (——2016年1月6日在…会议上) is the
        # report's own first line: it stays in the body, figures and all.
        # (A note in brackets, such as a paper's (上接第一版), stays page matter.)
        first_subtitle = next(
            (e.index for e in entries if e.kind == "subtitle" and e.line[0] in "—-─"), None
        )
        if first_subtitle is not None:
            entries = [e for e in entries if e.index < first_subtitle]
    last = -1
    for entry in entries:
        is_title = _title_key(entry.line) == title_key and source != "first-line"
        if entry.kind != "candidate" or is_title:
            last = entry.index
        elif title_key is not None and is_document_title(entry.line):
            last = entry.index  # another title line (the field title wins)
            front.fields.append(("副标题", entry.line))
        if entry.kind == "date" and (counted := _COUNTED_DATE.fullmatch(entry.line)):
            front.fields.append(("日期", counted["date"]))  # (not its view count)
        elif entry.kind in _FIELD_OF_KIND:
            front.fields.append((_FIELD_OF_KIND[entry.kind], entry.line))
        elif entry.kind == "dated-byline" and (
            dated := _DATED_BYLINE.fullmatch(unglossed(entry.line))
            or _DATED_SOURCE.fullmatch(unglossed(entry.line))
        ):
            front.fields += [("署名", dated["org"]), ("日期", dated["date"])]
    body = [line for line in lines[last + 1 :] if not is_junk(line)]
    if not body:
        keep = next((e for e in reversed(entries) if e.kind != "header"), None)
        body = [keep.line] if keep else []
    return front.metadata(title, source), body


def _own_title(title: str, next_lines: list[str]) -> str:
    """The document's own title when a page's headline added a note to it: a wiki
    prints ``某某报告 (2020年)`` above the document, which then prints ``某某报告``
    (right below, or after the page's date lines; spaced as a PDF prints it or not).
    The headline's words are shown, without the note."""
    note = _TRAILING_NOTE.search(title)
    if note is None:
        return title
    clean = _title_key(title[: note.start()])
    if any(_title_key(line) == clean for line in next_lines):
        return title[: note.start()].rstrip()
    return title


# A site's or an author's name a page appends to its headline (…速报-某某,
# …工作报告_某某网): a separator right after a word, then only a few hanzi.
_SITE_SUFFIX = re.compile(r"(?<=[\u4e00-\u9fff》”)）])\s*[-_|｜]\s*[\u4e00-\u9fff]{2,12}$")


# A sharing site shows a file's name as its headline: 某某讲话.pdf
_FILE_EXTENSION = re.compile(
    r"(?<=[\u4e00-\u9fff》”)）])\.(?:pdf|docx?|wps|txt|pptx?|xlsx?)$", re.IGNORECASE
)


def without_site_suffix(title: str) -> str:
    """``title`` without a site or author suffix, when enough title is left."""
    match = _SITE_SUFFIX.search(title)
    if match is None or match.start() < 8:
        return title
    return title[: match.start()].rstrip()


_COLUMN_LABEL = re.compile(r"^[【\[［][^】\]］]{1,10}[】\]］]")


def without_column_label(title: str) -> str:
    """``title`` without a news column's label before it (``[权威发布]某某报告``,
    ``【政策解读】…``) when what follows names the document by itself."""
    match = _COLUMN_LABEL.match(title)
    if match is None:
        return title
    rest = title[match.end() :].lstrip()
    return rest if is_document_title(rest) else title


def _is_subsequence(short: str, long: str) -> bool:
    chars = iter(long)
    return all(char in chars for char in short)


def _headline_of(key: str, later_key: str) -> bool:
    """Whether a portal headline (``key``) wraps the document's own title printed
    below it: ``报告精读|某某报告`` over ``某某报告``, ``【政策解读】关于《某某报告》的
    政策解读`` over ``《某某报告》政策解读`` (a column label, then the title's words)."""
    if key.endswith(later_key):
        return True
    return (
        _COLUMN_LABEL.match(key) is not None
        and len(later_key) >= 0.6 * len(key)
        and _is_subsequence(later_key, key)
    )


def _choose_title(
    front: _FrontMatter, entries: list[_Entry], following: str | None
) -> tuple[str, str, str | None]:
    """The title, where it came from, and the key of lines that print it.

    A title field first; else a line naming the kind of document; else a
    line printed twice; else a first short line that page matter follows.
    ``following`` is the kind of the first line after the front matter.
    """
    candidates = [e for e in entries if e.kind == "candidate"]
    if front.field_title:
        return front.field_title, "field", _title_key(front.field_title)
    for position, entry in enumerate(entries):
        if entry.kind == "candidate" and is_document_title(entry.line):
            before = entries[position - 1] if position else None
            after = entries[position + 1] if position + 1 < len(entries) else None
            year = after.line if after is not None and _year_note(after, entry) else ""
            if before is not None and _title_begins(before, entry):
                # 某某办公厅 / 印发《…》的通知, 某某政府关于2022年法治政府 / 建设情况的报告,
                # 2022年度 / 某某报告: the title wrapped over two lines.
                return before.line + entry.line + year, "title-line", _title_key(entry.line)
            if year:  # 某某报告 / （2020年）: the year the title names is below it
                return entry.line + year, "title-line", _title_key(entry.line)
            key = _title_key(entry.line)
            for later in entries[position + 1 :]:
                # 报告精读 | 某某报告, then 某某报告: the column label is not the title.
                later_key = _title_key(later.line)
                if (
                    later.kind == "candidate"
                    and later_key != key
                    and _headline_of(key, later_key)
                    and is_document_title(later.line)
                ):
                    return later.line, "title-line", later_key
            return entry.line, "title-line", key
    # Printed twice with page matter between (a portal prints the title above
    # and below its header rows); lines repeated side by side are text.
    seen: set[str] = set()
    waiting: set[str] = set()
    for entry in entries:
        if entry.kind != "candidate":
            seen |= waiting
            waiting = set()
            continue
        key = _title_key(entry.line)
        if key in seen:
            return entry.line, "repeated-line", key
        waiting.add(key)
    if candidates:
        # A first short line that page matter or a paragraph follows (not
        # another short line: that is a list or a table of names).
        first = candidates[0]
        after = next((e for e in entries if e.index > first.index), None)
        if after is not None and after.kind != "candidate":
            return first.line, "page-title", _title_key(first.line)
        if after is None and following not in (None, "candidate"):
            return first.line, "first-line", _title_key(first.line)
    return "", "", None


# A line holding only a year (2022年度) is the first line of a title printed over two.
_YEAR_LINE = re.compile(r"(?:19|20)\d{2}\s*年度?")


def _title_begins(before: _Entry, entry: _Entry) -> bool:
    """Whether ``before``, the line right above the document title ``entry``, is
    the title's first line: an issuer the title goes on from (``关于…``, ``印发…``),
    a line that opens ``关于…`` for the title line to close (``…的报告``), or the year."""
    if before.index != entry.index - 1 or before.kind not in ("byline", "candidate"):
        return False
    if is_document_title(before.line) or len(before.line) + len(entry.line) > 2 * MAX_TITLE_LINE:
        return False
    head = unglossed(before.line)
    if before.kind == "byline" and entry.line.startswith(_ISSUED):
        return True
    if before.kind == "byline" and _ORGANISATION.fullmatch(head) and _YEAR_LINE.match(entry.line):
        # 某某省交通运输厅 / 2025年法治政府部门建设工作情况: the issuer, then the
        # title that goes on from it with its year.
        return True
    opens = any(word in head for word in _ISSUED[:1] + _ISSUED[4:6])  # 关于, 關於, 關于
    return (opens and not any(word in entry.line for word in _ISSUED)) or bool(
        _YEAR_LINE.fullmatch(head)
    )


def _year_note(after: _Entry, entry: _Entry) -> bool:
    """Whether ``after``, the line right below the title ``entry``, is its year
    in brackets (``（2020年）``): part of the title, as on the same line."""
    if after.index != entry.index + 1 or after.kind != "subtitle":
        return False
    return _YEAR_NOTE.fullmatch(unglossed(after.line)) is not None


_YEAR_NOTE = re.compile(r"[(（]\s*" + _YEAR_LINE.pattern + r"\s*[)）]")


def _title_block_kind(line: str) -> str | None:
    """What a short line at the top of a document is (None: not title-block matter)."""
    line = unglossed(line)
    if _DATE_LINE.fullmatch(line) or _COUNTED_DATE.fullmatch(line):
        return "date"
    if _DOC_NUMBER.fullmatch(line):
        return "number"
    dated = _DATED_BYLINE.fullmatch(line)
    if dated is not None and _ORGANISATION.fullmatch(dated["org"]):
        return "dated-byline"  # 某某县人民政府 2024年01月08日
    if _DATED_SOURCE.fullmatch(line):
        return "dated-byline"  # 2021-04-12 某某网
    if not looks_like_title(line):
        return None
    if _SUBTITLE.fullmatch(line):
        return "subtitle"
    if _ORGANISATION.fullmatch(line) or _PERSON_BYLINE.fullmatch(line):
        return "byline"
    return "candidate"


def _read_front_matter(lines: list[str]) -> tuple[_FrontMatter, list[_Entry], bool]:
    """Read front-matter lines: the fields, every front-matter line classified,
    and whether more short lines followed than a title block can hold."""
    front = _FrontMatter()
    entries: list[_Entry] = []
    title_block = 0
    index = 0
    while index < len(lines):
        line = lines[index]
        if is_junk(line):
            index += 1
            continue
        pairs = header_pairs(line)
        if pairs is None:
            pairs = colonless_pairs(line)
        kind = None
        if pairs is not None:
            for label, value in pairs:
                front.add(label, value)
            kind = "header"
        elif front.waiting is not None and _can_be_value(line, front.waiting):
            front.give_value(line)
            kind = "header"
        elif (headline := _headline_with_fields(line)) is not None:
            # 标题 2022-07-19 来源:市统计局: the title, then its fields.
            title, date, pairs = headline
            entries.append(_Entry(index, "candidate", title))
            if date:
                front.add("日期", date)
            for label, value in pairs:
                front.add(label, value)
            kind = "header"
        else:
            front.flush()
            kind = _title_block_kind(line)
            title_block += kind is not None
            if title_block > MAX_TITLE_BLOCK:
                front.flush()
                return front, entries, True
        if kind is None:
            break
        if kind == "header":
            # The cap counts short lines after the last header row: the body
            # starts there, and a parse of the body must count them the same way.
            title_block = 0
        entries.append(_Entry(index, kind, line))
        index += 1
    front.flush()
    return front, entries, False


_TRAILING_DATE = re.compile(rf"\s+(?P<date>{_DATE_LINE.pattern})$")


def _headline_with_fields(
    line: str,
) -> tuple[str, str, list[tuple[str, str | None]]] | None:
    """A title followed on its line by its date and/or header fields, split apart.

    A portal's headline row (``2022年上半年某市生产总值 2022-07-19 来源:市统计局``):
    the title (a title-like start), a date after a space, and known fields.
    """
    if len(line) > 200:
        return None
    cells = _cells(line)
    if not cells:
        return None
    head, rest = cells[0], cells[1:]
    pairs = header_pairs("  ".join(rest)) if rest else []
    if pairs is None:
        return None
    date = ""
    if (match := _TRAILING_DATE.search(head)) is not None:
        head, date = head[: match.start()].strip(), match["date"]
    if not (date or pairs) or len(unglossed(head)) < 4 or _title_block_kind(head) != "candidate":
        return None
    return head, date, pairs


def _can_be_value(line: str, label: str = "") -> bool:
    """A line that can be the value of a label printed on the line before (not a label);
    a date label's value is a date (after an empty ``发文时间:`` the title goes on)."""
    if _label_key(label) in DATE_LABELS and _DATE.search(line) is None:
        return False
    return (
        len(line) <= 80 and "。" not in line and line[-1] not in ":：" and scheme_of(line) is None
    )


# --------------------------------------------------------------------------
# Section tree
# --------------------------------------------------------------------------

_CLOSING_CUES = re.compile(
    r"^(?:在总结|总结.{0,8}的同时|同时.{0,6}(?:看到|清醒)|但也要看到|我们也(?:清醒地)?(?:要)?看到"
    r"|(?:工作中)?(?:还)?存在的(?:问题|不足)|(?:主要)?(?:问题和|存在)不足|下一步|下步|今后|明年"
    r"|\d{4}年[，,]?\s*(?:我们|全市|我市|市政府|本市)?将"
    r"|新的一年|展望)"
)


@dataclass
class _Block:
    """One body line (two for a number alone on its line), classified.

    ``kind``: ``heading`` (numbered, or an unnumbered short line standing
    alone), ``item`` (一是…), or ``plain`` text.
    """

    lines: list[str]
    scheme: Scheme | None = None
    number: str = ""
    title: str = ""
    value: int | None = None

    @property
    def line(self) -> str:
        return self.lines[0]

    @property
    def kind(self) -> str:
        if self.scheme is None:
            return "plain"
        return "item" if self.scheme.is_item else "heading"

    def as_plain(self) -> list[_Block]:
        return [_Block([line]) for line in self.lines]


# An unnumbered heading: a short line standing alone (2021年工作回顾), never a
# salutation or a clause that runs on (各位代表：, 这一年，).
_STANDALONE = Scheme("standalone", 2, re.compile("(?!)"))
_NOT_IN_STANDALONE = frozenset(_CLAUSE_STOPS + "、…" + _PIPES)  # a table cell is no heading
MAX_STANDALONE = 20
_DASH = Scheme("dash", 3, re.compile("(?!)"))
_DASH_HEADING = re.compile(rf"(?:——|─)\s*[^。；;！!？?：:]{{2,{MAX_TITLE}}}")
# ——2016年1月6日在某某市人民代表大会第五次会议上: a speech's occasion, not a sub-heading.
_OCCASION = re.compile(r"(?:——|─)\s*(?:[(（]?\d{4}\s*年[^在]{0,8}日[)）]?\s*)?在.{2,40}上")


def _classify(lines: list[str]) -> list[_Block]:
    """Classify body lines; a bare number line takes the next line as its title."""
    blocks: list[_Block] = []
    marker = paragraph_marker(lines)  # a site's mark is no part of a heading's title
    index = 0
    while index < len(lines):
        line = lines[index]
        if _BARE_NUMBER.fullmatch(line) and index + 1 < len(lines):
            title_line = lines[index + 1]
            if scheme_of(title_line) is None and len(title_line) <= 2 * MAX_TITLE:
                found = scheme_of(line + title_line)
                if found is not None:
                    scheme, _ = found
                    title = heading_title(title_line, "", item=False)
                    blocks.append(
                        _Block([line, title_line], scheme, line, title, number_value(line))
                    )
                    index += 2
                    continue
        found = scheme_of(line)
        if found is None and _DASH_HEADING.fullmatch(line) and not _OCCASION.fullmatch(line):
            # ——坚持改进作风，自身建设不断加强: a speech's run of sub-headings.
            blocks.append(_Block([line], _DASH, "——", display_title(line.lstrip("—-─ "))))
        elif found is None:
            blocks.append(_Block([line]))
        else:
            scheme, number = found
            words = line.removesuffix(marker) if marker else line
            title = heading_title(words, number, item=scheme.is_item, article=scheme.is_article)
            blocks.append(_Block([line], scheme, number.strip(), title, number_value(number)))
        index += 1
    return blocks


# Whom a speech or a letter addresses: never a heading, colon or not.
_SALUTATION = re.compile(r"(?:尊敬的|各位|亲爱的|同志们|女士们|先生们|朋友们|老师们|同学们)")


def _standalone_title(
    block: _Block, before: _Block | None, after: _Block | None, marker: str = ""
) -> bool:
    """A plain line that is a heading: short, no clause punctuation, and body follows.

    A short line before it is a list it belongs to, unless it ends a sentence (the
    last line of a paragraph a PDF broke in mid-sentence). ``marker`` is a site's
    mark at the end of paragraphs, not part of any line's words.
    """
    line = block.line.removesuffix(marker) if marker else block.line
    previous = before.line.removesuffix(marker) if before is not None and marker else ""
    if before is not None and not marker:
        previous = before.line
    return (
        block.kind == "plain"
        and len(line) <= MAX_STANDALONE
        and _NOT_IN_STANDALONE.isdisjoint(line)
        and sum("\u4e00" <= c <= "\u9fff" for c in line) >= 2
        and not _SALUTATION.match(line)
        and after is not None
        and (
            (after.kind == "plain" and _paragraph_start(after.line))
            or (after.scheme is not None and after.scheme.rank > _STANDALONE.rank)
        )
        and (
            before is None
            or before.kind != "plain"
            or len(previous) > MAX_STANDALONE
            or previous.endswith("。")
        )
    )


def _paragraph_start(line: str) -> bool:
    """A long line, or a line a PDF broke in mid-sentence (it ends in a comma)."""
    return len(line) > 2 * MAX_STANDALONE or (len(line) > MAX_STANDALONE and line[-1] in "，,、")


# A site's mark glued to the end of paragraphs (…提出意见。PZl): a few Latin letters.
_END_MARK = re.compile(r"(?<=[\u4e00-\u9fff。：:”）)])[A-Za-z]{2,6}$")
MIN_MARKED_SHARE = 0.3  # of the lines: a mark, not the words of a few lines


def paragraph_marker(lines: list[str]) -> str:
    """The Latin mark a site glued to the end of most paragraphs, or ""."""
    counts: dict[str, int] = {}
    for line in lines:
        # The mark is the line's last letters: look only there (searched from
        # the start, the pattern tried every place of every line: 0.13 s of an
        # 8 MB report's parse).
        if not (line[-1:].isascii() and line[-1:].isalpha()):
            continue
        if (found := _END_MARK.search(line, max(0, len(line) - 7))) is not None:
            counts[found.group(0)] = counts.get(found.group(0), 0) + 1
    if not counts:
        return ""
    marker, count = max(counts.items(), key=lambda pair: pair[1])
    return marker if count >= 3 and count >= MIN_MARKED_SHARE * len(lines) else ""


def _mark_standalone_headings(blocks: list[_Block]) -> None:
    """Without numbered top-level headings, short lines standing alone are the headings."""
    if any(b.scheme is not None and b.scheme.rank <= 2 for b in blocks):
        return
    marker = paragraph_marker([b.line for b in blocks])
    for index, block in enumerate(blocks):
        before = blocks[index - 1] if index else None
        after = blocks[index + 1] if index + 1 < len(blocks) else None
        if _standalone_title(block, before, after, marker):
            words = block.line.removesuffix(marker) if marker else block.line
            block.scheme, block.title = _STANDALONE, display_title(words)


# A part of a numbered report under an unnumbered title of its own (a notice,
# then 《…》起草说明 with its 一、二、; a table, then 指标解释 with its 一、二、).
_PART = Scheme("part-title", 0, re.compile("(?!)"))


def _mark_part_titles(blocks: list[_Block], title: str = "") -> None:
    """In a numbered report, a title-like line standing alone before its top-level
    numbering starts (at 1, directly or after one intro paragraph) heads a part,
    when text comes before it (else it is the report's own opening) and it does
    not restate the report's ``title`` (a copied page: 某区五年…情况报告, a line
    of the site's, then 某区五年…情况的报告 and 一、二、)."""
    title_key = _title_key(title)
    ranks = [b.scheme.rank for b in blocks if b.kind == "heading" and b.scheme is not _DASH]
    if not ranks:
        return
    top = min(ranks)
    # The latest 《book titles》 of the text so far, by their kind: a notice quotes the
    # document it issues just before it (and a bounded list keeps this linear).
    quoted: dict[str, deque[str]] = {}
    for index, block in enumerate(blocks):
        if block.kind != "plain":
            continue
        # The body's first line opens the whole report (a title kept in the body): no part.
        if (
            index
            and _is_part_title(block.line, blocks[index + 1 : index + 3], top, quoted)
            and not _restates(_title_key(block.line), title_key)
        ):
            block.scheme = _PART
            block.title = heading_title(block.line, "", item=False)
        elif "《" in block.line:
            for book in _BOOK_TITLE.findall(block.line):
                key = _title_key(book)
                quoted.setdefault(_kind_tail(key), deque(maxlen=RECENT_BOOKS)).append(key)


_BOOK_TITLE = re.compile(r"《([^《》\n]{1,80})》")
RECENT_BOOKS = 8
_NOT_IN_PART_TITLE = frozenset("…" + _PIPES)
_SENTENCE_OR_LABEL = frozenset(_HEADING_STOPS)


def _kind_tail(key: str) -> str:
    """The last two characters of a title without its trailing note: its kind (制度, 办法)."""
    return _TRAILING_NOTE.sub("", key).rstrip(_TITLE_TAIL)[-2:]


def _is_part_title(line: str, after: list[_Block], top: int, quoted: dict[str, deque[str]]) -> bool:
    """Whether ``line`` heads a part; ``after`` are the blocks that follow it.

    The title of a document that a notice issues (现将《某某实施方案》印发给你们,
    then 某某实施方案 and its 一、二、) is the document's own start, not a part.
    """
    if not _starts_numbering(after, top):  # first: it rules out nearly every line
        return False
    plain = unglossed(line)
    if len(plain) > MAX_TITLE_LINE or not _NOT_IN_PART_TITLE.isdisjoint(plain):
        return False
    if _SALUTATION.match(plain) or sum("\u4e00" <= c <= "\u9fff" for c in plain) < 4:
        return False
    kind = _title_block_kind(line)
    if kind is None:
        # 以强化组织领导为抓手,着力营造浓厚氛围: a short heading of clauses, no sentence.
        if len(plain) > MAX_TITLE or not _SENTENCE_OR_LABEL.isdisjoint(plain):
            return False
        if plain[-1] in _CLAUSE_STOPS + "、" or is_junk(line):
            return False
    elif kind != "candidate" or (len(plain) > MAX_TITLE and not is_document_title(line)):
        return False
    key = _title_key(line)
    # The document a notice issues: it names a quoted title, of the same kind.
    return not any(
        _is_subsequence(book, key) and 2 * len(book) >= len(key)
        for book in quoted.get(_kind_tail(key), ())
    )


def _restates(key: str, title_key: str) -> bool:
    """Whether a line (``key``) is the report's title in other words: a title of
    the same kind (报告, not 起草说明 under a notice's 《…》公开) nearly all of
    whose characters appear, in order, in the other."""
    shorter = min(len(key), len(title_key))
    if shorter < 6 or _kind_tail(key) != _kind_tail(title_key):
        return False
    # Longest common subsequence; both are short title lines (MAX_TITLE_LINE).
    row = [0] * (len(title_key) + 1)
    for char in key:
        diagonal = 0
        for j, other in enumerate(title_key, 1):
            diagonal, row[j] = row[j], diagonal + 1 if char == other else max(row[j], row[j - 1])
    return row[-1] >= 0.85 * shorter


def _starts_numbering(after: list[_Block], top: int) -> bool:
    """Whether the top-level numbering starts (at 1) next, or after one intro paragraph."""
    for block in after:
        if block.scheme is not None:
            return block.kind == "heading" and block.scheme.rank == top and block.value == 1
        if len(block.line) <= 2 * MAX_STANDALONE and block.line[-1] not in ":：":
            return False  # a short line: a list or a table goes on, no intro
    return False


def _closing_start(blocks: list[_Block]) -> int:
    """Index of the first closing paragraph after the last heading (len if none).

    Closing parts (problems, next steps) follow the last heading's content: the
    first plain paragraph with a closing cue that is not the heading's own
    intro, or else the first plain paragraph after the last item, when items
    are single paragraphs (where an item runs on over paragraphs, a paragraph
    after the last one is more of it).
    """
    last_heading = max((i for i, b in enumerate(blocks) if b.kind == "heading"), default=-1)
    for index in range(last_heading + 2, len(blocks)):
        if blocks[index].kind == "plain" and _CLOSING_CUES.match(blocks[index].line):
            return index
    items = [i for i, b in enumerate(blocks) if b.kind == "item"]
    last_item = items[-1] if items else -1
    runs_on = any(i + 1 < len(blocks) and blocks[i + 1].kind == "plain" for i in items[:-1])
    if last_item > last_heading and last_item + 1 < len(blocks) and not runs_on:
        return last_item + 1
    return len(blocks)


@dataclass
class _Open:
    """A section being built, on the stack of open headings."""

    id: str
    scheme: Scheme | None
    rank: int
    number: str
    title: str
    parent: str | None
    lines: list[str]

    def section(self) -> Section:
        level = self.id.count(".") + 1
        return Section(self.id, level, self.number, self.title, self.parent, "\n".join(self.lines))


class _Tree:
    """Builds the section tree: ids, parents and levels from a stack of open headings."""

    def __init__(self) -> None:
        self.sections: list[_Open] = []
        self.stack: list[_Open] = []
        self.counts: dict[str | None, int] = {}
        # The last number of each scheme under each parent: numbering must go on
        # in sequence (三、四月份… inside 一、 is text, not a heading).
        self.last: dict[tuple[str | None, str], int] = {}

    def _depth_for(self, scheme: Scheme | None, rank: int) -> int:
        """How many open sections stay open under a new one of this scheme and rank."""
        if scheme is not None:
            for depth in range(len(self.stack) - 1, -1, -1):
                if self.stack[depth].scheme is scheme:
                    return depth
        depth = len(self.stack)
        while depth and self.stack[depth - 1].rank > rank:
            depth -= 1
        return depth

    def fits(self, block: _Block) -> bool:
        """Whether a numbered block continues its list: the next number, or 1 to restart."""
        assert block.scheme is not None
        if block.value is None or block.scheme is _STANDALONE:
            return True
        depth = self._depth_for(block.scheme, block.scheme.rank)
        parent = self.stack[depth - 1].id if depth else None
        last = self.last.get((parent, block.scheme.name))
        # A first number may be anything (an excerpt starts at 三、; rules
        # number their articles across chapters).
        return last is None or block.value in (last + 1, 1)

    def open(self, block: _Block, *, rank: int, title: str) -> _Open:
        """Open a section: a sibling of an open one of the same scheme, else a child.

        Convention decides when the scheme is not open: a heading closes open
        headings that rank below it (``一、`` closes ``1.``), so a skipped level
        or a stray list does not swallow the rest of the document.
        """
        scheme = block.scheme
        del self.stack[self._depth_for(scheme, rank) :]
        parent = self.stack[-1].id if self.stack else None
        if scheme is not None and block.value is not None:
            self.last[(parent, scheme.name)] = block.value
        count = self.counts.get(parent, 0) + 1
        self.counts[parent] = count
        section_id = f"{parent}.{count}" if parent else str(count)
        record = _Open(section_id, scheme, rank, block.number, title, parent, list(block.lines))
        self.sections.append(record)
        self.stack.append(record)
        return record

    def append(self, line: str, preface: str = "前言") -> None:
        """A plain paragraph continues the current section (or starts the preface)."""
        if self.sections:
            self.sections[-1].lines.append(line)
        else:
            self.sections.append(_Open("0", None, -1, "", preface, None, [line]))


# A label that heads a report's preface, alone on the first line of its body
# (引 言, 前言): the preface's own title, not a paragraph of it.
_PREFACE_LABELS = frozenset({"引言", "前言", "序言", "导言", "导语", "引語", "導言", "導語"})


def build_sections(lines: list[str], title: str = "") -> list[Section]:
    """Body lines to sections (see the module docstring for the invariants).

    A heading must look like one: a number in sequence with a short title,
    or (without numbered top-level headings) a short line standing alone.
    Paragraphs are never sections by themselves; a report without headings
    is one section, with its closing parts (下一步…) after it. ``title`` is the
    report's: the body restating it (in other words) does not head a part.
    """
    blocks = _classify(lines)
    _mark_standalone_headings(blocks)
    _mark_part_titles(blocks, title)
    # Numbers out of sequence are text: decide in document order, as the tree grows.
    tree = _Tree()
    checked: list[_Block] = []
    for block in blocks:
        if block.scheme is not None and not tree.fits(block):
            checked.extend(block.as_plain())
            continue
        checked.append(block)
        if block.scheme is not None:
            tree.open(block, rank=block.scheme.rank, title=block.title)
            if block.kind == "item":
                tree.stack.pop()
    blocks = checked
    headed = any(b.kind != "plain" for b in blocks)
    closing = _closing_start(blocks)
    tree = _Tree()
    for index, block in enumerate(blocks):
        if block.kind == "plain" and index >= closing:
            if index == closing or _CLOSING_CUES.match(block.line):
                # A closing part is top-level and unnumbered; its items become its children.
                tree.stack.clear()
                tree.open(block, rank=0, title=first_sentence(block.line))
            else:
                tree.append(block.line)
        elif block.kind == "plain":
            preface = "前言" if headed else "正文"
            if headed and not tree.sections and display_title(block.line) in _PREFACE_LABELS:
                preface = display_title(block.line)  # 引 言 heads the preface: its title
            tree.append(block.line, preface)
        else:
            assert block.scheme is not None
            tree.open(block, rank=block.scheme.rank, title=block.title)
            if block.kind == "item":
                tree.stack.pop()  # an item is one paragraph: it never holds children
    return [record.section() for record in tree.sections]


# --------------------------------------------------------------------------
# Run-together headings (a flattened PDF or page)
# --------------------------------------------------------------------------

# A number that can start a heading inside a line: 第二章, 二、, （二）, 2. — and,
# in a line that holds run-together headings, 二是 items.
_INLINE_NUMBER = re.compile(
    rf"第[{_CN}\d]{{1,4}}章|[（(][{_CN}]{{1,3}}[）)]|[{_CN}]{{1,3}}[、是]|\d{{1,2}}(?:[．.](?!\d)|、)"
)
# The schemes' patterns without their ``^``, to match at a position inside a line.
_SCHEME_AT = {s.name: re.compile(s.pattern.pattern.removeprefix("^")) for s in SCHEMES}
_INLINE_SCHEMES = ("chapter", "cn", "paren_cn", "arabic", "item")
_STOP_BEFORE_HEADING = "。！？!?"
# Only a number after white space, a sentence's end or a colon can start a heading
# in mid-line, or a bracketed one right after a cut (see ``split_run_together``):
# looked for in C, so the many 是 and 一、 inside sentences cost nothing in Python.
# (No skipped number can hide a later one: none holds white space, a stop or a colon.)
#
# The pattern begins with one class: the characters a number may follow, and the
# brackets one may begin with; the number is read by looking ahead from there
# (group 1 after the character, group 2 from the bracket). A pattern that begins
# with a class lets the engine skip in C to the next such character, where a
# look-behind first was tried at every character (0.17 -> 0.08 s at 8 MB).
# ``inline_candidates`` keeps the numbers that do not overlap, as a search for
# the numbers themselves gives.
_INLINE_CANDIDATE = re.compile(
    rf"[\s{_STOP_BEFORE_HEADING}:：（(](?:"
    rf"(?<=[\s{_STOP_BEFORE_HEADING}:：])(?=({_INLINE_NUMBER.pattern}))"
    rf"|(?<=(?=([（(][{_CN}]{{1,3}}[）)])).))"
)


def inline_candidates(line: str) -> Iterator[tuple[int, str]]:
    """Where ``line`` holds a number after white space, a sentence's end or a colon,
    or a bracketed one, left to right and never overlapping: (start, the number)."""
    done = 0
    for match in _INLINE_CANDIDATE.finditer(line):
        group = 1 if match[1] is not None else 2
        start = match.start(group)
        if start < done:
            continue
        number = match[group]
        done = start + len(number)
        yield start, number


_GAP = 8  # white space between a sentence's end and the next heading, at most
_WINDOW = 200  # a heading's title and its first sentence are looked at within this
_ENUMERATION_SEPARATORS = "；;，,、"
# Words that open a text after its title: a purpose, a basis, a period, a salutation.
_OPENINGS = ("为", "根据", "按照", "近年来", "今年以来", "过去一年", "一年来", "现将")
_OPENINGS += ("各位", "同志们", "尊敬的")
_URL = re.compile(r"(?:https?://|www\.)[-\w.~/?=&%#:+]*[A-Za-z0-9/]", re.ASCII)


def _scheme_at(line: str, pos: int) -> tuple[Scheme, str] | None:
    """The numbering scheme a number at ``pos`` belongs to (``scheme_of`` in mid-line)."""
    for name in _INLINE_SCHEMES:
        match = _SCHEME_AT[name].match(line, pos)
        if match and len(line) > match.end():
            return _SCHEME_BY_NAME[name], match.group(0)
    return None


def _boundary(line: str, pos: int) -> str:
    """What comes before ``pos``: ``stop`` (a sentence's end, maybe then spaces),
    ``space`` (only white space after words), ``start`` or ``none``."""
    back = pos
    while back > 0 and pos - back < _GAP and line[back - 1].isspace():
        back -= 1
    if back == 0:
        return "start"
    if line[back - 1] in _STOP_BEFORE_HEADING:
        return "stop"
    if line[back - 1] in ":：":
        return "colon"  # 下面,我讲三个方面意见:一、…
    return "space" if back < pos else "none"


def _looks_like_run_in(line: str, end: int, scheme: Scheme) -> bool:
    """After a number at ``end``: a title of words, not a numeral (三、四月份) and not an
    inline enumeration (一、…；二、… within one sentence)."""
    after = line[end : end + _WINDOW]
    if not after or after[0] in _CN:
        return False
    sentence = after[: _title_end(after, _SENTENCE_STOPS)]
    if sum("\u4e00" <= c <= "\u9fff" for c in sentence[:MAX_TITLE]) < 2:
        return False
    for index, char in enumerate(sentence):
        if char in _ENUMERATION_SEPARATORS:
            rest = index + 1
            while rest < len(sentence) and sentence[rest].isspace():
                rest += 1
            found = _scheme_at(sentence, rest)
            if found is not None and found[0] is scheme:
                return False
    return True


@dataclass
class _Numbering:
    """The heading numbers met so far in document order, for judging inline ones."""

    last: dict[str, int] = field(default_factory=dict)
    items: int = 0  # the last 一是-style item number under the current heading

    def record(self, scheme: Scheme, value: int) -> None:
        """A heading of ``scheme`` numbered ``value``: lower schemes start again."""
        for name in [n for n in self.last if _SCHEME_BY_NAME[n].rank > scheme.rank]:
            del self.last[name]
        self.last[scheme.name] = value
        self.items = 0

    def line_start(self, found: tuple[Scheme, str] | None) -> None:
        """A line that starts with a heading number (``scheme_of``) records it."""
        if found is not None and not found[0].is_item and (value := number_value(found[1])):
            self.record(found[0], value)


def logical_lines(lines: list[str]) -> list[str]:
    """Split each line that holds run-together headings before each of them.

    A PDF or a page flattened into one line (``…工作。二、深化…``) has lost the
    breaks before its headings. A number inside a line starts a heading when
    it follows a sentence's end (or white space), looks like a heading (words
    follow, not 四月份, not an enumeration in one sentence), and the sequence
    says so: it continues the numbers met so far (二、 after 一、), or it is a
    first 一、 of a scheme no line starts with. In a line split so, 一是/二是
    items after a sentence's end are split too, and a document title glued to
    the first sentence at the top is split off. Lines are stripped; the pieces
    of a line, joined, are that line again (``split_run_together``).
    """
    found = [scheme_of(line) for line in lines]
    at_line_start = {f[0].name for f in found if f is not None}
    # Where each scheme's later line-start numbers are: an inline 二、 is not a
    # heading when the real 二、 starts a line further on.
    upcoming: dict[str, deque[tuple[int, int | None]]] = {}
    for index, start in enumerate(found):
        if start is not None:
            upcoming.setdefault(start[0].name, deque()).append((index, number_value(start[1])))
    numbering = _Numbering()
    out: list[str] = []
    body_seen = False
    for index, line in enumerate(lines):
        for queue in upcoming.values():
            while queue and queue[0][0] <= index:
                queue.popleft()
        numbering.line_start(found[index])
        pieces = split_run_together(line, numbering, at_line_start, upcoming)
        if len(pieces) > 1 and not body_seen:
            pieces = _split_glued_title(pieces[0]) + pieces[1:]
        out.extend(piece for p in pieces if (piece := p.strip()))
        body_seen = body_seen or "。" in line
    return out


def split_run_together(
    line: str,
    numbering: _Numbering | None = None,
    at_line_start: set[str] | frozenset[str] = frozenset(),
    upcoming: dict[str, deque[tuple[int, int | None]]] | None = None,
) -> list[str]:
    """``line`` cut before each run-together heading; ``"".join`` of the pieces is ``line``.

    ``numbering`` holds the numbers met before this line (and is updated);
    ``at_line_start`` names the schemes that number some line's start, and
    ``upcoming`` the line-start numbers still to come (see ``logical_lines``).
    """
    if numbering is None:
        numbering = _Numbering()
        numbering.line_start(scheme_of(line))
    cuts: list[int] = []
    last_rank: int | None = None  # the rank of the last heading cut in this line
    for pos, _ in inline_candidates(line):
        boundary = _boundary(line, pos)
        if boundary == "start":
            continue
        scheme_number = _scheme_at(line, pos)
        if scheme_number is None:
            continue
        scheme, number = scheme_number
        if boundary == "none" and not (cuts and scheme.name == "paren_cn"):
            # Only a bracketed number delimits itself: 责任感使命感(一)全面总结…
            # runs a heading's title into its first child's in a flattened line.
            continue
        value = number_value(number)
        if value is None or not _looks_like_run_in(line, pos + len(number), scheme):
            continue
        if scheme.is_item:
            # Items only in a flattened line, after a heading and a sentence's end.
            if not cuts or boundary not in ("stop", "colon") or value != numbering.items + 1:
                continue
            numbering.items = value
            cuts.append(pos)
            continue
        previous = numbering.last.get(scheme.name)
        if previous is not None:
            fits = value == previous + 1
        elif value != 1:
            fits = False
        elif last_rank is not None and last_rank < scheme.rank:
            fits = True  # 一、总体情况 （一）加强…: a first child right after its parent
        else:
            fits = boundary in ("stop", "colon") and scheme.name not in at_line_start
        coming = upcoming.get(scheme.name) if upcoming else None
        if not fits or (coming and coming[0][1] == value):
            continue
        numbering.record(scheme, value)
        last_rank = scheme.rank
        cuts.append(pos)
    if not cuts:
        return [line]
    bounds = [0, *cuts, len(line)]
    return [line[a:b] for a, b in itertools.pairwise(bounds) if b > a]


def _split_glued_title(piece: str) -> list[str]:
    """``piece`` as [furniture, title, first sentence] when a flattened text opens
    with its document title glued to its first sentence (``…情况的报告2023年,省政府…``).

    The title names a kind of document and ends where a new sentence opens (a
    number, or an opening word such as 为/根据/按照); a site's watermark ending in
    its web address before it is furniture. Else ``[piece]``.
    """
    head = piece[:_WINDOW]
    region = head[: _title_end(head, _CLAUSE_STOPS)]
    start = 0
    for url in _URL.finditer(region):
        start = url.end()
    for stop in sorted(
        {at + len(kind) for kind in _DOCUMENT_KINDS for at in _all_finds(region, kind, start)}
    ):
        rest = region[stop:]
        opens = rest[:1].isdigit() or rest.startswith(_OPENINGS)
        if opens and is_document_title(region[start:stop]):
            return [part for part in (piece[:start], piece[start:stop], piece[stop:]) if part]
    return [piece]


def _all_finds(text: str, word: str, start: int) -> list[int]:
    """Every index of ``word`` in ``text`` from ``start`` (a short text)."""
    found: list[int] = []
    at = text.find(word, start)
    while at != -1:
        found.append(at)
        at = text.find(word, at + 1)
    return found


# --------------------------------------------------------------------------
# The report
# --------------------------------------------------------------------------


# A site's mark after a sentence's end, then white space: …提出意见。jZD   一、…
_INLINE_MARK = re.compile(r"(?<=[。：:！!？?”）)])[A-Za-z]{2,6}(?=\s)")
MIN_INLINE_MARKS = 3  # a mark, not a Latin word a few sentences end with


def split_at_marks(line: str) -> list[str]:
    """``line`` cut after each of a site's paragraph marks (``PZl``, ``jZD``) when a
    page flattened the paragraphs into one line with the mark and spaces between
    them; each piece keeps its mark, as lines of such a page do (``paragraph_marker``).
    """
    # Each mark is followed by a space, so a line of fewer than that many
    # spaced chunks has none to cut at: most lines, told in C, not by the pattern.
    if len(line.split(maxsplit=MIN_INLINE_MARKS)) < MIN_INLINE_MARKS:
        return [line]
    counts: dict[str, int] = {}
    for match in _INLINE_MARK.finditer(line):
        counts[match.group(0)] = counts.get(match.group(0), 0) + 1
    marks = [mark for mark, count in counts.items() if count >= MIN_INLINE_MARKS]
    if len(marks) != 1:
        return [line]
    cut = re.compile(rf"(?<=[\u4e00-\u9fff。：:！!？?”）)]){re.escape(marks[0])}\s+")
    pieces: list[str] = []
    start = 0
    for match in cut.finditer(line):
        pieces.append(line[start : match.start() + len(marks[0])])
        start = match.end()
    pieces.append(line[start:])
    return [piece for piece in pieces if piece]


def normalise_lines(text: str) -> list[str]:
    """Step 1 of the normalised body: stripped, non-empty logical lines.

    A logical line is a source line, except that a line holding several
    run-together headings (a flattened PDF or page) is split before each of
    them (``logical_lines``), and a line of paragraphs a site glued together
    with its mark is split after each mark (``split_at_marks``).
    """
    lines = [
        stripped
        for line in text.split("\n")
        for piece in split_at_marks(line)
        if (stripped := piece.strip())
    ]
    return logical_lines(lines)


def file_name_title(path: str | Path) -> str:
    """A title from a file's name, safe to print: a name may hold newlines and
    terminal escapes (``$'x\\e[31m.txt'``), which must not reach a screen."""
    from briefing.text import strip_control

    return " ".join(strip_control(Path(path).stem).split())


# --------------------------------------------------------------------------
# Markdown (a README, notes, a report exported to Markdown)
# --------------------------------------------------------------------------

_ATX = re.compile(r"(?P<marks>#{1,6})[ \t]+(?P<words>.*?)(?:[ \t]+#+)?[ \t]*$")
_FENCE = re.compile(r"(?:```|~~~)")
_MARKDOWN_LEVELS = tuple(
    Scheme(f"markdown{level}", level, re.compile("(?!)")) for level in range(1, 7)
)
MIN_MARKDOWN_HEADINGS = 2
MAX_MARKDOWN_TITLE = 60


def _markdown_headings(lines: list[str]) -> list[re.Match[str] | None]:
    """Per line, its ATX heading (``## Words``) or None; never one inside a fenced
    code block (a sample of a report shown as code is not the file's outline)."""
    found: list[re.Match[str] | None] = []
    fenced = False
    for line in lines:
        if _FENCE.match(line):
            fenced = not fenced
            found.append(None)
            continue
        found.append(None if fenced or not line.startswith("#") else _ATX.fullmatch(line))
    return found


def is_markdown(lines: list[str], headings: list[re.Match[str] | None] | None = None) -> bool:
    """Whether the lines are a Markdown document: its outline is ``#`` headings, which
    a report never starts its lines with (at least two of them, or one on the first line)."""
    if not lines:
        return False
    headings = _markdown_headings(lines) if headings is None else headings
    count = sum(heading is not None for heading in headings)
    return count >= MIN_MARKDOWN_HEADINGS or (count == 1 and headings[0] is not None)


MARKDOWN_SUFFIXES = frozenset({".md", ".markdown", ".mdown", ".mdwn", ".mkd", ".mkdn"})
# A comment says something; a heading names what follows (it ends in no punctuation).
_COMMENT_END = tuple("。.；;，,、：:")


def is_markdown_name(path: str | Path | None) -> bool:
    """Whether a file's name says it is Markdown (``notes.md``, ``README.markdown``)."""
    return path is not None and Path(path).suffix.lower() in MARKDOWN_SUFFIXES


def looks_like_outline(text: str) -> bool:
    """Whether the ``#`` lines of a text are an outline rather than comments.

    Headings of an outline stand apart: each after a blank line (or first, or right
    under another heading) and none ending like a sentence. ``# comment`` lines sit
    in the text, glued to the lines around them, and often say a sentence. Two or
    more levels (``#`` and ``##``) are an outline whatever the spacing.
    """
    levels: set[int] = set()
    apart = True
    fenced = False
    previous = ""
    for raw in text.split("\n"):
        line = raw.strip()
        if _FENCE.match(line):
            fenced = not fenced
        elif not fenced and line.startswith("#") and (heading := _ATX.fullmatch(line)):
            levels.add(len(heading["marks"]))
            words = heading["words"].strip()
            if not (previous == "" or previous.startswith("#")) or words.endswith(_COMMENT_END):
                apart = False
        previous = line
    return apart or len(levels) >= 2


def reads_as_markdown(
    text: str,
    lines: list[str],
    headings: list[re.Match[str] | None],
    path: str | Path | None = None,
) -> bool:
    """Whether to read a text by its ``#`` headings.

    A file named ``.md`` (``.markdown`` …) is Markdown as soon as it has one heading.
    Any other text (``.txt``, a page, a pasted text) only when its ``#`` lines are
    Markdown's (``is_markdown``) and make an outline, not comments
    (``looks_like_outline``): a report with a few ``# 注:…`` lines stays a report.
    """
    if is_markdown_name(path):
        return any(heading is not None for heading in headings)
    return is_markdown(lines, headings) and looks_like_outline(text)


def _parse_markdown(
    lines: list[str], headings: list[re.Match[str] | None]
) -> tuple[Metadata, list[Section]]:
    """A Markdown document: its first line's ``# Title`` is the title, and every
    ``#`` heading opens a section one level below the ``#`` heading above it with
    fewer marks; the lines of a code block are its section's text, never headings."""
    title = ""
    first = headings[0]
    if first is not None and len(first["marks"]) == 1 and first["words"]:
        title = first["words"].strip()
        lines, headings = lines[1:], headings[1:]
    tree = _Tree()
    for line, heading in zip(lines, headings, strict=True):
        if heading is None or not heading["words"].strip():
            tree.append(line)
            continue
        scheme = _MARKDOWN_LEVELS[len(heading["marks"]) - 1]
        words = heading["words"].strip()
        number = ""
        if (numbered := scheme_of(words)) is not None:  # ## 一、加强组织领导
            number = numbered[1]
            words = heading_title(words, number, item=numbered[0].is_item)
        elif len(words) > MAX_MARKDOWN_TITLE:  # the author's words, as written, only shortened
            words = words[: MAX_MARKDOWN_TITLE - 1].rstrip() + "…"
        block = _Block([line], scheme, number.strip(), words)
        tree.open(block, rank=scheme.rank, title=block.title)
    metadata = Metadata(title=title, title_source="title-line" if title else "")
    return metadata, [record.section() for record in tree.sections]


def parse_report(text: str, path: str | Path | None = None) -> Report:
    """Parse clean report text (see ``source.read_source``) into a ``Report``.

    Never raises: any text gives a report (possibly with no sections). A
    Markdown document (``reads_as_markdown``: by its name, or by ``#`` headings
    that make an outline) is read by its ``#`` headings.
    """
    lines = normalise_lines(text)
    # (no ``#`` at all, the usual report: no look at each line for a heading)
    headings = _markdown_headings(lines) if "#" in text else []
    if headings and reads_as_markdown(text, lines, headings, path):
        metadata, sections = _parse_markdown(lines, headings)
        return _report(metadata, sections, path)
    metadata, body = split_front_matter(lines)
    return _report(metadata, build_sections(body, metadata.title), path)


def _report(metadata: Metadata, built: list[Section], path: str | Path | None) -> Report:
    if not metadata.title and path is not None:
        metadata = replace(metadata, title=file_name_title(path), title_source=FILE_NAME_TITLE)
    sections = tuple(built)
    body_text = "\n".join(s.text for s in sections)
    digest = hashlib.sha256(body_text.encode("utf-8", errors="surrogatepass")).hexdigest()
    return Report(
        metadata=metadata,
        sections=sections,
        sha256=digest,
        path=Path(path) if path is not None else None,
    )
