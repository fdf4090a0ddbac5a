"""Notes and bookmarks -> one Markdown file (DESIGN §6).

The outline is ours: ``#`` title, ``## 书签``, ``##`` top-level sections with
``###`` items below, ``## 未能定位的笔记``.  Text we did not write (the user's
notes, quoted passages, titles) is escaped so it reads as Markdown but can
never open a heading, rule, fence, HTML block, list, table or link: every
line-leading marker, ``<``, ``[`` and backslash is backslash-escaped.  Terminal
control sequences are stripped before anything reaches the file.
"""

from __future__ import annotations

import errno
import re
import unicodedata
from collections.abc import Iterable
from datetime import datetime
from operator import attrgetter
from pathlib import Path

from briefing.i18n import _
from briefing.model import Bookmark, Note, Report, Section
from briefing.source import clean_text

BOOKMARKS_HEADING = "书签"
ORPHANS_HEADING = "未能定位的笔记"
MAX_NAME_CHARS = 80

# A line that CommonMark could read as the start of a block: headings, quotes,
# rules, setext underlines, lists, fences, tables, HTML, link definitions.
_LINE_START = re.compile(r"^([ \t]*)([#>=\-*+_`~|:<\[]|\d{1,9}[.)](?=[ \t]|$))")
# Inline: no HTML, no links or images (so no javascript: URLs), no code spans
# (they would show our escapes literally).  Emphasis is left to the user.
_INLINE = re.compile(r"([\\<\[\]`])")
# What a line ``_LINE_START`` matches can start with, but for a digit.
_OPENER_FIRST = frozenset(" \t#>=-*+_`~|:<[")
_UNSAFE_NAME = re.compile(r'[/\\:*?"<>|\x00-\x1f\x7f-\x9f]')
# The time stamps briefing writes (ISO 8601, seconds, an offset), to the minute.
_ISO_MINUTE = re.compile(
    r"\d{4}-[01]\d-[0-3]\dT[0-2]\d:[0-5]\d(?::[0-5]\d(?:\.\d+)?)?(?:Z|[+-]\d\d:\d\d)?$"
)
_SECTION = attrgetter("section")
_START = attrgetter("start")
_WINDOWS_RESERVED = re.compile(r"^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$", re.IGNORECASE)


class ExportError(ValueError):
    """The export cannot be made or written; the message is one line for the user.

    The only exception ``write_export``/``export_to_file`` raise for a bad
    target or a failed write (a ``ValueError``, so older callers that catch
    ``ValueError`` keep working).
    """


def _escape_inline(text: str) -> str:
    """Backslash-escape characters that start inline markup we must not create."""
    if _INLINE.search(text) is None:  # the usual case: one C call, no template
        return text
    return _INLINE.sub(r"\\\1", text)


def escape_line(line: str) -> str:
    """One line of foreign text made safe: inline markup and any block opener escaped."""
    line = line.replace("\t", "    ")
    line = _escape_inline(line)
    match = _LINE_START.match(line)
    if match:
        indent, marker = match.group(1), match.group(2)
        if marker[0].isdigit():
            marker = marker[:-1] + "\\" + marker[-1]
        elif not marker.startswith("\\"):
            marker = "\\" + marker
        line = indent + marker + line[match.end() :]
    return line


def _plain_line(text: str) -> str | None:
    """``text`` as its one Markdown line when it needs nothing (the usual quote or note).

    ``None`` when it must go through ``escape_block``: several lines,
    something to clean or escape, or nothing but spaces.
    """
    if not text.isprintable():
        return None
    line = text.rstrip()
    if not line or _INLINE.search(line) is not None:
        return None
    first = line[0]  # ``_LINE_START`` can only match from one of these (``\\d`` is Nd)
    if (first in _OPENER_FIRST or first.isdecimal()) and _LINE_START.match(line) is not None:
        return None
    return line  # not blank: it ends with what ``rstrip`` kept


def escape_block(text: str) -> list[str]:
    """Foreign multi-line text as safe Markdown lines (paragraph breaks kept)."""
    if text.isprintable():  # one line, nothing to clean
        line = text.rstrip()
        # Checked here, not by ``escape_line``: no call and no copy for a plain line.
        if _INLINE.search(line) is not None or _LINE_START.match(line) is not None:
            line = escape_line(line)
        return [line] if line.strip() else []
    text = clean_text(text)
    lines = [escape_line(line.rstrip()) for line in text.split("\n")]
    while lines and not lines[0].strip():
        lines.pop(0)
    while lines and not lines[-1].strip():
        lines.pop()
    out: list[str] = []
    for line in lines:
        if not line.strip():
            if out and out[-1] == "":
                continue
            line = ""
        out.append(line)
    return out


