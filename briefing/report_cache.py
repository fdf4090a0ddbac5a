"""The parsed-report cache: a report opened before loads without the parser.

Parsing costs tens of milliseconds on the reader's start-up path, most of it
compiling regular expressions; a cache hit needs only ``json``, ``zlib`` and
the model. One file per report path and code version, in the same folder as
the readings cache (``$BRIEFING_CACHE_DIR`` or the platform user cache folder).

A cached report is served only if it is certainly what parsing would give:

- the file name carries a checksum of the parser's own source files and the
  Python version, so any change to ``parse.py``, ``source.py`` (and the
  ``text.py`` it cleans with), ``model.py`` or this module misses
  (automatically, nothing to bump);
- the entry records the source's resolved path, size, ``mtime_ns`` and a
  CRC-32 of its bytes, and the file is read again and checked on every hit
  (a same-size rewrite within one timestamp tick still misses); the reader's
  start (``check_later``) does these two passes over every byte right after
  its first paint instead (``check_deferred``), and loads the report again
  if they fail;
- the entry (``FORMAT`` 3) is a JSON header line, a JSON line describing the
  report (its metadata and the sizes of what follows), binary arrays of
  unsigned integers (``_COLUMNS``: per section where its text ends in the run
  of texts, where its paragraphs start, heading flag, level and parent; per
  paragraph its length, width in cells, spacer and estimated height at the
  reader's default measure: ``section_table.ParagraphLayout``; where each
  number and title ends, where each id ends), the sections' ids as one UTF-8
  run (a ``section_table.IdColumn``: an id is decoded when asked for, a lookup
  searches the run, nothing is split), their numbers and titles as another
  (decoded one at a time as the contents draws them: a
  ``section_table.LabelRun``), and then every section's text, one UTF-8 run;
  the header holds a CRC-32 of all that follows it, so a damaged file misses
  too, and one of the report line, columns and labels alone, which the reader's
  start checks before using them. Nothing per section is a JSON value and
  nothing is checked a section at a time before the first paint (the checks
  that read every number, ``_values_ok``, wait with the CRC-32 of the texts):
  loading is a few C passes, whatever the number of sections.

Nothing is made per section on loading: the report's ``sections`` is a
``SectionTable`` that makes a section (decodes its text) when it is first
asked for, and the reader lays the page out from the arrays, so its first
paint makes only the sections it shows (a warm 19 MB report: ~270 -> ~70 ms
to load, and the page ~140 -> ~20 ms).

The figures of a report (``figures.py``) are cached beside it, in a file
keyed the same way (path and a checksum of the parser's and the figure
grammar's sources), so a warm ``briefing figures`` and the reader's figures
panel cost a file read. A figures entry is served only for the very report it
was found in: its header holds the report's sha256 and a CRC-32 of every
section id and text, and a CRC-32 of the figures line. The figures are stored
compactly, seven numbers a figure (section index, start, length, kind, unit,
approx, value) with the kinds and units listed once; a figure's text is
sliced from its section again on loading.

Anything unexpected (missing, unreadable or corrupt cache, a read-only disk)
means a miss or a skipped write, never an error. Files are written
atomically: a temp file in the same folder, then ``os.replace``.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import stat
import sys
import zlib
from array import array
from collections.abc import Callable
from itertools import accumulate
from pathlib import Path
from typing import Any

from briefing.i18n import language
from briefing.model import FIGURE_KINDS, Figure, Metadata, Report
from briefing.section_table import (
    DEFAULT_WIDTH,
    IdColumn,
    LabelRun,
    ParagraphLayout,
    SectionTable,
    section_column,
)

CACHE_ENV = "BRIEFING_CACHE_DIR"
_PACKAGE_DIR = Path(__file__).resolve().parent
# The modules whose code decides what a report parses to.
_PARSER_FILES = (
    "model.py",
    "parse.py",
    "source.py",
    "text.py",
    "report_cache.py",
    "section_table.py",
    # What a published file (HTML, DOCX, PDF) is converted to.
    "formats/__init__.py",
    "formats/html.py",
    "formats/docx.py",
    "formats/pdf.py",
)
# ... and those that decide which figures it holds.
_FIGURE_FILES = (*_PARSER_FILES, "figures.py")
# RuntimeError: Path.resolve on a symlink loop (RecursionError is one too).
_CORRUPT = (OSError, ValueError, TypeError, KeyError, IndexError, AttributeError, RuntimeError)


def cache_dir() -> Path:
    """``$BRIEFING_CACHE_DIR`` or the platform user cache folder (as the readings cache)."""
    override = os.environ.get(CACHE_ENV)
    if override:
        return Path(override)
    from briefing.paths import user_cache_dir

    return user_cache_dir()


@functools.cache
def code_version() -> str | None:
    """A checksum of the parser's source files and the Python version; None if unreadable.

    Without readable sources (a bytecode-only install) there is no safe key,
    so the cache is off.
    """
    return _checksum(_PARSER_FILES)


@functools.cache
def figures_version() -> str | None:
    """As ``code_version``, over the figure grammar's sources as well."""
    return _checksum(_FIGURE_FILES)


