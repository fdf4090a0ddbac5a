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
from collections.abc import Iterable, Sequence
from itertools import accumulate
from typing import Generic, Protocol, TypeVar, overload

from briefing.model import Report, Section
from briefing.section_table import (
    ParagraphLayout,
    estimated_heights,
    is_heading_line,
    section_column,
)

__all__ = [
    "LineHeights",
    "Page",
    "Paragraph",
    "Paragraphs",
    "SpanIndex",
    "estimated_heights",
    "section_paragraphs",
    "top_of",
]


class _Spanned(Protocol):
    section: str
    start: int
    end: int


T = TypeVar("T", bound=_Spanned)


class Paragraph:
    """One line of a section's text: ``section.text[start:end]``.

    What ``@dataclass(slots=True)`` made (fields, equality, repr), written out: this
    module is imported at every start, and the decorator compiled three methods from
    source and built the class twice (~2.5 M instructions before the first paint)."""

    __slots__ = ("end", "index_in_section", "is_heading", "section", "start")
    _FIELDS = ("section", "start", "end", "index_in_section", "is_heading")
    __hash__ = None  # type: ignore[assignment]  # equal by value, mutable: as the dataclass

    def __init__(
        self, section: str, start: int, end: int, index_in_section: int, is_heading: bool
    ) -> None:
        self.section = section
        self.start = start
        self.end = end
        self.index_in_section = index_in_section
        self.is_heading = is_heading

    def _fields(self) -> tuple[str, int, int, int, bool]:
        return (self.section, self.start, self.end, self.index_in_section, self.is_heading)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._fields() == other._fields()  # type: ignore[attr-defined]

    def __repr__(self) -> str:
        pairs = zip(self._FIELDS, self._fields(), strict=True)
        shown = ", ".join(f"{name}={value!r}" for name, value in pairs)
        return f"Paragraph({shown})"


def top_of(report: Report, section_id: str) -> Section:
    """The top-level section that holds ``section_id``."""
    section = report.section(section_id)
    for ancestor in report.ancestors(section_id):
        section = ancestor
    return section


def section_paragraphs(section: Section) -> list[Paragraph]:
    """The paragraphs of one section; its heading line is marked so it can be styled."""
    paragraphs: list[Paragraph] = []
    offset = 0
    for index, line in enumerate(section.text.split("\n")):
        is_heading = index == 0 and is_heading_line(section, line)
        end = offset + len(line)
        paragraphs.append(Paragraph(section.id, offset, end, index, is_heading))
        offset = end + 1
    return paragraphs


