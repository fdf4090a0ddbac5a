"""Pinyin search speed: per-query latency, index build, cached load, naive baseline.

Run: ``python benchmarks/bench_search.py`` (prints a table; uses a temporary
cache folder). Targets (DESIGN §4 brief): bundled report median < 0.5 ms,
p99 < 2 ms; 100-report corpus median < 5 ms, p99 < 50 ms (limit=200); build
< 150 ms after pypinyin is loaded; cached load < 20 ms without pypinyin.
The index finds a syllable's positions and a letter's bitset on first use, so
the corpus's first pass over the queries pays for those; the machine is shared:
compare runs made at the same time. Times are CPU time (``time.process_time``):
the machine is shared, and wall-clock time measures the neighbours.
``search`` ranks every hit but builds each ``Match`` when it is read
(``briefing/search/ranked.py``): the "every Match read" row times a caller that
reads them all. Very large reports: ``bench_big.py``.

Before/after: ``python benchmarks/bench_search.py --baseline DIR`` (DIR another
checkout, e.g. ``git worktree add /tmp/base main``) times the per-query figures of
both trees in fresh processes, alternating, and prints them side by side.
"""

from __future__ import annotations

import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if "--tree" in sys.argv:  # --core for another checkout (see ``compare``)
    ROOT = Path(sys.argv[sys.argv.index("--tree") + 1]).resolve()
sys.path.insert(0, str(ROOT))

BASE_QUERIES = [
    "fzzf", "fazhizhengfu", "xingzheng", "lvshi", "tiaojie", "fazhizf", "fzzhengfu",
    "fazhizhengf", "法治政府", "法zhi", "fa3", "app", "98.4", "xian", "fangan",
    "yifa", "zhifa", "gongzuo", "jianshe", "shehui", "sfxz", "zhengwu", "fuwu",
    "gonggong", "anquan", "changjiang", "minzhu", "falv", "tiaojie3", "renmin",
    "jiandu", "zhili", "hizheng", "zfjs", "qiye", "shuzi", "2021", "行政执法",
    "xzzf", "fuzhi", "shi'ji", "ggfw", "yingshang", "huanjing", "chengshi",
]  # fmt: skip


def query_set(size: int = 200) -> list[str]:
    """Every prefix of each base query, as typed, until ``size`` queries."""
    out: list[str] = []
    for query in BASE_QUERIES:
        for end in range(1, len(query) + 1):
            out.append(query[:end])
    return out[:size]


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    k = min(len(ordered) - 1, max(0, round(pct / 100 * (len(ordered) - 1))))
    return ordered[k]


def time_queries(index, queries, *, limit=None, repeat=3, read=False) -> list[float]:
    """Milliseconds per query (best of ``repeat`` runs of each). ``search`` ranks every
    hit and builds each ``Match`` when it is read; ``read`` also reads them all."""
    times = []
    for query in queries:
        best = float("inf")
        for _ in range(repeat):
            start = time.process_time()
            hits = index.search(query, limit=limit)
            if read:
                list(hits)
            best = min(best, time.process_time() - start)
        times.append(best * 1000)
    return times


def corpus_report(report, copies: int = 100, repeat: int = 3):
    """A Report of ``copies`` variants of ``report`` (sections shuffled, repeated)."""
    from briefing.model import Section

    rng = random.Random(7)
    sections = []
    for variant in range(copies):
        for rep in range(repeat):
            order = list(report.sections)
            rng.shuffle(order)
            for k, section in enumerate(order):
                sections.append(
                    Section(f"{variant}.{rep}.{k}", 1, "", section.title, None, section.text)
                )
    return replace(report, sections=tuple(sections), sha256="bench-corpus")


