"""NoteEditor: a modal, multi-line editor for a note on a quoted passage.

Typed text is never lost: the save runs in a worker (a locked database must
not freeze the screen) and the editor closes only once the note is on disk;
on failure it stays open with the text and says why. Esc with unsaved text
asks before throwing it away.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Static, TextArea

from briefing.i18n import N_, _
from briefing.tui.screens.dialog import Dialog
from briefing.tui.widgets.footer import LocalFooter
from briefing.tui.widgets.quote import Quote

# text -> None; raises (StoreError …) when the note could not be saved
SaveFunction = Callable[[str], object]


class NoteEditor(Dialog[str | None]):
    """Returns the saved note text, or ``None`` when cancelled."""

    DEFAULT_CSS = """
    NoteEditor { align: center middle; }
    NoteEditor > Vertical {
        width: 90%;
        max-width: 100;
        height: auto;
        max-height: 100%;
        background: $panel;
        border: round $primary;
        padding: 0 1;
    }
    NoteEditor #note-heading { color: $primary; text-style: bold; height: 1; }
    NoteEditor Quote {
        color: $text-muted;
        border-left: outer $accent;
        padding-left: 1;
        margin-bottom: 1;
    }
    NoteEditor TextArea { height: 10; min-height: 3; }
    NoteEditor #note-status { height: auto; color: $text-error; display: none; }
    NoteEditor #note-status.-shown { display: block; }
    NoteEditor #note-status.-busy { color: $text-muted; }
    NoteEditor Horizontal { height: auto; align-horizontal: right; }
    NoteEditor Button { margin-left: 2; min-width: 12; }
    NoteEditor.-small TextArea { height: 1fr; }
    NoteEditor.-small Quote { margin-bottom: 0; }
    """

    AUTO_FOCUS = "#note-text"
    BINDINGS = [
        Binding("ctrl+s", "save", N_("Save"), priority=True, id="note.save"),
        Binding("escape", "cancel", N_("Cancel"), priority=True, id="note.cancel"),
    ]

    def __init__(
        self,
        heading: str,
        quote: str,
        text: str = "",
        *,
        save: SaveFunction | None = None,
        keep_together: Sequence[tuple[int, int]] = (),
    ) -> None:
        super().__init__()
        self.heading = heading
        self.quote = quote
        self.initial_text = text
        self.save_function = save
        self.keep_together = keep_together
        self.saving = False

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(self.heading), id="note-heading")
            yield Quote(self.quote, max_lines=4, keep_together=self.keep_together, id="note-quote")
            yield TextArea(self.initial_text, id="note-text", soft_wrap=True, tab_behavior="indent")
            yield Static("", id="note-status")
            with Horizontal():
                yield Button(_("Save ctrl+s"), variant="primary", id="note-save", compact=True)
                yield Button(_("Cancel esc"), id="note-cancel", compact=True)
        yield LocalFooter()

    def refresh_language(self) -> None:
        """The buttons in the language now in use (the palette can switch it here)."""
        self.query_one("#note-save", Button).label = _("Save ctrl+s")
        self.query_one("#note-cancel", Button).label = _("Cancel esc")

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        area.move_cursor(area.document.end)

    def on_resize(self) -> None:
        self.set_class(self.size.height < 26, "-small")
        if self.size.height < 26:
            self.query_one(Quote).max_lines = 2 if self.size.height < 22 else 3
            self.query_one(Quote).refresh(layout=True)

    @property
    def text(self) -> str:
        return self.query_one(TextArea).text

    @property
    def dirty(self) -> bool:
        return self.text != self.initial_text

    def action_save(self) -> None:
        if self.saving:
            return
        text = self.text
        if not text.strip():
            self._status(_("The note is empty: write something to save, or press Esc to cancel"))
            return
        if self.save_function is None:
            self.dismiss(text)
            return
        self.saving = True
        self.query_one(TextArea).read_only = True  # what is saved is what is shown
        self._status(_("Saving…"), busy=True)
        self._save(text)

    @work(thread=True, group="note-save")
    def _save(self, text: str) -> None:
        """Write in a thread: a locked database waits here, not on the screen."""
        assert self.save_function is not None
        try:
            self.save_function(text)
        except Exception as error:
            self.app.call_from_thread(self._save_failed, error)
            return
        self.app.call_from_thread(self._saved, text)

    def _saved(self, text: str) -> None:
        self.saving = False
        if self.is_attached and self.is_active:
            self.dismiss(text)

    def _save_failed(self, error: Exception) -> None:
        from briefing.tui.errors import describe

        self.saving = False
        self.query_one(TextArea).read_only = False
        message = _("Not saved: {error} — your text is still here; press ctrl+s to try again")
        self._status(message.format(error=describe(error)))
        self.app.report_error(error, "note save", shown_in_place=True)  # type: ignore[attr-defined]

    def _status(self, message: str, *, busy: bool = False) -> None:
        status = self.query_one("#note-status", Static)
        status.update(Text(message))
        status.set_class(bool(message), "-shown")
        status.set_class(busy, "-busy")

    def action_cancel(self) -> None:
        if self.saving:
            self._status(_("Saving… please wait"), busy=True)
            return
        if not self.dirty:
            self.dismiss(None)
            return
        from briefing.tui.screens.confirm import ConfirmScreen

        def answer(discard: bool | None) -> None:
            if discard:
                self.dismiss(None)
            else:
                self.query_one(TextArea).focus()

        question = _("Throw away the unsaved note?")
        self.app.push_screen(
            ConfirmScreen(question, yes_label=_("Discard y"), no_label=_("Keep editing n")), answer
        )

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "note-save":
            self.action_save()
        else:
            self.action_cancel()
