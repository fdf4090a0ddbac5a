"""The Chinese catalog: English message id -> Chinese text (see briefing.i18n)."""

from __future__ import annotations

ZH: dict[str, str] = {
    "Quit": "退出",
    # Search results: hits in the report's title and in its metadata header.
    "Title": "标题",
    "Header": "文件信息",
}
