"""Tables for the command line that stay fast at tens of thousands of rows.

A Rich ``Table`` lays out and renders every cell through its measuring
engine, about a millisecond a row: the 48,000 sections of a 20 MB report took
50 seconds to list. These tables are plain columns padded to their width in
terminal cells and written straight to the console's file. On a terminal each
cell gets its style as ANSI codes and a line is cut at the terminal's width
(ending in …); anywhere else lines are whole and plain, for grep and pipes.
Report text goes through ``strip_control`` and never through markup.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from rich.cells import cell_len, set_cell_size
from rich.color import ColorSystem
from rich.console import Console
from rich.style import Style

from briefing.cli.lines import cell_width
from briefing.text import strip_control

Cell = str | tuple[str, str]  # text, or (text, Rich style)
GAP = "  "
_COLOR_SYSTEMS = {
    "standard": ColorSystem.STANDARD,
    "256": ColorSystem.EIGHT_BIT,
    "truecolor": ColorSystem.TRUECOLOR,
    "windows": ColorSystem.WINDOWS,
}
_CHUNK = 2000  # lines written at once


def _cell(cell: Cell) -> tuple[str, str, int]:
    """The cell's safe text, its style and its width in cells."""
    text, style = (cell, "") if isinstance(cell, str) else cell
    if not text.isprintable():  # printable text has no control, tab or line break
        text = strip_control(text).replace("\n", " ").replace("\t", " ")
    return text, style, cell_width(text)


def print_table(
    console: Console,
    header: Sequence[str],
    rows: Iterable[Sequence[Cell]],
    *,
    right: Iterable[int] = (),
) -> None:
    """Print ``rows`` under a bold ``header``; columns in ``right`` are right-aligned."""
    table = [[_cell((name, "bold")) for name in header], *([_cell(c) for c in row] for row in rows)]
    count = len(header)
    widths = [max(row[i][2] for row in table) for i in range(count)]
    right_set = set(right)
    styled = console.is_terminal and console.color_system is not None
    system = _COLOR_SYSTEMS.get(console.color_system or "", ColorSystem.STANDARD)
    limit = console.width if console.is_terminal else None
    styles: dict[str, Style] = {}
    lines: list[str] = []
    for row in table:
        parts: list[tuple[str, str]] = []
        for i, (text, style, width) in enumerate(row):
            pad = " " * (widths[i] - width)
            if i in right_set:
                parts += [(pad, ""), (text, style)]
            elif i == count - 1:
                parts.append((text, style))
            else:
                parts += [(text, style), (pad, "")]
            if i < count - 1:
                parts.append((GAP, ""))
        if limit is not None:
            parts = _crop(parts, limit)
        if styled:
            line = "".join(
                styles.setdefault(style, Style.parse(style)).render(text, color_system=system)
                if style
                else text
                for text, style in parts
            )
        else:
            line = "".join(text for text, _ in parts)
        lines.append(line.rstrip(" ") + "\n")
        if len(lines) >= _CHUNK:
            console.file.write("".join(lines))
            lines.clear()
    console.file.write("".join(lines))
    console.file.flush()


def _crop(parts: list[tuple[str, str]], limit: int) -> list[tuple[str, str]]:
    """The parts of a line that fit in ``limit`` cells, the last cut short with …."""
    total = sum(cell_len(text) for text, _ in parts)
    if total <= limit:
        return parts
    kept: list[tuple[str, str]] = []
    room = limit - 1  # one cell for the ellipsis
    for text, style in parts:
        width = cell_len(text)
        if width <= room:
            kept.append((text, style))
            room -= width
            continue
        if room > 0:
            kept.append((set_cell_size(text, room).rstrip(" "), style))
        break
    kept.append(("…", ""))
    return kept
