"""ExportScreen: ask where to write the Markdown export (a sensible default).

The dialog does the writing itself (through the function it is given) so
that a failure — a folder that does not exist, a folder given as the file, a
read-only place — is shown in the dialog, which stays open with the path to
correct. An existing file is only replaced after the user says so.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Static

from briefing.i18n import N_, _
from briefing.tui.screens.dialog import Dialog
from briefing.tui.widgets.footer import LocalFooter

# path -> the message to show once written; raises on failure
ExportFunction = Callable[[Path], str]


class ExportScreen(Dialog[str | None]):
    """Returns the success message once written, or ``None`` when cancelled."""

    DEFAULT_CSS = """
    ExportScreen { align: center middle; }
    ExportScreen > Vertical {
        width: 80; max-width: 95%; height: auto;
        background: $panel; border: round $primary; padding: 0 1;
    }
    ExportScreen #export-heading { color: $primary; text-style: bold; }
    ExportScreen #export-hint { color: $text-muted; }
    ExportScreen #export-error { color: $text-error; display: none; }
    ExportScreen #export-error.-shown { display: block; }
    """

    AUTO_FOCUS = "#export-path"
    BINDINGS = [Binding("escape", "cancel", N_("Cancel"), id="export.cancel")]

    def __init__(self, default_path: str, summary: str, export: ExportFunction) -> None:
        super().__init__()
        self.default_path = default_path
        self.summary = summary
        self.export = export

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(_("Export notes to Markdown")), id="export-heading")
            yield Static(Text(self.summary), id="export-hint")
            yield Input(self.default_path, id="export-path")
            yield Static("", id="export-error")
            yield Static(Text(_("Enter export · Esc cancel")), id="export-keys")
        yield LocalFooter()  # the reader's footer under it offered keys that type here

    def refresh_language(self) -> None:
        """The heading and keys in the language now in use."""
        self.query_one("#export-heading", Static).update(Text(_("Export notes to Markdown")))
        self.query_one("#export-keys", Static).update(Text(_("Enter export · Esc cancel")))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        value = event.value.strip()
        if not value:
            self.show_error(_("Type the path of a file"))
            return
        from briefing.paths import expand_user_as_typed  # Path.expanduser raises on ~nosuchuser

        target = expand_user_as_typed(value)
        if target.is_file():
            from briefing.tui.screens.confirm import ConfirmScreen

            def answer(yes: bool | None) -> None:
                if yes:
                    self.write(target)

            question = _("The file exists. Replace it?") + f"\n\n{target}"
            self.app.push_screen(ConfirmScreen(question, yes_label=_("Replace y")), answer)
            return
        self.write(target)

    def write(self, target: Path) -> None:
        """Write the export; on failure say why and stay open."""
        try:
            message = self.export(target)
        except Exception as error:
            from briefing.tui.errors import describe

            self.show_error(_("Export failed: {error}").format(error=describe(error)))
            self.app.report_error(error, "export", shown_in_place=True)  # type: ignore[attr-defined]
            return
        self.dismiss(message)

    def show_error(self, message: str) -> None:
        error = self.query_one("#export-error", Static)
        error.update(Text(message))
        error.add_class("-shown")
        self.query_one(Input).focus()

    def action_cancel(self) -> None:
        self.dismiss(None)