class Paragraphs(Sequence[Paragraph]):
    """Every paragraph of a report, made on demand from a few flat columns.

    A 19 MB report has ~40,000 paragraphs: making an object for each before
    the first paint cost more than the paint itself. The columns come from
    the report's ``ParagraphLayout`` (stored in the report cache, so a report
    opened before is laid out without reading its text) and C loops (``map``,
    ``accumulate``); a ``Paragraph`` is made when the view asks for one (the
    few on screen), then remembered.
    """

    CACHE_SIZE = 4096

    def __init__(self, report: Report) -> None:
        self._sections = report.sections
        self.layout = layout = ParagraphLayout.of(self._sections)
        self._headings = layout.headings
        self._ids = section_column(self._sections, "id")
        # The layout's own columns (from the cache: typed arrays), not copies: a
        # copy made an int per paragraph before the first paint.
        #: Index of each section's first paragraph (and, last, the count).
        self.firsts: Sequence[int] = layout.firsts
        self._count = self.firsts[-1]
        self.lengths: Sequence[int] = layout.lengths
        #: Estimated width in cells (exact for hanzi and ASCII).
        self.cells: Sequence[int] = layout.cells
        self._made: dict[int, Paragraph] = {}
        # Where each paragraph starts in its section's text, by section position:
        # made for a section when first asked for (the sections on screen), not
        # for the whole report before the first paint (~7 M instructions at 5 MB).
        self._starts: dict[int, list[int]] = {}

    def __len__(self) -> int:
        return self._count

    def starts_in(self, position: int) -> list[int]:
        """Where each paragraph of the section at ``position`` starts in its text,
        then the text's length + 1 (made once per section, when first asked for)."""
        starts = self._starts.get(position)
        if starts is None:
            first, stop = self.firsts[position], self.firsts[position + 1]
            lengths = self.lengths[first:stop]
            starts = self._starts[position] = list(accumulate(map((1).__add__, lengths), initial=0))
        return starts

    def start_of(self, index: int) -> int:
        """Where paragraph ``index`` starts in its section's text."""
        position = self.section_of(index)
        return self.starts_in(position)[index - self.firsts[position]]

    def section_of(self, index: int) -> int:
        """The section (by position) of paragraph ``index`` (bisection: no column
        of one entry per paragraph made before the first paint)."""
        if not 0 <= index < self._count:
            raise IndexError("paragraph index out of range")
        return bisect_right(self.firsts, index) - 1

    @overload
    def __getitem__(self, index: int) -> Paragraph: ...

    @overload
    def __getitem__(self, index: slice) -> list[Paragraph]: ...

    def __getitem__(self, index: int | slice) -> Paragraph | list[Paragraph]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if index < 0:
            index += self._count
        made = self._made.get(index)
        if made is not None:
            return made
        position = self.section_of(index)  # IndexError past the end, as a list
        first = self.firsts[position]
        start = self.starts_in(position)[index - first]
        end = start + self.lengths[index]
        heading = index == first and bool(self._headings[position])
        made = Paragraph(self._ids[position], start, end, index - first, heading)
        if len(self._made) >= self.CACHE_SIZE:
            self._made.clear()
        self._made[index] = made
        return made

    def spacers(self) -> list[int]:
        """1 for a paragraph followed by a blank line (a heading, a section's last)."""
        return list(self.layout.spacers)


class Page:
    """Every paragraph of a report, with indexes by section and by top-level part."""

    def __init__(self, report: Report) -> None:
        self.report = report
        self.paragraphs = Paragraphs(report)
        self.cells = self.paragraphs.cells  # estimated width of each paragraph
        sections = report.sections
        # One byte per section, 1 where a top-level part starts (level 0 or 1; the
        # first section does whatever its level): the parts are counted in C
        # (``bytes.count``), with no step per section before the first paint.
        levels = getattr(sections, "level_bytes", None)
        if levels is None:
            levels = section_column(sections, "level")
            try:
                levels = bytes(levels)
            except ValueError:  # a level past 255 (hand-made): a step per section
                levels = bytes(0 if level < 2 else 2 for level in levels)
        self._top_marks = levels.translate(_TOP_MARKS)
        self.top_count = 1 + self._top_marks.count(1, 1) if levels else 0

    def estimated_heights(self, width: int) -> Sequence[int]:
        """Each paragraph's estimated height at ``width`` cells (``estimated_heights``):
        kept with the layout at the default measure, else computed."""
        return self.paragraphs.layout.heights_at(width)

    def __len__(self) -> int:
        return len(self.paragraphs)

    def _position(self, section_id: str) -> int | None:
        """Where the section stands in the report (the report's own index, not a copy)."""
        return self.report.position(section_id)

    def first_of(self, section_id: str) -> int:
        """Index of the first paragraph of a section (0 if it is unknown)."""
        position = self._position(section_id)
        return 0 if position is None else self.paragraphs.firsts[position]

    def index_at(self, section_id: str, offset: int) -> int:
        """Index of the paragraph of ``section_id`` holding ``offset`` (0 if none)."""
        position = self._position(section_id)
        if position is None:
            return 0
        paragraphs = self.paragraphs
        starts = paragraphs.starts_in(position)
        at = bisect_right(starts, max(0, offset), 0, len(starts) - 1) - 1
        return paragraphs.firsts[position] + max(0, at)

    def top_number(self, section_id: str) -> int:
        """Which top-level part (1-based) holds ``section_id``: the ``k`` of ``k/N``."""
        position = self._position(section_id)
        if position is None:
            return 1
        return 1 + self._top_marks.count(1, 1, position + 1)


#: Level byte -> 1 where a top-level part starts (levels 0 and 1), else 0.
_TOP_MARKS = bytes([1, 1] + [0] * 254)


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
