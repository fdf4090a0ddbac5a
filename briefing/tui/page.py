"""What the reader shows: the whole report as one run of paragraphs.

Plain Python (no Textual): a *paragraph* is one line of one section's text,
and the page is every paragraph of every section in document order, so the
reader scrolls through the report as one document. ``Page`` answers the
questions the view asks on every keystroke (which paragraph holds this
offset, where does a section start, how far through the report is this)
with dictionary look-ups and bisection, never a scan of the report.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import accumulate
from typing import Generic, Protocol, TypeVar

from briefing.model import Report, Section


class _Spanned(Protocol):
    section: str
    start: int
    end: int


T = TypeVar("T", bound=_Spanned)


@dataclass(slots=True)
class Paragraph:
    """One line of a section's text: ``section.text[start:end]``."""

    section: str
    start: int
    end: int
    index_in_section: int
    is_heading: bool


def top_of(report: Report, section_id: str) -> Section:
    """The top-level section that holds ``section_id``."""
    section = report.section(section_id)
    for ancestor in report.ancestors(section_id):
        section = ancestor
    return section


def section_paragraphs(section: Section, cells: list[int] | None = None) -> list[Paragraph]:
    """The paragraphs of one section; its heading line is marked so it can be styled.

    ``cells``, if given, receives each paragraph's estimated width in cells:
    UTF-8 gives a hanzi 3 bytes (2 cells) and ASCII 1 byte (1 cell), so
    ``(bytes + chars) // 2`` is exact for both without a look at each character.
    """
    paragraphs: list[Paragraph] = []
    append = paragraphs.append
    offset = 0
    heading = (section.number + section.title).strip() if section.number else None
    section_id = section.id
    lines = section.text.split("\n")
    for index, line in enumerate(lines):
        is_heading = index == 0 and heading is not None and line.strip() == heading
        end = offset + len(line)
        append(Paragraph(section_id, offset, end, index, is_heading))
        offset = end + 1
    if cells is not None:
        cells.extend(
            (len(line.encode("utf-8", "surrogatepass")) + len(line)) // 2 for line in lines
        )
    return paragraphs


class Page:
    """Every paragraph of a report, with indexes by section and by top-level part."""

    def __init__(self, report: Report) -> None:
        self.report = report
        self.paragraphs: list[Paragraph] = []
        self.cells: list[int] = []  # estimated width of each paragraph in cells
        self._first: dict[str, int] = {}  # section id -> index of its first paragraph
        self._starts: dict[str, list[int]] = {}  # section id -> start offsets of its paragraphs
        self._top_number: dict[str, int] = {}  # section id -> 1-based number of its top part
        top = 0
        for section in report.sections:
            if section.level <= 1 or top == 0:
                top += 1
            self._top_number[section.id] = top
            paragraphs = section_paragraphs(section, self.cells)
            self._first[section.id] = len(self.paragraphs)
            self._starts[section.id] = [p.start for p in paragraphs]
            self.paragraphs.extend(paragraphs)
        self.top_count = top

    def __len__(self) -> int:
        return len(self.paragraphs)

    def first_of(self, section_id: str) -> int:
        """Index of the first paragraph of a section (0 if it is unknown)."""
        return self._first.get(section_id, 0)

    def index_at(self, section_id: str, offset: int) -> int:
        """Index of the paragraph of ``section_id`` holding ``offset`` (0 if none)."""
        starts = self._starts.get(section_id)
        if not starts:
            return 0
        return self._first[section_id] + max(0, bisect_right(starts, offset) - 1)

    def top_number(self, section_id: str) -> int:
        """Which top-level part (1-based) holds ``section_id``: the ``k`` of ``k/N``."""
        return self._top_number.get(section_id, 1)


