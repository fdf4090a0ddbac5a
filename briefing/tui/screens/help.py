"""HelpScreen: the keys, built from the live bindings (so a keymap shows up)."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from briefing.i18n import N_, _
from briefing.text import cell_width
from briefing.tui.screens.dialog import Dialog
from briefing.tui.widgets.footer import LocalFooter

KEY_CELLS_MAX = 16  # a longer key (a keymap's) is cut rather than push the words off


class HelpScreen(Dialog[None]):
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll {
        width: 76; max-width: 95%; height: 90%;
        background: $panel; border: round $primary; padding: 0 1;
    }
    """

    BINDINGS = [Binding("escape,q,question_mark", "dismiss", N_("Close"), id="help.close")]

    def __init__(self, sections: list[tuple[str, list[tuple[str, str]]]]) -> None:
        super().__init__()
        self.sections = sections

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(Text(_("briefing — keys"), style="bold"))
            # One width for the keys of every section: each table sized its own
            # (spread over the row), and the descriptions stood at a different
            # column in each section.
            keys = [cell_width(key) for _title, rows in self.sections for key, _said in rows]
            key_cells = min(max(keys, default=6), KEY_CELLS_MAX)
            for title, rows in self.sections:
                table = Table(box=None, show_header=False, pad_edge=False, expand=True)
                table.add_column(style="bold", no_wrap=True, width=key_cells)
                table.add_column(ratio=1)
                for key, description in rows:
                    table.add_row(Text(key), Text(description))
                yield Static(Text("\n" + title, style="underline"))
                yield Static(table)
            yield Static(
                Text(
                    "\n" + _("ctrl+p opens the command palette: every action is there."),
                    style="dim",
                )
            )
        yield LocalFooter()  # "q Quit" under it was wrong: q closes the help

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(None)


def describe_bindings(
    groups: list[tuple[str, list[Binding]]], key_display
) -> list[tuple[str, list[tuple[str, str]]]]:
    """Turn binding lists into (title, [(keys, description)]) for the help screen,
    descriptions in the language in use (bindings carry the English id)."""
    sections = []
    for title, bindings in groups:
        rows = []
        for binding in bindings:
            # Textual's own bindings (Scroll Left, Page Right …) carry no id and
            # mean nothing in the reader; every binding of ours has one.
            if not binding.description or not binding.id:
                continue
            rows.append((key_display(binding), _(binding.description)))
        if rows:
            sections.append((title, rows))
    return sections
