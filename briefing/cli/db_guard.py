"""Refuse a notes database that is the report being read (no click import: the
reader's start-up path uses it too).

``--db`` and a report path are both file names on one command line; a slip puts
the report where the database goes. The store would then take the report for a
damaged database and move it aside, so the user's file disappears from where it
was. Saying so is better.
"""

from __future__ import annotations

import os

from briefing.i18n import _


def db_is_report(db: str | os.PathLike[str] | None, path: str | os.PathLike[str] | None) -> str:
    """The one-line error when ``db`` names the same file as ``path``, else ""."""
    if not db or not path:
        return ""
    try:
        same = os.path.samefile(db, path)
    except (OSError, ValueError):
        return ""  # either is missing or unreadable: the store or the loader says so
    if not same:
        return ""
    from briefing.source import display_name

    return _("{db} is the report itself, not a notes database; give another --db file").format(
        db=display_name(db)
    )
