"""The library at scale: 1,000 reports built from varied real texts.

Run: ``python benchmarks/bench_library.py [--reports 1000] [--add 300]`` (a
temporary library, cache and notes folder; nothing of yours is touched).
``--base DIR`` also times ``search --all`` of another checkout (``git archive
main | tar -x -C DIR``) in the same runs, alternating, on its own copy of the
library, and prints the before/after rows; bytecode is compiled first in both,
as an installed package has it (``--no-compile`` to time compiling too).
Prints a table; ``--baseline CHECKOUT`` first times every search row of
another checkout's code (a worktree of main) on a copy of the same library
(its index file copied too: the other code uses it if it reads that version,
else builds its own). ``--reuse DIR --keys`` prints only the keystroke rows
(each prefix of each query typed in order on one searcher, and the slowest);
``--rounds N`` types them N times, each on a searcher just opened, and gives the
p99 over the N x 48 keystrokes and their maximum (with one round, the p99 of 48
is just the slowest keystroke of one session).
Targets (issue 13): adding 300 reports < 4 min; ``briefing
search QUERY --all`` in a fresh process, median < 0.6 s including Python
start; once loaded, each keystroke of a library-wide search < 50 ms.

The reports are recombined from every real text in ``tests/reports/real``
and the bundled report: sentences shuffled into sections (``一、`` headings,
``一是`` items), numbers redrawn, each with its own city, year and title, so
no two are alike and each is 10–30k characters.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: The checkout whose code is timed: this one, or another (``--baseline`` runs this
#: script with it set, so that both sides report the same rows, ``--rounds`` too).
CODE = Path(os.environ.get("BENCH_LIBRARY_CODE") or ROOT)
sys.path.insert(0, str(CODE))
from bytecode import compile_bytecode  # noqa: E402 (benchmarks/, beside this script)

_CITY_NAMES = (
    "常州 淮安 南昌 抚州 上饶 咸宁 嘉鱼 湘潭 东莞 三都 银川 西和 清水 金昌 汉滨 华州 镇巴 "
    "广安 盖州 山海关 静海 闵行 仙居 南陵 马鞍山 武汉 杭州 宁波 温州 苏州 无锡 扬州 徐州 "
    "合肥 芜湖 福州 厦门 泉州 济南 青岛 郑州 洛阳 长沙 株洲 广州 深圳 佛山 南宁 柳州 成都 "
    "绵阳 贵阳 昆明 西安 宝鸡 兰州 西宁 太原 大同 石家庄 保定 沈阳 大连 长春 吉林 哈尔滨"
)
CITIES = _CITY_NAMES.split()
TOPICS = ("法治政府建设", "依法行政", "政务公开", "营商环境", "行政执法", "普法依法治理")
NUMERALS = "一二三四五六七八九十"
QUERIES = ["fzzf", "huaian", "法治政府", "xingzheng", "lvshi", "yingshang", "zfjs", "gongzuo"]


def sentence_pool() -> list[str]:
    """Every sentence of the real reports (10–160 characters), the raw material."""
    texts = [
        p.read_text(encoding="utf-8") for p in sorted((ROOT / "tests/reports/real").glob("*.txt"))
    ]
    texts.append((ROOT / "data/changzhou-2021-fazhi-zhengfu.txt").read_text(encoding="utf-8"))
    pool: list[str] = []
    for text in texts:
        for piece in re.split(r"[。！？\n]", text):
            piece = piece.strip(" |\t")
            if 10 <= len(piece) <= 160 and not re.match(r"[一二三四五六七八九十]+、", piece):
                pool.append(piece)
    return sorted(set(pool))


def make_report(rng: random.Random, pool: list[str], number: int) -> str:
    """One report of 10–30k characters, unlike any other."""
    city = rng.choice(CITIES)
    year = rng.randint(2015, 2025)
    topic = rng.choice(TOPICS)
    target = rng.randint(10_000, 30_000)
    redraw = lambda m: str(rng.randint(1, 10 ** len(m.group()) - 1))  # noqa: E731
    lines = [
        f"{city}市人民政府关于{year}年度{topic}工作情况的报告（第{number}号）",
        f"发布机构：{city}市人民政府",
        f"生成日期：{year + 1}-0{rng.randint(1, 9)}-{rng.randint(10, 28)}",
        "",
    ]
    size = 0
    heading = 0
    while size < target and heading < len(NUMERALS):
        title = rng.choice(pool)[:18]
        lines.append(f"{NUMERALS[heading]}、{title}")
        heading += 1
        for item in range(rng.randint(2, 5)):
            sentences = [re.sub(r"\d+", redraw, s) for s in rng.sample(pool, rng.randint(3, 9))]
            paragraph = f"{NUMERALS[item]}是" + "。".join(sentences) + "。"
            paragraph = paragraph.replace("常州", city, 1)
            lines.append(paragraph)
            size += len(paragraph)
        if heading == len(NUMERALS) and size < target:
            heading = 0  # another part with its own numbering
            lines.append(f"第{rng.randint(2, 9)}部分")
    return "\n".join(lines) + "\n"


def build_corpus(folder: Path, count: int, seed: int = 13) -> list[Path]:
    rng = random.Random(seed)
    pool = sentence_pool()
    paths = []
    for n in range(count):
        path = folder / f"report-{n:04d}.txt"
        path.write_text(make_report(rng, pool, n), encoding="utf-8")
        paths.append(path)
    return paths


def child_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def fresh_search(query: str, env: dict[str, str], cwd: Path | None = None) -> tuple[float, float]:
    """Wall and CPU seconds of ``briefing search QUERY --all`` in a new process
    (of the checkout in ``cwd``: ``python -m`` imports from there first)."""
    before_cpu, start = child_cpu(), time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "briefing", "search", query, "--all", "--limit", "20"],
        env=env,
        cwd=cwd,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return time.perf_counter() - start, child_cpu() - before_cpu


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=1000)
    parser.add_argument("--add", type=int, default=300, help="reports in the timed add")
    parser.add_argument(
        "--reuse", metavar="DIR", help="a folder an earlier run left: only the searches"
    )
    parser.add_argument("--base", metavar="DIR", type=Path, help="a checkout to compare with")
    parser.add_argument("--no-compile", action="store_true", help="no bytecode compiled first")
    parser.add_argument(
        "--keys", action="store_true", help="with --reuse: only the keystroke rows (quick)"
    )
    parser.add_argument(
        "--rounds",
        type=int,
        default=1,
        metavar="N",
        help="type the keystroke queries N times, each on a searcher just opened: the "
        "p99 is then over N x 48 keystrokes, not the maximum of one session",
    )
    parser.add_argument(
        "--baseline",
        metavar="CHECKOUT",
        help="another checkout (e.g. a worktree of main): its searches on a copy of the "
        "same library first, for a before/after table",
    )
    args = parser.parse_args()
    compare = Comparison(args.base, compile_first=not args.no_compile)
    scratch = Path(args.reuse or tempfile.mkdtemp(prefix="bench-library-"))
    env = dict(os.environ)
    env.update(
        BRIEFING_LIBRARY=str(scratch / "library"),
        BRIEFING_CACHE_DIR=str(scratch / "cache"),
        BRIEFING_DB=str(scratch / "notes.json"),
    )
    os.environ.update(env)
    from briefing.library import Library

    corpus = scratch / "corpus"
    if args.reuse:
        if args.baseline:
            baseline(Path(args.baseline), scratch, keys_only=args.keys, rounds=args.rounds)
        print("| measure | result | target |")
        print("| --- | --- | --- |")
        searches(scratch, env, compare, keys_only=args.keys, rounds=args.rounds)
        return
    corpus.mkdir()
    paths = build_corpus(corpus, args.reports)
    chars = [len(p.read_text(encoding="utf-8")) for p in paths]
    print(
        f"{len(paths)} reports, {min(chars):,}–{max(chars):,} characters "
        f"(median {statistics.median(chars):,.0f}, total {sum(chars):,})"
    )

    lib = Library.open()
    timed = paths[: args.add]
    cpu, start = time.process_time(), time.perf_counter()
    lib.add_many(timed)
    add_wall, add_cpu = time.perf_counter() - start, time.process_time() - cpu
    cpu, start = time.process_time(), time.perf_counter()
    lib.add_many(paths[args.add :])
    rest_wall, rest_cpu = time.perf_counter() - start, time.process_time() - cpu
    files = sum(f.stat().st_size for f in (scratch / "library").rglob("*") if f.is_file())
    print()
    print("| measure | result | target |")
    print("| --- | --- | --- |")
    print(
        f"| add {len(timed)} reports (parse, readings, index) | {add_wall:.0f} s wall, "
        f"{add_cpu:.0f} s CPU | < 240 s |"
    )
    print(
        f"| add the other {len(paths) - len(timed)} | {rest_wall:.0f} s wall, "
        f"{rest_cpu:.0f} s CPU | — |"
    )
    print(f"| library folder on disk | {files / 1e6:.0f} MB | — |")
    if args.baseline:
        print()
        baseline(Path(args.baseline), scratch, rounds=args.rounds)
        print("| measure | result | target |")
        print("| --- | --- | --- |")
    searches(scratch, env, compare, rounds=args.rounds)
    print(f"(kept in {scratch}: --reuse it to time the searches again)")


def baseline(checkout: Path, scratch: Path, *, keys_only: bool = False, rounds: int = 1) -> None:
    """The searches of ``checkout``'s code on a copy of the library in ``scratch`` (its
    own index file: another version builds another, once), printed as "before";
    ``keys_only``: its keystroke rows only."""
    import shutil

    copy = scratch / "baseline"
    if not copy.exists():
        copy.mkdir()
        # The index too: another checkout that reads its version uses it (minutes
        # saved), one that does not builds its own in the copy.
        shutil.copytree(scratch / "library", copy / "library")
        if (scratch / "cache").exists():
            shutil.copytree(scratch / "cache", copy / "cache")
    print(f"before ({checkout}):")
    command = [sys.executable, __file__, "--reuse", str(copy), "--rounds", str(rounds)]
    env = {**os.environ, "BENCH_LIBRARY_CODE": str(checkout.resolve())}
    subprocess.run(
        [*command, *(["--keys"] if keys_only else [])], cwd=checkout, env=env, check=True
    )
    print()
    print("after (this checkout):")


class Comparison:
    """This checkout and, with ``--base``, another one timed in the same runs."""

    def __init__(self, base: Path | None, *, compile_first: bool) -> None:
        self.base = base.resolve() if base else None
        self.compile_first = compile_first

    def prepare(self, scratch: Path, env: dict[str, str]) -> dict[str, tuple[Path, dict[str, str]]]:
        """``{name: (checkout, env)}``; the base gets its own copy of the library,
        since the bundled report's entry names the checkout it came from."""
        runs = {"this": (CODE, env)}
        if self.base is not None:
            copy = scratch / "library-base"
            if not copy.exists():
                shutil.copytree(scratch / "library", copy)
            runs = {"base": (self.base, {**env, "BRIEFING_LIBRARY": str(copy)}), **runs}
        for checkout, _ in runs.values():
            if self.compile_first:
                compile_bytecode(checkout)
        return runs


