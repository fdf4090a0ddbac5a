"""Every stage is linear in its input: doubling the input at most triples the time.

A small, fast variant of ``benchmarks/bench_linear.py``. Each shape once made
a stage quadratic (the front-matter title scan re-read every field per line;
the header field splitter copied the rest of the line at every space). CPU
time, best of 3; the size grows until one run is long enough to measure, so
the ratio means something on a loaded machine, and a quadratic stage (ratio 4)
still fails clearly.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from briefing.figures import find_figures
from briefing.parse import parse_report
from briefing.source import decode_bytes
from tests.scaling import MAX_RATIO, doubling_ratio

PARSE_SHAPES: dict[str, Callable[[int], str]] = {
    "short lines": lambda n: "报告\n" + "98%\n" * n,
    "spaces in one line": lambda n: "第一部分 " * n,
    "spaces and colons in one line": lambda n: "名称 : " * n,
    "title-like lines": lambda n: "某某市人民政府\n" * n,
    "header-like lines": lambda n: "索引号：014109429/2022-00045\n" * n,
    "header cells in one line": lambda n: "| 索引号 | 01 " * n,
    "a long heading without a stop": lambda n: "一、" + "法治" * n,
    "dotted numbers": lambda n: "1." * n,
    # Repeated parts with optional spaces once backtracked exponentially.
    "link-bar words in one line": lambda n: "简体 " * n + "报告。",
    "breadcrumb parts in one line": lambda n: "政务 > " * n + "公开" * 30,
    "many headings": lambda n: "".join(f"{i % 9 + 1}.标题\n一是内容。正文。\n" for i in range(n)),
    "many plain lines": lambda n: "全年工作总体平稳。\n" * n,
}


@pytest.mark.parametrize("shape", PARSE_SHAPES, ids=str)
def test_parsing_is_linear(shape: str) -> None:
    build = PARSE_SHAPES[shape]
    assert doubling_ratio(lambda n: parse_report(build(n)), 1000) <= MAX_RATIO


def test_decoding_is_linear() -> None:
    def decode(n: int) -> object:
        data = bytearray(("全年工作总体平稳。\n" * n).encode("gb18030"))
        data[len(data) // 2] = 0x81  # a cut in the middle of a character: the slow path
        return decode_bytes(bytes(data))

    assert doubling_ratio(decode, 1000) <= MAX_RATIO


def test_figures_are_linear() -> None:
    line = "全年办理行政复议案件1,234件，同比增长12.5%，群众满意度达到98.4%以上。"
    assert doubling_ratio(lambda n: find_figures(line * n), 100) <= MAX_RATIO
