"""The command line: ``briefing [PATH]`` opens the reader; subcommands print.

Opening the reader is the common case and must start fast, so it does not
go through click: ``main`` recognises ``briefing [--db FILE] [PATH]`` itself
and hands everything else (subcommands, ``--help``, ``--version``) to the
click group in ``briefing.cli.commands``.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from typing import Any

# Every subcommand and the module that defines it: ``briefing.cli.commands``
# imports a command's module only when that command runs (or ``--help`` lists
# them all), so ``briefing search … --all`` never pays for the notes, export or
# table code.  A test checks this against each module's ``COMMANDS``.
COMMAND_MODULES: dict[str, str] = {
    "open": "report_commands",
    "sections": "report_commands",
    "figures": "report_commands",
    "search": "search_command",
    "bookmark": "notes_commands",
    "bookmarks": "notes_commands",
    "note": "notes_commands",
    "notes": "notes_commands",
    "export": "notes_commands",
    "convert": "convert_command",
    "library": "library_commands",
}
SUBCOMMANDS = frozenset(COMMAND_MODULES)


def reader_arguments(args: Sequence[str]) -> tuple[str | None, str | None] | None:
    """``(path, db)`` when ``args`` only open the reader, else None (let click decide)."""
    path: str | None = None
    db: str | None = None
    index = 0
    while index < len(args):
        word = args[index]
        if word == "--db" and index + 1 < len(args):
            db = args[index + 1]
            index += 2
            continue
        if word.startswith("--db="):
            db = word.removeprefix("--db=")
        elif word.startswith("-") or word in SUBCOMMANDS or path is not None:
            return None
        else:
            path = word
        index += 1
    return path, db


def open_reader(path: str | None, db: str | None) -> int:
    """Load the report and run the reader; bad input is one line and status 2.

    With no path, the report read last (setting ``last_report``), else the
    bundled one; a last report that is gone gives the bundled one and a message.
    """
    from briefing import startup_gc

    startup_gc.hold()  # until the first paint (the reader resumes it)
    try:
        return _open_reader(path, db)
    finally:
        startup_gc.resume()  # start-up ended without a paint, or the reader has quit


def _open_reader(path: str | None, db: str | None) -> int:
    from briefing import load_report
    from briefing.source import SourceError
    from briefing.store import Store, StoreError

    db = db or os.environ.get("BRIEFING_DB") or None
    from briefing.cli.db_guard import db_is_report

    if refused := db_is_report(db, path):
        from briefing.cli.common import warn

        warn(refused)
        return 2
    try:
        store = Store.open(db)
    except StoreError as error:
        from briefing.cli.common import warn

        warn(error)
        return 2
    use_reader_language(store)
    try:
        from briefing.tui import last_report

        notices: list[str] = []
        if path is None:
            report, origin = last_report.choose(store, notices, check_later=True)
        else:
            # The byte-for-byte check of a cached report waits for the first paint.
            report = load_report(path, check_later=True)
            origin = last_report.path_origin(path)
        from briefing.tui.app import run_reader

        run_reader(report, store, origin=origin, notices=notices)
    except (SourceError, StoreError) as error:
        from briefing.cli.common import warn

        store.close()
        warn(error)
        return 2
    return 0


def use_reader_language(store: Any) -> None:
    """The reader's language (``BRIEFING_LANG``, the setting, the locale), chosen before
    the report is read so that its warnings are in the language the reader will speak."""
    from contextlib import suppress

    from briefing.i18n import detect_language, set_language
    from briefing.store import StoreError

    saved = None
    with suppress(StoreError):
        saved = store.settings.get("language")
    set_language(detect_language(saved=saved))


def use_cli_language() -> None:
    """Subcommands speak English (their help, counts and tables are English), so the
    model's messages they print do too; ``BRIEFING_LANG`` may still choose. The
    reader sets its own language when it starts (the setting, else the locale)."""
    from briefing.i18n import normalize_language, set_language

    set_language(normalize_language(os.environ.get("BRIEFING_LANG")) or "en")


def main(argv: Sequence[str] | None = None) -> None:
    """Console-script entry point."""
    args = list(sys.argv[1:] if argv is None else argv)
    reader = reader_arguments(args)
    if reader is not None:
        sys.exit(open_reader(*reader))
    if args == ["--version"]:  # what scripts ask first: answered without importing click
        from briefing import __version__

        print(f"briefing, version {__version__}")
        sys.exit(0)
    from briefing.cli.commands import cli
    from briefing.cli.common import allow_fast_exit, forget_kept

    forget_kept()
    allow_fast_exit()
    try:
        cli.main(args=args, prog_name="briefing")
    except SystemExit as done:
        _leave(done)
        raise
    finally:
        allow_fast_exit(False)  # a process that goes on (tests) exits as usual


def _leave(done: SystemExit) -> None:
    """End the process now if a command kept its results for the end (``keep_until_exit``).

    Python would free every object one by one on the way out: 0.3 s and more
    after listing 50,000 notes.  Output is flushed first; with exit handlers
    registered (none on these commands) the usual exit runs instead.
    """
    from briefing.cli.common import will_exit_fast

    if not will_exit_fast():
        return
    code = done.code
    if code is not None and not isinstance(code, int):
        print(code, file=sys.stderr)
        code = 1
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            code = code or 1
    os._exit(code or 0)


def __getattr__(name: str) -> Any:
    """``briefing.cli.cli``: the click group, imported only when asked for."""
    if name == "cli":
        from briefing.cli.commands import cli

        return cli
    raise AttributeError(name)
