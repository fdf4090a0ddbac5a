"""Search the user's own notes and bookmarks with the report search engine.

Every way of typing a query that finds report text (hanzi, full pinyin,
initials, a mix, tone digits or marks, fuzzy) finds a note's text or a
bookmark's section title the same way: the texts become the sections of a tiny
report (``briefing.search.texts``; readings are computed, not cached: a list
of notes is small and changes all the time).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from briefing.model import Bookmark, Match, Note

ItemKind = Literal["note", "bookmark"]


@dataclass(frozen=True)
class NoteHit:
    """One hit: the note or bookmark, and where in its searched text the query is.

    ``match.text == searched_text(hit.item)[match.start:match.end]``; ``match.section``
    is an internal id and means nothing outside this module.
    """

    kind: ItemKind
    item: Note | Bookmark
    match: Match


def searched_text(item: Note | Bookmark) -> str:
    """What is searched: a note's text, a bookmark's section title."""
    return item.text if isinstance(item, Note) else item.section_title


def search_notes(
    query: str,
    notes: Sequence[Note] = (),
    bookmarks: Sequence[Bookmark] = (),
    *,
    fuzzy: bool = False,
    limit: int | None = None,
) -> list[NoteHit]:
    """Hits for ``query`` in notes' texts and bookmarks' titles, best first (ties in
    the order given: notes, then bookmarks). At most one hit per item, its best."""
    from briefing.search.texts import TextIndex

    items: list[tuple[ItemKind, Note | Bookmark]] = [("note", n) for n in notes]
    items.extend(("bookmark", b) for b in bookmarks)
    index = TextIndex([searched_text(item) for _, item in items])
    return [NoteHit(*items[k], match) for k, match in index.search(query, fuzzy=fuzzy, limit=limit)]