def _checksum(names: tuple[str, ...]) -> str | None:
    crc = zlib.crc32(f"py{sys.version_info[0]}.{sys.version_info[1]}".encode())
    try:
        for name in names:
            crc = zlib.crc32((_PACKAGE_DIR / name).read_bytes(), crc)
    except OSError:
        return None
    return f"{crc:08x}"


def _path_key(source: Path) -> str:
    return f"{zlib.crc32(os.fsencode(source)):08x}"


def cache_path(source: Path, version: str) -> Path:
    """Where the report parsed from the resolved path ``source`` is cached."""
    return cache_dir() / f"report-{_path_key(source)}-{version}.json"


def load_cached(path: str | Path, *, check_later: bool = False) -> Report | None:
    """The cached report for the file at ``path``, or None unless it is certainly current.

    Its sections are a ``SectionTable``: made (texts decoded) when first asked
    for, so the reader's first paint makes only those it shows.

    ``check_later`` (the reader's start): see ``_load_unchecked``.
    """
    try:
        source = Path(path).resolve()
        version = code_version()
        if version is None:
            return None
        if check_later:
            return _load_unchecked(source, cache_path(source, version), Path(path))
        raw = cache_path(source, version).read_bytes()
        # Offsets into one buffer (views, never copies of ~the report's size).
        header_end = raw.index(b"\n")
        header = json.loads(raw[:header_end])
        view = memoryview(raw)
        info = _same_file(source, header)
        if info is None:
            return None
        check = PendingCheck(source, info.st_size, header, lambda: view[header_end + 1 :])
        if not check.passes():
            return None
        report_end = raw.index(b"\n", header_end + 1)
        report_line = _loads_columns(view[header_end + 1 : report_end])
        report = _report_from_entry(report_line, view[report_end + 1 :], Path(path))
        return report if _values_ok(report) else None
    except _CORRUPT:
        return None


def _same_file(source: Path, header: dict[str, Any]) -> os.stat_result | None:
    """The source's ``stat`` if it is a regular file of the path, size and mtime the
    entry was made from (the cheap checks), else None."""
    info = source.stat()
    if (
        stat.S_ISREG(info.st_mode)
        and header["path"] == str(source)
        and header["size"] == info.st_size
        and header["mtime_ns"] == info.st_mtime_ns
    ):
        return info
    return None


def _load_unchecked(source: Path, entry: Path, path: Path) -> Report | None:
    """The reader's start: the entry served after the cheap checks only.

    Only the entry's header, columns and arrays are read (not its ~report-sized
    run of texts: a section's text is read from the open file when first
    made); of the CRC-32s only that of the columns (a few bytes a paragraph) is
    computed, the source's, the texts' and ``_values_ok`` are left to ``check_deferred``,
    which the reader runs right after its first paint and which must pass
    before the report is trusted. It reads the entry through the same open
    file (the very bytes served) and, once they check out, the sections are
    made from them in memory.
    """
    with entry.open("rb") as handle:
        header_line = handle.readline()
        header = json.loads(header_line)
        info = _same_file(source, header)
        if info is None:
            return None
        report_line = handle.readline()
        if not report_line.endswith(b"\n"):
            raise ValueError("no report line")
        data = _loads_columns(memoryview(report_line)[:-1])
        binary = handle.read(_binary_size(data))
        # The columns are used before the deferred checks: a damaged one (its CRC-32,
        # a C pass over a few bytes a paragraph) misses now rather than misleads the paint.
        if zlib.crc32(binary, zlib.crc32(report_line)) != header["columns_crc32"]:
            return None
        texts_at = handle.tell()
        # The same open file (not the path again: a new entry may replace it).
        texts = FileTexts(os.dup(handle.fileno()), texts_at)
    report = _report_from_entry(data, memoryview(binary), path, texts)
    table = report.sections
    if not isinstance(table, SectionTable):  # pragma: no cover - _report_from_entry makes one
        return report
    content_at = len(header_line)

    def use_in_memory(content: memoryview) -> None:
        table.use_texts(content[texts_at - content_at :])

    def read_entry() -> memoryview:
        return memoryview(texts.read_from(content_at))

    table.pending_check = PendingCheck(
        source, info.st_size, header, read_entry, use_in_memory, lambda: _values_ok(report)
    )
    return report


