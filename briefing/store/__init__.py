"""The user's own data: bookmarks, notes, reading position and UI settings.

``Store.open()`` finds the database (``--db``/``BRIEFING_DB``/the user data
folder), recovers from a damaged file and hands out one repository per table.
Nothing here imports Textual; "saved" always means on disk.

For a long-running view (the reader): ``StoreDamaged`` (a ``StoreError``) is
raised once by the call that finds the file damaged after it was opened (it
has been moved aside and a fresh database started: tell the user, reload);
``Store.changed()`` says cheaply whether the file changed on disk since this
process last read or wrote it; ``take_warnings()`` hands out warnings not
yet shown (records skipped because they do not fit).
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from briefing.i18n import _
from briefing.store.anchors import AnchorError
from briefing.store.annotations import (
    Bookmarks,
    Notes,
    NotFound,
    ReadingPositions,
    Settings,
)
from briefing.store.records import scan
from briefing.store.storage import AtomicJSONStorage, StoreDamaged, StoreError

__all__ = [
    "AnchorError",
    "AtomicJSONStorage",
    "Bookmarks",
    "NotFound",
    "Notes",
    "ReadingPositions",
    "Settings",
    "Store",
    "StoreDamaged",
    "StoreError",
    "default_db_path",
]

DB_NAME = "briefing.json"


def default_db_path() -> Path:
    """``BRIEFING_DB`` if set, else ``briefing.json`` in the user data folder.

    ``StoreError`` if ``BRIEFING_DB`` starts with ``~user`` for an unknown user.
    """
    env = os.environ.get("BRIEFING_DB")
    if env:
        return _expand(env)
    from briefing.paths import user_data_dir

    return user_data_dir() / DB_NAME


def _expand(path: str | Path) -> Path:
    from briefing.paths import PathProblem, expand_user

    try:
        return expand_user(path)
    except PathProblem as error:
        raise StoreError(_("notes database: {error}").format(error=error)) from None


class Store:
    """One notes database and its repositories."""

    def __init__(self, storage: AtomicJSONStorage) -> None:
        self.storage = storage
        self.path = storage.path
        self._shown_warnings = 0
        self.bookmarks = Bookmarks(storage)
        self.notes = Notes(storage)
        self.reading = ReadingPositions(storage)
        self.settings = Settings(storage)

    @classmethod
    def open(cls, path: str | Path | None = None) -> Store:
        """Open (or create) the database; ``StoreError`` with one line if impossible.

        A damaged file is moved aside: see ``recovered_from`` and ``warnings``.
        """
        target = _expand(path) if path else default_db_path()
        return cls(AtomicJSONStorage(target, validate=scan))

    @property
    def warnings(self) -> list[str]:
        """Messages for the user (e.g. a damaged database was moved aside)."""
        return self.storage.warnings

    def take_warnings(self) -> list[str]:
        """Warnings not handed out before (each one is given once)."""
        fresh = self.storage.warnings[self._shown_warnings :]
        self._shown_warnings = len(self.storage.warnings)
        return fresh

    def snapshot(self) -> contextlib.AbstractContextManager[None]:
        """``with store.snapshot():`` reads see one read of the file (a read-only command)."""
        return self.storage.snapshot()

    def changed(self) -> bool:
        """Whether the database file changed on disk since this store last read or wrote it."""
        return self.storage.changed()

    @property
    def recovered_from(self) -> Path | None:
        """Where a damaged database was moved, if that happened while open."""
        return self.storage.recovered_from

    def close(self) -> None:
        self.storage.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
