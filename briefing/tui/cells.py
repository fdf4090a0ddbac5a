"""Cutting styled rows to a width measured as the terminal draws them.

``Text.truncate`` measures with rich's table, where East Asian *ambiguous*
characters (… · ★ “ ”) are one cell. In a CJK locale the terminal draws them two
cells wide (``briefing.text.ambiguous_width``), so a label rich cut to fit ran
past its column. Every row the reader cuts goes through ``fit_text`` instead,
which measures with the project's width helper, as ``truncate_cells`` does.
"""

from __future__ import annotations

from rich.text import Text

from briefing.text import cell_width, fitting_prefix


def fit_text(text: Text, cells: int, *, pad: bool = False) -> Text:
    """``text`` (styles kept) in at most ``cells`` cells, ending in "…" when cut;
    with ``pad``, spaces fill it to exactly ``cells``."""
    cells = max(cells, 0)
    plain = text.plain
    used = cell_width(plain)
    if used <= cells:
        if pad and used < cells:
            text = text.copy()
            text.append(" " * (cells - used))
        return text
    ellipsis = cell_width("…")
    mark = "…" if cells >= ellipsis else ""
    room = cells - cell_width(mark)
    kept = text[: fitting_prefix(plain, room)]
    kept.end = text.end
    kept.no_wrap = text.no_wrap
    kept.overflow = text.overflow
    kept.append(mark)
    if pad:  # after the "…", which stays next to the word it cuts
        kept.append(" " * (cells - cell_width(kept.plain)))
    return kept


def fit_cells(text: str, cells: int, *, pad: bool = False) -> Text:
    """``fit_text`` for plain text, as a one-line ``Text``."""
    return fit_text(Text(text, end="", no_wrap=True), cells, pad=pad)
