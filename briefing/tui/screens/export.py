"""ExportScreen: ask where to write the Markdown export (a sensible default)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static


class ExportScreen(ModalScreen[str | None]):
    """Returns the chosen path, or ``None`` when cancelled."""

    DEFAULT_CSS = """
    ExportScreen { align: center middle; }
    ExportScreen > Vertical {
        width: 80; max-width: 95%; height: auto;
        background: $panel; border: round $primary; padding: 0 1;
    }
    ExportScreen #export-heading { color: $primary; text-style: bold; }
    ExportScreen #export-hint { color: $text-muted; }
    """

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="export.cancel")]

    def __init__(self, default_path: str, summary: str) -> None:
        super().__init__()
        self.default_path = default_path
        self.summary = summary

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text("导出笔记为 Markdown"), id="export-heading")
            yield Static(Text(self.summary), id="export-hint")
            yield Input(self.default_path, id="export-path")
            yield Static(Text("Enter 导出 · Esc 取消"), id="export-keys")

    def on_mount(self) -> None:
        path_input = self.query_one(Input)
        path_input.focus()
        path_input.cursor_position = len(path_input.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        value = event.value.strip()
        self.dismiss(value or None)

    def action_cancel(self) -> None:
        self.dismiss(None)
