"""A saved portal page -> the article's text, led by a metadata header.

Standard library only (``html.parser``): measured against trafilatura and
lxml on Chinese government portal pages, a small tree and the portals' own
content containers keep the whole article and drop the furniture as well,
at a fraction of the import cost (see the formats report in the README).

The page is built into a light tree; the article is the first known content
container (``#zoom``, ``.TRS_Editor``, ``#UCAP-CONTENT`` …) that holds real
text, else the element whose paragraphs hold the most text. Page furniture
(navigation, share bars, 上一篇/下一篇, footers, scripts, styles) is never
part of the output. Title, publisher, date and index number come from the
article meta tags or the portal's metadata table and are written as header
lines the parser already understands (``标题:…``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser

from briefing.i18n import _
from briefing.source import Decoded, SourceError, decode_plain

_VOID = frozenset(
    [
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "param",
        "source",
        "track",
        "wbr",
    ]
)
# Never text of the article, wherever they are.
_SKIP = frozenset(
    [
        "script",
        "style",
        "noscript",
        "template",
        "iframe",
        "object",
        "embed",
        "svg",
        "canvas",
        "select",
        "option",
        "button",
        "form",
        "nav",
        "header",
        "footer",
        "head",
        "title",
        "textarea",
        "map",
        "audio",
        "video",
    ]
)
_BLOCK = frozenset(
    [
        "p",
        "div",
        "br",
        "li",
        "ul",
        "ol",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "table",
        "tbody",
        "thead",
        "tfoot",
        "tr",
        "section",
        "article",
        "blockquote",
        "pre",
        "dl",
        "dt",
        "dd",
        "center",
        "hr",
        "address",
        "main",
        "aside",
        "figure",
        "figcaption",
        "caption",
    ]
)
# Content containers of the common portal systems (TRS, UCAP, Hanweb, Dayu …).
_CONTAINERS = (
    "zoom",
    "ucap-content",
    "trs_editor",
    "trs_ueditor",
    "article-content",
    "articlecontent",
    "article_content",
    "pages_content",
    "pages-content",
    "news_content",
    "news-content",
    "con_content",
    "detail-content",
    "detail_content",
    "content_text",
    "article-body",
    "art_con",
    "zwnr",
    "wzxq",
    "bt-content",
    "view",
)
_CONTAINER_SET = frozenset(_CONTAINERS)
# id/class words of furniture inside or around an article.
_FURNITURE_ATTR = re.compile(
    r"share|bdshare|fenxiang|print|close|prev|next|pagination|breadcrumb|crumb|"
    r"position|location|dqwz|bread|footer|foot|copyright|banner|navbar|menu|"
    r"qrcode|ewm|erweima|related|xgwz|comment|toolbar|fontsize|zihao",
    re.IGNORECASE,
)
# Lines of furniture text (share bars, paging, font size, print/close).
_JUNK_LINE = re.compile(
    r"^\s*(?:【?\s*(?:打印本页|打印|关闭窗口|关闭|返回顶部|收藏|分享到?|纠错)\s*】?\s*)+$|"
    r"扫一扫在手机(?:上)?打开当前页|用手机扫描二维码|分享到[:：]|"
    r"^\s*(?:上一篇|下一篇|上一条|下一条)[:：]?|"
    r"字体?[:：]?\s*【?\s*大\s*】?\s*【?\s*中\s*】?\s*【?\s*小\s*】?|"
    r"^\s*(?:您(?:现在)?的?(?:当前)?(?:所在)?的?位置|当前位置)[:：]|"
    r"^\s*(?:主办单位|承办单位|主办|版权所有|Copyright|©|网站标识码|网站地图|联系我们)|"
    r"ICP备\s*\d|公网安备\s*\d"
)
# Furniture is short; a line of prose that mentions 承办单位 is the article's.
MAX_JUNK_LINE = 80
# Labels of the portal metadata table, to the header field we write.
_META_LABELS = (
    (re.compile(r"索\s*引\s*号"), "索引号"),
    (re.compile(r"发\s*布\s*机\s*构|发\s*文\s*机\s*关|来\s*源|信息来源|文章来源"), "发布机构"),
    (
        re.compile(r"发\s*布\s*日\s*期|发\s*布\s*时\s*间|成\s*文\s*日\s*期|生\s*成\s*日\s*期"),
        "发布日期",
    ),
    (re.compile(r"标\s*题|信\s*息\s*名\s*称|名\s*称"), "标题"),
)
_META_TAGS = {
    "articletitle": "标题",
    "pubdate": "发布日期",
    "firstpublishedtime": "发布日期",
    "contentsource": "发布机构",
    "publisher": "发布机构",
}
# A site's name after the page title: `_xx市人民政府`, `-xx门户网站`, `| xx网`.
_SITE_SUFFIX = re.compile(
    r"\s*(?:[_|｜]|\s-\s|-|——)\s*[^_|｜\-]*(?:网|政府|门户|网站|局|委员会|办公室|厅|中心|平台)\s*$"
)
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.IGNORECASE)
_HANZI = re.compile(r"[\u4e00-\u9fff]")
MIN_ARTICLE_HANZI = 20
# How far up the open elements an end tag looks for its start (keeps unclosed
# markup linear: old portals leave thousands of <font> tags open).
MAX_SEARCH_DEPTH = 256
# A page of at least MIN_BOMB_TAGS tags must hold text: one hanzi for every
# MAX_TAGS_PER_HANZI tags at least (real pages have several hanzi a tag), and never
# more than MAX_TAGS tags (about half a minute of html.parser on a slow machine).
MIN_BOMB_TAGS = 50_000
MAX_TAGS_PER_HANZI = 4
MAX_TAGS = 2_000_000


class Node:
    """An element of the page: tag, attributes and children (nodes and strings)."""

    __slots__ = ("attrs", "children", "hanzi", "links", "parent", "tag")

    def __init__(self, tag: str, attrs: dict[str, str], parent: Node | None) -> None:
        self.tag = tag
        self.attrs = attrs
        self.parent = parent
        self.children: list[Node | str] = []
        self.hanzi = -1  # hanzi of its text (skipped elements aside), once counted
        self.links = 0  # hanzi inside its links, counted with ``hanzi``

    def words(self) -> str:
        """id and class, lower-cased, for matching container and furniture names."""
        return f"{self.attrs.get('id', '')} {self.attrs.get('class', '')}".lower()

    def iter(self) -> Iterator[Node]:
        """This node and every element below it, in document order."""
        stack: list[Node] = [self]
        while stack:
            node = stack.pop()
            yield node
            stack.extend(child for child in reversed(node.children) if isinstance(child, Node))


class _TreeBuilder(HTMLParser):
    """Forgiving tree building: unclosed elements close with their parent.

    ``open`` counts the elements of each tag on the path from the root to the
    current element, so asking whether a <p> or <td> is open, or whether an end
    tag has a start to close, costs nothing however deep the unclosed markup
    nests (a page of 200,000 unclosed <div> around its paragraphs walked 256
    ancestors for every <p>).
    """

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#root", {}, None)
        self.current = self.root
        self.open: dict[str, int] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "p" and self.open.get("p") and not self.open.get("td"):
            self.handle_endtag("p")  # a <p> closes an open <p>
        node = Node(tag, {k: v or "" for k, v in attrs}, self.current)
        self.current.children.append(node)
        if tag not in _VOID:
            self.current = node
            self.open[tag] = self.open.get(tag, 0) + 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.current.children.append(Node(tag, {k: v or "" for k, v in attrs}, self.current))

    def handle_endtag(self, tag: str) -> None:
        if not self.open.get(tag):
            return  # a stray end tag: nothing of that tag is open
        node: Node | None = self.current
        depth = 0
        while node is not None and node.tag != tag:
            node = node.parent
            depth += 1
            if depth > MAX_SEARCH_DEPTH:
                return  # its start is far up under deep unclosed markup: ignored
        if node is not None and node.parent is not None:
            closed = self.current
            while closed is not node.parent:  # each element is closed once: linear
                assert closed is not None
                self.open[closed.tag] -= 1
                closed = closed.parent
            self.current = node.parent

    def handle_data(self, data: str) -> None:
        self.current.children.append(data)


def decode_html(data: bytes, name: str) -> Decoded:
    """The page's characters: the declared charset, else the text sniffing of ``source``."""
    found = _CHARSET.search(data[:4096])
    if found and not data.startswith(b"\xef\xbb\xbf"):
        charset = found.group(1).decode("ascii").lower()
        if charset in ("gb2312", "gbk", "gb18030", "x-gbk", "cp936", "euc-cn"):
            charset = "gb18030"  # GB18030 decodes what GB2312/GBK pages really hold
        try:
            return Decoded(data.decode(charset), charset.upper())
        except (LookupError, UnicodeDecodeError):
            pass  # mislabelled: sniff as for plain text
    return decode_plain(data, name)


