"""How many top-10 hits of common two-letter queries straddle a word boundary.

Run: ``python benchmarks/bench_straddle.py`` (issue 11 §2; target ≤ 5 %).

For every sample report (the bundled one, tests/reports/*.txt and
tests/reports/real/*.txt) and every query in ``QUERIES``, the first ten hits
in section text are checked against a reference segmentation: a hit straddles
when it starts or ends inside a word. The reference is jieba (with its HMM, so
it is not the segmenter the index uses) when it is installed, else the index's
own word list. jieba shares its dictionary with the index's word list
(data/words.txt.gz), so ``--reference snownlp`` (a character tagger trained on
other data) gives a referee that owes nothing to it. "before" is the same index
with its word boundaries removed. A hit is never dropped, so a report with fewer
than ten whole-word hits forces straddling hits into its top ten: "avoidable"
counts only the others.
"""

from __future__ import annotations

import os
import re
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

QUERIES = [
    "sf", "xz", "zf", "fz", "gz", "js", "fw", "zd", "gl", "jd", "qy", "sh", "zx", "fl",
    "zs", "xx", "jg", "tj", "gg", "yf", "zc", "jc", "bz", "sj", "ts", "qm", "jz", "fg",
    "zh", "xt",
]  # fmt: skip
TOP = 10
_CJK = re.compile(r"[\u3400-\u9fff]+")


def sample_reports():
    import briefing

    yield "bundled", briefing.load_report()
    folders = [ROOT / "tests" / "reports", ROOT / "tests" / "reports" / "real"]
    for folder in folders:
        for path in sorted(folder.glob("*.txt")):
            yield path.stem, briefing.load_report(path)


def snownlp_cut():
    """SnowNLP's segmenter: a character-tagging model trained on other data than
    jieba's dictionary, so independent of the word list the index uses."""
    from snownlp import seg

    def cut(text: str) -> set[int]:
        out = {0, len(text)}
        at = 0
        for word in seg.seg(text):
            found = text.find(word, at)
            if found < 0:
                continue
            out.add(found)
            out.add(found + len(word))
            at = found + len(word)
        return out

    return cut, "SnowNLP (character tagger, no jieba data)"


def reference_cut(name: str | None = None):
    """A function text -> set of boundary positions, and its name."""
    if name == "snownlp":
        return snownlp_cut()
    try:
        import jieba

        jieba.setLogLevel(60)

        def cut(text: str) -> set[int]:
            # Search mode also yields the words inside a compound (严格执法: 严格,
            # 执法): a boundary of any of them is a boundary.
            out = {0, len(text)}
            for _word, start, end in jieba.tokenize(text, mode="search"):
                out.add(start)
                out.add(end)
            return out

        return cut, "jieba search mode (HMM on)"
    except ImportError:
        from briefing.search.words import segment

        def own(text: str) -> set[int]:
            out = set(range(len(text) + 1))
            for m in _CJK.finditer(text):
                at = m.start()
                for size in segment(m.group()):
                    out.difference_update(range(at + 1, at + size))
                    at += size
            return out

        return own, "the index's own word list (jieba not installed)"


def measure(index, report, cut_cache, cut) -> tuple[int, int, int, int, int]:
    """(straddling, total) over every query's top ten, then over the top ten of the
    queries with at least ten whole-word hits (where ranking alone can reach 0),
    then the avoidable straddling hits: those in a top ten beyond the ones forced
    by the report having fewer whole-word hits than ten (a hit is never dropped,
    so only order can be judged)."""
    straddle = total = c_straddle = c_total = avoidable = 0

    def splits(m) -> bool:
        key = (report.sha256, m.section)
        if key not in cut_cache:
            cut_cache[key] = cut(report.section(m.section).text)
        bounds = cut_cache[key]
        return m.start not in bounds or m.end not in bounds

    for query in QUERIES:
        hits = index.search(query, fields=False)
        flags = [splits(m) for m in hits]
        top = flags[:TOP]
        straddle += sum(top)
        total += len(top)
        avoidable += sum(top) - max(0, len(top) - flags.count(False))
        if flags.count(False) >= TOP:
            c_straddle += sum(top)
            c_total += len(top)
    return straddle, total, c_straddle, c_total, avoidable


def main() -> None:
    os.environ.setdefault("BRIEFING_CACHE_DIR", tempfile.mkdtemp(prefix="briefing-bench-"))
    import argparse

    from briefing.search import PinyinIndex
    from briefing.search.index import joined_text
    from briefing.search.readings import compute_readings

    parser = argparse.ArgumentParser()
    parser.add_argument("--reference", choices=["jieba", "snownlp"], default="jieba")
    cut, name = reference_cut(parser.parse_args().reference)
    print(f"straddling top-{TOP} hits, {len(QUERIES)} two-letter queries; reference: {name}")
    sums = {"before": [0] * 5, "after": [0] * 5}
    cut_cache: dict = {}
    build_ms = []
    for label, report in sample_reports():
        text = joined_text(report)
        start = time.process_time()
        readings = compute_readings(text)
        build_ms.append((time.process_time() - start) * 1000)
        row = []
        for when, data in (("before", replace(readings, breaks=b"")), ("after", readings)):
            got = measure(PinyinIndex(report, data, text), report, cut_cache, cut)
            for k, value in enumerate(got):
                sums[when][k] += value
            s, t = got[:2]
            row.append(f"{when} {s:>3}/{t:<3} ({100 * s / max(t, 1):4.1f} %)")
        print(f"  {label:<36} " + "   ".join(row))
    for when, (s, t, cs, ct, av) in sums.items():
        print(
            f"  {'all reports, ' + when:<36} {s}/{t} = {100 * s / max(t, 1):.1f} %   "
            f"queries with ≥{TOP} word hits: {cs}/{ct} = {100 * cs / max(ct, 1):.1f} %   "
            f"avoidable: {av}/{t} = {100 * av / max(t, 1):.1f} %"
        )
    median = sorted(build_ms)[len(build_ms) // 2]
    print(f"  readings + word boundaries, CPU per report: median {median:.0f} ms")


if __name__ == "__main__":
    main()