class FileTexts:
    """Every section's text, read from the open cache entry when a section is made.

    Reads go through a descriptor of the file opened when the entry was
    checked (``os.pread``: no shared position, safe from any thread), so what
    is read is that entry even if a new one replaces it meanwhile. The
    descriptor is closed when nothing reads through it any more.
    """

    def __init__(self, fd: int, at: int) -> None:
        self._fd, self._at = fd, at
        self._size = max(0, os.fstat(fd).st_size - at)

    def __del__(self) -> None:
        with contextlib.suppress(OSError):
            os.close(self._fd)

    def __len__(self) -> int:
        return self._size

    def __getitem__(self, part: slice) -> bytes:
        start, stop, _step = part.indices(self._size)
        if stop <= start:
            return b""
        # A short or failed read (the file cut meanwhile) shows less text, and the
        # deferred check, reading the same file, fails: the report is loaded again.
        try:
            return os.pread(self._fd, stop - start, self._at + start)
        except OSError:
            return b""

    def read_from(self, at: int) -> bytes:
        """The file's bytes from ``at`` to its end (for the deferred check)."""
        return os.pread(self._fd, max(0, os.fstat(self._fd).st_size - at), at)


def _loads_columns(line: memoryview) -> Any:
    """The report line: orjson (the store has imported it already)."""
    try:
        import orjson
    except ImportError:  # pragma: no cover - a dependency; stay correct without it
        return json.loads(bytes(line))
    return orjson.loads(line)


class PendingCheck:
    """The checks that read every byte: the source's and the entry's CRC-32.

    ``passes`` reads the source again: its bytes must still be those the
    entry was made from (a rewrite of the same size within one ``mtime``
    tick is caught here), and the entry's own bytes (``read_entry``: those
    being served) must be undamaged; ``on_pass`` is then given them.
    """

    def __init__(
        self,
        source: Path,
        size: int,
        header: dict[str, Any],
        read_entry: Callable[[], memoryview],
        on_pass: Callable[[memoryview], None] | None = None,
        values_ok: Callable[[], bool] | None = None,
    ) -> None:
        self.source, self.size = source, size
        self.crc32, self.content_crc32 = header["crc32"], header["report_crc32"]
        self.read_entry, self.on_pass = read_entry, on_pass
        self.values_ok = values_ok

    def passes(self) -> bool:
        """Both CRC-32s match (O(size): zlib and file reads release the GIL), and
        the columns' numbers are sound (``values_ok``, when given)."""
        if self.values_ok is not None and not self.values_ok():
            return False
        try:
            content = self.read_entry()
            if self.content_crc32 != zlib.crc32(content):
                return False
            with self.source.open("rb") as handle:
                data = handle.read(self.size + 1)
        except OSError:
            return False
        if len(data) != self.size or self.crc32 != zlib.crc32(data):
            return False
        if self.on_pass is not None:
            self.on_pass(content)
        return True


def check_deferred(report: Report) -> bool:
    """Whether ``report`` is certainly current: True unless it was loaded with
    ``check_later`` and its deferred checks fail now (run them once; off the UI thread)."""
    sections = report.sections
    pending = getattr(sections, "pending_check", None)
    if not isinstance(pending, PendingCheck):
        return True
    ok = pending.passes()
    if ok:
        sections.pending_check = None  # type: ignore[attr-defined]
    return ok


