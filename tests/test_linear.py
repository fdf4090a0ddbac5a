"""Every stage is linear in its input: doubling the input at most triples the time.

A small, fast variant of ``benchmarks/bench_linear.py``. Each shape once made
a stage quadratic (the front-matter title scan re-read every field per line;
the header field splitter copied the rest of the line at every space). CPU
time, best of 3; the size grows until one run is long enough to measure, so
the ratio means something on a loaded machine, and a quadratic stage (ratio 4)
still fails clearly.
"""

from __future__ import annotations

import functools
import gc
import time
from collections.abc import Callable

import pytest

from briefing.figures import find_figures
from briefing.parse import parse_report
from briefing.source import decode_bytes

MIN_SECONDS = 0.05  # long enough that a scheduler hiccup is a small part of it
ATTEMPTS = 4  # a ratio over the limit is measured again: noise passes, a square stays ~4
MAX_RATIO = 3.0


def _best(function: Callable[[], object], repeat: int = 3) -> float:
    """Best CPU time of ``repeat`` runs, without the cyclic garbage collector's pauses."""
    best = float("inf")
    for _ in range(repeat):
        gc.collect()
        gc.disable()
        try:
            start = time.process_time()
            function()
            best = min(best, time.process_time() - start)
        finally:
            gc.enable()
    return best


def _ratio(run: Callable[[int], object], n: int) -> float:
    """time(2n) / time(n), with n grown until time(n) is measurable.

    A ratio over the limit is measured again, up to ``ATTEMPTS`` times (a busy
    machine); a quadratic stage stays near 4 however often it is measured.
    """
    while _best(functools.partial(run, n), repeat=1) < MIN_SECONDS and n < 10_000_000:
        n *= 2
    ratio = float("inf")
    for _ in range(ATTEMPTS):
        small = _best(functools.partial(run, n))
        large = _best(functools.partial(run, 2 * n))
        ratio = min(ratio, large / small)
        if ratio <= MAX_RATIO:
            break
    return ratio


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
    assert _ratio(lambda n: parse_report(build(n)), 1000) <= MAX_RATIO


def test_decoding_is_linear() -> None:
    def decode(n: int) -> object:
        data = bytearray(("全年工作总体平稳。\n" * n).encode("gb18030"))
        data[len(data) // 2] = 0x81  # a cut in the middle of a character: the slow path
        return decode_bytes(bytes(data))

    assert _ratio(decode, 1000) <= MAX_RATIO


def test_figures_are_linear() -> None:
    line = "全年办理行政复议案件1,234件，同比增长12.5%，群众满意度达到98.4%以上。"
    assert _ratio(lambda n: find_figures(line * n), 100) <= MAX_RATIO
