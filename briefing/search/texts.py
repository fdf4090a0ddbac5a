"""Search a handful of short texts (notes, command names) with the report engine.

Every way of typing a query that finds report text (hanzi, full pinyin,
initials, a mix, tone digits, fuzzy) finds these texts the same way: they
become the sections of a tiny report, indexed like any other. Readings are
computed (pypinyin is imported then), or with ``cached=True`` kept in the
readings cache like a report's, for lists that rarely change (command names):
a later run then needs no pypinyin.
"""

from __future__ import annotations

from collections.abc import Sequence

from briefing.model import Match, Metadata, Report, Section


class TextIndex:
    """An index over ``texts``; hits name the text by its position in the list."""

    def __init__(self, texts: Sequence[str], *, cached: bool = False) -> None:
        from briefing.search.index import PinyinIndex, load_index

        self.texts = tuple(texts)
        self._index: PinyinIndex | None = None
        if not any(self.texts):
            return
        sections = tuple(Section(str(k), 1, "", "", None, t) for k, t in enumerate(self.texts))
        if cached:
            from briefing.search.cache import text_digest

            key = text_digest("\x00".join(self.texts))
            self._index = load_index(Report(Metadata(), sections, sha256=f"texts-{key}"))
        else:
            self._index = PinyinIndex.build(Report(Metadata(), sections, sha256="texts"))

    def search(
        self, query: str, *, fuzzy: bool = False, limit: int | None = None
    ) -> list[tuple[int, Match]]:
        """(text position, its best hit) for each text ``query`` finds, best first
        (ties in the order of the texts)."""
        if self._index is None:
            return []
        out: list[tuple[int, Match]] = []
        seen: set[str] = set()
        for match in self._index.search(query, fuzzy=fuzzy, fields=False):
            if match.section in seen:
                continue
            seen.add(match.section)
            out.append((int(match.section), match))
            if limit is not None and len(out) >= limit:
                break
        return out
