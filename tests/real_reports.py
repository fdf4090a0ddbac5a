"""Load the hand-marked real reports in tests/reports/real (no tests here).

Each report is `<slug>.txt` (or a saved page `<slug>.html`, a Word file `<slug>.docx`)
with its marks in `<slug>.marks.toml` (format: tests/reports/real/README.md). Other
tests import `iter_real_reports()` to measure the parser and the figure grammar against
what a careful reader marked. `visible_text()` gives the words a reader sees in a page or
Word file with the standard library only, never with briefing's own readers, so that the
marks are checked against the file and not against the code they judge.
"""

from __future__ import annotations

import re
import tomllib
import zipfile
from collections.abc import Iterator
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

REAL_DIR = Path(__file__).parent / "reports" / "real"

LEVELS = frozenset({"省", "市", "区县", "部门", "乡镇"})
FIGURE_KINDS = frozenset(
    {"percent", "count", "score", "duration", "rate", "magnitude", "rank", "date", "ratio"}
)


# The formats a marked report may come in, in the order a slug's file is looked for.
SUFFIXES = (".txt", ".html", ".htm", ".docx")
_BLOCK_TAGS = frozenset({"p", "div", "br", "li", "tr", "td", "h1", "h2", "h3", "table"})


def load_marks(path: Path) -> dict[str, Any]:
    """The marks of one report, as TOML gives them (lists default to empty)."""
    with path.open("rb") as handle:
        marks = tomllib.load(handle)
    for key in ("headings", "figures", "not_figures"):
        marks.setdefault(key, [])
    return marks


def iter_real_reports() -> Iterator[tuple[str, Path, dict[str, Any]]]:
    """Yield (slug, text path, marks) for every marked report, sorted by slug."""
    for marks_path in sorted(REAL_DIR.glob("*.marks.toml")):
        slug = marks_path.name.removesuffix(".marks.toml")
        yield slug, report_path(REAL_DIR, slug), load_marks(marks_path)


def report_path(folder: Path, slug: str) -> Path:
    """The file of a marked report: the first of `SUFFIXES` that exists (else the .txt)."""
    for suffix in SUFFIXES:
        if (path := folder / f"{slug}{suffix}").exists():
            return path
    return folder / f"{slug}.txt"


class _Visible(HTMLParser):
    """The text of a page as a browser shows it: no script/style/head, blocks on lines."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style", "head"):
            self.hidden += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "head"):
            self.hidden = max(0, self.hidden - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(re.sub(r"[ \t\r\n]+", " ", data))


def visible_text(path: Path) -> str:
    """What a reader sees in the file (a page's words, a Word file's paragraphs)."""
    raw = path.read_bytes()
    if path.suffix == ".docx":
        with zipfile.ZipFile(path) as archive:
            xml = archive.read("word/document.xml").decode("utf-8")
        paragraphs = re.findall(r"<w:p[ >].*?</w:p>", xml)
        texts = [
            "".join(unescape(t) for t in re.findall(r"<w:t[^>]*>([^<]*)</w:t>", p))
            for p in paragraphs
        ]
        return "\n".join(texts) + "\n"
    if path.suffix in (".html", ".htm"):
        declared = re.search(rb"charset=[\"']?([A-Za-z0-9_-]+)", raw[:2048])
        charset = declared.group(1).decode() if declared else "utf-8"
        if charset.lower() in ("gb2312", "gbk"):
            charset = "gb18030"
        parser = _Visible()
        parser.feed(raw.decode(charset))
        parser.close()
        lines = (line.replace("\xa0", " ").strip() for line in "".join(parser.parts).split("\n"))
        return "\n".join(line for line in lines if line) + "\n"
    return raw.decode("utf-8")
