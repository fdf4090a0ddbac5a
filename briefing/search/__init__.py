"""Pinyin-assisted search over a report (DESIGN §4); no Textual, pypinyin loaded lazily."""

from __future__ import annotations

from briefing.search.index import (
    FIELD_IDS,
    META_ID,
    TITLE_ID,
    PinyinIndex,
    load_index,
    snippet,
    sort_document_order,
    source_text,
)
from briefing.search.query import normalize_query, split_pinyin

__all__ = [
    "FIELD_IDS",
    "META_ID",
    "TITLE_ID",
    "PinyinIndex",
    "load_index",
    "normalize_query",
    "snippet",
    "sort_document_order",
    "source_text",
    "split_pinyin",
]
