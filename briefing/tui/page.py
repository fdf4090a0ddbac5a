"""What the reader shows at once: a top-level part and its paragraphs.

Plain Python (no Textual): a *page* is a top-level section with all its
descendants, since their texts follow each other in the report; a *paragraph*
is one line of one section's text. The paragraph cursor moves over these.
"""

from __future__ import annotations

from dataclasses import dataclass

from briefing.model import Report, Section


@dataclass(frozen=True)
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


def page_sections(report: Report, top_id: str) -> list[Section]:
    """The top-level section and its descendants, in document order."""
    start = report.index_of(top_id)
    sections = [report.sections[start]]
    for section in report.sections[start + 1 :]:
        if section.level == 1:
            break
        sections.append(section)
    return sections


def page_paragraphs(report: Report, top_id: str) -> list[Paragraph]:
    """Every paragraph of a page; a heading line is marked so it can be styled."""
    paragraphs: list[Paragraph] = []
    for section in page_sections(report, top_id):
        offset = 0
        for index, line in enumerate(section.text.split("\n")):
            is_heading = (
                index == 0
                and bool(section.number)
                and line.strip() == (section.number + section.title).strip()
            )
            paragraphs.append(Paragraph(section.id, offset, offset + len(line), index, is_heading))
            offset += len(line) + 1
    return paragraphs


def paragraph_at(paragraphs: list[Paragraph], section_id: str, offset: int) -> int:
    """Index of the paragraph holding ``offset`` of ``section_id`` (0 if none)."""
    for index, paragraph in enumerate(paragraphs):
        if paragraph.section == section_id and paragraph.start <= offset <= paragraph.end:
            return index
    for index, paragraph in enumerate(paragraphs):
        if paragraph.section == section_id:
            return index
    return 0
