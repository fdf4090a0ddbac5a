"""``briefing library [add|remove]`` and the ``--all`` forms of search, notes, export.

Every library problem (bad or ambiguous id, a stored copy gone missing, a
damaged catalogue entry) is one ``briefing:`` line and exit status 2.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import click

from briefing.cli.common import BriefingError, defer_warning, emit_json, one_line, say, warn

if TYPE_CHECKING:
    from briefing.library import Library, LibraryEntry, LibraryHit
    from briefing.model import Report


def open_library() -> Library:
    """The user's library, its warnings (damaged entries) said when the command ends."""
    from briefing.library import Library, LibraryError

    try:
        library = Library.open()
    except LibraryError as error:
        raise BriefingError(str(error)) from None
    return library


def flush_warnings(library: Library) -> None:
    for message in library.warnings:
        defer_warning(message, important=True)
    library.warnings.clear()


def guard(action: Any, *args: Any, **kwargs: Any) -> Any:
    """Run a library call; a ``LibraryError`` becomes the one-line error."""
    from briefing.library import LibraryError

    try:
        return action(*args, **kwargs)
    except LibraryError as error:
        raise BriefingError(str(error)) from None


def entry_summary(entry: LibraryEntry) -> dict[str, Any]:
    """How a report of the library is named in JSON output."""
    return {"id": entry.id, "title": entry.title, "sha256": entry.report_sha256}


def _user_data(ctx: click.Context) -> tuple[dict[str, int], dict[str, str]]:
    """Notes per report sha256 and when each report was last read (the notes store)."""
    from briefing.cli.notes_commands import _open_store

    store = _open_store(ctx)
    notes: dict[str, int] = {}
    for _, record in store.storage.records("notes"):
        key = record.get("report")
        if isinstance(key, str):
            notes[key] = notes.get(key, 0) + 1
    read: dict[str, str] = {}
    for _, record in store.storage.records("reading_state"):
        key, when = record.get("report"), record.get("updated")
        if isinstance(key, str) and isinstance(when, str) and when > read.get(key, ""):
            read[key] = when
    store.close()
    return notes, read


@click.group("library", invoke_without_command=True)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def library(ctx: click.Context, as_json: bool) -> None:
    """List the reports of your library (or add and remove them)."""
    if ctx.invoked_subcommand is not None:
        return
    lib = open_library()
    entries = guard(lib.entries)
    flush_warnings(lib)
    notes, read = _user_data(ctx)
    rows = [
        {
            "id": e.id,
            "title": e.title,
            "publisher": e.publisher,
            "date": e.date,
            "size": e.size,
            "sections": e.sections,
            "figures": e.figures,
            "notes": notes.get(e.report_sha256, 0),
            "last_read": read.get(e.report_sha256),
            "bundled": e.bundled,
            "source_path": e.source_path,
            "added": e.added,
        }
        for e in entries
    ]
    if as_json:
        emit_json(rows)
        return
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from briefing.library import short

    console = Console()
    # Rich squeezes the one wrapping column (the title) to nothing when the
    # others do not fit: a narrow terminal gets fewer columns instead.
    wide = console.width >= 110
    names = ["id", "title", "publisher", "date", "size", "sections", "figures", "notes"]
    if not wide:
        names = ["id", "title", "date", "notes"]
    table = Table(box=None, pad_edge=False, header_style="bold")
    for name in [*names, "last read"]:
        table.add_column(
            name,
            no_wrap=name != "title",
            style="dim" if name == "id" else None,
            justify="right" if name in ("size", "sections", "figures", "notes") else "left",
            max_width=16 if name == "publisher" else None,
        )
    for row in rows:
        cells = {
            "id": short(str(row["id"])),
            "title": Text(one_line(row["title"]) or "—"),
            "publisher": Text(one_line(row["publisher"])),
            "date": Text(one_line(row["date"])),
            "size": _size(int(row["size"])),
            "sections": str(row["sections"]),
            "figures": str(row["figures"]),
            "notes": str(row["notes"]),
        }
        last = str(row["last_read"] or "")[:16].replace("T", " ")
        table.add_row(*(cells[name] for name in names), last)
    console.print(table)


def _size(size: int) -> str:
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size / 1024 / 1024:.1f} MB"


@library.command("add")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=str))
def library_add(paths: tuple[str, ...]) -> None:
    """Add report files (any format the reader opens); prints the id of each."""
    from briefing.library import LibraryError

    lib = open_library()
    results = _add_with_progress(lib, list(paths))
    flush_warnings(lib)
    failed = 0
    for result in results:
        if isinstance(result, LibraryError):
            failed += 1
            warn(result)  # the message names the file
        else:
            click.echo(f"{result.id}  {one_line(result.title)}")
    if failed:
        raise BriefingError(f"{failed} of {len(paths)} files were not added")


