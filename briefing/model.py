"""The report model: frozen dataclasses shared by every part of briefing.

Nothing here imports Textual or does any work; parsing lives in ``parse.py``,
figures in ``figures.py``, search in ``search/``, storage in ``store/``.
Offsets are always Python ``str`` indices into ``Section.text``.

The classes are frozen dataclasses (``fields``, ``replace`` work on them)
whose methods are written out rather than generated: ``@dataclass(frozen=True)``
compiles six methods per class from source at import, which for these nine
classes was about 10 ms of every start of the reader. ``records.Frozen`` gives
them comparison, hashing, ``repr`` and immutability from their fields.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import field
from pathlib import Path
from typing import Literal

from briefing.records import Frozen, record, set_field

FigureKind = Literal[
    "percent", "count", "score", "duration", "rate", "magnitude", "rank", "date", "ratio"
]
FIGURE_KINDS: tuple[FigureKind, ...] = (
    "percent",
    "count",
    "score",
    "duration",
    "rate",
    "magnitude",
    "rank",
    "date",
    "ratio",
)

MatchKind = Literal["hanzi", "pinyin", "mixed", "initials", "heteronym", "fuzzy", "latin"]
NoteStatus = Literal["anchored", "moved", "orphaned"]


# What a heading number may end in (第一，): the title follows it without a space.
_NUMBER_MARKS = frozenset("、，,.．:：)）]】 ")


#: ``Metadata.title_source`` of a title made from the file's name (no title was found).
FILE_NAME_TITLE = "file-name"


@record
class Metadata(Frozen):
    """Header fields of a report: the well-known ones and all of them in order."""

    title: str = ""
    publisher: str = ""
    date: str = ""
    index_no: str = ""
    fields: tuple[tuple[str, str], ...] = ()
    # Where the title came from: "field", "title-line" (a line naming the kind
    # of document), "repeated-line", "page-title" (a first line that page
    # matter follows), "first-line" (a first short line, kept in the text),
    # "file-name" (FILE_NAME_TITLE), or "" when there is none.
    title_source: str = ""

    def __init__(
        self,
        title: str = "",
        publisher: str = "",
        date: str = "",
        index_no: str = "",
        fields: tuple[tuple[str, str], ...] = (),
        title_source: str = "",
    ) -> None:
        set_field(self, "title", title)
        set_field(self, "publisher", publisher)
        set_field(self, "date", date)
        set_field(self, "index_no", index_no)
        set_field(self, "fields", fields)
        set_field(self, "title_source", title_source)

    def get(self, label: str, default: str = "") -> str:
        """The value of a header field by its label (spaces ignored)."""
        wanted = label.replace(" ", "")
        for key, value in self.fields:
            if key.replace(" ", "") == wanted:
                return value
        return default


@record
class Section(Frozen):
    """One part of a report: a heading, an item paragraph, a preface or closing part.

    ``text`` is verbatim report text (it includes the heading words themselves).
    ``id`` is ``"0"`` for the preface, ``"1"`` … for top-level parts and
    ``"2.1"``, ``"2.1.3"`` for nested ones.
    """

    id: str
    level: int
    number: str
    title: str
    parent: str | None
    text: str

    def __init__(
        self,
        id: str,
        level: int,
        number: str,
        title: str,
        parent: str | None,
        text: str,
    ) -> None:
        set_field(self, "id", id)
        set_field(self, "level", level)
        set_field(self, "number", number)
        set_field(self, "title", title)
        set_field(self, "parent", parent)
        set_field(self, "text", text)

    @property
    def label(self) -> str:
        """Number and title as a reader sees them in a table of contents: a
        number that ends in a word (第一章, 第三条) keeps a space before its title
        (第一章 总则), one that ends in a mark (一、, （一）, 1.) or 一是 does not."""
        if not self.number:
            return self.title
        return f"{self.number}{self.number_gap}{self.title}"

    @property
    def number_gap(self) -> str:
        return number_gap(self.number)


@record
class Report(Frozen):
    """A parsed report: metadata and its sections in document order.

    ``warnings`` are one-line messages about reading the file (damaged bytes
    replaced while decoding); the command line prints them on stderr.
    """

    metadata: Metadata
    # A tuple, or from the report cache a ``SectionTable`` (``section_table.py``):
    # a sequence equal to that tuple whose sections are made when first asked for.
    sections: Sequence[Section]
    sha256: str
    path: Path | None = None
    warnings: tuple[str, ...] = ()
    # The index from id to position, made after ``_SCANS`` whole scans of the
    # ids (``position``); until then a lookup is a C scan of the ids.
    _order: dict[str, int] | None = field(
        default=None, init=False, repr=False, compare=False, hash=False
    )
    _ids: list[str] = field(default_factory=list, init=False, repr=False, compare=False)
    _lookups: int = field(default=0, init=False, repr=False, compare=False)
    _last: int = field(default=0, init=False, repr=False, compare=False)

    #: Lookups answered by scanning the ids before the index is made: the reader's
    #: first paint asks for a few sections only, and an index of a 10,000-section
    #: report cost ~7 M instructions before it; more lookups than this (a search's
    #: hits, the notes) get the index, so none is linear in the sections.
    _SCANS = 16
    #: How far either side of the last section found a lookup looks first.
    _NEAR = 64

    def __init__(
        self,
        metadata: Metadata,
        sections: Sequence[Section],
        sha256: str,
        path: Path | None = None,
        warnings: tuple[str, ...] = (),
    ) -> None:
        set_field(self, "metadata", metadata)
        set_field(self, "sections", sections)
        set_field(self, "sha256", sha256)
        set_field(self, "path", path)
        set_field(self, "warnings", warnings)
        # From the table's id column when there is one: no section is made.
        ids = getattr(sections, "ids", None)
        if ids is None:
            ids = [s.id for s in sections]
        set_field(self, "_ids", ids)
        set_field(self, "_order", None)
        set_field(self, "_lookups", 0)
        set_field(self, "_last", 0)

    @property
    def title(self) -> str:
        return self.metadata.title

    def position(self, section_id: str) -> int | None:
        """Where the section stands in document order, None if there is none.

        Until the index is made, the ids near the last one found are scanned
        first (the paint's lookups are of neighbours: rows of the contents,
        paragraphs on screen), then all of them; after ``_SCANS`` whole scans
        the index is made."""
        order = self._order
        if order is not None:
            return order.get(section_id)
        ids, last = self._ids, self._last
        try:
            at = ids.index(section_id, max(0, last - self._NEAR), last + self._NEAR)
        except ValueError:
            lookups = self._lookups + 1
            if lookups > self._SCANS:
                # Another thread may make it too: both are equal, either is kept.
                order = dict(zip(ids, range(len(ids)), strict=True))
                set_field(self, "_order", order)
                return order.get(section_id)
            set_field(self, "_lookups", lookups)
            try:
                at = ids.index(section_id)
            except ValueError:
                return None
        set_field(self, "_last", at)
        return at

    def section(self, section_id: str) -> Section:
        """The section with this id; ``KeyError`` if there is none."""
        return self.sections[self.index_of(section_id)]

    def has_section(self, section_id: str) -> bool:
        return self.position(section_id) is not None

    def index_of(self, section_id: str) -> int:
        """Position of a section in document order (``KeyError`` if there is none)."""
        position = self.position(section_id)
        if position is None:
            raise KeyError(section_id)
        return position

    def children(self, section_id: str | None) -> list[Section]:
        """Direct children of a section (top-level sections for ``None``)."""
        return [s for s in self.sections if s.parent == section_id]

    def ancestors(self, section_id: str) -> Iterator[Section]:
        """The parents of a section, nearest first."""
        parent = self.section(section_id).parent
        while parent is not None:
            section = self.section(parent)
            yield section
            parent = section.parent

    @property
    def body(self) -> str:
        """The whole report body: section texts joined by newlines."""
        return "\n".join(s.text for s in self.sections)


@record
class Figure(Frozen):
    """A key figure: ``text == section.text[start:end]``."""

    section: str
    start: int
    end: int
    text: str
    kind: FigureKind
    value: float | None
    unit: str
    approx: bool = False

    def __init__(
        self,
        section: str,
        start: int,
        end: int,
        text: str,
        kind: FigureKind,
        value: float | None,
        unit: str,
        approx: bool = False,
    ) -> None:
        set_field(self, "section", section)
        set_field(self, "start", start)
        set_field(self, "end", end)
        set_field(self, "text", text)
        set_field(self, "kind", kind)
        set_field(self, "value", value)
        set_field(self, "unit", unit)
        set_field(self, "approx", approx)

    @property
    def is_metric(self) -> bool:
        """Dates are figures but not metrics; they are shown quietly."""
        return self.kind != "date"


@record
class Match(Frozen):
    """A search hit: ``text == section.text[start:end]``; higher score ranks first."""

    section: str
    start: int
    end: int
    text: str
    kind: MatchKind
    score: float

    def __init__(
        self,
        section: str,
        start: int,
        end: int,
        text: str,
        kind: MatchKind,
        score: float,
    ) -> None:
        set_field(self, "section", section)
        set_field(self, "start", start)
        set_field(self, "end", end)
        set_field(self, "text", text)
        set_field(self, "kind", kind)
        set_field(self, "score", score)


@record
class Quote(Frozen):
    """A text-quote anchor: the exact passage and about 32 characters either side."""

    exact: str
    prefix: str = ""
    suffix: str = ""

    def __init__(
        self,
        exact: str,
        prefix: str = "",
        suffix: str = "",
    ) -> None:
        set_field(self, "exact", exact)
        set_field(self, "prefix", prefix)
        set_field(self, "suffix", suffix)


@record
class Note(Frozen):
    """A user's note anchored to a passage of a section."""

    id: str
    report: str
    report_title: str
    section: str
    text: str
    quote: Quote
    start: int
    end: int
    created: str
    updated: str
    status: NoteStatus = "anchored"

    def __init__(
        self,
        id: str,
        report: str,
        report_title: str,
        section: str,
        text: str,
        quote: Quote,
        start: int,
        end: int,
        created: str,
        updated: str,
        status: NoteStatus = "anchored",
    ) -> None:
        set_field(self, "id", id)
        set_field(self, "report", report)
        set_field(self, "report_title", report_title)
        set_field(self, "section", section)
        set_field(self, "text", text)
        set_field(self, "quote", quote)
        set_field(self, "start", start)
        set_field(self, "end", end)
        set_field(self, "created", created)
        set_field(self, "updated", updated)
        set_field(self, "status", status)


