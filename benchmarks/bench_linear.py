"""Is every stage linear in its input? Time each stage at size n and 2n.

Run: ``python benchmarks/bench_linear.py [--quick] [--index]``. For each input
shape that once made a stage quadratic (many short lines, one long line full of
spaces, many headings, many numbers, one 5 MB line, 100k lines, many header-like
and title-like lines …) it prints the CPU time (``time.process_time``, best of
``--repeat`` runs) of decode → parse → figures at n and 2n, and the ratio: a
linear stage doubles (ratio ≈ 2), a quadratic one quadruples.

``--index`` also times the pinyin readings and the index build (on smaller
inputs: pypinyin is slow per character); those stages belong to the search
code and are only reported here.

A stage that takes longer than ``--budget`` seconds at n is not run at 2n.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from briefing.figures import report_figures
from briefing.parse import parse_report
from briefing.source import SourceError, text_from_bytes

SENTENCE = "全年办理行政复议案件1,234件，同比增长12.5%，群众满意度达到98.4%以上。"

# name -> (builder of the input text for a size, size n)
SHAPES: dict[str, tuple[Callable[[int], str], int]] = {
    "short lines '98%'": (lambda n: "报告\n" + "98%\n" * n, 20_000),
    "spaces in one line": (lambda n: "第一部分 " * n, 100_000),
    "spaces, no heading": (lambda n: "工作 " * n, 100_000),
    "many headings": (
        lambda n: "".join(f"{i % 9 + 1}.标题{i}\n一是内容。正文。\n" for i in range(n)),
        20_000,
    ),
    "nested headings": (
        lambda n: "".join(
            "一、总体情况\n（一）加强领导\n1.健全机制\n（1）落实责任\n一是抓落实。\n正文。\n"
            for _ in range(n // 6)
        ),
        30_000,
    ),
    "many numbers, one line": (lambda n: SENTENCE * (n // len(SENTENCE)), 500_000),
    "many numbers, many lines": (lambda n: (SENTENCE + "\n") * (n // len(SENTENCE)), 500_000),
    "one long line (5 MB at 2n)": (lambda n: "法治政府建设取得新成效" * (n // 11), 850_000),
    "100k plain lines": (lambda n: "全年工作总体平稳。\n" * n, 50_000),
    "header-like lines": (lambda n: "索引号：014109429/2022-00045\n" * n, 20_000),
    "header cells, one line": (lambda n: "| 索引号 | 01 " * n, 50_000),
    "title-like lines": (lambda n: "某某市人民政府\n" * n, 20_000),
    "title-like, then body": (
        lambda n: "法治政府建设\n" * n + "全年工作平稳。\n一、总体情况\n正文。\n",
        20_000,
    ),
    "breadcrumbs": (lambda n: "政务公开 > 司法局 > 统计信息\n" * n, 20_000),
    "breadcrumb parts, one line": (lambda n: "政务 > " * n + "公开" * 30, 100_000),
    "link-bar words, one line": (lambda n: "简体 " * n + "报告。", 100_000),
    "colons in one line": (lambda n: "名称：" * n, 100_000),
    "digits in one line": (lambda n: "1" * n, 1_000_000),
    "dotted numbers": (lambda n: "1." * n, 200_000),
    "chinese numerals": (lambda n: "一二三四五六七八九十" * (n // 10), 200_000),
    "quotes and titles": (lambda n: "“《" * n, 100_000),
    "damaged GB18030": (lambda n: "全年工作总体平稳。\n" * n, 50_000),
}


def _cpu(function: Callable[[], object], repeat: int) -> tuple[float, object]:
    best = float("inf")
    result: object = None
    for _ in range(repeat):
        start = time.process_time()
        result = function()
        best = min(best, time.process_time() - start)
    return best, result


def _data(name: str, text: str) -> bytes:
    if name.startswith("damaged GB18030"):
        data = bytearray(text.encode("gb18030"))
        data[len(data) // 2] = 0xFF  # one damaged byte
        return bytes(data)
    return text.encode("utf-8")


def _stages(name: str, text: str, with_index: bool) -> dict[str, Callable[[], object]]:
    data = _data(name, text)
    cache: dict[str, object] = {}

    def decode() -> object:
        cache["text"] = text_from_bytes(data)
        return cache["text"]

    def parse() -> object:
        cache["report"] = parse_report(cache["text"])  # type: ignore[arg-type]
        return cache["report"]

    def figures() -> object:
        return report_figures(cache["report"])  # type: ignore[arg-type]

    stages = {"decode": decode, "parse": parse, "figures": figures}
    if with_index:
        from briefing.search.index import PinyinIndex

        stages["index"] = lambda: PinyinIndex.build(cache["report"])  # type: ignore[arg-type]
    return stages


def run(quick: bool, with_index: bool, repeat: int, budget: float) -> None:
    scale = 0.1 if quick else 1.0
    if with_index:
        scale = min(scale, 0.02)
    header = f"{'shape':30} {'stage':8} {'n':>9} {'t(n) s':>8} {'t(2n) s':>8} {'ratio':>6}"
    print(header)
    print("-" * len(header))
    for name, (build, size) in SHAPES.items():
        n = max(100, int(size * scale))
        small, large = build(n), build(2 * n)
        stages_small = _stages(name, small, with_index)
        stages_large = _stages(name, large, with_index)
        for stage in stages_small:
            try:
                t_small, _ = _cpu(stages_small[stage], repeat)
            except SourceError as error:
                print(f"{name:30} {stage:8} {n:>9} refused: {error}")
                break
            if t_small > budget:
                print(f"{name:30} {stage:8} {n:>9} {t_small:8.3f} {'skipped':>8} {'':>6}")
                stages_large[stage]()  # later stages need its result
                continue
            t_large, _ = _cpu(stages_large[stage], repeat)
            ratio = t_large / t_small if t_small > 0.0005 else float("nan")
            flag = "  <-- superlinear" if ratio > 3 else ""
            print(f"{name:30} {stage:8} {n:>9} {t_small:8.3f} {t_large:8.3f} {ratio:6.2f}{flag}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="inputs ten times smaller")
    parser.add_argument("--index", action="store_true", help="also readings + index build")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measure (best kept)")
    parser.add_argument("--budget", type=float, default=10.0, help="seconds at n, else no 2n")
    args = parser.parse_args()
    run(args.quick, args.index, args.repeat, args.budget)


if __name__ == "__main__":
    main()
