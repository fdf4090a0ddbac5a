"""SidePanel: a titled list docked on the right, opened and closed by the screen."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import OptionList, Static


class SidePanel(Vertical):
    """A title line over an ``OptionList``; hidden until the ``-open`` class is set."""

    DEFAULT_CSS = """
    SidePanel {
        dock: right;
        width: 36;
        max-width: 45%;
        display: none;
        background: $surface;
        border-left: vkey $foreground 20%;
    }
    SidePanel.-open { display: block; }
    SidePanel > .panel-title { height: 1; padding: 0 1; color: $primary; text-style: bold; }
    SidePanel > OptionList, SidePanel > OptionList:focus {
        border: none;
        height: 1fr;
        background: $surface;
    }
    """

    class Closed(Message):
        """Esc inside the panel: the screen hides it and returns to the page."""

    def compose(self) -> ComposeResult:
        yield Static("", classes="panel-title")
        yield OptionList()

    @property
    def option_list(self) -> OptionList:
        return self.query_one(OptionList)

    def set_title(self, title: str) -> None:
        self.query_one(".panel-title", Static).update(Text(title))

    def action_close(self) -> None:
        self.post_message(self.Closed())