def cached_loads(report, cache: str, runs: int = 5) -> tuple[list[float], list[str]]:
    """CPU ms of ``load_index`` from the cache, each in a fresh interpreter (imports
    included, so that the pypinyin check is honest), and the last run's output."""
    from briefing.search import load_index

    load_index(report)
    code = (
        "import time,sys,briefing\n"
        "r=briefing.load_report()\n"
        "from briefing.search import load_index\n"
        "t=time.process_time(); i=load_index(r, build_if_missing=False)\n"
        "print((time.process_time()-t)*1000, i is not None, 'pypinyin' in sys.modules)\n"
    )
    loads, out = [], []
    for _ in range(runs):
        out = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True,
            env={**os.environ, "BRIEFING_CACHE_DIR": cache, "PYTHONPATH": str(ROOT)}, cwd=ROOT,
        ).stdout.split()  # fmt: skip
        loads.append(float(out[0]))
    return loads, out


def row(label: str, value: str, target: str = "") -> None:
    print(f"  {label:<52} {value:>14}  {target}")


def main() -> None:
    import briefing
    from briefing.search import PinyinIndex

    cache = tempfile.mkdtemp(prefix="briefing-bench-cache-")
    os.environ["BRIEFING_CACHE_DIR"] = cache
    report = briefing.load_report()
    queries = query_set()
    print(f"pinyin search benchmark — {len(queries)} queries (every prefix as typed)")

    start = time.process_time()
    import pypinyin  # noqa: F401

    row("import pypinyin", f"{(time.process_time() - start) * 1000:.1f} ms")
    PinyinIndex.build(report)  # warm pypinyin's own lazy tables
    builds = []
    for _ in range(5):
        start = time.process_time()
        index = PinyinIndex.build(report)
        builds.append((time.process_time() - start) * 1000)
    print(f"\nbundled report: {index.size} characters, {len(report.sections)} sections")
    row(
        "index build (pypinyin loaded), median of 5", f"{statistics.median(builds):.1f} ms", "< 150"
    )

    times = time_queries(index, queries)
    row("query, limit=None: median", f"{statistics.median(times):.3f} ms", "< 0.5")
    row("query, limit=None: p99", f"{percentile(times, 99):.3f} ms", "< 2")
    row("query, limit=None: max", f"{max(times):.3f} ms")
    read = time_queries(index, queries, read=True)
    row("query and every Match read: median / p99", f"{statistics.median(read):.3f} / "
        f"{percentile(read, 99):.3f} ms", "(not a target)")  # fmt: skip
    times_f = [
        min(_timed(lambda q=q: index.search(q, fuzzy=True)) for _ in range(3)) for q in queries
    ]
    row("query, fuzzy=True: median / p99", f"{statistics.median(times_f):.3f} / "
        f"{percentile(times_f, 99):.3f} ms")  # fmt: skip

    # Naive: pinyin of the whole text as one string, substring search.
    from pypinyin import lazy_pinyin

    text = report.body
    start = time.process_time()
    joined = "".join(lazy_pinyin(text))
    convert_ms = (time.process_time() - start) * 1000
    naive_find = []
    for query in queries:
        start = time.process_time()
        at, hits = joined.find(query), 0
        while at != -1:
            hits += 1
            at = joined.find(query, at + 1)
        naive_find.append((time.process_time() - start) * 1000)
    naive_full = [convert_ms + t for t in naive_find]
    ours = statistics.median(times)
    row("naive: lazy_pinyin(text) once", f"{convert_ms:.1f} ms")
    row("naive: convert per query + find, median", f"{statistics.median(naive_full):.3f} ms",
        f"index is {statistics.median(naive_full) / ours:.0f}x faster")  # fmt: skip
    row("naive: pre-joined string + find only, median", f"{statistics.median(naive_find):.4f} ms",
        "(no initials/heteronyms; mid-syllable false hits)")  # fmt: skip

    loads, out = cached_loads(report, cache)
    row("cached load_index (fresh process), median of 5", f"{statistics.median(loads):.1f} ms",
        "< 20")  # fmt: skip
    row("cached load: index found / pypinyin imported", f"{out[1]} / {out[2]}", "True / False")

    # The corpus.
    corpus = corpus_report(report)
    start = time.process_time()
    big = PinyinIndex.build(corpus)
    build_big = time.process_time() - start
    print(
        f"\ncorpus: 100 report variants, {big.size:,} characters, {len(corpus.sections)} sections"
    )
    row("index build", f"{build_big:.2f} s")
    times_big = time_queries(big, queries, limit=200, repeat=1)
    row("query, limit=200: median", f"{statistics.median(times_big):.3f} ms", "< 5")
    row("query, limit=200: p99", f"{percentile(times_big, 99):.3f} ms", "< 50")
    row("query, limit=200: max", f"{max(times_big):.3f} ms")
    slow = sorted(zip(times_big, queries, strict=True), reverse=True)[:3]
    row("slowest", ", ".join(f"{q!r} {t:.1f}" for t, q in slow))
    times_all = time_queries(big, queries, limit=None, repeat=1)
    row("query, limit=None: median / p99", f"{statistics.median(times_all):.2f} / "
        f"{percentile(times_all, 99):.1f} ms", "(not a target)")  # fmt: skip

    # What a lazy reader asks for a one-letter query: the count, then one screen.
    for letter in ("z", "s"):
        first = _timed(lambda letter=letter: big.count(letter))
        again = _timed(lambda letter=letter: big.count(letter, stop=len(corpus.sections) // 2))
        page = _timed(lambda letter=letter: big.search_range(letter, 4000, 4001))
        every = _timed(lambda letter=letter: big.search(letter))
        row(f"{letter!r}: count first / again / one section / search()",
            f"{first:.0f} / {again:.2f} / {page:.2f} / {every:.0f} ms",
            f"{big.count(letter):,} hits")  # fmt: skip


def core() -> None:
    """The per-query figures only, as JSON: what ``compare`` runs in each tree."""
    import json

    import briefing
    from briefing.search import PinyinIndex

    cache = os.environ["BRIEFING_CACHE_DIR"] = tempfile.mkdtemp(prefix="briefing-bench-cache-")
    assert Path(briefing.__file__).resolve().is_relative_to(ROOT), briefing.__file__
    report = briefing.load_report()
    queries = query_set()
    index = PinyinIndex.build(report)
    small = time_queries(index, queries)
    read = time_queries(index, queries, read=True)
    loads = cached_loads(report, cache, runs=3)[0]
    big = PinyinIndex.build(corpus_report(report))
    large = time_queries(big, queries, limit=200, repeat=1)  # cold, as typed
    hanzi = min(_timed(lambda: big.search("法", limit=200)) for _ in range(3))
    print(json.dumps({
        "bundled median": statistics.median(small), "bundled p99": percentile(small, 99),
        "bundled, every Match read: median": statistics.median(read),
        "bundled, every Match read: p99": percentile(read, 99),
        "cached load (fresh process)": statistics.median(loads),
        "corpus median": statistics.median(large), "corpus p99": percentile(large, 99),
        "corpus max": max(large), "corpus 法, limit=200": hanzi,
    }))  # fmt: skip


def compare(baseline: str, rounds: int = 3) -> None:
    """Before (``baseline``) and after (this tree), each figure the median of ``rounds``
    fresh processes, run alternately so that both see the same machine."""
    import json

    runs: dict[str, list[dict[str, float]]] = {"before": [], "after": []}
    for _ in range(rounds):
        for label, tree in (("before", baseline), ("after", str(ROOT))):
            out = subprocess.run(
                [sys.executable, __file__, "--core", "--tree", tree],
                capture_output=True, text=True, check=True,
            ).stdout  # fmt: skip
            runs[label].append(json.loads(out.splitlines()[-1]))
    targets = {"bundled median": "< 0.5", "bundled p99": "< 2", "corpus median": "< 5",
               "corpus p99": "< 50", "cached load (fresh process)": "< 20"}  # fmt: skip
    print(f"pinyin search, before ({baseline}) / after ({ROOT}), ms CPU, median of {rounds}")
    for name in runs["after"][0]:
        before = statistics.median(r[name] for r in runs["before"])
        after = statistics.median(r[name] for r in runs["after"])
        row(name, f"{before:.3f} → {after:.3f}", targets.get(name, ""))


def _timed(func) -> float:
    start = time.process_time()
    func()
    return (time.process_time() - start) * 1000


if __name__ == "__main__":
    if "--core" in sys.argv:
        core()
    elif "--baseline" in sys.argv:
        compare(sys.argv[sys.argv.index("--baseline") + 1])
    else:
        main()