def html_to_text(data: bytes, name: str = "the file") -> Decoded:
    """The article of a saved page as report text with a metadata header."""
    decoded = decode_html(data, name)
    _refuse_markup_bomb(decoded.text, name)
    builder = _TreeBuilder()
    builder.feed(decoded.text)
    builder.close()
    root = builder.root
    article = find_article(root)
    if article is None:
        raise SourceError(_no_article(name))
    lines = [line for line in linearize(article) if not _junk(line)]
    fields = page_fields(root, article)
    title = fields.get("标题") or _heading(article) or _page_title(root)
    header = []
    if title:
        header.append(f"标题:{title}")
        if lines and _same(lines[0], title):
            lines = lines[1:]  # the article's own heading: the header carries it
    for label in ("发布机构", "发布日期", "索引号"):
        if fields.get(label):
            header.append(f"{label}:{fields[label]}")
    if not any(_HANZI.search(line) or line.strip() for line in lines):
        raise SourceError(_no_article(name))
    return decoded._replace(
        text="\n".join([*header, *lines]) + "\n", encoding=f"HTML, {decoded.encoding}"
    )


def _refuse_markup_bomb(text: str, name: str) -> None:
    """One line, at once, for a page that is nearly all tags (``<div><span>`` nested a
    million deep): reading tags costs microseconds each in ``html.parser``, so such a
    page would take minutes and hold no article. Real pages, even a Word report saved
    as a 20 MB web page, carry several hanzi per tag."""
    tags = text.count("<")
    if tags < MIN_BOMB_TAGS:
        return
    hanzi = len(_HANZI.findall(text))
    if tags > hanzi * MAX_TAGS_PER_HANZI or tags > MAX_TAGS:
        raise SourceError(
            _(
                "{name} is a web page that is almost all markup ({tags:,} tags around "
                "{hanzi:,} hanzi of text): no article to read"
            ).format(name=name, tags=tags, hanzi=hanzi)
        )


