"""The library's catalogue: one record per stored report, in an atomic JSON file.

Why JSON and not SQLite: the catalogue of 1,000 reports is ~400 KB and is
read whole by every command (``orjson`` parses it in a few milliseconds;
``sqlite3`` alone costs more to import), and the notes store already gives a
proven recipe: every write is a temp file, fsync, ``os.replace`` under an
exclusive lock file, so a kill leaves the old or the new catalogue, never a
mix. A record that does not fit is skipped, kept in the file and reported;
a file that cannot be read at all is moved aside and rebuilt from the stored
copies (``Library``), so nothing is lost.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import Any

from briefing.i18n import _

CATALOGUE_VERSION = 1
_HEX64 = re.compile(r"[0-9a-f]{64}\Z")


class LibraryError(Exception):
    """A library problem the user must be told about: the message is one line."""


@dataclass(frozen=True)
class LibraryEntry:
    """One report of the library, as the catalogue knows it (no parsing needed)."""

    id: str  # sha256 hex of the stored file's bytes
    report_sha256: str  # Report.sha256: the key of notes and reading state
    title: str
    publisher: str
    date: str
    size: int
    sections: int
    figures: int
    characters: int
    source_path: str
    stored_path: Path
    added: str
    bundled: bool = False


_STR_FIELDS = ("report_sha256", "title", "publisher", "date", "source_path", "added")
_INT_FIELDS = ("size", "sections", "figures", "characters")


def entry_to_record(entry: LibraryEntry, folder: Path) -> dict[str, Any]:
    """The JSON record of ``entry``; stored paths are kept relative to the library."""
    stored = entry.stored_path
    if not entry.bundled:
        stored = stored.relative_to(folder)
    return {
        "id": entry.id,
        **{name: getattr(entry, name) for name in _STR_FIELDS + _INT_FIELDS},
        "stored_path": str(stored),
        "bundled": entry.bundled,
    }


def _bad(field: str) -> str:
    """Why a record is skipped: one of its fields does not fit."""
    return _("bad {field}").format(field=field)


def record_to_entry(record: Any, folder: Path) -> LibraryEntry:
    """The entry a record describes; ``ValueError`` if it does not fit.

    Every command reads the whole catalogue (1,000 records): fields are checked
    by exact type and the stored path by its text, so that a record costs one
    ``Path``, not three.
    """
    if type(record) is not dict:
        raise ValueError(_("not an object"))
    entry_id = record.get("id")
    if type(entry_id) is not str or not _HEX64.match(entry_id):
        raise ValueError(_bad("id"))
    values: dict[str, Any] = {name: record.get(name) for name in _STR_FIELDS}
    for name, value in values.items():
        if type(value) is not str:
            if not isinstance(value, str):
                raise ValueError(_bad(name))
            values[name] = str(value)
    for name in _INT_FIELDS:
        value = record.get(name)
        if type(value) is not int or value < 0:  # a bool is no count
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                raise ValueError(_bad(name))
            value = int(value)
        values[name] = value
    bundled = record.get("bundled", False)
    stored = record.get("stored_path")
    if type(bundled) is not bool or type(stored) is not str or not stored:
        raise ValueError(_bad("stored_path"))
    if bundled:
        path = Path(stored)
    else:
        # A stored copy lives inside the library: never follow a record elsewhere.
        if _outside(stored):
            raise ValueError(_("stored_path outside the library"))
        path = folder / stored
    return LibraryEntry(id=entry_id, stored_path=path, bundled=bundled, **values)


def _outside(stored: str) -> bool:
    """Whether a relative path from a record could lead out of the library."""
    if os.name == "posix":  # what ``Path`` would say, without making one
        return stored.startswith("/") or ".." in stored.split("/")
    path = PurePath(stored)  # pragma: no cover - drives and backslashes
    return path.is_absolute() or bool(path.drive) or ".." in path.parts  # pragma: no cover


def decode_catalogue(raw: bytes) -> dict[str, Any]:
    """The catalogue's records by id; ``ValueError`` if the file is not a catalogue."""
    try:
        import orjson

        data = orjson.loads(raw)
    except ImportError:  # pragma: no cover - orjson is a dependency
        data = json.loads(raw)
    except Exception as error:  # orjson.JSONDecodeError is a ValueError subclass
        raise ValueError(str(error)) from None
    if not isinstance(data, dict) or not isinstance(data.get("entries"), dict):
        raise ValueError(_("not a library catalogue"))
    if data.get("version") != CATALOGUE_VERSION:
        raise ValueError(
            _("catalogue version {version} is not known").format(version=repr(data.get("version")))
        )
    return data["entries"]


def encode_catalogue(records: dict[str, Any]) -> bytes:
    """The catalogue file's bytes (UTF-8, Chinese kept readable)."""
    data = {"version": CATALOGUE_VERSION, "entries": records}
    try:
        import orjson

        return orjson.dumps(data, option=orjson.OPT_INDENT_2) + b"\n"
    except ImportError:  # pragma: no cover
        return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