def save_cached(path: str | Path, data: bytes, report: Report) -> Path | None:
    """Cache ``report``, parsed from ``data``, the bytes just read from ``path``.

    Returns the cache file, or None when nothing was written (not a regular
    file, no readable parser sources, a read-only or full disk).
    """
    try:
        source = Path(path).resolve()
        version = code_version()
        info = source.stat()
        if version is None or not stat.S_ISREG(info.st_mode) or info.st_size != len(data):
            return None
        content = _report_entry(report)
        line_end = content.index(b"\n") + 1
        columns_end = line_end + _binary_size(json.loads(content[:line_end]))
        header = {
            "path": str(source),
            "size": info.st_size,
            "mtime_ns": info.st_mtime_ns,
            "crc32": zlib.crc32(data),
            "report_crc32": zlib.crc32(content),
            # The report line, the columns and the labels: checked before the reader's
            # first paint, which uses them (the rest after it).
            "columns_crc32": zlib.crc32(content[:columns_end]),
        }
        target = cache_path(source, version)
        _write_entry(target, _dumps(header) + b"\n" + content, prefix=".report-", sync=True)
    # ValueError: text that cannot be UTF-8 (lone surrogates); RuntimeError: a symlink loop
    except (OSError, ValueError, RuntimeError):
        return None
    _remove_other_versions(target)
    return target


