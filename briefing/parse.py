"""Clean text to ``Report``: metadata header, junk lines, numbering, section tree.

The body is normalised once (each line stripped of surrounding white space,
empty and junk lines dropped, header lines turned into metadata); from then
on every character of the body belongs to exactly one section's ``text``, in
document order, so ``"\\n".join(s.text for s in sections)`` is the body.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from briefing.model import Metadata, Report, Section

# --------------------------------------------------------------------------
# Header fields and junk
# --------------------------------------------------------------------------

_TITLE_LABELS = ("信息名称", "标题", "名称", "文件名称")
_PUBLISHER_LABELS = ("发布机构", "发文机关", "发文单位", "发布单位", "来源", "信息来源")
_DATE_LABELS = ("生成日期", "成文日期", "发文日期", "发布日期", "发布时间", "公开日期", "日期")
_INDEX_LABELS = ("索引号",)
KNOWN_LABELS = frozenset(
    _TITLE_LABELS
    + _PUBLISHER_LABELS
    + _DATE_LABELS
    + _INDEX_LABELS
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
        "内容概述",
        "内容概要",
        "摘要",
        "关键词",
        "主题词",
        "所属机构",
        "责任部门",
        "浏览次数",
        "访问次数",
        "点击数",
    )
)

_LABEL_VALUE = re.compile(r"^(?P<label>[^:：|]{1,12}?)\s*[:：]\s*(?P<value>.*)$")
_JUNK = re.compile(
    r"^(?:"
    r"扫一扫在手机(?:上)?打开当前页"
    r"|(?:您|你)(?:现在)?(?:所在的|的当前)?位置\s*[:：].*"
    r"|当前位置\s*[:：].*"
    r"|首页\s*[>＞›»].*"
    r"|字体\s*[:：]?\s*[【\[]?\s*大\s*中\s*小\s*[】\]]?.*"
    r"|字号\s*[:：]?\s*[【\[]?\s*大\s*中\s*小\s*[】\]]?.*"
    r"|(?:[【\[]\s*(?:打印(?:本页|此页)?|关闭(?:窗口|本页)?|收藏|返回顶部|我要纠错|分享)\s*[】\]]\s*)+"
    r"|(?:打印本页|关闭窗口|返回顶部|分享到\s*[:：]?.*)"
    r"|(?:浏览次数|访问次数|点击数|阅读次数)\s*[:：].*"
    r"|[|│｜\s]*"
    r")$"
)


def _is_junk(line: str) -> bool:
    return bool(_JUNK.match(line))


def _label_key(label: str) -> str:
    return re.sub(r"\s+", "", label)


def _normalise_date(value: str) -> str:
    """``2022年3月25日``/``2022/3/25``/``2022-03-25`` → ``2022-03-25``; else unchanged."""
    match = re.search(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})", value)
    if not match:
        return value.strip()
    year, month, day = match.groups()
    return f"{year}-{int(month):02d}-{int(day):02d}"


@dataclass
class _Header:
    fields: list[tuple[str, str]] = field(default_factory=list)

    def add(self, label: str, value: str) -> None:
        self.fields.append((label.strip(), value.strip()))

    def first(self, labels: Iterable[str]) -> str:
        for wanted in labels:
            for label, value in self.fields:
                if _label_key(label) == wanted and value:
                    return value
        return ""


def _cells(line: str) -> list[str]:
    """Split a header line into its ``|``-separated cells (empty ones dropped)."""
    return [cell.strip() for cell in re.split(r"[|│｜]", line) if cell.strip()]


def _header_cells(line: str) -> list[tuple[str, str | None]] | None:
    """Parse one header line into (label, value) pairs, or None if it is body text.

    ``value`` is None where the label stands alone and its value follows on
    the next cell or line. A line counts as header only if every cell is a
    known label, a known ``label:value``, or any ``label:value`` in a
    ``|``-table row; other cells may be values of a preceding bare label.
    """
    is_table = "|" in line or "｜" in line or "│" in line
    cells = _cells(line)
    if not cells:
        return []
    pairs: list[tuple[str, str | None]] = []
    pending_label = False
    for cell in cells:
        match = _LABEL_VALUE.match(cell)
        bare = _label_key(cell.rstrip(":："))
        if match and (_label_key(match["label"]) in KNOWN_LABELS or is_table):
            value = match["value"].strip()
            pairs.append((match["label"], value if value else None))
            pending_label = not value
        elif bare in KNOWN_LABELS:
            pairs.append((cell.rstrip(":："), None))
            pending_label = True
        elif pending_label and pairs:
            pairs[-1] = (pairs[-1][0], cell)
            pending_label = False
        else:
            return None
    return pairs


def _read_header(lines: list[str]) -> tuple[_Header, int]:
    """Consume the metadata header at the top; return it and the first body line."""
    header = _Header()
    index = 0
    waiting: str | None = None  # a label whose value is on the next line
    while index < len(lines):
        line = lines[index]
        if _is_junk(line):
            index += 1
            continue
        pairs = _header_cells(line)
        if pairs is None:
            if waiting is not None and len(line) <= 80 and "。" not in line:
                header.add(waiting, line.strip("|｜ "))
                waiting = None
                index += 1
                continue
            break
        if waiting is not None:
            header.add(waiting, "")
            waiting = None
        for label, value in pairs:
            if value is None:
                if waiting is not None:
                    header.add(waiting, "")
                waiting = label
            else:
                if waiting is not None:
                    header.add(waiting, "")
                    waiting = None
                header.add(label, value)
        index += 1
    if waiting is not None:
        header.add(waiting, "")
    return header, index


# --------------------------------------------------------------------------
# Numbering schemes
# --------------------------------------------------------------------------

_CN = "一二三四五六七八九十〇零百"
_CLOSE_TITLE = "。；;！!？?"


@dataclass(frozen=True)
class _Scheme:
    name: str
    rank: float
    pattern: re.Pattern[str]


# Order matters only for lines that two schemes could claim.
SCHEMES: tuple[_Scheme, ...] = (
    _Scheme("chapter", 0, re.compile(rf"^第[{_CN}\d]{{1,4}}(?:章|部分|篇)(?=\S)[\s　]*")),
    _Scheme("part", 0.5, re.compile(rf"^第[{_CN}\d]{{1,4}}节(?=\S)[\s　]*")),
    _Scheme("cn", 1, re.compile(rf"^[{_CN}]{{1,3}}[、，,．.](?![{_CN}][、，,])[\s　]*")),
    _Scheme("paren_cn", 2, re.compile(rf"^[（(][{_CN}]{{1,3}}[）)][、，,]?[\s　]*")),
    _Scheme("arabic", 3, re.compile(r"^\d{1,2}(?:[．.](?!\d)|、)[\s　]*")),
    _Scheme("paren_arabic", 4, re.compile(r"^[（(]\d{1,2}[）)][、，,]?[\s　]*")),
    _Scheme("item", 5, re.compile(rf"^(?:[{_CN}]{{1,3}}是|第[{_CN}]{{1,3}}是)(?=\S)")),
)
_ITEM_RANK = 5


def _scheme_of(line: str) -> tuple[_Scheme, str] | None:
    """The numbering scheme a line starts with, and its number text."""
    for scheme in SCHEMES:
        match = scheme.pattern.match(line)
        if match and len(line) > match.end():
            return scheme, match.group(0)
    return None


def _title_after(line: str, number: str, *, item: bool) -> str:
    """A heading's title: the words after the number up to the first full stop."""
    rest = line[len(number) :]
    cut = len(rest)
    for index, char in enumerate(rest):
        if char in _CLOSE_TITLE:
            cut = index
            break
    title = rest[:cut].strip()
    if not item and cut == len(rest):
        title = title.rstrip("：:，,")
    return title or rest.strip()


