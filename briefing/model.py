"""The report model: frozen dataclasses shared by every part of briefing.

Nothing here imports Textual or does any work; parsing lives in ``parse.py``,
figures in ``figures.py``, search in ``search/``, storage in ``store/``.
Offsets are always Python ``str`` indices into ``Section.text``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

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

@dataclass(frozen=True)
class Metadata:
    """Header fields of a report: the well-known ones and all of them in order."""

    title: str = ""
    publisher: str = ""
    date: str = ""
    index_no: str = ""
    fields: tuple[tuple[str, str], ...] = ()
    # Where the title came from: "field", "title-line" (a line naming the kind
    # of document), "repeated-line", "page-title" (a first line that page
    # matter follows), "first-line" (a first short line, kept in the text),
    # "file-name", or "" when there is none.
    title_source: str = ""

    def get(self, label: str, default: str = "") -> str:
        """The value of a header field by its label (spaces ignored)."""
        wanted = label.replace(" ", "")
        for key, value in self.fields:
            if key.replace(" ", "") == wanted:
                return value
        return default


@dataclass(frozen=True)
class Section:
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

    @property
    def label(self) -> str:
        """Number and title as a reader sees them in a table of contents: a
        number that ends in a word (第一章, 第三条) keeps a space before its title
        (第一章 总则), one that ends in a mark (一、, （一）, 1.) or 一是 does not."""
        if not self.number:
            return self.title
        if self.number.startswith("第") and self.number[-1] not in _NUMBER_MARKS:
            return f"{self.number} {self.title}"
        return f"{self.number}{self.title}"


@dataclass(frozen=True)
class Report:
    """A parsed report: metadata and its sections in document order.

    ``warnings`` are one-line messages about reading the file (damaged bytes
    replaced while decoding); the command line prints them on stderr.
    """

    metadata: Metadata
    sections: tuple[Section, ...]
    sha256: str
    path: Path | None = None
    warnings: tuple[str, ...] = ()
    _by_id: dict[str, Section] = field(
        default_factory=dict, init=False, repr=False, compare=False, hash=False
    )
    _order: dict[str, int] = field(
        default_factory=dict, init=False, repr=False, compare=False, hash=False
    )

    def __post_init__(self) -> None:
        self._by_id.update((s.id, s) for s in self.sections)
        self._order.update((s.id, i) for i, s in enumerate(self.sections))

    @property
    def title(self) -> str:
        return self.metadata.title

    def section(self, section_id: str) -> Section:
        """The section with this id; ``KeyError`` if there is none."""
        return self._by_id[section_id]

    def has_section(self, section_id: str) -> bool:
        return section_id in self._by_id

    def index_of(self, section_id: str) -> int:
        """Position of a section in document order (``KeyError`` if there is none)."""
        return self._order[section_id]

    def children(self, section_id: str | None) -> list[Section]:
        """Direct children of a section (top-level sections for ``None``)."""
        return [s for s in self.sections if s.parent == section_id]

    def ancestors(self, section_id: str) -> Iterator[Section]:
        """The parents of a section, nearest first."""
        parent = self._by_id[section_id].parent
        while parent is not None:
            section = self._by_id[parent]
            yield section
            parent = section.parent

    @property
    def body(self) -> str:
        """The whole report body: section texts joined by newlines."""
        return "\n".join(s.text for s in self.sections)


@dataclass(frozen=True)
class Figure:
    """A key figure: ``text == section.text[start:end]``."""

    section: str
    start: int
    end: int
    text: str
    kind: FigureKind
    value: float | None
    unit: str
    approx: bool = False

    @property
    def is_metric(self) -> bool:
        """Dates are figures but not metrics; they are shown quietly."""
        return self.kind != "date"


@dataclass(frozen=True)
class Match:
    """A search hit: ``text == section.text[start:end]``; higher score ranks first."""

    section: str
    start: int
    end: int
    text: str
    kind: MatchKind
    score: float


@dataclass(frozen=True)
class Quote:
    """A text-quote anchor: the exact passage and about 32 characters either side."""

    exact: str
    prefix: str = ""
    suffix: str = ""


@dataclass(frozen=True)
class Note:
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


@dataclass(frozen=True)
class Bookmark:
    """A bookmarked section; ``section_title`` lets it follow a renumbered section."""

    id: str
    report: str
    report_title: str
    section: str
    section_title: str
    created: str
    updated: str
    status: NoteStatus = "anchored"


@dataclass(frozen=True)
class ReadingState:
    """Where the user was in a report: section and paragraph index."""

    report: str
    section: str
    paragraph: int = 0
    updated: str = ""
