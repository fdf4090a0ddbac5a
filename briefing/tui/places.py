"""Where a section is, named as the contents list numbers it: ``二、一是``."""

from __future__ import annotations

from briefing.model import Report
from briefing.text import cell_width, fitting_prefix

# The widest a place from a title may be: the "二、一是" column of the panels.
TITLE_CELLS = 8


def place_of(report: Report, section_id: str) -> str:
    """``二、一是`` for an item, ``二、`` for a heading, the title (``前言``) or the
    start of it (``在总结…``) for an unnumbered part: never a bare id, which the
    reader never sees anywhere else (``§id`` is left only for an unknown one)."""
    if not report.has_section(section_id):
        return f"§{section_id}"
    section = report.section(section_id)
    numbers = [a.number for a in reversed(list(report.ancestors(section_id)))]
    numbers.append(section.number)
    place = "".join(n for n in numbers if n)
    if place:
        return place
    return _title_start(section.title) or f"§{section_id}"


def _title_start(title: str) -> str:
    """The title if it fits the column, else its first characters and ``…``."""
    title = " ".join(title.split())
    if cell_width(title) <= TITLE_CELLS:
        return title
    start = title[: fitting_prefix(title, TITLE_CELLS - cell_width("…"))].rstrip()
    return start + "…" if start else ""
