"""The Chinese catalog: English message id -> Chinese text (see briefing.i18n)."""

from __future__ import annotations

ZH: dict[str, str] = {
    "Quit": "退出",
    # library screen (branch library-tui)
    " (first {limit})": "（前 {limit} 条）",
    "(untitled)": "（无标题）",
    "Back": "返回",
    "Down": "下移",
    "Filter": "筛选",
    "pinyin or hanzi: huaian, fzzf, 淮安…": "拼音或汉字：huaian、fzzf、淮安…",
    "First": "第一项",
    "Last": "最后一项",
    "Last read {date}": "上次阅读 {date}",
    "Library": "报告库",
    "Loading the library index…": "正在载入报告库索引…",
    "No hits for “{query}” in the library": "报告库中没有“{query}”",
    "No report matches “{query}”": "没有报告符合“{query}”",
    "Not read yet": "尚未阅读",
    "Open": "打开",
    "Open another report, or search every report": "打开另一份报告，或搜索全部报告",
    "Opening {title}…": "正在打开 {title}…",
    "Page down": "下一页",
    "Page up": "上一页",
    "Reading the library…": "正在读取报告库…",
    "Search all": "全库搜索",
    "Search all reports: pinyin or hanzi": "搜索全部报告：拼音或汉字",
    "Search the library": "搜索报告库",
    "The library is empty": "报告库是空的",
    "The report read last could not be opened ({reason}); here is the bundled one.": (
        "上次阅读的报告无法打开（{reason}），已打开内置报告。"
    ),
    "Type to search every report": "输入即可搜索全部报告",
    "Up": "上移",
    "bundled report": "内置报告",
    "{count} hits": "{count} 处",
    "{count} hits in {reports} reports": "{reports} 份报告中共 {count} 处",
    "{count} reports": "{count} 份报告",
}
