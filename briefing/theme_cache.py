"""The checked fields of the theme chosen at start-up, kept between runs.

Reading a theme means importing ``tomllib``, parsing the file and letting
Textual check every colour: ~10 ms of the reader's start-up, spent on the same
file each time. The result is kept as JSON in the cache folder (as the report
cache), keyed by the theme file's path, size, mtime, ctime and inode and by
the theme checker's own source, so that an edited file or a new briefing or
Textual checks it again. Any problem with the cache is a miss, never an error.
"""

from __future__ import annotations

import contextlib
import json
import os
import stat
import sys
import zlib
from pathlib import Path
from typing import Any

from briefing.report_cache import _CORRUPT, _remove_other_versions, _write_entry, cache_dir

_FORMAT = 1


def _textual_origin() -> str | None:
    """Where Textual's ``__init__.py`` is: from the module when the reader has
    imported it (no ``importlib.util`` on the start-up path), else found."""
    module = sys.modules.get("textual")
    spec = getattr(module, "__spec__", None)
    if spec is None:
        import importlib.util

        spec = importlib.util.find_spec("textual")  # a top-level name: nothing is imported
    return None if spec is None else spec.origin


def _checker_version() -> str | None:
    """The checker's sources (ours and Textual's theme module) as a CRC; None if unreadable.

    Textual's file is found, not imported: this module is model code, free of the UI.
    """
    origin = _textual_origin()
    if origin is None:
        return None
    crc = zlib.crc32(f"theme-cache-{_FORMAT}".encode())
    sources = (Path(__file__).with_name("themes.py"), Path(origin).with_name("theme.py"))
    try:
        for source in sources:
            crc = zlib.crc32(source.read_bytes(), crc)
    except OSError:
        return None
    return f"{crc:08x}"


def _stamp(path: Path) -> list[int] | None:
    """What changes when the file does; None when it is not a readable regular file."""
    try:
        info = path.stat()
    except OSError:
        return None
    if not stat.S_ISREG(info.st_mode):
        return None
    return [info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino]


def _entry_path(path: Path, version: str) -> Path:
    return cache_dir() / f"theme-{zlib.crc32(os.fsencode(path)):08x}-{version}.json"


def load(path: Path) -> dict[str, Any] | None:
    """The fields saved for ``path`` if the file is unchanged since, else None."""
    version = _checker_version()
    stamp = _stamp(path)
    if version is None or stamp is None:
        return None
    try:
        entry = json.loads(_entry_path(path, version).read_bytes())
        if entry["path"] != str(path) or entry["stamp"] != stamp:
            return None
        fields = entry["fields"]
    except _CORRUPT:
        return None
    return fields if isinstance(fields, dict) else None


def save(path: Path, fields: dict[str, Any]) -> None:
    """Keep the checked ``fields`` of the theme file ``path``; quietly not when it cannot."""
    version = _checker_version()
    stamp = _stamp(path)
    if version is None or stamp is None:
        return
    entry = {"path": str(path), "stamp": stamp, "fields": fields}
    with contextlib.suppress(OSError, TypeError, ValueError):
        content = json.dumps(entry, ensure_ascii=False, allow_nan=False).encode()
        target = _entry_path(path, version)
        _write_entry(target, content, prefix=".theme-", sync=False)
        _remove_other_versions(target)