def _no_article(name: str) -> str:
    return _("{name} is a web page with no article text in it").format(name=name)


def _junk(line: str) -> bool:
    return len(line) <= MAX_JUNK_LINE and _JUNK_LINE.search(line) is not None


def _same(line: str, title: str) -> bool:
    return re.sub(r"\s+", "", line) == re.sub(r"\s+", "", title)


def _hanzi_count(node: Node) -> int:
    if node.hanzi < 0:
        _count_hanzi(node)
    return node.hanzi


def _count_hanzi(top: Node) -> None:
    """Fill ``hanzi`` and ``links`` of ``top`` and every element below it, children
    first, in one pass: asking each element for its subtree's text would be
    quadratic in a page of deeply nested tags."""
    stack: list[tuple[Node, bool]] = [(top, False)]
    while stack:
        node, children_done = stack.pop()
        if not children_done:
            stack.append((node, True))
            stack.extend((c, False) for c in node.children if isinstance(c, Node) and c.hanzi < 0)
            continue
        hanzi = links = 0
        for child in node.children:
            if isinstance(child, str):
                hanzi += len(_HANZI.findall(child))
            else:
                links += child.links
                if child.tag not in _SKIP:
                    hanzi += child.hanzi
        node.hanzi = hanzi
        node.links = links + (hanzi if node.tag == "a" else 0)


