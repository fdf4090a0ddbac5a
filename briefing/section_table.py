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

No Textual here: the model, the cache and the page share it.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from itertools import accumulate, repeat
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


def section_column(sections: Sequence[Section], name: str) -> list:
    """Every section's ``name`` (id, level, number, title, parent), in order:
    a ``SectionTable``'s own column (no section made), else read from each."""
    column = getattr(sections, f"{name}s", None)
    if isinstance(column, list):
        return column
    return [getattr(section, name) for section in sections]


@record
class ParagraphLayout(Frozen):
    """Per section: paragraph ``counts`` and ``headings`` (first line is the heading);
    per paragraph: ``lengths`` in characters and estimated ``cells``.

    A frozen dataclass whose methods are written out (as the model's): the
    reader imports this module at every start, and ``@dataclass(frozen=True)``
    compiled six methods from source (~1 ms)."""

    counts: Sequence[int]
    headings: Sequence[int]
    lengths: Sequence[int]
    cells: Sequence[int]

    def __init__(
        self,
        counts: Sequence[int],
        headings: Sequence[int],
        lengths: Sequence[int],
        cells: Sequence[int],
    ) -> None:
        set_field(self, "counts", counts)
        set_field(self, "headings", headings)
        set_field(self, "lengths", lengths)
        set_field(self, "cells", cells)

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
        firsts = accumulate(counts, initial=0)
        headings = [
            int(bool(label[0]) and is_heading_line(label, lines[first]))
            for label, first in zip(labels, firsts, strict=False)  # firsts ends with the total
        ]
        return cls(counts, headings, lengths, cells)


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
        ids: list[str],
        levels: list[int],
        numbers: list[str] | LabelRun,
        titles: list[str] | None,
        parents: list[str | None] | Sequence[int],
        blob: Any,
        ends: Sequence[int],
        layout: ParagraphLayout | None = None,
    ) -> None:
        self.ids, self.levels = ids, levels
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
            ids = self.ids
            parents = self._parents = [ids[at - 1] if at else None for at in parents]
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
        return self.ids[at - 1] if at else None

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