def _flat(text: str) -> str:
    return _escape_inline(" ".join(clean_text(text).split()))


def _one_line(text: str) -> str:
    """Titles and labels: one line, escaped, ``#`` escaped so none closes a heading."""
    flat = " ".join(clean_text(text).split())
    return escape_line(flat).replace("#", "\\#") if flat else ""


def _when(stamp: str) -> str:
    """``2024-05-01T10:00:00+08:00`` as ``2024-05-01 10:00``; unknown input kept as is."""
    if _ISO_MINUTE.match(stamp):  # what briefing writes: no need to parse it
        return f"{stamp[:10]} {stamp[11:16]}"
    try:
        return datetime.fromisoformat(stamp).strftime("%Y-%m-%d %H:%M")
    except (TypeError, ValueError):
        return _escape_inline(" ".join(clean_text(str(stamp)).split()))


def _label(section: Section) -> str:
    return section.label or section.title or f"第 {section.id} 部分"


def _top(report: Report, section: Section) -> Section:
    top = section
    for ancestor in report.ancestors(section.id):
        top = ancestor
    return top


def _note_block(out: list[str], note: Note, where: str | None = None) -> None:
    """Append one note: the quoted passage, where it was, the note text, its time.

    Runs once per note (50,000 times for a large database): a quote or note
    that is one plain line (``_plain_line``) is written without building
    ``escape_block``'s list, and the block goes in as one string (the same
    text the lines joined by line breaks make), not six list items.
    """
    quote = note.quote.exact
    line = _plain_line(quote)
    if line is not None:
        block = "> " + line + "\n\n"
    else:
        quoted = escape_block(quote)
        block = "\n".join([f"> {x}" if x else ">" for x in quoted]) if quoted else ">"
        block += "\n\n"
    if where:
        block += f"原在：{_one_line(where)}\n\n"
    text = note.text
    line = _plain_line(text)
    if line is not None:
        block += line + "\n\n"
    else:
        body = escape_block(text)
        if body:
            block += "\n".join(body) + "\n\n"
    stamp = f"记于 {_when(note.created)}"
    if note.updated and note.updated != note.created:
        stamp += f"，改于 {_when(note.updated)}"
    if note.status == "moved":
        stamp += "（原文有变动，已重新定位）"
    out.append(f"{block}*{stamp}*")
    out.append("")


def render_markdown(
    report: Report,
    notes: Iterable[Note],
    bookmarks: Iterable[Bookmark],
    *,
    exported_at: datetime | None = None,
) -> str:
    """The export document; ``notes``/``bookmarks`` as listed by the store."""
    from briefing.store.bulk import collector_paused

    with collector_paused():  # many short-lived acyclic lines: nothing to collect
        return _render(report, notes, bookmarks, exported_at)


def _render(
    report: Report,
    notes: Iterable[Note],
    bookmarks: Iterable[Bookmark],
    exported_at: datetime | None,
) -> str:
    meta = report.metadata
    when = (exported_at or datetime.now().astimezone()).strftime("%Y-%m-%d %H:%M")
    facts = [
        ("发布机构", meta.publisher),
        ("日期", meta.date),
        ("索引号", meta.index_no),
        ("导出时间", when),
    ]
    lines = [f"# {_one_line(report.title) or '未命名报告'}", ""]
    lines.append(" · ".join(f"{k}：{_flat(v)}" for k, v in facts if v))
    lines.append("")

    lines += [f"## {BOOKMARKS_HEADING}", ""]
    marks = list(bookmarks)
    for mark in marks:
        if mark.status != "orphaned" and report.has_section(mark.section):
            lines.append(f"- {_one_line(_label(report.section(mark.section)))}")
        else:
            lines.append(f"- {_one_line(mark.section_title or mark.section)}（未能定位）")
    if not marks:
        lines.append("（无）")
    lines.append("")

    placed: list[Note] = []
    orphans: list[Note] = []
    for note in notes:
        anchored = note.status != "orphaned" and report.has_section(note.section)
        (placed if anchored else orphans).append(note)
    order = {section.id: i for i, section in enumerate(report.sections)}
    # By section, then start (stable): keys made by C calls, not a lambda per note.
    sections = map(order.__getitem__, map(_SECTION, placed))
    keys = list(zip(sections, map(_START, placed), strict=True))
    placed = [placed[i] for i in sorted(range(len(placed)), key=keys.__getitem__)]

    current_top: str | None = None
    current_sub: str | None = None
    current: str | None = None
    for note in placed:
        if note.section != current:  # headings only where the section changes
            current = note.section
            section = report.section(current)
            top = _top(report, section)
            if top.id != current_top:
                lines += [f"## {_one_line(_label(top))}", ""]
                current_top, current_sub = top.id, None
            if section.id != top.id and section.id != current_sub:
                lines += [f"### {_one_line(_label(section))}", ""]
                current_sub = section.id
        _note_block(lines, note)

    if orphans:
        lines += [f"## {ORPHANS_HEADING}", ""]
        for note in orphans:
            _note_block(lines, note, where=f"第 {note.section} 部分")

    while lines and lines[-1] == "":
        lines.pop()
    return "\n".join(lines) + "\n"


