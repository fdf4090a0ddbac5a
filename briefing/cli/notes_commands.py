"""``briefing bookmark|bookmarks|note|notes|export``: the user's own data.

Store problems (unwritable folder, full disk, lock held too long) and bad
anchors (unknown section, quote not in it) end with one line and status 2.
A damaged database that was moved aside is reported on stderr.
"""

from __future__ import annotations

import sys
from typing import Any

import click

from briefing.cli.common import (
    BriefingError,
    defer_warning,
    emit_json,
    keep_until_exit,
    load_or_exit,
    output_file,
    pause_collector,
    require_query,
    say,
)
from briefing.model import Bookmark, Note, Report

#: Up to this many rows a listing is a Rich table (cells wrapped in their
#: columns); beyond, Rich's ~1.3 ms a row (65 s for 50,000 notes) is too slow:
#: one line a row, as ``sections`` and ``figures`` (``cli.table.print_table``).
RICH_TABLE_ROWS = 500

path_argument = click.argument(
    "path", required=False, type=click.Path(dir_okay=True, path_type=str)
)


def _open_store(ctx: click.Context) -> Any:
    from briefing.store import Store, StoreError

    pause_collector(ctx)
    db = (ctx.obj or {}).get("db")
    from briefing.cli.db_guard import db_is_report

    if refused := db_is_report(db, ctx.params.get("path")):
        raise BriefingError(refused)
    try:
        store = Store.open(db)
    except StoreError as error:
        raise BriefingError(str(error)) from None
    moved = str(store.recovered_from) if store.recovered_from else None
    for warning in store.take_warnings():
        # A database moved aside must be told even if the command then fails.
        defer_warning(warning, important=bool(moved) and moved in warning)
    return store


def _guard(action: Any, *args: Any, **kwargs: Any) -> Any:
    """Run a store call, turning its expected failures into one-line errors."""
    from briefing.store import AnchorError, NotFound, StoreError

    try:
        return action(*args, **kwargs)
    except (StoreError, AnchorError, NotFound) as error:
        message = error.args[0] if error.args else str(error)
        raise BriefingError(str(message)) from None


def note_json(note: Note) -> dict[str, Any]:
    """The ``notes`` JSON shape of DESIGN §7."""
    return notes_json([note])[0][0]


def notes_json(notes: list[Note]) -> tuple[list[dict[str, Any]], bool]:
    """``note_json`` of each note, and whether every string in them is ``json_safe``.

    One pass over the model's own fields (its instance dicts: the quote's is
    already the JSON ``quote`` object, same keys in the same order), so
    ``emit_json`` need not check 42 MB of output for 50,000 notes.
    """
    from briefing.cli.common import json_safe

    rows: list[dict[str, Any]] = []
    add = rows.append
    join = "".join
    safe = True
    for note in notes:
        fields = vars(note)
        quote = vars(fields["quote"])
        row = {
            "id": fields["id"],
            "section": fields["section"],
            "text": fields["text"],
            "quote": quote,
            "start": fields["start"],
            "end": fields["end"],
            "status": fields["status"],
            "created": fields["created"],
            "updated": fields["updated"],
        }
        add(row)
        if safe:
            strings = (
                row["id"], row["section"], row["text"], row["status"], row["created"],
                row["updated"], quote["exact"], quote["prefix"], quote["suffix"],
            )  # fmt: skip
            try:
                safe = json_safe(join(strings))
            except TypeError:  # not text (a model built by hand): let emit_json check
                safe = False
    return rows, safe


def bookmark_json(mark: Bookmark) -> dict[str, Any]:
    return {
        "id": mark.id,
        "section": mark.section,
        "section_title": mark.section_title,
        "status": mark.status,
        "created": mark.created,
        "updated": mark.updated,
    }


def _label(report: Report, section_id: str) -> str:
    if report.has_section(section_id):
        return report.section(section_id).label
    return f"(section {section_id} not in this edition)"


@click.group("bookmark")
def bookmark() -> None:
    """Add or remove a bookmark on a section."""


