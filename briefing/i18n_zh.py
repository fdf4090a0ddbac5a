"""The Chinese catalog: English message id -> Chinese text (see briefing.i18n)."""

from __future__ import annotations

ZH: dict[str, str] = {
    "Quit": "退出",
    # Search results: hits in the report's title and in its metadata header.
    "Title": "标题",
    "Header": "文件信息",
    # While the pinyin index of a new report is built.
    "indexing…": "正在建立索引…",
    "indexing… {percent}%": "正在建立索引… {percent}%",
    "indexing {percent}%": "索引 {percent}%",
}
