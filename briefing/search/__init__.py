"""Pinyin-assisted search over a report (DESIGN §4); no Textual, pypinyin loaded lazily."""

from __future__ import annotations

from briefing.search.index import PinyinIndex, load_index, snippet, sort_document_order
from briefing.search.query import normalize_query, split_pinyin

__all__ = [
    "PinyinIndex",
    "load_index",
    "normalize_query",
    "snippet",
    "sort_document_order",
    "split_pinyin",
]