def keystrokes(searcher) -> dict[str, float]:
    """CPU ms of each prefix of each query, typed in order on one searcher (limit
    200, as the reader asks): what each keystroke of a library-wide search costs."""
    out: dict[str, float] = {}
    for query in QUERIES:
        for end in range(1, len(query) + 1):
            cpu = time.process_time()
            searcher.search(query[:end], limit=200)
            out[query[:end]] = (time.process_time() - cpu) * 1000
    return out


def keystroke_rounds(first, rounds: int) -> dict[str, list[float]]:
    """``keystrokes`` on ``first``, then ``rounds - 1`` more times, each on a searcher
    just opened (one keeps the hits of a query typed again): each prefix's CPU ms
    per round."""
    from briefing.library import Library

    out: dict[str, list[float]] = {}
    for round_ in range(rounds):
        searcher = first if round_ == 0 else Library.open().searcher()
        for prefix, ms in keystrokes(searcher).items():
            out.setdefault(prefix, []).append(ms)
    return out


def print_keystrokes(typed: dict[str, list[float]]) -> None:
    """The keystroke rows: median and p99 over every keystroke of every round (with
    one round the p99 of 48 is their maximum), the maximum, and the slowest prefixes
    (by their median over the rounds)."""
    keys = [ms for times in typed.values() for ms in times]
    rounds = max(len(times) for times in typed.values())
    label = f"{len(typed)} prefixes" + (f" x {rounds} rounds" if rounds > 1 else "")
    print(
        f"| keystroke query, limit 200, median / p99 / max ({label}) | "
        f"{statistics.median(keys):.1f} / {percentile(keys, 99):.1f} / {max(keys):.1f} "
        "ms CPU | < 50 ms |"
    )
    slowest = sorted(typed.items(), key=lambda item: -statistics.median(item[1]))[:6]
    print(
        "| slowest keystrokes (median of rounds) | "
        + ", ".join(f"{prefix} {statistics.median(ms):.0f}" for prefix, ms in slowest)
        + " ms CPU | < 50 ms |"
    )