@bookmark.command("add")
@click.argument("section")
@path_argument
@click.pass_context
def bookmark_add(ctx: click.Context, section: str, path: str | None) -> None:
    """Bookmark SECTION (an id from `briefing sections`)."""
    report = load_or_exit(path)
    store = _open_store(ctx)
    mark = _guard(store.bookmarks.add, report, section)
    say(f"bookmarked {mark.section} {_label(report, mark.section)}")


@bookmark.command("remove")
@click.argument("section")
@path_argument
@click.pass_context
def bookmark_remove(ctx: click.Context, section: str, path: str | None) -> None:
    """Remove the bookmark on SECTION."""
    report = load_or_exit(path)
    store = _open_store(ctx)
    if not report.has_section(section):
        raise BriefingError(f"no section {section!r} in this report (see `briefing sections`)")
    if _guard(store.bookmarks.remove, report, section):
        say(f"removed bookmark {section} {_label(report, section)}")
    else:
        say(f"section {section} was not bookmarked")


@click.command("bookmarks")
@path_argument
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def bookmarks(ctx: click.Context, path: str | None, as_json: bool) -> None:
    """List the bookmarks of a report."""
    report = load_or_exit(path)
    store = _open_store(ctx)
    marks = _guard(store.bookmarks.list, report)
    if as_json:
        emit_json([bookmark_json(m) for m in marks])
        return
    if not marks:
        say("no bookmarks")
        return
    from rich.console import Console

    console = Console()
    titles = [
        _label(report, mark.section) if mark.status != "orphaned" else mark.section_title
        for mark in marks
    ]
    if len(marks) > RICH_TABLE_ROWS:
        from briefing.cli.table import print_table

        rows = (
            [(mark.section, "dim"), (mark.status, "dim"), title]
            for mark, title in zip(marks, titles, strict=True)
        )
        print_table(console, ["section", "status", "title"], rows)
        return
    from rich.table import Table
    from rich.text import Text

    table = Table(box=None, pad_edge=False, header_style="bold")
    table.add_column("section", style="dim", no_wrap=True)
    table.add_column("title")
    table.add_column("status", style="dim")
    for mark, title in zip(marks, titles, strict=True):
        table.add_row(Text(mark.section), Text(title), mark.status)
    console.print(table)


@click.group("note")
def note() -> None:
    """Add or remove a note."""


@note.command("add")
@click.argument("section")
@click.argument("text")
@click.option("--quote", "quote", metavar="EXACT", help="The passage the note is about.")
@path_argument
@click.pass_context
def note_add(
    ctx: click.Context, section: str, text: str, quote: str | None, path: str | None
) -> None:
    """Add a note with TEXT on SECTION (or on the passage EXACT within it)."""
    if not text.strip():  # as the reader's note editor: an empty note is a slip
        from briefing.i18n import _

        raise BriefingError(_("the note is empty: give its text"))
    report = load_or_exit(path)
    store = _open_store(ctx)
    added = _guard(store.notes.add, report, section, text, quote=quote)
    keep_until_exit(store)
    say(added.id)


@note.command("remove")
@click.argument("note_id", metavar="ID")
@click.pass_context
def note_remove(ctx: click.Context, note_id: str) -> None:
    """Remove the note ID (a unique beginning of the id is enough)."""
    store = _open_store(ctx)
    full = _guard(store.notes.match_id, note_id)
    if full is None or not _guard(store.notes.remove, full):
        raise BriefingError(f"no note with id {note_id!r}")
    say(f"removed note {full}")


