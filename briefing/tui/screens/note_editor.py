"""NoteEditor: a modal, multi-line editor for a note on a quoted passage."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static, TextArea

QUOTE_CHARS = 240  # the editor shows the start of a long passage


def shorten(text: str, limit: int) -> str:
    """At most ``limit`` characters, with an ellipsis when cut."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


class NoteEditor(ModalScreen[str | None]):
    """Returns the note text on save, ``None`` on cancel."""

    DEFAULT_CSS = """
    NoteEditor { align: center middle; }
    NoteEditor > Vertical {
        width: 90%;
        max-width: 100;
        height: auto;
        max-height: 90%;
        background: $panel;
        border: round $primary;
        padding: 0 1;
    }
    NoteEditor #note-heading { color: $primary; text-style: bold; height: 1; }
    NoteEditor #note-quote {
        color: $text-muted;
        border-left: outer $accent;
        padding-left: 1;
        max-height: 6;
        margin-bottom: 1;
    }
    NoteEditor TextArea { height: 10; min-height: 4; }
    NoteEditor Horizontal { height: auto; align-horizontal: right; margin-top: 1; }
    NoteEditor Button { margin-left: 1; min-width: 10; }
    """

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", priority=True, id="note.save"),
        Binding("escape", "cancel", "Cancel", id="note.cancel"),
    ]

    def __init__(self, heading: str, quote: str, text: str = "") -> None:
        super().__init__()
        self.heading = heading
        self.quote = quote
        self.initial_text = text

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(self.heading), id="note-heading")
            yield Static(Text(shorten(self.quote, QUOTE_CHARS)), id="note-quote")
            yield TextArea(self.initial_text, id="note-text", soft_wrap=True, tab_behavior="indent")
            with Horizontal():
                yield Button("保存 ctrl+s", variant="primary", id="note-save")
                yield Button("取消 esc", id="note-cancel")

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        area.focus()
        area.move_cursor(area.document.end)

    def action_save(self) -> None:
        text = self.query_one(TextArea).text
        self.dismiss(text if text.strip() else None)

    def action_cancel(self) -> None:
        self.dismiss(None)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "note-save":
            self.action_save()
        else:
            self.action_cancel()
