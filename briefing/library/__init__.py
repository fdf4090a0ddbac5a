"""The user's library of reports: copies, a catalogue, and one search over all of them.

Plain Python (no Textual): the command line and the reader are views over it.
See ``core.Library`` for the folder layout and ``search`` for the combined index.
"""

from __future__ import annotations

from briefing.library.catalogue import LibraryEntry, LibraryError
from briefing.library.core import Library, default_folder, short
from briefing.library.search import LibraryHit, LibrarySearcher

__all__ = [
    "Library",
    "LibraryEntry",
    "LibraryError",
    "LibraryHit",
    "LibrarySearcher",
    "default_folder",
    "short",
]