def _first_sentence(text: str, limit: int = 24) -> str:
    """A short title for an unnumbered paragraph: its first clause, shortened."""
    sentence = re.split(r"[。；;：:！!？?\n]", text, maxsplit=1)[0].strip()
    if len(sentence) > limit:
        clause = re.split(r"[，,]", sentence, maxsplit=1)[0].strip()
        sentence = clause if 2 <= len(clause) <= limit else sentence[:limit] + "…"
    return sentence


_CLOSING_CUES = re.compile(
    r"^(?:在总结|总结.{0,8}的同时|同时.{0,6}(?:看到|清醒)|但也要看到|我们也(?:清醒地)?看到"
    r"|存在的(?:问题|不足)|(?:主要)?(?:问题和|存在)不足|下一步|下步|今后|\d{4}年(?:，|,)?(?:我们|全市|我市|将)"
    r"|(?:新的一年|展望))"
)


@dataclass
class _Block:
    kind: str  # "heading" | "item" | "plain"
    rank: float
    number: str
    title: str
    lines: list[str]


def _blocks(lines: list[str]) -> list[_Block]:
    """Group body lines into numbered blocks and plain paragraphs."""
    blocks: list[_Block] = []
    for line in lines:
        found = _scheme_of(line)
        if found is None:
            blocks.append(_Block("plain", -1, "", "", [line]))
            continue
        scheme, number = found
        is_item = scheme.rank == _ITEM_RANK
        title = _title_after(line, number, item=is_item)
        blocks.append(
            _Block("item" if is_item else "heading", scheme.rank, number.strip(), title, [line])
        )
    return blocks


