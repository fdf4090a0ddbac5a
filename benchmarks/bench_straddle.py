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

``--show`` prints every avoidable straddling hit with the reference's words and
the index's around it (``|`` marks a boundary), to find the classes that remain.
The totals are also given per group: the bundled report, the hand-made samples
(tests/reports) and the held-out real reports (tests/reports/real).
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


GROUPS = {
    "bundled": None,
    "hand-made": ROOT / "tests" / "reports",
    "real": ROOT / "tests" / "reports" / "real",
}


def sample_reports():
    """(group, name, report) of every sample report."""
    import briefing

    for group, folder in GROUPS.items():
        if folder is None:
            yield group, group, briefing.load_report()
            continue
        for path in sorted(folder.glob("*.txt")):
            yield group, path.stem, briefing.load_report(path)


def _marked(text: str, start: int, end: int, bounds) -> str:
    """``text`` around ``start:end`` with ``|`` at every boundary in ``bounds``."""
    a, z = max(0, start - 6), min(len(text), end + 6)
    out = "".join(("|" if i in bounds else "") + text[i] for i in range(a, z))
    return out.replace("\n", "⏎")


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


def measure(index, report, cut_cache, cut, show=None) -> tuple[int, int, int, int, int]:
    """(straddling, total) over every query's top ten, then over the top ten of the
    queries with at least ten whole-word hits (where ranking alone can reach 0),
    then the avoidable straddling hits: those in a top ten beyond the ones forced
    by the report having fewer whole-word hits than ten (a hit is never dropped,
    so only order can be judged). ``show`` is called with each straddling hit of
    a top ten that has avoidable ones."""
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
        extra = sum(top) - max(0, len(top) - flags.count(False))
        avoidable += extra
        if show is not None and extra > 0:
            for rank, (m, bad) in enumerate(zip(hits, top, strict=False), 1):
                if bad:
                    show(query, rank, m, cut_cache[(report.sha256, m.section)])
        if flags.count(False) >= TOP:
            c_straddle += sum(top)
            c_total += len(top)
    return straddle, total, c_straddle, c_total, avoidable


def _own_bounds(breaks: bytes, text: str, report, section_id: str) -> set[int]:
    """The index's word boundaries (first bitmap) inside one section, as positions
    in the section's text."""
    from briefing.search.index import SEPARATOR, searchable_parts
    from briefing.search.words import is_break

    at = 0
    for part, part_text in searchable_parts(report):
        if part == section_id:
            break
        at += len(part_text) + len(SEPARATOR)
    size = (len(text) >> 3) + 1
    n = len(report.section(section_id).text)
    return {p for p in range(n + 1) if is_break(breaks[:size], at + p)}


def main() -> None:
    os.environ.setdefault("BRIEFING_CACHE_DIR", tempfile.mkdtemp(prefix="briefing-bench-"))
    import argparse

    from briefing.search import PinyinIndex
    from briefing.search.index import joined_text
    from briefing.search.readings import compute_readings

    parser = argparse.ArgumentParser()
    parser.add_argument("--reference", choices=["jieba", "snownlp"], default="jieba")
    parser.add_argument("--show", action="store_true", help="print the avoidable straddling hits")
    args = parser.parse_args()
    cut, name = reference_cut(args.reference)
    print(f"straddling top-{TOP} hits, {len(QUERIES)} two-letter queries; reference: {name}")
    sums = {"before": [0] * 5, "after": [0] * 5}
    by_group: dict[str, list[int]] = {g: [0, 0, 0] for g in GROUPS}  # before, after, total
    cut_cache: dict = {}
    build_ms = []
    shown: list[str] = []
    for group, label, report in sample_reports():
        text = joined_text(report)
        start = time.process_time()
        readings = compute_readings(text)
        build_ms.append((time.process_time() - start) * 1000)
        row = []
        for when, data in (("before", replace(readings, breaks=b"")), ("after", readings)):
            show = None
            if args.show and when == "after":

                def show(query, rank, m, bounds, label=label, report=report, data=data, text=text):
                    own = _own_bounds(data.breaks, text, report, m.section)
                    section = report.section(m.section).text
                    shown.append(
                        f"  {label[:24]:<24} {query:<3} #{rank:<2} {m.text:<6} {m.kind:<9} "
                        f"reference {_marked(section, m.start, m.end, bounds)}   "
                        f"index {_marked(section, m.start, m.end, own)}"
                    )

            got = measure(PinyinIndex(report, data, text), report, cut_cache, cut, show)
            for k, value in enumerate(got):
                sums[when][k] += value
            by_group[group][0 if when == "before" else 1] += got[4]
            s, t = got[:2]
            row.append(f"{when} {s:>3}/{t:<3} ({100 * s / max(t, 1):4.1f} %)")
        by_group[group][2] += got[1]
        print(f"  {label:<36} " + "   ".join(row))
    for when, (s, t, cs, ct, av) in sums.items():
        print(
            f"  {'all reports, ' + when:<36} {s}/{t} = {100 * s / max(t, 1):.1f} %   "
            f"queries with ≥{TOP} word hits: {cs}/{ct} = {100 * cs / max(ct, 1):.1f} %   "
            f"avoidable: {av}/{t} = {100 * av / max(t, 1):.1f} %"
        )
    for group, (before, after, total) in by_group.items():
        print(
            f"  avoidable, {group + ':':<10} before {100 * before / max(total, 1):4.1f} %   "
            f"after {100 * after / max(total, 1):4.1f} %   ({total} hits)"
        )
    if shown:
        print("avoidable straddling hits (| marks a boundary):", *shown, sep="\n")
    median = sorted(build_ms)[len(build_ms) // 2]
    print(f"  readings + word boundaries, CPU per report: median {median:.0f} ms")


if __name__ == "__main__":
    main()