class SpanIndex(Generic[T]):
    """Spans (figures, search hits, notes) by section, sorted, found by bisection.

    Built once per set of marks (off the UI thread for search hits); the view
    then asks only about the few paragraphs on screen, so a report with 200,000
    hits costs nothing per line drawn.
    """

    def __init__(self, items: Iterable[T] = ()) -> None:
        grouped: dict[str, list[T]] = {}
        for item in items:
            grouped.setdefault(item.section, []).append(item)
        self._items: dict[str, list[T]] = {}
        self._starts: dict[str, list[int]] = {}
        self._longest: dict[str, int] = {}
        self.count = 0
        for section, spans in grouped.items():
            spans.sort(key=lambda item: (item.start, item.end))
            self._items[section] = spans
            self._starts[section] = [item.start for item in spans]
            self._longest[section] = max(item.end - item.start for item in spans)
            self.count += len(spans)

    def __bool__(self) -> bool:
        return self.count > 0

    def in_section(self, section_id: str) -> list[T]:
        return self._items.get(section_id, [])

    def overlapping(self, section_id: str, low: int, high: int) -> list[T]:
        """Spans of ``section_id`` that share a character with ``[low, high)``."""
        starts = self._starts.get(section_id)
        if not starts:
            return []
        items = self._items[section_id]
        first = bisect_left(starts, low - self._longest[section_id])
        last = bisect_left(starts, max(high, low + 1))
        return [item for item in items[first:last] if item.end > low and item.start < high]

    def inside(self, section_id: str, low: int, high: int) -> list[T]:
        """Spans of ``section_id`` that lie wholly within ``[low, high]``."""
        starts = self._starts.get(section_id)
        if not starts:
            return []
        items = self._items[section_id]
        first = bisect_left(starts, low)
        last = bisect_right(starts, high)
        return [item for item in items[first:last] if item.end <= high]


class LineHeights:
    """Heights of the paragraphs in lines, with their running sums kept up to date.

    A paragraph's height becomes exact when it is first wrapped, one at a time
    as the reader moves; a plain list of start lines would be rebuilt for the
    whole report at each change (tens of thousands of paragraphs in a 5 MB
    report, on every keystroke). Paragraphs are grouped in blocks of ``BLOCK``
    whose totals sit in a Fenwick tree: a change, a paragraph's first line and
    the paragraph at a line each cost O(log n + BLOCK) with the inner sums done
    in C, and building it for a huge report is a few C passes.
    """

    BLOCK = 128

    def __init__(self, heights: list[int]) -> None:
        block = self.BLOCK
        self._heights = list(heights)
        blocks = [sum(self._heights[k : k + block]) for k in range(0, len(heights), block)]
        sums = list(accumulate(blocks, initial=0))
        # tree[i] holds the blocks i - lowbit(i) .. i - 1 (a difference of running sums).
        self._tree = [0, *(sums[i] - sums[i - (i & -i)] for i in range(1, len(blocks) + 1))]
        self._blocks = len(blocks)
        self._top_bit = 1 << (len(blocks).bit_length() - 1) if blocks else 0
        self.total = sums[-1]

    def __len__(self) -> int:
        return len(self._heights)

    def __getitem__(self, index: int) -> int:
        return self._heights[index]

    def set(self, index: int, height: int) -> None:
        delta = height - self._heights[index]
        if not delta:
            return
        self._heights[index] = height
        self.total += delta
        tree, size = self._tree, self._blocks
        i = index // self.BLOCK + 1
        while i <= size:
            tree[i] += delta
            i += i & -i

    def start(self, index: int) -> int:
        """The first line of paragraph ``index`` (``len(self)``: the total)."""
        block, tree = index // self.BLOCK, self._tree
        line = sum(self._heights[block * self.BLOCK : index])
        i = block
        while i > 0:
            line += tree[i]
            i -= i & -i
        return line

    def index_at(self, line: int) -> int:
        """The paragraph that holds ``line`` (clamped to the first and last)."""
        size = len(self._heights)
        if not size:
            return 0
        tree = self._tree
        position, left, bit = 0, line, self._top_bit
        while bit:  # the last block that starts at or before ``line``
            step = position + bit
            if step <= self._blocks and tree[step] <= left:
                position = step
                left -= tree[step]
            bit >>= 1
        index = position * self.BLOCK
        for height in self._heights[index : min(index + self.BLOCK, size)]:
            if left < height:
                break
            left -= height
            index += 1
        return max(0, min(index, size - 1))