def _write_entry(target: Path, content: bytes, *, prefix: str, sync: bool) -> None:
    """Write a cache entry atomically: a temp file beside it, then ``os.replace``.

    ``sync`` fsyncs first; the figures cache skips it (it runs in the reader's
    worker, and an entry damaged by a crash fails its CRC and misses).
    """
    import tempfile

    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=prefix, suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
            if sync:
                handle.flush()
                os.fsync(handle.fileno())
        os.replace(tmp_name, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        raise


def _remove_other_versions(target: Path) -> None:
    """Entries for the same path from other code versions can never be served again."""
    prefix = target.name.rsplit("-", 1)[0] + "-"
    for old in target.parent.glob(f"{prefix}*.json"):
        if old != target:
            with contextlib.suppress(OSError):
                old.unlink()


def _dumps(value: Any) -> bytes:
    """One line of JSON (strings never hold a raw newline once encoded)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


# The format of an entry: an entry of another format is never read (it also
# misses by name, as the module's checksum changes with it).
FORMAT = 3
# The binary columns after the report line, in this order, each with its array
# typecode (unsigned: no column holds a negative number, so none is checked for
# one): per section, where its text ends in the UTF-8 run (running sums: nothing
# to add up on loading), where its paragraphs start (running sums of their
# counts, then the total), heading flag, level and parent (its position + 1, 0
# for none); per paragraph, its length in characters, its width in cells, its
# spacer and its estimated height at ``section_table.DEFAULT_WIDTH`` (so the
# reader lays a report out at its default measure without a step per paragraph);
# then where each number, then each title, ends in their UTF-8 run, and where
# each id ends in theirs.
_COLUMNS = (
    ("ends", "I"),
    ("firsts", "I"),
    ("headings", "B"),
    ("levels", "B"),
    ("parents", "I"),
    ("lengths", "I"),
    ("cells", "I"),
    ("spacers", "B"),
    ("heights", "I"),
    ("label_ends", "I"),
    ("id_ends", "I"),
)
# Between the ids in their UTF-8 run: no id holds one (ids are made of numbers
# and dots); a report where one would is not cached.
_ID_SEPARATOR = "\n"


def _report_entry(report: Report) -> bytes:
    """The report line (metadata, sizes), the binary columns, the ids, the numbers and
    titles, then the texts.

    Nothing per section is JSON: the reader's start decoded ~50,000 JSON values
    and checked their types for a 5 MB report (~40 M instructions) where a few
    typed arrays cost next to nothing."""
    sections = report.sections
    encoded = [s.text.encode("utf-8") for s in sections]
    layout = ParagraphLayout.of(sections)
    ids = [s.id for s in sections]
    order = {section_id: at for at, section_id in enumerate(ids, start=1)}
    if any(_ID_SEPARATOR in section_id for section_id in ids):
        raise ValueError("an id that holds the separator")
    id_parts = [section_id.encode("utf-8") for section_id in ids]
    names = [s.number.encode("utf-8") for s in sections]
    names += [s.title.encode("utf-8") for s in sections]
    heights = layout.heights_at(DEFAULT_WIDTH)
    columns = {
        "ends": list(accumulate(map(len, encoded))),
        "firsts": layout.firsts,
        "headings": layout.headings,
        "levels": [s.level for s in sections],
        "parents": [0 if s.parent is None else order[s.parent] for s in sections],
        "lengths": layout.lengths,
        "cells": layout.cells,
        "spacers": layout.spacers,
        "heights": heights,
        "label_ends": list(accumulate(map(len, names))),
        # Each id ends one byte (the separator) past the previous one's end.
        "id_ends": [end - 1 for end in accumulate(len(part) + 1 for part in id_parts)],
    }
    try:
        arrays = [array(code, columns[name]) for name, code in _COLUMNS]
    except OverflowError as error:  # a level past 255 (no parser makes one)
        raise ValueError("a number too large for its column") from error
    id_run = _ID_SEPARATOR.encode().join(id_parts)
    name_run = b"".join(names)
    meta = report.metadata
    line = {
        "format": FORMAT,
        "metadata": [
            meta.title,
            meta.publisher,
            meta.date,
            meta.index_no,
            meta.fields,
            meta.title_source,
        ],
        "arrays": [len(values) for values in arrays],
        "labels": [len(id_run), len(name_run)],
        "cells_total": layout.cells_total,
        "byteorder": sys.byteorder,
        "sha256": report.sha256,
        "warnings": list(report.warnings),
        # Warnings are sentences in the language in use: another language misses.
        "language": language() if report.warnings else None,
    }
    binary = b"".join(values.tobytes() for values in arrays)
    return _dumps(line) + b"\n" + binary + id_run + name_run + b"".join(encoded)


def _binary_size(data: dict[str, Any]) -> int:
    """Bytes of the binary columns and the labels that follow the report line."""
    sizes, labels = data["arrays"], data["labels"]
    for numbers in (sizes, labels):
        if type(numbers) is not list or not all(type(n) is int and n >= 0 for n in numbers):
            raise TypeError("sizes")
    if len(labels) != 2 or len(sizes) != len(_COLUMNS):
        raise ValueError("labels or columns")
    widths = [array(code).itemsize for _name, code in _COLUMNS]
    return sum(map(int.__mul__, sizes, widths)) + sum(labels)


def _report_from_entry(
    data: dict[str, Any], view: memoryview, path: Path, texts: Any = None
) -> Report:
    """The report an entry describes (``view``: its binary columns, the labels, then
    every section's text, or ``texts`` holds them); TypeError/ValueError if it is malformed.

    Every check here is a C pass or a look at a column's ends (no Python step per
    section): the reader's first paint waits for this. The checks that read every
    number (``_values_ok``) are made by the caller."""
    if data.get("format") != FORMAT:
        raise ValueError("an entry of another format")
    title, publisher, date, index_no, fields, title_source = data["metadata"]
    metadata = Metadata(
        title=_str(title),
        publisher=_str(publisher),
        date=_str(date),
        index_no=_str(index_no),
        fields=tuple((_str(label), _str(value)) for label, value in fields),
        title_source=_str(title_source),
    )
    sizes = data["arrays"]
    _binary_size(data)
    if data["byteorder"] != sys.byteorder:
        raise ValueError("arrays")
    cells_total = data["cells_total"]
    if type(cells_total) is not int or cells_total < 0:
        raise TypeError("cells_total")
    at = 0
    arrays = []
    for size, (_name, code) in zip(sizes, _COLUMNS, strict=True):
        values = array(code)
        raw = view[at : at + size * values.itemsize]
        values.frombytes(raw)
        if len(values) != size:
            raise ValueError("a short column")
        arrays.append(values)
        at += size * values.itemsize
    ends, firsts, headings, levels, parents, lengths, cells, spacers, heights = arrays[:9]
    label_ends, id_ends = arrays[9:]
    count = len(ends)
    if not (len(headings) == len(levels) == len(parents) == len(id_ends) == count):
        raise ValueError("columns of another length")
    paragraphs = len(lengths)
    if not (len(cells) == len(spacers) == len(heights) == paragraphs):
        raise ValueError("paragraph columns of another length")
    if len(firsts) != count + 1 or firsts[0] != 0 or firsts[-1] != paragraphs:
        raise ValueError("paragraphs of another count")
    id_size, name_size = data["labels"]
    id_end, name_end = at + id_size, at + id_size + name_size
    if len(label_ends) != 2 * count or (label_ends[-1] if count else 0) != name_size:
        raise ValueError("labels of another length")
    if name_end > len(view):
        raise ValueError("labels cut short")
    id_run = bytes(view[at:id_end])
    # Strict UTF-8 (the ids are used before any check), and as many as the ends say.
    id_run.decode("utf-8")
    if (id_ends[-1] if count else 0) != id_size or (count and id_run.count(b"\n") != count - 1):
        raise ValueError("ids of another count")
    names = LabelRun(bytes(view[id_end:name_end]), label_ends, count)
    blob = view[name_end:] if texts is None else texts  # a view of the entry, not a copy
    if (ends[-1] if count else 0) != len(blob):
        raise ValueError("texts of another length")
    layout = ParagraphLayout(firsts, headings, lengths, cells, spacers, heights, cells_total)
    sections = SectionTable(
        IdColumn(id_run, id_ends) if count else [],
        levels.tolist(),
        names,
        None,
        parents,
        blob,
        ends,
        layout,
        levels.tobytes(),
    )
    warnings = tuple(_str(warning) for warning in data.get("warnings", ()))
    if warnings and data.get("language") != language():
        raise ValueError("warnings in another language")
    return Report(metadata, sections, _str(data["sha256"]), path, warnings)


def _values_ok(report: Report) -> bool:
    """The checks of an entry that read every number (a Python step per section):
    each section has a paragraph, a parent before it, and its id where the ends say.

    Made at once by ``load_cached``; the reader's start leaves them to the checks
    after its first paint (``PendingCheck``), as it leaves the CRC-32 of the texts."""
    table = report.sections
    if not isinstance(table, SectionTable) or not isinstance(table.ids, IdColumn):
        return True
    layout = table.layout
    if layout is None:  # pragma: no cover - a cached table always has one
        return True
    firsts = layout.firsts
    if not all(map(int.__lt__, firsts[:-1], firsts[1:])):
        return False
    parents = table._parents
    if not isinstance(parents, list) and not all(map(len(parents).__ge__, parents)):
        return False
    return table.ids.ends_agree()


def _str(value: object) -> str:
    if type(value) is not str:
        raise TypeError(f"expected a string, got {type(value).__name__}")
    return value


# --------------------------------------------------------------------------
# Figures


def figures_path(source: Path, version: str) -> Path:
    """Where the figures of the report parsed from the resolved path ``source`` are cached."""
    return cache_dir() / f"figures-{_path_key(source)}-{version}.json"


def report_figures_cached(report: Report) -> list[Figure]:
    """The report's figures: from the cache when it holds them, else found and cached."""
    found = load_figures(report)
    if found is None:
        from briefing.figures import report_figures

        found = report_figures(report)
        save_figures(report, found)
    return found


def sections_crc32(report: Report) -> int:
    """A CRC-32 of every section's id and text, in order: what the figures depend on.

    Read from a cache's columns when it has them: making the 16,000 sections of
    an 8 MB report only for their ids and texts cost ~0.15 s of each load."""
    sections = report.sections
    texts = sections.texts if isinstance(sections, SectionTable) else None
    if texts is None:
        texts = [section.text for section in sections]
    crc = 0
    for section_id, text in zip(section_column(sections, "id"), texts, strict=True):
        crc = zlib.crc32(section_id.encode("utf-8", "surrogatepass") + b"\0", crc)
        crc = zlib.crc32(text.encode("utf-8", "surrogatepass") + b"\0", crc)
    return crc


def load_figures(report: Report) -> list[Figure] | None:
    """The cached figures of ``report``, or None unless they are certainly its figures."""
    try:
        data = _cached_figures_data(report)
        return None if data is None else _figures_from_json(data, report)
    except _CORRUPT:
        return None


def load_figure_spans(report: Report) -> dict[str, list[tuple[int, int]]] | None:
    """The cached figures' ``(start, end)`` by section id, or None as ``load_figures``.

    What an excerpt needs (none begins inside a figure), without making the
    figures: at 8 MB, 67,000 ``Figure`` objects were most of a repeated search."""
    try:
        data = _cached_figures_data(report)
        return None if data is None else _spans_from_json(data, report)
    except _CORRUPT:
        return None


def _cached_figures_data(report: Report) -> dict[str, Any] | None:
    """The decoded figures entry of ``report`` when it is certainly its own; may raise
    one of ``_CORRUPT``."""
    if report.path is None:
        return None
    source = Path(report.path).resolve()
    version = figures_version()
    if version is None:
        return None
    header_line, figures_line = figures_path(source, version).read_bytes().split(b"\n", 1)
    header = json.loads(header_line)
    if not (
        header["path"] == str(source)
        and header["sha256"] == report.sha256
        and header["figures_crc32"] == zlib.crc32(figures_line)
        and header["sections_crc32"] == sections_crc32(report)
    ):
        return None
    return json.loads(figures_line)


def save_figures(report: Report, figures: list[Figure]) -> Path | None:
    """Cache the figures found in ``report``; the file, or None when nothing was written."""
    if report.path is None:
        return None
    try:
        source = Path(report.path).resolve()
        version = figures_version()
        if version is None:
            return None
        import orjson  # (a figures line is ~500,000 numbers: ~10x json.dumps)

        figures_line = orjson.dumps(_figures_to_json(figures, report))
        header = {
            "path": str(source),
            "sha256": report.sha256,
            "sections_crc32": sections_crc32(report),
            "figures_crc32": zlib.crc32(figures_line),
        }
        target = figures_path(source, version)
        _write_entry(target, _dumps(header) + b"\n" + figures_line, prefix=".figures-", sync=False)
    # KeyError: a figure of a section not in the report; TypeError: text that cannot be UTF-8
    except (OSError, ValueError, KeyError, TypeError, RuntimeError):
        return None
    _remove_other_versions(target)
    return target


def _figures_to_json(figures: list[Figure], report: Report) -> dict[str, Any]:
    """The figures as seven numbers each (see the module docstring). A report's
    figures come section by section: a section's index is looked up when it changes."""
    units: dict[str, int] = {}
    kinds = {kind: i for i, kind in enumerate(FIGURE_KINDS)}
    flat: list[Any] = []
    extend = flat.extend
    index_of = report.index_of
    section_id: str | None = None
    index = 0
    for figure in figures:
        if figure.section != section_id:
            section_id = figure.section
            index = index_of(section_id)
        unit = units.get(figure.unit)
        if unit is None:
            unit = units[figure.unit] = len(units)
        start = figure.start
        extend(
            (
                index,
                start,
                figure.end - start,
                kinds[figure.kind],
                unit,
                int(figure.approx),
                figure.value,
            )
        )
    return {"kinds": list(FIGURE_KINDS), "units": list(units), "figures": flat}


def _spans_from_json(data: dict[str, Any], report: Report) -> dict[str, list[tuple[int, int]]]:
    """``(start, end)`` of each figure an entry describes, by section id (checked as
    ``_figures_from_json`` checks them, without making a figure)."""
    flat = data["figures"]
    if type(flat) is not list or len(flat) % 7:
        raise ValueError("figures")
    ids = section_column(report.sections, "id")
    if isinstance(ids, IdColumn):
        ids = ids.as_list()  # one split, then a list's look-up per figure
    spans: dict[str, list[tuple[int, int]]] = {}
    for at in range(0, len(flat), 7):
        index, start, length = flat[at : at + 3]
        if min(index, start) < 0 or length <= 0:
            raise ValueError("figure out of its section")
        spans.setdefault(ids[index], []).append((start, start + length))
    return spans


def _figures_from_json(data: dict[str, Any], report: Report) -> list[Figure]:
    """The figures an entry describes; TypeError/ValueError/IndexError if it is malformed."""
    kinds = data["kinds"]
    if kinds != list(FIGURE_KINDS):
        raise ValueError("kinds")
    units = [_str(unit) for unit in data["units"]]
    flat = data["figures"]
    if type(flat) is not list or len(flat) % 7:
        raise ValueError("figures")
    sections = report.sections
    figures: list[Figure] = []
    append = figures.append
    for at in range(0, len(flat), 7):
        index, start, length, kind, unit, approx, value = flat[at : at + 7]
        section = sections[index]
        end = start + length
        if min(index, start, kind, unit) < 0 or length <= 0 or end > len(section.text):
            raise ValueError("figure out of its section")
        if (value is not None and type(value) not in (int, float)) or approx not in (0, 1):
            raise TypeError("value or approx")
        append(
            Figure(
                section.id,
                start,
                end,
                section.text[start:end],
                kinds[kind],
                None if value is None else float(value),
                units[unit],
                bool(approx),
            )
        )
    return figures