@click.command("notes")
@path_argument
@click.option("--json", "as_json", is_flag=True, help="Print JSON (DESIGN §7).")
@click.option(
    "--search",
    "query",
    metavar="QUERY",
    help="Only notes and bookmarks whose text or title matches (hanzi or pinyin).",
)
@click.option("--all", "every", is_flag=True, help="The notes of every report of the library.")
@click.pass_context
def notes(
    ctx: click.Context, path: str | None, as_json: bool, query: str | None, every: bool
) -> None:
    """List the notes of a report in document order (unplaced notes last)."""
    if every:
        if path is not None or query is not None:
            raise BriefingError("--all lists every note of the library: no PATH or --search")
        from briefing.cli.library_commands import notes_all

        notes_all(ctx, as_json)
        return
    if query is not None:
        require_query(query)
    report = load_or_exit(path)
    store = _open_store(ctx)
    with store.snapshot():  # one read of the file, however many lists
        found = _guard(store.notes.list, report)
        keep_until_exit(store, found)
        if query is not None:
            _search_notes(query, found, _guard(store.bookmarks.list, report), as_json)
            return
    if as_json:
        from briefing.store.bulk import collector_paused

        with collector_paused():  # 50,000 small dicts, no cycles
            payload, safe = notes_json(found)
        keep_until_exit(store, found, payload)
        emit_json(payload, safe=safe)
        return
    if not found:
        say("no notes")
        return
    from rich.console import Console

    passages = [_passage(item) for item in found]
    if len(found) > RICH_TABLE_ROWS:
        from briefing.cli.table import print_table

        rows = (
            [(item.id[:8], "dim"), item.section, (item.status, "dim"), passage, item.text]
            for item, passage in zip(found, passages, strict=True)
        )
        print_table(Console(), ["id", "section", "status", "passage", "note"], rows)
        return
    from rich.table import Table
    from rich.text import Text

    table = Table(box=None, pad_edge=False, header_style="bold")
    table.add_column("id", style="dim", no_wrap=True)
    table.add_column("section", no_wrap=True)
    table.add_column("passage")
    table.add_column("note")
    table.add_column("status", style="dim")
    for item, passage in zip(found, passages, strict=True):
        table.add_row(item.id[:8], item.section, Text(passage), Text(item.text), item.status)
    Console().print(table)


def _passage(item: Note) -> str:
    """The start of the passage a note is about (30 characters at most)."""
    exact = item.quote.exact
    return exact if len(exact) <= 30 else exact[:29] + "…"


def _search_notes(query: str, found: list[Note], marks: list[Bookmark], as_json: bool) -> None:
    """``notes --search``: the best hit of each note (its text) and bookmark (its title)."""
    from briefing.search.notes import search_notes, searched_text

    hits = search_notes(query, found, marks)
    if as_json:
        out = []
        for hit in hits:
            record = note_json(hit.item) if isinstance(hit.item, Note) else bookmark_json(hit.item)
            m = hit.match
            match = {"start": m.start, "end": m.end, "text": m.text, "kind": m.kind}
            out.append({"type": hit.kind, **record, "match": {**match, "score": m.score}})
        emit_json(out)
        return
    if not hits:
        click.echo(f"nothing matches {query}")
        return
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    table = Table(box=None, pad_edge=False, header_style="bold")
    for name in ("id", "type", "section", "text"):
        table.add_column(name, style="dim" if name == "id" else None, no_wrap=name != "text")
    for hit in hits:
        text = Text(searched_text(hit.item))
        text.stylize("bold reverse", hit.match.start, hit.match.end)
        table.add_row(hit.item.id[:8], hit.kind, hit.item.section, text)
    Console().print(table)


@click.command("export")
@path_argument
@click.option(
    "-o",
    "--output",
    "output",
    metavar="FILE",
    callback=output_file,
    help=(
        "Write here ('-' for standard output); an existing FILE is replaced. "
        "Default: a file named after the report, in the current folder."
    ),
)
@click.option("--all", "every", is_flag=True, help="Every report of the library, one part each.")
@click.pass_context
def export(ctx: click.Context, path: str | None, output: str | None, every: bool) -> None:
    """Export a report's bookmarks and notes to Markdown."""
    if every:
        if path is not None:
            raise BriefingError("give either a PATH or --all, not both")
        from briefing.cli.library_commands import export_all

        export_all(ctx, output)
        return
    from briefing.export import ExportError, default_export_name, render_markdown, write_export

    report = load_or_exit(path)
    store = _open_store(ctx)
    with store.snapshot():  # notes and bookmarks from one read of the file
        found, marks = _guard(store.notes.list, report), _guard(store.bookmarks.list, report)
    text = render_markdown(report, found, marks)
    keep_until_exit(store, found, marks, text)
    if output == "-":
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    target = output or default_export_name(report)
    try:
        written = write_export(target, text)
    except ExportError as error:
        raise BriefingError(str(error)) from None
    say(f"wrote {written}")


COMMANDS = [bookmark, bookmarks, note, notes, export]
