"""Where a section is, named as the contents list numbers it: ``二、一是``."""

from __future__ import annotations

from briefing.model import Report


def place_of(report: Report, section_id: str) -> str:
    """``二、一是`` for an item, ``二、`` for a heading, a short title (``前言``)
    for an unnumbered part, ``§id`` only when nothing shorter names it."""
    if not report.has_section(section_id):
        return f"§{section_id}"
    section = report.section(section_id)
    numbers = [a.number for a in reversed(list(report.ancestors(section_id)))]
    numbers.append(section.number)
    place = "".join(n for n in numbers if n)
    if place:
        return place
    return section.title if len(section.title) <= 4 else f"§{section_id}"
