"""Clean text to ``Report``: front matter, junk lines, numbering, section tree.

The **normalised body** is defined here once, and everything else follows it:

1. split the text on ``\\n`` and strip each line of surrounding white space
   (``str.strip``: spaces, tabs, full-width ``　``, NBSP …); drop empty lines;
2. drop the *front matter*: the leading run of lines that are page furniture
   (junk), metadata header rows (``索引号:…``, ``| 索引号 | … |``, a label with
   its value on the next line) or title-block lines (the title, printed once
   or twice, a byline, a date). At least one line is always left as body;
3. drop junk lines anywhere else (``扫一扫在手机打开当前页``, lone ``|``, …).

The body is ``"\\n".join`` of the lines that remain. Sections partition those
lines: each section's ``text`` is a run of consecutive body lines, so
``"\\n".join(s.text for s in sections) == body`` and every character of the
body belongs to exactly one section, in document order. Parsing the body
again gives the same sections (its first line is never front matter).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from briefing.model import Metadata, Report, Section

# --------------------------------------------------------------------------
# Header labels and page furniture
# --------------------------------------------------------------------------

TITLE_LABELS = ("信息名称", "标题", "名称", "文件名称")
PUBLISHER_LABELS = ("发布机构", "发文机关", "发文单位", "发布单位", "来源", "信息来源")
DATE_LABELS = ("生成日期", "成文日期", "发文日期", "发布日期", "发布时间", "公开日期", "日期")
INDEX_LABELS = ("索引号",)
SUMMARY_LABELS = ("内容概述", "内容概要", "摘要")
# Labels of page furniture that may share a line with real header fields.
JUNK_LABELS = frozenset(
    ("字体", "字号", "浏览次数", "访问次数", "点击数", "阅读次数", "分享到", "打印", "关闭")
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
        "有效性",
        "时效",
        "关键词",
        "主题词",
        "所属机构",
        "责任部门",
    )
    + tuple(JUNK_LABELS)
)

_PIPES = "|│｜"
_TO_ASCII_PIPE = str.maketrans(dict.fromkeys(_PIPES, "|"))
_JUNK_PATTERNS = (
    r"扫一扫在手机(?:上)?打开(?:当前页|本页)",
    r"(?:您|你)(?:现在)?(?:所在的|所在|的当前)?位置\s*[:：].*",
    r"当前位置\s*[:：].*",
    r"首页\s*[>＞›»].*",
    r"[【\[]?\s*(?:字体|字号)\s*[:：]?\s*[【\[]?\s*大\s*中\s*小\s*[】\]]?.*",
    r"(?:[【\[]\s*(?:打印(?:本页|此页)?|关闭(?:窗口|本页)?|收藏|返回顶部|我要纠错|分享)\s*[】\]]\s*)+",
    r"打印本页|关闭窗口|返回顶部|分享到\s*[:：]?.*",
    r"(?:浏览次数|访问次数|点击数|阅读次数)\s*[:：].*",
    rf"[{_PIPES}\s\-—:：]*",  # lone pipes, table rules like |---|---|
)
_JUNK = re.compile("^(?:" + "|".join(_JUNK_PATTERNS) + ")$")


def is_junk(line: str) -> bool:
    """Page furniture that is never part of a report (a stripped line)."""
    return bool(_JUNK.match(line))


def _label_key(label: str) -> str:
    return re.sub(r"\s+", "", label).rstrip(":：")


_SPACES = re.compile(r"\s+")
# The longest label with its spaces and colon (``索 引 号：``, ``法定主动公开分类：``).
_LABEL_WINDOW = 2 * max(map(len, KNOWN_LABELS)) + 2
_COLON = re.compile("[:：]")
_LABEL_VALUE = re.compile(r"^(?P<label>[^:：]{1,12}?)\s*[:：]\s*(?P<value>.*)$")
_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")
_DATE_LINE = re.compile(r"[(（]?\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日[)）]?")
_ORGANISATION = re.compile(r".{2,30}(?:政府|委员会|办公室|办公厅|局|厅|委|院|部|署|办|司法所)$")


def normalise_date(value: str) -> str:
    """``2022年3月25日``/``2022/3/25``/``2022-03-25`` → ``2022-03-25``; else unchanged."""
    match = _DATE.search(value)
    if not match:
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
        cells.extend(part.strip() for part in _split_fields(cell.strip()))
    return [cell for cell in cells if cell]


def header_pairs(line: str) -> list[tuple[str, str | None]] | None:
    """Parse one header line into (label, value) pairs, or None if it is not header.

    ``value`` is None where a label stands alone and its value follows in the
    next cell or on the next line. Every cell must be a known label, a known
    ``label:value``, any ``label:value`` in a ``|`` table row, or the value
    of the bare label just before it.
    """
    is_table = any(pipe in line for pipe in _PIPES)
    pairs: list[tuple[str, str | None]] = []
    for cell in _cells(line):
        match = _LABEL_VALUE.match(cell)
        if match and (_label_key(match["label"]) in KNOWN_LABELS or is_table):
            pairs.append((match["label"].strip(), match["value"].strip() or None))
        elif _label_key(cell) in KNOWN_LABELS:
            pairs.append((cell.rstrip(":："), None))
        elif pairs and pairs[-1][1] is None:
            pairs[-1] = (pairs[-1][0], cell)
        else:
            return None
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
        return self.name == "item"


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
    Scheme("item", 7, re.compile(rf"^(?:[{_CN}]{{1,3}}是|第[{_CN}]{{1,3}}[，,])(?=\S)")),
)

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
    for scheme in SCHEMES:
        match = scheme.pattern.match(line)
        if match and len(line) > match.end():
            return scheme, match.group(0)
    return None


def heading_title(line: str, number: str, *, item: bool) -> str:
    """A heading's title: the words after its number up to the end of the first sentence.

    An item's title ends at the first full stop (DESIGN §2); a heading's also
    at a colon, so a run-in heading (``一、总体情况：2021年…``) keeps its words.
    """
    rest = line[len(number) :].strip()
    end = _title_end(rest, _SENTENCE_STOPS if item else _HEADING_STOPS)
    title = rest[:end].strip().rstrip("，,、")
    return title or rest


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


def looks_like_title(line: str) -> bool:
    """A short line without sentence punctuation or a number: a title-block line."""
    return (
        len(line) <= 60
        and _TITLE_BREAKERS.isdisjoint(line)
        and scheme_of(line) is None
        and not is_junk(line)
    )


# A title block (title, its repeat, subtitle, byline, date) is a few lines; a
# longer run of short lines is body text, and stopping here keeps the front
# matter scan linear however many short lines a file has.
MAX_TITLE_BLOCK = 8


@dataclass
class _FrontMatter:
    """What the top of a document says about it, gathered line by line."""

    fields: list[tuple[str, str]] = field(default_factory=list)
    body_title: str = ""
    field_title: str = ""  # the first non-empty title field, kept as it is stored
    waiting: str | None = None  # a label whose value is on the next line

    def add(self, label: str, value: str | None) -> None:
        self.flush()
        if value is None:
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

    def title_line(self, line: str) -> int | None:
        """A title-block line: the title, its repeat, a date, a byline or a subtitle.

        Returns the index of the field it added, ``-1`` if it is the title,
        None for a repeat of the title.
        """
        title = self.field_title or self.body_title
        if not title:
            self.body_title = line
            return -1
        if line.replace(" ", "") == title.replace(" ", ""):
            return None  # the title printed again
        if _DATE_LINE.fullmatch(line):
            self.fields.append(("日期", line))
        elif _ORGANISATION.fullmatch(line):
            self.fields.append(("署名", line))
        else:
            self.fields.append(("副标题", line))
        return len(self.fields) - 1

    def metadata(self) -> Metadata:
        title = self.field_title or self.body_title or self.first(SUMMARY_LABELS)
        date = self.first(DATE_LABELS)
        return Metadata(
            title=title,
            publisher=self.first(PUBLISHER_LABELS) or self.first(("署名",)),
            date=normalise_date(date) if date else "",
            index_no=self.first(INDEX_LABELS),
            fields=tuple(self.fields),
        )


def split_front_matter(lines: list[str]) -> tuple[Metadata, list[str]]:
    """Separate the front matter (see the module docstring) from the body lines.

    ``lines`` are stripped and non-empty. Junk lines are dropped from the body.
    If every line is front matter, the last title-like line is kept as the body.
    """
    front, end, last_title = _read_front_matter(lines)
    body = [line for line in lines[end:] if not is_junk(line)]
    if not body and last_title is not None:
        index, added = last_title
        if added == -1:
            front.body_title = ""
        elif added is not None:
            del front.fields[added]
        body = [lines[index]]
    return front.metadata(), body


def _read_front_matter(
    lines: list[str],
) -> tuple[_FrontMatter, int, tuple[int, int | None] | None]:
    """Read front-matter lines; return them, the first body index, the last title line.

    The last title line is its index and the field it added, if any.
    """
    front = _FrontMatter()
    index = 0
    last_title: tuple[int, int | None] | None = None
    title_lines = 0
    while index < len(lines):
        line = lines[index]
        if is_junk(line):
            index += 1
            continue
        pairs = header_pairs(line)
        if pairs is not None:
            for label, value in pairs:
                front.add(label, value)
        elif front.waiting is not None and _can_be_value(line):
            front.give_value(line)
        elif title_lines < MAX_TITLE_BLOCK and looks_like_title(line):
            front.flush()
            last_title = (index, front.title_line(line))
            title_lines += 1
        else:
            break
        index += 1
    front.flush()
    return front, index, last_title


def _can_be_value(line: str) -> bool:
    """A line that can be the value of a label printed on the line before."""
    return len(line) <= 80 and "。" not in line and scheme_of(line) is None


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
    """One body line, classified: a numbered heading, an item, or plain text."""

    line: str
    scheme: Scheme | None = None
    number: str = ""
    title: str = ""

    @property
    def kind(self) -> str:
        if self.scheme is None:
            return "plain"
        return "item" if self.scheme.is_item else "heading"


def _classify(line: str) -> _Block:
    found = scheme_of(line)
    if found is None:
        return _Block(line)
    scheme, number = found
    return _Block(line, scheme, number.strip(), heading_title(line, number, item=scheme.is_item))


def _closing_start(blocks: list[_Block]) -> int:
    """Index of the first closing paragraph after the last heading (len if none).

    Closing parts (problems, next steps) follow the last heading's content: the
    first plain paragraph with a closing cue that is not the heading's own
    intro, or else the first plain paragraph after the last item.
    """
    last_heading = max((i for i, b in enumerate(blocks) if b.kind == "heading"), default=-1)
    for index in range(last_heading + 2, len(blocks)):
        if blocks[index].kind == "plain" and _CLOSING_CUES.match(blocks[index].line):
            return index
    last_item = max((i for i, b in enumerate(blocks) if b.kind == "item"), default=-1)
    if last_item > last_heading and last_item + 1 < len(blocks):
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

    def open(self, block: _Block, *, rank: int, title: str) -> _Open:
        """Open a section: a sibling of an open one of the same scheme, else a child.

        Convention decides when the scheme is not open: a heading closes open
        headings that rank below it (``一、`` closes ``1.``), so a skipped level
        or a stray list does not swallow the rest of the document.
        """
        scheme = block.scheme
        if scheme is not None and any(s.scheme is scheme for s in self.stack):
            while self.stack.pop().scheme is not scheme:
                pass
        else:
            while self.stack and self.stack[-1].rank > rank:
                self.stack.pop()
        parent = self.stack[-1].id if self.stack else None
        count = self.counts.get(parent, 0) + 1
        self.counts[parent] = count
        section_id = f"{parent}.{count}" if parent else str(count)
        record = _Open(section_id, scheme, rank, block.number, title, parent, [block.line])
        self.sections.append(record)
        self.stack.append(record)
        return record

    def append(self, line: str) -> None:
        """A plain paragraph continues the current section (or starts the preface)."""
        if self.sections:
            self.sections[-1].lines.append(line)
        else:
            self.sections.append(_Open("0", None, -1, "", "前言", None, [line]))


def build_sections(lines: list[str]) -> list[Section]:
    """Body lines to sections (see the module docstring for the invariants)."""
    blocks = [_classify(line) for line in lines]
    if all(b.kind == "plain" for b in blocks):
        # No numbering at all: one section per paragraph, titled by its first sentence.
        return [
            Section(str(i), 1, "", first_sentence(b.line), None, b.line)
            for i, b in enumerate(blocks, start=1)
        ]
    closing = _closing_start(blocks)
    tree = _Tree()
    for index, block in enumerate(blocks):
        if block.kind == "plain" and index >= closing:
            # A closing part is top-level and unnumbered; its items become its children.
            tree.stack.clear()
            tree.open(block, rank=0, title=first_sentence(block.line))
        elif block.kind == "plain":
            tree.append(block.line)
        else:
            assert block.scheme is not None
            tree.open(block, rank=block.scheme.rank, title=block.title)
            if block.kind == "item":
                tree.stack.pop()  # an item is one paragraph: it never holds children
    return [record.section() for record in tree.sections]


# --------------------------------------------------------------------------
# The report
# --------------------------------------------------------------------------


def normalise_lines(text: str) -> list[str]:
    """Step 1 of the normalised body: stripped, non-empty lines."""
    return [stripped for line in text.split("\n") if (stripped := line.strip())]


def parse_report(text: str, path: str | Path | None = None) -> Report:
    """Parse clean report text (see ``source.read_source``) into a ``Report``.

    Never raises: any text gives a report (possibly with no sections).
    """
    metadata, body = split_front_matter(normalise_lines(text))
    sections = tuple(build_sections(body))
    body_text = "\n".join(s.text for s in sections)
    digest = hashlib.sha256(body_text.encode("utf-8", errors="surrogatepass")).hexdigest()
    return Report(
        metadata=metadata,
        sections=sections,
        sha256=digest,
        path=Path(path) if path is not None else None,
    )
