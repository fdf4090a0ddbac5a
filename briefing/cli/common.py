"""Shared pieces of the command line: errors, report loading, JSON output.

Nothing the command line prints may carry a terminal control sequence, even
when it echoes what the user typed or what a database holds: every message
goes through ``one_line``/``say``, and JSON escapes what JSON allows raw.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from functools import cache
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:  # every command imports this module: keep it light
    import re
    from pathlib import Path

    from briefing.model import Report


@cache
def _json_unsafe() -> re.Pattern[str]:
    """Characters JSON lets through unescaped that a terminal would act on or that
    hide text (DEL, C1 controls, bidi overrides, zero-width marks ...).

    Compiled on first use: only output that holds such a character needs it.
    """
    import re

    return re.compile(
        "[\x7f-\x9f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e"
        "\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000e0000-\U000e007f]"
    )


def one_line(text: object) -> str:
    """Any text as one clean line: controls stripped, runs of whitespace one space."""
    text = str(text)
    if not text.isprintable():  # printable text holds no control character
        from briefing.text import strip_control  # its patterns compile on import (~5 ms)

        text = strip_control(text)
    return " ".join(text.split())


def say(text: object, *, err: bool = False) -> None:
    """Print one clean line (to stderr with ``err``)."""
    click.echo(one_line(text), err=err)


def warn(text: object) -> None:
    """A warning line on stderr, as every briefing message: ``briefing: …``."""
    say(f"briefing: {one_line(text)}", err=True)


# Store warnings wait until the command ends: printed after it succeeds, and
# on failure only those that must not be missed ride on the one error line.
_notices: list[tuple[str, bool]] = []


def defer_warning(message: str, *, important: bool = False) -> None:
    """Say ``message`` when the command ends (``important``: even if it fails)."""
    _notices.append((message, important))


def take_notices() -> list[tuple[str, bool]]:
    """The deferred warnings, handed out once."""
    taken = list(_notices)
    _notices.clear()
    return taken


# What a command built that may die with the process (see ``keep_until_exit``).
_kept: list[object] = []


def keep_until_exit(*objects: object) -> None:
    """Let ``objects`` live until the process ends, so they are never freed one by one.

    ``notes``/``export``/``note add`` with 50,000 notes build about two million
    objects (the parsed database, the notes, their JSON); freeing them when the
    command returns cost a quarter of its CPU time.  ``briefing.cli.main``
    ends a process that kept something without that teardown.  In a process
    that goes on (tests, an embedding program) the next command that keeps
    something lets the previous ones go.
    """
    _kept[:] = objects


def kept_anything() -> bool:
    return bool(_kept)


_fast_exit_allowed = False  # set by ``briefing.cli.main``: the process ends with the command


def allow_fast_exit(allowed: bool = True) -> None:
    """Say whether this process ends when its command does (the console script)."""
    global _fast_exit_allowed
    _fast_exit_allowed = allowed


def will_exit_fast() -> bool:
    """Whether ``briefing.cli.main`` will end the process without a teardown."""
    import atexit

    return _fast_exit_allowed and bool(_kept) and not atexit._ncallbacks()


def pause_collector(ctx: click.Context) -> None:
    """Keep Python's cyclic collector off for the rest of this command.

    A store command builds about a million acyclic objects (the parsed
    database, the notes, their JSON); each time the collector came back on
    after a ``collector_paused`` block it walked all of them (three walks,
    a tenth of ``notes --json`` with 50,000 notes). It is resumed when the
    command closes, unless the process is about to end (``will_exit_fast``).
    """
    import gc

    if not gc.isenabled():
        return
    gc.disable()

    def resume() -> None:
        if not will_exit_fast():
            gc.enable()

    ctx.call_on_close(resume)


def forget_kept() -> None:
    """Let go of what earlier commands of this process kept."""
    _kept.clear()


class BriefingError(click.ClickException):
    """A user-facing failure: one line on stderr and exit status 2."""

    exit_code = 2

    def show(self, file: Any = None) -> None:
        warn(self.format_message())


def output_file(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """``-o FILE`` as given, refusing an empty name.

    ``-o ""`` (an unset shell variable) silently wrote the default file name in
    the current folder; a user who named no file gets told so instead.
    """
    if value is not None and not value.strip():
        from briefing.i18n import _

        raise BriefingError(_("-o needs a file name ('-' for standard output)"))
    return value


def require_query(query: str) -> str:
    """``query`` if it holds something to look for: anything but spaces and punctuation.

    An empty query, or one of only spaces and punctuation, matched nothing (or
    every comma) and still exited 0 with "0 hits for "; it is bad input.  The
    reader's search applies the same rule and says the same words.
    """
    from briefing.i18n import _
    from briefing.text import NOTHING_TO_SEARCH, has_something_to_find

    if has_something_to_find(query):
        return query
    raise BriefingError(_(NOTHING_TO_SEARCH))


def load_or_exit(path: str | Path | None) -> Report:
    """Load a report, turning bad input into a ``BriefingError``."""
    from briefing import load_report

    try:
        report = load_report(path)
    except Exception as error:
        # Imported only now: a report served by the cache never needs the source module.
        from briefing.source import SourceError

        if isinstance(error, SourceError):
            raise BriefingError(str(error)) from None
        raise
    for warning in report.warnings:
        click.echo(f"briefing: warning: {warning}", err=True)
    return report


def _json_escape(match: re.Match[str]) -> str:
    """A character as JSON's ``\\uXXXX`` (a surrogate pair beyond the BMP)."""
    code = ord(match.group())
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    code -= 0x10000
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"


