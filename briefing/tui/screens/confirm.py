"""ConfirmScreen: a yes/no question, answered with y/n, Enter/Esc or the mouse."""

from __future__ import annotations

from dataclasses import replace

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Static

from briefing.i18n import N_, _
from briefing.tui.screens.dialog import Dialog
from briefing.tui.widgets.footer import LocalFooter


class ConfirmScreen(Dialog[bool]):
    """Asks ``question``; ``True`` for yes. The safe answer has the focus."""

    DEFAULT_CSS = """
    ConfirmScreen { align: center middle; }
    ConfirmScreen > Vertical {
        width: 60; max-width: 90%; height: auto;
        background: $panel; border: round $error; padding: 1 2;
    }
    ConfirmScreen Horizontal { height: auto; align-horizontal: right; margin-top: 1; }
    ConfirmScreen Button { margin-left: 1; }
    """

    AUTO_FOCUS = "#no"
    BINDINGS = [
        Binding("y", "answer(True)", N_("Yes"), id="confirm.yes"),
        Binding("n,escape", "answer(False)", N_("No"), id="confirm.no"),
    ]

    def __init__(
        self, question: str, *, yes_label: str | None = None, no_label: str | None = None
    ) -> None:
        super().__init__()
        self.question = question
        self.yes_label = yes_label or _("Delete y")
        self.no_label = no_label or _("Cancel n")
        # The footer says what the buttons say ("y Discard", not "y Yes").
        self._bindings = self._bindings.copy()
        keys = self._bindings.key_to_bindings
        for key, label in (("y", self.yes_label), ("n", self.no_label), ("escape", self.no_label)):
            word = _button_word(label, "n" if key == "escape" else key)
            keys[key] = [replace(binding, description=word) for binding in keys.get(key, [])]

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(self.question))
            with Horizontal():
                yield Button(self.yes_label, variant="error", id="yes")
                yield Button(self.no_label, id="no")
        yield LocalFooter()  # y / n, not the keys of the screen under it

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "yes")


def _button_word(label: str, key: str) -> str:
    """``Discard`` of the button label ``Discard y`` (its key said by the footer)."""
    word = label.removesuffix(f" {key}").strip()
    return word or label
