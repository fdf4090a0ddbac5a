"""ConfirmScreen: a yes/no question, answered with y/n, Enter/Esc or the mouse."""

from __future__ import annotations

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
