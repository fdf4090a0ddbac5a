"""Sections made when asked for, and the paragraph layout of a report as columns.

A 19 MB report has ~40,000 sections. Making a ``Section`` for each (and
decoding every text) before the reader's first paint cost more than the paint
itself, yet the first screen shows the contents (ids, numbers, titles) and one
section's text. ``SectionTable`` is a ``Sequence[Section]`` over columns and one
UTF-8 run of every text, as the report cache stores them: a section is made
(its text decoded) the first time it is asked for, then kept. It compares and
hashes as the tuple of its sections, so a report from the cache still equals a
fresh parse.

``ParagraphLayout`` is what the page needs to lay the whole report out without
reading its text: how many paragraphs (lines) each section has, whether its
first line is its heading, and each paragraph's length and width in cells. The
cache stores it; for a freshly parsed report it is computed in a few C passes.

``IdColumn`` is the sections' ids as the cache stores them (one UTF-8 run and
where each id ends): an id is decoded when asked for and a lookup is a C
search of the run, so nothing is split per section before the first paint.

No Textual here: the model, the cache and the page share it.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterator, Sequence
from itertools import accumulate, compress, repeat
from operator import sub
from typing import Any, overload

from briefing.model import Section
from briefing.records import Frozen, record, set_field


def is_heading_line(section: Section | tuple[str, str], line: str) -> bool:
    """Whether ``line``, the first of a section, is its heading (styled apart).

    ``section`` is the section or its ``(number, title)``: only numbered
    sections have a heading line.
    """
    number, title = (section.number, section.title) if isinstance(section, Section) else section
    # Spaces do not count: 第一章　总则 and 第一章  总  则 are the heading 第一章总则.
    return bool(number) and "".join(line.split()) == "".join((number + title).split())


#: Cells per line at the reader's default measure (40 hanzi): the width whose estimated
#: heights a layout keeps (the report cache stores them), so a report opened in a
#: terminal wide enough for the measure is laid out without a step per paragraph.
DEFAULT_WIDTH = 80


def estimated_heights(cells: Sequence[int], spacers: Sequence[int], width: int) -> list[int]:
    """Each paragraph's height in lines at ``width`` cells (at least 1) plus its spacer.

    ``max(1, ceil(cells / width)) + spacer`` for every paragraph.
    """
    if len(cells) != len(spacers):
        raise ValueError("one spacer per paragraph")
    # A comprehension: 4x faster than ``map`` over ``max`` (~4 ms for 40,000 paragraphs).
    rest = width - 1
    pairs = zip(cells, spacers, strict=True)
    return [((cell + rest) // width or 1) + spacer for cell, spacer in pairs]


def spacer_column(firsts: Sequence[int], headings: Sequence[int]) -> list[int]:
    """1 for a paragraph followed by a blank line (a heading, a section's last)."""
    out = [0] * (firsts[-1] if len(firsts) else 0)
    for first in firsts[1:-1]:
        out[first - 1] = 1
    for first in compress(firsts, headings):
        out[first] = 1
    return out


def section_column(sections: Sequence[Section], name: str) -> list:
    """Every section's ``name`` (id, level, number, title, parent), in order:
    a ``SectionTable``'s own column (no section made), else read from each."""
    column = getattr(sections, f"{name}s", None)
    if isinstance(column, (list, IdColumn)):
        return column  # type: ignore[return-value]
    return [getattr(section, name) for section in sections]


@record
class ParagraphLayout(Frozen):
    """Per section: where its paragraphs start (``firsts``, running sums of the paragraph
    counts, then the total) and ``headings`` (first line is the heading); per paragraph:
    ``lengths`` in characters, estimated ``cells``, ``spacers`` (a blank line follows)
    and ``heights``, the estimated heights at ``DEFAULT_WIDTH`` (None: not kept).

    A frozen dataclass whose methods are written out (as the model's): the
    reader imports this module at every start, and ``@dataclass(frozen=True)``
    compiled six methods from source (~1 ms)."""

    firsts: Sequence[int]
    headings: Sequence[int]
    lengths: Sequence[int]
    cells: Sequence[int]
    spacers: Sequence[int]
    heights: Sequence[int] | None
    cells_total: int

    def __init__(
        self,
        firsts: Sequence[int],
        headings: Sequence[int],
        lengths: Sequence[int],
        cells: Sequence[int],
        spacers: Sequence[int],
        heights: Sequence[int] | None = None,
        cells_total: int | None = None,
    ) -> None:
        set_field(self, "firsts", firsts)
        set_field(self, "headings", headings)
        set_field(self, "lengths", lengths)
        set_field(self, "cells", cells)
        set_field(self, "spacers", spacers)
        set_field(self, "heights", heights)
        set_field(self, "cells_total", sum(cells) if cells_total is None else cells_total)

    @property
    def counts(self) -> list[int]:
        """Each section's paragraph count."""
        firsts = self.firsts
        return list(map(sub, firsts[1:], firsts[:-1]))

    def heights_at(self, width: int) -> Sequence[int]:
        """``estimated_heights`` of every paragraph at ``width``: the kept ones at
        ``DEFAULT_WIDTH`` (no step per paragraph), else computed."""
        if width == DEFAULT_WIDTH and self.heights is not None:
            return self.heights
        return estimated_heights(self.cells, self.spacers, width)

    @classmethod
    def of(cls, sections: Sequence[Section]) -> ParagraphLayout:
        """The layout of ``sections``: from the table's cached columns, else computed."""
        layout = getattr(sections, "layout", None)
        if isinstance(layout, ParagraphLayout):
            return layout
        return cls.compute([s.text for s in sections], [(s.number, s.title) for s in sections])

    @classmethod
    def compute(cls, texts: list[str], labels: list[tuple[str, str]]) -> ParagraphLayout:
        """Built by C loops (``split``, ``map``, ``accumulate``) over the joined text."""
        joined = "\n".join(texts)
        lines = joined.split("\n") if texts else []
        counts = [text.count("\n") + 1 for text in texts]
        lengths = list(map(len, lines))
        # UTF-8 gives a hanzi 3 bytes (2 cells) and ASCII 1 byte (1 cell), so
        # ``(bytes + chars) // 2`` is exact for both.
        encoded = joined.encode("utf-8", "surrogatepass").split(b"\n") if texts else []
        cells = list(map(int.__floordiv__, map(int.__add__, map(len, encoded), lengths), repeat(2)))
        firsts = list(accumulate(counts, initial=0))
        headings = [
            int(bool(label[0]) and is_heading_line(label, lines[first]))
            for label, first in zip(labels, firsts, strict=False)  # firsts ends with the total
        ]
        spacers = spacer_column(firsts, headings)
        heights = estimated_heights(cells, spacers, DEFAULT_WIDTH)
        return cls(firsts, headings, lengths, cells, spacers, heights)


class IdColumn(Sequence[str]):
    """The sections' ids as one UTF-8 run (``b"\\n"`` between them) and where each
    ends in it (``report_cache``): an id is decoded when asked for, and ``index``
    is a C search of the run, so loading a report splits nothing per section
    (the split made ~2.5 M instructions of a 5 MB report's first paint)."""

    def __init__(self, run: bytes, ends: Sequence[int]) -> None:
        # Each id between two newlines: a search for "\n" + id + "\n" finds whole ids.
        self._run = b"\n" + run + b"\n"
        self._ends = ends  # in ``run``: id k is run[ends[k-1] + 1 : ends[k]]
        self._list: list[str] | None = None
        # Ids decoded and found so far: the paint asks for the same few many times.
        self._decoded: dict[int, str] = {}
        self._found: dict[str, int] = {}

    def __len__(self) -> int:
        return len(self._ends)

    def _start(self, k: int) -> int:
        """Where id ``k`` starts in ``run`` (0 <= k <= len)."""
        return self._ends[k - 1] + 1 if k else 0

    @overload
    def __getitem__(self, index: int) -> str: ...

    @overload
    def __getitem__(self, index: slice) -> list[str]: ...

    def __getitem__(self, index: int | slice) -> str | list[str]:
        made = self._list
        if made is not None or isinstance(index, slice):  # split already: a list's look-up
            return (self.as_list() if made is None else made)[index]
        size = len(self._ends)
        if index < 0:
            index += size
        if not 0 <= index < size:
            raise IndexError("id index out of range")
        decoded = self._decoded.get(index)
        if decoded is None:
            # ``run`` is offset by its leading newline.
            run = self._run[self._start(index) + 1 : self._ends[index] + 1]
            decoded = self._decoded[index] = str(run, "utf-8", "replace")
        return decoded

    def index(self, value: Any, start: int = 0, stop: int | None = None) -> int:
        """As ``list.index``: the first position of ``value`` in ``[start, stop)``."""
        size = len(self._ends)
        start, stop, _step = slice(start, stop).indices(size)
        if type(value) is not str or start >= stop or "\n" in value:
            raise ValueError(f"{value!r} is not in the ids")
        found = self._found.get(value)
        if found is not None:  # ids are unique: its one place, if in the range
            if start <= found < stop:
                return found
            raise ValueError(f"{value!r} is not in the ids")
        try:
            key = value.encode("utf-8")
        except UnicodeEncodeError:
            raise ValueError(f"{value!r} is not in the ids") from None
        # In the padded run: the newline before id ``start`` to the one after ``stop - 1``.
        at = self._run.find(b"\n" + key + b"\n", self._start(start), self._ends[stop - 1] + 2)
        if at < 0:
            raise ValueError(f"{value!r} is not in the ids")
        end = at + len(key)  # where the id found ends in ``run``
        position = bisect_left(self._ends, end, start, stop)
        if position >= stop or self._ends[position] != end:  # pragma: no cover - a bad run
            raise ValueError(f"{value!r} is not in the ids")
        if len(self._found) < 4096:
            self._found[value] = position
        return position

    def __contains__(self, value: object) -> bool:
        try:
            self.index(value)
        except ValueError:
            return False
        return True

    def count(self, value: Any) -> int:
        return self.as_list().count(value)

    def ends_agree(self) -> bool:
        """Whether each id ends where ``ends`` says (the run's newlines): a Python step
        per id, so the report cache checks it after the first paint."""
        lengths = [len(part) + 1 for part in self._run[1:-1].split(b"\n")]
        return [end - 1 for end in accumulate(lengths)] == list(self._ends)

    def as_list(self) -> list[str]:
        """Every id (split once, when first asked for)."""
        if self._list is None:
            ids = str(self._run[1:-1], "utf-8", "replace").split("\n") if self._ends else []
            self._list = ids
        return self._list

    def __iter__(self) -> Iterator[str]:
        return iter(self.as_list())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, (list, IdColumn)):
            return list(self) == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"IdColumn({len(self)} ids)"