def searches(
    scratch: Path,
    env: dict[str, str],
    compare: Comparison,
    keys_only: bool = False,
    rounds: int = 1,
) -> None:
    """The search rows of the table, on the library in ``scratch``."""
    from briefing.library import Library

    lib = Library.open()
    lib.searcher()  # an index left by an older version is rebuilt here, not timed below
    lib = Library.open()
    cpu, start = time.process_time(), time.perf_counter()
    searcher = lib.searcher()
    load_wall, load_cpu = time.perf_counter() - start, time.process_time() - cpu
    if keys_only:
        print_keystrokes(keystroke_rounds(searcher, rounds))
        return
    # The first search after opening, for each query (what a fresh process pays
    # after its imports), each on a searcher just opened.
    first: list[float] = []
    for query in QUERIES:
        again = Library.open().searcher()
        cpu = time.process_time()
        again.search(query, limit=20)
        first.append((time.process_time() - cpu) * 1000)
        del again
    index_file = scratch / "library" / "index" / "library.bin"
    typed = keystroke_rounds(searcher, rounds)

    runs = compare.prepare(scratch, env)
    # The page cache warm, as for a user who searched before.
    for checkout, run_env in runs.values():
        fresh_search(QUERIES[0], run_env, checkout)
    timed: dict[str, list[tuple[float, float]]] = {name: [] for name in runs}
    for query in QUERIES:  # alternating: the machine's load hits both alike
        for name, (checkout, run_env) in runs.items():
            timed[name].append(fresh_search(query, run_env, checkout))
    fresh = timed["this"]
    walls, cpus = [w for w, _ in fresh], [c for _, c in fresh]

    print(
        f"| load the library-wide searcher | {load_wall * 1000:.0f} ms wall, "
        f"{load_cpu * 1000:.0f} ms CPU | — |"
    )
    print(
        f"| first search after opening, limit 20, median / max ({len(first)} queries) | "
        f"{statistics.median(first):.0f} / {max(first):.0f} ms CPU | — |"
    )
    print(f"| combined index file | {index_file.stat().st_size / 1e6:.0f} MB | — |")
    print_keystrokes(typed)
    print(
        f"| `search --all` fresh process, median ({len(fresh)} queries) | "
        f"{statistics.median(walls):.2f} s wall, {statistics.median(cpus):.2f} s CPU | < 0.6 s |"
    )
    if "base" in timed:
        base = timed["base"]
        print(
            f"| the same, base checkout ({compare.base}), in the same runs | "
            f"{statistics.median(w for w, _ in base):.2f} s wall, "
            f"{statistics.median(c for _, c in base):.2f} s CPU | — |"
        )


if __name__ == "__main__":
    main()
