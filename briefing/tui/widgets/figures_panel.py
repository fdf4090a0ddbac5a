"""FiguresPanel: the key figures of the section (or the whole report)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from briefing.model import Figure, Report

KIND_NAMES = {
    "percent": "比例",
    "count": "数量",
    "score": "得分",
    "duration": "时长",
    "rate": "速率",
    "magnitude": "级别",
    "rank": "排名",
    "date": "日期",
}


def figure_row(figure: Figure, report: Report, *, with_section: bool) -> Text:
    """One list row: the figure, its kind and value (plain text, no markup)."""
    row = Text(no_wrap=True, overflow="ellipsis")
    row.append(figure.text, style="bold")
    row.append(f"  {KIND_NAMES.get(figure.kind, figure.kind)}", style="dim")
    if figure.value is not None and figure.kind != "date":
        value = f"{figure.value:,.10g}"
        row.append(f" {'≈' if figure.approx else '='}{value}", style="dim")
    if with_section:
        row.append(f"  §{figure.section}", style="dim italic")
    return row


class FiguresPanel(Vertical):
    """Lists figures; selecting one asks the screen to jump to it."""

    DEFAULT_CSS = """
    FiguresPanel {
        dock: right;
        width: 34;
        display: none;
        background: $surface;
        border-left: vkey $foreground 20%;
    }
    FiguresPanel.-open { display: block; }
    FiguresPanel #figures-title { height: 1; padding: 0 1; color: $primary; text-style: bold; }
    FiguresPanel OptionList, FiguresPanel OptionList:focus {
        border: none; height: 1fr; background: $surface;
    }
    """

    BINDINGS = [
        Binding("a", "toggle_scope", "Section/all", id="figures.scope"),
        Binding("escape", "close", "Close", id="figures.close"),
    ]

    class FigureChosen(Message):
        def __init__(self, figure: Figure) -> None:
            self.figure = figure
            super().__init__()

    class Closed(Message):
        """The panel was closed from inside."""

    def __init__(self, report: Report, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.report = report
        self.all_figures: list[Figure] = []
        self.section_id = ""
        self.show_all = False
        self._shown: list[Figure] = []

    def compose(self) -> ComposeResult:
        yield Static("", id="figures-title")
        yield OptionList(id="figures-list")

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

    def action_close(self) -> None:
        self.post_message(self.Closed())

    def _refill(self) -> None:
        if self.show_all:
            shown = self.all_figures
            title = f"全文数字 {len(shown)}  (a: 本节)"
        else:
            shown = [f for f in self.all_figures if f.section == self.section_id]
            title = f"本节数字 {len(shown)}  (a: 全文)"
        self._shown = shown
        self.query_one("#figures-title", Static).update(Text(title))
        option_list = self.query_one("#figures-list", OptionList)
        option_list.clear_options()
        option_list.add_options(
            [Option(figure_row(f, self.report, with_section=self.show_all)) for f in shown]
        )

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if 0 <= event.option_index < len(self._shown):
            self.post_message(self.FigureChosen(self._shown[event.option_index]))