def _closing_start(blocks: list[_Block]) -> int:
    """Index of the first trailing unnumbered block that is a closing part."""
    last_numbered = max((i for i, b in enumerate(blocks) if b.kind != "plain"), default=-1)
    if last_numbered < 0:
        return len(blocks)
    trailing = range(last_numbered + 1, len(blocks))
    if blocks[last_numbered].kind == "item":
        return last_numbered + 1
    for index in trailing:
        if _CLOSING_CUES.match(blocks[index].lines[0]):
            return index
    return len(blocks)


def _build_sections(blocks: list[_Block]) -> list[Section]:
    """Turn blocks into the section tree with ids, levels and parents."""
    if not any(b.kind != "plain" for b in blocks):
        return [
            Section(str(i), 1, "", _first_sentence(b.lines[0]), None, b.lines[0])
            for i, b in enumerate(blocks, start=1)
        ]

    closing = _closing_start(blocks)
    sections: list[dict] = []
    stack: list[tuple[float, dict]] = []  # open headings: (rank, section)
    child_counts: dict[str | None, int] = {None: 0}

    def open_section(rank: float, number: str, title: str, line: str) -> dict:
        while stack and stack[-1][0] >= rank:
            stack.pop()
        parent = stack[-1][1] if stack else None
        parent_id = parent["id"] if parent else None
        count = child_counts.get(parent_id, 0) + 1
        child_counts[parent_id] = count
        section_id = f"{parent_id}.{count}" if parent_id else str(count)
        record = {
            "id": section_id,
            "level": len(stack) + 1,
            "number": number,
            "title": title,
            "parent": parent_id,
            "lines": [line],
        }
        sections.append(record)
        stack.append((rank, record))
        return record

    for index, block in enumerate(blocks):
        line = block.lines[0]
        if index >= closing:
            stack.clear()
            open_section(0, "", _first_sentence(line), line)
            stack.clear()
            continue
        if block.kind == "plain":
            if sections:
                sections[-1]["lines"].append(line)
            else:
                sections.append(
                    {"id": "0", "level": 1, "number": "", "title": "前言", "parent": None,
                     "lines": [line]}
                )
            continue
        open_section(block.rank, block.number, block.title, line)
        if block.kind == "item":
            stack.pop()  # items are single paragraphs: they never hold children
    return [
        Section(s["id"], s["level"], s["number"], s["title"], s["parent"], "\n".join(s["lines"]))
        for s in sections
    ]


# --------------------------------------------------------------------------
# The report
# --------------------------------------------------------------------------


def _looks_like_title(line: str) -> bool:
    """A first line that names the document rather than starting its text."""
    return (
        len(line) <= 60
        and not re.search(r"[。；;！!？?]", line)
        and _scheme_of(line) is None
        and not re.match(r"^\d{4}年", line)
    )


def _normalise_lines(text: str) -> list[str]:
    return [line.strip(" \t\u3000\u00a0") for line in text.split("\n")]


def parse_report(text: str, path: str | Path | None = None) -> Report:
    """Parse clean report text (see ``source.read_source``) into a ``Report``."""
    lines = [line for line in _normalise_lines(text) if line]
    header, start = _read_header(lines)
    body = [line for line in lines[start:] if not _is_junk(line)]

    title = header.first(_TITLE_LABELS) or header.first(("内容概述",))
    # A title line at the top of the body (printed once or twice) is metadata.
    while body and (body[0] == title or (not title and len(body) > 1 and _looks_like_title(body[0]))):
        title = title or body[0]
        body.pop(0)
    # A date line right under the title ("2022年3月25日") is metadata too.
    date = header.first(_DATE_LABELS)
    if body and re.fullmatch(r"[(（]?\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日[)）]?", body[0]):
        date = date or body[0]
        body.pop(0)

    metadata = Metadata(
        title=title,
        publisher=header.first(_PUBLISHER_LABELS),
        date=_normalise_date(date) if date else "",
        index_no=header.first(_INDEX_LABELS),
        fields=tuple(header.fields),
    )
    sections = tuple(_build_sections(_blocks(body)))
    digest = hashlib.sha256("\n".join(s.text for s in sections).encode("utf-8")).hexdigest()
    return Report(
        metadata=metadata,
        sections=sections,
        sha256=digest,
        path=Path(path) if path is not None else None,
    )