def default_export_name(report: Report) -> str:
    """A safe file name from the title and date: ``<title>-<date>-笔记.md``.

    Never starts with ``~`` (it would name a home folder) or ``-`` (an option).
    """
    parts = [report.title or "briefing", report.metadata.date]
    stem = "-".join(p for p in (clean_text(x).strip() for x in parts) if p)
    stem = unicodedata.normalize("NFC", stem)
    stem = _UNSAFE_NAME.sub("_", stem)
    stem = re.sub(r"\s+", " ", stem).strip(" .-_~")
    if len(stem) > MAX_NAME_CHARS:
        stem = stem[:MAX_NAME_CHARS].rstrip(" .-_")
    if not stem or _WINDOWS_RESERVED.match(stem):
        stem = f"briefing-{stem}" if stem else "briefing"
    return f"{stem}-笔记.md"


def write_export(path: str | Path, text: str) -> Path:
    """Write the export atomically; ``ExportError`` (one line) for every failure.

    ``~`` and ``~user`` are expanded (a path typed in the reader); an existing
    file is replaced, keeping its permissions; a new one gets the user's
    umask (it is the user's document, not private data); a symlink is written
    through, not replaced.  Refused: a folder, a FIFO or device, a missing
    folder, a symlink loop.  Returns the path as given (expanded).
    """
    from briefing.paths import PathProblem, expand_user
    from briefing.store.files import (
        atomic_write_bytes,
        current_umask,
        describe,
        kind_problem,
        real_target,
    )

    try:
        target = expand_user(path)
    except PathProblem as error:
        raise ExportError(str(error)) from None
    shown = _shown_path(target)
    if not str(path).strip():
        raise ExportError(_("give a file name for the export"))
    try:
        real = real_target(target)
        problem = kind_problem(real)
        if problem == _("is a folder, not a file"):
            raise ExportError(_("{path} is a folder; give a file name").format(path=shown))
        if problem is not None:
            raise ExportError(
                _("cannot write {path}: it {problem}").format(path=shown, problem=problem)
            )
        if not real.parent.is_dir():
            raise ExportError(
                _("cannot write {path}: folder {folder} does not exist").format(
                    path=shown, folder=_shown_path(real.parent)
                )
            )
        atomic_write_bytes(real, text.encode("utf-8"), new_mode=0o666 & ~current_umask())
    except ExportError:
        raise
    except OSError as error:
        if error.errno == errno.ENOENT and real.parent.is_dir():
            # The folder is there but makes no files (/proc, /sys): "no such
            # file or folder" would send the user looking for a missing folder.
            raise ExportError(
                _("cannot write {path}: folder {folder} does not accept new files").format(
                    path=shown, folder=_shown_path(real.parent)
                )
            ) from None
        raise ExportError(
            _("cannot write {path}: {reason}").format(path=shown, reason=describe(error))
        ) from None
    except (ValueError, UnicodeError) as error:  # a NUL or an unencodable name
        raise ExportError(
            _("cannot write {path}: {reason}").format(path=shown, reason=error)
        ) from None
    return target


def export_to_file(report: Report, store: object, path: str | Path) -> tuple[Path, int, int]:
    """List, render and write a report's notes and bookmarks: ``(path, notes, bookmarks)``.

    The one call a view needs; a store failure is an ``ExportError`` too.
    """
    from briefing.store import StoreError

    try:
        with store.snapshot():  # type: ignore[attr-defined]
            notes = store.notes.list(report)  # type: ignore[attr-defined]
            bookmarks = store.bookmarks.list(report)  # type: ignore[attr-defined]
    except StoreError as error:
        raise ExportError(_("cannot read the notes: {error}").format(error=error)) from None
    written = write_export(path, render_markdown(report, notes, bookmarks))
    return written, len(notes), len(bookmarks)


def _shown_path(path: Path | str) -> str:
    """A path as it can be printed in one line: controls stripped."""
    from briefing.text import strip_control

    return " ".join(strip_control(str(path)).split()) or "''"