@record
class Bookmark(Frozen):
    """A bookmarked section; ``section_title`` lets it follow a renumbered section."""

    id: str
    report: str
    report_title: str
    section: str
    section_title: str
    created: str
    updated: str
    status: NoteStatus = "anchored"

    def __init__(
        self,
        id: str,
        report: str,
        report_title: str,
        section: str,
        section_title: str,
        created: str,
        updated: str,
        status: NoteStatus = "anchored",
    ) -> None:
        set_field(self, "id", id)
        set_field(self, "report", report)
        set_field(self, "report_title", report_title)
        set_field(self, "section", section)
        set_field(self, "section_title", section_title)
        set_field(self, "created", created)
        set_field(self, "updated", updated)
        set_field(self, "status", status)


@record
class ReadingState(Frozen):
    """Where the user was in a report: section and paragraph index."""

    report: str
    section: str
    paragraph: int = 0
    updated: str = ""

    def __init__(
        self,
        report: str,
        section: str,
        paragraph: int = 0,
        updated: str = "",
    ) -> None:
        set_field(self, "report", report)
        set_field(self, "section", section)
        set_field(self, "paragraph", paragraph)
        set_field(self, "updated", updated)


def number_gap(number: str) -> str:
    """What goes between a section's number and title in a label: one space after
    a number that ends in a word (第一章, 第三条), nothing after a mark or 一是."""
    if number.startswith("第") and number[-1] not in _NUMBER_MARKS:
        return " "
    return ""
