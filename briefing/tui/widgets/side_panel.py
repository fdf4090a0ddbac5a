"""SidePanel: a titled list docked on the right, opened and closed by the screen."""

from __future__ import annotations

from typing import Any

from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import OptionList, Static

from briefing.i18n import N_


class PanelList(OptionList):
    """An ``OptionList`` with the reader's keys (j/k, g/G) that pages safely.

    Textual's page keys look up the highlighted row's screen line, which is
    not known before the list has been laid out (a panel just opened in a
    burst of keys, or squeezed to no height): then it moves by ten rows.
    """

    BINDINGS = [
        Binding("j", "cursor_down", N_("Down"), show=False, id="panel.down"),
        Binding("k", "cursor_up", N_("Up"), show=False, id="panel.up"),
        Binding("g", "first", N_("First"), show=False, id="panel.first"),
        Binding("G", "last", N_("Last"), show=False, id="panel.last"),
    ]

    def _move_page(self, direction: Any) -> None:
        try:
            super()._move_page(direction)
        except (KeyError, IndexError):
            count = self.option_count
            if count:
                current = self.highlighted or 0
                self.highlighted = max(0, min(count - 1, current + 10 * int(direction)))


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
    SidePanel > .panel-title { height: auto; padding: 0 1; color: $primary; text-style: bold; }
    SidePanel > OptionList, SidePanel > OptionList:focus {
        border: none;
        height: 1fr;
        background: $surface;
    }
    """

    class Closed(Message):
        """Esc inside the panel: the screen hides it and returns to the page."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        # Made here, not looked up: the screen may fill the panel before it is mounted.
        self._title = Static("", classes="panel-title")
        self._list = PanelList()
        self._title_parts = ("", "", "")  # title, hint, keys (set_title)

    def compose(self) -> ComposeResult:
        yield self._title
        yield self._list

    @property
    def option_list(self) -> OptionList:
        return self._list

    def set_title(self, title: str, hint: str = "", keys: str = "") -> None:
        """The title, and under it a ``hint`` that wraps (the rows are one line each).

        ``keys`` (``a: all``) follows the title on its line when both fit, else it
        has a line of its own: never split in two (``(a:`` / ``all)``)."""
        self._title_parts = (title, hint, keys)
        self._show_title()

    def _show_title(self) -> None:
        title, hint, keys = self._title_parts
        text = Text(title)
        if keys:
            width = self._title.content_region.width or self.size.width - 2
            keys_shown = f"({keys})"
            head, _, last = title.rpartition(" ")
            if width <= 0 or cell_len(title) + 2 + cell_len(keys_shown) <= width:
                text.append("  ")
            elif (
                head
                and cell_len(title) > width
                and cell_len(last) + 2 + cell_len(keys_shown) <= width
            ):
                # the title's last word (its count) would stand alone: it goes with the keys
                text = Text(f"{head}\n{last}  ")
            else:
                text.append("\n")
            text.append(keys_shown, style="not bold")
        if hint:
            text.append("\n" + hint, style="not bold dim italic")
        self._title.update(text)

    def on_resize(self) -> None:
        if self._title_parts[2]:  # whether the keys fit beside the title depends on the width
            self._show_title()

    def action_close(self) -> None:
        self.post_message(self.Closed())