def _plain(node: Node) -> str:
    parts: list[str] = []
    stack: list[Node | str] = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            parts.append(item)
        elif item.tag not in _SKIP:
            stack.extend(reversed(item.children))
    return "".join(parts)


def find_article(root: Node) -> Node | None:
    """The portal's content container, else the element with the densest paragraphs."""
    # One pass: for each known container name, its first element with real text.
    found: dict[str, Node] = {}
    for node in root.iter():
        if node.tag in _SKIP or not node.attrs:
            continue
        for name in _CONTAINER_SET.intersection(node.words().split()):
            if name not in found and _hanzi_count(node) >= MIN_ARTICLE_HANZI:
                found[name] = node
    for name in _CONTAINERS:
        if name in found:
            return found[name]
    # Readability's idea: paragraphs vote for their parent with their text.
    scores: dict[int, tuple[int, Node]] = {}
    # A div nested in a div that holds paragraphs of its own, as the only div there,
    # goes on the same article: unclosed <div>s around each paragraph nest the whole
    # text one level deeper a paragraph. Its votes go to the chain's top (id → top).
    chain_top: dict[int, Node] = {}

    def vote(target: Node, votes: int) -> None:
        target = chain_top.get(id(target), target)
        total = scores.get(id(target), (0, target))[0]
        scores[id(target)] = (total + votes, target)

    for node in root.iter():
        if node.tag in _SKIP or _is_furniture(node):
            continue
        blocks = [c for c in node.children if isinstance(c, Node) and c.tag in _BLOCK]
        if node.tag == "div" and blocks:
            own = _own_hanzi(node)
            if own:
                vote(node, own)  # the text a div holds between its blocks is a paragraph
            divs = [c for c in blocks if c.tag == "div"]
            paragraphs = own or any(c.tag in ("p", "br") for c in blocks)
            if len(divs) == 1 and paragraphs and not _is_furniture(divs[0]):
                chain_top[id(divs[0])] = chain_top.get(id(node), node)
        leaf_div = node.tag == "div" and not blocks
        if node.parent is None or not (node.tag in ("p", "br", "td", "pre", "li") or leaf_div):
            continue
        # A <br>-separated article: each break counts as a paragraph.
        vote(node.parent, 10 if node.tag == "br" else _hanzi_count(node) - _link_hanzi(node))
    if not scores:
        return None
    score, node = max(scores.values(), key=lambda pair: pair[0])
    return node if score >= MIN_ARTICLE_HANZI else None


def _own_hanzi(node: Node) -> int:
    """Hanzi of the text a block holds outside its child blocks (links aside)."""
    own = 0
    for child in node.children:
        if isinstance(child, str):
            own += len(_HANZI.findall(child))
        elif child.tag not in _BLOCK and child.tag not in _SKIP:
            own += _hanzi_count(child) - _link_hanzi(child)
    return own


def _link_hanzi(node: Node) -> int:
    _hanzi_count(node)
    return node.links


def _is_furniture(node: Node) -> bool:
    if not node.attrs:
        return False  # most elements: no id or class to tell
    words = node.words()
    return bool(words.strip()) and bool(_FURNITURE_ATTR.search(words))


def linearize(article: Node) -> list[str]:
    """The article's lines: blocks and <br> break lines, table rows join cells with ` | `."""
    lines: list[str] = []
    current: list[str] = []

    def flush() -> None:
        line = re.sub(r"[ \t\u00a0\u3000]+", " ", "".join(current)).strip()
        if line:
            lines.append(line)
        current.clear()

    # Iterative, not recursive: a page of unclosed <font> tags nests thousands deep.
    flush_mark = object()
    stack: list[object] = list(reversed(article.children))
    while stack:
        child = stack.pop()
        if child is flush_mark:
            flush()
        elif isinstance(child, str):
            current.append(child.replace("\n", " ").replace("\r", " "))
        elif isinstance(child, Node):
            if child.tag in _SKIP or _is_furniture(child):
                continue
            if child.tag == "tr":
                flush()
                cells = [
                    _cell_text(cell)
                    for cell in child.children
                    if isinstance(cell, Node) and cell.tag in ("td", "th")
                ]
                row = " | ".join(cells)
                if row.replace("|", "").strip():
                    lines.append(row.strip())
            elif child.tag in _BLOCK:
                flush()
                stack.append(flush_mark)
                stack.extend(reversed(child.children))
            else:
                stack.extend(reversed(child.children))
    flush()
    return lines