def json_safe(text: str) -> bool:
    """Whether ``text`` holds no character that ``emit_json`` must escape (``_json_unsafe``).

    ``isprintable`` (C speed) settles the usual text; only text with a line
    break, a tab or a wide space (all fine in JSON) is searched.
    """
    return text.isprintable() or _json_unsafe().search(text) is None


def emit_json(payload: Any, *, safe: bool = False) -> None:
    """Write JSON to stdout as UTF-8, keeping Chinese characters readable.

    orjson writes the same layout as ``json.dumps(indent=2)`` about thirty
    times faster (3.5 s of ``notes --json`` with 50,000 notes was the
    standard library's pure-Python indenting encoder).  ``safe``: the caller
    found every string of ``payload`` ``json_safe``, so the output is not
    checked again (0.12 s for the 42 MB of 50,000 notes, and a whole-output
    search when one note held a wide space).
    """
    try:
        import orjson

        raw: bytes | None = orjson.dumps(payload, option=orjson.OPT_INDENT_2)
    except (ImportError, TypeError):
        raw = None
    buffer = _utf8_buffer()
    if raw is not None and buffer is not None and (safe or _printable_json(raw)):
        sys.stdout.flush()
        buffer.write(raw)
        buffer.write(b"\n")
        buffer.flush()
        return
    if raw is not None:
        text = raw.decode("utf-8")
    else:
        import json

        text = json.dumps(payload, ensure_ascii=False, indent=2)
    text = _json_unsafe().sub(_json_escape, text)
    try:
        sys.stdout.write(text + "\n")
    except UnicodeEncodeError:  # a lone surrogate, or a terminal that is not UTF-8
        import json

        sys.stdout.write(json.dumps(payload, ensure_ascii=True, indent=2) + "\n")
    sys.stdout.flush()


def _printable_json(raw: bytes, chunk: int = 1 << 20) -> bool:
    """Whether JSON text has no unprintable character but its own line breaks.

    Every character ``_json_unsafe`` names is unprintable, and JSON escapes
    line breaks inside strings, so such output needs no search (0.2 s for the
    42 MB of 50,000 notes) and can go out as the UTF-8 bytes orjson made.
    U+3000 and other separators are unprintable too: those take the search.
    Checked a megabyte at a time, cut at line breaks (never inside a UTF-8
    sequence), so the check does not hold three more copies of the output.
    """
    start, size = 0, len(raw)
    while start < size:
        stop = raw.find(b"\n", start + chunk)
        stop = size if stop < 0 else stop
        if not raw[start:stop].decode("utf-8").replace("\n", "").isprintable():
            return False
        start = stop + 1
    return True


def _utf8_buffer() -> Any:
    """Standard output's byte stream, if it takes UTF-8 (else ``None``: write text)."""
    encoding = (getattr(sys.stdout, "encoding", None) or "").lower().replace("-", "")
    return getattr(sys.stdout, "buffer", None) if encoding == "utf8" else None


def emit_json_lines(lines: Iterable[str]) -> None:
    """A JSON array of already encoded items, one compact item a line.

    ``json.dumps(indent=2)`` uses json's pure-Python encoder: about a second
    for the 67,000 figures of an 8 MB report. One item a line still reads
    (and greps) well.
    """
    body = ",\n".join("  " + line for line in lines)
    sys.stdout.write("[\n" + body + "\n]\n" if body else "[]\n")
    sys.stdout.flush()


def report_summary(report: Report) -> dict[str, str]:
    """The ``report`` object of the JSON contract (DESIGN §7)."""
    meta = report.metadata
    return {
        "title": meta.title,
        "publisher": meta.publisher,
        "date": meta.date,
        "index_no": meta.index_no,
        "sha256": report.sha256,
    }
