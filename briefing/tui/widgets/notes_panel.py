"""NotesPanel: the report's bookmarks and notes; open, edit, delete, jump."""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option

from briefing.i18n import N_, _
from briefing.model import Bookmark, Note, Report
from briefing.text import strip_control, truncate_cells
from briefing.tui.places import place_of
from briefing.tui.widgets.side_panel import SidePanel


def _one_line(text: str, limit: int = 60) -> str:
    flat = " ".join(strip_control(text).split())
    return truncate_cells(flat, limit)


class NotesPanel(SidePanel):
    """Bookmarks first, then notes in document order, orphans last."""

    DEFAULT_CSS = """
    NotesPanel { width: 40; }
    /* a note is two lines (its text, its quote), each cut with its "…": wrapped,
       their ends ran on at the left edge, under the ✎ */
    NotesPanel > OptionList { text-wrap: nowrap; text-overflow: ellipsis; }
    NotesPanel > .notes-filter { display: none; border: none; height: 1; padding: 0 1; }
    NotesPanel > .notes-filter.-shown { display: block; }
    """

    BINDINGS = [
        Binding("enter", "open_item", N_("Go to"), show=False, id="notes.open"),
        Binding("e", "edit", N_("Edit"), id="notes.edit"),
        Binding("d,delete", "delete", N_("Delete"), id="notes.delete"),
        Binding("slash", "find", N_("Find in notes"), id="notes.find"),
        Binding("escape", "close", N_("Close"), id="notes.close"),
    ]

    class Jump(Message):
        def __init__(self, section_id: str, start: int) -> None:
            self.section_id = section_id
            self.start = start
            super().__init__()

    class EditNote(Message):
        def __init__(self, note: Note) -> None:
            self.note = note
            super().__init__()

    class DeleteItem(Message):
        def __init__(self, item: Note | Bookmark) -> None:
            self.item = item
            super().__init__()

    def __init__(self, report: Report, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.report = report
        self._rows: list[Note | Bookmark | None] = []
        self._items: tuple[list[Bookmark], list[Note]] = ([], [])
        # "/" finds in the notes' texts and bookmarks' titles (pinyin too): the
        # rows shown are those that match, best first; Esc shows them all again.
        self._filter = Input(classes="notes-filter")
        self._query = ""

    def compose(self) -> ComposeResult:
        yield self._title
        yield self._filter
        yield self._list

    def set_items(self, bookmarks: list[Bookmark], notes: list[Note]) -> None:
        """Show these bookmarks and notes (those matching the query being typed, if any)."""
        self._items = (bookmarks, notes)
        if self._query:
            self._find(self._query)
        else:
            self._show(bookmarks, notes)

    def _show(self, bookmarks: list[Bookmark], notes: list[Note]) -> None:
        option_list = self.option_list
        keep = option_list.highlighted
        option_list.clear_options()
        rows: list[Note | Bookmark | None] = []
        options: list[Option] = []
        for heading, items in ((_("Bookmarks"), bookmarks), (_("Notes"), notes)):
            if not items:
                continue
            options.append(Option(Text(heading, style="bold"), disabled=True))
            rows.append(None)
            for item in items:
                row = self._note_row(item) if isinstance(item, Note) else self._bookmark_row(item)
                options.append(Option(row))
                rows.append(item)
        self._rows = rows
        if not options and self._query:
            options.append(Option(Text(_("No notes match"), style="dim italic"), disabled=True))
            rows.append(None)
        hint = ""
        if not options and not self._query:  # said under the title, where it wraps
            hint = _("No bookmarks or notes yet: b bookmarks a section, a adds a note")
        option_list.add_options(options)
        title = _("Bookmarks {bookmarks} · Notes {notes}")
        every = self._items
        self.set_title(title.format(bookmarks=len(every[0]), notes=len(every[1])), hint)
        selectable = [i for i, row in enumerate(rows) if row is not None]
        if selectable:
            wanted = keep if keep is not None else selectable[0]
            option_list.highlighted = min(selectable, key=lambda i: (abs(i - wanted), i))

    def _section_label(self, section_id: str) -> str:
        if self.report.has_section(section_id):
            return self.report.section(section_id).label
        return place_of(self.report, section_id)

    def _bookmark_row(self, bookmark: Bookmark) -> Text:
        row = Text(no_wrap=True, overflow="ellipsis")
        row.append("★ ", style="bold")
        row.append(_one_line(self._section_label(bookmark.section), 34))
        if bookmark.status == "orphaned":
            row.append(" " + _("(not found in this report)"), style="dim")
        return row

    def _note_row(self, note: Note) -> Text:
        row = Text(overflow="fold")
        row.append("✎ ", style="bold")
        if note.status == "orphaned":
            row.append(_("not found") + " ", style="bold red")
        else:
            row.append(f"{place_of(self.report, note.section)} ", style="dim")
        row.append(_one_line(note.text, 80))
        row.append("\n  「" + _one_line(note.quote.exact, 30) + "」", style="dim italic")
        return row

    def refresh_language(self) -> None:
        """Redraw the title and the rows in the language now in use."""
        self._filter.placeholder = _("Find in notes: pinyin or hanzi")
        self.set_items(*self._items)

    # ------------------------------------------------------------------ find

    def action_find(self) -> None:
        self._filter.placeholder = _("Find in notes: pinyin or hanzi")
        self._filter.add_class("-shown")
        self._filter.focus()

    def action_close(self) -> None:
        """Esc ends a find first (all rows again), then closes the panel."""
        if self._filter.has_class("-shown"):
            self._filter.remove_class("-shown")
            self._filter.value = ""
            self._query = ""
            self._show(*self._items)
            self.option_list.focus()
            return
        super().action_close()

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._query = event.value.strip()
        if self._query:
            self._find(self._query)
        else:
            self._show(*self._items)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.option_list.focus()

    @work(thread=True, exclusive=True, group="notes-find")
    def _find(self, query: str) -> None:
        """Search off the UI thread (the first search loads pypinyin)."""
        from briefing.search.notes import search_notes

        bookmarks, notes = self._items
        hits = search_notes(query, notes, bookmarks)
        found_notes = [h.item for h in hits if isinstance(h.item, Note)]
        found_marks = [h.item for h in hits if isinstance(h.item, Bookmark)]
        self.app.call_from_thread(self._found, query, found_marks, found_notes)

    def _found(self, query: str, bookmarks: list[Bookmark], notes: list[Note]) -> None:
        if query == self._query:  # a later keystroke has its own search
            self._show(bookmarks, notes)

    def _current(self) -> Note | Bookmark | None:
        index = self.option_list.highlighted
        if index is None or index >= len(self._rows):
            return None
        return self._rows[index]

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_open_item()

    def action_open_item(self) -> None:
        item = self._current()
        if item is None or item.status == "orphaned":
            return
        start = item.start if isinstance(item, Note) else 0
        self.post_message(self.Jump(item.section, start))

    def action_edit(self) -> None:
        item = self._current()
        if isinstance(item, Note):
            self.post_message(self.EditNote(item))

    def action_delete(self) -> None:
        item = self._current()
        if item is not None:
            self.post_message(self.DeleteItem(item))
