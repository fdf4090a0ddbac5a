"""LibraryList: the reports of the library, or library-wide hits grouped by report.

A ``RowList``: only the rows on screen are drawn, so a library of 1,000
reports is refiltered on every keystroke. Every string shown comes from
report data or the user, so rows are built from plain text spans, never markup.
"""

from __future__ import annotations

from rich.text import Text

from briefing.i18n import P_, _
from briefing.text import REACH_BACK, cell_width, context_start, strip_control
from briefing.tui.cells import fit_cells, fit_text
from briefing.tui.library_state import HitRow, LibraryRow
from briefing.tui.widgets.row_list import RowList

DATE_CELLS = 10  # 2022-03-25
NOTES_CELLS = 5  # ✎ 123
PROGRESS_CELLS = 4  # 100%
CONTEXT_BEFORE = 16  # characters shown before a hit in its row
NARROW = 72  # below this the publisher gives way to the title


def _one_line(text: str) -> str:
    return strip_control(text).replace("\n", " ").replace("\t", " ")


def _fit(text: str, cells: int) -> Text:
    """``text`` cut to ``cells`` cells with an ellipsis, padded to exactly ``cells``."""
    if cells <= 0:
        return Text("", end="")
    return fit_cells(text, cells, pad=True)


def _place(row: HitRow) -> str:
    """Where a hit is, as its row says it (the section, or "Title")."""
    title = row.hit is not None and row.hit.section == "title"
    return _one_line(row.place) or (_("Title") if title else "")


class LibraryList(RowList):
    """One row per report (title, publisher, date, notes, progress), or grouped hits."""

    DEFAULT_CSS = """
    LibraryList { height: 1fr; }
    LibraryList > .library--muted { color: $text-muted; }
    LibraryList > .library--current { color: $accent; text-style: bold; }
    LibraryList > .library--heading { text-style: bold; }
    LibraryList > .library--hit { text-style: reverse bold; }
    """

    COMPONENT_CLASSES = {
        "library--muted",
        "library--current",
        "library--heading",
        "library--hit",
    }

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.rows: list[LibraryRow] | list[HitRow] = []
        self.current_id: str | None = None  # the report open in the reader
        self._place_cells = 0  # the widest place of the hits listed

    def set_rows(self, rows: list[LibraryRow] | list[HitRow], *, cursor: int = 0) -> None:
        self.rows = rows
        # One column for the places of every hit, so the found words line up.
        self._place_cells = max(
            (cell_width(_place(row)) for row in rows if isinstance(row, HitRow) and row.hit),
            default=0,
        )
        self.set_row_count(len(rows), cursor=cursor)

    # ------------------------------------------------------------------ drawing

    def render_row(self, index: int, width: int) -> Text:
        row = self.rows[index]
        if isinstance(row, HitRow):
            return self._hit_row(row, width)
        return self._report_row(row, width)

    def _report_row(self, row: LibraryRow, width: int) -> Text:
        entry = row.entry
        muted = self.component_style("library--muted")
        notes = f"✎{row.activity.notes}" if row.activity.notes else ""
        if row.progress is not None:
            progress = f"{row.progress}%"
        else:
            progress = "·" if row.activity.last_read else ""
        right = Text(end="")
        right.append(_one_line(entry.date).rjust(DATE_CELLS)[:DATE_CELLS], muted)
        right.append(" " + notes.rjust(NOTES_CELLS))
        right.append(" " + progress.rjust(PROGRESS_CELLS), muted)
        marker = "▸ " if entry.id == self.current_id else "  "
        left_cells = width - cell_width(right.plain) - 1 - cell_width(marker)
        if left_cells < 12:  # very narrow: the title matters most
            right = Text(" " + progress.rjust(PROGRESS_CELLS), muted, end="")
            left_cells = width - cell_width(right.plain) - 1 - cell_width(marker)
        title = _one_line(entry.title) or _("(untitled)")
        publisher = _one_line(entry.publisher)
        left = Text(end="")
        if publisher and width >= NARROW:
            title_cells = min(
                cell_width(title), max(left_cells * 2 // 3, left_cells - cell_width(publisher) - 2)
            )
            left.append_text(_fit(title, title_cells))
            left.append("  ")
            left.append_text(_fit(publisher, left_cells - title_cells - 2))
            left.stylize(muted, title_cells + 2)
        else:
            left.append_text(_fit(title, left_cells))
        line = Text(marker, end="", no_wrap=True)
        if entry.id == self.current_id:
            line.stylize(self.component_style("library--current"))
        line.append_text(left)
        line.append(" ")
        line.append_text(right)
        return line

    def _hit_row(self, row: HitRow, width: int) -> Text:
        if row.hit is None:
            line = Text(end="", no_wrap=True)
            count = P_("{count} hit", "{count} hits", row.count).format(count=row.count)
            title = _one_line(row.entry.title) or _("(untitled)")
            title_cells = max(1, width - cell_width(count) - 2)
            line.append_text(_fit(title, min(title_cells, cell_width(title))))
            line.stylize(self.component_style("library--heading"))
            line.append("  ")
            line.append(count, self.component_style("library--muted"))
            return line
        snippet = _one_line(row.snippet)
        found = _one_line(row.hit.text)
        line = Text("    ", end="", no_wrap=True, overflow="ellipsis")
        place = _place(row)
        if self._place_cells:  # where the hit is, in at most a third of the row
            cells = min(self._place_cells, max(6, (width - 4) // 3))
            line.append_text(_fit(place, cells))
            line.stylize(self.component_style("library--muted"), 4)
            line.append("  ")
        # Context before the hit: at most a third of the cells left (2 cells a hanzi).
        before = max(2, min(CONTEXT_BEFORE, (width - cell_width(line.plain)) // 6))
        at = snippet.find(found) if found else -1
        if at > before:  # keep the hit on screen in a narrow terminal
            # not on a comma; back to a clause start only where the row has room
            reach = REACH_BACK if before >= CONTEXT_BEFORE else 0
            cut = context_start(snippet, at - before, at, reach_back=reach)
            snippet = "…" + snippet[cut:]
            at = at - cut + 1
        if at < 0:
            line.append(snippet or found)
        else:
            line.append(snippet[:at])
            line.append(found, self.component_style("library--hit"))
            line.append(snippet[at + len(found) :])
        return fit_text(line, width)
