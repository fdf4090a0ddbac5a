"""The user's own data: bookmarks, notes, reading position and UI settings.

``Store.open()`` finds the database (``--db``/``BRIEFING_DB``/the user data
folder), recovers from a damaged file and hands out one repository per table.
Nothing here imports Textual; "saved" always means on disk.
"""

from __future__ import annotations

import os
from pathlib import Path

from briefing.store.anchors import AnchorError
from briefing.store.annotations import (
    Bookmarks,
    Notes,
    NotFound,
    ReadingPositions,
    Settings,
)
from briefing.store.storage import AtomicJSONStorage, StoreError

__all__ = [
    "AnchorError",
    "AtomicJSONStorage",
    "Bookmarks",
    "NotFound",
    "Notes",
    "ReadingPositions",
    "Settings",
    "Store",
    "StoreError",
    "default_db_path",
]

DB_NAME = "briefing.json"


def default_db_path() -> Path:
    """``BRIEFING_DB`` if set, else ``briefing.json`` in the user data folder."""
    env = os.environ.get("BRIEFING_DB")
    if env:
        return Path(env).expanduser()
    from briefing.paths import user_data_dir

    return user_data_dir() / DB_NAME


class Store:
    """One notes database and its repositories."""

    def __init__(self, storage: AtomicJSONStorage) -> None:
        self.storage = storage
        self.path = storage.path
        self.bookmarks = Bookmarks(storage)
        self.notes = Notes(storage)
        self.reading = ReadingPositions(storage)
        self.settings = Settings(storage)

    @classmethod
    def open(cls, path: str | Path | None = None) -> Store:
        """Open (or create) the database; ``StoreError`` with one line if impossible.

        A damaged file is moved aside: see ``recovered_from`` and ``warnings``.
        """
        target = Path(path).expanduser() if path else default_db_path()
        return cls(AtomicJSONStorage(target))

    @property
    def warnings(self) -> list[str]:
        """Messages for the user (e.g. a damaged database was moved aside)."""
        return self.storage.warnings

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
