"""SearchBar: the search-as-you-type input, the hit counter and the results list."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option


class SearchBar(Vertical):
    """A docked bar: results above, then ``/`` input and ``3/17`` counter."""

    DEFAULT_CSS = """
    SearchBar {
        dock: bottom;
        height: auto;
        max-height: 50%;
        display: none;
        background: $panel;
        border-top: hkey $primary;
    }
    SearchBar.-open { display: block; }
    SearchBar #search-results, SearchBar #search-results:focus {
        height: auto;
        max-height: 10;
        border: none;
        background: $panel;
    }
    SearchBar #search-results.-empty { display: none; }
    SearchBar Horizontal { height: 1; }
    SearchBar #search-prompt { width: 2; color: $accent; text-style: bold; }
    SearchBar Input, SearchBar Input:focus {
        border: none;
        height: 1;
        padding: 0;
        width: 1fr;
        background: $panel;
    }
    SearchBar #search-count { width: auto; min-width: 12; color: $text-muted; padding: 0 1; }
    """

    BINDINGS = [
        Binding("escape", "close", "Close search", id="search.close"),
        Binding("down", "results_down", "Next result", show=False, id="search.results_down"),
        Binding("up", "results_up", "Previous result", show=False, id="search.results_up"),
    ]

    class QueryChanged(Message):
        """The text in the search input changed."""

        def __init__(self, query: str) -> None:
            self.query = query
            super().__init__()

    class Submitted(Message):
        """Enter: jump to the hit highlighted in the results (or the first)."""

        def __init__(self, hit_index: int | None) -> None:
            self.hit_index = hit_index
            super().__init__()

    class Closed(Message):
        """Esc: the bar closed; ``keep_hits`` is False when the search is abandoned."""

        def __init__(self, keep_hits: bool) -> None:
            self.keep_hits = keep_hits
            super().__init__()

    class ResultChosen(Message):
        """A result was picked in the list (click or Enter on it)."""

        def __init__(self, hit_index: int) -> None:
            self.hit_index = hit_index
            super().__init__()

    def compose(self) -> ComposeResult:
        yield OptionList(id="search-results", classes="-empty")
        with Horizontal():
            yield Static("/", id="search-prompt")
            yield Input(placeholder="拼音或汉字: fzzf, fazhi, 法治…", id="search-input")
            yield Static("", id="search-count")

    @property
    def input(self) -> Input:
        return self.query_one("#search-input", Input)

    @property
    def results(self) -> OptionList:
        return self.query_one("#search-results", OptionList)

    @property
    def is_open(self) -> bool:
        return self.has_class("-open")

    def open(self) -> None:
        self.add_class("-open")
        self.input.focus()
        if self.input.value:
            self.input.action_select_all()

    def action_close(self) -> None:
        self.remove_class("-open")
        self.post_message(self.Closed(keep_hits=False))

    def close_keeping_hits(self) -> None:
        self.remove_class("-open")
        self.post_message(self.Closed(keep_hits=True))

    def set_status(self, status: str) -> None:
        self.query_one("#search-count", Static).update(Text(status))

    def set_results(self, rows: list[Text]) -> None:
        """Replace the results list; each row is plain ``Text`` (never markup)."""
        results = self.results
        results.clear_options()
        results.add_options([Option(row) for row in rows])
        results.set_class(not rows, "-empty")
        if rows:
            results.highlighted = 0

    def highlight_result(self, index: int) -> None:
        results = self.results
        if 0 <= index < results.option_count:
            results.highlighted = index

    def action_results_down(self) -> None:
        self.results.action_cursor_down()

    def action_results_up(self) -> None:
        self.results.action_cursor_up()

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.post_message(self.QueryChanged(event.value))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        highlighted = self.results.highlighted if self.results.option_count else None
        self.post_message(self.Submitted(highlighted))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.post_message(self.ResultChosen(event.option_index))
