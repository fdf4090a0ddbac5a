"""FiguresPanel: the key figures of the section (or the whole report)."""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from briefing.i18n import N_, _
from briefing.model import Figure, Report
from briefing.tui.places import place_of
from briefing.tui.widgets.side_panel import SidePanel

# Translated where drawn (``_``): the language may change while the reader runs.
KIND_NAMES = {
    "percent": N_("percent"),
    "count": N_("count"),
    "score": N_("score"),
    "duration": N_("duration"),
    "rate": N_("rate"),
    "magnitude": N_("magnitude"),
    "rank": N_("rank"),
    "date": N_("date"),
    "ratio": N_("ratio"),
}


def figure_row(figure: Figure, report: Report, *, with_section: bool) -> Text:
    """One list row: the figure, its kind and value (plain text, no markup)."""
    row = Text(no_wrap=True, overflow="ellipsis")
    row.append(figure.text, style="bold")
    row.append(f"  {_(KIND_NAMES.get(figure.kind, figure.kind))}", style="dim")
    if figure.value is not None and figure.is_metric:
        value = f"{figure.value:,.10g}"
        row.append(f" {'≈' if figure.approx else '='}{value}", style="dim")
    if with_section:
        row.append(f"  {place_of(report, figure.section)}", style="dim italic")
    return row


class FiguresPanel(SidePanel):
    """Lists figures; selecting one asks the screen to jump to it."""

    DEFAULT_CSS = """
    FiguresPanel { width: 34; }
    FiguresPanel > OptionList { text-wrap: nowrap; text-overflow: ellipsis; }
    """

    BINDINGS = [
        Binding("a", "toggle_scope", N_("Section/all"), id="figures.scope"),
        Binding("escape", "close", N_("Close"), id="figures.close"),
    ]

    class FigureChosen(Message):
        def __init__(self, figure: Figure) -> None:
            self.figure = figure
            super().__init__()

    def __init__(self, report: Report, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.report = report
        self.all_figures: list[Figure] = []
        self.section_id = ""
        self.show_all = False
        self._shown: list[Figure] = []

    def set_figures(self, figures: list[Figure]) -> None:
        self.all_figures = figures
        self._refill()

    def set_section(self, section_id: str) -> None:
        if section_id != self.section_id:
            self.section_id = section_id
            if not self.show_all:
                self._refill()

    def action_toggle_scope(self) -> None:
        self.show_all = not self.show_all
        self._refill()

    def _refill(self) -> None:
        if self.show_all:
            shown = self.all_figures
            title, keys = _("Figures in the report {count}"), _("a: this section")
        else:
            shown = [f for f in self.all_figures if f.section == self.section_id]
            title, keys = _("Figures in this section {count}"), _("a: all")
        self._shown = shown
        self.set_title(title.format(count=len(shown)), keys=keys)
        option_list = self.option_list
        option_list.clear_options()
        option_list.add_options(
            [Option(figure_row(f, self.report, with_section=self.show_all)) for f in shown]
        )
        if not shown:
            empty = _("No figures in the report") if self.show_all else _("No figures here")
            option_list.add_option(Option(Text(empty, style="dim italic"), disabled=True))

    def refresh_language(self) -> None:
        """Redraw the title and the rows in the language now in use."""
        self._refill()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if 0 <= event.option_index < len(self._shown):
            self.post_message(self.FigureChosen(self._shown[event.option_index]))