class LabelRun:
    """Every section's number, then every title, as one UTF-8 run (``report_cache``):
    a label is decoded when its row is drawn, the columns when first asked for.

    The first paint draws ~40 rows of the contents: decoding the 20,000 numbers
    and titles of a 5 MB report made as many strings (~11 M instructions)."""

    def __init__(self, run: bytes, ends: Sequence[int], count: int) -> None:
        self._run, self._ends, self._count = run, ends, count

    def _at(self, k: int) -> str:
        start = self._ends[k - 1] if k else 0
        # Decoded when drawn, after loading: shown replaced, never raised.
        return str(self._run[start : self._ends[k]], "utf-8", "replace")

    def label(self, index: int) -> tuple[str, str]:
        """The number and title of the section at ``index`` (not negative)."""
        return self._at(index), self._at(self._count + index)

    def columns(self) -> tuple[list[str], list[str]]:
        """Every number and every title."""
        run, ends = self._run, self._ends
        names = [
            str(run[start:end], "utf-8", "replace")
            for start, end in zip([0, *ends[:-1]], ends, strict=True)
        ]
        return names[: self._count], names[self._count :]


class SectionTable(Sequence[Section]):
    """The sections of a report, made on demand from columns and a UTF-8 run of texts.

    ``ends`` are the byte offsets where each section's text ends in ``blob``
    (bytes, a view of the cache entry read, or ``report_cache.FileTexts``,
    which reads a slice from the entry's file: no copy of every text).
    Making a section twice (two threads at once) gives equal sections; the
    one stored is kept.
    """

    def __init__(
        self,
        ids: list[str] | IdColumn,
        levels: list[int],
        numbers: list[str] | LabelRun,
        titles: list[str] | None,
        parents: list[str | None] | Sequence[int],
        blob: Any,
        ends: Sequence[int],
        layout: ParagraphLayout | None = None,
        level_bytes: bytes | None = None,
    ) -> None:
        self.ids, self.levels = ids, levels
        #: ``bytes(levels)`` when the cache has it (the page counts top-level parts in C).
        self.level_bytes = level_bytes
        # Lists, or (from the cache) a ``LabelRun`` of both (``titles`` is then None).
        self._numbers, self._titles = numbers, titles
        # The parents' ids, or (from the cache) each parent's position + 1, 0 for
        # none: the column of ids is made when first asked for (not on loading).
        self._parents = parents
        self._blob = blob
        self._ends = ends
        self.layout = layout
        #: Checks left for after the reader's first paint (``report_cache.PendingCheck``).
        self.pending_check: object = None
        self._made: list[Section | None] = [None] * len(ids)
        self._texts: list[str] | None = None

    @property
    def parents(self) -> list[str | None]:
        """Every section's parent id (the column is made the first time it is asked for)."""
        parents = self._parents
        if not isinstance(parents, list):
            ids, count = self.ids, len(self.ids)
            # A position past the report (a hand-made entry) is no parent: the
            # entry's deferred checks catch it.
            parents = self._parents = [ids[at - 1] if 0 < at <= count else None for at in parents]
        return parents

    @property
    def numbers(self) -> list[str]:
        """Every section's number (the column is made the first time it is asked for)."""
        run = self._numbers
        if isinstance(run, LabelRun):
            numbers, self._titles = run.columns()
            self._numbers = numbers  # last: ``label`` in another thread reads it first
        return self._numbers  # type: ignore[return-value]

    @property
    def titles(self) -> list[str]:
        self.numbers  # noqa: B018 - makes both columns
        return self._titles  # type: ignore[return-value]

    def label(self, index: int) -> tuple[str, str]:
        """The number and title of the section at ``index``, without making a
        column (the contents draws its rows with it)."""
        if index < 0:
            index += len(self.ids)
        if not 0 <= index < len(self.ids):
            raise IndexError("section index out of range")
        numbers = self._numbers
        if isinstance(numbers, LabelRun):
            return numbers.label(index)
        return numbers[index], self._titles[index]  # type: ignore[index]

    def _parent(self, index: int) -> str | None:
        parents = self._parents
        if isinstance(parents, list):
            return parents[index]
        at = parents[index]
        return self.ids[at - 1] if 0 < at <= len(self.ids) else None

    def use_texts(self, blob: bytes | memoryview) -> None:
        """Read the texts from ``blob`` from now on: the same bytes, in memory
        (``report_cache`` hands them over once they passed their CRC-32)."""
        self._blob = blob

    def __len__(self) -> int:
        return len(self.ids)

    @property
    def texts(self) -> list[str]:
        """Every section's text, decoded from the run without making a ``Section``:
        a search index needs the texts of ~16,000 sections of an 8 MB report, not
        the sections (making them was a tenth of a second of a repeated search).
        Kept once made; a section already made gives its own text."""
        if self._texts is None:
            ends = self._ends
            # One read of the whole run: the blob may be a memoryview (no ``decode``)
            # or ``FileTexts`` (a read per slice would be a system call per section).
            blob = self._blob[0 : ends[-1]] if len(ends) else b""
            starts = [0, *ends[:-1]] if len(ends) else []
            self._texts = [
                made.text if made is not None else str(blob[start:end], "utf-8", "replace")
                for made, start, end in zip(self._made, starts, ends, strict=True)
            ]
        return self._texts

    @overload
    def __getitem__(self, index: int) -> Section: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[Section, ...]: ...

    def __getitem__(self, index: int | slice) -> Section | tuple[Section, ...]:
        if isinstance(index, slice):
            return tuple(self[i] for i in range(*index.indices(len(self))))
        made = self._made[index]  # IndexError past the end, as a tuple
        if made is not None:
            return made
        if index < 0:
            index += len(self.ids)
        start = self._ends[index - 1] if index else 0
        # The cache wrote valid UTF-8 and its CRC-32 was checked on loading; only
        # a hand-made entry could hold other bytes: shown replaced, never raised.
        text = str(self._blob[start : self._ends[index]], "utf-8", "replace")
        section = Section(
            self.ids[index],
            self.levels[index],
            *self.label(index),
            self._parent(index),
            text,
        )
        if self._made[index] is None:
            self._made[index] = section
        return self._made[index] or section

    def __iter__(self) -> Iterator[Section]:
        return map(self.__getitem__, range(len(self.ids)))

    # The rest of a tuple's operators, for code written against ``tuple[Section, ...]``.
    def __add__(self, other: tuple[Section, ...] | SectionTable) -> tuple[Section, ...]:
        return tuple(self) + tuple(other)

    def __radd__(self, other: tuple[Section, ...]) -> tuple[Section, ...]:
        return tuple(other) + tuple(self)

    def __mul__(self, times: int) -> tuple[Section, ...]:
        return tuple(self) * times

    __rmul__ = __mul__

    def __eq__(self, other: object) -> bool:
        if isinstance(other, (tuple, SectionTable)):
            return len(self) == len(other) and tuple(self) == tuple(other)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(tuple(self))

    def __repr__(self) -> str:
        return f"SectionTable({len(self)} sections)"