def _add_with_progress(lib: Library, paths: list[str]) -> list[Any]:
    """``add_many``, with a rich progress bar on stderr when it is a terminal."""
    if len(paths) < 2 or not sys.stderr.isatty():
        return lib.add_many(paths)
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    columns = ("{task.description}", BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("adding", total=len(paths))
        return lib.add_many(
            paths, progress=lambda done, total, path: bar.update(task, completed=done)
        )


@library.command("remove")
@click.argument("entry_id", metavar="ID")
def library_remove(entry_id: str) -> None:
    """Remove the report ID (a unique beginning is enough); your notes are kept."""
    lib = open_library()
    entry = guard(lib.remove, entry_id)
    flush_warnings(lib)
    click.echo(f"removed {entry.id}  {one_line(entry.title)}")


# ---------------------------------------------------------------------- --all forms
def search_all(query: str, as_json: bool, fuzzy: bool, limit: int | None) -> None:
    """``briefing search QUERY --all``: every report of the library, best hits first."""
    lib = open_library()
    hits = guard(lib.search, query, fuzzy=fuzzy, limit=limit)
    flush_warnings(lib)
    if as_json:
        emit_json([_hit_json(hit) for hit in hits])
        return
    _print_hits(query, hits, limit)


def _hit_json(hit: LibraryHit) -> dict[str, Any]:
    m = hit.match
    return {
        "report": entry_summary(hit.entry),
        "section": m.section,
        "start": m.start,
        "end": m.end,
        "text": m.text,
        "kind": m.kind,
        "score": m.score,
        "snippet": hit.snippet,
    }


def _print_hits(query: str, hits: list[LibraryHit], limit: int | None) -> None:
    from rich.console import Console

    from briefing.cli.lines import LineWriter
    from briefing.library import short

    out = LineWriter(Console())  # Console.print per hit: ~0.3 ms a line
    for hit in hits:
        out.line(
            [
                (short(hit.entry.id), "dim"),
                ("  ", ""),
                (one_line(hit.entry.title), "bold"),
                (f"  {one_line(hit.match.section)}  {hit.match.kind}", "dim italic"),
            ]
        )
        line = "  " + one_line(hit.snippet)
        at = line.find(hit.match.text.replace("\n", " "), 2)
        end = at + len(hit.match.text) if at >= 0 else len(line)
        at = at if at >= 0 else len(line)
        out.line([(line[:at], ""), (line[at:end], "bold reverse"), (line[end:], "")])
    reports = len({h.entry.id for h in hits})
    count = [
        (
            f"{len(hits)} hit{'s' if len(hits) != 1 else ''} in {reports} "
            f"report{'s' if reports != 1 else ''} for ",
            "",
        ),
        (one_line(query), "bold"),
    ]
    if limit is not None and len(hits) >= limit:
        count.append((f" (first {limit})", "dim"))
    out.line(count, base="dim")
    out.flush()


def _annotated(ctx: click.Context) -> Iterator[tuple[LibraryEntry, Report, Any]]:
    """Every library report that has notes or bookmarks, parsed, with the open store."""
    from briefing.cli.notes_commands import _open_store

    lib = open_library()
    entries = guard(lib.entries)
    store = _open_store(ctx)
    with store.snapshot():  # one read of the database for every report, not one per list
        records = [r for t in ("notes", "bookmarks") for _, r in store.storage.records(t)]
        keys = {r.get("report") for r in records}
        titles = {r.get("report_title") for r in records}
        for entry in entries:
            # Notes of another edition re-anchor by title: those reports are read too.
            if entry.report_sha256 in keys or entry.title in titles:
                yield entry, guard(lib.load, entry), store
    flush_warnings(lib)


def notes_all(ctx: click.Context, as_json: bool) -> None:
    """``briefing notes --all``: the notes of every report, grouped by report."""
    from briefing.cli.notes_commands import _guard, note_json

    groups = []
    for entry, report, store in _annotated(ctx):
        found = _guard(store.notes.list, report)
        if found:
            groups.append((entry, found))
    if as_json:
        emit_json(
            [{"report": entry_summary(e), "notes": [note_json(n) for n in ns]} for e, ns in groups]
        )
        return
    if not groups:
        say("no notes")
        return
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from briefing.library import short

    console = Console()
    for entry, found in groups:
        head = Text()
        head.append(short(entry.id), style="dim")
        head.append("  ")
        head.append(one_line(entry.title), style="bold")
        head.append(f"  {len(found)} note{'s' if len(found) != 1 else ''}", style="dim")
        console.print(head)
        table = Table(box=None, pad_edge=True, header_style="bold")
        for name in ("id", "section", "passage", "note", "status"):
            table.add_column(
                name,
                no_wrap=name in ("id", "section"),
                style="dim" if name in ("id", "status") else None,
            )
        for item in found:
            exact = item.quote.exact
            passage = exact if len(exact) <= 30 else exact[:29] + "…"
            table.add_row(item.id[:8], item.section, Text(passage), Text(item.text), item.status)
        console.print(table)


def export_all(ctx: click.Context, output: str | None) -> None:
    """``briefing export --all``: one Markdown file, a part (``# title``) per report."""
    from briefing.cli.notes_commands import _guard
    from briefing.export import ExportError, render_markdown, write_export

    parts = []
    for _, report, store in _annotated(ctx):
        found = _guard(store.notes.list, report)
        marks = _guard(store.bookmarks.list, report)
        if found or marks:
            parts.append(render_markdown(report, found, marks))
    if not parts:
        raise BriefingError("no report of the library has notes or bookmarks to export")
    text = "\n".join(parts)
    if output == "-":
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    try:
        written = write_export(output or DEFAULT_EXPORT_ALL, text)
    except ExportError as error:
        raise BriefingError(str(error)) from None
    say(f"wrote {written} ({len(parts)} report{'s' if len(parts) != 1 else ''})")


DEFAULT_EXPORT_ALL = "briefing-library-笔记.md"

COMMANDS = [library]