def _cell_text(cell: Node) -> str:
    text = re.sub(r"\s+", " ", _plain(cell).replace("\u00a0", " ").replace("\u3000", " "))
    return text.strip()


def _heading(article: Node) -> str:
    """The article's own heading: an h1-h3 at the top of the container (before any
    paragraph of text), else the nearest h1/h2 just before the container."""
    for node in article.iter():
        if node.tag in ("h1", "h2", "h3") and 4 <= len(_cell_text(node)) <= 80:
            return _cell_text(node)
        if node.tag in ("p", "td") and _HANZI.search(_cell_text(node)):
            break
    parent = article.parent
    for _step in range(4):  # the heading sits next to the container, not pages away
        if parent is None:
            break
        for node in parent.iter():
            if node is article:
                break
            text = _cell_text(node) if node.tag in ("h1", "h2") else ""
            if _HANZI.search(text) and 6 <= len(text) <= 80 and not _is_furniture(node):
                return text
        parent = parent.parent
    return ""


def _page_title(root: Node) -> str:
    for node in root.iter():
        if node.tag == "title":
            title = _cell_text_all(node)
            stripped = _SITE_SUFFIX.sub("", title)
            while stripped != title and stripped:
                title, stripped = stripped, _SITE_SUFFIX.sub("", stripped)
            return title.strip()
    return ""


def _cell_text_all(node: Node) -> str:
    return re.sub(r"\s+", " ", "".join(c for c in node.children if isinstance(c, str))).strip()


def page_fields(root: Node, article: Node) -> dict[str, str]:
    """Title, publisher, date and index number from meta tags and the metadata table."""
    fields: dict[str, str] = {}
    for node in root.iter():
        if node.tag == "meta":
            key = node.attrs.get("name", "").lower()
            value = re.sub(r"\s+", " ", node.attrs.get("content", "")).strip()
            if key in _META_TAGS and value and _META_TAGS[key] not in fields:
                fields[_META_TAGS[key]] = value
    # The metadata table (or label: value lines) outside the article.
    for text in _outside_texts(root, article):
        for pattern, label in _META_LABELS:
            if label in fields:
                continue
            found = re.match(rf"^\s*(?:{pattern.pattern})\s*[:：]\s*(.*)$", text)
            if found and found.group(1).strip():
                fields[label] = found.group(1).strip()
    return fields


def _outside_texts(root: Node, article: Node) -> list[str]:
    """Cells and short lines outside the article: label cells are joined to their value."""
    texts: list[str] = []
    stack: list[Node] = [root]
    while stack:
        node = stack.pop()
        if node is article or (node.tag in _SKIP and node.tag not in ("header", "footer")):
            continue
        stack.extend(c for c in reversed(node.children) if isinstance(c, Node))
        if node.tag == "tr":
            cells = [
                _cell_text(c)
                for c in node.children
                if isinstance(c, Node) and c.tag in ("td", "th")
            ]
            for i, cell in enumerate(cells):
                if i + 1 < len(cells) and (
                    re.search(r"[:：]\s*$", cell)
                    or any(p.fullmatch(cell) for p, _field in _META_LABELS)
                ):
                    # A label cell (索引号 or 索引号：) and the value cell after it.
                    texts.append(cell.rstrip(":： ") + "：" + cells[i + 1])
                else:
                    texts.append(cell)
        elif node.tag in ("span", "li", "p", "div", "em", "b", "label"):
            direct = _cell_text_all(node)
            for piece in re.split(r"\s{2,}|\u3000+", direct):
                if piece:
                    texts.append(piece)
    return [t for t in texts if len(t) <= 120]
